// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl iommu regs|invalidation|irte: what the Intel VT-d driver prints
 * under /sys/kernel/debug/iommu/intel (registers, the invalidation queue,
 * the interrupt remapping table), and the AMD-Vi command buffers of Linux
 * 6.17+ (amd/iommuXX/cmdbuf) for `invalidation` on AMD-Vi units, read
 * through libiommuctl's parsers.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

#define JBOOL(o, k, v) json_object_object_add(o, k, json_object_new_boolean(v))
#define JINT(o, k, v) \
	json_object_object_add(o, k, json_object_new_int64((int64_t)(v)))

/* ---- errors shared with pgtable.c -------------------------------------- */

int debugfs_fail(struct cmdctx *c, int rc, const char *file)
{
	char *why = NULL;
	int ret, w;

	if (rc == -EACCES)
		return cmd_error_on(
			c, c->object, EXIT_FAILED, EACCES,
			"run as root: debugfs is readable by root only");
	if (rc == -EINVAL && iommuctl_debugfs_error(c->ctx))
		return cmd_error_on(c, c->object, EXIT_FAILED, EINVAL, "%s",
				    iommuctl_debugfs_error(c->ctx));
	if (rc != -ENOENT)
		return cmd_error(c, EXIT_FAILED, rc,
				 "reading /sys/kernel/debug/iommu/%s", file);
	w = iommuctl_debugfs_why(c->ctx, file, &why);
	if (w == -EACCES) {
		free(why);
		return debugfs_fail(c, -EACCES, file);
	}
	ret = cmd_error_on(
		c, c->object, EXIT_UNAVAILABLE, ENOENT, "%s",
		why ? why :
		      "the kernel does not offer this IOMMU debugfs file");
	free(why);
	return ret;
}

bool debugfs_missing(struct cmdctx *c, const char *file)
{
	char *why = NULL;
	int rc = iommuctl_debugfs_why(c->ctx, file, &why);

	free(why);
	return rc == -ENOENT;
}

/* ---- units ------------------------------------------------------------- */

/* Which units to show, and which units the file had (for the error). */
struct unit_filter {
	const char *want; /* NULL: all */
	struct json_object *seen; /* names, in file order */
};

static bool unit_wanted(struct unit_filter *f, const char *unit)
{
	size_t i, n = json_object_array_length(f->seen);

	for (i = 0; i < n; i++)
		if (!strcmp(json_object_get_string(
				    json_object_array_get_idx(f->seen, i)),
			    unit))
			break;
	if (i == n)
		json_object_array_add(f->seen, json_object_new_string(unit));
	return !f->want || !strcmp(f->want, unit);
}

/* UNIT was given and the file did not have it: exit 3 for a unit that
 * is not VT-d, else 1 naming the units there are. */
static int unit_missing(struct cmdctx *c, struct unit_filter *f,
			const char *file)
{
	struct iommuctl_iommu *it = iommuctl_iommu_get_by_name(c->ctx, f->want);
	char what[96], *names;
	int rc;

	snprintf(what, sizeof(what), "iommu %s", f->want);
	if (it && iommuctl_iommu_get_kind(it) != IOMMUCTL_IOMMU_INTEL_VTD)
		return cmd_error_on(
			c, what, EXIT_UNAVAILABLE, EOPNOTSUPP,
			"is an %s unit: only Intel VT-d units print this in debugfs",
			iommuctl_iommu_kind_name(iommuctl_iommu_get_kind(it)));
	if (!json_object_array_length(f->seen))
		return cmd_error_on(c, what, EXIT_FAILED, ENODEV,
				    "no such unit: %s lists no unit", file);
	names = json_list_text(f->seen);
	rc = cmd_error_on(c, what, EXIT_FAILED, ENODEV,
			  "no such unit in %s; there are: %s", file,
			  names ? names : "?");
	free(names);
	return rc;
}

/* "[UNIT]" operand; -1 to go on, or the exit code. */
static int unit_operand(struct cmdctx *c, struct optparse *p,
			struct unit_filter *f)
{
	if (p->argc > 1)
		return cmd_usage_error(c, "give at most one unit");
	f->want = p->argc ? p->argv[0] : NULL;
	return -1;
}

/* ---- regs -------------------------------------------------------------- */

static struct json_object *reg_bit(const struct iommuctl_vtd_regset *rs,
				   const char *reg, unsigned int bit)
{
	uint64_t v;

	if (iommuctl_vtd_regset_find(rs, reg, &v) < 0)
		return NULL;
	return json_object_new_boolean((v >> bit) & 1);
}

