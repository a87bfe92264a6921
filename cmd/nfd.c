// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl nfd: the IOMMU setup as a feature file of Kubernetes Node
 * Feature Discovery's "local" source (features.d): "NAMESPACE/NAME=VALUE"
 * lines, '#' comments, and the "# +expiry-time=RFC3339" directive. NFD
 * skips dot-files, so --output writes one beside the file and renames it.
 * Nesting, dirty tracking, PASID and I/O page faults are hwinfo's
 * readiness verdicts, asked of a device already on vfio-pci (nothing is
 * bound for the question); without one they are left out, and a comment
 * says why.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "builtin.h"

#define NFD_NAMESPACE "feature.node.kubernetes.io"

struct nfd_args {
	const char *output, *ns, *device;
	uint32_t expiry;
	bool have_expiry;
};

static void nfd_init(void *args)
{
	((struct nfd_args *)args)->ns = NFD_NAMESPACE;
}

static const struct opt nfd_opts[] = {
	OPT_STR("output", 'o', "FILE", struct nfd_args, output,
		"write FILE atomically (a temporary dot-file beside it, then rename) instead of standard output; NFD reads /etc/kubernetes/node-feature-discovery/features.d/"),
	OPT_STR("namespace", 'n', "NS", struct nfd_args, ns,
		"the label namespace (default feature.node.kubernetes.io; others need NFD's -extra-label-ns)"),
	OPT_STR("device", 'd', "DEVICE", struct nfd_args, device,
		"ask the readiness questions with DEVICE (on vfio-pci) rather than the first device on vfio-pci"),
	OPT_U32("expiry", 'e', "SECONDS", struct nfd_args, expiry,
		10u * 366 * 86400,
		"add '# +expiry-time=' SECONDS from now: NFD drops the labels if the file is not rewritten by then",
		OPT_SEEN(struct nfd_args, have_expiry)),
	OPT_END,
};

/* hwinfo's verdict name -> the feature's name */
static const struct {
	const char *verdict, *feature;
} ready_names[] = {
	{ "nesting", "iommu-nesting" },
	{ "live-migration", "iommu-dirty-tracking" },
	{ "pasid", "iommu-pasid" },
	{ "iopf", "iommu-iopf" },
};

/* The readiness features, or why they are unknown (in @unknown) */
static int readiness(struct cmdctx *c, const struct nfd_args *a,
		     struct json_object *f, struct json_object *j)
{
	struct json_object *unknown = json_object_new_object(), *q, *r;
	const char *dev = a->device, *why = NULL;
	char bdf[32] = "", *msg = NULL;
	struct iommuctl_device *d;
	size_t i, k;
	int rc = 0;

	if (iommuctl_is_offline(c->ctx)) {
		why = "not asked: the questions need the live system (not --root)";
	} else if (dev) {
		rc = device_ref(c, dev, &d);
		if (rc < 0) {
			json_object_put(unknown);
			return rc;
		}
		if (!iommuctl_device_get_vfio_cdev(d)) {
			json_object_put(unknown);
			return cmd_fail_on(
				c, dev, EXIT_FAILED, ENODEV,
				"is not on vfio-pci: nfd binds nothing; run iommuctl vfio bind %s first",
				dev);
		}
		snprintf(bdf, sizeof(bdf), "%s", iommuctl_device_get_name(d));
	} else if ((dev = iommuctl_nfd_readiness_device(c->ctx))) {
		snprintf(bdf, sizeof(bdf), "%s", dev);
	} else {
		why = "not asked: no device is on vfio-pci (bind one with 'iommuctl vfio bind DEVICE', or give --device)";
	}
	q = json_object_new_object();
	if (bdf[0]) {
		jadd_str(j, "readiness_device", bdf);
		rc = features_ask(c, bdf, true, q);
		if (rc < 0 && !a->device) {
			/* the device we picked cannot answer: unknown, and why */
			if (asprintf(&msg, "not known: %s", c->err.msg) < 0)
				msg = NULL;
			free(c->err.msg);
			memset(&c->err, 0, sizeof(c->err));
			why = msg ? msg : "not known";
			rc = 0;
		}
	}
	r = jopt(q, "ready");
	for (k = 0; k < sizeof(ready_names) / sizeof(ready_names[0]); k++) {
		const char *name = ready_names[k].feature, *w = why;

		for (i = 0; r && i < json_object_array_length(r); i++) {
			struct json_object *o = json_object_array_get_idx(r, i),
					   *v = jopt(o, "ready");

			if (strcmp(jstr(c, o, "name"), ready_names[k].verdict))
				continue;
			if (v)
				jadd_str(f, name,
					 json_object_get_boolean(v) ? "true" :
								      "false");
			else
				w = jstr(c, o, "how");
		}
		if (!json_object_object_get_ex(f, name, NULL))
			jadd_str(unknown, name, w ? w : "not known");
	}
	json_object_put(q);
	free(msg);
	jadd(j, "unknown", unknown);
	return rc;
}

