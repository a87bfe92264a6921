// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* Verb dispatch, option parsing and error reporting shared by all objects. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

unsigned int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned int *row, prev, tmp, best;

	if (la > 64 || lb > 64)
		return 1000;
	row = calloc(lb + 1, sizeof(*row));
	if (!row)
		return 1000;
	for (j = 0; j <= lb; j++)
		row[j] = (unsigned int)j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (unsigned int)i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

/* The closest candidate if it is close enough to be a typo, else NULL. */
const char *did_you_mean(const char *word, const char *const *cand, size_t n)
{
	unsigned int best = 1000, d, limit;
	const char *pick = NULL;
	size_t i, wl = strlen(word);

	limit = wl <= 3 ? 1 : wl <= 6 ? 2 : 3;
	for (i = 0; i < n; i++) {
		if (!strncmp(cand[i], word, wl) && wl >= 2) {
			d = 0; /* a prefix: "grou" for "group" */
		} else {
			d = edit_distance(word, cand[i]);
		}
		if (d < best) {
			best = d;
			pick = cand[i];
		}
	}
	return best <= limit ? pick : NULL;
}

void print_verb_help(FILE *f, struct cmdctx *c, const struct verb_help *h)
{
	const struct opt *o;

	fprintf(f, "usage: iommuctl %s%s%s%s%s\n", c->object,
		c->verb ? " " : "", c->verb ?: "",
		h->synopsis && *h->synopsis ? " " : "", h->synopsis ?: "");
	if (h->description)
		fprintf(f, "\n%s\n", h->description);
	fprintf(f, "\nOptions:\n");
	for (o = h->opts; o && o->lname; o++) {
		char left[64];

		snprintf(left, sizeof(left), "%s%c%s--%s%s%s",
			 o->sname ? "-" : "", o->sname ? o->sname : ' ',
			 o->sname ? ", " : "  ", o->lname, o->arg ? " " : "",
			 o->arg ?: "");
		fprintf(f, "  %-26s %s\n", o->sname ? left : left + 2, o->help);
	}
	fprintf(f, "  %-26s %s\n", "-j, --json", "JSON output (also a global option)");
	fprintf(f, "  %-26s %s\n", "-p, --pretty", "indented JSON (also a global option)");
	fprintf(f, "  %-26s %s\n", "-h, --help", "show this help");
	fprintf(f, "\nGlobal options (--root, -v, --color) go before the object.\n");
}

struct optstate {
	struct option *longopts;
	char shortopts[128];
	size_t nopts;
};

enum { OPT_BASE = 0x100 };

/*
 * getopt_long() accepts unique prefixes of long options ("--hel"); we do
 * not, so that adding an option never changes what a script meant. Returns
 * the offending argument, or NULL if every long option is spelled out.
 */
const char *long_option_abbrev(int argc, char **argv, const struct option *lo)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct option *o;
		size_t len;

		if (!strcmp(a, "--"))
			break;
		if (strncmp(a, "--", 2) || !a[2])
			continue;
		len = strcspn(a + 2, "=");
		for (o = lo; o->name; o++)
			if (strlen(o->name) == len && !strncmp(o->name, a + 2, len))
				break;
		if (!o->name)
			return a; /* unknown or abbreviated */
		if (o->has_arg == required_argument && !a[2 + len])
			i++; /* skip its separate argument */
	}
	return NULL;
}

