// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: the driver data of IOMMU_HWPT_ALLOC and
 * IOMMU_HWPT_INVALIDATE, and the data of IOMMU_GET_HW_INFO, are byte layouts
 * of the kernel's uapi/linux/iommufd.h. The encoders are checked byte by byte
 * against the layouts written out here by hand (little-endian fields at their
 * UAPI offsets, selftest fields host endian), including the edge cases the
 * command relies on (--all as one request, the vIOMMU's extra virtual id, a
 * buffer too small). The decoder gets data of each known type built the same
 * way, data one byte too short, and an unknown type. IOVA ranges get both
 * forms, their edges (one byte, the top of the 64-bit space) and each kind
 * of malformed text with the form it is reported against.
 */
#include <endian.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <iommuctl/libiommuctl.h>

static void put64(unsigned char *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, 4);
}

static void test_hwpt_data_vtd(void **state)
{
	struct iommuctl_hwpt_data d = {
		.type = IOMMUCTL_HWPT_DATA_VTD_S1,
		.vtd_flags = IOMMUCTL_VTD_S1_SRE | IOMMUCTL_VTD_S1_WPE,
		.pgtbl_addr = 0x123456789000ULL,
		.addr_width = 57,
	};
	unsigned char buf[IOMMUCTL_HWPT_DATA_MAX], want[24] = { 0 };

	(void)state;
	put64(want, 0x5);
	put64(want + 8, 0x123456789000ULL);
	put32(want + 16, 57);
	assert_int_equal(iommuctl_hwpt_data_encode(&d, buf, sizeof(buf)), 24);
	assert_memory_equal(buf, want, 24);
	assert_int_equal(iommuctl_hwpt_data_encode(&d, buf, 23), -ENOSPC);
	d.addr_width = 39;
	assert_int_equal(iommuctl_hwpt_data_encode(&d, buf, sizeof(buf)),
			 -EINVAL);
}

static void test_hwpt_data_others(void **state)
{
	struct iommuctl_hwpt_data d = { .type = IOMMUCTL_HWPT_DATA_SELFTEST,
					.iotlb = 0xbadbeef,
					.ste = { 0x1111, 0x2222 } };
	unsigned char buf[IOMMUCTL_HWPT_DATA_MAX], want[16];
	uint32_t iotlb = 0xbadbeef;

	(void)state;
	assert_int_equal(iommuctl_hwpt_data_encode(&d, buf, sizeof(buf)), 4);
	assert_memory_equal(buf, &iotlb, 4); /* host endian */
	d.type = IOMMUCTL_HWPT_DATA_ARM_SMMUV3;
	put64(want, 0x1111);
	put64(want + 8, 0x2222);
	assert_int_equal(iommuctl_hwpt_data_encode(&d, buf, sizeof(buf)), 16);
	assert_memory_equal(buf, want, 16);
	d.type = IOMMUCTL_HWPT_DATA_AMD_GUEST;
	assert_int_equal(iommuctl_hwpt_data_encode(&d, buf, sizeof(buf)),
			 -EOPNOTSUPP);
}

static void test_inval_selftest(void **state)
{
	const uint32_t ids[] = { 1, 3 };
	struct iommuctl_inval r = { .type = IOMMUCTL_INVALIDATE_SELFTEST,
				    .ids = ids,
				    .n = 2 };
	uint32_t buf[16], num = 0;

	(void)state;
	assert_int_equal(iommuctl_inval_encode(&r, buf, sizeof(buf), &num), 8);
	assert_int_equal(num, 2);
	assert_int_equal(buf[0], 0);
	assert_int_equal(buf[1], 1);
	assert_int_equal(buf[2], 0);
	assert_int_equal(buf[3], 3);
	/* a vIOMMU: { flags, virtual id, entry }; --all is one request */
	r.viommu = true;
	r.virt_id = 7;
	r.all = true;
	assert_int_equal(iommuctl_inval_encode(&r, buf, sizeof(buf), &num), 12);
	assert_int_equal(num, 1);
	assert_int_equal(buf[0], 1);
	assert_int_equal(buf[1], 7);
	assert_int_equal(buf[2], 0);
	r.all = false;
	assert_int_equal(iommuctl_inval_encode(&r, buf, 23, &num), -ENOSPC);
}

static void test_inval_vtd_smmu(void **state)
{
	const uint64_t cmds[2][2] = { { 0x12, 0x34 }, { 0x56, 0x78 } };
	struct iommuctl_inval r = { .type = IOMMUCTL_INVALIDATE_VTD_S1,
				    .addr = 0x10000,
				    .npages = 4,
				    .leaf = true };
	unsigned char buf[64], want[32] = { 0 };
	uint32_t num = 0;

	(void)state;
	put64(want, 0x10000);
	put64(want + 8, 4);
	put32(want + 16, 1);
	assert_int_equal(iommuctl_inval_encode(&r, buf, sizeof(buf), &num), 24);
	assert_int_equal(num, 1);
	assert_memory_equal(buf, want, 24);
	r.all = true; /* everything: address 0, all pages */
	put64(want, 0);
	put64(want + 8, UINT64_MAX);
	assert_int_equal(iommuctl_inval_encode(&r, buf, sizeof(buf), &num), 24);
	assert_memory_equal(buf, want, 24);

	r = (struct iommuctl_inval){ .type = IOMMUCTL_INVALIDATE_ARM_SMMUV3,
				     .cmds = cmds,
				     .n = 2 };
	put64(want, 0x12);
	put64(want + 8, 0x34);
	put64(want + 16, 0x56);
	put64(want + 24, 0x78);
	assert_int_equal(iommuctl_inval_encode(&r, buf, sizeof(buf), &num), 16);
	assert_int_equal(num, 2);
	assert_memory_equal(buf, want, 32);
	r.type = 42;
	assert_int_equal(iommuctl_inval_encode(&r, buf, sizeof(buf), &num),
			 -EOPNOTSUPP);
}

