/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/*
 * <iommuctl/topology.h>: IOMMU units, IOMMU groups, devices, PCI config space and ACS,
 * reserved regions.
 * Part of libiommuctl; <iommuctl/libiommuctl.h> includes every part.
 */
#ifndef IOMMUCTL_TOPOLOGY_H
#define IOMMUCTL_TOPOLOGY_H

#include <iommuctl/context.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * enum iommuctl_iommu_kind - what drives an IOMMU unit
 * @IOMMUCTL_IOMMU_OTHER: a driver iommuctl does not know
 * @IOMMUCTL_IOMMU_INTEL_VTD: Intel VT-d (dmarN)
 * @IOMMUCTL_IOMMU_AMD_VI: AMD-Vi (ivhdN)
 * @IOMMUCTL_IOMMU_VIRTIO: virtio-iommu
 * @IOMMUCTL_IOMMU_ARM_SMMU_V3: Arm SMMUv3
 * @IOMMUCTL_IOMMU_ARM_SMMU: Arm SMMUv1/v2
 * @IOMMUCTL_IOMMU_MOCK: the iommufd selftest mock (CONFIG_IOMMUFD_TEST), not hardware
 */
enum iommuctl_iommu_kind {
	IOMMUCTL_IOMMU_OTHER = 0,
	IOMMUCTL_IOMMU_INTEL_VTD,
	IOMMUCTL_IOMMU_AMD_VI,
	IOMMUCTL_IOMMU_VIRTIO,
	IOMMUCTL_IOMMU_ARM_SMMU_V3,
	IOMMUCTL_IOMMU_ARM_SMMU,
	IOMMUCTL_IOMMU_MOCK,
};

/**
 * iommuctl_iommu_kind_name() - stable name of a kind
 * @kind: the kind
 *
 * Return: "intel-vtd", "amd-vi", "virtio-iommu", "arm-smmu-v3", "arm-smmu",
 * "iommufd-mock" or "other". These strings are part of the JSON interface.
 */
const char *iommuctl_iommu_kind_name(enum iommuctl_iommu_kind kind);

/**
 * iommuctl_iommu_kind_caps_why() - why a kind's capabilities are not shown
 * @kind: the kind
 *
 * Return: NULL for the kinds whose capabilities iommuctl decodes (VT-d and
 * AMD-Vi from sysfs, SMMUv3 from the boot log and IOMMU_GET_HW_INFO), else
 * a sentence saying where, if anywhere, the kernel shows them.
 */
const char *iommuctl_iommu_kind_caps_why(enum iommuctl_iommu_kind kind);

/**
 * iommuctl_iommu_kind_detect() - classify a unit from what sysfs shows
 * @name: unit name in /sys/class/iommu
 * @vendor_dir: "intel-iommu" or "amd-iommu" if the unit has that attribute
 *	group, else NULL
 * @driver: driver bound to the unit's parent device, or NULL
 *
 * Return: the kind.
 */
enum iommuctl_iommu_kind iommuctl_iommu_kind_detect(const char *name,
						    const char *vendor_dir,
						    const char *driver);

struct iommuctl_iommu;
/** iommuctl_iommu_get_first() - first unit in /sys/class/iommu, or NULL. */
struct iommuctl_iommu *iommuctl_iommu_get_first(struct iommuctl_ctx *ctx);
/** iommuctl_iommu_get_next() - next unit, or NULL. */
struct iommuctl_iommu *iommuctl_iommu_get_next(struct iommuctl_iommu *iommu);
#define iommuctl_iommu_foreach(ctx, iommu) \
	IOMMUCTL_FOREACH(iommuctl_iommu, ctx, iommu)
/** iommuctl_iommu_get_name() - unit name, e.g. "dmar0". */
const char *iommuctl_iommu_get_name(struct iommuctl_iommu *iommu);
/** iommuctl_iommu_get_kind() - what drives the unit. */
enum iommuctl_iommu_kind iommuctl_iommu_get_kind(struct iommuctl_iommu *iommu);
/**
 * iommuctl_iommu_get_driver() - kernel driver of the unit
 *
 * Return: e.g. "intel-iommu", "amd-iommu", "virtio_iommu", "arm-smmu-v3",
 * "iommufd_selftest"; NULL when unknown.
 */
