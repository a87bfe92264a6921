// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl device: PCI functions and other IOMMU group members, and the
 * devices of an iommufd session (selftest mocks, bound VFIO cdevs). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

/* clang-format off */
static const struct column device_cols[] = {
	{ "DEVICE", "name", 0 },	{ "GROUP", "group", COL_RIGHT },
	{ "IOMMU", "iommu", 0 },	{ "DRIVER", "driver", 0 },
	{ "VFIO", "vfio_cdev", 0 },	{ "CLASS", "class", 0 },
	{ "VENDOR", "vendor_name", COL_NAME },
	{ "NAME", "device_name", COL_NAME },
	{ NULL, NULL, 0 },
};

static const struct column device_fields[] = {
	{ "Device", "name", 0 },	{ "Subsystem", "subsystem", 0 },
	{ "Vendor", "vendor", 0 },	{ "Vendor name", "vendor_name", 0 },
	{ "Device ID", "device", 0 },	{ "Device name", "device_name", 0 },
	{ "Class", "class", 0 },	{ "IOMMU group", "group", 0 },
	{ "IOMMU", "iommu", 0 },	{ "Driver", "driver", 0 },
	{ "driver_override", "driver_override", 0 },
	{ "VFIO cdev", "vfio_cdev", 0 },	{ "NUMA node", "numa_node", 0 },
	{ "Parent", "parent", 0 },	{ "mdev type", "mdev_type", 0 },
	{ "PCIe type", "pcie_type", 0 },
	{ "Multifunction", "multifunction", 0 },	{ "Bridge", "bridge", 0 },
	{ "ATS", "ats", 0 },		{ "PRI", "pri", 0 },
	{ "PASID", "pasid_capable", 0 },	{ "PASID width", "pasid_width", 0 },
	{ "ARI", "ari", 0 },		{ "SR-IOV", "sriov", 0 },
	{ "Reset methods", "reset_methods", 0 },
	{ "Hot reset", "hot_reset", 0 },
	{ "Hot reset via", "hot_reset_bridge", 0 },
	{ "Reset affects", "reset_affects", 0 },
	{ "Config size", "config_size", 0 },
	{ NULL, NULL, 0 },
};
/* clang-format on */

int device_ref(struct cmdctx *c, const char *name, struct iommuctl_device **out)
{
	char what[96];

	*out = iommuctl_device_get_by_name(c->ctx, name);
	if (*out)
		return 0;
	snprintf(what, sizeof(what), "device %s", name);
	/* a PCI address that is not there: exit 1; a word that is neither a
	 * PCI address nor a device's name is a usage error, exit 2 */
	if (iommuctl_parse_bdf(name, NULL, 0) == 0)
		return cmd_fail_on(c, what, EXIT_FAILED, ENODEV,
				   "no such PCI device (see 'iommuctl device list')");
	return cmd_fail_on(
		c, what, EXIT_USAGE, EINVAL,
		"not a PCI address (DDDD:BB:DD.F) nor a known device (see 'iommuctl device list')");
}

int device_group(struct cmdctx *c, struct iommuctl_device *d)
{
	char what[96];
	int g = iommuctl_device_get_group_id(d);

	if (g >= 0)
		return g;
	snprintf(what, sizeof(what), "device %s", iommuctl_device_get_name(d));
	return cmd_fail_on(c, what, EXIT_UNAVAILABLE, ENOENT,
			   "not in an IOMMU group: %s",
			   iommuctl_device_no_group_reason(d));
}

/* ---- list ----------------------------------------------------------------- */

struct list_args {
	long group;
	const char *driver;
};

static void list_init(void *args)
{
	((struct list_args *)args)->group = -1;
}

static int group_opt(struct cmdctx *c, const struct opt *o UNUSED,
		     const char *text, void *field)
{
	unsigned int id;
	int rc = group_number(c, text, &id);

	if (rc == 0)
		*(long *)field = id;
	return rc;
}

static const struct opt list_opts[] = {
	OPT_CALL("group", 'g', "N", struct list_args, group, group_opt,
		 "only devices in IOMMU group N"),
	OPT_STR("driver", 'd', "NAME", struct list_args, driver,
		"only devices bound to driver NAME ('none' for unbound)"),
	OPT_END,
};

