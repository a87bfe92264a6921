/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/*
 * <iommuctl/monitor.h>: live events: PCI devices and drivers, IOMMU groups
 * and VFIO nodes (kernel uevents, through libudev), and IOMMU faults (the
 * kernel log, /dev/kmsg). Part of libiommuctl; <iommuctl/libiommuctl.h>
 * includes every part.
 */
#ifndef IOMMUCTL_MONITOR_H
#define IOMMUCTL_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <iommuctl/context.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What happened. iommuctl_event_type_name() names each ("device-add"). */
enum iommuctl_event_type {
	IOMMUCTL_EVENT_DEVICE_ADD = 1, /* a PCI device appeared */
	IOMMUCTL_EVENT_DEVICE_REMOVE, /* a PCI device went away */
	IOMMUCTL_EVENT_DRIVER_BIND, /* a driver bound to a PCI device */
	IOMMUCTL_EVENT_DRIVER_UNBIND, /* ... and unbound from it */
	IOMMUCTL_EVENT_GROUP_ADD, /* /sys/kernel/iommu_groups/N appeared */
	IOMMUCTL_EVENT_GROUP_REMOVE, /* ... and went away */
	IOMMUCTL_EVENT_VFIO_CDEV_ADD, /* /dev/vfio/devices/vfioN (vfio-dev) */
	IOMMUCTL_EVENT_VFIO_CDEV_REMOVE,
	IOMMUCTL_EVENT_VFIO_GROUP_ADD, /* /dev/vfio/N (class vfio) */
	IOMMUCTL_EVENT_VFIO_GROUP_REMOVE,
	IOMMUCTL_EVENT_FAULT, /* an IOMMU fault line in the kernel log */
	IOMMUCTL_EVENT_TYPE_MAX = IOMMUCTL_EVENT_FAULT,
};

/* "device-add", "fault", ...; NULL for an unknown type */
const char *iommuctl_event_type_name(enum iommuctl_event_type type);
/* The type @name names, or -EINVAL */
int iommuctl_event_type_from_name(const char *name);
/*
 * The types @name names, as a mask of 1 << type: one type ("device-add"),
 * or a family of them ("device", "driver", "group", "vfio"; "fault" is the
 * one type); or -EINVAL
 */
int iommuctl_event_mask_from_name(const char *name);

enum iommuctl_fault_iommu {
	IOMMUCTL_FAULT_VTD = 1, /* "DMAR: [DMA Write NO_PASID] Request ..." */
	IOMMUCTL_FAULT_AMD_VI, /* "... Event logged [IO_PAGE_FAULT ...]" */
	IOMMUCTL_FAULT_SMMUV3, /* "arm-smmu-v3 DEV: event 0x10 received:" + 4 dwords */
};

enum iommuctl_fault_access {
	IOMMUCTL_FAULT_ACCESS_UNKNOWN = 0,
	IOMMUCTL_FAULT_ACCESS_READ,
	IOMMUCTL_FAULT_ACCESS_WRITE,
};

/* "vt-d", "amd-vi", "smmuv3"; "read", "write", "unknown" */
const char *iommuctl_fault_iommu_name(enum iommuctl_fault_iommu iommu);
const char *iommuctl_fault_access_name(enum iommuctl_fault_access access);

/**
 * struct iommuctl_fault_line - one IOMMU fault, decoded from the kernel log
 * @iommu: which driver logged it
 * @kind: the driver's name for it: VT-d "DMA Read", "DMA Write" or
 *	"INTR-REMAP"; AMD-Vi the event ("IO_PAGE_FAULT", "INVALID_DEVICE_REQUEST"
 *	...); SMMUv3 the event ("F_TRANSLATION", "F_PERMISSION", ..., or
 *	"event 0xNN")
 * @code: VT-d fault reason, AMD-Vi flags, SMMUv3 event ID
 * @reason: VT-d the driver's reason text; AMD-Vi the flags in words;
 *	SMMUv3 the event's meaning and the record's access class
 * @device: the requester as "SSSS:BB:DD.F", "" when the line names none.
 *	SMMUv3 records name a StreamID: on PCI it is the requester ID
 *	(bus << 8 | devfn) where the firmware maps the IDs one to one (QEMU
 *	virt, most systems), and that is the device given, in segment 0
 * @have_addr: @addr is known (DMA faults; not INTR-REMAP, not hardware errors)
 * @addr: the faulting (input) address: VT-d and AMD-Vi the IOVA, SMMUv3 the
 *	record's input address
 * @access: read or write, where the record says
 * @pasid: the PASID/SubstreamID, or -1
 * @have_sid: @sid is the SMMUv3 StreamID
 * @sid: StreamID
 * @unit: the IOMMU unit's device name where the line gives it ("arm-smmu-v3.0.auto"), or ""
 */
struct iommuctl_fault_line {
	enum iommuctl_fault_iommu iommu;
	char kind[32];
	uint32_t code;
	char reason[128];
	char device[16];
	bool have_addr;
	uint64_t addr;
	enum iommuctl_fault_access access;
	int64_t pasid;
	bool have_sid;
	uint32_t sid;
	char unit[64];
};

/*
 * A fault line decoder: lines of the kernel log, one by one (the text of a
 * /dev/kmsg record or a dmesg line, with or without its "[time]" prefix).
 * It keeps state: an SMMUv3 event is a line and four more.
 */