const char *iommuctl_iommu_get_driver(struct iommuctl_iommu *iommu);
/** iommuctl_iommu_get_num_devices() - devices translated by the unit. */
unsigned int iommuctl_iommu_get_num_devices(struct iommuctl_iommu *iommu);
/** iommuctl_iommu_is_hardware() - false only for the selftest mock. */
bool iommuctl_iommu_is_hardware(struct iommuctl_iommu *iommu);
/** iommuctl_iommu_get_by_name() - a unit by its /sys/class/iommu name, or NULL. */
struct iommuctl_iommu *iommuctl_iommu_get_by_name(struct iommuctl_ctx *ctx,
						  const char *name);
/** iommuctl_iommu_get_device_names() - devices behind the unit; @n gets the count. */
const char *const *iommuctl_iommu_get_device_names(struct iommuctl_iommu *iommu,
						   unsigned int *n);
/**
 * iommuctl_iommu_get_address() - register base address (VT-d DRHD base,
 * SMMU base from the unit name)
 *
 * Return: 0, or -ENOENT when sysfs does not show it.
 */
int iommuctl_iommu_get_address(struct iommuctl_iommu *iommu, uint64_t *address);
/**
 * iommuctl_iommu_get_parent_device() - name of the device the unit belongs
 * to (the AMD-Vi PCI function, the virtio device, the SMMU platform device),
 * or NULL (VT-d units have none)
 */
const char *iommuctl_iommu_get_parent_device(struct iommuctl_iommu *iommu);
/** iommuctl_iommu_get_version() - "major.minor" (VT-d VER_REG), or NULL. */
const char *iommuctl_iommu_get_version(struct iommuctl_iommu *iommu);
/**
 * iommuctl_iommu_get_vtd_regs() - VT-d registers and domain IDs
 * @cap: (out, optional) CAP_REG
 * @ecap: (out, optional) ECAP_REG
 * @domains_supported: (out, optional) domain IDs, -1 if not shown
 * @domains_used: (out, optional) domain IDs in use, -1 if not shown
 *
 * Return: 0, or -ENOENT for a unit that is not VT-d (or unreadable).
 */
int iommuctl_iommu_get_vtd_regs(struct iommuctl_iommu *iommu, uint64_t *cap,
				uint64_t *ecap, long long *domains_supported,
				long long *domains_used);
/**
 * iommuctl_iommu_get_amd_regs() - AMD-Vi capability header and raw features
 * @cap: (out, optional) the IOMMU's PCI capability header
 * @features: (out, optional) the sysfs features text, or NULL; decode with
 *	iommuctl_amd_parse_features() and iommuctl_get_kernel_release()
 *
 * Return: 0, or -ENOENT for a unit that is not AMD-Vi.
 */
int iommuctl_iommu_get_amd_regs(struct iommuctl_iommu *iommu, uint32_t *cap,
				const char **features);
struct iommuctl_smmuv3_log;
/**
 * iommuctl_iommu_get_smmuv3_log() - the arm-smmu-v3 driver's boot line for
 * this unit (ias, oas, the driver's feature word), from the kernel log
 * @out: (out) what it says (iommuctl_smmuv3_parse_log_line())
 * @source: (out, optional) "/dev/kmsg" or "report/kernel-log.txt"
 *
 * The unit's platform device (its sysfs "device" link) names the line.
 * Live: /dev/kmsg, readable by root (or with kernel.dmesg_restrict=0);
 * then, and offline only, a report bundle's report/kernel-log.txt.
 *
 * Return: 0; -ENODEV for a unit that is not SMMUv3; -EACCES or -EPERM when
 * the live log is not readable; -ENOENT when the log has no such line
 * (overwritten since boot, or no log in the bundle).
 */
int iommuctl_iommu_get_smmuv3_log(struct iommuctl_iommu *iommu,
				  struct iommuctl_smmuv3_log *out,
				  const char **source);
/**
 * iommuctl_get_module_param() - read /sys/module/MODULE/parameters/PARAM
 * @value: (out) the value without its newline; free() it
 *
 * Return: 0, -ENOENT if the module or parameter does not exist, -errno.
 */
int iommuctl_get_module_param(struct iommuctl_ctx *ctx, const char *module,
			      const char *param, char **value);
/**
 * iommuctl_get_kernel_release() - release of the kernel being inspected
 * (live: /proc/sys/kernel/osrelease; captured trees: /proc/version), or NULL
 */
const char *iommuctl_get_kernel_release(struct iommuctl_ctx *ctx);

