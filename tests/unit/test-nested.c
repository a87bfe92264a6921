// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: the pure parts of nesting. A guest STE (vSTE) built
 * from typed fields has the bits arm_smmu_validate_vste() in Linux 6.13+
 * accepts, at the places arm-smmu-v3.h puts them, and fields the kernel
 * would refuse are refused here first; decoding gives the fields back and
 * flags bits outside what a guest may set. And where a device's MSI
 * doorbell is mapped, decided from a session's object graph (no kernel: the
 * session's fd is -1) and its group's MSI windows: nowhere for a hardware
 * window or no attachment, in the attached paging hwpt for a software
 * window, in the nest parent (stage 2) for a nested hwpt whether it sits on
 * the parent directly or on a vIOMMU, with what the guest's stage 1 must do
 * following the vSTE.
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

static void test_vste_encode(void **state)
{
	struct iommuctl_vste v = { 0 }, back;
	uint64_t ste[2] = { 1, 1 };
	const char *why = NULL;

	(void)state;
	/* invalid: V=0, nothing else */
	assert_int_equal(iommuctl_vste_encode(&v, ste, &why), 0);
	assert_true(ste[0] == 0 && ste[1] == 0);
	/* abort: V, Config 0 */
	v.config = IOMMUCTL_VSTE_ABORT;
	assert_int_equal(iommuctl_vste_encode(&v, ste, &why), 0);
	assert_true(ste[0] == 0x1 && ste[1] == 0);
	/* bypass: Config 0b100 in bits 3:1 */
	v.config = IOMMUCTL_VSTE_BYPASS;
	assert_int_equal(iommuctl_vste_encode(&v, ste, &why), 0);
	assert_true(ste[0] == 0x9 && ste[1] == 0);
	/* s1-translate: Config 0b101, S1ContextPtr 51:6, S1Fmt 5:4,
	 * S1CDMax 63:59; S1DSS 1:0, EATS 29:28 */
	v.config = IOMMUCTL_VSTE_S1_TRANSLATE;
	v.s1ctxptr = 0x40001000;
	v.s1fmt = 1;
	v.s1cdmax = 4;
	v.s1dss = 2;
	v.eats = true;
	assert_int_equal(iommuctl_vste_encode(&v, ste, &why), 0);
	assert_true(ste[0] == (0x1ULL | 5ULL << 1 | 1ULL << 4 | 0x40001000ULL |
			       4ULL << 59));
	assert_true(ste[1] == (2ULL | 1ULL << 28));
	assert_int_equal(iommuctl_vste_decode(ste, &back), 0);
	assert_int_equal(back.config, IOMMUCTL_VSTE_S1_TRANSLATE);
	assert_true(back.s1ctxptr == 0x40001000);
	assert_int_equal(back.s1fmt, 1);
	assert_int_equal(back.s1cdmax, 4);
	assert_int_equal(back.s1dss, 2);
	assert_true(back.eats);

	/* what the kernel would refuse */
	v.s1ctxptr = 0x40001020; /* not 64-byte aligned */
	assert_int_equal(iommuctl_vste_encode(&v, ste, &why), -EINVAL);
	assert_non_null(strstr(why, "64-byte"));
	v.s1ctxptr = 1ULL << 52;
	assert_int_equal(iommuctl_vste_encode(&v, ste, &why), -EINVAL);
	v.s1ctxptr = 0;
	assert_int_equal(iommuctl_vste_encode(&v, ste, &why), -EINVAL);
	assert_non_null(strstr(why, "CD table"));
	v.s1ctxptr = 0x1000;
	v.s1fmt = 3;
	assert_int_equal(iommuctl_vste_encode(&v, ste, &why), -EINVAL);
	v.s1fmt = 0;
	v.s1dss = 3;
	assert_int_equal(iommuctl_vste_encode(&v, ste, &why), -EINVAL);
	v.s1dss = 0;
	v.s1cdmax = 32;
	assert_int_equal(iommuctl_vste_encode(&v, ste, &why), -EINVAL);
	/* stage-1 fields on a bypass STE */
	memset(&v, 0, sizeof(v));
	v.config = IOMMUCTL_VSTE_BYPASS;
	v.s1ctxptr = 0x1000;
	assert_int_equal(iommuctl_vste_encode(&v, ste, &why), -EINVAL);
	v.config = 7;
	v.s1ctxptr = 0;
	assert_int_equal(iommuctl_vste_encode(&v, ste, &why), -EINVAL);

	/* decoding flags what Linux refuses with EIO */
	ste[0] = 0x1 | 6ULL << 1; /* Config S2 translate */
	ste[1] = 0;
	assert_int_equal(iommuctl_vste_decode(ste, &back), -EINVAL);
	ste[0] = 0x9;
	ste[1] = 1ULL << 19; /* MEV: the kernel's, not the guest's */
	assert_int_equal(iommuctl_vste_decode(ste, &back), -EINVAL);
	ste[1] = 2ULL << 28; /* EATS S1CHK */
	assert_int_equal(iommuctl_vste_decode(ste, &back), -EINVAL);
	ste[0] = 0x8; /* V=0: the rest is ignored */
	assert_int_equal(iommuctl_vste_decode(ste, &back), 0);
	assert_int_equal(back.config, IOMMUCTL_VSTE_INVALID);
	assert_string_equal(
		iommuctl_vste_config_name(IOMMUCTL_VSTE_S1_TRANSLATE),
		"s1-translate");
}