struct iommuctl_fault_parser;
int iommuctl_fault_parser_new(struct iommuctl_fault_parser **out);
void iommuctl_fault_parser_free(struct iommuctl_fault_parser *p);
/**
 * iommuctl_fault_parse() - feed one kernel log line
 * @p: the decoder
 * @line: the line (NUL-terminated, without the newline); control characters
 *	may be escaped as /dev/kmsg does ("\x09")
 * @out: (out) the fault, when one is complete
 *
 * Return: 1 when @out holds a fault this line completed; 0 for any other
 * line (not a fault, or a part of one still to come); -EINVAL for NULL
 * arguments, -EBADMSG for a fault line the decoder cannot read (the driver
 * changed its format: @out untouched).
 */
int iommuctl_fault_parse_sz(struct iommuctl_fault_parser *p, const char *line,
			    struct iommuctl_fault_line *out, size_t size);
#define iommuctl_fault_parse(p, line, out) \
	IOMMUCTL_SZ(iommuctl_fault_parse, out, p, line, out)

/**
 * struct iommuctl_event - one event
 * @type: what happened
 * @usec: when, in microseconds since boot (the log record's time for a
 *	fault, CLOCK_MONOTONIC at receipt for a uevent)
 * @seqnum: the uevent's SEQNUM or the log record's sequence number
 * @device: the PCI device ("0000:00:03.0"): the one added, removed, bound,
 *	unbound; the first device of a new group, the last of a removed one;
 *	the parent of a VFIO cdev; the requester of a fault (may be "")
 * @driver: bind: the driver; unbind: the driver it had (as seen bound
 *	before, "" if unknown); device-add: the driver already bound ("");
 *	device-remove: the driver it had
 * @id: device-add/remove: "vendor:device" ("1234:11e8")
 * @name: group: its number ("12"); VFIO cdev: "vfio0"; VFIO group: "12"
 *	(or "noiommu-12")
 * @devnode: VFIO cdev and group: the node ("/dev/vfio/devices/vfio0",
 *	"/dev/vfio/12")
 * @group: the device's IOMMU group, or -1
 * @fault: the decoded fault (type IOMMUCTL_EVENT_FAULT)
 * @line: fault: the log line (the first line of a multi-line record)
 */
struct iommuctl_event {
	enum iommuctl_event_type type;
	uint64_t usec;
	uint64_t seqnum;
	char device[16];
	char driver[64];
	char id[16];
	char name[64];
	char devnode[80];
	int group;
	struct iommuctl_fault_line fault;
	char line[512];
};

/* Sources of iommuctl_monitor_new() */
enum {
	IOMMUCTL_MONITOR_UEVENTS = 1u << 0, /* devices, drivers, groups, VFIO */
	IOMMUCTL_MONITOR_FAULTS = 1u << 1, /* IOMMU faults from /dev/kmsg */
};

struct iommuctl_monitor;
/**
 * iommuctl_monitor_new() - start listening
 * @ctx: library context (live system only: -EOPNOTSUPP with a root prefix)
 * @sources: IOMMUCTL_MONITOR_UEVENTS and/or IOMMUCTL_MONITOR_FAULTS
 * @out: the monitor; iommuctl_monitor_free() it
 *
 * Uevents come from libudev: the udev daemon's events when it runs
 * (/run/udev/control), else the kernel's own (netlink, no daemon needed).
 * The kernel log is read from its end: only faults logged from now on.
 * The PCI devices' drivers and groups are read once now, so that an unbind
 * can say which driver left and a removal which group went with it.
 *
 * Return: 0; -EINVAL for no source; -EACCES or -EPERM when /dev/kmsg cannot
 * be read (not root, kernel.dmesg_restrict); -errno of libudev or
 * epoll. Logged through the context's log function.
 */
int iommuctl_monitor_new(struct iommuctl_ctx *ctx, unsigned int sources,
			 struct iommuctl_monitor **out);
void iommuctl_monitor_free(struct iommuctl_monitor *m);
/* "udev" or "kernel": whose uevents the monitor hears (NULL without them) */
const char *iommuctl_monitor_uevent_source(struct iommuctl_monitor *m);
/**
 * iommuctl_monitor_get_fd() - a file descriptor to poll() for input
 * @m: the monitor
 *
 * Readable when an event may be waiting; also wake up after
 * iommuctl_monitor_get_timeout() ms (a removed group is seen in sysfs a
 * little after its last device's uevent). Then call iommuctl_monitor_next()
 * with timeout 0.
 */
int iommuctl_monitor_get_fd(struct iommuctl_monitor *m);
/* Milliseconds until the monitor wants to look again without input, or -1 */
int iommuctl_monitor_get_timeout(struct iommuctl_monitor *m);
/**
 * iommuctl_monitor_next() - the next event
 * @m: the monitor
 * @timeout_ms: how long to wait: 0 not at all, -1 for ever
 * @ev: (out) the event
 *
 * Return: 1 with @ev filled; 0 when @timeout_ms passed without one; -EINTR
 * when a signal came; another -errno when a source failed (logged).
 */
int iommuctl_monitor_next_sz(struct iommuctl_monitor *m, int timeout_ms,
			     struct iommuctl_event *ev, size_t size);
#define iommuctl_monitor_next(m, timeout_ms, ev) \
	IOMMUCTL_SZ(iommuctl_monitor_next, ev, m, timeout_ms, ev)

#ifdef __cplusplus
}
#endif

#endif
