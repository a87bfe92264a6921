// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: the VT-d page-table reader on the dumps captured in
 * the test VMs (tests/fixtures/vtd, legacy mode, and vtd-sm, scalable mode,
 * extracted into a temporary --root), and on small hand-made dumps for what
 * the VMs did not show: 2 MiB and 1 GiB leaves, read-only leaves, holes, the
 * five-column global file of kernels up to 6.6, and damaged input, which
 * must give -EINVAL naming the line, never a crash. Then the comparison
 * behind verify on a saved dump with hand-made IOAS mappings and physical
 * addresses, and verify itself on a session built by hand around the
 * captured identity table.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "private.h"

#include "tree.h"

static char tmpl[] = "/tmp/iommuctl-pgtable-XXXXXX";

static int setup(void **state)
{
	(void)state;
	if (tree_setup(tmpl) < 0)
		return -1;
	if (tree_extract("vtd") || tree_extract("vtd-sm") ||
	    tree_extract("vtd-off"))
		return -1;
	return 0;
}

/* a context reading @fixture ("vtd"), or an empty root for NULL */
static struct iommuctl_ctx *ctx_for(const char *fixture)
{
	struct iommuctl_ctx *ctx;
	char *dir;

	if (fixture) {
		dir = path_join(tree_top, fixture);
	} else {
		dir = path_join(tree_top, "empty");
		mkdir(dir, 0755);
	}
	ctx = tree_ctx(dir);
	free(dir);
	return ctx;
}

static char *fixture_file(const char *fixture, const char *dev)
{
	char *p;

	assert_true(
		asprintf(
			&p,
			"%s/%s/sys/kernel/debug/iommu/intel/%s/domain_translation_struct",
			tree_top, fixture, dev) > 0);
	return p;
}

/* the table root the dump's "Device ... @0x..." line names (read here with
 * sscanf, independently of the reader under test) */
static uint64_t header_root(const char *fixture, const char *dev)
{
	char *path = fixture_file(fixture, dev), line[256], *at;
	unsigned long long root = 0;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	at = strchr(line, '@');
	assert_non_null(at);
	assert_int_equal(sscanf(at, "@0x%llx", &root), 1);
	fclose(f);
	free(path);
	return root;
}

/* --- the captured dumps ------------------------------------------------ */

static void check_identity16m(struct iommuctl_pgtable *pt)
{
	struct iommuctl_pgtable_range r;
	uint64_t bytes, lines;

	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 1);
	assert_int_equal(r.start, 0);
	assert_int_equal(r.last, 0xffffff);
	assert_int_equal(r.phys, 0);
	assert_true(r.phys_contiguous);
	assert_int_equal(r.page_size, 4096);
	assert_int_equal(r.perm, IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE);
	assert_int_equal(r.leaves, 4096);
	assert_int_equal(r.first.level, 1);
	assert_int_equal(r.first.line, 3);
	assert_int_equal(r.first.entry[4], 0x3);
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 0);
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 0);
	assert_int_equal(iommuctl_pgtable_get_levels(pt), 3);
	iommuctl_pgtable_get_progress(pt, &bytes, &lines);
	assert_int_equal(lines, 4098);
	assert_true(bytes > 4096 * 100);
}

static void test_real_identity(void **state)
{
	struct iommuctl_ctx *ctx = ctx_for("vtd");
	struct iommuctl_pgtable *pt;

	(void)state;
	assert_int_equal(iommuctl_pgtable_new(ctx, &pt), 0);
	/* "00:1f.0" means segment 0 */
	assert_int_equal(iommuctl_pgtable_open(pt, "00:1F.0", -1), 0);
	assert_int_equal(iommuctl_pgtable_get_state(pt),
			 IOMMUCTL_PGTABLE_TABLE);
	assert_string_equal(iommuctl_pgtable_get_device(pt), "0000:00:1f.0");
	assert_int_equal(iommuctl_pgtable_get_pasid(pt), -1);
	assert_int_equal(iommuctl_pgtable_get_root(pt),
			 header_root("vtd", "0000:00:1f.0"));
	assert_string_equal(
		iommuctl_pgtable_get_path(pt),
		"/sys/kernel/debug/iommu/intel/0000:00:1f.0/domain_translation_struct");
	check_identity16m(pt);
	assert_null(iommuctl_pgtable_error(pt));
	iommuctl_pgtable_free(pt);
	iommuctl_unref(ctx);
}

static void test_real_scalable(void **state)
{
	struct iommuctl_ctx *ctx = ctx_for("vtd-sm");
	struct iommuctl_pgtable *pt;

	(void)state;
	assert_int_equal(iommuctl_pgtable_new(ctx, &pt), 0);
	assert_int_equal(iommuctl_pgtable_open(pt, "0000:00:1f.0", -1), 0);
	assert_int_equal(iommuctl_pgtable_get_pasid(pt), 0);
	assert_int_equal(iommuctl_pgtable_get_root(pt),
			 header_root("vtd-sm", "0000:00:1f.0"));
	check_identity16m(pt);
	/* a device with a table and no leaves */
	assert_int_equal(iommuctl_pgtable_open(pt, "0000:00:00.0", -1), 0);
	assert_int_equal(iommuctl_pgtable_get_state(pt),
			 IOMMUCTL_PGTABLE_TABLE);
	assert_int_equal(iommuctl_pgtable_get_root(pt),
			 header_root("vtd-sm", "0000:00:00.0"));
	/* PASID 1: nothing attached there */
	assert_int_equal(iommuctl_pgtable_open(pt, "0000:00:03.0", 1), -ENOENT);
	assert_non_null(strstr(iommuctl_pgtable_error(pt),
			       "nothing is attached to 0000:00:03.0 at PASID"));
	iommuctl_pgtable_free(pt);
	iommuctl_unref(ctx);
}

static void test_real_empty(void **state)
{
	struct iommuctl_ctx *ctx = ctx_for("vtd");
	struct iommuctl_pgtable *pt;
	struct iommuctl_pgtable_range r;
	struct iommuctl_pgtable_leaf lf;

	(void)state;
	assert_int_equal(iommuctl_pgtable_new(ctx, &pt), 0);
	assert_int_equal(iommuctl_pgtable_open(pt, "0000:00:00.0", -1), 0);
	assert_int_equal(iommuctl_pgtable_get_state(pt),
			 IOMMUCTL_PGTABLE_TABLE);
	assert_string_equal(iommuctl_pgtable_get_device(pt), "0000:00:00.0");
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 0);
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 0);
	assert_int_equal(iommuctl_pgtable_get_levels(pt), 0);
	iommuctl_pgtable_free(pt);
	iommuctl_unref(ctx);
}

/* The capture held a session with the layout of tests/vm/capture-session
 * attached to the edu at 00:03.0: 16 KiB of 4 KiB pages at 0x100000, 8 KiB
 * read-only at 0x110000, two 2 MiB hugetlb pages at 0x400000. */