static struct json_object *status_to_json(const struct iommuctl_vtd_regset *rs)
{
	static const struct {
		const char *key;
		unsigned int bit;
	} gsts[] = {
		{ "translation", 31 },
		{ "root_table_set", 30 },
		{ "queued_invalidation", 26 },
		{ "interrupt_remapping", 25 },
		{ "interrupt_table_set", 24 },
		{ "compat_format_interrupts", 23 },
		{ "write_buffer_flush", 27 },
	};
	struct json_object *s = json_object_new_object(), *a;
	const struct iommuctl_regfield *f;
	unsigned int i, n;
	uint64_t v;

	for (i = 0; i < sizeof(gsts) / sizeof(gsts[0]); i++)
		json_object_object_add(s, gsts[i].key,
				       reg_bit(rs, "GSTS", gsts[i].bit));
	if (iommuctl_vtd_regset_find(rs, "RTADDR", &v) == 0) {
		static const char *const ttm[] = { "legacy", "scalable",
						   "reserved", "abort-dma" };

		json_object_object_add(
			s, "mode", json_object_new_string(ttm[(v >> 10) & 3]));
	} else {
		json_object_object_add(s, "mode", NULL);
	}
	if (iommuctl_vtd_regset_find(rs, "FSTS", &v) == 0) {
		a = json_object_new_array();
		f = iommuctl_vtd_fsts_fields(&n);
		for (i = 0; i < n; i++)
			if (f[i].lo == f[i].hi &&
			    iommuctl_regfield_value(&f[i], v))
				json_object_array_add(
					a, json_object_new_string(f[i].name));
		json_object_object_add(s, "faults", a);
	} else {
		json_object_object_add(s, "faults", NULL);
	}
	return s;
}

static const struct {
	const char *key;
	const char *reg;
	const struct iommuctl_regfield *(*table)(unsigned int *n);
} field_regs[] = {
	{ "gsts_fields", "GSTS", iommuctl_vtd_gsts_fields },
	{ "fsts_fields", "FSTS", iommuctl_vtd_fsts_fields },
	{ "rtaddr_fields", "RTADDR", iommuctl_vtd_rtaddr_fields },
};
#define NFIELD_REGS (sizeof(field_regs) / sizeof(field_regs[0]))

/* The one emitter of a unit's registers. */
static struct json_object *regset_to_json(const struct iommuctl_vtd_regset *rs,
					  bool fields)
{
	struct json_object *j = json_object_new_object(), *a;
	size_t i;

	json_object_object_add(j, "unit", json_object_new_string(rs->unit));
	json_object_object_add(j, "base", json_hex(rs->base));
	a = json_object_new_array();
	for (i = 0; i < rs->nregs; i++) {
		struct json_object *r = json_object_new_object();

		json_object_object_add(
			r, "name", json_object_new_string(rs->regs[i].name));
		json_object_object_add(r, "offset",
				       json_hex(rs->regs[i].offset));
		json_object_object_add(r, "value", json_hex(rs->regs[i].value));
		json_object_array_add(a, r);
	}
	json_object_object_add(j, "registers", a);
	json_object_object_add(j, "status", status_to_json(rs));
	for (i = 0; fields && i < NFIELD_REGS; i++) {
		const struct iommuctl_regfield *f;
		unsigned int n;
		uint64_t v;

		if (iommuctl_vtd_regset_find(rs, field_regs[i].reg, &v) < 0) {
			json_object_object_add(j, field_regs[i].key, NULL);
			continue;
		}
		f = field_regs[i].table(&n);
		json_object_object_add(j, field_regs[i].key,
				       fields_to_json(f, n, v));
	}
	return j;
}

struct regs_state {
	struct unit_filter f;
	bool fields;
	struct json_object *units;
};

static int regs_cb(const struct iommuctl_vtd_regset *rs, void *arg)
{
	struct regs_state *st = arg;

	if (unit_wanted(&st->f, rs->unit))
		json_object_array_add(st->units,
				      regset_to_json(rs, st->fields));
	return 0;
}

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

static void print_reg_fields(const char *title, struct json_object *o,
			     const struct iommuctl_regfield *f, unsigned int n)
{
	unsigned int i;

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
		printf("  %-8s %-8s %-6s %s\n", bits, f[i].name,
		       json_object_get_string(v), f[i].desc);
	}
}

