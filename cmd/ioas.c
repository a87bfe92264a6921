// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl ioas: I/O address spaces and their mappings. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

static const struct opt create_opts[] = {
	{ "name", 'n', "NAME", "name the IOAS" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help create_help = {
	.synopsis = "[--name NAME]",
	.description =
		"Allocate an I/O address space (IOMMU_IOAS_ALLOC). It lives as long as\n"
		"the session: use it from 'iommuctl shell' or 'iommuctl batch'.",
	.opts = create_opts,
};

static int do_create(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_session *s;
	struct iommuctl_obj *o;
	const char *name = NULL;
	struct optparse p;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &create_help);
	while ((opt = optparse_next(&p)) >= 0)
		name = p.arg;
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	rc = name_free(c, s, name);
	if (rc >= 0)
		return rc;
	rc = iommuctl_ioas_alloc(s, &o);
	if (rc < 0)
		return lib_error(c, rc, "ioas", "cannot allocate");
	return alloc_done(c, o, name, "created");
}

/* --perm r|w|rw */
static int perm_arg(struct cmdctx *c, const char *text, unsigned int *perm)
{
	if (!strcmp(text, "rw") || !strcmp(text, "wr"))
		*perm = IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE;
	else if (!strcmp(text, "r"))
		*perm = IOMMUCTL_MAP_READ;
	else if (!strcmp(text, "w"))
		*perm = IOMMUCTL_MAP_WRITE;
	else
		return cmd_usage_error(c, "--perm: '%s' is not r, w or rw",
				       text);
	return -1;
}

static int print_mapped(struct cmdctx *c, struct iommuctl_obj *ioas,
			uint64_t iova, uint64_t length)
{
	const struct iommuctl_mapping *m;
	size_t n, i;

	m = iommuctl_ioas_mappings(ioas, &n);
	for (i = 0; i < n; i++)
		if (m[i].iova == iova)
			break;
	if (c->json) {
		struct json_object *j = i < n ? mapping_to_json(&m[i]) :
						json_object_new_object();

		json_object_object_add(
			j, "ioas",
			json_object_new_int64(iommuctl_obj_get_id(ioas)));
		if (i == n) {
			json_object_object_add(j, "iova", json_hex(iova));
			json_object_object_add(
				j, "length",
				json_object_new_int64((int64_t)length));
		}
		json_print(c, j);
		json_object_put(j);
	} else {
		printf("mapped 0x%llx-0x%llx in %s\n", (unsigned long long)iova,
		       (unsigned long long)(iova + length - 1),
		       iommuctl_obj_label(ioas));
	}
	return EXIT_OK;
}

static const struct opt map_opts[] = {
	{ "size", 's', "SIZE", "bytes to map (4k, 2M, 0x200000)" },
	{ "iova", 'a', "ADDR",
	  "map at this IOVA (default: the kernel picks one)" },
	{ "perm", 0, "r|w|rw", "what the device may do (default rw)" },
	{ "hugetlb", 0, "2M|1G", "back it with hugetlb pages of this size" },
	{ "memfd", 0, NULL, "back it with a memfd (shared memory)" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help map_help = {
	.synopsis =
		"IOAS --size SIZE [--iova ADDR] [--perm r|w|rw] [--hugetlb 2M|1G | --memfd]",
	.description =
		"Allocate memory (anonymous by default) and map it into the IOAS with\n"
		"IOMMU_IOAS_MAP. The session keeps the memory until it is unmapped.\n"
		"A refusal names the reserved range or mapping in the way.",
	.opts = map_opts,
};

static int do_map(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_map_args a = { .perm = IOMMUCTL_MAP_READ |
					       IOMMUCTL_MAP_WRITE };
	struct iommuctl_obj *ioas;
	struct optparse p;
	bool have_size = false;
	uint64_t iova;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &map_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		switch (opt) {
		case 0:
			rc = size_arg(c, "--size", p.arg, &a.length);
			have_size = true;
			break;
		case 1:
			rc = size_arg(c, "--iova", p.arg, &a.iova);
			a.fixed = true;
			break;
		case 2:
			rc = perm_arg(c, p.arg, &a.perm);
			break;
		case 3:
			rc = size_arg(c, "--hugetlb", p.arg, &a.page_size);
			if (rc < 0 && a.page_size != (2ULL << 20) &&
			    a.page_size != (1ULL << 30))
				rc = cmd_usage_error(
					c,
					"--hugetlb: huge pages are 2M or 1G");
			if (a.mem == IOMMUCTL_MEM_MEMFD)
				rc = cmd_usage_error(
					c,
					"--hugetlb and --memfd exclude each other");
			a.mem = IOMMUCTL_MEM_HUGETLB;
			break;
		case 4:
			if (a.mem == IOMMUCTL_MEM_HUGETLB)
				rc = cmd_usage_error(
					c,
					"--hugetlb and --memfd exclude each other");
			a.mem = IOMMUCTL_MEM_MEMFD;
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
		return cmd_usage_error(c, "give one IOAS");
	if (!have_size || !a.length)
		return cmd_usage_error(c,
				       "--size is required and must not be 0");
	rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_IOAS), &ioas);
	if (rc >= 0)
		return rc;
	rc = iommuctl_ioas_map(ioas, &a, &iova);
	if (rc < 0)
		return lib_error(c, rc, iommuctl_obj_label(ioas),
				 "cannot map 0x%llx bytes",
				 (unsigned long long)a.length);
	return print_mapped(c, ioas, iova, a.length);
}

static const struct opt map_file_opts[] = {
	{ "size", 's', "SIZE",
	  "bytes to map (default: the file's size from --offset)" },
	{ "offset", 'o', "OFFSET", "offset in the file (default 0)" },
	{ "iova", 'a', "ADDR",
	  "map at this IOVA (default: the kernel picks one)" },
	{ "perm", 0, "r|w|rw", "what the device may do (default rw)" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help map_file_help = {
	.synopsis =
		"IOAS FILE [--size SIZE] [--offset OFFSET] [--iova ADDR] [--perm r|w|rw]",
	.description =
		"Map a file by descriptor with IOMMU_IOAS_MAP_FILE (Linux 6.13): a\n"
		"memfd, shmem (/dev/shm) or hugetlbfs file. Exit status 3 on kernels\n"
		"without the command.",
	.opts = map_file_opts,
};

static int do_map_file(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_map_args a = { .perm = IOMMUCTL_MAP_READ |
					       IOMMUCTL_MAP_WRITE,
				       .mem = IOMMUCTL_MEM_FILE };
	struct iommuctl_obj *ioas;
	struct optparse p;
	uint64_t iova;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &map_file_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		if (opt == 0)
			rc = size_arg(c, "--size", p.arg, &a.length);
		else if (opt == 1)
			rc = size_arg(c, "--offset", p.arg, &a.offset);
		else if (opt == 2) {
			rc = size_arg(c, "--iova", p.arg, &a.iova);
			a.fixed = true;
		} else if (opt == 3)
			rc = perm_arg(c, p.arg, &a.perm);
		if (rc >= 0) {
			optparse_fini(&p);
			return rc;
		}
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc != 2)
		return cmd_usage_error(c, "give an IOAS and a file");
	a.path = p.argv[1];
	{
		struct iommuctl_session *s;

		rc = session_get(c, &s);
		if (rc >= 0)
			return rc;
		rc = require_cmd(c, s, 0x8f, "IOMMU_IOAS_MAP_FILE", "6.13");
		if (rc >= 0)
			return rc;
	}
	if (!a.length) {
		FILE *f = fopen(a.path, "r");
		long end;

		if (!f)
			return cmd_error_on(c, a.path, EXIT_FAILED, errno,
					    "cannot open: %s", strerror(errno));
		end = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
		fclose(f);
		if (end <= 0 || (uint64_t)end <= a.offset)
			return cmd_error_on(
				c, a.path, EXIT_FAILED, EINVAL,
				"is empty past offset 0x%llx; give --size",
				(unsigned long long)a.offset);
		a.length = (uint64_t)end - a.offset;
	}
	rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_IOAS), &ioas);
	if (rc >= 0)
		return rc;
	rc = iommuctl_ioas_map_file(ioas, &a, &iova);
	if (rc < 0)
		return lib_error(c, rc, iommuctl_obj_label(ioas),
				 "cannot map %s", a.path);
	return print_mapped(c, ioas, iova, a.length);
}

static const struct opt unmap_opts[] = {
	{ "iova", 'a', "ADDR", "first IOVA" },
	{ "size", 's', "SIZE", "bytes (whole mappings only)" },
	{ "all", 0, NULL, "unmap everything" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help unmap_help = {
	.synopsis = "IOAS (--iova ADDR --size SIZE | --all)",
	.description =
		"Unmap with IOMMU_IOAS_UNMAP. The range must cover whole mappings; a\n"
		"range that cuts one is refused and the mapping is named.",
	.opts = unmap_opts,
};

static int do_unmap(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_obj *ioas;
	struct optparse p;
	uint64_t iova = 0, len = 0, done = 0;
	bool all = false, have_iova = false;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &unmap_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		if (opt == 0) {
			rc = size_arg(c, "--iova", p.arg, &iova);
			have_iova = true;
		} else if (opt == 1) {
			rc = size_arg(c, "--size", p.arg, &len);
		} else {
			all = true;
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
		return cmd_usage_error(c, "give one IOAS");
	if (all == (have_iova || len))
		return cmd_usage_error(c, "give --iova and --size, or --all");
	if (!all && (!have_iova || !len))
		return cmd_usage_error(
			c,
			"--iova and --size go together; --size must not be 0");
	rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_IOAS), &ioas);
	if (rc >= 0)
		return rc;
	rc = iommuctl_ioas_unmap(ioas, all ? 0 : iova, all ? 0 : len, &done);
	if (rc < 0)
		return lib_error(c, rc, iommuctl_obj_label(ioas),
				 "cannot unmap");
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(
			j, "ioas",
			json_object_new_int64(iommuctl_obj_get_id(ioas)));
		json_object_object_add(j, "unmapped_bytes",
				       json_object_new_int64((int64_t)done));
		json_print(c, j);
		json_object_put(j);
	} else {
		printf("unmapped %llu bytes from %s\n",
		       (unsigned long long)done, iommuctl_obj_label(ioas));
	}
	return EXIT_OK;
}

static const struct opt copy_opts[] = {
	{ "from", 'f', "IOAS", "source IOAS" },
	{ "src-iova", 0, "ADDR", "IOVA of the mapping(s) in the source" },
	{ "size", 's', "SIZE", "bytes (whole source mappings)" },
	{ "iova", 'a', "ADDR",
	  "destination IOVA (default: the kernel picks one)" },
	{ "perm", 0, "r|w|rw", "what the device may do (default rw)" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help copy_help = {
	.synopsis =
		"DST --from SRC --src-iova ADDR --size SIZE [--iova ADDR] [--perm r|w|rw]",
	.description =
		"Map pages already mapped in another IOAS (IOMMU_IOAS_COPY); they are\n"
		"shared, not pinned or charged twice.",
	.opts = copy_opts,
};

static int do_copy(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_map_args a = { .perm = IOMMUCTL_MAP_READ |
					       IOMMUCTL_MAP_WRITE };
	struct iommuctl_obj *dst, *src;
	const char *from = NULL;
	struct optparse p;
	uint64_t src_iova = 0, len = 0, iova;
	bool have_src = false;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &copy_help);
	while ((opt = optparse_next(&p)) >= 0) {
		rc = -1;
		if (opt == 0)
			from = p.arg;
		else if (opt == 1) {
			rc = size_arg(c, "--src-iova", p.arg, &src_iova);
			have_src = true;
		} else if (opt == 2)
			rc = size_arg(c, "--size", p.arg, &len);
		else if (opt == 3) {
			rc = size_arg(c, "--iova", p.arg, &a.iova);
			a.fixed = true;
		} else if (opt == 4)
			rc = perm_arg(c, p.arg, &a.perm);
		if (rc >= 0) {
			optparse_fini(&p);
			return rc;
		}
	}
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc != 1)
		return cmd_usage_error(c, "give one destination IOAS");
	if (!from || !have_src || !len)
		return cmd_usage_error(
			c, "--from, --src-iova and --size are required");
	rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_IOAS), &dst);
	if (rc >= 0)
		return rc;
	rc = obj_arg(c, from, OBJ_MASK(IOMMUCTL_OBJ_IOAS), &src);
	if (rc >= 0)
		return rc;
	rc = iommuctl_ioas_copy(dst, src, src_iova, len, &a, &iova);
	if (rc < 0)
		return lib_error(c, rc, iommuctl_obj_label(dst),
				 "cannot copy from %s",
				 iommuctl_obj_label(src));
	return print_mapped(c, dst, iova, len);
}

