// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * vfio-legacy: the legacy VFIO path, by hand, as ground truth for the VM
 * tier (tests/vm/scenarios/irq.sh, reset.sh): opens /dev/vfio/GROUP, puts
 * it in a /dev/vfio/vfio container and sets the type1 IOMMU, which is
 * where vfio_iommu_type1 checks MSI isolation (EPERM unless its
 * allow_unsafe_interrupts is set); with BDF, opens that device and asks
 * VFIO_DEVICE_GET_PCI_HOT_RESET_INFO (the group interface's answer: group
 * ids). A test program of the VM tier, put into the guest by tests/vm/run.
 *
 *   vfio-legacy GROUP [BDF]
 *
 * Prints "set_iommu=ok" or "set_iommu=errno N", then with BDF
 * "hot_reset=ok" and one "reset BDF group N" line per device, or
 * "hot_reset=errno N". Exit 0 when every step answered (an errno is an
 * answer), 1 when the group or container could not be opened, 2 for usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vfio.h>

int main(int argc, char **argv)
{
	struct vfio_pci_hot_reset_info *info;
	char path[64];
	int grp, cont, dev;
	unsigned int i;
	size_t sz;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: vfio-legacy GROUP [BDF]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/dev/vfio/%s", argv[1]);
	grp = open(path, O_RDWR);
	cont = open("/dev/vfio/vfio", O_RDWR);
	if (grp < 0 || cont < 0) {
		fprintf(stderr, "error: open %s or /dev/vfio/vfio: %s\n", path,
			strerror(errno));
		return 1;
	}
	if (ioctl(grp, VFIO_GROUP_SET_CONTAINER, &cont) < 0) {
		printf("set_container=errno %d\n", errno);
		return 0;
	}
	if (ioctl(cont, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0) {
		printf("set_iommu=errno %d\n", errno);
		return 0;
	}
	printf("set_iommu=ok\n");
	if (argc < 3)
		return 0;
	dev = ioctl(grp, VFIO_GROUP_GET_DEVICE_FD, argv[2]);
	if (dev < 0) {
		printf("device=errno %d\n", errno);
		return 0;
	}
	sz = sizeof(*info) + 64 * sizeof(info->devices[0]);
	info = calloc(1, sz);
	if (!info)
		return 1;
	info->argsz = sz;
	if (ioctl(dev, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, info) < 0) {
		printf("hot_reset=errno %d\n", errno);
		return 0;
	}
	printf("hot_reset=ok\n");
	for (i = 0; i < info->count; i++)
		printf("reset %04x:%02x:%02x.%x group %u\n",
		       info->devices[i].segment, info->devices[i].bus,
		       info->devices[i].devfn >> 3, info->devices[i].devfn & 7,
		       info->devices[i].group_id);
	free(info);
	return 0;
}
