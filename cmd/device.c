// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl device: PCI functions and other IOMMU group members, and the
 * devices of an iommufd session (selftest mocks, bound VFIO cdevs). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

static const struct column device_cols[] = {
	{ "DEVICE", "name", 0 },     { "GROUP", "group", COL_RIGHT },
	{ "IOMMU", "iommu", 0 },     { "DRIVER", "driver", 0 },
	{ "VFIO", "vfio_cdev", 0 },  { "CLASS", "class", 0 },
	{ "VENDOR", "vendor_name", 0 }, { "NAME", "device_name", 0 },
	{ NULL, NULL, 0 },
};

static const struct column device_fields[] = {
	{ "Device", "name", 0 },
	{ "Subsystem", "subsystem", 0 },
	{ "Vendor", "vendor", 0 },
	{ "Vendor name", "vendor_name", 0 },
	{ "Device ID", "device", 0 },
	{ "Device name", "device_name", 0 },
	{ "Class", "class", 0 },
	{ "IOMMU group", "group", 0 },
	{ "IOMMU", "iommu", 0 },
	{ "Driver", "driver", 0 },
	{ "driver_override", "driver_override", 0 },
	{ "VFIO cdev", "vfio_cdev", 0 },
	{ "NUMA node", "numa_node", 0 },
	{ "Parent", "parent", 0 },
	{ "PCIe type", "pcie_type", 0 },
	{ "Multifunction", "multifunction", 0 },
	{ "Bridge", "bridge", 0 },
	{ "ATS", "ats", 0 },
	{ "PRI", "pri", 0 },
	{ "PASID", "pasid", 0 },
	{ "PASID width", "pasid_width", 0 },
	{ "ARI", "ari", 0 },
	{ "SR-IOV", "sriov", 0 },
	{ "Reset methods", "reset_methods", 0 },
	{ "Config size", "config_size", 0 },
	{ NULL, NULL, 0 },
};

/* "device 0000:00:03.0", for error messages (static buffer). */
const char *device_what(struct iommuctl_device *d)
{
	static char what[96];

	snprintf(what, sizeof(what), "device %s", iommuctl_device_get_name(d));
	return what;
}

int device_ref(struct cmdctx *c, const char *name, struct iommuctl_device **out)
{
	char what[96];

	*out = iommuctl_device_get_by_name(c->ctx, name);
	if (*out)
		return 0;
	snprintf(what, sizeof(what), "device %s", name);
	return cmd_fail_on(c, what, EXIT_FAILED, ENODEV, "%s",
			   iommuctl_parse_bdf(name, NULL, 0) == 0 ?
				   "no such PCI device (see 'iommuctl device list')" :
				   "not a PCI address (DDDD:BB:DD.F) nor a known device");
}

/* LEGACY */
struct iommuctl_device *lookup_device(struct cmdctx *c, const char *name)
{
	struct iommuctl_device *d;
	int rc = device_ref(c, name, &d);

	if (rc < 0)
		cmd_finish(c, rc);
	return d;
}

static void print_acs(struct json_object *j)
{
	struct json_object *acs, *v;

	if (!json_object_object_get_ex(j, "acs", &acs))
		return;
	printf("ACS:             %s", json_object_get_string(
		json_object_object_get_ex(acs, "verdict", &v) ? v : NULL));
	if (json_object_object_get_ex(acs, "cap", &v)) {
		struct json_object *caps, *en;

		printf(" (cap %s, ctrl %s:", json_object_get_string(v),
		       json_object_get_string(json_object_object_get_ex(acs, "ctrl", &v) ? v : NULL));
		json_object_object_get_ex(acs, "capabilities", &caps);
		json_object_object_get_ex(acs, "enabled", &en);
		json_object_object_foreach(en, k, on) {
			struct json_object *has;

			json_object_object_get_ex(caps, k, &has);
			if (json_object_get_boolean(has) || json_object_get_boolean(on))
				printf(" %s%s", k, json_object_get_boolean(on) ? "+" : "-");
		}
		printf(")");
	}
	printf("\n");
}

static const struct opt list_opts[] = {
	{ "group", 'g', "N", "only devices in IOMMU group N" },
	{ "driver", 'd', "NAME", "only devices bound to driver NAME ('none' for unbound)" },
	{ NULL, 0, NULL, NULL },
};

static const struct verb_help list_help = {
	.synopsis = "[OPTIONS]",
	.description = "List PCI devices and other IOMMU group members with their group,\n"
		       "IOMMU unit, driver, VFIO cdev and PCI names.",
	.opts = list_opts,
};

static int do_list(int argc, char **argv, struct cmdctx *c)
{
	const char *driver = NULL;
	struct json_object *a;
	struct iommuctl_device *d;
	struct optparse p;
	long group = -1;
	char *end;
	int o;

	optparse_init(&p, c, argc, argv, &list_help);
	while ((o = optparse_next(&p)) >= 0) {
		switch (o) {
		case 0:
			group = strtol(p.arg, &end, 10);
			if (*end || group < 0) {
				optparse_fini(&p);
				return cmd_usage_error(c, "--group: '%s' is not a group number", p.arg);
			}
			break;
		case 1:
			driver = p.arg;
			break;
		}
	}
	optparse_fini(&p);
	if (o == OPT_EXIT)
		return p.exit;
	if (p.argc > 0)
		return cmd_usage_error(c, "unexpected argument '%s'", p.argv[0]);

	a = json_object_new_array();
	iommuctl_device_foreach(c->ctx, d) {
		const char *drv = iommuctl_device_get_driver(d);

		if (group >= 0 && iommuctl_device_get_group_id(d) != group)
			continue;
		if (driver && strcmp(drv ? drv : "none", driver))
			continue;
		json_object_array_add(a, device_to_json(d, c->json));
	}
	if (c->json)
		json_print(c, a);
	else
		table_print(stdout, a, device_cols, "");
	json_object_put(a);
	return EXIT_OK;
}

static const struct opt show_opts[] = { { NULL, 0, NULL, NULL } };

static const struct verb_help show_help = {
	.synopsis = "BDF...",
	.description = "Show a device: group, IOMMU unit, driver, VFIO cdev, NUMA node and the\n"
		       "config-space facts that decide isolation and assignment (PCIe type,\n"
		       "ACS capability and control bits, ATS/PRI/PASID, ARI, SR-IOV, reset\n"
		       "methods). Config space past 64 bytes is readable only by root.",
	.opts = show_opts,
};

static int do_show(int argc, char **argv, struct cmdctx *c)
{
	struct json_object *a;
	struct optparse p;
	int i, rc;

	rc = optparse_operands(&p, c, argc, argv, &show_help);
	if (rc >= 0)
		return rc;
	if (p.argc < 1)
		return cmd_usage_error(c, "which device? give a PCI address such as 0000:00:03.0");
	a = json_object_new_array();
	for (i = 0; i < p.argc; i++) {
		struct iommuctl_device *d = lookup_device(c, p.argv[i]);

		if (!d) {
			json_object_put(a);
			return EXIT_FAILED;
		}
		json_object_array_add(a, device_to_json(d, true));
	}
	if (c->json) {
		json_print(c, p.argc == 1 ? json_object_array_get_idx(a, 0) : a);
	} else {
		for (i = 0; i < p.argc; i++) {
			struct json_object *j = json_object_array_get_idx(a, (size_t)i);

			if (i)
				printf("\n");
			kv_print(stdout, j, device_fields);
			print_acs(j);
		}
	}
	json_object_put(a);
	return EXIT_OK;
}

static const struct verb_help explain_help = {
	.synopsis = "BDF",
	.description = "Explain why a device is in its IOMMU group: walk from the device up\n"
		       "to the root complex as the kernel does (DMA aliases through PCIe-to-PCI\n"
		       "bridges, ACS on each port, multifunction devices without ACS) and name\n"
		       "the bridge or port responsible.",
	.opts = show_opts,
};

static int do_explain(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_device *d;
	struct json_object *j;
	struct optparse p;
	int rc;

	rc = optparse_operands(&p, c, argc, argv, &explain_help);
	if (rc >= 0)
		return rc;
	if (p.argc != 1)
		return cmd_usage_error(c, "give exactly one device");
	d = lookup_device(c, p.argv[0]);
	if (!d)
		return EXIT_FAILED;
	if (iommuctl_device_get_group_id(d) < 0)
		return cmd_error_on(c, device_what(d), EXIT_UNAVAILABLE, ENOENT,
				    "not in an IOMMU group: %s", iommuctl_device_no_group_reason(d));
	j = explain_device_to_json(d);
	json_object_object_add(j, "group", json_object_new_int(iommuctl_device_get_group_id(d)));
	json_object_object_add(j, "predicted_members", predicted_members(c->ctx, d));
	json_object_object_add(j, "certain",
			       json_object_new_boolean(iommuctl_explain_is_certain(c->ctx)));
	if (c->json) {
		json_print(c, j);
	} else {
		struct json_object *v;

		json_object_object_get_ex(j, "message", &v);
		printf("%s\n", json_object_get_string(v));
		char *text;

		json_object_object_get_ex(j, "predicted_members", &v);
		text = json_list_text(v);
		printf("Predicted group: %s\n", text);
		free(text);
		print_uncertain_note(c);
	}
	json_object_put(j);
	return EXIT_OK;
}

/* ---- session devices: selftest mocks and bound VFIO cdevs ---------- */

static const struct opt mock_opts[] = {
	{ "ioas", 0, "IOAS|HWPT",
	  "attach the mock device to this IOAS or hwpt (required)" },
	{ "no-dirty", 0, NULL,
	  "a mock device whose IOMMU cannot track dirty pages" },
	{ "huge-iova", 0, NULL,
	  "a mock device whose IOMMU uses huge IOVA pages" },
	{ "name", 'n', "NAME", "name the device object" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help mock_help = {
	.synopsis = "--ioas IOAS|HWPT [--no-dirty] [--huge-iova] [--name NAME]",
	.description =
		"Create a selftest mock device (IOMMU_TEST_CMD MOCK_DOMAIN), bound to the\n"
		"session and attached to an IOAS (the kernel makes an automatic hwpt) or\n"
		"a hwpt. It is labelled mock everywhere; destroying it (device unbind)\n"
		"unplugs it. Needs a kernel with CONFIG_IOMMUFD_TEST: exit status 3\n"
		"elsewhere. Mock devices exist only to try iommufd without hardware.",
	.opts = mock_opts,
};


static int do_mock(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_session *s;
	struct iommuctl_obj *pt, *o;
	const char *pt_ref = NULL, *name = NULL;
	uint32_t flags = 0;
	struct optparse p;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &mock_help);
	while ((opt = optparse_next(&p)) >= 0) {
		if (opt == 0)
			pt_ref = p.arg;
		else if (opt == 1)
			flags |= IOMMUCTL_DEV_MOCK_NO_DIRTY;
		else if (opt == 2)
			flags |= IOMMUCTL_DEV_MOCK_HUGE_IOVA;
		else
			name = p.arg;
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	if (!pt_ref)
		return cmd_usage_error(
			c,
			"--ioas is required: the IOAS or hwpt to attach the mock device to");
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	rc = obj_arg(c, pt_ref, OBJ_MASK_PT, &pt);
	if (rc >= 0)
		return rc;
	rc = name_free(c, s, name);
	if (rc >= 0)
		return rc;
	rc = iommuctl_mock_device_create(s, pt, flags, &o);
	if (rc < 0)
		return lib_error(c, rc, "mock device", "cannot create");
	return alloc_done(c, o, name, "created mock");
}

static const struct opt bind_opts[] = {
	{ "name", 'n', "NAME", "name the device object" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help bind_help = {
	.synopsis = "DEVICE [--name NAME]",
	.description =
		"Bind a device's VFIO cdev to the session (VFIO_DEVICE_BIND_IOMMUFD).\n"
		"DEVICE is a PCI address (0000:00:03.0, 00:03.0) or a cdev name (vfio0);\n"
		"the device must be bound to vfio-pci. The session then has a device\n"
		"object to attach, query (hw-info) and unbind. Binding is refused while\n"
		"the device's group is open through the legacy VFIO container, and when\n"
		"its IOMMU cannot isolate MSIs; the message says which.",
	.opts = bind_opts,
};

static int do_bind(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_session *s;
	struct iommuctl_obj *o;
	const char *name = NULL;
	struct optparse p;
	char *done;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &bind_help);
	while ((opt = optparse_next(&p)) >= 0)
		name = p.arg;
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc != 1)
		return cmd_usage_error(
			c, "give one device: a PCI address or vfioN");
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	rc = name_free(c, s, name);
	if (rc >= 0)
		return rc;
	rc = iommuctl_vfio_device_bind(s, p.argv[0], &o);
	if (rc < 0)
		return lib_error(c, rc, p.argv[0],
				 "cannot bind to the session");
	rc = name_obj(c, o, name);
	if (rc >= 0) {
		iommuctl_obj_destroy(o);
		return rc;
	}
	note_oneshot(c);
	{
		struct iommuctl_obj_info in;

		iommuctl_obj_get_info(o, &in);
		if (asprintf(&done, "bound %s as", in.dev_name ?: p.argv[0]) <
		    0)
			done = NULL;
	}
	rc = print_obj_result(c, o, done ?: "bound");
	free(done);
	return rc;
}

/* "attached device 2 to hwpt 3 (automatic, in ioas 1)" */
static int print_attached(struct cmdctx *c, struct iommuctl_obj *dev,
			  const char *verb)
{
	struct iommuctl_obj_info in, hin;

	if (c->json)
		return print_obj_result(c, dev, verb);
	iommuctl_obj_get_info(dev, &in);
	if (!in.attached) {
		printf("%s %s\n", verb, iommuctl_obj_label(dev));
		return EXIT_OK;
	}
	iommuctl_obj_get_info(in.attached, &hin);
	printf("%s %s to %s", verb, iommuctl_obj_label(dev),
	       iommuctl_obj_label(in.attached));
	if (hin.auto_hwpt)
		printf(" (made by the kernel, in %s)",
		       iommuctl_obj_label(in.ioas));
	else if (in.ioas)
		printf(" (in %s)", iommuctl_obj_label(in.ioas));
	printf("\n");
	return EXIT_OK;
}

static const struct opt attach_opts[] = {
	{ "pt", 0, "IOAS|HWPT", "the IOAS or hwpt to attach to (required)" },
	{ "pasid", 0, "N",
	  "attach only this PASID of a VFIO device (Linux 6.15)" },
	{ NULL, 0, NULL, NULL },
};

/* --pasid N: 0 .. 2^20-1 (the PCIe PASID width) */
static int pasid_arg(struct cmdctx *c, const char *text, uint32_t *pasid)
{
	uint64_t v;

	if (iommuctl_parse_size(text, &v) < 0 || v >= 1u << 20)
		return cmd_usage_error(
			c, "--pasid wants a number below 2^20, not '%s'", text);
	*pasid = (uint32_t)v;
	return -1;
}
static const struct verb_help attach_help = {
	.synopsis = "DEV --pt IOAS|HWPT [--pasid N]",
	.description =
		"Attach a session device (a name or id from 'device bind' or 'device\n"
		"mock') to an IOAS or hwpt. Attaching to an IOAS makes the kernel reuse\n"
		"or create an automatic hwpt. An attached device is moved (replaced);\n"
		"mock devices are always attached, so this replaces their attachment.\n"
		"A refusal names the mapping or allowed range that collides with the\n"
		"device's reserved regions or IOMMU aperture. With --pasid only that\n"
		"PASID of a VFIO device is attached (a paging hwpt for it needs\n"
		"'hwpt alloc --pasid'); older kernels refuse, saying so.",
	.opts = attach_opts,
};
static const struct verb_help replace_help = {
	.synopsis = "DEV --pt IOAS|HWPT [--pasid N]",
	.description =
		"Move a session device (or one PASID of it) to another IOAS or hwpt; the same as 'device\n"
		"attach' (VFIO devices are replaced hitlessly where the driver can, mock\n"
		"devices through the selftest's replace). An automatic hwpt nothing uses\n"
		"any more is freed by the kernel.",
	.opts = attach_opts,
};

static int attach_common(int argc, char **argv, struct cmdctx *c,
			 const struct verb_help *h, bool replace)
{
	struct iommuctl_obj *dev, *pt;
	const char *pt_ref = NULL;
	bool has_pasid = false;
	uint32_t pasid = 0;
	struct optparse p;
	int opt, rc = -1;

	optparse_init(&p, c, argc, argv, h);
	while (rc < 0 && (opt = optparse_next(&p)) >= 0) {
		if (!strcmp(attach_opts[opt].lname, "pasid")) {
			rc = pasid_arg(c, p.arg, &pasid);
			has_pasid = true;
		} else {
			pt_ref = p.arg;
		}
	}
	optparse_fini(&p);
	if (rc >= 0)
		return rc;
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc != 1)
		return cmd_usage_error(c,
				       "give one session device (name or id)");
	if (!pt_ref)
		return cmd_usage_error(
			c, "--pt is required: the IOAS or hwpt to attach to");
	rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_DEVICE), &dev);
	if (rc >= 0)
		return rc;
	rc = obj_arg(c, pt_ref, OBJ_MASK_PT, &pt);
	if (rc >= 0)
		return rc;
	if (has_pasid) {
		rc = iommuctl_device_attach_pasid(dev, pasid, pt);
		if (rc < 0)
			return lib_error(c, rc, iommuctl_obj_label(dev),
					 "cannot attach PASID %u to %s", pasid,
					 iommuctl_obj_label(pt));
		if (c->json)
			return print_obj_result(c, dev, "attached");
		printf("attached PASID %u of %s to %s\n", pasid,
		       iommuctl_obj_label(dev), iommuctl_obj_label(pt));
		return EXIT_OK;
	}
	rc = replace ? iommuctl_device_replace(dev, pt) :
		       iommuctl_device_attach(dev, pt);
	if (rc < 0)
		return lib_error(c, rc, iommuctl_obj_label(dev),
				 "cannot attach to %s", iommuctl_obj_label(pt));
	return print_attached(c, dev, replace ? "moved" : "attached");
}