/* "START-LAST" or "START+SIZE" */
static int range_arg(struct cmdctx *c, const char *text,
		     struct iommuctl_iova_range *r)
{
	char *buf = strdup(text), *sep;
	uint64_t a, b;
	int rc = -1;

	if (!buf)
		return cmd_error(c, EXIT_FAILED, ENOMEM, "parsing");
	sep = strpbrk(buf + 1, "-+");
	if (!sep) {
		free(buf);
		return cmd_usage_error(
			c, "'%s' is not a range (START-LAST or START+SIZE)",
			text);
	}
	if (*sep == '-') {
		*sep = '\0';
		if (iommuctl_parse_size(buf, &a) ||
		    iommuctl_parse_size(sep + 1, &b) || b < a)
			rc = cmd_usage_error(
				c,
				"'%s' is not a range (START-LAST, LAST inclusive)",
				text);
	} else {
		*sep = '\0';
		if (iommuctl_parse_size(buf, &a) ||
		    iommuctl_parse_size(sep + 1, &b) || !b || a + b - 1 < a)
			rc = cmd_usage_error(
				c, "'%s' is not a range (START+SIZE)", text);
		else
			b = a + b - 1;
	}
	free(buf);
	if (rc >= 0)
		return rc;
	r->start = a;
	r->last = b;
	return -1;
}

