// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl ioas: I/O address spaces and their mappings. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

#define RW (IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE)
#define IOAS OBJ_MASK(IOMMUCTL_OBJ_IOAS)

static const struct column range_cols[] = {
	{ "START", "start", 0 },
	{ "LAST", "last", 0 },
	{ "SIZE", "size", COL_RIGHT },
	{ NULL, NULL, 0 },
};

static const struct objcreate ioas_create = { .alloc = iommuctl_ioas_alloc,
					      .cannot = "cannot allocate" };
static const struct opt create_opts[] = {
	OPT_STR("name", 'n', "NAME", struct name_args, name, "name the IOAS"),
	OPT_END,
};

/* ---- map, map-file, copy ---------------------------------------------------- */

struct map_args {
	struct iommuctl_map_args m;
	bool memfd, hugetlb;
	const char *from; /* copy */
	uint64_t src_iova;
	bool have_src;
};

static void map_init(void *args)
{
	((struct map_args *)args)->m.perm = RW;
}

/* --perm r|w|rw */
static int perm_parse(struct cmdctx *c, const struct opt *o UNUSED,
		      const char *text, void *field)
{
	unsigned int *perm = field;

	if (!strcmp(text, "rw") || !strcmp(text, "wr"))
		*perm = RW;
	else if (!strcmp(text, "r"))
		*perm = IOMMUCTL_MAP_READ;
	else if (!strcmp(text, "w"))
		*perm = IOMMUCTL_MAP_WRITE;
	else
		return cmd_usage(c, "--perm: '%s' is not r, w or rw", text);
	return 0;
}

#define OPT_IOVA(h)                                               \
	OPT_SIZE("iova", 'a', "ADDR", struct map_args, m.iova, h, \
		 OPT_SEEN(struct map_args, m.fixed))
#define OPT_PERM                                                           \
	OPT_CALL("perm", 0, "r|w|rw", struct map_args, m.perm, perm_parse, \
		 "what the device may do (default rw)")

static const struct opt map_opts[] = {
	OPT_SIZE("size", 's', "SIZE", struct map_args, m.length,
		 "bytes to map (4k, 2M, 0x200000)"),
	OPT_IOVA("map at this IOVA (default: the kernel picks one)"),
	OPT_PERM,
	OPT_SIZE("hugetlb", 0, "2M|1G", struct map_args, m.page_size,
		 "back it with hugetlb pages of this size",
		 OPT_SEEN(struct map_args, hugetlb)),
	OPT_BOOL("memfd", 0, struct map_args, memfd,
		 "back it with a memfd (shared memory)"),
	OPT_END,
};

static int map_check(struct cmdctx *c, void *args)
{
	struct map_args *a = args;

	if (a->hugetlb && a->m.page_size != (2ULL << 20) &&
	    a->m.page_size != (1ULL << 30))
		return cmd_usage(c, "--hugetlb: huge pages are 2M or 1G");
	if (a->hugetlb && a->memfd)
		return cmd_usage(c, "--hugetlb and --memfd exclude each other");
	if (!a->m.length)
		return cmd_usage(c, "--size is required and must not be 0");
	a->m.mem = a->hugetlb ? IOMMUCTL_MEM_HUGETLB :
		   a->memfd   ? IOMMUCTL_MEM_MEMFD :
				IOMMUCTL_MEM_ANON;
	return 0;
}

static const struct opt map_file_opts[] = {
	OPT_SIZE("size", 's', "SIZE", struct map_args, m.length,
		 "bytes to map (default: the file's size from --offset)"),
	OPT_SIZE("offset", 'o', "OFFSET", struct map_args, m.offset,
		 "offset in the file (default 0)"),
	OPT_IOVA("map at this IOVA (default: the kernel picks one)"),
	OPT_PERM,
	OPT_END,
};

