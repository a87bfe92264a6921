// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl access: in-kernel users of an IOAS (what mdev-style drivers are),
 * made through the iommufd selftest. The kernel gives an access no object
 * id, only a file descriptor, so each gets a name ("access1") to be
 * referred to by.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

/* The selftest refuses larger reads, writes and pins (ENOMEM). */
#define ACCESS_MAX (16ULL << 20)

int parse_hex_bytes(const char *text, unsigned char **out, size_t *len)
{
	unsigned char *buf;
	size_t n = 0, i;
	const char *p;

	if (!text || !out || !len)
		return -EINVAL;
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
		text += 2;
	buf = malloc(strlen(text) / 2 + 1);
	if (!buf)
		return -ENOMEM;
	for (p = text; *p;) {
		if (*p == ':' || *p == '-' || *p == ' ') {
			/* separators only between whole bytes */
			if (p == text || !p[1] || p[1] == ':' || p[1] == '-' ||
			    p[1] == ' ')
				goto bad;
			p++;
			continue;
		}
		if (!isxdigit((unsigned char)p[0]) ||
		    !isxdigit((unsigned char)p[1]))
			goto bad;
		for (i = 0; i < 2; i++) {
			int v = isdigit((unsigned char)p[i]) ?
					p[i] - '0' :
					tolower((unsigned char)p[i]) - 'a' + 10;

			buf[n] = (unsigned char)(i ? (buf[n] << 4) | v : v);
		}
		n++;
		p += 2;
	}
	if (!n)
		goto bad;
	*out = buf;
	*len = n;
	return 0;
bad:
	free(buf);
	return -EINVAL;
}

char *hex_bytes(const void *buf, size_t len)
{
	const unsigned char *b = buf;
	char *s = malloc(len * 2 + 1);
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < len; i++)
		snprintf(s + 2 * i, 3, "%02x", b[i]);
	s[2 * len] = '\0';
	return s;
}

static const struct opt no_opts[] = { { NULL, 0, NULL, NULL } };

static const struct column access_cols[] = {
	{ "ACCESS", "name", 0 },   { "IOAS", "ioas", COL_RIGHT },
	{ "FD", "fd", COL_RIGHT }, { "NEEDS-PIN", "needs_pin", 0 },
	{ NULL, NULL, 0 },
};

static const struct verb_help show_help = {
	.synopsis = "[ACCESS]",
	.description =
		"The session's accesses: the IOAS each one uses, its file descriptor\n"
		"and whether it pins pages (needs-pin). The kernel cannot list them;\n"
		"this is the session's record.",
	.opts = no_opts,
};

static const struct show_spec access_spec = {
	.key = "access",
	.what = "access",
	.mask = OBJ_MASK(IOMMUCTL_OBJ_ACCESS),
	.cols = access_cols,
};

static int do_show(int argc, char **argv, struct cmdctx *c)
{
	return show_objs(argc, argv, c, &show_help, &access_spec);
}

/* access<N>: N one more than the accesses there are, then the first free. */
static int auto_name(struct cmdctx *c, struct iommuctl_session *s,
		     struct iommuctl_obj *o)
{
	struct iommuctl_obj *x;
	unsigned int n = 0;
	char name[32];

	iommuctl_session_foreach(s, x) if (x != o &&
					   iommuctl_obj_get_type(x) ==
						   IOMMUCTL_OBJ_ACCESS) n++;
	do
		snprintf(name, sizeof(name), "access%u", ++n);
	while (iommuctl_session_find(s, name));
	return name_obj(c, o, name);
}

