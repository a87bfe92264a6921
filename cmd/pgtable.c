// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl pgtable dump|context|verify: the page tables the IOMMU hardware
 * walks, as the VT-d driver prints them in debugfs. A dump can have
 * millions of lines, so it is streamed: the reader hands out merged ranges
 * one at a time, range_to_json() makes each one's JSON object, and that
 * object is printed (JSON or a table row) and dropped before the next one
 * is read. Memory stays flat whatever the size of the table.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"

/* A file the VT-d driver always has when its debugfs is there. */
#define VTD_DEBUGFS_PROBE "intel/dmar_translation_struct"

/* "4 KiB", "2 MiB", "1.5 GiB" */
static char *human_size(uint64_t v, char *buf, size_t n)
{
	static const char *const units[] = { "B",   "KiB", "MiB", "GiB",
					     "TiB", "PiB", "EiB" };
	unsigned int i = 0;
	uint64_t d = 1;

	while (i + 1 < sizeof(units) / sizeof(units[0]) && v / d >= 1024) {
		d *= 1024;
		i++;
	}
	if (v % d == 0)
		snprintf(buf, n, "%" PRIu64 " %s", v / d, units[i]);
	else
		snprintf(buf, n, "%.1f %s", (double)v / (double)d, units[i]);
	return buf;
}

static const char *perm_text(unsigned int perm)
{
	static const char *const t[] = { "--", "r-", "-w", "rw" };

	return t[perm & (IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE)];
}

static const char *pjstr(struct json_object *j, const char *key)
{
	struct json_object *v = jopt(j, key);

	return v ? json_object_get_string(v) : NULL;
}

static int64_t jint(struct cmdctx *c, struct json_object *j, const char *key)
{
	return json_object_get_int64(jget(c, j, key));
}

static bool jbool(struct cmdctx *c, struct json_object *j, const char *key)
{
	return json_object_get_boolean(jget(c, j, key));
}

/* The options of the three verbs, each verb binding its own. */
struct pt_args {
	const char *device, *unit, *file;
	char canon[32]; /* --device as "0000:00:03.0" */
	int64_t pasid;
	uint32_t merge;
	bool raw, merge_given, no_progress;
	struct objref ioas;
};

static void pt_init(void *args)
{
	struct pt_args *a = args;

	a->pasid = -1;
	/* whole mappings by default: a user's pages are rarely contiguous */
	a->merge = IOMMUCTL_PGTABLE_MERGE_IOVA;
}

static int parse_pasid(struct cmdctx *c, const struct opt *o UNUSED,
		       const char *text, void *field)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 0);
	if (!*text || *end || errno || v < 0 || v >= (1LL << 20))
		return cmd_usage(
			c, "--pasid wants a PASID (0 to 0xfffff), not '%s'",
			text);
	*(int64_t *)field = v;
	return 0;
}

static int parse_merge(struct cmdctx *c, const struct opt *o UNUSED,
		       const char *text, void *field)
{
	static const char *const names[] = {
		[IOMMUCTL_PGTABLE_MERGE_PHYS] = "phys",
		[IOMMUCTL_PGTABLE_MERGE_IOVA] = "iova",
		[IOMMUCTL_PGTABLE_MERGE_NONE] = "none",
	};
	uint32_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i] && !strcmp(text, names[i])) {
			*(uint32_t *)field = i;
			return 0;
		}
	return cmd_usage(c, "--merge: '%s' is not phys, iova or none", text);
}

/* --device BDF as "0000:00:03.0" (dump and context). */
static int bdf_check(struct cmdctx *c, void *args)
{
	struct pt_args *a = args;

	if (!a->device)
		return 0;
	if (iommuctl_parse_bdf(a->device, a->canon, sizeof(a->canon)) < 0)
		return cmd_usage(
			c,
			"--device wants a PCI address (0000:00:03.0), not '%s'",
			a->device);
	a->device = a->canon;
	return 0;
}

/* ---- dump ---------------------------------------------------------------- */

static const struct opt dump_opts[] = {
	OPT_STR("device", 'd', "BDF", struct pt_args, device,
		"the PCI device whose table to print (optional with --file)"),
	OPT_CALL("pasid", 0, "N", struct pt_args, pasid, parse_pasid,
		 "the table of this PASID, not the device's RID table"),
	OPT_BOOL(
		"raw", 'r', struct pt_args, raw,
		"one line per leaf with the raw entries of its walk (--merge none)"),
	OPT_CALL(
		"merge", 'm', "phys|iova|none", struct pt_args, merge,
		parse_merge,
		"merge leaves with contiguous IOVAs (iova, the default), also contiguous physical addresses (phys), or not at all",
		OPT_SEEN(struct pt_args, merge_given)),
	OPT_STR("file", 'f', "FILE", struct pt_args, file,
		"read a saved dump (a copy of domain_translation_struct; - for stdin)"),
	OPT_BOOL("no-progress", 0, struct pt_args, no_progress,
		 "no progress line on stderr"),
	OPT_END,
};

