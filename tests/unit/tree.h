/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * THEORY OF OPERATION: what the unit tests that read a tree on disk share:
 * a private directory made in setup and removed in teardown (tree_top),
 * shell commands to fill it (tree_sh), captured fixtures unpacked into it
 * (tree_extract), a quiet library context rooted in one of its
 * directories (tree_ctx), and a context on a fixture's bundle file
 * (tree_fixture). Include after cmocka.h and private.h.
 */
#ifndef IOMMUCTL_TESTS_TREE_H
#define IOMMUCTL_TESTS_TREE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static char *tree_top; /* the test's directory, from tree_setup() */

static void tree_quiet_log(struct iommuctl_ctx *ctx, int priority,
			   const char *file, int line, const char *fn,
			   const char *format, va_list args)
{
	(void)ctx, (void)priority, (void)file, (void)line, (void)fn;
	(void)format, (void)args;
}

/* run a shell command made from @fmt; it must succeed */
static __attribute__((format(printf, 1, 2), unused)) void
tree_sh(const char *fmt, ...)
{
	va_list ap;
	char *cmd;

	va_start(ap, fmt);
	assert_true(vasprintf(&cmd, fmt, ap) > 0);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* <top>/<fixture>: the fixture's captured root.tar.gz, unpacked (the
 * frozen copy in tests/unit/fixtures/ when there is one: see its README);
 * -1 when that fails (for setup functions) */
static __attribute__((unused)) int tree_extract(const char *fixture)
{
	char *cmd;
	int rc;

	if (asprintf(
		    &cmd,
		    "mkdir -p '%s/%s' && f='%s/tests/unit/fixtures/%s/root.tar.gz' && "
		    "{ [ -f \"$f\" ] || f='%s/tests/fixtures/%s/root.tar.gz'; } && "
		    "tar xzf \"$f\" -C '%s/%s'",
		    tree_top, fixture, IOMMUCTL_SRCDIR, fixture, IOMMUCTL_SRCDIR,
		    fixture, tree_top, fixture) < 0)
		return -1;
	rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

/* a quiet context reading @dir */
static __attribute__((unused)) struct iommuctl_ctx *tree_ctx(const char *dir)
{
	struct iommuctl_ctx *ctx;

	assert_int_equal(iommuctl_new(&ctx), 0);
	iommuctl_set_log_fn(ctx, tree_quiet_log);
	assert_int_equal(iommuctl_set_root(ctx, dir), 0);
	return ctx;
}

/* a context reading the captured fixture @name's root.tar.gz in place */
static __attribute__((unused)) struct iommuctl_ctx *
tree_fixture(const char *name)
{
	struct iommuctl_ctx *ctx;
	char root[4096];

	snprintf(root, sizeof(root), "%s/tests/fixtures/%s/root.tar.gz",
		 IOMMUCTL_SRCDIR, name);
	assert_int_equal(iommuctl_new(&ctx), 0);
	assert_int_equal(iommuctl_set_root(ctx, root), 0);
	return ctx;
}

/* setup: a fresh directory named after @tmpl ("/tmp/NAME-XXXXXX") */
static __attribute__((unused)) int tree_setup(char *tmpl)
{
	tree_top = mkdtemp(tmpl);
	return tree_top ? 0 : -1;
}

static __attribute__((unused)) int tree_teardown(void **state)
{
	char *cmd;

	(void)state;
	if (tree_top && asprintf(&cmd, "rm -rf '%s'", tree_top) > 0) {
		if (system(cmd) != 0)
			fprintf(stderr, "cleanup of %s failed\n", tree_top);
		free(cmd);
	}
	return 0;
}

#endif
