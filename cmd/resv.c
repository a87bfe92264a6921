// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl resv: reserved IOVA regions per group, the merged view a VMM must
 * keep out of a guest's memory map, and iommuctl msi: what each group's MSI
 * window is.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

/* Guest RAM below 4 GiB usually spans 0-3 GiB (the rest is the PCI hole). */
#define GUEST_LOW_RAM_END 0xbfffffffULL

struct selection {
	unsigned int *ids;
	size_t n;
};

static int select_add(struct cmdctx *c, struct selection *s, unsigned int id)
{
	unsigned int *nv;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->ids[i] == id)
			return 0;
	nv = realloc(s->ids, (s->n + 1) * sizeof(*nv));
	if (!nv)
		return cmd_error(c, EXIT_FAILED, ENOMEM, "selecting groups");
	s->ids = nv;
	s->ids[s->n++] = id;
	return 0;
}

static bool selected(const struct selection *s, unsigned int id)
{
	size_t i;

	if (!s->n)
		return true;
	for (i = 0; i < s->n; i++)
		if (s->ids[i] == id)
			return true;
	return false;
}

/* --group N and --device BDF, both repeatable, select groups. A system
 * without IOMMU groups has nothing to select from: exit 3. */
static int select_arg(struct cmdctx *c, struct selection *s, int which, const char *arg)
{
	struct iommuctl_device *d;
	char *end;
	long v;

	if (which == 0) {
		v = strtol(arg, &end, 10);
		if (*end || end == arg || v < 0)
			return cmd_usage_error(c, "--group: '%s' is not a group number", arg);
		if (!iommuctl_group_get_by_id(c->ctx, (unsigned int)v)) {
			char what[32];

			snprintf(what, sizeof(what), "group %ld", v);
			return cmd_error_on(c, what, EXIT_FAILED, ENOENT,
					    "no such IOMMU group (see 'iommuctl group list')");
		}
		return select_add(c, s, (unsigned int)v) ? EXIT_FAILED : 0;
	}
	d = lookup_device(c, arg);
	if (!d)
		return EXIT_FAILED;
	if (iommuctl_device_get_group_id(d) < 0)
		return cmd_error_on(c, device_what(d), EXIT_UNAVAILABLE, ENOENT,
				    "not in an IOMMU group: %s", iommuctl_device_no_group_reason(d));
	return select_add(c, s, (unsigned int)iommuctl_device_get_group_id(d)) ? EXIT_FAILED : 0;
}

static struct json_object *member_names(struct iommuctl_group *g)
{
	struct json_object *a = json_object_new_array();
	struct iommuctl_device *d;

	iommuctl_group_device_foreach(g, d)
		json_object_array_add(a, json_object_new_string(iommuctl_device_get_name(d)));
	return a;
}

