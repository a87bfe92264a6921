/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/*
 * <iommuctl/pgtable.h>: page-table dumps read as streams, and their verification
 * against an IOAS.
 * Part of libiommuctl; <iommuctl/libiommuctl.h> includes every part.
 */
#ifndef IOMMUCTL_PGTABLE_H
#define IOMMUCTL_PGTABLE_H

#include <iommuctl/iommufd.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * DOC: page tables
 *
 * An iommuctl_pgtable reads a page-table dump (VT-d
 * domain_translation_struct) as a stream: leaves one at a time, or ranges
 * of leaves merged, without holding the dump in memory.
 *
 *	iommuctl_pgtable_new(ctx, &pt);
 *	iommuctl_pgtable_open(pt, "0000:00:03.0", -1);
 *	while ((rc = iommuctl_pgtable_next_range(pt, &r)) > 0)
 *		...;
 *	iommuctl_pgtable_free(pt);
 */
struct iommuctl_pgtable;

/**
 * enum iommuctl_pgtable_merge - how leaves are merged into ranges
 * @IOMMUCTL_PGTABLE_MERGE_PHYS: contiguous IOVAs and physical addresses,
 *	same page size and permissions (the default)
 * @IOMMUCTL_PGTABLE_MERGE_IOVA: contiguous IOVAs, same page size and
 *	permissions, physical addresses anywhere
 * @IOMMUCTL_PGTABLE_MERGE_NONE: one range per leaf
 */
enum iommuctl_pgtable_merge {
	IOMMUCTL_PGTABLE_MERGE_PHYS = 0,
	IOMMUCTL_PGTABLE_MERGE_IOVA,
	IOMMUCTL_PGTABLE_MERGE_NONE,
};

/**
 * enum iommuctl_pgtable_state - what the dump said about the table
 * @IOMMUCTL_PGTABLE_TABLE: a table (possibly with no leaves)
 * @IOMMUCTL_PGTABLE_NO_TABLE: the file is empty: the device's domain has no
 *	page table (identity/pass-through, blocked, or no context entry)
 * @IOMMUCTL_PGTABLE_DISABLED: "DMA Remapping is not enabled" on the unit
 */
enum iommuctl_pgtable_state {
	IOMMUCTL_PGTABLE_TABLE = 0,
	IOMMUCTL_PGTABLE_NO_TABLE,
	IOMMUCTL_PGTABLE_DISABLED,
};

/**
 * struct iommuctl_pgtable_leaf - one leaf entry of the table
 * @iova: first IOVA it translates
 * @size: bytes (4 KiB, 2 MiB, 1 GiB, ...)
 * @phys: physical address it translates @iova to
 * @perm: IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE from the leaf (bit 0, bit 1)
 * @level: 1 for a PTE, 2 for a PDE (2 MiB), 3 for a PDPE (1 GiB), ...
 * @entry: the raw entries on the walk as printed: [0] PML5E, [1] PML4E,
 *	[2] PDPE, [3] PDE, [4] PTE; 0 where nothing was printed
 * @line: line number in the dump
 */
struct iommuctl_pgtable_leaf {
	uint64_t iova;
	uint64_t size;
	uint64_t phys;
	unsigned int perm;
	unsigned int level;
	uint64_t entry[5];
	uint64_t line;
};

/**
 * struct iommuctl_pgtable_range - leaves merged
 * @start: first IOVA
 * @last: last IOVA (inclusive)
 * @phys: physical address of @start
 * @phys_contiguous: the physical addresses follow the IOVAs throughout
 * @page_size: leaf size of every leaf in the range
 * @perm: IOMMUCTL_MAP_*
 * @leaves: number of leaves
 * @first: the first leaf (raw entries, line)
 */
struct iommuctl_pgtable_range {
	uint64_t start;
	uint64_t last;
	uint64_t phys;
	bool phys_contiguous;
	uint64_t page_size;
	unsigned int perm;
	uint64_t leaves;
	struct iommuctl_pgtable_leaf first;
};

/** iommuctl_pgtable_new() - a reader; -ENOMEM. */
int iommuctl_pgtable_new(struct iommuctl_ctx *ctx,
			 struct iommuctl_pgtable **out);
/** iommuctl_pgtable_free() - close and free (NULL is fine). */
void iommuctl_pgtable_free(struct iommuctl_pgtable *pt);
/** iommuctl_pgtable_set_merge() - before the first next_range(). */
void iommuctl_pgtable_set_merge(struct iommuctl_pgtable *pt,
				enum iommuctl_pgtable_merge merge);