static void print_regset(struct cmdctx *c, struct json_object *u)
{
	struct json_object *s, *v;
	size_t i;

	printf("%s%s%s at %s\n", color_on(c, "header"),
	       json_object_get_string(json_object_object_get(u, "unit")),
	       color_off(c),
	       json_object_get_string(json_object_object_get(u, "base")));
	/* a copy for the text: "none" reads better than the table's "-" */
	s = json_object_new_object();
	json_object_object_foreach(json_object_object_get(u, "status"), key,
				   val)
		json_object_object_add(s, key, json_object_get(val));
	v = json_object_object_get(s, "faults");
	if (v && !json_object_array_length(v))
		json_object_object_add(s, "faults",
				       json_object_new_string("none"));
	kv_print(stdout, s, status_fields);
	json_object_put(s);
	for (i = 0; i < NFIELD_REGS; i++) {
		const struct iommuctl_regfield *f;
		unsigned int n;
		char title[32];

		if (!json_object_object_get_ex(u, field_regs[i].key, &v) || !v)
			continue;
		f = field_regs[i].table(&n);
		snprintf(title, sizeof(title), "%s fields", field_regs[i].reg);
		print_reg_fields(title, v, f, n);
	}
	printf("\n");
	table_print(stdout, json_object_object_get(u, "registers"), reg_cols,
		    "  ");
}

static const struct opt regs_opts[] = {
	{ "fields", 'f', NULL,
	  "also decode GSTS, FSTS and RTADDR field by field" },
	{ NULL, 0, NULL, NULL },
};

static const struct verb_help regs_help = {
	.synopsis = "[--fields] [UNIT]",
	.description =
		"The registers of VT-d units as the driver prints them in debugfs\n"
		"(intel/iommu_regset), and what the status registers say: translation\n"
		"enabled (GSTS.TES), root table set, queued invalidation, interrupt\n"
		"remapping, legacy or scalable mode (RTADDR.TTM) and the fault flags\n"
		"set in FSTS. All units, or UNIT. Needs root and a kernel with\n"
		"CONFIG_INTEL_IOMMU_DEBUGFS (off in most distribution kernels).",
	.opts = regs_opts,
};

int iommu_regs(int argc, char **argv, struct cmdctx *c)
{
	struct regs_state st = { 0 };
	struct optparse p;
	int o, rc;
	size_t i;

	optparse_init(&p, c, argc, argv, &regs_help);
	while ((o = optparse_next(&p)) >= 0)
		st.fields = true;
	optparse_fini(&p);
	if (o == OPT_EXIT)
		return p.exit;
	rc = unit_operand(c, &p, &st.f);
	if (rc >= 0)
		return rc;
	st.f.seen = json_object_new_array();
	st.units = json_object_new_array();
	rc = iommuctl_vtd_regsets(c->ctx, regs_cb, &st);
	if (rc < 0)
		rc = debugfs_fail(c, rc, "intel/iommu_regset");
	else if (st.f.want && !json_object_array_length(st.units))
		rc = unit_missing(c, &st.f, "intel/iommu_regset");
	else
		rc = -1;
	if (rc >= 0)
		goto out;
	rc = EXIT_OK;
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "units", json_object_get(st.units));
		json_print(c, j);
		json_object_put(j);
		goto out;
	}
	for (i = 0; i < json_object_array_length(st.units); i++) {
		if (i)
			printf("\n");
		print_regset(c, json_object_array_get_idx(st.units, i));
	}
out:
	json_object_put(st.units);
	json_object_put(st.f.seen);
	return rc;
}

/* ---- invalidation ------------------------------------------------------ */

struct qi_state {
	struct unit_filter f;
	bool all;
	struct json_object *units;
	struct json_object *cur; /* descriptors of the unit being read */
	const char *cur_unit;
};

static struct json_object *qi_status_json(uint64_t status)
{
	switch (status) {
	case IOMMUCTL_VTD_QI_FREE:
		return json_object_new_string("free");
	case IOMMUCTL_VTD_QI_IN_USE:
		return json_object_new_string("in-use");
	case IOMMUCTL_VTD_QI_DONE:
		return json_object_new_string("done");
	case IOMMUCTL_VTD_QI_ABORT:
		return json_object_new_string("abort");
	default:
		return json_object_new_int64((int64_t)status);
	}
}

static int qi_unit_cb(const struct iommuctl_vtd_qi *q, void *arg)
{
	struct qi_state *st = arg;
	struct json_object *u;

	st->cur = NULL;
	st->cur_unit = NULL;
	if (!unit_wanted(&st->f, q->unit))
		return 0;
	u = json_object_new_object();
	json_object_object_add(u, "unit", json_object_new_string(q->unit));
	json_object_object_add(u, "base", json_hex(q->base));
	JINT(u, "head", q->head);
	JINT(u, "tail", q->tail);
	JINT(u, "descriptor_bits", q->wide ? 256 : 128);
	st->cur = json_object_new_array();
	json_object_object_add(u, "descriptors", st->cur);
	json_object_array_add(st->units, u);
	st->cur_unit =
		json_object_get_string(json_object_object_get(u, "unit"));
	return 0;
}

