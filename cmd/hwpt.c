// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl hwpt: hardware page tables (paging and nested), dirty tracking
 * and invalidation. Fault queues are in fault.c, vIOMMU objects in viommu.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"

#define SELFTEST_IOTLB_DEFAULT 0xbadbeef /* IOMMU_TEST_IOTLB_DEFAULT */
#define SELFTEST_IOTLB_ID_MAX 3
#define MAX_ENTRIES 64

static const struct choice vste_configs[] = {
	{ "invalid", IOMMUCTL_VSTE_INVALID },
	{ "abort", IOMMUCTL_VSTE_ABORT },
	{ "bypass", IOMMUCTL_VSTE_BYPASS },
	{ "s1-translate", IOMMUCTL_VSTE_S1_TRANSLATE },
	{ NULL, 0 },
};

static const struct choice s1dss_names[] = {
	{ "terminate", 0 },
	{ "bypass", 1 },
	{ "ssid0", 2 },
	{ NULL, 0 },
};

static const struct choice data_types[] = {
	{ "selftest", IOMMUCTL_HWPT_DATA_SELFTEST },
	{ "vtd-s1", IOMMUCTL_HWPT_DATA_VTD_S1 },
	{ "arm-smmuv3", IOMMUCTL_HWPT_DATA_ARM_SMMUV3 },
	{ NULL, 0 },
};

/* ---- option parsers ------------------------------------------------------ */

/* --ste, --cmd: "0xDW0,0xDW1", two 64-bit words */
static int parse_pair(struct cmdctx *c, const struct opt *o, const char *text,
		      void *field)
{
	uint64_t *p = field;
	char name[32], *words = strdup(text), *comma = strchr(text, ',');
	uint64_t a, b;
	int rc;

	if (!comma || !words) {
		free(words);
		return cmd_usage(c, "--%s: '%s' is not two 64-bit words (0xDW0,0xDW1)",
				 o->lname, text);
	}
	snprintf(name, sizeof(name), "--%s", o->lname);
	words[comma - text] = '\0';
	rc = parse_number(c, name, words, UINT64_MAX, &a);
	if (!rc)
		rc = parse_number(c, name, comma + 1, UINT64_MAX, &b);
	free(words);
	if (!rc) {
		p[0] = a;
		p[1] = b;
	}
	return rc;
}

/* --iotlb-id, --cmd: repeatable; the count first, parse_more() fills them */
struct ids {
	unsigned int n;
	uint32_t v[MAX_ENTRIES];
};
struct cmds {
	unsigned int n;
	uint64_t v[MAX_ENTRIES][2];
};

static int parse_more(struct cmdctx *c, const struct opt *o, const char *text,
		      void *field)
{
	unsigned int *n = field;
	uint64_t id;
	int rc;

	if (*n == MAX_ENTRIES)
		return cmd_usage(c, "at most %d --%s", MAX_ENTRIES, o->lname);
	if (!strcmp(o->lname, "cmd")) /* else --iotlb-id */
		return parse_pair(c, o, text,
				  ((struct cmds *)field)->v[(*n)++]);
	rc = parse_number(c, "--iotlb-id", text, UINT32_MAX, &id);
	((struct ids *)field)->v[(*n)++] = (uint32_t)id;
	return rc;
}

/* ---- alloc --------------------------------------------------------------- */

struct alloc_args {
	struct objref dev, ioas, parent, fault;
	unsigned int flags;
	struct iommuctl_hwpt_data d;
	unsigned char data[IOMMUCTL_HWPT_DATA_MAX];
	const char *name;
	struct iommuctl_vste vste;
	bool have_type, have_iotlb, have_pgtbl, have_width, have_ste;
	bool have_vste, have_vste_field;
};

static void alloc_init(void *args)
{
	struct alloc_args *a = args;

	a->d.iotlb = SELFTEST_IOTLB_DEFAULT;
	a->d.addr_width = 48;
}

