// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: iommuctl_fault_parse() decodes the IOMMU fault
 * lines of the kernel log that `iommuctl monitor` reports. Each test feeds
 * lines as the kernel printed them (VT-d lines captured in the vtd (6.12)
 * and vtd-next (7.3) guests and an SMMUv3 record in arm64-next (7.3) by
 * tests/vm/scenarios/monitor.sh; the others in the drivers' formats, from
 * amd/iommu.c and arm-smmu-v3.c, no AMD-Vi fault captured) and checks
 * every decoded field; lines that are not faults (the driver's other
 * lines, a fault's neighbours) give 0, a fault line in a format the
 * decoder cannot read gives -EBADMSG, and a multi-line SMMUv3 record is
 * decoded only once its four dwords are in, whether the tab before each
 * is a tab (dmesg) or "\x09" (/dev/kmsg's escape).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <iommuctl/monitor.h>

static struct iommuctl_fault_parser *P;

static int setup(void **state)
{
	(void)state;
	return iommuctl_fault_parser_new(&P);
}

static int teardown(void **state)
{
	(void)state;
	iommuctl_fault_parser_free(P);
	return 0;
}

static int feed(const char *line, struct iommuctl_fault_line *f)
{
	memset(f, 0x5a, sizeof(*f));
	return iommuctl_fault_parse(P, line, f);
}

static void vtd_6_12(void **state)
{
	struct iommuctl_fault_line f;

	(void)state;
	/* vtd (Linux 6.12, QEMU 7.2), edu-dma --after-unmap, dmesg */
	assert_int_equal(
		feed("[   16.147223] DMAR: [DMA Write NO_PASID] Request device [00:03.0] fault addr 0x201000 [fault reason 0x05] PTE Write access is not set",
		     &f),
		1);
	assert_int_equal(f.iommu, IOMMUCTL_FAULT_VTD);
	assert_string_equal(f.kind, "DMA Write");
	assert_string_equal(f.device, "0000:00:03.0");
	assert_true(f.have_addr);
	assert_int_equal(f.addr, 0x201000);
	assert_int_equal(f.access, IOMMUCTL_FAULT_ACCESS_WRITE);
	assert_int_equal(f.code, 5);
	assert_string_equal(f.reason, "PTE Write access is not set");
	assert_int_equal(f.pasid, -1);
	assert_false(f.have_sid);
	assert_string_equal(f.unit, "");
	assert_string_equal(iommuctl_fault_iommu_name(f.iommu), "vt-d");
	assert_string_equal(iommuctl_fault_access_name(f.access), "write");
	/* the line before it is not a fault */
	assert_int_equal(feed("DMAR: DRHD: handling fault status reg 2", &f),
			 0);
}

static void vtd_7_3(void **state)
{
	struct iommuctl_fault_line f;

	(void)state;
	/* vtd-next (Linux 7.3, QEMU 11.1, scalable mode, first-stage tables):
	 * the device with its segment */
	assert_int_equal(
		feed("[   31.302597] DMAR: [DMA Write NO_PASID] Request device [0000:00:03.0] fault addr 0x201000 [fault reason 0x71] SM: Present bit in first-level paging entry is clear",
		     &f),
		1);
	assert_string_equal(f.kind, "DMA Write");
	assert_string_equal(f.device, "0000:00:03.0");
	assert_int_equal(f.addr, 0x201000);
	assert_int_equal(f.access, IOMMUCTL_FAULT_ACCESS_WRITE);
	assert_int_equal(f.code, 0x71);
	assert_string_equal(
		f.reason,
		"SM: Present bit in first-level paging entry is clear");
	assert_int_equal(f.pasid, -1);
}

static void vtd_pasid_read_irq(void **state)
{
	struct iommuctl_fault_line f;

	(void)state;
	assert_int_equal(
		feed("DMAR: [DMA Read PASID 0x1] Request device [0000:03:00.0] fault addr 0xfffff000 [fault reason 0x71] SM: Present bit in first-level paging entry is clear",
		     &f),
		1);
	assert_string_equal(f.kind, "DMA Read");
	assert_string_equal(f.device, "0000:03:00.0");
	assert_int_equal(f.access, IOMMUCTL_FAULT_ACCESS_READ);
	assert_int_equal(f.pasid, 1);
	assert_int_equal(f.addr, 0xfffff000);
	assert_int_equal(f.code, 0x71);
	/* interrupt remapping: no address */
	assert_int_equal(
		feed("DMAR: [INTR-REMAP] Request device [00:04.0] fault index 0x3 [fault reason 0x25] Blocked a compatibility format interrupt request",
		     &f),
		1);
	assert_string_equal(f.kind, "INTR-REMAP");
	assert_false(f.have_addr);
	assert_int_equal(f.access, IOMMUCTL_FAULT_ACCESS_UNKNOWN);
	assert_int_equal(f.code, 0x25);
	/* a DMAR line of another kind, and a fault line we cannot read */
	assert_int_equal(
		feed("DMAR: [Firmware Bug]: No firmware reserved region can cover this RMRR",
		     &f),
		0);
	assert_int_equal(
		feed("DMAR: [DMA Write NO_PASID] Request device [zz] fault addr 0x1",
		     &f),
		-EBADMSG);
	assert_int_equal(feed("DMAR: [Page Request] Request device [00:03.0]",
			      &f),
			 -EBADMSG);
}

static void amd(void **state)
{
	struct iommuctl_fault_line f;

	(void)state;
	/* amd_iommu_report_page_fault(), a device the driver knows: pci_err() */
	assert_int_equal(
		feed("vfio-pci 0000:00:04.0: Event logged [IO_PAGE_FAULT domain=0x0002 address=0x201000 flags=0x0020]",
		     &f),
		1);
	assert_int_equal(f.iommu, IOMMUCTL_FAULT_AMD_VI);
	assert_string_equal(f.kind, "IO_PAGE_FAULT");
	assert_string_equal(f.device, "0000:00:04.0");
	assert_int_equal(f.addr, 0x201000);
	assert_int_equal(f.access, IOMMUCTL_FAULT_ACCESS_WRITE);
	assert_int_equal(f.code, 0x20);
	assert_string_equal(f.reason, "page not present");
	/* ... one it does not: pr_err() with the device in the line */
	assert_int_equal(
		feed("AMD-Vi: Event logged [IO_PAGE_FAULT device=0000:05:00.0 domain=0x0000 address=0xfee00000 flags=0x0010]",
		     &f),
		1);
	assert_string_equal(f.device, "0000:05:00.0");
	assert_int_equal(f.access, IOMMUCTL_FAULT_ACCESS_READ);
	assert_string_equal(f.reason, "permission denied (page present)");
	/* a device behind a VMD domain: a segment of 5 hex digits */
	assert_int_equal(
		feed("vfio-pci 10000:e1:00.0: Event logged [IO_PAGE_FAULT domain=0x0002 address=0x201000 flags=0x0020]",
		     &f),
		1);
	assert_string_equal(f.device, "10000:e1:00.0");
	/* older kernels: no segment */
	assert_int_equal(
		feed("AMD-Vi: Event logged [IO_PAGE_FAULT device=05:00.0 domain=0x0000 address=0x0000000092050da0 flags=0x0020]",
		     &f),
		1);
	assert_string_equal(f.device, "0000:05:00.0");
	assert_int_equal(f.addr, 0x92050da0);
	/* iommu_print_event()'s others, with a PASID */
	assert_int_equal(
		feed("AMD-Vi: Event logged [INVALID_DEVICE_REQUEST device=0000:00:05.0 pasid=0x00003 address=0x1000 flags=0x0028]",
		     &f),
		1);
	assert_string_equal(f.kind, "INVALID_DEVICE_REQUEST");
	assert_int_equal(f.pasid, 3);
	assert_string_equal(f.reason, "page not present, interrupt request");
	assert_int_equal(
		feed("AMD-Vi: Event logged [ILLEGAL_DEV_TABLE_ENTRY device=0000:00:05.0 pasid=0x00000 address=0x0 flags=0x0a00]",
		     &f),
		1);
	assert_string_equal(f.kind, "ILLEGAL_DEV_TABLE_ENTRY");
	assert_string_equal(f.reason, "ILLEGAL_DEV_TABLE_ENTRY");
	assert_int_equal(f.access, IOMMUCTL_FAULT_ACCESS_UNKNOWN);
	assert_int_equal(feed("AMD-Vi: Event logged [", &f), -EBADMSG);
	assert_int_equal(feed("AMD-Vi: Interrupt remapping enabled", &f), 0);
}

static void smmuv3(void **state)
{
	struct iommuctl_fault_line f;
	static const char *const dw[] = {
		/* captured on arm64-next (Linux 7.3, QEMU 11.1) by
		 * monitor.sh: F_TRANSLATION, StreamID 0x10 (00:02.0), no SSID;
		 * write, stage 1, class input address; input 0x201000 */
		"0x0000001000000010",
		"0x0000020000000000",
		"0x0000000000201000",
		"0x0000000000000000",
	};
	char line[160];
	int i, pass;

	(void)state;
	for (pass = 0; pass < 2; pass++) {
		assert_int_equal(
			feed("[   15.504931] arm-smmu-v3 c000000.smmuv3: event 0x10 received:",
			     &f),
			0);
		for (i = 0; i < 4; i++) {
			snprintf(line, sizeof(line),
				 "arm-smmu-v3 c000000.smmuv3: %s%s",
				 pass ? "\\x09" : "\t", dw[i]);
			assert_int_equal(feed(line, &f), i == 3 ? 1 : 0);
		}
		assert_int_equal(f.iommu, IOMMUCTL_FAULT_SMMUV3);
		assert_string_equal(f.kind, "F_TRANSLATION");
		assert_int_equal(f.code, 0x10);
		assert_true(f.have_sid);
		assert_int_equal(f.sid, 0x10);
		assert_string_equal(f.device, "0000:00:02.0");
		assert_int_equal(f.addr, 0x201000);
		assert_int_equal(f.access, IOMMUCTL_FAULT_ACCESS_WRITE);
		assert_int_equal(f.pasid, -1);
		assert_string_equal(f.unit, "c000000.smmuv3");
		assert_string_equal(
			f.reason,
			"translation fault: no valid mapping for the input address (stage 1, input address)");
	}
	/* 7.x's decoded lines after the record are not a second fault */
	assert_int_equal(
		feed("arm-smmu-v3 c000000.smmuv3: event: F_TRANSLATION client: 0000:00:02.0 sid: 0x10 ssid: 0x0 iova: 0x201000 ipa: 0x0",
		     &f),
		0);
	assert_int_equal(
		feed("arm-smmu-v3 c000000.smmuv3: unpriv data write s1 \"Input address caused fault\" stag: 0x0",
		     &f),
		0);
	/* a read permission fault at stage 2 with a SubstreamID */
	feed("arm-smmu-v3 smmu3.0x000000000c000000: event 0x13 received:", &f);
	feed("arm-smmu-v3 smmu3.0x000000000c000000: \t0x0000001800005813", &f);
	feed("arm-smmu-v3 smmu3.0x000000000c000000: \t0x0000028800000000", &f);
	feed("arm-smmu-v3 smmu3.0x000000000c000000: \t0x00000000deadb000", &f);
	assert_int_equal(
		feed("arm-smmu-v3 smmu3.0x000000000c000000: \t0x0000000000000000",
		     &f),
		1);
	assert_string_equal(f.kind, "F_PERMISSION");
	assert_int_equal(f.sid, 0x18);
	assert_string_equal(f.device, "0000:00:03.0");
	assert_int_equal(f.pasid, 5);
	assert_int_equal(f.access, IOMMUCTL_FAULT_ACCESS_READ);
	assert_int_equal(f.addr, 0xdeadb000);
	assert_non_null(strstr(f.reason, "stage 2"));
	/* other records (StreamID 0x10): the name and, when known, the
	 * meaning of the id */
	{
		static const struct {
			unsigned int id;
			const char *kind, *reason;
		} other[] = {
			{ 0x04, "C_BAD_STE", "invalid stream table entry" },
			{ 0x0a, "C_BAD_CD", "event" },
			{ 0x30, "event 0x30", "event" },
		};
		size_t o, k;
		char rec[128];

		for (o = 0; o < sizeof(other) / sizeof(other[0]); o++) {
			snprintf(
				rec, sizeof(rec),
				"arm-smmu-v3 c000000.smmuv3: event 0x%02x received:",
				other[o].id);
			feed(rec, &f);
			snprintf(
				rec, sizeof(rec),
				"arm-smmu-v3 c000000.smmuv3: \t0x00000010000000%02x",
				other[o].id);
			feed(rec, &f);
			for (k = 0; k < 2; k++)
				feed("arm-smmu-v3 c000000.smmuv3: \t0x0", &f);
			assert_int_equal(
				feed("arm-smmu-v3 c000000.smmuv3: \t0x0", &f),
				1);
			assert_string_equal(f.kind, other[o].kind);
			assert_string_equal(f.reason, other[o].reason);
			assert_string_equal(f.device, "0000:00:02.0");
		}
	}
	/* a record cut by a line that is not a dword */
	feed("arm-smmu-v3 arm-smmu-v3.0.auto: event 0x10 received:", &f);
	assert_int_equal(feed("arm-smmu-v3 arm-smmu-v3.0.auto: \tnot a dword",
			      &f),
			 -EBADMSG);
	assert_int_equal(feed("arm-smmu-v3 arm-smmu-v3.0.auto: \t0x1", &f), 0);
	/* the boot line */
	assert_int_equal(
		feed("arm-smmu-v3 arm-smmu-v3.0.auto: ias 44-bit, oas 44-bit (features 0x00008305)",
		     &f),
		0);
}

static void names_and_args(void **state)
{
	struct iommuctl_fault_line f;
	int t;

	(void)state;
	for (t = IOMMUCTL_EVENT_DEVICE_ADD; t <= IOMMUCTL_EVENT_TYPE_MAX; t++) {
		const char *n = iommuctl_event_type_name(t);

		assert_non_null(n);
		assert_int_equal(iommuctl_event_type_from_name(n), t);
	}
	assert_null(iommuctl_event_type_name(0));
	assert_null(iommuctl_event_type_name(IOMMUCTL_EVENT_TYPE_MAX + 1));
	assert_int_equal(iommuctl_event_type_from_name("bogus"), -EINVAL);
	/* --type words: a type, or a family */
	assert_int_equal(iommuctl_event_mask_from_name("fault"),
			 1 << IOMMUCTL_EVENT_FAULT);
	assert_int_equal(iommuctl_event_mask_from_name("driver-unbind"),
			 1 << IOMMUCTL_EVENT_DRIVER_UNBIND);
	assert_int_equal(iommuctl_event_mask_from_name("device"),
			 1 << IOMMUCTL_EVENT_DEVICE_ADD |
				 1 << IOMMUCTL_EVENT_DEVICE_REMOVE);
	assert_int_equal(iommuctl_event_mask_from_name("group"),
			 1 << IOMMUCTL_EVENT_GROUP_ADD |
				 1 << IOMMUCTL_EVENT_GROUP_REMOVE);
	assert_int_equal(iommuctl_event_mask_from_name("vfio"),
			 1 << IOMMUCTL_EVENT_VFIO_CDEV_ADD |
				 1 << IOMMUCTL_EVENT_VFIO_CDEV_REMOVE |
				 1 << IOMMUCTL_EVENT_VFIO_GROUP_ADD |
				 1 << IOMMUCTL_EVENT_VFIO_GROUP_REMOVE);
	assert_int_equal(iommuctl_event_mask_from_name("vfio-cdev"), -EINVAL);
	assert_int_equal(iommuctl_event_mask_from_name(""), -EINVAL);
	assert_int_equal(iommuctl_event_mask_from_name(NULL), -EINVAL);
	assert_int_equal(iommuctl_fault_parse(NULL, "x", &f), -EINVAL);
	assert_int_equal(iommuctl_fault_parse(P, NULL, &f), -EINVAL);
	/* a caller's struct smaller than ours */
	assert_int_equal(iommuctl_fault_parse_sz(P, "x", &f, sizeof(f) - 1),
			 -EINVAL);
	assert_int_equal(feed("", &f), 0);
	assert_int_equal(feed("e1000e 0000:00:04.0 eth1: NIC Link is Up", &f),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vtd_6_12),
		cmocka_unit_test(vtd_7_3),
		cmocka_unit_test(vtd_pasid_read_irq),
		cmocka_unit_test(amd),
		cmocka_unit_test(smmuv3),
		cmocka_unit_test(names_and_args),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
