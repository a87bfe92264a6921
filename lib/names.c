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

#define NAMES_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct enum_name {
	enum names_set set;
	int value;
	const char *name;
} names[] = {
	{ NAMES_ACS_VERDICT, IOMMUCTL_ACS_ENABLED, "enabled" },
	{ NAMES_ACS_VERDICT, IOMMUCTL_ACS_NOT_REQUIRED, "not-required" },
	{ NAMES_ACS_VERDICT, IOMMUCTL_ACS_DISABLED, "disabled" },
	{ NAMES_ACS_VERDICT, IOMMUCTL_ACS_MISSING, "missing" },
	{ NAMES_ACS_VERDICT, IOMMUCTL_ACS_NEVER, "not-applicable" },
	{ NAMES_ACS_VERDICT, IOMMUCTL_ACS_NOT_PCIE, "conventional-pci" },
	{ NAMES_ACS_VERDICT, IOMMUCTL_ACS_UNKNOWN, "unknown" },
	{ NAMES_ACS_VERDICT, IOMMUCTL_ACS_QUIRK, "quirk" },

	{ NAMES_DEBUGFS_STATE, IOMMUCTL_DEBUGFS_AVAILABLE, "available" },
	{ NAMES_DEBUGFS_STATE, IOMMUCTL_DEBUGFS_NO_IOMMU_DIR, "absent" },
	{ NAMES_DEBUGFS_STATE, IOMMUCTL_DEBUGFS_NOT_MOUNTED, "not-mounted" },
	{ NAMES_DEBUGFS_STATE, IOMMUCTL_DEBUGFS_NO_ACCESS, "no-access" },

	{ NAMES_DIFF_GROUP_KIND, IOMMUCTL_DIFF_GROUP_SAME, "same" },
	{ NAMES_DIFF_GROUP_KIND, IOMMUCTL_DIFF_GROUP_NEW, "new" },
	{ NAMES_DIFF_GROUP_KIND, IOMMUCTL_DIFF_GROUP_GONE, "gone" },
	{ NAMES_DIFF_GROUP_KIND, IOMMUCTL_DIFF_GROUP_SPLIT, "split" },
	{ NAMES_DIFF_GROUP_KIND, IOMMUCTL_DIFF_GROUP_MERGED, "merged" },
	{ NAMES_DIFF_GROUP_KIND, IOMMUCTL_DIFF_GROUP_MOVED, "moved" },
	{ NAMES_DIFF_GROUP_KIND, IOMMUCTL_DIFF_GROUP_PAIRED, "paired" },
	{ NAMES_DIFF_GROUP_KIND, IOMMUCTL_DIFF_GROUP_MEMBERS, "members" },
	{ NAMES_DIFF_GROUP_KIND, IOMMUCTL_DIFF_GROUP_TYPE, "type" },

	{ NAMES_IOMMU_KIND, IOMMUCTL_IOMMU_OTHER, "other" },
	{ NAMES_IOMMU_KIND, IOMMUCTL_IOMMU_INTEL_VTD, "intel-vtd" },
	{ NAMES_IOMMU_KIND, IOMMUCTL_IOMMU_AMD_VI, "amd-vi" },
	{ NAMES_IOMMU_KIND, IOMMUCTL_IOMMU_VIRTIO, "virtio-iommu" },
	{ NAMES_IOMMU_KIND, IOMMUCTL_IOMMU_ARM_SMMU_V3, "arm-smmu-v3" },
	{ NAMES_IOMMU_KIND, IOMMUCTL_IOMMU_ARM_SMMU, "arm-smmu" },
	{ NAMES_IOMMU_KIND, IOMMUCTL_IOMMU_MOCK, "iommufd-mock" },

	/* the driver of a unit whose sysfs device has no driver link */
	{ NAMES_IOMMU_DRIVER, IOMMUCTL_IOMMU_INTEL_VTD, "intel-iommu" },
	{ NAMES_IOMMU_DRIVER, IOMMUCTL_IOMMU_AMD_VI, "amd-iommu" },
	{ NAMES_IOMMU_DRIVER, IOMMUCTL_IOMMU_VIRTIO, "virtio_iommu" },
	{ NAMES_IOMMU_DRIVER, IOMMUCTL_IOMMU_ARM_SMMU_V3, "arm-smmu-v3" },
	{ NAMES_IOMMU_DRIVER, IOMMUCTL_IOMMU_ARM_SMMU, "arm-smmu" },
	{ NAMES_IOMMU_DRIVER, IOMMUCTL_IOMMU_MOCK, "iommufd_selftest" },

	{ NAMES_IRQ_REMAP, IOMMUCTL_IR_UNKNOWN, "unknown" },
	{ NAMES_IRQ_REMAP, IOMMUCTL_IR_ENABLED, "enabled" },
	{ NAMES_IRQ_REMAP, IOMMUCTL_IR_DISABLED, "disabled" },

	{ NAMES_KVM_MODE, IOMMUCTL_KVM_UNKNOWN, "unknown" },
	{ NAMES_KVM_MODE, IOMMUCTL_KVM_VHE, "vhe" },
	{ NAMES_KVM_MODE, IOMMUCTL_KVM_NVHE, "nvhe" },
	{ NAMES_KVM_MODE, IOMMUCTL_KVM_HVHE, "hvhe" },
	{ NAMES_KVM_MODE, IOMMUCTL_KVM_PROTECTED, "protected" },
	{ NAMES_KVM_MODE, IOMMUCTL_KVM_NOT_STARTED, "not-started" },
	{ NAMES_KVM_MODE, IOMMUCTL_KVM_DISABLED, "disabled" },

	{ NAMES_MEM_KIND, IOMMUCTL_MEM_ANON, "anon" },
	{ NAMES_MEM_KIND, IOMMUCTL_MEM_HUGETLB, "hugetlb" },
	{ NAMES_MEM_KIND, IOMMUCTL_MEM_MEMFD, "memfd" },
	{ NAMES_MEM_KIND, IOMMUCTL_MEM_FILE, "file" },
	{ NAMES_MEM_KIND, IOMMUCTL_MEM_COPY, "copy" },

	{ NAMES_OBJ_TYPE, IOMMUCTL_OBJ_IOAS, "ioas" },
	{ NAMES_OBJ_TYPE, IOMMUCTL_OBJ_HWPT_PAGING, "hwpt-paging" },
	{ NAMES_OBJ_TYPE, IOMMUCTL_OBJ_HWPT_NESTED, "hwpt-nested" },
	{ NAMES_OBJ_TYPE, IOMMUCTL_OBJ_DEVICE, "device" },
	{ NAMES_OBJ_TYPE, IOMMUCTL_OBJ_ACCESS, "access" },
	{ NAMES_OBJ_TYPE, IOMMUCTL_OBJ_FAULT, "fault" },
	{ NAMES_OBJ_TYPE, IOMMUCTL_OBJ_VIOMMU, "viommu" },
	{ NAMES_OBJ_TYPE, IOMMUCTL_OBJ_VDEVICE, "vdevice" },
	{ NAMES_OBJ_TYPE, IOMMUCTL_OBJ_VEVENTQ, "veventq" },
	{ NAMES_OBJ_TYPE, IOMMUCTL_OBJ_HW_QUEUE, "hw-queue" },

	{ NAMES_PCIE_TYPE, -1, "pci" }, /* no PCI Express capability */
	{ NAMES_PCIE_TYPE, IOMMUCTL_PCIE_ENDPOINT, "endpoint" },
	{ NAMES_PCIE_TYPE, IOMMUCTL_PCIE_LEGACY_ENDPOINT, "legacy-endpoint" },
	{ NAMES_PCIE_TYPE, IOMMUCTL_PCIE_ROOT_PORT, "root-port" },
	{ NAMES_PCIE_TYPE, IOMMUCTL_PCIE_UPSTREAM, "switch-upstream-port" },
	{ NAMES_PCIE_TYPE, IOMMUCTL_PCIE_DOWNSTREAM, "switch-downstream-port" },
	{ NAMES_PCIE_TYPE, IOMMUCTL_PCIE_PCI_BRIDGE, "pcie-to-pci-bridge" },
	{ NAMES_PCIE_TYPE, IOMMUCTL_PCIE_PCIE_BRIDGE, "pci-to-pcie-bridge" },
	{ NAMES_PCIE_TYPE, IOMMUCTL_PCIE_RC_ENDPOINT,
	  "rc-integrated-endpoint" },
	{ NAMES_PCIE_TYPE, IOMMUCTL_PCIE_RC_EC, "rc-event-collector" },

	/* the words of /sys/kernel/iommu_groups/N/reserved_regions */
	{ NAMES_RESV_TYPE, IOMMUCTL_RESV_DIRECT, "direct" },
	{ NAMES_RESV_TYPE, IOMMUCTL_RESV_DIRECT_RELAXABLE, "direct-relaxable" },
	{ NAMES_RESV_TYPE, IOMMUCTL_RESV_RESERVED, "reserved" },
	{ NAMES_RESV_TYPE, IOMMUCTL_RESV_MSI, "msi" },
	{ NAMES_RESV_TYPE, IOMMUCTL_RESV_UNKNOWN, "unknown" },

	{ NAMES_SEVERITY, IOMMUCTL_NOTE, "note" },
	{ NAMES_SEVERITY, IOMMUCTL_WARNING, "warning" },

	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_2LVL_STRTAB,
	  "2lvl-strtab" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_2LVL_CDTAB, "2lvl-cdtab" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_TT_LE, "tt-le" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_TT_BE, "tt-be" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_PRI, "pri" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_ATS, "ats" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_SEV, "sev" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_MSI, "msi" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_COHERENCY, "coherency" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_TRANS_S1, "s1" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_TRANS_S2, "s2" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_STALLS, "stalls" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_HYP, "hyp" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_STALL_FORCE,
	  "stall-force" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_VAX, "vax" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_RANGE_INV, "range-inv" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_BTM, "btm" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_SVA, "sva" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_E2H, "e2h" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_NESTING, "nesting" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_ATTR_TYPES_OVR,
	  "attr-types-ovr" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_HA, "ha" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_HD, "hd" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_S2FWB, "s2fwb" },
	{ NAMES_SMMUV3_FEATURE, IOMMUCTL_SMMUV3_FEAT_BBML2, "bbml2" },

	{ NAMES_USE_KIND, IOMMUCTL_USE_MOUNT, "mount" },
	{ NAMES_USE_KIND, IOMMUCTL_USE_SWAP, "swap" },
	{ NAMES_USE_KIND, IOMMUCTL_USE_HOLDER, "holder" },
	{ NAMES_USE_KIND, IOMMUCTL_USE_NETIF, "netif" },
	{ NAMES_USE_KIND, IOMMUCTL_USE_ROUTE, "route" },
	{ NAMES_USE_KIND, IOMMUCTL_USE_CONSOLE, "console" },
	{ NAMES_USE_KIND, IOMMUCTL_USE_DRM, "drm" },
	{ NAMES_USE_KIND, IOMMUCTL_USE_OPEN, "open" },

	{ NAMES_VERDICT, IOMMUCTL_VERDICT_ACTIVE, "active" },
	{ NAMES_VERDICT, IOMMUCTL_VERDICT_NO_GROUPS, "no-groups" },
	{ NAMES_VERDICT, IOMMUCTL_VERDICT_DISABLED, "disabled" },
	{ NAMES_VERDICT, IOMMUCTL_VERDICT_NONE, "none" },

	{ NAMES_RESET_KIND, IOMMUCTL_RESET_NONE, "none" },
	{ NAMES_RESET_KIND, IOMMUCTL_RESET_SLOT, "slot" },
	{ NAMES_RESET_KIND, IOMMUCTL_RESET_BUS, "bus" },

	{ NAMES_VFIO_ACTION, IOMMUCTL_VFIO_KEEP, "keep" },
	{ NAMES_VFIO_ACTION, IOMMUCTL_VFIO_BIND, "bind" },
	{ NAMES_VFIO_ACTION, IOMMUCTL_VFIO_BRIDGE, "bridge" },
	{ NAMES_VFIO_ACTION, IOMMUCTL_VFIO_REFUSE, "refuse" },
	{ NAMES_VFIO_ACTION, IOMMUCTL_VFIO_RESTORE, "restore" },
	{ NAMES_VFIO_ACTION, IOMMUCTL_VFIO_SET_VFS, "set-vfs" },
	{ NAMES_VFIO_ACTION, IOMMUCTL_VFIO_CREATE_MDEV, "create-mdev" },
	{ NAMES_VFIO_ACTION, IOMMUCTL_VFIO_REMOVE_MDEV, "remove-mdev" },

	{ NAMES_VTD_TTYPE, IOMMUCTL_VTD_TT_UNKNOWN, "unknown" },
	{ NAMES_VTD_TTYPE, IOMMUCTL_VTD_TT_MULTI_LEVEL, "multi-level" },
	{ NAMES_VTD_TTYPE, IOMMUCTL_VTD_TT_DEV_IOTLB, "dev-iotlb" },
	{ NAMES_VTD_TTYPE, IOMMUCTL_VTD_TT_PASS_THROUGH, "pass-through" },
	{ NAMES_VTD_TTYPE, IOMMUCTL_VTD_TT_FIRST_STAGE, "first-stage" },
	{ NAMES_VTD_TTYPE, IOMMUCTL_VTD_TT_SECOND_STAGE, "second-stage" },
	{ NAMES_VTD_TTYPE, IOMMUCTL_VTD_TT_NESTED, "nested" },

	{ NAMES_WHY, IOMMUCTL_WHY_OWN_GROUP, "own-group" },
	{ NAMES_WHY, IOMMUCTL_WHY_BRIDGE_ALIAS, "bridge-alias" },
	{ NAMES_WHY, IOMMUCTL_WHY_UPSTREAM_ACS, "upstream-acs" },
	{ NAMES_WHY, IOMMUCTL_WHY_MULTIFUNCTION, "multifunction" },
	{ NAMES_WHY, IOMMUCTL_WHY_NOT_PCI, "not-pci" },
	{ NAMES_WHY, IOMMUCTL_WHY_EMULATED, "emulated" },

	{ NAMES_DOORBELL, IOMMUCTL_DOORBELL_UNATTACHED, "unattached" },
	{ NAMES_DOORBELL, IOMMUCTL_DOORBELL_EMULATED, "emulated" },
	{ NAMES_DOORBELL, IOMMUCTL_DOORBELL_NO_WINDOW, "no-window" },
	{ NAMES_DOORBELL, IOMMUCTL_DOORBELL_HW_WINDOW, "hardware-window" },
	{ NAMES_DOORBELL, IOMMUCTL_DOORBELL_PAGING, "paging" },
	{ NAMES_DOORBELL, IOMMUCTL_DOORBELL_NEST_PARENT, "nest-parent" },

	{ NAMES_VSTE_CONFIG, IOMMUCTL_VSTE_INVALID, "invalid" },
	{ NAMES_VSTE_CONFIG, IOMMUCTL_VSTE_ABORT, "abort" },
	{ NAMES_VSTE_CONFIG, IOMMUCTL_VSTE_BYPASS, "bypass" },
	{ NAMES_VSTE_CONFIG, IOMMUCTL_VSTE_S1_TRANSLATE, "s1-translate" },
};

