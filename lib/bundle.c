// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Writing bundles (iommuctl_bundle_*): tar archives, gzip-compressed or
 * not. ustar headers, a pax extended header for a name or link target that
 * does not fit; every member has the same mtime, uid/gid 0 and no user or
 * group names, so the same input gives the same bytes. gzip comes from
 * zlib's deflate with a fixed header (mtime 0). tar.c reads them back.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "private.h"
#include "zlib-syms.h"
#include "tar.h"

/* ------------------------------------------------------------------ */
/* Writer                                                              */
/* ------------------------------------------------------------------ */

struct bundle_member {
	char *path;
	char type;
	uint64_t size;
	char *sha256;
	char *target;
};

struct iommuctl_bundle {
	struct iommuctl_ctx *ctx;
	int fd;
	bool gzip;
	bool zinit;
	z_stream z;
	int64_t mtime;
	uint64_t written; /* tar bytes (before compression) */
	int err; /* first error of any call */
	bool broken; /* the output failed: nothing more is written */
	unsigned char *out;
	size_t nout;
	struct bundle_member *m;
	size_t n, cap;
	/* iommuctl_bundle_create(): the file, and in the same allocation its
	 * temporary name, "" once renamed (fd is ours to close) */
	char *path, *tmp;
};

/* write(2) all of it. A closed pipe is -EPIPE: SIGPIPE is blocked in this
 * thread meanwhile and the one the write raised is taken back, so the
 * library never kills its caller. */