static const struct opt no_opts[] = { { NULL, 0, NULL, NULL } };
static const struct verb_help allow_help = {
	.synopsis = "IOAS [START-LAST|START+SIZE ...]",
	.description =
		"Set the IOAS's allowed IOVA ranges (IOMMU_IOAS_ALLOW_IOVAS): the kernel\n"
		"then picks IOVAs only inside them, and refuses to attach devices whose\n"
		"reserved regions overlap them. No range clears the list.",
	.opts = no_opts,
};

static int do_allow(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_iova_range *r;
	struct iommuctl_obj *ioas;
	struct optparse p;
	int i, rc;

	rc = optparse_operands(&p, c, argc, argv, &allow_help);
	if (rc >= 0)
		return rc;
	if (p.argc < 1)
		return cmd_usage_error(c, "give an IOAS");
	r = calloc((size_t)p.argc, sizeof(*r));
	if (!r)
		return cmd_error(c, EXIT_FAILED, ENOMEM, "allow");
	for (i = 1; i < p.argc; i++) {
		rc = range_arg(c, p.argv[i], &r[i - 1]);
		if (rc >= 0) {
			free(r);
			return rc;
		}
	}
	rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_IOAS), &ioas);
	if (rc >= 0) {
		free(r);
		return rc;
	}
	rc = iommuctl_ioas_allow(ioas, r, (size_t)p.argc - 1);
	free(r);
	if (rc < 0)
		return lib_error(c, rc, iommuctl_obj_label(ioas),
				 "cannot set the allowed ranges");
	if (c->json) {
		struct json_object *j = obj_to_json(ioas, true);

		json_print(c, j);
		json_object_put(j);
	}
	return EXIT_OK;
}

