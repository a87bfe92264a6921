/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/*
 * <iommuctl/iommufd.h>: iommufd sessions and their objects: IOAS, hwpt, devices,
 * faults, vIOMMUs, accesses.
 * Part of libiommuctl; <iommuctl/libiommuctl.h> includes every part.
 */
#ifndef IOMMUCTL_IOMMUFD_H
#define IOMMUCTL_IOMMUFD_H

#include <iommuctl/topology.h>
#include <iommuctl/explain.h>

#ifdef __cplusplus
extern "C" {
#endif

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

/** enum iommuctl_obj_type - kinds of iommufd objects */
enum iommuctl_obj_type {
	IOMMUCTL_OBJ_IOAS = 1, /* I/O address space (IOMMU_IOAS_ALLOC) */
	/* paging hardware page table; made by IOMMU_HWPT_ALLOC or by the
	 * kernel when a device attaches to an IOAS */
	IOMMUCTL_OBJ_HWPT_PAGING,
	IOMMUCTL_OBJ_HWPT_NESTED, /* nested (stage-1) hardware page table */
	IOMMUCTL_OBJ_DEVICE, /* a bound device (VFIO cdev or selftest mock) */
	/* an in-kernel user of an IOAS (mdev-like); the kernel reports no id
	 * for it, only a file descriptor */
	IOMMUCTL_OBJ_ACCESS,
	IOMMUCTL_OBJ_FAULT, /* an I/O page fault queue and its fd */
	IOMMUCTL_OBJ_VIOMMU, /* a virtual IOMMU */
	IOMMUCTL_OBJ_VDEVICE, /* a device's identity behind a vIOMMU */
	IOMMUCTL_OBJ_VEVENTQ, /* a vIOMMU event queue and its fd */
	IOMMUCTL_OBJ_HW_QUEUE, /* a hardware queue of a vIOMMU */
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
/**
 * iommuctl_session_request_fds() - descriptors to wait on for the kernel
 * asking for a device back
 * @s: the session
 * @fds: filled with up to @max descriptors
 * @max: room in @fds
 *
 * Each VFIO device bound to the session gets an eventfd on its device request
 * interrupt (vfio-pci): the kernel signals it when it needs the device back,
 * for a hot-unplug or a driver unbind, and blocks until the device is closed.
 * Wait on these beside your input (poll() for reading), then call
 * iommuctl_session_release_requested().
 *
 * Return: how many descriptors (all of them if @max is large enough),
 * -EINVAL.
 */
int iommuctl_session_request_fds(struct iommuctl_session *s, int *fds,
				 size_t max);
/** iommuctl_release_fn - told of a device about to be released (its label,
 * name and sysfs name are still there) */
typedef void (*iommuctl_release_fn)(struct iommuctl_obj *dev, void *arg);
/**
 * iommuctl_session_release_requested() - give back the devices the kernel
 * asked for
 * @s: the session
 * @fn: called for each such device before it goes (may be NULL)
 * @arg: passed to @fn
 *
 * Each device whose request was signalled is unbound from the session, after
 * the objects that hold it (newest first), so that the kernel's removal goes
 * on. Nothing happens for devices not asked for.
 *
 * Return: how many devices were released, or -errno (the session's error
 * says why).
 */
int iommuctl_session_release_requested(struct iommuctl_session *s,
				       iommuctl_release_fn fn, void *arg);
/** iommuctl_session_fd() - the /dev/iommu file descriptor of @s. */
int iommuctl_session_fd(struct iommuctl_session *s);
/**
 * iommuctl_session_error() - why the last operation on @s failed
 *
 * Return: a sentence built from the session's model ("ioas 1 is in use by
 * hwpt-paging 3 (auto, of device 4); ..."), or NULL when the last operation
 * succeeded or there is nothing to add to the errno. Valid until the next
 * operation. It reads the context's one error slot (iommuctl_get_error()).
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
#define iommuctl_session_foreach(s, o) \
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
/** iommuctl_obj_get_session() - the session the object belongs to. */
struct iommuctl_session *iommuctl_obj_get_session(struct iommuctl_obj *o);
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
int iommuctl_obj_get_info_sz(struct iommuctl_obj *o,
			     struct iommuctl_obj_info *info, size_t size);
#define iommuctl_obj_get_info(o, info) \
	IOMMUCTL_SZ(iommuctl_obj_get_info, info, o, info)
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
int iommuctl_ioas_map_sz(struct iommuctl_obj *ioas,
			 const struct iommuctl_map_args *args, uint64_t *iova,
			 size_t size);
#define iommuctl_ioas_map(ioas, args, iova) \
	IOMMUCTL_SZ(iommuctl_ioas_map, args, ioas, args, iova)
/**
 * iommuctl_iova_gaps() - the gaps between IOVA ranges: from 0 to the first,
 * between each two, and from the last to 2^64 - 1 (all of it for none)
 * @r: the ranges, sorted and not overlapping (iommuctl_ioas_ranges())
 * @n: how many
 * @gaps: (out) room for @n + 1 ranges
 *
 * Return: how many gaps there are.
 */
size_t iommuctl_iova_gaps(const struct iommuctl_iova_range *r, size_t n,
			  struct iommuctl_iova_range *gaps);
/**
 * iommuctl_ioas_explain_hole() - what makes [@first, @last], a gap between
 * the usable ranges of @ioas, unusable: the reserved regions of the groups
 * of the session's devices attached to it (an msi region with its kind,
 * software or hardware window, and the driver rule that says so), the
 * ranges 'ioas reserve' took, a mock device's aperture, or the IOMMU's
 * input address size for a gap reaching the top
 *
 * Return: malloc'd text, "; " between several; NULL when nothing known
 * reserves it (or out of memory).
 */
char *iommuctl_ioas_explain_hole(struct iommuctl_obj *ioas, uint64_t first,
				 uint64_t last);
/** iommuctl_ioas_map_file() - map @args->path by fd (IOMMU_IOAS_MAP_FILE). */
int iommuctl_ioas_map_file_sz(struct iommuctl_obj *ioas,
			      const struct iommuctl_map_args *args,
			      uint64_t *iova, size_t size);
#define iommuctl_ioas_map_file(ioas, args, iova) \
	IOMMUCTL_SZ(iommuctl_ioas_map_file, args, ioas, args, iova)
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
int iommuctl_ioas_copy_sz(struct iommuctl_obj *dst, struct iommuctl_obj *src,
			  uint64_t src_iova, uint64_t length,
			  const struct iommuctl_map_args *args, uint64_t *iova,
			  size_t size);
#define iommuctl_ioas_copy(dst, src, src_iova, length, args, iova)        \
	IOMMUCTL_SZ(iommuctl_ioas_copy, args, dst, src, src_iova, length, \
		    args, iova)
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
int iommuctl_hwpt_alloc_sz(struct iommuctl_session *s,
			   const struct iommuctl_hwpt_args *args,
			   struct iommuctl_obj **out, size_t size);
#define iommuctl_hwpt_alloc(s, args, out) \
	IOMMUCTL_SZ(iommuctl_hwpt_alloc, args, s, args, out)
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
 * iommuctl_hwpt_dirty_pages() - the dirty pages of a range, as IOVAs
 * @hwpt: a paging hwpt with dirty tracking on
 * @iova: first IOVA
 * @length: bytes
 * @page_size: bytes per page (a power of two)
 * @no_clear: read without clearing
 * @pages: (out) the first IOVA of each dirty page, ascending; free() it
 * @n: (out) how many
 *
 * iommuctl_hwpt_get_dirty_bitmap() with the bitmap allocated and read.
 */
int iommuctl_hwpt_dirty_pages(struct iommuctl_obj *hwpt, uint64_t iova,
			      uint64_t length, uint64_t page_size,
			      bool no_clear, uint64_t **pages, size_t *n);
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
/** struct iommuctl_hw_info - IOMMU_GET_HW_INFO for a device */
struct iommuctl_hw_info {
	/* data type (1 VT-d, 2 SMMUv3, 4 AMD, 0xfeedbeef selftest, 0 none) */
	uint32_t type;
	/* the driver's data (malloc'd, free with the struct's owner) */
	void *data;
	uint32_t data_len; /* its length */
	uint64_t capabilities; /* IOMMUCTL_HW_CAP_*; 0 also when not reported */
	uint8_t max_pasid_log2; /* PASID width, 0 none or not reported */
};
/** iommuctl_device_hw_info() - ask the kernel; free(info->data) after. */
int iommuctl_device_hw_info_sz(struct iommuctl_obj *dev,
			       struct iommuctl_hw_info *info, size_t size);
#define iommuctl_device_hw_info(dev, info) \
	IOMMUCTL_SZ(iommuctl_device_hw_info, info, dev, info)

/* hw_info data types (struct iommuctl_hw_info.type) */
#define IOMMUCTL_HW_INFO_VTD 1
#define IOMMUCTL_HW_INFO_ARM_SMMUV3 2
#define IOMMUCTL_HW_INFO_AMD 4
#define IOMMUCTL_HW_INFO_SELFTEST 0xfeedbeef
/** iommuctl_hw_info_type_name() - "intel-vtd", "arm-smmuv3", ..., "unknown" */
const char *iommuctl_hw_info_type_name(uint32_t type);
/** iommuctl_hw_info_cap_name() - "dirty-tracking", ... for IOMMUCTL_HW_CAP_*
 * bit @bit, NULL for a bit without a name */
const char *iommuctl_hw_info_cap_name(unsigned int bit);

/** The most registers iommuctl_hw_info_decode() returns */
#define IOMMUCTL_HW_INFO_REGS 4
/**
 * struct iommuctl_hw_info_reg - one register of the driver's hw_info data
 * @name: "flags", "cap", "ecap" (VT-d), "idr", "iidr", "aidr" (SMMUv3),
 *	"efr", "efr2" (AMD), "test_reg" (selftest)
 * @count: values in @v: 1, or 6 for the SMMUv3 IDR0-5
 * @v: the values
 * @bit_names: names of the register's bits from bit 0, NULL-terminated;
 *	NULL when the bits have no names
 */
struct iommuctl_hw_info_reg {
	const char *name;
	unsigned int count;
	uint64_t v[6];
	const char *const *bit_names;
};
/**
 * iommuctl_hw_info_decode() - the registers of the driver's hw_info data
 * @hi: what iommuctl_device_hw_info() returned
 * @regs: (out) the registers, in the order of the kernel's struct
 * @max: capacity of @regs (IOMMUCTL_HW_INFO_REGS is enough)
 *
 * Return: the number of registers; 0 for a type without a known layout or
 * data too short for it; -ENOSPC when @max is too small.
 */
int iommuctl_hw_info_decode(const struct iommuctl_hw_info *hi,
			    struct iommuctl_hw_info_reg *regs, size_t max);
/**
 * iommuctl_hw_info_pasid_why() - why a PASID attach cannot work behind the
 * unit @hi describes, when its registers say so (an SMMUv3 without
 * SubstreamIDs: iommuctl_smmuv3_pasid_why())
 *
 * Return: a static sentence, or NULL (other units, or PASIDs possible).
 */
const char *iommuctl_hw_info_pasid_why(const struct iommuctl_hw_info *hi);

/* vtd-s1 stage-1 flags (struct iommuctl_hwpt_data.vtd_flags) */
#define IOMMUCTL_VTD_S1_SRE 0x1 /* supervisor requests enabled */
#define IOMMUCTL_VTD_S1_EAFE 0x2 /* extended access flag enabled */
#define IOMMUCTL_VTD_S1_WPE 0x4 /* write protect enabled */
/**
 * struct iommuctl_hwpt_data - the driver data of a nested hwpt, typed
 * @type: IOMMUCTL_HWPT_DATA_SELFTEST, _VTD_S1 or _ARM_SMMUV3
 * @iotlb: selftest: initial value of the mock IOTLB entries
 * @vtd_flags: vtd-s1: IOMMUCTL_VTD_S1_*
 * @pgtbl_addr: vtd-s1: the guest's stage-1 page table root (GPA)
 * @addr_width: vtd-s1: stage-1 address width, 48 or 57
 * @ste: arm-smmuv3: the first two 64-bit words of the guest STE
 */
struct iommuctl_hwpt_data {
	uint32_t type;
	uint32_t iotlb;
	uint32_t vtd_flags;
	uint64_t pgtbl_addr;
	uint32_t addr_width;
	uint64_t ste[2];
};
/**
 * iommuctl_hwpt_data_encode() - the bytes of IOMMU_HWPT_ALLOC data
 * @d: the parameters
 * @buf: (out) the data, in the kernel's layout for @d->type
 * @size: capacity of @buf (IOMMUCTL_HWPT_DATA_MAX is enough)
 *
 * Return: the data's length (struct iommuctl_hwpt_args.data_len);
 * -EOPNOTSUPP for another type, -EINVAL for a vtd-s1 address width not 48 or
 * 57, -ENOSPC when @size is too small.
 */
int iommuctl_hwpt_data_encode(const struct iommuctl_hwpt_data *d, void *buf,
			      size_t size);
#define IOMMUCTL_HWPT_DATA_MAX 24

/**
 * struct iommuctl_inval - the requests of one IOMMU_HWPT_INVALIDATE, typed
 * @type: IOMMUCTL_INVALIDATE_SELFTEST, _VTD_S1 or _ARM_SMMUV3
 * @all: selftest, vtd-s1: invalidate everything (one request)
 * @viommu: selftest: the requests go to a vIOMMU and carry @virt_id
 * @virt_id: selftest vIOMMU: the virtual id of the vDEVICE
 * @ids: selftest without @all: the mock IOTLB (or cache) entries, @n of them
 * @addr: vtd-s1 without @all: first address
 * @npages: vtd-s1 without @all: number of 4 KiB pages
 * @leaf: vtd-s1: only leaf entries changed
 * @cmds: arm-smmuv3: @n CMDQ commands of two 64-bit words
 * @n: entries in @ids or @cmds
 */
struct iommuctl_inval {
	uint32_t type;
	bool all;
	bool viommu;
	uint32_t virt_id;
	const uint32_t *ids;
	uint64_t addr;
	uint64_t npages;
	bool leaf;
	const uint64_t (*cmds)[2];
	unsigned int n;
};
/**
 * iommuctl_inval_encode() - the bytes of IOMMU_HWPT_INVALIDATE requests
 * @r: the requests
 * @buf: (out) the requests in the kernel's layout for @r->type
 * @size: capacity of @buf
 * @num: (out) how many requests @buf holds
 *
 * Return: bytes per request (for iommuctl_hwpt_invalidate()); -EOPNOTSUPP
 * for another type, -ENOSPC when @size is too small.
 */
int iommuctl_inval_encode(const struct iommuctl_inval *r, void *buf,
			  size_t size, uint32_t *num);

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
int iommuctl_fault_read_sz(struct iommuctl_obj *fault,
			   struct iommuctl_fault_record *recs, size_t max,
			   size_t *n, int timeout_ms, size_t size);
#define iommuctl_fault_read(fault, recs, max, n, timeout_ms) \
	IOMMUCTL_SZ(iommuctl_fault_read, recs, fault, recs, max, n, timeout_ms)
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
/**
 * struct iommuctl_vevent - one event of a vEVENTQ
 * @sequence: its sequence number
 * @lost_events: events were lost before it (the queue was full); such an
 *	event has no payload
 * @payload: the type's event record, inside the buffer read: selftest the
 *	vDEVICE's virtual id (u32), arm-smmuv3 a 32-byte event record,
 *	tegra241-cmdqv the 16-byte LVCMDQ error map
 * @len: its size (less than the type's if the buffer ends first)
 */
struct iommuctl_vevent {
	uint32_t sequence;
	bool lost_events;
	const unsigned char *payload;
	size_t len;
};
/**
 * iommuctl_vevent_next() - the next event in what iommuctl_veventq_read()
 * read
 * @buf: the bytes read
 * @got: how many
 * @type: the queue's type (IOMMUCTL_VEVENTQ_*)
 * @off: (in/out) where the next event starts, 0 for the first
 * @ev: (out) the event
 *
 * Return: 1 with @ev, 0 at the end. Events of a type whose payload size
 * is not known end after the first one that is not a lost-events marker.
 */
int iommuctl_vevent_next(const void *buf, size_t got, uint32_t type,
			 size_t *off, struct iommuctl_vevent *ev);
/** iommuctl_hw_queue_alloc() - IOMMU_HW_QUEUE_ALLOC. */
int iommuctl_hw_queue_alloc(struct iommuctl_obj *viommu, uint32_t type,
			    uint32_t index, uint64_t iova, uint64_t length,
			    struct iommuctl_obj **out);

/* Selftest mock devices and accesses (CONFIG_IOMMUFD_TEST only) */
#define IOMMUCTL_DEV_MOCK_NO_DIRTY 0x1
/* huge IOVA pages: Linux 6.7 to 6.18 only */
#define IOMMUCTL_DEV_MOCK_HUGE_IOVA 0x2
/* PASIDs (a 20-bit PASID width): Linux 6.15 */
#define IOMMUCTL_DEV_MOCK_PASID 0x4
/**
 * iommuctl_mock_device_create() - a selftest mock device attached to @pt
 * @s: session
 * @pt: IOAS or hwpt to attach it to
 * @flags: IOMMUCTL_DEV_MOCK_*
 * @out: the device object
 *
 * Return: 0; -ENOTTY, with iommuctl_session_error() saying why, on kernels
 * without CONFIG_IOMMUFD_TEST, for IOMMUCTL_DEV_MOCK_PASID before 6.15 and
 * for IOMMUCTL_DEV_MOCK_HUGE_IOVA since 6.19 (the kernel refuses the flag);
 * -errno.
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
 * struct iommuctl_hot_reset_dev - a device the kernel says a hot reset takes
 * @name: its PCI address ("0000:06:00.1")
 * @id: its IOMMU group id; with IOMMUCTL_HOT_RESET_DEV_ID in the flags its
 *	iommufd device id in the caller's iommufd instead: 0 (not bound, but
 *	its group is owned by that iommufd) or 0xffffffff (owned elsewhere)
 */
struct iommuctl_hot_reset_dev {
	char name[24];
	uint32_t id;
};
#define IOMMUCTL_HOT_RESET_DEV_ID (1u << 0)
#define IOMMUCTL_HOT_RESET_DEV_ID_OWNED (1u << 1)
/**
 * iommuctl_vfio_hot_reset_info() - VFIO_DEVICE_GET_PCI_HOT_RESET_INFO on a
 * device bound with iommuctl_vfio_device_bind(): which devices a hot
 * (slot or bus) reset of it would reset, as the kernel sees them
 * @dev: a VFIO device object
 * @flags: (out) the kernel's flags (IOMMUCTL_HOT_RESET_DEV_ID...)
 * @out: (out) the devices, free() them; NULL when none
 * @n: (out) how many
 *
 * Return: 0; -ENODEV: the kernel can do no slot or bus reset of the device
 * (a root bus device); -EINVAL; -ENOMEM; another -errno of the ioctl.
 */
int iommuctl_vfio_hot_reset_info(struct iommuctl_obj *dev, uint32_t *flags,
				 struct iommuctl_hot_reset_dev **out,
				 size_t *n);
/**
 * iommuctl_device_hot_reset_ask() - iommuctl_vfio_hot_reset_info() for a
 * device on vfio-pci, bound for the question to a throw-away iommufd
 * @ctx: context
 * @device: the device (PCI address or vfioN)
 * @flags: (out) as iommuctl_vfio_hot_reset_info(); 0 on error
 * @out: (out) the devices, free() them; NULL when none or on error
 * @n: (out) how many
 *
 * Return: as iommuctl_vfio_hot_reset_info(), or the -errno of opening
 * /dev/iommu or of binding the device.
 */
int iommuctl_device_hot_reset_ask(struct iommuctl_ctx *ctx, const char *device,
				  uint32_t *flags,
				  struct iommuctl_hot_reset_dev **out,
				  size_t *n);
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
 * iommuctl_device_attach_pasid() - attach one PASID of a device
 * @dev: a VFIO device object, or a mock made with IOMMUCTL_DEV_MOCK_PASID
 * @pasid: the PASID (not 0, which is the device itself)
 * @pt: IOAS or hwpt (a paging hwpt must be allocated with the PASID flag)
 *
 * VFIO_DEVICE_ATTACH_IOMMUFD_PT with VFIO_DEVICE_ATTACH_PASID, for a mock
 * the selftest's PASID_ATTACH (both Linux 6.15); attaching an attached
 * PASID again replaces its attachment (PASID_REPLACE for a mock). The
 * kernel also wants the device's own attachment PASID-compatible.
 *
 * Return: 0; -EINVAL (older kernels for VFIO, a PASID out of range, a hwpt
 * without the PASID flag) and -EOPNOTSUPP (the device or IOMMU cannot) with
 * iommuctl_session_error(); -ENOTTY for a mock on a kernel before 6.15;
 * -errno.
 */
int iommuctl_device_attach_pasid(struct iommuctl_obj *dev, uint32_t pasid,
				 struct iommuctl_obj *pt);
/**
 * iommuctl_device_detach_pasid() - detach one PASID (its DMA is blocked)
 *
 * Return: 0; -ENOENT for a mock's PASID that is not attached; -errno.
 */
int iommuctl_device_detach_pasid(struct iommuctl_obj *dev, uint32_t pasid);
/**
 * iommuctl_device_check_pasid() - the kernel's own answer about a PASID
 * @dev: a mock device object
 * @pasid: the PASID
 * @hwpt: the hwpt to check for, or NULL for "nothing attached"
 *
 * The selftest's PASID_CHECK_HWPT (Linux 6.15), independent of the
 * session's record. VFIO devices have no such question.
 *
 * Return: 1 when the kernel confirms, 0 when it does not; -EOPNOTSUPP for a
 * VFIO device, -ENOTTY before 6.15 (with iommuctl_session_error()); -errno.
 */
int iommuctl_device_check_pasid(struct iommuctl_obj *dev, uint32_t pasid,
				struct iommuctl_obj *hwpt);
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
/**
 * iommuctl_mock_mark_pages_dirty() - mark pages dirty as a device write would
 * @hwpt: a paging hwpt of a mock device with dirty tracking
 * @iova: first IOVA, a multiple of @page_size
 * @length: bytes, a multiple of @page_size
 * @page_size: the mock marks the first bytes of each page of this size
 * @nr_dirty: (out) how many entries the mock marked
 *
 * Builds the bitmap for iommuctl_mock_set_dirty() at the mock's own entry
 * size (half a CPU page), which is what the test command looks entries up
 * by, whatever @page_size is.
 */
int iommuctl_mock_mark_pages_dirty(struct iommuctl_obj *hwpt, uint64_t iova,
				   uint64_t length, uint64_t page_size,
				   uint64_t *nr_dirty);
/** iommuctl_mock_trigger_vevent() - make the mock's vDEVICE raise an event. */
int iommuctl_mock_trigger_vevent(struct iommuctl_obj *dev);

#define IOMMUCTL_ACCESS_NEEDS_PIN 0x1
/**
 * iommuctl_access_create() - a selftest access attached to @ioas
 *
 * The kernel gives an access no id: it is named access<N>, N one more than
 * the other accesses of @s, or the next free, to be found by.
 */
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
 * unpin everything in the old IOAS (the selftest access drops its pins),
 * and the session forgets them too. Moving to the IOAS it already uses
 * changes nothing, pins included.
 */
int iommuctl_access_replace(struct iommuctl_obj *access,
			    struct iommuctl_obj *ioas);

/**
 * struct iommuctl_access_pin - pages an access holds pinned
 * @id: the kernel's id of the pin (for iommuctl_access_unpin())
 * @write: pinned for writing
 * @iova: first IOVA
 * @length: bytes
 */
struct iommuctl_access_pin {
	uint32_t id;
	bool write;
	uint64_t iova;
	uint64_t length;
};
/**
 * iommuctl_access_get_pins() - the pins @access holds, in the order made
 * @access: the access
 * @n: (out) how many
 *
 * The session's record, kept as the kernel keeps its own: an unmap of the
 * IOAS over a pin, or moving the access to another IOAS, makes the kernel
 * have the access release it (the selftest access's unmap callback), and
 * the session drops it as well.
 *
 * Return: an array owned by @access, valid until its next change; NULL
 * (*@n 0) when there is none.
 */
const struct iommuctl_access_pin *
iommuctl_access_get_pins(struct iommuctl_obj *access, size_t *n);

/**
 * iommuctl_ioas_reserve() - reserve IOVAs of @ioas (selftest ADD_RESERVED)
 * @ioas: the IOAS
 * @iova: first IOVA
 * @length: bytes
 *
 * The selftest's IOMMU_TEST_CMD ADD_RESERVED (CONFIG_IOMMUFD_TEST): the
 * range leaves the usable ranges and the kernel refuses maps into it, as
 * for a device's reserved region. It lasts as long as the IOAS.
 *
 * Return: 0; -EOPNOTSUPP without the selftest; -EADDRINUSE with
 * iommuctl_session_error() naming the mapping or allowed range in the way;
 * -EINVAL (length 0), -EOVERFLOW; -errno.
 */
int iommuctl_ioas_reserve(struct iommuctl_obj *ioas, uint64_t iova,
			  uint64_t length);
/**
 * iommuctl_ioas_get_reserved() - ranges reserved by iommuctl_ioas_reserve()
 * @ioas: the IOAS
 * @n: (out) how many
 *
 * Return: an array owned by @ioas, or NULL (*@n 0).
 */
const struct iommuctl_iova_range *
iommuctl_ioas_get_reserved(struct iommuctl_obj *ioas, size_t *n);

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
 * iommuctl_parse_iova_range() - parse "START-LAST" or "START+SIZE"
 * @text: START and LAST (inclusive) or SIZE as for iommuctl_parse_size()
 * @r: (out) the range
 * @form: (out) on -EINVAL, the form @text fails: "START-LAST or START+SIZE"
 *	(neither), "START+SIZE" or "START-LAST, LAST inclusive"; else NULL
 *
 * Return: 0; -EINVAL for malformed text, an empty range or one past 2^64;
 * -ENOMEM.
 */
int iommuctl_parse_iova_range(const char *text, struct iommuctl_iova_range *r,
			      const char **form);

/**
 * iommuctl_parse_hex() - parse bytes written as hex, for
 * iommuctl_access_rw()
 * @text: "0xdeadbeef", "deadbeef", "de:ad:be:ef", "de-ad-be-ef" or
 *	"de ad be ef" (separators only between whole bytes)
 * @out: (out) the bytes, malloc'd (the caller frees them)
 * @len: (out) how many
 *
 * Return: 0, -EINVAL for an empty text, an odd digit count or a non-hex
 * character, -ENOMEM.
 */
int iommuctl_parse_hex(const char *text, unsigned char **out, size_t *len);
/**
 * iommuctl_hex() - @len bytes of @buf as lowercase hex ("deadbeef"),
 * malloc'd; NULL when out of memory
 */
char *iommuctl_hex(const void *buf, size_t len);

/* ---- SMMUv3 guest STEs (vSTE) and the MSI doorbell under nesting ------- */

/**
 * enum iommuctl_vste_config - what a guest STE asks for (STE.V and
 * STE.Config), the three Linux accepts for a nested hwpt
 * @IOMMUCTL_VSTE_INVALID: V=0; the kernel installs an abort STE
 * @IOMMUCTL_VSTE_ABORT: Config 0b000: every transaction aborts
 * @IOMMUCTL_VSTE_BYPASS: Config 0b100: stage 1 bypassed, stage 2 (the
 *	nest parent) translates the guest's IPAs
 * @IOMMUCTL_VSTE_S1_TRANSLATE: Config 0b101: the guest's CD table at
 *	@s1ctxptr, stage 1 then stage 2
 */
enum iommuctl_vste_config {
	IOMMUCTL_VSTE_INVALID = 0,
	IOMMUCTL_VSTE_ABORT,
	IOMMUCTL_VSTE_BYPASS,
	IOMMUCTL_VSTE_S1_TRANSLATE,
};
/** iommuctl_vste_config_name() - "invalid", "abort", "bypass", "s1-translate" */
const char *iommuctl_vste_config_name(enum iommuctl_vste_config c);

/**
 * struct iommuctl_vste - the fields of a guest STE that Linux lets a nested
 * hwpt set (STRTAB_STE_0/1_NESTING_ALLOWED), typed
 * @config: IOMMUCTL_VSTE_*
 * @s1ctxptr: s1-translate: guest-physical address of the CD table (64-byte
 *	aligned, below 2^52)
 * @s1fmt: s1-translate: CD table format, 0 linear, 1 2-level 4 KiB, 2
 *	2-level 64 KiB
 * @s1cdmax: s1-translate: log2 of the number of CDs (SubstreamID bits), 0-31
 * @s1dss: s1-translate: substream 0 without SSID: 0 terminate, 1 bypass,
 *	2 use CD 0
 * @eats: s1-translate: ATS translated requests (STE.EATS 1); else 0
 * @s1stalld: stage-1 stalls disabled
 * @s1cir, @s1cor, @s1csh: CD table walk cacheability and shareability
 */
struct iommuctl_vste {
	uint32_t config;
	uint64_t s1ctxptr;
	uint32_t s1fmt;
	uint32_t s1cdmax;
	uint32_t s1dss;
	bool eats;
	bool s1stalld;
	uint32_t s1cir, s1cor, s1csh;
};
/**
 * iommuctl_vste_encode() - the two words of a guest STE, as
 * arm_smmu_validate_vste() in Linux 6.13+ takes them
 * @v: the fields
 * @ste: (out) STE words 0 and 1 (CPU endian; iommuctl_hwpt_data_encode()
 *	makes them little endian)
 * @why: (out, optional) static text saying which field is out of range
 *
 * Return: 0; -EINVAL for a field the kernel would refuse (it answers EIO)
 * or out of its bits.
 */
int iommuctl_vste_encode(const struct iommuctl_vste *v, uint64_t ste[2],
			 const char **why);
/**
 * iommuctl_vste_decode() - the fields of STE words 0 and 1
 *
 * Return: 0; -EINVAL when a bit outside what Linux lets a guest set is on,
 * or the config is not abort, bypass or s1-translate (the kernel answers
 * EIO for such an STE); @v is filled either way.
 */
int iommuctl_vste_decode(const uint64_t ste[2], struct iommuctl_vste *v);

/**
 * iommuctl_hwpt_get_vste() - the guest STE an arm-smmuv3 nested hwpt was
 * allocated with (as given, CPU endian)
 *
 * Return: 0; -ENOENT for any other hwpt; -EINVAL for NULL.
 */
int iommuctl_hwpt_get_vste(struct iommuctl_obj *hwpt, uint64_t ste[2]);

/**
 * enum iommuctl_doorbell_where - which domain maps a device's MSI doorbell
 * @IOMMUCTL_DOORBELL_UNATTACHED: the device is attached to nothing
 * @IOMMUCTL_DOORBELL_EMULATED: attached through an access (an mdev): no
 *	IOMMU translates its DMA, no doorbell is mapped
 * @IOMMUCTL_DOORBELL_NO_WINDOW: its group lists no MSI window (or its
 *	reserved regions are unreadable): nothing to say
 * @IOMMUCTL_DOORBELL_HW_WINDOW: a hardware MSI window (x86): writes there
 *	are interrupts and bypass translation; no doorbell mapping anywhere
 * @IOMMUCTL_DOORBELL_PAGING: a software window; the kernel maps the
 *	doorbell into the paging hwpt the device is attached to
 * @IOMMUCTL_DOORBELL_NEST_PARENT: a software window; the device is attached
 *	to a nested hwpt, and the kernel maps the doorbell into its nest parent
 *	(stage 2); the guest's stage 1 must map the window 1:1
 */
enum iommuctl_doorbell_where {
	IOMMUCTL_DOORBELL_UNATTACHED = 0,
	IOMMUCTL_DOORBELL_EMULATED,
	IOMMUCTL_DOORBELL_NO_WINDOW,
	IOMMUCTL_DOORBELL_HW_WINDOW,
	IOMMUCTL_DOORBELL_PAGING,
	IOMMUCTL_DOORBELL_NEST_PARENT,
};
/** iommuctl_doorbell_where_name() - "unattached", "emulated", "no-window",
 * "hardware-window", "paging", "nest-parent" */
const char *iommuctl_doorbell_where_name(enum iommuctl_doorbell_where w);

/**
 * struct iommuctl_doorbell - where a session device's MSI doorbell is mapped
 * @where: IOMMUCTL_DOORBELL_*
 * @attached: the hwpt (or IOAS) the device is attached to, or NULL
 * @holder: the paging hwpt whose domain holds the doorbell mapping (the
 *	attached paging hwpt, or the nested hwpt's nest parent), or NULL
 * @window: whether @start and @last hold an MSI window
 * @start, @last: the window (inclusive), from the device's reserved regions
 * @basis: static text: how the window's kind was decided
 * @stage1: static text: what the guest's stage 1 must do, or NULL
 *	(IOMMUCTL_DOORBELL_NEST_PARENT only)
 * @explain: static text: what the kernel does with the doorbell
 */
struct iommuctl_doorbell {
	enum iommuctl_doorbell_where where;
	struct iommuctl_obj *attached;
	struct iommuctl_obj *holder;
	bool window;
	uint64_t start, last;
	const char *basis;
	const char *stage1;
	const char *explain;
};
/**
 * iommuctl_doorbell_decide() - where a device's MSI doorbell is mapped,
 * from the session's record of its attachment and its group's MSI windows
 * (pure: no ioctl, no sysfs)
 * @dev: a device of a session
 * @w: the MSI windows of its IOMMU group (iommuctl_group_msi_windows())
 * @n: how many
 * @out: (out) the answer
 *
 * Return: 0; -EINVAL when @dev is not a device or @out is NULL.
 */
int iommuctl_doorbell_decide(struct iommuctl_obj *dev,
			     const struct iommuctl_msi_window *w, size_t n,
			     struct iommuctl_doorbell *out);
/**
 * iommuctl_device_doorbell() - iommuctl_doorbell_decide() with the windows
 * of the device's IOMMU group read from sysfs (PCI or selftest mock device)
 *
 * Return: 0 (with IOMMUCTL_DOORBELL_NO_WINDOW when the group is unknown);
 * -EINVAL; -ENOMEM.
 */
int iommuctl_device_doorbell(struct iommuctl_obj *dev,
			     struct iommuctl_doorbell *out);

/**
 * iommuctl_smmuv3_viommu_why() - why Linux would refuse an arm-smmuv3
 * vIOMMU for a device, from its SMMU's ID registers and the firmware
 * @ctx: context (sysfs: an ACPI IORT table or a device tree)
 * @hi: IOMMU_GET_HW_INFO of the device, type arm-smmuv3
 * @buf: (out) the reason, naming the missing feature
 * @len: its size
 *
 * Linux 6.13+ (arm_smmu_get_viommu_size()) gives one only when the SMMU
 * nests (IDR0 S1P and S2P) and either has S2FWB (IDR3 FWB) or the device
 * is canwbs (the CANWBS flag of its IORT root complex node: ACPI only).
 *
 * Return: 1 with @buf filled when that explains a refusal; 0 when the
 * registers allow a vIOMMU (S2FWB); -EINVAL for another type, unreadable
 * registers or a bad argument.
 */
int iommuctl_smmuv3_viommu_why(struct iommuctl_ctx *ctx,
			       const struct iommuctl_hw_info *hi, char *buf,
			       size_t len);

#ifdef __cplusplus
}
#endif

#endif /* IOMMUCTL_IOMMUFD_H */
