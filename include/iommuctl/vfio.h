/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/*
 * <iommuctl/vfio.h>: binding devices to vfio-pci and giving them back (journal).
 * Part of libiommuctl; <iommuctl/libiommuctl.h> includes every part.
 */
#ifndef IOMMUCTL_VFIO_H
#define IOMMUCTL_VFIO_H

#include <iommuctl/usage.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * DOC: binding devices to vfio-pci
 *
 * An assignment (struct iommuctl_vfio) is planned before anything changes:
 * the devices and groups asked for are widened to whole IOMMU groups, and
 * every member gets an action. Members on host drivers are only taken when
 * asked for (by name, iommuctl_vfio_allow_member() or
 * IOMMUCTL_VFIO_WHOLE_GROUP); devices the host is using (see
 * iommuctl_device_get_uses()) only with IOMMUCTL_VFIO_FORCE. Applying it
 * records each device's driver and driver_override in a journal under the
 * run directory before touching the device, binds with driver_override and
 * drivers_probe, waits for the VFIO cdev and rolls everything back on any
 * failure. iommuctl_vfio_restore() undoes it from the journal later, also
 * after an interrupted run. A lock file serialises concurrent runs.
 */

/** Take every member of the groups of the devices asked for. */
#define IOMMUCTL_VFIO_WHOLE_GROUP 0x1
/** Take (or give back) devices although the host (or a VMM) uses them. */
#define IOMMUCTL_VFIO_FORCE 0x2
/** iommuctl_vfio_set_numvfs(): the new VFs get no driver (sriov_drivers_autoprobe 0). */
#define IOMMUCTL_VFIO_NO_AUTOPROBE 0x4
/**
 * iommuctl_vfio_restore(): only say what restoring would do (the steps,
 * their targets and refusals, as a real restore checks them); nothing is
 * written and the journal stays.
 */
#define IOMMUCTL_VFIO_DRY_RUN 0x8

/** enum iommuctl_vfio_action - what a plan does with one device */
enum iommuctl_vfio_action {
	IOMMUCTL_VFIO_KEEP = 0, /* nothing: already on vfio-pci (or pci-stub) */
	/* unbind it from its driver (if any), bind vfio-pci */
	IOMMUCTL_VFIO_BIND,
	IOMMUCTL_VFIO_BRIDGE, /* nothing: a bridge stays on its driver */
	IOMMUCTL_VFIO_REFUSE, /* the plan cannot take it (see @refusal) */
	IOMMUCTL_VFIO_RESTORE, /* give it back to its original driver */
	IOMMUCTL_VFIO_SET_VFS, /* set a PF's VF count (sriov_numvfs) */
	IOMMUCTL_VFIO_CREATE_MDEV, /* make an mdev on a parent */
	IOMMUCTL_VFIO_REMOVE_MDEV, /* remove an mdev iommuctl made */
};
/** iommuctl_vfio_action_name() - "keep", "bind", "bridge", "refuse", "restore",
 * "set-vfs", "create-mdev", "remove-mdev". */
const char *iommuctl_vfio_action_name(enum iommuctl_vfio_action a);

/** struct iommuctl_vfio_step - one device of a plan (or of a restore) */
struct iommuctl_vfio_step {
	const char *device; /* PCI address */
	int group; /* IOMMU group number, -1 when it has none (yet) */
	const char *driver; /* the driver it is bound to now, or NULL */
	const char *driver_override; /* its driver_override now, or NULL */
	/* the driver it ends on: "vfio-pci", the original driver for a
	 * restore, or NULL (no driver) */
	const char *target;
	enum iommuctl_vfio_action action; /* what happens to it */
	bool requested; /* named by the caller (not only a member of a group) */
	bool forced; /* host uses were overridden with IOMMUCTL_VFIO_FORCE */
	/* why this action, for people ("group member, allowed"), or NULL */
	const char *note;
	/* for IOMMUCTL_VFIO_REFUSE, why, naming the option that would
	 * override it when there is one */
	const char *refusal;
	/* how the host uses it (bind) or who has its VFIO files open
	 * (restore) */
	const struct iommuctl_use *uses;
	size_t nuses; /* their number */
	/* after binding, the VFIO device cdev name ("vfio0") or NULL */
	const char *cdev;
	bool done; /* the action was carried out */
};

