// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl resv: reserved IOVA regions per group, the merged view a VMM must
 * keep out of a guest's memory map, and iommuctl msi: what each group's MSI
 * window is.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

/* ---- the groups selected by --group N and --device BDF ------------------ */

struct sel_args {
	struct strlist groups, devices;
	struct iommuctl_ctx *ctx; /* for sel_wants() */
};

static const struct opt sel_opts[] = {
	OPT_LIST("group", 'g', "N", struct sel_args, groups,
		 "only IOMMU group N (repeatable)"),
	OPT_LIST("device", 'd', "BDF", struct sel_args, devices,
		 "only the group of this device (repeatable)"),
	OPT_END,
};

int group_number(struct cmdctx *c, const char *text, unsigned int *id)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || *end || end == text || v < 0 || v > INT_MAX)
		return cmd_usage(c, "--group: '%s' is not a group number",
				 text);
	*id = (unsigned int)v;
	return 0;
}

static int sel_check(struct cmdctx *c, void *args)
{
	const struct sel_args *a = args;
	unsigned int id;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < a->groups.n; i++)
		rc = group_number(c, a->groups.v[i], &id);
	return rc;
}

/* The groups must exist, the devices be in one; then, that there are
 * groups at all (exit 3): the old order of these errors. */
static int sel_resolve(struct cmdctx *c, struct sel_args *a)
{
	struct iommuctl_device *d;
	unsigned long id;
	char what[32];
	size_t i;
	int rc;

	a->ctx = c->ctx;
	for (i = 0; i < a->groups.n; i++) {
		id = strtoul(a->groups.v[i], NULL, 10);
		snprintf(what, sizeof(what), "group %lu", id);
		if (!iommuctl_group_get_by_id(c->ctx, (unsigned int)id))
			return cmd_fail_on(
				c, what, EXIT_FAILED, ENOENT,
				"no such IOMMU group (see 'iommuctl group list')");
	}
	for (i = 0; i < a->devices.n; i++) {
		rc = device_ref(c, a->devices.v[i], &d);
		if (rc < 0 || (rc = device_group(c, d)) < 0)
			return rc;
	}
	return require_groups(c);
}

static bool sel_wants(struct iommuctl_group *g, void *args)
{
	const struct sel_args *a = args;
	unsigned int id = iommuctl_group_get_id(g);
	size_t i;

	for (i = 0; i < a->groups.n; i++)
		if (strtoul(a->groups.v[i], NULL, 10) == id)
			return true;
	for (i = 0; i < a->devices.n; i++)
		if (iommuctl_device_get_group_id(iommuctl_device_get_by_name(
			    a->ctx, a->devices.v[i])) == (int)id)
			return true;
	return !a->groups.n && !a->devices.n;
}

static struct json_object *member_names(struct iommuctl_group *g)
{
	struct json_object *a = json_object_new_array();
	struct iommuctl_device *d;

	iommuctl_group_device_foreach(g, d) json_object_array_add(
		a, json_object_new_string(iommuctl_device_get_name(d)));
	return a;
}

/* ---- resv ----------------------------------------------------------------- */

static int resv_run(struct cmdctx *c, void *args)
{
	struct json_object *j, *groups, *warns;
	const struct iommuctl_resv_region *r;
	struct iommuctl_resv_region *m = NULL;
	struct iommuctl_group *g;
	int rc = sel_resolve(c, args);
	size_t n;

	if (rc < 0)
		return rc;
	j = json_object_new_object();
	groups = json_object_new_array();
	warns = json_object_new_array();
	jadd(j, "groups", groups);
	iommuctl_group_foreach(c->ctx, g) {
		struct json_object *gj;

		if (!sel_wants(g, args))
			continue;
		gj = json_object_new_object();
		jadd_int(gj, "group", iommuctl_group_get_id(g));
		jadd_str_or_null(gj, "iommu", iommuctl_group_get_iommu(g));
		jadd(gj, "device_names", member_names(g));
		json_object_array_add(groups, gj);
		if (iommuctl_resv_check(g, finding_add, warns) < 0)
			rc = -ENOMEM;
		jset(gj, "reserved_regions",
		     iommuctl_group_get_resv_regions(g, &r, &n) < 0 ?
			     NULL :
			     regions_to_json(r, n));
	}
	if (rc < 0 ||
	    iommuctl_resv_merge_groups(c->ctx, sel_wants, args, &m, &n) < 0) {
		json_object_put(j);
		json_object_put(warns);
		return cmd_fail(c, EXIT_FAILED, ENOMEM, "merging regions");
	}
	jadd(j, "merged", regions_to_json(m, n));
	jadd(j, "warnings", warns);
	free(m);
	return cmd_out(c, j);
}

