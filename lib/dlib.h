/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Libraries loaded when first needed (dlopen): libudev for monitor, zlib
 * for bundles, libpci for a compressed pci.ids, readline for the shell.
 * Linking them costs every run ~1 ms of loading and relocation (a third of
 * 'status' on a small host) for what few commands use. A program's own
 * functions are then pointers, sym_NAME, filled by dlib_load().
 */
#ifndef IOMMUCTL_DLIB_H
#define IOMMUCTL_DLIB_H

struct dlib_sym {
	const char *name;
	void **slot;
};

struct dlib {
	const char *soname;	     /* "libudev.so.1" */
	const char *package;	     /* the Debian package that has it */
	const struct dlib_sym *syms; /* ends with a NULL name */
	int rc;			     /* 0 not tried, 1 loaded, -ENOPKG */
	char why[256];		     /* dlerror() when it failed */
};

/*
 * A library's functions are listed once, as an X-macro LIST(X) of X(NAME)
 * entries; LIST(DLIB_DECLARE) declares the pointers sym_NAME (typeof(NAME),
 * so that the library's header still checks every call) and LIST(DLIB_SYM)
 * makes the table entries { "NAME", &sym_NAME } that dlib_load() fills.
 */
#define DLIB_DECLARE(fn) static typeof(fn) *sym_##fn;
#define DLIB_SYM(fn) { #fn, (void **)&sym_##fn },

/* DLIB_DEFINE(var, LIST, "libfoo.so.N", "package"): the pointers of LIST
 * and "static struct dlib var" that loads them */
#define DLIB_DEFINE(var, list, so, pkg)                                       \
	list(DLIB_DECLARE) static const struct dlib_sym var##_syms[] = {     \
		list(DLIB_SYM){ NULL, NULL }                                   \
	};                                                                     \
	DLIB_SONAME(var##_soname, so);                                         \
	static struct dlib var = { .soname = var##_soname,                     \
				   .package = pkg,                             \
				   .syms = var##_syms }

/*
 * DLIB_SONAME(var, "libfoo.so.N"): the soname, also in the ELF section
 * "iommuctl_dlopen", where packagers and tests/vm/mkinitrd find what the
 * program may load (readelf -p iommuctl_dlopen), as ldd finds its links.
 */
#define DLIB_SONAME(var, so)                                                 \
	static const char var[]                                                \
		__attribute__((section("iommuctl_dlopen"), used, aligned(1))) = so

/*
 * dlib_load() - load @l once (later calls return the first answer)
 *
 * Return: 0 when every symbol was found; -ENOPKG when the library or one
 * of its symbols is missing, with dlerror()'s text in @l->why.
 */
int dlib_load(struct dlib *l);

#endif