static int dump_check(struct cmdctx *c, void *args)
{
	struct pt_args *a = args;

	if (!a->device && !a->file)
		return cmd_usage(c, "which device? (--device BDF)");
	if (bdf_check(c, a) < 0)
		return -EINVAL;
	if (a->file && a->pasid >= 0)
		return cmd_usage(
			c,
			"--pasid picks a debugfs file; a saved dump (--file) is read as it is");
	if (a->raw && a->merge_given && a->merge != IOMMUCTL_PGTABLE_MERGE_NONE)
		return cmd_usage(
			c,
			"--raw prints every leaf: it cannot merge (--merge none)");
	if (a->raw)
		a->merge = IOMMUCTL_PGTABLE_MERGE_NONE;
	return 0;
}

/* The one emitter of a range: JSON output and the table row. */
static struct json_object *range_to_json(const struct iommuctl_pgtable_range *r,
					 bool raw)
{
	struct json_object *j = json_object_new_object();

	jadd_hex(j, "start", r->start);
	jadd_hex(j, "last", r->last);
	jadd_int(j, "size", (int64_t)(r->last - r->start + 1));
	jadd_hex(j, "phys", r->phys);
	jadd_bool(j, "phys_contiguous", r->phys_contiguous);
	jadd_int(j, "page_size", (int64_t)r->page_size);
	jadd_bool(j, "read", r->perm & IOMMUCTL_MAP_READ);
	jadd_bool(j, "write", r->perm & IOMMUCTL_MAP_WRITE);
	jadd_int(j, "leaves", (int64_t)r->leaves);
	if (raw) {
		jadd(j, "entries", json_hexv(r->first.entry, 5));
		jadd_int(j, "line", (int64_t)r->first.line);
	}
	return j;
}

struct dump {
	struct cmdctx *c;
	const struct pt_args *a;
	struct iommuctl_pgtable *pt;
	int flags; /* json-c serialisation flags */
	bool progress; /* stderr is a terminal, --no-progress not given */
	int shown; /* width of the progress line on screen, 0: none */
	struct timespec last;
	uint64_t ranges, leaves, bytes;
	bool scattered; /* a range whose physical pages are not contiguous */
	bool text_header; /* the column header was printed */
	int iova_w; /* START and LAST's width: the tables' IOVA bits (0: 64) */
	char device[64]; /* of the header ("" none) */
	char cur[64]; /* the section being read */
	/* batch --results: the document, whole, as the line's result */
	struct json_object *doc;
};

static void progress_erase(struct dump *d)
{
	if (!d->shown)
		return;
	fprintf(stderr, "\r%*s\r", d->shown, "");
	d->shown = 0;
}

static void progress_show(struct dump *d)
{
	uint64_t bytes = 0, lines = 0;
	struct timespec now;
	int64_t ms;
	int n;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - d->last.tv_sec) * 1000 +
	     (now.tv_nsec - d->last.tv_nsec) / 1000000;
	if (!d->progress || ms < 200)
		return;
	d->last = now;
	iommuctl_pgtable_get_progress(d->pt, &bytes, &lines);
	n = fprintf(stderr,
		    "\r%" PRIu64 " lines, %.1f MiB read, %" PRIu64 " leaves",
		    lines, (double)bytes / (1024.0 * 1024.0), d->leaves);
	n--; /* the \r */
	if (n < d->shown)
		fprintf(stderr, "%*s", d->shown - n, "");
	if (n > d->shown)
		d->shown = n;
}

/* The one emitter of the dump's header (and empty "ranges"); the text
 * line is made from it. */
static struct json_object *header_to_json(struct dump *d)
{
	struct json_object *j = json_object_new_object();
	enum iommuctl_pgtable_state state = iommuctl_pgtable_get_state(d->pt);
	uint64_t root = iommuctl_pgtable_get_root(d->pt);
	unsigned int levels = iommuctl_pgtable_get_levels(d->pt);
	int64_t p = iommuctl_pgtable_get_pasid(d->pt);
	const char *device = *d->device ? d->device : NULL;
	char *note = iommuctl_pgtable_note(d->pt, d->a->file ? NULL : device);

	if (p < 0)
		p = d->a->pasid;
	jset(j, "device", jstrn(device));
	jset(j, "pasid", p >= 0 ? json_object_new_int64(p) : NULL);
	jset(j, "file", jstrn(iommuctl_pgtable_get_path(d->pt)));
	jadd_str(j, "state", iommuctl_pgtable_state_name(state));
	jset(j, "root",
	     root || state == IOMMUCTL_PGTABLE_TABLE ? json_hex(root) : NULL);
	jset(j, "levels", levels ? json_object_new_int((int)levels) : NULL);
	jset(j, "note", jstrn(note));
	free(note);
	jadd(j, "ranges", json_object_new_array()); /* filled, or streamed */
	return j;
}

