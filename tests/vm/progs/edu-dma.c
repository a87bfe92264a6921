// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * edu-dma: has QEMU's `edu` device copy data RAM -> device -> RAM through
 * the IOMMU, with everything iommufd set up by libiommuctl. A test program
 * of the VM tier (tests/vm/scenarios/dma.sh), put into the guest by
 * tests/vm/run.
 *
 *   edu-dma --device BDF [OPTIONS]          opens /dev/iommu and the cdev
 *   edu-dma --iommufd N --vfio N [--name BDF] [OPTIONS]
 *                                           uses inherited fds (iommuctl exec)
 *
 * Steps: a session, an IOAS, 64 KiB of anonymous memory mapped read+write
 * at --iova (below 256 MiB: edu's DMA mask is 28 bits), bind and attach the
 * device, enable memory decode and bus mastering in its PCI command
 * register (VFIO config region), then through BAR0: DMA --size bytes of a
 * pattern from IOVA to the device's buffer (0x40000), and back to IOVA +
 * 0x1000, and compare. --after-unmap then unmaps the IOVA range and runs
 * the device -> RAM DMA again: the IOMMU must block it, which the guest
 * kernel logs as a DMAR fault (the caller checks dmesg).
 *
 * Output: key=value lines for a shell to grep (uid=, ioas=, devid=, hwpt=,
 * dma=ok bytes=N, after_unmap=done dst=0x...); errors: "error: ..." on
 * stderr, exit 1 (2: usage, or --expect-uid did not match).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#include <iommuctl/libiommuctl.h>

/* VFIO_DEVICE_GET_REGION_INFO (linux/vfio.h, stable since 3.6) */
#define EDU_VFIO_GET_REGION_INFO _IO(';', 100 + 8)
#define EDU_VFIO_PCI_BAR0_REGION 0
#define EDU_VFIO_PCI_CONFIG_REGION 7

struct edu_vfio_region_info {
	__u32 argsz;
	__u32 flags;
	__u32 index;
	__u32 cap_offset;
	__u64 size;
	__u64 offset;
};
_Static_assert(sizeof(struct edu_vfio_region_info) == 32, "region info");
_Static_assert(EDU_VFIO_GET_REGION_INFO == 0x3b6c, "region info nr");

#define PCI_COMMAND 0x04
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4

/* edu BAR0 registers (QEMU hw/misc/edu.c): 4- or 8-byte accesses */
#define EDU_REG_ID 0x00
#define EDU_REG_DMA_SRC 0x80
#define EDU_REG_DMA_DST 0x88
#define EDU_REG_DMA_CNT 0x90
#define EDU_REG_DMA_CMD 0x98
#define EDU_DMA_START 0x1 /* start; reads back set while busy */
#define EDU_DMA_TO_RAM 0x2 /* device -> RAM; clear: RAM -> device */
#define EDU_BUF 0x40000 /* the device's 4 KiB buffer */
#define EDU_ID_MASK 0xff
#define EDU_ID 0xed
#define EDU_MAX_XFER 2048 /* QEMU 7.2 stops at a 4096-byte transfer */
#define EDU_DMA_MASK ((1ull << 28) - 1)

#define MAP_LEN ((uint64_t)0x10000)
#define DST_OFF ((uint64_t)0x1000)
#define DMA_TIMEOUT_MS 2000

struct edu {
	struct iommuctl_session *s;
	int fd; /* VFIO device cdev */
	uint64_t cfg_off;
	uint64_t bar_off;
	uint64_t bar_size;
};

static const char *usage_text =
	"usage: edu-dma --device BDF [OPTIONS]\n"
	"       edu-dma --iommufd N --vfio N [--name BDF] [OPTIONS]\n"
	"  --device BDF     open /dev/iommu and the device's VFIO cdev (on vfio-pci)\n"
	"  --iommufd N      an open /dev/iommu inherited as fd N\n"
	"  --vfio N         an open /dev/vfio/devices/vfioX inherited as fd N\n"
	"  --name BDF       what to call the device given by --vfio\n"
	"  --iova ADDR      IOVA of the 64 KiB mapping (default 0x200000, below 256 MiB)\n"
	"  --size N         bytes per transfer, 1-2048 (default 2048)\n"
	"  --after-unmap    then unmap and run the device->RAM DMA again (must fault)\n"
	"  --expect-uid N   exit 2 unless running as uid N\n";

static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fputs(usage_text, stderr);
	exit(2);
}

