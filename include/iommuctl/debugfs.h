/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/*
 * <iommuctl/debugfs.h>: the IOMMU drivers' debugfs: registers, context entries,
 * invalidation queues, interrupt remapping tables.
 * Part of libiommuctl; <iommuctl/libiommuctl.h> includes every part.
 */
#ifndef IOMMUCTL_DEBUGFS_H
#define IOMMUCTL_DEBUGFS_H

#include <iommuctl/regs.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * DOC: IOMMU debugfs
 *
 * What the IOMMU drivers print under /sys/kernel/debug/iommu: Intel VT-d
 * registers (intel/iommu_regset), root/context/PASID entries
 * (intel/dmar_translation_struct), the invalidation queue
 * (intel/invalidation_queue), the interrupt remapping table
 * (intel/ir_translation_struct) and page tables
 * (intel/<BDF>/[<pasid>/]domain_translation_struct, 6.7+; one global
 * intel/domain_translation_struct before); and from the AMD-Vi driver (6.17+)
 * the command buffer of each unit (amd/iommuXX/cmdbuf). All of it is read
 * inside the context's root, parsed as untrusted text with bounded lines (a
 * malformed line is -EINVAL with an error text naming the file and line),
 * and handed out through callbacks or iterators so memory stays flat: what a
 * callback gets (strings included) is valid only during the call.
 *
 * Readers return -ENOENT when the running kernel does not have the file, and
 * iommuctl_debugfs_why() then says why (debugfs not mounted, a CONFIG_*
 * option off, a driver that exposes nothing) in words fit for a user.
 */

/**
 * iommuctl_debugfs_why() - why an IOMMU debugfs file is not there
 * @ctx: context
 * @file: path below /sys/kernel/debug/iommu ("intel/iommu_regset")
 * @why: (out) malloc'd text naming the missing piece and its fix, e.g.
 *	"debugfs is not mounted: mount -t debugfs none /sys/kernel/debug",
 *	"this kernel was built without CONFIG_INTEL_IOMMU_DEBUGFS (off in most
 *	distribution kernels)", or "the AMD-Vi driver never prints page
 *	tables in debugfs"; on AMD-Vi it tells a kernel before 6.17 (empty
 *	amd/iommuXX directories) from a later one; free() it
 *
 * Return: 0 if the file is there and readable (*@why NULL); -ENOENT when the
 * kernel does not offer it; -EACCES when it is there but this process may not
 * read it (debugfs is root-only); -ENOMEM.
 */
int iommuctl_debugfs_why(struct iommuctl_ctx *ctx, const char *file,
			 char **why);

/**
 * struct iommuctl_vtd_reg - one register line of intel/iommu_regset
 * @name: register name as printed ("GSTS", "MTRR_PHYSBASE0")
 * @offset: offset in the register block
 * @value: contents (32-bit registers zero-extended)
 */
struct iommuctl_vtd_reg {
	const char *name;
	uint32_t offset;
	uint64_t value;
};

/**
 * struct iommuctl_vtd_regset - the registers of one VT-d unit
 * @unit: unit name ("dmar0")
 * @base: register base address
 * @regs: registers in file order
 * @nregs: entries in @regs
 */
struct iommuctl_vtd_regset {
	const char *unit;
	uint64_t base;
	const struct iommuctl_vtd_reg *regs;
	size_t nregs;
};

/**
 * iommuctl_vtd_regsets() - read intel/iommu_regset
 * @ctx: context
 * @cb: called once per unit; a nonzero return stops and is returned
 * @arg: for @cb
 *
 * Return: 0, @cb's nonzero return, -ENOENT (see iommuctl_debugfs_why()),
 * -EINVAL on malformed text (iommuctl_debugfs_error() says where), -errno.
 */
int iommuctl_vtd_regsets(struct iommuctl_ctx *ctx,
			 int (*cb)(const struct iommuctl_vtd_regset *rs,
				   void *arg),
			 void *arg);