/*
 * The document is {header keys, "ranges": [...], "summary": {...}}, printed
 * as json-c would print it whole: json-c prints the head (the header with
 * "ranges": [], up to its '[') and the tail (an object of the keys after
 * the ranges, its '{' cut) at the top level; the ranges in between. The
 * text is a line of the header's keys.
 */
static void print_header(struct dump *d, struct json_object *h)
{
	const char *s = json_object_to_json_string_ext(h, d->flags);
	const char *note = pjstr(h, "note");

	if (d->c->json) {
		printf("%.*s", (int)(strrchr(s, '[') + 1 - s), s);
		return;
	}
	/* a table of N levels translates 12 + 9 * N bits of IOVA: that
	 * many hex digits are enough for START and LAST (80 columns hold a
	 * 4-level table's rows); fixed once the column header is out */
	if (pjstr(h, "levels") && !d->text_header) {
		int levels = atoi(pjstr(h, "levels")), w = 18;

		if (levels >= 2 && levels <= 5)
			w = 2 + (12 + 9 * levels + 3) / 4;
		d->iova_w = w > d->iova_w ? w : d->iova_w;
	}
	print_wrapped(2, "%sdevice %s%s, pasid %s, root %s, levels %s, file %s",
		      color_on(d->c, "header"), pjstr(h, "device") ?: "?",
		      color_off(d->c), pjstr(h, "pasid") ?: "none",
		      pjstr(h, "root") ?: "none",
		      pjstr(h, "levels") ?: "unknown", pjstr(h, "file") ?: "?");
	if (note)
		print_wrapped(2, "%s", note);
}

/* Prints @v with every newline followed by @indent (pretty nesting). */
static void put_indented(struct dump *d, struct json_object *v,
			 const char *indent)
{
	const char *s = json_object_to_json_string_ext(v, d->flags);

	for (; *s; s++) {
		putchar(*s);
		if (*s == '\n')
			fputs(indent, stdout);
	}
}

/* A table row, made from range_to_json()'s object. */
static void print_row(struct dump *d, struct json_object *j)
{
	static const char *const raw_keys[] = { "PML5E", "PML4E", "PDPE", "PDE",
						"PTE" };
	bool contig = jbool(d->c, j, "phys_contiguous");
	struct json_object *e = jopt(j, "entries");
	char size[24], page[24], phys[24];
	unsigned int perm = 0, i;

	snprintf(phys, sizeof(phys), "%s%s", jstr(d->c, j, "phys"),
		 contig ? "" : "*");
	d->scattered |= !contig;
	if (jbool(d->c, j, "read"))
		perm |= IOMMUCTL_MAP_READ;
	if (jbool(d->c, j, "write"))
		perm |= IOMMUCTL_MAP_WRITE;
	if (!d->iova_w)
		d->iova_w = 18;
	if (!d->text_header) {
		printf("%-*s  %-*s  %8s  %-16s  %6s  %-4s  %6s", d->iova_w,
		       "START", d->iova_w, "LAST", "SIZE", "PHYS", "PAGE",
		       "PERM", "LEAVES");
		if (d->a->raw)
			printf("  %8s", "LINE");
		for (i = 0; d->a->raw && i < 5; i++)
			printf(i < 4 ? "  %-18s" : "  %s", raw_keys[i]);
		printf("\n");
		d->text_header = true;
	}
	printf("%-*s  %-*s  %8s  %-16s  %6s  %-4s  %6s", d->iova_w,
	       jstr(d->c, j, "start"), d->iova_w, jstr(d->c, j, "last"),
	       human_size((uint64_t)jint(d->c, j, "size"), size, sizeof(size)),
	       phys,
	       human_size((uint64_t)jint(d->c, j, "page_size"), page,
			  sizeof(page)),
	       perm_text(perm), jstr(d->c, j, "leaves"));
	if (e)
		printf("  %8s", jstr(d->c, j, "line"));
	for (i = 0; e && i < 5; i++)
		printf(i < 4 ? "  %-18s" : "  %s",
		       json_object_get_string(json_object_array_get_idx(e, i)));
	printf("\n");
}

static void emit_range(struct dump *d, const struct iommuctl_pgtable_range *r)
{
	struct json_object *j = range_to_json(r, d->a->raw);
	const char *dev = iommuctl_pgtable_get_device(d->pt);

	progress_erase(d);
	/* a saved dump of several devices read without --device: ranges of
	 * another device than the header's say whose they are */
	if (dev && *d->cur && strcmp(dev, d->cur)) {
		snprintf(d->cur, sizeof(d->cur), "%s", dev);
		if (!d->c->json) {
			printf("device %s\n", dev);
			d->text_header = false;
		}
	}
	if (dev && *d->device && strcmp(dev, d->device))
		jadd_str(j, "device", dev);
	if (d->doc) {
		json_object_array_add(jopt(d->doc, "ranges"),
				      json_object_get(j));
	} else if (d->c->json) {
		printf("%s%s", d->ranges ? "," : "",
		       d->c->pretty ? "\n    " : "");
		put_indented(d, j, "    ");
	} else {
		print_row(d, j);
	}
	json_object_put(j);
	d->ranges++;
	d->leaves += r->leaves;
	d->bytes += r->last - r->start + 1;
}

