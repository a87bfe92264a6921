// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl status: is there an IOMMU, and is it ready for assignment? */
#include <errno.h>
#include <string.h>

#include "builtin.h"

static struct json_object *iommufd_json(struct cmdctx *c,
					const struct iommuctl_iommufd_state *fd)
{
	struct json_object *o = json_object_new_object();

	jadd_bool(o, "present", fd->present);
	if (!fd->present || iommuctl_is_offline(c->ctx))
		return o;
	jadd_bool(o, "accessible", fd->open_errno == 0);
	if (fd->open_errno)
		jadd_str(o, "error", strerror(fd->open_errno));
	jadd_bool(o, "answers", fd->answers);
	jadd_bool(o, "selftest", fd->selftest);
	return o;
}

/* arm64 KVM: its mode, and who may own the IOMMUs; NULL when nothing
 * speaks of arm64 KVM (x86, or an arm64 tree without the log) */
static struct json_object *kvm_json(struct cmdctx *c,
				    const struct iommuctl_kvm_state *k)
{
	struct json_object *o, *a;
	struct iommuctl_iommu *it;

	if (!k->arm64)
		return NULL;
	o = json_object_new_object();
	jadd_str(o, "mode", iommuctl_kvm_mode_name(k->log.mode));
	if (k->log.hyp[0])
		jadd_str(o, "hyp", k->log.hyp);
	if (k->log.line[0])
		jadd_str(o, "evidence", k->log.line);
	if (k->requested[0])
		jadd_str(o, "requested", k->requested);
	if (k->log.el)
		jadd_int(o, "started_at_el", k->log.el);
	if (k->log.refused[0])
		jadd_str(o, "refused", k->log.refused);
	jadd_bool(o, "log_read", k->log_errno == 0);
	if (k->log_errno)
		jadd_str(o, "log_error", strerror(k->log_errno));
	jadd_bool(o, "dev_kvm", k->dev_kvm);
	jadd_bool(o, "hypervisor_may_own_iommus",
		  k->log.mode == IOMMUCTL_KVM_PROTECTED);
	a = json_object_new_array();
	iommuctl_iommu_foreach(c->ctx, it)
		if (iommuctl_iommu_is_hardware(it))
			json_object_array_add(
				a, json_object_new_string(
					   iommuctl_iommu_get_name(it)));
	jadd(o, "host_iommus", a);
	jadd_bool(o, "pkvm_iommu_driver", k->pkvm_iommu_driver);
	return o;
}

/* The one emitter for status; the text is rendered from it. */
static struct json_object *status_to_json(struct cmdctx *c,
					  struct iommuctl_status *st)
{
	static const char *const params[] = {
		"iommufd.allow_unsafe_interrupts",
		"vfio_iommu_type1.allow_unsafe_interrupts",
		"vfio.enable_unsafe_noiommu_mode",
	};
	struct json_object *j = json_object_new_object(), *a, *o;
	enum iommuctl_debugfs_state dbg = iommuctl_status_get_debugfs(st);
	const char *const *v;
	const unsigned int *counts;
	struct iommuctl_iommu *it;
	struct iommuctl_finding *f;
	unsigned int n, i, ncdev;
	bool cdev, group;

	if (iommuctl_is_offline(c->ctx))
		jadd_str(j, "root", iommuctl_get_root(c->ctx));
	jadd_str(j, "verdict",
		 iommuctl_verdict_name(iommuctl_status_get_verdict(st)));
	jadd_str(j, "kernel", iommuctl_status_get_kernel(st));
	a = json_object_new_array();
	iommuctl_iommu_foreach(c->ctx, it)
		json_object_array_add(a, iommu_to_json(c->ctx, it, false));
	jadd(j, "iommus", a);
	jadd_int(j, "group_count",
		 iommuctl_status_get_num_groups(st) > 0 ?
			 iommuctl_status_get_num_groups(st) :
			 0);
	iommuctl_status_get_domain_types(st, &n, &v, &counts);
	o = json_object_new_object();
	for (i = 0; i < n; i++)
		jadd_int(o, v[i], counts[i]);
	jadd(j, "default_domains", o);
	jadd(j, "iommufd", iommufd_json(c, iommuctl_status_get_iommufd(st)));

