// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * report.c: copy the IOMMU-relevant parts of sysfs, procfs, debugfs and /dev
 * into a bundle (iommuctl_bundle_*), as a tree that iommuctl_set_root() reads
 * back. Symlinks are recorded as they are, never followed. Every file is read
 * by a worker thread under a deadline: a read that does not finish in time is
 * abandoned (the thread is left to finish or hang on its own) and the file is
 * reported missing, so a wedged device attribute cannot hang the report.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "private.h"

#define REPORT_FILE_MAX (1024 * 1024)
#define REPORT_DEBUGFS_MAX (16 * 1024 * 1024)
#define REPORT_TIMEOUT_MS 5000
#define REPORT_KMSG_MAX (4 * 1024 * 1024)
/* Abandoned (hung) readers after which the rest of a subtree is skipped. */
#define REPORT_MAX_HUNG 3
#define REPORT_MAX_DEPTH 64

/* One reader thread; shared with main until either side lets go. */
struct report_reader {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int refs;
	int rootfd;
	bool offline;
	bool quit;
	/* the job */
	bool busy, done;
	char *path;
	size_t max;
	char *buf;
	size_t len;
	int err;
};

struct seen {
	char **slot;
	size_t cap, n;
};

struct rep {
	struct iommuctl_ctx *ctx;
	struct iommuctl_bundle *b;
	const struct iommuctl_report_opts *o;
	struct report_reader *rd;
	struct seen seen; /* members in the bundle */
	struct seen walked; /* paths walk() visited */
	int hung;
	uint64_t files, bytes;
	int err; /* first fatal error (bundle write, ENOMEM) */
	char *release;
};

/* Confined to the root; on kernels before 5.6 (no openat2) a live run
 * opens the path itself, as sysfs_open() does. */
static int open_in(int rootfd, bool offline, const char *path, int flags)
{
	int fd = root_openat(rootfd, path, flags);

	if (fd == -ENOSYS && !offline) {
		fd = open(path, flags | O_CLOEXEC);
		if (fd < 0)
			fd = -errno;
	}
	return fd;
}

static void reader_unref(struct report_reader *rd)
{
	bool last;

	pthread_mutex_lock(&rd->lock);
	last = --rd->refs == 0;
	pthread_mutex_unlock(&rd->lock);
	if (!last)
		return;
	close(rd->rootfd);
	free(rd->path);
	free(rd->buf);
	pthread_mutex_destroy(&rd->lock);
	pthread_cond_destroy(&rd->cond);
	free(rd);
}

static void *reader_main(void *arg)
{
	struct report_reader *rd = arg;
	char *buf = NULL;
	size_t len = 0;
	int fd, rc;

	for (;;) {
		pthread_mutex_lock(&rd->lock);
		while (!rd->busy && !rd->quit)
			pthread_cond_wait(&rd->cond, &rd->lock);
		if (rd->quit) {
			pthread_mutex_unlock(&rd->lock);
			break;
		}
		pthread_mutex_unlock(&rd->lock);

		buf = NULL;
		len = 0;
		/* Blocking open: a FIFO planted in a --root tree waits
		 * here, under the deadline, like any slow file. */
		fd = open_in(rd->rootfd, rd->offline, rd->path,
			     O_RDONLY | O_NOFOLLOW);
		if (fd < 0) {
			rc = fd;
		} else {
			struct stat st;

			if (fstat(fd, &st) < 0)
				rc = -errno;
			else if (!S_ISREG(st.st_mode))
				rc = -EINVAL;
			else
				rc = read_fd_bounded(fd, rd->max, false, &buf,
						     &len);
			close(fd);
		}

		pthread_mutex_lock(&rd->lock);
		rd->buf = buf;
		rd->len = len;
		rd->err = rc;
		rd->busy = false;
		rd->done = true;
		pthread_cond_broadcast(&rd->cond);
		pthread_mutex_unlock(&rd->lock);
	}
	reader_unref(rd);
	return NULL;
}

static struct report_reader *reader_new(struct iommuctl_ctx *ctx)
{
	struct report_reader *rd = calloc(1, sizeof(*rd));
	pthread_attr_t attr;
	pthread_condattr_t ca;
	pthread_t t;

	if (!rd)
		return NULL;
	rd->rootfd = fcntl(ctx->rootfd, F_DUPFD_CLOEXEC, 3);
	if (rd->rootfd < 0) {
		free(rd);
		return NULL;
	}
	rd->offline = ctx->offline;
	rd->refs = 2;
	pthread_mutex_init(&rd->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&rd->cond, &ca);
	pthread_condattr_destroy(&ca);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, reader_main, rd)) {
		pthread_attr_destroy(&attr);
		rd->refs = 1;
		reader_unref(rd);
		return NULL;
	}
	pthread_attr_destroy(&attr);
	return rd;
}

static void reader_quit(struct report_reader *rd)
{
	if (!rd)
		return;
	pthread_mutex_lock(&rd->lock);
	rd->quit = true;
	pthread_cond_broadcast(&rd->cond);
	pthread_mutex_unlock(&rd->lock);
	reader_unref(rd);
}

/*
 * Read @path (a regular file) under a deadline of @ms, with *rd the reader
 * thread (started when NULL). 0 with *buf and *len set; -ETIMEDOUT when the
 * reader did not come back in time (it is abandoned, *rd becomes NULL and
 * the next call starts another); -EFBIG over @max; -EINVAL not a regular
 * file; else -errno.
 */
