// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* Reserved IOVA regions: parsing, merging and what they mean for a VMM. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

IOMMUCTL_EXPORT const char *iommuctl_resv_type_name(enum iommuctl_resv_type t)
{
	return names_get(NAMES_RESV_TYPE, t);
}

static int parse_u64(const char *s, const char **end, uint64_t *out)
{
	uint64_t v = 0;
	int digits = 0;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -EBADMSG;
	for (s += 2; isxdigit((unsigned char)*s); s++, digits++) {
		if (digits == 16)
			return -EBADMSG;
		v = v << 4 |
		    (uint64_t)(isdigit((unsigned char)*s) ?
				       *s - '0' :
				       tolower((unsigned char)*s) - 'a' + 10);
	}
	if (!digits)
		return -EBADMSG;
	*end = s;
	*out = v;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_resv_parse(const char *text,
					struct iommuctl_resv_region **out,
					size_t *n)
{
	struct iommuctl_resv_region *v = NULL, *nv;
	size_t cnt = 0, cap = 0;
	const char *p = text, *e;

	if (!text || !out || !n)
		return -EINVAL;
	while (*p) {
		struct iommuctl_resv_region r = { 0 };
		size_t tl;
		int t;

		if (*p == '\n') {
			p++;
			continue;
		}
		if (parse_u64(p, &e, &r.start) || *e != ' ')
			goto bad;
		p = e + 1;
		if (parse_u64(p, &e, &r.end) || *e != ' ' || r.end < r.start)
			goto bad;
		p = e + 1;
		tl = strcspn(p, "\n");
		if (!names_find(NAMES_RESV_TYPE, p, tl, &t))
			t = IOMMUCTL_RESV_UNKNOWN;
		r.type = (enum iommuctl_resv_type)t;
		if (!tl)
			goto bad;
		r.types = 1u << r.type;
		p += tl;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 8;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
		}
		v[cnt++] = r;
	}
	*out = v;
	*n = cnt;
	return 0;
bad:
	free(v);
	return -EBADMSG;
}

