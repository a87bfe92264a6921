// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: the report collector (lib/report.c). The deadline
 * reader on a tree of its own: a regular file is read, a FIFO (whose
 * open blocks until a writer comes, like a wedged sysfs attribute) is
 * abandoned after the deadline and the next read starts a fresh worker, a
 * file over the limit is -EFBIG and a symlink is not followed. Then
 * iommuctl_report_collect() on the tree captured from the vtd VM, plus
 * planted files with side effects, written as a bundle and read back with
 * iommuctl_set_root(): the same groups and devices, symlinks intact, the
 * planted files never opened, and what was left out reported with a reason.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "private.h"

#include "tree.h"

static char tmpl[] = "/tmp/iommuctl-test-report.XXXXXX";

static char *at(const char *rel)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", tree_top, rel) > 0);
	return p;
}

static int setup(void **state)
{
	(void)state;
	return tree_setup(tmpl);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_deadline_reader(void **state)
{
	struct report_reader *rd = NULL;
	struct iommuctl_ctx *ctx;
	char *root = at("r"), *buf = NULL;
	size_t len = 0;
	double t0, dt;

	(void)state;
	tree_sh("mkdir -p '%s' && printf 'DMA-FQ\\n' >'%s/type' && mkfifo '%s/fifo' "
		"&& head -c 2000000 /dev/zero >'%s/big' && ln -s type '%s/link'",
		root, root, root, root, root);
	ctx = tree_ctx(root);

	assert_int_equal(report_read(ctx, &rd, "/type", 4096, 2000, &buf, &len),
			 0);
	assert_int_equal(len, 7);
	assert_memory_equal(buf, "DMA-FQ\n", 7);
	free(buf);
	assert_non_null(rd);

	/* the FIFO's open blocks: abandoned at the deadline */
	t0 = now();
	assert_int_equal(report_read(ctx, &rd, "/fifo", 4096, 200, &buf, &len),
			 -ETIMEDOUT);
	dt = now() - t0;
	assert_true(dt >= 0.19 && dt < 3.0);
	assert_null(rd);

	/* a fresh worker for the next file */
	buf = NULL;
	assert_int_equal(report_read(ctx, &rd, "/type", 4096, 2000, &buf, &len),
			 0);
	assert_int_equal(len, 7);
	free(buf);
	assert_non_null(rd);

	assert_int_equal(report_read(ctx, &rd, "/big", 1024 * 1024, 2000, &buf,
				     &len),
			 -EFBIG);
	assert_int_equal(report_read(ctx, &rd, "/link", 4096, 2000, &buf, &len),
			 -ELOOP);
	assert_int_equal(report_read(ctx, &rd, "/absent", 4096, 2000, &buf,
				     &len),
			 -ENOENT);
	report_reader_release(rd);
	iommuctl_unref(ctx);
	free(root);
}

struct seen {
	unsigned int missing, nodes;
	bool big_too_large;
};

static void on_missing(void *data, const char *path, int err,
		       const char *reason)
{
	struct seen *s = data;

	assert_non_null(reason);
	assert_true(err < 0);
	s->missing++;
	if (strstr(path, "/big_attr") && err == -EFBIG)
		s->big_too_large = true;
}

static void on_node(void *data, const char *path, const struct stat *st)
{
	struct seen *s = data;

	(void)st;
	assert_true(!strncmp(path, "/dev/", 5));
	s->nodes++;
}

static unsigned int count_groups(struct iommuctl_ctx *ctx)
{
	struct iommuctl_group *g;
	unsigned int n = 0;

	iommuctl_group_foreach(ctx, g)
		n++;
	return n;
}

static unsigned int count_devices(struct iommuctl_ctx *ctx)
{
	struct iommuctl_device *d;
	unsigned int n = 0;

	iommuctl_device_foreach(ctx, d) n++;
	return n;
}

static void test_collect_roundtrip(void **state)
{
	struct iommuctl_report_opts o = { 0 };
	struct iommuctl_ctx *ctx, *back;
	struct iommuctl_bundle *b;
	char *tree = at("vtd"), *out = at("vtd.tar.gz");
	char *dev = NULL;
	struct seen seen = { 0 };
	size_t i, n;
	bool has_resource = false, has_remove = false, has_link = false;
	bool has_config = false;
	int fd;

	(void)state;
	tree_sh("mkdir -p '%s' && tar xzf '%s/tests/fixtures/vtd/root.tar.gz' -C '%s'",
		tree, IOMMUCTL_SRCDIR, tree);
	/* files a report must never open, and one over the size limit */
	tree_sh("d=$(readlink -f '%s/sys/bus/pci/devices/0000:00:02.0'); "
		"printf 'x' >\"$d/resource0\"; "
		"printf 'x' >\"$d/remove\"; chmod 0200 \"$d/remove\"; "
		"head -c 300000 /dev/zero | tr '\\0' 'a' >\"$d/big_attr\"",
		tree);
	ctx = tree_ctx(tree);

	fd = open(out, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(iommuctl_bundle_new(ctx, fd, true, 0, &b), 0);
	o.prefix = "bundle";
	o.file_max = 256 * 1024;
	o.missing = on_missing;
	o.node = on_node;
	o.data = &seen;
	assert_int_equal(iommuctl_report_collect(ctx, b, &o), 0);

	n = iommuctl_bundle_count(b);
	assert_true(n > 500);
	for (i = 0; i < n; i++) {
		const char *path, *sha, *target;
		uint64_t size;
		char type;

		assert_int_equal(iommuctl_bundle_member(b, i, &path, &type,
							&size, &sha, &target),
				 0);
		assert_true(!strncmp(path, "bundle/", 7) ||
			    !strcmp(path, "bundle"));
		if (strstr(path, "/resource0"))
			has_resource = true;
		if (strstr(path, "/remove") && type == 'f')
			has_remove = true;
		if (!strcmp(path,
			    "bundle/sys/kernel/iommu_groups/0/devices/0000:00:00.0") &&
		    type == 'l' && target &&
		    !strncmp(target, "../../../../devices/", 20))
			has_link = true;
		if (strstr(path, "0000:00:02.0/config") && type == 'f' &&
		    size >= 64 && sha && strlen(sha) == 64)
			has_config = true;
	}
	assert_false(has_resource);
	assert_false(has_remove);
	assert_true(has_link);
	assert_true(has_config);
	assert_true(seen.big_too_large);
	assert_true(seen.nodes >= 2); /* /dev/iommu, /dev/vfio ... */
	assert_int_equal(iommuctl_bundle_finish(b), 0);
	close(fd);

	/* read back: the same world */
	back = tree_ctx(out);
	assert_int_equal(count_groups(back), count_groups(ctx));
	assert_int_equal(count_devices(back), count_devices(ctx));
	assert_true(count_groups(back) > 5);
	{
		struct iommuctl_device *d;

		iommuctl_device_foreach(
			back, d) if (!strcmp(iommuctl_device_get_name(d),
					     "0000:00:02.0"))
			dev = strdup(iommuctl_device_get_driver(d) ?
					     iommuctl_device_get_driver(d) :
					     "-");
	}
	assert_non_null(dev);
	assert_string_equal(dev, "e1000e");
	free(dev);
	iommuctl_unref(back);
	iommuctl_unref(ctx);
	free(tree);
	free(out);
}

/* Where a bundle goes: the default name carries the time, the tree_top
 * directory is the file's base name without its archive suffix. */
static void test_names(void **state)
{
	static const struct {
		const char *output, *file, *prefix;
		bool gzip;
	} t[] = {
		{ NULL, "iommuctl-report-19700102-000000.tar.gz",
		  "iommuctl-report-19700102-000000", true },
		{ "out/host.tar.gz", "out/host.tar.gz", "host", true },
		{ "host.tgz", "host.tgz", "host", true },
		{ "/tmp/host.tar", "/tmp/host.tar", "host", false },
		{ "plain", "plain", "plain", true },
		{ "-", "-", "iommuctl-report", true },
		{ "dir/..", "dir/..", "iommuctl-report", true },
		{ ".tar.gz", ".tar.gz", ".tar.gz", true },
		{ "a/.tgz", "a/.tgz", ".tgz", true },
	};
	char *file, *prefix;
	bool gzip;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(iommuctl_report_names(t[i].output, 86400,
						       &file, &prefix, &gzip),
				 0);
		assert_string_equal(file, t[i].file);
		assert_string_equal(prefix, t[i].prefix);
		assert_int_equal(gzip, t[i].gzip);
		free(file);
		free(prefix);
	}
}

static void test_missing_kind(void **state)
{
	(void)state;
	assert_string_equal(iommuctl_report_missing_kind(-EACCES),
			    "permission");
	assert_string_equal(iommuctl_report_missing_kind(-EPERM), "permission");
	assert_string_equal(iommuctl_report_missing_kind(-ETIMEDOUT),
			    "too-slow");
	assert_string_equal(iommuctl_report_missing_kind(-EFBIG), "too-large");
	assert_string_equal(iommuctl_report_missing_kind(-ELOOP), "too-large");
	assert_string_equal(iommuctl_report_missing_kind(-ENOENT), "absent");
	assert_string_equal(iommuctl_report_missing_kind(-EIO), "unreadable");
	assert_true(iommuctl_report_kind_is_gap("failed"));
	assert_true(iommuctl_report_kind_is_gap("too-slow"));
	assert_false(iommuctl_report_kind_is_gap("absent"));
	assert_false(iommuctl_report_kind_is_gap("unreadable"));
}

struct cmds_seen {
	unsigned int started, done, failed;
	bool status, group_show, explain, pgtable, probe;
};

static void on_command(void *data, const struct iommuctl_report_cmd *cmd)
{
	struct cmds_seen *s = data;

	if (!cmd->done) {
		s->started++;
		return;
	}
	s->done++;
	assert_true(cmd->offline); /* offline: no probe, no vfio status */
	assert_null(cmd->error);
	assert_non_null(cmd->file);
	assert_null(cmd->stderr_file);
	s->failed += cmd->exit_code != 0;
	if (!strcmp(cmd->cmdline, "status"))
		s->status = !strcmp(cmd->file, "report/commands/status.json");
	if (!strcmp(cmd->cmdline, "group show 6"))
		s->group_show = !strcmp(cmd->file,
					"report/commands/group-show-6.json");
	if (!strcmp(cmd->cmdline, "group explain 6"))
		s->explain = !strcmp(cmd->file,
				     "report/commands/group-explain-6.json");
	if (!strcmp(cmd->cmdline, "pgtable dump --device 0000:00:03.0"))
		s->pgtable = !strcmp(
			cmd->file,
			"report/commands/pgtable-dump---device-0000:00:03.0.json");
	s->probe |= !strcmp(cmd->cmdline, "probe");
}

/* The commands of a report (on the tree test_collect_roundtrip
 * unpacked), run through a stand-in for iommuctl that prints its
 * arguments: their names, files and outcomes. */
static void test_commands(void **state)
{
	struct iommuctl_report_opts o = { .prefix = "b",
					  .commands = true,
					  .exe = "/bin/echo",
					  .command = on_command };
	char *tree = at("vtd");
	struct iommuctl_ctx *ctx = tree_ctx(tree);
	struct cmds_seen seen = { 0 };
	struct iommuctl_bundle *b;
	bool found = false;
	size_t i, n;
	int fd = open("/dev/null", O_WRONLY);

	(void)state;
	o.data = &seen;
	assert_int_equal(iommuctl_bundle_new(ctx, fd, false, 0, &b), 0);
	assert_int_equal(iommuctl_report_collect(ctx, b, &o), 0);
	assert_true(seen.done > 20);
	assert_int_equal(seen.started, seen.done);
	assert_int_equal(seen.failed, 0);
	assert_true(seen.status && seen.group_show && seen.explain &&
		    seen.pgtable);
	assert_false(seen.probe);
	n = iommuctl_bundle_count(b);
	for (i = 0; i < n; i++) {
		const char *path;
		uint64_t size;

		assert_int_equal(iommuctl_bundle_member(b, i, &path, NULL,
							&size, NULL, NULL),
				 0);
		/* "--root ROOT -j status\n" */
		if (!strcmp(path, "b/report/commands/status.json"))
			found = size == strlen(tree) + 18;
	}
	assert_true(found);
	iommuctl_bundle_free(b);

	/* a command that fails is recorded with its exit code */
	o.exe = "/bin/false";
	o.no_debugfs = true;
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(iommuctl_bundle_new(ctx, fd, false, 0, &b), 0);
	assert_int_equal(iommuctl_report_collect(ctx, b, &o), 0);
	assert_true(seen.done > 10 && seen.failed == seen.done);
	assert_false(seen.pgtable);
	iommuctl_bundle_free(b);
	close(fd);
	iommuctl_unref(ctx);
	free(tree);
}

/* iommuctl_bundle_create(): the file appears whole (mode 0600) at the
 * finish, and nothing is left behind when the bundle is dropped. */
static void test_bundle_create(void **state)
{
	char *path = at("created.tar.gz"), *dir = at("");
	struct iommuctl_ctx *ctx = tree_ctx("/");
	struct iommuctl_bundle *b;
	struct stat st;
	DIR *d;
	struct dirent *e;
	unsigned int tmps = 0;

	(void)state;
	assert_int_equal(iommuctl_bundle_create(ctx, path, true, 0, &b), 0);
	assert_int_equal(iommuctl_bundle_add_file(b, "a", "x", 1, 0644), 0);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(iommuctl_bundle_finish(b), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_true(st.st_size > 0);
	unlink(path);
	assert_int_equal(iommuctl_bundle_create(ctx, path, false, 0, &b), 0);
	iommuctl_bundle_free(b);
	assert_int_equal(stat(path, &st), -1);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)))
		tmps += !strncmp(e->d_name, "created.tar.gz.", 15);
	closedir(d);
	assert_int_equal(tmps, 0);
	assert_int_equal(iommuctl_bundle_create(ctx, "/nonexistent/x.tar",
						false, 0, &b),
			 -ENOENT);
	iommuctl_unref(ctx);
	free(path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deadline_reader),
		cmocka_unit_test(test_collect_roundtrip),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_missing_kind),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_bundle_create),
	};

	return cmocka_run_group_tests(tests, setup, tree_teardown);
}