static const struct opt copy_opts[] = {
	OPT_STR("from", 'f', "IOAS", struct map_args, from, "source IOAS",
		OPT_REQUIRED),
	OPT_SIZE("src-iova", 0, "ADDR", struct map_args, src_iova,
		 "IOVA of the mapping(s) in the source",
		 OPT_SEEN(struct map_args, have_src), OPT_REQUIRED),
	OPT_SIZE("size", 's', "SIZE", struct map_args, m.length,
		 "bytes (whole source mappings)", OPT_REQUIRED),
	OPT_IOVA("destination IOVA (default: the kernel picks one)"),
	OPT_PERM,
	OPT_END,
};

/* map-file without --size: the file's size from --offset on */
static int file_length(struct cmdctx *c, struct iommuctl_map_args *m)
{
	FILE *f = fopen(m->path, "r");
	long end;

	if (!f)
		return cmd_fail_on(c, m->path, EXIT_FAILED, errno,
				   "cannot open: %s", strerror(errno));
	end = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	fclose(f);
	if (end <= 0 || (uint64_t)end <= m->offset)
		return cmd_fail_on(c, m->path, EXIT_FAILED, EINVAL,
				   "is empty past offset 0x%llx; give --size",
				   (unsigned long long)m->offset);
	m->length = (uint64_t)end - m->offset;
	return 0;
}

/* map-file: a kernel with the command; without --size, the file's size */
static int map_file_check(struct cmdctx *c, void *args)
{
	struct map_args *a = args;
	struct iommuctl_session *s;
	int rc = sess_get(c, &s);

	a->m.mem = IOMMUCTL_MEM_FILE;
	a->m.path = c->argv[1];
	if (rc == 0)
		rc = need_cmd(c, s, 0x8f, "IOMMU_IOAS_MAP_FILE", "6.13");
	if (rc == 0 && !a->m.length)
		rc = file_length(c, &a->m);
	return rc;
}

/* map, map-file (two operands) and copy (--from); the result is the new
 * mapping and its IOAS. */
static int map_run(struct cmdctx *c, void *args)
{
	struct map_args *a = args;
	struct iommuctl_obj *ioas = c->obj, *src = NULL;
	const struct iommuctl_mapping *m;
	struct json_object *j = NULL;
	uint64_t iova;
	size_t n, i;
	bool found;
	int rc = a->from ? obj_ref(c, a->from, IOAS, &src) : 0;

	if (rc < 0)
		return rc;
	if (src)
		rc = iommuctl_ioas_copy(ioas, src, a->src_iova, a->m.length,
					&a->m, &iova);
	else if (a->m.path)
		rc = iommuctl_ioas_map_file(ioas, &a->m, &iova);
	else
		rc = iommuctl_ioas_map(ioas, &a->m, &iova);
	if (rc < 0 && src)
		return obj_fail(c, rc, ioas, "cannot copy from %s",
				iommuctl_obj_label(src));
	if (rc < 0 && a->m.path)
		return obj_fail(c, rc, ioas, "cannot map %s", a->m.path);
	if (rc < 0)
		return obj_fail(c, rc, ioas, "cannot map 0x%llx bytes",
				(unsigned long long)a->m.length);
	m = iommuctl_ioas_mappings(ioas, &n);
	for (i = 0; i < n && !j; i++)
		if (m[i].iova == iova)
			j = mapping_to_json(&m[i]);
	found = j;
	if (!j)
		j = json_object_new_object();
	jadd_int(j, "ioas", iommuctl_obj_get_id(ioas));
	if (!found) {
		jadd_hex(j, "iova", iova);
		jadd_int(j, "length", (int64_t)a->m.length);
	}
	return cmd_out(c, j);
}

/* The strings up to NULL, as they are: for the lines every map or unmap of
 * a batch prints, where printf()'s reading of its format was most of the
 * rendering */
static void put_strs(const char *s, ...)
{
	char buf[256];
	size_t n = 0, len;
	va_list ap;

	va_start(ap, s);
	for (; s; s = va_arg(ap, const char *)) {
		len = strlen(s);
		if (n + len > sizeof(buf)) {
			fwrite(buf, 1, n, stdout);
			n = 0;
		}
		if (len > sizeof(buf)) {
			fwrite(s, 1, len, stdout);
			continue;
		}
		memcpy(buf + n, s, len);
		n += len;
	}
	va_end(ap);
	fwrite(buf, 1, n, stdout);
}

