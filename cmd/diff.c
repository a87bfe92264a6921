// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl diff: what changed between two snapshots of the IOMMU world
 * (after a BIOS or kernel update): the kernel, IOMMU units and their
 * capability registers, IOMMU groups matched by their members, devices,
 * reserved regions and MSI. Each side has its own library context; the
 * library compares them (iommuctl_diff_new() in iommuctl/diff.h).
 *
 * Every change is one JSON object {"kind": ..., ...}; the table prints one
 * line per change from that object.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "builtin.h"

/* ---- the two sides ------------------------------------------------------- */

struct side {
	const char *label; /* "A" or "B" */
	const char *arg; /* the operand as given */
	const char *root; /* "/" for the running system */
	struct iommuctl_ctx *ctx;
};

/* Library diagnostics name the side they come from. */
static void side_log(struct iommuctl_ctx *ctx, int priority,
		     const char *file UNUSED, int line UNUSED, const char *fn,
		     const char *format, va_list args)
{
	struct side *s = iommuctl_get_userdata(ctx);

	fprintf(stderr, "iommuctl: diff: %s %s: %s%s", s ? s->label : "?",
		s ? s->arg : "?", priority >= LOG_DEBUG ? fn : "",
		priority >= LOG_DEBUG ? ": " : "");
	vfprintf(stderr, format, args);
}

static int side_open(struct cmdctx *c, struct side *s)
{
	bool live = !strcmp(s->arg, "live") || !strcmp(s->arg, "/");
	int rc;

	s->root = live ? "/" : s->arg;
	rc = iommuctl_new(&s->ctx);
	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, rc,
				"%s %s: creating a library context", s->label,
				s->arg);
	iommuctl_set_userdata(s->ctx, s);
	iommuctl_set_log_fn(s->ctx, side_log);
	iommuctl_set_log_priority(s->ctx, iommuctl_get_log_priority(c->ctx));
	rc = live ? 0 : iommuctl_set_root(s->ctx, s->arg);
	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, rc, "%s %s", s->label, s->arg);
	if (!iommuctl_get_kernel_release(s->ctx) &&
	    !iommuctl_device_get_first(s->ctx))
		return cmd_fail_on(
			c, "diff", EXIT_FAILED, ENOENT,
			"%s %s: neither a captured tree nor a report bundle (no /proc/version, no devices)",
			s->label, s->arg);
	return 0;
}

/* ---- the changes as JSON ------------------------------------------------- */

/* What a change's "a" and "b" are (the keys that go with them follow). */
enum change_values {
	V_STR, /* strings, or null */
	V_WORDS, /* lists of words, and "added", "removed" */
	V_UNIT, /* IOMMU units, on the sides that have one */
	V_REG, /* register values of two units, after "register" */
	V_GROUP, /* groups, or lists of them; and "joined", "left" */
	V_DEVICE, /* devices, on the sides that have one */
	V_RESV, /* reserved regions, or the "region" only one side has */
};

struct change_text {
	const char *kind;
	const char *section;
	enum change_values values;
	const char *format; /* of its text line: print_change() */
};

/* {"group": N, "members": [...], "type": "DMA"} */
static struct json_object *group_obj(const struct iommuctl_diff_group *g)
{
	struct json_object *o = json_object_new_object();

	jadd_int(o, "group", g->id);
	jadd(o, "members", json_strv(g->members, (unsigned int)g->n));
	jadd_str_or_null(o, "type", g->type);
	return o;
}

/* A group, or with @list the list of them; NULL for none. */
static struct json_object *
groups_json(const struct iommuctl_diff_group *const *g, size_t n, bool list)
{
	struct json_object *a;
	size_t i;

	if (!list)
		return n ? group_obj(g[0]) : NULL;
	a = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(a, group_obj(g[i]));
	return a;
}

static struct json_object *unit_obj(struct iommuctl_iommu *it)
{
	struct json_object *o = json_object_new_object();
	uint64_t addr;