/* clang-format off */
static const struct column resv_cols[] = {
	{ "GROUP", "group", COL_RIGHT }, { "START", "start", 0 },
	{ "LAST", "last", 0 },		 { "SIZE", "size", COL_RIGHT },
	{ "TYPE", "type", 0 },		 { NULL, NULL, 0 },
};

static const struct column merged_cols[] = {
	{ "START", "start", 0 }, { "LAST", "last", 0 },
	{ "SIZE", "size", COL_RIGHT }, { "TYPE", "type", 0 },
	{ "MERGED", "merged_types", 0 }, { NULL, NULL, 0 },
};
/* clang-format on */

static void resv_text(struct cmdctx *c, struct json_object *j)
{
	const struct sel_args *a = c->args;
	struct json_object *groups = jget(c, j, "groups"), *merged;
	struct json_object *rows = json_object_new_array();
	size_t i, k;

	/* one table: each region with its group */
	for (i = 0; groups && i < json_object_array_length(groups); i++) {
		struct json_object *gj = json_object_array_get_idx(groups, i);
		struct json_object *ra = jget(c, gj, "reserved_regions");

		for (k = 0; ra && k < json_object_array_length(ra); k++) {
			struct json_object *r =
				json_object_array_get_idx(ra, k);

			jadd(r, "group", json_object_get(jget(c, gj, "group")));
			json_object_array_add(rows, json_object_get(r));
		}
	}
	table_print(stdout, rows, resv_cols, "");
	json_object_put(rows);
	printf("\nMerged: what a VMM must keep out of the guest memory map for %s:\n",
	       a->groups.n || a->devices.n ? "these groups" : "all groups");
	merged = jget(c, j, "merged");
	if (merged)
		table_print(stdout, merged, merged_cols, "  ");
	print_findings(c, jget(c, j, "warnings"));
}

/* ---- msi ------------------------------------------------------------------ */

/* The MSI windows of group @g, classified. */
/* "interrupt_remapping": a boolean as in iommu list and show, left out
 * when it is not known */
static void ir_json(struct json_object *j, enum iommuctl_irq_remap r)
{
	if (r != IOMMUCTL_IR_UNKNOWN)
		jadd_bool(j, "interrupt_remapping", r == IOMMUCTL_IR_ENABLED);
}

static void msi_windows(struct iommuctl_group *g, struct json_object *wins)
{
	struct iommuctl_msi_window *w;
	struct json_object *o;
	size_t n, i;

	if (iommuctl_group_msi_windows(g, &w, &n) < 0)
		return;
	for (i = 0; i < n; i++) {
		o = region_to_json(w[i].region);
		jadd_int(o, "group", iommuctl_group_get_id(g));
		jadd_str_or_null(o, "iommu", iommuctl_group_get_iommu(g));
		jadd_str(o, "iommu_kind",
			 iommuctl_iommu_kind_name(w[i].iommu_kind));
		jadd(o, "device_names", member_names(g));
		jadd_str(o, "kind", w[i].kind == IOMMUCTL_MSI_HW ? "hw" : "sw");
		jadd_str(o, "basis", w[i].basis);
		json_object_array_add(wins, o);
	}
	free(w);
}

