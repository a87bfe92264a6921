/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * iommufd user ABI, written for iommuctl from field tables of the interface
 * (offsets, sizes and the kernel version that added each field). Debian 12's
 * <linux/iommufd.h> predates most of this, so we carry our own definitions;
 * the struct names carry an ic_ prefix so they never clash with system ones.
 *
 * Conventions of every iommufd ioctl: the request is _IO(';', nr) with no
 * size or direction bits; each struct starts with a u32 size; passing the
 * newest struct with a zeroed tail works on every kernel that knows the
 * command (older kernels ignore zero tails, never write them back).
 */
#ifndef IOMMUCTL_ABI_IOMMUFD_H
#define IOMMUCTL_ABI_IOMMUFD_H

#include <stddef.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define IOMMUFD_TYPE ';'
#define IOMMUFD_CMD_BASE 0x80
#define IOMMUFD_IO(nr) _IO(IOMMUFD_TYPE, (nr))

enum {
	IOMMUFD_CMD_DESTROY = 0x80,
	IOMMUFD_CMD_IOAS_ALLOC = 0x81,
	IOMMUFD_CMD_IOAS_ALLOW_IOVAS = 0x82,
	IOMMUFD_CMD_IOAS_COPY = 0x83,
	IOMMUFD_CMD_IOAS_IOVA_RANGES = 0x84,
	IOMMUFD_CMD_IOAS_MAP = 0x85,
	IOMMUFD_CMD_IOAS_UNMAP = 0x86,
	IOMMUFD_CMD_OPTION = 0x87,
	IOMMUFD_CMD_VFIO_IOAS = 0x88,
	IOMMUFD_CMD_HWPT_ALLOC = 0x89,
	IOMMUFD_CMD_GET_HW_INFO = 0x8a,
	IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING = 0x8b,
	IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP = 0x8c,
	IOMMUFD_CMD_HWPT_INVALIDATE = 0x8d,
	IOMMUFD_CMD_FAULT_QUEUE_ALLOC = 0x8e,
	IOMMUFD_CMD_IOAS_MAP_FILE = 0x8f,
	IOMMUFD_CMD_VIOMMU_ALLOC = 0x90,
	IOMMUFD_CMD_VDEVICE_ALLOC = 0x91,
	IOMMUFD_CMD_IOAS_CHANGE_PROCESS = 0x92,
	IOMMUFD_CMD_VEVENTQ_ALLOC = 0x93,
	IOMMUFD_CMD_HW_QUEUE_ALLOC = 0x94,
	IOMMUFD_CMD_TEST = 0xa0, /* CONFIG_IOMMUFD_TEST only */
};

/* IOMMU_DESTROY, 8 bytes */
struct ic_iommu_destroy {
	__u32 size;
	__u32 id;
};

/* IOMMU_IOAS_ALLOC, 12 bytes */
struct ic_iommu_ioas_alloc {
	__u32 size;
	__u32 flags;
	__u32 out_ioas_id;
};

/* One IOVA range, both ends inclusive, 16 bytes */
struct ic_iommu_iova_range {
	__aligned_u64 start;
	__aligned_u64 last;
};

/* IOMMU_IOAS_IOVA_RANGES, 32 bytes; EMSGSIZE when num_iovas is too small */
struct ic_iommu_ioas_iova_ranges {
	__u32 size;
	__u32 ioas_id;
	__u32 num_iovas;
	__u32 __reserved;
	__aligned_u64 allowed_iovas;
	__aligned_u64 out_iova_alignment;
};

/* IOMMU_IOAS_ALLOW_IOVAS, 24 bytes */
struct ic_iommu_ioas_allow_iovas {
	__u32 size;
	__u32 ioas_id;
	__u32 num_iovas;
	__u32 __reserved;
	__aligned_u64 allowed_iovas;
};

enum {
	IC_IOMMU_IOAS_MAP_FIXED_IOVA = 1 << 0,
	IC_IOMMU_IOAS_MAP_WRITEABLE = 1 << 1,
	IC_IOMMU_IOAS_MAP_READABLE = 1 << 2,
};

/* IOMMU_IOAS_MAP, 40 bytes */
struct ic_iommu_ioas_map {
	__u32 size;
	__u32 flags;
	__u32 ioas_id;
	__u32 __reserved;
	__aligned_u64 user_va;
	__aligned_u64 length;
	__aligned_u64 iova;
};