static int by_start(const void *a, const void *b)
{
	const struct iommuctl_resv_region *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* Which type wins when regions merge: the one a VMM must respect most. */
static int weight(enum iommuctl_resv_type t)
{
	switch (t) {
	case IOMMUCTL_RESV_RESERVED:
		return 4;
	case IOMMUCTL_RESV_DIRECT:
		return 3;
	case IOMMUCTL_RESV_MSI:
		return 2;
	case IOMMUCTL_RESV_DIRECT_RELAXABLE:
		return 1;
	default:
		return 0;
	}
}

IOMMUCTL_EXPORT int iommuctl_resv_merge(const struct iommuctl_resv_region *in,
					size_t n,
					struct iommuctl_resv_region **out,
					size_t *nout)
{
	struct iommuctl_resv_region *v;
	size_t i, k = 0;

	*out = NULL;
	*nout = 0;
	if (!n)
		return 0;
	v = malloc(n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	memcpy(v, in, n * sizeof(*v));
	for (i = 0; i < n; i++)
		if (!v[i].types)
			v[i].types = 1u << v[i].type;
	qsort(v, n, sizeof(*v), by_start);
	for (i = 1; i < n; i++) {
		struct iommuctl_resv_region *cur = &v[k];

		/* overlapping or adjacent (end + 1 == start, without overflow) */
		if (v[i].start <= cur->end ||
		    (cur->end != UINT64_MAX && v[i].start == cur->end + 1)) {
			if (v[i].end > cur->end)
				cur->end = v[i].end;
			cur->types |= v[i].types;
			if (weight(v[i].type) > weight(cur->type))
				cur->type = v[i].type;
		} else {
			v[++k] = v[i];
		}
	}
	*out = v;
	*nout = k + 1;
	return 0;
}

IOMMUCTL_EXPORT int
iommuctl_resv_merge_groups(struct iommuctl_ctx *ctx,
			   bool (*want)(struct iommuctl_group *g, void *arg),
			   void *arg, struct iommuctl_resv_region **out,
			   size_t *nout)
{
	struct iommuctl_resv_region *all = NULL, *nv;
	const struct iommuctl_resv_region *r;
	struct iommuctl_group *g;
	size_t nall = 0, n;
	int rc;

	if (!ctx || !out || !nout)
		return -EINVAL;
	iommuctl_group_foreach(ctx, g) {
		if ((want && !want(g, arg)) ||
		    iommuctl_group_get_resv_regions(g, &r, &n) < 0 || !n)
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

/* Guest RAM below 4 GiB usually spans 0-3 GiB (the rest is the PCI hole). */
#define GUEST_LOW_RAM_END 0xbfffffffULL

/* @msg (path_fmt()'s, freed here) to @cb; -ENOMEM without it. */
static int finding(iommuctl_finding_fn cb, void *arg,
		   enum iommuctl_severity sev, const char *code, char *msg)
{
	int rc = msg ? cb(sev, code, msg, arg) : -ENOMEM;

	free(msg);
	return rc;
}

static int region_check(unsigned int id, const struct iommuctl_resv_region *r,
			iommuctl_finding_fn cb, void *arg)
{
	unsigned long long s = r->start, e = r->end;
	int rc = 0;

	if (r->type == IOMMUCTL_RESV_DIRECT)
		rc = finding(
			cb, arg, IOMMUCTL_WARNING, "rmrr",
			path_fmt(
				"group %u has a direct region 0x%llx-0x%llx (an RMRR or IVMD identity map the firmware requires): assigning its devices may fail, or the device may depend on firmware DMA there",
				id, s, e));
	if (rc || r->start > GUEST_LOW_RAM_END || r->type == IOMMUCTL_RESV_MSI)
		return rc;
	if (r->type == IOMMUCTL_RESV_DIRECT_RELAXABLE)
		return finding(
			cb, arg, IOMMUCTL_NOTE, "relaxable-overlap",
			path_fmt(
				"group %u: direct-relaxable region 0x%llx-0x%llx lies where guest RAM usually is; iommufd and VFIO drop relaxable regions when the device is assigned",
				id, s, e));
	return finding(
		cb, arg, IOMMUCTL_WARNING, "guest-ram-overlap",
		path_fmt(
			"group %u: %s region 0x%llx-0x%llx overlaps where guest RAM usually is below 4 GiB (0-3 GiB): the VMM must leave it out of the guest memory map",
			id, iommuctl_resv_type_name(r->type), s, e));
}

IOMMUCTL_EXPORT int iommuctl_resv_check(struct iommuctl_group *g,
					iommuctl_finding_fn cb, void *arg)
{
	const struct iommuctl_resv_region *r;
	unsigned int id;
	size_t n, i;
	int rc = 0;

	if (!g || !cb)
		return -EINVAL;
	id = iommuctl_group_get_id(g);
	if (iommuctl_group_get_resv_regions(g, &r, &n) < 0)
		return finding(
			cb, arg, IOMMUCTL_WARNING, "unreadable",
			path_fmt(
				"group %u: reserved_regions is missing or malformed",
				id));
	for (i = 0; rc == 0 && i < n; i++)
		rc = region_check(id, &r[i], cb, arg);
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_group_msi_windows(struct iommuctl_group *g,
					       struct iommuctl_msi_window **out,
					       size_t *n)
{
	const struct iommuctl_resv_region *r;
	struct iommuctl_iommu *it;
	enum iommuctl_iommu_kind kind = IOMMUCTL_IOMMU_OTHER;
	const char *unit;
	size_t nr, i;

	if (!g || !out || !n)
		return -EINVAL;
	*out = NULL;
	*n = 0;
	if (iommuctl_group_get_resv_regions(g, &r, &nr) < 0)
		return -ENOENT;
	unit = iommuctl_group_get_iommu(g);
	it = unit ? iommuctl_iommu_get_by_name(g->ctx, unit) : NULL;
	if (it)
		kind = iommuctl_iommu_get_kind(it);
	for (i = 0; i < nr; i++) {
		struct iommuctl_msi_window *w;

		if (r[i].type != IOMMUCTL_RESV_MSI)
			continue;
		if (!*out) {
			*out = calloc(nr, sizeof(**out));
			if (!*out)
				return -ENOMEM;
		}
		w = &(*out)[(*n)++];
		w->region = &r[i];
		w->kind = iommuctl_msi_classify(&r[i], kind, &w->basis);
		w->iommu_kind = kind;
	}
	return 0;
}

IOMMUCTL_EXPORT int
iommuctl_msi_check(struct iommuctl_ctx *ctx,
		   bool (*want)(struct iommuctl_group *g, void *arg), void *arg,
		   iommuctl_finding_fn cb, void *cb_arg)
{
	struct iommuctl_msi_window *w;
	struct iommuctl_msi_state st;
	struct iommuctl_group *g;
	bool hw = false;
	size_t n, i;

	if (!ctx || !cb)
		return -EINVAL;
	iommuctl_group_foreach(ctx, g) {
		if ((want && !want(g, arg)) ||
		    iommuctl_group_msi_windows(g, &w, &n) < 0)
			continue;
		for (i = 0; i < n; i++)
			hw |= w[i].kind == IOMMUCTL_MSI_HW;
		free(w);
	}
	iommuctl_msi_state(ctx, &st);
	if (!hw || st.remapping != IOMMUCTL_IR_DISABLED)
		return 0;
	if (st.unsafe_allowed)
		return cb(
			IOMMUCTL_WARNING, "unsafe-interrupts",
			"interrupt remapping is off and allow_unsafe_interrupts=Y: MSIs are not isolated, yet devices are bound anyway (unsafe interrupts allowed): whoever drives an assigned device can raise any interrupt on the host",
			cb_arg);
	return cb(
		IOMMUCTL_WARNING, "no-interrupt-remapping",
		"interrupt remapping is off, so MSIs are not isolated: binding a device to iommufd fails with EPERM unless iommufd.allow_unsafe_interrupts=1 (the legacy VFIO type1 container: vfio_iommu_type1.allow_unsafe_interrupts=1), which lets whoever drives the device raise any interrupt on the host; turn interrupt remapping on (intremap=on, x2APIC)",
		cb_arg);
}