/* The one emitter of a queue slot. */
static struct json_object *qi_desc_to_json(const struct iommuctl_vtd_qi *q,
					   const struct iommuctl_vtd_qi_desc *d)
{
	struct json_object *j = json_object_new_object(), *a;
	unsigned int i, n = q->wide ? 4 : 2;

	JINT(j, "index", d->index);
	json_object_object_add(
		j, "type", json_object_new_string(d->type_name ?: "unknown"));
	json_object_object_add(j, "status", qi_status_json(d->status));
	a = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(a, json_hex(d->qw[i]));
	json_object_object_add(j, "qw", a);
	return j;
}

static int qi_cb(const struct iommuctl_vtd_qi *q,
		 const struct iommuctl_vtd_qi_desc *d, void *arg)
{
	struct qi_state *st = arg;

	if (!st->cur || !st->cur_unit || strcmp(st->cur_unit, q->unit))
		return 0;
	if (!st->all && !d->qw[0] && !d->qw[1] && !d->qw[2] && !d->qw[3])
		return 0;
	json_object_array_add(st->cur, qi_desc_to_json(q, d));
	return 0;
}

static void print_qi(struct cmdctx *c, struct json_object *u, bool all)
{
	static const struct column cols128[] = {
		{ "INDEX", "index", COL_RIGHT },
		{ "TYPE", "type", 0 },
		{ "STATUS", "status", 0 },
		{ "QW0", "qw0", 0 },
		{ "QW1", "qw1", 0 },
		{ "AT", "at", 0 },
		{ NULL, NULL, 0 },
	};
	static const struct column cols256[] = {
		{ "INDEX", "index", COL_RIGHT },
		{ "TYPE", "type", 0 },
		{ "STATUS", "status", 0 },
		{ "QW0", "qw0", 0 },
		{ "QW1", "qw1", 0 },
		{ "QW2", "qw2", 0 },
		{ "QW3", "qw3", 0 },
		{ "AT", "at", 0 },
		{ NULL, NULL, 0 },
	};
	struct json_object *descs = json_object_object_get(u, "descriptors");
	struct json_object *rows = json_object_new_array();
	int64_t head = json_object_get_int64(json_object_object_get(u, "head"));
	int64_t tail = json_object_get_int64(json_object_object_get(u, "tail"));
	int bits = json_object_get_int(
		json_object_object_get(u, "descriptor_bits"));
	size_t i, n = json_object_array_length(descs);

	printf("%s%s%s: invalidation queue at %s, head %lld, tail %lld, %d-bit descriptors, %zu %s\n",
	       color_on(c, "header"),
	       json_object_get_string(json_object_object_get(u, "unit")),
	       color_off(c),
	       json_object_get_string(json_object_object_get(u, "base")),
	       (long long)head, (long long)tail, bits, n,
	       all ? "slots" : "slots written (--all lists empty ones too)");
	for (i = 0; i < n; i++) {
		struct json_object *d = json_object_array_get_idx(descs, i);
		struct json_object *r = json_object_new_object(), *qw;
		int64_t idx = json_object_get_int64(
			json_object_object_get(d, "index"));
		size_t k;

		json_object_object_foreach(d, key, val)
			if (strcmp(key, "qw"))
				json_object_object_add(r, key,
						       json_object_get(val));
		qw = json_object_object_get(d, "qw");
		for (k = 0; k < json_object_array_length(qw) && k < 4; k++) {
			static const char *const qwkey[] = { "qw0", "qw1",
							     "qw2", "qw3" };

			json_object_object_add(
				r, qwkey[k],
				json_object_get(
					json_object_array_get_idx(qw, k)));
		}
		json_object_object_add(
			r, "at",
			idx == head && idx == tail ?
				json_object_new_string("<- head, tail") :
			idx == head ? json_object_new_string("<- head") :
			idx == tail ? json_object_new_string("<- tail") :
				      json_object_new_string(""));
		json_object_array_add(rows, r);
	}
	if (n)
		table_print(stdout, rows, bits == 256 ? cols256 : cols128,
			    "  ");
	json_object_put(rows);
}

/* ---- AMD-Vi command buffer --------------------------------------------- */

struct cmdbuf_state {
	struct cmdctx *c;
	struct unit_filter f; /* UNIT: "ivhd0" or "iommu00" */
	bool all;
	struct json_object *units;
	struct json_object *cur; /* descriptors of the unit being read */
};

/* The sysfs unit of a debugfs index: the driver names both after it
 * ("ivhd%d", "iommu%02d"); NULL if /sys/class/iommu has no such unit. */
static const char *amd_sysfs_unit(struct cmdctx *c, unsigned int index,
				  char *buf, size_t n)
{
	struct iommuctl_iommu *it;

	snprintf(buf, n, "ivhd%u", index);
	it = iommuctl_iommu_get_by_name(c->ctx, buf);
	if (!it || iommuctl_iommu_get_kind(it) != IOMMUCTL_IOMMU_AMD_VI)
		return NULL;
	return buf;
}

