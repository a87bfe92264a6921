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
	/* Arm SMMUv3 IDR0 (SMMUv3 spec 6.3.1) */
	IDR0_S2P,
	IDR0_S1P,
	IDR0_TTF,
	IDR0_COHACC,
	IDR0_BTM,
	IDR0_HTTU,
	IDR0_DORMHINT,
	IDR0_HYP,
	IDR0_ATS,
	IDR0_NS1ATS,
	IDR0_ASID16,
	IDR0_MSI,
	IDR0_SEV,
	IDR0_ATOS,
	IDR0_PRI,
	IDR0_VMW,
	IDR0_VMID16,
	IDR0_CD2L,
	IDR0_VATOS,
	IDR0_TTENDIAN,
	IDR0_ATSRECERR,
	IDR0_STALL_MODEL,
	IDR0_TERM_MODEL,
	IDR0_ST_LEVEL,
	/* Arm SMMUv3 IDR1 (6.3.2) */
	IDR1_SIDSIZE,
	IDR1_SSIDSIZE,
	IDR1_PRIQS,
	IDR1_EVENTQS,
	IDR1_CMDQS,
	IDR1_ATTR_PERMS_OVR,
	IDR1_ATTR_TYPES_OVR,
	IDR1_REL,
	IDR1_QUEUES_PRESET,
	IDR1_TABLES_PRESET,
	IDR1_ECMDQ,
	/* Arm SMMUv3 IDR2 (6.3.3) */
	IDR2_BA_VATOS,
	/* Arm SMMUv3 IDR3 (6.3.4) */
	IDR3_HAD,
	IDR3_PBHA,
	IDR3_XNX,
	IDR3_PPS,
	IDR3_MPAM,
	IDR3_FWB,
	IDR3_STT,
	IDR3_RIL,
	IDR3_BBML,
	/* Arm SMMUv3 IDR5 (6.3.6) */
	IDR5_OAS,
	IDR5_GRAN4K,
	IDR5_GRAN16K,
	IDR5_GRAN64K,
	IDR5_VAX,
	IDR5_STALL_MAX,
	/* Arm SMMUv3 IIDR (6.3.7) */
	IIDR_IMPLEMENTER,
	IIDR_REVISION,
	IIDR_VARIANT,
	IIDR_PRODUCTID,
	/* Arm SMMUv3 AIDR (6.3.8) */
	AIDR_MINOR,
	AIDR_MAJOR,
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
	[IDR0_S2P] = FIELD("s2p", "S2P", 0, 0, "stage-2 translation"),
	[IDR0_S1P] = FIELD("s1p", "S1P", 1, 1, "stage-1 translation"),
	[IDR0_TTF] = FIELD("ttf", "TTF", 2, 3,
			   "table formats: 1 AArch32, 2 AArch64, 3 both"),
	[IDR0_COHACC] = FIELD("cohacc", "COHACC", 4, 4,
			      "coherent access to tables and queues"),
	[IDR0_BTM] = FIELD("btm", "BTM", 5, 5, "broadcast TLB maintenance"),
	[IDR0_HTTU] = FIELD("httu", "HTTU", 6, 7,
			    "hardware table update: 1 access, 2 +dirty"),
	[IDR0_DORMHINT] = FIELD("dormhint", "DORMHINT", 8, 8, "dormant hint"),
	[IDR0_HYP] = FIELD("hyp", "HYP", 9, 9, "EL2 (hypervisor) stage 1"),
	[IDR0_ATS] = FIELD("ats", "ATS", 10, 10, "PCIe ATS"),
	[IDR0_NS1ATS] =
		FIELD("ns1ats", "NS1ATS", 11, 11, "no stage-1-only ATS"),
	[IDR0_ASID16] = FIELD("asid16", "ASID16", 12, 12, "16-bit ASIDs"),
	[IDR0_MSI] = FIELD("msi", "MSI", 13, 13,
			   "the SMMU's own interrupts can be MSIs"),
	[IDR0_SEV] = FIELD("sev", "SEV", 14, 14, "send events to the PE"),
	[IDR0_ATOS] = FIELD("atos", "ATOS", 15, 15, "address translation ops"),
	[IDR0_PRI] = FIELD("pri", "PRI", 16, 16, "PCIe page requests (PRI)"),
	[IDR0_VMW] = FIELD("vmw", "VMW", 17, 17, "VMID wildcards"),
	[IDR0_VMID16] = FIELD("vmid16", "VMID16", 18, 18, "16-bit VMIDs"),
	[IDR0_CD2L] = FIELD("cd2l", "CD2L", 19, 19,
			    "2-level context descriptor tables"),
	[IDR0_VATOS] = FIELD("vatos", "VATOS", 20, 20, "virtual ATOS page"),
	[IDR0_TTENDIAN] = FIELD("ttendian", "TTENDIAN", 21, 22,
				"table endianness: 0 both, 2 LE, 3 BE"),
	[IDR0_ATSRECERR] = FIELD("atsrecerr", "ATSRECERR", 23, 23,
				 "ATS recoverable errors"),
	[IDR0_STALL_MODEL] = FIELD("stall_model", "STALL_MODEL", 24, 25,
				   "0 stall and terminate, 1 terminate only, "
				   "2 stall forced"),
	[IDR0_TERM_MODEL] = FIELD("term_model", "TERM_MODEL", 26, 26,
				  "terminated transactions abort, no RAZ/WI"),
	[IDR0_ST_LEVEL] = FIELD("st_level", "ST_LEVEL", 27, 28,
				"stream table: 0 linear, 1 2-level"),
	[IDR1_SIDSIZE] = FIELD("sidsize", "SIDSIZE", 0, 5, "StreamID bits"),
	[IDR1_SSIDSIZE] = FIELD("ssidsize", "SSIDSIZE", 6, 10,
				"SubstreamID (PASID) bits; 0 none"),
	[IDR1_PRIQS] = FIELD("priqs", "PRIQS", 11, 15, "log2 PRI queue size"),
	[IDR1_EVENTQS] =
		FIELD("eventqs", "EVENTQS", 16, 20, "log2 event queue size"),
	[IDR1_CMDQS] =
		FIELD("cmdqs", "CMDQS", 21, 25, "log2 command queue size"),
	[IDR1_ATTR_PERMS_OVR] = FIELD("attr_perms_ovr", "ATTR_PERMS_OVR", 26,
				      26, "incoming permission override"),
	[IDR1_ATTR_TYPES_OVR] = FIELD("attr_types_ovr", "ATTR_TYPES_OVR", 27,
				      27, "incoming memory type override"),
	[IDR1_REL] = FIELD("rel", "REL", 28, 28,
			   "preset addresses are relative to the SMMU"),
	[IDR1_QUEUES_PRESET] = FIELD("queues_preset", "QUEUES_PRESET", 29, 29,
				     "queue bases fixed"),
	[IDR1_TABLES_PRESET] = FIELD("tables_preset", "TABLES_PRESET", 30, 30,
				     "table bases fixed"),
	[IDR1_ECMDQ] =
		FIELD("ecmdq", "ECMDQ", 31, 31, "enhanced command queues"),
	[IDR2_BA_VATOS] =
		FIELD("ba_vatos", "BA_VATOS", 0, 9, "VATOS page base / 64 KiB"),
	[IDR3_HAD] =
		FIELD("had", "HAD", 2, 2, "hierarchical attribute disable"),
	[IDR3_PBHA] =
		FIELD("pbha", "PBHA", 3, 3, "page-based hardware attributes"),
	[IDR3_XNX] = FIELD("xnx", "XNX", 4, 4, "EL0/EL1 execute never (S2)"),
	[IDR3_PPS] = FIELD("pps", "PPS", 5, 5, "PRI responses use the PASID"),
	[IDR3_MPAM] = FIELD("mpam", "MPAM", 7, 7, "memory partitioning"),
	[IDR3_FWB] =
		FIELD("fwb", "FWB", 8, 8, "stage-2 forced write-back (S2FWB)"),
	[IDR3_STT] = FIELD("stt", "STT", 9, 9, "small translation tables"),
	[IDR3_RIL] = FIELD("ril", "RIL", 10, 10, "range invalidation"),
	[IDR3_BBML] = FIELD("bbml", "BBML", 11, 12, "break-before-make level"),
	[IDR5_OAS] = FIELD("oas", "OAS", 0, 2,
			   "output address size: 32 36 40 42 44 48 52 bits"),
	[IDR5_GRAN4K] = FIELD("gran4k", "GRAN4K", 4, 4, "4 KiB granule"),
	[IDR5_GRAN16K] = FIELD("gran16k", "GRAN16K", 5, 5, "16 KiB granule"),
	[IDR5_GRAN64K] = FIELD("gran64k", "GRAN64K", 6, 6, "64 KiB granule"),
	[IDR5_VAX] = FIELD("vax", "VAX", 10, 11,
			   "virtual address size: 0 48, 1 52 bits"),
	[IDR5_STALL_MAX] = FIELD("stall_max", "STALL_MAX", 16, 31,
				 "outstanding stalled transactions"),
	[IIDR_IMPLEMENTER] = FIELD("implementer", "Implementer", 0, 11,
				   "JEP106 implementer code"),
	[IIDR_REVISION] =
		FIELD("revision", "Revision", 12, 15, "minor revision"),
	[IIDR_VARIANT] = FIELD("variant", "Variant", 16, 19, "major revision"),
	[IIDR_PRODUCTID] = FIELD("productid", "ProductID", 20, 31, "product"),
	[AIDR_MINOR] =
		FIELD("archminorrev", "ArchMinorRev", 0, 3, "SMMUv3.N: N"),
	[AIDR_MAJOR] =
		FIELD("archmajorrev", "ArchMajorRev", 4, 7, "0 for SMMUv3"),
};

