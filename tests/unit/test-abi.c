// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: the library's binary interface rules that no other
 * test sees. Extensible structs: every _sz entry point refuses a struct
 * smaller than the library's (-EINVAL, nothing written), zeroes the tail of
 * a larger one it fills, and refuses a larger one it reads unless the tail
 * is zero (-E2BIG); arrays are written at the caller's stride. The error
 * slot: one per context, read by the per-object getters only for the
 * object that set it, by iommuctl_get_error() always; a new call empties
 * it; a reader without a context keeps its own.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "private.h"

/* what a later header might declare: the struct of today, and more */
struct bigger_summary {
	struct iommuctl_vtd_summary v1;
	uint64_t later[4];
};

struct bigger_map_args {
	struct iommuctl_map_args v1;
	uint64_t later;
};

static void test_size_out(void **state)
{
	struct iommuctl_vtd_summary ref, small;
	struct bigger_summary big;
	const uint64_t cap = 0x00d2008c40660462ULL, ecap = 0x0000000000f050daULL;

	(void)state;
	/* the macro passes sizeof(*(s)) */
	assert_int_equal(iommuctl_vtd_summarize(cap, ecap, &ref), 0);
	/* larger: filled as today, the tail zeroed */
	memset(&big, 0xa5, sizeof(big));
	assert_int_equal(iommuctl_vtd_summarize_sz(cap, ecap, &big.v1,
						   sizeof(big)),
			 0);
	assert_memory_equal(&big.v1, &ref, sizeof(ref));
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(big.later[i], 0);
	/* smaller: refused, nothing written */
	memset(&small, 0x5a, sizeof(small));
	assert_int_equal(iommuctl_vtd_summarize_sz(cap, ecap, &small,
						   sizeof(small) - 1),
			 -EINVAL);
	for (size_t i = 0; i < sizeof(small); i++)
		assert_int_equal(((unsigned char *)&small)[i], 0x5a);
}

static void test_size_in(void **state)
{
	struct bigger_map_args a;

	(void)state;
	memset(&a, 0, sizeof(a));
	assert_int_equal(sz_in(&a, sizeof(a), sizeof(a.v1)), 0);
	a.later = 1; /* a field this library does not know, set */
	assert_int_equal(sz_in(&a, sizeof(a), sizeof(a.v1)), -E2BIG);
	assert_int_equal(sz_in(&a, sizeof(a.v1) - 1, sizeof(a.v1)), -EINVAL);
	assert_int_equal(sz_in(NULL, 0, sizeof(a.v1)), 0); /* optional */
	/* through a real entry point: refused before the object is looked at */
	assert_int_equal(iommuctl_ioas_map_sz(NULL, &a.v1, NULL, sizeof(a)),
			 -E2BIG);
	assert_int_equal(iommuctl_ioas_map_sz(NULL, &a.v1, NULL,
					      sizeof(a.v1) - 8),
			 -EINVAL);
}

static void test_size_array(void **state)
{
	struct elem {
		uint32_t a, b;
	} src[3] = { { 1, 2 }, { 3, 4 }, { 5, 6 } };
	struct big {
		struct elem e;
		uint32_t later[2];
	} dst[3];

	(void)state;
	memset(dst, 0xff, sizeof(dst));
	sz_array_out(dst, sizeof(dst[0]), src, sizeof(src[0]), 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(dst[i].e.a, src[i].a);
		assert_int_equal(dst[i].e.b, src[i].b);
		assert_int_equal(dst[i].later[0], 0);
		assert_int_equal(dst[i].later[1], 0);
	}
	assert_int_equal(sz_out(dst, sizeof(struct elem) - 1,
				sizeof(struct elem)),
			 -EINVAL);
}

static void test_error_slot(void **state)
{
	struct iommuctl_session s = { .fd = -1 };
	struct iommuctl_pgtable *pt, *lone;
	struct iommuctl_ctx *ctx;
	const void *owner;
	char *msg;

	(void)state;
	assert_int_equal(iommuctl_new(&ctx), 0);
	iommuctl_set_log_fn(ctx, NULL);
	s.ctx = ctx;
	assert_null(iommuctl_get_error(ctx));

	/* a session sets it: its getter and the context's see it */
	ses_why(&s, "ioas %d is in use", 1);
	assert_string_equal(iommuctl_session_error(&s), "ioas 1 is in use");
	assert_ptr_equal(iommuctl_get_error(ctx), iommuctl_session_error(&s));
	assert_null(iommuctl_debugfs_error(ctx));

	/* a page-table reader's failure takes the slot over */
	assert_int_equal(iommuctl_pgtable_new(ctx, &pt), 0);
	assert_int_equal(iommuctl_pgtable_open(pt, "not-a-bdf", -1), -EINVAL);
	assert_non_null(strstr(iommuctl_pgtable_error(pt), "not-a-bdf"));
	assert_ptr_equal(iommuctl_get_error(ctx), iommuctl_pgtable_error(pt));
	assert_null(iommuctl_session_error(&s));

	/* what a call may not disturb is taken out and put back */
	msg = ctx_error_take(ctx, &owner);
	assert_null(iommuctl_get_error(ctx));
	ctx_error_set(ctx, owner, msg);
	assert_ptr_equal(iommuctl_pgtable_error(pt), msg);

	/* the reader goes: its sentence stays for the context */
	iommuctl_pgtable_free(pt);
	assert_non_null(strstr(iommuctl_get_error(ctx), "not-a-bdf"));

	/* a new call empties the slot */
	ses_clear(&s);
	assert_null(iommuctl_get_error(ctx));

	/* debugfs readers own it as the context */
	ctx_error_set(ctx, ctx, strdup("intel/iommu_regset line 7: bad"));
	assert_string_equal(iommuctl_debugfs_error(ctx),
			    "intel/iommu_regset line 7: bad");
	assert_null(iommuctl_session_error(&s));

	/* a reader made without a context has a slot of its own */
	assert_int_equal(iommuctl_pgtable_new(NULL, &lone), 0);
	assert_int_equal(iommuctl_pgtable_open(lone, "nope", -1), -EINVAL);
	assert_non_null(iommuctl_pgtable_error(lone));
	assert_string_equal(iommuctl_debugfs_error(ctx),
			    "intel/iommu_regset line 7: bad");
	iommuctl_pgtable_free(lone);

	assert_null(iommuctl_get_error(NULL));
	assert_null(iommuctl_session_error(NULL));
	assert_null(iommuctl_vfio_error(NULL));
	assert_null(iommuctl_pgtable_error(NULL));
	iommuctl_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_out),
		cmocka_unit_test(test_size_in),
		cmocka_unit_test(test_size_array),
		cmocka_unit_test(test_error_slot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
