// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * The PCI tree as the IOMMU sees it (iommuctl topo): each root bus, the
 * functions below each bridge, and per function the ACS verdict, whether
 * the path to the root complex isolates, and its IOMMU group with the
 * reason the grouping analysis (explain.c) gives. Nothing is derived here
 * that the rest of the library already decides: parents come from the
 * sysfs hierarchy (device.c), verdicts from iommuctl_device_acs_verdict(),
 * reasons from iommuctl_device_explain(). What this file adds is the shape:
 * the tree, walked in address order, and where each group begins in it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

/* The root bus "dddd:bb" of a PCI address "dddd:bb:ss.f". */
static int bus_of(const char *bdf, char *out, size_t size, unsigned int *domain,
		  unsigned int *bus)
{
	const char *colon = strrchr(bdf, ':');
	size_t len = colon ? (size_t)(colon - bdf) : 0;
	char *end;

	if (!len || len >= size)
		return -EINVAL;
	memcpy(out, bdf, len);
	out[len] = '\0';
	*domain = (unsigned int)strtoul(out, &end, 16);
	if (*end != ':')
		return -EINVAL;
	*bus = (unsigned int)strtoul(end + 1, &end, 16);
	return *end ? -EINVAL : 0;
}

static int add_child(struct iommuctl_topo_node ***v, size_t *n,
		     struct iommuctl_topo_node *x)
{
	struct iommuctl_topo_node **nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	nv[(*n)++] = x;
	*v = nv;
	return 0;
}

static struct iommuctl_topo_bus *bus_get(struct iommuctl_topo *t,
					 const char *bdf)
{
	struct iommuctl_topo_bus *b;
	unsigned int domain, bus;
	char name[32];
	size_t i;

	if (bus_of(bdf, name, sizeof(name), &domain, &bus) < 0)
		return NULL;
	for (i = 0; i < t->n_buses; i++)
		if (!strcmp(t->buses[i].name, name))
			return &t->buses[i];
	b = realloc(t->buses, (t->n_buses + 1) * sizeof(*b));
	if (!b)
		return NULL;
	t->buses = b;
	b = &t->buses[t->n_buses];
	memset(b, 0, sizeof(*b));
	b->name = strdup(name);
	if (!b->name)
		return NULL;
	b->domain = domain;
	b->bus = bus;
	t->n_buses++;
	return b;
}

static int bus_cmp(const void *a, const void *b)
{
	const struct iommuctl_topo_bus *x = a, *y = b;

	return key2_cmp(x->domain, x->bus, y->domain, y->bus);
}

static int node_cmp(const void *a, const void *b)
{
	const struct iommuctl_topo_node *x =
		*(struct iommuctl_topo_node *const *)a;
	const struct iommuctl_topo_node *y =
		*(struct iommuctl_topo_node *const *)b;

	return x->dev->key < y->dev->key ? -1 : x->dev->key > y->dev->key;
}

/* Depth, isolation and group starts, in the tree's order (pre-order). */
static void walk(struct iommuctl_topo_node *n, unsigned int depth,
		 unsigned char *seen, size_t nseen)
{
	size_t i;

	const struct iommuctl_pcicfg *cfg = iommuctl_device_get_pcicfg(n->dev);
	/* the kernel asks a function's own ACS only of bridges (the path)
	 * and of multifunction devices (their slot) */
	bool asked = iommuctl_device_is_bridge(n->dev) || !cfg ||
		     cfg->multifunction;

	n->depth = depth;
	n->path_isolated = (!asked || iommuctl_acs_verdict_isolates(n->acs)) &&
			   (!n->parent || n->parent->path_isolated);
	if (n->group >= 0 && (size_t)n->group < nseen && !seen[n->group]) {
		seen[n->group] = 1;
		n->group_start = true;
	}
	for (i = 0; i < n->n_children; i++)
		walk(n->children[i], depth + 1, seen, nseen);
}

/* Whether @n is below @anc (or is it). */
static bool below(struct iommuctl_topo_node *n, struct iommuctl_topo_node *anc)
{
	for (; n; n = n->parent)
		if (n == anc)
			return true;
	return false;
}

