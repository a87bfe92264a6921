// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Comparing two snapshots: IOMMU groups matched by their members, IOMMU
 * units by register base or name, reserved regions by range.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

/* ---- matching groups by their members (pure, unit-tested) ---------------- */

IOMMUCTL_EXPORT const char *
iommuctl_diff_group_kind_name(enum iommuctl_diff_group_kind k)
{
	return names_get(NAMES_DIFF_GROUP_KIND, k);
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

int key2_cmp(size_t a1, size_t b1, size_t a2, size_t b2)
{
	if (a1 != a2)
		return a1 < a2 ? -1 : 1;
	return b1 < b2 ? -1 : b1 > b2;
}

static int pair_ab_cmp(const void *x, const void *y)
{
	const struct common_dev *p = x, *q = y;

	return key2_cmp(p->a, p->b, q->a, q->b);
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
	return key2_cmp(p->a, p->b, q->a, q->b);
}

struct keyed_change {
	size_t comp, sub;
	struct iommuctl_diff_group_change c;
};

static int keyed_cmp(const void *x, const void *y)
{
	const struct keyed_change *p = x, *q = y;

	return key2_cmp(p->comp, p->sub, q->comp, q->sub);
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

/* One more change, of A groups @ia and B groups @ib, sorted by @comp, @sub. */
static struct iommuctl_diff_group_change *
add_ev(struct keyed_change *ev, size_t *nev, size_t comp, size_t sub,
       enum iommuctl_diff_group_kind kind, const size_t *ia, size_t na,
       const size_t *ib, size_t nb)
{
	struct keyed_change *e = &ev[(*nev)++];

	e->comp = comp;
	e->sub = sub;
	e->c.kind = kind;
	e->c.a = index_dup(ia, na);
	e->c.na = na;
	e->c.b = index_dup(ib, nb);
	e->c.nb = nb;
	return e->c.a && e->c.b ? &e->c : NULL;
}

static int name_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static const char **names_sorted(const struct iommuctl_diff_group *g)
{
	const char **v = malloc((g->n ? g->n : 1) * sizeof(*v));

	if (v && g->n) {
		memcpy(v, g->members, g->n * sizeof(*v));
		qsort(v, g->n, sizeof(*v), name_cmp);
	}
	return v;
}

/* The members that joined and left @c's group, in name order. */
static int members_diff(const struct iommuctl_diff_group *x,
			const struct iommuctl_diff_group *y,
			struct iommuctl_diff_group_change *c)
{
	const char **sx = names_sorted(x), **sy = names_sorted(y);
	size_t i = 0, j = 0;
	int rc = -ENOMEM;

	c->left = calloc(x->n + 1, sizeof(*c->left));
	c->joined = calloc(y->n + 1, sizeof(*c->joined));
	if (!sx || !sy || !c->left || !c->joined)
		goto out;
	while (i < x->n || j < y->n) {
		int r = i == x->n ? 1 : j == y->n ? -1 : strcmp(sx[i], sy[j]);

		if (r < 0)
			c->left[c->nleft++] = sx[i++];
		else if (r > 0)
			c->joined[c->njoined++] = sy[j++];
		else
			i++, j++;
	}
	rc = 0;
out:
	free(sx);
	free(sy);
	return rc;
}

static bool str_differ(const char *x, const char *y)
{
	return x && y ? strcmp(x, y) != 0 : x != y;
}

/*
 * After a SAME change (@members: sorted by @sub, then the type change by
 * @sub + 1) or a PAIRED one (the type change by @sub): what else differs.
 */
static int pair_changes(struct keyed_change *ev, size_t *nev, size_t comp,
			size_t sub, bool members,
			const struct iommuctl_diff_group *a, size_t ai,
			const struct iommuctl_diff_group *b, size_t bi)
{
	struct iommuctl_diff_group_change m = { 0 }, *c;
	int rc = 0;

	if (members) {
		rc = members_diff(&a[ai], &b[bi], &m);
		if (!rc && (m.njoined || m.nleft)) {
			c = add_ev(ev, nev, comp, sub++,
				   IOMMUCTL_DIFF_GROUP_MEMBERS, &ai, 1, &bi, 1);
			if (c) {
				*c = (struct iommuctl_diff_group_change){
					.kind = c->kind,
					.a = c->a,
					.na = 1,
					.b = c->b,
					.nb = 1,
					.joined = m.joined,
					.left = m.left,
					.njoined = m.njoined,
					.nleft = m.nleft
				};
				m.joined = m.left = NULL;
			}
			rc = c ? 0 : -ENOMEM;
		}
		free(m.joined);
		free(m.left);
	}
	if (!rc && str_differ(a[ai].type, b[bi].type) &&
	    !add_ev(ev, nev, comp, sub, IOMMUCTL_DIFF_GROUP_TYPE, &ai, 1, &bi,
		    1))
		rc = -ENOMEM;
	return rc;
}

IOMMUCTL_EXPORT void
iommuctl_diff_group_changes_free(struct iommuctl_diff_group_change *c, size_t n)
{
	size_t i;

	for (i = 0; c && i < n; i++) {
		free(c[i].a);
		free(c[i].b);
		free(c[i].joined);
		free(c[i].left);
	}
	free(c);
}

#define NONE ((size_t)-1)

static bool same_members(const struct iommuctl_diff_group *x,
			 const struct iommuctl_diff_group *y)
{
	size_t i;

	if (x->n != y->n)
		return false;
	for (i = 0; i < x->n; i++)
		if (strcmp(x->members[i], y->members[i]))
			return false;
	return true;
}

IOMMUCTL_EXPORT int
iommuctl_diff_match_groups(const struct iommuctl_diff_group *a, size_t na,
			   const struct iommuctl_diff_group *b, size_t nb,
			   struct iommuctl_diff_group_change **out,
			   size_t *nout)
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

	/* groups with no common device (no members, or only members counted
	 * in earlier groups) are the same group when their numbers and
	 * member lists are: a tree compared with itself has no changes */
	for (i = 0; i < na; i++) {
		if (sa[i])
			continue;
		for (j = 0; j < nb; j++) {
			size_t ra, rb;

			if (sb[j] || b[j].id != a[i].id ||
			    !same_members(&a[i], &b[j]))
				continue;
			ra = uf_find(parent, i);
			rb = uf_find(parent, na + j);
			if (ra != rb && uf_find(parent, na + j) == na + j) {
				parent[ra > rb ? ra : rb] = ra < rb ? ra : rb;
				break;
			}
		}
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
	/* a change per set (and two more per SAME), per pair (and one more),
	 * per moved device */
	ev = calloc(3 * ncomp + 2 * na + ncommon + 1, sizeof(*ev));
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
		enum iommuctl_diff_group_kind kind;

		if (ca[k] > 1 && cb[k] > 1)
			continue; /* moved devices, below */
		if (ca[k] == 1 && cb[k] == 1)
			kind = IOMMUCTL_DIFF_GROUP_SAME;
		else if (ca[k] == 0)
			kind = IOMMUCTL_DIFF_GROUP_NEW;
		else if (cb[k] == 0)
			kind = IOMMUCTL_DIFF_GROUP_GONE;
		else if (ca[k] == 1)
			kind = IOMMUCTL_DIFF_GROUP_SPLIT;
		else
			kind = IOMMUCTL_DIFF_GROUP_MERGED;
		if (!add_ev(ev, &nev, k, 0, kind, lista + cstart_a[k], ca[k],
			    listb + cstart_b[k], cb[k]))
			goto out;
		if (kind == IOMMUCTL_DIFF_GROUP_SAME &&
		    pair_changes(ev, &nev, k, 1, true, a, lista[cstart_a[k]], b,
				 listb[cstart_b[k]]) < 0)
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
		size_t ai = pairs[i].a, bi = pairs[i].b;

		if (match[ai] != NONE || taken[bi])
			continue;
		match[ai] = bi;
		taken[bi] = 1;
		/* before the moves: below 2 * na */
		if (!add_ev(ev, &nev, comp[ai], 2 * ai,
			    IOMMUCTL_DIFF_GROUP_PAIRED, &ai, 1, &bi, 1) ||
		    pair_changes(ev, &nev, comp[ai], 2 * ai + 1, false, a, ai,
				 b, bi) < 0)
			goto out;
	}
	for (i = 0; i < ncommon; i++) {
		struct iommuctl_diff_group_change *c;

		k = comp[common[i].a];
		if (ca[k] < 2 || cb[k] < 2 || match[common[i].a] == common[i].b)
			continue;
		c = add_ev(ev, &nev, k, 2 * na + i, IOMMUCTL_DIFF_GROUP_MOVED,
			   &common[i].a, 1, &common[i].b, 1);
		if (!c)
			goto out;
		c->device = common[i].name;
	}

	if (nev)
		qsort(ev, nev, sizeof(*ev), keyed_cmp);
	*out = calloc(nev ? nev : 1, sizeof(**out));
	if (!*out)
		goto out;
	for (i = 0; i < nev; i++)
		(*out)[i] = ev[i].c;
	*nout = nev;
	nev = 0; /* *out has them */
	rc = 0;
out:
	for (i = 0; ev && i < nev; i++) {
		free(ev[i].c.a);
		free(ev[i].c.b);
		free(ev[i].c.joined);
		free(ev[i].c.left);
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

/* ---- IOMMU units --------------------------------------------------------- */

static bool unit_address(struct iommuctl_iommu *it, uint64_t *v)
{
	return iommuctl_iommu_get_address(it, v) == 0;
}

static bool same_unit(struct iommuctl_iommu *x, struct iommuctl_iommu *y,
		      bool by_address)
{
	uint64_t ax, ay;

	if (iommuctl_iommu_get_kind(x) != iommuctl_iommu_get_kind(y))
		return false;
	if (!by_address)
		return !strcmp(iommuctl_iommu_get_name(x),
			       iommuctl_iommu_get_name(y));
	return unit_address(x, &ax) && unit_address(y, &ay) && ax == ay;
}

IOMMUCTL_EXPORT int iommuctl_diff_match_units(struct iommuctl_ctx *a,
					      struct iommuctl_ctx *b,
					      struct iommuctl_diff_unit **out,
					      size_t *n)
{
	struct iommuctl_iommu *it, **ub;
	struct iommuctl_diff_unit *v;
	size_t na = 0, nb = 0, i, j;
	int pass;

	*out = NULL;
	*n = 0;
	iommuctl_iommu_foreach(a, it)
		na++;
	iommuctl_iommu_foreach(b, it)
		nb++;
	v = calloc(na + nb + 1, sizeof(*v));
	ub = calloc(nb + 1, sizeof(*ub));
	if (!v || !ub) {
		free(v);
		free(ub);
		err(a, "matching IOMMU units: out of memory\n");
		return -ENOMEM;
	}
	na = nb = 0;
	iommuctl_iommu_foreach(a, it)
		v[na++].a = it;
	iommuctl_iommu_foreach(b, it)
		ub[nb++] = it;
	/* by register base, then by name; ub[j] NULL once taken */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < na; i++)
			for (j = 0; !v[i].b && j < nb; j++)
				if (ub[j] && same_unit(v[i].a, ub[j], !pass)) {
					v[i].b = ub[j];
					ub[j] = NULL;
				}
	for (j = 0; j < nb; j++)
		if (ub[j])
			v[na++].b = ub[j];
	free(ub);
	*out = v;
	*n = na;
	return 0;
}

/* ---- reserved regions ---------------------------------------------------- */

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

IOMMUCTL_EXPORT int
iommuctl_diff_resv(const struct iommuctl_resv_region *a, size_t na,
		   const struct iommuctl_resv_region *b, size_t nb,
		   struct iommuctl_diff_resv **out, size_t *n)
{
	const struct iommuctl_resv_region *o;
	struct iommuctl_diff_resv *v = calloc(na + nb + 1, sizeof(*v));
	size_t i, k = 0;

	*out = NULL;
	*n = 0;
	if (!v)
		return -ENOMEM;
	for (i = 0; i < na; i++) {
		o = find_region(b, nb, &a[i]);
		if (!o || region_type_differs(&a[i], o))
			v[k++] = (struct iommuctl_diff_resv){
				o ? IOMMUCTL_DIFF_RESV_TYPE :
				    IOMMUCTL_DIFF_RESV_REMOVED,
				&a[i], o
			};
	}
	for (i = 0; i < nb; i++)
		if (!find_region(a, na, &b[i]))
			v[k++] = (struct iommuctl_diff_resv){
				IOMMUCTL_DIFF_RESV_ADDED, NULL, &b[i]
			};
	*out = v;
	*n = k;
	return 0;
}

/* ---- groups of a context ------------------------------------------------- */

IOMMUCTL_EXPORT int iommuctl_diff_groups_get(struct iommuctl_ctx *ctx,
					     struct iommuctl_diff_group **out,
					     size_t *n)
{
	struct iommuctl_diff_group *v;
	struct iommuctl_group *g;
	struct iommuctl_device *d;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	iommuctl_group_foreach(ctx, g)
		k++;
	v = calloc(k + 1, sizeof(*v));
	if (!v)
		goto nomem;
	iommuctl_group_foreach(ctx, g) {
		struct iommuctl_diff_group *dg = &v[(*n)++];
		const char **m = calloc(iommuctl_group_get_num_devices(g) + 1,
					sizeof(*m));

		if (!m) {
			iommuctl_diff_groups_free(v, *n);
			goto nomem;
		}
		dg->id = iommuctl_group_get_id(g);
		dg->type = iommuctl_group_get_type(g);
		dg->group = g;
		dg->members = m;
		iommuctl_group_device_foreach(g, d)
			m[dg->n++] = iommuctl_device_get_name(d);
		qsort(m, dg->n, sizeof(*m), name_cmp);
	}
	*out = v;
	return 0;
nomem:
	*n = 0;
	err(ctx, "listing IOMMU groups: out of memory\n");
	return -ENOMEM;
}

IOMMUCTL_EXPORT void iommuctl_diff_groups_free(struct iommuctl_diff_group *g,
					       size_t n)
{
	size_t i;

	for (i = 0; g && i < n; i++)
		free((void *)g[i].members);
	free(g);
}

/* ---- registers of matched units ------------------------------------------ */

struct regs {
	struct iommuctl_diff_reg *v;
	size_t n, cap;
	int rc;
};

static void reg_add(struct regs *r, struct iommuctl_diff_reg d)
{
	struct iommuctl_diff_reg *nv;

	if (r->n == r->cap) {
		nv = realloc(r->v, (r->cap * 2 + 8) * sizeof(*nv));
		if (!nv) {
			r->rc = -ENOMEM;
			return;
		}
		r->v = nv;
		r->cap = r->cap * 2 + 8;
	}
	r->v[r->n++] = d;
}

/* A register that differs, and then each of its fields that does. */
static void diff_reg(struct regs *r, const char *reg, unsigned int bits,
		     bool ha, uint64_t va, bool hb, uint64_t vb,
		     const struct iommuctl_regfield *(*table)(unsigned int *))
{
	const struct iommuctl_regfield *f;
	unsigned int i, n;

	if (ha == hb && (!ha || va == vb))
		return;
	reg_add(r, (struct iommuctl_diff_reg){ .reg = reg,
					       .have_a = ha,
					       .have_b = hb,
					       .bits = bits,
					       .a = va,
					       .b = vb });
	if (!ha || !hb || !table)
		return;
	f = table(&n);
	for (i = 0; i < n; i++) {
		uint64_t fa = iommuctl_regfield_value(&f[i], va);
		uint64_t fb = iommuctl_regfield_value(&f[i], vb);

		if (fa != fb)
			reg_add(r, (struct iommuctl_diff_reg){ .reg = reg,
							       .field = &f[i],
							       .have_a = true,
							       .have_b = true,
							       .bits = bits,
							       .a = fa,
							       .b = fb });
	}
}

IOMMUCTL_EXPORT int iommuctl_diff_unit_regs(struct iommuctl_iommu *a,
					    struct iommuctl_iommu *b,
					    struct iommuctl_diff_reg **out,
					    size_t *n)
{
	const char *fa = NULL, *fb = NULL, *order;
	uint64_t ca = 0, ea = 0, cb = 0, eb = 0, efr2a = 0, efr2b = 0;
	uint32_t ha32 = 0, hb32 = 0;
	struct regs r = { 0 };
	bool ha, hb, pa, pb;

	ha = iommuctl_iommu_get_vtd_regs(a, &ca, &ea, NULL, NULL) == 0;
	hb = iommuctl_iommu_get_vtd_regs(b, &cb, &eb, NULL, NULL) == 0;
	if (ha || hb) {
		diff_reg(&r, "cap", 64, ha, ca, hb, cb,
			 iommuctl_vtd_cap_fields);
		diff_reg(&r, "ecap", 64, ha, ea, hb, eb,
			 iommuctl_vtd_ecap_fields);
	}
	ha = iommuctl_iommu_get_amd_regs(a, &ha32, &fa) == 0;
	hb = iommuctl_iommu_get_amd_regs(b, &hb32, &fb) == 0;
	if (ha || hb) {
		diff_reg(&r, "cap", 32, ha, ha32, hb, hb32, NULL);
		/* EFR/EFR2 as each side's kernel prints them */
		pa = fa && iommuctl_amd_parse_features(
				   fa, iommuctl_get_kernel_release(a->ctx), &ea,
				   &efr2a, &order) == 0;
		pb = fb && iommuctl_amd_parse_features(
				   fb, iommuctl_get_kernel_release(b->ctx), &eb,
				   &efr2b, &order) == 0;
		if (pa == pb) {
			diff_reg(&r, "efr", 64, pa, ea, pb, eb,
				 iommuctl_amd_efr_fields);
			diff_reg(&r, "efr2", 64, pa, efr2a, pb, efr2b,
				 iommuctl_amd_efr2_fields);
		}
		if ((!pa || !pb) && str_differ(fa, fb))
			reg_add(&r,
				(struct iommuctl_diff_reg){ .reg = "features",
							    .have_a = fa,
							    .have_b = fb,
							    .bits = 64,
							    .text_a = fa,
							    .text_b = fb });
	}
	if (r.rc < 0) {
		free(r.v);
		r.v = NULL;
		r.n = 0;
		err(a->ctx, "comparing registers: out of memory\n");
	}
	*out = r.v;
	*n = r.n;
	return r.rc;
}

/* ---- devices ------------------------------------------------------------- */

/* The B unit an A unit was matched with, or the name itself. */
static const char *unit_in_b(const struct iommuctl_diff_unit *u, size_t n,
			     const char *aname)
{
	size_t i;

	for (i = 0; aname && i < n; i++)
		if (u[i].a && u[i].b &&
		    !strcmp(iommuctl_iommu_get_name(u[i].a), aname))
			return iommuctl_iommu_get_name(u[i].b);
	return aname;
}

IOMMUCTL_EXPORT int
iommuctl_diff_devices(struct iommuctl_ctx *a, struct iommuctl_ctx *b,
		      const struct iommuctl_diff_unit *units, size_t nunits,
		      struct iommuctl_diff_device **out, size_t *n)
{
	struct iommuctl_diff_device *v;
	struct iommuctl_device *d, *e;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	iommuctl_device_foreach(a, d) k += 2;
	iommuctl_device_foreach(b, e) k++;
	v = calloc(k + 1, sizeof(*v));
	if (!v) {
		err(a, "comparing devices: out of memory\n");
		return -ENOMEM;
	}
	k = 0;
	iommuctl_device_foreach(a, d)
	{
		e = iommuctl_device_get_by_name(b, iommuctl_device_get_name(d));
		if (!e) {
			v[k++] = (struct iommuctl_diff_device){
				IOMMUCTL_DIFF_DEVICE_REMOVED, d, NULL
			};
			continue;
		}
		if (str_differ(iommuctl_device_get_driver(d),
			       iommuctl_device_get_driver(e)))
			v[k++] = (struct iommuctl_diff_device){
				IOMMUCTL_DIFF_DEVICE_DRIVER, d, e
			};
		if (str_differ(unit_in_b(units, nunits,
					 iommuctl_device_get_iommu(d)),
			       iommuctl_device_get_iommu(e)))
			v[k++] = (struct iommuctl_diff_device){
				IOMMUCTL_DIFF_DEVICE_IOMMU, d, e
			};
	}
	iommuctl_device_foreach(b, e) if (!iommuctl_device_get_by_name(
						  a, iommuctl_device_get_name(
							     e))) v[k++] =
		(struct iommuctl_diff_device){ IOMMUCTL_DIFF_DEVICE_ADDED, NULL,
					       e };
	*out = v;
	*n = k;
	return 0;
}

/* ---- reserved regions and MSI windows of groups -------------------------- */

struct diff_groups {
	const struct iommuctl_diff_group *g;
	size_t n;
};

static bool in_diff_groups(struct iommuctl_group *g, void *arg)
{
	const struct diff_groups *dg = arg;
	size_t i;

	for (i = 0; i < dg->n; i++)
		if (dg->g[i].group == g)
			return true;
	return false;
}

IOMMUCTL_EXPORT int
iommuctl_diff_merged_resv(const struct iommuctl_diff_group *g, size_t ng,
			  struct iommuctl_resv_region **out, size_t *nout)
{
	struct diff_groups dg = { g, ng };
	size_t i;

	*out = NULL;
	*nout = 0;
	/* the groups of one context, as iommuctl_diff_groups_get() lists
	 * them; a group without its struct has no regions to read */
	for (i = 0; i < ng && !g[i].group; i++)
		;
	return i < ng ? iommuctl_resv_merge_groups(g[i].group->ctx,
						   in_diff_groups, &dg, out,
						   nout) :
			0;
}

IOMMUCTL_EXPORT const char *iommuctl_diff_msi_window(struct iommuctl_group *g)
{
	struct iommuctl_msi_window *w;
	bool hw = false, sw = false;
	size_t n, i;

	if (iommuctl_group_msi_windows(g, &w, &n) < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		hw |= w[i].kind == IOMMUCTL_MSI_HW;
		sw |= w[i].kind == IOMMUCTL_MSI_SW;
	}
	free(w);
	return hw && sw ? "hw+sw" : hw ? "hw" : sw ? "sw" : "none";
}

/* ---- every change between two contexts ----------------------------------- */

struct iommuctl_diff {
	struct iommuctl_ctx *ctx[2];
	struct iommuctl_status *st[2];
	struct iommuctl_diff_group *groups[2];
	size_t ngroups[2];
	struct iommuctl_msi_state msi[2];
	struct iommuctl_diff_unit *units;
	size_t nunits;
	/* the groups matched one to one (SAME or PAIRED): indices */
	size_t *same_a, *same_b, nsame;
	struct iommuctl_resv_region *merged[2];
	size_t nmerged[2];
	struct iommuctl_change *v;
	size_t n, cap;
	int rc;
};

/* One more change of @kind, zeroed; NULL (d->rc set) when out of memory. */
static struct iommuctl_change *change_add(struct iommuctl_diff *d,
					  enum iommuctl_change_kind kind)
{
	struct iommuctl_change *nv;

	if (d->rc < 0)
		return NULL;
	if (d->n == d->cap) {
		nv = realloc(d->v, (d->cap * 2 + 16) * sizeof(*nv));
		if (!nv) {
			d->rc = -ENOMEM;
			return NULL;
		}
		d->v = nv;
		d->cap = d->cap * 2 + 16;
	}
	nv = &d->v[d->n++];
	*nv = (struct iommuctl_change){ .kind = kind };
	return nv;
}

/* The groups of @side at @idx, as a list the change owns. */
static const struct iommuctl_diff_group *const *
group_refs(struct iommuctl_diff *d, int side, const size_t *idx, size_t n)
{
	const struct iommuctl_diff_group **v = calloc(n + 1, sizeof(*v));
	size_t i;

	if (!v) {
		d->rc = -ENOMEM;
		return NULL;
	}
	for (i = 0; i < n; i++)
		v[i] = &d->groups[side][idx[i]];
	return v;
}

/* A change about A groups @ia and B groups @ib. */
static struct iommuctl_change *groups_change(struct iommuctl_diff *d,
					     enum iommuctl_change_kind kind,
					     const size_t *ia, size_t na,
					     const size_t *ib, size_t nb)
{
	struct iommuctl_change *c = change_add(d, kind);

	if (!c)
		return NULL;
	c->groups_a = group_refs(d, 0, ia, na);
	c->ngroups_a = na;
	c->groups_b = group_refs(d, 1, ib, nb);
	c->ngroups_b = nb;
	return d->rc < 0 ? NULL : c;
}

static bool strv_has(const char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* The words of @x missing from @y, each once; NULL when out of memory. */
static const char **words_minus(const char *const *x, size_t nx,
				const char *const *y, size_t ny, size_t *n)
{
	const char **v = calloc(nx + 1, sizeof(*v));
	size_t i;

	*n = 0;
	for (i = 0; v && i < nx; i++)
		if (!strv_has(y, ny, x[i]) && !strv_has(x, i, x[i]))
			v[(*n)++] = x[i];
	return v;
}

static void diff_kernel(struct iommuctl_diff *d)
{
	const char *ka = iommuctl_status_get_kernel(d->st[0]);
	const char *kb = iommuctl_status_get_kernel(d->st[1]);
	const char *const *va, *const *vb;
	const char **added, **removed;
	struct iommuctl_change *c;
	size_t nadded, nremoved;
	unsigned int na, nb;

	if (str_differ(ka, kb) &&
	    (c = change_add(d, IOMMUCTL_CHANGE_KERNEL_RELEASE))) {
		c->a = ka;
		c->b = kb;
	}
	va = iommuctl_status_get_cmdline(d->st[0], &na);
	vb = iommuctl_status_get_cmdline(d->st[1], &nb);
	added = words_minus(vb, nb, va, na, &nadded);
	removed = words_minus(va, na, vb, nb, &nremoved);
	c = NULL;
	if (!added || !removed)
		d->rc = -ENOMEM;
	else if (nadded || nremoved)
		c = change_add(d, IOMMUCTL_CHANGE_KERNEL_CMDLINE);
	if (!c) {
		free(added);
		free(removed);
		return;
	}
	c->words_a = va;
	c->nwords_a = na;
	c->words_b = vb;
	c->nwords_b = nb;
	c->added = added;
	c->nadded = nadded;
	c->removed = removed;
	c->nremoved = nremoved;
}

/* A change of matched units @a and @b. */
static struct iommuctl_change *unit_change(struct iommuctl_diff *d,
					   enum iommuctl_change_kind kind,
					   struct iommuctl_iommu *a,
					   struct iommuctl_iommu *b)
{
	struct iommuctl_change *c = change_add(d, kind);

	if (c) {
		c->unit_a = a;
		c->unit_b = b;
	}
	return c;
}

static void diff_unit(struct iommuctl_diff *d, struct iommuctl_iommu *a,
		      struct iommuctl_iommu *b)
{
	struct iommuctl_diff_reg addr = { .bits = 64 }, *r;
	struct iommuctl_change *c;
	size_t n, i;

	if (!a || !b) {
		unit_change(d,
			    a ? IOMMUCTL_CHANGE_IOMMU_REMOVED :
				IOMMUCTL_CHANGE_IOMMU_ADDED,
			    a, b);
		return;
	}
	if (strcmp(iommuctl_iommu_get_name(a), iommuctl_iommu_get_name(b)))
		unit_change(d, IOMMUCTL_CHANGE_IOMMU_RENAMED, a, b);
	addr.have_a = unit_address(a, &addr.a);
	addr.have_b = unit_address(b, &addr.b);
	if (addr.have_a != addr.have_b || (addr.have_a && addr.a != addr.b)) {
		c = unit_change(d, IOMMUCTL_CHANGE_IOMMU_ADDRESS, a, b);
		if (c)
			c->reg = addr;
	}
	if (iommuctl_diff_unit_regs(a, b, &r, &n) < 0) {
		d->rc = -ENOMEM;
		return;
	}
	for (i = 0; i < n; i++) {
		c = unit_change(d,
				r[i].field ? IOMMUCTL_CHANGE_IOMMU_FIELD :
					     IOMMUCTL_CHANGE_IOMMU_REGISTER,
				a, b);
		if (c)
			c->reg = r[i];
	}
	free(r);
}

/* The change of each kind of group change; SAME and PAIRED are none. */
static const enum iommuctl_change_kind group_change_kinds[] = {
	[IOMMUCTL_DIFF_GROUP_SAME] = IOMMUCTL_CHANGE_KIND_MAX,
	[IOMMUCTL_DIFF_GROUP_NEW] = IOMMUCTL_CHANGE_GROUP_NEW,
	[IOMMUCTL_DIFF_GROUP_GONE] = IOMMUCTL_CHANGE_GROUP_GONE,
	[IOMMUCTL_DIFF_GROUP_SPLIT] = IOMMUCTL_CHANGE_GROUP_SPLIT,
	[IOMMUCTL_DIFF_GROUP_MERGED] = IOMMUCTL_CHANGE_GROUP_MERGED,
	[IOMMUCTL_DIFF_GROUP_MOVED] = IOMMUCTL_CHANGE_DEVICE_MOVED,
	[IOMMUCTL_DIFF_GROUP_PAIRED] = IOMMUCTL_CHANGE_KIND_MAX,
	[IOMMUCTL_DIFF_GROUP_MEMBERS] = IOMMUCTL_CHANGE_GROUP_MEMBERS,
	[IOMMUCTL_DIFF_GROUP_TYPE] = IOMMUCTL_CHANGE_GROUP_TYPE,
};

static void diff_groups(struct iommuctl_diff *d)
{
	struct iommuctl_diff_group_change *gc;
	struct iommuctl_change *c;
	size_t n, i;

	if (iommuctl_diff_match_groups(d->groups[0], d->ngroups[0],
				       d->groups[1], d->ngroups[1], &gc,
				       &n) < 0) {
		d->rc = -ENOMEM;
		return;
	}
	d->same_a = calloc(n + 1, sizeof(*d->same_a));
	d->same_b = calloc(n + 1, sizeof(*d->same_b));
	if (!d->same_a || !d->same_b)
		d->rc = -ENOMEM;
	for (i = 0; d->rc == 0 && i < n; i++) {
		if (group_change_kinds[gc[i].kind] ==
		    IOMMUCTL_CHANGE_KIND_MAX) {
			d->same_a[d->nsame] = gc[i].a[0];
			d->same_b[d->nsame++] = gc[i].b[0];
			continue;
		}
		c = groups_change(d, group_change_kinds[gc[i].kind], gc[i].a,
				  gc[i].na, gc[i].b, gc[i].nb);
		if (!c)
			break;
		c->device = gc[i].device;
		/* the change takes the member lists */
		c->added = gc[i].joined;
		c->nadded = gc[i].njoined;
		c->removed = gc[i].left;
		c->nremoved = gc[i].nleft;
		gc[i].joined = gc[i].left = NULL;
	}
	iommuctl_diff_group_changes_free(gc, n);
}

static void diff_devices(struct iommuctl_diff *d)
{
	static const enum iommuctl_change_kind kinds[] = {
		[IOMMUCTL_DIFF_DEVICE_REMOVED] = IOMMUCTL_CHANGE_DEVICE_REMOVED,
		[IOMMUCTL_DIFF_DEVICE_DRIVER] = IOMMUCTL_CHANGE_DEVICE_DRIVER,
		[IOMMUCTL_DIFF_DEVICE_IOMMU] = IOMMUCTL_CHANGE_DEVICE_IOMMU,
		[IOMMUCTL_DIFF_DEVICE_ADDED] = IOMMUCTL_CHANGE_DEVICE_ADDED,
	};
	struct iommuctl_diff_device *v;
	struct iommuctl_change *c;
	size_t n, i;

	if (iommuctl_diff_devices(d->ctx[0], d->ctx[1], d->units, d->nunits, &v,
				  &n) < 0) {
		d->rc = -ENOMEM;
		return;
	}
	for (i = 0; i < n; i++) {
		c = change_add(d, kinds[v[i].kind]);
		if (!c)
			break;
		c->dev_a = v[i].a;
		c->dev_b = v[i].b;
		c->device = iommuctl_device_get_name(v[i].a ? v[i].a : v[i].b);
		if (v[i].kind == IOMMUCTL_DIFF_DEVICE_DRIVER) {
			c->a = iommuctl_device_get_driver(v[i].a);
			c->b = iommuctl_device_get_driver(v[i].b);
		} else if (v[i].kind == IOMMUCTL_DIFF_DEVICE_IOMMU) {
			c->a = iommuctl_device_get_iommu(v[i].a);
			c->b = iommuctl_device_get_iommu(v[i].b);
		}
	}
	free(v);
}

/* The region changes of group pair @k, or (@k NONE) of the merged lists. */
static void resv_changes(struct iommuctl_diff *d, size_t k,
			 const struct iommuctl_resv_region *ra, size_t na,
			 const struct iommuctl_resv_region *rb, size_t nb)
{
	struct iommuctl_diff_resv *v;
	struct iommuctl_change *c;
	size_t n, i;

	if (iommuctl_diff_resv(ra, na, rb, nb, &v, &n) < 0) {
		d->rc = -ENOMEM;
		return;
	}
	for (i = 0; i < n; i++) {
		/* RESV_* and RESV_MERGED_* follow enum iommuctl_diff_resv_kind */
		enum iommuctl_change_kind kind =
			(k == NONE ? IOMMUCTL_CHANGE_RESV_MERGED_REMOVED :
				     IOMMUCTL_CHANGE_RESV_REMOVED) +
			v[i].kind;

		c = k == NONE ? change_add(d, kind) :
				groups_change(d, kind, &d->same_a[k], 1,
					      &d->same_b[k], 1);
		if (!c)
			break;
		c->resv_a = v[i].a;
		c->resv_b = v[i].b;
	}
	free(v);
}

static void diff_resv(struct iommuctl_diff *d)
{
	const struct iommuctl_resv_region *ra, *rb;
	size_t k, na, nb;
	int side;

	for (k = 0; d->rc == 0 && k < d->nsame; k++)
		if (iommuctl_group_get_resv_regions(
			    d->groups[0][d->same_a[k]].group, &ra, &na) == 0 &&
		    iommuctl_group_get_resv_regions(
			    d->groups[1][d->same_b[k]].group, &rb, &nb) == 0)
			resv_changes(d, k, ra, na, rb, nb);
	for (side = 0; d->rc == 0 && side < 2; side++)
		d->rc = iommuctl_diff_merged_resv(d->groups[side],
						  d->ngroups[side],
						  &d->merged[side],
						  &d->nmerged[side]);
	if (d->rc == 0)
		resv_changes(d, NONE, d->merged[0], d->nmerged[0], d->merged[1],
			     d->nmerged[1]);
}

static void diff_msi(struct iommuctl_diff *d)
{
	struct iommuctl_change *c;
	size_t k;

	if (d->msi[0].remapping != d->msi[1].remapping &&
	    (c = change_add(d, IOMMUCTL_CHANGE_MSI_REMAPPING))) {
		c->a = iommuctl_irq_remap_name(d->msi[0].remapping);
		c->b = iommuctl_irq_remap_name(d->msi[1].remapping);
	}
	for (k = 0; d->rc == 0 && k < d->nsame; k++) {
		const char *wa = iommuctl_diff_msi_window(
			d->groups[0][d->same_a[k]].group);
		const char *wb = iommuctl_diff_msi_window(
			d->groups[1][d->same_b[k]].group);

		if (!wa || !wb || !strcmp(wa, wb))
			continue;
		c = groups_change(d, IOMMUCTL_CHANGE_MSI_WINDOW, &d->same_a[k],
				  1, &d->same_b[k], 1);
		if (c) {
			c->a = wa;
			c->b = wb;
		}
	}
}

IOMMUCTL_EXPORT int iommuctl_diff_new(struct iommuctl_ctx *a,
				      struct iommuctl_ctx *b,
				      struct iommuctl_diff **out)
{
	struct iommuctl_diff *d = calloc(1, sizeof(*d));
	size_t i;
	int side;

	*out = NULL;
	if (!d) {
		err(a, "comparing: out of memory\n");
		return -ENOMEM;
	}
	d->ctx[0] = iommuctl_ref(a);
	d->ctx[1] = iommuctl_ref(b);
	for (side = 0; d->rc == 0 && side < 2; side++) {
		d->rc = iommuctl_status_new(d->ctx[side], &d->st[side]);
		if (d->rc == 0)
			d->rc = iommuctl_diff_groups_get(d->ctx[side],
							 &d->groups[side],
							 &d->ngroups[side]);
		/* unknown when /proc/interrupts cannot be read */
		iommuctl_msi_state(d->ctx[side], &d->msi[side]);
	}
	if (d->rc == 0)
		diff_kernel(d);
	if (d->rc == 0)
		d->rc = iommuctl_diff_match_units(a, b, &d->units, &d->nunits);
	for (i = 0; d->rc == 0 && i < d->nunits; i++)
		diff_unit(d, d->units[i].a, d->units[i].b);
	if (d->rc == 0)
		diff_groups(d);
	if (d->rc == 0)
		diff_devices(d);
	if (d->rc == 0)
		diff_resv(d);
	if (d->rc == 0)
		diff_msi(d);
	if (d->rc < 0) {
		int rc = d->rc;

		iommuctl_diff_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

IOMMUCTL_EXPORT void iommuctl_diff_free(struct iommuctl_diff *d)
{
	size_t i;
	int side;

	if (!d)
		return;
	for (i = 0; i < d->n; i++) {
		free((void *)d->v[i].groups_a);
		free((void *)d->v[i].groups_b);
		free((void *)d->v[i].added);
		free((void *)d->v[i].removed);
	}
	free(d->v);
	free(d->units);
	free(d->same_a);
	free(d->same_b);
	for (side = 0; side < 2; side++) {
		free(d->merged[side]);
		iommuctl_diff_groups_free(d->groups[side], d->ngroups[side]);
		if (d->st[side])
			iommuctl_status_free(d->st[side]);
		if (d->ctx[side])
			iommuctl_unref(d->ctx[side]);
	}
	free(d);
}

IOMMUCTL_EXPORT const struct iommuctl_change *
iommuctl_diff_get_changes(const struct iommuctl_diff *d, size_t *n)
{
	*n = d->n;
	return d->v;
}
