// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * The dispatcher: finds the object and verb in the command table, parses
 * the options into the verb's argument struct, checks operands, opens the
 * session and resolves object references, runs the handler, and prints
 * its result (JSON, or text rendered from the JSON) or its error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

/* ---- errors ------------------------------------------------------------- */

int cmd_record(struct cmdctx *c, const char *what, int code, int err,
	       bool reason, const char *fmt, ...)
{
	char *msg = NULL, *full = NULL;
	va_list ap;

	err = err < 0 ? -err : err;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	reason = reason && err;
	if (asprintf(&full, "%s%s%s%s%s", what ? what : "", what ? ": " : "",
		     msg ? msg : "error", reason ? ": " : "",
		     reason ? strerror(err) : "") < 0)
		full = NULL;
	free(msg);
	if (c->err.msg) {
		/* the first error is the cause; later ones follow from it */
		free(full);
	} else {
		c->err.msg = full ? full : strdup("out of memory");
		c->err.err = err;
		c->err.code = code;
		c->err.trouble = false;
	}
	return -(err ? err : EIO);
}

int cmd_out(struct cmdctx *c, struct json_object *j)
{
	json_object_put(c->out);
	c->out = j;
	return 0;
}

/* {"error": ..., "errno": N} added to @j */
static void add_error(struct cmdctx *c, struct json_object *j)
{
	jadd_str(j, "error", c->err.msg);
	jadd_int(j, "errno", c->err.err);
}

int cmd_fail_beside(struct cmdctx *c)
{
	int code = c->err.code;

	add_error(c, c->out);
	fprintf(stderr, "iommuctl: %s\n", c->err.msg);
	free(c->err.msg);
	c->err.msg = NULL;
	return CMD_STATUS(code);
}

int cmd_finish(struct cmdctx *c, int rc)
{
	int code;

	if (rc >= 0)
		return rc;
	if (CMD_IS_STATUS(rc))
		return -rc - 0x10000;
	if (!c->err.msg) /* a handler that said nothing: its errno */
		cmd_fail(c, rc == -ENOTTY ? EXIT_UNAVAILABLE : EXIT_FAILED, rc,
			 "%s", c->verb && *c->verb ? c->verb : "failed");
	fflush(stdout);
	fprintf(stderr, "iommuctl: %s\n", c->err.msg);
	if (c->json && !c->keep_out) {
		struct json_object *j = json_object_new_object();

		add_error(c, j);
		json_print(c, j);
		json_object_put(j);
	}
	code = c->err.code;
	if (code == EXIT_USAGE && !c->err.trouble)
		/* inside batch or shell a line is written without 'iommuctl' */
		fprintf(stderr, "Try '%s%s%s%s%s%s'.\n",
			c->in_session ? "help" : "iommuctl",
			c->object ? " " : "", c->object ?: "",
			c->verb && *c->verb ? " " : "",
			c->verb && *c->verb ? c->verb : "",
			c->in_session ? "" : " --help");
	if (!c->keep_out) {
		free(c->err.msg);
		c->err.msg = NULL;
		c->err.trouble = false;
	}
	return code;
}

/* ---- the table ---------------------------------------------------------- */

/* The object named @name, or the one object whose name it begins (as ip
 * takes "ip a"): "st" is status; "d" is device, dev or diff, none. */
const struct object *object_find(const char *name)
{
	const struct object *const *o, *found = NULL, *t;

	for (o = iommuctl_objects; *o; o++)
		if ((*o)->name[0] == name[0] && !strcmp((*o)->name, name))
			return (*o)->alias_of ? object_find((*o)->alias_of) :
						*o;
	for (o = iommuctl_objects; *name && *o; o++) {
		if (strncmp((*o)->name, name, strlen(name)))
			continue;
		t = (*o)->alias_of ? object_find((*o)->alias_of) : *o;
		if (found && found != t)
			return NULL; /* ambiguous */
		found = t;
	}
	return found;
}

/* The verb @name of @o: "ls" is list; with @prefix also the one verb whose
 * name it begins. */
static const struct verb *verb_find(const struct object *o, const char *name,
				    bool prefix)
{
	const struct verb *v, *found = NULL;

	for (v = o->verbs; v->name; v++)
		if (v->name[0] == name[0] && !strcmp(v->name, name))
			return v;
	if (!strcmp(name, "ls"))
		return verb_find(o, "list", false);
	for (v = o->verbs; prefix && *name && v->name; v++) {
		if (strncmp(v->name, name, strlen(name)))
			continue;
		if (found)
			return NULL; /* ambiguous */
		found = v;
	}
	return found;
}

