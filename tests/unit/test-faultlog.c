// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl_fault_line_kind(): one line per fault of each driver, as the
 * kernel prints it, and the lines around it that are no fault. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <iommuctl/libiommuctl.h>

static void test_vtd(void **state)
{
	(void)state;
	assert_int_equal(
		iommuctl_fault_line_kind(
			"DMAR: [DMA Write NO_PASID] Request device [00:03.0] fault addr 0x201000 [fault reason 0x05] PTE Write access is not set"),
		IOMMUCTL_IOMMU_INTEL_VTD);
	assert_int_equal(
		iommuctl_fault_line_kind(
			"[   12.5] DMAR: [DMA Read PASID 0x1] Request device [00:03.0] fault addr 0x0 [fault reason 0x71] SM: Present bit in PASID entry is clear"),
		IOMMUCTL_IOMMU_INTEL_VTD);
	assert_int_equal(
		iommuctl_fault_line_kind(
			"DMAR: [INTR-REMAP] Request device [f0:1f.0] fault index 0x0 [fault reason 0x25] Blocked a compatibility format interrupt request"),
		IOMMUCTL_IOMMU_INTEL_VTD);
	/* the summary line before the records, and boot lines */
	assert_int_equal(iommuctl_fault_line_kind(
				 "DMAR: DRHD: handling fault status reg 2"),
			 IOMMUCTL_IOMMU_OTHER);
	assert_int_equal(iommuctl_fault_line_kind("DMAR: IOMMU enabled"),
			 IOMMUCTL_IOMMU_OTHER);
}

static void test_amd(void **state)
{
	(void)state;
	assert_int_equal(
		iommuctl_fault_line_kind(
			"pci 0000:00:03.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0002 address=0x201000 flags=0x0030]"),
		IOMMUCTL_IOMMU_AMD_VI);
	assert_int_equal(
		iommuctl_fault_line_kind(
			"AMD-Vi: Event logged [ILLEGAL_DEV_TABLE_ENTRY device=0000:00:03.0 pasid=0x00000 address=0x0 flags=0x0a00]"),
		IOMMUCTL_IOMMU_AMD_VI);
	assert_int_equal(
		iommuctl_fault_line_kind("AMD-Vi: Interrupt remapping enabled"),
		IOMMUCTL_IOMMU_OTHER);
}

static void test_smmuv3(void **state)
{
	(void)state;
	assert_int_equal(
		iommuctl_fault_line_kind(
			"arm-smmu-v3 arm-smmu-v3.0.auto: event 0x10 received:"),
		IOMMUCTL_IOMMU_ARM_SMMU_V3);
	/* the record's dwords and the decoded lines (7.x) are the same event */
	assert_int_equal(
		iommuctl_fault_line_kind(
			"arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000800000010"),
		IOMMUCTL_IOMMU_OTHER);
	assert_int_equal(
		iommuctl_fault_line_kind(
			"arm-smmu-v3 arm-smmu-v3.0.auto: event: F_TRANSLATION client: 0000:00:02.0 sid: 0x10 ssid: 0x0 iova: 0x201000 ipa: 0x0"),
		IOMMUCTL_IOMMU_OTHER);
	assert_int_equal(
		iommuctl_fault_line_kind(
			"arm-smmu-v3 arm-smmu-v3.0.auto: ias 44-bit, oas 44-bit (features 0x00001fef)"),
		IOMMUCTL_IOMMU_OTHER);
	assert_int_equal(iommuctl_fault_line_kind(NULL), IOMMUCTL_IOMMU_OTHER);
	assert_int_equal(iommuctl_fault_line_kind(""), IOMMUCTL_IOMMU_OTHER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vtd),
		cmocka_unit_test(test_amd),
		cmocka_unit_test(test_smmuv3),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
