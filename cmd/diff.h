/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl diff: the pure part, matching the IOMMU groups of two snapshots.
 * Group numbers are not stable across boots, so groups are matched by
 * their members.
 */
#ifndef IOMMUCTL_DIFF_H
#define IOMMUCTL_DIFF_H

#include <stddef.h>

/* One IOMMU group of one side: its number and its members' names. */
struct diff_group {
	unsigned int id;
	const char *const *members;
	size_t n;
};

/*
 * What became of groups. Devices that are grouped on both sides ("common"
 * devices) link an A group to a B group; each connected set of groups is
 * one change:
 * @DIFF_GROUP_SAME: one A group and one B group with the same common
 *	devices (members grouped on one side only may have joined or left)
 * @DIFF_GROUP_NEW: a B group with no common device
 * @DIFF_GROUP_GONE: an A group with no common device
 * @DIFF_GROUP_SPLIT: one A group's common devices are in several B groups
 * @DIFF_GROUP_MERGED: several A groups' common devices are in one B group
 * @DIFF_GROUP_MOVED: neither: one change per device that left the group
 *	its A group is matched with (the pairs sharing the most devices are
 *	matched first; ties go to the closer pair, then the lower index)
 * @DIFF_GROUP_PAIRED: in such a set, an A group and the B group it was
 *	matched with (their members differ by the moved devices): comes
 *	before the set's MOVED changes, for comparing what else the two have
 */
enum diff_group_kind {
	DIFF_GROUP_SAME = 0,
	DIFF_GROUP_NEW,
	DIFF_GROUP_GONE,
	DIFF_GROUP_SPLIT,
	DIFF_GROUP_MERGED,
	DIFF_GROUP_MOVED,
	DIFF_GROUP_PAIRED,
};

/*
 * @a, @na: indices into the A groups, ascending (none for NEW; one for
 *	SAME, GONE, SPLIT, PAIRED and MOVED: the device's A group)
 * @b, @nb: indices into the B groups, likewise (MOVED: the device's B group)
 * @device: MOVED: the device that moved (a member name of the input)
 */
struct diff_group_change {
	enum diff_group_kind kind;
	size_t *a, na;
	size_t *b, nb;
	const char *device;
};

/*
 * diff_match_groups() - what became of the A groups in B
 *
 * A device listed in several groups of one side counts in the first.
 * Changes come in the order of their first A group, then the new groups
 * in B order; within a set of moves, the PAIRED groups in A order, then
 * the MOVED devices by name.
 *
 * Return: 0 with *out (free with diff_group_changes_free()), or -ENOMEM.
 */
int diff_match_groups(const struct diff_group *a, size_t na,
		      const struct diff_group *b, size_t nb,
		      struct diff_group_change **out, size_t *n);
void diff_group_changes_free(struct diff_group_change *c, size_t n);
const char *diff_group_kind_name(enum diff_group_kind k);

#endif
