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

#include "builtin.h"

#ifndef IOMMUCTL_VERSION
#define IOMMUCTL_VERSION "unknown"
#endif

/* ---- writing a file atomically (metrics, nfd) ---------------------------- */

int write_file_atomic(struct cmdctx *c, const char *path, const char *data,
		      size_t len)
{
	int rc = iommuctl_export_write(c->ctx, path, data, len);
	const char *why = rc < 0 ? iommuctl_get_error(c->ctx) : NULL;

	if (rc < 0 && !why)
		return cmd_fail(c, EXIT_FAILED, -rc, "writing %s", path);
	if (rc < 0)
		return cmd_fail_on(c, path, EXIT_FAILED, rc, "%s", why);
	return 0;
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

static int metrics_build(struct cmdctx *c, struct json_object *all)
{
	struct iommuctl_status *st;
	struct iommuctl_fault_counts fc;
	struct iommuctl_metric *m = NULL;
	struct json_object *o;
	size_t n = 0, i, k;
	int rc = iommuctl_status_new(c->ctx, &st);

	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, rc, "reading the system state");
	rc = iommuctl_fault_log_count(c->ctx, &fc);
	if (rc < 0) {
		iommuctl_status_free(st);
		return cmd_fail(c, EXIT_FAILED, rc, "reading the kernel log");
	}
	rc = iommuctl_metrics(c->ctx, st, &fc, &m, &n);
	iommuctl_status_free(st);
	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, rc, "reading the system state");
	sample(metric(all, "iommuctl_build_info", "gauge",
		      "iommuctl's version (the value is always 1)"),
	       "version", IOMMUCTL_VERSION, 1);
	for (i = 0; i < n; i++) {
		o = metric(all, m[i].name, m[i].type, m[i].help);
		for (k = 0; k < m[i].n; k++)
			sample(o, m[i].samples[k].label,
			       m[i].samples[k].label_value,
			       m[i].samples[k].value);
	}
	iommuctl_metrics_free(m, n);
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
	  .run = metrics_run, .render = &(const struct render){ .file = exposition });
/* clang-format on */