/* "unknown KIND 'WORD'; did you mean 'NAME'?" (a usage error) */
static int unknown_word(struct cmdctx *c, const char *kind, const char *word,
			const char *const *names, size_t n)
{
	const char *hint = did_you_mean(word, names, n);

	if (hint)
		return cmd_usage(c, "unknown %s '%s'; did you mean '%s'?", kind,
				 word, hint);
	return cmd_usage(c, "unknown %s '%s'", kind, word);
}

static int object_unknown(struct cmdctx *c, const char *word)
{
	const char *names[64];
	size_t n;

	char amb[256] = "";
	size_t k;

	for (n = 0; iommuctl_objects[n] && n < 64; n++)
		names[n] = iommuctl_objects[n]->name;
	c->object = NULL;
	for (k = 0; *word && k < n; k++)
		if (!strncmp(names[k], word, strlen(word)) &&
		    !iommuctl_objects[k]->alias_of)
			snprintf(amb + strlen(amb), sizeof(amb) - strlen(amb),
				 "%s%s", *amb ? ", " : "", names[k]);
	if (strchr(amb, ','))
		return cmd_usage(c, "'%s' is short for more than one object: %s",
				 word, amb);
	return unknown_word(c, "object", word, names, n);
}

int object_lookup(struct cmdctx *c, const char *word, const struct object **ob)
{
	*ob = object_find(word);
	return *ob ? 0 : object_unknown(c, word);
}

/* The options every verb has (builtin_opt()), for help and completion. */
static const struct opt builtin_opts[] = {
	{ .lname = "json",
	  .sname = 'j',
	  .help = "JSON output (also a global option)" },
	{ .lname = "pretty",
	  .sname = 'p',
	  .help = "indented JSON (also a global option)" },
	{ .lname = "no-headers", .help = "tables without their header row" },
	{ .lname = "help", .sname = 'h', .help = "show this help" },
	OPT_END,
};

/* The verbs of @ob and "help", or (@v not NULL) the options of @v and the
 * built-in ones: what completion offers, --list-cmds and --list-opts print. */
static const char **verb_words(const struct object *ob, const struct verb *v)
{
	const char **w = calloc(96, sizeof(*w));
	const struct verb *p;
	const struct opt *o;
	size_t n = 0;

	if (!w)
		return NULL;
	if (!v) {
		for (p = ob->verbs; p->name && n < 94; p++)
			w[n++] = p->name;
		w[n++] = "help";
		return w;
	}
	for (o = v->opts; o && o->lname && n < 90; o++)
		w[n++] = o->lname;
	for (o = builtin_opts; o->lname; o++)
		w[n++] = o->lname;
	return w;
}

static void print_words(const char *prefix, const char **w)
{
	const char **p;

	for (p = w; p && *p; p++)
		printf("%s%s\n", prefix, *p);
	free(w);
}

/* ---- help ----------------------------------------------------------------- */

static bool path_arg(const struct opt *o)
{
	return o->arg && (!strcmp(o->arg, "FILE") || !strcmp(o->arg, "DIR"));
}

void opt_help(FILE *f, const char *s, const char *l, const char *arg,
	      const char *help, int width)
{
	char left[80];

	snprintf(left, sizeof(left), "%s%s%s%s", s ? s : "    ", l,
		 arg ? " " : "", arg ? arg : "");
	/* a name that fills its column: the help on a line of its own */
	if (strlen(left) >= (size_t)width)
		fprintf(f, "  %s\n  %-*s  ", left, width, "");
	else
		fprintf(f, "  %-*s  ", width, left);
	wrap_text(f, help, width + 4, width + 4, false);
	fputc('\n', f);
}

void opts_help(FILE *f, const struct opt *o, int width)
{
	char s[8], l[64];

	for (; o && o->lname; o++) {
		if (!o->help)
			continue;
		snprintf(s, sizeof(s), "-%c, ", o->sname);
		snprintf(l, sizeof(l), "--%s", o->lname);
		opt_help(f, o->sname ? s : NULL, l, o->arg, o->help, width);
	}
}

/* A description as written (lines of at most 72 columns), or re-flowed
 * when the terminal is narrower than one of its lines. */
