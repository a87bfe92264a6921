// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl group: IOMMU groups, their members and why they share. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

static const struct column group_cols[] = {
	{ "GROUP", "group", COL_RIGHT }, { "TYPE", "type", 0 },
	{ "IOMMU", "iommu", 0 },	 { "VIABLE", "viable", 0 },
	{ "DEVICES", "members", 0 },	 { NULL, NULL, 0 },
};

static const struct column member_cols[] = {
	{ "DEVICE", "name", 0 },     { "DRIVER", "driver", 0 },
	{ "OVERRIDE", "driver_override", 0 },
	{ "VFIO", "vfio_cdev", 0 },  { "CLASS", "class", 0 },
	{ "VENDOR", "vendor_name", 0 }, { "NAME", "device_name", 0 },
	{ NULL, NULL, 0 },
};

static const struct column region_cols[] = {
	{ "START", "start", 0 }, { "END", "end", 0 },
	{ "SIZE", "size", COL_RIGHT }, { "TYPE", "type", 0 },
	{ NULL, NULL, 0 },
};

static int parse_group(struct cmdctx *c, const char *s, struct iommuctl_group **g)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < 0 || v > 0x7fffffff)
		return cmd_usage_error(c, "'%s' is not an IOMMU group number", s);
	*g = iommuctl_group_get_by_id(c->ctx, (unsigned int)v);
	if (!*g) {
		char what[32];

		snprintf(what, sizeof(what), "group %ld", v);
		return cmd_error_on(c, what, EXIT_FAILED, ENOENT,
				    "no such IOMMU group (see 'iommuctl group list')");
	}
	return EXIT_OK;
}

/* Table rows carry the member names as one column. */
static void add_member_names(struct json_object *gj)
{
	struct json_object *devs, *names = json_object_new_array();
	size_t i;

	json_object_object_get_ex(gj, "devices", &devs);
	for (i = 0; i < json_object_array_length(devs); i++) {
		struct json_object *n;

		json_object_object_get_ex(json_object_array_get_idx(devs, i), "name", &n);
		json_object_array_add(names, json_object_get(n));
	}
	json_object_object_add(gj, "members", names);
}

static const struct opt list_opts[] = {
	{ "device", 'd', "BDF", "only the group of this device" },
	{ "driver", 0, "NAME", "only groups with a member bound to NAME ('none': unbound)" },
	{ "class", 0, "CLASS", "only groups with a member of this PCI class (hex prefix: 02, 0c03)" },
	{ "viable", 0, NULL, "only groups that can be assigned as they are" },
	{ "check", 0, NULL, "only groups the kernel formed differently from the ACS analysis; exit 1 if any" },
	{ NULL, 0, NULL, NULL },
};

static const struct verb_help list_help = {
	.synopsis = "[OPTIONS]",
	.description = "List IOMMU groups: number, default domain type, IOMMU unit, whether\n"
		       "they can be assigned to a VM as they are, and their members.",
	.opts = list_opts,
};

static bool class_matches(struct iommuctl_device *d, const char *prefix)
{
	unsigned int cls;
	char hex[8];

	if (iommuctl_device_get_pci_ids(d, NULL, NULL, NULL, NULL, &cls) < 0)
		return false;
	snprintf(hex, sizeof(hex), "%06x", cls);
	if (!strncmp(prefix, "0x", 2))
		prefix += 2;
	return !strncasecmp(hex, prefix, strlen(prefix));
}

static int do_list(int argc, char **argv, struct cmdctx *c)
{
	const char *device = NULL, *driver = NULL, *class = NULL;
	bool viable = false, check = false;
	struct iommuctl_device *dev = NULL, *d;
	struct iommuctl_group *g;
	struct json_object *a;
	struct optparse p;
	int o, rc, disagree = 0;

	optparse_init(&p, c, argc, argv, &list_help);
	while ((o = optparse_next(&p)) >= 0) {
		switch (o) {
		case 0: device = p.arg; break;
		case 1: driver = p.arg; break;
		case 2: class = p.arg; break;
		case 3: viable = true; break;
		case 4: check = true; break;
		}
	}
	optparse_fini(&p);
	if (o == OPT_EXIT)
		return p.exit;
	if (p.argc > 0)
		return cmd_usage_error(c, "unexpected argument '%s'", p.argv[0]);
	rc = require_groups(c);
	if (rc >= 0)
		return rc;
	if (device) {
		dev = lookup_device(c, device);
		if (!dev)
			return EXIT_FAILED;
	}

	a = json_object_new_array();
	iommuctl_group_foreach(c->ctx, g) {
		struct json_object *gj;
		bool match_drv = !driver, match_cls = !class;

		if (dev && iommuctl_device_get_group_id(dev) != (int)iommuctl_group_get_id(g))
			continue;
		iommuctl_group_device_foreach(g, d) {
			const char *drv = iommuctl_device_get_driver(d);

			if (driver && !strcmp(drv ? drv : "none", driver))
				match_drv = true;
			if (class && class_matches(d, class))
				match_cls = true;
		}
		if (!match_drv || !match_cls)
			continue;
		if (viable && !iommuctl_group_is_viable(g, NULL))
			continue;
		if (check && iommuctl_group_matches_prediction(g))
			continue;
		if (check)
			disagree++;
		gj = group_to_json(c->ctx, g, false);
		if (check) {
			struct iommuctl_device *first = iommuctl_group_get_first_device(g);

			json_object_object_add(gj, "predicted_members",
					       first ? predicted_members(c->ctx, first) : json_object_new_array());
		}
		json_object_array_add(a, gj);
	}
	if (c->json) {
		json_print(c, a);
	} else {
		size_t i;

		for (i = 0; i < json_object_array_length(a); i++)
			add_member_names(json_object_array_get_idx(a, i));
		if (json_object_array_length(a) || !check)
			table_print(stdout, a, group_cols, "");
		if (check && !disagree)
			printf("every IOMMU group matches the ACS analysis%s\n",
			       iommuctl_explain_is_certain(c->ctx) ? "" :
			       " (uncertain: some config space was unreadable, run as root)");
		else if (check)
			printf("%d group(s) differ from the analysis: a device quirk or an ACS override is at work ('iommuctl group explain N')\n",
			       disagree);
	}
	json_object_put(a);
	return check && disagree ? EXIT_FAILED : EXIT_OK;
}

