// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Live events (iommuctl_monitor_*): kernel uevents through libudev (PCI
 * devices and their drivers, VFIO cdevs and group nodes; IOMMU groups have
 * no uevents of their own, so a group is seen appearing when a device that
 * joins it does, and going away when its directory is gone after its last
 * device left), and IOMMU faults decoded from the kernel log (/dev/kmsg).
 *
 * The fault decoder (iommuctl_fault_parse) reads the lines the drivers
 * print (checked against Linux 6.12 and 7.3):
 *   VT-d, drivers/iommu/intel/dmar.c dmar_fault_do_one():
 *     "DMAR: [DMA Write NO_PASID] Request device [00:03.0] fault addr
 *      0x201000 [fault reason 0x05] PTE Write access is not set"
 *     "DMAR: [DMA Read PASID 0x1] Request device [...] fault addr ..."
 *     "DMAR: [INTR-REMAP] Request device [...] fault index 0x... [fault reason 0x25] ..."
 *   AMD-Vi, drivers/iommu/amd/iommu.c amd_iommu_report_page_fault() and
 *   iommu_print_event():
 *     "vfio-pci 0000:00:04.0: Event logged [IO_PAGE_FAULT domain=0x0002
 *      address=0x201000 flags=0x0020]" (a device the driver knows)
 *     "AMD-Vi: Event logged [IO_PAGE_FAULT device=0000:00:04.0 domain=...
 *      address=... flags=...]" (older: device=00:04.0)
 *   SMMUv3, drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c: every kernel dumps
 *   the raw event record, "arm-smmu-v3 DEV: event 0x10 received:" and four
 *   lines "\t0x%016llx" (7.x adds decoded lines after them, which say
 *   nothing the record does not: they are passed over).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libudev.h>

#include "dlib.h"
#include "private.h"

#include <iommuctl/monitor.h>

/* libudev, loaded when a monitor first listens to uevents */
#define UDEV_SYMS(X) \
	X(udev_device_get_action) X(udev_device_get_devnode) \
	X(udev_device_get_devpath) X(udev_device_get_property_value) \
	X(udev_device_get_seqnum) X(udev_device_get_subsystem) \
	X(udev_device_get_sysname) X(udev_device_unref) \
	X(udev_monitor_enable_receiving) \
	X(udev_monitor_filter_add_match_subsystem_devtype) \
	X(udev_monitor_get_fd) X(udev_monitor_new_from_netlink) \
	X(udev_monitor_receive_device) \
	X(udev_monitor_set_receive_buffer_size) X(udev_monitor_unref) \
	X(udev_new) X(udev_unref)
DLIB_DEFINE(libudev, UDEV_SYMS, "libudev.so.1", "libudev1");

IOMMUCTL_EXPORT const char *
iommuctl_event_type_name(enum iommuctl_event_type type)
{
	return names_get(NAMES_EVENT_TYPE, type);
}

IOMMUCTL_EXPORT int iommuctl_event_type_from_name(const char *name)
{
	int t;

	if (!name || !names_find(NAMES_EVENT_TYPE, name, strlen(name), &t))
		return -EINVAL;
	return t;
}

/* --type families: a word for several types */
static const struct {
	const char *name;
	unsigned int mask;
} event_families[] = {
	{ "device", 1u << IOMMUCTL_EVENT_DEVICE_ADD |
			    1u << IOMMUCTL_EVENT_DEVICE_REMOVE },
	{ "driver", 1u << IOMMUCTL_EVENT_DRIVER_BIND |
			    1u << IOMMUCTL_EVENT_DRIVER_UNBIND },
	{ "group",
	  1u << IOMMUCTL_EVENT_GROUP_ADD | 1u << IOMMUCTL_EVENT_GROUP_REMOVE },
	{ "vfio", 1u << IOMMUCTL_EVENT_VFIO_CDEV_ADD |
			  1u << IOMMUCTL_EVENT_VFIO_CDEV_REMOVE |
			  1u << IOMMUCTL_EVENT_VFIO_GROUP_ADD |
			  1u << IOMMUCTL_EVENT_VFIO_GROUP_REMOVE },
};

IOMMUCTL_EXPORT int iommuctl_event_mask_from_name(const char *name)
{
	size_t i;
	int t;

	for (i = 0;
	     name && i < sizeof(event_families) / sizeof(event_families[0]);
	     i++)
		if (!strcmp(name, event_families[i].name))
			return (int)event_families[i].mask;
	t = iommuctl_event_type_from_name(name);
	return t < 0 ? t : (int)(1u << t);
}

IOMMUCTL_EXPORT const char *
iommuctl_fault_iommu_name(enum iommuctl_fault_iommu iommu)
{
	return names_get(NAMES_FAULT_IOMMU, iommu);
}

IOMMUCTL_EXPORT const char *
iommuctl_fault_access_name(enum iommuctl_fault_access access)
{
	return names_get(NAMES_FAULT_ACCESS, access);
}

/* ---- the fault line decoder ---------------------------------------------- */

#define SMMU_DWORDS 4

struct iommuctl_fault_parser {
	int smmu_have; /* -1: no SMMUv3 record under way; else dwords so far */
	uint64_t dw[SMMU_DWORDS];
	char smmu_unit[64];
};

IOMMUCTL_EXPORT int
iommuctl_fault_parser_new(struct iommuctl_fault_parser **out)
{
	struct iommuctl_fault_parser *p;

	if (!out)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->smmu_have = -1;
	*out = p;
	return 0;
}

IOMMUCTL_EXPORT void iommuctl_fault_parser_free(struct iommuctl_fault_parser *p)
{
	free(p);
}

