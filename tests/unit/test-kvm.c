// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: arm64 KVM says its mode only in the kernel log, once
 * at boot (lib/kvm.c). The parser is fed the KVM lines of Linux 7.3.4 as
 * captured from four boots under QEMU 11.1 (virt, -cpu max): pKVM
 * (virtualization=on, kvm-arm.mode=protected), VHE (virtualization=on),
 * nVHE (kvm-arm.mode=nvhe) and no EL2 (no virtualization=on, protected
 * asked for), with the timestamps dmesg and the bundle's kernel-log.txt
 * carry, and must name the mode, the hypervisor's flavour, the line that
 * said so, the exception level the CPUs started at and a refused
 * kvm-arm.mode. Then iommuctl_kvm_state() reads an offline tree laid out as
 * a bundle (proc/cmdline, report/kernel-log.txt, dev/kvm, the pKVM SMMUv3
 * driver's directory), and status turns it into its findings.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "private.h"
#include "tree.h"

static const char log_protected[] =
	"[    0.000000] Capping linear region to 51 bits for KVM in nVHE mode on LVA capable hardware.\n"
	"[    0.000000] kvm [0]: Reserved 12 MiB at 0x7f000000\n"
	"[    0.000000] Kernel command line: console=ttyAMA0 panic=-1 quiet kvm-arm.mode=protected\n"
	"[    0.088299] CPU: All CPU(s) started at EL2\n"
	"[    0.088725] CPU features: detected: 52-bit Virtual Addressing for KVM (LPA2)\n"
	"[    0.088819] CPU features: detected: Protected KVM\n"
	"[    0.531363] kvm [1]: nv: 571 coarse grained trap handlers\n"
	"[    0.539309] kvm [1]: IPA Size Limit: 52 bits\n"
	"[    0.693061] kvm [1]: vgic interrupt IRQ9\n"
	"[    0.693927] kvm [1]: Protected hVHE mode initialized successfully\n"
	"[    1.028964] arm-smmu-v3 9050000.smmuv3: oas 44-bit (features 0x01088705)\n";

static const char log_vhe[] =
	"[    0.687712] CPU: All CPU(s) started at EL2\n"
	"[    2.096741] kvm [1]: IPA Size Limit: 52 bits\n"
	"[    2.154626] kvm [1]: vgic interrupt IRQ9\n"
	"[    2.174357] kvm [1]: VHE mode initialized successfully";

/* as /dev/kmsg gives them (lib/kvm.c keeps the text after ';') */
static const char log_nvhe[] =
	"Capping linear region to 51 bits for KVM in nVHE mode on LVA capable hardware.\n"
	"Kernel command line: console=ttyAMA0 panic=-1 quiet kvm-arm.mode=nvhe\n"
	"CPU: All CPU(s) started at EL2\n"
	"kvm [1]: vgic interrupt IRQ9\n"
	"kvm [1]: Hyp nVHE mode initialized successfully\n";

static const char log_noel2[] =
	"[    0.000000] KVM is not available. Ignoring kvm-arm.mode\n"
	"[    0.000000] Kernel command line: console=ttyAMA0 panic=-1 quiet kvm-arm.mode=protected\n"
	"[    0.407609] CPU: All CPU(s) started at EL1\n"
	"[    0.408127] CPU features: detected: 52-bit Virtual Addressing for KVM (LPA2)\n"
	"[    2.740978] kvm [1]: HYP mode not available\n";

/* an x86 guest's KVM lines: not arm64 KVM's */
static const char log_x86[] =
	"[    0.000000] kvm-clock: Using msrs 4b564d01 and 4b564d00\n"
	"[    0.512000] kvm_intel: VMX not supported by CPU 0\n";

static void parse(const char *text, struct iommuctl_kvm_log *k)
{
	assert_int_equal(iommuctl_kvm_parse_log(text, strlen(text), k), 0);
}

static void test_parse_modes(void **state)
{
	struct iommuctl_kvm_log k;

	(void)state;
	parse(log_protected, &k);
	assert_int_equal(k.mode, IOMMUCTL_KVM_PROTECTED);
	assert_string_equal(k.hyp, "hVHE");
	assert_string_equal(
		k.line,
		"kvm [1]: Protected hVHE mode initialized successfully");
	assert_int_equal(k.el, 2);
	assert_true(k.pkvm_cpu_feature);
	assert_string_equal(k.refused, "");
	assert_true(k.seen);
	assert_string_equal(iommuctl_kvm_mode_name(k.mode), "protected");

	parse(log_vhe, &k); /* no newline at the end */
	assert_int_equal(k.mode, IOMMUCTL_KVM_VHE);
	assert_string_equal(k.hyp, "VHE");
	assert_string_equal(k.line,
			    "kvm [1]: VHE mode initialized successfully");
	assert_false(k.pkvm_cpu_feature);

	parse(log_nvhe, &k);
	assert_int_equal(k.mode, IOMMUCTL_KVM_NVHE);
	assert_string_equal(k.hyp, "nVHE");
	assert_int_equal(k.el, 2);
	assert_string_equal(iommuctl_kvm_mode_name(k.mode), "nvhe");

	parse(log_noel2, &k);
	assert_int_equal(k.mode, IOMMUCTL_KVM_NOT_STARTED);
	assert_string_equal(k.hyp, "");
	assert_string_equal(k.line, "kvm [1]: HYP mode not available");
	assert_int_equal(k.el, 1);
	assert_string_equal(k.refused,
			    "KVM is not available. Ignoring kvm-arm.mode");

	parse(log_x86, &k);
	assert_int_equal(k.mode, IOMMUCTL_KVM_UNKNOWN);
	assert_false(k.seen);
}

static void test_parse_variants(void **state)
{
	struct iommuctl_kvm_log k;
	static const char cut[] = "kvm [1]: Protected hVHE mode initialized";
	char big[400];

	(void)state;
	parse("kvm [3]: Hyp hVHE mode initialized successfully\r\n", &k);
	assert_int_equal(k.mode, IOMMUCTL_KVM_HVHE);
	assert_string_equal(k.hyp, "hVHE");
	assert_string_equal(k.line,
			    "kvm [3]: Hyp hVHE mode initialized successfully");
	parse("kvm [1]: Protected nVHE mode initialized successfully", &k);
	assert_int_equal(k.mode, IOMMUCTL_KVM_PROTECTED);
	assert_string_equal(k.hyp, "nVHE");
	parse("[ 1.0] kvm [1]: KVM disabled from command line\n", &k);
	assert_int_equal(k.mode, IOMMUCTL_KVM_DISABLED);
	parse("kvm [1]: error initializing Hyp mode: -12\n", &k);
	assert_int_equal(k.mode, IOMMUCTL_KVM_NOT_STARTED);
	assert_string_equal(k.line,
			    "kvm [1]: error initializing Hyp mode: -12");
	parse("Protected KVM not available with VHE\n"
	      "kvm [1]: VHE mode initialized successfully\n",
	      &k);
	assert_int_equal(k.mode, IOMMUCTL_KVM_VHE);
	assert_string_equal(k.refused, "Protected KVM not available with VHE");
	/* the last init line wins */
	parse("kvm [1]: VHE mode initialized successfully\n"
	      "kvm [1]: HYP mode not available\n",
	      &k);
	assert_int_equal(k.mode, IOMMUCTL_KVM_NOT_STARTED);
	/* cut short, or a NUL inside: no mode */
	assert_int_equal(iommuctl_kvm_parse_log(cut, sizeof(cut) - 1, &k), 0);
	assert_int_equal(k.mode, IOMMUCTL_KVM_UNKNOWN);
	assert_int_equal(iommuctl_kvm_parse_log(
				 "kvm [1]: VHE\0 mode initialized successfully",
				 44, &k),
			 0);
	assert_int_equal(k.mode, IOMMUCTL_KVM_UNKNOWN);
	/* a flavour word too long for hyp[] is cut, the line too */
	memset(big, 'x', sizeof(big));
	memcpy(big, "kvm [1]: Protected ", 19);
	memcpy(big + 19, "VHE", 3);
	memcpy(big + sizeof(big) - 30, " mode initialized successfully", 30);
	assert_int_equal(iommuctl_kvm_parse_log(big, sizeof(big), &k), 0);
	assert_int_equal(k.mode, IOMMUCTL_KVM_PROTECTED);
	assert_int_equal(strlen(k.hyp), sizeof(k.hyp) - 1);
	assert_int_equal(strlen(k.line), sizeof(k.line) - 1);
	/* "kvm [" without "]: ", and arguments */
	parse("kvm [1 VHE mode initialized successfully", &k);
	assert_int_equal(k.mode, IOMMUCTL_KVM_UNKNOWN);
	assert_int_equal(iommuctl_kvm_parse_log(NULL, 0, &k), 0);
	assert_int_equal(iommuctl_kvm_parse_log(NULL, 3, &k), -EINVAL);
	assert_int_equal(iommuctl_kvm_parse_log_sz("", 0, &k, 4), -EINVAL);
}

static char tmpl[] = "/tmp/iommuctl-kvm-XXXXXX";

/* <top>/NAME: a tree as a bundle records it */
static struct iommuctl_ctx *bundle_tree(const char *name, const char *cmdline,
					const char *log, bool dev_kvm,
					bool pkvm_driver)
{
	char path[4096];
	FILE *f;

	tree_sh("mkdir -p '%s/%s/proc' '%s/%s/dev' '%s/%s/sys/class/iommu'",
		tree_top, name, tree_top, name, tree_top, name);
	snprintf(path, sizeof(path), "%s/%s/proc/cmdline", tree_top, name);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "%s\n", cmdline);
	fclose(f);
	if (log) {
		tree_sh("mkdir -p '%s/%s/report'", tree_top, name);
		snprintf(path, sizeof(path), "%s/%s/report/kernel-log.txt",
			 tree_top, name);
		assert_non_null(f = fopen(path, "w"));
		fputs(log, f);
		fclose(f);
	}
	if (dev_kvm)
		tree_sh(": > '%s/%s/dev/kvm'", tree_top, name);
	if (pkvm_driver)
		tree_sh("mkdir -p '%s/%s/sys/bus/platform/drivers/kvm-arm-smmu-v3'",
			tree_top, name);
	snprintf(path, sizeof(path), "%s/%s", tree_top, name);
	return tree_ctx(path);
}

