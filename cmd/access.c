// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl access: in-kernel users of an IOAS (what mdev-style drivers are),
 * made through the iommufd selftest. The kernel gives an access no object
 * id, only a file descriptor, so each gets a name ("access1") to be
 * referred to by.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

/* The selftest refuses larger reads, writes and pins (ENOMEM). */
#define ACCESS_MAX (16ULL << 20)

static const struct column access_cols[] = {
	{ "ACCESS", "name", 0 },   { "IOAS", "ioas", COL_RIGHT },
	{ "FD", "fd", COL_RIGHT }, { "NEEDS-PIN", "needs_pin", 0 },
	{ NULL, NULL, 0 },
};

static const struct column pin_cols[] = {
	{ "PIN", "pin", COL_RIGHT }, { "IOVA", "iova", 0 },
	{ "LAST", "last", 0 },	     { "SIZE", "length", COL_RIGHT },
	{ "WRITE", "write", 0 },     { NULL, NULL, 0 },
};

/* One pin as JSON; @acc names its access (NULL: left out) */
static struct json_object *pin_json(struct iommuctl_obj *acc,
				    const struct iommuctl_access_pin *p)
{
	struct json_object *e = json_object_new_object();

	if (acc)
		jadd_str(e, "access", iommuctl_obj_get_name(acc) ?: "");
	jadd_int(e, "pin", p->id);
	jadd_hex(e, "iova", p->iova);
	jadd_hex(e, "last", p->iova + p->length - 1);
	jadd_int(e, "length", (int64_t)p->length);
	jadd_bool(e, "write", p->write);
	return e;
}

/* The pins of access @acc onto @a, each naming @acc if @named */
static struct json_object *add_pins(struct json_object *a,
				    struct iommuctl_obj *acc, bool named)
{
	const struct iommuctl_access_pin *p;
	size_t n = 0, i;

	p = iommuctl_access_get_pins(acc, &n);
	for (i = 0; i < n; i++)
		json_object_array_add(a, pin_json(named ? acc : NULL, &p[i]));
	return a;
}

struct json_object *access_pins_json(struct iommuctl_obj *acc)
{
	return add_pins(json_object_new_array(), acc, false);
}

struct json_object *pins_held(struct iommuctl_session *s,
			      struct iommuctl_obj *only)
{
	struct json_object *a = json_object_new_array();
	struct iommuctl_obj_info in;
	struct iommuctl_obj *o;

	iommuctl_session_foreach(s, o)
	{
		if (iommuctl_obj_get_type(o) != IOMMUCTL_OBJ_ACCESS)
			continue;
		iommuctl_obj_get_info(o, &in);
		if (!only || o == only || in.ioas == only)
			add_pins(a, o, true);
	}
	return a;
}

struct json_object *pins_released(struct iommuctl_session *s,
				  struct json_object *before)
{
	struct json_object *gone, *e, *v;
	const struct iommuctl_access_pin *p;
	struct iommuctl_obj *acc;
	size_t n, i, k;
	int64_t id;

	/* none held, none released: the empty array will do (every unmap
	 * comes here) */
	if (!json_object_array_length(before))
		return before;
	gone = json_object_new_array();
	for (i = 0; i < json_object_array_length(before); i++) {
		e = json_object_array_get_idx(before, i);
		json_object_object_get_ex(e, "access", &v);
		acc = iommuctl_session_find(s, json_object_get_string(v));
		json_object_object_get_ex(e, "pin", &v);
		id = json_object_get_int64(v);
		p = acc ? iommuctl_access_get_pins(acc, &n) : NULL;
		for (k = 0; p && k < n && p[k].id != id; k++)
			;
		if (!p || k == n)
			json_object_array_add(gone, json_object_get(e));
	}
	json_object_put(before);
	return gone;
}