static void copy_str(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Skips a "[   12.345678] " dmesg prefix. */
static const char *skip_time(const char *s)
{
	const char *e;

	if (*s != '[')
		return s;
	e = strchr(s, ']');
	if (!e || strspn(s + 1, " 0123456789.") != (size_t)(e - s - 1))
		return s;
	e++;
	while (*e == ' ')
		e++;
	return e;
}

/* "BB:DD.F" or "SSSS:BB:DD.F" at @s: "SSSS:BB:DD.F" in @out; the
 * characters read, or 0. The segment may have up to 7 hex digits, as the
 * kernel names devices behind a VMD domain ("10000:e0:1a.0"). */
static size_t parse_bdf(const char *s, char out[16])
{
	unsigned int seg = 0, bus, dev, fn;
	int n = 0;

	if (sscanf(s, "%7x:%2x:%2x.%1u%n", &seg, &bus, &dev, &fn, &n) != 4 ||
	    n == 0) {
		seg = 0;
		n = 0;
		if (sscanf(s, "%2x:%2x.%1u%n", &bus, &dev, &fn, &n) != 3 ||
		    n == 0)
			return 0;
	}
	if (dev > 31 || fn > 7)
		return 0;
	snprintf(out, 16, "%04x:%02x:%02x.%u", seg, bus & 0xff, dev, fn);
	return (size_t)n;
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return end != s && !errno;
}

/* "DMAR: [DMA Write NO_PASID] Request device [00:03.0] fault addr 0x201000
 *  [fault reason 0x05] PTE Write access is not set" */
static int parse_vtd(const char *s, struct iommuctl_fault_line *f)
{
	const char *p = strstr(s, "DMAR: [");
	const char *e, *q;
	uint64_t v;
	size_t n;

	if (!p)
		return 0;
	p += 7;
	e = strchr(p, ']');
	q = strstr(p, "Request device [");
	if (!e || !q)
		return 0; /* other DMAR lines ("[Firmware Bug]", ...) */
	memset(f, 0, sizeof(*f));
	f->iommu = IOMMUCTL_FAULT_VTD;
	f->pasid = -1;
	if (!strncmp(p, "DMA Read", 8) || !strncmp(p, "DMA Write", 9)) {
		n = p[4] == 'R' ? 8 : 9;
		copy_str(f->kind, sizeof(f->kind), p, n);
		f->access = p[4] == 'R' ? IOMMUCTL_FAULT_ACCESS_READ :
					  IOMMUCTL_FAULT_ACCESS_WRITE;
		/* " NO_PASID", " PASID 0x5" (6.x), older kernels nothing */
		if (!strncmp(p + n, " PASID ", 7) && parse_u64(p + n + 7, &v))
			f->pasid = (int64_t)v;
	} else if (!strncmp(p, "INTR-REMAP", 10)) {
		copy_str(f->kind, sizeof(f->kind), p, 10);
	} else {
		return -EBADMSG;
	}
	q += 16;
	if (!parse_bdf(q, f->device))
		return -EBADMSG;
	p = strstr(q, "fault addr ");
	if (p) {
		if (!parse_u64(p + 11, &f->addr))
			return -EBADMSG;
		f->have_addr = true;
	}
	p = strstr(q, "[fault reason ");
	if (p) {
		p += 14;
		/* "0x05" (6.x), "05" (older kernels printed %02d) */
		if (!parse_u64(p, &v))
			return -EBADMSG;
		f->code = (uint32_t)v;
		p = strchr(p, ']');
		if (p) {
			p++;
			while (*p == ' ')
				p++;
			copy_str(f->reason, sizeof(f->reason), p, strlen(p));
		}
	}
	return 1;
}

/* "[vfio-pci 0000:00:04.0: |AMD-Vi: ]Event logged [IO_PAGE_FAULT
 *  [device=0000:00:04.0 ]domain=0x0002 address=0x201000 flags=0x0020]" */
static int parse_amd(const char *s, struct iommuctl_fault_line *f)
{
	const char *p = strstr(s, "Event logged [");
	const char *e, *k, *dev;
	uint64_t v;
	size_t n;

	if (!p)
		return 0;
	memset(f, 0, sizeof(*f));
	f->iommu = IOMMUCTL_FAULT_AMD_VI;
	f->pasid = -1;
	/* a dev_err() line: "DRIVER SSSS:BB:DD.F: Event logged [" */
	for (dev = s; dev < p; dev++)
		if ((dev == s || dev[-1] == ' ') && parse_bdf(dev, f->device))
			break;
	p += 14;
	e = strchr(p, ']');
	if (!e)
		return -EBADMSG;
	n = strcspn(p, " ],");
	if (!n)
		return -EBADMSG;
	copy_str(f->kind, sizeof(f->kind), p, n);
	for (k = p + n; k < e;) {
		k += strspn(k, " ,");
		if (k >= e)
			break;
		if (!strncmp(k, "device=", 7)) {
			if (!parse_bdf(k + 7, f->device))
				return -EBADMSG;
		} else if (!strncmp(k, "address=", 8) ||
			   !strncmp(k, "gpa=", 4)) {
			if (!parse_u64(strchr(k, '=') + 1, &f->addr))
				return -EBADMSG;
			f->have_addr = true;
		} else if (!strncmp(k, "pasid=", 6)) {
			if (parse_u64(k + 6, &v))
				f->pasid = (int64_t)v;
		} else if (!strncmp(k, "flags=", 6)) {
			if (!parse_u64(k + 6, &v))
				return -EBADMSG;
			f->code = (uint32_t)v;
		}
		k += strcspn(k, " ,]");
	}
	if (!strcmp(f->kind, "IO_PAGE_FAULT") ||
	    !strcmp(f->kind, "INVALID_DEVICE_REQUEST") ||
	    !strcmp(f->kind, "RMP_PAGE_FAULT")) {
		/* the event's flags (amd_iommu_types.h EVENT_FLAG_*):
		 * RW 0x020 (write), PR 0x010 (the page was present), I 0x008
		 * (interrupt request), TR 0x100 (translation request) */
		f->access = f->code & 0x20 ? IOMMUCTL_FAULT_ACCESS_WRITE :
					     IOMMUCTL_FAULT_ACCESS_READ;
		snprintf(f->reason, sizeof(f->reason), "%s%s%s",
			 f->code & 0x10 ? "permission denied (page present)" :
					  "page not present",
			 f->code & 0x08 ? ", interrupt request" : "",
			 f->code & 0x100 ? ", translation request" : "");
	} else {
		snprintf(f->reason, sizeof(f->reason), "%s", f->kind);
	}
	return 1;
}

/* SMMUv3 event record ids: the architecture's name of each and, for the
 * common ones, what it means */
static const struct {
	unsigned int id;
	const char *name, *meaning;
} smmu_events[] = {
	{ 0x01, "F_UUT", NULL },
	{ 0x02, "C_BAD_STREAMID", "StreamID out of range" },
	{ 0x03, "F_STE_FETCH", NULL },
	{ 0x04, "C_BAD_STE", "invalid stream table entry" },
	{ 0x05, "F_BAD_ATS_TREQ", NULL },
	{ 0x06, "F_STREAM_DISABLED", "stream disabled (no domain attached)" },
	{ 0x07, "F_TRANSL_FORBIDDEN", NULL },
	{ 0x08, "C_BAD_SUBSTREAMID", NULL },
	{ 0x09, "F_CD_FETCH", NULL },
	{ 0x0a, "C_BAD_CD", NULL },
	{ 0x0b, "F_WALK_EABT", NULL },
	{ 0x10, "F_TRANSLATION",
	  "translation fault: no valid mapping for the input address" },
	{ 0x11, "F_ADDR_SIZE", "address size fault" },
	{ 0x12, "F_ACCESS", "access flag fault" },
	{ 0x13, "F_PERMISSION",
	  "permission fault: the mapping does not allow the access" },
	{ 0x20, "F_TLB_CONFLICT", NULL },
	{ 0x21, "F_CFG_CONFLICT", NULL },
	{ 0x24, "E_PAGE_REQUEST", NULL },
	{ 0x25, "F_VMS_FETCH", NULL },
};

/* The name of event @id, or with @meaning what it means; NULL if unknown */
static const char *smmu_event(unsigned int id, bool meaning)
{
	size_t i;

	for (i = 0; i < sizeof(smmu_events) / sizeof(smmu_events[0]); i++)
		if (smmu_events[i].id == id)
			return meaning ? smmu_events[i].meaning :
					 smmu_events[i].name;
	return NULL;
}

/* The text after "arm-smmu-v3 UNIT: " of an arm-smmu-v3 line, with the
 * unit's name in @unit; NULL for other lines. */
static const char *smmu_text(const char *s, char unit[64])
{
	const char *p = strstr(s, "arm-smmu-v3 ");
	const char *e;

	if (!p)
		return NULL;
	p += 12;
	e = strstr(p, ": ");
	if (!e || memchr(p, ' ', (size_t)(e - p)))
		return NULL;
	copy_str(unit, 64, p, (size_t)(e - p));
	return e + 2;
}

static void smmu_decode(struct iommuctl_fault_parser *p,
			struct iommuctl_fault_line *f)
{
	unsigned int id = p->dw[0] & 0xff;
	unsigned int cls = (unsigned int)(p->dw[1] >> 40) & 3;
	static const char *const classes[] = { "CD fetch", "table walk",
					       "input address", "reserved" };
	const char *name = smmu_event(id, false),
		   *meaning = smmu_event(id, true) ?: "event";
	uint32_t sid = (uint32_t)(p->dw[0] >> 32);

	memset(f, 0, sizeof(*f));
	f->iommu = IOMMUCTL_FAULT_SMMUV3;
	f->code = id;
	if (name)
		snprintf(f->kind, sizeof(f->kind), "%s", name);
	else
		snprintf(f->kind, sizeof(f->kind), "event 0x%02x", id);
	f->pasid = p->dw[0] & (1u << 11) ?
			   (int64_t)((p->dw[0] >> 12) & 0xfffff) :
			   -1;
	f->have_sid = true;
	f->sid = sid;
	if (sid <= 0xffff)
		snprintf(f->device, sizeof(f->device), "0000:%02x:%02x.%u",
			 sid >> 8, (sid >> 3) & 0x1f, sid & 7);
	snprintf(f->unit, sizeof(f->unit), "%s", p->smmu_unit);
	if (id >= 0x10 && id <= 0x13) {
		/* F_TRANSLATION .. F_PERMISSION: dword 1 RnW (35), S2 (39),
		 * CLASS (41:40); dword 2 the input address */
		f->access = p->dw[1] & (1ull << 35) ?
				    IOMMUCTL_FAULT_ACCESS_READ :
				    IOMMUCTL_FAULT_ACCESS_WRITE;
		f->have_addr = true;
		f->addr = p->dw[2];
		snprintf(f->reason, sizeof(f->reason), "%s (stage %d, %s)",
			 meaning, p->dw[1] & (1ull << 39) ? 2 : 1,
			 classes[cls]);
	} else {
		snprintf(f->reason, sizeof(f->reason), "%s", meaning);
	}
}

static int parse_smmu(struct iommuctl_fault_parser *p, const char *s,
		      struct iommuctl_fault_line *f)
{
	char unit[64];
	const char *t = smmu_text(s, unit);
	unsigned int id;
	uint64_t v;
	int n = 0;

	if (!t)
		return 0;
	if (sscanf(t, "event 0x%2x received:%n", &id, &n) == 1 && n > 0) {
		p->smmu_have = 0;
		snprintf(p->smmu_unit, sizeof(p->smmu_unit), "%s", unit);
		return 0;
	}
	if (p->smmu_have < 0 || strcmp(unit, p->smmu_unit))
		return 0;
	/* "\t0x%016llx": a tab, or "\x09" as /dev/kmsg escapes it */
	while (*t == ' ' || *t == '\t')
		t++;
	if (!strncmp(t, "\\x09", 4))
		t += 4;
	if (strncmp(t, "0x", 2) || !parse_u64(t, &v)) {
		p->smmu_have = -1;
		return -EBADMSG;
	}
	p->dw[p->smmu_have++] = v;
	if (p->smmu_have < SMMU_DWORDS)
		return 0;
	p->smmu_have = -1;
	smmu_decode(p, f);
	return 1;
}

/* The parser without the size check, for the monitor */
static int fault_parse(struct iommuctl_fault_parser *p, const char *line,
		       struct iommuctl_fault_line *out)
{
	struct iommuctl_fault_line f;
	int rc;

	line = skip_time(line);
	rc = parse_smmu(p, line, &f);
	if (rc == 0)
		rc = parse_vtd(line, &f);
	if (rc == 0)
		rc = parse_amd(line, &f);
	if (rc == 1)
		*out = f;
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_fault_parse_sz(struct iommuctl_fault_parser *p,
					    const char *line,
					    struct iommuctl_fault_line *out,
					    size_t size)
{
	int rc = sz_out(out, size, sizeof(*out));

	if (rc < 0)
		return rc;
	if (!p || !line || !out)
		return -EINVAL;
	return fault_parse(p, line, out);
}

/* ---- the monitor ---------------------------------------------------------- */

#define QUEUE_MAX 16
#define GROUP_GONE_MS 2000 /* how long a removed device's group is watched */

struct known_dev {
	char bdf[16];
	char driver[64];
	int group;
};

/* A group seen, with its directory's inode: a group removed and made again
 * under the same number (the kernel reuses the lowest free one) between
 * two looks has another. */
struct known_group {
	int id;
	uint64_t ino;
};

struct group_watch {
	int group;
	char bdf[16];
	uint64_t seqnum; /* of the uevent that made it */
	uint64_t until_ms;
	bool gone; /* its directory was seen gone */
	bool emptied; /* its last known device was removed */
};

struct iommuctl_monitor {
	struct iommuctl_ctx *ctx;
	struct udev *udev;
	struct udev_monitor *umon;
	const char *usource;
	int kmsg;
	int epfd;
	struct iommuctl_fault_parser *fp;
	struct iommuctl_event queue[QUEUE_MAX];
	unsigned int qhead, qlen;
	struct known_dev *devs;
	size_t ndevs, capdevs;
	struct known_group *groups; /* the groups that exist */
	size_t ngroups, capgroups;
	struct group_watch *watch;
	size_t nwatch, capwatch;
	char fault_line[512];
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static struct iommuctl_event *queue_add(struct iommuctl_monitor *m,
					enum iommuctl_event_type type)
{
	struct iommuctl_event *ev;

	if (m->qlen == QUEUE_MAX) {
		err(m->ctx, "monitor: event queue full, %s event dropped\n",
		    iommuctl_event_type_name(type));
		return NULL;
	}
	ev = &m->queue[(m->qhead + m->qlen++) % QUEUE_MAX];
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->group = -1;
	ev->usec = now_usec();
	return ev;
}

static struct known_dev *dev_find(struct iommuctl_monitor *m, const char *bdf)
{
	size_t i;

	for (i = 0; i < m->ndevs; i++)
		if (!strcmp(m->devs[i].bdf, bdf))
			return &m->devs[i];
	return NULL;
}

static struct known_dev *dev_get(struct iommuctl_monitor *m, const char *bdf)
{
	struct known_dev *d = dev_find(m, bdf);

	if (d)
		return d;
	if (array_grow(&m->devs, &m->capdevs, m->ndevs, sizeof(*m->devs)) < 0)
		return NULL;
	d = &m->devs[m->ndevs++];
	memset(d, 0, sizeof(*d));
	snprintf(d->bdf, sizeof(d->bdf), "%s", bdf);
	d->group = -1;
	return d;
}

static void dev_forget(struct iommuctl_monitor *m, const char *bdf)
{
	struct known_dev *d = dev_find(m, bdf);

	if (d)
		*d = m->devs[--m->ndevs];
}

static struct known_group *group_find(struct iommuctl_monitor *m, int g)
{
	size_t i;

	for (i = 0; i < m->ngroups; i++)
		if (m->groups[i].id == g)
			return &m->groups[i];
	return NULL;
}

static bool group_known(struct iommuctl_monitor *m, int g)
{
	return group_find(m, g) != NULL;
}

/* The inode of group @g's directory, 0 when it is not there. */
static uint64_t group_ino(struct iommuctl_monitor *m, int g)
{
	char path[64];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d", g);
	fd = sysfs_open(m->ctx, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0)
		st.st_ino = 0;
	close(fd);
	return (uint64_t)st.st_ino;
}

static int group_remember(struct iommuctl_monitor *m, int g)
{
	if (group_known(m, g))
		return 0;
	if (array_grow(&m->groups, &m->capgroups, m->ngroups,
		       sizeof(*m->groups)) < 0)
		return -ENOMEM;
	m->groups[m->ngroups].id = g;
	m->groups[m->ngroups++].ino = group_ino(m, g);
	return 1;
}

static void group_forget(struct iommuctl_monitor *m, int g)
{
	size_t i;

	for (i = 0; i < m->ngroups; i++)
		if (m->groups[i].id == g) {
			m->groups[i] = m->groups[--m->ngroups];
			return;
		}
}

/* Group @g is gone: its directory, or the one seen (another group under
 * the same number now). */
static bool group_gone(struct iommuctl_monitor *m, int g)
{
	struct known_group *k = group_find(m, g);
	uint64_t ino = group_ino(m, g);

	return !ino || (k && k->ino && k->ino != ino);
}

/* The group of @bdf in sysfs, or -1. */
static int dev_group(struct iommuctl_monitor *m, const char *bdf)
{
	char path[96], *name = NULL, *end;
	long g = -1;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
		 bdf);
	if (sysfs_link_basename(m->ctx, path, &name) < 0)
		return -1;
	g = strtol(name, &end, 10);
	if (*end || end == name || g < 0 || g > 0x7fffffff)
		g = -1;
	free(name);
	return (int)g;
}

/* The driver of @bdf in sysfs into @out ("" without one). */
static void dev_driver(struct iommuctl_monitor *m, const char *bdf,
		       char out[64])
{
	char path[96], *name = NULL;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	if (sysfs_link_basename(m->ctx, path, &name) < 0)
		return;
	snprintf(out, 64, "%s", name);
	free(name);
}

/* @bdf's group, newly seen: a group-add event for a group not known. */
static void group_check_new(struct iommuctl_monitor *m, struct known_dev *d)
{
	struct iommuctl_event *ev;
	int g = dev_group(m, d->bdf);

	if (g < 0)
		return;
	d->group = g;
	if (group_remember(m, g) != 1)
		return;
	ev = queue_add(m, IOMMUCTL_EVENT_GROUP_ADD);
	if (!ev)
		return;
	snprintf(ev->name, sizeof(ev->name), "%d", g);
	snprintf(ev->device, sizeof(ev->device), "%s", d->bdf);
	ev->group = g;
}

/* @g may go away now that @bdf left it: watched for a while. */
static void group_watch_add(struct iommuctl_monitor *m, int g, const char *bdf,
			    uint64_t seqnum)
{
	struct group_watch *w;
	size_t i;

	if (g < 0)
		return;
	/* watched already (an unbind, then the removal): the later event
	 * is the one the group goes with */
	for (i = 0; i < m->nwatch; i++)
		if (m->watch[i].group == g) {
			w = &m->watch[i];
			goto set;
		}
	if (array_grow(&m->watch, &m->capwatch, m->nwatch, sizeof(*m->watch)) <
	    0)
		return;
	w = &m->watch[m->nwatch++];
	w->gone = false;
	w->emptied = false;
set:
	w->group = g;
	w->seqnum = seqnum;
	snprintf(w->bdf, sizeof(w->bdf), "%s", bdf);
	w->until_ms = now_ms() + GROUP_GONE_MS;
}

/* @bdf, removed, was the last device known in group @g: the kernel frees
 * a group with its last device, so a device added back under the same
 * number is in a new group even when the monitor never saw the directory
 * go (one CPU: a rescan 150 ms after the removal). */
static void group_watch_emptied(struct iommuctl_monitor *m, int g,
				const char *bdf)
{
	size_t i;

	for (i = 0; i < m->ndevs; i++)
		if (m->devs[i].group == g && strcmp(m->devs[i].bdf, bdf))
			return;
	for (i = 0; i < m->nwatch; i++)
		if (m->watch[i].group == g)
			m->watch[i].emptied = true;
}

/* Marks the watched groups whose directory is gone, or (@g >= 0) group @g
 * when its last device's removal is being watched. */
static bool group_watch_mark_as(struct iommuctl_monitor *m, int g)
{
	bool any = false;
	size_t i;

	for (i = 0; i < m->nwatch; i++)
		if (!m->watch[i].gone &&
		    ((g >= 0 && m->watch[i].group == g && m->watch[i].emptied) ||
		     group_gone(m, m->watch[i].group)))
			any = m->watch[i].gone = true;
	return any;
}

static bool group_watch_mark(struct iommuctl_monitor *m)
{
	return group_watch_mark_as(m, -1);
}

/* A group-remove event for each group marked gone; the others are given
 * up after GROUP_GONE_MS. */
static void group_watch_emit(struct iommuctl_monitor *m)
{
	uint64_t now = now_ms();
	size_t i = 0;

	while (i < m->nwatch) {
		struct group_watch *w = &m->watch[i];

		if (w->gone && group_known(m, w->group)) {
			struct iommuctl_event *ev =
				queue_add(m, IOMMUCTL_EVENT_GROUP_REMOVE);

			if (!ev)
				return; /* the queue is full: later */
			snprintf(ev->name, sizeof(ev->name), "%d", w->group);
			snprintf(ev->device, sizeof(ev->device), "%s", w->bdf);
			ev->group = w->group;
			ev->seqnum = w->seqnum;
			group_forget(m, w->group);
		}
		if (w->gone || now >= w->until_ms)
			*w = m->watch[--m->nwatch];
		else
			i++;
	}
}

/* What is there now: every PCI device's driver and group, every group. */
static int snapshot(struct iommuctl_monitor *m)
{
	struct strv s = { 0 };
	size_t i;
	int rc;

	rc = sysfs_list(m->ctx, "/sys/kernel/iommu_groups", &s);
	for (i = 0; rc >= 0 && i < s.n; i++) {
		char *end;
		long g = strtol(s.v[i], &end, 10);

		if (!*end && end != s.v[i] && g >= 0 && g <= 0x7fffffff)
			group_remember(m, (int)g);
	}
	strv_free(&s);
	memset(&s, 0, sizeof(s));
	rc = sysfs_list(m->ctx, "/sys/bus/pci/devices", &s);
	for (i = 0; rc >= 0 && i < s.n; i++) {
		struct known_dev *d = dev_get(m, s.v[i]);

		if (!d) {
			strv_free(&s);
			return -ENOMEM;
		}
		dev_driver(m, d->bdf, d->driver);
		d->group = dev_group(m, d->bdf);
	}
	strv_free(&s);
	return 0;
}

/* The PCI device a VFIO cdev's devpath is under: ".../0000:00:03.0/vfio-dev/vfio0" */
static void devpath_parent_bdf(const char *devpath, char out[16])
{
	const char *e = strstr(devpath ? devpath : "", "/vfio-dev/");
	const char *b;
	char tmp[16];

	out[0] = '\0';
	if (!e)
		return;
	for (b = e; b > devpath && b[-1] != '/'; b--)
		;
	if ((size_t)(e - b) < sizeof(tmp) &&
	    parse_bdf(b, tmp) == (size_t)(e - b))
		snprintf(out, 16, "%s", tmp);
}

static void node_path(struct udev_device *d, char out[80])
{
	const char *node = sym_udev_device_get_devnode(d);
	const char *name = sym_udev_device_get_property_value(d, "DEVNAME");

	out[0] = '\0';
	if (node)
		snprintf(out, 80, "%s", node);
	else if (name)
		snprintf(out, 80, "%s%s", name[0] == '/' ? "" : "/dev/", name);
}

static void on_pci(struct iommuctl_monitor *m, struct udev_device *d,
		   const char *action, const char *bdf)
{
	const char *drv = sym_udev_device_get_property_value(d, "DRIVER");
	const char *id = sym_udev_device_get_property_value(d, "PCI_ID");
	struct iommuctl_event *ev;
	struct known_dev *k;

	if (!strcmp(action, "add") || !strcmp(action, "bind")) {
		bool add = action[0] == 'a';
		int g = -1, i;

		if (add) {
			g = dev_group(m, bdf);
			/* the kernel links a device to its group just after the
			 * add uevent: while a removal is watched (a rescan),
			 * wait for the link up to 100 ms, so that the group is
			 * known before the device-add is queued */
			for (i = 0; g < 0 && m->nwatch && i < 20; i++) {
				usleep(5000);
				g = dev_group(m, bdf);
			}
			/* a group that went with a removal before this add
			 * (and may be back under its number already) is
			 * reported first, also one marked gone before this
			 * uevent was read */
			group_watch_mark_as(m, g);
			group_watch_emit(m);
		}
		k = dev_get(m, bdf);
		if (!k)
			return;
		snprintf(k->driver, sizeof(k->driver), "%s", drv ? drv : "");
		ev = queue_add(m, add ? IOMMUCTL_EVENT_DEVICE_ADD :
					IOMMUCTL_EVENT_DRIVER_BIND);
		if (ev) {
			k->group = g >= 0 ? g : dev_group(m, bdf);
			ev->group = k->group;
			snprintf(ev->driver, sizeof(ev->driver), "%s",
				 k->driver);
		}
		/* a bind too: some IOMMUs (virtio-iommu, DT systems) group a
		 * device only when a driver binds */
		group_check_new(m, k);
	} else if (!strcmp(action, "remove") || !strcmp(action, "unbind")) {
		bool remove = action[0] == 'r';

		k = dev_find(m, bdf);
		ev = queue_add(m, remove ? IOMMUCTL_EVENT_DEVICE_REMOVE :
					   IOMMUCTL_EVENT_DRIVER_UNBIND);
		if (ev && k) {
			/* an unbind uevent has no DRIVER=: the one seen bound */
			ev->group = k->group;
			snprintf(ev->driver, sizeof(ev->driver), "%s",
				 k->driver);
		}
		if (k) {
			group_watch_add(m, k->group, bdf,
					sym_udev_device_get_seqnum(d));
			if (remove) {
				group_watch_emptied(m, k->group, bdf);
				dev_forget(m, bdf);
			} else {
				k->driver[0] = '\0';
			}
		}
	} else {
		return; /* change, move, online ... */
	}
	if (!ev)
		return;
	snprintf(ev->device, sizeof(ev->device), "%s", bdf);
	if (id && (ev->type == IOMMUCTL_EVENT_DEVICE_ADD ||
		   ev->type == IOMMUCTL_EVENT_DEVICE_REMOVE)) {
		char lower[16];
		size_t i;

		for (i = 0; id[i] && i < sizeof(lower) - 1; i++)
			lower[i] = (char)(id[i] >= 'A' && id[i] <= 'F' ?
						  id[i] - 'A' + 'a' :
						  id[i]);
		lower[i] = '\0';
		snprintf(ev->id, sizeof(ev->id), "%s", lower);
	}
}

static void on_uevent(struct iommuctl_monitor *m, struct udev_device *d)
{
	const char *action = sym_udev_device_get_action(d);
	const char *sub = sym_udev_device_get_subsystem(d);
	const char *name = sym_udev_device_get_sysname(d);
	struct iommuctl_event *ev = NULL;
	bool add;
	size_t before = m->qlen;
	unsigned long long seq = sym_udev_device_get_seqnum(d);

	if (!action || !sub || !name)
		return;
	add = !strcmp(action, "add");
	if (!strcmp(sub, "pci")) {
		char bdf[16];

		if (parse_bdf(name, bdf) != strlen(name))
			return;
		on_pci(m, d, action, bdf);
	} else if (!strcmp(sub, "vfio-dev")) {
		if (!add && strcmp(action, "remove"))
			return;
		ev = queue_add(m, add ? IOMMUCTL_EVENT_VFIO_CDEV_ADD :
					IOMMUCTL_EVENT_VFIO_CDEV_REMOVE);
		if (!ev)
			return;
		devpath_parent_bdf(sym_udev_device_get_devpath(d), ev->device);
		if (ev->device[0]) {
			struct known_dev *k = dev_find(m, ev->device);

			if (k)
				ev->group = k->group;
		}
	} else if (!strcmp(sub, "vfio")) {
		/* class vfio: the group nodes (/dev/vfio/vfio is misc) */
		if (!add && strcmp(action, "remove"))
			return;
		ev = queue_add(m, add ? IOMMUCTL_EVENT_VFIO_GROUP_ADD :
					IOMMUCTL_EVENT_VFIO_GROUP_REMOVE);
		if (!ev)
			return;
		{
			const char *g = strncmp(name, "noiommu-", 8) ? name :
								       name + 8;
			char *end;
			long n = strtol(g, &end, 10);

			if (!*end && end != g && n >= 0 && n <= 0x7fffffff)
				ev->group = (int)n;
		}
	}
	if (ev) {
		snprintf(ev->name, sizeof(ev->name), "%s", name);
		node_path(d, ev->devnode);
	}
	/* every event this uevent made carries its SEQNUM (a group-remove
	 * it brought out carries the removal's) */
	for (; before < m->qlen; before++) {
		struct iommuctl_event *e =
			&m->queue[(m->qhead + before) % QUEUE_MAX];

		if (!e->seqnum)
			e->seqnum = seq;
	}
}

static int read_udev(struct iommuctl_monitor *m)
{
	struct udev_device *d;

	while (m->qlen < QUEUE_MAX / 2 &&
	       (d = sym_udev_monitor_receive_device(m->umon))) {
		on_uevent(m, d);
		sym_udev_device_unref(d);
	}
	return 0;
}

/* "\x09" as /dev/kmsg writes control characters: the character */
static void unescape(char *s)
{
	char *o = s;

	while (*s) {
		if (s[0] == '\\' && s[1] == 'x' && hex_digit(s[2]) >= 0 &&
		    hex_digit(s[3]) >= 0) {
			*o++ = (char)(hex_digit(s[2]) << 4 | hex_digit(s[3]));
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
}

static int read_kmsg(struct iommuctl_monitor *m)
{
	char rec[8192];

	while (m->qlen < QUEUE_MAX / 2) {
		struct iommuctl_fault_line f;
		struct iommuctl_event *ev;
		unsigned long long seq = 0, usec = 0;
		char *semi, *nl, *text;
		ssize_t n = read(m->kmsg, rec, sizeof(rec) - 1);
		int rc;

		if (n < 0 && errno == EPIPE) {
			notice(m->ctx,
			       "monitor: kernel log records were overwritten before they were read\n");
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0) {
			rc = -errno;
			err(m->ctx, "monitor: reading /dev/kmsg: %s\n",
			    strerror(errno));
			return rc;
		}
		if (n == 0)
			return 0;
		rec[n] = '\0';
		semi = strchr(rec, ';');
		if (!semi)
			continue;
		if (sscanf(rec, "%*u,%llu,%llu", &seq, &usec) != 2)
			seq = usec = 0;
		text = semi + 1;
		nl = strchr(text, '\n'); /* then " KEY=value" lines */
		if (nl)
			*nl = '\0';
		unescape(text);
		rc = fault_parse(m->fp, text, &f);
		if (rc == -EBADMSG)
			notice(m->ctx,
			       "monitor: cannot decode an IOMMU fault line: %s\n",
			       text);
		/* an SMMUv3 event is named by its first line */
		if (rc == 0 && strstr(text, "received:"))
			snprintf(m->fault_line, sizeof(m->fault_line), "%s",
				 text);
		if (rc != 1)
			continue;
		ev = queue_add(m, IOMMUCTL_EVENT_FAULT);
		if (!ev)
			continue;
		ev->fault = f;
		ev->usec = usec;
		ev->seqnum = seq;
		snprintf(ev->device, sizeof(ev->device), "%s", f.device);
		snprintf(ev->line, sizeof(ev->line), "%s",
			 f.iommu == IOMMUCTL_FAULT_SMMUV3 ? m->fault_line :
							    text);
		/* the device's driver and group now, in sysfs (a monitor of
		 * faults alone hears no bind) */
		if (f.device[0]) {
			ev->group = dev_group(m, f.device);
			dev_driver(m, f.device, ev->driver);
		}
	}
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_monitor_new(struct iommuctl_ctx *ctx,
					 unsigned int sources,
					 struct iommuctl_monitor **out)
{
	struct iommuctl_monitor *m;
	struct epoll_event e = { .events = EPOLLIN };
	int rc;

	if (!ctx || !out ||
	    !(sources & (IOMMUCTL_MONITOR_UEVENTS | IOMMUCTL_MONITOR_FAULTS)))
		return -EINVAL;
	if (ctx->offline) {
		dbg(ctx,
		    "monitor: events are live only, not from a root prefix or bundle\n");
		return -EOPNOTSUPP;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->ctx = iommuctl_ref(ctx);
	m->kmsg = -1;
	m->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (m->epfd < 0) {
		rc = -errno;
		goto fail;
	}
	if (sources & IOMMUCTL_MONITOR_UEVENTS) {
		rc = dlib_load(&libudev);
		if (rc < 0) {
			err(ctx,
			    "monitor: uevents need libudev, which cannot be loaded (%s): install %s\n",
			    libudev.why, libudev.package);
			goto fail;
		}
		m->udev = sym_udev_new();
		if (!m->udev) {
			rc = -ENOMEM;
			goto fail;
		}
		/* the udev daemon's events (after its rules: device nodes
		 * exist) where it runs; the kernel's own where it does not
		 * (initramfs, containers) */
		m->usource = access("/run/udev/control", F_OK) ? "kernel" :
								 "udev";
		m->umon = sym_udev_monitor_new_from_netlink(m->udev, m->usource);
		if (!m->umon) {
			rc = errno ? -errno : -EIO;
			err(ctx, "monitor: cannot listen to %s uevents: %s\n",
			    m->usource, strerror(-rc));
			goto fail;
		}
		sym_udev_monitor_set_receive_buffer_size(m->umon, 4 * 1024 * 1024);
		rc = sym_udev_monitor_filter_add_match_subsystem_devtype(
			m->umon, "pci", NULL);
		if (rc >= 0)
			rc = sym_udev_monitor_filter_add_match_subsystem_devtype(
				m->umon, "vfio-dev", NULL);
		if (rc >= 0)
			rc = sym_udev_monitor_filter_add_match_subsystem_devtype(
				m->umon, "vfio", NULL);
		if (rc >= 0)
			rc = sym_udev_monitor_enable_receiving(m->umon);
		if (rc < 0) {
			err(ctx, "monitor: cannot receive uevents: %s\n",
			    strerror(-rc));
			goto fail;
		}
		e.data.u32 = 1;
		if (epoll_ctl(m->epfd, EPOLL_CTL_ADD,
			      sym_udev_monitor_get_fd(m->umon), &e) < 0) {
			rc = -errno;
			goto fail;
		}
	}
	if (sources & IOMMUCTL_MONITOR_FAULTS) {
		rc = iommuctl_fault_parser_new(&m->fp);
		if (rc < 0)
			goto fail;
		m->kmsg = sysfs_open(ctx, "/dev/kmsg",
				     O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (m->kmsg < 0) {
			rc = m->kmsg;
			dbg(ctx, /* the caller says why: not root, dmesg_restrict */
			    "monitor: cannot read the kernel log /dev/kmsg: %s\n",
			    strerror(-rc));
			goto fail;
		}
		/* only what is logged from now on */
		if (lseek(m->kmsg, 0, SEEK_END) < 0) {
			rc = -errno;
			goto fail;
		}
		e.data.u32 = 2;
		if (epoll_ctl(m->epfd, EPOLL_CTL_ADD, m->kmsg, &e) < 0) {
			rc = -errno;
			goto fail;
		}
	}
	rc = snapshot(m);
	if (rc < 0)
		goto fail;
	*out = m;
	return 0;
fail:
	iommuctl_monitor_free(m);
	return rc;
}

IOMMUCTL_EXPORT void iommuctl_monitor_free(struct iommuctl_monitor *m)
{
	if (!m)
		return;
	if (m->umon)
		sym_udev_monitor_unref(m->umon);
	if (m->udev)
		sym_udev_unref(m->udev);
	if (m->kmsg >= 0)
		close(m->kmsg);
	if (m->epfd >= 0)
		close(m->epfd);
	iommuctl_fault_parser_free(m->fp);
	free(m->devs);
	free(m->groups);
	free(m->watch);
	iommuctl_unref(m->ctx);
	free(m);
}

IOMMUCTL_EXPORT const char *
iommuctl_monitor_uevent_source(struct iommuctl_monitor *m)
{
	return m ? m->usource : NULL;
}

IOMMUCTL_EXPORT int iommuctl_monitor_get_fd(struct iommuctl_monitor *m)
{
	return m ? m->epfd : -EINVAL;
}

IOMMUCTL_EXPORT int iommuctl_monitor_get_timeout(struct iommuctl_monitor *m)
{
	uint64_t now = now_ms(), first = UINT64_MAX;
	size_t i;

	if (!m || !m->nwatch)
		return -1;
	for (i = 0; i < m->nwatch; i++)
		if (m->watch[i].until_ms < first)
			first = m->watch[i].until_ms;
	/* look every 50 ms while a group may go */
	return first <= now ? 0 : (int)(first - now < 50 ? first - now : 50);
}

/* Reads what the sources have, waiting up to @wait ms for it: 0, -errno */
static int poll_sources(struct iommuctl_monitor *m, int wait)
{
	struct epoll_event es[4];
	int n, i, rc;

	n = epoll_wait(m->epfd, es, 4, wait);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		rc = es[i].data.u32 == 1 ? read_udev(m) : read_kmsg(m);
		if (rc < 0)
			return rc;
	}
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_monitor_next_sz(struct iommuctl_monitor *m,
					     int timeout_ms,
					     struct iommuctl_event *ev,
					     size_t size)
{
	uint64_t deadline = timeout_ms < 0 ? UINT64_MAX :
					     now_ms() + (uint64_t)timeout_ms;
	int rc = sz_out(ev, size, sizeof(*ev));

	if (rc < 0)
		return rc;
	if (!m || !ev)
		return -EINVAL;
	for (bool polled = false;; polled = true) {
		uint64_t now;
		int wait;

		/* a group's directory goes after the uevent of the removal
		 * it goes with was sent: a group seen gone is reported after
		 * what has come in by then */
		if (group_watch_mark(m) && m->qlen < QUEUE_MAX / 2) {
			rc = poll_sources(m, 0);
			if (rc < 0)
				return rc;
		}
		group_watch_emit(m);
		if (m->qlen) {
			*ev = m->queue[m->qhead];
			m->qhead = (m->qhead + 1) % QUEUE_MAX;
			m->qlen--;
			return 1;
		}
		now = now_ms();
		if (polled && deadline != UINT64_MAX && now >= deadline)
			return 0;
		wait = deadline == UINT64_MAX ?
			       -1 :
			       (int)(deadline > now ? deadline - now : 0);
		rc = iommuctl_monitor_get_timeout(m);
		if (rc >= 0 && (wait < 0 || rc < wait))
			wait = rc;
		rc = poll_sources(m, wait);
		if (rc < 0)
			return rc;
	}
}
