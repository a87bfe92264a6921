// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* /dev/iommu: presence and a harmless probe */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "private.h"
#include "abi/iommufd.h"
#include "abi/vfio.h"

#define DEV_IOMMU "/dev/iommu"

IOMMUCTL_EXPORT int iommuctl_iommufd_probe(struct iommuctl_ctx *ctx,
					   struct iommuctl_iommufd_state *st)
{
	struct ic_iommu_destroy destroy = { .size = sizeof(destroy), .id = 0 };
	struct ic_iommu_test_cmd test;
	int fd;

	if (!ctx || !st)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	st->present = sysfs_exists(ctx, DEV_IOMMU);
	if (!st->present || ctx->offline)
		return 0;

	fd = sysfs_open(ctx, DEV_IOMMU, O_RDWR);
	if (fd < 0) {
		st->open_errno = -fd;
		info(ctx, DEV_IOMMU ": %s\n", strerror(-fd));
		return 0;
	}
	st->probed = true;
	/* No object has id 0: iommufd answers ENOENT, anything else ENOTTY. */
	if (ioctl(fd, IOMMUFD_IO(IOMMUFD_CMD_DESTROY), &destroy) < 0 &&
	    errno == ENOENT)
		st->answers = true;
	else
		info(ctx, DEV_IOMMU ": IOMMU_DESTROY(0) gave %s, not ENOENT\n",
		     strerror(errno));

	/* An unknown op: selftest kernels answer EOPNOTSUPP, others ENOTTY. */
	memset(&test, 0, sizeof(test));
	test.size = sizeof(test);
	test.op = 0xffff;
	if (st->answers &&
	    ioctl(fd, IOMMUFD_IO(IOMMUFD_CMD_TEST), &test) < 0 &&
	    errno != ENOTTY)
		st->selftest = true;
	close(fd);
	return 0;
}
