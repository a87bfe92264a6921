// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Nesting: the guest STE (vSTE) of an SMMUv3 nested hwpt from typed fields
 * and back, and which domain maps a device's MSI doorbell. The doorbell
 * rule: with a software MSI window (Arm: IOMMU_RESV_SW_MSI) the kernel maps
 * the interrupt controller's doorbell at an IOVA of the window into the
 * paging domain the device is attached to; for a nested attachment into the
 * nest parent (stage 2), since only that domain is the kernel's; the guest's
 * stage 1 must then map the window 1:1 (IOVA = IPA), which an IORT RMR
 * tells a guest to do. A hardware window (x86) is not translated at all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

/* STE word 0 and 1 fields a nested hwpt may set (arm-smmu-v3.h) */
#define STE0_V (1ULL << 0)
#define STE0_CFG_SHIFT 1
#define STE0_CFG_MASK (7ULL << STE0_CFG_SHIFT)
#define STE0_S1FMT_SHIFT 4
#define STE0_S1FMT_MASK (3ULL << STE0_S1FMT_SHIFT)
#define STE0_S1CTXPTR_MASK (((1ULL << 52) - 1) & ~((1ULL << 6) - 1))
#define STE0_S1CDMAX_SHIFT 59
#define STE0_S1CDMAX_MASK (31ULL << STE0_S1CDMAX_SHIFT)
#define STE1_S1DSS_MASK 3ULL
#define STE1_S1CIR_SHIFT 2
#define STE1_S1COR_SHIFT 4
#define STE1_S1CSH_SHIFT 6
#define STE1_S1STALLD (1ULL << 27)
#define STE1_EATS_SHIFT 28
#define STE1_EATS_MASK (3ULL << STE1_EATS_SHIFT)
#define STE0_ALLOWED                                                     \
	(STE0_V | STE0_CFG_MASK | STE0_S1FMT_MASK | STE0_S1CTXPTR_MASK | \
	 STE0_S1CDMAX_MASK)
#define STE1_ALLOWED                                                           \
	(STE1_S1DSS_MASK | 0xfcULL /* S1CIR, S1COR, S1CSH */ | STE1_S1STALLD | \
	 STE1_EATS_MASK)

/* STE.Config values and ours */
static const struct {
	enum iommuctl_vste_config c;
	unsigned int cfg;
} cfgs[] = {
	{ IOMMUCTL_VSTE_ABORT, 0 },
	{ IOMMUCTL_VSTE_BYPASS, 4 },
	{ IOMMUCTL_VSTE_S1_TRANSLATE, 5 },
};

IOMMUCTL_EXPORT const char *
iommuctl_vste_config_name(enum iommuctl_vste_config c)
{
	return names_get(NAMES_VSTE_CONFIG, c);
}

IOMMUCTL_EXPORT const char *
iommuctl_doorbell_where_name(enum iommuctl_doorbell_where w)
{
	return names_get(NAMES_DOORBELL, w);
}

