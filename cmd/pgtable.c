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

#define JBOOL(o, k, v) json_object_object_add(o, k, json_object_new_boolean(v))
#define JINT(o, k, v) \
	json_object_object_add(o, k, json_object_new_int64((int64_t)(v)))

/* A file the VT-d driver always has when its debugfs is there. */
#define VTD_DEBUGFS_PROBE "intel/dmar_translation_struct"

/* "4 KiB", "2 MiB", "1.5 GiB" */
static void human_size(uint64_t v, char *buf, size_t n)
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
}

static const char *perm_text(unsigned int perm)
{
	static const char *const t[] = { "--", "r-", "-w", "rw" };

	return t[perm & (IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE)];
}

static int pasid_arg(struct cmdctx *c, const char *text, int64_t *pasid)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 0);
	if (!*text || *end || errno || v < 0 || v >= (1LL << 20))
		return cmd_usage_error(
			c, "--pasid wants a PASID (0 to 0xfffff), not '%s'",
			text);
	*pasid = v;
	return -1;
}

/* ---- dump ---------------------------------------------------------------- */

/* The one emitter of a range: JSON output and the table row. */
static struct json_object *range_to_json(const struct iommuctl_pgtable_range *r,
					 bool raw)
{
	struct json_object *j = json_object_new_object(), *a;
	unsigned int i;

	json_object_object_add(j, "start", json_hex(r->start));
	json_object_object_add(j, "last", json_hex(r->last));
	JINT(j, "size", r->last - r->start + 1);
	json_object_object_add(j, "phys", json_hex(r->phys));
	JBOOL(j, "phys_contiguous", r->phys_contiguous);
	JINT(j, "page_size", r->page_size);
	JBOOL(j, "read", r->perm & IOMMUCTL_MAP_READ);
	JBOOL(j, "write", r->perm & IOMMUCTL_MAP_WRITE);
	JINT(j, "leaves", r->leaves);
	if (raw) {
		a = json_object_new_array();
		for (i = 0; i < 5; i++)
			json_object_array_add(a, json_hex(r->first.entry[i]));
		json_object_object_add(j, "entries", a);
		JINT(j, "line", r->first.line);
	}
	return j;
}

struct dump {
	struct cmdctx *c;
	struct iommuctl_pgtable *pt;
	bool raw;
	int flags; /* json-c serialisation flags */
	bool progress; /* stderr is a terminal, --no-progress not given */
	int shown; /* width of the progress line on screen, 0: none */
	struct timespec last;
	uint64_t ranges, leaves, bytes;
	bool scattered; /* a range whose physical pages are not contiguous */
	bool text_header; /* the column header was printed */
	char *device; /* of the header */
	char *cur; /* the section being read */
};

static int64_t ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - t->tv_sec) * 1000 +
	       (now.tv_nsec - t->tv_nsec) / 1000000;
}

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
	int n;

	if (!d->progress || ms_since(&d->last) < 200)
		return;
	clock_gettime(CLOCK_MONOTONIC, &d->last);
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

/* Prints @s with every newline followed by @indent (pretty nesting). */
static void put_indented(const char *s, const char *indent)
{
	for (; *s; s++) {
		putchar(*s);
		if (*s == '\n')
			fputs(indent, stdout);
	}
}

/* A key of the top-level object printed by hand, then its value. */
static void json_open_key(struct dump *d, bool first, const char *key)
{
	bool pretty = d->c->pretty;

	printf("%s%s\"%s\":%s", first ? "" : ",", pretty ? "\n  " : "", key,
	       pretty ? " " : "");
}

static void json_key(struct dump *d, bool first, const char *key,
		     struct json_object *v)
{
	json_open_key(d, first, key);
	put_indented(json_object_to_json_string_ext(v, d->flags), "  ");
}