static void mapped_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *last = jopt(j, "last");

	/* a mapping's own "last" is the 0x%llx of iova + length - 1 */
	if (last)
		put_strs("mapped ", jstr(c, j, "iova"), "-",
			 json_object_get_string(last), " in ",
			 ref_label(c, j, "ioas"), "\n", NULL);
	else
		printf("mapped %s-0x%llx in %s\n", jstr(c, j, "iova"),
		       range_last(c, j, "length"), ref_label(c, j, "ioas"));
}

static const struct render mapped_render = { .text = mapped_text };

/* ---- unmap ------------------------------------------------------------------ */

struct unmap_args {
	uint64_t iova, size;
	bool all, have_iova;
};

static const struct opt unmap_opts[] = {
	OPT_SIZE("iova", 'a', "ADDR", struct unmap_args, iova, "first IOVA",
		 OPT_SEEN(struct unmap_args, have_iova)),
	OPT_SIZE("size", 's', "SIZE", struct unmap_args, size,
		 "bytes (whole mappings only)"),
	OPT_BOOL("all", 0, struct unmap_args, all, "unmap everything"),
	OPT_END,
};

static int unmap_check(struct cmdctx *c, void *args)
{
	const struct unmap_args *a = args;

	if (a->all == (a->have_iova || a->size))
		return cmd_usage(c, "give --iova and --size, or --all");
	if (!a->all && (!a->have_iova || !a->size))
		return cmd_usage(
			c,
			"--iova and --size go together; --size must not be 0");
	return 0;
}

static int unmap_run(struct cmdctx *c, void *args)
{
	const struct unmap_args *a = args;
	struct iommuctl_obj *ioas = c->obj;
	struct json_object *before = pins_held(c->sess, ioas), *j;
	uint64_t done = 0;
	int rc = iommuctl_ioas_unmap(ioas, a->all ? 0 : a->iova,
				     a->all ? 0 : a->size, &done);
	if (rc < 0) {
		json_object_put(before);
		return obj_fail(c, rc, ioas, "cannot unmap");
	}
	j = ref_result("ioas", ioas);
	jadd_int(j, "unmapped_bytes", (int64_t)done);
	/* the pins the kernel had the IOAS's accesses release first */
	jadd(j, "released_pins", pins_released(c->sess, before));
	return cmd_out(c, j);
}

static void unmap_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *n = jget(c, j, "unmapped_bytes");
	char num[24], *p = num + sizeof(num) - 1;
	int64_t v;

	/* the number written here: jstr() would have json-c print it into a
	 * buffer it allocates, for every unmap line of a batch */
	if (n && json_object_is_type(n, json_type_int) &&
	    (v = json_object_get_int64(n)) >= 0) {
		*p = '\0';
		do
			*--p = (char)('0' + v % 10);
		while (v /= 10);
		put_strs("unmapped ", p, " bytes from ",
			 ref_label(c, j, "ioas"), "\n", NULL);
	} else {
		printf("unmapped %s bytes from %s\n",
		       n ? json_object_get_string(n) : "?",
		       ref_label(c, j, "ioas"));
	}
	pins_released_text(c, j);
}

/* ---- reserve (selftest) ------------------------------------------------------ */

struct reserve_args {
	uint64_t iova, size;
	bool have_iova;
};

static const struct opt reserve_opts[] = {
	OPT_SIZE("iova", 'a', "ADDR", struct reserve_args, iova,
		 "first IOVA (required)",
		 OPT_SEEN(struct reserve_args, have_iova), OPT_REQUIRED),
	OPT_SIZE("size", 's', "SIZE", struct reserve_args, size,
		 "bytes (required)", OPT_REQUIRED),
	OPT_END,
};

static int reserve_check(struct cmdctx *c, void *args)
{
	const struct reserve_args *a = args;

	if (!a->size)
		return cmd_usage(c, "--size must not be 0");
	if (a->iova + a->size - 1 < a->iova)
		return cmd_usage(c, "0x%llx + 0x%llx is past the IOVA space",
				 (unsigned long long)a->iova,
				 (unsigned long long)a->size);
	return 0;
}

