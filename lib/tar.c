// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Reading bundles (bundle_open_root(), for iommuctl_set_root()); bundle.c
 * writes them. The archive is untrusted. It is unpacked into a new 0700
 * directory under $TMPDIR (else $XDG_RUNTIME_DIR, else /tmp):
 * names are cleaned ("./" and "/" stripped, ".." refused), every parent
 * directory is opened with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)
 * from the directory's fd, so no member lands outside it, and only regular
 * files, directories and symlinks are made (symlink targets verbatim: the
 * readers resolve them with RESOLVE_IN_ROOT). Member data, member count,
 * extended headers and path length are bounded; an error removes what was
 * unpacked.
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "private.h"
#include "zlib-syms.h"

#include "tar.h"

/* zlib (zlib-syms.h) */
#define ZLIB_DEFINE(fn) typeof(fn) *sym_##fn;
ZLIB_SYMS(ZLIB_DEFINE)
static const struct dlib_sym zlib_syms[] = { ZLIB_SYMS(DLIB_SYM) { NULL, NULL } };
DLIB_SONAME(zlib_soname, "libz.so.1");
struct dlib dlib_zlib = { .soname = zlib_soname,
			  .package = "zlib1g",
			  .syms = zlib_syms };

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* Reader bounds (documented at iommuctl_set_root()) */
#define BUNDLE_DATA_MAX (1ULL << 30) /* member data, all members together */
#define BUNDLE_MEMBERS_MAX 1000000UL
#define BUNDLE_EXT_MAX (1024 * 1024) /* one pax or GNU long-name header */
#define BUNDLE_EXT_RUN_MAX 8 /* extended headers in a row */
/* after the end-of-archive blocks, gzip data read to check its CRC */
#define BUNDLE_DRAIN_MAX (1024 * 1024)

/* ------------------------------------------------------------------ */
/* Reader                                                              */
/* ------------------------------------------------------------------ */

/* The tar stream: the file, through inflate when gzip-compressed. */
struct tin {
	int fd;
	off_t off; /* of the next read from the file */
	bool gz;
	bool zinit;
	bool zend; /* the (last) gzip member ended */
	bool eof; /* the file ended */
	z_stream z;
	unsigned char *ibuf;
	uint64_t pos; /* tar bytes read */
	const char *why; /* of the last -EBADMSG */
};

