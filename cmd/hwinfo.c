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
	OPT_LIST(
		"allow-member", 'a', "DEVICE", struct vfio_args, allow,
		"for the temporary binding: a group member that may be taken too"),
	OPT_BITS(
		"force", 'f', struct vfio_args, flags, IOMMUCTL_VFIO_FORCE,
		"for the temporary binding: take the device although the host uses it"),
	OPT_BOOL(
		"no-bind", 'N', struct vfio_args, no_bind,
		"fail rather than bind the device to vfio-pci for the question"),
	OPT_END,
};

/*
 * "hot_reset": what a hot (slot or bus) reset of @bdf takes, as the kernel
 * answers VFIO_DEVICE_GET_PCI_HOT_RESET_INFO on its cdev (bound to a
 * throw-away iommufd for the question) beside what the topology says.
 */
static struct json_object *hot_reset_ask(struct cmdctx *c, const char *bdf)
{
	struct json_object *j = json_object_new_object(),
			   *k = json_object_new_object(), *a, *o, *fl;
	struct iommuctl_hot_reset_dev *r;
	struct iommuctl_device *d;
	uint32_t flags;
	size_t i, n;
	int rc = iommuctl_device_hot_reset_ask(c->ctx, bdf, &flags, &r, &n);

	jset(k, "errno", rc < 0 ? json_object_new_int(-rc) : NULL);
	jadd_str_or_null(
		k, "error",
		rc == -ENODEV ?
			"ENODEV: the kernel can reset no slot or bus for this device (no bridge above it, or one that cannot reset its bus)" :
		rc < 0 ? strerror(-rc) :
			 NULL);
	fl = json_object_new_array();
	if (flags & IOMMUCTL_HOT_RESET_DEV_ID)
		json_object_array_add(fl, json_object_new_string("dev-id"));
	if (flags & IOMMUCTL_HOT_RESET_DEV_ID_OWNED)
		json_object_array_add(fl,
				      json_object_new_string("dev-id-owned"));
	jadd(k, "flags", fl);
	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		jadd_str(o, "device", r[i].name);
		if (flags & IOMMUCTL_HOT_RESET_DEV_ID) {
			/* 0: owned, not bound; ~0: not owned by this iommufd */
			jset(o, "devid",
			     r[i].id && r[i].id != 0xffffffffu ?
				     json_object_new_int64(r[i].id) :
				     NULL);
			jadd_bool(o, "owned", r[i].id != 0xffffffffu);
		} else {
			jadd_int(o, "group", (int)r[i].id);
		}
		json_object_array_add(a, o);
	}
	jadd(k, "devices", a);
	free(r);
	jadd(j, "kernel", k);
	o = json_object_new_object();
	d = iommuctl_device_get_by_name(c->ctx, bdf);
	if (d) {
		jadd_str_or_null(o, "reset_methods",
				 iommuctl_device_get_reset_methods(d));
		reset_scope_add(d, o);
	}
	jadd(j, "topology", o);
	return j;
}

static int hwinfo_run(struct cmdctx *c, void *args)
{
	const struct vfio_args *a = args;
	struct iommuctl_vfio *v = NULL;
	struct iommuctl_device *d;
	struct json_object *j;
	const char *driver;
	char bdf[32];
	bool temp = false, blocked = false;
	sigset_t block, old;
	int rc = device_ref(c, c->argv[0], &d), back;

	if (rc < 0)
		return rc;
	/* no IOMMU group (no IOMMU): nothing to ask, exit 3 saying why */
	if (iommuctl_device_get_group_id(d) < 0)
		return device_group(c, d);
	/* binding refreshes the devices: @d is gone after it */
	snprintf(bdf, sizeof(bdf), "%s", iommuctl_device_get_name(d));
	driver = iommuctl_device_get_driver(d);
	j = json_object_new_object();
	jadd_str(j, "device", bdf);
	jadd_str_or_null(j, "driver", driver);
	jadd_str_or_null(j, "iommu", iommuctl_device_get_iommu(d));
	if (!iommuctl_device_get_vfio_cdev(d) && a->no_bind) {
		rc = cmd_fail_on(
			c, bdf, EXIT_FAILED, ENODEV,
			"is on %s, not vfio-pci, and --no-bind forbids binding it: drop --no-bind, or iommuctl vfio bind %s",
			driver ? driver : "no driver", bdf);
	} else if (!iommuctl_device_get_vfio_cdev(d)) {
		/* no signal may leave the device on vfio-pci half way */
		sigemptyset(&block);
		sigaddset(&block, SIGINT);
		sigaddset(&block, SIGTERM);
		sigaddset(&block, SIGHUP);
		blocked = !sigprocmask(SIG_BLOCK, &block, &old);
		rc = vfio_setup(c, a, &v);
		if (!rc && (rc = iommuctl_vfio_apply(v)) < 0)
			rc = cmd_fail_on(
				c, bdf,
				rc == -ENODEV ? EXIT_UNAVAILABLE : EXIT_FAILED,
				rc,
				"cannot bind it to vfio-pci for the question: %s",
				iommuctl_vfio_error(v) ?: strerror(-rc));
		temp = !rc;
	}
	jadd_bool(j, "temporary_binding", temp);
	if (!rc)
		rc = features_ask(c, bdf, true, j);
	if (!rc) {
		jadd(j, "interrupts", msi_isolation_json(c->ctx));
		jadd(j, "hot_reset", hot_reset_ask(c, bdf));
	}
	if (temp) {
		back = iommuctl_vfio_give_back(c->ctx, v);
		if (back < 0)
			back = cmd_fail_on(
				c, bdf, EXIT_FAILED, back,
				"could not give it back: %s; run iommuctl vfio restore %s",
				iommuctl_get_error(c->ctx) ?: strerror(-back),
				bdf);
		rc = rc ? rc : back;
	}
	if (blocked)
		sigprocmask(SIG_SETMASK, &old, NULL);
	iommuctl_vfio_free(v);
	if (rc < 0) {
		json_object_put(j);
		return rc;
	}
	return cmd_out(c, j);
}