static int msi_run(struct cmdctx *c, void *args)
{
	static const char *const modules[] = { "iommufd", "vfio_iommu_type1" };
	struct json_object *j, *wins, *params, *warns;
	struct iommuctl_msi_state st;
	struct iommuctl_group *g;
	char *v, *why, key[64];
	size_t i;
	int rc = sel_resolve(c, args);

	if (rc < 0)
		return rc;
	iommuctl_msi_state(c->ctx, &st);
	wins = json_object_new_array();
	iommuctl_group_foreach(c->ctx, g)
		if (sel_wants(g, args))
			msi_windows(g, wins);
	j = json_object_new_object();
	ir_json(j, st.remapping);
	jadd_str(j, "interrupt_remapping_source", st.how);
	jadd_bool(j, "gic_its", st.gic_its);
	params = json_object_new_object();
	for (i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
		if (iommuctl_get_module_param(c->ctx, modules[i],
					      "allow_unsafe_interrupts",
					      &v) < 0)
			continue;
		snprintf(key, sizeof(key), "%s.allow_unsafe_interrupts",
			 modules[i]);
		jadd_str(params, key, v);
		free(v);
	}
	jadd(j, "parameters", params);
	/* the verdict: isolated (remapping on, or an ITS), not, or unknown */
	jset(j, "msi_isolated",
	     st.isolated >= 0 ? json_object_new_boolean(st.isolated) : NULL);
	jadd_bool(j, "unsafe_allowed", st.unsafe_allowed);
	why = iommuctl_msi_unsafe_explain(c->ctx);
	jadd_str_or_null(j, "explanation", why);
	free(why);
	jadd(j, "windows", wins);
	warns = json_object_new_array();
	/* finding_add() goes on always, so the check cannot fail */
	iommuctl_msi_check(c->ctx, sel_wants, args, finding_add, warns);
	jadd(j, "warnings", warns);
	/* in a session: where each of its devices' doorbell is mapped */
	if (c->in_session && c->sess) {
		struct json_object *a = json_object_new_array(), *e;
		struct iommuctl_obj *o;

		iommuctl_session_foreach(c->sess, o)
		{
			if (iommuctl_obj_get_type(o) != IOMMUCTL_OBJ_DEVICE)
				continue;
			e = json_object_new_object();
			jadd_int(e, "id", iommuctl_obj_get_id(o));
			jadd_str(e, "label", iommuctl_obj_label(o));
			jset(e, "doorbell", doorbell_json(o));
			json_object_array_add(a, e);
		}
		jadd(j, "session_devices", a);
	}
	return cmd_out(c, j);
}

/*
 * What a command that binds devices says about their interrupts:
 * {"interrupt_remapping", "msi_isolated" (true, false or null: unknown),
 * "unsafe_interrupts_allowed" (an allow_unsafe_interrupts is Y; only said
 * when MSIs are not isolated), "explanation" (iommuctl_msi_unsafe_explain)}.
 */
struct json_object *msi_isolation_json(struct iommuctl_ctx *ctx)
{
	struct json_object *j = json_object_new_object();
	struct iommuctl_msi_state st;
	char *v;

	iommuctl_msi_state(ctx, &st);
	ir_json(j, st.remapping);
	jset(j, "msi_isolated",
	     st.isolated >= 0 ? json_object_new_boolean(st.isolated) : NULL);
	jadd_bool(j, "unsafe_interrupts_allowed",
		  st.remapping == IOMMUCTL_IR_DISABLED && st.unsafe_allowed);
	v = iommuctl_msi_unsafe_explain(ctx);
	jadd_str_or_null(j, "explanation", v);
	free(v);
	return j;
}

/* clang-format off */
static const struct column msi_cols[] = {
	{ "GROUP", "group", COL_RIGHT }, { "IOMMU", "iommu", 0 },
	{ "START", "start", 0 },	 { "LAST", "last", 0 },
	{ "KIND", "kind", 0 },		 { NULL, NULL, 0 },
};
/* clang-format on */

/* In a session: each device's doorbell */
static void session_doorbells_text(struct cmdctx *c, struct json_object *a)
{
	size_t i, n = a ? json_object_array_length(a) : 0;

	if (n)
		printf("\nMSI doorbells of the session's devices:\n");
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i),
				   *d = jopt(e, "doorbell"),
				   *w = d ? jopt(d, "window") : NULL;

		printf("  %s: ", jstr(c, e, "label"));
		if (!d) {
			printf("unknown\n");
			continue;
		}
		if (jopt(d, "holder"))
			printf("mapped in %s%s", jstr(c, d, "holder_label"),
			       jopt(d, "stage") ? " (nest parent, stage 2)" :
						  "");
		else
			printf("%s", jstr(c, d, "where"));
		if (w)
			printf(" at %s-%s", jstr(c, w, "start"),
			       jstr(c, w, "last"));
		print_wrapped(4, "\n    %s", jstr(c, d, "explanation"));
		if (jopt(d, "stage1"))
			print_wrapped(6, "    guest stage 1: %s",
				      jstr(c, d, "stage1"));
	}
}

