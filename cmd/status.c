// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl status: is there an IOMMU, and is it ready for assignment? */
#include <errno.h>
#include <string.h>

#include "builtin.h"

/* The one emitter for status; the table below is rendered from it. */
static struct json_object *status_to_json(struct cmdctx *c,
					  struct iommuctl_status *st)
{
	const struct iommuctl_iommufd_state *fd = iommuctl_status_get_iommufd(st);
	struct json_object *j = json_object_new_object(), *a, *o;
	const char *const *v;
	const unsigned int *counts;
	struct iommuctl_iommu *it;
	struct iommuctl_finding *f;
	unsigned int n, i, ncdev;
	bool cdev, group;
	static const char *const params[] = {
		"iommufd.allow_unsafe_interrupts",
		"vfio_iommu_type1.allow_unsafe_interrupts",
		"vfio.enable_unsafe_noiommu_mode",
	};

	if (iommuctl_is_offline(c->ctx))
		json_object_object_add(j, "root",
				       json_object_new_string(iommuctl_get_root(c->ctx)));
	json_object_object_add(j, "verdict",
			       json_object_new_string(iommuctl_verdict_name(
				       iommuctl_status_get_verdict(st))));
	if (iommuctl_status_get_kernel(st))
		json_object_object_add(j, "kernel",
				       json_object_new_string(iommuctl_status_get_kernel(st)));

	a = json_object_new_array();
	iommuctl_iommu_foreach(c->ctx, it)
		json_object_array_add(a, iommu_to_json(c->ctx, it, false));
	json_object_object_add(j, "iommus", a);

	n = (unsigned int)(iommuctl_status_get_num_groups(st) > 0 ?
				   iommuctl_status_get_num_groups(st) : 0);
	json_object_object_add(j, "groups", json_object_new_int64(n));
	iommuctl_status_get_domain_types(st, &n, &v, &counts);
	o = json_object_new_object();
	for (i = 0; i < n; i++)
		json_object_object_add(o, v[i], json_object_new_int64(counts[i]));
	json_object_object_add(j, "default_domains", o);

	o = json_object_new_object();
	json_object_object_add(o, "present", json_object_new_boolean(fd->present));
	if (fd->present && !iommuctl_is_offline(c->ctx)) {
		json_object_object_add(o, "accessible",
				       json_object_new_boolean(fd->open_errno == 0));
		if (fd->open_errno)
			json_object_object_add(o, "error",
					       json_object_new_string(strerror(fd->open_errno)));
		json_object_object_add(o, "answers", json_object_new_boolean(fd->answers));
		json_object_object_add(o, "selftest", json_object_new_boolean(fd->selftest));
	}
	json_object_object_add(j, "iommufd", o);

	iommuctl_status_get_vfio(st, &cdev, &group, &ncdev);
	o = json_object_new_object();
	json_object_object_add(o, "cdev", json_object_new_boolean(cdev));
	json_object_object_add(o, "group_interface", json_object_new_boolean(group));
	json_object_object_add(o, "cdevs", json_object_new_int64(ncdev));
	json_object_object_add(j, "vfio", o);

	o = json_object_new_object();
	json_object_object_add(o, "state",
			       json_object_new_string(iommuctl_debugfs_state_name(
				       iommuctl_status_get_debugfs(st))));
	v = iommuctl_status_get_debugfs_drivers(st, &n);
	if (iommuctl_status_get_debugfs(st) == IOMMUCTL_DEBUGFS_AVAILABLE)
		json_object_object_add(o, "drivers", json_strv(v, n));
	json_object_object_add(j, "debugfs", o);

	v = iommuctl_status_get_cmdline(st, &n);
	json_object_object_add(j, "cmdline", json_strv(v, n));
	v = iommuctl_status_get_firmware_tables(st, &n);
	json_object_object_add(j, "firmware_tables", json_strv(v, n));

	o = json_object_new_object();
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		const char *val = iommuctl_status_get_param(st, params[i]);

		if (val)
			json_object_object_add(o, params[i], json_object_new_string(val));
	}
	json_object_object_add(j, "parameters", o);

	a = json_object_new_array();
	iommuctl_finding_foreach(st, f) {
		o = json_object_new_object();
		json_object_object_add(o, "severity",
				       json_object_new_string(iommuctl_severity_name(
					       iommuctl_finding_get_severity(f))));
		json_object_object_add(o, "code",
				       json_object_new_string(iommuctl_finding_get_code(f)));
		json_object_object_add(o, "message",
				       json_object_new_string(iommuctl_finding_get_message(f)));
		json_object_array_add(a, o);
	}
	json_object_object_add(j, "findings", a);
	return j;
}

static const char *sjstr(struct json_object *j, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(j, key, &v) ? json_object_get_string(v) : NULL;
}

static bool jbool(struct json_object *j, const char *key, bool *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(j, key, &v))
		return false;
	*out = json_object_get_boolean(v);
	return true;
}

static void print_list(struct json_object *a)
{
	size_t i, n = json_object_array_length(a);

	if (!n)
		printf("-");
	for (i = 0; i < n; i++)
		printf("%s%s", i ? " " : "",
		       json_object_get_string(json_object_array_get_idx(a, i)));
	printf("\n");
}

static const struct column iommu_cols[] = {
	{ "NAME", "name", 0 },	       { "KIND", "kind", 0 },
	{ "DRIVER", "driver", 0 },     { "DEVICES", "num_devices", COL_RIGHT },
	{ NULL, NULL, 0 },
};

