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
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#ifdef __cplusplus
extern "C" {
#endif

struct iommuctl_ctx;
struct iommuctl_device;

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
 * @dir: directory standing for "/" (captured sysfs), or a bundle: a tar
 *	file, gzip-compressed or not (see iommuctl_bundle_new())
 *
 * Paths are resolved inside @dir: absolute and ".." symlinks in the tree stay
 * inside it. A root other than "/" makes the context offline: nothing probes
 * device nodes or issues ioctls, and only regular files and directories are
 * read (a FIFO or device node in the tree is an error, -EINVAL).
 *
 * A bundle is untrusted input. It is unpacked into a new directory
 * iommuctl-root-XXXXXX under $TMPDIR (when unset: $XDG_RUNTIME_DIR when it
 * names a directory, else /tmp), removed with the
 * context; the root is the archive's top directory when it holds exactly
 * one directory at top level and nothing else, the whole tree otherwise.
 * Member names lose leading "/" and "./"; pax and GNU long names are read.
 * Only regular files, directories and symlinks (their targets verbatim) are
 * made, with permission bits & 0777 plus u+r (files) or u+rwx (directories);
 * hard links, devices and FIFOs are skipped (logged at info). Every parent
 * directory is opened beneath the new directory without following symlinks,
 * so a member behind a symlink member is an error (-EINVAL). A later member
 * replaces an earlier file or symlink of the same name, never a directory
 * (-EINVAL). Limits: 1 GiB of member data, 1,000,000 members, 1 MiB per pax
 * or GNU long-name header, names of PATH_MAX - 1 bytes (-EFBIG beyond). A
 * ".." component is -EINVAL; an empty name, a NUL inside a pax or GNU name,
 * a bad header checksum, a truncated archive, a size larger than the data
 * that follows or a gzip error (CRC included) -EBADMSG. Errors are logged
 * naming @dir and the member; nothing unpacked is left behind.
 * iommuctl_get_root() still answers @dir.
 *
 * Return: 0, -EBUSY if objects were already enumerated, -ENOTDIR when @dir
 * is neither a directory nor a bundle, an error unpacking the bundle, or
 * -errno from opening @dir.
 */
int iommuctl_set_root(struct iommuctl_ctx *ctx, const char *dir);
/** iommuctl_get_root() - the root directory ("/" when live). */
const char *iommuctl_get_root(struct iommuctl_ctx *ctx);
/** iommuctl_is_offline() - true when reading a captured tree. */
bool iommuctl_is_offline(struct iommuctl_ctx *ctx);
/**
 * iommuctl_refresh() - forget every cached IOMMU unit, group and device
 *
 * The next lookup reads sysfs again (after drivers changed, say). Pointers
 * to units, groups and devices obtained before are invalid afterwards.
 */
void iommuctl_refresh(struct iommuctl_ctx *ctx);

/* Where `vfio bind` keeps its journal and lock, unless set otherwise. */
#define IOMMUCTL_RUN_DIR "/run/iommuctl"
/**
 * iommuctl_set_run_dir() - directory for the VFIO binding journal and lock
 * @dir: an absolute path; created mode 0700 when first needed (its parent
 *	must exist), refused when it is a symlink, is not owned by the caller
 *	or is accessible to group or others
 */
int iommuctl_set_run_dir(struct iommuctl_ctx *ctx, const char *dir);
/** iommuctl_get_run_dir() - the directory of the journal (IOMMUCTL_RUN_DIR). */
const char *iommuctl_get_run_dir(struct iommuctl_ctx *ctx);

/**
 * DOC: bundles
 *
 * A bundle is a tar archive (ustar, with pax extended headers for names
 * and link targets that do not fit), gzip-compressed or not, written
 * member by member. iommuctl_set_root() reads it back.
 */
struct iommuctl_bundle;
/**
 * iommuctl_bundle_new() - start writing a bundle
 * @ctx: library context (for its log)
 * @fd: where the archive goes; written sequentially, never closed by the
 *	library (a pipe is fine)
 * @gzip: compress (gzip, deflate level 9, header time 0)
 * @mtime: modification time of every member, 0 to 077777777777 (seconds)
 * @out: the new bundle; iommuctl_bundle_finish() or iommuctl_bundle_free() it
 *
 * Every member gets @mtime, uid/gid 0 and empty user and group names, so
 * the same members in the same order give the same bytes. Member paths are
 * relative ("a/b/c"): a leading "/", an empty, "." or ".." component is
 * -EINVAL, a path of PATH_MAX - 1 bytes or more -ENAMETOOLONG (both logged,
 * naming the path). A write that fails (EPIPE, ENOSPC, ...) is returned,
 * then by every later call; SIGPIPE is held off while writing, so a closed
 * pipe is -EPIPE, not a signal.
 *
 * Return: 0, -EINVAL, -ENOMEM.
 */
int iommuctl_bundle_new(struct iommuctl_ctx *ctx, int fd, bool gzip,
			int64_t mtime, struct iommuctl_bundle **out);
/** iommuctl_bundle_add_dir() - add directory @path, permission bits @mode & 0777. */
int iommuctl_bundle_add_dir(struct iommuctl_bundle *b, const char *path,
			    unsigned int mode);
/**
 * iommuctl_bundle_add_file() - add regular file @path
 * @b: bundle
 * @path: relative path
 * @data: the contents (NULL when @len is 0)
 * @len: their size (at most 077777777777 bytes, else -EFBIG)
 * @mode: permission bits (& 0777)
 *
 * Return: 0 or -errno; the SHA-256 of @data is kept (iommuctl_bundle_member()).
 */
int iommuctl_bundle_add_file(struct iommuctl_bundle *b, const char *path,
			     const void *data, size_t len, unsigned int mode);
/** iommuctl_bundle_add_symlink() - add symlink @path to @target (kept verbatim,
 * not empty, shorter than PATH_MAX). */
int iommuctl_bundle_add_symlink(struct iommuctl_bundle *b, const char *path,
				const char *target);
/** iommuctl_bundle_count() - members written so far. */
size_t iommuctl_bundle_count(struct iommuctl_bundle *b);
/**
 * iommuctl_bundle_member() - a member written so far, in order
 * @b: bundle
 * @i: index, from 0
 * @path: (optional) its path, as given
 * @type: (optional) 'f' file, 'd' directory, 'l' symlink
 * @size: (optional) bytes of a file, 0 otherwise
 * @sha256: (optional) lowercase hex SHA-256 of a file's contents, else NULL
 * @target: (optional) a symlink's target, else NULL
 *
 * The strings stay valid until iommuctl_bundle_finish() or
 * iommuctl_bundle_free().
 *
 * Return: 0, or -ENOENT past the last member.
 */
int iommuctl_bundle_member(struct iommuctl_bundle *b, size_t i,
			   const char **path, char *type, uint64_t *size,
			   const char **sha256, const char **target);
/**
 * iommuctl_bundle_finish() - end the archive and free @b
 *
 * Writes the end-of-archive blocks (padded to a 10 KiB record) and the gzip
 * trailer, and flushes; @fd is not synced or closed.
 *
 * Return: 0, or the first error of any earlier call on @b or of finishing.
 */
int iommuctl_bundle_finish(struct iommuctl_bundle *b);
/** iommuctl_bundle_free() - free @b without finishing (the output is left
 * incomplete); NULL is fine. */
void iommuctl_bundle_free(struct iommuctl_bundle *b);

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
int iommuctl_iommufd_probe_ioctls(struct iommuctl_ctx *ctx,
				  struct iommuctl_ioctl_probe *out, size_t *n);

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
#define IOMMUCTL_ACS_REQUIRED                                                  \
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
int iommuctl_pcicfg_parse(const uint8_t *buf, size_t len,
			  struct iommuctl_pcicfg *cfg);

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
enum iommuctl_acs_verdict iommuctl_device_acs_verdict(struct iommuctl_device *dev,
						      const char **quirk);
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
#define iommuctl_device_foreach(ctx, dev)                                     \
	for (dev = iommuctl_device_get_first(ctx); dev != NULL;               \
	     dev = iommuctl_device_get_next(dev))
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
 * iommuctl_device_get_pci_ids() - PCI identity
 * @dev: a PCI device
 * @vendor: (out, optional), @device, @subvendor, @subdevice likewise
 * @class_code: (out, optional) 24-bit class code
 *
 * Return: 0, or -EINVAL for a non-PCI device.
 */
int iommuctl_device_get_pci_ids(struct iommuctl_device *dev, unsigned int *vendor,
				unsigned int *device, unsigned int *subvendor,
				unsigned int *subdevice, unsigned int *class_code);
/** iommuctl_device_get_vendor_name() - from pci.ids via libpci, or NULL. */
const char *iommuctl_device_get_vendor_name(struct iommuctl_device *dev);
/** iommuctl_device_get_device_name() - from pci.ids via libpci, or NULL. */
const char *iommuctl_device_get_device_name(struct iommuctl_device *dev);
/**
 * iommuctl_device_get_pcicfg() - parsed configuration space
 *
 * Return: NULL for non-PCI devices or when config space could not be read.
 */
const struct iommuctl_pcicfg *iommuctl_device_get_pcicfg(struct iommuctl_device *dev);
/**
 * iommuctl_device_get_parent() - the upstream PCI bridge or port
 *
 * Return: NULL for devices on a root bus, and for non-PCI devices.
 */
struct iommuctl_device *iommuctl_device_get_parent(struct iommuctl_device *dev);
/** iommuctl_device_is_bridge() - PCI header type 1 (bridges and ports). */
bool iommuctl_device_is_bridge(struct iommuctl_device *dev);

/**
 * enum iommuctl_resv_type - reserved region types as sysfs prints them
 */
enum iommuctl_resv_type {
	IOMMUCTL_RESV_DIRECT = 0,	/* "direct": identity map that must stay (RMRR) */
	IOMMUCTL_RESV_DIRECT_RELAXABLE, /* "direct-relaxable" */
	IOMMUCTL_RESV_RESERVED,		/* "reserved": never map */
	IOMMUCTL_RESV_MSI,		/* "msi": hardware or software MSI window */
	IOMMUCTL_RESV_UNKNOWN,		/* a type this version does not know */
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
struct iommuctl_device *iommuctl_group_get_first_device(struct iommuctl_group *group);
/** iommuctl_group_get_next_device() - next member of the same group. */
struct iommuctl_device *iommuctl_group_get_next_device(struct iommuctl_device *dev);
#define iommuctl_group_device_foreach(group, dev)                            \
	for (dev = iommuctl_group_get_first_device(group); dev != NULL;       \
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
 * enum iommuctl_use_kind - how the host is using a device right now
 * @IOMMUCTL_USE_MOUNT: a block device below it (or a dm/md device built on
 *	one) is mounted
 * @IOMMUCTL_USE_SWAP: a block device below it is active swap
 * @IOMMUCTL_USE_HOLDER: a block device below it is part of a dm or md device
 * @IOMMUCTL_USE_NETIF: a network interface below it is up and has addresses
 * @IOMMUCTL_USE_ROUTE: a network interface below it carries a default route
 * @IOMMUCTL_USE_CONSOLE: it provides the console (a serial port or the
 *	framebuffer console)
 * @IOMMUCTL_USE_DRM: a DRM device below it is open
 * @IOMMUCTL_USE_OPEN: a device node below it (block, tty, VFIO cdev or its
 *	VFIO group) is open by a process
 */
enum iommuctl_use_kind {
	IOMMUCTL_USE_MOUNT = 0,
	IOMMUCTL_USE_SWAP,
	IOMMUCTL_USE_HOLDER,
	IOMMUCTL_USE_NETIF,
	IOMMUCTL_USE_ROUTE,
	IOMMUCTL_USE_CONSOLE,
	IOMMUCTL_USE_DRM,
	IOMMUCTL_USE_OPEN,
};
/**
 * iommuctl_use_kind_name() - "mount", "swap", "holder", "netif", "route",
 * "console", "drm", "open"
 */
const char *iommuctl_use_kind_name(enum iommuctl_use_kind kind);

/**
 * struct iommuctl_use - one way the host uses a device
 * @kind: what kind of use
 * @device: the PCI device it was found below ("0000:00:05.0")
 * @object: the kernel object in use: "vda1", "eth0", "card0", "ttyS0",
 *	"vfio0"
 * @detail: a short phrase completing "@object is ...": "mounted on /mnt",
 *	"up with 10.0.2.15/24", "the default route", "open by pid 42 (qemu)"
 */
struct iommuctl_use {
	enum iommuctl_use_kind kind;
	char *device;
	char *object;
	char *detail;
};

/**
 * iommuctl_device_get_uses() - find how the host uses a device
 * @dev: a PCI device
 * @out: (out) array of uses, to be freed with iommuctl_uses_free(); NULL
 *	when there is none
 * @n: (out) number of uses
 *
 * Looks at the block devices, network interfaces, DRM devices, ttys and
 * VFIO cdevs whose sysfs device lies below @dev, at the mount table, swap
 * list, dm/md holders, addresses and routes, the console, and at the open
 * files of every process. Live contexts only.
 *
 * Return: 0; -EOPNOTSUPP for an offline (--root) context; -errno.
 */
int iommuctl_device_get_uses(struct iommuctl_device *dev,
			     struct iommuctl_use **out, size_t *n);
/** iommuctl_uses_free() - free what iommuctl_device_get_uses() returned. */
void iommuctl_uses_free(struct iommuctl_use *uses, size_t n);

/**
 * DOC: binding devices to vfio-pci
 *
 * An assignment (struct iommuctl_vfio) is planned before anything changes:
 * the devices and groups asked for are widened to whole IOMMU groups, and
 * every member gets an action. Members on host drivers are only taken when
 * asked for (by name, iommuctl_vfio_allow_member() or
 * IOMMUCTL_VFIO_WHOLE_GROUP); devices the host is using (see
 * iommuctl_device_get_uses()) only with IOMMUCTL_VFIO_FORCE. Applying it
 * records each device's driver and driver_override in a journal under the
 * run directory before touching the device, binds with driver_override and
 * drivers_probe, waits for the VFIO cdev and rolls everything back on any
 * failure. iommuctl_vfio_restore() undoes it from the journal later, also
 * after an interrupted run. A lock file serialises concurrent runs.
 */

/** Take every member of the groups of the devices asked for. */
#define IOMMUCTL_VFIO_WHOLE_GROUP 0x1
/** Take (or give back) devices although the host (or a VMM) uses them. */
#define IOMMUCTL_VFIO_FORCE 0x2

/**
 * enum iommuctl_vfio_action - what a plan does with one device
 * @IOMMUCTL_VFIO_KEEP: nothing: already on vfio-pci (or pci-stub)
 * @IOMMUCTL_VFIO_BIND: unbind it from its driver (if any), bind vfio-pci
 * @IOMMUCTL_VFIO_BRIDGE: nothing: a bridge stays on its driver
 * @IOMMUCTL_VFIO_REFUSE: the plan cannot take it (see @refusal)
 * @IOMMUCTL_VFIO_RESTORE: give it back to its original driver
 */
enum iommuctl_vfio_action {
	IOMMUCTL_VFIO_KEEP = 0,
	IOMMUCTL_VFIO_BIND,
	IOMMUCTL_VFIO_BRIDGE,
	IOMMUCTL_VFIO_REFUSE,
	IOMMUCTL_VFIO_RESTORE,
};
/** iommuctl_vfio_action_name() - "keep", "bind", "bridge", "refuse", "restore". */
const char *iommuctl_vfio_action_name(enum iommuctl_vfio_action a);

/**
 * struct iommuctl_vfio_step - one device of a plan (or of a restore)
 * @device: PCI address
 * @group: IOMMU group number, -1 when it has none (yet)
 * @driver: the driver it is bound to now, or NULL
 * @driver_override: its driver_override now, or NULL
 * @target: the driver it ends on: "vfio-pci", the original driver for a
 *	restore, or NULL (no driver)
 * @action: what happens to it
 * @requested: named by the caller (not only a member of a group)
 * @forced: host uses were overridden with IOMMUCTL_VFIO_FORCE
 * @note: why this action, for people ("group member, allowed"), or NULL
 * @refusal: for IOMMUCTL_VFIO_REFUSE, why, naming the option that would
 *	override it when there is one
 * @uses: how the host uses it (bind) or who has its VFIO files open
 *	(restore)
 * @nuses: their number
 * @cdev: after binding, the VFIO device cdev name ("vfio0") or NULL
 * @done: the action was carried out
 */
struct iommuctl_vfio_step {
	const char *device;
	int group;
	const char *driver;
	const char *driver_override;
	const char *target;
	enum iommuctl_vfio_action action;
	bool requested;
	bool forced;
	const char *note;
	const char *refusal;
	const struct iommuctl_use *uses;
	size_t nuses;
	const char *cdev;
	bool done;
};

/**
 * typedef iommuctl_vfio_progress_fn - called after each change to the host
 * @device: the PCI address
 * @step: "journal", "override", "unbind", "probe", "cdev" (the cdev node
 *	appeared), "rollback", "restore"
 * @detail: what was written or seen
 * @data: the pointer given to iommuctl_vfio_set_progress()
 */
typedef void (*iommuctl_vfio_progress_fn)(const char *device, const char *step,
					  const char *detail, void *data);

struct iommuctl_vfio;
/** iommuctl_vfio_new() - an empty assignment on @ctx. */
int iommuctl_vfio_new(struct iommuctl_ctx *ctx, struct iommuctl_vfio **out);
/** iommuctl_vfio_free() - free it (nothing on the host changes). */
void iommuctl_vfio_free(struct iommuctl_vfio *v);
/** iommuctl_vfio_set_flags() - IOMMUCTL_VFIO_WHOLE_GROUP | IOMMUCTL_VFIO_FORCE. */
void iommuctl_vfio_set_flags(struct iommuctl_vfio *v, unsigned int flags);
/** iommuctl_vfio_set_timeout() - how long to wait for a cdev or the lock (ms, default 10000). */
void iommuctl_vfio_set_timeout(struct iommuctl_vfio *v, unsigned int ms);
/** iommuctl_vfio_set_progress() - report each change as it is made. */
void iommuctl_vfio_set_progress(struct iommuctl_vfio *v,
				iommuctl_vfio_progress_fn fn, void *data);
/**
 * iommuctl_vfio_add_device() - ask for a device (PCI address or "vfioN")
 * Return: 0; -ENOENT (iommuctl_vfio_error() names it); -EINVAL not PCI.
 */
int iommuctl_vfio_add_device(struct iommuctl_vfio *v, const char *name);
/** iommuctl_vfio_add_group() - ask for every member of group @id. */
int iommuctl_vfio_add_group(struct iommuctl_vfio *v, unsigned int id);
/** iommuctl_vfio_allow_member() - a group member that may be taken too. */
int iommuctl_vfio_allow_member(struct iommuctl_vfio *v, const char *name);
/**
 * iommuctl_vfio_plan() - work out what binding would do, changing nothing
 *
 * Return: 0 when the plan can be applied; -EPERM when a step is refused
 * (iommuctl_vfio_error() says why and what overrides it); -errno.
 */
int iommuctl_vfio_plan(struct iommuctl_vfio *v);
/**
 * iommuctl_vfio_get_steps() - the plan, or the restore, device by device
 * Return: the number of steps; *@steps valid until the next call on @v.
 */
size_t iommuctl_vfio_get_steps(struct iommuctl_vfio *v,
			       const struct iommuctl_vfio_step **steps);
/**
 * iommuctl_vfio_apply() - plan again under the lock, then bind
 *
 * Journals every device before changing any; on a failure puts back every
 * device this call changed. Live contexts only, as root.
 *
 * Return: 0; -EPERM refused; -ETIMEDOUT (lock or cdev); -errno. Either way
 * iommuctl_vfio_error() explains a failure.
 */
int iommuctl_vfio_apply(struct iommuctl_vfio *v);
/**
 * iommuctl_vfio_restore() - give journaled devices back to their drivers
 *
 * The devices asked for (iommuctl_vfio_add_device() or _add_group()), or
 * every device in the journal when none was. A device whose VFIO cdev or
 * group is open by a process is refused unless IOMMUCTL_VFIO_FORCE.
 * driver_override is put back only when iommuctl set it and it still holds
 * what iommuctl wrote. Steps report each device.
 *
 * Return: 0; -ENOENT when a device asked for is not in the journal; -EPERM
 * refused; -errno (the first failure; other devices are still restored).
 */
int iommuctl_vfio_restore(struct iommuctl_vfio *v);
/** iommuctl_vfio_error() - why the last call failed, or NULL. */
const char *iommuctl_vfio_error(struct iommuctl_vfio *v);

/**
 * struct iommuctl_vfio_entry - a device iommuctl changed (the journal)
 * @device: PCI address
 * @driver: its driver before iommuctl changed it, or NULL (none)
 * @driver_override: its driver_override before, or NULL (none)
 * @set_override: iommuctl wrote driver_override (and will put it back)
 * @pid: the process that made the entry
 * @time: when (seconds since the epoch)
 * @state: the last step recorded: "planned", "override", "unbound", "bound"
 * @cur_driver: the driver it is bound to now, or NULL
 * @cdev: its VFIO cdev now, or NULL
 */
struct iommuctl_vfio_entry {
	char *device;
	char *driver;
	char *driver_override;
	bool set_override;
	long pid;
	long long time;
	char *state;
	char *cur_driver;
	char *cdev;
};
/**
 * iommuctl_vfio_journal() - read the journal
 * @out: (out) entries sorted by device, free with iommuctl_vfio_journal_free()
 * Return: 0 (no journal yet: 0 entries); -errno; -EPERM when the run
 * directory is unsafe.
 */
int iommuctl_vfio_journal(struct iommuctl_ctx *ctx,
			  struct iommuctl_vfio_entry **out, size_t *n);
/** iommuctl_vfio_journal_free() - free what iommuctl_vfio_journal() gave. */
void iommuctl_vfio_journal_free(struct iommuctl_vfio_entry *e, size_t n);

/**
 * enum iommuctl_why - why a device is in the group it is in
 * @IOMMUCTL_WHY_OWN_GROUP: isolated: nothing forces it to share
 * @IOMMUCTL_WHY_BRIDGE_ALIAS: behind a PCIe-to-PCI/PCI-X bridge (or a
 *	conventional PCI bridge): its DMA carries the bridge's requester ID, so
 *	it shares the bridge's group
 * @IOMMUCTL_WHY_UPSTREAM_ACS: a bridge or port on the path to the root
 *	complex does not isolate peer-to-peer traffic (ACS missing or off), so
 *	it shares the group of the nearest upstream port
 * @IOMMUCTL_WHY_MULTIFUNCTION: a function of a multifunction device without
 *	ACS: it shares a group with the other such functions of its slot
 * @IOMMUCTL_WHY_NOT_PCI: not a PCI device: the IOMMU driver decides
 *	(usually one group per device)
 */
enum iommuctl_why {
	IOMMUCTL_WHY_OWN_GROUP = 0,
	IOMMUCTL_WHY_BRIDGE_ALIAS,
	IOMMUCTL_WHY_UPSTREAM_ACS,
	IOMMUCTL_WHY_MULTIFUNCTION,
	IOMMUCTL_WHY_NOT_PCI,
};
/**
 * iommuctl_why_name() - "own-group", "bridge-alias", "upstream-acs",
 * "multifunction", "not-pci"
 */
const char *iommuctl_why_name(enum iommuctl_why why);

/**
 * iommuctl_device_explain() - the kernel's grouping rule applied to a device
 * @dev: a device with an IOMMU group
 * @via: (out, optional) the device it shares a group with because of @why
 *	(the bridge, upstream port or sibling function), NULL for own-group
 * @culprit: (out, optional) for upstream-acs: the port on the path whose ACS
 *	does not isolate; for multifunction: @dev itself
 * @acs: (out, optional) the culprit's ACS verdict
 *
 * Replays the kernel's pci_device_group() over the topology and config space
 * in sysfs, probing devices in address order, without device-specific ACS or
 * DMA-alias quirks (which sysfs does not show).
 *
 * Return: the reason, or -ENOENT when @dev has no IOMMU group.
 */
int iommuctl_device_explain(struct iommuctl_device *dev,
			    struct iommuctl_device **via,
			    struct iommuctl_device **culprit,
			    enum iommuctl_acs_verdict *acs);
/**
 * iommuctl_device_get_predicted_leader() - the first device (in probe
 * order) of the group the analysis predicts for @dev; two devices share a
 * predicted group when their leaders are the same. NULL without a group.
 */
struct iommuctl_device *
iommuctl_device_get_predicted_leader(struct iommuctl_device *dev);
/**
 * iommuctl_group_matches_prediction() - does the kernel's group hold exactly
 * the devices the analysis predicts? A mismatch means a device quirk (DMA
 * alias or ACS) or an ACS override patch.
 */
bool iommuctl_group_matches_prediction(struct iommuctl_group *group);
/**
 * iommuctl_explain_is_certain() - false when some config space could not be
 * read (not root) and the prediction rests on guesses
 */
bool iommuctl_explain_is_certain(struct iommuctl_ctx *ctx);

/**
 * enum iommuctl_irq_remap - is interrupt remapping on
 * @IOMMUCTL_IR_UNKNOWN: nothing readable tells
 * @IOMMUCTL_IR_ENABLED: interrupts go through remapping tables
 * @IOMMUCTL_IR_DISABLED: MSIs reach the CPUs unremapped
 */
enum iommuctl_irq_remap {
	IOMMUCTL_IR_UNKNOWN = 0,
	IOMMUCTL_IR_ENABLED,
	IOMMUCTL_IR_DISABLED,
};
/** iommuctl_irq_remap_name() - "unknown", "enabled", "disabled". */
const char *iommuctl_irq_remap_name(enum iommuctl_irq_remap r);

/**
 * struct iommuctl_msi_state - how MSIs from assigned devices are contained
 * @remapping: x86 interrupt remapping
 * @how: static text naming the evidence (which file said so)
 * @gic_its: a GIC ITS handles MSIs (Arm), which isolates them per device
 */
struct iommuctl_msi_state {
	enum iommuctl_irq_remap remapping;
	const char *how;
	bool gic_its;
};
/**
 * iommuctl_msi_state() - decide from /proc/interrupts (interrupt chips
 * named IR-* or ITS-*) and, for VT-d, debugfs ir_translation_struct
 *
 * Return: 0 (the state may be unknown), or -EINVAL.
 */
int iommuctl_msi_state(struct iommuctl_ctx *ctx, struct iommuctl_msi_state *st);

/**
 * enum iommuctl_msi_kind - what an "msi" reserved region is
 * @IOMMUCTL_MSI_HW: a hardware window (x86 0xfee00000-0xfeefffff): writes
 *	there are interrupt messages and bypass translation; safe only with
 *	interrupt remapping
 * @IOMMUCTL_MSI_SW: a software window (IOMMU_RESV_SW_MSI, e.g. Arm SMMU
 *	0x8000000 + 1 MiB): the kernel maps the interrupt controller's doorbell
 *	into the domain at this IOVA
 */
enum iommuctl_msi_kind {
	IOMMUCTL_MSI_HW = 0,
	IOMMUCTL_MSI_SW,
};
/**
 * iommuctl_msi_classify() - sysfs prints both kinds as "msi": decide from
 * the address and the IOMMU kind
 * @r: an msi region
 * @kind: the kind of the IOMMU translating the group
 * @basis: (out, optional) static text saying how it was decided
 */
enum iommuctl_msi_kind iommuctl_msi_classify(const struct iommuctl_resv_region *r,
					     enum iommuctl_iommu_kind kind,
					     const char **basis);

/**
 * DOC: capability registers
 *
 * Decoding of the 64-bit capability registers IOMMU drivers show in sysfs:
 * Intel VT-d CAP_REG and ECAP_REG (/sys/class/iommu/dmarN/intel-iommu/cap,
 * ecap) and AMD-Vi EFR and EFR2 (/sys/class/iommu/ivhdN/amd-iommu/features).
 * The same values come from IOMMU_GET_HW_INFO.
 *
 * Two views: field tables (every defined field, raw, for dumps and JSON) and
 * summaries (what an administrator asks, with the Linux driver's rules).
 * These functions need no context, touch no files and cannot fail except on
 * malformed text.
 */
/**
 * struct iommuctl_regfield - one field of a 64-bit capability register
 * @key: stable JSON key, lowercase with underscores ("sagaw", "pss", "hats");
 *	unique within its table and part of the JSON interface
 * @name: mnemonic from the specification ("SAGAW", "PASmax")
 * @desc: short description for people
 * @lo: lowest bit of the field
 * @hi: highest bit of the field (inclusive; @lo == @hi for a flag)
 */
struct iommuctl_regfield {
	const char *key;
	const char *name;
	const char *desc;
	uint8_t lo, hi;
};

/**
 * iommuctl_vtd_cap_fields() - fields of the Intel VT-d CAP_REG
 * @n: (out, may be NULL) number of fields
 *
 * Return: a static table, ordered by bit position. Reserved bits have no
 * entry.
 */
const struct iommuctl_regfield *iommuctl_vtd_cap_fields(unsigned int *n);
/** iommuctl_vtd_ecap_fields() - fields of the Intel VT-d ECAP_REG, as above. */
const struct iommuctl_regfield *iommuctl_vtd_ecap_fields(unsigned int *n);
/** iommuctl_amd_efr_fields() - fields of the AMD-Vi EFR, as above. */
const struct iommuctl_regfield *iommuctl_amd_efr_fields(unsigned int *n);
/** iommuctl_amd_efr2_fields() - fields of the AMD-Vi EFR2, as above. */
const struct iommuctl_regfield *iommuctl_amd_efr2_fields(unsigned int *n);

/**
 * iommuctl_regfield_value() - extract a field from a register value
 * @f: the field
 * @reg: the register value
 *
 * Return: the field shifted down to bit 0, i.e. (@reg >> lo) masked to the
 * field's width (a field of bits 63:0 returns @reg); 0 if @f is NULL or
 * describes no valid bit range.
 */
uint64_t iommuctl_regfield_value(const struct iommuctl_regfield *f,
				 uint64_t reg);

/**
 * struct iommuctl_vtd_summary - VT-d cap/ecap as a sysadmin reads them
 * @version_major: VER_REG major; not in cap/ecap, left 0 for the caller
 * @version_minor: VER_REG minor; left 0 as @version_major
 * @mgaw: maximum guest address width in bits (CAP.MGAW + 1)
 * @agaw_widths: second-stage address widths SAGAW allows, ascending, from
 *	39 (3-level), 48 (4-level), 57 (5-level)
 * @num_agaw_widths: entries used in @agaw_widths
 * @domains: number of domain IDs, 2^(4 + 2 * CAP.ND) (sysfs
 *	domains_supported)
 * @caching_mode: CAP.CM, set by emulated IOMMUs (QEMU, cloud vIOMMUs)
 * @sl_2m: second-stage 2 MiB pages (CAP.SSLPS bit 0)
 * @sl_1g: second-stage 1 GiB pages (CAP.SSLPS bit 1)
 * @fl_1g: first-stage 1 GiB pages (CAP.FS1GP; 2 MiB is always there)
 * @fl_5level: first-stage 5-level paging (CAP.FS5LP)
 * @posted_interrupts: CAP.PI
 * @page_walk_coherency: ECAP.C
 * @queued_invalidation: ECAP.QI
 * @ats: ECAP.DT, device-TLB invalidation (PCIe ATS)
 * @interrupt_remapping: ECAP.IR
 * @x2apic: ECAP.EIM, extended interrupt mode
 * @pass_through: ECAP.PT
 * @snoop_control: ECAP.SC (Linux: "enforce cache coherency")
 * @nesting: ECAP.NEST; the hardware can nest. Linux also needs scalable mode
 *	in use (and first- and second-stage support) to offer it
 * @prs: ECAP.PRS, page requests (PRI / IOPF)
 * @pasid: ECAP.PASID
 * @pasid_bits: PASID width, ECAP.PSS + 1, or 0 without ECAP.PASID
 * @scalable_mode: ECAP.SMTS, the unit can run in scalable mode. Whether it
 *	does depends on the kernel (intel_iommu=sm_on or the Kconfig default)
 * @first_stage: ECAP.FSTS
 * @second_stage: ECAP.SSTS; true as well on legacy units (no ECAP.SMTS),
 *	which translate with second-stage tables only
 * @dirty_tracking: ECAP.SSADS and ECAP.SMPWCS, Linux's rule for
 *	IOMMU_HW_CAP_DIRTY_TRACKING (which also needs scalable mode in use)
 * @ssads: raw ECAP.SSADS (second-stage accessed/dirty bits)
 */
struct iommuctl_vtd_summary {
	unsigned int version_major, version_minor;
	unsigned int mgaw;
	unsigned int agaw_widths[3];
	unsigned int num_agaw_widths;
	uint64_t domains;
	bool caching_mode;
	bool sl_2m, sl_1g;
	bool fl_1g, fl_5level;
	bool posted_interrupts;
	bool page_walk_coherency;
	bool queued_invalidation;
	bool ats;
	bool interrupt_remapping;
	bool x2apic;
	bool pass_through;
	bool snoop_control;
	bool nesting;
	bool prs;
	bool pasid;
	unsigned int pasid_bits;
	bool scalable_mode;
	bool first_stage, second_stage;
	bool dirty_tracking;
	bool ssads;
};

/**
 * iommuctl_vtd_summarize() - decode VT-d CAP_REG and ECAP_REG
 * @cap: CAP_REG (sysfs intel-iommu/cap)
 * @ecap: ECAP_REG (sysfs intel-iommu/ecap)
 * @s: filled in; every member not derived from @cap or @ecap is zeroed
 */
void iommuctl_vtd_summarize(uint64_t cap, uint64_t ecap,
			    struct iommuctl_vtd_summary *s);

/**
 * struct iommuctl_amd_summary - AMD-Vi EFR/EFR2 as a sysadmin reads them
 * @prefetch: PreFSup
 * @ppr: PPRSup, peripheral page requests (PRI / IOPF)
 * @x2apic: XTSup
 * @nx: NXSup, no-execute
 * @guest_translation: GTSup, guest (v2, first-stage) page tables and PASIDs
 * @invalidate_all: IASup, INVALIDATE_IOMMU_ALL
 * @guest_vapic: GASup, guest virtual APIC (AVIC) interrupt remapping
 * @hw_error: HESup, hardware error registers
 * @perf_counters: PCSup
 * @guest_io_protection: GIOSup (Linux needs it for v2 DMA-API page tables)
 * @host_access: HASup, host access (A) bit
 * @enhanced_ppr: EPHSup
 * @host_dirty: HDSup, host dirty bit; Linux reports dirty tracking from it
 * @snp: SNPSup, SEV-SNP
 * @hats_levels: host page-table levels, 4 + HATS (spec: 0 = 4, 1 = 5,
 *	2 = 6 levels; 7 comes from the reserved encoding 3)
 * @gats_levels: guest page-table levels, 4 + GATS. The spec defines 0
 *	(4 levels) and 1 (5 levels) only; Linux uses 5-level guest tables only
 *	for GATS == 1, so a value above 5 comes from a reserved encoding
 * @pasid_bits: PASID width, PASmax + 1, when @guest_translation; else 0
 * @snp_avic: EFR2 SNPAVICSup (bits 7:5), SNP AVIC support level
 */
struct iommuctl_amd_summary {
	bool prefetch, ppr, x2apic, nx, guest_translation, invalidate_all,
		guest_vapic, hw_error, perf_counters, guest_io_protection,
		host_access, enhanced_ppr, host_dirty, snp;
	unsigned int hats_levels;
	unsigned int gats_levels;
	unsigned int pasid_bits;
	unsigned int snp_avic;
};

/**
 * iommuctl_amd_summarize() - decode AMD-Vi EFR and EFR2
 * @efr: Extended Feature Register
 * @efr2: Extended Feature Register 2 (0 when the kernel shows none)
 * @s: filled in
 */
void iommuctl_amd_summarize(uint64_t efr, uint64_t efr2,
			    struct iommuctl_amd_summary *s);

/**
 * iommuctl_amd_parse_features() - parse the AMD-Vi sysfs "features" attribute
 * @text: content of /sys/class/iommu/ivhdN/amd-iommu/features: one or two
 *	words of at most 16 hex digits without 0x, separated by ':', with an
 *	optional trailing newline
 * @kernel_release: kernel release the text comes from ("6.12.117",
 *	"5.15.0-91-generic"), or NULL for the newest layout
 * @efr: (out) EFR
 * @efr2: (out) EFR2, 0 when the text has one word
 * @order: (out) a static string saying how the words were read: "efr",
 *	"efr2:efr" or "efr:efr2"
 *
 * The kernel changed the layout twice: up to 5.19 it prints "<efr>"; 6.0 to
 * 6.6 print "<efr2>:<efr>"; 6.7 and later print "<efr>:<efr2>". The decision:
 *
 * - one word is EFR, whatever the release says ("efr");
 * - two words from a release 6.0 to 6.6 are "efr2:efr";
 * - two words from any other release are "efr:efr2": 6.7 and later by the
 *   rule, NULL or an unparsable release as the newest layout, and releases
 *   before 6.0 (which print one word) because a second word there means a
 *   distribution backport, most likely of the current layout.
 *
 * Only the leading "major.minor" of @kernel_release is used. Distribution
 * kernels that backport the 6.7 change into a 6.0-6.6 release are read
 * wrongly; a caller can cross-check with the content (EFR has many of bits
 * 0-9 set on real hardware, EFR2 is usually small).
 *
 * Return: 0, or -EINVAL for malformed text (NULL, empty, a non-hex
 * character, an empty word, more than two words, a word longer than 16 hex
 * digits, anything after the optional newline) or a NULL output pointer.
 * Nothing is written on error.
 */
int iommuctl_amd_parse_features(const char *text, const char *kernel_release,
				uint64_t *efr, uint64_t *efr2,
				const char **order);

/**
 * iommuctl_vtd_parse_version() - parse the VT-d sysfs "version" attribute
 * @text: "<major>:<minor>" in decimal, optional trailing newline ("1:0\n")
 * @major: (out) VER_REG major
 * @minor: (out) VER_REG minor
 *
 * Return: 0, or -EINVAL if @text is malformed (missing part, sign, space,
 * non-digit, value above UINT_MAX, trailing garbage) or a pointer is NULL.
 * Nothing is written on error.
 */
int iommuctl_vtd_parse_version(const char *text, unsigned int *major,
			       unsigned int *minor);

/**
 * iommuctl_parse_hex_u64() - parse a sysfs hex attribute
 * @text: hex digits without 0x, optional trailing newline ("d2008c22260206\n")
 * @out: (out) the value
 *
 * Leading zeros are accepted; letters may be upper or lower case.
 *
 * Return: 0, -EINVAL if @text is malformed (NULL, empty, "0x" prefix,
 * non-hex character, trailing garbage) or @out is NULL, -ERANGE if the
 * value does not fit in 64 bits. Nothing is written on error.
 */
int iommuctl_parse_hex_u64(const char *text, uint64_t *out);

/**
 * DOC: iommufd sessions
 *
 * iommufd objects belong to one open /dev/iommu and die with it, and the
 * kernel offers no way to list them or ask an object's type. A session is
 * one open /dev/iommu plus the library's record of every object created
 * through it: its type, its kernel id, an optional name, and the objects it
 * holds references on. That record lets the library explain refusals the
 * kernel only answers with an errno ("ioas 1 is in use by hwpt 3"), and lets
 * tools print the object graph the kernel will not list.
 *
 * Every operation passes the newest argument struct the library knows, with
 * its size; output fields an older kernel leaves zero mean "not reported".
 * Operations return 0 or -errno; after a failure
 * iommuctl_session_error() holds a sentence explaining it from the model.
 * Commands the kernel lacks answer -ENOTTY; flags or types it (or the
 * device's IOMMU) does not support answer -EOPNOTSUPP.
 */
#define IOMMUCTL_HAVE_SESSION 1

struct iommuctl_session;
struct iommuctl_obj;

/**
 * enum iommuctl_obj_type - kinds of iommufd objects
 * @IOMMUCTL_OBJ_IOAS: I/O address space (IOMMU_IOAS_ALLOC)
 * @IOMMUCTL_OBJ_HWPT_PAGING: paging hardware page table; made by
 *	IOMMU_HWPT_ALLOC or by the kernel when a device attaches to an IOAS
 * @IOMMUCTL_OBJ_HWPT_NESTED: nested (stage-1) hardware page table
 * @IOMMUCTL_OBJ_DEVICE: a bound device (VFIO cdev or selftest mock)
 * @IOMMUCTL_OBJ_ACCESS: an in-kernel user of an IOAS (mdev-like); the
 *	kernel reports no id for it, only a file descriptor
 * @IOMMUCTL_OBJ_FAULT: an I/O page fault queue and its fd
 * @IOMMUCTL_OBJ_VIOMMU: a virtual IOMMU
 * @IOMMUCTL_OBJ_VDEVICE: a device's identity behind a vIOMMU
 * @IOMMUCTL_OBJ_VEVENTQ: a vIOMMU event queue and its fd
 * @IOMMUCTL_OBJ_HW_QUEUE: a hardware queue of a vIOMMU
 */
enum iommuctl_obj_type {
	IOMMUCTL_OBJ_IOAS = 1,
	IOMMUCTL_OBJ_HWPT_PAGING,
	IOMMUCTL_OBJ_HWPT_NESTED,
	IOMMUCTL_OBJ_DEVICE,
	IOMMUCTL_OBJ_ACCESS,
	IOMMUCTL_OBJ_FAULT,
	IOMMUCTL_OBJ_VIOMMU,
	IOMMUCTL_OBJ_VDEVICE,
	IOMMUCTL_OBJ_VEVENTQ,
	IOMMUCTL_OBJ_HW_QUEUE,
};

/**
 * iommuctl_obj_type_name() - the JSON name of an object type
 * @type: the type
 *
 * Return: "ioas", "hwpt-paging", "hwpt-nested", "device", "access",
 * "fault", "viommu", "vdevice", "veventq" or "hw-queue"; "unknown".
 */
const char *iommuctl_obj_type_name(enum iommuctl_obj_type type);

/**
 * iommuctl_session_open() - open /dev/iommu (inside the context's root)
 * @ctx: a live context (not --root)
 * @out: the new session
 *
 * Return: 0; -EOPNOTSUPP for an offline context; -ENOENT without
 * /dev/iommu; -errno from open().
 */
int iommuctl_session_open(struct iommuctl_ctx *ctx,
			  struct iommuctl_session **out);
/**
 * iommuctl_session_open_fd() - a session over an already open /dev/iommu
 * @ctx: a live context
 * @fd: the iommufd, e.g. inherited from `iommuctl exec`; the session owns it
 *	from now on and closes it in iommuctl_session_close()
 * @out: the new session
 *
 * Objects the fd already holds are not known to the session.
 *
 * Return: 0; -EBADF when @fd is not an iommufd; -errno.
 */
int iommuctl_session_open_fd(struct iommuctl_ctx *ctx, int fd,
			     struct iommuctl_session **out);
/**
 * iommuctl_session_close() - close the session; the kernel destroys every
 * object of it, and the memory the library mapped for it is released.
 */
void iommuctl_session_close(struct iommuctl_session *s);
/** iommuctl_session_fd() - the /dev/iommu file descriptor of @s. */
int iommuctl_session_fd(struct iommuctl_session *s);
/**
 * iommuctl_session_error() - why the last operation on @s failed
 *
 * Return: a sentence built from the session's model ("ioas 1 is in use by
 * hwpt-paging 3 (auto, of device 4); ..."), or NULL when the last operation
 * succeeded or there is nothing to add to the errno. Valid until the next
 * operation.
 */
const char *iommuctl_session_error(struct iommuctl_session *s);
/**
 * iommuctl_session_has_cmd() - whether the kernel knows an iommufd command
 * @s: session
 * @nr: command number (0x80 ...)
 *
 * Asked once per command with harmless arguments and cached.
 *
 * Return: 1 present, 0 absent (ENOTTY), -errno.
 */
int iommuctl_session_has_cmd(struct iommuctl_session *s, unsigned int nr);
/** iommuctl_session_has_selftest() - CONFIG_IOMMUFD_TEST is built in. */
bool iommuctl_session_has_selftest(struct iommuctl_session *s);

/** iommuctl_session_first() - the oldest live object, or NULL. */
struct iommuctl_obj *iommuctl_session_first(struct iommuctl_session *s);
/** iommuctl_obj_next() - the next object in creation order, or NULL. */
struct iommuctl_obj *iommuctl_obj_next(struct iommuctl_obj *o);
#define iommuctl_session_foreach(s, o)                                     \
	for (o = iommuctl_session_first(s); o; o = iommuctl_obj_next(o))
/**
 * iommuctl_session_find() - look an object up by name or decimal id
 * @s: session
 * @ref: "guest", "3"
 *
 * Return: the object, or NULL (errno ENOENT) when nothing matches.
 */
struct iommuctl_obj *iommuctl_session_find(struct iommuctl_session *s,
					   const char *ref);
/** iommuctl_session_find_id() - the live object with kernel id @id, or NULL. */
struct iommuctl_obj *iommuctl_session_find_id(struct iommuctl_session *s,
					      uint32_t id);

/** iommuctl_obj_get_type() - the object's type. */
enum iommuctl_obj_type iommuctl_obj_get_type(struct iommuctl_obj *o);
/** iommuctl_obj_get_id() - kernel object id; 0 when the kernel gave none (access). */
uint32_t iommuctl_obj_get_id(struct iommuctl_obj *o);
/** iommuctl_obj_get_name() - the name given to it, or NULL. */
const char *iommuctl_obj_get_name(struct iommuctl_obj *o);
/**
 * iommuctl_obj_set_name() - name an object
 * @o: object
 * @name: letters, digits, '-', '_' and '.', not starting with a digit,
 *	at most 64 bytes; NULL removes the name
 *
 * Return: 0, -EINVAL for a malformed name, -EEXIST if another object of
 * the session has it.
 */
int iommuctl_obj_set_name(struct iommuctl_obj *o, const char *name);
/**
 * iommuctl_obj_label() - "ioas 1 (guest)", "access fd 7"
 *
 * Return: a string owned by @o, valid while it lives.
 */
const char *iommuctl_obj_label(struct iommuctl_obj *o);

/**
 * struct iommuctl_obj_info - what the session knows about an object
 * @type: its type
 * @id: kernel id (0: none reported)
 * @name: given name or NULL
 * @ioas: the IOAS it lives in: own IOAS for hwpt-paging and access; the
 *	IOAS a device is attached to (directly or through its hwpt)
 * @parent: what it was allocated from: the nesting parent hwpt or vIOMMU
 *	of a nested hwpt; the parent hwpt of a vIOMMU; the vIOMMU of a
 *	vDEVICE, vEVENTQ or HW queue; NULL otherwise
 * @device: the device a hwpt, vIOMMU or vDEVICE was allocated for
 * @fault: the fault queue of a hwpt, or NULL
 * @attached: for a device, the hwpt it is attached to (NULL if none)
 * @fd: the object's own fd (fault, veventq, access, VFIO device) or -1
 * @flags: IOMMUCTL_HWPT_* for hwpts, IOMMUCTL_DEV_* for devices,
 *	IOMMUCTL_ACCESS_* for accesses
 * @kind: driver-specific type: hwpt data type, vIOMMU / vEVENTQ / HW queue
 *	type (the kernel's numbers)
 * @auto_hwpt: hwpt made by the kernel for an attach to an IOAS
 * @mock: a selftest mock device
 * @selftest_id: the mock's selftest object id (destroying it unplugs it)
 * @dev_name: sysfs name of a device ("iommufd_mock0", "0000:00:03.0")
 * @virt_id: vDEVICE virtual id
 * @depth: vEVENTQ depth
 * @index: HW queue index
 * @iova: HW queue base IOVA
 * @length: HW queue length in bytes
 */
struct iommuctl_obj_info {
	enum iommuctl_obj_type type;
	uint32_t id;
	const char *name;
	struct iommuctl_obj *ioas;
	struct iommuctl_obj *parent;
	struct iommuctl_obj *device;
	struct iommuctl_obj *fault;
	struct iommuctl_obj *attached;
	int fd;
	uint32_t flags;
	uint32_t kind;
	bool auto_hwpt;
	bool mock;
	uint32_t selftest_id;
	const char *dev_name;
	uint64_t virt_id;
	uint32_t depth;
	uint32_t index;
	uint64_t iova;
	uint64_t length;
};
/** iommuctl_obj_get_info() - fill @info; pointers are valid while @o lives. */
void iommuctl_obj_get_info(struct iommuctl_obj *o,
			   struct iommuctl_obj_info *info);
/**
 * iommuctl_obj_users() - objects that hold a reference on @o
 * @o: object
 * @out: (out) malloc'd array, free() it
 * @n: (out) its length
 *
 * Return: 0 or -ENOMEM.
 */
int iommuctl_obj_users(struct iommuctl_obj *o, struct iommuctl_obj ***out,
		       size_t *n);
/**
 * iommuctl_obj_destroy() - destroy an object (IOMMU_DESTROY)
 * @o: object; freed on success
 *
 * Fault queues and vEVENTQs have their fds closed first, accesses are
 * destroyed through their fd, mock devices through their selftest object.
 *
 * VFIO devices are unbound by closing their cdev.
 *
 * Return: 0; -EBUSY with iommuctl_session_error() naming what holds it.
 */
int iommuctl_obj_destroy(struct iommuctl_obj *o);

/* Permissions of a mapping: what the device may do. */
#define IOMMUCTL_MAP_READ 0x1
#define IOMMUCTL_MAP_WRITE 0x2

/**
 * enum iommuctl_mem_kind - the memory behind a mapping
 * @IOMMUCTL_MEM_ANON: anonymous private memory
 * @IOMMUCTL_MEM_HUGETLB: anonymous hugetlb memory (@page_size 2M or 1G)
 * @IOMMUCTL_MEM_MEMFD: a memfd (shared memory), mapped with IOMMU_IOAS_MAP
 * @IOMMUCTL_MEM_FILE: a file mapped by fd with IOMMU_IOAS_MAP_FILE
 * @IOMMUCTL_MEM_COPY: shared with another IOAS by IOMMU_IOAS_COPY
 */
enum iommuctl_mem_kind {
	IOMMUCTL_MEM_ANON = 0,
	IOMMUCTL_MEM_HUGETLB,
	IOMMUCTL_MEM_MEMFD,
	IOMMUCTL_MEM_FILE,
	IOMMUCTL_MEM_COPY,
};
/** iommuctl_mem_kind_name() - "anon", "hugetlb", "memfd", "file", "copy". */
const char *iommuctl_mem_kind_name(enum iommuctl_mem_kind kind);

/**
 * struct iommuctl_map_args - what to map
 * @iova: the IOVA when @fixed, else ignored
 * @fixed: map at @iova (IOMMU_IOAS_MAP_FIXED_IOVA) instead of letting the
 *	kernel choose
 * @length: bytes (a multiple of the page size of the memory)
 * @perm: IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE
 * @mem: memory kind (ANON, HUGETLB, MEMFD; FILE for iommuctl_ioas_map_file)
 * @page_size: hugetlb page size (2M or 1G), else 0
 * @path: file for IOMMUCTL_MEM_FILE
 * @offset: offset in that file
 */
struct iommuctl_map_args {
	uint64_t iova;
	bool fixed;
	uint64_t length;
	unsigned int perm;
	enum iommuctl_mem_kind mem;
	uint64_t page_size;
	const char *path;
	uint64_t offset;
};

/**
 * struct iommuctl_mapping - one mapping of an IOAS, as the session made it
 * @iova: first IOVA
 * @length: bytes
 * @perm: IOMMUCTL_MAP_*
 * @mem: memory kind
 * @page_size: hugetlb page size or 0
 * @path: file of a file mapping, or NULL
 * @offset: offset in that file
 * @src: for a copy, the IOAS it was copied from
 * @src_iova: and the IOVA there
 * @va: the user address of the memory in this process (0 for files)
 */
struct iommuctl_mapping {
	uint64_t iova;
	uint64_t length;
	unsigned int perm;
	enum iommuctl_mem_kind mem;
	uint64_t page_size;
	const char *path;
	uint64_t offset;
	struct iommuctl_obj *src;
	uint64_t src_iova;
	uint64_t va;
};

/**
 * struct iommuctl_iova_range - an IOVA range, both ends inclusive
 * @start: first IOVA
 * @last: last IOVA
 */
struct iommuctl_iova_range {
	uint64_t start;
	uint64_t last;
};

/** iommuctl_ioas_alloc() - IOMMU_IOAS_ALLOC. */
int iommuctl_ioas_alloc(struct iommuctl_session *s, struct iommuctl_obj **out);
/**
 * iommuctl_ioas_map() - allocate memory and map it (IOMMU_IOAS_MAP)
 * @ioas: the IOAS
 * @args: what to map; @args->mem ANON, HUGETLB or MEMFD
 * @iova: (out) where it was mapped
 *
 * The session owns the memory until the mapping is unmapped.
 *
 * Return: 0; -EINVAL with iommuctl_session_error() naming a reserved range
 * that overlaps; -EEXIST naming the mapping in the way; -errno.
 */
int iommuctl_ioas_map(struct iommuctl_obj *ioas,
		      const struct iommuctl_map_args *args, uint64_t *iova);
/** iommuctl_ioas_map_file() - map @args->path by fd (IOMMU_IOAS_MAP_FILE). */
int iommuctl_ioas_map_file(struct iommuctl_obj *ioas,
			   const struct iommuctl_map_args *args,
			   uint64_t *iova);
/**
 * iommuctl_ioas_unmap() - IOMMU_IOAS_UNMAP
 * @ioas: the IOAS
 * @iova: first IOVA
 * @length: bytes; 0 with @iova 0 unmaps everything
 * @unmapped: (out, optional) bytes unmapped
 *
 * Return: 0; -ENOENT with iommuctl_session_error() naming the mapping the
 * range cuts through, or saying nothing is mapped there.
 */
int iommuctl_ioas_unmap(struct iommuctl_obj *ioas, uint64_t iova,
			uint64_t length, uint64_t *unmapped);
/**
 * iommuctl_ioas_copy() - IOMMU_IOAS_COPY: map pages already mapped in @src
 * @dst: destination IOAS
 * @src: source IOAS
 * @src_iova: IOVA in @src (whole mappings only)
 * @length: bytes
 * @args: @iova/@fixed for the destination and @perm; other fields ignored
 * @iova: (out) destination IOVA
 */
int iommuctl_ioas_copy(struct iommuctl_obj *dst, struct iommuctl_obj *src,
		       uint64_t src_iova, uint64_t length,
		       const struct iommuctl_map_args *args, uint64_t *iova);
/**
 * iommuctl_ioas_allow() - IOMMU_IOAS_ALLOW_IOVAS: restrict where the kernel
 * may allocate IOVAs and forbid later reserved regions there
 * @ioas: the IOAS
 * @r: ranges (none clears the list)
 * @n: number of ranges
 */
int iommuctl_ioas_allow(struct iommuctl_obj *ioas,
			const struct iommuctl_iova_range *r, size_t n);
/**
 * iommuctl_ioas_vfio_compat() - IOMMU_VFIO_IOAS: the IOAS that the legacy
 * VFIO container interface (/dev/vfio/vfio on iommufd) uses
 * @s: session
 * @set: the IOAS to select, or NULL to only ask
 * @clear: forget the selection (with @set NULL)
 * @out: (out, optional) the selected IOAS after the call, NULL if none or
 *	one this session did not create
 *
 * Return: 0; -ENODEV asking when none is selected; -errno.
 */
int iommuctl_ioas_vfio_compat(struct iommuctl_session *s,
			      struct iommuctl_obj *set, bool clear,
			      struct iommuctl_obj **out);
/**
 * iommuctl_ioas_change_process() - IOMMU_IOAS_CHANGE_PROCESS (6.13): charge
 * every mapping of the session to the calling process (after exec of a
 * VMM live update). Only file mappings can move: -EINVAL otherwise, with
 * iommuctl_session_error() naming a mapping that is not one.
 */
int iommuctl_ioas_change_process(struct iommuctl_session *s);
/** iommuctl_ioas_get_allowed() - the allowed list last set, not a copy. */
const struct iommuctl_iova_range *
iommuctl_ioas_get_allowed(struct iommuctl_obj *ioas, size_t *n);
/**
 * iommuctl_ioas_ranges() - IOMMU_IOAS_IOVA_RANGES: usable IOVA ranges
 * @ioas: the IOAS
 * @out: (out) malloc'd array, free() it
 * @n: (out) its length
 * @alignment: (out, optional) required IOVA and length alignment
 */
int iommuctl_ioas_ranges(struct iommuctl_obj *ioas,
			 struct iommuctl_iova_range **out, size_t *n,
			 uint64_t *alignment);
/**
 * iommuctl_ioas_mappings() - the session's mappings of @ioas, by IOVA
 * @ioas: the IOAS
 * @n: (out) count
 *
 * Return: the array (owned by @ioas, valid until it changes).
 */
const struct iommuctl_mapping *iommuctl_ioas_mappings(struct iommuctl_obj *ioas,
						      size_t *n);

/* IOMMU_OPTION */
#define IOMMUCTL_OPTION_RLIMIT_MODE 0
#define IOMMUCTL_OPTION_HUGE_PAGES 1
/**
 * iommuctl_option_get() - IOMMU_OPTION GET
 * @s: session
 * @option: IOMMUCTL_OPTION_*
 * @ioas: the IOAS for HUGE_PAGES, NULL for RLIMIT_MODE
 * @val: (out) value
 */
int iommuctl_option_get(struct iommuctl_session *s, unsigned int option,
			struct iommuctl_obj *ioas, uint64_t *val);
/**
 * iommuctl_option_set() - IOMMU_OPTION SET
 *
 * RLIMIT_MODE (0 user, 1 process) needs CAP_SYS_RESOURCE and a session
 * without objects; HUGE_PAGES (0 or 1) is per IOAS.
 */
int iommuctl_option_set(struct iommuctl_session *s, unsigned int option,
			struct iommuctl_obj *ioas, uint64_t val);

/* hwpt flags (iommuctl_obj_info.flags), the kernel's alloc flags */
#define IOMMUCTL_HWPT_NEST_PARENT 0x1
#define IOMMUCTL_HWPT_DIRTY_TRACKING 0x2
#define IOMMUCTL_HWPT_FAULT 0x4
#define IOMMUCTL_HWPT_PASID 0x8

/* hwpt data types and invalidation types (the kernel's numbers) */
#define IOMMUCTL_HWPT_DATA_NONE 0
#define IOMMUCTL_HWPT_DATA_VTD_S1 1
#define IOMMUCTL_HWPT_DATA_ARM_SMMUV3 2
#define IOMMUCTL_HWPT_DATA_AMD_GUEST 3
#define IOMMUCTL_HWPT_DATA_SELFTEST 0xdead
#define IOMMUCTL_INVALIDATE_VTD_S1 0
#define IOMMUCTL_INVALIDATE_ARM_SMMUV3 1
#define IOMMUCTL_INVALIDATE_SELFTEST 0xdeadbeef
/* vIOMMU / vEVENTQ / HW queue types */
#define IOMMUCTL_VIOMMU_ARM_SMMUV3 1
#define IOMMUCTL_VIOMMU_TEGRA241_CMDQV 2
#define IOMMUCTL_VIOMMU_SELFTEST 0xdeadbeef
#define IOMMUCTL_VEVENTQ_ARM_SMMUV3 1
#define IOMMUCTL_VEVENTQ_TEGRA241_CMDQV 2
#define IOMMUCTL_VEVENTQ_SELFTEST 0xbeefbeef
#define IOMMUCTL_HW_QUEUE_TEGRA241_CMDQV 1
#define IOMMUCTL_HW_QUEUE_SELFTEST 0xdeadbeef

/**
 * struct iommuctl_hwpt_args - IOMMU_HWPT_ALLOC
 * @device: the device it is for
 * @pt: an IOAS (paging hwpt), or a nest-parent hwpt or vIOMMU (nested)
 * @flags: IOMMUCTL_HWPT_*; IOMMUCTL_HWPT_FAULT needs @fault
 * @fault: fault queue for I/O page faults, or NULL
 * @data_type: IOMMUCTL_HWPT_DATA_*; NONE for paging
 * @data: driver data for a nested hwpt
 * @data_len: its length
 */
struct iommuctl_hwpt_args {
	struct iommuctl_obj *device;
	struct iommuctl_obj *pt;
	uint32_t flags;
	struct iommuctl_obj *fault;
	uint32_t data_type;
	const void *data;
	uint32_t data_len;
};
/** iommuctl_hwpt_alloc() - allocate a paging or nested hwpt. */
int iommuctl_hwpt_alloc(struct iommuctl_session *s,
			const struct iommuctl_hwpt_args *args,
			struct iommuctl_obj **out);
/** iommuctl_hwpt_set_dirty_tracking() - IOMMU_HWPT_SET_DIRTY_TRACKING. */
int iommuctl_hwpt_set_dirty_tracking(struct iommuctl_obj *hwpt, bool enable);
/**
 * iommuctl_hwpt_get_dirty_bitmap() - IOMMU_HWPT_GET_DIRTY_BITMAP
 * @hwpt: a paging hwpt
 * @iova: first IOVA (bit 0 of @bitmap)
 * @length: bytes
 * @page_size: bytes per bit
 * @no_clear: read without clearing
 * @bitmap: (out) ceil(length / page_size / 64) words
 * @words: capacity of @bitmap
 */
int iommuctl_hwpt_get_dirty_bitmap(struct iommuctl_obj *hwpt, uint64_t iova,
				   uint64_t length, uint64_t page_size,
				   bool no_clear, uint64_t *bitmap,
				   size_t words);
/**
 * iommuctl_hwpt_invalidate() - IOMMU_HWPT_INVALIDATE
 * @o: a nested hwpt or a vIOMMU
 * @data_type: IOMMUCTL_INVALIDATE_*
 * @entries: the requests
 * @entry_len: bytes per request
 * @num: (in) requests, (out) requests the kernel handled
 */
int iommuctl_hwpt_invalidate(struct iommuctl_obj *o, uint32_t data_type,
			     const void *entries, uint32_t entry_len,
			     uint32_t *num);

/* hw_info capabilities */
#define IOMMUCTL_HW_CAP_DIRTY_TRACKING 0x1
#define IOMMUCTL_HW_CAP_PCI_PASID_EXEC 0x2
#define IOMMUCTL_HW_CAP_PCI_PASID_PRIV 0x4
#define IOMMUCTL_HW_CAP_PCI_ATS_NOT_SUPPORTED 0x8
/**
 * struct iommuctl_hw_info - IOMMU_GET_HW_INFO for a device
 * @type: data type (1 VT-d, 2 SMMUv3, 4 AMD, 0xfeedbeef selftest, 0 none)
 * @data: the driver's data (malloc'd, free with the struct's owner)
 * @data_len: its length
 * @capabilities: IOMMUCTL_HW_CAP_*; 0 also when not reported
 * @max_pasid_log2: PASID width, 0 none or not reported
 */
struct iommuctl_hw_info {
	uint32_t type;
	void *data;
	uint32_t data_len;
	uint64_t capabilities;
	uint8_t max_pasid_log2;
};
/** iommuctl_device_hw_info() - ask the kernel; free(info->data) after. */
int iommuctl_device_hw_info(struct iommuctl_obj *dev,
			    struct iommuctl_hw_info *info);

/**
 * struct iommuctl_fault_record - one I/O page fault (40-byte record)
 * @flags: bit0 PASID valid, bit1 last page of the group
 * @dev_id: the device's id
 * @pasid: PASID
 * @grpid: page request group
 * @perm: bit0 read, bit1 write, bit2 exec, bit3 privileged
 * @addr: faulting address
 * @length: prefetch hint
 * @cookie: pass to iommuctl_fault_respond()
 */
struct iommuctl_fault_record {
	uint32_t flags;
	uint32_t dev_id;
	uint32_t pasid;
	uint32_t grpid;
	uint32_t perm;
	uint64_t addr;
	uint32_t length;
	uint32_t cookie;
};
/** iommuctl_fault_alloc() - IOMMU_FAULT_QUEUE_ALLOC; the session keeps the fd. */
int iommuctl_fault_alloc(struct iommuctl_session *s, struct iommuctl_obj **out);
/**
 * iommuctl_fault_read() - read pending faults from the queue's fd
 * @fault: fault queue
 * @recs: (out) records
 * @max: capacity (at least one fault group's worth; 64 is plenty)
 * @n: (out) records read
 * @timeout_ms: wait this long for a first fault; 0 does not wait
 *
 * Return: 0 (also when none arrived: @n is 0), -errno.
 */
int iommuctl_fault_read(struct iommuctl_obj *fault,
			struct iommuctl_fault_record *recs, size_t max,
			size_t *n, int timeout_ms);
/** iommuctl_fault_respond() - answer a fault group (code 0 success, 1 invalid). */
int iommuctl_fault_respond(struct iommuctl_obj *fault, uint32_t cookie,
			   uint32_t code);

/** iommuctl_viommu_alloc() - IOMMU_VIOMMU_ALLOC over a nest-parent @hwpt. */
int iommuctl_viommu_alloc(struct iommuctl_session *s, struct iommuctl_obj *dev,
			  struct iommuctl_obj *hwpt, uint32_t type,
			  struct iommuctl_obj **out);
/** iommuctl_vdevice_alloc() - IOMMU_VDEVICE_ALLOC. */
int iommuctl_vdevice_alloc(struct iommuctl_obj *viommu,
			   struct iommuctl_obj *dev, uint64_t virt_id,
			   struct iommuctl_obj **out);
/** iommuctl_veventq_alloc() - IOMMU_VEVENTQ_ALLOC; the session keeps the fd. */
int iommuctl_veventq_alloc(struct iommuctl_obj *viommu, uint32_t type,
			   uint32_t depth, struct iommuctl_obj **out);
/**
 * iommuctl_veventq_read() - read raw events from a vEVENTQ fd
 * @q: the queue
 * @buf: (out) bytes: repeated {u32 flags, u32 sequence} headers + payload
 * @len: capacity
 * @got: (out) bytes read (0: none pending within @timeout_ms)
 * @timeout_ms: how long to wait
 */
int iommuctl_veventq_read(struct iommuctl_obj *q, void *buf, size_t len,
			  size_t *got, int timeout_ms);
/** iommuctl_hw_queue_alloc() - IOMMU_HW_QUEUE_ALLOC. */
int iommuctl_hw_queue_alloc(struct iommuctl_obj *viommu, uint32_t type,
			    uint32_t index, uint64_t iova, uint64_t length,
			    struct iommuctl_obj **out);

/* Selftest mock devices and accesses (CONFIG_IOMMUFD_TEST only) */
#define IOMMUCTL_DEV_MOCK_NO_DIRTY 0x1
#define IOMMUCTL_DEV_MOCK_HUGE_IOVA 0x2
#define IOMMUCTL_DEV_MOCK_PASID 0x4
/**
 * iommuctl_mock_device_create() - a selftest mock device attached to @pt
 * @s: session
 * @pt: IOAS or hwpt to attach it to
 * @flags: IOMMUCTL_DEV_MOCK_*
 * @out: the device object
 *
 * Return: 0; -ENOTTY on kernels without CONFIG_IOMMUFD_TEST; -errno.
 */
int iommuctl_mock_device_create(struct iommuctl_session *s,
				struct iommuctl_obj *pt, uint32_t flags,
				struct iommuctl_obj **out);
/**
 * iommuctl_vfio_device_bind() - open a VFIO device cdev and bind it
 * @s: session
 * @name: PCI address ("0000:00:03.0", "00:03.0") or cdev ("vfio0")
 * @out: the device object; destroying it closes the cdev
 *
 * The device must already be bound to a VFIO driver (vfio-pci).
 *
 * Return: 0; -ENODEV naming the driver it is bound to instead; -errno.
 */
int iommuctl_vfio_device_bind(struct iommuctl_session *s, const char *name,
			      struct iommuctl_obj **out);
/**
 * iommuctl_vfio_device_bind_fd() - bind an already open VFIO device cdev
 * @s: session
 * @fd: the open /dev/vfio/devices/vfioN (e.g. inherited from `iommuctl
 *	exec`); the device object owns it from now on, and it is closed on
 *	failure
 * @name: what to call the device in messages (NULL: "fd N")
 * @out: the device object
 *
 * Return: 0; -ENOTTY when @fd is not a VFIO device cdev; -errno as
 * iommuctl_vfio_device_bind().
 */
int iommuctl_vfio_device_bind_fd(struct iommuctl_session *s, int fd,
				 const char *name, struct iommuctl_obj **out);
/**
 * iommuctl_obj_get_fd() - the file descriptor behind an object
 *
 * For a VFIO device object its cdev (for region access with VFIO ioctls,
 * which stay the caller's business); for an access or fault queue its
 * kernel fd.
 *
 * Return: the fd, or -ENOENT for objects without one.
 */
int iommuctl_obj_get_fd(struct iommuctl_obj *o);
/**
 * iommuctl_device_attach() - attach a device to an IOAS or hwpt
 *
 * Attaching to an IOAS makes the kernel pick or create an automatic hwpt;
 * an attached VFIO device is moved (replace). Mock devices are always
 * attached; this replaces their attachment.
 *
 * Return: 0; -EADDRINUSE with iommuctl_session_error() naming the mapping or
 * allowed range that collides with the device's reserved regions; -errno.
 */
int iommuctl_device_attach(struct iommuctl_obj *dev, struct iommuctl_obj *pt);
/** iommuctl_device_detach() - detach a VFIO device (not possible for mocks). */
int iommuctl_device_detach(struct iommuctl_obj *dev);
/**
 * iommuctl_device_replace() - move a device to another IOAS or hwpt
 *
 * Mock devices use the selftest replace path; the kernel frees an automatic
 * hwpt nothing else uses any more.
 */
int iommuctl_device_replace(struct iommuctl_obj *dev, struct iommuctl_obj *pt);
/**
 * iommuctl_device_attach_pasid() - attach one PASID of a VFIO device
 * @dev: a VFIO device object
 * @pasid: the PASID
 * @pt: IOAS or hwpt (a paging hwpt must be allocated with the PASID flag)
 *
 * VFIO_DEVICE_ATTACH_IOMMUFD_PT with VFIO_DEVICE_ATTACH_PASID (Linux 6.15);
 * attaching an attached PASID again replaces its attachment.
 *
 * Return: 0; -EINVAL (older kernels, or a PASID out of range) and
 * -EOPNOTSUPP (the device or IOMMU cannot) with iommuctl_session_error();
 * -errno.
 */
int iommuctl_device_attach_pasid(struct iommuctl_obj *dev, uint32_t pasid,
				 struct iommuctl_obj *pt);
/** iommuctl_device_detach_pasid() - detach one PASID (its DMA is blocked). */
int iommuctl_device_detach_pasid(struct iommuctl_obj *dev, uint32_t pasid);
/**
 * iommuctl_device_get_pasids() - the device's PASID attachments
 * @pasids: (out, optional) up to @max PASIDs
 * @hwpts: (out, optional) the hwpt each is attached to
 * Return: the number of attachments (may exceed @max).
 */
size_t iommuctl_device_get_pasids(struct iommuctl_obj *dev, uint32_t *pasids,
				  struct iommuctl_obj **hwpts, size_t max);
/** iommuctl_mock_trigger_iopf() - make the mock device fault at @addr. */
int iommuctl_mock_trigger_iopf(struct iommuctl_obj *dev, uint32_t pasid,
			       uint32_t grpid, uint32_t perm, uint64_t addr);
/**
 * iommuctl_mock_set_dirty() - mark IOVAs dirty in a mock hwpt's page table
 * @hwpt: a paging hwpt of a mock device with dirty tracking
 * @iova: first IOVA
 * @length: bytes
 * @page_size: bytes per bit of @bitmap
 * @bitmap: which pages to mark
 * @nr_dirty: (out) how many pages the mock marked
 */
int iommuctl_mock_set_dirty(struct iommuctl_obj *hwpt, uint64_t iova,
			    uint64_t length, uint64_t page_size,
			    const uint64_t *bitmap, uint64_t *nr_dirty);
/** iommuctl_mock_trigger_vevent() - make the mock's vDEVICE raise an event. */
int iommuctl_mock_trigger_vevent(struct iommuctl_obj *dev);

#define IOMMUCTL_ACCESS_NEEDS_PIN 0x1
/** iommuctl_access_create() - a selftest access attached to @ioas. */
int iommuctl_access_create(struct iommuctl_session *s,
			   struct iommuctl_obj *ioas, uint32_t flags,
			   struct iommuctl_obj **out);
/**
 * iommuctl_access_pin() - pin IOVA pages through an access
 * @access: the access
 * @iova: first IOVA
 * @length: bytes
 * @write: pin for writing
 * @pin_id: (out) id for iommuctl_access_unpin()
 */
int iommuctl_access_pin(struct iommuctl_obj *access, uint64_t iova,
			uint64_t length, bool write, uint32_t *pin_id);
/** iommuctl_access_unpin() - release pages pinned by iommuctl_access_pin(). */
int iommuctl_access_unpin(struct iommuctl_obj *access, uint32_t pin_id);
/**
 * iommuctl_access_rw() - read or write IOVA through an access
 * @access: the access
 * @iova: first IOVA
 * @buf: data to write, or buffer to read into
 * @len: bytes
 * @write: direction
 */
int iommuctl_access_rw(struct iommuctl_obj *access, uint64_t iova, void *buf,
		       size_t len, bool write);
/**
 * iommuctl_access_replace() - move the access to another IOAS
 *
 * Pinned pages do not prevent it: the kernel first tells the access to
 * unpin everything in the old IOAS (the selftest access drops its pins).
 */
int iommuctl_access_replace(struct iommuctl_obj *access,
			    struct iommuctl_obj *ioas);

/**
 * iommuctl_parse_size() - parse a size or address argument
 * @text: decimal ("4096"), hex ("0x1000") or a number with a binary suffix
 *	k/K, m/M, g/G, t/T, optionally followed by "iB" or "B" ("4k", "2M",
 *	"1GiB"); hex takes no suffix
 * @out: (out) the value
 *
 * Return: 0, -EINVAL for malformed text, -ERANGE if it exceeds 64 bits.
 */
int iommuctl_parse_size(const char *text, uint64_t *out);

/**
 * DOC: IOMMU debugfs
 *
 * What the IOMMU drivers print under /sys/kernel/debug/iommu: Intel VT-d
 * registers (intel/iommu_regset), root/context/PASID entries
 * (intel/dmar_translation_struct), the invalidation queue
 * (intel/invalidation_queue), the interrupt remapping table
 * (intel/ir_translation_struct) and page tables
 * (intel/<BDF>/[<pasid>/]domain_translation_struct, 6.7+; one global
 * intel/domain_translation_struct before); and from the AMD-Vi driver (6.17+)
 * the command buffer of each unit (amd/iommuXX/cmdbuf). All of it is read
 * inside the context's root, parsed as untrusted text with bounded lines (a
 * malformed line is -EINVAL with an error text naming the file and line),
 * and handed out through callbacks or iterators so memory stays flat: what a
 * callback gets (strings included) is valid only during the call.
 *
 * Readers return -ENOENT when the running kernel does not have the file, and
 * iommuctl_debugfs_why() then says why (debugfs not mounted, a CONFIG_*
 * option off, a driver that exposes nothing) in words fit for a user.
 */

/**
 * iommuctl_debugfs_why() - why an IOMMU debugfs file is not there
 * @ctx: context
 * @file: path below /sys/kernel/debug/iommu ("intel/iommu_regset")
 * @why: (out) malloc'd text naming the missing piece and its fix, e.g.
 *	"debugfs is not mounted: mount -t debugfs none /sys/kernel/debug",
 *	"this kernel was built without CONFIG_INTEL_IOMMU_DEBUGFS (off in most
 *	distribution kernels)", or "the AMD-Vi driver never prints page
 *	tables in debugfs"; on AMD-Vi it tells a kernel before 6.17 (empty
 *	amd/iommuXX directories) from a later one; free() it
 *
 * Return: 0 if the file is there and readable (*@why NULL); -ENOENT when the
 * kernel does not offer it; -EACCES when it is there but this process may not
 * read it (debugfs is root-only); -ENOMEM.
 */
int iommuctl_debugfs_why(struct iommuctl_ctx *ctx, const char *file,
			 char **why);

/**
 * struct iommuctl_vtd_reg - one register line of intel/iommu_regset
 * @name: register name as printed ("GSTS", "MTRR_PHYSBASE0")
 * @offset: offset in the register block
 * @value: contents (32-bit registers zero-extended)
 */
struct iommuctl_vtd_reg {
	const char *name;
	uint32_t offset;
	uint64_t value;
};

/**
 * struct iommuctl_vtd_regset - the registers of one VT-d unit
 * @unit: unit name ("dmar0")
 * @base: register base address
 * @regs: registers in file order
 * @nregs: entries in @regs
 */
struct iommuctl_vtd_regset {
	const char *unit;
	uint64_t base;
	const struct iommuctl_vtd_reg *regs;
	size_t nregs;
};

/**
 * iommuctl_vtd_regsets() - read intel/iommu_regset
 * @ctx: context
 * @cb: called once per unit; a nonzero return stops and is returned
 * @arg: for @cb
 *
 * Return: 0, @cb's nonzero return, -ENOENT (see iommuctl_debugfs_why()),
 * -EINVAL on malformed text (iommuctl_debugfs_error() says where), -errno.
 */
int iommuctl_vtd_regsets(struct iommuctl_ctx *ctx,
			 int (*cb)(const struct iommuctl_vtd_regset *rs,
				   void *arg),
			 void *arg);
/** iommuctl_vtd_regset_find() - the value of register @name (case ignored),
 * or -ENOENT. */
int iommuctl_vtd_regset_find(const struct iommuctl_vtd_regset *rs,
			     const char *name, uint64_t *value);
/**
 * iommuctl_debugfs_error() - what the last debugfs parse of @ctx found
 * wrong ("intel/iommu_regset line 7: expected NAME 0xOFFSET 0xVALUE"), or
 * NULL. Owned by @ctx, valid until the next debugfs call.
 */
const char *iommuctl_debugfs_error(struct iommuctl_ctx *ctx);

/**
 * iommuctl_vtd_gsts_fields() - fields of the VT-d GSTS_REG (TES, RTPS, FLS,
 * AFLS, WBFS, QIES, IRES, IRTPS, CFIS), as iommuctl_vtd_cap_fields()
 */
const struct iommuctl_regfield *iommuctl_vtd_gsts_fields(unsigned int *n);
/** iommuctl_vtd_fsts_fields() - fields of the VT-d FSTS_REG. */
const struct iommuctl_regfield *iommuctl_vtd_fsts_fields(unsigned int *n);
/** iommuctl_vtd_rtaddr_fields() - RTADDR_REG (TTM: legacy/scalable, RTA). */
const struct iommuctl_regfield *iommuctl_vtd_rtaddr_fields(unsigned int *n);

/**
 * enum iommuctl_vtd_ttype - what a context or PASID entry tells the unit to do
 * @IOMMUCTL_VTD_TT_UNKNOWN: a reserved encoding
 * @IOMMUCTL_VTD_TT_MULTI_LEVEL: legacy context TT=0, second-stage table
 * @IOMMUCTL_VTD_TT_DEV_IOTLB: legacy TT=1, second-stage table with ATS
 * @IOMMUCTL_VTD_TT_PASS_THROUGH: legacy TT=2 or PASID PGTT=4
 * @IOMMUCTL_VTD_TT_FIRST_STAGE: PASID PGTT=1
 * @IOMMUCTL_VTD_TT_SECOND_STAGE: PASID PGTT=2
 * @IOMMUCTL_VTD_TT_NESTED: PASID PGTT=3
 */
enum iommuctl_vtd_ttype {
	IOMMUCTL_VTD_TT_UNKNOWN = 0,
	IOMMUCTL_VTD_TT_MULTI_LEVEL,
	IOMMUCTL_VTD_TT_DEV_IOTLB,
	IOMMUCTL_VTD_TT_PASS_THROUGH,
	IOMMUCTL_VTD_TT_FIRST_STAGE,
	IOMMUCTL_VTD_TT_SECOND_STAGE,
	IOMMUCTL_VTD_TT_NESTED,
};
/** iommuctl_vtd_ttype_name() - "multi-level", "dev-iotlb", "pass-through",
 * "first-stage", "second-stage", "nested", "unknown". */
const char *iommuctl_vtd_ttype_name(enum iommuctl_vtd_ttype t);

/**
 * struct iommuctl_vtd_context - one row of intel/dmar_translation_struct
 * @unit: the unit ("dmar0")
 * @root_table: the unit's root table address
 * @bus: bus number
 * @devfn: device and function (slot << 3 | function)
 * @root: raw root entry, [0] high and [1] low qword as printed
 * @context: raw context entry, [0] high, [1] low
 * @scalable: the row is a scalable-mode PASID entry (@pasid >= 0)
 * @pasid: PASID of the row, -1 in legacy mode
 * @pasid_entry: raw PASID entry qwords as printed, [0] qword2, [1] qword1,
 *	[2] qword0; zero in legacy mode
 * @ttype: translation type (legacy context TT, or PASID entry PGTT)
 * @domain_id: DID (context hi bits 23:8, or PASID entry qword1 bits 15:0)
 * @address_width: bits the table translates (39, 48, 57; 0 if reserved):
 *	legacy context AW or PASID entry AW (second-stage, nested,
 *	pass-through), or for first-stage the PASID entry's FLPM (qword2
 *	bits 3:2: 48 for 4-level, 57 for 5-level)
 * @table: page table root: second-stage pointer (legacy context lo, PASID
 *	qword0) or first-stage pointer (PASID qword2) by @ttype; 0 for
 *	pass-through
 * @pasid_dir: scalable mode: the PASID directory of the context entry
 * @present: context (legacy) or PASID (scalable) entry present bit
 * @fault_disable: FPD bit of the same entry
 */
struct iommuctl_vtd_context {
	const char *unit;
	uint64_t root_table;
	uint8_t bus, devfn;
	uint64_t root[2];
	uint64_t context[2];
	bool scalable;
	int32_t pasid;
	uint64_t pasid_entry[3];
	enum iommuctl_vtd_ttype ttype;
	uint16_t domain_id;
	unsigned int address_width;
	uint64_t table;
	uint64_t pasid_dir;
	bool present;
	bool fault_disable;
};

/**
 * struct iommuctl_vtd_unit_state - a unit header of a VT-d debugfs file
 * @unit: unit name
 * @enabled: false for "DMA Remapping is not enabled on dmarN" (or, for the
 *	interrupt remapping table, "Interrupt Remapping is not enabled")
 * @table: root table / IR table / queue base address as printed, else 0
 */
struct iommuctl_vtd_unit_state {
	const char *unit;
	bool enabled;
	uint64_t table;
};

/**
 * iommuctl_vtd_contexts() - read intel/dmar_translation_struct
 * @ctx: context
 * @unit_cb: (optional) called for each unit header, before its rows
 * @cb: called for each row
 * @arg: for both
 *
 * Return: as iommuctl_vtd_regsets().
 */
int iommuctl_vtd_contexts(struct iommuctl_ctx *ctx,
			  int (*unit_cb)(const struct iommuctl_vtd_unit_state *u,
					 void *arg),
			  int (*cb)(const struct iommuctl_vtd_context *c,
				    void *arg),
			  void *arg);

/**
 * enum iommuctl_vtd_qi_status - status the kernel keeps per queue slot
 */
enum iommuctl_vtd_qi_status {
	IOMMUCTL_VTD_QI_FREE = 0,
	IOMMUCTL_VTD_QI_IN_USE = 1,
	IOMMUCTL_VTD_QI_DONE = 2,
	IOMMUCTL_VTD_QI_ABORT = 3,
};

/**
 * struct iommuctl_vtd_qi_desc - one slot of the invalidation queue
 * @index: slot number
 * @qw: descriptor qwords; @qw[2] and @qw[3] are 0 for 128-bit descriptors
 * @status: the kernel's slot status (raw; see enum iommuctl_vtd_qi_status)
 * @type: descriptor type, qw0 bits 3:0 | bits 11:9 << 4
 * @type_name: "context-cache", "iotlb", "dev-tlb", "iec", "wait",
 *	"pasid-iotlb", "pasid-cache", "pasid-dev-tlb", "page-response",
 *	"unknown"
 */
struct iommuctl_vtd_qi_desc {
	unsigned int index;
	uint64_t qw[4];
	uint64_t status;
	unsigned int type;
	const char *type_name;
};

/**
 * struct iommuctl_vtd_qi - the invalidation queue of one unit
 * @unit: unit name
 * @base: queue base address
 * @head: head, in descriptors
 * @tail: tail, in descriptors
 * @wide: 256-bit descriptors (scalable-mode capable unit)
 */
struct iommuctl_vtd_qi {
	const char *unit;
	uint64_t base;
	uint64_t head, tail;
	bool wide;
};

/**
 * iommuctl_vtd_invalidation_queues() - read intel/invalidation_queue
 * @ctx: context
 * @unit_cb: (optional) called per unit before its slots
 * @cb: called for every slot
 * @arg: for both
 */
int iommuctl_vtd_invalidation_queues(
	struct iommuctl_ctx *ctx,
	int (*unit_cb)(const struct iommuctl_vtd_qi *q, void *arg),
	int (*cb)(const struct iommuctl_vtd_qi *q,
		  const struct iommuctl_vtd_qi_desc *d, void *arg),
	void *arg);

/**
 * struct iommuctl_amd_cmdbuf - the command buffer of one AMD-Vi unit
 * @unit: the unit's debugfs name ("iommu00")
 * @index: the driver's index of the unit (the number in @unit). The kernel
 *	names a unit after this index twice: "iommu%02d" in debugfs and
 *	"ivhd%d" in /sys/class/iommu, so iommu01 is ivhd1. The index counts the
 *	units in the order the driver found them (the IVHD order of the ACPI
 *	IVRS table), so in practice ivhd0, ivhd1, ... follow the IVHD order.
 * @head: command buffer head as printed: the slot the unit reads next
 *	(the head pointer register >> 4: a slot number, 16-byte slots)
 * @tail: command buffer tail as printed: the slot the driver writes next;
 *	@head == @tail when the unit has run every command
 */
struct iommuctl_amd_cmdbuf {
	const char *unit;
	unsigned int index;
	uint64_t head, tail;
};

/**
 * struct iommuctl_amd_cmd - one slot of an AMD-Vi command buffer
 * @index: slot number
 * @dw: the four 32-bit words of the command as printed, [0] first
 * @opcode: command type, @dw[1] bits 31:28
 * @name: its name in the AMD IOMMU specification: "COMPLETION_WAIT",
 *	"INVALIDATE_DEVTAB_ENTRY", "INVALIDATE_IOMMU_PAGES",
 *	"INVALIDATE_IOTLB_PAGES", "INVALIDATE_INTERRUPT_TABLE",
 *	"PREFETCH_IOMMU_PAGES", "COMPLETE_PPR_REQUEST", "INVALIDATE_IOMMU_ALL",
 *	"INSERT_GUEST_EVENT", "RESET_VMMIO"; "unknown" for other opcodes
 *	(0 in a slot never written)
 */
struct iommuctl_amd_cmd {
	unsigned int index;
	uint32_t dw[4];
	unsigned int opcode;
	const char *name;
};

/**
 * iommuctl_amd_cmdbufs() - read amd/iommuXX/cmdbuf of every AMD-Vi unit
 * @ctx: context
 * @unit_cb: (optional) called per unit, in index order, before its slots
 * @cb: called for every slot
 * @arg: for both
 *
 * The command buffer is AMD-Vi's invalidation queue: the driver writes
 * commands at the tail, the unit runs them from the head. The files came
 * with Linux 6.17; before, amd/iommuXX are empty directories and this
 * returns -ENOENT (iommuctl_debugfs_why() on "amd/iommu00/cmdbuf" says so).
 * The other AMD-Vi files (amd/devid with amd/devtbl and amd/irqtbl, and
 * amd/iommuXX/mmio and capability) show something only after a write to a
 * file whose setting every reader shares; they are not read.
 *
 * Return: as iommuctl_vtd_regsets().
 */
int iommuctl_amd_cmdbufs(struct iommuctl_ctx *ctx,
			 int (*unit_cb)(const struct iommuctl_amd_cmdbuf *b,
					void *arg),
			 int (*cb)(const struct iommuctl_amd_cmdbuf *b,
				   const struct iommuctl_amd_cmd *c, void *arg),
			 void *arg);

/**
 * struct iommuctl_vtd_irte - one entry of intel/ir_translation_struct
 * @index: entry index in the interrupt remapping table
 * @source_id: requester ID the entry accepts (bus << 8 | devfn)
 * @posted: from the posted-interrupt section
 * @dest_id: the DST field (remapped entries; 0 for posted): the APIC ID
 *	itself in x2APIC mode (IRTA.EIME set), the APIC ID in bits 15:8 in
 *	xAPIC mode
 * @pda: posted descriptor address (posted entries)
 * @vector: vector
 * @high: raw IRTE bits 127:64
 * @low: raw IRTE bits 63:0
 * @fpd: fault processing disable (low bit 1)
 * @dest_logical: destination mode logical (low bit 2; remapped entries only)
 * @level: level-triggered (low bit 4; remapped entries only)
 * @delivery_mode: low bits 7:5 (0 fixed, 1 lowest priority, ...; remapped
 *	entries only, 0 for posted)
 * @svt: source validation type (high bits 19:18)
 * @sq: source-id qualifier (high bits 17:16)
 */
struct iommuctl_vtd_irte {
	unsigned int index;
	uint16_t source_id;
	bool posted;
	uint32_t dest_id;
	uint64_t pda;
	uint8_t vector;
	uint64_t high, low;
	bool fpd, dest_logical, level;
	unsigned int delivery_mode;
	unsigned int svt, sq;
};

/**
 * iommuctl_vtd_irtes() - read intel/ir_translation_struct
 * @ctx: context
 * @unit_cb: (optional) called per unit and section (remapped, then posted)
 *	with the table address, or enabled false when remapping is off
 * @cb: called per entry
 * @arg: for both
 */
int iommuctl_vtd_irtes(struct iommuctl_ctx *ctx,
		       int (*unit_cb)(const struct iommuctl_vtd_unit_state *u,
				      bool posted, void *arg),
		       int (*cb)(const struct iommuctl_vtd_unit_state *u,
				 const struct iommuctl_vtd_irte *e, void *arg),
		       void *arg);

/**
 * DOC: page tables
 *
 * An iommuctl_pgtable reads a page-table dump (VT-d
 * domain_translation_struct) as a stream: leaves one at a time, or ranges
 * of leaves merged, without holding the dump in memory.
 *
 *	iommuctl_pgtable_new(ctx, &pt);
 *	iommuctl_pgtable_open(pt, "0000:00:03.0", -1);
 *	while ((rc = iommuctl_pgtable_next_range(pt, &r)) > 0)
 *		...;
 *	iommuctl_pgtable_free(pt);
 */
struct iommuctl_pgtable;

/**
 * enum iommuctl_pgtable_merge - how leaves are merged into ranges
 * @IOMMUCTL_PGTABLE_MERGE_PHYS: contiguous IOVAs and physical addresses,
 *	same page size and permissions (the default)
 * @IOMMUCTL_PGTABLE_MERGE_IOVA: contiguous IOVAs, same page size and
 *	permissions, physical addresses anywhere
 * @IOMMUCTL_PGTABLE_MERGE_NONE: one range per leaf
 */
enum iommuctl_pgtable_merge {
	IOMMUCTL_PGTABLE_MERGE_PHYS = 0,
	IOMMUCTL_PGTABLE_MERGE_IOVA,
	IOMMUCTL_PGTABLE_MERGE_NONE,
};

/**
 * enum iommuctl_pgtable_state - what the dump said about the table
 * @IOMMUCTL_PGTABLE_TABLE: a table (possibly with no leaves)
 * @IOMMUCTL_PGTABLE_NO_TABLE: the file is empty: the device's domain has no
 *	page table (identity/pass-through, blocked, or no context entry)
 * @IOMMUCTL_PGTABLE_DISABLED: "DMA Remapping is not enabled" on the unit
 */
enum iommuctl_pgtable_state {
	IOMMUCTL_PGTABLE_TABLE = 0,
	IOMMUCTL_PGTABLE_NO_TABLE,
	IOMMUCTL_PGTABLE_DISABLED,
};

/**
 * struct iommuctl_pgtable_leaf - one leaf entry of the table
 * @iova: first IOVA it translates
 * @size: bytes (4 KiB, 2 MiB, 1 GiB, ...)
 * @phys: physical address it translates @iova to
 * @perm: IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE from the leaf (bit 0, bit 1)
 * @level: 1 for a PTE, 2 for a PDE (2 MiB), 3 for a PDPE (1 GiB), ...
 * @entry: the raw entries on the walk as printed: [0] PML5E, [1] PML4E,
 *	[2] PDPE, [3] PDE, [4] PTE; 0 where nothing was printed
 * @line: line number in the dump
 */
struct iommuctl_pgtable_leaf {
	uint64_t iova;
	uint64_t size;
	uint64_t phys;
	unsigned int perm;
	unsigned int level;
	uint64_t entry[5];
	uint64_t line;
};

/**
 * struct iommuctl_pgtable_range - leaves merged
 * @start: first IOVA
 * @last: last IOVA (inclusive)
 * @phys: physical address of @start
 * @phys_contiguous: the physical addresses follow the IOVAs throughout
 * @page_size: leaf size of every leaf in the range
 * @perm: IOMMUCTL_MAP_*
 * @leaves: number of leaves
 * @first: the first leaf (raw entries, line)
 */
struct iommuctl_pgtable_range {
	uint64_t start;
	uint64_t last;
	uint64_t phys;
	bool phys_contiguous;
	uint64_t page_size;
	unsigned int perm;
	uint64_t leaves;
	struct iommuctl_pgtable_leaf first;
};

/** iommuctl_pgtable_new() - a reader; -ENOMEM. */
int iommuctl_pgtable_new(struct iommuctl_ctx *ctx,
			 struct iommuctl_pgtable **out);
/** iommuctl_pgtable_free() - close and free (NULL is fine). */
void iommuctl_pgtable_free(struct iommuctl_pgtable *pt);
/** iommuctl_pgtable_set_merge() - before the first next_range(). */
void iommuctl_pgtable_set_merge(struct iommuctl_pgtable *pt,
				enum iommuctl_pgtable_merge merge);
/**
 * iommuctl_pgtable_open() - open the table of a device
 * @pt: reader
 * @device: PCI address ("0000:00:03.0"; "00:03.0" means segment 0)
 * @pasid: a PASID, or -1 for the device's RID table
 *
 * Opens intel/<device>/[<pasid in hex>/]domain_translation_struct (6.7+),
 * else the global intel/domain_translation_struct of older kernels, read
 * only for @device's section.
 *
 * Return: 0; -ENOENT with iommuctl_pgtable_error() saying why (no such
 * device in debugfs, no PASID attached, or iommuctl_debugfs_why()'s
 * reason); -EACCES; -errno.
 */
int iommuctl_pgtable_open(struct iommuctl_pgtable *pt, const char *device,
			  int64_t pasid);
/**
 * iommuctl_pgtable_open_fd() - read a saved dump from @fd (not closed)
 * @pt: reader
 * @fd: file descriptor
 * @name: file name for error texts
 * @device: (optional) only this device's section of a multi-device dump
 *
 * Both open calls read up to the first section header, so the state,
 * device, PASID and root are known when they return.
 *
 * Return: 0; -ENOENT when @device is given and the dump has sections of
 * other devices only; -EINVAL when a line before the first section is
 * malformed (iommuctl_pgtable_error() names it); -errno.
 */
int iommuctl_pgtable_open_fd(struct iommuctl_pgtable *pt, int fd,
			     const char *name, const char *device);
/**
 * iommuctl_pgtable_next_leaf() - the next leaf, in IOVA order
 *
 * Return: 1 and *@leaf filled; 0 at the end; -EINVAL on a malformed line
 * (iommuctl_pgtable_error() names it); -errno.
 */
int iommuctl_pgtable_next_leaf(struct iommuctl_pgtable *pt,
			       struct iommuctl_pgtable_leaf *leaf);
/** iommuctl_pgtable_next_range() - the next range; as next_leaf(). */
int iommuctl_pgtable_next_range(struct iommuctl_pgtable *pt,
				struct iommuctl_pgtable_range *range);
/** iommuctl_pgtable_get_state() - known once open returned. */
enum iommuctl_pgtable_state
iommuctl_pgtable_get_state(struct iommuctl_pgtable *pt);
/**
 * iommuctl_pgtable_get_device() - device of the section being read (that of
 * the last leaf or range returned; after open, the first section), or NULL
 * when the dump has no section
 */
const char *iommuctl_pgtable_get_device(struct iommuctl_pgtable *pt);
/** iommuctl_pgtable_get_pasid() - PASID of the section, -1 if none printed. */
int64_t iommuctl_pgtable_get_pasid(struct iommuctl_pgtable *pt);
/** iommuctl_pgtable_get_root() - table root address of the section. */
uint64_t iommuctl_pgtable_get_root(struct iommuctl_pgtable *pt);
/** iommuctl_pgtable_get_levels() - table levels (3, 4, 5) seen, 0 before
 * the section's first leaf. */
unsigned int iommuctl_pgtable_get_levels(struct iommuctl_pgtable *pt);
/** iommuctl_pgtable_get_path() - the debugfs file (or name) being read. */
const char *iommuctl_pgtable_get_path(struct iommuctl_pgtable *pt);
/** iommuctl_pgtable_get_progress() - bytes and lines read so far. */
void iommuctl_pgtable_get_progress(struct iommuctl_pgtable *pt,
				   uint64_t *bytes, uint64_t *lines);
/** iommuctl_pgtable_error() - why the last call failed, or NULL. */
const char *iommuctl_pgtable_error(struct iommuctl_pgtable *pt);

/**
 * enum iommuctl_pgtable_diff_kind - a way the table differs from the IOAS
 * @IOMMUCTL_PGTABLE_DIFF_MISSING: the IOAS maps it, the table does not
 * @IOMMUCTL_PGTABLE_DIFF_EXTRA: the table maps it, the IOAS does not
 * @IOMMUCTL_PGTABLE_DIFF_PERM: both map it, with other permissions
 * @IOMMUCTL_PGTABLE_DIFF_PHYS: both map it, to another physical page than
 *	the one the IOAS mapping pinned
 */
enum iommuctl_pgtable_diff_kind {
	IOMMUCTL_PGTABLE_DIFF_MISSING = 0,
	IOMMUCTL_PGTABLE_DIFF_EXTRA,
	IOMMUCTL_PGTABLE_DIFF_PERM,
	IOMMUCTL_PGTABLE_DIFF_PHYS,
};
/** iommuctl_pgtable_diff_kind_name() - "missing", "extra", "perm", "phys". */
const char *iommuctl_pgtable_diff_kind_name(enum iommuctl_pgtable_diff_kind k);

/**
 * struct iommuctl_pgtable_diff - one difference, pages of one kind merged
 * @kind: what differs
 * @start: first IOVA
 * @last: last IOVA (inclusive)
 * @want_perm: permissions of the IOAS mapping (0 for EXTRA)
 * @have_perm: permissions in the table (0 for MISSING)
 * @want_phys: physical address the IOAS pinned at @start (PHYS), else 0
 * @have_phys: physical address in the table at @start (PHYS, EXTRA), else 0
 * @mapping_iova: IOVA of the IOAS mapping concerned (not EXTRA)
 */
struct iommuctl_pgtable_diff {
	enum iommuctl_pgtable_diff_kind kind;
	uint64_t start, last;
	unsigned int want_perm, have_perm;
	uint64_t want_phys, have_phys;
	uint64_t mapping_iova;
};

/**
 * struct iommuctl_pgtable_verify_result - what verify compared
 * @device: PCI address whose table was read (owned by the session object)
 * @pasid: PASID of the table, or -1
 * @hwpt: the hwpt the device (or PASID) is attached to
 * @ioas: the IOAS compared against
 * @mappings: IOAS mappings compared
 * @bytes: bytes of IOVA the IOAS maps
 * @leaves: leaves in the table
 * @differences: differences reported
 * @phys_checked: physical addresses were compared
 * @phys_note: when not (or only partly), why: static text ("/proc/self/pagemap
 *	hides page frames without CAP_SYS_ADMIN"), else NULL
 */
struct iommuctl_pgtable_verify_result {
	const char *device;
	int64_t pasid;
	struct iommuctl_obj *hwpt;
	struct iommuctl_obj *ioas;
	uint64_t mappings;
	uint64_t bytes;
	uint64_t leaves;
	uint64_t differences;
	bool phys_checked;
	const char *phys_note;
};

/**
 * iommuctl_pgtable_verify() - compare a device's table with its IOAS
 * @dev: a VFIO device object of the session, attached (for @pasid >= 0,
 *	attached at that PASID)
 * @pasid: -1 for the RID attachment
 * @ioas: (optional) compare with this IOAS instead of the one the attached
 *	hwpt belongs to
 * @cb: (optional) called per difference, in IOVA order; nonzero stops
 * @arg: for @cb
 * @res: (out) what was compared
 *
 * Every IOVA page an IOAS mapping holds must be in the table with the
 * mapping's permissions and, where /proc/self/pagemap shows page frames
 * (root), at the physical page the mapping pinned; the table must hold
 * nothing else.
 *
 * Return: 0 when the comparison ran (res->differences says if it matched);
 * -ENOTCONN with iommuctl_session_error() when @dev is not attached;
 * -EOPNOTSUPP for hwpts that are not paging tables of an IOAS (nested),
 * -ENOENT when the table cannot be read (iommuctl_session_error() says why);
 * @cb's nonzero return; -errno.
 */
int iommuctl_pgtable_verify(struct iommuctl_obj *dev, int64_t pasid,
			    struct iommuctl_obj *ioas,
			    int (*cb)(const struct iommuctl_pgtable_diff *d,
				      void *arg),
			    void *arg,
			    struct iommuctl_pgtable_verify_result *res);

struct iommuctl_bundle;

/**
 * struct iommuctl_report_opts - what iommuctl_report_collect() records
 * @prefix: top directory of every member ("iommuctl-report-..."), or NULL
 * @no_debugfs: leave /sys/kernel/debug/iommu out
 * @file_max: bytes per sysfs, procfs or ACPI file (0: 1 MiB)
 * @debugfs_max: bytes per debugfs file (0: 16 MiB)
 * @timeout_ms: time per file read (0: 5000)
 * @progress: (optional) called before each file is read, and once at the
 *	end with @path NULL; @files and @bytes count what was recorded
 * @missing: (optional) called for everything left out and why: a file too
 *	large, too slow, unreadable (@err is -errno), or absent although a
 *	report should have it (the kernel configuration, the kernel log)
 * @node: (optional) called for each device node and directory under
 *	/dev/iommu and /dev/vfio with its stat (the bundle gets an empty
 *	regular file with the node's permission bits in its place)
 * @data: for the callbacks
 *
 * Zero-initialise and set what you need.
 */
struct iommuctl_report_opts {
	const char *prefix;
	bool no_debugfs;
	uint64_t file_max;
	uint64_t debugfs_max;
	unsigned int timeout_ms;
	void (*progress)(void *data, const char *path, uint64_t files,
			 uint64_t bytes);
	void (*missing)(void *data, const char *path, int err,
			const char *reason);
	void (*node)(void *data, const char *path, const struct stat *st);
	void *data;
};

/**
 * iommuctl_report_collect() - record the IOMMU-relevant tree in a bundle
 * @ctx: library context (its root is what is recorded)
 * @b: bundle being written
 * @opts: (optional) limits and callbacks
 *
 * Records, below @opts->prefix, a tree that iommuctl_set_root() reads back:
 * /sys/kernel/iommu_groups, /sys/class/iommu and the devices of its units,
 * every PCI device (attributes, config space, driver links) and host
 * bridge, PCI drivers, vfio-dev, the iommufd/vfio module parameters, the
 * ACPI DMAR/IVRS/IORT/VIOT tables, /proc cmdline, version, interrupts and
 * devices, the kernel configuration, /sys/kernel/debug/iommu, placeholders
 * for /dev/iommu and /dev/vfio, and the IOMMU lines of the kernel log as
 * report/kernel-log.txt. Symlinks are recorded, never followed. Files
 * with side effects or device memory behind them (remove, reset, rescan,
 * resource*, rom, vpd) and write-only files are never opened. Each read
 * runs under @opts->timeout_ms in a worker thread; one that does not come
 * back is abandoned, and after 3 of them the remaining files are skipped.
 *
 * Return: 0 (files left out are reported through @opts->missing, not as
 * errors), or the first error writing the bundle, or -ENOMEM.
 */
int iommuctl_report_collect(struct iommuctl_ctx *ctx,
			    struct iommuctl_bundle *b,
			    const struct iommuctl_report_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* IOMMUCTL_LIBIOMMUCTL_H */
#include <iommuctl/diff.h>
