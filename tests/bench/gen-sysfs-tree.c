// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: writes a VT-d-like sysfs tree with exactly GROUPS
 * IOMMU groups and FUNCTIONS PCI functions, for the enumeration benchmark
 * (tests/bench/enum) and the snapshot tier's check that iommuctl reads it.
 * Unlike tests/snapshot/gen-large-tree (counts only), the shape is that of a
 * server: PCI domains of up to 256 buses, each root bus a "stack" with its
 * own host bridge and DMAR unit and up to 8 root ports with ACS. Behind the
 * root ports, in a repeating pattern:
 *   - a switch (upstream port, 8 downstream ports with ACS, a NIC each):
 *     every port and NIC its own group;
 *   - an SR-IOV PF with ACS and ARI and 16 VFs bound to vfio-pci: each
 *     function its own group;
 *   - an SR-IOV PF without ACS: the PF and all its VFs share one group (the
 *     VF counts absorb whatever functions the other blocks leave over). A
 *     simplification: a kernel gives VFs, which are not multifunction, their
 *     own groups; the shared group gives the large groups (and the
 *     "group-quirk" findings) the 4-functions-per-group sizes call for;
 *   - a GPU with its HDMI audio function, no ACS: one group of two;
 *   - a VMD endpoint on the root bus with its own PCI domain (1000N, five
 *     hex digits) of 4 root ports and 4 NVMe drives, all in its group.
 * The first stack also has the PCH (LPC, audio, SMBus, SPI: one group, one
 * with an RMRR) and, on its root bus, as many single-function-group RCiEPs
 * as groups are left over. Each function has the attributes iommuctl and
 * lspci read: vendor, device, subsystem_*, class, revision, config (4 KiB
 * for PCIe: capability list, PCIe capability, extended ACS/ARI/ATS/SR-IOV),
 * irq, resource, numa_node, reset_method, driver_override, modalias, uevent, the
 * driver, subsystem, iommu and iommu_group links, sriov_* and virtfnN for
 * PFs, physfn for VFs; /sys/class/iommu/dmarN has intel-iommu/{cap,ecap,..}
 * and devices/ links. The tree is planned in a dry run (same code, no
 * writes), then written.
 *
 *   gen-sysfs-tree DIR GROUPS FUNCTIONS
 * prints "GROUPS FUNCTIONS DOMAINS DMARS" on stdout.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RP_PER_STACK 8
#define VMD_SLOTS 6 /* 0x0a..0x0f on a root bus */
#define MAX_BLOCKS 100000

enum block { B_NOACS, B_SWITCH, B_SRIOV, B_GPU, B_VMD };
static const enum block pattern[] = { B_NOACS, B_SWITCH, B_SRIOV, B_GPU, B_GPU,
				      B_VMD,   B_NOACS,	 B_GPU,	  B_GPU };

/* Everything the planner snapshots and restores. */
struct state {
	int ng, nf; /* groups, functions made */
	int dom, next_bus; /* current domain, next free bus in it */
	int stack, stack_bus; /* current stack (= dmar index), its root bus */
	int stack_rp, stack_vmd; /* root ports and VMDs on it */
	int ndom, nvmd, nnoacs;
};

static struct state st;
static bool dry;
static const char *root;
static int *vfs_for; /* VF count of each no-ACS PF, in emission order */

struct dev {
	const char *parent; /* sys-relative directory holding the function */
	int dom, bus, slot, fn;
	unsigned int vendor, device, class;
	int type; /* PCIe port type, -1: no PCIe capability */
	bool bridge, mf, acs, ari, sriov, ats;
	int secondary; /* bridges */
	const char *driver;
	int group, numvfs;
	char path[512]; /* out: sys-relative path, "devices/..." */
	char name[32]; /* out: BDF */
};

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void mkdirs(const char *path)
{
	char buf[4096];
	char *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			die(buf);
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		die(buf);
}

static void sysdir(const char *fmt, ...)
{
	char rel[1024], p[4096];
	va_list ap;

	if (dry)
		return;
	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	snprintf(p, sizeof(p), "%s/sys/%s", root, rel);
	mkdirs(p);
}

static void put(const char *dir, const char *name, const void *data, size_t len)
{
	char p[4096];
	int fd;

	if (dry)
		return;
	snprintf(p, sizeof(p), "%s/sys/%s/%s", root, dir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len || close(fd) < 0)
		die(p);
}