int report_read(struct iommuctl_ctx *ctx, struct report_reader **rdp,
		const char *path, size_t max, unsigned int ms, char **buf,
		size_t *len)
{
	struct report_reader *rd;
	struct timespec dl;
	int rc = 0;

	if (!*rdp) {
		*rdp = reader_new(ctx);
		if (!*rdp)
			return -ENOMEM;
	}
	rd = *rdp;
	pthread_mutex_lock(&rd->lock);
	free(rd->path);
	rd->path = strdup(path);
	if (!rd->path) {
		pthread_mutex_unlock(&rd->lock);
		return -ENOMEM;
	}
	rd->max = max;
	rd->done = false;
	rd->busy = true;
	pthread_cond_broadcast(&rd->cond);
	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_sec += ms / 1000;
	dl.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	while (!rd->done && rc == 0)
		rc = pthread_cond_timedwait(&rd->cond, &rd->lock, &dl);
	if (!rd->done) {
		/* Let it go: it frees itself if it ever comes back. */
		rd->quit = true;
		pthread_mutex_unlock(&rd->lock);
		reader_unref(rd);
		*rdp = NULL;
		return -ETIMEDOUT;
	}
	rc = rd->err;
	*buf = rd->buf;
	*len = rd->len;
	rd->buf = NULL;
	pthread_mutex_unlock(&rd->lock);
	return rc;
}

void report_reader_release(struct report_reader *rd)
{
	reader_quit(rd);
}

static int timed_read(struct rep *r, const char *path, size_t max, char **buf,
		      size_t *len)
{
	unsigned int ms = r->o->timeout_ms ? r->o->timeout_ms :
					     REPORT_TIMEOUT_MS;
	int rc = report_read(r->ctx, &r->rd, path, max, ms, buf, len);

	if (rc == -ETIMEDOUT)
		r->hung++;
	return rc;
}

/* A set of strings (paths already in the bundle). */
static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* 1: added, 0: already there, -ENOMEM */
static int seen_add(struct seen *s, const char *str)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 1024, j;
		char **n = calloc(ncap, sizeof(*n));

		if (!n)
			return -ENOMEM;
		for (j = 0; j < s->cap; j++) {
			if (!s->slot[j])
				continue;
			i = hash_str(s->slot[j]) & (ncap - 1);
			while (n[i])
				i = (i + 1) & (ncap - 1);
			n[i] = s->slot[j];
		}
		free(s->slot);
		s->slot = n;
		s->cap = ncap;
	}
	i = hash_str(str) & (s->cap - 1);
	while (s->slot[i]) {
		if (!strcmp(s->slot[i], str))
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	s->slot[i] = strdup(str);
	if (!s->slot[i])
		return -ENOMEM;
	s->n++;
	return 1;
}

static void seen_free(struct seen *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->slot[i]);
	free(s->slot);
}

static void missing(struct rep *r, const char *path, int e, const char *fmt,
		    ...) __attribute__((format(printf, 4, 5)));
static void missing(struct rep *r, const char *path, int e, const char *fmt,
		    ...)
{
	char *why = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&why, fmt, ap) < 0)
		why = NULL;
	va_end(ap);
	info(r->ctx, "report: %s: %s\n", path, why ? why : strerror(-e));
	if (r->o->missing)
		r->o->missing(r->o->data, path, e, why ? why : strerror(-e));
	free(why);
}

/* The member name of an absolute path: PREFIX/path-without-slash. */
static char *member(struct rep *r, const char *path)
{
	while (*path == '/')
		path++;
	if (r->o->prefix && *r->o->prefix)
		return path_fmt("%s/%s", r->o->prefix, path);
	return strdup(path);
}