static void msi_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *params = jget(c, j, "parameters");
	struct json_object *wins = jget(c, j, "windows");
	struct json_object *said = json_object_new_object();
	size_t i, n = wins ? json_object_array_length(wins) : 0;

	print_wrapped(21, "Interrupt remapping: %s (%s)",
		      !jopt(j, "interrupt_remapping") ? "unknown" :
		      json_object_get_boolean(jopt(j, "interrupt_remapping")) ?
							"enabled" :
							"disabled",
		      jstr(c, j, "interrupt_remapping_source"));
	if (json_object_get_boolean(jget(c, j, "gic_its")))
		printf("MSI controller:      GIC ITS (isolates MSIs per device)\n");
	if (jopt(j, "msi_isolated") &&
	    !json_object_get_boolean(jopt(j, "msi_isolated")))
		printf("MSI isolation:       NONE%s\n",
		       json_object_get_boolean(jget(c, j, "unsafe_allowed")) ?
			       " (unsafe interrupts allowed: devices are bound anyway)" :
			       " (binding devices to iommufd fails with EPERM)");
	if (params) {
		json_object_object_foreach(params, pk, pv)
			printf("%s=%s\n", pk, json_object_get_string(pv));
	}
	if (wins)
		table_print(stdout, wins, msi_cols, "");
	/* each distinct reasoning once: the bases said so far are keys */
	for (i = 0; i < n; i++) {
		struct json_object *w = json_object_array_get_idx(wins, i);
		const char *b = jstr(c, w, "basis");

		if (!jopt(said, b))
			print_wrapped(4, "%s: %s", jstr(c, w, "kind"), b);
		jadd_bool(said, b, true);
	}
	json_object_put(said);
	if (jopt(j, "explanation"))
		print_wrapped(0, "\n%s", jstr(c, j, "explanation"));
	print_findings(c, jget(c, j, "warnings"));
	session_doorbells_text(c, jopt(j, "session_devices"));
}

/* clang-format off */
#define SEL_VERB(sum, desc, fn, txt) \
	{ .name = "show", .summary = sum, \
	  .synopsis = "[--group N]... [--device BDF]...", .description = desc, \
	  .opts = sel_opts, .args_size = sizeof(struct sel_args), \
	  .check = sel_check, .run = fn, \
	  .render = &(const struct render){ .text = txt } }

static const struct verb resv_verbs[] = {
	SEL_VERB("reserved regions per group and merged",
		 "Reserved IOVA regions as the kernel lists them per IOMMU group (direct,\n"
		 "direct-relaxable, reserved, msi), the merged view a VMM must keep out of\n"
		 "the guest's memory map for the selected groups (default: all), and\n"
		 "warnings: a direct (RMRR) region on a group to be assigned, regions\n"
		 "overlapping where guest RAM usually lives below 4 GiB.",
		 resv_run, resv_text),
	{ .name = NULL },
};

static const struct verb msi_verbs[] = {
	SEL_VERB("MSI windows and interrupt remapping",
		 "The MSI window of each IOMMU group and what it is: a hardware window\n"
		 "(x86 0xfee00000-0xfeefffff, not translated, safe only with interrupt\n"
		 "remapping) or a software window (Arm SMMU: the kernel maps the\n"
		 "interrupt controller's doorbell into the domain), with how that was\n"
		 "decided: from the driver of the group's IOMMU (what kind its\n"
		 "reserved regions are), from the address only for other drivers;\n"
		 "whether interrupt remapping is on; and the\n"
		 "allow_unsafe_interrupts parameters of iommufd and vfio_iommu_type1.\n"
		 "With remapping off, what the kernel does about it (EPERM unless\n"
		 "allow_unsafe_interrupts), the risk and the fix. In a session (batch,\n"
		 "shell) also where each of the session's devices has its MSI doorbell\n"
		 "mapped: in the paging hwpt it is attached to, in the nest parent\n"
		 "(stage 2) of a nested hwpt, whose guest stage 1 must then map the\n"
		 "window 1:1 (an IORT RMR), or nowhere (a hardware window).",
		 msi_run, msi_text),
	{ .name = NULL },
};

const struct object obj_resv = { "resv", "reserved IOVA regions, per group and merged",
				 resv_verbs, NULL };
const struct object obj_msi = { "msi", "MSI windows and interrupt remapping",
				msi_verbs, NULL };
/* clang-format on */