	jadd_str(o, "name", iommuctl_iommu_get_name(it));
	jadd_str(o, "kind",
		 iommuctl_iommu_kind_name(iommuctl_iommu_get_kind(it)));
	jadd_str_or_null(o, "driver", iommuctl_iommu_get_driver(it));
	jset(o, "address",
	     iommuctl_iommu_get_address(it, &addr) == 0 ? json_hex(addr) :
							  NULL);
	return o;
}

static struct json_object *device_obj(struct iommuctl_device *d)
{
	struct json_object *o = json_object_new_object();
	int g = iommuctl_device_get_group_id(d);

	jadd_str(o, "name", iommuctl_device_get_name(d));
	jadd_str_or_null(o, "driver", iommuctl_device_get_driver(d));
	jadd_str_or_null(o, "iommu", iommuctl_device_get_iommu(d));
	jset(o, "group", g >= 0 ? json_object_new_int(g) : NULL);
	return o;
}

/* A register value as iommu show prints it: "0x...", 8 digits for 32 bits;
 * or the text the kernel gave. */
static struct json_object *reg_json(const struct iommuctl_diff_reg *d,
				    bool have, uint64_t v, const char *text)
{
	char buf[24];

	if (d->text_a || d->text_b)
		return text ? json_object_new_string(text) : NULL;
	if (!have)
		return NULL;
	if (d->bits == 64)
		return json_hex(v);
	snprintf(buf, sizeof(buf), "0x%0*" PRIx64, (int)d->bits / 4, v);
	return json_object_new_string(buf);
}

static void reg_values(struct json_object *o, const struct iommuctl_diff_reg *r)
{
	if (!r->field) {
		jset(o, "a", reg_json(r, r->have_a, r->a, r->text_a));
		jset(o, "b", reg_json(r, r->have_b, r->b, r->text_b));
		return;
	}
	jadd_str(o, "field", r->field->key);
	jadd_str(o, "name", r->field->name);
	jadd_str(o, "description", r->field->desc);
	jadd(o, "a", json_object_new_uint64(r->a));
	jadd(o, "b", json_object_new_uint64(r->b));
}

/* ---- the table, printed from the JSON ------------------------------------ */

/* A value of a change, "key", "key.sub" or "." (the change itself);
 * jopt() if @opt, else jget(). */
static struct json_object *value(struct cmdctx *c, struct json_object *ch,
				 const char *path, bool opt)
{
	const char *dot = strchr(path, '.');
	char key[16];

	if (!strcmp(path, "."))
		return ch;
	if (dot) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		ch = opt ? jopt(ch, key) : jget(c, ch, key);
		path = dot + 1;
	}
	return opt ? jopt(ch, path) : jget(c, ch, path);
}

static void print_words(struct json_object *a, const char *sep)
{
	size_t i, n = a ? json_object_array_length(a) : 0;

	for (i = 0; i < n; i++)
		printf("%s%s", i ? sep : "",
		       json_object_get_string(json_object_array_get_idx(a, i)));
}

/* The parts of a change that %X{KEY} prints with a format of their own:
 * a group, "7 {0000:05:01.0 0000:05:02.0}"; a reserved region and its
 * type, "reserved (msi,reserved)": the type, and what was merged. */
static const struct {
	char x;
	const char *format;
} parts[] = {
	{ 'G', "%{group} {%W{members}}" },
	{ 'R', "%{start}-%{last} %T{.}" },
	{ 'T', "%{type}%?{merged_types} (%C{merged_types})%;" },
};

static void print_change(struct cmdctx *c, struct json_object *ch,
			 const char *f);

/* @v by @format, or each element of the array @v: "A, B and C" */
static void print_part(struct cmdctx *c, struct json_object *v,
		       const char *format)
{
	size_t i, n;

	if (!json_object_is_type(v, json_type_array)) {
		print_change(c, v, format);
		return;
	}
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		fputs(i == 0 ? "" : i + 1 == n ? " and " : ", ", stdout);
		print_change(c, json_object_array_get_idx(v, i), format);
	}
}

