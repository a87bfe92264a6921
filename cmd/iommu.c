// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl iommu: IOMMU units and their decoded capabilities. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

/* "cap_fields": where the fields of register @reg ("CAP") are in the JSON. */
static void fields_key(char *buf, size_t n, const char *reg)
{
	size_t i;

	snprintf(buf, n, "%s_fields", reg);
	for (i = 0; buf[i]; i++)
		buf[i] = (char)tolower((unsigned char)buf[i]);
}

/* The fields of register @reg by key, as --fields prints them, under
 * fields_key(); null for a register not read (@have false). */
static void fields_add(struct json_object *j, const char *reg, uint64_t value,
		       bool have)
{
	struct json_object *o = have ? json_object_new_object() : NULL;
	unsigned int i, n;
	const struct iommuctl_regfield *f = iommuctl_regfields(reg, &n);
	char key[32];

	for (i = 0; o && i < n; i++)
		jset(o, f[i].key,
		     json_object_new_uint64(
			     iommuctl_regfield_value(&f[i], value)));
	fields_key(key, sizeof(key), reg);
	jset(j, key, o);
}

/* The text of @x's fields_to_json() of @reg, if it has them: bits, name,
 * value, what it means. */
static void fields_print(struct json_object *x, const char *reg, int namew)
{
	unsigned int i, n;
	const struct iommuctl_regfield *f = iommuctl_regfields(reg, &n);
	struct json_object *o;
	char key[32];

	fields_key(key, sizeof(key), reg);
	if (!(o = jopt(x, key)))
		return;
	printf("%s fields:\n", reg);
	for (i = 0; i < n; i++) {
		struct json_object *v = jopt(o, f[i].key);
		char bits[16];

		if (!v)
			continue;
		if (f[i].lo == f[i].hi)
			snprintf(bits, sizeof(bits), "%u", f[i].lo);
		else
			snprintf(bits, sizeof(bits), "%u:%u", f[i].hi, f[i].lo);
		printf("  %-8s %-*s %-6s %s\n", bits, namew, f[i].name,
		       json_object_get_string(v), f[i].desc);
	}
}

/* The members @it of the struct at @s, by key: a summary, a status; each
 * null if @s is NULL (a register not read). */
static void items_to_json(struct json_object *o, const void *s,
			  const struct iommuctl_item *it, unsigned int n)
{
	struct json_object *arr;
	unsigned int i, k, cnt;

	for (i = 0; i < n; i++) {
		const char *p = (const char *)s + it[i].offset;
		const unsigned int *u = (const unsigned int *)p;

		if (!s) {
			jset(o, it[i].key, NULL);
		} else if (it[i].type == IOMMUCTL_ITEM_BOOL) {
			jadd_bool(o, it[i].key, *(const bool *)p);
		} else if (it[i].type == IOMMUCTL_ITEM_UINT) {
			jadd_int(o, it[i].key, *u);
		} else {
			arr = json_object_new_array();
			cnt = *(const unsigned int *)((const char *)s +
						      it[i].count);
			for (k = 0; k < cnt; k++)
				json_object_array_add(
					arr, json_object_new_int((int)u[k]));
			jadd(o, it[i].key, arr);
		}
	}
}

/* The decoded VT-d (@a CAP, @b ECAP) or AMD-Vi (@a EFR, @b EFR2) summary,
 * by the library's table of its items (iommu show, device hw-info). */
struct json_object *caps_summary_to_json(bool amd, uint64_t a, uint64_t b)
{
	union {
		struct iommuctl_vtd_summary vtd;
		struct iommuctl_amd_summary amd;
	} s;
	struct json_object *o = json_object_new_object();
	const struct iommuctl_item *it;
	unsigned int n;

	if (amd) {
		iommuctl_amd_summarize(a, b, &s.amd);
		it = iommuctl_amd_summary_items(&n);
	} else {
		iommuctl_vtd_summarize(a, b, &s.vtd);
		it = iommuctl_vtd_summary_items(&n);
	}
	items_to_json(o, &s, it, n);
	return o;
}

/* The decoded SMMUv3 ID registers (iommu show, hwinfo, device hw-info):
 * the summary by the library's table of its items. */
struct json_object *smmuv3_summary_to_json(const uint32_t idr[6], uint32_t iidr,
					   uint32_t aidr)
{
	struct iommuctl_smmuv3_summary s;
	struct json_object *o = json_object_new_object();
	const struct iommuctl_item *it = iommuctl_smmuv3_summary_items(NULL);
	unsigned int n;

	iommuctl_smmuv3_summary_items(&n);
	iommuctl_smmuv3_summarize(idr, iidr, aidr, &s);
	items_to_json(o, &s, it, n);
	jadd_str_or_null(o, "pasid_why", iommuctl_smmuv3_pasid_why(&s));
	return o;
}

/* The SMMUv3 registers of @hi as iommu show prints them: IDR0-5, IIDR,
 * AIDR, their summary and (for --fields) their fields. */
static void smmuv3_regs_add(struct json_object *j,
			    const struct iommuctl_hw_info *hi)
{
	static const char *const names[] = { "IDR0", "IDR1", "IDR2",
					     "IDR3", "IDR4", "IDR5" };
	struct iommuctl_hw_info_reg r[IOMMUCTL_HW_INFO_REGS];
	int n = iommuctl_hw_info_decode(hi, r, IOMMUCTL_HW_INFO_REGS);
	uint32_t idr[6];
	char key[8];
	unsigned int k;

	if (n < 4 || r[1].count != 6)
		return;
	for (k = 0; k < 6; k++) {
		idr[k] = (uint32_t)r[1].v[k];
		snprintf(key, sizeof(key), "idr%u", k);
		jadd_hex(j, key, idr[k]);
		if (k != 4)
			fields_add(j, names[k], idr[k], true);
	}
	jadd_hex(j, "iidr", r[2].v[0]);
	jadd_hex(j, "aidr", r[3].v[0]);
	fields_add(j, "IIDR", r[2].v[0], true);
	fields_add(j, "AIDR", r[3].v[0], true);
	jadd(j, "summary",
	     smmuv3_summary_to_json(idr, (uint32_t)r[2].v[0],
				    (uint32_t)r[3].v[0]));
}

