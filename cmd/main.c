// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl: global options and the object table. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "builtin.h"

#ifndef IOMMUCTL_VERSION
#define IOMMUCTL_VERSION "unknown"
#endif



static void log_to_stderr(struct iommuctl_ctx *ctx, int priority,
			  const char *file, int line, const char *fn,
			  const char *format, va_list args)
{
	(void)ctx;
	(void)file;
	(void)line;
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

int main(int argc, char **argv)
{
	enum { OPT_ROOT = 0x100, OPT_COLOR, OPT_VERSION, OPT_LIST_CMDS };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "colour", required_argument, NULL, OPT_COLOR },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "list-cmds", no_argument, NULL, OPT_LIST_CMDS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmdctx c = { 0 };
	const char *root = NULL, *color = "auto";
	const struct object *const *obj;
	int ch, rc;

	signal(SIGPIPE, SIG_IGN);
	opterr = 0;
	{
		/* global options end at the object word */
		int n = 1;
		const char *bad;

		while (n < argc && argv[n][0] == '-') {
			if (!strcmp(argv[n], "--root") || !strcmp(argv[n], "--color") ||
			    !strcmp(argv[n], "--colour"))
				n++;
			n++;
		}
		bad = long_option_abbrev(n < argc ? n : argc, argv, longopts);
		if (bad) {
			cmd_usage_error(&c, "unknown option '%s'", bad);
			return EXIT_USAGE;
		}
	}
	while ((ch = getopt_long(argc, argv, "+:jpvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			c.json = true;
			break;
		case 'p':
			c.json = c.pretty = true;
			break;
		case 'v':
			c.verbose++;
			break;
		case OPT_ROOT:
			root = optarg;
			break;
		case OPT_COLOR:
			color = optarg;
			break;
		case OPT_VERSION:
			printf("iommuctl %s\n", IOMMUCTL_VERSION);
			return close_stdout(EXIT_OK);
		case OPT_LIST_CMDS:
			for (obj = iommuctl_objects; *obj; obj++)
				printf("%s\n", (*obj)->name);
			return close_stdout(EXIT_OK);
		case 'h':
			usage(stdout);
			return close_stdout(EXIT_OK);
		case ':':
			cmd_usage_error(&c, "option '%s' needs an argument", argv[optind - 1]);
			return EXIT_USAGE;
		default:
			cmd_usage_error(&c, "unknown option '%s'",
				  argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	rc = want_color(color);
	if (rc < 0) {
		return cmd_usage_error(&c, "--color: '%s' is not auto, always or never",
				       color);
	}
	c.color = rc && !c.json;

	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!object_find(argv[optind]))
		return run_command(&c, argc - optind, argv + optind);

	rc = iommuctl_new(&c.ctx);
	if (rc < 0)
		return cmd_error(&c, EXIT_FAILED, rc, "creating library context");
	iommuctl_set_log_fn(c.ctx, log_to_stderr);
	if (c.verbose)
		iommuctl_set_log_priority(c.ctx, c.verbose > 1 ? LOG_DEBUG : LOG_INFO);
	if (getenv("IOMMUCTL_RUN_DIR") &&
	    iommuctl_set_run_dir(c.ctx, getenv("IOMMUCTL_RUN_DIR")) < 0) {
		rc = cmd_error(&c, EXIT_USAGE, EINVAL,
			       "IOMMUCTL_RUN_DIR must be an absolute path");
		iommuctl_unref(c.ctx);
		return rc;
	}
	if (root) {
		rc = iommuctl_set_root(c.ctx, root);
		if (rc < 0) {
			rc = cmd_error(&c, EXIT_FAILED, rc, "--root %s", root);
			iommuctl_unref(c.ctx);
			return rc;
		}
	}
	rc = run_command(&c, argc - optind, argv + optind);
#ifdef IOMMUCTL_HAVE_SESSION
	if (c.sess)
		iommuctl_session_close(c.sess);
#endif
	iommuctl_unref(c.ctx);
	return close_stdout(rc);
}
