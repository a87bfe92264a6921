// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl diff: what changed between two snapshots of the IOMMU world
 * (after a BIOS or kernel update): the kernel, IOMMU units and their
 * capability registers, IOMMU groups matched by their members, devices,
 * reserved regions and MSI. Each side has its own library context.
 *
 * One emitter: every change kind has a function that fills its JSON
 * object, and the table prints one line per change from that object.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "builtin.h"
#include "diff.h"

/* ---- matching groups by their members (pure, unit-tested) ------------ */

const char *diff_group_kind_name(enum diff_group_kind k)
{
	static const char *const names[] = {
		[DIFF_GROUP_SAME] = "same",	[DIFF_GROUP_NEW] = "new",
		[DIFF_GROUP_GONE] = "gone",	[DIFF_GROUP_SPLIT] = "split",
		[DIFF_GROUP_MERGED] = "merged", [DIFF_GROUP_MOVED] = "moved",
		[DIFF_GROUP_PAIRED] = "paired",
	};

	return (unsigned int)k < sizeof(names) / sizeof(names[0]) ? names[k] :
								    "?";
}

struct member_entry {
	const char *name;
	int side; /* 0: A, 1: B */
	size_t grp;
};

static int member_entry_cmp(const void *x, const void *y)
{
	const struct member_entry *p = x, *q = y;
	int r = strcmp(p->name, q->name);

	if (r)
		return r;
	if (p->side != q->side)
		return p->side - q->side;
	return p->grp < q->grp ? -1 : p->grp > q->grp;
}

/* A device grouped on both sides, in name order. */
struct common_dev {
	const char *name;
	size_t a, b;
};

struct group_pair {
	size_t a, b;
	size_t count; /* common devices the two share */
	size_t uni; /* common devices in either */
};

static int pair_ab_cmp(const void *x, const void *y)
{
	const struct common_dev *p = x, *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return p->b < q->b ? -1 : p->b > q->b;
}

/* Most shared first, then the closer pair (count/union), then by index. */
static int pair_rank_cmp(const void *x, const void *y)
{
	const struct group_pair *p = x, *q = y;
	unsigned long long l, r;

	if (p->count != q->count)
		return p->count > q->count ? -1 : 1;
	l = (unsigned long long)p->count * q->uni;
	r = (unsigned long long)q->count * p->uni;
	if (l != r)
		return l > r ? -1 : 1;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return p->b < q->b ? -1 : p->b > q->b;
}

struct keyed_change {
	size_t comp, sub;
	struct diff_group_change c;
};

static int keyed_cmp(const void *x, const void *y)
{
	const struct keyed_change *p = x, *q = y;

	if (p->comp != q->comp)
		return p->comp < q->comp ? -1 : 1;
	return p->sub < q->sub ? -1 : p->sub > q->sub;
}

static size_t uf_find(size_t *parent, size_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

static size_t *index_dup(const size_t *v, size_t n)
{
	size_t *d = malloc((n ? n : 1) * sizeof(*d));

	if (d && n)
		memcpy(d, v, n * sizeof(*d));
	return d;
}

void diff_group_changes_free(struct diff_group_change *c, size_t n)
{
	size_t i;

	for (i = 0; c && i < n; i++) {
		free(c[i].a);
		free(c[i].b);
	}
	free(c);
}

#define NONE ((size_t)-1)

int diff_match_groups(const struct diff_group *a, size_t na,
		      const struct diff_group *b, size_t nb,
		      struct diff_group_change **out, size_t *nout)
{
	size_t nodes = na + nb, nent = 0, ncommon = 0, npairs = 0, ncomp = 0;
	size_t i, j, k, nev = 0;
	struct member_entry *ent = NULL;
	struct common_dev *common = NULL, *byab = NULL;
	struct group_pair *pairs = NULL;
	struct keyed_change *ev = NULL;
	size_t *parent = NULL, *comp = NULL, *ca = NULL, *cb = NULL;
	size_t *sa = NULL, *sb = NULL, *match = NULL, *cstart_a = NULL;
	size_t *cstart_b = NULL, *lista = NULL, *listb = NULL, *fill = NULL;
	unsigned char *taken = NULL;
	int rc = -ENOMEM;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < na; i++)
		nent += a[i].n;
	for (i = 0; i < nb; i++)
		nent += b[i].n;
	ent = calloc(nent ? nent : 1, sizeof(*ent));
	common = calloc(nent ? nent : 1, sizeof(*common));
	parent = calloc(nodes ? nodes : 1, sizeof(*parent));
	comp = calloc(nodes ? nodes : 1, sizeof(*comp));
	sa = calloc(na ? na : 1, sizeof(*sa));
	sb = calloc(nb ? nb : 1, sizeof(*sb));
	match = calloc(na ? na : 1, sizeof(*match));
	taken = calloc(nb ? nb : 1, 1);
	if (!ent || !common || !parent || !comp || !sa || !sb || !match ||
	    !taken)
		goto out;

	/* devices grouped on both sides link their A and B groups */
	nent = 0;
	for (i = 0; i < na; i++)
		for (j = 0; j < a[i].n; j++)
			ent[nent++] =
				(struct member_entry){ a[i].members[j], 0, i };
	for (i = 0; i < nb; i++)
		for (j = 0; j < b[i].n; j++)
			ent[nent++] =
				(struct member_entry){ b[i].members[j], 1, i };
	if (nent)
		qsort(ent, nent, sizeof(*ent), member_entry_cmp);
	for (i = 0; i < nodes; i++)
		parent[i] = i;
	for (i = 0; i < nent; i = j) {
		size_t ga = NONE, gb = NONE;

		for (j = i; j < nent && !strcmp(ent[j].name, ent[i].name);
		     j++) {
			if (ent[j].side == 0 && ga == NONE)
				ga = ent[j].grp;
			if (ent[j].side == 1 && gb == NONE)
				gb = ent[j].grp;
		}
		if (ga == NONE || gb == NONE)
			continue;
		common[ncommon++] = (struct common_dev){ ent[i].name, ga, gb };
		sa[ga]++;
		sb[gb]++;
		ga = uf_find(parent, ga);
		gb = uf_find(parent, na + gb);
		if (ga != gb)
			parent[ga > gb ? ga : gb] = ga < gb ? ga : gb;
	}

	/* connected sets, numbered by their first group (A before B) */
	for (i = 0; i < nodes; i++)
		comp[i] = NONE;
	for (i = 0; i < nodes; i++) {
		size_t r = uf_find(parent, i);

		if (comp[r] == NONE)
			comp[r] = ncomp++;
		comp[i] = comp[r];
	}
	ca = calloc(ncomp + 1, sizeof(*ca));
	cb = calloc(ncomp + 1, sizeof(*cb));
	cstart_a = calloc(ncomp + 1, sizeof(*cstart_a));
	cstart_b = calloc(ncomp + 1, sizeof(*cstart_b));
	fill = calloc(ncomp + 1, sizeof(*fill));
	lista = calloc(na ? na : 1, sizeof(*lista));
	listb = calloc(nb ? nb : 1, sizeof(*listb));
	ev = calloc(ncomp + na + ncommon + 1, sizeof(*ev));
	if (!ca || !cb || !cstart_a || !cstart_b || !fill || !lista || !listb ||
	    !ev)
		goto out;
	for (i = 0; i < na; i++)
		ca[comp[i]]++;
	for (i = 0; i < nb; i++)
		cb[comp[na + i]]++;
	for (k = 1; k <= ncomp; k++) {
		cstart_a[k] = cstart_a[k - 1] + ca[k - 1];
		cstart_b[k] = cstart_b[k - 1] + cb[k - 1];
	}
	for (i = 0; i < na; i++)
		lista[cstart_a[comp[i]] + fill[comp[i]]++] = i;
	memset(fill, 0, (ncomp + 1) * sizeof(*fill));
	for (i = 0; i < nb; i++)
		listb[cstart_b[comp[na + i]] + fill[comp[na + i]]++] = i;

	for (k = 0; k < ncomp; k++) {
		struct diff_group_change *c = &ev[nev].c;

		if (ca[k] > 1 && cb[k] > 1)
			continue; /* moved devices, below */
		if (ca[k] == 1 && cb[k] == 1)
			c->kind = DIFF_GROUP_SAME;
		else if (ca[k] == 0)
			c->kind = DIFF_GROUP_NEW;
		else if (cb[k] == 0)
			c->kind = DIFF_GROUP_GONE;
		else if (ca[k] == 1)
			c->kind = DIFF_GROUP_SPLIT;
		else
			c->kind = DIFF_GROUP_MERGED;
		ev[nev].comp = k;
		ev[nev].sub = 0;
		nev++;
		c->a = index_dup(lista + cstart_a[k], ca[k]);
		c->na = ca[k];
		c->b = index_dup(listb + cstart_b[k], cb[k]);
		c->nb = cb[k];
		if (!c->a || !c->b)
			goto out;
	}

	/* the rest: match A and B groups greedily, then name who moved */
	byab = calloc(ncommon ? ncommon : 1, sizeof(*byab));
	pairs = calloc(ncommon ? ncommon : 1, sizeof(*pairs));
	if (!byab || !pairs)
		goto out;
	for (i = 0; i < ncommon; i++)
		if (ca[comp[common[i].a]] > 1 && cb[comp[common[i].a]] > 1)
			byab[npairs++] = common[i];
	if (npairs)
		qsort(byab, npairs, sizeof(*byab), pair_ab_cmp);
	for (i = 0, k = 0; i < npairs; i = j) {
		for (j = i; j < npairs && byab[j].a == byab[i].a &&
			    byab[j].b == byab[i].b;
		     j++)
			;
		pairs[k].a = byab[i].a;
		pairs[k].b = byab[i].b;
		pairs[k].count = j - i;
		pairs[k].uni = sa[byab[i].a] + sb[byab[i].b] - (j - i);
		k++;
	}
	npairs = k;
	if (npairs)
		qsort(pairs, npairs, sizeof(*pairs), pair_rank_cmp);
	for (i = 0; i < na; i++)
		match[i] = NONE;
	for (i = 0; i < npairs; i++) {
		struct diff_group_change *c = &ev[nev].c;

		if (match[pairs[i].a] != NONE || taken[pairs[i].b])
			continue;
		match[pairs[i].a] = pairs[i].b;
		taken[pairs[i].b] = 1;
		c->kind = DIFF_GROUP_PAIRED;
		ev[nev].comp = comp[pairs[i].a];
		ev[nev].sub = pairs[i].a; /* before the moves: below na */
		nev++;
		c->a = index_dup(&pairs[i].a, 1);
		c->na = 1;
		c->b = index_dup(&pairs[i].b, 1);
		c->nb = 1;
		if (!c->a || !c->b)
			goto out;
	}
	for (i = 0; i < ncommon; i++) {
		struct diff_group_change *c = &ev[nev].c;

		k = comp[common[i].a];
		if (ca[k] < 2 || cb[k] < 2 || match[common[i].a] == common[i].b)
			continue;
		c->kind = DIFF_GROUP_MOVED;
		c->device = common[i].name;
		ev[nev].comp = k;
		ev[nev].sub = na + i;
		nev++;
		c->a = index_dup(&common[i].a, 1);
		c->na = 1;
		c->b = index_dup(&common[i].b, 1);
		c->nb = 1;
		if (!c->a || !c->b)
			goto out;
	}

	if (nev)
		qsort(ev, nev, sizeof(*ev), keyed_cmp);
	*out = calloc(nev ? nev : 1, sizeof(**out));
	if (!*out)
		goto out;
	for (i = 0; i < nev; i++) {
		(*out)[i] = ev[i].c;
		ev[i].c.a = ev[i].c.b = NULL;
	}
	*nout = nev;
	rc = 0;
out:
	for (i = 0; ev && i < nev; i++) {
		free(ev[i].c.a);
		free(ev[i].c.b);
	}
	free(ev);
	free(ent);
	free(common);
	free(byab);
	free(pairs);
	free(parent);
	free(comp);
	free(ca);
	free(cb);
	free(sa);
	free(sb);
	free(match);
	free(taken);
	free(cstart_a);
	free(cstart_b);
	free(fill);
	free(lista);
	free(listb);
	return rc;
}