/* The boot line of an SMMUv3 unit, or why there is none. */
static void smmuv3_log_add(struct iommuctl_iommu *it, struct json_object *j)
{
	struct iommuctl_smmuv3_log l;
	struct json_object *o, *a;
	const char *src = NULL, *why;
	unsigned int b;
	int rc = iommuctl_iommu_get_smmuv3_log(it, &l, &src);

	if (rc < 0) {
		why = rc == -EACCES || rc == -EPERM ?
			      "the kernel log (/dev/kmsg) is not readable: run as root, or set kernel.dmesg_restrict=0" :
			      "the kernel log has no 'arm-smmu-v3 DEV: ... (features 0x...)' line for this unit (overwritten since boot, or a bundle without report/kernel-log.txt)";
		jset(j, "boot_log", NULL);
		jadd_str(j, "boot_log_why", why);
		return;
	}
	o = json_object_new_object();
	jadd_str(o, "device", l.device);
	jadd_str(o, "source", src);
	jset(o, "ias_bits",
	     l.has_ias ? json_object_new_int((int)l.ias_bits) : NULL);
	jadd_int(o, "oas_bits", l.oas_bits);
	jadd_hex(o, "features", l.features);
	a = json_object_new_array();
	for (b = 0; b < 32; b++) {
		char bit[16];

		if (!(l.features & (1u << b)))
			continue;
		snprintf(bit, sizeof(bit), "bit%u", b);
		json_object_array_add(
			a, json_object_new_string(
				   iommuctl_smmuv3_feature_name(b) ?: bit));
	}
	jadd(o, "feature_names", a);
	jadd(j, "boot_log", o);
}

/* "arm_smmuv3": what the kernel shows about an SMMUv3 unit without a device
 * bound (the boot line); the registers come later (smmuv3_regs_ask()). */
static struct json_object *smmuv3_to_json(struct iommuctl_iommu *it)
{
	struct json_object *j;

	if (iommuctl_iommu_get_kind(it) != IOMMUCTL_IOMMU_ARM_SMMU_V3)
		return NULL;
	j = json_object_new_object();
	smmuv3_log_add(it, j);
	return j;
}

/* The ID registers, through IOMMU_GET_HW_INFO for a device behind @it: one
 * the batch session holds, else one bound to vfio-pci (bound to a
 * throw-away iommufd for the question), else the reason there are none. */
static void smmuv3_regs_ask(struct cmdctx *c, struct iommuctl_iommu *it,
			    struct json_object *j)
{
	struct iommuctl_session *s = NULL;
	struct iommuctl_obj *o, *dev = NULL;
	struct iommuctl_hw_info hi = { 0 };
	struct iommuctl_obj_info in;
	const char *const *devs;
	const char *via = NULL;
	unsigned int n, i;
	char *why = NULL;
	int rc = -ENOENT;

	devs = iommuctl_iommu_get_device_names(it, &n);
	if (c->sess) {
		iommuctl_session_foreach(c->sess, o)
		{
			if (iommuctl_obj_get_info(o, &in) < 0 ||
			    in.type != IOMMUCTL_OBJ_DEVICE || !in.dev_name)
				continue;
			for (i = 0; i < n && strcmp(devs[i], in.dev_name); i++)
				;
			if (i < n && !(rc = iommuctl_device_hw_info(o, &hi))) {
				via = in.dev_name;
				break;
			}
		}
	}
	for (i = 0; rc && !iommuctl_is_offline(c->ctx) && i < n; i++) {
		struct iommuctl_device *d =
			iommuctl_device_get_by_name(c->ctx, devs[i]);

		if (!d || !iommuctl_device_get_vfio_cdev(d))
			continue;
		if (!s && iommuctl_session_open(c->ctx, &s) < 0)
			break;
		rc = iommuctl_vfio_device_bind(s, devs[i], &dev);
		if (!rc)
			rc = iommuctl_device_hw_info(dev, &hi);
		if (dev)
			iommuctl_obj_destroy(dev);
		dev = NULL;
		if (!rc)
			via = devs[i];
		else if (!why && asprintf(&why, "%s on vfio-pci: %s", devs[i],
					  strerror(-rc)) < 0)
			why = NULL;
	}
	iommuctl_session_close(s);
	if (!rc && hi.type == IOMMUCTL_HW_INFO_ARM_SMMUV3) {
		jadd_str(j, "registers_via", via);
		smmuv3_regs_add(j, &hi);
	} else if (!rc) {
		free(why);
		why = NULL;
		if (asprintf(
			    &why,
			    "this kernel (%s) answers IOMMU_GET_HW_INFO for %s with type %s: the SMMUv3 ID registers are reported from Linux 6.14 on (CONFIG_ARM_SMMU_V3_IOMMUFD); the boot line above is all it says",
			    iommuctl_get_kernel_release(c->ctx) ?: "unknown",
			    via, iommuctl_hw_info_type_name(hi.type)) < 0)
			why = NULL;
	} else if (!why) {
		why = strdup(
			iommuctl_is_offline(c->ctx) ?
				"the registers come from the running kernel (IOMMU_GET_HW_INFO), not from a saved tree" :
				"the kernel shows the SMMUv3 ID registers only through IOMMU_GET_HW_INFO, for a device bound to vfio-pci (or held by the session): none behind this unit is; bind one ('iommuctl vfio bind DEV') or ask 'iommuctl hwinfo DEV'");
	}
	free(hi.data);
	if (why)
		jadd_str(j, "registers_why", why);
	free(why);
}

static struct json_object *vtd_to_json(struct iommuctl_iommu *it)
{
	struct json_object *j;
	long long dsup, dused;
	uint64_t cap, ecap;

	if (iommuctl_iommu_get_vtd_regs(it, &cap, &ecap, &dsup, &dused) < 0)
		return NULL;
	j = json_object_new_object();
	jadd_hex(j, "cap", cap);
	jadd_hex(j, "ecap", ecap);
	if (dsup >= 0)
		jadd_int(j, "domains_supported", dsup);
	if (dused >= 0)
		jadd_int(j, "domains_used", dused);
	jadd(j, "summary", vtd_summary_to_json(cap, ecap));
	fields_add(j, "CAP", cap, true);
	fields_add(j, "ECAP", ecap, true);
	return j;
}

static struct json_object *amd_to_json(struct iommuctl_ctx *ctx,
				       struct iommuctl_iommu *it)
{
	const char *features = NULL, *order = NULL;
	struct json_object *j;
	uint64_t efr, efr2;
	uint32_t cap;
	char buf[16];