static int write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	sigset_t pipe_set, old, pending;
	bool was_pending;
	ssize_t n;
	int rc = 0;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigemptyset(&pending);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE) == 1;
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0) {
			rc = -EIO;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (rc == -EPIPE && !was_pending) {
		struct timespec zero = { 0, 0 };

		while (sigtimedwait(&pipe_set, NULL, &zero) < 0 &&
		       errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

static int bw_fail(struct iommuctl_bundle *b, int rc, const char *what)
{
	if (!b->err)
		b->err = rc;
	if (rc != -EINVAL && rc != -ENAMETOOLONG && rc != -EFBIG &&
	    rc != -ENOMEM) {
		b->broken = true;
		err(b->ctx, "bundle: %s: %s\n", what, strerror(-rc));
	}
	return rc;
}

static int bw_flush(struct iommuctl_bundle *b)
{
	int rc;

	if (!b->nout)
		return 0;
	rc = write_all(b->fd, b->out, b->nout);
	b->nout = 0;
	if (rc < 0)
		return bw_fail(b, rc, "write");
	return 0;
}

/* Feed @len tar bytes to the output; Z_FINISH flushes the gzip stream. */
static int bw_deflate(struct iommuctl_bundle *b, const void *data, size_t len,
		      int flush)
{
	int zr, rc;

	b->z.next_in = (Bytef *)(uintptr_t)data;
	b->z.avail_in = (uInt)len;
	do {
		b->z.next_out = b->out + b->nout;
		b->z.avail_out = (uInt)(IO_BUF - b->nout);
		zr = sym_deflate(&b->z, flush);
		if (zr == Z_STREAM_ERROR)
			return bw_fail(b, -EIO, "gzip");
		b->nout = IO_BUF - b->z.avail_out;
		if (b->nout == IO_BUF || (flush == Z_FINISH && b->nout)) {
			rc = bw_flush(b);
			if (rc < 0)
				return rc;
		}
	} while (b->z.avail_in || (flush == Z_FINISH && zr != Z_STREAM_END));
	return 0;
}

static int bw_put(struct iommuctl_bundle *b, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t n;
	int rc;

	if (b->broken)
		return b->err;
	b->written += len;
	if (b->gzip) {
		while (len) {
			n = len > (1U << 30) ? (1U << 30) : len;
			rc = bw_deflate(b, p, n, Z_NO_FLUSH);
			if (rc < 0)
				return rc;
			p += n;
			len -= n;
		}
		return 0;
	}
	while (len) {
		if (buf_fill(b->out, &b->nout, IO_BUF, &p, &len)) {
			rc = bw_flush(b);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static int bw_zeros(struct iommuctl_bundle *b, size_t len)
{
	static const unsigned char zero[TAR_BLOCK];
	size_t n;
	int rc;

	while (len) {
		n = len > sizeof(zero) ? sizeof(zero) : len;
		rc = bw_put(b, zero, n);
		if (rc < 0)
			return rc;
		len -= n;
	}
	return 0;
}

static int bw_pad(struct iommuctl_bundle *b)
{
	return bw_zeros(b, (TAR_BLOCK - b->written % TAR_BLOCK) % TAR_BLOCK);
}

/* @v in octal, right-aligned, zero-filled, in @w - 1 digits and a NUL */
static void put_octal(char *f, size_t w, uint64_t v)
{
	size_t i;

	f[w - 1] = '\0';
	for (i = w - 1; i > 0; i--) {
		f[i - 1] = (char)('0' + (v & 7));
		v >>= 3;
	}
}

static void fill_header(struct iommuctl_bundle *b, struct tar_hdr *h, char type,
			unsigned int mode, uint64_t size)
{
	unsigned long usum;
	long ssum;

	put_octal(h->mode, sizeof(h->mode), mode);
	put_octal(h->uid, sizeof(h->uid), 0);
	put_octal(h->gid, sizeof(h->gid), 0);
	put_octal(h->size, sizeof(h->size), size);
	put_octal(h->mtime, sizeof(h->mtime), (uint64_t)b->mtime);
	h->typeflag = type;
	memcpy(h->magic, "ustar", 6);
	memcpy(h->version, "00", 2);
	put_octal(h->devmajor, sizeof(h->devmajor), 0);
	put_octal(h->devminor, sizeof(h->devminor), 0);
	hdr_checksum(h, &usum, &ssum);
	put_octal(h->chksum, 7, usum);
	h->chksum[7] = ' ';
}

/* Can @name be stored in name + prefix? 0: no; else 1 and where to cut
 * (*cut: index of the '/' between prefix and name, or -1: name alone). */
static int ustar_split(const char *name, size_t len, long *cut)
{
	size_t i;

	if (len <= 100) {
		*cut = -1;
		return 1;
	}
	/* name part len - i - 1 in 1..100, prefix part i in 1..155 */
	for (i = len > 101 ? len - 101 : 1; i <= 155 && i + 1 < len; i++) {
		if (name[i] == '/' && i > 0) {
			*cut = (long)i;
			return 1;
		}
	}
	return 0;
}

static size_t dec_digits(size_t v)
{
	size_t d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

/* Append the pax record "LEN KEY=VALUE\n" to @buf. */
static int pax_record(char **buf, size_t *len, const char *key, const char *val)
{
	size_t base = strlen(key) + strlen(val) + 3, n = base + 1, next;
	char *nbuf;
	int w;

	for (;;) {
		next = base + dec_digits(n);
		if (next == n)
			break;
		n = next;
	}
	nbuf = realloc(*buf, *len + n + 1);
	if (!nbuf)
		return -ENOMEM;
	w = snprintf(nbuf + *len, n + 1, "%zu %s=%s\n", n, key, val);
	*buf = nbuf;
	if (w < 0 || (size_t)w != n)
		return -EIO;
	*len += n;
	return 0;
}

/* One member's header(s): a pax header first when name or target need it. */
static int bw_header(struct iommuctl_bundle *b, const char *name, char type,
		     unsigned int mode, uint64_t size, const char *target)
{
	struct tar_hdr h;
	size_t len = strlen(name), tlen = target ? strlen(target) : 0;
	char *pax = NULL;
	size_t paxlen = 0;
	long cut;
	int rc = 0;

	memset(&h, 0, sizeof(h));
	if (ustar_split(name, len, &cut)) {
		if (cut < 0) {
			memcpy(h.name, name, len);
		} else {
			memcpy(h.prefix, name, (size_t)cut);
			memcpy(h.name, name + cut + 1, len - (size_t)cut - 1);
		}
	} else {
		rc = pax_record(&pax, &paxlen, "path", name);
		/* for readers without pax: the name's first 100 bytes */
		memcpy(h.name, name, sizeof(h.name));
	}
	if (target) {
		if (!rc && tlen > sizeof(h.linkname))
			rc = pax_record(&pax, &paxlen, "linkpath", target);
		memcpy(h.linkname, target,
		       tlen > sizeof(h.linkname) ? sizeof(h.linkname) : tlen);
	}
	if (rc < 0) {
		free(pax);
		return bw_fail(b, rc, name);
	}
	if (pax) {
		struct tar_hdr x;
		const char *base = strrchr(name, '/');
		size_t blen;

		base = base && base[1] ? base + 1 : name;
		blen = strlen(base);
		if (blen > 89)
			blen = 89;
		memset(&x, 0, sizeof(x));
		memcpy(x.name, "PaxHeaders/", 11);
		memcpy(x.name + 11, base, blen);
		fill_header(b, &x, 'x', 0644, paxlen);
		rc = bw_put(b, &x, sizeof(x));
		if (!rc)
			rc = bw_put(b, pax, paxlen);
		if (!rc)
			rc = bw_pad(b);
		free(pax);
		if (rc < 0)
			return rc;
	}
	fill_header(b, &h, type, mode, size);
	return bw_put(b, &h, sizeof(h));
}

/* A member name: relative, no empty, "." or ".." component. */
static int check_path(struct iommuctl_bundle *b, const char *path)
{
	const char *p = path, *e;
	size_t n;

	if (!*path || *path == '/') {
		err(b->ctx, "bundle: '%s': not a relative path\n", path);
		return -EINVAL;
	}
	if (strlen(path) >= PATH_MAX - 1) {
		err(b->ctx, "bundle: '%.64s...': longer than %d bytes\n", path,
		    PATH_MAX - 2);
		return -ENAMETOOLONG;
	}
	for (;;) {
		e = strchr(p, '/');
		n = e ? (size_t)(e - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.')) {
			err(b->ctx,
			    "bundle: '%s': empty, '.' or '..' path component\n",
			    path);
			return -EINVAL;
		}
		if (!e)
			return 0;
		p = e + 1;
	}
}

static int add_member(struct iommuctl_bundle *b, const char *path, char type,
		      uint64_t size, const char *sha, const char *target)
{
	struct bundle_member *m;

	if (array_grow(&b->m, &b->cap, b->n, sizeof(*b->m)) < 0)
		return -ENOMEM;
	m = &b->m[b->n];
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->size = size;
	m->path = strdup(path);
	m->sha256 = sha ? strdup(sha) : NULL;
	m->target = target ? strdup(target) : NULL;
	if (!m->path || (sha && !m->sha256) || (target && !m->target)) {
		free(m->path);
		free(m->sha256);
		free(m->target);
		return -ENOMEM;
	}
	b->n++;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_bundle_new(struct iommuctl_ctx *ctx, int fd,
					bool gzip, int64_t mtime,
					struct iommuctl_bundle **out)
{
	struct iommuctl_bundle *b;

	if (!ctx || fd < 0 || !out)
		return -EINVAL;
	if (mtime < 0 || (uint64_t)mtime > TAR_OCT11_MAX) {
		err(ctx, "bundle: mtime %lld out of range\n", (long long)mtime);
		return -EINVAL;
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->out = malloc(IO_BUF);
	if (!b->out) {
		free(b);
		return -ENOMEM;
	}
	if (gzip && dlib_load(&dlib_zlib) < 0) {
		err(ctx,
		    "a gzip'd bundle needs zlib, which cannot be loaded (%s): install %s, or write it uncompressed\n",
		    dlib_zlib.why, dlib_zlib.package);
		free(b->out);
		free(b);
		return -ENOPKG;
	}
	if (gzip) {
		/* windowBits 15 + 16: gzip wrapper, header mtime 0 */
		if (sym_deflateInit2(&b->z, 9, Z_DEFLATED, 15 + 16, 8,
				     Z_DEFAULT_STRATEGY) != Z_OK) {
			free(b->out);
			free(b);
			return -ENOMEM;
		}
		b->zinit = true;
	}
	b->ctx = iommuctl_ref(ctx);
	b->fd = fd;
	b->gzip = gzip;
	b->mtime = mtime;
	*out = b;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_bundle_add_dir(struct iommuctl_bundle *b,
					    const char *path, unsigned int mode)
{
	char *name;
	int rc;

	if (!b || !path)
		return b ? bw_fail(b, -EINVAL, "add_dir") : -EINVAL;
	rc = check_path(b, path);
	if (rc < 0)
		return bw_fail(b, rc, path);
	if (b->broken)
		return b->err;
	if (asprintf(&name, "%s/", path) < 0)
		return bw_fail(b, -ENOMEM, path);
	rc = bw_header(b, name, '5', mode & 0777, 0, NULL);
	free(name);
	if (!rc && add_member(b, path, 'd', 0, NULL, NULL) < 0)
		rc = bw_fail(b, -ENOMEM, path);
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_bundle_add_file(struct iommuctl_bundle *b,
					     const char *path, const void *data,
					     size_t len, unsigned int mode)
{
	struct sha256 s;
	uint8_t digest[32];
	char hex[65];
	int rc;

	if (!b || !path || (!data && len))
		return b ? bw_fail(b, -EINVAL, "add_file") : -EINVAL;
	rc = check_path(b, path);
	if (rc < 0)
		return bw_fail(b, rc, path);
	if ((uint64_t)len > TAR_OCT11_MAX) {
		err(b->ctx,
		    "bundle: '%s': %zu bytes, more than a member holds\n", path,
		    len);
		return bw_fail(b, -EFBIG, path);
	}
	if (b->broken)
		return b->err;
	rc = bw_header(b, path, '0', mode & 0777, len, NULL);
	if (!rc && len)
		rc = bw_put(b, data, len);
	if (!rc)
		rc = bw_pad(b);
	if (rc < 0)
		return rc;
	sha256_init(&s);
	sha256_update(&s, data, len);
	sha256_final(&s, digest);
	sha256_hex(digest, hex);
	if (add_member(b, path, 'f', len, hex, NULL) < 0)
		return bw_fail(b, -ENOMEM, path);
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_bundle_add_symlink(struct iommuctl_bundle *b,
						const char *path,
						const char *target)
{
	int rc;

	if (!b || !path || !target)
		return b ? bw_fail(b, -EINVAL, "add_symlink") : -EINVAL;
	rc = check_path(b, path);
	if (rc < 0)
		return bw_fail(b, rc, path);
	if (!*target || strlen(target) >= PATH_MAX) {
		err(b->ctx,
		    "bundle: '%s': symlink target empty or longer than %d bytes\n",
		    path, PATH_MAX - 1);
		return bw_fail(b, *target ? -ENAMETOOLONG : -EINVAL, path);
	}
	if (b->broken)
		return b->err;
	rc = bw_header(b, path, '2', 0777, 0, target);
	if (rc < 0)
		return rc;
	if (add_member(b, path, 'l', 0, NULL, target) < 0)
		return bw_fail(b, -ENOMEM, path);
	return 0;
}

IOMMUCTL_EXPORT size_t iommuctl_bundle_count(struct iommuctl_bundle *b)
{
	return b ? b->n : 0;
}

IOMMUCTL_EXPORT int iommuctl_bundle_member(struct iommuctl_bundle *b, size_t i,
					   const char **path, char *type,
					   uint64_t *size, const char **sha256,
					   const char **target)
{
	struct bundle_member *m;

	if (!b)
		return -EINVAL;
	if (i >= b->n)
		return -ENOENT;
	m = &b->m[i];
	if (path)
		*path = m->path;
	if (type)
		*type = m->type;
	if (size)
		*size = m->size;
	if (sha256)
		*sha256 = m->sha256;
	if (target)
		*target = m->target;
	return 0;
}

IOMMUCTL_EXPORT void iommuctl_bundle_free(struct iommuctl_bundle *b)
{
	size_t i;

	if (!b)
		return;
	if (b->path) {
		if (b->tmp[0])
			unlink(b->tmp);
		close(b->fd);
		free(b->path);
	}
	if (b->zinit)
		sym_deflateEnd(&b->z);
	for (i = 0; i < b->n; i++) {
		free(b->m[i].path);
		free(b->m[i].sha256);
		free(b->m[i].target);
	}
	free(b->m);
	free(b->out);
	iommuctl_unref(b->ctx);
	free(b);
}

IOMMUCTL_EXPORT int iommuctl_bundle_finish(struct iommuctl_bundle *b)
{
	int rc;

	if (!b)
		return -EINVAL;
	if (!b->broken) {
		/* two zero blocks, then zeros to the end of the record */
		rc = bw_zeros(b, 2 * TAR_BLOCK);
		if (!rc)
			rc = bw_zeros(b,
				      (TAR_RECORD - b->written % TAR_RECORD) %
					      TAR_RECORD);
		if (!rc && b->gzip)
			rc = bw_deflate(b, NULL, 0, Z_FINISH);
		if (!rc)
			bw_flush(b);
	}
	rc = b->err;
	if (!rc && b->path && (fsync(b->fd) < 0 || rename(b->tmp, b->path) < 0))
		rc = -errno;
	else if (!rc && b->path)
		b->tmp[0] = '\0'; /* renamed: nothing to remove */
	iommuctl_bundle_free(b);
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_bundle_create(struct iommuctl_ctx *ctx,
					   const char *path, bool gzip,
					   int64_t mtime,
					   struct iommuctl_bundle **out)
{
	size_t len = path ? strlen(path) : 0;
	char *names = path ? malloc(2 * len + 9) : NULL, *tmp;
	int fd = -1, rc = path ? -ENOMEM : -EINVAL;

	if (names) {
		tmp = names + len + 1;
		snprintf(names, len + 1, "%s", path);
		snprintf(tmp, len + 8, "%s.XXXXXX", path);
		fd = mkostemp(tmp, O_CLOEXEC);
		rc = fd < 0 ? -errno : 0;
	}
	if (!rc) {
		fchmod(fd, 0600);
		rc = iommuctl_bundle_new(ctx, fd, gzip, mtime, out);
	}
	if (!rc) {
		(*out)->path = names;
		(*out)->tmp = tmp;
		return 0;
	}
	if (fd >= 0) {
		unlink(tmp);
		close(fd);
	}
	free(names);
	return rc;
}