/** iommuctl_vtd_regset_find() - the value of register @name (case ignored),
 * or -ENOENT. */
int iommuctl_vtd_regset_find(const struct iommuctl_vtd_regset *rs,
			     const char *name, uint64_t *value);
/**
 * iommuctl_debugfs_error() - what the last debugfs parse of @ctx found
 * wrong ("intel/iommu_regset line 7: expected NAME 0xOFFSET 0xVALUE"), or
 * NULL. Owned by @ctx, valid until the next debugfs call (or any other call
 * that sets the context's error slot, iommuctl_get_error()).
 */
const char *iommuctl_debugfs_error(struct iommuctl_ctx *ctx);

/**
 * iommuctl_vtd_gsts_fields() - fields of the VT-d GSTS_REG (TES, RTPS, FLS,
 * AFLS, WBFS, QIES, IRES, IRTPS, CFIS), as iommuctl_vtd_cap_fields()
 */
const struct iommuctl_regfield *iommuctl_vtd_gsts_fields(unsigned int *n);
/** iommuctl_vtd_fsts_fields() - fields of the VT-d FSTS_REG. */
const struct iommuctl_regfield *iommuctl_vtd_fsts_fields(unsigned int *n);
/** iommuctl_vtd_rtaddr_fields() - RTADDR_REG (TTM: legacy/scalable, RTA). */
const struct iommuctl_regfield *iommuctl_vtd_rtaddr_fields(unsigned int *n);

/**
 * struct iommuctl_vtd_status - what the status registers of a VT-d unit say
 * @have_gsts: the register set has GSTS; the flags below come from it
 * @translation: DMA remapping enabled (GSTS.TES)
 * @root_table_set: root table pointer set (GSTS.RTPS)
 * @queued_invalidation: queued invalidation enabled (GSTS.QIES)
 * @interrupt_remapping: interrupt remapping enabled (GSTS.IRES)
 * @interrupt_table_set: interrupt remapping table pointer set (GSTS.IRTPS)
 * @compat_format_interrupts: compatibility-format interrupts (GSTS.CFIS)
 * @write_buffer_flush: write-buffer flush pending (GSTS.WBFS)
 * @mode: RTADDR.TTM in words: "legacy", "scalable", "reserved" or
 *	"abort-dma"; NULL when the register set has no RTADDR
 * @have_fsts: the register set has FSTS
 * @faults: the names of the one-bit FSTS fields set ("PPF", "IQE"), in bit
 *	order, as iommuctl_vtd_fsts_fields() names them
 * @nfaults: entries in @faults
 */
struct iommuctl_vtd_status {
	bool have_gsts;
	bool translation, root_table_set, queued_invalidation;
	bool interrupt_remapping, interrupt_table_set;
	bool compat_format_interrupts, write_buffer_flush;
	const char *mode;
	bool have_fsts;
	const char *faults[16];
	unsigned int nfaults;
};

/**
 * iommuctl_vtd_regset_status() - decode GSTS, RTADDR and FSTS of a unit
 * @rs: the unit's registers, as iommuctl_vtd_regsets() hands them out
 * @st: (out) filled in; registers @rs lacks leave their members unset
 *	(@have_gsts, @mode, @have_fsts say which)
 *
 * Return: 0, or -EINVAL for a NULL argument.
 */
int iommuctl_vtd_regset_status(const struct iommuctl_vtd_regset *rs,
			       struct iommuctl_vtd_status *st);
/**
 * iommuctl_vtd_status_items() - the GSTS flags of struct iommuctl_vtd_status,
 * in the order to show them (as iommuctl_vtd_summary_items(); all
 * %IOMMUCTL_ITEM_BOOL)
 * @n: (out, may be NULL) number of items
 */
const struct iommuctl_item *iommuctl_vtd_status_items(unsigned int *n);