static void test_hw_info_decode(void **state)
{
	uint32_t smmu[10] = { 0x1,  0,	  0x10, 0x11,  0x12,
			      0x13, 0x14, 0x15, 0x43b, 0x2 };
	uint64_t vtd[3] = { 0x1, 0xd2008c22260206ULL, 0xf00f4aULL };
	struct iommuctl_hw_info hi = { .type = IOMMUCTL_HW_INFO_VTD,
				       .data = vtd,
				       .data_len = sizeof(vtd) };
	struct iommuctl_hw_info_reg r[IOMMUCTL_HW_INFO_REGS];
	unsigned int i;

	(void)state;
	assert_int_equal(iommuctl_hw_info_decode(&hi, r, 4), 3);
	assert_string_equal(r[0].name, "flags");
	assert_int_equal(r[0].v[0], 1);
	assert_string_equal(r[0].bit_names[0], "errata-772415-spr17");
	assert_string_equal(r[1].name, "cap");
	assert_int_equal(r[1].v[0], 0xd2008c22260206ULL);
	assert_string_equal(r[2].name, "ecap");
	assert_int_equal(r[2].v[0], 0xf00f4a);
	assert_null(r[2].bit_names);
	assert_int_equal(iommuctl_hw_info_decode(&hi, r, 2), -ENOSPC);
	hi.data_len = 23;
	assert_int_equal(iommuctl_hw_info_decode(&hi, r, 4), 0);

	hi = (struct iommuctl_hw_info){ .type = IOMMUCTL_HW_INFO_ARM_SMMUV3,
					.data = smmu,
					.data_len = sizeof(smmu) };
	assert_int_equal(iommuctl_hw_info_decode(&hi, r, 4), 4);
	assert_string_equal(r[1].name, "idr");
	assert_int_equal(r[1].count, 6);
	for (i = 0; i < 6; i++)
		assert_int_equal(r[1].v[i], 0x10 + i);
	assert_string_equal(r[2].name, "iidr");
	assert_int_equal(r[2].v[0], 0x43b);
	assert_string_equal(r[3].name, "aidr");
	assert_int_equal(r[3].v[0], 0x2);

	hi.type = 3; /* tegra241-cmdqv: no layout known */
	assert_int_equal(iommuctl_hw_info_decode(&hi, r, 4), 0);
	assert_string_equal(iommuctl_hw_info_type_name(3), "tegra241-cmdqv");
	assert_string_equal(iommuctl_hw_info_type_name(0xfeedbeef), "selftest");
	assert_string_equal(iommuctl_hw_info_type_name(9), "unknown");
	assert_string_equal(iommuctl_hw_info_cap_name(3),
			    "pci-ats-not-supported");
	assert_null(iommuctl_hw_info_cap_name(4));
}

static void test_parse_iova_range(void **state)
{
	static const struct {
		const char *text, *form;
		uint64_t start, last;
	} cases[] = {
		{ "0x1000-0x1fff", NULL, 0x1000, 0x1fff },
		{ "0x1000+4k", NULL, 0x1000, 0x1fff },
		{ "5-5", NULL, 5, 5 },
		{ "0+0xffffffffffffffff", NULL, 0, UINT64_MAX - 1 },
		{ "5", "START-LAST or START+SIZE", 0, 0 },
		{ "", "START-LAST or START+SIZE", 0, 0 },
		{ "-5", "START-LAST or START+SIZE", 0, 0 },
		{ "5-3", "START-LAST, LAST inclusive", 0, 0 },
		{ "x-5", "START-LAST, LAST inclusive", 0, 0 },
		{ "5+0", "START+SIZE", 0, 0 },
		{ "1+0xffffffffffffffff", NULL, 1, UINT64_MAX },
		{ "2+0xffffffffffffffff", "START+SIZE", 0, 0 },
		{ "1+x", "START+SIZE", 0, 0 },
	};
	struct iommuctl_iova_range r;
	const char *form;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = iommuctl_parse_iova_range(cases[i].text, &r, &form);

		if (!cases[i].form) {
			assert_int_equal(rc, 0);
			assert_null(form);
			assert_int_equal(r.start, cases[i].start);
			assert_int_equal(r.last, cases[i].last);
		} else {
			assert_int_equal(rc, -EINVAL);
			assert_string_equal(form, cases[i].form);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hwpt_data_vtd),
		cmocka_unit_test(test_hwpt_data_others),
		cmocka_unit_test(test_inval_selftest),
		cmocka_unit_test(test_inval_vtd_smmu),
		cmocka_unit_test(test_hw_info_decode),
		cmocka_unit_test(test_parse_iova_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
