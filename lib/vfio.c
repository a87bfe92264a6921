// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Binding devices to vfio-pci: plan, journal, apply, restore.
 *
 * Nothing on the host changes before the plan is complete and every device
 * it changes is journaled (one file per device under <rundir>/vfio/, written
 * with O_EXCL + rename, never following symlinks). The journal keeps the
 * state from before iommuctl first touched the device, so an interrupted run
 * (kill -9 between two writes) is undone by restore like a finished one.
 * Driver state is always read fresh from sysfs, never from the context's
 * device cache, as it changes under us.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "private.h"

#define VFIO_DRIVER "vfio-pci"
#define JOURNAL_MAX 4096
#define DEFAULT_TIMEOUT_MS 10000

struct vstep {
	char *device;
	char *driver;
	char *override;
	char *target;
	char *note;
	char *refusal;
	char *cdev;
	int group;
	enum iommuctl_vfio_action action;
	bool requested;
	bool forced;
	bool done;
	bool journaled; /* this call wrote its journal entry */
	bool changed; /* this call changed it on the host */
	struct iommuctl_use *uses;
	size_t nuses;
};

struct iommuctl_vfio {
	struct iommuctl_ctx *ctx;
	unsigned int flags;
	unsigned int timeout_ms;
	iommuctl_vfio_progress_fn progress;
	void *progress_data;
	struct strv want;
	struct strv want_groups; /* decimal ids */
	struct strv allow;
	struct strv want_mdev; /* mdev UUIDs asked for (restore) */
	struct vstep *steps;
	size_t nsteps;
	struct iommuctl_vfio_step *pub;
	int dirfd, jfd, lockfd;
};

static void jentry_free(struct vfio_jentry *e)
{
	free(e->driver);
	free(e->override);
	free(e->state);
	free(e->kind);
	free(e->parent);
	free(e->type);
	memset(e, 0, sizeof(*e));
}

static void vstep_free(struct vstep *st)
{
	free(st->device);
	free(st->driver);
	free(st->override);
	free(st->target);
	free(st->note);
	free(st->refusal);
	free(st->cdev);
	iommuctl_uses_free(st->uses, st->nuses);
}

static void steps_clear(struct iommuctl_vfio *v)
{
	for (size_t i = 0; i < v->nsteps; i++)
		vstep_free(&v->steps[i]);
	free(v->steps);
	v->steps = NULL;
	v->nsteps = 0;
}

/* the explanation lives in the context's error slot, owned by @v */
static void why_clear(struct iommuctl_vfio *v)
{
	ctx_error_set(v->ctx, NULL, NULL);
}

/* Adds a sentence to the explanation of the current call. */
static void __attribute__((format(printf, 2, 3)))
why_add(struct iommuctl_vfio *v, const char *fmt, ...)
{
	char *s;
	va_list ap;

	va_start(ap, fmt);
	s = str_vjoin(iommuctl_vfio_error(v), fmt, ap);
	va_end(ap);
	if (s)
		ctx_error_set(v->ctx, v, s);
}

static void progress(struct iommuctl_vfio *v, const char *dev, const char *step,
		     const char *detail)
{
	dbg(v->ctx, "%s: %s %s\n", dev, step, detail ? detail : "");
	if (v->progress)
		v->progress(dev, step, detail, v->progress_data);
}

IOMMUCTL_EXPORT const char *
iommuctl_vfio_action_name(enum iommuctl_vfio_action a)
{
	return names_get(NAMES_VFIO_ACTION, a);
}

IOMMUCTL_EXPORT int iommuctl_vfio_new(struct iommuctl_ctx *ctx,
				      struct iommuctl_vfio **out)
{
	struct iommuctl_vfio *v;

	if (!ctx || !out)
		return -EINVAL;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->ctx = iommuctl_ref(ctx);
	v->timeout_ms = DEFAULT_TIMEOUT_MS;
	v->dirfd = v->jfd = v->lockfd = -1;
	*out = v;
	return 0;
}

static void run_dir_close(struct iommuctl_vfio *v)
{
	if (v->lockfd >= 0)
		close(v->lockfd); /* drops the flock */
	if (v->jfd >= 0)
		close(v->jfd);
	if (v->dirfd >= 0)
		close(v->dirfd);
	v->dirfd = v->jfd = v->lockfd = -1;
}

IOMMUCTL_EXPORT void iommuctl_vfio_free(struct iommuctl_vfio *v)
{
	if (!v)
		return;
	run_dir_close(v);
	steps_clear(v);
	free(v->pub);
	strv_free(&v->want);
	strv_free(&v->want_groups);
	strv_free(&v->allow);
	strv_free(&v->want_mdev);
	ctx_error_disown(v->ctx, v);
	iommuctl_unref(v->ctx);
	free(v);
}

IOMMUCTL_EXPORT void iommuctl_vfio_set_flags(struct iommuctl_vfio *v,
					     unsigned int flags)
{
	if (v)
		v->flags = flags;
}

IOMMUCTL_EXPORT void iommuctl_vfio_set_timeout(struct iommuctl_vfio *v,
					       unsigned int ms)
{
	if (v)
		v->timeout_ms = ms;
}

IOMMUCTL_EXPORT void iommuctl_vfio_set_progress(struct iommuctl_vfio *v,
						iommuctl_vfio_progress_fn fn,
						void *data)
{
	if (!v)
		return;
	v->progress = fn;
	v->progress_data = data;
}

IOMMUCTL_EXPORT const char *iommuctl_vfio_error(struct iommuctl_vfio *v)
{
	return v ? ctx_error_of(v->ctx, v) : NULL;
}

/* ---- fresh sysfs state of one PCI device ---- */

static char *dev_path(const char *bdf, const char *attr)
{
	return path_fmt("/sys/bus/pci/devices/%s%s%s", bdf, attr ? "/" : "",
			attr ? attr : "");
}

/*
 * A device attribute: the name a link points to (@link) or a file's text;
 * *out NULL when there is none, -errno only for real errors.
 */
static int read_dev_attr(struct iommuctl_ctx *ctx, const char *bdf,
			 const char *attr, bool link, char **out)
{
	char *p = dev_path(bdf, attr);
	int rc;

	*out = NULL;
	if (!p)
		return -ENOMEM;
	rc = link ? sysfs_link_basename(ctx, p, out) :
		    sysfs_read_str(ctx, p, out);
	free(p);
	if (rc == -ENOENT) {
		*out = NULL;
		return 0;
	}
	return rc;
}

/* driver name or NULL (unbound) */
static int read_driver(struct iommuctl_ctx *ctx, const char *bdf, char **out)
{
	return read_dev_attr(ctx, bdf, "driver", true, out);
}

/* driver_override, or NULL when it is unset */
static int read_override(struct iommuctl_ctx *ctx, const char *bdf, char **out)
{
	int rc = read_dev_attr(ctx, bdf, "driver_override", false, out);

	if (rc < 0 || !*out)
		return rc;
	if (!**out || !strcmp(*out, "(null)")) {
		free(*out);
		*out = NULL;
	}
	return 0;
}

static int read_group(struct iommuctl_ctx *ctx, const char *bdf)
{
	char *p = dev_path(bdf, "iommu_group"), *name = NULL, *end;
	long id;
	int rc;

	if (!p)
		return -1;
	rc = sysfs_link_basename(ctx, p, &name);
	free(p);
	if (rc < 0)
		return -1;
	id = strtol(name, &end, 10);
	rc = (*name && !*end && id >= 0 && id < 1L << 30) ? (int)id : -1;
	free(name);
	return rc;
}

static char *read_cdev(struct iommuctl_ctx *ctx, const char *bdf)
{
	struct strv l = { 0 };
	char *p = dev_path(bdf, "vfio-dev"), *name = NULL;

	if (p && sysfs_list(ctx, p, &l) == 0) {
		for (size_t i = 0; i < l.n; i++)
			if (!strncmp(l.v[i], "vfio", 4) &&
			    isdigit((unsigned char)l.v[i][4])) {
				name = strdup(l.v[i]);
				break;
			}
	}
	strv_free(&l);
	free(p);
	return name;
}

static bool streq0(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int attr_write(struct iommuctl_ctx *ctx, const char *path,
		      const char *val)
{
	size_t len = strlen(val);
	ssize_t w;
	int fd, rc = 0;

	fd = sysfs_open(ctx, path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fd;
	w = write(fd, val, len);
	if (w < 0)
		rc = -errno;
	else if ((size_t)w != len)
		rc = -EIO;
	close(fd);
	return rc;
}

static int dev_attr_write(struct iommuctl_ctx *ctx, const char *bdf,
			  const char *attr, const char *val)
{
	char *p = dev_path(bdf, attr);
	int rc;

	if (!p)
		return -ENOMEM;
	rc = attr_write(ctx, p, val);
	free(p);
	return rc;
}

static bool is_vfio_driver(const char *drv)
{
	return drv && !strncmp(drv, "vfio", 4);
}

/* ---- run directory, lock and journal ---- */

static int dir_check(struct iommuctl_vfio *v, int fd, const char *path)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode)) {
		why_add(v, "%s is not a directory", path);
		return -ENOTDIR;
	}
	if (st.st_uid != geteuid() || (st.st_mode & 077)) {
		why_add(v,
			"%s is unsafe (owner uid %u, mode %04o): it must belong to uid %u with mode 0700; refusing to use it",
			path, (unsigned int)st.st_uid,
			(unsigned int)(st.st_mode & 07777),
			(unsigned int)geteuid());
		return -EPERM;
	}
	return 0;
}

/* Opens (and with @create makes) <rundir> and <rundir>/vfio. -ENOENT
 * without @create when there is no journal yet. */