/**
 * enum iommuctl_vtd_ttype - what a context or PASID entry tells the unit to do
 * @IOMMUCTL_VTD_TT_UNKNOWN: a reserved encoding
 * @IOMMUCTL_VTD_TT_MULTI_LEVEL: legacy context TT=0, second-stage table
 * @IOMMUCTL_VTD_TT_DEV_IOTLB: legacy TT=1, second-stage table with ATS
 * @IOMMUCTL_VTD_TT_PASS_THROUGH: legacy TT=2 or PASID PGTT=4
 * @IOMMUCTL_VTD_TT_FIRST_STAGE: PASID PGTT=1
 * @IOMMUCTL_VTD_TT_SECOND_STAGE: PASID PGTT=2
 * @IOMMUCTL_VTD_TT_NESTED: PASID PGTT=3
 */
enum iommuctl_vtd_ttype {
	IOMMUCTL_VTD_TT_UNKNOWN = 0,
	IOMMUCTL_VTD_TT_MULTI_LEVEL,
	IOMMUCTL_VTD_TT_DEV_IOTLB,
	IOMMUCTL_VTD_TT_PASS_THROUGH,
	IOMMUCTL_VTD_TT_FIRST_STAGE,
	IOMMUCTL_VTD_TT_SECOND_STAGE,
	IOMMUCTL_VTD_TT_NESTED,
};
/** iommuctl_vtd_ttype_name() - "multi-level", "dev-iotlb", "pass-through",
 * "first-stage", "second-stage", "nested", "unknown". */
const char *iommuctl_vtd_ttype_name(enum iommuctl_vtd_ttype t);

/**
 * struct iommuctl_vtd_context - one row of intel/dmar_translation_struct
 * @unit: the unit ("dmar0")
 * @root_table: the unit's root table address
 * @bus: bus number
 * @devfn: device and function (slot << 3 | function)
 * @root: raw root entry, [0] high and [1] low qword as printed
 * @context: raw context entry, [0] high, [1] low
 * @scalable: the row is a scalable-mode PASID entry (@pasid >= 0)
 * @pasid: PASID of the row, -1 in legacy mode
 * @pasid_entry: raw PASID entry qwords as printed, [0] qword2, [1] qword1,
 *	[2] qword0; zero in legacy mode
 * @ttype: translation type (legacy context TT, or PASID entry PGTT)
 * @domain_id: DID (context hi bits 23:8, or PASID entry qword1 bits 15:0)
 * @address_width: bits the table translates (39, 48, 57; 0 if reserved):
 *	legacy context AW or PASID entry AW (second-stage, nested,
 *	pass-through), or for first-stage the PASID entry's FLPM (qword2
 *	bits 3:2: 48 for 4-level, 57 for 5-level)
 * @levels: the table's levels by @address_width: 3, 4 or 5 (0 for others)
 * @table: page table root: second-stage pointer (legacy context lo, PASID
 *	qword0) or first-stage pointer (PASID qword2) by @ttype; 0 for
 *	pass-through
 * @pasid_dir: scalable mode: the PASID directory of the context entry
 * @present: context (legacy) or PASID (scalable) entry present bit
 * @fault_disable: FPD bit of the same entry
 */
struct iommuctl_vtd_context {
	const char *unit;
	uint64_t root_table;
	uint8_t bus, devfn;
	uint64_t root[2];
	uint64_t context[2];
	bool scalable;
	int32_t pasid;
	uint64_t pasid_entry[3];
	enum iommuctl_vtd_ttype ttype;
	uint16_t domain_id;
	unsigned int address_width;
	uint64_t table;
	uint64_t pasid_dir;
	bool present;
	bool fault_disable;
	unsigned int levels;
};

/**
 * struct iommuctl_vtd_unit_state - a unit header of a VT-d debugfs file
 * @unit: unit name
 * @enabled: false for "DMA Remapping is not enabled on dmarN" (or, for the
 *	interrupt remapping table, "Interrupt Remapping is not enabled")
 * @table: root table / IR table / queue base address as printed, else 0
 */
