// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Output: every object has one JSON emitter; -j prints that JSON, and the
 * human tables are rendered from the same JSON, so the two cannot drift.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "builtin.h"

void json_print(struct cmdctx *c, struct json_object *j)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	flags |= c->pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			     JSON_C_TO_STRING_PLAIN;
	fputs(json_object_to_json_string_ext(j, flags), stdout);
	fputc('\n', stdout);
}

int out_width(void)
{
	const char *e = getenv("COLUMNS");
	struct winsize ws;
	long n;

	if (e && *e) {
		n = strtol(e, NULL, 10);
		if (n >= 40 && n <= 1000)
			return (int)n;
	}
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= 40)
		return ws.ws_col;
	return 80;
}

/* The length of the word at @p: up to a space or just after a comma (a
 * list breaks after its items), or with @groups up to a space outside
 * [ ] ( ) { } (a synopsis keeps its groups whole). */
static size_t word_len(const char *p, bool groups)
{
	const char *e = p;
	int depth = 0;

	for (; *e && (!isspace((unsigned char)*e) || (groups && depth > 0)); e++) {
		depth += groups && strchr("[({", *e) ? 1 :
			 groups && strchr("])}", *e) ? -1 :
						       0;
		if (!groups && *e == ',' && e[1] && !isspace((unsigned char)e[1]))
			return (size_t)(e + 1 - p);
	}
	return (size_t)(e - p);
}

/* The columns @n bytes at @p take on a terminal: colour escapes ("\033[1m")
 * take none, a UTF-8 character one. */
static int shown_width(const char *p, size_t n)
{
	size_t i;
	int w = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '\033' && i + 1 < n && p[i + 1] == '[') {
			for (i += 2; i < n && !(p[i] >= '@' && p[i] <= '~');
			     i++)
				;
			continue;
		}
		w += ((unsigned char)p[i] & 0xc0) != 0x80;
	}
	return w;
}

/* The words of @p..@end; *@sp: a space comes before the next word (not
 * before the first one, nor after a comma's break). */
static int wrap_words(FILE *f, const char *p, const char *end, int col,
		      int indent, bool groups, bool *sp)
{
	int width = out_width();

	while (p < end) {
		size_t n;
		int w;

		if (isspace((unsigned char)*p)) {
			p++;
			*sp = col > 0;
			continue;
		}
		n = word_len(p, groups);
		if (p + n > end)
			n = (size_t)(end - p);
		w = shown_width(p, n);
		if (groups && indent + w > width && n > word_len(p, false)) {
			/* a group too long for any line: its words, wrapped */
			col = wrap_words(f, p, p + n, col, indent, false, sp);
			p += n;
			continue;
		}
		if (col + *sp + w > width && col > indent) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (*sp) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, n, f);
		col += w;
		p += n;
		*sp = false;
	}
	return col;
}

int wrap_text(FILE *f, const char *text, int col, int indent, bool groups)
{
	bool sp = false;

	return wrap_words(f, text, text + strlen(text), col, indent, groups,
			  &sp);
}

void print_wrapped(int indent, const char *fmt, ...)
{
	char *text = NULL, *line, *nl;
	va_list ap;
	int rc, lead;

	va_start(ap, fmt);
	rc = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return;
	for (line = text; line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		lead = (int)strspn(line, " ");
		printf("%.*s", lead, line);
		wrap_text(stdout, line + lead, lead, indent, false);
		if (nl || *line)
			putchar('\n');
	}
	free(text);
}

void list_begin(struct cmdctx *c, struct list_out *l)
{
	l->c = c;
	l->n = 0;
	l->arr = c->json && !c->pretty && !c->keep_out ?
			 NULL :
			 json_object_new_array();
}

void list_add(struct list_out *l, struct json_object *j)
{
	l->n++;
	if (l->arr) {
		json_object_array_add(l->arr, j);
		return;
	}
	/* json-c's plain array: '[', the elements joined by ',', ']' */
	fputs(l->n > 1 ? "," : "[", stdout);
	fputs(json_object_to_json_string_ext(
		      j, JSON_C_TO_STRING_NOSLASHESCAPE | JSON_C_TO_STRING_PLAIN),
	      stdout);
	json_object_put(j);
}

int list_end(struct list_out *l)
{
	if (l->arr)
		return cmd_out(l->c, l->arr);
	fputs(l->n ? "]\n" : "[]\n", stdout);
	return 0;
}

