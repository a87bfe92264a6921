// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl: global options, the library context, and one command line. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "builtin.h"

#ifndef IOMMUCTL_VERSION
#define IOMMUCTL_VERSION "unknown"
#endif

static void log_to_stderr(struct iommuctl_ctx *ctx UNUSED, int priority,
			  const char *file UNUSED, int line UNUSED,
			  const char *fn,
			  const char *format, va_list args)
{
	fprintf(stderr, "iommuctl: %s%s", priority >= LOG_DEBUG ? fn : "",
		priority >= LOG_DEBUG ? ": " : "");
	vfprintf(stderr, format, args);
}

static int want_color(const char *when)
{
	const char *term = getenv("TERM");

	if (!strcmp(when, "always"))
		return 1;
	if (!strcmp(when, "never"))
		return 0;
	if (strcmp(when, "auto"))
		return -1;
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		return 0;
	return isatty(STDOUT_FILENO) && term && strcmp(term, "dumb");
}

/* A failed write to stdout (full disk, closed pipe) must not exit 0. */
static int close_stdout(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			return rc;
		fprintf(stderr, "iommuctl: write error: %s\n", strerror(errno));
		return rc ? rc : EXIT_FAILED;
	}
	return rc;
}

/* Sets up the context, as the global options say; 0 or -errno (recorded). */
static int setup(struct cmdctx *c, const struct global_args *g)
{
	int rc = want_color(g->color ? g->color : "auto");

	if (rc < 0)
		return cmd_usage(c, "--color: '%s' is not auto, always or never",
				 g->color);
	c->color = rc && !c->json;
	rc = iommuctl_new(&c->ctx);
	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, rc, "creating library context");
	iommuctl_set_log_fn(c->ctx, log_to_stderr);
	if (g->verbose)
		iommuctl_set_log_priority(c->ctx,
					  g->verbose > 1 ? LOG_DEBUG : LOG_INFO);
	if (getenv("IOMMUCTL_RUN_DIR") &&
	    iommuctl_set_run_dir(c->ctx, getenv("IOMMUCTL_RUN_DIR")) < 0)
		return cmd_fail(c, EXIT_USAGE, EINVAL,
				"IOMMUCTL_RUN_DIR must be an absolute path");
	rc = g->root ? iommuctl_set_root(c->ctx, g->root) : 0;
	if (!rc && g->root)
		rc = iommuctl_root_check(c->ctx);
	if (rc == -ENOTDIR) /* not a captured system: the library says why */
		return cmd_fail_on(c, "--root", EXIT_USAGE, ENOTDIR, "%s",
				   iommuctl_get_error(c->ctx) ?: strerror(-rc));
	return rc < 0 ? cmd_fail(c, EXIT_FAILED, rc, "--root %s", g->root) : 0;
}

/*
 * One command, then the exit: its result and the library context are left
 * to the exit to free (git's rule), which costs nothing, where freeing
 * them one by one was a fifth of 'group list's user time on a large host.
 * Sanitizer builds free them, so that their leak check sees every
 * allocation; batch and shell free each command's result as they go.
 */
#if defined(__SANITIZE_ADDRESS__)
#define FREE_AT_EXIT true
#else
#define FREE_AT_EXIT false
#endif

/* The whole command line, argv[0] first: what main() runs, and what
 * report runs in a forked child for each command it records. */
int cmd_main(int argc, char **argv)
{
	struct global_args g = { 0 };
	struct cmdctx c = { 0 };
	char **words;
	const struct object *const *obj;
	int rc, n = 0;

	words = calloc((size_t)argc + 1, sizeof(*words));
	if (!words)
		return EXIT_FAILED;
	rc = verb_parse(&c, NULL, &global_verb, argc - 1, argv + 1, &g, words,
			&n);
	if (rc == 0 && g.complete) {
		rc = complete_main(n, words);
		free(words);
		return close_stdout(rc);
	}
	if (rc == 0 && g.version)
		printf("iommuctl %s\n", IOMMUCTL_VERSION);
	for (obj = iommuctl_objects; rc == 0 && g.list_cmds && *obj; obj++)
		printf("%s\n", (*obj)->name);
	if (rc > 0 || (rc == 0 && (g.version || g.list_cmds))) {
		free(words);
		return close_stdout(EXIT_OK);
	}
	if (rc == 0 && n < 1) {
		usage(stderr);
		free(words);
		return EXIT_USAGE;
	}
	if (rc == 0 && object_find(words[0]))
		rc = setup(&c, &g);
	c.leave_out = !FREE_AT_EXIT;
	if (rc == 0) /* an unknown object word is reported there too */
		rc = run_command(&c, n, words);
	else
		rc = cmd_finish(&c, rc);
	if (c.sess)
		iommuctl_session_close(c.sess);
	if (FREE_AT_EXIT)
		iommuctl_unref(c.ctx);
	else
		iommuctl_release_at_exit(c.ctx);
	free(words);
	return close_stdout(rc);
}
