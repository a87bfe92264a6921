// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* MSI windows and interrupt remapping. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

#define X86_MSI_START 0xfee00000ULL
#define X86_MSI_END 0xfeefffffULL

IOMMUCTL_EXPORT const char *iommuctl_irq_remap_name(enum iommuctl_irq_remap r)
{
	return names_get(NAMES_IRQ_REMAP, r);
}

/* virtio-iommu's own software window (MSI_IOVA_BASE, MSI_IOVA_LENGTH in
 * drivers/iommu/virtio-iommu.c), added only when the device reports no MSI
 * region */
#define VIOMMU_SW_MSI_START 0x8000000ULL
#define VIOMMU_SW_MSI_END 0x80fffffULL
#define X86_HW_WHY \
	"inside the x86 interrupt address range 0xfee00000-0xfeefffff: DMA writes there are interrupt messages that bypass translation (hardware MSI)"

/*
 * sysfs prints IOMMU_RESV_MSI and IOMMU_RESV_SW_MSI both as "msi"; which
 * one a driver reports is fixed by its get_resv_regions():
 * - arm-smmu-v3, arm-smmu: IOMMU_RESV_SW_MSI at 0x8000000 + 1 MiB (or an
 *   IORT/DT window), always software;
 * - intel-iommu, amd-iommu: IOMMU_RESV_MSI for 0xfee00000-0xfeefffff,
 *   always hardware;
 * - virtio-iommu: the device's MSI regions (VIRTIO_IOMMU_RESV_MEM_T_MSI)
 *   as IOMMU_RESV_MSI, and only when it reports none, IOMMU_RESV_SW_MSI at
 *   0x8000000-0x80fffff.
 * Any other driver (the selftest mock, one not known here) is decided by
 * the address, and the basis says it is a guess.
 */
IOMMUCTL_EXPORT enum iommuctl_msi_kind
iommuctl_msi_classify(const struct iommuctl_resv_region *r,
		      enum iommuctl_iommu_kind kind, const char **basis)
{
	const char *why;
	enum iommuctl_msi_kind k;

	switch (kind) {
	case IOMMUCTL_IOMMU_ARM_SMMU_V3:
	case IOMMUCTL_IOMMU_ARM_SMMU:
		k = IOMMUCTL_MSI_SW;
		why = "the arm-smmu driver reports its MSI window as IOMMU_RESV_SW_MSI: the IOMMU translates MSI writes, so the kernel reserves this IOVA window and maps the GIC ITS doorbell into the domain there (software MSI)";
		break;
	case IOMMUCTL_IOMMU_INTEL_VTD:
	case IOMMUCTL_IOMMU_AMD_VI:
		/* intel-iommu and amd-iommu report exactly this range (the
		 * text is the one x86 answers always had) */
		k = IOMMUCTL_MSI_HW;
		why = X86_HW_WHY;
		break;
	case IOMMUCTL_IOMMU_VIRTIO:
		if (r->start == VIOMMU_SW_MSI_START &&
		    r->end == VIOMMU_SW_MSI_END) {
			k = IOMMUCTL_MSI_SW;
			why = "virtio-iommu adds this window (0x8000000-0x80fffff, IOMMU_RESV_SW_MSI) when the device reports no MSI region: the kernel maps the MSI doorbell into the domain there (software MSI)";
		} else if (r->start >= X86_MSI_START && r->end <= X86_MSI_END) {
			k = IOMMUCTL_MSI_HW;
			why = X86_HW_WHY;
		} else {
			k = IOMMUCTL_MSI_HW;
			why = "the virtio-iommu device reported this range as an MSI bypass region (VIRTIO_IOMMU_RESV_MEM_T_MSI, IOMMU_RESV_MSI): DMA writes there are interrupt messages that bypass translation (hardware MSI)";
		}
		break;
	default:
		if (r->start >= X86_MSI_START && r->end <= X86_MSI_END) {
			k = IOMMUCTL_MSI_HW;
			why = "no known IOMMU driver to say; guessed from the address: inside the x86 interrupt address range 0xfee00000-0xfeefffff, a hardware MSI window";
		} else {
			k = IOMMUCTL_MSI_SW;
			why = "no known IOMMU driver to say; guessed from the address: outside the x86 interrupt address range, a window where the kernel maps the MSI doorbell into the domain (software MSI)";
		}
		break;
	}
	if (basis)
		*basis = why;
	return k;
}