/* The summary: the end of the JSON document (with the error if @msg), or
 * the last lines of the text. */
static void finish(struct dump *d, const char *msg, int err)
{
	struct json_object *t = json_object_new_object(),
			   *s = json_object_new_object();
	bool table = iommuctl_pgtable_get_state(d->pt) ==
		     IOMMUCTL_PGTABLE_TABLE;
	char size[24];

	jadd_int(s, "range_count", (int64_t)d->ranges);
	jadd_int(s, "leaves", (int64_t)d->leaves);
	jadd_int(s, "bytes", (int64_t)d->bytes);
	jadd(d->doc ?: t, "summary", s);
	if (msg) {
		jadd_str(t, "error", msg);
		jadd_int(t, "errno", err);
	}
	progress_erase(d);
	if (d->c->json && !d->doc)
		printf("%s],%s\n", d->c->pretty && d->ranges ? "\n  " : "",
		       json_object_to_json_string_ext(t, d->flags) + 1);
	json_object_put(t);
	if (d->c->json || msg)
		return;
	if (d->scattered)
		print_wrapped(
			2,
			"* the physical pages of this range are not contiguous: PHYS is where START goes (--merge phys splits it)");
	if (table && d->ranges)
		printf("%" PRIu64 " lea%s in %" PRIu64 " range%s, %s mapped\n",
		       d->leaves, d->leaves == 1 ? "f" : "ves", d->ranges,
		       d->ranges == 1 ? "" : "s",
		       human_size(d->bytes, size, sizeof(size)));
	else if (table)
		printf("the table maps nothing\n");
}

/* Opens the table, or the saved dump (*@fd); opening failed: exit 3 when
 * the kernel has no VT-d page-table debugfs. */
static int dump_open(struct cmdctx *c, const struct pt_args *a,
		     struct iommuctl_pgtable *pt, int *fd)
{
	bool std = a->file && !strcmp(a->file, "-");
	const char *why;
	int rc;

	if (!a->file)
		rc = iommuctl_pgtable_open(pt, a->device, a->pasid);
	else if ((*fd = std ? STDIN_FILENO :
			      open(a->file, O_RDONLY | O_CLOEXEC)) < 0)
		return cmd_fail_on(c, a->file, EXIT_FAILED, errno,
				   "cannot open it: %s", strerror(errno));
	else
		rc = iommuctl_pgtable_open_fd(
			pt, *fd, std ? "<stdin>" : a->file, a->device);
	why = iommuctl_pgtable_error(pt);
	if (rc >= 0)
		return 0;
	if (rc == -EACCES)
		return debugfs_fail(c, rc, VTD_DEBUGFS_PROBE);
	if (rc == -ENOENT && !a->file && debugfs_missing(c, VTD_DEBUGFS_PROBE))
		return cmd_fail_on(c, c->object, EXIT_UNAVAILABLE, ENOENT, "%s",
				   why ?: "the kernel has no VT-d debugfs");
	if (why) /* it names the device or file */
		return cmd_fail_on(c, c->object, EXIT_FAILED, rc, "%s", why);
	return cmd_fail_on(c, a->device ?: a->file, EXIT_FAILED, rc,
			   "cannot read its table: %s", strerror(-rc));
}

/*
 * VERB_STREAMS: the ranges are printed as they are read (a table can have
 * millions), so the JSON document is written here piece by piece; an error
 * in the middle closes it with "error" and "errno" and exits 1 (the
 * dispatcher must not print a second document).
 */