static const struct opt create_opts[] = {
	{ "ioas", 0, "IOAS", "the IOAS the access uses (required)" },
	{ "needs-pin", 0, NULL,
	  "an access that pins pages (as drivers doing DMA through it)" },
	{ "name", 'n', "NAME",
	  "name the access (default access1, access2, ...)" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help create_help = {
	.synopsis = "--ioas IOAS [--needs-pin] [--name NAME]",
	.description =
		"Create an in-kernel user of an IOAS through the selftest (IOMMU_TEST_CMD\n"
		"CREATE_ACCESS), as an mdev-style driver would be: it reads and writes\n"
		"IOVAs with the CPU and, with --needs-pin, pins pages. The kernel gives\n"
		"it no id; it is named access1, access2, ... unless --name is given.\n"
		"Needs CONFIG_IOMMUFD_TEST: exit status 3 elsewhere.",
	.opts = create_opts,
};

static int do_create(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_session *s;
	struct iommuctl_obj *ioas, *o;
	const char *ioas_ref = NULL, *name = NULL;
	uint32_t flags = 0;
	struct optparse p;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &create_help);
	while ((opt = optparse_next(&p)) >= 0) {
		if (opt == 0)
			ioas_ref = p.arg;
		else if (opt == 1)
			flags |= IOMMUCTL_ACCESS_NEEDS_PIN;
		else
			name = p.arg;
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	if (!ioas_ref)
		return cmd_usage_error(c, "--ioas is required");
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	rc = obj_arg(c, ioas_ref, OBJ_MASK(IOMMUCTL_OBJ_IOAS), &ioas);
	if (rc >= 0)
		return rc;
	rc = name_free(c, s, name);
	if (rc >= 0)
		return rc;
	rc = iommuctl_access_create(s, ioas, flags, &o);
	if (rc < 0)
		return lib_error(c, rc, "access", "cannot create");
	if (!name && !iommuctl_obj_get_name(o))
		rc = auto_name(c, s, o);
	else
		rc = name_obj(c, o, name);
	if (rc >= 0) {
		iommuctl_obj_destroy(o);
		return rc;
	}
	note_oneshot(c);
	return print_obj_result(c, o, "created");
}

static const struct opt pin_opts[] = {
	{ "iova", 'a', "ADDR", "first IOVA (required)" },
	{ "size", 's', "SIZE", "bytes (required; at most 16M)" },
	{ "write", 'w', NULL, "pin for writing" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help pin_help = {
	.synopsis = "ACCESS --iova ADDR --size SIZE [--write]",
	.description =
		"Pin the pages behind an IOVA range through an access (as a driver does\n"
		"before DMA) and print the pin id for 'access unpin'. The access must\n"
		"have been created with --needs-pin. While pages are pinned, unmapping\n"
		"them makes the kernel ask the access to unpin first.",
	.opts = pin_opts,
};

static int do_pin(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_obj *a;
	struct optparse p;
	uint64_t iova = 0, size = 0;
	bool have_iova = false, write = false;
	uint32_t pin;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &pin_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		if (opt == 0) {
			rc = size_arg(c, "--iova", p.arg, &iova);
			have_iova = true;
		} else if (opt == 1) {
			rc = size_arg(c, "--size", p.arg, &size);
		} else {
			write = true;
		}
		if (rc >= 0) {
			optparse_fini(&p);
			return rc;
		}
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc != 1)
		return cmd_usage_error(c, "give one access");
	if (!have_iova || !size)
		return cmd_usage_error(
			c,
			"--iova and --size are required; --size must not be 0");
	if (size > ACCESS_MAX)
		return cmd_usage_error(c, "--size: at most 16M at a time");
	rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_ACCESS), &a);
	if (rc >= 0)
		return rc;
	rc = iommuctl_access_pin(a, iova, size, write, &pin);
	if (rc < 0)
		return lib_error(c, rc, iommuctl_obj_label(a),
				 "cannot pin 0x%llx+0x%llx",
				 (unsigned long long)iova,
				 (unsigned long long)size);
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(
			j, "access",
			json_object_new_string(iommuctl_obj_get_name(a) ?: ""));
		json_object_object_add(j, "pin", json_object_new_int64(pin));
		json_object_object_add(j, "iova", json_hex(iova));
		json_object_object_add(j, "size",
				       json_object_new_int64((int64_t)size));
		json_object_object_add(j, "write",
				       json_object_new_boolean(write));
		json_print(c, j);
		json_object_put(j);
	} else {
		printf("pinned 0x%llx-0x%llx through %s: pin %u\n",
		       (unsigned long long)iova,
		       (unsigned long long)(iova + size - 1),
		       iommuctl_obj_label(a), pin);
	}
	return EXIT_OK;
}

static const struct verb_help unpin_help = {
	.synopsis = "ACCESS PIN_ID",
	.description = "Release pages pinned by 'access pin'.",
	.opts = no_opts,
};

