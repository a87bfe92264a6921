// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include "private.h"

/* ---- the error slot -------------------------------------------------- */

/* @msg is taken (NULL clears the slot); @owner is who may read it back. */
void ctx_error_set(struct iommuctl_ctx *ctx, const void *owner, char *msg)
{
	if (!ctx) {
		free(msg);
		return;
	}
	free(ctx->err_msg);
	ctx->err_msg = msg;
	ctx->err_owner = msg ? owner : NULL;
	if (msg)
		dbg(ctx, "%s\n", msg);
}

void ctx_error_vfmt(struct iommuctl_ctx *ctx, const void *owner,
		    const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	ctx_error_set(ctx, owner, msg);
}

void ctx_error_fmt(struct iommuctl_ctx *ctx, const void *owner,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctx_error_vfmt(ctx, owner, fmt, ap);
	va_end(ap);
}

const char *ctx_error_of(struct iommuctl_ctx *ctx, const void *owner)
{
	return ctx && ctx->err_owner == owner ? ctx->err_msg : NULL;
}

char *ctx_error_take(struct iommuctl_ctx *ctx, const void **owner)
{
	char *msg = ctx->err_msg;

	*owner = ctx ? ctx->err_owner : NULL;
	if (!ctx)
		return NULL;
	ctx->err_msg = NULL;
	ctx->err_owner = NULL;
	return msg;
}

void ctx_error_disown(struct iommuctl_ctx *ctx, const void *owner)
{
	if (ctx && ctx->err_owner == owner)
		ctx->err_owner = NULL;
}

IOMMUCTL_EXPORT const char *iommuctl_get_error(struct iommuctl_ctx *ctx)
{
	return ctx ? ctx->err_msg : NULL;
}

IOMMUCTL_EXPORT int iommuctl_new(struct iommuctl_ctx **out)
{
	struct iommuctl_ctx *ctx;
	const char *env;
	int prio;

	if (!out)
		return -EINVAL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->refcount = 1;
	ctx->log_fn = log_stderr;
	ctx->log_priority = LOG_ERR;
	env = getenv("IOMMUCTL_LOG");
	if (env) {
		prio = iommuctl_parse_log_priority(env);
		if (prio >= 0)
			ctx->log_priority = prio;
	}
	ctx->root = strdup("/");
	ctx->rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (!ctx->root || ctx->rootfd < 0) {
		int rc = ctx->root ? -errno : -ENOMEM;

		free(ctx->root);
		free(ctx);
		return rc;
	}
	*out = ctx;
	return 0;
}

IOMMUCTL_EXPORT struct iommuctl_ctx *iommuctl_ref(struct iommuctl_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

IOMMUCTL_EXPORT void iommuctl_unref(struct iommuctl_ctx *ctx)
{
	if (!ctx || --ctx->refcount > 0)
		return;
	device_list_free(ctx);
	iommu_list_free(ctx);
	group_list_free(ctx);
	if (ctx->rootfd >= 0)
		close(ctx->rootfd);
	iommuctl_release_at_exit(ctx);
	free(ctx->root);
	free(ctx->rundir);
	free(ctx->kernel);
	free(ctx->err_msg);
	free(ctx);
}

IOMMUCTL_EXPORT void iommuctl_release_at_exit(struct iommuctl_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->bundle_tmp)
		bundle_remove_tree(ctx, ctx->bundle_tmp);
	free(ctx->bundle_tmp);
	ctx->bundle_tmp = NULL;
}

IOMMUCTL_EXPORT void iommuctl_set_userdata(struct iommuctl_ctx *ctx,
					   void *data)
{
	ctx->userdata = data;
}

IOMMUCTL_EXPORT void *iommuctl_get_userdata(struct iommuctl_ctx *ctx)
{
	return ctx->userdata;
}