/**
 * typedef iommuctl_vfio_progress_fn - called after each change to the host
 * @device: the PCI address
 * @step: "journal", "override", "unbind", "probe", "cdev" (the cdev node
 *	appeared), "rollback", "restore"
 * @detail: what was written or seen
 * @data: the pointer given to iommuctl_vfio_set_progress()
 */
typedef void (*iommuctl_vfio_progress_fn)(const char *device, const char *step,
					  const char *detail, void *data);

struct iommuctl_vfio;
/** iommuctl_vfio_new() - an empty assignment on @ctx. */
int iommuctl_vfio_new(struct iommuctl_ctx *ctx, struct iommuctl_vfio **out);
/** iommuctl_vfio_free() - free it (nothing on the host changes). */
void iommuctl_vfio_free(struct iommuctl_vfio *v);
/** iommuctl_vfio_set_flags() - IOMMUCTL_VFIO_WHOLE_GROUP | IOMMUCTL_VFIO_FORCE. */
void iommuctl_vfio_set_flags(struct iommuctl_vfio *v, unsigned int flags);
/** iommuctl_vfio_set_timeout() - how long to wait for a cdev or the lock (ms, default 10000). */
void iommuctl_vfio_set_timeout(struct iommuctl_vfio *v, unsigned int ms);
/** iommuctl_vfio_set_progress() - report each change as it is made. */
void iommuctl_vfio_set_progress(struct iommuctl_vfio *v,
				iommuctl_vfio_progress_fn fn, void *data);
/**
 * iommuctl_vfio_add_device() - ask for a device (PCI address or "vfioN")
 * Return: 0; -ENOENT (iommuctl_vfio_error() names it); -EINVAL not PCI.
 */
int iommuctl_vfio_add_device(struct iommuctl_vfio *v, const char *name);
/** iommuctl_vfio_add_group() - ask for every member of group @id. */
int iommuctl_vfio_add_group(struct iommuctl_vfio *v, unsigned int id);
/** iommuctl_vfio_allow_member() - a group member that may be taken too. */
int iommuctl_vfio_allow_member(struct iommuctl_vfio *v, const char *name);
/**
 * iommuctl_vfio_plan() - work out what binding would do, changing nothing
 *
 * Return: 0 when the plan can be applied; -EPERM when a step is refused
 * (iommuctl_vfio_error() says why and what overrides it); -errno.
 */
int iommuctl_vfio_plan(struct iommuctl_vfio *v);
/**
 * iommuctl_vfio_get_steps() - the plan, or the restore, device by device
 * Return: the number of steps; *@steps valid until the next call on @v.
 */
size_t iommuctl_vfio_get_steps(struct iommuctl_vfio *v,
			       const struct iommuctl_vfio_step **steps);
/**
 * iommuctl_vfio_apply() - plan again under the lock, then bind
 *
 * Journals every device before changing any; on a failure puts back every
 * device this call changed. Live contexts only, as root.
 *
 * Return: 0; -EPERM refused; -ETIMEDOUT (lock or cdev); -errno. Either way
 * iommuctl_vfio_error() explains a failure.
 */
int iommuctl_vfio_apply(struct iommuctl_vfio *v);
/**
 * iommuctl_vfio_restore() - give journaled devices back to their drivers
 *
 * The devices asked for (iommuctl_vfio_add_device() or _add_group()), or
 * every device in the journal when none was. A device whose VFIO cdev or
 * group is open by a process is refused unless IOMMUCTL_VFIO_FORCE.
 * driver_override is put back only when iommuctl set it and it still holds
 * what iommuctl wrote. Steps report each device.
 *
 * Return: 0; -ENOENT when a device asked for is not in the journal; -EPERM
 * refused; -errno (the first failure; other devices are still restored).
 */