static int do_unpin(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_obj *a;
	struct optparse p;
	unsigned long v;
	char *end;
	int rc;

	rc = optparse_operands(&p, c, argc, argv, &unpin_help);
	if (rc >= 0)
		return rc;
	if (p.argc != 2)
		return cmd_usage_error(c, "give an access and a pin id");
	errno = 0;
	v = strtoul(p.argv[1], &end, 10);
	if (errno || end == p.argv[1] || *end || v > UINT32_MAX ||
	    p.argv[1][0] == '-')
		return cmd_usage_error(
			c,
			"'%s' is not a pin id (a number 'access pin' printed)",
			p.argv[1]);
	rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_ACCESS), &a);
	if (rc >= 0)
		return rc;
	rc = iommuctl_access_unpin(a, (uint32_t)v);
	if (rc < 0)
		return lib_error(c, rc, iommuctl_obj_label(a),
				 "cannot unpin %lu", v);
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(
			j, "access",
			json_object_new_string(iommuctl_obj_get_name(a) ?: ""));
		json_object_object_add(j, "unpinned",
				       json_object_new_int64((int64_t)v));
		json_print(c, j);
		json_object_put(j);
	} else {
		printf("unpinned pin %lu of %s\n", v, iommuctl_obj_label(a));
	}
	return EXIT_OK;
}

