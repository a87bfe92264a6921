// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: pure logic of libiommuctl, no kernel needed: parsing
 * of IOMMUCTL_LOG priorities, IOMMU kind detection from what sysfs shows,
 * the kernel command line filter, natural sort order, the --root
 * confinement (a hostile tree built in a temporary directory must not make
 * the library read anything outside it), vEVENTQ records split into
 * events (lost-events markers without payload, short buffers, unknown types),
 * and readiness verdicts from feature answers (unknown when not asked, PASID
 * only with a PASID width).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "private.h"

static void test_log_priority(void **state)
{
	(void)state;
	assert_int_equal(iommuctl_parse_log_priority("err"), LOG_ERR);
	assert_int_equal(iommuctl_parse_log_priority("DEBUG"), LOG_DEBUG);
	assert_int_equal(iommuctl_parse_log_priority("info"), LOG_INFO);
	assert_int_equal(iommuctl_parse_log_priority("6"), 6);
	assert_int_equal(iommuctl_parse_log_priority("8"), -EINVAL);
	assert_int_equal(iommuctl_parse_log_priority("-1"), -EINVAL);
	assert_int_equal(iommuctl_parse_log_priority("loud"), -EINVAL);
	assert_int_equal(iommuctl_parse_log_priority(""), -EINVAL);
	assert_int_equal(iommuctl_parse_log_priority(NULL), -EINVAL);
}

static void test_log_env(void **state)
{
	struct iommuctl_ctx *ctx;

	(void)state;
	setenv("IOMMUCTL_LOG", "debug", 1);
	assert_int_equal(iommuctl_new(&ctx), 0);
	assert_int_equal(iommuctl_get_log_priority(ctx), LOG_DEBUG);
	iommuctl_unref(ctx);
	setenv("IOMMUCTL_LOG", "nonsense", 1);
	assert_int_equal(iommuctl_new(&ctx), 0);
	assert_int_equal(iommuctl_get_log_priority(ctx), LOG_ERR);
	iommuctl_unref(ctx);
	unsetenv("IOMMUCTL_LOG");
}

static void test_kind_detect(void **state)
{
	(void)state;
	assert_int_equal(iommuctl_iommu_kind_detect("dmar0", "intel-iommu", NULL),
			 IOMMUCTL_IOMMU_INTEL_VTD);
	assert_int_equal(iommuctl_iommu_kind_detect("ivhd0", "amd-iommu", NULL),
			 IOMMUCTL_IOMMU_AMD_VI);
	/* virtio-iommu units are named after the PCI function */
	assert_int_equal(iommuctl_iommu_kind_detect("0000:00:03.0", NULL, "virtio_iommu"),
			 IOMMUCTL_IOMMU_VIRTIO);
	assert_int_equal(iommuctl_iommu_kind_detect("smmu3.0x0000000009050000", NULL, NULL),
			 IOMMUCTL_IOMMU_ARM_SMMU_V3);
	assert_int_equal(iommuctl_iommu_kind_detect("smmu.0x0000000009050000", NULL, NULL),
			 IOMMUCTL_IOMMU_ARM_SMMU);
	assert_int_equal(iommuctl_iommu_kind_detect("iommufd_selftest_iommu.0", NULL, NULL),
			 IOMMUCTL_IOMMU_MOCK);
	assert_int_equal(iommuctl_iommu_kind_detect("foo", NULL, NULL),
			 IOMMUCTL_IOMMU_OTHER);
	/* A dmar-like name without the attribute group is not trusted */
	assert_int_equal(iommuctl_iommu_kind_detect("dmar0", NULL, NULL),
			 IOMMUCTL_IOMMU_OTHER);
	assert_string_equal(iommuctl_iommu_kind_name(IOMMUCTL_IOMMU_MOCK), "iommufd-mock");
	assert_string_equal(iommuctl_iommu_kind_name((enum iommuctl_iommu_kind)99), "other");
	/* capabilities: decoded, or a reason, for every kind */
	assert_null(iommuctl_iommu_kind_caps_why(IOMMUCTL_IOMMU_INTEL_VTD));
	assert_null(iommuctl_iommu_kind_caps_why(IOMMUCTL_IOMMU_AMD_VI));
	assert_null(iommuctl_iommu_kind_caps_why(IOMMUCTL_IOMMU_ARM_SMMU_V3));
	assert_non_null(strstr(iommuctl_iommu_kind_caps_why(IOMMUCTL_IOMMU_VIRTIO),
			       "virtio"));
	assert_non_null(iommuctl_iommu_kind_caps_why(IOMMUCTL_IOMMU_ARM_SMMU));
	assert_non_null(iommuctl_iommu_kind_caps_why(IOMMUCTL_IOMMU_MOCK));
	assert_non_null(iommuctl_iommu_kind_caps_why(IOMMUCTL_IOMMU_OTHER));
}

