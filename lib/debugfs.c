// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Readers of the Intel VT-d files in /sys/kernel/debug/iommu/intel:
 * iommu_regset, dmar_translation_struct, invalidation_queue and
 * ir_translation_struct; of the AMD-Vi command buffers
 * (amd/iommuXX/cmdbuf, 6.17+); plus the words for why a file is not there.
 *
 * The text comes from drivers/iommu/intel/debugfs.c and
 * drivers/iommu/amd/debugfs.c (printf formats in kernel-interfaces.md 6.1
 * and 6.2), but offline it comes from a bug-report bundle
 * we do not trust: every line is read through the bounded line reader and
 * parsed strictly, field widths included. A line we cannot parse is -EINVAL
 * with "FILE line N: what was expected" in the context's error slot; nothing is
 * guessed. Unknown register names, blank lines and trailing blanks or "\r"
 * are fine. Rows are handed to callbacks as they are read, so memory stays
 * at one line (and one unit's registers for iommu_regset).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "private.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define DFS_DIR "/sys/kernel/debug/iommu"
/* The longest line the kernel prints is a dmar_translation_struct row of
 * about 150 bytes; anything near this bound is not the kernel's. */
#define DFS_MAX_LINE 4096
#define DFS_UNIT_MAX 64 /* unit names: "dmar0" */
#define DFS_REG_NAME_MAX 48 /* register names: "MTRR_FIX64K_00000" */
#define DFS_MAX_REGS 1024 /* registers per unit (the kernel prints 65) */
#define DFS_MAX_UNITS \
	1024 /* units in iommu_regset (a DMAR table lists a few) */

IOMMUCTL_EXPORT const char *iommuctl_vtd_ttype_name(enum iommuctl_vtd_ttype t)
{
	return names_get(NAMES_VTD_TTYPE, t);
}

/* --- reading ----------------------------------------------------------- */

struct dfs {
	struct iommuctl_ctx *ctx;
	const char *file; /* "intel/iommu_regset", for error texts */
	struct lines l;
	uint64_t line; /* number of the line being parsed */
	int fd;
};

/* the context's error slot, with the context as its owner */
static void dfs_set_error(struct iommuctl_ctx *ctx, char *msg)
{
	ctx_error_set(ctx, ctx, msg);
}

IOMMUCTL_EXPORT const char *iommuctl_debugfs_error(struct iommuctl_ctx *ctx)
{
	return ctx_error_of(ctx, ctx);
}

/* Records "FILE line N: ..." and returns @rc (-ENOMEM if that fails). */
static int dfs_fail(struct dfs *d, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int dfs_fail(struct dfs *d, int rc, const char *fmt, ...)
{
	char *msg, *full;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	if (d->line)
		n = asprintf(&full, "%s line %llu: %s", d->file,
			     (unsigned long long)d->line, msg);
	else
		n = asprintf(&full, "%s: %s", d->file, msg);
	free(msg);
	if (n < 0)
		return -ENOMEM;
	dfs_set_error(d->ctx, full);
	return rc;
}

static int dfs_open(struct dfs *d, struct iommuctl_ctx *ctx, const char *file)
{
	char *path;
	int fd;

	memset(d, 0, sizeof(*d));
	d->ctx = ctx;
	d->file = file;
	d->fd = -1;
	dfs_set_error(ctx, NULL);
	path = path_join(DFS_DIR, file);
	if (!path)
		return -ENOMEM;
	fd = sysfs_open(ctx, path, O_RDONLY);
	if (fd < 0) {
		dbg(ctx, "open %s: %s\n", path, strerror(-fd));
		free(path);
		if (fd == -EPERM)
			return -EACCES;
		return fd == -ENOTDIR ? -ENOENT : fd;
	}
	free(path);
	d->fd = fd;
	lines_init_fd(&d->l, fd, DFS_MAX_LINE);
	return 0;
}

static void dfs_close(struct dfs *d)
{
	lines_free(&d->l);
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

/* 1 and the next line without trailing blanks, 0 at the end, -errno. */
static int dfs_next(struct dfs *d, char **out)
{
	char *line;
	size_t len;
	int rc;

	rc = lines_next(&d->l, &line, &len);
	if (rc == -E2BIG) {
		d->line = d->l.lineno + 1;
		return dfs_fail(d, -EINVAL, "longer than %d bytes",
				DFS_MAX_LINE);
	}
	if (rc < 0) {
		d->line = 0;
		return dfs_fail(d, rc, "read error: %s", strerror(-rc));
	}
	if (rc == 0)
		return 0;
	d->line = d->l.lineno;
	if (strlen(line) != len)
		return dfs_fail(d, -EINVAL, "contains a NUL byte");
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
		       line[len - 1] == '\r'))
		line[--len] = '\0';
	*out = line;
	return 1;
}

/*
 * Reads @file line by line into @line_fn(d, line, state) until it returns
 * nonzero; at the end of the file once more with @line NULL (to finish the
 * last unit, or to check the file had what it must). Returns 0, the first
 * nonzero return of @line_fn, or -errno (open, read, a line too long).
 */
static int dfs_each(struct iommuctl_ctx *ctx, const char *file,
		    int (*line_fn)(struct dfs *d, const char *line,
				   void *state),
		    void *state)
{
	char *line = NULL;
	struct dfs d;
	int rc;

	rc = dfs_open(&d, ctx, file);
	if (rc < 0)
		return rc;
	while ((rc = dfs_next(&d, &line)) > 0) {
		rc = line_fn(&d, line, state);
		if (rc)
			break;
	}
	if (rc == 0)
		rc = line_fn(&d, NULL, state);
	dfs_close(&d);
	return rc;
}

/* --- scanning: each helper advances *p only on success ------------------ */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void sc_ws(const char **p)
{
	while (is_blank(**p))
		(*p)++;
}

/* At least one blank. */
static bool sc_sep(const char **p)
{
	if (!is_blank(**p))
		return false;
	sc_ws(p);
	return true;
}

static bool sc_lit(const char **p, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*p, lit, n))
		return false;
	*p += n;
	return true;
}

/* @lit, then any blanks */
static bool sc_lit_ws(const char **p, const char *lit)
{
	if (!sc_lit(p, lit))
		return false;
	sc_ws(p);
	return true;
}

static bool sc_end(const char *p)
{
	sc_ws(&p);
	return *p == '\0';
}

/* 1 to @maxd (<= 16) hex digits, not followed by another. */
static bool sc_hex(const char **p, unsigned int maxd, uint64_t *v)
{
	const char *s = *p;
	unsigned int n = 0;
	uint64_t x = 0;
	int h;

	while ((h = hex_digit(*s)) >= 0) {
		if (++n > maxd)
			return false;
		x = x << 4 | (unsigned int)h;
		s++;
	}
	if (!n)
		return false;
	*v = x;
	*p = s;
	return true;
}

static bool sc_hex0x(const char **p, uint64_t *v)
{
	const char *s = *p;

	if (!sc_lit(&s, "0x") || !sc_hex(&s, 16, v))
		return false;
	*p = s;
	return true;
}

/* Decimal up to @max. */
static bool sc_dec(const char **p, uint64_t max, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned int dgt = (unsigned int)(*s - '0');

		if (x > (max - dgt) / 10)
			return false;
		x = x * 10 + dgt;
	}
	*v = x;
	*p = s;
	return true;
}

/* A unit name: printable, no blanks, not @stop, shorter than @cap. */
static bool sc_name(const char **p, char *buf, size_t cap, char stop)
{
	const char *s = *p;
	size_t n = 0;

	while (*s > ' ' && *s < 0x7f && *s != stop) {
		if (n + 1 >= cap)
			return false;
		buf[n++] = *s++;
	}
	if (!n)
		return false;
	buf[n] = '\0';
	*p = s;
	return true;
}

