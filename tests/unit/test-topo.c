// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: the pure parts of the topology model. Reserved
 * region text is parsed strictly and merged the way a VMM needs it;
 * configuration space is walked defensively (loops, wild pointers, short
 * reads) and the ACS verdict follows the kernel's pci_acs_enabled() for each
 * PCIe type; PCI addresses parse in both forms, including 5-digit VMD
 * domains, and sort in bus order.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "private.h"

static void test_resv_parse(void **state)
{
	/* as printed by the 6.12 test VMs (vtd group 7, amd) */
	const char *text = "0x0000000000000000 0x0000000000ffffff direct-relaxable\n"
			   "0x00000000fee00000 0x00000000feefffff msi\n"
			   "0x000000fd00000000 0x000000ffffffffff reserved\n";
	struct iommuctl_resv_region *r;
	size_t n;

	(void)state;
	assert_int_equal(iommuctl_resv_parse(text, &r, &n), 0);
	assert_int_equal(n, 3);
	assert_true(r[0].start == 0 && r[0].end == 0xffffff);
	assert_int_equal(r[0].type, IOMMUCTL_RESV_DIRECT_RELAXABLE);
	assert_int_equal(r[1].type, IOMMUCTL_RESV_MSI);
	assert_true(r[2].start == 0xfd00000000ULL && r[2].end == 0xffffffffffULL);
	assert_int_equal(r[2].type, IOMMUCTL_RESV_RESERVED);
	free(r);

	assert_int_equal(iommuctl_resv_parse("", &r, &n), 0);
	assert_int_equal(n, 0);
	free(r);
	assert_int_equal(iommuctl_resv_parse("0x10 0x20 sw-msi-future\n", &r, &n), 0);
	assert_int_equal(r[0].type, IOMMUCTL_RESV_UNKNOWN);
	free(r);

	assert_int_equal(iommuctl_resv_parse("0x20 0x10 msi\n", &r, &n), -EBADMSG);
	assert_int_equal(iommuctl_resv_parse("0x10 msi\n", &r, &n), -EBADMSG);
	assert_int_equal(iommuctl_resv_parse("10 0x20 msi\n", &r, &n), -EBADMSG);
	assert_int_equal(iommuctl_resv_parse("0x10 0x20 \n", &r, &n), -EBADMSG);
	assert_int_equal(iommuctl_resv_parse("0x10000000000000000 0x20 msi\n", &r, &n), -EBADMSG);
	assert_int_equal(iommuctl_resv_parse("0x 0x20 msi\n", &r, &n), -EBADMSG);
}

static void test_resv_merge(void **state)
{
	const struct iommuctl_resv_region in[] = {
		{ 0xfee00000, 0xfeefffff, IOMMUCTL_RESV_MSI, 0 },
		{ 0x0, 0xffffff, IOMMUCTL_RESV_DIRECT_RELAXABLE, 0 },
		{ 0xfee00000, 0xfeefffff, IOMMUCTL_RESV_MSI, 0 },
		{ 0x1000000, 0x1ffffff, IOMMUCTL_RESV_DIRECT, 0 }, /* adjacent */
		{ 0xfef00000, 0xfef0ffff, IOMMUCTL_RESV_RESERVED, 0 }, /* adjacent */
		{ 0xffffffffffff0000ULL, UINT64_MAX, IOMMUCTL_RESV_RESERVED, 0 },
		{ 0xfffffffffffff000ULL, UINT64_MAX, IOMMUCTL_RESV_MSI, 0 },
	};
	struct iommuctl_resv_region *m;
	size_t n;

	(void)state;
	assert_int_equal(iommuctl_resv_merge(in, 7, &m, &n), 0);
	assert_int_equal(n, 3);
	assert_true(m[0].start == 0 && m[0].end == 0x1ffffff);
	assert_int_equal(m[0].type, IOMMUCTL_RESV_DIRECT); /* direct beats relaxable */
	assert_int_equal(m[0].types, (1u << IOMMUCTL_RESV_DIRECT) |
					     (1u << IOMMUCTL_RESV_DIRECT_RELAXABLE));
	assert_true(m[1].start == 0xfee00000 && m[1].end == 0xfef0ffff);
	assert_int_equal(m[1].type, IOMMUCTL_RESV_RESERVED);
	assert_true(m[2].end == UINT64_MAX && m[2].start == 0xffffffffffff0000ULL);
	free(m);
	assert_int_equal(iommuctl_resv_merge(in, 0, &m, &n), 0);
	assert_int_equal(n, 0);
	assert_null(m);
}

/* A 4 KiB config space with a PCIe capability of @type at 0x40 and,
 * optionally, an ACS extended capability at 0x100. */