	if (iommuctl_iommu_get_amd_regs(it, &cap, &features) < 0)
		return NULL;
	j = json_object_new_object();
	snprintf(buf, sizeof(buf), "0x%08" PRIx32, cap);
	jadd_str(j, "cap", buf);
	jset(j, "features_raw", jstrn(features));
	if (!features || iommuctl_amd_parse_features(
				 features, iommuctl_get_kernel_release(ctx),
				 &efr, &efr2, &order) < 0)
		return j;
	jadd_hex(j, "efr", efr);
	jadd_hex(j, "efr2", efr2);
	jadd_str(j, "features_order", order);
	jadd(j, "summary", amd_summary_to_json(efr, efr2));
	fields_add(j, "EFR", efr, true);
	fields_add(j, "EFR2", efr2, true);
	return j;
}

/* The one IOMMU unit emitter (status uses it too, without detail). */
struct json_object *iommu_to_json(struct iommuctl_ctx *ctx,
				  struct iommuctl_iommu *it, bool detail)
{
	struct json_object *j = json_object_new_object();
	const char *const *devs;
	unsigned int n;
	uint64_t addr;

	jadd_str(j, "name", iommuctl_iommu_get_name(it));
	jadd_str(j, "kind",
		 iommuctl_iommu_kind_name(iommuctl_iommu_get_kind(it)));
	jset(j, "driver", jstrn(iommuctl_iommu_get_driver(it)));
	jadd_bool(j, "hardware", iommuctl_iommu_is_hardware(it));
	jset(j, "address",
	     iommuctl_iommu_get_address(it, &addr) == 0 ? json_hex(addr) :
							  NULL);
	jset(j, "version", jstrn(iommuctl_iommu_get_version(it)));
	devs = iommuctl_iommu_get_device_names(it, &n);
	jadd(j, "device_names", json_strv(devs, n));
	if (detail) {
		jadd(j, "intel_vtd", vtd_to_json(it));
		jadd(j, "amd_vi", amd_to_json(ctx, it));
		jadd(j, "arm_smmuv3", smmuv3_to_json(it));
		jadd_str(j, "capabilities_why",
			 iommuctl_iommu_kind_caps_why(
				 iommuctl_iommu_get_kind(it)));
	}
	return j;
}

/* For tables only: a device count beside the list. */
void iommu_add_count(struct json_object *j)
{
	struct json_object *devs = jopt(j, "device_names");

	if (devs)
		jadd_int(j, "num_devices", (int)json_object_array_length(devs));
}

/* ---- list ---------------------------------------------------------------- */

static int list_run(struct cmdctx *c, void *args UNUSED)
{
	struct json_object *a = json_object_new_array();
	struct iommuctl_iommu *it;

	iommuctl_iommu_foreach(c->ctx, it)
		json_object_array_add(a, iommu_to_json(c->ctx, it, true));
	return cmd_out(c, a);
}

static const struct column list_cols[] = {
	{ "NAME", "name", 0 },	     { "KIND", "kind", 0 },
	{ "DRIVER", "driver", 0 },   { "ADDRESS", "address", 0 },
	{ "VERSION", "version", 0 }, { "DEVICES", "num_devices", COL_RIGHT },
	{ NULL, NULL, 0 },
};

/* For the table: a device count beside each list; none: why. */
static void list_counts(struct cmdctx *c UNUSED, struct json_object *a)
{
	size_t i;

	for (i = 0; i < json_object_array_length(a); i++)
		iommu_add_count(json_object_array_get_idx(a, i));
	if (i)
		table_print(stdout, a, list_cols, "");
	else
		printf("no IOMMU units listed in /sys/class/iommu (see 'iommuctl status')\n");
}

/* ---- show ---------------------------------------------------------------- */

struct show_args {
	bool fields;
};

static const struct opt show_opts[] = {
	OPT_BOOL("fields", 'f', struct show_args, fields,
		 "also list every register field with its bits"),
	OPT_END,
};

static int show_run(struct cmdctx *c, void *args UNUSED)
{
	struct iommuctl_iommu *it =
		iommuctl_iommu_get_by_name(c->ctx, c->argv[0]);
	struct json_object *j, *x;
	char what[96];

	if (!it) {
		snprintf(what, sizeof(what), "iommu %s", c->argv[0]);
		return cmd_fail_on(
			c, what, EXIT_FAILED, ENODEV,
			"no such unit in /sys/class/iommu (see 'iommuctl iommu list')");
	}
	j = iommu_to_json(c->ctx, it, true);
	if ((x = jopt(j, "arm_smmuv3")))
		smmuv3_regs_ask(c, it, x);
	return cmd_out(c, j);
}

/* "Capabilities:" and the items of @x's "summary", if it has one; an
 * SMMUv3's "pasid_why" after them, as a line of its own. */
static void summary_print(struct json_object *x)
{
	struct json_object *sum = jopt(x, "summary"),
			   *pw = jopt(sum, "pasid_why");

	if (!sum)
		return;
	printf("Capabilities:\n");
	{
		json_object_object_foreach(sum, k, v) {
			if (strcmp(k, "pasid_why"))
				printf("  %-22s %s\n", k,
				       !json_object_is_type(v,
							    json_type_boolean) ?
					       json_object_get_string(v) :
				       json_object_get_boolean(v) ? "yes" :
								    "no");
		}
	}
	if (pw)
		kv_line(stdout, 15, "PASID", "%s", json_object_get_string(pw));
}

/* A unit's "intel_vtd" or "amd_vi": lines as kv_print() prints them (with
 * the text of "domains" and "features" added by show_one()), the summary,
 * and with --fields the fields of its two registers. */
static const struct hw_part {
	const char *key;
	const struct column *head;
	const char *regs[2];
} hw_parts[] = {
	{ "intel_vtd",
	  (const struct column[]){ { "CAP", "cap", 0 },
				   { "ECAP", "ecap", 0 },
				   { "Domains", "domains", 0 },
				   { NULL, NULL, 0 } },
	  { "CAP", "ECAP" } },
	{ "amd_vi",
	  (const struct column[]){ { "Capability header", "cap", 0 },
				   { "Features", "features", 0 },
				   { "EFR", "efr", 0 },
				   { "EFR2", "efr2", 0 },
				   { NULL, NULL, 0 } },
	  { "EFR", "EFR2" } },
};