static struct iommuctl_session *fake_session(void)
{
	struct iommuctl_session *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	assert_int_equal(iommuctl_new(&s->ctx), 0);
	s->fd = -1;
	s->selftest = 0;
	return s;
}

static void fake_free(struct iommuctl_session *s)
{
	while (s->first)
		ses_obj_free(s->first);
	iommuctl_unref(s->ctx);
	free(s);
}

static const struct iommuctl_resv_region sw_region = { 0x8000000, 0x80fffff,
						       IOMMUCTL_RESV_MSI, 0 };
static const struct iommuctl_resv_region hw_region = { 0xfee00000, 0xfeefffff,
						       IOMMUCTL_RESV_MSI, 0 };

/*
 * ioas 1 <- np 2 (nest parent) <- viommu 3 <- nested 4 (arm-smmuv3)
 *                              <- nested 5 (directly on the parent)
 * ioas 1 <- paging 6; device 10 moves between them
 */
static void test_doorbell(void **state)
{
	struct iommuctl_session *s = fake_session();
	struct iommuctl_obj *ioas = ses_obj_new(s, &ioas_ops, 1);
	struct iommuctl_obj *np = ses_obj_new(s, &hwpt_paging_ops, 2);
	struct iommuctl_obj *v = ses_obj_new(s, &viommu_ops, 3);
	struct iommuctl_obj *n4 = ses_obj_new(s, &hwpt_nested_ops, 4);
	struct iommuctl_obj *n5 = ses_obj_new(s, &hwpt_nested_ops, 5);
	struct iommuctl_obj *pg = ses_obj_new(s, &hwpt_paging_ops, 6);
	struct iommuctl_obj *dev = ses_obj_new(s, &device_ops, 10);
	struct iommuctl_msi_window sw = { &sw_region, IOMMUCTL_MSI_SW, "sw",
					  IOMMUCTL_IOMMU_ARM_SMMU_V3 };
	struct iommuctl_msi_window hw = { &hw_region, IOMMUCTL_MSI_HW, "hw",
					  IOMMUCTL_IOMMU_INTEL_VTD };
	struct iommuctl_doorbell d;

	(void)state;
	np->ioas = ioas;
	np->flags = IOMMUCTL_HWPT_NEST_PARENT;
	v->parent = np;
	n4->parent = v;
	n4->kind = IOMMUCTL_HWPT_DATA_ARM_SMMUV3;
	n5->parent = np;
	n5->kind = IOMMUCTL_HWPT_DATA_SELFTEST;
	pg->ioas = ioas;

	assert_int_equal(iommuctl_doorbell_decide(ioas, &sw, 1, &d), -EINVAL);
	/* not attached */
	assert_int_equal(iommuctl_doorbell_decide(dev, &sw, 1, &d), 0);
	assert_int_equal(d.where, IOMMUCTL_DOORBELL_UNATTACHED);
	assert_null(d.holder);
	assert_true(d.window && d.start == 0x8000000 && d.last == 0x80fffff);

	/* paging: the attached hwpt itself */
	dev->attached = pg;
	assert_int_equal(iommuctl_doorbell_decide(dev, &sw, 1, &d), 0);
	assert_int_equal(d.where, IOMMUCTL_DOORBELL_PAGING);
	assert_ptr_equal(d.holder, pg);
	assert_null(d.stage1);
	/* the nest parent attached directly is a paging attachment too */
	dev->attached = np;
	assert_int_equal(iommuctl_doorbell_decide(dev, &sw, 1, &d), 0);
	assert_int_equal(d.where, IOMMUCTL_DOORBELL_PAGING);
	assert_ptr_equal(d.holder, np);

	/* nested over a vIOMMU: the vIOMMU's parent, stage 2 */
	dev->attached = n4;
	assert_int_equal(iommuctl_doorbell_decide(dev, &sw, 1, &d), 0);
	assert_int_equal(d.where, IOMMUCTL_DOORBELL_NEST_PARENT);
	assert_ptr_equal(d.holder, np);
	assert_ptr_equal(d.attached, n4);
	assert_non_null(strstr(d.stage1, "RMR"));
	/* ... and what stage 1 must do follows the vSTE */
	n4->have_ste = true;
	n4->ste[0] = 0x9; /* bypass */
	assert_int_equal(iommuctl_doorbell_decide(dev, &sw, 1, &d), 0);
	assert_non_null(strstr(d.stage1, "bypasses stage 1"));
	n4->ste[0] = 0x1; /* abort */
	assert_int_equal(iommuctl_doorbell_decide(dev, &sw, 1, &d), 0);
	assert_non_null(strstr(d.stage1, "aborts"));
	n4->ste[0] = 0xb | 0x40000000; /* s1-translate */
	assert_int_equal(iommuctl_doorbell_decide(dev, &sw, 1, &d), 0);
	assert_non_null(strstr(d.stage1, "RMR"));

	/* nested directly on the parent (VT-d, the mock) */
	dev->attached = n5;
	assert_int_equal(iommuctl_doorbell_decide(dev, &sw, 1, &d), 0);
	assert_int_equal(d.where, IOMMUCTL_DOORBELL_NEST_PARENT);
	assert_ptr_equal(d.holder, np);

	/* a hardware window: no mapping, nested or not */
	assert_int_equal(iommuctl_doorbell_decide(dev, &hw, 1, &d), 0);
	assert_int_equal(d.where, IOMMUCTL_DOORBELL_HW_WINDOW);
	assert_null(d.holder);
	assert_null(d.stage1);
	assert_true(d.start == 0xfee00000);
	/* no window at all */
	assert_int_equal(iommuctl_doorbell_decide(dev, NULL, 0, &d), 0);
	assert_int_equal(d.where, IOMMUCTL_DOORBELL_NO_WINDOW);
	assert_false(d.window);
	/* emulated: attached to the IOAS itself */
	dev->attached = ioas;
	assert_int_equal(iommuctl_doorbell_decide(dev, &sw, 1, &d), 0);
	assert_int_equal(d.where, IOMMUCTL_DOORBELL_EMULATED);
	assert_string_equal(
		iommuctl_doorbell_where_name(IOMMUCTL_DOORBELL_NEST_PARENT),
		"nest-parent");
	fake_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vste_encode),
		cmocka_unit_test(test_doorbell),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
