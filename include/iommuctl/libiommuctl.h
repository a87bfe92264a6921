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
 *
 * Headers: this one includes every part, one per subsystem (context.h,
 * topology.h, status.h, usage.h, vfio.h, explain.h, regs.h, iommufd.h,
 * debugfs.h, pgtable.h, report.h, export.h); each part also compiles on
 * its own.
 *
 * Extensible structs: a struct the caller allocates and the library fills
 * (struct iommuctl_obj_info, iommuctl_hw_info, iommuctl_pgtable_leaf, ...)
 * or reads (iommuctl_map_args, iommuctl_hwpt_args, iommuctl_report_opts)
 * only ever grows at its end, and the function taking it has an _sz entry
 * point with the caller's sizeof as its last argument; the plain name is a
 * macro passing sizeof(*(p)), so callers write iommuctl_obj_get_info(o, &in)
 * and a program built against these headers keeps working with a later
 * library. The library checks the size before anything else: a struct it
 * fills, smaller than the first version's is -EINVAL, and when larger (a
 * newer header than the library), the bytes past the library's struct are
 * zeroed ("not reported"); a struct it reads, smaller is -EINVAL, larger is
 * accepted when the bytes past the library's struct are zero (fields this
 * library does not know left unset) and -E2BIG otherwise. For arrays the
 * caller allocates (iommuctl_iommufd_probe_ioctls(), iommuctl_fault_read())
 * the size is the element's: the library writes the caller's stride. A
 * NULL optional struct passes any size. Structs the library hands out
 * (callback arguments, const views of its own objects) are read-only and
 * also grow only at their end.
 *
 * Errors: a context has one error slot, a sentence saying why the last call
 * failed (iommuctl_get_error()); iommuctl_session_error(),
 * iommuctl_vfio_error(), iommuctl_pgtable_error() and
 * iommuctl_debugfs_error() read it for their object.
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
#include <iommuctl/diff.h>
#include <iommuctl/monitor.h>
#include <iommuctl/export.h>

#endif /* IOMMUCTL_LIBIOMMUCTL_H */