/* IOMMU_IOAS_MAP_FILE (6.13), 40 bytes */
struct ic_iommu_ioas_map_file {
	__u32 size;
	__u32 flags;
	__u32 ioas_id;
	__s32 fd;
	__aligned_u64 start;
	__aligned_u64 length;
	__aligned_u64 iova;
};

/* IOMMU_IOAS_COPY, 40 bytes */
struct ic_iommu_ioas_copy {
	__u32 size;
	__u32 flags;
	__u32 dst_ioas_id;
	__u32 src_ioas_id;
	__aligned_u64 length;
	__aligned_u64 dst_iova;
	__aligned_u64 src_iova;
};

/* IOMMU_IOAS_UNMAP, 24 bytes; length returns the bytes unmapped */
struct ic_iommu_ioas_unmap {
	__u32 size;
	__u32 ioas_id;
	__aligned_u64 iova;
	__aligned_u64 length;
};

enum { IC_IOMMU_OPTION_RLIMIT_MODE = 0, IC_IOMMU_OPTION_HUGE_PAGES = 1 };
enum { IC_IOMMU_OPTION_OP_SET = 0, IC_IOMMU_OPTION_OP_GET = 1 };

/* IOMMU_OPTION, 24 bytes */
struct ic_iommu_option {
	__u32 size;
	__u32 option_id;
	__u16 op;
	__u16 __reserved;
	__u32 object_id;
	__aligned_u64 val64;
};

enum { IC_IOMMU_VFIO_IOAS_GET = 0, IC_IOMMU_VFIO_IOAS_SET = 1, IC_IOMMU_VFIO_IOAS_CLEAR = 2 };

/* IOMMU_VFIO_IOAS, 12 bytes */
struct ic_iommu_vfio_ioas {
	__u32 size;
	__u32 ioas_id;
	__u16 op;
	__u16 __reserved;
};

enum {
	IC_IOMMU_HWPT_ALLOC_NEST_PARENT = 1 << 0, /* 6.7 */
	IC_IOMMU_HWPT_ALLOC_DIRTY_TRACKING = 1 << 1, /* 6.7 */
	IC_IOMMU_HWPT_FAULT_ID_VALID = 1 << 2, /* 6.11 */
	IC_IOMMU_HWPT_ALLOC_PASID = 1 << 3, /* 6.15 */
};

enum {
	IC_IOMMU_HWPT_DATA_NONE = 0,
	IC_IOMMU_HWPT_DATA_VTD_S1 = 1,
	IC_IOMMU_HWPT_DATA_ARM_SMMUV3 = 2,
	IC_IOMMU_HWPT_DATA_AMD_GUEST = 3,
	IC_IOMMU_HWPT_DATA_SELFTEST = 0xdead,
};

/* IOMMU_HWPT_ALLOC: 24 bytes in 6.6, 40 in 6.7, 48 since 6.11 */
struct ic_iommu_hwpt_alloc {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 pt_id;
	__u32 out_hwpt_id;
	__u32 __reserved;
	__u32 data_type;
	__u32 data_len;
	__aligned_u64 data_uptr;
	__u32 fault_id;
	__u32 __reserved2;
};

/* VT-d stage-1 data for a nested HWPT, 24 bytes */
struct ic_iommu_hwpt_vtd_s1 {
	__aligned_u64 flags;
	__aligned_u64 pgtbl_addr;
	__u32 addr_width;
	__u32 __reserved;
};

/* ARM SMMUv3 nested STE, 16 bytes */
struct ic_iommu_hwpt_arm_smmuv3 {
	__aligned_le64 ste[2];
};

enum {
	IC_IOMMU_HW_INFO_TYPE_NONE = 0,
	IC_IOMMU_HW_INFO_TYPE_INTEL_VTD = 1,
	IC_IOMMU_HW_INFO_TYPE_ARM_SMMUV3 = 2,
	IC_IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV = 3,
	IC_IOMMU_HW_INFO_TYPE_AMD = 4,
	IC_IOMMU_HW_INFO_TYPE_SELFTEST = 0xfeedbeef,
};