static int dump_run(struct cmdctx *c, void *args)
{
	const struct pt_args *a = args;
	struct dump d = { .c = c, .a = a };
	struct iommuctl_pgtable_range r;
	const char *why = NULL, *device;
	struct json_object *h;
	int rc, fd = -1;
	char *msg = NULL;

	rc = iommuctl_pgtable_new(c->ctx, &d.pt);
	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, rc, "pgtable");
	iommuctl_pgtable_set_merge(d.pt, a->merge);
	rc = dump_open(c, a, d.pt, &fd);
	if (rc < 0)
		goto out;
	d.flags = JSON_C_TO_STRING_NOSLASHESCAPE |
		  (c->pretty ?
			   JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			   JSON_C_TO_STRING_PLAIN);
	d.progress = !a->no_progress && isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &d.last);
	/* the state, root and levels are known once the first range is read */
	rc = iommuctl_pgtable_next_range(d.pt, &r);
	progress_erase(&d);
	if (rc < 0) {
		rc = cmd_fail_on(c, c->object, EXIT_FAILED, rc, "%s",
				 iommuctl_pgtable_error(d.pt) ?: strerror(-rc));
		goto out;
	}
	device = iommuctl_pgtable_get_device(d.pt) ?: a->device;
	snprintf(d.device, sizeof(d.device), "%s", device ?: "");
	snprintf(d.cur, sizeof(d.cur), "%s", d.device);
	h = header_to_json(&d);
	if (c->keep_out) {
		d.doc = h;
	} else {
		print_header(&d, h);
		json_object_put(h);
	}
	for (; rc > 0; rc = iommuctl_pgtable_next_range(d.pt, &r)) {
		emit_range(&d, &r);
		if (ferror(stdout)) /* the reader went away (| head): stop */
			break;
		progress_show(&d);
	}
	if (rc < 0) {
		why = iommuctl_pgtable_error(d.pt) ?: strerror(-rc);
		if (asprintf(&msg, "%s: %s", c->object, why) < 0)
			msg = NULL;
	}
	finish(&d, d.doc ? NULL : msg ?: why, -rc);
	if (d.doc) { /* the document so far, and the error */
		cmd_out(c, d.doc);
		rc = why ? cmd_fail_on(c, c->object, EXIT_FAILED, -rc, "%s",
				       why) :
			   0;
	} else if (why) {
		fflush(stdout);
		fprintf(stderr, "iommuctl: %s\n", msg ?: why);
		rc = CMD_STATUS(EXIT_FAILED);
	} else {
		rc = 0;
	}
	free(msg);
out:
	progress_erase(&d);
	if (fd > STDIN_FILENO)
		close(fd);
	iommuctl_pgtable_free(d.pt);
	return rc;
}

/* ---- context ------------------------------------------------------------- */

static const struct opt context_opts[] = {
	OPT_STR("device", 'd', "BDF", struct pt_args, device,
		"only this PCI device's entries"),
	OPT_STR("unit", 'u', "UNIT", struct pt_args, unit,
		"only this VT-d unit (dmar0)"),
	OPT_END,
};

/* The one emitter of a context (legacy) or PASID (scalable) entry. */
static struct json_object *context_to_json(const struct iommuctl_vtd_context *e)
{
	struct json_object *j = json_object_new_object(),
			   *raw = json_object_new_object();
	char dev[24];

	/* a VT-d unit's PCI segment is not in the file */
	snprintf(dev, sizeof(dev), "0000:%02x:%02x.%x", e->bus, e->devfn >> 3,
		 e->devfn & 7);
	jadd_str(j, "device", dev);
	jset(j, "pasid",
	     e->scalable && e->pasid >= 0 ? json_object_new_int64(e->pasid) :
					    NULL);
	jadd_str(j, "type", iommuctl_vtd_ttype_name(e->ttype));
	jadd_int(j, "domain_id", e->domain_id);
	jadd_int(j, "address_width", e->address_width);
	jset(j, "levels",
	     e->levels ? json_object_new_int((int)e->levels) : NULL);
	jadd_hex(j, "table", e->table);
	if (e->scalable)
		jadd_hex(j, "pasid_dir", e->pasid_dir);
	jadd_bool(j, "present", e->present);
	jadd_bool(j, "fault_disable", e->fault_disable);
	jadd(raw, "root_entry", json_hexv(e->root, 2));
	jadd(raw, "context_entry", json_hexv(e->context, 2));
	jadd(raw, "pasid_entry", json_hexv(e->pasid_entry, 3));
	jadd(j, "raw_entries", raw);
	return j;
}

/* A unit and its entries (of --device); with --device, not a unit that
 * does not translate it. */
static struct json_object *
unit_to_json(const struct iommuctl_vtd_unit_contexts *u, bool device)
{
	const struct iommuctl_vtd_context *e = u->rows;
	struct json_object *j, *rows;
	size_t i;

	if (device && !u->n)
		return NULL;
	j = json_object_new_object();
	jadd_str(j, "unit", u->unit.unit);
	jadd_bool(j, "enabled", u->unit.enabled);
	jset(j, "root_table", u->unit.enabled ? json_hex(u->unit.table) : NULL);
	jset(j, "mode",
	     jstrn(!u->n       ? NULL :
		   e->scalable ? "scalable" :
				 "legacy"));
	rows = json_object_new_array();
	for (i = 0; i < u->n; i++)
		json_object_array_add(rows, context_to_json(&e[i]));
	jadd(j, "entries", rows);
	return j;
}