/* Lexically resolve "." and ".." in an absolute path, in place. */
static int path_normalize(char *p)
{
	char *out = p, *in = p;

	if (*p != '/')
		return -EINVAL;
	while (*in) {
		char *end;
		size_t n;

		while (*in == '/')
			in++;
		if (!*in)
			break;
		end = strchrnul(in, '/');
		n = (size_t)(end - in);
		if (n == 1 && in[0] == '.') {
			in = end;
			continue;
		}
		if (n == 2 && in[0] == '.' && in[1] == '.') {
			while (out > p && *--out != '/')
				;
			in = end;
			continue;
		}
		*out++ = '/';
		memmove(out, in, n);
		out += n;
		in = end;
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
	return 0;
}

static void fail(struct rep *r, int rc)
{
	if (!r->err)
		r->err = rc;
}

static void progress(struct rep *r, const char *path)
{
	if (r->o->progress)
		r->o->progress(r->o->data, path, r->files, r->bytes);
}

/* Add the directory entries of path's ancestors that are not in yet. */
static void add_parents(struct rep *r, const char *path)
{
	char *p = strdup(path), *s;

	if (!p) {
		fail(r, -ENOMEM);
		return;
	}
	for (s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		char *m;
		int rc;

		*s = '\0';
		rc = seen_add(&r->seen, p);
		if (rc > 0) {
			m = member(r, p);
			rc = m ? iommuctl_bundle_add_dir(r->b, m, 0755) :
				 -ENOMEM;
			free(m);
		}
		*s = '/';
		if (rc < 0) {
			fail(r, rc);
			break;
		}
	}
	free(p);
}

static int add_member(struct rep *r, const char *path, char type,
		      const void *data, size_t len, unsigned int mode,
		      const char *target)
{
	char *m;
	int rc;

	rc = seen_add(&r->seen, path);
	if (rc <= 0) {
		if (rc < 0)
			fail(r, rc);
		return rc; /* already in (a parent added earlier) */
	}
	m = member(r, path);
	if (!m)
		return -ENOMEM;
	add_parents(r, path);
	switch (type) {
	case 'd':
		rc = iommuctl_bundle_add_dir(r->b, m, mode);
		break;
	case 'l':
		rc = iommuctl_bundle_add_symlink(r->b, m, target);
		break;
	default:
		rc = iommuctl_bundle_add_file(r->b, m, data, len, mode);
		r->files++;
		r->bytes += len;
		break;
	}
	free(m);
	if (rc < 0)
		fail(r, rc);
	return rc;
}

static bool is_debugfs(const char *path)
{
	return !strncmp(path, "/sys/kernel/debug/", 18);
}

/* Files never read: side effects (remove, rescan, reset), BAR and ROM
 * contents, VPD (slow, sometimes hangs). */
static bool skip_name(const char *base)
{
	static const char *const names[] = { "remove", "rescan", "reset",
					     "rom",    "vpd",	 NULL };
	size_t i, n = strlen(base);

	for (i = 0; names[i]; i++)
		if (!strcmp(base, names[i]))
			return true;
	if (!strncmp(base, "resource", 8) && isdigit((unsigned char)base[8]))
		return true;
	return n > 3 && !strcmp(base + n - 3, "_wc");
}

static bool is_config(const char *path)
{
	size_t n = strlen(path);

	return n > 7 && !strcmp(path + n - 7, "/config") &&
	       !strncmp(path, "/sys/devices/", 13);
}

static void add_file(struct rep *r, const char *path, const struct stat *st)
{
	size_t max =
		is_debugfs(path) ?
			(r->o->debugfs_max ? r->o->debugfs_max :
					     REPORT_DEBUGFS_MAX) :
			(r->o->file_max ? r->o->file_max : REPORT_FILE_MAX);
	unsigned int ms = r->o->timeout_ms ? r->o->timeout_ms :
					     REPORT_TIMEOUT_MS;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (r->hung >= REPORT_MAX_HUNG) {
		missing(r, path, -ETIMEDOUT,
			"not read: %d earlier reads did not finish", r->hung);
		return;
	}
	progress(r, path);
	rc = timed_read(r, path, max, &buf, &len);
	switch (rc) {
	case 0:
		add_member(r, path, 'f', buf, len, st->st_mode & 0777, NULL);
		free(buf);
		/* The kernel gives users only the first 64 bytes of a PCI
		 * device's config space, without an error. */
		if (st->st_size > 0 && len < (size_t)st->st_size &&
		    is_config(path))
			missing(r, path, -EACCES,
				"only %zu of %lld bytes: config space past 64 "
				"bytes is readable by root only",
				len, (long long)st->st_size);
		return;
	case -ETIMEDOUT:
		missing(r, path, rc, "read took longer than %u ms, left out",
			ms);
		return;
	case -EFBIG:
		missing(r, path, rc, "larger than %zu bytes, left out", max);
		return;
	case -EACCES:
	case -EPERM:
		missing(r, path, rc, "permission denied (run as root)");
		return;
	case -ENOMEM:
		fail(r, rc);
		return;
	default:
		/* Many attributes refuse reads on some devices (EIO, ENODEV,
		 * EINVAL...): recorded, like everything else left out. */
		missing(r, path, rc, "read failed: %s", strerror(-rc));
		return;
	}
}

static void walk(struct rep *r, const char *path, int depth);

static void walk_dir(struct rep *r, const char *path, int depth)
{
	struct strv names = { 0 };
	size_t i;
	int rc;

	rc = sysfs_list(r->ctx, path, &names);
	if (rc < 0) {
		missing(r, path, rc,
			rc == -EACCES ? "permission denied (run as root)" :
					"cannot list: %s",
			strerror(-rc));
		return;
	}
	for (i = 0; i < names.n && !r->err; i++) {
		char *p = path_join(path, names.v[i]);

		if (!p) {
			fail(r, -ENOMEM);
			break;
		}
		walk(r, p, depth + 1);
		free(p);
	}
	strv_free(&names);
}

/* Record @path and everything below it; symlinks are recorded, not
 * followed. A path already recorded is not visited again. */
static void walk(struct rep *r, const char *path, int depth)
{
	struct stat st;
	int fd, rc;

	if (r->err)
		return;
	if (depth > REPORT_MAX_DEPTH) {
		missing(r, path, -ELOOP, "more than %d levels deep, left out",
			REPORT_MAX_DEPTH);
		return;
	}
	fd = open_in(r->ctx->rootfd, r->ctx->offline, path,
		     O_PATH | O_NOFOLLOW);
	if (fd < 0)
		return; /* absent: nothing to say */
	rc = fstat(fd, &st) < 0 ? -errno : 0;
	if (rc < 0) {
		close(fd);
		missing(r, path, rc, "stat failed: %s", strerror(-rc));
		return;
	}
	rc = seen_add(&r->walked, path);
	if (rc <= 0) {
		close(fd);
		if (rc < 0)
			fail(r, rc);
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		char *target;

		close(fd);
		rc = sysfs_readlink(r->ctx, path, &target);
		if (rc < 0) {
			missing(r, path, rc, "readlink failed: %s",
				strerror(-rc));
			return;
		}
		add_member(r, path, 'l', NULL, 0, 0777, target);
		free(target);
		return;
	}
	close(fd);
	if (S_ISDIR(st.st_mode)) {
		add_member(r, path, 'd', NULL, 0, st.st_mode & 0777, NULL);
		walk_dir(r, path, depth);
		return;
	}
	if (!S_ISREG(st.st_mode))
		return;
	{
		const char *base = strrchr(path, '/');

		base = base ? base + 1 : path;
		if (skip_name(base))
			return;
	}
	if (!(st.st_mode & 0444))
		return; /* write-only: bind, unbind, new_id... */
	add_file(r, path, &st);
}

/* For each symlink in dir, the directory it points to; for a unit at
 * DEVICE/iommu/NAME (AMD-Vi, the selftest mock), the whole DEVICE. */
static void walk_link_targets(struct rep *r, const char *dir)
{
	struct strv names = { 0 };
	size_t i;

	if (sysfs_list(r->ctx, dir, &names) < 0)
		return;
	for (i = 0; i < names.n && !r->err; i++) {
		char *l = path_join(dir, names.v[i]), *t = NULL, *abs = NULL;
		char *cut;

		if (!l || sysfs_readlink(r->ctx, l, &t) < 0) {
			free(l);
			continue;
		}
		abs = t[0] == '/' ? strdup(t) : path_fmt("%s/%s", dir, t);
		if (abs && path_normalize(abs) == 0) {
			cut = strstr(abs, "/iommu/");
			if (strncmp(abs, "/sys/devices/virtual/", 21) && cut)
				*cut = '\0';
			walk(r, abs, 0);
		}
		free(abs);
		free(t);
		free(l);
	}
	strv_free(&names);
}

/* Host bridges below /sys/devices (a DT platform device on arm64 virt:
 * /sys/devices/platform/X.pcie/pci0000:00): each device's pciDDDD:BB. */
static void walk_host_bridges(struct rep *r)
{
	struct strv names = { 0 };
	size_t i;

	if (sysfs_list(r->ctx, "/sys/bus/pci/devices", &names) < 0)
		return;
	for (i = 0; i < names.n && !r->err; i++) {
		char *l = path_join("/sys/bus/pci/devices", names.v[i]);
		char *t = NULL, *abs = NULL, *s;

		if (!l || sysfs_readlink(r->ctx, l, &t) < 0) {
			free(l);
			continue;
		}
		abs = t[0] == '/' ? strdup(t) :
				    path_fmt("/sys/bus/pci/devices/%s", t);
		if (abs && path_normalize(abs) == 0) {
			while ((s = strrchr(abs, '/')) && s != abs) {
				unsigned int dom, bus;
				char c;

				if (sscanf(s + 1, "pci%x:%x%c", &dom, &bus,
					   &c) == 2)
					break;
				*s = '\0';
			}
			if (s && s != abs)
				walk(r, abs, 0);
		}
		free(abs);
		free(t);
		free(l);
	}
	strv_free(&names);
}

static void walk_glob_top(struct rep *r, const char *dir, const char *pfx)
{
	struct strv names = { 0 };
	size_t i;

	if (sysfs_list(r->ctx, dir, &names) < 0)
		return;
	for (i = 0; i < names.n && !r->err; i++) {
		char *p;

		if (strncmp(names.v[i], pfx, strlen(pfx)))
			continue;
		p = path_join(dir, names.v[i]);
		if (!p) {
			fail(r, -ENOMEM);
			break;
		}
		walk(r, p, 0);
		free(p);
	}
	strv_free(&names);
}

/* Device nodes: placeholders (empty regular files with the node's
 * permission bits), the node itself reported through opts->node. */
static void walk_dev(struct rep *r, const char *path, int depth)
{
	struct stat st;
	int fd;

	if (depth > 4 || r->err)
		return;
	fd = open_in(r->ctx->rootfd, r->ctx->offline, path,
		     O_PATH | O_NOFOLLOW);
	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return;
	}
	close(fd);
	if (seen_add(&r->walked, path) <= 0)
		return;
	if (r->o->node)
		r->o->node(r->o->data, path, &st);
	if (S_ISDIR(st.st_mode)) {
		struct strv names = { 0 };
		size_t i;

		add_member(r, path, 'd', NULL, 0, st.st_mode & 0777, NULL);
		if (sysfs_list(r->ctx, path, &names) < 0)
			return;
		for (i = 0; i < names.n; i++) {
			char *p = path_join(path, names.v[i]);

			if (p)
				walk_dev(r, p, depth + 1);
			free(p);
		}
		strv_free(&names);
	} else if (S_ISLNK(st.st_mode)) {
		char *t;

		if (sysfs_readlink(r->ctx, path, &t) == 0) {
			add_member(r, path, 'l', NULL, 0, 0777, t);
			free(t);
		}
	} else {
		add_member(r, path, 'f', "", 0, st.st_mode & 0777, NULL);
	}
}

