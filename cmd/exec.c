// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl exec: the fd broker. Opens /dev/iommu and the devices' VFIO cdevs
 * as root, puts their fd numbers into the command's arguments, drops
 * privileges and execs the command (a VMM) directly: no shell anywhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "builtin.h"

#define MAX_DEVS 64

struct exec_args {
	struct strlist devices;
	const char *user;
	uint64_t memlock;
	bool have_memlock, dry_run;
};

static int parse_memlock(struct cmdctx *c, const struct opt *o UNUSED,
			 const char *text, void *field)
{
	if (strcmp(text, "unlimited"))
		return parse_size(c, "--memlock", text, field);
	*(uint64_t *)field = RLIM_INFINITY;
	return 0;
}

static const struct opt exec_opts[] = {
	OPT_LIST("device", 'd', "DEVICE", struct exec_args, devices,
		 "open this vfio-pci device's cdev (PCI address or vfioN; repeatable)"),
	OPT_STR("user", 'u', "USER", struct exec_args, user,
		"run the command as this user (name or uid), with its groups"),
	OPT_CALL("memlock", 'm', "SIZE", struct exec_args, memlock, parse_memlock,
		 "raise RLIMIT_MEMLOCK to SIZE (or 'unlimited') before dropping privileges",
		 OPT_SEEN(struct exec_args, have_memlock)),
	OPT_BOOL("dry-run", 'n', struct exec_args, dry_run,
		 "open everything and print the command line, but do not run it"),
	OPT_END,
};

/* Opens the cdev of device @name (a PCI address or vfioN) into @d. */
static int open_device(struct cmdctx *c, const char *name,
		       struct iommuctl_exec_fd *d)
{
	struct iommuctl_device *dev;
	const char *drv = NULL;
	int rc = iommuctl_exec_open_device(c->ctx, name, d, &drv);

	if (rc == -ENXIO)
		return device_ref(c, name, &dev); /* says why */
	if (rc == -ENODEV && drv && !strncmp(drv, "vfio", 4))
		return cmd_fail_on(
			c, d->device, EXIT_UNAVAILABLE, ENODEV,
			"is on %s but has no VFIO device cdev (a kernel without CONFIG_VFIO_DEVICE_CDEV)",
			drv);
	if (rc == -ENODEV)
		return cmd_fail_on(
			c, d->device, EXIT_FAILED, ENODEV,
			"is on %s, not vfio-pci: iommuctl vfio bind %s first",
			drv ?: "no driver", d->device);
	if (rc < 0)
		return cmd_fail_on(
			c, d->device, EXIT_FAILED, -rc,
			"cannot open /dev/vfio/devices/%s: %s%s", d->cdev,
			strerror(-rc),
			rc == -EBUSY ?
				" (its group is open through the legacy VFIO interface)" :
				"");
	return 0;
}

/* What was opened and what will run: the result of --dry-run, and with -v
 * the line on stderr before the command runs. */
static void exec_print(FILE *f, struct cmdctx *c, struct json_object *j,
		       const char *prefix)
{
	struct json_object *d = jget(c, j, "devices"), *a = jget(c, j, "argv"),
			   *user = jopt(j, "user");
	size_t i;

	fprintf(f, "%siommufd fd %s", prefix, jstr(c, j, "iommufd"));
	for (i = 0; d && i < json_object_array_length(d); i++) {
		struct json_object *o = json_object_array_get_idx(d, i);

		fprintf(f, ", %s (%s) fd %s", jstr(c, o, "device"),
			jstr(c, o, "cdev"), jstr(c, o, "fd"));
	}
	fprintf(f, "%s%s\n", user ? ", as " : "",
		user ? json_object_get_string(user) : "");
	for (i = 0; a && i < json_object_array_length(a); i++)
		fprintf(f, "%s%s", i ? " " : "",
			json_object_get_string(
				json_object_array_get_idx(a, i)));
	fprintf(f, "\n");
}

static void exec_text(struct cmdctx *c, struct json_object *j)
{
	exec_print(stdout, c, j, "");
}

static struct json_object *exec_to_json(int iommufd,
					const struct iommuctl_exec_fd *devs,
					size_t ndev, const char *user,
					char **cmd, int argc)
{
	struct json_object *j = json_object_new_object(),
			   *d = json_object_new_array();
	size_t i;

	jadd_int(j, "iommufd", iommufd);
	for (i = 0; i < ndev; i++) {
		struct json_object *o = json_object_new_object();

		jadd_str(o, "device", devs[i].device);
		jadd_str(o, "cdev", devs[i].cdev);
		jadd_int(o, "fd", devs[i].fd);
		json_object_array_add(d, o);
	}
	jadd(j, "devices", d);
	jadd_str_or_null(j, "user", user);
	jadd(j, "argv",
	     json_strv((const char *const *)cmd, (unsigned int)argc));
	return j;
}

static int exec_check(struct cmdctx *c, void *args)
{
	const struct exec_args *a = args;

	if (a->devices.n > MAX_DEVS)
		return cmd_usage(c, "too many --device");
	if (c->in_session)
		return cmd_fail(c, EXIT_FAILED, 0,
				"exec replaces the process: not inside batch or shell");
	return 0;
}

/* Opens everything, fills the command line and runs it; returns only on
 * failure or after --dry-run. */
static int exec_cmd(struct cmdctx *c, const struct exec_args *a,
		    struct iommuctl_exec_fd *devs, int *iommufd, char **cmd)
{
	struct passwd *pw = NULL;
	struct rlimit rl = { a->memlock, a->memlock };
	size_t i, at, len;
	int rc = 0;