static void test_state_offline(void **state)
{
	struct iommuctl_ctx *ctx;
	struct iommuctl_kvm_state k;

	(void)state;
	ctx = bundle_tree("prot", "console=ttyAMA0 kvm-arm.mode=protected",
			  log_protected, true, false);
	assert_int_equal(iommuctl_kvm_state(ctx, &k), 0);
	assert_int_equal(k.log.mode, IOMMUCTL_KVM_PROTECTED);
	assert_int_equal(k.log_errno, 0);
	assert_string_equal(k.requested, "protected");
	assert_true(k.dev_kvm);
	assert_false(k.pkvm_iommu_driver);
	assert_true(k.arm64);
	iommuctl_unref(ctx);

	/* '_' for '-' in the name, and the driver's directory */
	ctx = bundle_tree("drv", "kvm_arm.mode=protected", log_protected, true,
			  true);
	assert_int_equal(iommuctl_kvm_state(ctx, &k), 0);
	assert_string_equal(k.requested, "protected");
	assert_true(k.pkvm_iommu_driver);
	iommuctl_unref(ctx);

	/* no log in the tree: ENOENT, and only the command line speaks */
	ctx = bundle_tree("nolog", "quiet kvm-arm.mode=nvhe", NULL, false,
			  false);
	assert_int_equal(iommuctl_kvm_state(ctx, &k), 0);
	assert_int_equal(k.log_errno, ENOENT);
	assert_int_equal(k.log.mode, IOMMUCTL_KVM_UNKNOWN);
	assert_string_equal(k.requested, "nvhe");
	assert_true(k.arm64);
	iommuctl_unref(ctx);

	/* x86: nothing to say */
	ctx = bundle_tree("x86", "console=ttyS0 intel_iommu=on", log_x86, false,
			  false);
	assert_int_equal(iommuctl_kvm_state(ctx, &k), 0);
	assert_false(k.arm64);
	assert_string_equal(k.requested, "");
	iommuctl_unref(ctx);
}

