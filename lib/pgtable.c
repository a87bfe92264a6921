// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Page-table dumps of the Intel VT-d driver (debugfs
 * intel/<BDF>/[<pasid>/]domain_translation_struct, and the global
 * intel/domain_translation_struct of kernels up to 6.6), read as a stream:
 * one line at a time through the bounded line reader, so a dump of millions
 * of leaves costs one line buffer. The dump is untrusted input: every line
 * is checked, and anything the kernel cannot have printed is an error that
 * names the line.
 *
 * Then verify: the table of a session device compared with the IOAS
 * mappings the session made, walking the mappings and the leaves together
 * in IOVA order, with differences merged into ranges as they are found.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/mman.h>

#include "private.h"

#define INTEL_DIR "/sys/kernel/debug/iommu/intel"
#define PT_MAX_LINE 512
#define PT_ADDR_MASK 0x000ffffffffff000ULL
#define PT_NAME_MAX 64

struct pt_section {
	uint64_t id; /* 0: none yet */
	char device[PT_NAME_MAX];
	int64_t pasid;
	uint64_t root;
	unsigned int levels;
};

struct iommuctl_pgtable {
	struct iommuctl_ctx *ctx;
	/* a reader made without a context keeps its errors in one of its own */
	struct iommuctl_ctx *ectx;
	enum iommuctl_pgtable_merge merge;
	bool opened;
	int fd; /* ours to close, or -1 */
	struct lines l;
	char *path;
	char filter[PT_NAME_MAX]; /* "" for every section */
	enum iommuctl_pgtable_state state;
	struct pt_section cur; /* the section the parser is in */
	struct pt_section vis; /* the section of the last leaf/range returned */
	bool in_section; /* rows belong to cur */
	bool skipping; /* in a section the filter does not want */
	bool matched; /* a wanted section was seen (filtered reads) */
	bool any_header;
	bool disabled;
	bool eof;
	bool have_prev;
	uint64_t prev_last; /* last IOVA of the previous leaf of the section */
	int err; /* sticky */
	/* next_range(): the leaf read past the end of the last range */
	struct iommuctl_pgtable_leaf pend;
	bool have_pend;
};