/*
 * Prints change @ch by its format: text, and
 *   %{KEY}  the value of KEY ("a", "b.name"), null as "none" (%{KEY|WORD}:
 *           as WORD); %U{KEY} in capitals (null: nothing)
 *   %W{KEY} a list of words, %C{KEY} the same with commas
 *   %G{KEY} a group or list of groups, %R{KEY} a reserved region, %T{KEY}
 *           its type (parts[])
 *   %N{KEY,OTHER}  " (now OTHER)" if the two differ
 *   %?{KEY} ... %;  what is between if KEY is there, not null and not [];
 *   %!{KEY} ... %;  if it is not
 */
static void print_change(struct cmdctx *c, struct json_object *ch,
			 const char *f)
{
	char arg[48], *word, *other;
	struct json_object *v;
	const char *s, *text, *now;
	int skip = 0; /* inside this many conditions that do not hold */
	size_t i;
	bool has;

	for (; *f; f++) {
		if (*f != '%') {
			if (!skip)
				putchar(*f);
			continue;
		}
		s = ++f;
		arg[0] = '\0';
		if (f[*f != '{'] == '{') { /* %{...} or %X{...} */
			f += *f != '{';
			snprintf(arg, sizeof(arg), "%.*s",
				 (int)(strchr(f, '}') - f - 1), f + 1);
			f = strchr(f, '}');
		}
		if (*s == ';' && skip) {
			skip--;
			continue;
		}
		if (*s == '?' || *s == '!') {
			v = skip ? NULL : value(c, ch, arg, true);
			has = v && (!json_object_is_type(v, json_type_array) ||
				    json_object_array_length(v));
			skip += skip || has != (*s == '?');
			continue;
		}
		if (skip)
			continue;
		word = strchr(arg, '|');
		if (word)
			*word++ = '\0';
		other = strchr(arg, ',');
		if (other)
			*other++ = '\0';
		v = arg[0] ? value(c, ch, arg, false) : NULL;
		text = v ? json_object_get_string(v) : word;
		if (*s == '{')
			fputs(text ?: "none", stdout);
		else if (*s == 'U')
			for (; text && *text; text++)
				putchar(toupper((unsigned char)*text));
		else if (*s == 'W' || *s == 'C')
			print_words(v, *s == 'W' ? " " : ",");
		if (*s == 'N' && other) {
			now = json_object_get_string(
				value(c, ch, other, false));
			if (text && now && strcmp(text, now))
				printf(" (now %s)", now);
		}
		for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
			if (*s == parts[i].x)
				print_part(c, v, parts[i].format);
	}
}

/* clang-format off */
/* "group 7 {...}", or "group 7 (now 9) {...}" when the number changed:
 * the groups @a and @b of a change */
#define PAIR(a, b) \
	"group %{" a ".group}%N{" a ".group," b ".group} {%W{" a ".members}}"
/* What a change is about and ": ": a device, a pair of groups or a pair of
 * units ("dmar0", or "dmar0 (now dmar1)"); MERGED: or else "merged" */
#define SUBJECT \
	"%?{device}%{device}: %;" \
	"%?{a_group}" PAIR("a_group", "b_group") ": %;" \
	"%?{a_unit}%{a_unit}%N{a_unit,b_unit}: %;"
#define MERGED SUBJECT "%!{a_group}merged: %;"
/* "[DEVICE ]" */
#define DEV "%?{device}%{device} %;"
/* a unit or device added or removed */
#define UNIT(x) "%{" x ".kind}%?{" x ".address} at %{" x ".address}%;)"
#define DEVICE(x, word)                                    \
	"%{" x ".name} " word " (driver %{" x ".driver}, " \
	"IOMMU %{" x ".iommu}, group %{" x ".group})"
#define RESV(word) MERGED word " %R{region}"

