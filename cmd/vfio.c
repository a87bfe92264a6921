// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl vfio bind|restore|status: hand devices to vfio-pci safely and
 * give them back. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "builtin.h"

static const struct column step_cols[] = {
	{ "DEVICE", "device", 0 }, { "GROUP", "group", COL_RIGHT },
	{ "DRIVER", "driver", 0 }, { "ACTION", "action", 0 },
	{ "TARGET", "target", 0 }, { "CDEV", "cdev", 0 },
	{ "NOTE", "why", 0 },	   { NULL, NULL, 0 },
};

/* One emitter for a plan or restore step: JSON and the table row. */
static struct json_object *step_to_json(const struct iommuctl_vfio_step *st)
{
	struct json_object *j = json_object_new_object(), *u;
	char *path = NULL;
	size_t i;

	jadd_str(j, "device", st->device);
	json_object_object_add(j, "group",
			       st->group >= 0 ? json_object_new_int(st->group) :
						NULL);
	jadd_str_or_null(j, "driver", st->driver);
	jadd_str_or_null(j, "driver_override", st->driver_override);
	jadd_str(j, "action", iommuctl_vfio_action_name(st->action));
	jadd_str_or_null(j, "target", st->target);
	jadd_bool(j, "requested", st->requested);
	jadd_bool(j, "forced", st->forced);
	jadd_bool(j, "done", st->done);
	jadd_str_or_null(j, "note", st->note);
	jadd_str_or_null(j, "refusal", st->refusal);
	jadd_str_or_null(j, "why", st->refusal ? st->refusal : st->note);
	u = json_object_new_array();
	for (i = 0; i < st->nuses; i++) {
		struct json_object *x = json_object_new_object();

		jadd_str(x, "kind", iommuctl_use_kind_name(st->uses[i].kind));
		jadd_str(x, "object", st->uses[i].object);
		jadd_str(x, "detail", st->uses[i].detail);
		json_object_array_add(u, x);
	}
	jadd(j, "uses", u);
	jadd_str_or_null(j, "cdev", st->cdev);
	if (st->cdev && asprintf(&path, "/dev/vfio/devices/%s", st->cdev) < 0)
		path = NULL;
	jadd_str_or_null(j, "cdev_path", path);
	free(path);
	return j;
}

static void progress_cb(const char *device, const char *step,
			const char *detail, void *data)
{
	struct cmdctx *c = data;

	if (c->verbose)
		fprintf(stderr, "iommuctl: vfio: %s: %s %s\n", device, step,
			detail ? detail : "");
}

static int parse_group_id(struct cmdctx *c, const struct opt *o UNUSED,
			  const char *text, void *field)
{
	struct idlist *l = field;
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (!*text || *end || errno || v > 1u << 30)
		return cmd_usage(c, "--group wants a group number, not '%s'",
				 text);
	if (l->n == sizeof(l->v) / sizeof(l->v[0]))
		return cmd_usage(c, "too many --group");
	l->v[l->n++] = (unsigned int)v;
	return 0;
}

static int parse_timeout(struct cmdctx *c, const struct opt *o UNUSED,
			 const char *text, void *field)
{
	char *end;
	double s;

	errno = 0;
	s = strtod(text, &end);
	if (!*text || *end || errno || !(s >= 0) || s > 3600)
		return cmd_usage(c,
				 "--timeout wants seconds (0 to 3600), not '%s'",
				 text);
	*(unsigned int *)field = (unsigned int)(s * 1000);
	return 0;
}

#define GROUP_OPT(h) \
	OPT_CALL("group", 'g', "N", struct vfio_args, groups, parse_group_id, h)
#define DRY_RUN_OPT(h) OPT_BOOL("dry-run", 'n', struct vfio_args, dry_run, h)
#define FORCE_OPT(h) \
	OPT_BITS("force", 'f', struct vfio_args, flags, IOMMUCTL_VFIO_FORCE, h)
#define TIMEOUT_OPT(h)                                                       \
	OPT_CALL("timeout", 't', "SECS", struct vfio_args, timeout_ms,       \
		 parse_timeout, h, OPT_SEEN(struct vfio_args, have_timeout))