static const char *finding(struct iommuctl_status *st, const char *code)
{
	struct iommuctl_finding *f;

	iommuctl_finding_foreach(st, f)
		if (!strcmp(iommuctl_finding_get_code(f), code))
			return iommuctl_finding_get_message(f);
	return NULL;
}

static void test_status_findings(void **state)
{
	struct iommuctl_ctx *ctx;
	struct iommuctl_status *st;
	const char *m;

	(void)state;
	ctx = bundle_tree("s-prot", "kvm-arm.mode=protected", log_protected,
			  true, false);
	assert_int_equal(iommuctl_status_new(ctx, &st), 0);
	assert_int_equal(iommuctl_status_get_kvm(st)->log.mode,
			 IOMMUCTL_KVM_PROTECTED);
	assert_non_null(m = finding(st, "pkvm"));
	assert_non_null(strstr(m, "protected mode (pKVM, hVHE)"));
	assert_non_null(strstr(m, "no pKVM IOMMU driver is present"));
	assert_null(finding(st, "pkvm-not-active"));
	iommuctl_status_free(st);
	iommuctl_unref(ctx);

	ctx = bundle_tree("s-drv", "kvm-arm.mode=protected", log_protected,
			  true, true);
	assert_int_equal(iommuctl_status_new(ctx, &st), 0);
	assert_non_null(m = finding(st, "pkvm"));
	assert_non_null(strstr(
		m, "the pKVM IOMMU driver (kvm-arm-smmu-v3) is present"));
	iommuctl_status_free(st);
	iommuctl_unref(ctx);

	/* asked for, not had: a warning quoting the kernel */
	ctx = bundle_tree("s-noel2", "kvm-arm.mode=protected", log_noel2, false,
			  false);
	assert_int_equal(iommuctl_status_new(ctx, &st), 0);
	assert_null(finding(st, "pkvm"));
	assert_non_null(m = finding(st, "pkvm-not-active"));
	assert_non_null(strstr(m, "did not start"));
	assert_non_null(strstr(m, "HYP mode not available"));
	iommuctl_status_free(st);
	iommuctl_unref(ctx);

	/* nVHE and VHE: no alarm */
	ctx = bundle_tree("s-nvhe", "quiet", log_nvhe, true, false);
	assert_int_equal(iommuctl_status_new(ctx, &st), 0);
	assert_int_equal(iommuctl_status_get_kvm(st)->log.mode,
			 IOMMUCTL_KVM_NVHE);
	assert_null(finding(st, "pkvm"));
	assert_null(finding(st, "pkvm-not-active"));
	iommuctl_status_free(st);
	iommuctl_unref(ctx);
}

static int setup(void **state)
{
	(void)state;
	return tree_setup(tmpl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_modes),
		cmocka_unit_test(test_parse_variants),
		cmocka_unit_test(test_state_offline),
		cmocka_unit_test(test_status_findings),
	};

	return cmocka_run_group_tests(tests, setup, tree_teardown);
}