void pins_released_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *a = jopt(j, "released_pins"), *e;
	size_t i;

	for (i = 0; a && i < json_object_array_length(a); i++) {
		e = json_object_array_get_idx(a, i);
		printf("the kernel had %s release pin %s (%s-%s)\n",
		       jstr(c, e, "access"), jstr(c, e, "pin"),
		       jstr(c, e, "iova"), jstr(c, e, "last"));
	}
}

/* The accesses, then the pins of each that has some */
static void show_text(struct cmdctx *c, struct json_object *a)
{
	struct json_object *e, *p;
	size_t i;

	table_print(stdout, a, access_cols, "");
	for (i = 0; i < json_object_array_length(a); i++) {
		e = json_object_array_get_idx(a, i);
		p = jopt(e, "pins");
		if (!p || !json_object_array_length(p))
			continue;
		printf("pins of %s:\n", jstr(c, e, "name"));
		table_print(stdout, p, pin_cols, "  ");
	}
}

static const struct objtype access_type = {
	"access",    "access", OBJ_MASK(IOMMUCTL_OBJ_ACCESS),
	access_cols, NULL,     show_text
};

/* ---- create ---------------------------------------------------------------- */

struct create_args {
	const char *name; /* first: obj_create_run() */
	struct objref ioas;
	bool needs_pin;
};

static const struct opt create_opts[] = {
	OPT_OBJ("ioas", 0, "IOAS", struct create_args, ioas,
		OBJ_MASK(IOMMUCTL_OBJ_IOAS),
		"the IOAS the access uses (required)", OPT_REQUIRED),
	OPT_BOOL("needs-pin", 0, struct create_args, needs_pin,
		 "an access that pins pages (as drivers doing DMA through it)"),
	OPT_STR("name", 'n', "NAME", struct create_args, name,
		"name the access (default access1, access2, ...)"),
	OPT_END,
};

/* without --name: accessN (obj_create_run()) */
static int access_make(struct cmdctx *c, void *args, struct iommuctl_obj **o)
{
	const struct create_args *a = args;

	return iommuctl_access_create(
		c->sess, a->ioas.obj,
		a->needs_pin ? IOMMUCTL_ACCESS_NEEDS_PIN : 0, o);
}

static const struct objcreate access_create = { .make = access_make,
						.cannot = "cannot create" };

/* ---- pin, unpin -------------------------------------------------------------- */

struct pin_args {
	uint64_t iova, size;
	bool have_iova, write;
	uint32_t pin; /* unpin */
};

static const struct opt pin_opts[] = {
	OPT_SIZE("iova", 'a', "ADDR", struct pin_args, iova,
		 "first IOVA (required)", OPT_SEEN(struct pin_args, have_iova),
		 OPT_REQUIRED),
	OPT_SIZE("size", 's', "SIZE", struct pin_args, size,
		 "bytes (required; at most 16M)", OPT_REQUIRED),
	OPT_BOOL("write", 'w', struct pin_args, write, "pin for writing"),
	OPT_END,
};

static int pin_check(struct cmdctx *c, void *args)
{
	const struct pin_args *a = args;

	if (a->size > ACCESS_MAX)
		return cmd_usage(c, "--size: at most 16M at a time");
	return 0;
}

static int pin_run(struct cmdctx *c, void *args)
{
	const struct pin_args *a = args;
	struct iommuctl_obj *acc = c->obj;
	struct json_object *j;
	uint32_t pin;
	int rc = iommuctl_access_pin(acc, a->iova, a->size, a->write, &pin);
	if (rc < 0)
		return obj_fail(c, rc, acc, "cannot pin 0x%llx+0x%llx",
				(unsigned long long)a->iova,
				(unsigned long long)a->size);
	j = ref_result("access", acc);
	jadd_int(j, "pin", pin);
	jadd_hex(j, "iova", a->iova);
	jadd_int(j, "size", (int64_t)a->size);
	jadd_bool(j, "write", a->write);
	return cmd_out(c, j);
}