static int cmdbuf_unit_cb(const struct iommuctl_amd_cmdbuf *b, void *arg)
{
	struct cmdbuf_state *st = arg;
	const char *unit;
	struct json_object *u;
	char buf[32];

	st->cur = NULL;
	unit = amd_sysfs_unit(st->c, b->index, buf, sizeof(buf));
	/* seen: by the name UNIT is given as */
	if (!unit_wanted(&st->f, unit ?: b->unit) &&
	    !(st->f.want && !strcmp(st->f.want, b->unit)))
		return 0;
	u = json_object_new_object();
	json_object_object_add(u, "unit",
			       unit ? json_object_new_string(unit) : NULL);
	json_object_object_add(u, "debugfs", json_object_new_string(b->unit));
	JINT(u, "head", b->head);
	JINT(u, "tail", b->tail);
	st->cur = json_object_new_array();
	json_object_object_add(u, "descriptors", st->cur);
	json_object_array_add(st->units, u);
	return 0;
}

/* The one emitter of a command buffer slot. */
static struct json_object *amd_cmd_to_json(const struct iommuctl_amd_cmd *d)
{
	struct json_object *j = json_object_new_object(), *a;
	unsigned int i;

	JINT(j, "index", d->index);
	json_object_object_add(j, "type",
			       json_object_new_string(d->name ?: "unknown"));
	a = json_object_new_array();
	for (i = 0; i < 4; i++)
		json_object_array_add(a, json_hex(d->dw[i]));
	json_object_object_add(j, "dw", a);
	return j;
}

static int cmdbuf_cb(const struct iommuctl_amd_cmdbuf *b,
		     const struct iommuctl_amd_cmd *d, void *arg)
{
	struct cmdbuf_state *st = arg;

	(void)b;
	if (!st->cur)
		return 0;
	if (!st->all && !d->dw[0] && !d->dw[1] && !d->dw[2] && !d->dw[3])
		return 0;
	json_object_array_add(st->cur, amd_cmd_to_json(d));
	return 0;
}

static void print_cmdbuf(struct cmdctx *c, struct json_object *u, bool all)
{
	static const struct column cols[] = {
		{ "INDEX", "index", COL_RIGHT },
		{ "TYPE", "type", 0 },
		{ "DW0", "dw0", 0 },
		{ "DW1", "dw1", 0 },
		{ "DW2", "dw2", 0 },
		{ "DW3", "dw3", 0 },
		{ "AT", "at", 0 },
		{ NULL, NULL, 0 },
	};
	static const char *const dwkey[] = { "dw0", "dw1", "dw2", "dw3" };
	struct json_object *descs = json_object_object_get(u, "descriptors");
	struct json_object *rows = json_object_new_array();
	int64_t head = json_object_get_int64(json_object_object_get(u, "head"));
	int64_t tail = json_object_get_int64(json_object_object_get(u, "tail"));
	struct json_object *ju = json_object_object_get(u, "unit");
	const char *unit = ju ? json_object_get_string(ju) : NULL;
	const char *dfs =
		json_object_get_string(json_object_object_get(u, "debugfs"));
	size_t i, k, n = json_object_array_length(descs);

	printf("%s%s%s%s%s%s: command buffer, head %lld, tail %lld, %zu %s\n",
	       color_on(c, "header"), unit ?: dfs, color_off(c),
	       unit ? " (debugfs " : "", unit ? dfs : "", unit ? ")" : "",
	       (long long)head, (long long)tail, n,
	       all ? "slots" : "slots written (--all lists empty ones too)");
	for (i = 0; i < n; i++) {
		struct json_object *d = json_object_array_get_idx(descs, i);
		struct json_object *r = json_object_new_object(), *dw;
		int64_t idx = json_object_get_int64(
			json_object_object_get(d, "index"));

		json_object_object_foreach(d, key, val)
			if (strcmp(key, "dw"))
				json_object_object_add(r, key,
						       json_object_get(val));
		dw = json_object_object_get(d, "dw");
		for (k = 0; k < json_object_array_length(dw) && k < 4; k++)
			json_object_object_add(
				r, dwkey[k],
				json_object_get(
					json_object_array_get_idx(dw, k)));
		json_object_object_add(
			r, "at",
			json_object_new_string(idx == head && idx == tail ?
						       "<- head, tail" :
					       idx == head ? "<- head" :
					       idx == tail ? "<- tail" :
							     ""));
		json_object_array_add(rows, r);
	}
	if (n)
		table_print(stdout, rows, cols, "  ");
	json_object_put(rows);
}

