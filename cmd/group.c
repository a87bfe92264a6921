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
	{ "DEVICES", "members", COL_NAME }, { NULL, NULL, 0 },
};

static const struct column member_cols[] = {
	{ "DEVICE", "name", 0 },     { "DRIVER", "driver", 0 },
	{ "OVERRIDE", "driver_override", 0 },
	{ "VFIO", "vfio_cdev", 0 },  { "CLASS", "class", 0 },
	{ "VENDOR", "vendor_name", 0 }, { "NAME", "device_name", 0 },
	{ NULL, NULL, 0 },
};

static const struct column region_cols[] = {
	{ "START", "start", 0 }, { "LAST", "last", 0 },
	{ "SIZE", "size", COL_RIGHT }, { "TYPE", "type", 0 },
	{ NULL, NULL, 0 },
};

static int parse_group(struct cmdctx *c, const char *s, struct iommuctl_group **g)
{
	char *end, what[32];
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < 0 || v > 0x7fffffff)
		return cmd_usage(c, "'%s' is not an IOMMU group number", s);
	*g = iommuctl_group_get_by_id(c->ctx, (unsigned int)v);
	if (*g)
		return 0;
	snprintf(what, sizeof(what), "group %ld", v);
	return cmd_fail_on(c, what, EXIT_FAILED, ENOENT,
			   "no such IOMMU group (see 'iommuctl group list')");
}

/* The member names of a group's JSON, for the table's one column. */
/* The members of a group, a line each, what vfio-pci.ids and a user
 * need first: "0000:05:01.0 [8086:100e] e1000: Ethernet controller: Intel
 * Corporation 82540EM Gigabit Ethernet Controller" (names are cut first
 * when the line is too long). */
static struct json_object *member_lines(struct cmdctx *c, struct json_object *gj)
{
	struct json_object *devs = jget(c, gj, "devices");
	size_t i, len = 0;
	char *s = NULL;
	FILE *m = open_memstream(&s, &len);
	struct json_object *r;

	for (i = 0; m && devs && i < json_object_array_length(devs); i++) {
		struct json_object *d = json_object_array_get_idx(devs, i);
		/* each key looked up once: thousands of lines on a big host */
		const char *ven = jstr_opt(d, "vendor"),
			   *dev = jstr_opt(d, "device"),
			   *drv = jstr_opt(d, "driver"),
			   *cls = jstr_opt(d, "class_name"),
			   *vn = jstr_opt(d, "vendor_name"),
			   *dn = jstr_opt(d, "device_name");

		fprintf(m, "%s%s", i ? "\n" : "", jstr(c, d, "name"));
		if (ven && strlen(ven) == 6 && dev && strlen(dev) > 2)
			fprintf(m, " [%s:%s]", ven + 2, dev + 2);
		fprintf(m, " %s", drv ?: "-");
		if (cls || vn || dn)
			fprintf(m, ": %s%s%s%s%s", cls ?: "",
				cls && (vn || dn) ? ": " : "", vn ?: "",
				vn && dn ? " " : "", dn ?: "");
	}
	if (!m || fclose(m)) {
		free(s);
		return NULL;
	}
	r = json_object_new_string(s);
	free(s);
	return r;
}

/* ---- list ----------------------------------------------------------------- */

struct list_args {
	struct devref device;
	const char *driver, *class;
	bool viable, check;
};

