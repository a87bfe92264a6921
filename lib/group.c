// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* IOMMU groups: /sys/kernel/iommu_groups */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

#define GROUPS_DIR "/sys/kernel/iommu_groups"

void group_list_free(struct iommuctl_ctx *ctx)
{
	struct iommuctl_group *g, *next;

	for (g = ctx->groups; g; g = next) {
		next = g->next;
		free(g->type);
		strv_free(&g->devnames);
		free(g->resv);
		free(g->members);
		free(g);
	}
	ctx->groups = NULL;
	free(ctx->grouparr);
	ctx->grouparr = NULL;
	ctx->ngroups = 0;
}

/* Group directory names are decimal numbers; anything else is ignored. */
static int parse_group_id(const char *s, unsigned int *id)
{
	unsigned long v = 0;

	if (!*s || (s[0] == '0' && s[1]))
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > 0x7fffffff)
			return -ERANGE;
	}
	*id = (unsigned int)v;
	return 0;
}

static void groups_init(struct iommuctl_ctx *ctx)
{
	struct iommuctl_group **tail = &ctx->groups;
	struct strv names = { 0 };
	size_t i;
	int rc;

	if (ctx->groups_init)
		return;
	ctx->groups_init = 1;
	rc = sysfs_list(ctx, GROUPS_DIR, &names);
	if (rc < 0) {
		ctx->groups_err = rc;
		dbg(ctx, GROUPS_DIR ": %s\n", strerror(-rc));
		return;
	}
	for (i = 0; i < names.n; i++) {
		struct iommuctl_group *g;
		unsigned int id;
		char *p;

		if (parse_group_id(names.v[i], &id) < 0) {
			info(ctx, GROUPS_DIR "/%s: not a group number, ignored\n",
			     names.v[i]);
			continue;
		}
		g = calloc(1, sizeof(*g));
		if (!g) {
			ctx->groups_err = -ENOMEM;
			break;
		}
		g->ctx = ctx;
		g->id = id;
		p = path_fmt(GROUPS_DIR "/%u/devices", id);
		if (p)
			sysfs_list(ctx, p, &g->devnames);
		g->num_devices = (unsigned int)g->devnames.n;
		free(p);
		*tail = g;
		tail = &g->next;
		ctx->ngroups++;
	}
	strv_free(&names);
	/* sysfs_list sorted the names naturally, so ids ascend: bisectable */
	ctx->grouparr = calloc(ctx->ngroups ? ctx->ngroups : 1, sizeof(*ctx->grouparr));
	if (ctx->grouparr) {
		struct iommuctl_group *it;
		size_t k = 0;

		for (it = ctx->groups; it; it = it->next)
			ctx->grouparr[k++] = it;
	}
}

IOMMUCTL_EXPORT struct iommuctl_group *
iommuctl_group_get_first(struct iommuctl_ctx *ctx)
{
	groups_init(ctx);
	return ctx->groups;
}

IOMMUCTL_EXPORT struct iommuctl_group *
iommuctl_group_get_next(struct iommuctl_group *group)
{
	return group->next;
}

IOMMUCTL_EXPORT unsigned int iommuctl_group_get_id(struct iommuctl_group *group)
{
	return group->id;
}

IOMMUCTL_EXPORT const char *iommuctl_group_get_type(struct iommuctl_group *group)
{
	char *p;

	/* read on first use: listing devices does not need it */
	if (!group->type_done) {
		group->type_done = 1;
		p = path_fmt(GROUPS_DIR "/%u/type", group->id);
		if (p)
			sysfs_read_str(group->ctx, p, &group->type);
		free(p);
	}
	return group->type;
}

IOMMUCTL_EXPORT unsigned int
iommuctl_group_get_num_devices(struct iommuctl_group *group)
{
	return group->num_devices;
}

IOMMUCTL_EXPORT int iommuctl_num_groups(struct iommuctl_ctx *ctx)
{
	struct iommuctl_group *g;
	int n = 0;

	groups_init(ctx);
	if (ctx->groups_err && !ctx->groups)
		return ctx->groups_err;
	for (g = ctx->groups; g; g = g->next)
		n++;
	return n;
}

IOMMUCTL_EXPORT struct iommuctl_group *
iommuctl_group_get_by_id(struct iommuctl_ctx *ctx, unsigned int id)
{
	size_t lo = 0, hi;

	groups_init(ctx);
	if (!ctx->grouparr)
		return NULL;
	hi = ctx->ngroups;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ctx->grouparr[mid]->id == id)
			return ctx->grouparr[mid];
		if (ctx->grouparr[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

IOMMUCTL_EXPORT int
iommuctl_group_get_resv_regions(struct iommuctl_group *g,
				const struct iommuctl_resv_region **out, size_t *n)
{
	char *p, *text;
	int rc;

	if (!g->resv_done) {
		g->resv_done = 1;
		p = path_fmt(GROUPS_DIR "/%u/reserved_regions", g->id);
		rc = p ? sysfs_read(g->ctx, p, SYSFS_FILE_MAX, &text, NULL) : -ENOMEM;
		if (rc == 0) {
			rc = iommuctl_resv_parse(text, &g->resv, &g->nresv);
			if (rc == -EBADMSG)
				err(g->ctx, "%s: malformed\n", p);
			free(text);
		} else if (rc != -ENOMEM && p) {
			/* every group has one (Linux 4.11+): none to read is
			 * not "no reserved regions" */
			err(g->ctx, "%s: cannot read: %s\n", p, strerror(-rc));
		}
		free(p);
		g->resv_err = rc;
	}
	*out = g->resv;
	*n = g->nresv;
	return g->resv_err;
}
