// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Register decoding: Intel VT-d CAP_REG/ECAP_REG and AMD-Vi EFR/EFR2, plus
 * the parsers for the sysfs attributes that carry them; and the VT-d status
 * registers the debugfs register dump shows (GSTS, FSTS, RTADDR).
 *
 * The one field table is indexed by an enum so that the summaries read their
 * bits through the same table the dumps print: a bit position is written
 * once. Positions follow kernel-interfaces.md sections 2.2-2.4.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "private.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define FIELD(k, n, l, h, d)                                               \
	{                                                                  \
		.key = (k), .name = (n), .desc = (d), .lo = (l), .hi = (h) \
	}

/* Every field of every register, one register after the other; a
 * register's fields are the run from its first enum entry to the next
 * register's. */
enum {
	/* Intel VT-d CAP_REG */
	CAP_ND,
	CAP_AFL,
	CAP_RWBF,
	CAP_PLMR,
	CAP_PHMR,
	CAP_CM,
	CAP_SAGAW,
	CAP_MGAW,
	CAP_ZLR,
	CAP_ISOCH,
	CAP_FRO,
	CAP_SSLPS,
	CAP_PSI,
	CAP_NFR,
	CAP_MAMV,
	CAP_DWD,
	CAP_DRD,
	CAP_FS1GP,
	CAP_PI,
	CAP_FS5LP,
	CAP_ECMDS,
	CAP_ESIRTPS,
	CAP_ESRTPS,
	/* Intel VT-d ECAP_REG */
	ECAP_C,
	ECAP_QI,
	ECAP_DT,
	ECAP_IR,
	ECAP_EIM,
	ECAP_PT,
	ECAP_SC,
	ECAP_IRO,
	ECAP_MHMV,
	ECAP_MTS,
	ECAP_NEST,
	ECAP_DIS,
	ECAP_BROKEN_PASID,
	ECAP_PRS,
	ECAP_ERS,
	ECAP_SRS,
	ECAP_NWFS,
	ECAP_EAFS,
	ECAP_PSS,
	ECAP_PASID,
	ECAP_DIT,
	ECAP_PDS,
	ECAP_SMTS,
	ECAP_VCS,
	ECAP_SSADS,
	ECAP_SSTS,
	ECAP_FSTS,
	ECAP_SMPWCS,
	ECAP_RPS,
	ECAP_PMS,
	ECAP_ADMS,
	ECAP_RPRIVS,
	/* AMD-Vi EFR (MMIO 0x30) */
	EFR_PREF,
	EFR_PPR,
	EFR_XT,
	EFR_NX,
	EFR_GT,
	EFR_IA,
	EFR_GA,
	EFR_HE,
	EFR_PC,
	EFR_HATS,
	EFR_GATS,
	EFR_GLX,
	EFR_GAM,
	EFR_PASMAX,
	EFR_GIO,
	EFR_HA,
	EFR_EPH,
	EFR_HD,
	EFR_SNP,
	/* AMD-Vi EFR2 (MMIO 0x1A0) */
	EFR2_SNP_AVIC,
	/* Intel VT-d GSTS_REG (VT-d spec 11.4.5) */
	GSTS_CFIS,
	GSTS_IRTPS,
	GSTS_IRES,
	GSTS_QIES,
	GSTS_WBFS,
	GSTS_AFLS,
	GSTS_FLS,
	GSTS_RTPS,
	GSTS_TES,
	/* Intel VT-d FSTS_REG (VT-d spec 11.4.9.2) */
	FSTS_PFO,
	FSTS_PPF,
	FSTS_AFO,
	FSTS_APF,
	FSTS_IQE,
	FSTS_ICE,
	FSTS_ITE,
	FSTS_PRO,
	FSTS_FRI,
	/* Intel VT-d RTADDR_REG (VT-d spec 11.4.6) */
	RTADDR_TTM,
	RTADDR_RTA,
	NFIELDS
};

