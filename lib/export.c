// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * The IOMMU setup for fleet tools: which Prometheus metrics and which Node
 * Feature Discovery labels, with their values, from the status, the units,
 * groups and devices, and the kernel log's fault counts. The command
 * renders them (the text exposition format, a features.d file, JSON).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

/* The kinds of the units (hardware ones only if @hw), in the order they
 * first come, and how many units of each; returns how many kinds. */
static size_t unit_kinds(struct iommuctl_ctx *ctx, bool hw,
			 enum iommuctl_iommu_kind kinds[],
			 unsigned int counts[])
{
	struct iommuctl_iommu *it;
	size_t n = 0, i;

	iommuctl_iommu_foreach(ctx, it) {
		enum iommuctl_iommu_kind k = iommuctl_iommu_get_kind(it);

		if (hw && !iommuctl_iommu_is_hardware(it))
			continue;
		for (i = 0; i < n && kinds[i] != k; i++)
			;
		if (i == n) {
			kinds[n] = k;
			counts[n++] = 0;
		}
		counts[i]++;
	}
	return n;
}

static unsigned int viable_groups(struct iommuctl_ctx *ctx)
{
	struct iommuctl_group *g;
	unsigned int viable = 0;

	iommuctl_group_foreach(ctx, g)
		if (iommuctl_group_is_viable(g, NULL))
			viable++;
	return viable;
}

/* ---- metrics ------------------------------------------------------------ */

/* the metrics so far; the first error stops the rest */
struct metrics {
	struct iommuctl_metric *m;
	size_t n;
	int err;
};

/* A new (gauge) metric, which the samples that follow go to */
static void metric(struct metrics *l, const char *name, const char *help)
{
	struct iommuctl_metric *m;

	if (l->err)
		return;
	m = realloc(l->m, (l->n + 1) * sizeof(*m));
	if (!m) {
		l->err = -ENOMEM;
		return;
	}
	l->m = m;
	l->m[l->n++] = (struct iommuctl_metric){ .name = name,
						 .type = "gauge",
						 .help = help };
}

/* A sample of the last metric: @value, with the label @label=@lvalue
 * (none if @label is NULL); returns its copy of @lvalue */
static char *sample(struct metrics *l, const char *label, const char *lvalue,
		    int64_t value)
{
	struct iommuctl_metric *m = l->err ? NULL : &l->m[l->n - 1];
	struct iommuctl_metric_sample *s;

	if (!m)
		return NULL;
	s = realloc(m->samples, (m->n + 1) * sizeof(*s));
	if (!s) {
		l->err = -ENOMEM;
		return NULL;
	}
	m->samples = s;
	s[m->n] = (struct iommuctl_metric_sample){ .label = label,
						   .value = value };
	if (label && !(s[m->n].label_value = strdup(lvalue))) {
		l->err = -ENOMEM;
		return NULL;
	}
	return s[m->n++].label_value;
}

static void gauge1(struct metrics *l, const char *name, const char *help,
		   int64_t value)
{
	metric(l, name, help);
	sample(l, NULL, NULL, value);
}

IOMMUCTL_EXPORT int iommuctl_metrics(struct iommuctl_ctx *ctx,
				     struct iommuctl_status *st,
				     const struct iommuctl_fault_counts *fc,
				     struct iommuctl_metric **out, size_t *n)
{
	static const char *const fault_kinds[] = {
		"intel-vtd",
		"amd-vi",
		"arm-smmu-v3",
	};
	enum iommuctl_iommu_kind kinds[IOMMUCTL_IOMMU_MOCK + 1];
	unsigned int counts[IOMMUCTL_IOMMU_MOCK + 1], ncdev, vfio = 0, nt;
	const unsigned int *tcounts;
	const char *const *types;
	struct metrics l = { 0 };
	struct iommuctl_msi_state msi;
	struct iommuctl_device *d;
	size_t i, nk;
	bool cdev, grp;
	char *p;

	*out = NULL;
	*n = 0;
	metric(&l, "iommuctl_status_verdict",
	       "1 for the verdict of 'iommuctl status': active, no-groups, disabled or none");
	sample(&l, "verdict",
	       iommuctl_verdict_name(iommuctl_status_get_verdict(st)), 1);

	/* units by kind (the selftest mock is a kind too) */
	nk = unit_kinds(ctx, false, kinds, counts);
	metric(&l, "iommuctl_iommu_units",
	       "IOMMU units the kernel registered (/sys/class/iommu), by kind");
	for (i = 0; i < nk; i++)
		sample(&l, "kind", iommuctl_iommu_kind_name(kinds[i]),
		       counts[i]);