/* The device's domain has no table: say what sysfs knows about why. */
static char *no_table_note(struct cmdctx *c, const char *device, bool live)
{
	struct iommuctl_device *dev =
		live && device ? iommuctl_device_get_by_name(c->ctx, device) :
				 NULL;
	int gid = dev ? iommuctl_device_get_group_id(dev) : -1;
	struct iommuctl_group *g =
		gid >= 0 ? iommuctl_group_get_by_id(c->ctx, (unsigned int)gid) :
			   NULL;
	const char *type = g ? iommuctl_group_get_type(g) : NULL;
	char *s = NULL;

	if (!g)
		return strdup("the device's domain has no page table");
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

/* The one emitter of the dump's header; the text line is made from it. */
static struct json_object *header_to_json(struct dump *d, const char *device,
					  int64_t pasid, bool live)
{
	struct json_object *j = json_object_new_object();
	enum iommuctl_pgtable_state state = iommuctl_pgtable_get_state(d->pt);
	const char *path = iommuctl_pgtable_get_path(d->pt);
	uint64_t root = iommuctl_pgtable_get_root(d->pt);
	unsigned int levels = iommuctl_pgtable_get_levels(d->pt);
	int64_t p = iommuctl_pgtable_get_pasid(d->pt);
	char *note = NULL;

	if (p < 0)
		p = pasid;
	json_object_object_add(j, "device",
			       device ? json_object_new_string(device) : NULL);
	json_object_object_add(j, "pasid",
			       p >= 0 ? json_object_new_int64(p) : NULL);
	json_object_object_add(j, "file",
			       path ? json_object_new_string(path) : NULL);
	json_object_object_add(
		j, "state",
		json_object_new_string(
			state == IOMMUCTL_PGTABLE_TABLE	   ? "table" :
			state == IOMMUCTL_PGTABLE_NO_TABLE ? "no-table" :
							     "disabled"));
	json_object_object_add(j, "root",
			       root || state == IOMMUCTL_PGTABLE_TABLE ?
				       json_hex(root) :
				       NULL);
	json_object_object_add(
		j, "levels", levels ? json_object_new_int((int)levels) : NULL);
	if (state == IOMMUCTL_PGTABLE_NO_TABLE)
		note = no_table_note(d->c, device, live);
	else if (state == IOMMUCTL_PGTABLE_DISABLED)
		note = strdup(
			"DMA remapping is not enabled on the device's IOMMU unit");
	json_object_object_add(j, "note",
			       note ? json_object_new_string(note) : NULL);
	free(note);
	return j;
}

static const char *pjstr(struct json_object *j, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(j, key, &v) || !v)
		return NULL;
	return json_object_get_string(v);
}

static void print_text_header(struct dump *d, struct json_object *h)
{
	const char *pasid = pjstr(h, "pasid"), *root = pjstr(h, "root"),
		   *levels = pjstr(h, "levels"), *note = pjstr(h, "note");

	printf("%sdevice %s%s, pasid %s, root %s, levels %s, file %s\n",
	       color_on(d->c, "header"), pjstr(h, "device") ?: "?",
	       color_off(d->c), pasid ?: "none", root ?: "none",
	       levels ?: "unknown", pjstr(h, "file") ?: "?");
	if (note)
		printf("%s\n", note);
}

static void print_col_header(struct dump *d)
{
	printf("%-18s  %-18s  %10s  %-19s  %7s  %-4s  %10s", "START", "LAST",
	       "SIZE", "PHYS", "PAGE", "PERM", "LEAVES");
	if (d->raw)
		printf("  %8s  %-18s  %-18s  %-18s  %-18s  %s", "LINE", "PML5E",
		       "PML4E", "PDPE", "PDE", "PTE");
	printf("\n");
	d->text_header = true;
}

/* A table row, made from range_to_json()'s object. */
static void print_row(struct dump *d, struct json_object *j)
{
	char size[24], page[24], phys[24];
	bool contig = json_object_get_boolean(
		json_object_object_get(j, "phys_contiguous"));
	unsigned int perm = 0;

	human_size((uint64_t)json_object_get_int64(
			   json_object_object_get(j, "size")),
		   size, sizeof(size));
	human_size((uint64_t)json_object_get_int64(
			   json_object_object_get(j, "page_size")),
		   page, sizeof(page));
	snprintf(phys, sizeof(phys), "%s%s", pjstr(j, "phys") ?: "?",
		 contig ? "" : "*");
	if (!contig)
		d->scattered = true;
	if (json_object_get_boolean(json_object_object_get(j, "read")))
		perm |= IOMMUCTL_MAP_READ;
	if (json_object_get_boolean(json_object_object_get(j, "write")))
		perm |= IOMMUCTL_MAP_WRITE;
	if (!d->text_header)
		print_col_header(d);
	printf("%-18s  %-18s  %10s  %-19s  %7s  %-4s  %10s", pjstr(j, "start"),
	       pjstr(j, "last"), size, phys, page, perm_text(perm),
	       pjstr(j, "leaves"));
	if (d->raw) {
		struct json_object *e = json_object_object_get(j, "entries");

		printf("  %8s  %-18s  %-18s  %-18s  %-18s  %s", pjstr(j, "line"),
		       json_object_get_string(json_object_array_get_idx(e, 0)),
		       json_object_get_string(json_object_array_get_idx(e, 1)),
		       json_object_get_string(json_object_array_get_idx(e, 2)),
		       json_object_get_string(json_object_array_get_idx(e, 3)),
		       json_object_get_string(json_object_array_get_idx(e, 4)));
	}
	printf("\n");
}

static void emit_range(struct dump *d, const struct iommuctl_pgtable_range *r)
{
	struct json_object *j = range_to_json(r, d->raw);
	const char *dev = iommuctl_pgtable_get_device(d->pt);

	progress_erase(d);
	/* a saved dump of several devices read without --device: ranges of
	 * another device than the header's say whose they are */
	if (dev && d->cur && strcmp(dev, d->cur)) {
		free(d->cur);
		d->cur = strdup(dev);
		if (!d->c->json) {
			printf("device %s\n", dev);
			d->text_header = false;
		}
	}
	if (dev && d->device && strcmp(dev, d->device))
		json_object_object_add(j, "device",
				       json_object_new_string(dev));
	if (d->c->json) {
		printf("%s%s", d->ranges ? "," : "",
		       d->c->pretty ? "\n    " : "");
		put_indented(json_object_to_json_string_ext(j, d->flags),
			     "    ");
	} else {
		print_row(d, j);
	}
	json_object_put(j);
	d->ranges++;
	d->leaves += r->leaves;
	d->bytes += r->last - r->start + 1;
}