/* Addresses are "0x..." strings in JSON (u64 does not survive JS/jq). */
struct json_object *json_hex(unsigned long long v)
{
	char buf[24], *p = buf + sizeof(buf) - 1;

	/* "0x%llx", by hand: every mapping's result has two of them */
	*p = '\0';
	do
		*--p = "0123456789abcdef"[v & 0xf];
	while (v >>= 4);
	*--p = 'x';
	*--p = '0';
	return json_object_new_string_len(p, (int)(buf + sizeof(buf) - 1 - p));
}

struct json_object *json_strv(const char *const *v, unsigned int n)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

/* An array of json_hex() of @n values. */
struct json_object *json_hexv(const uint64_t *v, unsigned int n)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_hex(v[i]));
	return a;
}

const char *color_on(struct cmdctx *c, const char *which)
{
	if (!c->color)
		return "";
	if (!strcmp(which, "warning"))
		return "\033[1;33m";
	if (!strcmp(which, "error"))
		return "\033[1;31m";
	if (!strcmp(which, "note"))
		return "\033[36m";
	if (!strcmp(which, "good"))
		return "\033[32m";
	if (!strcmp(which, "header"))
		return "\033[1m";
	return "";
}

const char *color_off(struct cmdctx *c)
{
	return c->color ? "\033[0m" : "";
}

static char *cell_text(struct json_object *row, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(row, key, &v) || !v)
		return strdup("-");
	switch (json_object_get_type(v)) {
	case json_type_string:
		return strdup(json_object_get_string(v));
	case json_type_boolean:
		return strdup(json_object_get_boolean(v) ? "yes" : "no");
	case json_type_array: {
		size_t i, n = json_object_array_length(v), len = 0;
		FILE *m;
		char *s = NULL;

		m = open_memstream(&s, &len);
		for (i = 0; m && i < n; i++)
			fprintf(m, "%s%s", i ? "," : "",
				json_object_get_string(
					json_object_array_get_idx(v, i)));
		if (m && !n)
			fputs("-", m);
		if (m && fclose(m)) {
			free(s);
			s = NULL;
		}
		return s;
	}
	default:
		return strdup(json_object_get_string(v));
	}
}

/* Header rows of tables: off for the command being rendered with
 * --no-headers (the dispatcher sets it around rendering). */
static bool table_headers = true;

void table_set_headers(bool on)
{
	table_headers = on;
}

/*
 * The next line of the cell @s from *@pos, at most @w columns, into @buf:
 * broken after a comma (a list: an item a line) or at a space; a word too
 * long for the column is split. With @cut the cell is one line, ending
 * ".." where it is cut. False when the cell is done.
 */
static bool cell_line(const char *s, size_t *pos, size_t w, bool cut,
		      char *buf)
{
	const char *p = s + *pos, *nl;
	size_t n, i, brk = 0, next = 0;

	while (*p == ' ')
		p++, (*pos)++;
	/* a cell's own line breaks (a line each member) always hold */
	nl = strchr(p, '\n');
	n = nl ? (size_t)(nl - p) : strlen(p);
	if (!n && !nl) {
		buf[0] = '\0';
		return false;
	}
	if (n <= w) {
		brk = n;
		next = n + (nl != NULL);
	} else if (cut) {
		brk = w > 2 ? w - 2 : w;
		next = n + (nl != NULL);
	} else {
		for (i = 1; i <= w; i++)
			if (p[i] == ' ' || p[i - 1] == ',')
				brk = next = i;
		if (!brk)
			brk = next = w;
	}
	memcpy(buf, p, brk);
	strcpy(buf + brk, cut && brk < n ? ".." : "");
	*pos += next;
	return true;
}

/*
 * Columns sized to their widest cell. When the table is wider than
 * out_width(), the widest columns give way first, names (COL_NAME) last,
 * down to their header: their cells wrap (lists one item a line), names
 * are cut ending ".."; numbers (COL_RIGHT) keep their width.
 */