/* Whether @name in @dirfd is a directory holding a sys/ directory. */
static bool holds_sys(int dirfd, const char *name)
{
	struct stat st;
	int fd = openat(dirfd, name,
			O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	bool r;

	if (fd < 0)
		return false;
	r = fstatat(fd, "sys", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(st.st_mode);
	close(fd);
	return r;
}

/*
 * A root must be a captured system: sys/ at its top. When it has none, the
 * error names what was expected, and what in the directory looks like one
 * (a bundle file, or a subdirectory with sys/), from its first 4096 entries.
 */
IOMMUCTL_EXPORT int iommuctl_root_check(struct iommuctl_ctx *ctx)
{
	const char *dir = ctx ? ctx->root : NULL;
	char *hint = NULL;
	struct dirent *de;
	struct stat st;
	int n = 0, dfd;
	bool bundle;
	DIR *d;

	if (!ctx)
		return -EINVAL;
	ctx_error_set(ctx, NULL, NULL);
	if (!ctx->offline || holds_sys(ctx->rootfd, "."))
		return 0;
	/* a bundle file: its tree, not the directory it is in */
	bundle = stat(dir, &st) == 0 && S_ISREG(st.st_mode);
	dfd = bundle ? -1 :
		       openat(ctx->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d && dfd >= 0)
		close(dfd);
	while (d && !hint && n++ < 4096 && (de = readdir(d))) {
		size_t len = strlen(de->d_name);
		bool tar = (len > 7 && !strcmp(de->d_name + len - 7, ".tar.gz")) ||
			   (len > 4 && !strcmp(de->d_name + len - 4, ".tgz")) ||
			   (len > 4 && !strcmp(de->d_name + len - 4, ".tar"));

		if (de->d_name[0] == '.')
			continue;
		if (tar || holds_sys(dirfd(d), de->d_name))
			hint = strdup(de->d_name);
	}
	if (d)
		closedir(d);
	if (hint)
		ctx_error_fmt(ctx, ctx,
			   "%s is not a captured system (it has no sys/ directory); %s/%s looks like one: --root %s/%s",
			   dir, dir, hint, dir, hint);
	else
		ctx_error_fmt(ctx, ctx,
			   "%s is not a captured system: %s no sys/ directory. Expected a directory standing for / (sys/ at its top, as 'report' and tests/vm/capture make), or a bundle (.tar or .tar.gz)",
			   dir, bundle ? "the bundle has" : "it has");
	free(hint);
	return -ENOTDIR;
}

/* "--root /" and "--root /." are the live system, not a capture. */
static int same_file_as_slash(int fd)
{
	struct stat a, b;

	if (fstat(fd, &a) < 0 || stat("/", &b) < 0)
		return 0;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

IOMMUCTL_EXPORT int iommuctl_set_root(struct iommuctl_ctx *ctx,
				      const char *dir)
{
	char *copy, *tmp = NULL;
	struct stat st;
	int fd, rc;

	if (!ctx || !dir || !*dir)
		return -EINVAL;
	if (ctx->iommus_init || ctx->groups_init || ctx->devices_init)
		return -EBUSY;
	ctx_error_set(ctx, NULL, NULL);
	fd = open(dir, O_PATH | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) < 0) {
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		rc = -errno;
		dbg(ctx, "cannot open root %s: %s\n", dir, strerror(errno));
		return rc;
	}
	if (S_ISREG(st.st_mode)) {
		/* a bundle: unpacked into a private directory (tar.c) */
		close(fd);
		rc = bundle_open_root(ctx, dir, &tmp, &fd);
		if (rc < 0)
			return rc;
	} else if (!S_ISDIR(st.st_mode)) {
		close(fd);
		ctx_error_fmt(ctx, ctx,
			   "%s is not a directory, tar or tar.gz file: expected a directory standing for / (sys/ at its top) or a bundle",
			   dir);
		return -ENOTDIR;
	}
	copy = strdup(dir);
	if (!copy) {
		close(fd);
		if (tmp)
			bundle_remove_tree(ctx, tmp);
		free(tmp);
		return -ENOMEM;
	}
	close(ctx->rootfd);
	free(ctx->root);
	if (ctx->bundle_tmp)
		bundle_remove_tree(ctx, ctx->bundle_tmp);
	free(ctx->bundle_tmp);
	ctx->bundle_tmp = tmp;
	ctx->rootfd = fd;
	/* the user's name, also for a bundle: messages and status say it */
	ctx->root = copy;
	ctx->offline = !same_file_as_slash(fd);
	dbg(ctx, "root %s (%s)\n", dir, ctx->offline ? "offline" : "live");
	return 0;
}

IOMMUCTL_EXPORT void iommuctl_refresh(struct iommuctl_ctx *ctx)
{
	if (!ctx)
		return;
	device_list_free(ctx);
	iommu_list_free(ctx);
	group_list_free(ctx);
	ctx->devices_init = 0;
	ctx->iommus_init = 0;
	ctx->groups_init = 0;
	ctx->groups_err = 0;
	ctx->explain_done = 0;
	ctx->explain_uncertain = 0;
}

IOMMUCTL_EXPORT int iommuctl_set_run_dir(struct iommuctl_ctx *ctx,
					 const char *dir)
{
	if (!ctx || !dir || dir[0] != '/')
		return -EINVAL;
	return str_set(&ctx->rundir, dir);
}

IOMMUCTL_EXPORT const char *iommuctl_get_run_dir(struct iommuctl_ctx *ctx)
{
	return ctx->rundir ? ctx->rundir : IOMMUCTL_RUN_DIR;
}

IOMMUCTL_EXPORT const char *iommuctl_get_root(struct iommuctl_ctx *ctx)
{
	return ctx->root;
}

IOMMUCTL_EXPORT bool iommuctl_is_offline(struct iommuctl_ctx *ctx)
{
	return ctx->offline;
}

/* The running (or captured) kernel's release: osrelease live, /proc/version
 * in captured trees. Cached. */
IOMMUCTL_EXPORT const char *iommuctl_get_kernel_release(struct iommuctl_ctx *ctx)
{
	char *buf = NULL, *p, *e;

	if (ctx->kernel_done)
		return ctx->kernel;
	ctx->kernel_done = 1;
	if (sysfs_read_str(ctx, "/proc/sys/kernel/osrelease", &ctx->kernel) == 0)
		return ctx->kernel;
	if (sysfs_read_str(ctx, "/proc/version", &buf) < 0) {
		/* (a tree of sysfs alone, without /proc, is not damaged) */
		if (sysfs_is_dir(ctx, "/proc"))
			err(ctx,
			    "cannot read /proc/version: the kernel release is unknown\n");
		return NULL;
	}
	if (!strncmp(buf, "Linux version ", 14)) {
		p = buf + 14;
		for (e = p; *e && *e != ' ' && *e != '\t' && *e != '\n'; e++)
			;
		ctx->kernel = strndup(p, (size_t)(e - p));
	} else {
		err(ctx,
		    "/proc/version: malformed: the kernel release is unknown\n");
	}
	free(buf);
	return ctx->kernel;
}

IOMMUCTL_EXPORT int iommuctl_get_module_param(struct iommuctl_ctx *ctx,
					      const char *module,
					      const char *param, char **value)
{
	char *p;
	int rc;

	if (!ctx || !module || !param || !value || strchr(module, '/') ||
	    strchr(param, '/'))
		return -EINVAL;
	p = path_fmt("/sys/module/%s/parameters/%s", module, param);
	if (!p)
		return -ENOMEM;
	rc = sysfs_read_str(ctx, p, value);
	free(p);
	return rc;
}