/* ---- the two sides ------------------------------------------------------ */

struct side {
	const char *label; /* "A" or "B" */
	const char *arg; /* the operand as given */
	const char *root; /* "/" for the running system */
	struct iommuctl_ctx *ctx;
	struct iommuctl_status *st;
	struct diff_group *groups;
	struct iommuctl_group **g;
	size_t ngroups;
	const char **names; /* every group's members, sorted per group */
	struct iommuctl_msi_state msi;
};

/* Library diagnostics name the side they come from. */
static void side_log(struct iommuctl_ctx *ctx, int priority, const char *file,
		     int line, const char *fn, const char *format, va_list args)
{
	struct side *s = iommuctl_get_userdata(ctx);

	(void)file;
	(void)line;
	fprintf(stderr, "iommuctl: diff: %s %s: %s%s", s ? s->label : "?",
		s ? s->arg : "?", priority >= LOG_DEBUG ? fn : "",
		priority >= LOG_DEBUG ? ": " : "");
	vfprintf(stderr, format, args);
}

static int name_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static bool is_live(const char *arg)
{
	return !strcmp(arg, "live") || !strcmp(arg, "/");
}

static int side_open(struct cmdctx *c, struct side *s)
{
	struct iommuctl_group *g;
	struct iommuctl_device *d;
	size_t n = 0, total = 0;
	int rc;

	s->root = is_live(s->arg) ? "/" : s->arg;
	rc = iommuctl_new(&s->ctx);
	if (rc < 0)
		return cmd_error(c, EXIT_FAILED, rc,
				 "%s %s: creating a library context", s->label,
				 s->arg);
	iommuctl_set_userdata(s->ctx, s);
	iommuctl_set_log_fn(s->ctx, side_log);
	iommuctl_set_log_priority(s->ctx, iommuctl_get_log_priority(c->ctx));
	if (!is_live(s->arg)) {
		rc = iommuctl_set_root(s->ctx, s->arg);
		if (rc < 0)
			return cmd_error(c, EXIT_FAILED, rc, "%s %s", s->label,
					 s->arg);
	}
	if (!iommuctl_get_kernel_release(s->ctx) &&
	    !iommuctl_device_get_first(s->ctx))
		return cmd_error_on(
			c, "diff", EXIT_FAILED, ENOENT,
			"%s %s: neither a captured tree nor a report bundle (no /proc/version, no devices)",
			s->label, s->arg);
	rc = iommuctl_status_new(s->ctx, &s->st);
	if (rc < 0)
		return cmd_error(c, EXIT_FAILED, rc,
				 "%s %s: reading the system state", s->label,
				 s->arg);
	iommuctl_msi_state(s->ctx, &s->msi);

	iommuctl_group_foreach(s->ctx, g) {
		n++;
		total += iommuctl_group_get_num_devices(g);
	}
	s->groups = calloc(n ? n : 1, sizeof(*s->groups));
	s->g = calloc(n ? n : 1, sizeof(*s->g));
	s->names = calloc(total ? total : 1, sizeof(*s->names));
	if (!s->groups || !s->g || !s->names)
		return cmd_error(c, EXIT_FAILED, ENOMEM, "%s %s", s->label,
				 s->arg);
	total = 0;
	iommuctl_group_foreach(s->ctx, g) {
		struct diff_group *dg = &s->groups[s->ngroups];

		dg->id = iommuctl_group_get_id(g);
		dg->members = s->names + total;
		iommuctl_group_device_foreach(g, d)
			s->names[total + dg->n++] = iommuctl_device_get_name(d);
		qsort(s->names + total, dg->n, sizeof(*s->names), name_cmp);
		total += dg->n;
		s->g[s->ngroups++] = g;
	}
	return -1;
}