	iommuctl_status_get_vfio(st, &cdev, &group, &ncdev);
	o = json_object_new_object();
	jadd_bool(o, "cdev", cdev);
	jadd_bool(o, "group_interface", group);
	jadd_int(o, "cdevs", ncdev);
	jadd(j, "vfio", o);

	o = json_object_new_object();
	jadd_str(o, "state", iommuctl_debugfs_state_name(dbg));
	v = iommuctl_status_get_debugfs_drivers(st, &n);
	if (dbg == IOMMUCTL_DEBUGFS_AVAILABLE)
		jadd(o, "drivers", json_strv(v, n));
	jadd(j, "debugfs", o);

	v = iommuctl_status_get_cmdline(st, &n);
	jadd(j, "cmdline", json_strv(v, n));
	o = kvm_json(c, iommuctl_status_get_kvm(st));
	if (o)
		jadd(j, "kvm", o);
	v = iommuctl_status_get_firmware_tables(st, &n);
	jadd(j, "firmware_tables", json_strv(v, n));
	o = json_object_new_object();
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		jadd_str(o, params[i],
			 iommuctl_status_get_param(st, params[i]));
	jadd(j, "parameters", o);

	a = json_object_new_array();
	iommuctl_finding_foreach(st, f)
		finding_add(iommuctl_finding_get_severity(f),
			    iommuctl_finding_get_code(f),
			    iommuctl_finding_get_message(f), a);
	jadd(j, "findings", a);
	return j;
}

struct status_args {
	bool check;
};

static const struct opt status_opts[] = {
	OPT_BOOL(
		"check", 0, struct status_args, check,
		"also compare each group with what the PCI topology and ACS predict (reads every device)"),
	OPT_END,
};

static int status_run(struct cmdctx *c, void *args)
{
	const struct status_args *a = args;
	struct iommuctl_status *st;
	int rc = iommuctl_status_new(c->ctx, &st);

	if (rc == 0 && a->check) {
		rc = iommuctl_status_check_groups(st);
		if (rc < 0)
			iommuctl_status_free(st);
	}
	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, rc, "reading the system state");
	cmd_out(c, status_to_json(c, st));
	iommuctl_status_free(st);
	return 0;
}

/* A finding of status, resv or msi (an iommuctl_finding_fn) added to the
 * array @findings as status has them. */
int finding_add(enum iommuctl_severity sev, const char *code,
		const char *message, void *findings)
{
	struct json_object *w = json_object_new_object();

	jadd_str(w, "severity", iommuctl_severity_name(sev));
	jadd_str(w, "code", code);
	jadd_str(w, "message", message);
	json_object_array_add(findings, w);
	return 0;
}

/* "severity: message [code]" for status findings and resv/msi warnings,
 * wrapped to the terminal under the message's first word */
void print_findings(struct cmdctx *c, struct json_object *a)
{
	size_t i;

	for (i = 0; a && i < json_object_array_length(a); i++) {
		struct json_object *f = json_object_array_get_idx(a, i);
		const char *sev = jstr(c, f, "severity");
		char *text = NULL;
		int col;

		printf("%s%s%s: ", color_on(c, sev), sev, color_off(c));
		col = (int)strlen(sev) + 2;
		if (asprintf(&text, "%s [%s]", jstr(c, f, "message"),
			     jstr(c, f, "code")) < 0)
			text = NULL;
		wrap_text(stdout, text ? text : "?", col, col, false);
		putchar('\n');
		free(text);
	}
}

/* The strings of @a separated by @sep, from column @col, wrapped under
 * the values' column (15); how many. */
static size_t print_list(struct json_object *a, const char *sep, int col)
{
	size_t i, n = a ? json_object_array_length(a) : 0, len = 0;
	char *s = NULL;
	FILE *m = open_memstream(&s, &len);

	for (i = 0; m && i < n; i++)
		fprintf(m, "%s%s", i ? sep : "",
			json_object_get_string(
				json_object_array_get_idx(a, i)));
	if (m && !fclose(m))
		wrap_text(stdout, s, col, 15, false);
	free(s);
	return n;
}