struct iommuctl_group;
/** iommuctl_group_get_first() - group with the lowest number, or NULL. */
struct iommuctl_group *iommuctl_group_get_first(struct iommuctl_ctx *ctx);
/** iommuctl_group_get_next() - next group by number, or NULL. */
struct iommuctl_group *iommuctl_group_get_next(struct iommuctl_group *group);
#define iommuctl_group_foreach(ctx, group) \
	IOMMUCTL_FOREACH(iommuctl_group, ctx, group)
/** iommuctl_group_get_id() - group number. */
unsigned int iommuctl_group_get_id(struct iommuctl_group *group);
/**
 * iommuctl_group_get_type() - default domain type as sysfs prints it
 *
 * Return: "DMA", "DMA-FQ", "identity", "blocked", "unmanaged", "unknown", or
 * NULL when the kernel has no type attribute.
 */
const char *iommuctl_group_get_type(struct iommuctl_group *group);
/** iommuctl_group_get_num_devices() - number of devices in the group. */
unsigned int iommuctl_group_get_num_devices(struct iommuctl_group *group);
/**
 * iommuctl_num_groups() - count the IOMMU groups
 *
 * Return: the count, or -errno (-ENOENT when /sys/kernel/iommu_groups is
 * missing, i.e. the kernel has no IOMMU support at all).
 */
int iommuctl_num_groups(struct iommuctl_ctx *ctx);

/**
 * enum iommuctl_pcie_type - PCIe device/port type (PCIe capability flags 7:4)
 */
enum iommuctl_pcie_type {
	IOMMUCTL_PCIE_ENDPOINT = 0x0,
	IOMMUCTL_PCIE_LEGACY_ENDPOINT = 0x1,
	IOMMUCTL_PCIE_ROOT_PORT = 0x4,
	IOMMUCTL_PCIE_UPSTREAM = 0x5,
	IOMMUCTL_PCIE_DOWNSTREAM = 0x6,
	IOMMUCTL_PCIE_PCI_BRIDGE = 0x7,
	IOMMUCTL_PCIE_PCIE_BRIDGE = 0x8,
	IOMMUCTL_PCIE_RC_ENDPOINT = 0x9,
	IOMMUCTL_PCIE_RC_EC = 0xa,
};
/**
 * iommuctl_pcie_type_name() - "endpoint", "root-port", "switch-upstream-port",
 * "switch-downstream-port", "pcie-to-pci-bridge", "pci-to-pcie-bridge",
 * "rc-integrated-endpoint", "rc-event-collector", "legacy-endpoint", "pci"
 * (-1: conventional PCI) or "unknown".
 */
const char *iommuctl_pcie_type_name(int type);

/* ACS capability/control bits */
#define IOMMUCTL_ACS_SV 0x0001 /* source validation */
#define IOMMUCTL_ACS_TB 0x0002 /* translation blocking */
#define IOMMUCTL_ACS_RR 0x0004 /* P2P request redirect */
#define IOMMUCTL_ACS_CR 0x0008 /* P2P completion redirect */
#define IOMMUCTL_ACS_UF 0x0010 /* upstream forwarding */
#define IOMMUCTL_ACS_EC 0x0020 /* P2P egress control */
#define IOMMUCTL_ACS_DT 0x0040 /* direct translated P2P */
/* What the kernel requires for IOMMU group isolation */
#define IOMMUCTL_ACS_REQUIRED \
	(IOMMUCTL_ACS_SV | IOMMUCTL_ACS_RR | IOMMUCTL_ACS_CR | IOMMUCTL_ACS_UF)

/**
 * struct iommuctl_pcicfg - facts parsed from PCI configuration space
 * @config_size: bytes available (64 for non-root readers, 256, 4096)
 * @header_type: header layout (0 device, 1 bridge, 2 CardBus)
 * @multifunction: header type bit 7
 * @caps_known: the capability list was readable (>= 256 bytes)
 * @ext_caps_known: extended capabilities were readable (PCIe, 4096 bytes)
 * @pcie_type: enum iommuctl_pcie_type, or -1 for conventional PCI
 * @pcie_pos: offset of the PCIe capability
 * @pcie_flags: PCIe capabilities register
 * @msi: MSI capability
 * @msix: MSI-X capability
 * @pm: power management capability
 * @acs: ACS extended capability present
 * @acs_pos: its offset
 * @acs_cap: ACS capability register
 * @acs_ctrl: ACS control register
 * @ari: ARI capability
 * @ats: ATS capability
 * @pri: PRI capability
 * @pasid: PASID capability
 * @pasid_cap: PASID capability register (bits 12:8 max PASID width)
 * @sriov: SR-IOV capability
 */