static void side_close(struct side *s)
{
	if (s->st)
		iommuctl_status_free(s->st);
	if (s->ctx)
		iommuctl_unref(s->ctx);
	free(s->groups);
	free(s->g);
	free(s->names);
}

/* ---- emitters: one per change kind -------------------------------------- */

static struct json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static bool str_differ(const char *x, const char *y)
{
	if (!x || !y)
		return x != y;
	return strcmp(x, y) != 0;
}

static struct json_object *add_change(struct json_object *changes,
				      const char *kind)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "kind", json_object_new_string(kind));
	json_object_array_add(changes, o);
	return o;
}

/* {"group": N, "members": [...], "type": "DMA"} */
static struct json_object *group_obj(const struct side *s, size_t i)
{
	struct json_object *o = json_object_new_object();
	const struct diff_group *g = &s->groups[i];

	json_object_object_add(o, "group", json_object_new_int64(g->id));
	json_object_object_add(o, "members",
			       json_strv(g->members, (unsigned int)g->n));
	json_object_object_add(o, "type",
			       str_or_null(iommuctl_group_get_type(s->g[i])));
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

static void emit_kernel_release(struct json_object *ch, const char *a,
				const char *b)
{
	struct json_object *o = add_change(ch, "kernel-release-changed");

	json_object_object_add(o, "a", str_or_null(a));
	json_object_object_add(o, "b", str_or_null(b));
}

static bool strv_has(const char *const *v, unsigned int n, const char *s)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

static void emit_kernel_cmdline(struct json_object *ch, const char *const *a,
				unsigned int na, const char *const *b,
				unsigned int nb)
{
	struct json_object *o, *added, *removed;
	unsigned int i;

	added = json_object_new_array();
	removed = json_object_new_array();
	for (i = 0; i < nb; i++)
		if (!strv_has(a, na, b[i]) && !strv_has(b, i, b[i]))
			json_object_array_add(added,
					      json_object_new_string(b[i]));
	for (i = 0; i < na; i++)
		if (!strv_has(b, nb, a[i]) && !strv_has(a, i, a[i]))
			json_object_array_add(removed,
					      json_object_new_string(a[i]));
	if (!json_object_array_length(added) &&
	    !json_object_array_length(removed)) {
		json_object_put(added);
		json_object_put(removed);
		return;
	}
	o = add_change(ch, "kernel-cmdline-changed");
	json_object_object_add(o, "a", json_strv(a, na));
	json_object_object_add(o, "b", json_strv(b, nb));
	json_object_object_add(o, "added", added);
	json_object_object_add(o, "removed", removed);
}

static struct json_object *unit_obj(struct iommuctl_iommu *it)
{
	struct json_object *o = json_object_new_object();
	uint64_t addr;

	json_object_object_add(
		o, "name", json_object_new_string(iommuctl_iommu_get_name(it)));
	json_object_object_add(o, "kind",
			       json_object_new_string(iommuctl_iommu_kind_name(
				       iommuctl_iommu_get_kind(it))));
	json_object_object_add(o, "driver",
			       str_or_null(iommuctl_iommu_get_driver(it)));
	json_object_object_add(o, "address",
			       iommuctl_iommu_get_address(it, &addr) == 0 ?
				       json_hex(addr) :
				       NULL);
	return o;
}

static void emit_iommu_added(struct json_object *ch, struct iommuctl_iommu *b)
{
	json_object_object_add(add_change(ch, "iommu-added"), "b", unit_obj(b));
}

static void emit_iommu_removed(struct json_object *ch, struct iommuctl_iommu *a)
{
	json_object_object_add(add_change(ch, "iommu-removed"), "a",
			       unit_obj(a));
}

static void emit_iommu_renamed(struct json_object *ch, struct iommuctl_iommu *a,
			       struct iommuctl_iommu *b)
{
	struct json_object *o = add_change(ch, "iommu-renamed");

	json_object_object_add(o, "a", unit_obj(a));
	json_object_object_add(o, "b", unit_obj(b));
}

static struct json_object *unit_pair(struct json_object *ch, const char *kind,
				     struct iommuctl_iommu *a,
				     struct iommuctl_iommu *b)
{
	struct json_object *o = add_change(ch, kind);

	json_object_object_add(
		o, "a_unit",
		json_object_new_string(iommuctl_iommu_get_name(a)));
	json_object_object_add(
		o, "b_unit",
		json_object_new_string(iommuctl_iommu_get_name(b)));
	return o;
}

static void emit_iommu_address(struct json_object *ch, struct iommuctl_iommu *a,
			       struct iommuctl_iommu *b)
{
	struct json_object *o = unit_pair(ch, "iommu-address-changed", a, b);
	uint64_t v;

	json_object_object_add(
		o, "a",
		iommuctl_iommu_get_address(a, &v) == 0 ? json_hex(v) : NULL);
	json_object_object_add(
		o, "b",
		iommuctl_iommu_get_address(b, &v) == 0 ? json_hex(v) : NULL);
}

/* A register value as iommu show prints it: "0x..." (@width hex digits). */
static struct json_object *reg_json(bool have, uint64_t v, int width)
{
	char buf[24];

	if (!have)
		return NULL;
	if (!width)
		return json_hex(v);
	snprintf(buf, sizeof(buf), "0x%0*" PRIx64, width, v);
	return json_object_new_string(buf);
}

static void emit_iommu_register(struct json_object *ch,
				struct iommuctl_iommu *a,
				struct iommuctl_iommu *b, const char *reg,
				struct json_object *va, struct json_object *vb)
{
	struct json_object *o = unit_pair(ch, "iommu-register-changed", a, b);