enum {
	IC_IOMMU_HW_INFO_FLAG_INPUT_TYPE = 1 << 0, /* 6.17 */
};

enum {
	IC_IOMMU_HW_CAP_DIRTY_TRACKING = 1 << 0,
	IC_IOMMU_HW_CAP_PCI_PASID_EXEC = 1 << 1,
	IC_IOMMU_HW_CAP_PCI_PASID_PRIV = 1 << 2,
	IC_IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED = 1 << 3,
};

/* IOMMU_GET_HW_INFO: 32 bytes in 6.6, 40 since 6.7 */
struct ic_iommu_hw_info {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 data_len;
	__aligned_u64 data_uptr;
	__u32 data_type; /* out; in with INPUT_TYPE (6.17) */
	__u8 out_max_pasid_log2; /* 6.15 */
	__u8 __reserved[3];
	__aligned_u64 out_capabilities;
};

/* GET_HW_INFO payloads */
struct ic_iommu_hw_info_vtd {
	__u32 flags;
	__u32 __reserved;
	__aligned_u64 cap_reg;
	__aligned_u64 ecap_reg;
};

struct ic_iommu_hw_info_arm_smmuv3 {
	__u32 flags;
	__u32 __reserved;
	__u32 idr[6];
	__u32 iidr;
	__u32 aidr;
};

struct ic_iommu_hw_info_amd {
	__aligned_u64 efr;
	__aligned_u64 efr2;
};

enum { IC_IOMMU_HWPT_DIRTY_TRACKING_ENABLE = 1 };

/* IOMMU_HWPT_SET_DIRTY_TRACKING, 16 bytes */
struct ic_iommu_hwpt_set_dirty_tracking {
	__u32 size;
	__u32 flags;
	__u32 hwpt_id;
	__u32 __reserved;
};

enum { IC_IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR = 1 };

/* IOMMU_HWPT_GET_DIRTY_BITMAP, 48 bytes */
struct ic_iommu_hwpt_get_dirty_bitmap {
	__u32 size;
	__u32 hwpt_id;
	__u32 flags;
	__u32 __reserved;
	__aligned_u64 iova;
	__aligned_u64 length;
	__aligned_u64 page_size;
	__aligned_u64 data;
};

enum {
	IC_IOMMU_HWPT_INVALIDATE_DATA_VTD_S1 = 0,
	IC_IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3 = 1,
	IC_IOMMU_HWPT_INVALIDATE_DATA_SELFTEST = 0xdeadbeef,
};

/* IOMMU_HWPT_INVALIDATE (6.8), 32 bytes; entry_num written back on failure */
struct ic_iommu_hwpt_invalidate {
	__u32 size;
	__u32 hwpt_id;
	__aligned_u64 data_uptr;
	__u32 data_type;
	__u32 entry_len;
	__u32 entry_num;
	__u32 __reserved;
};

struct ic_iommu_hwpt_vtd_s1_invalidate {
	__aligned_u64 addr;
	__aligned_u64 npages;
	__u32 flags;
	__u32 __reserved;
};

/* IOMMU_FAULT_QUEUE_ALLOC (6.11), 16 bytes */
struct ic_iommu_fault_alloc {
	__u32 size;
	__u32 flags;
	__u32 out_fault_id;
	__u32 out_fault_fd;
};

enum {
	IC_IOMMU_PGFAULT_FLAGS_PASID_VALID = 1 << 0,
	IC_IOMMU_PGFAULT_FLAGS_LAST_PAGE = 1 << 1,
};

enum {
	IC_IOMMU_PGFAULT_PERM_READ = 1 << 0,
	IC_IOMMU_PGFAULT_PERM_WRITE = 1 << 1,
	IC_IOMMU_PGFAULT_PERM_EXEC = 1 << 2,
	IC_IOMMU_PGFAULT_PERM_PRIV = 1 << 3,
};

/* One record read from a fault fd, 40 bytes */
struct ic_iommu_hwpt_pgfault {
	__u32 flags;
	__u32 dev_id;
	__u32 pasid;
	__u32 grpid;
	__u32 perm;
	__u32 __reserved;
	__aligned_u64 addr;
	__u32 length;
	__u32 cookie;
};

enum { IC_IOMMUFD_PAGE_RESP_SUCCESS = 0, IC_IOMMUFD_PAGE_RESP_INVALID = 1 };

