// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Data of the iommufd commands, as bytes and back: the driver data of a
 * nested hwpt (IOMMU_HWPT_ALLOC) and of invalidations built from typed
 * parameters, the data of IOMMU_GET_HW_INFO decoded into named registers,
 * IOVA ranges from text, and dirty bitmaps as pages: those the selftest
 * mock is told to mark and those the kernel reports. All but the last two
 * are pure: no ioctls.
 */
#include <endian.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"
#include "abi/iommufd.h"

IOMMUCTL_EXPORT int
iommuctl_hwpt_data_encode(const struct iommuctl_hwpt_data *d, void *buf,
			  size_t size)
{
	struct ic_iommu_hwpt_vtd_s1 vtd = { 0 };
	struct ic_iommu_hwpt_arm_smmuv3 ste;
	uint32_t iotlb;
	const void *src;
	size_t len;

	switch (d->type) {
	case IOMMUCTL_HWPT_DATA_SELFTEST:
		iotlb = d->iotlb; /* struct iommu_hwpt_selftest: host endian */
		src = &iotlb;
		len = sizeof(iotlb);
		break;
	case IOMMUCTL_HWPT_DATA_VTD_S1:
		if (d->addr_width != 48 && d->addr_width != 57)
			return -EINVAL;
		vtd.flags = htole64(d->vtd_flags);
		vtd.pgtbl_addr = htole64(d->pgtbl_addr);
		vtd.addr_width = htole32(d->addr_width);
		src = &vtd;
		len = sizeof(vtd);
		break;
	case IOMMUCTL_HWPT_DATA_ARM_SMMUV3:
		ste.ste[0] = htole64(d->ste[0]);
		ste.ste[1] = htole64(d->ste[1]);
		src = &ste;
		len = sizeof(ste);
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (size < len)
		return -ENOSPC;
	memcpy(buf, src, len);
	return (int)len;
}

IOMMUCTL_EXPORT int iommuctl_inval_encode(const struct iommuctl_inval *r,
					  void *buf, size_t size, uint32_t *num)
{
	struct ic_iommu_hwpt_vtd_s1_invalidate vtd = { 0 };
	uint32_t st[3], len;
	uint64_t cmd[2];
	unsigned int i, w;

	switch (r->type) {
	case IOMMUCTL_INVALIDATE_SELFTEST:
		/* { flags (bit0 all), [vIOMMU: virtual id,] entry }, host endian */
		len = (r->viommu ? 3 : 2) * sizeof(uint32_t);
		*num = r->all ? 1 : r->n;
		break;
	case IOMMUCTL_INVALIDATE_VTD_S1:
		len = sizeof(vtd);
		*num = 1;
		break;
	case IOMMUCTL_INVALIDATE_ARM_SMMUV3:
		len = sizeof(cmd);
		*num = r->n;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (size / len < *num)
		return -ENOSPC;
	for (i = 0; i < *num; i++) {
		if (r->type == IOMMUCTL_INVALIDATE_VTD_S1) {
			vtd.addr = htole64(r->all ? 0 : r->addr);
			vtd.npages = htole64(r->all ? UINT64_MAX : r->npages);
			vtd.flags = htole32(r->leaf);
			memcpy(buf, &vtd, len);
		} else if (r->type == IOMMUCTL_INVALIDATE_ARM_SMMUV3) {
			cmd[0] = htole64(r->cmds[i][0]);
			cmd[1] = htole64(r->cmds[i][1]);
			memcpy((char *)buf + i * len, cmd, len);
		} else {
			w = 0;
			st[w++] = r->all;
			if (r->viommu)
				st[w++] = r->virt_id;
			st[w++] = r->all ? 0 : r->ids[i];
			memcpy((char *)buf + i * len, st, len);
		}
	}
	return (int)len;
}

IOMMUCTL_EXPORT const char *iommuctl_hw_info_type_name(uint32_t type)
{
	static const char *const names[] = { "none", "intel-vtd", "arm-smmuv3",
					     "tegra241-cmdqv", "amd" };

	if (type == IOMMUCTL_HW_INFO_SELFTEST)
		return "selftest";
	return type < sizeof(names) / sizeof(names[0]) ? names[type] :
							 "unknown";
}

IOMMUCTL_EXPORT const char *iommuctl_hw_info_cap_name(unsigned int bit)
{
	static const char *const names[] = { "dirty-tracking", "pci-pasid-exec",
					     "pci-pasid-priv",
					     "pci-ats-not-supported" };

	return bit < sizeof(names) / sizeof(names[0]) ? names[bit] : NULL;
}

/* The data of each type (kernel-interfaces section 2, the structs of
 * abi/iommufd.h): where its registers are, and how long the data must be to
 * hold them all. AT(): the offset and size of a field. */
#define AT(st, f) offsetof(struct st, f), sizeof(((struct st *)0)->f)
#define VTD(f) AT(ic_iommu_hw_info_vtd, f)
#define SMMU(f) AT(ic_iommu_hw_info_arm_smmuv3, f)
#define AMD(f) AT(ic_iommu_hw_info_amd, f)
static const char *const vtd_flag_names[] = { "errata-772415-spr17", NULL };
static const struct hw_layout {
	uint32_t type, min_len;
	struct {
		const char *name;
		uint8_t off, size, count;
		const char *const *bit_names;
	} regs[IOMMUCTL_HW_INFO_REGS];
} hw_layouts[] = {
	{ IOMMUCTL_HW_INFO_VTD,
	  sizeof(struct ic_iommu_hw_info_vtd),
	  { { "flags", VTD(flags), 1, vtd_flag_names },
	    { "cap", VTD(cap_reg), 1, NULL },
	    { "ecap", VTD(ecap_reg), 1, NULL } } },
	{ IOMMUCTL_HW_INFO_ARM_SMMUV3,
	  sizeof(struct ic_iommu_hw_info_arm_smmuv3),
	  { { "flags", SMMU(flags), 1, NULL },
	    { "idr", SMMU(idr[0]), 6, NULL },
	    { "iidr", SMMU(iidr), 1, NULL },
	    { "aidr", SMMU(aidr), 1, NULL } } },
	{ IOMMUCTL_HW_INFO_AMD,
	  sizeof(struct ic_iommu_hw_info_amd),
	  { { "efr", AMD(efr), 1, NULL }, { "efr2", AMD(efr2), 1, NULL } } },
	{ IOMMUCTL_HW_INFO_SELFTEST, /* struct iommu_test_hw_info */
	  8,
	  { { "flags", 0, 4, 1, NULL }, { "test_reg", 4, 4, 1, NULL } } },
};

IOMMUCTL_EXPORT int iommuctl_hw_info_decode(const struct iommuctl_hw_info *hi,
					    struct iommuctl_hw_info_reg *regs,
					    size_t max)
{
	const unsigned char *d = hi->data;
	const struct hw_layout *l = NULL;
	uint32_t v32;
	size_t i, n;
	unsigned int k;

	for (i = 0; i < sizeof(hw_layouts) / sizeof(hw_layouts[0]); i++)
		if (hw_layouts[i].type == hi->type)
			l = &hw_layouts[i];
	if (!l || !d || hi->data_len < l->min_len)
		return 0;
	for (n = 0; n < IOMMUCTL_HW_INFO_REGS && l->regs[n].name; n++)
		;
	if (n > max)
		return -ENOSPC;
	for (i = 0; i < n; i++) {
		regs[i].name = l->regs[i].name;
		regs[i].count = l->regs[i].count;
		regs[i].bit_names = l->regs[i].bit_names;
		for (k = 0; k < regs[i].count; k++) {
			/* host endian, as the kernel wrote it */
			if (l->regs[i].size == 8) {
				memcpy(&regs[i].v[k],
				       d + l->regs[i].off + 8 * k, 8);
			} else {
				memcpy(&v32, d + l->regs[i].off + 4 * k, 4);
				regs[i].v[k] = v32;
			}
		}
	}
	return (int)n;
}

IOMMUCTL_EXPORT int iommuctl_parse_iova_range(const char *text,
					      struct iommuctl_iova_range *r,
					      const char **form)
{
	char *buf = strdup(text), *sep;
	uint64_t a = 0, b = 0;
	bool plus, bad;

	if (!buf)
		return -ENOMEM;
	/* the first character may be a sign of neither form */
	sep = *buf ? strpbrk(buf + 1, "-+") : NULL;
	plus = sep && *sep == '+';
	if (sep)
		*sep = '\0';
	bad = !sep || iommuctl_parse_size(buf, &a) ||
	      iommuctl_parse_size(sep + 1, &b);
	free(buf);
	if (!sep)
		*form = "START-LAST or START+SIZE";
	else if (plus && (bad || !b || a + b - 1 < a))
		*form = "START+SIZE";
	else if (!plus && (bad || b < a))
		*form = "START-LAST, LAST inclusive";
	else
		*form = NULL;
	if (*form)
		return -EINVAL;
	r->start = a;
	r->last = plus ? a + b - 1 : b;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_mock_mark_pages_dirty(struct iommuctl_obj *hwpt,
						   uint64_t iova,
						   uint64_t length,
						   uint64_t page_size,
						   uint64_t *nr_dirty)
{
	long cpu = sysconf(_SC_PAGESIZE);
	uint64_t unit = cpu > 0 ? (uint64_t)cpu / 2 : 2048, step, bits, i;
	uint64_t *bm;
	int rc;

	/*
	 * The mock's page table has entries of half a CPU page, and the test
	 * command (up to 6.18) looks pages up as IOVA / page_size: only the
	 * mock's own page size finds the right entries. So mark at that size,
	 * one entry at the start of each page of @page_size.
	 */
	if (!page_size || !unit || page_size % unit)
		unit = page_size;
	if (!unit || length % unit)
		return -EINVAL;
	step = page_size / unit;
	bits = length / unit;
	bm = calloc((size_t)((bits + 63) / 64), sizeof(*bm));
	if (!bm)
		return -ENOMEM;
	for (i = 0; i < bits; i += step)
		bm[i / 64] |= 1ULL << (i % 64);
	rc = iommuctl_mock_set_dirty(hwpt, iova, length, unit, bm, nr_dirty);
	free(bm);
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_hwpt_dirty_pages(struct iommuctl_obj *hwpt,
					      uint64_t iova, uint64_t length,
					      uint64_t page_size, bool no_clear,
					      uint64_t **pages, size_t *n)
{
	size_t bits, words, count = 0, i;
	uint64_t *bm;
	int rc;

	*pages = NULL;
	*n = 0;
	if (!page_size || length / page_size >= SIZE_MAX / 2)
		return -EINVAL;
	bits = (size_t)(length / page_size + !!(length % page_size));
	words = (bits + 63) / 64;
	bm = calloc(words ? words : 1, sizeof(*bm));
	if (!bm)
		return -ENOMEM;
	rc = iommuctl_hwpt_get_dirty_bitmap(hwpt, iova, length, page_size,
					    no_clear, bm, words);
	for (i = 0; rc == 0 && i < bits; i++)
		count += !!(bm[i / 64] & (1ULL << (i % 64)));
	if (count) {
		*pages = calloc(count, sizeof(**pages));
		if (!*pages)
			rc = -ENOMEM;
	}
	for (i = 0; rc == 0 && *n < count; i++)
		if (bm[i / 64] & (1ULL << (i % 64)))
			(*pages)[(*n)++] = iova + i * page_size;
	free(bm);
	return rc;
}
