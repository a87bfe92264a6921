/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/*
 * <iommuctl/usage.h>: how the host uses a device right now.
 * Part of libiommuctl; <iommuctl/libiommuctl.h> includes every part.
 */
#ifndef IOMMUCTL_USAGE_H
#define IOMMUCTL_USAGE_H

#include <iommuctl/topology.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * enum iommuctl_use_kind - how the host is using a device right now
 * @IOMMUCTL_USE_MOUNT: a block device below it (or a dm/md device built on
 *	one) is mounted
 * @IOMMUCTL_USE_SWAP: a block device below it is active swap
 * @IOMMUCTL_USE_HOLDER: a block device below it is part of a dm or md device
 * @IOMMUCTL_USE_NETIF: a network interface below it is up and has addresses
 * @IOMMUCTL_USE_ROUTE: a network interface below it carries a default route
 * @IOMMUCTL_USE_CONSOLE: it provides the console (a serial port or the
 *	framebuffer console)
 * @IOMMUCTL_USE_DRM: a DRM device below it is open
 * @IOMMUCTL_USE_OPEN: a device node below it (block, tty, VFIO cdev or its
 *	VFIO group) is open by a process
 */
enum iommuctl_use_kind {
	IOMMUCTL_USE_MOUNT = 0,
	IOMMUCTL_USE_SWAP,
	IOMMUCTL_USE_HOLDER,
	IOMMUCTL_USE_NETIF,
	IOMMUCTL_USE_ROUTE,
	IOMMUCTL_USE_CONSOLE,
	IOMMUCTL_USE_DRM,
	IOMMUCTL_USE_OPEN,
};
/**
 * iommuctl_use_kind_name() - "mount", "swap", "holder", "netif", "route",
 * "console", "drm", "open"
 */
const char *iommuctl_use_kind_name(enum iommuctl_use_kind kind);

/** struct iommuctl_use - one way the host uses a device */
struct iommuctl_use {
	enum iommuctl_use_kind kind; /* what kind of use */
	char *device; /* the PCI device it was found below ("0000:00:05.0") */
	/* the kernel object in use: "vda1", "eth0", "card0", "ttyS0",
	 * "vfio0" */
	char *object;
	/* a short phrase completing "@object is ...": "mounted on /mnt", "up
	 * with 10.0.2.15/24", "the default route", "open by pid 42 (qemu)" */
	char *detail;
};

/**
 * iommuctl_device_get_uses() - find how the host uses a device
 * @dev: a PCI device
 * @out: (out) array of uses, to be freed with iommuctl_uses_free(); NULL
 *	when there is none
 * @n: (out) number of uses
 *
 * Looks at the block devices, network interfaces, DRM devices, ttys and
 * VFIO cdevs whose sysfs device lies below @dev, at the mount table, swap
 * list, dm/md holders, addresses and routes, the console, and at the open
 * files of every process. Live contexts only.
 *
 * Return: 0; -EOPNOTSUPP for an offline (--root) context; -errno.
 */
int iommuctl_device_get_uses(struct iommuctl_device *dev,
			     struct iommuctl_use **out, size_t *n);
/** iommuctl_uses_free() - free what iommuctl_device_get_uses() returned. */
void iommuctl_uses_free(struct iommuctl_use *uses, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* IOMMUCTL_USAGE_H */
