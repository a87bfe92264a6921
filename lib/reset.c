// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Reset scope: which devices a reset of a PCI function takes with it. From
 * the topology (a slot or bus reset resets everything below the bridge
 * above the device), and from the kernel (VFIO_DEVICE_GET_PCI_HOT_RESET_INFO
 * on a VFIO device cdev bound to iommufd).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "abi/vfio.h"
#include "private.h"

IOMMUCTL_EXPORT const char *iommuctl_reset_kind_name(enum iommuctl_reset_kind k)
{
	return names_get(NAMES_RESET_KIND, k);
}

/* "DDDD:BB:SS" of a PCI function's name: its slot's address */
static bool slot_addr(const char *bdf, char *out, size_t size)
{
	const char *dot = strrchr(bdf, '.');
	size_t n = dot ? (size_t)(dot - bdf) : 0;

	if (!n || n >= size)
		return false;
	memcpy(out, bdf, n);
	out[n] = '\0';
	return true;
}

/* the name of the hotplug slot at @addr in /sys/bus/pci/slots, or NULL */
static char *find_slot(struct iommuctl_ctx *ctx, const char *addr)
{
	struct strv list = { 0 };
	char *found = NULL, *p, *v;
	size_t i;

	if (sysfs_list(ctx, "/sys/bus/pci/slots", &list) < 0)
		return NULL;
	for (i = 0; !found && i < list.n; i++) {
		p = path_fmt("/sys/bus/pci/slots/%s/address", list.v[i]);
		if (p && sysfs_read_str(ctx, p, &v) == 0) {
			if (!strcmp(v, addr))
				found = strdup(list.v[i]);
			free(v);
		}
		free(p);
	}
	strv_free(&list);
	return found;
}

/* Is @x at or below a function of slot @addr on the bus below @bridge? */
static bool below(struct iommuctl_device *x, struct iommuctl_device *bridge,
		  const char *addr)
{
	char a[32];

	for (; x; x = x->parent)
		if (x->parent == bridge)
			return !addr || (slot_addr(x->name, a, sizeof(a)) &&
					 !strcmp(a, addr));
	return false;
}

IOMMUCTL_EXPORT void iommuctl_reset_scope_free(struct iommuctl_reset_scope *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		free(s->devices[i]);
	free(s->devices);
	free(s->bridge);
	free(s->slot);
	free(s);
}

IOMMUCTL_EXPORT int
iommuctl_device_reset_scope(struct iommuctl_device *d,
			    struct iommuctl_reset_scope **out)
{
	struct iommuctl_reset_scope *s;
	struct iommuctl_device *x;
	char addr[32];
	size_t cap = 0;

	if (!d || !out)
		return -EINVAL;
	*out = NULL;
	if (!d->is_pci)
		return -ENODEV;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	if (!d->parent) {
		s->kind = IOMMUCTL_RESET_NONE;
		s->why =
			"on a root bus: no bridge above it whose secondary bus could be reset, so no slot or bus reset (VFIO's hot reset answers ENODEV)";
		*out = s;
		return 0;
	}
	s->bridge = strdup(d->parent->name);
	if (slot_addr(d->name, addr, sizeof(addr)))
		s->slot = find_slot(d->ctx, addr);
	s->kind = s->slot ? IOMMUCTL_RESET_SLOT : IOMMUCTL_RESET_BUS;
	s->why =
		s->slot ?
			"a hotplug slot reset of the slot the device sits in: every function in the slot and everything below them" :
			"a secondary bus reset by the bridge above: every device on that bus and everything below them";
	iommuctl_device_foreach(d->ctx, x)
	{
		if (!x->is_pci || !below(x, d->parent, s->slot ? addr : NULL))
			continue;
		if (s->n == cap) {
			char **nv;

			cap = cap ? 2 * cap : 8;
			nv = realloc(s->devices, cap * sizeof(*nv));
			if (!nv)
				goto nomem;
			s->devices = nv;
		}
		s->devices[s->n] = strdup(x->name);
		if (!s->devices[s->n])
			goto nomem;
		s->n++;
	}
	if (!s->bridge)
		goto nomem;
	*out = s;
	return 0;
nomem:
	iommuctl_reset_scope_free(s);
	return -ENOMEM;
}

IOMMUCTL_EXPORT int
iommuctl_vfio_hot_reset_info(struct iommuctl_obj *dev, uint32_t *flags,
			     struct iommuctl_hot_reset_dev **out, size_t *n)
{
	struct ic_vfio_pci_hot_reset_info hdr, *info = NULL;
	struct iommuctl_hot_reset_dev *r;
	int fd = iommuctl_obj_get_fd(dev), tries;
	uint32_t i, count;

	if (!flags || !out || !n)
		return -EINVAL;
	*out = NULL;
	*n = 0;
	*flags = 0;
	if (fd < 0)
		return -EINVAL;
	/* the header alone: ENOSPC and the count; then the array (a device
	 * added in between makes it ENOSPC again) */
	memset(&hdr, 0, sizeof(hdr));
	hdr.argsz = sizeof(hdr);
	if (ioctl(fd, IC_VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &hdr) == 0) {
		*flags = hdr.flags;
		return 0; /* nothing affected */
	}
	if (errno != ENOSPC)
		return -errno;
	count = hdr.count;
	for (tries = 0; tries < 4; tries++) {
		if (count > 4096)
			return -E2BIG;
		free(info);
		info = calloc(1,
			      sizeof(*info) +
				      (size_t)count * sizeof(info->devices[0]));
		if (!info)
			return -ENOMEM;
		info->argsz = sizeof(*info) + count * sizeof(info->devices[0]);
		if (ioctl(fd, IC_VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, info) == 0)
			break;
		if (errno != ENOSPC) {
			free(info);
			return -errno;
		}
		count = info->count;
	}
	if (tries == 4) {
		free(info);
		return -EAGAIN;
	}
	if (info->count > count)
		info->count = count;
	r = calloc(info->count ? info->count : 1, sizeof(*r));
	if (!r) {
		free(info);
		return -ENOMEM;
	}
	for (i = 0; i < info->count; i++) {
		const struct ic_vfio_pci_dependent_device *x =
			&info->devices[i];

		snprintf(r[i].name, sizeof(r[i].name), "%04x:%02x:%02x.%x",
			 x->segment, x->bus, x->devfn >> 3, x->devfn & 7);
		r[i].id = x->id;
	}
	*flags = info->flags;
	*out = r;
	*n = info->count;
	free(info);
	return 0;
}