static void pin_text(struct cmdctx *c, struct json_object *j)
{
	printf("pinned %s-0x%llx through %s: pin %s\n", jstr(c, j, "iova"),
	       range_last(c, j, "size"), ref_label(c, j, "access"),
	       jstr(c, j, "pin"));
}

/* The pin id 'access pin' printed. */
static int unpin_check(struct cmdctx *c, void *args)
{
	const char *text = c->argv[1];
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || end == text || *end || v > UINT32_MAX || text[0] == '-')
		return cmd_usage(
			c,
			"'%s' is not a pin id (a number 'access pin' printed)",
			text);
	((struct pin_args *)args)->pin = (uint32_t)v;
	return 0;
}

static int unpin_run(struct cmdctx *c, void *args)
{
	uint32_t pin = ((struct pin_args *)args)->pin;
	struct iommuctl_obj *acc = c->obj;
	struct json_object *j;
	int rc = iommuctl_access_unpin(acc, pin);
	if (rc < 0)
		return obj_fail(c, rc, acc, "cannot unpin %u", pin);
	j = ref_result("access", acc);
	jadd_int(j, "unpinned", pin);
	return cmd_out(c, j);
}

/* ---- rw ------------------------------------------------------------------------ */

struct rw_args {
	uint64_t iova, rsize, size, fill;
	const char *hex, *fill_text;
	bool have_iova, reading;
};

static const struct opt rw_opts[] = {
	OPT_SIZE("iova", 'a', "ADDR", struct rw_args, iova,
		 "first IOVA (required)", OPT_SEEN(struct rw_args, have_iova),
		 OPT_REQUIRED),
	OPT_SIZE("read", 'r', "SIZE", struct rw_args, rsize,
		 "read this many bytes and print them as hex",
		 OPT_SEEN(struct rw_args, reading)),
	OPT_STR("write-hex", 0, "HEX", struct rw_args, hex,
		"write these bytes (0xdeadbeef, de:ad:be:ef)"),
	OPT_STR("fill", 0, "BYTE", struct rw_args, fill_text,
		"write --size bytes of this value (0-255, 0xff)"),
	OPT_SIZE("size", 's', "SIZE", struct rw_args, size,
		 "bytes to write with --fill"),
	OPT_END,
};

static int rw_check(struct cmdctx *c, void *args)
{
	struct rw_args *a = args;

	if (a->reading + !!a->hex + !!a->fill_text != 1)
		return cmd_usage(
			c,
			"give one of --read SIZE, --write-hex HEX or --fill BYTE --size SIZE");
	if (a->size && !a->fill_text)
		return cmd_usage(c, "--size goes with --fill");
	if (a->fill_text &&
	    (iommuctl_parse_size(a->fill_text, &a->fill) < 0 || a->fill > 255))
		return cmd_usage(
			c,
			"--fill: '%s' is not a byte value (0-255, 0x00-0xff)",
			a->fill_text);
	if (a->fill_text && !a->size)
		return cmd_usage(c, "--fill needs --size");
	if (a->reading && !a->rsize)
		return cmd_usage(c, "--read: the size must not be 0");
	if (a->size > ACCESS_MAX || a->rsize > ACCESS_MAX)
		return cmd_usage(c, "at most 16M at a time");
	return 0;
}

/* The bytes to write (--write-hex, --fill) or a buffer to read into. */
static int rw_buffer(struct cmdctx *c, const struct rw_args *a,
		     unsigned char **buf, size_t *len)
{
	int rc;

	if (!a->hex) {
		*len = (size_t)(a->reading ? a->rsize : a->size);
		*buf = calloc(1, *len);
		if (!*buf)
			return cmd_fail(c, EXIT_FAILED, ENOMEM, "rw");
		memset(*buf, (int)a->fill, *len);
		return 0;
	}
	rc = iommuctl_parse_hex(a->hex, buf, len);
	if (rc == -ENOMEM)
		return cmd_fail(c, EXIT_FAILED, ENOMEM, "--write-hex");
	if (rc < 0)
		return cmd_usage(
			c,
			"--write-hex: '%s' is not hex bytes (0xdeadbeef, de:ad:be:ef)",
			a->hex);
	if ((uint64_t)*len <= ACCESS_MAX)
		return 0;
	free(*buf);
	return cmd_usage(c, "at most 16M at a time");
}

