// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* How the host uses a device: placeholder until implemented. */
#include <errno.h>
#include <stdlib.h>

#include "private.h"

IOMMUCTL_EXPORT const char *iommuctl_use_kind_name(enum iommuctl_use_kind kind)
{
	static const char *const names[] = { "mount",	"swap",	   "holder",
					     "netif",	"route",   "console",
					     "drm",	"open" };

	return (unsigned int)kind < sizeof(names) / sizeof(names[0]) ?
		       names[kind] :
		       "unknown";
}

IOMMUCTL_EXPORT int iommuctl_device_get_uses(struct iommuctl_device *dev,
					     struct iommuctl_use **out,
					     size_t *n)
{
	return -ENOSYS;
}

IOMMUCTL_EXPORT void iommuctl_uses_free(struct iommuctl_use *uses, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(uses[i].device);
		free(uses[i].object);
		free(uses[i].detail);
	}
	free(uses);
}
