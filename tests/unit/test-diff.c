// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: "iommuctl diff" matches the IOMMU groups of two
 * snapshots by their members, since group numbers change across boots.
 * iommuctl_diff_match_groups() is pure: groups in, one change per
 * connected set of groups out (same, new, gone, split, merged; devices
 * moved when a set is neither, with the groups it pairs; members and type
 * changes of the groups matched one to one). Each case below states both sides and the
 * exact list of changes expected, in order. The other comparisons
 * (regions, units, devices) follow at the end, on the captured fixtures.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <iommuctl/libiommuctl.h>

#include "tree.h"

/* Members as a NULL-terminated list of names. */
#define M(...) ((const char *const[]){ __VA_ARGS__, NULL })

static struct iommuctl_diff_group G(unsigned int id,
				    const char *const *members) {
	struct iommuctl_diff_group g = { .id = id, .members = members };

	while (members[g.n])
		g.n++;
	return g;
}

/*
 * A change as text: "same 0>0", "split 0>1,2", "merged 0,1>0", "new >3",
 * "gone 2>", "moved d 0>1", "paired 0>0", "type 0>0", "members 0>0 +x -y"
 * (indices, not group numbers).
 */
static char *
change_text(const struct iommuctl_diff_group_change *c)
{
	char buf[256];
	size_t i, len = 0;

	len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s ",
				iommuctl_diff_group_kind_name(c->kind));
	if (c->kind == IOMMUCTL_DIFF_GROUP_MOVED)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s ",
					c->device);
	for (i = 0; i < c->na; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%zu",
					i ? "," : "", c->a[i]);
	len += (size_t)snprintf(buf + len, sizeof(buf) - len, ">");
	for (i = 0; i < c->nb; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%zu",
					i ? "," : "", c->b[i]);
	if (c->kind == IOMMUCTL_DIFF_GROUP_MEMBERS) {
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, " +");
		for (i = 0; i < c->njoined; i++)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
						"%s%s", i ? "," : "",
						c->joined[i]);
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, " -");
		for (i = 0; i < c->nleft; i++)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
						"%s%s", i ? "," : "",
						c->left[i]);
	}
	return strdup(buf);
}

/* Matches @a against @b and expects exactly the changes listed after @n. */
static void check(const struct iommuctl_diff_group *a, size_t na,
		  const struct iommuctl_diff_group *b, size_t nb, size_t n, ...)
{
	struct iommuctl_diff_group_change *c = NULL;
	size_t got = 99, i;
	va_list ap;

	assert_int_equal(iommuctl_diff_match_groups(a, na, b, nb, &c, &got), 0);
	assert_non_null(c);
	va_start(ap, n);
	for (i = 0; i < got && i < n; i++) {
		char *t = change_text(&c[i]);

		assert_string_equal(t, va_arg(ap, const char *));
		free(t);
	}
	va_end(ap);
	assert_int_equal(got, n);
	iommuctl_diff_group_changes_free(c, got);
}

static void test_identical(void **state)
{
	struct iommuctl_diff_group a[] = { G(0, M("x")), G(1, M("y", "z")) };
	/* numbers differ across boots: matched by members */
	struct iommuctl_diff_group b[] = { G(7, M("x")), G(3, M("y", "z")) };

	(void)state;
	check(a, 2, a, 2, 2, "same 0>0", "same 1>1");
	check(a, 2, b, 2, 2, "same 0>0", "same 1>1");
	check(NULL, 0, NULL, 0, 0);
}

static void test_split(void **state)
{
	struct iommuctl_diff_group a[] = { G(7, M("05:01.0", "05:02.0")),
					   G(8, M("q")) };
	struct iommuctl_diff_group b[] = { G(7, M("05:01.0")), G(8, M("q")),
					   G(9, M("05:02.0")) };

	(void)state;
	check(a, 2, b, 3, 2, "split 0>0,2", "same 1>1");
}

static void test_merge(void **state)
{
	struct iommuctl_diff_group a[] = { G(1, M("a")), G(2, M("b")),
					   G(3, M("c")) };
	struct iommuctl_diff_group b[] = { G(1, M("c")), G(2, M("a", "b")) };

	(void)state;
	check(a, 3, b, 2, 2, "merged 0,1>1", "same 2>0");
}

/* A split and a merge side by side, and one set that is neither. */
static void test_split_merge(void **state)
{
	struct iommuctl_diff_group a[] = { G(0, M("a", "b")), G(1, M("c")),
					   G(2, M("d")) };
	struct iommuctl_diff_group b[] = { G(0, M("a")), G(1, M("b")),
					   G(2, M("c", "d")) };
	/* {a b} {c} -> {a} {b c}: b left a's group for c's */
	struct iommuctl_diff_group x[] = { G(0, M("a", "b")), G(1, M("c")) };
	struct iommuctl_diff_group y[] = { G(0, M("a")), G(1, M("b", "c")) };

	(void)state;
	check(a, 3, b, 3, 2, "split 0>0,1", "merged 1,2>2");
	check(x, 2, y, 2, 3, "paired 0>0", "paired 1>1", "moved b 0>1");
}