static int context_run(struct cmdctx *c, void *args)
{
	const struct pt_args *a = args;
	struct json_object *units, *seen, *j;
	struct iommuctl_vtd_unit_contexts *u;
	size_t i, n, matched = 0;
	bool unit = false;
	int rc;

	rc = iommuctl_vtd_contexts_get(c->ctx, a->device, &u, &n);
	if (rc < 0)
		return debugfs_fail(c, rc, VTD_DEBUGFS_PROBE);
	units = json_object_new_array();
	seen = json_object_new_array();
	for (i = 0; i < n; i++) {
		json_object_array_add(seen, jstrn(u[i].unit.unit));
		if (a->unit && strcmp(a->unit, u[i].unit.unit))
			continue;
		unit = true;
		matched += u[i].n;
		j = unit_to_json(&u[i], a->device);
		if (j)
			json_object_array_add(units, j);
	}
	iommuctl_vtd_contexts_free(u, n);
	if (a->unit && !unit)
		rc = no_such_unit(c, a->unit, false, VTD_DEBUGFS_PROBE, seen);
	else if (a->device && !matched)
		rc = cmd_fail_on(c, NULL, EXIT_FAILED, ENOENT,
				 "device %s: has no context entry in %s%s%s",
				 a->device, VTD_DEBUGFS_PROBE,
				 a->unit ? " of " : "", a->unit ?: "");
	json_object_put(seen);
	j = json_object_new_object();
	jadd(j, "units", units);
	if (rc < 0) {
		json_object_put(j);
		return rc;
	}
	return cmd_out(c, j);
}

static void context_print(struct cmdctx *c, struct json_object *u)
{
	static const struct column cols[] = {
		{ "DEVICE", "device", 0 },
		{ "PASID", "pasid", COL_RIGHT },
		{ "TYPE", "type", 0 },
		{ "DID", "domain_id", COL_RIGHT },
		{ "AW", "address_width", COL_RIGHT },
		{ "TABLE", "table", 0 },
		{ NULL, NULL, 0 },
	};
	struct json_object *e = jget(c, u, "entries");
	size_t n = json_object_array_length(e);

	printf("%s%s%s: ", color_on(c, "header"), jstr(c, u, "unit"),
	       color_off(c));
	if (!jbool(c, u, "enabled")) {
		printf("DMA remapping is not enabled\n");
		return;
	}
	printf("root table %s, %s mode, %zu entr%s\n",
	       pjstr(u, "root_table") ?: "?", pjstr(u, "mode") ?: "unknown", n,
	       n == 1 ? "y" : "ies");
	if (n)
		table_print(stdout, e, cols, "  ");
}

/* ---- verify -------------------------------------------------------------- */

static const struct opt verify_opts[] = {
	OPT_CALL("pasid", 0, "N", struct pt_args, pasid, parse_pasid,
		 "the device's attachment at this PASID"),
	OPT_OBJ("ioas", 0, "IOAS", struct pt_args, ioas,
		OBJ_MASK(IOMMUCTL_OBJ_IOAS),
		"compare with this IOAS instead of the attached hwpt's"),
	OPT_END,
};

static int verify_check(struct cmdctx *c, void *args UNUSED)
{
	if (c->in_session)
		return 0;
	return cmd_fail_on(
		c, NULL, EXIT_USAGE, EINVAL,
		"pgtable verify compares a session's IOAS mappings with the hardware table: run it in iommuctl batch or shell after ioas map and device attach");
}

/* The one emitter of a difference. */
static struct json_object *diff_to_json(const struct iommuctl_pgtable_diff *d)
{
	struct json_object *j = json_object_new_object();
	bool phys = d->kind == IOMMUCTL_PGTABLE_DIFF_PHYS,
	     extra = d->kind == IOMMUCTL_PGTABLE_DIFF_EXTRA;

	jadd_str(j, "kind", iommuctl_pgtable_diff_kind_name(d->kind));
	jadd_hex(j, "start", d->start);
	jadd_hex(j, "last", d->last);
	jadd_int(j, "size", (int64_t)(d->last - d->start + 1));
	jadd_str(j, "want", perm_text(d->want_perm));
	jadd_str(j, "have", perm_text(d->have_perm));
	jset(j, "want_phys", phys ? json_hex(d->want_phys) : NULL);
	jset(j, "have_phys", phys || extra ? json_hex(d->have_phys) : NULL);
	jset(j, "mapping", !extra ? json_hex(d->mapping_iova) : NULL);
	return j;
}

static int diff_cb(const struct iommuctl_pgtable_diff *d, void *arg)
{
	json_object_array_add(arg, diff_to_json(d));
	return 0;
}

/* The one emitter of a comparison. */
static struct json_object *
verified_to_json(struct iommuctl_obj *dev,
		 const struct iommuctl_pgtable_verify_result *res,
		 struct json_object *diffs, bool match)
{
	struct json_object *j = json_object_new_object();

	jadd_str(j, "device", iommuctl_obj_label(dev));
	jset(j, "pci", jstrn(res->device));
	jset(j, "pasid",
	     res->pasid >= 0 ? json_object_new_int64(res->pasid) : NULL);
	jset(j, "hwpt",
	     jstrn(res->hwpt ? iommuctl_obj_label(res->hwpt) : NULL));
	jset(j, "ioas",
	     jstrn(res->ioas ? iommuctl_obj_label(res->ioas) : NULL));
	jadd_int(j, "mappings", (int64_t)res->mappings);
	jadd_int(j, "bytes", (int64_t)res->bytes);
	jadd_int(j, "leaves", (int64_t)res->leaves);
	jadd_bool(j, "phys_checked", res->phys_checked);
	jset(j, "phys_note", jstrn(res->phys_note));
	jadd_bool(j, "match", match);
	jadd(j, "differences", diffs);
	return j;
}