static void check_session_layout(const char *fixture, int64_t pasid)
{
	struct iommuctl_ctx *ctx = ctx_for(fixture);
	struct iommuctl_pgtable *pt;
	struct iommuctl_pgtable_range r;
	static const struct {
		uint64_t start, last, page_size, leaves;
		unsigned int perm;
	} want[] = {
		{ 0x100000, 0x103fff, 4096, 4,
		  IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE },
		{ 0x110000, 0x111fff, 4096, 2, IOMMUCTL_MAP_READ },
		{ 0x400000, 0x7fffff, 2 << 20, 2,
		  IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE },
	};
	size_t i;

	assert_int_equal(iommuctl_pgtable_new(ctx, &pt), 0);
	iommuctl_pgtable_set_merge(pt, IOMMUCTL_PGTABLE_MERGE_IOVA);
	assert_int_equal(iommuctl_pgtable_open(pt, "0000:00:03.0", -1), 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 1);
		assert_int_equal(r.start, want[i].start);
		assert_int_equal(r.last, want[i].last);
		assert_int_equal(r.page_size, want[i].page_size);
		assert_int_equal(r.leaves, want[i].leaves);
		assert_int_equal(r.perm, want[i].perm);
		/* the physical address is the raw entry's, page aligned */
		assert_int_equal(r.phys,
				 r.first.entry[r.first.level == 1 ? 4 : 3] &
					 0x000ffffffffff000ull &
					 ~(r.page_size - 1));
	}
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 0);
	assert_int_equal(iommuctl_pgtable_get_pasid(pt), pasid);
	assert_int_equal(iommuctl_pgtable_get_levels(pt), 3);
	assert_null(iommuctl_pgtable_error(pt));
	iommuctl_pgtable_free(pt);
	iommuctl_unref(ctx);
}

static void test_real_session(void **state)
{
	(void)state;
	check_session_layout("vtd", -1);
	check_session_layout("vtd-sm", 0);
}

static void test_real_merge_none(void **state)
{
	struct iommuctl_ctx *ctx = ctx_for("vtd");
	struct iommuctl_pgtable *pt;
	struct iommuctl_pgtable_range r;
	uint64_t n = 0;
	int rc;

	(void)state;
	assert_int_equal(iommuctl_pgtable_new(ctx, &pt), 0);
	iommuctl_pgtable_set_merge(pt, IOMMUCTL_PGTABLE_MERGE_NONE);
	assert_int_equal(iommuctl_pgtable_open(pt, "0000:00:1f.2", -1), 0);
	while ((rc = iommuctl_pgtable_next_range(pt, &r)) > 0) {
		assert_int_equal(r.leaves, 1);
		assert_int_equal(r.start, n * 4096);
		assert_int_equal(r.last, n * 4096 + 4095);
		assert_int_equal(r.phys, n * 4096);
		n++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, 4096);
	iommuctl_pgtable_free(pt);
	iommuctl_unref(ctx);
}

static void test_real_open_fd(void **state)
{
	char *path = fixture_file("vtd", "0000:00:1f.0");
	struct iommuctl_pgtable *pt;
	int fd = open(path, O_RDONLY);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(iommuctl_pgtable_new(NULL, &pt), 0);
	assert_int_equal(iommuctl_pgtable_open_fd(pt, fd, "saved", NULL), 0);
	assert_string_equal(iommuctl_pgtable_get_device(pt), "0000:00:1f.0");
	assert_string_equal(iommuctl_pgtable_get_path(pt), "saved");
	check_identity16m(pt);

	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(iommuctl_pgtable_open_fd(pt, fd, "saved", "00:1f.0"),
			 0);
	check_identity16m(pt);

	/* another device: the dump has no section for it */
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(iommuctl_pgtable_open_fd(pt, fd, "saved",
						  "0000:00:1f.2"),
			 -ENOENT);
	assert_non_null(strstr(iommuctl_pgtable_error(pt), "0000:00:1f.2"));
	iommuctl_pgtable_free(pt);
	/* not closed by the reader */
	assert_int_equal(close(fd), 0);
	free(path);
}

static void test_open_errors(void **state)
{
	struct iommuctl_ctx *ctx = ctx_for("vtd");
	struct iommuctl_pgtable *pt;

	(void)state;
	assert_int_equal(iommuctl_pgtable_new(ctx, &pt), 0);
	assert_int_equal(iommuctl_pgtable_open(pt, "0000:00:05.0", -1),
			 -ENOENT);
	assert_non_null(strstr(iommuctl_pgtable_error(pt),
			       "not translated by a VT-d unit"));
	assert_int_equal(iommuctl_pgtable_open(pt, "eth0", -1), -EINVAL);
	assert_non_null(iommuctl_pgtable_error(pt));
	assert_int_equal(iommuctl_pgtable_open(pt, "00:03.8", -1), -EINVAL);
	assert_int_equal(iommuctl_pgtable_open(pt, "00:03.0", -2), -EINVAL);
	assert_int_equal(iommuctl_pgtable_open(pt, NULL, -1), -EINVAL);
	iommuctl_pgtable_free(pt);
	iommuctl_unref(ctx);

	/* VT-d present, remapping off: no device directories */
	ctx = ctx_for("vtd-off");
	assert_int_equal(iommuctl_pgtable_new(ctx, &pt), 0);
	assert_int_equal(iommuctl_pgtable_open(pt, "0000:00:03.0", -1),
			 -ENOENT);
	assert_non_null(strstr(iommuctl_pgtable_error(pt),
			       "DMA remapping is not enabled"));
	iommuctl_pgtable_free(pt);
	iommuctl_unref(ctx);

	/* no debugfs at all: iommuctl_debugfs_why() says why */
	ctx = ctx_for(NULL);
	assert_int_equal(iommuctl_pgtable_new(ctx, &pt), 0);
	assert_int_equal(iommuctl_pgtable_open(pt, "0000:00:03.0", -1),
			 -ENOENT);
	assert_non_null(strstr(iommuctl_pgtable_error(pt),
			       "cannot read the page table of 0000:00:03.0"));
	iommuctl_pgtable_free(pt);
	iommuctl_unref(ctx);
}

/* --- hand-made dumps --------------------------------------------------- */