static void test_cmdline_words(void **state)
{
	static const char *const yes[] = {
		"intel_iommu=on",	   "intel_iommu=on,sm_on", "iommu=pt",
		"iommu.passthrough=1",	   "iommu.strict=0",	   "amd_iommu=off",
		"vfio-pci.ids=1234:11e8",  "vfio_pci.ids=10de:1db6", "iommufd.allow_unsafe_interrupts=1",
		"pcie_acs_override=downstream", "pci=noats",	   "pci=realloc,noacs",
		"intremap=off",		   "arm-smmu-v3.disable_bypass=0", "vfio.enable_unsafe_noiommu_mode=1",
		"iommu",
	};
	static const char *const no[] = {
		"console=ttyS0", "quiet", "pci=realloc", "iommuX=1", "panic=-1",
		"intel_iommux=on", "iommu.", "", "vfio",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(iommuctl_cmdline_word_is_iommu(yes[i]));
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(iommuctl_cmdline_word_is_iommu(no[i]));
	assert_false(iommuctl_cmdline_word_is_iommu(NULL));
}

static void test_natural_cmp(void **state)
{
	struct strv s = { 0 };
	static const char *const in[] = { "10", "2", "dmar10", "dmar2", "1", "0", "dmar02" };

	(void)state;
	assert_true(natural_cmp("2", "10") < 0);
	assert_true(natural_cmp("dmar10", "dmar9") > 0);
	assert_int_equal(natural_cmp("abc", "abc"), 0);
	assert_true(natural_cmp("ab", "abc") < 0);
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		assert_int_equal(strv_push(&s, in[i]), 0);
	strv_sort(&s, natural_cmp);
	assert_string_equal(s.v[0], "0");
	assert_string_equal(s.v[1], "1");
	assert_string_equal(s.v[2], "2");
	assert_string_equal(s.v[3], "10");
	assert_string_equal(s.v[4], "dmar2");
	assert_string_equal(s.v[6], "dmar10");
	assert_null(s.v[7]);
	strv_free(&s);
}

/* A hostile tree: symlinks that try to reach the host's files. */
static char tmpl[] = "/tmp/iommuctl-unit-XXXXXX";
static char *root;

static void put(const char *rel, const char *content)
{
	char *p = path_join(root, rel);
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	free(p);
}

static void mk(const char *rel)
{
	char *p = path_join(root, rel);

	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
}

static void lnk(const char *target, const char *rel)
{
	char *p = path_join(root, rel);

	assert_int_equal(symlink(target, p), 0);
	free(p);
}

static int tree_setup(void **state)
{
	(void)state;
	root = mkdtemp(tmpl);
	if (!root)
		return -1;
	mk("etc");
	put("etc/passwd", "inside\n");
	mk("sys");
	mk("sys/kernel");
	mk("sys/kernel/iommu_groups");
	mk("sys/kernel/iommu_groups/0");
	put("sys/kernel/iommu_groups/0/type", "DMA\n");
	mk("sys/kernel/iommu_groups/0/devices");
	mk("sys/kernel/iommu_groups/notanumber");
	mk("sys/kernel/iommu_groups/7");
	/* absolute: must resolve to <root>/etc/passwd, not the host's */
	lnk("/etc/passwd", "sys/kernel/iommu_groups/7/type");
	lnk("../../../../../../../../../etc/passwd", "sys/abs-dotdot");
	lnk("/", "sys/slash");
	mk("proc");
	{
		/* 20 MiB: beyond every bound */
		char *p = path_join(root, "proc/cmdline");
		int fd = open(p, O_CREAT | O_WRONLY, 0644);

		assert_true(fd >= 0);
		assert_int_equal(ftruncate(fd, 20 << 20), 0);
		close(fd);
		free(p);
	}
	return 0;
}

static int tree_teardown(void **state)
{
	char *cmd;

	(void)state;
	if (asprintf(&cmd, "rm -rf '%s'", root) > 0) {
		if (system(cmd) != 0)
			fprintf(stderr, "cleanup of %s failed\n", root);
		free(cmd);
	}
	return 0;
}

static void quiet_log(struct iommuctl_ctx *ctx, int priority, const char *file,
		      int line, const char *fn, const char *format, va_list args)
{
	(void)ctx, (void)priority, (void)file, (void)line, (void)fn;
	(void)format, (void)args;
}

static void test_root_confinement(void **state)
{
	struct iommuctl_ctx *ctx;
	struct iommuctl_group *g;
	char *buf = NULL;
	size_t len;

	(void)state;
	assert_int_equal(iommuctl_new(&ctx), 0);
	iommuctl_set_log_fn(ctx, quiet_log);
	assert_false(iommuctl_is_offline(ctx));
	assert_int_equal(iommuctl_set_root(ctx, root), 0);
	assert_true(iommuctl_is_offline(ctx));

	assert_int_equal(sysfs_read_str(ctx, "/sys/kernel/iommu_groups/7/type", &buf), 0);
	assert_string_equal(buf, "inside");
	free(buf);
	assert_int_equal(sysfs_read_str(ctx, "/sys/abs-dotdot", &buf), 0);
	assert_string_equal(buf, "inside");
	free(buf);
	assert_int_equal(sysfs_read_str(ctx, "/sys/slash/etc/passwd", &buf), 0);
	assert_string_equal(buf, "inside");
	free(buf);
	assert_int_equal(sysfs_read_str(ctx, "/../../../etc/passwd", &buf), 0);
	assert_string_equal(buf, "inside");
	free(buf);

	/* bounded: an oversized file is an error, not a truncated value */
	assert_int_equal(sysfs_read(ctx, "/proc/cmdline", SYSFS_ATTR_MAX, &buf, &len),
			 -EFBIG);

	/* groups: numeric names only, in numeric order */
	assert_int_equal(iommuctl_num_groups(ctx), 2);
	g = iommuctl_group_get_first(ctx);
	assert_int_equal(iommuctl_group_get_id(g), 0);
	assert_string_equal(iommuctl_group_get_type(g), "DMA");
	g = iommuctl_group_get_next(g);
	assert_int_equal(iommuctl_group_get_id(g), 7);
	assert_null(iommuctl_group_get_next(g));

	/* too late to change the root once enumerated */
	assert_int_equal(iommuctl_set_root(ctx, "/"), -EBUSY);
	iommuctl_unref(ctx);
}

static void test_root_errors(void **state)
{
	struct iommuctl_ctx *ctx;

	(void)state;
	assert_int_equal(iommuctl_new(&ctx), 0);
	iommuctl_set_log_fn(ctx, quiet_log);
	assert_int_equal(iommuctl_set_root(ctx, "/nonexistent/iommuctl"), -ENOENT);
	assert_int_equal(iommuctl_set_root(ctx, ""), -EINVAL);
	assert_int_equal(iommuctl_set_root(ctx, "/."), 0);
	assert_false(iommuctl_is_offline(ctx)); /* "/." is the live system */
	iommuctl_unref(ctx);
}

static void test_status_on_bad_tree(void **state)
{
	struct iommuctl_status *st;
	struct iommuctl_ctx *ctx;
	struct iommuctl_finding *f;
	unsigned int n;
	int found = 0;

	(void)state;
	assert_int_equal(iommuctl_new(&ctx), 0);
	iommuctl_set_log_fn(ctx, quiet_log);
	assert_int_equal(iommuctl_set_root(ctx, root), 0);
	/* the oversized cmdline is skipped; the rest still answers */
	assert_int_equal(iommuctl_status_new(ctx, &st), 0);
	iommuctl_status_get_cmdline(st, &n);
	assert_int_equal(n, 0);
	assert_int_equal(iommuctl_status_get_verdict(st), IOMMUCTL_VERDICT_NONE);
	assert_int_equal(iommuctl_status_get_num_groups(st), 2);
	assert_false(iommuctl_status_get_iommufd(st)->present);
	iommuctl_finding_foreach(st, f)
		found += !strcmp(iommuctl_finding_get_code(f), "no-iommu");
	assert_int_equal(found, 1);
	iommuctl_status_free(st);
	iommuctl_unref(ctx);
}

static void test_vevent_next(void **state)
{
	/* selftest: {flags, seq} + u32; a lost-events marker; a cut-off one */
	static const unsigned char buf[] = {
		0, 0, 0, 0, 7, 0, 0, 0, 0x34, 0x12, 0, 0, 1, 0,	   0,
		0, 8, 0, 0, 0, 0, 0, 0, 0,    9,    0, 0, 0, 0xaa, 0xbb,
	};
	struct iommuctl_vevent ev;
	size_t off = 0;

	(void)state;
	assert_int_equal(iommuctl_vevent_next(buf, sizeof(buf),
					      IOMMUCTL_VEVENTQ_SELFTEST, &off,
					      &ev),
			 1);
	assert_int_equal(ev.sequence, 7);
	assert_false(ev.lost_events);
	assert_int_equal(ev.len, 4);
	assert_int_equal(ev.payload[0], 0x34);
	assert_int_equal(iommuctl_vevent_next(buf, sizeof(buf),
					      IOMMUCTL_VEVENTQ_SELFTEST, &off,
					      &ev),
			 1);
	assert_true(ev.lost_events);
	assert_int_equal(ev.len, 0);
	assert_int_equal(iommuctl_vevent_next(buf, sizeof(buf),
					      IOMMUCTL_VEVENTQ_SELFTEST, &off,
					      &ev),
			 1);
	assert_int_equal(ev.sequence, 9);
	assert_int_equal(ev.len, 2);
	assert_int_equal(iommuctl_vevent_next(buf, sizeof(buf),
					      IOMMUCTL_VEVENTQ_SELFTEST, &off,
					      &ev),
			 0);
	/* an unknown type: the first event, then nothing */
	off = 0;
	assert_int_equal(
		iommuctl_vevent_next(buf, sizeof(buf), 0x55, &off, &ev), 1);
	assert_int_equal(ev.len, 0);
	assert_int_equal(
		iommuctl_vevent_next(buf, sizeof(buf), 0x55, &off, &ev), 0);
	/* shorter than a header */
	off = 0;
	assert_int_equal(iommuctl_vevent_next(buf, 7, IOMMUCTL_VEVENTQ_SELFTEST,
					      &off, &ev),
			 0);
}

static void test_readiness(void **state)
{
	static const struct iommuctl_feature_probe f[] = {
		{ "hwpt-alloc-flag", "nest-parent", 1, 1, "allocated" },
		{ "hwpt-alloc-flag", "dirty-tracking", 2, 0, "EOPNOTSUPP" },
		{ "ioas-map-flag", "pasid", 4, 1, "not this area" },
		{ "hwpt-alloc-flag", "pasid", 8, 1, "allocated" },
		{ "hwpt-alloc-flag", "fault-id-valid", 16, -1, "needs a device" },
	};
	struct iommuctl_readiness r;

	(void)state;
	assert_int_equal(iommuctl_readiness(IOMMUCTL_READY_LIVE_MIGRATION, f, 5,
					    0, &r),
			 0);
	assert_string_equal(r.name, "live-migration");
	assert_int_equal(r.ready, 0);
	assert_string_equal(r.how, "EOPNOTSUPP");
	assert_int_equal(iommuctl_readiness(IOMMUCTL_READY_NESTING, f, 5, 0, &r),
			 0);
	assert_int_equal(r.ready, 1);
	assert_int_equal(iommuctl_readiness(IOMMUCTL_READY_PASID, f, 5, 20, &r),
			 0);
	assert_int_equal(r.ready, 1);
	assert_string_equal(r.how, "allocated");
	/* a PASID-capable hwpt is not enough without a PASID width */
	assert_int_equal(iommuctl_readiness(IOMMUCTL_READY_PASID, f, 5, 0, &r),
			 0);
	assert_int_equal(r.ready, 0);
	assert_string_equal(r.how, "allocated; but the device reports no PASID width (max_pasid_log2 0)");
	assert_int_equal(iommuctl_readiness(IOMMUCTL_READY_IOPF, f, 5, 0, &r), 0);
	assert_int_equal(r.ready, -1);
	/* not asked at all */
	assert_int_equal(iommuctl_readiness(IOMMUCTL_READY_NESTING, NULL, 0, 0,
					    &r),
			 0);
	assert_int_equal(r.ready, -1);
	assert_string_equal(r.how, "not asked");
	assert_int_equal(iommuctl_readiness(IOMMUCTL_NUM_READINESS, f, 5, 0, &r),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_log_priority),
		cmocka_unit_test(test_log_env),
		cmocka_unit_test(test_kind_detect),
		cmocka_unit_test(test_cmdline_words),
		cmocka_unit_test(test_natural_cmp),
		cmocka_unit_test(test_readiness),
	};
	const struct CMUnitTest tree[] = {
		cmocka_unit_test(test_root_confinement),
		cmocka_unit_test(test_root_errors),
		cmocka_unit_test(test_status_on_bad_tree),
		cmocka_unit_test(test_vevent_next),
	};
	int rc = cmocka_run_group_tests_name("lib", pure, NULL, NULL);

	return rc | cmocka_run_group_tests_name("root", tree, tree_setup, tree_teardown);
}
