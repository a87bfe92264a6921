// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Why devices share an IOMMU group: a replay of the kernel's
 * pci_device_group() (drivers/iommu/iommu.c) over what sysfs shows. Each
 * device either joins a group that already exists when it is probed (DMA
 * alias to a bridge, a non-isolating upstream path, a non-isolated sibling
 * function) or starts its own. The probe order matters where IOMMU groups
 * form as drivers bind (virtio-iommu, Arm with device tree): the kernel
 * numbers groups as it creates them, so devices are replayed in order of
 * their group number, then address (on x86 that is address order). Device-specific quirks are not modelled: where the kernel
 * disagrees, a quirk or an ACS override patch is the likely reason.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

IOMMUCTL_EXPORT const char *iommuctl_why_name(enum iommuctl_why why)
{
	return names_get(NAMES_WHY, why);
}

static struct iommuctl_device *uf_find(struct iommuctl_device *d)
{
	while (d->uf_parent != d)
		d = d->uf_parent = d->uf_parent->uf_parent;
	return d;
}

/*
 * Device-specific ACS quirks of the kernel (drivers/pci/quirks.c) that decide
 * groups on common hardware. Multifunction endpoints whose vendors state the
 * functions do no peer-to-peer: treated as isolated.
 */
static const struct {
	uint16_t vendor, device;
} mf_endpoint_quirk[] = {
	{ 0x1924, 0x0903 }, { 0x1924, 0x0923 }, { 0x1924, 0x0a03 }, { 0x8086, 0x10c6 },
	{ 0x8086, 0x10db }, { 0x8086, 0x10dd }, { 0x8086, 0x10e1 }, { 0x8086, 0x10f1 },
	{ 0x8086, 0x10f7 }, { 0x8086, 0x10f8 }, { 0x8086, 0x10f9 }, { 0x8086, 0x10fa },
	{ 0x8086, 0x10fb }, { 0x8086, 0x10fc }, { 0x8086, 0x1507 }, { 0x8086, 0x1514 },
	{ 0x8086, 0x151c }, { 0x8086, 0x1529 }, { 0x8086, 0x152a }, { 0x8086, 0x154d },
	{ 0x8086, 0x154f }, { 0x8086, 0x1551 }, { 0x8086, 0x1558 }, { 0x8086, 0x1509 },
	{ 0x8086, 0x150e }, { 0x8086, 0x150f }, { 0x8086, 0x1510 }, { 0x8086, 0x1511 },
	{ 0x8086, 0x1516 }, { 0x8086, 0x1527 }, { 0x8086, 0x10c9 }, { 0x8086, 0x10e6 },
	{ 0x8086, 0x10e7 }, { 0x8086, 0x10e8 }, { 0x8086, 0x150a }, { 0x8086, 0x150d },
	{ 0x8086, 0x1518 }, { 0x8086, 0x1526 }, { 0x8086, 0x10a7 }, { 0x8086, 0x10a9 },
	{ 0x8086, 0x10d6 }, { 0x8086, 0x1521 }, { 0x8086, 0x1522 }, { 0x8086, 0x1523 },
	{ 0x8086, 0x1524 }, { 0x8086, 0x105e }, { 0x8086, 0x105f }, { 0x8086, 0x1060 },
	{ 0x8086, 0x10d9 }, { 0x8086, 0x15b7 }, { 0x8086, 0x15b8 }, { 0x19a2, 0x0710 },
	{ 0x10df, 0x0720 }, { 0x177d, 0xa026 }, { 0x177d, 0xa059 }, { 0x177d, 0xa060 },
	{ 0x14e4, 0x16d7 }, { 0x14e4, 0x1750 }, { 0x14e4, 0x1751 }, { 0x14e4, 0x1752 },
	{ 0x14e4, 0x1760 }, { 0x14e4, 0x1761 }, { 0x14e4, 0x1762 }, { 0x14e4, 0x1763 },
	{ 0x1d17, 0x3038 }, { 0x1d17, 0x3104 }, { 0x1d17, 0x9083 },
};

