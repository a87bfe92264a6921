/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/*
 * <iommuctl/report.h>: bundles (tar archives) and the bug-report collector.
 * Part of libiommuctl; <iommuctl/libiommuctl.h> includes every part.
 */
#ifndef IOMMUCTL_REPORT_H
#define IOMMUCTL_REPORT_H

#include <iommuctl/context.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * DOC: bundles
 *
 * A bundle is a tar archive (ustar, with pax extended headers for names
 * and link targets that do not fit), gzip-compressed or not, written
 * member by member. iommuctl_set_root() reads it back.
 */
struct iommuctl_bundle;
/**
 * iommuctl_bundle_new() - start writing a bundle
 * @ctx: library context (for its log)
 * @fd: where the archive goes; written sequentially, never closed by the
 *	library (a pipe is fine)
 * @gzip: compress (gzip, deflate level 9, header time 0)
 * @mtime: modification time of every member, 0 to 077777777777 (seconds)
 * @out: the new bundle; iommuctl_bundle_finish() or iommuctl_bundle_free() it
 *
 * Every member gets @mtime, uid/gid 0 and empty user and group names, so
 * the same members in the same order give the same bytes. Member paths are
 * relative ("a/b/c"): a leading "/", an empty, "." or ".." component is
 * -EINVAL, a path of PATH_MAX - 1 bytes or more -ENAMETOOLONG (both logged,
 * naming the path). A write that fails (EPIPE, ENOSPC, ...) is returned,
 * then by every later call; SIGPIPE is held off while writing, so a closed
 * pipe is -EPIPE, not a signal.
 *
 * Return: 0, -EINVAL, -ENOMEM.
 */
int iommuctl_bundle_new(struct iommuctl_ctx *ctx, int fd, bool gzip,
			int64_t mtime, struct iommuctl_bundle **out);
/**
 * iommuctl_bundle_create() - start writing a bundle to a file, in one piece
 * @ctx: library context (for its log)
 * @path: the file; it is written as PATH.XXXXXX (mode 0600, in the same
 *	directory), which iommuctl_bundle_finish() syncs and renames to @path
 *	and iommuctl_bundle_free() removes, so @path never holds half a bundle
 * @gzip: as iommuctl_bundle_new()
 * @mtime: as iommuctl_bundle_new()
 * @out: the new bundle
 *
 * Return: 0, -ENOMEM, -EINVAL, or the -errno of creating the file.
 */
int iommuctl_bundle_create(struct iommuctl_ctx *ctx, const char *path,
			   bool gzip, int64_t mtime,
			   struct iommuctl_bundle **out);
/** iommuctl_bundle_add_dir() - add directory @path, permission bits @mode & 0777. */
int iommuctl_bundle_add_dir(struct iommuctl_bundle *b, const char *path,
			    unsigned int mode);
/**
 * iommuctl_bundle_add_file() - add regular file @path
 * @b: bundle
 * @path: relative path
 * @data: the contents (NULL when @len is 0)
 * @len: their size (at most 077777777777 bytes, else -EFBIG)
 * @mode: permission bits (& 0777)
 *
 * Return: 0 or -errno; the SHA-256 of @data is kept (iommuctl_bundle_member()).
 */
int iommuctl_bundle_add_file(struct iommuctl_bundle *b, const char *path,
			     const void *data, size_t len, unsigned int mode);
/** iommuctl_bundle_add_symlink() - add symlink @path to @target (kept verbatim,
 * not empty, shorter than PATH_MAX). */
int iommuctl_bundle_add_symlink(struct iommuctl_bundle *b, const char *path,
				const char *target);
/** iommuctl_bundle_count() - members written so far. */
size_t iommuctl_bundle_count(struct iommuctl_bundle *b);
/**
 * iommuctl_bundle_member() - a member written so far, in order
 * @b: bundle
 * @i: index, from 0
 * @path: (optional) its path, as given
 * @type: (optional) 'f' file, 'd' directory, 'l' symlink
 * @size: (optional) bytes of a file, 0 otherwise
 * @sha256: (optional) lowercase hex SHA-256 of a file's contents, else NULL
 * @target: (optional) a symlink's target, else NULL
 *
 * The strings stay valid until iommuctl_bundle_finish() or
 * iommuctl_bundle_free().
 *
 * Return: 0, or -ENOENT past the last member.
 */
int iommuctl_bundle_member(struct iommuctl_bundle *b, size_t i,
			   const char **path, char *type, uint64_t *size,
			   const char **sha256, const char **target);
/**
 * iommuctl_bundle_finish() - end the archive and free @b
 *
 * Writes the end-of-archive blocks (padded to a 10 KiB record) and the gzip
 * trailer, and flushes; @fd is not synced or closed. A bundle of
 * iommuctl_bundle_create() is synced, renamed to its path and closed.
 *
 * Return: 0, or the first error of any earlier call on @b or of finishing.
 */