static int text_fd(const char *text, size_t len)
{
	int fd = memfd_create("dump", MFD_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/* opens @text; the fd is kept in *fd for the caller to close */
static struct iommuctl_pgtable *open_text(const char *text, const char *dev,
					  int want, int *fd)
{
	struct iommuctl_pgtable *pt;

	*fd = text_fd(text, strlen(text));
	assert_int_equal(iommuctl_pgtable_new(NULL, &pt), 0);
	assert_int_equal(iommuctl_pgtable_open_fd(pt, *fd, "t", dev), want);
	return pt;
}

#define HDR4 "Device 0000:00:02.0 @0x1000\n" COLS
#define COLS                                                                     \
	"IOVA_PFN         \tPML5E             \tPML4E             \tPDPE       " \
	"       \tPDE               \tPTE\n"
#define Z "0x0000000000000000"
#define P4 "0x0000000000002003"
#define P3 "0x0000000000003003"
#define P2 "0x0000000000004003"

/* a 4-level table: 4K rw, 4K read-only next to it, a hole, 4K with other
 * physical pages, a 2 MiB leaf, a 1 GiB leaf */
static const char mixed[] = HDR4
	"0x0000000000000 |\t" Z "\t" P4 "\t" P3 "\t" P2 "\t0x0000000000010003\n"
	"0x0000000000001 |\t" Z "\t" P4 "\t" P3 "\t" P2 "\t0x0000000000011003\n"
	"0x0000000000002 |\t" Z "\t" P4 "\t" P3 "\t" P2 "\t0x0000000000012001\n"
	"0x0000000000010 |\t" Z "\t" P4 "\t" P3 "\t" P2 "\t0x0000000000020003\n"
	"0x0000000000011 |\t" Z "\t" P4 "\t" P3 "\t" P2 "\t0x0000000000030003\n"
	"0x0000000000200 |\t" Z "\t" P4 "\t" P3 "\t0x0000000000a00083\n"
	"0x0000000040000 |\t" Z "\t" P4
	"\t0x00000001c0001083\n"; /* PAT bit 12 of a 1G leaf */

static void test_mixed_leaves(void **state)
{
	struct iommuctl_pgtable_leaf lf;
	struct iommuctl_pgtable *pt;
	int fd;

	(void)state;
	pt = open_text(mixed, NULL, 0, &fd);
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 1);
	assert_int_equal(lf.iova, 0);
	assert_int_equal(lf.phys, 0x10000);
	assert_int_equal(lf.size, 4096);
	assert_int_equal(lf.level, 1);
	assert_int_equal(lf.perm, 3);
	assert_int_equal(lf.entry[1], 0x2003);
	assert_int_equal(lf.entry[4], 0x10003);
	assert_int_equal(lf.line, 3);
	assert_int_equal(iommuctl_pgtable_get_levels(pt), 4);
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 1);
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 1);
	assert_int_equal(lf.iova, 0x2000);
	assert_int_equal(lf.perm, IOMMUCTL_MAP_READ);
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 1);
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 1);
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 1);
	assert_int_equal(lf.iova, 0x200000);
	assert_int_equal(lf.size, 2 << 20);
	assert_int_equal(lf.level, 2);
	assert_int_equal(lf.phys, 0xa00000);
	assert_int_equal(lf.entry[4], 0);
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 1);
	assert_int_equal(lf.iova, 0x40000000);
	assert_int_equal(lf.size, 1ULL << 30);
	assert_int_equal(lf.level, 3);
	assert_int_equal(lf.phys, 0x1c0000000ULL);
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 0);
	iommuctl_pgtable_free(pt);
	close(fd);
}

static void test_mixed_ranges(void **state)
{
	struct iommuctl_pgtable_range r;
	struct iommuctl_pgtable *pt;
	int fd;

	(void)state;
	pt = open_text(mixed, NULL, 0, &fd);
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 1);
	assert_int_equal(r.start, 0);
	assert_int_equal(r.last, 0x1fff);
	assert_int_equal(r.leaves, 2);
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 1);
	assert_int_equal(r.start, 0x2000); /* read-only */
	assert_int_equal(r.perm, 1);
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 1);
	assert_int_equal(r.start, 0x10000); /* after a hole */
	assert_int_equal(r.leaves, 1); /* phys 0x20000 then 0x30000 */
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 1);
	assert_int_equal(r.start, 0x11000);
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 1);
	assert_int_equal(r.page_size, 2 << 20);
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 1);
	assert_int_equal(r.page_size, 1 << 30);
	assert_int_equal(r.last, 0x7fffffff);
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 0);
	iommuctl_pgtable_free(pt);
	close(fd);

	/* by IOVA: 0x10000 and 0x11000 merge, not physically contiguous */
	pt = open_text(mixed, NULL, 0, &fd);
	iommuctl_pgtable_set_merge(pt, IOMMUCTL_PGTABLE_MERGE_IOVA);
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 1);
	assert_true(r.phys_contiguous);
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 1);
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 1);
	assert_int_equal(r.start, 0x10000);
	assert_int_equal(r.last, 0x11fff);
	assert_int_equal(r.leaves, 2);
	assert_false(r.phys_contiguous);
	assert_int_equal(r.phys, 0x20000);
	iommuctl_pgtable_free(pt);
	close(fd);
}

/* the global file of kernels up to 6.6: five columns always */
#define ROW5(pfn, pte) pfn " |\t" Z "\t" Z "\t" P3 "\t" P2 "\t" pte "\n"
static const char global66[] =
	"Device 0000:00:02.0 @0x1017f8000\n"
	"IOVA_PFN\t\tPML5E\t\t\tPML4E\t\t\tPDPE\t\t\tPDE\t\t\tPTE\n" ROW5(
		"0x0000000000000", "0x0000000000100003")
		ROW5("0x0000000000001",
		     "0x0000000000101003") "\n"
					   "Device 0000:00:03.0 with pasid 5 @0x2000\n"
					   "IOVA_PFN\t\tPML5E\t\t\tPML4E\t\t\tPDPE\t\t\tPDE\t\t\tPTE\n" ROW5(
						   "0x0000000000002",
						   "0x0000000000102003") "0x0000000000200 |\t" Z
									 "\t" Z
									 "\t" P3
									 "\t0x0000000000400083\t" Z
									 "\n"
									 "\n";

static void test_global66(void **state)
{
	struct iommuctl_pgtable_range r;
	struct iommuctl_pgtable_leaf lf;
	struct iommuctl_pgtable *pt;
	int fd;

	(void)state;
	/* all sections; a range never crosses into the next device */
	pt = open_text(global66, NULL, 0, &fd);
	assert_string_equal(iommuctl_pgtable_get_device(pt), "0000:00:02.0");
	assert_int_equal(iommuctl_pgtable_get_root(pt), 0x1017f8000ULL);
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 1);
	assert_int_equal(r.start, 0);
	assert_int_equal(r.last, 0x1fff);
	assert_int_equal(r.leaves, 2);
	assert_string_equal(iommuctl_pgtable_get_device(pt), "0000:00:02.0");
	assert_int_equal(iommuctl_pgtable_get_levels(pt), 3);
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 1);
	assert_int_equal(r.start, 0x2000);
	assert_int_equal(r.leaves, 1);
	assert_string_equal(iommuctl_pgtable_get_device(pt), "0000:00:03.0");
	assert_int_equal(iommuctl_pgtable_get_pasid(pt), 5);
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 1);
	assert_int_equal(r.start, 0x200000);
	assert_int_equal(r.page_size, 2 << 20);
	assert_int_equal(r.phys, 0x400000);
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 0);
	iommuctl_pgtable_free(pt);
	close(fd);

	/* one device of it */
	pt = open_text(global66, "00:03.0", 0, &fd);
	assert_string_equal(iommuctl_pgtable_get_device(pt), "0000:00:03.0");
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 1);
	assert_int_equal(lf.iova, 0x2000);
	assert_int_equal(lf.line, 8);
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 1);
	assert_int_equal(lf.level, 2);
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 0);
	iommuctl_pgtable_free(pt);
	close(fd);

	pt = open_text(global66, "0000:00:02.0", 0, &fd);
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 1);
	assert_int_equal(r.leaves, 2);
	assert_int_equal(iommuctl_pgtable_next_range(pt, &r), 0);
	iommuctl_pgtable_free(pt);
	close(fd);
}

