// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl iommu: IOMMU units and their decoded capabilities. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

struct json_object *fields_to_json(const struct iommuctl_regfield *f,
				   unsigned int n, uint64_t reg)
{
	struct json_object *o = json_object_new_object();
	unsigned int i;

	for (i = 0; i < n; i++)
		json_object_object_add(o, f[i].key,
				       json_object_new_uint64(iommuctl_regfield_value(&f[i], reg)));
	return o;
}

#define JBOOL(o, k, v) json_object_object_add(o, k, json_object_new_boolean(v))
#define JINT(o, k, v) json_object_object_add(o, k, json_object_new_int64((int64_t)(v)))

/* The decoded VT-d summary: shared by iommu show and device hw-info. */
struct json_object *vtd_summary_to_json(uint64_t cap, uint64_t ecap)
{
	struct iommuctl_vtd_summary v;
	struct json_object *s, *a;
	unsigned int i;

	iommuctl_vtd_summarize(cap, ecap, &v);
	s = json_object_new_object();
	JINT(s, "mgaw", v.mgaw);
	a = json_object_new_array();
	for (i = 0; i < v.num_agaw_widths; i++)
		json_object_array_add(a, json_object_new_int((int)v.agaw_widths[i]));
	json_object_object_add(s, "agaw_widths", a);
	JBOOL(s, "scalable_mode", v.scalable_mode);
	JBOOL(s, "pasid", v.pasid);
	JINT(s, "pasid_bits", v.pasid_bits);
	JBOOL(s, "first_stage", v.first_stage);
	JBOOL(s, "second_stage", v.second_stage);
	JBOOL(s, "nesting", v.nesting);
	JBOOL(s, "dirty_tracking", v.dirty_tracking);
	JBOOL(s, "ssads", v.ssads);
	JBOOL(s, "interrupt_remapping", v.interrupt_remapping);
	JBOOL(s, "x2apic", v.x2apic);
	JBOOL(s, "posted_interrupts", v.posted_interrupts);
	JBOOL(s, "queued_invalidation", v.queued_invalidation);
	JBOOL(s, "page_walk_coherency", v.page_walk_coherency);
	JBOOL(s, "ats", v.ats);
	JBOOL(s, "prs", v.prs);
	JBOOL(s, "pass_through", v.pass_through);
	JBOOL(s, "snoop_control", v.snoop_control);
	JBOOL(s, "caching_mode", v.caching_mode);
	JBOOL(s, "sl_2m", v.sl_2m);
	JBOOL(s, "sl_1g", v.sl_1g);
	JBOOL(s, "fl_1g", v.fl_1g);
	JBOOL(s, "fl_5level", v.fl_5level);
	return s;
}

/* The decoded AMD-Vi EFR/EFR2 summary: shared with device hw-info. */
struct json_object *amd_summary_to_json(uint64_t efr, uint64_t efr2)
{
	struct iommuctl_amd_summary v;
	struct json_object *s;

	iommuctl_amd_summarize(efr, efr2, &v);
	s = json_object_new_object();
	JBOOL(s, "ppr", v.ppr);
	JBOOL(s, "x2apic", v.x2apic);
	JBOOL(s, "nx", v.nx);
	JBOOL(s, "guest_translation", v.guest_translation);
	JBOOL(s, "invalidate_all", v.invalidate_all);
	JBOOL(s, "guest_vapic", v.guest_vapic);
	JBOOL(s, "hw_error", v.hw_error);
	JBOOL(s, "perf_counters", v.perf_counters);
	JBOOL(s, "guest_io_protection", v.guest_io_protection);
	JBOOL(s, "host_access", v.host_access);
	JBOOL(s, "enhanced_ppr", v.enhanced_ppr);
	JBOOL(s, "dirty_tracking", v.host_dirty);
	JBOOL(s, "snp", v.snp);
	JINT(s, "hats_levels", v.hats_levels);
	JINT(s, "gats_levels", v.gats_levels);
	JINT(s, "pasid_bits", v.pasid_bits);
	return s;
}

static struct json_object *vtd_to_json(struct iommuctl_iommu *it, bool detail)
{
	struct json_object *j;
	long long dsup, dused;
	uint64_t cap, ecap;
	unsigned int n;

