/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/* tar.h: the tar format, shared by the bundle writer (bundle.c) and the
 * reader (tar.c). */
#ifndef IOMMUCTL_TAR_H
#define IOMMUCTL_TAR_H

#include <stdbool.h>
#include <stddef.h>

#define TAR_BLOCK 512
/* GNU tar's default record (blocking factor 20); the writer pads to it */
#define TAR_RECORD 10240
#define IO_BUF (64 * 1024)

/* The largest number an 11-digit octal field holds. */
#define TAR_OCT11_MAX 077777777777ULL

struct tar_hdr {
	char name[100];
	char mode[8];
	char uid[8];
	char gid[8];
	char size[12];
	char mtime[12];
	char chksum[8];
	char typeflag;
	char linkname[100];
	char magic[6];
	char version[2];
	char uname[32];
	char gname[32];
	char devmajor[8];
	char devminor[8];
	char prefix[155];
	char pad[12];
};
_Static_assert(sizeof(struct tar_hdr) == TAR_BLOCK, "tar header is 512 bytes");

static inline void hdr_checksum(struct tar_hdr *h, unsigned long *usum,
				long *ssum)
{
	const unsigned char *u = (const unsigned char *)h;
	const signed char *s = (const signed char *)h;
	size_t i;

	*usum = 0;
	*ssum = 0;
	for (i = 0; i < TAR_BLOCK; i++) {
		bool in = i >= offsetof(struct tar_hdr, chksum) &&
			  i < offsetof(struct tar_hdr, chksum) +
					  sizeof(h->chksum);

		*usum += in ? ' ' : u[i];
		*ssum += in ? ' ' : s[i];
	}
}

#endif /* IOMMUCTL_TAR_H */
