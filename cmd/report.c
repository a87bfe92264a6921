// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl report: one .tar.gz bundle with everything a maintainer needs to
 * see the reporter's IOMMU world: the sysfs/procfs/debugfs tree the library
 * reads (iommuctl_report_collect()), the -j answer of every read-only
 * command run live, the IOMMU lines of the kernel log, and a manifest with
 * sizes, checksums and what is missing and why. "iommuctl --root BUNDLE"
 * reads it back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"

#ifndef IOMMUCTL_VERSION
#define IOMMUCTL_VERSION "unknown"
#endif

struct report_args {
	const char *output;
	uint64_t debugfs_max;
	unsigned int timeout_s;
	bool no_debugfs, quiet;
};

struct report {
	struct cmdctx *c;
	struct iommuctl_bundle *b;
	const char *prefix;
	struct json_object *commands, *missing, *nodes;
	bool progress, gzip;
	time_t now;
	struct timespec last;
	unsigned int timeout_s;
	int err;
};

static int parse_timeout(struct cmdctx *c, const struct opt *o UNUSED,
			 const char *text, void *field)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || *end || !v || v > 3600)
		return cmd_usage(c, "--timeout '%s': seconds, 1 to 3600", text);
	*(unsigned int *)field = (unsigned int)v;
	return 0;
}

static const struct opt report_opts[] = {
	OPT_STR("output", 'o', "FILE", struct report_args, output,
		"write the bundle here (default iommuctl-report-DATE.tar.gz; - for stdout)"),
	OPT_BOOL("no-debugfs", 'D', struct report_args, no_debugfs,
		 "leave the IOMMU debugfs files out"),
	OPT_SIZE("debugfs-max", 'm', "SIZE", struct report_args, debugfs_max,
		 "largest debugfs file to include (default 16M)"),
	OPT_CALL(
		"timeout", 't', "SECONDS", struct report_args, timeout_s,
		parse_timeout,
		"time allowed per file (default 5); each command gets 10 times that"),
	OPT_BOOL("quiet", 'q', struct report_args, quiet,
		 "no progress on the terminal"),
	OPT_END,
};

/* A line of progress on the terminal, at most every 0.1 s; NULL clears it. */
static __attribute__((format(printf, 2, 3))) void
progress_line(struct report *r, const char *fmt, ...)
{
	struct timespec t;
	long long ns;
	va_list ap;

	clock_gettime(CLOCK_MONOTONIC, &t);
	ns = (t.tv_sec - r->last.tv_sec) * 1000000000LL +
	     (t.tv_nsec - r->last.tv_nsec);
	if (!r->progress || (fmt && ns < 100000000))
		return;
	r->last = t;
	fputs("\r\033[K", stderr);
	if (fmt) {
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
	}
	fflush(stderr);
}

static void on_progress(void *data, const char *path, uint64_t files,
			uint64_t bytes)
{
	if (!path)
		progress_line(data, NULL);
	else
		progress_line(data, "report: %llu files, %llu KiB: %.60s",
			      (unsigned long long)files,
			      (unsigned long long)(bytes / 1024), path);
}

/* Everything left out, with its kind (iommuctl_report_missing_kind(), or
 * "failed" for a command that did not finish). */
static void add_missing(struct report *r, const char *path, int err,
			const char *kind, const char *reason)
{
	struct json_object *o = json_object_new_object();

	jadd_str(o, "path", path);
	jadd_str(o, "kind", kind);
	jadd_str(o, "reason", reason);
	if (err)
		jadd_int(o, "errno", -err);
	json_object_array_add(r->missing, o);
}

static void on_missing(void *data, const char *path, int err,
		       const char *reason)
{
	add_missing(data, path, err, iommuctl_report_missing_kind(err), reason);
}

/* Bundle is complete when nothing was left out by a limit or permission. */
static size_t count_gaps(struct json_object *missing)
{
	size_t i, n = json_object_array_length(missing), gaps = 0;
	struct json_object *k;

	for (i = 0; i < n; i++) {
		k = jopt(json_object_array_get_idx(missing, i), "kind");
		gaps += k &&
			iommuctl_report_kind_is_gap(json_object_get_string(k));
	}
	return gaps;
}

static const char *node_type(mode_t m)
{
	return S_ISCHR(m) ? "char" :
	       S_ISBLK(m) ? "block" :
	       S_ISDIR(m) ? "directory" :
	       S_ISLNK(m) ? "symlink" :
	       S_ISREG(m) ? "file" :
			    "other";
}