static void putf(const char *dir, const char *name, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put(dir, name, buf, (size_t)n);
}

/* Symlink sys/DIR/NAME -> "../" per component of DIR, then TARGET (relative
 * to sys/), as sysfs writes them. */
static void lnk(const char *dir, const char *name, const char *target)
{
	char p[4096], t[4096];
	const char *c;
	size_t n = 0;

	if (dry)
		return;
	for (c = dir;; c++) {
		if (*c == '/' || !*c) {
			if (n + 3 >= sizeof(t))
				die("link target too long");
			memcpy(t + n, "../", 3);
			n += 3;
		}
		if (!*c)
			break;
	}
	snprintf(t + n, sizeof(t) - n, "%s", target);
	snprintf(p, sizeof(p), "%s/sys/%s/%s", root, dir, name);
	if (symlink(t, p) < 0)
		die(p);
}

static const char *const drivers[] = {
	"pcieport", "e1000e",	     "ice",	  "vfio-pci",
	"nouveau",  "snd_hda_intel", "vmd",	  "nvme",
	"lpc_ich",  "i801_smbus",    "intel-spi", "ioatdma"
};

static int new_group(bool rmrr)
{
	char d[64];
	int id = st.ng++;

	if (dry)
		return id;
	snprintf(d, sizeof(d), "kernel/iommu_groups/%d", id);
	sysdir("%s/devices", d);
	putf(d, "type", "DMA-FQ\n");
	putf(d, "reserved_regions",
	     "%s0x00000000fee00000 0x00000000feefffff msi\n",
	     rmrr ? "0x000000007b800000 0x000000007fffffff direct-relaxable\n" :
		    "");
	return id;
}

static void wr16(uint8_t *c, int off, unsigned int v)
{
	c[off] = v & 0xff;
	c[off + 1] = (v >> 8) & 0xff;
}

static void wr32(uint8_t *c, int off, uint32_t v)
{
	wr16(c, off, v & 0xffff);
	wr16(c, off + 2, v >> 16);
}

static size_t config_space(const struct dev *d, uint8_t *c)
{
	int ext = 0x100, ids[4], n = 0, i;

	memset(c, 0, 4096);
	wr16(c, 0, d->vendor);
	wr16(c, 2, d->device);
	wr16(c, 4, 0x0406);
	wr16(c, 6, 0x0010); /* capability list */
	c[8] = 0x01;
	c[9] = d->class & 0xff;
	c[10] = (d->class >> 8) & 0xff;
	c[11] = (d->class >> 16) & 0xff;
	c[14] = (d->bridge ? 1 : 0) | (d->mf ? 0x80 : 0);
	if (d->bridge) {
		c[0x18] = (uint8_t)d->bus;
		c[0x19] = (uint8_t)d->secondary;
		c[0x1a] = (uint8_t)d->secondary;
	} else {
		wr16(c, 0x2c, d->vendor);
		wr16(c, 0x2e, 0x0001);
	}
	c[0x34] = 0x40;
	c[0x40] = 0x01; /* PM */
	c[0x41] = 0x50;
	c[0x50] = d->bridge ? 0x05 : 0x11; /* MSI for ports, MSI-X else */
	c[0x51] = d->type >= 0 ? 0x70 : 0;
	if (d->type < 0)
		return 256;
	c[0x70] = 0x10;
	wr16(c, 0x72, 0x0002 | (unsigned int)d->type << 4);
	if (d->acs)
		ids[n++] = 0x0d;
	if (d->ari)
		ids[n++] = 0x0e;
	if (d->ats)
		ids[n++] = 0x0f;
	if (d->sriov)
		ids[n++] = 0x10;
	for (i = 0; i < n; i++, ext += 0x40) {
		wr32(c, ext,
		     (uint32_t)ids[i] | 1u << 16 |
			     (uint32_t)(i + 1 < n ? ext + 0x40 : 0) << 20);
		if (ids[i] == 0x0d) {
			wr16(c, ext + 4, 0x005f); /* SV TB RR CR UF DT */
			wr16(c, ext + 6, 0x001d); /* SV RR CR UF enabled */
		}
	}
	return 4096;
}