struct iommuctl_pcicfg {
	size_t config_size;
	uint8_t header_type;
	bool multifunction;
	bool caps_known;
	bool ext_caps_known;
	int pcie_type;
	uint16_t pcie_pos;
	uint16_t pcie_flags;
	bool msi, msix, pm;
	bool acs;
	uint16_t acs_pos, acs_cap, acs_ctrl;
	bool ari, ats, pri, pasid;
	uint16_t pasid_cap;
	bool sriov;
};

/**
 * iommuctl_pcicfg_parse() - parse configuration space bytes
 * @buf: config space as read from sysfs (untrusted)
 * @len: its length
 * @cfg: filled in
 *
 * Return: 0; -ENODATA if shorter than 64 bytes; -ENODEV if the vendor ID
 * reads 0xffff. Capability lists with loops or wild pointers end the walk.
 */
int iommuctl_pcicfg_parse_sz(const uint8_t *buf, size_t len,
			     struct iommuctl_pcicfg *cfg, size_t size);
#define iommuctl_pcicfg_parse(buf, len, cfg) \
	IOMMUCTL_SZ(iommuctl_pcicfg_parse, cfg, buf, len, cfg)

/**
 * enum iommuctl_acs_verdict - does a device isolate peer-to-peer DMA
 * @IOMMUCTL_ACS_ENABLED: ACS implements and enables SV, RR, CR and UF
 * @IOMMUCTL_ACS_NOT_REQUIRED: a single-function endpoint or an upstream port:
 *	nothing to isolate
 * @IOMMUCTL_ACS_DISABLED: ACS present but a required control bit is off
 * @IOMMUCTL_ACS_MISSING: a downstream/root port or multifunction device
 *	without an ACS capability
 * @IOMMUCTL_ACS_NEVER: a PCIe-to-PCI bridge (or the reverse) or event
 *	collector: the kernel never trusts ACS there
 * @IOMMUCTL_ACS_NOT_PCIE: conventional PCI: a shared bus, no isolation
 * @IOMMUCTL_ACS_UNKNOWN: config space not readable far enough (not root)
 * @IOMMUCTL_ACS_QUIRK: the kernel treats the device as isolated through a
 *	device-specific quirk (iommuctl_device_acs_verdict() only)
 */
enum iommuctl_acs_verdict {
	IOMMUCTL_ACS_ENABLED = 0,
	IOMMUCTL_ACS_NOT_REQUIRED,
	IOMMUCTL_ACS_DISABLED,
	IOMMUCTL_ACS_MISSING,
	IOMMUCTL_ACS_NEVER,
	IOMMUCTL_ACS_NOT_PCIE,
	IOMMUCTL_ACS_UNKNOWN,
	IOMMUCTL_ACS_QUIRK,
};
/**
 * iommuctl_pcicfg_acs_isolated() - the kernel's pci_acs_enabled() for the
 * flags IOMMU grouping requires, without device-specific quirks
 */
enum iommuctl_acs_verdict
iommuctl_pcicfg_acs_isolated(const struct iommuctl_pcicfg *cfg);
/**
 * iommuctl_device_acs_verdict() - a device's ACS verdict including the
 * kernel's best-known device-specific quirks (Intel root-complex integrated
 * endpoints; multifunction NICs whose vendors vouch for no peer-to-peer)
 * @dev: a PCI device
 * @quirk: (out, optional) static text naming the quirk applied, or NULL
 */
enum iommuctl_acs_verdict
iommuctl_device_acs_verdict(struct iommuctl_device *dev, const char **quirk);
/** iommuctl_acs_verdict_isolates() - true for ENABLED, NOT_REQUIRED, QUIRK. */
bool iommuctl_acs_verdict_isolates(enum iommuctl_acs_verdict v);
/**
 * iommuctl_acs_verdict_name() - "enabled", "not-required", "disabled",
 * "missing", "not-applicable", "conventional-pci", "unknown"
 */
const char *iommuctl_acs_verdict_name(enum iommuctl_acs_verdict v);

