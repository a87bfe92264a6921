// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl exec: the fd broker. Opens /dev/iommu and the devices' VFIO cdevs
 * as root, puts their fd numbers into the command's arguments, drops
 * privileges and execs the command (a VMM) directly: no shell anywhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "builtin.h"

static const struct opt exec_opts[] = {
	{ "device", 'd', "DEVICE",
	  "open this vfio-pci device's cdev (PCI address or vfioN; repeatable)" },
	{ "user", 'u', "USER",
	  "run the command as this user (name or uid), with its groups" },
	{ "memlock", 'm', "SIZE",
	  "raise RLIMIT_MEMLOCK to SIZE (or 'unlimited') before dropping privileges" },
	{ "dry-run", 'n', NULL,
	  "open everything and print the command line, but do not run it" },
	{ NULL, 0, NULL, NULL },
};

static const struct verb_help exec_help = {
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
};

struct exec_dev {
	char bdf[32];
	char cdev[32];
	int fd;
};

/* Replaces every {iommufd}, {vfio} and {vfio:DEVICE} in @arg. NULL and an
 * error message in @err for an unknown device or an ambiguous {vfio}. */
static char *substitute(const char *arg, int iommufd,
			const struct exec_dev *devs, size_t ndev, char *err,
			size_t errlen)
{
	size_t cap = strlen(arg) + 1, len = 0;
	char *out = malloc(cap), *tmp;
	const char *p = arg;

	if (!out)
		return NULL;
	while (*p) {
		char num[16];
		const char *val = NULL, *close;
		size_t skip = 0, vlen;

		if (!strncmp(p, "{iommufd}", 9)) {
			snprintf(num, sizeof(num), "%d", iommufd);
			val = num;
			skip = 9;
		} else if (!strncmp(p, "{vfio}", 6)) {
			if (ndev != 1) {
				snprintf(
					err, errlen,
					"{vfio} needs exactly one --device (there are %zu): use {vfio:DEVICE}",
					ndev);
				free(out);
				return NULL;
			}
			snprintf(num, sizeof(num), "%d", devs[0].fd);
			val = num;
			skip = 6;
		} else if (!strncmp(p, "{vfio:", 6) &&
			   (close = strchr(p + 6, '}'))) {
			char want[64], bdf[64];
			size_t i, wl = close - (p + 6);

			snprintf(want, sizeof(want), "%.*s",
				 (int)(wl < sizeof(want) ? wl :
							   sizeof(want) - 1),
				 p + 6);
			if (iommuctl_parse_bdf(want, bdf, sizeof(bdf)) < 0)
				snprintf(bdf, sizeof(bdf), "%s", want);
			for (i = 0; i < ndev; i++)
				if (!strcmp(devs[i].bdf, bdf) ||
				    !strcmp(devs[i].cdev, want))
					break;
			if (i == ndev) {
				snprintf(
					err, errlen,
					"%.*s names a device that no --device opened",
					(int)(close - p + 1), p);
				free(out);
				return NULL;
			}
			snprintf(num, sizeof(num), "%d", devs[i].fd);
			val = num;
			skip = close - p + 1;
		}
		vlen = val ? strlen(val) : 1;
		if (len + vlen + 1 > cap) {
			cap = (len + vlen + 1) * 2;
			tmp = realloc(out, cap);
			if (!tmp) {
				free(out);
				return NULL;
			}
			out = tmp;
		}
		if (val) {
			memcpy(out + len, val, vlen);
			p += skip;
		} else {
			out[len] = *p++;
		}
		len += vlen;
	}
	out[len] = '\0';
	return out;
}

static int open_device(struct cmdctx *c, const char *name, struct exec_dev *d)
{
	struct iommuctl_device *dev = NULL;
	const char *cdev, *drv;
	char path[64];

	/* "vfio3" */
	for (dev = iommuctl_device_get_first(c->ctx); dev;
	     dev = iommuctl_device_get_next(dev))
		if (iommuctl_device_get_vfio_cdev(dev) &&
		    !strcmp(iommuctl_device_get_vfio_cdev(dev), name))
			break;
	if (!dev)
		dev = lookup_device(c, name);
	if (!dev)
		return EXIT_FAILED;
	snprintf(d->bdf, sizeof(d->bdf), "%s", iommuctl_device_get_name(dev));
	cdev = iommuctl_device_get_vfio_cdev(dev);
	drv = iommuctl_device_get_driver(dev);
	if (!cdev && drv && !strncmp(drv, "vfio", 4))
		return cmd_error_on(
			c, d->bdf, EXIT_UNAVAILABLE, ENODEV,
			"is on %s but has no VFIO device cdev (a kernel without CONFIG_VFIO_DEVICE_CDEV)",
			drv);
	if (!cdev)
		return cmd_error_on(
			c, d->bdf, EXIT_FAILED, ENODEV,
			"is on %s, not vfio-pci: iommuctl vfio bind %s first",
			drv ?: "no driver", d->bdf);
	snprintf(d->cdev, sizeof(d->cdev), "%s", cdev);
	snprintf(path, sizeof(path), "/dev/vfio/devices/%s", cdev);
	/* inherited by the command: no O_CLOEXEC */
	d->fd = open(path, O_RDWR);
	if (d->fd < 0)
		return cmd_error_on(
			c, d->bdf, EXIT_FAILED, errno, "cannot open %s: %s%s",
			path, strerror(errno),
			errno == EBUSY ?
				" (its group is open through the legacy VFIO interface)" :
				"");
	return -1;
}