static const struct opt no_opts[] = { { NULL, 0, NULL, NULL } };

static const struct verb_help show_help = {
	.synopsis = "N...",
	.description = "Show IOMMU groups: default domain type, IOMMU unit, members with\n"
		       "their drivers, driver_override and VFIO cdev, reserved regions, and\n"
		       "whether the group can be assigned (and if not, which member blocks it).",
	.opts = no_opts,
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
		return cmd_usage_error(c, "which group? give its number (see 'iommuctl group list')");
	a = json_object_new_array();
	for (i = 0; i < p.argc; i++) {
		struct iommuctl_group *g;

		rc = parse_group(c, p.argv[i], &g);
		if (rc) {
			json_object_put(a);
			return rc;
		}
		json_object_array_add(a, group_to_json(c->ctx, g, true));
	}
	if (c->json) {
		json_print(c, p.argc == 1 ? json_object_array_get_idx(a, 0) : a);
	} else {
		static const struct column fields[] = {
			{ "Group", "group", 0 }, { "Type", "type", 0 },
			{ "IOMMU", "iommu", 0 }, { "Viable", "viable", 0 },
			{ "Why not", "viable_reason", 0 },
			{ NULL, NULL, 0 },
		};

		for (i = 0; i < p.argc; i++) {
			struct json_object *j = json_object_array_get_idx(a, (size_t)i), *v;

			if (i)
				printf("\n");
			kv_print(stdout, j, fields);
			printf("Devices:\n");
			json_object_object_get_ex(j, "devices", &v);
			table_print(stdout, v, member_cols, "  ");
			printf("Reserved regions:\n");
			if (json_object_object_get_ex(j, "reserved_regions", &v) && v)
				table_print(stdout, v, region_cols, "  ");
			else
				printf("  (unreadable)\n");
		}
	}
	json_object_put(a);
	return EXIT_OK;
}

static const struct verb_help explain_help = {
	.synopsis = "N",
	.description = "Explain why the devices of an IOMMU group share it: for each member,\n"
		       "the walk up to the root complex (missing ACS on a downstream or root\n"
		       "port, multifunction devices without ACS, conventional PCI behind a\n"
		       "PCIe-to-PCI bridge) and the group this analysis predicts.",
	.opts = no_opts,
};

static int do_explain(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_device *d, *first;
	struct iommuctl_group *g;
	struct json_object *j, *a, *pred, *mem;
	struct optparse p;
	int rc;

	rc = optparse_operands(&p, c, argc, argv, &explain_help);
	if (rc >= 0)
		return rc;
	if (p.argc != 1)
		return cmd_usage_error(c, "give exactly one group number");
	rc = parse_group(c, p.argv[0], &g);
	if (rc)
		return rc;
	j = json_object_new_object();
	json_object_object_add(j, "group", json_object_new_int((int)iommuctl_group_get_id(g)));
	mem = json_object_new_array();
	a = json_object_new_array();
	iommuctl_group_device_foreach(g, d) {
		json_object_array_add(mem, json_object_new_string(iommuctl_device_get_name(d)));
		json_object_array_add(a, explain_device_to_json(d));
	}
	json_object_object_add(j, "members", mem);
	json_object_object_add(j, "devices", a);
	first = iommuctl_group_get_first_device(g);
	pred = first ? predicted_members(c->ctx, first) : json_object_new_array();
	json_object_object_add(j, "predicted_members", pred);
	json_object_object_add(j, "agrees", json_object_new_boolean(iommuctl_group_matches_prediction(g)));
	json_object_object_add(j, "certain",
			       json_object_new_boolean(iommuctl_explain_is_certain(c->ctx)));
	if (c->json) {
		json_print(c, j);
	} else {
		size_t i;

		char *text = json_list_text(mem);

		printf("IOMMU group %u: %s\n", iommuctl_group_get_id(g), text);
		free(text);
		for (i = 0; i < json_object_array_length(a); i++) {
			struct json_object *v;

			json_object_object_get_ex(json_object_array_get_idx(a, i), "message", &v);
			printf("  %s\n", json_object_get_string(v));
		}
		text = json_list_text(pred);
		printf("Predicted members: %s\n", text);
		free(text);
		if (!iommuctl_group_matches_prediction(g))
			printf("%swarning%s: the kernel formed this group differently: a device quirk (DMA alias or ACS) or an ACS override patch is at work\n",
			       color_on(c, "warning"), color_off(c));
		print_uncertain_note(c);
	}
	json_object_put(j);
	return EXIT_OK;
}

static const struct cmd group_cmds[] = {
	{ "list", do_list, "list IOMMU groups" },
	{ "show", do_show, "show IOMMU groups in detail" },
	{ "explain", do_explain, "explain why devices share an IOMMU group" },
	{ NULL, NULL, NULL },
};

int cmd_group(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(group_cmds, argc, argv, c);
}