static void on_node(void *data, const char *path, const struct stat *st)
{
	struct report *r = data;
	struct json_object *o = json_object_new_object();
	char mode[8];

	snprintf(mode, sizeof(mode), "0%o",
		 (unsigned int)(st->st_mode & 07777));
	jadd_str(o, "path", path);
	jadd_str(o, "type", node_type(st->st_mode));
	jadd_str(o, "mode", mode);
	jadd_int(o, "uid", st->st_uid);
	jadd_int(o, "gid", st->st_gid);
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
		jadd_int(o, "major", major(st->st_rdev));
		jadd_int(o, "minor", minor(st->st_rdev));
	}
	json_object_array_add(r->nodes, o);
}

/* Adds a file (or, with @data NULL, a directory) below the bundle's top. */
static void add(struct report *r, const char *rel, const void *data, size_t len)
{
	char *m;
	int rc = -ENOMEM;

	if (asprintf(&m, "%s%s%s", r->prefix, *rel ? "/" : "", rel) >= 0) {
		rc = data ? iommuctl_bundle_add_file(r->b, m, data, len, 0644) :
			    iommuctl_bundle_add_dir(r->b, m, 0755);
		free(m);
	}
	if (rc < 0 && !r->err)
		r->err = rc;
}

/* Each command run (iommuctl_report_opts.commands): progress before it runs,
 * then its entry in the manifest's "commands". */
static void on_command(void *data, const struct iommuctl_report_cmd *cmd)
{
	struct report *r = data;
	struct json_object *o, *a;
	size_t i;

	if (!cmd->done) {
		progress_line(r, "report: iommuctl -j %.60s", cmd->cmdline);
		return;
	}
	o = json_object_new_object();
	a = json_object_new_array();
	for (i = 0; cmd->args[i]; i++)
		json_object_array_add(a, json_object_new_string(cmd->args[i]));
	jadd_str(o, "command", cmd->cmdline);
	jadd(o, "args", a);
	jadd_bool(o, "offline", cmd->offline);
	jadd(o, "seconds", json_object_new_double(cmd->seconds));
	if (cmd->error) {
		jadd_str(o, "error", cmd->error);
		add_missing(r, cmd->cmdline, cmd->err, "failed", cmd->error);
	} else {
		jadd_int(o, "exit", cmd->exit_code);
	}
	jadd_str(o, "file", cmd->file);
	jadd_str(o, "stderr", cmd->stderr_file);
	json_object_array_add(r->commands, o);
}

static const char readme[] =
	"This is an iommuctl bug-report bundle.\n"
	"\n"
	"Open it with iommuctl, which reads it as the reporter's system:\n"
	"  iommuctl --root BUNDLE.tar.gz status\n"
	"  iommuctl --root BUNDLE.tar.gz group list\n"
	"or unpack it (tar xzf BUNDLE.tar.gz) and give the directory to --root.\n"
	"\n"
	"report/manifest.json   what was collected: kernel, options, each file's\n"
	"                       size and SHA-256, device nodes, the commands run\n"
	"                       and their exit status, and everything missing\n"
	"report/commands/       the -j answer of each command, run live\n"
	"report/kernel-log.txt  the IOMMU, DMAR, AMD-Vi, SMMU, VFIO and KVM kernel\n"
	"                       log lines\n"
	"sys/ proc/ dev/ boot/  the files iommuctl reads, as they were\n"
	"\n"
	"Compare two bundles, or one with a live host: iommuctl diff A [B]\n";

/* The members written so far; their count and bytes in *@files, *@bytes. */
static struct json_object *manifest_files(struct iommuctl_bundle *b,
					  uint64_t *files, uint64_t *bytes)
{
	struct json_object *a = json_object_new_array(), *o;
	size_t i, n = iommuctl_bundle_count(b);
	const char *path, *sha, *target;
	uint64_t size;
	char type;

	for (i = 0; i < n; i++) {
		if (iommuctl_bundle_member(b, i, &path, &type, &size, &sha,
					   &target) < 0 ||
		    type == 'd')
			continue;
		o = json_object_new_object();
		jadd_str(o, "path", path);
		jadd_str(o, "type", type == 'l' ? "symlink" : "file");
		if (type == 'l') {
			jadd_str(o, "target", target);
		} else {
			jadd_int(o, "size", (int64_t)size);
			jadd_str(o, "sha256", sha);
			*files += type == 'f';
			*bytes += type == 'f' ? size : 0;
		}
		json_object_array_add(a, o);
	}
	return a;
}

