// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: lib/names.c holds the name of every enum value the
 * library spells out (in JSON, these names are an interface). Every value
 * of every enum must have one (no holes: a new enum value without a name
 * would print the fallback), names are unique in their set so they parse
 * back, and a value outside the enum gives each function's old fallback.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "private.h"

/* Each set: its enum's first and last value (the enums are contiguous but
 * for the PCIe types), and the name of a value outside it. */
static const struct {
	enum names_set set;
	int first, last;
	const char *fallback;
} sets[] = {
	{ NAMES_ACS_VERDICT, IOMMUCTL_ACS_ENABLED, IOMMUCTL_ACS_QUIRK,
	  "unknown" },
	{ NAMES_DEBUGFS_STATE, IOMMUCTL_DEBUGFS_AVAILABLE,
	  IOMMUCTL_DEBUGFS_NO_ACCESS, "unknown" },
	{ NAMES_DIFF_GROUP_KIND, IOMMUCTL_DIFF_GROUP_SAME,
	  IOMMUCTL_DIFF_GROUP_TYPE, "?" },
	{ NAMES_IOMMU_KIND, IOMMUCTL_IOMMU_OTHER, IOMMUCTL_IOMMU_MOCK,
	  "other" },
	/* "other" has no driver to fall back to */
	{ NAMES_IOMMU_DRIVER, IOMMUCTL_IOMMU_INTEL_VTD, IOMMUCTL_IOMMU_MOCK,
	  NULL },
	{ NAMES_IRQ_REMAP, IOMMUCTL_IR_UNKNOWN, IOMMUCTL_IR_DISABLED,
	  "unknown" },
	{ NAMES_KVM_MODE, IOMMUCTL_KVM_UNKNOWN, IOMMUCTL_KVM_DISABLED,
	  "unknown" },
	{ NAMES_MEM_KIND, IOMMUCTL_MEM_ANON, IOMMUCTL_MEM_COPY, "unknown" },
	{ NAMES_OBJ_TYPE, IOMMUCTL_OBJ_IOAS, IOMMUCTL_OBJ_HW_QUEUE, "unknown" },
	{ NAMES_PCIE_TYPE, -1, IOMMUCTL_PCIE_RC_EC, "unknown" },
	{ NAMES_RESET_KIND, IOMMUCTL_RESET_NONE, IOMMUCTL_RESET_BUS, "none" },
	{ NAMES_RESV_TYPE, IOMMUCTL_RESV_DIRECT, IOMMUCTL_RESV_UNKNOWN,
	  "unknown" },
	{ NAMES_SEVERITY, IOMMUCTL_NOTE, IOMMUCTL_WARNING, "note" },
	/* a bit the driver added later has no name: NULL, not a guess */
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_2LVL_STRTAB,
	  IOMMUCTL_SMMUV3_FEAT_BBML2, NULL },
	{ NAMES_USE_KIND, IOMMUCTL_USE_MOUNT, IOMMUCTL_USE_OPEN, "unknown" },
	{ NAMES_VERDICT, IOMMUCTL_VERDICT_ACTIVE, IOMMUCTL_VERDICT_NONE,
	  "unknown" },
	{ NAMES_VFIO_ACTION, IOMMUCTL_VFIO_KEEP, IOMMUCTL_VFIO_REMOVE_MDEV,
	  "unknown" },
	{ NAMES_VTD_TTYPE, IOMMUCTL_VTD_TT_UNKNOWN, IOMMUCTL_VTD_TT_NESTED,
	  "unknown" },
	{ NAMES_WHY, IOMMUCTL_WHY_OWN_GROUP, IOMMUCTL_WHY_EMULATED, "unknown" },
	{ NAMES_DOORBELL, IOMMUCTL_DOORBELL_UNATTACHED,
	  IOMMUCTL_DOORBELL_NEST_PARENT, "unknown" },
	{ NAMES_VSTE_CONFIG, IOMMUCTL_VSTE_INVALID, IOMMUCTL_VSTE_S1_TRANSLATE,
	  "unknown" },
	{ NAMES_EVENT_TYPE, IOMMUCTL_EVENT_DEVICE_ADD, IOMMUCTL_EVENT_TYPE_MAX,
	  NULL },
	{ NAMES_FAULT_IOMMU, IOMMUCTL_FAULT_VTD, IOMMUCTL_FAULT_SMMUV3, NULL },
	{ NAMES_FAULT_ACCESS, IOMMUCTL_FAULT_ACCESS_UNKNOWN,
	  IOMMUCTL_FAULT_ACCESS_WRITE, "unknown" },
	{ NAMES_PGTABLE_STATE, IOMMUCTL_PGTABLE_TABLE,
	  IOMMUCTL_PGTABLE_DISABLED, "unknown" },
	{ NAMES_PGTABLE_DIFF, IOMMUCTL_PGTABLE_DIFF_MISSING,
	  IOMMUCTL_PGTABLE_DIFF_PHYS, "unknown" },
};

/* PCIe device/port types 2 and 3 are reserved: enum iommuctl_pcie_type
 * has no value for them. */
static bool is_hole(enum names_set set, int v)
{
	return set == NAMES_PCIE_TYPE && (v == 2 || v == 3);
}

