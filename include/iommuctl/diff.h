/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/**
 * DOC: comparing two snapshots
 *
 * What changed between two snapshots of the IOMMU world (two contexts,
 * each on its own root): IOMMU units matched by register base or name,
 * IOMMU groups matched by their members (group numbers are not stable
 * across boots), and reserved regions matched by their range.
 * iommuctl_diff_new() lists every change between two contexts, typed
 * (struct iommuctl_change); the functions it is built from compare one
 * subject each. Saying what the changes mean is the caller's.
 */
#ifndef IOMMUCTL_DIFF_H
#define IOMMUCTL_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct iommuctl_ctx;
struct iommuctl_device;
struct iommuctl_group;
struct iommuctl_iommu;
struct iommuctl_regfield;
struct iommuctl_resv_region;

/* One IOMMU group of one side: its number, members' names, default domain
 * type (NULL: unknown) and, from iommuctl_diff_groups_get(), the group. */
struct iommuctl_diff_group {
	unsigned int id;
	const char *const *members;
	size_t n;
	const char *type;
	struct iommuctl_group *group;
};

/**
 * iommuctl_diff_groups_get() - the groups of a context, for matching
 *
 * Members are in name order; the names belong to the context.
 *
 * Return: 0 with *out (free with iommuctl_diff_groups_free()), or -ENOMEM.
 */
int iommuctl_diff_groups_get(struct iommuctl_ctx *ctx,
			     struct iommuctl_diff_group **out, size_t *n);
void iommuctl_diff_groups_free(struct iommuctl_diff_group *g, size_t n);

/*
 * What became of groups. Devices that are grouped on both sides ("common"
 * devices) link an A group to a B group; each connected set of groups is
 * one change:
 * @IOMMUCTL_DIFF_GROUP_SAME: one A group and one B group with the same
 *	common devices (members grouped on one side only may have joined or
 *	left)
 * @IOMMUCTL_DIFF_GROUP_NEW: a B group with no common device
 * @IOMMUCTL_DIFF_GROUP_GONE: an A group with no common device
 * @IOMMUCTL_DIFF_GROUP_SPLIT: one A group's common devices are in several
 *	B groups
 * @IOMMUCTL_DIFF_GROUP_MERGED: several A groups' common devices are in one
 *	B group
 * @IOMMUCTL_DIFF_GROUP_MOVED: neither: one change per device that left the
 *	group its A group is matched with (the pairs sharing the most devices
 *	are matched first; ties go to the closer pair, then the lower index)
 * @IOMMUCTL_DIFF_GROUP_PAIRED: in such a set, an A group and the B group it
 *	was matched with (their members differ by the moved devices): comes
 *	before the set's MOVED changes, for comparing what else the two have
 * @IOMMUCTL_DIFF_GROUP_MEMBERS: right after a SAME change whose groups'
 *	members differ: @joined and @left name them
 * @IOMMUCTL_DIFF_GROUP_TYPE: right after a SAME (and its MEMBERS) or PAIRED
 *	change whose groups' types differ
 */
enum iommuctl_diff_group_kind {
	IOMMUCTL_DIFF_GROUP_SAME = 0,
	IOMMUCTL_DIFF_GROUP_NEW,
	IOMMUCTL_DIFF_GROUP_GONE,
	IOMMUCTL_DIFF_GROUP_SPLIT,
	IOMMUCTL_DIFF_GROUP_MERGED,
	IOMMUCTL_DIFF_GROUP_MOVED,
	IOMMUCTL_DIFF_GROUP_PAIRED,
	IOMMUCTL_DIFF_GROUP_MEMBERS,
	IOMMUCTL_DIFF_GROUP_TYPE,
};

/*
 * @a, @na: indices into the A groups, ascending (none for NEW; one for
 *	SAME, GONE, SPLIT, PAIRED, MEMBERS, TYPE and MOVED: the device's A
 *	group)
 * @b, @nb: indices into the B groups, likewise (MOVED: the device's B group)
 * @device: MOVED: the device that moved (a member name of the input)
 * @joined, @njoined, @left, @nleft: MEMBERS: the B group's members the A
 *	group lacks, and the reverse, in name order
 */