IOMMUCTL_EXPORT enum iommuctl_acs_verdict
iommuctl_device_acs_verdict(struct iommuctl_device *d, const char **quirk)
{
	size_t i;

	if (quirk)
		*quirk = NULL;
	device_cfg_full(d);
	if (!d->is_pci || d->cfg_err)
		return IOMMUCTL_ACS_UNKNOWN;
	for (i = 0; i < sizeof(mf_endpoint_quirk) / sizeof(mf_endpoint_quirk[0]); i++) {
		if (mf_endpoint_quirk[i].vendor == d->vendor &&
		    mf_endpoint_quirk[i].device == d->device) {
			if (quirk)
				*quirk = "multifunction endpoint its vendor vouches has no peer-to-peer between functions";
			return IOMMUCTL_ACS_QUIRK;
		}
	}
	if (d->vendor == 0x8086 && d->cfg.pcie_type == IOMMUCTL_PCIE_RC_ENDPOINT) {
		if (quirk)
			*quirk = "Intel root-complex integrated endpoint: VT-d lets such devices reach each other only through translated addresses";
		return IOMMUCTL_ACS_QUIRK;
	}
	return iommuctl_pcicfg_acs_isolated(&d->cfg);
}

static enum iommuctl_acs_verdict acs_of(struct iommuctl_ctx *ctx,
					struct iommuctl_device *d)
{
	enum iommuctl_acs_verdict v = iommuctl_device_acs_verdict(d, NULL);

	if (v == IOMMUCTL_ACS_UNKNOWN)
		ctx->explain_uncertain = 1;
	return v;
}

static bool acs_ok(struct iommuctl_ctx *ctx, struct iommuctl_device *d)
{
	return iommuctl_acs_verdict_isolates(acs_of(ctx, d));
}

/* pci_acs_path_enabled(start, NULL): every device from @start up to the
 * root bus isolates. On failure *culprit is the first one that does not. */
static bool acs_path_ok(struct iommuctl_ctx *ctx, struct iommuctl_device *start,
			struct iommuctl_device **culprit)
{
	struct iommuctl_device *d;

	for (d = start; d; d = d->parent) {
		if (!acs_ok(ctx, d)) {
			*culprit = d;
			return false;
		}
	}
	return true;
}

/* Bridges whose downstream devices' DMA carries the bridge's requester ID. */
static bool aliases_children(struct iommuctl_device *b)
{
	device_cfg_full(b);
	if (b->cfg_err)
		return false;
	if (b->cfg.pcie_type < 0)
		return true; /* conventional PCI-to-PCI bridge */
	return b->cfg.pcie_type == IOMMUCTL_PCIE_PCI_BRIDGE ||
	       b->cfg.pcie_type == IOMMUCTL_PCIE_PCIE_BRIDGE;
}

static size_t bus_prefix_len(const char *bdf)
{
	return (size_t)(strrchr(bdf, ':') - bdf); /* "dddd:bb" */
}

static bool same_slot(const struct iommuctl_device *a, const struct iommuctl_device *b)
{
	size_t la = bus_prefix_len(a->name), lb = bus_prefix_len(b->name);

	/* "dddd:bb:ss.f": equal up to the '.' */
	return la == lb && !strncmp(a->name, b->name, la + 3);
}

static void join(struct iommuctl_device *d, struct iommuctl_device *via,
		 enum iommuctl_why why)
{
	struct iommuctl_device *a = uf_find(d), *b = uf_find(via);

	d->why = why;
	d->why_via = via;
	/* the earlier device (in probe order) stays the leader */
	if (a != b) {
		if (a->order < b->order)
			b->uf_parent = a;
		else
			a->uf_parent = b;
	}
}

