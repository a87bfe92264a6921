// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* The object table: every object of iommuctl, and 'help'. */
#include <errno.h>

#include "builtin.h"

void usage(FILE *f)
{
	const struct object *const *o;

	fprintf(f,
		"usage: iommuctl [OPTIONS] OBJECT [VERB] [ARGS]\n"
		"\n"
		"Objects:\n");
	for (o = iommuctl_objects; *o; o++)
		fprintf(f, "  %-10s %s\n", (*o)->name, (*o)->summary);
	fprintf(f,
		"\n"
		"Options:\n"
		"  -j, --json          JSON output (errors too, on stdout)\n"
		"  -p, --pretty        indented JSON (implies --json)\n"
		"      --root DIR      read a captured tree or report bundle instead of /\n"
		"  -v, --verbose       more library diagnostics on stderr (repeatable)\n"
		"      --color WHEN    colour tables: auto (default), always, never\n"
		"      --version       print the version\n"
		"      --list-cmds     list the objects (for completions)\n"
		"  -h, --help          show this help\n"
		"\n"
		"Run 'iommuctl OBJECT help' for an object's verbs.\n"
		"Exit codes: 0 ok, 1 failed, 2 usage, 3 not available on this system.\n");
}

const struct object obj_dev = { "dev", "alias of device", NULL, "device" };

/* "iommuctl help [OBJECT [VERB]]" */
static int help_run(struct cmdctx *c, void *args UNUSED)
{
	const struct object *o;

	if (c->argc < 1) {
		usage(stdout);
		return 0;
	}
	o = object_find(c->argv[0]);
	if (!o) {
		size_t n;
		const char *const *names = object_names(&n);
		const char *hint = did_you_mean(c->argv[0], names, n);

		c->object = NULL;
		return hint ? cmd_usage(c, "unknown object '%s'; did you mean '%s'?",
					c->argv[0], hint) :
			      cmd_usage(c, "unknown object '%s'", c->argv[0]);
	}
	if (o == &obj_help) {
		usage(stdout);
		return 0;
	}
	if (o->alias_of)
		o = object_find(o->alias_of);
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
	&obj_status, &obj_iommu,  &obj_group,	&obj_device,  &obj_dev,
	&obj_resv,   &obj_msi,	  &obj_diff,	&obj_pgtable, &obj_probe,
	&obj_vfio,   &obj_report, &obj_hwinfo,	&obj_exec,    &obj_ioas,
	&obj_access, &obj_objects, &obj_option, &obj_hwpt,    &obj_fault,
	&obj_viommu, &obj_vdevice, &obj_veventq, &obj_hwqueue, &obj_batch,
	&obj_shell,  &obj_help,	  NULL,
};

