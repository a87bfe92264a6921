// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: lib/hwinfo.c answers hwinfo's questions beyond
 * IOMMU_GET_HW_INFO. Why PASIDs cannot work is read from an SMMUv3's
 * IDR1.SSIDSIZE in the hw_info data (flags, reserved, IDR0-5, IIDR, AIDR):
 * a sentence when it is 0, none when the unit has SubstreamIDs, for other
 * units or data too short to hold the registers. The hot reset question
 * needs the live kernel: offline it fails before asking, and leaves
 * nothing to free. Giving back is a restore, which a captured tree
 * refuses: the sentence the restore left outlives it, in the context's
 * slot.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "private.h"
#include "tree.h"

static void test_pasid_why(void **state)
{
	/* an SMMUv3's registers (only IDR1.SSIDSIZE matters here), without
	 * and with 16 SubstreamID bits */
	uint32_t smmu[10] = { 0,   0, 0x0ed8f7ff, 0x00e73c10, 0,
			      0x1, 0, 0x4,	  0x43b,      0x1 };
	struct iommuctl_hw_info hi = { .type = IOMMUCTL_HW_INFO_ARM_SMMUV3,
				       .data = smmu,
				       .data_len = sizeof(smmu) };
	const char *why;

	(void)state;
	smmu[3] &= ~(0x1fu << 6);
	why = iommuctl_hw_info_pasid_why(&hi);
	assert_non_null(why);
	assert_string_equal(why, iommuctl_smmuv3_pasid_why(&(
					 struct iommuctl_smmuv3_summary){ 0 }));
	smmu[3] |= 16u << 6;
	assert_null(iommuctl_hw_info_pasid_why(&hi));
	/* too short for the registers, or another unit's data */
	smmu[3] &= ~(0x1fu << 6);
	hi.data_len = 8;
	assert_null(iommuctl_hw_info_pasid_why(&hi));
	hi.data_len = sizeof(smmu);
	hi.type = IOMMUCTL_HW_INFO_VTD;
	assert_null(iommuctl_hw_info_pasid_why(&hi));
}

static void test_hot_reset_offline(void **state)
{
	struct iommuctl_hot_reset_dev *r = (void *)1;
	struct iommuctl_ctx *ctx = tree_fixture("vtd");
	uint32_t flags = 7;
	size_t n = 3;

	(void)state;
	assert_true(iommuctl_device_hot_reset_ask(ctx, "0000:00:03.0", &flags,
						  &r, &n) < 0);
	assert_null(r);
	assert_int_equal(n, 0);
	assert_int_equal(flags, 0);
	iommuctl_unref(ctx);
}

static void test_give_back(void **state)
{
	struct iommuctl_ctx *ctx = tree_fixture("vtd");
	struct iommuctl_vfio *v;
	int rc;

	(void)state;
	assert_int_equal(iommuctl_vfio_new(ctx, &v), 0);
	rc = iommuctl_vfio_give_back(ctx, v);
	assert_int_equal(rc, -EOPNOTSUPP);
	assert_non_null(iommuctl_get_error(ctx));
	assert_non_null(strstr(iommuctl_get_error(ctx), "captured tree"));
	iommuctl_vfio_free(v);
	iommuctl_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pasid_why),
		cmocka_unit_test(test_hot_reset_offline),
		cmocka_unit_test(test_give_back),
	};

	return cmocka_run_group_tests_name("hwinfo", tests, NULL, NULL);
}
