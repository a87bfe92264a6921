// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: exec --user (lib/exec-user.c) finds the account by
 * name or by decimal uid, and becomes it for good: groups, gid, uid, and
 * no way back to root. The lookup is checked on the accounts every system
 * has (root, nobody); the drop runs in a child: as root it must end with
 * nobody's ids and no way back, otherwise initgroups() refuses and the
 * error slot says which step failed.
 */
#include <errno.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "private.h"

static void test_find_user(void **state)
{
	struct passwd *pw;

	(void)state;
	assert_int_equal(iommuctl_exec_find_user("root", &pw), 0);
	assert_int_equal(pw->pw_uid, 0);
	assert_int_equal(iommuctl_exec_find_user("0", &pw), 0);
	assert_string_equal(pw->pw_name, "root");
	assert_int_equal(iommuctl_exec_find_user("no-such-user-iommuctl", &pw),
			 -ENOENT);
	assert_null(pw);
	assert_int_equal(iommuctl_exec_find_user("", &pw), -ENOENT);
	assert_int_equal(iommuctl_exec_find_user("0x0", &pw), -ENOENT);
	assert_int_equal(iommuctl_exec_find_user(NULL, &pw), -ENOENT);
}

/* in a child: 0 when the drop did what it must */
static int drop_child(void)
{
	struct iommuctl_ctx *ctx;
	struct passwd *pw;
	const char *why;
	uid_t uid;
	int rc;

	if (iommuctl_new(&ctx) < 0 ||
	    iommuctl_exec_find_user("nobody", &pw) < 0)
		return 10;
	uid = pw->pw_uid;
	rc = iommuctl_exec_drop_privileges(ctx, pw);
	why = iommuctl_get_error(ctx);
	if (geteuid() == uid && getuid() == uid)
		return rc == 0 && !why && setuid(0) < 0 ? 0 : 11;
	/* not root to start with: the groups are refused first */
	return rc == -EPERM && why &&
			       !strncmp(why, "setting the groups of", 21) ?
		       0 :
		       12;
}

static void test_drop(void **state)
{
	pid_t pid;
	int st;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(drop_child());
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_user),
		cmocka_unit_test(test_drop),
	};

	return cmocka_run_group_tests_name("exec-user", tests, NULL, NULL);
}