/* clang-format off */
static const struct column iommu_cols[] = {
	{ "NAME", "name", 0 },	       { "KIND", "kind", 0 },
	{ "DRIVER", "driver", 0 },     { "DEVICES", "num_devices", COL_RIGHT },
	{ NULL, NULL, 0 },
};
/* clang-format on */

static void print_iommu(struct cmdctx *c, struct json_object *j)
{
	struct json_object *units = jget(c, j, "iommus");
	const char *verdict = jstr(c, j, "verdict");
	size_t i, n = units ? json_object_array_length(units) : 0, hw = 0;

	for (i = 0; i < n; i++) {
		struct json_object *u = json_object_array_get_idx(units, i);

		iommu_add_count(u);
		hw += json_object_get_boolean(jget(c, u, "hardware"));
	}
	if (jopt(j, "root"))
		kv_line(stdout, 15, "Root", "%s (offline)", jstr(c, j, "root"));
	printf("IOMMU:         %s",
	       !strcmp(verdict, "active") ? color_on(c, "good") :
	       !strcmp(verdict, "none")	  ? "" :
					    color_on(c, "warning"));
	if (!strcmp(verdict, "active"))
		printf("active, %zu hardware unit%s", hw, hw == 1 ? "" : "s");
	else if (!strcmp(verdict, "no-groups"))
		printf("registered but not translating (no IOMMU groups)");
	else if (!strcmp(verdict, "disabled"))
		printf("present but disabled");
	else
		printf("none: this system has no IOMMU hardware");
	printf("%s\n", color_off(c));
	if (jopt(j, "kernel"))
		printf("Kernel:        %s\n", jstr(c, j, "kernel"));
	printf("Units:         %zu\n", n);
	if (n)
		table_print(stdout, units, iommu_cols, "  ");
}

static void print_devices(struct cmdctx *c, struct json_object *j)
{
	struct json_object *o = jget(c, j, "iommufd");

	printf("/dev/iommu:    ");
	if (!json_object_get_boolean(jget(c, o, "present")))
		printf("absent\n");
	else if (!jopt(o, "accessible"))
		printf("present\n");
	else if (!json_object_get_boolean(jget(c, o, "accessible")))
		printf("present, cannot open: %s\n", jstr(c, o, "error"));
	else
		printf("present, %s%s\n",
		       json_object_get_boolean(jget(c, o, "answers")) ?
			       "answers" :
			       "does not answer iommufd ioctls",
		       json_object_get_boolean(jget(c, o, "selftest")) ?
			       " (selftest mock available)" :
			       "");
	o = jget(c, j, "vfio");
	printf("VFIO cdev:     %s (%s device cdevs), legacy group interface %s\n",
	       json_object_get_boolean(jget(c, o, "cdev")) ? "supported" :
							     "not supported",
	       jstr(c, o, "cdevs"),
	       json_object_get_boolean(jget(c, o, "group_interface")) ?
		       "present" :
		       "absent");
}

/* The KVM lines, each within 80 columns */
static void print_kvm(struct cmdctx *c, struct json_object *o, bool offline)
{
	const char *mode = jstr(c, o, "mode");
	const char *hyp = jstr_opt(o, "hyp") ?: "?";
	const char *more = NULL;
	struct json_object *ev = jopt(o, "evidence"), *el;

	printf("KVM:           ");
	if (!strcmp(mode, "protected")) {
		printf("%sprotected mode (pKVM, %s)%s", color_on(c, "warning"),
		       hyp, color_off(c));
		more = "the hypervisor may own IOMMUs the host cannot see or program";
	} else if (!strcmp(mode, "vhe")) {
		printf("VHE mode (the host kernel is the hypervisor, at EL2)");
	} else if (!strcmp(mode, "nvhe") || !strcmp(mode, "hvhe")) {
		printf("%s mode (hypervisor at EL2, the host kernel it trusts at EL1)",
		       hyp);
	} else if (!strcmp(mode, "not-started")) {
		el = jopt(o, "started_at_el");
		printf("not started");
		if (el && json_object_get_int(el) == 1)
			more = "the CPUs started at EL1: no EL2 to run a hypervisor";
	} else if (!strcmp(mode, "disabled")) {
		printf("disabled on the kernel command line");
	} else if (!json_object_get_boolean(jget(c, o, "log_read")) &&
		   offline) {
		printf("mode unknown: this tree holds no kernel log");
		more = "(a bundle of iommuctl report has report/kernel-log.txt)";
	} else if (!json_object_get_boolean(jget(c, o, "log_read"))) {
		printf("mode unknown: the kernel log cannot be read");
		more = jstr(c, o, "log_error");
	} else {
		printf("mode unknown: the kernel log lost KVM's init line");
		if (json_object_get_boolean(jget(c, o, "dev_kvm")))
			more = "/dev/kvm exists: KVM started";
	}
	printf("\n");
	if (more)
		printf("               %s\n", more);
	if (ev)
		printf("               kernel log: %s\n",
		       json_object_get_string(ev));
	if (jopt(o, "requested"))
		printf("               asked for: kvm-arm.mode=%s\n",
		       jstr(c, o, "requested"));
	if (!strcmp(mode, "protected"))
		printf("pKVM IOMMU:    %s\n",
		       json_object_get_boolean(
			       jget(c, o, "pkvm_iommu_driver")) ?
			       "driver present (" IOMMUCTL_PKVM_SMMUV3_DRIVER
			       ")" :
			       "none (" IOMMUCTL_PKVM_SMMUV3_DRIVER
			       "): the host programs its IOMMUs itself");
}