static const struct opt bind_opts[] = {
	GROUP_OPT("take every member of IOMMU group N"),
	OPT_LIST("allow-member", 'a', "DEVICE", struct vfio_args, allow,
		 "a member of the devices' groups that may be taken from its driver too"),
	DRY_RUN_OPT("print the plan, change nothing"),
	FORCE_OPT("take devices although the host uses them (loudly)"),
	TIMEOUT_OPT("wait this long for the lock and each cdev (default 10)"),
	OPT_END,
};

static const struct opt restore_opts[] = {
	GROUP_OPT("every journaled member of IOMMU group N"),
	DRY_RUN_OPT("say what would be given back, change nothing"),
	FORCE_OPT("unbind vfio-pci although a process has the device's VFIO files open"),
	TIMEOUT_OPT("wait this long for the lock (default 10)"),
	OPT_END,
};

static const struct opt sriov_opts[] = {
	OPT_U32("vfs", 0, "N", struct vfio_args, vfs, 4096,
		"the number of virtual functions the PF is to have (0 removes them)",
		OPT_SEEN(struct vfio_args, have_vfs), OPT_REQUIRED),
	OPT_BITS("no-autoprobe", 0, struct vfio_args, flags,
		 IOMMUCTL_VFIO_NO_AUTOPROBE,
		 "the new VFs get no driver (ready for 'vfio bind')"),
	DRY_RUN_OPT("print the plan, change nothing"),
	FORCE_OPT("remove VFs although the host uses them (loudly)"),
	TIMEOUT_OPT("wait this long for the lock (default 10)"),
	OPT_END,
};

static const struct opt mdev_opts[] = {
	OPT_STR("type", 0, "TYPE", struct vfio_args, type,
		"the mdev type, one of the parent's mdev_supported_types",
		OPT_REQUIRED),
	OPT_STR("uuid", 0, "UUID", struct vfio_args, uuid,
		"the new mdev's UUID (default: a random one)"),
	DRY_RUN_OPT("check and print what would be made, change nothing"),
	TIMEOUT_OPT("wait this long for the lock (default 10)"),
	OPT_END,
};

static int bind_check(struct cmdctx *c, void *args)
{
	const struct vfio_args *a = args;

	if (!c->argc && !a->groups.n)
		return cmd_usage(c, "name a device or --group N");
	return 0;
}

/* A vfio handle with @flags, and @a's timeout; progress with -v */
static int vfio_open(struct cmdctx *c, const struct vfio_args *a,
		     unsigned int flags, struct iommuctl_vfio **out)
{
	int rc = iommuctl_vfio_new(c->ctx, out);

	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, rc, "vfio");
	iommuctl_vfio_set_progress(*out, progress_cb, c);
	iommuctl_vfio_set_flags(*out, flags);
	if (a->have_timeout)
		iommuctl_vfio_set_timeout(*out, a->timeout_ms);
	return 0;
}

int vfio_setup(struct cmdctx *c, const struct vfio_args *a,
		      struct iommuctl_vfio **out)
{
	struct iommuctl_vfio *v;
	int rc = vfio_open(
		c, a, a->flags | (a->dry_run ? IOMMUCTL_VFIO_DRY_RUN : 0), out);
	size_t i;

	if (rc < 0)
		return rc;
	v = *out;
	for (i = 0; !rc && i < a->groups.n; i++)
		rc = iommuctl_vfio_add_group(v, a->groups.v[i]);
	for (i = 0; !rc && i < a->allow.n; i++)
		rc = iommuctl_vfio_allow_member(v, a->allow.v[i]);
	for (i = 0; !rc && i < (size_t)c->argc; i++)
		rc = iommuctl_vfio_add_device(v, c->argv[i]);
	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, 0, "%s", iommuctl_vfio_error(v));
	return 0;
}

static bool in_steps(const struct iommuctl_vfio_step *st, size_t n,
		     const char *dev)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(st[i].device, dev))
			return true;
	return false;
}