static const struct iommuctl_regfield fields[NFIELDS] = {
	[CAP_ND] = FIELD("nd", "ND", 0, 2, "number of domain IDs: 2^(4+2*ND)"),
	[CAP_AFL] = FIELD("afl", "AFL", 3, 3, "advanced fault logging"),
	[CAP_RWBF] =
		FIELD("rwbf", "RWBF", 4, 4, "required write-buffer flushing"),
	[CAP_PLMR] = FIELD("plmr", "PLMR", 5, 5, "protected low-memory region"),
	[CAP_PHMR] =
		FIELD("phmr", "PHMR", 6, 6, "protected high-memory region"),
	[CAP_CM] = FIELD("cm", "CM", 7, 7, "caching mode (emulated IOMMU)"),
	[CAP_SAGAW] = FIELD("sagaw", "SAGAW", 8, 12,
			    "second-stage address widths "
			    "(bit1 39, bit2 48, bit3 57 bits)"),
	[CAP_MGAW] = FIELD("mgaw", "MGAW", 16, 21,
			   "maximum guest address width - 1"),
	[CAP_ZLR] = FIELD("zlr", "ZLR", 22, 22, "zero-length reads"),
	[CAP_ISOCH] = FIELD("isoch", "ISOCH", 23, 23, "isochrony (deprecated)"),
	[CAP_FRO] = FIELD("fro", "FRO", 24, 33,
			  "fault-recording register offset / 16"),
	[CAP_SSLPS] =
		FIELD("sslps", "SSLPS", 34, 37,
		      "second-stage large pages (bit0 2 MiB, bit1 1 GiB)"),
	[CAP_PSI] = FIELD("psi", "PSI", 39, 39, "page-selective invalidation"),
	[CAP_NFR] = FIELD("nfr", "NFR", 40, 47,
			  "number of fault-recording registers - 1"),
	[CAP_MAMV] = FIELD("mamv", "MAMV", 48, 53,
			   "maximum address mask value for PSI"),
	[CAP_DWD] = FIELD("dwd", "DWD", 54, 54, "write draining"),
	[CAP_DRD] = FIELD("drd", "DRD", 55, 55, "read draining"),
	[CAP_FS1GP] =
		FIELD("fs1gp", "FS1GP", 56, 56, "first-stage 1 GiB pages"),
	[CAP_PI] = FIELD("pi", "PI", 59, 59, "posted interrupts"),
	[CAP_FS5LP] =
		FIELD("fs5lp", "FS5LP", 60, 60, "first-stage 5-level paging"),
	[CAP_ECMDS] =
		FIELD("ecmds", "ECMDS", 61, 61, "enhanced command support"),
	[CAP_ESIRTPS] = FIELD("esirtps", "ESIRTPS", 62, 62,
			      "enhanced set-IR-table-pointer semantics"),
	[CAP_ESRTPS] = FIELD("esrtps", "ESRTPS", 63, 63,
			     "enhanced set-root-table-pointer semantics"),
	[ECAP_C] = FIELD("c", "C", 0, 0, "page-walk coherency"),
	[ECAP_QI] = FIELD("qi", "QI", 1, 1, "queued invalidation"),
	[ECAP_DT] = FIELD("dt", "DT", 2, 2, "device-TLB (ATS)"),
	[ECAP_IR] = FIELD("ir", "IR", 3, 3, "interrupt remapping"),
	[ECAP_EIM] =
		FIELD("eim", "EIM", 4, 4, "extended interrupt mode (x2APIC)"),
	[ECAP_PT] = FIELD("pt", "PT", 6, 6, "pass-through"),
	[ECAP_SC] = FIELD("sc", "SC", 7, 7,
			  "snoop control (enforce cache coherency)"),
	[ECAP_IRO] = FIELD("iro", "IRO", 8, 17, "IOTLB register offset / 16"),
	[ECAP_MHMV] =
		FIELD("mhmv", "MHMV", 20, 23, "maximum handle mask value"),
	[ECAP_MTS] = FIELD("mts", "MTS", 25, 25, "memory type support"),
	[ECAP_NEST] = FIELD("nest", "NEST", 26, 26, "nested translation"),
	[ECAP_DIS] = FIELD("dis", "DIS", 27, 27, "deprecated (Linux \"dis\")"),
	[ECAP_BROKEN_PASID] = FIELD("broken_pasid", "BROKEN_PASID", 28, 28,
				    "early-spec PASID bit, now reserved"),
	[ECAP_PRS] = FIELD("prs", "PRS", 29, 29, "page requests (PRI/IOPF)"),
	[ECAP_ERS] = FIELD("ers", "ERS", 30, 30, "execute requests"),
	[ECAP_SRS] = FIELD("srs", "SRS", 31, 31, "supervisor requests"),
	[ECAP_NWFS] = FIELD("nwfs", "NWFS", 33, 33, "no-write flag"),
	[ECAP_EAFS] = FIELD("eafs", "EAFS", 34, 34, "extended accessed flag"),
	[ECAP_PSS] = FIELD("pss", "PSS", 35, 39, "PASID size: bits - 1"),
	[ECAP_PASID] = FIELD("pasid", "PASID", 40, 40, "PASID support"),
	[ECAP_DIT] =
		FIELD("dit", "DIT", 41, 41, "device-TLB invalidation throttle"),
	[ECAP_PDS] = FIELD("pds", "PDS", 42, 42, "page-request drain"),
	[ECAP_SMTS] =
		FIELD("smts", "SMTS", 43, 43, "scalable-mode translation"),
	[ECAP_VCS] = FIELD("vcs", "VCS", 44, 44, "virtual command"),
	[ECAP_SSADS] = FIELD("ssads", "SSADS", 45, 45,
			     "second-stage accessed/dirty (dirty tracking)"),
	[ECAP_SSTS] = FIELD("ssts", "SSTS", 46, 46, "second-stage translation"),
	[ECAP_FSTS] = FIELD("fsts", "FSTS", 47, 47, "first-stage translation"),
	[ECAP_SMPWCS] = FIELD("smpwcs", "SMPWCS", 48, 48,
			      "scalable-mode page-walk coherency"),
	[ECAP_RPS] = FIELD("rps", "RPS", 49, 49, "RID_PASID support"),
	[ECAP_PMS] = FIELD("pms", "PMS", 51, 51, "performance monitoring"),
	[ECAP_ADMS] = FIELD("adms", "ADMS", 52, 52, "abort-DMA mode"),
	[ECAP_RPRIVS] = FIELD("rprivs", "RPRIVS", 53, 53, "RID_PRIV support"),
	[EFR_PREF] = FIELD("pref", "PreFSup", 0, 0, "prefetch"),
	[EFR_PPR] = FIELD("ppr", "PPRSup", 1, 1,
			  "peripheral page requests (PRI/IOPF)"),
	[EFR_XT] = FIELD("xt", "XTSup", 2, 2, "x2APIC"),
	[EFR_NX] = FIELD("nx", "NXSup", 3, 3, "no-execute"),
	[EFR_GT] = FIELD("gt", "GTSup", 4, 4,
			 "guest translation (v2 page tables, PASID)"),
	[EFR_IA] = FIELD("ia", "IASup", 6, 6, "INVALIDATE_IOMMU_ALL"),
	[EFR_GA] = FIELD("ga", "GASup", 7, 7, "guest virtual APIC"),
	[EFR_HE] = FIELD("he", "HESup", 8, 8, "hardware error registers"),
	[EFR_PC] = FIELD("pc", "PCSup", 9, 9, "performance counters"),
	[EFR_HATS] =
		FIELD("hats", "HATS", 10, 11, "host translation levels - 4"),
	[EFR_GATS] =
		FIELD("gats", "GATS", 12, 13, "guest translation levels - 4"),
	[EFR_GLX] = FIELD("glx", "GLXSup", 14, 15, "guest CR3 table levels"),
	[EFR_GAM] = FIELD("gam", "GAMSup", 21, 21, "guest virtual APIC modes"),
	[EFR_PASMAX] = FIELD("pasmax", "PASmax", 32, 36, "PASID bits - 1"),
	[EFR_GIO] = FIELD("gio", "GIOSup", 48, 48, "guest I/O protection"),
	[EFR_HA] = FIELD("ha", "HASup", 49, 49, "host access bit"),
	[EFR_EPH] = FIELD("eph", "EPHSup", 50, 50, "enhanced PPR handling"),
	[EFR_HD] =
		FIELD("hd", "HDSup", 52, 52, "host dirty bit (dirty tracking)"),
	[EFR_SNP] = FIELD("snp", "SNPSup", 63, 63, "SEV-SNP"),
	[EFR2_SNP_AVIC] =
		FIELD("snp_avic", "SNPAVICSup", 5, 7, "SNP AVIC support level"),
	[GSTS_CFIS] = FIELD("cfis", "CFIS", 23, 23,
			    "compatibility-format interrupts pass unremapped"),
	[GSTS_IRTPS] = FIELD("irtps", "IRTPS", 24, 24,
			     "interrupt remapping table pointer set"),
	[GSTS_IRES] =
		FIELD("ires", "IRES", 25, 25, "interrupt remapping enabled"),
	[GSTS_QIES] =
		FIELD("qies", "QIES", 26, 26, "queued invalidation enabled"),
	[GSTS_WBFS] =
		FIELD("wbfs", "WBFS", 27, 27, "write-buffer flush in progress"),
	[GSTS_AFLS] =
		FIELD("afls", "AFLS", 28, 28, "advanced fault logging enabled"),
	[GSTS_FLS] = FIELD("fls", "FLS", 29, 29, "fault log pointer set"),
	[GSTS_RTPS] = FIELD("rtps", "RTPS", 30, 30, "root table pointer set"),
	[GSTS_TES] = FIELD("tes", "TES", 31, 31,
			   "DMA remapping (translation) enabled"),
	[FSTS_PFO] = FIELD("pfo", "PFO", 0, 0, "primary fault overflow"),
	[FSTS_PPF] =
		FIELD("ppf", "PPF", 1, 1, "primary fault pending (see FRI)"),
	[FSTS_AFO] = FIELD("afo", "AFO", 2, 2,
			   "advanced fault overflow (deprecated)"),
	[FSTS_APF] = FIELD("apf", "APF", 3, 3,
			   "advanced fault pending (deprecated)"),
	[FSTS_IQE] = FIELD("iqe", "IQE", 4, 4, "invalidation queue error"),
	[FSTS_ICE] = FIELD("ice", "ICE", 5, 5,
			   "device-TLB invalidation completion error"),
	[FSTS_ITE] =
		FIELD("ite", "ITE", 6, 6, "device-TLB invalidation time-out"),
	[FSTS_PRO] = FIELD("pro", "PRO", 7, 7, "page request overflow"),
	[FSTS_FRI] =
		FIELD("fri", "FRI", 8, 15,
		      "fault-recording register of the first pending fault"),
	[RTADDR_TTM] = FIELD(
		"ttm", "TTM", 10, 11,
		"translation table mode: 0 legacy, 1 scalable, 3 abort DMA"),
	[RTADDR_RTA] =
		FIELD("rta", "RTA", 12, 63, "root table address bits 63:12"),
};

