// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: capability-register decoding is pure arithmetic on
 * values the kernel prints in sysfs, so it is checked against register
 * values read from real test VMs (QEMU's emulated IOMMUs under the 6.12.117
 * test kernel, see tests/fixtures/{vtd,vtd-sm,amd}) and the QEMU 11 value in
 * the shared VM README. Each value is decoded by hand in the comments, nibble
 * by nibble, from the bit tables in kernel-interfaces.md 2.2-2.4, and the
 * library must agree field by field and in the summaries. Cross-checks with
 * other sysfs attributes (domains_supported = 65536) and with what QEMU is
 * known to emulate (FRO 0x220, IRO 0xf0, MAMV 18, pasid-bits=20) confirm the
 * hand decode itself. The field tables are checked for shape (unique keys,
 * ordered, non-overlapping) and against the reference rows transcribed here,
 * so a table typo shows up even where no real register has the bit set. The
 * Linux-rule derivations (dirty tracking, legacy second stage) are checked on
 * values built from single bits. The sysfs text parsers get good, malformed
 * and overflowing input, and the AMD "features" word order is checked for
 * each kernel range.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <iommuctl/libiommuctl.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (UINT64_C(1) << (n))

/*
 * Real values.
 *
 * QEMU 7.2 intel-iommu,intremap=on (fixture "vtd", kernel 6.12.117):
 * cap d2008c22260206, ecap f00f4a, version 1:0, domains_supported 65536.
 * Same machine booted with intel_iommu=on,sm_on and scalable-mode=on
 * (fixture "vtd-sm"): same cap, ecap 480080f00f4a.
 * QEMU 11.1 ...,scalable-mode=on,fsts=on,pasid-bits=20 (shared VM README):
 * ecap 0x899800f00f4a.
 * QEMU 7.2 amd-iommu (fixture "amd"): features "29d3:0", cap 1f03000f.
 */
#define VTD_CAP 0xd2008c22260206ULL
#define VTD_ECAP 0xf00f4aULL
#define VTD_SM72_ECAP 0x480080f00f4aULL
#define VTD_SM11_ECAP 0x899800f00f4aULL
#define AMD_EFR 0x29d3ULL
#define AMD_CAP 0x1f03000fULL

static const struct iommuctl_regfield *find(const struct iommuctl_regfield *t,
					    unsigned int n, const char *key)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].key, key) == 0)
			return &t[i];
	fail_msg("no field \"%s\"", key);
	return NULL;
}

static uint64_t cap_f(const char *key, uint64_t reg)
{
	unsigned int n;
	const struct iommuctl_regfield *t = iommuctl_vtd_cap_fields(&n);

	return iommuctl_regfield_value(find(t, n, key), reg);
}

static uint64_t ecap_f(const char *key, uint64_t reg)
{
	unsigned int n;
	const struct iommuctl_regfield *t = iommuctl_vtd_ecap_fields(&n);

	return iommuctl_regfield_value(find(t, n, key), reg);
}

static uint64_t efr_f(const char *key, uint64_t reg)
{
	unsigned int n;
	const struct iommuctl_regfield *t = iommuctl_amd_efr_fields(&n);

	return iommuctl_regfield_value(find(t, n, key), reg);
}

/* ---- tables ---- */

struct expect {
	const char *key;
	unsigned int lo, hi;
};

/* The rows of kernel-interfaces.md 2.2, 2.3, 2.4, in bit order. */
static const struct expect cap_rows[] = {
	{ "nd", 0, 2 },	       { "afl", 3, 3 },	     { "rwbf", 4, 4 },
	{ "plmr", 5, 5 },      { "phmr", 6, 6 },     { "cm", 7, 7 },
	{ "sagaw", 8, 12 },    { "mgaw", 16, 21 },   { "zlr", 22, 22 },
	{ "isoch", 23, 23 },   { "fro", 24, 33 },    { "sslps", 34, 37 },
	{ "psi", 39, 39 },     { "nfr", 40, 47 },    { "mamv", 48, 53 },
	{ "dwd", 54, 54 },     { "drd", 55, 55 },    { "fs1gp", 56, 56 },
	{ "pi", 59, 59 },      { "fs5lp", 60, 60 },  { "ecmds", 61, 61 },
	{ "esirtps", 62, 62 }, { "esrtps", 63, 63 },
};

static const struct expect ecap_rows[] = {
	{ "c", 0, 0 },
	{ "qi", 1, 1 },
	{ "dt", 2, 2 },
	{ "ir", 3, 3 },
	{ "eim", 4, 4 },
	{ "pt", 6, 6 },
	{ "sc", 7, 7 },
	{ "iro", 8, 17 },
	{ "mhmv", 20, 23 },
	{ "mts", 25, 25 },
	{ "nest", 26, 26 },
	{ "dis", 27, 27 },
	{ "broken_pasid", 28, 28 },
	{ "prs", 29, 29 },
	{ "ers", 30, 30 },
	{ "srs", 31, 31 },
	{ "nwfs", 33, 33 },
	{ "eafs", 34, 34 },
	{ "pss", 35, 39 },
	{ "pasid", 40, 40 },
	{ "dit", 41, 41 },
	{ "pds", 42, 42 },
	{ "smts", 43, 43 },
	{ "vcs", 44, 44 },
	{ "ssads", 45, 45 },
	{ "ssts", 46, 46 },
	{ "fsts", 47, 47 },
	{ "smpwcs", 48, 48 },
	{ "rps", 49, 49 },
	{ "pms", 51, 51 },
	{ "adms", 52, 52 },
	{ "rprivs", 53, 53 },
};

static const struct expect efr_rows[] = {
	{ "pref", 0, 0 },   { "ppr", 1, 1 },	  { "xt", 2, 2 },
	{ "nx", 3, 3 },	    { "gt", 4, 4 },	  { "ia", 6, 6 },
	{ "ga", 7, 7 },	    { "he", 8, 8 },	  { "pc", 9, 9 },
	{ "hats", 10, 11 }, { "gats", 12, 13 },	  { "glx", 14, 15 },
	{ "gam", 21, 21 },  { "pasmax", 32, 36 }, { "gio", 48, 48 },
	{ "ha", 49, 49 },   { "eph", 50, 50 },	  { "hd", 52, 52 },
	{ "snp", 63, 63 },
};

static const struct expect efr2_rows[] = {
	{ "snp_avic", 5, 7 },
};

static void check_table(const struct iommuctl_regfield *t, unsigned int n,
			const struct expect *rows, unsigned int nrows)
{
	unsigned int i, j;
	const char *c;

	assert_non_null(t);
	assert_int_equal(n, nrows);
	for (i = 0; i < n; i++) {
		assert_non_null(t[i].key);
		assert_non_null(t[i].name);
		assert_non_null(t[i].desc);
		assert_true(t[i].name[0] != '\0');
		assert_true(t[i].desc[0] != '\0');
		/* JSON key: [a-z][a-z0-9_]* */
		assert_true(t[i].key[0] >= 'a' && t[i].key[0] <= 'z');
		for (c = t[i].key; *c; c++)
			assert_true((*c >= 'a' && *c <= 'z') ||
				    (*c >= '0' && *c <= '9') || *c == '_');
		assert_true(t[i].lo <= t[i].hi);
		assert_true(t[i].hi <= 63);
		/* ordered by bit, no overlap */
		if (i > 0)
			assert_true(t[i - 1].hi < t[i].lo);
		for (j = 0; j < i; j++)
			assert_string_not_equal(t[i].key, t[j].key);
		/* matches the reference row */
		assert_string_equal(t[i].key, rows[i].key);
		assert_int_equal(t[i].lo, rows[i].lo);
		assert_int_equal(t[i].hi, rows[i].hi);
	}
}

