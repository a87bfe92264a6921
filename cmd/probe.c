// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl probe: which iommufd commands, flags and data types this kernel
 * has, found by asking. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

struct probe_args {
	const char *device;
};

static const struct opt probe_opts[] = {
	OPT_STR("device", 'd', "DEVICE", struct probe_args, device,
		"ask the device-dependent questions with this vfio-pci device (PCI address or vfioN)"),
	OPT_END,
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

/* yes, no, or unknown (-1): a JSON null */
static struct json_object *json_tristate(int v)
{
	return v < 0 ? NULL : json_object_new_boolean(v);
}

int features_ask(struct cmdctx *c, const char *device, bool hw,
		 struct json_object *j)
{
	struct iommuctl_feature_probe *f = NULL;
	struct iommuctl_session *s = NULL, *keep = c->sess;
	struct iommuctl_hw_info hi = { 0 };
	struct iommuctl_readiness r;
	struct iommuctl_obj *dev = NULL;
	struct json_object *a, *o;
	const char *why, *pw;
	char *msi, *how, why_buf[512];
	size_t i, n = 0;
	int rc = iommuctl_session_open(c->ctx, &s);

	if (rc < 0)
		return cmd_fail(c,
				rc == -ENOENT ? EXIT_UNAVAILABLE : EXIT_FAILED,
				rc, "opening /dev/iommu");
	if (device)
		rc = iommuctl_vfio_device_bind(s, device, &dev);
	why = iommuctl_session_error(s);
	/* EPERM: the kernel's MSI isolation check, explained as it stands */
	msi = rc == -EPERM ? iommuctl_msi_unsafe_explain(c->ctx) : NULL;
	if (rc < 0) {
		rc = cmd_fail_on(c, device, EXIT_FAILED, rc,
				 "cannot bind to iommufd: %s%s%s%s%s",
				 strerror(-rc), why ? ": " : "", why ?: "",
				 msi ? ". " : "", msi ?: "");
	} else if (hw && (rc = iommuctl_device_hw_info(dev, &hi)) < 0) {
		c->sess = s; /* lib_fail() says this session's why */
		rc = lib_fail(c, rc, device, "cannot get the hardware info");
		c->sess = keep;
	} else if ((rc = iommuctl_iommufd_probe_features(s, dev, &f, &n)) < 0) {
		rc = cmd_fail(c, EXIT_FAILED, rc, "%s",
			      hw ? "trying flags" :
				   "probing flags and data types");
	}
	if (!rc && hw) {
		hw_info_add_json(j, &hi);
		a = json_object_new_array();
		for (i = 0; i < IOMMUCTL_NUM_READINESS; i++) {
			iommuctl_readiness(i, f, n, hi.max_pasid_log2, &r);
			o = json_object_new_object();
			jadd_str(o, "name", r.name);
			jset(o, "ready", json_tristate(r.ready));
			if (i == IOMMUCTL_READY_PASID &&
			    (pw = iommuctl_hw_info_pasid_why(&hi)) &&
			    asprintf(&how, "%s; %s", r.how, pw) >= 0) {
				jadd_str(o, "how", how);
				free(how);
			} else {
				jadd_str(o, "how", r.how);
			}
			jadd_str(o, "what", r.what);
			if (i == IOMMUCTL_READY_NESTING && r.ready == 0 &&
			    iommuctl_smmuv3_viommu_why(c->ctx, &hi, why_buf,
						       sizeof(why_buf)) == 1)
				jadd_str(o, "reason", why_buf);
			json_object_array_add(a, o);
		}
		jadd(j, "ready", a);
	}
	if (!rc) {
		a = json_object_new_array();
		for (i = 0; i < n; i++) {
			o = json_object_new_object();
			jadd_str(o, "area", f[i].area);
			jadd_str(o, "name", f[i].name);
			jadd_hex(o, "value", f[i].value);
			jset(o, "supported", json_tristate(f[i].supported));
			jadd_str(o, "how", f[i].how);
			json_object_array_add(a, o);
		}
		jadd(j, "features", a);
	}
	free(msi);
	free(hi.data);
	free(f);
	if (dev)
		iommuctl_obj_destroy(dev);
	iommuctl_session_close(s);
	return rc;
}

static int probe_run(struct cmdctx *c, void *args)
{
	const struct probe_args *a = args;
	struct iommuctl_ioctl_probe res[IOMMUCTL_NUM_IOMMUFD_CMDS];
	struct json_object *j, *arr;
	size_t n = IOMMUCTL_NUM_IOMMUFD_CMDS, i;
	int rc = iommuctl_iommufd_probe_ioctls(c->ctx, res, &n);

	if (rc == -EOPNOTSUPP && !a->device) {
		/* offline: the answer the bundle recorded, if it has one */
		char *rec = NULL;
		size_t len;

		if (iommuctl_report_recorded(c->ctx, "probe", &rec, &len) == 0) {
			j = json_tokener_parse(rec);
			free(rec);
			if (j && json_object_is_type(j, json_type_object) &&
			    jopt(j, "ioctls"))
				return cmd_out(c, j);
			json_object_put(j);
			return cmd_fail_on(
				c, c->object, EXIT_FAILED, EBADMSG,
				"the bundle's recorded probe (report/commands/probe.json) is not a probe answer");
		}
	}
	if (rc == -EOPNOTSUPP)
		return cmd_fail_on(
			c, c->object, EXIT_UNAVAILABLE, EOPNOTSUPP,
			"probing asks the running kernel: not possible with --root%s",
			a->device ? "" :
				    ", and this tree holds no recorded probe (a bundle 'iommuctl report' made live has one)");
	if (rc == -ENOENT)
		return cmd_fail_on(
			c, "/dev/iommu", EXIT_UNAVAILABLE, ENOENT,
			"does not exist: the kernel lacks CONFIG_IOMMUFD or the iommufd module is not loaded");
	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, rc, "opening /dev/iommu");
	arr = json_object_new_array();
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();
		char nr[8];

		snprintf(nr, sizeof(nr), "0x%02x", res[i].nr);
		jadd_str(o, "name", res[i].name);
		jadd_str(o, "nr", nr);
		jadd_str(o, "since", res[i].since);
		jadd_bool(o, "present", res[i].present);
		jadd_str(o, "answer",
			 res[i].answer ? strerrorname_np(res[i].answer) ?: "?" :
					 "ok");
		json_object_array_add(arr, o);
	}
	j = json_object_new_object();
	jadd(j, "ioctls", arr);
	rc = features_ask(c, a->device, false, j);
	if (rc < 0) {
		json_object_put(j);
		return rc;
	}
	return cmd_out(c, j);
}

