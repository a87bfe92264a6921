// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * failnth.so: an LD_PRELOAD library for the VM tier's fault-injection
 * scenario (tests/vm/scenarios/faults.sh). It makes the kernel fail the Nth
 * fault-injection point (a slab or page allocation, with the guest's
 * failslab and fail_page_alloc set to act on sleeping allocations) inside
 * one chosen system call of the program it is loaded into, through the
 * calling thread's /proc/thread-self/fail-nth, and reports whether the fault
 * was injected. Which call:
 *
 *   FAILNTH_IOCTL=0xREQ   the ioctl() with this request number (and with
 *   FAILNTH_OP=N          the 32-bit word at offset 4 of its argument equal
 *                         to N, if set: IOMMU_TEST_CMD's op), or
 *   FAILNTH_WRITE=GLOB    a write() to a file whose path matches GLOB
 *                         (fnmatch; a sysfs attribute: the descriptor's
 *                         /proc/self/fd link is compared), or
 *   FAILNTH_OPEN=GLOB     an open(), openat() or openat2 (through
 *                         syscall()) of a path matching GLOB (as the program
 *                         names it: relative to its directory descriptor)
 *   FAILNTH_SKIP=K        let K such calls through first (default 0)
 *   FAILNTH_NTH=N         fail the Nth fault-injection point in the call
 *                         (1-based; unset or 0: arm nothing, only count)
 *   FAILNTH_LOG=FILE      where the line "failnth: call=C nth=N injected=Y|N
 *                         ret=R errno=E" goes, appended (default stderr)
 *   FAILNTH_SWEEP=1       at exit, list the iommufd object ids the kernel
 *                         still holds on the program's /dev/iommu: a
 *                         duplicate of the first iommufd descriptor seen
 *                         keeps the file open past the program's own close,
 *                         and IOMMU_DESTROY is tried on ids 255..1 until no
 *                         more go; an id answering anything but ENOENT
 *                         existed (EBUSY: others still depend on it, or the
 *                         kernel does not let users destroy its kind).
 *                         Reported as "failnth: sweep ids=I,J,..." (empty:
 *                         none).
 *
 * Only the first matching call after the skipped ones is armed, once.
 * A test program, not part of iommuctl: iommuctl has no test hooks.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int armed_done;
static long seen;
static int sweep_fd = -1;

/* iommufd's ioctls: type ';' (0x3b), numbers from 0x80 */
#define IOMMUFD_REQ(r) (((r) & ~0xffUL) == 0x3b00 && ((r) & 0xff) >= 0x80)
#define IOMMU_DESTROY_REQ 0x3b80UL
#define SWEEP_MAX 255

struct destroy_arg {
	unsigned int size;
	unsigned int id;
};

static long env_long(const char *name, long dflt)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return dflt;
	v = strtol(s, &end, 0);
	return *end ? dflt : v;
}

/* arm: writes N to this thread's fail-nth; returns its fd, or -1 */
static int arm(long nth)
{
	char buf[32];
	int fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	int n;

	if (fd < 0)
		return -1;
	n = snprintf(buf, sizeof(buf), "%ld", nth);
	if (syscall(SYS_write, fd, buf, n) != n) {
		close(fd);
		return -1;
	}
	return fd;
}

/* disarm: reads fail-nth (0: the fault was injected) and clears it */
static int disarm(int fd)
{
	char buf[32] = "";
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	int injected = n > 0 && strtol(buf, NULL, 10) == 0;

	syscall(SYS_write, fd, "0", 1);
	close(fd);
	return injected;
}

/* report_line: appends LINE to $FAILNTH_LOG, or writes it to stderr */
static void report_line(const char *line, int n)
{
	const char *path = getenv("FAILNTH_LOG");
	int fd = 2;

	if (path && *path)
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
			  0644);
	if (fd < 0)
		return;
	if (syscall(SYS_write, fd, line, n) < 0) {
		/* nothing to do: the report is best effort */
	}
	if (fd != 2)
		close(fd);
}

static void report(const char *call, long nth, int injected, long ret,
		   int err)
{
	char line[4400];
	int n;

	n = snprintf(line, sizeof(line),
		     "failnth: call=%s nth=%ld injected=%c ret=%ld errno=%d\n",
		     call, nth, injected ? 'Y' : 'N', ret, ret < 0 ? err : 0);
	report_line(line, n);
}

/* wanted: whether this matching call is the one to arm */
static int wanted(void)
{
	if (armed_done)
		return 0;
	if (seen++ < env_long("FAILNTH_SKIP", 0))
		return 0;
	armed_done = 1;
	return 1;
}

static void keep_iommufd(int fd, unsigned long request)
{
	const char *s = getenv("FAILNTH_SWEEP");

	if (sweep_fd >= 0 || !s || strcmp(s, "1") || !IOMMUFD_REQ(request))
		return;
	sweep_fd = fcntl(fd, F_DUPFD_CLOEXEC, 900);
}

