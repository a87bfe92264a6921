// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: completion's live values (cmd/complete.c) on the
 * captured vtd fixture: what goes at a position comes from the command
 * table (an option's kind or metavariable, a verb's operand mask, its
 * synopsis's first operand, whether that repeats), and the values are the
 * fixture's devices, groups or units that start with the word typed. Every
 * verb of the real table is asked at its first and second operand and
 * after each of its options, so no synopsis can make the parser loop.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../cmd/builtin.h"
#include "private.h"
#include "tree.h"

static struct cmdctx c;

static void count(void *arg, const char *w)
{
	(void)w;
	(*(int *)arg)++;
}

static void collect(void *arg, const char *w)
{
	char *s = arg;

	strcat(s, w);
	strcat(s, " ");
}

/* how many values the words (space-separated, "" last if @blank) get */
static int values(const char *line, bool blank)
{
	char *copy = strdup(line), *argv[16], *save = NULL, *t;
	int argc = 0, n = 0;

	for (t = strtok_r(copy, " ", &save); t && argc < 15;
	     t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	if (blank)
		argv[argc++] = (char *)"";
	complete_values(&c, argc, argv, count, &n);
	free(copy);
	return n;
}

static void test_kinds(void **state)
{
	struct iommuctl_device *d;
	struct iommuctl_group *g;
	int ndev = 0, ngroups = 0, n1f = 0;

	(void)state;
	c.ctx = tree_fixture("vtd");
	iommuctl_device_foreach(c.ctx, d)
	{
		ndev++;
		n1f += !strncmp(iommuctl_device_get_name(d), "0000:00:1f", 10);
	}
	iommuctl_group_foreach(c.ctx, g)
		ngroups++;
	assert_true(ndev > 10 && ngroups > 10 && n1f == 3);
	/* operands: DEVICE, N, N, UNIT, a verb's first operand only */
	assert_int_equal(values("device show", true), ndev);
	/* show takes one operand */
	assert_int_equal(values("device show 0000:00:02.0", true), 0);
	assert_int_equal(values("device show 0000:00:1f", false), n1f);
	assert_int_equal(values("group show", true), ngroups);
	assert_int_equal(values("group show 3", true), 0);
	assert_int_equal(values("group explain", true), ngroups);
	assert_int_equal(values("group explain 3", true), 0);
	assert_int_equal(values("iommu show", true), 2);
	assert_int_equal(values("iommu show d", false), 1);
	assert_int_equal(values("hwinfo", true), ndev); /* the default verb */
	/* after flags, the operand; after an option, its argument */
	assert_int_equal(values("vfio bind --dry-run --force", true), ndev);
	assert_int_equal(values("vfio bind --group", true), ngroups);
	assert_int_equal(values("vfio bind --group 1", true), ndev);
	assert_int_equal(values("pgtable dump --device", true), ndev);
	assert_int_equal(values("vfio sriov --vfs 2", true), ndev);
	assert_int_equal(values("group list --class", true), 0);
	/* session objects: none without a session */
	assert_int_equal(values("ioas show", true), 0);
	/* options, paths, unknown objects: nothing */
	assert_int_equal(values("device show -", false), 0);
	assert_int_equal(values("diff", true), 0);
	assert_int_equal(values("nosuch show", true), 0);
	iommuctl_unref(c.ctx);
	c.ctx = NULL;
}

static void test_values(void **state)
{
	char got[4096] = "";
	char *argv[] = { (char *)"iommu", (char *)"regs", (char *)"" };

	(void)state;
	c.ctx = tree_fixture("vtd");
	complete_values(&c, 3, argv, collect, got);
	assert_string_equal(got, "dmar0 iommufd_selftest_iommu.0 ");
	iommuctl_unref(c.ctx);
	c.ctx = NULL;
}

/* Every verb of the table, at each position: it returns (the synopsis
 * parser ends on every synopsis). */
static void test_whole_table(void **state)
{
	const struct object *const *ob;
	const struct verb *v;
	const struct opt *o;
	char lopt[80];
	int n = 0, asked = 0;

	(void)state;
	c.ctx = tree_fixture("vtd");
	for (ob = iommuctl_objects; *ob; ob++) {
		for (v = (*ob)->verbs; v && v->name; v++) {
			char *a1[] = { (char *)(*ob)->name, (char *)v->name,
				       (char *)"" };
			char *a2[] = { (char *)(*ob)->name, (char *)v->name,
				       (char *)"x", (char *)"" };
			char *a3[] = { (char *)(*ob)->name, (char *)v->name,
				       lopt, (char *)"" };

			complete_values(&c, 3, a1, count, &n);
			complete_values(&c, 4, a2, count, &n);
			asked += 2;
			for (o = v->opts; o && o->lname; o++) {
				snprintf(lopt, sizeof(lopt), "--%s", o->lname);
				complete_values(&c, 4, a3, count, &n);
				asked++;
			}
		}
	}
	assert_true(asked > 100 && n > 0);
	iommuctl_unref(c.ctx);
	c.ctx = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_whole_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
