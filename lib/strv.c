// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

int strv_push_take(struct strv *s, char *str)
{
	if (!str)
		return -ENOMEM;
	if (array_grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v)) < 0) {
		free(str);
		return -ENOMEM;
	}
	s->v[s->n++] = str;
	s->v[s->n] = NULL;
	return 0;
}

/* @arrp: the address of the array pointer (private.h) */
int array_grow(void *arrp, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *arr, *p;

	if (n < *cap)
		return 0;
	memcpy(&arr, arrp, sizeof(arr));
	ncap = *cap ? *cap * 2 : 8;
	p = reallocarray(arr, ncap, size);
	if (!p)
		return -ENOMEM;
	memcpy(arrp, &p, sizeof(p));
	*cap = ncap;
	return 0;
}

int strv_push(struct strv *s, const char *str)
{
	return strv_push_take(s, strdup(str));
}

void strv_free(struct strv *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

static int qsort_cmp(const void *a, const void *b, void *arg)
{
	int (*cmp)(const char *, const char *) = arg;

	return cmp(*(char *const *)a, *(char *const *)b);
}

void strv_sort(struct strv *s, int (*cmp)(const char *, const char *))
{
	if (s->n > 1)
		qsort_r(s->v, s->n, sizeof(*s->v), qsort_cmp, (void *)cmp);
}

int strv_contains(const struct strv *s, const char *str)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], str))
			return 1;
	return 0;
}

/* Whether @s, sorted by @cmp, holds @str: by bisection. */
bool strv_has_sorted(const struct strv *s, const char *str,
		     int (*cmp)(const char *, const char *))
{
	size_t lo = 0, hi = s->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = cmp(str, s->v[mid]);
		if (!c)
			return !strcmp(str, s->v[mid]);
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

int str_set(char **dst, const char *src)
{
	char *copy = NULL;

	if (src) {
		copy = strdup(src);
		if (!copy)
			return -ENOMEM;
	}
	free(*dst);
	*dst = copy;
	return 0;
}

char *str_vjoin(const char *old, const char *fmt, va_list ap)
{
	char *add, *n;

	if (vasprintf(&add, fmt, ap) < 0)
		return NULL;
	if (!old)
		return add;
	if (asprintf(&n, "%s; %s", old, add) < 0)
		n = NULL;
	free(add);
	return n;
}

int natural_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *sa = a, *sb = b;
			size_t la, lb;

			while (*sa == '0' && isdigit((unsigned char)sa[1]))
				sa++;
			while (*sb == '0' && isdigit((unsigned char)sb[1]))
				sb++;
			for (a = sa; isdigit((unsigned char)*a); a++)
				;
			for (b = sb; isdigit((unsigned char)*b); b++)
				;
			la = (size_t)(a - sa);
			lb = (size_t)(b - sb);
			if (la != lb)
				return la < lb ? -1 : 1;
			if (memcmp(sa, sb, la))
				return memcmp(sa, sb, la) < 0 ? -1 : 1;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

/* the value of the hex digit @c, which isxdigit() accepted */
static unsigned long xval(char c)
{
	return (unsigned long)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
}

/* "[dddd:]bb:dd.f" into its numbers; -EINVAL when it is not one (digits
 * added up here, not by strtoul(): names are parsed a few times a device) */
static int bdf_parse(const char *s, unsigned long *dom, unsigned long *bus,
		     unsigned long *dev, unsigned long *fn)
{
	const char *p = s, *colon1, *colon2;

	if (!s || !*s)
		return -EINVAL;
	*dom = 0;
	colon1 = strchr(s, ':');
	if (!colon1)
		return -EINVAL;
	colon2 = strchr(colon1 + 1, ':');
	if (colon2) {
		/* domain: 1..8 hex digits (VMD domains have 5) */
		if (colon1 - s < 1 || colon1 - s > 8)
			return -EINVAL;
		for (; p < colon1; p++) {
			if (!isxdigit((unsigned char)*p))
				return -EINVAL;
			*dom = *dom << 4 | xval(*p);
		}
		p = colon1 + 1;
	}
	if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]) ||
	    p[2] != ':')
		return -EINVAL;
	*bus = xval(p[0]) << 4 | xval(p[1]);
	p += 3;
	if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]) ||
	    p[2] != '.')
		return -EINVAL;
	*dev = xval(p[0]) << 4 | xval(p[1]);
	p += 3;
	if (p[0] < '0' || p[0] > '7' || p[1])
		return -EINVAL;
	*fn = (unsigned long)(p[0] - '0');
	if (*dev > 31)
		return -EINVAL;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_parse_bdf(const char *s, char *out, size_t size)
{
	unsigned long dom, bus, dev, fn;

	if (bdf_parse(s, &dom, &bus, &dev, &fn) < 0)
		return -EINVAL;
	if (out && snprintf(out, size, "%04lx:%02lx:%02lx.%lx", dom, bus, dev,
			    fn) >= (int)size)
		return -ENOSPC;
	return 0;
}

/* The bus order of a PCI address as one number; -EINVAL for other names */
int pci_addr_key(const char *s, uint64_t *key)
{
	unsigned long dom, bus, dev, fn;

	if (bdf_parse(s, &dom, &bus, &dev, &fn) < 0)
		return -EINVAL;
	*key = (uint64_t)dom << 16 | bus << 8 | dev << 3 | fn;
	return 0;
}

/* PCI addresses in bus order ("0000:00:02.0" before "0000:00:1f.0"), any
 * other names naturally, PCI addresses first. */
int pci_name_cmp(const char *a, const char *b)
{
	uint64_t ka, kb;
	int pa = pci_addr_key(a, &ka) == 0, pb = pci_addr_key(b, &kb) == 0;

	if (pa && pb)
		return ka < kb ? -1 : ka > kb;
	if (pa != pb)
		return pa ? -1 : 1;
	return natural_cmp(a, b);
}