static void add_warning(struct json_object *a, const char *sev, const char *code,
			char *msg)
{
	struct json_object *w = json_object_new_object();

	json_object_object_add(w, "severity", json_object_new_string(sev));
	json_object_object_add(w, "code", json_object_new_string(code));
	json_object_object_add(w, "message", json_object_new_string(msg ? msg : ""));
	json_object_array_add(a, w);
	free(msg);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

static void print_warnings(struct cmdctx *c, struct json_object *a)
{
	size_t i;

	for (i = 0; i < json_object_array_length(a); i++) {
		struct json_object *w = json_object_array_get_idx(a, i), *sev, *msg, *code;

		json_object_object_get_ex(w, "severity", &sev);
		json_object_object_get_ex(w, "message", &msg);
		json_object_object_get_ex(w, "code", &code);
		printf("%s%s%s: %s [%s]\n", color_on(c, json_object_get_string(sev)),
		       json_object_get_string(sev), color_off(c),
		       json_object_get_string(msg), json_object_get_string(code));
	}
}

static const struct opt sel_opts[] = {
	{ "group", 'g', "N", "only IOMMU group N (repeatable)" },
	{ "device", 'd', "BDF", "only the group of this device (repeatable)" },
	{ NULL, 0, NULL, NULL },
};

static int parse_selection(struct cmdctx *c, int argc, char **argv,
			   const struct verb_help *h, struct selection *s)
{
	struct optparse p;
	int o, rc = 0;

	optparse_init(&p, c, argc, argv, h);
	while (!rc && (o = optparse_next(&p)) >= 0)
		rc = select_arg(c, s, o, p.arg);
	optparse_fini(&p);
	if (rc)
		return rc;
	if (o == OPT_EXIT)
		return p.exit ? p.exit : -1; /* -1: help printed, exit 0 */
	if (p.argc > 0)
		return cmd_usage_error(c, "unexpected argument '%s'", p.argv[0]);
	rc = require_groups(c);
	return rc < 0 ? cmd_finish(c, rc) : 0;
}

static const struct verb_help resv_help = {
	.synopsis = "[--group N]... [--device BDF]...",
	.description = "Reserved IOVA regions as the kernel lists them per IOMMU group (direct,\n"
		       "direct-relaxable, reserved, msi), the merged view a VMM must keep out of\n"
		       "the guest's memory map for the selected groups (default: all), and\n"
		       "warnings: a direct (RMRR) region on a group to be assigned, regions\n"
		       "overlapping where guest RAM usually lives below 4 GiB.",
	.opts = sel_opts,
};

static const struct column resv_cols[] = {
	{ "GROUP", "group", COL_RIGHT }, { "START", "start", 0 },
	{ "END", "end", 0 },		 { "SIZE", "size", COL_RIGHT },
	{ "TYPE", "type", 0 },		 { NULL, NULL, 0 },
};

static const struct column merged_cols[] = {
	{ "START", "start", 0 }, { "END", "end", 0 },
	{ "SIZE", "size", COL_RIGHT }, { "TYPE", "type", 0 },
	{ "MERGED", "merged_types", 0 }, { NULL, NULL, 0 },
};

static int do_resv(int argc, char **argv, struct cmdctx *c)
{
	struct json_object *j, *groups, *merged, *warn, *rows = NULL;
	struct iommuctl_resv_region *all = NULL, *m = NULL, *nv;
	struct selection sel = { 0 };
	struct iommuctl_group *g;
	size_t nall = 0, nm = 0, i;
	int rc;

	rc = parse_selection(c, argc, argv, &resv_help, &sel);
	if (rc) {
		free(sel.ids);
		return rc < 0 ? EXIT_OK : rc;
	}
	rc = EXIT_OK;
	j = json_object_new_object();
	groups = json_object_new_array();
	warn = json_object_new_array();
	if (!c->json)
		rows = json_object_new_array();
	iommuctl_group_foreach(c->ctx, g) {
		const struct iommuctl_resv_region *r;
		struct json_object *gj, *ra;
		unsigned int id = iommuctl_group_get_id(g);
		size_t n;

		if (!selected(&sel, id))
			continue;
		gj = json_object_new_object();
		json_object_object_add(gj, "group", json_object_new_int((int)id));
		json_object_object_add(gj, "iommu", iommuctl_group_get_iommu(g) ?
					json_object_new_string(iommuctl_group_get_iommu(g)) : NULL);
		json_object_object_add(gj, "devices", member_names(g));
		if (iommuctl_group_get_resv_regions(g, &r, &n) < 0) {
			json_object_object_add(gj, "reserved_regions", NULL);
			add_warning(warn, "warning", "unreadable",
				    fmt("group %u: reserved_regions is missing or malformed", id));
			json_object_array_add(groups, gj);
			continue;
		}
		ra = json_object_new_array();
		for (i = 0; i < n; i++) {
			json_object_array_add(ra, region_to_json(&r[i]));
			if (rows) {
				struct json_object *row = region_to_json(&r[i]);

				json_object_object_add(row, "group", json_object_new_int((int)id));
				json_object_array_add(rows, row);
			}
			if (r[i].type == IOMMUCTL_RESV_DIRECT)
				add_warning(warn, "warning", "rmrr",
					    fmt("group %u has a direct region 0x%llx-0x%llx (an RMRR or IVMD identity map the firmware requires): assigning its devices may fail, or the device may depend on firmware DMA there",
						id, (unsigned long long)r[i].start,
						(unsigned long long)r[i].end));
			if (r[i].start <= GUEST_LOW_RAM_END && r[i].type != IOMMUCTL_RESV_MSI) {
				if (r[i].type == IOMMUCTL_RESV_DIRECT_RELAXABLE)
					add_warning(warn, "note", "relaxable-overlap",
						    fmt("group %u: direct-relaxable region 0x%llx-0x%llx lies where guest RAM usually is; iommufd and VFIO drop relaxable regions when the device is assigned",
							id, (unsigned long long)r[i].start,
							(unsigned long long)r[i].end));
				else
					add_warning(warn, "warning", "guest-ram-overlap",
						    fmt("group %u: %s region 0x%llx-0x%llx overlaps where guest RAM usually is below 4 GiB (0-3 GiB): the VMM must leave it out of the guest memory map",
							id, iommuctl_resv_type_name(r[i].type),
							(unsigned long long)r[i].start,
							(unsigned long long)r[i].end));
			}
		}
		json_object_object_add(gj, "reserved_regions", ra);
		json_object_array_add(groups, gj);
		if (n) {
			nv = realloc(all, (nall + n) * sizeof(*all));
			if (!nv) {
				rc = cmd_error(c, EXIT_FAILED, ENOMEM, "merging regions");
				goto out;
			}
			all = nv;
			memcpy(all + nall, r, n * sizeof(*r));
			nall += n;
		}
	}
	if (iommuctl_resv_merge(all, nall, &m, &nm) < 0) {
		rc = cmd_error(c, EXIT_FAILED, ENOMEM, "merging regions");
		goto out;
	}
	merged = json_object_new_array();
	for (i = 0; i < nm; i++)
		json_object_array_add(merged, region_to_json(&m[i]));
	json_object_object_add(j, "groups", groups);
	json_object_object_add(j, "merged", merged);
	json_object_object_add(j, "warnings", json_object_get(warn));
	if (c->json) {
		json_print(c, j);
	} else {
		table_print(stdout, rows, resv_cols, "");
		printf("\nMerged: what a VMM must keep out of the guest memory map for %s:\n",
		       sel.n ? "these groups" : "all groups");
		table_print(stdout, merged, merged_cols, "  ");
		print_warnings(c, warn);
	}
out:
	json_object_put(j);
	json_object_put(warn);
	json_object_put(rows);
	free(all);
	free(m);
	free(sel.ids);
	return rc;
}

static const struct cmd resv_cmds[] = {
	{ "show", do_resv, "reserved regions per group and merged" },
	{ NULL, NULL, NULL },
};

int cmd_resv(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(resv_cmds, argc, argv, c);
}

static const struct verb_help msi_help = {
	.synopsis = "[--group N]... [--device BDF]...",
	.description = "The MSI window of each IOMMU group and what it is: a hardware window\n"
		       "(x86 0xfee00000-0xfeefffff, not translated, safe only with interrupt\n"
		       "remapping) or a software window (Arm SMMU: the kernel maps the\n"
		       "interrupt controller's doorbell into the domain), with how that was\n"
		       "decided; whether interrupt remapping is on; and the\n"
		       "allow_unsafe_interrupts parameters of iommufd and vfio_iommu_type1.",
	.opts = sel_opts,
};

static const struct column msi_cols[] = {
	{ "GROUP", "group", COL_RIGHT }, { "IOMMU", "iommu", 0 },
	{ "START", "start", 0 },	 { "END", "end", 0 },
	{ "KIND", "kind", 0 },		 { NULL, NULL, 0 },
};

static int do_msi(int argc, char **argv, struct cmdctx *c)
{
	static const char *const modules[] = { "iommufd", "vfio_iommu_type1" };
	struct iommuctl_msi_state st;
	struct selection sel = { 0 };
	struct json_object *j, *wins, *pj, *warn;
	struct iommuctl_group *g;
	bool any_hw = false, unsafe = false;
	size_t i;
	int rc;

	rc = parse_selection(c, argc, argv, &msi_help, &sel);
	if (rc) {
		free(sel.ids);
		return rc < 0 ? EXIT_OK : rc;
	}
	rc = EXIT_OK;
	iommuctl_msi_state(c->ctx, &st);
	j = json_object_new_object();
	wins = json_object_new_array();
	warn = json_object_new_array();
	iommuctl_group_foreach(c->ctx, g) {
		const struct iommuctl_resv_region *r;
		const char *unit = iommuctl_group_get_iommu(g);
		struct iommuctl_iommu *it = unit ? iommuctl_iommu_get_by_name(c->ctx, unit) : NULL;
		enum iommuctl_iommu_kind kind = it ? iommuctl_iommu_get_kind(it) : IOMMUCTL_IOMMU_OTHER;
		size_t n;

		if (!selected(&sel, iommuctl_group_get_id(g)) ||
		    iommuctl_group_get_resv_regions(g, &r, &n) < 0)
			continue;
		for (i = 0; i < n; i++) {
			struct json_object *w;
			const char *basis;
			enum iommuctl_msi_kind k;

			if (r[i].type != IOMMUCTL_RESV_MSI)
				continue;
			k = iommuctl_msi_classify(&r[i], kind, &basis);
			any_hw |= k == IOMMUCTL_MSI_HW;
			w = region_to_json(&r[i]);
			json_object_object_add(w, "group", json_object_new_int((int)iommuctl_group_get_id(g)));
			json_object_object_add(w, "iommu", unit ? json_object_new_string(unit) : NULL);
			json_object_object_add(w, "iommu_kind", json_object_new_string(iommuctl_iommu_kind_name(kind)));
			json_object_object_add(w, "devices", member_names(g));
			json_object_object_add(w, "kind", json_object_new_string(k == IOMMUCTL_MSI_HW ? "hw" : "sw"));
			json_object_object_add(w, "basis", json_object_new_string(basis));
			json_object_array_add(wins, w);
		}
	}
	json_object_object_add(j, "interrupt_remapping",
			       json_object_new_string(iommuctl_irq_remap_name(st.remapping)));
	json_object_object_add(j, "interrupt_remapping_source", json_object_new_string(st.how));
	json_object_object_add(j, "gic_its", json_object_new_boolean(st.gic_its));
	pj = json_object_new_object();
	for (i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
		char *v, key[64];

		if (iommuctl_get_module_param(c->ctx, modules[i], "allow_unsafe_interrupts", &v) < 0)
			continue;
		snprintf(key, sizeof(key), "%s.allow_unsafe_interrupts", modules[i]);
		json_object_object_add(pj, key, json_object_new_string(v));
		unsafe |= !strcmp(v, "Y");
		free(v);
	}
	json_object_object_add(j, "parameters", pj);
	json_object_object_add(j, "windows", wins);
	if (any_hw && st.remapping == IOMMUCTL_IR_DISABLED)
		add_warning(warn, "warning", unsafe ? "unsafe-interrupts" : "no-interrupt-remapping",
			    fmt(unsafe ? "interrupt remapping is off and allow_unsafe_interrupts=Y: an assigned device can send arbitrary interrupts to the host"
				       : "interrupt remapping is off: binding devices to iommufd or VFIO fails (EPERM) unless allow_unsafe_interrupts is set, which is unsafe; enable it (intremap=on, x2APIC)"));
	json_object_object_add(j, "warnings", json_object_get(warn));
	if (c->json) {
		json_print(c, j);
	} else {
		printf("Interrupt remapping: %s (%s)\n", iommuctl_irq_remap_name(st.remapping), st.how);
		if (st.gic_its)
			printf("MSI controller:      GIC ITS (isolates MSIs per device)\n");
		json_object_object_foreach(pj, pk, pv)
			printf("%s=%s\n", pk, json_object_get_string(pv));
		table_print(stdout, wins, msi_cols, "");
		/* each distinct reasoning once */
		for (i = 0; i < json_object_array_length(wins); i++) {
			struct json_object *w = json_object_array_get_idx(wins, i);
			const char *b = json_object_get_string(json_object_object_get(w, "basis"));
			size_t k;

			for (k = 0; k < i; k++)
				if (!strcmp(b, json_object_get_string(json_object_object_get(
						       json_object_array_get_idx(wins, k), "basis"))))
					break;
			if (k == i)
				printf("%s: %s\n", json_object_get_string(json_object_object_get(w, "kind")), b);
		}
		print_warnings(c, warn);
	}
	json_object_put(j);
	json_object_put(warn);
	free(sel.ids);
	return EXIT_OK;
}

static const struct cmd msi_cmds[] = {
	{ "show", do_msi, "MSI windows and interrupt remapping" },
	{ NULL, NULL, NULL },
};

int cmd_msi(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(msi_cmds, argc, argv, c);
}

LEGACY_OBJECT(obj_resv, "resv", "reserved IOVA regions, per group and merged", cmd_resv);

LEGACY_OBJECT(obj_msi, "msi", "MSI windows and interrupt remapping", cmd_msi);