static int list_run(struct cmdctx *c, void *args)
{
	const struct list_args *a = args;
	struct iommuctl_device *d;
	struct list_out l;

	/* each device's capabilities are printed: read config in one go */
	iommuctl_set_full_config(c->ctx, true);
	list_begin(c, &l);
	iommuctl_device_foreach(c->ctx, d)
	{
		const char *drv = iommuctl_device_get_driver(d);

		if (a->group >= 0 &&
		    iommuctl_device_get_group_id(d) != a->group)
			continue;
		if (a->driver && strcmp(drv ? drv : "none", a->driver))
			continue;
		list_add(&l, device_to_json(d, true));
	}
	return list_end(&l);
}

/* ---- show ----------------------------------------------------------------- */

/*
 * Inside a session (batch, shell), a name or id that is no device of the
 * system but a device object of the session: shown as the session has it.
 */
static struct iommuctl_obj *session_device(struct cmdctx *c, const char *ref)
{
	struct iommuctl_obj *o;

	if (!c->sess || iommuctl_device_get_by_name(c->ctx, ref))
		return NULL;
	o = iommuctl_session_find(c->sess, ref);
	return o && iommuctl_obj_get_type(o) == IOMMUCTL_OBJ_DEVICE ? o : NULL;
}

/* "device 3 (m0): mock iommufd_mock0, attached to hwpt 4" and its PASIDs */
static void session_device_text(struct cmdctx *c, struct json_object *d)
{
	struct json_object *p = jopt(d, "pasids"), *v;
	size_t k, n = p ? json_object_array_length(p) : 0;

	printf("%s: %s%s", jstr(c, d, "label"),
	       json_object_get_boolean(jopt(d, "mock")) ? "mock " : "",
	       json_object_get_string(jopt(d, "device")) ?: "-");
	if (jopt(d, "attached"))
		printf(", attached to %s", ref_label(c, d, "attached"));
	printf("\n");
	for (k = 0; k < n; k++) {
		struct json_object *e = json_object_array_get_idx(p, k);

		v = jopt(e, "confirmed");
		printf("  PASID %d: %s (%s)\n",
		       json_object_get_int(jopt(e, "pasid")),
		       ref_label(c, e, "hwpt"),
		       !v ? "the kernel cannot be asked" :
		       json_object_get_boolean(v) ?
			    "the kernel confirms" :
			    "the kernel does NOT confirm");
	}
}

static int show_run(struct cmdctx *c, void *args UNUSED)
{
	struct iommuctl_obj *o = session_device(c, c->argv[0]);
	struct iommuctl_device *d;
	struct json_object *j;
	int rc;

	if (o)
		return cmd_out(c, obj_to_json(o, true));
	rc = device_ref(c, c->argv[0], &d);
	if (rc < 0)
		return rc;
	j = device_to_json(d, true);
	if (iommuctl_device_is_pci(d)) /* show only: it walks all */
		reset_scope_add(d, j);
	return cmd_out(c, j);
}

/* "ACS: enabled (cap 0x001f, ctrl 0x001d: sv+ rr+ cr+ uf+ tb-)" */
static void print_acs(struct cmdctx *c, struct json_object *acs)
{
	struct json_object *caps, *en;

	printf("ACS:             %s", jstr(c, acs, "verdict"));
	if (jopt(acs, "cap")) {
		printf(" (cap %s, ctrl %s:", jstr(c, acs, "cap"),
		       jstr(c, acs, "ctrl"));
		caps = jget(c, acs, "capabilities");
		en = jget(c, acs, "controls");
		if (en) {
			json_object_object_foreach(en, k, on) {
				bool has = json_object_get_boolean(
					jget(c, caps, k));

				if (has || json_object_get_boolean(on))
					printf(" %s%s", k,
					       json_object_get_boolean(on) ?
						       "+" :
						       "-");
			}
		}
		printf(")");
	}
	printf("\n");
}

static void show_one(struct cmdctx *c, struct json_object *d)
{
	if (jopt(d, "mock")) {
		session_device_text(c, d);
		return;
	}
	kv_print(stdout, d, device_fields);
	if (jopt(d, "acs"))
		print_acs(c, jopt(d, "acs"));
}

/* ---- explain -------------------------------------------------------------- */

static int explain_run(struct cmdctx *c, void *args UNUSED)
{
	struct iommuctl_device *d;
	struct json_object *j;
	int rc = device_ref(c, c->argv[0], &d);

	if (rc >= 0)
		rc = device_group(c, d);
	if (rc < 0)
		return rc;
	j = explain_device_to_json(d);
	jadd_int(j, "group", rc);
	jadd(j, "predicted_members", predicted_members(c->ctx, d));
	jadd_bool(j, "certain", iommuctl_explain_is_certain(c->ctx));
	return cmd_out(c, j);
}

static void explain_text(struct cmdctx *c, struct json_object *j)
{
	char *text = json_list_text(jget(c, j, "predicted_members"));

	print_wrapped(2, "%s\nPredicted group: %s", jstr(c, j, "message"),
		      text);
	free(text);
	print_uncertain_note(c);
}

/* ---- session devices: selftest mocks and bound VFIO cdevs ---------------- */

struct sdev_args {
	const char *name; /* first: obj_create_run() */
	struct objref pt;
	unsigned int flags;
	uint32_t pasid;
	bool has_pasid;
};

/*
 * --pasid N: any 32-bit PASID; whether the device has it is the kernel's
 * answer (the PASID width its IOMMU reports), which the refusal explains.
 */
static int pasid_opt(struct cmdctx *c, const struct opt *o UNUSED,
		     const char *text, void *field)
{
	uint64_t v;

	if (iommuctl_parse_size(text, &v) < 0 || v > UINT32_MAX)
		return cmd_usage(
			c, "--pasid wants a number below 2^32, not '%s'", text);
	*(uint32_t *)field = (uint32_t)v;
	return 0;
}

#define NAME_OPT                                             \
	OPT_STR("name", 'n', "NAME", struct sdev_args, name, \
		"name the device object")
#define PASID_OPT(help)                                                     \
	OPT_CALL("pasid", 0, "N", struct sdev_args, pasid, pasid_opt, help, \
		 OPT_SEEN(struct sdev_args, has_pasid))

static const struct opt mock_opts[] = {
	OPT_OBJ("ioas", 0, "IOAS|HWPT", struct sdev_args, pt, OBJ_MASK_PT,
		"attach the mock device to this IOAS or hwpt (required)",
		OPT_REQUIRED),
	OPT_BITS("no-dirty", 0, struct sdev_args, flags,
		 IOMMUCTL_DEV_MOCK_NO_DIRTY,
		 "a mock device whose IOMMU cannot track dirty pages"),
	OPT_BITS(
		"huge-iova", 0, struct sdev_args, flags,
		IOMMUCTL_DEV_MOCK_HUGE_IOVA,
		"a mock device whose IOMMU uses huge IOVA pages (Linux 6.7-6.18)"),
	OPT_BITS("pasid-capable", 0, struct sdev_args, flags,
		 IOMMUCTL_DEV_MOCK_PASID,
		 "a mock device with PASIDs, 20 bits wide (Linux 6.15)"),
	NAME_OPT,
	OPT_END,
};

static const struct opt bind_opts[] = { NAME_OPT, OPT_END };

static const struct opt attach_opts[] = {
	OPT_OBJ("pt", 0, "IOAS|HWPT", struct sdev_args, pt, OBJ_MASK_PT,
		"the IOAS or hwpt to attach to (required)", OPT_REQUIRED),
	PASID_OPT("attach only this PASID of the device (Linux 6.15)"),
	OPT_END,
};

static const struct opt detach_opts[] = {
	PASID_OPT("detach only this PASID (Linux 6.15)"),
	OPT_END,
};

/* mock and bind (obj_create_run()) */
static int mock_make(struct cmdctx *c, void *args, struct iommuctl_obj **o)
{
	const struct sdev_args *a = args;

	return iommuctl_mock_device_create(c->sess, a->pt.obj, a->flags, o);
}

static int bind_make(struct cmdctx *c, void *args UNUSED,
		     struct iommuctl_obj **o)
{
	return iommuctl_vfio_device_bind(c->sess, c->argv[0], o);
}

static const struct objcreate mock_create = { .make = mock_make,
					      .cannot = "cannot create",
					      .what = "mock device" };
static const struct objcreate bind_create = {
	.make = bind_make,
	.cannot = "cannot bind to the session"
};

static void bound_text(struct cmdctx *c, struct json_object *j)
{
	const char *dev = json_object_get_string(jget(c, j, "device"));

	printf("bound %s as %s\n", dev ? dev : c->argv[0], jstr(c, j, "label"));
}

/* attach and replace; with --pasid, only that PASID */
static int attach_run(struct cmdctx *c, void *args)
{
	const struct sdev_args *a = args;
	struct iommuctl_obj *dev = c->obj;
	int rc;

	if (a->has_pasid)
		rc = iommuctl_device_attach_pasid(dev, a->pasid, a->pt.obj);
	else if (!strcmp(c->verb, "replace"))
		rc = iommuctl_device_replace(dev, a->pt.obj);
	else
		rc = iommuctl_device_attach(dev, a->pt.obj);
	if (rc < 0 && a->has_pasid)
		return obj_fail(c, rc, dev, "cannot attach PASID %u to %s",
				a->pasid, iommuctl_obj_label(a->pt.obj));
	if (rc < 0)
		return obj_fail(c, rc, dev, "cannot attach to %s",
				iommuctl_obj_label(a->pt.obj));
	return cmd_out(c, obj_to_json(dev, false));
}

/* The session object a reference in @j names, or NULL without one. */
static struct iommuctl_obj *ref_obj(struct cmdctx *c, struct json_object *j,
				    const char *key)
{
	struct json_object *v = jopt(j, key);

	return v ? iommuctl_session_find(c->sess, json_object_get_string(v)) :
		   NULL;
}

/* "attached device 2 to hwpt 3 (made by the kernel, in ioas 1)" */
static void attached_text(struct cmdctx *c, struct json_object *j)
{
	const struct sdev_args *a = c->args;
	struct iommuctl_obj *hwpt = ref_obj(c, j, "attached");
	struct iommuctl_obj *ioas = ref_obj(c, j, "ioas");
	struct iommuctl_obj_info in;

	if (a->has_pasid) {
		printf("attached PASID %u of %s to %s\n", a->pasid,
		       jstr(c, j, "label"), iommuctl_obj_label(a->pt.obj));
		return;
	}
	printf("%s %s", (const char *)c->vb->data, jstr(c, j, "label"));
	if (hwpt) {
		iommuctl_obj_get_info(hwpt, &in);
		printf(" to %s", iommuctl_obj_label(hwpt));
		if (in.auto_hwpt)
			printf(" (made by the kernel, in %s)",
			       iommuctl_obj_label(ioas));
		else if (ioas)
			printf(" (in %s)", iommuctl_obj_label(ioas));
	}
	printf("\n");
}

static int detach_run(struct cmdctx *c, void *args)
{
	const struct sdev_args *a = args;
	struct iommuctl_obj *dev = c->obj;
	int rc = a->has_pasid ? iommuctl_device_detach_pasid(dev, a->pasid) :
				iommuctl_device_detach(dev);
	if (rc < 0 && a->has_pasid)
		return obj_fail(c, rc, dev, "cannot detach PASID %u", a->pasid);
	if (rc < 0)
		return obj_fail(c, rc, dev, "cannot detach");
	return cmd_out(c, obj_to_json(dev, false));
}

/* pasid-check: the kernel's own answer, not the session's record */
static int pasid_check_run(struct cmdctx *c, void *args)
{
	const struct sdev_args *a = args;
	struct iommuctl_obj *dev = c->obj;
	struct json_object *j;
	int rc = iommuctl_device_check_pasid(dev, a->pasid, a->pt.obj);

	if (rc < 0)
		return obj_fail(c, rc, dev, "cannot ask about PASID %u",
				a->pasid);
	j = json_object_new_object();
	jadd_str(j, "device", iommuctl_obj_label(dev));
	jadd_int(j, "pasid", a->pasid);
	json_object_object_add(
		j, "hwpt",
		a->pt.obj ?
			json_object_new_int64(iommuctl_obj_get_id(a->pt.obj)) :
			NULL);
	jadd_bool(j, "kernel_confirms", rc == 1);
	return cmd_out(c, j);
}

static void pasid_check_text(struct cmdctx *c, struct json_object *j)
{
	const struct sdev_args *a = c->args;

	printf("PASID %u of %s: the kernel %s %s\n", a->pasid,
	       jstr(c, j, "device"),
	       json_object_get_boolean(jget(c, j, "kernel_confirms")) ?
		       "confirms" :
		       "denies",
	       a->pt.obj ? iommuctl_obj_label(a->pt.obj) : "nothing attached");
}

static const struct opt pasid_check_opts[] = {
	OPT_CALL("pasid", 0, "N", struct sdev_args, pasid, pasid_opt,
		 "the PASID to ask about (required)",
		 OPT_SEEN(struct sdev_args, has_pasid), OPT_REQUIRED),
	OPT_OBJ("pt", 0, "HWPT", struct sdev_args, pt, OBJ_MASK_HWPT,
		"the hwpt to ask about; without it, whether nothing is attached"),
	OPT_END,
};

/* ---- hw-info -------------------------------------------------------------- */

/* The driver's hw_info registers, each as hex (a list for several values),
 * and for VT-d and AMD the summary of what they say. */
static struct json_object *hw_data_json(const struct iommuctl_hw_info *hi)
{
	struct iommuctl_hw_info_reg r[IOMMUCTL_HW_INFO_REGS];
	struct json_object *j = json_object_new_object(), *a;
	int i, n = iommuctl_hw_info_decode(hi, r, IOMMUCTL_HW_INFO_REGS);
	unsigned int k;

	for (i = 0; i < n; i++) {
		if (r[i].count == 1) {
			jadd_hex(j, r[i].name, r[i].v[0]);
		} else {
			a = json_object_new_array();
			for (k = 0; k < r[i].count; k++)
				json_object_array_add(a, json_hex(r[i].v[k]));
			jadd(j, r[i].name, a);
		}
		if (r[i].bit_names)
			jadd(j, "flag_names",
			     bit_names(r[i].bit_names, 64, r[i].v[0]));
	}
	if (n > 2 && hi->type == IOMMUCTL_HW_INFO_VTD)
		jadd(j, "summary", vtd_summary_to_json(r[1].v[0], r[2].v[0]));
	else if (n > 1 && hi->type == IOMMUCTL_HW_INFO_AMD)
		jadd(j, "summary", amd_summary_to_json(r[0].v[0], r[1].v[0]));
	else if (n > 3 && hi->type == IOMMUCTL_HW_INFO_ARM_SMMUV3 &&
		 r[1].count == 6) {
		uint32_t idr[6];

		for (k = 0; k < 6; k++)
			idr[k] = (uint32_t)r[1].v[k];
		jadd(j, "summary",
		     smmuv3_summary_to_json(idr, (uint32_t)r[2].v[0],
					    (uint32_t)r[3].v[0]));
	}
	return j;
}

/* The hardware info as JSON: one emitter for device hw-info and hwinfo. */
void hw_info_add_json(struct json_object *j, const struct iommuctl_hw_info *hi)
{
	struct json_object *a = json_object_new_array();
	char bit[24], *raw;
	uint32_t i;

	jadd_str(j, "type", iommuctl_hw_info_type_name(hi->type));
	jadd_hex(j, "type_value", hi->type);
	for (i = 0; i < 64; i++) {
		if (!(hi->capabilities & (1ULL << i)))
			continue;
		snprintf(bit, sizeof(bit), "bit%u", i);
		json_object_array_add(
			a, json_object_new_string(
				   iommuctl_hw_info_cap_name(i) ?
					   iommuctl_hw_info_cap_name(i) :
					   bit));
	}
	jadd(j, "capabilities", a);
	jadd_hex(j, "capabilities_value", hi->capabilities);
	jadd_int(j, "max_pasid_log2", hi->max_pasid_log2);
	jadd_int(j, "data_len", hi->data_len);
	jadd(j, "data", hw_data_json(hi));
	raw = iommuctl_hex(hi->data, hi->data_len);
	jadd_str(j, "data_hex", raw ? raw : "");
	free(raw);
}

/* "  key                    value", lists as "a b", booleans as yes/no */
static void print_value(int indent, const char *key, struct json_object *v)
{
	char *list = json_object_is_type(v, json_type_array) ?
			     json_list_text(v) :
			     NULL;

	printf("%*s%-*s %s\n", indent, "", 24 - indent, key,
	       list ? list :
	       json_object_is_type(v, json_type_boolean) ?
		      (json_object_get_boolean(v) ? "yes" : "no") :
		      json_object_get_string(v));
	free(list);
}

/* The text form of what hw_info_add_json() added to @j. */
void hw_info_print(struct json_object *j)
{
	struct json_object *data = jopt(j, "data"),
			   *sum = jopt(data, "summary");
	int pasid = json_object_get_int(jopt(j, "max_pasid_log2"));

	printf("  %-22s %s (%s)\n", "type",
	       json_object_get_string(jopt(j, "type")),
	       json_object_get_string(jopt(j, "type_value")));
	print_value(2, "capabilities", jopt(j, "capabilities"));
	printf("  %-22s %d%s\n", "max_pasid_log2", pasid,
	       pasid ? "" : " (no PASID, or not reported)");
	if (data) {
		json_object_object_foreach(data, k, val)
			if (strcmp(k, "summary") && strcmp(k, "flag_names"))
				print_value(2, k, val);
	}
	if (sum)
		printf("  decoded:\n");
	if (sum) {
		json_object_object_foreach(sum, k2, val2)
			if (val2)
				print_value(4, k2, val2);
	}
	if (!json_object_object_length(data))
		printf("  %-22s %s\n", "data",
		       json_object_get_string(jopt(j, "data_hex")));
}

static int hw_info_run(struct cmdctx *c, void *args UNUSED)
{
	struct iommuctl_hw_info hi;
	struct iommuctl_obj_info in;
	struct iommuctl_obj *dev = c->obj;
	struct json_object *j;
	int rc = iommuctl_device_hw_info(dev, &hi);
	if (rc < 0)
		return obj_fail(c, rc, dev, "cannot get the hardware info");
	iommuctl_obj_get_info(dev, &in);
	j = json_object_new_object();
	jadd_int(j, "device", in.id);
	jadd_str(j, "label", iommuctl_obj_label(dev));
	jadd_bool(j, "mock", in.mock);
	jadd_str_or_null(j, "sysfs_name", in.dev_name);
	hw_info_add_json(j, &hi);
	free(hi.data);
	return cmd_out(c, j);
}

static void hw_info_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *name = jget(c, j, "sysfs_name");

	printf("%s%s%s", color_on(c, "header"), jstr(c, j, "label"),
	       color_off(c));
	if (name)
		printf(": %s%s",
		       json_object_get_boolean(jget(c, j, "mock")) ? "mock " :
								     "",
		       json_object_get_string(name));
	printf("\n");
	hw_info_print(j);
}

/* ---- the table ------------------------------------------------------------ */

static const struct objtype device_type = {
	"devices", "device", OBJ_MASK(IOMMUCTL_OBJ_DEVICE), NULL, NULL, NULL
};

/* The session device verbs: N operands, the options in struct sdev_args */
#define SDEV(n)                                                              \
	.args_size = sizeof(struct sdev_args), .min_args = n, .max_args = n, \
	.flags = VERB_SESSION
/* ... whose operand is a session device */
#define ONE_SDEV                                   \
	.args_size = sizeof(struct sdev_args),     \
	OBJ_OPERAND(OBJ_MASK(IOMMUCTL_OBJ_DEVICE), \
		    "give one session device (name or id)")

static const struct render attached_render = { .text = attached_text };
/* attach, replace */
#define ATTACH_VERB                                                     \
	.opts = attach_opts, ONE_SDEV,                                  \
	.need_opts = "--pt is required: the IOAS or hwpt to attach to", \
	.run = attach_run, .render = &attached_render