/* uid, gid and name of USER (a name or a number) */
static int user_arg(struct cmdctx *c, const char *user, uid_t *uid, gid_t *gid,
		    char **name)
{
	struct passwd *pw;
	char *end;
	unsigned long v;

	errno = 0;
	pw = getpwnam(user);
	if (!pw) {
		v = strtoul(user, &end, 10);
		if (*user && !*end && v < (unsigned long)(uid_t)-1)
			pw = getpwuid((uid_t)v);
	}
	if (!pw)
		return cmd_error(
			c, EXIT_FAILED, 0,
			"--user %s: no such user (not in the password database)",
			user);
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	*name = strdup(pw->pw_name);
	return *name ? -1 : cmd_error(c, EXIT_FAILED, ENOMEM, "--user");
}

static int drop_privileges(struct cmdctx *c, const char *name, uid_t uid,
			   gid_t gid)
{
	if (initgroups(name, gid) < 0)
		return cmd_error(c, EXIT_FAILED, errno,
				 "setting the groups of %s", name);
	if (setresgid(gid, gid, gid) < 0)
		return cmd_error(c, EXIT_FAILED, errno, "setting gid %u",
				 (unsigned int)gid);
	if (setresuid(uid, uid, uid) < 0)
		return cmd_error(c, EXIT_FAILED, errno, "setting uid %u",
				 (unsigned int)uid);
	/* there must be no way back */
	if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0))
		return cmd_error(
			c, EXIT_FAILED, EPERM,
			"could regain root after dropping it: not running the command");
	return -1;
}

static int memlock_arg(struct cmdctx *c, const char *text, rlim_t *out)
{
	uint64_t v;

	if (!strcmp(text, "unlimited")) {
		*out = RLIM_INFINITY;
		return -1;
	}
	if (size_arg(c, "--memlock", text, &v) >= 0)
		return EXIT_USAGE;
	*out = (rlim_t)v;
	return -1;
}

