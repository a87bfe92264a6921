// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: "iommuctl diff" matches the IOMMU groups of two
 * snapshots by their members, since group numbers change across boots.
 * diff_match_groups() is pure: groups in, one change per connected set of
 * groups out (same, new, gone, split, merged; devices moved when a set is
 * neither, with the groups it pairs). Each case below states both sides
 * and the exact list of changes expected, in order.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../cmd/diff.h"

/* Members as a NULL-terminated list of names. */
#define M(...) ((const char *const[]){ __VA_ARGS__, NULL })

static struct diff_group G(unsigned int id, const char *const *members) {
	struct diff_group g = { id, members, 0 };

	while (members[g.n])
		g.n++;
	return g;
}

/*
 * A change as text: "same 0>0", "split 0>1,2", "merged 0,1>0", "new >3",
 * "gone 2>", "moved d 0>1", "paired 0>0" (indices, not group numbers).
 */
static char *
change_text(const struct diff_group_change *c)
{
	char buf[256];
	size_t i, len = 0;

	len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s ",
				diff_group_kind_name(c->kind));
	if (c->kind == DIFF_GROUP_MOVED)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s ",
					c->device);
	for (i = 0; i < c->na; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%zu",
					i ? "," : "", c->a[i]);
	len += (size_t)snprintf(buf + len, sizeof(buf) - len, ">");
	for (i = 0; i < c->nb; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%zu",
					i ? "," : "", c->b[i]);
	return strdup(buf);
}

/* Matches @a against @b and expects exactly the changes listed after @n. */
static void check(const struct diff_group *a, size_t na,
		  const struct diff_group *b, size_t nb, size_t n, ...)
{
	struct diff_group_change *c = NULL;
	size_t got = 99, i;
	va_list ap;

	assert_int_equal(diff_match_groups(a, na, b, nb, &c, &got), 0);
	assert_non_null(c);
	va_start(ap, n);
	for (i = 0; i < got && i < n; i++) {
		char *t = change_text(&c[i]);

		assert_string_equal(t, va_arg(ap, const char *));
		free(t);
	}
	va_end(ap);
	assert_int_equal(got, n);
	diff_group_changes_free(c, got);
}

static void test_identical(void **state)
{
	struct diff_group a[] = { G(0, M("x")), G(1, M("y", "z")) };
	/* numbers differ across boots: matched by members */
	struct diff_group b[] = { G(7, M("x")), G(3, M("y", "z")) };

	(void)state;
	check(a, 2, a, 2, 2, "same 0>0", "same 1>1");
	check(a, 2, b, 2, 2, "same 0>0", "same 1>1");
	check(NULL, 0, NULL, 0, 0);
}

static void test_split(void **state)
{
	struct diff_group a[] = { G(7, M("05:01.0", "05:02.0")), G(8, M("q")) };
	struct diff_group b[] = { G(7, M("05:01.0")), G(8, M("q")),
				  G(9, M("05:02.0")) };

	(void)state;
	check(a, 2, b, 3, 2, "split 0>0,2", "same 1>1");
}

static void test_merge(void **state)
{
	struct diff_group a[] = { G(1, M("a")), G(2, M("b")), G(3, M("c")) };
	struct diff_group b[] = { G(1, M("c")), G(2, M("a", "b")) };

	(void)state;
	check(a, 3, b, 2, 2, "merged 0,1>1", "same 2>0");
}

/* A split and a merge side by side, and one set that is neither. */
static void test_split_merge(void **state)
{
	struct diff_group a[] = { G(0, M("a", "b")), G(1, M("c")),
				  G(2, M("d")) };
	struct diff_group b[] = { G(0, M("a")), G(1, M("b")),
				  G(2, M("c", "d")) };
	/* {a b} {c} -> {a} {b c}: b left a's group for c's */
	struct diff_group x[] = { G(0, M("a", "b")), G(1, M("c")) };
	struct diff_group y[] = { G(0, M("a")), G(1, M("b", "c")) };

	(void)state;
	check(a, 3, b, 3, 2, "split 0>0,1", "merged 1,2>2");
	check(x, 2, y, 2, 3, "paired 0>0", "paired 1>1", "moved b 0>1");
}

static void test_moved(void **state)
{
	/* 1f.3 went from the 1f.x group to the 06:00.x group */
	struct diff_group a[] = { G(10, M("1f.0", "1f.2", "1f.3")),
				  G(14, M("06:00.0", "06:00.1")) };
	struct diff_group b[] = { G(10, M("1f.0", "1f.2")),
				  G(14, M("06:00.0", "06:00.1", "1f.3")) };
	/* a swap: the closer pairs are matched, each mover named once */
	struct diff_group c[] = { G(0, M("a", "b", "c")),
				  G(1, M("d", "e", "f")) };
	struct diff_group d[] = { G(0, M("a", "b", "f")),
				  G(1, M("d", "e", "c")) };

	(void)state;
	check(a, 2, b, 2, 3, "paired 0>0", "paired 1>1", "moved 1f.3 0>1");
	check(c, 2, d, 2, 4, "paired 0>0", "paired 1>1", "moved c 0>1",
	      "moved f 1>0");
}

static void test_new_gone(void **state)
{
	struct diff_group a[] = { G(0, M("x")), G(3, M("03:00.0")),
				  G(4, M("y")) };
	struct diff_group b[] = { G(0, M("x")), G(3, M("y")),
				  G(4, M("05:00.0")) };
	/* members grouped on one side only: the group stays the same */
	struct diff_group c[] = { G(6, M("11.0", "05:01.0", "05:02.0")) };
	struct diff_group d[] = { G(1, M("11.0", "05:02.0", "new")) };

	(void)state;
	check(a, 3, b, 3, 4, "same 0>0", "gone 1>", "same 2>1", "new >2");
	check(a, 3, NULL, 0, 3, "gone 0>", "gone 1>", "gone 2>");
	check(NULL, 0, b, 3, 3, "new >0", "new >1", "new >2");
	check(c, 1, d, 1, 1, "same 0>0");
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
	};

	return cmocka_run_group_tests_name("diff", tests, NULL, NULL);
}