static void add_manifest(struct report *r, const struct report_args *a,
			 time_t now, uint64_t *files, uint64_t *bytes)
{
	struct json_object *man = json_object_new_object(), *j;
	struct utsname un;
	char stamp[32];
	struct tm tm;
	const char *s;
	size_t len;

	jadd_int(man, "format", 1);
	jadd_str(man, "tool", "iommuctl " IOMMUCTL_VERSION);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	jadd_str(man, "created", stamp);
	jadd_str(man, "root", iommuctl_get_root(r->c->ctx));
	if (!iommuctl_is_offline(r->c->ctx) && uname(&un) == 0) {
		j = json_object_new_object();
		jadd_str(j, "release", un.release);
		jadd_str(j, "version", un.version);
		jadd_str(j, "machine", un.machine);
		jadd(man, "kernel", j);
	}
	j = json_object_new_object();
	jadd_bool(j, "debugfs", !a->no_debugfs);
	jadd_int(j, "debugfs_max",
		 a->debugfs_max ? (int64_t)a->debugfs_max : 16 * 1024 * 1024);
	jadd_int(j, "timeout_seconds", r->timeout_s);
	jadd_int(j, "euid", geteuid());
	jadd(man, "options", j);
	jadd_bool(man, "complete", !count_gaps(r->missing));
	jadd(man, "missing", json_object_get(r->missing));
	jadd(man, "nodes", json_object_get(r->nodes));
	jadd(man, "commands", json_object_get(r->commands));
	jadd(man, "files", manifest_files(r->b, files, bytes));
	s = json_object_to_json_string_ext(
		man, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	len = strlen(s);
	add(r, "report/manifest.json", s, len);
	json_object_put(man);
	/* the manifest itself is a file of the bundle too */
	*files += 1;
	*bytes += len;
}

/* The one emitter of the command's answer; the text is printed from it. */
static struct json_object *summary_to_json(const char *file, uint64_t files,
					   uint64_t bytes, off_t size,
					   struct json_object *missing)
{
	struct json_object *j = json_object_new_object();

	jadd_str(j, "file", file);
	jadd_int(j, "size", size);
	jadd_int(j, "files", (int64_t)files);
	jadd_int(j, "bytes", (int64_t)bytes);
	jadd_bool(j, "complete", !count_gaps(missing));
	jadd(j, "missing", json_object_get(missing));
	return j;
}

static void summary_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *m = jget(c, j, "missing");
	size_t i, n = m ? json_object_array_length(m) : 0, gaps, shown = 0;

	gaps = m ? count_gaps(m) : 0;
	printf("Wrote %s (%s bytes, %s files)\n", jstr(c, j, "file"),
	       jstr(c, j, "size"), jstr(c, j, "files"));
	if (!gaps)
		printf("Complete: nothing was left out by a limit or permission.\n");
	else
		printf("Partial: %zu item%s left out (all listed in report/manifest.json):\n",
		       gaps, gaps == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(m, i);

		if (iommuctl_report_kind_is_gap(jstr(c, e, "kind")) &&
		    shown++ < 20)
			printf("  %s: %s\n", jstr(c, e, "path"),
			       jstr(c, e, "reason"));
	}
	if (shown > 20)
		printf("  ... and %zu more\n", shown - 20);
	if (n > gaps)
		printf("Noted: %zu file%s the kernel refused to read or this system does not have (see the manifest).\n",
		       n - gaps, n - gaps == 1 ? "" : "s");
}

static int report_check(struct cmdctx *c, void *args UNUSED)
{
	if (c->argc)
		return cmd_usage(c, "unexpected operand '%s'", c->argv[0]);
	return 0;
}

/* A recorded command, in the child iommuctl_report_collect() forked. */
static int run_in_child(void *data, int argc, char **argv)
{
	(void)data;
	return cmd_main(argc, argv);
}

/* Writes the bundle to @file (- for stdout); its files and bytes in
 * *@files, *@bytes. */
static int write_bundle(struct report *r, const struct report_args *a,
			const char *file, uint64_t *files, uint64_t *bytes)
{
	struct iommuctl_report_opts o = {
		.prefix = r->prefix,
		.no_debugfs = a->no_debugfs,
		.debugfs_max = a->debugfs_max,
		.timeout_ms = r->timeout_s * 1000,
		.progress = on_progress,
		.missing = on_missing,
		.node = on_node,
		.data = r,
		.commands = true,
		.command = on_command,
		.run = run_in_child,
	};
	int rc = strcmp(file, "-") ?
			 iommuctl_bundle_create(r->c->ctx, file, r->gzip,
						(int64_t)r->now, &r->b) :
			 iommuctl_bundle_new(r->c->ctx, STDOUT_FILENO, r->gzip,
					     (int64_t)r->now, &r->b);

	if (rc < 0)
		return cmd_fail(r->c, EXIT_FAILED, rc, "cannot create %s",
				file);
	add(r, "", NULL, 0);
	add(r, "report", NULL, 0);
	add(r, "report/commands", NULL, 0);
	rc = iommuctl_report_collect(r->c->ctx, r->b, &o);
	if (rc < 0 && !r->err)
		r->err = rc;
	progress_line(r, NULL);
	add(r, "report/README.txt", readme, sizeof(readme) - 1);
	add_manifest(r, a, r->now, files, bytes);
	rc = r->err;
	if (!rc)
		rc = iommuctl_bundle_finish(r->b);
	else
		iommuctl_bundle_free(r->b);
	r->b = NULL;
	return rc < 0 ? cmd_fail(r->c, EXIT_FAILED, rc, "writing %s", file) : 0;
}