static int run_dir_open(struct iommuctl_vfio *v, bool create)
{
	const char *dir = iommuctl_get_run_dir(v->ctx);
	char *jpath;
	int rc;

	if (v->jfd >= 0)
		return 0;
	if (create && mkdir(dir, 0700) < 0 && errno != EEXIST) {
		rc = -errno;
		why_add(v, "cannot create %s: %s", dir, strerror(errno));
		return rc;
	}
	v->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (v->dirfd < 0) {
		struct stat st;

		rc = -errno;
		if ((rc == -ENOTDIR || rc == -ELOOP) && lstat(dir, &st) == 0 &&
		    S_ISLNK(st.st_mode)) {
			why_add(v, "%s is a symlink: refusing to follow it",
				dir);
			return -ELOOP;
		}
		if (rc != -ENOENT || create)
			why_add(v, "cannot open %s: %s", dir, strerror(-rc));
		return rc;
	}
	rc = dir_check(v, v->dirfd, dir);
	if (rc)
		goto fail;
	if (create && mkdirat(v->dirfd, "vfio", 0700) < 0 && errno != EEXIST) {
		rc = -errno;
		why_add(v, "cannot create %s/vfio: %s", dir, strerror(errno));
		goto fail;
	}
	v->jfd = openat(v->dirfd, "vfio",
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (v->jfd < 0) {
		rc = -errno;
		if (rc != -ENOENT || create)
			why_add(v, "cannot open %s/vfio: %s", dir,
				strerror(errno));
		goto fail;
	}
	jpath = path_join(dir, "vfio");
	rc = dir_check(v, v->jfd, jpath ? jpath : dir);
	free(jpath);
	if (rc)
		goto fail;
	return 0;
fail:
	run_dir_close(v);
	return rc;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int lock_take(struct iommuctl_vfio *v)
{
	long long deadline = now_ms() + v->timeout_ms;
	char buf[32];
	ssize_t r;
	int n;

	v->lockfd = openat(v->dirfd, "lock",
			   O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (v->lockfd < 0) {
		int rc = -errno;

		why_add(v, "cannot open the lock %s/lock: %s",
			iommuctl_get_run_dir(v->ctx), strerror(errno));
		return rc;
	}
	while (flock(v->lockfd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -errno;
		if (now_ms() >= deadline) {
			r = pread(v->lockfd, buf, sizeof(buf) - 1, 0);
			buf[r > 0 ? r : 0] = '\0';
			buf[strcspn(buf, "\n")] = '\0';
			why_add(v,
				"another iommuctl%s%s is binding or restoring devices (it holds %s/lock); try again when it is done",
				*buf ? " pid " : "", buf,
				iommuctl_get_run_dir(v->ctx));
			return -ETIMEDOUT;
		}
		usleep(50 * 1000);
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(v->lockfd, 0) == 0 && pwrite(v->lockfd, buf, n, 0) < 0)
		dbg(v->ctx, "cannot write the lock owner: %s\n",
		    strerror(errno));
	return 0;
}

/* driver names and overrides are kernel identifiers: no newlines, printable */
static bool journal_value_ok(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (!isprint((unsigned char)*s))
			return false;
	return true;
}

/* A journal value replaces *@dst; an empty one means none */
static void take_value(char **dst, char *val)
{
	free(*dst);
	*dst = *val ? val : NULL;
	if (!*val)
		free(val);
}

/* Writes the journal entry @name (O_EXCL temporary file, fsync, rename) */
static int journal_put(struct iommuctl_vfio *v, const char *name,
		       const char *text, int len)
{
	char tmp[96];
	int fd, rc = 0;

	snprintf(tmp, sizeof(tmp), ".%s.%ld.tmp", name, (long)getpid());
	unlinkat(v->jfd, tmp, 0);
	fd = openat(v->jfd, tmp,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	if (write(fd, text, len) != len || fsync(fd) < 0)
		rc = errno ? -errno : -EIO;
	close(fd);
	if (!rc && renameat(v->jfd, tmp, v->jfd, name) < 0)
		rc = -errno;
	if (rc)
		unlinkat(v->jfd, tmp, 0);
	else
		fsync(v->jfd);
out:
	if (rc)
		why_add(v, "cannot write the journal %s/vfio/%s: %s",
			iommuctl_get_run_dir(v->ctx), name, strerror(-rc));
	return rc;
}

static int journal_write(struct iommuctl_vfio *v, const char *bdf,
			 const struct vfio_jentry *e)
{
	char *text = NULL;
	int len, rc;

	if (!journal_value_ok(e->driver) || !journal_value_ok(e->override)) {
		why_add(v,
			"%s: its driver_override holds unprintable bytes; not touching it",
			bdf);
		return -EINVAL;
	}
	len = asprintf(
		&text,
		"# iommuctl vfio journal: the state of %s before iommuctl changed it\n"
		"device=%s\ndriver=%s\ndriver_override=%s\nset_override=%d\npid=%ld\ntime=%lld\nstate=%s\n",
		bdf, bdf, e->driver ? e->driver : "",
		e->override ? e->override : "", e->set_override ? 1 : 0, e->pid,
		e->time, e->state ? e->state : "planned");
	if (len < 0)
		return -ENOMEM;
	rc = journal_put(v, bdf, text, len);
	free(text);
	return rc;
}

/* Parses one journal file. Unknown keys are ignored; -EINVAL when the
 * device key is missing or a value is malformed. */
int vfio_journal_parse(const char *text, size_t len, struct vfio_jentry *e)
{
	const char *p = text, *end = text + len;
	bool have_dev = false;

	memset(e, 0, sizeof(*e));
	e->autoprobe = -1;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p), *eq;
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *val;

		eq = memchr(p, '=', l);
		if (*p != '#' && eq) {
			size_t klen = eq - p;

			val = strndup(eq + 1, l - klen - 1);
			if (!val)
				goto nomem;
			if (!journal_value_ok(val)) {
				free(val);
				goto bad;
			}
			if (klen == 6 && !strncmp(p, "device", 6)) {
				have_dev = true;
				free(val);
			} else if (klen == 6 && !strncmp(p, "driver", 6)) {
				take_value(&e->driver, val);
			} else if (klen == 15 &&
				   !strncmp(p, "driver_override", 15)) {
				take_value(&e->override, val);
			} else if (klen == 12 &&
				   !strncmp(p, "set_override", 12)) {
				e->set_override = !strcmp(val, "1");
				free(val);
			} else if (klen == 3 && !strncmp(p, "pid", 3)) {
				e->pid = strtol(val, NULL, 10);
				free(val);
			} else if (klen == 4 && !strncmp(p, "time", 4)) {
				e->time = strtoll(val, NULL, 10);
				free(val);
			} else if (klen == 5 && !strncmp(p, "state", 5)) {
				free(e->state);
				e->state = val;
			} else if (klen == 4 && !strncmp(p, "kind", 4)) {
				take_value(&e->kind, val);
			} else if (klen == 6 && !strncmp(p, "parent", 6)) {
				take_value(&e->parent, val);
			} else if (klen == 4 && !strncmp(p, "type", 4)) {
				take_value(&e->type, val);
			} else if (klen == 6 && !strncmp(p, "numvfs", 6)) {
				e->numvfs = strtol(val, NULL, 10);
				free(val);
			} else if (klen == 9 && !strncmp(p, "autoprobe", 9)) {
				e->autoprobe = *val ? atoi(val) : -1;
				free(val);
			} else {
				free(val);
			}
		} else if (*p != '#' && l) {
			goto bad;
		}
		p += l + 1;
	}
	if (!have_dev)
		goto bad;
	return 0;
nomem:
	jentry_free(e);
	return -ENOMEM;
bad:
	jentry_free(e);
	return -EINVAL;
}

/* 1 found, 0 no entry, -errno */
static int journal_read(struct iommuctl_vfio *v, const char *bdf,
			struct vfio_jentry *e)
{
	char buf[JOURNAL_MAX + 1];
	ssize_t r;
	int fd, rc;

	memset(e, 0, sizeof(*e));
	if (v->jfd < 0)
		return 0;
	fd = openat(v->jfd, bdf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	r = read(fd, buf, sizeof(buf));
	rc = r < 0 ? -errno : 0;
	close(fd);
	if (rc)
		return rc;
	if (r > JOURNAL_MAX) {
		why_add(v,
			"journal entry %s/vfio/%s is larger than %d bytes: not a journal entry",
			iommuctl_get_run_dir(v->ctx), bdf, JOURNAL_MAX);
		return -EFBIG;
	}
	rc = vfio_journal_parse(buf, r, e);
	if (rc == -EINVAL)
		why_add(v,
			"journal entry %s/vfio/%s is malformed; check it and remove it by hand",
			iommuctl_get_run_dir(v->ctx), bdf);
	return rc ? rc : 1;
}

static void journal_state(struct iommuctl_vfio *v, const char *bdf,
			  const char *state)
{
	struct vfio_jentry e;

	if (journal_read(v, bdf, &e) == 1) {
		free(e.state);
		e.state = strdup(state);
		journal_write(v, bdf, &e);
		jentry_free(&e);
	}
}

static int journal_remove(struct iommuctl_vfio *v, const char *bdf)
{
	if (unlinkat(v->jfd, bdf, 0) < 0 && errno != ENOENT)
		return -errno;
	fsync(v->jfd);
	return 0;
}

/* ---- planning ---- */

/* an mdev's name: a UUID in its canonical lower-case form */
static bool mdev_uuid_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ?
			    s[i] != '-' :
			    !isxdigit((unsigned char)s[i]) ||
				    isupper((unsigned char)s[i]))
			return false;
	return i == 36;
}

static int normalize(struct iommuctl_vfio *v, const char *name, char *bdf,
		     size_t size)
{
	struct iommuctl_device *d;

	if (!strncmp(name, "vfio", 4) && isdigit((unsigned char)name[4])) {
		iommuctl_device_foreach(v->ctx,
					d) if (d->vfio_cdev &&
					       !strcmp(d->vfio_cdev, name))
		{
			snprintf(bdf, size, "%s", d->name);
			return 0;
		}
		why_add(v, "no device has the VFIO cdev %s", name);
		return -ENOENT;
	}
	if (iommuctl_parse_bdf(name, bdf, size) < 0) {
		why_add(v, "%s is not a PCI address (like 0000:00:03.0)", name);
		return -EINVAL;
	}
	d = iommuctl_device_get_by_name(v->ctx, bdf);
	if (!d) {
		why_add(v, "no PCI device %s", bdf);
		return -ENOENT;
	}
	if (!d->is_pci) {
		why_add(v, "%s is not a PCI device", bdf);
		return -EINVAL;
	}
	return 0;
}

/* @name, as a PCI address, into @list once (the wanted or allowed ones) */
static int add_bdf(struct iommuctl_vfio *v, struct strv *list, const char *name)
{
	char bdf[32];
	int rc;

	rc = normalize(v, name, bdf, sizeof(bdf));
	if (rc)
		return rc;
	if (strv_contains(list, bdf))
		return 0;
	return strv_push(list, bdf);
}

IOMMUCTL_EXPORT int iommuctl_vfio_add_device(struct iommuctl_vfio *v,
					     const char *name)
{
	if (!v || !name)
		return -EINVAL;
	if (mdev_uuid_ok(name))
		return strv_contains(&v->want_mdev, name) ?
			       0 :
			       (strv_push(&v->want_mdev, name) ? -ENOMEM : 0);
	return add_bdf(v, &v->want, name);
}

IOMMUCTL_EXPORT int iommuctl_vfio_add_group(struct iommuctl_vfio *v,
					    unsigned int id)
{
	char buf[16];

	if (!v)
		return -EINVAL;
	if (!iommuctl_group_get_by_id(v->ctx, id)) {
		why_add(v, "no IOMMU group %u", id);
		return -ENOENT;
	}
	snprintf(buf, sizeof(buf), "%u", id);
	if (strv_contains(&v->want_groups, buf))
		return 0;
	return strv_push(&v->want_groups, buf);
}

IOMMUCTL_EXPORT int iommuctl_vfio_allow_member(struct iommuctl_vfio *v,
					       const char *name)
{
	if (!v || !name)
		return -EINVAL;
	return add_bdf(v, &v->allow, name);
}

static struct vstep *step_find(struct iommuctl_vfio *v, const char *bdf)
{
	for (size_t i = 0; i < v->nsteps; i++)
		if (!strcmp(v->steps[i].device, bdf))
			return &v->steps[i];
	return NULL;
}

static struct vstep *step_add(struct iommuctl_vfio *v, const char *bdf)
{
	struct vstep *st = step_find(v, bdf), *n;

	if (st)
		return st;
	n = realloc(v->steps, (v->nsteps + 1) * sizeof(*n));
	if (!n)
		return NULL;
	v->steps = n;
	st = &n[v->nsteps];
	memset(st, 0, sizeof(*st));
	st->device = strdup(bdf);
	if (!st->device)
		return NULL;
	st->group = -1;
	v->nsteps++;
	return st;
}

static int group_members(struct iommuctl_ctx *ctx, int group, struct strv *out)
{
	char *p = path_fmt("/sys/kernel/iommu_groups/%d/devices", group);
	int rc;

	if (!p)
		return -ENOMEM;
	rc = sysfs_list(ctx, p, out);
	free(p);
	if (!rc)
		strv_sort(out, pci_name_cmp);
	return rc;
}

static int step_read_state(struct iommuctl_vfio *v, struct vstep *st)
{
	int rc;

	free(st->driver);
	free(st->override);
	free(st->cdev);
	st->cdev = NULL;
	rc = read_driver(v->ctx, st->device, &st->driver);
	if (!rc)
		rc = read_override(v->ctx, st->device, &st->override);
	if (rc) {
		why_add(v, "cannot read the driver of %s: %s", st->device,
			strerror(-rc));
		return rc;
	}
	st->group = read_group(v->ctx, st->device);
	if (is_vfio_driver(st->driver))
		st->cdev = read_cdev(v->ctx, st->device);
	return 0;
}

static void set_str(char **dst, char *val)
{
	free(*dst);
	*dst = val;
}

static char *uses_text(const struct iommuctl_use *u, size_t n)
{
	char *s = NULL, *t;

	for (size_t i = 0; i < n; i++) {
		if (asprintf(&t, "%s%s%s %s", s ? s : "", s ? ", " : "",
			     u[i].object, u[i].detail) < 0) {
			free(s);
			return NULL;
		}
		free(s);
		s = t;
	}
	return s;
}

/* the action for one device whose state has been read */
static int step_decide(struct iommuctl_vfio *v, struct vstep *st,
		       const char *group_peer)
{
	struct iommuctl_device *d =
		iommuctl_device_get_by_name(v->ctx, st->device);
	bool allowed = st->requested || strv_contains(&v->allow, st->device);
	char *t = NULL;
	int rc;

	set_str(&st->target, strdup(VFIO_DRIVER));
	if (d && iommuctl_device_is_bridge(d)) {
		set_str(&st->target, st->driver ? strdup(st->driver) : NULL);
		if (st->requested && strv_contains(&v->want, st->device)) {
			st->action = IOMMUCTL_VFIO_REFUSE;
			rc = asprintf(
				&t,
				"%s is a bridge: bridges stay on their driver; name the devices behind it",
				st->device);
		} else {
			st->action = IOMMUCTL_VFIO_BRIDGE;
			rc = asprintf(&t, "bridge, stays on %s",
				      st->driver ? st->driver : "no driver");
		}
		goto out;
	}
	if (is_vfio_driver(st->driver)) {
		st->action = IOMMUCTL_VFIO_KEEP;
		set_str(&st->target, strdup(st->driver));
		rc = asprintf(&t, "already on %s", st->driver);
		goto out;
	}
	if (!st->requested && st->driver && !strcmp(st->driver, "pci-stub")) {
		st->action = IOMMUCTL_VFIO_KEEP;
		set_str(&st->target, strdup(st->driver));
		rc = asprintf(&t,
			      "group member on pci-stub, which does no DMA");
		goto out;
	}
	if (st->group < 0) {
		const char *reason = d ? iommuctl_device_no_group_reason(d) :
					 NULL;

		if (reason && strstr(reason, "when a driver binds")) {
			rc = asprintf(
				&t,
				"no IOMMU group yet (it forms when vfio-pci binds); its group is checked after binding");
		} else {
			st->action = IOMMUCTL_VFIO_REFUSE;
			rc = asprintf(
				&t,
				"%s has no IOMMU group (%s): vfio-pci cannot use it",
				st->device, reason ? reason : "unknown");
			goto out;
		}
	}
	if (!allowed && st->driver) {
		st->action = IOMMUCTL_VFIO_REFUSE;
		free(t);
		rc = asprintf(
			&t,
			"%s is in IOMMU group %d with %s and bound to %s: the group can only be assigned whole; take it too with --allow-member %s, or the whole group with --group",
			st->device, st->group, group_peer, st->driver,
			st->device);
		goto out;
	}
	st->action = IOMMUCTL_VFIO_BIND;
	if (!t) {
		if (st->requested)
			rc = asprintf(&t, "%s%s",
				      st->driver ? "from " : "unbound",
				      st->driver ? st->driver : "");
		else if (st->driver)
			rc = asprintf(&t, "group member, allowed, from %s",
				      st->driver);
		else
			rc = asprintf(
				&t,
				"unbound group member: bound too, so that no host driver can claim it");
		if (rc < 0)
			return -ENOMEM;
	}
	/* how the host uses it */
	iommuctl_uses_free(st->uses, st->nuses);
	st->uses = NULL;
	st->nuses = 0;
	rc = d ? iommuctl_device_get_uses(d, &st->uses, &st->nuses) : 0;
	if (rc == -EOPNOTSUPP) {
		char *n2 = NULL;

		if (asprintf(&n2, "%s; host use not checked (offline)", t) >= 0)
			set_str(&t, n2);
		rc = 0;
	} else if (rc < 0) {
		why_add(v, "cannot tell how the host uses %s: %s", st->device,
			strerror(-rc));
		free(t);
		return rc;
	}
	if (st->nuses) {
		char *u = uses_text(st->uses, st->nuses);

		if (!u) {
			free(t);
			return -ENOMEM;
		}
		if (v->flags & IOMMUCTL_VFIO_FORCE) {
			st->forced = true;
			free(t);
			rc = asprintf(
				&t, "FORCED although the host uses it: %s", u);
		} else {
			st->action = IOMMUCTL_VFIO_REFUSE;
			free(t);
			rc = asprintf(
				&t,
				"%s is in use by the host: %s; --force takes it anyway",
				st->device, u);
		}
		free(u);
	}
out:
	if (rc < 0)
		return -ENOMEM;
	if (st->action == IOMMUCTL_VFIO_REFUSE) {
		set_str(&st->refusal, t);
		set_str(&st->note, NULL);
	} else {
		set_str(&st->note, t);
		set_str(&st->refusal, NULL);
	}
	return 0;
}

static int step_cmp(const void *a, const void *b)
{
	const struct vstep *x = a, *y = b;

	return pci_name_cmp(x->device, y->device);
}

static int plan_compute(struct iommuctl_vfio *v)
{
	size_t i, j, nrefused = 0;
	int rc;

	steps_clear(v);
	if (v->want_mdev.n) {
		why_add(v,
			"%s is an mdev: it is not bound to vfio-pci (its parent's driver provides it and its VFIO cdev); use it by its cdev, or remove it with 'iommuctl vfio restore' if iommuctl made it",
			v->want_mdev.v[0]);
		return -EINVAL;
	}
	for (i = 0; i < v->want.n; i++) {
		struct vstep *st = step_add(v, v->want.v[i]);

		if (!st)
			return -ENOMEM;
		st->requested = true;
	}
	/* whole groups asked for */
	for (i = 0; i < v->want_groups.n; i++) {
		struct strv m = { 0 };

		rc = group_members(v->ctx, atoi(v->want_groups.v[i]), &m);
		if (rc) {
			why_add(v, "cannot list IOMMU group %s: %s",
				v->want_groups.v[i], strerror(-rc));
			return rc;
		}
		for (j = 0; j < m.n; j++) {
			struct vstep *st = step_add(v, m.v[j]);

			if (!st) {
				strv_free(&m);
				return -ENOMEM;
			}
			st->requested = true;
		}
		strv_free(&m);
	}
	if (!v->nsteps) {
		why_add(v, "no device asked for");
		return -EINVAL;
	}
	/* widen to whole groups (steps grow while we walk them) */
	for (i = 0; i < v->nsteps; i++) {
		struct strv m = { 0 };
		int group;

		rc = step_read_state(v, &v->steps[i]);
		if (rc)
			return rc;
		group = v->steps[i].group;
		if (group < 0)
			continue;
		rc = group_members(v->ctx, group, &m);
		if (rc) {
			why_add(v, "cannot list IOMMU group %d: %s", group,
				strerror(-rc));
			return rc;
		}
		for (j = 0; j < m.n; j++) {
			struct vstep *st;

			if (step_find(v, m.v[j]))
				continue;
			st = step_add(v, m.v[j]);
			if (!st) {
				strv_free(&m);
				return -ENOMEM;
			}
			/* a member: taken from a host driver only when allowed */
			st->requested =
				(v->flags & IOMMUCTL_VFIO_WHOLE_GROUP) != 0;
		}
		strv_free(&m);
	}
	for (i = 0; i < v->nsteps; i++) {
		struct vstep *st = &v->steps[i];
		const char *peer = NULL;

		/* name a requested device of the same group */
		for (j = 0; j < v->nsteps && !peer; j++)
			if (v->steps[j].requested &&
			    v->steps[j].group == st->group)
				peer = v->steps[j].device;
		rc = step_decide(v, st, peer ? peer : "the devices asked for");
		if (rc)
			return rc;
	}
	qsort(v->steps, v->nsteps, sizeof(*v->steps), step_cmp);
	for (i = 0; i < v->nsteps; i++)
		if (v->steps[i].action == IOMMUCTL_VFIO_REFUSE) {
			if (!nrefused)
				why_add(v, "%s", v->steps[i].refusal);
			nrefused++;
		}
	if (nrefused > 1)
		why_add(v, "and %zu more refusals", nrefused - 1);
	if (!nrefused) {
		for (i = 0; i < v->nsteps; i++)
			if (v->steps[i].action == IOMMUCTL_VFIO_BIND)
				break;
		if (i < v->nsteps && !v->ctx->offline &&
		    sysfs_is_dir(v->ctx, "/sys/bus/pci/drivers/" VFIO_DRIVER) <=
			    0) {
			why_add(v,
				"the vfio-pci driver is not loaded: modprobe vfio-pci (CONFIG_VFIO_PCI)");
			return -ENODEV;
		}
	}
	return nrefused ? -EPERM : 0;
}

IOMMUCTL_EXPORT int iommuctl_vfio_plan(struct iommuctl_vfio *v)
{
	if (!v)
		return -EINVAL;
	why_clear(v);
	return plan_compute(v);
}

IOMMUCTL_EXPORT size_t iommuctl_vfio_get_steps(
	struct iommuctl_vfio *v, const struct iommuctl_vfio_step **steps)
{
	struct iommuctl_vfio_step *p;

	*steps = NULL;
	if (!v || !v->nsteps)
		return 0;
	p = realloc(v->pub, v->nsteps * sizeof(*p));
	if (!p)
		return 0;
	v->pub = p;
	for (size_t i = 0; i < v->nsteps; i++) {
		struct vstep *st = &v->steps[i];

		p[i] = (struct iommuctl_vfio_step){
			.device = st->device,
			.group = st->group,
			.driver = st->driver,
			.driver_override = st->override,
			.target = st->target,
			.action = st->action,
			.requested = st->requested,
			.forced = st->forced,
			.note = st->note,
			.refusal = st->refusal,
			.uses = st->uses,
			.nuses = st->nuses,
			.cdev = st->cdev,
			.done = st->done,
		};
	}
	*steps = p;
	return v->nsteps;
}

/* ---- applying ---- */

/* Waits until @bdf's VFIO cdev node exists in /dev (devtmpfs or udev makes
 * it), watching /dev with inotify. *@cdev NULL: the kernel makes no cdev
 * (CONFIG_VFIO_DEVICE_CDEV off), only the group interface. */
static int wait_cdev(struct iommuctl_vfio *v, const char *bdf, char **cdev)
{
	static const char *const dirs[] = { "/dev/vfio/devices", "/dev/vfio",
					    "/dev" };
	long long deadline = now_ms() + v->timeout_ms;
	int ifd = -1, rc = -ETIMEDOUT;
	char *name = NULL;

	*cdev = NULL;
	for (;;) {
		char *p, *devnum = NULL, node[64];
		unsigned int maj, min;
		struct stat st;
		struct pollfd pfd;
		long long left;

		if (!name)
			name = read_cdev(v->ctx, bdf);
		if (name) {
			p = path_fmt("/sys/bus/pci/devices/%s/vfio-dev/%s/dev",
				     bdf, name);
			if (!p) {
				rc = -ENOMEM;
				break;
			}
			if (sysfs_read_str(v->ctx, p, &devnum) == -ENOENT) {
				free(p);
				rc = 0; /* no cdev on this kernel */
				break;
			}
			free(p);
			snprintf(node, sizeof(node), "/dev/vfio/devices/%s",
				 name);
			if (devnum &&
			    sscanf(devnum, "%u:%u", &maj, &min) == 2 &&
			    stat(node, &st) == 0 && S_ISCHR(st.st_mode) &&
			    st.st_rdev == makedev(maj, min)) {
				free(devnum);
				*cdev = name;
				name = NULL;
				rc = 0;
				break;
			}
			free(devnum);
		}
		left = deadline - now_ms();
		if (left <= 0)
			break;
		if (ifd < 0)
			ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
		if (ifd >= 0) {
			char buf[4096];

			for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]);
			     i++)
				if (inotify_add_watch(ifd, dirs[i],
						      IN_CREATE | IN_ATTRIB |
							      IN_MOVED_TO) >= 0)
					break;
			pfd = (struct pollfd){ .fd = ifd, .events = POLLIN };
			poll(&pfd, 1, left < 100 ? (int)left : 100);
			while (read(ifd, buf, sizeof(buf)) > 0)
				;
		} else {
			usleep(20 * 1000);
		}
	}
	if (ifd >= 0)
		close(ifd);
	if (rc == -ETIMEDOUT)
		why_add(v,
			"%s is on vfio-pci but %s did not appear within %u ms (is devtmpfs mounted on /dev, or udev running?)",
			bdf,
			name ? name : "its VFIO cdev (/dev/vfio/devices/vfioN)",
			v->timeout_ms);
	free(name);
	return rc;
}