static uint8_t cfg[4096];

static void mkcfg(int type, bool multifunction, int acs_cap, int acs_ctrl)
{
	memset(cfg, 0, sizeof(cfg));
	cfg[0] = 0x86, cfg[1] = 0x80;                    /* vendor 0x8086 */
	cfg[0x0e] = (uint8_t)((type == 4 || type == 5 || type == 6 || type == 7) ? 1 : 0);
	if (multifunction)
		cfg[0x0e] |= 0x80;
	cfg[0x06] = 0x10;                                /* capability list */
	cfg[0x34] = 0x40;
	cfg[0x40] = 0x10;                                /* PCIe */
	cfg[0x41] = 0x00;
	cfg[0x42] = (uint8_t)(type << 4 | 2);
	if (acs_cap >= 0) {
		cfg[0x100] = 0x0d;                       /* ACS, version 1, next 0 */
		cfg[0x102] = 0x01;
		cfg[0x104] = (uint8_t)acs_cap;
		cfg[0x106] = (uint8_t)acs_ctrl;
	}
}

static enum iommuctl_acs_verdict verdict(size_t len)
{
	struct iommuctl_pcicfg c;

	assert_int_equal(iommuctl_pcicfg_parse(cfg, len, &c), 0);
	return iommuctl_pcicfg_acs_isolated(&c);
}

static void test_acs_reasoning(void **state)
{
	const int all = 0x1f; /* SV TB RR CR UF */
	struct iommuctl_pcicfg c;

	(void)state;
	/* ports must implement and enable SV, RR, CR, UF */
	mkcfg(6, false, all, all);
	assert_int_equal(verdict(4096), IOMMUCTL_ACS_ENABLED);
	assert_int_equal(iommuctl_pcicfg_parse(cfg, 4096, &c), 0);
	assert_int_equal(c.pcie_type, IOMMUCTL_PCIE_DOWNSTREAM);
	assert_true(c.acs && c.acs_pos == 0x100 && c.acs_cap == all);
	mkcfg(6, false, all, all & ~IOMMUCTL_ACS_RR);
	assert_int_equal(verdict(4096), IOMMUCTL_ACS_DISABLED);
	mkcfg(6, false, -1, 0);
	assert_int_equal(verdict(4096), IOMMUCTL_ACS_MISSING);
	mkcfg(4, false, -1, 0);
	assert_int_equal(verdict(4096), IOMMUCTL_ACS_MISSING);
	/* a capability the port lacks counts as hard-wired on (not EC) */
	mkcfg(4, false, IOMMUCTL_ACS_SV | IOMMUCTL_ACS_RR, IOMMUCTL_ACS_SV | IOMMUCTL_ACS_RR);
	assert_int_equal(verdict(4096), IOMMUCTL_ACS_ENABLED);
	/* single-function endpoints and upstream ports need nothing */
	mkcfg(0, false, -1, 0);
	assert_int_equal(verdict(4096), IOMMUCTL_ACS_NOT_REQUIRED);
	mkcfg(5, false, -1, 0);
	assert_int_equal(verdict(4096), IOMMUCTL_ACS_NOT_REQUIRED);
	/* multifunction endpoints do */
	mkcfg(0, true, -1, 0);
	assert_int_equal(verdict(4096), IOMMUCTL_ACS_MISSING);
	mkcfg(9, true, all, all);
	assert_int_equal(verdict(4096), IOMMUCTL_ACS_ENABLED);
	/* bridges to conventional PCI never isolate */
	mkcfg(7, false, all, all);
	assert_int_equal(verdict(4096), IOMMUCTL_ACS_NEVER);
	/* conventional PCI: no PCIe capability */
	mkcfg(0, true, -1, 0);
	cfg[0x40] = 0x05; /* MSI instead of PCIe */
	assert_int_equal(verdict(256), IOMMUCTL_ACS_NOT_PCIE);
	/* a port read as non-root (256 bytes): ACS unknown */
	mkcfg(6, false, all, all);
	assert_int_equal(verdict(256), IOMMUCTL_ACS_UNKNOWN);
	assert_int_equal(verdict(64), IOMMUCTL_ACS_UNKNOWN);
	assert_true(iommuctl_acs_verdict_isolates(IOMMUCTL_ACS_NOT_REQUIRED));
	assert_false(iommuctl_acs_verdict_isolates(IOMMUCTL_ACS_UNKNOWN));
}