/* Kernel configuration: /proc/config.gz, else /boot/config-RELEASE. */
static void add_config(struct rep *r)
{
	struct stat st = { .st_mode = 0444 };
	char *boot = NULL;

	if (sysfs_exists(r->ctx, "/proc/config.gz")) {
		walk(r, "/proc/config.gz", 0);
		return;
	}
	if (r->release)
		boot = path_fmt("/boot/config-%s", r->release);
	if (boot && sysfs_exists(r->ctx, boot)) {
		if (seen_add(&r->walked, boot) > 0)
			add_file(r, boot, &st);
		free(boot);
		return;
	}
	missing(r, "/proc/config.gz", -ENOENT,
		"kernel configuration not available: no /proc/config.gz "
		"(CONFIG_IKCONFIG_PROC) and no %s",
		boot ? boot : "/boot/config-RELEASE");
	free(boot);
}

static const char *const kmsg_words[] = {
	"iommu",
	"dmar",
	"amd-vi",
	"amd_iommu",
	"smmu",
	"vfio",
	"ivrs",
	"iort",
	"remapping",
	"pci-dma",
	"viommu",
	"pasid",
	"x2apic",
	/* arm64 KVM's mode (kvm.c reads them back offline) */
	"kvm",
	"started at el",
	NULL,
};