/**
 * iommuctl_parse_bdf() - parse a PCI address
 * @s: "DDDD:BB:DD.F" (domain may have more than 4 hex digits, as on VMD
 *	domains) or "BB:DD.F" (domain 0)
 * @out: (optional) canonical "%04x:%02x:%02x.%x" form, @size bytes
 * @size: size of @out
 *
 * Return: 0 or -EINVAL.
 */
int iommuctl_parse_bdf(const char *s, char *out, size_t size);

struct iommuctl_device;
/**
 * iommuctl_device_get_first() - first device: PCI devices in address order,
 * then non-PCI members of IOMMU groups by name
 */
struct iommuctl_device *iommuctl_device_get_first(struct iommuctl_ctx *ctx);
/** iommuctl_device_get_next() - next device, or NULL. */
struct iommuctl_device *iommuctl_device_get_next(struct iommuctl_device *dev);
#define iommuctl_device_foreach(ctx, dev) \
	IOMMUCTL_FOREACH(iommuctl_device, ctx, dev)
/**
 * iommuctl_device_get_by_name() - look a device up
 * @name: a PCI address in either form iommuctl_parse_bdf() accepts, or a
 *	non-PCI device name
 *
 * Return: the device or NULL.
 */
struct iommuctl_device *iommuctl_device_get_by_name(struct iommuctl_ctx *ctx,
						    const char *name);
/** iommuctl_device_get_ctx() - the context a device belongs to. */
struct iommuctl_ctx *iommuctl_device_get_ctx(struct iommuctl_device *dev);
/** iommuctl_device_get_name() - "0000:00:03.0", or the non-PCI device name. */
const char *iommuctl_device_get_name(struct iommuctl_device *dev);
/** iommuctl_device_get_subsystem() - bus: "pci", "platform", ... or NULL. */
const char *iommuctl_device_get_subsystem(struct iommuctl_device *dev);
/** iommuctl_device_is_pci() - a PCI function? */
bool iommuctl_device_is_pci(struct iommuctl_device *dev);
/** iommuctl_device_get_group_id() - IOMMU group number, or -1 for none. */
int iommuctl_device_get_group_id(struct iommuctl_device *dev);
/** iommuctl_device_get_iommu() - name of the IOMMU unit, or NULL. */
const char *iommuctl_device_get_iommu(struct iommuctl_device *dev);
/** iommuctl_device_get_driver() - bound driver, or NULL. */
const char *iommuctl_device_get_driver(struct iommuctl_device *dev);
/** iommuctl_device_get_driver_override() - driver_override, NULL if unset. */
const char *iommuctl_device_get_driver_override(struct iommuctl_device *dev);
/** iommuctl_device_get_vfio_cdev() - "vfioN" when bound to a VFIO driver. */
const char *iommuctl_device_get_vfio_cdev(struct iommuctl_device *dev);
/** iommuctl_device_get_numa_node() - NUMA node, -1 when none or unknown. */
int iommuctl_device_get_numa_node(struct iommuctl_device *dev);
/** iommuctl_device_get_reset_methods() - sysfs reset_method text, or NULL. */
const char *iommuctl_device_get_reset_methods(struct iommuctl_device *dev);

/**
 * enum iommuctl_reset_kind - how a reset that reaches beyond the function
 * (VFIO's hot reset) would be done
 * @IOMMUCTL_RESET_NONE: none is possible (a device on a root bus)
 * @IOMMUCTL_RESET_SLOT: a hotplug slot reset (/sys/bus/pci/slots)
 * @IOMMUCTL_RESET_BUS: a secondary bus reset by the bridge above
 */
enum iommuctl_reset_kind {
	IOMMUCTL_RESET_NONE = 0,
	IOMMUCTL_RESET_SLOT,
	IOMMUCTL_RESET_BUS,
};
/** iommuctl_reset_kind_name() - "none", "slot", "bus". */
const char *iommuctl_reset_kind_name(enum iommuctl_reset_kind k);

/**
 * struct iommuctl_reset_scope - what a slot or bus reset of a device takes
 * @kind: how it would be done
 * @bridge: the bridge above the device (NULL for NONE)
 * @slot: the hotplug slot's name (SLOT only)
 * @devices: every PCI device it resets, the device itself included, in
 *	address order (NULL for NONE)
 * @n: how many
 * @why: one static sentence on how the scope follows from the topology
 */