static const struct opt list_opts[] = {
	OPT_DEV("device", 'd', "BDF", struct list_args, device,
		"only the group of this device"),
	OPT_STR("driver", 0, "NAME", struct list_args, driver,
		"only groups with a member bound to NAME ('none': unbound)"),
	OPT_STR("class", 0, "CLASS", struct list_args, class,
		"only groups with a member of this PCI class (hex prefix: 02, 0c03)"),
	OPT_BOOL("viable", 0, struct list_args, viable,
		 "only groups that can be assigned as they are"),
	OPT_BOOL("check", 0, struct list_args, check,
		 "only groups the kernel formed differently from the ACS analysis; exit 1 if any"),
	OPT_END,
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

/* --class: 1 to 6 hex digits (class, subclass, prog-if), "0x" allowed */
static int list_check(struct cmdctx *c, void *args)
{
	const struct list_args *a = args;
	const char *p = a->class;
	size_t n;

	if (!p)
		return 0;
	if (!strncmp(p, "0x", 2))
		p += 2;
	n = strlen(p);
	if (n < 1 || n > 6 || strspn(p, "0123456789abcdefABCDEF") != n)
		return cmd_usage(c, "--class '%s' is not a PCI class: 1 to 6 hex digits, such as 02 (network), 0300 (VGA) or 0c0330 (xHCI)",
				 a->class);
	return 0;
}

static bool list_wants(const struct list_args *a, struct iommuctl_group *g)
{
	bool match_drv = !a->driver, match_cls = !a->class;
	struct iommuctl_device *d;

	if (a->device.dev &&
	    iommuctl_device_get_group_id(a->device.dev) != (int)iommuctl_group_get_id(g))
		return false;
	iommuctl_group_device_foreach(g, d) {
		const char *drv = iommuctl_device_get_driver(d);

		if (a->driver && !strcmp(drv ? drv : "none", a->driver))
			match_drv = true;
		if (a->class && class_matches(d, a->class))
			match_cls = true;
	}
	if (!match_drv || !match_cls)
		return false;
	if (a->viable && !iommuctl_group_is_viable(g, NULL))
		return false;
	return !a->check || !iommuctl_group_matches_prediction(g);
}

static int list_run(struct cmdctx *c, void *args)
{
	const struct list_args *a = args;
	int rc = iommuctl_num_groups(c->ctx);
	struct iommuctl_group *g;
	struct list_out l;

	/* none (no /sys/kernel/iommu_groups) is an answer; unreadable is not */
	if (rc < 0 && rc != -ENOENT)
		return cmd_fail(c, EXIT_FAILED, rc,
				"cannot read /sys/kernel/iommu_groups");
	list_begin(c, &l);
	iommuctl_group_foreach(c->ctx, g) {
		struct iommuctl_device *first = iommuctl_group_get_first_device(g);
		struct json_object *gj;

		if (!list_wants(a, g))
			continue;
		gj = group_to_json(c->ctx, g, false);
		if (a->check)
			json_object_object_add(gj, "predicted_members",
					       first ? predicted_members(c->ctx, first) :
						       json_object_new_array());
		list_add(&l, gj);
	}
	list_end(&l);
	if (a->check && !iommuctl_explain_is_certain(c->ctx))
		fprintf(stderr,
			"iommuctl: the ACS analysis is uncertain: some config space was unreadable (run as root)\n");
	return a->check && l.n ? CMD_STATUS(EXIT_FAILED) : 0;
}

static void list_text(struct cmdctx *c, struct json_object *arr)
{
	bool check = ((const struct list_args *)c->args)->check;
	size_t i, n = json_object_array_length(arr);

	for (i = 0; i < n; i++) {
		struct json_object *gj = json_object_array_get_idx(arr, i);

		json_object_object_add(gj, "members", member_lines(c, gj));
	}
	if (!n && iommuctl_num_groups(c->ctx) <= 0)
		print_wrapped(
			2,
			"no IOMMU groups: no IOMMU translates DMA on this system (see 'iommuctl status')");
	else if (n || !check)
		table_print(stdout, arr, group_cols, "");
	if (check && !n && iommuctl_num_groups(c->ctx) > 0)
		printf("every IOMMU group matches the ACS analysis%s\n",
		       iommuctl_explain_is_certain(c->ctx) ? "" :
		       " (uncertain: some config space was unreadable, run as root)");
	else if (check && n && !iommuctl_explain_is_certain(c->ctx))
		print_wrapped(
			2,
			"%zu group(s) differ from the analysis, which is uncertain: some config space was unreadable (run as root)",
			n);
	else if (check && n)
		print_wrapped(
			2,
			"%zu group(s) differ from the analysis: a device quirk or an ACS override is at work ('iommuctl group explain N')",
			n);
}

/* ---- show ----------------------------------------------------------------- */

static int show_run(struct cmdctx *c, void *args UNUSED)
{
	struct iommuctl_group *g;
	int rc = parse_group(c, c->argv[0], &g);

	return rc < 0 ? rc : cmd_out(c, group_to_json(c->ctx, g, true));
}

static void show_one(struct cmdctx *c, struct json_object *j)
{
	static const struct column fields[] = {
		{ "Group", "group", 0 }, { "Type", "type", 0 },
		{ "IOMMU", "iommu", 0 }, { "Viable", "viable", 0 },
		{ "Why not", "viable_reason", 0 },
		{ NULL, NULL, 0 },
	};
	struct json_object *v;

	kv_print(stdout, j, fields);
	printf("Devices:\n");
	table_print(stdout, jget(c, j, "devices"), member_cols, "  ");
	printf("Reserved regions:\n");
	v = jopt(j, "reserved_regions");
	if (v)
		table_print(stdout, v, region_cols, "  ");
	else
		printf("  (unreadable)\n");
}

/* ---- explain -------------------------------------------------------------- */

static int explain_run(struct cmdctx *c, void *args UNUSED)
{
	struct iommuctl_device *d, *first;
	struct iommuctl_group *g;
	struct json_object *j, *a, *mem;
	int rc = parse_group(c, c->argv[0], &g);

	if (rc < 0)
		return rc;
	j = json_object_new_object();
	jadd_int(j, "group", iommuctl_group_get_id(g));
	mem = json_object_new_array();
	a = json_object_new_array();
	iommuctl_group_device_foreach(g, d) {
		json_object_array_add(mem, json_object_new_string(iommuctl_device_get_name(d)));
		json_object_array_add(a, explain_device_to_json(d));
	}
	jadd(j, "members", mem);
	jadd(j, "devices", a);
	first = iommuctl_group_get_first_device(g);
	jadd(j, "predicted_members",
	     first ? predicted_members(c->ctx, first) : json_object_new_array());
	jadd_bool(j, "agrees", iommuctl_group_matches_prediction(g));
	jadd_bool(j, "certain", iommuctl_explain_is_certain(c->ctx));
	return cmd_out(c, j);
}

static void explain_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *a = jget(c, j, "devices");
	char *text = json_list_text(jget(c, j, "members"));
	size_t i;

	print_wrapped(2, "IOMMU group %s: %s", jstr(c, j, "group"), text);
	free(text);
	for (i = 0; a && i < json_object_array_length(a); i++)
		print_wrapped(4, "  %s",
			      jstr(c, json_object_array_get_idx(a, i),
				   "message"));
	text = json_list_text(jget(c, j, "predicted_members"));
	print_wrapped(2, "Predicted members: %s", text);
	free(text);
	if (!json_object_get_boolean(jget(c, j, "agrees")))
		print_wrapped(
			9,
			"%swarning%s: the kernel formed this group differently: a device quirk (DMA alias or ACS) or an ACS override patch is at work",
			color_on(c, "warning"), color_off(c));
	print_uncertain_note(c);
}

