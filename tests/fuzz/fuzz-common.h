/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * THEORY OF OPERATION: what the fuzz targets share. The debugfs readers
 * read files inside a context's root, so each process makes one temporary
 * root (removed at exit) holding sys/kernel/debug/iommu/intel/, and every
 * input is written there under the file name the reader opens. Each input
 * then gets a context of its own (freed before returning), so an input
 * that crashes does so again when replayed alone.
 *
 * Library diagnostics are formatted (every log call down to LOG_DEBUG runs,
 * so a bad format argument shows) and thrown away.
 *
 * fuzz_check() is the oracle beyond the sanitizers: a property every
 * answer must have, whatever the input; it aborts with a message.
 */
#ifndef IOMMUCTL_FUZZ_COMMON_H
#define IOMMUCTL_FUZZ_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/stat.h>

#include <iommuctl/libiommuctl.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__ubsan_default_options(void);

/*
 * make fuzz builds with recoverable UBSan checks so tests/fuzz/run can skip
 * the reported ones listed in tests/fuzz/ubsan.supp; anything else, and
 * everything when a target is run by hand, stops at the first report.
 */
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

#define FUZZ_INTEL_DIR "sys/kernel/debug/iommu/intel"

#define fuzz_check(cond)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: fuzz oracle failed: %s\n", \
				__FILE__, __LINE__, #cond);                \
			abort();                                           \
		}                                                          \
	} while (0)

static char fuzz_root_dir[64];
/* where fuzz_str() puts lengths, so no strlen() is optimised away */
static volatile size_t fuzz_sink;

static inline void fuzz_die(const char *what)
{
	perror(what);
	abort();
}

static inline int fuzz_rm_one(const char *path, const struct stat *st, int flag,
			      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static inline void fuzz_root_cleanup(void)
{
	if (fuzz_root_dir[0])
		nftw(fuzz_root_dir, fuzz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The temporary root, made on first use. */
static inline const char *fuzz_root(void)
{
	const char *tmp = getenv("TMPDIR");
	char path[sizeof(fuzz_root_dir) + sizeof(FUZZ_INTEL_DIR) + 1];
	char *p;

	if (fuzz_root_dir[0])
		return fuzz_root_dir;
	if (!tmp || !*tmp || strlen(tmp) > 32)
		tmp = "/tmp";
	snprintf(fuzz_root_dir, sizeof(fuzz_root_dir),
		 "%s/iommuctl-fuzz.XXXXXX", tmp);
	if (!mkdtemp(fuzz_root_dir))
		fuzz_die("mkdtemp");
	atexit(fuzz_root_cleanup);
	snprintf(path, sizeof(path), "%s/%s", fuzz_root_dir, FUZZ_INTEL_DIR);
	for (p = path + strlen(fuzz_root_dir) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			fuzz_die(path);
		*p = '/';
	}
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		fuzz_die(path);
	return fuzz_root_dir;
}

/* Write @data as FUZZ_INTEL_DIR/@name inside the root. */
static inline void fuzz_write(const char *name, const uint8_t *data,
			      size_t size)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s/%s", fuzz_root(), FUZZ_INTEL_DIR,
		 name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		fuzz_die(path);
	while (size) {
		n = write(fd, data, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fuzz_die(path);
		data += n;
		size -= (size_t)n;
	}
	close(fd);
}

__attribute__((format(printf, 6, 0))) static inline void
fuzz_log(struct iommuctl_ctx *ctx, int priority, const char *file, int line,
	 const char *fn, const char *format, va_list args)
{
	char buf[512];

	(void)ctx;
	(void)priority;
	(void)file;
	(void)line;
	(void)fn;
	vsnprintf(buf, sizeof(buf), format, args);
}

/* A context reading the temporary root; iommuctl_unref() it. */
static inline struct iommuctl_ctx *fuzz_ctx(void)
{
	struct iommuctl_ctx *ctx;

	if (iommuctl_new(&ctx) < 0)
		fuzz_die("iommuctl_new");
	iommuctl_set_log_fn(ctx, fuzz_log);
	iommuctl_set_log_priority(ctx, LOG_DEBUG);
	if (iommuctl_set_root(ctx, fuzz_root()) < 0)
		fuzz_die("iommuctl_set_root");
	return ctx;
}

/* Touch every byte of a string the library hands out (ASan sees it). */
static inline void fuzz_str(const char *s)
{
	if (s)
		fuzz_sink += strlen(s);
}

/*
 * After a reader returned: the error text, when there is one, is a string,
 * and the reason for a missing file can be asked.
 */
static inline void fuzz_after(struct iommuctl_ctx *ctx, const char *file,
			      int rc)
{
	char *why = NULL;

	fuzz_str(iommuctl_debugfs_error(ctx));
	if (rc == -EINVAL)
		fuzz_check(iommuctl_debugfs_error(ctx) != NULL);
	if (iommuctl_debugfs_why(ctx, file, &why) == 0)
		fuzz_check(why == NULL);
	fuzz_str(why);
	free(why);
}

#endif /* IOMMUCTL_FUZZ_COMMON_H */