/* iommuctl_pgtable_note() of @pt is @want (NULL: none) */
static void check_note(struct iommuctl_pgtable *pt, const char *device,
		       const char *want)
{
	char *note = iommuctl_pgtable_note(pt, device);

	if (want)
		assert_string_equal(note, want);
	else
		assert_null(note);
	free(note);
}

static void test_states(void **state)
{
	struct iommuctl_ctx *ctx = ctx_for("vtd");
	struct iommuctl_pgtable_leaf lf;
	struct iommuctl_pgtable *pt;
	int fd;

	(void)state;
	pt = open_text("", NULL, 0, &fd);
	assert_int_equal(iommuctl_pgtable_get_state(pt),
			 IOMMUCTL_PGTABLE_NO_TABLE);
	assert_null(iommuctl_pgtable_get_device(pt));
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 0);
	/* without a context, no group to name */
	check_note(pt, "0000:00:03.0", "the device's domain has no page table");
	iommuctl_pgtable_free(pt);
	close(fd);

	/* with one, the device's group and its domain type */
	fd = text_fd("", 0);
	assert_int_equal(iommuctl_pgtable_new(ctx, &pt), 0);
	assert_int_equal(iommuctl_pgtable_open_fd(pt, fd, "t", NULL), 0);
	check_note(pt, "0000:00:03.0",
		   "the device's domain has no page table: group 3 type DMA");
	check_note(pt, "0000:00:77.0", "the device's domain has no page table");
	check_note(pt, NULL, "the device's domain has no page table");
	iommuctl_pgtable_free(pt);
	close(fd);
	iommuctl_unref(ctx);

	pt = open_text("DMA Remapping is not enabled on dmar0\n"
		       "DMA Remapping is not enabled on dmar1\n",
		       "0000:00:02.0", 0, &fd);
	assert_int_equal(iommuctl_pgtable_get_state(pt),
			 IOMMUCTL_PGTABLE_DISABLED);
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 0);
	check_note(pt, "0000:00:02.0",
		   "DMA remapping is not enabled on the device's IOMMU unit");
	iommuctl_pgtable_free(pt);
	close(fd);
	check_note(NULL, NULL, NULL);
	/* the states' names, as pgtable dump's "state" says them */
	assert_string_equal(iommuctl_pgtable_state_name(IOMMUCTL_PGTABLE_TABLE),
			    "table");
	assert_string_equal(
		iommuctl_pgtable_state_name(IOMMUCTL_PGTABLE_NO_TABLE),
		"no-table");
	assert_string_equal(
		iommuctl_pgtable_state_name(IOMMUCTL_PGTABLE_DISABLED),
		"disabled");
	assert_string_equal(
		iommuctl_pgtable_state_name((enum iommuctl_pgtable_state)7),
		"unknown");

	/* one unit off, the device's on the next one */
	pt = open_text("DMA Remapping is not enabled on dmar0\n" HDR4, NULL, 0,
		       &fd);
	assert_int_equal(iommuctl_pgtable_get_state(pt),
			 IOMMUCTL_PGTABLE_TABLE);
	check_note(pt, "0000:00:02.0", NULL);
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 0);
	iommuctl_pgtable_free(pt);
	close(fd);

	/* CRLF, trailing blanks and blank lines are fine; no final newline */
	pt = open_text("\r\nDevice 0000:00:02.0 @0x1000  \r\n" COLS
		       "0x0000000000005 |\t" Z "\t" Z "\t" P3 "\t" P2
		       "\t0x0000000000005002 \r\n\n"
		       "0x0000000000006 |\t" Z "\t" Z "\t" P3 "\t" P2
		       "\t0x0000000000006003",
		       NULL, 0, &fd);
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 1);
	assert_int_equal(lf.perm, IOMMUCTL_MAP_WRITE);
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 1);
	assert_int_equal(lf.iova, 0x6000);
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 0);
	iommuctl_pgtable_free(pt);
	close(fd);
}

/* @body after a 3-level header: the first next_leaf() that fails must say
 * -EINVAL naming line @line with @what in it */
static void bad(const char *body, unsigned int line, const char *what)
{
	struct iommuctl_pgtable_leaf lf;
	struct iommuctl_pgtable *pt;
	char *text, want[64];
	int fd, rc;

	assert_true(asprintf(&text, "Device 0000:00:02.0 @0x1000\n" COLS "%s",
			     body) > 0);
	pt = open_text(text, NULL, 0, &fd);
	while ((rc = iommuctl_pgtable_next_leaf(pt, &lf)) > 0)
		;
	if (rc != -EINVAL)
		fail_msg("%s: rc %d", body, rc);
	snprintf(want, sizeof(want), "t line %u: ", line);
	if (!strstr(iommuctl_pgtable_error(pt), want) ||
	    !strstr(iommuctl_pgtable_error(pt), what))
		fail_msg("'%s': wanted '%s' and '%s'",
			 iommuctl_pgtable_error(pt), want, what);
	/* sticky */
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), -EINVAL);
	iommuctl_pgtable_free(pt);
	close(fd);
	free(text);
}

#define R3(pfn, pte) pfn " |\t" Z "\t" Z "\t" P3 "\t" P2 "\t" pte "\n"

