/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/*
 * <iommuctl/status.h>: the one-call status of a system and its findings; iommufd
 * probes.
 * Part of libiommuctl; <iommuctl/libiommuctl.h> includes every part.
 */
#ifndef IOMMUCTL_STATUS_H
#define IOMMUCTL_STATUS_H

#include <iommuctl/topology.h>

#ifdef __cplusplus
extern "C" {
#endif

/** struct iommuctl_iommufd_state - what /dev/iommu looks like */
struct iommuctl_iommufd_state {
	bool present; /* the device node exists */
	/* the node was opened and asked (false offline or on error) */
	bool probed;
	int open_errno; /* errno from opening it, 0 if it opened */
	bool answers; /* it answered an iommufd ioctl the way iommufd does */
	/* the kernel has CONFIG_IOMMUFD_TEST (IOMMU_TEST_CMD answered) */
	bool selftest;
};

/**
 * iommuctl_iommufd_probe() - look for /dev/iommu and ask it
 * @ctx: context
 * @st: filled in
 *
 * Opens /dev/iommu and issues IOMMU_DESTROY on id 0 (iommufd answers ENOENT)
 * and an unknown IOMMU_TEST_CMD op (selftest kernels answer EOPNOTSUPP).
 * Offline contexts only check the node exists.
 *
 * Return: 0 (the state says what was found), or -errno on a bad argument.
 */
int iommuctl_iommufd_probe_sz(struct iommuctl_ctx *ctx,
			      struct iommuctl_iommufd_state *st, size_t size);
#define iommuctl_iommufd_probe(ctx, st) \
	IOMMUCTL_SZ(iommuctl_iommufd_probe, st, ctx, st)

/**
 * struct iommuctl_ioctl_probe - one iommufd command and what the kernel said
 * @nr: command number (the ioctl request is _IO(';', nr))
 * @name: "IOMMU_IOAS_ALLOC", ...
 * @since: the release that added it ("6.2" ... "6.17", "selftest")
 * @present: the kernel knows the command (it did not answer ENOTTY)
 * @answer: errno of the probe call, 0 if it succeeded
 */
struct iommuctl_ioctl_probe {
	unsigned int nr;
	const char *name;
	const char *since;
	bool present;
	int answer;
};
#define IOMMUCTL_NUM_IOMMUFD_CMDS 22

/**
 * iommuctl_iommufd_probe_ioctls() - which iommufd commands this kernel has
 * @ctx: a live context
 * @out: array of at least IOMMUCTL_NUM_IOMMUFD_CMDS entries
 * @n: (in) capacity of @out, (out) entries filled
 *
 * Issues every command on a fresh /dev/iommu with zeroed arguments (ids 0,
 * GET operations): ENOTTY means absent. Never decided by kernel version.
 *
 * Return: 0; -EOPNOTSUPP offline; -errno from opening /dev/iommu.
 */
int iommuctl_iommufd_probe_ioctls_sz(struct iommuctl_ctx *ctx,
				     struct iommuctl_ioctl_probe *out,
				     size_t *n, size_t size);
#define iommuctl_iommufd_probe_ioctls(ctx, out, n) \
	IOMMUCTL_SZ(iommuctl_iommufd_probe_ioctls, out, ctx, out, n)

struct iommuctl_session;
struct iommuctl_obj;

/**
 * struct iommuctl_feature_probe - one flag or data type and the kernel's answer
 * @area: what it is: "ioas-map-flag", "option", "hw-info-flag",
 *	"hw-info-type", "hwpt-alloc-flag" (paging hwpts), "hwpt-nested-flag",
 *	"hwpt-data-type", "invalidate-type", "viommu-type", "veventq-type",
 *	"hw-queue-type", "mock-device-flag" (selftest kernels only)
 * @name: the flag or type ("dirty-tracking", "vtd-s1", "selftest", ...)
 * @value: its bit or number, as the kernel's ABI has it
 * @supported: 1 supported, 0 not supported, -1 unknown
 * @how: how that was found out, for people ("allocated a paging hwpt for
 *	a selftest mock device with the flag: succeeded"), or why it is
 *	unknown ("needs a device: ...")
 */
struct iommuctl_feature_probe {
	const char *area;
	const char *name;
	uint64_t value;
	int supported;
	char how[224];
};

/**
 * iommuctl_iommufd_probe_features() - which flags and data types this kernel
 * supports, found by asking
 * @s: a session; objects made for the questions are destroyed before return,
 *	its record is left as it was
 * @dev: a device object of @s (a bound VFIO device) to ask the
 *	device-dependent questions with, or NULL: then a selftest mock device
 *	on a throw-away IOAS when the kernel has CONFIG_IOMMUFD_TEST, else
 *	those answers are unknown (-1, "needs a device")
 * @out: (out) malloc'd array, free() it
 * @n: (out) its length
 *
 * Never decided by kernel version. Without a device: IOMMU_IOAS_MAP flag
 * bits on IOAS 0 (EOPNOTSUPP: unknown flag, ENOENT: known, the IOAS lookup
 * comes after the flag check), IOMMU_OPTION GET of each option on object 0
 * (EOPNOTSUPP: unknown option), IOMMU_GET_HW_INFO flags on device 0
 * (EOPNOTSUPP before the device lookup). With a device: paging hwpts with
 * each IOMMU_HWPT_ALLOC flag, nested hwpts of each data type over a
 * nest-parent hwpt (or vIOMMU), IOMMU_HWPT_INVALIDATE of each type with no
 * entries, vIOMMU, vEVENTQ and HW queue types; success means supported,
 * EOPNOTSUPP (and EINVAL for an invalidation type) not supported, ENOTTY
 * for the whole command means none is. Where a made-up value is accepted
 * too (vEVENTQ types on some kernels; mock devices where none can be made)
 * the answers are unknown. Anything the questions create is destroyed
 * again.
 *
 * Return: 0; -EINVAL for a bad argument; -ENOMEM.
 */
int iommuctl_iommufd_probe_features(struct iommuctl_session *s,
				    struct iommuctl_obj *dev,
				    struct iommuctl_feature_probe **out,
				    size_t *n);

/* iommuctl_readiness(): which verdict */
enum {
	IOMMUCTL_READY_LIVE_MIGRATION,
	IOMMUCTL_READY_NESTING,
	IOMMUCTL_READY_PASID,
	IOMMUCTL_READY_IOPF,
	IOMMUCTL_NUM_READINESS,
};

/**
 * struct iommuctl_readiness - what a device's IOMMU is ready for
 * @name: "live-migration", "nesting", "pasid", "iopf"
 * @what: what decides it, for people ("dirty tracking
 *	(IOMMU_HWPT_ALLOC_DIRTY_TRACKING)")
 * @ready: 1 ready, 0 not, -1 unknown (the flag was not asked, or its
 *	answer is unknown)
 * @how: how that was found out: the flag's &struct iommuctl_feature_probe
 *	.how, "not asked", or why a supported flag is not enough
 */
struct iommuctl_readiness {
	const char *name;
	const char *what;
	int ready;
	char how[288];
};

/**
 * iommuctl_readiness() - a readiness verdict from the answers of
 * iommuctl_iommufd_probe_features() asked with a device
 * @i: which verdict, IOMMUCTL_READY_*
 * @f: the answers
 * @n: how many
 * @max_pasid_log2: the device's PASID width (&struct iommuctl_hw_info)
 * @out: (out) the verdict
 *
 * Each verdict is the answer to one hwpt allocation flag, never the kernel
 * version: live migration needs dirty tracking, nesting a nest parent
 * (and, where the device's own hw_info type is arm-smmuv3, an arm-smmuv3
 * vIOMMU, as Linux nests SMMUv3 only over one),
 * I/O page faults a fault-capable hwpt, and PASID a PASID-capable hwpt
 * and a PASID width on the device's side.
 *
 * Return: 0; -EINVAL for @i past the last or a NULL @out (or @f with @n).
 */
int iommuctl_readiness_sz(unsigned int i,
			  const struct iommuctl_feature_probe *f, size_t n,
			  unsigned int max_pasid_log2,
			  struct iommuctl_readiness *out, size_t size);
#define iommuctl_readiness(i, f, n, max_pasid_log2, out) \
	IOMMUCTL_SZ(iommuctl_readiness, out, i, f, n, max_pasid_log2, out)

/**
 * enum iommuctl_debugfs_state - availability of IOMMU debugfs
 * @IOMMUCTL_DEBUGFS_AVAILABLE: /sys/kernel/debug/iommu is readable
 * @IOMMUCTL_DEBUGFS_NO_IOMMU_DIR: debugfs is mounted, the kernel has no
 *	IOMMU debugfs (CONFIG_IOMMU_DEBUGFS off)
 * @IOMMUCTL_DEBUGFS_NOT_MOUNTED: debugfs is not mounted
 * @IOMMUCTL_DEBUGFS_NO_ACCESS: present but not readable (not root)
 */
enum iommuctl_debugfs_state {
	IOMMUCTL_DEBUGFS_AVAILABLE = 0,
	IOMMUCTL_DEBUGFS_NO_IOMMU_DIR,
	IOMMUCTL_DEBUGFS_NOT_MOUNTED,
	IOMMUCTL_DEBUGFS_NO_ACCESS,
};
/** iommuctl_debugfs_state_name() - "available", "absent", "not-mounted", "no-access". */
const char *iommuctl_debugfs_state_name(enum iommuctl_debugfs_state state);

/**
 * struct iommuctl_status - a whole-system summary
 *
 * Opaque; built by iommuctl_status_new() and read through accessors.
 */
struct iommuctl_status;

/**
 * iommuctl_status_new() - gather the system summary
 * @ctx: context
 * @status: where to store it; free with iommuctl_status_free()
 *
 * Return: 0 or -errno (-ENOMEM). Missing pieces are reported in the status,
 * not as errors.
 */
int iommuctl_status_new(struct iommuctl_ctx *ctx,
			struct iommuctl_status **status);
/**
 * iommuctl_status_check_groups() - compare groups with the PCI topology
 * @status: status
 *
 * Adds a "group-quirk" finding for each IOMMU group the kernel formed
 * otherwise than its pci_device_group() would from the PCI topology and
 * ACS as sysfs shows them (iommuctl_group_matches_prediction()). This
 * reads every PCI function, which iommuctl_status_new() does not.
 *
 * Return: 0 or -ENOMEM.
 */
int iommuctl_status_check_groups(struct iommuctl_status *status);
/** iommuctl_status_free() - free a status. */
void iommuctl_status_free(struct iommuctl_status *status);
/** iommuctl_status_get_kernel() - kernel release, or NULL if unknown. */
const char *iommuctl_status_get_kernel(struct iommuctl_status *status);
/** iommuctl_status_get_num_groups() - groups, or -1 with no iommu_groups dir. */
int iommuctl_status_get_num_groups(struct iommuctl_status *status);
/**
 * iommuctl_status_get_domain_types() - default domain types in use
 * @status: status
 * @n: number of distinct types (out)
 * @types: type names (out), @counts: groups per type (out)
 */
void iommuctl_status_get_domain_types(struct iommuctl_status *status,
				      unsigned int *n,
				      const char *const **types,
				      const unsigned int **counts);
/** iommuctl_status_get_iommufd() - /dev/iommu state. */
const struct iommuctl_iommufd_state *
iommuctl_status_get_iommufd(struct iommuctl_status *status);
/**
 * iommuctl_status_get_vfio() - VFIO facts
 * @status: status
 * @cdev: (out) kernel supports VFIO device cdevs (vfio-dev char major)
 * @group: (out) legacy group interface present (/dev/vfio/vfio)
 * @num_cdevs: (out) entries in /dev/vfio/devices
 */
void iommuctl_status_get_vfio(struct iommuctl_status *status, bool *cdev,
			      bool *group, unsigned int *num_cdevs);
/** iommuctl_status_get_debugfs() - IOMMU debugfs availability. */
enum iommuctl_debugfs_state
iommuctl_status_get_debugfs(struct iommuctl_status *status);
/**
 * iommuctl_status_get_debugfs_drivers() - driver directories in IOMMU debugfs
 * (e.g. "intel", "amd"); @n gets the count.
 */
const char *const *
iommuctl_status_get_debugfs_drivers(struct iommuctl_status *status,
				    unsigned int *n);
/**
 * iommuctl_status_get_cmdline() - IOMMU-related kernel command line words
 * @n: (out) count
 */
const char *const *iommuctl_status_get_cmdline(struct iommuctl_status *status,
					       unsigned int *n);
/**
 * iommuctl_status_get_firmware_tables() - ACPI IOMMU tables present
 * ("DMAR", "IVRS", "IORT", "VIOT"); @n gets the count.
 */
const char *const *
iommuctl_status_get_firmware_tables(struct iommuctl_status *status,
				    unsigned int *n);
/**
 * iommuctl_status_get_param() - a module parameter that matters for
 * assignment ("iommufd.allow_unsafe_interrupts",
 * "vfio_iommu_type1.allow_unsafe_interrupts",
 * "vfio.enable_unsafe_noiommu_mode")
 *
 * Return: its value ("Y", "N", ...) or NULL if absent.
 */
const char *iommuctl_status_get_param(struct iommuctl_status *status,
				      const char *name);

/**
 * enum iommuctl_verdict - one-word answer to "is there an IOMMU"
 * @IOMMUCTL_VERDICT_ACTIVE: hardware IOMMU units translate DMA
 * @IOMMUCTL_VERDICT_NO_GROUPS: units registered but no groups (not translating)
 * @IOMMUCTL_VERDICT_DISABLED: firmware describes an IOMMU the kernel did not enable
 * @IOMMUCTL_VERDICT_NONE: no IOMMU hardware (maybe only the selftest mock)
 */
enum iommuctl_verdict {
	IOMMUCTL_VERDICT_ACTIVE = 0,
	IOMMUCTL_VERDICT_NO_GROUPS,
	IOMMUCTL_VERDICT_DISABLED,
	IOMMUCTL_VERDICT_NONE,
};
/** iommuctl_verdict_name() - "active", "no-groups", "disabled", "none". */
const char *iommuctl_verdict_name(enum iommuctl_verdict v);
/** iommuctl_status_get_verdict() - the one-word answer. */
enum iommuctl_verdict
iommuctl_status_get_verdict(struct iommuctl_status *status);

/**
 * enum iommuctl_severity - weight of a finding
 * @IOMMUCTL_NOTE: worth knowing
 * @IOMMUCTL_WARNING: likely to break or weaken device assignment
 */
enum iommuctl_severity {
	IOMMUCTL_NOTE = 0,
	IOMMUCTL_WARNING,
};
/** iommuctl_severity_name() - "note" or "warning". */
const char *iommuctl_severity_name(enum iommuctl_severity s);

struct iommuctl_finding;
/** iommuctl_finding_get_first() - first finding of @status, or NULL. */
struct iommuctl_finding *
iommuctl_finding_get_first(struct iommuctl_status *status);
/** iommuctl_finding_get_next() - next finding, or NULL. */
struct iommuctl_finding *
iommuctl_finding_get_next(struct iommuctl_finding *finding);
#define iommuctl_finding_foreach(status, f) \
	IOMMUCTL_FOREACH(iommuctl_finding, status, f)
/** iommuctl_finding_get_severity() - note or warning. */
enum iommuctl_severity
iommuctl_finding_get_severity(struct iommuctl_finding *finding);
/**
 * iommuctl_finding_get_code() - stable identifier, e.g. "iommu-disabled";
 * the codes are part of the JSON interface.
 */
const char *iommuctl_finding_get_code(struct iommuctl_finding *finding);
/** iommuctl_finding_get_message() - one sentence naming the problem and fix. */
const char *iommuctl_finding_get_message(struct iommuctl_finding *finding);

/**
 * typedef iommuctl_finding_fn - called with each finding of a check
 * @sev: its weight
 * @code: its stable identifier (part of the JSON interface)
 * @message: one sentence naming the problem (valid during the call only)
 * @arg: the check's @arg
 *
 * Return: 0 to go on; nonzero stops the check, which returns it.
 */
typedef int (*iommuctl_finding_fn)(enum iommuctl_severity sev, const char *code,
				   const char *message, void *arg);
/**
 * iommuctl_resv_check() - what a VMM assigning the devices of an IOMMU group
 * must know about the group's reserved regions
 * @g: IOMMU group
 * @cb: called per finding, in the order of the regions
 * @arg: for @cb
 *
 * The codes: "unreadable" (reserved_regions missing or malformed), "rmrr"
 * (a direct region: an RMRR or IVMD identity map the firmware requires),
 * "relaxable-overlap" (a note: a direct-relaxable region below 3 GiB, where
 * guest RAM usually is; iommufd and VFIO drop those) and
 * "guest-ram-overlap" (any other region there but the MSI window).
 *
 * Return: 0; -EINVAL; -ENOMEM; @cb's nonzero return.
 */
int iommuctl_resv_check(struct iommuctl_group *g, iommuctl_finding_fn cb,
			void *arg);
/**
 * iommuctl_msi_check() - are the MSIs of devices assigned from IOMMU groups
 * isolated
 * @ctx: context
 * @want: (optional) the groups to look at (NULL: all)
 * @arg: for @want
 * @cb: called per finding
 * @cb_arg: for @cb
 *
 * Writes to a hardware MSI window bypass translation: only interrupt
 * remapping isolates them. When one of the groups has such a window and
 * interrupt remapping is off, a warning: "unsafe-interrupts" when
 * allow_unsafe_interrupts of iommufd or vfio_iommu_type1 is Y (binding is
 * allowed anyway), else "no-interrupt-remapping" (binding fails).
 *
 * Return: 0; -EINVAL; @cb's nonzero return.
 */
int iommuctl_msi_check(struct iommuctl_ctx *ctx,
		       bool (*want)(struct iommuctl_group *g, void *arg),
		       void *arg, iommuctl_finding_fn cb, void *cb_arg);

/**
 * enum iommuctl_kvm_mode - how KVM runs on an arm64 host, as its kernel
 * log says
 * @IOMMUCTL_KVM_UNKNOWN: nothing says (not arm64, or the kernel log is not
 *	readable or no longer holds KVM's init line)
 * @IOMMUCTL_KVM_VHE: "VHE mode initialized successfully": the host kernel
 *	runs at EL2 and is the hypervisor
 * @IOMMUCTL_KVM_NVHE: "Hyp nVHE mode ...": a small hypervisor at EL2, the
 *	host kernel at EL1; the host is trusted
 * @IOMMUCTL_KVM_HVHE: "Hyp hVHE mode ...": as nVHE, with the hypervisor in
 *	VHE's register layout
 * @IOMMUCTL_KVM_PROTECTED: "Protected nVHE/hVHE mode ..." (pKVM,
 *	kvm-arm.mode=protected): the hypervisor does not trust the host and
 *	takes memory (and, with a pKVM IOMMU driver, the IOMMUs) away from it
 * @IOMMUCTL_KVM_NOT_STARTED: "HYP mode not available" (no EL2: the CPUs
 *	started at EL1) or "error initializing Hyp mode"
 * @IOMMUCTL_KVM_DISABLED: "KVM disabled from command line" (kvm-arm.mode=none)
 */
enum iommuctl_kvm_mode {
	IOMMUCTL_KVM_UNKNOWN = 0,
	IOMMUCTL_KVM_VHE,
	IOMMUCTL_KVM_NVHE,
	IOMMUCTL_KVM_HVHE,
	IOMMUCTL_KVM_PROTECTED,
	IOMMUCTL_KVM_NOT_STARTED,
	IOMMUCTL_KVM_DISABLED,
};
/** iommuctl_kvm_mode_name() - "unknown", "vhe", "nvhe", "hvhe", "protected",
 * "not-started", "disabled". */
const char *iommuctl_kvm_mode_name(enum iommuctl_kvm_mode mode);

/**
 * struct iommuctl_kvm_log - what the kernel log says about arm64 KVM
 * @mode: the mode of the last init line
 * @hyp: how the hypervisor runs: "VHE", "nVHE" or "hVHE" ("" unknown)
 * @line: the kernel's line that decided @mode, without its timestamp
 *	("kvm [1]: Protected hVHE mode initialized successfully"), or ""
 * @el: 2 or 1 from "CPU: All CPU(s) started at ELn", 0 when not said
 * @pkvm_cpu_feature: "CPU features: detected: Protected KVM"
 * @refused: a line saying kvm-arm.mode was ignored ("KVM is not
 *	available. Ignoring kvm-arm.mode", "Protected KVM not available
 *	with VHE"), or ""
 * @seen: any of these lines was there
 */
struct iommuctl_kvm_log {
	enum iommuctl_kvm_mode mode;
	char hyp[16];
	char line[160];
	int el;
	bool pkvm_cpu_feature;
	char refused[160];
	bool seen;
};
/**
 * iommuctl_kvm_parse_log() - read arm64 KVM's boot lines from kernel log
 * text (dmesg lines, with or without "[ seconds]" timestamps, or the
 * bundle's report/kernel-log.txt); other lines are ignored
 * @text: the log (need not end in a newline or a NUL)
 * @len: its length
 * @out: (out) what it says
 *
 * Return: 0, or -EINVAL.
 */
int iommuctl_kvm_parse_log_sz(const char *text, size_t len,
			      struct iommuctl_kvm_log *out, size_t size);
#define iommuctl_kvm_parse_log(text, len, out) \
	IOMMUCTL_SZ(iommuctl_kvm_parse_log, out, text, len, out)

/* the host platform driver of the pKVM SMMUv3 patches (Android kernels);
 * Linux up to 7.3 has no pKVM IOMMU driver upstream */
#define IOMMUCTL_PKVM_SMMUV3_DRIVER "kvm-arm-smmu-v3"

/**
 * struct iommuctl_kvm_state - arm64 KVM and who owns the IOMMUs
 * @log: what the kernel log says (live: /dev/kmsg; offline: the bundle's
 *	report/kernel-log.txt)
 * @log_errno: 0 when the log was read, else why not (EACCES: not root;
 *	ENOENT: an offline tree without report/kernel-log.txt)
 * @requested: the value of kvm-arm.mode= on the kernel command line ("")
 * @dev_kvm: /dev/kvm exists (KVM started)
 * @pkvm_iommu_driver: the pKVM SMMUv3 host driver is registered
 *	(/sys/bus/platform/drivers/kvm-arm-smmu-v3, or a unit driven by it)
 * @arm64: the command line or the log speaks of arm64 KVM (else the
 *	rest says nothing worth showing)
 */
struct iommuctl_kvm_state {
	struct iommuctl_kvm_log log;
	int log_errno;
	char requested[16];
	bool dev_kvm;
	bool pkvm_iommu_driver;
	bool arm64;
};
/**
 * iommuctl_kvm_state() - arm64 KVM's mode and the pKVM IOMMU driver, from
 * the kernel log, the command line and sysfs, live or offline
 *
 * Return: 0 (parts may be unknown), -EINVAL, -ENOMEM.
 */
int iommuctl_kvm_state_sz(struct iommuctl_ctx *ctx,
			  struct iommuctl_kvm_state *st, size_t size);
#define iommuctl_kvm_state(ctx, st) IOMMUCTL_SZ(iommuctl_kvm_state, st, ctx, st)
/** iommuctl_status_get_kvm() - the KVM state status read. */
const struct iommuctl_kvm_state *
iommuctl_status_get_kvm(struct iommuctl_status *status);

/**
 * iommuctl_cmdline_word_is_iommu() - is a kernel command line word about
 * IOMMUs, interrupt remapping, VFIO or iommufd?
 * @word: one word of /proc/cmdline
 */
bool iommuctl_cmdline_word_is_iommu(const char *word);

/**
 * struct iommuctl_fault_counts - IOMMU faults the kernel log holds
 * @intel_vtd: VT-d fault records ("DMAR: [DMA Read NO_PASID] Request
 *	device [...] fault addr ...", and "[INTR-REMAP]" ones)
 * @amd_vi: AMD-Vi event log entries ("AMD-Vi: Event logged [...]")
 * @arm_smmu_v3: SMMUv3 events ("arm-smmu-v3 ...: event 0xNN received:")
 * @log_errno: 0 when the log was read, else why not (the counts are 0):
 *	EACCES/EPERM live without root (kernel.dmesg_restrict), ENOENT
 *	offline on a tree without report/kernel-log.txt
 * @source: "/dev/kmsg", or "report/kernel-log.txt" offline
 *
 * The drivers rate-limit these lines and the ring buffer forgets old
 * ones: the counts are a lower bound of the faults since boot.
 */
struct iommuctl_fault_counts {
	unsigned int intel_vtd, amd_vi, arm_smmu_v3;
	int log_errno;
	const char *source;
};
/**
 * iommuctl_fault_log_count() - count the fault lines of the kernel log
 * (live: /dev/kmsg; offline: the bundle's report/kernel-log.txt)
 *
 * Return: 0 (@c->log_errno says whether the log was read), -EINVAL,
 * -ENOMEM.
 */
int iommuctl_fault_log_count_sz(struct iommuctl_ctx *ctx,
				struct iommuctl_fault_counts *c, size_t size);
#define iommuctl_fault_log_count(ctx, c) \
	IOMMUCTL_SZ(iommuctl_fault_log_count, c, ctx, c)
/**
 * iommuctl_fault_line_kind() - which driver's fault line @line (one kernel
 * log line, with or without its prefix) is: IOMMUCTL_IOMMU_INTEL_VTD,
 * _AMD_VI, _ARM_SMMU_V3, or IOMMUCTL_IOMMU_OTHER for any other line
 */
enum iommuctl_iommu_kind iommuctl_fault_line_kind(const char *line);

#ifdef __cplusplus
}
#endif

#endif /* IOMMUCTL_STATUS_H */