static int tin_fill(struct tin *t)
{
	ssize_t n;

	do
		n = pread(t->fd, t->ibuf, IO_BUF, t->off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		t->eof = true;
	t->off += n;
	t->z.next_in = t->ibuf;
	t->z.avail_in = (uInt)n;
	return 0;
}

/* Up to @len bytes; fewer only at the end of the stream. */
static ssize_t tin_read(struct tin *t, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;
	int zr, rc;

	if (!t->gz) {
		while (got < len) {
			n = pread(t->fd, (char *)buf + got, len - got, t->off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -errno;
			if (n == 0)
				break;
			t->off += n;
			got += (size_t)n;
		}
		t->pos += got;
		return (ssize_t)got;
	}
	while (got < len && !t->zend) {
		if (!t->z.avail_in && !t->eof) {
			rc = tin_fill(t);
			if (rc < 0)
				return rc;
		}
		t->z.next_out = (Bytef *)buf + got;
		t->z.avail_out = (uInt)(len - got);
		zr = sym_inflate(&t->z, Z_NO_FLUSH);
		got = len - t->z.avail_out;
		if (zr == Z_STREAM_END) {
			/* another gzip member may follow (concatenated) */
			if (!t->z.avail_in && !t->eof) {
				rc = tin_fill(t);
				if (rc < 0)
					return rc;
			}
			if (t->z.avail_in && t->z.next_in[0] == 0x1f) {
				if (sym_inflateReset(&t->z) != Z_OK)
					return -ENOMEM;
				continue;
			}
			t->zend = true;
		} else if (zr == Z_MEM_ERROR) {
			return -ENOMEM;
		} else if (zr == Z_BUF_ERROR) {
			if (t->eof && !t->z.avail_in) {
				t->why = "gzip data truncated";
				return -EBADMSG;
			}
		} else if (zr != Z_OK) {
			t->why = t->z.msg ? t->z.msg : "gzip data error";
			return -EBADMSG;
		}
	}
	t->pos += got;
	return (ssize_t)got;
}

struct unpack {
	struct iommuctl_ctx *ctx;
	const char *name; /* the archive, as the user named it */
	struct tin in;
	int tmpfd;
	char *pdir; /* cached parent directory ("" for the top) */
	int pfd;
	uint64_t data; /* member data bytes so far */
	unsigned long members;
	unsigned int ext_run;
	char *pax_path, *pax_link;
	bool pax_size_set;
	uint64_t pax_size;
	char *gnu_name, *gnu_link;
	unsigned char *buf;
	char shown[300];
};

/* @s for a message: non-printable bytes as '?', at most 256 of them. */
static const char *shown(struct unpack *u, const char *s, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < max && s[i] && n < 256; i++)
		u->shown[n++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (i < max && s[i] && n == 256) {
		memcpy(u->shown + n, "...", 3);
		n += 3;
	}
	u->shown[n] = '\0';
	return u->shown;
}

/* Logs "ARCHIVE: member 'MEMBER': REASON" at err; returns @rc. */
__attribute__((format(printf, 4, 5))) static int
unpack_err(struct unpack *u, const char *member, int rc, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	err(u->ctx, "%s: member '%s': %s", u->name, shown(u, member, PATH_MAX),
	    why);
	return rc;
}

static void ext_clear(struct unpack *u)
{
	free(u->pax_path);
	free(u->pax_link);
	free(u->gnu_name);
	free(u->gnu_link);
	u->pax_path = u->pax_link = u->gnu_name = u->gnu_link = NULL;
	u->pax_size_set = false;
	u->ext_run = 0;
}

/* A tar number: octal (leading spaces, then digits up to a space or NUL)
 * or GNU base-256 (first byte 0x80). -EINVAL when malformed. */
static int parse_num(const char *f, size_t w, uint64_t *out)
{
	const unsigned char *p = (const unsigned char *)f;
	uint64_t v = 0;
	size_t i = 0;

	if (p[0] == 0x80) {
		for (i = 1; i < w; i++) {
			if (v >> 55)
				return -EINVAL;
			v = v << 8 | p[i];
		}
		*out = v;
		return 0;
	}
	if (p[0] & 0x80)
		return -EINVAL; /* negative base-256 */
	while (i < w && p[i] == ' ')
		i++;
	for (; i < w && p[i] >= '0' && p[i] <= '7'; i++) {
		if (v >> 60)
			return -EINVAL;
		v = v << 3 | (uint64_t)(p[i] - '0');
	}
	if (i < w && p[i] != ' ' && p[i] != '\0')
		return -EINVAL;
	*out = v;
	return 0;
}

/* Read @len bytes of member data into @buf; -EBADMSG when the archive
 * ends first. */
static int read_data(struct unpack *u, const char *member, void *buf,
		     size_t len)
{
	ssize_t n = tin_read(&u->in, buf, len);

	if (n == -EBADMSG)
		return unpack_err(u, member, -EBADMSG, "%s\n", u->in.why);
	if (n < 0)
		return unpack_err(u, member, (int)n, "reading: %s\n",
				  strerror((int)-n));
	if ((size_t)n < len)
		return unpack_err(
			u, member, -EBADMSG,
			"truncated: the archive ends inside its data\n");
	return 0;
}

static uint64_t padded(uint64_t size)
{
	return (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
}

/* Skip @size bytes of data and the padding after them. */
static int skip_data(struct unpack *u, const char *member, uint64_t size)
{
	uint64_t left = padded(size);
	size_t n;
	int rc;

	while (left) {
		n = left > IO_BUF ? IO_BUF : (size_t)left;
		rc = read_data(u, member, u->buf, n);
		if (rc < 0)
			return rc;
		left -= n;
	}
	return 0;
}

/* Charge @size bytes of data to the budget. */
static int charge(struct unpack *u, const char *member, uint64_t size)
{
	if (size > BUNDLE_DATA_MAX - u->data)
		return unpack_err(
			u, member, -EFBIG,
			"%llu bytes: the bundle holds more than %llu bytes of data\n",
			(unsigned long long)size,
			(unsigned long long)BUNDLE_DATA_MAX);
	u->data += size;
	return 0;
}

/* The data of an extended header, NUL-terminated, in a new buffer. */
static int read_ext(struct unpack *u, const char *member, uint64_t size,
		    char **out)
{
	char *data;
	int rc;

	if (size > BUNDLE_EXT_MAX)
		return unpack_err(
			u, member, -EFBIG,
			"extended header of %llu bytes (at most %d)\n",
			(unsigned long long)size, BUNDLE_EXT_MAX);
	rc = charge(u, member, size);
	if (rc < 0)
		return rc;
	data = malloc(padded(size) + 1);
	if (!data)
		return -ENOMEM;
	rc = read_data(u, member, data, (size_t)padded(size));
	if (rc < 0) {
		free(data);
		return rc;
	}
	data[size] = '\0';
	*out = data;
	return 0;
}

/* GNU 'L'/'K': the name, then NULs only (@data[@size] is a NUL). */
static int gnu_long(struct unpack *u, const char *member, char *data,
		    uint64_t size, char **slot)
{
	size_t len = strlen(data);

	for (size_t i = len; i < size; i++)
		if (data[i])
			return unpack_err(u, member, -EBADMSG,
					  "NUL inside a GNU long name\n");
	free(*slot);
	*slot = data;
	return 0;
}

/* pax records "LEN KEY=VALUE\n": path, linkpath and size are used. */
static int pax_parse(struct unpack *u, const char *member, const char *data,
		     size_t size)
{
	size_t off = 0;

	while (off < size) {
		const char *rec = data + off, *sp, *eq, *val;
		size_t left = size - off, len = 0, i, vlen;

		for (i = 0; i < left && rec[i] >= '0' && rec[i] <= '9'; i++) {
			if (len > SIZE_MAX / 10 - 1)
				break;
			len = len * 10 + (size_t)(rec[i] - '0');
		}
		sp = rec + i;
		if (i == 0 || i >= left || *sp != ' ' || len > left ||
		    len < i + 3 || rec[len - 1] != '\n')
			return unpack_err(u, member, -EBADMSG,
					  "malformed pax record at byte %zu\n",
					  off);
		eq = memchr(sp + 1, '=', (size_t)(rec + len - 1 - (sp + 1)));
		if (!eq || eq == sp + 1)
			return unpack_err(u, member, -EBADMSG,
					  "malformed pax record at byte %zu\n",
					  off);
		val = eq + 1;
		vlen = (size_t)(rec + len - 1 - val);
#define KEY(k) \
	((size_t)(eq - sp - 1) == strlen(k) && !memcmp(sp + 1, k, strlen(k)))
		if (KEY("path") || KEY("linkpath") || KEY("size")) {
			char **slot = KEY("path") ? &u->pax_path : &u->pax_link;

			if (memchr(val, '\0', vlen))
				return unpack_err(
					u, member, -EBADMSG,
					"NUL inside a pax '%.*s' record\n",
					(int)(eq - sp - 1), sp + 1);
			if (KEY("size")) {
				uint64_t v = 0;

				if (!vlen)
					return unpack_err(u, member, -EBADMSG,
							  "empty pax size\n");
				for (i = 0; i < vlen; i++) {
					if (val[i] < '0' || val[i] > '9' ||
					    v > UINT64_MAX / 10 - 1)
						return unpack_err(
							u, member, -EBADMSG,
							"bad pax size\n");
					v = v * 10 + (uint64_t)(val[i] - '0');
				}
				u->pax_size = v;
				u->pax_size_set = true;
			} else {
				free(*slot);
				*slot = NULL;
				/* an empty value undoes the keyword */
				if (vlen && !(*slot = strndup(val, vlen)))
					return -ENOMEM;
			}
		}
#undef KEY
		off += len;
	}
	return 0;
}

/* The member name cleaned: leading "/" and "./" stripped, empty and "."
 * components dropped, ".." refused. 1 when nothing is left (the top). */
static int clean_name(struct unpack *u, const char *raw, char **out)
{
	const char *p = raw, *e;
	char *res, *w;
	size_t n;

	if (!*raw)
		return unpack_err(u, raw, -EBADMSG, "empty name\n");
	res = malloc(strlen(raw) + 1);
	if (!res)
		return -ENOMEM;
	w = res;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		e = strchr(p, '/');
		n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			free(res);
			return unpack_err(u, raw, -EINVAL,
					  "'..' in the name\n");
		}
		if (!(n == 1 && p[0] == '.')) {
			if (w != res)
				*w++ = '/';
			memcpy(w, p, n);
			w += n;
		}
		p += n;
	}
	*w = '\0';
	if ((size_t)(w - res) >= PATH_MAX) {
		free(res);
		return unpack_err(u, raw, -EFBIG, "name longer than %d bytes\n",
				  PATH_MAX - 1);
	}
	if (w == res) {
		free(res);
		return 1;
	}
	*out = res;
	return 0;
}

static int openat2_dir(int dfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_DIRECTORY | O_NOFOLLOW |
					      O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
			   RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, dfd, path, &how, sizeof(how));

	return fd < 0 ? -errno : fd;
}

