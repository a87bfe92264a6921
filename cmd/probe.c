// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl probe: which iommufd commands, flags and data types this kernel
 * has, found by asking. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

static const struct opt probe_opts[] = {
	{ "device", 'd', "DEVICE",
	  "ask the device-dependent questions with this vfio-pci device (PCI address or vfioN)" },
	{ NULL, 0, NULL, NULL },
};

static const struct verb_help probe_help = {
	.synopsis = "[--device DEVICE]",
	.description =
		"Ask /dev/iommu which iommufd commands this kernel implements: each\n"
		"is issued with zeroed arguments on a fresh file descriptor, and only\n"
		"ENOTTY means absent. Then which flags and data types it supports:\n"
		"IOAS_MAP flags, options and GET_HW_INFO flags are checked without a\n"
		"device (an unknown one answers EOPNOTSUPP before the object lookup);\n"
		"hwpt flags, nested data types, invalidation, vIOMMU, vEVENTQ and HW\n"
		"queue types need a device: a throw-away selftest mock device when the\n"
		"kernel has CONFIG_IOMMUFD_TEST, the --device given, else 'unknown'.\n"
		"Whatever is created is destroyed. Never decided from the kernel\n"
		"version. Needs the live system (not --root) and access to /dev/iommu.",
	.opts = probe_opts,
};

static const struct column probe_cols[] = {
	{ "COMMAND", "name", 0 },    { "NR", "nr", 0 }, { "SINCE", "since", 0 },
	{ "PRESENT", "present", 0 }, { NULL, NULL, 0 },
};

static const struct column feature_cols[] = {
	{ "AREA", "area", 0 },	 { "NAME", "name", 0 },
	{ "VALUE", "value", 0 }, { "SUPPORTED", "supported_text", 0 },
	{ "HOW", "how", 0 },	 { NULL, NULL, 0 },
};

/* The answers of iommuctl_iommufd_probe_features() as JSON: one emitter
 * for probe and hwinfo. */
struct json_object *features_to_json(const struct iommuctl_feature_probe *f,
				     size_t n)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "area",
				       json_object_new_string(f[i].area));
		json_object_object_add(o, "name",
				       json_object_new_string(f[i].name));
		json_object_object_add(o, "value", json_hex(f[i].value));
		json_object_object_add(
			o, "supported",
			f[i].supported < 0 ?
				NULL :
				json_object_new_boolean(f[i].supported));
		json_object_object_add(o, "how",
				       json_object_new_string(f[i].how));
		json_object_array_add(a, o);
	}
	return a;
}

/* The "features" array: the flags and data types, asked on a throw-away
 * session. Returns -1 and sets *out, or the exit code. */
static int probe_features(struct cmdctx *c, const char *device,
			  struct json_object **out)
{
	struct iommuctl_feature_probe *f = NULL;
	struct iommuctl_session *s = NULL;
	struct iommuctl_obj *dev = NULL;
	struct json_object *a;
	size_t n = 0;
	int rc;

	rc = iommuctl_session_open(c->ctx, &s);
	if (rc < 0)
		return cmd_error(c, EXIT_FAILED, rc, "opening /dev/iommu");
	if (device) {
		rc = iommuctl_vfio_device_bind(s, device, &dev);
		if (rc < 0) {
			const char *why = iommuctl_session_error(s);

			rc = cmd_error_on(c, device, EXIT_FAILED, rc,
					  "cannot bind to iommufd: %s%s%s",
					  strerror(-rc), why ? ": " : "",
					  why ?: "");
			iommuctl_session_close(s);
			return rc;
		}
	}
	rc = iommuctl_iommufd_probe_features(s, dev, &f, &n);
	if (dev)
		iommuctl_obj_destroy(dev);
	iommuctl_session_close(s);
	if (rc < 0)
		return cmd_error(c, EXIT_FAILED, rc,
				 "probing flags and data types");
	a = features_to_json(f, n);
	free(f);
	*out = a;
	return -1;
}

static int do_probe(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_ioctl_probe res[IOMMUCTL_NUM_IOMMUFD_CMDS];
	struct json_object *j, *a, *feats = NULL;
	size_t n = IOMMUCTL_NUM_IOMMUFD_CMDS, i;
	const char *device = NULL;
	struct optparse p;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &probe_help);
	while ((opt = optparse_next(&p)) >= 0)
		device = p.arg;
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	if (p.argc > 0)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	rc = iommuctl_iommufd_probe_ioctls(c->ctx, res, &n);
	if (rc == -EOPNOTSUPP)
		return cmd_error_on(
			c, c->object, EXIT_UNAVAILABLE, EOPNOTSUPP,
			"probing asks the running kernel: not possible with --root");
	if (rc == -ENOENT)
		return cmd_error_on(
			c, "/dev/iommu", EXIT_UNAVAILABLE, ENOENT,
			"does not exist: the kernel lacks CONFIG_IOMMUFD or the iommufd module is not loaded");
	if (rc < 0)
		return cmd_error(c, EXIT_FAILED, rc, "opening /dev/iommu");
	rc = probe_features(c, device, &feats);
	if (rc >= 0)
		return rc;
	j = json_object_new_object();
	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();
		char nr[8];

		snprintf(nr, sizeof(nr), "0x%02x", res[i].nr);
		json_object_object_add(o, "name",
				       json_object_new_string(res[i].name));
		json_object_object_add(o, "nr", json_object_new_string(nr));
		json_object_object_add(o, "since",
				       json_object_new_string(res[i].since));
		json_object_object_add(o, "present",
				       json_object_new_boolean(res[i].present));
		json_object_object_add(
			o, "answer",
			json_object_new_string(
				res[i].answer ?
					strerrorname_np(res[i].answer) ?: "?" :
					"ok"));
		json_object_array_add(a, o);
	}
	json_object_object_add(j, "ioctls", a);
	json_object_object_add(j, "features", feats);
	if (c->json) {
		json_print(c, j);
	} else {
		table_print(stdout, a, probe_cols, "");
		/* the same rows, with "unknown" spelled out */
		printf("\n");
		for (i = 0; i < json_object_array_length(feats); i++) {
			struct json_object *o = json_object_array_get_idx(feats,
									  i),
					   *v;

			v = json_object_object_get(o, "supported");
			json_object_object_add(
				o, "supported_text",
				json_object_new_string(
					!v			   ? "unknown" :
					json_object_get_boolean(v) ? "yes" :
								     "no"));
		}
		table_print(stdout, feats, feature_cols, "");
	}
	json_object_put(j);
	return EXIT_OK;
}

static const struct cmd probe_cmds[] = {
	{ "show", do_probe,
	  "which iommufd commands, flags and types this kernel has" },
	{ NULL, NULL, NULL },
};

int cmd_probe(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(probe_cmds, argc, argv, c);
}

LEGACY_OBJECT(obj_probe, "probe", "which iommufd commands this kernel has", cmd_probe);
