// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl diff: what changed between two snapshots of the IOMMU world
 * (after a BIOS or kernel update): the kernel, IOMMU units and their
 * capability registers, IOMMU groups matched by their members, devices,
 * reserved regions and MSI. Each side has its own library context; the
 * library matches units, groups and regions (iommuctl/diff.h).
 *
 * Every change is one JSON object {"kind": ..., ...}; the table prints one
 * line per change from that object.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "builtin.h"

#define NONE ((size_t)-1)

/* ---- the two sides ------------------------------------------------------- */

struct side {
	const char *label; /* "A" or "B" */
	const char *arg; /* the operand as given */
	const char *root; /* "/" for the running system */
	struct iommuctl_ctx *ctx;
	struct iommuctl_status *st;
	struct iommuctl_diff_group *groups;
	size_t ngroups;
	struct iommuctl_msi_state msi;
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
	rc = iommuctl_status_new(s->ctx, &s->st);
	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, rc,
				"%s %s: reading the system state", s->label,
				s->arg);
	iommuctl_msi_state(s->ctx, &s->msi);
	rc = iommuctl_diff_groups_get(s->ctx, &s->groups, &s->ngroups);
	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, rc, "%s %s", s->label, s->arg);
	return 0;
}

static void side_close(struct side *s)
{
	if (s->st)
		iommuctl_status_free(s->st);
	if (s->ctx)
		iommuctl_unref(s->ctx);
	iommuctl_diff_groups_free(s->groups, s->ngroups);
}

/* ---- the changes as JSON ------------------------------------------------- */

struct diffrun {
	struct side *a, *b;
	struct json_object *ch;
	struct iommuctl_diff_unit *units; /* matched and unmatched */
	size_t nunits;
	size_t *same_a, *same_b; /* groups matched one to one, or paired */
	size_t nsame;
};

/* A string, or JSON null: the key is there either way. */
static bool str_differ(const char *x, const char *y)
{
	return x && y ? strcmp(x, y) != 0 : x != y;
}

/* {"kind": @kind, "device": @device (unless NULL)}, added to the list */
static struct json_object *change(struct diffrun *r, const char *kind,
				  const char *device)
{
	struct json_object *o = json_object_new_object();

	jadd_str(o, "kind", kind);
	jadd_str(o, "device", device);
	json_object_array_add(r->ch, o);
	return o;
}

/* ... with {"a": @a, "b": @b}, strings or null */
static void change_values(struct diffrun *r, const char *kind,
			  const char *device, const char *a, const char *b)
{
	struct json_object *o = change(r, kind, device);

	jadd_str_or_null(o, "a", a);
	jadd_str_or_null(o, "b", b);
}

/* {"group": N, "members": [...], "type": "DMA"} */
static struct json_object *group_obj(const struct side *s, size_t i)
{
	struct json_object *o = json_object_new_object();
	const struct iommuctl_diff_group *g = &s->groups[i];

	jadd_int(o, "group", g->id);
	jadd(o, "members", json_strv(g->members, (unsigned int)g->n));
	jadd_str_or_null(o, "type", g->type);
	return o;
}

static struct json_object *group_list(const struct side *s, const size_t *idx,
				      size_t n)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, group_obj(s, idx[i]));
	return a;
}

/* A change about an A group and a B group: {"a", "b"}, or with @suffix
 * {"a_group", "b_group"} (the change's own "a" and "b" follow). */
static struct json_object *change_groups(struct diffrun *r, const char *kind,
					 const char *device, size_t ai,
					 size_t bi, bool suffix)
{
	struct json_object *o = change(r, kind, device);

	jadd(o, suffix ? "a_group" : "a", group_obj(r->a, ai));
	jadd(o, suffix ? "b_group" : "b", group_obj(r->b, bi));
	return o;
}

static struct json_object *unit_address(struct iommuctl_iommu *it)
{
	uint64_t addr;

	return iommuctl_iommu_get_address(it, &addr) == 0 ? json_hex(addr) :
							    NULL;
}

static struct json_object *unit_obj(struct iommuctl_iommu *it)
{
	struct json_object *o = json_object_new_object();

	jadd_str(o, "name", iommuctl_iommu_get_name(it));
	jadd_str(o, "kind",
		 iommuctl_iommu_kind_name(iommuctl_iommu_get_kind(it)));
	jadd_str_or_null(o, "driver", iommuctl_iommu_get_driver(it));
	json_object_object_add(o, "address", unit_address(it));
	return o;
}

