// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * The fd broker's arguments (iommuctl exec): a command is handed the open
 * /dev/iommu and VFIO device cdevs by number, named in its arguments by
 * placeholders that are filled in here.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

/* The fd that {vfio:WANT} names, or -1. */
static int named_fd(const char *want, const struct iommuctl_exec_fd *devs,
		    size_t n)
{
	char bdf[64];
	size_t i;

	if (iommuctl_parse_bdf(want, bdf, sizeof(bdf)) < 0)
		snprintf(bdf, sizeof(bdf), "%s", want);
	for (i = 0; i < n; i++)
		if (!strcmp(devs[i].device, bdf) || !strcmp(devs[i].cdev, want))
			return devs[i].fd;
	return -1;
}

IOMMUCTL_EXPORT int iommuctl_exec_arg(const char *arg, int iommufd,
				      const struct iommuctl_exec_fd *devs,
				      size_t n, char **out, size_t *bad,
				      size_t *bad_len)
{
	const char *p = arg, *close;
	char *buf = NULL, want[64];
	size_t len = 0, wl;
	FILE *f;
	int fd, rc = 0;

	if (!arg || !out || (n && !devs))
		return -EINVAL;
	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	while (*p && !rc) {
		close = NULL;
		if (!strncmp(p, "{iommufd}", 9)) {
			fprintf(f, "%d", iommufd);
			p += 9;
		} else if (!strncmp(p, "{vfio}", 6)) {
			rc = n == 1 ? 0 : -EINVAL;
			close = p + 5;
			fprintf(f, "%d", n == 1 ? devs[0].fd : -1);
		} else if (!strncmp(p, "{vfio:", 6) &&
			   (close = strchr(p + 6, '}'))) {
			wl = (size_t)(close - (p + 6));
			snprintf(want, sizeof(want), "%.*s",
				 (int)(wl < sizeof(want) ? wl :
							   sizeof(want) - 1),
				 p + 6);
			fd = named_fd(want, devs, n);
			rc = fd < 0 ? -ENODEV : 0;
			fprintf(f, "%d", fd);
		} else {
			fputc(*p++, f);
		}
		if (rc && bad)
			*bad = (size_t)(p - arg);
		if (rc && bad_len)
			*bad_len = (size_t)(close - p + 1);
		if (close)
			p = close + 1;
	}
	if (fclose(f) || rc) {
		free(buf);
		return rc ? rc : -ENOMEM;
	}
	*out = buf;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_exec_open_device(struct iommuctl_ctx *ctx,
					      const char *name,
					      struct iommuctl_exec_fd *d,
					      const char **driver)
{
	struct iommuctl_device *dev;
	char *path;
	int fd, rc;

	if (!ctx || !name || !d)
		return -EINVAL;
	memset(d, 0, sizeof(*d));
	d->fd = -1;
	/* "vfio3" first */
	for (dev = iommuctl_device_get_first(ctx); dev;
	     dev = iommuctl_device_get_next(dev))
		if (dev->vfio_cdev && !strcmp(dev->vfio_cdev, name))
			break;
	if (!dev)
		dev = iommuctl_device_get_by_name(ctx, name);
	if (!dev)
		return -ENXIO;
	snprintf(d->device, sizeof(d->device), "%s", dev->name);
	if (driver)
		*driver = dev->driver;
	if (!dev->vfio_cdev)
		return -ENODEV;
	snprintf(d->cdev, sizeof(d->cdev), "%s", dev->vfio_cdev);
	path = path_fmt("/dev/vfio/devices/%s", dev->vfio_cdev);
	if (!path)
		return -ENOMEM;
	fd = sysfs_open(ctx, path, O_RDWR);
	free(path);
	if (fd < 0)
		return fd;
	/* inherited by the command: not close-on-exec */
	if (fcntl(fd, F_SETFD, 0) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	d->fd = fd;
	return 0;
}