static int rw_run(struct cmdctx *c, void *args)
{
	const struct rw_args *a = args;
	struct iommuctl_obj *acc = c->obj;
	struct json_object *j;
	unsigned char *buf;
	size_t len;
	char *text;
	int rc = rw_buffer(c, a, &buf, &len);

	if (rc < 0)
		return rc;
	rc = iommuctl_access_rw(acc, a->iova, buf, len, !a->reading);
	if (rc < 0) {
		free(buf);
		return obj_fail(c, rc, acc, "cannot %s 0x%zx bytes at 0x%llx",
				a->reading ? "read" : "write", len,
				(unsigned long long)a->iova);
	}
	j = ref_result("access", acc);
	jadd_hex(j, "iova", a->iova);
	if (a->reading) {
		text = iommuctl_hex(buf, len);
		jadd_str(j, "read", text ?: "");
		free(text);
	} else {
		jadd_int(j, "written", (int64_t)len);
	}
	free(buf);
	return cmd_out(c, j);
}

static void rw_text(struct cmdctx *c, struct json_object *j)
{
	if (jopt(j, "read"))
		printf("%s\n", jstr(c, j, "read"));
	else
		printf("wrote %s bytes at %s through %s\n",
		       jstr(c, j, "written"), jstr(c, j, "iova"),
		       ref_label(c, j, "access"));
}

/* ---- replace ------------------------------------------------------------------- */

static const struct opt replace_opts[] = {
	OPT_OBJ("ioas", 0, "IOAS", struct create_args, ioas,
		OBJ_MASK(IOMMUCTL_OBJ_IOAS), "the IOAS to move to (required)",
		OPT_REQUIRED),
	OPT_END,
};

static int replace_run(struct cmdctx *c, void *args)
{
	struct iommuctl_obj *acc = c->obj,
			    *ioas = ((struct create_args *)args)->ioas.obj;
	struct json_object *before = pins_held(c->sess, acc), *j;
	int rc = iommuctl_access_replace(acc, ioas);

	if (rc < 0) {
		json_object_put(before);
		return obj_fail(c, rc, acc, "cannot move to %s",
				iommuctl_obj_label(ioas));
	}
	j = obj_to_json(acc, false);
	jadd(j, "released_pins", pins_released(c->sess, before));
	return cmd_out(c, j);
}

static void replace_text(struct cmdctx *c, struct json_object *j)
{
	printf("moved %s to %s\n", jstr(c, j, "label"),
	       ref_label(c, j, "ioas"));
	pins_released_text(c, j);
}

/* ---- the verbs ----------------------------------------------------------------- */

#define ACCESS OBJ_MASK(IOMMUCTL_OBJ_ACCESS) /* the operand */
#define ONE_ACCESS OBJ_OPERAND(ACCESS, "give one access")

