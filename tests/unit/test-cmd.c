// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: the command frame's pure helpers: the edit distance
 * behind "did you mean", and which near misses get a hint.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../../cmd/builtin.h"

static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(edit_distance("status", "status"), 0);
	assert_int_equal(edit_distance("stauts", "status"), 2);
	assert_int_equal(edit_distance("statu", "status"), 1);
	assert_int_equal(edit_distance("", "abc"), 3);
	assert_int_equal(edit_distance("kitten", "sitting"), 3);
}

static void test_did_you_mean(void **state)
{
	static const char *const objs[] = { "status", "group", "device", "iommu", "help" };

	(void)state;
	assert_string_equal(did_you_mean("stauts", objs, 5), "status");
	assert_string_equal(did_you_mean("grop", objs, 5), "group");
	assert_string_equal(did_you_mean("grou", objs, 5), "group");
	assert_string_equal(did_you_mean("devices", objs, 5), "device");
	assert_null(did_you_mean("xyzzy", objs, 5));
	assert_null(did_you_mean("q", objs, 5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_did_you_mean),
	};

	return cmocka_run_group_tests_name("cmd", tests, NULL, NULL);
}