static void test_tables(void **state)
{
	const struct iommuctl_regfield *t;
	unsigned int n = 0;

	(void)state;
	t = iommuctl_vtd_cap_fields(&n);
	check_table(t, n, cap_rows, ARRAY_SIZE(cap_rows));
	t = iommuctl_vtd_ecap_fields(&n);
	check_table(t, n, ecap_rows, ARRAY_SIZE(ecap_rows));
	t = iommuctl_amd_efr_fields(&n);
	check_table(t, n, efr_rows, ARRAY_SIZE(efr_rows));
	t = iommuctl_amd_efr2_fields(&n);
	check_table(t, n, efr2_rows, ARRAY_SIZE(efr2_rows));

	/* n is optional */
	assert_ptr_equal(iommuctl_vtd_cap_fields(NULL),
			 iommuctl_vtd_cap_fields(&n));
	t = iommuctl_vtd_ecap_fields(&n);
	assert_string_equal(find(t, n, "ssads")->name, "SSADS");
}

static void test_field_value(void **state)
{
	const struct iommuctl_regfield all = { "all", "ALL", "bits 63:0", 0,
					       63 };
	const struct iommuctl_regfield top = { "top", "TOP", "bit 63", 63, 63 };
	const struct iommuctl_regfield nib = { "nib", "NIB", "bits 63:60", 60,
					       63 };
	const struct iommuctl_regfield backwards = { "b", "B", "lo > hi", 5,
						     4 };
	const struct iommuctl_regfield wide = { "w", "W", "hi > 63", 0, 64 };

	(void)state;
	assert_true(iommuctl_regfield_value(&all, VTD_CAP) == VTD_CAP);
	assert_true(iommuctl_regfield_value(&all, UINT64_MAX) == UINT64_MAX);
	assert_true(iommuctl_regfield_value(&top, BIT(63)) == 1);
	assert_true(iommuctl_regfield_value(&top, UINT64_MAX) == 1);
	assert_true(iommuctl_regfield_value(&top, ~BIT(63)) == 0);
	assert_true(iommuctl_regfield_value(&nib, 0xa000000000000000ULL) ==
		    0xa);
	assert_true(iommuctl_regfield_value(&backwards, UINT64_MAX) == 0);
	assert_true(iommuctl_regfield_value(&wide, UINT64_MAX) == 0);
	assert_true(iommuctl_regfield_value(NULL, UINT64_MAX) == 0);
	/* table entries at the top bit */
	assert_true(cap_f("esrtps", BIT(63)) == 1);
	assert_true(efr_f("snp", BIT(63)) == 1);
	assert_true(efr_f("snp", BIT(63) - 1) == 0);
}

/* ---- VT-d ---- */

/*
 * cap 0x00d2008c22260206, nibbles from bit 0 up:
 *   3:0 = 6 (0110)  ND = bits 2:0 = 6 -> 2^(4+12) = 65536 domain IDs, as
 *                   sysfs domains_supported says; AFL (bit 3) = 0
 *   7:4 = 0         RWBF, PLMR, PHMR = 0; CM (bit 7) = 0: QEMU's
 *                   caching-mode is off by default (on only when asked,
 *                   e.g. for VFIO in the guest)
 *  11:8 = 2, 15:12 = 0   SAGAW = bits 12:8 = 00010b: bit 1 only -> 39-bit
 *                   (3-level) second stage, QEMU 7.2's default aw-bits=39
 * 19:16 = 6, 23:20 = 2 (0010)  MGAW = bits 21:16 = 10 0110b = 38 -> 39 bits;
 *                   ZLR (22) = 0, isoch (23) = 0
 * 27:24 = 2, 31:28 = 2, 35:32 = c (1100)  FRO = bits 33:24 = 00 0010 0010b
 *                   = 0x22 -> fault registers at 0x220 (QEMU's offset);
 *                   bits 35:34 = 11b -> SSLPS bits 0, 1: 2 MiB and 1 GiB
 * 39:36 = 8 (1000)  SSLPS bits 2, 3 = 0; PSI (39) = 1
 * 47:40 = 00        NFR = 0 -> one fault-recording register
 * 51:48 = 2, 55:52 = d (1101)  MAMV = bits 53:48 = 01 0010b = 18;
 *                   DWD (54) = 1, DRD (55) = 1
 * 63:56 = 00        FS1GP, PI, FS5LP, ECMDS, ESIRTPS, ESRTPS = 0
 *
 * ecap 0xf00f4a:
 *   3:0 = a (1010)  C = 0, QI = 1, DT = 0 (no ATS), IR = 1
 *   7:4 = 4 (0100)  EIM = 0 (QEMU: eim defaults off without a split
 *                   irqchip), PT = 1, SC = 0
 *  17:8 = 00 0000 1111b = 0xf  IRO -> IOTLB registers at 0xf0 (QEMU's)
 * 23:20 = f         MHMV = 15
 * 63:24 = 0         no NEST, PRS, PASID, SMTS, FSTS, SSTS, SSADS ...:
 *                   a legacy-mode unit, which translates second stage only
 */