static int reserve_run(struct cmdctx *c, void *args)
{
	const struct reserve_args *a = args;
	struct iommuctl_obj *ioas = c->obj;
	struct json_object *j;
	int rc = iommuctl_ioas_reserve(ioas, a->iova, a->size);

	if (rc < 0)
		return obj_fail(c, rc, ioas, "cannot reserve 0x%llx-0x%llx",
				(unsigned long long)a->iova,
				(unsigned long long)(a->iova + a->size - 1));
	j = ref_result("ioas", ioas);
	jadd_hex(j, "iova", a->iova);
	jadd_hex(j, "last", a->iova + a->size - 1);
	jadd_int(j, "size", (int64_t)a->size);
	return cmd_out(c, j);
}

/* ---- allow -------------------------------------------------------------------- */

/* "START-LAST" or "START+SIZE" */
static int range_arg(struct cmdctx *c, const char *text,
		     struct iommuctl_iova_range *r)
{
	const char *form;
	int rc = iommuctl_parse_iova_range(text, r, &form);

	if (rc == -ENOMEM)
		return cmd_fail(c, EXIT_FAILED, ENOMEM, "parsing");
	if (rc < 0)
		return cmd_usage(c, "'%s' is not a range (%s)", text, form);
	return 0;
}

static int allow_run(struct cmdctx *c, void *args UNUSED)
{
	struct iommuctl_iova_range *r = calloc((size_t)c->argc, sizeof(*r));
	struct iommuctl_obj *ioas = NULL;
	int i, rc = r ? 0 : cmd_fail(c, EXIT_FAILED, ENOMEM, "allow");

	for (i = 1; rc == 0 && i < c->argc; i++)
		rc = range_arg(c, c->argv[i], &r[i - 1]);
	if (rc == 0)
		rc = obj_ref(c, c->argv[0], IOAS, &ioas);
	if (rc == 0) {
		rc = iommuctl_ioas_allow(ioas, r, (size_t)c->argc - 1);
		if (rc < 0)
			rc = obj_fail(c, rc, ioas,
				      "cannot set the allowed ranges");
	}
	free(r);
	return rc < 0 ? rc : cmd_out(c, obj_to_json(ioas, true));
}

/* ---- ranges ------------------------------------------------------------------- */

struct ranges_args {
	const char *device;
};

static const struct opt ranges_opts[] = {
	OPT_STR("device", 'd', "DEVICE", struct ranges_args, device,
		"a vfio-bound PCI device: attach it to a throw-away IOAS and show what the kernel allows"),
	OPT_END,
};

static int ranges_check(struct cmdctx *c, void *args)
{
	const struct ranges_args *a = args;

	if ((a->device != NULL) == (c->argc == 1) || c->argc > 1)
		return cmd_usage(c, "give an IOAS or --device, not both");
	return 0;
}

/* With --device: bind it to the session and attach it to a new IOAS. */
static int throwaway_ioas(struct cmdctx *c, const char *device,
			  struct iommuctl_obj **dev, struct iommuctl_obj **ioas)
{
	int rc = iommuctl_vfio_device_bind(c->sess, device, dev);

	if (rc < 0)
		return lib_fail(c, rc, device, "cannot bind to iommufd");
	rc = iommuctl_ioas_alloc(c->sess, ioas);
	if (rc == 0)
		rc = iommuctl_device_attach(*dev, *ioas);
	if (rc < 0) {
		rc = lib_fail(c, rc, device, "cannot attach to a new IOAS");
		if (*ioas)
			iommuctl_obj_destroy(*ioas);
		iommuctl_obj_destroy(*dev);
	}
	return rc;
}

/* The gaps between the usable ranges @r (sorted), each with what makes it:
 * the reserved region (an msi window with its kind), the aperture. */
