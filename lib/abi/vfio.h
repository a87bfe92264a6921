/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * VFIO device cdev ABI (Linux 6.6+), written for iommuctl from the documented
 * layouts. VFIO structs start with argsz; the kernel copies a minimum prefix
 * and ignores a larger tail, so the newest layout is always safe to pass.
 */
#ifndef IOMMUCTL_ABI_VFIO_H
#define IOMMUCTL_ABI_VFIO_H

#include <stddef.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define IC_VFIO_TYPE ';'
#define IC_VFIO_BASE 100
#define IC_VFIO_IO(k) _IO(IC_VFIO_TYPE, IC_VFIO_BASE + (k))

#define IC_VFIO_DEVICE_GET_INFO IC_VFIO_IO(7)
#define IC_VFIO_DEVICE_SET_IRQS IC_VFIO_IO(10)
#define IC_VFIO_DEVICE_RESET IC_VFIO_IO(11)
#define IC_VFIO_DEVICE_GET_PCI_HOT_RESET_INFO IC_VFIO_IO(12)
#define IC_VFIO_DEVICE_PCI_HOT_RESET IC_VFIO_IO(13)
#define IC_VFIO_DEVICE_FEATURE IC_VFIO_IO(17)
#define IC_VFIO_DEVICE_BIND_IOMMUFD IC_VFIO_IO(18)
#define IC_VFIO_DEVICE_ATTACH_IOMMUFD_PT IC_VFIO_IO(19)
#define IC_VFIO_DEVICE_DETACH_IOMMUFD_PT IC_VFIO_IO(20)

enum { IC_VFIO_DEVICE_BIND_FLAG_TOKEN = 1 << 0 }; /* 6.17 */

/* VFIO_DEVICE_BIND_IOMMUFD: 16 bytes, 24 since 6.17 */
struct ic_vfio_device_bind_iommufd {
	__u32 argsz;
	__u32 flags;
	__s32 iommufd;
	__u32 out_devid;
	__aligned_u64 token_uuid_ptr;
};

enum { IC_VFIO_DEVICE_ATTACH_PASID = 1 << 0 }; /* 6.15 */

/* VFIO_DEVICE_ATTACH_IOMMUFD_PT: 12 bytes, 16 since 6.15 */
struct ic_vfio_device_attach_iommufd_pt {
	__u32 argsz;
	__u32 flags;
	__u32 pt_id;
	__u32 pasid;
};

enum { IC_VFIO_DEVICE_DETACH_PASID = 1 << 0 }; /* 6.15 */

/* VFIO_DEVICE_DETACH_IOMMUFD_PT: 8 bytes, 12 since 6.15 */
struct ic_vfio_device_detach_iommufd_pt {
	__u32 argsz;
	__u32 flags;
	__u32 pasid;
};

enum {
	IC_VFIO_DEVICE_FLAGS_RESET = 1 << 0,
	IC_VFIO_DEVICE_FLAGS_PCI = 1 << 1,
	IC_VFIO_DEVICE_FLAGS_PLATFORM = 1 << 2,
	IC_VFIO_DEVICE_FLAGS_AMBA = 1 << 3,
	IC_VFIO_DEVICE_FLAGS_CCW = 1 << 4,
	IC_VFIO_DEVICE_FLAGS_AP = 1 << 5,
	IC_VFIO_DEVICE_FLAGS_FSL_MC = 1 << 6,
	IC_VFIO_DEVICE_FLAGS_CAPS = 1 << 7,
	IC_VFIO_DEVICE_FLAGS_CDX = 1 << 8,
};

/* VFIO_DEVICE_GET_INFO, 24 bytes */
struct ic_vfio_device_info {
	__u32 argsz;
	__u32 flags;
	__u32 num_regions;
	__u32 num_irqs;
	__u32 cap_offset;
	__u32 pad;
};

/* Capability chain header inside GET_INFO replies, 8 bytes */
struct ic_vfio_info_cap_header {
	__u16 id;
	__u16 version;
	__u32 next;
};

enum {
	/* the ids are iommufd device ids, not group ids (a cdev bound to
	 * iommufd asked) */
	IC_VFIO_PCI_HOT_RESET_FLAG_DEV_ID = 1 << 0,
	/* and every affected device is owned by the caller's iommufd */
	IC_VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED = 1 << 1,
};

/* With FLAG_DEV_ID: a device bound to another iommufd, or to none */
#define IC_VFIO_PCI_DEVID_NOT_OWNED 0xffffffffu
/* With FLAG_DEV_ID: not bound, but its group is the caller's */
#define IC_VFIO_PCI_DEVID_OWNED 0u

/* One device a hot reset affects, 8 bytes */
struct ic_vfio_pci_dependent_device {
	__u32 id; /* group id, or iommufd device id with FLAG_DEV_ID */
	__u16 segment;
	__u8 bus;
	__u8 devfn;
};

/* VFIO_DEVICE_GET_PCI_HOT_RESET_INFO: a 12-byte header, then the devices;
 * too small an argsz: ENOSPC with count set */
struct ic_vfio_pci_hot_reset_info {
	__u32 argsz;
	__u32 flags;
	__u32 count;
	struct ic_vfio_pci_dependent_device devices[];
};

/* VFIO_DEVICE_SET_IRQS: an eventfd for one interrupt index */
enum {
	IC_VFIO_IRQ_SET_DATA_EVENTFD = 1 << 2,
	IC_VFIO_IRQ_SET_ACTION_TRIGGER = 1 << 5,
};
/* vfio-pci's interrupt indexes: INTx, MSI, MSI-X, error, device request */
enum { IC_VFIO_PCI_REQ_IRQ_INDEX = 4 };
struct ic_vfio_irq_set_one {
	__u32 argsz;
	__u32 flags;
	__u32 index;
	__u32 start;
	__u32 count;
	__s32 fd; /* data[]: one eventfd */
};

_Static_assert(sizeof(struct ic_vfio_device_bind_iommufd) == 24, "bind");
_Static_assert(sizeof(struct ic_vfio_irq_set_one) == 24, "irq set");
_Static_assert(offsetof(struct ic_vfio_device_bind_iommufd, token_uuid_ptr) == 16, "bind token");
_Static_assert(sizeof(struct ic_vfio_device_attach_iommufd_pt) == 16, "attach");
_Static_assert(sizeof(struct ic_vfio_device_detach_iommufd_pt) == 12, "detach");
_Static_assert(sizeof(struct ic_vfio_device_info) == 24, "info");
_Static_assert(sizeof(struct ic_vfio_info_cap_header) == 8, "cap header");
_Static_assert(sizeof(struct ic_vfio_pci_dependent_device) == 8, "dependent device");
_Static_assert(sizeof(struct ic_vfio_pci_hot_reset_info) == 12, "hot reset info");
_Static_assert(IC_VFIO_DEVICE_GET_PCI_HOT_RESET_INFO == 0x3b70, "hot reset info nr");
_Static_assert(IC_VFIO_DEVICE_BIND_IOMMUFD == 0x3b76, "bind nr");
_Static_assert(IC_VFIO_DEVICE_GET_INFO == 0x3b6b, "get info nr");

#endif /* IOMMUCTL_ABI_VFIO_H */