/* {"kind", "a_unit", "b_unit"}: a change of a matched pair of units */
static struct json_object *unit_pair(struct diffrun *r, const char *kind,
				     struct iommuctl_iommu *a,
				     struct iommuctl_iommu *b)
{
	struct json_object *o = change(r, kind, NULL);

	jadd_str(o, "a_unit", iommuctl_iommu_get_name(a));
	jadd_str(o, "b_unit", iommuctl_iommu_get_name(b));
	return o;
}

static struct json_object *device_obj(struct iommuctl_device *d)
{
	struct json_object *o = json_object_new_object();
	int g = iommuctl_device_get_group_id(d);

	jadd_str(o, "name", iommuctl_device_get_name(d));
	jadd_str_or_null(o, "driver", iommuctl_device_get_driver(d));
	jadd_str_or_null(o, "iommu", iommuctl_device_get_iommu(d));
	json_object_object_add(o, "group",
			       g >= 0 ? json_object_new_int(g) : NULL);
	return o;
}

/* ---- comparing ----------------------------------------------------------- */

static bool strv_has(const char *const *v, unsigned int n, const char *s)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* The words of @x missing from @y, each once. */
static struct json_object *words_minus(const char *const *x, unsigned int nx,
				       const char *const *y, unsigned int ny)
{
	struct json_object *r = json_object_new_array();
	unsigned int i;

	for (i = 0; i < nx; i++)
		if (!strv_has(y, ny, x[i]) && !strv_has(x, i, x[i]))
			json_object_array_add(r, json_object_new_string(x[i]));
	return r;
}

