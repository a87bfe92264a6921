/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/*
 * <iommuctl/explain.h>: why devices share a group; interrupt remapping and MSI regions.
 * Part of libiommuctl; <iommuctl/libiommuctl.h> includes every part.
 */
#ifndef IOMMUCTL_EXPLAIN_H
#define IOMMUCTL_EXPLAIN_H

#include <iommuctl/topology.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * enum iommuctl_why - why a device is in the group it is in
 * @IOMMUCTL_WHY_OWN_GROUP: isolated: nothing forces it to share
 * @IOMMUCTL_WHY_BRIDGE_ALIAS: behind a PCIe-to-PCI/PCI-X bridge (or a
 *	conventional PCI bridge): its DMA carries the bridge's requester ID, so
 *	it shares the bridge's group
 * @IOMMUCTL_WHY_UPSTREAM_ACS: a bridge or port on the path to the root
 *	complex does not isolate peer-to-peer traffic (ACS missing or off), so
 *	it shares the group of the nearest upstream port
 * @IOMMUCTL_WHY_MULTIFUNCTION: a function of a multifunction device without
 *	ACS: it shares a group with the other such functions of its slot
 * @IOMMUCTL_WHY_NOT_PCI: not a PCI device: the IOMMU driver decides
 *	(usually one group per device)
 * @IOMMUCTL_WHY_EMULATED: a mediated device (mdev): VFIO made it a group of
 *	its own that no IOMMU translates (an emulated IOMMU group); its parent
 *	driver reaches the memory through an iommufd access
 */
enum iommuctl_why {
	IOMMUCTL_WHY_OWN_GROUP = 0,
	IOMMUCTL_WHY_BRIDGE_ALIAS,
	IOMMUCTL_WHY_UPSTREAM_ACS,
	IOMMUCTL_WHY_MULTIFUNCTION,
	IOMMUCTL_WHY_NOT_PCI,
	IOMMUCTL_WHY_EMULATED,
};
/**
 * iommuctl_why_name() - "own-group", "bridge-alias", "upstream-acs",
 * "multifunction", "not-pci", "emulated"
 */
const char *iommuctl_why_name(enum iommuctl_why why);

/**
 * iommuctl_device_explain() - the kernel's grouping rule applied to a device
 * @dev: a device with an IOMMU group
 * @via: (out, optional) the device it shares a group with because of @why
 *	(the bridge, upstream port or sibling function), NULL for own-group
 * @culprit: (out, optional) for upstream-acs: the port on the path whose ACS
 *	does not isolate; for multifunction: @dev itself
 * @acs: (out, optional) the culprit's ACS verdict
 *
 * Replays the kernel's pci_device_group() over the topology and config space
 * in sysfs, probing devices in address order, without device-specific ACS or
 * DMA-alias quirks (which sysfs does not show).
 *
 * Return: the reason, or -ENOENT when @dev has no IOMMU group.
 */
int iommuctl_device_explain(struct iommuctl_device *dev,
			    struct iommuctl_device **via,
			    struct iommuctl_device **culprit,
			    enum iommuctl_acs_verdict *acs);
/**
 * iommuctl_device_get_predicted_leader() - the first device (in probe
 * order) of the group the analysis predicts for @dev; two devices share a
 * predicted group when their leaders are the same. NULL without a group.
 */
struct iommuctl_device *
iommuctl_device_get_predicted_leader(struct iommuctl_device *dev);
/**
 * iommuctl_group_matches_prediction() - does the kernel's group hold exactly
 * the devices the analysis predicts? A mismatch means a device quirk (DMA
 * alias or ACS) or an ACS override patch.
 */
bool iommuctl_group_matches_prediction(struct iommuctl_group *group);
/**
 * iommuctl_explain_is_certain() - false when some config space could not be
 * read (not root) and the prediction rests on guesses
 */
bool iommuctl_explain_is_certain(struct iommuctl_ctx *ctx);
/**
 * iommuctl_device_explain_message() - why @dev is in its group, as a
 * sentence naming the devices (the bridge, port or function responsible)
 * @dev: a device
 *
 * Return: the sentence (the caller frees it), "DEV has no IOMMU group"
 * for a device without one; NULL when out of memory.
 */
char *iommuctl_device_explain_message(struct iommuctl_device *dev);

/**
 * enum iommuctl_irq_remap - is interrupt remapping on
 * @IOMMUCTL_IR_UNKNOWN: nothing readable tells
 * @IOMMUCTL_IR_ENABLED: interrupts go through remapping tables
 * @IOMMUCTL_IR_DISABLED: MSIs reach the CPUs unremapped
 */