/*
 * The interrupt chips /proc/interrupts names (its fourth column onwards):
 * @ir: a chip of an interrupt-remapping domain (IR-IO-APIC, IR-PCI-MSI...);
 * @plain: an x86 IO-APIC that is not remapped (x86 routes every IO-APIC
 * interrupt through the remapping domain once remapping is on);
 * @msi: a PCI MSI chip that is not remapped; @its: a GIC ITS. The IOMMU's
 * own fault interrupt (DMAR-MSI, AMD-Vi...) is never remapped and says
 * nothing.
 */
static void irq_chips_scan(const char *buf, bool *ir, bool *plain, bool *msi,
			   bool *its)
{
	const char *p = buf, *e;
	char tok[32];
	size_t n;

	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		for (e = p; *e && *e != ' ' && *e != '\t' && *e != '\n'; e++)
			;
		n = (size_t)(e - p);
		if (n && n < sizeof(tok)) {
			memcpy(tok, p, n);
			tok[n] = '\0';
			if (!strncmp(tok, "IR-", 3))
				*ir = true;
			else if (!strcmp(tok, "IO-APIC"))
				*plain = true;
			else if (!strncmp(tok, "PCI-MSI", 7))
				*msi = true;
			else if (!strncmp(tok, "ITS-", 4))
				*its = true;
		}
		p = e;
	}
}

static bool unsafe_param(struct iommuctl_ctx *ctx, const char *module,
			 bool *present);

/* remapping, how and gic_its */
static void msi_remapping(struct iommuctl_ctx *ctx,
			  struct iommuctl_msi_state *st)
{
	char *buf = NULL;

	st->how = "no /proc/interrupts and no VT-d debugfs to tell";
	if (sysfs_read(ctx, "/proc/interrupts", SYSFS_FILE_MAX, &buf, NULL) ==
	    0) {
		bool ir = false, plain = false, msi = false;

		irq_chips_scan(buf, &ir, &plain, &msi, &st->gic_its);
		if (ir) {
			st->remapping = IOMMUCTL_IR_ENABLED;
			st->how =
				"/proc/interrupts: MSIs are delivered through interrupt-remapping chips (IR-*)";
		} else if (st->gic_its) {
			st->how =
				"/proc/interrupts: MSIs go through the GIC ITS, which isolates them per device (interrupt remapping is an x86 notion)";
		} else if (msi) {
			st->remapping = IOMMUCTL_IR_DISABLED;
			st->how =
				"/proc/interrupts: MSIs are delivered without an interrupt-remapping chip (no IR-* entries)";
		} else if (plain) {
			st->remapping = IOMMUCTL_IR_DISABLED;
			st->how =
				"/proc/interrupts: the IO-APIC's interrupts are not remapped (IO-APIC, not IR-IO-APIC): the kernel did not enable interrupt remapping";
		} else {
			st->how =
				"/proc/interrupts lists no MSI interrupt chips yet (no device has enabled MSIs)";
		}
		free(buf);
		if (st->remapping != IOMMUCTL_IR_UNKNOWN || st->gic_its)
			return;
	}
	if (sysfs_read(ctx,
		       "/sys/kernel/debug/iommu/intel/ir_translation_struct",
		       SYSFS_FILE_MAX, &buf, NULL) == 0) {
		if (strstr(buf, "IR table address")) {
			st->remapping = IOMMUCTL_IR_ENABLED;
			st->how =
				"VT-d debugfs ir_translation_struct lists an interrupt remapping table";
		} else if (strstr(buf, "Interrupt Remapping is not enabled")) {
			st->remapping = IOMMUCTL_IR_DISABLED;
			st->how =
				"VT-d debugfs ir_translation_struct: interrupt remapping is not enabled";
		}
		free(buf);
	}
}

