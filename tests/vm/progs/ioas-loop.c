// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * ioas-loop: the baseline of the session-overhead benchmark
 * (tests/vm/scenarios/bench-session.sh): the ioctls one 'iommuctl batch'
 * session issues for N "ioas map --size SIZE --iova IOVA" / "ioas unmap"
 * pairs, issued directly: one IOAS, then per pair mmap + fault-in (as
 * the library does), IOMMU_IOAS_MAP at the fixed IOVA, IOMMU_IOAS_UNMAP,
 * munmap. A test program of the VM tier, put into the guest by
 * tests/vm/run.
 *
 *   ioas-loop N SIZE IOVA
 *
 * Exit 0 when all N pairs went through, 1 with "error: ..." on stderr
 * otherwise, 2 for usage.
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "abi/iommufd.h"

static int fail(const char *what)
{
	fprintf(stderr, "error: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	struct ic_iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	unsigned long n, i;
	size_t len;
	__u64 iova;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: ioas-loop N SIZE IOVA\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 0);
	len = strtoul(argv[2], NULL, 0);
	iova = strtoull(argv[3], NULL, 0);
	fd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return fail("/dev/iommu");
	if (ioctl(fd, IOMMUFD_IO(IOMMUFD_CMD_IOAS_ALLOC), &alloc) < 0)
		return fail("IOMMU_IOAS_ALLOC");
	for (i = 0; i < n; i++) {
		struct ic_iommu_ioas_map m = {
			.size = sizeof(m),
			.ioas_id = alloc.out_ioas_id,
			.flags = IC_IOMMU_IOAS_MAP_READABLE |
				 IC_IOMMU_IOAS_MAP_WRITEABLE |
				 IC_IOMMU_IOAS_MAP_FIXED_IOVA,
			.length = len,
			.iova = iova,
		};
		struct ic_iommu_ioas_unmap u = {
			.size = sizeof(u),
			.ioas_id = alloc.out_ioas_id,
			.iova = iova,
			.length = len,
		};
		void *va = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (va == MAP_FAILED)
			return fail("mmap");
		memset(va, 0, len);
		m.user_va = (uintptr_t)va;
		if (ioctl(fd, IOMMUFD_IO(IOMMUFD_CMD_IOAS_MAP), &m) < 0)
			return fail("IOMMU_IOAS_MAP");
		if (ioctl(fd, IOMMUFD_IO(IOMMUFD_CMD_IOAS_UNMAP), &u) < 0)
			return fail("IOMMU_IOAS_UNMAP");
		munmap(va, len);
	}
	close(fd);
	return 0;
}