enum iommuctl_irq_remap {
	IOMMUCTL_IR_UNKNOWN = 0,
	IOMMUCTL_IR_ENABLED,
	IOMMUCTL_IR_DISABLED,
};
/** iommuctl_irq_remap_name() - "unknown", "enabled", "disabled". */
const char *iommuctl_irq_remap_name(enum iommuctl_irq_remap r);

/**
 * struct iommuctl_msi_state - how MSIs from assigned devices are contained
 */
struct iommuctl_msi_state {
	enum iommuctl_irq_remap remapping; /* x86 interrupt remapping */
	/* static text naming the evidence (which file said so) */
	const char *how;
	/* a GIC ITS handles MSIs (Arm), which isolates them per device */
	bool gic_its;
	/* MSIs are isolated: 1 (remapping on, or an ITS), 0 (remapping off),
	 * -1 (not known) */
	int isolated;
	/* iommufd.allow_unsafe_interrupts or
	 * vfio_iommu_type1.allow_unsafe_interrupts is Y */
	bool unsafe_allowed;
};
/**
 * iommuctl_msi_state() - decide from /proc/interrupts (interrupt chips
 * named IR-* or ITS-*) and, for VT-d, debugfs ir_translation_struct
 *
 * Return: 0 (the state may be unknown), or -EINVAL.
 */
int iommuctl_msi_state_sz(struct iommuctl_ctx *ctx,
			  struct iommuctl_msi_state *st, size_t size);
#define iommuctl_msi_state(ctx, st) IOMMUCTL_SZ(iommuctl_msi_state, st, ctx, st)

/**
 * iommuctl_msi_unsafe_explain() - what interrupt remapping being off means
 * for device assignment here, for a user
 * @ctx: context
 *
 * When iommuctl_msi_state() finds interrupt remapping off: one paragraph
 * saying that MSIs are not isolated, what the kernel does about it as the
 * module parameters are now (iommufd_device_bind() refuses with EPERM
 * unless iommufd.allow_unsafe_interrupts is Y; the legacy type1 container
 * likewise with vfio_iommu_type1.allow_unsafe_interrupts), the risk of
 * setting them and the fix.
 *
 * Return: the text (free() it), or NULL when remapping is not known to be
 * off (or out of memory).
 */
char *iommuctl_msi_unsafe_explain(struct iommuctl_ctx *ctx);

/**
 * enum iommuctl_msi_kind - what an "msi" reserved region is
 * @IOMMUCTL_MSI_HW: a hardware window (x86 0xfee00000-0xfeefffff): writes
 *	there are interrupt messages and bypass translation; safe only with
 *	interrupt remapping
 * @IOMMUCTL_MSI_SW: a software window (IOMMU_RESV_SW_MSI, e.g. Arm SMMU
 *	0x8000000 + 1 MiB): the kernel maps the interrupt controller's doorbell
 *	into the domain at this IOVA
 */
enum iommuctl_msi_kind {
	IOMMUCTL_MSI_HW = 0,
	IOMMUCTL_MSI_SW,
};
/**
 * iommuctl_msi_classify() - sysfs prints both kinds as "msi": decide from
 * the address and the IOMMU kind
 * @r: an msi region
 * @kind: the kind of the IOMMU translating the group
 * @basis: (out, optional) static text saying how it was decided
 */
enum iommuctl_msi_kind
iommuctl_msi_classify(const struct iommuctl_resv_region *r,
		      enum iommuctl_iommu_kind kind, const char **basis);

/**
 * struct iommuctl_msi_window - an MSI window of an IOMMU group
 * @region: the msi region, one of the group's reserved regions
 * @kind: hardware or software window, as iommuctl_msi_classify() decides
 * @basis: static text saying how @kind was decided
 * @iommu_kind: the kind of the group's IOMMU unit (OTHER: none known)
 */
struct iommuctl_msi_window {
	const struct iommuctl_resv_region *region;
	enum iommuctl_msi_kind kind;
	const char *basis;
	enum iommuctl_iommu_kind iommu_kind;
};
/**
 * iommuctl_group_msi_windows() - the MSI windows of an IOMMU group
 * @g: IOMMU group
 * @out: (out) the windows in the order of the group's regions (free());
 *	NULL when there are none
 * @n: (out) how many
 *
 * Return: 0; -ENOENT when the group's reserved regions are unreadable;
 * -EINVAL; -ENOMEM.
 */
int iommuctl_group_msi_windows(struct iommuctl_group *g,
			       struct iommuctl_msi_window **out, size_t *n);

#ifdef __cplusplus
}
#endif

#endif /* IOMMUCTL_EXPLAIN_H */