struct iommuctl_vtd_unit_state {
	const char *unit;
	bool enabled;
	uint64_t table;
};

/**
 * iommuctl_vtd_contexts() - read intel/dmar_translation_struct
 * @ctx: context
 * @unit_cb: (optional) called for each unit header, before its rows
 * @cb: called for each row
 * @arg: for both
 *
 * Return: as iommuctl_vtd_regsets().
 */
int iommuctl_vtd_contexts(
	struct iommuctl_ctx *ctx,
	int (*unit_cb)(const struct iommuctl_vtd_unit_state *u, void *arg),
	int (*cb)(const struct iommuctl_vtd_context *c, void *arg), void *arg);

/**
 * struct iommuctl_vtd_unit_contexts - a unit of intel/dmar_translation_struct
 * and its rows
 * @unit: the unit header (its @unit owned by the array)
 * @rows: the unit's rows, in file order; each row's @unit is @unit.unit
 * @n: how many
 */
struct iommuctl_vtd_unit_contexts {
	struct iommuctl_vtd_unit_state unit;
	struct iommuctl_vtd_context *rows;
	size_t n;
};

/**
 * iommuctl_vtd_contexts_get() - intel/dmar_translation_struct, read whole
 * @ctx: context
 * @device: (optional) only this PCI device's rows (any form
 *	iommuctl_parse_bdf() takes; the file has no PCI segment, so only bus,
 *	device and function are compared)
 * @out: (out) every unit, in file order (free with
 *	iommuctl_vtd_contexts_free())
 * @n: (out) how many
 *
 * Return: 0; -EINVAL for a malformed @device; as iommuctl_vtd_contexts().
 */
int iommuctl_vtd_contexts_get(struct iommuctl_ctx *ctx, const char *device,
			      struct iommuctl_vtd_unit_contexts **out,
			      size_t *n);
void iommuctl_vtd_contexts_free(struct iommuctl_vtd_unit_contexts *u, size_t n);

/**
 * enum iommuctl_vtd_qi_status - status the kernel keeps per queue slot
 */
enum iommuctl_vtd_qi_status {
	IOMMUCTL_VTD_QI_FREE = 0,
	IOMMUCTL_VTD_QI_IN_USE = 1,
	IOMMUCTL_VTD_QI_DONE = 2,
	IOMMUCTL_VTD_QI_ABORT = 3,
};

/**
 * struct iommuctl_vtd_qi_desc - one slot of the invalidation queue
 * @index: slot number
 * @qw: descriptor qwords; @qw[2] and @qw[3] are 0 for 128-bit descriptors
 * @status: the kernel's slot status (raw; see enum iommuctl_vtd_qi_status)
 * @type: descriptor type, qw0 bits 3:0 | bits 11:9 << 4
 * @type_name: "context-cache", "iotlb", "dev-tlb", "iec", "wait",
 *	"pasid-iotlb", "pasid-cache", "pasid-dev-tlb", "page-response",
 *	"unknown"
 * @status_name: @status in words: "free", "in-use", "done", "abort"; NULL
 *	for another value
 */
struct iommuctl_vtd_qi_desc {
	unsigned int index;
	uint64_t qw[4];
	uint64_t status;
	unsigned int type;
	const char *type_name;
	const char *status_name;
};

/**
 * struct iommuctl_vtd_qi - the invalidation queue of one unit
 * @unit: unit name
 * @base: queue base address
 * @head: head, in descriptors
 * @tail: tail, in descriptors
 * @wide: 256-bit descriptors (scalable-mode capable unit)
 */
struct iommuctl_vtd_qi {
	const char *unit;
	uint64_t base;
	uint64_t head, tail;
	bool wide;
};

/**
 * iommuctl_vtd_invalidation_queues() - read intel/invalidation_queue
 * @ctx: context
 * @unit_cb: (optional) called per unit before its slots
 * @cb: called for every slot
 * @arg: for both
 */
