// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * What hwinfo asks of a device beyond IOMMU_GET_HW_INFO itself: why its
 * IOMMU's registers forbid PASIDs, and which devices a hot reset of it
 * takes, as the kernel answers on its VFIO cdev; and giving back the
 * temporary vfio-pci binding it was asked through.
 */
#include <errno.h>
#include <stdlib.h>

#include "private.h"
#include "abi/iommufd.h"

IOMMUCTL_EXPORT const char *
iommuctl_hw_info_pasid_why(const struct iommuctl_hw_info *hi)
{
	const struct ic_iommu_hw_info_arm_smmuv3 *smmu = hi->data;
	struct iommuctl_smmuv3_summary s;

	if (hi->type != IOMMUCTL_HW_INFO_ARM_SMMUV3 || !smmu ||
	    hi->data_len < sizeof(*smmu) ||
	    iommuctl_smmuv3_summarize(smmu->idr, smmu->iidr, smmu->aidr, &s) <
		    0)
		return NULL;
	return iommuctl_smmuv3_pasid_why(&s);
}

IOMMUCTL_EXPORT int
iommuctl_device_hot_reset_ask(struct iommuctl_ctx *ctx, const char *device,
			      uint32_t *flags,
			      struct iommuctl_hot_reset_dev **out, size_t *n)
{
	struct iommuctl_session *s = NULL;
	struct iommuctl_obj *dev = NULL;
	int rc = iommuctl_session_open(ctx, &s);

	*flags = 0;
	*out = NULL;
	*n = 0;
	if (!rc)
		rc = iommuctl_vfio_device_bind(s, device, &dev);
	if (!rc)
		rc = iommuctl_vfio_hot_reset_info(dev, flags, out, n);
	if (dev)
		iommuctl_obj_destroy(dev);
	iommuctl_session_close(s);
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_vfio_give_back(struct iommuctl_ctx *ctx,
					    struct iommuctl_vfio *v)
{
	const struct iommuctl_vfio_step *st;
	struct iommuctl_vfio *back = NULL;
	size_t i, n = iommuctl_vfio_get_steps(v, &st);
	int rc = iommuctl_vfio_new(ctx, &back);
	const void *owner;
	bool why;

	for (i = 0; !rc && i < n; i++)
		if (st[i].action == IOMMUCTL_VFIO_BIND && st[i].done)
			rc = iommuctl_vfio_add_device(back, st[i].device);
	if (!rc)
		rc = iommuctl_vfio_restore(back);
	why = rc < 0 && iommuctl_vfio_error(back);
	iommuctl_vfio_free(back);
	/* the sentence @back left, now the context's */
	if (why)
		ctx_error_set(ctx, ctx, ctx_error_take(ctx, &owner));
	else
		ctx_error_set(ctx, NULL, NULL);
	return rc;
}
