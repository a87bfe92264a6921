// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl hwpt, fault, viommu, vdevice, veventq and hwqueue: hardware page
 * tables (paging and nested), dirty tracking, invalidation, I/O page fault
 * queues and the vIOMMU objects.
 */
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"

/* Driver data the CLI builds (layouts: the kernel's UAPI, little endian). */
struct vtd_s1_data {
	uint64_t flags; /* bit0 SRE, bit1 EAFE, bit2 WPE */
	uint64_t pgtbl_addr;
	uint32_t addr_width;
	uint32_t reserved;
};
struct smmuv3_pair {
	uint64_t dw[2]; /* a guest STE (alloc) or a CMDQ command (invalidate) */
};
struct selftest_data {
	uint32_t iotlb;
};
struct selftest_inv {
	uint32_t flags; /* bit0 all */
	uint32_t iotlb_id;
};
struct viommu_selftest_inv {
	uint32_t flags; /* bit0 all */
	uint32_t vdev_id; /* the vDEVICE's virtual id */
	uint32_t cache_id;
};
struct vtd_s1_inv {
	uint64_t addr;
	uint64_t npages;
	uint32_t flags; /* bit0 leaf */
	uint32_t reserved;
};
_Static_assert(sizeof(struct vtd_s1_data) == 24,
	       "VT-d stage-1 data is 24 bytes");
_Static_assert(sizeof(struct smmuv3_pair) == 16,
	       "SMMUv3 STE/command is 16 bytes");
_Static_assert(sizeof(struct selftest_inv) == 8,
	       "selftest invalidation is 8 bytes");
_Static_assert(sizeof(struct viommu_selftest_inv) == 12,
	       "selftest vIOMMU invalidation is 12 bytes");
_Static_assert(sizeof(struct vtd_s1_inv) == 24,
	       "VT-d invalidation is 24 bytes");

#define VTD_S1_SRE 0x1
#define VTD_S1_EAFE 0x2
#define VTD_S1_WPE 0x4
#define SELFTEST_IOTLB_DEFAULT 0xbadbeef /* IOMMU_TEST_IOTLB_DEFAULT */
#define SELFTEST_IOTLB_ID_MAX 3
#define VEVENTQ_LOST_EVENTS 0x1
#define MAX_ENTRIES 64

static const struct opt no_opts[] = { { NULL, 0, NULL, NULL } };

/* ---- argument helpers ---------------------------------------------------- */

/* A plain number (decimal or 0x hex), 0..max. */
static int num_arg(struct cmdctx *c, const char *opt, const char *text,
		   uint64_t max, uint64_t *v)
{
	unsigned long long x;
	char *end;

	errno = 0;
	if (!text || !*text || *text == '-' || *text == '+' || *text == ' ')
		goto bad;
	x = strtoull(text, &end, 0);
	if (errno || *end || x > max)
		goto bad;
	*v = x;
	return -1;
bad:
	return cmd_usage_error(c, "%s: '%s' is not a number from 0 to %llu",
			       opt, text ?: "", (unsigned long long)max);
}

static int u32_arg(struct cmdctx *c, const char *opt, const char *text,
		   uint32_t *v)
{
	uint64_t x;
	int rc = num_arg(c, opt, text, UINT32_MAX, &x);

	if (rc < 0)
		*v = (uint32_t)x;
	return rc;
}

/* "0xDW0,0xDW1": two 64-bit words */
static int pair_arg(struct cmdctx *c, const char *opt, const char *text,
		    struct smmuv3_pair *p)
{
	char *buf = strdup(text), *comma;
	uint64_t a, b;
	int rc;

	if (!buf)
		return cmd_error(c, EXIT_FAILED, ENOMEM, "parsing %s", opt);
	comma = strchr(buf, ',');
	if (!comma) {
		free(buf);
		return cmd_usage_error(
			c, "%s: '%s' is not two 64-bit words (0xDW0,0xDW1)",
			opt, text);
	}
	*comma = '\0';
	rc = num_arg(c, opt, buf, UINT64_MAX, &a);
	if (rc < 0)
		rc = num_arg(c, opt, comma + 1, UINT64_MAX, &b);
	free(buf);
	if (rc >= 0)
		return rc;
	p->dw[0] = htole64(a);
	p->dw[1] = htole64(b);
	return -1;
}

/* --perm: any of r, w, x (exec), p (privileged); the kernel's bits */
static int fault_perm_arg(struct cmdctx *c, const char *text, uint32_t *perm)
{
	const char *p;

	*perm = 0;
	for (p = text; *p; p++) {
		uint32_t bit = *p == 'r' ? 1 :
			       *p == 'w' ? 2 :
			       *p == 'x' ? 4 :
			       *p == 'p' ? 8 :
					   0;

		if (!bit || (*perm & bit))
			break;
		*perm |= bit;
	}
	if (*p || !*perm)
		return cmd_usage_error(
			c,
			"--perm: '%s' is not made of r, w, x and p (rw, r, w, ...)",
			text);
	return -1;
}

struct type_word {
	const char *name;
	uint32_t value;
};

static int type_arg(struct cmdctx *c, const char *opt, const char *text,
		    const struct type_word *t, uint32_t *v)
{
	char list[128] = "";
	size_t i;

	for (i = 0; t[i].name; i++) {
		if (!strcmp(text, t[i].name)) {
			*v = t[i].value;
			return -1;
		}
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s", i ? ", " : "", t[i].name);
	}
	return cmd_usage_error(c, "%s: '%s' is not one of %s", opt, text, list);
}

static const struct type_word data_types[] = {
	{ "selftest", IOMMUCTL_HWPT_DATA_SELFTEST },
	{ "vtd-s1", IOMMUCTL_HWPT_DATA_VTD_S1 },
	{ "arm-smmuv3", IOMMUCTL_HWPT_DATA_ARM_SMMUV3 },
	{ NULL, 0 },
};
static const struct type_word viommu_types[] = {
	{ "selftest", IOMMUCTL_VIOMMU_SELFTEST },
	{ "arm-smmuv3", IOMMUCTL_VIOMMU_ARM_SMMUV3 },
	{ "tegra241-cmdqv", IOMMUCTL_VIOMMU_TEGRA241_CMDQV },
	{ NULL, 0 },
};
static const struct type_word veventq_types[] = {
	{ "selftest", IOMMUCTL_VEVENTQ_SELFTEST },
	{ "arm-smmuv3", IOMMUCTL_VEVENTQ_ARM_SMMUV3 },
	{ "tegra241-cmdqv", IOMMUCTL_VEVENTQ_TEGRA241_CMDQV },
	{ NULL, 0 },
};
static const struct type_word hwqueue_types[] = {
	{ "selftest", IOMMUCTL_HW_QUEUE_SELFTEST },
	{ "tegra241-cmdqv", IOMMUCTL_HW_QUEUE_TEGRA241_CMDQV },
	{ NULL, 0 },
};

static const char *data_type_word(uint32_t t)
{
	size_t i;

	for (i = 0; data_types[i].name; i++)
		if (data_types[i].value == t)
			return data_types[i].name;
	return t == IOMMUCTL_HWPT_DATA_AMD_GUEST ? "amd-guest" : "unknown";
}

static bool is_mock(struct iommuctl_obj *dev)
{
	struct iommuctl_obj_info in;

	iommuctl_obj_get_info(dev, &in);
	return in.mock;
}

/* A mock device for the selftest verbs; exit code or -1. */
static int mock_arg(struct cmdctx *c, const char *ref,
		    struct iommuctl_obj **dev)
{
	int rc = obj_arg(c, ref, OBJ_MASK(IOMMUCTL_OBJ_DEVICE), dev);

	if (rc >= 0)
		return rc;
	if (!is_mock(*dev))
		return cmd_error_on(
			c, iommuctl_obj_label(*dev), EXIT_FAILED, EOPNOTSUPP,
			"is a real device; only selftest mock devices ('device mock') can be told to do this");
	return -1;
}

/* ---- hwpt ----------------------------------------------------------------- */

static const struct column hwpt_cols[] = {
	{ "ID", "id", COL_RIGHT }, { "NAME", "name", 0 },
	{ "TYPE", "type", 0 },	   { "IOAS", "ioas", 0 },
	{ "PARENT", "parent", 0 }, { "DEVICE", "device", 0 },
	{ "FLAGS", "flags", 0 },   { "DATA", "data_type", 0 },
	{ "FAULT", "fault", 0 },   { "USED BY", "users", 0 },
	{ NULL, NULL, 0 },
};
static const struct show_spec hwpt_spec = {
	"hwpts",
	"hwpt",
	OBJ_MASK_HWPT,
	hwpt_cols,
};
static const struct verb_help hwpt_show_help = {
	.synopsis = "[HWPT]",
	.description =
		"Show the session's hardware page tables: paging (from an IOAS, made\n"
		"by 'hwpt alloc' or by the kernel when a device attached to an IOAS)\n"
		"and nested ones, with their IOAS or parent, device, flags, data type,\n"
		"fault queue and what uses them.",
	.opts = no_opts,
};

static int do_hwpt_show(int argc, char **argv, struct cmdctx *c)
{
	return show_objs(argc, argv, c, &hwpt_show_help, &hwpt_spec);
}