static const struct opt alloc_opts[] = {
	OPT_OBJ("device", 'd', "DEVICE", struct alloc_args, dev,
		OBJ_MASK(IOMMUCTL_OBJ_DEVICE), "the device the hwpt is for"),
	OPT_OBJ("ioas", 0, "IOAS", struct alloc_args, ioas,
		OBJ_MASK(IOMMUCTL_OBJ_IOAS),
		"make a paging hwpt over this IOAS"),
	/* any type: alloc_run() says which ones it takes */
	OPT_OBJ("parent", 0, "HWPT|VIOMMU", struct alloc_args, parent, 0,
		"make a nested hwpt over this nest-parent hwpt or vIOMMU"),
	OPT_BITS("nest-parent", 0, struct alloc_args, flags,
		 IOMMUCTL_HWPT_NEST_PARENT,
		 "paging: may be the parent of nested hwpts and vIOMMUs"),
	OPT_BITS("dirty-tracking", 0, struct alloc_args, flags,
		 IOMMUCTL_HWPT_DIRTY_TRACKING,
		 "paging: with dirty tracking (see 'hwpt dirty')"),
	OPT_OBJ("fault", 0, "FAULT", struct alloc_args, fault,
		OBJ_MASK(IOMMUCTL_OBJ_FAULT),
		"deliver I/O page faults to this fault queue"),
	OPT_BITS("pasid", 0, struct alloc_args, flags, IOMMUCTL_HWPT_PASID,
		 "usable for PASID attachment (6.15)"),
	OPT_CHOICE("data-type", 0, "TYPE", struct alloc_args, d.type,
		   data_types, "nested data: selftest, vtd-s1 or arm-smmuv3",
		   OPT_SEEN(struct alloc_args, have_type)),
	OPT_U32("iotlb", 0, "N", struct alloc_args, d.iotlb, 0,
		"selftest: initial value of the mock IOTLB entries (default 0xbadbeef)",
		OPT_SEEN(struct alloc_args, have_iotlb)),
	OPT_SIZE("pgtbl-addr", 0, "ADDR", struct alloc_args, d.pgtbl_addr,
		 "vtd-s1: guest stage-1 page table root (GPA)",
		 OPT_SEEN(struct alloc_args, have_pgtbl)),
	OPT_U32("addr-width", 0, "48|57", struct alloc_args, d.addr_width, 0,
		"vtd-s1: stage-1 address width (default 48)",
		OPT_SEEN(struct alloc_args, have_width)),
	OPT_BITS("sre", 0, struct alloc_args, d.vtd_flags, IOMMUCTL_VTD_S1_SRE,
		 "vtd-s1: supervisor requests enabled"),
	OPT_BITS("eafe", 0, struct alloc_args, d.vtd_flags,
		 IOMMUCTL_VTD_S1_EAFE, "vtd-s1: extended access flag enabled"),
	OPT_BITS("wpe", 0, struct alloc_args, d.vtd_flags, IOMMUCTL_VTD_S1_WPE,
		 "vtd-s1: write protect enabled"),
	OPT_CALL("ste", 0, "DW0,DW1", struct alloc_args, d.ste, parse_pair,
		 "arm-smmuv3: the first two words of the guest STE, raw",
		 OPT_SEEN(struct alloc_args, have_ste)),
	OPT_CHOICE("vste", 0, "CONFIG", struct alloc_args, vste.config,
		   vste_configs,
		   "arm-smmuv3: a guest STE by fields: invalid, abort, bypass or s1-translate",
		   OPT_SEEN(struct alloc_args, have_vste)),
	OPT_SIZE("cd-table", 0, "GPA", struct alloc_args, vste.s1ctxptr,
		 "s1-translate: the guest's CD table (S1ContextPtr, 64-byte aligned)",
		 OPT_SEEN(struct alloc_args, have_vste_field)),
	OPT_U32("cd-format", 0, "0|1|2", struct alloc_args, vste.s1fmt, 2,
		"s1-translate: CD table format (S1Fmt: 0 linear, 1 or 2 two-level)",
		OPT_SEEN(struct alloc_args, have_vste_field)),
	OPT_U32("cd-max", 0, "N", struct alloc_args, vste.s1cdmax, 31,
		"s1-translate: log2 of the number of CDs (S1CDMax)",
		OPT_SEEN(struct alloc_args, have_vste_field)),
	OPT_CHOICE("s1dss", 0, "MODE", struct alloc_args, vste.s1dss,
		   s1dss_names,
		   "s1-translate: DMA without a PASID: terminate, bypass or ssid0",
		   OPT_SEEN(struct alloc_args, have_vste_field)),
	OPT_BOOL("eats", 0, struct alloc_args, vste.eats,
		 "s1-translate: ATS translated requests (STE.EATS 1)"),
	OPT_STR("name", 'n', "NAME", struct alloc_args, name, "name the hwpt"),
	OPT_END,
};

