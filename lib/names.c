// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * The names of enum values, as the JSON output and the text show them: an
 * interface, so a spelling never changes once released. One table holds
 * them all; each iommuctl_*_name() function of the public API looks its
 * enum up here (tests/unit/test-names.c checks every value has a name).
 */
#include <stddef.h>
#include <string.h>

#include "private.h"

/*
 * Each set's names, in the order a lookup tries them, ended by a NULL name;
 * and what a value without a name is called (fallback): each function's
 * answer since it was first released.
 */
struct enum_name {
	int value;
	const char *name;
};

#define NAMES(set, fallback_name, ...) \
	[set] = { fallback_name,       \
		  (const struct enum_name[]){ __VA_ARGS__, { 0, NULL } } }

/* clang-format off */
static const struct {
	const char *fallback;
	const struct enum_name *names;
} sets[NAMES_NR] = {
	NAMES(NAMES_ACS_VERDICT, "unknown",
	      { IOMMUCTL_ACS_ENABLED, "enabled" },
	      { IOMMUCTL_ACS_NOT_REQUIRED, "not-required" },
	      { IOMMUCTL_ACS_DISABLED, "disabled" },
	      { IOMMUCTL_ACS_MISSING, "missing" },
	      { IOMMUCTL_ACS_NEVER, "not-applicable" },
	      { IOMMUCTL_ACS_NOT_PCIE, "conventional-pci" },
	      { IOMMUCTL_ACS_UNKNOWN, "unknown" },
	      { IOMMUCTL_ACS_QUIRK, "quirk" }),
	NAMES(NAMES_DEBUGFS_STATE, "unknown",
	      { IOMMUCTL_DEBUGFS_AVAILABLE, "available" },
	      { IOMMUCTL_DEBUGFS_NO_IOMMU_DIR, "absent" },
	      { IOMMUCTL_DEBUGFS_NOT_MOUNTED, "not-mounted" },
	      { IOMMUCTL_DEBUGFS_NO_ACCESS, "no-access" }),
	NAMES(NAMES_DIFF_GROUP_KIND, "?",
	      { IOMMUCTL_DIFF_GROUP_SAME, "same" },
	      { IOMMUCTL_DIFF_GROUP_NEW, "new" },
	      { IOMMUCTL_DIFF_GROUP_GONE, "gone" },
	      { IOMMUCTL_DIFF_GROUP_SPLIT, "split" },
	      { IOMMUCTL_DIFF_GROUP_MERGED, "merged" },
	      { IOMMUCTL_DIFF_GROUP_MOVED, "moved" },
	      { IOMMUCTL_DIFF_GROUP_PAIRED, "paired" },
	      { IOMMUCTL_DIFF_GROUP_MEMBERS, "members" },
	      { IOMMUCTL_DIFF_GROUP_TYPE, "type" }),
	NAMES(NAMES_IOMMU_KIND, "other",
	      { IOMMUCTL_IOMMU_OTHER, "other" },
	      { IOMMUCTL_IOMMU_INTEL_VTD, "intel-vtd" },
	      { IOMMUCTL_IOMMU_AMD_VI, "amd-vi" },
	      { IOMMUCTL_IOMMU_VIRTIO, "virtio-iommu" },
	      { IOMMUCTL_IOMMU_ARM_SMMU_V3, "arm-smmu-v3" },
	      { IOMMUCTL_IOMMU_ARM_SMMU, "arm-smmu" },
	      { IOMMUCTL_IOMMU_MOCK, "iommufd-mock" }),
	/* the driver of a unit whose sysfs device has no driver link */
	NAMES(NAMES_IOMMU_DRIVER, NULL,
	      { IOMMUCTL_IOMMU_INTEL_VTD, "intel-iommu" },
	      { IOMMUCTL_IOMMU_AMD_VI, "amd-iommu" },
	      { IOMMUCTL_IOMMU_VIRTIO, "virtio_iommu" },
	      { IOMMUCTL_IOMMU_ARM_SMMU_V3, "arm-smmu-v3" },
	      { IOMMUCTL_IOMMU_ARM_SMMU, "arm-smmu" },
	      { IOMMUCTL_IOMMU_MOCK, "iommufd_selftest" }),
	NAMES(NAMES_IRQ_REMAP, "unknown",
	      { IOMMUCTL_IR_UNKNOWN, "unknown" },
	      { IOMMUCTL_IR_ENABLED, "enabled" },
	      { IOMMUCTL_IR_DISABLED, "disabled" }),
	NAMES(NAMES_KVM_MODE, "unknown",
	      { IOMMUCTL_KVM_UNKNOWN, "unknown" },
	      { IOMMUCTL_KVM_VHE, "vhe" },
	      { IOMMUCTL_KVM_NVHE, "nvhe" },
	      { IOMMUCTL_KVM_HVHE, "hvhe" },
	      { IOMMUCTL_KVM_PROTECTED, "protected" },
	      { IOMMUCTL_KVM_NOT_STARTED, "not-started" },
	      { IOMMUCTL_KVM_DISABLED, "disabled" }),
	NAMES(NAMES_MEM_KIND, "unknown",
	      { IOMMUCTL_MEM_ANON, "anon" },
	      { IOMMUCTL_MEM_HUGETLB, "hugetlb" },
	      { IOMMUCTL_MEM_MEMFD, "memfd" },
	      { IOMMUCTL_MEM_FILE, "file" },
	      { IOMMUCTL_MEM_COPY, "copy" }),
	NAMES(NAMES_OBJ_TYPE, "unknown",
	      { IOMMUCTL_OBJ_IOAS, "ioas" },
	      { IOMMUCTL_OBJ_HWPT_PAGING, "hwpt-paging" },
	      { IOMMUCTL_OBJ_HWPT_NESTED, "hwpt-nested" },
	      { IOMMUCTL_OBJ_DEVICE, "device" },
	      { IOMMUCTL_OBJ_ACCESS, "access" },
	      { IOMMUCTL_OBJ_FAULT, "fault" },
	      { IOMMUCTL_OBJ_VIOMMU, "viommu" },
	      { IOMMUCTL_OBJ_VDEVICE, "vdevice" },
	      { IOMMUCTL_OBJ_VEVENTQ, "veventq" },
	      { IOMMUCTL_OBJ_HW_QUEUE, "hw-queue" }),
	NAMES(NAMES_PCIE_TYPE, "unknown",
	      { -1, "pci" }, /* no PCI Express capability */
	      { IOMMUCTL_PCIE_ENDPOINT, "endpoint" },
	      { IOMMUCTL_PCIE_LEGACY_ENDPOINT, "legacy-endpoint" },
	      { IOMMUCTL_PCIE_ROOT_PORT, "root-port" },
	      { IOMMUCTL_PCIE_UPSTREAM, "switch-upstream-port" },
	      { IOMMUCTL_PCIE_DOWNSTREAM, "switch-downstream-port" },
	      { IOMMUCTL_PCIE_PCI_BRIDGE, "pcie-to-pci-bridge" },
	      { IOMMUCTL_PCIE_PCIE_BRIDGE, "pci-to-pcie-bridge" },
	      { IOMMUCTL_PCIE_RC_ENDPOINT, "rc-integrated-endpoint" },
	      { IOMMUCTL_PCIE_RC_EC, "rc-event-collector" }),
	/* the words of /sys/kernel/iommu_groups/N/reserved_regions */
	NAMES(NAMES_RESV_TYPE, "unknown",
	      { IOMMUCTL_RESV_DIRECT, "direct" },
	      { IOMMUCTL_RESV_DIRECT_RELAXABLE, "direct-relaxable" },
	      { IOMMUCTL_RESV_RESERVED, "reserved" },
	      { IOMMUCTL_RESV_MSI, "msi" },
	      { IOMMUCTL_RESV_UNKNOWN, "unknown" }),
	NAMES(NAMES_SEVERITY, "note",
	      { IOMMUCTL_NOTE, "note" },
	      { IOMMUCTL_WARNING, "warning" }),
	NAMES(NAMES_SMMUV3_FEATURE, NULL,
	      { IOMMUCTL_SMMUV3_FEAT_2LVL_STRTAB, "2lvl-strtab" },
	      { IOMMUCTL_SMMUV3_FEAT_2LVL_CDTAB, "2lvl-cdtab" },
	      { IOMMUCTL_SMMUV3_FEAT_TT_LE, "tt-le" },
	      { IOMMUCTL_SMMUV3_FEAT_TT_BE, "tt-be" },
	      { IOMMUCTL_SMMUV3_FEAT_PRI, "pri" },
	      { IOMMUCTL_SMMUV3_FEAT_ATS, "ats" },
	      { IOMMUCTL_SMMUV3_FEAT_SEV, "sev" },
	      { IOMMUCTL_SMMUV3_FEAT_MSI, "msi" },
	      { IOMMUCTL_SMMUV3_FEAT_COHERENCY, "coherency" },
	      { IOMMUCTL_SMMUV3_FEAT_TRANS_S1, "s1" },
	      { IOMMUCTL_SMMUV3_FEAT_TRANS_S2, "s2" },
	      { IOMMUCTL_SMMUV3_FEAT_STALLS, "stalls" },
	      { IOMMUCTL_SMMUV3_FEAT_HYP, "hyp" },
	      { IOMMUCTL_SMMUV3_FEAT_STALL_FORCE, "stall-force" },
	      { IOMMUCTL_SMMUV3_FEAT_VAX, "vax" },
	      { IOMMUCTL_SMMUV3_FEAT_RANGE_INV, "range-inv" },
	      { IOMMUCTL_SMMUV3_FEAT_BTM, "btm" },
	      { IOMMUCTL_SMMUV3_FEAT_SVA, "sva" },
	      { IOMMUCTL_SMMUV3_FEAT_E2H, "e2h" },
	      { IOMMUCTL_SMMUV3_FEAT_NESTING, "nesting" },
	      { IOMMUCTL_SMMUV3_FEAT_ATTR_TYPES_OVR, "attr-types-ovr" },
	      { IOMMUCTL_SMMUV3_FEAT_HA, "ha" },
	      { IOMMUCTL_SMMUV3_FEAT_HD, "hd" },
	      { IOMMUCTL_SMMUV3_FEAT_S2FWB, "s2fwb" },
	      { IOMMUCTL_SMMUV3_FEAT_BBML2, "bbml2" }),
	NAMES(NAMES_USE_KIND, "unknown",
	      { IOMMUCTL_USE_MOUNT, "mount" },
	      { IOMMUCTL_USE_SWAP, "swap" },
	      { IOMMUCTL_USE_HOLDER, "holder" },
	      { IOMMUCTL_USE_NETIF, "netif" },
	      { IOMMUCTL_USE_ROUTE, "route" },
	      { IOMMUCTL_USE_CONSOLE, "console" },
	      { IOMMUCTL_USE_DRM, "drm" },
	      { IOMMUCTL_USE_OPEN, "open" }),
	NAMES(NAMES_VERDICT, "unknown",
	      { IOMMUCTL_VERDICT_ACTIVE, "active" },
	      { IOMMUCTL_VERDICT_NO_GROUPS, "no-groups" },
	      { IOMMUCTL_VERDICT_DISABLED, "disabled" },
	      { IOMMUCTL_VERDICT_NONE, "none" }),
	NAMES(NAMES_RESET_KIND, "none",
	      { IOMMUCTL_RESET_NONE, "none" },
	      { IOMMUCTL_RESET_SLOT, "slot" },
	      { IOMMUCTL_RESET_BUS, "bus" }),
	NAMES(NAMES_VFIO_ACTION, "unknown",
	      { IOMMUCTL_VFIO_KEEP, "keep" },
	      { IOMMUCTL_VFIO_BIND, "bind" },
	      { IOMMUCTL_VFIO_BRIDGE, "bridge" },
	      { IOMMUCTL_VFIO_REFUSE, "refuse" },
	      { IOMMUCTL_VFIO_RESTORE, "restore" },
	      { IOMMUCTL_VFIO_SET_VFS, "set-vfs" },
	      { IOMMUCTL_VFIO_CREATE_MDEV, "create-mdev" },
	      { IOMMUCTL_VFIO_REMOVE_MDEV, "remove-mdev" }),
	NAMES(NAMES_VTD_TTYPE, "unknown",
	      { IOMMUCTL_VTD_TT_UNKNOWN, "unknown" },
	      { IOMMUCTL_VTD_TT_MULTI_LEVEL, "multi-level" },
	      { IOMMUCTL_VTD_TT_DEV_IOTLB, "dev-iotlb" },
	      { IOMMUCTL_VTD_TT_PASS_THROUGH, "pass-through" },
	      { IOMMUCTL_VTD_TT_FIRST_STAGE, "first-stage" },
	      { IOMMUCTL_VTD_TT_SECOND_STAGE, "second-stage" },
	      { IOMMUCTL_VTD_TT_NESTED, "nested" }),
	NAMES(NAMES_WHY, "unknown",
	      { IOMMUCTL_WHY_OWN_GROUP, "own-group" },
	      { IOMMUCTL_WHY_BRIDGE_ALIAS, "bridge-alias" },
	      { IOMMUCTL_WHY_UPSTREAM_ACS, "upstream-acs" },
	      { IOMMUCTL_WHY_MULTIFUNCTION, "multifunction" },
	      { IOMMUCTL_WHY_NOT_PCI, "not-pci" },
	      { IOMMUCTL_WHY_EMULATED, "emulated" }),
	NAMES(NAMES_DOORBELL, "unknown",
	      { IOMMUCTL_DOORBELL_UNATTACHED, "unattached" },
	      { IOMMUCTL_DOORBELL_EMULATED, "emulated" },
	      { IOMMUCTL_DOORBELL_NO_WINDOW, "no-window" },
	      { IOMMUCTL_DOORBELL_HW_WINDOW, "hardware-window" },
	      { IOMMUCTL_DOORBELL_PAGING, "paging" },
	      { IOMMUCTL_DOORBELL_NEST_PARENT, "nest-parent" }),
	NAMES(NAMES_VSTE_CONFIG, "unknown",
	      { IOMMUCTL_VSTE_INVALID, "invalid" },
	      { IOMMUCTL_VSTE_ABORT, "abort" },
	      { IOMMUCTL_VSTE_BYPASS, "bypass" },
	      { IOMMUCTL_VSTE_S1_TRANSLATE, "s1-translate" }),
	NAMES(NAMES_EVENT_TYPE, NULL,
	      { IOMMUCTL_EVENT_DEVICE_ADD, "device-add" },
	      { IOMMUCTL_EVENT_DEVICE_REMOVE, "device-remove" },
	      { IOMMUCTL_EVENT_DRIVER_BIND, "driver-bind" },
	      { IOMMUCTL_EVENT_DRIVER_UNBIND, "driver-unbind" },
	      { IOMMUCTL_EVENT_GROUP_ADD, "group-add" },
	      { IOMMUCTL_EVENT_GROUP_REMOVE, "group-remove" },
	      { IOMMUCTL_EVENT_VFIO_CDEV_ADD, "vfio-cdev-add" },
	      { IOMMUCTL_EVENT_VFIO_CDEV_REMOVE, "vfio-cdev-remove" },
	      { IOMMUCTL_EVENT_VFIO_GROUP_ADD, "vfio-group-add" },
	      { IOMMUCTL_EVENT_VFIO_GROUP_REMOVE, "vfio-group-remove" },
	      { IOMMUCTL_EVENT_FAULT, "fault" }),
	NAMES(NAMES_FAULT_IOMMU, NULL,
	      { IOMMUCTL_FAULT_VTD, "vt-d" },
	      { IOMMUCTL_FAULT_AMD_VI, "amd-vi" },
	      { IOMMUCTL_FAULT_SMMUV3, "smmuv3" }),
	NAMES(NAMES_FAULT_ACCESS, "unknown",
	      { IOMMUCTL_FAULT_ACCESS_UNKNOWN, "unknown" },
	      { IOMMUCTL_FAULT_ACCESS_READ, "read" },
	      { IOMMUCTL_FAULT_ACCESS_WRITE, "write" }),
	NAMES(NAMES_PGTABLE_STATE, "unknown",
	      { IOMMUCTL_PGTABLE_TABLE, "table" },
	      { IOMMUCTL_PGTABLE_NO_TABLE, "no-table" },
	      { IOMMUCTL_PGTABLE_DISABLED, "disabled" }),
	NAMES(NAMES_PGTABLE_DIFF, "unknown",
	      { IOMMUCTL_PGTABLE_DIFF_MISSING, "missing" },
	      { IOMMUCTL_PGTABLE_DIFF_EXTRA, "extra" },
	      { IOMMUCTL_PGTABLE_DIFF_PERM, "perm" },
	      { IOMMUCTL_PGTABLE_DIFF_PHYS, "phys" }),
};
/* clang-format on */

static const struct enum_name *set_names(enum names_set set)
{
	return (unsigned int)set < NAMES_NR ? sets[set].names : NULL;
}

const char *names_lookup(enum names_set set, int value)
{
	const struct enum_name *n;

	for (n = set_names(set); n && n->name; n++)
		if (n->value == value)
			return n->name;
	return NULL;
}

const char *names_get(enum names_set set, int value)
{
	const char *name = names_lookup(set, value);

	if (name)
		return name;
	return (unsigned int)set < NAMES_NR ? sets[set].fallback : NULL;
}

bool names_find(enum names_set set, const char *s, size_t len, int *value)
{
	const struct enum_name *n;

	for (n = set_names(set); n && n->name; n++) {
		if (strlen(n->name) != len || strncmp(n->name, s, len))
			continue;
		*value = n->value;
		return true;
	}
	return false;
}
