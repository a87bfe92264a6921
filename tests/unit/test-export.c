// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: lib/export.c decides which Prometheus metrics and
 * which Node Feature Discovery labels the setup gives, and their values;
 * the command only renders them. Read from the frozen VT-d fixture (one
 * VT-d unit beside the selftest mock, 15 groups with DMA default domains,
 * 8 of them viable, 0000:00:03.0 on vfio-pci as vfio0, interrupt
 * remapping on): every metric and label, in order, with its value; the
 * fault metric only when the kernel log was read; the label rules
 * (Kubernetes' names and DNS-subdomain namespaces); and the atomic write
 * (0644, no dot-file left behind, a sentence when it fails).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "private.h"
#include "tree.h"

static char tmpl[] = "/tmp/test-export-XXXXXX";

static struct iommuctl_ctx *vtd(struct iommuctl_status **st)
{
	struct iommuctl_ctx *ctx;
	char *root;

	assert_true(asprintf(&root, "%s/vtd", tree_top) > 0);
	ctx = tree_ctx(root);
	free(root);
	assert_int_equal(iommuctl_status_new(ctx, st), 0);
	return ctx;
}

/* "name{label=value} value" or "name value", one a sample, "name" for a
 * metric without samples, joined by ';' */
static void flatten(const struct iommuctl_metric *m, size_t n, char *buf,
		    size_t size)
{
	size_t i, k, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		assert_string_equal(m[i].type, "gauge");
		assert_non_null(m[i].help);
		if (!m[i].n)
			len += (size_t)snprintf(buf + len, size - len, "%s;",
						m[i].name);
		for (k = 0; k < m[i].n; k++) {
			const struct iommuctl_metric_sample *s =
				&m[i].samples[k];

			if (s->label)
				len += (size_t)snprintf(buf + len, size - len,
							"%s{%s=%s} %lld;",
							m[i].name, s->label,
							s->label_value,
							(long long)s->value);
			else
				len += (size_t)snprintf(buf + len, size - len,
							"%s %lld;", m[i].name,
							(long long)s->value);
		}
		assert_true(len < size);
	}
}

static void test_metrics(void **state)
{
	struct iommuctl_fault_counts fc = { .log_errno = ENOENT };
	struct iommuctl_status *st;
	struct iommuctl_ctx *ctx = vtd(&st);
	struct iommuctl_metric *m;
	char buf[4096];
	size_t n;

	(void)state;
	assert_int_equal(iommuctl_metrics(ctx, st, &fc, &m, &n), 0);
	flatten(m, n, buf, sizeof(buf));
	assert_string_equal(buf,
			    "iommuctl_status_verdict{verdict=active} 1;"
			    "iommuctl_iommu_units{kind=intel-vtd} 1;"
			    "iommuctl_iommu_units{kind=iommufd-mock} 1;"
			    "iommuctl_groups{domain_type=dma} 15;"
			    "iommuctl_groups_viable 8;"
			    "iommuctl_vfio_pci_devices 1;"
			    "iommuctl_interrupt_remapping{state=enabled} 1;"
			    "iommuctl_msi_isolated 1;"
			    "iommuctl_iommufd_present 1;"
			    "iommuctl_vfio_cdev_supported 1;"
			    "iommuctl_vfio_cdevs 1;"
			    "iommuctl_vfio_group_interface 1;"
			    "iommuctl_kernel_log_read 0;");
	iommuctl_metrics_free(m, n);

	/* a log that was read: the fault lines by driver, zeros included */
	fc = (struct iommuctl_fault_counts){ .intel_vtd = 3, .arm_smmu_v3 = 1 };
	assert_int_equal(iommuctl_metrics(ctx, st, &fc, &m, &n), 0);
	flatten(m, n, buf, sizeof(buf));
	assert_non_null(strstr(buf,
			       "iommuctl_kernel_log_read 1;"
			       "iommuctl_faults_logged{kind=intel-vtd} 3;"
			       "iommuctl_faults_logged{kind=amd-vi} 0;"
			       "iommuctl_faults_logged{kind=arm-smmu-v3} 1;"));
	iommuctl_metrics_free(m, n);
	iommuctl_status_free(st);
	iommuctl_unref(ctx);
}