static struct json_object *holes_to_json(struct iommuctl_obj *ioas,
					 const struct iommuctl_iova_range *r,
					 size_t n)
{
	struct iommuctl_iova_range *g = calloc(n + 1, sizeof(*g));
	struct json_object *a = json_object_new_array(), *o;
	size_t k, ng = g ? iommuctl_iova_gaps(r, n, g) : 0;
	char *why;

	for (k = 0; k < ng; k++) {
		o = json_object_new_object();
		jadd_hex(o, "start", g[k].start);
		jadd_hex(o, "last", g[k].last);
		why = iommuctl_ioas_explain_hole(ioas, g[k].start, g[k].last);
		jadd_str_or_null(o, "reserved_by", why);
		free(why);
		json_object_array_add(a, o);
	}
	free(g);
	return a;
}

static int ranges_run(struct cmdctx *c, void *args)
{
	const char *device = ((struct ranges_args *)args)->device;
	struct iommuctl_iova_range *r = NULL;
	struct iommuctl_obj *ioas = c->obj, *dev = NULL;
	struct json_object *j;
	uint64_t align = 0;
	size_t n = 0;
	int rc = device ? throwaway_ioas(c, device, &dev, &ioas) : 0;

	if (rc < 0)
		return rc;
	rc = iommuctl_ioas_ranges(ioas, &r, &n, &align);
	if (rc < 0) {
		rc = obj_fail(c, rc, ioas, "cannot read the ranges");
	} else {
		j = device ? json_object_new_object() :
			     ref_result("ioas", ioas);
		jadd_str(j, "device", device);
		jadd_int(j, "alignment", (int64_t)align);
		jadd(j, "ranges", ranges_to_json(r, n, true));
		jadd(j, "holes", holes_to_json(ioas, r, n));
		if (!device) {
			const struct iommuctl_iova_range *v;
			size_t nv;

			/* the holes 'ioas reserve' made, as the session made them */
			v = iommuctl_ioas_get_reserved(ioas, &nv);
			jadd(j, "selftest_reserved",
			     ranges_to_json(v, nv, true));
		}
		cmd_out(c, j);
	}
	free(r);
	if (device) {
		/* the throw-away objects go, in the order the kernel accepts */
		iommuctl_obj_destroy(dev);
		iommuctl_obj_destroy(ioas);
	}
	return rc;
}

static void ranges_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *a = jget(c, j, "ranges"), *d = jopt(j, "device");
	size_t i;

	printf("%s: %zu usable range(s), alignment 0x%llx\n",
	       d ? json_object_get_string(d) : ref_label(c, j, "ioas"),
	       json_object_array_length(a),
	       (unsigned long long)json_object_get_int64(
		       jget(c, j, "alignment")));
	table_print(stdout, a, range_cols, "  ");
	a = jopt(j, "holes");
	for (i = 0; a && i < json_object_array_length(a); i++) {
		struct json_object *h = json_object_array_get_idx(a, i),
				   *by = jopt(h, "reserved_by");

		printf("%s %s-%s: %s\n",
		       i ? "    " : "holes:", jstr(c, h, "start"),
		       jstr(c, h, "last"),
		       by ? json_object_get_string(by) :
			    "not a reserved region of the attached devices' groups");
	}
	a = jopt(j, "selftest_reserved");
	if (a && json_object_array_length(a)) {
		printf("reserved through the selftest ('ioas reserve'):\n");
		table_print(stdout, a, range_cols, "  ");
	}
}

/* ---- show ----------------------------------------------------------------------- */

/* On each show row: the usable ranges and the alignment of the IOAS, and
 * the ranges 'ioas reserve' took. */
static void show_row(struct json_object *e, struct iommuctl_obj *o)
{
	struct iommuctl_iova_range *r = NULL;
	const struct iommuctl_iova_range *v;
	uint64_t align = 0;
	size_t n = 0, nv;

	if (iommuctl_ioas_ranges(o, &r, &n, &align) == 0) {
		jadd(e, "ranges", ranges_to_json(r, n, true));
		jadd_int(e, "alignment", (int64_t)align);
	}
	free(r);
	v = iommuctl_ioas_get_reserved(o, &nv);
	jadd(e, "selftest_reserved", ranges_to_json(v, nv, true));
}