static void probe_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *feats = jget(c, j, "features");
	size_t i;

	if (iommuctl_is_offline(c->ctx))
		printf("recorded by 'iommuctl report' on the captured system, when it was made\n\n");
	table_print(stdout, jget(c, j, "ioctls"), probe_cols, "");
	printf("\n");
	/* the same rows, with "unknown" spelled out */
	for (i = 0; feats && i < json_object_array_length(feats); i++) {
		struct json_object *o = json_object_array_get_idx(feats, i),
				   *v = jopt(o, "supported");

		jadd_str(o, "supported_text",
			 !v			    ? "unknown" :
			 json_object_get_boolean(v) ? "yes" :
						      "no");
	}
	if (feats)
		table_print(stdout, feats, feature_cols, "");
}

/* clang-format off */
ONE_VERB_OBJECT(obj_probe, "probe", "which iommufd commands this kernel has",
	  .name = "show",
	  .summary = "which iommufd commands, flags and types this kernel has",
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
		  "version. Needs the live system and access to /dev/iommu; with --root\n"
		  "of a bundle, the answer the bundle recorded when it was made.",
	  .opts = probe_opts,
	  .args_size = sizeof(struct probe_args),
	  .run = probe_run,
	  .render = &(const struct render){ .text = probe_text });
/* clang-format on */