static void test_bad_input(void **state)
{
	char longline[700];

	(void)state;
	bad(R3("0x0000000000002", "0x2003") R3("0x0000000000001", "0x1003"), 4,
	    "goes backwards");
	bad(R3("0x0000000000002", "0x2003") R3("0x0000000000002", "0x2003"), 4,
	    "overlaps");
	/* a 2 MiB leaf, then a 4K leaf inside it */
	bad("0x0000000000200 |\t" Z "\t" Z "\t" P3
	    "\t0x200083\n" R3("0x0000000000201", "0x1003"),
	    4, "overlaps");
	bad("0x0000000000201 |\t" Z "\t" Z "\t" P3 "\t0x200083\n", 3,
	    "not aligned");
	bad("0x0000000000001 |\t" Z "\t" Z "\t0x1083\n", 3, "not aligned");
	bad(R3("0x10000000000000", "0x1003"), 3, "overflows");
	bad(R3("0x100000000000000000", "0x1003"), 3, "too large");
	bad(R3("0x0000008000000", "0x1003"), 3, "beyond a 3-level table");
	bad(R3("0x0000000000001", "0x10000000000000003"), 3, "64 bits");
	bad("0x0000000000000 |\t" Z "\t" Z "\t" P3 "\n"
	    "0x0000000040000 |\t" Z "\t" P4 "\t" P3 "\t" P2 "\t0x3\n",
	    4, "4-level walk in a 3-level table");
	bad("0x0000000000001 |\t" Z "\t" Z "\n", 3, "fewer than three");
	bad("0x0000000000001 |\t" Z "\t" Z "\t" Z "\n", 3, "non-zero");
	bad("0x0000000000001 |\t" Z "\t" Z "\t" P3 "\t" Z "\t0x1003\n", 3,
	    "zero entry between");
	bad("0x0000000000001 |\t0x1003\t" Z "\t" Z "\n", 3, "PML5E");
	bad("0x0000000000001 |\t" Z "\t" Z "\t" P3 "\t" P2 "\t0x1\t0x1\n", 3,
	    "more than five");
	bad("0x0000000000001\t" Z "\t" Z "\t" P3 "\n", 3, "'|'");
	bad("0x0000000000001 |" Z "\t" Z "\t" P3 "\n", 3, "tabs");
	bad("0x0000000000001 |\t" Z "\t" Z "\tzz\n", 3, "bad entry");
	bad("0x0000000000001 |\t" Z "\t" Z "\t0x\n", 3, "bad entry");
	bad("0x |\t" Z "\t" Z "\t" P3 "\n", 3, "bad IOVA PFN");
	bad("0\n", 3, "bad IOVA PFN");
	bad("hello\n", 3, "unrecognised");
	bad("Device 0000:00:03.0\n", 3, "@0x");
	bad("Device  @0x1\n", 3, "device name");
	bad("Device 0000:00:03.0 with pasid zz @0x1\n", 3, "PASID");
	bad("Device 0000:00:03.0 @0x1 x\n", 3, "trailing");
	bad("Device 0000:00:03.0 @0xq\n", 3, "root");
	/* a NUL byte in a row */
	{
		static const char nul[] = "0x0000000000001 |\t" Z "\t" Z
					  "\t0x1083\0\n";
		struct iommuctl_pgtable *pt;
		struct iommuctl_pgtable_leaf lf;
		char *text;
		size_t hl = strlen("Device 0000:00:02.0 @0x1000\n");
		int fd;

		text = malloc(hl + sizeof(nul));
		memcpy(text, "Device 0000:00:02.0 @0x1000\n", hl);
		memcpy(text + hl, nul, sizeof(nul) - 1);
		fd = text_fd(text, hl + sizeof(nul) - 1);
		assert_int_equal(iommuctl_pgtable_new(NULL, &pt), 0);
		assert_int_equal(iommuctl_pgtable_open_fd(pt, fd, "t", NULL),
				 0);
		assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), -EINVAL);
		assert_non_null(strstr(iommuctl_pgtable_error(pt), "line 2"));
		iommuctl_pgtable_free(pt);
		close(fd);
		free(text);
	}
	memset(longline, 'x', sizeof(longline) - 2);
	longline[sizeof(longline) - 2] = '\n';
	longline[sizeof(longline) - 1] = '\0';
	bad(longline, 3, "longer than");

	/* before any section */
	{
		struct iommuctl_pgtable *pt;
		int fd;

		pt = open_text(R3("0x0000000000001", "0x1003"), NULL, -EINVAL,
			       &fd);
		assert_non_null(strstr(iommuctl_pgtable_error(pt),
				       "t line 1: a row outside"));
		iommuctl_pgtable_free(pt);
		close(fd);
		pt = open_text(COLS, NULL, -EINVAL, &fd);
		iommuctl_pgtable_free(pt);
		close(fd);
		/* after "not enabled" ends a section */
		pt = open_text("DMA Remapping is not enabled on dmar0\n" R3(
				       "0x0000000000001", "0x1003"),
			       NULL, -EINVAL, &fd);
		iommuctl_pgtable_free(pt);
		close(fd);
	}
}

static uint64_t rnd64(unsigned int *seed)
{
	uint64_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 16 | (uint64_t)(rand_r(seed) & 0xffff);
	return v;
}

/* Entries of every value and spelling read back exactly (the 16- and
 * 13-digit fast paths, other widths, upper case). */
static void test_hex_roundtrip(void **state)
{
	enum { N = 3000 };
	static uint64_t want[N][5];
	unsigned int seed = 3;
	size_t cap = 64 + (size_t)N * 160, len;
	char *text = malloc(cap);
	struct iommuctl_pgtable_leaf lf;
	struct iommuctl_pgtable *pt;
	int fd, i;

	(void)state;
	len = (size_t)snprintf(text, cap, "Device 0000:00:02.0 @0x1000\n");
	for (i = 0; i < N; i++) {
		want[i][0] = 0;
		for (int k = 1; k < 5; k++)
			want[i][k] = rnd64(&seed) | 1;
		len += (size_t)snprintf(text + len, cap - len,
					i % 2 ? "0x%013llx |" : "0x%llx |",
					(unsigned long long)(i * 3 + 7));
		len += (size_t)snprintf(text + len, cap - len, "\t0x%016llx",
					0ULL);
		for (int k = 1; k < 5; k++) {
			unsigned long long v = want[i][k];

			len += (size_t)(i % 3 == 0 ?
						snprintf(text + len, cap - len,
							 "\t0x%016llX", v) :
					i % 3 == 1 ?
						snprintf(text + len, cap - len,
							 "\t0x%016llx", v) :
						snprintf(text + len, cap - len,
							 "\t0x%llx", v));
		}
		text[len++] = '\n';
	}
	fd = text_fd(text, len);
	assert_int_equal(iommuctl_pgtable_new(NULL, &pt), 0);
	assert_int_equal(iommuctl_pgtable_open_fd(pt, fd, "t", NULL), 0);
	for (i = 0; i < N; i++) {
		assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 1);
		assert_int_equal(lf.iova, (uint64_t)(i * 3 + 7) << 12);
		assert_memory_equal(lf.entry, want[i], sizeof(want[i]));
		assert_int_equal(lf.phys, want[i][4] & 0x000ffffffffff000ULL);
		assert_int_equal(lf.perm, want[i][4] & 3);
	}
	assert_int_equal(iommuctl_pgtable_next_leaf(pt, &lf), 0);
	iommuctl_pgtable_free(pt);
	close(fd);
	free(text);
}

