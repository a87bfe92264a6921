/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/* zlib, loaded when a gzip'd bundle is first read (tar.c) or written
 * (bundle.c): see dlib.h. */
#ifndef IOMMUCTL_ZLIB_SYMS_H
#define IOMMUCTL_ZLIB_SYMS_H

#include <zlib.h>

#include "dlib.h"

extern struct dlib dlib_zlib;
#define ZLIB_SYMS(X)                                                         \
	X(inflateInit2_) X(inflate) X(inflateReset) X(inflateEnd)            \
	X(deflateInit2_) X(deflate) X(deflateEnd)
#define ZLIB_EXTERN(fn) extern typeof(fn) *sym_##fn;
ZLIB_SYMS(ZLIB_EXTERN)

/* zlib.h's inflateInit2() and deflateInit2(), through the pointers */
#define sym_inflateInit2(strm, bits)                                         \
	sym_inflateInit2_((strm), (bits), ZLIB_VERSION, (int)sizeof(z_stream))
#define sym_deflateInit2(strm, level, method, bits, mem, strategy)          \
	sym_deflateInit2_((strm), (level), (method), (bits), (mem),          \
			  (strategy), ZLIB_VERSION, (int)sizeof(z_stream))

#endif