void optparse_init(struct optparse *p, struct cmdctx *c, int argc, char **argv,
		   const struct verb_help *help)
{
	struct optstate *s = calloc(1, sizeof(*s));
	const struct opt *o;
	size_t n = 0, i, k = 0;

	memset(p, 0, sizeof(*p));
	p->argc = argc;
	p->argv = argv;
	p->help = help;
	p->c = c;
	p->state = s;
	if (!s)
		return;
	for (o = help->opts; o && o->lname; o++)
		n++;
	s->nopts = n;
	s->longopts = calloc(n + 6, sizeof(*s->longopts));
	if (!s->longopts)
		return;
	s->shortopts[k++] = ':'; /* report missing arguments as ':' */
	for (i = 0; i < n; i++) {
		o = &help->opts[i];
		s->longopts[i].name = o->lname;
		s->longopts[i].has_arg = o->arg ? required_argument : no_argument;
		s->longopts[i].val = (int)(OPT_BASE + i);
		if (o->sname && k + 3 < sizeof(s->shortopts)) {
			s->shortopts[k++] = (char)o->sname;
			if (o->arg)
				s->shortopts[k++] = ':';
		}
	}
	/* -j and -p are global options, also accepted after the verb */
	s->shortopts[k++] = 'h';
	s->shortopts[k++] = 'j';
	s->shortopts[k++] = 'p';
	s->shortopts[k] = '\0';
	s->longopts[n].name = "help";
	s->longopts[n].val = 'h';
	s->longopts[n + 1].name = "list-opts";
	s->longopts[n + 1].val = OPT_BASE - 1;
	s->longopts[n + 2].name = "json";
	s->longopts[n + 2].val = 'j';
	s->longopts[n + 3].name = "pretty";
	s->longopts[n + 3].val = 'p';
	s->longopts[n + 4].name = "list-paths";
	s->longopts[n + 4].val = OPT_BASE - 2;
	optind = 0; /* full reinitialisation, for batch and shell */
	opterr = 0;
}

void optparse_fini(struct optparse *p)
{
	struct optstate *s = p->state;

	if (s)
		free(s->longopts);
	free(s);
	p->state = NULL;
}

static int short_index(const struct verb_help *h, int ch)
{
	const struct opt *o;
	int i = 0;

	for (o = h->opts; o && o->lname; o++, i++)
		if (o->sname == ch)
			return i;
	return -1;
}

static int unknown_long(struct optparse *p, const char *bad)
{
	struct optstate *s = p->state;
	const char **names = calloc(s->nopts + 1, sizeof(*names));
	const char *hint = NULL;
	size_t i;
	int rc;

	if (names && bad[0] == '-' && bad[1] == '-') {
		char word[64];

		snprintf(word, sizeof(word), "%s", bad + 2);
		word[strcspn(word, "=")] = '\0';
		for (i = 0; i < s->nopts; i++)
			names[i] = p->help->opts[i].lname;
		names[s->nopts] = "help";
		hint = did_you_mean(word, names, s->nopts + 1);
	}
	free(names);
	if (hint)
		rc = cmd_usage_error(p->c, "unknown option '%s'; did you mean '--%s'?",
				     bad, hint);
	else
		rc = cmd_usage_error(p->c, "unknown option '%s'", bad);
	return rc;
}

int optparse_next(struct optparse *p)
{
	struct optstate *s = p->state;
	const struct opt *o;
	int ch, idx;

	if (!s || !s->longopts) {
		p->exit = cmd_error(p->c, EXIT_FAILED, ENOMEM, "parsing options");
		return OPT_EXIT;
	}
	if (optind == 0 && long_option_abbrev(p->argc, p->argv, s->longopts)) {
		/* report it through the unknown-option path below */
		const char *bad = long_option_abbrev(p->argc, p->argv, s->longopts);

		p->exit = unknown_long(p, bad);
		return OPT_EXIT;
	}
again:
	ch = getopt_long(p->argc, p->argv, s->shortopts, s->longopts, NULL);
	if (ch == 'j' || ch == 'p') {
		p->c->json = true;
		p->c->color = false;
		if (ch == 'p')
			p->c->pretty = true;
		goto again;
	}
	if (ch == -1) {
		p->argc -= optind;
		p->argv += optind;
		return OPT_LEGACY_END;
	}
	p->arg = optarg;
	if (ch == 'h') {
		print_verb_help(stdout, p->c, p->help);
		p->exit = EXIT_OK;
		return OPT_EXIT;
	}
	if (ch == OPT_BASE - 1) {
		for (o = p->help->opts; o && o->lname; o++)
			printf("--%s\n", o->lname);
		printf("--json\n--pretty\n--help\n");
		p->exit = EXIT_OK;
		return OPT_EXIT;
	}
	if (ch == OPT_BASE - 2) {
		/* for completion: the options taking a path (metavariable FILE
		 * or DIR), and "operands" when the operands are paths */
		for (o = p->help->opts; o && o->lname; o++)
			if (o->arg &&
			    (!strcmp(o->arg, "FILE") || !strcmp(o->arg, "DIR"))) {
				printf("--%s\n", o->lname);
				if (o->sname)
					printf("-%c\n", o->sname);
			}
		if (p->help->path_operands)
			printf("operands\n");
		p->exit = EXIT_OK;
		return OPT_EXIT;
	}
	if (ch >= OPT_BASE)
		return ch - OPT_BASE;
	if (ch == ':') {
		p->exit = cmd_usage_error(p->c, "option '%s' needs an argument",
					  p->argv[optind - 1]);
		return OPT_EXIT;
	}
	if (ch == '?') {
		const char *bad = p->argv[optind - 1];

		if (optopt && optopt < OPT_BASE && bad[0] == '-' && bad[1] != '-') {
			p->exit = cmd_usage_error(p->c, "unknown option '-%c'",
						  optopt);
			return OPT_EXIT;
		}
		p->exit = unknown_long(p, bad);
		return OPT_EXIT;
	}
	idx = short_index(p->help, ch);
	if (idx >= 0)
		return idx;
	p->exit = cmd_usage_error(p->c, "unknown option '-%c'", ch);
	return OPT_EXIT;
}