__attribute__((destructor)) static void sweep(void)
{
	char existed[SWEEP_MAX + 1] = { 0 }, line[4096];
	struct destroy_arg d;
	int progress = 1, n, id;

	if (sweep_fd < 0)
		return;
	/* from the highest id down: objects that depend on others were made
	 * later, so each goes before what it holds; an object that takes
	 * others with it when destroyed (a selftest mock device takes its
	 * device and auto hwpt) was made before them and comes after them */
	while (progress) {
		progress = 0;
		for (id = SWEEP_MAX; id >= 1; id--) {
			d.size = sizeof(d);
			d.id = id;
			if (syscall(SYS_ioctl, sweep_fd, IOMMU_DESTROY_REQ,
				    &d) == 0)
				progress = 1;
			else if (errno == ENOENT)
				continue;
			existed[id] = 1;
		}
	}
	n = snprintf(line, sizeof(line), "failnth: sweep ids=");
	for (id = 1; id <= SWEEP_MAX && n < (int)sizeof(line) - 8; id++)
		if (existed[id])
			n += snprintf(line + n, sizeof(line) - n, "%s%d",
				      line[n - 1] == '=' ? "" : ",", id);
	line[n++] = '\n';
	report_line(line, n);
}

int ioctl(int fd, unsigned long request, ...)
{
	const char *want = getenv("FAILNTH_IOCTL");
	long nth = env_long("FAILNTH_NTH", 0), ret;
	char name[32];
	void *arg;
	va_list ap;
	int f, injected, err;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	keep_iommufd(fd, request);
	if (!want || strtoul(want, NULL, 0) != request ||
	    (getenv("FAILNTH_OP") && arg &&
	     ((const unsigned int *)arg)[1] != env_long("FAILNTH_OP", -1)) ||
	    !wanted() || nth <= 0)
		return syscall(SYS_ioctl, fd, request, arg);
	f = arm(nth);
	ret = syscall(SYS_ioctl, fd, request, arg);
	err = errno;
	injected = f >= 0 && disarm(f);
	snprintf(name, sizeof(name), "ioctl:%#lx", request);
	report(name, nth, injected, ret, err);
	errno = err;
	return ret;
}

ssize_t write(int fd, const void *buf, size_t count)
{
	const char *want = getenv("FAILNTH_WRITE");
	long nth = env_long("FAILNTH_NTH", 0);
	char link[64], path[4096], name[4200];
	ssize_t ret, n;
	int f, injected, err;

	if (!want || armed_done)
		return syscall(SYS_write, fd, buf, count);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return syscall(SYS_write, fd, buf, count);
	path[n] = 0;
	if (fnmatch(want, path, 0) || !wanted() || nth <= 0)
		return syscall(SYS_write, fd, buf, count);
	f = arm(nth);
	ret = syscall(SYS_write, fd, buf, count);
	err = errno;
	injected = f >= 0 && disarm(f);
	snprintf(name, sizeof(name), "write:%s", path);
	report(name, nth, injected, ret, err);
	errno = err;
	return ret;
}

static int open_common(int dfd, const char *path, int flags, mode_t mode)
{
	const char *want = getenv("FAILNTH_OPEN");
	long nth = env_long("FAILNTH_NTH", 0), ret;
	char name[4200];
	int f, injected, err;

	if (!want || armed_done || !path || fnmatch(want, path, 0) ||
	    !wanted() || nth <= 0)
		return syscall(SYS_openat, dfd, path, flags, mode);
	f = arm(nth);
	ret = syscall(SYS_openat, dfd, path, flags, mode);
	err = errno;
	injected = f >= 0 && disarm(f);
	snprintf(name, sizeof(name), "open:%s", path);
	report(name, nth, injected, ret, err);
	errno = err;
	return ret;
}

/* the mode argument is there only with O_CREAT or O_TMPFILE */
#define OPEN_MODE(flags, last)                                       \
	({                                                           \
		mode_t m_ = 0;                                       \
		if ((flags) & (O_CREAT | __O_TMPFILE)) {             \
			va_list ap_;                                 \
			va_start(ap_, last);                         \
			m_ = va_arg(ap_, mode_t);                    \
			va_end(ap_);                                 \
		}                                                    \
		m_;                                                  \
	})

int open(const char *path, int flags, ...)
{
	return open_common(AT_FDCWD, path, flags, OPEN_MODE(flags, flags));
}

int openat(int dfd, const char *path, int flags, ...)
{
	return open_common(dfd, path, flags, OPEN_MODE(flags, flags));
}

/* the same calls under their large-file names */
int open64(const char *path, int flags, ...) __attribute__((alias("open")));
int openat64(int dfd, const char *path, int flags, ...)
	__attribute__((alias("openat")));

/* openat2 has no libc wrapper: programs (iommuctl, to stay inside its root)
 * call it through syscall(), so syscall() is wrapped too; every other
 * number goes straight to libc's */
long syscall(long nr, ...)
{
	static long (*real)(long, ...);
	const char *want = getenv("FAILNTH_OPEN");
	long a[6], nth = env_long("FAILNTH_NTH", 0), ret;
	char name[4200];
	int i, f, injected, err;
	va_list ap;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (!real)
		real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	if (nr != SYS_openat2 || !want || armed_done || !a[1] ||
	    fnmatch(want, (const char *)a[1], 0) || !wanted() || nth <= 0)
		return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	f = arm(nth);
	ret = real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	err = errno;
	injected = f >= 0 && disarm(f);
	snprintf(name, sizeof(name), "openat2:%s", (const char *)a[1]);
	report(name, nth, injected, ret, err);
	errno = err;
	return ret;
}