static void text_fit(FILE *f, const char *text)
{
	const char *p;
	size_t n;

	for (p = text; *p; p += n + (p[n] == '\n')) {
		n = strcspn(p, "\n");
		if ((int)n > out_width())
			break;
	}
	if (!*p)
		fprintf(f, "\n%s\n", text);
	else if (fputc('\n', f) != EOF && wrap_text(f, text, 0, 0, false) >= 0)
		fputc('\n', f);
}

static void verb_help(FILE *f, const struct object *ob, const struct verb *v)
{
	bool syn = v->synopsis && *v->synopsis;
	int col = fprintf(f, "usage: iommuctl %s%s%s%s", ob->name,
			  v->name[0] ? " " : "", v->name, syn ? " " : "");

	/* the synopsis wrapped under its first word (or 8 columns in) */
	if (syn)
		wrap_text(f, v->synopsis, col, col > 40 ? 8 : col, true);
	fputc('\n', f);
	if (v->description)
		text_fit(f, v->description);
	fprintf(f, "\nOptions:\n");
	opts_help(f, v->opts, 24);
	opts_help(f, builtin_opts, 24);
	fprintf(f,
		"\nGlobal options (--root, -v, --color) go before the object.\n");
}

static void object_help(FILE *f, const struct object *ob)
{
	const struct verb *v;

	char *syn = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&syn, &len);
	int col = fprintf(f, "usage: iommuctl %s ", ob->name);

	for (v = ob->verbs; m && v->name; v++)
		fprintf(m, "%s%s", v == ob->verbs ? "{ " : " | ", v->name);
	if (m)
		fputs(" | help } [ARGS]", m);
	if (m && !fclose(m))
		wrap_text(f, syn, col, col, true);
	free(syn);
	fputs("\n\n", f);
	for (v = ob->verbs; v->name; v++) {
		fprintf(f, "  %-12s ", v->name);
		wrap_text(f, v->summary, 15, 15, false);
		fprintf(f, "%s\n", v == ob->verbs ? " (default)" : "");
	}
	fprintf(f, "\nRun 'iommuctl %s VERB --help' for a verb's options.\n",
		ob->name);
}

/* "unknown command 'WORD'", naming the verbs of @ob (and "help") */
static int unknown_verb(struct cmdctx *c, const struct object *ob,
			const char *word, bool help)
{
	const char *names[32];
	const struct verb *v;
	size_t n = 0;

	for (v = ob->verbs; v->name && n < 30; v++)
		names[n++] = v->name;
	if (help)
		names[n++] = "help";
	return unknown_word(c, "command", word, names, n);
}

/* "iommuctl help [OBJECT [VERB]]" and "iommuctl OBJECT help [VERB]". */
int help_command(struct cmdctx *c, const struct object *ob, int argc,
		 char **argv)
{
	const struct verb *v;

	if (argc < 1) {
		if (!ob->verbs[1].name)
			verb_help(stdout, ob, ob->verbs);
		else
			object_help(stdout, ob);
		return 0;
	}
	v = verb_find(ob, argv[0], true);
	if (!v)
		return unknown_verb(c, ob, argv[0], false);
	verb_help(stdout, ob, v);
	return 0;
}

/* ---- parsing -------------------------------------------------------------- */

static void *field(void *args, const struct opt *o)
{
	return (char *)args + o->off;
}

int parse_number(struct cmdctx *c, const char *opt, const char *text,
		 uint64_t max, uint64_t *v)
{
	unsigned long long x;
	char *end;

	errno = 0;
	if (!text || !*text || *text == '-' || *text == '+' || *text == ' ')
		goto bad;
	x = strtoull(text, &end, 0);
	if (errno || *end || x > max)
		goto bad;
	*v = x;
	return 0;
bad:
	return cmd_usage(c, "%s: '%s' is not a number from 0 to %llu", opt,
			 text ?: "", (unsigned long long)max);
}

static int parse_choice(struct cmdctx *c, const char *opt, const char *text,
			const struct choice *ch, uint32_t *v)
{
	char list[160] = "";
	size_t i;

	for (i = 0; ch[i].name; i++) {
		if (!strcmp(text, ch[i].name)) {
			*v = ch[i].value;
			return 0;
		}
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s", i ? ", " : "", ch[i].name);
	}
	return cmd_usage(c, "%s: '%s' is not one of %s", opt, text, list);
}