static const struct column map_cols[] = {
	{ "IOVA", "iova", 0 },
	{ "LAST", "last", 0 },
	{ "LENGTH", "length", COL_RIGHT },
	{ "PERM", "perm", 0 },
	{ "MEMORY", "memory", 0 },
	{ "PATH", "path", 0 },
	{ NULL, NULL, 0 },
};

static void show_text(struct cmdctx *c, struct json_object *a)
{
	struct json_object *e, *u, *allowed, *maps, *resv;
	size_t i, k;

	for (i = 0; i < json_object_array_length(a); i++) {
		e = json_object_array_get_idx(a, i);
		u = jget(c, e, "users");
		allowed = jget(c, e, "allowed");
		maps = jget(c, e, "mappings");
		printf("%s%s%s\n", color_on(c, "header"), jstr(c, e, "label"),
		       color_off(c));
		printf("  used by:");
		for (k = 0; k < json_object_array_length(u); k++)
			printf("%s %s", k ? "," : "",
			       json_object_get_string(
				       json_object_array_get_idx(u, k)));
		printf("%s\n", json_object_array_length(u) ? "" : " -");
		printf("  alignment: 0x%llx\n",
		       (unsigned long long)json_object_get_int64(
			       jopt(e, "alignment")));
		printf("  usable ranges:\n");
		table_print(stdout, jopt(e, "ranges"), range_cols, "    ");
		if (json_object_array_length(allowed)) {
			printf("  allowed ranges:\n");
			table_print(stdout, allowed, range_cols, "    ");
		}
		resv = jopt(e, "selftest_reserved");
		if (resv && json_object_array_length(resv)) {
			printf("  reserved through the selftest ('ioas reserve'):\n");
			table_print(stdout, resv, range_cols, "    ");
		}
		printf("  mappings:\n");
		if (json_object_array_length(maps))
			table_print(stdout, maps, map_cols, "    ");
		else
			printf("    none\n");
	}
}

static const struct objtype ioas_type = { "ioas", "IOAS",   IOAS,
					  NULL,	  show_row, show_text };

/* ---- vfio-compat, change-process ---------------------------------------------- */

struct compat_args {
	bool clear;
};

static const struct opt compat_opts[] = {
	OPT_BOOL("clear", 0, struct compat_args, clear, "forget the selection"),
	OPT_END,
};

static int compat_check(struct cmdctx *c, void *args)
{
	if (c->argc > 1 || (c->argc && ((struct compat_args *)args)->clear))
		return cmd_usage(c, "give one IOAS, or --clear");
	return 0;
}

static int compat_run(struct cmdctx *c, void *args)
{
	bool clear = ((struct compat_args *)args)->clear;
	struct iommuctl_obj *set = c->obj, *cur = NULL;
	struct json_object *j;
	int rc = iommuctl_ioas_vfio_compat(c->sess, set, clear, &cur);
	if (rc < 0 && rc != -ENODEV)
		return lib_fail(c, rc, "vfio-compat", "cannot %s",
				set   ? "select" :
				clear ? "clear" :
					"ask");
	j = json_object_new_object();
	json_object_object_add(
		j, "ioas",
		cur ? json_object_new_int64(iommuctl_obj_get_id(cur)) : NULL);
	return cmd_out(c, j);
}

static void compat_text(struct cmdctx *c, struct json_object *j)
{
	printf("VFIO container interface uses: %s\n",
	       jget(c, j, "ioas") ? ref_label(c, j, "ioas") : "no IOAS");
}

static int change_run(struct cmdctx *c, void *args UNUSED)
{
	struct json_object *j;
	int rc =
		need_cmd(c, c->sess, 0x92, "IOMMU_IOAS_CHANGE_PROCESS", "6.13");

	if (rc < 0)
		return rc;
	rc = iommuctl_ioas_change_process(c->sess);
	if (rc < 0)
		return lib_fail(c, rc, "change-process",
				"cannot move the mappings");
	j = json_object_new_object();
	jadd_bool(j, "changed", true);
	return cmd_out(c, j);
}

/* ---- the verbs -------------------------------------------------------------------- */

