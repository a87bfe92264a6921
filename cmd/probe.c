// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl probe: which iommufd commands this kernel has, found by asking. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "builtin.h"

static const struct opt no_opts[] = { { NULL, 0, NULL, NULL } };

static const struct verb_help probe_help = {
	.synopsis = "",
	.description = "Ask /dev/iommu which iommufd commands this kernel implements: each\n"
		       "is issued with zeroed arguments on a fresh file descriptor, and only\n"
		       "ENOTTY means absent. Never decided from the kernel version. Needs the\n"
		       "live system (not --root) and access to /dev/iommu.",
	.opts = no_opts,
};

static const struct column probe_cols[] = {
	{ "COMMAND", "name", 0 }, { "NR", "nr", 0 },
	{ "SINCE", "since", 0 },  { "PRESENT", "present", 0 },
	{ NULL, NULL, 0 },
};

static int do_probe(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_ioctl_probe res[IOMMUCTL_NUM_IOMMUFD_CMDS];
	struct json_object *j, *a;
	size_t n = IOMMUCTL_NUM_IOMMUFD_CMDS, i;
	struct optparse p;
	int rc;

	rc = optparse_operands(&p, c, argc, argv, &probe_help);
	if (rc >= 0)
		return rc;
	if (p.argc > 0)
		return cmd_usage_error(c, "unexpected argument '%s'", p.argv[0]);
	rc = iommuctl_iommufd_probe_ioctls(c->ctx, res, &n);
	if (rc == -EOPNOTSUPP)
		return cmd_error_on(c, c->object, EXIT_UNAVAILABLE, EOPNOTSUPP,
				    "probing asks the running kernel: not possible with --root");
	if (rc == -ENOENT)
		return cmd_error_on(c, "/dev/iommu", EXIT_UNAVAILABLE, ENOENT,
				    "does not exist: the kernel lacks CONFIG_IOMMUFD or the iommufd module is not loaded");
	if (rc < 0)
		return cmd_error(c, EXIT_FAILED, rc, "opening /dev/iommu");
	j = json_object_new_object();
	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();
		char nr[8];

		snprintf(nr, sizeof(nr), "0x%02x", res[i].nr);
		json_object_object_add(o, "name", json_object_new_string(res[i].name));
		json_object_object_add(o, "nr", json_object_new_string(nr));
		json_object_object_add(o, "since", json_object_new_string(res[i].since));
		json_object_object_add(o, "present", json_object_new_boolean(res[i].present));
		json_object_object_add(o, "answer", json_object_new_string(
			res[i].answer ? strerrorname_np(res[i].answer) ?: "?" : "ok"));
		json_object_array_add(a, o);
	}
	json_object_object_add(j, "ioctls", a);
	if (c->json)
		json_print(c, j);
	else
		table_print(stdout, a, probe_cols, "");
	json_object_put(j);
	return EXIT_OK;
}

static const struct cmd probe_cmds[] = {
	{ "show", do_probe, "which iommufd commands this kernel has" },
	{ NULL, NULL, NULL },
};

int cmd_probe(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(probe_cmds, argc, argv, c);
}