/* Write one function: its directory, attributes and links. */
static void emit(struct dev *d)
{
	static uint8_t cfg[4096];
	char *p = d->path;
	size_t len;

	snprintf(d->name, sizeof(d->name),
		 d->dom > 0xffff ? "%05x:%02x:%02x.%x" : "%04x:%02x:%02x.%x",
		 d->dom, d->bus, d->slot, d->fn);
	snprintf(p, sizeof(d->path), "%s/%s", d->parent, d->name);
	st.nf++;
	if (dry)
		return;
	sysdir("%s", p);
	putf(p, "vendor", "0x%04x\n", d->vendor);
	putf(p, "device", "0x%04x\n", d->device);
	putf(p, "subsystem_vendor", "0x%04x\n", d->bridge ? 0 : d->vendor);
	putf(p, "subsystem_device", "0x%04x\n", d->bridge ? 0 : 1);
	putf(p, "class", "0x%06x\n", d->class);
	putf(p, "revision", "0x01\n");
	len = config_space(d, cfg);
	put(p, "config", cfg, len);
	putf(p, "irq", "%d\n", 16 + st.nf % 200);
	putf(p, "resource",
	     "0x00000000%08x 0x00000000%08x 0x0000000000140204\n%s",
	     0x90000000u + (unsigned int)st.nf * 0x10000u,
	     0x90000000u + (unsigned int)st.nf * 0x10000u + 0xffffu,
	     "0x0000000000000000 0x0000000000000000 0x0000000000000000\n");
	putf(p, "numa_node", "%d\n", st.stack % 2);
	putf(p, "local_cpulist", st.stack % 2 ? "32-63\n" : "0-31\n");
	putf(p, "reset_method", d->bridge ? "pm\n" : "flr bus\n");
	putf(p, "driver_override", "(null)\n");
	putf(p, "enable", "1\n");
	putf(p, "modalias", "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n",
	     d->vendor, d->device, d->bridge ? 0 : d->vendor, d->bridge ? 0 : 1,
	     d->class >> 16, (d->class >> 8) & 0xff, d->class & 0xff);
	{
		char drv[64] = "";
		unsigned int sv = d->bridge ? 0 : d->vendor,
			     sd = d->bridge ? 0 : 1;

		if (d->driver)
			snprintf(drv, sizeof(drv), "DRIVER=%s\n", d->driver);
		putf(p, "uevent",
		     "%sPCI_CLASS=%X\nPCI_ID=%04X:%04X\nPCI_SUBSYS_ID=%04X:%04X\nPCI_SLOT_NAME=%s\n"
		     "MODALIAS=pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n",
		     drv, d->class, d->vendor, d->device, sv, sd, d->name,
		     d->vendor, d->device, sv, sd, d->class >> 16,
		     (d->class >> 8) & 0xff, d->class & 0xff);
	}
	lnk(p, "subsystem", "bus/pci");
	if (d->driver) {
		char t[128];

		snprintf(t, sizeof(t), "bus/pci/drivers/%s", d->driver);
		lnk(p, "driver", t);
		/* and the driver's link back, as driver_sysfs_add() makes */
		lnk(t, d->name, p);
	}
	if (d->group >= 0) {
		char t[128], g[64];

		snprintf(t, sizeof(t), "devices/virtual/iommu/dmar%d",
			 st.stack);
		lnk(p, "iommu", t);
		snprintf(t, sizeof(t), "kernel/iommu_groups/%d", d->group);
		lnk(p, "iommu_group", t);
		snprintf(g, sizeof(g), "kernel/iommu_groups/%d/devices",
			 d->group);
		lnk(g, d->name, p);
		snprintf(g, sizeof(g), "devices/virtual/iommu/dmar%d/devices",
			 st.stack);
		lnk(g, d->name, p);
	}
	lnk("bus/pci/devices", d->name, p);
}