struct iommuctl_reset_scope {
	enum iommuctl_reset_kind kind;
	char *bridge, *slot;
	char **devices;
	size_t n;
	const char *why;
};
/**
 * iommuctl_device_reset_scope() - the devices a slot or bus reset of @dev
 * resets, from the topology: every function below the bridge above @dev
 * (for a slot reset: in @dev's slot), as the kernel's vfio-pci walks them
 * for VFIO_DEVICE_PCI_HOT_RESET. The function's own resets are
 * iommuctl_device_get_reset_methods().
 * @dev: a PCI function
 * @out: (out) free with iommuctl_reset_scope_free()
 *
 * Return: 0; -EINVAL; -ENODEV for a device that is not PCI; -ENOMEM.
 */
int iommuctl_device_reset_scope(struct iommuctl_device *dev,
				struct iommuctl_reset_scope **out);
/** iommuctl_reset_scope_free() - frees what iommuctl_device_reset_scope() made. */
void iommuctl_reset_scope_free(struct iommuctl_reset_scope *s);
/**
 * iommuctl_device_get_pci_ids() - PCI identity
 * @dev: a PCI device
 * @vendor: (out, optional), @device, @subvendor, @subdevice likewise
 * @class_code: (out, optional) 24-bit class code
 *
 * Return: 0, or -EINVAL for a non-PCI device.
 */
int iommuctl_device_get_pci_ids(struct iommuctl_device *dev,
				unsigned int *vendor, unsigned int *device,
				unsigned int *subvendor,
				unsigned int *subdevice,
				unsigned int *class_code);
/** iommuctl_device_get_vendor_name() - from pci.ids via libpci, or NULL. */
const char *iommuctl_device_get_vendor_name(struct iommuctl_device *dev);
/** iommuctl_device_get_device_name() - from pci.ids via libpci, or NULL. */
const char *iommuctl_device_get_device_name(struct iommuctl_device *dev);
/**
 * iommuctl_device_get_class_name() - the PCI class's name from pci.ids
 * ("Ethernet controller": the subclass's, else the class's), or NULL.
 */
const char *iommuctl_device_get_class_name(struct iommuctl_device *dev);
/**
 * iommuctl_device_get_pcicfg() - parsed configuration space
 *
 * Enumeration reads each function's 64-byte header, and the rest only of
 * bridges and multifunction devices (on real hardware every dword is a
 * config cycle); the first call for another device reads its whole config
 * space, unless iommuctl_set_full_config() asked for it up front.
 *
 * Return: NULL for non-PCI devices or when config space could not be read.
 */
const struct iommuctl_pcicfg *
iommuctl_device_get_pcicfg(struct iommuctl_device *dev);
/**
 * iommuctl_set_full_config() - read whole config spaces as devices load
 * @ctx: library context
 * @full: true to read every PCI function's whole config space during
 *        enumeration, for callers that will ask each device for its
 *        capabilities (one open per device instead of two)
 *
 * Applies to devices enumerated after the call (the next
 * iommuctl_device_get_first(), or after iommuctl_refresh()).
 */
void iommuctl_set_full_config(struct iommuctl_ctx *ctx, bool full);
/**
 * iommuctl_device_get_parent() - the upstream PCI bridge or port
 *
 * Return: NULL for devices on a root bus, and for non-PCI devices.
 */
struct iommuctl_device *iommuctl_device_get_parent(struct iommuctl_device *dev);
/**
 * iommuctl_device_get_parent_name() - the name of the device above @dev
 *
 * Return: for a PCI function, its upstream bridge or port (as
 * iommuctl_device_get_parent()); for a mediated device (mdev), its parent
 * device, which need not be an IOMMU group member ("mtty" for the
 * kernel's mtty sample); NULL otherwise.
 */
const char *iommuctl_device_get_parent_name(struct iommuctl_device *dev);
/**
 * iommuctl_device_get_mdev_type() - a mediated device's type ("mtty-1")
 *
 * Return: the name its mdev_type link points to; NULL for other devices.
 */
const char *iommuctl_device_get_mdev_type(struct iommuctl_device *dev);
/** iommuctl_device_is_bridge() - PCI header type 1 (bridges and ports). */
bool iommuctl_device_is_bridge(struct iommuctl_device *dev);

/**
 * enum iommuctl_resv_type - reserved region types as sysfs prints them
 */