static bool kmsg_wanted(const char *msg)
{
	size_t i;

	for (i = 0; kmsg_words[i]; i++)
		if (strcasestr(msg, kmsg_words[i]))
			return true;
	return false;
}

/* /dev/kmsg records "PRI,SEQ,USEC,FLAGS;text" (continuation lines start
 * with a space); read without blocking until the buffer is drained. */
static void add_kmsg(struct rep *r)
{
	const char *path = "/dev/kmsg";
	size_t cap = 0, len = 0;
	char *out = NULL, rec[8192];
	unsigned int ms = r->o->timeout_ms ? r->o->timeout_ms :
					     REPORT_TIMEOUT_MS;
	struct timespec t0, now;
	int fd;

	progress(r, path);
	fd = open_in(r->ctx->rootfd, r->ctx->offline, path,
		     O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		missing(r, "kernel log", fd,
			fd == -EACCES || fd == -EPERM ?
				"/dev/kmsg: permission denied (run as root, "
				"or kernel.dmesg_restrict=0)" :
				"/dev/kmsg: %s",
			strerror(-fd));
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		unsigned long long usec = 0;
		char *semi, *nl, *line;
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		int need;

		if (n < 0 && errno == EPIPE)
			continue; /* overwritten while we read: go on */
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* EAGAIN: drained */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - t0.tv_sec) * 1000 > (long)ms)
			break;
		rec[n] = '\0';
		semi = strchr(rec, ';');
		if (!semi)
			continue;
		if (sscanf(rec, "%*u,%*u,%llu", &usec) != 1)
			usec = 0;
		line = semi + 1;
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (!kmsg_wanted(line))
			continue;
		need = snprintf(NULL, 0, "[%5llu.%06llu] %s\n", usec / 1000000,
				usec % 1000000, line);
		if (need < 0 || len + (size_t)need + 1 > REPORT_KMSG_MAX)
			break;
		if (len + (size_t)need + 1 > cap) {
			size_t ncap = (len + (size_t)need + 1) * 2;
			char *nb = realloc(out, ncap);

			if (!nb) {
				fail(r, -ENOMEM);
				break;
			}
			out = nb;
			cap = ncap;
		}
		len += (size_t)snprintf(out + len, cap - len,
					"[%5llu.%06llu] %s\n", usec / 1000000,
					usec % 1000000, line);
	}
	close(fd);
	{
		const char *m = "/report/kernel-log.txt";

		add_member(r, m, 'f', out ? out : "", len, 0644, NULL);
	}
	free(out);
}

static const char *const tree_roots[] = {
	"/sys/kernel/iommu_groups",
	"/sys/class/iommu",
	"/sys/bus/pci/devices",
	NULL,
};

static const char *const tree_more[] = {
	"/sys/bus/pci/drivers",
	"/sys/class/vfio-dev",
	"/sys/class/vfio",
	"/sys/bus/iommufd_mock",
	"/sys/module/iommufd/parameters",
	"/sys/module/vfio/parameters",
	"/sys/module/vfio_pci/parameters",
	"/sys/module/vfio_iommu_type1/parameters",
	"/sys/module/kvm/parameters",
	"/sys/bus/platform/drivers/kvm-arm-smmu-v3",
	"/sys/firmware/acpi/tables/DMAR",
	"/sys/firmware/acpi/tables/IVRS",
	"/sys/firmware/acpi/tables/IORT",
	"/sys/firmware/acpi/tables/VIOT",
	"/proc/cmdline",
	"/proc/devices",
	"/proc/version",
	"/proc/interrupts",
	"/proc/sys/kernel/osrelease",
	NULL,
};

static void run_all(struct rep *r);

static int iommuctl_report_collect_impl(struct iommuctl_ctx *ctx,
					struct iommuctl_bundle *b,
					const struct iommuctl_report_opts *opts)
{
	static const struct iommuctl_report_opts none;
	struct rep r = {
		.ctx = ctx,
		.b = b,
		.o = opts ? opts : &none,
	};
	size_t i;

	if (!ctx || !b)
		return -EINVAL;
	if (r.o->commands)
		run_all(&r);
	if (sysfs_read_str(ctx, "/proc/sys/kernel/osrelease", &r.release) < 0)
		r.release = NULL;

	for (i = 0; tree_roots[i] && !r.err; i++)
		walk(&r, tree_roots[i], 0);
	walk_link_targets(&r, "/sys/class/iommu");
	walk_glob_top(&r, "/sys/devices", "pci");
	walk_host_bridges(&r);
	for (i = 0; tree_more[i] && !r.err; i++)
		walk(&r, tree_more[i], 0);
	walk_link_targets(&r, "/sys/class/vfio-dev");
	walk_link_targets(&r, "/sys/bus/iommufd_mock/devices");
	add_config(&r);
	if (!r.o->no_debugfs)
		walk(&r, "/sys/kernel/debug/iommu", 0);
	walk_dev(&r, "/dev/iommu", 0);
	walk_dev(&r, "/dev/vfio", 0);
	walk_dev(&r, "/dev/kvm", 0);
	add_kmsg(&r);
	progress(&r, NULL);

	reader_quit(r.rd);
	seen_free(&r.seen);
	seen_free(&r.walked);
	free(r.release);
	return r.err;
}