static void test_config_hostile(void **state)
{
	struct iommuctl_pcicfg c;

	(void)state;
	/* standard capability list pointing at itself */
	mkcfg(0, false, -1, 0);
	cfg[0x41] = 0x40;
	assert_int_equal(iommuctl_pcicfg_parse(cfg, 4096, &c), 0);
	assert_int_equal(c.pcie_type, 0);
	/* extended list pointing at itself, and one pointing past the end */
	mkcfg(6, false, 0x1f, 0x1f);
	cfg[0x103] = 0x10; /* next = 0x100 */
	assert_int_equal(iommuctl_pcicfg_parse(cfg, 4096, &c), 0);
	assert_true(c.acs);
	cfg[0x103] = 0xff;
	cfg[0x102] = 0xf1; /* next = 0xfff: beyond the space, ignored */
	assert_int_equal(iommuctl_pcicfg_parse(cfg, 4096, &c), 0);
	/* pointer into the header */
	mkcfg(0, false, -1, 0);
	cfg[0x34] = 0x10;
	assert_int_equal(iommuctl_pcicfg_parse(cfg, 4096, &c), 0);
	assert_int_equal(c.pcie_type, -1);
	/* short and absent */
	assert_int_equal(iommuctl_pcicfg_parse(cfg, 63, &c), -ENODATA);
	memset(cfg, 0xff, 64);
	assert_int_equal(iommuctl_pcicfg_parse(cfg, 64, &c), -ENODEV);
}

static void test_bdf(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(iommuctl_parse_bdf("0000:00:1f.3", out, sizeof(out)), 0);
	assert_string_equal(out, "0000:00:1f.3");
	assert_int_equal(iommuctl_parse_bdf("03:00.0", out, sizeof(out)), 0);
	assert_string_equal(out, "0000:03:00.0");
	assert_int_equal(iommuctl_parse_bdf("10000:e1:00.0", out, sizeof(out)), 0);
	assert_string_equal(out, "10000:e1:00.0");
	assert_int_equal(iommuctl_parse_bdf("0000:00:20.0", NULL, 0), -EINVAL);
	assert_int_equal(iommuctl_parse_bdf("0000:00:1f.8", NULL, 0), -EINVAL);
	assert_int_equal(iommuctl_parse_bdf("0000:0:1f.0", NULL, 0), -EINVAL);
	assert_int_equal(iommuctl_parse_bdf("pci0000:00", NULL, 0), -EINVAL);
	assert_int_equal(iommuctl_parse_bdf("0000:00:1f.0x", NULL, 0), -EINVAL);
	assert_int_equal(iommuctl_parse_bdf("", NULL, 0), -EINVAL);
	assert_int_equal(iommuctl_parse_bdf("iommufd_mock0", NULL, 0), -EINVAL);
	assert_true(pci_name_cmp("0000:00:02.0", "0000:00:1f.0") < 0);
	assert_true(pci_name_cmp("0000:00:1f.0", "0000:01:00.0") < 0);
	assert_true(pci_name_cmp("0000:ff:00.0", "10000:00:00.0") < 0);
	assert_true(pci_name_cmp("0000:00:00.0", "iommufd_mock0") < 0);
	assert_int_equal(pci_name_cmp("00:03.0", "0000:00:03.0"), 0);
}

/* Bisection over names in pci_name_cmp() order: every member found at
 * every position, the gaps and the ends not, nor a name that compares
 * equal without being the same string. */
static void test_sorted_lookup(void **state)
{
	static const char *const names[] = { "0000:00:02.0", "0000:00:1f.0",
					     "0000:01:00.0", "10000:00:00.0",
					     "iommufd_mock0", "iommufd_mock10" };
	struct strv s = { 0 };
	size_t i, n;

	(void)state;
	assert_false(strv_has_sorted(&s, "0000:00:02.0", pci_name_cmp));
	for (n = 1; n <= 6; n++) {
		strv_free(&s);
		for (i = 0; i < n; i++)
			assert_int_equal(strv_push(&s, names[i]), 0);
		for (i = 0; i < n; i++)
			assert_true(strv_has_sorted(&s, names[i], pci_name_cmp));
		assert_false(strv_has_sorted(&s, "0000:00:00.0", pci_name_cmp));
		assert_false(strv_has_sorted(&s, "0000:00:03.0", pci_name_cmp));
		assert_false(strv_has_sorted(&s, "zzz", pci_name_cmp));
		assert_false(strv_has_sorted(&s, "iommufd_mock2", pci_name_cmp));
	}
	assert_false(strv_has_sorted(&s, "00:02.0", pci_name_cmp));
	strv_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resv_parse),   cmocka_unit_test(test_resv_merge),
		cmocka_unit_test(test_acs_reasoning), cmocka_unit_test(test_config_hostile),
		cmocka_unit_test(test_bdf),	     cmocka_unit_test(test_sorted_lookup),
	};

	return cmocka_run_group_tests_name("topo", tests, NULL, NULL);
}