/* Puts one device back as its journal entry says; removes the entry. */
static int restore_one(struct iommuctl_vfio *v, struct vstep *st,
		       const struct vfio_jentry *e, bool check_users)
{
	char *cur = NULL, *ov = NULL, *p;
	int rc;

	rc = read_driver(v->ctx, st->device, &cur);
	if (!rc)
		rc = read_override(v->ctx, st->device, &ov);
	if (rc)
		goto out;
	if (check_users && is_vfio_driver(cur)) {
		struct iommuctl_device *d =
			iommuctl_device_get_by_name(v->ctx, st->device);
		size_t keep = 0;

		iommuctl_uses_free(st->uses, st->nuses);
		st->uses = NULL;
		st->nuses = 0;
		rc = d ? iommuctl_device_get_uses(d, &st->uses, &st->nuses) : 0;
		if (rc < 0 && rc != -EOPNOTSUPP)
			goto out;
		rc = 0;
		for (size_t i = 0; i < st->nuses; i++)
			if (st->uses[i].kind == IOMMUCTL_USE_OPEN)
				st->uses[keep++] = st->uses[i];
			else {
				free(st->uses[i].device);
				free(st->uses[i].object);
				free(st->uses[i].detail);
			}
		st->nuses = keep;
		if (keep) {
			char *u = uses_text(st->uses, st->nuses);

			if (v->flags & IOMMUCTL_VFIO_FORCE) {
				st->forced = true;
			} else {
				st->action = IOMMUCTL_VFIO_REFUSE;
				if (asprintf(
					    &st->refusal,
					    "%s is still in use: %s; stop it first, or --force (unbinding waits until the VFIO files are closed)",
					    st->device, u ? u : "?") < 0)
					st->refusal = NULL;
				why_add(v, "%s",
					st->refusal ? st->refusal : "");
				free(u);
				rc = -EPERM;
				goto out;
			}
			free(u);
		}
	}
	if (v->flags & IOMMUCTL_VFIO_DRY_RUN)
		goto out; /* checked: nothing is written */
	/* away from whatever it is on now, unless that is the original */
	if (cur && !streq0(cur, e->driver)) {
		rc = dev_attr_write(v->ctx, st->device, "driver/unbind",
				    st->device);
		if (rc) {
			why_add(v, "cannot unbind %s from %s: %s", st->device,
				cur, strerror(-rc));
			goto out;
		}
		progress(v, st->device, "unbind", cur);
		set_str(&cur, NULL);
	}
	/* driver_override: only what we wrote, and only if it still holds it */
	if (e->set_override) {
		if (streq0(ov, VFIO_DRIVER)) {
			rc = dev_attr_write(v->ctx, st->device,
					    "driver_override",
					    e->override ? e->override : "\n");
			if (rc) {
				why_add(v,
					"cannot reset driver_override of %s: %s",
					st->device, strerror(-rc));
				goto out;
			}
			progress(v, st->device, "override",
				 e->override ? e->override : "(cleared)");
		} else {
			set_str(&st->note, NULL);
			if (asprintf(
				    &st->note,
				    "driver_override was changed by someone else since (now %s): left alone",
				    ov ? ov : "(null)") < 0)
				st->note = NULL;
		}
	}
	if (e->driver && !cur) {
		rc = attr_write(v->ctx, "/sys/bus/pci/drivers_probe",
				st->device);
		if (rc && rc != -ENODEV)
			dbg(v->ctx, "drivers_probe %s: %s\n", st->device,
			    strerror(-rc));
		rc = read_driver(v->ctx, st->device, &cur);
		if (rc)
			goto out;
		if (!cur) {
			p = path_fmt("/sys/bus/pci/drivers/%s/bind", e->driver);
			if (!p) {
				rc = -ENOMEM;
				goto out;
			}
			rc = attr_write(v->ctx, p, st->device);
			free(p);
			if (rc)
				dbg(v->ctx, "bind %s to %s: %s\n", st->device,
				    e->driver, strerror(-rc));
			rc = read_driver(v->ctx, st->device, &cur);
			if (rc)
				goto out;
		}
		if (!streq0(cur, e->driver)) {
			why_add(v,
				"%s did not go back to %s: it is on %s now (see the kernel log); the journal entry is kept",
				st->device, e->driver, cur ? cur : "no driver");
			rc = -EIO;
			goto out;
		}
		progress(v, st->device, "probe", cur);
	}
	rc = journal_remove(v, st->device);
	if (rc) {
		why_add(v, "cannot remove the journal entry of %s: %s",
			st->device, strerror(-rc));
		goto out;
	}
	st->done = true;
	if (!st->note && asprintf(&st->note, "%s, as before iommuctl",
				  e->driver ? "back on its driver" :
					      "left without driver") < 0)
		st->note = NULL;
	progress(v, st->device, "restore", e->driver ? e->driver : "no driver");
out:
	free(cur);
	free(ov);
	return rc;
}

