// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* Hardware page tables, hw_info, fault queues, vIOMMU, vDEVICE, vEVENTQ,
 * HW queues. */
#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"
#include "abi/iommufd.h"

static const char *flag_names(uint32_t flags, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s",
		 flags & IOMMUCTL_HWPT_NEST_PARENT ? " nest-parent" : "",
		 flags & IOMMUCTL_HWPT_DIRTY_TRACKING ? " dirty-tracking" : "",
		 flags & IOMMUCTL_HWPT_FAULT ? " fault" : "",
		 flags & IOMMUCTL_HWPT_PASID ? " pasid" : "");
	return buf[0] ? buf + 1 : buf;
}

static int iommuctl_hwpt_alloc_impl(struct iommuctl_session *s,
				    const struct iommuctl_hwpt_args *a,
				    struct iommuctl_obj **out)
{
	struct ic_iommu_hwpt_alloc h = { .size = sizeof(h) };
	struct iommuctl_obj *o;
	bool nested;
	char fb[80];
	int rc;

	if (!s || !a || !out)
		return -EINVAL;
	ses_clear(s);
	rc = ses_check(s, a->device, IOMMUCTL_OBJ_DEVICE, "a device");
	if (rc < 0)
		return rc;
	if (!a->pt)
		return -EINVAL;
	nested = a->pt->type != IOMMUCTL_OBJ_IOAS;
	if (nested && a->pt->type != IOMMUCTL_OBJ_HWPT_PAGING &&
	    a->pt->type != IOMMUCTL_OBJ_VIOMMU) {
		ses_why(s,
			"%s is a %s; a hwpt is allocated from an ioas (paging) or from a nest-parent hwpt or viommu (nested)",
			iommuctl_obj_label(a->pt),
			iommuctl_obj_type_name(a->pt->type));
		return -EINVAL;
	}
	if (nested && a->pt->type == IOMMUCTL_OBJ_HWPT_PAGING &&
	    !(a->pt->flags & IOMMUCTL_HWPT_NEST_PARENT)) {
		ses_why(s,
			"%s was not allocated with --nest-parent, so it cannot be the parent of a nested hwpt",
			iommuctl_obj_label(a->pt));
		return -EINVAL;
	}
	if (nested && a->data_type == IOMMUCTL_HWPT_DATA_NONE) {
		ses_why(s, "a nested hwpt needs driver data (a data type)");
		return -EINVAL;
	}
	if (!nested && a->data_type != IOMMUCTL_HWPT_DATA_NONE) {
		ses_why(s,
			"a paging hwpt takes no driver data; give a nest-parent hwpt to make a nested one");
		return -EINVAL;
	}
	if ((a->flags & IOMMUCTL_HWPT_FAULT) && !a->fault) {
		ses_why(s, "a fault-capable hwpt needs a fault queue");
		return -EINVAL;
	}
	if (a->fault) {
		rc = ses_check(s, a->fault, IOMMUCTL_OBJ_FAULT,
			       "a fault queue");
		if (rc < 0)
			return rc;
		h.fault_id = a->fault->id;
		h.flags |= IC_IOMMU_HWPT_FAULT_ID_VALID;
	}
	if (a->flags & IOMMUCTL_HWPT_NEST_PARENT)
		h.flags |= IC_IOMMU_HWPT_ALLOC_NEST_PARENT;
	if (a->flags & IOMMUCTL_HWPT_DIRTY_TRACKING)
		h.flags |= IC_IOMMU_HWPT_ALLOC_DIRTY_TRACKING;
	if (a->flags & IOMMUCTL_HWPT_PASID)
		h.flags |= IC_IOMMU_HWPT_ALLOC_PASID;
	h.dev_id = a->device->id;
	h.pt_id = a->pt->id;
	h.data_type = a->data_type;
	h.data_len = a->data_len;
	h.data_uptr = (uintptr_t)a->data;
	rc = ses_need(s, IOMMUFD_CMD_HWPT_ALLOC, "IOMMU_HWPT_ALLOC", "6.6");
	if (rc < 0)
		return rc;
	rc = ses_ioctl(s, IOMMUFD_CMD_HWPT_ALLOC, &h);
	if (rc == -EOPNOTSUPP)
		ses_why(s,
			"the kernel or the IOMMU of %s does not support %s%s%s",
			iommuctl_obj_label(a->device),
			a->flags ? flag_names(a->flags, fb, sizeof(fb)) : "",
			a->flags && nested ? " with " : "",
			nested ? "this nested data type" : "");
	else if (rc == -EINVAL && nested)
		ses_why(s,
			"the kernel refused the nested hwpt: the parent and %s must use the same IOMMU, and the data must be valid for its driver",
			iommuctl_obj_label(a->device));
	if (rc < 0)
		return rc;
	o = ses_obj_made(s, nested ? &hwpt_nested_ops : &hwpt_paging_ops,
			 h.out_hwpt_id, -1);
	if (!o)
		return -ENOMEM;
	o->ioas = nested ? NULL : a->pt;
	o->parent = nested ? a->pt : NULL;
	o->device = a->device;
	o->fault = a->fault;
	o->flags = a->flags | (a->fault ? IOMMUCTL_HWPT_FAULT : 0);
	o->kind = a->data_type;
	if (a->data_type == IOMMUCTL_HWPT_DATA_ARM_SMMUV3 && a->data &&
	    a->data_len >= sizeof(o->ste)) {
		memcpy(o->ste, a->data, sizeof(o->ste)); /* little endian */
		o->ste[0] = le64toh(o->ste[0]);
		o->ste[1] = le64toh(o->ste[1]);
		o->have_ste = true;
	}
	*out = o;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_hwpt_alloc_sz(struct iommuctl_session *s,
					   const struct iommuctl_hwpt_args *a,
					   struct iommuctl_obj **out,
					   size_t size)
{
	int rc = sz_in(a, size, sizeof(*a));

	return rc < 0 ? rc : iommuctl_hwpt_alloc_impl(s, a, out);
}

static int check_paging(struct iommuctl_obj *o)
{
	if (!o)
		return -EINVAL;
	ses_clear(o->s);
	if (o->type == IOMMUCTL_OBJ_HWPT_NESTED) {
		ses_why(o->s,
			"%s is nested; dirty tracking belongs to its paging parent",
			iommuctl_obj_label(o));
		return -EINVAL;
	}
	return ses_check(o->s, o, IOMMUCTL_OBJ_HWPT_PAGING, "a paging hwpt");
}

IOMMUCTL_EXPORT int iommuctl_hwpt_set_dirty_tracking(struct iommuctl_obj *o,
						     bool enable)
{
	struct ic_iommu_hwpt_set_dirty_tracking d = { .size = sizeof(d) };
	int rc = check_paging(o);

	if (rc < 0)
		return rc;
	rc = ses_need(o->s, IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING,
		      "IOMMU_HWPT_SET_DIRTY_TRACKING", "6.7");
	if (rc < 0)
		return rc;
	d.flags = enable ? IC_IOMMU_HWPT_DIRTY_TRACKING_ENABLE : 0;
	d.hwpt_id = o->id;
	rc = ses_ioctl(o->s, IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING, &d);
	if (rc == -EOPNOTSUPP)
		ses_why(o->s,
			"%s was not allocated with dirty tracking (hwpt alloc --dirty-tracking), or its IOMMU cannot track dirty pages",
			iommuctl_obj_label(o));
	return rc;
}

IOMMUCTL_EXPORT int
iommuctl_hwpt_get_dirty_bitmap(struct iommuctl_obj *o, uint64_t iova,
			       uint64_t length, uint64_t page_size,
			       bool no_clear, uint64_t *bitmap, size_t words)
{
	struct ic_iommu_hwpt_get_dirty_bitmap g = { .size = sizeof(g) };
	size_t psz, buf_len;
	void *buf = NULL;
	uint64_t bits;
	int rc = check_paging(o);

	if (rc < 0)
		return rc;
	if (!bitmap || !page_size || (page_size & (page_size - 1)) || !length) {
		ses_why(o->s,
			"the page size must be a power of two and the length not 0");
		return -EINVAL;
	}
	bits = (length + page_size - 1) / page_size;
	if ((bits + 63) / 64 > words)
		return -EINVAL;
	rc = ses_need(o->s, IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP,
		      "IOMMU_HWPT_GET_DIRTY_BITMAP", "6.7");
	if (rc < 0)
		return rc;
	/*
	 * The kernel pins the pages holding the bitmap and may set bits up to
	 * the end of the last one: a dirty IOPTE larger than the page size (a
	 * huge mapping) that reaches past the range is recorded whole. So it
	 * gets whole pages of our own, and the caller what it asked for.
	 */
	psz = (size_t)sysconf(_SC_PAGESIZE);
	if (psz < 4096 || psz > (1UL << 30))
		psz = 4096;
	buf_len = ((size_t)((bits + 63) / 64) * sizeof(uint64_t) + psz - 1) /
		  psz * psz;
	if (posix_memalign(&buf, psz, buf_len))
		return -ENOMEM;
	memset(buf, 0, buf_len);
	g.hwpt_id = o->id;
	g.flags = no_clear ? IC_IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR : 0;
	g.iova = iova;
	g.length = length;
	g.page_size = page_size;
	g.data = (uintptr_t)buf;
	rc = ses_ioctl(o->s, IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP, &g);
	if (rc == -EINVAL)
		ses_why(o->s,
			"the IOVA, length and page size must be aligned to the page size and to the IOAS alignment, and the range must be mapped");
	else if (rc == -EOPNOTSUPP)
		ses_why(o->s, "%s has no dirty tracking",
			iommuctl_obj_label(o));
	memset(bitmap, 0, words * sizeof(*bitmap));
	if (rc == 0) {
		memcpy(bitmap, buf,
		       (size_t)((bits + 63) / 64) * sizeof(*bitmap));
		if (bits % 64) /* nothing past the range */
			bitmap[bits / 64] &= (1ULL << (bits % 64)) - 1;
	}
	free(buf);
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_hwpt_invalidate(struct iommuctl_obj *o,
					     uint32_t data_type,
					     const void *entries,
					     uint32_t entry_len, uint32_t *num)
{
	struct ic_iommu_hwpt_invalidate inv = { .size = sizeof(inv) };
	int rc;

	if (!o || !num)
		return -EINVAL;
	ses_clear(o->s);
	if (o->type != IOMMUCTL_OBJ_HWPT_NESTED &&
	    o->type != IOMMUCTL_OBJ_VIOMMU) {
		ses_why(o->s,
			"%s is a %s; only nested hwpts and vIOMMUs take invalidations",
			iommuctl_obj_label(o), iommuctl_obj_type_name(o->type));
		return -EINVAL;
	}
	rc = ses_need(o->s, IOMMUFD_CMD_HWPT_INVALIDATE,
		      "IOMMU_HWPT_INVALIDATE", "6.8");
	if (rc < 0)
		return rc;
	inv.hwpt_id = o->id;
	inv.data_uptr = (uintptr_t)entries;
	inv.data_type = data_type;
	inv.entry_len = entry_len;
	inv.entry_num = *num;
	rc = ses_ioctl(o->s, IOMMUFD_CMD_HWPT_INVALIDATE, &inv);
	if (rc == -EOPNOTSUPP)
		ses_why(o->s, "%s does not take invalidations of type 0x%x",
			iommuctl_obj_label(o), data_type);
	else if (rc < 0 && inv.entry_num < *num)
		ses_why(o->s,
			"the kernel handled %u of %u requests; request %u was refused",
			inv.entry_num, *num, inv.entry_num);
	*num = inv.entry_num;
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_device_hw_info_sz(struct iommuctl_obj *dev,
					       struct iommuctl_hw_info *info,
					       size_t size)
{
	struct ic_iommu_hw_info h;
	uint32_t len = 256;
	void *buf = NULL;
	int rc, tries;

	rc = sz_out(info, size, sizeof(*info));
	if (rc < 0)
		return rc;
	if (!dev || !info)
		return -EINVAL;
	ses_clear(dev->s);
	memset(info, 0, sizeof(*info));
	rc = ses_check(dev->s, dev, IOMMUCTL_OBJ_DEVICE, "a device");
	if (rc < 0)
		return rc;
	rc = ses_need(dev->s, IOMMUFD_CMD_GET_HW_INFO, "IOMMU_GET_HW_INFO",
		      "6.6");
	if (rc < 0)
		return rc;
	for (tries = 0; tries < 4; tries++) {
		free(buf);
		buf = calloc(1, len);
		if (!buf)
			return -ENOMEM;
		memset(&h, 0, sizeof(h));
		h.size = sizeof(h);
		h.dev_id = dev->id;
		h.data_len = len;
		h.data_uptr = (uintptr_t)buf;
		rc = ses_ioctl(dev->s, IOMMUFD_CMD_GET_HW_INFO, &h);
		if (rc == -ENOENT && !dev->mock)
			/* the id VFIO_DEVICE_BIND_IOMMUFD gave names an access */
			ses_why(dev->s,
				"%s is an emulated device (an mdev): its VFIO driver bound it to iommufd as an access, not as a device behind an IOMMU, so there is no IOMMU hardware to describe",
				dev->dev_name ?: "the device");
		if (rc < 0) {
			free(buf);
			return rc;
		}
		if (h.data_len <= len)
			break;
		len = h.data_len; /* the driver has more: ask again */
	}
	info->type = h.data_type;
	info->data = buf;
	info->data_len = h.data_len < len ? h.data_len : len;
	info->capabilities = h.out_capabilities;
	info->max_pasid_log2 = h.out_max_pasid_log2;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_fault_alloc(struct iommuctl_session *s,
					 struct iommuctl_obj **out)
{
	struct ic_iommu_fault_alloc f = { .size = sizeof(f) };
	struct iommuctl_obj *o;
	int rc;

	if (!s || !out)
		return -EINVAL;
	ses_clear(s);
	rc = ses_need(s, IOMMUFD_CMD_FAULT_QUEUE_ALLOC,
		      "IOMMU_FAULT_QUEUE_ALLOC", "6.11");
	if (rc < 0)
		return rc;
	rc = ses_ioctl(s, IOMMUFD_CMD_FAULT_QUEUE_ALLOC, &f);
	if (rc < 0)
		return rc;
	o = ses_obj_made(s, &fault_ops, f.out_fault_id, (int)f.out_fault_fd);
	if (!o)
		return -ENOMEM;
	*out = o;
	return 0;
}

static int wait_readable(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int rc;

	do
		rc = poll(&p, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	if (rc < 0)
		return -errno;
	return rc > 0 && (p.revents & POLLIN);
}

static int iommuctl_fault_read_impl(struct iommuctl_obj *o,
				    struct iommuctl_fault_record *recs,
				    size_t max, size_t *n, int timeout_ms)
{
	struct ic_iommu_hwpt_pgfault *raw;
	ssize_t got;
	size_t i;
	int rc;

	if (!o || !recs || !n || !max)
		return -EINVAL;
	ses_clear(o->s);
	*n = 0;
	rc = ses_check(o->s, o, IOMMUCTL_OBJ_FAULT, "a fault queue");
	if (rc < 0)
		return rc;
	rc = wait_readable(o->fd, timeout_ms);
	if (rc <= 0)
		return rc;
	raw = calloc(max, sizeof(*raw));
	if (!raw)
		return -ENOMEM;
	got = read(o->fd, raw, max * sizeof(*raw));
	if (got < 0) {
		rc = -errno;
		if (rc == -EINVAL)
			ses_why(o->s,
				"the next fault group has more than %zu records",
				max);
		free(raw);
		return rc == -EAGAIN ? 0 : rc;
	}
	*n = (size_t)got / sizeof(*raw);
	for (i = 0; i < *n; i++) {
		recs[i].flags = raw[i].flags;
		recs[i].dev_id = raw[i].dev_id;
		recs[i].pasid = raw[i].pasid;
		recs[i].grpid = raw[i].grpid;
		recs[i].perm = raw[i].perm;
		recs[i].addr = raw[i].addr;
		recs[i].length = raw[i].length;
		recs[i].cookie = raw[i].cookie;
	}
	free(raw);
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_fault_read_sz(struct iommuctl_obj *o,
					   struct iommuctl_fault_record *recs,
					   size_t max, size_t *n,
					   int timeout_ms, size_t size)
{
	struct iommuctl_fault_record *tmp;
	size_t cap = max;
	int rc;

	if (size == sizeof(*recs))
		return iommuctl_fault_read_impl(o, recs, max, n, timeout_ms);
	if (size < sizeof(*recs))
		return -EINVAL;
	tmp = calloc(cap ? cap : 1, sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	rc = iommuctl_fault_read_impl(o, tmp, max, n, timeout_ms);
	if (rc >= 0)
		sz_array_out(recs, size, tmp, sizeof(*tmp), n ? *n : 0);
	free(tmp);
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_fault_respond(struct iommuctl_obj *o,
					   uint32_t cookie, uint32_t code)
{
	struct ic_iommu_hwpt_page_response r = { .cookie = cookie,
						 .code = code };
	int rc;

	if (!o)
		return -EINVAL;
	ses_clear(o->s);
	rc = ses_check(o->s, o, IOMMUCTL_OBJ_FAULT, "a fault queue");
	if (rc < 0)
		return rc;
	if (write(o->fd, &r, sizeof(r)) != (ssize_t)sizeof(r)) {
		rc = -errno;
		if (rc == -EINVAL)
			ses_why(o->s,
				"%s has no outstanding fault with cookie %u (or the code is not 0/1)",
				iommuctl_obj_label(o), cookie);
		return rc;
	}
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_viommu_alloc(struct iommuctl_session *s,
					  struct iommuctl_obj *dev,
					  struct iommuctl_obj *hwpt,
					  uint32_t type,
					  struct iommuctl_obj **out)
{
	struct ic_iommu_viommu_alloc v = { .size = sizeof(v) };
	struct iommuctl_obj *o;
	int rc;

	if (!s || !out)
		return -EINVAL;
	ses_clear(s);
	rc = ses_need(s, IOMMUFD_CMD_VIOMMU_ALLOC, "IOMMU_VIOMMU_ALLOC",
		      "6.13");
	if (rc < 0)
		return rc;
	rc = ses_check(s, dev, IOMMUCTL_OBJ_DEVICE, "a device");
	if (rc < 0)
		return rc;
	rc = ses_check(s, hwpt, IOMMUCTL_OBJ_HWPT_PAGING, "a paging hwpt");
	if (rc < 0)
		return rc;
	if (!(hwpt->flags & IOMMUCTL_HWPT_NEST_PARENT)) {
		ses_why(s, "a vIOMMU sits on a nest-parent hwpt; %s is not one",
			iommuctl_obj_label(hwpt));
		return -EINVAL;
	}
	v.type = type;
	v.dev_id = dev->id;
	v.hwpt_id = hwpt->id;
	rc = ses_ioctl(s, IOMMUFD_CMD_VIOMMU_ALLOC, &v);
	if (rc == -EOPNOTSUPP)
		ses_why(s, "the IOMMU driver of %s has no vIOMMU of type 0x%x",
			iommuctl_obj_label(dev), type);
	if (rc < 0)
		return rc;
	o = ses_obj_made(s, &viommu_ops, v.out_viommu_id, -1);
	if (!o)
		return -ENOMEM;
	o->parent = hwpt;
	o->device = dev;
	o->kind = type;
	*out = o;
	return 0;
}

static int check_viommu(struct iommuctl_obj *v, unsigned int nr,
			const char *name, const char *since)
{
	int rc;

	if (!v)
		return -EINVAL;
	ses_clear(v->s);
	rc = ses_need(v->s, nr, name, since);
	if (rc < 0)
		return rc;
	return ses_check(v->s, v, IOMMUCTL_OBJ_VIOMMU, "a viommu");
}

IOMMUCTL_EXPORT int iommuctl_vdevice_alloc(struct iommuctl_obj *viommu,
					   struct iommuctl_obj *dev,
					   uint64_t virt_id,
					   struct iommuctl_obj **out)
{
	struct ic_iommu_vdevice_alloc v = { .size = sizeof(v) };
	struct iommuctl_obj *o, *x;
	int rc;

	if (!out)
		return -EINVAL;
	rc = check_viommu(viommu, IOMMUFD_CMD_VDEVICE_ALLOC,
			  "IOMMU_VDEVICE_ALLOC", "6.13");
	if (rc < 0)
		return rc;
	rc = ses_check(viommu->s, dev, IOMMUCTL_OBJ_DEVICE, "a device");
	if (rc < 0)
		return rc;
	v.viommu_id = viommu->id;
	v.dev_id = dev->id;
	v.virt_id = virt_id;
	rc = ses_ioctl(viommu->s, IOMMUFD_CMD_VDEVICE_ALLOC, &v);
	if (rc == -EEXIST) {
		for (x = viommu->s->first; x; x = x->next)
			if (x->type == IOMMUCTL_OBJ_VDEVICE &&
			    x->parent == viommu &&
			    (x->virt_id == virt_id || x->device == dev))
				break;
		if (x)
			ses_why(viommu->s,
				"%s already has %s (virtual id 0x%llx, %s)",
				iommuctl_obj_label(viommu),
				iommuctl_obj_label(x),
				(unsigned long long)x->virt_id,
				iommuctl_obj_label(x->device));
	}
	if (rc < 0)
		return rc;
	o = ses_obj_made(viommu->s, &vdevice_ops, v.out_vdevice_id, -1);
	if (!o)
		return -ENOMEM;
	o->parent = viommu;
	o->device = dev;
	o->virt_id = virt_id;
	*out = o;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_veventq_alloc(struct iommuctl_obj *viommu,
					   uint32_t type, uint32_t depth,
					   struct iommuctl_obj **out)
{
	struct ic_iommu_veventq_alloc v = { .size = sizeof(v) };
	struct iommuctl_obj *o;
	int rc;

	if (!out)
		return -EINVAL;
	rc = check_viommu(viommu, IOMMUFD_CMD_VEVENTQ_ALLOC,
			  "IOMMU_VEVENTQ_ALLOC", "6.15");
	if (rc < 0)
		return rc;
	v.viommu_id = viommu->id;
	v.type = type;
	v.veventq_depth = depth;
	rc = ses_ioctl(viommu->s, IOMMUFD_CMD_VEVENTQ_ALLOC, &v);
	if (rc == -EEXIST)
		ses_why(viommu->s, "%s already has an event queue of type 0x%x",
			iommuctl_obj_label(viommu), type);
	else if (rc == -EINVAL && !depth)
		ses_why(viommu->s, "the queue depth must not be 0");
	if (rc < 0)
		return rc;
	o = ses_obj_made(viommu->s, &veventq_ops, v.out_veventq_id,
			 (int)v.out_veventq_fd);
	if (!o)
		return -ENOMEM;
	o->parent = viommu;
	o->kind = type;
	o->depth = depth;
	*out = o;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_veventq_read(struct iommuctl_obj *q, void *buf,
					  size_t len, size_t *got,
					  int timeout_ms)
{
	ssize_t r;
	int rc;

	if (!q || !buf || !got)
		return -EINVAL;
	ses_clear(q->s);
	*got = 0;
	rc = ses_check(q->s, q, IOMMUCTL_OBJ_VEVENTQ, "a veventq");
	if (rc < 0)
		return rc;
	rc = wait_readable(q->fd, timeout_ms);
	if (rc <= 0)
		return rc;
	r = read(q->fd, buf, len);
	if (r < 0)
		return errno == EAGAIN ? 0 : -errno;
	*got = (size_t)r;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_vevent_next(const void *buf, size_t got,
					 uint32_t type, size_t *off,
					 struct iommuctl_vevent *ev)
{
	const unsigned char *b = buf;
	struct ic_iommufd_vevent_header h;
	size_t plen = type == IOMMUCTL_VEVENTQ_SELFTEST	      ? 4 :
		      type == IOMMUCTL_VEVENTQ_ARM_SMMUV3     ? 32 :
		      type == IOMMUCTL_VEVENTQ_TEGRA241_CMDQV ? 16 :
								0;

	if (!buf || !off || !ev || *off > got || got - *off < sizeof(h))
		return 0;
	memcpy(&h, b + *off, sizeof(h));
	*off += sizeof(h);
	ev->sequence = le32toh(h.sequence);
	ev->lost_events = le32toh(h.flags) & IC_IOMMU_VEVENTQ_FLAG_LOST_EVENTS;
	ev->len = ev->lost_events ? 0 : plen;
	if (ev->len > got - *off)
		ev->len = got - *off;
	ev->payload = b + *off;
	*off += ev->len;
	if (!plen && !ev->lost_events)
		*off = got; /* an unknown type: its payload size is unknown */
	return 1;
}

IOMMUCTL_EXPORT int iommuctl_hw_queue_alloc(struct iommuctl_obj *viommu,
					    uint32_t type, uint32_t index,
					    uint64_t iova, uint64_t length,
					    struct iommuctl_obj **out)
{
	struct ic_iommu_hw_queue_alloc h = { .size = sizeof(h) };
	struct iommuctl_obj *o;
	int rc;

	if (!out)
		return -EINVAL;
	rc = check_viommu(viommu, IOMMUFD_CMD_HW_QUEUE_ALLOC,
			  "IOMMU_HW_QUEUE_ALLOC", "6.17");
	if (rc < 0)
		return rc;
	h.viommu_id = viommu->id;
	h.type = type;
	h.index = index;
	h.nesting_parent_iova = iova;
	h.length = length;
	rc = ses_ioctl(viommu->s, IOMMUFD_CMD_HW_QUEUE_ALLOC, &h);
	if (rc == -EFAULT || rc == -ENOENT)
		ses_why(viommu->s,
			"0x%llx+0x%llx must be mapped, physically contiguous, in the IOAS of %s's parent hwpt",
			(unsigned long long)iova, (unsigned long long)length,
			iommuctl_obj_label(viommu));
	if (rc < 0)
		return rc;
	o = ses_obj_made(viommu->s, &hw_queue_ops, h.out_hw_queue_id, -1);
	if (!o)
		return -ENOMEM;
	o->parent = viommu;
	o->kind = type;
	o->index = index;
	o->iova = iova;
	o->length = length;
	*out = o;
	return 0;
}

/* ---- the object types made here --------------------------------------- */

static bool hwpt_paging_holds(const struct iommuctl_obj *x,
			      const struct iommuctl_obj *o)
{
	return x->ioas == o || x->fault == o;
}

static bool hwpt_nested_holds(const struct iommuctl_obj *x,
			      const struct iommuctl_obj *o)
{
	return x->parent == o || x->fault == o;
}

static struct iommuctl_obj *hwpt_nested_ioas(const struct iommuctl_obj *o)
{
	return o->parent ? o->parent->ioas : o->ioas;
}

/* queues of one type are freed in reverse index order */
static bool hw_queue_holds(const struct iommuctl_obj *x,
			   const struct iommuctl_obj *o)
{
	if (o->type == IOMMUCTL_OBJ_HW_QUEUE)
		return x->parent == o->parent && x->kind == o->kind &&
		       x->index > o->index;
	return x->parent == o;
}

/* fault queues and vEVENTQs: their fds hold a reference: close, then
 * destroy */
static int close_fd_first(struct iommuctl_obj *o)
{
	if (o->fd >= 0) {
		close(o->fd);
		o->fd = -1;
	}
	return 0;
}

const struct obj_ops hwpt_paging_ops = {
	.type = IOMMUCTL_OBJ_HWPT_PAGING,
	.word = "hwpt",
	.holds = hwpt_paging_holds,
};
const struct obj_ops hwpt_nested_ops = {
	.type = IOMMUCTL_OBJ_HWPT_NESTED,
	.word = "hwpt",
	.holds = hwpt_nested_holds,
	.ioas_of = hwpt_nested_ioas,
};
const struct obj_ops fault_ops = {
	.type = IOMMUCTL_OBJ_FAULT,
	.word = "fault",
	.destroy = close_fd_first,
};
const struct obj_ops viommu_ops = {
	.type = IOMMUCTL_OBJ_VIOMMU,
	.word = "viommu",
	.holds = obj_holds_parent,
};
const struct obj_ops vdevice_ops = {
	.type = IOMMUCTL_OBJ_VDEVICE,
	.word = "vdevice",
	.holds = obj_holds_parent,
};
const struct obj_ops veventq_ops = {
	.type = IOMMUCTL_OBJ_VEVENTQ,
	.word = "veventq",
	.holds = obj_holds_parent,
	.destroy = close_fd_first,
};
const struct obj_ops hw_queue_ops = {
	.type = IOMMUCTL_OBJ_HW_QUEUE,
	.word = "hw-queue",
	.holds = hw_queue_holds,
};

/*
 * After an attach reported @hwpt_id: the hwpt object for it. Attaching to an
 * IOAS makes the kernel reuse one of that IOAS's automatic hwpts or create
 * one; both show up here.
 */
struct iommuctl_obj *ses_hwpt_for_attach(struct iommuctl_session *s,
					 struct iommuctl_obj *pt,
					 uint32_t hwpt_id)
{
	struct iommuctl_obj *h;

	if (pt->type != IOMMUCTL_OBJ_IOAS)
		return pt;
	h = iommuctl_session_find_id(s, hwpt_id);
	if (h)
		return h;
	h = ses_obj_new(s, &hwpt_paging_ops, hwpt_id);
	if (h) {
		h->auto_hwpt = true;
		h->ioas = pt;
	}
	return h;
}