static void status_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *o, *a;
	const char *sep = " (default domain ";
	int col;

	print_iommu(c, j);
	printf("Groups:        %s", jstr(c, j, "group_count"));
	o = jget(c, j, "default_domains");
	if (o) {
		json_object_object_foreach(o, type, cnt) {
			printf("%s%s: %s", sep, type,
			       json_object_get_string(cnt));
			sep = ", ";
		}
	}
	printf("%s\n", strcmp(sep, ", ") ? "" : ")");
	print_devices(c, j);
	o = jget(c, j, "debugfs");
	col = printf("IOMMU debugfs: %s", jstr(c, o, "state"));
	a = jopt(o, "drivers");
	if (a && json_object_array_length(a)) {
		printf(" (");
		print_list(a, ", ", col + 2);
		printf(")");
	}
	printf("\nCommand line:  ");
	if (!print_list(jget(c, j, "cmdline"), " ", 15))
		printf("-");
	printf("\nACPI tables:   ");
	if (!print_list(jget(c, j, "firmware_tables"), " ", 15))
		printf("-");
	printf("\n");
	o = jopt(j, "kvm");
	if (o)
		print_kvm(c, o, jopt(j, "root") != NULL);
	o = jget(c, j, "parameters");
	if (o && json_object_object_length(o)) {
		struct json_object *words = json_object_new_array();

		printf("Parameters:    ");
		{
			json_object_object_foreach(o, k, val) {
				char *w = NULL;

				if (asprintf(&w, "%s=%s", k,
					     json_object_get_string(val)) >= 0)
					json_object_array_add(
						words,
						json_object_new_string(w));
				free(w);
			}
		}
		print_list(words, " ", 15);
		json_object_put(words);
		printf("\n");
	}
	print_findings(c, jget(c, j, "findings"));
}

/* clang-format off */
ONE_VERB_OBJECT(obj_status, "status", "summarise the IOMMU setup of this system",
	  .name = "show", .summary = "summarise the IOMMU setup of this system",
	  .description =
		  "Summarise the IOMMU setup: units and their drivers, IOMMU groups and\n"
		  "their default domain types, /dev/iommu, VFIO cdev support, IOMMU\n"
		  "debugfs, IOMMU-related kernel command line words, on arm64 the mode\n"
		  "KVM runs in (VHE, nVHE, hVHE, protected: from its boot lines in the\n"
		  "kernel log) and whether a pKVM IOMMU driver owns the IOMMUs, and\n"
		  "findings that name what is wrong and how to fix it. A system\n"
		  "without an IOMMU is reported as such (exit 0). With --check, also\n"
		  "each group the kernel formed otherwise than the PCI topology and\n"
		  "ACS predict (this reads every PCI function; without it status reads\n"
		  "no device).",
	  .synopsis = "[--check]",
	  .opts = status_opts, .args_size = sizeof(struct status_args),
	  .run = status_run, .render = &(const struct render){ .text = status_text });
/* clang-format on */