/* Puts back, in reverse order, every device this call changed. */
static void rollback(struct iommuctl_vfio *v)
{
	for (size_t i = v->nsteps; i-- > 0;) {
		struct vstep *st = &v->steps[i];
		struct vfio_jentry e;
		int rc;

		if (!st->changed && !st->journaled)
			continue;
		if (journal_read(v, st->device, &e) != 1)
			continue;
		if (!st->changed) {
			/* journaled, untouched: just drop the entry */
			journal_remove(v, st->device);
		} else {
			progress(v, st->device, "rollback",
				 e.driver ? e.driver : "no driver");
			rc = restore_one(v, st, &e, false);
			if (rc)
				why_add(v,
					"rolling back %s failed too: iommuctl vfio restore %s",
					st->device, st->device);
			else
				st->changed = false;
		}
		st->done = false;
		jentry_free(&e);
	}
}

static int bind_one(struct iommuctl_vfio *v, struct vstep *st)
{
	int rc;
	char *drv = NULL;

	if (!streq0(st->override, VFIO_DRIVER)) {
		rc = dev_attr_write(v->ctx, st->device, "driver_override",
				    VFIO_DRIVER);
		if (rc) {
			why_add(v, "cannot write driver_override of %s: %s",
				st->device, strerror(-rc));
			return rc;
		}
		st->changed = true;
		progress(v, st->device, "override", VFIO_DRIVER);
		journal_state(v, st->device, "override");
	}
	if (st->driver) {
		rc = dev_attr_write(v->ctx, st->device, "driver/unbind",
				    st->device);
		if (rc) {
			why_add(v, "cannot unbind %s from %s: %s", st->device,
				st->driver, strerror(-rc));
			return rc;
		}
		st->changed = true;
		journal_state(v, st->device, "unbound");
		progress(v, st->device, "unbind", st->driver);
	}
	rc = attr_write(v->ctx, "/sys/bus/pci/drivers_probe", st->device);
	st->changed = true;
	if (rc)
		dbg(v->ctx, "drivers_probe %s: %s\n", st->device,
		    strerror(-rc));
	rc = read_driver(v->ctx, st->device, &drv);
	if (rc)
		return rc;
	if (!is_vfio_driver(drv)) {
		why_add(v,
			"vfio-pci did not take %s (it is on %s now); the kernel log says why (dmesg | grep vfio)",
			st->device, drv ? drv : "no driver");
		free(drv);
		return -EIO;
	}
	progress(v, st->device, "probe", drv);
	free(drv);
	rc = wait_cdev(v, st->device, &st->cdev);
	if (rc)
		return rc;
	progress(v, st->device, "cdev", st->cdev ? st->cdev : "(none)");
	journal_state(v, st->device, "bound");
	st->done = true;
	return 0;
}

