// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl hwinfo DEVICE: IOMMU_GET_HW_INFO for a PCI device, through a
 * temporary vfio-pci binding when needed, and what its IOMMU is ready for,
 * each found by trying. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

static const struct opt hwinfo_opts[] = {
	{ "allow-member", 'a', "DEVICE",
	  "for the temporary binding: a group member that may be taken too" },
	{ "force", 'f', NULL,
	  "for the temporary binding: take the device although the host uses it" },
	{ "no-bind", 'N', NULL,
	  "fail rather than bind the device to vfio-pci for the question" },
	{ NULL, 0, NULL, NULL },
};

static const struct verb_help hwinfo_help = {
	.synopsis = "[--no-bind] [--allow-member DEVICE]... [--force] DEVICE",
	.description =
		"What the IOMMU in front of a PCI device can do. The device is bound to\n"
		"iommufd through its VFIO cdev; when it is not on vfio-pci it is bound\n"
		"for the duration exactly as 'vfio bind' does (same plan, refusals,\n"
		"journal) and given back afterwards. Prints IOMMU_GET_HW_INFO (type,\n"
		"capabilities, PASID width, the driver's data decoded: VT-d CAP/ECAP,\n"
		"SMMUv3 IDRs, AMD EFR) and a readiness verdict for live migration (a\n"
		"dirty-tracking hwpt could be allocated), nesting (a nest-parent hwpt\n"
		"could be), PASID (a PASID-capable hwpt could be and the device reports\n"
		"a PASID width) and I/O page faults (a fault-capable hwpt could be):\n"
		"each found by trying on a throw-away IOAS, never by kernel version.\n"
		"With -j also every flag and data type tried (as 'probe --device').",
	.opts = hwinfo_opts,
};

struct verdict {
	const char *name;
	const char *flag; /* hwpt-alloc-flag that decides it */
	const char *what;
};

static const struct verdict verdicts[] = {
	{ "live-migration", "dirty-tracking",
	  "dirty tracking (IOMMU_HWPT_ALLOC_DIRTY_TRACKING)" },
	{ "nesting", "nest-parent",
	  "a nest parent (IOMMU_HWPT_ALLOC_NEST_PARENT)" },
	{ "pasid", "pasid", "PASID attach (IOMMU_HWPT_ALLOC_PASID)" },
	{ "iopf", "fault-id-valid",
	  "I/O page faults (IOMMU_HWPT_FAULT_ID_VALID)" },
};

static const struct iommuctl_feature_probe *
find_feature(const struct iommuctl_feature_probe *f, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(f[i].area, "hwpt-alloc-flag") &&
		    !strcmp(f[i].name, name))
			return &f[i];
	return NULL;
}

/* "ready" array; PASID also needs a PASID width on the device's side */
static struct json_object *verdicts_json(const struct iommuctl_feature_probe *f,
					 size_t n,
					 const struct iommuctl_hw_info *hi)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
		const struct iommuctl_feature_probe *x =
			find_feature(f, n, verdicts[i].flag);
		struct json_object *o = json_object_new_object();
		int ready = x ? x->supported : -1;
		char *how = NULL;

		if (ready == 1 && !strcmp(verdicts[i].name, "pasid") &&
		    !hi->max_pasid_log2) {
			ready = 0;
			if (asprintf(
				    &how,
				    "%s; but the device reports no PASID width (max_pasid_log2 0)",
				    x->how) < 0)
				how = NULL;
		}
		json_object_object_add(
			o, "name", json_object_new_string(verdicts[i].name));
		json_object_object_add(
			o, "ready",
			ready < 0 ? NULL : json_object_new_boolean(ready));
		json_object_object_add(o, "how",
				       json_object_new_string(how ? how :
							      x	  ? x->how :
								    "not asked"));
		json_object_object_add(
			o, "what", json_object_new_string(verdicts[i].what));
		free(how);
		json_object_array_add(a, o);
	}
	return a;
}

/* Asks the questions on a fresh session; fills @j. Returns -1 or the exit
 * code after reporting. The session is closed (the cdev released) before
 * returning, so that the device can be given back. */
