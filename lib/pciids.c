// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Vendor and device names from pci.ids, the file libpci names. libpci's
 * pci_lookup_name() parses the whole 1.3 MB list into a hash on first use,
 * which costs more than enumerating a small host; here the file is read
 * once and searched for the few vendors a host has, and each answer is
 * kept. A compressed list (pci.ids.gz) is left to libpci, loaded then
 * (dlib.h). The list is where libpci looks (PCI_IDS_DIR, its pkg-config
 * idsdir): pci.ids.gz when there is one, else pci.ids.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <pci/pci.h>

#include "dlib.h"
#include "private.h"

#ifndef PCI_IDS_DIR
#define PCI_IDS_DIR "/usr/share/misc"
#endif

#define PCIIDS_MAX (64 * 1024 * 1024)
#define PCIIDS_CLASS 0x1000000u /* an entry of the class list, not a vendor */

struct pciids_entry {
	unsigned int vendor;
	int device; /* -1: the vendor's own entry */
	char *name; /* NULL: not in the list */
	int next; /* the next entry in the same hash bucket, -1: none */
};

/* a vendor's device lines, in ascending order of ID */
struct pciids_dev {
	unsigned int id;
	const char *line; /* "\tXXXX  name" */
};

struct pciids_vendor {
	unsigned int vendor;
	const char *line; /* its line, NULL: not in the list */
	bool indexed; /* v is made (on the first device asked) */
	bool sorted; /* else v is empty: search the lines */
	struct pciids_dev *v;
	size_t n, cap;
};

/* answers kept: a device list asks the same few IDs thousands of times */
#define PCIIDS_BUCKETS 256

struct pciids {
	char *buf;
	size_t len;
	int err;
	struct pciids_entry *v;
	size_t n, cap;
	int bucket[PCIIDS_BUCKETS]; /* first entry, -1: none */
	struct pciids_vendor *vendors; /* indexed on first device lookup */
	size_t nvendors, capvendors;
	const char *classes; /* the class list's first line, found once */
};

static unsigned int id_hash(unsigned int vendor, int device)
{
	return (vendor * 31u + (unsigned int)device * 131u) % PCIIDS_BUCKETS;
}

/* libpci, for a compressed list */
#define PCI_SYMS(X) \
	X(pci_alloc) X(pci_cleanup) X(pci_lookup_name) \
	X(pci_set_name_list_path)
DLIB_DEFINE(libpci, PCI_SYMS, "libpci.so.3", "libpci3");

static void pci_quiet(char *msg, ...)
{
	(void)msg;
}

/* The list libpci would read: pci.ids.gz (load() falls back to pci.ids) */
static const char *pciids_path(struct iommuctl_ctx *ctx)
{
	return ctx->pciids_path ?: PCI_IDS_DIR "/pci.ids.gz";
}

/* libpci's handle, reading the list this context reads; NULL (said once)
 * when libpci cannot be loaded */
static struct pci_access *pciids_pacc(struct iommuctl_ctx *ctx)
{
	if (ctx->pacc)
		return ctx->pacc;
	if (dlib_load(&libpci) < 0) {
		if (!ctx->libpci_said)
			info(ctx,
			     "%s is compressed and libpci cannot be loaded to read it (%s): PCI names unknown; install %s\n",
			     pciids_path(ctx), libpci.why, libpci.package);
		ctx->libpci_said = 1;
		return NULL;
	}
	ctx->pacc = sym_pci_alloc();
	if (!ctx->pacc)
		return NULL;
	ctx->pacc->warning = pci_quiet;
	ctx->pacc->debug = pci_quiet;
	if (ctx->pciids_path)
		sym_pci_set_name_list_path(ctx->pacc, (char *)ctx->pciids_path,
					   0);
	return ctx->pacc;
}

void pciids_free(struct iommuctl_ctx *ctx)
{
	struct pciids *ids = ctx->pciids;
	size_t i;

	if (ctx->pacc)
		sym_pci_cleanup(ctx->pacc);
	ctx->pacc = NULL;
	if (!ids)
		return;
	for (i = 0; i < ids->n; i++)
		free(ids->v[i].name);
	free(ids->v);
	for (i = 0; i < ids->nvendors; i++)
		free(ids->vendors[i].v);
	free(ids->vendors);
	if (ids->buf)
		munmap(ids->buf, ids->len);
	free(ids);
	ctx->pciids = NULL;
}

