// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Extensible structs: the size checks of the _sz entry points (the rules are
 * at the top of <iommuctl/libiommuctl.h>).
 */
#include <errno.h>
#include <string.h>

#include "private.h"

int sz_out(void *p, size_t size, size_t ksize)
{
	if (size < ksize)
		return -EINVAL;
	if (p && size > ksize)
		memset((char *)p + ksize, 0, size - ksize);
	return 0;
}

int sz_fill(void *p, size_t size, size_t ksize)
{
	int rc = sz_out(p, size, ksize);

	if (rc < 0)
		return rc;
	if (!p)
		return -EINVAL;
	memset(p, 0, ksize);
	return 0;
}

int sz_in(const void *p, size_t size, size_t ksize)
{
	const unsigned char *c = p;
	size_t i;

	if (!p)
		return 0;
	if (size < ksize)
		return -EINVAL;
	for (i = ksize; i < size; i++)
		if (c[i])
			return -E2BIG;
	return 0;
}

void sz_array_out(void *dst, size_t size, const void *src, size_t ksize,
		  size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		memcpy((char *)dst + i * size, (const char *)src + i * ksize,
		       ksize);
		memset((char *)dst + i * size + ksize, 0, size - ksize);
	}
}