static int alloc_check(struct cmdctx *c, void *args)
{
	struct alloc_args *a = args;
	/* the driver data options given: bit i for those of data_types[i] */
	unsigned int data = a->have_iotlb |
			    (a->have_pgtbl || a->have_width || a->d.vtd_flags)
				    << 1 |
			    (a->have_ste || a->have_vste) << 2,
		     want = 0, i;
	const char *why;

	if (a->have_ste && a->have_vste)
		return cmd_usage(c, "give the guest STE as --ste DW0,DW1 or by fields (--vste), not both");
	if ((a->have_vste_field || a->vste.eats) && !a->have_vste)
		return cmd_usage(c, "--cd-table, --cd-format, --cd-max, --s1dss and --eats describe a guest STE: give --vste s1-translate");
	if (a->have_vste &&
	    iommuctl_vste_encode(&a->vste, a->d.ste, &why) < 0)
		return cmd_usage(c, "--vste %s: %s",
				 choice_name(vste_configs, a->vste.config), why);
	if (a->have_width && a->d.addr_width != 48 && a->d.addr_width != 57)
		return cmd_usage(c, "--addr-width: VT-d stage-1 tables are 48 or 57 bits wide");
	if (!a->dev.ref)
		return cmd_usage(c, "--device is required");
	if (!a->ioas.ref == !a->parent.ref)
		return cmd_usage(c, "give --ioas (a paging hwpt) or --parent (a nested one)");
	if (a->ioas.ref && (a->have_type || data))
		return cmd_usage(c, "a paging hwpt (--ioas) takes no driver data; "
				    "--data-type and its options need --parent");
	if (a->parent.ref &&
	    (a->flags & (IOMMUCTL_HWPT_NEST_PARENT | IOMMUCTL_HWPT_DIRTY_TRACKING)))
		return cmd_usage(c, "--nest-parent and --dirty-tracking are for paging hwpts (--ioas)");
	if (data & (data - 1))
		return cmd_usage(c, "--iotlb (selftest), the vtd-s1 options and --ste (arm-smmuv3) exclude each other");
	/* the data type: given, or the one of the data options */
	for (i = 0; data_types[i].name; i++) {
		if (a->have_type ? a->d.type == data_types[i].value :
				   data == 1u << i) {
			want = 1u << i;
			a->d.type = data_types[i].value;
		}
	}
	if (!want)
		return 0; /* none: selftest for a mock device (nested_data()) */
	a->have_type = true;
	if (data && data != want)
		return cmd_usage(c,
				 "those options do not go with --data-type %s",
				 data_type_name(a->d.type));
	if (a->d.type == IOMMUCTL_HWPT_DATA_VTD_S1 && !a->have_pgtbl)
		return cmd_usage(c, "vtd-s1 needs --pgtbl-addr (the guest's stage-1 root)");
	if (a->d.type == IOMMUCTL_HWPT_DATA_ARM_SMMUV3 && !data)
		return cmd_usage(c, "arm-smmuv3 needs a guest STE: --vste CONFIG, or --ste DW0,DW1");
	return 0;
}

/* A nested hwpt's driver data into @h */
static int nested_data(struct cmdctx *c, struct alloc_args *a,
		       struct iommuctl_hwpt_args *h)
{
	enum iommuctl_obj_type t = iommuctl_obj_get_type(a->parent.obj);
	struct iommuctl_obj_info dev;
	int len;

	if (t != IOMMUCTL_OBJ_HWPT_PAGING && t != IOMMUCTL_OBJ_VIOMMU)
		return wrong_type(
			c, a->parent.obj, "; ",
			"--parent takes a nest-parent hwpt or a viommu");
	iommuctl_obj_get_info(a->dev.obj, &dev);
	if (!a->have_type && !dev.mock)
		return cmd_usage(c, "a nested hwpt needs driver data: give --data-type (vtd-s1, arm-smmuv3)");
	if (!a->have_type)
		a->d.type = IOMMUCTL_HWPT_DATA_SELFTEST;
	len = iommuctl_hwpt_data_encode(&a->d, a->data, sizeof(a->data));
	if (len < 0) /* alloc_check() let only encodable data through */
		return lib_fail(c, len, "hwpt",
				"cannot encode the driver data");
	h->data_type = a->d.type;
	h->data = a->data;
	h->data_len = (uint32_t)len;
	return 0;
}