static int parent_error(struct unpack *u, const char *member, int rc)
{
	if (rc == -ELOOP || rc == -ENOTDIR || rc == -EXDEV)
		return unpack_err(
			u, member, -EINVAL,
			"a parent directory is a symlink or not a directory\n");
	if (rc == -ENOSYS)
		return unpack_err(
			u, member, rc,
			"unpacking a bundle needs openat2 (Linux 5.6+)\n");
	return unpack_err(u, member, rc, "%s\n", strerror(-rc));
}

/* The directory that holds @path, made as needed; *@base its last
 * component. The fd is cached, not to be closed. */
static int open_parent(struct unpack *u, char *path, const char **base)
{
	char *slash = strrchr(path, '/'), *p, *e;
	int fd, cur;

	if (!slash) {
		*base = path;
		return u->tmpfd;
	}
	*base = slash + 1;
	*slash = '\0';
	if (u->pdir && !strcmp(u->pdir, path)) {
		*slash = '/';
		return u->pfd;
	}
	fd = openat2_dir(u->tmpfd, path, O_RDONLY);
	if (fd == -ENOENT) {
		/* one component at a time, making the missing ones */
		cur = u->tmpfd;
		for (p = path;; p = e + 1) {
			e = strchr(p, '/');
			if (e)
				*e = '\0';
			fd = openat2_dir(cur, p, O_RDONLY);
			if (fd == -ENOENT) {
				if (mkdirat(cur, p, 0700) < 0 &&
				    errno != EEXIST)
					fd = -errno;
				else
					fd = openat2_dir(cur, p, O_RDONLY);
				/* whatever the umask */
				if (fd >= 0 && fchmod(fd, 0755) < 0) {
					int saved = errno;

					close(fd);
					fd = -saved;
				}
			}
			if (e)
				*e = '/';
			if (cur != u->tmpfd)
				close(cur);
			if (fd < 0 || !e)
				break;
			cur = fd;
		}
	}
	if (fd < 0) {
		*slash = '/';
		return parent_error(u, path, fd);
	}
	p = strdup(path);
	*slash = '/';
	if (!p) {
		close(fd);
		return -ENOMEM;
	}
	if (u->pdir)
		close(u->pfd);
	free(u->pdir);
	u->pdir = p;
	u->pfd = fd;
	return fd;
}