/* Fails the program: "error: WHAT: <the session's explanation or errno>". */
static void fail_rc(struct iommuctl_session *s, const char *what, int rc)
{
	const char *why = s ? iommuctl_session_error(s) : NULL;

	fprintf(stderr, "error: %s: %s\n", what, why ? why : strerror(-rc));
	exit(1);
}

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

static uint64_t parse_u64(const char *opt, const char *arg)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-')
		usage_error("%s: '%s' is not a number", opt, arg);
	return v;
}

static int parse_fd(const char *opt, const char *arg)
{
	uint64_t v = parse_u64(opt, arg);

	if (v > 1024 * 1024)
		usage_error("%s: '%s' is not a file descriptor", opt, arg);
	if (fcntl((int)v, F_GETFD) < 0)
		usage_error("%s: fd %s is not open", opt, arg);
	return (int)v;
}

static void region_info(struct edu *e, unsigned int index, uint64_t *off,
			uint64_t *size)
{
	struct edu_vfio_region_info ri = { .argsz = sizeof(ri),
					   .index = index };

	if (ioctl(e->fd, EDU_VFIO_GET_REGION_INFO, &ri) < 0)
		fail_msg("VFIO_DEVICE_GET_REGION_INFO %u: %s", index,
			 strerror(errno));
	*off = ri.offset;
	*size = ri.size;
}

static void dev_pread(struct edu *e, uint64_t off, void *buf, size_t len,
		      const char *what)
{
	ssize_t n = pread(e->fd, buf, len, (off_t)off);

	if (n != (ssize_t)len)
		fail_msg("reading %s: %s", what,
			 n < 0 ? strerror(errno) : "short read");
}

static void dev_pwrite(struct edu *e, uint64_t off, const void *buf, size_t len,
		       const char *what)
{
	ssize_t n = pwrite(e->fd, buf, len, (off_t)off);

	if (n != (ssize_t)len)
		fail_msg("writing %s: %s", what,
			 n < 0 ? strerror(errno) : "short write");
}

static uint64_t reg_read64(struct edu *e, uint64_t reg)
{
	uint64_t v;

	dev_pread(e, e->bar_off + reg, &v, sizeof(v), "an edu register");
	return v;
}

static void reg_write64(struct edu *e, uint64_t reg, uint64_t v)
{
	dev_pwrite(e, e->bar_off + reg, &v, sizeof(v), "an edu register");
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* One DMA transfer; returns once the device reports it done. */
static void edu_dma(struct edu *e, uint64_t src, uint64_t dst, uint64_t cnt,
		    uint64_t dir)
{
	uint64_t t0;

	reg_write64(e, EDU_REG_DMA_SRC, src);
	reg_write64(e, EDU_REG_DMA_DST, dst);
	reg_write64(e, EDU_REG_DMA_CNT, cnt);
	reg_write64(e, EDU_REG_DMA_CMD, EDU_DMA_START | dir);
	t0 = now_ms();
	while (reg_read64(e, EDU_REG_DMA_CMD) & EDU_DMA_START) {
		if (now_ms() - t0 > DMA_TIMEOUT_MS)
			fail_msg("DMA 0x%" PRIx64 " -> 0x%" PRIx64 " (%" PRIu64
				 " bytes) still busy after %d ms",
				 src, dst, cnt, DMA_TIMEOUT_MS);
		usleep(1000);
	}
}

/* A line in the kernel log, so that a DMAR fault can be placed after it. */
static void kmsg(const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	ssize_t w;
	int fd, n;

	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return; /* not root: the caller places faults otherwise */
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0) {
		w = write(fd, buf, (size_t)n); /* best effort */
		(void)w;
	}
	close(fd);
}