int iommuctl_vfio_restore(struct iommuctl_vfio *v);
/**
 * iommuctl_vfio_set_numvfs() - give an SR-IOV PF @n virtual functions
 * @name: the PF (PCI address)
 * @dry_run: only plan (one step: the PF, IOMMUCTL_VFIO_SET_VFS or KEEP)
 *
 * Journals the PF's VF count (and sriov_drivers_autoprobe) from before
 * iommuctl first changed it, then writes sriov_numvfs (through 0 when it
 * has other VFs: the kernel wants that). With IOMMUCTL_VFIO_NO_AUTOPROBE
 * the new VFs get no driver, ready for iommuctl_vfio_apply(). Refused when
 * VFs that would go away are bound by iommuctl (restore them first) or used
 * by the host (unless IOMMUCTL_VFIO_FORCE). iommuctl_vfio_restore() of the
 * PF (or of everything) puts the count back.
 *
 * Return: 0; -EOPNOTSUPP not SR-IOV capable; -EINVAL more than
 * sriov_totalvfs; -EPERM refused; the kernel's -errno.
 */
int iommuctl_vfio_set_numvfs(struct iommuctl_vfio *v, const char *name,
			     unsigned int n, bool dry_run);
/**
 * iommuctl_vfio_create_mdev() - make a mediated device, journaled
 * @parent: the mdev parent (a name under /sys/class/mdev_bus)
 * @type: one of its mdev_supported_types
 * @uuid: the new mdev's UUID, or NULL for a random one
 * @dry_run: only check (one step: the UUID, IOMMUCTL_VFIO_CREATE_MDEV)
 * @uuid_out: (out, optional) the UUID made; free() it
 *
 * iommuctl_vfio_restore() of the UUID (or of everything) removes it; an
 * mdev whose VFIO files are open is refused unless IOMMUCTL_VFIO_FORCE.
 *
 * Return: 0; -ENOENT no such parent or type; -ENOSPC no instance left;
 * the kernel's -errno.
 */
int iommuctl_vfio_create_mdev(struct iommuctl_vfio *v, const char *parent,
			      const char *type, const char *uuid, bool dry_run,
			      char **uuid_out);
/** iommuctl_vfio_error() - why the last call failed, or NULL (the
 * context's error slot, iommuctl_get_error()). */
const char *iommuctl_vfio_error(struct iommuctl_vfio *v);

/** struct iommuctl_vfio_entry - a device iommuctl changed (the journal) */
struct iommuctl_vfio_entry {
	char *device; /* PCI address */
	/* its driver before iommuctl changed it, or NULL (none) */
	char *driver;
	char *driver_override; /* its driver_override before, or NULL (none) */
	/* iommuctl wrote driver_override (and will put it back) */
	bool set_override;
	long pid; /* the process that made the entry */
	long long time; /* when (seconds since the epoch) */
	/* the last step recorded: "planned", "override", "unbound", "bound" */
	char *state;
	char *cur_driver; /* the driver it is bound to now, or NULL */
	char *cdev; /* its VFIO cdev now, or NULL */
	/* NULL for a binding; "sriov" (@device a PF whose VF count iommuctl
	 * set) or "mdev" (@device the UUID of an mdev iommuctl made) */
	char *kind;
	long numvfs; /* sriov: the VF count before; else -1 */
	long cur_numvfs; /* sriov: the VF count now; else -1 */
	char *parent; /* mdev: its parent */
	char *mdev_type; /* mdev: its type */
	bool present; /* the device (or mdev) exists now */
};
/**
 * iommuctl_vfio_journal() - read the journal
 * @out: (out) entries: bindings sorted by device, then mdevs, then VF
 * counts; free with iommuctl_vfio_journal_free()
 * Return: 0 (no journal yet: 0 entries); -errno; -EPERM when the run
 * directory is unsafe. On failure iommuctl_get_error() says why, when the
 * library knows more than the errno.
 */
int iommuctl_vfio_journal(struct iommuctl_ctx *ctx,
			  struct iommuctl_vfio_entry **out, size_t *n);
/** iommuctl_vfio_journal_free() - free what iommuctl_vfio_journal() gave. */
void iommuctl_vfio_journal_free(struct iommuctl_vfio_entry *e, size_t n);