/* The debugfs index of an AMD-Vi unit name, "ivhd1" or "iommu01"; -1. */
static int amd_index(const char *name)
{
	const char *p;
	char *end;
	unsigned long v;

	if (!strncmp(name, "ivhd", 4))
		p = name + 4;
	else if (!strncmp(name, "iommu", 5) && strlen(name) >= 7)
		p = name + 5;
	else
		return -1;
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	v = strtoul(p, &end, 10);
	if (*end || errno || v > 65535)
		return -1;
	return (int)v;
}

/* Does `iommu invalidation [UNIT]` mean AMD-Vi units? */
static bool invalidation_is_amd(struct cmdctx *c, const char *want)
{
	struct iommuctl_iommu *it;
	bool amd = false, vtd = false;

	if (want) {
		it = iommuctl_iommu_get_by_name(c->ctx, want);
		if (it)
			return iommuctl_iommu_get_kind(it) ==
			       IOMMUCTL_IOMMU_AMD_VI;
		if (!strncmp(want, "iommu", 5) && amd_index(want) >= 0)
			return true;
	}
	iommuctl_iommu_foreach(c->ctx, it) {
		if (iommuctl_iommu_get_kind(it) == IOMMUCTL_IOMMU_AMD_VI)
			amd = true;
		else if (iommuctl_iommu_get_kind(it) ==
			 IOMMUCTL_IOMMU_INTEL_VTD)
			vtd = true;
	}
	return amd && !vtd;
}

/* The file to explain a missing command buffer with: UNIT's, or the first
 * AMD-Vi unit's. */
static void cmdbuf_file(struct cmdctx *c, const char *want, char *buf, size_t n)
{
	struct iommuctl_iommu *it;
	int index = want ? amd_index(want) : -1;

	if (index < 0) {
		iommuctl_iommu_foreach(c->ctx, it) {
			if (iommuctl_iommu_get_kind(it) !=
			    IOMMUCTL_IOMMU_AMD_VI)
				continue;
			index = amd_index(iommuctl_iommu_get_name(it));
			if (index >= 0)
				break;
		}
	}
	snprintf(buf, n, "amd/iommu%02d/cmdbuf", index < 0 ? 0 : index);
}

static int amd_invalidation(struct cmdctx *c, const char *want, bool all)
{
	struct cmdbuf_state st = { .c = c, .all = all };
	char file[64];
	int rc;
	size_t i;

	st.f.want = want;
	st.f.seen = json_object_new_array();
	st.units = json_object_new_array();
	rc = iommuctl_amd_cmdbufs(c->ctx, cmdbuf_unit_cb, cmdbuf_cb, &st);
	if (rc < 0) {
		cmdbuf_file(c, want, file, sizeof(file));
		rc = debugfs_fail(c, rc, file);
	} else if (want && !json_object_array_length(st.units)) {
		char what[96], *names = json_list_text(st.f.seen);

		cmdbuf_file(c, want, file, sizeof(file));
		snprintf(what, sizeof(what), "iommu %s", want);
		rc = cmd_error_on(
			c, what, EXIT_FAILED, ENODEV,
			"no such unit: there is no %s; there are: %s", file,
			names && *names && strcmp(names, "-") ? names : "none");
		free(names);
	} else {
		rc = -1;
	}
	if (rc >= 0)
		goto out;
	rc = EXIT_OK;
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "units", json_object_get(st.units));
		json_print(c, j);
		json_object_put(j);
		goto out;
	}
	for (i = 0; i < json_object_array_length(st.units); i++) {
		if (i)
			printf("\n");
		print_cmdbuf(c, json_object_array_get_idx(st.units, i), all);
	}
out:
	json_object_put(st.units);
	json_object_put(st.f.seen);
	return rc;
}

static const struct opt qi_opts[] = {
	{ "all", 'a', NULL, "list every slot, also those never written" },
	{ NULL, 0, NULL, NULL },
};

static const struct verb_help qi_help = {
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
	.opts = qi_opts,
};