static int set_opt(struct cmdctx *c, const struct opt *o, const char *text,
		   void *args)
{
	uint64_t v, max = o->kind == OPT_KIND_U64 ? UINT64_MAX : UINT32_MAX;
	void *f = field(args, o);
	size_t len = strnlen(o->lname, 69);
	char name[72] = "--";
	int rc = 0;

	/* "--NAME" for messages; not snprintf(): this runs for every option
	 * of every batch line */
	memcpy(name + 2, o->lname, len);
	name[2 + len] = '\0';
	if (o->seen)
		*(bool *)((char *)args + o->seen - 1) = true;
	switch (o->kind) {
	case OPT_KIND_BOOL:
		*(bool *)f = true;
		break;
	case OPT_KIND_BITS:
		*(unsigned int *)f |= (unsigned int)o->val;
		break;
	case OPT_KIND_COUNT:
		(*(int *)f)++;
		break;
	case OPT_KIND_STR:
		*(const char **)f = text;
		break;
	case OPT_KIND_LIST: {
		struct strlist *l = f;
		const char **nv = realloc(l->v, (l->n + 1) * sizeof(*nv));

		if (!nv)
			return cmd_fail(c, EXIT_FAILED, ENOMEM, "parsing %s",
					name);
		l->v = nv;
		l->v[l->n++] = text;
		break;
	}
	case OPT_KIND_SIZE:
		rc = parse_size(c, name, text, f);
		break;
	case OPT_KIND_U32:
	case OPT_KIND_U64:
		rc = parse_number(c, name, text, o->val ? o->val : max, &v);
		if (!rc && o->kind == OPT_KIND_U64)
			*(uint64_t *)f = v;
		else if (!rc)
			*(uint32_t *)f = (uint32_t)v;
		break;
	case OPT_KIND_CHOICE:
		rc = parse_choice(c, name, text, o->choices, f);
		break;
	case OPT_KIND_OBJ:
		((struct objref *)f)->ref = text;
		break;
	case OPT_KIND_DEV:
		((struct devref *)f)->ref = text;
		break;
	case OPT_KIND_CALL:
		rc = o->parse(c, o, text, f);
		break;
	}
	return rc;
}

static int unknown_option(struct cmdctx *c, const struct verb *v,
			  const char *bad)
{
	const char *names[64], *hint;
	const struct opt *o;
	char word[64];
	size_t n = 0;

	if (bad[1] != '-')
		return cmd_usage(c, "unknown option '%.2s'", bad);
	snprintf(word, sizeof(word), "%s", bad + 2);
	word[strcspn(word, "=")] = '\0';
	/* a global option after the object: say where it goes */
	for (o = global_verb.opts; v != &global_verb && o->lname; o++)
		if (!strcmp(o->lname, word) && c->object)
			return cmd_usage(c, "'--%s' is a global option: it goes before the object (iommuctl --%s ... %s%s%s ...)",
					 word, word, c->object,
					 c->verb && *c->verb ? " " : "",
					 c->verb ?: "");
	for (o = v->opts; o && o->lname && n < 62; o++)
		names[n++] = o->lname;
	names[n++] = "help";
	hint = did_you_mean(word, names, n);
	if (hint)
		return cmd_usage(c, "unknown option '%s'; did you mean '--%s'?",
				 bad, hint);
	return cmd_usage(c, "unknown option '%s'", bad);
}

enum { PARSED, PARSED_EXIT };

/* What an option word means besides the verb's own: -j, -p, --help, ... */
static int builtin_opt(struct cmdctx *c, const struct object *ob,
		       const struct verb *v, const char *w)
{
	const struct opt *o;

	/* (every option word of every batch line comes here first: the
	 * words below start "--" and j, p, n, h or l, or are -j, -p, -h) */
	if (!strchr(w[1] == '-' ? "jpnhl" : "jph", w[1] == '-' ? w[2] : w[1]))
		return -1;
	if (!strcmp(w, "--json") || !strcmp(w, "-j")) {
		c->json = true;
		c->color = false;
		return 0;
	}
	if (!strcmp(w, "--pretty") || !strcmp(w, "-p")) {
		c->json = c->pretty = true;
		c->color = false;
		return 0;
	}
	if (!strcmp(w, "--no-headers")) {
		c->no_headers = true;
		return 0;
	}
	if (!strcmp(w, "--help") || !strcmp(w, "-h")) {
		if (ob)
			verb_help(stdout, ob, v);
		else
			usage(stdout); /* the global options */
		return 1;
	}
	if (!strcmp(w, "--list-opts")) {
		print_words("--", verb_words(ob, v));
		return 1;
	}
	if (!strcmp(w, "--list-paths")) {
		/* for completion: the options taking a path (metavariable
		 * FILE or DIR), and "operands" when the operands are paths */
		for (o = v->opts; o && o->lname; o++)
			if (path_arg(o)) {
				printf("--%s\n", o->lname);
				if (o->sname)
					printf("-%c\n", o->sname);
			}
		if (v->flags & VERB_PATH_OPERANDS)
			printf("operands\n");
		return 1;
	}
	return -1;
}

