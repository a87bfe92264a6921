// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Output: every object has one JSON emitter; -j prints that JSON, and the
 * human tables are rendered from the same JSON, so the two cannot drift.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

void json_print(struct cmdctx *c, struct json_object *j)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	flags |= c->pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			     JSON_C_TO_STRING_PLAIN;
	fputs(json_object_to_json_string_ext(j, flags), stdout);
	fputc('\n', stdout);
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
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", v);
	return json_object_new_string(buf);
}

struct json_object *json_strv(const char *const *v, unsigned int n)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
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

/* Columns sized to their widest cell; no width caps, nothing truncated. */
void table_print(FILE *f, struct json_object *rows, const struct column *cols,
		 const char *indent)
{
	size_t nrows = json_object_array_length(rows), ncols = 0, r, k;
	size_t *width;
	char ***cells;

	while (cols[ncols].header)
		ncols++;
	width = calloc(ncols, sizeof(*width));
	/* row 0 is the header */
	cells = calloc(nrows + 1, sizeof(*cells));
	if (!width || !cells)
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
			if (cells[r][k] && strlen(cells[r][k]) > width[k])
				width[k] = strlen(cells[r][k]);
		}
	}
	for (r = 0; r <= nrows; r++) {
		fputs(indent, f);
		for (k = 0; k < ncols; k++)
			fprintf(f,
				(cols[k].flags & COL_RIGHT) ? "%*s%s" : "%-*s%s",
				k + 1 == ncols && !(cols[k].flags & COL_RIGHT) ? 0 : (int)width[k],
				cells[r][k] ? cells[r][k] : "?",
				k + 1 == ncols ? "\n" : "  ");
	}
out:
	for (r = 0; cells && r <= nrows; r++) {
		for (k = 0; cells[r] && k < ncols; k++)
			free(cells[r][k]);
		free(cells[r]);
	}
	free(cells);
	free(width);
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
		fprintf(f, "%s:%*s %s\n", fields[k].header,
			(int)(w - strlen(fields[k].header)), "", text ? text : "?");
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

void jadd(struct json_object *j, const char *key, struct json_object *v)
{
	if (v)
		json_object_object_add(j, key, v);
}

void jadd_str(struct json_object *j, const char *key, const char *s)
{
	if (s)
		json_object_object_add(j, key, json_object_new_string(s));
}

void jadd_str_or_null(struct json_object *j, const char *key, const char *s)
{
	json_object_object_add(j, key, s ? json_object_new_string(s) : NULL);
}

void jadd_int(struct json_object *j, const char *key, int64_t v)
{
	json_object_object_add(j, key, json_object_new_int64(v));
}

void jadd_bool(struct json_object *j, const char *key, bool v)
{
	json_object_object_add(j, key, json_object_new_boolean(v));
}

void jadd_hex(struct json_object *j, const char *key, uint64_t v)
{
	json_object_object_add(j, key, json_hex(v));
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

int cmd_out_each(struct cmdctx *c, struct json_object *a)
{
	struct json_object *one;

	if (json_object_array_length(a) != 1)
		return cmd_out(c, a);
	one = json_object_get(json_object_array_get_idx(a, 0));
	json_object_put(a);
	return cmd_out(c, one);
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