/*
 * A bind's warnings beside its steps: "interrupts" (MSI isolation, as
 * msi_isolation_json) and "reset_outside_plan": for each device the plan
 * binds whose hot (slot or bus) reset would also reset devices the plan
 * does not take, those devices. Both are said on stderr too.
 */
static void bind_warnings(struct cmdctx *c, const struct iommuctl_vfio_step *st,
			  size_t n, struct json_object *j)
{
	struct json_object *irq = msi_isolation_json(c->ctx), *a, *o, *out;
	struct iommuctl_reset_scope *s;
	struct iommuctl_device *d;
	size_t i, k;

	if (n && jopt(irq, "msi_isolated") &&
	    !json_object_get_boolean(jopt(irq, "msi_isolated")))
		fprintf(stderr,
			"iommuctl: vfio: WARNING: MSIs are not isolated (interrupt remapping is off): %s\n",
			json_object_get_boolean(
				jopt(irq, "unsafe_interrupts_allowed")) ?
				"allow_unsafe_interrupts=Y lets these devices be bound to iommufd anyway (unsafe interrupts allowed): whoever drives them can raise any interrupt on the host" :
				"binding these devices to iommufd will fail with EPERM unless iommufd.allow_unsafe_interrupts=1, which is unsafe (iommuctl msi says why)");
	jadd(j, "interrupts", irq);
	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		if (st[i].action != IOMMUCTL_VFIO_BIND &&
		    st[i].action != IOMMUCTL_VFIO_KEEP)
			continue;
		d = iommuctl_device_get_by_name(c->ctx, st[i].device);
		if (!d || iommuctl_device_reset_scope(d, &s) < 0)
			continue;
		out = json_object_new_array();
		for (k = 0; k < s->n; k++)
			if (!in_steps(st, n, s->devices[k]))
				json_object_array_add(
					out,
					json_object_new_string(s->devices[k]));
		if (json_object_array_length(out)) {
			char *list = json_list_text(out);

			o = json_object_new_object();
			jadd_str(o, "device", st[i].device);
			jadd_str(o, "hot_reset",
				 iommuctl_reset_kind_name(s->kind));
			jadd_str_or_null(o, "bridge", s->bridge);
			jadd(o, "outside", out);
			json_object_array_add(a, o);
			fprintf(stderr,
				"iommuctl: vfio: WARNING: a %s reset of %s (below %s) also resets %s, which this plan does not take: a VMM's hot reset of it needs those devices too\n",
				iommuctl_reset_kind_name(s->kind), st[i].device,
				s->bridge, list ? list : "?");
			free(list);
		} else {
			json_object_put(out);
		}
		iommuctl_reset_scope_free(s);
	}
	jadd(j, "reset_outside_plan", a);
}

/*
 * The steps as the result ("steps", and on failure "error" and "errno" in
 * the same document), the warnings for forced steps, and the error.
 */
static int vfio_result(struct cmdctx *c, struct iommuctl_vfio *v, int rc,
		       const char *what, bool dry_run)
{
	const struct iommuctl_vfio_step *st;
	size_t i, n = iommuctl_vfio_get_steps(v, &st);
	struct json_object *j = json_object_new_object(),
			   *a = json_object_new_array();
	const char *why = iommuctl_vfio_error(v);

	for (i = 0; i < n; i++) {
		json_object_array_add(a, step_to_json(&st[i]));
		if (st[i].forced && !dry_run)
			fprintf(stderr,
				"iommuctl: vfio: WARNING: --force: %s %s although it is in use: %s\n",
				st[i].device,
				st[i].action == IOMMUCTL_VFIO_RESTORE ?
					"given back" : "taken from the host",
				st[i].note ? st[i].note : "");
	}
	jadd_bool(j, "dry_run", dry_run);
	jadd(j, "steps", a);
	if (strcmp(c->vb->data, "restore"))
		bind_warnings(c, st, n, j);
	cmd_out(c, j);
	if (rc >= 0)
		return 0;
	/* the steps are the result even now: the error goes beside them */
	cmd_fail_on(c, NULL,
		    rc == -ENODEV || rc == -EOPNOTSUPP ? EXIT_UNAVAILABLE :
							 EXIT_FAILED,
		    rc, "vfio %s: %s", what, why ? why : strerror(-rc));
	return cmd_fail_beside(c);
}