/* Make room for a new @base in @pfd: a file or symlink there is removed,
 * a directory is kept (1) when @dir, refused otherwise. */
static int clear_slot(struct unpack *u, const char *member, int pfd,
		      const char *base, bool dir)
{
	struct stat st;

	if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 :
					 unpack_err(u, member, -errno, "%s\n",
						    strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if (dir)
			return 1;
		return unpack_err(
			u, member, -EINVAL,
			"would replace a directory of the same name\n");
	}
	if (unlinkat(pfd, base, 0) < 0)
		return unpack_err(u, member, -errno, "%s\n", strerror(errno));
	return 0;
}

/* write(2) all of it, to a file of the unpacked tree */
static int write_file(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int make_file(struct unpack *u, const char *member, int pfd,
		     const char *base, unsigned int mode, uint64_t size)
{
	uint64_t left = size;
	size_t n;
	int fd, rc;

	rc = clear_slot(u, member, pfd, base, false);
	if (rc < 0)
		return rc;
	fd = openat(pfd, base,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return unpack_err(u, member, -errno, "%s\n", strerror(errno));
	while (left) {
		n = left > IO_BUF ? IO_BUF : (size_t)left;
		rc = read_data(u, member, u->buf, n);
		if (rc < 0)
			goto out;
		rc = write_file(fd, u->buf, n);
		if (rc < 0) {
			unpack_err(u, member, rc, "writing: %s\n",
				   strerror(-rc));
			goto out;
		}
		left -= n;
	}
	rc = read_data(u, member, u->buf, (size_t)(padded(size) - size));
	if (rc < 0)
		goto out;
	if (fchmod(fd, (mode & 0777) | 0400) < 0)
		rc = unpack_err(u, member, -errno, "%s\n", strerror(errno));
out:
	if (close(fd) < 0 && !rc)
		rc = unpack_err(u, member, -errno, "%s\n", strerror(errno));
	return rc;
}

static int make_dir(struct unpack *u, const char *member, int pfd,
		    const char *base, unsigned int mode)
{
	int fd, rc;

	rc = clear_slot(u, member, pfd, base, true);
	if (rc < 0)
		return rc;
	if (rc == 0 && mkdirat(pfd, base, 0700) < 0)
		return unpack_err(u, member, -errno, "%s\n", strerror(errno));
	fd = openat2_dir(pfd, base, O_RDONLY);
	if (fd < 0)
		return parent_error(u, member, fd);
	rc = 0;
	if (fchmod(fd, (mode & 0777) | 0700) < 0)
		rc = unpack_err(u, member, -errno, "%s\n", strerror(errno));
	close(fd);
	return rc;
}

static int make_symlink(struct unpack *u, const char *member, int pfd,
			const char *base, const char *target)
{
	int rc;

	if (!*target)
		return unpack_err(u, member, -EBADMSG,
				  "symlink without a target\n");
	if (strlen(target) >= PATH_MAX)
		return unpack_err(u, member, -EFBIG,
				  "symlink target longer than %d bytes\n",
				  PATH_MAX - 1);
	rc = clear_slot(u, member, pfd, base, false);
	if (rc < 0)
		return rc;
	if (symlinkat(target, pfd, base) < 0)
		return unpack_err(u, member, -errno, "%s\n", strerror(errno));
	return 0;
}

/* A member's name from the header fields (ustar prefix + name). */
static char *header_name(const struct tar_hdr *h, bool posix)
{
	char *s;

	if (posix && h->prefix[0]) {
		if (asprintf(&s, "%.*s/%.*s", (int)strnlen(h->prefix, 155),
			     h->prefix, (int)strnlen(h->name, 100),
			     h->name) < 0)
			return NULL;
		return s;
	}
	return strndup(h->name, strnlen(h->name, sizeof(h->name)));
}

static const char *type_name(char t)
{
	switch (t) {
	case '1':
		return "hard link";
	case '3':
		return "character device";
	case '4':
		return "block device";
	case '6':
		return "FIFO";
	default:
		return "member of an unknown type";
	}
}

/* One member whose header is @h (extended headers already applied). */
static int unpack_member(struct unpack *u, const struct tar_hdr *h,
			 uint64_t size)
{
	bool posix = !memcmp(h->magic, "ustar", 6);
	char *raw = NULL, *path = NULL, *target = NULL;
	const char *base;
	uint64_t mode;
	char type = h->typeflag;
	int pfd, rc;

	if (u->pax_path)
		raw = strdup(u->pax_path);
	else if (u->gnu_name)
		raw = strdup(u->gnu_name);
	else
		raw = header_name(h, posix);
	if (!raw)
		return -ENOMEM;
	if (type == '\0' || type == '7')
		type = '0';
	if (type == '0' && *raw && raw[strlen(raw) - 1] == '/')
		type = '5'; /* old tars: a directory is a name ending in '/' */
	rc = charge(u, raw, size);
	if (rc < 0)
		goto out;
	if (type != '0' && type != '2' && type != '5') {
		info(u->ctx, "%s: member '%s': %s '%c' not unpacked\n", u->name,
		     shown(u, raw, PATH_MAX), type_name(type),
		     (type >= 0x20 && type < 0x7f) ? type : '?');
		rc = skip_data(u, raw, size);
		goto out;
	}
	if (parse_num(h->mode, sizeof(h->mode), &mode) < 0) {
		rc = unpack_err(u, raw, -EBADMSG, "bad mode field\n");
		goto out;
	}
	rc = clean_name(u, raw, &path);
	if (rc < 0)
		goto out;
	if (rc == 1) {
		/* "./": the top itself */
		if (type != '5') {
			rc = unpack_err(u, raw, -EBADMSG, "empty name\n");
			goto out;
		}
		rc = skip_data(u, raw, size);
		goto out;
	}
	pfd = open_parent(u, path, &base);
	if (pfd < 0) {
		rc = pfd;
		goto out;
	}
	switch (type) {
	case '0':
		rc = make_file(u, raw, pfd, base, (unsigned int)mode, size);
		break;
	case '5':
		rc = make_dir(u, raw, pfd, base, (unsigned int)mode);
		if (!rc)
			rc = skip_data(u, raw, size);
		break;
	default: /* '2' */
		if (u->pax_link)
			target = strdup(u->pax_link);
		else if (u->gnu_link)
			target = strdup(u->gnu_link);
		else
			target = strndup(h->linkname,
					 strnlen(h->linkname,
						 sizeof(h->linkname)));
		if (!target) {
			rc = -ENOMEM;
			break;
		}
		rc = make_symlink(u, raw, pfd, base, target);
		if (!rc)
			rc = skip_data(u, raw, size);
		break;
	}
out:
	free(raw);
	free(path);
	free(target);
	return rc;
}

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--)
		if (*c++)
			return false;
	return true;
}

