// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * IOMMU faults the kernel logged since boot, counted per driver, for
 * 'iommuctl metrics'. Minimal on purpose: it only recognises the one line
 * each driver prints per fault (the decoding to device, address and reason
 * belongs to the monitor's decoder; the two are to be unified):
 *   VT-d (intel/dmar.c dmar_fault_do_one()):
 *     DMAR: [DMA Read NO_PASID] Request device [00:03.0] fault addr 0x...
 *     DMAR: [INTR-REMAP] Request device [00:03.0] fault index 0x...
 *   AMD-Vi (amd/iommu.c, the event log):
 *     AMD-Vi: Event logged [IO_PAGE_FAULT device=0000:00:03.0 ...]
 *   arm-smmu-v3 (arm_smmu_dump_raw_event(), before the decoded lines):
 *     arm-smmu-v3 arm-smmu-v3.0.auto: event 0x10 received:
 * The drivers rate-limit these lines, and the kernel's ring buffer forgets
 * old ones, so the counts are what the log still holds: a lower bound.
 * Live from /dev/kmsg, offline from a bundle's report/kernel-log.txt.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

#define FAULTLOG_RECORDS 1000000 /* records read from /dev/kmsg at most */
#define FAULTLOG_FILE "/report/kernel-log.txt"
#define FAULTLOG_FILE_MAX (16u << 20)

IOMMUCTL_EXPORT enum iommuctl_iommu_kind
iommuctl_fault_line_kind(const char *line)
{
	const char *p;

	if (!line)
		return IOMMUCTL_IOMMU_OTHER;
	p = strstr(line, "DMAR: [");
	if (p && strstr(p, "] Request device ["))
		return IOMMUCTL_IOMMU_INTEL_VTD;
	if (strstr(line, "AMD-Vi: Event logged ["))
		return IOMMUCTL_IOMMU_AMD_VI;
	p = strstr(line, "arm-smmu-v3");
	if (p && (p = strstr(p, ": event 0x")) && strstr(p, " received:"))
		return IOMMUCTL_IOMMU_ARM_SMMU_V3;
	return IOMMUCTL_IOMMU_OTHER;
}

static void count_line(struct iommuctl_fault_counts *c, const char *line)
{
	switch (iommuctl_fault_line_kind(line)) {
	case IOMMUCTL_IOMMU_INTEL_VTD:
		c->intel_vtd++;
		break;
	case IOMMUCTL_IOMMU_AMD_VI:
		c->amd_vi++;
		break;
	case IOMMUCTL_IOMMU_ARM_SMMU_V3:
		c->arm_smmu_v3++;
		break;
	default:
		break;
	}
}

static int count_record(char *text, void *arg)
{
	count_line(arg, text);
	return 0;
}

/* /dev/kmsg, read until drained */
static int count_kmsg(struct iommuctl_ctx *ctx, struct iommuctl_fault_counts *c)
{
	return kmsg_each(ctx, FAULTLOG_RECORDS, count_record, c);
}

static int count_file(struct iommuctl_ctx *ctx, struct iommuctl_fault_counts *c)
{
	char *buf = NULL, *p, *nl;
	size_t len = 0;
	int rc = sysfs_read(ctx, FAULTLOG_FILE, FAULTLOG_FILE_MAX, &buf, &len);

	if (rc < 0)
		return rc;
	for (p = buf; p < buf + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		if (!nl)
			nl = buf + len;
		*nl = '\0';
		count_line(c, p);
	}
	free(buf);
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_fault_log_count_sz(struct iommuctl_ctx *ctx,
						struct iommuctl_fault_counts *c,
						size_t size)
{
	int rc = sz_fill(c, size, sizeof(*c));

	if (rc < 0)
		return rc;
	if (!ctx)
		return -EINVAL;
	rc = ctx->offline ? count_file(ctx, c) : count_kmsg(ctx, c);
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0) {
		memset(c, 0, sizeof(*c));
		c->log_errno = -rc;
	}
	c->source = ctx->offline ? FAULTLOG_FILE + 1 : "/dev/kmsg";
	dbg(ctx,
	    "faults in the kernel log (%s%s%s): vt-d %u, amd-vi %u, smmuv3 %u\n",
	    c->source, rc < 0 ? ": " : "", rc < 0 ? strerror(-rc) : "",
	    c->intel_vtd, c->amd_vi, c->arm_smmu_v3);
	return 0;
}