/* bind, restore; sriov PF --vfs N; mdev PARENT --type TYPE (v->data) */
static int vfio_run(struct cmdctx *c, void *args)
{
	const struct vfio_args *a = args;
	const char *what = c->vb->data;
	bool sub = !strcmp(what, "sriov") || !strcmp(what, "mdev");
	struct iommuctl_vfio *v = NULL;
	char verb[32];
	int rc = sub ? vfio_open(c, a, a->flags, &v) : vfio_setup(c, a, &v);

	if (rc < 0) {
		iommuctl_vfio_free(v);
		return rc;
	}
	if (!strcmp(what, "restore"))
		rc = iommuctl_vfio_restore(v);
	else if (!strcmp(what, "sriov"))
		rc = iommuctl_vfio_set_numvfs(v, c->argv[0], a->vfs,
					      a->dry_run);
	else if (sub)
		rc = iommuctl_vfio_create_mdev(v, c->argv[0], a->type, a->uuid,
					       a->dry_run, NULL);
	else if (a->dry_run)
		rc = iommuctl_vfio_plan(v);
	else
		rc = iommuctl_vfio_apply(v);
	snprintf(verb, sizeof(verb), "%s%s", what,
		 a->dry_run ? " --dry-run" : "");
	rc = vfio_result(c, v, rc, verb, a->dry_run);
	iommuctl_vfio_free(v);
	return rc;
}

static void steps_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *a = jget(c, j, "steps");

	if (a && json_object_array_length(a))
		table_print(stdout, a, step_cols, "");
	else if (!strcmp(c->vb->data, "restore") && !jopt(j, "error"))
		printf("nothing to restore: iommuctl changed no device\n");
}

static const struct column status_cols[] = {
	{ "DEVICE", "device", 0 }, { "KIND", "kind", 0 },
	{ "BEFORE", "before", 0 }, { "NOW", "now", 0 },
	{ "CDEV", "cdev", 0 },
	{ "STATE", "state", 0 },   { "PID", "pid", COL_RIGHT },
	{ "SINCE", "since", 0 },   { NULL, NULL, 0 },
};

static struct json_object *entry_to_json(const struct iommuctl_vfio_entry *e)
{
	struct json_object *j = json_object_new_object();
	char since[32] = "", before[32], now[32];
	time_t t = (time_t)e->time;
	struct tm tm;

	/* the table's summary of what changed: a driver, a VF count, an mdev */
	snprintf(before, sizeof(before), "%ld VFs", e->numvfs);
	snprintf(now, sizeof(now), "%ld VFs", e->cur_numvfs);
	if (!e->kind) {
		jadd_str_or_null(j, "before", e->driver);
		jadd_str_or_null(j, "now", e->cur_driver);
	} else if (!strcmp(e->kind, "mdev")) {
		jadd_str(j, "before", "absent");
		jadd_str(j, "now", e->present ? "present" : "absent");
	} else {
		jadd_str_or_null(j, "before", e->numvfs >= 0 ? before : NULL);
		jadd_str_or_null(j, "now", e->cur_numvfs >= 0 ? now : NULL);
	}
	jadd_str(j, "device", e->device);
	jadd_str_or_null(j, "original_driver", e->driver);
	jadd_str_or_null(j, "original_driver_override", e->driver_override);
	jadd_bool(j, "set_override", e->set_override);
	jadd_str_or_null(j, "driver", e->cur_driver);
	jadd_str_or_null(j, "cdev", e->cdev);
	jadd_str_or_null(j, "state", e->state);
	jadd_int(j, "pid", e->pid);
	jadd_int(j, "time", e->time);
	jadd_str(j, "kind", e->kind ? e->kind : "binding");
	jadd_bool(j, "present", e->present);
	jadd_str_or_null(j, "parent", e->parent);
	jadd_str_or_null(j, "mdev_type", e->mdev_type);
	json_object_object_add(j, "original_numvfs",
			       e->numvfs >= 0 ? json_object_new_int64(e->numvfs) :
						NULL);
	json_object_object_add(j, "numvfs",
			       e->cur_numvfs >= 0 ?
				       json_object_new_int64(e->cur_numvfs) :
				       NULL);
	if (gmtime_r(&t, &tm))
		strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", &tm);
	jadd_str(j, "since", since);
	return j;
}