/* The option -@ch, or --@name (@len bytes) when @name is not NULL. */
static const struct opt *find_opt(const struct verb *v, const char *name,
				  size_t len, int ch)
{
	const struct opt *o;

	for (o = v->opts; o && o->lname; o++)
		if (name ? o->lname[0] == name[0] &&
				    !strncmp(o->lname, name, len) &&
				    !o->lname[len] :
			   o->sname == ch)
			return o;
	return NULL;
}

/* @o, given as @name; its argument is @text or, if NULL, the next word. */
static int give_opt(struct cmdctx *c, const struct opt *o, const char *name,
		    const char *text, int argc, char **argv, int *i, void *args)
{
	if (!o->arg)
		return set_opt(c, o, NULL, args);
	if (!text && *i + 1 >= argc)
		return cmd_usage(c, "option '%s' needs an argument", name);
	return set_opt(c, o, text ?: argv[++*i], args);
}

/*
 * Options and operands in any order ("--" ends options); long options are
 * spelled out (no abbreviations: a new option never changes what a script
 * meant), short ones may be bundled (-jp) or take their argument attached
 * (-dBDF). Operands are left, in order, in argv[0..*nargs).
 */
int verb_parse(struct cmdctx *c, const struct object *ob, const struct verb *v,
	       int argc, char **argv, void *args, char **operands, int *nargs)
{
	int i, n = 0, rc;
	bool opts_done = false;

	for (i = 0; i < argc; i++) {
		char *w = argv[i];
		const struct opt *o;

		if (opts_done || w[0] != '-' || !w[1]) {
			operands[n++] = w;
			if (v->flags & VERB_STOP_AT_OPERAND)
				opts_done = true;
			continue;
		}
		if (!strcmp(w, "--")) {
			opts_done = true;
			continue;
		}
		rc = builtin_opt(c, ob, v, w);
		if (rc > 0)
			return PARSED_EXIT;
		if (rc == 0)
			continue;
		if (w[1] == '-') {
			size_t len = strcspn(w + 2, "=");

			o = find_opt(v, w + 2, len, 0);
			if (!o)
				return unknown_option(c, v, w);
			if (w[2 + len] == '=' && !o->arg)
				return cmd_usage(
					c, "option '--%s' takes no argument",
					o->lname);
			rc = give_opt(c, o, w, w[2 + len] ? w + 3 + len : NULL,
				      argc, argv, &i, args);
			if (rc < 0)
				return rc;
			continue;
		}
		/* a bundle of short options: -jp, -dBDF, -d BDF */
		for (w++; *w; w++) {
			char name[3] = { '-', *w, 0 };

			rc = builtin_opt(c, ob, v, name);
			if (rc > 0)
				return PARSED_EXIT;
			if (rc == 0)
				continue;
			o = find_opt(v, NULL, 0, *w);
			if (!o)
				return cmd_usage(c, "unknown option '%s'",
						 name);
			rc = give_opt(c, o, name, w[1] ? w + 1 : NULL, argc,
				      argv, &i, args);
			if (rc < 0)
				return rc;
			if (o->arg)
				break;
		}
	}
	*nargs = n;
	return PARSED;
}

static void free_args(const struct verb *v, void *args)
{
	const struct opt *o;

	if (!args)
		return;
	for (o = v->opts; o && o->lname; o++)
		if (o->kind == OPT_KIND_LIST)
			free(((struct strlist *)field(args, o))->v);
	free(args);
}

/* Whether @o was given: its seen flag, or a value not 0 (NULL). */
static bool opt_given(const struct opt *o, void *args)
{
	void *f = field(args, o);

	if (o->seen)
		return *(bool *)((char *)args + o->seen - 1);
	switch (o->kind) {
	case OPT_KIND_BOOL:
		return *(bool *)f;
	case OPT_KIND_SIZE:
	case OPT_KIND_U64:
		return *(uint64_t *)f;
	case OPT_KIND_U32:
	case OPT_KIND_CHOICE:
		return *(uint32_t *)f;
	default: /* STR, OBJ, DEV: a string first */
		return *(const char **)f;
	}
}

/* "--a, --b and --c are required" when one of them is not given. */
static int required(struct cmdctx *c, const struct verb *v, void *args)
{
	char list[256] = "";
	const struct opt *o;
	int n = 0, i = 0;
	bool missing = false;

	for (o = v->opts; o && o->lname; o++) {
		n += o->required;
		missing |= o->required && !opt_given(o, args);
	}
	if (!missing)
		return 0;
	if (v->need_opts)
		return cmd_usage(c, "%s", v->need_opts);
	for (o = v->opts; o && o->lname; o++) {
		if (!o->required)
			continue;
		i++;
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s--%s",
			 i == 1 ? "" :
			 i == n ? " and " :
				  ", ",
			 o->lname);
	}
	return cmd_usage(c, "%s %s required", list, n > 1 ? "are" : "is");
}

/* Session and object references, once the verb's checks passed. */
static int resolve(struct cmdctx *c, const struct verb *v, void *args)
{
	struct iommuctl_session *s;
	const struct opt *o;
	int rc;

	if ((v->flags & (VERB_LIVE | VERB_SESSION)) &&
	    iommuctl_is_offline(c->ctx))
		return cmd_fail_on(c, c->object, EXIT_UNAVAILABLE, EOPNOTSUPP,
				   "%s the live system, not --root",
				   v->flags & VERB_SESSION ?
					   "iommufd objects need" :
					   "this command needs");
	if (v->flags & VERB_SESSION) {
		rc = sess_get(c, &s);
		if (rc < 0)
			return rc;
	}
	for (o = v->opts; o && o->lname; o++) {
		struct objref *r = field(args, o);
		struct devref *d = field(args, o);

		rc = 0;
		if (o->kind == OPT_KIND_OBJ && r->ref)
			rc = obj_ref(c, r->ref, (unsigned int)o->val, &r->obj);
		else if (o->kind == OPT_KIND_DEV && d->ref)
			rc = device_ref(c, d->ref, &d->dev);
		if (rc < 0)
			return rc;
	}
	if (v->operand && c->argc)
		return obj_ref(c, c->argv[0], v->operand, &c->obj);
	return 0;
}

/* ---- rendering ------------------------------------------------------------ */

static void render(struct cmdctx *c, const struct verb *v)
{
	const struct render *r = v->render;
	struct json_object *rows = c->out;

	if (c->json || !r) {
		json_print(c, c->out);
		return;
	}
	table_set_headers(!c->no_headers);
	if (r->line)
		render_line(c, r->line, c->out);
	if (r->text)
		r->text(c, c->out);
	if (r->file && !jopt(c->out, "output"))
		r->file(c, stdout, c->out);
	if (r->fields)
		kv_print(stdout, c->out, r->fields);
	if (r->rows)
		rows = jget(c, c->out, r->rows);
	if (r->cols && rows)
		table_print(stdout, rows, r->cols, "");
	table_set_headers(true);
}

/* ---- dispatch ------------------------------------------------------------- */

