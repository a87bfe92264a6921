// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: iommuctl_diff_new() turns two contexts into one
 * typed list of changes (enum iommuctl_change_kind), in a fixed order of
 * subjects: kernel, IOMMU units, groups, devices, reserved regions, MSI.
 * These cases run it on the captured fixtures: a machine against itself
 * (nothing), VT-d legacy against scalable mode (the command line and ECAP,
 * field by field), VT-d against VT-d off (the unit and every group gone)
 * and VT-d against AMD-Vi, where every change is checked against what its
 * kind promises to set.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <iommuctl/libiommuctl.h>

#include "tree.h"

/* The diff of two fixtures; the diff keeps the contexts alive. */
static struct iommuctl_diff *diff_of(const char *a, const char *b)
{
	struct iommuctl_ctx *x = tree_fixture(a), *y = tree_fixture(b);
	struct iommuctl_diff *d;

	assert_int_equal(iommuctl_diff_new(x, y, &d), 0);
	iommuctl_unref(x);
	iommuctl_unref(y);
	return d;
}

/* Which subject a kind is about, in the order changes come. */
static int subject(enum iommuctl_change_kind k)
{
	if (k <= IOMMUCTL_CHANGE_KERNEL_CMDLINE)
		return 0;
	if (k <= IOMMUCTL_CHANGE_IOMMU_FIELD)
		return 1;
	if (k <= IOMMUCTL_CHANGE_DEVICE_MOVED)
		return 2;
	if (k <= IOMMUCTL_CHANGE_DEVICE_IOMMU)
		return 3;
	if (k <= IOMMUCTL_CHANGE_RESV_MERGED_TYPE)
		return 4;
	return 5;
}

/* Every change sets what its kind promises, and the subjects are in order. */
static void check_changes(const struct iommuctl_change *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct iommuctl_change *c = &v[i];

		assert_true(c->kind < IOMMUCTL_CHANGE_KIND_MAX);
		if (i)
			assert_true(subject(v[i - 1].kind) <= subject(c->kind));
		switch (c->kind) {
		case IOMMUCTL_CHANGE_IOMMU_ADDED:
			assert_null(c->unit_a);
			assert_non_null(c->unit_b);
			break;
		case IOMMUCTL_CHANGE_IOMMU_REMOVED:
			assert_non_null(c->unit_a);
			assert_null(c->unit_b);
			break;
		case IOMMUCTL_CHANGE_IOMMU_REGISTER:
		case IOMMUCTL_CHANGE_IOMMU_FIELD:
			assert_non_null(c->unit_a);
			assert_non_null(c->unit_b);
			assert_non_null(c->reg.reg);
			assert_true((c->reg.field != NULL) ==
				    (c->kind == IOMMUCTL_CHANGE_IOMMU_FIELD));
			break;
		case IOMMUCTL_CHANGE_GROUP_NEW:
			assert_int_equal(c->ngroups_a, 0);
			assert_int_equal(c->ngroups_b, 1);
			break;
		case IOMMUCTL_CHANGE_GROUP_GONE:
			assert_int_equal(c->ngroups_a, 1);
			assert_int_equal(c->ngroups_b, 0);
			break;
		case IOMMUCTL_CHANGE_GROUP_SPLIT:
			assert_int_equal(c->ngroups_a, 1);
			assert_true(c->ngroups_b > 1);
			break;
		case IOMMUCTL_CHANGE_GROUP_MERGED:
			assert_true(c->ngroups_a > 1);
			assert_int_equal(c->ngroups_b, 1);
			break;
		case IOMMUCTL_CHANGE_GROUP_MEMBERS:
			assert_true(c->nadded || c->nremoved);
			break;
		case IOMMUCTL_CHANGE_DEVICE_ADDED:
		case IOMMUCTL_CHANGE_DEVICE_REMOVED:
			assert_non_null(c->device);
			assert_true((c->dev_a == NULL) ==
				    (c->kind == IOMMUCTL_CHANGE_DEVICE_ADDED));
			assert_true(
				(c->dev_b == NULL) ==
				(c->kind == IOMMUCTL_CHANGE_DEVICE_REMOVED));
			break;
		case IOMMUCTL_CHANGE_DEVICE_DRIVER:
		case IOMMUCTL_CHANGE_DEVICE_IOMMU:
			assert_string_equal(c->device,
					    iommuctl_device_get_name(c->dev_a));
			assert_true(!c->a || !c->b || strcmp(c->a, c->b));
			break;
		case IOMMUCTL_CHANGE_RESV_REMOVED:
		case IOMMUCTL_CHANGE_RESV_ADDED:
		case IOMMUCTL_CHANGE_RESV_TYPE:
		case IOMMUCTL_CHANGE_MSI_WINDOW:
			assert_int_equal(c->ngroups_a, 1);
			assert_int_equal(c->ngroups_b, 1);
			break;
		case IOMMUCTL_CHANGE_RESV_MERGED_REMOVED:
			assert_non_null(c->resv_a);
			assert_null(c->resv_b);
			assert_int_equal(c->ngroups_a, 0);
			break;
		case IOMMUCTL_CHANGE_RESV_MERGED_ADDED:
			assert_null(c->resv_a);
			assert_non_null(c->resv_b);
			assert_int_equal(c->ngroups_a, 0);
			break;
		default:
			break;
		}
	}
}

