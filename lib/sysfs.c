// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Path access inside the context root. Live, the root is "/"; offline it is
 * a captured tree that we do not trust: openat2(RESOLVE_IN_ROOT) makes
 * absolute symlinks and ".." chains resolve inside the tree, never on the
 * host. Reads are bounded and report -EFBIG rather than truncate.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "private.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* @a "/" @b: two copies, not a format (enumeration joins ~4 paths a device) */
char *path_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t sep = (la && a[la - 1] == '/') ? 0 : 1;
	char *p = malloc(la + sep + lb + 1);

	if (!p)
		return NULL;
	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + sep, b, lb + 1);
	return p;
}

char *path_fmt(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&p, fmt, ap);
	va_end(ap);
	return rc < 0 ? NULL : p;
}

/* openat2() of @path (leading '/' ignored) confined to the tree at @rootfd;
 * -errno. Also for report.c's reader threads, which hold their own root fd. */
int root_openat(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	return fd >= 0 ? fd : -errno;
}

/* openat2() of the name @rel relative to @dfd, which must not leave it
 * (RESOLVE_BENEATH); -1 with errno set */
static int open_beneath(int dfd, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, dfd, rel, &how, sizeof(how));
}

static int open_in_root(struct iommuctl_ctx *ctx, int dfd, const char *rel,
			int flags)
{
	int fd = dfd >= 0 ? open_beneath(dfd, rel, flags) :
			    root_openat(ctx->rootfd, rel, flags);

	if (dfd >= 0)
		return fd;

	if (fd < 0) {
		errno = -fd;
		return -1;
	}
	return fd;
}

/* Offline, only regular files and directories are opened for reading: a
 * FIFO in a tree the user unpacked would block the read, a device node
 * would be the host's device. */
static int offline_check(struct iommuctl_ctx *ctx, const char *dir,
			 const char *path, int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
		return 0;
	err(ctx, "%s%s%s: not a regular file in the --root tree\n", dir ?: "",
	    dir ? "/" : "", path);
	return -EINVAL;
}

/* A struct sysfs_dir that was not opened (fd < 0: sysfs_dir_path()) names
 * its attributes by their whole path: @path joined to it in *@joined */
static const struct sysfs_dir *dir_or_path(const struct sysfs_dir *dir,
					   const char **path, char **joined)
{
	*joined = NULL;
	if (!dir || dir->fd >= 0)
		return dir;
	*joined = path_join(dir->path, *path);
	*path = *joined ?: *path;
	return NULL;
}

/* @path (in messages: @dir/@path) inside the root, or relative to @dfd
 * and beneath it when @dfd >= 0 */
static int open_checked(struct iommuctl_ctx *ctx, int dfd, const char *dir,
			const char *path, int flags)
{
	const char *rel = path;
	int fd, rc;

	while (*rel == '/')
		rel++;
	if (!*rel)
		rel = ".";
	if (ctx->offline && !(flags & O_PATH)) {
		/* looked at before it is opened, then checked again */
		fd = open_in_root(ctx, dfd, rel,
				  O_PATH | (flags & O_DIRECTORY));
		if (fd >= 0) {
			rc = offline_check(ctx, dir, path, fd);
			close(fd);
			if (rc < 0)
				return rc;
			flags |= O_NONBLOCK;
			fd = open_in_root(ctx, dfd, rel, flags);
			if (fd >= 0) {
				rc = offline_check(ctx, dir, path, fd);
				if (rc < 0) {
					close(fd);
					return rc;
				}
				return fd;
			}
		}
	} else {
		fd = open_in_root(ctx, dfd, rel, flags);
		if (fd >= 0)
			return fd;
	}
	if (errno == ENOSYS && !ctx->offline) {
		/* Kernels before 5.6: live paths need no confinement. */
		fd = dfd >= 0 ? openat(dfd, rel, flags | O_CLOEXEC) :
				open(path, flags | O_CLOEXEC);
		if (fd >= 0)
			return fd;
	} else if (errno == ENOSYS) {
		err(ctx,
		    "%s: reading a --root tree needs openat2 (Linux 5.6+)\n",
		    path);
		return -ENOSYS;
	}
	return -errno;
}