#define KERNEL "Kernel"
#define UNITS "IOMMU units"
#define GROUPS "IOMMU groups"
#define DEVICES "Devices"
#define RESVS "Reserved regions"
static const struct change_text change_texts[IOMMUCTL_CHANGE_KIND_MAX] = {
	[IOMMUCTL_CHANGE_KERNEL_RELEASE] = { "kernel-release-changed", KERNEL, V_STR,
		SUBJECT "release %{a|unknown} -> %{b|unknown}" },
	[IOMMUCTL_CHANGE_KERNEL_CMDLINE] = { "kernel-cmdline-changed", KERNEL, V_WORDS,
		"command line:%?{removed} removed %W{removed}%;"
		"%?{added}%?{removed};%; added %W{added}%;" },
	[IOMMUCTL_CHANGE_IOMMU_ADDED] = { "iommu-added", UNITS, V_UNIT,
		"%{b.name} added (" UNIT("b") },
	[IOMMUCTL_CHANGE_IOMMU_REMOVED] = { "iommu-removed", UNITS, V_UNIT,
		"%{a.name} removed (" UNIT("a") },
	[IOMMUCTL_CHANGE_IOMMU_RENAMED] = { "iommu-renamed", UNITS, V_UNIT,
		"%{a.name} is now %{b.name}  (" UNIT("b") },
	[IOMMUCTL_CHANGE_IOMMU_ADDRESS] = { "iommu-address-changed", UNITS, V_REG,
		SUBJECT "register base %{a} -> %{b}" },
	[IOMMUCTL_CHANGE_IOMMU_REGISTER] = { "iommu-register-changed", UNITS, V_REG,
		SUBJECT "%U{register} %{a} -> %{b}" },
	[IOMMUCTL_CHANGE_IOMMU_FIELD] = { "iommu-field-changed", UNITS, V_REG,
		SUBJECT "%U{register}.%{name} %{a} -> %{b} (%{description})" },
	[IOMMUCTL_CHANGE_GROUP_NEW] = { "group-new", GROUPS, V_GROUP,
		"group %G{b} is new" },
	[IOMMUCTL_CHANGE_GROUP_GONE] = { "group-gone", GROUPS, V_GROUP,
		"group %G{a} is gone" },
	[IOMMUCTL_CHANGE_GROUP_SPLIT] = { "group-split", GROUPS, V_GROUP,
		DEV "group %G{a} split into %G{b}" },
	[IOMMUCTL_CHANGE_GROUP_MERGED] = { "group-merged", GROUPS, V_GROUP,
		DEV "groups %G{a} merged into %G{b}" },
	[IOMMUCTL_CHANGE_GROUP_MEMBERS] = { "group-members-changed", GROUPS, V_GROUP,
		DEV "group %G{a} is now %G{b}%?{joined}: %W{joined} joined%;"
		"%?{left}%?{joined}, %;%!{joined}: %;%W{left} left%;" },
	[IOMMUCTL_CHANGE_GROUP_TYPE] = { "group-type-changed", GROUPS, V_GROUP,
		PAIR("a", "b") ": default domain %{a.type} -> %{b.type}" },
	[IOMMUCTL_CHANGE_DEVICE_MOVED] = { "device-moved", GROUPS, V_GROUP,
		DEV "moved from group %G{a} to group %G{b}" },
	[IOMMUCTL_CHANGE_DEVICE_ADDED] = { "device-added", DEVICES, V_DEVICE,
		DEVICE("b", "added") },
	[IOMMUCTL_CHANGE_DEVICE_REMOVED] = { "device-removed", DEVICES, V_DEVICE,
		DEVICE("a", "removed") },
	[IOMMUCTL_CHANGE_DEVICE_DRIVER] = { "device-driver-changed", DEVICES, V_STR,
		SUBJECT "driver %{a} -> %{b}" },
	[IOMMUCTL_CHANGE_DEVICE_IOMMU] = { "device-iommu-changed", DEVICES, V_STR,
		SUBJECT "IOMMU unit %{a} -> %{b}" },
	[IOMMUCTL_CHANGE_RESV_ADDED] = { "resv-added", RESVS, V_RESV, RESV("added") },
	[IOMMUCTL_CHANGE_RESV_REMOVED] = { "resv-removed", RESVS, V_RESV, RESV("removed") },
	[IOMMUCTL_CHANGE_RESV_TYPE] = { "resv-type-changed", RESVS, V_RESV,
		MERGED "%R{a} is now %T{b}" },
	[IOMMUCTL_CHANGE_RESV_MERGED_ADDED] = { "resv-merged-added", RESVS, V_RESV,
		RESV("added") },
	[IOMMUCTL_CHANGE_RESV_MERGED_REMOVED] = { "resv-merged-removed", RESVS, V_RESV,
		RESV("removed") },
	[IOMMUCTL_CHANGE_RESV_MERGED_TYPE] = { "resv-merged-type-changed", RESVS, V_RESV,
		MERGED "%R{a} is now %T{b}" },
	[IOMMUCTL_CHANGE_MSI_REMAPPING] = { "msi-remapping-changed", "MSI", V_STR,
		SUBJECT "interrupt remapping %{a} -> %{b}" },
	[IOMMUCTL_CHANGE_MSI_WINDOW] = { "msi-window-changed", "MSI", V_STR,
		SUBJECT "MSI window %{a} -> %{b}" },
};
/* clang-format on */