static int run_verb(struct cmdctx *c, const struct object *ob,
		    const struct verb *v, int argc, char **argv)
{
	/* the operands in order, apart from the caller's words, after the
	 * options in the same allocation (one for each line of a batch) */
	size_t off = (v->args_size + 15) & ~(size_t)15;
	char **operands;
	void *args;
	int rc, n = 0;

	c->verb = v->name;
	c->vb = v;
	args = calloc(1, off + ((size_t)argc + 1) * sizeof(*operands));
	if (!args)
		return cmd_fail(c, EXIT_FAILED, ENOMEM, "parsing options");
	operands = (char **)((char *)args + off);
	if (v->init)
		v->init(args);
	rc = verb_parse(c, ob, v, argc, argv, args, operands, &n);
	if (rc == PARSED_EXIT) {
		rc = 0;
		goto out;
	}
	if (rc < 0)
		goto out;
	argv = operands;
	c->argc = n;
	c->argv = argv;
	if (v->max_args != ARGS_ANY && n > v->max_args) {
		if (v->too_many)
			rc = cmd_usage(c, "%s", v->too_many);
		else if (v->need && v->min_args == v->max_args)
			rc = cmd_usage(c, "unexpected argument '%s': %s",
				       argv[v->max_args], v->need);
		else
			rc = cmd_usage(c, "unexpected argument '%s'",
				       argv[v->max_args]);
		goto out;
	}
	if (n < v->min_args) {
		rc = v->need ? cmd_usage(c, "%s", v->need) :
			       cmd_usage(c, "missing operand: %s %s %s",
					 ob->name, v->name, v->synopsis ?: "");
		goto out;
	}
	rc = required(c, v, args);
	if (rc == 0 && v->check)
		rc = v->check(c, args);
	if (rc == 0)
		rc = resolve(c, v, args);
	if (rc < 0)
		goto out;
	c->args = args;
	rc = v->run(c, args);
	if ((rc == 0 || CMD_IS_STATUS(rc)) && c->out && !c->keep_out)
		render(c, v);
	c->args = NULL;
	if (c->key_errors && (rc == 0 || CMD_IS_STATUS(rc)) && !c->err.msg)
		rc = cmd_fail(
			c, EXIT_FAILED, EPROTO,
			"internal: the output named %d key(s) its result lacks",
			c->key_errors);
out:
	/* exit 1 says "they differ": a failure of such a verb exits 2, as
	 * diff(1) does */
	if ((v->flags & VERB_DIFFERS) && rc < 0 && !CMD_IS_STATUS(rc) &&
	    c->err.code == EXIT_FAILED) {
		c->err.code = EXIT_USAGE;
		c->err.trouble = true;
	}
	free_args(v, args); /* and the operands */
	c->argc = 0;
	c->argv = NULL;
	c->obj = NULL;
	return rc;
}

int object_run(struct cmdctx *c, const struct object *ob, int argc, char **argv)
{
	const struct verb *v;

	c->object = ob->name;
	if (argc >= 1 && !strcmp(argv[0], "help"))
		return help_command(c, ob, argc - 1, argv + 1);
	if (argc >= 1 && argv[0][0] == '-' && !strcmp(argv[0], "--list-cmds")) {
		print_words("", verb_words(ob, NULL));
		return 0;
	}
	if (argc >= 1 && ob->verbs[1].name && argv[0][0] == '-' &&
	    (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")))
		return help_command(c, ob, 0, NULL);
	if (argc < 1 || argv[0][0] == '-')
		return run_verb(c, ob, ob->verbs, argc, argv);
	/* a default verb taking files takes no prefixes: "batch r" is file r */
	v = verb_find(ob, argv[0],
		      !(ob->verbs[0].flags & VERB_OPERAND_FIRST));
	if (v)
		return run_verb(c, ob, v, argc - 1, argv + 1);
	if (ob->verbs[0].flags & VERB_OPERAND_FIRST)
		return run_verb(c, ob, ob->verbs, argc, argv);
	return unknown_verb(c, ob, argv[0], true);
}

int run_command(struct cmdctx *c, int argc, char **argv)
{
	const struct object *ob;
	int rc;

	c->verb = NULL;
	c->vb = NULL;
	c->key_errors = 0;
	json_object_put(c->out);
	c->out = NULL;
	if (argc < 1)
		rc = cmd_usage(c, "no object given");
	else
		rc = object_lookup(c, argv[0], &ob);
	if (rc == 0)
		rc = object_run(c, ob, argc - 1, argv + 1);
	/* a session's lines are freed as they go, however it was started */
	if (!c->keep_out && (!c->leave_out || c->in_session)) {
		json_object_put(c->out);
		c->out = NULL;
	}
	return cmd_finish(c, rc);
}

/* ---- completion ------------------------------------------------------------ */

const char **complete_words(const char *object, const char *verb)
{
	const struct object *ob = object ? object_find(object) : NULL;
	const char **w;
	size_t n;

	if (ob)
		return verb_words(ob, verb ? verb_find(ob, verb, false) ?: ob->verbs :
					     NULL);
	w = calloc(96, sizeof(*w));
	for (n = 0; w && !object && iommuctl_objects[n] && n < 94; n++)
		w[n] = iommuctl_objects[n]->name;
	return w;
}
