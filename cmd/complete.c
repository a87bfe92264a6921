// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Live values for shell completion: "iommuctl --complete -- WORDS..." (an
 * unlisted global option) prints, one per line, the values the last word
 * of a command line may take where the command table says what goes
 * there: PCI devices, IOMMU group numbers, IOMMU unit names, and (in the
 * interactive shell, whose session holds them) session objects of the
 * types the verb takes. WORDS are the command line after "iommuctl", the
 * word being completed last; a --root among them is honoured. Objects,
 * verbs, options and paths stay with --list-cmds, --list-opts and
 * --list-paths; this only adds what only the system being looked at knows.
 * What goes where comes from the tables: an option's kind (OPT_OBJ with its
 * type mask, OPT_DEV) or metavariable (DEVICE, BDF, UNIT, "--group N"), a
 * verb's .operand mask, else its synopsis's first operand (DEVICE, BDF,
 * PF, PARENT, UNIT, a group verb's N).
 */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

/* The kind of value that goes at a position */
enum cval { CV_NONE, CV_DEVICE, CV_GROUP, CV_UNIT, CV_OBJ };

static enum cval metavar_kind(const struct object *ob, const char *mv,
			      size_t len)
{
	static const char *const devs[] = { "DEVICE", "BDF", "PF", "PARENT" };
	size_t i;

	for (i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
		if (strlen(devs[i]) == len && !strncmp(mv, devs[i], len))
			return CV_DEVICE;
	if (len == 4 && !strncmp(mv, "UNIT", 4))
		return CV_UNIT;
	if ((len == 5 && !strncmp(mv, "GROUP", 5)) ||
	    (len == 1 && *mv == 'N' && !strcmp(ob->name, "group")))
		return CV_GROUP;
	return CV_NONE;
}

static enum cval opt_kind(const struct object *ob, const struct opt *o,
			  unsigned int *mask)
{
	if (o->kind == OPT_KIND_OBJ) {
		*mask = (unsigned int)o->val;
		return CV_OBJ;
	}
	if (o->kind == OPT_KIND_DEV)
		return CV_DEVICE;
	if (!o->arg)
		return CV_NONE;
	if (!strcmp(o->lname, "group"))
		return CV_GROUP;
	return metavar_kind(ob, o->arg, strcspn(o->arg, "|"));
}

static const struct opt *find_opt(const struct verb *v, const char *w,
				  size_t len);

/* The first operand of the synopsis: its kind, and whether it repeats. */
static enum cval operand_kind(const struct object *ob, const struct verb *v,
			      bool *repeats)
{
	const char *s = v->synopsis, *w;
	const struct opt *o;
	bool arg_next = false;
	size_t len, mv;

	*repeats = false;
	while (s && *s) {
		s += strspn(s, " \t\n[]()|.");
		w = s;
		len = strcspn(s, " \t\n[]()|");
		s += len;
		if (!len)
			continue;
		if (w[0] == '-') { /* an option: its argument follows */
			o = find_opt(v, w, len);
			arg_next = o && o->arg;
			continue;
		}
		if (arg_next) {
			arg_next = false;
			continue;
		}
		if (w[0] < 'A' || w[0] > 'Z') /* "rlimit-mode user|process" */
			return CV_NONE;
		mv = strcspn(w, ".");
		*repeats = mv < len || !strncmp(s, "]...", 4) ||
			   !strncmp(s, "|", 1);
		return metavar_kind(ob, w, mv < len ? mv : len);
	}
	return CV_NONE;
}

static const struct verb *find_verb(const struct object *ob, const char *w)
{
	const struct verb *v;

	for (v = ob->verbs; v->name; v++)
		if (!strcmp(v->name, w))
			return v;
	return NULL;
}

/* The option @w (@len bytes: "--name" or "-n") of @v */
static const struct opt *find_opt(const struct verb *v, const char *w,
				  size_t len)
{
	const struct opt *o;

	for (o = v->opts; len > 1 && w[0] == '-' && o && o->lname; o++) {
		if (w[1] == '-' ? strlen(o->lname) == len - 2 &&
					  !strncmp(w + 2, o->lname, len - 2) :
				  (o->sname && w[1] == o->sname && len == 2))
			return o;
	}
	return NULL;
}

int complete_values(struct cmdctx *c, int argc, char **argv,
		    void (*add)(void *arg, const char *word), void *arg)
{
	const struct object *ob;
	const struct verb *v;
	const struct opt *o = NULL;
	const char *cur = argc ? argv[argc - 1] : "";
	enum cval kind = CV_NONE;
	unsigned int mask = OBJ_ANY;
	int i = 0, operands = 0;
	bool repeats;
	size_t len = strlen(cur);
	char num[16];

	if (argc < 2 || !(ob = object_find(argv[0])) || !ob->verbs)
		return 0;
	v = ob->verbs;
	i = 1;
	if (find_verb(ob, argv[1]) && argc > 2)
		v = find_verb(ob, argv[i++]);
	for (; i < argc - 1; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		o = find_opt(v, argv[i], strlen(argv[i]));
		if (o && o->arg) {
			if (i + 1 == argc - 1)
				break; /* cur is its argument */
			i++;
			o = NULL;
		} else if (argv[i][0] != '-') {
			operands++;
		}
		o = NULL;
	}
	if (o && o->arg) {
		kind = opt_kind(ob, o, &mask);
	} else if (cur[0] == '-') {
		return 0;
	} else if (v->operand) {
		kind = operands == 0 ? CV_OBJ : CV_NONE;
		mask = v->operand;
	} else {
		kind = operand_kind(ob, v, &repeats);
		if (operands > 0 && !repeats)
			kind = CV_NONE;
	}
	switch (kind) {
	case CV_DEVICE: {
		struct iommuctl_device *d;

		iommuctl_device_foreach(
			c->ctx,
			d) if (!strncmp(iommuctl_device_get_name(d), cur, len))
			add(arg, iommuctl_device_get_name(d));
		break;
	}
	case CV_GROUP: {
		struct iommuctl_group *g;

		iommuctl_group_foreach(c->ctx, g) {
			snprintf(num, sizeof(num), "%u",
				 iommuctl_group_get_id(g));
			if (!strncmp(num, cur, len))
				add(arg, num);
		}
		break;
	}
	case CV_UNIT: {
		struct iommuctl_iommu *u;

		iommuctl_iommu_foreach(c->ctx, u)
			if (!strncmp(iommuctl_iommu_get_name(u), cur, len))
				add(arg, iommuctl_iommu_get_name(u));
		break;
	}
	case CV_OBJ:
		for (__auto_type x = c->sess ? iommuctl_session_first(c->sess) :
					       NULL;
		     x; x = iommuctl_obj_next(x)) {
			if (!(mask & OBJ_MASK(iommuctl_obj_get_type(x))))
				continue;
			snprintf(num, sizeof(num), "%u",
				 (unsigned int)iommuctl_obj_get_id(x));
			if (iommuctl_obj_get_id(x) && !strncmp(num, cur, len))
				add(arg, num);
			if (iommuctl_obj_get_name(x) &&
			    !strncmp(iommuctl_obj_get_name(x), cur, len))
				add(arg, iommuctl_obj_get_name(x));
		}
		break;
	case CV_NONE:
		break;
	}
	return 1;
}

static void print_word(void *arg UNUSED, const char *w)
{
	printf("%s\n", w);
}

static void log_nothing(struct iommuctl_ctx *ctx UNUSED, int priority UNUSED,
			const char *file UNUSED, int line UNUSED,
			const char *fn UNUSED, const char *format UNUSED,
			va_list args UNUSED)
{
}

int complete_main(int argc, char **argv)
{
	struct cmdctx c = { 0 };
	const char *root = NULL;
	int i;

	/* the global options of the line being completed */
	for (i = 0; i < argc - 1 && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--root"))
			root = argv[++i];
		else if (!strncmp(argv[i], "--root=", 7))
			root = argv[i] + 7;
		else if (!strcmp(argv[i], "--color") ||
			 !strcmp(argv[i], "--colour"))
			i++;
	}
	if (i >= argc - 1 || iommuctl_new(&c.ctx) < 0)
		return EXIT_OK;
	iommuctl_set_log_fn(c.ctx, log_nothing);
	if (!root || iommuctl_set_root(c.ctx, root) == 0)
		complete_values(&c, argc - i, argv + i, print_word, NULL);
	iommuctl_unref(c.ctx);
	return EXIT_OK;
}