static void test_moved(void **state)
{
	/* 1f.3 went from the 1f.x group to the 06:00.x group */
	struct iommuctl_diff_group a[] = { G(10, M("1f.0", "1f.2", "1f.3")),
					   G(14, M("06:00.0", "06:00.1")) };
	struct iommuctl_diff_group b[] = {
		G(10, M("1f.0", "1f.2")), G(14, M("06:00.0", "06:00.1", "1f.3"))
	};
	/* a swap: the closer pairs are matched, each mover named once */
	struct iommuctl_diff_group c[] = { G(0, M("a", "b", "c")),
					   G(1, M("d", "e", "f")) };
	struct iommuctl_diff_group d[] = { G(0, M("a", "b", "f")),
					   G(1, M("d", "e", "c")) };

	(void)state;
	check(a, 2, b, 2, 3, "paired 0>0", "paired 1>1", "moved 1f.3 0>1");
	check(c, 2, d, 2, 4, "paired 0>0", "paired 1>1", "moved c 0>1",
	      "moved f 1>0");
}

static void test_new_gone(void **state)
{
	struct iommuctl_diff_group a[] = { G(0, M("x")), G(3, M("03:00.0")),
					   G(4, M("y")) };
	struct iommuctl_diff_group b[] = { G(0, M("x")), G(3, M("y")),
					   G(4, M("05:00.0")) };
	/* members grouped on one side only: the group stays the same */
	struct iommuctl_diff_group c[] = { G(6,
					     M("11.0", "05:01.0", "05:02.0")) };
	struct iommuctl_diff_group d[] = { G(1, M("11.0", "05:02.0", "new")) };

	(void)state;
	check(a, 3, b, 3, 4, "same 0>0", "gone 1>", "same 2>1", "new >2");
	check(a, 3, NULL, 0, 3, "gone 0>", "gone 1>", "gone 2>");
	check(NULL, 0, b, 3, 3, "new >0", "new >1", "new >2");
	check(c, 1, d, 1, 2, "same 0>0", "members 0>0 +new -05:01.0");
	check(d, 1, c, 1, 2, "same 0>0", "members 0>0 +05:01.0 -new");
}

/* Default domain types are compared where groups are matched one to one. */
static void test_type(void **state)
{
	struct iommuctl_diff_group a[] = { G(0, M("x")), G(1, M("y", "z")),
					   G(2, M("q")) };
	struct iommuctl_diff_group b[] = { G(0, M("x")), G(1, M("y", "w")),
					   G(2, M("q")) };
	/* in a set of moves, the paired groups */
	struct iommuctl_diff_group x[] = { G(0, M("a", "b")), G(1, M("c")) };
	struct iommuctl_diff_group y[] = { G(0, M("a")), G(1, M("b", "c")) };

	(void)state;
	a[0].type = "DMA";
	b[0].type = "identity";
	a[1].type = "DMA";
	b[1].type = NULL; /* unknown on one side: a change too */
	a[2].type = b[2].type = "DMA-FQ";
	check(a, 3, b, 3, 6, "same 0>0", "type 0>0", "same 1>1",
	      "members 1>1 +w -z", "type 1>1", "same 2>2");
	x[1].type = "DMA";
	y[1].type = "blocked";
	check(x, 2, y, 2, 4, "paired 0>0", "paired 1>1", "type 1>1",
	      "moved b 0>1");
	/* each type change right after its pair */
	x[0].type = "identity";
	check(x, 2, y, 2, 5, "paired 0>0", "type 0>0", "paired 1>1", "type 1>1",
	      "moved b 0>1");
	/* a split group's type is not compared */
	x[0].type = "DMA";
	check(x, 1, y, 2, 1, "split 0>0,1");
}

#define R(s, e, t)                         \
	{                                  \
		s, e, IOMMUCTL_RESV_##t, 0 \
	}

