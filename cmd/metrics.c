// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl metrics: the IOMMU setup as Prometheus metrics, in the text
 * exposition format, for node_exporter's textfile collector (--output
 * writes the file atomically: a dot-file beside it, then rename(), so the
 * collector, which reads *.prom only, never sees half a file). Built from
 * the same library calls as status, group list and msi; -j gives the same
 * metrics as JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"

#ifndef IOMMUCTL_VERSION
#define IOMMUCTL_VERSION "unknown"
#endif

/* ---- writing a file atomically (metrics, nfd) ---------------------------- */

int write_file_atomic(struct cmdctx *c, const char *path, const char *data,
		      size_t len)
{
	const char *slash = strrchr(path, '/');
	char *tmp = NULL;
	size_t done = 0;
	int fd, rc = 0;

	/* a dot-file in the same directory: the textfile collector reads
	 * *.prom, NFD skips dot-files, and rename() stays on one file system */
	if (asprintf(&tmp, "%.*s.%s.XXXXXX",
		     slash ? (int)(slash - path + 1) : 0, path,
		     slash ? slash + 1 : path) < 0)
		return cmd_fail(c, EXIT_FAILED, ENOMEM, "writing %s", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = errno;
		rc = cmd_fail_on(
			c, path, EXIT_FAILED, rc,
			"cannot create a temporary file in %.*s (written there, then renamed: the directory must exist and be writable): %s",
			slash ? (int)(slash - path + 1) : 2,
			slash ? path : "./", strerror(rc));
		free(tmp);
		return rc;
	}
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);

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
		rc = cmd_fail_on(c, path, EXIT_FAILED, rc,
				 "cannot write it: %s", strerror(-rc));
	}
	free(tmp);
	return rc;
}

int file_or_out(struct cmdctx *c, struct json_object *j, int rc,
		const char *output,
		void (*text)(struct cmdctx *c, FILE *f, struct json_object *j))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (!rc && output) {
		f = open_memstream(&buf, &len);
		if (!f) {
			rc = cmd_fail(c, EXIT_FAILED, errno, "writing %s",
				      output);
		} else {
			text(c, f, j);
			rc = fclose(f) ? cmd_fail(c, EXIT_FAILED, ENOMEM,
						  "writing %s", output) :
					 write_file_atomic(c, output, buf, len);
			free(buf);
		}
		jadd_str(j, "output", output);
	}
	if (rc < 0) {
		json_object_put(j);
		return rc;
	}
	return cmd_out(c, j);
}

/* ---- the metrics, as JSON ------------------------------------------------ */

/* {"name", "help", "type", "samples": []}, added to @all */
static struct json_object *metric(struct json_object *all, const char *name,
				  const char *type, const char *help)
{
	struct json_object *m = json_object_new_object();

	jadd_str(m, "name", name);
	jadd_str(m, "help", help);
	jadd_str(m, "type", type);
	jadd(m, "samples", json_object_new_array());
	json_object_array_add(all, m);
	return m;
}

/* A sample of @m: @value, with the label @lname=@lvalue (none if NULL) */
static void sample(struct json_object *m, const char *lname, const char *lvalue,
		   int64_t value)
{
	struct json_object *s = json_object_new_object(),
			   *l = json_object_new_object();
	char num[24];

	if (lname)
		jadd_str(l, lname, lvalue);
	jadd(s, "labels", l);
	/* a string, as in Prometheus' own JSON (and "value" is a string in
	 * every iommuctl answer) */
	snprintf(num, sizeof(num), "%lld", (long long)value);
	jadd_str(s, "value", num);
	json_object_array_add(json_object_object_get(m, "samples"), s);
}

static void gauge1(struct json_object *all, const char *name, const char *help,
		   int64_t value)
{
	sample(metric(all, name, "gauge", help), NULL, NULL, value);
}