static int do_attach(int argc, char **argv, struct cmdctx *c)
{
	return attach_common(argc, argv, c, &attach_help, false);
}

static int do_replace(int argc, char **argv, struct cmdctx *c)
{
	return attach_common(argc, argv, c, &replace_help, true);
}

static const struct opt no_session_opts[] = { { NULL, 0, NULL, NULL } };
static const struct opt detach_opts[] = {
	{ "pasid", 0, "N", "detach only this PASID (Linux 6.15)" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help detach_help = {
	.synopsis = "DEV [--pasid N]",
	.description =
		"Detach a bound VFIO device (or one PASID of it) from its IOAS or hwpt:\n"
		"its DMA is blocked until it is attached again. Mock devices cannot be\n"
		"detached (replace their attachment, or unbind them).",
	.opts = detach_opts,
};

static int do_detach(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_obj *dev;
	bool has_pasid = false;
	uint32_t pasid = 0;
	struct optparse p;
	int opt, rc = -1;

	optparse_init(&p, c, argc, argv, &detach_help);
	while (rc < 0 && (opt = optparse_next(&p)) >= 0) {
		rc = pasid_arg(c, p.arg, &pasid);
		has_pasid = true;
	}
	optparse_fini(&p);
	if (rc >= 0)
		return rc;
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc != 1)
		return cmd_usage_error(c,
				       "give one session device (name or id)");
	rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_DEVICE), &dev);
	if (rc >= 0)
		return rc;
	if (has_pasid) {
		rc = iommuctl_device_detach_pasid(dev, pasid);
		if (rc < 0)
			return lib_error(c, rc, iommuctl_obj_label(dev),
					 "cannot detach PASID %u", pasid);
		return print_obj_result(c, dev, "detached");
	}
	rc = iommuctl_device_detach(dev);
	if (rc < 0)
		return lib_error(c, rc, iommuctl_obj_label(dev),
				 "cannot detach");
	return print_obj_result(c, dev, "detached");
}