static const struct opt hwpt_alloc_opts[] = {
	{ "device", 'd', "DEVICE", "the device the hwpt is for" },
	{ "ioas", 0, "IOAS", "make a paging hwpt over this IOAS" },
	{ "parent", 0, "HWPT|VIOMMU",
	  "make a nested hwpt over this nest-parent hwpt or vIOMMU" },
	{ "nest-parent", 0, NULL,
	  "paging: may be the parent of nested hwpts and vIOMMUs" },
	{ "dirty-tracking", 0, NULL,
	  "paging: with dirty tracking (see 'hwpt dirty')" },
	{ "fault", 0, "FAULT", "deliver I/O page faults to this fault queue" },
	{ "pasid", 0, NULL, "usable for PASID attachment (6.15)" },
	{ "data-type", 0, "TYPE",
	  "nested data: selftest, vtd-s1 or arm-smmuv3" },
	{ "iotlb", 0, "N",
	  "selftest: initial value of the mock IOTLB entries (default 0xbadbeef)" },
	{ "pgtbl-addr", 0, "ADDR",
	  "vtd-s1: guest stage-1 page table root (GPA)" },
	{ "addr-width", 0, "48|57",
	  "vtd-s1: stage-1 address width (default 48)" },
	{ "sre", 0, NULL, "vtd-s1: supervisor requests enabled" },
	{ "eafe", 0, NULL, "vtd-s1: extended access flag enabled" },
	{ "wpe", 0, NULL, "vtd-s1: write protect enabled" },
	{ "ste", 0, "DW0,DW1",
	  "arm-smmuv3: the first two words of the guest STE" },
	{ "name", 'n', "NAME", "name the hwpt" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help hwpt_alloc_help = {
	.synopsis =
		"--device DEVICE (--ioas IOAS | --parent HWPT|VIOMMU) [--nest-parent]\n"
		"       [--dirty-tracking] [--fault FAULT] [--pasid] [--data-type TYPE]\n"
		"       [--iotlb N] [--pgtbl-addr ADDR [--addr-width 48|57] [--sre] [--eafe] [--wpe]]\n"
		"       [--ste DW0,DW1] [--name NAME]",
	.description =
		"Allocate a hardware page table (IOMMU_HWPT_ALLOC) for a device. With\n"
		"--ioas it is a paging hwpt over the IOAS; with --parent a nested\n"
		"(stage-1) hwpt over a nest-parent hwpt or a vIOMMU, built from driver\n"
		"data: selftest (the mock: --iotlb), vtd-s1 (Intel stage 1:\n"
		"--pgtbl-addr, --addr-width, --sre, --eafe, --wpe) or arm-smmuv3 (a\n"
		"guest STE: --ste; the parent must be a vIOMMU). The data type is\n"
		"taken from these options, or is selftest for a mock device.",
	.opts = hwpt_alloc_opts,
};

enum { DATA_SELFTEST_OPT = 1, DATA_VTD_OPT = 2, DATA_SMMU_OPT = 4 };

static int do_hwpt_alloc(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_hwpt_args a = { 0 };
	struct iommuctl_session *s;
	struct iommuctl_obj *o;
	const char *dev_ref = NULL, *ioas_ref = NULL, *parent_ref = NULL,
		   *fault_ref = NULL;
	const char *name = NULL;
	struct selftest_data st = { SELFTEST_IOTLB_DEFAULT };
	struct vtd_s1_data vtd = { .addr_width = 48 };
	struct smmuv3_pair ste = { { 0, 0 } };
	unsigned int data_opts = 0;
	bool have_type = false, have_pgtbl = false;
	uint32_t type = 0, v32 = 0;
	struct optparse p;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &hwpt_alloc_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		switch (opt) {
		case 0:
			dev_ref = p.arg;
			break;
		case 1:
			ioas_ref = p.arg;
			break;
		case 2:
			parent_ref = p.arg;
			break;
		case 3:
			a.flags |= IOMMUCTL_HWPT_NEST_PARENT;
			break;
		case 4:
			a.flags |= IOMMUCTL_HWPT_DIRTY_TRACKING;
			break;
		case 5:
			fault_ref = p.arg;
			break;
		case 6:
			a.flags |= IOMMUCTL_HWPT_PASID;
			break;
		case 7:
			rc = type_arg(c, "--data-type", p.arg, data_types,
				      &type);
			have_type = true;
			break;
		case 8:
			rc = u32_arg(c, "--iotlb", p.arg, &st.iotlb);
			data_opts |= DATA_SELFTEST_OPT;
			break;
		case 9:
			rc = size_arg(c, "--pgtbl-addr", p.arg,
				      &vtd.pgtbl_addr);
			have_pgtbl = true;
			data_opts |= DATA_VTD_OPT;
			break;
		case 10:
			rc = u32_arg(c, "--addr-width", p.arg, &v32);
			if (rc < 0 && v32 != 48 && v32 != 57)
				rc = cmd_usage_error(
					c,
					"--addr-width: VT-d stage-1 tables are 48 or 57 bits wide");
			vtd.addr_width = v32;
			data_opts |= DATA_VTD_OPT;
			break;
		case 11:
			vtd.flags |= VTD_S1_SRE;
			data_opts |= DATA_VTD_OPT;
			break;
		case 12:
			vtd.flags |= VTD_S1_EAFE;
			data_opts |= DATA_VTD_OPT;
			break;
		case 13:
			vtd.flags |= VTD_S1_WPE;
			data_opts |= DATA_VTD_OPT;
			break;
		case 14:
			rc = pair_arg(c, "--ste", p.arg, &ste);
			data_opts |= DATA_SMMU_OPT;
			break;
		case 15:
			name = p.arg;
			break;
		}
		if (rc >= 0) {
			optparse_fini(&p);
			return rc;
		}
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	if (!dev_ref)
		return cmd_usage_error(c, "--device is required");
	if (!ioas_ref == !parent_ref)
		return cmd_usage_error(
			c,
			"give --ioas (a paging hwpt) or --parent (a nested one)");
	if (ioas_ref && (have_type || data_opts))
		return cmd_usage_error(
			c, "a paging hwpt (--ioas) takes no driver data; "
			   "--data-type and its options need --parent");
	if (parent_ref && (a.flags & (IOMMUCTL_HWPT_NEST_PARENT |
				      IOMMUCTL_HWPT_DIRTY_TRACKING)))
		return cmd_usage_error(
			c,
			"--nest-parent and --dirty-tracking are for paging hwpts (--ioas)");
	if (data_opts & (data_opts - 1))
		return cmd_usage_error(
			c,
			"--iotlb (selftest), the vtd-s1 options and --ste (arm-smmuv3) exclude each other");
	if (!have_type && data_opts)
		type = data_opts == DATA_SELFTEST_OPT ?
			       IOMMUCTL_HWPT_DATA_SELFTEST :
		       data_opts == DATA_VTD_OPT ?
			       IOMMUCTL_HWPT_DATA_VTD_S1 :
			       IOMMUCTL_HWPT_DATA_ARM_SMMUV3;
	if (have_type || data_opts) {
		unsigned int want = type == IOMMUCTL_HWPT_DATA_SELFTEST ?
					    DATA_SELFTEST_OPT :
				    type == IOMMUCTL_HWPT_DATA_VTD_S1 ?
					    DATA_VTD_OPT :
					    DATA_SMMU_OPT;

		if (data_opts && data_opts != want)
			return cmd_usage_error(
				c,
				"those options do not go with --data-type %s",
				data_type_word(type));
		if (type == IOMMUCTL_HWPT_DATA_VTD_S1 && !have_pgtbl)
			return cmd_usage_error(
				c,
				"vtd-s1 needs --pgtbl-addr (the guest's stage-1 root)");
		if (type == IOMMUCTL_HWPT_DATA_ARM_SMMUV3 && !data_opts)
			return cmd_usage_error(
				c,
				"arm-smmuv3 needs --ste DW0,DW1 (the guest STE)");
	}
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	rc = name_free(c, s, name);
	if (rc >= 0)
		return rc;
	rc = obj_arg(c, dev_ref, OBJ_MASK(IOMMUCTL_OBJ_DEVICE), &a.device);
	if (rc >= 0)
		return rc;
	if (ioas_ref) {
		rc = obj_arg(c, ioas_ref, OBJ_MASK(IOMMUCTL_OBJ_IOAS), &a.pt);
		if (rc >= 0)
			return rc;
	} else {
		enum iommuctl_obj_type t;

		rc = obj_arg(c, parent_ref, 0, &a.pt);
		if (rc >= 0)
			return rc;
		t = iommuctl_obj_get_type(a.pt);
		if (t != IOMMUCTL_OBJ_HWPT_PAGING && t != IOMMUCTL_OBJ_VIOMMU)
			return cmd_error_on(
				c, iommuctl_obj_label(a.pt), EXIT_FAILED,
				EINVAL,
				"is %s %s; --parent takes a nest-parent hwpt or a viommu",
				t == IOMMUCTL_OBJ_IOAS ? "an" : "a",
				iommuctl_obj_type_name(t));
		if (!have_type && !data_opts) {
			if (!is_mock(a.device))
				return cmd_usage_error(
					c,
					"a nested hwpt needs driver data: give --data-type (vtd-s1, arm-smmuv3)");
			type = IOMMUCTL_HWPT_DATA_SELFTEST;
		}
		a.data_type = type;
		if (type == IOMMUCTL_HWPT_DATA_SELFTEST) {
			a.data = &st;
			a.data_len = sizeof(st);
		} else if (type == IOMMUCTL_HWPT_DATA_VTD_S1) {
			vtd.flags = htole64(vtd.flags);
			vtd.pgtbl_addr = htole64(vtd.pgtbl_addr);
			vtd.addr_width = htole32(vtd.addr_width);
			a.data = &vtd;
			a.data_len = sizeof(vtd);
		} else {
			a.data = &ste;
			a.data_len = sizeof(ste);
		}
	}
	if (fault_ref) {
		rc = obj_arg(c, fault_ref, OBJ_MASK(IOMMUCTL_OBJ_FAULT),
			     &a.fault);
		if (rc >= 0)
			return rc;
		a.flags |= IOMMUCTL_HWPT_FAULT;
	}
	rc = iommuctl_hwpt_alloc(s, &a, &o);
	if (rc == -EOPNOTSUPP && a.fault && ioas_ref &&
	    !(a.flags & IOMMUCTL_HWPT_NEST_PARENT))
		return lib_error(
			c, rc, "hwpt",
			"cannot allocate for %s (Linux 6.11 and 6.12 take a fault queue only for nested hwpts)",
			iommuctl_obj_label(a.device));
	if (rc < 0)
		return lib_error(c, rc, "hwpt", "cannot allocate for %s",
				 iommuctl_obj_label(a.device));
	return alloc_done(c, o, name, "created");
}

static const struct opt dirty_opts[] = {
	{ "enable", 0, NULL, "start dirty tracking (clears stale dirty bits)" },
	{ "disable", 0, NULL, "stop dirty tracking" },
	{ "read", 0, NULL, "read (and clear) the dirty bitmap of a range" },
	{ "iova", 'a', "ADDR", "first IOVA of the range" },
	{ "size", 's', "SIZE", "bytes" },
	{ "page-size", 0, "SIZE",
	  "bytes per bit (default: the CPU page size)" },
	{ "no-clear", 0, NULL, "read without clearing (before an unmap)" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help dirty_help = {
	.synopsis =
		"HWPT (--enable | --disable | --read --iova ADDR --size SIZE [--page-size SIZE] [--no-clear])",
	.description =
		"Dirty tracking of a paging hwpt allocated with --dirty-tracking:\n"
		"switch it on or off (IOMMU_HWPT_SET_DIRTY_TRACKING), or list the pages\n"
		"the device wrote in a mapped range (IOMMU_HWPT_GET_DIRTY_BITMAP).\n"
		"Reading clears what it reports unless --no-clear. The range must be\n"
		"mapped and aligned to the page size.",
	.opts = dirty_opts,
};

static uint64_t cpu_page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? (uint64_t)ps : 4096;
}

/* Page-aligned range arguments: usage error text or NULL. */
static const char *range_problem(uint64_t iova, uint64_t size, uint64_t ps)
{
	if (!size)
		return "--size must not be 0";
	if (!ps || (ps & (ps - 1)))
		return "--page-size must be a power of two";
	if (iova % ps || size % ps)
		return "--iova and --size must be multiples of the page size";
	if (iova + size - 1 < iova)
		return "the range runs past the end of the 64-bit IOVA space";
	if (size / ps > (1ULL << 27))
		return "the range has more than 2^27 pages; read it in parts";
	return NULL;
}

static int do_hwpt_dirty(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_obj *o;
	struct optparse p;
	uint64_t iova = 0, size = 0, ps = cpu_page_size(), bits, i, *bm;
	bool enable = false, disable = false, rd = false, no_clear = false;
	bool have_iova = false, range_opts = false;
	const char *why;
	size_t words;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &dirty_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		switch (opt) {
		case 0:
			enable = true;
			break;
		case 1:
			disable = true;
			break;
		case 2:
			rd = true;
			break;
		case 3:
			rc = size_arg(c, "--iova", p.arg, &iova);
			have_iova = range_opts = true;
			break;
		case 4:
			rc = size_arg(c, "--size", p.arg, &size);
			range_opts = true;
			break;
		case 5:
			rc = size_arg(c, "--page-size", p.arg, &ps);
			range_opts = true;
			break;
		case 6:
			no_clear = range_opts = true;
			break;
		}
		if (rc >= 0) {
			optparse_fini(&p);
			return rc;
		}
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc != 1)
		return cmd_usage_error(c, "give one hwpt");
	if (enable + disable + rd != 1)
		return cmd_usage_error(
			c, "give one of --enable, --disable and --read");
	if (!rd && range_opts)
		return cmd_usage_error(
			c,
			"--iova, --size, --page-size and --no-clear go with --read");
	if (rd && (!have_iova || !size))
		return cmd_usage_error(c, "--read needs --iova and --size");
	if (rd && (why = range_problem(iova, size, ps)))
		return cmd_usage_error(c, "%s", why);
	rc = obj_arg(c, p.argv[0], OBJ_MASK_HWPT, &o);
	if (rc >= 0)
		return rc;
	if (!rd) {
		rc = iommuctl_hwpt_set_dirty_tracking(o, enable);
		if (rc < 0)
			return lib_error(c, rc, iommuctl_obj_label(o),
					 "cannot %s dirty tracking",
					 enable ? "enable" : "disable");
		if (c->json) {
			struct json_object *j = json_object_new_object();

			json_object_object_add(
				j, "hwpt",
				json_object_new_int64(iommuctl_obj_get_id(o)));
			json_object_object_add(j, "dirty_tracking",
					       json_object_new_boolean(enable));
			json_print(c, j);
			json_object_put(j);
		} else {
			printf("dirty tracking %s for %s\n",
			       enable ? "on" : "off", iommuctl_obj_label(o));
		}
		return EXIT_OK;
	}
	bits = size / ps;
	words = (size_t)((bits + 63) / 64);
	bm = calloc(words, sizeof(*bm));
	if (!bm)
		return cmd_error(c, EXIT_FAILED, ENOMEM, "dirty bitmap");
	rc = iommuctl_hwpt_get_dirty_bitmap(o, iova, size, ps, no_clear, bm,
					    words);
	if (rc < 0) {
		free(bm);
		return lib_error(c, rc, iommuctl_obj_label(o),
				 "cannot read the dirty bitmap");
	}
	{
		struct json_object *j = json_object_new_object(),
				   *a = json_object_new_array();
		uint64_t n = 0;

		for (i = 0; i < bits; i++)
			if (bm[i / 64] & (1ULL << (i % 64))) {
				json_object_array_add(a,
						      json_hex(iova + i * ps));
				n++;
			}
		json_object_object_add(
			j, "hwpt",
			json_object_new_int64(iommuctl_obj_get_id(o)));
		json_object_object_add(j, "iova", json_hex(iova));
		json_object_object_add(j, "size",
				       json_object_new_int64((int64_t)size));
		json_object_object_add(j, "page_size",
				       json_object_new_int64((int64_t)ps));
		json_object_object_add(j, "dirty", a);
		json_object_object_add(j, "dirty_count",
				       json_object_new_int64((int64_t)n));
		if (c->json) {
			json_print(c, j);
		} else {
			printf("%s: %llu of %llu page(s) of %llu bytes dirty in 0x%llx-0x%llx%s\n",
			       iommuctl_obj_label(o), (unsigned long long)n,
			       (unsigned long long)bits, (unsigned long long)ps,
			       (unsigned long long)iova,
			       (unsigned long long)(iova + size - 1),
			       no_clear ? " (not cleared)" : "");
			for (i = 0; i < json_object_array_length(a); i++)
				printf("  %s\n",
				       json_object_get_string(
					       json_object_array_get_idx(a,
									 i)));
		}
		json_object_put(j);
	}
	free(bm);
	return EXIT_OK;
}

static const struct opt mark_dirty_opts[] = {
	{ "iova", 'a', "ADDR", "first IOVA" },
	{ "size", 's', "SIZE", "bytes" },
	{ "page-size", 0, "SIZE",
	  "mark one page of this size at a time (default: the CPU page size)" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help mark_dirty_help = {
	.synopsis = "HWPT --iova ADDR --size SIZE [--page-size SIZE]",
	.description =
		"Mock only: make the selftest mock mark pages dirty, so dirty tracking\n"
		"can be tested without hardware (IOMMU_TEST_OP_DIRTY). Every page of\n"
		"--page-size in the range is marked as if the device had written its\n"
		"first bytes. The hwpt must belong to a mock device, be mapped there\n"
		"and have dirty tracking on ('hwpt dirty HWPT --enable').",
	.opts = mark_dirty_opts,
};

static int do_hwpt_mark_dirty(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_obj *o;
	struct optparse p;
	uint64_t iova = 0, size = 0, ps = cpu_page_size(), unit, step, bits, i,
		 nr = 0, *bm;
	bool have_iova = false;
	const char *why;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &mark_dirty_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		if (opt == 0) {
			rc = size_arg(c, "--iova", p.arg, &iova);
			have_iova = true;
		} else if (opt == 1) {
			rc = size_arg(c, "--size", p.arg, &size);
		} else {
			rc = size_arg(c, "--page-size", p.arg, &ps);
		}
		if (rc >= 0) {
			optparse_fini(&p);
			return rc;
		}
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc != 1)
		return cmd_usage_error(c, "give one hwpt");
	if (!have_iova || !size)
		return cmd_usage_error(c, "--iova and --size are required");
	why = range_problem(iova, size, ps);
	if (why)
		return cmd_usage_error(c, "%s", why);
	rc = obj_arg(c, p.argv[0], OBJ_MASK_HWPT, &o);
	if (rc >= 0)
		return rc;
	/*
	 * The mock's page table has entries of half a CPU page, and the test
	 * command (up to 6.18) looks pages up as IOVA / page_size: only the
	 * mock's own page size finds the right entries. So mark at that size,
	 * one entry at the start of each page of --page-size.
	 */
	unit = cpu_page_size() / 2;
	if (!unit || ps % unit)
		unit = ps;
	step = ps / unit;
	bits = size / unit;
	bm = calloc((size_t)((bits + 63) / 64), sizeof(*bm));
	if (!bm)
		return cmd_error(c, EXIT_FAILED, ENOMEM, "dirty bitmap");
	for (i = 0; i < bits; i += step)
		bm[i / 64] |= 1ULL << (i % 64);
	rc = iommuctl_mock_set_dirty(o, iova, size, unit, bm, &nr);
	free(bm);
	if (rc == -EINVAL)
		return cmd_error_on(
			c, iommuctl_obj_label(o), EXIT_FAILED, EINVAL,
			"cannot mark pages dirty: dirty tracking is off ('hwpt dirty %s --enable'), "
			"or the hwpt is not a mock device's, or the range is not mapped in it",
			p.argv[0]);
	if (rc < 0)
		return lib_error(c, rc, iommuctl_obj_label(o),
				 "cannot mark pages dirty");
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(
			j, "hwpt",
			json_object_new_int64(iommuctl_obj_get_id(o)));
		json_object_object_add(j, "iova", json_hex(iova));
		json_object_object_add(j, "size",
				       json_object_new_int64((int64_t)size));
		json_object_object_add(j, "page_size",
				       json_object_new_int64((int64_t)ps));
		json_object_object_add(j, "nr_dirty",
				       json_object_new_int64((int64_t)nr));
		json_print(c, j);
		json_object_put(j);
	} else {
		printf("the mock marked %llu page(s) dirty in %s\n",
		       (unsigned long long)nr, iommuctl_obj_label(o));
	}
	return EXIT_OK;
}

static const struct opt invalidate_opts[] = {
	{ "all", 0, NULL, "selftest, vtd-s1: invalidate everything" },
	{ "iotlb-id", 0, "N",
	  "selftest: the mock IOTLB (hwpt) or cache (vIOMMU) entry 0-3; repeatable" },
	{ "virt-id", 0, "N", "selftest vIOMMU: the virtual id of the vDEVICE" },
	{ "addr", 0, "ADDR", "vtd-s1: first address (4 KiB aligned)" },
	{ "npages", 0, "N", "vtd-s1: number of 4 KiB pages" },
	{ "leaf", 0, NULL, "vtd-s1: only leaf entries changed" },
	{ "cmd", 0, "DW0,DW1",
	  "arm-smmuv3 vIOMMU: a CMDQ command; repeatable" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help invalidate_help = {
	.synopsis =
		"HWPT|VIOMMU [--all | --iotlb-id N ...] [--virt-id N] (selftest)\n"
		"       [--all | --addr ADDR --npages N] [--leaf] (vtd-s1)\n"
		"       [--cmd DW0,DW1 ...] (arm-smmuv3)",
	.description =
		"Flush caches of a nested hwpt or a vIOMMU after the guest changed its\n"
		"page tables (IOMMU_HWPT_INVALIDATE). The request format follows the\n"
		"object: the nested hwpt's data type, or the vIOMMU's type. Prints how\n"
		"many requests the kernel handled.",
	.opts = invalidate_opts,
};

static int do_hwpt_invalidate(int argc, char **argv, struct cmdctx *c)
{
	uint32_t iotlb_ids[MAX_ENTRIES], virt_id = 0, data_type, entry_len,
					 num = 0, asked;
	struct smmuv3_pair cmds[MAX_ENTRIES];
	union {
		struct selftest_inv st[MAX_ENTRIES];
		struct viommu_selftest_inv vst[MAX_ENTRIES];
		struct vtd_s1_inv vtd[1];
	} e;
	struct iommuctl_obj_info in;
	struct iommuctl_obj *o;
	struct optparse p;
	uint64_t addr = 0, npages = 0;
	unsigned int n_ids = 0, n_cmds = 0, i;
	bool all = false, leaf = false, have_virt = false, have_addr = false,
	     have_np = false;
	const char *kind;
	int opt, rc;

	memset(&e, 0, sizeof(e));
	optparse_init(&p, c, argc, argv, &invalidate_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		switch (opt) {
		case 0:
			all = true;
			break;
		case 1:
			if (n_ids == MAX_ENTRIES) {
				rc = cmd_usage_error(c, "at most %d --iotlb-id",
						     MAX_ENTRIES);
				break;
			}
			rc = u32_arg(c, "--iotlb-id", p.arg,
				     &iotlb_ids[n_ids++]);
			break;
		case 2:
			rc = u32_arg(c, "--virt-id", p.arg, &virt_id);
			have_virt = true;
			break;
		case 3:
			rc = size_arg(c, "--addr", p.arg, &addr);
			have_addr = true;
			break;
		case 4:
			rc = num_arg(c, "--npages", p.arg, UINT64_MAX, &npages);
			have_np = true;
			break;
		case 5:
			leaf = true;
			break;
		case 6:
			if (n_cmds == MAX_ENTRIES) {
				rc = cmd_usage_error(c, "at most %d --cmd",
						     MAX_ENTRIES);
				break;
			}
			rc = pair_arg(c, "--cmd", p.arg, &cmds[n_cmds++]);
			break;
		}
		if (rc >= 0) {
			optparse_fini(&p);
			return rc;
		}
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc != 1)
		return cmd_usage_error(c, "give one nested hwpt or vIOMMU");
	if (all && (n_ids || have_addr || have_np))
		return cmd_usage_error(
			c, "--all excludes --iotlb-id, --addr and --npages");
	rc = obj_arg(c, p.argv[0], 0, &o);
	if (rc >= 0)
		return rc;
	iommuctl_obj_get_info(o, &in);
	if (in.type != IOMMUCTL_OBJ_HWPT_NESTED &&
	    in.type != IOMMUCTL_OBJ_VIOMMU)
		return cmd_error_on(
			c, iommuctl_obj_label(o), EXIT_FAILED, EINVAL,
			"is %s %s; only nested hwpts and vIOMMUs take invalidations",
			in.type == IOMMUCTL_OBJ_IOAS ? "an" : "a",
			iommuctl_obj_type_name(in.type));
	if (in.type == IOMMUCTL_OBJ_HWPT_NESTED &&
	    in.kind == IOMMUCTL_HWPT_DATA_SELFTEST) {
		kind = "selftest";
		if (have_virt || have_addr || have_np || leaf || n_cmds)
			return cmd_usage_error(
				c, "a selftest hwpt takes --all or --iotlb-id");
		if (!all && !n_ids)
			return cmd_usage_error(c, "give --all or --iotlb-id N");
		for (i = 0; i < n_ids; i++)
			if (iotlb_ids[i] > SELFTEST_IOTLB_ID_MAX)
				return cmd_usage_error(
					c,
					"--iotlb-id: the mock has entries 0 to %d",
					SELFTEST_IOTLB_ID_MAX);
		if (all) {
			e.st[0].flags = 1;
			num = 1;
		}
		for (i = 0; i < n_ids; i++)
			e.st[num++].iotlb_id = iotlb_ids[i];
		data_type = IOMMUCTL_INVALIDATE_SELFTEST;
		entry_len = sizeof(e.st[0]);
	} else if (in.type == IOMMUCTL_OBJ_HWPT_NESTED &&
		   in.kind == IOMMUCTL_HWPT_DATA_VTD_S1) {
		kind = "vtd-s1";
		if (have_virt || n_ids || n_cmds)
			return cmd_usage_error(
				c,
				"a vtd-s1 hwpt takes --all, or --addr and --npages, and --leaf");
		if (!all && (!have_addr || !have_np || !npages))
			return cmd_usage_error(
				c,
				"give --all, or --addr and --npages (not 0)");
		if (!all && addr % 4096)
			return cmd_usage_error(c,
					       "--addr must be 4 KiB aligned");
		e.vtd[0].addr = htole64(all ? 0 : addr);
		e.vtd[0].npages = htole64(all ? UINT64_MAX : npages);
		e.vtd[0].flags = htole32(leaf ? 1 : 0);
		num = 1;
		data_type = IOMMUCTL_INVALIDATE_VTD_S1;
		entry_len = sizeof(e.vtd[0]);
	} else if (in.type == IOMMUCTL_OBJ_HWPT_NESTED) {
		return cmd_error_on(
			c, iommuctl_obj_label(o), EXIT_FAILED, EOPNOTSUPP,
			"has %s data; invalidate its vIOMMU instead%s%s",
			data_type_word(in.kind), in.parent ? " (" : "",
			in.parent ? iommuctl_obj_label(in.parent) : "");
	} else if (in.kind == IOMMUCTL_VIOMMU_SELFTEST) {
		kind = "selftest";
		if (have_addr || have_np || leaf || n_cmds)
			return cmd_usage_error(
				c,
				"a selftest vIOMMU takes --virt-id with --all or --iotlb-id");
		if (!have_virt || (!all && !n_ids))
			return cmd_usage_error(
				c,
				"give --virt-id N (the vDEVICE) and --all or --iotlb-id N");
		for (i = 0; i < n_ids; i++)
			if (iotlb_ids[i] > SELFTEST_IOTLB_ID_MAX)
				return cmd_usage_error(
					c,
					"--iotlb-id: the mock has cache entries 0 to %d",
					SELFTEST_IOTLB_ID_MAX);
		if (all) {
			e.vst[0].flags = 1;
			e.vst[0].vdev_id = virt_id;
			num = 1;
		}
		for (i = 0; i < n_ids; i++) {
			e.vst[num].vdev_id = virt_id;
			e.vst[num++].cache_id = iotlb_ids[i];
		}
		data_type = IOMMUCTL_INVALIDATE_SELFTEST;
		entry_len = sizeof(e.vst[0]);
	} else {
		kind = "arm-smmuv3";
		if (all || n_ids || have_virt || have_addr || have_np || leaf)
			return cmd_usage_error(
				c, "an %s vIOMMU takes --cmd DW0,DW1",
				viommu_type_name(in.kind));
		if (!n_cmds)
			return cmd_usage_error(
				c, "give --cmd DW0,DW1 (SMMUv3 CMDQ commands)");
		num = n_cmds;
		data_type = IOMMUCTL_INVALIDATE_ARM_SMMUV3;
		entry_len = sizeof(cmds[0]);
	}
	asked = num;
	rc = iommuctl_hwpt_invalidate(
		o, data_type,
		data_type == IOMMUCTL_INVALIDATE_ARM_SMMUV3 ?
			(const void *)cmds :
			(const void *)&e,
		entry_len, &num);
	if (rc < 0)
		return lib_error(c, rc, iommuctl_obj_label(o),
				 "cannot invalidate");
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(
			j, in.type == IOMMUCTL_OBJ_VIOMMU ? "viommu" : "hwpt",
			json_object_new_int64(in.id));
		json_object_object_add(j, "data_type",
				       json_object_new_string(kind));
		json_object_object_add(j, "requests",
				       json_object_new_int64(asked));
		json_object_object_add(j, "handled",
				       json_object_new_int64(num));
		json_print(c, j);
		json_object_put(j);
	} else {
		printf("%s: the kernel handled %u of %u %s invalidation request(s)\n",
		       iommuctl_obj_label(o), num, asked, kind);
	}
	return EXIT_OK;
}

static const struct verb_help hwpt_destroy_help = {
	.synopsis = "HWPT",
	.description =
		"Destroy a hwpt (IOMMU_DESTROY). Refused while a device is attached to\n"
		"it or a nested hwpt or vIOMMU sits on it; the message names them.",
	.opts = no_opts,
};

static int do_hwpt_destroy(int argc, char **argv, struct cmdctx *c)
{
	return destroy_obj_cmd(c, argc, argv, &hwpt_destroy_help,
			       OBJ_MASK_HWPT);
}

static const struct cmd hwpt_cmds[] = {
	{ "show", do_hwpt_show, "the session's hardware page tables" },
	{ "alloc", do_hwpt_alloc, "allocate a paging or nested hwpt" },
	{ "dirty", do_hwpt_dirty,
	  "dirty tracking on/off, read the dirty pages" },
	{ "mark-dirty", do_hwpt_mark_dirty, "mock only: mark pages dirty" },
	{ "invalidate", do_hwpt_invalidate,
	  "flush a nested hwpt's or vIOMMU's caches" },
	{ "destroy", do_hwpt_destroy, "destroy a hwpt" },
	{ NULL, NULL, NULL },
};

int cmd_hwpt(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(hwpt_cmds, argc, argv, c);
}

/* ---- fault ----------------------------------------------------------------- */

static const struct column fault_cols[] = {
	{ "ID", "id", COL_RIGHT }, { "NAME", "name", 0 },
	{ "FD", "fd", COL_RIGHT }, { "USED BY", "users", 0 },
	{ NULL, NULL, 0 },
};
static const struct show_spec fault_spec = {
	"fault_queues",
	"fault queue",
	OBJ_MASK(IOMMUCTL_OBJ_FAULT),
	fault_cols,
};
static const struct verb_help fault_show_help = {
	.synopsis = "[FAULT]",
	.description =
		"Show the session's I/O page fault queues and the hwpts that use them.",
	.opts = no_opts,
};

static int do_fault_show(int argc, char **argv, struct cmdctx *c)
{
	return show_objs(argc, argv, c, &fault_show_help, &fault_spec);
}

static const struct opt name_only_opts[] = {
	{ "name", 'n', "NAME", "name the object" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help fault_create_help = {
	.synopsis = "[--name NAME]",
	.description =
		"Allocate an I/O page fault queue (IOMMU_FAULT_QUEUE_ALLOC, 6.11).\n"
		"Give it to 'hwpt alloc --fault'; faults of devices attached to that\n"
		"hwpt are then read with 'fault read' and answered with 'fault respond'.",
	.opts = name_only_opts,
};

static int do_fault_create(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_session *s;
	struct iommuctl_obj *o;
	const char *name = NULL;
	struct optparse p;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &fault_create_help);
	while ((opt = optparse_next(&p)) >= 0)
		name = p.arg;
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	rc = name_free(c, s, name);
	if (rc >= 0)
		return rc;
	rc = iommuctl_fault_alloc(s, &o);
	if (rc < 0)
		return lib_error(c, rc, "fault",
				 "cannot allocate a fault queue");
	return alloc_done(c, o, name, "created");
}

static const struct opt fault_read_opts[] = {
	{ "timeout", 't', "MS",
	  "wait this long for a first fault (default 0: do not wait)" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help fault_read_help = {
	.synopsis = "FAULT [--timeout MS]",
	.description =
		"Read the pending page faults of a queue: device, PASID, page request\n"
		"group, permissions asked, address and the cookie to answer with.",
	.opts = fault_read_opts,
};

static struct json_object *perm_json(uint32_t perm)
{
	static const char *const names[] = { "read", "write", "exec", "priv" };
	struct json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < 4; i++)
		if (perm & (1u << i))
			json_object_array_add(a,
					      json_object_new_string(names[i]));
	return a;
}

static int do_fault_read(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_fault_record recs[64];
	struct json_object *j, *a;
	struct iommuctl_obj *o;
	struct optparse p;
	uint64_t timeout = 0;
	size_t n = 0, i;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &fault_read_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = num_arg(c, "--timeout", p.arg, INT_MAX, &timeout);
		if (rc >= 0) {
			optparse_fini(&p);
			return rc;
		}
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc != 1)
		return cmd_usage_error(c, "give one fault queue");
	rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_FAULT), &o);
	if (rc >= 0)
		return rc;
	rc = iommuctl_fault_read(o, recs, sizeof(recs) / sizeof(recs[0]), &n,
				 (int)timeout);
	if (rc < 0)
		return lib_error(c, rc, iommuctl_obj_label(o),
				 "cannot read faults");
	j = json_object_new_object();
	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_new_object(),
				   *f = json_object_new_array();

		json_object_object_add(e, "dev_id",
				       json_object_new_int64(recs[i].dev_id));
		json_object_object_add(e, "pasid",
				       json_object_new_int64(recs[i].pasid));
		json_object_object_add(e, "grpid",
				       json_object_new_int64(recs[i].grpid));
		json_object_object_add(e, "perm", perm_json(recs[i].perm));
		json_object_object_add(e, "addr", json_hex(recs[i].addr));
		json_object_object_add(e, "length",
				       json_object_new_int64(recs[i].length));
		if (recs[i].flags & 1)
			json_object_array_add(
				f, json_object_new_string("pasid-valid"));
		if (recs[i].flags & 2)
			json_object_array_add(
				f, json_object_new_string("last-page"));
		json_object_object_add(e, "flags", f);
		json_object_object_add(e, "cookie",
				       json_object_new_int64(recs[i].cookie));
		json_object_array_add(a, e);
	}
	json_object_object_add(j, "fault",
			       json_object_new_int64(iommuctl_obj_get_id(o)));
	json_object_object_add(j, "faults", a);
	if (c->json) {
		json_print(c, j);
	} else if (!n) {
		printf("no pending faults on %s\n", iommuctl_obj_label(o));
	} else {
		static const struct column cols[] = {
			{ "DEV", "dev_id", COL_RIGHT },
			{ "PASID", "pasid", COL_RIGHT },
			{ "GROUP", "grpid", COL_RIGHT },
			{ "PERM", "perm", 0 },
			{ "ADDR", "addr", 0 },
			{ "FLAGS", "flags", 0 },
			{ "COOKIE", "cookie", COL_RIGHT },
			{ NULL, NULL, 0 },
		};

		printf("%s: %zu fault(s)\n", iommuctl_obj_label(o), n);
		table_print(stdout, a, cols, "  ");
	}
	json_object_put(j);
	return EXIT_OK;
}

static const struct opt fault_respond_opts[] = {
	{ "cookie", 0, "N",
	  "the cookie of the fault group (from 'fault read')" },
	{ "invalid", 0, NULL,
	  "answer INVALID (the device sees the access fail) instead of SUCCESS" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help fault_respond_help = {
	.synopsis = "FAULT --cookie N [--invalid]",
	.description =
		"Answer a fault group: SUCCESS (retry, the page is there now) or\n"
		"INVALID. Faults left unanswered are answered by the kernel when the\n"
		"hwpt is replaced or detached.",
	.opts = fault_respond_opts,
};

static int do_fault_respond(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_obj *o;
	struct optparse p;
	uint32_t cookie = 0;
	bool have_cookie = false, invalid = false;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &fault_respond_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		if (opt == 0) {
			rc = u32_arg(c, "--cookie", p.arg, &cookie);
			have_cookie = true;
		} else {
			invalid = true;
		}
		if (rc >= 0) {
			optparse_fini(&p);
			return rc;
		}
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc != 1)
		return cmd_usage_error(c, "give one fault queue");
	if (!have_cookie)
		return cmd_usage_error(c, "--cookie is required");
	rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_FAULT), &o);
	if (rc >= 0)
		return rc;
	rc = iommuctl_fault_respond(o, cookie, invalid ? 1 : 0);
	if (rc < 0)
		return lib_error(c, rc, iommuctl_obj_label(o),
				 "cannot answer cookie %u", cookie);
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(
			j, "fault",
			json_object_new_int64(iommuctl_obj_get_id(o)));
		json_object_object_add(j, "cookie",
				       json_object_new_int64(cookie));
		json_object_object_add(
			j, "response",
			json_object_new_string(invalid ? "invalid" :
							 "success"));
		json_print(c, j);
		json_object_put(j);
	} else {
		printf("answered cookie %u on %s: %s\n", cookie,
		       iommuctl_obj_label(o), invalid ? "invalid" : "success");
	}
	return EXIT_OK;
}