static struct json_object *summary_to_json(struct dump *d)
{
	struct json_object *s = json_object_new_object();

	JINT(s, "ranges", d->ranges);
	JINT(s, "leaves", d->leaves);
	JINT(s, "bytes", d->bytes);
	return s;
}

/* Closes the JSON document (with the error if @msg), or prints the
 * summary line. */
static void finish(struct dump *d, const char *msg, int err)
{
	struct json_object *s = summary_to_json(d);

	progress_erase(d);
	if (d->c->json) {
		printf("%s]", d->c->pretty && d->ranges ? "\n  " : "");
		json_key(d, false, "summary", s);
		if (msg) {
			struct json_object *m = json_object_new_string(msg);
			struct json_object *e = json_object_new_int(err);

			json_key(d, false, "error", m);
			json_key(d, false, "errno", e);
			json_object_put(m);
			json_object_put(e);
		}
		printf("%s}\n", d->c->pretty ? "\n" : "");
	} else if (!msg) {
		char size[24];

		human_size(d->bytes, size, sizeof(size));
		if (d->scattered)
			printf("* the physical pages of this range are not contiguous: PHYS is where START goes (--merge phys splits it)\n");
		if (iommuctl_pgtable_get_state(d->pt) ==
			    IOMMUCTL_PGTABLE_TABLE &&
		    d->ranges)
			printf("%" PRIu64 " lea%s in %" PRIu64
			       " range%s, %s mapped\n",
			       d->leaves, d->leaves == 1 ? "f" : "ves",
			       d->ranges, d->ranges == 1 ? "" : "s", size);
	}
	json_object_put(s);
}

static const struct opt dump_opts[] = {
	{ "device", 'd', "BDF",
	  "the PCI device whose table to print (optional with --file)" },
	{ "pasid", 0, "N",
	  "the table of this PASID, not the device's RID table" },
	{ "raw", 'r', NULL,
	  "one line per leaf with the raw entries of its walk (--merge none)" },
	{ "merge", 'm', "phys|iova|none",
	  "merge leaves with contiguous IOVAs (iova, the default), also contiguous physical addresses (phys), or not at all" },
	{ "file", 'f', "FILE",
	  "read a saved dump (a copy of domain_translation_struct; - for stdin)" },
	{ "no-progress", 0, NULL, "no progress line on stderr" },
	{ NULL, 0, NULL, NULL },
};

static const struct verb_help dump_help = {
	.synopsis =
		"--device BDF [--pasid N] [--raw] [--merge phys|iova|none] [--file FILE] [--no-progress]",
	.description =
		"Print the page table the IOMMU walks for a device, as the VT-d driver\n"
		"prints it in debugfs (intel/<BDF>/[<pasid>/]domain_translation_struct,\n"
		"or the global file of kernels before 6.7): leaves merged into ranges of\n"
		"contiguous IOVAs with the same page size and permissions (and, by\n"
		"default, contiguous physical addresses). The output streams: millions\n"
		"of leaves take no more memory than one. A domain without a table\n"
		"(identity, blocked) says so. The table is read while the kernel may\n"
		"change it. Needs root and CONFIG_INTEL_IOMMU_DEBUGFS (off in most\n"
		"distribution kernels); only Intel VT-d prints page tables (exit 3\n"
		"elsewhere). A progress line goes to stderr when it is a terminal.",
	.opts = dump_opts,
};

static int merge_arg(struct cmdctx *c, const char *text,
		     enum iommuctl_pgtable_merge *m)
{
	if (!strcmp(text, "phys"))
		*m = IOMMUCTL_PGTABLE_MERGE_PHYS;
	else if (!strcmp(text, "iova"))
		*m = IOMMUCTL_PGTABLE_MERGE_IOVA;
	else if (!strcmp(text, "none"))
		*m = IOMMUCTL_PGTABLE_MERGE_NONE;
	else
		return cmd_usage_error(
			c, "--merge: '%s' is not phys, iova or none", text);
	return -1;
}

/* Opening failed: exit 3 when the kernel has no VT-d page-table debugfs. */
static int open_error(struct cmdctx *c, struct iommuctl_pgtable *pt, int rc,
		      const char *what, bool live)
{
	const char *why = iommuctl_pgtable_error(pt);

	if (rc == -EACCES)
		return cmd_error_on(
			c, c->object, EXIT_FAILED, EACCES,
			"run as root: debugfs is readable by root only");
	if (rc == -ENOENT && live && debugfs_missing(c, VTD_DEBUGFS_PROBE))
		return cmd_error_on(c, c->object, EXIT_UNAVAILABLE, ENOENT,
				    "%s",
				    why ?: "the kernel has no VT-d debugfs");
	if (why) /* it names the device or file */
		return cmd_error_on(c, c->object, EXIT_FAILED, rc, "%s", why);
	return cmd_error_on(c, what, EXIT_FAILED, rc,
			    "cannot read its table: %s", strerror(-rc));
}