void table_print(FILE *f, struct json_object *rows, const struct column *cols,
		 const char *indent)
{
	size_t nrows = json_object_array_length(rows), ncols = 0, r, k;
	size_t *width, *minw, *pos, total, max = 0;
	size_t fit = (size_t)out_width();
	char ***cells, *buf = NULL;
	const char *p;

	while (cols[ncols].header)
		ncols++;
	if (!ncols)
		return;
	width = calloc(ncols, sizeof(*width));
	minw = calloc(ncols, sizeof(*minw));
	pos = calloc(ncols, sizeof(*pos));
	/* row 0 is the header */
	cells = calloc(nrows + 1, sizeof(*cells));
	if (!width || !minw || !pos || !cells)
		goto out;
	for (r = 0; r <= nrows; r++) {
		struct json_object *row =
			r ? json_object_array_get_idx(rows, r - 1) : NULL;

		cells[r] = calloc(ncols, sizeof(**cells));
		if (!cells[r])
			goto out;
		for (k = 0; k < ncols; k++) {
			cells[r][k] = r ? cell_text(row, cols[k].key) :
					  strdup(cols[k].header);
			if (!cells[r][k])
				cells[r][k] = strdup("?");
			if (!cells[r][k])
				goto out;
			for (p = cells[r][k]; *p; p += *p == '\n') {
				size_t n = strcspn(p, "\n");

				width[k] = n > width[k] ? n : width[k];
				p += n;
			}
		}
	}
	total = strlen(indent) + 2 * (ncols - 1);
	for (k = 0; k < ncols; k++) {
		total += width[k];
		/* narrowest: the header; a name 8 columns, anything else its
		 * longest word (at most 20) */
		minw[k] = strlen(cols[k].header);
		for (r = 1; r <= nrows && !(cols[k].flags & COL_NAME); r++) {
			for (p = cells[r][k]; *p;) {
				size_t n = strcspn(p, " ,\n");

				n += p[n] == ',';
				if (n > minw[k])
					minw[k] = n < 20 ? n : 20;
				p += n + (p[n] == ' ' || p[n] == '\n');
			}
		}
		if ((cols[k].flags & COL_NAME) && minw[k] < 8)
			minw[k] = 8;
	}
	for (;;) {
		size_t best = ncols;

		if (total <= fit)
			break;
		for (k = 0; k < ncols; k++) {
			if ((cols[k].flags & COL_RIGHT) || width[k] <= minw[k])
				continue;
			if (best == ncols ||
			    (cols[best].flags & COL_NAME) >
				    (cols[k].flags & COL_NAME) ||
			    ((cols[best].flags & COL_NAME) ==
				     (cols[k].flags & COL_NAME) &&
			     width[k] > width[best]))
				best = k;
		}
		if (best == ncols) {
			/* still too wide: the column with the longest words
			 * splits them, down to its header */
			for (k = 0; k < ncols; k++)
				if (!(cols[k].flags & COL_NAME) &&
				    minw[k] > strlen(cols[k].header) &&
				    (best == ncols || minw[k] > minw[best]))
					best = k;
			if (best == ncols)
				break;
			minw[best] = strlen(cols[best].header);
			continue;
		}
		width[best]--;
		total--;
	}
	for (k = 0; k < ncols; k++)
		max = width[k] > max ? width[k] : max;
	buf = malloc(max + 3);
	if (!buf)
		goto out;
	for (r = table_headers ? 0 : 1; r <= nrows; r++) {
		bool more = true;

		memset(pos, 0, ncols * sizeof(*pos));
		while (more) {
			size_t len = 0, n;
			char *line = NULL;
			FILE *m = open_memstream(&line, &len);

			if (!m)
				break;
			more = false;
			fputs(indent, m);
			for (k = 0; k < ncols; k++) {
				bool right = cols[k].flags & COL_RIGHT;
				const char *rest;

				cell_line(cells[r][k], &pos[k], width[k],
					  cols[k].flags & COL_NAME, buf);
				fprintf(m, right ? "%*s%s" : "%-*s%s",
					k + 1 == ncols && !right ? 0 :
								   (int)width[k],
					buf, k + 1 == ncols ? "" : "  ");
				rest = cells[r][k] + pos[k];
				more |= rest[strspn(rest, " ")] != '\0';
			}
			if (!fclose(m)) {
				/* no trailing blanks (empty cells at the end) */
				for (n = strlen(line); n && line[n - 1] == ' ';)
					line[--n] = '\0';
				fprintf(f, "%s\n", line);
			}
			free(line);
		}
	}
out:
	for (r = 0; cells && r <= nrows; r++) {
		for (k = 0; cells[r] && k < ncols; k++)
			free(cells[r][k]);
		free(cells[r]);
	}
	free(cells);
	free(width);
	free(minw);
	free(pos);
	free(buf);
}