/* The registers, in the order of their fields above. */
static const struct {
	const char *name;
	unsigned int first;
} regs[] = {
	{ "CAP", CAP_ND },	   { "ECAP", ECAP_C },	  { "EFR", EFR_PREF },
	{ "EFR2", EFR2_SNP_AVIC }, { "GSTS", GSTS_CFIS }, { "FSTS", FSTS_PFO },
	{ "RTADDR", RTADDR_TTM },
};

IOMMUCTL_EXPORT const struct iommuctl_regfield *
iommuctl_regfields(const char *reg, unsigned int *n)
{
	size_t i;

	for (i = 0; reg && i < ARRAY_SIZE(regs); i++) {
		if (strcasecmp(reg, regs[i].name))
			continue;
		if (n)
			*n = (i + 1 < ARRAY_SIZE(regs) ? regs[i + 1].first :
							 NFIELDS) -
			     regs[i].first;
		return &fields[regs[i].first];
	}
	if (n)
		*n = 0;
	return NULL;
}

IOMMUCTL_EXPORT const struct iommuctl_regfield *
iommuctl_vtd_cap_fields(unsigned int *n)
{
	return iommuctl_regfields("CAP", n);
}

IOMMUCTL_EXPORT const struct iommuctl_regfield *
iommuctl_vtd_ecap_fields(unsigned int *n)
{
	return iommuctl_regfields("ECAP", n);
}