static int do_dump(int argc, char **argv, struct cmdctx *c)
{
	/* whole mappings by default: a user's pages are rarely contiguous */
	enum iommuctl_pgtable_merge merge = IOMMUCTL_PGTABLE_MERGE_IOVA;
	const char *device = NULL, *file = NULL;
	bool merge_given = false, no_progress = false;
	struct dump d = { .c = c };
	struct iommuctl_pgtable_range r;
	struct json_object *h;
	struct optparse p;
	int64_t pasid = -1;
	char canon[32];
	int opt, rc, fd = -1, ret;

	optparse_init(&p, c, argc, argv, &dump_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		switch (opt) {
		case 0:
			device = p.arg;
			break;
		case 1:
			rc = pasid_arg(c, p.arg, &pasid);
			break;
		case 2:
			d.raw = true;
			break;
		case 3:
			rc = merge_arg(c, p.arg, &merge);
			merge_given = true;
			break;
		case 4:
			file = p.arg;
			break;
		case 5:
			no_progress = true;
			break;
		}
		if (rc >= 0) {
			optparse_fini(&p);
			return rc;
		}
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	if (!device && !file)
		return cmd_usage_error(c, "which device? (--device BDF)");
	if (device) {
		if (iommuctl_parse_bdf(device, canon, sizeof(canon)) < 0)
			return cmd_usage_error(
				c,
				"--device wants a PCI address (0000:00:03.0), not '%s'",
				device);
		device = canon;
	}
	if (file && pasid >= 0)
		return cmd_usage_error(
			c,
			"--pasid picks a debugfs file; a saved dump (--file) is read as it is");
	if (d.raw && merge_given && merge != IOMMUCTL_PGTABLE_MERGE_NONE)
		return cmd_usage_error(
			c,
			"--raw prints every leaf: it cannot merge (--merge none)");
	if (d.raw)
		merge = IOMMUCTL_PGTABLE_MERGE_NONE;

	rc = iommuctl_pgtable_new(c->ctx, &d.pt);
	if (rc < 0)
		return cmd_error(c, EXIT_FAILED, rc, "pgtable");
	iommuctl_pgtable_set_merge(d.pt, merge);
	if (file) {
		fd = strcmp(file, "-") ? open(file, O_RDONLY | O_CLOEXEC) :
					 STDIN_FILENO;
		if (fd < 0) {
			ret = cmd_error_on(c, file, EXIT_FAILED, errno,
					   "cannot open it: %s",
					   strerror(errno));
			goto out;
		}
		rc = iommuctl_pgtable_open_fd(
			d.pt, fd, strcmp(file, "-") ? file : "<stdin>", device);
	} else {
		rc = iommuctl_pgtable_open(d.pt, device, pasid);
	}
	if (rc < 0) {
		ret = open_error(c, d.pt, rc, device ?: file, !file);
		goto out;
	}
	d.flags = JSON_C_TO_STRING_NOSLASHESCAPE |
		  (c->pretty ?
			   JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			   JSON_C_TO_STRING_PLAIN);
	d.progress = !no_progress && isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &d.last);

	/* the state, root and levels are known once the first range is read */
	rc = iommuctl_pgtable_next_range(d.pt, &r);
	progress_erase(&d);
	if (rc < 0) {
		ret = cmd_error_on(c, c->object, EXIT_FAILED, rc, "%s",
				   iommuctl_pgtable_error(d.pt) ?:
								  strerror(-rc));
		goto out;
	}
	if (iommuctl_pgtable_get_device(d.pt))
		device = iommuctl_pgtable_get_device(d.pt);
	d.device = device ? strdup(device) : NULL;
	d.cur = device ? strdup(device) : NULL;
	h = header_to_json(&d, device, pasid, !file);
	if (c->json) {
		bool first = true;

		printf("{");
		json_object_object_foreach(h, key, val) {
			json_key(&d, first, key, val);
			first = false;
		}
		json_open_key(&d, false, "ranges");
		printf("[");
	} else {
		print_text_header(&d, h);
	}
	json_object_put(h);
	while (rc > 0) {
		emit_range(&d, &r);
		if (ferror(stdout)) /* the reader went away (| head): stop */
			break;
		progress_show(&d);
		rc = iommuctl_pgtable_next_range(d.pt, &r);
	}
	if (rc < 0) {
		const char *why = iommuctl_pgtable_error(d.pt) ?: strerror(-rc);
		char *msg = NULL;

		if (asprintf(&msg, "%s: %s", c->object, why) < 0)
			msg = NULL;
		finish(&d, msg ?: why, -rc);
		fflush(stdout);
		fprintf(stderr, "iommuctl: %s\n", msg ?: why);
		free(msg);
		ret = EXIT_FAILED;
		goto out;
	}
	if (!c->json && !d.ranges &&
	    iommuctl_pgtable_get_state(d.pt) == IOMMUCTL_PGTABLE_TABLE)
		printf("the table maps nothing\n");
	finish(&d, NULL, 0);
	ret = EXIT_OK;
out:
	progress_erase(&d);
	if (fd > STDIN_FILENO)
		close(fd);
	free(d.cur);
	free(d.device);
	iommuctl_pgtable_free(d.pt);
	return ret;
}