enum iommuctl_resv_type {
	IOMMUCTL_RESV_DIRECT =
		0, /* "direct": identity map that must stay (RMRR) */
	IOMMUCTL_RESV_DIRECT_RELAXABLE, /* "direct-relaxable" */
	IOMMUCTL_RESV_RESERVED, /* "reserved": never map */
	IOMMUCTL_RESV_MSI, /* "msi": hardware or software MSI window */
	IOMMUCTL_RESV_UNKNOWN, /* a type this version does not know */
};
/** iommuctl_resv_type_name() - the sysfs string of a type. */
const char *iommuctl_resv_type_name(enum iommuctl_resv_type t);

/**
 * struct iommuctl_resv_region - one reserved IOVA range
 * @start: first address
 * @end: last address (inclusive)
 * @type: the type
 * @types: for merged views, a bitmask of (1 << type) of every region merged
 */
struct iommuctl_resv_region {
	uint64_t start;
	uint64_t end;
	enum iommuctl_resv_type type;
	unsigned int types;
};

/**
 * iommuctl_resv_parse() - parse a reserved_regions file
 * @text: "0x%016llx 0x%016llx type" lines (untrusted)
 * @out: (out) allocated array, free() it
 * @n: (out) entries
 *
 * Return: 0; -EBADMSG naming nothing but failing on any malformed line
 * (end before start, missing fields, numbers out of range); -ENOMEM.
 */
int iommuctl_resv_parse(const char *text, struct iommuctl_resv_region **out,
			size_t *n);
/**
 * iommuctl_resv_merge() - the union of regions, overlapping or adjacent
 * ranges coalesced, sorted by address
 * @in: regions (any order)
 * @n: count
 * @out: (out) allocated array; each entry's @types says what was merged,
 *	@type is the most restrictive type merged (reserved > direct > msi >
 *	direct-relaxable)
 * @nout: (out) count
 *
 * Return: 0 or -ENOMEM.
 */
int iommuctl_resv_merge(const struct iommuctl_resv_region *in, size_t n,
			struct iommuctl_resv_region **out, size_t *nout);
/**
 * iommuctl_resv_merge_groups() - the reserved regions of groups, merged
 * @ctx: context
 * @want: (optional) the groups to take (nonzero), all when NULL
 * @arg: for @want
 * @out: (out) allocated array, as iommuctl_resv_merge() makes it
 * @nout: (out) count
 *
 * Every region of the groups @want takes (groups whose reserved_regions is
 * unreadable left out), merged as iommuctl_resv_merge() does: what a VMM
 * assigning their devices must keep out of the guest memory map.
 *
 * Return: 0; -EINVAL without @ctx, @out or @nout; -ENOMEM.
 */
int iommuctl_resv_merge_groups(struct iommuctl_ctx *ctx,
			       bool (*want)(struct iommuctl_group *g,
					    void *arg),
			       void *arg, struct iommuctl_resv_region **out,
			       size_t *nout);

/**
 * iommuctl_group_get_resv_regions() - the group's reserved regions
 * @out: (out) the regions, owned by the group
 * @n: (out) count
 *
 * Return: 0, or -errno when reserved_regions is missing or malformed.
 */
int iommuctl_group_get_resv_regions(struct iommuctl_group *group,
				    const struct iommuctl_resv_region **out,
				    size_t *n);
/** iommuctl_group_get_iommu() - the unit translating the group's devices, or NULL. */
const char *iommuctl_group_get_iommu(struct iommuctl_group *group);
/** iommuctl_group_get_first_device() - first member, in device order. */
struct iommuctl_device *
iommuctl_group_get_first_device(struct iommuctl_group *group);
/** iommuctl_group_get_next_device() - next member of the same group. */
struct iommuctl_device *
iommuctl_group_get_next_device(struct iommuctl_device *dev);
#define iommuctl_group_device_foreach(group, dev)                       \
	for (dev = iommuctl_group_get_first_device(group); dev != NULL; \
	     dev = iommuctl_group_get_next_device(dev))
/** iommuctl_group_get_by_id() - look a group up by number. */
struct iommuctl_group *iommuctl_group_get_by_id(struct iommuctl_ctx *ctx,
						unsigned int id);
/**
 * iommuctl_device_no_group_reason() - why a device has no IOMMU group
 *
 * Return: a static sentence (the device is an IOMMU itself; no IOMMU
 * translates the system; on this platform groups come when a driver binds;
 * no IOMMU translates this device), or NULL when it has a group.
 */
