// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: libFuzzer target for the bundle reader behind
 * iommuctl_set_root(): each input is written to a memfd, which a fresh
 * context takes as its root (through /proc/self/fd/N, a regular file), with
 * $TMPDIR pointing at a directory of this process only. When the input
 * unpacks, the context enumerates IOMMU units, groups with their devices,
 * and devices, and reads the kernel release. The oracle: set_root answers
 * 0 or -errno, the root keeps the name it was given, exactly one unpacked
 * tree is in $TMPDIR while the context lives, and none is left after a
 * failure or after iommuctl_unref().
 */
#include <dirent.h>
#include <sys/mman.h>

#include "fuzz-common.h"

static char tar_tmp[64];
static char tar_path[64];
static int tar_fd = -1;

static void tar_tmp_cleanup(void)
{
	if (tar_tmp[0])
		nftw(tar_tmp, fuzz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void tar_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	if (tar_fd >= 0)
		return;
	if (!tmp || !*tmp || strlen(tmp) > 32)
		tmp = "/tmp";
	snprintf(tar_tmp, sizeof(tar_tmp), "%s/iommuctl-fuzz-tar.XXXXXX", tmp);
	if (!mkdtemp(tar_tmp))
		fuzz_die("mkdtemp");
	atexit(tar_tmp_cleanup);
	/* the unpack itself, into $TMPDIR: not --root's cache of bundles */
	if (setenv("TMPDIR", tar_tmp, 1) < 0 ||
	    setenv("IOMMUCTL_NO_CACHE", "1", 1) < 0)
		fuzz_die("setenv");
	tar_fd = memfd_create("bundle", MFD_CLOEXEC);
	if (tar_fd < 0)
		fuzz_die("memfd_create");
	snprintf(tar_path, sizeof(tar_path), "/proc/self/fd/%d", tar_fd);
}

/* Entries in the private $TMPDIR. */
static int tar_tmp_entries(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d = opendir(tar_tmp);

	if (!d)
		fuzz_die(tar_tmp);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void tar_input(const uint8_t *data, size_t size)
{
	size_t off = 0;
	ssize_t n;

	if (ftruncate(tar_fd, 0) < 0)
		fuzz_die("ftruncate");
	while (off < size) {
		n = pwrite(tar_fd, data + off, size - off, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fuzz_die("pwrite");
		off += (size_t)n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iommuctl_ctx *ctx;
	struct iommuctl_iommu *u;
	struct iommuctl_group *g;
	struct iommuctl_device *d;
	int rc;

	tar_setup();
	tar_input(data, size);
	if (iommuctl_new(&ctx) < 0)
		fuzz_die("iommuctl_new");
	iommuctl_set_log_fn(ctx, fuzz_log);
	iommuctl_set_log_priority(ctx, LOG_DEBUG);
	rc = iommuctl_set_root(ctx, tar_path);
	fuzz_check(rc <= 0);
	fuzz_check(!strcmp(iommuctl_get_root(ctx), rc ? "/" : tar_path));
	fuzz_check(tar_tmp_entries() == (rc ? 0 : 1));
	if (rc == 0) {
		fuzz_check(iommuctl_is_offline(ctx));
		iommuctl_iommu_foreach(ctx, u)
			fuzz_str(iommuctl_iommu_get_name(u));
		iommuctl_group_foreach(ctx, g) {
			iommuctl_group_device_foreach(g, d)
				fuzz_str(iommuctl_device_get_name(d));
		}
		iommuctl_device_foreach(ctx, d)
			fuzz_str(iommuctl_device_get_name(d));
		fuzz_str(iommuctl_get_kernel_release(ctx));
	}
	iommuctl_unref(ctx);
	fuzz_check(tar_tmp_entries() == 0);
	return 0;
}