/* The bundle on stdout: the summary goes to stderr, rendered here. */
static void summary_to_stderr(struct cmdctx *c, struct json_object *j)
{
	int saved = dup(STDOUT_FILENO);

	fflush(stdout);
	dup2(STDERR_FILENO, STDOUT_FILENO);
	if (c->json)
		json_print(c, j);
	else
		summary_text(c, j);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	json_object_put(j);
}

static int report_run(struct cmdctx *c, void *args)
{
	const struct report_args *a = args;
	struct report r = { .c = c,
			    .timeout_s = a->timeout_s,
			    .now = time(NULL) };
	char *file = NULL, *prefix = NULL;
	uint64_t files = 0, bytes = 0;
	struct stat st = { 0 };
	bool to_stdout;
	int rc;

	if (iommuctl_report_names(a->output, r.now, &file, &prefix, &r.gzip) <
	    0)
		return cmd_fail(c, EXIT_FAILED, ENOMEM, "report");
	to_stdout = !strcmp(file, "-");
	if (to_stdout && isatty(STDOUT_FILENO)) {
		rc = cmd_usage(
			c,
			"-o -: refusing to write a binary bundle to a terminal");
		goto out;
	}
	r.prefix = prefix;
	r.commands = json_object_new_array();
	r.missing = json_object_new_array();
	r.nodes = json_object_new_array();
	r.progress = !a->quiet && isatty(STDERR_FILENO);
	rc = write_bundle(&r, a, file, &files, &bytes);
	if (!rc && to_stdout) {
		fstat(STDOUT_FILENO, &st);
		summary_to_stderr(c, summary_to_json(file, files, bytes,
						     st.st_size, r.missing));
	} else if (!rc && stat(file, &st) < 0) {
		rc = cmd_fail(c, EXIT_FAILED, errno, "writing %s", file);
	} else if (!rc) {
		cmd_out(c, summary_to_json(file, files, bytes, st.st_size,
					   r.missing));
	}
out:
	json_object_put(r.commands);
	json_object_put(r.missing);
	json_object_put(r.nodes);
	free(file);
	free(prefix);
	return rc;
}

static void report_init(void *args)
{
	((struct report_args *)args)->timeout_s = 5;
}

/* clang-format off */
ONE_VERB_OBJECT(obj_report, "report", "collect a bug-report bundle for offline analysis",
	  .name = "create", .summary = "collect a bug-report bundle (default)",
	  .synopsis = "[-o FILE] [--no-debugfs] [--debugfs-max SIZE] [--timeout SECONDS]",
	  .description =
		  "Collect one bug-report bundle (.tar.gz, mode 0600): kernel version,\n"
		  "command line and configuration, the IOMMU-relevant sysfs trees with\n"
		  "their symlinks (IOMMU groups and units, every PCI device's attributes\n"
		  "and config space, drivers, vfio-dev, iommufd/vfio module parameters),\n"
		  "/dev/iommu and /dev/vfio, the IOMMU lines of the kernel log, the ACPI\n"
		  "DMAR/IVRS/IORT/VIOT tables, the IOMMU debugfs files, the -j answer of\n"
		  "every read-only command, and report/manifest.json with each file's\n"
		  "size and SHA-256 and everything left out and why. Every read is\n"
		  "bounded in size and time, so a wedged file cannot hang the report.\n"
		  "Run as root for a complete bundle. Open it with\n"
		  "'iommuctl --root BUNDLE.tar.gz COMMAND' or unpack it with tar xzf.",
	  .opts = report_opts, .args_size = sizeof(struct report_args),
	  .init = report_init, .max_args = ARGS_ANY,
	  /* progress on the terminal, and the bundle itself on stdout with
	   * -o - (the summary then goes to stderr) */
	  .flags = VERB_STREAMS, .check = report_check, .run = report_run,
	  .render = &(const struct render){ .text = summary_text });
/* clang-format on */
