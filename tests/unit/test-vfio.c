// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: the journal of `vfio bind` is iommuctl's own format
 * (key=value lines, one file per device under <rundir>/vfio). These tests
 * parse entries, including damaged ones, and read a journal directory
 * through iommuctl_vfio_journal(): entries are found and sorted, names that
 * are not PCI addresses are ignored, and a run directory that is a symlink
 * or open to others is refused rather than trusted. Binding itself changes
 * the host and is tested in the VMs (tests/vm/scenarios/vfio.sh).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "private.h"
#include "tree.h"

static void parse(const char *text, int want, struct vfio_jentry *e)
{
	assert_int_equal(vfio_journal_parse(text, strlen(text), e), want);
}

static void test_parse(void **state)
{
	struct vfio_jentry e;

	(void)state;
	parse("# comment\ndevice=0000:00:04.0\ndriver=e1000e\n"
	      "driver_override=\nset_override=1\npid=42\ntime=1700000000\n"
	      "state=unbound\n",
	      0, &e);
	assert_string_equal(e.driver, "e1000e");
	assert_null(e.override);
	assert_true(e.set_override);
	assert_int_equal(e.pid, 42);
	assert_int_equal(e.time, 1700000000LL);
	assert_string_equal(e.state, "unbound");
	free(e.driver);
	free(e.override);
	free(e.state);

	/* no driver before, an override someone else had set */
	parse("device=0000:00:03.0\ndriver=\ndriver_override=pci-stub\n"
	      "set_override=0\nfuture_key=whatever",
	      0, &e);
	assert_null(e.driver);
	assert_string_equal(e.override, "pci-stub");
	assert_false(e.set_override);
	free(e.override);
	free(e.state);
}

/* a PF's VF count and an mdev iommuctl made */
static void test_parse_sub(void **state)
{
	struct vfio_jentry e;

	(void)state;
	parse("device=0000:07:00.0\nkind=sriov\nnumvfs=3\nautoprobe=1\n"
	      "state=set\n",
	      0, &e);
	assert_string_equal(e.kind, "sriov");
	assert_int_equal(e.numvfs, 3);
	assert_int_equal(e.autoprobe, 1);
	assert_null(e.parent);
	free(e.kind);
	free(e.state);
	parse("device=83b8f4f2-509f-382f-3c1e-e6bfe0fa1001\nkind=mdev\n"
	      "parent=mtty\ntype=mtty-2\n",
	      0, &e);
	assert_string_equal(e.kind, "mdev");
	assert_string_equal(e.parent, "mtty");
	assert_string_equal(e.type, "mtty-2");
	/* no autoprobe key: not known */
	assert_int_equal(e.autoprobe, -1);
	free(e.kind);
	free(e.parent);
	free(e.type);
}

static void test_parse_bad(void **state)
{
	struct vfio_jentry e;

	(void)state;
	/* no device key: not an entry */
	parse("driver=e1000e\n", -EINVAL, &e);
	/* a line that is not key=value */
	parse("device=0000:00:03.0\ngarbage\n", -EINVAL, &e);
	/* control characters in a value */
	parse("device=0000:00:03.0\ndriver=e1000\x1b[2J\n", -EINVAL, &e);
	parse("", -EINVAL, &e);
}

/* a fresh run directory under /tmp; the caller removes it */
static char *mkrundir(void)
{
	char *d = strdup("/tmp/iommuctl-test-vfio.XXXXXX");

	assert_non_null(mkdtemp(d));
	return d;
}

