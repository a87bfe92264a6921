// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: lib/pciids.c searches pci.ids in place (bisecting
 * the sorted vendor lines) instead of letting libpci parse the whole list.
 * Its answers must be libpci's: on the system's own list, every vendor
 * and a spread of devices are looked up both ways and compared; on small
 * lists written here, the edges: the first and last vendor, comments and
 * subsystem lines inside a vendor, a vendor with no devices, IDs that are
 * absent, and the class list after the vendors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <pci/pci.h>

#include "private.h"

static struct iommuctl_ctx *ctx_with_list(const char *path)
{
	struct iommuctl_ctx *ctx = NULL;

	assert_int_equal(iommuctl_new(&ctx), 0);
	ctx->pciids_path = path;
	return ctx;
}

static const char *ours(struct iommuctl_ctx *ctx, unsigned int v, int d)
{
	int err = 0;
	const char *r = pciids_name(ctx, v, d, &err);

	assert_int_equal(err, 0);
	return r;
}

static void expect(const char *got, const char *want)
{
	if (!want != !got || (want && strcmp(got, want)))
		print_error("got '%s', want '%s'\n", got ? got : "NULL",
			    want ? want : "NULL");
	if (!want)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
}

static const char *theirs(struct pci_access *pacc, unsigned int v, int d,
			  char *buf, size_t n)
{
	if (d < 0)
		return pci_lookup_name(pacc, buf, (int)n,
				       PCI_LOOKUP_VENDOR |
					       PCI_LOOKUP_NO_NUMBERS |
					       PCI_LOOKUP_NO_HWDB,
				       v);
	return pci_lookup_name(pacc, buf, (int)n,
			       PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS |
				       PCI_LOOKUP_NO_HWDB,
			       v, (unsigned int)d);
}

static const char list[] = "# comment at the top\n"
			   "#\n"
			   "0001  SafeNet (wrong ID)\n"
			   "0010  Allied Telesis, Inc (Wrong ID)\n"
			   "# This is a relabelled RTL-8139\n"
			   "\t8139  AT-2500TX V3 Ethernet\n"
			   "0e11  Compaq Computer Corporation\n"
			   "\t0001  PCI to EISA Bridge\n"
			   "\t0002  PCI to ISA Bridge\n"
			   "\t\t0e11 0002  a subsystem, not a device\n"
			   "# a comment between devices\n"
			   "\t0046  Smart Array 64xx\n"
			   "\t\t0e11 4091  Smart Array 6i\n"
			   "\n"
			   "1af4  Red Hat, Inc.\n"
			   "\t1000  Virtio network device\n"
			   "\t1041  Virtio 1.0 network device\n"
			   "# a vendor edited out of order: found all the same\n"
			   "1b36  Red Hat, Inc. (QEMU)\n"
			   "\t0010  QEMU NVM Express Controller\n"
			   "\t\t1af4 1100  QEMU Virtual Machine\n"
			   "\t0001  QEMU PCI-PCI bridge\n"
			   "\t0008  QEMU PCIe Host bridge\n"
			   "\t000d  QEMU XHCI Host Controller\n"
			   "8086  Intel Corporation\n"
			   "\t10d3  82574L Gigabit Network Connection\n"
			   "ffff  Illegal Vendor ID\n"
			   "\n"
			   "C 00  Unclassified device\n"
			   "\t00  Non-VGA unclassified device\n"
			   "C 02  Network controller\n"
			   "\t00  Ethernet controller\n";

static void test_edges(void **state)
{
	char path[] = "/tmp/test-pciids-XXXXXX";
	struct iommuctl_ctx *ctx;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, list, sizeof(list) - 1),
			 (ssize_t)(sizeof(list) - 1));
	close(fd);
	ctx = ctx_with_list(path);
	expect(ours(ctx, 0x0001, -1), "SafeNet (wrong ID)");
	expect(ours(ctx, 0xffff, -1), "Illegal Vendor ID");
	expect(ours(ctx, 0x0010, 0x8139), "AT-2500TX V3 Ethernet");
	expect(ours(ctx, 0x0e11, -1), "Compaq Computer Corporation");
	expect(ours(ctx, 0x0e11, 0x0046), "Smart Array 64xx");
	expect(ours(ctx, 0x0e11, 0x4091), NULL); /* a subsystem line */
	expect(ours(ctx, 0x0e11, 0x0e11), NULL);
	expect(ours(ctx, 0x1af4, 0x1041), "Virtio 1.0 network device");
	expect(ours(ctx, 0x1b36, 0x0001), "QEMU PCI-PCI bridge");
	expect(ours(ctx, 0x1b36, 0x0010), "QEMU NVM Express Controller");
	expect(ours(ctx, 0x1b36, 0x0008), "QEMU PCIe Host bridge");
	expect(ours(ctx, 0x1b36, 0x000d), "QEMU XHCI Host Controller");
	expect(ours(ctx, 0x1b36, 0x1100), NULL); /* a subsystem line */
	expect(ours(ctx, 0x1b36, 0x0002), NULL);
	expect(ours(ctx, 0x8086, 0x10d3), "82574L Gigabit Network Connection");
	expect(ours(ctx, 0x8086, 0x1000), NULL); /* another vendor's */
	expect(ours(ctx, 0x1234, -1), NULL);
	expect(ours(ctx, 0x0000, -1), NULL);
	expect(ours(ctx, 0x0002, -1), NULL); /* "C 02" is a class */
	expect(ours(ctx, 0xffff, 0x0000), NULL);
	/* asked again: the kept answer */
	expect(ours(ctx, 0x0e11, 0x0046), "Smart Array 64xx");
	/* classes: the subclass's name, else the class's, else none */
	{
		int err;

		expect(pciids_class_name(ctx, 0x0200, &err), "Ethernet controller");
		expect(pciids_class_name(ctx, 0x0280, &err), "Network controller");
		expect(pciids_class_name(ctx, 0x0000, &err),
		       "Non-VGA unclassified device");
		expect(pciids_class_name(ctx, 0x0300, &err), NULL);
	}
	iommuctl_unref(ctx);
	unlink(path);
}

