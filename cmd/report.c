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
#include <poll.h>
#include <signal.h>
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

static const struct opt report_opts[] = {
	{ "output", 'o', "FILE",
	  "write the bundle here (default iommuctl-report-DATE.tar.gz; - for stdout)" },
	{ "no-debugfs", 'D', NULL, "leave the IOMMU debugfs files out" },
	{ "debugfs-max", 'm', "SIZE",
	  "largest debugfs file to include (default 16M)" },
	{ "timeout", 't', "SECONDS",
	  "time allowed per file (default 5); each command gets 10 times that" },
	{ "quiet", 'q', NULL, "no progress on the terminal" },
	{ NULL, 0, NULL, NULL },
};

static const struct verb_help report_help = {
	.synopsis =
		"[-o FILE] [--no-debugfs] [--debugfs-max SIZE] [--timeout SECONDS]",
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
	.opts = report_opts,
};

static double elapsed(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void progress_line(struct report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void progress_line(struct report *r, const char *fmt, ...)
{
	va_list ap;

	if (!r->progress)
		return;
	if (fmt && elapsed(&r->last) < 0.1)
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
	struct report *r = data;

	if (!path) {
		progress_line(r, NULL);
		return;
	}
	progress_line(r, "report: %llu files, %llu KiB: %.60s",
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

	json_object_object_add(o, "path", json_object_new_string(path));
	json_object_object_add(o, "kind", json_object_new_string(kind));
	json_object_object_add(o, "reason", json_object_new_string(reason));
	if (err)
		json_object_object_add(o, "errno", json_object_new_int(-err));
	json_object_array_add(r->missing, o);
}

static bool kind_is_gap(const char *kind)
{
	return strcmp(kind, "absent") && strcmp(kind, "unreadable");
}

static void on_missing(void *data, const char *path, int err,
		       const char *reason)
{
	const char *kind;

	switch (-err) {
	case EACCES:
	case EPERM:
		kind = "permission";
		break;
	case ETIMEDOUT:
		kind = "too-slow";
		break;
	case EFBIG:
	case ELOOP:
		kind = "too-large";
		break;
	case ENOENT:
		kind = "absent";
		break;
	default:
		kind = "unreadable";
		break;
	}
	add_missing(data, path, err, kind, reason);
}

/* Bundle is complete when nothing was left out by a limit or permission. */
static size_t count_gaps(struct json_object *missing)
{
	size_t i, n = json_object_array_length(missing), gaps = 0;

	for (i = 0; i < n; i++) {
		struct json_object *k;

		if (json_object_object_get_ex(json_object_array_get_idx(missing,
									i),
					      "kind", &k) &&
		    kind_is_gap(json_object_get_string(k)))
			gaps++;
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
	json_object_object_add(o, "path", json_object_new_string(path));
	json_object_object_add(o, "type",
			       json_object_new_string(node_type(st->st_mode)));
	json_object_object_add(o, "mode", json_object_new_string(mode));
	json_object_object_add(o, "uid", json_object_new_int64(st->st_uid));
	json_object_object_add(o, "gid", json_object_new_int64(st->st_gid));
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
		json_object_object_add(
			o, "major", json_object_new_int64(major(st->st_rdev)));
		json_object_object_add(
			o, "minor", json_object_new_int64(minor(st->st_rdev)));
	}
	json_object_array_add(r->nodes, o);
}

static char *member(struct report *r, const char *rel)
{
	char *m;

	if (asprintf(&m, "%s%s%s", r->prefix, *rel ? "/" : "", rel) < 0)
		return NULL;
	return m;
}

static int add_file(struct report *r, const char *rel, const void *data,
		    size_t len)
{
	char *m = member(r, rel);
	int rc;

	if (!m)
		return -ENOMEM;
	rc = iommuctl_bundle_add_file(r->b, m, data, len, 0644);
	free(m);
	if (rc < 0 && !r->err)
		r->err = rc;
	return rc;
}

static int add_dir(struct report *r, const char *rel)
{
	char *m = member(r, rel);
	int rc;

	if (!m)
		return -ENOMEM;
	rc = iommuctl_bundle_add_dir(r->b, m, 0755);
	free(m);
	if (rc < 0 && !r->err)
		r->err = rc;
	return rc;
}

/* Append what fd has to *buf (at most max bytes kept); 0 at EOF. */
static int drain(int fd, char **buf, size_t *len, size_t max, bool *over)
{
	char tmp[65536];
	ssize_t n = read(fd, tmp, sizeof(tmp));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -errno;
	if (n == 0)
		return 0;
	if (*len + (size_t)n > max) {
		*over = true;
		return 1;
	}
	{
		char *nb = realloc(*buf, *len + (size_t)n + 1);

		if (!nb)
			return -ENOMEM;
		*buf = nb;
	}
	memcpy(*buf + *len, tmp, (size_t)n);
	*len += (size_t)n;
	(*buf)[*len] = '\0';
	return 1;
}

/*
 * Run "iommuctl [--root R] -j ARGS" (this very binary), its stdout and
 * stderr captured and bounded, killed when it takes longer than the limit.
 */
static void spawn_command(struct report *r, const char *name,
			  const char *const *args, bool offline)
{
	struct json_object *o = json_object_new_object(), *a;
	const char *root = iommuctl_is_offline(r->c->ctx) ?
				   iommuctl_get_root(r->c->ctx) :
				   NULL;
	char *out = NULL, *errbuf = NULL, *file;
	size_t outlen = 0, errlen = 0, i, nargs = 0;
	bool out_over = false, err_over = false, killed = false;
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, status = 0, devnull;
	struct timespec t0;
	char **argv, cmdline[1024] = "";
	pid_t pid;

	while (args[nargs])
		nargs++;
	argv = calloc(nargs + 5, sizeof(*argv));
	if (!argv)
		goto fail;
	i = 0;
	argv[i++] = (char *)"iommuctl";
	if (root) {
		argv[i++] = (char *)"--root";
		argv[i++] = (char *)root;
	}
	argv[i++] = (char *)"-j";
	for (size_t k = 0; k < nargs; k++) {
		argv[i++] = (char *)args[k];
		snprintf(cmdline + strlen(cmdline),
			 sizeof(cmdline) - strlen(cmdline), "%s%s",
			 k ? " " : "", args[k]);
	}
	progress_line(r, "report: iommuctl -j %.60s", cmdline);
	if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0)
		goto fail;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		goto fail;
	if (pid == 0) {
		devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	{
		struct pollfd pfd[2] = { { po[0], POLLIN, 0 },
					 { pe[0], POLLIN, 0 } };
		int open_fds = 2;
		double limit = 10.0 * r->timeout_s;

		while (open_fds) {
			double left = limit - elapsed(&t0);
			int n, k;

			if (left <= 0) {
				kill(pid, SIGKILL);
				killed = true;
				break;
			}
			n = poll(pfd, 2, (int)(left * 1000) + 1);
			if (n < 0 && errno != EINTR)
				break;
			for (k = 0; k < 2 && n > 0; k++) {
				int rc;

				if (pfd[k].fd < 0 || !pfd[k].revents)
					continue;
				rc = k == 0 ? drain(po[0], &out, &outlen,
						    CMD_OUT_MAX, &out_over) :
					      drain(pe[0], &errbuf, &errlen,
						    CMD_ERR_MAX, &err_over);
				if (rc <= 0) {
					pfd[k].fd = -1;
					open_fds--;
				}
			}
			if (out_over) {
				kill(pid, SIGKILL);
				killed = true;
				break;
			}
		}
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;

	json_object_object_add(o, "command", json_object_new_string(cmdline));
	a = json_object_new_array();
	for (i = 0; i < nargs; i++)
		json_object_array_add(a, json_object_new_string(args[i]));
	json_object_object_add(o, "args", a);
	json_object_object_add(o, "offline", json_object_new_boolean(offline));
	json_object_object_add(o, "seconds",
			       json_object_new_double(elapsed(&t0)));
	if (killed) {
		char why[128];

		if (out_over)
			snprintf(why, sizeof(why),
				 "output larger than %u bytes, stopped",
				 CMD_OUT_MAX);
		else
			snprintf(why, sizeof(why),
				 "took longer than %u s, stopped",
				 10 * r->timeout_s);
		json_object_object_add(o, "error", json_object_new_string(why));
		add_missing(r, cmdline, -ETIMEDOUT, "failed", why);
	} else if (WIFEXITED(status)) {
		json_object_object_add(
			o, "exit", json_object_new_int(WEXITSTATUS(status)));
	} else {
		char why[64];

		snprintf(why, sizeof(why), "killed by signal %d",
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		json_object_object_add(o, "error", json_object_new_string(why));
		add_missing(r, cmdline, -EINTR, "failed", why);
	}
	if (!killed) {
		if (asprintf(&file, "report/commands/%s.json", name) < 0)
			goto fail;
		add_file(r, file, out ? out : "", outlen);
		json_object_object_add(o, "file", json_object_new_string(file));
		free(file);
	}
	if (errlen) {
		if (asprintf(&file, "report/commands/%s.stderr", name) < 0)
			goto fail;
		add_file(r, file, errbuf, errlen);
		json_object_object_add(o, "stderr",
				       json_object_new_string(file));
		free(file);
	}
	json_object_array_add(r->commands, o);
	o = NULL;
fail:
	json_object_put(o);
	if (po[0] >= 0)
		close(po[0]);
	if (po[1] >= 0)
		close(po[1]);
	if (pe[0] >= 0)
		close(pe[0]);
	if (pe[1] >= 0)
		close(pe[1]);
	free(out);
	free(errbuf);
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

static void run_all(struct report *r, bool debugfs)
{
	struct iommuctl_ctx *ctx = r->c->ctx;
	struct iommuctl_iommu *it;
	struct iommuctl_group *g;
	struct iommuctl_device *d;
	size_t n, i;
	const char **args;
	bool vtd = false;

#define RUN(offline, ...)                                       \
	do {                                                    \
		const char *const a_[] = { __VA_ARGS__, NULL }; \
		run(r, offline, a_);                            \
	} while (0)

	RUN(true, "status");
	RUN(true, "iommu", "list");
	n = 0;
	iommuctl_iommu_foreach(ctx, it) {
		n++;
		if (iommuctl_iommu_get_kind(it) == IOMMUCTL_IOMMU_INTEL_VTD)
			vtd = true;
	}
	args = calloc(n + 3, sizeof(*args));
	if (args && n) {
		i = 0;
		args[i++] = "iommu";
		args[i++] = "show";
		iommuctl_iommu_foreach(ctx, it)
			args[i++] = iommuctl_iommu_get_name(it);
		run(r, true, args);
	}
	free(args);
	if (debugfs) {
		RUN(true, "iommu", "regs");
		RUN(true, "iommu", "invalidation");
		RUN(true, "iommu", "irte");
	}
	RUN(true, "group", "list");
	RUN(true, "group", "list", "--check");

	n = 0;
	iommuctl_group_foreach(ctx, g)
		n++;
	{
		char(*ids)[16] = calloc(n + 1, sizeof(*ids));

		args = calloc(n + 3, sizeof(*args));
		if (args && ids && n) {
			i = 0;
			args[i++] = "group";
			args[i++] = "show";
			iommuctl_group_foreach(ctx, g) {
				snprintf(ids[i - 2], sizeof(ids[0]), "%u",
					 iommuctl_group_get_id(g));
				args[i] = ids[i - 2];
				i++;
			}
			run(r, true, args);
		}
		free(args);
		iommuctl_group_foreach(ctx, g) {
			char id[16];

			if (iommuctl_group_get_num_devices(g) < 2)
				continue;
			snprintf(id, sizeof(id), "%u",
				 iommuctl_group_get_id(g));
			RUN(true, "group", "explain", id);
		}
		free(ids);
	}

	RUN(true, "device", "list");
	n = 0;
	iommuctl_device_foreach(ctx, d) n++;
	args = calloc(n + 3, sizeof(*args));
	if (args) {
		i = 2;
		args[0] = "device";
		args[1] = "show";
		iommuctl_device_foreach(
			ctx,
			d) if (!strcmp(iommuctl_device_get_subsystem(d), "pci"))
			args[i++] = iommuctl_device_get_name(d);
		if (i > 2)
			run(r, true, args);
	}
	free(args);
	RUN(true, "resv");
	RUN(true, "msi");
	if (debugfs && vtd) {
		RUN(true, "pgtable", "context");
		/* the tables of translated (DMA) domains */
		iommuctl_device_foreach(ctx, d)
		{
			int gid = iommuctl_device_get_group_id(d);
			const char *type = NULL;

			if (gid < 0 ||
			    strcmp(iommuctl_device_get_subsystem(d), "pci"))
				continue;
			iommuctl_group_foreach(ctx, g)
				if ((int)iommuctl_group_get_id(g) == gid)
					type = iommuctl_group_get_type(g);
			if (type && !strncmp(type, "DMA", 3))
				RUN(true, "pgtable", "dump", "--device",
				    iommuctl_device_get_name(d));
		}
	}
	if (!iommuctl_is_offline(ctx)) {
		RUN(false, "probe");
		RUN(false, "vfio", "status");
	}
#undef RUN
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

static struct json_object *manifest_files(struct iommuctl_bundle *b)
{
	struct json_object *a = json_object_new_array();
	size_t i, n = iommuctl_bundle_count(b);

	for (i = 0; i < n; i++) {
		const char *path, *sha, *target;
		uint64_t size;
		char type;
		struct json_object *o;

		if (iommuctl_bundle_member(b, i, &path, &type, &size, &sha,
					   &target) < 0 ||
		    type == 'd')
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "path", json_object_new_string(path));
		if (type == 'l') {
			json_object_object_add(
				o, "type", json_object_new_string("symlink"));
			json_object_object_add(o, "target",
					       json_object_new_string(target));
		} else {
			json_object_object_add(o, "type",
					       json_object_new_string("file"));
			json_object_object_add(
				o, "size",
				json_object_new_int64((int64_t)size));
			json_object_object_add(o, "sha256",
					       json_object_new_string(sha));
		}
		json_object_array_add(a, o);
	}
	return a;
}

/* The one emitter of the command's answer; the table is printed from it. */
static struct json_object *summary_to_json(const char *file, uint64_t files,
					   uint64_t bytes, off_t size,
					   struct json_object *missing)
{
	struct json_object *j = json_object_new_object();

	json_object_object_add(j, "file", json_object_new_string(file));
	json_object_object_add(j, "size", json_object_new_int64(size));
	json_object_object_add(j, "files",
			       json_object_new_int64((int64_t)files));
	json_object_object_add(j, "bytes",
			       json_object_new_int64((int64_t)bytes));
	json_object_object_add(j, "complete",
			       json_object_new_boolean(!count_gaps(missing)));
	json_object_object_add(j, "missing", json_object_get(missing));
	return j;
}

static void summary_print(struct json_object *j)
{
	struct json_object *v, *m;
	size_t i, n, gaps, shown = 0;

	json_object_object_get_ex(j, "missing", &m);
	n = json_object_array_length(m);
	gaps = count_gaps(m);
	json_object_object_get_ex(j, "file", &v);
	printf("Wrote %s", json_object_get_string(v));
	json_object_object_get_ex(j, "size", &v);
	printf(" (%lld bytes", (long long)json_object_get_int64(v));
	json_object_object_get_ex(j, "files", &v);
	printf(", %lld files", (long long)json_object_get_int64(v));
	printf(")\n");
	if (!gaps)
		printf("Complete: nothing was left out by a limit or permission.\n");
	else
		printf("Partial: %zu item%s left out (all listed in report/manifest.json):\n",
		       gaps, gaps == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(m, i), *p, *w,
				   *k;

		json_object_object_get_ex(e, "path", &p);
		json_object_object_get_ex(e, "reason", &w);
		json_object_object_get_ex(e, "kind", &k);
		if (!kind_is_gap(json_object_get_string(k)))
			continue;
		if (shown++ < 20)
			printf("  %s: %s\n", json_object_get_string(p),
			       json_object_get_string(w));
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
	if (!output) {
		if (asprintf(file, "iommuctl-report-%s.tar.gz", stamp) < 0)
			return -ENOMEM;
		output = *file;
	} else {
		*file = strdup(output);
		if (!*file)
			return -ENOMEM;
	}
	if (!strcmp(output, "-")) {
		*prefix = strdup("iommuctl-report");
		return *prefix ? 0 : -ENOMEM;
	}
	base = strrchr(output, '/');
	base = base ? base + 1 : output;
	n = strlen(base);
	if (n > 7 && !strcmp(base + n - 7, ".tar.gz"))
		n -= 7;
	else if (n > 4 && (!strcmp(base + n - 4, ".tgz") ||
			   !strcmp(base + n - 4, ".tar")))
		n -= 4;
	if (!n || (n == 1 && base[0] == '.') ||
	    (n == 2 && !strncmp(base, "..", 2)))
		*prefix = strdup("iommuctl-report");
	else
		*prefix = strndup(base, n);
	return *prefix ? 0 : -ENOMEM;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static int do_report(int argc, char **argv, struct cmdctx *c)
{
	struct report r = { .c = c, .timeout_s = 5 };
	struct iommuctl_report_opts o = { 0 };
	const char *output = NULL;
	char *file = NULL, *prefix = NULL, *tmp = NULL;
	struct json_object *man = NULL, *j;
	struct optparse p;
	struct utsname un;
	uint64_t debugfs_max = 0;
	bool quiet = false, to_stdout, gzip;
	struct stat st;
	char stamp[32];
	time_t now;
	struct tm tm;
	int fd = -1, rc, ret = EXIT_FAILED, opt;

	optparse_init(&p, c, argc, argv, &report_help);
	while ((opt = optparse_next(&p)) >= 0) {
		switch (report_opts[opt].sname) {
		case 'o':
			output = p.arg;
			break;
		case 'D':
			o.no_debugfs = true;
			break;
		case 'm':
			if (size_arg(c, "--debugfs-max", p.arg, &debugfs_max) <
			    0) {
				optparse_fini(&p);
				return EXIT_USAGE;
			}
			break;
		case 't': {
			char *end;
			unsigned long v;

			errno = 0;
			v = strtoul(p.arg, &end, 10);
			if (errno || *end || !v || v > 3600) {
				optparse_fini(&p);
				return cmd_usage_error(
					c, "--timeout '%s': seconds, 1 to 3600",
					p.arg);
			}
			r.timeout_s = (unsigned int)v;
			break;
		}
		case 'q':
			quiet = true;
			break;
		}
	}
	if (opt == OPT_EXIT) {
		optparse_fini(&p);
		return p.exit;
	}
	if (p.argc) {
		rc = cmd_usage_error(c, "unexpected operand '%s'", p.argv[0]);
		optparse_fini(&p);
		return rc;
	}
	optparse_fini(&p);

	if (default_names(&file, &prefix, output) < 0)
		return cmd_error(c, EXIT_FAILED, -ENOMEM, "report");
	to_stdout = !strcmp(file, "-");
	gzip = !ends_with(file, ".tar");
	if (to_stdout && isatty(STDOUT_FILENO)) {
		ret = cmd_usage_error(
			c,
			"-o -: refusing to write a binary bundle to a terminal");
		goto out;
	}
	if (to_stdout) {
		fd = STDOUT_FILENO;
	} else {
		if (asprintf(&tmp, "%s.XXXXXX", file) < 0) {
			ret = cmd_error(c, EXIT_FAILED, -ENOMEM, "report");
			goto out;
		}
		fd = mkostemp(tmp, O_CLOEXEC);
		if (fd < 0) {
			ret = cmd_error(c, EXIT_FAILED, -errno,
					"cannot create %s", file);
			free(tmp);
			tmp = NULL;
			goto out;
		}
		fchmod(fd, 0600);
	}

	now = time(NULL);
	rc = iommuctl_bundle_new(c->ctx, fd, gzip, (int64_t)now, &r.b);
	if (rc < 0) {
		ret = cmd_error(c, EXIT_FAILED, rc, "cannot write %s", file);
		goto out;
	}
	r.prefix = prefix;
	r.commands = json_object_new_array();
	r.missing = json_object_new_array();
	r.nodes = json_object_new_array();
	r.progress = !quiet && isatty(STDERR_FILENO);
	add_dir(&r, "");
	add_dir(&r, "report");
	add_dir(&r, "report/commands");

	/* Commands first: the tree then shows the state right after them. */
	run_all(&r, !o.no_debugfs);

	o.prefix = prefix;
	o.debugfs_max = debugfs_max;
	o.timeout_ms = r.timeout_s * 1000;
	o.progress = on_progress;
	o.missing = on_missing;
	o.node = on_node;
	o.data = &r;
	rc = iommuctl_report_collect(c->ctx, r.b, &o);
	if (rc < 0 && !r.err)
		r.err = rc;
	progress_line(&r, NULL);

	add_file(&r, "report/README.txt", readme, sizeof(readme) - 1);

	man = json_object_new_object();
	json_object_object_add(man, "format", json_object_new_int(1));
	json_object_object_add(
		man, "tool",
		json_object_new_string("iommuctl " IOMMUCTL_VERSION));
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_object_add(man, "created", json_object_new_string(stamp));
	json_object_object_add(
		man, "root", json_object_new_string(iommuctl_get_root(c->ctx)));
	if (!iommuctl_is_offline(c->ctx) && uname(&un) == 0) {
		j = json_object_new_object();
		json_object_object_add(j, "release",
				       json_object_new_string(un.release));
		json_object_object_add(j, "version",
				       json_object_new_string(un.version));
		json_object_object_add(j, "machine",
				       json_object_new_string(un.machine));
		json_object_object_add(man, "kernel", j);
	}
	j = json_object_new_object();
	json_object_object_add(j, "debugfs",
			       json_object_new_boolean(!o.no_debugfs));
	json_object_object_add(
		j, "debugfs_max",
		json_object_new_int64(debugfs_max ? (int64_t)debugfs_max :
						    16 * 1024 * 1024));
	json_object_object_add(j, "timeout_seconds",
			       json_object_new_int(r.timeout_s));
	json_object_object_add(j, "euid", json_object_new_int64(geteuid()));
	json_object_object_add(man, "options", j);
	json_object_object_add(man, "complete",
			       json_object_new_boolean(!count_gaps(r.missing)));
	json_object_object_add(man, "missing", json_object_get(r.missing));
	json_object_object_add(man, "nodes", json_object_get(r.nodes));
	json_object_object_add(man, "commands", json_object_get(r.commands));
	json_object_object_add(man, "files", manifest_files(r.b));
	{
		const char *s = json_object_to_json_string_ext(
			man, JSON_C_TO_STRING_PRETTY |
				     JSON_C_TO_STRING_NOSLASHESCAPE);

		add_file(&r, "report/manifest.json", s, strlen(s));
	}
	if (r.err) {
		iommuctl_bundle_free(r.b);
		r.b = NULL;
		ret = cmd_error(c, EXIT_FAILED, r.err, "writing %s", file);
		goto out;
	}
	{
		uint64_t files = 0, bytes = 0;
		size_t i, n = iommuctl_bundle_count(r.b);

		for (i = 0; i < n; i++) {
			char type;
			uint64_t size;

			if (iommuctl_bundle_member(r.b, i, NULL, &type, &size,
						   NULL, NULL) == 0 &&
			    type == 'f') {
				files++;
				bytes += size;
			}
		}
		rc = iommuctl_bundle_finish(r.b);
		r.b = NULL;
		if (rc < 0) {
			ret = cmd_error(c, EXIT_FAILED, rc, "writing %s", file);
			goto out;
		}
		if (!to_stdout) {
			if (fsync(fd) < 0 || fstat(fd, &st) < 0 ||
			    rename(tmp, file) < 0) {
				ret = cmd_error(c, EXIT_FAILED, -errno,
						"writing %s", file);
				goto out;
			}
			free(tmp);
			tmp = NULL;
		} else {
			st.st_size = 0;
			fstat(fd, &st);
		}
		j = summary_to_json(file, files, bytes, st.st_size, r.missing);
	}
	if (to_stdout) {
		/* the bundle is on stdout: the summary goes to stderr */
		int saved = dup(STDOUT_FILENO);

		fflush(stdout);
		dup2(STDERR_FILENO, STDOUT_FILENO);
		if (c->json)
			json_print(c, j);
		else
			summary_print(j);
		fflush(stdout);
		dup2(saved, STDOUT_FILENO);
		close(saved);
	} else if (c->json) {
		json_print(c, j);
	} else {
		summary_print(j);
	}
	json_object_put(j);
	ret = EXIT_OK;
out:
	iommuctl_bundle_free(r.b);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	if (fd >= 0 && !to_stdout)
		close(fd);
	json_object_put(man);
	json_object_put(r.commands);
	json_object_put(r.missing);
	json_object_put(r.nodes);
	free(file);
	free(prefix);
	return ret;
}

static const struct cmd report_cmds[] = {
	{ "create", do_report, "collect a bug-report bundle (default)" },
	{ NULL, NULL, NULL },
};

int cmd_report(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(report_cmds, argc, argv, c);
}

LEGACY_OBJECT(obj_report, "report", "collect a bug-report bundle for offline analysis", cmd_report);
