// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Shell-like splitting of one batch or shell line into words: blanks
 * separate words, '...' is literal, "..." takes \" and \\ escapes, a
 * backslash outside quotes takes the next character literally, and '#' at
 * the start of a word comments out the rest of the line. No expansion of
 * any kind, and no limit on the length of a line or the number of words.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

struct wbuf {
	char *s;
	size_t len, cap;
};

static int wbuf_put(struct wbuf *b, char ch)
{
	if (b->len + 1 >= b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 32;
		char *s = realloc(b->s, cap);

		if (!s)
			return -ENOMEM;
		b->s = s;
		b->cap = cap;
	}
	b->s[b->len++] = ch;
	b->s[b->len] = '\0';
	return 0;
}

struct wlist {
	char **v;
	int n;
	size_t cap; /* entries of v, the NULL terminator included */
};

/* Moves the word in @b (possibly empty) to the end of @l. */
static int wlist_add(struct wlist *l, struct wbuf *b)
{
	if ((size_t)l->n + 2 > l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		char **v;

		if (l->n >= (int)(~0u >> 2))
			return -E2BIG;
		v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	if (!b->s) {
		b->s = strdup("");
		if (!b->s)
			return -ENOMEM;
	}
	l->v[l->n++] = b->s;
	l->v[l->n] = NULL;
	b->s = NULL;
	b->len = b->cap = 0;
	return 0;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	       ch == '\v' || ch == '\f';
}

/* At the closing quote: step over it, or report that there is none. */
static int close_quote(const char **p, const char **err)
{
	if (!**p) {
		if (err)
			*err = "unterminated quote";
		return -EINVAL;
	}
	(*p)++;
	return 0;
}

void free_words(int argc, char **argv)
{
	int i;

	if (!argv)
		return;
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

int split_words(const char *line, int *argc, char ***argv, const char **err)
{
	struct wlist l = { NULL, 0, 0 };
	struct wbuf b = { NULL, 0, 0 };
	bool in_word = false;
	const char *p = line;
	int rc = 0;

	*argc = 0;
	*argv = NULL;
	if (err)
		*err = NULL;
	while (!rc && *p) {
		char ch = *p;

		if (is_blank(ch)) {
			if (in_word)
				rc = wlist_add(&l, &b);
			in_word = false;
			p++;
		} else if (ch == '#' && !in_word) {
			break; /* a comment, to the end of the line */
		} else if (ch == '\'') {
			in_word = true;
			for (p++; !rc && *p && *p != '\''; p++)
				rc = wbuf_put(&b, *p);
			rc = rc ?: close_quote(&p, err);
		} else if (ch == '"') {
			in_word = true;
			for (p++; !rc && *p && *p != '"'; p++) {
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				rc = wbuf_put(&b, *p);
			}
			rc = rc ?: close_quote(&p, err);
		} else if (ch == '\\') {
			/* a backslash ending the line stands for itself */
			in_word = true;
			if (p[1])
				p++;
			rc = wbuf_put(&b, *p);
			p++;
		} else {
			in_word = true;
			rc = wbuf_put(&b, ch);
			p++;
		}
	}
	if (!rc && in_word)
		rc = wlist_add(&l, &b);
	free(b.s);
	if (rc < 0) {
		if (err && !*err)
			*err = strerror(-rc);
		free_words(l.n, l.v);
		return rc;
	}
	if (!l.v) {
		l.v = calloc(1, sizeof(*l.v));
		if (!l.v) {
			if (err)
				*err = strerror(ENOMEM);
			return -ENOMEM;
		}
	}
	*argc = l.n;
	*argv = l.v;
	return 0;
}