static const struct verb group_verbs[] = {
	{ .name = "list", .summary = "list IOMMU groups",
	  .synopsis = "[OPTIONS]",
	  .description = "List IOMMU groups: number, default domain type, IOMMU unit, whether\n"
			 "they can be assigned to a VM as they are, and their members, a line\n"
			 "each: PCI address, [vendor:device] (what vfio-pci.ids= takes), driver,\n"
			 "class, vendor and device names (cut first on a narrow terminal).",
	  .opts = list_opts, .args_size = sizeof(struct list_args),
	  .check = list_check, .run = list_run,
	  .render = &(const struct render){ .text = list_text } },
	{ .name = "show", .summary = "show an IOMMU group in detail",
	  .synopsis = "N",
	  .description = "Show an IOMMU group: default domain type, IOMMU unit, members with\n"
			 "their drivers, driver_override and VFIO cdev, reserved regions, and\n"
			 "whether the group can be assigned (and if not, which member blocks it).",
	  .min_args = 1, .max_args = 1,
	  .need = "which group? give its number (see 'iommuctl group list')",
	  .run = show_run, .render = &(const struct render){ .text = show_one } },
	{ .name = "explain", .summary = "explain why devices share an IOMMU group",
	  .synopsis = "N",
	  .description = "Explain why the devices of an IOMMU group share it: for each member,\n"
			 "the walk up to the root complex (missing ACS on a downstream or root\n"
			 "port, multifunction devices without ACS, conventional PCI behind a\n"
			 "PCIe-to-PCI bridge) and the group this analysis predicts.",
	  .min_args = 1, .max_args = 1, .need = "give exactly one group number",
	  .run = explain_run, .render = &(const struct render){ .text = explain_text } },
	{ .name = NULL },
};

const struct object obj_group = { "group", "IOMMU groups, their members and why they share",
				  group_verbs, NULL };