static const struct column range_cols[] = {
	{ "START", "start", 0 },
	{ "LAST", "last", 0 },
	{ "SIZE", "size", COL_RIGHT },
	{ NULL, NULL, 0 },
};

static struct json_object *ranges_json(struct iommuctl_obj *ioas,
				       const char *device,
				       const struct iommuctl_iova_range *r,
				       size_t n, uint64_t align)
{
	struct json_object *j = json_object_new_object(),
			   *a = json_object_new_array();
	size_t i;

	if (device)
		json_object_object_add(j, "device",
				       json_object_new_string(device));
	else
		json_object_object_add(
			j, "ioas",
			json_object_new_int64(iommuctl_obj_get_id(ioas)));
	json_object_object_add(j, "alignment",
			       json_object_new_int64((int64_t)align));
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "start", json_hex(r[i].start));
		json_object_object_add(e, "last", json_hex(r[i].last));
		/* the full 64-bit range does not fit a byte count; say so */
		json_object_object_add(
			e, "size",
			r[i].last - r[i].start == UINT64_MAX ?
				json_object_new_string("2^64") :
				json_object_new_int64(
					(int64_t)(r[i].last - r[i].start + 1) <
							0 ?
						INT64_MAX :
						(int64_t)(r[i].last -
							  r[i].start + 1)));
		json_object_array_add(a, e);
	}
	json_object_object_add(j, "ranges", a);
	return j;
}