static const struct iommuctl_mapping *find_mapping(struct iommuctl_obj *ioas,
						   uint64_t iova)
{
	const struct iommuctl_mapping *m;
	size_t i, n;

	m = iommuctl_ioas_mappings(ioas, &n);
	for (i = 0; i < n; i++)
		if (m[i].iova == iova)
			return &m[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "iommufd", required_argument, NULL, 'i' },
		{ "vfio", required_argument, NULL, 'v' },
		{ "name", required_argument, NULL, 'n' },
		{ "iova", required_argument, NULL, 'a' },
		{ "size", required_argument, NULL, 's' },
		{ "after-unmap", no_argument, NULL, 'u' },
		{ "expect-uid", required_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	const char *bdf = NULL, *name = NULL;
	int iommufd = -1, vfiofd = -1, c, rc;
	uint64_t iova = 0x200000, size = EDU_MAX_XFER, expect_uid = 0;
	bool after_unmap = false, check_uid = false;
	struct iommuctl_map_args ma = { 0 };
	const struct iommuctl_mapping *m;
	struct iommuctl_obj_info info;
	struct iommuctl_obj *ioas, *dev;
	struct iommuctl_ctx *ctx;
	struct edu e = { 0 };
	uint64_t got, cfg_size, unmapped;
	uint8_t *src, *dst;
	uint16_t cmd;
	uint32_t id;
	unsigned int seed;
	size_t i;

	/* lines in order with the error messages when both go to one file */
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			bdf = optarg;
			break;
		case 'i':
			iommufd = parse_fd("--iommufd", optarg);
			break;
		case 'v':
			vfiofd = parse_fd("--vfio", optarg);
			break;
		case 'n':
			name = optarg;
			break;
		case 'a':
			iova = parse_u64("--iova", optarg);
			break;
		case 's':
			size = parse_u64("--size", optarg);
			break;
		case 'u':
			after_unmap = true;
			break;
		case 'U':
			expect_uid = parse_u64("--expect-uid", optarg);
			check_uid = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (bdf ? iommufd >= 0 || vfiofd >= 0 : iommufd < 0 || vfiofd < 0)
		usage_error(
			"give either --device BDF or both --iommufd N and --vfio N");
	if (size < 1 || size > EDU_MAX_XFER)
		usage_error("--size must be 1-%d (QEMU 7.2's edu limit)",
			    EDU_MAX_XFER);
	if (iova & 0xfff || iova > EDU_DMA_MASK ||
	    iova + MAP_LEN - 1 > EDU_DMA_MASK)
		usage_error(
			"--iova must be 4 KiB aligned and the 64 KiB mapping below 256 MiB (edu's 28-bit DMA mask)");

	printf("uid=%u\n", (unsigned int)getuid());
	if (check_uid && getuid() != expect_uid) {
		fprintf(stderr,
			"error: running as uid %u, expected %" PRIu64 "\n",
			(unsigned int)getuid(), expect_uid);
		return 2;
	}

	rc = iommuctl_new(&ctx);
	if (rc)
		fail_rc(NULL, "iommuctl_new", rc);
	if (bdf) {
		rc = iommuctl_session_open(ctx, &e.s);
		if (rc)
			fail_rc(NULL, "opening /dev/iommu", rc);
	} else {
		rc = iommuctl_session_open_fd(ctx, iommufd, &e.s);
		if (rc)
			fail_rc(NULL, "a session on the --iommufd fd", rc);
	}

	rc = iommuctl_ioas_alloc(e.s, &ioas);
	if (rc)
		fail_rc(e.s, "IOMMU_IOAS_ALLOC", rc);
	ma.iova = iova;
	ma.fixed = true;
	ma.length = MAP_LEN;
	ma.perm = IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE;
	ma.mem = IOMMUCTL_MEM_ANON;
	rc = iommuctl_ioas_map(ioas, &ma, &got);
	if (rc)
		fail_rc(e.s, "IOMMU_IOAS_MAP", rc);
	m = find_mapping(ioas, iova);
	if (!m || !m->va)
		fail_msg("the mapping at 0x%" PRIx64 " has no address here",
			 iova);
	src = (uint8_t *)(uintptr_t)m->va;
	dst = src + DST_OFF;
	printf("ioas=%u iova=0x%" PRIx64 " length=0x%" PRIx64 "\n",
	       iommuctl_obj_get_id(ioas), iova, MAP_LEN);

	if (bdf)
		rc = iommuctl_vfio_device_bind(e.s, bdf, &dev);
	else
		rc = iommuctl_vfio_device_bind_fd(e.s, vfiofd, name, &dev);
	if (rc)
		fail_rc(e.s, "binding the device", rc);
	rc = iommuctl_device_attach(dev, ioas);
	if (rc)
		fail_rc(e.s, "attaching the device to the IOAS", rc);
	iommuctl_obj_get_info(dev, &info);
	printf("device=%s devid=%u hwpt=%u\n",
	       info.dev_name ? info.dev_name : "-", info.id,
	       info.attached ? iommuctl_obj_get_id(info.attached) : 0);

	e.fd = iommuctl_obj_get_fd(dev);
	if (e.fd < 0)
		fail_rc(e.s, "the device's cdev", e.fd);
	region_info(&e, EDU_VFIO_PCI_CONFIG_REGION, &e.cfg_off, &cfg_size);
	region_info(&e, EDU_VFIO_PCI_BAR0_REGION, &e.bar_off, &e.bar_size);
	if (e.bar_size < EDU_BUF + 0x1000)
		fail_msg("BAR0 is 0x%" PRIx64 " bytes: not an edu device",
			 e.bar_size);
	dev_pread(&e, e.cfg_off + PCI_COMMAND, &cmd, sizeof(cmd),
		  "the PCI command register");
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	dev_pwrite(&e, e.cfg_off + PCI_COMMAND, &cmd, sizeof(cmd),
		   "the PCI command register");
	dev_pread(&e, e.bar_off + EDU_REG_ID, &id, sizeof(id),
		  "the edu id register");
	if ((id & EDU_ID_MASK) != EDU_ID)
		fail_msg("BAR0 id register reads 0x%08x: not an edu device",
			 id);
	printf("edu_id=0x%08x bar0_size=0x%" PRIx64 " command=0x%04x\n", id,
	       e.bar_size, cmd);

	/* a pattern of this run: a stale device buffer cannot pass */
	seed = (unsigned int)getpid() * 2654435761u ^ (unsigned int)time(NULL);
	for (i = 0; i < size; i++)
		src[i] = (uint8_t)((seed >> (i % 4 * 8)) + i * 7);
	memset(dst, 0, size);

	edu_dma(&e, iova, EDU_BUF, size, 0);
	edu_dma(&e, EDU_BUF, iova + DST_OFF, size, EDU_DMA_TO_RAM);
	for (i = 0; i < size; i++)
		if (dst[i] != src[i])
			fail_msg("DMA data differs at byte %zu of %" PRIu64
				 ": wrote 0x%02x, got 0x%02x (RAM 0x%" PRIx64
				 " -> device -> RAM 0x%" PRIx64 ")",
				 i, size, src[i], dst[i], iova, iova + DST_OFF);
	printf("dma=ok bytes=%" PRIu64 " src=0x%" PRIx64 " dst=0x%" PRIx64 "\n",
	       size, iova, iova + DST_OFF);

	if (after_unmap) {
		kmsg("edu-dma: unmapping IOVA 0x%" PRIx64 "-0x%" PRIx64 "\n",
		     iova, iova + MAP_LEN - 1);
		rc = iommuctl_ioas_unmap(ioas, iova, MAP_LEN, &unmapped);
		if (rc)
			fail_rc(e.s, "IOMMU_IOAS_UNMAP", rc);
		printf("unmapped=%" PRIu64 "\n", unmapped);
		/* the memory is gone with the mapping: the guest log tells */
		edu_dma(&e, EDU_BUF, iova + DST_OFF, size, EDU_DMA_TO_RAM);
		kmsg("edu-dma: DMA to unmapped IOVA 0x%" PRIx64 " done\n",
		     iova + DST_OFF);
		printf("after_unmap=done dst=0x%" PRIx64 "\n", iova + DST_OFF);
	}

	iommuctl_session_close(e.s);
	iommuctl_unref(ctx);
	return 0;
}