IOMMUCTL_EXPORT const struct iommuctl_regfield *
iommuctl_amd_efr_fields(unsigned int *n)
{
	return iommuctl_regfields("EFR", n);
}

IOMMUCTL_EXPORT const struct iommuctl_regfield *
iommuctl_amd_efr2_fields(unsigned int *n)
{
	return iommuctl_regfields("EFR2", n);
}

IOMMUCTL_EXPORT uint64_t
iommuctl_regfield_value(const struct iommuctl_regfield *f, uint64_t reg)
{
	unsigned int width;
	uint64_t v;

	if (!f || f->lo > f->hi || f->hi > 63)
		return 0;
	width = (unsigned int)f->hi - f->lo + 1;
	v = reg >> f->lo;
	if (width < 64)
		v &= (UINT64_C(1) << width) - 1;
	return v;
}

static uint64_t get(unsigned int i, uint64_t reg)
{
	return iommuctl_regfield_value(&fields[i], reg);
}

/* For fields of at most 10 bits that land in an unsigned int. */
static unsigned int getu(unsigned int i, uint64_t reg)
{
	return (unsigned int)get(i, reg);
}

static void iommuctl_vtd_summarize_impl(uint64_t cap, uint64_t ecap,
					struct iommuctl_vtd_summary *s)
{
	static const unsigned int sagaw_width[] = {
		[1] = 39, [2] = 48, [3] = 57
	};
	uint64_t sagaw, sslps;
	unsigned int bit;