IOMMUCTL_EXPORT int iommuctl_topo_build(struct iommuctl_ctx *ctx,
					struct iommuctl_topo **out)
{
	struct iommuctl_topo *t;
	struct iommuctl_topo_node **of = NULL; /* by the device's idx */
	struct iommuctl_device *d, *p;
	struct iommuctl_group *g;
	unsigned char *seen = NULL;
	size_t i, k, ngroups = 0;
	int rc = -ENOMEM;

	if (!ctx || !out)
		return -EINVAL;
	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	iommuctl_device_foreach(ctx, d)
	{
		if (d->is_pci)
			t->n_nodes++;
		else if (d->group >= 0)
			t->n_other++;
	}
	t->nodes = calloc(t->n_nodes ? t->n_nodes : 1, sizeof(*t->nodes));
	t->other = calloc(t->n_other ? t->n_other : 1, sizeof(*t->other));
	of = calloc(ctx->ndev ? ctx->ndev : 1, sizeof(*of));
	if (!t->nodes || !t->other || !of)
		goto out;
	i = k = 0;
	iommuctl_device_foreach(ctx, d)
	{
		struct iommuctl_topo_node *n;

		if (!d->is_pci) {
			if (d->group >= 0)
				t->other[k++] = d;
			continue;
		}
		n = &t->nodes[i++];
		n->dev = d;
		n->group = d->group;
		n->why = -1;
		n->acs = iommuctl_device_acs_verdict(d, NULL);
		if (d->group >= 0) {
			int why = iommuctl_device_explain(d, &n->via,
							  &n->culprit, NULL);

			n->why = why >= 0 ? why : -1;
			g = iommuctl_group_get_by_id(ctx,
						     (unsigned int)d->group);
			n->group_size = g ? iommuctl_group_get_num_devices(g) :
					    0;
			if ((size_t)d->group >= ngroups)
				ngroups = (size_t)d->group + 1;
		}
		if (d->idx < ctx->ndev && ctx->devarr[d->idx] == d)
			of[d->idx] = n;
	}
	t->n_nodes = i;
	/* parents: a loop (a damaged tree) is cut where it closes */
	for (i = 0; i < t->n_nodes; i++) {
		struct iommuctl_topo_node *n = &t->nodes[i], *pn = NULL;

		p = iommuctl_device_get_parent(n->dev);
		if (p && p->idx < ctx->ndev && ctx->devarr[p->idx] == p)
			pn = of[p->idx];
		if (pn && !below(pn, n))
			n->parent = pn;
	}
	for (i = 0; i < t->n_nodes; i++) {
		struct iommuctl_topo_node *n = &t->nodes[i];
		struct iommuctl_topo_bus *b;

		if (n->parent) {
			if (add_child(&n->parent->children,
				      &n->parent->n_children, n) < 0)
				goto out;
			continue;
		}
		b = bus_get(t, n->dev->name);
		if (!b || add_child(&b->roots, &b->n_roots, n) < 0)
			goto out;
	}
	qsort(t->buses, t->n_buses, sizeof(*t->buses), bus_cmp);
	for (i = 0; i < t->n_buses; i++)
		qsort(t->buses[i].roots, t->buses[i].n_roots,
		      sizeof(*t->buses[i].roots), node_cmp);
	for (i = 0; i < t->n_nodes; i++)
		if (t->nodes[i].n_children > 1)
			qsort(t->nodes[i].children, t->nodes[i].n_children,
			      sizeof(*t->nodes[i].children), node_cmp);
	seen = calloc(ngroups ? ngroups : 1, 1);
	if (!seen)
		goto out;
	for (i = 0; i < t->n_buses; i++)
		for (k = 0; k < t->buses[i].n_roots; k++)
			walk(t->buses[i].roots[k], 0, seen, ngroups);
	rc = 0;
out:
	free(seen);
	free(of);
	if (rc < 0)
		iommuctl_topo_free(t);
	else
		*out = t;
	return rc;
}

IOMMUCTL_EXPORT void iommuctl_topo_free(struct iommuctl_topo *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n_nodes; i++)
		free(t->nodes[i].children);
	for (i = 0; i < t->n_buses; i++) {
		free(t->buses[i].name);
		free(t->buses[i].roots);
	}
	free(t->buses);
	free(t->nodes);
	free(t->other);
	free(t);
}