struct iommuctl_diff_group_change {
	enum iommuctl_diff_group_kind kind;
	size_t *a, na;
	size_t *b, nb;
	const char *device;
	const char **joined, **left;
	size_t njoined, nleft;
};

/**
 * iommuctl_diff_match_groups() - what became of the A groups in B
 *
 * A device listed in several groups of one side counts in the first.
 * Changes come in the order of their first A group, then the new groups
 * in B order; within a set of moves, the PAIRED groups in A order, then
 * the MOVED devices by name.
 *
 * Return: 0 with *out (free with iommuctl_diff_group_changes_free()), or
 * -ENOMEM.
 */
int iommuctl_diff_match_groups(const struct iommuctl_diff_group *a, size_t na,
			       const struct iommuctl_diff_group *b, size_t nb,
			       struct iommuctl_diff_group_change **out,
			       size_t *n);
void iommuctl_diff_group_changes_free(struct iommuctl_diff_group_change *c,
				      size_t n);
const char *iommuctl_diff_group_kind_name(enum iommuctl_diff_group_kind k);

/* A unit of A and the unit of B it was matched with: @b NULL when removed,
 * @a NULL when added. */
struct iommuctl_diff_unit {
	struct iommuctl_iommu *a, *b;
};

/**
 * iommuctl_diff_match_units() - match the IOMMU units of two contexts
 *
 * By register base first (same kind, same address: a VT-d DRHD keeps its
 * base when the kernel numbers the units differently), then by name and
 * kind. The A units come in order (matched or removed), then the added B
 * units in order.
 *
 * Return: 0 with *out (free()), or -ENOMEM.
 */
int iommuctl_diff_match_units(struct iommuctl_ctx *a, struct iommuctl_ctx *b,
			      struct iommuctl_diff_unit **out, size_t *n);

/*
 * A register of two matched units that differs (@field NULL), or one of
 * its fields (after the register).
 * @reg: "cap", "ecap" (VT-d); "cap", "efr", "efr2" (AMD-Vi, EFR and EFR2 as
 *	each side's kernel printed them); "features" when one side's AMD-Vi
 *	features text could not be decoded
 * @have_a, @have_b: the register was read on that side
 * @bits: the register's width, 32 or 64
 * @a, @b: the values (a field's shifted down to bit 0)
 * @text_a, @text_b: "features": each side's text, or NULL
 */
struct iommuctl_diff_reg {
	const char *reg;
	const struct iommuctl_regfield *field;
	bool have_a, have_b;
	unsigned int bits;
	uint64_t a, b;
	const char *text_a, *text_b;
};

/**
 * iommuctl_diff_unit_regs() - compare the registers of two matched units
 *
 * Return: 0 with *out (free()), or -ENOMEM.
 */
int iommuctl_diff_unit_regs(struct iommuctl_iommu *a, struct iommuctl_iommu *b,
			    struct iommuctl_diff_reg **out, size_t *n);

enum iommuctl_diff_device_kind {
	IOMMUCTL_DIFF_DEVICE_REMOVED,
	IOMMUCTL_DIFF_DEVICE_DRIVER, /* bound to another driver, or none */
	IOMMUCTL_DIFF_DEVICE_IOMMU, /* behind another IOMMU unit */
	IOMMUCTL_DIFF_DEVICE_ADDED,
};

/* @a: the device in A (NULL when added); @b: in B (NULL when removed) */
struct iommuctl_diff_device {
	enum iommuctl_diff_device_kind kind;
	struct iommuctl_device *a, *b;
};

/**
 * iommuctl_diff_devices() - compare the devices of two contexts
 * @units, @nunits: from iommuctl_diff_match_units(): a unit that was
 *	renamed (matched by register base) is the same unit
 *
 * Devices are matched by name. The A devices come in order (removed, or
 * their driver and IOMMU changes), then the added B devices in order.
 *
 * Return: 0 with *out (free()), or -ENOMEM.
 */
int iommuctl_diff_devices(struct iommuctl_ctx *a, struct iommuctl_ctx *b,
			  const struct iommuctl_diff_unit *units, size_t nunits,
			  struct iommuctl_diff_device **out, size_t *n);