static void test_every_value_named(void **state)
{
	unsigned int i;
	int v, back;
	const char *name;

	(void)state;
	assert_int_equal(sizeof(sets) / sizeof(sets[0]), NAMES_NR);
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		assert_int_equal(sets[i].set, i);
		for (v = sets[i].first; v <= sets[i].last; v++) {
			name = names_lookup(sets[i].set, v);
			if (is_hole(sets[i].set, v)) {
				assert_null(name);
				continue;
			}
			if (!name)
				fail_msg("set %u: value %d has no name", i, v);
			/* unique in its set: the name parses back to v */
			assert_true(names_find(sets[i].set, name, strlen(name),
					       &back));
			assert_int_equal(back, v);
		}
		assert_null(names_lookup(sets[i].set, sets[i].first - 1));
		assert_null(names_lookup(sets[i].set, sets[i].last + 1));
	}
}

static void test_fallback(void **state)
{
	unsigned int i;
	const char *f;

	(void)state;
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		f = sets[i].fallback;
		if (!f) {
			assert_null(names_get(sets[i].set, sets[i].last + 1));
			continue;
		}
		assert_string_equal(names_get(sets[i].set, sets[i].last + 1),
				    f);
		assert_string_equal(names_get(sets[i].set, -100), f);
		assert_string_equal(names_get(sets[i].set, 1 << 20), f);
	}
	assert_false(names_find(NAMES_OBJ_TYPE, "ioas2", 5, &(int){ 0 }));
	assert_false(names_find(NAMES_OBJ_TYPE, "hwpt", 4, &(int){ 0 }));
}

/* The exported functions answer from the table, with their fallback. */
static void test_functions(void **state)
{
	(void)state;
	assert_string_equal(iommuctl_acs_verdict_name(IOMMUCTL_ACS_NEVER),
			    "not-applicable");
	assert_string_equal(iommuctl_acs_verdict_name(99), "unknown");
	assert_string_equal(
		iommuctl_debugfs_state_name(IOMMUCTL_DEBUGFS_NO_IOMMU_DIR),
		"absent");
	assert_string_equal(iommuctl_debugfs_state_name(99), "unknown");
	assert_string_equal(
		iommuctl_diff_group_kind_name(IOMMUCTL_DIFF_GROUP_MERGED),
		"merged");
	assert_string_equal(iommuctl_diff_group_kind_name(99), "?");
	assert_string_equal(iommuctl_iommu_kind_name(IOMMUCTL_IOMMU_VIRTIO),
			    "virtio-iommu");
	assert_string_equal(iommuctl_iommu_kind_name(99), "other");
	assert_string_equal(iommuctl_irq_remap_name(IOMMUCTL_IR_ENABLED),
			    "enabled");
	assert_string_equal(iommuctl_irq_remap_name(IOMMUCTL_IR_UNKNOWN),
			    "unknown");
	assert_string_equal(iommuctl_mem_kind_name(IOMMUCTL_MEM_MEMFD),
			    "memfd");
	assert_string_equal(iommuctl_mem_kind_name(99), "unknown");
	assert_string_equal(iommuctl_obj_type_name(IOMMUCTL_OBJ_HWPT_NESTED),
			    "hwpt-nested");
	assert_string_equal(iommuctl_obj_type_name(0), "unknown");
	assert_string_equal(iommuctl_pcie_type_name(-1), "pci");
	assert_string_equal(iommuctl_pcie_type_name(IOMMUCTL_PCIE_UPSTREAM),
			    "switch-upstream-port");
	assert_string_equal(iommuctl_pcie_type_name(2), "unknown");
	assert_string_equal(iommuctl_resv_type_name(IOMMUCTL_RESV_MSI), "msi");
	assert_string_equal(iommuctl_resv_type_name(99), "unknown");
	assert_string_equal(iommuctl_severity_name(IOMMUCTL_WARNING),
			    "warning");
	assert_string_equal(iommuctl_severity_name(99), "note");
	assert_string_equal(iommuctl_use_kind_name(IOMMUCTL_USE_DRM), "drm");
	assert_string_equal(iommuctl_use_kind_name(99), "unknown");
	assert_string_equal(iommuctl_verdict_name(IOMMUCTL_VERDICT_NO_GROUPS),
			    "no-groups");
	assert_string_equal(iommuctl_verdict_name(99), "unknown");
	assert_string_equal(iommuctl_vfio_action_name(IOMMUCTL_VFIO_BRIDGE),
			    "bridge");
	assert_string_equal(iommuctl_vfio_action_name(99), "unknown");
	assert_string_equal(
		iommuctl_vtd_ttype_name(IOMMUCTL_VTD_TT_PASS_THROUGH),
		"pass-through");
	assert_string_equal(iommuctl_vtd_ttype_name(99), "unknown");
	assert_string_equal(iommuctl_why_name(IOMMUCTL_WHY_UPSTREAM_ACS),
			    "upstream-acs");
	assert_string_equal(iommuctl_why_name(99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_value_named),
		cmocka_unit_test(test_fallback),
		cmocka_unit_test(test_functions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