/* The text of the lines made of several keys of @x, added to it. */
static void hw_text(struct cmdctx *c, struct json_object *x)
{
	struct json_object *sup = jopt(x, "domains_supported"),
			   *used = jopt(x, "domains_used"),
			   *order = jopt(x, "features_order");
	char *t;

	if (sup &&
	    asprintf(&t, "%s supported%s%s%s", json_object_get_string(sup),
		     used ? ", " : "", used ? json_object_get_string(used) : "",
		     used ? " used" : "") >= 0) {
		jadd_str(x, "domains", t);
		free(t);
	}
	if (json_object_object_get_ex(x, "features_raw", NULL) &&
	    asprintf(&t, "%s%s%s%s", jstr(c, x, "features_raw"),
		     order ? " (read as " : "",
		     order ? json_object_get_string(order) : "",
		     order ? " for this kernel)" : "") >= 0) {
		jadd_str(x, "features", t);
		free(t);
	}
}

/* An SMMUv3 unit's boot line, registers and their summary (or why not). */
static void smmuv3_print(struct cmdctx *c, struct json_object *x, bool fields)
{
	static const char *const regs[] = { "IDR0", "IDR1", "IDR2", "IDR3",
					    "IDR5", "IIDR", "AIDR" };
	struct json_object *l = jopt(x, "boot_log"), *ias;
	char *names;
	size_t i;

	if (l) {
		ias = jopt(l, "ias_bits");
		names = json_list_text(jget(c, l, "feature_names"));
		kv_line(stdout, 15, "Boot log",
			"%s%s%soas %s-bit, features %s: %s (%s)",
			ias ? "ias " : "",
			ias ? json_object_get_string(ias) : "",
			ias ? "-bit, " : "", jstr(c, l, "oas_bits"),
			jstr(c, l, "features"), names ? names : "",
			jstr(c, l, "source"));
		free(names);
	} else {
		kv_line(stdout, 15, "Boot log", "none: %s",
			jstr(c, x, "boot_log_why"));
	}
	if (jopt(x, "idr0")) {
		kv_line(stdout, 15, "Registers",
			"IDR0-5 %s %s %s %s %s %s, IIDR %s, AIDR %s (IOMMU_GET_HW_INFO through %s)",
			jstr(c, x, "idr0"), jstr(c, x, "idr1"),
			jstr(c, x, "idr2"), jstr(c, x, "idr3"),
			jstr(c, x, "idr4"), jstr(c, x, "idr5"),
			jstr(c, x, "iidr"), jstr(c, x, "aidr"),
			jstr(c, x, "registers_via"));
	} else if (jopt(x, "registers_why")) {
		kv_line(stdout, 15, "Registers", "not shown: %s",
			jstr(c, x, "registers_why"));
	}
	summary_print(x);
	for (i = 0; fields && i < sizeof(regs) / sizeof(regs[0]); i++)
		fields_print(x, regs[i], 14);
}

static void show_one(struct cmdctx *c, struct json_object *j)
{
	static const struct column f[] = {
		{ "Name", "name", 0 },	     { "Kind", "kind", 0 },
		{ "Driver", "driver", 0 },   { "Address", "address", 0 },
		{ "Version", "version", 0 }, { "Devices", "device_names", 0 },
		{ NULL, NULL, 0 },
	};
	bool fields = ((const struct show_args *)c->args)->fields;
	struct json_object *x;
	size_t i, k;

	kv_print(stdout, j, f);
	for (i = 0; i < sizeof(hw_parts) / sizeof(hw_parts[0]); i++) {
		if (!(x = jopt(j, hw_parts[i].key)))
			continue;
		hw_text(c, x);
		kv_print(stdout, x, hw_parts[i].head);
		summary_print(x);
		for (k = 0; fields && k < 2; k++)
			fields_print(x, hw_parts[i].regs[k], 12);
	}
	if ((x = jopt(j, "arm_smmuv3")))
		smmuv3_print(c, x, fields);
	if ((x = jopt(j, "capabilities_why")))
		kv_line(stdout, 15, "Capabilities", "not shown: %s",
			json_object_get_string(x));
}

/* ---- debugfs: regs, invalidation, irte ------------------------------------
 * What the Intel VT-d driver prints under /sys/kernel/debug/iommu/intel
 * (registers, the invalidation queue, the interrupt remapping table), and
 * the AMD-Vi command buffers of Linux 6.17+ (amd/iommuXX/cmdbuf), read
 * through libiommuctl's parsers. Each result is {"units": [...]}.
 */

static const char root_only[] = "run as root: debugfs is readable by root only";

int debugfs_fail(struct cmdctx *c, int rc, const char *file)
{
	char *why = NULL;

	if (rc == -ENOENT &&
	    iommuctl_debugfs_why(c->ctx, file, &why) == -EACCES)
		rc = -EACCES;
	if (rc == -EACCES)
		rc = cmd_fail_on(c, c->object, EXIT_FAILED, EACCES, root_only);
	else if (rc == -EINVAL && iommuctl_debugfs_error(c->ctx))
		rc = cmd_fail_on(c, c->object, EXIT_FAILED, EINVAL, "%s",
				 iommuctl_debugfs_error(c->ctx));
	else if (rc != -ENOENT)
		rc = cmd_fail(c, EXIT_FAILED, rc,
			      "reading /sys/kernel/debug/iommu/%s", file);
	else
		rc = cmd_fail_on(
			c, c->object, EXIT_UNAVAILABLE, ENOENT, "%s",
			why ?: "the kernel does not offer this IOMMU debugfs file");
	free(why);
	return rc;
}

bool debugfs_missing(struct cmdctx *c, const char *file)
{
	char *why = NULL;
	int rc = iommuctl_debugfs_why(c->ctx, file, &why);

	free(why);
	return rc == -ENOENT;
}

/* What a debugfs verb gathers while the library reads the file. */
struct units {
	struct cmdctx *c;
	const char *want; /* UNIT, or NULL: all */
	bool flag; /* regs --fields, invalidation --all */
	struct json_object *units, *seen; /* shown; names in the file */
	struct json_object *cur; /* descriptors of the unit being read */
	char file[64]; /* below /sys/kernel/debug/iommu */
	bool amd; /* invalidation: AMD-Vi command buffers */
};