/* Arbitrary bytes must never crash the reader (ASan/UBSan build). */
static void test_garbage(void **state)
{
	static const char alphabet[] = "0x1f |\t\nDevice @pasidwth:.IOVA_PFN";
	char buf[2048];
	unsigned int seed = 1;
	int i;

	(void)state;
	for (i = 0; i < 2000; i++) {
		struct iommuctl_pgtable_range r;
		struct iommuctl_pgtable *pt;
		size_t n, k, hl;
		int fd, rc;

		hl = (size_t)snprintf(buf, sizeof(buf),
				      "Device 0000:00:02.0 @0x1000\n%s",
				      i % 2 ? "0x0000000000000 |\t0x0" : "");
		n = hl + (size_t)(rand_r(&seed) % 600);
		for (k = hl; k < n; k++)
			buf[k] = i % 3 ? alphabet[rand_r(&seed) %
						  (sizeof(alphabet) - 1)] :
					 (char)rand_r(&seed);
		fd = text_fd(buf, n);
		assert_int_equal(iommuctl_pgtable_new(NULL, &pt), 0);
		if (iommuctl_pgtable_open_fd(
			    pt, fd, "g", i % 5 ? NULL : "0000:00:02.0") == 0) {
			while ((rc = iommuctl_pgtable_next_range(pt, &r)) > 0)
				assert_true(r.last >= r.start);
			assert_true(rc == 0 || rc == -EINVAL);
		}
		iommuctl_pgtable_free(pt);
		close(fd);
	}
}

/* --- the comparison ---------------------------------------------------- */

struct diffs {
	struct iommuctl_pgtable_diff d[32]; /* the first ones */
	unsigned int n; /* all */
	unsigned int stop_at; /* 0: never */
};

static int collect(const struct iommuctl_pgtable_diff *d, void *arg)
{
	struct diffs *ds = arg;

	if (ds->n < 32)
		ds->d[ds->n] = *d;
	ds->n++;
	if (ds->stop_at && ds->n == ds->stop_at)
		return 42;
	return 0;
}

/* expected phys: base[idx] + offset; base 0: not known */
struct fake_phys {
	uint64_t base[8];
	uint64_t calls;
};

static int fake_lookup(void *arg, size_t idx, const struct iommuctl_mapping *m,
		       uint64_t off, uint64_t *phys)
{
	struct fake_phys *f = arg;

	(void)m;
	f->calls++;
	assert_true(idx < 8);
	if (!f->base[idx])
		return 0;
	*phys = f->base[idx] + off;
	return 1;
}

static int run_cmp(const char *dump, const struct iommuctl_mapping *maps,
		   size_t n, struct fake_phys *f, struct diffs *ds,
		   struct pgtable_cmp_stats *st)
{
	struct iommuctl_pgtable *pt;
	int fd, rc;

	pt = open_text(dump, NULL, 0, &fd);
	memset(ds->d, 0, sizeof(ds->d));
	ds->n = 0;
	rc = pgtable_compare(pt, maps, n, f ? fake_lookup : NULL, f, collect,
			     ds, st);
	iommuctl_pgtable_free(pt);
	close(fd);
	return rc;
}

static void check_diff(const struct iommuctl_pgtable_diff *d,
		       enum iommuctl_pgtable_diff_kind kind, uint64_t start,
		       uint64_t last)
{
	if (d->kind != kind || d->start != start || d->last != last)
		fail_msg("diff %s 0x%llx-0x%llx, wanted %s 0x%llx-0x%llx",
			 iommuctl_pgtable_diff_kind_name(d->kind),
			 (unsigned long long)d->start,
			 (unsigned long long)d->last,
			 iommuctl_pgtable_diff_kind_name(kind),
			 (unsigned long long)start, (unsigned long long)last);
}

#define RW (IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE)

static void test_cmp_match(void **state)
{
	struct iommuctl_mapping maps[4] = {
		{ .iova = 0, .length = 0x2000, .perm = RW },
		{ .iova = 0x2000, .length = 0x1000, .perm = IOMMUCTL_MAP_READ },
		{ .iova = 0x10000, .length = 0x1000, .perm = RW },
		{ .iova = 0x11000, .length = 0x1000, .perm = RW },
	};
	struct iommuctl_mapping big[3] = {
		{ .iova = 0, .length = 0x3000, .perm = RW },
		{ .iova = 0x200000, .length = 2 << 20, .perm = RW },
		{ .iova = 0x40000000, .length = 1 << 30, .perm = RW },
	};
	struct fake_phys f = { .base = { 0x10000, 0x12000, 0x20000, 0x30000 } };
	struct pgtable_cmp_stats st;
	struct diffs ds = { .n = 0 };
	/* the first five leaves of mixed[] */
	char *dump = strndup(
		mixed, (size_t)(strstr(mixed, "0x0000000000200 |") - mixed));

	(void)state;
	assert_int_equal(run_cmp(dump, maps, 4, &f, &ds, &st), 0);
	assert_int_equal(ds.n, 0);
	assert_int_equal(st.leaves, 5);
	assert_int_equal(st.bytes, 0x5000);
	assert_int_equal(st.phys_known, 5);
	assert_int_equal(st.differences, 0);
	free(dump);

	/* 2M and 1G leaves against whole mappings; phys unknown for the first
	 * mapping, and the 1G compared page by page without memory */
	memset(&f, 0, sizeof(f));
	f.base[1] = 0xa00000;
	f.base[2] = 0x1c0000000ULL;
	assert_int_equal(run_cmp(mixed, big, 3, &f, &ds, &st), 0);
	/* mixed[] has 0x2000 read-only and 0x10000-0x11fff: differences */
	assert_int_equal(ds.n, 2);
	check_diff(&ds.d[0], IOMMUCTL_PGTABLE_DIFF_PERM, 0x2000, 0x2fff);
	assert_int_equal(ds.d[0].want_perm, RW);
	assert_int_equal(ds.d[0].have_perm, IOMMUCTL_MAP_READ);
	assert_int_equal(ds.d[0].mapping_iova, 0);
	check_diff(&ds.d[1], IOMMUCTL_PGTABLE_DIFF_EXTRA, 0x10000, 0x11fff);
	assert_int_equal(ds.d[1].have_phys, 0x20000);
	assert_int_equal(ds.d[1].have_perm, RW);
	assert_int_equal(st.phys_unknown, 2);
	assert_int_equal(st.phys_known, 512 + 262144);
	assert_int_equal(st.differences, 2);
}