/**
 * iommuctl_pgtable_open() - open the table of a device
 * @pt: reader
 * @device: PCI address ("0000:00:03.0"; "00:03.0" means segment 0)
 * @pasid: a PASID, or -1 for the device's RID table
 *
 * Opens intel/<device>/[<pasid in hex>/]domain_translation_struct (6.7+),
 * else the global intel/domain_translation_struct of older kernels, read
 * only for @device's section.
 *
 * Return: 0; -ENOENT with iommuctl_pgtable_error() saying why (no such
 * device in debugfs, no PASID attached, or iommuctl_debugfs_why()'s
 * reason); -EACCES; -errno.
 */
int iommuctl_pgtable_open(struct iommuctl_pgtable *pt, const char *device,
			  int64_t pasid);
/**
 * iommuctl_pgtable_open_fd() - read a saved dump from @fd (not closed)
 * @pt: reader
 * @fd: file descriptor
 * @name: file name for error texts
 * @device: (optional) only this device's section of a multi-device dump
 *
 * Both open calls read up to the first section header, so the state,
 * device, PASID and root are known when they return.
 *
 * Return: 0; -ENOENT when @device is given and the dump has sections of
 * other devices only; -EINVAL when a line before the first section is
 * malformed (iommuctl_pgtable_error() names it); -errno.
 */
int iommuctl_pgtable_open_fd(struct iommuctl_pgtable *pt, int fd,
			     const char *name, const char *device);
/**
 * iommuctl_pgtable_next_leaf() - the next leaf, in IOVA order
 *
 * Return: 1 and *@leaf filled; 0 at the end; -EINVAL on a malformed line
 * (iommuctl_pgtable_error() names it); -errno.
 */
int iommuctl_pgtable_next_leaf_sz(struct iommuctl_pgtable *pt,
				  struct iommuctl_pgtable_leaf *leaf,
				  size_t size);
#define iommuctl_pgtable_next_leaf(pt, leaf) \
	iommuctl_pgtable_next_leaf_sz(pt, leaf, sizeof(*(leaf)))
/** iommuctl_pgtable_next_range() - the next range; as next_leaf(). */
int iommuctl_pgtable_next_range_sz(struct iommuctl_pgtable *pt,
				   struct iommuctl_pgtable_range *range,
				   size_t size);
#define iommuctl_pgtable_next_range(pt, range) \
	iommuctl_pgtable_next_range_sz(pt, range, sizeof(*(range)))
/** iommuctl_pgtable_get_state() - known once open returned. */
enum iommuctl_pgtable_state
iommuctl_pgtable_get_state(struct iommuctl_pgtable *pt);
/** iommuctl_pgtable_state_name() - "table", "no-table", "disabled". */
const char *iommuctl_pgtable_state_name(enum iommuctl_pgtable_state s);
/**
 * iommuctl_pgtable_get_device() - device of the section being read (that of
 * the last leaf or range returned; after open, the first section), or NULL
 * when the dump has no section
 */
const char *iommuctl_pgtable_get_device(struct iommuctl_pgtable *pt);
/** iommuctl_pgtable_get_pasid() - PASID of the section, -1 if none printed. */
int64_t iommuctl_pgtable_get_pasid(struct iommuctl_pgtable *pt);
/** iommuctl_pgtable_get_root() - table root address of the section. */
uint64_t iommuctl_pgtable_get_root(struct iommuctl_pgtable *pt);
/** iommuctl_pgtable_get_levels() - table levels (3, 4, 5) seen, 0 before
 * the section's first leaf. */
unsigned int iommuctl_pgtable_get_levels(struct iommuctl_pgtable *pt);
/** iommuctl_pgtable_get_path() - the debugfs file (or name) being read. */
const char *iommuctl_pgtable_get_path(struct iommuctl_pgtable *pt);
/** iommuctl_pgtable_get_progress() - bytes and lines read so far. */
void iommuctl_pgtable_get_progress(struct iommuctl_pgtable *pt, uint64_t *bytes,
				   uint64_t *lines);
/**
 * iommuctl_pgtable_note() - what a dump without a table means
 * @pt: reader, opened
 * @device: (optional) the device whose table was asked for: its IOMMU
 *	group's domain type says why it has none (identity, blocked)
 *
 * Return: NULL for a table (IOMMUCTL_PGTABLE_TABLE) or without memory; else
 * a sentence to free(): "the device's domain has no page table: group 5
 * type identity (DMA is not translated)", "DMA remapping is not enabled on
 * the device's IOMMU unit".
 */
char *iommuctl_pgtable_note(struct iommuctl_pgtable *pt, const char *device);
/** iommuctl_pgtable_error() - why the last call failed, or NULL (the
 * context's error slot, iommuctl_get_error(); a reader made without a
 * context has its own). */
const char *iommuctl_pgtable_error(struct iommuctl_pgtable *pt);

