// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl objects and option: the session's object graph, IOMMU_OPTION. */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

/* ---- objects ------------------------------------------------------------ */

static int objects_run(struct cmdctx *c, void *args UNUSED)
{
	struct json_object *j = json_object_new_object(),
			   *a = json_object_new_array();
	struct iommuctl_obj *o;

	iommuctl_session_foreach(c->sess, o)
		json_object_array_add(a, obj_to_json(o, true));
	jadd(j, "objects", a);
	return cmd_out(c, j);
}

/* Whether @o hangs under @parent (NULL: the top) in the tree: under what
 * it holds a reference on. */
static bool tree_child(struct cmdctx *c, struct json_object *o,
		       struct json_object *parent)
{
	const char *t = jstr(c, o, "type"), *key = "parent";
	struct json_object *ref;

	if (!strcmp(t, "hwpt-paging") || !strcmp(t, "access"))
		key = "ioas";
	else if (!strcmp(t, "device"))
		key = "attached";
	ref = jopt(o, key);
	if (!parent || !ref)
		return !parent && !ref;
	return json_object_is_type(ref, json_type_int) &&
	       json_object_get_int64(ref) ==
		       json_object_get_int64(jopt(parent, "id"));
}

/* A device's doorbell, after its label: where it is mapped */
static void doorbell_text(struct cmdctx *c, struct json_object *d)
{
	const char *w = d ? jstr(c, d, "where") : "";
	struct json_object *win = d ? jopt(d, "window") : NULL;

	if (!strcmp(w, "paging") || !strcmp(w, "nest-parent"))
		printf(", MSI doorbell mapped in %s%s at %s-%s",
		       jstr(c, d, "holder_label"),
		       !strcmp(w, "nest-parent") ? " (nest parent, stage 2)" :
						   "",
		       jstr(c, win, "start"), jstr(c, win, "last"));
	else if (!strcmp(w, "hardware-window"))
		printf(", MSI window %s-%s in hardware (no doorbell mapping)",
		       jstr(c, win, "start"), jstr(c, win, "last"));
	if (d && jopt(d, "stage1"))
		printf("; guest stage 1: %s", jstr(c, d, "stage1"));
}

static void tree_line(struct cmdctx *c, struct json_object *j)
{
	const char *t = jstr(c, j, "type");
	struct json_object *v;

	printf("%s%s%s", color_on(c, "header"), jstr(c, j, "label"),
	       color_off(c));
	if (!strcmp(t, "ioas")) {
		printf("  %s mapping(s), %s bytes",
		       jstr(c, j, "mappings_count"),
		       jstr(c, j, "mapped_bytes"));
	} else if (!strncmp(t, "hwpt", 4)) {
		char *f = json_list_text(jget(c, j, "flags"));

		printf("  %s", t + 5);
		if (json_object_get_boolean(jget(c, j, "auto")))
			printf(", automatic");
		if (f && *f && strcmp(f, "-"))
			printf(", %s", f);
		if ((v = jopt(j, "data_type")))
			printf(", data %s", json_object_get_string(v));
		if ((v = jopt(j, "fault")))
			printf(", faults to fault %s",
			       json_object_get_string(v));
		free(f);
	} else if (!strcmp(t, "device")) {
		printf("  %s%s%s",
		       json_object_get_boolean(jget(c, j, "mock")) ? "mock " :
								     "",
		       json_object_get_string(jget(c, j, "device")) ?: "?",
		       json_object_get_boolean(jopt(j, "emulated")) ?
			       " (emulated: through an iommufd access)" :
			       "");
		doorbell_text(c, jopt(j, "doorbell"));
	} else if ((v = jopt(j, "fd"))) {
		printf("  fd %d", json_object_get_int(v));
	}
	if ((v = jopt(j, "virt_id")))
		printf("  virt id %s", json_object_get_string(v));
	printf("\n");
}

static void tree_print(struct cmdctx *c, struct json_object *a,
		       struct json_object *parent, const char *prefix)
{
	size_t i, n = json_object_array_length(a), last = n;
	char *next;

	for (i = 0; i < n; i++)
		if (tree_child(c, json_object_array_get_idx(a, i), parent))
			last = i;
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(a, i);

		if (!tree_child(c, o, parent))
			continue;
		printf("%s%s", prefix,
		       parent ? (i == last ? "`- " : "|- ") : "");
		tree_line(c, o);
		if (asprintf(&next, "%s%s", prefix,
			     parent ? (i == last ? "   " : "|  ") : "") < 0)
			continue;
		tree_print(c, a, o, next);
		free(next);
	}
}

static void objects_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *a = jget(c, j, "objects");

	if (!json_object_array_length(a))
		printf("no objects in this session\n");
	else
		tree_print(c, a, NULL, "");
}

/* clang-format off */
static const struct verb objects_verbs[] = {
	{ .name = "show",
	  .summary = "the session's objects as a tree (JSON: a list)",
	  .description =
		  "The session's iommufd objects as a tree: each object under what it\n"
		  "holds a reference on (hwpts and accesses under their IOAS, devices\n"
		  "under the hwpt they are attached to, vIOMMU children under the\n"
		  "vIOMMU). The kernel cannot list objects; this is the session's record.\n"
		  "Each device says where its MSI doorbell is mapped: in the paging hwpt\n"
		  "it is attached to, in the nest parent (stage 2) of its nested hwpt,\n"
		  "with what the guest's stage 1 must do (map the window 1:1 through an\n"
		  "IORT RMR), or nowhere (a hardware MSI window, as on x86).\n"
		  "JSON lists every object with its references by id.",
	  .flags = VERB_SESSION, .run = objects_run,
	  .render = &(const struct render){ .text = objects_text } },
	OBJ_DESTROY_VERB(NULL, "any object"),
	{ .name = NULL },
};
/* clang-format on */