	json_object_object_add(o, "register", json_object_new_string(reg));
	json_object_object_add(o, "a", va);
	json_object_object_add(o, "b", vb);
}

static void emit_iommu_field(struct json_object *ch, struct iommuctl_iommu *a,
			     struct iommuctl_iommu *b, const char *reg,
			     const struct iommuctl_regfield *f, uint64_t va,
			     uint64_t vb)
{
	struct json_object *o = unit_pair(ch, "iommu-field-changed", a, b);

	json_object_object_add(o, "register", json_object_new_string(reg));
	json_object_object_add(o, "field", json_object_new_string(f->key));
	json_object_object_add(o, "name", json_object_new_string(f->name));
	json_object_object_add(o, "description",
			       json_object_new_string(f->desc));
	json_object_object_add(o, "a", json_object_new_uint64(va));
	json_object_object_add(o, "b", json_object_new_uint64(vb));
}

static void emit_group_new(struct json_object *ch, const struct side *b,
			   size_t bi)
{
	json_object_object_add(add_change(ch, "group-new"), "b",
			       group_obj(b, bi));
}

static void emit_group_gone(struct json_object *ch, const struct side *a,
			    size_t ai)
{
	json_object_object_add(add_change(ch, "group-gone"), "a",
			       group_obj(a, ai));
}

static void emit_group_split(struct json_object *ch, const struct side *a,
			     size_t ai, const struct side *b, const size_t *bi,
			     size_t nb)
{
	struct json_object *o = add_change(ch, "group-split");

	json_object_object_add(o, "a", group_obj(a, ai));
	json_object_object_add(o, "b", group_list(b, bi, nb));
}

static void emit_group_merged(struct json_object *ch, const struct side *a,
			      const size_t *ai, size_t na, const struct side *b,
			      size_t bi)
{
	struct json_object *o = add_change(ch, "group-merged");

	json_object_object_add(o, "a", group_list(a, ai, na));
	json_object_object_add(o, "b", group_obj(b, bi));
}

static void emit_device_moved(struct json_object *ch, const char *dev,
			      const struct side *a, size_t ai,
			      const struct side *b, size_t bi)
{
	struct json_object *o = add_change(ch, "device-moved");

	json_object_object_add(o, "device", json_object_new_string(dev));
	json_object_object_add(o, "a", group_obj(a, ai));
	json_object_object_add(o, "b", group_obj(b, bi));
}

/* Members of one sorted list missing from the other. */
static struct json_object *members_minus(const struct diff_group *x,
					 const struct diff_group *y)
{
	struct json_object *r = json_object_new_array();
	size_t i;

	for (i = 0; i < x->n; i++)
		if (!bsearch(&x->members[i], y->members, y->n,
			     sizeof(*y->members), name_cmp))
			json_object_array_add(
				r, json_object_new_string(x->members[i]));
	return r;
}

static bool group_members_equal(const struct diff_group *x,
				const struct diff_group *y)
{
	size_t i;

	if (x->n != y->n)
		return false;
	for (i = 0; i < x->n; i++)
		if (strcmp(x->members[i], y->members[i]))
			return false;
	return true;
}

static void emit_group_members(struct json_object *ch, const struct side *a,
			       size_t ai, const struct side *b, size_t bi)
{
	struct json_object *o = add_change(ch, "group-members-changed");

	json_object_object_add(o, "a", group_obj(a, ai));
	json_object_object_add(o, "b", group_obj(b, bi));
	json_object_object_add(o, "joined",
			       members_minus(&b->groups[bi], &a->groups[ai]));
	json_object_object_add(o, "left",
			       members_minus(&a->groups[ai], &b->groups[bi]));
}

static void emit_group_type(struct json_object *ch, const struct side *a,
			    size_t ai, const struct side *b, size_t bi)
{
	struct json_object *o = add_change(ch, "group-type-changed");

	json_object_object_add(o, "a", group_obj(a, ai));
	json_object_object_add(o, "b", group_obj(b, bi));
}

static struct json_object *device_obj(struct iommuctl_device *d)
{
	struct json_object *o = json_object_new_object();
	int g = iommuctl_device_get_group_id(d);

	json_object_object_add(
		o, "name", json_object_new_string(iommuctl_device_get_name(d)));
	json_object_object_add(o, "driver",
			       str_or_null(iommuctl_device_get_driver(d)));
	json_object_object_add(o, "iommu",
			       str_or_null(iommuctl_device_get_iommu(d)));
	json_object_object_add(o, "group",
			       g >= 0 ? json_object_new_int(g) : NULL);
	return o;
}

static void emit_device_added(struct json_object *ch, struct iommuctl_device *b)
{
	struct json_object *o = add_change(ch, "device-added");

	json_object_object_add(
		o, "device",
		json_object_new_string(iommuctl_device_get_name(b)));
	json_object_object_add(o, "b", device_obj(b));
}

static void emit_device_removed(struct json_object *ch,
				struct iommuctl_device *a)
{
	struct json_object *o = add_change(ch, "device-removed");

	json_object_object_add(
		o, "device",
		json_object_new_string(iommuctl_device_get_name(a)));
	json_object_object_add(o, "a", device_obj(a));
}

/* device-driver-changed, device-iommu-changed: {"device", "a", "b"} */
static void emit_device_value(struct json_object *ch, const char *kind,
			      const char *dev, const char *a, const char *b)
{
	struct json_object *o = add_change(ch, kind);

	json_object_object_add(o, "device", json_object_new_string(dev));
	json_object_object_add(o, "a", str_or_null(a));
	json_object_object_add(o, "b", str_or_null(b));
}

/* resv-added, resv-removed: the group on both sides and the region */
static void emit_resv_region(struct json_object *ch, const char *kind,
			     const struct side *a, size_t ai,
			     const struct side *b, size_t bi,
			     const struct iommuctl_resv_region *r)
{
	struct json_object *o = add_change(ch, kind);

	json_object_object_add(o, "a_group", group_obj(a, ai));
	json_object_object_add(o, "b_group", group_obj(b, bi));
	json_object_object_add(o, "region", region_to_json(r));
}

static void emit_resv_type(struct json_object *ch, const struct side *a,
			   size_t ai, const struct side *b, size_t bi,
			   const struct iommuctl_resv_region *ra,
			   const struct iommuctl_resv_region *rb)
{
	struct json_object *o = add_change(ch, "resv-type-changed");

	json_object_object_add(o, "a_group", group_obj(a, ai));
	json_object_object_add(o, "b_group", group_obj(b, bi));
	json_object_object_add(o, "a", region_to_json(ra));
	json_object_object_add(o, "b", region_to_json(rb));
}

/* resv-merged-added, resv-merged-removed: {"region"} */
static void emit_resv_merged(struct json_object *ch, const char *kind,
			     const struct iommuctl_resv_region *r)
{
	json_object_object_add(add_change(ch, kind), "region",
			       region_to_json(r));
}

static void emit_resv_merged_type(struct json_object *ch,
				  const struct iommuctl_resv_region *ra,
				  const struct iommuctl_resv_region *rb)
{
	struct json_object *o = add_change(ch, "resv-merged-type-changed");

	json_object_object_add(o, "a", region_to_json(ra));
	json_object_object_add(o, "b", region_to_json(rb));
}

static void emit_msi_remapping(struct json_object *ch,
			       enum iommuctl_irq_remap a,
			       enum iommuctl_irq_remap b)
{
	struct json_object *o = add_change(ch, "msi-remapping-changed");

	json_object_object_add(
		o, "a", json_object_new_string(iommuctl_irq_remap_name(a)));
	json_object_object_add(
		o, "b", json_object_new_string(iommuctl_irq_remap_name(b)));
}

static void emit_msi_window(struct json_object *ch, const struct side *a,
			    size_t ai, const char *wa, const struct side *b,
			    size_t bi, const char *wb)
{
	struct json_object *o = add_change(ch, "msi-window-changed");

	json_object_object_add(o, "a_group", group_obj(a, ai));
	json_object_object_add(o, "b_group", group_obj(b, bi));
	json_object_object_add(o, "a", json_object_new_string(wa));
	json_object_object_add(o, "b", json_object_new_string(wb));
}

/* ---- comparing ---------------------------------------------------------- */

struct unit_match {
	struct iommuctl_iommu *a, *b;
};

struct diffrun {
	struct side *a, *b;
	struct json_object *ch;
	struct unit_match *units; /* matched pairs */
	size_t nunits;
	size_t *same_a, *same_b; /* groups matched one to one, or paired */
	size_t nsame;
};

static void diff_kernel(struct diffrun *r)
{
	const char *ka = iommuctl_status_get_kernel(r->a->st);
	const char *kb = iommuctl_status_get_kernel(r->b->st);
	const char *const *va, *const *vb;
	unsigned int na, nb;

	if (str_differ(ka, kb))
		emit_kernel_release(r->ch, ka, kb);
	va = iommuctl_status_get_cmdline(r->a->st, &na);
	vb = iommuctl_status_get_cmdline(r->b->st, &nb);
	emit_kernel_cmdline(r->ch, va, na, vb, nb);
}

static void
diff_fields(struct diffrun *r, struct iommuctl_iommu *a,
	    struct iommuctl_iommu *b, const char *reg, bool ha, uint64_t va,
	    bool hb, uint64_t vb, int width,
	    const struct iommuctl_regfield *(*table)(unsigned int *))
{
	const struct iommuctl_regfield *f;
	unsigned int i, n;

	if (ha == hb && (!ha || va == vb))
		return;
	emit_iommu_register(r->ch, a, b, reg, reg_json(ha, va, width),
			    reg_json(hb, vb, width));
	if (!ha || !hb || !table)
		return;
	f = table(&n);
	for (i = 0; i < n; i++) {
		uint64_t fa = iommuctl_regfield_value(&f[i], va);
		uint64_t fb = iommuctl_regfield_value(&f[i], vb);

		if (fa != fb)
			emit_iommu_field(r->ch, a, b, reg, &f[i], fa, fb);
	}
}

static void diff_unit_regs(struct diffrun *r, struct iommuctl_iommu *a,
			   struct iommuctl_iommu *b)
{
	const char *fa = NULL, *fb = NULL, *order;
	uint64_t ca = 0, ea = 0, cb = 0, eb = 0, efr2a = 0, efr2b = 0;
	uint32_t ha32 = 0, hb32 = 0;
	bool ha, hb, pa, pb;