static void place(struct iommuctl_ctx *ctx, struct iommuctl_device *d)
{
	struct iommuctl_device *p = d, *b, *culprit = NULL, *f;

	/* 1. DMA aliases: the first aliasing bridge with a group wins. */
	for (b = d->parent; b; b = b->parent) {
		if (!aliases_children(b))
			continue;
		p = b;
		if (b->placed) {
			join(d, b, IOMMUCTL_WHY_BRIDGE_ALIAS);
			return;
		}
	}
	/* 2. Up from there while the path to the root does not isolate. */
	for (b = p->parent; b; b = b->parent) {
		if (acs_path_ok(ctx, b, &culprit))
			break;
		p = b;
		if (b->placed) {
			join(d, b, IOMMUCTL_WHY_UPSTREAM_ACS);
			d->why_culprit = culprit;
			d->why_acs = (int)acs_of(ctx, culprit);
			return;
		}
	}
	/* 3. Non-isolated functions of the same slot probed before us. */
	if (!p->cfg_err && p->cfg.multifunction && !acs_ok(ctx, p)) {
		/* the functions of p's slot are p's neighbours in address order */
		size_t i = p->idx, end = p->idx + 1;

		while (i > 0 && ctx->devarr[i - 1]->is_pci &&
		       same_slot(ctx->devarr[i - 1], p))
			i--;
		while (end < ctx->ndev && ctx->devarr[end]->is_pci &&
		       same_slot(ctx->devarr[end], p))
			end++;
		for (; i < end; i++) {
			f = ctx->devarr[i];
			if (f == p || !f->placed || acs_ok(ctx, f))
				continue;
			join(d, f, IOMMUCTL_WHY_MULTIFUNCTION);
			d->why_culprit = p;
			d->why_acs = (int)acs_of(ctx, p);
			return;
		}
	}
	d->why = IOMMUCTL_WHY_OWN_GROUP;
}

/* Probe order: group number (creation order), then address order. */
static int probe_cmp(const void *a, const void *b)
{
	const struct iommuctl_device *x = *(struct iommuctl_device *const *)a;
	const struct iommuctl_device *y = *(struct iommuctl_device *const *)b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return x->addr_order < y->addr_order ? -1 : x->addr_order > y->addr_order;
}

static void explain_init(struct iommuctl_ctx *ctx)
{
	struct iommuctl_device *d, **seq;
	unsigned long order = 0;
	size_t n = 0, i;

	if (ctx->explain_done)
		return;
	ctx->explain_done = 1;
	iommuctl_device_foreach(ctx, d) {
		d->addr_order = order++;
		d->uf_parent = d;
		d->placed = false;
		d->why_via = d->why_culprit = NULL;
		d->why_acs = IOMMUCTL_ACS_UNKNOWN;
		d->why = IOMMUCTL_WHY_OWN_GROUP;
		n += d->group >= 0;
	}
	seq = calloc(n ? n : 1, sizeof(*seq));
	if (!seq) {
		ctx->explain_uncertain = 1;
		return;
	}
	n = 0;
	iommuctl_device_foreach(ctx, d)
		if (d->group >= 0)
			seq[n++] = d;
	qsort(seq, n, sizeof(*seq), probe_cmp);
	for (i = 0; i < n; i++) {
		d = seq[i];
		d->order = i;
		if (d->mdev_type)
			d->why = IOMMUCTL_WHY_EMULATED;
		else if (!d->is_pci)
			d->why = IOMMUCTL_WHY_NOT_PCI;
		else
			place(ctx, d);
		d->placed = true;
	}
	free(seq);
	iommuctl_device_foreach(ctx, d) {
		d->pred_count = 0;
	}
	iommuctl_device_foreach(ctx, d)
		if (d->group >= 0)
			uf_find(d)->pred_count++;
}

IOMMUCTL_EXPORT int iommuctl_device_explain(struct iommuctl_device *dev,
					    struct iommuctl_device **via,
					    struct iommuctl_device **culprit,
					    enum iommuctl_acs_verdict *acs)
{
	explain_init(dev->ctx);
	if (dev->group < 0)
		return -ENOENT;
	if (via)
		*via = dev->why_via;
	if (culprit)
		*culprit = dev->why_culprit;
	if (acs)
		*acs = (enum iommuctl_acs_verdict)dev->why_acs;
	return dev->why;
}

IOMMUCTL_EXPORT struct iommuctl_device *
iommuctl_device_get_predicted_leader(struct iommuctl_device *dev)
{
	explain_init(dev->ctx);
	if (dev->group < 0)
		return NULL;
	return uf_find(dev);
}

IOMMUCTL_EXPORT bool iommuctl_explain_is_certain(struct iommuctl_ctx *ctx)
{
	explain_init(ctx);
	return !ctx->explain_uncertain;
}