static int load(struct iommuctl_ctx *ctx, struct pciids *ids)
{
	const char *name = pciids_path(ctx);
	size_t plen = strlen(name);
	char path[PATH_MAX];
	struct stat st;
	int fd;

	if (plen >= sizeof(path))
		return -ENOTSUP;
	memcpy(path, name, plen + 1);
	/* libpci reads "pci.ids.gz" when there is one, else "pci.ids" */
	if (plen > 3 && !strcmp(path + plen - 3, ".gz")) {
		if (access(path, F_OK) == 0)
			return -ENOTSUP;
		path[plen - 3] = '\0';
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENOTSUP;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    st.st_size > PCIIDS_MAX) {
		close(fd);
		return -EINVAL;
	}
	ids->buf =
		mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (ids->buf == MAP_FAILED) {
		ids->buf = NULL;
		return -ENOTSUP;
	}
	ids->len = (size_t)st.st_size;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "XXXX  name" at @p (4 lowercase hex digits, two spaces): the number, or
 * -1 */
static long line_id(const char *p, const char *end)
{
	long v = 0;
	int i, h;

	if (end - p < 7)
		return -1;
	for (i = 0; i < 4; i++) {
		h = hexval(p[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return p[4] == ' ' && p[5] == ' ' ? v : -1;
}

static char *line_name(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return strndup(p, (size_t)((nl ? nl : end) - p));
}

/* The start of the first vendor line ("XXXX  name" at a line start) at or
 * after @p and before @limit; @limit when there is none there, or the
 * class list comes first. */
static const char *next_vendor(const struct pciids *ids, const char *p,
			       const char *limit)
{
	const char *end = ids->buf + ids->len;

	if (p > ids->buf && p[-1] != '\n') {
		p = memchr(p, '\n', (size_t)(end - p));
		p = p ? p + 1 : end;
	}
	while (p < limit) {
		const char *nl;

		if (line_id(p, end) >= 0)
			return p;
		if (*p == 'C' && p + 1 < end && p[1] == ' ')
			return limit; /* the class list follows the vendors */
		nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	return limit;
}

/* The line of @vendor: vendors are listed in ascending order, so bisect. */
static const char *find_vendor(const struct pciids *ids, unsigned int vendor)
{
	const char *lo = ids->buf, *hi = ids->buf + ids->len, *v;

	while (lo < hi) {
		const char *mid = lo + (hi - lo) / 2;
		long id;

		v = next_vendor(ids, mid, hi);
		if (v >= hi) {
			hi = mid; /* no vendor line starts in [mid, hi) */
			continue;
		}
		id = line_id(v, ids->buf + ids->len);
		if (id == (long)vendor)
			return v;
		if (id < (long)vendor)
			lo = v + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* "XX  name" at @p (2 lowercase hex digits, two spaces): the number, or -1 */
static int line_id2(const char *p, const char *end)
{
	int a, b;

	if (end - p < 5)
		return -1;
	a = hexval(p[0]);
	b = hexval(p[1]);
	return a >= 0 && b >= 0 && p[2] == ' ' && p[3] == ' ' ? a * 16 + b : -1;
}

/* The class list's first "C " line, or the end. The list comes last, so
 * it is found walking back from the end to the last vendor, device or
 * subsystem line (some 200 lines), not forward over 36,000. */
static const char *class_list(const struct pciids *ids)
{
	const char *buf = ids->buf, *end = buf + ids->len, *first = end;
	const char *e = end, *l, *nl;

	if (e > buf && e[-1] == '\n')
		e--; /* the last line's newline */
	for (;;) {
		/* the line [l, e) */
		nl = e > buf ? memrchr(buf, '\n', (size_t)(e - buf)) : NULL;
		l = nl ? nl + 1 : buf;
		if (e - l > 1 && l[0] == 'C' && l[1] == ' ')
			first = l;
		else if (line_id(l, end) >= 0 || /* a vendor */
			 (l[0] == '\t' && line_id(l + 1, end) >= 0) ||
			 (l[0] == '\t' && l[1] == '\t' && end - l > 7 &&
			  hexval(l[2]) >= 0 && hexval(l[3]) >= 0 &&
			  hexval(l[4]) >= 0 && hexval(l[5]) >= 0 &&
			  l[6] == ' '))
			break; /* a device or a subsystem: the vendors' part */
		if (!nl)
			break;
		e = nl;
	}
	return first;
}

/* The name of PCI class @cls (class << 8 | subclass) from the class list
 * at the end ("C XX  name", then "\tYY  name" lines): the subclass's, else
 * the class's. */
static char *search_class(struct pciids *ids, unsigned int cls)
{
	const char *end = ids->buf + ids->len, *p, *l;

	if (!ids->classes)
		ids->classes = class_list(ids);
	for (p = ids->classes; p && p < end;
	     p = memchr(p, '\n', (size_t)(end - p)), p = p ? p + 1 : NULL)
		if (end - p > 2 && p[0] == 'C' && p[1] == ' ' &&
		    line_id2(p + 2, end) == (int)(cls >> 8))
			break;
	if (!p || p >= end)
		return NULL;
	for (l = memchr(p, '\n', (size_t)(end - p)); l && l + 1 < end;
	     l = memchr(l + 1, '\n', (size_t)(end - l - 1))) {
		if (l[1] == '#')
			continue;
		if (l[1] != '\t')
			break;
		if (l[2] != '\t' && line_id2(l + 2, end) == (int)(cls & 0xff))
			return line_name(l + 6, end);
	}
	return line_name(p + 6, end);
}

/* @device among the device lines after the vendor line @p, one by one */
static char *search_lines(const struct pciids *ids, const char *p, int device)
{
	const char *end = ids->buf + ids->len;

	/* the vendor's device lines, tab-indented, until the next vendor */
	for (p = memchr(p, '\n', (size_t)(end - p)); p && p + 1 < end;
	     p = memchr(p + 1, '\n', (size_t)(end - p - 1))) {
		const char *l = p + 1;

		if (*l == '#' || *l == '\n')
			continue;
		if (*l != '\t')
			break;
		if (l[1] != '\t' && line_id(l + 1, end) == device)
			return line_name(l + 7, end);
	}
	return NULL;
}

/* The device lines of @vendor (the line @p): one pass, then each device
 * is a bisection (a device list asks for a few vendors' devices many
 * times; Intel alone has some 12,000 lines). Not sorted: left empty, the
 * caller scans. */
static int vendor_index(const struct pciids *ids, const char *p,
			struct pciids_vendor *vi)
{
	const char *end = ids->buf + ids->len;

	for (p = memchr(p, '\n', (size_t)(end - p)); p && p + 1 < end;
	     p = memchr(p + 1, '\n', (size_t)(end - p - 1))) {
		const char *l = p + 1;
		long id;

		if (*l == '#' || *l == '\n')
			continue;
		if (*l != '\t')
			break;
		if (l[1] == '\t' || (id = line_id(l + 1, end)) < 0)
			continue;
		if (vi->n && id <= (long)vi->v[vi->n - 1].id) {
			vi->n = 0; /* out of order: no index */
			vi->sorted = false;
			return 0;
		}
		if (array_grow(&vi->v, &vi->cap, vi->n, sizeof(*vi->v)) < 0)
			return -ENOMEM;
		vi->v[vi->n].id = (unsigned int)id;
		vi->v[vi->n++].line = l;
	}
	vi->sorted = true;
	return 0;
}

/* @vendor's line, found once (a device list asks for a few vendors'
 * devices many times), and the index of its devices, made on the first
 * device asked; NULL when there is no memory for it */
static struct pciids_vendor *vendor_get(struct pciids *ids, unsigned int vendor,
					bool index)
{
	struct pciids_vendor *vi = NULL;
	size_t i;

	for (i = 0; i < ids->nvendors && !vi; i++)
		if (ids->vendors[i].vendor == vendor)
			vi = &ids->vendors[i];
	if (!vi) {
		if (array_grow(&ids->vendors, &ids->capvendors, ids->nvendors,
			       sizeof(*ids->vendors)) < 0)
			return NULL;
		vi = &ids->vendors[ids->nvendors++];
		memset(vi, 0, sizeof(*vi));
		vi->vendor = vendor;
		vi->line = find_vendor(ids, vendor);
	}
	if (index && vi->line && !vi->indexed) {
		if (vendor_index(ids, vi->line, vi) < 0) {
			free(vi->v);
			vi->v = NULL;
			vi->n = vi->cap = 0;
			vi->sorted = false; /* search the lines */
		}
		vi->indexed = true;
	}
	return vi;
}

/* The name of @vendor (@device < 0) or of its @device, from the list;
 * @vendor PCIIDS_CLASS | class: a class's (search_class()). */
static char *search(struct pciids *ids, unsigned int vendor, int device)
{
	const char *end = ids->buf + ids->len, *p;
	struct pciids_vendor *vi;
	size_t lo, hi;

	if (vendor & PCIIDS_CLASS)
		return search_class(ids, vendor & 0xffff);
	vi = vendor_get(ids, vendor, device >= 0);
	p = vi ? vi->line : find_vendor(ids, vendor);
	if (!p)
		return NULL;
	if (device < 0)
		return line_name(p + 6, end);
	if (!vi || !vi->sorted)
		return search_lines(ids, p, device);
	for (lo = 0, hi = vi->n; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (vi->v[mid].id == (unsigned int)device)
			return line_name(vi->v[mid].line + 7, end);
		if (vi->v[mid].id < (unsigned int)device)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * pciids_name() - the pci.ids name of @vendor, or of its @device (>= 0);
 * pciids_class_name() of a PCI class (class << 8 | subclass)
 *
 * Return: the name (owned by the context), NULL when the list does not
 * have it; -ENOTSUP in *err when the list cannot be searched here (the
 * caller asks libpci).
 */
const char *pciids_name(struct iommuctl_ctx *ctx, unsigned int vendor,
			int device, int *err)
{
	struct pciids *ids = ctx->pciids;
	unsigned int h = id_hash(vendor, device);
	int i;

	if (!ids) {
		ids = ctx->pciids = calloc(1, sizeof(*ids));
		if (!ids) {
			*err = -ENOMEM;
			return NULL;
		}
		for (i = 0; i < PCIIDS_BUCKETS; i++)
			ids->bucket[i] = -1;
		ids->err = load(ctx, ids);
	}
	*err = ids->err;
	if (ids->err)
		return NULL;
	for (i = ids->bucket[h]; i >= 0; i = ids->v[i].next)
		if (ids->v[i].vendor == vendor && ids->v[i].device == device)
			return ids->v[i].name;
	if (ids->n >= INT_MAX) {
		*err = -ENOMEM;
		return NULL;
	}
	if (array_grow(&ids->v, &ids->cap, ids->n, sizeof(*ids->v)) < 0) {
		*err = -ENOMEM;
		return NULL;
	}
	ids->v[ids->n].vendor = vendor;
	ids->v[ids->n].device = device;
	ids->v[ids->n].name = search(ids, vendor, device);
	ids->v[ids->n].next = ids->bucket[h];
	ids->bucket[h] = (int)ids->n;
	return ids->v[ids->n++].name;
}

const char *pciids_class_name(struct iommuctl_ctx *ctx, unsigned int cls,
			      int *err)
{
	return pciids_name(ctx, PCIIDS_CLASS | (cls & 0xffff), -1, err);
}

/*
 * pciids_lookup() - the name of @vendor (@device < 0) or of its @device;
 * pciids_lookup_class() of PCI class @cls (class << 8 | subclass): from
 * the list in place, or through libpci when it is compressed (not the udev
 * hwdb, so that the answer is the same live and offline)
 *
 * Return: a copy, or NULL (not in the list, no memory)
 */
char *pciids_lookup(struct iommuctl_ctx *ctx, unsigned int vendor, int device)
{
	struct pci_access *pacc;
	char buf[256];
	const char *r;
	int rc;

	r = pciids_name(ctx, vendor, device, &rc);
	if (rc != -ENOTSUP)
		return r ? strdup(r) : NULL;
	pacc = pciids_pacc(ctx);
	if (!pacc)
		return NULL;
	if (device < 0)
		r = sym_pci_lookup_name(pacc, buf, sizeof(buf),
					PCI_LOOKUP_VENDOR |
						PCI_LOOKUP_NO_NUMBERS |
						PCI_LOOKUP_NO_HWDB,
					vendor);
	else
		r = sym_pci_lookup_name(pacc, buf, sizeof(buf),
					PCI_LOOKUP_DEVICE |
						PCI_LOOKUP_NO_NUMBERS |
						PCI_LOOKUP_NO_HWDB,
					vendor, (unsigned int)device);
	return r ? strdup(r) : NULL;
}

char *pciids_lookup_class(struct iommuctl_ctx *ctx, unsigned int cls)
{
	struct pci_access *pacc;
	char buf[256];
	const char *r;
	int rc;

	r = pciids_class_name(ctx, cls, &rc);
	if (rc != -ENOTSUP)
		return r ? strdup(r) : NULL;
	pacc = pciids_pacc(ctx);
	if (!pacc)
		return NULL;
	r = sym_pci_lookup_name(pacc, buf, sizeof(buf),
				PCI_LOOKUP_CLASS | PCI_LOOKUP_NO_NUMBERS |
					PCI_LOOKUP_NO_HWDB,
				cls);
	return r ? strdup(r) : NULL;
}
