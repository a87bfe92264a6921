// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl vfio bind|restore|status: hand devices to vfio-pci safely and
 * give them back. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "builtin.h"

static const struct column step_cols[] = {
	{ "DEVICE", "device", 0 }, { "GROUP", "group", COL_RIGHT },
	{ "DRIVER", "driver", 0 }, { "ACTION", "action", 0 },
	{ "TARGET", "target", 0 }, { "CDEV", "cdev", 0 },
	{ "NOTE", "why", 0 },	   { NULL, NULL, 0 },
};

static struct json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

/* One emitter for a plan or restore step: JSON and the table row. */
static struct json_object *step_to_json(const struct iommuctl_vfio_step *st)
{
	struct json_object *j = json_object_new_object(), *u;
	char *path = NULL;

	json_object_object_add(j, "device", json_object_new_string(st->device));
	json_object_object_add(j, "group",
			       st->group >= 0 ? json_object_new_int(st->group) :
						NULL);
	json_object_object_add(j, "driver", str_or_null(st->driver));
	json_object_object_add(j, "driver_override",
			       str_or_null(st->driver_override));
	json_object_object_add(
		j, "action",
		json_object_new_string(iommuctl_vfio_action_name(st->action)));
	json_object_object_add(j, "target", str_or_null(st->target));
	json_object_object_add(j, "requested",
			       json_object_new_boolean(st->requested));
	json_object_object_add(j, "forced",
			       json_object_new_boolean(st->forced));
	json_object_object_add(j, "done", json_object_new_boolean(st->done));
	json_object_object_add(j, "note", str_or_null(st->note));
	json_object_object_add(j, "refusal", str_or_null(st->refusal));
	json_object_object_add(
		j, "why", str_or_null(st->refusal ? st->refusal : st->note));
	u = json_object_new_array();
	for (size_t i = 0; i < st->nuses; i++) {
		struct json_object *x = json_object_new_object();

		json_object_object_add(
			x, "kind",
			json_object_new_string(
				iommuctl_use_kind_name(st->uses[i].kind)));
		json_object_object_add(
			x, "object",
			json_object_new_string(st->uses[i].object));
		json_object_object_add(
			x, "detail",
			json_object_new_string(st->uses[i].detail));
		json_object_array_add(u, x);
	}
	json_object_object_add(j, "uses", u);
	json_object_object_add(j, "cdev", str_or_null(st->cdev));
	if (st->cdev && asprintf(&path, "/dev/vfio/devices/%s", st->cdev) < 0)
		path = NULL;
	json_object_object_add(j, "cdev_path", str_or_null(path));
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

/*
 * Prints the steps (a table, or one JSON document with "steps" and, on
 * failure, "error"), the warnings for forced steps, and the error.
 */
static int report(struct cmdctx *c, struct iommuctl_vfio *v, int rc,
		  const char *what, bool dry_run)
{
	const struct iommuctl_vfio_step *st;
	size_t n = iommuctl_vfio_get_steps(v, &st);
	struct json_object *j = json_object_new_object(), *a;
	const char *why = iommuctl_vfio_error(v);
	char *msg = NULL;

	a = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object_array_add(a, step_to_json(&st[i]));
		if (st[i].forced && !dry_run)
			fprintf(stderr,
				"iommuctl: vfio: WARNING: --force: %s %s although it is in use: %s\n",
				st[i].device,
				st[i].action == IOMMUCTL_VFIO_RESTORE ?
					"given back" :
					"taken from the host",
				st[i].note ? st[i].note : "");
	}
	if (rc < 0 &&
	    asprintf(&msg, "vfio %s: %s", what, why ? why : strerror(-rc)) < 0)
		msg = NULL;
	if (c->json) {
		json_object_object_add(j, "dry_run",
				       json_object_new_boolean(dry_run));
		json_object_object_add(j, "steps", a);
		if (rc < 0) {
			json_object_object_add(j, "error",
					       str_or_null(msg ? msg : what));
			json_object_object_add(j, "errno",
					       json_object_new_int(-rc));
		}
		json_print(c, j);
	} else {
		if (n)
			table_print(stdout, a, step_cols, "");
		json_object_put(a);
	}
	json_object_put(j);
	if (rc < 0) {
		fflush(stdout);
		fprintf(stderr, "iommuctl: %s\n", msg ? msg : what);
	}
	free(msg);
	if (rc == -ENODEV || rc == -EOPNOTSUPP)
		return EXIT_UNAVAILABLE;
	return rc < 0 ? EXIT_FAILED : EXIT_OK;
}

static int group_arg(struct cmdctx *c, const char *text, unsigned int *id)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (!*text || *end || errno || v > 1u << 30)
		return cmd_usage_error(
			c, "--group wants a group number, not '%s'", text);
	*id = (unsigned int)v;
	return -1;
}

static const struct opt bind_opts[] = {
	{ "group", 'g', "N", "take every member of IOMMU group N" },
	{ "allow-member", 'a', "DEVICE",
	  "a member of the devices' groups that may be taken from its driver too" },
	{ "dry-run", 'n', NULL, "print the plan, change nothing" },
	{ "force", 'f', NULL,
	  "take devices although the host uses them (loudly)" },
	{ "timeout", 't', "SECS",
	  "wait this long for the lock and each cdev (default 10)" },
	{ NULL, 0, NULL, NULL },
};