static void test_vtd_legacy(void **state)
{
	struct iommuctl_vtd_summary s;
	uint64_t cap = 0, ecap = 0;
	unsigned int major = 9, minor = 9;

	(void)state;
	/* the sysfs text as read */
	assert_int_equal(iommuctl_parse_hex_u64("d2008c22260206\n", &cap), 0);
	assert_int_equal(iommuctl_parse_hex_u64("f00f4a\n", &ecap), 0);
	assert_int_equal(iommuctl_vtd_parse_version("1:0\n", &major, &minor),
			 0);
	assert_true(cap == VTD_CAP);
	assert_true(ecap == VTD_ECAP);
	assert_int_equal(major, 1);
	assert_int_equal(minor, 0);

	/* raw fields */
	assert_true(cap_f("nd", cap) == 6);
	assert_true(cap_f("afl", cap) == 0);
	assert_true(cap_f("rwbf", cap) == 0);
	assert_true(cap_f("cm", cap) == 0);
	assert_true(cap_f("sagaw", cap) == 0x2);
	assert_true(cap_f("mgaw", cap) == 38);
	assert_true(cap_f("zlr", cap) == 0);
	assert_true(cap_f("isoch", cap) == 0);
	assert_true(cap_f("fro", cap) == 0x22);
	assert_true(cap_f("fro", cap) * 16 == 0x220);
	assert_true(cap_f("sslps", cap) == 0x3);
	assert_true(cap_f("psi", cap) == 1);
	assert_true(cap_f("nfr", cap) == 0);
	assert_true(cap_f("mamv", cap) == 18);
	assert_true(cap_f("dwd", cap) == 1);
	assert_true(cap_f("drd", cap) == 1);
	assert_true(cap_f("fs1gp", cap) == 0);
	assert_true(cap_f("pi", cap) == 0);
	assert_true(cap_f("fs5lp", cap) == 0);
	assert_true(cap_f("esrtps", cap) == 0);

	assert_true(ecap_f("c", ecap) == 0);
	assert_true(ecap_f("qi", ecap) == 1);
	assert_true(ecap_f("dt", ecap) == 0);
	assert_true(ecap_f("ir", ecap) == 1);
	assert_true(ecap_f("eim", ecap) == 0);
	assert_true(ecap_f("pt", ecap) == 1);
	assert_true(ecap_f("sc", ecap) == 0);
	assert_true(ecap_f("iro", ecap) == 0xf);
	assert_true(ecap_f("iro", ecap) * 16 == 0xf0);
	assert_true(ecap_f("mhmv", ecap) == 15);
	assert_true(ecap_f("pss", ecap) == 0);
	assert_true(ecap_f("smts", ecap) == 0);

	/* summary */
	memset(&s, 0xff, sizeof(s));
	iommuctl_vtd_summarize(cap, ecap, &s);
	assert_int_equal(s.version_major, 0);
	assert_int_equal(s.version_minor, 0);
	assert_int_equal(s.mgaw, 39);
	assert_int_equal(s.num_agaw_widths, 1);
	assert_int_equal(s.agaw_widths[0], 39);
	assert_int_equal(s.agaw_widths[1], 0);
	assert_true(s.domains == 65536);
	assert_false(s.caching_mode);
	assert_true(s.sl_2m);
	assert_true(s.sl_1g);
	assert_false(s.fl_1g);
	assert_false(s.fl_5level);
	assert_false(s.posted_interrupts);
	assert_false(s.page_walk_coherency);
	assert_true(s.queued_invalidation);
	assert_false(s.ats);
	assert_true(s.interrupt_remapping);
	assert_false(s.x2apic);
	assert_true(s.pass_through);
	assert_false(s.snoop_control);
	assert_false(s.nesting);
	assert_false(s.prs);
	assert_false(s.pasid);
	assert_int_equal(s.pasid_bits, 0);
	assert_false(s.scalable_mode);
	assert_false(s.first_stage);
	assert_true(s.second_stage); /* legacy: second stage only */
	assert_false(s.dirty_tracking);
	assert_false(s.ssads);
}

/*
 * ecap 0x480080f00f4a (QEMU 7.2 scalable-mode=on): bits 23:0 as the legacy
 * f00f4a (QI, IR, PT, IRO 0xf, MHMV 15), and above:
 * 31:28 = 8 (1000)  SRS (31) = 1; PRS, ERS = 0
 * 39:32 = 00        PSS = 0
 * 43:40 = 8 (1000)  SMTS (43) = 1; PASID (40) = 0
 * 47:44 = 4 (0100)  SSTS (46) = 1; VCS, SSADS, FSTS = 0
 * So: scalable mode, second stage only, no PASID.
 */
static void test_vtd_sm_qemu72(void **state)
{
	struct iommuctl_vtd_summary s;
	uint64_t ecap = 0;

	(void)state;
	assert_int_equal(iommuctl_parse_hex_u64("480080f00f4a\n", &ecap), 0);
	assert_true(ecap == VTD_SM72_ECAP);
	assert_true(ecap_f("srs", ecap) == 1);
	assert_true(ecap_f("smts", ecap) == 1);
	assert_true(ecap_f("ssts", ecap) == 1);
	assert_true(ecap_f("fsts", ecap) == 0);
	assert_true(ecap_f("pasid", ecap) == 0);
	assert_true(ecap_f("iro", ecap) == 0xf);

	iommuctl_vtd_summarize(VTD_CAP, ecap, &s);
	assert_true(s.queued_invalidation);
	assert_true(s.interrupt_remapping);
	assert_true(s.pass_through);
	assert_true(s.scalable_mode);
	assert_true(s.second_stage);
	assert_false(s.first_stage);
	assert_false(s.pasid);
	assert_int_equal(s.pasid_bits, 0);
	assert_false(s.nesting);
	assert_false(s.prs);
	assert_false(s.dirty_tracking);
	assert_true(s.domains == 65536);
}

/*
 * ecap 0x899800f00f4a (QEMU 11.1 scalable-mode=on,fsts=on,pasid-bits=20):
 * bits 23:0 = f00f4a again (QI, IR, PT), and above:
 * 31:24 = 00        NEST, PRS, ERS, SRS = 0
 * 35:32 = 8 (1000)  bit 35 = 1 (PSS bit 0); NWFS (33), EAFS (34) = 0
 * 39:36 = 9 (1001)  bits 36 and 39 = 1 -> PSS = bits 39:35 = 10011b = 19
 *                   -> 20 PASID bits, as pasid-bits=20 asked
 * 43:40 = 9 (1001)  PASID (40) = 1, SMTS (43) = 1; DIT, PDS = 0
 * 47:44 = 8 (1000)  FSTS (47) = 1; VCS, SSADS, SSTS = 0
 * 63:48 = 0         SMPWCS = 0
 * So: scalable mode, first stage only (QEMU offers one stage at a time),
 * 20-bit PASIDs, no nesting, no dirty tracking. The README writes the value
 * with 0x, which sysfs never does.
 */
static void test_vtd_sm_qemu11(void **state)
{
	struct iommuctl_vtd_summary s;
	uint64_t ecap = 0;

	(void)state;
	assert_int_equal(iommuctl_parse_hex_u64("0x899800f00f4a", &ecap),
			 -EINVAL);
	assert_int_equal(iommuctl_parse_hex_u64("899800f00f4a", &ecap), 0);
	assert_true(ecap == VTD_SM11_ECAP);
	assert_true(ecap_f("pss", ecap) == 19);
	assert_true(ecap_f("pasid", ecap) == 1);
	assert_true(ecap_f("smts", ecap) == 1);
	assert_true(ecap_f("fsts", ecap) == 1);
	assert_true(ecap_f("ssts", ecap) == 0);
	assert_true(ecap_f("ssads", ecap) == 0);
	assert_true(ecap_f("nwfs", ecap) == 0);
	assert_true(ecap_f("eafs", ecap) == 0);
	assert_true(ecap_f("srs", ecap) == 0);

	/* cap of that machine is not recorded: only ecap is asserted */
	iommuctl_vtd_summarize(0, ecap, &s);
	assert_true(s.queued_invalidation);
	assert_true(s.interrupt_remapping);
	assert_true(s.pass_through);
	assert_false(s.x2apic);
	assert_false(s.snoop_control);
	assert_false(s.ats);
	assert_true(s.scalable_mode);
	assert_true(s.pasid);
	assert_int_equal(s.pasid_bits, 20);
	assert_true(s.first_stage);
	assert_false(s.second_stage);
	assert_false(s.nesting);
	assert_false(s.prs);
	assert_false(s.ssads);
	assert_false(s.dirty_tracking);
}

