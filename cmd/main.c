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

static int cmd_help(int argc, char **argv, struct cmdctx *c);

static const struct cmd objects[] = {
	{ "status", cmd_status, "summarise the IOMMU setup of this system" },
	{ "iommu", cmd_iommu, "IOMMU units and their capabilities" },
	{ "group", cmd_group, "IOMMU groups, their members and why they share" },
	{ "device", cmd_device, "PCI devices and other IOMMU group members" },
	{ "dev", cmd_device, "alias of device" },
	{ "resv", cmd_resv, "reserved IOVA regions, per group and merged" },
	{ "msi", cmd_msi, "MSI windows and interrupt remapping" },
	{ "diff", cmd_diff, "what changed between two snapshots (trees, bundles, live)" },
	{ "pgtable", cmd_pgtable, "page tables the IOMMU hardware walks, from debugfs" },
	{ "probe", cmd_probe, "which iommufd commands this kernel has" },
	{ "vfio", cmd_vfio, "bind devices to vfio-pci safely, and give them back" },
	{ "report", cmd_report, "collect a bug-report bundle for offline analysis" },
	{ "hwinfo", cmd_hwinfo, "what a device's IOMMU can do, found by trying" },
	{ "exec", cmd_exec, "run a VMM with /dev/iommu and VFIO cdevs opened for it" },
	{ "ioas", cmd_ioas, "iommufd I/O address spaces and their mappings" },
	{ "access", cmd_access, "in-kernel users of an IOAS (selftest accesses)" },
	{ "objects", cmd_objects, "the session's iommufd objects as a tree" },
	{ "option", cmd_option, "iommufd options: page accounting, huge pages" },
	{ "hwpt", cmd_hwpt, "hardware page tables: paging, nested, dirty tracking" },
	{ "fault", cmd_fault, "I/O page fault queues" },
	{ "viommu", cmd_viommu, "virtual IOMMUs (6.13)" },
	{ "vdevice", cmd_vdevice, "devices' virtual ids behind a vIOMMU (6.13)" },
	{ "veventq", cmd_veventq, "vIOMMU event queues (6.15)" },
	{ "hwqueue", cmd_hwqueue, "vIOMMU hardware queues (6.17)" },
	{ "batch", cmd_batch, "run commands from a file in one iommufd session" },
	{ "shell", cmd_shell, "interactive session: objects live until you leave" },
	{ "help", cmd_help, "show help for iommuctl or an object" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *f)
{
	const struct cmd *o;

	fprintf(f,
		"usage: iommuctl [OPTIONS] OBJECT [VERB] [ARGS]\n"
		"\n"
		"Objects:\n");
	for (o = objects; o->name; o++)
		fprintf(f, "  %-10s %s\n", o->name, o->summary);
	fprintf(f,
		"\n"
		"Options:\n"
		"  -j, --json          JSON output (errors too, on stdout)\n"
		"  -p, --pretty        indented JSON (implies --json)\n"
		"      --root DIR      read a captured tree or report bundle instead of /\n"
		"  -v, --verbose       more library diagnostics on stderr (repeatable)\n"
		"      --color WHEN    colour tables: auto (default), always, never\n"
		"      --version       print the version\n"
		"      --list-cmds     list the objects (for completions)\n"
		"  -h, --help          show this help\n"
		"\n"
		"Run 'iommuctl OBJECT help' for an object's verbs.\n"
		"Exit codes: 0 ok, 1 failed, 2 usage, 3 not available on this system.\n");
}

static const struct cmd *find_object(const char *name)
{
	const struct cmd *o;

	for (o = objects; o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

/* The object words, in table order (for completion and hints). */
const char *const *object_names(size_t *n)
{
	static const char *names[sizeof(objects) / sizeof(objects[0])];
	size_t i;

	for (i = 0; objects[i].name; i++)
		names[i] = objects[i].name;
	if (n)
		*n = i;
	return names;
}

static int unknown_object(struct cmdctx *c, const char *word)
{
	const char *const *names;
	const char *hint;
	size_t n;

	names = object_names(&n);
	hint = did_you_mean(word, names, n);
	c->object = NULL;
	if (hint)
		return cmd_usage_error(c, "unknown object '%s'; did you mean '%s'?",
				       word, hint);
	return cmd_usage_error(c, "unknown object '%s'", word);
}

/* "iommuctl help [OBJECT]": argv holds the words after "help". */
static int cmd_help(int argc, char **argv, struct cmdctx *c)
{
	const struct cmd *o;
	char *args[] = { NULL, (char *)"help", NULL };

	if (argc < 1) {
		usage(stdout);
		return EXIT_OK;
	}
	o = find_object(argv[0]);
	if (!o)
		return unknown_object(c, argv[0]);
	if (o->fn == cmd_help) {
		usage(stdout);
		return EXIT_OK;
	}
	c->object = o->name;
	args[0] = (char *)o->name;
	return o->fn(1, args + 1, c);
}

/*
 * Runs one command line without the leading "iommuctl" and its global
 * options: argv[0] is the object word. main() and batch/shell come here.
 */
int run_command(struct cmdctx *c, int argc, char **argv)
{
	const struct cmd *obj;

	c->verb = NULL;
	if (argc < 1)
		return cmd_usage_error(c, "no object given");
	obj = find_object(argv[0]);
	if (!obj)
		return unknown_object(c, argv[0]);
	c->object = obj->name;
	return obj->fn(argc - 1, argv + 1, c);
}

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
	const struct cmd *obj;
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
			for (obj = objects; obj->name; obj++)
				printf("%s\n", obj->name);
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
	if (!find_object(argv[optind]))
		return unknown_object(&c, argv[optind]);

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