/* {"kind", the subject: "device", "a_unit" and "b_unit", or "a_group" and
 * "b_group" (unless they are the values), then the values} */
static struct json_object *change_json(const struct iommuctl_change *c)
{
	const struct change_text *t = &change_texts[c->kind];
	struct json_object *o = json_object_new_object();

	jadd_str(o, "kind", t->kind);
	jadd_str(o, "device", c->device);
	if (t->values == V_REG) {
		jadd_str(o, "a_unit", iommuctl_iommu_get_name(c->unit_a));
		jadd_str(o, "b_unit", iommuctl_iommu_get_name(c->unit_b));
		jadd_str(o, "register", c->reg.reg);
	} else if (t->values != V_GROUP && c->ngroups_a) {
		jadd(o, "a_group", group_obj(c->groups_a[0]));
		jadd(o, "b_group", group_obj(c->groups_b[0]));
	}
	switch (t->values) {
	case V_STR:
		jadd_str_or_null(o, "a", c->a);
		jadd_str_or_null(o, "b", c->b);
		break;
	case V_WORDS:
		jadd(o, "a", json_strv(c->words_a, (unsigned int)c->nwords_a));
		jadd(o, "b", json_strv(c->words_b, (unsigned int)c->nwords_b));
		jadd(o, "added", json_strv(c->added, (unsigned int)c->nadded));
		jadd(o, "removed",
		     json_strv(c->removed, (unsigned int)c->nremoved));
		break;
	case V_UNIT: /* on the sides that have one */
		if (c->unit_a)
			jadd(o, "a", unit_obj(c->unit_a));
		if (c->unit_b)
			jadd(o, "b", unit_obj(c->unit_b));
		break;
	case V_REG:
		reg_values(o, &c->reg);
		break;
	case V_GROUP:
		jadd(o, "a",
		     groups_json(c->groups_a, c->ngroups_a,
				 c->kind == IOMMUCTL_CHANGE_GROUP_MERGED));
		jadd(o, "b",
		     groups_json(c->groups_b, c->ngroups_b,
				 c->kind == IOMMUCTL_CHANGE_GROUP_SPLIT));
		if (c->kind != IOMMUCTL_CHANGE_GROUP_MEMBERS)
			break;
		jadd(o, "joined", json_strv(c->added, (unsigned int)c->nadded));
		jadd(o, "left",
		     json_strv(c->removed, (unsigned int)c->nremoved));
		break;
	case V_DEVICE: /* on the side that has it */
		jadd(o, c->dev_a ? "a" : "b",
		     device_obj(c->dev_a ? c->dev_a : c->dev_b));
		break;
	case V_RESV:
		if (c->resv_a && c->resv_b) {
			jadd(o, "a", region_to_json(c->resv_a));
			jadd(o, "b", region_to_json(c->resv_b));
		} else {
			jadd(o, "region",
			     region_to_json(c->resv_a ? c->resv_a : c->resv_b));
		}
		break;
	}
	return o;
}

static void diff_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *ch = jget(c, j, "changes");
	const char *section = NULL;
	size_t i, n = ch ? json_object_array_length(ch) : 0;

	if (!n)
		printf("no differences\n");
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(ch, i);
		const struct change_text *t;

		for (t = change_texts;
		     t < change_texts + IOMMUCTL_CHANGE_KIND_MAX; t++)
			if (!strcmp(t->kind, jstr(c, o, "kind")))
				break;
		if (t == change_texts + IOMMUCTL_CHANGE_KIND_MAX)
			continue; /* cannot happen: every change has its text */
		if (!section || strcmp(section, t->section))
			printf("%s%s%s\n", color_on(c, "header"), t->section,
			       color_off(c));
		section = t->section;
		fputs("  ", stdout);
		print_change(c, o, t->format);
		putchar('\n');
	}
}