/* Linux-rule derivations, on values built from single bits. */
static void test_vtd_rules(void **state)
{
	struct iommuctl_vtd_summary s;
	uint64_t sm = BIT(43) | BIT(46) | BIT(47);

	(void)state;
	/* dirty tracking needs SSADS and SMPWCS */
	iommuctl_vtd_summarize(0, sm | BIT(45), &s);
	assert_true(s.ssads);
	assert_false(s.dirty_tracking);
	iommuctl_vtd_summarize(0, sm | BIT(45) | BIT(48), &s);
	assert_true(s.ssads);
	assert_true(s.dirty_tracking);
	iommuctl_vtd_summarize(0, sm | BIT(48), &s);
	assert_false(s.dirty_tracking);

	/* both stages; nesting is the raw bit */
	iommuctl_vtd_summarize(0, sm | BIT(26), &s);
	assert_true(s.first_stage);
	assert_true(s.second_stage);
	assert_true(s.nesting);

	/* PSS without the PASID bit means nothing */
	iommuctl_vtd_summarize(0, BIT(43) | (UINT64_C(19) << 35), &s);
	assert_false(s.pasid);
	assert_int_equal(s.pasid_bits, 0);

	/* SAGAW 01110b -> 39, 48, 57 ascending; bits 0 and 4 ignored */
	iommuctl_vtd_summarize(UINT64_C(0x1f) << 8, 0, &s);
	assert_int_equal(s.num_agaw_widths, 3);
	assert_int_equal(s.agaw_widths[0], 39);
	assert_int_equal(s.agaw_widths[1], 48);
	assert_int_equal(s.agaw_widths[2], 57);
	iommuctl_vtd_summarize(UINT64_C(0x4) << 8, 0, &s);
	assert_int_equal(s.num_agaw_widths, 1);
	assert_int_equal(s.agaw_widths[0], 48);

	/* ND 0 -> 16, MGAW 47 -> 48 bits, CM, PI, FS1GP, FS5LP */
	iommuctl_vtd_summarize((UINT64_C(47) << 16) | BIT(7) | BIT(56) |
				       BIT(59) | BIT(60),
			       0, &s);
	assert_true(s.domains == 16);
	assert_int_equal(s.mgaw, 48);
	assert_true(s.caching_mode);
	assert_true(s.fl_1g);
	assert_true(s.posted_interrupts);
	assert_true(s.fl_5level);
	assert_false(s.sl_2m);

	iommuctl_vtd_summarize(0, 0, NULL); /* must not crash */
}

/* ---- AMD ---- */

/*
 * EFR 0x29d3 = 0010 1001 1101 0011b:
 *   3:0 = 3 (0011)  PreFSup = 1, PPRSup = 1, XTSup = 0, NXSup = 0
 *   7:4 = d (1101)  GTSup (4) = 1, bit 5 reserved 0, IASup (6) = 1,
 *                   GASup (7) = 1
 *  11:8 = 9 (1001)  HESup (8) = 1, PCSup (9) = 0, HATS = bits 11:10 = 10b
 *                   = 2 -> 6-level host tables
 * 15:12 = 2 (0010)  GATS = bits 13:12 = 10b = 2 (4 + 2 = 6 by the API rule;
 *                   the spec only defines 0 and 1), GLXSup = 0
 * 63:16 = 0         GAMSup, PASmax = 0 (GTSup set -> 1 PASID bit), GIOSup,
 *                   HASup, EPHSup, HDSup (no dirty tracking), SNPSup = 0
 * This is QEMU's AMDVI_DEFAULT_EXT_FEATURES: PREFETCH|PPR|GT|IA|GA|HE plus
 * HATS and GATS mode 2. EFR2 = 0 -> SNPAVICSup = 0.
 *
 * cap 0x1f03000f, the PCI capability header (2.4):
 *   7:0 = 0x0f      CapID 0x0F (secure device)
 *  15:8 = 0x00      CapPtr 0 (last capability)
 * 23:16 = 0x03      CapType = bits 18:16 = 3 (IOMMU), CapRev = bits 23:19 = 0
 * 31:24 = 0x1f      IotlbSup, HtTunnel, NpCache, EFRSup, CapExt all 1
 */
static void test_amd_qemu(void **state)
{
	static const struct iommuctl_regfield capid = { "cap_id", "CapID", "",
							0, 7 };
	static const struct iommuctl_regfield capptr = { "cap_ptr", "CapPtr",
							 "", 8, 15 };
	static const struct iommuctl_regfield captype = { "cap_type", "CapType",
							  "", 16, 18 };
	static const struct iommuctl_regfield caprev = { "cap_rev", "CapRev",
							 "", 19, 23 };
	static const struct iommuctl_regfield capflags = { "flags",
							   "IotlbSup..CapExt",
							   "", 24, 28 };
	struct iommuctl_amd_summary s;
	uint64_t efr = 1, efr2 = 1, cap = 0;
	const char *order = NULL;

	(void)state;
	assert_int_equal(iommuctl_amd_parse_features("29d3:0\n", "6.12.117",
						     &efr, &efr2, &order),
			 0);
	assert_true(efr == AMD_EFR);
	assert_true(efr2 == 0);
	assert_string_equal(order, "efr:efr2");

	assert_true(efr_f("pref", efr) == 1);
	assert_true(efr_f("ppr", efr) == 1);
	assert_true(efr_f("xt", efr) == 0);
	assert_true(efr_f("nx", efr) == 0);
	assert_true(efr_f("gt", efr) == 1);
	assert_true(efr_f("ia", efr) == 1);
	assert_true(efr_f("ga", efr) == 1);
	assert_true(efr_f("he", efr) == 1);
	assert_true(efr_f("pc", efr) == 0);
	assert_true(efr_f("hats", efr) == 2);
	assert_true(efr_f("gats", efr) == 2);
	assert_true(efr_f("glx", efr) == 0);
	assert_true(efr_f("gam", efr) == 0);
	assert_true(efr_f("pasmax", efr) == 0);
	assert_true(efr_f("hd", efr) == 0);

	memset(&s, 0xff, sizeof(s));
	iommuctl_amd_summarize(efr, efr2, &s);
	assert_true(s.prefetch);
	assert_true(s.ppr);
	assert_false(s.x2apic);
	assert_false(s.nx);
	assert_true(s.guest_translation);
	assert_true(s.invalidate_all);
	assert_true(s.guest_vapic);
	assert_true(s.hw_error);
	assert_false(s.perf_counters);
	assert_false(s.guest_io_protection);
	assert_false(s.host_access);
	assert_false(s.enhanced_ppr);
	assert_false(s.host_dirty);
	assert_false(s.snp);
	assert_int_equal(s.hats_levels, 6);
	assert_int_equal(s.gats_levels, 6);
	assert_int_equal(s.pasid_bits, 1);
	assert_int_equal(s.snp_avic, 0);

	assert_int_equal(iommuctl_parse_hex_u64("1f03000f\n", &cap), 0);
	assert_true(cap == AMD_CAP);
	assert_true(iommuctl_regfield_value(&capid, cap) == 0x0f);
	assert_true(iommuctl_regfield_value(&capptr, cap) == 0);
	assert_true(iommuctl_regfield_value(&captype, cap) == 3);
	assert_true(iommuctl_regfield_value(&caprev, cap) == 0);
	assert_true(iommuctl_regfield_value(&capflags, cap) == 0x1f);
}