static void diff_kernel(struct diffrun *r)
{
	const char *ka = iommuctl_status_get_kernel(r->a->st);
	const char *kb = iommuctl_status_get_kernel(r->b->st);
	const char *const *va, *const *vb;
	struct json_object *o, *added, *removed;
	unsigned int na, nb;

	if (str_differ(ka, kb))
		change_values(r, "kernel-release-changed", NULL, ka, kb);
	va = iommuctl_status_get_cmdline(r->a->st, &na);
	vb = iommuctl_status_get_cmdline(r->b->st, &nb);
	added = words_minus(vb, nb, va, na);
	removed = words_minus(va, na, vb, nb);
	if (!json_object_array_length(added) &&
	    !json_object_array_length(removed)) {
		json_object_put(added);
		json_object_put(removed);
		return;
	}
	o = change(r, "kernel-cmdline-changed", NULL);
	jadd(o, "a", json_strv(va, na));
	jadd(o, "b", json_strv(vb, nb));
	jadd(o, "added", added);
	jadd(o, "removed", removed);
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

static int diff_unit_regs(struct diffrun *r, struct iommuctl_iommu *a,
			  struct iommuctl_iommu *b)
{
	struct iommuctl_diff_reg *d;
	size_t n, i;
	int rc = iommuctl_diff_unit_regs(a, b, &d, &n);

	for (i = 0; i < n; i++) {
		const struct iommuctl_regfield *f = d[i].field;
		struct json_object *o = unit_pair(
			r, f ? "iommu-field-changed" : "iommu-register-changed",
			a, b);

		jadd_str(o, "register", d[i].reg);
		if (!f) {
			json_object_object_add(o, "a",
					       reg_json(&d[i], d[i].have_a,
							d[i].a, d[i].text_a));
			json_object_object_add(o, "b",
					       reg_json(&d[i], d[i].have_b,
							d[i].b, d[i].text_b));
			continue;
		}
		jadd_str(o, "field", f->key);
		jadd_str(o, "name", f->name);
		jadd_str(o, "description", f->desc);
		jadd(o, "a", json_object_new_uint64(d[i].a));
		jadd(o, "b", json_object_new_uint64(d[i].b));
	}
	free(d);
	return rc;
}

static int diff_units(struct diffrun *r)
{
	uint64_t x, y;
	size_t i;
	int rc;

	rc = iommuctl_diff_match_units(r->a->ctx, r->b->ctx, &r->units,
				       &r->nunits);
	for (i = 0; !rc && i < r->nunits; i++) {
		struct iommuctl_iommu *a = r->units[i].a, *b = r->units[i].b;
		bool hx, hy;
		struct json_object *o;

		if (!a || !b) {
			jadd(change(r, a ? "iommu-removed" : "iommu-added",
				    NULL),
			     a ? "a" : "b", unit_obj(a ? a : b));
			continue;
		}
		if (strcmp(iommuctl_iommu_get_name(a),
			   iommuctl_iommu_get_name(b))) {
			o = change(r, "iommu-renamed", NULL);
			jadd(o, "a", unit_obj(a));
			jadd(o, "b", unit_obj(b));
		}
		hx = iommuctl_iommu_get_address(a, &x) == 0;
		hy = iommuctl_iommu_get_address(b, &y) == 0;
		if (hx != hy || (hx && x != y)) {
			o = unit_pair(r, "iommu-address-changed", a, b);
			json_object_object_add(o, "a", unit_address(a));
			json_object_object_add(o, "b", unit_address(b));
		}
		rc = diff_unit_regs(r, a, b);
	}
	return rc;
}

static void group_change(struct diffrun *r,
			 const struct iommuctl_diff_group_change *c)
{
	struct json_object *o;

	switch (c->kind) {
	case IOMMUCTL_DIFF_GROUP_SAME:
	case IOMMUCTL_DIFF_GROUP_PAIRED:
		r->same_a[r->nsame] = c->a[0];
		r->same_b[r->nsame++] = c->b[0];
		break;
	case IOMMUCTL_DIFF_GROUP_MEMBERS:
		o = change_groups(r, "group-members-changed", NULL, c->a[0],
				  c->b[0], false);
		jadd(o, "joined",
		     json_strv(c->joined, (unsigned int)c->njoined));
		jadd(o, "left", json_strv(c->left, (unsigned int)c->nleft));
		break;
	case IOMMUCTL_DIFF_GROUP_TYPE:
		change_groups(r, "group-type-changed", NULL, c->a[0], c->b[0],
			      false);
		break;
	case IOMMUCTL_DIFF_GROUP_NEW:
		jadd(change(r, "group-new", NULL), "b",
		     group_obj(r->b, c->b[0]));
		break;
	case IOMMUCTL_DIFF_GROUP_GONE:
		jadd(change(r, "group-gone", NULL), "a",
		     group_obj(r->a, c->a[0]));
		break;
	case IOMMUCTL_DIFF_GROUP_SPLIT:
		o = change(r, "group-split", NULL);
		jadd(o, "a", group_obj(r->a, c->a[0]));
		jadd(o, "b", group_list(r->b, c->b, c->nb));
		break;
	case IOMMUCTL_DIFF_GROUP_MERGED:
		o = change(r, "group-merged", NULL);
		jadd(o, "a", group_list(r->a, c->a, c->na));
		jadd(o, "b", group_obj(r->b, c->b[0]));
		break;
	case IOMMUCTL_DIFF_GROUP_MOVED:
		change_groups(r, "device-moved", c->device, c->a[0], c->b[0],
			      false);
		break;
	}
}

static int diff_groups(struct diffrun *r)
{
	struct iommuctl_diff_group_change *gc;
	size_t n, i;
	int rc;

	rc = iommuctl_diff_match_groups(r->a->groups, r->a->ngroups,
					r->b->groups, r->b->ngroups, &gc, &n);
	if (rc < 0)
		return rc;
	r->same_a = calloc(n ? n : 1, sizeof(*r->same_a));
	r->same_b = calloc(n ? n : 1, sizeof(*r->same_b));
	for (i = 0; r->same_a && r->same_b && i < n; i++)
		group_change(r, &gc[i]);
	iommuctl_diff_group_changes_free(gc, n);
	return r->same_a && r->same_b ? 0 : -ENOMEM;
}

static int diff_devices(struct diffrun *r)
{
	struct iommuctl_diff_device *d;
	size_t n, i;
	int rc = iommuctl_diff_devices(r->a->ctx, r->b->ctx, r->units,
				       r->nunits, &d, &n);

	for (i = 0; i < n; i++) {
		struct iommuctl_device *x = d[i].a ? d[i].a : d[i].b;
		const char *name = iommuctl_device_get_name(x);

		if (d[i].kind == IOMMUCTL_DIFF_DEVICE_REMOVED)
			jadd(change(r, "device-removed", name), "a",
			     device_obj(x));
		else if (d[i].kind == IOMMUCTL_DIFF_DEVICE_ADDED)
			jadd(change(r, "device-added", name), "b",
			     device_obj(x));
		else if (d[i].kind == IOMMUCTL_DIFF_DEVICE_DRIVER)
			change_values(r, "device-driver-changed", name,
				      iommuctl_device_get_driver(d[i].a),
				      iommuctl_device_get_driver(d[i].b));
		else
			change_values(r, "device-iommu-changed", name,
				      iommuctl_device_get_iommu(d[i].a),
				      iommuctl_device_get_iommu(d[i].b));
	}
	free(d);
	return rc;
}

/* The region changes of group pair @k, or (@k NONE) of the merged lists. */
static int resv_changes(struct diffrun *r, size_t k,
			const struct iommuctl_resv_region *ra, size_t na,
			const struct iommuctl_resv_region *rb, size_t nb)
{
	static const char *const kinds[2][3] = {
		{ "resv-removed", "resv-added", "resv-type-changed" },
		{ "resv-merged-removed", "resv-merged-added",
		  "resv-merged-type-changed" },
	};
	struct iommuctl_diff_resv *d;
	size_t n, i;
	int rc = iommuctl_diff_resv(ra, na, rb, nb, &d, &n);

	for (i = 0; !rc && i < n; i++) {
		const char *kind = kinds[k == NONE][d[i].kind];
		struct json_object *o =
			k == NONE ? change(r, kind, NULL) :
				    change_groups(r, kind, NULL, r->same_a[k],
						  r->same_b[k], true);

		if (d[i].kind != IOMMUCTL_DIFF_RESV_TYPE) {
			jadd(o, "region",
			     region_to_json(d[i].a ? d[i].a : d[i].b));
			continue;
		}
		jadd(o, "a", region_to_json(d[i].a));
		jadd(o, "b", region_to_json(d[i].b));
	}
	free(d);
	return rc;
}

static int diff_resv(struct diffrun *r)
{
	struct iommuctl_resv_region *ma = NULL, *mb = NULL;
	const struct iommuctl_resv_region *ra, *rb;
	size_t nma = 0, nmb = 0, k, na, nb;
	int rc = 0;

	for (k = 0; !rc && k < r->nsame; k++)
		if (iommuctl_group_get_resv_regions(
			    r->a->groups[r->same_a[k]].group, &ra, &na) == 0 &&
		    iommuctl_group_get_resv_regions(
			    r->b->groups[r->same_b[k]].group, &rb, &nb) == 0)
			rc = resv_changes(r, k, ra, na, rb, nb);
	if (!rc)
		rc = iommuctl_diff_merged_resv(r->a->groups, r->a->ngroups, &ma,
					       &nma);
	if (!rc)
		rc = iommuctl_diff_merged_resv(r->b->groups, r->b->ngroups, &mb,
					       &nmb);
	if (!rc)
		rc = resv_changes(r, NONE, ma, nma, mb, nmb);
	free(ma);
	free(mb);
	return rc;
}

static void diff_msi(struct diffrun *r)
{
	size_t k;

	if (r->a->msi.remapping != r->b->msi.remapping)
		change_values(r, "msi-remapping-changed", NULL,
			      iommuctl_irq_remap_name(r->a->msi.remapping),
			      iommuctl_irq_remap_name(r->b->msi.remapping));
	for (k = 0; k < r->nsame; k++) {
		const char *wa = iommuctl_diff_msi_window(
			r->a->groups[r->same_a[k]].group);
		const char *wb = iommuctl_diff_msi_window(
			r->b->groups[r->same_b[k]].group);
		struct json_object *o;

		if (!wa || !wb || !strcmp(wa, wb))
			continue;
		o = change_groups(r, "msi-window-changed", NULL, r->same_a[k],
				  r->same_b[k], true);
		jadd_str(o, "a", wa);
		jadd_str(o, "b", wb);
	}
}

/* ---- the table, printed from the JSON ------------------------------------ */

/* A string, or NULL for JSON null (the key must be there). */
static const char *js(struct cmdctx *c, struct json_object *o, const char *key)
{
	struct json_object *v = jget(c, o, key);

	return v ? json_object_get_string(v) : NULL;
}

static const char *or_none(const char *s)
{
	return s ? s : "none";
}

static void print_words(struct json_object *a, const char *sep)
{
	size_t i, n = a ? json_object_array_length(a) : 0;

	for (i = 0; i < n; i++)
		printf("%s%s", i ? sep : "",
		       json_object_get_string(json_object_array_get_idx(a, i)));
}

/* A group, "7 {0000:05:01.0 0000:05:02.0}", or a list of them:
 * "7 {...}, 8 {...} and 9 {...}" */
static void print_groups(struct cmdctx *c, struct json_object *g)
{
	size_t i, n;

	if (!json_object_is_type(g, json_type_array)) {
		printf("%s {", js(c, g, "group"));
		print_words(jget(c, g, "members"), " ");
		putchar('}');
		return;
	}
	n = json_object_array_length(g);
	for (i = 0; i < n; i++) {
		fputs(i == 0 ? "" : i + 1 == n ? " and " : ", ", stdout);
		print_groups(c, json_object_array_get_idx(g, i));
	}
}

/* "direct" or "reserved (msi,reserved)": the type, and what was merged */
static void print_region_type(struct cmdctx *c, struct json_object *r)
{
	fputs(js(c, r, "type"), stdout);
	if (jopt(r, "merged_types")) {
		fputs(" (", stdout);
		print_words(jopt(r, "merged_types"), ",");
		putchar(')');
	}
}

static void print_region(struct cmdctx *c, struct json_object *r)
{
	printf("%s-%s ", js(c, r, "start"), js(c, r, "end"));
	print_region_type(c, r);
}

/* "group 7 {...}", or "group 7 (now 9) {...}" when the number changed */
static void print_group_pair(struct cmdctx *c, struct json_object *a,
			     struct json_object *b)
{
	printf("group %s", js(c, a, "group"));
	if (strcmp(js(c, a, "group"), js(c, b, "group")))
		printf(" (now %s)", js(c, b, "group"));
	fputs(" {", stdout);
	print_words(jget(c, a, "members"), " ");
	putchar('}');
}

/* What a change is about: a device, a pair of groups, a pair of units
 * ("dmar0", or "dmar0 (now dmar1)"), or else the merged reserved regions. */
static void print_subject(struct cmdctx *c, struct json_object *ch)
{
	if (jopt(ch, "device")) {
		fputs(js(c, ch, "device"), stdout);
	} else if (jopt(ch, "a_group")) {
		print_group_pair(c, jget(c, ch, "a_group"),
				 jget(c, ch, "b_group"));
	} else if (jopt(ch, "a_unit")) {
		fputs(js(c, ch, "a_unit"), stdout);
		if (strcmp(js(c, ch, "a_unit"), js(c, ch, "b_unit")))
			printf(" (now %s)", js(c, ch, "b_unit"));
	} else {
		fputs("merged", stdout);
	}
}

struct change_text {
	const char *kind;
	const char *section;
	void (*print)(struct cmdctx *c, struct json_object *ch,
		      const struct change_text *t);
	const char *key, *word; /* for the printers shared by two kinds */
};

/* "SUBJECT: WORD A -> B" (none for null) */
static void t_value(struct cmdctx *c, struct json_object *ch,
		    const struct change_text *t)
{
	print_subject(c, ch);
	printf(": %s %s -> %s", t->word, or_none(js(c, ch, "a")),
	       or_none(js(c, ch, "b")));
}

static void t_kernel_release(struct cmdctx *c, struct json_object *ch,
			     const struct change_text *t UNUSED)
{
	printf("release %s -> %s", js(c, ch, "a") ?: "unknown",
	       js(c, ch, "b") ?: "unknown");
}

static void t_kernel_cmdline(struct cmdctx *c, struct json_object *ch,
			     const struct change_text *t UNUSED)
{
	size_t nr = json_object_array_length(jget(c, ch, "removed"));

	fputs("command line:", stdout);
	if (nr) {
		fputs(" removed ", stdout);
		print_words(jget(c, ch, "removed"), " ");
	}
	if (json_object_array_length(jget(c, ch, "added"))) {
		fputs(nr ? "; added " : " added ", stdout);
		print_words(jget(c, ch, "added"), " ");
	}
}

static void print_unit(struct cmdctx *c, struct json_object *u,
		       const char *what)
{
	printf("%s %s (%s", js(c, u, "name"), what, js(c, u, "kind"));
	if (js(c, u, "address"))
		printf(" at %s", js(c, u, "address"));
	putchar(')');
}

/* iommu-added, iommu-removed */
static void t_unit(struct cmdctx *c, struct json_object *ch,
		   const struct change_text *t)
{
	print_unit(c, jget(c, ch, t->key), t->word);
}

static void t_iommu_renamed(struct cmdctx *c, struct json_object *ch,
			    const struct change_text *t UNUSED)
{
	printf("%s is now ", js(c, jget(c, ch, "a"), "name"));
	print_unit(c, jget(c, ch, "b"), "");
}

/* "dmar0: CAP 0x.. -> 0x..", "dmar0: ECAP.SC 0 -> 1 (description)" */
static void t_register(struct cmdctx *c, struct json_object *ch,
		       const struct change_text *t)
{
	const char *s;

	print_subject(c, ch);
	fputs(": ", stdout);
	for (s = js(c, ch, "register"); s && *s; s++)
		putchar(*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s);
	if (t->word)
		printf(".%s", js(c, ch, "name"));
	printf(" %s -> %s", or_none(js(c, ch, "a")), or_none(js(c, ch, "b")));
	if (t->word)
		printf(" (%s)", js(c, ch, "description"));
}

/* group-new, group-gone */
static void t_group(struct cmdctx *c, struct json_object *ch,
		    const struct change_text *t)
{
	fputs("group ", stdout);
	print_groups(c, jget(c, ch, t->key));
	printf(" is %s", t->word);
}

/* "[DEVICE ]KEY A WORD B": group-split, group-merged, device-moved */
static void t_groups(struct cmdctx *c, struct json_object *ch,
		     const struct change_text *t)
{
	if (jopt(ch, "device"))
		printf("%s ", js(c, ch, "device"));
	fputs(t->key, stdout);
	print_groups(c, jget(c, ch, "a"));
	fputs(t->word, stdout);
	print_groups(c, jget(c, ch, "b"));
}

static void t_group_members(struct cmdctx *c, struct json_object *ch,
			    const struct change_text *t)
{
	size_t nj = json_object_array_length(jget(c, ch, "joined"));

	t_groups(c, ch, t);
	if (nj) {
		fputs(": ", stdout);
		print_words(jget(c, ch, "joined"), " ");
		fputs(" joined", stdout);
	}
	if (json_object_array_length(jget(c, ch, "left"))) {
		fputs(nj ? ", " : ": ", stdout);
		print_words(jget(c, ch, "left"), " ");
		fputs(" left", stdout);
	}
}

static void t_group_type(struct cmdctx *c, struct json_object *ch,
			 const struct change_text *t UNUSED)
{
	struct json_object *a = jget(c, ch, "a"), *b = jget(c, ch, "b");

	print_group_pair(c, a, b);
	printf(": default domain %s -> %s", or_none(js(c, a, "type")),
	       or_none(js(c, b, "type")));
}

/* device-added, device-removed */
static void t_device(struct cmdctx *c, struct json_object *ch,
		     const struct change_text *t)
{
	struct json_object *d = jget(c, ch, t->key);

	printf("%s %s (driver %s, IOMMU %s, group %s)", js(c, d, "name"),
	       t->word, or_none(js(c, d, "driver")), or_none(js(c, d, "iommu")),
	       or_none(js(c, d, "group")));
}

/* resv-added, resv-removed, and the same of the merged regions */
static void t_resv(struct cmdctx *c, struct json_object *ch,
		   const struct change_text *t)
{
	print_subject(c, ch);
	printf(": %s ", t->word);
	print_region(c, jget(c, ch, "region"));
}

static void t_resv_type(struct cmdctx *c, struct json_object *ch,
			const struct change_text *t UNUSED)
{
	print_subject(c, ch);
	fputs(": ", stdout);
	print_region(c, jget(c, ch, "a"));
	fputs(" is now ", stdout);
	print_region_type(c, jget(c, ch, "b"));
}

static void t_msi_remapping(struct cmdctx *c, struct json_object *ch,
			    const struct change_text *t UNUSED)
{
	printf("interrupt remapping %s -> %s", js(c, ch, "a"), js(c, ch, "b"));
}

#define KERNEL "Kernel"
#define UNITS "IOMMU units"
#define GROUPS "IOMMU groups"
#define DEVICES "Devices"
#define RESV "Reserved regions"
static const struct change_text change_texts[] = {
	{ "kernel-release-changed", KERNEL, t_kernel_release, NULL, NULL },
	{ "kernel-cmdline-changed", KERNEL, t_kernel_cmdline, NULL, NULL },
	{ "iommu-added", UNITS, t_unit, "b", "added" },
	{ "iommu-removed", UNITS, t_unit, "a", "removed" },
	{ "iommu-renamed", UNITS, t_iommu_renamed, NULL, NULL },
	{ "iommu-address-changed", UNITS, t_value, NULL, "register base" },
	{ "iommu-register-changed", UNITS, t_register, NULL, NULL },
	{ "iommu-field-changed", UNITS, t_register, NULL, "field" },
	{ "group-new", GROUPS, t_group, "b", "new" },
	{ "group-gone", GROUPS, t_group, "a", "gone" },
	{ "group-split", GROUPS, t_groups, "group ", " split into " },
	{ "group-merged", GROUPS, t_groups, "groups ", " merged into " },
	{ "group-members-changed", GROUPS, t_group_members, "group ",
	  " is now " },
	{ "group-type-changed", GROUPS, t_group_type, NULL, NULL },
	{ "device-moved", GROUPS, t_groups, "moved from group ", " to group " },
	{ "device-added", DEVICES, t_device, "b", "added" },
	{ "device-removed", DEVICES, t_device, "a", "removed" },
	{ "device-driver-changed", DEVICES, t_value, NULL, "driver" },
	{ "device-iommu-changed", DEVICES, t_value, NULL, "IOMMU unit" },
	{ "resv-added", RESV, t_resv, NULL, "added" },
	{ "resv-removed", RESV, t_resv, NULL, "removed" },
	{ "resv-type-changed", RESV, t_resv_type, NULL, NULL },
	{ "resv-merged-added", RESV, t_resv, NULL, "added" },
	{ "resv-merged-removed", RESV, t_resv, NULL, "removed" },
	{ "resv-merged-type-changed", RESV, t_resv_type, NULL, NULL },
	{ "msi-remapping-changed", "MSI", t_msi_remapping, NULL, NULL },
	{ "msi-window-changed", "MSI", t_value, NULL, "MSI window" },
	{ NULL, NULL, NULL, NULL, NULL },
};

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

		for (t = change_texts; t->kind; t++)
			if (!strcmp(t->kind, jstr(c, o, "kind")))
				break;
		if (!t->kind)
			continue; /* cannot happen: every change has its text */
		if (!section || strcmp(section, t->section))
			printf("%s%s%s\n", color_on(c, "header"), t->section,
			       color_off(c));
		section = t->section;
		fputs("  ", stdout);
		t->print(c, o, t);
		putchar('\n');
	}
}