/* ---- context ------------------------------------------------------------- */

struct ctx_state {
	const char *unit; /* --unit, or NULL */
	const char *device; /* --device as "bb:dd.f", or NULL */
	struct json_object *units;
	struct json_object *seen; /* unit names in the file */
	struct json_object *cur; /* the unit being read, if shown */
	uint64_t matched;
};

static int ctx_unit_cb(const struct iommuctl_vtd_unit_state *u, void *arg)
{
	struct ctx_state *st = arg;
	struct json_object *j;

	json_object_array_add(st->seen, json_object_new_string(u->unit));
	st->cur = NULL;
	if (st->unit && strcmp(st->unit, u->unit))
		return 0;
	j = json_object_new_object();
	json_object_object_add(j, "unit", json_object_new_string(u->unit));
	JBOOL(j, "enabled", u->enabled);
	json_object_object_add(j, "root_table",
			       u->enabled ? json_hex(u->table) : NULL);
	json_object_object_add(j, "mode", NULL);
	json_object_object_add(j, "entries", json_object_new_array());
	json_object_array_add(st->units, j);
	st->cur = j;
	return 0;
}

static struct json_object *hex_array(const uint64_t *v, unsigned int n)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_hex(v[i]));
	return a;
}

/* The one emitter of a context (legacy) or PASID (scalable) entry. */
static struct json_object *context_to_json(const struct iommuctl_vtd_context *e)
{
	struct json_object *j = json_object_new_object(), *raw;
	char dev[24];

	/* a VT-d unit's PCI segment is not in the file */
	snprintf(dev, sizeof(dev), "0000:%02x:%02x.%x", e->bus, e->devfn >> 3,
		 e->devfn & 7);
	json_object_object_add(j, "device", json_object_new_string(dev));
	json_object_object_add(j, "pasid",
			       e->scalable && e->pasid >= 0 ?
				       json_object_new_int64(e->pasid) :
				       NULL);
	json_object_object_add(
		j, "type",
		json_object_new_string(iommuctl_vtd_ttype_name(e->ttype)));
	JINT(j, "domain_id", e->domain_id);
	JINT(j, "address_width", e->address_width);
	json_object_object_add(j, "levels",
			       e->address_width == 39 ? json_object_new_int(3) :
			       e->address_width == 48 ? json_object_new_int(4) :
			       e->address_width == 57 ? json_object_new_int(5) :
							NULL);
	json_object_object_add(j, "table", json_hex(e->table));
	if (e->scalable)
		json_object_object_add(j, "pasid_dir", json_hex(e->pasid_dir));
	JBOOL(j, "present", e->present);
	JBOOL(j, "fault_disable", e->fault_disable);
	raw = json_object_new_object();
	json_object_object_add(raw, "root", hex_array(e->root, 2));
	json_object_object_add(raw, "context", hex_array(e->context, 2));
	json_object_object_add(raw, "pasid_entry",
			       hex_array(e->pasid_entry, 3));
	json_object_object_add(j, "raw", raw);
	return j;
}

static int ctx_cb(const struct iommuctl_vtd_context *e, void *arg)
{
	struct ctx_state *st = arg;
	char bdf[16];

	if (!st->cur ||
	    strcmp(e->unit, json_object_get_string(
				    json_object_object_get(st->cur, "unit"))))
		return 0;
	snprintf(bdf, sizeof(bdf), "%02x:%02x.%x", e->bus, e->devfn >> 3,
		 e->devfn & 7);
	if (st->device && strcmp(st->device, bdf))
		return 0;
	json_object_object_add(st->cur, "mode",
			       json_object_new_string(e->scalable ? "scalable" :
								    "legacy"));
	json_object_array_add(json_object_object_get(st->cur, "entries"),
			      context_to_json(e));
	st->matched++;
	return 0;
}

static void print_unit_contexts(struct cmdctx *c, struct json_object *u)
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
	struct json_object *e = json_object_object_get(u, "entries");
	size_t n = json_object_array_length(e);

	if (!json_object_get_boolean(json_object_object_get(u, "enabled"))) {
		printf("%s%s%s: DMA remapping is not enabled\n",
		       color_on(c, "header"), pjstr(u, "unit"), color_off(c));
		return;
	}
	printf("%s%s%s: root table %s, %s mode, %zu entr%s\n",
	       color_on(c, "header"), pjstr(u, "unit"), color_off(c),
	       pjstr(u, "root_table") ?: "?", pjstr(u, "mode") ?: "unknown", n,
	       n == 1 ? "y" : "ies");
	if (n)
		table_print(stdout, e, cols, "  ");
}