/* One response written to a fault fd, 8 bytes */
struct ic_iommu_hwpt_page_response {
	__u32 cookie;
	__u32 code;
};

enum {
	IC_IOMMU_VIOMMU_TYPE_DEFAULT = 0,
	IC_IOMMU_VIOMMU_TYPE_ARM_SMMUV3 = 1,
	IC_IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV = 2,
	IC_IOMMU_VIOMMU_TYPE_SELFTEST = 0xdeadbeef,
};

/* IOMMU_VIOMMU_ALLOC (6.13): 24 bytes, 40 since 6.17 */
struct ic_iommu_viommu_alloc {
	__u32 size;
	__u32 flags;
	__u32 type;
	__u32 dev_id;
	__u32 hwpt_id;
	__u32 out_viommu_id;
	__u32 data_len;
	__u32 __reserved;
	__aligned_u64 data_uptr;
};

/* IOMMU_VDEVICE_ALLOC (6.13), 24 bytes */
struct ic_iommu_vdevice_alloc {
	__u32 size;
	__u32 viommu_id;
	__u32 dev_id;
	__u32 out_vdevice_id;
	__aligned_u64 virt_id;
};

/* IOMMU_IOAS_CHANGE_PROCESS (6.13), 8 bytes */
struct ic_iommu_ioas_change_process {
	__u32 size;
	__u32 __reserved;
};

enum {
	IC_IOMMU_VEVENTQ_TYPE_DEFAULT = 0,
	IC_IOMMU_VEVENTQ_TYPE_ARM_SMMUV3 = 1,
	IC_IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV = 2,
	IC_IOMMU_VEVENTQ_TYPE_SELFTEST = 0xbeefbeef,
};

/* IOMMU_VEVENTQ_ALLOC (6.15), 32 bytes */
struct ic_iommu_veventq_alloc {
	__u32 size;
	__u32 flags;
	__u32 viommu_id;
	__u32 type;
	__u32 veventq_depth;
	__u32 out_veventq_id;
	__u32 out_veventq_fd;
	__u32 __reserved;
};

enum { IC_IOMMU_VEVENTQ_FLAG_LOST_EVENTS = 1 << 0 };

/* Header before each vEVENTQ payload, 8 bytes */
struct ic_iommufd_vevent_header {
	__u32 flags;
	__u32 sequence;
};

enum {
	IC_IOMMU_HW_QUEUE_TYPE_DEFAULT = 0,
	IC_IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV = 1,
	IC_IOMMU_HW_QUEUE_TYPE_SELFTEST = 0xdeadbeef,
};

/* IOMMU_HW_QUEUE_ALLOC (6.17), 40 bytes */
struct ic_iommu_hw_queue_alloc {
	__u32 size;
	__u32 flags;
	__u32 viommu_id;
	__u32 type;
	__u32 index;
	__u32 out_hw_queue_id;
	__aligned_u64 nesting_parent_iova;
	__aligned_u64 length;
};

/* IOMMU_TEST_CMD (CONFIG_IOMMUFD_TEST), 72 bytes, minimum 68 */
enum {
	IC_IOMMU_TEST_OP_ADD_RESERVED = 1,
	IC_IOMMU_TEST_OP_MOCK_DOMAIN = 2,
	IC_IOMMU_TEST_OP_MD_CHECK_MAP = 3,
	IC_IOMMU_TEST_OP_MD_CHECK_REFS = 4,
	IC_IOMMU_TEST_OP_CREATE_ACCESS = 5,
	IC_IOMMU_TEST_OP_DESTROY_ACCESS_PAGES = 6,
	IC_IOMMU_TEST_OP_ACCESS_PAGES = 7,
	IC_IOMMU_TEST_OP_ACCESS_RW = 8,
	IC_IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT = 9,
	IC_IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE = 10,
	IC_IOMMU_TEST_OP_ACCESS_REPLACE_IOAS = 11,
	IC_IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS = 12,
	IC_IOMMU_TEST_OP_DIRTY = 13,
	IC_IOMMU_TEST_OP_MD_CHECK_IOTLB = 14,
	IC_IOMMU_TEST_OP_TRIGGER_IOPF = 15,
	IC_IOMMU_TEST_OP_DEV_CHECK_CACHE = 16,
	IC_IOMMU_TEST_OP_TRIGGER_VEVENT = 17,
	/* 6.15: PASIDs of a mock device (made with IC_MOCK_FLAGS_DEVICE_PASID);
	 * @id is the mock's selftest (stdev) object */
	IC_IOMMU_TEST_OP_PASID_ATTACH = 18,
	IC_IOMMU_TEST_OP_PASID_REPLACE = 19,
	IC_IOMMU_TEST_OP_PASID_DETACH = 20,
	IC_IOMMU_TEST_OP_PASID_CHECK_HWPT = 21,
};

/* IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS dev_flags */
enum {
	IC_MOCK_FLAGS_DEVICE_NO_DIRTY = 1 << 0,
	IC_MOCK_FLAGS_DEVICE_HUGE_IOVA = 1 << 1, /* 6.7 .. 6.18 */
	IC_MOCK_FLAGS_DEVICE_PASID = 1 << 2, /* 6.15 */
};

/* The mock IOMMU's PASID width (6.15) */
#define IC_MOCK_PASID_WIDTH 20
/* The PASID whose second attach the mock fails on purpose (ENOMEM) */
#define IC_IOMMU_TEST_PASID_RESERVED 1024

struct ic_iommu_test_cmd {
	__u32 size;
	__u32 op;
	__u32 id;
	__u32 __reserved;
	union {
		struct {
			__aligned_u64 start;
			__aligned_u64 length;
		} add_reserved;
		struct {
			__u32 out_stdev_id;
			__u32 out_hwpt_id;
			__u32 out_idev_id;
		} mock_domain;
		struct {
			__u32 out_stdev_id;
			__u32 out_hwpt_id;
			__u32 out_idev_id;
			__u32 dev_flags;
		} mock_domain_flags;
		struct {
			__u32 pt_id;
		} mock_domain_replace;
		struct {
			__u32 out_access_fd;
			__u32 flags;
		} create_access;
		struct {
			__u32 access_pages_id;
		} destroy_access_pages;
		struct {
			__u32 flags; /* bit0 write */
			__u32 out_access_pages_id;
			__aligned_u64 iova;
			__aligned_u64 length;
			__aligned_u64 uptr;
		} access_pages;
		struct {
			__aligned_u64 iova;
			__aligned_u64 length;
			__aligned_u64 uptr;
			__u32 flags; /* bit0 write */
		} access_rw;
		struct {
			__u32 ioas_id;
		} access_replace_ioas;
		struct {
			__u32 flags;
			__aligned_u64 iova;
			__aligned_u64 length;
			__aligned_u64 page_size;
			__aligned_u64 uptr;
			__aligned_u64 out_nr_dirty;
		} dirty;
		struct {
			__u32 id;
			__u32 iotlb;
		} check_iotlb;
		struct {
			__u32 dev_id;
			__u32 pasid;
			__u32 grpid;
			__u32 perm;
			__aligned_u64 addr;
		} trigger_iopf;
		struct {
			__u32 dev_id;
		} trigger_vevent;
		struct {
			__u32 pasid;
			__u32 pt_id; /* in: IOAS or hwpt; out: the hwpt */
		} pasid_attach; /* PASID_ATTACH and PASID_REPLACE */
		struct {
			__u32 pasid;
		} pasid_detach;
		struct {
			__u32 pasid;
			__u32 hwpt_id; /* 0: "nothing attached" */
		} pasid_check; /* 0 if so, EINVAL if not */
		__u8 raw[48];
	};
	__u32 last;
	__u32 __pad;
};

