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
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"

#ifndef IOMMUCTL_VERSION
#define IOMMUCTL_VERSION "unknown"
#endif

#define CMD_OUT_MAX (64u * 1024 * 1024)
#define CMD_ERR_MAX (256u * 1024)

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
	bool progress;
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
	OPT_CALL("timeout", 't', "SECONDS", struct report_args, timeout_s,
		 parse_timeout,
		 "time allowed per file (default 5); each command gets 10 times that"),
	OPT_BOOL("quiet", 'q', struct report_args, quiet,
		 "no progress on the terminal"),
	OPT_END,
};

static double elapsed(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static __attribute__((format(printf, 2, 3))) void
progress_line(struct report *r, const char *fmt, ...)
{
	va_list ap;

	if (!r->progress || (fmt && elapsed(&r->last) < 0.1))
		return;
	clock_gettime(CLOCK_MONOTONIC, &r->last);
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

/*
 * Everything left out, with a kind: "too-large", "too-slow", "permission"
 * and "failed" (a command that did not finish) make the bundle partial;
 * "absent" (not on this system, e.g. no kernel configuration) and
 * "unreadable" (the kernel refused the read with an error of its own, as
 * many attributes do on some devices) are the system's state, recorded.
 */
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

static bool kind_is_gap(const char *kind)
{
	return strcmp(kind, "absent") && strcmp(kind, "unreadable");
}

static void on_missing(void *data, const char *path, int err,
		       const char *reason)
{
	const char *kind = "unreadable";

	if (err == -EACCES || err == -EPERM)
		kind = "permission";
	else if (err == -ETIMEDOUT)
		kind = "too-slow";
	else if (err == -EFBIG || err == -ELOOP)
		kind = "too-large";
	else if (err == -ENOENT)
		kind = "absent";
	add_missing(data, path, err, kind, reason);
}

/* Bundle is complete when nothing was left out by a limit or permission. */
static size_t count_gaps(struct json_object *missing)
{
	size_t i, n = json_object_array_length(missing), gaps = 0;
	struct json_object *k;

	for (i = 0; i < n; i++) {
		k = jopt(json_object_array_get_idx(missing, i), "kind");
		gaps += k && kind_is_gap(json_object_get_string(k));
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

	snprintf(mode, sizeof(mode), "0%o", (unsigned int)(st->st_mode & 07777));
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
static void add(struct report *r, const char *rel, const void *data,
		size_t len)
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

/* The command's outcome, and its files, in @o; @rc as from
 * iommuctl_run_capture(). */
static void command_result(struct report *r, struct json_object *o,
			   const char *name, const char *cmdline, int status,
			   int rc, char *buf[2], size_t len[2])
{
	char why[128], *file;

	if (rc < 0 || !WIFEXITED(status)) {
		if (!rc)
			snprintf(why, sizeof(why), "killed by signal %d",
				 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		else if (rc == -EFBIG)
			snprintf(why, sizeof(why),
				 "output larger than %u bytes, stopped",
				 CMD_OUT_MAX);
		else
			snprintf(why, sizeof(why), "took longer than %u s, stopped",
				 10 * r->timeout_s);
		jadd_str(o, "error", why);
		add_missing(r, cmdline, rc < 0 ? -ETIMEDOUT : -EINTR, "failed",
			    why);
	} else {
		jadd_int(o, "exit", WEXITSTATUS(status));
	}
	if (rc >= 0 && asprintf(&file, "report/commands/%s.json", name) >= 0) {
		add(r, file, buf[0] ? buf[0] : "", len[0]);
		jadd_str(o, "file", file);
		free(file);
	}
	if (len[1] && asprintf(&file, "report/commands/%s.stderr", name) >= 0) {
		add(r, file, buf[1], len[1]);
		jadd_str(o, "stderr", file);
		free(file);
	}
}

/* Runs "iommuctl [--root R] -j ARGS" (this very binary), its stdout and
 * stderr captured and bounded, killed when it takes longer than the limit. */
static void spawn_command(struct report *r, const char *name,
			  const char *const *args, bool offline)
{
	static const size_t max[2] = { CMD_OUT_MAX, CMD_ERR_MAX };
	char **argv, *buf[2], cmdline[1024] = "";
	struct json_object *o, *a = json_object_new_array();
	size_t i = 0, nargs = 0, len[2];
	struct timespec t0;
	int status, rc, k;

	while (args[nargs])
		nargs++;
	argv = calloc(nargs + 5, sizeof(*argv));
	if (!argv)
		goto out;
	argv[i++] = (char *)"iommuctl";
	if (iommuctl_is_offline(r->c->ctx)) {
		argv[i++] = (char *)"--root";
		argv[i++] = (char *)iommuctl_get_root(r->c->ctx);
	}
	argv[i++] = (char *)"-j";
	for (k = 0; args[k]; k++) {
		argv[i++] = (char *)args[k];
		json_object_array_add(a, json_object_new_string(args[k]));
		snprintf(cmdline + strlen(cmdline),
			 sizeof(cmdline) - strlen(cmdline), "%s%s",
			 k ? " " : "", args[k]);
	}
	progress_line(r, "report: iommuctl -j %.60s", cmdline);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = iommuctl_run_capture(r->c->ctx, "/proc/self/exe", argv,
				  r->timeout_s * 10000, max, buf, len, &status);
	if (rc >= 0 || rc == -ETIMEDOUT || rc == -EFBIG) {
		o = json_object_new_object();
		jadd_str(o, "command", cmdline);
		jadd(o, "args", json_object_get(a));
		jadd_bool(o, "offline", offline);
		jadd(o, "seconds", json_object_new_double(elapsed(&t0)));
		command_result(r, o, name, cmdline, status, rc, buf, len);
		json_object_array_add(r->commands, o);
	}
	free(buf[0]);
	free(buf[1]);
out:
	json_object_put(a);
	free(argv);
}

/* Command file names: the words joined by '-' ("group-list---check"); a
 * list of operands is named by its first words and "all". */
static void run(struct report *r, bool offline, const char *const *args)
{
	char name[96] = "";
	size_t i, n = 0;

	for (i = 0; args[i] && i < 4 && n < 64; i++)
		n += (size_t)snprintf(name + n, sizeof(name) - n, "%s%s",
				      i ? "-" : "", args[i]);
	if (args[0] && args[1] && !strcmp(args[1], "show") && args[2])
		snprintf(name, sizeof(name), "%s-show-all", args[0]);
	for (i = 0; name[i]; i++)
		if (name[i] == '/')
			name[i] = '_';
	spawn_command(r, name, args, offline);
}

#define RUN(offline, ...)                                       \
	do {                                                    \
		const char *const a_[] = { __VA_ARGS__, NULL }; \
		run(r, offline, a_);                            \
	} while (0)

/* "OBJECT show" the @n names in args[2...], if any. */
static void run_show(struct report *r, const char **args, size_t n,
		     const char *object)
{
	args[0] = object;
	args[1] = "show";
	args[n + 2] = NULL;
	if (n)
		run(r, true, args);
}

/* The tables of translated (DMA) domains. */
static void run_pgtables(struct report *r)
{
	struct iommuctl_ctx *ctx = r->c->ctx;
	struct iommuctl_device *d;
	struct iommuctl_group *g;

	RUN(true, "pgtable", "context");
	iommuctl_device_foreach(ctx, d) {
		int gid = iommuctl_device_get_group_id(d);
		const char *type = NULL;

		if (gid < 0 || strcmp(iommuctl_device_get_subsystem(d), "pci"))
			continue;
		iommuctl_group_foreach(ctx, g)
			if ((int)iommuctl_group_get_id(g) == gid)
				type = iommuctl_group_get_type(g);
		if (type && !strncmp(type, "DMA", 3))
			RUN(true, "pgtable", "dump", "--device",
			    iommuctl_device_get_name(d));
	}
}

static void run_all(struct report *r, bool debugfs)
{
	struct iommuctl_ctx *ctx = r->c->ctx;
	struct iommuctl_iommu *it;
	struct iommuctl_group *g;
	struct iommuctl_device *d;
	size_t n = 0, i = 0;
	const char **args;
	char(*ids)[16];
	bool vtd = false;

	iommuctl_iommu_foreach(ctx, it) n++;
	iommuctl_group_foreach(ctx, g) n++;
	iommuctl_device_foreach(ctx, d) n++;
	args = calloc(n + 3, sizeof(*args));
	ids = calloc(n + 1, sizeof(*ids));
	if (!args || !ids)
		goto out;
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
		snprintf(ids[i], sizeof(ids[i]), "%u", iommuctl_group_get_id(g));
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
	iommuctl_device_foreach(ctx, d)
		if (!strcmp(iommuctl_device_get_subsystem(d), "pci"))
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
	"report/kernel-log.txt  the IOMMU, DMAR, AMD-Vi, SMMU and VFIO kernel log\n"
	"                       lines\n"
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

		if (kind_is_gap(jstr(c, e, "kind")) && shown++ < 20)
			printf("  %s: %s\n", jstr(c, e, "path"),
			       jstr(c, e, "reason"));
	}
	if (shown > 20)
		printf("  ... and %zu more\n", shown - 20);
	if (n > gaps)
		printf("Noted: %zu file%s the kernel refused to read or this system does not have (see the manifest).\n",
		       n - gaps, n - gaps == 1 ? "" : "s");
}

/* Where the bundle goes, and its top directory's name. */
static int default_names(char **file, char **prefix, const char *output)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	const char *base;
	size_t n;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	if (output)
		*file = strdup(output);
	else if (asprintf(file, "iommuctl-report-%s.tar.gz", stamp) < 0)
		*file = NULL;
	if (!*file)
		return -ENOMEM;
	base = strrchr(*file, '/');
	base = base ? base + 1 : *file;
	n = strlen(base);
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
	return *prefix ? 0 : -ENOMEM;
}

static int report_check(struct cmdctx *c, void *args UNUSED)
{
	if (c->argc)
		return cmd_usage(c, "unexpected operand '%s'", c->argv[0]);
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/* Writes the bundle to @fd; its files and bytes in *@files, *@bytes. */
static int write_bundle(struct report *r, const struct report_args *a, int fd,
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
	};
	time_t now = time(NULL);
	int rc = iommuctl_bundle_new(r->c->ctx, fd, !ends_with(file, ".tar"),
				     (int64_t)now, &r->b);

	if (rc < 0)
		return cmd_fail(r->c, EXIT_FAILED, rc, "cannot write %s", file);
	add(r, "", NULL, 0);
	add(r, "report", NULL, 0);
	add(r, "report/commands", NULL, 0);
	/* Commands first: the tree then shows the state right after them. */
	run_all(r, !a->no_debugfs);
	rc = iommuctl_report_collect(r->c->ctx, r->b, &o);
	if (rc < 0 && !r->err)
		r->err = rc;
	progress_line(r, NULL);
	add(r, "report/README.txt", readme, sizeof(readme) - 1);
	add_manifest(r, a, now, files, bytes);
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
	struct report r = { .c = c, .timeout_s = a->timeout_s };
	char *file = NULL, *prefix = NULL, *tmp = NULL;
	uint64_t files = 0, bytes = 0;
	struct stat st = { 0 };
	bool to_stdout;
	int fd = -1, rc;

	if (default_names(&file, &prefix, a->output) < 0)
		return cmd_fail(c, EXIT_FAILED, ENOMEM, "report");
	to_stdout = !strcmp(file, "-");
	if (to_stdout && isatty(STDOUT_FILENO)) {
		rc = cmd_usage(c, "-o -: refusing to write a binary bundle to a terminal");
		goto out;
	}
	if (to_stdout) {
		fd = STDOUT_FILENO;
	} else {
		if (asprintf(&tmp, "%s.XXXXXX", file) < 0) {
			tmp = NULL;
			rc = cmd_fail(c, EXIT_FAILED, ENOMEM, "report");
			goto out;
		}
		fd = mkostemp(tmp, O_CLOEXEC);
		if (fd < 0) {
			rc = cmd_fail(c, EXIT_FAILED, errno, "cannot create %s",
				      file);
			free(tmp);
			tmp = NULL;
			goto out;
		}
		fchmod(fd, 0600);
	}
	r.prefix = prefix;
	r.commands = json_object_new_array();
	r.missing = json_object_new_array();
	r.nodes = json_object_new_array();
	r.progress = !a->quiet && isatty(STDERR_FILENO);
	rc = write_bundle(&r, a, fd, file, &files, &bytes);
	if (!rc && to_stdout) {
		fstat(fd, &st);
		summary_to_stderr(c, summary_to_json(file, files, bytes,
						     st.st_size, r.missing));
	} else if (!rc && (fsync(fd) < 0 || fstat(fd, &st) < 0 ||
			   rename(tmp, file) < 0)) {
		rc = cmd_fail(c, EXIT_FAILED, errno, "writing %s", file);
	} else if (!rc) {
		free(tmp);
		tmp = NULL;
		cmd_out(c, summary_to_json(file, files, bytes, st.st_size,
					   r.missing));
	}
out:
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	if (fd >= 0 && !to_stdout)
		close(fd);
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

static const struct verb report_verbs[] = {
	{ .name = "create", .summary = "collect a bug-report bundle (default)",
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
	  .render = &(const struct render){ .text = summary_text } },
	{ .name = NULL },
};

const struct object obj_report = { "report", "collect a bug-report bundle for offline analysis",
				   report_verbs, NULL };