static bool named(struct cmdctx *c, const char *device)
{
	char bdf[32];
	int k;

	for (k = 0; k < c->argc; k++)
		if (!strcmp(c->argv[k], device) ||
		    (!iommuctl_parse_bdf(c->argv[k], bdf, sizeof(bdf)) &&
		     !strcmp(bdf, device)))
			return true;
	return !c->argc;
}

static int status_run(struct cmdctx *c, void *args UNUSED)
{
	struct iommuctl_vfio_entry *e = NULL;
	struct json_object *a, *j;
	size_t i, n = 0;
	int rc = iommuctl_vfio_journal(c->ctx, &e, &n);

	/* root keeps the journal in a directory only root may read (0700):
	 * a user is told that, not that something is wrong with it */
	if ((rc == -EACCES || rc == -EPERM) && geteuid() != 0)
		return cmd_fail(
			c, EXIT_FAILED, rc,
			"reading the journal in %s (root's, which only root reads: run 'sudo iommuctl vfio status')",
			iommuctl_get_run_dir(c->ctx));
	if (rc < 0 && iommuctl_get_error(c->ctx))
		return cmd_fail_on(c, c->object, EXIT_FAILED, rc,
				   "reading the journal in %s: %s",
				   iommuctl_get_run_dir(c->ctx),
				   iommuctl_get_error(c->ctx));
	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, rc, "reading the journal in %s",
				iommuctl_get_run_dir(c->ctx));
	a = json_object_new_array();
	for (i = 0; i < n; i++)
		if (named(c, e[i].device))
			json_object_array_add(a, entry_to_json(&e[i]));
	iommuctl_vfio_journal_free(e, n);
	j = json_object_new_object();
	jadd(j, "devices", a);
	return cmd_out(c, j);
}

static void status_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *a = jget(c, j, "devices");

	if (a && json_object_array_length(a))
		table_print(stdout, a, status_cols, "");
	else
		printf("iommuctl changed no device%s\n",
		       c->argc ? " of those named" : "");
}

static const struct render steps_render = { .text = steps_text };