int sysfs_open(struct iommuctl_ctx *ctx, const char *path, int flags)
{
	return open_checked(ctx, -1, NULL, path, flags);
}

int sysfs_open_at(struct iommuctl_ctx *ctx, const struct sysfs_dir *dir,
		  const char *path, int flags)
{
	char *joined;
	int fd;

	dir = dir_or_path(dir, &path, &joined);
	fd = dir ? open_checked(ctx, dir->fd, dir->path, path, flags) :
		   sysfs_open(ctx, path, flags);
	free(joined);
	return fd;
}

int sysfs_dir_open(struct iommuctl_ctx *ctx, struct sysfs_dir *dir,
		   const char *path)
{
	dir->path = path;
	dir->fd = sysfs_open(ctx, path, O_PATH | O_DIRECTORY);
	return dir->fd < 0 ? dir->fd : 0;
}

void sysfs_dir_path(struct sysfs_dir *dir, const char *path)
{
	dir->path = path;
	dir->fd = -1;
}

void sysfs_dir_close(struct sysfs_dir *dir)
{
	if (dir->fd >= 0)
		close(dir->fd);
	dir->fd = -1;
}

static ssize_t read_retry(int fd, void *buf, size_t n)
{
	ssize_t r;

	do
		r = read(fd, buf, n);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

/* The rest of @fd after the @len bytes already in @first, at most @max in
 * all: read until EOF. */
static int read_fd_rest(int fd, size_t max, const char *first, size_t len,
			char **out, size_t *outlen)
{
	size_t cap = len < 4096 ? 8192 : len * 2;
	char *buf = malloc(cap + 1), *nbuf;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, first, len);
	for (;;) {
		if (len == cap) {
			if (cap > max)
				goto too_big;
			cap *= 2;
			nbuf = realloc(buf, cap + 1);
			if (!nbuf) {
				free(buf);
				return -ENOMEM;
			}
			buf = nbuf;
		}
		n = read_retry(fd, buf + len, cap - len);
		if (n < 0) {
			free(buf);
			return (int)n;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max)
		goto too_big;
	buf[len] = '\0';
	*out = buf;
	if (outlen)
		*outlen = len;
	return 0;
too_big:
	free(buf);
	return -EFBIG;
}

/*
 * Read all of @fd, at most @max bytes (more: -EFBIG, never a truncation);
 * *out is NUL-terminated. With @short_is_eof, a read that returns less
 * than asked for is taken as the end of the file: true of regular files
 * and of sysfs attributes, whose whole text the kernel renders on the
 * first read; not of seq_files such as /proc/interrupts or debugfs dumps,
 * which come a page at a time. Also used by report.c's reader threads.
 */
int read_fd_bounded(int fd, size_t max, bool short_is_eof, char **out,
		    size_t *outlen)
{
	char first[4096];
	size_t want = max < sizeof(first) ? max + 1 : sizeof(first);
	ssize_t n = read_retry(fd, first, want);

	if (n < 0)
		return (int)n;
	if ((size_t)n == want && want == max + 1)
		return -EFBIG;
	if ((size_t)n < want && (short_is_eof || n == 0)) {
		*out = malloc((size_t)n + 1);
		if (!*out)
			return -ENOMEM;
		memcpy(*out, first, (size_t)n);
		(*out)[n] = '\0';
		if (outlen)
			*outlen = (size_t)n;
		return 0;
	}
	return read_fd_rest(fd, max, first, (size_t)n, out, outlen);
}

/* Regular files (a --root tree) and sysfs attributes end at a short read. */
static bool short_read_is_eof(struct iommuctl_ctx *ctx, const char *path)
{
	while (path[0] == '/' && path[1] == '/')
		path++;
	return ctx->offline || (!strncmp(path, "/sys/", 5) &&
				strncmp(path, "/sys/kernel/debug/", 18));
}

static int read_at(struct iommuctl_ctx *ctx, const struct sysfs_dir *dir,
		   const char *path, size_t max, char **out, size_t *outlen)
{
	const char *d, *sep;
	char *joined;
	int fd, rc;

	dir = dir_or_path(dir, &path, &joined);
	d = dir ? dir->path : NULL;
	sep = dir ? "/" : "";

	fd = open_checked(ctx, dir ? dir->fd : -1, d, path, O_RDONLY);
	if (fd < 0) {
		dbg(ctx, "open %s%s%s: %s\n", d ?: "", sep, path,
		    strerror(-fd));
		free(joined);
		return fd;
	}
	rc = read_fd_bounded(fd, max, short_read_is_eof(ctx, d ?: path), out,
			     outlen);
	close(fd);
	if (rc == -EFBIG)
		err(ctx, "%s%s%s: larger than %zu bytes, not read\n", d ?: "",
		    sep, path, max);
	else if (rc < 0)
		dbg(ctx, "read %s%s%s: %s\n", d ?: "", sep, path,
		    strerror(-rc));
	free(joined);
	return rc;
}

int sysfs_read(struct iommuctl_ctx *ctx, const char *path, size_t max,
	       char **out, size_t *outlen)
{
	return read_at(ctx, NULL, path, max, out, outlen);
}

int sysfs_read_str_at(struct iommuctl_ctx *ctx, const struct sysfs_dir *dir,
		      const char *path, char **out)
{
	size_t len;
	char *buf;
	int rc;

	rc = read_at(ctx, dir, path, SYSFS_ATTR_MAX, &buf, &len);
	if (rc < 0)
		return rc;
	if (memchr(buf, '\0', len)) {
		err(ctx, "%s%s%s: malformed (contains NUL bytes)\n",
		    dir ? dir->path : "", dir ? "/" : "", path);
		free(buf);
		return -EBADMSG;
	}
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	*out = buf;
	return 0;
}

int sysfs_read_str(struct iommuctl_ctx *ctx, const char *path, char **out)
{
	return sysfs_read_str_at(ctx, NULL, path, out);
}

static int split_parent(const char *path, char **parent, const char **base)
{
	const char *slash = strrchr(path, '/');

	if (!slash || !slash[1])
		return -EINVAL;
	*parent = slash == path ? strdup("/") :
				  strndup(path, (size_t)(slash - path));
	if (!*parent)
		return -ENOMEM;
	*base = slash + 1;
	return 0;
}

/* readlinkat(@dfd, @name) into a buffer that grows to fit; -errno */
static int readlink_alloc(int dfd, const char *name, char **out)
{
	size_t cap = 256;
	char *buf = NULL, *nbuf;
	ssize_t n;

	for (;;) {
		nbuf = realloc(buf, cap);
		if (!nbuf)
			break;
		buf = nbuf;
		n = readlinkat(dfd, name, buf, cap);
		if (n < 0) {
			int rc = -errno;

			free(buf);
			return rc;
		}
		if ((size_t)n < cap) {
			buf[n] = '\0';
			*out = buf;
			return 0;
		}
		if (cap >= PATH_MAX * 4) {
			free(buf);
			return -ENAMETOOLONG;
		}
		cap *= 2;
	}
	free(buf);
	return -ENOMEM;
}

int sysfs_readlink(struct iommuctl_ctx *ctx, const char *path, char **out)
{
	const char *base;
	char *parent;
	int dfd, rc;

	/* Live, the path needs no confinement: one syscall. */
	if (!ctx->offline && path[0] == '/')
		return readlink_alloc(ctx->rootfd, path + 1, out);
	rc = split_parent(path, &parent, &base);
	if (rc < 0)
		return rc;
	dfd = sysfs_open(ctx, parent, O_PATH | O_DIRECTORY);
	free(parent);
	if (dfd < 0)
		return dfd;
	rc = readlink_alloc(dfd, base, out);
	close(dfd);
	return rc;
}

int sysfs_link_basename_at(struct iommuctl_ctx *ctx,
			   const struct sysfs_dir *dir, const char *path,
			   char **out)
{
	char *target, *slash, *joined;
	int rc;

	/* a name in @dir: readlinkat() does not follow the link itself */
	dir = dir_or_path(dir, &path, &joined);
	rc = dir ? readlink_alloc(dir->fd, path, &target) :
		   sysfs_readlink(ctx, path, &target);
	free(joined);
	if (rc < 0)
		return rc;
	slash = strrchr(target, '/');
	*out = strdup(slash ? slash + 1 : target);
	free(target);
	return *out ? 0 : -ENOMEM;
}

int sysfs_link_basename(struct iommuctl_ctx *ctx, const char *path, char **out)
{
	return sysfs_link_basename_at(ctx, NULL, path, out);
}

int sysfs_list_unsorted(struct iommuctl_ctx *ctx, const char *path,
			struct strv *out)
{
	/* getdents64 straight into a buffer: no DIR, no fcntl */
	char buf[16384] __attribute__((aligned(8)));
	ssize_t n, off;
	int fd, rc = 0;

	fd = sysfs_open(ctx, path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	while (rc == 0 && (n = getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n;) {
			struct dirent64 *de = (struct dirent64 *)(buf + off);

			off += de->d_reclen;
			if (!strcmp(de->d_name, ".") ||
			    !strcmp(de->d_name, ".."))
				continue;
			rc = strv_push(out, de->d_name);
			if (rc < 0)
				break;
		}
	}
	if (rc == 0 && n < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int sysfs_list(struct iommuctl_ctx *ctx, const char *path, struct strv *out)
{
	int rc = sysfs_list_unsorted(ctx, path, out);

	if (rc == 0)
		strv_sort(out, natural_cmp);
	return rc;
}

int sysfs_exists_at(struct iommuctl_ctx *ctx, const struct sysfs_dir *dir,
		    const char *path)
{
	char *joined;
	int fd;

	dir = dir_or_path(dir, &path, &joined);
	if (!dir) {
		fd = sysfs_exists(ctx, path);
		free(joined);
		return fd;
	}
	/* live: one syscall; the name is in the directory, not below it */
	if (!ctx->offline && !strchr(path, '/'))
		return faccessat(dir->fd, path, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
	fd = open_checked(ctx, dir->fd, dir->path, path, O_PATH | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

int sysfs_exists(struct iommuctl_ctx *ctx, const char *path)
{
	int fd;

	/* Live, no confinement is needed: one syscall. */
	if (!ctx->offline && path[0] == '/')
		return faccessat(ctx->rootfd, path + 1, F_OK, 0) == 0;
	fd = sysfs_open(ctx, path, O_PATH);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

int sysfs_is_dir(struct iommuctl_ctx *ctx, const char *path)
{
	int fd = sysfs_open(ctx, path, O_PATH | O_DIRECTORY);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* Like faccessat() on the resolved path; 0 or -errno. */
int sysfs_access(struct iommuctl_ctx *ctx, const char *path, int mode)
{
	int fd = sysfs_open(ctx, path, O_PATH), rc = 0;

	if (fd < 0)
		return fd;
	if (faccessat(fd, "", mode, AT_EMPTY_PATH) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int kmsg_each(struct iommuctl_ctx *ctx, unsigned int max,
	      int (*line)(char *text, void *arg), void *arg)
{
	char rec[8192];
	unsigned int n;
	int fd = sysfs_open(ctx, "/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd < 0)
		return fd;
	for (n = 0; n < max; n++) {
		ssize_t r = read(fd, rec, sizeof(rec) - 1);
		char *semi, *nl;

		if (r < 0 && (errno == EPIPE || errno == EINTR))
			continue; /* overwritten while we read: go on */
		if (r <= 0)
			break; /* EAGAIN: drained */
		rec[r] = '\0';
		semi = strchr(rec, ';');
		if (!semi)
			continue;
		nl = strchr(++semi, '\n');
		if (nl)
			*nl = '\0';
		if (line(semi, arg))
			break;
	}
	close(fd);
	return 0;
}