	/* label values are lower-case: "DMA-FQ" -> "dma-fq" */
	metric(&l, "iommuctl_groups",
	       "IOMMU groups, by default domain type (lower-case)");
	iommuctl_status_get_domain_types(st, &nt, &types, &tcounts);
	for (i = 0; i < nt; i++)
		for (p = sample(&l, "domain_type",
				types[i] ? types[i] : "unknown", tcounts[i]);
		     p && *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	gauge1(&l, "iommuctl_groups_viable",
	       "IOMMU groups that can be handed to a VM as they are (every device on vfio-pci or no driver)",
	       viable_groups(ctx));
	iommuctl_device_foreach(ctx, d)
	{
		const char *drv = iommuctl_device_get_driver(d);

		if (drv && !strcmp(drv, "vfio-pci"))
			vfio++;
	}
	gauge1(&l, "iommuctl_vfio_pci_devices", "devices bound to vfio-pci",
	       vfio);

	iommuctl_msi_state(ctx, &msi);
	metric(&l, "iommuctl_interrupt_remapping",
	       "1 for the state of x86 interrupt remapping: enabled, disabled or unknown");
	sample(&l, "state", iommuctl_irq_remap_name(msi.remapping), 1);
	if (msi.isolated >= 0)
		gauge1(&l, "iommuctl_msi_isolated",
		       "1 if MSIs of assigned devices are isolated (interrupt remapping, or a GIC ITS)",
		       msi.isolated);

	gauge1(&l, "iommuctl_iommufd_present",
	       "1 if /dev/iommu (iommufd) exists",
	       iommuctl_status_get_iommufd(st)->present);
	iommuctl_status_get_vfio(st, &cdev, &grp, &ncdev);
	gauge1(&l, "iommuctl_vfio_cdev_supported",
	       "1 if the kernel supports VFIO device cdevs (a vfio-dev character major in /proc/devices)",
	       cdev);
	gauge1(&l, "iommuctl_vfio_cdevs",
	       "VFIO device cdevs in /dev/vfio/devices", ncdev);
	gauge1(&l, "iommuctl_vfio_group_interface",
	       "1 if the legacy VFIO group interface (/dev/vfio/vfio) exists",
	       grp);

	gauge1(&l, "iommuctl_kernel_log_read",
	       "1 if the kernel log could be read for the fault counts (live: /dev/kmsg, needs root or kernel.dmesg_restrict=0)",
	       fc->log_errno == 0);
	if (fc->log_errno == 0) {
		const unsigned int v[] = { fc->intel_vtd, fc->amd_vi,
					   fc->arm_smmu_v3 };

		metric(&l, "iommuctl_faults_logged",
		       "IOMMU fault lines the kernel log holds since boot, by driver (rate-limited and bounded by the log: a lower bound)");
		for (i = 0; i < sizeof(fault_kinds) / sizeof(fault_kinds[0]);
		     i++)
			sample(&l, "kind", fault_kinds[i], v[i]);
	}
	if (l.err) {
		iommuctl_metrics_free(l.m, l.n);
		return l.err;
	}
	*out = l.m;
	*n = l.n;
	return 0;
}

IOMMUCTL_EXPORT void iommuctl_metrics_free(struct iommuctl_metric *m, size_t n)
{
	size_t i, k;

	for (i = 0; m && i < n; i++) {
		for (k = 0; k < m[i].n; k++)
			free(m[i].samples[k].label_value);
		free(m[i].samples);
	}
	free(m);
}

/* ---- Node Feature Discovery labels -------------------------------------- */

IOMMUCTL_EXPORT bool iommuctl_nfd_label_ok(const char *s, bool ns)
{
	size_t i, n = s ? strlen(s) : 0;

	if (!n || n > (ns ? 253 : 63))
		return false;
	for (i = 0; i < n; i++) {
		char ch = s[i];
		bool an = (ch >= 'a' && ch <= 'z') ||
			  (ch >= '0' && ch <= '9') ||
			  (!ns && ch >= 'A' && ch <= 'Z');

		if (!an && ((i == 0 || i == n - 1) ||
			    !(ch == '-' || ch == '.' || (!ns && ch == '_'))))
			return false;
	}
	return true;
}

IOMMUCTL_EXPORT const char *
iommuctl_nfd_readiness_device(struct iommuctl_ctx *ctx)
{
	struct iommuctl_device *d;

	iommuctl_device_foreach(ctx, d)
	{
		const char *u = iommuctl_device_get_iommu(d);
		struct iommuctl_iommu *it =
			u ? iommuctl_iommu_get_by_name(ctx, u) : NULL;

		if (iommuctl_device_get_vfio_cdev(d) && it &&
		    iommuctl_iommu_is_hardware(it))
			return iommuctl_device_get_name(d);
	}
	return NULL;
}

/* the labels so far; the first error stops the rest */
struct labels {
	struct iommuctl_nfd_label *l;
	size_t n;
	int err;
};

/* Adds @name=@value, taking @value (allocated; NULL: out of memory) */
static void label(struct labels *l, const char *name, char *value)
{
	struct iommuctl_nfd_label *a =
		l->err || !value ? NULL :
				   realloc(l->l, (l->n + 1) * sizeof(*a));

	if (!a) {
		l->err = -ENOMEM;
		free(value);
		return;
	}
	l->l = a;
	l->l[l->n++] = (struct iommuctl_nfd_label){ name, value };
}

static void label_bool(struct labels *l, const char *name, bool v)
{
	label(l, name, strdup(v ? "true" : "false"));
}

IOMMUCTL_EXPORT int iommuctl_nfd_labels(struct iommuctl_ctx *ctx,
					struct iommuctl_status *st,
					struct iommuctl_nfd_label **out,
					size_t *n)
{
	enum iommuctl_iommu_kind kinds[IOMMUCTL_IOMMU_MOCK + 1];
	unsigned int counts[IOMMUCTL_IOMMU_MOCK + 1], ncdev;
	struct iommuctl_msi_state msi;
	struct labels l = { 0 };
	char kind[256] = "", *num;
	size_t i, nk, len = 0;
	bool cdev, grp;

	*out = NULL;
	*n = 0;
	label_bool(&l, "iommu-present",
		   iommuctl_status_get_verdict(st) == IOMMUCTL_VERDICT_ACTIVE);
	/* the kinds of the hardware units, in order, each once */
	nk = unit_kinds(ctx, true, kinds, counts);
	for (i = 0; i < nk && len < sizeof(kind); i++)
		len += (size_t)snprintf(kind + len, sizeof(kind) - len, "%s%s",
					i ? "_" : "",
					iommuctl_iommu_kind_name(kinds[i]));
	if (iommuctl_nfd_label_ok(kind, false))
		label(&l, "iommu-kind", strdup(kind));
	label_bool(&l, "iommu-iommufd",
		   iommuctl_status_get_iommufd(st)->present);
	iommuctl_status_get_vfio(st, &cdev, &grp, &ncdev);
	label_bool(&l, "iommu-vfio-cdev", cdev);
	iommuctl_msi_state(ctx, &msi);
	if (msi.remapping != IOMMUCTL_IR_UNKNOWN)
		label_bool(&l, "iommu-interrupt-remapping",
			   msi.remapping == IOMMUCTL_IR_ENABLED);
	if (msi.isolated >= 0)
		label_bool(&l, "iommu-msi-isolated", msi.isolated);
	if (asprintf(&num, "%u", viable_groups(ctx)) < 0)
		num = NULL;
	label(&l, "iommu-viable-groups", num);
	if (l.err) {
		iommuctl_nfd_labels_free(l.l, l.n);
		return l.err;
	}
	*out = l.l;
	*n = l.n;
	return 0;
}

IOMMUCTL_EXPORT void iommuctl_nfd_labels_free(struct iommuctl_nfd_label *l,
					      size_t n)
{
	size_t i;

	for (i = 0; l && i < n; i++)
		free(l[i].value);
	free(l);
}

/* ---- writing the file ---------------------------------------------------- */

IOMMUCTL_EXPORT int iommuctl_export_write(struct iommuctl_ctx *ctx,
					  const char *path, const void *data,
					  size_t len)
{
	const char *slash = strrchr(path, '/');
	char *tmp = NULL;
	size_t done = 0;
	int fd, rc = 0;

	ctx_error_set(ctx, NULL, NULL);
	/* a dot-file in the same directory: the textfile collector reads
	 * *.prom, NFD skips dot-files, and rename() stays on one file system */
	if (asprintf(&tmp, "%.*s.%s.XXXXXX",
		     slash ? (int)(slash - path + 1) : 0, path,
		     slash ? slash + 1 : path) < 0)
		return -ENOMEM;
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = -errno;
		ctx_error_fmt(
			ctx, ctx,
			"cannot create a temporary file in %.*s (written there, then renamed: the directory must exist and be writable): %s",
			slash ? (int)(slash - path + 1) : 2,
			slash ? path : "./", strerror(-rc));
		free(tmp);
		return rc;
	}
	while (done < len) {
		ssize_t n = write(fd, (const char *)data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = -(n < 0 ? errno : EIO);
			break;
		}
		done += (size_t)n;
	}
	/* mkstemp() makes it 0600; the collector may run as another user */
	if (!rc && fchmod(fd, 0644) < 0)
		rc = -errno;
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0) {
		unlink(tmp);
		ctx_error_fmt(ctx, ctx, "cannot write it: %s", strerror(-rc));
	}
	free(tmp);
	return rc;
}
