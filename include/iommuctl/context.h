/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/*
 * <iommuctl/context.h>: the library context, logging, the root and the run directory; the
 * conventions of every header (extensible structs, errors).
 * Part of libiommuctl; <iommuctl/libiommuctl.h> includes every part.
 */
#ifndef IOMMUCTL_CONTEXT_H
#define IOMMUCTL_CONTEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#ifdef __cplusplus
extern "C" {
#endif

struct iommuctl_ctx;
struct iommuctl_device;

/*
 * The plain name of an _sz entry point ("Extensible structs" in
 * libiommuctl.h): fn(args) calls fn_sz(args, sizeof(*(p))), @p the
 * argument pointing to the extensible struct.
 */
#define IOMMUCTL_SZ(fn, p, ...) fn##_sz(__VA_ARGS__, sizeof(*(p)))

/*
 * The loop of the _foreach() macros: @it is @type_get_first(@from), then
 * @type_get_next(@it), until NULL.
 */
#define IOMMUCTL_FOREACH(type, from, it) \
	for (it = type##_get_first(from); it != NULL; it = type##_get_next(it))

/**
 * iommuctl_new() - create a library context
 * @ctx: where to store the new context
 *
 * The context starts with root "/" and the log priority from $IOMMUCTL_LOG
 * ("err", "warning", "notice", "info", "debug" or a number 0-7).
 *
 * Return: 0 or -errno.
 */
int iommuctl_new(struct iommuctl_ctx **ctx);
/** iommuctl_ref() - take a reference on @ctx. Return: @ctx. */
struct iommuctl_ctx *iommuctl_ref(struct iommuctl_ctx *ctx);
/** iommuctl_unref() - drop a reference; the last one frees @ctx. */
void iommuctl_unref(struct iommuctl_ctx *ctx);
/**
 * iommuctl_release_at_exit() - for a process about to exit: undo what
 * outlives it (the temporary tree a --root archive was unpacked into) and
 * leave @ctx's memory to the exit, which frees it at once instead of one
 * device, string and name at a time. @ctx must not be used afterwards.
 */
void iommuctl_release_at_exit(struct iommuctl_ctx *ctx);

/**
 * typedef iommuctl_log_fn - log callback
 * @ctx: the context logging
 * @priority: syslog priority (LOG_ERR .. LOG_DEBUG)
 * @file: source file
 * @line: source line
 * @fn: function name
 * @format: printf format
 * @args: arguments
 */
typedef void (*iommuctl_log_fn)(struct iommuctl_ctx *ctx, int priority,
				const char *file, int line, const char *fn,
				const char *format, va_list args);
/** iommuctl_set_log_fn() - route library diagnostics to @fn. */
void iommuctl_set_log_fn(struct iommuctl_ctx *ctx, iommuctl_log_fn fn);
/** iommuctl_get_log_priority() - current log priority. */
int iommuctl_get_log_priority(struct iommuctl_ctx *ctx);
/** iommuctl_set_log_priority() - log messages at or above @priority. */
void iommuctl_set_log_priority(struct iommuctl_ctx *ctx, int priority);
/**
 * iommuctl_parse_log_priority() - parse a priority name or number
 * @s: "err", "warning", "notice", "info", "debug", or "0".."7"
 *
 * Return: the priority, or -EINVAL.
 */
int iommuctl_parse_log_priority(const char *s);
/** iommuctl_set_userdata() - attach caller data to @ctx. */
void iommuctl_set_userdata(struct iommuctl_ctx *ctx, void *data);
/** iommuctl_get_userdata() - caller data attached to @ctx. */
void *iommuctl_get_userdata(struct iommuctl_ctx *ctx);

/**
 * iommuctl_get_error() - why the last call on @ctx, or on a session, vfio
 * assignment or page-table reader of @ctx, failed
 *
 * A context has one error slot. A call that can explain a failure empties
 * it when it starts and, when it fails, leaves there a sentence for a
 * person ("ioas 1 is in use by hwpt-paging 3 ..."). iommuctl_session_error(),
 * iommuctl_vfio_error(), iommuctl_pgtable_error() and
 * iommuctl_debugfs_error() read the same slot, and return the sentence only
 * when their object (the context, for debugfs readers) set it, NULL
 * otherwise; this getter returns it whoever set it.
 *
 * Return: the sentence, or NULL; owned by @ctx, valid until the next call
 * that may fail on @ctx (so not thread-safe across threads sharing @ctx).
 */
const char *iommuctl_get_error(struct iommuctl_ctx *ctx);

/**
 * iommuctl_set_root() - read the system from a captured tree
 * @ctx: context, before any enumeration
 * @dir: directory standing for "/" (captured sysfs), or a bundle: a tar
 *	file, gzip-compressed or not (see iommuctl_bundle_new())
 *
 * Paths are resolved inside @dir: absolute and ".." symlinks in the tree stay
 * inside it. A root other than "/" makes the context offline: nothing probes
 * device nodes or issues ioctls, and only regular files and directories are
 * read (a FIFO or device node in the tree is an error, -EINVAL).
 *
 * A bundle is untrusted input. It is unpacked into a new directory
 * iommuctl-root-XXXXXX under $TMPDIR (when unset: $XDG_RUNTIME_DIR when it
 * names a directory, else /tmp), removed with the
 * context; the root is the archive's top directory when it holds exactly
 * one directory at top level and nothing else, the whole tree otherwise.
 * Member names lose leading "/" and "./"; pax and GNU long names are read.
 * Only regular files, directories and symlinks (their targets verbatim) are
 * made, with permission bits & 0777 plus u+r (files) or u+rwx (directories);
 * hard links, devices and FIFOs are skipped (logged at info). Every parent
 * directory is opened beneath the new directory without following symlinks,
 * so a member behind a symlink member is an error (-EINVAL). A later member
 * replaces an earlier file or symlink of the same name, never a directory
 * (-EINVAL). Limits: 1 GiB of member data, 1,000,000 members, 1 MiB per pax
 * or GNU long-name header, names of PATH_MAX - 1 bytes (-EFBIG beyond). A
 * ".." component is -EINVAL; an empty name, a NUL inside a pax or GNU name,
 * a bad header checksum, a truncated archive, a size larger than the data
 * that follows or a gzip error (CRC included) -EBADMSG. Errors are logged
 * naming @dir and the member; nothing unpacked is left behind.
 * iommuctl_get_root() still answers @dir.
 *
 * Return: 0, -EBUSY if objects were already enumerated, -ENOTDIR when @dir
 * is neither a directory nor a bundle (the error slot says why), an error
 * unpacking the bundle, or -errno from opening @dir.
 */
int iommuctl_set_root(struct iommuctl_ctx *ctx, const char *dir);
/**
 * iommuctl_root_check() - whether the root is a captured system
 * @ctx: context after iommuctl_set_root()
 *
 * A captured system has sys/ at its top (a directory, or the bundle's
 * tree). When the root has none, iommuctl_get_error() says what was
 * expected and names an entry of the directory that looks like a root (a
 * .tar.gz, or a subdirectory holding sys/). A live context is one.
 *
 * Return: 0, or -ENOTDIR.
 */
int iommuctl_root_check(struct iommuctl_ctx *ctx);
/** iommuctl_get_root() - the root directory ("/" when live). */
const char *iommuctl_get_root(struct iommuctl_ctx *ctx);
/** iommuctl_is_offline() - true when reading a captured tree. */
bool iommuctl_is_offline(struct iommuctl_ctx *ctx);
/**
 * iommuctl_refresh() - forget every cached IOMMU unit, group and device
 *
 * The next lookup reads sysfs again (after drivers changed, say). Pointers
 * to units, groups and devices obtained before are invalid afterwards.
 */
void iommuctl_refresh(struct iommuctl_ctx *ctx);

/* Where `vfio bind` keeps its journal and lock, unless set otherwise. */
#define IOMMUCTL_RUN_DIR "/run/iommuctl"
/**
 * iommuctl_set_run_dir() - directory for the VFIO binding journal and lock
 * @dir: an absolute path; created mode 0700 when first needed (its parent
 *	must exist), refused when it is a symlink, is not owned by the caller
 *	or is accessible to group or others
 */
int iommuctl_set_run_dir(struct iommuctl_ctx *ctx, const char *dir);
/** iommuctl_get_run_dir() - the directory of the journal (IOMMUCTL_RUN_DIR). */
const char *iommuctl_get_run_dir(struct iommuctl_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif /* IOMMUCTL_CONTEXT_H */