	ha = iommuctl_iommu_get_vtd_regs(a, &ca, &ea, NULL, NULL) == 0;
	hb = iommuctl_iommu_get_vtd_regs(b, &cb, &eb, NULL, NULL) == 0;
	if (ha || hb) {
		diff_fields(r, a, b, "cap", ha, ca, hb, cb, 0,
			    iommuctl_vtd_cap_fields);
		diff_fields(r, a, b, "ecap", ha, ea, hb, eb, 0,
			    iommuctl_vtd_ecap_fields);
	}
	ha = iommuctl_iommu_get_amd_regs(a, &ha32, &fa) == 0;
	hb = iommuctl_iommu_get_amd_regs(b, &hb32, &fb) == 0;
	if (!ha && !hb)
		return;
	diff_fields(r, a, b, "cap", ha, ha32, hb, hb32, 8, NULL);
	/* EFR/EFR2 as each side's kernel prints them */
	pa = fa &&
	     iommuctl_amd_parse_features(fa,
					 iommuctl_get_kernel_release(r->a->ctx),
					 &ea, &efr2a, &order) == 0;
	pb = fb &&
	     iommuctl_amd_parse_features(fb,
					 iommuctl_get_kernel_release(r->b->ctx),
					 &eb, &efr2b, &order) == 0;
	if (pa == pb) {
		diff_fields(r, a, b, "efr", pa, ea, pb, eb, 0,
			    iommuctl_amd_efr_fields);
		diff_fields(r, a, b, "efr2", pa, efr2a, pb, efr2b, 0,
			    iommuctl_amd_efr2_fields);
	}
	if ((!pa || !pb) && str_differ(fa, fb))
		emit_iommu_register(r->ch, a, b, "features", str_or_null(fa),
				    str_or_null(fb));
}

static bool unit_address(struct iommuctl_iommu *it, uint64_t *v)
{
	return iommuctl_iommu_get_address(it, v) == 0;
}

static int collect_units(struct iommuctl_ctx *ctx, struct iommuctl_iommu ***out,
			 size_t *n)
{
	struct iommuctl_iommu *it, **v;
	size_t k = 0;

	iommuctl_iommu_foreach(ctx, it)
		k++;
	v = calloc(k ? k : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	*n = 0;
	iommuctl_iommu_foreach(ctx, it)
		v[(*n)++] = it;
	*out = v;
	return 0;
}

/*
 * Units are matched by register base first (same kind, same address: a
 * VT-d DRHD keeps its base when the kernel numbers the units differently),
 * then by name and kind.
 */
static int diff_units(struct diffrun *r)
{
	struct iommuctl_iommu **ua = NULL, **ub = NULL;
	size_t na = 0, nb = 0, i, j, *m = NULL;
	unsigned char *taken = NULL;
	uint64_t x, y;
	int rc = -ENOMEM;

	if (collect_units(r->a->ctx, &ua, &na) < 0 ||
	    collect_units(r->b->ctx, &ub, &nb) < 0)
		goto out;
	m = calloc(na ? na : 1, sizeof(*m));
	taken = calloc(nb ? nb : 1, 1);
	r->units = calloc(na ? na : 1, sizeof(*r->units));
	if (!m || !taken || !r->units)
		goto out;
	for (i = 0; i < na; i++) {
		m[i] = NONE;
		if (!unit_address(ua[i], &x))
			continue;
		for (j = 0; j < nb; j++)
			if (!taken[j] && unit_address(ub[j], &y) && x == y &&
			    iommuctl_iommu_get_kind(ua[i]) ==
				    iommuctl_iommu_get_kind(ub[j]))
				break;
		if (j < nb) {
			m[i] = j;
			taken[j] = 1;
		}
	}
	for (i = 0; i < na; i++) {
		if (m[i] != NONE)
			continue;
		for (j = 0; j < nb; j++)
			if (!taken[j] &&
			    !strcmp(iommuctl_iommu_get_name(ua[i]),
				    iommuctl_iommu_get_name(ub[j])) &&
			    iommuctl_iommu_get_kind(ua[i]) ==
				    iommuctl_iommu_get_kind(ub[j]))
				break;
		if (j < nb) {
			m[i] = j;
			taken[j] = 1;
		}
	}
	for (i = 0; i < na; i++) {
		struct iommuctl_iommu *a = ua[i], *b;
		bool hx, hy;

		if (m[i] == NONE) {
			emit_iommu_removed(r->ch, a);
			continue;
		}
		b = ub[m[i]];
		r->units[r->nunits++] = (struct unit_match){ a, b };
		if (strcmp(iommuctl_iommu_get_name(a),
			   iommuctl_iommu_get_name(b)))
			emit_iommu_renamed(r->ch, a, b);
		hx = unit_address(a, &x);
		hy = unit_address(b, &y);
		if (hx != hy || (hx && x != y))
			emit_iommu_address(r->ch, a, b);
		diff_unit_regs(r, a, b);
	}
	for (j = 0; j < nb; j++)
		if (!taken[j])
			emit_iommu_added(r->ch, ub[j]);
	rc = 0;
out:
	free(ua);
	free(ub);
	free(m);
	free(taken);
	return rc;
}

static int diff_groups(struct diffrun *r)
{
	struct diff_group_change *gc;
	struct side *a = r->a, *b = r->b;
	size_t n, i;
	int rc;

	rc = diff_match_groups(a->groups, a->ngroups, b->groups, b->ngroups,
			       &gc, &n);
	if (rc < 0)
		return rc;
	r->same_a = calloc(n ? n : 1, sizeof(*r->same_a));
	r->same_b = calloc(n ? n : 1, sizeof(*r->same_b));
	if (!r->same_a || !r->same_b) {
		diff_group_changes_free(gc, n);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		const struct diff_group_change *c = &gc[i];

		switch (c->kind) {
		case DIFF_GROUP_SAME:
		case DIFF_GROUP_PAIRED:
			r->same_a[r->nsame] = c->a[0];
			r->same_b[r->nsame++] = c->b[0];
			/* PAIRED: the moved devices say what changed */
			if (c->kind == DIFF_GROUP_SAME &&
			    !group_members_equal(&a->groups[c->a[0]],
						 &b->groups[c->b[0]]))
				emit_group_members(r->ch, a, c->a[0], b,
						   c->b[0]);
			if (str_differ(iommuctl_group_get_type(a->g[c->a[0]]),
				       iommuctl_group_get_type(b->g[c->b[0]])))
				emit_group_type(r->ch, a, c->a[0], b, c->b[0]);
			break;
		case DIFF_GROUP_NEW:
			emit_group_new(r->ch, b, c->b[0]);
			break;
		case DIFF_GROUP_GONE:
			emit_group_gone(r->ch, a, c->a[0]);
			break;
		case DIFF_GROUP_SPLIT:
			emit_group_split(r->ch, a, c->a[0], b, c->b, c->nb);
			break;
		case DIFF_GROUP_MERGED:
			emit_group_merged(r->ch, a, c->a, c->na, b, c->b[0]);
			break;
		case DIFF_GROUP_MOVED:
			emit_device_moved(r->ch, c->device, a, c->a[0], b,
					  c->b[0]);
			break;
		}
	}
	diff_group_changes_free(gc, n);
	return 0;
}

/* The B unit an A unit was matched with, or NULL. */
static const char *unit_in_b(struct diffrun *r, const char *aname)
{
	size_t i;

	for (i = 0; aname && i < r->nunits; i++)
		if (!strcmp(iommuctl_iommu_get_name(r->units[i].a), aname))
			return iommuctl_iommu_get_name(r->units[i].b);
	return aname;
}

static void diff_devices(struct diffrun *r)
{
	struct iommuctl_device *d, *e;

	iommuctl_device_foreach(r->a->ctx, d)
	{
		const char *name = iommuctl_device_get_name(d);
		const char *ia, *ib;

		e = iommuctl_device_get_by_name(r->b->ctx, name);
		if (!e) {
			emit_device_removed(r->ch, d);
			continue;
		}
		if (str_differ(iommuctl_device_get_driver(d),
			       iommuctl_device_get_driver(e)))
			emit_device_value(r->ch, "device-driver-changed", name,
					  iommuctl_device_get_driver(d),
					  iommuctl_device_get_driver(e));
		ia = iommuctl_device_get_iommu(d);
		ib = iommuctl_device_get_iommu(e);
		/* a renamed unit (same register base) is the same unit */
		if (str_differ(unit_in_b(r, ia), ib))
			emit_device_value(r->ch, "device-iommu-changed", name,
					  ia, ib);
	}
	iommuctl_device_foreach(
		r->b->ctx,
		e) if (!iommuctl_device_get_by_name(r->a->ctx,
						    iommuctl_device_get_name(e)))
		emit_device_added(r->ch, e);
}

static const struct iommuctl_resv_region *
find_region(const struct iommuctl_resv_region *v, size_t n,
	    const struct iommuctl_resv_region *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].start == key->start && v[i].end == key->end)
			return &v[i];
	return NULL;
}

