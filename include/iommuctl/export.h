/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/*
 * <iommuctl/export.h>: the IOMMU setup for fleet tools, as typed lists a
 * caller renders: Prometheus metrics (node_exporter's textfile collector)
 * and Kubernetes Node Feature Discovery labels. Part of libiommuctl;
 * <iommuctl/libiommuctl.h> includes every part.
 */
#ifndef IOMMUCTL_EXPORT_H
#define IOMMUCTL_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <iommuctl/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct iommuctl_metric_sample - one sample of a metric
 * @label: the name of its one label, or NULL for a sample without labels
 * @label_value: the label's value (allocated), when @label is set
 * @value: the sample's value
 */
struct iommuctl_metric_sample {
	const char *label;
	char *label_value;
	int64_t value;
};

/**
 * struct iommuctl_metric - one metric and its samples (possibly none)
 * @name: "iommuctl_groups", ...
 * @type: the Prometheus type ("gauge")
 * @help: one line saying what it counts
 * @samples: @n samples, in order
 */
struct iommuctl_metric {
	const char *name, *type, *help;
	struct iommuctl_metric_sample *samples;
	size_t n;
};

/**
 * iommuctl_metrics() - the IOMMU setup as Prometheus metrics
 * @ctx: context
 * @st: the system's status (iommuctl_status_new())
 * @fc: the kernel log's fault counts (iommuctl_fault_log_count())
 * @out: (out) the metrics, in order: the status verdict, the units by
 *	kind, the groups by (lower-case) default domain type, viable groups,
 *	devices on vfio-pci, interrupt remapping, MSI isolation (when known),
 *	iommufd, VFIO cdevs and group interface, whether the kernel log was
 *	read and, when it was, the fault lines by driver;
 *	iommuctl_metrics_free() frees them
 * @n: (out) how many
 *
 * Return: 0 or -ENOMEM.
 */
int iommuctl_metrics(struct iommuctl_ctx *ctx, struct iommuctl_status *st,
		     const struct iommuctl_fault_counts *fc,
		     struct iommuctl_metric **out, size_t *n);
/** iommuctl_metrics_free() - free what iommuctl_metrics() gave. */
void iommuctl_metrics_free(struct iommuctl_metric *m, size_t n);

/**
 * struct iommuctl_nfd_label - one Node Feature Discovery label
 * @name: its name without the namespace ("iommu-present", ...)
 * @value: its value (allocated): "true", "false", a kind, a number
 */
struct iommuctl_nfd_label {
	const char *name;
	char *value;
};

/**
 * iommuctl_nfd_labels() - the IOMMU setup as NFD labels
 * @ctx: context
 * @st: the system's status (iommuctl_status_new())
 * @out: (out) in order iommu-present, iommu-kind (the hardware units'
 *	kinds, each once, joined by '_'; left out when there is none or the
 *	result is no valid label value), iommu-iommufd, iommu-vfio-cdev,
 *	iommu-interrupt-remapping (when known), iommu-msi-isolated (when
 *	known) and iommu-viable-groups; iommuctl_nfd_labels_free() frees them
 * @n: (out) how many
 *
 * Return: 0 or -ENOMEM.
 */
int iommuctl_nfd_labels(struct iommuctl_ctx *ctx, struct iommuctl_status *st,
			struct iommuctl_nfd_label **out, size_t *n);
/** iommuctl_nfd_labels_free() - free what iommuctl_nfd_labels() gave. */
void iommuctl_nfd_labels_free(struct iommuctl_nfd_label *l, size_t n);

/**
 * iommuctl_nfd_label_ok() - whether @s is a valid label name or namespace
 * @s: the text
 * @ns: true for a namespace (a DNS subdomain: lower-case letters, digits,
 *	'-' and '.', 253 at most), false for a name or value (letters,
 *	digits, '-', '_' and '.', 63 at most)
 *
 * Either begins and ends with a letter or digit (Kubernetes' rule, which
 * NFD applies).
 */
bool iommuctl_nfd_label_ok(const char *s, bool ns);

/**
 * iommuctl_nfd_readiness_device() - the device to ask the readiness
 * questions with: the first on vfio-pci (with a VFIO cdev) behind a
 * hardware IOMMU
 *
 * Return: its name (valid until the devices are read again), or NULL.
 */
const char *iommuctl_nfd_readiness_device(struct iommuctl_ctx *ctx);

/**
 * iommuctl_export_write() - replace a file atomically, as node_exporter's
 * textfile collector and NFD's features.d need
 * @ctx: context (its error slot says why it failed)
 * @path: the file; the caller's path, not one inside the context's root
 * @data: the new contents
 * @len: their size
 *
 * Written to a dot-file beside @path (the textfile collector reads *.prom
 * only, NFD skips dot-files, and rename() stays on one file system), made
 * 0644, synced, then renamed over @path; no reader sees half a file.
 *
 * Return: 0, or -errno with iommuctl_get_error() saying why (a temporary
 * file could not be made, or it could not be written); -ENOMEM alone
 * leaves no sentence.
 */
int iommuctl_export_write(struct iommuctl_ctx *ctx, const char *path,
			  const void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif
