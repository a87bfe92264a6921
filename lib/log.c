// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Logging: the context's callback and priority. Every file logs (dbg() and
 * friends, private.h); this one calls nothing else in the library.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "private.h"

void log_stderr(struct iommuctl_ctx *ctx, int priority, const char *file,
		int line, const char *fn, const char *format, va_list args)
{
	(void)ctx;
	(void)priority;
	(void)file;
	(void)line;
	fprintf(stderr, "libiommuctl: %s: ", fn);
	vfprintf(stderr, format, args);
}

void iommuctl_log(struct iommuctl_ctx *ctx, int priority, const char *file,
		  int line, const char *fn, const char *fmt, ...)
{
	va_list ap;

	if (!ctx->log_fn)
		return;
	va_start(ap, fmt);
	ctx->log_fn(ctx, priority, file, line, fn, fmt, ap);
	va_end(ap);
}

IOMMUCTL_EXPORT int iommuctl_parse_log_priority(const char *s)
{
	static const struct {
		const char *name;
		int prio;
	} names[] = {
		{ "err", LOG_ERR },	    { "error", LOG_ERR },
		{ "warning", LOG_WARNING }, { "warn", LOG_WARNING },
		{ "notice", LOG_NOTICE },   { "info", LOG_INFO },
		{ "debug", LOG_DEBUG },
	};
	char *end;
	long v;
	size_t i;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (!errno && *end == '\0')
		return v >= 0 && v <= 7 ? (int)v : -EINVAL;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(s, names[i].name))
			return names[i].prio;
	return -EINVAL;
}

IOMMUCTL_EXPORT void iommuctl_set_log_fn(struct iommuctl_ctx *ctx,
					 iommuctl_log_fn fn)
{
	ctx->log_fn = fn;
}

IOMMUCTL_EXPORT int iommuctl_get_log_priority(struct iommuctl_ctx *ctx)
{
	return ctx->log_priority;
}

IOMMUCTL_EXPORT void iommuctl_set_log_priority(struct iommuctl_ctx *ctx,
					       int priority)
{
	ctx->log_priority = priority;
}