static bool region_type_differs(const struct iommuctl_resv_region *x,
				const struct iommuctl_resv_region *y)
{
	unsigned int tx = x->types ? x->types : 1u << x->type;
	unsigned int ty = y->types ? y->types : 1u << y->type;

	return x->type != y->type || tx != ty;
}

static int merged_regions(struct side *s, struct iommuctl_resv_region **out,
			  size_t *nout)
{
	struct iommuctl_resv_region *all = NULL, *nv;
	size_t nall = 0, i;
	int rc;

	for (i = 0; i < s->ngroups; i++) {
		const struct iommuctl_resv_region *r;
		size_t n;

		if (iommuctl_group_get_resv_regions(s->g[i], &r, &n) < 0 || !n)
			continue;
		nv = realloc(all, (nall + n) * sizeof(*all));
		if (!nv) {
			free(all);
			return -ENOMEM;
		}
		all = nv;
		memcpy(all + nall, r, n * sizeof(*r));
		nall += n;
	}
	rc = iommuctl_resv_merge(all, nall, out, nout);
	free(all);
	return rc;
}

static int diff_resv(struct diffrun *r)
{
	struct iommuctl_resv_region *ma = NULL, *mb = NULL;
	size_t nma = 0, nmb = 0, i, k;
	int rc;

	for (k = 0; k < r->nsame; k++) {
		const struct iommuctl_resv_region *ra, *rb, *o;
		size_t ai = r->same_a[k], bi = r->same_b[k], na, nb;

		if (iommuctl_group_get_resv_regions(r->a->g[ai], &ra, &na) <
			    0 ||
		    iommuctl_group_get_resv_regions(r->b->g[bi], &rb, &nb) < 0)
			continue;
		for (i = 0; i < na; i++) {
			o = find_region(rb, nb, &ra[i]);
			if (!o)
				emit_resv_region(r->ch, "resv-removed", r->a,
						 ai, r->b, bi, &ra[i]);
			else if (region_type_differs(&ra[i], o))
				emit_resv_type(r->ch, r->a, ai, r->b, bi,
					       &ra[i], o);
		}
		for (i = 0; i < nb; i++)
			if (!find_region(ra, na, &rb[i]))
				emit_resv_region(r->ch, "resv-added", r->a, ai,
						 r->b, bi, &rb[i]);
	}
	rc = merged_regions(r->a, &ma, &nma);
	if (!rc)
		rc = merged_regions(r->b, &mb, &nmb);
	if (rc < 0)
		goto out;
	for (i = 0; i < nma; i++) {
		const struct iommuctl_resv_region *o =
			find_region(mb, nmb, &ma[i]);

		if (!o)
			emit_resv_merged(r->ch, "resv-merged-removed", &ma[i]);
		else if (region_type_differs(&ma[i], o))
			emit_resv_merged_type(r->ch, &ma[i], o);
	}
	for (i = 0; i < nmb; i++)
		if (!find_region(ma, nma, &mb[i]))
			emit_resv_merged(r->ch, "resv-merged-added", &mb[i]);
out:
	free(ma);
	free(mb);
	return rc;
}

/* "hw", "sw", "hw+sw" or "none": the group's MSI windows; NULL unreadable. */
static const char *msi_window(struct side *s, size_t gi)
{
	const struct iommuctl_resv_region *rv;
	const char *unit = iommuctl_group_get_iommu(s->g[gi]);
	struct iommuctl_iommu *it =
		unit ? iommuctl_iommu_get_by_name(s->ctx, unit) : NULL;
	enum iommuctl_iommu_kind kind = it ? iommuctl_iommu_get_kind(it) :
					     IOMMUCTL_IOMMU_OTHER;
	bool hw = false, sw = false;
	size_t n, i;

	if (iommuctl_group_get_resv_regions(s->g[gi], &rv, &n) < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		if (rv[i].type != IOMMUCTL_RESV_MSI)
			continue;
		if (iommuctl_msi_classify(&rv[i], kind, NULL) ==
		    IOMMUCTL_MSI_HW)
			hw = true;
		else
			sw = true;
	}
	return hw && sw ? "hw+sw" : hw ? "hw" : sw ? "sw" : "none";
}

static void diff_msi(struct diffrun *r)
{
	size_t k;

	if (r->a->msi.remapping != r->b->msi.remapping)
		emit_msi_remapping(r->ch, r->a->msi.remapping,
				   r->b->msi.remapping);
	for (k = 0; k < r->nsame; k++) {
		const char *wa = msi_window(r->a, r->same_a[k]);
		const char *wb = msi_window(r->b, r->same_b[k]);

		if (wa && wb && strcmp(wa, wb))
			emit_msi_window(r->ch, r->a, r->same_a[k], wa, r->b,
					r->same_b[k], wb);
	}
}

/* ---- the table, printed from the JSON ------------------------------------ */

static const char *js(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return NULL;
	return json_object_get_string(v);
}

static struct json_object *jo(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static void print_words(FILE *f, struct json_object *a, const char *sep)
{
	size_t i, n = a ? json_object_array_length(a) : 0;

	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? sep : "",
			json_object_get_string(
				json_object_array_get_idx(a, i)));
}