static void put(const char *dir, const char *name, const char *text)
{
	char *p;
	FILE *f;

	assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

static void rm_rf(const char *dir)
{
	char *cmd;

	assert_true(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static void quiet(struct iommuctl_ctx *ctx, int priority, const char *file,
		  int line, const char *fn, const char *format, va_list args)
{
	(void)ctx, (void)priority, (void)file, (void)line, (void)fn;
	(void)format, (void)args;
}

static void test_journal_dir(void **state)
{
	struct iommuctl_vfio_entry *e;
	struct iommuctl_ctx *ctx;
	char *dir = mkrundir(), *j;
	size_t n;

	(void)state;
	assert_int_equal(iommuctl_new(&ctx), 0);
	iommuctl_set_log_fn(ctx, quiet);
	assert_int_equal(iommuctl_set_run_dir(ctx, dir), 0);
	/* no vfio/ yet: an empty journal */
	assert_int_equal(iommuctl_vfio_journal(ctx, &e, &n), 0);
	assert_int_equal(n, 0);
	iommuctl_vfio_journal_free(e, n);

	assert_true(asprintf(&j, "%s/vfio", dir) > 0);
	assert_int_equal(mkdir(j, 0700), 0);
	put(j, "0000:00:1f.2", "device=0000:00:1f.2\ndriver=ahci\nstate=bound\n");
	put(j, "0000:00:03.0", "device=0000:00:03.0\ndriver=\nstate=planned\n");
	put(j, "not-a-device", "device=x\n");
	put(j, ".0000:00:04.0.12.tmp", "device=0000:00:04.0\n");
	assert_int_equal(iommuctl_vfio_journal(ctx, &e, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(e[0].device, "0000:00:03.0");
	assert_null(e[0].driver);
	assert_string_equal(e[0].state, "planned");
	assert_string_equal(e[1].device, "0000:00:1f.2");
	assert_string_equal(e[1].driver, "ahci");
	assert_null(e[1].kind);
	assert_int_equal(e[1].numvfs, -1);
	iommuctl_vfio_journal_free(e, n);

	/* then the mdevs iommuctl made, then the VF counts it set */
	put(j, "sriov-0000:07:00.0",
	    "device=0000:07:00.0\nkind=sriov\nnumvfs=0\nautoprobe=1\n");
	put(j, "mdev-83b8f4f2-509f-382f-3c1e-e6bfe0fa1001",
	    "device=83b8f4f2-509f-382f-3c1e-e6bfe0fa1001\nkind=mdev\n"
	    "parent=mtty\ntype=mtty-2\n");
	assert_int_equal(iommuctl_vfio_journal(ctx, &e, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(e[2].device, "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001");
	assert_string_equal(e[2].kind, "mdev");
	assert_string_equal(e[2].parent, "mtty");
	assert_string_equal(e[2].mdev_type, "mtty-2");
	assert_string_equal(e[3].device, "0000:07:00.0");
	assert_string_equal(e[3].kind, "sriov");
	assert_int_equal(e[3].numvfs, 0);
	iommuctl_vfio_journal_free(e, n);

	/* open to others: refused */
	assert_int_equal(chmod(j, 0755), 0);
	assert_int_equal(iommuctl_vfio_journal(ctx, &e, &n), -EPERM);
	assert_int_equal(chmod(j, 0700), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(iommuctl_vfio_journal(ctx, &e, &n), -EPERM);
	assert_int_equal(chmod(dir, 0700), 0);
	free(j);

	/* a symlink as the run directory: refused, not followed */
	assert_true(asprintf(&j, "%s/link", dir) > 0);
	assert_int_equal(symlink(dir, j), 0);
	assert_int_equal(iommuctl_set_run_dir(ctx, j), 0);
	assert_int_equal(iommuctl_vfio_journal(ctx, &e, &n), -ELOOP);
	free(j);

	/* relative run directories are refused up front */
	assert_int_equal(iommuctl_set_run_dir(ctx, "run/iommuctl"), -EINVAL);
	iommuctl_unref(ctx);
	rm_rf(dir);
	free(dir);
}

/* iommuctl exec's placeholders: {iommufd}, {vfio}, {vfio:DEVICE} by address
 * (any form) or cdev; what cannot be filled is pointed at. */
static void exec_arg(const char *arg, size_t n, int want, const char *text)
{
	static const struct iommuctl_exec_fd devs[] = {
		{ "0000:00:03.0", "vfio0", 7 },
		{ "0000:00:04.0", "vfio1", 8 },
	};
	size_t bad = 99, len = 99;
	char *out = NULL;

	assert_int_equal(iommuctl_exec_arg(arg, 3, devs, n, &out, &bad, &len),
			 want);
	if (want) {
		assert_null(out);
		assert_int_equal(len, strlen(text));
		assert_memory_equal(arg + bad, text, len);
		return;
	}
	assert_string_equal(out, text);
	free(out);
}

static void test_exec_arg(void **state)
{
	(void)state;
	exec_arg("iommufd,id=i,fd={iommufd}", 2, 0, "iommufd,id=i,fd=3");
	exec_arg("fd={vfio}", 1, 0, "fd=7");
	exec_arg("{vfio:00:04.0},{vfio:vfio0},{vfio:0000:00:03.0}", 2, 0,
		 "8,7,7");
	exec_arg("{vfio:00:03.0", 2, 0, "{vfio:00:03.0");
	exec_arg("{iommufd}{iommufd", 0, 0, "3{iommufd");
	exec_arg("", 0, 0, "");
	exec_arg("a,fd={vfio}", 2, -EINVAL, "{vfio}");
	exec_arg("a,fd={vfio}", 0, -EINVAL, "{vfio}");
	exec_arg("fd={vfio:00:05.0},x", 2, -ENODEV, "{vfio:00:05.0}");
}

/* exec's devices by cdev or name: what is not on vfio-pci says its
 * driver; the cdev of one that is (the bundle has the file) is opened for
 * the command to inherit. */
static void test_exec_open_device(void **state)
{
	struct iommuctl_ctx *ctx = tree_fixture("vtd");
	struct iommuctl_exec_fd d;
	const char *drv = NULL;

	(void)state;
	assert_int_equal(iommuctl_exec_open_device(ctx, "nosuch", &d, &drv),
			 -ENXIO);
	assert_int_equal(d.fd, -1);
	assert_int_equal(iommuctl_exec_open_device(ctx, "0000:00:02.0", &d,
						   &drv),
			 -ENODEV);
	assert_string_equal(d.device, "0000:00:02.0");
	assert_string_equal(drv, "e1000e");
	assert_string_equal(d.cdev, "");
	assert_int_equal(iommuctl_exec_open_device(ctx, "vfio0", &d, NULL), 0);
	assert_string_equal(d.device, "0000:00:03.0");
	assert_string_equal(d.cdev, "vfio0");
	assert_true(d.fd >= 0);
	assert_int_equal(fcntl(d.fd, F_GETFD) & FD_CLOEXEC, 0);
	close(d.fd);
	assert_int_equal(iommuctl_exec_open_device(ctx, NULL, &d, NULL),
			 -EINVAL);
	iommuctl_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_sub),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_journal_dir),
		cmocka_unit_test(test_exec_arg),
		cmocka_unit_test(test_exec_open_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