struct unit_args {
	bool flag;
};

/* Records @unit as seen; is it one to show? */
static bool unit_wanted(struct units *u, const char *unit)
{
	size_t i, n = json_object_array_length(u->seen);

	for (i = 0; i < n; i++)
		if (!strcmp(json_object_get_string(
				    json_object_array_get_idx(u->seen, i)),
			    unit))
			break;
	if (i == n)
		json_object_array_add(u->seen, json_object_new_string(unit));
	return !u->want || !strcmp(u->want, unit);
}

/* "no such unit ...; there are: NAMES" (pgtable context too) */
int no_such_unit(struct cmdctx *c, const char *want, bool amd, const char *file,
		 struct json_object *seen)
{
	char what[96], *names = json_list_text(seen);
	int rc;

	snprintf(what, sizeof(what), "iommu %s", want);
	rc = cmd_fail_on(
		c, what, EXIT_FAILED, ENODEV,
		amd ? "no such unit: there is no %s; there are: %s" :
		      "no such unit in %s; there are: %s",
		file, names && *names && strcmp(names, "-") ? names : "none");
	free(names);
	return rc;
}

/* UNIT was given and the file did not have it: exit 3 for a unit that
 * is not VT-d, else 1 naming the units there are. */
static int unit_missing(struct units *u)
{
	struct iommuctl_iommu *it =
		iommuctl_iommu_get_by_name(u->c->ctx, u->want);
	char what[96];

	if (u->amd)
		return no_such_unit(u->c, u->want, true, u->file, u->seen);
	snprintf(what, sizeof(what), "iommu %s", u->want);
	if (it && iommuctl_iommu_get_kind(it) != IOMMUCTL_IOMMU_INTEL_VTD)
		return cmd_fail_on(
			u->c, what, EXIT_UNAVAILABLE, EOPNOTSUPP,
			"is an %s unit: only Intel VT-d units print this in debugfs",
			iommuctl_iommu_kind_name(iommuctl_iommu_get_kind(it)));
	if (!json_object_array_length(u->seen))
		return cmd_fail_on(u->c, what, EXIT_FAILED, ENODEV,
				   "no such unit: %s lists no unit", u->file);
	return no_such_unit(u->c, u->want, false, u->file, u->seen);
}

/* A unit's object, added to the result: "unit" and "base" first. */
static struct json_object *unit_new(struct units *u, const char *unit,
				    uint64_t base)
{
	struct json_object *j = json_object_new_object();

	jadd_str(j, "unit", unit);
	jadd_hex(j, "base", base);
	json_object_array_add(u->units, j);
	return j;
}

/* The "UNIT: " of a unit's text, in the header colour. */
static void unit_header(struct cmdctx *c, const char *unit)
{
	printf("%s%s%s", color_on(c, "header"), unit, color_off(c));
}

/* ---- regs ---- */

/* What GSTS, RTADDR and FSTS say; null for a register not in the file. */
static struct json_object *status_to_json(const struct iommuctl_vtd_regset *rs)
{
	struct json_object *s = json_object_new_object();
	struct iommuctl_vtd_status st;
	const struct iommuctl_item *it;
	unsigned int n;

	iommuctl_vtd_regset_status(rs, &st);
	it = iommuctl_vtd_status_items(&n);
	items_to_json(s, st.have_gsts ? &st : NULL, it, n);
	jset(s, "mode", jstrn(st.mode));
	jset(s, "faults",
	     st.have_fsts ? json_strv(st.faults, st.nfaults) : NULL);
	return s;
}

/* The registers regs --fields decodes. */
static const char *const field_regs[] = { "GSTS", "FSTS", "RTADDR" };
#define NFIELD_REGS (sizeof(field_regs) / sizeof(field_regs[0]))

/* The one emitter of a unit's registers. */
static int regs_cb(const struct iommuctl_vtd_regset *rs, void *arg)
{
	struct units *u = arg;
	struct json_object *j, *a;
	size_t i;
	uint64_t v;

	if (!unit_wanted(u, rs->unit))
		return 0;
	j = unit_new(u, rs->unit, rs->base);
	a = json_object_new_array();
	for (i = 0; i < rs->nregs; i++) {
		struct json_object *r = json_object_new_object();

		jadd_str(r, "name", rs->regs[i].name);
		jadd_hex(r, "offset", rs->regs[i].offset);
		jadd_hex(r, "value", rs->regs[i].value);
		json_object_array_add(a, r);
	}
	jadd(j, "registers", a);
	jadd(j, "register_state", status_to_json(rs));
	for (i = 0; u->flag && i < NFIELD_REGS; i++) {
		bool have = !iommuctl_vtd_regset_find(rs, field_regs[i], &v);

		fields_add(j, field_regs[i], v, have);
	}
	return 0;
}

static int regs_read(struct units *u)
{
	return iommuctl_vtd_regsets(u->c->ctx, regs_cb, u);
}

static void regs_print(struct cmdctx *c, struct json_object *u)
{
	static const struct column status_fields[] = {
		{ "Translation", "translation", 0 },
		{ "Root table set", "root_table_set", 0 },
		{ "Mode", "mode", 0 },
		{ "Queued invalidation", "queued_invalidation", 0 },
		{ "Interrupt remapping", "interrupt_remapping", 0 },
		{ "Interrupt table set", "interrupt_table_set", 0 },
		{ "Compat format interrupts", "compat_format_interrupts", 0 },
		{ "Write buffer flush", "write_buffer_flush", 0 },
		{ "Faults", "faults", 0 },
		{ NULL, NULL, 0 },
	};
	static const struct column reg_cols[] = {
		{ "NAME", "name", 0 },
		{ "OFFSET", "offset", COL_RIGHT },
		{ "VALUE", "value", 0 },
		{ NULL, NULL, 0 },
	};
	struct json_object *s = jget(c, u, "register_state"),
			   *v = jopt(s, "faults");
	size_t i;

	unit_header(c, jstr(c, u, "unit"));
	printf(" at %s\n", jstr(c, u, "base"));
	if (v && !json_object_array_length(v)) /* reads better than "-" */
		jadd_str(s, "faults", "none");
	kv_print(stdout, s, status_fields);
	for (i = 0; i < NFIELD_REGS; i++)
		fields_print(u, field_regs[i], 8);
	printf("\n");
	table_print(stdout, jget(c, u, "registers"), reg_cols, "  ");
}