int iommu_invalidation(int argc, char **argv, struct cmdctx *c)
{
	struct qi_state st = { 0 };
	struct optparse p;
	int o, rc;
	size_t i;

	optparse_init(&p, c, argc, argv, &qi_help);
	while ((o = optparse_next(&p)) >= 0)
		st.all = true;
	optparse_fini(&p);
	if (o == OPT_EXIT)
		return p.exit;
	rc = unit_operand(c, &p, &st.f);
	if (rc >= 0)
		return rc;
	if (invalidation_is_amd(c, st.f.want))
		return amd_invalidation(c, st.f.want, st.all);
	st.f.seen = json_object_new_array();
	st.units = json_object_new_array();
	rc = iommuctl_vtd_invalidation_queues(c->ctx, qi_unit_cb, qi_cb, &st);
	if (rc < 0)
		rc = debugfs_fail(c, rc, "intel/invalidation_queue");
	else if (st.f.want && !json_object_array_length(st.units))
		rc = unit_missing(c, &st.f, "intel/invalidation_queue");
	else
		rc = -1;
	if (rc >= 0)
		goto out;
	rc = EXIT_OK;
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "units", json_object_get(st.units));
		json_print(c, j);
		json_object_put(j);
		goto out;
	}
	for (i = 0; i < json_object_array_length(st.units); i++) {
		if (i)
			printf("\n");
		print_qi(c, json_object_array_get_idx(st.units, i), st.all);
	}
out:
	json_object_put(st.units);
	json_object_put(st.f.seen);
	return rc;
}

/* ---- irte -------------------------------------------------------------- */

struct irte_state {
	struct cmdctx *c;
	struct unit_filter f;
	struct json_object *units;
};

static struct json_object *irte_unit(struct irte_state *st, const char *unit)
{
	size_t i, n = json_object_array_length(st->units);
	struct json_object *u;

	for (i = 0; i < n; i++) {
		u = json_object_array_get_idx(st->units, i);
		if (!strcmp(json_object_get_string(
				    json_object_object_get(u, "unit")),
			    unit))
			return u;
	}
	u = json_object_new_object();
	json_object_object_add(u, "unit", json_object_new_string(unit));
	json_object_object_add(u, "remapping", NULL);
	json_object_object_add(u, "posted", NULL);
	json_object_array_add(st->units, u);
	return u;
}

static int irte_unit_cb(const struct iommuctl_vtd_unit_state *us, bool posted,
			void *arg)
{
	struct irte_state *st = arg;
	struct json_object *u, *s;

	if (!unit_wanted(&st->f, us->unit))
		return 0;
	u = irte_unit(st, us->unit);
	s = json_object_new_object();
	JBOOL(s, "enabled", us->enabled);
	json_object_object_add(s, "table",
			       us->enabled && us->table ? json_hex(us->table) :
							  NULL);
	json_object_object_add(s, "entries", json_object_new_array());
	json_object_object_add(u, posted ? "posted" : "remapping", s);
	return 0;
}

static struct json_object *delivery_json(unsigned int dm)
{
	static const char *const names[8] = {
		"fixed", "lowest-priority", "smi", NULL, "nmi", "init",
		NULL,	 "extint",
	};

	if (dm < 8 && names[dm])
		return json_object_new_string(names[dm]);
	return json_object_new_int((int)dm);
}

/* The one emitter of an interrupt remapping table entry. */
static struct json_object *irte_to_json(struct cmdctx *c,
					const struct iommuctl_vtd_irte *e)
{
	struct json_object *j = json_object_new_object(), *a;
	char sid[16], bdf[24];

	snprintf(sid, sizeof(sid), "%02x:%02x.%x", e->source_id >> 8,
		 (e->source_id >> 3) & 0x1f, e->source_id & 7);
	snprintf(bdf, sizeof(bdf), "0000:%s", sid);
	JINT(j, "index", e->index);
	json_object_object_add(j, "source_id", json_object_new_string(sid));
	json_object_object_add(j, "device",
			       iommuctl_device_get_by_name(c->ctx, bdf) ?
				       json_object_new_string(bdf) :
				       NULL);
	if (e->posted)
		json_object_object_add(j, "pda", json_hex(e->pda));
	else
		json_object_object_add(j, "destination", json_hex(e->dest_id));
	JINT(j, "vector", e->vector);
	/* posted entries have no such fields: those bits are reserved */
	json_object_object_add(
		j, "trigger",
		e->posted ?
			NULL :
			json_object_new_string(e->level ? "level" : "edge"));
	json_object_object_add(
		j, "destination_mode",
		e->posted ? NULL :
			    json_object_new_string(
				    e->dest_logical ? "logical" : "physical"));
	json_object_object_add(j, "delivery",
			       e->posted ? NULL :
					   delivery_json(e->delivery_mode));
	JBOOL(j, "fpd", e->fpd);
	JINT(j, "svt", e->svt);
	JINT(j, "sq", e->sq);
	a = json_object_new_array();
	json_object_array_add(a, json_hex(e->high));
	json_object_array_add(a, json_hex(e->low));
	json_object_object_add(j, "raw", a);
	return j;
}