static int alloc_run(struct cmdctx *c, void *args)
{
	struct alloc_args *a = args;
	struct iommuctl_hwpt_args h = {
		.device = a->dev.obj,
		.pt = a->ioas.obj ? a->ioas.obj : a->parent.obj,
		.flags = a->flags | (a->fault.obj ? IOMMUCTL_HWPT_FAULT : 0),
		.fault = a->fault.obj,
	};
	struct iommuctl_obj *o;
	int rc = name_check(c, c->sess, a->name);

	if (!rc && a->parent.obj)
		rc = nested_data(c, a, &h);
	if (rc < 0)
		return rc;
	rc = iommuctl_hwpt_alloc(c->sess, &h, &o);
	if (rc == -EOPNOTSUPP && h.data_type == IOMMUCTL_HWPT_DATA_ARM_SMMUV3 &&
	    iommuctl_obj_get_type(a->parent.obj) != IOMMUCTL_OBJ_VIOMMU)
		return cmd_fail_on(c, "hwpt", EXIT_FAILED, EOPNOTSUPP,
				   "cannot allocate for %s: the kernel refused (EOPNOTSUPP) an arm-smmuv3 nested hwpt over %s: Linux nests SMMUv3 only over a vIOMMU (viommu alloc --type arm-smmuv3 --hwpt %s, then --parent VIOMMU)",
				   iommuctl_obj_label(h.device),
				   iommuctl_obj_label(a->parent.obj),
				   iommuctl_obj_label(a->parent.obj));
	if (rc < 0)
		return lib_fail(c, rc, "hwpt", "cannot allocate for %s%s",
				iommuctl_obj_label(h.device),
				rc == -EOPNOTSUPP && h.fault && a->ioas.obj &&
						!(h.flags & IOMMUCTL_HWPT_NEST_PARENT) ?
					" (Linux 6.11 and 6.12 take a fault queue only for nested hwpts)" :
					"");
	return obj_created(c, o, a->name);
}

/* ---- dirty, mark-dirty --------------------------------------------------- */

struct dirty_args {
	bool enable, disable, read, no_clear;
	uint64_t iova, size, ps;
	bool have_iova, have_size, have_ps;
};

/* --page-size: the CPU page size by default */
static void dirty_init(void *args)
{
	long ps = sysconf(_SC_PAGESIZE);

	((struct dirty_args *)args)->ps = ps > 0 ? (uint64_t)ps : 4096;
}

#define RANGE_OPTS(ps_help)                                                   \
	OPT_SIZE("iova", 'a', "ADDR", struct dirty_args, iova, "first IOVA",  \
		 OPT_SEEN(struct dirty_args, have_iova)),                     \
	OPT_SIZE("size", 's', "SIZE", struct dirty_args, size, "bytes",       \
		 OPT_SEEN(struct dirty_args, have_size)),                     \
	OPT_SIZE("page-size", 0, "SIZE", struct dirty_args, ps, ps_help,      \
		 OPT_SEEN(struct dirty_args, have_ps))

static const struct opt dirty_opts[] = {
	OPT_BOOL("enable", 0, struct dirty_args, enable,
		 "start dirty tracking (clears stale dirty bits)"),
	OPT_BOOL("disable", 0, struct dirty_args, disable, "stop dirty tracking"),
	OPT_BOOL("read", 0, struct dirty_args, read,
		 "read (and clear) the dirty bitmap of a range"),
	RANGE_OPTS("bytes per bit (default: the CPU page size)"),
	OPT_BOOL("no-clear", 0, struct dirty_args, no_clear,
		 "read without clearing (before an unmap)"),
	OPT_END,
};

static const struct opt mark_dirty_opts[] = {
	RANGE_OPTS("mark one page of this size at a time (default: the CPU page size)"),
	OPT_END,
};

/* A page-aligned range: --iova and --size are needed (@missing says so) */
static int range_check(struct cmdctx *c, const struct dirty_args *a,
		       const char *missing)
{
	uint64_t ps = a->ps;

	if (!a->have_iova || !a->size)
		return cmd_usage(c, "%s", missing);
	if (!ps || (ps & (ps - 1)))
		return cmd_usage(c, "--page-size must be a power of two");
	if (a->iova % ps || a->size % ps)
		return cmd_usage(c, "--iova and --size must be multiples of the page size");
	if (a->iova + a->size - 1 < a->iova)
		return cmd_usage(c, "the range runs past the end of the 64-bit IOVA space");
	if (a->size / ps > (1ULL << 27))
		return cmd_usage(c, "the range has more than 2^27 pages; read it in parts");
	return 0;
}

static int dirty_check(struct cmdctx *c, void *args)
{
	struct dirty_args *a = args;

	if (a->enable + a->disable + a->read != 1)
		return cmd_usage(c, "give one of --enable, --disable and --read");
	if (!a->read && (a->have_iova || a->have_size || a->have_ps || a->no_clear))
		return cmd_usage(c, "--iova, --size, --page-size and --no-clear go with --read");
	return a->read ? range_check(c, a, "--read needs --iova and --size") : 0;
}

static int mark_dirty_check(struct cmdctx *c, void *args)
{
	return range_check(c, args, "--iova and --size are required");
}