/* the interrupts and hot reset lines */
static void hwinfo_extra_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *irq = jopt(j, "interrupts"),
			   *hr = jopt(j, "hot_reset"), *k, *a, *m;
	size_t i;

	if (irq && jopt(irq, "msi_isolated") &&
	    !json_object_get_boolean(jopt(irq, "msi_isolated")))
		printf("  interrupts:  MSIs NOT isolated (interrupt remapping off)%s\n",
		       json_object_get_boolean(
			       jget(c, irq, "unsafe_interrupts_allowed")) ?
			       "; bound only because allow_unsafe_interrupts=Y (unsafe interrupts allowed)" :
			       "");
	if (!hr)
		return;
	k = jget(c, hr, "kernel");
	a = k ? jopt(k, "devices") : NULL;
	if (k && jopt(k, "error")) {
		printf("  hot reset:   %s\n", jstr(c, k, "error"));
	} else if (a) {
		printf("  hot reset:   resets");
		for (i = 0; i < json_object_array_length(a); i++)
			printf(" %s", jstr(c, json_object_array_get_idx(a, i),
					   "device"));
		printf(" (the kernel's answer)\n");
	}
	m = jopt(jget(c, hr, "topology"), "reset_methods");
	printf("  own reset:   %s\n",
	       m ? json_object_get_string(m) :
		   "none (no function-level reset method)");
}

static void hwinfo_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *r = jget(c, j, "ready"), *u = jopt(j, "iommu"),
			   *drv = jopt(j, "driver");
	size_t i;

	printf("%s%s%s", color_on(c, "header"), jstr(c, j, "device"),
	       color_off(c));
	if (u)
		printf(" behind %s", json_object_get_string(u));
	printf(" (%s%s)\n", drv ? json_object_get_string(drv) : "no driver",
	       json_object_get_boolean(jget(c, j, "temporary_binding")) ?
		       ", bound to vfio-pci for the question and given back" :
		       "");
	hw_info_print(j);
	hwinfo_extra_text(c, j);
	printf("  ready for:\n");
	for (i = 0; r && i < json_object_array_length(r); i++) {
		struct json_object *o = json_object_array_get_idx(r, i),
				   *rd = jopt(o, "ready");

		printf("    %-20s %-7s %s\n", jstr(c, o, "name"),
		       !rd			   ? "unknown" :
		       json_object_get_boolean(rd) ? "yes" :
						     "no",
		       jstr(c, o, c->verbose ? "how" : "what"));
		if (jopt(o, "reason"))
			printf("    %-20s %-7s because %s\n", "", "",
			       jstr(c, o, "reason"));
	}
}

/* clang-format off */
ONE_VERB_OBJECT(obj_hwinfo, "hwinfo", "what a device's IOMMU can do, found by trying",
	  .name = "show",
	  .summary = "hardware info and readiness of a device's IOMMU",
	  .synopsis = "[--no-bind] [--allow-member DEVICE]... [--force] DEVICE",
	  .description =
		  "What the IOMMU in front of a PCI device can do. The device is bound to\n"
		  "iommufd through its VFIO cdev; when it is not on vfio-pci it is bound\n"
		  "for the duration exactly as 'vfio bind' does (same plan, refusals,\n"
		  "journal) and given back afterwards. Prints IOMMU_GET_HW_INFO (type,\n"
		  "capabilities, PASID width, the driver's data decoded: VT-d CAP/ECAP,\n"
		  "SMMUv3 IDRs, AMD EFR) and a readiness verdict for live migration (a\n"
		  "dirty-tracking hwpt could be allocated), nesting (a nest-parent hwpt\n"
		  "could be; on SMMUv3 also a vIOMMU, over which alone Linux nests, with\n"
		  "the reason from the SMMU's registers when there is none: no S2FWB and\n"
		  "not canwbs), PASID (a PASID-capable hwpt could be and the device reports\n"
		  "a PASID width) and I/O page faults (a fault-capable hwpt could be):\n"
		  "each found by trying on a throw-away IOAS, never by kernel version.\n"
		  "Also whether its MSIs are isolated, and which devices a hot reset of\n"
		  "it takes (the kernel's VFIO_DEVICE_GET_PCI_HOT_RESET_INFO beside the\n"
		  "topology).\n"
		  "With -j also every flag and data type tried (as 'probe --device').",
	  .opts = hwinfo_opts, .args_size = sizeof(struct vfio_args),
	  .min_args = 1, .max_args = 1, .need = "give one PCI device",
	  /* "hwinfo DEVICE" is "hwinfo show DEVICE" */
	  .flags = VERB_LIVE | VERB_OPERAND_FIRST, .run = hwinfo_run,
	  .render = &(const struct render){ .text = hwinfo_text });
/* clang-format on */
