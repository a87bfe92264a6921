// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A bounded line reader over an fd or a memory buffer, for the kernel's text
 * files that can be large (debugfs page-table dumps run to millions of
 * lines). Memory stays at one buffer of at most max_line bytes; a longer line
 * is an error, never a silent truncation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

#define LINES_CHUNK 65536

static void lines_init(struct lines *l, size_t max_line)
{
	memset(l, 0, sizeof(*l));
	l->fd = -1;
	l->max_line = max_line ? max_line : 4096;
}

void lines_init_fd(struct lines *l, int fd, size_t max_line)
{
	lines_init(l, max_line);
	l->fd = fd;
}

void lines_init_mem(struct lines *l, const char *p, size_t n, size_t max_line)
{
	lines_init(l, max_line);
	l->mem = p;
	l->memlen = n;
}

void lines_free(struct lines *l)
{
	free(l->buf);
	l->buf = NULL;
	l->cap = l->start = l->end = 0;
}

/* Append more input after l->end; 0 at EOF, >0 bytes added, -errno. */
static ssize_t lines_fill(struct lines *l)
{
	size_t want;
	ssize_t n;

	if (l->start > 0) {
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->start = 0;
	}
	if (l->cap - l->end < LINES_CHUNK / 4) {
		size_t ncap = l->cap ? l->cap * 2 : LINES_CHUNK;
		char *nb;

		if (ncap > l->max_line + LINES_CHUNK)
			ncap = l->max_line + LINES_CHUNK;
		if (ncap <= l->end)
			return -E2BIG;
		nb = realloc(l->buf, ncap + 1);
		if (!nb)
			return -ENOMEM;
		l->buf = nb;
		l->cap = ncap;
	}
	want = l->cap - l->end;
	if (l->fd < 0) {
		n = (ssize_t)(l->memlen - l->mempos);
		if ((size_t)n > want)
			n = (ssize_t)want;
		memcpy(l->buf + l->end, l->mem + l->mempos, (size_t)n);
		l->mempos += (size_t)n;
	} else {
		do
			n = read(l->fd, l->buf + l->end, want);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -errno;
	}
	l->end += (size_t)n;
	l->bytes += (uint64_t)n;
	return n;
}

int lines_next(struct lines *l, char **line, size_t *len)
{
	size_t scanned = 0;

	if (l->err)
		return l->err;
	for (;;) {
		/* (no buffer before the first read: no arithmetic on NULL) */
		char *s = l->buf ? l->buf + l->start : NULL;
		size_t avail = l->end - l->start;
		char *nl = avail > scanned ?
				   memchr(s + scanned, '\n', avail - scanned) :
				   NULL;
		ssize_t n;

		if (nl) {
			size_t ll = (size_t)(nl - s);
			size_t adv = ll + 1;

			if (ll > l->max_line)
				return l->err = -E2BIG;
			*nl = '\0';
			if (ll > 0 && s[ll - 1] == '\r')
				s[--ll] = '\0';
			*line = s;
			*len = ll;
			l->start += adv;
			l->lineno++;
			return 1;
		}
		scanned = avail;
		if (avail > l->max_line)
			return l->err = -E2BIG;
		if (l->eof) {
			if (!avail)
				return 0;
			/* last line without a newline */
			s[avail] = '\0';
			*line = s;
			*len = avail;
			l->start = l->end;
			l->lineno++;
			return 1;
		}
		n = lines_fill(l);
		if (n < 0)
			return l->err = (int)n;
		if (n == 0)
			l->eof = true;
		/* lines_fill() moved the data to the front */
	}
}