static const char *hw_info_type_name(uint32_t t)
{
	switch (t) {
	case 0:
		return "none";
	case 1:
		return "intel-vtd";
	case 2:
		return "arm-smmuv3";
	case 3:
		return "tegra241-cmdqv";
	case 4:
		return "amd";
	case 0xfeedbeef:
		return "selftest";
	default:
		return "unknown";
	}
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The driver's hw_info payload decoded (kernel-interfaces section 2). */
static struct json_object *hw_data_json(const struct iommuctl_hw_info *hi)
{
	const unsigned char *d = hi->data;
	struct json_object *j = json_object_new_object(), *a;
	unsigned int i;

	if (hi->type == 1 && hi->data_len >= 24) {
		uint64_t cap = get_u64(d + 8), ecap = get_u64(d + 16);

		json_object_object_add(j, "flags", json_hex(get_u32(d)));
		a = json_object_new_array();
		if (get_u32(d) & 1)
			json_object_array_add(
				a,
				json_object_new_string("errata-772415-spr17"));
		json_object_object_add(j, "flag_names", a);
		json_object_object_add(j, "cap", json_hex(cap));
		json_object_object_add(j, "ecap", json_hex(ecap));
		json_object_object_add(j, "summary",
				       vtd_summary_to_json(cap, ecap));
	} else if (hi->type == 2 && hi->data_len >= 40) {
		json_object_object_add(j, "flags", json_hex(get_u32(d)));
		a = json_object_new_array();
		for (i = 0; i < 6; i++)
			json_object_array_add(a,
					      json_hex(get_u32(d + 8 + 4 * i)));
		json_object_object_add(j, "idr", a);
		json_object_object_add(j, "iidr", json_hex(get_u32(d + 32)));
		json_object_object_add(j, "aidr", json_hex(get_u32(d + 36)));
	} else if (hi->type == 4 && hi->data_len >= 16) {
		json_object_object_add(j, "efr", json_hex(get_u64(d)));
		json_object_object_add(j, "efr2", json_hex(get_u64(d + 8)));
		json_object_object_add(j, "summary",
				       amd_summary_to_json(get_u64(d),
							get_u64(d + 8)));
	} else if (hi->type == 0xfeedbeef && hi->data_len >= 8) {
		json_object_object_add(j, "flags", json_hex(get_u32(d)));
		json_object_object_add(j, "test_reg", json_hex(get_u32(d + 4)));
	}
	return j;
}

static const struct verb_help hw_info_help = {
	.synopsis = "DEV",
	.description =
		"Ask the kernel about a session device's IOMMU (IOMMU_GET_HW_INFO): the\n"
		"data type, capabilities (dirty tracking, PASID execute/privileged, ATS\n"
		"not supported), the PASID width, and the driver's data decoded: VT-d\n"
		"CAP_REG/ECAP_REG with a summary, SMMUv3 IDR0-5/IIDR/AIDR, AMD EFR/EFR2,\n"
		"the selftest's test_reg; anything else as hex. Exit status 3 on kernels\n"
		"without the command (before 6.6).",
	.opts = no_session_opts,
};

/* The hardware info as JSON: one emitter for device hw-info and hwinfo. */
void hw_info_add_json(struct json_object *j, const struct iommuctl_hw_info *hi)
{
	static const char *const cap_names[] = { "dirty-tracking",
						 "pci-pasid-exec",
						 "pci-pasid-priv",
						 "pci-ats-not-supported" };
	struct json_object *a;
	char *raw;
	uint32_t i;

	json_object_object_add(
		j, "type", json_object_new_string(hw_info_type_name(hi->type)));
	json_object_object_add(j, "type_value", json_hex(hi->type));
	a = json_object_new_array();
	for (i = 0; i < 64; i++) {
		char bit[24];

		if (!(hi->capabilities & (1ULL << i)))
			continue;
		snprintf(bit, sizeof(bit), "bit%u", i);
		json_object_array_add(
			a, json_object_new_string(i < 4 ? cap_names[i] : bit));
	}
	json_object_object_add(j, "capabilities", a);
	json_object_object_add(j, "capabilities_value",
			       json_hex(hi->capabilities));
	json_object_object_add(j, "max_pasid_log2",
			       json_object_new_int(hi->max_pasid_log2));
	json_object_object_add(j, "data_len",
			       json_object_new_int64(hi->data_len));
	json_object_object_add(j, "data", hw_data_json(hi));
	raw = hex_bytes(hi->data, hi->data_len);
	json_object_object_add(j, "data_hex",
			       json_object_new_string(raw ?: ""));
	free(raw);
}

/* The text form of what hw_info_add_json() added to @j. */
void hw_info_print(struct json_object *j)
{
	struct json_object *v, *data = json_object_object_get(j, "data");
	char *caps = json_list_text(json_object_object_get(j, "capabilities"));
	int pasid = json_object_get_int(
		json_object_object_get(j, "max_pasid_log2"));

	printf("  %-22s %s (%s)\n", "type",
	       json_object_get_string(json_object_object_get(j, "type")),
	       json_object_get_string(json_object_object_get(j, "type_value")));
	printf("  %-22s %s\n", "capabilities", caps && *caps ? caps : "-");
	printf("  %-22s %d%s\n", "max_pasid_log2", pasid,
	       pasid ? "" : " (no PASID, or not reported)");
	free(caps);
	json_object_object_foreach(data, k, val) {
		if (!strcmp(k, "summary") || !strcmp(k, "flag_names"))
			continue;
		if (json_object_get_type(val) == json_type_array) {
			char *t = json_list_text(val);

			printf("  %-22s %s\n", k, t ?: "");
			free(t);
		} else {
			printf("  %-22s %s\n", k, json_object_get_string(val));
		}
	}
	if (json_object_object_get_ex(data, "summary", &v)) {
		printf("  decoded:\n");
		json_object_object_foreach(v, k2, val2) {
			if (json_object_get_type(val2) == json_type_boolean)
				printf("    %-20s %s\n", k2,
				       json_object_get_boolean(val2) ? "yes" :
								       "no");
			else if (json_object_get_type(val2) ==
				 json_type_array) {
				char *t = json_list_text(val2);

				printf("    %-20s %s\n", k2, t ?: "");
				free(t);
			} else {
				printf("    %-20s %s\n", k2,
				       json_object_get_string(val2));
			}
		}
	}
	if (!json_object_object_length(data))
		printf("  %-22s %s\n", "data",
		       json_object_get_string(
			       json_object_object_get(j, "data_hex")));
}

static int do_hw_info(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_hw_info hi;
	struct iommuctl_obj_info in;
	struct iommuctl_obj *dev;
	struct json_object *j;
	struct optparse p;
	int rc;

	rc = optparse_operands(&p, c, argc, argv, &hw_info_help);
	if (rc >= 0)
		return rc;
	if (p.argc != 1)
		return cmd_usage_error(c,
				       "give one session device (name or id)");
	rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_DEVICE), &dev);
	if (rc >= 0)
		return rc;
	rc = iommuctl_device_hw_info(dev, &hi);
	if (rc < 0)
		return lib_error(c, rc, iommuctl_obj_label(dev),
				 "cannot get the hardware info");
	iommuctl_obj_get_info(dev, &in);
	j = json_object_new_object();
	json_object_object_add(j, "device", json_object_new_int64(in.id));
	json_object_object_add(j, "label",
			       json_object_new_string(iommuctl_obj_label(dev)));
	json_object_object_add(j, "mock", json_object_new_boolean(in.mock));
	json_object_object_add(
		j, "sysfs_name",
		in.dev_name ? json_object_new_string(in.dev_name) : NULL);
	hw_info_add_json(j, &hi);
	free(hi.data);
	if (c->json) {
		json_print(c, j);
	} else {
		printf("%s%s%s", color_on(c, "header"), iommuctl_obj_label(dev),
		       color_off(c));
		if (in.dev_name)
			printf(": %s%s", in.mock ? "mock " : "", in.dev_name);
		printf("\n");
		hw_info_print(j);
	}
	json_object_put(j);
	return EXIT_OK;
}