	if (!s)
		return;
	memset(s, 0, sizeof(*s));

	s->mgaw = getu(CAP_MGAW, cap) + 1;
	sagaw = get(CAP_SAGAW, cap);
	/* SAGAW bit 0 (30-bit) and bit 4 are not defined for current
	 * hardware; only widths Linux can use are listed. */
	for (bit = 1; bit <= 3; bit++)
		if (sagaw & (UINT64_C(1) << bit))
			s->agaw_widths[s->num_agaw_widths++] = sagaw_width[bit];
	s->domains = UINT64_C(1) << (4 + 2 * getu(CAP_ND, cap));
	s->caching_mode = get(CAP_CM, cap);
	sslps = get(CAP_SSLPS, cap);
	s->sl_2m = sslps & 1;
	s->sl_1g = sslps & 2;
	s->fl_1g = get(CAP_FS1GP, cap);
	s->fl_5level = get(CAP_FS5LP, cap);
	s->posted_interrupts = get(CAP_PI, cap);

	s->page_walk_coherency = get(ECAP_C, ecap);
	s->queued_invalidation = get(ECAP_QI, ecap);
	s->ats = get(ECAP_DT, ecap);
	s->interrupt_remapping = get(ECAP_IR, ecap);
	s->x2apic = get(ECAP_EIM, ecap);
	s->pass_through = get(ECAP_PT, ecap);
	s->snoop_control = get(ECAP_SC, ecap);
	s->nesting = get(ECAP_NEST, ecap);
	s->prs = get(ECAP_PRS, ecap);
	s->pasid = get(ECAP_PASID, ecap);
	if (s->pasid)
		s->pasid_bits = getu(ECAP_PSS, ecap) + 1;
	s->scalable_mode = get(ECAP_SMTS, ecap);
	s->first_stage = get(ECAP_FSTS, ecap);
	/* Legacy-mode units translate with second-stage tables only. */
	s->second_stage = get(ECAP_SSTS, ecap) || !s->scalable_mode;
	s->ssads = get(ECAP_SSADS, ecap);
	s->dirty_tracking = s->ssads && get(ECAP_SMPWCS, ecap);
}

IOMMUCTL_EXPORT int iommuctl_vtd_summarize_sz(uint64_t cap, uint64_t ecap,
					      struct iommuctl_vtd_summary *s,
					      size_t size)
{
	int rc = sz_out(s, size, sizeof(*s));

	if (rc < 0)
		return rc;
	iommuctl_vtd_summarize_impl(cap, ecap, s);
	return 0;
}

static void iommuctl_amd_summarize_impl(uint64_t efr, uint64_t efr2,
					struct iommuctl_amd_summary *s)
{
	if (!s)
		return;
	memset(s, 0, sizeof(*s));

	s->prefetch = get(EFR_PREF, efr);
	s->ppr = get(EFR_PPR, efr);
	s->x2apic = get(EFR_XT, efr);
	s->nx = get(EFR_NX, efr);
	s->guest_translation = get(EFR_GT, efr);
	s->invalidate_all = get(EFR_IA, efr);
	s->guest_vapic = get(EFR_GA, efr);
	s->hw_error = get(EFR_HE, efr);
	s->perf_counters = get(EFR_PC, efr);
	s->guest_io_protection = get(EFR_GIO, efr);
	s->host_access = get(EFR_HA, efr);
	s->enhanced_ppr = get(EFR_EPH, efr);
	s->host_dirty = get(EFR_HD, efr);
	s->snp = get(EFR_SNP, efr);
	s->hats_levels = 4 + getu(EFR_HATS, efr);
	s->gats_levels = 4 + getu(EFR_GATS, efr);
	if (s->guest_translation)
		s->pasid_bits = getu(EFR_PASMAX, efr) + 1;
	s->snp_avic = getu(EFR2_SNP_AVIC, efr2);
}