/**
 * DOC: handing open devices to a command
 *
 * iommuctl exec opens /dev/iommu and VFIO device cdevs as root and runs a
 * command (a VMM) with them inherited; the command learns their numbers
 * from placeholders in its arguments.
 */
/**
 * struct iommuctl_exec_fd - an open VFIO device cdev handed to a command
 * @device: the device's name, for a PCI device its canonical address
 * @cdev: its cdev, "vfioN"
 * @fd: the open file descriptor
 */
struct iommuctl_exec_fd {
	char device[32];
	char cdev[32];
	int fd;
};
/**
 * iommuctl_exec_arg() - fill in the file descriptors an argument names
 * @arg: the argument: "{iommufd}" becomes @iommufd, "{vfio:DEVICE}" the fd
 *	of DEVICE (a PCI address in any form iommuctl_parse_bdf() takes, or a
 *	cdev name), "{vfio}" the fd of the only device; nothing else changes
 *	(a "{vfio:" without its "}" is kept as it is)
 * @iommufd: the fd of /dev/iommu
 * @devs: the open devices
 * @n: how many
 * @out: (out) the argument filled in (malloc'd)
 * @bad: (out, optional) on -EINVAL and -ENODEV, where the placeholder that
 *	cannot be filled starts in @arg
 * @bad_len: (out, optional) and its length
 *
 * Return: 0; -EINVAL for "{vfio}" when @n is not 1 (and for a NULL @arg,
 * @out, or @devs with @n not 0); -ENODEV for "{vfio:DEVICE}" naming none
 * of @devs; -ENOMEM.
 */
int iommuctl_exec_arg(const char *arg, int iommufd,
		      const struct iommuctl_exec_fd *devs, size_t n, char **out,
		      size_t *bad, size_t *bad_len);
/**
 * iommuctl_exec_open_device() - open a device's VFIO cdev for a command
 * @ctx: context
 * @name: the device: its cdev ("vfio3") or its name (a PCI address)
 * @d: (out) its name and cdev, as far as they are known, and the open
 *	/dev/vfio/devices/vfioN (-1 until opened; not close-on-exec, so that
 *	the command inherits it)
 * @driver: (out, optional) the device's driver, or NULL for none; valid
 *	while @ctx is not refreshed
 *
 * Return: 0; -ENXIO when no device has that cdev or name; -ENODEV when it
 * has no VFIO cdev (it is not on vfio-pci, or the kernel lacks
 * CONFIG_VFIO_DEVICE_CDEV: see @driver); the -errno of opening the cdev.
 */
/**
 * iommuctl_vfio_give_back() - undo the bindings an applied assignment
 * made: each device its plan bound to vfio-pci, and only those, is
 * restored (iommuctl_vfio_restore()) to the driver it had
 * @ctx: @v's context (its error slot says why it failed)
 * @v: the applied assignment
 *
 * Return: 0, or -errno with iommuctl_get_error() saying why when the
 * restore could say.
 */
int iommuctl_vfio_give_back(struct iommuctl_ctx *ctx, struct iommuctl_vfio *v);

int iommuctl_exec_open_device(struct iommuctl_ctx *ctx, const char *name,
			      struct iommuctl_exec_fd *d, const char **driver);

struct passwd;
/**
 * iommuctl_exec_find_user() - the account a command is to run as
 * @user: a user name, or a uid in decimal (a name wins)
 * @pw: (out) its password database entry (getpwnam()'s or getpwuid()'s:
 *	valid until the next such call)
 *
 * Return: 0, or -ENOENT when the password database has no such user.
 */
int iommuctl_exec_find_user(const char *user, struct passwd **pw);
/**
 * iommuctl_exec_drop_privileges() - become @pw's user for good: its
 * groups (initgroups()), then its gid, then its uid (real, effective and
 * saved)
 * @ctx: context (its error slot says which step failed)
 * @pw: the user (iommuctl_exec_find_user())
 *
 * Return: 0; the -errno of the step that failed; -EPERM when root could be
 * regained afterwards (then nothing must run).
 */
int iommuctl_exec_drop_privileges(struct iommuctl_ctx *ctx,
				  const struct passwd *pw);

#ifdef __cplusplus
}
#endif

#endif /* IOMMUCTL_VFIO_H */