/* "bb:dd.f" as %02x:%02x.%x prints it */
static bool sc_bdf(const char **p, uint8_t *bus, uint8_t *devfn)
{
	const char *s = *p;
	uint64_t b, d, f;

	if (!sc_hex(&s, 2, &b) || !sc_lit(&s, ":") || !sc_hex(&s, 2, &d) ||
	    d > 0x1f || !sc_lit(&s, ".") || !sc_hex(&s, 1, &f) || f > 7)
		return false;
	*bus = (uint8_t)b;
	*devfn = (uint8_t)(d << 3 | f);
	*p = s;
	return true;
}

/* "0x%016llx:0x%016llx[:...]", @n values */
static bool sc_qwords(const char **p, uint64_t *v, unsigned int n)
{
	const char *s = *p;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (i && !sc_lit(&s, ":"))
			return false;
		if (!sc_hex0x(&s, &v[i]))
			return false;
	}
	*p = s;
	return true;
}

/* Does the line start with the word @w (then a blank or the end)? */
static bool first_word(const char *line, const char *w)
{
	size_t n = strlen(w);

	sc_ws(&line);
	return !strncmp(line, w, n) && (!line[n] || is_blank(line[n]));
}

/* --- intel/iommu_regset ------------------------------------------------ */

struct regset_state {
	bool have; /* a unit header was read */
	char unit[DFS_UNIT_MAX];
	uint64_t base;
	struct iommuctl_vtd_reg *regs;
	char (*names)[DFS_REG_NAME_MAX];
	size_t n, cap;
	int (*cb)(const struct iommuctl_vtd_regset *rs, void *arg);
	void *arg;
	char (*seen)[DFS_UNIT_MAX]; /* the units read so far */
	size_t nseen;
};

/* The kernel lists each unit once: a second header for one (a damaged
 * or doctored file) is refused, before its rows are read again. */
