// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: iommuctl_topo_build() (lib/topo.c) on the captured
 * vtd fixture, whose QEMU machine is known: a root port with ACS above a
 * switch whose downstream ports have none, a PCIe-to-PCI bridge, a
 * multifunction endpoint below a second root port. Each function is below
 * the bridge its sysfs path names, in address order; path isolation ends
 * at the first bridge that does not isolate; every group starts once, at
 * its first function in the tree; reasons are the grouping analysis's.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "private.h"
#include "tree.h"

static struct iommuctl_topo_node *find(struct iommuctl_topo *t, const char *n)
{
	size_t i;

	for (i = 0; i < t->n_nodes; i++)
		if (!strcmp(iommuctl_device_get_name(t->nodes[i].dev), n))
			return &t->nodes[i];
	fail_msg("no node %s", n);
	return NULL;
}

static void test_vtd_tree(void **state)
{
	struct iommuctl_ctx *ctx = tree_fixture("vtd");
	struct iommuctl_topo *t = NULL;
	struct iommuctl_topo_node *rp, *up, *dn, *ep, *pb, *mf1;
	struct iommuctl_group *g;
	struct iommuctl_device *d;
	size_t i, npci = 0, starts = 0, ngroups = 0;

	(void)state;
	iommuctl_set_log_fn(ctx, tree_quiet_log);
	assert_int_equal(iommuctl_topo_build(ctx, &t), 0);
	iommuctl_device_foreach(ctx, d) npci += iommuctl_device_is_pci(d);
	iommuctl_group_foreach(ctx, g)
		ngroups++;
	assert_int_equal(t->n_nodes, npci);
	assert_int_equal(t->n_buses, 1);
	assert_string_equal(t->buses[0].name, "0000:00");
	for (i = 1; i < t->buses[0].n_roots; i++)
		assert_true(strcmp(iommuctl_device_get_name(
					   t->buses[0].roots[i - 1]->dev),
				   iommuctl_device_get_name(
					   t->buses[0].roots[i]->dev)) < 0);
	for (i = 0; i < t->n_nodes; i++)
		starts += t->nodes[i].group_start;
	assert_int_equal(starts, ngroups);

	rp = find(t, "0000:00:10.0");
	up = find(t, "0000:01:00.0");
	dn = find(t, "0000:02:00.0");
	ep = find(t, "0000:03:00.0");
	assert_null(rp->parent);
	assert_ptr_equal(up->parent, rp);
	assert_ptr_equal(dn->parent, up);
	assert_ptr_equal(ep->parent, dn);
	assert_int_equal(ep->depth, 3);
	assert_int_equal(rp->acs, IOMMUCTL_ACS_ENABLED);
	assert_int_equal(dn->acs, IOMMUCTL_ACS_MISSING);
	assert_true(rp->path_isolated && up->path_isolated);
	assert_false(dn->path_isolated || ep->path_isolated);
	/* the endpoint shares the downstream port's group, which starts there */
	assert_int_equal(ep->group, dn->group);
	assert_true(dn->group_start);
	assert_false(ep->group_start);
	assert_int_equal(ep->why, IOMMUCTL_WHY_UPSTREAM_ACS);
	assert_ptr_equal(ep->via, dn->dev);
	assert_int_equal(ep->group_size, 2);
	/* behind the PCIe-to-PCI bridge: its requester ID, its group */
	pb = find(t, "0000:00:11.0");
	assert_int_equal(pb->acs, IOMMUCTL_ACS_NEVER);
	assert_int_equal(pb->n_children, 2);
	assert_int_equal(pb->children[0]->why, IOMMUCTL_WHY_BRIDGE_ALIAS);
	assert_false(pb->children[1]->path_isolated);
	/* the second function of a multifunction device without ACS */
	mf1 = find(t, "0000:06:00.1");
	assert_int_equal(mf1->why, IOMMUCTL_WHY_MULTIFUNCTION);
	assert_int_equal(mf1->group, find(t, "0000:06:00.0")->group);
	assert_int_equal(t->n_other, 0);
	iommuctl_topo_free(t);
	assert_int_equal(iommuctl_topo_build(NULL, &t), -EINVAL);
	iommuctl_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vtd_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