	if (iommuctl_iommu_get_vtd_regs(it, &cap, &ecap, &dsup, &dused) < 0)
		return NULL;
	j = json_object_new_object();
	json_object_object_add(j, "cap", json_hex(cap));
	json_object_object_add(j, "ecap", json_hex(ecap));
	if (dsup >= 0)
		JINT(j, "domains_supported", dsup);
	if (dused >= 0)
		JINT(j, "domains_used", dused);
	json_object_object_add(j, "summary", vtd_summary_to_json(cap, ecap));
	if (detail) {
		const struct iommuctl_regfield *f = iommuctl_vtd_cap_fields(&n);

		json_object_object_add(j, "cap_fields", fields_to_json(f, n, cap));
		f = iommuctl_vtd_ecap_fields(&n);
		json_object_object_add(j, "ecap_fields", fields_to_json(f, n, ecap));
	}
	return j;
}

static struct json_object *amd_to_json(struct iommuctl_ctx *ctx,
				       struct iommuctl_iommu *it, bool detail)
{
	struct json_object *j;
	const char *features = NULL, *order = NULL;
	uint64_t efr, efr2;
	uint32_t cap;
	unsigned int n;
	char buf[16];

	if (iommuctl_iommu_get_amd_regs(it, &cap, &features) < 0)
		return NULL;
	j = json_object_new_object();
	snprintf(buf, sizeof(buf), "0x%08" PRIx32, cap);
	json_object_object_add(j, "cap", json_object_new_string(buf));
	json_object_object_add(j, "features_raw", features ? json_object_new_string(features) : NULL);
	if (!features ||
	    iommuctl_amd_parse_features(features, iommuctl_get_kernel_release(ctx),
					&efr, &efr2, &order) < 0)
		return j;
	json_object_object_add(j, "efr", json_hex(efr));
	json_object_object_add(j, "efr2", json_hex(efr2));
	json_object_object_add(j, "features_order", json_object_new_string(order));
	json_object_object_add(j, "summary", amd_summary_to_json(efr, efr2));
	if (detail) {
		const struct iommuctl_regfield *f = iommuctl_amd_efr_fields(&n);

		json_object_object_add(j, "efr_fields", fields_to_json(f, n, efr));
		f = iommuctl_amd_efr2_fields(&n);
		json_object_object_add(j, "efr2_fields", fields_to_json(f, n, efr2));
	}
	return j;
}

/* The one IOMMU unit emitter (status uses it too, without detail). */
struct json_object *iommu_to_json(struct iommuctl_ctx *ctx,
				  struct iommuctl_iommu *it, bool detail)
{
	struct json_object *j = json_object_new_object(), *x;
	const char *drv = iommuctl_iommu_get_driver(it);
	const char *const *devs;
	unsigned int n;
	uint64_t addr;

	json_object_object_add(j, "name", json_object_new_string(iommuctl_iommu_get_name(it)));
	json_object_object_add(j, "kind", json_object_new_string(
		iommuctl_iommu_kind_name(iommuctl_iommu_get_kind(it))));
	json_object_object_add(j, "driver", drv ? json_object_new_string(drv) : NULL);
	json_object_object_add(j, "hardware", json_object_new_boolean(iommuctl_iommu_is_hardware(it)));
	json_object_object_add(j, "address", iommuctl_iommu_get_address(it, &addr) == 0 ?
				json_hex(addr) : NULL);
	json_object_object_add(j, "version", iommuctl_iommu_get_version(it) ?
				json_object_new_string(iommuctl_iommu_get_version(it)) : NULL);
	devs = iommuctl_iommu_get_device_names(it, &n);
	json_object_object_add(j, "devices", json_strv(devs, n));
	if (!detail)
		return j;
	x = vtd_to_json(it, true);
	if (x)
		json_object_object_add(j, "intel_vtd", x);
	x = amd_to_json(ctx, it, true);
	if (x)
		json_object_object_add(j, "amd_vi", x);
	return j;
}

static const struct column iommu_cols[] = {
	{ "NAME", "name", 0 },	       { "KIND", "kind", 0 },
	{ "DRIVER", "driver", 0 },     { "ADDRESS", "address", 0 },
	{ "VERSION", "version", 0 },   { "DEVICES", "num_devices", COL_RIGHT },
	{ NULL, NULL, 0 },
};