/* Layouts checked against the documented offsets and sizes. */
#define IC_ABI_CHECK(type, field, off) \
	_Static_assert(offsetof(struct type, field) == (off), #type "." #field)
#define IC_ABI_SIZE(type, sz) _Static_assert(sizeof(struct type) == (sz), #type)

IC_ABI_SIZE(ic_iommu_destroy, 8);
IC_ABI_SIZE(ic_iommu_ioas_alloc, 12);
IC_ABI_SIZE(ic_iommu_iova_range, 16);
IC_ABI_SIZE(ic_iommu_ioas_iova_ranges, 32);
IC_ABI_CHECK(ic_iommu_ioas_iova_ranges, out_iova_alignment, 24);
IC_ABI_SIZE(ic_iommu_ioas_allow_iovas, 24);
IC_ABI_SIZE(ic_iommu_ioas_map, 40);
IC_ABI_CHECK(ic_iommu_ioas_map, iova, 32);
IC_ABI_SIZE(ic_iommu_ioas_map_file, 40);
IC_ABI_CHECK(ic_iommu_ioas_map_file, fd, 12);
IC_ABI_SIZE(ic_iommu_ioas_copy, 40);
IC_ABI_CHECK(ic_iommu_ioas_copy, src_iova, 32);
IC_ABI_SIZE(ic_iommu_ioas_unmap, 24);
IC_ABI_SIZE(ic_iommu_option, 24);
IC_ABI_CHECK(ic_iommu_option, object_id, 12);
IC_ABI_SIZE(ic_iommu_vfio_ioas, 12);
IC_ABI_SIZE(ic_iommu_hwpt_alloc, 48);
IC_ABI_CHECK(ic_iommu_hwpt_alloc, data_type, 24);
IC_ABI_CHECK(ic_iommu_hwpt_alloc, fault_id, 40);
IC_ABI_SIZE(ic_iommu_hwpt_vtd_s1, 24);
IC_ABI_SIZE(ic_iommu_hw_info, 40);
IC_ABI_CHECK(ic_iommu_hw_info, data_type, 24);
IC_ABI_CHECK(ic_iommu_hw_info, out_max_pasid_log2, 28);
IC_ABI_CHECK(ic_iommu_hw_info, out_capabilities, 32);
IC_ABI_SIZE(ic_iommu_hw_info_vtd, 24);
IC_ABI_SIZE(ic_iommu_hw_info_arm_smmuv3, 40);
IC_ABI_SIZE(ic_iommu_hw_info_amd, 16);
IC_ABI_SIZE(ic_iommu_hwpt_set_dirty_tracking, 16);
IC_ABI_SIZE(ic_iommu_hwpt_get_dirty_bitmap, 48);
IC_ABI_CHECK(ic_iommu_hwpt_get_dirty_bitmap, data, 40);
IC_ABI_SIZE(ic_iommu_hwpt_invalidate, 32);
IC_ABI_CHECK(ic_iommu_hwpt_invalidate, entry_num, 24);
IC_ABI_SIZE(ic_iommu_hwpt_vtd_s1_invalidate, 24);
IC_ABI_SIZE(ic_iommu_fault_alloc, 16);
IC_ABI_SIZE(ic_iommu_hwpt_pgfault, 40);
IC_ABI_CHECK(ic_iommu_hwpt_pgfault, cookie, 36);
IC_ABI_SIZE(ic_iommu_hwpt_page_response, 8);
IC_ABI_SIZE(ic_iommu_viommu_alloc, 40);
IC_ABI_CHECK(ic_iommu_viommu_alloc, data_uptr, 32);
IC_ABI_SIZE(ic_iommu_vdevice_alloc, 24);
IC_ABI_SIZE(ic_iommu_ioas_change_process, 8);
IC_ABI_SIZE(ic_iommu_veventq_alloc, 32);
IC_ABI_CHECK(ic_iommu_veventq_alloc, out_veventq_fd, 24);
IC_ABI_SIZE(ic_iommu_hw_queue_alloc, 40);
IC_ABI_CHECK(ic_iommu_hw_queue_alloc, nesting_parent_iova, 24);
IC_ABI_SIZE(ic_iommu_test_cmd, 72);
IC_ABI_CHECK(ic_iommu_test_cmd, last, 64);
IC_ABI_CHECK(ic_iommu_test_cmd, access_pages.uptr, 40);
IC_ABI_CHECK(ic_iommu_test_cmd, access_rw.flags, 40);
IC_ABI_CHECK(ic_iommu_test_cmd, dirty.out_nr_dirty, 56);
IC_ABI_CHECK(ic_iommu_test_cmd, trigger_iopf.addr, 32);
IC_ABI_CHECK(ic_iommu_test_cmd, pasid_attach.pt_id, 20);
IC_ABI_CHECK(ic_iommu_test_cmd, pasid_check.hwpt_id, 20);

#endif /* IOMMUCTL_ABI_IOMMUFD_H */
