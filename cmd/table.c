// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* The object table: every object of iommuctl, and 'help'. */
#include <errno.h>

#include "builtin.h"

/* The global options, before the object word: the same parser as verbs */
static const struct opt global_opts[] = {
	OPT_STR("root", 0, "DIR", struct global_args, root,
		"read a captured tree or report bundle instead of /"),
	OPT_COUNT("verbose", 'v', struct global_args, verbose,
		  "more library diagnostics on stderr (repeatable)"),
	OPT_STR("color", 0, "WHEN", struct global_args, color,
		"colour tables: auto (default), always, never"),
	OPT_STR("colour", 0, "WHEN", struct global_args, color, NULL), /* unlisted */
	OPT_BOOL("version", 0, struct global_args, version, "print the version"),
	OPT_BOOL("list-cmds", 0, struct global_args, list_cmds,
		 "list the objects (for completions)"),
	/* unlisted (no help text): the completion scripts' own */
	OPT_BOOL("complete", 0, struct global_args, complete, NULL),
	OPT_END,
};

const struct verb global_verb = {
	.name = "", .opts = global_opts, .flags = VERB_STOP_AT_OPERAND,
};

void usage(FILE *f)
{
	const struct object *const *o;

	fprintf(f, "usage: iommuctl [OPTIONS] OBJECT [VERB] [ARGS]\n\nObjects:\n");
	for (o = iommuctl_objects; *o; o++)
		fprintf(f, "  %-10s %s\n", (*o)->name, (*o)->summary);
	fprintf(f, "\nOptions:\n");
	opt_help(f, "-j, ", "--json", NULL, "JSON output (errors too, on stdout)", 18);
	opt_help(f, "-p, ", "--pretty", NULL, "indented JSON (implies --json)", 18);
	opts_help(f, global_opts, 18);
	opt_help(f, "-h, ", "--help", NULL, "show this help", 18);
	fprintf(f, "\nRun 'iommuctl OBJECT help' for an object's verbs.\n"
		   "Exit codes: 0 ok, 1 failed, 2 usage, 3 not available on this system.\n");
}

const struct object obj_dev = { "dev", "alias of device", NULL, "device" };

/* "iommuctl help [OBJECT [VERB]]" */
static int help_run(struct cmdctx *c, void *args UNUSED)
{
	const struct object *o = &obj_help;
	int rc = c->argc ? object_lookup(c, c->argv[0], &o) : 0;

	if (rc < 0)
		return rc;
	if (o == &obj_help) {
		usage(stdout);
		return 0;
	}
	c->object = o->name;
	return help_command(c, o, c->argc - 1, c->argv + 1);
}

static const struct verb help_verbs[] = {
	{ .name = "show", .summary = "show help for iommuctl, an object or a verb",
	  .synopsis = "[OBJECT [VERB]]", .max_args = 2, .run = help_run,
	  .flags = VERB_OPERAND_FIRST },
	{ .name = NULL },
};
const struct object obj_help = { "help", "show help for iommuctl or an object",
				 help_verbs, NULL };

const struct object *const iommuctl_objects[] = {
	&obj_status, &obj_iommu,  &obj_group,	&obj_device,  &obj_dev, &obj_topo,
	&obj_resv,   &obj_msi,	  &obj_diff,	&obj_pgtable, &obj_probe,
	&obj_vfio,   &obj_report, &obj_hwinfo,	&obj_exec,    &obj_ioas,
	&obj_access, &obj_objects, &obj_option, &obj_hwpt,    &obj_fault,
	&obj_viommu, &obj_vdevice, &obj_veventq, &obj_hwqueue, &obj_batch,
	&obj_shell,  &obj_metrics, &obj_nfd, &obj_monitor, &obj_help,
	NULL,
};