static void test_cmp_missing_extra(void **state)
{
	/* the mapping covers the hole 0x3000-0xffff and past 0x11fff */
	struct iommuctl_mapping maps[2] = {
		{ .iova = 0x1000, .length = 0xf000, .perm = RW },
		{ .iova = 0x12000, .length = 0x2000, .perm = RW },
	};
	struct pgtable_cmp_stats st;
	struct diffs ds = { .n = 0 };
	char *dump = strndup(
		mixed, (size_t)(strstr(mixed, "0x0000000000200 |") - mixed));

	(void)state;
	assert_int_equal(run_cmp(dump, maps, 2, NULL, &ds, &st), 0);
	assert_int_equal(ds.n, 5);
	check_diff(&ds.d[0], IOMMUCTL_PGTABLE_DIFF_EXTRA, 0, 0xfff);
	assert_int_equal(ds.d[0].have_phys, 0x10000);
	check_diff(&ds.d[1], IOMMUCTL_PGTABLE_DIFF_PERM, 0x2000, 0x2fff);
	check_diff(&ds.d[2], IOMMUCTL_PGTABLE_DIFF_MISSING, 0x3000, 0xffff);
	assert_int_equal(ds.d[2].mapping_iova, 0x1000);
	assert_int_equal(ds.d[2].want_perm, RW);
	assert_int_equal(ds.d[2].have_perm, 0);
	/* two leaves, other physical pages: one extra range */
	check_diff(&ds.d[3], IOMMUCTL_PGTABLE_DIFF_EXTRA, 0x10000, 0x11fff);
	check_diff(&ds.d[4], IOMMUCTL_PGTABLE_DIFF_MISSING, 0x12000, 0x13fff);
	assert_int_equal(ds.d[4].mapping_iova, 0x12000);
	assert_int_equal(st.phys_known + st.phys_unknown, 0);

	/* adjacent mappings stay apart in missing diffs */
	{
		struct iommuctl_mapping m2[2] = {
			{ .iova = 0x100000, .length = 0x1000, .perm = RW },
			{ .iova = 0x101000, .length = 0x1000, .perm = RW },
		};

		assert_int_equal(run_cmp("", m2, 2, NULL, &ds, &st), 0);
		assert_int_equal(ds.n, 2);
		check_diff(&ds.d[1], IOMMUCTL_PGTABLE_DIFF_MISSING, 0x101000,
			   0x101fff);
	}
	/* an empty or disabled table: all missing */
	assert_int_equal(run_cmp("DMA Remapping is not enabled on dmar0\n",
				 maps, 2, NULL, &ds, &st),
			 0);
	assert_int_equal(ds.n, 2);
	assert_int_equal(st.leaves, 0);
	free(dump);
}

static void test_cmp_phys(void **state)
{
	/* 0x0-0x1fff is at 0x10000-0x11fff in the table */
	struct iommuctl_mapping maps[1] = {
		{ .iova = 0, .length = 0x2000, .perm = RW },
	};
	struct iommuctl_mapping one1g[1] = {
		{ .iova = 0x40000000, .length = 1 << 30, .perm = RW },
	};
	struct fake_phys f = { .base = { 0x50000 } };
	struct pgtable_cmp_stats st;
	struct diffs ds = { .n = 0 };
	char *dump = strndup(
		mixed, (size_t)(strstr(mixed, "0x0000000000002 |") - mixed));
	char *dump1g;

	(void)state;
	/* both follow: one diff */
	assert_int_equal(run_cmp(dump, maps, 1, &f, &ds, &st), 0);
	assert_int_equal(ds.n, 1);
	check_diff(&ds.d[0], IOMMUCTL_PGTABLE_DIFF_PHYS, 0, 0x1fff);
	assert_int_equal(ds.d[0].want_phys, 0x50000);
	assert_int_equal(ds.d[0].have_phys, 0x10000);
	assert_int_equal(ds.d[0].mapping_iova, 0);

	/* the pinned pages do not follow: a diff per page (the fake maps
	 * mapping 0 with base 0x50000; split it in two mappings) */
	{
		struct iommuctl_mapping m2[2] = {
			{ .iova = 0, .length = 0x1000, .perm = RW },
			{ .iova = 0x1000, .length = 0x1000, .perm = RW },
		};
		struct fake_phys f2 = { .base = { 0x50000, 0x90000 } };

		assert_int_equal(run_cmp(dump, m2, 2, &f2, &ds, &st), 0);
		assert_int_equal(ds.n, 2);
		check_diff(&ds.d[0], IOMMUCTL_PGTABLE_DIFF_PHYS, 0, 0xfff);
		check_diff(&ds.d[1], IOMMUCTL_PGTABLE_DIFF_PHYS, 0x1000,
			   0x1fff);
		assert_int_equal(ds.d[1].want_phys, 0x90000);
		assert_int_equal(ds.d[1].have_phys, 0x11000);
		/* one page right: no diff there */
		f2.base[1] = 0x11000;
		assert_int_equal(run_cmp(dump, m2, 2, &f2, &ds, &st), 0);
		assert_int_equal(ds.n, 1);
		assert_int_equal(st.phys_known, 2);
	}

	/* a 1 GiB leaf against a mapping 1 MiB off: one diff of 1 GiB */
	dump1g = malloc(strlen(HDR4) + 200);
	snprintf(dump1g, strlen(HDR4) + 200,
		 HDR4 "0x0000000040000 |\t" Z "\t" P4 "\t0x00000001c0000083\n");
	f.base[0] = 0x1c0100000ULL;
	f.calls = 0;
	assert_int_equal(run_cmp(dump1g, one1g, 1, &f, &ds, &st), 0);
	assert_int_equal(ds.n, 1);
	check_diff(&ds.d[0], IOMMUCTL_PGTABLE_DIFF_PHYS, 0x40000000,
		   0x7fffffff);
	assert_int_equal(ds.d[0].have_phys, 0x1c0000000ULL);
	assert_int_equal(ds.d[0].want_phys, 0x1c0100000ULL);
	assert_int_equal(f.calls, 262144);
	/* stop at the first diff: the callback's value comes back */
	ds.stop_at = 1;
	assert_int_equal(run_cmp(dump1g, one1g, 1, &f, &ds, &st), 42);
	ds.stop_at = 0;
	free(dump1g);
	free(dump);
}