static void test_amd_rules(void **state)
{
	struct iommuctl_amd_summary s;

	(void)state;
	/* PASmax counts only with GTSup */
	iommuctl_amd_summarize(UINT64_C(15) << 32, 0, &s);
	assert_int_equal(s.pasid_bits, 0);
	iommuctl_amd_summarize((UINT64_C(15) << 32) | BIT(4), 0, &s);
	assert_int_equal(s.pasid_bits, 16);
	/* HATS 0 -> 4 levels, HDSup, SNPSup, EFR2 SNPAVICSup */
	iommuctl_amd_summarize(BIT(52) | BIT(63), UINT64_C(0x7) << 5, &s);
	assert_int_equal(s.hats_levels, 4);
	assert_int_equal(s.gats_levels, 4);
	assert_true(s.host_dirty);
	assert_true(s.snp);
	assert_int_equal(s.snp_avic, 7);
	iommuctl_amd_summarize(0, 0, NULL); /* must not crash */
}

static void expect_order(const char *text, const char *rel, uint64_t want_efr,
			 uint64_t want_efr2, const char *want_order)
{
	uint64_t efr = 0xdead, efr2 = 0xbeef;
	const char *order = NULL;

	assert_int_equal(
		iommuctl_amd_parse_features(text, rel, &efr, &efr2, &order), 0);
	assert_true(efr == want_efr);
	assert_true(efr2 == want_efr2);
	assert_non_null(order);
	assert_string_equal(order, want_order);
}

static void test_amd_features_order(void **state)
{
	(void)state;
	/* <= 5.19: one word, EFR */
	expect_order("29d3\n", "5.15.0", AMD_EFR, 0, "efr");
	expect_order("29d3", "5.15.0-91-generic", AMD_EFR, 0, "efr");
	/* one word is EFR whatever the release */
	expect_order("29d3\n", "6.12.117", AMD_EFR, 0, "efr");
	expect_order("29d3\n", NULL, AMD_EFR, 0, "efr");
	/* 6.0 - 6.6: EFR2 first */
	expect_order("0:29d3\n", "6.1.0", AMD_EFR, 0, "efr2:efr");
	expect_order("0:29d3\n", "6.0.0", AMD_EFR, 0, "efr2:efr");
	expect_order("0:29d3\n", "6.6.0", AMD_EFR, 0, "efr2:efr");
	expect_order("0:29d3\n", "6.6.58-rt45", AMD_EFR, 0, "efr2:efr");
	expect_order("e0:29d3\n", "6.1.0-27-amd64", AMD_EFR, 0xe0, "efr2:efr");
	/* 6.7 and later: EFR first */
	expect_order("29d3:0\n", "6.12.117", AMD_EFR, 0, "efr:efr2");
	expect_order("29d3:0\n", "6.7.0", AMD_EFR, 0, "efr:efr2");
	expect_order("29d3:0\n", "6.7-rc1", AMD_EFR, 0, "efr:efr2");
	expect_order("29d3:e0", "7.0.0", AMD_EFR, 0xe0, "efr:efr2");
	/* unknown release: newest layout */
	expect_order("29d3:0\n", NULL, AMD_EFR, 0, "efr:efr2");
	expect_order("29d3:0\n", "", AMD_EFR, 0, "efr:efr2");
	expect_order("29d3:0\n", "linux", AMD_EFR, 0, "efr:efr2");
	expect_order("29d3:0\n", "6", AMD_EFR, 0, "efr:efr2");
	/* two words on a pre-6.0 release: a backport, newest layout */
	expect_order("29d3:0\n", "5.14.0-427.el9.x86_64", AMD_EFR, 0,
		     "efr:efr2");
	/* widest words, upper case */
	expect_order("ffffffffffffffff:8000000000000000", "6.12.0", UINT64_MAX,
		     BIT(63), "efr:efr2");
	expect_order("29D3:0", "6.12.0", AMD_EFR, 0, "efr:efr2");
}

static void expect_bad_features(const char *text)
{
	uint64_t efr = 0x1111, efr2 = 0x2222;
	const char *order = "untouched";

	assert_int_equal(iommuctl_amd_parse_features(text, "6.12.117", &efr,
						     &efr2, &order),
			 -EINVAL);
	/* nothing written on error */
	assert_true(efr == 0x1111);
	assert_true(efr2 == 0x2222);
	assert_string_equal(order, "untouched");
}

static void test_amd_features_malformed(void **state)
{
	uint64_t efr, efr2;
	const char *order;

	(void)state;
	expect_bad_features("");
	expect_bad_features("\n");
	expect_bad_features("xyz");
	expect_bad_features("xyz\n");
	expect_bad_features("1:2:3");
	expect_bad_features("1:2:3\n");
	expect_bad_features("00000000000000001"); /* 17 digits, fits */
	expect_bad_features("10000000000000000"); /* 17 digits, 2^64 */
	expect_bad_features("29d3:00000000000000000"); /* second word 17 */
	expect_bad_features("12 34");
	expect_bad_features("12 34\n");
	expect_bad_features("29d3:");
	expect_bad_features(":0");
	expect_bad_features(":");
	expect_bad_features("29d3::0");
	expect_bad_features("29d3:0\n\n");
	expect_bad_features("29d3 \n");
	expect_bad_features(" 29d3");
	expect_bad_features("0x29d3");
	expect_bad_features("29d3:0 junk");
	expect_bad_features("-1");
	expect_bad_features(NULL);

	assert_int_equal(iommuctl_amd_parse_features("29d3", NULL, NULL, &efr2,
						     &order),
			 -EINVAL);
	assert_int_equal(iommuctl_amd_parse_features("29d3", NULL, &efr, NULL,
						     &order),
			 -EINVAL);
	assert_int_equal(iommuctl_amd_parse_features("29d3", NULL, &efr, &efr2,
						     NULL),
			 -EINVAL);
}

/* ---- small parsers ---- */

static void test_version_parse(void **state)
{
	static const char *const bad[] = {
		"",
		"\n",
		"1",
		"1\n",
		"1:",
		":0",
		"1.0",
		"1:0x",
		" 1:0",
		"1 :0",
		"1: 0",
		"-1:0",
		"+1:0",
		"1:-0",
		"1:0\n\n",
		"1:0 ",
		"1:0:0",
		"a:b",
		"4294967296:0",
		"0:99999999999999999999",
	};
	unsigned int major, minor, i;

	(void)state;
	assert_int_equal(iommuctl_vtd_parse_version("1:0\n", &major, &minor),
			 0);
	assert_int_equal(major, 1);
	assert_int_equal(minor, 0);
	assert_int_equal(iommuctl_vtd_parse_version("6:3", &major, &minor), 0);
	assert_int_equal(major, 6);
	assert_int_equal(minor, 3);
	assert_int_equal(iommuctl_vtd_parse_version("10:15\n", &major, &minor),
			 0);
	assert_int_equal(major, 10);
	assert_int_equal(minor, 15);
	assert_int_equal(
		iommuctl_vtd_parse_version("4294967295:0", &major, &minor), 0);
	assert_int_equal(major, 4294967295U);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		major = minor = 77;
		if (iommuctl_vtd_parse_version(bad[i], &major, &minor) !=
		    -EINVAL)
			fail_msg("version \"%s\" accepted", bad[i]);
		assert_int_equal(major, 77);
		assert_int_equal(minor, 77);
	}
	assert_int_equal(iommuctl_vtd_parse_version(NULL, &major, &minor),
			 -EINVAL);
	assert_int_equal(iommuctl_vtd_parse_version("1:0", NULL, &minor),
			 -EINVAL);
	assert_int_equal(iommuctl_vtd_parse_version("1:0", &major, NULL),
			 -EINVAL);
}