/* "DMA-FQ" -> "dma-fq": label values are lower-case */
static char *lower(const char *s)
{
	char *d = strdup(s ? s : "unknown"), *p;

	for (p = d; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return d;
}

static const char *const kinds[] = {
	"intel-vtd",
	"amd-vi",
	"arm-smmu-v3",
};

static int metrics_build(struct cmdctx *c, struct json_object *all)
{
	struct iommuctl_status *st;
	struct iommuctl_msi_state msi;
	struct iommuctl_fault_counts fc;
	struct iommuctl_iommu *it;
	struct iommuctl_group *g;
	struct iommuctl_device *d;
	struct json_object *m, *byk = json_object_new_object();
	const struct iommuctl_iommufd_state *fd;
	const char *const *types;
	const unsigned int *counts;
	unsigned int n, i, ncdev, viable = 0, vfio = 0;
	bool cdev, grp;
	int rc = iommuctl_status_new(c->ctx, &st);

	if (rc < 0) {
		json_object_put(byk);
		return cmd_fail(c, EXIT_FAILED, rc, "reading the system state");
	}
	sample(metric(all, "iommuctl_build_info", "gauge",
		      "iommuctl's version (the value is always 1)"),
	       "version", IOMMUCTL_VERSION, 1);

	m = metric(
		all, "iommuctl_status_verdict", "gauge",
		"1 for the verdict of 'iommuctl status': active, no-groups, disabled or none");
	sample(m, "verdict",
	       iommuctl_verdict_name(iommuctl_status_get_verdict(st)), 1);

	/* units by kind (the selftest mock is a kind too) */
	iommuctl_iommu_foreach(c->ctx, it) {
		const char *k =
			iommuctl_iommu_kind_name(iommuctl_iommu_get_kind(it));
		struct json_object *v = json_object_object_get(byk, k);

		jadd_int(byk, k, v ? json_object_get_int64(v) + 1 : 1);
	}
	m = metric(
		all, "iommuctl_iommu_units", "gauge",
		"IOMMU units the kernel registered (/sys/class/iommu), by kind");
	{
		json_object_object_foreach(byk, k, v)
			sample(m, "kind", k, json_object_get_int64(v));
	}
	json_object_put(byk);

	m = metric(all, "iommuctl_groups", "gauge",
		   "IOMMU groups, by default domain type (lower-case)");
	iommuctl_status_get_domain_types(st, &n, &types, &counts);
	for (i = 0; i < n; i++) {
		char *t = lower(types[i]);

		sample(m, "domain_type", t, counts[i]);
		free(t);
	}
	iommuctl_group_foreach(c->ctx, g)
		if (iommuctl_group_is_viable(g, NULL))
			viable++;
	gauge1(all, "iommuctl_groups_viable",
	       "IOMMU groups that can be handed to a VM as they are (every device on vfio-pci or no driver)",
	       viable);
	iommuctl_device_foreach(c->ctx, d)
	{
		const char *drv = iommuctl_device_get_driver(d);

		if (drv && !strcmp(drv, "vfio-pci"))
			vfio++;
	}
	gauge1(all, "iommuctl_vfio_pci_devices", "devices bound to vfio-pci",
	       vfio);

	iommuctl_msi_state(c->ctx, &msi);
	m = metric(
		all, "iommuctl_interrupt_remapping", "gauge",
		"1 for the state of x86 interrupt remapping: enabled, disabled or unknown");
	sample(m, "state", iommuctl_irq_remap_name(msi.remapping), 1);
	if (msi.isolated >= 0)
		gauge1(all, "iommuctl_msi_isolated",
		       "1 if MSIs of assigned devices are isolated (interrupt remapping, or a GIC ITS)",
		       msi.isolated);

	fd = iommuctl_status_get_iommufd(st);
	gauge1(all, "iommuctl_iommufd_present",
	       "1 if /dev/iommu (iommufd) exists", fd->present);
	iommuctl_status_get_vfio(st, &cdev, &grp, &ncdev);
	gauge1(all, "iommuctl_vfio_cdev_supported",
	       "1 if the kernel supports VFIO device cdevs (a vfio-dev character major in /proc/devices)",
	       cdev);
	gauge1(all, "iommuctl_vfio_cdevs",
	       "VFIO device cdevs in /dev/vfio/devices", ncdev);
	gauge1(all, "iommuctl_vfio_group_interface",
	       "1 if the legacy VFIO group interface (/dev/vfio/vfio) exists",
	       grp);
	iommuctl_status_free(st);

	rc = iommuctl_fault_log_count(c->ctx, &fc);
	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, rc, "reading the kernel log");
	gauge1(all, "iommuctl_kernel_log_read",
	       "1 if the kernel log could be read for the fault counts (live: /dev/kmsg, needs root or kernel.dmesg_restrict=0)",
	       fc.log_errno == 0);
	if (fc.log_errno == 0) {
		const unsigned int v[] = { fc.intel_vtd, fc.amd_vi,
					   fc.arm_smmu_v3 };

		m = metric(
			all, "iommuctl_faults_logged", "gauge",
			"IOMMU fault lines the kernel log holds since boot, by driver (rate-limited and bounded by the log: a lower bound)");
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			sample(m, "kind", kinds[i], v[i]);
	}
	return 0;
}