/* The registers, in the order of their fields above. */
static const struct {
	const char *name;
	unsigned int first;
} regs[] = {
	{ "CAP", CAP_ND },
	{ "ECAP", ECAP_C },
	{ "EFR", EFR_PREF },
	{ "EFR2", EFR2_SNP_AVIC },
	{ "GSTS", GSTS_CFIS },
	{ "FSTS", FSTS_PFO },
	{ "RTADDR", RTADDR_TTM },
	{ "IDR0", IDR0_S2P },
	{ "IDR1", IDR1_SIDSIZE },
	{ "IDR2", IDR2_BA_VATOS },
	{ "IDR3", IDR3_HAD },
	{ "IDR5", IDR5_OAS },
	{ "IIDR", IIDR_IMPLEMENTER },
	{ "AIDR", AIDR_MINOR },
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

/* IDR5.OAS: the output address size in bits; 0 for a reserved encoding */
static unsigned int smmuv3_oas_bits(unsigned int oas)
{
	static const unsigned int bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	return oas < ARRAY_SIZE(bits) ? bits[oas] : 0;
}

static void iommuctl_smmuv3_summarize_impl(const uint32_t idr[6], uint32_t aidr,
					   struct iommuctl_smmuv3_summary *s)
{
	unsigned int ttf, httu, stall, oas;

	memset(s, 0, sizeof(*s));
	s->arch_minor = getu(AIDR_MINOR, aidr);
	s->stage1 = get(IDR0_S1P, idr[0]);
	s->stage2 = get(IDR0_S2P, idr[0]);
	s->nesting = s->stage1 && s->stage2;
	ttf = getu(IDR0_TTF, idr[0]);
	s->aarch64_tables = ttf & 2;
	s->aarch32_tables = ttf & 1;
	s->coherent = get(IDR0_COHACC, idr[0]);
	s->btm = get(IDR0_BTM, idr[0]);
	httu = getu(IDR0_HTTU, idr[0]);
	s->hw_access_flag = httu >= 1;
	s->hw_dirty = httu >= 2;
	s->hyp = get(IDR0_HYP, idr[0]);
	s->ats = get(IDR0_ATS, idr[0]);
	s->msi = get(IDR0_MSI, idr[0]);
	s->sev = get(IDR0_SEV, idr[0]);
	s->pri = get(IDR0_PRI, idr[0]);
	stall = getu(IDR0_STALL_MODEL, idr[0]);
	s->stall = stall == 0 || stall == 2;
	s->stall_forced = stall == 2;
	s->asid_bits = get(IDR0_ASID16, idr[0]) ? 16 : 8;
	s->vmid_bits = get(IDR0_VMID16, idr[0]) ? 16 : 8;
	s->cd_2level = get(IDR0_CD2L, idr[0]);
	s->st_2level = getu(IDR0_ST_LEVEL, idr[0]) == 1;
	s->sid_bits = getu(IDR1_SIDSIZE, idr[1]);
	s->ssid_bits = getu(IDR1_SSIDSIZE, idr[1]);
	s->pasid = s->ssid_bits > 0;
	s->s2fwb = get(IDR3_FWB, idr[3]);
	s->range_invalidation = get(IDR3_RIL, idr[3]);
	s->bbml = getu(IDR3_BBML, idr[3]);
	oas = getu(IDR5_OAS, idr[5]);
	s->oas_bits = smmuv3_oas_bits(oas);
	/* Linux: "unknown output address size. Truncating to 48-bit" */
	s->linux_oas_bits = s->oas_bits && s->oas_bits <= 52 ? s->oas_bits : 48;
	/* Linux <= 6.x: ias is 40 with AArch32 tables, then max(ias, oas) */
	s->linux_ias_bits = s->aarch32_tables && s->linux_oas_bits < 40 ?
				    40 :
				    s->linux_oas_bits;
	s->va_bits = getu(IDR5_VAX, idr[5]) == 1 ? 52 : 48;
	s->gran_4k = get(IDR5_GRAN4K, idr[5]);
	s->gran_16k = get(IDR5_GRAN16K, idr[5]);
	s->gran_64k = get(IDR5_GRAN64K, idr[5]);
}

IOMMUCTL_EXPORT int
iommuctl_smmuv3_summarize_sz(const uint32_t idr[6], uint32_t iidr,
			     uint32_t aidr, struct iommuctl_smmuv3_summary *s,
			     size_t size)
{
	int rc = sz_out(s, size, sizeof(*s));

	(void)iidr;
	if (rc < 0)
		return rc;
	if (!idr)
		return -EINVAL;
	iommuctl_smmuv3_summarize_impl(idr, aidr, s);
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
	ITEM_AS(vtd_summary, BOOL, "pasid_capable", pasid),
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
	ITEM(smmuv3_summary, UINT, arch_minor),
	ITEM(smmuv3_summary, BOOL, stage1),
	ITEM(smmuv3_summary, BOOL, stage2),
	ITEM(smmuv3_summary, BOOL, nesting),
	ITEM(smmuv3_summary, BOOL, s2fwb),
	ITEM_AS(smmuv3_summary, BOOL, "pasid_capable", pasid),
	ITEM(smmuv3_summary, UINT, ssid_bits),
	ITEM(smmuv3_summary, UINT, sid_bits),
	ITEM(smmuv3_summary, BOOL, ats),
	ITEM(smmuv3_summary, BOOL, pri),
	ITEM(smmuv3_summary, BOOL, msi),
	ITEM(smmuv3_summary, BOOL, coherent),
	ITEM(smmuv3_summary, BOOL, stall),
	ITEM(smmuv3_summary, BOOL, stall_forced),
	ITEM(smmuv3_summary, BOOL, hw_access_flag),
	ITEM(smmuv3_summary, BOOL, hw_dirty),
	ITEM(smmuv3_summary, BOOL, btm),
	ITEM(smmuv3_summary, BOOL, sev),
	ITEM(smmuv3_summary, BOOL, hyp),
	ITEM(smmuv3_summary, BOOL, range_invalidation),
	ITEM(smmuv3_summary, UINT, bbml),
	ITEM(smmuv3_summary, BOOL, st_2level),
	ITEM(smmuv3_summary, BOOL, cd_2level),
	ITEM(smmuv3_summary, UINT, asid_bits),
	ITEM(smmuv3_summary, UINT, vmid_bits),
	ITEM(smmuv3_summary, BOOL, aarch64_tables),
	ITEM(smmuv3_summary, BOOL, aarch32_tables),
	ITEM(smmuv3_summary, UINT, oas_bits),
	ITEM(smmuv3_summary, UINT, linux_oas_bits),
	ITEM(smmuv3_summary, UINT, linux_ias_bits),
	ITEM(smmuv3_summary, UINT, va_bits),
	ITEM(smmuv3_summary, BOOL, gran_4k),
	ITEM(smmuv3_summary, BOOL, gran_16k),
	ITEM(smmuv3_summary, BOOL, gran_64k),
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

IOMMUCTL_EXPORT const struct iommuctl_item *
iommuctl_smmuv3_summary_items(unsigned int *n)
{
	unsigned int nvtd, namd;

	items(summary_items, &nvtd);
	items(&summary_items[nvtd + 1], &namd);
	return items(&summary_items[nvtd + namd + 2], n);
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

/* The fields of one register each, by name (iommuctl_regfields()). */
#define REG_FIELDS(fn, reg)                                                 \
	IOMMUCTL_EXPORT const struct iommuctl_regfield *fn(unsigned int *n) \
	{                                                                   \
		return iommuctl_regfields(reg, n);                          \
	}
REG_FIELDS(iommuctl_vtd_cap_fields, "CAP")
REG_FIELDS(iommuctl_vtd_ecap_fields, "ECAP")
REG_FIELDS(iommuctl_amd_efr_fields, "EFR")
REG_FIELDS(iommuctl_amd_efr2_fields, "EFR2")
REG_FIELDS(iommuctl_vtd_gsts_fields, "GSTS")
REG_FIELDS(iommuctl_vtd_fsts_fields, "FSTS")
REG_FIELDS(iommuctl_vtd_rtaddr_fields, "RTADDR")