/* ---- invalidation: the VT-d queue or the AMD-Vi command buffer ---- */

/* A queue's head, tail, descriptor width (VT-d: @bits) and its slots to
 * come, in @j. */
static void queue_add(struct units *u, struct json_object *j, uint64_t head,
		      uint64_t tail, int bits)
{
	jadd_int(j, "head", (int64_t)head);
	jadd_int(j, "tail", (int64_t)tail);
	if (bits)
		jadd_int(j, "descriptor_bits", bits);
	u->cur = json_object_new_array();
	jadd(j, "descriptors", u->cur);
}

static int qi_unit_cb(const struct iommuctl_vtd_qi *q, void *arg)
{
	struct units *u = arg;

	u->cur = NULL;
	if (unit_wanted(u, q->unit))
		queue_add(u, unit_new(u, q->unit, q->base), q->head, q->tail,
			  q->wide ? 256 : 128);
	return 0;
}

static int cmdbuf_unit_cb(const struct iommuctl_amd_cmdbuf *b, void *arg)
{
	const char *unit = b->sysfs_unit;
	struct units *u = arg;
	struct json_object *j;

	u->cur = NULL;
	/* seen: by the name UNIT is given as */
	if (!unit_wanted(u, unit ?: b->unit) &&
	    !(u->want && !strcmp(u->want, b->unit)))
		return 0;
	j = json_object_new_object();
	jset(j, "unit", jstrn(unit));
	jadd_str(j, "debugfs", b->unit);
	queue_add(u, j, b->head, b->tail, 0);
	json_object_array_add(u->units, j);
	return 0;
}

/* The one emitter of a slot: its words under @key ("qw", "dw"), and for
 * VT-d (@d) the status the driver keeps. A slot never written (all words
 * zero) is left out unless --all. */
static void slot_add(struct units *u, unsigned int index, const char *type,
		     const struct iommuctl_vtd_qi_desc *d, const char *key,
		     const uint64_t *w, unsigned int n)
{
	struct json_object *j;
	bool written = false;
	unsigned int i;

	for (i = 0; i < n; i++)
		written |= w[i] != 0;
	if (!u->cur || !(written || u->flag))
		return;
	j = json_object_new_object();
	jadd_int(j, "index", index);
	jadd_str(j, "type", type ?: "unknown");
	if (d)
		jadd(j, "status",
		     d->status_name ?
			     json_object_new_string(d->status_name) :
			     json_object_new_int64((int64_t)d->status));
	jadd(j, key, json_hexv(w, n));
	json_object_array_add(u->cur, j);
}

static int qi_cb(const struct iommuctl_vtd_qi *q,
		 const struct iommuctl_vtd_qi_desc *d, void *arg)
{
	slot_add(arg, d->index, d->type_name, d, "qw", d->qw, q->wide ? 4 : 2);
	return 0;
}

static int cmdbuf_cb(const struct iommuctl_amd_cmdbuf *b UNUSED,
		     const struct iommuctl_amd_cmd *d, void *arg)
{
	uint64_t dw[4] = { d->dw[0], d->dw[1], d->dw[2], d->dw[3] };

	slot_add(arg, d->index, d->name, NULL, "dw", dw, 4);
	return 0;
}

static int invalidation_read(struct units *u)
{
	int rc = iommuctl_invalidation_file(u->c->ctx, u->want, u->file,
					    sizeof(u->file));

	if (rc < 0)
		return rc;
	u->amd = rc;
	if (!u->amd)
		return iommuctl_vtd_invalidation_queues(u->c->ctx, qi_unit_cb,
							qi_cb, u);
	return iommuctl_amd_cmdbufs(u->c->ctx, cmdbuf_unit_cb, cmdbuf_cb, u);
}

/* A queue's table: INDEX, TYPE, STATUS (VT-d), the @n words of each slot
 * spread over columns (added to the result, which is not printed as JSON)
 * and where the head and tail are. */
static void slots_print(struct cmdctx *c, struct json_object *u, bool amd,
			unsigned int n)
{
	struct json_object *descs = jget(c, u, "descriptors");
	int64_t head = json_object_get_int64(jget(c, u, "head")),
		tail = json_object_get_int64(jget(c, u, "tail"));
	size_t i, k, nd = json_object_array_length(descs);
	struct column cols[9] = { { "INDEX", "index", COL_RIGHT },
				  { "TYPE", "type", 0 },
				  { "STATUS", "status", 0 } };
	unsigned int nc = amd ? 2 : 3;
	char word[4][2][8]; /* "qw0" and "QW0", ... */

	for (k = 0; k < n; k++) {
		snprintf(word[k][0], 8, "%s%u", amd ? "dw" : "qw", (unsigned)k);
		snprintf(word[k][1], 8, "%s%u", amd ? "DW" : "QW", (unsigned)k);
		cols[nc++] = (struct column){ word[k][1], word[k][0], 0 };
	}
	cols[nc] = (struct column){ "AT", "at", 0 };
	for (i = 0; i < nd; i++) {
		struct json_object *d = json_object_array_get_idx(descs, i),
				   *w = jget(c, d, amd ? "dw" : "qw");
		int64_t idx = json_object_get_int64(jget(c, d, "index"));

		for (k = 0; k < json_object_array_length(w) && k < n; k++)
			jset(d, word[k][0],
			     json_object_get(json_object_array_get_idx(w, k)));
		jadd_str(d, "at",
			 idx == head && idx == tail ? "<- head, tail" :
			 idx == head		    ? "<- head" :
			 idx == tail		    ? "<- tail" :
						      "");
	}
	if (nd)
		table_print(stdout, descs, cols, "  ");
}