void kv_line(FILE *f, int col, const char *label, const char *fmt, ...)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	va_list ap;

	fprintf(f, "%s:%*s", label, col - (int)strlen(label) - 1, "");
	va_start(ap, fmt);
	if (m)
		vfprintf(m, fmt, ap);
	va_end(ap);
	wrap_text(f, m && !fclose(m) ? text : "?", col, col, false);
	fputc('\n', f);
	free(text);
}

/* A detail view: "Label:  value" for each listed key present in @obj. */
void kv_print(FILE *f, struct json_object *obj, const struct column *fields)
{
	size_t w = 0, k;

	for (k = 0; fields[k].header; k++)
		if (strlen(fields[k].header) > w)
			w = strlen(fields[k].header);
	for (k = 0; fields[k].header; k++) {
		struct json_object *v;
		char *text;

		if (!json_object_object_get_ex(obj, fields[k].key, &v))
			continue;
		text = cell_text(obj, fields[k].key);
		fprintf(f, "%s:%*s ", fields[k].header,
			(int)(w - strlen(fields[k].header)), "");
		wrap_text(f, text ? text : "?", (int)w + 2, (int)w + 2, false);
		fputc('\n', f);
		free(text);
	}
}

/* "a b c" from a JSON array of strings (caller frees). */
char *json_list_text(struct json_object *a)
{
	struct json_object *wrap = json_object_new_object();
	char *s, *p;

	json_object_object_add(wrap, "v", json_object_get(a));
	s = cell_text(wrap, "v");
	json_object_put(wrap);
	for (p = s; p && *p; p++)
		if (*p == ',')
			*p = ' ';
	return s;
}

struct json_object *jopt(struct json_object *j, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(j, key, &v) ? v : NULL;
}

/* The string at @key, or NULL when there is none (absent or null) */
const char *jstr_opt(struct json_object *j, const char *key)
{
	struct json_object *v = jopt(j, key);

	return v ? json_object_get_string(v) : NULL;
}

struct json_object *jget(struct cmdctx *c, struct json_object *j,
			 const char *key)
{
	struct json_object *v;

	if (json_object_object_get_ex(j, key, &v))
		return v;
	fprintf(stderr, "iommuctl: internal: the result has no key '%s'\n", key);
	c->key_errors++;
	return NULL;
}

const char *jstr(struct cmdctx *c, struct json_object *j, const char *key)
{
	struct json_object *v = jget(c, j, key);

	return v ? json_object_get_string(v) : "?";
}

void jadd_k(struct json_object *j, const char *key, struct json_object *v,
	    unsigned int kf)
{
	if (v)
		json_object_object_add_ex(j, key, v, kf);
}

void jadd_str_k(struct json_object *j, const char *key, const char *s,
		unsigned int kf)
{
	if (s)
		json_object_object_add_ex(j, key, json_object_new_string(s), kf);
}

void jadd_str_or_null_k(struct json_object *j, const char *key, const char *s,
			unsigned int kf)
{
	json_object_object_add_ex(j, key, s ? json_object_new_string(s) : NULL,
				  kf);
}

void jadd_int_k(struct json_object *j, const char *key, int64_t v,
		unsigned int kf)
{
	json_object_object_add_ex(j, key, json_object_new_int64(v), kf);
}

void jadd_bool_k(struct json_object *j, const char *key, bool v,
		 unsigned int kf)
{
	json_object_object_add_ex(j, key, json_object_new_boolean(v), kf);
}

void jadd_hex_k(struct json_object *j, const char *key, uint64_t v,
		unsigned int kf)
{
	json_object_object_add_ex(j, key, json_hex(v), kf);
}

void render_line(struct cmdctx *c, const char *fmt, struct json_object *j)
{
	const char *p = fmt, *key, *end;
	char name[64];

	while ((key = strstr(p, "%{")) && (end = strchr(key, '}'))) {
		fwrite(p, 1, (size_t)(key - p), stdout);
		snprintf(name, sizeof(name), "%.*s", (int)(end - key - 2),
			 key + 2);
		fputs(name[0] == '@' ? ref_label(c, j, name + 1) :
				       jstr(c, j, name),
		      stdout);
		p = end + 1;
	}
	printf("%s\n", p);
}

void render_each(struct cmdctx *c, struct json_object *j,
		 void (*one)(struct cmdctx *c, struct json_object *j))
{
	size_t i;

	if (!json_object_is_type(j, json_type_array)) {
		one(c, j);
		return;
	}
	for (i = 0; i < json_object_array_length(j); i++) {
		if (i)
			printf("\n");
		one(c, json_object_array_get_idx(j, i));
	}
}
