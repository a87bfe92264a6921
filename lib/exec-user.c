// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * The fd broker's user (iommuctl exec --user): the account a command runs
 * as, and becoming it for good once the files it inherits are open.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "private.h"

IOMMUCTL_EXPORT int iommuctl_exec_find_user(const char *user,
					    struct passwd **pw)
{
	unsigned long v;
	char *end;

	errno = 0;
	*pw = user ? getpwnam(user) : NULL;
	if (!*pw && user) {
		v = strtoul(user, &end, 10);
		if (*user && !*end && v < (unsigned long)(uid_t)-1)
			*pw = getpwuid((uid_t)v);
	}
	return *pw ? 0 : -ENOENT;
}

IOMMUCTL_EXPORT int iommuctl_exec_drop_privileges(struct iommuctl_ctx *ctx,
						  const struct passwd *pw)
{
	int rc;

	ctx_error_set(ctx, NULL, NULL);
	if (initgroups(pw->pw_name, pw->pw_gid) < 0) {
		rc = -errno;
		ctx_error_fmt(ctx, ctx, "setting the groups of %s",
			      pw->pw_name);
		return rc;
	}
	if (setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0) {
		rc = -errno;
		ctx_error_fmt(ctx, ctx, "setting gid %u",
			      (unsigned int)pw->pw_gid);
		return rc;
	}
	if (setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0) {
		rc = -errno;
		ctx_error_fmt(ctx, ctx, "setting uid %u",
			      (unsigned int)pw->pw_uid);
		return rc;
	}
	/* there must be no way back */
	if (pw->pw_uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		ctx_error_fmt(
			ctx, ctx,
			"could regain root after dropping it: not running the command");
		return -EPERM;
	}
	return 0;
}