static void invalidation_print(struct cmdctx *c, struct json_object *u)
{
	bool all = ((const struct unit_args *)c->args)->flag;
	struct json_object *dfs = jopt(u, "debugfs"), *unit = jopt(u, "unit");
	const char *name = unit ? json_object_get_string(unit) : NULL;
	int bits = 0;
	char rest[128], size[32] = "";
	const char *head = jstr(c, u, "unit");

	if (dfs) { /* AMD-Vi */
		head = name ?: json_object_get_string(dfs);
		snprintf(rest, sizeof(rest), "%s%s%s: command buffer",
			 name ? " (debugfs " : "",
			 name ? json_object_get_string(dfs) : "",
			 name ? ")" : "");
	} else {
		bits = json_object_get_int(jget(c, u, "descriptor_bits"));
		snprintf(rest, sizeof(rest), ": invalidation queue at %s",
			 jstr(c, u, "base"));
		snprintf(size, sizeof(size), ", %d-bit descriptors", bits);
	}
	print_wrapped(2, "%s%s%s%s, head %s, tail %s%s, %zu %s",
		      color_on(c, "header"), head, color_off(c), rest,
		      jstr(c, u, "head"), jstr(c, u, "tail"), size,
		      json_object_array_length(jget(c, u, "descriptors")),
		      all ? "slots" :
			    "slots written (--all lists empty ones too)");
	slots_print(c, u, dfs, dfs || bits == 256 ? 4 : 2);
}

/* ---- irte ---- */

/* A unit's object (made by its first line), with both sections null. */
static struct json_object *irte_unit(struct units *u, const char *unit)
{
	size_t i, n = json_object_array_length(u->units);
	struct json_object *j;

	for (i = 0; i < n; i++) {
		j = json_object_array_get_idx(u->units, i);
		if (!strcmp(jstr(u->c, j, "unit"), unit))
			return j;
	}
	j = json_object_new_object();
	jadd_str(j, "unit", unit);
	jset(j, "remapping", NULL);
	jset(j, "posted", NULL);
	json_object_array_add(u->units, j);
	return j;
}

/* A section's header (the library reports it before its entries): its
 * object, whose entries come next (u->cur), NULL for a unit not shown. */
static int irte_unit_cb(const struct iommuctl_vtd_unit_state *us, bool posted,
			void *arg)
{
	struct units *u = arg;
	struct json_object *s;

	u->cur = NULL;
	if (!unit_wanted(u, us->unit))
		return 0;
	s = json_object_new_object();
	jadd_bool(s, "enabled", us->enabled);
	jset(s, "table", us->enabled && us->table ? json_hex(us->table) : NULL);
	u->cur = json_object_new_array();
	jadd(s, "entries", u->cur);
	jset(irte_unit(u, us->unit), posted ? "posted" : "remapping", s);
	return 0;
}

/* The one emitter of an interrupt remapping table entry. */
static struct json_object *irte_to_json(struct cmdctx *c,
					const struct iommuctl_vtd_irte *e)
{
	struct json_object *j = json_object_new_object(), *dm = NULL;
	const uint64_t raw[2] = { e->high, e->low };
	char sid[16], bdf[24];

	snprintf(sid, sizeof(sid), "%02x:%02x.%x", e->source_id >> 8,
		 (e->source_id >> 3) & 0x1f, e->source_id & 7);
	snprintf(bdf, sizeof(bdf), "0000:%s", sid);
	jadd_int(j, "index", e->index);
	jadd_str(j, "source_id", sid);
	jset(j, "device",
	     jstrn(iommuctl_device_get_by_name(c->ctx, bdf) ? bdf : NULL));
	jadd_hex(j, e->posted ? "pda" : "destination",
		 e->posted ? e->pda : e->dest_id);
	jadd_int(j, "vector", e->vector);
	/* posted entries have no such fields: those bits are reserved */
	if (!e->posted)
		dm = e->delivery_name ?
			     json_object_new_string(e->delivery_name) :
			     json_object_new_int((int)e->delivery_mode);
	jset(j, "trigger", jstrn(e->trigger_name));
	jset(j, "destination_mode", jstrn(e->dest_mode_name));
	jset(j, "delivery", dm);
	jadd_bool(j, "fpd", e->fpd);
	jadd_int(j, "svt", e->svt);
	jadd_int(j, "sq", e->sq);
	jadd(j, "raw", json_hexv(raw, 2));
	return j;
}

static int irte_cb(const struct iommuctl_vtd_unit_state *us UNUSED,
		   const struct iommuctl_vtd_irte *e, void *arg)
{
	struct units *u = arg;

	if (u->cur)
		json_object_array_add(u->cur, irte_to_json(u->c, e));
	return 0;
}

static int irte_read(struct units *u)
{
	return iommuctl_vtd_irtes(u->c->ctx, irte_unit_cb, irte_cb, u);
}

static void irte_section_print(struct cmdctx *c, const char *unit, bool posted,
			       struct json_object *s)
{
	const char *what = posted ? "posted interrupts" :
				    "interrupt remapping table";
	const struct column cols[] = {
		{ "INDEX", "index", COL_RIGHT },
		{ "SOURCE", "source_id", 0 },
		{ "DEVICE", "device", 0 },
		{ "DEST", posted ? "pda" : "destination", 0 },
		{ "VECTOR", "vector_hex", COL_RIGHT },
		{ "TRIGGER", "trigger", 0 },
		{ "MODE", "destination_mode", 0 },
		{ NULL, NULL, 0 },
	};
	struct json_object *a = jget(c, s, "entries"),
			   *table = jopt(s, "table");
	size_t i, n = json_object_array_length(a);

	unit_header(c, unit);
	if (!json_object_get_boolean(jget(c, s, "enabled"))) {
		printf(": %s: not enabled\n", what);
		return;
	}
	printf(": %s%s%s, %zu entr%s\n", what, table ? " at " : "",
	       table ? json_object_get_string(table) : "", n,
	       n == 1 ? "y" : "ies");
	for (i = 0; i < n; i++) { /* a column, added to the result */
		struct json_object *e = json_object_array_get_idx(a, i);
		char vec[8];

		snprintf(vec, sizeof(vec), "0x%02x",
			 json_object_get_int(jget(c, e, "vector")));
		jadd_str(e, "vector_hex", vec);
	}
	if (n)
		table_print(stdout, a, cols, "  ");
}

static void irte_print(struct cmdctx *c, struct json_object *u)
{
	const char *name = jstr(c, u, "unit");
	struct json_object *s;

	if ((s = jopt(u, "remapping")))
		irte_section_print(c, name, false, s);
	if ((s = jopt(u, "posted")))
		irte_section_print(c, name, true, s);
}

/* ---- the verbs ---- */