static void status_print_table(struct cmdctx *c, struct json_object *j)
{
	struct json_object *o, *units, *a;
	const char *verdict = sjstr(j, "verdict");
	size_t i, n, hw = 0;
	bool b = false;

	json_object_object_get_ex(j, "iommus", &units);
	n = json_object_array_length(units);
	for (i = 0; i < n; i++) {
		iommu_add_count(json_object_array_get_idx(units, i));
		if (jbool(json_object_array_get_idx(units, i), "hardware", &b) && b)
			hw++;
	}

	if (sjstr(j, "root"))
		printf("Root:          %s (offline)\n", sjstr(j, "root"));
	printf("IOMMU:         %s", !strcmp(verdict, "active") ? color_on(c, "good") :
				      !strcmp(verdict, "none") ? "" : color_on(c, "warning"));
	if (!strcmp(verdict, "active"))
		printf("active, %zu hardware unit%s", hw, hw == 1 ? "" : "s");
	else if (!strcmp(verdict, "no-groups"))
		printf("registered but not translating (no IOMMU groups)");
	else if (!strcmp(verdict, "disabled"))
		printf("present but disabled");
	else
		printf("none: this system has no IOMMU hardware");
	printf("%s\n", color_off(c));
	if (sjstr(j, "kernel"))
		printf("Kernel:        %s\n", sjstr(j, "kernel"));
	printf("Units:         %zu\n", n);
	if (n)
		table_print(stdout, units, iommu_cols, "  ");

	printf("Groups:        %s", sjstr(j, "groups"));
	json_object_object_get_ex(j, "default_domains", &o);
	{
		const char *sep = " (default domain ";

		json_object_object_foreach(o, type, cnt) {
			printf("%s%s: %s", sep, type, json_object_get_string(cnt));
			sep = ", ";
		}
		if (strcmp(sep, " (default domain "))
			printf(")");
	}
	printf("\n");

	json_object_object_get_ex(j, "iommufd", &o);
	printf("/dev/iommu:    ");
	if (!jbool(o, "present", &b) || !b) {
		printf("absent\n");
	} else if (!jbool(o, "accessible", &b)) {
		printf("present\n");
	} else if (!b) {
		printf("present, cannot open: %s\n", sjstr(o, "error"));
	} else {
		jbool(o, "answers", &b);
		printf("present, %s", b ? "answers" : "does not answer iommufd ioctls");
		if (jbool(o, "selftest", &b) && b)
			printf(" (selftest mock available)");
		printf("\n");
	}

	json_object_object_get_ex(j, "vfio", &o);
	jbool(o, "cdev", &b);
	printf("VFIO cdev:     %s", b ? "supported" : "not supported");
	printf(" (%s device cdevs)", sjstr(o, "cdevs"));
	jbool(o, "group_interface", &b);
	printf(", legacy group interface %s\n", b ? "present" : "absent");

	json_object_object_get_ex(j, "debugfs", &o);
	printf("IOMMU debugfs: %s", sjstr(o, "state"));
	if (json_object_object_get_ex(o, "drivers", &a) &&
	    json_object_array_length(a)) {
		printf(" (");
		for (i = 0; i < json_object_array_length(a); i++)
			printf("%s%s", i ? ", " : "",
			       json_object_get_string(json_object_array_get_idx(a, i)));
		printf(")");
	}
	printf("\n");

	json_object_object_get_ex(j, "cmdline", &a);
	printf("Command line:  ");
	print_list(a);
	json_object_object_get_ex(j, "firmware_tables", &a);
	printf("ACPI tables:   ");
	print_list(a);
	json_object_object_get_ex(j, "parameters", &o);
	if (json_object_object_length(o)) {
		printf("Parameters:   ");
		json_object_object_foreach(o, k, val)
			printf(" %s=%s", k, json_object_get_string(val));
		printf("\n");
	}

	json_object_object_get_ex(j, "findings", &a);
	for (i = 0; i < json_object_array_length(a); i++) {
		struct json_object *f = json_object_array_get_idx(a, i);
		const char *sev = sjstr(f, "severity");

		printf("%s%s%s: %s [%s]\n", color_on(c, sev), sev, color_off(c),
		       sjstr(f, "message"), sjstr(f, "code"));
	}
}

static const struct opt status_opts[] = { { NULL, 0, NULL, NULL } };

static const struct verb_help status_help = {
	.synopsis = "",
	.description =
		"Summarise the IOMMU setup: units and their drivers, IOMMU groups and\n"
		"their default domain types, /dev/iommu, VFIO cdev support, IOMMU\n"
		"debugfs, IOMMU-related kernel command line words, and findings that\n"
		"name what is wrong and how to fix it. A system without an IOMMU is\n"
		"reported as such (exit 0).",
	.opts = status_opts,
};

static int do_show(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_status *st;
	struct json_object *j;
	struct optparse p;
	int rc;

	rc = optparse_operands(&p, c, argc, argv, &status_help);
	if (rc >= 0)
		return rc;
	if (p.argc > 0)
		return cmd_usage_error(c, "unexpected argument '%s'", p.argv[0]);

	rc = iommuctl_status_new(c->ctx, &st);
	if (rc < 0)
		return cmd_error(c, EXIT_FAILED, rc, "reading the system state");
	j = status_to_json(c, st);
	if (c->json)
		json_print(c, j);
	else
		status_print_table(c, j);
	json_object_put(j);
	iommuctl_status_free(st);
	return EXIT_OK;
}

static const struct cmd status_cmds[] = {
	{ "show", do_show, "summarise the IOMMU setup of this system" },
	{ NULL, NULL, NULL },
};

int cmd_status(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(status_cmds, argc, argv, c);
}

LEGACY_OBJECT(obj_status, "status", "summarise the IOMMU setup of this system", cmd_status);