/* ---- the command --------------------------------------------------------- */

static struct json_object *side_json(struct side *s)
{
	struct json_object *o = json_object_new_object();

	jadd_str(o, "root", s->root);
	jadd_str_or_null(o, "kernel", iommuctl_get_kernel_release(s->ctx));
	return o;
}

/* --root and the operand counts, in the order they were always checked */
static int diff_check(struct cmdctx *c, void *args UNUSED)
{
	if (strcmp(iommuctl_get_root(c->ctx), "/"))
		return cmd_usage(
			c,
			"--root does not apply: give the roots to compare as operands (iommuctl diff A [B])");
	if (c->argc < 1)
		return cmd_usage(
			c,
			"what to compare? give a captured tree, a report bundle or 'live'");
	if (c->argc > 2)
		return cmd_usage(
			c, "unexpected argument '%s': diff compares two roots",
			c->argv[2]);
	return 0;
}

static int diff_run(struct cmdctx *c, void *args UNUSED)
{
	struct side a = { .label = "A", .arg = c->argv[0] };
	struct side b = { .label = "B",
			  .arg = c->argc > 1 ? c->argv[1] : "live" };
	const struct iommuctl_change *v;
	struct iommuctl_diff *d = NULL;
	struct json_object *j, *ch;
	size_t n, i;
	int rc;

	rc = side_open(c, &a);
	if (!rc)
		rc = side_open(c, &b);
	if (rc < 0)
		goto out;
	rc = iommuctl_diff_new(a.ctx, b.ctx, &d);
	if (rc < 0) {
		rc = cmd_fail(c, EXIT_FAILED, rc, "comparing");
		goto out;
	}
	j = json_object_new_object();
	jadd(j, "a", side_json(&a));
	jadd(j, "b", side_json(&b));
	ch = json_object_new_array();
	v = iommuctl_diff_get_changes(d, &n);
	for (i = 0; i < n; i++)
		json_object_array_add(ch, change_json(&v[i]));
	jadd(j, "changes", ch);
	cmd_out(c, j);
	rc = n ? CMD_STATUS(EXIT_FAILED) : 0;
out:
	iommuctl_diff_free(d);
	if (a.ctx)
		iommuctl_unref(a.ctx);
	if (b.ctx)
		iommuctl_unref(b.ctx);
	return rc;
}

static const struct verb diff_verbs[] = {
	{ .name = "show",
	  .summary = "compare two snapshots of the IOMMU world",
	  .synopsis = "A [B]",
	  .description =
		  "Compare two snapshots of the IOMMU world, such as before and after a\n"
		  "BIOS or kernel update. A and B are each a captured tree or unpacked\n"
		  "report bundle (a directory), a report bundle file (.tar.gz), or 'live'\n"
		  "(also '/') for the running system; B defaults to live. Compared: the\n"
		  "kernel release and IOMMU command line words; IOMMU units (added,\n"
		  "removed, matched by register base or name) and their capability\n"
		  "registers, field by field; IOMMU groups, matched by their members\n"
		  "since numbers change across boots (new, gone, split, merged, devices\n"
		  "moved, default domain type); devices (added, removed, driver, IOMMU\n"
		  "unit); reserved regions per group and merged; interrupt remapping and\n"
		  "MSI windows. One line per change. Exit 0 when identical, 1 when they\n"
		  "differ and also on errors: scripts read -j \"changes\", or the exit\n"
		  "code together with stderr.",
	  .max_args = ARGS_ANY,
	  .flags = VERB_PATH_OPERANDS | VERB_OPERAND_FIRST | VERB_DIFFERS,
	  .check = diff_check,
	  .run = diff_run,
	  .render = &(const struct render){ .text = diff_text } },
	{ .name = NULL },
};

const struct object obj_diff = {
	"diff", "what changed between two snapshots (trees, bundles, live)",
	diff_verbs, NULL
};