	/* devs[] fds are -1 until opened */
	for (i = 0; !rc && i < a->devices.n; i++)
		rc = open_device(c, a->devices.v[i], &devs[i]);
	if (rc < 0)
		return rc;
	if (a->user && iommuctl_exec_find_user(a->user, &pw) < 0)
		return cmd_fail(
			c, EXIT_FAILED, 0,
			"--user %s: no such user (not in the password database)",
			a->user);
	*iommufd = open("/dev/iommu", O_RDWR);
	if (*iommufd < 0)
		return cmd_fail(
			c, errno == ENOENT ? EXIT_UNAVAILABLE : EXIT_FAILED,
			errno, "opening /dev/iommu");
	for (i = 0; i < (size_t)c->argc; i++) {
		rc = iommuctl_exec_arg(c->argv[i], *iommufd, devs, a->devices.n,
				       &cmd[i], &at, &len);
		if (rc == -EINVAL)
			return cmd_usage(
				c,
				"{vfio} needs exactly one --device (there are %zu): use {vfio:DEVICE}",
				a->devices.n);
		if (rc == -ENODEV)
			return cmd_usage(
				c,
				"%.*s names a device that no --device opened",
				(int)len, c->argv[i] + at);
		if (rc < 0)
			return cmd_fail(c, EXIT_FAILED, ENOMEM, "exec");
	}
	if (a->have_memlock && setrlimit(RLIMIT_MEMLOCK, &rl) < 0)
		return cmd_fail(c, EXIT_FAILED, errno, "raising RLIMIT_MEMLOCK");
	if (a->dry_run || c->verbose) {
		struct json_object *j =
			exec_to_json(*iommufd, devs, a->devices.n,
				     pw ? pw->pw_name : NULL, cmd, c->argc);

		if (a->dry_run)
			return cmd_out(c, j);
		exec_print(stderr, c, j, "iommuctl: exec: ");
		json_object_put(j);
	}
	if (pw && (rc = iommuctl_exec_drop_privileges(c->ctx, pw)) < 0)
		return cmd_fail(c, EXIT_FAILED, -rc, "%s",
				iommuctl_get_error(c->ctx) ?:
					"dropping privileges");
	fflush(stdout);
	fflush(stderr);
	execvp(cmd[0], cmd);
	return cmd_fail(c, errno == ENOENT ? 127 : 126, errno, "cannot run %s",
			cmd[0]);
}

static int exec_run(struct cmdctx *c, void *args)
{
	const struct exec_args *a = args;
	struct iommuctl_exec_fd devs[MAX_DEVS];
	char **cmd = calloc((size_t)c->argc + 1, sizeof(*cmd));
	int i, rc, iommufd = -1;

	if (!cmd)
		return cmd_fail(c, EXIT_FAILED, ENOMEM, "exec");
	for (i = 0; i < MAX_DEVS; i++)
		devs[i].fd = -1;
	rc = exec_cmd(c, a, devs, &iommufd, cmd);
	for (i = 0; i < c->argc; i++)
		free(cmd[i]);
	free(cmd);
	for (i = 0; i < MAX_DEVS; i++)
		if (devs[i].fd >= 0)
			close(devs[i].fd);
	if (iommufd >= 0)
		close(iommufd);
	return rc;
}

/* clang-format off */
ONE_VERB_OBJECT(obj_exec, "exec", "run a VMM with /dev/iommu and VFIO cdevs opened for it",
	  .name = "run",
	  .summary =
		  "run a command with /dev/iommu and VFIO cdevs opened for it",
	  .synopsis =
		  "[--device DEVICE]... [--user USER] [--memlock SIZE] [--dry-run] -- COMMAND [ARG...]",
	  .description =
		  "Open /dev/iommu and each device's VFIO cdev (/dev/vfio/devices/vfioN;\n"
		  "the device must be on vfio-pci: see 'vfio bind'), then run COMMAND with\n"
		  "those files inherited. In COMMAND's arguments {iommufd} becomes the\n"
		  "iommufd's fd number, {vfio:DEVICE} the fd of that device's cdev, and\n"
		  "{vfio} the only device's when there is one; nothing else is touched.\n"
		  "With --user the command runs as that user (its uid, gid and groups; the\n"
		  "open files keep working): QEMU needs no access to /dev/iommu or\n"
		  "/dev/vfio of its own. --memlock raises the locked-memory limit that\n"
		  "iommufd charges pinned guest memory to. COMMAND is run with execvp():\n"
		  "no shell. Example:\n"
		  "  iommuctl exec --device 0000:00:03.0 --user qemu --memlock unlimited --\n"
		  "    qemu-system-x86_64 -object iommufd,id=iommufd0,fd={iommufd}\n"
		  "    -device vfio-pci,iommufd=iommufd0,fd={vfio:0000:00:03.0} ...",
	  .opts = exec_opts,
	  .args_size = sizeof(struct exec_args),
	  .min_args = 1,
	  .max_args = ARGS_ANY,
	  .need = "no command: iommuctl exec [OPTIONS] -- COMMAND [ARG...]",
	  /* it replaces the process: -v says what it runs before it does */
	  .flags = VERB_LIVE | VERB_STREAMS,
	  .check = exec_check,
	  .run = exec_run,
	  .render = &(const struct render){ .text = exec_text });
/* clang-format on */