enum iommuctl_diff_resv_kind {
	IOMMUCTL_DIFF_RESV_REMOVED,
	IOMMUCTL_DIFF_RESV_ADDED,
	IOMMUCTL_DIFF_RESV_TYPE, /* same range, other type(s) */
};

/* @a: the region of A (NULL when added); @b: of B (NULL when removed) */
struct iommuctl_diff_resv {
	enum iommuctl_diff_resv_kind kind;
	const struct iommuctl_resv_region *a, *b;
};

/**
 * iommuctl_diff_resv() - compare two lists of reserved regions
 *
 * Regions are matched by start and end. The A regions that are gone or
 * changed type come in A order, then the added B regions in B order; the
 * changes point into @a and @b.
 *
 * Return: 0 with *out (free()), or -ENOMEM.
 */
int iommuctl_diff_resv(const struct iommuctl_resv_region *a, size_t na,
		       const struct iommuctl_resv_region *b, size_t nb,
		       struct iommuctl_diff_resv **out, size_t *n);

/**
 * iommuctl_diff_merged_resv() - the reserved regions of groups, merged
 *
 * Every region of the groups (those with unreadable regions left out),
 * merged as iommuctl_resv_merge() does: iommuctl_resv_merge_groups() of the
 * groups' context, taking the groups @g lists (the groups of one context,
 * as iommuctl_diff_groups_get() gives them).
 *
 * Return: 0 with *out (free()), or -ENOMEM.
 */
int iommuctl_diff_merged_resv(const struct iommuctl_diff_group *g, size_t ng,
			      struct iommuctl_resv_region **out, size_t *nout);

/**
 * iommuctl_diff_msi_window() - the kind of a group's MSI windows
 *
 * Return: "hw", "sw", "hw+sw" or "none" as iommuctl_msi_classify() sees
 * the group's msi regions, or NULL when its regions are unreadable.
 */
const char *iommuctl_diff_msi_window(struct iommuctl_group *g);

/*
 * What changed between two contexts, in the order iommuctl_diff_new() lists
 * them. Before each kind, or run of kinds, the fields of struct
 * iommuctl_change it sets; the others are NULL or 0.
 */