/* For tables only: a device count beside the list. */
void iommu_add_count(struct json_object *j)
{
	struct json_object *devs;

	if (json_object_object_get_ex(j, "devices", &devs))
		json_object_object_add(j, "num_devices",
				       json_object_new_int((int)json_object_array_length(devs)));
}

static const struct opt no_opts[] = { { NULL, 0, NULL, NULL } };

static const struct verb_help list_help = {
	.synopsis = "",
	.description = "List the IOMMU units in /sys/class/iommu: name, kind (intel-vtd,\n"
		       "amd-vi, virtio-iommu, arm-smmu-v3, arm-smmu, iommufd-mock, other),\n"
		       "driver, register address, version and number of devices.",
	.opts = no_opts,
};

static int do_list(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_iommu *it;
	struct json_object *a;
	struct optparse p;
	int rc;

	rc = optparse_operands(&p, c, argc, argv, &list_help);
	if (rc >= 0)
		return rc;
	if (p.argc > 0)
		return cmd_usage_error(c, "unexpected argument '%s'", p.argv[0]);
	if (!iommuctl_iommu_get_first(c->ctx))
		return cmd_error_on(c, c->object, EXIT_UNAVAILABLE, ENODEV,
				    "no IOMMU units in /sys/class/iommu: this system has no IOMMU (see 'iommuctl status')");
	a = json_object_new_array();
	iommuctl_iommu_foreach(c->ctx, it)
		json_object_array_add(a, iommu_to_json(c->ctx, it, c->json));
	if (c->json) {
		json_print(c, a);
	} else {
		size_t i;

		for (i = 0; i < json_object_array_length(a); i++)
			iommu_add_count(json_object_array_get_idx(a, i));
		table_print(stdout, a, iommu_cols, "");
	}
	json_object_put(a);
	return EXIT_OK;
}

static const char *const yes_no[] = { "no", "yes" };

static void print_summary(struct cmdctx *c, struct json_object *sum)
{
	json_object_object_foreach(sum, k, v) {
		if (json_object_get_type(v) == json_type_boolean)
			printf("  %-22s %s\n", k, yes_no[json_object_get_boolean(v)]);
		else
			printf("  %-22s %s\n", k, json_object_get_string(v));
	}
	(void)c;
}

static void print_fields(const char *title, struct json_object *o,
			 const struct iommuctl_regfield *(*table)(unsigned int *))
{
	unsigned int i, n;
	const struct iommuctl_regfield *f = table(&n);

	printf("%s:\n", title);
	for (i = 0; i < n; i++) {
		struct json_object *v;
		char bits[16];

		if (!json_object_object_get_ex(o, f[i].key, &v))
			continue;
		if (f[i].lo == f[i].hi)
			snprintf(bits, sizeof(bits), "%u", f[i].lo);
		else
			snprintf(bits, sizeof(bits), "%u:%u", f[i].hi, f[i].lo);
		printf("  %-8s %-12s %-6s %s\n", bits, f[i].name,
		       json_object_get_string(v), f[i].desc);
	}
}

static const struct opt show_opts[] = {
	{ "fields", 'f', NULL, "also list every register field with its bits" },
	{ NULL, 0, NULL, NULL },
};

static const struct verb_help show_help = {
	.synopsis = "[--fields] UNIT...",
	.description = "Show IOMMU units: the devices behind them and their decoded\n"
		       "capabilities. VT-d: address widths, scalable mode, PASID and its\n"
		       "width, first/second stage, nesting, dirty tracking (SSADS),\n"
		       "interrupt remapping, posted interrupts, queued invalidation,\n"
		       "page-walk coherency, ATS/PRS. AMD-Vi: the EFR/EFR2 feature words\n"
		       "(read in the order this kernel prints them). Raw values always.",
	.opts = show_opts,
};