/* The result of both: the hwpt, the range, @dirty pages if any, @key: @n */
static int range_out(struct cmdctx *c, struct iommuctl_obj *o,
		     const struct dirty_args *a, struct json_object *dirty,
		     const char *key, uint64_t n)
{
	struct json_object *j = ref_result("hwpt", o);

	jadd_hex(j, "iova", a->iova);
	jadd_int(j, "size", (int64_t)a->size);
	jadd_int(j, "page_size", (int64_t)a->ps);
	jadd(j, "dirty", dirty);
	jadd_int(j, key, (int64_t)n);
	return cmd_out(c, j);
}

static int dirty_run(struct cmdctx *c, void *args)
{
	struct dirty_args *a = args;
	struct json_object *j, *d;
	struct iommuctl_obj *o = c->obj;
	uint64_t *pages;
	size_t n, i;
	int rc;

	if (!a->read) {
		rc = iommuctl_hwpt_set_dirty_tracking(o, a->enable);
		if (rc < 0)
			return obj_fail(c, rc, o, "cannot %s dirty tracking",
					a->enable ? "enable" : "disable");
		j = ref_result("hwpt", o);
		jadd_bool(j, "dirty_tracking", a->enable);
		return cmd_out(c, j);
	}
	rc = iommuctl_hwpt_dirty_pages(o, a->iova, a->size, a->ps, a->no_clear,
				       &pages, &n);
	if (rc < 0)
		return obj_fail(c, rc, o, "cannot read the dirty bitmap");
	d = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(d, json_hex(pages[i]));
	free(pages);
	return range_out(c, o, a, d, "dirty_count", json_object_array_length(d));
}

static void dirty_text(struct cmdctx *c, struct json_object *j)
{
	const struct dirty_args *a = c->args;
	struct json_object *d = jopt(j, "dirty_tracking");
	size_t i;

	if (d) {
		printf("dirty tracking %s for %s\n",
		       json_object_get_boolean(d) ? "on" : "off",
		       ref_label(c, j, "hwpt"));
		return;
	}
	d = jget(c, j, "dirty");
	printf("%s: %s of %llu page(s) of %llu bytes dirty in 0x%llx-0x%llx%s\n",
	       ref_label(c, j, "hwpt"), jstr(c, j, "dirty_count"),
	       (unsigned long long)(a->size / a->ps), (unsigned long long)a->ps,
	       (unsigned long long)a->iova,
	       (unsigned long long)(a->iova + a->size - 1),
	       a->no_clear ? " (not cleared)" : "");
	for (i = 0; d && i < json_object_array_length(d); i++)
		printf("  %s\n", json_object_get_string(json_object_array_get_idx(d, i)));
}

static int mark_dirty_run(struct cmdctx *c, void *args)
{
	struct dirty_args *a = args;
	struct iommuctl_obj *o = c->obj;
	uint64_t nr = 0;
	int rc =
		iommuctl_mock_mark_pages_dirty(o, a->iova, a->size, a->ps, &nr);

	if (rc == -EINVAL)
		return cmd_fail_on(c, iommuctl_obj_label(o), EXIT_FAILED, EINVAL,
				   "cannot mark pages dirty: dirty tracking is off ('hwpt dirty %s --enable'), "
				   "or the hwpt is not a mock device's, or the range is not mapped in it",
				   c->argv[0]);
	if (rc < 0)
		return obj_fail(c, rc, o, "cannot mark pages dirty");
	return range_out(c, o, a, NULL, "nr_dirty", nr);
}

/* ---- invalidate ---------------------------------------------------------- */

struct inval_args {
	bool all, leaf, have_virt, have_addr, have_np;
	struct ids ids;
	uint32_t virt_id;
	uint64_t addr, npages;
	struct cmds cmds;
};

static const struct opt inval_opts[] = {
	OPT_BOOL("all", 0, struct inval_args, all,
		 "selftest, vtd-s1: invalidate everything"),
	OPT_CALL("iotlb-id", 0, "N", struct inval_args, ids, parse_more,
		 "selftest: the mock IOTLB (hwpt) or cache (vIOMMU) entry 0-3; repeatable"),
	OPT_U32("virt-id", 0, "N", struct inval_args, virt_id, 0,
		"selftest vIOMMU: the virtual id of the vDEVICE",
		OPT_SEEN(struct inval_args, have_virt)),
	OPT_SIZE("addr", 0, "ADDR", struct inval_args, addr,
		 "vtd-s1: first address (4 KiB aligned)",
		 OPT_SEEN(struct inval_args, have_addr)),
	OPT_U64("npages", 0, "N", struct inval_args, npages, 0,
		"vtd-s1: number of 4 KiB pages",
		OPT_SEEN(struct inval_args, have_np)),
	OPT_BOOL("leaf", 0, struct inval_args, leaf,
		 "vtd-s1: only leaf entries changed"),
	OPT_CALL("cmd", 0, "DW0,DW1", struct inval_args, cmds, parse_more,
		 "arm-smmuv3 vIOMMU: a CMDQ command; repeatable"),
	OPT_END,
};