IOMMUCTL_EXPORT bool iommuctl_group_matches_prediction(struct iommuctl_group *g)
{
	struct iommuctl_device *first = iommuctl_group_get_first_device(g), *lead;
	size_t i;

	if (!first)
		return true;
	lead = iommuctl_device_get_predicted_leader(first);
	/* every member shares one leader, and that leader has no one else */
	for (i = 0; i < g->nmembers; i++)
		if (iommuctl_device_get_predicted_leader(g->members[i]) != lead)
			return false;
	return lead && lead->pred_count == g->nmembers;
}

/* The ACS verdict of the culprit, in the explanation's words */
static const char *const acs_phrase[] = {
	[IOMMUCTL_ACS_ENABLED] = "ACS enabled",
	[IOMMUCTL_ACS_NOT_REQUIRED] = "ACS not required",
	[IOMMUCTL_ACS_DISABLED] = "ACS present but not enabled for SV/RR/CR/UF",
	[IOMMUCTL_ACS_MISSING] = "no ACS capability",
	[IOMMUCTL_ACS_NEVER] = "a PCIe/PCI bridge, where ACS never applies",
	[IOMMUCTL_ACS_NOT_PCIE] = "conventional PCI, which has no ACS",
	[IOMMUCTL_ACS_UNKNOWN] = "ACS unknown: config space unreadable",
	[IOMMUCTL_ACS_QUIRK] = "isolated by a kernel quirk",
};

IOMMUCTL_EXPORT char *iommuctl_device_explain_message(struct iommuctl_device *d)
{
	struct iommuctl_device *via = NULL, *culprit = NULL;
	enum iommuctl_acs_verdict acs = IOMMUCTL_ACS_UNKNOWN;
	int why = iommuctl_device_explain(d, &via, &culprit, &acs);
	const char *name = iommuctl_device_get_name(d);
	const struct iommuctl_pcicfg *cfg;
	char *msg = NULL;
	int rc;

	switch (why) {
	case IOMMUCTL_WHY_OWN_GROUP:
		if (uf_find(d)->pred_count > 1)
			rc = asprintf(
				&msg,
				"%s has its own group and is the first device in it; the other members join it for the reasons given with them",
				name);
		else
			rc = asprintf(
				&msg,
				"%s has a group of its own: nothing between it and the root complex lets peer-to-peer DMA bypass the IOMMU",
				name);
		break;
	case IOMMUCTL_WHY_BRIDGE_ALIAS:
		cfg = iommuctl_device_get_pcicfg(via);
		rc = asprintf(
			&msg,
			"%s shares the group of its bridge: it sits behind %s bridge %s, so its DMA carries the bridge's requester ID",
			name,
			cfg && cfg->pcie_type < 0 ? "the conventional PCI" :
						    "the PCIe-to-PCI",
			iommuctl_device_get_name(via));
		break;
	case IOMMUCTL_WHY_UPSTREAM_ACS:
		cfg = culprit ? iommuctl_device_get_pcicfg(culprit) : NULL;
		rc = asprintf(
			&msg,
			"%s shares the group of %s: %s %s %s%s does not isolate peer-to-peer traffic (%s)",
			name, iommuctl_device_get_name(via),
			culprit == via ? "its upstream" : "the",
			cfg && cfg->caps_known ?
				iommuctl_pcie_type_name(cfg->pcie_type) :
				"bridge",
			culprit ? iommuctl_device_get_name(culprit) : "?",
			culprit == via ? "" : " further up", acs_phrase[acs]);
		break;
	case IOMMUCTL_WHY_MULTIFUNCTION:
		rc = asprintf(
			&msg,
			"%s shares the group of %s: they are functions of one multifunction device that does not isolate its functions from each other (%s)",
			name, iommuctl_device_get_name(via), acs_phrase[acs]);
		break;
	case IOMMUCTL_WHY_NOT_PCI:
		rc = asprintf(
			&msg,
			"%s is not a PCI device: its IOMMU driver chose the group",
			name);
		break;
	case IOMMUCTL_WHY_EMULATED:
		rc = asprintf(
			&msg,
			"%s is a mediated device (mdev) of %s, type %s: VFIO gave it an emulated IOMMU group of its own; no IOMMU unit translates it, its parent driver reaches the memory through an iommufd access",
			name, d->parent_name ?: "?", d->mdev_type);
		break;
	default:
		rc = asprintf(&msg, "%s has no IOMMU group", name);
	}
	return rc < 0 ? NULL : msg;
}