static const struct opt fault_inject_opts[] = {
	{ "device", 'd', "DEVICE", "the mock device that faults" },
	{ "addr", 0, "ADDR", "faulting address" },
	{ "pasid", 0, "N", "PASID (default 0: none)" },
	{ "grpid", 0, "N", "page request group (default 0)" },
	{ "perm", 0, "r|w|rw", "access asked for (r, w, x, p; default rw)" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help fault_inject_help = {
	.synopsis =
		"--device DEVICE --addr ADDR [--pasid N] [--grpid N] [--perm r|w|rw]",
	.description =
		"Mock only: make a selftest mock device report an I/O page fault\n"
		"(IOMMU_TEST_OP_TRIGGER_IOPF). It reaches a fault queue when the device\n"
		"is attached to a hwpt allocated with --fault.",
	.opts = fault_inject_opts,
};

static int do_fault_inject(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_obj *dev;
	const char *dev_ref = NULL;
	struct optparse p;
	uint64_t addr = 0;
	uint32_t pasid = 0, grpid = 0, perm = 3;
	bool have_addr = false;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &fault_inject_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		switch (opt) {
		case 0:
			dev_ref = p.arg;
			break;
		case 1:
			rc = size_arg(c, "--addr", p.arg, &addr);
			have_addr = true;
			break;
		case 2:
			rc = u32_arg(c, "--pasid", p.arg, &pasid);
			break;
		case 3:
			rc = u32_arg(c, "--grpid", p.arg, &grpid);
			break;
		case 4:
			rc = fault_perm_arg(c, p.arg, &perm);
			break;
		}
		if (rc >= 0) {
			optparse_fini(&p);
			return rc;
		}
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	if (!dev_ref || !have_addr)
		return cmd_usage_error(c, "--device and --addr are required");
	rc = mock_arg(c, dev_ref, &dev);
	if (rc >= 0)
		return rc;
	rc = iommuctl_mock_trigger_iopf(dev, pasid, grpid, perm, addr);
	if (rc == -EOPNOTSUPP)
		return cmd_error_on(
			c, iommuctl_obj_label(dev), EXIT_UNAVAILABLE,
			EOPNOTSUPP,
			"cannot inject a page fault: this kernel's selftest has no TRIGGER_IOPF (added in Linux 6.11)");
	if (rc < 0)
		return lib_error(c, rc, iommuctl_obj_label(dev),
				 "cannot inject a page fault");
	{
		struct iommuctl_obj_info in, hw;

		iommuctl_obj_get_info(dev, &in);
		iommuctl_obj_get_info(in.attached, &hw);
		if (!in.attached || !(hw.flags & IOMMUCTL_HWPT_FAULT))
			fprintf(stderr,
				"iommuctl: note: %s is attached to %s, which has no fault queue: "
				"the kernel dropped the fault\n",
				iommuctl_obj_label(dev),
				iommuctl_obj_label(in.attached));
	}
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(
			j, "device",
			json_object_new_int64(iommuctl_obj_get_id(dev)));
		json_object_object_add(j, "addr", json_hex(addr));
		json_object_object_add(j, "pasid",
				       json_object_new_int64(pasid));
		json_object_object_add(j, "grpid",
				       json_object_new_int64(grpid));
		json_object_object_add(j, "perm", perm_json(perm));
		json_print(c, j);
		json_object_put(j);
	} else {
		printf("%s reported a page fault at 0x%llx\n",
		       iommuctl_obj_label(dev), (unsigned long long)addr);
	}
	return EXIT_OK;
}

static const struct verb_help fault_destroy_help = {
	.synopsis = "FAULT",
	.description =
		"Destroy a fault queue (its fd is closed first). Refused while a hwpt\n"
		"delivers faults to it.",
	.opts = no_opts,
};

static int do_fault_destroy(int argc, char **argv, struct cmdctx *c)
{
	return destroy_obj_cmd(c, argc, argv, &fault_destroy_help,
			       OBJ_MASK(IOMMUCTL_OBJ_FAULT));
}

static const struct cmd fault_cmds[] = {
	{ "show", do_fault_show, "the session's fault queues" },
	{ "create", do_fault_create, "allocate a fault queue (6.11)" },
	{ "read", do_fault_read, "read pending page faults" },
	{ "respond", do_fault_respond, "answer a fault group" },
	{ "inject", do_fault_inject, "mock only: make a mock device fault" },
	{ "destroy", do_fault_destroy, "destroy a fault queue" },
	{ NULL, NULL, NULL },
};

int cmd_fault(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(fault_cmds, argc, argv, c);
}

/* ---- viommu ---------------------------------------------------------------- */

static const struct column viommu_cols[] = {
	{ "ID", "id", COL_RIGHT },
	{ "NAME", "name", 0 },
	{ "TYPE", "viommu_type", 0 },
	{ "PARENT", "parent", 0 },
	{ "DEVICE", "device", 0 },
	{ "USED BY", "users", 0 },
	{ NULL, NULL, 0 },
};
static const struct show_spec viommu_spec = {
	"viommus",
	"viommu",
	OBJ_MASK(IOMMUCTL_OBJ_VIOMMU),
	viommu_cols,
};
static const struct verb_help viommu_show_help = {
	.synopsis = "[VIOMMU]",
	.description =
		"Show the session's virtual IOMMUs, their nest-parent hwpt and what\n"
		"sits on them (vDEVICEs, vEVENTQs, HW queues, nested hwpts).",
	.opts = no_opts,
};

static int do_viommu_show(int argc, char **argv, struct cmdctx *c)
{
	return show_objs(argc, argv, c, &viommu_show_help, &viommu_spec);
}

static const struct opt viommu_alloc_opts[] = {
	{ "device", 'd', "DEVICE",
	  "a device behind the physical IOMMU to virtualise" },
	{ "hwpt", 0, "HWPT", "the nest-parent hwpt (stage 2) it sits on" },
	{ "type", 0, "TYPE", "selftest, arm-smmuv3 or tegra241-cmdqv" },
	{ "name", 'n', "NAME", "name the vIOMMU" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help viommu_alloc_help = {
	.synopsis =
		"--device DEVICE --hwpt HWPT --type selftest|arm-smmuv3|tegra241-cmdqv [--name NAME]",
	.description =
		"Allocate a virtual IOMMU (IOMMU_VIOMMU_ALLOC, Linux 6.13) over a\n"
		"nest-parent hwpt. Exit status 3 on kernels without the command.",
	.opts = viommu_alloc_opts,
};

static int do_viommu_alloc(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_obj *dev, *hwpt, *o;
	struct iommuctl_session *s;
	const char *dev_ref = NULL, *hwpt_ref = NULL, *name = NULL;
	bool have_type = false;
	struct optparse p;
	uint32_t type = 0;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &viommu_alloc_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		if (opt == 0)
			dev_ref = p.arg;
		else if (opt == 1)
			hwpt_ref = p.arg;
		else if (opt == 2) {
			rc = type_arg(c, "--type", p.arg, viommu_types, &type);
			have_type = true;
		} else
			name = p.arg;
		if (rc >= 0) {
			optparse_fini(&p);
			return rc;
		}
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	if (!dev_ref || !hwpt_ref || !have_type)
		return cmd_usage_error(
			c, "--device, --hwpt and --type are required");
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	rc = name_free(c, s, name);
	if (rc >= 0)
		return rc;
	/* the kernel lacks it: say so before looking at the arguments */
	rc = require_cmd(c, s, 0x90, "IOMMU_VIOMMU_ALLOC", "6.13");
	if (rc >= 0)
		return rc;
	rc = obj_arg(c, dev_ref, OBJ_MASK(IOMMUCTL_OBJ_DEVICE), &dev);
	if (rc >= 0)
		return rc;
	rc = obj_arg(c, hwpt_ref, OBJ_MASK(IOMMUCTL_OBJ_HWPT_PAGING), &hwpt);
	if (rc >= 0)
		return rc;
	rc = iommuctl_viommu_alloc(s, dev, hwpt, type, &o);
	if (rc < 0)
		return lib_error(c, rc, "viommu", "cannot allocate");
	return alloc_done(c, o, name, "created");
}

static const struct verb_help viommu_destroy_help = {
	.synopsis = "VIOMMU",
	.description =
		"Destroy a vIOMMU. Refused while vDEVICEs, vEVENTQs, HW queues or\n"
		"nested hwpts sit on it.",
	.opts = no_opts,
};

static int do_viommu_destroy(int argc, char **argv, struct cmdctx *c)
{
	return destroy_obj_cmd(c, argc, argv, &viommu_destroy_help,
			       OBJ_MASK(IOMMUCTL_OBJ_VIOMMU));
}

static const struct cmd viommu_cmds[] = {
	{ "show", do_viommu_show, "the session's vIOMMUs" },
	{ "alloc", do_viommu_alloc, "allocate a vIOMMU (6.13)" },
	{ "destroy", do_viommu_destroy, "destroy a vIOMMU" },
	{ NULL, NULL, NULL },
};

int cmd_viommu(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(viommu_cmds, argc, argv, c);
}

/* ---- vdevice --------------------------------------------------------------- */

static const struct column vdevice_cols[] = {
	{ "ID", "id", COL_RIGHT },   { "NAME", "name", 0 },
	{ "VIOMMU", "parent", 0 },   { "DEVICE", "device", 0 },
	{ "VIRT-ID", "virt_id", 0 }, { NULL, NULL, 0 },
};
static const struct show_spec vdevice_spec = {
	"vdevices",
	"vdevice",
	OBJ_MASK(IOMMUCTL_OBJ_VDEVICE),
	vdevice_cols,
};
static const struct verb_help vdevice_show_help = {
	.synopsis = "[VDEVICE]",
	.description =
		"Show the session's vDEVICEs: a device's identity (virtual id) behind\n"
		"a vIOMMU.",
	.opts = no_opts,
};

static int do_vdevice_show(int argc, char **argv, struct cmdctx *c)
{
	return show_objs(argc, argv, c, &vdevice_show_help, &vdevice_spec);
}

static const struct opt vdevice_alloc_opts[] = {
	{ "viommu", 0, "VIOMMU", "the vIOMMU" },
	{ "device", 'd', "DEVICE", "the physical device" },
	{ "virt-id", 0, "N", "its id as the guest sees it (vSID, vRID, ...)" },
	{ "name", 'n', "NAME", "name the vDEVICE" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help vdevice_alloc_help = {
	.synopsis = "--viommu VIOMMU --device DEVICE --virt-id N [--name NAME]",
	.description =
		"Tell a vIOMMU a device's virtual id (IOMMU_VDEVICE_ALLOC, Linux\n"
		"6.13). Exit status 3 on kernels without the command.",
	.opts = vdevice_alloc_opts,
};

static int do_vdevice_alloc(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_obj *viommu, *dev, *o;
	struct iommuctl_session *s;
	const char *viommu_ref = NULL, *dev_ref = NULL, *name = NULL;
	bool have_virt = false;
	uint64_t virt_id = 0;
	struct optparse p;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &vdevice_alloc_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		if (opt == 0)
			viommu_ref = p.arg;
		else if (opt == 1)
			dev_ref = p.arg;
		else if (opt == 2) {
			rc = num_arg(c, "--virt-id", p.arg, UINT64_MAX,
				     &virt_id);
			have_virt = true;
		} else
			name = p.arg;
		if (rc >= 0) {
			optparse_fini(&p);
			return rc;
		}
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	if (!viommu_ref || !dev_ref || !have_virt)
		return cmd_usage_error(
			c, "--viommu, --device and --virt-id are required");
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	rc = name_free(c, s, name);
	if (rc >= 0)
		return rc;
	/* the kernel lacks it: say so before looking at the arguments */
	rc = require_cmd(c, s, 0x91, "IOMMU_VDEVICE_ALLOC", "6.13");
	if (rc >= 0)
		return rc;
	rc = obj_arg(c, viommu_ref, OBJ_MASK(IOMMUCTL_OBJ_VIOMMU), &viommu);
	if (rc >= 0)
		return rc;
	rc = obj_arg(c, dev_ref, OBJ_MASK(IOMMUCTL_OBJ_DEVICE), &dev);
	if (rc >= 0)
		return rc;
	rc = iommuctl_vdevice_alloc(viommu, dev, virt_id, &o);
	if (rc < 0)
		return lib_error(c, rc, "vdevice", "cannot allocate");
	return alloc_done(c, o, name, "created");
}

static const struct opt vdevice_inject_opts[] = {
	{ "device", 'd', "DEVICE", "the mock device" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help vdevice_inject_help = {
	.synopsis = "--device DEVICE",
	.description =
		"Mock only: make the vDEVICE of a selftest mock device raise a vIOMMU\n"
		"event (IOMMU_TEST_OP_TRIGGER_VEVENT, Linux 6.15); read it from the\n"
		"vIOMMU's selftest vEVENTQ with 'veventq read'.",
	.opts = vdevice_inject_opts,
};

static int do_vdevice_inject(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_obj *dev;
	const char *dev_ref = NULL;
	struct optparse p;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &vdevice_inject_help);
	while ((opt = optparse_next(&p)) >= 0)
		dev_ref = p.arg;
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	if (!dev_ref)
		return cmd_usage_error(c, "--device is required");
	rc = mock_arg(c, dev_ref, &dev);
	if (rc >= 0)
		return rc;
	rc = iommuctl_mock_trigger_vevent(dev);
	if (rc == -EOPNOTSUPP)
		return cmd_error_on(
			c, iommuctl_obj_label(dev), EXIT_UNAVAILABLE,
			EOPNOTSUPP,
			"cannot raise a vIOMMU event: this kernel's selftest has no TRIGGER_VEVENT (added in Linux 6.15)");
	if (rc == -ENOENT)
		return lib_error(
			c, rc, iommuctl_obj_label(dev),
			"cannot raise a vIOMMU event (the device needs a vDEVICE and must be attached to a nested hwpt allocated over that vIOMMU)");
	if (rc < 0)
		return lib_error(c, rc, iommuctl_obj_label(dev),
				 "cannot raise a vIOMMU event");
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(
			j, "device",
			json_object_new_int64(iommuctl_obj_get_id(dev)));
		json_object_object_add(j, "vevent",
				       json_object_new_boolean(true));
		json_print(c, j);
		json_object_put(j);
	} else {
		printf("%s raised a vIOMMU event\n", iommuctl_obj_label(dev));
	}
	return EXIT_OK;
}

static const struct verb_help vdevice_destroy_help = {
	.synopsis = "VDEVICE",
	.description = "Destroy a vDEVICE.",
	.opts = no_opts,
};

static int do_vdevice_destroy(int argc, char **argv, struct cmdctx *c)
{
	return destroy_obj_cmd(c, argc, argv, &vdevice_destroy_help,
			       OBJ_MASK(IOMMUCTL_OBJ_VDEVICE));
}

static const struct cmd vdevice_cmds[] = {
	{ "show", do_vdevice_show, "the session's vDEVICEs" },
	{ "alloc", do_vdevice_alloc,
	  "give a device a virtual id behind a vIOMMU (6.13)" },
	{ "inject", do_vdevice_inject,
	  "mock only: raise a vIOMMU event (6.15)" },
	{ "destroy", do_vdevice_destroy, "destroy a vDEVICE" },
	{ NULL, NULL, NULL },
};

int cmd_vdevice(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(vdevice_cmds, argc, argv, c);
}

/* ---- veventq --------------------------------------------------------------- */

static const struct column veventq_cols[] = {
	{ "ID", "id", COL_RIGHT },
	{ "NAME", "name", 0 },
	{ "VIOMMU", "parent", 0 },
	{ "TYPE", "veventq_type", 0 },
	{ "DEPTH", "depth", COL_RIGHT },
	{ "FD", "fd", COL_RIGHT },
	{ NULL, NULL, 0 },
};
static const struct show_spec veventq_spec = {
	"veventqs",
	"veventq",
	OBJ_MASK(IOMMUCTL_OBJ_VEVENTQ),
	veventq_cols,
};
static const struct verb_help veventq_show_help = {
	.synopsis = "[VEVENTQ]",
	.description = "Show the session's vIOMMU event queues.",
	.opts = no_opts,
};

static int do_veventq_show(int argc, char **argv, struct cmdctx *c)
{
	return show_objs(argc, argv, c, &veventq_show_help, &veventq_spec);
}

static const struct opt veventq_alloc_opts[] = {
	{ "viommu", 0, "VIOMMU", "the vIOMMU whose events it receives" },
	{ "type", 0, "TYPE", "selftest, arm-smmuv3 or tegra241-cmdqv" },
	{ "depth", 0, "N", "events it holds before dropping (not 0)" },
	{ "name", 'n', "NAME", "name the vEVENTQ" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help veventq_alloc_help = {
	.synopsis =
		"--viommu VIOMMU --type selftest|arm-smmuv3|tegra241-cmdqv --depth N [--name NAME]",
	.description =
		"Allocate a vIOMMU event queue (IOMMU_VEVENTQ_ALLOC, Linux 6.15); one\n"
		"per vIOMMU and type. Exit status 3 on kernels without the command.",
	.opts = veventq_alloc_opts,
};

static int do_veventq_alloc(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_obj *viommu, *o;
	struct iommuctl_session *s;
	const char *viommu_ref = NULL, *name = NULL;
	bool have_type = false, have_depth = false;
	uint32_t type = 0, depth = 0;
	struct optparse p;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &veventq_alloc_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		if (opt == 0)
			viommu_ref = p.arg;
		else if (opt == 1) {
			rc = type_arg(c, "--type", p.arg, veventq_types, &type);
			have_type = true;
		} else if (opt == 2) {
			rc = u32_arg(c, "--depth", p.arg, &depth);
			have_depth = true;
		} else
			name = p.arg;
		if (rc >= 0) {
			optparse_fini(&p);
			return rc;
		}
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	if (!viommu_ref || !have_type || !have_depth)
		return cmd_usage_error(
			c, "--viommu, --type and --depth are required");
	if (!depth)
		return cmd_usage_error(c, "--depth must not be 0");
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	rc = name_free(c, s, name);
	if (rc >= 0)
		return rc;
	/* the kernel lacks it: say so before looking at the arguments */
	rc = require_cmd(c, s, 0x93, "IOMMU_VEVENTQ_ALLOC", "6.15");
	if (rc >= 0)
		return rc;
	rc = obj_arg(c, viommu_ref, OBJ_MASK(IOMMUCTL_OBJ_VIOMMU), &viommu);
	if (rc >= 0)
		return rc;
	rc = iommuctl_veventq_alloc(viommu, type, depth, &o);
	if (rc < 0)
		return lib_error(c, rc, "veventq", "cannot allocate");
	return alloc_done(c, o, name, "created");
}

static const struct opt veventq_read_opts[] = {
	{ "timeout", 't', "MS",
	  "wait this long for a first event (default 0: do not wait)" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help veventq_read_help = {
	.synopsis = "VEVENTQ [--timeout MS]",
	.description =
		"Read the pending events of a vEVENTQ: sequence number, whether events\n"
		"were lost before it (the queue was full), and the payload (selftest:\n"
		"the vDEVICE's virtual id; arm-smmuv3: the 32-byte event record;\n"
		"tegra241-cmdqv: the 16-byte LVCMDQ error map) in hex.",
	.opts = veventq_read_opts,
};

static size_t veventq_payload(uint32_t type)
{
	switch (type) {
	case IOMMUCTL_VEVENTQ_SELFTEST:
		return 4;
	case IOMMUCTL_VEVENTQ_ARM_SMMUV3:
		return 32;
	case IOMMUCTL_VEVENTQ_TEGRA241_CMDQV:
		return 16;
	default:
		return 0;
	}
}

static int do_veventq_read(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_obj_info in;
	struct json_object *j, *a;
	struct iommuctl_obj *o;
	struct optparse p;
	uint64_t timeout = 0;
	unsigned char *buf;
	size_t len = 65536, got = 0, off, plen;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &veventq_read_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = num_arg(c, "--timeout", p.arg, INT_MAX, &timeout);
		if (rc >= 0) {
			optparse_fini(&p);
			return rc;
		}
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc != 1)
		return cmd_usage_error(c, "give one veventq");
	rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_VEVENTQ), &o);
	if (rc >= 0)
		return rc;
	iommuctl_obj_get_info(o, &in);
	plen = veventq_payload(in.kind);
	buf = malloc(len);
	if (!buf)
		return cmd_error(c, EXIT_FAILED, ENOMEM, "event buffer");
	rc = iommuctl_veventq_read(o, buf, len, &got, (int)timeout);
	if (rc < 0) {
		free(buf);
		return lib_error(c, rc, iommuctl_obj_label(o),
				 "cannot read events");
	}
	j = json_object_new_object();
	a = json_object_new_array();
	for (off = 0; off + 8 <= got;) {
		struct json_object *e = json_object_new_object();
		uint32_t flags, seq;
		size_t k, n;
		char *hex;

		memcpy(&flags, buf + off, 4);
		memcpy(&seq, buf + off + 4, 4);
		flags = le32toh(flags);
		seq = le32toh(seq);
		off += 8;
		/* a lost-events header carries no payload */
		n = flags & VEVENTQ_LOST_EVENTS ? 0 : plen;
		if (n > got - off)
			n = got - off;
		hex = calloc(1, 2 * n + 1);
		for (k = 0; hex && k < n; k++)
			snprintf(hex + 2 * k, 3, "%02x", buf[off + k]);
		json_object_object_add(e, "sequence",
				       json_object_new_int64(seq));
		json_object_object_add(
			e, "lost_events",
			json_object_new_boolean(flags & VEVENTQ_LOST_EVENTS));
		json_object_object_add(e, "payload",
				       json_object_new_string(hex ?: ""));
		if (in.kind == IOMMUCTL_VEVENTQ_SELFTEST && n == 4) {
			uint32_t virt;

			memcpy(&virt, buf + off, 4);
			json_object_object_add(e, "virt_id",
					       json_hex(le32toh(virt)));
		}
		free(hex);
		json_object_array_add(a, e);
		off += n;
		if (!plen && !(flags & VEVENTQ_LOST_EVENTS))
			break; /* unknown type: the payload size is unknown */
	}
	free(buf);
	json_object_object_add(j, "veventq", json_object_new_int64(in.id));
	json_object_object_add(j, "events", a);
	if (c->json) {
		json_print(c, j);
	} else if (!json_object_array_length(a)) {
		printf("no pending events on %s\n", iommuctl_obj_label(o));
	} else {
		static const struct column cols[] = {
			{ "SEQ", "sequence", COL_RIGHT },
			{ "LOST", "lost_events", 0 },
			{ "VIRT-ID", "virt_id", 0 },
			{ "PAYLOAD", "payload", 0 },
			{ NULL, NULL, 0 },
		};

		printf("%s: %zu event(s)\n", iommuctl_obj_label(o),
		       json_object_array_length(a));
		table_print(stdout, a, cols, "  ");
	}
	json_object_put(j);
	return EXIT_OK;
}

static const struct verb_help veventq_destroy_help = {
	.synopsis = "VEVENTQ",
	.description = "Destroy a vEVENTQ (its fd is closed first).",
	.opts = no_opts,
};

static int do_veventq_destroy(int argc, char **argv, struct cmdctx *c)
{
	return destroy_obj_cmd(c, argc, argv, &veventq_destroy_help,
			       OBJ_MASK(IOMMUCTL_OBJ_VEVENTQ));
}

static const struct cmd veventq_cmds[] = {
	{ "show", do_veventq_show, "the session's vIOMMU event queues" },
	{ "alloc", do_veventq_alloc, "allocate a vIOMMU event queue (6.15)" },
	{ "read", do_veventq_read, "read pending vIOMMU events" },
	{ "destroy", do_veventq_destroy, "destroy a vEVENTQ" },
	{ NULL, NULL, NULL },
};

int cmd_veventq(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(veventq_cmds, argc, argv, c);
}

/* ---- hwqueue --------------------------------------------------------------- */

static const struct column hwqueue_cols[] = {
	{ "ID", "id", COL_RIGHT }, { "NAME", "name", 0 },
	{ "VIOMMU", "parent", 0 }, { "INDEX", "index", COL_RIGHT },
	{ "IOVA", "iova", 0 },	   { "LENGTH", "length", COL_RIGHT },
	{ NULL, NULL, 0 },
};
static const struct show_spec hwqueue_spec = {
	"hw_queues",
	"hw queue",
	OBJ_MASK(IOMMUCTL_OBJ_HW_QUEUE),
	hwqueue_cols,
};
static const struct verb_help hwqueue_show_help = {
	.synopsis = "[HWQUEUE]",
	.description = "Show the session's vIOMMU hardware queues.",
	.opts = no_opts,
};

static int do_hwqueue_show(int argc, char **argv, struct cmdctx *c)
{
	return show_objs(argc, argv, c, &hwqueue_show_help, &hwqueue_spec);
}

static const struct opt hwqueue_alloc_opts[] = {
	{ "viommu", 0, "VIOMMU", "the vIOMMU" },
	{ "type", 0, "TYPE", "selftest or tegra241-cmdqv" },
	{ "index", 0, "N", "queue index of that type" },
	{ "iova", 'a', "ADDR",
	  "guest-physical base: an IOVA mapped in the parent hwpt's IOAS" },
	{ "size", 's', "SIZE", "bytes" },
	{ "name", 'n', "NAME", "name the HW queue" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help hwqueue_alloc_help = {
	.synopsis =
		"--viommu VIOMMU --type selftest|tegra241-cmdqv --index N --iova ADDR --size SIZE [--name NAME]",
	.description =
		"Allocate a hardware queue of a vIOMMU (IOMMU_HW_QUEUE_ALLOC, Linux\n"
		"6.17) over guest memory: the range must be mapped, physically\n"
		"contiguous, in the IOAS under the vIOMMU's parent hwpt. Exit status 3\n"
		"on kernels without the command.",
	.opts = hwqueue_alloc_opts,
};

static int do_hwqueue_alloc(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_obj *viommu, *o;
	struct iommuctl_session *s;
	const char *viommu_ref = NULL, *name = NULL;
	bool have_type = false, have_index = false, have_iova = false;
	uint32_t type = 0, index = 0;
	uint64_t iova = 0, size = 0;
	struct optparse p;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &hwqueue_alloc_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		switch (opt) {
		case 0:
			viommu_ref = p.arg;
			break;
		case 1:
			rc = type_arg(c, "--type", p.arg, hwqueue_types, &type);
			have_type = true;
			break;
		case 2:
			rc = u32_arg(c, "--index", p.arg, &index);
			have_index = true;
			break;
		case 3:
			rc = size_arg(c, "--iova", p.arg, &iova);
			have_iova = true;
			break;
		case 4:
			rc = size_arg(c, "--size", p.arg, &size);
			break;
		case 5:
			name = p.arg;
			break;
		}
		if (rc >= 0) {
			optparse_fini(&p);
			return rc;
		}
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	if (!viommu_ref || !have_type || !have_index || !have_iova || !size)
		return cmd_usage_error(
			c,
			"--viommu, --type, --index, --iova and --size (not 0) are required");
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	rc = name_free(c, s, name);
	if (rc >= 0)
		return rc;
	/* the kernel lacks it: say so before looking at the arguments */
	rc = require_cmd(c, s, 0x94, "IOMMU_HW_QUEUE_ALLOC", "6.17");
	if (rc >= 0)
		return rc;
	rc = obj_arg(c, viommu_ref, OBJ_MASK(IOMMUCTL_OBJ_VIOMMU), &viommu);
	if (rc >= 0)
		return rc;
	rc = iommuctl_hw_queue_alloc(viommu, type, index, iova, size, &o);
	if (rc < 0)
		return lib_error(c, rc, "hwqueue", "cannot allocate");
	return alloc_done(c, o, name, "created");
}

static const struct verb_help hwqueue_destroy_help = {
	.synopsis = "HWQUEUE",
	.description =
		"Destroy a HW queue (some drivers want them destroyed in reverse\n"
		"index order).",
	.opts = no_opts,
};

static int do_hwqueue_destroy(int argc, char **argv, struct cmdctx *c)
{
	return destroy_obj_cmd(c, argc, argv, &hwqueue_destroy_help,
			       OBJ_MASK(IOMMUCTL_OBJ_HW_QUEUE));
}

static const struct cmd hwqueue_cmds[] = {
	{ "show", do_hwqueue_show, "the session's vIOMMU HW queues" },
	{ "alloc", do_hwqueue_alloc, "allocate a HW queue (6.17)" },
	{ "destroy", do_hwqueue_destroy, "destroy a HW queue" },
	{ NULL, NULL, NULL },
};

int cmd_hwqueue(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(hwqueue_cmds, argc, argv, c);
}

LEGACY_OBJECT(obj_hwpt, "hwpt", "hardware page tables: paging, nested, dirty tracking", cmd_hwpt);

LEGACY_OBJECT(obj_fault, "fault", "I/O page fault queues", cmd_fault);

LEGACY_OBJECT(obj_viommu, "viommu", "virtual IOMMUs (6.13)", cmd_viommu);

LEGACY_OBJECT(obj_vdevice, "vdevice", "devices' virtual ids behind a vIOMMU (6.13)", cmd_vdevice);

LEGACY_OBJECT(obj_veventq, "veventq", "vIOMMU event queues (6.15)", cmd_veventq);

LEGACY_OBJECT(obj_hwqueue, "hwqueue", "vIOMMU hardware queues (6.17)", cmd_hwqueue);