/* After the end-of-archive block: read on to the end of the gzip stream
 * (a bounded amount), so its CRC is checked. */
static int drain(struct unpack *u)
{
	uint64_t total = 0;
	ssize_t n;

	if (!u->in.gz)
		return 0;
	while (!u->in.zend && total < BUNDLE_DRAIN_MAX) {
		n = tin_read(&u->in, u->buf, IO_BUF);
		if (n == -EBADMSG) {
			err(u->ctx, "%s: after the last member: %s\n", u->name,
			    u->in.why);
			return -EBADMSG;
		}
		if (n < 0)
			return (int)n;
		if (n == 0)
			break;
		total += (uint64_t)n;
	}
	return 0;
}

static int unpack_all(struct unpack *u)
{
	union {
		struct tar_hdr h;
		unsigned char raw[TAR_BLOCK];
	} blk;
	char field[101];
	unsigned long usum;
	long ssum;
	uint64_t sum, size;
	ssize_t n;
	char *data = NULL;
	int rc;

	for (;;) {
		uint64_t at = u->in.pos;

		n = tin_read(&u->in, blk.raw, TAR_BLOCK);
		if (n == -EBADMSG) {
			err(u->ctx, "%s: at byte %llu: %s\n", u->name,
			    (unsigned long long)at, u->in.why);
			return -EBADMSG;
		}
		if (n < 0) {
			err(u->ctx, "%s: reading: %s\n", u->name,
			    strerror((int)-n));
			return (int)n;
		}
		if (n < TAR_BLOCK) {
			err(u->ctx,
			    "%s: truncated: no end-of-archive block after %llu bytes\n",
			    u->name, (unsigned long long)at);
			return -EBADMSG;
		}
		if (all_zero(blk.raw, TAR_BLOCK)) {
			if (u->ext_run) {
				err(u->ctx,
				    "%s: extended header without a member\n",
				    u->name);
				return -EBADMSG;
			}
			return drain(u);
		}
		memcpy(field, blk.h.name, 100);
		field[100] = '\0';
		hdr_checksum(&blk.h, &usum, &ssum);
		if (parse_num(blk.h.chksum, sizeof(blk.h.chksum), &sum) < 0 ||
		    (sum != usum && (long)sum != ssum))
			return unpack_err(u, field, -EBADMSG,
					  "bad header checksum at byte %llu\n",
					  (unsigned long long)at);
		if (parse_num(blk.h.size, sizeof(blk.h.size), &size) < 0)
			return unpack_err(u, field, -EBADMSG,
					  "bad size field\n");
		switch (blk.h.typeflag) {
		case 'x':
		case 'L':
		case 'K':
			if (++u->ext_run > BUNDLE_EXT_RUN_MAX)
				return unpack_err(
					u, field, -EBADMSG,
					"more than %d extended headers in a row\n",
					BUNDLE_EXT_RUN_MAX);
			rc = read_ext(u, field, size, &data);
			if (rc < 0)
				return rc;
			if (blk.h.typeflag == 'x') {
				rc = pax_parse(u, field, data, (size_t)size);
				free(data);
			} else {
				rc = gnu_long(u, field, data, size,
					      blk.h.typeflag == 'L' ?
						      &u->gnu_name :
						      &u->gnu_link);
				if (rc < 0)
					free(data);
			}
			if (rc < 0)
				return rc;
			continue;
		case 'g':
			if (u->ext_run)
				return unpack_err(
					u, field, -EBADMSG,
					"global header after an extended header\n");
			if (++u->members > BUNDLE_MEMBERS_MAX)
				return unpack_err(u, field, -EFBIG,
						  "more than %lu members\n",
						  BUNDLE_MEMBERS_MAX);
			if (size > BUNDLE_EXT_MAX)
				return unpack_err(
					u, field, -EFBIG,
					"extended header of %llu bytes (at most %d)\n",
					(unsigned long long)size,
					BUNDLE_EXT_MAX);
			rc = charge(u, field, size);
			if (!rc)
				rc = skip_data(u, field, size);
			if (rc < 0)
				return rc;
			continue;
		default:
			break;
		}
		if (++u->members > BUNDLE_MEMBERS_MAX)
			return unpack_err(u, field, -EFBIG,
					  "more than %lu members\n",
					  BUNDLE_MEMBERS_MAX);
		if (u->pax_size_set)
			size = u->pax_size;
		rc = unpack_member(u, &blk.h, size);
		ext_clear(u);
		if (rc < 0)
			return rc;
	}
}