/* "7 {0000:05:01.0 0000:05:02.0}" */
static void print_group(FILE *f, struct json_object *g)
{
	fprintf(f, "%s {", js(g, "group"));
	print_words(f, jo(g, "members"), " ");
	fputc('}', f);
}

/* "group 7 {...}", or "group 7 (now 9) {...}" when the number changed */
static void print_group_pair(FILE *f, struct json_object *a,
			     struct json_object *b)
{
	fprintf(f, "group %s", js(a, "group"));
	if (strcmp(js(a, "group"), js(b, "group")))
		fprintf(f, " (now %s)", js(b, "group"));
	fputs(" {", f);
	print_words(f, jo(a, "members"), " ");
	fputc('}', f);
}

static void print_group_list(FILE *f, struct json_object *a)
{
	size_t i, n = json_object_array_length(a);

	for (i = 0; i < n; i++) {
		fputs(i == 0 ? "" : i + 1 == n ? " and " : ", ", f);
		print_group(f, json_object_array_get_idx(a, i));
	}
}

/* "direct" or "reserved (msi,reserved)": the type, and what was merged */
static void print_region_type(FILE *f, struct json_object *r)
{
	fputs(js(r, "type"), f);
	if (jo(r, "merged_types")) {
		fputs(" (", f);
		print_words(f, jo(r, "merged_types"), ",");
		fputc(')', f);
	}
}

static void print_region(FILE *f, struct json_object *r)
{
	fprintf(f, "%s-%s ", js(r, "start"), js(r, "end"));
	print_region_type(f, r);
}

static const char *or_none(const char *s)
{
	return s ? s : "none";
}

/* "dmar0", or "dmar0 (now dmar1)" */
static void print_unit_pair(FILE *f, struct json_object *ch)
{
	fputs(js(ch, "a_unit"), f);
	if (strcmp(js(ch, "a_unit"), js(ch, "b_unit")))
		fprintf(f, " (now %s)", js(ch, "b_unit"));
}

static void print_unit(FILE *f, struct json_object *u, const char *what)
{
	fprintf(f, "%s %s (%s", js(u, "name"), what, js(u, "kind"));
	if (js(u, "address"))
		fprintf(f, " at %s", js(u, "address"));
	fputc(')', f);
}

static void t_kernel_release(FILE *f, struct json_object *ch)
{
	fprintf(f, "release %s -> %s", js(ch, "a") ?: "unknown",
		js(ch, "b") ?: "unknown");
}

static void t_kernel_cmdline(FILE *f, struct json_object *ch)
{
	fputs("command line:", f);
	if (json_object_array_length(jo(ch, "removed"))) {
		fputs(" removed ", f);
		print_words(f, jo(ch, "removed"), " ");
	}
	if (json_object_array_length(jo(ch, "added"))) {
		fputs(json_object_array_length(jo(ch, "removed")) ? "; added " :
								    " added ",
		      f);
		print_words(f, jo(ch, "added"), " ");
	}
}

static void t_iommu_added(FILE *f, struct json_object *ch)
{
	print_unit(f, jo(ch, "b"), "added");
}

static void t_iommu_removed(FILE *f, struct json_object *ch)
{
	print_unit(f, jo(ch, "a"), "removed");
}

static void t_iommu_renamed(FILE *f, struct json_object *ch)
{
	fprintf(f, "%s is now ", js(jo(ch, "a"), "name"));
	print_unit(f, jo(ch, "b"), "");
}

static void t_iommu_address(FILE *f, struct json_object *ch)
{
	print_unit_pair(f, ch);
	fprintf(f, ": register base %s -> %s", or_none(js(ch, "a")),
		or_none(js(ch, "b")));
}

static void upper(FILE *f, const char *s)
{
	for (; s && *s; s++)
		fputc(*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s, f);
}

static void t_iommu_register(FILE *f, struct json_object *ch)
{
	print_unit_pair(f, ch);
	fputs(": ", f);
	upper(f, js(ch, "register"));
	fprintf(f, " %s -> %s", or_none(js(ch, "a")), or_none(js(ch, "b")));
}

static void t_iommu_field(FILE *f, struct json_object *ch)
{
	print_unit_pair(f, ch);
	fputs(": ", f);
	upper(f, js(ch, "register"));
	fprintf(f, ".%s %s -> %s (%s)", js(ch, "name"), js(ch, "a"),
		js(ch, "b"), js(ch, "description"));
}

static void t_group_new(FILE *f, struct json_object *ch)
{
	fputs("group ", f);
	print_group(f, jo(ch, "b"));
	fputs(" is new", f);
}

static void t_group_gone(FILE *f, struct json_object *ch)
{
	fputs("group ", f);
	print_group(f, jo(ch, "a"));
	fputs(" is gone", f);
}

static void t_group_split(FILE *f, struct json_object *ch)
{
	fputs("group ", f);
	print_group(f, jo(ch, "a"));
	fputs(" split into ", f);
	print_group_list(f, jo(ch, "b"));
}

static void t_group_merged(FILE *f, struct json_object *ch)
{
	fputs("groups ", f);
	print_group_list(f, jo(ch, "a"));
	fputs(" merged into ", f);
	print_group(f, jo(ch, "b"));
}

static void t_group_members(FILE *f, struct json_object *ch)
{
	fputs("group ", f);
	print_group(f, jo(ch, "a"));
	fputs(" is now ", f);
	print_group(f, jo(ch, "b"));
	if (json_object_array_length(jo(ch, "joined"))) {
		fputs(": ", f);
		print_words(f, jo(ch, "joined"), " ");
		fputs(" joined", f);
	}
	if (json_object_array_length(jo(ch, "left"))) {
		fputs(json_object_array_length(jo(ch, "joined")) ? ", " : ": ",
		      f);
		print_words(f, jo(ch, "left"), " ");
		fputs(" left", f);
	}
}

static void t_group_type(FILE *f, struct json_object *ch)
{
	print_group_pair(f, jo(ch, "a"), jo(ch, "b"));
	fprintf(f, ": default domain %s -> %s",
		or_none(js(jo(ch, "a"), "type")),
		or_none(js(jo(ch, "b"), "type")));
}

static void t_device_moved(FILE *f, struct json_object *ch)
{
	fprintf(f, "%s moved from group ", js(ch, "device"));
	print_group(f, jo(ch, "a"));
	fputs(" to group ", f);
	print_group(f, jo(ch, "b"));
}

static void print_device(FILE *f, struct json_object *d, const char *what)
{
	fprintf(f, "%s %s (driver %s, IOMMU %s, group %s)", js(d, "name"), what,
		or_none(js(d, "driver")), or_none(js(d, "iommu")),
		or_none(js(d, "group")));
}

static void t_device_added(FILE *f, struct json_object *ch)
{
	print_device(f, jo(ch, "b"), "added");
}

static void t_device_removed(FILE *f, struct json_object *ch)
{
	print_device(f, jo(ch, "a"), "removed");
}

static void t_device_driver(FILE *f, struct json_object *ch)
{
	fprintf(f, "%s: driver %s -> %s", js(ch, "device"),
		or_none(js(ch, "a")), or_none(js(ch, "b")));
}

static void t_device_iommu(FILE *f, struct json_object *ch)
{
	fprintf(f, "%s: IOMMU unit %s -> %s", js(ch, "device"),
		or_none(js(ch, "a")), or_none(js(ch, "b")));
}

static void t_resv_added(FILE *f, struct json_object *ch)
{
	print_group_pair(f, jo(ch, "a_group"), jo(ch, "b_group"));
	fputs(": added ", f);
	print_region(f, jo(ch, "region"));
}