/* hex digit value + 1; 0 for anything else */
static const unsigned char hexv[256] = {
	['0'] = 1,  ['1'] = 2,	['2'] = 3,  ['3'] = 4,	['4'] = 5,  ['5'] = 6,
	['6'] = 7,  ['7'] = 8,	['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
	['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12,
	['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* Hex digits at *pp (no prefix): 0 and *pp advanced, -EINVAL none,
 * -ERANGE more than 64 bits. */
static int hex_digits(const char **pp, const char *end, uint64_t *out)
{
	const char *p = *pp;
	uint64_t v = 0;
	unsigned int d;

	if (p >= end || !hexv[(unsigned char)*p])
		return -EINVAL;
	while (p < end && (d = hexv[(unsigned char)*p])) {
		if (v >> 60)
			return -ERANGE;
		v = (v << 4) | (d - 1);
		p++;
	}
	*pp = p;
	*out = v;
	return 0;
}

/*
 * Eight lower-case hex digits at @p, eight at a time (SWAR): the kernel
 * prints every entry as 0x%016llx, and this is the parser's hot spot.
 * false if any byte is not [0-9a-f] (the caller falls back to hex_digits()).
 */
static inline __attribute__((always_inline)) bool hex8(const char *p,
						       uint64_t *out)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t hi = 0x8080808080808080ULL;
	uint64_t x, ok, v, letter;

	memcpy(&x, p, 8);
	if (x & hi)
		return false;
	/* per byte, bit 7 of c + k is set iff c >= 0x80 - k (no carries:
	 * every byte is below 0x80 and k below 0x51) */
	ok = ((x + 0x5050505050505050ULL) & ~(x + 0x4646464646464646ULL)) |
	     ((x + 0x1f1f1f1f1f1f1f1fULL) & ~(x + 0x1919191919191919ULL));
	if ((ok & hi) != hi)
		return false;
	letter = (x >> 6) & 0x0101010101010101ULL;
	v = (x & 0x0f0f0f0f0f0f0f0fULL) + letter * 9;
	/* the first character is the low byte and the most significant */
	v = ((v & 0x00ff00ff00ff00ffULL) << 4) |
	    ((v >> 8) & 0x00ff00ff00ff00ffULL);
	v = ((v & 0x0000ffff0000ffffULL) << 8) |
	    ((v >> 16) & 0x0000ffff0000ffffULL);
	*out = ((v & 0xffffffffULL) << 16) | (v >> 32);
	return true;
#else
	(void)p, (void)out;
	return false;
#endif
}

/* "0x" and hex digits, the general case */
static int hex_u64_slow(const char **pp, const char *end, uint64_t *out)
{
	const char *p = *pp;
	int rc;

	if (end - p < 3 || p[0] != '0' || p[1] != 'x')
		return -EINVAL;
	p += 2;
	rc = hex_digits(&p, end, out);
	if (rc < 0)
		return rc;
	*pp = p;
	return 0;
}

/* "0x" and hex digits: 0 and *pp advanced, -EINVAL, -ERANGE */
static inline __attribute__((always_inline)) int
hex_u64(const char **pp, const char *end, uint64_t *out)
{
	const char *p = *pp;
	uint64_t a, b;

	/* the kernel's 0x%016llx and 0x%013lx */
	if (end - p >= 18 && p[0] == '0' && p[1] == 'x' && hex8(p + 2, &a) &&
	    hex8(p + 10, &b) &&
	    (end - p == 18 || !hexv[(unsigned char)p[18]])) {
		*out = a << 32 | b;
		*pp = p + 18;
		return 0;
	}
	if (end - p >= 15 && p[0] == '0' && p[1] == 'x' && hex8(p + 2, &a) &&
	    hex8(p + 7, &b) && (end - p == 15 || !hexv[(unsigned char)p[15]])) {
		*out = a << 20 | (b & 0xfffff);
		*pp = p + 15;
		return 0;
	}
	return hex_u64_slow(pp, end, out);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(s, prefix, n);
}

/*
 * "0000:00:03.0", "00:03.0" (segment 0), upper or lower case, into the
 * kernel's spelling "%04x:%02x:%02x.%x". 0 or -EINVAL.
 */
static int pci_normalize(const char *in, char *out, size_t size)
{
	const char *p = in;
	uint64_t seg = 0, bus, dev, fn;
	const char *colon1 = strchr(in, ':');
	const char *colon2 = colon1 ? strchr(colon1 + 1, ':') : NULL;
	const char *q;
	int n;

	/* hex_digits() stops at the NUL, so the bounds below never pass it */
	if (colon2) {
		q = p;
		if (colon1 - p > 8 || hex_digits(&q, colon1, &seg) < 0 ||
		    q != colon1)
			return -EINVAL;
		p = colon1 + 1;
	}
	q = p;
	if (hex_digits(&q, q + 2, &bus) < 0 || q != p + 2 || *q != ':')
		return -EINVAL;
	p = q + 1;
	q = p;
	if (hex_digits(&q, q + 2, &dev) < 0 || q != p + 2 || *q != '.' ||
	    dev > 0x1f)
		return -EINVAL;
	p = q + 1;
	q = p;
	if (hex_digits(&q, q + 1, &fn) < 0 || *q || fn > 7)
		return -EINVAL;
	n = snprintf(out, size, "%04llx:%02llx:%02llx.%llx",
		     (unsigned long long)seg, (unsigned long long)bus,
		     (unsigned long long)dev, (unsigned long long)fn);
	return n > 0 && (size_t)n < size ? 0 : -EINVAL;
}

static void set_msg(struct iommuctl_pgtable *pt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_msg(struct iommuctl_pgtable *pt, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctx_error_vfmt(pt->ectx, pt, fmt, ap);
	va_end(ap);
}

/* A malformed line: sticky -EINVAL naming the line just read. */
static int bad_line(struct iommuctl_pgtable *pt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int bad_line(struct iommuctl_pgtable *pt, const char *fmt, ...)
{
	va_list ap;
	char *what;

	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		what = NULL;
	va_end(ap);
	set_msg(pt, "%s line %llu: %s", pt->path ? pt->path : "(dump)",
		(unsigned long long)pt->l.lineno, what ? what : "malformed");
	free(what);
	return pt->err = -EINVAL;
}

static void pt_reset(struct iommuctl_pgtable *pt)
{
	if (pt->opened)
		lines_free(&pt->l);
	if (pt->fd >= 0)
		close(pt->fd);
	free(pt->path);
	memset(&pt->l, 0, sizeof(pt->l));
	pt->fd = -1;
	pt->path = NULL;
	pt->opened = false;
	pt->filter[0] = '\0';
	pt->state = IOMMUCTL_PGTABLE_NO_TABLE;
	memset(&pt->cur, 0, sizeof(pt->cur));
	memset(&pt->vis, 0, sizeof(pt->vis));
	pt->cur.pasid = pt->vis.pasid = -1;
	pt->in_section = pt->skipping = pt->matched = false;
	pt->any_header = pt->disabled = pt->eof = false;
	pt->have_prev = false;
	pt->prev_last = 0;
	pt->err = 0;
	pt->have_pend = false;
}

IOMMUCTL_EXPORT int iommuctl_pgtable_new(struct iommuctl_ctx *ctx,
					 struct iommuctl_pgtable **out)
{
	struct iommuctl_pgtable *pt;

	if (!out)
		return -EINVAL;
	pt = calloc(1, sizeof(*pt));
	if (!pt)
		return -ENOMEM;
	pt->ctx = ctx;
	pt->ectx = iommuctl_ref(ctx);
	if (!ctx) {
		int rc = iommuctl_new(&pt->ectx);

		if (rc < 0) {
			free(pt);
			return rc;
		}
		iommuctl_set_log_fn(pt->ectx, NULL);
	}
	pt->fd = -1;
	pt_reset(pt);
	*out = pt;
	return 0;
}

IOMMUCTL_EXPORT void iommuctl_pgtable_free(struct iommuctl_pgtable *pt)
{
	if (!pt)
		return;
	pt_reset(pt);
	ctx_error_disown(pt->ectx, pt);
	iommuctl_unref(pt->ectx);
	free(pt);
}

IOMMUCTL_EXPORT void
iommuctl_pgtable_set_merge(struct iommuctl_pgtable *pt,
			   enum iommuctl_pgtable_merge merge)
{
	if (pt && (unsigned int)merge <= IOMMUCTL_PGTABLE_MERGE_NONE)
		pt->merge = merge;
}

/* "Device NAME[ with pasid HEX] @0xROOT" */
static int parse_header(struct iommuctl_pgtable *pt, const char *s,
			const char *end)
{
	const char *p = s + 7, *name = p;
	uint64_t pasid = UINT64_MAX, root;
	char dev[PT_NAME_MAX];
	size_t n;

	while (p < end && *p != ' ') {
		if (*p <= ' ' || *p > '~')
			return bad_line(pt, "bad character in the device name");
		p++;
	}
	n = (size_t)(p - name);
	if (!n || n >= sizeof(dev))
		return bad_line(pt, "bad device name in a section header");
	memcpy(dev, name, n);
	dev[n] = '\0';
	if (starts(p, (size_t)(end - p), " with pasid ")) {
		p += 12;
		if (hex_digits(&p, end, &pasid) < 0 || pasid > UINT32_MAX)
			return bad_line(pt, "bad PASID in a section header");
	}
	if (!starts(p, (size_t)(end - p), " @"))
		return bad_line(pt, "section header without ' @0x<root>'");
	p += 2;
	if (hex_u64(&p, end, &root) < 0)
		return bad_line(pt, "bad table root in a section header");
	while (p < end && is_blank(*p))
		p++;
	if (p != end)
		return bad_line(pt, "trailing text after a section header");

	pt->any_header = true;
	if (pt->filter[0]) {
		char norm[PT_NAME_MAX];
		const char *cmp = dev;

		if (pci_normalize(dev, norm, sizeof(norm)) == 0)
			cmp = norm;
		if (strcasecmp(cmp, pt->filter)) {
			pt->skipping = true;
			pt->in_section = false;
			return 0;
		}
		pt->matched = true;
	}
	pt->skipping = false;
	pt->in_section = true;
	pt->cur.id++;
	memcpy(pt->cur.device, dev, n + 1);
	pt->cur.pasid = pasid == UINT64_MAX ? -1 : (int64_t)pasid;
	pt->cur.root = root;
	pt->cur.levels = 0;
	pt->have_prev = false;
	pt->state = IOMMUCTL_PGTABLE_TABLE;
	return 1;
}

/*
 * One row: "0x<pfn> |\t0x<PML5E>\t0x<PML4E>\t0x<PDPE>[\t0x<PDE>[\t0x<PTE>]]"
 * (6.7+ prints PDE and PTE only when non-zero, 6.6 all five columns).
 */
static int parse_row(struct iommuctl_pgtable *pt, const char *s,
		     const char *end, struct iommuctl_pgtable_leaf *leaf)
{
	const char *p = s;
	/* straight into the leaf: a copy of a local array costs GCC's rep movs */
	uint64_t pfn, *e = leaf->entry, size, iova;
	unsigned int n = 0, top, lo, level, k;
	int rc;

	rc = hex_u64(&p, end, &pfn);
	if (rc < 0)
		return bad_line(pt, rc == -ERANGE ? "IOVA PFN too large" :
						    "bad IOVA PFN");
	while (p < end && *p == ' ')
		p++;
	if (p >= end || *p != '|')
		return bad_line(pt, "no '|' after the IOVA PFN");
	p++;
	for (;;) {
		const char *q = p;

		while (p < end && is_blank(*p))
			p++;
		if (p == end)
			break;
		if (p == q)
			return bad_line(pt,
					"entries must be separated by tabs");
		if (n == 5)
			return bad_line(pt, "more than five entries in a row");
		rc = hex_u64(&p, end, &e[n]);
		if (rc < 0)
			return bad_line(pt, rc == -ERANGE ?
						    "entry wider than 64 bits" :
						    "bad entry");
		n++;
	}
	if (n < 3)
		return bad_line(pt, "fewer than three entries in a row");
	for (k = n; k < 5; k++)
		e[k] = 0;
	for (top = 0; top < n && !e[top]; top++)
		;
	if (top == n)
		return bad_line(pt, "a row without a non-zero entry");
	for (lo = n - 1; !e[lo]; lo--)
		;
	for (k = top; k <= lo; k++)
		if (!e[k])
			return bad_line(pt,
					"a zero entry between non-zero ones");
	level = 5 - lo;
	if (level > 4)
		return bad_line(pt, "a leaf at PML5E level");
	if (!pt->cur.levels) {
		pt->cur.levels = 5 - top;
	} else if (pt->cur.levels != 5 - top) {
		return bad_line(pt, "a %u-level walk in a %u-level table",
				5 - top, pt->cur.levels);
	}
	if (pfn > (UINT64_MAX >> 12))
		return bad_line(pt, "IOVA overflows 64 bits");
	iova = pfn << 12;
	size = 4096ULL << (9 * (level - 1));
	if (iova & (size - 1))
		return bad_line(pt, "IOVA 0x%llx is not aligned to its %s leaf",
				(unsigned long long)iova,
				level == 2 ? "2 MiB" :
				level == 3 ? "1 GiB" :
					     "512 GiB");
	if (pt->cur.levels < 5 && iova >> (12 + 9 * pt->cur.levels))
		return bad_line(pt, "IOVA 0x%llx is beyond a %u-level table",
				(unsigned long long)iova, pt->cur.levels);
	if (pt->have_prev && iova <= pt->prev_last)
		return bad_line(
			pt,
			"IOVA 0x%llx goes backwards or overlaps the previous leaf (which ends at 0x%llx)",
			(unsigned long long)iova,
			(unsigned long long)pt->prev_last);
	pt->have_prev = true;
	pt->prev_last = iova + size - 1;
	leaf->iova = iova;
	leaf->size = size;
	leaf->phys = e[lo] & PT_ADDR_MASK & ~(size - 1);
	leaf->perm = (unsigned int)(e[lo] & 3);
	leaf->level = level;
	leaf->line = pt->l.lineno;
	return 1;
}

/*
 * Reads on: 1 and @leaf filled; 2 after a section header the caller wants
 * (when @stop_at_header); 0 at the end; -errno.
 */
static int pt_advance(struct iommuctl_pgtable *pt,
		      struct iommuctl_pgtable_leaf *leaf, bool stop_at_header)
{
	char *line;
	size_t len;
	int rc;

	if (pt->err)
		return pt->err;
	if (!pt->opened)
		return -EBADF;
	if (pt->eof)
		return 0;
	for (;;) {
		const char *end;

		rc = lines_next(&pt->l, &line, &len);
		if (rc == 0) {
			pt->eof = true;
			return 0;
		}
		if (rc < 0) {
			if (rc == -E2BIG) {
				pt->l.lineno++;
				return bad_line(pt, "longer than %d bytes",
						PT_MAX_LINE);
			}
			set_msg(pt, "%s: %s", pt->path, strerror(-rc));
			return pt->err = rc;
		}
		end = line + len;
		if (line[0] == '0') {
			if (pt->skipping)
				continue;
			if (!pt->in_section)
				return bad_line(
					pt, "a row outside a device section");
			return parse_row(pt, line, end, leaf);
		}
		if (starts(line, len, "Device ")) {
			if (pt->filter[0] && pt->in_section) {
				/* the wanted device's section is over: the
				 * global dump holds each device once */
				pt->eof = true;
				pt->in_section = false;
				return 0;
			}
			rc = parse_header(pt, line, end);
			if (rc < 0)
				return rc;
			if (rc == 1 && stop_at_header)
				return 2;
			continue;
		}
		if (starts(line, len, "IOVA_PFN")) {
			if (!pt->in_section && !pt->skipping)
				return bad_line(
					pt,
					"a column header outside a device section");
			continue;
		}
		if (starts(line, len, "DMA Remapping is not enabled on ")) {
			pt->disabled = true;
			pt->in_section = false;
			pt->skipping = false;
			continue;
		}
		{
			const char *p = line;

			while (p < end && (is_blank(*p) || *p == '\r'))
				p++;
			if (p == end)
				continue;
		}
		return bad_line(pt, "unrecognised line");
	}
}

/* Sets up reading from @fd (taken if @own) and reads up to the first
 * section header. */
static int pt_start(struct iommuctl_pgtable *pt, int fd, bool own,
		    const char *name, const char *device)
{
	struct iommuctl_pgtable_leaf dummy;
	int rc;

	pt->path = strdup(name ? name : "(dump)");
	if (!pt->path) {
		if (own)
			close(fd);
		return -ENOMEM;
	}
	pt->fd = own ? fd : -1;
	if (device && *device &&
	    pci_normalize(device, pt->filter, sizeof(pt->filter)) < 0) {
		size_t n = strlen(device);

		if (n >= sizeof(pt->filter)) {
			set_msg(pt, "device name too long: %s", device);
			return -EINVAL;
		}
		memcpy(pt->filter, device, n + 1);
	}
	lines_init_fd(&pt->l, fd, PT_MAX_LINE);
	pt->opened = true;
	rc = pt_advance(pt, &dummy, true);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return bad_line(pt, "a row outside a device section");
	if (rc == 2) {
		pt->vis = pt->cur;
		return 0;
	}
	/* the end, no section */
	if (pt->filter[0] && pt->any_header) {
		set_msg(pt,
			"%s has no table for %s (kernels before 6.7 print only the first device of each IOMMU group, and only devices with a DMA domain)",
			pt->path, pt->filter);
		return -ENOENT;
	}
	pt->state = pt->disabled ? IOMMUCTL_PGTABLE_DISABLED :
				   IOMMUCTL_PGTABLE_NO_TABLE;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_pgtable_open_fd(struct iommuctl_pgtable *pt,
					     int fd, const char *name,
					     const char *device)
{
	if (!pt || fd < 0)
		return -EINVAL;
	pt_reset(pt);
	ctx_error_set(pt->ectx, NULL, NULL);
	return pt_start(pt, fd, false, name, device);
}

/* The reason the dump of @dev is not there, into pt's error. */
static int explain_missing(struct iommuctl_pgtable *pt, const char *dev,
			   int64_t pasid, const char *path)
{
	struct iommuctl_ctx *ctx = pt->ctx;
	char *ddir = NULL, *pdir = NULL, *why = NULL, *dmar = NULL;
	int rc = -ENOENT;

	if (!sysfs_is_dir(ctx, INTEL_DIR)) {
		int r = iommuctl_debugfs_why(
			ctx, "intel/domain_translation_struct", &why);

		if (r == -EACCES) {
			set_msg(pt, "cannot read the page table of %s: %s", dev,
				why ? why :
				      "permission denied (debugfs is readable by root only)");
			rc = -EACCES;
		} else if (r == -ENOMEM) {
			rc = -ENOMEM;
		} else {
			set_msg(pt, "cannot read the page table of %s: %s", dev,
				why ? why :
				      "there is no " INTEL_DIR
				      " (no VT-d debugfs in this kernel)");
		}
		free(why);
		return rc;
	}
	ddir = path_fmt(INTEL_DIR "/%s", dev);
	if (pasid >= 0)
		pdir = path_fmt(INTEL_DIR "/%s/%llx", dev,
				(unsigned long long)pasid);
	if (!ddir || (pasid >= 0 && !pdir)) {
		rc = -ENOMEM;
	} else if (!sysfs_is_dir(ctx, ddir)) {
		const char *off = "";
		size_t len;

		if (sysfs_read(ctx, INTEL_DIR "/dmar_translation_struct", 4096,
			       &dmar, &len) == 0 &&
		    starts(dmar, len, "DMA Remapping is not enabled"))
			off = "; DMA remapping is not enabled (boot with intel_iommu=on)";
		set_msg(pt,
			"%s is not translated by a VT-d unit or has no IOMMU domain (no %s)%s",
			dev, ddir, off);
	} else if (pdir && !sysfs_is_dir(ctx, pdir)) {
		set_msg(pt, "nothing is attached to %s at PASID 0x%llx (no %s)",
			dev, (unsigned long long)pasid, pdir);
	} else {
		set_msg(pt, "%s: no such file", path);
	}
	free(dmar);
	free(ddir);
	free(pdir);
	return rc;
}

/* @path opened; or -errno with the message set, but -ENOENT (no such file,
 * for the caller to explain) */
static int open_dump(struct iommuctl_pgtable *pt, const char *path)
{
	int fd = sysfs_open(pt->ctx, path, O_RDONLY);

	if (fd == -EACCES || fd == -EPERM) {
		set_msg(pt,
			"%s: permission denied (debugfs is readable by root only)",
			path);
		return -EACCES;
	}
	if (fd == -ENOENT || fd == -ENOTDIR)
		return -ENOENT;
	if (fd < 0)
		set_msg(pt, "%s: %s", path, strerror(-fd));
	return fd;
}

IOMMUCTL_EXPORT int iommuctl_pgtable_open(struct iommuctl_pgtable *pt,
					  const char *device, int64_t pasid)
{
	static const char global[] = INTEL_DIR "/domain_translation_struct";
	char dev[PT_NAME_MAX];
	char *path;
	int fd, gfd, rc;

	if (!pt || !device)
		return -EINVAL;
	pt_reset(pt);
	ctx_error_set(pt->ectx, NULL, NULL);
	if (pci_normalize(device, dev, sizeof(dev)) < 0) {
		set_msg(pt,
			"'%s' is not a PCI address (0000:00:03.0 or 00:03.0)",
			device);
		return -EINVAL;
	}
	if (pasid < -1 || pasid > (int64_t)UINT32_MAX) {
		set_msg(pt, "PASID %lld is out of range", (long long)pasid);
		return -EINVAL;
	}
	if (pasid < 0)
		path = path_fmt(INTEL_DIR "/%s/domain_translation_struct", dev);
	else
		path = path_fmt(INTEL_DIR "/%s/%llx/domain_translation_struct",
				dev, (unsigned long long)pasid);
	if (!path)
		return -ENOMEM;
	fd = open_dump(pt, path);
	if (fd >= 0) {
		dbg(pt->ctx, "reading %s\n", path);
		rc = pt_start(pt, fd, true, path, NULL);
		free(path);
		return rc;
	}
	if (fd != -ENOENT) {
		free(path);
		return fd;
	}
	gfd = open_dump(pt, global);
	if (gfd >= 0) {
		free(path);
		if (pasid >= 0) {
			close(gfd);
			set_msg(pt,
				"this kernel (before 6.7) prints only the RID tables of devices, in %s; no table per PASID",
				global);
			return -ENOENT;
		}
		dbg(pt->ctx, "reading %s for %s\n", global, dev);
		return pt_start(pt, gfd, true, global, dev);
	}
	if (gfd == -EACCES) {
		free(path);
		return -EACCES;
	}
	rc = explain_missing(pt, dev, pasid, path);
	free(path);
	return rc;
}

static int iommuctl_pgtable_next_leaf_impl(struct iommuctl_pgtable *pt,
					   struct iommuctl_pgtable_leaf *leaf)
{
	int rc;

	if (!pt || !leaf)
		return -EINVAL;
	if (pt->have_pend) {
		/* read ahead by next_range(), of the parser's section */
		*leaf = pt->pend;
		pt->have_pend = false;
		rc = 1;
	} else {
		rc = pt_advance(pt, leaf, false);
	}
	if (rc == 1 &&
	    (pt->vis.id != pt->cur.id || pt->vis.levels != pt->cur.levels))
		pt->vis = pt->cur;
	return rc;
}

IOMMUCTL_EXPORT int
iommuctl_pgtable_next_leaf_sz(struct iommuctl_pgtable *pt,
			      struct iommuctl_pgtable_leaf *leaf, size_t size)
{
	int rc = sz_out(leaf, size, sizeof(*leaf));

	return rc < 0 ? rc : iommuctl_pgtable_next_leaf_impl(pt, leaf);
}

static bool leaf_follows(const struct iommuctl_pgtable_range *r,
			 const struct iommuctl_pgtable_leaf *lf)
{
	return r->last != UINT64_MAX && lf->iova == r->last + 1 &&
	       lf->size == r->page_size && lf->perm == r->perm;
}

static int iommuctl_pgtable_next_range_impl(struct iommuctl_pgtable *pt,
					    struct iommuctl_pgtable_range *r)
{
	struct iommuctl_pgtable_leaf lf;
	uint64_t section;
	int rc;

	if (!pt || !r)
		return -EINVAL;
	rc = iommuctl_pgtable_next_leaf(pt, &lf);
	if (rc <= 0)
		return rc;
	section = pt->cur.id;
	memset(r, 0, sizeof(*r));
	r->start = lf.iova;
	r->last = lf.iova + lf.size - 1;
	r->phys = lf.phys;
	r->phys_contiguous = true;
	r->page_size = lf.size;
	r->perm = lf.perm;
	r->leaves = 1;
	r->first = lf;
	if (pt->merge == IOMMUCTL_PGTABLE_MERGE_NONE)
		return 1;
	for (;;) {
		bool phys_ok;

		/* an error is sticky: the next call returns it */
		rc = pt_advance(pt, &pt->pend, false);
		if (rc <= 0)
			return 1;
		phys_ok = pt->pend.phys == r->phys + (pt->pend.iova - r->start);
		if (pt->cur.id != section || !leaf_follows(r, &pt->pend) ||
		    (pt->merge == IOMMUCTL_PGTABLE_MERGE_PHYS && !phys_ok)) {
			pt->have_pend = true;
			return 1;
		}
		if (!phys_ok)
			r->phys_contiguous = false;
		r->last = pt->pend.iova + pt->pend.size - 1;
		r->leaves++;
	}
}

IOMMUCTL_EXPORT int
iommuctl_pgtable_next_range_sz(struct iommuctl_pgtable *pt,
			       struct iommuctl_pgtable_range *r, size_t size)
{
	int rc = sz_out(r, size, sizeof(*r));

	return rc < 0 ? rc : iommuctl_pgtable_next_range_impl(pt, r);
}

IOMMUCTL_EXPORT enum iommuctl_pgtable_state
iommuctl_pgtable_get_state(struct iommuctl_pgtable *pt)
{
	return pt ? pt->state : IOMMUCTL_PGTABLE_NO_TABLE;
}

IOMMUCTL_EXPORT const char *
iommuctl_pgtable_state_name(enum iommuctl_pgtable_state s)
{
	return names_get(NAMES_PGTABLE_STATE, s);
}

IOMMUCTL_EXPORT const char *
iommuctl_pgtable_get_device(struct iommuctl_pgtable *pt)
{
	return pt && pt->vis.id ? pt->vis.device : NULL;
}

IOMMUCTL_EXPORT int64_t iommuctl_pgtable_get_pasid(struct iommuctl_pgtable *pt)
{
	return pt && pt->vis.id ? pt->vis.pasid : -1;
}

IOMMUCTL_EXPORT uint64_t iommuctl_pgtable_get_root(struct iommuctl_pgtable *pt)
{
	return pt && pt->vis.id ? pt->vis.root : 0;
}

IOMMUCTL_EXPORT unsigned int
iommuctl_pgtable_get_levels(struct iommuctl_pgtable *pt)
{
	return pt && pt->vis.id ? pt->vis.levels : 0;
}

IOMMUCTL_EXPORT const char *
iommuctl_pgtable_get_path(struct iommuctl_pgtable *pt)
{
	return pt ? pt->path : NULL;
}

IOMMUCTL_EXPORT void iommuctl_pgtable_get_progress(struct iommuctl_pgtable *pt,
						   uint64_t *bytes,
						   uint64_t *lines)
{
	if (bytes)
		*bytes = pt && pt->opened ? pt->l.bytes : 0;
	if (lines)
		*lines = pt && pt->opened ? pt->l.lineno : 0;
}

IOMMUCTL_EXPORT const char *iommuctl_pgtable_error(struct iommuctl_pgtable *pt)
{
	return pt ? ctx_error_of(pt->ectx, pt) : NULL;
}

IOMMUCTL_EXPORT char *iommuctl_pgtable_note(struct iommuctl_pgtable *pt,
					    const char *device)
{
	struct iommuctl_device *dev = NULL;
	struct iommuctl_group *g = NULL;
	const char *type = NULL;
	char *s;
	int gid = -1;

	if (!pt || pt->state == IOMMUCTL_PGTABLE_TABLE)
		return NULL;
	if (pt->state == IOMMUCTL_PGTABLE_DISABLED)
		return strdup(
			"DMA remapping is not enabled on the device's IOMMU unit");
	if (pt->ctx && device)
		dev = iommuctl_device_get_by_name(pt->ctx, device);
	if (dev)
		gid = iommuctl_device_get_group_id(dev);
	if (gid >= 0)
		g = iommuctl_group_get_by_id(pt->ctx, (unsigned int)gid);
	if (!g)
		return strdup("the device's domain has no page table");
	type = iommuctl_group_get_type(g);
	if (asprintf(&s,
		     "the device's domain has no page table: group %d type %s%s",
		     gid, type ? type : "unknown",
		     !type		       ? "" :
		     !strcmp(type, "identity") ? " (DMA is not translated)" :
		     !strcmp(type, "blocked")  ? " (all DMA is refused)" :
						 "") < 0)
		return NULL;
	return s;
}

IOMMUCTL_EXPORT const char *
iommuctl_pgtable_diff_kind_name(enum iommuctl_pgtable_diff_kind k)
{
	return names_get(NAMES_PGTABLE_DIFF, k);
}

/* --- the comparison --------------------------------------------------- */

struct cmp {
	pgtable_phys_fn phys;
	void *phys_arg;
	int (*cb)(const struct iommuctl_pgtable_diff *d, void *arg);
	void *arg;
	struct pgtable_cmp_stats *st;
	bool have;
	struct iommuctl_pgtable_diff d; /* pending, extended while it can */
};

static int cmp_flush(struct cmp *c)
{
	if (!c->have)
		return 0;
	c->have = false;
	c->st->differences++;
	return c->cb ? c->cb(&c->d, c->arg) : 0;
}

static bool cmp_extends(const struct iommuctl_pgtable_diff *d,
			const struct iommuctl_pgtable_diff *n)
{
	uint64_t off = n->start - d->start;

	if (d->kind != n->kind || d->last == UINT64_MAX ||
	    d->last + 1 != n->start || d->want_perm != n->want_perm ||
	    d->have_perm != n->have_perm || d->mapping_iova != n->mapping_iova)
		return false;
	if (d->kind == IOMMUCTL_PGTABLE_DIFF_PHYS)
		return d->want_phys + off == n->want_phys &&
		       d->have_phys + off == n->have_phys;
	return true;
}

static int cmp_emit(struct cmp *c, const struct iommuctl_pgtable_diff *n)
{
	int rc;

	if (c->have && cmp_extends(&c->d, n)) {
		c->d.last = n->last;
		return 0;
	}
	rc = cmp_flush(c);
	if (rc)
		return rc;
	c->d = *n;
	c->have = true;
	return 0;
}

/* [s, e] is in both @lf and mapping @idx, with equal permissions. */
static int cmp_phys(struct cmp *c, size_t idx, const struct iommuctl_mapping *m,
		    const struct iommuctl_pgtable_leaf *lf, uint64_t s,
		    uint64_t e)
{
	uint64_t p = s;

	for (;;) {
		uint64_t pe = p | 0xfff, want = 0, have;
		int rc;

		if (pe > e)
			pe = e;
		rc = c->phys(c->phys_arg, idx, m, p - m->iova, &want);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			c->st->phys_unknown++;
		} else {
			c->st->phys_known++;
			have = lf->phys + (p - lf->iova);
			if (want != have) {
				struct iommuctl_pgtable_diff d = {
					.kind = IOMMUCTL_PGTABLE_DIFF_PHYS,
					.start = p,
					.last = pe,
					.want_perm = m->perm,
					.have_perm = lf->perm,
					.want_phys = want,
					.have_phys = have,
					.mapping_iova = m->iova,
				};

				rc = cmp_emit(c, &d);
				if (rc)
					return rc;
			}
		}
		if (pe == e)
			return 0;
		p = pe + 1;
	}
}

/* The next leaf, counted in @st: 1, 0 at the end, -errno. */
static int cmp_next_leaf(struct iommuctl_pgtable *pt,
			 struct iommuctl_pgtable_leaf *lf,
			 struct pgtable_cmp_stats *st)
{
	int rc = iommuctl_pgtable_next_leaf(pt, lf);

	if (rc > 0)
		st->leaves++;
	return rc;
}

int pgtable_compare(struct iommuctl_pgtable *pt,
		    const struct iommuctl_mapping *maps, size_t nmaps,
		    pgtable_phys_fn phys, void *phys_arg,
		    int (*cb)(const struct iommuctl_pgtable_diff *d, void *arg),
		    void *arg, struct pgtable_cmp_stats *st)
{
	struct cmp c = { .phys = phys,
			 .phys_arg = phys_arg,
			 .cb = cb,
			 .arg = arg,
			 .st = st };
	struct iommuctl_pgtable_leaf lf;
	bool have_leaf, prev = false;
	uint64_t pos = 0, prev_last = 0;
	size_t mi = 0, i;
	int rc;

	if (!pt || !st || (nmaps && !maps))
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	for (i = 0; i < nmaps; i++) {
		if (!maps[i].length)
			continue;
		if (maps[i].iova + (maps[i].length - 1) < maps[i].iova ||
		    (prev && maps[i].iova <= prev_last))
			return -EINVAL;
		prev = true;
		prev_last = maps[i].iova + (maps[i].length - 1);
		st->bytes += maps[i].length;
	}
	while (mi < nmaps && !maps[mi].length)
		mi++;
	rc = cmp_next_leaf(pt, &lf, st);
	if (rc < 0)
		return rc;
	have_leaf = rc > 0;
	while (have_leaf || mi < nmaps) {
		const struct iommuctl_mapping *m = mi < nmaps ? &maps[mi] :
								NULL;
		uint64_t ls = 0, le = 0, ms = 0, me = 0, end;
		struct iommuctl_pgtable_diff d;

		if (have_leaf) {
			ls = lf.iova > pos ? lf.iova : pos;
			le = lf.iova + lf.size - 1;
		}
		if (m) {
			ms = m->iova > pos ? m->iova : pos;
			me = m->iova + (m->length - 1);
		}
		memset(&d, 0, sizeof(d));
		if (have_leaf && (!m || ls < ms)) {
			end = m && ms - 1 < le ? ms - 1 : le;
			d.kind = IOMMUCTL_PGTABLE_DIFF_EXTRA;
			d.start = ls;
			d.last = end;
			d.have_perm = lf.perm;
			d.have_phys = lf.phys + (ls - lf.iova);
			rc = cmp_emit(&c, &d);
		} else if (m && (!have_leaf || ms < ls)) {
			end = have_leaf && ls - 1 < me ? ls - 1 : me;
			d.kind = IOMMUCTL_PGTABLE_DIFF_MISSING;
			d.start = ms;
			d.last = end;
			d.want_perm = m->perm;
			d.mapping_iova = m->iova;
			rc = cmp_emit(&c, &d);
		} else {
			end = le < me ? le : me;
			if (lf.perm != m->perm) {
				d.kind = IOMMUCTL_PGTABLE_DIFF_PERM;
				d.start = ls;
				d.last = end;
				d.want_perm = m->perm;
				d.have_perm = lf.perm;
				d.mapping_iova = m->iova;
				rc = cmp_emit(&c, &d);
			} else if (phys) {
				rc = cmp_phys(&c, mi, m, &lf, ls, end);
			} else {
				rc = 0;
			}
		}
		if (rc)
			return rc;
		if (m && end == me) {
			mi++;
			while (mi < nmaps && !maps[mi].length)
				mi++;
		}
		if (have_leaf && end == le) {
			rc = cmp_next_leaf(pt, &lf, st);
			if (rc < 0)
				return rc;
			have_leaf = rc > 0;
		}
		if (end == UINT64_MAX)
			break;
		pos = end + 1;
	}
	return cmp_flush(&c);
}

/* --- verify: expected physical pages of this process ------------------- */

struct vphys {
	struct iommuctl_obj *ioas;
	int pagemap; /* -1: not readable */
	bool hidden; /* PFNs read as 0: no CAP_SYS_ADMIN */
	uint64_t pgsz;
	uint64_t win_start; /* first virtual page number in win[] */
	size_t win_n;
	uint64_t win[512];
	/* the file mapping mmap()ed last */
	const struct ic_map *fmap;
	void *fva;
	size_t flen;
	uint64_t fskip; /* bytes before the mapping's offset in fva */
	bool file_failed, file_unknown, other_unknown, copy_unknown;
};

/* Physical address of @va in this process: 1, 0 unknown, -errno. */
static int va_phys(struct vphys *v, uint64_t va, uint64_t *phys)
{
	uint64_t vpn = va / v->pgsz, e, pfn;

	if (v->pagemap < 0 || v->hidden)
		return 0;
	if (!v->win_n || vpn < v->win_start || vpn >= v->win_start + v->win_n) {
		ssize_t n;

		if (vpn > (uint64_t)(INT64_MAX / 8))
			return 0;
		do
			n = pread(v->pagemap, v->win, sizeof(v->win),
				  (off_t)(vpn * 8));
		while (n < 0 && errno == EINTR);
		if (n < 8) {
			v->win_n = 0;
			v->other_unknown = true;
			return 0;
		}
		v->win_start = vpn;
		v->win_n = (size_t)n / 8;
	}
	e = v->win[vpn - v->win_start];
	if (!(e >> 63)) {
		v->other_unknown = true;
		return 0;
	}
	pfn = e & ((1ULL << 55) - 1);
	if (!pfn) {
		v->hidden = true;
		return 0;
	}
	*phys = pfn * v->pgsz + va % v->pgsz;
	return 1;
}

static int file_phys(struct vphys *v, const struct ic_map *im, uint64_t off,
		     uint64_t *phys)
{
	if (v->fmap != im) {
		uint64_t start, skip;
		int fd;

		if (v->fva)
			munmap(v->fva, v->flen);
		v->fva = NULL;
		v->fmap = im;
		fd = im->mem ? im->mem->fd : -1;
		if (fd < 0 || im->m.length > SIZE_MAX - v->pgsz) {
			v->file_failed = true;
			return 0;
		}
		start = im->m.offset & ~(v->pgsz - 1);
		skip = im->m.offset - start;
		v->flen = (size_t)(im->m.length + skip);
		v->fva = mmap(NULL, v->flen, PROT_READ,
			      MAP_SHARED | MAP_POPULATE, fd, (off_t)start);
		if (v->fva == MAP_FAILED) {
			v->fva = NULL;
			v->file_failed = true;
			return 0;
		}
		v->fskip = skip;
	}
	if (!v->fva) {
		v->file_unknown = true;
		return 0;
	}
	return va_phys(v, (uint64_t)(uintptr_t)v->fva + v->fskip + off, phys);
}

static const struct ic_map *map_containing(struct iommuctl_obj *ioas,
					   uint64_t iova)
{
	size_t lo = 0, hi = ioas->nmaps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ic_map *m = &ioas->maps[mid];

		if (iova < m->m.iova)
			hi = mid;
		else if (iova - m->m.iova >= m->m.length)
			lo = mid + 1;
		else
			return m;
	}
	return NULL;
}

static int map_phys(struct vphys *v, const struct ic_map *im, uint64_t off,
		    uint64_t *phys, int depth)
{
	if (im->m.mem == IOMMUCTL_MEM_COPY) {
		struct iommuctl_obj *src = im->m.src;
		const struct ic_map *from = NULL;

		if (src && depth < 8 && src->type == IOMMUCTL_OBJ_IOAS)
			from = map_containing(src, im->m.src_iova + off);
		if (from)
			return map_phys(v, from,
					im->m.src_iova + off - from->m.iova,
					phys, depth + 1);
		/* the source is gone; its memory lives on with the copy */
		if (im->mem && im->mem->va && off < im->mem->len)
			return va_phys(v,
				       (uint64_t)(uintptr_t)im->mem->va + off,
				       phys);
		v->copy_unknown = true;
		return 0;
	}
	if (im->m.va)
		return va_phys(v, im->m.va + off, phys);
	if (im->m.mem == IOMMUCTL_MEM_FILE)
		return file_phys(v, im, off, phys);
	v->other_unknown = true;
	return 0;
}

static int vphys_lookup(void *arg, size_t idx, const struct iommuctl_mapping *m,
			uint64_t off, uint64_t *phys)
{
	struct vphys *v = arg;

	(void)m;
	if (idx >= v->ioas->nmaps)
		return 0;
	return map_phys(v, &v->ioas->maps[idx], off, phys, 0);
}

static int verify_table_error(struct iommuctl_session *s,
			      struct iommuctl_pgtable *pt, int rc)
{
	const char *e = iommuctl_pgtable_error(pt);

	if (e)
		ses_why(s, "%s", e);
	return rc;
}

static int iommuctl_pgtable_verify_impl(
	struct iommuctl_obj *dev, int64_t pasid, struct iommuctl_obj *ioas,
	int (*cb)(const struct iommuctl_pgtable_diff *d, void *arg), void *arg,
	struct iommuctl_pgtable_verify_result *res)
{
	struct iommuctl_session *s;
	struct iommuctl_obj *att = NULL, *want;
	const struct iommuctl_mapping *maps;
	struct iommuctl_pgtable *pt = NULL;
	struct pgtable_cmp_stats st;
	struct vphys *v;
	size_t nmaps, i;
	int rc;

	if (!dev || !res)
		return -EINVAL;
	s = dev->s;
	ses_clear(s);
	memset(res, 0, sizeof(*res));
	res->pasid = pasid;
	rc = ses_check(s, dev, IOMMUCTL_OBJ_DEVICE, "a device");
	if (rc < 0)
		return rc;
	if (ioas) {
		rc = ses_check(s, ioas, IOMMUCTL_OBJ_IOAS, "an ioas");
		if (rc < 0)
			return rc;
	}
	if (pasid < -1 || pasid > (int64_t)UINT32_MAX) {
		ses_why(s, "PASID %lld is out of range", (long long)pasid);
		return -EINVAL;
	}
	res->device = dev->dev_name;
	if (pasid < 0) {
		att = dev->attached;
	} else {
		for (i = 0; i < dev->npatt; i++)
			if (dev->patt[i].pasid == (uint32_t)pasid)
				att = dev->patt[i].hwpt;
	}
	if (!att) {
		char ref[16];

		/* what "device attach" takes: the object's name or id */
		snprintf(ref, sizeof(ref), "%u", dev->id);
		if (pasid < 0)
			ses_why(s,
				"%s (%s) is not attached; attach it first: device attach %s --pt IOAS",
				iommuctl_obj_label(dev),
				dev->dev_name ? dev->dev_name : "?",
				dev->name ? dev->name : ref);
		else
			ses_why(s,
				"%s (%s) is not attached at PASID %lld; attach it first: device attach %s --pt IOAS --pasid %lld",
				iommuctl_obj_label(dev),
				dev->dev_name ? dev->dev_name : "?",
				(long long)pasid, dev->name ? dev->name : ref,
				(long long)pasid);
		return -ENOTCONN;
	}
	if (att->type == IOMMUCTL_OBJ_HWPT_NESTED) {
		ses_why(s,
			"%s is attached to %s, a nested hwpt: its stage-1 table belongs to the guest, not to an IOAS, and is not compared",
			iommuctl_obj_label(dev), iommuctl_obj_label(att));
		return -EOPNOTSUPP;
	}
	res->hwpt = att->type == IOMMUCTL_OBJ_IOAS ? NULL : att;
	want = ioas ? ioas : att->type == IOMMUCTL_OBJ_IOAS ? att : att->ioas;
	if (!want || (att->type != IOMMUCTL_OBJ_IOAS &&
		      att->type != IOMMUCTL_OBJ_HWPT_PAGING)) {
		ses_why(s,
			"%s is attached to %s, which is not a paging table of an IOAS",
			iommuctl_obj_label(dev), iommuctl_obj_label(att));
		return -EOPNOTSUPP;
	}
	res->ioas = want;
	if (dev->mock || !dev->dev_name) {
		ses_why(s,
			"%s is a selftest mock device: its page table is not in debugfs",
			iommuctl_obj_label(dev));
		return -EOPNOTSUPP;
	}
	maps = iommuctl_ioas_mappings(want, &nmaps);
	if (nmaps && !maps)
		return -ENOMEM;
	res->mappings = nmaps;

	rc = iommuctl_pgtable_new(s->ctx, &pt);
	if (rc < 0)
		return rc;
	rc = iommuctl_pgtable_open(pt, dev->dev_name, pasid);
	v = rc < 0 ? NULL : calloc(1, sizeof(*v));
	if (!v) {
		rc = rc < 0 ? verify_table_error(s, pt, rc) : -ENOMEM;
		iommuctl_pgtable_free(pt);
		return rc;
	}
	v->ioas = want;
	v->pgsz = (uint64_t)sysconf(_SC_PAGESIZE);
	if (!v->pgsz || (v->pgsz & (v->pgsz - 1)))
		v->pgsz = 4096;
	v->pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (iommuctl_pgtable_get_state(pt) == IOMMUCTL_PGTABLE_DISABLED)
		dbg(s->ctx, "%s: DMA remapping is not enabled\n",
		    iommuctl_pgtable_get_path(pt));

	rc = pgtable_compare(pt, maps, nmaps, vphys_lookup, v, cb, arg, &st);
	if (rc < 0 && iommuctl_pgtable_error(pt))
		verify_table_error(s, pt, rc);
	else if (rc == -EINVAL)
		ses_why(s, "the mappings of %s overlap",
			iommuctl_obj_label(want));
	res->bytes = st.bytes;
	res->leaves = st.leaves;
	res->differences = st.differences;
	res->phys_checked = st.phys_known > 0;
	if (st.phys_unknown) {
		if (v->pagemap < 0)
			res->phys_note = "/proc/self/pagemap cannot be read";
		else if (v->hidden)
			res->phys_note =
				"/proc/self/pagemap hides page frames without CAP_SYS_ADMIN";
		else if (v->file_failed || v->file_unknown)
			res->phys_note =
				"the page-cache pages of file mappings could not be mapped to look them up";
		else if (v->copy_unknown)
			res->phys_note =
				"the memory behind some copies is not known to this session";
		else
			res->phys_note =
				"some pages were not present in /proc/self/pagemap";
	}
	if (v->fva)
		munmap(v->fva, v->flen);
	if (v->pagemap >= 0)
		close(v->pagemap);
	free(v);
	iommuctl_pgtable_free(pt);
	return rc;
}

IOMMUCTL_EXPORT bool iommuctl_pgtable_can_verify(struct iommuctl_obj *o,
						 int64_t pasid)
{
	size_t i;

	if (!o || o->type != IOMMUCTL_OBJ_DEVICE || o->mock)
		return false;
	if (pasid < 0)
		return o->attached != NULL;
	for (i = 0; i < o->npatt; i++)
		if (o->patt[i].pasid == (uint32_t)pasid)
			return true;
	return false;
}

IOMMUCTL_EXPORT int iommuctl_pgtable_verify_sz(
	struct iommuctl_obj *dev, int64_t pasid, struct iommuctl_obj *ioas,
	int (*cb)(const struct iommuctl_pgtable_diff *d, void *arg), void *arg,
	struct iommuctl_pgtable_verify_result *res, size_t size)
{
	int rc = sz_out(res, size, sizeof(*res));

	return rc < 0 ? rc :
			iommuctl_pgtable_verify_impl(dev, pasid, ioas, cb, arg,
						     res);
}