/* What a value without a name is called: each function's answer since it
 * was first released. */
static const char *const fallback[NAMES_NR] = {
	[NAMES_ACS_VERDICT] = "unknown", [NAMES_DEBUGFS_STATE] = "unknown",
	[NAMES_DIFF_GROUP_KIND] = "?",	 [NAMES_IOMMU_KIND] = "other",
	[NAMES_IOMMU_DRIVER] = NULL,	 [NAMES_IRQ_REMAP] = "unknown",
	[NAMES_KVM_MODE] = "unknown",	 [NAMES_MEM_KIND] = "unknown",
	[NAMES_OBJ_TYPE] = "unknown",	 [NAMES_PCIE_TYPE] = "unknown",
	[NAMES_RESV_TYPE] = "unknown",	 [NAMES_RESET_KIND] = "none",
	[NAMES_SEVERITY] = "note",	 [NAMES_SMMUV3_FEATURE] = NULL,
	[NAMES_USE_KIND] = "unknown",
	[NAMES_VERDICT] = "unknown",	 [NAMES_VFIO_ACTION] = "unknown",
	[NAMES_VTD_TTYPE] = "unknown",	 [NAMES_WHY] = "unknown",
	[NAMES_DOORBELL] = "unknown",	 [NAMES_VSTE_CONFIG] = "unknown",
};

const char *names_lookup(enum names_set set, int value)
{
	size_t i;

	for (i = 0; i < NAMES_COUNT(names); i++)
		if (names[i].set == set && names[i].value == value)
			return names[i].name;
	return NULL;
}

const char *names_get(enum names_set set, int value)
{
	const char *name = names_lookup(set, value);

	if (name)
		return name;
	return (unsigned int)set < NAMES_NR ? fallback[set] : NULL;
}

bool names_find(enum names_set set, const char *s, size_t len, int *value)
{
	size_t i;

	for (i = 0; i < NAMES_COUNT(names); i++) {
		if (names[i].set != set || strlen(names[i].name) != len ||
		    strncmp(names[i].name, s, len))
			continue;
		*value = names[i].value;
		return true;
	}
	return false;
}