static int ask(struct cmdctx *c, const char *bdf, struct json_object *j)
{
	struct iommuctl_feature_probe *f = NULL;
	struct iommuctl_session *s = NULL;
	struct iommuctl_obj *dev = NULL;
	struct iommuctl_hw_info hi;
	size_t n = 0;
	int rc;

	rc = iommuctl_session_open(c->ctx, &s);
	if (rc < 0)
		return cmd_error(c,
				 rc == -ENOENT ? EXIT_UNAVAILABLE : EXIT_FAILED,
				 rc, "opening /dev/iommu");
	rc = iommuctl_vfio_device_bind(s, bdf, &dev);
	if (rc < 0) {
		const char *why = iommuctl_session_error(s);

		rc = cmd_error_on(c, bdf, EXIT_FAILED, rc,
				  "cannot bind to iommufd: %s%s%s",
				  strerror(-rc), why ? ": " : "", why ?: "");
		goto out;
	}
	rc = iommuctl_device_hw_info(dev, &hi);
	if (rc < 0) {
		rc = lib_error(c, rc, bdf, "cannot get the hardware info");
		goto out;
	}
	hw_info_add_json(j, &hi);
	rc = iommuctl_iommufd_probe_features(s, dev, &f, &n);
	if (rc < 0) {
		free(hi.data);
		rc = cmd_error(c, EXIT_FAILED, rc, "trying flags");
		goto out;
	}
	json_object_object_add(j, "ready", verdicts_json(f, n, &hi));
	json_object_object_add(j, "features", features_to_json(f, n));
	free(hi.data);
	free(f);
	rc = -1;
out:
	iommuctl_session_close(s);
	return rc;
}

static void print_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *r = json_object_object_get(j, "ready"), *u;
	const char *drv =
		json_object_get_string(json_object_object_get(j, "driver"));

	printf("%s%s%s", color_on(c, "header"),
	       json_object_get_string(json_object_object_get(j, "device")),
	       color_off(c));
	u = json_object_object_get(j, "iommu");
	if (u)
		printf(" behind %s", json_object_get_string(u));
	printf(" (%s%s)\n", drv ? drv : "no driver",
	       json_object_get_boolean(
		       json_object_object_get(j, "temporary_binding")) ?
		       ", bound to vfio-pci for the question and given back" :
		       "");
	hw_info_print(j);
	printf("  ready for:\n");
	for (size_t i = 0; i < json_object_array_length(r); i++) {
		struct json_object *o = json_object_array_get_idx(r, i), *rd;
		const char *ans;

		rd = json_object_object_get(o, "ready");
		ans = !rd			  ? "unknown" :
		      json_object_get_boolean(rd) ? "yes" :
						    "no";
		printf("    %-20s %-7s %s\n",
		       json_object_get_string(
			       json_object_object_get(o, "name")),
		       ans,
		       c->verbose ? json_object_get_string(
					    json_object_object_get(o, "how")) :
				    json_object_get_string(
					    json_object_object_get(o, "what")));
	}
}