int iommuctl_bundle_finish(struct iommuctl_bundle *b);
/** iommuctl_bundle_free() - free @b without finishing (the output is left
 * incomplete, the temporary file of iommuctl_bundle_create() removed); NULL
 * is fine. */
void iommuctl_bundle_free(struct iommuctl_bundle *b);

/**
 * iommuctl_report_names() - where a report bundle goes, and its top directory
 * @output: the file asked for ("-" for standard output), or NULL for the
 *	default, iommuctl-report-YYYYmmdd-HHMMSS.tar.gz (UTC) in the current
 *	directory
 * @now: the time the default name carries (seconds since the epoch)
 * @file: the file (malloc'd)
 * @prefix: the top directory of every member (malloc'd): the file's base
 *	name without .tar.gz, .tgz or .tar, or "iommuctl-report" for standard
 *	output and for a name that leaves nothing but "", "." or ".."
 * @gzip: whether to compress it: all but a name ending in .tar
 *
 * Return: 0, or -ENOMEM (then *@file and *@prefix are NULL).
 */
int iommuctl_report_names(const char *output, int64_t now, char **file,
			  char **prefix, bool *gzip);

/**
 * iommuctl_report_missing_kind() - what leaving a file out of a report says
 * @err: the -errno it was left out with (iommuctl_report_opts.missing)
 *
 * Return: "permission" (-EACCES, -EPERM), "too-slow" (-ETIMEDOUT),
 * "too-large" (-EFBIG, -ELOOP), "absent" (-ENOENT: not on this system, e.g.
 * no kernel configuration) or "unreadable" (the kernel refused the read
 * with an error of its own, as many attributes do on some devices).
 */
const char *iommuctl_report_missing_kind(int err);
/**
 * iommuctl_report_kind_is_gap() - whether a kind of missing item makes the
 * report partial: every kind of iommuctl_report_missing_kind(), and
 * "failed" (a command that did not finish), but "absent" and "unreadable",
 * which are the system's state.
 */
bool iommuctl_report_kind_is_gap(const char *kind);

/**
 * struct iommuctl_report_cmd - a command that iommuctl_report_collect() runs
 * @args: its words after "iommuctl -j", NULL-terminated
 * @cmdline: the same joined by spaces
 * @offline: it reads only what the bundle records too (its answer can be
 *	compared with the same command run on the bundle)
 * @done: false before it runs, true with its outcome below
 * @seconds: how long it ran
 * @exit_code: its exit status, or -1 when it did not finish
 * @error: why it did not finish ("killed by signal 9", "output larger than
 *	67108864 bytes, stopped", "took longer than 50 s, stopped"), else NULL
 * @err: -ETIMEDOUT when it was stopped (for time or output), -EINTR when a
 *	signal ended it, else 0
 * @file: the member with its standard output below the prefix
 *	("report/commands/NAME.json"), or NULL when it was stopped
 * @stderr_file: the same for its standard error ("....stderr"), or NULL
 *	when it wrote nothing there
 */
struct iommuctl_report_cmd {
	const char *const *args;
	const char *cmdline;
	bool offline;
	bool done;
	double seconds;
	int exit_code;
	const char *error;
	int err;
	const char *file;
	const char *stderr_file;
};

/**
 * struct iommuctl_report_opts - what iommuctl_report_collect() records
 * @prefix: top directory of every member ("iommuctl-report-..."), or NULL
 * @no_debugfs: leave /sys/kernel/debug/iommu out
 * @file_max: bytes per sysfs, procfs or ACPI file (0: 1 MiB)
 * @debugfs_max: bytes per debugfs file (0: 16 MiB)
 * @timeout_ms: time per file read (0: 5000)
 * @progress: (optional) called before each file is read, and once at the
 *	end with @path NULL; @files and @bytes count what was recorded
 * @missing: (optional) called for everything left out and why: a file too
 *	large, too slow, unreadable (@err is -errno), or absent although a
 *	report should have it (the kernel configuration, the kernel log)
 * @node: (optional) called for each device node and directory under
 *	/dev/iommu and /dev/vfio with its stat (the bundle gets an empty
 *	regular file with the node's permission bits in its place)
 * @data: for the callbacks
 * @commands: first run iommuctl's read-only commands and record their
 *	answers (below)
 * @exe: the iommuctl binary they run (NULL: /proc/self/exe, the program
 *	calling)
 * @command: (optional) called before each command runs (@cmd->done false,
 *	for progress) and with its outcome
 * @run: (optional) runs a command in a forked child instead of executing
 *	@exe: called there with the command's argv ("iommuctl", [--root R,]
 *	-j, words...), its stdout and stderr already on the pipes; what it
 *	returns is the child's exit status. The program's own dispatcher, so
 *	that each command costs a fork, not an exec and a dynamic link.
 *
 * Zero-initialise and set what you need.
 */