static void new_stack(int buses)
{
	struct dev hb = { 0 };
	char host[64];

	if (st.next_bus + 1 + buses > 256 || st.ndom == 0) {
		if (st.ndom)
			st.dom++;
		st.ndom++;
		st.next_bus = 0;
	}
	st.stack++;
	st.stack_bus = st.next_bus++;
	st.stack_rp = st.stack_vmd = 0;
	snprintf(host, sizeof(host), "devices/pci%04x:%02x", st.dom,
		 st.stack_bus);
	sysdir("%s", host);
	if (!dry) {
		char d[64];

		snprintf(d, sizeof(d), "devices/virtual/iommu/dmar%d",
			 st.stack);
		sysdir("%s/intel-iommu", d);
		sysdir("%s/devices", d);
		putf(d, "intel-iommu/cap", "d2008c40660462\n");
		putf(d, "intel-iommu/ecap", "f050da\n");
		putf(d, "intel-iommu/address", "%x\n",
		     0xfd000000u + (unsigned int)st.stack * 0x4000u);
		putf(d, "intel-iommu/version", "6:0\n");
		putf(d, "intel-iommu/domains_supported", "65536\n");
		putf(d, "intel-iommu/domains_used", "%d\n", 2 + RP_PER_STACK);
		lnk(d, "subsystem", "class/iommu");
		snprintf(d, sizeof(d), "dmar%d", st.stack);
		snprintf(host, sizeof(host), "devices/virtual/iommu/dmar%d",
			 st.stack);
		lnk("class/iommu", d, host);
		snprintf(host, sizeof(host), "devices/pci%04x:%02x", st.dom,
			 st.stack_bus);
	}
	hb = (struct dev){ .parent = host,
			   .dom = st.dom,
			   .bus = st.stack_bus,
			   .vendor = 0x8086,
			   .device = 0x09a2,
			   .class = 0x060000,
			   .type = 9,
			   .group = new_group(false) };
	emit(&hb);
	if (st.stack == 0) { /* the PCH: one group, no ACS, an RMRR */
		static const struct {
			unsigned int dev, cls;
			const char *drv;
			int fn;
		} pch[] = {
			{ 0x1b81, 0x060100, "lpc_ich", 0 },
			{ 0x1bc8, 0x040300, "snd_hda_intel", 3 },
			{ 0x1bc9, 0x0c0500, "i801_smbus", 4 },
			{ 0x1bca, 0x0c8000, "intel-spi", 5 },
		};
		int g = new_group(true);
		size_t i;

		for (i = 0; i < sizeof(pch) / sizeof(pch[0]); i++) {
			struct dev f = { .parent = host,
					 .dom = st.dom,
					 .bus = st.stack_bus,
					 .slot = 0x1f,
					 .fn = pch[i].fn,
					 .vendor = 0x8086,
					 .device = pch[i].dev,
					 .class = pch[i].cls,
					 .type = 9,
					 .mf = true,
					 .driver = pch[i].drv,
					 .group = g };

			emit(&f);
		}
	}
}

/* A root port with ACS for a block needing BUSES buses below it. */
static void root_port(struct dev *rp, int buses)
{
	char host[64];

	if (st.stack < 0 || st.stack_rp == RP_PER_STACK ||
	    st.next_bus + buses > 256)
		new_stack(buses);
	snprintf(host, sizeof(host), "devices/pci%04x:%02x", st.dom,
		 st.stack_bus);
	*rp = (struct dev){ .dom = st.dom,
			    .bus = st.stack_bus,
			    .slot = 1 + st.stack_rp++,
			    .vendor = 0x8086,
			    .device = 0x352a,
			    .class = 0x060400,
			    .type = 4,
			    .bridge = true,
			    .acs = true,
			    .secondary = st.next_bus,
			    .driver = "pcieport",
			    .group = new_group(false) };
	rp->parent = strdup(host);
	st.next_bus += buses;
	emit(rp);
}

static void block_switch(void)
{
	struct dev rp, up, ds, nic;
	int i;

	root_port(&rp, 10);
	up = (struct dev){ .parent = rp.path,
			   .dom = st.dom,
			   .bus = rp.secondary,
			   .vendor = 0x10b5,
			   .device = 0x8796,
			   .class = 0x060400,
			   .type = 5,
			   .bridge = true,
			   .secondary = rp.secondary + 1,
			   .driver = "pcieport",
			   .group = new_group(false) };
	emit(&up);
	for (i = 0; i < 8; i++) {
		ds = (struct dev){ .parent = up.path,
				   .dom = st.dom,
				   .bus = up.secondary,
				   .slot = i,
				   .vendor = 0x10b5,
				   .device = 0x8796,
				   .class = 0x060400,
				   .type = 6,
				   .bridge = true,
				   .acs = true,
				   .secondary = up.secondary + 1 + i,
				   .driver = "pcieport",
				   .group = new_group(false) };
		emit(&ds);
		nic = (struct dev){ .parent = ds.path,
				    .dom = st.dom,
				    .bus = ds.secondary,
				    .vendor = 0x8086,
				    .device = 0x10d3,
				    .class = 0x020000,
				    .type = 0,
				    .driver = "e1000e",
				    .group = new_group(false) };
		emit(&nic);
	}
	free((char *)rp.parent);
}