IOMMUCTL_EXPORT int
iommuctl_report_collect_sz(struct iommuctl_ctx *ctx, struct iommuctl_bundle *b,
			   const struct iommuctl_report_opts *opts, size_t size)
{
	struct iommuctl_report_opts old = { 0 };
	int rc;

	/* callers built before @run was added pass the struct without it */
	if (opts && size == offsetof(struct iommuctl_report_opts, run)) {
		memcpy(&old, opts, size);
		opts = &old;
		size = sizeof(old);
	}
	rc = sz_in(opts, size, sizeof(*opts));
	return rc < 0 ? rc : iommuctl_report_collect_impl(ctx, b, opts);
}

struct capture {
	char *buf;
	size_t len, max;
	bool over;
};

/* Appends what @fd has to @b (at most @b->max bytes kept); 0 at EOF. */
static int drain(int fd, struct capture *b)
{
	char tmp[65536], *nb;
	ssize_t n = read(fd, tmp, sizeof(tmp));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -errno;
	if (n == 0)
		return 0;
	if (b->len + (size_t)n > b->max) {
		b->over = true;
		return 1;
	}
	nb = realloc(b->buf, b->len + (size_t)n + 1);
	if (!nb)
		return -ENOMEM;
	b->buf = nb;
	memcpy(nb + b->len, tmp, (size_t)n);
	b->len += (size_t)n;
	nb[b->len] = '\0';
	return 1;
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Reads the child's stdout and stderr until both end; kills it when it
 * takes longer than @timeout_ms or says too much: then -ETIMEDOUT or
 * -EFBIG. */
static int collect(pid_t pid, const int fd[2], struct capture cap[2],
		   unsigned int timeout_ms)
{
	struct pollfd pfd[2] = { { fd[0], POLLIN, 0 }, { fd[1], POLLIN, 0 } };
	long long end = now_ms() + timeout_ms;
	int open_fds = 2, n, k;

	while (open_fds && now_ms() < end) {
		n = poll(pfd, 2, (int)(end - now_ms()) + 1);
		if (n < 0 && errno != EINTR)
			return 0;
		for (k = 0; k < 2 && n > 0; k++)
			if (pfd[k].fd >= 0 && pfd[k].revents &&
			    drain(pfd[k].fd, &cap[k]) <= 0) {
				pfd[k].fd = -1;
				open_fds--;
			}
		if (cap[0].over)
			break;
	}
	if (!open_fds)
		return 0;
	kill(pid, SIGKILL);
	return cap[0].over ? -EFBIG : -ETIMEDOUT;
}

/* Forks a child with stdin /dev/null and stdout/stderr on pipes, which
 * execs @path, or (@fn set) calls @fn(@data, argc, @argv) and exits with
 * what it returns; collects its output as iommuctl_run_capture() says. */
static int run_capture(struct iommuctl_ctx *ctx, const char *path,
		       int (*fn)(void *data, int argc, char **argv), void *data,
		       char *const argv[], unsigned int timeout_ms,
		       const size_t max[2], char *buf[2], size_t len[2],
		       int *status)
{
	struct capture cap[2] = { { .max = max[0] }, { .max = max[1] } };
	int p[2][2] = { { -1, -1 }, { -1, -1 } }, rc = 0, k;
	pid_t pid = -1;

	*status = 0;
	fflush(NULL);
	if (pipe2(p[0], O_CLOEXEC) == 0 && pipe2(p[1], O_CLOEXEC) == 0)
		pid = fork();
	if (pid == 0) {
		k = open("/dev/null", O_RDONLY);
		if (k >= 0)
			dup2(k, 0);
		dup2(p[0][1], 1);
		dup2(p[1][1], 2);
		if (fn) {
			int argc = 0;

			/* no exec, so the pipe ends are still open here */
			for (k = 0; k < 2; k++) {
				close(p[k][0]);
				close(p[k][1]);
			}
			while (argv[argc])
				argc++;
			rc = fn(data, argc, (char **)argv);
			fflush(NULL);
			_exit(rc & 0xff);
		}
		execv(path, argv);
		_exit(127);
	}
	if (pid < 0) {
		rc = -errno;
		err(ctx, "cannot run %s: %s", path ?: argv[0], strerror(-rc));
	}
	for (k = 0; k < 2; k++)
		if (p[k][1] >= 0)
			close(p[k][1]);
	if (pid > 0) {
		rc = collect(pid, (int[2]){ p[0][0], p[1][0] }, cap,
			     timeout_ms);
		while (waitpid(pid, status, 0) < 0 && errno == EINTR)
			;
	}
	for (k = 0; k < 2; k++) {
		if (p[k][0] >= 0)
			close(p[k][0]);
		buf[k] = cap[k].buf;
		len[k] = cap[k].len;
	}
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_run_capture(struct iommuctl_ctx *ctx,
					 const char *path, char *const argv[],
					 unsigned int timeout_ms,
					 const size_t max[2], char *buf[2],
					 size_t len[2], int *status)
{
	return run_capture(ctx, path, NULL, NULL, argv, timeout_ms, max, buf,
			   len, status);
}

IOMMUCTL_EXPORT int iommuctl_report_names(const char *output, int64_t now,
					  char **file, char **prefix,
					  bool *gzip)
{
	time_t t = (time_t)now;
	char stamp[32];
	const char *base;
	struct tm tm;
	size_t n;

	*prefix = NULL;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	*file = output ? strdup(output) :
			 path_fmt("iommuctl-report-%s.tar.gz", stamp);
	if (!*file)
		return -ENOMEM;
	base = strrchr(*file, '/');
	base = base ? base + 1 : *file;
	n = strlen(base);
	*gzip = n < 4 || strcmp(base + n - 4, ".tar");
	if (n > 7 && !strcmp(base + n - 7, ".tar.gz"))
		n -= 7;
	else if (n > 4 && (!strcmp(base + n - 4, ".tgz") ||
			   !strcmp(base + n - 4, ".tar")))
		n -= 4;
	if (!strcmp(*file, "-") || !n || (n == 1 && base[0] == '.') ||
	    (n == 2 && !strncmp(base, "..", 2)))
		*prefix = strdup("iommuctl-report");
	else
		*prefix = strndup(base, n);
	if (*prefix)
		return 0;
	free(*file);
	*file = NULL;
	return -ENOMEM;
}

IOMMUCTL_EXPORT const char *iommuctl_report_missing_kind(int err)
{
	if (err == -EACCES || err == -EPERM)
		return "permission";
	if (err == -ETIMEDOUT)
		return "too-slow";
	if (err == -EFBIG || err == -ELOOP)
		return "too-large";
	return err == -ENOENT ? "absent" : "unreadable";
}

IOMMUCTL_EXPORT bool iommuctl_report_kind_is_gap(const char *kind)
{
	return strcmp(kind, "absent") && strcmp(kind, "unreadable");
}

#define REPORT_CMD_OUT_MAX (64u * 1024 * 1024)
#define REPORT_SHOW_MAX 64 /* "OBJECT show NAME" runs per object type */
#define REPORT_RECORDED_MAX (4u * 1024 * 1024) /* a recorded answer read back */
#define REPORT_CMD_ERR_MAX (256u * 1024)

/* Adds @data as the member PREFIX/@rel.@ext; the name is kept in *@name
 * (malloc'd). */
static void add_output(struct rep *r, const char *rel, const char *ext,
		       const char *data, size_t len, char **name)
{
	char *m;
	int rc = -ENOMEM;

	*name = path_fmt("%s.%s", rel, ext);
	m = *name ? member(r, *name) : NULL;
	if (m)
		rc = iommuctl_bundle_add_file(r->b, m, data ? data : "", len,
					      0644);
	free(m);
	if (rc < 0)
		fail(r, rc);
}

/* How a command that did not finish ended: its text in @why. */
static int cmd_why(struct rep *r, int rc, int status, char *why, size_t size)
{
	if (!rc) {
		snprintf(why, size, "killed by signal %d",
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		return -EINTR;
	}
	if (rc == -EFBIG)
		snprintf(why, size, "output larger than %u bytes, stopped",
			 REPORT_CMD_OUT_MAX);
	else
		snprintf(why, size, "took longer than %u s, stopped",
			 10 * (r->o->timeout_ms ?: REPORT_TIMEOUT_MS) / 1000);
	return -ETIMEDOUT;
}

/* Runs "iommuctl [--root R] -j ARGS", its output captured and bounded,
 * killed when it takes longer than the limit. Command file names: the
 * words joined by '-' ("group-list---check"); a list of operands is named
 * by its first words and "all". */
static void run_cmd(struct rep *r, bool offline, const char *const *args)
{
	static const size_t max[2] = { REPORT_CMD_OUT_MAX, REPORT_CMD_ERR_MAX };
	struct iommuctl_report_cmd cmd = { .args = args,
					   .offline = offline,
					   .exit_code = -1 };
	char **argv, *buf[2] = { NULL, NULL }, cmdline[1024] = "", why[128];
	char name[96] = "", *rel, *file = NULL, *efile = NULL;
	size_t i = 0, k, n = 0, nargs = 0, len[2] = { 0, 0 };
	struct timespec t0, t1;
	int status, rc;

	for (k = 0; args[k] && k < 4 && n < 64; k++)
		n += (size_t)snprintf(name + n, sizeof(name) - n, "%s%s",
				      k ? "-" : "", args[k]);
	for (k = 0; name[k]; k++)
		if (name[k] == '/')
			name[k] = '_';
	while (args[nargs])
		nargs++;
	argv = calloc(nargs + 5, sizeof(*argv));
	if (!argv) {
		fail(r, -ENOMEM);
		return;
	}
	argv[i++] = (char *)"iommuctl";
	if (iommuctl_is_offline(r->ctx)) {
		argv[i++] = (char *)"--root";
		argv[i++] = (char *)iommuctl_get_root(r->ctx);
	}
	argv[i++] = (char *)"-j";
	for (k = 0; args[k]; k++) {
		argv[i++] = (char *)args[k];
		snprintf(cmdline + strlen(cmdline),
			 sizeof(cmdline) - strlen(cmdline), "%s%s",
			 k ? " " : "", args[k]);
	}
	cmd.cmdline = cmdline;
	if (r->o->command)
		r->o->command(r->o->data, &cmd);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = run_capture(r->ctx, r->o->run ? NULL : r->o->exe ?: "/proc/self/exe",
			 r->o->run, r->o->data, argv,
			 10 * (r->o->timeout_ms ?: REPORT_TIMEOUT_MS), max, buf,
			 len, &status);
	cmd.done = true;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cmd.seconds = (double)(t1.tv_sec - t0.tv_sec) +
		      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (rc < 0 || !WIFEXITED(status)) {
		cmd.err = cmd_why(r, rc, status, why, sizeof(why));
		cmd.error = why;
	} else {
		cmd.exit_code = WEXITSTATUS(status);
	}
	rel = path_fmt("report/commands/%s", name);
	if (rel && rc >= 0)
		add_output(r, rel, "json", buf[0], len[0], &file);
	if (rel && len[1])
		add_output(r, rel, "stderr", buf[1], len[1], &efile);
	cmd.file = file;
	cmd.stderr_file = efile;
	if (!rel)
		fail(r, -ENOMEM);
	else if ((rc >= 0 || rc == -ETIMEDOUT || rc == -EFBIG) && r->o->command)
		r->o->command(r->o->data, &cmd);
	free(rel);
	free(file);
	free(efile);
	free(buf[0]);
	free(buf[1]);
	free(argv);
}

#define RUN(offline, ...)                                       \
	do {                                                    \
		const char *const a_[] = { __VA_ARGS__, NULL }; \
		run_cmd(r, offline, a_);                        \
	} while (0)

/* "OBJECT show NAME" for each of the @n names in args[2...], the first
 * REPORT_SHOW_MAX of them (a process each: show takes one operand). */
static void run_show(struct rep *r, const char **args, size_t n,
		     const char *object)
{
	const char *one[4] = { object, "show", NULL, NULL };
	size_t i;

	if (n > REPORT_SHOW_MAX)
		info(r->ctx, "report: %s show of the first %d of %zu only\n",
		     object, REPORT_SHOW_MAX, n);
	for (i = 0; i < n && i < REPORT_SHOW_MAX; i++) {
		one[2] = args[2 + i];
		run_cmd(r, true, one);
	}
}

/* The tables of translated (DMA) domains. */
static void run_pgtables(struct rep *r)
{
	struct iommuctl_device *d;
	struct iommuctl_group *g;

	RUN(true, "pgtable", "context");
	/* a process per device: only when VT-d debugfs is there to dump
	 * (pgtable context records why not) */
	if (!sysfs_is_dir(r->ctx, "/sys/kernel/debug/iommu/intel"))
		return;
	iommuctl_device_foreach(r->ctx, d)
	{
		int gid = iommuctl_device_get_group_id(d);
		const char *type = NULL;

		if (gid < 0 || strcmp(iommuctl_device_get_subsystem(d), "pci"))
			continue;
		g = iommuctl_group_get_by_id(r->ctx, (unsigned int)gid);
		if (g)
			type = iommuctl_group_get_type(g);
		if (type && !strncmp(type, "DMA", 3))
			RUN(true, "pgtable", "dump", "--device",
			    iommuctl_device_get_name(d));
	}
}

static void run_all(struct rep *r)
{
	struct iommuctl_ctx *ctx = r->ctx;
	bool debugfs = !r->o->no_debugfs, vtd = false;
	struct iommuctl_iommu *it;
	struct iommuctl_group *g;
	struct iommuctl_device *d;
	size_t n = 0, i = 0;
	const char **args;
	char(*ids)[16];

	iommuctl_iommu_foreach(ctx, it)
		n++;
	iommuctl_group_foreach(ctx, g)
		n++;
	iommuctl_device_foreach(ctx, d) n++;
	args = calloc(n + 3, sizeof(*args));
	ids = calloc(n + 1, sizeof(*ids));
	if (!args || !ids) {
		fail(r, -ENOMEM);
		goto out;
	}
	RUN(true, "status");
	RUN(true, "iommu", "list");
	iommuctl_iommu_foreach(ctx, it) {
		vtd |= iommuctl_iommu_get_kind(it) == IOMMUCTL_IOMMU_INTEL_VTD;
		args[2 + i++] = iommuctl_iommu_get_name(it);
	}
	run_show(r, args, i, "iommu");
	if (debugfs) {
		RUN(true, "iommu", "regs");
		RUN(true, "iommu", "invalidation");
		RUN(true, "iommu", "irte");
	}
	RUN(true, "group", "list");
	RUN(true, "group", "list", "--check");
	i = 0;
	iommuctl_group_foreach(ctx, g) {
		snprintf(ids[i], sizeof(ids[i]), "%u",
			 iommuctl_group_get_id(g));
		args[2 + i] = ids[i];
		i++;
	}
	run_show(r, args, i, "group");
	i = 0;
	iommuctl_group_foreach(ctx, g)
		if (iommuctl_group_get_num_devices(g) >= 2)
			RUN(true, "group", "explain", ids[i++]);
		else
			i++;
	RUN(true, "device", "list");
	i = 0;
	iommuctl_device_foreach(
		ctx, d) if (!strcmp(iommuctl_device_get_subsystem(d), "pci"))
		args[2 + i++] = iommuctl_device_get_name(d);
	run_show(r, args, i, "device");
	RUN(true, "resv");
	RUN(true, "msi");
	if (debugfs && vtd)
		run_pgtables(r);
	if (!iommuctl_is_offline(ctx)) {
		RUN(false, "probe");
		RUN(false, "vfio", "status");
	}
out:
	free(args);
	free(ids);
}

IOMMUCTL_EXPORT int iommuctl_report_recorded(struct iommuctl_ctx *ctx,
					     const char *name, char **out,
					     size_t *len)
{
	char *path;
	int rc;

	*out = NULL;
	*len = 0;
	if (!ctx || !name || !*name || strchr(name, '/') ||
	    !iommuctl_is_offline(ctx))
		return -EINVAL;
	path = path_fmt("/report/commands/%s.json", name);
	if (!path)
		return -ENOMEM;
	rc = sysfs_read(ctx, path, REPORT_RECORDED_MAX, out, len);
	free(path);
	return rc;
}