static void test_cmp_bad(void **state)
{
	struct iommuctl_mapping overlap[2] = {
		{ .iova = 0, .length = 0x2000, .perm = RW },
		{ .iova = 0x1000, .length = 0x1000, .perm = RW },
	};
	struct iommuctl_mapping wrap[1] = {
		{ .iova = 0xfffffffffffff000ULL, .length = 0x2000, .perm = RW },
	};
	struct iommuctl_mapping top_[1] = {
		{ .iova = 0xfffffffffffff000ULL, .length = 0x1000, .perm = RW },
	};
	struct pgtable_cmp_stats st;
	struct diffs ds = { .n = 0 };

	(void)state;
	assert_int_equal(run_cmp("", overlap, 2, NULL, &ds, &st), -EINVAL);
	assert_int_equal(run_cmp("", wrap, 1, NULL, &ds, &st), -EINVAL);
	/* the very last page of the IOVA space */
	assert_int_equal(run_cmp("", top_, 1, NULL, &ds, &st), 0);
	assert_int_equal(ds.n, 1);
	check_diff(&ds.d[0], IOMMUCTL_PGTABLE_DIFF_MISSING,
		   0xfffffffffffff000ULL, UINT64_MAX);
	/* a damaged dump: the reader's error */
	assert_int_equal(run_cmp("Device 0000:00:02.0 @0x1\nxx\n", top_, 1,
				 NULL, &ds, &st),
			 -EINVAL);
	assert_string_equal(
		iommuctl_pgtable_diff_kind_name(IOMMUCTL_PGTABLE_DIFF_PHYS),
		"phys");
}

/* --- verify on a session made by hand ---------------------------------- */

static void test_verify(void **state)
{
	struct iommuctl_ctx *ctx = ctx_for("vtd");
	struct iommuctl_pgtable_verify_result res;
	struct iommuctl_session *s = calloc(1, sizeof(*s));
	struct iommuctl_obj *ioas, *hwpt, *dev, *nested, *ioas2;
	struct diffs ds = { .n = 0 };
	void *buf;

	(void)state;
	s->ctx = iommuctl_ref(ctx);
	s->fd = -1;
	ioas = ses_obj_new(s, &ioas_ops, 1);
	ioas2 = ses_obj_new(s, &ioas_ops, 5);
	hwpt = ses_obj_new(s, &hwpt_paging_ops, 2);
	hwpt->ioas = ioas;
	hwpt->auto_hwpt = true;
	nested = ses_obj_new(s, &hwpt_nested_ops, 4);
	dev = ses_obj_new(s, &device_ops, 3);
	dev->dev_name = strdup("0000:00:1f.0");
	ioas->maps = calloc(2, sizeof(*ioas->maps));
	ioas->capmaps = 2;
	ioas->nmaps = 1;
	ioas->maps[0].m = (struct iommuctl_mapping){ .iova = 0,
						     .length = 16 << 20,
						     .perm = RW };

	assert_false(iommuctl_pgtable_can_verify(dev, -1));
	assert_false(iommuctl_pgtable_can_verify(dev, 3));
	assert_false(iommuctl_pgtable_can_verify(ioas, -1));
	assert_false(iommuctl_pgtable_can_verify(NULL, -1));
	assert_int_equal(iommuctl_pgtable_verify(dev, -1, NULL, collect, &ds,
						 &res),
			 -ENOTCONN);
	assert_non_null(strstr(
		iommuctl_session_error(s),
		"(0000:00:1f.0) is not attached; attach it first: device attach 3 --pt IOAS"));
	assert_int_equal(iommuctl_pgtable_verify(dev, 3, NULL, collect, &ds,
						 &res),
			 -ENOTCONN);
	assert_non_null(strstr(iommuctl_session_error(s), "--pasid 3"));
	dev->attached = nested;
	assert_int_equal(iommuctl_pgtable_verify(dev, -1, NULL, collect, &ds,
						 &res),
			 -EOPNOTSUPP);

	/* the identity 16 MiB, memory unknown to pagemap: no phys check */
	dev->attached = hwpt;
	assert_true(iommuctl_pgtable_can_verify(dev, -1));
	assert_false(iommuctl_pgtable_can_verify(dev, 1));
	dev->mock = true; /* no IOMMU walks a table for a mock */
	assert_false(iommuctl_pgtable_can_verify(dev, -1));
	dev->mock = false;
	assert_int_equal(
		iommuctl_pgtable_verify(dev, -1, NULL, collect, &ds, &res), 0);
	assert_int_equal(ds.n, 0);
	assert_ptr_equal(res.ioas, ioas);
	assert_ptr_equal(res.hwpt, hwpt);
	assert_string_equal(res.device, "0000:00:1f.0");
	assert_int_equal(res.pasid, -1);
	assert_int_equal(res.mappings, 1);
	assert_int_equal(res.bytes, 16 << 20);
	assert_int_equal(res.leaves, 4096);
	assert_int_equal(res.differences, 0);
	assert_false(res.phys_checked);
	assert_non_null(res.phys_note);

	/* compared with another (empty) IOAS: all extra, merged */
	assert_int_equal(
		iommuctl_pgtable_verify(dev, -1, ioas2, collect, &ds, &res), 0);
	assert_int_equal(ds.n, 1);
	check_diff(&ds.d[0], IOMMUCTL_PGTABLE_DIFF_EXTRA, 0, 0xffffff);
	ds.n = 0;

	/* real memory of this process: where pagemap shows page frames,
	 * they are not the identity the table holds */
	buf = mmap(NULL, 16 << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	assert_true(buf != MAP_FAILED);
	ioas->maps[0].m.va = (uint64_t)(uintptr_t)buf;
	assert_int_equal(
		iommuctl_pgtable_verify(dev, -1, NULL, collect, &ds, &res), 0);
	if (res.phys_checked) {
		for (unsigned int i = 0; i < ds.n && i < 32; i++)
			assert_int_equal(ds.d[i].kind,
					 IOMMUCTL_PGTABLE_DIFF_PHYS);
		assert_true(res.differences > 0);
	} else {
		assert_non_null(strstr(res.phys_note, "CAP_SYS_ADMIN"));
		assert_int_equal(res.differences, 0);
	}
	munmap(buf, 16 << 20);

	/* a PASID without its dump: -ENOENT saying why */
	dev->patt = calloc(1, sizeof(*dev->patt));
	dev->patt[0].pasid = 1;
	dev->patt[0].hwpt = hwpt;
	dev->npatt = 1;
	assert_true(iommuctl_pgtable_can_verify(dev, 1));
	assert_false(iommuctl_pgtable_can_verify(dev, 2));
	assert_int_equal(iommuctl_pgtable_verify(dev, 1, NULL, collect, &ds,
						 &res),
			 -ENOENT);
	assert_non_null(iommuctl_session_error(s));

	iommuctl_session_close(s);
	iommuctl_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_identity),
		cmocka_unit_test(test_real_scalable),
		cmocka_unit_test(test_real_empty),
		cmocka_unit_test(test_real_session),
		cmocka_unit_test(test_real_merge_none),
		cmocka_unit_test(test_real_open_fd),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_mixed_leaves),
		cmocka_unit_test(test_mixed_ranges),
		cmocka_unit_test(test_global66),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_hex_roundtrip),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_cmp_match),
		cmocka_unit_test(test_cmp_missing_extra),
		cmocka_unit_test(test_cmp_phys),
		cmocka_unit_test(test_cmp_bad),
		cmocka_unit_test(test_verify),
	};

	return cmocka_run_group_tests(tests, setup, tree_teardown);
}