int iommuctl_vtd_invalidation_queues(
	struct iommuctl_ctx *ctx,
	int (*unit_cb)(const struct iommuctl_vtd_qi *q, void *arg),
	int (*cb)(const struct iommuctl_vtd_qi *q,
		  const struct iommuctl_vtd_qi_desc *d, void *arg),
	void *arg);

/**
 * struct iommuctl_amd_cmdbuf - the command buffer of one AMD-Vi unit
 * @unit: the unit's debugfs name ("iommu00")
 * @index: the driver's index of the unit (the number in @unit). The kernel
 *	names a unit after this index twice: "iommu%02d" in debugfs and
 *	"ivhd%d" in /sys/class/iommu, so iommu01 is ivhd1. The index counts the
 *	units in the order the driver found them (the IVHD order of the ACPI
 *	IVRS table), so in practice ivhd0, ivhd1, ... follow the IVHD order.
 * @head: command buffer head as printed: the slot the unit reads next
 *	(the head pointer register >> 4: a slot number, 16-byte slots)
 * @tail: command buffer tail as printed: the slot the driver writes next;
 *	@head == @tail when the unit has run every command
 * @sysfs_unit: the unit's name in /sys/class/iommu ("ivhd1"), or NULL when
 *	no AMD-Vi unit there has that name
 */
struct iommuctl_amd_cmdbuf {
	const char *unit;
	unsigned int index;
	uint64_t head, tail;
	const char *sysfs_unit;
};

/**
 * iommuctl_amd_unit_index() - the driver's index of an AMD-Vi unit
 * @name: its /sys/class/iommu name ("ivhd1") or its debugfs name ("iommu01")
 *
 * Return: the index (0 to 65535), or -EINVAL for a name of neither form.
 */
int iommuctl_amd_unit_index(const char *name);

/**
 * struct iommuctl_amd_cmd - one slot of an AMD-Vi command buffer
 * @index: slot number
 * @dw: the four 32-bit words of the command as printed, [0] first
 * @opcode: command type, @dw[1] bits 31:28
 * @name: its name in the AMD IOMMU specification: "COMPLETION_WAIT",
 *	"INVALIDATE_DEVTAB_ENTRY", "INVALIDATE_IOMMU_PAGES",
 *	"INVALIDATE_IOTLB_PAGES", "INVALIDATE_INTERRUPT_TABLE",
 *	"PREFETCH_IOMMU_PAGES", "COMPLETE_PPR_REQUEST", "INVALIDATE_IOMMU_ALL",
 *	"INSERT_GUEST_EVENT", "RESET_VMMIO"; "unknown" for other opcodes
 *	(0 in a slot never written)
 */
struct iommuctl_amd_cmd {
	unsigned int index;
	uint32_t dw[4];
	unsigned int opcode;
	const char *name;
};

/**
 * iommuctl_amd_cmdbufs() - read amd/iommuXX/cmdbuf of every AMD-Vi unit
 * @ctx: context
 * @unit_cb: (optional) called per unit, in index order, before its slots
 * @cb: called for every slot
 * @arg: for both
 *
 * The command buffer is AMD-Vi's invalidation queue: the driver writes
 * commands at the tail, the unit runs them from the head. The files came
 * with Linux 6.17; before, amd/iommuXX are empty directories and this
 * returns -ENOENT (iommuctl_debugfs_why() on "amd/iommu00/cmdbuf" says so).
 * The other AMD-Vi files (amd/devid with amd/devtbl and amd/irqtbl, and
 * amd/iommuXX/mmio and capability) show something only after a write to a
 * file whose setting every reader shares; they are not read.
 *
 * Return: as iommuctl_vtd_regsets().
 */
int iommuctl_amd_cmdbufs(struct iommuctl_ctx *ctx,
			 int (*unit_cb)(const struct iommuctl_amd_cmdbuf *b,
					void *arg),
			 int (*cb)(const struct iommuctl_amd_cmdbuf *b,
				   const struct iommuctl_amd_cmd *c, void *arg),
			 void *arg);

/**
 * iommuctl_invalidation_file() - where the invalidation queue of a unit is
 * @ctx: context
 * @unit: a unit's /sys/class/iommu name ("dmar0", "ivhd1"), an AMD-Vi
 *	unit's debugfs name ("iommu01"), or NULL for the system's units
 * @buf: (out) the file below /sys/kernel/debug/iommu:
 *	"intel/invalidation_queue" (read it with
 *	iommuctl_vtd_invalidation_queues()), or "amd/iommuXX/cmdbuf" of @unit
 *	or, without one, of the first AMD-Vi unit (iommuctl_amd_cmdbufs());
 *	the name to give iommuctl_debugfs_why() when the reader fails
 * @n: size of @buf
 *
 * @unit means AMD-Vi when it is an AMD-Vi unit or an "iommuXX" name; no
 * @unit means AMD-Vi when the system has AMD-Vi units and no VT-d unit.
 *
 * Return: 1 for an AMD-Vi command buffer, 0 for the VT-d invalidation
 * queue, -EINVAL, or -ENOSPC when @buf is too small.
 */
int iommuctl_invalidation_file(struct iommuctl_ctx *ctx, const char *unit,
			       char *buf, size_t n);

/**
 * struct iommuctl_vtd_irte - one entry of intel/ir_translation_struct
 * @index: entry index in the interrupt remapping table
 * @source_id: requester ID the entry accepts (bus << 8 | devfn)
 * @posted: from the posted-interrupt section
 * @dest_id: the DST field (remapped entries; 0 for posted): the APIC ID
 *	itself in x2APIC mode (IRTA.EIME set), the APIC ID in bits 15:8 in
 *	xAPIC mode
 * @pda: posted descriptor address (posted entries)
 * @vector: vector
 * @high: raw IRTE bits 127:64
 * @low: raw IRTE bits 63:0
 * @fpd: fault processing disable (low bit 1)
 * @dest_logical: destination mode logical (low bit 2; remapped entries only)
 * @level: level-triggered (low bit 4; remapped entries only)
 * @delivery_mode: low bits 7:5 (0 fixed, 1 lowest priority, ...; remapped
 *	entries only, 0 for posted)
 * @svt: source validation type (high bits 19:18)
 * @sq: source-id qualifier (high bits 17:16)
 * @delivery_name: @delivery_mode in words: "fixed", "lowest-priority",
 *	"smi", "nmi", "init", "extint"; NULL for posted entries and the
 *	reserved modes 3 and 6
 * @trigger_name: @level in words, "level" or "edge"; NULL for posted entries
 * @dest_mode_name: @dest_logical in words, "logical" or "physical"; NULL
 *	for posted entries
 */
struct iommuctl_vtd_irte {
	unsigned int index;
	uint16_t source_id;
	bool posted;
	uint32_t dest_id;
	uint64_t pda;
	uint8_t vector;
	uint64_t high, low;
	bool fpd, dest_logical, level;
	unsigned int delivery_mode;
	unsigned int svt, sq;
	const char *delivery_name;
	const char *trigger_name, *dest_mode_name;
};

/**
 * iommuctl_vtd_irtes() - read intel/ir_translation_struct
 * @ctx: context
 * @unit_cb: (optional) called per unit and section (remapped, then posted)
 *	with the table address, or enabled false when remapping is off
 * @cb: called per entry
 * @arg: for both
 */
int iommuctl_vtd_irtes(struct iommuctl_ctx *ctx,
		       int (*unit_cb)(const struct iommuctl_vtd_unit_state *u,
				      bool posted, void *arg),
		       int (*cb)(const struct iommuctl_vtd_unit_state *u,
				 const struct iommuctl_vtd_irte *e, void *arg),
		       void *arg);

#ifdef __cplusplus
}
#endif

#endif /* IOMMUCTL_DEBUGFS_H */