static int do_exec(int argc, char **argv, struct cmdctx *c)
{
	struct exec_dev devs[64];
	const char *user = NULL;
	char **cmd = NULL, *uname = NULL, err[256] = "";
	bool dry_run = false, memlock = false;
	size_t ndev = 0, i;
	int opt = 0, ret = -1, iommufd = -1, dashdash, ncmd = 0;
	rlim_t lim = 0;
	uid_t uid = 0;
	gid_t gid = 0;
	struct optparse p;

	/* our options end at "--"; everything after it is the command */
	for (dashdash = 1; dashdash < argc; dashdash++)
		if (!strcmp(argv[dashdash], "--"))
			break;
	optparse_init(&p, c, dashdash, argv, &exec_help);
	while (ret < 0 && (opt = optparse_next(&p)) >= 0) {
		switch (exec_opts[opt].sname) {
		case 'd':
			if (ndev == sizeof(devs) / sizeof(devs[0])) {
				ret = cmd_usage_error(c, "too many --device");
				break;
			}
			ret = open_device(c, p.arg, &devs[ndev]);
			if (ret < 0)
				ndev++;
			break;
		case 'u':
			user = p.arg;
			break;
		case 'm':
			ret = memlock_arg(c, p.arg, &lim);
			memlock = true;
			break;
		case 'n':
			dry_run = true;
			break;
		}
	}
	optparse_fini(&p);
	if (ret < 0 && opt == OPT_EXIT)
		ret = p.exit;
	if (ret < 0 && p.argc)
		ret = cmd_usage_error(
			c, "'%s' before '--': put the command after '--'",
			p.argv[0]);
	if (ret < 0 && dashdash >= argc - 1)
		ret = cmd_usage_error(
			c,
			"no command: iommuctl exec [OPTIONS] -- COMMAND [ARG...]");
	if (ret < 0 && c->in_session)
		ret = cmd_error(
			c, EXIT_FAILED, 0,
			"exec replaces the process: not inside batch or shell");
	if (ret < 0 && iommuctl_is_offline(c->ctx))
		ret = cmd_error(c, EXIT_UNAVAILABLE, EOPNOTSUPP,
				"needs the live system, not --root");
	if (ret < 0 && user)
		ret = user_arg(c, user, &uid, &gid, &uname);
	if (ret < 0) {
		iommufd = open("/dev/iommu", O_RDWR);
		if (iommufd < 0)
			ret = cmd_error(c,
					errno == ENOENT ? EXIT_UNAVAILABLE :
							  EXIT_FAILED,
					errno, "opening /dev/iommu");
	}
	if (ret < 0) {
		ncmd = argc - dashdash - 1;
		cmd = calloc(ncmd + 1, sizeof(*cmd));
		if (!cmd)
			ret = cmd_error(c, EXIT_FAILED, ENOMEM, "exec");
	}
	for (i = 0; ret < 0 && i < (size_t)ncmd; i++) {
		cmd[i] = substitute(argv[dashdash + 1 + i], iommufd, devs, ndev,
				    err, sizeof(err));
		if (!cmd[i])
			ret = *err ? cmd_usage_error(c, "%s", err) :
				     cmd_error(c, EXIT_FAILED, ENOMEM, "exec");
	}
	if (ret < 0 && memlock) {
		struct rlimit rl = { .rlim_cur = lim, .rlim_max = lim };

		if (setrlimit(RLIMIT_MEMLOCK, &rl) < 0)
			ret = cmd_error(c, EXIT_FAILED, errno,
					"raising RLIMIT_MEMLOCK");
	}
	if (ret < 0 && (dry_run || c->verbose)) {
		struct json_object *j = json_object_new_object(), *a, *d;

		json_object_object_add(j, "iommufd",
				       json_object_new_int(iommufd));
		d = json_object_new_array();
		for (i = 0; i < ndev; i++) {
			struct json_object *o = json_object_new_object();

			json_object_object_add(
				o, "device",
				json_object_new_string(devs[i].bdf));
			json_object_object_add(
				o, "cdev",
				json_object_new_string(devs[i].cdev));
			json_object_object_add(o, "fd",
					       json_object_new_int(devs[i].fd));
			json_object_array_add(d, o);
		}
		json_object_object_add(j, "devices", d);
		json_object_object_add(j, "user",
				       uname ? json_object_new_string(uname) :
					       NULL);
		a = json_object_new_array();
		for (i = 0; i < (size_t)ncmd; i++)
			json_object_array_add(a,
					      json_object_new_string(cmd[i]));
		json_object_object_add(j, "argv", a);
		if (c->json && dry_run) {
			json_print(c, j);
		} else {
			FILE *f = dry_run ? stdout : stderr;

			fprintf(f, "%siommufd fd %d",
				dry_run ? "" : "iommuctl: exec: ", iommufd);
			for (i = 0; i < ndev; i++)
				fprintf(f, ", %s (%s) fd %d", devs[i].bdf,
					devs[i].cdev, devs[i].fd);
			fprintf(f, "%s%s\n", uname ? ", as " : "",
				uname ? uname : "");
			for (i = 0; i < (size_t)ncmd; i++)
				fprintf(f, "%s%s", i ? " " : "", cmd[i]);
			fprintf(f, "\n");
		}
		json_object_put(j);
		if (dry_run)
			ret = EXIT_OK;
	}
	if (ret < 0 && uname)
		ret = drop_privileges(c, uname, uid, gid);
	if (ret < 0) {
		fflush(stdout);
		fflush(stderr);
		execvp(cmd[0], cmd);
		ret = cmd_error(c, errno == ENOENT ? 127 : 126, errno,
				"cannot run %s", cmd[0]);
	}
	for (i = 0; cmd && i < (size_t)ncmd; i++)
		free(cmd[i]);
	free(cmd);
	free(uname);
	for (i = 0; i < ndev; i++)
		close(devs[i].fd);
	if (iommufd >= 0)
		close(iommufd);
	return ret;
}

static const struct cmd exec_cmds[] = {
	{ "run", do_exec,
	  "run a command with /dev/iommu and VFIO cdevs opened for it" },
	{ NULL, NULL, NULL },
};

int cmd_exec(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(exec_cmds, argc, argv, c);
}

LEGACY_OBJECT(obj_exec, "exec", "run a VMM with /dev/iommu and VFIO cdevs opened for it", cmd_exec);