static const struct verb_help unbind_help = {
	.synopsis = "DEV",
	.description =
		"Remove a session device: a VFIO device's cdev is closed (which detaches\n"
		"and unbinds it), a mock device is destroyed (unplugged). An automatic\n"
		"hwpt it leaves unused is freed by the kernel. Refused, naming the\n"
		"objects, while something of the session still holds the device.",
	.opts = no_session_opts,
};

static int do_unbind(int argc, char **argv, struct cmdctx *c)
{
	return destroy_obj_cmd(c, argc, argv, &unbind_help,
			       OBJ_MASK(IOMMUCTL_OBJ_DEVICE));
}

static const struct cmd device_cmds[] = {
	{ "list", do_list, "list devices" },
	{ "show", do_show, "show a device in detail" },
	{ "explain", do_explain, "explain why a device is in its IOMMU group" },
	{ "mock", do_mock, "create a selftest mock device in the session" },
	{ "bind", do_bind, "bind a vfio-pci device's cdev to the session" },
	{ "attach", do_attach, "attach a session device to an IOAS or hwpt" },
	{ "detach", do_detach, "detach a session VFIO device" },
	{ "replace", do_replace,
	  "move a session device to another IOAS or hwpt" },
	{ "hw-info", do_hw_info, "IOMMU hardware info of a session device" },
	{ "unbind", do_unbind, "close a VFIO device / destroy a mock device" },
	{ NULL, NULL, NULL },
};

int cmd_device(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(device_cmds, argc, argv, c);
}

LEGACY_OBJECT(obj_device, "device", "PCI devices and other IOMMU group members", cmd_device);