static void test_nfd_labels(void **state)
{
	static const char *const want[][2] = {
		{ "iommu-present", "true" },
		{ "iommu-kind", "intel-vtd" }, /* the mock is no hardware */
		{ "iommu-iommufd", "true" },
		{ "iommu-vfio-cdev", "true" },
		{ "iommu-interrupt-remapping", "true" },
		{ "iommu-msi-isolated", "true" },
		{ "iommu-viable-groups", "8" },
	};
	struct iommuctl_status *st;
	struct iommuctl_ctx *ctx = vtd(&st);
	struct iommuctl_nfd_label *l;
	size_t n, i;

	(void)state;
	assert_int_equal(iommuctl_nfd_labels(ctx, st, &l, &n), 0);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < n; i++) {
		assert_string_equal(l[i].name, want[i][0]);
		assert_string_equal(l[i].value, want[i][1]);
	}
	iommuctl_nfd_labels_free(l, n);
	assert_string_equal(iommuctl_nfd_readiness_device(ctx), "0000:00:03.0");
	iommuctl_status_free(st);
	iommuctl_unref(ctx);
}

static void test_nfd_label_ok(void **state)
{
	char long_name[80];

	(void)state;
	assert_true(iommuctl_nfd_label_ok("feature.node.kubernetes.io", true));
	assert_true(iommuctl_nfd_label_ok("a-b.c", true));
	assert_false(iommuctl_nfd_label_ok("Feature.io", true));
	assert_false(iommuctl_nfd_label_ok("a_b.io", true));
	assert_false(iommuctl_nfd_label_ok("-a.io", true));
	assert_false(iommuctl_nfd_label_ok("a.io.", true));
	assert_false(iommuctl_nfd_label_ok("", true));
	assert_false(iommuctl_nfd_label_ok(NULL, false));

	assert_true(iommuctl_nfd_label_ok("intel-vtd_arm-smmu-v3", false));
	assert_true(iommuctl_nfd_label_ok("A.b_C-9", false));
	assert_false(iommuctl_nfd_label_ok("_a", false));
	assert_false(iommuctl_nfd_label_ok("a b", false));
	assert_false(iommuctl_nfd_label_ok("a/b", false));
	memset(long_name, 'a', 63);
	long_name[63] = '\0';
	assert_true(iommuctl_nfd_label_ok(long_name, false));
	long_name[63] = 'a';
	long_name[64] = '\0';
	assert_false(iommuctl_nfd_label_ok(long_name, false));
	assert_true(iommuctl_nfd_label_ok(long_name, true));
}

static void test_write(void **state)
{
	struct iommuctl_ctx *ctx;
	char *path, *dir, buf[64] = "";
	struct stat st;
	FILE *f;

	(void)state;
	assert_int_equal(iommuctl_new(&ctx), 0);
	assert_true(asprintf(&dir, "%s/out", tree_top) > 0);
	assert_true(asprintf(&path, "%s/x.prom", dir) > 0);
	tree_sh("mkdir -p '%s'", dir);
	assert_int_equal(iommuctl_export_write(ctx, path, "a 1\n", 4), 0);
	assert_null(iommuctl_get_error(ctx));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "a 1\n");
	/* replaced whole; the dot-file is gone */
	assert_int_equal(iommuctl_export_write(ctx, path, "b 2\n", 4), 0);
	tree_sh("[ \"$(cat '%s')\" = 'b 2' ] && [ -z \"$(ls -A '%s' | grep -v '^x.prom$')\" ]",
		path, dir);

	/* a directory that is not there: no temporary file */
	free(path);
	assert_true(asprintf(&path, "%s/none/x.prom", tree_top) > 0);
	assert_int_equal(iommuctl_export_write(ctx, path, "", 0), -ENOENT);
	assert_non_null(strstr(iommuctl_get_error(ctx),
			       "cannot create a temporary file in "));
	/* a directory in the way: the temporary file is removed again */
	assert_int_equal(iommuctl_export_write(ctx, dir, "", 0), -EISDIR);
	assert_string_equal(iommuctl_get_error(ctx),
			    "cannot write it: Is a directory");
	tree_sh("[ -z \"$(ls -A '%s' | grep '^\\.out\\.')\" ]", tree_top);
	free(path);
	free(dir);
	iommuctl_unref(ctx);
}

static int setup(void **state)
{
	(void)state;
	if (tree_setup(tmpl) < 0)
		return -1;
	return tree_extract("vtd");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_nfd_labels),
		cmocka_unit_test(test_nfd_label_ok),
		cmocka_unit_test(test_write),
	};

	return cmocka_run_group_tests_name("export", tests, setup,
					   tree_teardown);
}