static const struct opt context_opts[] = {
	{ "device", 'd', "BDF", "only this PCI device's entries" },
	{ "unit", 'u', "UNIT", "only this VT-d unit (dmar0)" },
	{ NULL, 0, NULL, NULL },
};

static const struct verb_help context_help = {
	.synopsis = "[--device BDF] [--unit UNIT]",
	.description =
		"The VT-d root and context entries (legacy mode) or PASID entries\n"
		"(scalable mode) of every device, from intel/dmar_translation_struct:\n"
		"translation type (multi-level, pass-through, first-stage, ...),\n"
		"domain ID, address width and table levels, the page table root the\n"
		"hardware walks, present and fault-disable bits, and the raw entries.\n"
		"Needs root and CONFIG_INTEL_IOMMU_DEBUGFS.",
	.opts = context_opts,
};

static int do_context(int argc, char **argv, struct cmdctx *c)
{
	struct ctx_state st = { 0 };
	struct optparse p;
	char canon[32];
	int opt, rc;
	size_t i;

	optparse_init(&p, c, argc, argv, &context_help);
	while ((opt = optparse_next(&p)) >= 0) {
		if (opt == 0)
			st.device = p.arg;
		else
			st.unit = p.arg;
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	if (st.device) {
		if (iommuctl_parse_bdf(st.device, canon, sizeof(canon)) < 0)
			return cmd_usage_error(
				c,
				"--device wants a PCI address (0000:00:03.0), not '%s'",
				st.device);
		/* the file has no segment: compare bus, device, function */
		st.device = strchr(canon, ':') + 1;
	}
	st.units = json_object_new_array();
	st.seen = json_object_new_array();
	rc = iommuctl_vtd_contexts(c->ctx, ctx_unit_cb, ctx_cb, &st);
	if (rc < 0) {
		rc = debugfs_fail(c, rc, VTD_DEBUGFS_PROBE);
		goto out;
	}
	if (st.unit && !json_object_array_length(st.units)) {
		char *names = json_list_text(st.seen);
		char what[96];

		snprintf(what, sizeof(what), "iommu %s", st.unit);
		rc = cmd_error_on(
			c, what, EXIT_FAILED, ENODEV,
			"no such unit in %s; there are: %s", VTD_DEBUGFS_PROBE,
			names && *names && strcmp(names, "-") ? names : "none");
		free(names);
		goto out;
	}
	if (st.device && !st.matched) {
		char what[64];

		snprintf(what, sizeof(what), "device %s", canon);
		rc = cmd_error_on(c, what, EXIT_FAILED, ENOENT,
				  "has no context entry in %s%s%s",
				  VTD_DEBUGFS_PROBE, st.unit ? " of " : "",
				  st.unit ?: "");
		goto out;
	}
	if (st.device) { /* leave out the units that do not translate it */
		struct json_object *a = json_object_new_array();

		for (i = 0; i < json_object_array_length(st.units); i++) {
			struct json_object *u =
				json_object_array_get_idx(st.units, i);

			if (json_object_array_length(
				    json_object_object_get(u, "entries")))
				json_object_array_add(a, json_object_get(u));
		}
		json_object_put(st.units);
		st.units = a;
	}
	rc = EXIT_OK;
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "units", json_object_get(st.units));
		json_print(c, j);
		json_object_put(j);
		goto out;
	}
	for (i = 0; i < json_object_array_length(st.units); i++) {
		if (i)
			printf("\n");
		print_unit_contexts(c, json_object_array_get_idx(st.units, i));
	}
out:
	json_object_put(st.units);
	json_object_put(st.seen);
	return rc;
}

/* ---- verify -------------------------------------------------------------- */

/* The one emitter of a difference. */
static struct json_object *diff_to_json(const struct iommuctl_pgtable_diff *d)
{
	struct json_object *j = json_object_new_object();
	bool phys = d->kind == IOMMUCTL_PGTABLE_DIFF_PHYS;

	json_object_object_add(
		j, "kind",
		json_object_new_string(
			iommuctl_pgtable_diff_kind_name(d->kind)));
	json_object_object_add(j, "start", json_hex(d->start));
	json_object_object_add(j, "last", json_hex(d->last));
	JINT(j, "size", d->last - d->start + 1);
	json_object_object_add(j, "want",
			       json_object_new_string(perm_text(d->want_perm)));
	json_object_object_add(j, "have",
			       json_object_new_string(perm_text(d->have_perm)));
	json_object_object_add(j, "want_phys",
			       phys ? json_hex(d->want_phys) : NULL);
	json_object_object_add(j, "have_phys",
			       phys || d->kind == IOMMUCTL_PGTABLE_DIFF_EXTRA ?
				       json_hex(d->have_phys) :
				       NULL);
	json_object_object_add(j, "mapping",
			       d->kind != IOMMUCTL_PGTABLE_DIFF_EXTRA ?
				       json_hex(d->mapping_iova) :
				       NULL);
	return j;
}

static int diff_cb(const struct iommuctl_pgtable_diff *d, void *arg)
{
	json_object_array_add(arg, diff_to_json(d));
	return 0;
}