/* clang-format off */
static const struct verb access_verbs[] = {
	{ .name = "show", .summary = "the session's accesses and their pins",
	  .synopsis = "[ACCESS]",
	  .description = "The session's accesses: the IOAS each one uses, its file descriptor,\n"
			 "whether it pins pages (needs-pin), and its pins (id, IOVA range,\n"
			 "write). The kernel cannot list them; this is the session's record,\n"
			 "kept as the kernel keeps its own: pins the kernel made the access\n"
			 "release (an unmap over them, 'access replace') are gone from it too.",
	  .too_many = "give at most one access", OBJ_SHOW(&access_type) },
	{ .name = "create", .summary = "create an access to an IOAS (selftest)",
	  .synopsis = "--ioas IOAS [--needs-pin] [--name NAME]",
	  .description = "Create an in-kernel user of an IOAS through the selftest (IOMMU_TEST_CMD\n"
			 "CREATE_ACCESS), as an mdev-style driver would be: it reads and writes\n"
			 "IOVAs with the CPU and, with --needs-pin, pins pages. The kernel gives\n"
			 "it no id; it is named access1, access2, ... unless --name is given.\n"
			 "Needs CONFIG_IOMMUFD_TEST: exit status 3 elsewhere.",
	  .opts = create_opts, .args_size = sizeof(struct create_args),
	  .flags = VERB_SESSION, .run = obj_create_run, .render = &created_render,
	  .data = &access_create },
	{ .name = "pin", .summary = "pin pages by IOVA, print the pin id",
	  .synopsis = "ACCESS --iova ADDR --size SIZE [--write]",
	  .description = "Pin the pages behind an IOVA range through an access (as a driver does\n"
			 "before DMA) and print the pin id for 'access unpin'. The access must\n"
			 "have been created with --needs-pin. Pin ids start at 0. Unmapping pinned\n"
			 "pages makes the kernel have the access release every pin over them\n"
			 "first (the selftest access's unmap callback): 'ioas unmap' lists them.",
	  .opts = pin_opts, .args_size = sizeof(struct pin_args), ONE_ACCESS,
	  .need_opts = "--iova and --size are required; --size must not be 0",
	  .check = pin_check,
	  .run = pin_run, .render = &(const struct render){ .text = pin_text } },
	{ .name = "unpin", .summary = "release a pin", .synopsis = "ACCESS PIN_ID",
	  .description = "Release pages pinned by 'access pin'. A pin the kernel already made\n"
			 "the access release (an unmap over it, 'access replace') is gone: the\n"
			 "kernel answers ENOENT (exit status 1).",
	  .args_size = sizeof(struct pin_args), .min_args = 2, .max_args = 2,
	  .need = "give an access and a pin id", .flags = VERB_SESSION,
	  .operand = ACCESS, .check = unpin_check, .run = unpin_run,
	  .render = &(const struct render){ .line = "unpinned pin %{unpinned} of %{@access}" } },
	{ .name = "rw", .summary = "read or write memory by IOVA",
	  .synopsis = "ACCESS --iova ADDR (--read SIZE | --write-hex HEX | --fill BYTE --size SIZE)",
	  .description = "Read or write memory through an access by IOVA, as the CPU of an\n"
			 "mdev-style driver does (IOMMU_TEST_CMD ACCESS_RW): the bytes go to and\n"
			 "from the pages mapped at that IOVA, whatever the IOMMU. At most 16M at a\n"
			 "time. A read prints hex.",
	  .opts = rw_opts, .args_size = sizeof(struct rw_args), ONE_ACCESS,
	  .check = rw_check, .run = rw_run,
	  .render = &(const struct render){ .text = rw_text } },
	{ .name = "replace", .summary = "move an access to another IOAS",
	  .synopsis = "ACCESS --ioas IOAS",
	  .description = "Move an access to another IOAS (IOMMU_TEST_CMD ACCESS_REPLACE_IOAS).\n"
			 "The kernel first has the access release everything it pinned in the\n"
			 "old IOAS, as a driver must: its pins are gone afterwards, and listed as\n"
			 "released. To the IOAS it already uses, nothing changes.",
	  .opts = replace_opts, .args_size = sizeof(struct create_args),
	  ONE_ACCESS, .run = replace_run,
	  .render = &(const struct render){ .text = replace_text } },
	{ .name = "destroy", .summary = "destroy an access", .synopsis = "ACCESS",
	  .description = "Destroy an access (its file descriptor is closed); its pins go with it.",
	  OBJ_DESTROY(&access_type) },
	{ .name = NULL },
};
/* clang-format on */

const struct object obj_access = {
	"access", "in-kernel users of an IOAS (selftest accesses)",
	access_verbs, NULL
};