static const struct opt ranges_opts[] = {
	{ "device", 'd', "DEVICE",
	  "a vfio-bound PCI device: attach it to a throw-away IOAS and show what the kernel allows" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help ranges_help = {
	.synopsis = "IOAS | --device DEVICE",
	.description =
		"The IOVA ranges usable in an IOAS (IOMMU_IOAS_IOVA_RANGES): what is\n"
		"left after the reserved regions of every attached device and the\n"
		"apertures of their IOMMUs, and the alignment mappings need.\n"
		"With --device, works alone: binds the device's VFIO cdev to a fresh\n"
		"iommufd, attaches it to a throw-away IOAS and reports the ranges the\n"
		"kernel really applies for it. The device must be bound to vfio-pci.",
	.opts = ranges_opts,
};

static int do_ranges(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_iova_range *r = NULL;
	struct iommuctl_obj *ioas = NULL, *dev = NULL;
	struct iommuctl_session *s;
	const char *device = NULL;
	struct json_object *j;
	struct optparse p;
	uint64_t align = 0;
	size_t n = 0;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &ranges_help);
	while ((opt = optparse_next(&p)) >= 0)
		device = p.arg;
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if ((device != NULL) == (p.argc == 1) || p.argc > 1)
		return cmd_usage_error(c, "give an IOAS or --device, not both");
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	if (device) {
		rc = iommuctl_vfio_device_bind(s, device, &dev);
		if (rc < 0)
			return lib_error(c, rc, device,
					 "cannot bind to iommufd");
		rc = iommuctl_ioas_alloc(s, &ioas);
		if (rc == 0)
			rc = iommuctl_device_attach(dev, ioas);
		if (rc < 0) {
			rc = lib_error(c, rc, device,
				       "cannot attach to a new IOAS");
			if (ioas)
				iommuctl_obj_destroy(ioas);
			iommuctl_obj_destroy(dev);
			return rc;
		}
	} else {
		rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_IOAS), &ioas);
		if (rc >= 0)
			return rc;
	}
	rc = iommuctl_ioas_ranges(ioas, &r, &n, &align);
	if (rc < 0)
		rc = lib_error(c, rc, iommuctl_obj_label(ioas),
			       "cannot read the ranges");
	else
		rc = EXIT_OK;
	if (rc == EXIT_OK) {
		j = ranges_json(ioas, device, r, n, align);
		if (c->json) {
			json_print(c, j);
		} else {
			printf("%s: %zu usable range(s), alignment 0x%llx\n",
			       device ?: iommuctl_obj_label(ioas), n,
			       (unsigned long long)align);
			table_print(stdout, json_object_object_get(j, "ranges"),
				    range_cols, "  ");
		}
		json_object_put(j);
	}
	free(r);
	if (device) {
		/* the throw-away objects go, in the order the kernel accepts */
		iommuctl_obj_destroy(dev);
		iommuctl_obj_destroy(ioas);
	}
	return rc;
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