const struct object obj_objects = { "objects",
				    "the session's iommufd objects as a tree",
				    objects_verbs, NULL };

/* ---- option ------------------------------------------------------------- */

struct option_args {
	struct objref ioas;
	unsigned int opt; /* set: IOMMUCTL_OPTION_* */
	uint64_t val;
};

static const struct opt show_opts[] = {
	OPT_OBJ("ioas", 0, "IOAS", struct option_args, ioas,
		OBJ_MASK(IOMMUCTL_OBJ_IOAS),
		"also show the huge-pages option of this IOAS"),
	OPT_END,
};

static int option_show_run(struct cmdctx *c, void *args)
{
	struct iommuctl_obj *ioas = ((struct option_args *)args)->ioas.obj;
	struct json_object *j;
	uint64_t v;
	int rc;

	rc = iommuctl_option_get(c->sess, IOMMUCTL_OPTION_RLIMIT_MODE, NULL,
				 &v);
	if (rc < 0)
		return lib_fail(c, rc, "rlimit-mode", "cannot read");
	j = json_object_new_object();
	jadd_str(j, "rlimit_mode", v ? "process" : "user");
	if (ioas) {
		rc = iommuctl_option_get(c->sess, IOMMUCTL_OPTION_HUGE_PAGES,
					 ioas, &v);
		if (rc < 0) {
			json_object_put(j);
			return obj_fail(c, rc, ioas, "cannot read huge-pages");
		}
		jadd_int(j, "ioas", iommuctl_obj_get_id(ioas));
		jadd_bool(j, "huge_pages", v);
	}
	return cmd_out(c, j);
}

static const struct column option_fields[] = {
	{ "rlimit-mode", "rlimit_mode", 0 },
	{ "IOAS", "ioas", 0 },
	{ "huge-pages", "huge_pages", 0 },
	{ NULL, NULL, 0 },
};

static const struct opt set_opts[] = {
	OPT_OBJ("ioas", 0, "IOAS", struct option_args, ioas,
		OBJ_MASK(IOMMUCTL_OBJ_IOAS), "the IOAS, for huge-pages"),
	OPT_END,
};

/* Which option, which value: "rlimit-mode process", "huge-pages on". */
static int option_set_check(struct cmdctx *c, void *args)
{
	struct option_args *a = args;
	const char *name = c->argv[0], *val = c->argv[1];

	if (!strcmp(name, "rlimit-mode")) {
		a->opt = IOMMUCTL_OPTION_RLIMIT_MODE;
		a->val = !strcmp(val, "process");
		if (!a->val && strcmp(val, "user"))
			return cmd_usage(c,
					 "rlimit-mode is 'user' or 'process'");
		if (a->ioas.ref)
			return cmd_usage(
				c,
				"rlimit-mode belongs to the session, not an IOAS");
		return 0;
	}
	if (!strcmp(name, "huge-pages")) {
		a->opt = IOMMUCTL_OPTION_HUGE_PAGES;
		a->val = !strcmp(val, "on");
		if (!a->val && strcmp(val, "off"))
			return cmd_usage(c, "huge-pages is 'on' or 'off'");
		if (!a->ioas.ref)
			return cmd_usage(c, "huge-pages needs --ioas");
		return 0;
	}
	return cmd_usage(c, "unknown option '%s' (rlimit-mode, huge-pages)",
			 name);
}

static int option_set_run(struct cmdctx *c, void *args)
{
	const struct option_args *a = args;
	struct json_object *j;
	int rc = iommuctl_option_set(c->sess, a->opt, a->ioas.obj, a->val);

	if (rc < 0)
		return lib_fail(c, rc, c->argv[0], "cannot set");
	j = json_object_new_object();
	jadd_str(j, "option", c->argv[0]);
	jadd_str(j, "value", c->argv[1]);
	return cmd_out(c, j);
}

/* clang-format off */
static const struct verb option_verbs[] = {
	{ .name = "show", .summary = "show IOMMU_OPTION values",
	  .synopsis = "[--ioas IOAS]",
	  .description =
		  "Show IOMMU_OPTION values: rlimit-mode (how pinned pages are charged:\n"
		  "'user' to the user's RLIMIT_MEMLOCK, 'process' to the process) and,\n"
		  "with --ioas, huge-pages (whether the IOAS may use large IOPTEs).",
	  .opts = show_opts, .args_size = sizeof(struct option_args),
	  .flags = VERB_SESSION, .run = option_show_run,
	  .render = &(const struct render){ .fields = option_fields } },
	{ .name = "set", .summary = "set rlimit-mode or an IOAS's huge-pages",
	  .synopsis = "rlimit-mode user|process | huge-pages on|off --ioas IOAS",
	  .description =
		  "Set an IOMMU_OPTION. rlimit-mode needs CAP_SYS_RESOURCE and a session\n"
		  "without objects (set it first); huge-pages is per IOAS.",
	  .opts = set_opts, .args_size = sizeof(struct option_args),
	  .min_args = 2, .max_args = 2, .need = "give an option and a value",
	  .flags = VERB_SESSION, .check = option_set_check,
	  .run = option_set_run, .render = &quiet_render },
	{ .name = NULL },
};
/* clang-format on */

const struct object obj_option = {
	"option", "iommufd options: page accounting, huge pages", option_verbs,
	NULL
};
