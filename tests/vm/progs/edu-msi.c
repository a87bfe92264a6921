// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * edu-msi: does an MSI from QEMU's `edu` device reach the CPU through the
 * domain its doorbell is said to be mapped in? A test program of the VM
 * tier (tests/vm/scenarios/nested.sh), put into the guest by tests/vm/run.
 *
 *   edu-msi --device BDF [--nest-parent]
 *
 * Steps: a session and an IOAS; bind the device; with --nest-parent
 * allocate a nest-parent hwpt over the IOAS and attach the device to it,
 * else attach it to the IOAS; print where libiommuctl says the doorbell is
 * mapped (iommuctl_device_doorbell()); enable memory decode and bus
 * mastering; VFIO_DEVICE_SET_IRQS: MSI vector 0 to an eventfd (the kernel
 * allocates the vector and, with a software MSI window, maps the doorbell
 * into the attached domain); then edu raises its interrupt (BAR0 0x60) and
 * the eventfd must count it within 2 s. The MSI is a DMA write of the
 * device, translated by the IOMMU like any other: it arrives only if the
 * doorbell is mapped where the device's DMA goes.
 *
 * Output: key=value lines (hwpt=, doorbell=, holder=, window=, msi=N);
 * errors: "error: ..." on stderr, exit 1 (2: usage).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <linux/types.h>

#include <iommuctl/libiommuctl.h>

/* linux/vfio.h, stable since 3.6 */
#define MSI_VFIO_GET_REGION_INFO _IO(';', 100 + 8)
#define MSI_VFIO_SET_IRQS _IO(';', 100 + 10)
#define MSI_VFIO_PCI_BAR0_REGION 0
#define MSI_VFIO_PCI_CONFIG_REGION 7
#define MSI_VFIO_PCI_MSI_IRQ_INDEX 1
#define MSI_VFIO_IRQ_SET_DATA_NONE (1u << 0)
#define MSI_VFIO_IRQ_SET_DATA_EVENTFD (1u << 2)
#define MSI_VFIO_IRQ_SET_ACTION_TRIGGER (1u << 5)

struct msi_region_info {
	__u32 argsz;
	__u32 flags;
	__u32 index;
	__u32 cap_offset;
	__u64 size;
	__u64 offset;
};

struct msi_irq_set {
	__u32 argsz;
	__u32 flags;
	__u32 index;
	__u32 start;
	__u32 count;
	__s32 fd;
};
_Static_assert(sizeof(struct msi_irq_set) == 24, "irq set with one fd");

#define PCI_COMMAND 0x04
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4
#define EDU_REG_ID 0x00
#define EDU_REG_IRQ_STATUS 0x24
#define EDU_REG_IRQ_RAISE 0x60
#define EDU_REG_IRQ_ACK 0x64
#define EDU_ID 0x010000ed
#define EDU_ID_MASK 0xff0000ff

static void fail_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void fail_rc(struct iommuctl_session *s, const char *what, int rc)
{
	const char *why = s ? iommuctl_session_error(s) : NULL;

	fail_msg("%s: %s%s%s", what, strerror(-rc), why ? ": " : "",
		 why ? why : "");
}

static void rw(int fd, bool wr, uint64_t off, void *buf, size_t len,
	       const char *what)
{
	ssize_t n = wr ? pwrite(fd, buf, len, (off_t)off) :
			 pread(fd, buf, len, (off_t)off);

	if (n != (ssize_t)len)
		fail_msg("%s %s: %s", wr ? "writing" : "reading", what,
			 n < 0 ? strerror(errno) : "short");
}

