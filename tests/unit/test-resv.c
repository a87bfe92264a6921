// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl_resv_check(): the findings about a group's reserved regions, and
 * iommuctl_resv_merge_groups(), on a root made here (groups with
 * hand-written reserved_regions files).
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

static char tmpl[] = "/tmp/iommuctl-resv-XXXXXX";

static void put(const char *group, const char *text)
{
	char *cmd;

	assert_true(
		asprintf(
			&cmd,
			"mkdir -p '%s/sys/kernel/iommu_groups/%s/devices' && printf '%s' >'%s/sys/kernel/iommu_groups/%s/reserved_regions'",
			tree_top, group, text, tree_top, group) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static int setup(void **state)
{
	(void)state;
	if (tree_setup(tmpl) < 0)
		return -1;
	/* as the 6.12 test VMs print them, and what firmware may add */
	put("1", "0x00000000fee00000 0x00000000feefffff msi\n");
	put("2", "0x0000000000000000 0x0000000000ffffff direct-relaxable\n"
		 "0x00000000fee00000 0x00000000feefffff msi\n");
	put("3", "0x000000007f000000 0x000000007fffffff direct\n"
		 "0x0000000000080000 0x000000000008ffff reserved\n"
		 "0x00000000c0000000 0x00000000c00fffff direct\n"
		 "0x0000000008000000 0x00000000080fffff msi\n");
	put("4", "0x00000000fee00000 oops\n");
	return 0;
}

struct seen {
	char text[2048];
	int n, stop_at;
};

static int collect(enum iommuctl_severity sev, const char *code,
		   const char *message, void *arg)
{
	struct seen *s = arg;
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof(s->text) - len, "%s %s: %s\n",
		 iommuctl_severity_name(sev), code, message);
	return ++s->n == s->stop_at ? 7 : 0;
}

/* the findings of group @id */
static void check(struct iommuctl_ctx *ctx, unsigned int id, int stop_at,
		  int want_rc, const char *want)
{
	struct seen s = { .stop_at = stop_at };
	struct iommuctl_group *g = iommuctl_group_get_by_id(ctx, id);

	assert_non_null(g);
	assert_int_equal(iommuctl_resv_check(g, collect, &s), want_rc);
	assert_string_equal(s.text, want);
}

static void test_resv_check(void **state)
{
	struct iommuctl_ctx *ctx;

	(void)state;
	ctx = tree_ctx(tree_top);
	/* the x86 MSI window: nothing to say */
	check(ctx, 1, 0, 0, "");
	check(ctx, 2, 0, 0,
	      "note relaxable-overlap: group 2: direct-relaxable region 0x0-0xffffff lies where guest RAM usually is; iommufd and VFIO drop relaxable regions when the device is assigned\n");
	/* a direct region is an RMRR wherever it is; below 3 GiB it is in
	 * the guest's RAM too; an MSI window there is not */
	check(ctx, 3, 0, 0,
	      "warning rmrr: group 3 has a direct region 0x7f000000-0x7fffffff (an RMRR or IVMD identity map the firmware requires): assigning its devices may fail, or the device may depend on firmware DMA there\n"
	      "warning guest-ram-overlap: group 3: direct region 0x7f000000-0x7fffffff overlaps where guest RAM usually is below 4 GiB (0-3 GiB): the VMM must leave it out of the guest memory map\n"
	      "warning guest-ram-overlap: group 3: reserved region 0x80000-0x8ffff overlaps where guest RAM usually is below 4 GiB (0-3 GiB): the VMM must leave it out of the guest memory map\n"
	      "warning rmrr: group 3 has a direct region 0xc0000000-0xc00fffff (an RMRR or IVMD identity map the firmware requires): assigning its devices may fail, or the device may depend on firmware DMA there\n");
	/* the callback's nonzero return stops the check */
	check(ctx, 3, 1, 7,
	      "warning rmrr: group 3 has a direct region 0x7f000000-0x7fffffff (an RMRR or IVMD identity map the firmware requires): assigning its devices may fail, or the device may depend on firmware DMA there\n");
	check(ctx, 4, 0, 0,
	      "warning unreadable: group 4: reserved_regions is missing or malformed\n");
	assert_int_equal(iommuctl_resv_check(NULL, collect, NULL), -EINVAL);
	assert_int_equal(iommuctl_resv_check(iommuctl_group_get_by_id(ctx, 1),
					     NULL, NULL),
			 -EINVAL);
	iommuctl_unref(ctx);
}

static bool only_group_1(struct iommuctl_group *g, void *arg)
{
	(void)arg;
	return iommuctl_group_get_id(g) == 1;
}

static void test_merge_groups(void **state)
{
	struct iommuctl_resv_region *m;
	struct iommuctl_ctx *ctx;
	size_t n;

	(void)state;
	ctx = tree_ctx(tree_top);
	/* every group but 4 (unreadable): group 3's reserved region lies
	 * inside group 2's relaxable one and wins; both MSI windows are one */
	assert_int_equal(iommuctl_resv_merge_groups(ctx, NULL, NULL, &m, &n),
			 0);
	assert_int_equal(n, 5);
	assert_int_equal(m[0].start, 0);
	assert_int_equal(m[0].end, 0xffffff);
	assert_int_equal(m[0].type, IOMMUCTL_RESV_RESERVED);
	assert_int_equal(m[0].types, (1u << IOMMUCTL_RESV_DIRECT_RELAXABLE) |
					     (1u << IOMMUCTL_RESV_RESERVED));
	assert_int_equal(m[1].start, 0x8000000);
	assert_int_equal(m[2].start, 0x7f000000);
	assert_int_equal(m[3].start, 0xc0000000);
	assert_int_equal(m[4].start, 0xfee00000);
	assert_int_equal(m[4].end, 0xfeefffff);
	assert_int_equal(m[4].type, IOMMUCTL_RESV_MSI);
	free(m);
	assert_int_equal(
		iommuctl_resv_merge_groups(ctx, only_group_1, NULL, &m, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].start, 0xfee00000);
	free(m);
	assert_int_equal(iommuctl_resv_merge_groups(NULL, NULL, NULL, &m, &n),
			 -EINVAL);
	iommuctl_unref(ctx);
}

/* /proc/interrupts of @text, and iommufd's allow_unsafe_interrupts of
 * @unsafe (NULL: no such parameter) */
static void put_irq(const char *text, const char *unsafe)
{
	char *cmd;

	assert_true(
		asprintf(
			&cmd,
			"mkdir -p '%s/proc' '%s/sys/module/iommufd/parameters' && printf '%s' >'%s/proc/interrupts' && rm -f '%s/sys/module/iommufd/parameters/allow_unsafe_interrupts' && { [ -z '%s' ] || echo '%s' >'%s/sys/module/iommufd/parameters/allow_unsafe_interrupts'; }",
			tree_top, tree_top, text, tree_top, tree_top,
			unsafe ? unsafe : "", unsafe ? unsafe : "",
			tree_top) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static void test_msi_windows(void **state)
{
	struct iommuctl_msi_window *w;
	struct iommuctl_ctx *ctx;
	size_t n;

	(void)state;
	ctx = tree_ctx(tree_top);
	/* the x86 window is hardware; group 3's at 0x8000000 is the Arm
	 * SMMU's software window */
	assert_int_equal(iommuctl_group_msi_windows(
				 iommuctl_group_get_by_id(ctx, 1), &w, &n),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(w[0].region->start, 0xfee00000);
	assert_int_equal(w[0].kind, IOMMUCTL_MSI_HW);
	assert_int_equal(w[0].iommu_kind, IOMMUCTL_IOMMU_OTHER);
	assert_non_null(w[0].basis);
	free(w);
	assert_int_equal(iommuctl_group_msi_windows(
				 iommuctl_group_get_by_id(ctx, 3), &w, &n),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(w[0].region->start, 0x8000000);
	assert_int_equal(w[0].kind, IOMMUCTL_MSI_SW);
	free(w);
	assert_int_equal(iommuctl_group_msi_windows(
				 iommuctl_group_get_by_id(ctx, 4), &w, &n),
			 -ENOENT);
	assert_null(w);
	assert_int_equal(n, 0);
	assert_int_equal(iommuctl_group_msi_windows(NULL, &w, &n), -EINVAL);
	iommuctl_unref(ctx);
}

static bool only_group_3(struct iommuctl_group *g, void *arg)
{
	(void)arg;
	return iommuctl_group_get_id(g) == 3;
}

/* the findings of iommuctl_msi_check() over the groups @want takes */
static void msi_check(bool (*want)(struct iommuctl_group *g, void *arg),
		      const char *expect)
{
	struct iommuctl_ctx *ctx = tree_ctx(tree_top);
	struct seen s = { 0 };

	assert_int_equal(iommuctl_msi_check(ctx, want, NULL, collect, &s), 0);
	assert_string_equal(s.text, expect);
	iommuctl_unref(ctx);
}

/* The kind of an "msi" region comes from the driver that reported it (its
 * get_resv_regions() in the kernel), the address only for unknown drivers:
 * a window at the x86 address behind an SMMU is still software, and
 * virtio-iommu is software only at its own 0x8000000 window. */
static void test_msi_classify_by_driver(void **state)
{
	const struct iommuctl_resv_region x86 = { 0xfee00000, 0xfeefffff,
						  IOMMUCTL_RESV_MSI, 0 };
	const struct iommuctl_resv_region arm = { 0x8000000, 0x80fffff,
						  IOMMUCTL_RESV_MSI, 0 };
	const struct iommuctl_resv_region odd = { 0x9000000, 0x90fffff,
						  IOMMUCTL_RESV_MSI, 0 };
	const char *b = NULL;

	(void)state;
	assert_int_equal(iommuctl_msi_classify(&arm, IOMMUCTL_IOMMU_ARM_SMMU_V3,
					       &b),
			 IOMMUCTL_MSI_SW);
	assert_non_null(strstr(b, "IOMMU_RESV_SW_MSI"));
	assert_int_equal(iommuctl_msi_classify(&x86, IOMMUCTL_IOMMU_ARM_SMMU_V3,
					       NULL),
			 IOMMUCTL_MSI_SW);
	assert_int_equal(iommuctl_msi_classify(&odd, IOMMUCTL_IOMMU_ARM_SMMU,
					       NULL),
			 IOMMUCTL_MSI_SW);
	assert_int_equal(iommuctl_msi_classify(&x86, IOMMUCTL_IOMMU_INTEL_VTD,
					       &b),
			 IOMMUCTL_MSI_HW);
	assert_non_null(strstr(b, "interrupt messages"));
	assert_int_equal(iommuctl_msi_classify(&odd, IOMMUCTL_IOMMU_AMD_VI,
					       NULL),
			 IOMMUCTL_MSI_HW);
	assert_int_equal(iommuctl_msi_classify(&arm, IOMMUCTL_IOMMU_VIRTIO, &b),
			 IOMMUCTL_MSI_SW);
	assert_int_equal(iommuctl_msi_classify(&x86, IOMMUCTL_IOMMU_VIRTIO, &b),
			 IOMMUCTL_MSI_HW);
	assert_int_equal(iommuctl_msi_classify(&odd, IOMMUCTL_IOMMU_VIRTIO, &b),
			 IOMMUCTL_MSI_HW);
	assert_non_null(strstr(b, "VIRTIO_IOMMU_RESV_MEM_T_MSI"));
	/* no driver to say: the address, and the basis says it guessed */
	assert_int_equal(iommuctl_msi_classify(&arm, IOMMUCTL_IOMMU_OTHER, &b),
			 IOMMUCTL_MSI_SW);
	assert_non_null(strstr(b, "guessed"));
	assert_int_equal(iommuctl_msi_classify(&x86, IOMMUCTL_IOMMU_MOCK, &b),
			 IOMMUCTL_MSI_HW);
	assert_non_null(strstr(b, "guessed"));
}

/* The SMMUv3 driver's boot line, offline: from a bundle's kernel log (the
 * arm64-smmuv3 capture, with the line its 6.12 guest printed); the unit's
 * platform device names the line, another unit's line is not taken. */
static void test_smmuv3_boot_line(void **state)
{
	struct iommuctl_smmuv3_log l;
	struct iommuctl_iommu *it;
	struct iommuctl_ctx *ctx;
	const char *src = NULL;
	char dir[4096];

	(void)state;
	assert_int_equal(tree_extract("arm64-smmuv3"), 0);
	snprintf(dir, sizeof(dir), "%s/arm64-smmuv3", tree_top);
	ctx = tree_ctx(dir);
	it = iommuctl_iommu_get_by_name(ctx, "smmu3.0x0000000009050000");
	assert_non_null(it);
	/* no kernel log in the tree */
	assert_int_equal(iommuctl_iommu_get_smmuv3_log(it, &l, &src), -ENOENT);
	iommuctl_unref(ctx);
	tree_sh("mkdir -p '%s/report' && printf '%%s\\n' "
		"'[    0.795290] arm-smmu-v3 c000000.smmuv3: oas 48-bit (features 0x00000001)' "
		"'[    0.795290] arm-smmu-v3 9050000.smmuv3: ias 44-bit, oas 44-bit (features 0x00008305)' "
		"'[    0.817147] arm-smmu-v3 9050000.smmuv3: allocated 262144 entries for cmdq' "
		">'%s/report/kernel-log.txt'",
		dir, dir);
	ctx = tree_ctx(dir);
	it = iommuctl_iommu_get_by_name(ctx, "smmu3.0x0000000009050000");
	assert_int_equal(iommuctl_iommu_get_smmuv3_log(it, &l, &src), 0);
	assert_string_equal(src, "report/kernel-log.txt");
	assert_string_equal(l.device, "9050000.smmuv3");
	assert_true(l.has_ias);
	assert_int_equal(l.ias_bits, 44);
	assert_int_equal(l.oas_bits, 44);
	assert_int_equal(l.features, 0x8305);
	assert_int_equal(iommuctl_iommu_get_smmuv3_log(NULL, &l, NULL),
			 -EINVAL);
	iommuctl_unref(ctx);
}

static void test_msi_check(void **state)
{
	struct seen s = { .stop_at = 1 };
	struct iommuctl_ctx *ctx;

	(void)state;
	/* interrupt remapping on: nothing to say */
	put_irq(" 24: 0 IR-PCI-MSI 512000-edge ahci\n", NULL);
	msi_check(NULL, "");
	/* off: a hardware window cannot be isolated */
	put_irq(" 24: 0 PCI-MSI 512000-edge ahci\n", NULL);
	msi_check(
		NULL,
		"warning no-interrupt-remapping: interrupt remapping is off, so MSIs are not isolated: binding a device to iommufd fails with EPERM unless iommufd.allow_unsafe_interrupts=1 (the legacy VFIO type1 container: vfio_iommu_type1.allow_unsafe_interrupts=1), which lets whoever drives the device raise any interrupt on the host; turn interrupt remapping on (intremap=on, x2APIC)\n");
	/* a software window alone needs no remapping */
	msi_check(only_group_3, "");
	put_irq(" 24: 0 PCI-MSI 512000-edge ahci\n", "N");
	msi_check(
		NULL,
		"warning no-interrupt-remapping: interrupt remapping is off, so MSIs are not isolated: binding a device to iommufd fails with EPERM unless iommufd.allow_unsafe_interrupts=1 (the legacy VFIO type1 container: vfio_iommu_type1.allow_unsafe_interrupts=1), which lets whoever drives the device raise any interrupt on the host; turn interrupt remapping on (intremap=on, x2APIC)\n");
	put_irq(" 24: 0 PCI-MSI 512000-edge ahci\n", "Y");
	msi_check(
		NULL,
		"warning unsafe-interrupts: interrupt remapping is off and allow_unsafe_interrupts=Y: MSIs are not isolated, yet devices are bound anyway (unsafe interrupts allowed): whoever drives an assigned device can raise any interrupt on the host\n");
	/* no MSI enabled yet: an IO-APIC that is not remapped tells (the
	 * IOMMU's own DMAR-MSI says nothing) */
	put_irq("  0: 53 0 IO-APIC 2-edge timer\n 24: 0 0 DMAR-MSI 0-edge dmar0\n",
		NULL);
	ctx = tree_ctx(tree_top);
	{
		struct iommuctl_msi_state st;
		char *why;

		assert_int_equal(iommuctl_msi_state(ctx, &st), 0);
		assert_int_equal(st.remapping, IOMMUCTL_IR_DISABLED);
		why = iommuctl_msi_unsafe_explain(ctx);
		assert_non_null(why);
		assert_non_null(strstr(why, "iommufd.allow_unsafe_interrupts"));
		free(why);
	}
	iommuctl_unref(ctx);
	put_irq("  0: 53 0 IR-IO-APIC 2-edge timer\n 24: 0 0 DMAR-MSI 0-edge dmar0\n",
		NULL);
	msi_check(NULL, "");
	ctx = tree_ctx(tree_top);
	assert_null(iommuctl_msi_unsafe_explain(ctx));
	iommuctl_unref(ctx);
	put_irq(" 24: 0 PCI-MSI 512000-edge ahci\n", "Y");
	/* the callback's nonzero return is the check's */
	ctx = tree_ctx(tree_top);
	assert_int_equal(iommuctl_msi_check(ctx, NULL, NULL, collect, &s), 7);
	assert_int_equal(iommuctl_msi_check(ctx, NULL, NULL, NULL, NULL),
			 -EINVAL);
	assert_int_equal(iommuctl_msi_check(NULL, NULL, NULL, collect, &s),
			 -EINVAL);
	iommuctl_unref(ctx);
	put_irq("", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resv_check),
		cmocka_unit_test(test_merge_groups),
		cmocka_unit_test(test_msi_windows),
		cmocka_unit_test(test_msi_check),
		cmocka_unit_test(test_msi_classify_by_driver),
		cmocka_unit_test(test_smmuv3_boot_line),
	};

	return cmocka_run_group_tests(tests, setup, tree_teardown);
}
