/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The iommuctl authors */
/**
 * DOC: libiommuctl
 *
 * libiommuctl models the kernel's IOMMU world: IOMMU units, IOMMU groups,
 * iommufd and VFIO device cdevs. Every object hangs off a context. The
 * library never prints and never exits: functions return 0 or a negative
 * errno, and diagnostics go through a log callback (default: stderr,
 * priority from $IOMMUCTL_LOG, "err" unless set).
 *
 * Every sysfs, procfs, debugfs and /dev path is resolved inside the context's
 * root (default "/"), so the whole library works on a captured tree; symlinks
 * in that tree never resolve outside it.
 *
 * Enumeration is lazy and cached: the first get_first() call reads sysfs.
 * Iterate with the _foreach() macros.
 */
#ifndef IOMMUCTL_LIBIOMMUCTL_H
#define IOMMUCTL_LIBIOMMUCTL_H

#include <iommuctl/context.h>
#include <iommuctl/topology.h>
#include <iommuctl/status.h>
#include <iommuctl/usage.h>
#include <iommuctl/vfio.h>
#include <iommuctl/explain.h>
#include <iommuctl/regs.h>
#include <iommuctl/iommufd.h>
#include <iommuctl/debugfs.h>
#include <iommuctl/pgtable.h>
#include <iommuctl/report.h>

#endif /* IOMMUCTL_LIBIOMMUCTL_H */