static int inval_check(struct cmdctx *c, void *args)
{
	struct inval_args *a = args;

	if (a->all && (a->ids.n || a->have_addr || a->have_np))
		return cmd_usage(c, "--all excludes --iotlb-id, --addr and --npages");
	return 0;
}

/* The request formats: the options each takes, the sets of them of which
 * one must be given, and what to say otherwise. */
enum { I_ALL = 1, I_IDS = 2, I_VIRT = 4, I_ADDR = 8, I_NP = 16, I_LEAF = 32,
       I_CMD = 64 };
enum { K_SELFTEST, K_VTD, K_VSELFTEST, K_SMMU };
static const struct inval_kind {
	const char *name, *takes, *give;
	unsigned int opts, need[2];
	uint32_t type;
} inval_kinds[] = {
	[K_SELFTEST] = { "selftest", "a selftest hwpt takes --all or --iotlb-id",
			 "give --all or --iotlb-id N", I_ALL | I_IDS,
			 { I_ALL, I_IDS }, IOMMUCTL_INVALIDATE_SELFTEST },
	[K_VTD] = { "vtd-s1", "a vtd-s1 hwpt takes --all, or --addr and --npages, and --leaf",
		    "give --all, or --addr and --npages (not 0)",
		    I_ALL | I_ADDR | I_NP | I_LEAF, { I_ALL, I_ADDR | I_NP },
		    IOMMUCTL_INVALIDATE_VTD_S1 },
	[K_VSELFTEST] = { "selftest", "a selftest vIOMMU takes --virt-id with --all or --iotlb-id",
			  "give --virt-id N (the vDEVICE) and --all or --iotlb-id N",
			  I_ALL | I_IDS | I_VIRT, { I_VIRT | I_ALL, I_VIRT | I_IDS },
			  IOMMUCTL_INVALIDATE_SELFTEST },
	[K_SMMU] = { "arm-smmuv3", NULL, "give --cmd DW0,DW1 (SMMUv3 CMDQ commands)",
		     I_CMD, { I_CMD, I_CMD }, IOMMUCTL_INVALIDATE_ARM_SMMUV3 },
};

/* Which of inval_kinds[] @in takes, or -1 (recorded) */
static int inval_kind(struct cmdctx *c, struct iommuctl_obj *o,
		      const struct iommuctl_obj_info *in)
{
	if (in->type == IOMMUCTL_OBJ_VIOMMU)
		return in->kind == IOMMUCTL_VIOMMU_SELFTEST ? K_VSELFTEST : K_SMMU;
	if (in->type != IOMMUCTL_OBJ_HWPT_NESTED)
		return wrong_type(
			c, o, "; ",
			"only nested hwpts and vIOMMUs take invalidations");
	if (in->kind == IOMMUCTL_HWPT_DATA_SELFTEST)
		return K_SELFTEST;
	if (in->kind == IOMMUCTL_HWPT_DATA_VTD_S1)
		return K_VTD;
	return cmd_fail_on(c, iommuctl_obj_label(o), EXIT_FAILED, EOPNOTSUPP,
			   "has %s data; invalidate its vIOMMU instead%s%s",
			   data_type_name(in->kind), in->parent ? " (" : "",
			   in->parent ? iommuctl_obj_label(in->parent) : "");
}