/* Compares one device: 0 with the result added to @all (*@differ set if
 * it does not match), or -errno. */
static int verify_one(struct cmdctx *c, struct iommuctl_obj *dev,
		      const struct pt_args *a, struct json_object *all,
		      bool *differ)
{
	struct iommuctl_pgtable_verify_result res = { 0 };
	const char *label = iommuctl_obj_label(dev), *why;
	struct json_object *diffs;
	struct iommuctl_obj_info in;
	int rc;

	iommuctl_obj_get_info(dev, &in);
	if (in.mock)
		return cmd_fail_on(
			c, label, EXIT_FAILED, EINVAL,
			"is a selftest mock device: no IOMMU hardware walks a table for it (bind a VFIO device with 'device bind')");
	diffs = json_object_new_array();
	rc = iommuctl_pgtable_verify(dev, a->pasid, a->ioas.obj, diff_cb, diffs,
				     &res);
	if (rc >= 0) {
		bool match = !res.differences &&
			     !json_object_array_length(diffs);

		*differ |= !match;
		json_object_array_add(all, verified_to_json(dev, &res, diffs,
							    match));
		return 0;
	}
	json_object_put(diffs);
	why = c->sess ? iommuctl_session_error(c->sess) : NULL;
	if (rc == -EACCES)
		return cmd_fail_on(
			c, label, EXIT_FAILED, EACCES,
			"run as root: the page table is read from debugfs, which is readable by root only");
	if (rc == -ENOENT && debugfs_missing(c, VTD_DEBUGFS_PROBE))
		return cmd_fail_on(
			c, label, EXIT_UNAVAILABLE, ENOENT, "%s",
			why ?: "the kernel has no VT-d page tables in debugfs");
	if (rc == -EOPNOTSUPP)
		return cmd_fail_on(
			c, label, EXIT_FAILED, EOPNOTSUPP, "%s",
			why ?: "is not attached to a paging hwpt of an IOAS: nothing to compare");
	return lib_fail(c, rc, label, "cannot verify");
}

/* DEVICE, or every attached VFIO device of the session. */
static int verify_run(struct cmdctx *c, void *args)
{
	const struct pt_args *a = args;
	struct json_object *all = json_object_new_array(), *j;
	struct iommuctl_obj *o;
	bool differ = false;
	int rc = 0;

	if (c->obj) {
		rc = verify_one(c, c->obj, a, all, &differ);
	} else {
		iommuctl_session_foreach(c->sess, o)
		{
			if (rc == 0 && iommuctl_pgtable_can_verify(o, a->pasid))
				rc = verify_one(c, o, a, all, &differ);
		}
	}
	if (rc == 0 && !json_object_array_length(all))
		rc = cmd_fail_on(
			c, c->object, EXIT_FAILED, ENOENT,
			"no VFIO device of this session is attached%s: 'device bind' one and 'device attach' it to an IOAS first",
			a->pasid >= 0 ? " at that PASID" : "");
	if (rc < 0) {
		json_object_put(all);
		return rc;
	}
	j = json_object_new_object();
	jadd(j, "verified", all);
	cmd_out(c, j);
	return differ ? CMD_STATUS(EXIT_FAILED) : 0;
}

static void diff_print(struct cmdctx *c, struct json_object *d)
{
	const char *kind = jstr(c, d, "kind");

	printf("  %s %s-%s: ", kind, jstr(c, d, "start"), jstr(c, d, "last"));
	if (!strcmp(kind, "missing"))
		printf("the IOAS maps %s, the table has nothing\n",
		       jstr(c, d, "want"));
	else if (!strcmp(kind, "extra"))
		printf("the table maps %s to %s, the IOAS has nothing\n",
		       jstr(c, d, "have"), pjstr(d, "have_phys") ?: "?");
	else if (!strcmp(kind, "perm"))
		printf("the IOAS maps %s, the table has %s\n",
		       jstr(c, d, "want"), jstr(c, d, "have"));
	else
		printf("the table points at %s, the IOAS mapping at %s pinned %s\n",
		       pjstr(d, "have_phys") ?: "?", pjstr(d, "mapping") ?: "?",
		       pjstr(d, "want_phys") ?: "?");
}