/* For verbs without options of their own: parse, leaving the operands in
 * p->argc/p->argv. Returns -1 to go on, or the exit code to return. */
int optparse_operands(struct optparse *p, struct cmdctx *c, int argc,
		      char **argv, const struct verb_help *h)
{
	int o;

	optparse_init(p, c, argc, argv, h);
	while ((o = optparse_next(p)) >= 0)
		;
	optparse_fini(p);
	return o == OPT_EXIT ? p->exit : -1;
}

static void print_object_help(FILE *f, const struct cmd *cmds,
			      struct cmdctx *c)
{
	const struct cmd *it;

	fprintf(f, "usage: iommuctl %s { ", c->object);
	for (it = cmds; it->name; it++)
		fprintf(f, "%s | ", it->name);
	fprintf(f, "help } [ARGS]\n\n");
	for (it = cmds; it->name; it++)
		fprintf(f, "  %-12s %s%s\n", it->name, it->summary,
			it == cmds ? " (default)" : "");
	fprintf(f, "\nRun 'iommuctl %s VERB --help' for a verb's options.\n",
		c->object);
}

/*
 * Entry 0 of @cmds is the default verb: it runs when no verb is given or the
 * first word is an option. Words match exactly; near misses get a hint.
 */
int cmd_select(const struct cmd *cmds, int argc, char **argv,
	       struct cmdctx *c)
{
	const struct cmd *it;
	const char **names;
	const char *word, *hint;
	size_t n = 0;

	if (argc < 1 || argv[0][0] == '-') {
		if (argc >= 1 && !strcmp(argv[0], "--list-cmds")) {
			for (it = cmds; it->name; it++)
				printf("%s\n", it->name);
			printf("help\n");
			return EXIT_OK;
		}
		c->verb = cmds[0].name;
		if (argc < 1) {
			static char *noargs[] = { NULL, NULL };

			noargs[0] = (char *)cmds[0].name;
			return cmds[0].fn(1, noargs, c);
		}
		/* keep argv[0] as the program name slot for getopt */
		return cmds[0].fn(argc + 1, argv - 1, c);
	}
	word = argv[0];
	if (!strcmp(word, "help")) {
		print_object_help(stdout, cmds, c);
		return EXIT_OK;
	}
	for (it = cmds; it->name; it++) {
		if (!strcmp(word, it->name)) {
			c->verb = it->name;
			return it->fn(argc, argv, c);
		}
		n++;
	}
	names = calloc(n + 1, sizeof(*names));
	hint = NULL;
	if (names) {
		size_t i;

		for (i = 0; i < n; i++)
			names[i] = cmds[i].name;
		names[n] = "help";
		hint = did_you_mean(word, names, n + 1);
		free(names);
	}
	if (hint)
		return cmd_usage_error(c, "unknown command '%s'; did you mean '%s'?",
				       word, hint);
	return cmd_usage_error(c, "unknown command '%s'", word);
}