static void test_same(void **state)
{
	struct iommuctl_diff *d = diff_of("vtd", "vtd");
	size_t n = 1;

	(void)state;
	iommuctl_diff_get_changes(d, &n);
	assert_int_equal(n, 0);
	iommuctl_diff_free(d);
}

/* intel_iommu=on -> intel_iommu=on,sm_on: the command line, then ECAP and
 * the three fields scalable mode turns on, in field order. */
static void test_scalable_mode(void **state)
{
	static const char *const fields[] = { "srs", "smts", "ssts" };
	struct iommuctl_diff *d = diff_of("vtd", "vtd-sm");
	const struct iommuctl_change *v;
	size_t n, i;

	(void)state;
	v = iommuctl_diff_get_changes(d, &n);
	check_changes(v, n);
	assert_int_equal(n, 5);
	assert_int_equal(v[0].kind, IOMMUCTL_CHANGE_KERNEL_CMDLINE);
	assert_int_equal(v[0].nadded, 1);
	assert_string_equal(v[0].added[0], "intel_iommu=on,sm_on");
	assert_int_equal(v[0].nremoved, 1);
	assert_string_equal(v[0].removed[0], "intel_iommu=on");
	assert_true(v[0].nwords_a >= 1 && v[0].nwords_b >= 1);
	assert_int_equal(v[1].kind, IOMMUCTL_CHANGE_IOMMU_REGISTER);
	assert_string_equal(v[1].reg.reg, "ecap");
	assert_true(v[1].reg.have_a && v[1].reg.have_b);
	assert_int_equal(v[1].reg.a, 0xf00f4a);
	assert_int_equal(v[1].reg.b, 0x480080f00f4aULL);
	assert_string_equal(iommuctl_iommu_get_name(v[1].unit_a), "dmar0");
	for (i = 0; i < 3; i++) {
		const struct iommuctl_change *c = &v[2 + i];

		assert_int_equal(c->kind, IOMMUCTL_CHANGE_IOMMU_FIELD);
		assert_string_equal(c->reg.field->key, fields[i]);
		assert_int_equal(c->reg.a, 0);
		assert_int_equal(c->reg.b, 1);
	}
	iommuctl_diff_free(d);
}

/* VT-d turned off: dmar0 and every group gone, no unit for the devices. */
static void test_vtd_off(void **state)
{
	struct iommuctl_diff *d = diff_of("vtd", "vtd-off");
	const struct iommuctl_change *v;
	size_t n, i, gone = 0, removed = 0, iommu = 0;

	(void)state;
	v = iommuctl_diff_get_changes(d, &n);
	check_changes(v, n);
	for (i = 0; i < n; i++) {
		if (v[i].kind == IOMMUCTL_CHANGE_GROUP_GONE)
			gone++;
		if (v[i].kind == IOMMUCTL_CHANGE_IOMMU_REMOVED &&
		    !strcmp(iommuctl_iommu_get_name(v[i].unit_a), "dmar0"))
			removed++;
		if (v[i].kind == IOMMUCTL_CHANGE_DEVICE_IOMMU) {
			assert_string_equal(v[i].a, "dmar0");
			assert_null(v[i].b);
			iommu++;
		}
	}
	assert_int_equal(gone, 15);
	assert_int_equal(removed, 1);
	assert_true(iommu > 0);
	iommuctl_diff_free(d);
}

/* Two machines: every kind of change there is keeps its promises, in
 * both directions. */
static void test_machines(void **state)
{
	static const char *const pairs[][2] = {
		{ "vtd", "amd" },	   { "amd", "vtd" },
		{ "vtd", "arm64-smmuv3" }, { "virtio", "plain" },
		{ "plain", "vtd-sm" },
	};
	const struct iommuctl_change *v;
	struct iommuctl_diff *d;
	size_t n, i;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		d = diff_of(pairs[i][0], pairs[i][1]);
		v = iommuctl_diff_get_changes(d, &n);
		assert_true(n > 0);
		check_changes(v, n);
		iommuctl_diff_free(d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_scalable_mode),
		cmocka_unit_test(test_vtd_off),
		cmocka_unit_test(test_machines),
	};

	return cmocka_run_group_tests_name("diff-changes", tests, NULL, NULL);
}
