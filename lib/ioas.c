// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* IOAS: allocation, mappings (and the memory behind them), options. */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "private.h"
#include "abi/iommufd.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif

IOMMUCTL_EXPORT const char *iommuctl_mem_kind_name(enum iommuctl_mem_kind kind)
{
	return names_get(NAMES_MEM_KIND, kind);
}

void ses_mem_put(struct ic_mem *m)
{
	if (!m || --m->refs > 0)
		return;
	if (m->va)
		munmap(m->va, m->len);
	if (m->fd >= 0)
		close(m->fd);
	free(m);
}

IOMMUCTL_EXPORT int iommuctl_ioas_alloc(struct iommuctl_session *s,
					struct iommuctl_obj **out)
{
	struct ic_iommu_ioas_alloc a = { .size = sizeof(a) };
	struct iommuctl_obj *o;
	int rc;

	if (!s || !out)
		return -EINVAL;
	ses_clear(s);
	rc = ses_ioctl(s, IOMMUFD_CMD_IOAS_ALLOC, &a);
	if (rc < 0)
		return rc;
	o = ses_obj_made(s, &ioas_ops, a.out_ioas_id, -1);
	if (!o)
		return -ENOMEM;
	*out = o;
	return 0;
}

static int check_ioas(struct iommuctl_obj *o)
{
	return ses_enter(o, IOMMUCTL_OBJ_IOAS, "an ioas");
}

IOMMUCTL_EXPORT int iommuctl_ioas_ranges(struct iommuctl_obj *ioas,
					 struct iommuctl_iova_range **out,
					 size_t *n, uint64_t *alignment)
{
	struct ic_iommu_ioas_iova_ranges r;
	struct ic_iommu_iova_range *v = NULL;
	size_t i, tries;
	int rc;

	if (!out || !n)
		return -EINVAL;
	rc = check_ioas(ioas);
	if (rc < 0)
		return rc;
	/* the count can change between calls (another thread attaching) */
	for (tries = 0; tries < 8; tries++) {
		memset(&r, 0, sizeof(r));
		r.size = sizeof(r);
		r.ioas_id = ioas->id;
		rc = ses_ioctl(ioas->s, IOMMUFD_CMD_IOAS_IOVA_RANGES, &r);
		if (rc != -EMSGSIZE && rc < 0)
			return rc;
		free(v);
		v = calloc(r.num_iovas ? r.num_iovas : 1, sizeof(*v));
		if (!v)
			return -ENOMEM;
		r.allowed_iovas = (uintptr_t)v;
		rc = ses_ioctl(ioas->s, IOMMUFD_CMD_IOAS_IOVA_RANGES, &r);
		if (rc != -EMSGSIZE)
			break;
	}
	if (rc < 0) {
		free(v);
		return rc;
	}
	*out = calloc(r.num_iovas ? r.num_iovas : 1, sizeof(**out));
	if (!*out) {
		free(v);
		return -ENOMEM;
	}
	for (i = 0; i < r.num_iovas; i++) {
		(*out)[i].start = v[i].start;
		(*out)[i].last = v[i].last;
	}
	free(v);
	*n = r.num_iovas;
	if (alignment)
		*alignment = r.out_iova_alignment;
	return 0;
}

static void mview_refresh(struct iommuctl_obj *o)
{
	size_t i;

	free(o->mview);
	o->mview = calloc(o->nmaps ? o->nmaps : 1, sizeof(*o->mview));
	if (!o->mview)
		return;
	for (i = 0; i < o->nmaps; i++)
		o->mview[i] = o->maps[i].m;
}

/* The mappings changed: the view is made again when next asked for (a
 * batch of map/unmap lines asks once per map) */
static void mview_drop(struct iommuctl_obj *o)
{
	free(o->mview);
	o->mview = NULL;
}

IOMMUCTL_EXPORT const struct iommuctl_mapping *
iommuctl_ioas_mappings(struct iommuctl_obj *ioas, size_t *n)
{
	if (!ioas || ioas->type != IOMMUCTL_OBJ_IOAS) {
		if (n)
			*n = 0;
		return NULL;
	}
	if (!ioas->mview)
		mview_refresh(ioas);
	if (n)
		*n = ioas->mview ? ioas->nmaps : 0;
	return ioas->mview;
}

static int add_map(struct iommuctl_obj *o, const struct iommuctl_mapping *m,
		   struct ic_mem *mem, const char *path)
{
	size_t i;

	if (o->nmaps == o->capmaps) {
		size_t cap = o->capmaps ? 2 * o->capmaps : 8;
		struct ic_map *v = realloc(o->maps, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		o->maps = v;
		o->capmaps = cap;
	}
	for (i = o->nmaps; i > 0 && o->maps[i - 1].m.iova > m->iova; i--)
		o->maps[i] = o->maps[i - 1];
	memset(&o->maps[i], 0, sizeof(o->maps[i]));
	o->maps[i].m = *m;
	o->maps[i].mem = mem;
	if (mem)
		mem->refs++;
	if (path) {
		o->maps[i].path = strdup(path);
		o->maps[i].m.path = o->maps[i].path;
	}
	o->nmaps++;
	mview_drop(o);
	return 0;
}

/* The mapping of @o containing @iova, or NULL. */
static struct ic_map *map_at(struct iommuctl_obj *o, uint64_t iova)
{
	size_t i;