IOMMUCTL_EXPORT int iommuctl_vste_encode(const struct iommuctl_vste *v,
					 uint64_t ste[2], const char **why)
{
	const char *bad = NULL;
	unsigned int i, cfg = 0;
	bool s1;

	if (!v || !ste)
		return -EINVAL;
	ste[0] = ste[1] = 0;
	s1 = v->config == IOMMUCTL_VSTE_S1_TRANSLATE;
	for (i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++)
		if (cfgs[i].c == v->config)
			cfg = cfgs[i].cfg;
	if (v->config > IOMMUCTL_VSTE_S1_TRANSLATE)
		bad = "the config is invalid, abort, bypass or s1-translate";
	else if (!s1 &&
		 (v->s1ctxptr || v->s1fmt || v->s1cdmax || v->s1dss || v->eats))
		bad = "the CD table, its format and size, S1DSS and EATS go with s1-translate";
	else if (s1 && !v->s1ctxptr)
		bad = "s1-translate needs the guest's CD table address (S1ContextPtr)";
	else if (v->s1ctxptr & ~STE0_S1CTXPTR_MASK)
		bad = "the CD table address must be 64-byte aligned and below 2^52";
	else if (v->s1fmt > 2)
		bad = "the CD table format is 0 (linear), 1 (2-level, 4 KiB leaves) or 2 (2-level, 64 KiB leaves)";
	else if (v->s1cdmax > 31)
		bad = "S1CDMax (log2 of the number of CDs) is 0 to 31";
	else if (v->s1dss > 2)
		bad = "S1DSS is 0 (terminate), 1 (bypass) or 2 (substream 0)";
	else if (v->s1cir > 3 || v->s1cor > 3 || v->s1csh > 3)
		bad = "S1CIR, S1COR and S1CSH are 2-bit fields (0 to 3)";
	if (bad) {
		if (why)
			*why = bad;
		return -EINVAL;
	}
	if (v->config == IOMMUCTL_VSTE_INVALID)
		return 0; /* V=0: the kernel clears the rest anyway */
	ste[0] = STE0_V | (uint64_t)cfg << STE0_CFG_SHIFT | v->s1ctxptr |
		 (uint64_t)v->s1fmt << STE0_S1FMT_SHIFT |
		 (uint64_t)v->s1cdmax << STE0_S1CDMAX_SHIFT;
	ste[1] = v->s1dss | (uint64_t)v->s1cir << STE1_S1CIR_SHIFT |
		 (uint64_t)v->s1cor << STE1_S1COR_SHIFT |
		 (uint64_t)v->s1csh << STE1_S1CSH_SHIFT |
		 (v->s1stalld ? STE1_S1STALLD : 0) |
		 (uint64_t)(v->eats ? 1 : 0) << STE1_EATS_SHIFT;
	if (why)
		*why = NULL;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_vste_decode(const uint64_t ste[2],
					 struct iommuctl_vste *v)
{
	unsigned int i, cfg, eats;
	bool known = false;

	if (!ste || !v)
		return -EINVAL;
	memset(v, 0, sizeof(*v));
	if (!(ste[0] & STE0_V))
		return 0; /* invalid: the kernel ignores the rest */
	cfg = (unsigned int)((ste[0] & STE0_CFG_MASK) >> STE0_CFG_SHIFT);
	for (i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++)
		if (cfgs[i].cfg == cfg) {
			v->config = cfgs[i].c;
			known = true;
		}
	v->s1ctxptr = ste[0] & STE0_S1CTXPTR_MASK;
	v->s1fmt = (uint32_t)((ste[0] & STE0_S1FMT_MASK) >> STE0_S1FMT_SHIFT);
	v->s1cdmax =
		(uint32_t)((ste[0] & STE0_S1CDMAX_MASK) >> STE0_S1CDMAX_SHIFT);
	v->s1dss = (uint32_t)(ste[1] & STE1_S1DSS_MASK);
	v->s1cir = (uint32_t)(ste[1] >> STE1_S1CIR_SHIFT) & 3;
	v->s1cor = (uint32_t)(ste[1] >> STE1_S1COR_SHIFT) & 3;
	v->s1csh = (uint32_t)(ste[1] >> STE1_S1CSH_SHIFT) & 3;
	v->s1stalld = !!(ste[1] & STE1_S1STALLD);
	eats = (unsigned int)((ste[1] & STE1_EATS_MASK) >> STE1_EATS_SHIFT);
	v->eats = eats == 1;
	if (!known || (ste[0] & ~STE0_ALLOWED) || (ste[1] & ~STE1_ALLOWED) ||
	    eats > 1)
		return -EINVAL;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_hwpt_get_vste(struct iommuctl_obj *hwpt,
					   uint64_t ste[2])
{
	if (!hwpt || !ste)
		return -EINVAL;
	if (hwpt->type != IOMMUCTL_OBJ_HWPT_NESTED || !hwpt->have_ste)
		return -ENOENT;
	ste[0] = hwpt->ste[0];
	ste[1] = hwpt->ste[1];
	return 0;
}

/* The paging hwpt under a nested one: its parent, or its vIOMMU's parent */
static struct iommuctl_obj *nest_parent(struct iommuctl_obj *h)
{
	struct iommuctl_obj *p = h->parent;

	if (p && p->type == IOMMUCTL_OBJ_VIOMMU)
		p = p->parent;
	return p && p->type == IOMMUCTL_OBJ_HWPT_PAGING ? p : NULL;
}

/* What the guest's stage 1 must do about the window, by the vSTE */
static const char *stage1_text(struct iommuctl_obj *h)
{
	struct iommuctl_vste v;

	if (h->have_ste && iommuctl_vste_decode(h->ste, &v) == 0) {
		if (v.config == IOMMUCTL_VSTE_INVALID ||
		    v.config == IOMMUCTL_VSTE_ABORT)
			return "nothing gets through: the guest STE aborts every transaction, MSI writes included";
		if (v.config == IOMMUCTL_VSTE_BYPASS)
			return "nothing to map: the guest STE bypasses stage 1, so the device's MSI writes reach the window at its guest-physical address and stage 2 maps the doorbell there";
	}
	return "map the window 1:1 (IOVA = IPA) in every stage-1 table the device uses, as an IORT RMR (reserved memory range) for the device tells the guest to; else the device's MSI writes fault in stage 1";
}

IOMMUCTL_EXPORT int
iommuctl_doorbell_decide(struct iommuctl_obj *dev,
			 const struct iommuctl_msi_window *w, size_t n,
			 struct iommuctl_doorbell *out)
{
	struct iommuctl_obj *at;
	bool sw = false;
	size_t i;

	if (!dev || !out || dev->type != IOMMUCTL_OBJ_DEVICE || (n && !w))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	at = dev->attached;
	out->attached = at;
	/* the first software window, else the first window */
	for (i = 0; i < n && !sw; i++)
		if (w[i].kind == IOMMUCTL_MSI_SW) {
			sw = out->window = true;
			out->start = w[i].region->start;
			out->last = w[i].region->end;
			out->basis = w[i].basis;
		}
	if (!out->window && n) {
		out->window = true;
		out->start = w[0].region->start;
		out->last = w[0].region->end;
		out->basis = w[0].basis;
	}
	if (!at) {
		out->where = IOMMUCTL_DOORBELL_UNATTACHED;
		out->explain = "not attached: no domain maps its doorbell";
	} else if (at->type == IOMMUCTL_OBJ_IOAS) {
		out->where = IOMMUCTL_DOORBELL_EMULATED;
		out->explain =
			"an emulated device (through an access): no IOMMU translates its DMA, no doorbell is mapped";
	} else if (!n) {
		out->where = IOMMUCTL_DOORBELL_NO_WINDOW;
		out->explain =
			"its IOMMU group lists no MSI window, so no doorbell is mapped into its domains (or the reserved regions are unreadable)";
	} else if (!sw) {
		out->where = IOMMUCTL_DOORBELL_HW_WINDOW;
		out->explain =
			"a hardware MSI window: writes there are interrupt messages that bypass translation, so no domain maps a doorbell; the window is only kept free of mappings";
	} else if (at->type == IOMMUCTL_OBJ_HWPT_NESTED) {
		out->where = IOMMUCTL_DOORBELL_NEST_PARENT;
		out->holder = nest_parent(at);
		out->explain =
			"a software MSI window and a nested attachment: the kernel maps the doorbell at the window's IOVA into the nest parent (stage 2), the one domain of the pair it owns, when the device's MSIs are set up";
		out->stage1 = stage1_text(at);
	} else {
		out->where = IOMMUCTL_DOORBELL_PAGING;
		out->holder = at;
		out->explain =
			"a software MSI window: the kernel maps the doorbell at the window's IOVA into the paging domain the device is attached to, when the device's MSIs are set up";
	}
	return 0;
}

/* The IOMMU group number of a device of the session, or -1 */
static int dev_group(struct iommuctl_obj *dev)
{
	static const char *const buses[] = { "/sys/bus/pci/devices",
					     "/sys/bus/iommufd_mock/devices" };
	char path[256], *name = NULL;
	unsigned long id;
	size_t i;
	int g = -1;

	if (!dev->dev_name || strchr(dev->dev_name, '/'))
		return -1;
	for (i = 0; i < sizeof(buses) / sizeof(buses[0]) && g < 0; i++) {
		snprintf(path, sizeof(path), "%s/%s/iommu_group", buses[i],
			 dev->dev_name);
		if (sysfs_link_basename(dev->s->ctx, path, &name) < 0)
			continue;
		id = strtoul(name, NULL, 10);
		if (id < 1u << 30)
			g = (int)id;
		free(name);
		name = NULL;
	}
	return g;
}

IOMMUCTL_EXPORT int iommuctl_device_doorbell(struct iommuctl_obj *dev,
					     struct iommuctl_doorbell *out)
{
	struct iommuctl_msi_window *w = NULL;
	struct iommuctl_group *g = NULL;
	size_t n = 0;
	int id, rc;

	if (!dev || !out || dev->type != IOMMUCTL_OBJ_DEVICE)
		return -EINVAL;
	id = dev_group(dev);
	if (id >= 0) {
		g = iommuctl_group_get_by_id(dev->s->ctx, (unsigned int)id);
		if (!g) { /* a group made since the topology was read */
			iommuctl_refresh(dev->s->ctx);
			g = iommuctl_group_get_by_id(dev->s->ctx,
						     (unsigned int)id);
		}
	}
	if (g) {
		rc = iommuctl_group_msi_windows(g, &w, &n);
		if (rc == -ENOMEM)
			return rc;
	}
	rc = iommuctl_doorbell_decide(dev, w, n, out);
	free(w);
	return rc;
}

/* SMMU_IDR0.S2P, .S1P; SMMU_IDR3.FWB */
#define IDR0_S2P (1u << 0)
#define IDR0_S1P (1u << 1)
#define IDR3_FWB (1u << 8)

IOMMUCTL_EXPORT int
iommuctl_smmuv3_viommu_why(struct iommuctl_ctx *ctx,
			   const struct iommuctl_hw_info *hi, char *buf,
			   size_t len)
{
	struct iommuctl_hw_info_reg regs[IOMMUCTL_HW_INFO_REGS];
	uint32_t idr0 = 0, idr3 = 0;
	bool acpi, dt;
	int i, n;

	if (!ctx || !hi || !buf || !len ||
	    hi->type != IOMMUCTL_HW_INFO_ARM_SMMUV3)
		return -EINVAL;
	n = iommuctl_hw_info_decode(hi, regs, IOMMUCTL_HW_INFO_REGS);
	for (i = 0; i < n; i++)
		if (!strcmp(regs[i].name, "idr") && regs[i].count == 6) {
			idr0 = (uint32_t)regs[i].v[0];
			idr3 = (uint32_t)regs[i].v[3];
			break;
		}
	if (i >= n)
		return -EINVAL;
	acpi = sysfs_exists(ctx, "/sys/firmware/acpi/tables/IORT") == 1;
	dt = sysfs_exists(ctx, "/sys/firmware/devicetree/base") == 1;
	if ((idr0 & (IDR0_S1P | IDR0_S2P)) != (IDR0_S1P | IDR0_S2P)) {
		snprintf(
			buf, len,
			"the SMMU does not nest: IDR0 0x%08x has %s (arm_smmu_get_viommu_size() wants ARM_SMMU_FEAT_NESTING, both stages)",
			idr0,
			!(idr0 & IDR0_S1P) && !(idr0 & IDR0_S2P) ?
				"neither stage 1 (S1P) nor stage 2 (S2P)" :
			!(idr0 & IDR0_S1P) ? "no stage 1 (S1P 0)" :
					     "no stage 2 (S2P 0)");
		return 1;
	}
	if (idr3 & IDR3_FWB)
		return 0; /* S2FWB: the kernel gives one; not this */
	if (!acpi) {
		snprintf(
			buf, len,
			"the SMMU nests (IDR0 S1P and S2P) but has no S2FWB (IDR3 0x%08x, FWB bit 8 clear), and the device cannot be canwbs: only an IORT root complex node (an ACPI boot) marks a device canwbs, and this system %s; Linux (arm_smmu_get_viommu_size()) then gives no vIOMMU, as the VM could make DMA non-coherent that VFIO does not flush",
			idr3,
			dt ? "booted from a device tree (no ACPI IORT table)" :
			     "has no ACPI IORT table");
		return 1;
	}
	snprintf(
		buf, len,
		"the SMMU nests but has no S2FWB (IDR3 0x%08x, FWB bit 8 clear), so Linux gives a vIOMMU only for a canwbs device: the CANWBS memory access flag of its IORT root complex node must be set",
		idr3);
	return 1;
}