static int do_hwinfo(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_vfio *v = NULL, *back = NULL;
	const struct iommuctl_vfio_step *st;
	struct iommuctl_device *d;
	struct json_object *j = NULL;
	bool no_bind = false, temp = false;
	unsigned int flags = 0;
	sigset_t block, old;
	struct optparse p;
	char bdf[32], *driver = NULL;
	int opt = 0, rc = 0, ret = -1;
	size_t n;

	sigemptyset(&old);
	if (iommuctl_vfio_new(c->ctx, &v) < 0)
		return cmd_error(c, EXIT_FAILED, ENOMEM, "hwinfo");
	optparse_init(&p, c, argc, argv, &hwinfo_help);
	while (ret < 0 && (opt = optparse_next(&p)) >= 0) {
		switch (hwinfo_opts[opt].sname) {
		case 'a':
			if (iommuctl_vfio_allow_member(v, p.arg) < 0)
				ret = cmd_error(c, EXIT_FAILED, 0, "%s",
						iommuctl_vfio_error(v));
			break;
		case 'f':
			flags |= IOMMUCTL_VFIO_FORCE;
			break;
		case 'N':
			no_bind = true;
			break;
		}
	}
	optparse_fini(&p);
	if (ret < 0 && opt == OPT_EXIT)
		ret = p.exit;
	if (ret < 0 && p.argc != 1)
		ret = cmd_usage_error(c, "give one PCI device");
	if (ret < 0 && iommuctl_is_offline(c->ctx))
		ret = cmd_error(c, EXIT_UNAVAILABLE, EOPNOTSUPP,
				"needs the live system, not --root");
	if (ret >= 0)
		goto out;
	d = lookup_device(c, p.argv[0]);
	if (!d) {
		ret = EXIT_FAILED;
		goto out;
	}
	snprintf(bdf, sizeof(bdf), "%s", iommuctl_device_get_name(d));
	if (iommuctl_device_get_driver(d))
		driver = strdup(iommuctl_device_get_driver(d));
	j = json_object_new_object();
	json_object_object_add(j, "device", json_object_new_string(bdf));
	json_object_object_add(j, "driver",
			       driver ? json_object_new_string(driver) : NULL);
	json_object_object_add(
		j, "iommu",
		iommuctl_device_get_iommu(d) ?
			json_object_new_string(iommuctl_device_get_iommu(d)) :
			NULL);
	if (!iommuctl_device_get_vfio_cdev(d)) {
		if (no_bind) {
			ret = cmd_error_on(
				c, bdf, EXIT_FAILED, ENODEV,
				"is on %s, not vfio-pci, and --no-bind forbids binding it: drop --no-bind, or iommuctl vfio bind %s",
				driver ? driver : "no driver", bdf);
			goto out;
		}
		/* no signal may leave the device on vfio-pci half way */
		sigemptyset(&block);
		sigaddset(&block, SIGINT);
		sigaddset(&block, SIGTERM);
		sigaddset(&block, SIGHUP);
		sigprocmask(SIG_BLOCK, &block, &old);
		iommuctl_vfio_set_flags(v, flags);
		if (iommuctl_vfio_add_device(v, bdf) < 0 ||
		    (rc = iommuctl_vfio_apply(v)) < 0) {
			ret = cmd_error_on(
				c, bdf,
				rc == -ENODEV ? EXIT_UNAVAILABLE : EXIT_FAILED,
				rc,
				"cannot bind it to vfio-pci for the question: %s",
				iommuctl_vfio_error(v) ?: strerror(-rc));
			sigprocmask(SIG_SETMASK, &old, NULL);
			goto out;
		}
		temp = true;
	}
	json_object_object_add(j, "temporary_binding",
			       json_object_new_boolean(temp));
	ret = ask(c, bdf, j);
	if (temp) {
		/* give back what this run bound, nothing else */
		n = iommuctl_vfio_get_steps(v, &st);
		rc = iommuctl_vfio_new(c->ctx, &back);
		for (size_t i = 0; !rc && i < n; i++)
			if (st[i].action == IOMMUCTL_VFIO_BIND && st[i].done)
				rc = iommuctl_vfio_add_device(back,
							      st[i].device);
		if (!rc)
			rc = iommuctl_vfio_restore(back);
		if (rc < 0 && ret < 0)
			ret = cmd_error_on(
				c, bdf, EXIT_FAILED, rc,
				"could not give it back: %s; run iommuctl vfio restore %s",
				back ? iommuctl_vfio_error(back) ?:
								   strerror(-rc) :
				       strerror(-rc),
				bdf);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	if (ret >= 0)
		goto out;
	if (c->json)
		json_print(c, j);
	else
		print_text(c, j);
	ret = EXIT_OK;
out:
	json_object_put(j);
	free(driver);
	iommuctl_vfio_free(back);
	iommuctl_vfio_free(v);
	return ret;
}

static const struct cmd hwinfo_cmds[] = {
	{ "show", do_hwinfo,
	  "hardware info and readiness of a device's IOMMU" },
	{ NULL, NULL, NULL },
};

int cmd_hwinfo(int argc, char **argv, struct cmdctx *c)
{
	/* "hwinfo DEVICE" is "hwinfo show DEVICE" */
	if (argc >= 1 && argv[0][0] != '-' && strcmp(argv[0], "show") &&
	    strcmp(argv[0], "help")) {
		c->verb = "show";
		return do_hwinfo(argc + 1, argv - 1, c);
	}
	return cmd_select(hwinfo_cmds, argc, argv, c);
}

LEGACY_OBJECT(obj_hwinfo, "hwinfo", "what a device's IOMMU can do, found by trying", cmd_hwinfo);