/* The class list is found walking back from the end: lists with no
 * vendors, with no final newline, with vendors and no classes, and with a
 * comment between the two parts. */
static const char *class_in(const char *text, unsigned int cls)
{
	static char path[] = "/tmp/test-pciids-XXXXXX";
	static char got[128];
	struct iommuctl_ctx *ctx;
	const char *r;
	int fd, err = 0;

	strcpy(path, "/tmp/test-pciids-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ctx = ctx_with_list(path);
	r = pciids_class_name(ctx, cls, &err);
	assert_int_equal(err, 0);
	snprintf(got, sizeof(got), "%s", r ? r : "(none)");
	iommuctl_unref(ctx);
	unlink(path);
	return got;
}

static void test_class_list(void **state)
{
	(void)state;
	expect(class_in("C 02  Network controller\n\t00  Ethernet controller",
			0x0200),
	       "Ethernet controller");
	expect(class_in("C 02  Network controller\n\t00  Ethernet controller\n",
			0x0280),
	       "Network controller");
	expect(class_in("8086  Intel Corporation\n\t10d3  82574L\n"
			"\t\t8086 0001  a subsystem\n"
			"# the classes\n\n"
			"C 01  Mass storage controller\n\t06  SATA controller\n"
			"\t\t01  AHCI 1.0\nC 02  Network controller\n",
			0x0106),
	       "SATA controller");
	expect(class_in("8086  Intel Corporation\n\t10d3  82574L\n", 0x0200),
	       "(none)");
	/* a device line that looks like a class line is not one */
	expect(class_in("0c02  C vendor\n\t0200  Not a class\n", 0x0200),
	       "(none)");
}

static void quiet(char *msg, ...)
{
	(void)msg;
}

/* The system's list: our answer is libpci's for every vendor, every 7th
 * device line and every subclass. */
static void test_system_list(void **state)
{
	struct iommuctl_ctx *ctx = ctx_with_list("/usr/share/misc/pci.ids");
	struct pci_access *pacc;
	char line[512], buf[256];
	unsigned int vendor = 0, v, d, n = 0, checked = 0;
	FILE *f = fopen("/usr/share/misc/pci.ids", "r");

	(void)state;
	if (!f) {
		iommuctl_unref(ctx);
		skip();
	}
	pacc = pci_alloc();
	pacc->warning = pacc->debug = quiet; /* libpci calls them on misses */
	pci_set_name_list_path(pacc, (char *)"/usr/share/misc/pci.ids", 0);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == 'C' && line[1] == ' ')
			break;
		if (sscanf(line, "%4x  ", &v) == 1 && line[4] == ' ') {
			vendor = v;
			expect(ours(ctx, v, -1),
			       theirs(pacc, v, -1, buf, sizeof(buf)));
			checked++;
		} else if (line[0] == '\t' && line[1] != '\t' &&
			   sscanf(line + 1, "%4x  ", &d) == 1 && n++ % 7 == 0) {
			expect(ours(ctx, vendor, (int)d),
			       theirs(pacc, vendor, (int)d, buf, sizeof(buf)));
			checked++;
		}
	}
	/* the class list: every subclass as libpci names it */
	{
		unsigned int cls = 0, sub, nc = 0;
		int err;

		do {
			if (line[0] == 'C' && line[1] == ' ' &&
			    sscanf(line + 2, "%2x  ", &cls) == 1) {
				continue;
			} else if (line[0] == '\t' && line[1] != '\t' &&
				   sscanf(line + 1, "%2x  ", &sub) == 1 &&
				   line[3] == ' ') {
				expect(pciids_class_name(ctx, cls << 8 | sub,
							 &err),
				       pci_lookup_name(pacc, buf, sizeof(buf),
						       PCI_LOOKUP_CLASS |
							       PCI_LOOKUP_NO_NUMBERS |
							       PCI_LOOKUP_NO_HWDB,
						       cls << 8 | sub));
				nc++;
			}
		} while (fgets(line, sizeof(line), f));
		assert_true(nc > 50);
	}
	fclose(f);
	assert_true(checked > 1000);
	pci_cleanup(pacc);
	iommuctl_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_class_list),
		cmocka_unit_test(test_system_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