static void t_resv_removed(FILE *f, struct json_object *ch)
{
	print_group_pair(f, jo(ch, "a_group"), jo(ch, "b_group"));
	fputs(": removed ", f);
	print_region(f, jo(ch, "region"));
}

static void t_resv_type(FILE *f, struct json_object *ch)
{
	print_group_pair(f, jo(ch, "a_group"), jo(ch, "b_group"));
	fputs(": ", f);
	print_region(f, jo(ch, "a"));
	fputs(" is now ", f);
	print_region_type(f, jo(ch, "b"));
}

static void t_resv_merged_added(FILE *f, struct json_object *ch)
{
	fputs("merged: added ", f);
	print_region(f, jo(ch, "region"));
}

static void t_resv_merged_removed(FILE *f, struct json_object *ch)
{
	fputs("merged: removed ", f);
	print_region(f, jo(ch, "region"));
}

static void t_resv_merged_type(FILE *f, struct json_object *ch)
{
	fputs("merged: ", f);
	print_region(f, jo(ch, "a"));
	fputs(" is now ", f);
	print_region_type(f, jo(ch, "b"));
}

static void t_msi_remapping(FILE *f, struct json_object *ch)
{
	fprintf(f, "interrupt remapping %s -> %s", js(ch, "a"), js(ch, "b"));
}

static void t_msi_window(FILE *f, struct json_object *ch)
{
	print_group_pair(f, jo(ch, "a_group"), jo(ch, "b_group"));
	fprintf(f, ": MSI window %s -> %s", js(ch, "a"), js(ch, "b"));
}

static const struct change_text {
	const char *kind;
	const char *section;
	void (*print)(FILE *f, struct json_object *ch);
} change_texts[] = {
	{ "kernel-release-changed", "Kernel", t_kernel_release },
	{ "kernel-cmdline-changed", "Kernel", t_kernel_cmdline },
	{ "iommu-added", "IOMMU units", t_iommu_added },
	{ "iommu-removed", "IOMMU units", t_iommu_removed },
	{ "iommu-renamed", "IOMMU units", t_iommu_renamed },
	{ "iommu-address-changed", "IOMMU units", t_iommu_address },
	{ "iommu-register-changed", "IOMMU units", t_iommu_register },
	{ "iommu-field-changed", "IOMMU units", t_iommu_field },
	{ "group-new", "IOMMU groups", t_group_new },
	{ "group-gone", "IOMMU groups", t_group_gone },
	{ "group-split", "IOMMU groups", t_group_split },
	{ "group-merged", "IOMMU groups", t_group_merged },
	{ "group-members-changed", "IOMMU groups", t_group_members },
	{ "group-type-changed", "IOMMU groups", t_group_type },
	{ "device-moved", "IOMMU groups", t_device_moved },
	{ "device-added", "Devices", t_device_added },
	{ "device-removed", "Devices", t_device_removed },
	{ "device-driver-changed", "Devices", t_device_driver },
	{ "device-iommu-changed", "Devices", t_device_iommu },
	{ "resv-added", "Reserved regions", t_resv_added },
	{ "resv-removed", "Reserved regions", t_resv_removed },
	{ "resv-type-changed", "Reserved regions", t_resv_type },
	{ "resv-merged-added", "Reserved regions", t_resv_merged_added },
	{ "resv-merged-removed", "Reserved regions", t_resv_merged_removed },
	{ "resv-merged-type-changed", "Reserved regions", t_resv_merged_type },
	{ "msi-remapping-changed", "MSI", t_msi_remapping },
	{ "msi-window-changed", "MSI", t_msi_window },
	{ NULL, NULL, NULL },
};

static void diff_print_table(struct cmdctx *c, struct json_object *j)
{
	struct json_object *ch = jo(j, "changes");
	const char *section = NULL;
	size_t i, n = json_object_array_length(ch);

	if (!n) {
		printf("no differences\n");
		return;
	}
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(ch, i);
		const struct change_text *t;

		for (t = change_texts; t->kind; t++)
			if (!strcmp(t->kind, js(o, "kind")))
				break;
		if (!t->kind)
			continue; /* cannot happen: every emitter has its text */
		if (!section || strcmp(section, t->section))
			printf("%s%s%s\n", color_on(c, "header"), t->section,
			       color_off(c));
		section = t->section;
		fputs("  ", stdout);
		t->print(stdout, o);
		fputc('\n', stdout);
	}
}

/* ---- the command ---------------------------------------------------------- */

static struct json_object *side_json(struct side *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "root", json_object_new_string(s->root));
	json_object_object_add(o, "kernel",
			       str_or_null(iommuctl_status_get_kernel(s->st)));
	return o;
}

static const struct opt diff_opts[] = { { NULL, 0, NULL, NULL } };

static const struct verb_help diff_help = {
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
	.opts = diff_opts,
	.path_operands = true,
};

static int do_diff(int argc, char **argv, struct cmdctx *c)
{
	struct side a = { .label = "A" }, b = { .label = "B", .arg = "live" };
	struct diffrun r = { .a = &a, .b = &b };
	struct json_object *j = NULL;
	struct optparse p;
	int rc;

	rc = optparse_operands(&p, c, argc, argv, &diff_help);
	if (rc >= 0)
		return rc;
	if (strcmp(iommuctl_get_root(c->ctx), "/"))
		return cmd_usage_error(
			c,
			"--root does not apply: give the roots to compare as operands (iommuctl diff A [B])");
	if (p.argc < 1)
		return cmd_usage_error(
			c,
			"what to compare? give a captured tree, a report bundle or 'live'");
	if (p.argc > 2)
		return cmd_usage_error(
			c, "unexpected argument '%s': diff compares two roots",
			p.argv[2]);
	a.arg = p.argv[0];
	if (p.argc > 1)
		b.arg = p.argv[1];

	rc = side_open(c, &a);
	if (rc < 0)
		rc = side_open(c, &b);
	if (rc >= 0)
		goto out;

	j = json_object_new_object();
	json_object_object_add(j, "a", side_json(&a));
	json_object_object_add(j, "b", side_json(&b));
	r.ch = json_object_new_array();
	json_object_object_add(j, "changes", r.ch);
	diff_kernel(&r);
	if (diff_units(&r) < 0 || diff_groups(&r) < 0) {
		rc = cmd_error(c, EXIT_FAILED, ENOMEM, "comparing");
		goto out;
	}
	diff_devices(&r);
	if (diff_resv(&r) < 0) {
		rc = cmd_error(c, EXIT_FAILED, ENOMEM,
			       "comparing reserved regions");
		goto out;
	}
	diff_msi(&r);
	if (c->json)
		json_print(c, j);
	else
		diff_print_table(c, j);
	rc = json_object_array_length(r.ch) ? EXIT_FAILED : EXIT_OK;
out:
	json_object_put(j);
	free(r.units);
	free(r.same_a);
	free(r.same_b);
	side_close(&a);
	side_close(&b);
	return rc;
}

static const struct cmd diff_cmds[] = {
	{ "show", do_diff, "compare two snapshots of the IOMMU world" },
	{ NULL, NULL, NULL },
};

int cmd_diff(int argc, char **argv, struct cmdctx *c)
{
	/* "iommuctl diff A [B]": the first word is an operand, not a verb */
	if (argc >= 1 && argv[0][0] != '-' && strcmp(argv[0], "help") &&
	    strcmp(argv[0], diff_cmds[0].name)) {
		c->verb = diff_cmds[0].name;
		/* argv[-1] is the object word: getopt's program slot */
		return diff_cmds[0].fn(argc + 1, argv - 1, c);
	}
	return cmd_select(diff_cmds, argc, argv, c);
}

LEGACY_OBJECT(obj_diff, "diff", "what changed between two snapshots (trees, bundles, live)", cmd_diff);