IOMMUCTL_EXPORT int iommuctl_amd_summarize_sz(uint64_t efr, uint64_t efr2,
					      struct iommuctl_amd_summary *s,
					      size_t size)
{
	int rc = sz_out(s, size, sizeof(*s));

	if (rc < 0)
		return rc;
	iommuctl_amd_summarize_impl(efr, efr2, s);
	return 0;
}

#define ITEM(st, t, m)                                       \
	{                                                    \
		.key = #m, .type = IOMMUCTL_ITEM_##t,        \
		.offset = offsetof(struct iommuctl_##st, m), \
	}
#define ITEM_AS(st, t, k, m)                                 \
	{                                                    \
		.key = (k), .type = IOMMUCTL_ITEM_##t,       \
		.offset = offsetof(struct iommuctl_##st, m), \
	}

/* The VT-d summary's items, a NULL key, the AMD-Vi summary's, a NULL key. */
static const struct iommuctl_item summary_items[] = {
	ITEM(vtd_summary, UINT, mgaw),
	{ .key = "agaw_widths",
	  .type = IOMMUCTL_ITEM_UINTS,
	  .offset = offsetof(struct iommuctl_vtd_summary, agaw_widths),
	  .count = offsetof(struct iommuctl_vtd_summary, num_agaw_widths) },
	ITEM(vtd_summary, BOOL, scalable_mode),
	ITEM(vtd_summary, BOOL, pasid),
	ITEM(vtd_summary, UINT, pasid_bits),
	ITEM(vtd_summary, BOOL, first_stage),
	ITEM(vtd_summary, BOOL, second_stage),
	ITEM(vtd_summary, BOOL, nesting),
	ITEM(vtd_summary, BOOL, dirty_tracking),
	ITEM(vtd_summary, BOOL, ssads),
	ITEM(vtd_summary, BOOL, interrupt_remapping),
	ITEM(vtd_summary, BOOL, x2apic),
	ITEM(vtd_summary, BOOL, posted_interrupts),
	ITEM(vtd_summary, BOOL, queued_invalidation),
	ITEM(vtd_summary, BOOL, page_walk_coherency),
	ITEM(vtd_summary, BOOL, ats),
	ITEM(vtd_summary, BOOL, prs),
	ITEM(vtd_summary, BOOL, pass_through),
	ITEM(vtd_summary, BOOL, snoop_control),
	ITEM(vtd_summary, BOOL, caching_mode),
	ITEM(vtd_summary, BOOL, sl_2m),
	ITEM(vtd_summary, BOOL, sl_1g),
	ITEM(vtd_summary, BOOL, fl_1g),
	ITEM(vtd_summary, BOOL, fl_5level),
	{ .key = NULL },
	ITEM(amd_summary, BOOL, ppr),
	ITEM(amd_summary, BOOL, x2apic),
	ITEM(amd_summary, BOOL, nx),
	ITEM(amd_summary, BOOL, guest_translation),
	ITEM(amd_summary, BOOL, invalidate_all),
	ITEM(amd_summary, BOOL, guest_vapic),
	ITEM(amd_summary, BOOL, hw_error),
	ITEM(amd_summary, BOOL, perf_counters),
	ITEM(amd_summary, BOOL, guest_io_protection),
	ITEM(amd_summary, BOOL, host_access),
	ITEM(amd_summary, BOOL, enhanced_ppr),
	/* what Linux reports dirty tracking from */
	ITEM_AS(amd_summary, BOOL, "dirty_tracking", host_dirty),
	ITEM(amd_summary, BOOL, snp),
	ITEM(amd_summary, UINT, hats_levels),
	ITEM(amd_summary, UINT, gats_levels),
	ITEM(amd_summary, UINT, pasid_bits),
	{ .key = NULL },
};

/* The run of summary_items from @first to the NULL key. */
static const struct iommuctl_item *items(const struct iommuctl_item *first,
					 unsigned int *n)
{
	unsigned int i = 0;

	while (first[i].key)
		i++;
	if (n)
		*n = i;
	return first;
}

IOMMUCTL_EXPORT const struct iommuctl_item *
iommuctl_vtd_summary_items(unsigned int *n)
{
	return items(summary_items, n);
}

IOMMUCTL_EXPORT const struct iommuctl_item *
iommuctl_amd_summary_items(unsigned int *n)
{
	unsigned int nvtd;

	items(summary_items, &nvtd);
	return items(&summary_items[nvtd + 1], n);
}

/* ---- text parsers ---- */

int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Read a run of hex digits at *pp and advance past it. *ndigits gets the run
 * length (0: no digits), *overflow whether the value exceeds 64 bits.
 */
static uint64_t hex_run(const char **pp, unsigned int *ndigits, bool *overflow)
{
	const char *p = *pp;
	uint64_t v = 0;
	int d;

	*ndigits = 0;
	*overflow = false;
	while ((d = hex_digit(*p)) >= 0) {
		if (v >> 60)
			*overflow = true;
		v = v << 4 | (uint64_t)d;
		(*ndigits)++;
		p++;
	}
	*pp = p;
	return v;
}

/* Same for decimal digits, overflow meaning above UINT_MAX. */
static unsigned int dec_run(const char **pp, unsigned int *ndigits,
			    bool *overflow)
{
	const char *p = *pp;
	unsigned long long v = 0;

	*ndigits = 0;
	*overflow = false;
	while (*p >= '0' && *p <= '9') {
		if (!*overflow) {
			v = v * 10 + (unsigned int)(*p - '0');
			if (v > UINT_MAX)
				*overflow = true;
		}
		(*ndigits)++;
		p++;
	}
	*pp = p;
	return (unsigned int)v;
}

/* A sysfs value ends at NUL, after at most one newline. */
static bool at_end(const char *p)
{
	return p[0] == '\0' || (p[0] == '\n' && p[1] == '\0');
}

IOMMUCTL_EXPORT int iommuctl_parse_hex_u64(const char *text, uint64_t *out)
{
	unsigned int nd;
	bool over;
	uint64_t v;

	if (!text || !out)
		return -EINVAL;
	v = hex_run(&text, &nd, &over);
	if (!nd || !at_end(text))
		return -EINVAL;
	if (over)
		return -ERANGE;
	*out = v;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_vtd_parse_version(const char *text,
					       unsigned int *major,
					       unsigned int *minor)
{
	unsigned int nd, maj, min;
	bool over;

	if (!text || !major || !minor)
		return -EINVAL;
	maj = dec_run(&text, &nd, &over);
	if (!nd || over || *text != ':')
		return -EINVAL;
	text++;
	min = dec_run(&text, &nd, &over);
	if (!nd || over || !at_end(text))
		return -EINVAL;
	*major = maj;
	*minor = min;
	return 0;
}

/*
 * Leading "major.minor" of a kernel release ("6.12.117", "5.15.0-91-generic",
 * "6.7-rc1"). False when the string does not start that way.
 */
static bool release_version(const char *rel, unsigned int *major,
			    unsigned int *minor)
{
	unsigned int nd;
	bool over;

	if (!rel)
		return false;
	*major = dec_run(&rel, &nd, &over);
	if (!nd || over || *rel != '.')
		return false;
	rel++;
	*minor = dec_run(&rel, &nd, &over);
	return nd && !over;
}

IOMMUCTL_EXPORT int iommuctl_amd_parse_features(const char *text,
						const char *kernel_release,
						uint64_t *efr, uint64_t *efr2,
						const char **order)
{
	uint64_t word[2];
	unsigned int n = 0, nd, major, minor;
	bool over;

	if (!text || !efr || !efr2 || !order)
		return -EINVAL;
	for (;;) {
		word[n++] = hex_run(&text, &nd, &over);
		/* %llx never prints more than 16 digits: longer is garbage,
		 * whatever its value. */
		if (!nd || nd > 16)
			return -EINVAL;
		if (*text != ':')
			break;
		if (n == ARRAY_SIZE(word))
			return -EINVAL;
		text++;
	}
	if (!at_end(text))
		return -EINVAL;

	if (n == 1) {
		/* <= 5.19, or a kernel that only knows EFR */
		*efr = word[0];
		*efr2 = 0;
		*order = "efr";
	} else if (release_version(kernel_release, &major, &minor) &&
		   major == 6 && minor <= 6) {
		/* 6.0 - 6.6 printed "features2:features" */
		*efr = word[1];
		*efr2 = word[0];
		*order = "efr2:efr";
	} else {
		/* 6.7+, unknown release (newest), or a pre-6.0 backport */
		*efr = word[0];
		*efr2 = word[1];
		*order = "efr:efr2";
	}
	return 0;
}