static const struct verb_help bind_help = {
	.synopsis =
		"[--group N]... [--allow-member DEVICE]... [--dry-run] [--force] [DEVICE...]",
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
		"any failure every device is put back. 'vfio restore' undoes it later.",
	.opts = bind_opts,
};

static int setup(struct cmdctx *c, struct iommuctl_vfio **out)
{
	int rc = iommuctl_vfio_new(c->ctx, out);

	if (rc < 0)
		return cmd_error(c, EXIT_FAILED, rc, "vfio");
	iommuctl_vfio_set_progress(*out, progress_cb, c);
	return -1;
}

static int timeout_arg(struct cmdctx *c, const char *text, unsigned int *ms)
{
	char *end;
	double s;

	errno = 0;
	s = strtod(text, &end);
	if (!*text || *end || errno || !(s >= 0) || s > 3600)
		return cmd_usage_error(
			c, "--timeout wants seconds (0 to 3600), not '%s'",
			text);
	*ms = (unsigned int)(s * 1000);
	return -1;
}

static int do_bind(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_vfio *v = NULL;
	unsigned int flags = 0, id, ms, nasked = 0;
	bool dry_run = false;
	struct optparse p;
	int opt = 0, rc, ret = -1;

	rc = setup(c, &v);
	if (rc >= 0)
		return rc;
	optparse_init(&p, c, argc, argv, &bind_help);
	while (ret < 0 && (opt = optparse_next(&p)) >= 0) {
		switch (bind_opts[opt].sname) {
		case 'g':
			ret = group_arg(c, p.arg, &id);
			if (ret < 0 && iommuctl_vfio_add_group(v, id) < 0)
				ret = cmd_error(c, EXIT_FAILED, 0, "%s",
						iommuctl_vfio_error(v));
			nasked++;
			break;
		case 'a':
			if (iommuctl_vfio_allow_member(v, p.arg) < 0)
				ret = cmd_error(c, EXIT_FAILED, 0, "%s",
						iommuctl_vfio_error(v));
			break;
		case 'n':
			dry_run = true;
			break;
		case 'f':
			flags |= IOMMUCTL_VFIO_FORCE;
			break;
		case 't':
			ret = timeout_arg(c, p.arg, &ms);
			if (ret < 0)
				iommuctl_vfio_set_timeout(v, ms);
			break;
		}
	}
	optparse_fini(&p);
	if (ret < 0 && opt == OPT_EXIT)
		ret = p.exit;
	for (int i = 0; ret < 0 && i < p.argc; i++)
		if (iommuctl_vfio_add_device(v, p.argv[i]) < 0)
			ret = cmd_error(c, EXIT_FAILED, 0, "%s",
					iommuctl_vfio_error(v));
	if (ret < 0 && !p.argc && !nasked)
		ret = cmd_usage_error(c, "name a device or --group N");
	if (ret >= 0) {
		iommuctl_vfio_free(v);
		return ret;
	}
	iommuctl_vfio_set_flags(v, flags);
	if (dry_run)
		rc = iommuctl_vfio_plan(v);
	else
		rc = iommuctl_vfio_apply(v);
	ret = report(c, v, rc, dry_run ? "bind --dry-run" : "bind", dry_run);
	iommuctl_vfio_free(v);
	return ret;
}

static const struct opt restore_opts[] = {
	{ "group", 'g', "N", "every journaled member of IOMMU group N" },
	{ "force", 'f', NULL,
	  "unbind vfio-pci although a process has the device's VFIO files open" },
	{ "timeout", 't', "SECS", "wait this long for the lock (default 10)" },
	{ NULL, 0, NULL, NULL },
};

static const struct verb_help restore_help = {
	.synopsis = "[--group N]... [--force] [DEVICE...]",
	.description =
		"Give devices that 'vfio bind' took back to the driver they had before,\n"
		"from the journal in /run/iommuctl: every journaled device, or the ones\n"
		"named. Works after an interrupted bind too. driver_override is put back\n"
		"only where iommuctl set it and nobody changed it since. A device whose\n"
		"VFIO cdev or group is open by a process (a VM) is refused unless\n"
		"--force: unbinding would block until the process lets go.",
	.opts = restore_opts,
};