static void test_hex_parse(void **state)
{
	static const char *const bad[] = {
		"",
		"\n",
		"0x10",
		"0X10",
		"xyz",
		"12 34",
		" 12",
		"12 ",
		"12\n\n",
		"-1",
		"+1",
		"1:0",
		"12g",
		"\n12",
		/* malformed beats overflow */
		"10000000000000000z",
	};
	uint64_t v;
	unsigned int i;

	(void)state;
	assert_int_equal(iommuctl_parse_hex_u64("d2008c22260206\n", &v), 0);
	assert_true(v == VTD_CAP);
	assert_int_equal(iommuctl_parse_hex_u64("0", &v), 0);
	assert_true(v == 0);
	assert_int_equal(iommuctl_parse_hex_u64("F00F4A", &v), 0);
	assert_true(v == VTD_ECAP);
	assert_int_equal(iommuctl_parse_hex_u64("ffffffffffffffff\n", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(iommuctl_parse_hex_u64("8000000000000000", &v), 0);
	assert_true(v == BIT(63));
	assert_int_equal(iommuctl_parse_hex_u64("000000000000000000001", &v),
			 0);
	assert_true(v == 1);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		v = 42;
		if (iommuctl_parse_hex_u64(bad[i], &v) != -EINVAL)
			fail_msg("hex \"%s\" accepted", bad[i]);
		assert_true(v == 42);
	}
	v = 42;
	assert_int_equal(iommuctl_parse_hex_u64("10000000000000000", &v),
			 -ERANGE);
	assert_int_equal(iommuctl_parse_hex_u64("fffffffffffffffff\n", &v),
			 -ERANGE);
	assert_int_equal(iommuctl_parse_hex_u64("123456789abcdef0123", &v),
			 -ERANGE);
	assert_true(v == 42);
	assert_int_equal(iommuctl_parse_hex_u64(NULL, &v), -EINVAL);
	assert_int_equal(iommuctl_parse_hex_u64("1", NULL), -EINVAL);
}

/* The tables by register name are the tables by function. */
/*
 * Arm SMMUv3, captured from the arm64 test VMs (the guest read them with
 * IOMMU_GET_HW_INFO for edu bound to vfio-pci, and its own dmesg):
 *
 * Linux 7.3 under QEMU 11.1, -device arm-smmuv3,stage=nested:
 *   idr 0d44101b 02730010 0 00001414 0 00000074, iidr 0, aidr 1;
 *   "arm-smmu-v3 c000000.smmuv3: oas 44-bit (features 0x01088705)"
 * Linux 7.3 under QEMU 7.2, -M virt,iommu=smmuv3:
 *   idr 0d40101a 02730010 0 00001404 0 00000074, iidr 0, aidr 1;
 *   "arm-smmu-v3 9050000.smmuv3: oas 44-bit (features 0x01008305)"
 * Linux 6.12 under QEMU 7.2: IOMMU_GET_HW_INFO answers type 0 (no
 *   registers); "arm-smmu-v3 9050000.smmuv3: ias 44-bit, oas 44-bit
 *   (features 0x00008305)"
 *
 * Hand decode of IDR0 0x0d44101b: nibbles (low first) b=1011: S2P 1, S1P 1,
 * TTF bit 3 (=2, AArch64); 1: COHACC; 0; 1 (bit 12): ASID16; 4 (bit 18):
 * VMID16; 4 (bit 22): TTENDIAN 2 (little endian); d=1101 (bits 24, 26, 27):
 * STALL_MODEL 1 (no stall), TERM_MODEL 1, ST_LEVEL 1 (2-level). ATS (10),
 * PRI (16), MSI (13) are 0. IDR1 0x02730010: SIDSIZE 0x10 = 16, SSIDSIZE
 * (10:6) 0, EVENTQS (20:16) 0x13, CMDQS (25:21) 0x13. IDR3 0x1414: HAD (2),
 * XNX (4), RIL (10), BBML (12:11) 2, FWB (8) 0. IDR5 0x74: OAS 4 = 44 bits,
 * GRAN4K, GRAN16K, GRAN64K, VAX 0 = 48-bit VA. AIDR 1: SMMUv3.1.
 * The driver's word 0x01088705 is bits 0 (2lvl-strtab), 2 (tt-le), 8
 * (coherency), 9 (s1), 10 (s2), 15 (range-inv), 19 (nesting), 24 (bbml2):
 * the same facts from the other side, which the test checks.
 */
static const uint32_t smmu_nested[6] = { 0x0d44101b, 0x02730010, 0,
					 0x00001414, 0,		 0x00000074 };
static const uint32_t smmu_s1[6] = { 0x0d40101a, 0x02730010, 0,
				     0x00001404, 0,	     0x00000074 };

static const struct expect idr0_rows[] = {
	{ "s2p", 0, 0 },	  { "s1p", 1, 1 },
	{ "ttf", 2, 3 },	  { "cohacc", 4, 4 },
	{ "btm", 5, 5 },	  { "httu", 6, 7 },
	{ "dormhint", 8, 8 },	  { "hyp", 9, 9 },
	{ "ats", 10, 10 },	  { "ns1ats", 11, 11 },
	{ "asid16", 12, 12 },	  { "msi", 13, 13 },
	{ "sev", 14, 14 },	  { "atos", 15, 15 },
	{ "pri", 16, 16 },	  { "vmw", 17, 17 },
	{ "vmid16", 18, 18 },	  { "cd2l", 19, 19 },
	{ "vatos", 20, 20 },	  { "ttendian", 21, 22 },
	{ "atsrecerr", 23, 23 },  { "stall_model", 24, 25 },
	{ "term_model", 26, 26 }, { "st_level", 27, 28 },
};

static const struct expect idr1_rows[] = {
	{ "sidsize", 0, 5 },	      { "ssidsize", 6, 10 },
	{ "priqs", 11, 15 },	      { "eventqs", 16, 20 },
	{ "cmdqs", 21, 25 },	      { "attr_perms_ovr", 26, 26 },
	{ "attr_types_ovr", 27, 27 }, { "rel", 28, 28 },
	{ "queues_preset", 29, 29 },  { "tables_preset", 30, 30 },
	{ "ecmdq", 31, 31 },
};

static const struct expect idr5_rows[] = {
	{ "oas", 0, 2 },     { "gran4k", 4, 4 }, { "gran16k", 5, 5 },
	{ "gran64k", 6, 6 }, { "vax", 10, 11 },	 { "stall_max", 16, 31 },
};

static uint64_t smmu_field(const char *reg, const char *key, uint32_t v)
{
	unsigned int n;
	const struct iommuctl_regfield *t = iommuctl_regfields(reg, &n);

	return iommuctl_regfield_value(find(t, n, key), v);
}

static void test_smmuv3_tables(void **state)
{
	const struct iommuctl_regfield *t;
	unsigned int n = 0;

	(void)state;
	t = iommuctl_regfields("IDR0", &n);
	check_table(t, n, idr0_rows, ARRAY_SIZE(idr0_rows));
	t = iommuctl_regfields("idr1", &n);
	check_table(t, n, idr1_rows, ARRAY_SIZE(idr1_rows));
	t = iommuctl_regfields("IDR5", &n);
	check_table(t, n, idr5_rows, ARRAY_SIZE(idr5_rows));
	/* IDR4 is implementation defined: no table */
	assert_null(iommuctl_regfields("IDR4", &n));
	assert_int_equal(n, 0);
	assert_non_null(iommuctl_regfields("AIDR", &n));
	assert_int_equal(n, 2);
	/* the hand decode above, field by field */
	assert_int_equal(smmu_field("IDR0", "ttf", smmu_nested[0]), 2);
	assert_int_equal(smmu_field("IDR0", "ttendian", smmu_nested[0]), 2);
	assert_int_equal(smmu_field("IDR0", "stall_model", smmu_nested[0]), 1);
	assert_int_equal(smmu_field("IDR0", "term_model", smmu_nested[0]), 1);
	assert_int_equal(smmu_field("IDR0", "st_level", smmu_nested[0]), 1);
	assert_int_equal(smmu_field("IDR1", "eventqs", smmu_nested[1]), 19);
	assert_int_equal(smmu_field("IDR1", "cmdqs", smmu_nested[1]), 19);
	assert_int_equal(smmu_field("IDR3", "bbml", smmu_nested[3]), 2);
	assert_int_equal(smmu_field("IDR3", "had", smmu_nested[3]), 1);
	assert_int_equal(smmu_field("IDR3", "fwb", smmu_nested[3]), 0);
	assert_int_equal(smmu_field("IDR5", "oas", smmu_nested[5]), 4);
	assert_int_equal(smmu_field("AIDR", "archminorrev", 1), 1);
}

/* The driver's feature word, bit by bit, against a summary */
static void check_log_agrees(const struct iommuctl_smmuv3_summary *s,
			     uint32_t f)
{
	assert_int_equal(!!(f & BIT(IOMMUCTL_SMMUV3_FEAT_TRANS_S1)), s->stage1);
	assert_int_equal(!!(f & BIT(IOMMUCTL_SMMUV3_FEAT_TRANS_S2)), s->stage2);
	assert_int_equal(!!(f & BIT(IOMMUCTL_SMMUV3_FEAT_NESTING)), s->nesting);
	assert_int_equal(!!(f & BIT(IOMMUCTL_SMMUV3_FEAT_2LVL_STRTAB)),
			 s->st_2level);
	assert_int_equal(!!(f & BIT(IOMMUCTL_SMMUV3_FEAT_2LVL_CDTAB)),
			 s->cd_2level);
	assert_int_equal(!!(f & BIT(IOMMUCTL_SMMUV3_FEAT_ATS)), s->ats);
	assert_int_equal(!!(f & BIT(IOMMUCTL_SMMUV3_FEAT_PRI)), s->pri);
	assert_int_equal(!!(f & BIT(IOMMUCTL_SMMUV3_FEAT_MSI)), s->msi);
	assert_int_equal(!!(f & BIT(IOMMUCTL_SMMUV3_FEAT_RANGE_INV)),
			 s->range_invalidation);
	assert_int_equal(!!(f & BIT(IOMMUCTL_SMMUV3_FEAT_S2FWB)), s->s2fwb);
	assert_int_equal(!!(f & BIT(IOMMUCTL_SMMUV3_FEAT_BBML2)), s->bbml == 2);
}

static void test_smmuv3_qemu(void **state)
{
	struct iommuctl_smmuv3_summary s;
	struct iommuctl_smmuv3_log l;

	(void)state;
	assert_int_equal(iommuctl_smmuv3_summarize(smmu_nested, 0, 1, &s), 0);
	assert_int_equal(s.arch_minor, 1);
	assert_true(s.stage1 && s.stage2 && s.nesting);
	assert_true(s.aarch64_tables);
	assert_false(s.aarch32_tables);
	assert_true(s.coherent);
	assert_false(s.ats || s.pri || s.msi || s.sev || s.hyp || s.btm);
	assert_false(s.stall || s.stall_forced);
	assert_false(s.hw_access_flag || s.hw_dirty);
	assert_int_equal(s.asid_bits, 16);
	assert_int_equal(s.vmid_bits, 16);
	assert_true(s.st_2level);
	assert_false(s.cd_2level);
	assert_int_equal(s.sid_bits, 16);
	/* QEMU refuses ssidsize > 0 without accel=on: no PASID */
	assert_int_equal(s.ssid_bits, 0);
	assert_false(s.pasid);
	assert_false(s.s2fwb);
	assert_true(s.range_invalidation);
	assert_int_equal(s.bbml, 2);
	assert_int_equal(s.oas_bits, 44);
	assert_int_equal(s.linux_oas_bits, 44);
	assert_int_equal(s.linux_ias_bits, 44);
	assert_int_equal(s.va_bits, 48);
	assert_true(s.gran_4k && s.gran_16k && s.gran_64k);
	assert_int_equal(
		iommuctl_smmuv3_parse_log_line(
			"[    1.270234] arm-smmu-v3 c000000.smmuv3: oas 44-bit (features 0x01088705)",
			&l),
		0);
	assert_string_equal(l.device, "c000000.smmuv3");
	assert_false(l.has_ias);
	assert_int_equal(l.oas_bits, s.linux_oas_bits);
	assert_int_equal(l.features, 0x01088705);
	check_log_agrees(&s, l.features);

	/* QEMU 7.2's machine SMMU: stage 1 only, 8-bit VMIDs */
	assert_int_equal(iommuctl_smmuv3_summarize(smmu_s1, 0, 1, &s), 0);
	assert_true(s.stage1);
	assert_false(s.stage2 || s.nesting);
	assert_int_equal(s.vmid_bits, 8);
	assert_int_equal(
		iommuctl_smmuv3_parse_log_line(
			"arm-smmu-v3 9050000.smmuv3: oas 44-bit (features 0x01008305)",
			&l),
		0);
	check_log_agrees(&s, l.features);

	/* 6.12: "ias" too, and no S2FWB/BBML2 bits yet */
	assert_int_equal(
		iommuctl_smmuv3_parse_log_line(
			"arm-smmu-v3 9050000.smmuv3: ias 44-bit, oas 44-bit (features 0x00008305)",
			&l),
		0);
	assert_string_equal(l.device, "9050000.smmuv3");
	assert_true(l.has_ias);
	assert_int_equal(l.ias_bits, 44);
	assert_int_equal(l.oas_bits, 44);
	assert_int_equal(l.features, 0x8305);
	assert_string_equal(iommuctl_smmuv3_feature_name(9), "s1");
	assert_string_equal(iommuctl_smmuv3_feature_name(19), "nesting");
	assert_string_equal(iommuctl_smmuv3_feature_name(24), "bbml2");
	assert_null(iommuctl_smmuv3_feature_name(25));
	assert_null(iommuctl_smmuv3_feature_name(1000));
}

static void test_smmuv3_rules(void **state)
{
	uint32_t idr[6] = { 0 };
	struct iommuctl_smmuv3_summary s;
	struct iommuctl_smmuv3_log l = { .oas_bits = 99 };
	static const char *const bad[] = {
		"arm-smmu-v3 c000000.smmuv3: allocated 262144 entries for cmdq",
		"arm-smmu-v3 c000000.smmuv3: oas 44-bit (features 0x)",
		"arm-smmu-v3 c000000.smmuv3: oas 44-bit (features 0x123456789)",
		"arm-smmu-v3 c000000.smmuv3: oas -bit (features 0x1)",
		"arm-smmu-v3 c000000.smmuv3: ias 44-bit oas 44-bit (features 0x1)",
		"arm-smmu-v3 : oas 44-bit (features 0x1)",
		"arm-smmu-v3 c000000.smmuv3 oas 44-bit (features 0x1)",
		"arm-smmu-v3 c000000.smmuv3: oas 44-bit (features 0x1",
		"arm-smmu c000000.smmu: oas 44-bit (features 0x1)",
		"",
	};
	unsigned int i;

	(void)state;
	/* AArch32+64 tables: Linux's ias is at least 40 */
	idr[0] = 3 << 2;
	idr[5] = 0; /* OAS 32 */
	assert_int_equal(iommuctl_smmuv3_summarize(idr, 0, 0, &s), 0);
	assert_int_equal(s.oas_bits, 32);
	assert_int_equal(s.linux_ias_bits, 40);
	/* a reserved OAS encoding: Linux truncates to 48 */
	idr[5] = 7;
	assert_int_equal(iommuctl_smmuv3_summarize(idr, 0, 0, &s), 0);
	assert_int_equal(s.oas_bits, 0);
	assert_int_equal(s.linux_oas_bits, 48);
	/* HTTU 2: access and dirty; STALL_MODEL 2: forced; SSIDSIZE 20 */
	idr[0] = 2 << 6 | 2 << 24 | BIT(10) | BIT(16);
	idr[1] = 20 << 6;
	idr[3] = BIT(8);
	idr[5] = 6 | 1 << 10;
	assert_int_equal(iommuctl_smmuv3_summarize(idr, 0, 0, &s), 0);
	assert_true(s.hw_access_flag && s.hw_dirty);
	assert_true(s.stall && s.stall_forced);
	assert_true(s.ats && s.pri && s.s2fwb);
	assert_int_equal(s.ssid_bits, 20);
	assert_true(s.pasid);
	assert_int_equal(s.oas_bits, 52);
	assert_int_equal(s.va_bits, 52);
	assert_int_equal(iommuctl_smmuv3_summarize(NULL, 0, 0, &s), -EINVAL);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(iommuctl_smmuv3_parse_log_line(bad[i], &l),
				 -ENOENT);
	assert_int_equal(l.oas_bits, 99); /* nothing written */
	assert_int_equal(iommuctl_smmuv3_parse_log_line(NULL, &l), -EINVAL);
	assert_int_equal(iommuctl_smmuv3_summary_items(&i)[0].type,
			 IOMMUCTL_ITEM_UINT);
	assert_string_equal(iommuctl_smmuv3_summary_items(&i)[0].key,
			    "arch_minor");
	assert_string_equal(iommuctl_smmuv3_summary_items(&i)[i - 1].key,
			    "gran_64k");
}

static void test_regfields_by_name(void **state)
{
	unsigned int n, m;

	(void)state;
	assert_ptr_equal(iommuctl_regfields("CAP", &n),
			 iommuctl_vtd_cap_fields(&m));
	assert_int_equal(n, m);
	assert_ptr_equal(iommuctl_regfields("ecap", &n),
			 iommuctl_vtd_ecap_fields(&m));
	assert_int_equal(n, m);
	assert_ptr_equal(iommuctl_regfields("EFR2", &n),
			 iommuctl_amd_efr2_fields(&m));
	assert_int_equal(n, m);
	assert_int_equal(n, 1);
	assert_ptr_equal(iommuctl_regfields("GSTS", &n),
			 iommuctl_vtd_gsts_fields(&m));
	assert_int_equal(n, m);
	assert_ptr_equal(iommuctl_regfields("RTADDR", &n),
			 iommuctl_vtd_rtaddr_fields(&m));
	assert_int_equal(n, 2);
	assert_string_equal(iommuctl_regfields("RTADDR", NULL)[1].key, "rta");
	assert_null(iommuctl_regfields("VER", &n));
	assert_int_equal(n, 0);
	assert_null(iommuctl_regfields(NULL, &n));
}

/* The summary items name members of the summary structs. */
static void test_summary_items(void **state)
{
	struct iommuctl_amd_summary a = { 0 };
	const struct iommuctl_item *it;
	unsigned int n, i;

	(void)state;
	it = iommuctl_vtd_summary_items(&n);
	assert_int_equal(n, 24);
	assert_string_equal(it[0].key, "mgaw");
	assert_int_equal(it[1].type, IOMMUCTL_ITEM_UINTS);
	assert_int_equal(it[1].count, offsetof(struct iommuctl_vtd_summary,
					       num_agaw_widths));
	assert_string_equal(it[n - 1].key, "fl_5level");
	it = iommuctl_amd_summary_items(&n);
	assert_int_equal(n, 16);
	assert_string_equal(it[0].key, "ppr");
	a.host_dirty = true;
	for (i = 0; i < n; i++)
		if (!strcmp(it[i].key, "dirty_tracking"))
			assert_true(*(const bool *)((const char *)&a +
						    it[i].offset));
	assert_string_equal(it[n - 1].key, "pasid_bits");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_field_value),
		cmocka_unit_test(test_vtd_legacy),
		cmocka_unit_test(test_vtd_sm_qemu72),
		cmocka_unit_test(test_vtd_sm_qemu11),
		cmocka_unit_test(test_vtd_rules),
		cmocka_unit_test(test_amd_qemu),
		cmocka_unit_test(test_amd_rules),
		cmocka_unit_test(test_amd_features_order),
		cmocka_unit_test(test_amd_features_malformed),
		cmocka_unit_test(test_version_parse),
		cmocka_unit_test(test_hex_parse),
		cmocka_unit_test(test_regfields_by_name),
		cmocka_unit_test(test_summary_items),
		cmocka_unit_test(test_smmuv3_tables),
		cmocka_unit_test(test_smmuv3_qemu),
		cmocka_unit_test(test_smmuv3_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