static int irte_cb(const struct iommuctl_vtd_unit_state *us,
		   const struct iommuctl_vtd_irte *e, void *arg)
{
	struct irte_state *st = arg;
	struct json_object *u, *s, *a;

	if (st->f.want && strcmp(st->f.want, us->unit))
		return 0;
	u = irte_unit(st, us->unit);
	s = json_object_object_get(u, e->posted ? "posted" : "remapping");
	if (!s) { /* an entry without its section header */
		s = json_object_new_object();
		JBOOL(s, "enabled", true);
		json_object_object_add(s, "table", NULL);
		json_object_object_add(s, "entries", json_object_new_array());
		json_object_object_add(u, e->posted ? "posted" : "remapping",
				       s);
	}
	a = json_object_object_get(s, "entries");
	json_object_array_add(a, irte_to_json(st->c, e));
	return 0;
}

static void print_irte_section(struct cmdctx *c, const char *unit,
			       const char *what, struct json_object *s)
{
	static const struct column cols[] = {
		{ "INDEX", "index", COL_RIGHT },
		{ "SOURCE", "source_id", 0 },
		{ "DEVICE", "device", 0 },
		{ "DEST", "dest", 0 },
		{ "VECTOR", "vector_hex", COL_RIGHT },
		{ "TRIGGER", "trigger", 0 },
		{ "MODE", "destination_mode", 0 },
		{ NULL, NULL, 0 },
	};
	struct json_object *a = json_object_object_get(s, "entries"), *rows;
	const char *table =
		json_object_get_string(json_object_object_get(s, "table"));
	size_t i, n = json_object_array_length(a);

	if (!json_object_get_boolean(json_object_object_get(s, "enabled"))) {
		printf("%s%s%s: %s: not enabled\n", color_on(c, "header"), unit,
		       color_off(c), what);
		return;
	}
	printf("%s%s%s: %s%s%s, %zu entr%s\n", color_on(c, "header"), unit,
	       color_off(c), what, table ? " at " : "", table ? table : "", n,
	       n == 1 ? "y" : "ies");
	if (!n)
		return;
	rows = json_object_new_array();
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i), *r, *v;
		char vec[8];

		r = json_object_new_object();
		json_object_object_foreach(e, key, val)
			json_object_object_add(r, key, json_object_get(val));
		if (!json_object_object_get_ex(e, "destination", &v))
			v = json_object_object_get(e, "pda");
		json_object_object_add(r, "dest", json_object_get(v));
		snprintf(vec, sizeof(vec), "0x%02x",
			 json_object_get_int(
				 json_object_object_get(e, "vector")));
		json_object_object_add(r, "vector_hex",
				       json_object_new_string(vec));
		json_object_array_add(rows, r);
	}
	table_print(stdout, rows, cols, "  ");
	json_object_put(rows);
}

static const struct verb_help irte_help = {
	.synopsis = "[UNIT]",
	.description =
		"The interrupt remapping tables of VT-d units\n"
		"(intel/ir_translation_struct): for each entry in use, the requester ID\n"
		"it accepts and the PCI device that has it, destination APIC ID (or the\n"
		"posted descriptor address), vector, trigger mode, destination mode,\n"
		"delivery mode, FPD, SVT/SQ and the raw entry. Needs root and\n"
		"CONFIG_INTEL_IOMMU_DEBUGFS.",
	.opts = NULL,
};

int iommu_irte(int argc, char **argv, struct cmdctx *c)
{
	struct irte_state st = { .c = c };
	struct optparse p;
	int rc;
	size_t i;

	rc = optparse_operands(&p, c, argc, argv, &irte_help);
	if (rc >= 0)
		return rc;
	rc = unit_operand(c, &p, &st.f);
	if (rc >= 0)
		return rc;
	st.f.seen = json_object_new_array();
	st.units = json_object_new_array();
	rc = iommuctl_vtd_irtes(c->ctx, irte_unit_cb, irte_cb, &st);
	if (rc < 0)
		rc = debugfs_fail(c, rc, "intel/ir_translation_struct");
	else if (st.f.want && !json_object_array_length(st.units))
		rc = unit_missing(c, &st.f, "intel/ir_translation_struct");
	else
		rc = -1;
	if (rc >= 0)
		goto out;
	rc = EXIT_OK;
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "units", json_object_get(st.units));
		json_print(c, j);
		json_object_put(j);
		goto out;
	}
	for (i = 0; i < json_object_array_length(st.units); i++) {
		struct json_object *u = json_object_array_get_idx(st.units, i),
				   *s;
		const char *name = json_object_get_string(
			json_object_object_get(u, "unit"));

		if (i)
			printf("\n");
		s = json_object_object_get(u, "remapping");
		if (s)
			print_irte_section(c, name, "interrupt remapping table",
					   s);
		s = json_object_object_get(u, "posted");
		if (s)
			print_irte_section(c, name, "posted interrupts", s);
	}
out:
	json_object_put(st.units);
	json_object_put(st.f.seen);
	return rc;
}