static int inval_run(struct cmdctx *c, void *args)
{
	struct inval_args *a = args;
	uint64_t buf[MAX_ENTRIES * 2]; /* the largest: --cmd, 16 bytes each */
	uint32_t num, asked, i;
	unsigned int given = a->all * I_ALL | !!a->ids.n * I_IDS |
			     a->have_virt * I_VIRT | a->have_addr * I_ADDR |
			     a->have_np * I_NP | a->leaf * I_LEAF |
			     !!a->cmds.n * I_CMD;
	struct iommuctl_inval r = {
		.all = a->all,
		.virt_id = a->virt_id,
		.ids = a->ids.v,
		.addr = a->addr,
		.npages = a->npages,
		.leaf = a->leaf,
		.cmds = (const uint64_t(*)[2])a->cmds.v,
	};
	const struct inval_kind *k;
	struct iommuctl_obj_info in;
	struct iommuctl_obj *o = c->obj;
	struct json_object *j;
	int rc;

	iommuctl_obj_get_info(o, &in);
	rc = inval_kind(c, o, &in);
	if (rc < 0)
		return rc;
	k = &inval_kinds[rc];
	if (given & ~k->opts)
		return k->takes ?
			       cmd_usage(c, "%s", k->takes) :
			       cmd_usage(c, "an %s vIOMMU takes --cmd DW0,DW1",
					 choice_name(viommu_types, in.kind));
	if (!a->npages)
		given &= ~I_NP;
	if ((given & k->need[0]) != k->need[0] && (given & k->need[1]) != k->need[1])
		return cmd_usage(c, "%s", k->give);
	for (i = 0; i < a->ids.n; i++)
		if (a->ids.v[i] > SELFTEST_IOTLB_ID_MAX)
			return cmd_usage(c, "--iotlb-id: the mock has %sentries 0 to %d",
					 rc == K_VSELFTEST ? "cache " : "",
					 SELFTEST_IOTLB_ID_MAX);
	if (rc == K_VTD && !a->all && a->addr % 4096)
		return cmd_usage(c, "--addr must be 4 KiB aligned");
	r.type = k->type;
	r.viommu = rc == K_VSELFTEST;
	r.n = rc == K_SMMU ? a->cmds.n : a->ids.n;
	rc = iommuctl_inval_encode(&r, buf, sizeof(buf), &num);
	asked = num;
	if (rc >= 0)
		rc = iommuctl_hwpt_invalidate(o, k->type, buf, (uint32_t)rc,
					      &num);
	if (rc < 0)
		return obj_fail(c, rc, o, "cannot invalidate");
	j = ref_result(in.type == IOMMUCTL_OBJ_VIOMMU ? "viommu" : "hwpt", o);
	jadd_str(j, "data_type", k->name);
	jadd_int(j, "requests", asked);
	jadd_int(j, "handled", num);
	return cmd_out(c, j);
}

static void inval_text(struct cmdctx *c, struct json_object *j)
{
	printf("%s: the kernel handled %s of %s %s invalidation request(s)\n",
	       ref_label(c, j, jopt(j, "viommu") ? "viommu" : "hwpt"),
	       jstr(c, j, "handled"), jstr(c, j, "requests"),
	       jstr(c, j, "data_type"));
}

/* ---- the object ---------------------------------------------------------- */

static const struct column hwpt_cols[] = {
	{ "ID", "id", COL_RIGHT }, { "NAME", "name", 0 },
	{ "TYPE", "type", 0 },	   { "IOAS", "ioas", 0 },
	{ "PARENT", "parent", 0 }, { "DEVICE", "device", 0 },
	{ "FLAGS", "flags", 0 },   { "DATA", "data_type", 0 },
	{ "FAULT", "fault", 0 },   { "USED BY", "users", 0 },
	{ "MSI DOORBELL OF", "doorbell_for", 0 },
	{ NULL, NULL, 0 },
};
static const struct objtype hwpt_type = { "hwpts",   "hwpt", OBJ_MASK_HWPT,
					  hwpt_cols, NULL,   NULL };

/* dirty, mark-dirty: one hwpt, the options in struct dirty_args */
#define DIRTY_VERB                                                  \
	.args_size = sizeof(struct dirty_args), .init = dirty_init, \
	OBJ_OPERAND(OBJ_MASK_HWPT, "give one hwpt")