/* ---- the command --------------------------------------------------------- */

static struct json_object *side_json(struct side *s)
{
	struct json_object *o = json_object_new_object();

	jadd_str(o, "root", s->root);
	jadd_str_or_null(o, "kernel", iommuctl_status_get_kernel(s->st));
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
	struct diffrun r = { .a = &a, .b = &b };
	struct json_object *j;
	int rc;

	rc = side_open(c, &a);
	if (!rc)
		rc = side_open(c, &b);
	if (rc < 0)
		goto out;
	j = json_object_new_object();
	jadd(j, "a", side_json(&a));
	jadd(j, "b", side_json(&b));
	r.ch = json_object_new_array();
	jadd(j, "changes", r.ch);
	cmd_out(c, j);
	diff_kernel(&r);
	if (diff_units(&r) < 0 || diff_groups(&r) < 0 || diff_devices(&r) < 0) {
		rc = cmd_fail(c, EXIT_FAILED, ENOMEM, "comparing");
		goto out;
	}
	if (diff_resv(&r) < 0) {
		rc = cmd_fail(c, EXIT_FAILED, ENOMEM,
			      "comparing reserved regions");
		goto out;
	}
	diff_msi(&r);
	rc = json_object_array_length(r.ch) ? CMD_STATUS(EXIT_FAILED) : 0;
out:
	free(r.units);
	free(r.same_a);
	free(r.same_b);
	side_close(&a);
	side_close(&b);
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
	  .flags = VERB_PATH_OPERANDS | VERB_OPERAND_FIRST,
	  .check = diff_check,
	  .run = diff_run,
	  .render = &(const struct render){ .text = diff_text } },
	{ .name = NULL },
};

const struct object obj_diff = {
	"diff", "what changed between two snapshots (trees, bundles, live)",
	diff_verbs, NULL
};