/* map, map-file, copy: the operand is the IOAS mapped in */
#define MAP_VERB                                                \
	.args_size = sizeof(struct map_args), .init = map_init, \
	.flags = VERB_SESSION, .operand = IOAS, .render = &mapped_render

/* clang-format off */
static const struct verb ioas_verbs[] = {
	{ .name = "show", .summary = "the session's IOASes, mappings and ranges",
	  .synopsis = "[IOAS]",
	  .description = "Show IOASes of the session: mappings (as this session made them),\n"
			 "allowed ranges, usable ranges and alignment, the ranges 'ioas reserve'\n"
			 "took, and what uses each IOAS.",
	  .too_many = "give at most one IOAS", OBJ_SHOW(&ioas_type) },
	{ .name = "create", .summary = "allocate an IOAS",
	  .synopsis = "[--name NAME]",
	  .description = "Allocate an I/O address space (IOMMU_IOAS_ALLOC). It lives as long as\n"
			 "the session: use it from 'iommuctl shell' or 'iommuctl batch'.",
	  .opts = create_opts, OBJ_CREATE(&ioas_create) },
	{ .name = "map", .summary = "allocate memory and map it",
	  .synopsis = "IOAS --size SIZE [--iova ADDR] [--perm r|w|rw] [--hugetlb 2M|1G | --memfd]",
	  .description = "Allocate memory (anonymous by default) and map it into the IOAS with\n"
			 "IOMMU_IOAS_MAP. The session keeps the memory until it is unmapped.\n"
			 "A refusal names the reserved range or mapping in the way.",
	  .opts = map_opts, MAP_VERB, .min_args = 1, .max_args = 1,
	  .need = "give one IOAS", .check = map_check, .run = map_run },
	{ .name = "map-file", .summary = "map a file by descriptor (6.13)",
	  .synopsis = "IOAS FILE [--size SIZE] [--offset OFFSET] [--iova ADDR] [--perm r|w|rw]",
	  .description = "Map a file by descriptor with IOMMU_IOAS_MAP_FILE (Linux 6.13): a\n"
			 "memfd, shmem (/dev/shm) or hugetlbfs file. Exit status 3 on kernels\n"
			 "without the command.",
	  .opts = map_file_opts, MAP_VERB, .min_args = 2, .max_args = 2,
	  .need = "give an IOAS and a file", .check = map_file_check,
	  .run = map_run },
	{ .name = "unmap", .summary = "unmap whole mappings",
	  .synopsis = "IOAS (--iova ADDR --size SIZE | --all)",
	  .description = "Unmap with IOMMU_IOAS_UNMAP. The range must cover whole mappings; a\n"
			 "range that cuts one is refused and the mapping is named. Pins that\n"
			 "accesses hold in the range do not stop it: the kernel first has each\n"
			 "access release them, and they are listed (released_pins).",
	  .opts = unmap_opts, .args_size = sizeof(struct unmap_args),
	  OBJ_OPERAND(IOAS, "give one IOAS"), .check = unmap_check,
	  .run = unmap_run,
	  .render = &(const struct render){ .text = unmap_text } },
	{ .name = "copy", .summary = "map pages already mapped in another IOAS",
	  .synopsis = "DST --from SRC --src-iova ADDR --size SIZE [--iova ADDR] [--perm r|w|rw]",
	  .description = "Map pages already mapped in another IOAS (IOMMU_IOAS_COPY); they are\n"
			 "shared, not pinned or charged twice.",
	  .opts = copy_opts, MAP_VERB, .min_args = 1, .max_args = 1,
	  .need = "give one destination IOAS", .run = map_run },
	{ .name = "allow", .summary = "restrict where the kernel picks IOVAs",
	  .synopsis = "IOAS [START-LAST|START+SIZE ...]",
	  .description = "Set the IOAS's allowed IOVA ranges (IOMMU_IOAS_ALLOW_IOVAS): the kernel\n"
			 "then picks IOVAs only inside them, and refuses to attach devices whose\n"
			 "reserved regions overlap them. No range clears the list.",
	  /* no VERB_SESSION: a malformed range is reported before the session */
	  .min_args = 1, .max_args = ARGS_ANY, .need = "give an IOAS",
	  .run = allow_run, .render = &quiet_render },
	{ .name = "ranges", .summary = "usable IOVA ranges of an IOAS or a device",
	  .synopsis = "IOAS | --device DEVICE",
	  .description = "The IOVA ranges usable in an IOAS (IOMMU_IOAS_IOVA_RANGES): what is\n"
			 "left after the reserved regions of every attached device, the\n"
			 "apertures of their IOMMUs and the ranges 'ioas reserve' took (listed\n"
			 "as selftest_reserved), and the alignment mappings need; each hole\n"
			 "between them with what makes it (holes: a device group's reserved\n"
			 "region, an msi one with its kind, software window (Arm SMMU: the\n"
			 "kernel maps the ITS doorbell there) or hardware, or the IOMMU's input\n"
			 "address size). A map into a hole is refused (EINVAL) and explained.\n"
			 "With --device, works alone: binds the device's VFIO cdev to a fresh\n"
			 "iommufd, attaches it to a throw-away IOAS and reports the ranges the\n"
			 "kernel really applies for it. The device must be bound to vfio-pci.",
	  .opts = ranges_opts, .args_size = sizeof(struct ranges_args),
	  .max_args = ARGS_ANY, .flags = VERB_SESSION, .operand = IOAS,
	  .check = ranges_check, .run = ranges_run, .render = &(const struct render){ .text = ranges_text } },
	{ .name = "reserve", .summary = "reserve IOVAs of an IOAS (selftest only)",
	  .synopsis = "IOAS --iova ADDR --size SIZE",
	  .description = "Reserve an IOVA range of an IOAS with the iommufd selftest's\n"
			 "IOMMU_TEST_CMD ADD_RESERVED (CONFIG_IOMMUFD_TEST kernels only; exit\n"
			 "status 3 elsewhere): a test hook, not something a VMM does. The range\n"
			 "leaves the usable ranges ('ioas ranges' shows the hole) and the kernel\n"
			 "refuses maps into it, as for a device's reserved region. It lasts as\n"
			 "long as the IOAS. Refused over a mapping or an allowed range.",
	  .opts = reserve_opts, .args_size = sizeof(struct reserve_args),
	  OBJ_OPERAND(IOAS, "give one IOAS"), .check = reserve_check,
	  .run = reserve_run,
	  .render = &(const struct render){
		  .line = "reserved %{iova}-%{last} of %{@ioas} (selftest)" } },
	{ .name = "vfio-compat", .summary = "the IOAS of the legacy VFIO container API",
	  .synopsis = "[IOAS | --clear]",
	  .description = "Show or select the IOAS the legacy VFIO container interface uses\n"
			 "(IOMMU_VFIO_IOAS), for VMMs still on /dev/vfio/vfio backed by iommufd.",
	  .opts = compat_opts, .args_size = sizeof(struct compat_args),
	  .max_args = ARGS_ANY, .flags = VERB_SESSION, .operand = IOAS,
	  .check = compat_check, .run = compat_run, .render = &(const struct render){ .text = compat_text } },
	{ .name = "change-process", .summary = "charge all mappings to this process (6.13)",
	  .description = "Charge every mapping of the session to this process\n"
			 "(IOMMU_IOAS_CHANGE_PROCESS, Linux 6.13), as a VMM does after exec()\n"
			 "in a live update. Only file mappings (map-file) can move.",
	  .flags = VERB_SESSION, .run = change_run, .render = &quiet_render },
	{ .name = "destroy", .summary = "destroy an IOAS", .synopsis = "IOAS",
	  .description = "Destroy an IOAS (IOMMU_DESTROY). Its mappings go with it. Refused\n"
			 "while a hwpt, device or access uses it; the message names them.",
	  OBJ_DESTROY(&ioas_type) },
	{ .name = NULL },
};
/* clang-format on */

const struct object obj_ioas = {
	"ioas", "iommufd I/O address spaces and their mappings", ioas_verbs,
	NULL
};