static uint64_t region(int fd, uint32_t index)
{
	struct msi_region_info ri = { .argsz = sizeof(ri), .index = index };

	if (ioctl(fd, MSI_VFIO_GET_REGION_INFO, &ri) < 0)
		fail_msg("VFIO_DEVICE_GET_REGION_INFO %u: %s", index,
			 strerror(errno));
	return ri.offset;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "nest-parent", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	struct iommuctl_hwpt_args h = { 0 };
	struct msi_irq_set set = { 0 };
	struct iommuctl_doorbell db;
	struct iommuctl_obj *ioas, *dev, *pt, *np = NULL;
	struct iommuctl_session *s;
	struct iommuctl_ctx *ctx;
	struct pollfd p;
	const char *bdf = NULL;
	bool nest = false;
	uint64_t cfg, bar, count = 0;
	uint32_t v;
	uint16_t cmd;
	int c, rc, fd, efd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'd')
			bdf = optarg;
		else if (c == 'n')
			nest = true;
		else {
			fputs("usage: edu-msi --device BDF [--nest-parent]\n",
			      c == 'h' ? stdout : stderr);
			return c == 'h' ? 0 : 2;
		}
	}
	if (!bdf || optind != argc) {
		fputs("usage: edu-msi --device BDF [--nest-parent]\n", stderr);
		return 2;
	}
	rc = iommuctl_new(&ctx);
	if (rc)
		fail_rc(NULL, "iommuctl_new", rc);
	rc = iommuctl_session_open(ctx, &s);
	if (rc)
		fail_rc(NULL, "opening /dev/iommu", rc);
	rc = iommuctl_ioas_alloc(s, &ioas);
	if (rc)
		fail_rc(s, "IOMMU_IOAS_ALLOC", rc);
	rc = iommuctl_vfio_device_bind(s, bdf, &dev);
	if (rc)
		fail_rc(s, "binding the device", rc);
	pt = ioas;
	if (nest) {
		h.device = dev;
		h.pt = ioas;
		h.flags = IOMMUCTL_HWPT_NEST_PARENT;
		rc = iommuctl_hwpt_alloc(s, &h, &np);
		if (rc)
			fail_rc(s, "a nest-parent hwpt", rc);
		pt = np;
	}
	rc = iommuctl_device_attach(dev, pt);
	if (rc)
		fail_rc(s, "attaching the device", rc);
	rc = iommuctl_device_doorbell(dev, &db);
	if (rc)
		fail_rc(s, "where the doorbell is", rc);
	printf("hwpt=%s doorbell=%s holder=%s window=0x%" PRIx64 "-0x%" PRIx64
	       "\n",
	       db.attached ? iommuctl_obj_label(db.attached) : "-",
	       iommuctl_doorbell_where_name(db.where),
	       db.holder ? iommuctl_obj_label(db.holder) : "-", db.start,
	       db.last);

	fd = iommuctl_obj_get_fd(dev);
	if (fd < 0)
		fail_rc(s, "the device's cdev", fd);
	cfg = region(fd, MSI_VFIO_PCI_CONFIG_REGION);
	bar = region(fd, MSI_VFIO_PCI_BAR0_REGION);
	rw(fd, false, cfg + PCI_COMMAND, &cmd, sizeof(cmd), "PCI command");
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	rw(fd, true, cfg + PCI_COMMAND, &cmd, sizeof(cmd), "PCI command");
	rw(fd, false, bar + EDU_REG_ID, &v, sizeof(v), "the edu id");
	if ((v & EDU_ID_MASK) != EDU_ID)
		fail_msg("BAR0 id register reads 0x%08x: not an edu device", v);

	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0)
		fail_msg("eventfd: %s", strerror(errno));
	set.argsz = sizeof(set);
	set.flags = MSI_VFIO_IRQ_SET_DATA_EVENTFD |
		    MSI_VFIO_IRQ_SET_ACTION_TRIGGER;
	set.index = MSI_VFIO_PCI_MSI_IRQ_INDEX;
	set.count = 1;
	set.fd = efd;
	if (ioctl(fd, MSI_VFIO_SET_IRQS, &set) < 0)
		fail_msg("VFIO_DEVICE_SET_IRQS (MSI to an eventfd): %s",
			 strerror(errno));
	printf("msi_enabled=1\n");

	v = 1;
	rw(fd, true, bar + EDU_REG_IRQ_RAISE, &v, sizeof(v), "irq raise");
	p.fd = efd;
	p.events = POLLIN;
	if (poll(&p, 1, 2000) == 1 && read(efd, &count, sizeof(count)) < 0)
		count = 0;
	rw(fd, false, bar + EDU_REG_IRQ_STATUS, &v, sizeof(v), "irq status");
	printf("irq_status=0x%x\n", v);
	rw(fd, true, bar + EDU_REG_IRQ_ACK, &v, sizeof(v), "irq ack");
	printf("msi=%" PRIu64 "\n", count);

	/* MSI off again, then everything goes with the session */
	set.argsz = sizeof(set) - sizeof(set.fd);
	set.flags = MSI_VFIO_IRQ_SET_DATA_NONE |
		    MSI_VFIO_IRQ_SET_ACTION_TRIGGER;
	set.count = 0;
	if (ioctl(fd, MSI_VFIO_SET_IRQS, &set) < 0)
		fail_msg("VFIO_DEVICE_SET_IRQS (MSI off): %s", strerror(errno));
	close(efd);
	iommuctl_session_close(s);
	iommuctl_unref(ctx);
	return count ? 0 : 1;
}
