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

/* A label name (after the namespace): [A-Za-z0-9] at both ends, [-_.]
 * and alphanumerics between, 63 at most (Kubernetes' rule, which NFD
 * applies); the namespace a DNS subdomain. */
static bool label_ok(const char *s, size_t max, bool dns)
{
	size_t i, n = strlen(s);

	if (!n || n > max)
		return false;
	for (i = 0; i < n; i++) {
		char ch = s[i];
		bool an = (ch >= 'a' && ch <= 'z') ||
			  (ch >= '0' && ch <= '9') ||
			  (!dns && ch >= 'A' && ch <= 'Z');

		if (!an && ((i == 0 || i == n - 1) ||
			    !(ch == '-' || ch == '.' || (!dns && ch == '_'))))
			return false;
	}
	return true;
}

static void feat(struct json_object *f, const char *name, const char *v)
{
	jadd_str(f, name, v);
}

static void feat_bool(struct json_object *f, const char *name, bool v)
{
	feat(f, name, v ? "true" : "false");
}

/* A device on vfio-pci behind a hardware IOMMU, for the questions */
static const char *readiness_device(struct cmdctx *c)
{
	struct iommuctl_device *d;

	iommuctl_device_foreach(c->ctx, d)
	{
		const char *u = iommuctl_device_get_iommu(d);
		struct iommuctl_iommu *it =
			u ? iommuctl_iommu_get_by_name(c->ctx, u) : NULL;

		if (iommuctl_device_get_vfio_cdev(d) && it &&
		    iommuctl_iommu_is_hardware(it))
			return iommuctl_device_get_name(d);
	}
	return NULL;
}

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
	} else if ((dev = readiness_device(c))) {
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
				feat_bool(f, name, json_object_get_boolean(v));
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
	struct json_object *f = json_object_new_object(), *kinds;
	struct iommuctl_status *st;
	struct iommuctl_msi_state msi;
	struct iommuctl_iommu *it;
	struct iommuctl_group *g;
	unsigned int ncdev, viable = 0;
	char *kind = NULL, num[16];
	bool cdev, grp;
	int rc = iommuctl_status_new(c->ctx, &st);

	jadd(j, "features", f);
	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, rc, "reading the system state");
	feat_bool(f, "iommu-present",
		  iommuctl_status_get_verdict(st) == IOMMUCTL_VERDICT_ACTIVE);
	/* the kinds of the hardware units, in order, each once */
	kinds = json_object_new_object();
	iommuctl_iommu_foreach(c->ctx, it) {
		const char *k =
			iommuctl_iommu_kind_name(iommuctl_iommu_get_kind(it));
		char *n;

		if (!iommuctl_iommu_is_hardware(it) ||
		    json_object_object_get_ex(kinds, k, NULL))
			continue;
		jadd_bool(kinds, k, true);
		if (asprintf(&n, "%s%s%s", kind ? kind : "", kind ? "_" : "",
			     k) < 0)
			n = NULL;
		free(kind);
		kind = n;
	}
	json_object_put(kinds);
	if (kind && label_ok(kind, 63, false))
		feat(f, "iommu-kind", kind);
	free(kind);
	feat_bool(f, "iommu-iommufd", iommuctl_status_get_iommufd(st)->present);
	iommuctl_status_get_vfio(st, &cdev, &grp, &ncdev);
	feat_bool(f, "iommu-vfio-cdev", cdev);
	iommuctl_status_free(st);
	iommuctl_msi_state(c->ctx, &msi);
	if (msi.remapping != IOMMUCTL_IR_UNKNOWN)
		feat_bool(f, "iommu-interrupt-remapping",
			  msi.remapping == IOMMUCTL_IR_ENABLED);
	if (msi.isolated >= 0)
		feat_bool(f, "iommu-msi-isolated", msi.isolated);
	iommuctl_group_foreach(c->ctx, g)
		if (iommuctl_group_is_viable(g, NULL))
			viable++;
	snprintf(num, sizeof(num), "%u", viable);
	feat(f, "iommu-viable-groups", num);
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

	if (!label_ok(a->ns, 253, true))
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

static void nfd_text(struct cmdctx *c, struct json_object *j)
{
	if (!jopt(j, "output"))
		nfd_file(c, stdout, j);
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
	  .run = nfd_run, .render = &(const struct render){ .text = nfd_text });
/* clang-format on */