static const char *label_or_null(struct iommuctl_obj *o)
{
	return o ? iommuctl_obj_label(o) : NULL;
}

static struct json_object *str_json(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

/* The one emitter of a comparison. */
static struct json_object *
verified_to_json(struct iommuctl_obj *dev,
		 const struct iommuctl_pgtable_verify_result *res,
		 struct json_object *diffs)
{
	struct json_object *j = json_object_new_object();

	json_object_object_add(j, "device",
			       json_object_new_string(iommuctl_obj_label(dev)));
	json_object_object_add(j, "pci", str_json(res->device));
	json_object_object_add(
		j, "pasid",
		res->pasid >= 0 ? json_object_new_int64(res->pasid) : NULL);
	json_object_object_add(j, "hwpt", str_json(label_or_null(res->hwpt)));
	json_object_object_add(j, "ioas", str_json(label_or_null(res->ioas)));
	JINT(j, "mappings", res->mappings);
	JINT(j, "bytes", res->bytes);
	JINT(j, "leaves", res->leaves);
	JBOOL(j, "phys_checked", res->phys_checked);
	json_object_object_add(j, "phys_note", str_json(res->phys_note));
	JBOOL(j, "match",
	      !res->differences && !json_object_array_length(diffs));
	json_object_object_add(j, "differences", json_object_get(diffs));
	return j;
}

static void print_diff(struct json_object *d)
{
	const char *kind = pjstr(d, "kind");

	printf("  %s %s-%s: ", kind, pjstr(d, "start"), pjstr(d, "last"));
	if (!strcmp(kind, "missing"))
		printf("the IOAS maps %s, the table has nothing\n",
		       pjstr(d, "want"));
	else if (!strcmp(kind, "extra"))
		printf("the table maps %s to %s, the IOAS has nothing\n",
		       pjstr(d, "have"), pjstr(d, "have_phys") ?: "?");
	else if (!strcmp(kind, "perm"))
		printf("the IOAS maps %s, the table has %s\n", pjstr(d, "want"),
		       pjstr(d, "have"));
	else
		printf("the table points at %s, the IOAS mapping at %s pinned %s\n",
		       pjstr(d, "have_phys") ?: "?", pjstr(d, "mapping") ?: "?",
		       pjstr(d, "want_phys") ?: "?");
}

static void print_verified(struct json_object *j)
{
	struct json_object *diffs = json_object_object_get(j, "differences");
	size_t i, n = json_object_array_length(diffs);
	char size[24];

	human_size((uint64_t)json_object_get_int64(
			   json_object_object_get(j, "bytes")),
		   size, sizeof(size));
	printf("%s (%s", pjstr(j, "device"), pjstr(j, "pci") ?: "?");
	if (pjstr(j, "pasid"))
		printf(" pasid %s", pjstr(j, "pasid"));
	printf(") vs %s", pjstr(j, "ioas") ?: "?");
	if (pjstr(j, "hwpt"))
		printf(" via %s", pjstr(j, "hwpt"));
	printf(": %s mapping%s, %s, %s lea%s: ", pjstr(j, "mappings"),
	       json_object_get_int64(json_object_object_get(j, "mappings")) ==
			       1 ?
		       "" :
		       "s",
	       size, pjstr(j, "leaves"),
	       json_object_get_int64(json_object_object_get(j, "leaves")) == 1 ?
		       "f" :
		       "ves");
	if (json_object_get_boolean(json_object_object_get(j, "match")))
		printf("match\n");
	else
		printf("%zu difference%s\n", n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++)
		print_diff(json_object_array_get_idx(diffs, i));
	if (!json_object_get_boolean(
		    json_object_object_get(j, "phys_checked")) ||
	    pjstr(j, "phys_note"))
		printf("  physical addresses %s: %s\n",
		       json_object_get_boolean(
			       json_object_object_get(j, "phys_checked")) ?
			       "partly compared" :
			       "not compared",
		       pjstr(j, "phys_note") ?: "unknown why");
}

/* Compares one device; -1 to go on (@out gets the result), or the exit
 * code after reporting the error. */
static int verify_one(struct cmdctx *c, struct iommuctl_obj *dev, int64_t pasid,
		      struct iommuctl_obj *ioas, struct json_object **out)
{
	struct iommuctl_pgtable_verify_result res = { 0 };
	struct json_object *diffs = json_object_new_array();
	const char *label = iommuctl_obj_label(dev);
	int rc;

	rc = iommuctl_pgtable_verify(dev, pasid, ioas, diff_cb, diffs, &res);
	if (rc < 0) {
		json_object_put(diffs);
		if (rc == -EACCES)
			return cmd_error_on(
				c, label, EXIT_FAILED, EACCES,
				"run as root: the page table is read from debugfs, which is readable by root only");
		if (rc == -ENOENT && debugfs_missing(c, VTD_DEBUGFS_PROBE)) {
			const char *why =
				c->sess ? iommuctl_session_error(c->sess) :
					  NULL;

			return cmd_error_on(
				c, label, EXIT_UNAVAILABLE, ENOENT, "%s",
				why ?: "the kernel has no VT-d page tables in debugfs");
		}
		if (rc == -EOPNOTSUPP)
			return cmd_error_on(
				c, label, EXIT_FAILED, EOPNOTSUPP, "%s",
				(c->sess ? iommuctl_session_error(c->sess) : NULL) ?:
					"is not attached to a paging hwpt of an IOAS: nothing to compare");
		return lib_error(c, rc, label, "cannot verify");
	}
	*out = verified_to_json(dev, &res, diffs);
	json_object_put(diffs);
	return -1;
}

static const struct opt verify_opts[] = {
	{ "pasid", 0, "N", "the device's attachment at this PASID" },
	{ "ioas", 0, "IOAS",
	  "compare with this IOAS instead of the attached hwpt's" },
	{ NULL, 0, NULL, NULL },
};

static const struct verb_help verify_help = {
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
	.opts = verify_opts,
};

static int do_verify(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_obj *dev = NULL, *ioas = NULL, *o;
	struct iommuctl_session *s;
	struct json_object *all, *one;
	const char *ioas_ref = NULL;
	struct optparse p;
	int64_t pasid = -1;
	bool differ = false;
	int opt, rc;
	size_t i;

	optparse_init(&p, c, argc, argv, &verify_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		if (opt == 0)
			rc = pasid_arg(c, p.arg, &pasid);
		else
			ioas_ref = p.arg;
		if (rc >= 0) {
			optparse_fini(&p);
			return rc;
		}
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc > 1)
		return cmd_usage_error(c, "give at most one device");
	if (!c->in_session)
		return cmd_error_on(
			c, NULL, EXIT_USAGE, EINVAL,
			"pgtable verify compares a session's IOAS mappings with the hardware table: run it in iommuctl batch or shell after ioas map and device attach");
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	if (ioas_ref) {
		rc = obj_arg(c, ioas_ref, OBJ_MASK(IOMMUCTL_OBJ_IOAS), &ioas);
		if (rc >= 0)
			return rc;
	}
	all = json_object_new_array();
	if (p.argc) {
		struct iommuctl_obj_info in;

		rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_DEVICE), &dev);
		if (rc >= 0)
			goto out;
		iommuctl_obj_get_info(dev, &in);
		if (in.mock) {
			rc = cmd_error_on(
				c, iommuctl_obj_label(dev), EXIT_FAILED, EINVAL,
				"is a selftest mock device: no IOMMU hardware walks a table for it (bind a VFIO device with 'device bind')");
			goto out;
		}
		rc = verify_one(c, dev, pasid, ioas, &one);
		if (rc >= 0)
			goto out;
		json_object_array_add(all, one);
	} else {
		iommuctl_session_foreach(s, o)
		{
			struct iommuctl_obj_info in;
			bool attached = false;

			if (iommuctl_obj_get_type(o) != IOMMUCTL_OBJ_DEVICE)
				continue;
			iommuctl_obj_get_info(o, &in);
			if (in.mock)
				continue;
			if (pasid < 0) {
				attached = in.attached;
			} else {
				size_t np = iommuctl_device_get_pasids(o, NULL,
								       NULL, 0);
				uint32_t *pv = calloc(np ? np : 1, sizeof(*pv));

				if (pv)
					iommuctl_device_get_pasids(o, pv, NULL,
								   np);
				for (size_t k = 0; pv && k < np; k++)
					attached |= pv[k] == (uint32_t)pasid;
				free(pv);
			}
			if (!attached)
				continue;
			rc = verify_one(c, o, pasid, ioas, &one);
			if (rc >= 0)
				goto out;
			json_object_array_add(all, one);
		}
		if (!json_object_array_length(all)) {
			rc = cmd_error_on(
				c, c->object, EXIT_FAILED, ENOENT,
				"no VFIO device of this session is attached%s: 'device bind' one and 'device attach' it to an IOAS first",
				pasid >= 0 ? " at that PASID" : "");
			goto out;
		}
	}
	for (i = 0; i < json_object_array_length(all); i++)
		differ |= !json_object_get_boolean(json_object_object_get(
			json_object_array_get_idx(all, i), "match"));
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "verified", json_object_get(all));
		json_print(c, j);
		json_object_put(j);
	} else {
		for (i = 0; i < json_object_array_length(all); i++)
			print_verified(json_object_array_get_idx(all, i));
	}
	rc = differ ? EXIT_FAILED : EXIT_OK;
out:
	json_object_put(all);
	return rc;
}

static const struct cmd pgtable_cmds[] = {
	{ "dump", do_dump,
	  "print a device's page table, streamed from debugfs" },
	{ "context", do_context, "VT-d root, context and PASID entries" },
	{ "verify", do_verify,
	  "compare a session device's table with its IOAS mappings" },
	{ NULL, NULL, NULL },
};

int cmd_pgtable(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(pgtable_cmds, argc, argv, c);
}

LEGACY_OBJECT(obj_pgtable, "pgtable", "page tables the IOMMU hardware walks, from debugfs", cmd_pgtable);