/* clang-format off */
static const struct verb device_verbs[] = {
	{ .name = "list", .summary = "list devices", .synopsis = "[OPTIONS]",
	  .description = "List PCI devices and other IOMMU group members with their group,\n"
			 "IOMMU unit, driver, VFIO cdev and PCI names.",
	  .opts = list_opts, .args_size = sizeof(struct list_args),
	  .init = list_init, .run = list_run,
	  .render = &(const struct render){ .cols = device_cols } },
	{ .name = "show", .summary = "show a device in detail", .synopsis = "DEVICE",
	  .description = "Show a device (a PCI address, or the name of another group member such\n"
			 "as an mdev's UUID): group, IOMMU unit, driver, VFIO cdev, NUMA node and\n"
			 "the config-space facts that decide isolation and assignment (PCIe type,\n"
			 "ACS capability and control bits, ATS/PRI/PASID, ARI, SR-IOV, reset\n"
			 "methods; for an mdev its parent and type). Config space past 64 bytes\n"
			 "is readable only by root. Inside a session (batch, shell) a session\n"
			 "device's name or id shows that device as 'objects' does, with its PASIDs\n"
			 "and, for a mock, whether the kernel confirms each.",
	  .min_args = 1, .max_args = 1,
	  .need = "which device? give a PCI address such as 0000:00:03.0",
	  .run = show_run, .render = &(const struct render){ .text = show_one } },
	{ .name = "explain", .summary = "explain why a device is in its IOMMU group",
	  .synopsis = "BDF",
	  .description = "Explain why a device is in its IOMMU group: walk from the device up\n"
			 "to the root complex as the kernel does (DMA aliases through PCIe-to-PCI\n"
			 "bridges, ACS on each port, multifunction devices without ACS) and name\n"
			 "the bridge or port responsible.",
	  .min_args = 1, .max_args = 1, .need = "give exactly one device",
	  .run = explain_run, .render = &(const struct render){ .text = explain_text } },
	{ .name = "mock", .summary = "create a selftest mock device in the session",
	  .synopsis = "--ioas IOAS|HWPT [--no-dirty] [--huge-iova] [--pasid-capable] [--name NAME]",
	  .description = "Create a selftest mock device (IOMMU_TEST_CMD MOCK_DOMAIN), bound to the\n"
			 "session and attached to an IOAS (the kernel makes an automatic hwpt) or\n"
			 "a hwpt. It is labelled mock everywhere; destroying it (device unbind)\n"
			 "unplugs it. --pasid-capable gives it PASIDs (20 bits, Linux 6.15), for\n"
			 "'device attach --pasid'; --huge-iova exists in Linux 6.7-6.18 only. Needs\n"
			 "a kernel with CONFIG_IOMMUFD_TEST: exit status 3 elsewhere (and for a flag\n"
			 "the kernel lacks). Mock devices exist only to try iommufd without hardware.",
	  .opts = mock_opts, SDEV(0),
	  .need_opts = "--ioas is required: the IOAS or hwpt to attach the mock device to",
	  .run = obj_create_run, .data = &mock_create,
	  .render = &(const struct render){ .line = "created mock %{label}" } },
	{ .name = "bind", .summary = "bind a vfio-pci device's cdev to the session",
	  .synopsis = "DEVICE [--name NAME]",
	  .description = "Bind a device's VFIO cdev to the session (VFIO_DEVICE_BIND_IOMMUFD).\n"
			 "DEVICE is a PCI address (0000:00:03.0, 00:03.0) or a cdev name (vfio0);\n"
			 "the device must be bound to vfio-pci. The session then has a device\n"
			 "object to attach, query (hw-info) and unbind. Binding is refused while\n"
			 "the device's group is open through the legacy VFIO container, and when\n"
			 "its IOMMU cannot isolate MSIs; the message says which.",
	  .opts = bind_opts, SDEV(1), .need = "give one device: a PCI address or vfioN",
	  .run = obj_create_run, .data = &bind_create,
	  .render = &(const struct render){ .text = bound_text } },
	{ .name = "attach", .summary = "attach a session device to an IOAS or hwpt",
	  .synopsis = "DEV --pt IOAS|HWPT [--pasid N]",
	  .description = "Attach a session device (a name or id from 'device bind' or 'device\n"
			 "mock') to an IOAS or hwpt. Attaching to an IOAS makes the kernel reuse\n"
			 "or create an automatic hwpt. An attached device is moved (replaced);\n"
			 "mock devices are always attached, so this replaces their attachment.\n"
			 "A refusal names the mapping or allowed range that collides with the\n"
			 "device's reserved regions or IOMMU aperture. With --pasid only that\n"
			 "PASID of a VFIO device or of a mock made with --pasid-capable is attached\n"
			 "(a paging hwpt for it, and the device's own, need 'hwpt alloc --pasid');\n"
			 "attaching it again replaces it; older kernels refuse, saying so. Moving\n"
			 "an attached device onto another IOMMU driver's hwpt is refused (EXDEV):\n"
			 "Linux 7.3.4 crashes on it.",
	  ATTACH_VERB, .data = "attached" },
	{ .name = "detach", .summary = "detach a session VFIO device",
	  .synopsis = "DEV [--pasid N]",
	  .description = "Detach a bound VFIO device (or one PASID of it) from its IOAS or hwpt:\n"
			 "its DMA is blocked until it is attached again. Mock devices cannot be\n"
			 "detached (replace their attachment, or unbind them), only their PASIDs.",
	  .opts = detach_opts, ONE_SDEV, .run = detach_run,
	  .render = &(const struct render){ .line = "detached %{label}" } },
	{ .name = "replace", .summary = "move a session device to another IOAS or hwpt",
	  .synopsis = "DEV --pt IOAS|HWPT [--pasid N]",
	  .description = "Move a session device (or one PASID of it) to another IOAS or hwpt;\n"
			 "the same as 'device attach' (VFIO devices are replaced hitlessly where\n"
			 "the driver can, mock devices through the selftest's replace). An\n"
			 "automatic hwpt nothing uses any more is freed by the kernel.",
	  ATTACH_VERB, .data = "moved" },
	{ .name = "pasid-check", .summary = "ask the kernel what a mock's PASID is attached to",
	  .synopsis = "DEV --pasid N [--pt HWPT]",
	  .description = "Ask the kernel itself, not the session's record, whether PASID N of a mock\n"
			 "device is attached to HWPT (without --pt: to nothing), through the\n"
			 "selftest's PASID_CHECK_HWPT (Linux 6.15; exit status 3 before). The answer\n"
			 "is kernel_confirms true or false. VFIO devices cannot be asked.",
	  .opts = pasid_check_opts, ONE_SDEV,
	  .need_opts = "--pasid is required: which PASID to ask about",
	  .run = pasid_check_run,
	  .render = &(const struct render){ .text = pasid_check_text } },
	{ .name = "hw-info", .summary = "IOMMU hardware info of a session device",
	  .synopsis = "DEV",
	  .description = "Ask the kernel about a session device's IOMMU (IOMMU_GET_HW_INFO): the\n"
			 "data type, capabilities (dirty tracking, PASID execute/privileged, ATS\n"
			 "not supported), the PASID width, and the driver's data decoded: VT-d\n"
			 "CAP_REG/ECAP_REG with a summary, SMMUv3 IDR0-5/IIDR/AIDR, AMD EFR/EFR2,\n"
			 "the selftest's test_reg; anything else as hex. Exit status 3 on kernels\n"
			 "without the command (before 6.6).",
	  ONE_SDEV, .run = hw_info_run, .render = &(const struct render){ .text = hw_info_text } },
	{ .name = "unbind", .summary = "close a VFIO device / destroy a mock device",
	  .synopsis = "DEV",
	  .description = "Remove a session device: a VFIO device's cdev is closed (which detaches\n"
			 "and unbinds it), a mock device is destroyed (unplugged). An automatic\n"
			 "hwpt it leaves unused is freed by the kernel. Refused, naming the\n"
			 "objects, while something of the session still holds the device.",
	  OBJ_DESTROY(&device_type) },
	{ .name = NULL },
};

const struct object obj_device = { "device", "PCI devices and other IOMMU group members",
				   device_verbs, NULL };
/* clang-format on */
