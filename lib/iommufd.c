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

/*
 * Every iommufd command and the release that added it. Probing issues each
 * one on a fresh /dev/iommu with zeroed arguments (ids 0, GET operations):
 * ENOTTY means the kernel lacks it; any other answer means it is there.
 * Anything a zeroed call creates dies with the probe's file descriptor.
 */
static const struct {
	unsigned int nr;
	const char *name;
	const char *since;
	unsigned int size;
} iommufd_cmds[] = {
	{ IOMMUFD_CMD_DESTROY, "IOMMU_DESTROY", "6.2", sizeof(struct ic_iommu_destroy) },
	{ IOMMUFD_CMD_IOAS_ALLOC, "IOMMU_IOAS_ALLOC", "6.2", sizeof(struct ic_iommu_ioas_alloc) },
	{ IOMMUFD_CMD_IOAS_ALLOW_IOVAS, "IOMMU_IOAS_ALLOW_IOVAS", "6.2", sizeof(struct ic_iommu_ioas_allow_iovas) },
	{ IOMMUFD_CMD_IOAS_COPY, "IOMMU_IOAS_COPY", "6.2", sizeof(struct ic_iommu_ioas_copy) },
	{ IOMMUFD_CMD_IOAS_IOVA_RANGES, "IOMMU_IOAS_IOVA_RANGES", "6.2", sizeof(struct ic_iommu_ioas_iova_ranges) },
	{ IOMMUFD_CMD_IOAS_MAP, "IOMMU_IOAS_MAP", "6.2", sizeof(struct ic_iommu_ioas_map) },
	{ IOMMUFD_CMD_IOAS_UNMAP, "IOMMU_IOAS_UNMAP", "6.2", sizeof(struct ic_iommu_ioas_unmap) },
	{ IOMMUFD_CMD_OPTION, "IOMMU_OPTION", "6.2", sizeof(struct ic_iommu_option) },
	{ IOMMUFD_CMD_VFIO_IOAS, "IOMMU_VFIO_IOAS", "6.2", sizeof(struct ic_iommu_vfio_ioas) },
	{ IOMMUFD_CMD_HWPT_ALLOC, "IOMMU_HWPT_ALLOC", "6.6", sizeof(struct ic_iommu_hwpt_alloc) },
	{ IOMMUFD_CMD_GET_HW_INFO, "IOMMU_GET_HW_INFO", "6.6", sizeof(struct ic_iommu_hw_info) },
	{ IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING, "IOMMU_HWPT_SET_DIRTY_TRACKING", "6.7", sizeof(struct ic_iommu_hwpt_set_dirty_tracking) },
	{ IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP, "IOMMU_HWPT_GET_DIRTY_BITMAP", "6.7", sizeof(struct ic_iommu_hwpt_get_dirty_bitmap) },
	{ IOMMUFD_CMD_HWPT_INVALIDATE, "IOMMU_HWPT_INVALIDATE", "6.8", sizeof(struct ic_iommu_hwpt_invalidate) },
	{ IOMMUFD_CMD_FAULT_QUEUE_ALLOC, "IOMMU_FAULT_QUEUE_ALLOC", "6.11", sizeof(struct ic_iommu_fault_alloc) },
	{ IOMMUFD_CMD_IOAS_MAP_FILE, "IOMMU_IOAS_MAP_FILE", "6.13", sizeof(struct ic_iommu_ioas_map_file) },
	{ IOMMUFD_CMD_VIOMMU_ALLOC, "IOMMU_VIOMMU_ALLOC", "6.13", sizeof(struct ic_iommu_viommu_alloc) },
	{ IOMMUFD_CMD_VDEVICE_ALLOC, "IOMMU_VDEVICE_ALLOC", "6.13", sizeof(struct ic_iommu_vdevice_alloc) },
	{ IOMMUFD_CMD_IOAS_CHANGE_PROCESS, "IOMMU_IOAS_CHANGE_PROCESS", "6.13", sizeof(struct ic_iommu_ioas_change_process) },
	{ IOMMUFD_CMD_VEVENTQ_ALLOC, "IOMMU_VEVENTQ_ALLOC", "6.15", sizeof(struct ic_iommu_veventq_alloc) },
	{ IOMMUFD_CMD_HW_QUEUE_ALLOC, "IOMMU_HW_QUEUE_ALLOC", "6.17", sizeof(struct ic_iommu_hw_queue_alloc) },
	{ IOMMUFD_CMD_TEST, "IOMMU_TEST_CMD", "selftest", sizeof(struct ic_iommu_test_cmd) },
};

#define NUM_IOMMUFD_CMDS (sizeof(iommufd_cmds) / sizeof(iommufd_cmds[0]))

IOMMUCTL_EXPORT int iommuctl_iommufd_probe_ioctls(struct iommuctl_ctx *ctx,
						  struct iommuctl_ioctl_probe *out,
						  size_t *n)
{
	union {
		struct ic_iommu_test_cmd test; /* the largest */
		uint8_t raw[128];
	} arg;
	size_t i;
	int fd;

	if (!ctx || !out || !n || *n < NUM_IOMMUFD_CMDS)
		return -EINVAL;
	if (ctx->offline)
		return -EOPNOTSUPP;
	fd = sysfs_open(ctx, DEV_IOMMU, O_RDWR);
	if (fd < 0)
		return fd;
	for (i = 0; i < NUM_IOMMUFD_CMDS; i++) {
		int rc;

		memset(&arg, 0, sizeof(arg));
		memcpy(arg.raw, &iommufd_cmds[i].size, sizeof(uint32_t));
		if (iommufd_cmds[i].nr == IOMMUFD_CMD_OPTION)
			arg.raw[8] = IC_IOMMU_OPTION_OP_GET; /* never SET */
		else if (iommufd_cmds[i].nr == IOMMUFD_CMD_TEST)
			arg.test.op = 0xffff; /* no such op */
		rc = ioctl(fd, IOMMUFD_IO(iommufd_cmds[i].nr), &arg);
		out[i].nr = iommufd_cmds[i].nr;
		out[i].name = iommufd_cmds[i].name;
		out[i].since = iommufd_cmds[i].since;
		out[i].present = rc >= 0 || errno != ENOTTY;
		out[i].answer = rc >= 0 ? 0 : errno;
		if (iommufd_cmds[i].nr == IOMMUFD_CMD_FAULT_QUEUE_ALLOC && rc >= 0) {
			struct ic_iommu_fault_alloc *f = (void *)arg.raw;

			close((int)f->out_fault_fd);
		}
		dbg(ctx, "%s: %s\n", iommufd_cmds[i].name,
		    rc >= 0 ? "succeeded" : strerror(errno));
	}
	close(fd);
	*n = NUM_IOMMUFD_CMDS;
	return 0;
}

_Static_assert(NUM_IOMMUFD_CMDS == IOMMUCTL_NUM_IOMMUFD_CMDS,
	       "IOMMUCTL_NUM_IOMMUFD_CMDS must match the command table");