static const struct verb_help show_help = {
	.synopsis = "[IOAS]",
	.description =
		"Show IOASes of the session: mappings (as this session made them),\n"
		"allowed ranges, usable ranges and alignment, and what uses each IOAS.",
	.opts = no_opts,
};

static struct json_object *ioas_detail(struct iommuctl_obj *o)
{
	struct json_object *j = obj_row(o);
	struct iommuctl_iova_range *r = NULL;
	uint64_t align = 0;
	size_t n = 0;

	if (iommuctl_ioas_ranges(o, &r, &n, &align) == 0) {
		struct json_object *rj = ranges_json(o, NULL, r, n, align);

		json_object_object_add(
			j, "ranges",
			json_object_get(json_object_object_get(rj, "ranges")));
		json_object_object_add(j, "alignment",
				       json_object_new_int64((int64_t)align));
		json_object_put(rj);
	}
	free(r);
	return j;
}

static int do_show(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_session *s;
	struct iommuctl_obj *o;
	struct json_object *a;
	struct optparse p;
	size_t i;
	int rc;

	rc = optparse_operands(&p, c, argc, argv, &show_help);
	if (rc >= 0)
		return rc;
	if (p.argc > 1)
		return cmd_usage_error(c, "give at most one IOAS");
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	a = json_object_new_array();
	if (p.argc == 1) {
		rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_IOAS), &o);
		if (rc >= 0) {
			json_object_put(a);
			return rc;
		}
		json_object_array_add(a, ioas_detail(o));
	} else {
		iommuctl_session_foreach(s, o) if (iommuctl_obj_get_type(o) ==
						   IOMMUCTL_OBJ_IOAS)
			json_object_array_add(a, ioas_detail(o));
	}
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "ioas", a);
		json_print(c, j);
		json_object_put(j);
		return EXIT_OK;
	}
	if (!json_object_array_length(a))
		printf("no IOAS in this session\n");
	for (i = 0; i < json_object_array_length(a); i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		struct json_object *u = json_object_object_get(e, "users");
		size_t k;

		printf("%s%s%s\n", color_on(c, "header"),
		       json_object_get_string(
			       json_object_object_get(e, "label")),
		       color_off(c));
		printf("  used by:");
		for (k = 0; k < json_object_array_length(u); k++)
			printf("%s %s", k ? "," : "",
			       json_object_get_string(
				       json_object_array_get_idx(u, k)));
		printf("%s\n", json_object_array_length(u) ? "" : " -");
		printf("  alignment: 0x%llx\n",
		       (unsigned long long)json_object_get_int64(
			       json_object_object_get(e, "alignment")));
		printf("  usable ranges:\n");
		table_print(stdout, json_object_object_get(e, "ranges"),
			    range_cols, "    ");
		if (json_object_array_length(
			    json_object_object_get(e, "allowed"))) {
			printf("  allowed ranges:\n");
			table_print(stdout,
				    json_object_object_get(e, "allowed"),
				    range_cols, "    ");
		}
		printf("  mappings:\n");
		if (json_object_array_length(
			    json_object_object_get(e, "mappings")))
			table_print(stdout,
				    json_object_object_get(e, "mappings"),
				    map_cols, "    ");
		else
			printf("    none\n");
	}
	json_object_put(a);
	return EXIT_OK;
}

