/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/**
 * DOC: libiommuctl
 *
 * libiommuctl models the kernel's IOMMU world: IOMMU units, IOMMU groups,
 * iommufd and VFIO device cdevs. Every object hangs off a context. The
 * library never prints and never exits: functions return 0 or a negative
 * errno, and diagnostics go through a log callback (default: stderr,
 * priority from $IOMMUCTL_LOG, "err" unless set).
 *
 * Every sysfs, procfs, debugfs and /dev path is resolved inside the context's
 * root (default "/"), so the whole library works on a captured tree; symlinks
 * in that tree never resolve outside it.
 *
 * Enumeration is lazy and cached: the first get_first() call reads sysfs.
 * Iterate with the _foreach() macros.
 */
#ifndef IOMMUCTL_LIBIOMMUCTL_H
#define IOMMUCTL_LIBIOMMUCTL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct iommuctl_ctx;

/**
 * iommuctl_new() - create a library context
 * @ctx: where to store the new context
 *
 * The context starts with root "/" and the log priority from $IOMMUCTL_LOG
 * ("err", "warning", "notice", "info", "debug" or a number 0-7).
 *
 * Return: 0 or -errno.
 */
int iommuctl_new(struct iommuctl_ctx **ctx);
/** iommuctl_ref() - take a reference on @ctx. Return: @ctx. */
struct iommuctl_ctx *iommuctl_ref(struct iommuctl_ctx *ctx);
/** iommuctl_unref() - drop a reference; the last one frees @ctx. */
void iommuctl_unref(struct iommuctl_ctx *ctx);

/**
 * typedef iommuctl_log_fn - log callback
 * @ctx: the context logging
 * @priority: syslog priority (LOG_ERR .. LOG_DEBUG)
 * @file: source file
 * @line: source line
 * @fn: function name
 * @format: printf format
 * @args: arguments
 */
typedef void (*iommuctl_log_fn)(struct iommuctl_ctx *ctx, int priority,
				const char *file, int line, const char *fn,
				const char *format, va_list args);
/** iommuctl_set_log_fn() - route library diagnostics to @fn. */
void iommuctl_set_log_fn(struct iommuctl_ctx *ctx, iommuctl_log_fn fn);
/** iommuctl_get_log_priority() - current log priority. */
int iommuctl_get_log_priority(struct iommuctl_ctx *ctx);
/** iommuctl_set_log_priority() - log messages at or above @priority. */
void iommuctl_set_log_priority(struct iommuctl_ctx *ctx, int priority);
/**
 * iommuctl_parse_log_priority() - parse a priority name or number
 * @s: "err", "warning", "notice", "info", "debug", or "0".."7"
 *
 * Return: the priority, or -EINVAL.
 */
int iommuctl_parse_log_priority(const char *s);
/** iommuctl_set_userdata() - attach caller data to @ctx. */
void iommuctl_set_userdata(struct iommuctl_ctx *ctx, void *data);
/** iommuctl_get_userdata() - caller data attached to @ctx. */
void *iommuctl_get_userdata(struct iommuctl_ctx *ctx);

/**
 * iommuctl_set_root() - read the system from a captured tree
 * @ctx: context, before any enumeration
 * @dir: directory standing for "/" (a report bundle or captured sysfs)
 *
 * Paths are resolved inside @dir: absolute and ".." symlinks in the tree stay
 * inside it. A root other than "/" makes the context offline: nothing probes
 * device nodes or issues ioctls.
 *
 * Return: 0, -EBUSY if objects were already enumerated, or -errno from
 * opening @dir.
 */
int iommuctl_set_root(struct iommuctl_ctx *ctx, const char *dir);
/** iommuctl_get_root() - the root directory ("/" when live). */
const char *iommuctl_get_root(struct iommuctl_ctx *ctx);
/** iommuctl_is_offline() - true when reading a captured tree. */
bool iommuctl_is_offline(struct iommuctl_ctx *ctx);

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
#define iommuctl_iommu_foreach(ctx, iommu)                                    \
	for (iommu = iommuctl_iommu_get_first(ctx); iommu != NULL;            \
	     iommu = iommuctl_iommu_get_next(iommu))
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

struct iommuctl_group;
/** iommuctl_group_get_first() - group with the lowest number, or NULL. */
struct iommuctl_group *iommuctl_group_get_first(struct iommuctl_ctx *ctx);
/** iommuctl_group_get_next() - next group by number, or NULL. */
struct iommuctl_group *iommuctl_group_get_next(struct iommuctl_group *group);
#define iommuctl_group_foreach(ctx, group)                                    \
	for (group = iommuctl_group_get_first(ctx); group != NULL;            \
	     group = iommuctl_group_get_next(group))
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
 * struct iommuctl_iommufd_state - what /dev/iommu looks like
 * @present: the device node exists
 * @probed: the node was opened and asked (false offline or on error)
 * @open_errno: errno from opening it, 0 if it opened
 * @answers: it answered an iommufd ioctl the way iommufd does
 * @selftest: the kernel has CONFIG_IOMMUFD_TEST (IOMMU_TEST_CMD answered)
 */
struct iommuctl_iommufd_state {
	bool present;
	bool probed;
	int open_errno;
	bool answers;
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
int iommuctl_iommufd_probe(struct iommuctl_ctx *ctx,
			   struct iommuctl_iommufd_state *st);

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
enum iommuctl_verdict iommuctl_status_get_verdict(struct iommuctl_status *status);

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
#define iommuctl_finding_foreach(status, f)                                   \
	for (f = iommuctl_finding_get_first(status); f != NULL;               \
	     f = iommuctl_finding_get_next(f))
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
 * iommuctl_cmdline_word_is_iommu() - is a kernel command line word about
 * IOMMUs, interrupt remapping, VFIO or iommufd?
 * @word: one word of /proc/cmdline
 */
bool iommuctl_cmdline_word_is_iommu(const char *word);

#ifdef __cplusplus
}
#endif

#endif /* IOMMUCTL_LIBIOMMUCTL_H */
