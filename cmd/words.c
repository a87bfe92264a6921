// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Shell-like splitting of batch and shell lines (the rules: builtin.h), with
 * no expansion of any kind and no limit on the length of a line or the
 * number of words; and the tag a batch line may start with.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

/* " \t\n\r\v\f": strchr() of that for each character cost more than the
 * rest of the splitting */
static bool is_blank(char ch)
{
	return ch == ' ' || (ch >= '\t' && ch <= '\r');
}

/* A character that goes into the word as it is, whatever comes before it
 * ('#' too: inside a word it is not a comment) */
static bool plain(char ch)
{
	return (unsigned char)ch > ' ' && ch != '\'' && ch != '"' && ch != '\\';
}

/*
 * The words are never longer than the line: each takes at least one
 * character of it (a separator or a quote) for its NUL, and there are at
 * most len / 2 + 1 of them. So one allocation holds the pointers and,
 * after them, the words.
 */
int split_words(const char *line, int *argc, char ***argv, const char **err)
{
	size_t len = strlen(line), max = len / 2 + 2;
	const char *p = line;
	bool in_word = false;
	char **v, *o, q;
	int n = 0;

	*argc = 0;
	*argv = NULL;
	if (err)
		*err = NULL;
	v = len < INT_MAX ? malloc(max * sizeof(*v) + len + 1) : NULL;
	if (!v) {
		if (err)
			*err = strerror(len < INT_MAX ? ENOMEM : E2BIG);
		return len < INT_MAX ? -ENOMEM : -E2BIG;
	}
	o = (char *)(v + max);
	while (*p) {
		if (is_blank(*p) || (*p == '#' && !in_word)) {
			if (in_word)
				*o++ = '\0';
			in_word = false;
			if (*p++ == '#')
				break; /* a comment, to the end of the line */
			continue;
		}
		if (!in_word)
			v[n++] = o;
		in_word = true;
		if (*p != '\'' && *p != '"') {
			/* a backslash ending the line stands for itself */
			if (*p == '\\' && p[1])
				p++;
			*o++ = *p++;
			/* and the plain characters after it, at once */
			while (plain(*p))
				*o++ = *p++;
			continue;
		}
		for (q = *p++; *p && *p != q; *o++ = *p++)
			if (q == '"' && *p == '\\' &&
			    (p[1] == '"' || p[1] == '\\'))
				p++;
		if (!*p++) {
			free(v);
			if (err)
				*err = "unterminated quote";
			return -EINVAL;
		}
	}
	*o = '\0';
	v[n] = NULL;
	*argc = n;
	*argv = v;
	return 0;
}

int word_tag(const char *word, const char **tag)
{
	size_t n;

	*tag = NULL;
	if (word[0] != '@')
		return 0; /* (most lines: no strspn() for them) */
	n = strspn(word + 1, "abcdefghijklmnopqrstuvwxyz"
			     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");
	if (!n || word[1 + n])
		return -EINVAL;
	*tag = word + 1;
	return 1;
}