static int regset_seen(struct dfs *d, struct regset_state *st, const char *unit)
{
	char(*ns)[DFS_UNIT_MAX];
	size_t i;

	for (i = 0; i < st->nseen; i++)
		if (!strcmp(st->seen[i], unit))
			return dfs_fail(d, -EINVAL, "unit %s is listed twice",
					unit);
	if (st->nseen >= DFS_MAX_UNITS)
		return dfs_fail(d, -EINVAL, "more than %d units",
				DFS_MAX_UNITS);
	ns = realloc(st->seen, (st->nseen + 1) * sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	st->seen = ns;
	snprintf(st->seen[st->nseen++], DFS_UNIT_MAX, "%s", unit);
	return 0;
}

static int regset_flush(struct regset_state *st)
{
	struct iommuctl_vtd_regset rs;
	size_t i;

	if (!st->have)
		return 0;
	for (i = 0; i < st->n; i++)
		st->regs[i].name = st->names[i];
	rs.unit = st->unit;
	rs.base = st->base;
	rs.regs = st->regs;
	rs.nregs = st->n;
	st->have = false;
	st->n = 0;
	return st->cb(&rs, st->arg);
}

static int regset_add(struct dfs *d, struct regset_state *st, const char *name,
		      uint32_t offset, uint64_t value)
{
	if (st->n == st->cap) {
		size_t ncap = st->cap ? st->cap * 2 : 64;
		struct iommuctl_vtd_reg *nr;
		char(*nn)[DFS_REG_NAME_MAX];

		if (st->n >= DFS_MAX_REGS)
			return dfs_fail(d, -EINVAL,
					"more than %d registers in unit %s",
					DFS_MAX_REGS, st->unit);
		nr = realloc(st->regs, ncap * sizeof(*nr));
		if (!nr)
			return -ENOMEM;
		st->regs = nr;
		nn = realloc(st->names, ncap * sizeof(*nn));
		if (!nn)
			return -ENOMEM;
		st->names = nn;
		st->cap = ncap;
	}
	snprintf(st->names[st->n], DFS_REG_NAME_MAX, "%s", name);
	st->regs[st->n].name = NULL;
	st->regs[st->n].offset = offset;
	st->regs[st->n].value = value;
	st->n++;
	return 0;
}

static int regset_line(struct dfs *d, const char *line, void *state)
{
	char name[DFS_REG_NAME_MAX], unit[DFS_UNIT_MAX];
	struct regset_state *st = state;
	const char *p = line;
	uint64_t off, val;
	int rc;

	if (!line) /* the end: the last unit */
		return regset_flush(st);
	if (!*p)
		return 0;
	if (sc_lit(&p, "IOMMU:")) {
		sc_ws(&p);
		if (sc_lit(&p, "Invalid base address") && sc_end(p)) {
			rc = regset_flush(st);
			if (rc)
				return rc;
			return dfs_fail(
				d, -EINVAL,
				"the kernel found a unit without a register base address");
		}
		if (!sc_name(&p, unit, sizeof(unit), 0) || !sc_sep(&p) ||
		    !sc_lit(&p, "Register Base Address:"))
			return dfs_fail(
				d, -EINVAL,
				"expected \"IOMMU: NAME Register Base Address: HEX\"");
		sc_ws(&p);
		sc_lit(&p, "0x");
		if (!sc_hex(&p, 16, &off) || !sc_end(p))
			return dfs_fail(d, -EINVAL,
					"expected a hexadecimal base address");
		rc = regset_flush(st);
		if (!rc)
			rc = regset_seen(d, st, unit);
		if (rc)
			return rc;
		memcpy(st->unit, unit, sizeof(unit));
		st->base = off;
		st->have = true;
		return 0;
	}
	if (!st->have)
		return dfs_fail(d, -EINVAL, "row before any unit header");
	if (first_word(line, "Name"))
		return 0; /* "Name\t\t\tOffset\t\tContents" */
	if (!sc_name(&p, name, sizeof(name), 0) || !sc_sep(&p) ||
	    !sc_lit(&p, "0x") || !sc_hex(&p, 8, &off) || !sc_sep(&p) ||
	    !sc_hex0x(&p, &val) || !sc_end(p))
		return dfs_fail(d, -EINVAL, "expected NAME 0xOFFSET 0xVALUE");
	return regset_add(d, st, name, (uint32_t)off, val);
}

IOMMUCTL_EXPORT int
iommuctl_vtd_regsets(struct iommuctl_ctx *ctx,
		     int (*cb)(const struct iommuctl_vtd_regset *rs, void *arg),
		     void *arg)
{
	struct regset_state st = { .cb = cb, .arg = arg };
	int rc;

	if (!ctx || !cb)
		return -EINVAL;
	rc = dfs_each(ctx, "intel/iommu_regset", regset_line, &st);
	free(st.regs);
	free(st.names);
	free(st.seen);
	return rc;
}

IOMMUCTL_EXPORT int
iommuctl_vtd_regset_find(const struct iommuctl_vtd_regset *rs, const char *name,
			 uint64_t *value)
{
	size_t i;

	if (!rs || !name || !value)
		return -EINVAL;
	for (i = 0; i < rs->nregs; i++) {
		if (rs->regs[i].name && !strcasecmp(rs->regs[i].name, name)) {
			*value = rs->regs[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

#define STATUS_ITEM(m)                                             \
	{                                                          \
		.key = #m, .type = IOMMUCTL_ITEM_BOOL,             \
		.offset = offsetof(struct iommuctl_vtd_status, m), \
	}

/* The GSTS flags in the order to show them, and their bits. */
static const struct iommuctl_item status_items[] = {
	STATUS_ITEM(translation), /* TES */
	STATUS_ITEM(root_table_set), /* RTPS */
	STATUS_ITEM(queued_invalidation), /* QIES */
	STATUS_ITEM(interrupt_remapping), /* IRES */
	STATUS_ITEM(interrupt_table_set), /* IRTPS */
	STATUS_ITEM(compat_format_interrupts), /* CFIS */
	STATUS_ITEM(write_buffer_flush), /* WBFS */
};
static const unsigned int status_bits[ARRAY_SIZE(status_items)] = {
	31, /* TES */
	30, /* RTPS */
	26, /* QIES */
	25, /* IRES */
	24, /* IRTPS */
	23, /* CFIS */
	27, /* WBFS */
};

IOMMUCTL_EXPORT const struct iommuctl_item *
iommuctl_vtd_status_items(unsigned int *n)
{
	if (n)
		*n = ARRAY_SIZE(status_items);
	return status_items;
}

IOMMUCTL_EXPORT int
iommuctl_vtd_regset_status(const struct iommuctl_vtd_regset *rs,
			   struct iommuctl_vtd_status *st)
{
	static const char *const ttm[] = { "legacy", "scalable", "reserved",
					   "abort-dma" };
	const struct iommuctl_regfield *f;
	unsigned int i, n;
	uint64_t v;

	if (!rs || !st)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	if (iommuctl_vtd_regset_find(rs, "GSTS", &v) == 0) {
		st->have_gsts = true;
		for (i = 0; i < ARRAY_SIZE(status_items); i++)
			*(bool *)((char *)st + status_items[i].offset) =
				(v >> status_bits[i]) & 1;
	}
	if (iommuctl_vtd_regset_find(rs, "RTADDR", &v) == 0)
		st->mode = ttm[(v >> 10) & 3];
	if (iommuctl_vtd_regset_find(rs, "FSTS", &v) == 0) {
		st->have_fsts = true;
		f = iommuctl_vtd_fsts_fields(&n);
		for (i = 0; i < n && st->nfaults < ARRAY_SIZE(st->faults); i++)
			if (f[i].lo == f[i].hi &&
			    iommuctl_regfield_value(&f[i], v))
				st->faults[st->nfaults++] = f[i].name;
	}
	return 0;
}

/* --- intel/dmar_translation_struct -------------------------------------- */

/* Legacy context AW and PASID entry AW: 1 39, 2 48, 3 57 bits. */
static unsigned int aw_bits(uint64_t aw)
{
	return aw >= 1 && aw <= 3 ? 30 + 9 * (unsigned int)aw : 0;
}

/* Translation type and table by the legacy context or the PASID entry. */
static void vtd_decode_entry(struct iommuctl_vtd_context *c)
{
	static const enum iommuctl_vtd_ttype legacy_tt[4] = {
		IOMMUCTL_VTD_TT_MULTI_LEVEL, IOMMUCTL_VTD_TT_DEV_IOTLB,
		IOMMUCTL_VTD_TT_PASS_THROUGH, IOMMUCTL_VTD_TT_UNKNOWN
	};
	static const enum iommuctl_vtd_ttype pgtt[8] = {
		[1] = IOMMUCTL_VTD_TT_FIRST_STAGE,
		[2] = IOMMUCTL_VTD_TT_SECOND_STAGE,
		[3] = IOMMUCTL_VTD_TT_NESTED,
		[4] = IOMMUCTL_VTD_TT_PASS_THROUGH,
	};
	uint64_t hi = c->context[0], lo = c->context[1];
	uint64_t q0 = c->pasid_entry[2], q1 = c->pasid_entry[1],
		 q2 = c->pasid_entry[0];

	if (!c->scalable) {
		c->present = lo & 1;
		c->fault_disable = (lo >> 1) & 1;
		c->ttype = legacy_tt[(lo >> 2) & 3];
		c->address_width = aw_bits(hi & 7);
		c->domain_id = (uint16_t)(hi >> 8);
		c->table = 0;
		if (c->ttype == IOMMUCTL_VTD_TT_MULTI_LEVEL ||
		    c->ttype == IOMMUCTL_VTD_TT_DEV_IOTLB)
			c->table = lo & ~UINT64_C(0xfff);
		c->pasid_dir = 0;
		return;
	}

	c->pasid_dir = lo & ~UINT64_C(0xfff);
	c->present = q0 & 1;
	c->fault_disable = (q0 >> 1) & 1;
	c->ttype = pgtt[(q0 >> 6) & 7];
	c->domain_id = (uint16_t)q1;
	switch (c->ttype) {
	case IOMMUCTL_VTD_TT_FIRST_STAGE:
		/* FLPM, qword2 bits 3:2: 0 4-level, 1 5-level */
		c->address_width = ((q2 >> 2) & 3) == 0 ? 48 :
				   ((q2 >> 2) & 3) == 1 ? 57 :
							  0;
		c->table = q2 & ~UINT64_C(0xfff);
		break;
	case IOMMUCTL_VTD_TT_SECOND_STAGE:
	case IOMMUCTL_VTD_TT_NESTED:
		c->address_width = aw_bits((q0 >> 2) & 7);
		c->table = q0 & ~UINT64_C(0xfff);
		break;
	default:
		c->address_width = aw_bits((q0 >> 2) & 7);
		c->table = 0;
		break;
	}
}

static void vtd_decode_context(struct iommuctl_vtd_context *c)
{
	unsigned int aw;

	vtd_decode_entry(c);
	aw = c->address_width;
	/* 12 bits of page offset, 9 per level */
	c->levels = aw == 39 || aw == 48 || aw == 57 ? (aw - 12) / 9 : 0;
}

enum unit_state { UNIT_NONE, UNIT_ON, UNIT_OFF, UNIT_NEED_ADDR };

struct ctx_state {
	enum unit_state st;
	char unit[DFS_UNIT_MAX];
	uint64_t root_table;
	int (*unit_cb)(const struct iommuctl_vtd_unit_state *u, void *arg);
	int (*cb)(const struct iommuctl_vtd_context *c, void *arg);
	void *arg;
};

static int contexts_line(struct dfs *d, const char *line, void *state)
{
	struct iommuctl_vtd_unit_state u = { 0 };
	struct ctx_state *s = state;
	struct iommuctl_vtd_context c;
	char unit[DFS_UNIT_MAX];
	const char *p = line;
	uint64_t v;

	if (!line || !*p)
		return 0;
	if (sc_lit(&p, "IOMMU ")) {
		if (!sc_name(&p, unit, sizeof(unit), ':') ||
		    !sc_lit_ws(&p, ": Root Table Address:") ||
		    !sc_hex0x(&p, &v) || !sc_end(p))
			return dfs_fail(
				d, -EINVAL,
				"expected \"IOMMU NAME: Root Table Address: 0xHEX\"");
		memcpy(s->unit, unit, sizeof(unit));
		s->root_table = v;
		s->st = UNIT_ON;
		u.unit = s->unit;
		u.enabled = true;
		u.table = v;
		return s->unit_cb ? s->unit_cb(&u, s->arg) : 0;
	}
	if (sc_lit(&p, "DMA Remapping is not enabled on ")) {
		if (!sc_name(&p, unit, sizeof(unit), 0) || !sc_end(p))
			return dfs_fail(d, -EINVAL, "expected a unit name");
		memcpy(s->unit, unit, sizeof(unit));
		s->root_table = 0;
		s->st = UNIT_OFF;
		u.unit = s->unit;
		return s->unit_cb ? s->unit_cb(&u, s->arg) : 0;
	}
	if (s->st == UNIT_NONE)
		return dfs_fail(d, -EINVAL, "row before any unit header");
	if (s->st == UNIT_OFF)
		return dfs_fail(
			d, -EINVAL,
			"row after \"DMA Remapping is not enabled on %s\"",
			s->unit);
	if (first_word(line, "B.D.F"))
		return 0;

	memset(&c, 0, sizeof(c));
	c.unit = s->unit;
	c.root_table = s->root_table;
	if (!sc_bdf(&p, &c.bus, &c.devfn) || !sc_sep(&p) ||
	    !sc_qwords(&p, c.root, 2) || !sc_sep(&p) ||
	    !sc_qwords(&p, c.context, 2) || !sc_sep(&p))
		goto bad;
	if (sc_lit(&p, "-1")) {
		c.pasid = -1;
	} else {
		if (!sc_dec(&p, INT32_MAX, &v))
			goto bad;
		c.pasid = (int32_t)v;
		c.scalable = true;
	}
	if (!sc_sep(&p) || !sc_qwords(&p, c.pasid_entry, 3) || !sc_end(p))
		goto bad;
	vtd_decode_context(&c);
	return s->cb(&c, s->arg);
bad:
	return dfs_fail(
		d, -EINVAL,
		"expected BB:DD.F 0xROOT_HI:0xROOT_LO 0xCTX_HI:0xCTX_LO PASID 0xQW2:0xQW1:0xQW0");
}

IOMMUCTL_EXPORT int iommuctl_vtd_contexts(
	struct iommuctl_ctx *ctx,
	int (*unit_cb)(const struct iommuctl_vtd_unit_state *u, void *arg),
	int (*cb)(const struct iommuctl_vtd_context *c, void *arg), void *arg)
{
	struct ctx_state s = { .unit_cb = unit_cb, .cb = cb, .arg = arg };

	if (!ctx || !cb)
		return -EINVAL;
	return dfs_each(ctx, "intel/dmar_translation_struct", contexts_line,
			&s);
}

/* iommuctl_vtd_contexts_get(): the units so far, and the device asked for */
struct ctx_all {
	struct iommuctl_vtd_unit_contexts *u;
	size_t n;
	int bus, devfn; /* -1: every device */
};

static int all_unit(const struct iommuctl_vtd_unit_state *st, void *arg)
{
	struct ctx_all *a = arg;
	struct iommuctl_vtd_unit_contexts *u;
	char *name = strdup(st->unit);

	u = name ? realloc(a->u, (a->n + 1) * sizeof(*u)) : NULL;
	if (!u) {
		free(name);
		return -ENOMEM;
	}
	a->u = u;
	u += a->n++;
	memset(u, 0, sizeof(*u));
	u->unit = *st;
	u->unit.unit = name;
	return 0;
}

static int all_row(const struct iommuctl_vtd_context *c, void *arg)
{
	struct ctx_all *a = arg;
	struct iommuctl_vtd_unit_contexts *u = &a->u[a->n - 1];
	struct iommuctl_vtd_context *rows;

	/* contexts_line() refuses rows before a unit header */
	if (a->bus >= 0 && (c->bus != a->bus || c->devfn != a->devfn))
		return 0;
	rows = realloc(u->rows, (u->n + 1) * sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	u->rows = rows;
	rows[u->n] = *c;
	rows[u->n++].unit = u->unit.unit;
	return 0;
}

IOMMUCTL_EXPORT int
iommuctl_vtd_contexts_get(struct iommuctl_ctx *ctx, const char *device,
			  struct iommuctl_vtd_unit_contexts **out, size_t *n)
{
	struct ctx_all a = { .bus = -1 };
	unsigned int bus, dev, fn;
	char bdf[32];
	int rc;

	if (!out || !n)
		return -EINVAL;
	*out = NULL;
	*n = 0;
	if (device) {
		if (iommuctl_parse_bdf(device, bdf, sizeof(bdf)) < 0 ||
		    sscanf(strchr(bdf, ':') + 1, "%x:%x.%x", &bus, &dev, &fn) !=
			    3)
			return -EINVAL;
		a.bus = (int)bus;
		a.devfn = (int)(dev << 3 | fn);
	}
	rc = iommuctl_vtd_contexts(ctx, all_unit, all_row, &a);
	if (rc < 0) {
		iommuctl_vtd_contexts_free(a.u, a.n);
		return rc;
	}
	*out = a.u;
	*n = a.n;
	return 0;
}

IOMMUCTL_EXPORT void
iommuctl_vtd_contexts_free(struct iommuctl_vtd_unit_contexts *u, size_t n)
{
	size_t i;

	for (i = 0; u && i < n; i++) {
		free((char *)u[i].unit.unit);
		free(u[i].rows);
	}
	free(u);
}

/* --- intel/invalidation_queue ------------------------------------------- */

static const char *qi_type_name(unsigned int type)
{
	/* QI_*_TYPE in drivers/iommu/intel/iommu.h */
	static const char *const names[] = {
		[1] = "context-cache", [2] = "iotlb",
		[3] = "dev-tlb",       [4] = "iec",
		[5] = "wait",	       [6] = "pasid-iotlb",
		[7] = "pasid-cache",   [8] = "pasid-dev-tlb",
		[9] = "page-response",
	};

	if (type < ARRAY_SIZE(names) && names[type])
		return names[type];
	return "unknown";
}

static const char *const qi_status[] = {
	[IOMMUCTL_VTD_QI_FREE] = "free",
	[IOMMUCTL_VTD_QI_IN_USE] = "in-use",
	[IOMMUCTL_VTD_QI_DONE] = "done",
	[IOMMUCTL_VTD_QI_ABORT] = "abort",
};

struct qi_state {
	enum { QI_NONE, QI_UNIT, QI_BASE, QI_ROWS } st;
	char unit[DFS_UNIT_MAX];
	struct iommuctl_vtd_qi q;
	int (*unit_cb)(const struct iommuctl_vtd_qi *q, void *arg);
	int (*cb)(const struct iommuctl_vtd_qi *q,
		  const struct iommuctl_vtd_qi_desc *d, void *arg);
	void *arg;
};

/* "Index qw0 qw1 [qw2 qw3] status": 1 wide, 0 narrow, -1 neither */
static int qi_header(const char *line)
{
	static const char *const words[] = { "Index", "qw0", "qw1",
					     "qw2",   "qw3", "status" };
	const char *p = line;
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(words); i++) {
		sc_ws(&p);
		if (n == 3 && first_word(p, "status")) {
			p += strlen("status");
			return sc_end(p) ? 0 : -1;
		}
		if (!first_word(p, words[i]))
			return -1;
		p += strlen(words[i]);
		n++;
	}
	return sc_end(p) ? 1 : -1;
}

static int qi_line(struct dfs *d, const char *line, void *state)
{
	struct iommuctl_vtd_qi_desc desc;
	struct qi_state *s = state;
	char unit[DFS_UNIT_MAX];
	const char *p = line;
	unsigned int i, nq;
	uint64_t v;
	int wide;

	if (!line || !*p)
		return 0;
	if (sc_lit(&p, "Invalidation queue on IOMMU:")) {
		sc_ws(&p);
		if (!sc_name(&p, unit, sizeof(unit), 0) || !sc_end(p))
			return dfs_fail(d, -EINVAL, "expected a unit name");
		memcpy(s->unit, unit, sizeof(unit));
		memset(&s->q, 0, sizeof(s->q));
		s->q.unit = s->unit;
		s->st = QI_UNIT;
		return 0;
	}
	if (s->st == QI_NONE)
		return dfs_fail(d, -EINVAL, "row before any unit header");
	sc_ws(&p);
	if (sc_lit(&p, "Base:")) {
		if (s->st != QI_UNIT)
			return dfs_fail(d, -EINVAL, "a second Base line");
		sc_ws(&p);
		if (!sc_hex0x(&p, &s->q.base) || !sc_sep(&p) ||
		    !sc_lit_ws(&p, "Head:") ||
		    !sc_dec(&p, INT64_MAX, &s->q.head) || !sc_sep(&p) ||
		    !sc_lit_ws(&p, "Tail:") ||
		    !sc_dec(&p, INT64_MAX, &s->q.tail) || !sc_end(p))
			return dfs_fail(
				d, -EINVAL,
				"expected \"Base: 0xHEX Head: N Tail: N\"");
		s->st = QI_BASE;
		return 0;
	}
	if (first_word(line, "Index")) {
		if (s->st != QI_BASE)
			return dfs_fail(d, -EINVAL,
					"column header without a Base line");
		wide = qi_header(line);
		if (wide < 0)
			return dfs_fail(
				d, -EINVAL,
				"expected \"Index qw0 qw1 [qw2 qw3] status\"");
		s->q.wide = wide;
		s->st = QI_ROWS;
		return s->unit_cb ? s->unit_cb(&s->q, s->arg) : 0;
	}
	if (s->st != QI_ROWS)
		return dfs_fail(d, -EINVAL, "row before the column header");

	memset(&desc, 0, sizeof(desc));
	nq = s->q.wide ? 4 : 2;
	if (!sc_dec(&p, UINT32_MAX, &v))
		goto bad;
	desc.index = (unsigned int)v;
	for (i = 0; i < nq; i++)
		if (!sc_sep(&p) || !sc_hex(&p, 16, &desc.qw[i]))
			goto bad;
	if (!sc_sep(&p) || !sc_hex(&p, 16, &desc.status) || !sc_end(p))
		goto bad;
	desc.type = (unsigned int)((desc.qw[0] & 0xf) | ((desc.qw[0] >> 9) & 7)
								<< 4);
	desc.type_name = qi_type_name(desc.type);
	if (desc.status < ARRAY_SIZE(qi_status))
		desc.status_name = qi_status[desc.status];
	return s->cb(&s->q, &desc, s->arg);
bad:
	return dfs_fail(d, -EINVAL, "expected INDEX %s STATUS in hex",
			s->q.wide ? "QW0 QW1 QW2 QW3" : "QW0 QW1");
}

IOMMUCTL_EXPORT int iommuctl_vtd_invalidation_queues(
	struct iommuctl_ctx *ctx,
	int (*unit_cb)(const struct iommuctl_vtd_qi *q, void *arg),
	int (*cb)(const struct iommuctl_vtd_qi *q,
		  const struct iommuctl_vtd_qi_desc *d, void *arg),
	void *arg)
{
	struct qi_state s = { .unit_cb = unit_cb, .cb = cb, .arg = arg };

	if (!ctx || !cb)
		return -EINVAL;
	return dfs_each(ctx, "intel/invalidation_queue", qi_line, &s);
}

/* --- intel/ir_translation_struct ---------------------------------------- */

struct ir_state {
	enum unit_state st;
	bool posted;
	struct iommuctl_vtd_unit_state u;
	char unit[DFS_UNIT_MAX];
	int (*unit_cb)(const struct iommuctl_vtd_unit_state *u, bool posted,
		       void *arg);
	int (*cb)(const struct iommuctl_vtd_unit_state *u,
		  const struct iommuctl_vtd_irte *e, void *arg);
	void *arg;
};

static int ir_line(struct dfs *d, const char *line, void *state)
{
	/* the IRTE delivery modes; 3 and 6 are reserved */
	static const char *const delivery[8] = {
		"fixed", "lowest-priority", "smi", NULL, "nmi", "init",
		NULL,	 "extint",
	};
	struct ir_state *s = state;
	struct iommuctl_vtd_irte e;
	char unit[DFS_UNIT_MAX];
	const char *p = line;
	uint64_t idx, dst, pda_l = 0, vec;
	uint8_t bus, devfn;
	bool posted;

	if (!line || !*p)
		return 0;
	posted = sc_lit(&p, "Posted Interrupt supported on IOMMU:");
	if (posted || sc_lit(&p, "Remapped Interrupt supported on IOMMU:")) {
		sc_ws(&p);
		if (!sc_name(&p, unit, sizeof(unit), 0) || !sc_end(p))
			return dfs_fail(d, -EINVAL, "expected a unit name");
		memcpy(s->unit, unit, sizeof(unit));
		memset(&s->u, 0, sizeof(s->u));
		s->u.unit = s->unit;
		s->posted = posted;
		s->st = UNIT_NEED_ADDR;
		return 0;
	}
	if (!strcmp(line, "****")) {
		/* the remapped sections end, the posted ones follow */
		s->st = UNIT_NONE;
		return 0;
	}
	if (s->st == UNIT_NONE)
		return dfs_fail(d, -EINVAL, "row before any unit header");
	sc_ws(&p);
	if (sc_lit(&p, "IR table address:")) {
		if (s->st != UNIT_NEED_ADDR)
			return dfs_fail(d, -EINVAL,
					"a second table address for %s",
					s->unit);
		sc_ws(&p);
		sc_lit(&p, "0x");
		if (!sc_hex(&p, 16, &s->u.table) || !sc_end(p))
			return dfs_fail(d, -EINVAL,
					"expected \"IR table address:HEX\"");
		s->u.enabled = true;
		s->st = UNIT_ON;
		return s->unit_cb ? s->unit_cb(&s->u, s->posted, s->arg) : 0;
	}
	if (sc_lit(&p, "Interrupt Remapping is not enabled") && sc_end(p)) {
		if (s->st != UNIT_NEED_ADDR)
			return dfs_fail(d, -EINVAL, "unexpected \"%s\"", line);
		s->st = UNIT_OFF;
		return s->unit_cb ? s->unit_cb(&s->u, s->posted, s->arg) : 0;
	}
	if (s->st != UNIT_ON)
		return dfs_fail(d, -EINVAL, "row without an IR table address");
	if (first_word(line, "Entry")) {
		if (!!strstr(line, "PDA_") != s->posted)
			return dfs_fail(
				d, -EINVAL,
				"column header of a %s section in a %s section",
				s->posted ? "remapped" : "posted",
				s->posted ? "posted" : "remapped");
		return 0;
	}

	memset(&e, 0, sizeof(e));
	p = line;
	sc_ws(&p);
	if (!sc_dec(&p, UINT32_MAX, &idx) || !sc_sep(&p) ||
	    !sc_bdf(&p, &bus, &devfn) || !sc_sep(&p) || !sc_hex(&p, 8, &dst) ||
	    !sc_sep(&p))
		goto bad;
	if (s->posted && (!sc_hex(&p, 8, &pda_l) || !sc_sep(&p)))
		goto bad;
	if (!sc_hex(&p, 2, &vec) || !sc_sep(&p) || !sc_hex(&p, 16, &e.high) ||
	    !sc_sep(&p) || !sc_hex(&p, 16, &e.low) || !sc_end(p))
		goto bad;
	e.index = (unsigned int)idx;
	e.source_id = (uint16_t)(bus << 8 | devfn);
	e.posted = s->posted;
	e.vector = (uint8_t)vec;
	e.fpd = (e.low >> 1) & 1;
	e.svt = (unsigned int)(e.high >> 18) & 3;
	e.sq = (unsigned int)(e.high >> 16) & 3;
	if (s->posted) {
		/* PDA_high is the address's bits 63:32, PDA_low (printed
		 * already shifted) its bits 31:6 */
		e.pda = dst << 32 | pda_l;
	} else {
		e.dest_id = (uint32_t)dst;
		e.dest_logical = (e.low >> 2) & 1;
		e.level = (e.low >> 4) & 1;
		e.delivery_mode = (unsigned int)(e.low >> 5) & 7;
		e.delivery_name = delivery[e.delivery_mode];
		e.trigger_name = e.level ? "level" : "edge";
		e.dest_mode_name = e.dest_logical ? "logical" : "physical";
	}
	return s->cb(&s->u, &e, s->arg);
bad:
	return dfs_fail(d, -EINVAL, "expected INDEX BB:DD.F %s VECTOR HIGH LOW",
			s->posted ? "PDA_HIGH PDA_LOW" : "DEST");
}

IOMMUCTL_EXPORT int
iommuctl_vtd_irtes(struct iommuctl_ctx *ctx,
		   int (*unit_cb)(const struct iommuctl_vtd_unit_state *u,
				  bool posted, void *arg),
		   int (*cb)(const struct iommuctl_vtd_unit_state *u,
			     const struct iommuctl_vtd_irte *e, void *arg),
		   void *arg)
{
	struct ir_state s = { .unit_cb = unit_cb, .cb = cb, .arg = arg };

	if (!ctx || !cb)
		return -EINVAL;
	return dfs_each(ctx, "intel/ir_translation_struct", ir_line, &s);
}

/* --- amd/iommuXX/cmdbuf (Linux 6.17+) ------------------------------------ */

/* The hardware takes up to 32768 slots (the pointers are 15 bits); the
 * driver has 512. */
#define AMD_CMDBUF_MAX 32768

static const char *amd_cmd_name(unsigned int opcode)
{
	/* the "Command Types" of the AMD I/O Virtualization Technology
	 * (IOMMU) Specification; Linux issues 1 to 8 */
	static const char *const names[] = {
		[1] = "COMPLETION_WAIT",
		[2] = "INVALIDATE_DEVTAB_ENTRY",
		[3] = "INVALIDATE_IOMMU_PAGES",
		[4] = "INVALIDATE_IOTLB_PAGES",
		[5] = "INVALIDATE_INTERRUPT_TABLE",
		[6] = "PREFETCH_IOMMU_PAGES",
		[7] = "COMPLETE_PPR_REQUEST",
		[8] = "INVALIDATE_IOMMU_ALL",
		[9] = "INSERT_GUEST_EVENT",
		[10] = "RESET_VMMIO",
	};

	if (opcode < ARRAY_SIZE(names) && names[opcode])
		return names[opcode];
	return "unknown";
}

/* "iommuNN" as the driver names a unit ("iommu%02d"): its index. */
static bool amd_unit_index(const char *name, unsigned int *index)
{
	const char *p = name;
	uint64_t v;

	if (!sc_lit(&p, "iommu") || strlen(p) < 2 || !sc_dec(&p, 65535, &v) ||
	    *p)
		return false;
	*index = (unsigned int)v;
	return true;
}

IOMMUCTL_EXPORT int iommuctl_amd_unit_index(const char *name)
{
	const char *p = name;
	unsigned int index;
	uint64_t v;

	if (!name)
		return -EINVAL;
	if (amd_unit_index(name, &index))
		return (int)index;
	if (sc_lit(&p, "ivhd") && sc_dec(&p, 65535, &v) && !*p)
		return (int)v;
	return -EINVAL;
}

struct cmdbuf_state {
	struct iommuctl_amd_cmdbuf b;
	bool have; /* the header line was read */
	uint64_t slots; /* rows so far */
	int (*unit_cb)(const struct iommuctl_amd_cmdbuf *b, void *arg);
	int (*cb)(const struct iommuctl_amd_cmdbuf *b,
		  const struct iommuctl_amd_cmd *c, void *arg);
	void *arg;
};

static int cmdbuf_line(struct dfs *d, const char *line, void *state)
{
	struct cmdbuf_state *s = state;
	struct iommuctl_amd_cmd c;
	const char *p = line;
	uint64_t idx, v;
	unsigned int i;

	if (!line && !s->have) {
		d->line = 0;
		return dfs_fail(
			d, -EINVAL,
			"no \"CMD Buffer Head Offset:N Tail Offset:N\" line");
	}
	if (!line || !*p)
		return 0;
	if (sc_lit(&p, "CMD Buffer Head Offset:")) {
		if (s->have)
			return dfs_fail(d, -EINVAL, "a second header line");
		sc_ws(&p);
		if (!sc_dec(&p, AMD_CMDBUF_MAX - 1, &s->b.head) ||
		    !sc_sep(&p) || !sc_lit_ws(&p, "Tail Offset:") ||
		    !sc_dec(&p, AMD_CMDBUF_MAX - 1, &s->b.tail) || !sc_end(p))
			return dfs_fail(
				d, -EINVAL,
				"expected \"CMD Buffer Head Offset:N Tail Offset:N\" (N below %d)",
				AMD_CMDBUF_MAX);
		s->have = true;
		return s->unit_cb ? s->unit_cb(&s->b, s->arg) : 0;
	}
	if (!s->have)
		return dfs_fail(
			d, -EINVAL,
			"row before the \"CMD Buffer Head Offset:N Tail Offset:N\" line");

	memset(&c, 0, sizeof(c));
	sc_ws(&p);
	if (!sc_dec(&p, UINT32_MAX, &idx) || !sc_lit(&p, ":"))
		goto bad;
	for (i = 0; i < 4; i++) {
		if (!sc_sep(&p) || !sc_hex(&p, 8, &v))
			goto bad;
		c.dw[i] = (uint32_t)v;
	}
	if (!sc_end(p))
		goto bad;
	if (idx != s->slots)
		return dfs_fail(d, -EINVAL, "slot %llu where slot %llu belongs",
				(unsigned long long)idx,
				(unsigned long long)s->slots);
	if (s->slots >= AMD_CMDBUF_MAX)
		return dfs_fail(d, -EINVAL, "more than %d slots",
				AMD_CMDBUF_MAX);
	s->slots++;
	c.index = (unsigned int)idx;
	c.opcode = c.dw[1] >> 28;
	c.name = amd_cmd_name(c.opcode);
	return s->cb(&s->b, &c, s->arg);
bad:
	return dfs_fail(d, -EINVAL,
			"expected \"INDEX: DW0 DW1 DW2 DW3\" in hex");
}

static int
cmdbuf_read(struct iommuctl_ctx *ctx, const char *unit, unsigned int index,
	    int (*unit_cb)(const struct iommuctl_amd_cmdbuf *b, void *arg),
	    int (*cb)(const struct iommuctl_amd_cmdbuf *b,
		      const struct iommuctl_amd_cmd *c, void *arg),
	    void *arg)
{
	struct cmdbuf_state s = { .b = { .unit = unit, .index = index },
				  .unit_cb = unit_cb,
				  .cb = cb,
				  .arg = arg };
	struct iommuctl_iommu *it;
	char sysfs[32], *file;
	int rc;

	snprintf(sysfs, sizeof(sysfs), "ivhd%u", index);
	it = iommuctl_iommu_get_by_name(ctx, sysfs);
	if (it && iommuctl_iommu_get_kind(it) == IOMMUCTL_IOMMU_AMD_VI)
		s.b.sysfs_unit = sysfs;
	file = path_fmt("amd/%s/cmdbuf", unit);
	if (!file)
		return -ENOMEM;
	rc = dfs_each(ctx, file, cmdbuf_line, &s);
	free(file);
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_amd_cmdbufs(
	struct iommuctl_ctx *ctx,
	int (*unit_cb)(const struct iommuctl_amd_cmdbuf *b, void *arg),
	int (*cb)(const struct iommuctl_amd_cmdbuf *b,
		  const struct iommuctl_amd_cmd *c, void *arg),
	void *arg)
{
	struct strv list = { 0 };
	unsigned int index, n = 0;
	size_t i;
	int rc;

	if (!ctx || !cb)
		return -EINVAL;
	dfs_set_error(ctx, NULL);
	rc = sysfs_list(ctx, DFS_DIR "/amd", &list);
	if (rc == -EPERM || rc == -EACCES) {
		rc = -EACCES;
		goto out;
	}
	if (rc < 0) {
		dbg(ctx, "list %s/amd: %s\n", DFS_DIR, strerror(-rc));
		rc = rc == -ENOMEM ? rc : -ENOENT;
		goto out;
	}
	/* natural order: iommu2 before iommu10 */
	for (i = 0; i < list.n && rc == 0; i++) {
		if (!amd_unit_index(list.v[i], &index))
			continue;
		n++;
		rc = cmdbuf_read(ctx, list.v[i], index, unit_cb, cb, arg);
	}
	if (rc == 0 && !n)
		rc = -ENOENT;
out:
	strv_free(&list);
	return rc;
}

/* Does @unit (or the system, without one) mean AMD-Vi units? */
static bool queue_is_amd(struct iommuctl_ctx *ctx, const char *unit)
{
	struct iommuctl_iommu *it;
	bool amd = false, vtd = false;

	if (unit) {
		it = iommuctl_iommu_get_by_name(ctx, unit);
		if (it)
			return iommuctl_iommu_get_kind(it) ==
			       IOMMUCTL_IOMMU_AMD_VI;
		if (amd_unit_index(unit, &(unsigned int){ 0 }))
			return true;
	}
	iommuctl_iommu_foreach(ctx, it) {
		amd |= iommuctl_iommu_get_kind(it) == IOMMUCTL_IOMMU_AMD_VI;
		vtd |= iommuctl_iommu_get_kind(it) == IOMMUCTL_IOMMU_INTEL_VTD;
	}
	return amd && !vtd;
}

IOMMUCTL_EXPORT int iommuctl_invalidation_file(struct iommuctl_ctx *ctx,
					       const char *unit, char *buf,
					       size_t n)
{
	struct iommuctl_iommu *it;
	int index;

	if (!ctx || !buf || !n)
		return -EINVAL;
	if (!queue_is_amd(ctx, unit))
		return snprintf(buf, n, "intel/invalidation_queue") < (int)n ?
			       0 :
			       -ENOSPC;
	/* UNIT's, or the first AMD-Vi unit's, to explain a missing one */
	index = unit ? iommuctl_amd_unit_index(unit) : -1;
	iommuctl_iommu_foreach(ctx, it) {
		if (index >= 0)
			break;
		if (iommuctl_iommu_get_kind(it) == IOMMUCTL_IOMMU_AMD_VI)
			index = iommuctl_amd_unit_index(
				iommuctl_iommu_get_name(it));
	}
	return snprintf(buf, n, "amd/iommu%02d/cmdbuf", index < 0 ? 0 : index) <
			       (int)n ?
		       1 :
		       -ENOSPC;
}

/* --- why a file is not there -------------------------------------------- */

static int why_set(char **why, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int why_set(char **why, int rc, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(why, fmt, ap);
	va_end(ap);
	if (n < 0) {
		*why = NULL;
		return -ENOMEM;
	}
	return rc;
}

struct units {
	char vtd[DFS_UNIT_MAX]; /* first VT-d unit, "" if none */
	char amd[DFS_UNIT_MAX]; /* first AMD-Vi unit */
	char *others; /* "0000:00:03.0 (virtio-iommu), ..." */
};

static int units_read(struct iommuctl_ctx *ctx, struct units *u)
{
	struct iommuctl_iommu *it;
	size_t len = 0;

	memset(u, 0, sizeof(*u));
	iommuctl_iommu_foreach(ctx, it) {
		enum iommuctl_iommu_kind kind = iommuctl_iommu_get_kind(it);
		const char *name = iommuctl_iommu_get_name(it);
		char *item, *n;
		int rc;

		if (kind == IOMMUCTL_IOMMU_MOCK)
			continue;
		if (kind == IOMMUCTL_IOMMU_INTEL_VTD ||
		    !strncmp(name, "dmar", 4)) {
			if (!u->vtd[0])
				snprintf(u->vtd, sizeof(u->vtd), "%s", name);
			continue;
		}
		if (kind == IOMMUCTL_IOMMU_AMD_VI ||
		    !strncmp(name, "ivhd", 4)) {
			if (!u->amd[0])
				snprintf(u->amd, sizeof(u->amd), "%s", name);
			continue;
		}
		rc = asprintf(&item, "%s%s (%s)", len ? ", " : "", name,
			      iommuctl_iommu_kind_name(kind));
		if (rc < 0)
			return -ENOMEM;
		n = realloc(u->others, len + (size_t)rc + 1);
		if (!n) {
			free(item);
			return -ENOMEM;
		}
		memcpy(n + len, item, (size_t)rc + 1);
		free(item);
		u->others = n;
		len += (size_t)rc;
	}
	return 0;
}

/* What a kernel's AMD-Vi driver prints in debugfs. */
enum amd_dfs {
	AMD_DFS_NONE, /* no amd/: CONFIG_AMD_IOMMU_DEBUGFS off */
	AMD_DFS_EMPTY, /* only empty amd/iommuXX directories: before 6.17 */
	AMD_DFS_FILES, /* 6.17+: cmdbuf, mmio, devid, devtbl, ... */
};

/* Why the intel/ file @file (@base its last part) is not there on an
 * AMD-Vi system (@unit), for a kernel whose AMD-Vi debugfs is @st. */
static int amd_instead(char **why, const char *file, const char *unit,
		       const char *base, enum amd_dfs st)
{
	static const struct {
		const char *file;
		const char *no; /* the driver does not print ... */
		const char *has; /* ... the file 6.17 added instead */
		const char *shows; /* what that file shows */
		bool needs_write; /* only after a write to a shared setting */
	} map[] = {
		{ "iommu_regset", "its registers as a file", "amd/iommuXX/mmio",
		  "one register, after a write of its offset", true },
		{ "dmar_translation_struct",
		  "root or context tables (it has a device table)",
		  "amd/devtbl",
		  "one device table entry, after a write of the device to "
		  "amd/devid",
		  true },
		{ "invalidation_queue",
		  "an invalidation queue (it has a command buffer)",
		  "amd/iommuXX/cmdbuf", "the command buffer", false },
		{ "ir_translation_struct",
		  "interrupt remapping tables as a whole", "amd/irqtbl",
		  "one device's table, after a write of the device to "
		  "amd/devid",
		  true },
	};
	size_t i;

	if (!strcmp(base, "domain_translation_struct"))
		return why_set(why, -ENOENT,
			       "iommu/%s is Intel VT-d only; this system's "
			       "IOMMU is AMD-Vi (%s), and the AMD-Vi driver "
			       "never prints page tables in debugfs (no Linux "
			       "version does)",
			       file, unit);
	for (i = 0; i < ARRAY_SIZE(map); i++) {
		if (strcmp(base, map[i].file))
			continue;
		return why_set(
			why, -ENOENT,
			"iommu/%s is Intel VT-d only; this system's IOMMU is "
			"AMD-Vi (%s), and the AMD-Vi driver does not print "
			"%s: %s%s%s shows %s%s",
			file, unit, map[i].no,
			st == AMD_DFS_NONE ?
				"this kernel was built without "
				"CONFIG_AMD_IOMMU_DEBUGFS; with it, Linux "
				"6.17+ has " :
			st == AMD_DFS_EMPTY ? "Linux 6.17 added " :
					      "",
			map[i].has, st != AMD_DFS_FILES ? ", which" : "",
			map[i].shows,
			st == AMD_DFS_EMPTY ?
				"; this kernel is older (its amd/iommuXX "
				"directories are empty)" :
			st == AMD_DFS_FILES && map[i].needs_write ?
				", and iommuctl does not write that setting, "
				"which every reader of the file shares" :
				"");
	}
	return why_set(why, -ENOENT,
		       "iommu/%s is Intel VT-d only; this system's IOMMU is "
		       "AMD-Vi (%s)%s",
		       file, unit,
		       st == AMD_DFS_EMPTY ?
			       ", whose debugfs has only empty amd/iommuXX "
			       "directories before Linux 6.17" :
			       "");
}

static bool dfs_is_dir(struct iommuctl_ctx *ctx, const char *rel)
{
	char *p = path_join(DFS_DIR, rel);
	bool r = p && sysfs_is_dir(ctx, p);

	free(p);
	return r;
}

static bool dfs_exists(struct iommuctl_ctx *ctx, const char *rel)
{
	char *p = path_join(DFS_DIR, rel);
	bool r = p && sysfs_exists(ctx, p);

	free(p);
	return r;
}

/* 6.17 put files in amd/ and amd/iommuXX; before, there were only the
 * directories. */
static enum amd_dfs amd_dfs_state(struct iommuctl_ctx *ctx)
{
	enum amd_dfs st = AMD_DFS_EMPTY;
	struct strv list = { 0 };
	size_t i;

	if (!dfs_is_dir(ctx, "amd"))
		return AMD_DFS_NONE;
	if (sysfs_list(ctx, DFS_DIR "/amd", &list) < 0) {
		strv_free(&list);
		return AMD_DFS_EMPTY;
	}
	for (i = 0; i < list.n && st == AMD_DFS_EMPTY; i++) {
		struct strv sub = { 0 };
		char *dir = path_fmt("%s/amd/%s", DFS_DIR, list.v[i]);

		if (!dir)
			break;
		if (!sysfs_is_dir(ctx, dir) ||
		    (sysfs_list(ctx, dir, &sub) == 0 && sub.n))
			st = AMD_DFS_FILES;
		strv_free(&sub);
		free(dir);
	}
	strv_free(&list);
	return st;
}

/* "@top/NAME", NAME the first component of @rest: a directory of @top's
 * driver (a device, a unit) and, after "@top/", its name; NULL: no memory. */
static char *first_dir(const char *top, const char *rest)
{
	return path_fmt("%s/%.*s", top, (int)strcspn(rest, "/"), rest);
}

/* intel/ exists, @file (below it) does not. */
static int why_intel_file(struct iommuctl_ctx *ctx, const char *file,
			  char **why)
{
	const char *rest = file + strlen("intel/");
	const char *slash = strchr(rest, '/'), *dev;
	char *dir;
	int rc;

	if (!strcmp(rest, "ir_translation_struct"))
		return why_set(
			why, -ENOENT,
			"this kernel was built without CONFIG_IRQ_REMAP: "
			"no interrupt remapping, no "
			"intel/ir_translation_struct");
	if (!strcmp(rest, "domain_translation_struct"))
		return why_set(
			why, -ENOENT,
			"Linux 6.7 replaced intel/domain_translation_struct "
			"with one file per device: "
			"intel/<device>/[<pasid>/]domain_translation_struct");
	if (!slash)
		return why_set(why, -ENOENT,
			       "this kernel does not offer iommu/%s", file);
	dir = first_dir("intel", rest);
	if (!dir)
		return -ENOMEM;
	dev = dir + strlen("intel/");
	if (!dfs_is_dir(ctx, dir)) {
		if (dfs_exists(ctx, "intel/domain_translation_struct"))
			rc = why_set(
				why, -ENOENT,
				"this kernel (before Linux 6.7) prints the "
				"tables of all devices in "
				"intel/domain_translation_struct");
		else
			rc = why_set(why, -ENOENT,
				     "no iommu/intel/%s: no such device behind "
				     "a VT-d unit",
				     dev);
	} else if (strchr(slash + 1, '/')) {
		const char *pasid = slash + 1;

		rc = why_set(why, -ENOENT,
			     "%s has no PASID %.*s attached to a domain with a "
			     "page table",
			     dev, (int)(strchr(pasid, '/') - pasid), pasid);
	} else {
		rc = why_set(why, -ENOENT,
			     "this kernel does not offer iommu/%s", file);
	}
	free(dir);
	return rc;
}

/* amd/ exists, @file (below it) does not. */
static int why_amd_file(struct iommuctl_ctx *ctx, const char *file, char **why)
{
	const char *rest = file + strlen("amd/");
	unsigned int index;
	const char *unit;
	char *dir;
	int rc;

	if (strstr(rest, "domain_translation_struct") || strstr(rest, "pgtbl"))
		return why_set(why, -ENOENT,
			       "the AMD-Vi driver never prints page tables in "
			       "debugfs (no Linux version does)");
	if (amd_dfs_state(ctx) != AMD_DFS_FILES)
		return why_set(why, -ENOENT,
			       "this kernel does not offer iommu/%s: its "
			       "AMD-Vi debugfs has only empty amd/iommuXX "
			       "directories; the files (cmdbuf, mmio, "
			       "capability, devid, devtbl, irqtbl) appear in "
			       "Linux 6.17",
			       file);
	/* a unit the driver does not have? */
	dir = first_dir("amd", rest);
	if (!dir)
		return -ENOMEM;
	unit = dir + strlen("amd/");
	if (amd_unit_index(unit, &index) && !dfs_is_dir(ctx, dir))
		rc = why_set(why, -ENOENT,
			     "no iommu/amd/%s: the AMD-Vi driver has no unit "
			     "with index %u",
			     unit, index);
	else
		rc = why_set(why, -ENOENT,
			     "this kernel does not offer iommu/%s", file);
	free(dir);
	return rc;
}

static int why_missing(struct iommuctl_ctx *ctx, const char *file, char **why)
{
	struct strv list = { 0 };
	const char *base;
	bool intel, amd;
	struct units u;
	int rc;

	rc = sysfs_list(ctx, "/sys/kernel/debug", &list);
	if (rc == -EACCES || rc == -EPERM) {
		strv_free(&list);
		return why_set(why, -EACCES,
			       "debugfs is readable by root only");
	}
	if (rc < 0 || list.n == 0) {
		strv_free(&list);
		return why_set(why, -ENOENT,
			       "debugfs is not mounted: mount -t debugfs none "
			       "/sys/kernel/debug%s",
			       ctx->offline ? " (on the captured system; or "
					      "the capture left it out)" :
					      "");
	}
	strv_free(&list);
	if (!sysfs_is_dir(ctx, DFS_DIR))
		return why_set(why, -ENOENT,
			       "this kernel was built without "
			       "CONFIG_IOMMU_DEBUGFS (off in most distribution "
			       "kernels)");

	intel = !strncmp(file, "intel/", 6) || !strcmp(file, "intel");
	amd = !strncmp(file, "amd/", 4) || !strcmp(file, "amd");
	if (intel && dfs_is_dir(ctx, "intel"))
		return why_intel_file(ctx, file, why);
	if (amd && dfs_is_dir(ctx, "amd"))
		return why_amd_file(ctx, file, why);

	rc = units_read(ctx, &u);
	if (rc < 0) {
		free(u.others);
		return rc;
	}
	base = strrchr(file, '/');
	base = base ? base + 1 : file;
	if (intel && u.vtd[0]) {
		rc = why_set(why, -ENOENT,
			     "this kernel was built without "
			     "CONFIG_INTEL_IOMMU_DEBUGFS (off in most "
			     "distribution kernels)");
	} else if (intel && u.amd[0]) {
		rc = amd_instead(why, file, u.amd, base, amd_dfs_state(ctx));
	} else if (amd && u.amd[0]) {
		rc = why_set(why, -ENOENT,
			     "this kernel was built without "
			     "CONFIG_AMD_IOMMU_DEBUGFS (off in most "
			     "distribution kernels)");
	} else if (amd && u.vtd[0]) {
		rc = why_set(why, -ENOENT,
			     "iommu/%s is AMD-Vi only; this system's IOMMU is "
			     "Intel VT-d (%s)",
			     file, u.vtd);
	} else if (u.others || u.vtd[0] || u.amd[0]) {
		rc = why_set(
			why, -ENOENT,
			"no %s unit here: /sys/class/iommu has %s%s%s%s%s; "
			"of these only Intel VT-d and AMD-Vi print "
			"anything in IOMMU debugfs",
			intel ? "Intel VT-d" :
			amd   ? "AMD-Vi" :
				"matching",
			u.vtd, u.vtd[0] && (u.amd[0] || u.others) ? ", " : "",
			u.amd, u.amd[0] && u.others ? ", " : "",
			u.others ? u.others : "");
	} else {
		rc = why_set(why, -ENOENT,
			     "no IOMMU unit is active (/sys/class/iommu lists "
			     "none): the IOMMU is off in firmware or on the "
			     "kernel command line (%s), or the kernel lacks %s",
			     amd   ? "amd_iommu=off" :
			     intel ? "intel_iommu=off" :
				     "intel_iommu=off, amd_iommu=off",
			     amd   ? "CONFIG_AMD_IOMMU" :
			     intel ? "CONFIG_INTEL_IOMMU" :
				     "CONFIG_INTEL_IOMMU or CONFIG_AMD_IOMMU");
	}
	free(u.others);
	return rc;
}

static bool bad_rel_path(const char *file)
{
	const char *p = file;

	if (!*file || *file == '/')
		return true;
	while (*p) {
		const char *e = strchrnul(p, '/');
		size_t n = (size_t)(e - p);

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return true;
		p = *e ? e + 1 : e;
	}
	return false;
}

IOMMUCTL_EXPORT int iommuctl_debugfs_why(struct iommuctl_ctx *ctx,
					 const char *file, char **why)
{
	char *path;
	int fd;

	if (!why)
		return -EINVAL;
	*why = NULL;
	if (!ctx || !file || bad_rel_path(file))
		return -EINVAL;
	path = path_join(DFS_DIR, file);
	if (!path)
		return -ENOMEM;
	fd = sysfs_open(ctx, path, O_RDONLY);
	free(path);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (fd == -EACCES || fd == -EPERM)
		return why_set(why, -EACCES,
			       "debugfs is readable by root only");
	if (fd == -ENOMEM)
		return fd;
	if (fd != -ENOENT && fd != -ENOTDIR)
		return why_set(why, fd, "cannot open %s/%s: %s", DFS_DIR, file,
			       strerror(-fd));
	return why_missing(ctx, file, why);
}
