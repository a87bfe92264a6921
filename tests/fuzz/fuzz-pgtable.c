// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: libFuzzer target for the page-table dump reader
 * (iommuctl_pgtable_*), fed through iommuctl_pgtable_open_fd() on a memfd
 * holding the input. The input is read five times: leaf by leaf, as ranges
 * in each merge mode, and leaf by leaf again for one device only (the
 * multi-device dump of kernels before 6.7).
 *
 * Beyond the sanitizers, every answer is checked against what the header
 * promises for any input: ranges are whole leaves of one size (one leaf
 * each with IOMMUCTL_PGTABLE_MERGE_NONE, physically contiguous with
 * MERGE_PHYS), every merge mode sees the same leaves when the dump reads
 * cleanly, a failure has an error text, and the reader never claims to
 * have read more than the input holds.
 */
#include <sys/mman.h>

#include "fuzz-common.h"

#define PASS_LEAVES (-1)
#define PASS_DEVICE (-2)

static bool pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static void check_leaf(const struct iommuctl_pgtable_leaf *l)
{
	fuzz_check(pow2(l->size) && l->size >= 4096);
	fuzz_check(l->level >= 1 && l->level <= 5);
	fuzz_check(!(l->perm &
		     ~(unsigned int)(IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE)));
	fuzz_check(l->line > 0);
}

static void check_range(const struct iommuctl_pgtable_range *r, int merge)
{
	uint64_t bytes;

	check_leaf(&r->first);
	fuzz_check(r->leaves >= 1);
	fuzz_check(r->start <= r->last);
	fuzz_check(r->page_size == r->first.size);
	fuzz_check(r->start == r->first.iova && r->phys == r->first.phys);
	fuzz_check(r->perm == r->first.perm);
	if (!__builtin_mul_overflow(r->leaves, r->page_size, &bytes))
		fuzz_check(r->last - r->start == bytes - 1);
	if (merge == IOMMUCTL_PGTABLE_MERGE_NONE)
		fuzz_check(r->leaves == 1);
	if (merge == IOMMUCTL_PGTABLE_MERGE_PHYS)
		fuzz_check(r->phys_contiguous);
}

/* One pass over the input; returns the reader's last answer. */
static int read_pass(struct iommuctl_ctx *ctx, int fd, size_t size, int pass,
		     uint64_t *leaves)
{
	struct iommuctl_pgtable_range r;
	struct iommuctl_pgtable_leaf l;
	struct iommuctl_pgtable *pt;
	uint64_t bytes, lines;
	int rc;

	*leaves = 0;
	if (lseek(fd, 0, SEEK_SET) < 0)
		fuzz_die("lseek");
	if (iommuctl_pgtable_new(ctx, &pt) < 0)
		fuzz_die("iommuctl_pgtable_new");
	if (pass >= 0)
		iommuctl_pgtable_set_merge(pt, pass);
	rc = iommuctl_pgtable_open_fd(pt, fd, "fuzz-input",
				      pass == PASS_DEVICE ? "0000:00:1f.0" :
							    NULL);
	if (rc < 0)
		goto out;
	for (;;) {
		if (pass < 0) {
			rc = iommuctl_pgtable_next_leaf(pt, &l);
			if (rc <= 0)
				break;
			check_leaf(&l);
			(*leaves)++;
		} else {
			rc = iommuctl_pgtable_next_range(pt, &r);
			if (rc <= 0)
				break;
			check_range(&r, pass);
			*leaves += r.leaves;
		}
		fuzz_check(rc == 1);
	}
	iommuctl_pgtable_get_state(pt);
	fuzz_str(iommuctl_pgtable_get_device(pt));
	iommuctl_pgtable_get_pasid(pt);
	iommuctl_pgtable_get_root(pt);
	fuzz_check(iommuctl_pgtable_get_levels(pt) <= 5);
	fuzz_str(iommuctl_pgtable_get_path(pt));
	iommuctl_pgtable_get_progress(pt, &bytes, &lines);
	fuzz_check(bytes <= size);
out:
	if (rc == -EINVAL)
		fuzz_check(iommuctl_pgtable_error(pt) != NULL);
	fuzz_str(iommuctl_pgtable_error(pt));
	iommuctl_pgtable_free(pt);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int merges[] = { IOMMUCTL_PGTABLE_MERGE_PHYS,
				      IOMMUCTL_PGTABLE_MERGE_IOVA,
				      IOMMUCTL_PGTABLE_MERGE_NONE };
	static struct iommuctl_ctx *ctx;
	static int fd = -1;
	uint64_t leaves, n;
	const uint8_t *p;
	size_t left;
	ssize_t w;
	bool clean;
	size_t i;

	/* nothing here reads the context's root: one context will do */
	if (!ctx) {
		ctx = fuzz_ctx();
		fd = memfd_create("fuzz-pgtable", MFD_CLOEXEC);
		if (fd < 0)
			fuzz_die("memfd_create");
	}
	if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) < 0)
		fuzz_die("ftruncate");
	for (p = data, left = size; left; p += w, left -= (size_t)w) {
		w = write(fd, p, left);
		if (w <= 0)
			fuzz_die("write");
	}

	clean = read_pass(ctx, fd, size, PASS_LEAVES, &leaves) == 0;
	for (i = 0; i < sizeof(merges) / sizeof(merges[0]); i++) {
		if (read_pass(ctx, fd, size, merges[i], &n) != 0)
			clean = false;
		else if (clean)
			fuzz_check(n == leaves);
	}
	read_pass(ctx, fd, size, PASS_DEVICE, &n);
	return 0;
}