enum iommuctl_change_kind {
	/* @a, @b: the releases (NULL: unknown) */
	IOMMUCTL_CHANGE_KERNEL_RELEASE = 0,
	/* @words_a, @words_b: the IOMMU words of the command lines; @added,
	 * @removed: the words of B missing from A, and the reverse, each once */
	IOMMUCTL_CHANGE_KERNEL_CMDLINE,
	/* @unit_a, @unit_b: NULL on the side without the unit */
	IOMMUCTL_CHANGE_IOMMU_ADDED,
	IOMMUCTL_CHANGE_IOMMU_REMOVED,
	IOMMUCTL_CHANGE_IOMMU_RENAMED,
	/* @unit_a, @unit_b; @reg: the register bases (64 bits, @reg.reg NULL) */
	IOMMUCTL_CHANGE_IOMMU_ADDRESS,
	/* @unit_a, @unit_b; @reg as from iommuctl_diff_unit_regs(), a register
	 * that differs, then (FIELD) each of its fields that does */
	IOMMUCTL_CHANGE_IOMMU_REGISTER,
	IOMMUCTL_CHANGE_IOMMU_FIELD,
	/* @groups_a, @groups_b: the groups the change of
	 * iommuctl_diff_match_groups() names (NEW: none of A, GONE: none of
	 * B, SPLIT: several of B, MERGED: several of A, else one each);
	 * MEMBERS: @added, @removed: the members that joined and left;
	 * MOVED: @device, the device that moved */
	IOMMUCTL_CHANGE_GROUP_NEW,
	IOMMUCTL_CHANGE_GROUP_GONE,
	IOMMUCTL_CHANGE_GROUP_SPLIT,
	IOMMUCTL_CHANGE_GROUP_MERGED,
	IOMMUCTL_CHANGE_GROUP_MEMBERS,
	IOMMUCTL_CHANGE_GROUP_TYPE,
	IOMMUCTL_CHANGE_DEVICE_MOVED,
	/* @device; @dev_a, @dev_b: NULL on the side without the device;
	 * DRIVER and IOMMU: @a, @b: the drivers, or the IOMMU units' names
	 * (NULL: none) */
	IOMMUCTL_CHANGE_DEVICE_ADDED,
	IOMMUCTL_CHANGE_DEVICE_REMOVED,
	IOMMUCTL_CHANGE_DEVICE_DRIVER,
	IOMMUCTL_CHANGE_DEVICE_IOMMU,
	/* the reserved regions of two groups matched one to one (@groups_a,
	 * @groups_b: one each): @resv_a, @resv_b, NULL on the side without the
	 * region; in the order of enum iommuctl_diff_resv_kind */
	IOMMUCTL_CHANGE_RESV_REMOVED,
	IOMMUCTL_CHANGE_RESV_ADDED,
	IOMMUCTL_CHANGE_RESV_TYPE,
	/* the same of the regions of all groups, merged
	 * (iommuctl_diff_merged_resv()): no groups */
	IOMMUCTL_CHANGE_RESV_MERGED_REMOVED,
	IOMMUCTL_CHANGE_RESV_MERGED_ADDED,
	IOMMUCTL_CHANGE_RESV_MERGED_TYPE,
	/* @a, @b: iommuctl_irq_remap_name() of each side's remapping */
	IOMMUCTL_CHANGE_MSI_REMAPPING,
	/* two groups matched one to one (@groups_a, @groups_b: one each)
	 * whose MSI windows differ: @a, @b as iommuctl_diff_msi_window()
	 * names them */
	IOMMUCTL_CHANGE_MSI_WINDOW,
	IOMMUCTL_CHANGE_KIND_MAX, /* not a kind: the number of kinds */
};

/*
 * One change: its @kind, what it is about (the subject: @device, @unit_a
 * and @unit_b, @groups_a and @groups_b) and the values before (A) and after
 * (B). Which fields a kind sets is said at enum iommuctl_change_kind; the
 * others are NULL, 0 or empty. Everything belongs to the diff.
 */
struct iommuctl_change {
	enum iommuctl_change_kind kind;
	const char *device;
	struct iommuctl_device *dev_a, *dev_b;
	struct iommuctl_iommu *unit_a, *unit_b;
	const struct iommuctl_diff_group *const *groups_a, *const *groups_b;
	size_t ngroups_a, ngroups_b;
	const char *a, *b;
	const char *const *words_a, *const *words_b;
	size_t nwords_a, nwords_b;
	const char *const *added, *const *removed;
	size_t nadded, nremoved;
	struct iommuctl_diff_reg reg;
	const struct iommuctl_resv_region *resv_a, *resv_b;
};

struct iommuctl_diff;

/**
 * iommuctl_diff_new() - everything that changed from context @a to @b
 *
 * In order: the kernel; the IOMMU units (iommuctl_diff_match_units()),
 * each unit's removal or addition, or its rename, register base and
 * registers; the groups (iommuctl_diff_match_groups()); the devices
 * (iommuctl_diff_devices()); the reserved regions of each pair of groups
 * matched one to one (SAME or PAIRED, in the order of those changes, when
 * both sides' are readable), then the merged regions; interrupt remapping,
 * then the MSI windows of each pair of groups. The diff holds a reference
 * on both contexts.
 *
 * Return: 0 with *out (free with iommuctl_diff_free()), or -ENOMEM.
 */
int iommuctl_diff_new(struct iommuctl_ctx *a, struct iommuctl_ctx *b,
		      struct iommuctl_diff **out);
void iommuctl_diff_free(struct iommuctl_diff *d);

/**
 * iommuctl_diff_get_changes() - the changes of a diff, in order
 *
 * Return: the array of *n changes; none when the contexts do not differ.
 */
const struct iommuctl_change *
iommuctl_diff_get_changes(const struct iommuctl_diff *d, size_t *n);

#ifdef __cplusplus
}
#endif

#endif /* IOMMUCTL_DIFF_H */