/* An SR-IOV PF at function 0 of the root port's secondary bus, VFs from
 * routing ID 1 on (ARI): with ACS every function has its group, without
 * they all share the PF's. */
static void block_sriov(bool acs, int nvf)
{
	struct dev rp, pf, vf;
	int i, g;

	root_port(&rp, 1 + nvf / 256);
	g = new_group(false);
	pf = (struct dev){ .parent = rp.path,
			   .dom = st.dom,
			   .bus = rp.secondary,
			   .vendor = 0x8086,
			   .device = acs ? 0x1593 : 0x1592,
			   .class = 0x020000,
			   .type = 0,
			   .acs = acs,
			   .ari = true,
			   .ats = true,
			   .sriov = true,
			   .driver = "ice",
			   .group = g,
			   .numvfs = nvf };
	emit(&pf);
	if (!dry) {
		putf(pf.path, "sriov_totalvfs", "%d\n", nvf > 64 ? nvf : 64);
		putf(pf.path, "sriov_numvfs", "%d\n", nvf);
		putf(pf.path, "sriov_offset", "1\n");
		putf(pf.path, "sriov_stride", "1\n");
		putf(pf.path, "sriov_vf_device", "1889\n");
	}
	for (i = 0; i < nvf; i++) {
		int rid = 1 + i;
		char l[32];

		vf = (struct dev){ .parent = rp.path,
				   .dom = st.dom,
				   .bus = rp.secondary + rid / 256,
				   .slot = (rid % 256) >> 3,
				   .fn = rid & 7,
				   .vendor = 0x8086,
				   .device = 0x1889,
				   .class = 0x020000,
				   .type = 0,
				   .acs = acs,
				   .ari = true,
				   .ats = true,
				   .driver = acs ? "vfio-pci" : NULL,
				   .group = acs ? new_group(false) : g };
		emit(&vf);
		if (dry)
			continue;
		snprintf(l, sizeof(l), "virtfn%d", i);
		lnk(pf.path, l, vf.path);
		lnk(vf.path, "physfn", pf.path);
	}
	free((char *)rp.parent);
}

static void block_gpu(void)
{
	struct dev rp, gpu, audio;
	int g;

	root_port(&rp, 1);
	g = new_group(false);
	gpu = (struct dev){ .parent = rp.path,
			    .dom = st.dom,
			    .bus = rp.secondary,
			    .vendor = 0x10de,
			    .device = 0x2684,
			    .class = 0x030000,
			    .type = 0,
			    .mf = true,
			    .driver = "nouveau",
			    .group = g };
	emit(&gpu);
	audio = gpu;
	audio.fn = 1;
	audio.device = 0x22ba;
	audio.class = 0x040300;
	audio.driver = "snd_hda_intel";
	emit(&audio);
	free((char *)rp.parent);
}

static void block_vmd(void)
{
	char host[64], vroot[600];
	struct dev vmd, rp, nvme;
	int i, dom;

	if (st.stack < 0 || st.stack_vmd == VMD_SLOTS)
		new_stack(0);
	snprintf(host, sizeof(host), "devices/pci%04x:%02x", st.dom,
		 st.stack_bus);
	vmd = (struct dev){ .parent = host,
			    .dom = st.dom,
			    .bus = st.stack_bus,
			    .slot = 0x0a + st.stack_vmd++,
			    .vendor = 0x8086,
			    .device = 0x28c0,
			    .class = 0x010400,
			    .type = 9,
			    .driver = "vmd",
			    .group = new_group(false) };
	emit(&vmd);
	dom = 0x10000 + st.nvmd++;
	snprintf(vroot, sizeof(vroot), "%s/pci%05x:e0", vmd.path, dom);
	sysdir("%s", vroot);
	for (i = 0; i < 4; i++) {
		rp = (struct dev){ .parent = vroot,
				   .dom = dom,
				   .bus = 0xe0,
				   .slot = 0x1a + i,
				   .vendor = 0x8086,
				   .device = 0x464d,
				   .class = 0x060400,
				   .type = 4,
				   .bridge = true,
				   .acs = true,
				   .secondary = 0xe1 + i,
				   .driver = "pcieport",
				   .group = vmd.group };
		emit(&rp);
		nvme = (struct dev){ .parent = rp.path,
				     .dom = dom,
				     .bus = 0xe1 + i,
				     .vendor = 0x144d,
				     .device = 0xa80a,
				     .class = 0x010802,
				     .type = 0,
				     .driver = "nvme",
				     .group = vmd.group };
		emit(&nvme);
	}
}

