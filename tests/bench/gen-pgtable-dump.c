// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: writes a synthetic VT-d page-table dump, byte for
 * byte in the format of a 6.7+ kernel's
 * intel/<BDF>/domain_translation_struct (drivers/iommu/intel/debugfs.c:
 * pgtable_walk_level() and dump_page_info()), for benchmarks: real dumps of
 * a million leaves are not something a test VM hands out. The table has
 * four levels (PML5E column 0); leaves come in IOVA order, as the kernel's
 * walk prints them:
 *   - mostly 4 KiB leaves, in runs with contiguous physical pages
 *     (a fifth of them read-only) and in runs of scattered pages,
 *   - holes of a few pages up to gigabytes, now and then a jump to the
 *     next 512 GiB so PML4 entries change too,
 *   - a few runs of 2 MiB leaves (PDE with bit 7 set, the row ends there).
 * Table pages get addresses from a bump allocator, and every non-leaf entry
 * is its table's address | R | W, as the kernel's. The same LEAVES and SEED
 * give the same file.
 *
 *   gen-pgtable-dump LEAVES [SEED] > FILE
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_SHIFT 12
#define PTE_R 0x1ULL
#define PTE_W 0x2ULL
#define PTE_SUPERPAGE 0x80ULL
#define PFN_LIMIT (1ULL << (48 - PAGE_SHIFT))

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t rnd_range(uint64_t lo, uint64_t hi)
{
	return lo + rnd() % (hi - lo + 1);
}

static uint64_t next_table = 0x100000000ULL;

static uint64_t alloc_table(void)
{
	uint64_t t = next_table;

	next_table += 1ULL << PAGE_SHIFT;
	return t;
}

/* The entries on the walk to the current IOVA, as the kernel's path[]. */
static struct {
	uint64_t pml4_idx, pdp_idx, pd_idx;
	uint64_t pml4e, pdpe, pde_table;
	int valid;
} walk;
static uint64_t root;

static char *put_hex(char *p, uint64_t v, int digits)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	*p++ = '0';
	*p++ = 'x';
	for (i = digits - 1; i >= 0; i--)
		p[digits - 1 - i] = hex[(v >> (i * 4)) & 0xf];
	return p + digits;
}

/* Enter the tables down to the PD covering @pfn (new tables as needed). */
static void walk_to(uint64_t pfn)
{
	uint64_t pml4_idx = pfn >> 27, pdp_idx = pfn >> 18, pd_idx = pfn >> 9;

	if (!walk.valid || walk.pml4_idx != pml4_idx) {
		walk.pml4e = alloc_table() | PTE_R | PTE_W;
		walk.pml4_idx = pml4_idx;
		walk.pdp_idx = UINT64_MAX;
	}
	if (walk.pdp_idx != pdp_idx) {
		walk.pdpe = alloc_table() | PTE_R | PTE_W;
		walk.pdp_idx = pdp_idx;
		walk.pd_idx = UINT64_MAX;
	}
	if (walk.pd_idx != pd_idx) {
		walk.pde_table = 0;
		walk.pd_idx = pd_idx;
	}
	walk.valid = 1;
}

static void emit(uint64_t pfn, uint64_t pde, uint64_t pte)
{
	char line[128], *p = line;

	p = put_hex(p, pfn, 13);
	memcpy(p, " |\t", 3);
	p += 3;
	p = put_hex(p, 0, 16); /* PML5E: a 4-level table */
	*p++ = '\t';
	p = put_hex(p, walk.pml4e, 16);
	*p++ = '\t';
	p = put_hex(p, walk.pdpe, 16);
	if (pde) {
		*p++ = '\t';
		p = put_hex(p, pde, 16);
		if (pte) {
			*p++ = '\t';
			p = put_hex(p, pte, 16);
		}
	}
	*p++ = '\n';
	fwrite(line, 1, (size_t)(p - line), stdout);
}

static void leaf_4k(uint64_t pfn, uint64_t phys_pfn, uint64_t perm)
{
	walk_to(pfn);
	/* a 2 MiB region holds either a page table or one superpage */
	if (!walk.pde_table)
		walk.pde_table = alloc_table() | PTE_R | PTE_W;
	emit(pfn, walk.pde_table, (phys_pfn << PAGE_SHIFT) | perm);
}

static void leaf_2m(uint64_t pfn, uint64_t phys_pfn, uint64_t perm)
{
	walk_to(pfn);
	emit(pfn, (phys_pfn << PAGE_SHIFT) | PTE_SUPERPAGE | perm, 0);
	walk.pd_idx = UINT64_MAX; /* this region is used up */
}

int main(int argc, char **argv)
{
	uint64_t leaves, done = 0, pfn = 0x100, n, i, phys, perm;
	static char buf[1 << 20];
	char *end;

	if (argc < 2 || argc > 3) {
		fprintf(stderr,
			"usage: gen-pgtable-dump LEAVES [SEED] > FILE\n");
		return 2;
	}
	errno = 0;
	leaves = strtoull(argv[1], &end, 0);
	if (errno || *end || !leaves) {
		fprintf(stderr, "gen-pgtable-dump: bad leaf count %s\n",
			argv[1]);
		return 2;
	}
	if (argc == 3)
		rng_state ^= strtoull(argv[2], NULL, 0) * 0x100000001b3ULL;
	setvbuf(stdout, buf, _IOFBF, sizeof(buf));

	root = alloc_table();
	printf("Device 0000:00:03.0 @0x%" PRIx64 "\n", root);
	printf("%-17s\t%-18s\t%-18s\t%-18s\t%-18s\t%-s\n", "IOVA_PFN", "PML5E",
	       "PML4E", "PDPE", "PDE", "PTE");

	while (done < leaves) {
		unsigned int r = (unsigned int)(rnd() % 1000);

		if (pfn >= PFN_LIMIT - (1ULL << 30))
			pfn = 0x100; /* cannot happen below 2^30 leaves */
		if (r < 1 && pfn < PFN_LIMIT / 2) {
			/* to the next 512 GiB: a new PML4 entry */
			pfn = ((pfn >> 27) + 1) << 27;
		} else if (r < 11) {
			/* gigabytes of nothing */
			pfn = (((pfn >> 18) + 1) << 18) + rnd_range(0, 3 << 18);
		} else if (r < 130) {
			pfn += rnd_range(1, 2048);
		} else if (r < 160) {
			/* 2 MiB leaves, physically contiguous or not */
			n = rnd_range(1, 4);
			pfn = (pfn + 511) & ~511ULL;
			phys = rnd_range(1, 1 << 15) << 9;
			for (i = 0; i < n && done < leaves; i++, done++) {
				leaf_2m(pfn, phys, PTE_R | PTE_W);
				pfn += 512;
				phys = r & 1 ? phys + 512 :
					       rnd_range(1, 1 << 15) << 9;
			}
		} else if (r < 500) {
			/* a run of contiguous pages, a fifth read-only */
			n = rnd_range(1, 512);
			phys = rnd_range(1, 1 << 24);
			perm = r < 228 ? PTE_R : PTE_R | PTE_W;
			for (i = 0; i < n && done < leaves; i++, done++)
				leaf_4k(pfn++, phys++, perm);
		} else {
			/* scattered pages */
			n = rnd_range(1, 64);
			for (i = 0; i < n && done < leaves; i++, done++)
				leaf_4k(pfn++, rnd_range(1, 1 << 24),
					PTE_R | PTE_W);
		}
	}
	if (fflush(stdout) || ferror(stdout)) {
		perror("gen-pgtable-dump: write");
		return 1;
	}
	return 0;
}