static const struct opt rw_opts[] = {
	{ "iova", 'a', "ADDR", "first IOVA (required)" },
	{ "read", 'r', "SIZE", "read this many bytes and print them as hex" },
	{ "write-hex", 0, "HEX",
	  "write these bytes (0xdeadbeef, de:ad:be:ef)" },
	{ "fill", 0, "BYTE", "write --size bytes of this value (0-255, 0xff)" },
	{ "size", 's', "SIZE", "bytes to write with --fill" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help rw_help = {
	.synopsis =
		"ACCESS --iova ADDR (--read SIZE | --write-hex HEX | --fill BYTE --size SIZE)",
	.description =
		"Read or write memory through an access by IOVA, as the CPU of an\n"
		"mdev-style driver does (IOMMU_TEST_CMD ACCESS_RW): the bytes go to and\n"
		"from the pages mapped at that IOVA, whatever the IOMMU. At most 16M at a\n"
		"time. A read prints hex.",
	.opts = rw_opts,
};

static int do_rw(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_obj *a;
	struct optparse p;
	unsigned char *buf = NULL;
	const char *hex = NULL, *fill_text = NULL;
	uint64_t iova = 0, rsize = 0, size = 0, fill = 0;
	bool have_iova = false, reading = false;
	size_t len = 0;
	int opt, rc, modes;

	optparse_init(&p, c, argc, argv, &rw_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		switch (opt) {
		case 0:
			rc = size_arg(c, "--iova", p.arg, &iova);
			have_iova = true;
			break;
		case 1:
			rc = size_arg(c, "--read", p.arg, &rsize);
			reading = true;
			break;
		case 2:
			hex = p.arg;
			break;
		case 3:
			fill_text = p.arg;
			break;
		case 4:
			rc = size_arg(c, "--size", p.arg, &size);
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
	if (p.argc != 1)
		return cmd_usage_error(c, "give one access");
	if (!have_iova)
		return cmd_usage_error(c, "--iova is required");
	modes = reading + !!hex + !!fill_text;
	if (modes != 1)
		return cmd_usage_error(
			c,
			"give one of --read SIZE, --write-hex HEX or --fill BYTE --size SIZE");
	if (size && !fill_text)
		return cmd_usage_error(c, "--size goes with --fill");
	if (fill_text) {
		if (iommuctl_parse_size(fill_text, &fill) < 0 || fill > 255)
			return cmd_usage_error(
				c,
				"--fill: '%s' is not a byte value (0-255, 0x00-0xff)",
				fill_text);
		if (!size)
			return cmd_usage_error(c, "--fill needs --size");
		len = (size_t)size;
	} else if (reading) {
		if (!rsize)
			return cmd_usage_error(
				c, "--read: the size must not be 0");
		len = (size_t)rsize;
	}
	if (!hex && (uint64_t)len > ACCESS_MAX)
		return cmd_usage_error(c, "at most 16M at a time");
	rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_ACCESS), &a);
	if (rc >= 0)
		return rc;
	if (hex) {
		rc = parse_hex_bytes(hex, &buf, &len);
		if (rc == -ENOMEM)
			return cmd_error(c, EXIT_FAILED, ENOMEM, "--write-hex");
		if (rc < 0)
			return cmd_usage_error(
				c,
				"--write-hex: '%s' is not hex bytes (0xdeadbeef, de:ad:be:ef)",
				hex);
		if ((uint64_t)len > ACCESS_MAX) {
			free(buf);
			return cmd_usage_error(c, "at most 16M at a time");
		}
	} else {
		buf = calloc(1, len);
		if (!buf)
			return cmd_error(c, EXIT_FAILED, ENOMEM, "rw");
		if (fill_text)
			memset(buf, (int)fill, len);
	}
	rc = iommuctl_access_rw(a, iova, buf, len, !reading);
	if (rc < 0) {
		free(buf);
		return lib_error(c, rc, iommuctl_obj_label(a),
				 "cannot %s 0x%zx bytes at 0x%llx",
				 reading ? "read" : "write", len,
				 (unsigned long long)iova);
	}
	if (reading) {
		char *text = hex_bytes(buf, len);

		if (c->json) {
			struct json_object *j = json_object_new_object();

			json_object_object_add(
				j, "access",
				json_object_new_string(
					iommuctl_obj_get_name(a) ?: ""));
			json_object_object_add(j, "iova", json_hex(iova));
			json_object_object_add(
				j, "read", json_object_new_string(text ?: ""));
			json_print(c, j);
			json_object_put(j);
		} else {
			printf("%s\n", text ?: "");
		}
		free(text);
	} else if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(
			j, "access",
			json_object_new_string(iommuctl_obj_get_name(a) ?: ""));
		json_object_object_add(j, "iova", json_hex(iova));
		json_object_object_add(j, "written",
				       json_object_new_int64((int64_t)len));
		json_print(c, j);
		json_object_put(j);
	} else {
		printf("wrote %zu bytes at 0x%llx through %s\n", len,
		       (unsigned long long)iova, iommuctl_obj_label(a));
	}
	free(buf);
	return EXIT_OK;
}

static const struct opt replace_opts[] = {
	{ "ioas", 0, "IOAS", "the IOAS to move to (required)" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help replace_help = {
	.synopsis = "ACCESS --ioas IOAS",
	.description =
		"Move an access to another IOAS (IOMMU_TEST_CMD ACCESS_REPLACE_IOAS).\n"
		"The kernel first has the access unpin everything it pinned in the old\n"
		"IOAS, as a driver must: its pins are gone afterwards.",
	.opts = replace_opts,
};

static int do_replace(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_obj *a, *ioas;
	const char *ioas_ref = NULL;
	struct optparse p;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &replace_help);
	while ((opt = optparse_next(&p)) >= 0)
		ioas_ref = p.arg;
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc != 1)
		return cmd_usage_error(c, "give one access");
	if (!ioas_ref)
		return cmd_usage_error(c, "--ioas is required");
	rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_ACCESS), &a);
	if (rc >= 0)
		return rc;
	rc = obj_arg(c, ioas_ref, OBJ_MASK(IOMMUCTL_OBJ_IOAS), &ioas);
	if (rc >= 0)
		return rc;
	rc = iommuctl_access_replace(a, ioas);
	if (rc < 0)
		return lib_error(c, rc, iommuctl_obj_label(a),
				 "cannot move to %s", iommuctl_obj_label(ioas));
	if (c->json)
		return print_obj_result(c, a, "moved");
	printf("moved %s to %s\n", iommuctl_obj_label(a),
	       iommuctl_obj_label(ioas));
	return EXIT_OK;
}

static const struct verb_help destroy_help = {
	.synopsis = "ACCESS",
	.description =
		"Destroy an access (its file descriptor is closed); its pins go with it.",
	.opts = no_opts,
};

static int do_destroy(int argc, char **argv, struct cmdctx *c)
{
	return destroy_obj_cmd(c, argc, argv, &destroy_help,
			       OBJ_MASK(IOMMUCTL_OBJ_ACCESS));
}

static const struct cmd access_cmds[] = {
	{ "show", do_show, "the session's accesses" },
	{ "create", do_create, "create an access to an IOAS (selftest)" },
	{ "pin", do_pin, "pin pages by IOVA, print the pin id" },
	{ "unpin", do_unpin, "release a pin" },
	{ "rw", do_rw, "read or write memory by IOVA" },
	{ "replace", do_replace, "move an access to another IOAS" },
	{ "destroy", do_destroy, "destroy an access" },
	{ NULL, NULL, NULL },
};

int cmd_access(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(access_cmds, argc, argv, c);
}

LEGACY_OBJECT(obj_access, "access", "in-kernel users of an IOAS (selftest accesses)", cmd_access);