static const struct verb vfio_verbs[] = {
	{ .name = "status", .summary = "what iommuctl changed (the journal)",
	  .synopsis = "[DEVICE...]",
	  .description =
		  "What iommuctl changed: one line per device in the journal\n"
		  "(/run/iommuctl/vfio), with the driver and driver_override it had\n"
		  "before, the driver it is on now and its VFIO cdev, and the last step\n"
		  "recorded ('bound', or 'planned', 'override', 'unbound' after an\n"
		  "interrupted run: then run 'iommuctl vfio restore').",
	  .max_args = ARGS_ANY, .run = status_run,
	  .render = &(const struct render){ .text = status_text } },
	{ .name = "bind",
	  .summary = "bind devices to vfio-pci, whole groups, journaled",
	  .synopsis = "[--group N]... [--allow-member DEVICE]... [--dry-run] [--force] [DEVICE...]",
	  .description =
		  "Bind devices (PCI addresses or vfioN) to vfio-pci, whole IOMMU groups at a\n"
		  "time. First a plan: every member of the devices' groups must end on\n"
		  "vfio-pci (or, for bridges, stay on their driver) for the group to be\n"
		  "usable. Members bound to host drivers are taken only when named with\n"
		  "--allow-member, or with --group. Devices the host uses (a mounted or\n"
		  "swap disk, part of dm/md, a network interface that is up with addresses\n"
		  "or the default route, the console, an open DRM device, device nodes\n"
		  "open by processes) are refused unless --force. --dry-run prints the\n"
		  "plan. Then each device's driver and driver_override are journaled under\n"
		  "/run/iommuctl before anything changes; binding uses driver_override and\n"
		  "drivers_probe (never new_id) and waits for /dev/vfio/devices/vfioN. On\n"
		  "any failure every device is put back. 'vfio restore' undoes it later.\n"
		  "Warns when the devices' MSIs are not isolated (interrupt remapping\n"
		  "off: iommufd will refuse them unless allow_unsafe_interrupts) and when\n"
		  "a hot reset of a device would reset devices outside the plan.",
	  .opts = bind_opts, .args_size = sizeof(struct vfio_args),
	  .max_args = ARGS_ANY, .flags = VERB_CHANGES_HOST, .check = bind_check,
	  .run = vfio_run, .render = &steps_render, .data = "bind" },
	{ .name = "restore",
	  .summary = "give devices back to their original drivers",
	  .synopsis = "[--group N]... [--dry-run] [--force] [DEVICE|UUID...]",
	  .description =
		  "Give devices that 'vfio bind' took back to the driver they had before,\n"
		  "from the journal in /run/iommuctl: every journaled device, or the ones\n"
		  "named. Works after an interrupted bind too. driver_override is put back\n"
		  "only where iommuctl set it and nobody changed it since. A device whose\n"
		  "VFIO cdev or group is open by a process (a VM) is refused unless\n"
		  "--force: unbinding would block until the process lets go. Then the\n"
		  "mdevs iommuctl made are removed (name one by its UUID) and the VF\n"
		  "counts it set are put back (name the PF). --dry-run makes the same\n"
		  "checks and prints the steps, changing nothing.",
	  .opts = restore_opts, .args_size = sizeof(struct vfio_args),
	  .max_args = ARGS_ANY, .flags = VERB_CHANGES_HOST, .run = vfio_run,
	  .render = &steps_render, .data = "restore" },
	{ .name = "sriov",
	  .summary = "give an SR-IOV device N virtual functions, journaled",
	  .synopsis = "--vfs N [--no-autoprobe] [--dry-run] [--force] PF",
	  .description =
		  "Set the number of virtual functions of an SR-IOV physical function\n"
		  "(its sriov_numvfs), journaled like a binding: the count (and\n"
		  "sriov_drivers_autoprobe) from before iommuctl first changed it is\n"
		  "recorded under /run/iommuctl, and 'vfio restore' (of the PF, or of\n"
		  "everything) puts it back after giving back the VFs it bound. A PF that\n"
		  "has other VFs goes through 0 (the kernel wants that): refused while\n"
		  "iommuctl has one of them bound (restore it first) or the host uses one\n"
		  "(unless --force). --no-autoprobe leaves the new VFs without a driver,\n"
		  "ready for 'vfio bind'. The kernel makes VFs through the PF's driver:\n"
		  "a PF without one is refused.",
	  .opts = sriov_opts, .args_size = sizeof(struct vfio_args),
	  .min_args = 1, .max_args = 1, .need = "name the physical function (PCI address)",
	  .flags = VERB_CHANGES_HOST, .run = vfio_run, .render = &steps_render,
	  .data = "sriov" },
	{ .name = "mdev",
	  .summary = "make a mediated device (mdev) on a parent, journaled",
	  .synopsis = "--type TYPE [--uuid UUID] [--dry-run] PARENT",
	  .description =
		  "Make a mediated device of TYPE on PARENT (a name under\n"
		  "/sys/class/mdev_bus; 'device list' shows mdevs and their parents), by\n"
		  "writing its UUID to mdev_supported_types/TYPE/create. The mdev is\n"
		  "journaled under /run/iommuctl before it is made; 'vfio restore UUID'\n"
		  "(or of everything) removes it, refusing while a process has its VFIO\n"
		  "files open unless --force. The result names the UUID and the mdev's\n"
		  "VFIO cdev; refusals name the parent's types and how many more it can\n"
		  "make (available_instances).",
	  .opts = mdev_opts, .args_size = sizeof(struct vfio_args),
	  .min_args = 1, .max_args = 1, .need = "name the mdev parent",
	  .flags = VERB_CHANGES_HOST, .run = vfio_run, .render = &steps_render,
	  .data = "mdev" },
	{ .name = NULL },
};

const struct object obj_vfio = { "vfio", "bind devices to vfio-pci safely, and give them back",
				 vfio_verbs, NULL };