static const struct opt compat_opts[] = {
	{ "clear", 0, NULL, "forget the selection" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help compat_help = {
	.synopsis = "[IOAS | --clear]",
	.description =
		"Show or select the IOAS the legacy VFIO container interface uses\n"
		"(IOMMU_VFIO_IOAS), for VMMs still on /dev/vfio/vfio backed by iommufd.",
	.opts = compat_opts,
};

static int do_compat(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_session *s;
	struct iommuctl_obj *set = NULL, *cur = NULL;
	struct optparse p;
	bool clear = false;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &compat_help);
	while ((opt = optparse_next(&p)) >= 0)
		clear = true;
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc > 1 || (p.argc && clear))
		return cmd_usage_error(c, "give one IOAS, or --clear");
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	if (p.argc) {
		rc = obj_arg(c, p.argv[0], OBJ_MASK(IOMMUCTL_OBJ_IOAS), &set);
		if (rc >= 0)
			return rc;
	}
	rc = iommuctl_ioas_vfio_compat(s, set, clear, &cur);
	if (rc < 0 && rc != -ENODEV)
		return lib_error(c, rc, "vfio-compat", "cannot %s",
				 set   ? "select" :
				 clear ? "clear" :
					 "ask");
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(
			j, "ioas",
			cur ? json_object_new_int64(iommuctl_obj_get_id(cur)) :
			      NULL);
		json_print(c, j);
		json_object_put(j);
	} else {
		printf("VFIO container interface uses: %s\n",
		       cur ? iommuctl_obj_label(cur) : "no IOAS");
	}
	return EXIT_OK;
}

static const struct verb_help change_help = {
	.synopsis = "",
	.description =
		"Charge every mapping of the session to this process\n"
		"(IOMMU_IOAS_CHANGE_PROCESS, Linux 6.13), as a VMM does after exec()\n"
		"in a live update. Only file mappings (map-file) can move.",
	.opts = no_opts,
};

static int do_change(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_session *s;
	struct optparse p;
	int rc;

	rc = optparse_operands(&p, c, argc, argv, &change_help);
	if (rc >= 0)
		return rc;
	if (p.argc)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	rc = require_cmd(c, s, 0x92, "IOMMU_IOAS_CHANGE_PROCESS", "6.13");
	if (rc >= 0)
		return rc;
	rc = iommuctl_ioas_change_process(s);
	if (rc < 0)
		return lib_error(c, rc, "change-process",
				 "cannot move the mappings");
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "changed",
				       json_object_new_boolean(1));
		json_print(c, j);
		json_object_put(j);
	}
	return EXIT_OK;
}

static const struct verb_help destroy_help = {
	.synopsis = "IOAS",
	.description =
		"Destroy an IOAS (IOMMU_DESTROY). Its mappings go with it. Refused\n"
		"while a hwpt, device or access uses it; the message names them.",
	.opts = no_opts,
};

static int do_destroy(int argc, char **argv, struct cmdctx *c)
{
	return destroy_obj_cmd(c, argc, argv, &destroy_help,
			       OBJ_MASK(IOMMUCTL_OBJ_IOAS));
}

static const struct cmd ioas_cmds[] = {
	{ "show", do_show, "the session's IOASes, mappings and ranges" },
	{ "create", do_create, "allocate an IOAS" },
	{ "map", do_map, "allocate memory and map it" },
	{ "map-file", do_map_file, "map a file by descriptor (6.13)" },
	{ "unmap", do_unmap, "unmap whole mappings" },
	{ "copy", do_copy, "map pages already mapped in another IOAS" },
	{ "allow", do_allow, "restrict where the kernel picks IOVAs" },
	{ "ranges", do_ranges, "usable IOVA ranges of an IOAS or a device" },
	{ "vfio-compat", do_compat,
	  "the IOAS of the legacy VFIO container API" },
	{ "change-process", do_change,
	  "charge all mappings to this process (6.13)" },
	{ "destroy", do_destroy, "destroy an IOAS" },
	{ NULL, NULL, NULL },
};

int cmd_ioas(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(ioas_cmds, argc, argv, c);
}

LEGACY_OBJECT(obj_ioas, "ioas", "iommufd I/O address spaces and their mappings", cmd_ioas);