static int nfd_build(struct cmdctx *c, const struct nfd_args *a,
		     struct json_object *j)
{
	struct json_object *f = json_object_new_object();
	struct iommuctl_nfd_label *l = NULL;
	struct iommuctl_status *st;
	size_t n = 0, i;
	int rc = iommuctl_status_new(c->ctx, &st);

	jadd(j, "features", f);
	if (!rc) {
		rc = iommuctl_nfd_labels(c->ctx, st, &l, &n);
		iommuctl_status_free(st);
	}
	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, rc, "reading the system state");
	for (i = 0; i < n; i++)
		jadd_str(f, l[i].name, l[i].value);
	iommuctl_nfd_labels_free(l, n);
	return readiness(c, a, f, j);
}

/* The feature file: a comment, the expiry directive, NS/NAME=VALUE lines,
 * and a comment for each feature left out */
static void nfd_file(struct cmdctx *c, FILE *o, struct json_object *j)
{
	struct json_object *f = jget(c, j, "features"), *u = jopt(j, "unknown"),
			   *e = jopt(j, "expiry_time");
	const char *ns = jstr(c, j, "namespace");

	fprintf(o,
		"# IOMMU features of this node, by iommuctl nfd (iommuctl(1))\n");
	if (e)
		fprintf(o, "# +expiry-time=%s\n", json_object_get_string(e));
	if (f) {
		json_object_object_foreach(f, k, v)
			fprintf(o, "%s/%s=%s\n", ns, k,
				json_object_get_string(v));
	}
	if (u) {
		json_object_object_foreach(u, k, v)
			fprintf(o, "# %s/%s: %s\n", ns, k,
				json_object_get_string(v));
	}
}

static int nfd_run(struct cmdctx *c, void *args)
{
	const struct nfd_args *a = args;
	struct json_object *j;
	char when[32];

	if (!iommuctl_nfd_label_ok(a->ns, true))
		return cmd_usage(
			c,
			"--namespace %s: not a DNS subdomain (lower-case letters, digits, '-' and '.')",
			a->ns);
	j = json_object_new_object();
	jadd_str(j, "namespace", a->ns);
	if (a->have_expiry) {
		time_t t = time(NULL) + (time_t)a->expiry;
		struct tm tm;

		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ",
			 gmtime_r(&t, &tm));
		jadd_str(j, "expiry_time", when);
	}
	return file_or_out(c, j, nfd_build(c, a, j), a->output, nfd_file);
}

/* clang-format off */
ONE_VERB_OBJECT(obj_nfd, "nfd", "the IOMMU setup as Kubernetes Node Feature Discovery labels",
	  .name = "show",
	  .summary = "a feature file for Node Feature Discovery's local source (features.d)",
	  .synopsis = "[--output FILE] [--namespace NS] [--device DEVICE] [--expiry SECONDS]",
	  .description =
		  "Print the IOMMU setup as a feature file of Kubernetes Node Feature\n"
		  "Discovery's local source: NS/NAME=VALUE lines (NS is\n"
		  "feature.node.kubernetes.io unless --namespace says otherwise) named\n"
		  "iommu-present, iommu-kind, iommu-iommufd, iommu-vfio-cdev,\n"
		  "iommu-interrupt-remapping, iommu-msi-isolated, iommu-viable-groups,\n"
		  "and hwinfo's readiness verdicts iommu-nesting, iommu-dirty-tracking,\n"
		  "iommu-pasid and iommu-iopf. The verdicts are found by trying, as\n"
		  "hwinfo does, with a device already on vfio-pci (--device, else the\n"
		  "first one): nfd binds nothing. A feature that is not known is left\n"
		  "out, and a comment line says why. --expiry adds NFD's\n"
		  "'# +expiry-time=' directive. With --output the file is replaced\n"
		  "atomically (NFD skips the temporary dot-file). Works offline with\n"
		  "--root, without the verdicts.",
	  .opts = nfd_opts, .args_size = sizeof(struct nfd_args), .init = nfd_init,
	  .run = nfd_run, .render = &(const struct render){ .file = nfd_file });
/* clang-format on */