IOMMUCTL_EXPORT int iommuctl_msi_state_sz(struct iommuctl_ctx *ctx,
					  struct iommuctl_msi_state *st,
					  size_t size)
{
	int rc = sz_fill(st, size, sizeof(*st));
	bool has;

	if (rc < 0)
		return rc;
	if (!ctx)
		return -EINVAL;
	msi_remapping(ctx, st);
	st->isolated = st->remapping == IOMMUCTL_IR_ENABLED || st->gic_its ? 1 :
		       st->remapping == IOMMUCTL_IR_DISABLED		   ? 0 :
									     -1;
	st->unsafe_allowed = unsafe_param(ctx, "iommufd", &has) ||
			     unsafe_param(ctx, "vfio_iommu_type1", &has);
	return 0;
}

/* "Y", "N" or NULL (no such parameter) for MODULE.allow_unsafe_interrupts */
static bool unsafe_param(struct iommuctl_ctx *ctx, const char *module,
			 bool *present)
{
	char *v;
	bool y;

	*present = false;
	if (iommuctl_get_module_param(ctx, module, "allow_unsafe_interrupts",
				      &v) < 0)
		return false;
	*present = true;
	y = v[0] == 'Y' || v[0] == '1';
	free(v);
	return y;
}

IOMMUCTL_EXPORT char *iommuctl_msi_unsafe_explain(struct iommuctl_ctx *ctx)
{
	struct iommuctl_msi_state st;
	bool fd_has, t1_has, fd_y, t1_y;
	char *out;

	if (!ctx || iommuctl_msi_state(ctx, &st) < 0 ||
	    st.remapping != IOMMUCTL_IR_DISABLED)
		return NULL;
	fd_y = unsafe_param(ctx, "iommufd", &fd_has);
	t1_y = unsafe_param(ctx, "vfio_iommu_type1", &t1_has);
	if (asprintf(
		    &out,
		    "MSIs are not isolated: interrupt remapping is off (%s). %s%s "
		    "The risk: a device's DMA writes to 0xfee00000-0xfeefffff are interrupt messages the IOMMU does not translate, so whoever drives the device (a VM, a user-space driver) can raise any interrupt vector on any host CPU. "
		    "The fix: turn interrupt remapping on (the IOMMU's intremap in firmware or the VMM, x2APIC, no intremap=off on the kernel command line).",
		    st.how,
		    fd_y ? "iommufd.allow_unsafe_interrupts=Y: the kernel binds such devices to iommufd anyway and logs \"MSI interrupts are not secure, they cannot be isolated by the platform\" for each." :
		    fd_has ?
			   "The kernel's iommufd_device_bind() refuses such a device with EPERM, logging nothing, unless the module parameter iommufd.allow_unsafe_interrupts is Y (now N: echo 1 > /sys/module/iommufd/parameters/allow_unsafe_interrupts, or iommufd.allow_unsafe_interrupts=1 on the kernel command line)." :
			   "Binding such a device to iommufd fails with EPERM unless iommufd.allow_unsafe_interrupts=1.",
		    t1_y ? " The legacy VFIO type1 container allows them too (vfio_iommu_type1.allow_unsafe_interrupts=Y)." :
		    t1_has ?
			   " The legacy VFIO type1 container refuses such devices too (EPERM, logging \"No interrupt remapping support\") unless vfio_iommu_type1.allow_unsafe_interrupts=1." :
			   "") < 0)
		return NULL;
	return out;
}