/* ---- the text exposition format ---------------------------------------- */

/* HELP text escapes \ and newline; label values also " */
static void escaped(FILE *f, const char *s, bool quote)
{
	for (; s && *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (quote && *s == '"')
			fputs("\\\"", f);
		else
			fputc(*s, f);
	}
}

static void exposition(struct cmdctx *c, FILE *f, struct json_object *j)
{
	struct json_object *all = jget(c, j, "metrics");
	size_t i, k;

	for (i = 0; all && i < json_object_array_length(all); i++) {
		struct json_object *m = json_object_array_get_idx(all, i),
				   *s = jget(c, m, "samples");
		const char *name = jstr(c, m, "name");

		fprintf(f, "# HELP %s ", name);
		escaped(f, jstr(c, m, "help"), false);
		fprintf(f, "\n# TYPE %s %s\n", name, jstr(c, m, "type"));
		for (k = 0; s && k < json_object_array_length(s); k++) {
			struct json_object *e = json_object_array_get_idx(s, k),
					   *l = jget(c, e, "labels");
			const char *sep = "{";

			fputs(name, f);
			if (l) {
				json_object_object_foreach(l, ln, lv) {
					fprintf(f, "%s%s=\"", sep, ln);
					escaped(f, json_object_get_string(lv),
						true);
					fputc('"', f);
					sep = ",";
				}
			}
			fprintf(f, "%s %s\n", strcmp(sep, ",") ? "" : "}",
				jstr(c, e, "value"));
		}
	}
}

struct metrics_args {
	const char *output;
};

static const struct opt metrics_opts[] = {
	OPT_STR("output", 'o', "FILE", struct metrics_args, output,
		"write FILE atomically (a temporary dot-file beside it, then rename) instead of standard output"),
	OPT_END,
};

static int metrics_run(struct cmdctx *c, void *args)
{
	const struct metrics_args *a = args;
	struct json_object *j = json_object_new_object(),
			   *all = json_object_new_array();

	jadd(j, "metrics", all);
	return file_or_out(c, j, metrics_build(c, all), a->output, exposition);
}

/* the exposition, or nothing once it went to --output */
static void metrics_text(struct cmdctx *c, struct json_object *j)
{
	if (!jopt(j, "output"))
		exposition(c, stdout, j);
}

/* clang-format off */
ONE_VERB_OBJECT(obj_metrics, "metrics", "the IOMMU setup as Prometheus metrics",
	  .name = "show",
	  .summary = "the IOMMU setup as Prometheus metrics (node_exporter textfile collector)",
	  .synopsis = "[--output FILE]",
	  .description =
		  "Print the IOMMU setup as Prometheus metrics in the text exposition\n"
		  "format: iommuctl_build_info{version}, iommuctl_status_verdict{verdict},\n"
		  "iommuctl_iommu_units{kind}, iommuctl_groups{domain_type},\n"
		  "iommuctl_groups_viable, iommuctl_vfio_pci_devices,\n"
		  "iommuctl_interrupt_remapping{state}, iommuctl_msi_isolated,\n"
		  "iommuctl_iommufd_present, iommuctl_vfio_cdev_supported,\n"
		  "iommuctl_vfio_cdevs, iommuctl_vfio_group_interface,\n"
		  "iommuctl_kernel_log_read and iommuctl_faults_logged{kind} (the\n"
		  "VT-d, AMD-Vi and SMMUv3 fault lines the kernel log still holds).\n"
		  "With --output FILE the file is replaced atomically, for node_exporter's\n"
		  "textfile collector (--collector.textfile.directory): run it from cron\n"
		  "or a systemd timer. Works offline with --root (the fault counts from a\n"
		  "bundle's report/kernel-log.txt). -j gives the same metrics as JSON.",
	  .opts = metrics_opts, .args_size = sizeof(struct metrics_args),
	  .run = metrics_run, .render = &(const struct render){ .text = metrics_text });
/* clang-format on */
