/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/*
 * <iommuctl/regs.h>: decoding capability registers.
 * Part of libiommuctl; <iommuctl/libiommuctl.h> includes every part.
 */
#ifndef IOMMUCTL_REGS_H
#define IOMMUCTL_REGS_H

#include <iommuctl/context.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * DOC: capability registers
 *
 * Decoding of the 64-bit capability registers IOMMU drivers show in sysfs:
 * Intel VT-d CAP_REG and ECAP_REG (/sys/class/iommu/dmarN/intel-iommu/cap,
 * ecap) and AMD-Vi EFR and EFR2 (/sys/class/iommu/ivhdN/amd-iommu/features).
 * The same values come from IOMMU_GET_HW_INFO.
 *
 * Two views: field tables (every defined field, raw, for dumps and JSON) and
 * summaries (what an administrator asks, with the Linux driver's rules).
 * These functions need no context, touch no files and cannot fail except on
 * malformed text.
 */
/**
 * struct iommuctl_regfield - one field of a 64-bit capability register
 * @key: stable JSON key, lowercase with underscores ("sagaw", "pss", "hats");
 *	unique within its table and part of the JSON interface
 * @name: mnemonic from the specification ("SAGAW", "PASmax")
 * @desc: short description for people
 * @lo: lowest bit of the field
 * @hi: highest bit of the field (inclusive; @lo == @hi for a flag)
 */
struct iommuctl_regfield {
	const char *key;
	const char *name;
	const char *desc;
	uint8_t lo, hi;
};

/**
 * iommuctl_vtd_cap_fields() - fields of the Intel VT-d CAP_REG
 * @n: (out, may be NULL) number of fields
 *
 * Return: a static table, ordered by bit position. Reserved bits have no
 * entry.
 */
const struct iommuctl_regfield *iommuctl_vtd_cap_fields(unsigned int *n);
/** iommuctl_vtd_ecap_fields() - fields of the Intel VT-d ECAP_REG, as above. */
const struct iommuctl_regfield *iommuctl_vtd_ecap_fields(unsigned int *n);
/** iommuctl_amd_efr_fields() - fields of the AMD-Vi EFR, as above. */
const struct iommuctl_regfield *iommuctl_amd_efr_fields(unsigned int *n);
/** iommuctl_amd_efr2_fields() - fields of the AMD-Vi EFR2, as above. */
const struct iommuctl_regfield *iommuctl_amd_efr2_fields(unsigned int *n);

/**
 * iommuctl_regfields() - the fields of a register, by its name
 * @reg: "CAP", "ECAP" (VT-d CAP_REG, ECAP_REG), "EFR", "EFR2" (AMD-Vi),
 *	the VT-d status registers as intel/iommu_regset names them: "GSTS",
 *	"FSTS", "RTADDR"; or the Arm SMMUv3 ID registers "IDR0", "IDR1",
 *	"IDR2", "IDR3", "IDR5", "IIDR", "AIDR" (32 bits each; IDR4 is
 *	implementation defined and has no table); case is ignored
 * @n: (out, may be NULL) number of fields, 0 for an unknown register
 *
 * Return: the table iommuctl_vtd_cap_fields() and the other per-register
 * functions return, or NULL for a register without one.
 */
const struct iommuctl_regfield *iommuctl_regfields(const char *reg,
						   unsigned int *n);

/**
 * iommuctl_regfield_value() - extract a field from a register value
 * @f: the field
 * @reg: the register value
 *
 * Return: the field shifted down to bit 0, i.e. (@reg >> lo) masked to the
 * field's width (a field of bits 63:0 returns @reg); 0 if @f is NULL or
 * describes no valid bit range.
 */
uint64_t iommuctl_regfield_value(const struct iommuctl_regfield *f,
				 uint64_t reg);

/**
 * struct iommuctl_vtd_summary - VT-d cap/ecap as a sysadmin reads them
 * @version_major: VER_REG major; not in cap/ecap, left 0 for the caller
 * @version_minor: VER_REG minor; left 0 as @version_major
 * @mgaw: maximum guest address width in bits (CAP.MGAW + 1)
 * @agaw_widths: second-stage address widths SAGAW allows, ascending, from
 *	39 (3-level), 48 (4-level), 57 (5-level)
 * @num_agaw_widths: entries used in @agaw_widths
 * @domains: number of domain IDs, 2^(4 + 2 * CAP.ND) (sysfs
 *	domains_supported)
 * @caching_mode: CAP.CM, set by emulated IOMMUs (QEMU, cloud vIOMMUs)
 * @sl_2m: second-stage 2 MiB pages (CAP.SSLPS bit 0)
 * @sl_1g: second-stage 1 GiB pages (CAP.SSLPS bit 1)
 * @fl_1g: first-stage 1 GiB pages (CAP.FS1GP; 2 MiB is always there)
 * @fl_5level: first-stage 5-level paging (CAP.FS5LP)
 * @posted_interrupts: CAP.PI
 * @page_walk_coherency: ECAP.C
 * @queued_invalidation: ECAP.QI
 * @ats: ECAP.DT, device-TLB invalidation (PCIe ATS)
 * @interrupt_remapping: ECAP.IR
 * @x2apic: ECAP.EIM, extended interrupt mode
 * @pass_through: ECAP.PT
 * @snoop_control: ECAP.SC (Linux: "enforce cache coherency")
 * @nesting: ECAP.NEST; the hardware can nest. Linux also needs scalable mode
 *	in use (and first- and second-stage support) to offer it
 * @prs: ECAP.PRS, page requests (PRI / IOPF)
 * @pasid: ECAP.PASID
 * @pasid_bits: PASID width, ECAP.PSS + 1, or 0 without ECAP.PASID
 * @scalable_mode: ECAP.SMTS, the unit can run in scalable mode. Whether it
 *	does depends on the kernel (intel_iommu=sm_on or the Kconfig default)
 * @first_stage: ECAP.FSTS
 * @second_stage: ECAP.SSTS; true as well on legacy units (no ECAP.SMTS),
 *	which translate with second-stage tables only
 * @dirty_tracking: ECAP.SSADS and ECAP.SMPWCS, Linux's rule for
 *	IOMMU_HW_CAP_DIRTY_TRACKING (which also needs scalable mode in use)
 * @ssads: raw ECAP.SSADS (second-stage accessed/dirty bits)
 */
struct iommuctl_vtd_summary {
	unsigned int version_major, version_minor;
	unsigned int mgaw;
	unsigned int agaw_widths[3];
	unsigned int num_agaw_widths;
	uint64_t domains;
	bool caching_mode;
	bool sl_2m, sl_1g;
	bool fl_1g, fl_5level;
	bool posted_interrupts;
	bool page_walk_coherency;
	bool queued_invalidation;
	bool ats;
	bool interrupt_remapping;
	bool x2apic;
	bool pass_through;
	bool snoop_control;
	bool nesting;
	bool prs;
	bool pasid;
	unsigned int pasid_bits;
	bool scalable_mode;
	bool first_stage, second_stage;
	bool dirty_tracking;
	bool ssads;
};

/**
 * iommuctl_vtd_summarize() - decode VT-d CAP_REG and ECAP_REG
 * @cap: CAP_REG (sysfs intel-iommu/cap)
 * @ecap: ECAP_REG (sysfs intel-iommu/ecap)
 * @s: filled in; every member not derived from @cap or @ecap is zeroed
 */
int iommuctl_vtd_summarize_sz(uint64_t cap, uint64_t ecap,
			      struct iommuctl_vtd_summary *s, size_t size);
#define iommuctl_vtd_summarize(cap, ecap, s) \
	iommuctl_vtd_summarize_sz(cap, ecap, s, sizeof(*(s)))

/**
 * struct iommuctl_amd_summary - AMD-Vi EFR/EFR2 as a sysadmin reads them
 * @prefetch: PreFSup
 * @ppr: PPRSup, peripheral page requests (PRI / IOPF)
 * @x2apic: XTSup
 * @nx: NXSup, no-execute
 * @guest_translation: GTSup, guest (v2, first-stage) page tables and PASIDs
 * @invalidate_all: IASup, INVALIDATE_IOMMU_ALL
 * @guest_vapic: GASup, guest virtual APIC (AVIC) interrupt remapping
 * @hw_error: HESup, hardware error registers
 * @perf_counters: PCSup
 * @guest_io_protection: GIOSup (Linux needs it for v2 DMA-API page tables)
 * @host_access: HASup, host access (A) bit
 * @enhanced_ppr: EPHSup
 * @host_dirty: HDSup, host dirty bit; Linux reports dirty tracking from it
 * @snp: SNPSup, SEV-SNP
 * @hats_levels: host page-table levels, 4 + HATS (spec: 0 = 4, 1 = 5,
 *	2 = 6 levels; 7 comes from the reserved encoding 3)
 * @gats_levels: guest page-table levels, 4 + GATS. The spec defines 0
 *	(4 levels) and 1 (5 levels) only; Linux uses 5-level guest tables only
 *	for GATS == 1, so a value above 5 comes from a reserved encoding
 * @pasid_bits: PASID width, PASmax + 1, when @guest_translation; else 0
 * @snp_avic: EFR2 SNPAVICSup (bits 7:5), SNP AVIC support level
 */
struct iommuctl_amd_summary {
	bool prefetch, ppr, x2apic, nx, guest_translation, invalidate_all,
		guest_vapic, hw_error, perf_counters, guest_io_protection,
		host_access, enhanced_ppr, host_dirty, snp;
	unsigned int hats_levels;
	unsigned int gats_levels;
	unsigned int pasid_bits;
	unsigned int snp_avic;
};

/**
 * iommuctl_amd_summarize() - decode AMD-Vi EFR and EFR2
 * @efr: Extended Feature Register
 * @efr2: Extended Feature Register 2 (0 when the kernel shows none)
 * @s: filled in
 */
int iommuctl_amd_summarize_sz(uint64_t efr, uint64_t efr2,
			      struct iommuctl_amd_summary *s, size_t size);
#define iommuctl_amd_summarize(efr, efr2, s) \
	iommuctl_amd_summarize_sz(efr, efr2, s, sizeof(*(s)))

/**
 * enum iommuctl_item_type - the C type of a summary member
 * @IOMMUCTL_ITEM_BOOL: bool
 * @IOMMUCTL_ITEM_UINT: unsigned int
 * @IOMMUCTL_ITEM_UINTS: unsigned int array, as many as the unsigned int at
 *	&struct iommuctl_item.count says
 */
enum iommuctl_item_type {
	IOMMUCTL_ITEM_BOOL,
	IOMMUCTL_ITEM_UINT,
	IOMMUCTL_ITEM_UINTS,
};

/**
 * struct iommuctl_item - one member of a summary, for generic dumps
 * @key: stable JSON key, lowercase with underscores; part of the JSON
 *	interface (iommuctl iommu show -j prints the summaries by these)
 * @type: the member's type
 * @offset: where the member is in the summary struct
 * @count: for %IOMMUCTL_ITEM_UINTS, where its length is
 */
struct iommuctl_item {
	const char *key;
	enum iommuctl_item_type type;
	size_t offset, count;
};

/**
 * iommuctl_vtd_summary_items() - the members of struct iommuctl_vtd_summary
 * worth showing, in the order to show them
 * @n: (out, may be NULL) number of items
 *
 * Return: a static table. It leaves out @domains (sysfs has its own
 * domains_supported), @version_major and @version_minor.
 */
const struct iommuctl_item *iommuctl_vtd_summary_items(unsigned int *n);
/** iommuctl_amd_summary_items() - the same for struct iommuctl_amd_summary
 * (@host_dirty under the key "dirty_tracking"; not @prefetch, @snp_avic). */
const struct iommuctl_item *iommuctl_amd_summary_items(unsigned int *n);

/**
 * struct iommuctl_smmuv3_summary - Arm SMMUv3 IDR0-5 as a sysadmin reads them
 * @arch_minor: AIDR.ArchMinorRev: SMMUv3.N
 * @stage1: IDR0.S1P
 * @stage2: IDR0.S2P
 * @nesting: both stages; Linux's ARM_SMMU_FEAT_NESTING rule
 * @aarch64_tables: IDR0.TTF bit 1 (Linux needs it)
 * @aarch32_tables: IDR0.TTF bit 0
 * @coherent: IDR0.COHACC, coherent table and queue accesses
 * @btm: IDR0.BTM, broadcast TLB maintenance
 * @hw_access_flag: IDR0.HTTU >= 1
 * @hw_dirty: IDR0.HTTU >= 2 (what Linux's dirty tracking needs)
 * @hyp: IDR0.HYP
 * @ats: IDR0.ATS
 * @msi: IDR0.MSI, the SMMU's own interrupts can be MSIs
 * @sev: IDR0.SEV
 * @pri: IDR0.PRI
 * @stall: IDR0.STALL_MODEL 0 or 2, stalling faults (I/O page faults
 *	without PRI)
 * @stall_forced: STALL_MODEL 2
 * @asid_bits: 16 with IDR0.ASID16, else 8
 * @vmid_bits: 16 with IDR0.VMID16, else 8
 * @cd_2level: IDR0.CD2L
 * @st_2level: IDR0.ST_LEVEL == 1
 * @sid_bits: IDR1.SIDSIZE, StreamID bits
 * @ssid_bits: IDR1.SSIDSIZE, SubstreamID (PASID) bits; 0 means no PASID
 * @pasid: @ssid_bits > 0
 * @s2fwb: IDR3.FWB; Linux 7.x gives a vIOMMU on a non-canwbs device only
 *	with it
 * @range_invalidation: IDR3.RIL
 * @bbml: IDR3.BBML, the break-before-make level
 * @oas_bits: IDR5.OAS in bits, 0 for a reserved encoding
 * @linux_oas_bits: what the Linux driver uses (48 for a reserved encoding)
 * @linux_ias_bits: what Linux up to 6.x prints as "ias": 40 with AArch32
 *	tables, then at least @linux_oas_bits
 * @va_bits: 52 with IDR5.VAX == 1, else 48
 * @gran_4k: IDR5.GRAN4K
 * @gran_16k: IDR5.GRAN16K
 * @gran_64k: IDR5.GRAN64K
 */
struct iommuctl_smmuv3_summary {
	unsigned int arch_minor;
	bool stage1, stage2, nesting, aarch64_tables, aarch32_tables;
	bool coherent, btm, hw_access_flag, hw_dirty, hyp, ats, msi, sev, pri;
	bool stall, stall_forced;
	unsigned int asid_bits, vmid_bits;
	bool cd_2level, st_2level;
	unsigned int sid_bits, ssid_bits;
	bool pasid, s2fwb, range_invalidation;
	unsigned int bbml;
	unsigned int oas_bits, linux_oas_bits, linux_ias_bits, va_bits;
	bool gran_4k, gran_16k, gran_64k;
};

/**
 * iommuctl_smmuv3_summarize() - decode the SMMUv3 ID registers
 * @idr: IDR0-IDR5, as IOMMU_GET_HW_INFO (type arm-smmuv3) returns them
 * @iidr: IIDR (not used by the summary; the fields table decodes it)
 * @aidr: AIDR
 * @s: filled in
 *
 * Return: 0, -EINVAL for a NULL @idr, or the size check's error.
 */
int iommuctl_smmuv3_summarize_sz(const uint32_t idr[6], uint32_t iidr,
				 uint32_t aidr,
				 struct iommuctl_smmuv3_summary *s,
				 size_t size);
#define iommuctl_smmuv3_summarize(idr, iidr, aidr, s) \
	iommuctl_smmuv3_summarize_sz(idr, iidr, aidr, s, sizeof(*(s)))
/** iommuctl_smmuv3_summary_items() - the members of struct
 * iommuctl_smmuv3_summary, in the order to show them */
const struct iommuctl_item *iommuctl_smmuv3_summary_items(unsigned int *n);
/**
 * iommuctl_smmuv3_pasid_why() - why a PASID attach cannot work behind this
 * SMMUv3, for people
 *
 * Return: a static sentence when the unit has no SubstreamIDs (SSIDSIZE 0),
 * NULL when it has some (or @s is NULL).
 */
const char *
iommuctl_smmuv3_pasid_why(const struct iommuctl_smmuv3_summary *s);

/**
 * enum iommuctl_smmuv3_feature - the bits of the Linux arm-smmu-v3 driver's
 * feature word, which its boot line prints ("features 0x%08x"); the
 * positions are the driver's ARM_SMMU_FEAT_* (stable since Linux 5.x; only
 * new bits are added at the top: S2FWB in 6.14, BBML2 in 6.16)
 */
enum iommuctl_smmuv3_feature {
	IOMMUCTL_SMMUV3_FEAT_2LVL_STRTAB = 0,
	IOMMUCTL_SMMUV3_FEAT_2LVL_CDTAB,
	IOMMUCTL_SMMUV3_FEAT_TT_LE,
	IOMMUCTL_SMMUV3_FEAT_TT_BE,
	IOMMUCTL_SMMUV3_FEAT_PRI,
	IOMMUCTL_SMMUV3_FEAT_ATS,
	IOMMUCTL_SMMUV3_FEAT_SEV,
	IOMMUCTL_SMMUV3_FEAT_MSI,
	IOMMUCTL_SMMUV3_FEAT_COHERENCY,
	IOMMUCTL_SMMUV3_FEAT_TRANS_S1,
	IOMMUCTL_SMMUV3_FEAT_TRANS_S2,
	IOMMUCTL_SMMUV3_FEAT_STALLS,
	IOMMUCTL_SMMUV3_FEAT_HYP,
	IOMMUCTL_SMMUV3_FEAT_STALL_FORCE,
	IOMMUCTL_SMMUV3_FEAT_VAX,
	IOMMUCTL_SMMUV3_FEAT_RANGE_INV,
	IOMMUCTL_SMMUV3_FEAT_BTM,
	IOMMUCTL_SMMUV3_FEAT_SVA,
	IOMMUCTL_SMMUV3_FEAT_E2H,
	IOMMUCTL_SMMUV3_FEAT_NESTING,
	IOMMUCTL_SMMUV3_FEAT_ATTR_TYPES_OVR,
	IOMMUCTL_SMMUV3_FEAT_HA,
	IOMMUCTL_SMMUV3_FEAT_HD,
	IOMMUCTL_SMMUV3_FEAT_S2FWB,
	IOMMUCTL_SMMUV3_FEAT_BBML2,
};
/** iommuctl_smmuv3_feature_name() - "2lvl-strtab", "s1", "nesting", ... for
 * a bit of the driver's feature word; NULL for a bit without a name */
const char *iommuctl_smmuv3_feature_name(unsigned int bit);

/**
 * struct iommuctl_smmuv3_log - the arm-smmu-v3 driver's boot line
 * @device: the SMMU's platform device ("9050000.smmuv3")
 * @has_ias: the line has "ias N-bit" (Linux up to 6.x; 7.x prints oas only)
 * @ias_bits: ias, 0 without one
 * @oas_bits: oas
 * @features: the driver's feature word (enum iommuctl_smmuv3_feature bits)
 */
struct iommuctl_smmuv3_log {
	char device[64];
	bool has_ias;
	unsigned int ias_bits, oas_bits;
	uint32_t features;
};
/**
 * iommuctl_smmuv3_parse_log_line() - parse the driver's boot line
 * @line: one kernel log line, with or without a "[time]" prefix:
 *	"arm-smmu-v3 DEV: ias 44-bit, oas 44-bit (features 0x00008305)" (up to
 *	Linux 6.x) or "arm-smmu-v3 DEV: oas 44-bit (features 0x01088705)" (7.x)
 * @out: (out) what it says
 *
 * Return: 0; -ENOENT for a line that is not this one (other arm-smmu-v3
 * lines too); -EINVAL for NULL arguments. Nothing is written on error.
 */
int iommuctl_smmuv3_parse_log_line(const char *line,
				   struct iommuctl_smmuv3_log *out);

/**
 * iommuctl_amd_parse_features() - parse the AMD-Vi sysfs "features" attribute
 * @text: content of /sys/class/iommu/ivhdN/amd-iommu/features: one or two
 *	words of at most 16 hex digits without 0x, separated by ':', with an
 *	optional trailing newline
 * @kernel_release: kernel release the text comes from ("6.12.117",
 *	"5.15.0-91-generic"), or NULL for the newest layout
 * @efr: (out) EFR
 * @efr2: (out) EFR2, 0 when the text has one word
 * @order: (out) a static string saying how the words were read: "efr",
 *	"efr2:efr" or "efr:efr2"
 *
 * The kernel changed the layout twice: up to 5.19 it prints "<efr>"; 6.0 to
 * 6.6 print "<efr2>:<efr>"; 6.7 and later print "<efr>:<efr2>". The decision:
 *
 * - one word is EFR, whatever the release says ("efr");
 * - two words from a release 6.0 to 6.6 are "efr2:efr";
 * - two words from any other release are "efr:efr2": 6.7 and later by the
 *   rule, NULL or an unparsable release as the newest layout, and releases
 *   before 6.0 (which print one word) because a second word there means a
 *   distribution backport, most likely of the current layout.
 *
 * Only the leading "major.minor" of @kernel_release is used. Distribution
 * kernels that backport the 6.7 change into a 6.0-6.6 release are read
 * wrongly; a caller can cross-check with the content (EFR has many of bits
 * 0-9 set on real hardware, EFR2 is usually small).
 *
 * Return: 0, or -EINVAL for malformed text (NULL, empty, a non-hex
 * character, an empty word, more than two words, a word longer than 16 hex
 * digits, anything after the optional newline) or a NULL output pointer.
 * Nothing is written on error.
 */
int iommuctl_amd_parse_features(const char *text, const char *kernel_release,
				uint64_t *efr, uint64_t *efr2,
				const char **order);

/**
 * iommuctl_vtd_parse_version() - parse the VT-d sysfs "version" attribute
 * @text: "<major>:<minor>" in decimal, optional trailing newline ("1:0\n")
 * @major: (out) VER_REG major
 * @minor: (out) VER_REG minor
 *
 * Return: 0, or -EINVAL if @text is malformed (missing part, sign, space,
 * non-digit, value above UINT_MAX, trailing garbage) or a pointer is NULL.
 * Nothing is written on error.
 */
int iommuctl_vtd_parse_version(const char *text, unsigned int *major,
			       unsigned int *minor);

/**
 * iommuctl_parse_hex_u64() - parse a sysfs hex attribute
 * @text: hex digits without 0x, optional trailing newline ("d2008c22260206\n")
 * @out: (out) the value
 *
 * Leading zeros are accepted; letters may be upper or lower case.
 *
 * Return: 0, -EINVAL if @text is malformed (NULL, empty, "0x" prefix,
 * non-hex character, trailing garbage) or @out is NULL, -ERANGE if the
 * value does not fit in 64 bits. Nothing is written on error.
 */
int iommuctl_parse_hex_u64(const char *text, uint64_t *out);

#ifdef __cplusplus
}
#endif

#endif /* IOMMUCTL_REGS_H */
