// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl device: PCI functions and other IOMMU group members. */
#include <errno.h>
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

struct iommuctl_device *lookup_device(struct cmdctx *c, const char *name)
{
	struct iommuctl_device *d = iommuctl_device_get_by_name(c->ctx, name);

	if (!d) {
		char what[96];

		snprintf(what, sizeof(what), "device %s", name);
		if (iommuctl_parse_bdf(name, NULL, 0) == 0)
			cmd_error_on(c, what, EXIT_FAILED, ENODEV,
				     "no such PCI device (see 'iommuctl device list')");
		else
			cmd_error_on(c, what, EXIT_FAILED, ENODEV,
				     "not a PCI address (DDDD:BB:DD.F) nor a known device");
	}
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

static const struct cmd device_cmds[] = {
	{ "list", do_list, "list devices" },
	{ "show", do_show, "show a device in detail" },
	{ "explain", do_explain, "explain why a device is in its IOMMU group" },
	{ NULL, NULL, NULL },
};

int cmd_device(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(device_cmds, argc, argv, c);
}