static int do_show(int argc, char **argv, struct cmdctx *c)
{
	struct json_object *a;
	struct optparse p;
	bool fields = false;
	int o, i;

	optparse_init(&p, c, argc, argv, &show_help);
	while ((o = optparse_next(&p)) >= 0)
		fields = true;
	optparse_fini(&p);
	if (o == OPT_EXIT)
		return p.exit;
	if (p.argc < 1)
		return cmd_usage_error(c, "which unit? (see 'iommuctl iommu list')");
	a = json_object_new_array();
	for (i = 0; i < p.argc; i++) {
		struct iommuctl_iommu *it = iommuctl_iommu_get_by_name(c->ctx, p.argv[i]);

		if (!it) {
			char what[96];

			json_object_put(a);
			snprintf(what, sizeof(what), "iommu %s", p.argv[i]);
			return cmd_error_on(c, what, EXIT_FAILED, ENODEV,
					    "no such unit in /sys/class/iommu (see 'iommuctl iommu list')");
		}
		json_object_array_add(a, iommu_to_json(c->ctx, it, true));
	}
	if (c->json) {
		json_print(c, p.argc == 1 ? json_object_array_get_idx(a, 0) : a);
		json_object_put(a);
		return EXIT_OK;
	}
	for (i = 0; i < p.argc; i++) {
		static const struct column f[] = {
			{ "Name", "name", 0 }, { "Kind", "kind", 0 },
			{ "Driver", "driver", 0 }, { "Address", "address", 0 },
			{ "Version", "version", 0 }, { "Devices", "devices", 0 },
			{ NULL, NULL, 0 },
		};
		struct json_object *j = json_object_array_get_idx(a, (size_t)i), *x, *v;

		if (i)
			printf("\n");
		kv_print(stdout, j, f);
		if (json_object_object_get_ex(j, "intel_vtd", &x)) {
			json_object_object_get_ex(x, "cap", &v);
			printf("CAP:     %s\n", json_object_get_string(v));
			json_object_object_get_ex(x, "ecap", &v);
			printf("ECAP:    %s\n", json_object_get_string(v));
			if (json_object_object_get_ex(x, "domains_supported", &v))
				printf("Domains: %s supported", json_object_get_string(v));
			if (json_object_object_get_ex(x, "domains_used", &v))
				printf(", %s used", json_object_get_string(v));
			printf("\nCapabilities:\n");
			json_object_object_get_ex(x, "summary", &v);
			print_summary(c, v);
			if (fields) {
				json_object_object_get_ex(x, "cap_fields", &v);
				print_fields("CAP fields", v, iommuctl_vtd_cap_fields);
				json_object_object_get_ex(x, "ecap_fields", &v);
				print_fields("ECAP fields", v, iommuctl_vtd_ecap_fields);
			}
		}
		if (json_object_object_get_ex(j, "amd_vi", &x)) {
			json_object_object_get_ex(x, "cap", &v);
			printf("Capability header: %s\n", json_object_get_string(v));
			json_object_object_get_ex(x, "features_raw", &v);
			printf("Features:          %s", json_object_get_string(v));
			if (json_object_object_get_ex(x, "features_order", &v))
				printf(" (read as %s for this kernel)", json_object_get_string(v));
			printf("\n");
			if (json_object_object_get_ex(x, "efr", &v))
				printf("EFR:               %s\n", json_object_get_string(v));
			if (json_object_object_get_ex(x, "efr2", &v))
				printf("EFR2:              %s\n", json_object_get_string(v));
			if (json_object_object_get_ex(x, "summary", &v)) {
				printf("Capabilities:\n");
				print_summary(c, v);
			}
			if (fields && json_object_object_get_ex(x, "efr_fields", &v)) {
				print_fields("EFR fields", v, iommuctl_amd_efr_fields);
				json_object_object_get_ex(x, "efr2_fields", &v);
				print_fields("EFR2 fields", v, iommuctl_amd_efr2_fields);
			}
		}
	}
	json_object_put(a);
	return EXIT_OK;
}

static const struct cmd iommu_cmds[] = {
	{ "list", do_list, "list IOMMU units" },
	{ "show", do_show, "show IOMMU units and their decoded capabilities" },
	{ "regs", iommu_regs, "VT-d registers and status, from debugfs" },
	{ "invalidation", iommu_invalidation,
	  "VT-d invalidation queue or AMD-Vi command buffer, from debugfs" },
	{ "irte", iommu_irte, "VT-d interrupt remapping table, from debugfs" },
	{ NULL, NULL, NULL },
};

int cmd_iommu(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(iommu_cmds, argc, argv, c);
}

LEGACY_OBJECT(obj_iommu, "iommu", "IOMMU units and their capabilities", cmd_iommu);