static void block(enum block b)
{
	switch (b) {
	case B_NOACS:
		block_sriov(false, dry ? 0 : vfs_for[st.nnoacs]);
		st.nnoacs++;
		break;
	case B_SWITCH:
		block_switch();
		break;
	case B_SRIOV:
		block_sriov(true, 16);
		break;
	case B_GPU:
		block_gpu();
		break;
	case B_VMD:
		block_vmd();
		break;
	}
}

/* Root-complex integrated endpoints with ACS on the first root bus, each
 * function its own group: the groups the pattern leaves over. */
static void rcieps(int n)
{
	int i, stack = st.stack;

	st.stack = 0;
	for (i = 0; i < n; i++) {
		struct dev f = { .parent = "devices/pci0000:00",
				 .slot = 0x10 + i / 8,
				 .fn = i % 8,
				 .vendor = 0x8086,
				 .device = 0x0b00,
				 .class = 0x088000,
				 .type = 9,
				 .mf = true,
				 .acs = true,
				 .driver = "ioatdma",
				 .group = new_group(false) };

		emit(&f);
	}
	st.stack = stack;
}

static void reset(void)
{
	memset(&st, 0, sizeof(st));
	st.stack = -1;
}

int main(int argc, char **argv)
{
	int groups, funcs, nblocks = 0, left_g, left_f, k;
	struct state save;
	size_t i;

	if (argc != 4) {
		fprintf(stderr, "usage: %s DIR GROUPS FUNCTIONS\n", argv[0]);
		return 2;
	}
	root = argv[1];
	groups = atoi(argv[2]);
	funcs = atoi(argv[3]);

	/* plan: whole pattern blocks while they fit, in a dry run */
	dry = true;
	reset();
	new_stack(0);
	for (;;) {
		enum block b = pattern[nblocks %
				       (sizeof(pattern) / sizeof(pattern[0]))];

		save = st;
		block(b);
		if (st.ng > groups || st.nf > funcs || nblocks == MAX_BLOCKS) {
			st = save;
			break;
		}
		nblocks++;
	}
	left_g = groups - st.ng;
	left_f = funcs - st.nf - left_g;
	if (st.nnoacs == 0 || left_f < 0 || left_g > 15 * 8 ||
	    left_f / st.nnoacs + 1 > 255) {
		fprintf(stderr,
			"%s: cannot make %d groups of %d functions in this shape\n",
			argv[0], groups, funcs);
		return 1;
	}
	vfs_for = calloc((size_t)st.nnoacs, sizeof(*vfs_for));
	if (!vfs_for)
		die("calloc");
	for (k = 0; k < st.nnoacs; k++)
		vfs_for[k] = left_f / st.nnoacs + (k < left_f % st.nnoacs);

	/* write */
	dry = false;
	reset();
	{
		/* what a capture holds of /proc: the kernel's release */
		static const char ver[] =
			"Linux version 6.12.0-bench (gen-sysfs-tree) #1 SMP\n";
		char p[4096];
		FILE *f;

		snprintf(p, sizeof(p), "%s/proc", root);
		mkdirs(p);
		snprintf(p, sizeof(p), "%s/proc/version", root);
		f = fopen(p, "w");
		if (!f || fputs(ver, f) < 0 || fclose(f))
			die(p);
	}
	sysdir("bus/pci/devices");
	sysdir("class/iommu");
	sysdir("kernel/iommu_groups");
	for (i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
		sysdir("bus/pci/drivers/%s", drivers[i]);
	new_stack(0);
	for (k = 0; k < nblocks; k++)
		block(pattern[k % (sizeof(pattern) / sizeof(pattern[0]))]);
	rcieps(left_g);
	if (st.ng != groups || st.nf != funcs) {
		fprintf(stderr,
			"%s: made %d groups, %d functions (planned %d, %d)\n",
			argv[0], st.ng, st.nf, groups, funcs);
		return 1;
	}
	printf("%d %d %d %d\n", st.ng, st.nf, st.ndom, st.stack + 1);
	return 0;
}