/* The root: the single top-level directory, or the whole tree. */
static int pick_root(struct unpack *u, int *rootfd)
{
	struct dirent *de;
	struct stat st;
	char *only = NULL;
	int fd, n = 0, rc = 0;
	DIR *d;

	fd = openat(u->tmpfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		return rc;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n++ == 0)
			only = strdup(de->d_name);
	}
	closedir(d);
	if (n == 1 && !only)
		return -ENOMEM;
	if (n == 1 && fstatat(u->tmpfd, only, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(st.st_mode)) {
		fd = openat2_dir(u->tmpfd, only, O_PATH);
		dbg(u->ctx, "%s: root is its top directory %s\n", u->name,
		    only);
	} else {
		fd = openat(u->tmpfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			fd = -errno;
	}
	free(only);
	if (fd < 0)
		return fd;
	*rootfd = fd;
	return 0;
}

/*
 * Where a bundle is unpacked when $TMPDIR is not set: $XDG_RUNTIME_DIR (a
 * private tmpfs on systemd systems, so the thousands of small files cost no
 * disk writes) when it names a directory, else /tmp.
 */
static const char *unpack_base(void)
{
	const char *run = secure_getenv("XDG_RUNTIME_DIR");
	struct stat st;

	if (run && run[0] == '/' && !stat(run, &st) && S_ISDIR(st.st_mode))
		return run;
	return "/tmp";
}

/*
 * The cache of unpacked bundles: $XDG_CACHE_HOME/iommuctl/roots/HASH/, HASH
 * the SHA-256 of the archive file, so a bundle is unpacked (and checked) once
 * and every later --root on it reads the tree in place. An entry appears by
 * rename() of a finished unpack, so it is always whole; the directory is the
 * user's own (0700, owner checked). The CACHE_KEEP most recently used entries
 * stay. IOMMUCTL_NO_CACHE=1, or no usable cache directory, unpacks into a
 * temporary directory that goes with the context, as before.
 */
#define CACHE_KEEP 8

static char *cache_path(void)
{
	const char *xdg = secure_getenv("XDG_CACHE_HOME");
	const char *home = secure_getenv("HOME");
	const char *no = secure_getenv("IOMMUCTL_NO_CACHE");
	char *p = NULL;

	if (no && *no && strcmp(no, "0"))
		return NULL;
	if (xdg && xdg[0] == '/')
		return asprintf(&p, "%s/iommuctl/roots", xdg) < 0 ? NULL : p;
	if (home && home[0] == '/')
		return asprintf(&p, "%s/.cache/iommuctl/roots", home) < 0 ?
			       NULL :
			       p;
	return NULL;
}

/* The cache directory, made if missing: an fd, or -errno when there is none
 * we can trust (not ours, or others may write it). */
static int cache_open(struct iommuctl_ctx *ctx, const char *path)
{
	char *copy = strdup(path), *slash;
	struct stat st;
	int fd;

	if (!copy)
		return -ENOMEM;
	/* .../iommuctl/roots: make the parents, the last two private */
	for (slash = strchr(copy + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(copy, 0700);
		*slash = '/';
	}
	free(copy);
	mkdir(path, 0700);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() ||
	    (st.st_mode & 077)) {
		dbg(ctx, "%s: not a private directory of ours: no cache\n",
		    path);
		close(fd);
		return -EPERM;
	}
	return fd;
}

static int file_sha256(int fd, size_t size, char hex[65])
{
	struct sha256 h;
	uint8_t sum[32];
	void *p = NULL;

	if (size) {
		p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			return -errno;
	}
	sha256_init(&h);
	sha256_update(&h, p, size);
	sha256_final(&h, sum);
	sha256_hex(sum, hex);
	if (p)
		munmap(p, size);
	return 0;
}

/* Keep the CACHE_KEEP most recently used entries (by mtime; a hit touches
 * its entry), never @keep. */
static void cache_trim(struct iommuctl_ctx *ctx, int cfd, const char *cpath,
		       const char *keep)
{
	struct {
		char name[65];
		struct timespec t;
	} e[CACHE_KEEP + 8];
	struct dirent *de;
	struct stat st;
	size_t n = 0, i, old;
	int lfd = openat(cfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = lfd >= 0 ? fdopendir(lfd) : NULL;

	if (!d) {
		if (lfd >= 0)
			close(lfd);
		return;
	}
	while ((de = readdir(d))) {
		if (fstatat(cfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		/* an unpack a killed run left behind, an hour old */
		if (!strncmp(de->d_name, "iommuctl-root-", 14) &&
		    st.st_mtim.tv_sec + 3600 < time(NULL)) {
			char *p;

			if (asprintf(&p, "%s/%s", cpath, de->d_name) >= 0) {
				bundle_remove_tree(ctx, p);
				free(p);
			}
			continue;
		}
		if (strlen(de->d_name) != 64 || !strcmp(de->d_name, keep))
			continue;
		if (n == sizeof(e) / sizeof(e[0])) {
			/* full: drop the oldest of those seen */
			for (old = 0, i = 1; i < n; i++)
				if (e[i].t.tv_sec < e[old].t.tv_sec)
					old = i;
			e[old] = e[--n];
		}
		memcpy(e[n].name, de->d_name, 65);
		e[n++].t = st.st_mtim;
	}
	closedir(d);
	while (n >= CACHE_KEEP) { /* with @keep, at most CACHE_KEEP */
		char *p;

		for (old = 0, i = 1; i < n; i++)
			if (e[i].t.tv_sec < e[old].t.tv_sec ||
			    (e[i].t.tv_sec == e[old].t.tv_sec &&
			     e[i].t.tv_nsec < e[old].t.tv_nsec))
				old = i;
		if (asprintf(&p, "%s/%s", cpath, e[old].name) >= 0) {
			dbg(ctx, "cache: dropping %s\n", p);
			bundle_remove_tree(ctx, p);
			free(p);
		}
		e[old] = e[--n];
	}
}

/* The tree just unpacked in *@dir becomes the cache's entry @hex; when
 * another run made it first, that one is the root. *@dir is then NULL: the
 * tree stays. */
static int cache_enter(struct unpack *u, int cfd, const char *cpath,
		       const char *hex, char **dir, int *rootfd)
{
	const char *base = strrchr(*dir, '/') + 1;
	int efd;

	if (renameat(cfd, base, cfd, hex) == 0) {
		dbg(u->ctx, "%s: cached in %s/%s\n", u->name, cpath, hex);
		free(*dir);
		*dir = NULL;
		cache_trim(u->ctx, cfd, cpath, hex);
		return 0;
	}
	if (errno != EEXIST && errno != ENOTEMPTY)
		return 0; /* not cached: a temporary tree, as without a cache */
	efd = openat(cfd, hex, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (efd < 0)
		return 0;
	close(u->tmpfd);
	u->tmpfd = efd;
	close(*rootfd);
	bundle_remove_tree(u->ctx, *dir);
	free(*dir);
	*dir = NULL;
	return pick_root(u, rootfd);
}

int bundle_open_root(struct iommuctl_ctx *ctx, const char *path, char **tmpdir,
		     int *rootfd)
{
	struct unpack u = { .ctx = ctx, .name = path, .tmpfd = -1, .pfd = -1 };
	unsigned char head[TAR_BLOCK];
	const char *tmp = secure_getenv("TMPDIR");
	struct stat st;
	char *dir = NULL, *cpath = NULL, hex[65];
	ssize_t n;
	int fd, rc, cfd = -1;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		dbg(ctx, "cannot open %s: %s\n", path, strerror(errno));
		return rc;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		ctx_error_fmt(ctx, ctx,
			      "%s is not a directory, tar or tar.gz file: expected a directory standing for / (sys/ at its top) or a bundle",
			      path);
		return -ENOTDIR;
	}
	do
		n = pread(fd, head, sizeof(head), 0);
	while (n < 0 && errno == EINTR);
	if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) {
		u.in.gz = true;
	} else if (n < TAR_BLOCK || memcmp(head + 257, "ustar", 5)) {
		close(fd);
		ctx_error_fmt(ctx, ctx,
			      "%s is not a directory, tar or tar.gz file: expected a directory standing for / (sys/ at its top) or a bundle",
			      path);
		return n < 0 ? -EIO : -ENOTDIR;
	}
	u.in.fd = fd;
	u.buf = malloc(IO_BUF);
	u.in.ibuf = u.in.gz ? malloc(IO_BUF) : NULL;
	if (!u.buf || (u.in.gz && !u.in.ibuf)) {
		rc = -ENOMEM;
		goto out;
	}
	cpath = cache_path();
	if (cpath && file_sha256(fd, (size_t)st.st_size, hex) == 0)
		cfd = cache_open(ctx, cpath);
	if (cfd >= 0) {
		u.tmpfd =
			openat(cfd, hex,
			       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (u.tmpfd >= 0) {
			dbg(ctx, "%s: unpacked before, in %s/%s\n", path, cpath,
			    hex);
			futimens(u.tmpfd, NULL); /* most recently used */
			rc = pick_root(&u, rootfd);
			goto out;
		}
		tmp = cpath;
	}
	/* not unpacked before: zlib now */
	if (u.in.gz) {
		rc = dlib_load(&dlib_zlib);
		if (rc < 0) {
			err(ctx,
			    "%s: a gzip'd bundle needs zlib, which cannot be loaded (%s): install %s, or unpack it (tar -xzf) and give the directory\n",
			    path, dlib_zlib.why, dlib_zlib.package);
			goto out;
		}
		if (sym_inflateInit2(&u.in.z, 15 + 16) != Z_OK) {
			rc = -ENOMEM;
			goto out;
		}
		u.in.zinit = true;
	}
	if (!tmp || !*tmp)
		tmp = unpack_base();
	if (asprintf(&dir, "%s/iommuctl-root-XXXXXX", tmp) < 0) {
		dir = NULL;
		rc = -ENOMEM;
		goto out;
	}
	if (!mkdtemp(dir)) {
		rc = -errno;
		err(ctx, "%s: cannot make a directory to unpack it in %s: %s\n",
		    path, tmp, strerror(errno));
		free(dir);
		dir = NULL;
		goto out;
	}
	u.tmpfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (u.tmpfd < 0 || fchmod(u.tmpfd, 0700) < 0) {
		rc = -errno;
		err(ctx, "%s: %s: %s\n", path, dir, strerror(errno));
		goto out;
	}
	dbg(ctx, "%s: unpacking into %s\n", path, dir);
	rc = unpack_all(&u);
	if (!rc)
		rc = pick_root(&u, rootfd);
	if (!rc && cfd >= 0)
		rc = cache_enter(&u, cfd, cpath, hex, &dir, rootfd);
out:
	ext_clear(&u);
	if (u.pdir)
		close(u.pfd);
	free(u.pdir);
	if (u.tmpfd >= 0)
		close(u.tmpfd);
	if (u.in.zinit)
		sym_inflateEnd(&u.in.z);
	free(u.in.ibuf);
	free(u.buf);
	close(fd);
	if (cfd >= 0)
		close(cfd);
	free(cpath);
	if (rc < 0 && dir) {
		bundle_remove_tree(ctx, dir);
		free(dir);
		dir = NULL;
	}
	if (!rc)
		*tmpdir = dir;
	return rc;
}

int bundle_remove_tree(struct iommuctl_ctx *ctx, const char *dir)
{
	struct strv stack = { 0 };
	struct dirent *de;
	int fd, lfd, nfd, rc = 0;
	bool down;
	DIR *d;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	for (;;) {
		/* a fresh listing each time: entries go while we read */
		lfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (lfd < 0 || !(d = fdopendir(lfd))) {
			rc = -errno;
			if (lfd >= 0)
				close(lfd);
			break;
		}
		down = false;
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") ||
			    !strcmp(de->d_name, ".."))
				continue;
			if (unlinkat(fd, de->d_name, 0) == 0 || errno == ENOENT)
				continue;
			if (errno != EISDIR && errno != EPERM) {
				rc = -errno;
				break;
			}
			if (unlinkat(fd, de->d_name, AT_REMOVEDIR) == 0)
				continue;
			if (errno != ENOTEMPTY && errno != EEXIST) {
				rc = -errno;
				break;
			}
			nfd = openat(fd, de->d_name,
				     O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					     O_CLOEXEC);
			if (nfd < 0 || strv_push(&stack, de->d_name) < 0) {
				rc = nfd < 0 ? -errno : -ENOMEM;
				if (nfd >= 0)
					close(nfd);
				break;
			}
			close(fd);
			fd = nfd;
			down = true;
			break;
		}
		closedir(d);
		if (rc < 0)
			break;
		if (down)
			continue;
		if (!stack.n)
			break;
		/* this directory is empty: up, and remove it */
		nfd = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (nfd < 0) {
			rc = -errno;
			break;
		}
		close(fd);
		fd = nfd;
		if (unlinkat(fd, stack.v[stack.n - 1], AT_REMOVEDIR) < 0) {
			rc = -errno;
			break;
		}
		free(stack.v[--stack.n]);
		stack.v[stack.n] = NULL;
	}
	close(fd);
	if (!rc && rmdir(dir) < 0)
		rc = -errno;
out:
	strv_free(&stack);
	if (rc < 0)
		err(ctx, "cannot remove %s: %s\n", dir, strerror(-rc));
	return rc;
}
