// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Arm SMMUv3: the driver's boot line and its feature word. The ID registers
 * themselves are decoded in regs.c (they come from IOMMU_GET_HW_INFO); the
 * boot line is what the kernel says about a unit without any device bound:
 *
 *   arm-smmu-v3 9050000.smmuv3: ias 44-bit, oas 44-bit (features 0x00008305)
 *   arm-smmu-v3 c000000.smmuv3: oas 44-bit (features 0x01088705)
 *
 * (Linux up to 6.x; 7.x dropped "ias"). Live it is read from /dev/kmsg
 * (root, or kernel.dmesg_restrict=0); from a report bundle, from its
 * report/kernel-log.txt.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

IOMMUCTL_EXPORT const char *iommuctl_smmuv3_feature_name(unsigned int bit)
{
	return bit < 32 ? names_lookup(NAMES_SMMUV3_FEATURE, (int)bit) : NULL;
}

/* "N-bit" at *@pp: N, the pointer past it; -1 if not there */
static int bits_at(const char **pp)
{
	const char *p = *pp;
	unsigned int v = 0, nd = 0;

	while (*p >= '0' && *p <= '9' && nd < 3) {
		v = v * 10 + (unsigned int)(*p++ - '0');
		nd++;
	}
	if (!nd || strncmp(p, "-bit", 4) || v > 64)
		return -1;
	*pp = p + 4;
	return (int)v;
}

IOMMUCTL_EXPORT int
iommuctl_smmuv3_parse_log_line(const char *line,
			       struct iommuctl_smmuv3_log *out)
{
	static const char drv[] = "arm-smmu-v3 ";
	struct iommuctl_smmuv3_log l;
	const char *p, *colon;
	unsigned int nd = 0;
	uint32_t feat = 0;
	size_t n;
	int ias = -1, oas;

	if (!line || !out)
		return -EINVAL;
	p = strstr(line, drv);
	if (!p)
		return -ENOENT;
	p += sizeof(drv) - 1;
	colon = strchr(p, ':');
	n = colon ? (size_t)(colon - p) : 0;
	if (!n || n >= sizeof(l.device) || memchr(p, ' ', n))
		return -ENOENT;
	memset(&l, 0, sizeof(l));
	memcpy(l.device, p, n);
	p = colon + 1;
	if (*p++ != ' ')
		return -ENOENT;
	if (!strncmp(p, "ias ", 4)) {
		p += 4;
		if ((ias = bits_at(&p)) < 0 || strncmp(p, ", ", 2))
			return -ENOENT;
		p += 2;
	}
	if (strncmp(p, "oas ", 4))
		return -ENOENT;
	p += 4;
	if ((oas = bits_at(&p)) < 0 || strncmp(p, " (features 0x", 13))
		return -ENOENT;
	p += 13;
	for (; hex_digit(*p) >= 0 && nd < 9; p++, nd++)
		feat = feat << 4 | (uint32_t)hex_digit(*p);
	if (!nd || nd > 8 || *p != ')')
		return -ENOENT;
	l.has_ias = ias >= 0;
	l.ias_bits = ias >= 0 ? (unsigned int)ias : 0;
	l.oas_bits = (unsigned int)oas;
	l.features = feat;
	*out = l;
	return 0;
}

/* The first line of @text (lines, or /dev/kmsg records read one by one)
 * that is @dev's boot line. */
static int find_line(const char *text, const char *dev,
		     struct iommuctl_smmuv3_log *out)
{
	const char *p = text, *e;
	char line[512];
	size_t n;

	while (*p) {
		e = strchr(p, '\n');
		n = e ? (size_t)(e - p) : strlen(p);
		if (n < sizeof(line)) {
			memcpy(line, p, n);
			line[n] = '\0';
			if (!iommuctl_smmuv3_parse_log_line(line, out) &&
			    !strcmp(out->device, dev))
				return 0;
		}
		p += n;
		if (*p)
			p++;
	}
	return -ENOENT;
}

/* /dev/kmsg without blocking: each read is one record "PRI,SEQ,USEC,FLAGS;
 * text\n"; stop when drained. */
static int kmsg_find(struct iommuctl_ctx *ctx, const char *dev,
		     struct iommuctl_smmuv3_log *out)
{
	char rec[2048];
	int fd = sysfs_open(ctx, "/dev/kmsg", O_RDONLY | O_NONBLOCK), rc;
	unsigned int records = 0;
	ssize_t n;

	if (fd < 0)
		return fd;
	rc = -ENOENT;
	while (rc && records++ < 100000) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && (errno == EPIPE || errno == EINTR))
			continue; /* overwritten while read: go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (strchr(rec, ';'))
			rc = find_line(strchr(rec, ';') + 1, dev, out);
	}
	close(fd);
	return rc;
}

IOMMUCTL_EXPORT int
iommuctl_iommu_get_smmuv3_log(struct iommuctl_iommu *iommu,
			      struct iommuctl_smmuv3_log *out,
			      const char **source)
{
	struct iommuctl_ctx *ctx;
	const char *dev;
	char *buf = NULL;
	int rc, krc = -ENOENT;

	if (!iommu || !out)
		return -EINVAL;
	if (iommu->kind != IOMMUCTL_IOMMU_ARM_SMMU_V3)
		return -ENODEV;
	ctx = iommu->ctx;
	dev = iommuctl_iommu_get_parent_device(iommu);
	if (!dev)
		return -ENOENT;
	if (!ctx->offline) {
		krc = kmsg_find(ctx, dev, out);
		if (!krc) {
			if (source)
				*source = "/dev/kmsg";
			return 0;
		}
	}
	rc = sysfs_read(ctx, "/report/kernel-log.txt", SYSFS_FILE_MAX, &buf,
			NULL);
	if (rc == 0) {
		rc = find_line(buf, dev, out);
		free(buf);
		if (!rc && source)
			*source = "report/kernel-log.txt";
		return rc;
	}
	/* the live log's refusal says more than a bundle's absence */
	return ctx->offline ? -ENOENT : krc;
}

IOMMUCTL_EXPORT const char *
iommuctl_smmuv3_pasid_why(const struct iommuctl_smmuv3_summary *s)
{
	if (!s || s->pasid)
		return NULL;
	return "the SMMUv3 has no SubstreamIDs (IDR1.SSIDSIZE 0): the kernel "
	       "gives the devices behind it no PASIDs (max_pasid_log2 0), so "
	       "a PASID attach is refused (EINVAL). An emulated SMMUv3 (QEMU "
	       "arm-smmuv3) offers SubstreamIDs (ssidsize=N) only with "
	       "accel=on, which needs a host SMMUv3: not under TCG";
}