/* After binding: groups that only formed now must hold nothing else on a
 * host driver. */
static int check_groups(struct iommuctl_vfio *v)
{
	for (size_t i = 0; i < v->nsteps; i++) {
		struct vstep *st = &v->steps[i];
		struct strv m = { 0 };
		int group;

		if (st->action != IOMMUCTL_VFIO_BIND || st->group >= 0)
			continue;
		group = read_group(v->ctx, st->device);
		st->group = group;
		if (group < 0 || group_members(v->ctx, group, &m))
			continue;
		for (size_t j = 0; j < m.n; j++) {
			char *drv = NULL;

			if (step_find(v, m.v[j]) ||
			    read_driver(v->ctx, m.v[j], &drv) || !drv ||
			    is_vfio_driver(drv) || !strcmp(drv, "pci-stub") ||
			    !strcmp(drv, "pcieport")) {
				free(drv);
				continue;
			}
			why_add(v,
				"%s joined IOMMU group %d, which also holds %s on %s: take it too with --allow-member %s, or use --group",
				st->device, group, m.v[j], drv, m.v[j]);
			free(drv);
			strv_free(&m);
			return -EPERM;
		}
		strv_free(&m);
	}
	return 0;
}

static int live_check(struct iommuctl_vfio *v)
{
	if (v->ctx->offline) {
		why_add(v, "cannot change drivers of a captured tree (--root)");
		return -EOPNOTSUPP;
	}
	if (sysfs_access(v->ctx, "/sys/bus/pci/drivers_probe", W_OK) < 0) {
		why_add(v,
			"changing drivers needs root (cannot write /sys/bus/pci/drivers_probe)");
		return -EACCES;
	}
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_vfio_apply(struct iommuctl_vfio *v)
{
	size_t i;
	int rc;

	if (!v)
		return -EINVAL;
	why_clear(v);
	rc = live_check(v);
	if (rc)
		return rc;
	rc = run_dir_open(v, true);
	if (rc)
		return rc;
	rc = lock_take(v);
	if (rc)
		goto out;
	/* plan again under the lock: someone may have changed things */
	iommuctl_refresh(v->ctx);
	rc = plan_compute(v);
	if (rc)
		goto out;
	/* journal every device before changing any */
	for (i = 0; i < v->nsteps; i++) {
		struct vstep *st = &v->steps[i];
		struct vfio_jentry e = { 0 };

		if (st->action != IOMMUCTL_VFIO_BIND)
			continue;
		rc = journal_read(v, st->device, &e);
		if (rc < 0)
			goto fail;
		if (rc == 1) {
			/* an earlier run changed it: its entry holds the
			 * original state and stays as it is */
			jentry_free(&e);
			continue;
		}
		e.driver = st->driver;
		e.override = st->override;
		e.set_override = !streq0(st->override, VFIO_DRIVER);
		e.pid = getpid();
		e.time = time(NULL);
		e.state = (char *)"planned";
		rc = journal_write(v, st->device, &e);
		if (rc)
			goto fail;
		st->journaled = true;
		progress(v, st->device, "journal",
			 st->driver ? st->driver : "no driver");
	}
	for (i = 0; i < v->nsteps; i++) {
		if (v->steps[i].action != IOMMUCTL_VFIO_BIND)
			continue;
		rc = bind_one(v, &v->steps[i]);
		if (rc)
			goto fail;
	}
	rc = check_groups(v);
	if (rc)
		goto fail;
	goto out;
fail:
	rollback(v);
out:
	run_dir_close(v);
	iommuctl_refresh(v->ctx);
	return rc;
}

/* ---- SR-IOV virtual functions and mdevs ---- */

/*
 * A PF's VF count ("sriov-BDF") and an mdev iommuctl made ("mdev-UUID")
 * are journaled beside the bindings, in the same directory under the same
 * lock, before anything changes; restore puts the VF count back and
 * removes the mdev, after giving back the devices it bound.
 */

static char *mdev_path(const char *uuid, const char *attr)
{
	return path_fmt("/sys/bus/mdev/devices/%s%s%s", uuid, attr ? "/" : "",
			attr ? attr : "");
}

/* a sysfs attribute as a number; -1 when missing or not a number */
static long read_num(struct iommuctl_ctx *ctx, const char *path)
{
	char *t = NULL, *end;
	long n = -1;

	if (path && sysfs_read_str(ctx, path, &t) == 0 && t) {
		errno = 0;
		n = strtol(t, &end, 10);
		if (end == t || *end || errno || n < 0)
			n = -1;
	}
	free(t);
	return n;
}

static long read_dev_num(struct iommuctl_ctx *ctx, const char *bdf,
			 const char *attr)
{
	char *p = dev_path(bdf, attr);
	long n = read_num(ctx, p);

	free(p);
	return n;
}

/* the VFs of @pf now (virtfnN links), by their PCI addresses */
static int pf_vfs(struct iommuctl_ctx *ctx, const char *pf, struct strv *out)
{
	struct strv l = { 0 };
	char *p = dev_path(pf, NULL);
	int rc = p ? sysfs_list(ctx, p, &l) : -ENOMEM;

	for (size_t i = 0; !rc && i < l.n; i++) {
		char *lp, *name = NULL;

		if (strncmp(l.v[i], "virtfn", 6))
			continue;
		lp = dev_path(pf, l.v[i]);
		if (lp && sysfs_link_basename(ctx, lp, &name) == 0 && name)
			rc = strv_push(out, name) ? -ENOMEM : 0;
		free(name);
		free(lp);
	}
	strv_free(&l);
	free(p);
	strv_sort(out, pci_name_cmp);
	return rc;
}

static bool journal_has(struct iommuctl_vfio *v, const char *name)
{
	return v->jfd >= 0 &&
	       faccessat(v->jfd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

/* A step for a PF or an mdev: @device, @action, @target, @note */
static struct vstep *sub_step(struct iommuctl_vfio *v, const char *device,
			      enum iommuctl_vfio_action action,
			      const char *target)
{
	struct vstep *st = step_add(v, device);

	if (!st)
		return NULL;
	st->requested = true;
	st->action = action;
	free(st->target);
	st->target = target ? strdup(target) : NULL;
	return st;
}

static void __attribute__((format(printf, 3, 4)))
step_refuse(struct iommuctl_vfio *v, struct vstep *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	free(st->refusal);
	if (vasprintf(&st->refusal, fmt, ap) < 0)
		st->refusal = NULL;
	va_end(ap);
	st->action = IOMMUCTL_VFIO_REFUSE;
	why_add(v, "%s", st->refusal ? st->refusal : "refused");
}

static void __attribute__((format(printf, 2, 3)))
step_note(struct vstep *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	free(st->note);
	if (vasprintf(&st->note, fmt, ap) < 0)
		st->note = NULL;
	va_end(ap);
}

/* Opens the run directory and takes the lock (changes only) */
static int sub_begin(struct iommuctl_vfio *v)
{
	int rc = live_check(v);

	if (!rc)
		rc = run_dir_open(v, true);
	if (!rc)
		rc = lock_take(v);
	return rc;
}

/* Sets @pf's VF count to @n: through 0 when it has others (the kernel
 * wants that), putting the old count back on a failure. */
static int numvfs_write(struct iommuctl_vfio *v, const char *pf, long cur,
			long n)
{
	char num[24];
	int rc = 0;

	if (cur > 0 && cur != n)
		rc = dev_attr_write(v->ctx, pf, "sriov_numvfs", "0");
	if (!rc && n > 0 && cur != n) {
		snprintf(num, sizeof(num), "%ld", n);
		rc = dev_attr_write(v->ctx, pf, "sriov_numvfs", num);
		if (rc && cur > 0) {
			snprintf(num, sizeof(num), "%ld", cur);
			dev_attr_write(v->ctx, pf, "sriov_numvfs", num);
		}
	}
	if (rc)
		why_add(v, "%s: the kernel refused sriov_numvfs = %ld: %s%s",
			pf, n, strerror(-rc),
			rc == -ENOMEM || rc == -EIO ?
				" (no room for the VFs' BARs or bus numbers: see dmesg)" :
			rc == -EBUSY ? " (VFs in use)" :
				       "");
	else
		progress(v, pf, "sriov_numvfs", num);
	return rc;
}

/* VFs of @pf that iommuctl bound (they must be given back first), or in
 * use by the host (refused unless IOMMUCTL_VFIO_FORCE) */
static int vfs_check(struct iommuctl_vfio *v, struct vstep *st, bool uses)
{
	struct strv vfs = { 0 };
	int rc = pf_vfs(v->ctx, st->device, &vfs);

	for (size_t i = 0; !rc && i < vfs.n; i++) {
		struct iommuctl_device *d;
		struct iommuctl_use *u = NULL;
		size_t nu = 0;

		if (journal_has(v, vfs.v[i])) {
			step_refuse(
				v, st,
				"VF %s of %s is bound to vfio-pci by iommuctl; give it back first ('iommuctl vfio restore %s')",
				vfs.v[i], st->device, vfs.v[i]);
			rc = -EPERM;
			break;
		}
		d = uses ? iommuctl_device_get_by_name(v->ctx, vfs.v[i]) : NULL;
		if (d && iommuctl_device_get_uses(d, &u, &nu) == 0 && nu) {
			char *t = uses_text(u, nu);

			if (v->flags & IOMMUCTL_VFIO_FORCE) {
				st->forced = true;
			} else {
				step_refuse(
					v, st,
					"VF %s of %s is in use: %s; removing the VFs would take it away (--force to do it anyway)",
					vfs.v[i], st->device, t ? t : "?");
				rc = -EPERM;
			}
			free(t);
		}
		iommuctl_uses_free(u, nu);
	}
	strv_free(&vfs);
	return rc;
}

/* A "KIND-NAME" entry (@kind "sriov" or "mdev"): its comment line, device,
 * kind, then @fields (key=value lines), pid, time and @state */
static int journal_sub(struct iommuctl_vfio *v, const char *kind,
		       const char *name, const char *comment,
		       const char *fields, const char *state)
{
	char jname[96], *text = NULL;
	int len, rc;

	snprintf(jname, sizeof(jname), "%s-%s", kind, name);
	len = asprintf(&text,
		       "# iommuctl vfio journal: %s\ndevice=%s\nkind=%s\n%spid=%ld\ntime=%lld\nstate=%s\n",
		       comment, name, kind, fields, (long)getpid(),
		       (long long)time(NULL), state);
	if (len < 0)
		return -ENOMEM;
	rc = journal_put(v, jname, text, len);
	free(text);
	return rc;
}

static int sriov_journal(struct iommuctl_vfio *v, const char *pf, long numvfs,
			 long autoprobe, const char *state)
{
	char f[64];

	snprintf(f, sizeof(f), "numvfs=%ld\nautoprobe=%ld\n", numvfs,
		 autoprobe);
	return journal_sub(v, "sriov", pf,
			   "the VF count of the PF before iommuctl changed it",
			   f, state);
}

/* 1 and *@e when @name is journaled, 0 not, -errno */
static int journal_get(struct iommuctl_vfio *v, const char *name,
		       struct vfio_jentry *e)
{
	return journal_has(v, name) ? journal_read(v, name, e) : 0;
}

IOMMUCTL_EXPORT int iommuctl_vfio_set_numvfs(struct iommuctl_vfio *v,
					     const char *name, unsigned int n,
					     bool dry_run)
{
	char pf[32], target[32], jname[64];
	struct vfio_jentry e = { 0 };
	struct vstep *st;
	long total, cur, ap;
	bool noprobe;
	int rc;

	if (!v || !name)
		return -EINVAL;
	why_clear(v);
	steps_clear(v);
	rc = normalize(v, name, pf, sizeof(pf));
	if (rc)
		return rc;
	snprintf(target, sizeof(target), "%u VFs", n);
	st = sub_step(v, pf, IOMMUCTL_VFIO_SET_VFS, target);
	if (!st)
		return -ENOMEM;
	step_read_state(v, st);
	total = read_dev_num(v->ctx, pf, "sriov_totalvfs");
	cur = read_dev_num(v->ctx, pf, "sriov_numvfs");
	ap = read_dev_num(v->ctx, pf, "sriov_drivers_autoprobe");
	if (total < 0 || cur < 0) {
		step_refuse(v, st,
			    "%s has no SR-IOV capability (no sriov_totalvfs)",
			    pf);
		return -EOPNOTSUPP;
	}
	if (n > total) {
		step_refuse(v, st, "%s can have at most %ld VFs, not %u", pf,
			    total, n);
		return -EINVAL;
	}
	if (!st->driver && n) {
		step_refuse(
			v, st,
			"%s has no driver: the kernel makes VFs only through the PF's driver (sriov_configure); bind its driver first",
			pf);
		return -EPERM;
	}
	noprobe = (v->flags & IOMMUCTL_VFIO_NO_AUTOPROBE) && ap != 0;

	if (cur == (long)n && !noprobe) {
		st->action = IOMMUCTL_VFIO_KEEP;
		step_note(st, "it has %ld VFs already", cur);
		return 0;
	}
	rc = run_dir_open(v, false);
	if (rc && rc != -ENOENT)
		return rc;
	rc = cur > 0 && cur != (long)n ? vfs_check(v, st, true) : 0;
	if (rc)
		return rc;
	step_note(st, "%ld VFs now%s%s", cur,
		  cur > 0 && cur != (long)n ?
			  "; the kernel removes them first" :
			  "",
		  noprobe ? "; VFs get no driver (sriov_drivers_autoprobe 0)" :
			    "");
	if (dry_run)
		return 0;
	rc = sub_begin(v);
	if (rc)
		return rc;
	/* again under the lock */
	rc = cur > 0 && cur != (long)n ? vfs_check(v, st, false) : 0;
	if (rc)
		return rc;
	snprintf(jname, sizeof(jname), "sriov-%s", pf);
	rc = journal_get(v, jname, &e);
	if (rc < 0)
		return rc;
	if (!rc) {
		rc = sriov_journal(v, pf, cur, ap, "planned");
		if (rc)
			return rc;
		e.numvfs = cur;
		e.autoprobe = (int)ap;
	}
	if (noprobe) {
		rc = dev_attr_write(v->ctx, pf, "sriov_drivers_autoprobe", "0");
		if (rc)
			why_add(v,
				"%s: cannot write sriov_drivers_autoprobe: %s",
				pf, strerror(-rc));
	}
	if (!rc)
		rc = numvfs_write(v, pf, cur, n);
	if (!rc && e.numvfs == (long)n &&
	    read_dev_num(v->ctx, pf, "sriov_drivers_autoprobe") == e.autoprobe)
		rc = journal_remove(v, jname); /* back as it was */
	else if (!rc)
		rc = sriov_journal(v, pf, e.numvfs, e.autoprobe, "set");
	st->done = !rc;
	jentry_free(&e);
	run_dir_close(v);
	iommuctl_refresh(v->ctx);
	return rc;
}

/* Restores the VF count journaled for @pf (the lock is held) */
static int sriov_restore(struct iommuctl_vfio *v, const char *pf)
{
	char jname[64], target[32], num[24];
	struct vfio_jentry e;
	struct vstep *st;
	long cur;
	int rc;

	snprintf(jname, sizeof(jname), "sriov-%s", pf);
	rc = journal_get(v, jname, &e);
	if (rc <= 0)
		return rc;
	snprintf(target, sizeof(target), "%ld VFs", e.numvfs);
	st = sub_step(v, pf, IOMMUCTL_VFIO_RESTORE, target);
	if (!st) {
		rc = -ENOMEM;
		goto out;
	}
	step_read_state(v, st);
	cur = read_dev_num(v->ctx, pf, "sriov_numvfs");
	rc = cur > 0 && cur != e.numvfs ? vfs_check(v, st, false) : 0;
	if (rc)
		goto out;
	if (cur < 0) {
		step_note(st, "%s is gone: nothing to put back", pf);
	} else if (v->flags & IOMMUCTL_VFIO_DRY_RUN) {
		step_note(st, "%ld VFs now, %ld to be put back", cur, e.numvfs);
		goto out;
	} else {
		rc = numvfs_write(v, pf, cur, e.numvfs);
		if (!rc && e.autoprobe >= 0 &&
		    read_dev_num(v->ctx, pf, "sriov_drivers_autoprobe") !=
			    e.autoprobe) {
			snprintf(num, sizeof(num), "%d", e.autoprobe);
			rc = dev_attr_write(v->ctx, pf,
					    "sriov_drivers_autoprobe", num);
		}
		if (!rc)
			step_note(st, "%ld VFs before, %ld now", cur, e.numvfs);
	}
	if (!rc)
		rc = journal_remove(v, jname);
	st->done = !rc;
out:
	jentry_free(&e);
	return rc;
}

static int mdev_journal(struct iommuctl_vfio *v, const char *uuid,
			const char *parent, const char *type, const char *state)
{
	char *f = NULL;
	int rc;

	if (asprintf(&f, "parent=%s\ntype=%s\n", parent, type) < 0)
		return -ENOMEM;
	rc = journal_sub(v, "mdev", uuid,
			 "an mdev iommuctl made (restore removes it)", f, state);
	free(f);
	return rc;
}

/* a random (version 4) UUID */
static int uuid_new(char *out, size_t size)
{
	unsigned char b[16];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t r = fd >= 0 ? read(fd, b, sizeof(b)) : -1;

	if (fd >= 0)
		close(fd);
	if (r != (ssize_t)sizeof(b))
		return -EIO;
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(
		out, size,
		"%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		b[10], b[11], b[12], b[13], b[14], b[15]);
	return 0;
}

static bool plain_name(const char *s)
{
	return *s && strcmp(s, ".") && strcmp(s, "..") && !strchr(s, '/') &&
	       strlen(s) < 128 && journal_value_ok(s);
}

IOMMUCTL_EXPORT int iommuctl_vfio_create_mdev(struct iommuctl_vfio *v,
					      const char *parent,
					      const char *type,
					      const char *uuid_in, bool dry_run,
					      char **uuid_out)
{
	char uuid[40], *tdir = NULL, *p = NULL;
	struct strv types = { 0 };
	struct vstep *st;
	long avail;
	int rc;

	if (!v || !parent || !type)
		return -EINVAL;
	why_clear(v);
	steps_clear(v);
	if (uuid_out)
		*uuid_out = NULL;
	if (uuid_in && !mdev_uuid_ok(uuid_in)) {
		why_add(v,
			"'%s' is not a UUID in lower case (like 83b8f4f2-509f-382f-3c1e-e6bfe0fa1001)",
			uuid_in);
		return -EINVAL;
	}
	if (uuid_in)
		snprintf(uuid, sizeof(uuid), "%s", uuid_in);
	else if (uuid_new(uuid, sizeof(uuid)))
		return -EIO;
	st = sub_step(v, uuid, IOMMUCTL_VFIO_CREATE_MDEV, type);
	if (!st)
		return -ENOMEM;
	if (!plain_name(parent) || !plain_name(type)) {
		step_refuse(v, st, "bad mdev parent or type name");
		return -EINVAL;
	}
	tdir = path_fmt("/sys/class/mdev_bus/%s/mdev_supported_types", parent);
	rc = tdir ? sysfs_list(v->ctx, tdir, &types) : -ENOMEM;
	if (rc) {
		step_refuse(
			v, st,
			"%s is not an mdev parent (no /sys/class/mdev_bus/%s): its driver offers no mediated devices",
			parent, parent);
		rc = -ENOENT;
		goto out;
	}
	if (!strv_contains(&types, type)) {
		char all[512] = "";
		size_t i, o = 0;

		for (i = 0; i < types.n && o < sizeof(all); i++)
			o += snprintf(all + o, sizeof(all) - o, "%s%s",
				      i ? ", " : "", types.v[i]);
		step_refuse(v, st, "%s has no mdev type %s (its types: %s)",
			    parent, type, *all ? all : "none");
		rc = -ENOENT;
		goto out;
	}
	p = path_fmt("%s/%s/available_instances", tdir, type);
	avail = read_num(v->ctx, p);
	step_note(st, "parent %s, %ld more of this type possible", parent,
		  avail);
	if (avail == 0) {
		step_refuse(
			v, st,
			"%s can make no more mdevs of type %s (available_instances 0)",
			parent, type);
		rc = -ENOSPC;
		goto out;
	}
	if (dry_run)
		goto out;
	rc = sub_begin(v);
	if (rc)
		goto out;
	rc = mdev_journal(v, uuid, parent, type, "planned");
	if (rc)
		goto out;
	free(p);
	p = path_fmt("%s/%s/create", tdir, type);
	rc = p ? attr_write(v->ctx, p, uuid) : -ENOMEM;
	if (rc) {
		char jname[64];

		snprintf(jname, sizeof(jname), "mdev-%s", uuid);
		journal_remove(v, jname);
		step_refuse(v, st, "%s refused to make mdev %s of type %s: %s",
			    parent, uuid, type, strerror(-rc));
		goto out;
	}
	progress(v, uuid, "create", type);
	rc = mdev_journal(v, uuid, parent, type, "created");
	st->done = true;
	free(p);
	p = mdev_path(uuid, "vfio-dev");
	{
		struct strv l = { 0 };

		if (p && sysfs_list(v->ctx, p, &l) == 0 && l.n)
			st->cdev = strdup(l.v[0]);
		strv_free(&l);
	}
	if (uuid_out)
		*uuid_out = strdup(uuid);
out:
	strv_free(&types);
	free(tdir);
	free(p);
	run_dir_close(v);
	if (!dry_run)
		iommuctl_refresh(v->ctx);
	return rc;
}

/* Removes the mdev @uuid iommuctl made (the lock is held) */
static int mdev_restore(struct iommuctl_vfio *v, const char *uuid)
{
	char jname[64];
	struct vfio_jentry e;
	struct vstep *st;
	char *p = NULL;
	int rc;

	snprintf(jname, sizeof(jname), "mdev-%s", uuid);
	rc = journal_get(v, jname, &e);
	if (rc < 0)
		return rc;
	st = sub_step(v, uuid,
		      rc ? IOMMUCTL_VFIO_REMOVE_MDEV : IOMMUCTL_VFIO_REFUSE,
		      NULL);
	if (!st) {
		rc = -ENOMEM;
		goto out;
	}
	if (!rc) {
		step_refuse(
			v, st,
			"mdev %s is not in the journal: iommuctl did not make it (remove it with 'echo 1 > /sys/bus/mdev/devices/%s/remove')",
			uuid, uuid);
		return -ENOENT;
	}
	p = mdev_path(uuid, "remove");
	if (!p || sysfs_access(v->ctx, p, F_OK) < 0) {
		step_note(st, "mdev %s of %s is gone already", uuid,
			  e.parent ? e.parent : "?");
		rc = 0;
	} else {
		struct iommuctl_device *d;
		struct iommuctl_use *u = NULL;
		size_t nu = 0, k, open = 0;

		iommuctl_refresh(v->ctx);
		d = iommuctl_device_get_by_name(v->ctx, uuid);
		if (d && iommuctl_device_get_uses(d, &u, &nu) == 0)
			for (k = 0; k < nu; k++)
				open += u[k].kind == IOMMUCTL_USE_OPEN;
		if (open && !(v->flags & IOMMUCTL_VFIO_FORCE)) {
			char *t = uses_text(u, nu);

			step_refuse(
				v, st,
				"mdev %s is still in use: %s; stop it first, or --force (removing waits until its VFIO files are closed)",
				uuid, t ? t : "?");
			free(t);
			iommuctl_uses_free(u, nu);
			rc = -EPERM;
			goto out;
		}
		st->forced = open > 0;
		iommuctl_uses_free(u, nu);
		if (v->flags & IOMMUCTL_VFIO_DRY_RUN) {
			step_note(st, "made by iommuctl on %s, type %s: to be removed",
				  e.parent ? e.parent : "?",
				  e.type ? e.type : "?");
			goto out;
		}
		rc = attr_write(v->ctx, p, "1");
		if (rc)
			why_add(v, "cannot remove mdev %s: %s", uuid,
				strerror(-rc));
		else
			step_note(st, "made by iommuctl on %s, type %s",
				  e.parent ? e.parent : "?",
				  e.type ? e.type : "?");
	}
	if (!rc)
		rc = journal_remove(v, jname);
	st->done = !rc;
out:
	free(p);
	jentry_free(&e);
	return rc;
}

/* The journaled "PREFIX-NAME" entries' NAMEs */
static int journal_subs(struct iommuctl_vfio *v, const char *prefix,
			struct strv *out)
{
	size_t pl = strlen(prefix);
	struct strv l = { 0 };
	struct dirent *de;
	int fd = dup(v->jfd), rc = 0;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (v->jfd < 0)
		return 0;
	if (!d) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		return rc;
	}
	rewinddir(d);
	while (!rc && (de = readdir(d)))
		if (!strncmp(de->d_name, prefix, pl) && de->d_name[pl])
			rc = strv_push(&l, de->d_name + pl) ? -ENOMEM : 0;
	closedir(d);
	strv_sort(&l, pci_name_cmp);
	for (size_t i = 0; !rc && i < l.n; i++)
		rc = strv_push(out, l.v[i]) ? -ENOMEM : 0;
	strv_free(&l);
	return rc;
}

/* After the bindings: the mdevs asked for (or all) are removed, then the
 * VF counts asked for (or all) put back; the first failure */
static int subs_restore(struct iommuctl_vfio *v)
{
	struct strv m = { 0 }, s = { 0 };
	bool all = !v->want.n && !v->want_mdev.n && !v->want_groups.n;
	int rc, first = 0;
	size_t i;

	rc = journal_subs(v, "mdev-", &m);
	if (!rc)
		rc = journal_subs(v, "sriov-", &s);
	for (i = 0; !rc && i < (all ? m.n : v->want_mdev.n); i++) {
		rc = mdev_restore(v, all ? m.v[i] : v->want_mdev.v[i]);
		if (rc && !first)
			first = rc;
		rc = 0;
	}
	for (i = 0; !rc && i < s.n; i++) {
		if (!all && !strv_contains(&v->want, s.v[i]))
			continue;
		rc = sriov_restore(v, s.v[i]);
		if (rc && !first)
			first = rc;
		rc = 0;
	}
	strv_free(&m);
	strv_free(&s);
	return rc ? rc : first;
}

/* ---- restoring and the journal ---- */

static int journal_names(struct iommuctl_vfio *v, struct strv *out)
{
	int rc;

	/* the journal directory was checked by run_dir_open(); list it
	 * through its fd */
	{
		int fd = dup(v->jfd);
		DIR *d;
		struct dirent *de;

		if (fd < 0)
			return -errno;
		d = fdopendir(fd);
		if (!d) {
			rc = -errno;
			close(fd);
			return rc;
		}
		rewinddir(d);
		while ((de = readdir(d))) {
			char bdf[32];

			if (de->d_name[0] == '.' ||
			    iommuctl_parse_bdf(de->d_name, bdf, sizeof(bdf)) ||
			    strcmp(bdf, de->d_name))
				continue;
			if (strv_push(out, de->d_name)) {
				closedir(d);
				return -ENOMEM;
			}
		}
		closedir(d);
	}
	strv_sort(out, pci_name_cmp);
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_vfio_restore(struct iommuctl_vfio *v)
{
	struct strv names = { 0 }, todo = { 0 };
	int rc, first = 0;
	size_t i;

	if (!v)
		return -EINVAL;
	why_clear(v);
	steps_clear(v);
	rc = live_check(v);
	if (rc)
		return rc;
	rc = run_dir_open(v, false);
	if (rc == -ENOENT) {
		rc = 0; /* no journal: nothing iommuctl changed */
		goto nothing;
	}
	if (rc)
		return rc;
	rc = lock_take(v);
	if (rc)
		goto out;
	rc = journal_names(v, &names);
	if (rc)
		goto out;
nothing:
	if (!v->want.n && !v->want_groups.n && !v->want_mdev.n) {
		for (i = 0; i < names.n; i++)
			strv_push(&todo, names.v[i]);
	} else {
		for (i = 0; i < v->want.n; i++)
			strv_push(&todo, v->want.v[i]);
		for (i = 0; i < v->want_groups.n; i++) {
			struct strv m = { 0 };

			group_members(v->ctx, atoi(v->want_groups.v[i]), &m);
			for (size_t j = 0; j < m.n; j++)
				if (strv_contains(&names, m.v[j]) &&
				    !strv_contains(&todo, m.v[j]))
					strv_push(&todo, m.v[j]);
			strv_free(&m);
		}
	}
	for (i = 0; i < todo.n; i++) {
		struct vstep *st = step_add(v, todo.v[i]);
		struct vfio_jentry e;
		char sriov_name[64];

		if (!st) {
			rc = -ENOMEM;
			goto out;
		}
		st->requested = true;
		st->action = IOMMUCTL_VFIO_RESTORE;
		step_read_state(v, st);
		rc = strv_contains(&names, st->device) ?
			     journal_read(v, st->device, &e) :
			     0;
		snprintf(sriov_name, sizeof(sriov_name), "sriov-%s",
			 st->device);
		if (rc == 0 && journal_has(v, sriov_name)) {
			/* only its VF count: subs_restore() below */
			st->action = IOMMUCTL_VFIO_KEEP;
			continue;
		}
		if (rc == 0) {
			st->action = IOMMUCTL_VFIO_REFUSE;
			if (asprintf(
				    &st->refusal,
				    "%s is not in the journal: iommuctl did not change it (or gave it back already)",
				    st->device) < 0)
				st->refusal = NULL;
			why_add(v, "%s", st->refusal ? st->refusal : "");
			if (!first)
				first = -ENOENT;
			continue;
		}
		if (rc < 0) {
			if (!first)
				first = rc;
			continue;
		}
		st->target = e.driver ? strdup(e.driver) : NULL;
		rc = restore_one(v, st, &e, true);
		jentry_free(&e);
		if (rc && !first)
			first = rc;
		if (!rc)
			step_read_state(v, st);
	}
	/* then the mdevs and VF counts (after the VFs' bindings) */
	rc = subs_restore(v);
	if (rc && !first)
		first = rc;
	rc = first;
out:
	strv_free(&names);
	strv_free(&todo);
	run_dir_close(v);
	iommuctl_refresh(v->ctx);
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_vfio_journal(struct iommuctl_ctx *ctx,
					  struct iommuctl_vfio_entry **out,
					  size_t *n)
{
	struct iommuctl_vfio *v;
	struct strv names = { 0 };
	struct iommuctl_vfio_entry *arr = NULL;
	size_t k = 0, nb, nm;
	int rc;

	*out = NULL;
	*n = 0;
	/* a failure's reason is read from the slot: none left from before */
	ctx_error_set(ctx, NULL, NULL);
	rc = iommuctl_vfio_new(ctx, &v);
	if (rc)
		return rc;
	rc = run_dir_open(v, false);
	if (rc == -ENOENT) {
		rc = 0;
		goto out;
	}
	if (rc) /* the reason stays in the context's error slot */
		goto out;
	rc = journal_names(v, &names);
	nb = names.n;
	if (!rc)
		rc = journal_subs(v, "mdev-", &names);
	nm = names.n;
	if (!rc)
		rc = journal_subs(v, "sriov-", &names);
	if (rc)
		goto out;
	arr = calloc(names.n ? names.n : 1, sizeof(*arr));
	if (!arr) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < names.n; i++) {
		struct iommuctl_vfio_entry *x = &arr[k];
		const char *pre = i < nb ? "" : i < nm ? "mdev-" : "sriov-";
		struct vfio_jentry e;
		char jname[96], *p;

		snprintf(jname, sizeof(jname), "%s%s", pre, names.v[i]);
		if (journal_read(v, jname, &e) != 1) {
			err(ctx, "%s\n",
			    iommuctl_vfio_error(v) ?: "bad journal entry");
			why_clear(v);
			continue;
		}
		x->device = strdup(names.v[i]);
		x->driver = e.driver;
		x->driver_override = e.override;
		x->set_override = e.set_override;
		x->pid = e.pid;
		x->time = e.time;
		x->state = e.state;
		x->kind = e.kind;
		x->parent = e.parent;
		x->mdev_type = e.type;
		x->numvfs = x->cur_numvfs = -1;
		if (i >= nb && i < nm) {
			p = mdev_path(names.v[i], NULL);
			x->present = p && sysfs_access(ctx, p, F_OK) == 0;
			free(p);
			p = mdev_path(names.v[i], "driver");
			if (p)
				sysfs_link_basename(ctx, p, &x->cur_driver);
			free(p);
		} else {
			p = dev_path(names.v[i], NULL);
			x->present = p && sysfs_access(ctx, p, F_OK) == 0;
			free(p);
			read_driver(ctx, names.v[i], &x->cur_driver);
		}
		if (i >= nm) {
			x->numvfs = e.numvfs;
			x->cur_numvfs =
				read_dev_num(ctx, names.v[i], "sriov_numvfs");
		}
		if (i < nb && is_vfio_driver(x->cur_driver))
			x->cdev = read_cdev(ctx, names.v[i]);
		k++;
	}
	*out = arr;
	*n = k;
	arr = NULL;
out:
	free(arr);
	strv_free(&names);
	iommuctl_vfio_free(v);
	return rc;
}

IOMMUCTL_EXPORT void iommuctl_vfio_journal_free(struct iommuctl_vfio_entry *e,
						size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].device);
		free(e[i].driver);
		free(e[i].driver_override);
		free(e[i].state);
		free(e[i].cur_driver);
		free(e[i].cdev);
		free(e[i].kind);
		free(e[i].parent);
		free(e[i].mdev_type);
	}
	free(e);
}