static void test_resv(void **state)
{
	const struct iommuctl_resv_region a[] = {
		R(0, 0xfff, DIRECT),
		R(0xfee00000, 0xfeefffff, MSI),
		R(0x10000, 0x1ffff, RESERVED),
	};
	struct iommuctl_resv_region b[] = {
		R(0xfee00000, 0xfeefffff, RESERVED),
		R(0x10000, 0x1ffff, RESERVED),
		R(0x8000000, 0x80fffff, MSI),
	};
	struct iommuctl_diff_resv *d;
	size_t n;

	(void)state;
	assert_int_equal(iommuctl_diff_resv(a, 3, b, 3, &d, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(d[0].kind, IOMMUCTL_DIFF_RESV_REMOVED);
	assert_ptr_equal(d[0].a, &a[0]);
	assert_null(d[0].b);
	assert_int_equal(d[1].kind, IOMMUCTL_DIFF_RESV_TYPE);
	assert_ptr_equal(d[1].a, &a[1]);
	assert_ptr_equal(d[1].b, &b[0]);
	assert_int_equal(d[2].kind, IOMMUCTL_DIFF_RESV_ADDED);
	assert_null(d[2].a);
	assert_ptr_equal(d[2].b, &b[2]);
	free(d);
	/* merged types count: reserved alone vs reserved+msi */
	b[1].types = 1u << IOMMUCTL_RESV_RESERVED | 1u << IOMMUCTL_RESV_MSI;
	assert_int_equal(iommuctl_diff_resv(&a[2], 1, &b[1], 1, &d, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(d[0].kind, IOMMUCTL_DIFF_RESV_TYPE);
	free(d);
	assert_int_equal(iommuctl_diff_resv(NULL, 0, NULL, 0, &d, &n), 0);
	assert_int_equal(n, 0);
	free(d);
}

/* Units, devices and groups of two contexts: a machine against itself,
 * and VT-d against AMD-Vi (every unit differs, the devices mostly not). */
static void test_contexts(void **state)
{
	struct iommuctl_ctx *a = tree_fixture("vtd"), *b = tree_fixture("vtd"),
			    *c = tree_fixture("amd");
	struct iommuctl_diff_group *ga, *gb, *gc;
	struct iommuctl_diff_group_change *ch;
	struct iommuctl_diff_device *d;
	struct iommuctl_diff_unit *u;
	struct iommuctl_diff_reg *r;
	size_t n, na, nb, nc, nd, i;

	(void)state;
	assert_int_equal(iommuctl_diff_match_units(a, b, &u, &n), 0);
	assert_true(n >= 1);
	for (i = 0; i < n; i++) {
		assert_non_null(u[i].a);
		assert_non_null(u[i].b);
		assert_string_equal(iommuctl_iommu_get_name(u[i].a),
				    iommuctl_iommu_get_name(u[i].b));
		assert_int_equal(
			iommuctl_diff_unit_regs(u[i].a, u[i].b, &r, &na), 0);
		assert_int_equal(na, 0);
		free(r);
	}
	assert_int_equal(iommuctl_diff_devices(a, b, u, n, &d, &nd), 0);
	assert_int_equal(nd, 0);
	free(d);
	free(u);

	assert_int_equal(iommuctl_diff_groups_get(a, &ga, &na), 0);
	assert_int_equal(iommuctl_diff_groups_get(b, &gb, &nb), 0);
	assert_int_equal(iommuctl_diff_groups_get(c, &gc, &nc), 0);
	assert_true(na > 1);
	for (i = 0; i < na; i++) {
		assert_ptr_not_equal(ga[i].group, NULL);
		assert_int_equal(ga[i].n,
				 iommuctl_group_get_num_devices(ga[i].group));
		if (ga[i].n > 1)
			assert_true(strcmp(ga[i].members[0], ga[i].members[1]) <
				    0);
	}
	assert_int_equal(iommuctl_diff_match_groups(ga, na, gb, nb, &ch, &n),
			 0);
	assert_int_equal(n, na);
	for (i = 0; i < n; i++)
		assert_int_equal(ch[i].kind, IOMMUCTL_DIFF_GROUP_SAME);
	iommuctl_diff_group_changes_free(ch, n);

	/* dmar0 removed (and the selftest unit kept), ivhd0 added */
	assert_int_equal(iommuctl_diff_match_units(a, c, &u, &n), 0);
	for (i = 0; i < n; i++)
		if (u[i].a && !strcmp(iommuctl_iommu_get_name(u[i].a), "dmar0"))
			assert_null(u[i].b);
	assert_non_null(u[n - 1].b);
	assert_null(u[n - 1].a);
	assert_string_equal(iommuctl_iommu_get_name(u[n - 1].b), "ivhd0");
	assert_int_equal(iommuctl_diff_devices(a, c, u, n, &d, &nd), 0);
	for (i = 0; i < nd; i++)
		if (d[i].kind == IOMMUCTL_DIFF_DEVICE_IOMMU)
			break;
	assert_true(i < nd); /* dmar0 -> ivhd0 */
	assert_string_equal(iommuctl_device_get_iommu(d[i].a), "dmar0");
	assert_int_equal(d[nd - 1].kind, IOMMUCTL_DIFF_DEVICE_ADDED);
	free(d);
	free(u);

	iommuctl_diff_groups_free(ga, na);
	iommuctl_diff_groups_free(gb, nb);
	iommuctl_diff_groups_free(gc, nc);
	iommuctl_unref(a);
	iommuctl_unref(b);
	iommuctl_unref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_split_merge),
		cmocka_unit_test(test_moved),
		cmocka_unit_test(test_new_gone),
		cmocka_unit_test(test_type),
		cmocka_unit_test(test_resv),
		cmocka_unit_test(test_contexts),
	};

	return cmocka_run_group_tests_name("diff", tests, NULL, NULL);
}