static int do_restore(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_vfio *v = NULL;
	unsigned int flags = 0, id, ms;
	struct optparse p;
	int opt = 0, rc, ret = -1;

	rc = setup(c, &v);
	if (rc >= 0)
		return rc;
	optparse_init(&p, c, argc, argv, &restore_help);
	while (ret < 0 && (opt = optparse_next(&p)) >= 0) {
		switch (restore_opts[opt].sname) {
		case 'g':
			ret = group_arg(c, p.arg, &id);
			if (ret < 0 && iommuctl_vfio_add_group(v, id) < 0)
				ret = cmd_error(c, EXIT_FAILED, 0, "%s",
						iommuctl_vfio_error(v));
			break;
		case 'f':
			flags |= IOMMUCTL_VFIO_FORCE;
			break;
		case 't':
			ret = timeout_arg(c, p.arg, &ms);
			if (ret < 0)
				iommuctl_vfio_set_timeout(v, ms);
			break;
		}
	}
	optparse_fini(&p);
	if (ret < 0 && opt == OPT_EXIT)
		ret = p.exit;
	for (int i = 0; ret < 0 && i < p.argc; i++)
		if (iommuctl_vfio_add_device(v, p.argv[i]) < 0)
			ret = cmd_error(c, EXIT_FAILED, 0, "%s",
					iommuctl_vfio_error(v));
	if (ret >= 0) {
		iommuctl_vfio_free(v);
		return ret;
	}
	iommuctl_vfio_set_flags(v, flags);
	rc = iommuctl_vfio_restore(v);
	ret = report(c, v, rc, "restore", false);
	if (!rc && !c->json) {
		const struct iommuctl_vfio_step *st;

		if (!iommuctl_vfio_get_steps(v, &st))
			printf("nothing to restore: iommuctl changed no device\n");
	}
	iommuctl_vfio_free(v);
	return ret;
}

static const struct column status_cols[] = {
	{ "DEVICE", "device", 0 }, { "ORIGINAL", "original_driver", 0 },
	{ "NOW", "driver", 0 },	   { "CDEV", "cdev", 0 },
	{ "STATE", "state", 0 },   { "PID", "pid", COL_RIGHT },
	{ "SINCE", "since", 0 },   { NULL, NULL, 0 },
};

static const struct verb_help status_help = {
	.synopsis = "[DEVICE...]",
	.description =
		"What iommuctl changed: one line per device in the journal\n"
		"(/run/iommuctl/vfio), with the driver and driver_override it had\n"
		"before, the driver it is on now and its VFIO cdev, and the last step\n"
		"recorded ('bound', or 'planned', 'override', 'unbound' after an\n"
		"interrupted run: then run 'iommuctl vfio restore').",
	.opts = NULL,
};

static struct json_object *entry_to_json(const struct iommuctl_vfio_entry *e)
{
	struct json_object *j = json_object_new_object();
	char since[32] = "";
	time_t t = (time_t)e->time;
	struct tm tm;

	json_object_object_add(j, "device", json_object_new_string(e->device));
	json_object_object_add(j, "original_driver", str_or_null(e->driver));
	json_object_object_add(j, "original_driver_override",
			       str_or_null(e->driver_override));
	json_object_object_add(j, "set_override",
			       json_object_new_boolean(e->set_override));
	json_object_object_add(j, "driver", str_or_null(e->cur_driver));
	json_object_object_add(j, "cdev", str_or_null(e->cdev));
	json_object_object_add(j, "state", str_or_null(e->state));
	json_object_object_add(j, "pid", json_object_new_int64(e->pid));
	json_object_object_add(j, "time", json_object_new_int64(e->time));
	if (gmtime_r(&t, &tm))
		strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_object_add(j, "since", json_object_new_string(since));
	return j;
}

static int do_status(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_vfio_entry *e = NULL;
	struct json_object *a, *j;
	size_t n = 0, shown = 0;
	struct optparse p;
	int opt, rc;

	optparse_init(&p, c, argc, argv, &status_help);
	while ((opt = optparse_next(&p)) >= 0)
		;
	optparse_fini(&p);
	if (opt == OPT_EXIT)
		return p.exit;
	rc = iommuctl_vfio_journal(c->ctx, &e, &n);
	if (rc < 0)
		return cmd_error(c, EXIT_FAILED, rc,
				 "reading the journal in %s",
				 iommuctl_get_run_dir(c->ctx));
	a = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		bool want = !p.argc;

		for (int k = 0; k < p.argc && !want; k++) {
			char bdf[32];

			want = !iommuctl_parse_bdf(p.argv[k], bdf,
						   sizeof(bdf)) &&
			       !strcmp(bdf, e[i].device);
		}
		if (!want)
			continue;
		json_object_array_add(a, entry_to_json(&e[i]));
		shown++;
	}
	iommuctl_vfio_journal_free(e, n);
	if (c->json) {
		j = json_object_new_object();
		json_object_object_add(j, "devices", a);
		json_print(c, j);
		json_object_put(j);
		return EXIT_OK;
	}
	if (!shown)
		printf("iommuctl changed no device%s\n",
		       p.argc ? " of those named" : "");
	else
		table_print(stdout, a, status_cols, "");
	json_object_put(a);
	return EXIT_OK;
}

static const struct cmd vfio_cmds[] = {
	{ "status", do_status, "what iommuctl changed (the journal)" },
	{ "bind", do_bind,
	  "bind devices to vfio-pci, whole groups, journaled" },
	{ "restore", do_restore,
	  "give devices back to their original drivers" },
	{ NULL, NULL, NULL },
};

int cmd_vfio(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(vfio_cmds, argc, argv, c);
}

LEGACY_OBJECT(obj_vfio, "vfio", "bind devices to vfio-pci safely, and give them back", cmd_vfio);