static const struct verb hwpt_verbs[] = {
	OBJ_SHOW_VERB(&hwpt_type, "HWPT",
		      "Show the session's hardware page tables: paging (from an IOAS, made\n"
		      "by 'hwpt alloc' or by the kernel when a device attached to an IOAS)\n"
		      "and nested ones, with their IOAS or parent, device, flags, data type,\n"
		      "fault queue and what uses them, and the devices whose MSI doorbell\n"
		      "each one's domain maps (software MSI windows, e.g. Arm: the attached\n"
		      "paging hwpt, or the nest parent of a nested one). JSON also decodes\n"
		      "the guest STE of an arm-smmuv3 nested hwpt (vste)."),
	{ .name = "alloc", .summary = "allocate a paging or nested hwpt",
	  .synopsis = "--device DEVICE (--ioas IOAS | --parent HWPT|VIOMMU) [--nest-parent]\n"
		      "       [--dirty-tracking] [--fault FAULT] [--pasid] [--data-type TYPE]\n"
		      "       [--iotlb N] [--pgtbl-addr ADDR [--addr-width 48|57] [--sre] [--eafe] [--wpe]]\n"
		      "       [--ste DW0,DW1 | --vste CONFIG [--cd-table GPA] [--cd-format N]\n"
		      "       [--cd-max N] [--s1dss MODE] [--eats]] [--name NAME]",
	  .description = "Allocate a hardware page table (IOMMU_HWPT_ALLOC) for a device. With\n"
			 "--ioas it is a paging hwpt over the IOAS; with --parent a nested\n"
			 "(stage-1) hwpt over a nest-parent hwpt or a vIOMMU, built from driver\n"
			 "data: selftest (the mock: --iotlb), vtd-s1 (Intel stage 1:\n"
			 "--pgtbl-addr, --addr-width, --sre, --eafe, --wpe) or arm-smmuv3 (a\n"
			 "guest STE; the parent must be a vIOMMU). The guest STE is given raw\n"
			 "(--ste) or by the fields Linux lets a guest set: --vste abort (no\n"
			 "DMA), bypass (stage 2 only) or s1-translate (the guest's CD table at\n"
			 "--cd-table, with --cd-format, --cd-max, --s1dss, --eats), checked as\n"
			 "the kernel checks them. The data type is taken from these options,\n"
			 "or is selftest for a mock device. 'hwpt show' and 'objects' say which\n"
			 "domain maps each device's MSI doorbell.",
	  .opts = alloc_opts, .args_size = sizeof(struct alloc_args),
	  .init = alloc_init, .flags = VERB_SESSION, .check = alloc_check,
	  .run = alloc_run, .render = &created_render },
	{ .name = "dirty", .summary = "dirty tracking on/off, read the dirty pages",
	  .synopsis = "HWPT (--enable | --disable | --read --iova ADDR --size SIZE [--page-size SIZE] [--no-clear])",
	  .description = "Dirty tracking of a paging hwpt allocated with --dirty-tracking:\n"
			 "switch it on or off (IOMMU_HWPT_SET_DIRTY_TRACKING), or list the pages\n"
			 "the device wrote in a mapped range (IOMMU_HWPT_GET_DIRTY_BITMAP).\n"
			 "Reading clears what it reports unless --no-clear. The range must be\n"
			 "mapped and aligned to the page size.",
	  .opts = dirty_opts, DIRTY_VERB, .check = dirty_check, .run = dirty_run,
	  .render = &(const struct render){ .text = dirty_text } },
	{ .name = "mark-dirty", .summary = "mock only: mark pages dirty",
	  .synopsis = "HWPT --iova ADDR --size SIZE [--page-size SIZE]",
	  .description = "Mock only: make the selftest mock mark pages dirty, so dirty tracking\n"
			 "can be tested without hardware (IOMMU_TEST_OP_DIRTY). Every page of\n"
			 "--page-size in the range is marked as if the device had written its\n"
			 "first bytes. The hwpt must belong to a mock device, be mapped there\n"
			 "and have dirty tracking on ('hwpt dirty HWPT --enable').",
	  .opts = mark_dirty_opts, DIRTY_VERB, .check = mark_dirty_check, .run = mark_dirty_run,
	  .render = &(const struct render){
		  .line = "the mock marked %{nr_dirty} page(s) dirty in %{@hwpt}" } },
	{ .name = "invalidate", .summary = "flush a nested hwpt's or vIOMMU's caches",
	  .synopsis = "HWPT|VIOMMU [--all | --iotlb-id N ...] [--virt-id N] (selftest)\n"
		      "       [--all | --addr ADDR --npages N] [--leaf] (vtd-s1)\n"
		      "       [--cmd DW0,DW1 ...] (arm-smmuv3)",
	  .description = "Flush caches of a nested hwpt or a vIOMMU after the guest changed its\n"
			 "page tables (IOMMU_HWPT_INVALIDATE). The request format follows the\n"
			 "object: the nested hwpt's data type, or the vIOMMU's type. Prints how\n"
			 "many requests the kernel handled.",
	  .opts = inval_opts, .args_size = sizeof(struct inval_args),
	  OBJ_OPERAND(OBJ_ANY, "give one nested hwpt or vIOMMU"),
	  .check = inval_check, .run = inval_run,
	  .render = &(const struct render){ .text = inval_text } },
	OBJ_DESTROY_VERB(&hwpt_type, "a hwpt"),
	{ .name = NULL },
};

const struct object obj_hwpt = { "hwpt", "hardware page tables: paging, nested, dirty tracking",
				  hwpt_verbs, NULL };