static int dfs_run(struct cmdctx *c, void *args)
{
	const struct units_verb *v = c->vb->data;
	struct units u = { .c = c,
			   .want = c->argc ? c->argv[0] : NULL,
			   .flag = ((const struct unit_args *)args)->flag };
	struct json_object *j;
	int rc;

	snprintf(u.file, sizeof(u.file), "%s", v->file);
	u.units = json_object_new_array();
	u.seen = json_object_new_array();
	rc = v->read(&u);
	if (rc < 0)
		rc = debugfs_fail(c, rc, u.file);
	else if (u.want && !json_object_array_length(u.units))
		rc = unit_missing(&u);
	json_object_put(u.seen);
	if (rc < 0) {
		json_object_put(u.units);
		return rc;
	}
	j = json_object_new_object();
	jadd(j, "units", u.units);
	return cmd_out(c, j);
}

static void units_text(struct cmdctx *c, struct json_object *j)
{
	const struct units_verb *v = c->vb->data;
	struct json_object *a = jget(c, j, "units");

	if (a)
		render_each(c, a, v->print);
}

const struct render units_render = { .text = units_text };

static const struct opt regs_opts[] = {
	OPT_BOOL("fields", 'f', struct unit_args, flag,
		 "also decode GSTS, FSTS and RTADDR field by field"),
	OPT_END,
};

static const struct opt qi_opts[] = {
	OPT_BOOL("all", 'a', struct unit_args, flag,
		 "list every slot, also those never written"),
	OPT_END,
};

#define UNITS_VERB                                            \
	.args_size = sizeof(struct unit_args), .max_args = 1, \
	.too_many = "give at most one unit", .run = dfs_run,  \
	.render = &units_render

/* clang-format off */
static const struct units_verb regs_verb = { "intel/iommu_regset", regs_read,
					     regs_print },
	qi_verb = { "intel/invalidation_queue", invalidation_read,
		    invalidation_print },
	irte_verb = { "intel/ir_translation_struct", irte_read, irte_print };

static const struct verb iommu_verbs[] = {
	{ .name = "list", .summary = "list IOMMU units", .synopsis = "",
	  .description = "List the IOMMU units in /sys/class/iommu: name, kind (intel-vtd,\n"
			 "amd-vi, virtio-iommu, arm-smmu-v3, arm-smmu, iommufd-mock, other),\n"
			 "driver, register address, version and number of devices.",
	  .run = list_run,
	  .render = &(const struct render){ .text = list_counts } },
	{ .name = "show", .summary = "show IOMMU units and their decoded capabilities",
	  .synopsis = "[--fields] UNIT",
	  .description = "Show an IOMMU unit: the devices behind it and their decoded\n"
			 "capabilities. VT-d: address widths, scalable mode, PASID and its\n"
			 "width, first/second stage, nesting, dirty tracking (SSADS),\n"
			 "interrupt remapping, posted interrupts, queued invalidation,\n"
			 "page-walk coherency, ATS/PRS. AMD-Vi: the EFR/EFR2 feature words\n"
			 "(read in the order this kernel prints them). Arm SMMUv3: the driver's\n"
			 "boot line from the kernel log (ias, oas, its feature word by name;\n"
			 "root), and IDR0-5/IIDR/AIDR through IOMMU_GET_HW_INFO (Linux 6.14+)\n"
			 "for a device behind the unit that the session holds or that is bound\n"
			 "to vfio-pci: stages and nesting, S2FWB, SubstreamID (PASID) and\n"
			 "StreamID bits, ATS, PRI, MSI, coherency, stalls, HTTU, address sizes;\n"
			 "where neither is there, why. Raw values always.",
	  .opts = show_opts, .args_size = sizeof(struct show_args),
	  .min_args = 1, .max_args = 1,
	  .need = "which unit? (see 'iommuctl iommu list')", .run = show_run,
	  .render = &(const struct render){ .text = show_one } },
	{ .name = "regs", .summary = "VT-d registers and status, from debugfs",
	  .synopsis = "[--fields] [UNIT]",
	  .description =
		  "The registers of VT-d units as the driver prints them in debugfs\n"
		  "(intel/iommu_regset), and what the status registers say: translation\n"
		  "enabled (GSTS.TES), root table set, queued invalidation, interrupt\n"
		  "remapping, legacy or scalable mode (RTADDR.TTM) and the fault flags\n"
		  "set in FSTS. All units, or UNIT. Needs root and a kernel with\n"
		  "CONFIG_INTEL_IOMMU_DEBUGFS (off in most distribution kernels).",
	  .opts = regs_opts, .data = &regs_verb, UNITS_VERB },
	{ .name = "invalidation",
	  .summary = "VT-d invalidation queue or AMD-Vi command buffer, from debugfs",
	  .synopsis = "[--all] [UNIT]",
	  .description =
		  "The invalidation queue of VT-d units (intel/invalidation_queue): base,\n"
		  "head and tail, and each slot's descriptor decoded by type\n"
		  "(context-cache, iotlb, dev-tlb, iec, wait, pasid-iotlb, pasid-cache,\n"
		  "pasid-dev-tlb, page-response) with the status the driver keeps (free,\n"
		  "in-use, done, abort). On AMD-Vi units (UNIT ivhd0 or iommu00) the\n"
		  "command buffer instead (amd/iommuXX/cmdbuf, Linux 6.17+): head, tail\n"
		  "and each slot's command type (COMPLETION_WAIT, INVALIDATE_IOMMU_PAGES,\n"
		  "...) and dwords. Slots that are all zero are left out unless --all.\n"
		  "Needs root and CONFIG_INTEL_IOMMU_DEBUGFS or CONFIG_AMD_IOMMU_DEBUGFS.",
	  .opts = qi_opts, .data = &qi_verb, UNITS_VERB },
	{ .name = "irte", .summary = "VT-d interrupt remapping table, from debugfs",
	  .synopsis = "[UNIT]",
	  .description =
		  "The interrupt remapping tables of VT-d units\n"
		  "(intel/ir_translation_struct): for each entry in use, the requester ID\n"
		  "it accepts and the PCI device that has it, destination APIC ID (or the\n"
		  "posted descriptor address), vector, trigger mode, destination mode,\n"
		  "delivery mode, FPD, SVT/SQ and the raw entry. Needs root and\n"
		  "CONFIG_INTEL_IOMMU_DEBUGFS.",
	  .data = &irte_verb, UNITS_VERB },
	{ .name = NULL },
};
/* clang-format on */

const struct object obj_iommu = { "iommu", "IOMMU units and their capabilities",
				  iommu_verbs, NULL };