	for (i = 0; i < o->nmaps; i++)
		if (iova >= o->maps[i].m.iova &&
		    iova - o->maps[i].m.iova < o->maps[i].m.length)
			return &o->maps[i];
	return NULL;
}

static struct ic_map *map_overlapping(struct iommuctl_obj *o, uint64_t iova,
				      uint64_t len)
{
	uint64_t last = iova + len - 1;
	size_t i;

	for (i = 0; i < o->nmaps; i++) {
		uint64_t ml = o->maps[i].m.iova + o->maps[i].m.length - 1;

		if (o->maps[i].m.iova <= last && ml >= iova)
			return &o->maps[i];
	}
	return NULL;
}

static void map_text(const struct ic_map *m, char *buf, size_t len)
{
	snprintf(buf, len, "0x%llx-0x%llx (%s%s%s)",
		 (unsigned long long)m->m.iova,
		 (unsigned long long)(m->m.iova + m->m.length - 1),
		 iommuctl_mem_kind_name(m->m.mem), m->path ? " " : "",
		 m->path ?: "");
}

/* Devices whose DMA goes through @ioas. */
static void append(char **text, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void append(char **text, const char *fmt, ...)
{
	char *n;
	va_list ap;

	va_start(ap, fmt);
	n = str_vjoin(*text, fmt, ap);
	va_end(ap);
	if (!n)
		return;
	free(*text);
	*text = n;
}

/*
 * Name what reserves [first, last] of @ioas: a reserved region of a VFIO
 * device's group (from sysfs), the aperture edge of a mock device, or the
 * kernel (unknown source).
 */
static char *name_reserved(struct iommuctl_obj *ioas, uint64_t first,
			   uint64_t last)
{
	struct iommuctl_obj *d;
	char *text = NULL;
	size_t k;

	for (k = 0; k < ioas->nreserved; k++)
		if (ioas->reserved[k].start <= last &&
		    ioas->reserved[k].last >= first)
			append(&text,
			       "0x%llx-0x%llx reserved through the selftest (ioas reserve)",
			       (unsigned long long)ioas->reserved[k].start,
			       (unsigned long long)ioas->reserved[k].last);
	for (d = ioas->s->first; d; d = d->next) {
		struct iommuctl_device *dev;
		struct iommuctl_group *g;
		const struct iommuctl_resv_region *r;
		size_t n, i;

		if (d->type != IOMMUCTL_OBJ_DEVICE || !d->attached ||
		    (d->attached->ioas != ioas &&
		     !(d->attached->parent &&
		       d->attached->parent->ioas == ioas)))
			continue;
		if (d->mock) {
			append(&text, "outside the IOVA aperture of %s (mock)",
			       iommuctl_obj_label(d));
			continue;
		}
		dev = iommuctl_device_get_by_name(ioas->s->ctx, d->dev_name);
		if (!dev || iommuctl_device_get_group_id(dev) < 0)
			continue;
		g = iommuctl_group_get_by_id(
			ioas->s->ctx,
			(unsigned int)iommuctl_device_get_group_id(dev));
		if (!g || iommuctl_group_get_resv_regions(g, &r, &n) < 0)
			continue;
		for (i = 0; i < n; i++) {
			const char *basis = NULL, *unit;
			struct iommuctl_iommu *it;
			enum iommuctl_iommu_kind kind = IOMMUCTL_IOMMU_OTHER;
			bool sw = false;

			if (r[i].start > last || r[i].end < first)
				continue;
			if (r[i].type == IOMMUCTL_RESV_MSI) {
				unit = iommuctl_group_get_iommu(g);
				it = unit ? iommuctl_iommu_get_by_name(
						    ioas->s->ctx, unit) :
					    NULL;
				if (it)
					kind = iommuctl_iommu_get_kind(it);
				sw = iommuctl_msi_classify(&r[i], kind,
							   &basis) ==
				     IOMMUCTL_MSI_SW;
			}
			append(&text,
			       "reserved region 0x%llx-0x%llx (%s) of group %u, %s, %s%s%s",
			       (unsigned long long)r[i].start,
			       (unsigned long long)r[i].end,
			       iommuctl_resv_type_name(r[i].type),
			       iommuctl_group_get_id(g), iommuctl_obj_label(d),
			       d->dev_name,
			       basis ? (sw ? ": a software MSI window: " :
					     ": a hardware MSI window: ") :
				       "",
			       basis ?: "");
		}
	}
	if (!text && last == UINT64_MAX)
		append(&text,
		       "beyond the input address size of the IOMMU of its devices (the aperture), not a reserved region");
	return text;
}

IOMMUCTL_EXPORT size_t iommuctl_iova_gaps(const struct iommuctl_iova_range *r,
					  size_t n,
					  struct iommuctl_iova_range *gaps)
{
	uint64_t first = 0, last;
	size_t i, k = 0;
	bool gap;

	for (i = 0; i <= n; i++) {
		last = i < n ? r[i].start - 1 : UINT64_MAX;
		gap = i < n ? r[i].start > first : first != 0 || !n;
		if (gap && first <= last)
			gaps[k++] = (struct iommuctl_iova_range){ first, last };
		if (i < n) {
			if (r[i].last == UINT64_MAX)
				break;
			first = r[i].last + 1;
		}
	}
	return k;
}

IOMMUCTL_EXPORT char *iommuctl_ioas_explain_hole(struct iommuctl_obj *ioas,
						 uint64_t first, uint64_t last)
{
	if (check_ioas(ioas) < 0 || first > last)
		return NULL;
	return name_reserved(ioas, first, last);
}

/* Why the kernel refused [iova, iova+len) with EINVAL: alignment or a
 * reserved range, found by asking for the usable ranges. */
static void explain_einval(struct iommuctl_obj *ioas, uint64_t iova,
			   uint64_t len, bool fixed)
{
	struct iommuctl_iova_range *r = NULL;
	uint64_t align = 0, last = iova + len - 1, gap_first, gap_last;
	size_t n = 0, i;
	char *who;

	if (iommuctl_ioas_ranges(ioas, &r, &n, &align) < 0)
		return;
	if (align > 1 && (len % align || (fixed && iova % align))) {
		ses_why(ioas->s,
			"%s needs IOVAs and lengths aligned to 0x%llx (the IOMMU page size of its devices)",
			iommuctl_obj_label(ioas), (unsigned long long)align);
		goto out;
	}
	if (!fixed)
		goto out;
	/* the first reserved gap that intersects [iova, last] */
	gap_first = 0;
	for (i = 0; i <= n; i++) {
		gap_last = i < n ? (r[i].start ? r[i].start - 1 : 0) :
				   UINT64_MAX;
		if (i < n && r[i].start == 0) {
			gap_first = r[i].last + 1;
			continue;
		}
		if (gap_first <= gap_last && gap_first <= last &&
		    gap_last >= iova) {
			who = name_reserved(ioas, gap_first, gap_last);
			ses_why(ioas->s,
				"0x%llx-0x%llx overlaps reserved IOVA range 0x%llx-0x%llx of %s%s%s",
				(unsigned long long)iova,
				(unsigned long long)last,
				(unsigned long long)gap_first,
				(unsigned long long)gap_last,
				iommuctl_obj_label(ioas), who ? ": " : "",
				who ?: "");
			free(who);
			goto out;
		}
		if (i < n) {
			if (r[i].last == UINT64_MAX)
				break;
			gap_first = r[i].last + 1;
		}
	}
out:
	free(r);
}

static void explain_map_error(struct iommuctl_obj *ioas, int rc, uint64_t iova,
			      uint64_t len, bool fixed)
{
	struct ic_map *m;
	char buf[160];

	switch (rc) {
	case -EEXIST:
		m = map_overlapping(ioas, iova, len);
		if (m) {
			map_text(m, buf, sizeof(buf));
			ses_why(ioas->s,
				"0x%llx-0x%llx overlaps mapping %s of %s",
				(unsigned long long)iova,
				(unsigned long long)(iova + len - 1), buf,
				iommuctl_obj_label(ioas));
		} else {
			ses_why(ioas->s,
				"0x%llx-0x%llx is already mapped in %s (not by this session)",
				(unsigned long long)iova,
				(unsigned long long)(iova + len - 1),
				iommuctl_obj_label(ioas));
		}
		break;
	case -EINVAL:
		explain_einval(ioas, iova, len, fixed);
		break;
	case -ENOSPC:
		ses_why(ioas->s, "%s has no free IOVA hole of 0x%llx bytes%s",
			iommuctl_obj_label(ioas), (unsigned long long)len,
			ioas->nallowed ? " inside its allowed ranges" : "");
		break;
	case -ENOMEM:
		ses_why(ioas->s,
			"the kernel could not pin 0x%llx bytes: RLIMIT_MEMLOCK (ulimit -l) or memory",
			(unsigned long long)len);
		break;
	case -EOVERFLOW:
		ses_why(ioas->s, "0x%llx + 0x%llx overflows the IOVA space",
			(unsigned long long)iova, (unsigned long long)len);
		break;
	default:
		break;
	}
}

/* The IOMMU_IOAS_MAP* flags @args asks for, and the IOVA when it is fixed */
static int map_flags(struct iommuctl_session *s,
		     const struct iommuctl_map_args *args, __u32 *flags,
		     __u64 *iova)
{
	if (!(args->perm & (IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE)) ||
	    (args->perm & ~(IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE))) {
		ses_why(s,
			"a mapping must allow the device to read, write or both");
		return -EINVAL;
	}
	*flags = 0;
	if (args->perm & IOMMUCTL_MAP_READ)
		*flags |= IC_IOMMU_IOAS_MAP_READABLE;
	if (args->perm & IOMMUCTL_MAP_WRITE)
		*flags |= IC_IOMMU_IOAS_MAP_WRITEABLE;
	if (args->fixed) {
		*flags |= IC_IOMMU_IOAS_MAP_FIXED_IOVA;
		*iova = args->iova;
	}
	return 0;
}

static int mem_alloc(struct iommuctl_session *s,
		     const struct iommuctl_map_args *a, struct ic_mem **out)
{
	struct ic_mem *m;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS, fd = -1;
	void *va;

	if (!a->length) {
		ses_why(s, "the length must not be 0");
		return -EINVAL;
	}
	if (a->length > SIZE_MAX)
		return -EOVERFLOW;
	switch (a->mem) {
	case IOMMUCTL_MEM_ANON:
		break;
	case IOMMUCTL_MEM_HUGETLB:
		if (a->page_size != (2ULL << 20) &&
		    a->page_size != (1ULL << 30)) {
			ses_why(s, "hugetlb pages are 2M or 1G");
			return -EINVAL;
		}
		if (a->length % a->page_size) {
			ses_why(s,
				"the length 0x%llx is not a multiple of the huge page size 0x%llx",
				(unsigned long long)a->length,
				(unsigned long long)a->page_size);
			return -EINVAL;
		}
		flags |= MAP_HUGETLB | ((a->page_size == (2ULL << 20) ? 21 : 30)
					<< MAP_HUGE_SHIFT);
		break;
	case IOMMUCTL_MEM_MEMFD:
		fd = memfd_create("iommuctl", MFD_CLOEXEC);
		if (fd < 0)
			return -errno;
		if (ftruncate(fd, (off_t)a->length) < 0) {
			int e = -errno;

			close(fd);
			return e;
		}
		flags = MAP_SHARED;
		break;
	default:
		return -EINVAL;
	}
	va = mmap(NULL, a->length, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (va == MAP_FAILED) {
		int e = -errno;

		if (a->mem == IOMMUCTL_MEM_HUGETLB)
			ses_why(s,
				"no %s huge pages available for 0x%llx bytes (see /proc/sys/vm/nr_hugepages and /sys/kernel/mm/hugepages)",
				a->page_size == (2ULL << 20) ? "2M" : "1G",
				(unsigned long long)a->length);
		if (fd >= 0)
			close(fd);
		return e;
	}
	/* fault the pages in now: a failure shows here, not as EFAULT later */
	memset(va, 0, a->length);
	m = calloc(1, sizeof(*m));
	if (!m) {
		munmap(va, a->length);
		if (fd >= 0)
			close(fd);
		return -ENOMEM;
	}
	m->va = va;
	m->len = a->length;
	m->fd = fd;
	m->refs = 1;
	*out = m;
	return 0;
}

static int iommuctl_ioas_map_impl(struct iommuctl_obj *ioas,
				  const struct iommuctl_map_args *args,
				  uint64_t *iova)
{
	struct ic_iommu_ioas_map m = { .size = sizeof(m) };
	struct iommuctl_mapping rec;
	struct ic_mem *mem = NULL;
	int rc;

	rc = check_ioas(ioas);
	if (rc < 0 || !args)
		return rc < 0 ? rc : -EINVAL;
	rc = map_flags(ioas->s, args, &m.flags, &m.iova);
	if (rc < 0)
		return rc;
	rc = mem_alloc(ioas->s, args, &mem);
	if (rc < 0)
		return rc;
	m.ioas_id = ioas->id;
	m.user_va = (uintptr_t)mem->va;
	m.length = args->length;
	rc = ses_ioctl(ioas->s, IOMMUFD_CMD_IOAS_MAP, &m);
	if (rc < 0) {
		explain_map_error(ioas, rc, args->iova, args->length,
				  args->fixed);
		ses_mem_put(mem);
		return rc;
	}
	memset(&rec, 0, sizeof(rec));
	rec.iova = m.iova;
	rec.length = args->length;
	rec.perm = args->perm;
	rec.mem = args->mem;
	rec.page_size = args->mem == IOMMUCTL_MEM_HUGETLB ? args->page_size : 0;
	rec.va = (uintptr_t)mem->va;
	rc = add_map(ioas, &rec, mem, NULL);
	ses_mem_put(mem); /* the mapping holds it now */
	if (rc < 0)
		return rc;
	if (iova)
		*iova = m.iova;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_ioas_map_sz(struct iommuctl_obj *ioas,
					 const struct iommuctl_map_args *args,
					 uint64_t *iova, size_t size)
{
	int rc = sz_in(args, size, sizeof(*args));

	return rc < 0 ? rc : iommuctl_ioas_map_impl(ioas, args, iova);
}

static int iommuctl_ioas_map_file_impl(struct iommuctl_obj *ioas,
				       const struct iommuctl_map_args *args,
				       uint64_t *iova)
{
	struct ic_iommu_ioas_map_file m = { .size = sizeof(m) };
	struct iommuctl_mapping rec;
	struct ic_mem *mem;
	int rc, fd;

	rc = check_ioas(ioas);
	if (rc < 0 || !args || !args->path)
		return rc < 0 ? rc : -EINVAL;
	rc = ses_need(ioas->s, IOMMUFD_CMD_IOAS_MAP_FILE, "IOMMU_IOAS_MAP_FILE",
		      "6.13");
	if (rc < 0)
		return rc;
	rc = map_flags(ioas->s, args, &m.flags, &m.iova);
	if (rc < 0)
		return rc;
	fd = open(args->path,
		  ((args->perm & IOMMUCTL_MAP_WRITE) ? O_RDWR : O_RDONLY) |
			  O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		ses_why(ioas->s, "cannot open %s: %s", args->path,
			strerror(-rc));
		return rc;
	}
	m.ioas_id = ioas->id;
	m.fd = fd;
	m.start = args->offset;
	m.length = args->length;
	rc = ses_ioctl(ioas->s, IOMMUFD_CMD_IOAS_MAP_FILE, &m);
	if (rc < 0) {
		explain_map_error(ioas, rc, args->iova, args->length,
				  args->fixed);
		if (rc == -EINVAL && !iommuctl_session_error(ioas->s))
			ses_why(ioas->s,
				"the kernel cannot map %s: it must be a memfd, shmem or hugetlbfs file and the offset page aligned",
				args->path);
		close(fd);
		return rc;
	}
	mem = calloc(1, sizeof(*mem));
	if (!mem) {
		close(fd);
		return -ENOMEM;
	}
	mem->fd = fd;
	mem->refs = 1;
	memset(&rec, 0, sizeof(rec));
	rec.iova = m.iova;
	rec.length = args->length;
	rec.perm = args->perm;
	rec.mem = IOMMUCTL_MEM_FILE;
	rec.offset = args->offset;
	rc = add_map(ioas, &rec, mem, args->path);
	ses_mem_put(mem);
	if (rc < 0)
		return rc;
	if (iova)
		*iova = m.iova;
	return 0;
}

IOMMUCTL_EXPORT int
iommuctl_ioas_map_file_sz(struct iommuctl_obj *ioas,
			  const struct iommuctl_map_args *args, uint64_t *iova,
			  size_t size)
{
	int rc = sz_in(args, size, sizeof(*args));

	return rc < 0 ? rc : iommuctl_ioas_map_file_impl(ioas, args, iova);
}

/* Pins by an access, or a HW queue, inside [iova, last]? */
static struct iommuctl_obj *pinned_by(struct iommuctl_obj *ioas)
{
	struct iommuctl_obj *x;

	for (x = ioas->s->first; x; x = x->next)
		if ((x->type == IOMMUCTL_OBJ_ACCESS && x->ioas == ioas &&
		     x->npins) ||
		    (x->type == IOMMUCTL_OBJ_HW_QUEUE && x->parent &&
		     x->parent->parent && x->parent->parent->ioas == ioas))
			return x;
	return NULL;
}

IOMMUCTL_EXPORT int iommuctl_ioas_unmap(struct iommuctl_obj *ioas,
					uint64_t iova, uint64_t length,
					uint64_t *unmapped)
{
	struct ic_iommu_ioas_unmap u = { .size = sizeof(u) };
	bool all = !iova && (!length || length == UINT64_MAX);
	uint64_t last;
	size_t i, j;
	int rc;

	rc = check_ioas(ioas);
	if (rc < 0)
		return rc;
	u.ioas_id = ioas->id;
	u.iova = all ? 0 : iova;
	u.length = all ? UINT64_MAX : length;
	rc = ses_ioctl(ioas->s, IOMMUFD_CMD_IOAS_UNMAP, &u);
	if (rc < 0) {
		struct ic_map *a = all ? NULL : map_at(ioas, iova);
		struct ic_map *b =
			all || !length ? NULL : map_at(ioas, iova + length - 1);
		struct iommuctl_obj *p;
		char buf[160];

		if (rc == -ENOENT && a && a->m.iova != iova) {
			map_text(a, buf, sizeof(buf));
			ses_why(ioas->s,
				"0x%llx cuts through mapping %s; unmap whole mappings (this one starts at 0x%llx and is 0x%llx bytes)",
				(unsigned long long)iova, buf,
				(unsigned long long)a->m.iova,
				(unsigned long long)a->m.length);
		} else if (rc == -ENOENT && b &&
			   b->m.iova + b->m.length != iova + length) {
			map_text(b, buf, sizeof(buf));
			ses_why(ioas->s,
				"0x%llx-0x%llx ends inside mapping %s; unmap whole mappings (up to 0x%llx)",
				(unsigned long long)iova,
				(unsigned long long)(iova + length - 1), buf,
				(unsigned long long)(b->m.iova + b->m.length -
						     1));
		} else if (rc == -ENOENT &&
			   !map_overlapping(ioas, iova, length ? length : 1)) {
			ses_why(ioas->s,
				"nothing is mapped at 0x%llx-0x%llx in %s",
				(unsigned long long)iova,
				(unsigned long long)(iova + length - 1),
				iommuctl_obj_label(ioas));
		} else if ((rc == -EBUSY || rc == -EDEADLK) &&
			   (p = pinned_by(ioas))) {
			ses_why(ioas->s,
				"pages in %s are pinned by %s; unpin or destroy it first",
				iommuctl_obj_label(ioas),
				iommuctl_obj_label(p));
		}
		return rc;
	}
	/* forget every mapping inside the range */
	last = all ? UINT64_MAX : iova + length - 1;
	for (i = 0, j = 0; i < ioas->nmaps; i++) {
		struct ic_map *m = &ioas->maps[i];

		if (m->m.iova >= (all ? 0 : iova) &&
		    m->m.iova + m->m.length - 1 <= last) {
			ses_mem_put(m->mem);
			free(m->path);
			continue;
		}
		ioas->maps[j++] = *m;
	}
	ioas->nmaps = j;
	mview_drop(ioas);
	ses_access_unmapped(ioas, all ? 0 : iova, last);
	if (unmapped)
		*unmapped = u.length;
	return 0;
}

static int iommuctl_ioas_copy_impl(struct iommuctl_obj *dst,
				   struct iommuctl_obj *src, uint64_t src_iova,
				   uint64_t length,
				   const struct iommuctl_map_args *args,
				   uint64_t *iova)
{
	struct ic_iommu_ioas_copy c = { .size = sizeof(c) };
	struct iommuctl_mapping rec;
	struct ic_map *from;
	int rc;

	rc = check_ioas(dst);
	if (rc < 0 || !args)
		return rc < 0 ? rc : -EINVAL;
	rc = ses_check(dst->s, src, IOMMUCTL_OBJ_IOAS, "an ioas");
	if (rc < 0)
		return rc;
	rc = map_flags(dst->s, args, &c.flags, &c.dst_iova);
	if (rc < 0)
		return rc;
	c.dst_ioas_id = dst->id;
	c.src_ioas_id = src->id;
	c.length = length;
	c.src_iova = src_iova;
	rc = ses_ioctl(dst->s, IOMMUFD_CMD_IOAS_COPY, &c);
	from = map_at(src, src_iova);
	if (rc < 0) {
		if (rc == -ENOENT && !from)
			ses_why(dst->s, "nothing is mapped at 0x%llx in %s",
				(unsigned long long)src_iova,
				iommuctl_obj_label(src));
		else if ((rc == -ENOENT || rc == -EINVAL) && from &&
			 (from->m.iova != src_iova ||
			  from->m.length < length)) {
			char buf[160];

			map_text(from, buf, sizeof(buf));
			ses_why(dst->s,
				"a copy must cover whole mappings of %s; 0x%llx+0x%llx does not match mapping %s",
				iommuctl_obj_label(src),
				(unsigned long long)src_iova,
				(unsigned long long)length, buf);
		} else if (rc == -EPERM) {
			ses_why(dst->s,
				"the source mapping does not let the device write; copy it read-only");
		} else {
			explain_map_error(dst, rc, args->iova, length,
					  args->fixed);
		}
		return rc;
	}
	memset(&rec, 0, sizeof(rec));
	rec.iova = c.dst_iova;
	rec.length = length;
	rec.perm = args->perm;
	rec.mem = IOMMUCTL_MEM_COPY;
	rec.src = src;
	rec.src_iova = src_iova;
	if (from && from->m.iova == src_iova)
		rec.va = from->m.va;
	rc = add_map(dst, &rec, from ? from->mem : NULL, NULL);
	if (rc < 0)
		return rc;
	if (iova)
		*iova = c.dst_iova;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_ioas_copy_sz(struct iommuctl_obj *dst,
					  struct iommuctl_obj *src,
					  uint64_t src_iova, uint64_t length,
					  const struct iommuctl_map_args *args,
					  uint64_t *iova, size_t size)
{
	int rc = sz_in(args, size, sizeof(*args));

	return rc < 0 ? rc :
			iommuctl_ioas_copy_impl(dst, src, src_iova, length,
						args, iova);
}

IOMMUCTL_EXPORT int iommuctl_ioas_allow(struct iommuctl_obj *ioas,
					const struct iommuctl_iova_range *r,
					size_t n)
{
	struct ic_iommu_ioas_allow_iovas a = { .size = sizeof(a) };
	struct ic_iommu_iova_range *v = NULL;
	struct iommuctl_iova_range *copy = NULL;
	size_t i;
	int rc;

	rc = check_ioas(ioas);
	if (rc < 0)
		return rc;
	if (n > UINT32_MAX || (n && !r))
		return -EINVAL;
	if (n) {
		v = calloc(n, sizeof(*v));
		copy = calloc(n, sizeof(*copy));
		if (!v || !copy) {
			free(v);
			free(copy);
			return -ENOMEM;
		}
		for (i = 0; i < n; i++) {
			v[i].start = r[i].start;
			v[i].last = r[i].last;
			copy[i] = r[i];
		}
	}
	a.ioas_id = ioas->id;
	a.num_iovas = (uint32_t)n;
	a.allowed_iovas = (uintptr_t)v;
	rc = ses_ioctl(ioas->s, IOMMUFD_CMD_IOAS_ALLOW_IOVAS, &a);
	free(v);
	if (rc < 0) {
		free(copy);
		if (rc == -EADDRINUSE) {
			struct iommuctl_iova_range *u = NULL;
			size_t nu = 0, k;

			/* which requested range hits a reserved one */
			if (iommuctl_ioas_ranges(ioas, &u, &nu, NULL) == 0) {
				for (i = 0; i < n; i++) {
					bool inside = false;

					for (k = 0; k < nu; k++)
						if (r[i].start >= u[k].start &&
						    r[i].last <= u[k].last)
							inside = true;
					if (!inside) {
						char *who = name_reserved(
							ioas, r[i].start,
							r[i].last);

						ses_why(ioas->s,
							"allowed range 0x%llx-0x%llx overlaps a reserved IOVA range of %s%s%s",
							(unsigned long long)r[i]
								.start,
							(unsigned long long)r[i]
								.last,
							iommuctl_obj_label(
								ioas),
							who ? ": " : "",
							who ?: "");
						free(who);
						break;
					}
				}
				free(u);
			}
		} else if (rc == -EINVAL) {
			ses_why(ioas->s,
				"allowed ranges must have start < last and must not overlap each other");
		}
		return rc;
	}
	free(ioas->allowed);
	ioas->allowed = copy;
	ioas->nallowed = n;
	return 0;
}

IOMMUCTL_EXPORT const struct iommuctl_iova_range *
iommuctl_ioas_get_allowed(struct iommuctl_obj *ioas, size_t *n)
{
	if (n)
		*n = ioas && ioas->type == IOMMUCTL_OBJ_IOAS ? ioas->nallowed :
							       0;
	return ioas ? ioas->allowed : NULL;
}

IOMMUCTL_EXPORT int iommuctl_ioas_reserve(struct iommuctl_obj *ioas,
					  uint64_t iova, uint64_t length)
{
	struct ic_iommu_test_cmd t;
	struct iommuctl_iova_range *v;
	struct ic_map *m;
	char buf[160];
	size_t k;
	int rc;

	rc = check_ioas(ioas);
	if (rc < 0)
		return rc;
	rc = ses_need_selftest(ioas->s, "reserving IOVAs (ADD_RESERVED)");
	if (rc < 0)
		return rc;
	memset(&t, 0, sizeof(t));
	t.op = IC_IOMMU_TEST_OP_ADD_RESERVED;
	t.id = ioas->id;
	t.add_reserved.start = iova;
	t.add_reserved.length = length;
	rc = ses_test_cmd(ioas->s, &t);
	if (rc == -EINVAL && !length) {
		ses_why(ioas->s, "a reserved range needs a size");
	} else if (rc == -EOVERFLOW) {
		ses_why(ioas->s, "0x%llx + 0x%llx overflows the IOVA space",
			(unsigned long long)iova, (unsigned long long)length);
	} else if (rc == -EADDRINUSE) {
		m = map_overlapping(ioas, iova, length);
		if (m)
			map_text(m, buf, sizeof(buf));
		for (k = 0; !m && k < ioas->nallowed; k++)
			if (ioas->allowed[k].start <= iova + length - 1 &&
			    ioas->allowed[k].last >= iova)
				break;
		if (m)
			ses_why(ioas->s,
				"0x%llx-0x%llx overlaps mapping %s of %s; unmap it first",
				(unsigned long long)iova,
				(unsigned long long)(iova + length - 1), buf,
				iommuctl_obj_label(ioas));
		else if (k < ioas->nallowed)
			ses_why(ioas->s,
				"0x%llx-0x%llx overlaps allowed range 0x%llx-0x%llx of %s ('ioas allow')",
				(unsigned long long)iova,
				(unsigned long long)(iova + length - 1),
				(unsigned long long)ioas->allowed[k].start,
				(unsigned long long)ioas->allowed[k].last,
				iommuctl_obj_label(ioas));
		else
			ses_why(ioas->s,
				"0x%llx-0x%llx is mapped or allowed in %s (not by this session)",
				(unsigned long long)iova,
				(unsigned long long)(iova + length - 1),
				iommuctl_obj_label(ioas));
	}
	if (rc < 0)
		return rc;
	v = realloc(ioas->reserved, (ioas->nreserved + 1) * sizeof(*v));
	if (!v)
		return 0; /* reserved all the same; only the record is lost */
	v[ioas->nreserved].start = iova;
	v[ioas->nreserved].last = iova + length - 1;
	ioas->reserved = v;
	ioas->nreserved++;
	return 0;
}

IOMMUCTL_EXPORT const struct iommuctl_iova_range *
iommuctl_ioas_get_reserved(struct iommuctl_obj *ioas, size_t *n)
{
	bool ok = ioas && ioas->type == IOMMUCTL_OBJ_IOAS && ioas->nreserved;

	if (n)
		*n = ok ? ioas->nreserved : 0;
	return ok ? ioas->reserved : NULL;
}

static int option_call(struct iommuctl_session *s, unsigned int option,
		       struct iommuctl_obj *ioas, uint16_t op, uint64_t *val)
{
	struct ic_iommu_option o = { .size = sizeof(o) };
	int rc;

	if (!s || !val)
		return -EINVAL;
	ses_clear(s);
	if (option == IOMMUCTL_OPTION_HUGE_PAGES) {
		rc = ses_check(s, ioas, IOMMUCTL_OBJ_IOAS, "an ioas");
		if (rc < 0) {
			if (!ioas)
				ses_why(s,
					"the huge-pages option belongs to an ioas");
			return rc;
		}
		o.object_id = ioas->id;
	} else if (option != IOMMUCTL_OPTION_RLIMIT_MODE) {
		return -EINVAL;
	}
	o.option_id = option;
	o.op = op;
	o.val64 = *val;
	rc = ses_ioctl(s, IOMMUFD_CMD_OPTION, &o);
	if (rc < 0) {
		if (op == IC_IOMMU_OPTION_OP_SET &&
		    option == IOMMUCTL_OPTION_RLIMIT_MODE) {
			if (rc == -EBUSY)
				ses_why(s,
					"the accounting mode can only change before the session has objects (it has %s)",
					s->first ?
						iommuctl_obj_label(s->first) :
						"some");
			else if (rc == -EPERM)
				ses_why(s,
					"changing the accounting mode needs CAP_SYS_RESOURCE");
		}
		if (rc == -EOPNOTSUPP)
			ses_why(s, "this kernel does not know option %u",
				option);
		return rc;
	}
	*val = o.val64;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_option_get(struct iommuctl_session *s,
					unsigned int option,
					struct iommuctl_obj *ioas,
					uint64_t *val)
{
	if (val)
		*val = 0;
	return option_call(s, option, ioas, IC_IOMMU_OPTION_OP_GET, val);
}

IOMMUCTL_EXPORT int iommuctl_option_set(struct iommuctl_session *s,
					unsigned int option,
					struct iommuctl_obj *ioas, uint64_t val)
{
	if (val > 1) {
		if (s)
			ses_why(s, "option values are 0 or 1");
		return -EINVAL;
	}
	return option_call(s, option, ioas, IC_IOMMU_OPTION_OP_SET, &val);
}

IOMMUCTL_EXPORT int iommuctl_ioas_vfio_compat(struct iommuctl_session *s,
					      struct iommuctl_obj *set,
					      bool clear,
					      struct iommuctl_obj **out)
{
	struct ic_iommu_vfio_ioas v = { .size = sizeof(v) };
	int rc;

	if (!s || (set && clear))
		return -EINVAL;
	ses_clear(s);
	if (out)
		*out = NULL;
	if (set) {
		rc = ses_check(s, set, IOMMUCTL_OBJ_IOAS, "an ioas");
		if (rc < 0)
			return rc;
		v.op = IC_IOMMU_VFIO_IOAS_SET;
		v.ioas_id = set->id;
	} else if (clear) {
		v.op = IC_IOMMU_VFIO_IOAS_CLEAR;
	}
	if (set || clear) {
		rc = ses_ioctl(s, IOMMUFD_CMD_VFIO_IOAS, &v);
		if (rc < 0)
			return rc;
		memset(&v, 0, sizeof(v));
		v.size = sizeof(v);
	}
	v.op = IC_IOMMU_VFIO_IOAS_GET;
	rc = ses_ioctl(s, IOMMUFD_CMD_VFIO_IOAS, &v);
	if (rc == -ENODEV) {
		ses_why(s,
			"no IOAS is selected for the VFIO container interface");
		return clear ? 0 : rc;
	}
	if (rc < 0)
		return rc;
	if (out)
		*out = iommuctl_session_find_id(s, v.ioas_id);
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_ioas_change_process(struct iommuctl_session *s)
{
	struct ic_iommu_ioas_change_process c = { .size = sizeof(c) };
	struct iommuctl_obj *o;
	size_t i;
	int rc;

	if (!s)
		return -EINVAL;
	ses_clear(s);
	rc = ses_need(s, IOMMUFD_CMD_IOAS_CHANGE_PROCESS,
		      "IOMMU_IOAS_CHANGE_PROCESS", "6.13");
	if (rc < 0)
		return rc;
	rc = ses_ioctl(s, IOMMUFD_CMD_IOAS_CHANGE_PROCESS, &c);
	if (rc == -EINVAL) {
		for (o = s->first; o; o = o->next)
			for (i = 0;
			     o->type == IOMMUCTL_OBJ_IOAS && i < o->nmaps; i++)
				if (o->maps[i].m.mem != IOMMUCTL_MEM_FILE) {
					char buf[160];

					map_text(&o->maps[i], buf, sizeof(buf));
					ses_why(s,
						"only file mappings (map-file) can change process; mapping %s of %s is not one",
						buf, iommuctl_obj_label(o));
					return rc;
				}
	}
	return rc;
}

/* ---- the object type ------------------------------------------------- */

static void ioas_release(struct iommuctl_obj *o)
{
	size_t i;

	for (i = 0; i < o->nmaps; i++) {
		ses_mem_put(o->maps[i].mem);
		free(o->maps[i].path);
	}
	free(o->maps);
	free(o->reserved);
}

const struct obj_ops ioas_ops = {
	.type = IOMMUCTL_OBJ_IOAS,
	.word = "ioas",
	.release = ioas_release,
};