const char *iommuctl_device_no_group_reason(struct iommuctl_device *dev);
/**
 * iommuctl_device_assignable_driver() - may a group member keep this driver
 * while the group is assigned? True for no driver, vfio-pci (and other
 * vfio_* drivers), pci-stub, and for bridges bound to pcieport.
 */
bool iommuctl_device_assignable_driver(struct iommuctl_device *dev);
/**
 * iommuctl_group_is_viable() - can the group be handed to a VM as it is?
 * @group: group
 * @blocker: (out, optional) the first member that prevents it, or NULL
 *
 * Return: true when every member is bound to vfio-pci/pci-stub, unbound,
 * or is a bridge.
 */
bool iommuctl_group_is_viable(struct iommuctl_group *group,
			      struct iommuctl_device **blocker);


/**
 * struct iommuctl_topo_node - a PCI function in the tree of iommuctl_topo_build()
 * @dev: the function
 * @parent: the node above it (its bridge or port), NULL on a root bus
 * @children: the functions below a bridge, in address order
 * @n_children: how many
 * @depth: 0 on a root bus
 * @acs: its ACS verdict, device quirks included (iommuctl_device_acs_verdict())
 * @path_isolated: every bridge above it isolates peer-to-peer, and so does
 *	the function itself where the kernel asks (a bridge, a multifunction
 *	device; config space unreadable counts as asked): the kernel's
 *	pci_acs_path_enabled() for the flags grouping requires. Below a
 *	bridge where this holds, DMA cannot reach devices elsewhere without
 *	passing the IOMMU
 * @group: IOMMU group number, -1 for none
 * @group_start: the first function of its group in the tree's order: where
 *	the group begins (a group boundary)
 * @group_size: devices in its group, PCI or not (0 without a group)
 * @why: why it is in its group (enum iommuctl_why), -1 without a group
 * @via: the device it shares a group with because of @why, or NULL
 * @culprit: the device whose ACS makes it share (upstream-acs,
 *	multifunction), or NULL
 */
struct iommuctl_topo_node {
	struct iommuctl_device *dev;
	struct iommuctl_topo_node *parent;
	struct iommuctl_topo_node **children;
	size_t n_children;
	unsigned int depth;
	enum iommuctl_acs_verdict acs;
	bool path_isolated;
	int group;
	bool group_start;
	unsigned int group_size;
	int why;
	struct iommuctl_device *via, *culprit;
};

/**
 * struct iommuctl_topo_bus - a root bus (a PCI domain's host bridge)
 * @name: "0000:00", the domain and bus of the functions on it
 * @domain: the PCI domain
 * @bus: the bus number
 * @roots: the functions on the root bus, in address order
 * @n_roots: how many
 */
struct iommuctl_topo_bus {
	char *name;
	unsigned int domain, bus;
	struct iommuctl_topo_node **roots;
	size_t n_roots;
};

/**
 * struct iommuctl_topo - the PCI tree with the IOMMU's view of it
 * @buses: the root buses, in address order
 * @n_buses: how many
 * @nodes: every PCI function, in address order
 * @n_nodes: how many
 * @other: devices in IOMMU groups that are not PCI functions (platform
 *	devices, mediated devices), in device order
 * @n_other: how many
 */
struct iommuctl_topo {
	struct iommuctl_topo_bus *buses;
	size_t n_buses;
	struct iommuctl_topo_node *nodes;
	size_t n_nodes;
	struct iommuctl_device **other;
	size_t n_other;
};

/**
 * iommuctl_topo_build() - the PCI tree from each root bus down, each
 * function with its ACS verdict, whether its path to the root complex
 * isolates, its IOMMU group and why it is in it (iommuctl_device_explain()),
 * and the group boundaries marked
 * @ctx: context
 * @out: (out) free with iommuctl_topo_free()
 *
 * Parents are the sysfs device hierarchy (iommuctl_device_get_parent());
 * a function whose parent is unknown, or whose parents form a loop in a
 * damaged tree, is put on the root bus its address names.
 *
 * Return: 0 (an empty tree on a system without PCI); -EINVAL; -ENOMEM.
 */
int iommuctl_topo_build(struct iommuctl_ctx *ctx, struct iommuctl_topo **out);
/** iommuctl_topo_free() - frees what iommuctl_topo_build() made. */
void iommuctl_topo_free(struct iommuctl_topo *topo);

#ifdef __cplusplus
}
#endif

#endif /* IOMMUCTL_TOPOLOGY_H */