/* Each comparison: a line, and one for each difference. */
static void verify_text(struct cmdctx *c, struct json_object *all)
{
	struct json_object *a = jget(c, all, "verified"), *j, *diffs;
	size_t i, k, n;
	char size[24];
	bool checked;

	for (i = 0; a && i < json_object_array_length(a); i++) {
		j = json_object_array_get_idx(a, i);
		diffs = jget(c, j, "differences");
		n = json_object_array_length(diffs);
		checked = jbool(c, j, "phys_checked");
		printf("%s (%s", jstr(c, j, "device"), pjstr(j, "pci") ?: "?");
		if (pjstr(j, "pasid"))
			printf(" pasid %s", pjstr(j, "pasid"));
		printf(") vs %s", pjstr(j, "ioas") ?: "?");
		if (pjstr(j, "hwpt"))
			printf(" via %s", pjstr(j, "hwpt"));
		printf(": %s mapping%s, %s, %s lea%s: ", jstr(c, j, "mappings"),
		       jint(c, j, "mappings") == 1 ? "" : "s",
		       human_size((uint64_t)jint(c, j, "bytes"), size,
				  sizeof(size)),
		       jstr(c, j, "leaves"),
		       jint(c, j, "leaves") == 1 ? "f" : "ves");
		if (jbool(c, j, "match"))
			printf("match\n");
		else
			printf("%zu difference%s\n", n, n == 1 ? "" : "s");
		for (k = 0; k < n; k++)
			diff_print(c, json_object_array_get_idx(diffs, k));
		if (!checked || pjstr(j, "phys_note"))
			printf("  physical addresses %s: %s\n",
			       checked ? "partly compared" : "not compared",
			       pjstr(j, "phys_note") ?: "unknown why");
	}
}
#define PT_ARGS .args_size = sizeof(struct pt_args), .init = pt_init

/* clang-format off */
static const struct verb pgtable_verbs[] = {
	{ .name = "dump", .summary = "print a device's page table, streamed from debugfs",
	  .synopsis = "--device BDF [--pasid N] [--raw] [--merge phys|iova|none] [--file FILE] [--no-progress]",
	  .description =
		  "Print the page table the IOMMU walks for a device, as the VT-d driver\n"
		  "prints it in debugfs (intel/<BDF>/[<pasid>/]domain_translation_struct,\n"
		  "or the global file of kernels before 6.7): leaves merged into ranges of\n"
		  "contiguous IOVAs with the same page size and permissions (and, with\n"
		  "--merge phys, contiguous physical addresses). The output streams: millions\n"
		  "of leaves take no more memory than one (batch --results holds the\n"
		  "document: it is the line's result). A domain without a table\n"
		  "(identity, blocked) says so. The table is read while the kernel may\n"
		  "change it. Needs root and CONFIG_INTEL_IOMMU_DEBUGFS (off in most\n"
		  "distribution kernels); only Intel VT-d prints page tables (exit 3\n"
		  "elsewhere). A progress line goes to stderr when it is a terminal.",
	  .opts = dump_opts, PT_ARGS, .flags = VERB_STREAMS,
	  .check = dump_check, .run = dump_run },
	{ .name = "context", .summary = "VT-d root, context and PASID entries",
	  .synopsis = "[--device BDF] [--unit UNIT]",
	  .description =
		  "The VT-d root and context entries (legacy mode) or PASID entries\n"
		  "(scalable mode) of every device, from intel/dmar_translation_struct:\n"
		  "translation type (multi-level, pass-through, first-stage, ...),\n"
		  "domain ID, address width and table levels, the page table root the\n"
		  "hardware walks, present and fault-disable bits, and the raw entries.\n"
		  "Needs root and CONFIG_INTEL_IOMMU_DEBUGFS.",
	  .opts = context_opts, PT_ARGS, .check = bdf_check,
	  .run = context_run, .render = &units_render,
	  .data = &(const struct units_verb){ .print = context_print } },
	{ .name = "verify", .summary = "compare a session device's table with its IOAS mappings",
	  .synopsis = "[DEVICE] [--pasid N] [--ioas IOAS]",
	  .description =
		  "In a session (iommuctl batch or shell): compare what the IOAS a VFIO\n"
		  "device is attached to maps with the page table the IOMMU walks for it\n"
		  "(read from debugfs): every page an IOAS mapping holds must be in the\n"
		  "table with the mapping's permissions and, where /proc/self/pagemap\n"
		  "shows page frames (root), at the physical page the mapping pinned;\n"
		  "the table must map nothing else. DEVICE is a session object; without\n"
		  "it every attached VFIO device of the session is compared. Exits 1\n"
		  "when a difference was found. Needs root, CONFIG_INTEL_IOMMU_DEBUGFS\n"
		  "and a VT-d IOMMU.",
	  .opts = verify_opts, PT_ARGS, .max_args = 1,
	  .too_many = "give at most one device",
	  .operand = OBJ_MASK(IOMMUCTL_OBJ_DEVICE),
	  .flags = VERB_SESSION | VERB_DIFFERS,
	  .check = verify_check, .run = verify_run,
	  .render = &(const struct render){ .text = verify_text } },
	{ .name = NULL },
};
/* clang-format on */

const struct object obj_pgtable = {
	"pgtable", "page tables the IOMMU hardware walks, from debugfs",
	pgtable_verbs, NULL
};
