// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* MSI windows and interrupt remapping. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

#define X86_MSI_START 0xfee00000ULL
#define X86_MSI_END 0xfeefffffULL

IOMMUCTL_EXPORT const char *iommuctl_irq_remap_name(enum iommuctl_irq_remap r)
{
	return names_get(NAMES_IRQ_REMAP, r);
}

IOMMUCTL_EXPORT enum iommuctl_msi_kind
iommuctl_msi_classify(const struct iommuctl_resv_region *r,
		      enum iommuctl_iommu_kind kind, const char **basis)
{
	const char *why;
	enum iommuctl_msi_kind k;

	if (kind == IOMMUCTL_IOMMU_ARM_SMMU_V3 || kind == IOMMUCTL_IOMMU_ARM_SMMU) {
		k = IOMMUCTL_MSI_SW;
		why = "Arm SMMU: the IOMMU translates MSI writes, so the kernel reserves this IOVA window and maps the GIC ITS doorbell into the domain there (software MSI)";
	} else if (r->start >= X86_MSI_START && r->end <= X86_MSI_END) {
		k = IOMMUCTL_MSI_HW;
		why = "inside the x86 interrupt address range 0xfee00000-0xfeefffff: DMA writes there are interrupt messages that bypass translation (hardware MSI)";
	} else {
		k = IOMMUCTL_MSI_SW;
		why = "outside the x86 interrupt address range: a window where the kernel maps the MSI doorbell into the domain (software MSI)";
	}
	if (basis)
		*basis = why;
	return k;
}

IOMMUCTL_EXPORT int iommuctl_msi_state_sz(struct iommuctl_ctx *ctx,
					  struct iommuctl_msi_state *st,
					  size_t size)
{
	char *buf = NULL;
	int rc = sz_fill(st, size, sizeof(*st));

	if (rc < 0)
		return rc;
	if (!ctx)
		return -EINVAL;
	st->how = "no /proc/interrupts and no VT-d debugfs to tell";
	if (sysfs_read(ctx, "/proc/interrupts", SYSFS_FILE_MAX, &buf, NULL) == 0) {
		bool ir = strstr(buf, "IR-PCI-MSI") || strstr(buf, "IR-IO-APIC") ||
			  strstr(buf, "IR-HPET");
		bool msi = strstr(buf, "PCI-MSI") != NULL;

		st->gic_its = strstr(buf, "ITS-MSI") || strstr(buf, "ITS-PCI-MSI");
		if (ir) {
			st->remapping = IOMMUCTL_IR_ENABLED;
			st->how = "/proc/interrupts: MSIs are delivered through interrupt-remapping chips (IR-*)";
		} else if (st->gic_its) {
			st->how = "/proc/interrupts: MSIs go through the GIC ITS, which isolates them per device (interrupt remapping is an x86 notion)";
		} else if (msi) {
			st->remapping = IOMMUCTL_IR_DISABLED;
			st->how = "/proc/interrupts: MSIs are delivered without an interrupt-remapping chip (no IR-* entries)";
		} else {
			st->how = "/proc/interrupts lists no MSI interrupt chips yet (no device has enabled MSIs)";
		}
		free(buf);
		if (st->remapping != IOMMUCTL_IR_UNKNOWN || st->gic_its)
			return 0;
	}
	if (sysfs_read(ctx, "/sys/kernel/debug/iommu/intel/ir_translation_struct",
		       SYSFS_FILE_MAX, &buf, NULL) == 0) {
		if (strstr(buf, "IR table address")) {
			st->remapping = IOMMUCTL_IR_ENABLED;
			st->how = "VT-d debugfs ir_translation_struct lists an interrupt remapping table";
		} else if (strstr(buf, "Interrupt Remapping is not enabled")) {
			st->remapping = IOMMUCTL_IR_DISABLED;
			st->how = "VT-d debugfs ir_translation_struct: interrupt remapping is not enabled";
		}
		free(buf);
	}
	return 0;
}