struct iommuctl_report_opts {
	const char *prefix;
	bool no_debugfs;
	uint64_t file_max;
	uint64_t debugfs_max;
	unsigned int timeout_ms;
	void (*progress)(void *data, const char *path, uint64_t files,
			 uint64_t bytes);
	void (*missing)(void *data, const char *path, int err,
			const char *reason);
	void (*node)(void *data, const char *path, const struct stat *st);
	void *data;
	bool commands;
	const char *exe;
	void (*command)(void *data, const struct iommuctl_report_cmd *cmd);
	int (*run)(void *data, int argc, char **argv);
};

/**
 * iommuctl_report_collect() - record the IOMMU-relevant tree in a bundle
 * @ctx: library context (its root is what is recorded)
 * @b: bundle being written
 * @opts: (optional) limits and callbacks
 *
 * Records, below @opts->prefix, a tree that iommuctl_set_root() reads back:
 * /sys/kernel/iommu_groups, /sys/class/iommu and the devices of its units,
 * every PCI device (attributes, config space, driver links) and host
 * bridge, PCI drivers, vfio-dev, the iommufd/vfio module parameters, the
 * ACPI DMAR/IVRS/IORT/VIOT tables, /proc cmdline, version, interrupts and
 * devices, the kernel configuration, /sys/kernel/debug/iommu, placeholders
 * for /dev/iommu and /dev/vfio, and the IOMMU lines of the kernel log as
 * report/kernel-log.txt. Symlinks are recorded, never followed. Files
 * with side effects or device memory behind them (remove, reset, rescan,
 * resource*, rom, vpd) and write-only files are never opened. Each read
 * runs under @opts->timeout_ms in a worker thread; one that does not come
 * back is abandoned, and after 3 of them the remaining files are skipped.
 *
 * With @opts->commands, first (so that the tree shows the state right after
 * them) "@opts->exe [--root ROOT] -j COMMAND" runs for each read-only
 * command a report has: status, the units, groups (each group of two or
 * more devices explained), devices, reserved regions and MSI; unless
 * @opts->no_debugfs the units' registers, invalidation queues and IRTEs and
 * on VT-d the page tables of the PCI devices in DMA domains; live also
 * probe and vfio status. Each gets 10 times @opts->timeout_ms and is killed
 * when it runs longer or writes more than 64 MiB (standard error: 256 KiB
 * kept). Its standard output and error are recorded as
 * report/commands/NAME.json and NAME.stderr, NAME being its first words
 * joined by '-' ("group-list---check", "device-show-0000:00:02.0"; "show"
 * runs once per unit, group and device, for the first 64 of each). One
 * that cannot be started is logged and left out.
 *
 * Return: 0 (files left out are reported through @opts->missing, not as
 * errors), or the first error writing the bundle, or -ENOMEM.
 */
/**
 * iommuctl_report_recorded() - a command's answer recorded in a bundle
 * @ctx: an offline context (its root a bundle)
 * @name: the command's NAME (see iommuctl_report_collect_sz(): "probe")
 * @out: the recorded standard output (JSON), caller frees
 * @len: its length
 *
 * For commands that ask the running kernel (probe), whose answer offline
 * is the one the bundle recorded when it was made. At most 4 MiB is read.
 *
 * Return: 0, -ENOENT when the tree has no such recording, -EINVAL when
 * @ctx is live or @name is not a plain name, -EFBIG, or -errno.
 */
int iommuctl_report_recorded(struct iommuctl_ctx *ctx, const char *name,
			     char **out, size_t *len);
int iommuctl_report_collect_sz(struct iommuctl_ctx *ctx,
			       struct iommuctl_bundle *b,
			       const struct iommuctl_report_opts *opts,
			       size_t size);
#define iommuctl_report_collect(ctx, b, opts) \
	iommuctl_report_collect_sz(ctx, b, opts, sizeof(*(opts)))

/**
 * iommuctl_run_capture() - run a program, its output captured and bounded
 * @ctx: library context (for its log)
 * @path: the program, run with execv(); its stdin is /dev/null
 * @argv: its arguments, argv[0] first, NULL-terminated
 * @timeout_ms: it is killed (SIGKILL) when it runs longer
 * @max: bytes kept of its stdout ([0]) and stderr ([1]); more stderr is
 *	dropped, more stdout gets it killed
 * @buf: its stdout and stderr, NUL-terminated, or NULL when it said
 *	nothing; set on every return, free() them
 * @len: their lengths
 * @status: its waitpid() status, 0 if it did not start
 *
 * Return: 0, -ETIMEDOUT or -EFBIG when it was killed for time or for
 * output, or the -errno of pipe2() or fork() (logged).
 */
int iommuctl_run_capture(struct iommuctl_ctx *ctx, const char *path,
			 char *const argv[], unsigned int timeout_ms,
			 const size_t max[2], char *buf[2], size_t len[2],
			 int *status);

#ifdef __cplusplus
}
#endif

#endif /* IOMMUCTL_REPORT_H */