/**
 * enum iommuctl_pgtable_diff_kind - a way the table differs from the IOAS
 * @IOMMUCTL_PGTABLE_DIFF_MISSING: the IOAS maps it, the table does not
 * @IOMMUCTL_PGTABLE_DIFF_EXTRA: the table maps it, the IOAS does not
 * @IOMMUCTL_PGTABLE_DIFF_PERM: both map it, with other permissions
 * @IOMMUCTL_PGTABLE_DIFF_PHYS: both map it, to another physical page than
 *	the one the IOAS mapping pinned
 */
enum iommuctl_pgtable_diff_kind {
	IOMMUCTL_PGTABLE_DIFF_MISSING = 0,
	IOMMUCTL_PGTABLE_DIFF_EXTRA,
	IOMMUCTL_PGTABLE_DIFF_PERM,
	IOMMUCTL_PGTABLE_DIFF_PHYS,
};
/** iommuctl_pgtable_diff_kind_name() - "missing", "extra", "perm", "phys". */
const char *iommuctl_pgtable_diff_kind_name(enum iommuctl_pgtable_diff_kind k);

/**
 * struct iommuctl_pgtable_diff - one difference, pages of one kind merged
 * @kind: what differs
 * @start: first IOVA
 * @last: last IOVA (inclusive)
 * @want_perm: permissions of the IOAS mapping (0 for EXTRA)
 * @have_perm: permissions in the table (0 for MISSING)
 * @want_phys: physical address the IOAS pinned at @start (PHYS), else 0
 * @have_phys: physical address in the table at @start (PHYS, EXTRA), else 0
 * @mapping_iova: IOVA of the IOAS mapping concerned (not EXTRA)
 */
struct iommuctl_pgtable_diff {
	enum iommuctl_pgtable_diff_kind kind;
	uint64_t start, last;
	unsigned int want_perm, have_perm;
	uint64_t want_phys, have_phys;
	uint64_t mapping_iova;
};

/**
 * struct iommuctl_pgtable_verify_result - what verify compared
 * @device: PCI address whose table was read (owned by the session object)
 * @pasid: PASID of the table, or -1
 * @hwpt: the hwpt the device (or PASID) is attached to
 * @ioas: the IOAS compared against
 * @mappings: IOAS mappings compared
 * @bytes: bytes of IOVA the IOAS maps
 * @leaves: leaves in the table
 * @differences: differences reported
 * @phys_checked: physical addresses were compared
 * @phys_note: when not (or only partly), why: static text ("/proc/self/pagemap
 *	hides page frames without CAP_SYS_ADMIN"), else NULL
 */
struct iommuctl_pgtable_verify_result {
	const char *device;
	int64_t pasid;
	struct iommuctl_obj *hwpt;
	struct iommuctl_obj *ioas;
	uint64_t mappings;
	uint64_t bytes;
	uint64_t leaves;
	uint64_t differences;
	bool phys_checked;
	const char *phys_note;
};

/**
 * iommuctl_pgtable_verify() - compare a device's table with its IOAS
 * @dev: a VFIO device object of the session, attached (for @pasid >= 0,
 *	attached at that PASID)
 * @pasid: -1 for the RID attachment
 * @ioas: (optional) compare with this IOAS instead of the one the attached
 *	hwpt belongs to
 * @cb: (optional) called per difference, in IOVA order; nonzero stops
 * @arg: for @cb
 * @res: (out) what was compared
 *
 * Every IOVA page an IOAS mapping holds must be in the table with the
 * mapping's permissions and, where /proc/self/pagemap shows page frames
 * (root), at the physical page the mapping pinned; the table must hold
 * nothing else.
 *
 * Return: 0 when the comparison ran (res->differences says if it matched);
 * -ENOTCONN with iommuctl_session_error() when @dev is not attached;
 * -EOPNOTSUPP for hwpts that are not paging tables of an IOAS (nested),
 * -ENOENT when the table cannot be read (iommuctl_session_error() says why);
 * @cb's nonzero return; -errno.
 */
int iommuctl_pgtable_verify_sz(
	struct iommuctl_obj *dev, int64_t pasid, struct iommuctl_obj *ioas,
	int (*cb)(const struct iommuctl_pgtable_diff *d, void *arg), void *arg,
	struct iommuctl_pgtable_verify_result *res, size_t size);
#define iommuctl_pgtable_verify(dev, pasid, ioas, cb, arg, res)    \
	iommuctl_pgtable_verify_sz(dev, pasid, ioas, cb, arg, res, \
				   sizeof(*(res)))

/**
 * iommuctl_pgtable_can_verify() - is @o a device iommuctl_pgtable_verify()
 * compares: a VFIO device (not a selftest mock) of a session, attached at
 * @pasid (-1: its RID)
 */
bool iommuctl_pgtable_can_verify(struct iommuctl_obj *o, int64_t pasid);

#ifdef __cplusplus
}
#endif

#endif /* IOMMUCTL_PGTABLE_H */
