// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: writes a synthetic sysfs tree far larger than any
 * test VM (thousands of IOMMU groups and devices, half of them in a PCI
 * domain with five hex digits as on Intel VMD, one group with a thousand
 * reserved regions) so the snapshot tier can check iommuctl has no fixed
 * limits: every group, device and region must come back. Only the shape of
 * sysfs is imitated; the real formats are covered by fixtures captured from
 * the test VMs. The counts are the point.
 *
 *   gen-large-tree DIR [GROUPS] [DEVICES_PER_GROUP]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static void put(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f))
		die(path);
}

static void puts_file(const char *dir, const char *name, const char *text)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	put(path, text, strlen(text));
}

static void link_at(const char *target, const char *path)
{
	if (symlink(target, path) < 0)
		die(path);
}

int main(int argc, char **argv)
{
	const char *root;
	char p[4096], q[4096], t[4096];
	unsigned char cfg[256] = { 0x86, 0x80, 0xd3, 0x10 };
	int groups, per, g, k, idx[2] = { 0, 0 };
	FILE *f;

	if (argc < 2)
		return fprintf(stderr, "usage: %s DIR [GROUPS] [PER_GROUP]\n", argv[0]), 2;
	root = argv[1];
	groups = argc > 2 ? atoi(argv[2]) : 3000;
	per = argc > 3 ? atoi(argv[3]) : 4;

	snprintf(p, sizeof(p), "%s/sys/devices/virtual/iommu/dmar0/intel-iommu", root);
	mkdirs(p);
	puts_file(p, "cap", "d2008c22260206\n");
	puts_file(p, "ecap", "f00f4a\n");
	puts_file(p, "address", "fed90000\n");
	puts_file(p, "version", "1:0\n");
	puts_file(p, "domains_supported", "65536\n");
	puts_file(p, "domains_used", "8\n");
	snprintf(p, sizeof(p), "%s/sys/devices/virtual/iommu/dmar0/devices", root);
	mkdirs(p);
	snprintf(p, sizeof(p), "%s/sys/class/iommu", root);
	mkdirs(p);
	snprintf(p, sizeof(p), "%s/sys/class/iommu/dmar0", root);
	link_at("../../devices/virtual/iommu/dmar0", p);
	snprintf(p, sizeof(p), "%s/sys/bus/pci/devices", root);
	mkdirs(p);
	snprintf(p, sizeof(p), "%s/proc", root);
	mkdirs(p);
	puts_file(p, "version", "Linux version 6.12.117 (generated) #1\n");
	puts_file(p, "cmdline", "intel_iommu=on\n");

	for (g = 0; g < groups; g++) {
		snprintf(p, sizeof(p), "%s/sys/kernel/iommu_groups/%d/devices", root, g);
		mkdirs(p);
		snprintf(p, sizeof(p), "%s/sys/kernel/iommu_groups/%d", root, g);
		puts_file(p, "type", "DMA\n");
		snprintf(q, sizeof(q), "%s/reserved_regions", p);
		f = fopen(q, "w");
		if (!f)
			die(q);
		fprintf(f, "0x00000000fee00000 0x00000000feefffff msi\n");
		for (k = 0; g == 0 && k < 1000; k++)
			fprintf(f, "0x%016llx 0x%016llx reserved\n",
				0x100000000ULL + k * 0x2000ULL, 0x100000fffULL + k * 0x2000ULL);
		if (fclose(f))
			die(q);
		for (k = 0; k < per; k++) {
			int vmd = g % 2, i = idx[vmd]++;
			char bdf[32], host[32];

			/* domain 0 or VMD's 10000; bus/dev/fn from a running index */
			snprintf(bdf, sizeof(bdf), vmd ? "%05x:%02x:%02x.%x" : "%04x:%02x:%02x.%x",
				 vmd ? 0x10000 : 0, i / 256, (i % 256) >> 3, i & 7);
			snprintf(host, sizeof(host), vmd ? "pci%05x:00" : "pci%04x:00", vmd ? 0x10000 : 0);
			snprintf(q, sizeof(q), "%s/sys/devices/%s/%s", root, host, bdf);
			mkdirs(q);
			puts_file(q, "vendor", "0x8086\n");
			puts_file(q, "device", "0x10d3\n");
			puts_file(q, "class", "0x020000\n");
			puts_file(q, "subsystem_vendor", "0x8086\n");
			puts_file(q, "subsystem_device", "0x0000\n");
			snprintf(t, sizeof(t), "%s/config", q);
			put(t, cfg, sizeof(cfg));
			snprintf(t, sizeof(t), "%s/iommu_group", q);
			snprintf(p, sizeof(p), "../../../kernel/iommu_groups/%d", g);
			link_at(p, t);
			snprintf(t, sizeof(t), "%s/iommu", q);
			link_at("../../virtual/iommu/dmar0", t);
			snprintf(t, sizeof(t), "%s/sys/kernel/iommu_groups/%d/devices/%s", root, g, bdf);
			snprintf(p, sizeof(p), "../../../../devices/%s/%s", host, bdf);
			link_at(p, t);
			snprintf(t, sizeof(t), "%s/sys/bus/pci/devices/%s", root, bdf);
			snprintf(p, sizeof(p), "../../../devices/%s/%s", host, bdf);
			link_at(p, t);
			snprintf(t, sizeof(t), "%s/sys/devices/virtual/iommu/dmar0/devices/%s", root, bdf);
			snprintf(p, sizeof(p), "../../../../%s/%s", host, bdf);
			link_at(p, t);
		}
	}
	return 0;
}
