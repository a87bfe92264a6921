// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* /dev/iommu: presence and a harmless probe */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "private.h"
#include "abi/iommufd.h"
#include "abi/vfio.h"

#define DEV_IOMMU "/dev/iommu"

IOMMUCTL_EXPORT int iommuctl_iommufd_probe_sz(struct iommuctl_ctx *ctx,
					      struct iommuctl_iommufd_state *st,
					      size_t size)
{
	struct ic_iommu_destroy destroy = { .size = sizeof(destroy), .id = 0 };
	struct ic_iommu_test_cmd test;
	int fd;
	int rc = sz_fill(st, size, sizeof(*st));

	if (rc < 0)
		return rc;
	if (!ctx)
		return -EINVAL;
	st->present = sysfs_exists(ctx, DEV_IOMMU);
	if (!st->present || ctx->offline)
		return 0;

	fd = sysfs_open(ctx, DEV_IOMMU, O_RDWR);
	if (fd < 0) {
		st->open_errno = -fd;
		info(ctx, DEV_IOMMU ": %s\n", strerror(-fd));
		return 0;
	}
	st->probed = true;
	/* No object has id 0: iommufd answers ENOENT, anything else ENOTTY. */
	if (ioctl(fd, IOMMUFD_IO(IOMMUFD_CMD_DESTROY), &destroy) < 0 &&
	    errno == ENOENT)
		st->answers = true;
	else
		info(ctx, DEV_IOMMU ": IOMMU_DESTROY(0) gave %s, not ENOENT\n",
		     strerror(errno));

	/* An unknown op: selftest kernels answer EOPNOTSUPP, others ENOTTY. */
	memset(&test, 0, sizeof(test));
	test.size = sizeof(test);
	test.op = 0xffff;
	if (st->answers &&
	    ioctl(fd, IOMMUFD_IO(IOMMUFD_CMD_TEST), &test) < 0 &&
	    errno != ENOTTY)
		st->selftest = true;
	close(fd);
	return 0;
}

/*
 * Every iommufd command and the release that added it. Probing issues each
 * one on a fresh /dev/iommu with zeroed arguments (ids 0, GET operations):
 * ENOTTY means the kernel lacks it; any other answer means it is there.
 * Anything a zeroed call creates dies with the probe's file descriptor.
 */
static const struct {
	unsigned int nr;
	const char *name;
	const char *since;
	unsigned int size;
} iommufd_cmds[] = {
	{ IOMMUFD_CMD_DESTROY, "IOMMU_DESTROY", "6.2", sizeof(struct ic_iommu_destroy) },
	{ IOMMUFD_CMD_IOAS_ALLOC, "IOMMU_IOAS_ALLOC", "6.2", sizeof(struct ic_iommu_ioas_alloc) },
	{ IOMMUFD_CMD_IOAS_ALLOW_IOVAS, "IOMMU_IOAS_ALLOW_IOVAS", "6.2", sizeof(struct ic_iommu_ioas_allow_iovas) },
	{ IOMMUFD_CMD_IOAS_COPY, "IOMMU_IOAS_COPY", "6.2", sizeof(struct ic_iommu_ioas_copy) },
	{ IOMMUFD_CMD_IOAS_IOVA_RANGES, "IOMMU_IOAS_IOVA_RANGES", "6.2", sizeof(struct ic_iommu_ioas_iova_ranges) },
	{ IOMMUFD_CMD_IOAS_MAP, "IOMMU_IOAS_MAP", "6.2", sizeof(struct ic_iommu_ioas_map) },
	{ IOMMUFD_CMD_IOAS_UNMAP, "IOMMU_IOAS_UNMAP", "6.2", sizeof(struct ic_iommu_ioas_unmap) },
	{ IOMMUFD_CMD_OPTION, "IOMMU_OPTION", "6.2", sizeof(struct ic_iommu_option) },
	{ IOMMUFD_CMD_VFIO_IOAS, "IOMMU_VFIO_IOAS", "6.2", sizeof(struct ic_iommu_vfio_ioas) },
	{ IOMMUFD_CMD_HWPT_ALLOC, "IOMMU_HWPT_ALLOC", "6.6", sizeof(struct ic_iommu_hwpt_alloc) },
	{ IOMMUFD_CMD_GET_HW_INFO, "IOMMU_GET_HW_INFO", "6.6", sizeof(struct ic_iommu_hw_info) },
	{ IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING, "IOMMU_HWPT_SET_DIRTY_TRACKING", "6.7", sizeof(struct ic_iommu_hwpt_set_dirty_tracking) },
	{ IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP, "IOMMU_HWPT_GET_DIRTY_BITMAP", "6.7", sizeof(struct ic_iommu_hwpt_get_dirty_bitmap) },
	{ IOMMUFD_CMD_HWPT_INVALIDATE, "IOMMU_HWPT_INVALIDATE", "6.8", sizeof(struct ic_iommu_hwpt_invalidate) },
	{ IOMMUFD_CMD_FAULT_QUEUE_ALLOC, "IOMMU_FAULT_QUEUE_ALLOC", "6.11", sizeof(struct ic_iommu_fault_alloc) },
	{ IOMMUFD_CMD_IOAS_MAP_FILE, "IOMMU_IOAS_MAP_FILE", "6.13", sizeof(struct ic_iommu_ioas_map_file) },
	{ IOMMUFD_CMD_VIOMMU_ALLOC, "IOMMU_VIOMMU_ALLOC", "6.13", sizeof(struct ic_iommu_viommu_alloc) },
	{ IOMMUFD_CMD_VDEVICE_ALLOC, "IOMMU_VDEVICE_ALLOC", "6.13", sizeof(struct ic_iommu_vdevice_alloc) },
	{ IOMMUFD_CMD_IOAS_CHANGE_PROCESS, "IOMMU_IOAS_CHANGE_PROCESS", "6.13", sizeof(struct ic_iommu_ioas_change_process) },
	{ IOMMUFD_CMD_VEVENTQ_ALLOC, "IOMMU_VEVENTQ_ALLOC", "6.15", sizeof(struct ic_iommu_veventq_alloc) },
	{ IOMMUFD_CMD_HW_QUEUE_ALLOC, "IOMMU_HW_QUEUE_ALLOC", "6.17", sizeof(struct ic_iommu_hw_queue_alloc) },
	{ IOMMUFD_CMD_TEST, "IOMMU_TEST_CMD", "selftest", sizeof(struct ic_iommu_test_cmd) },
};

#define NUM_IOMMUFD_CMDS (sizeof(iommufd_cmds) / sizeof(iommufd_cmds[0]))

static int iommuctl_iommufd_probe_ioctls_impl(struct iommuctl_ctx *ctx,
					      struct iommuctl_ioctl_probe *out,
					      size_t *n)
{
	union {
		struct ic_iommu_test_cmd test; /* the largest */
		uint8_t raw[128];
	} arg;
	size_t i;
	int fd;

	if (!ctx || !out || !n || *n < NUM_IOMMUFD_CMDS)
		return -EINVAL;
	if (ctx->offline)
		return -EOPNOTSUPP;
	fd = sysfs_open(ctx, DEV_IOMMU, O_RDWR);
	if (fd < 0)
		return fd;
	for (i = 0; i < NUM_IOMMUFD_CMDS; i++) {
		int rc;

		memset(&arg, 0, sizeof(arg));
		memcpy(arg.raw, &iommufd_cmds[i].size, sizeof(uint32_t));
		if (iommufd_cmds[i].nr == IOMMUFD_CMD_OPTION)
			arg.raw[8] = IC_IOMMU_OPTION_OP_GET; /* never SET */
		else if (iommufd_cmds[i].nr == IOMMUFD_CMD_TEST)
			arg.test.op = 0xffff; /* no such op */
		rc = ioctl(fd, IOMMUFD_IO(iommufd_cmds[i].nr), &arg);
		out[i].nr = iommufd_cmds[i].nr;
		out[i].name = iommufd_cmds[i].name;
		out[i].since = iommufd_cmds[i].since;
		out[i].present = rc >= 0 || errno != ENOTTY;
		out[i].answer = rc >= 0 ? 0 : errno;
		if (iommufd_cmds[i].nr == IOMMUFD_CMD_FAULT_QUEUE_ALLOC && rc >= 0) {
			struct ic_iommu_fault_alloc *f = (void *)arg.raw;

			close((int)f->out_fault_fd);
		}
		dbg(ctx, "%s: %s\n", iommufd_cmds[i].name,
		    rc >= 0 ? "succeeded" : strerror(errno));
	}
	close(fd);
	*n = NUM_IOMMUFD_CMDS;
	return 0;
}

IOMMUCTL_EXPORT int
iommuctl_iommufd_probe_ioctls_sz(struct iommuctl_ctx *ctx,
				 struct iommuctl_ioctl_probe *out, size_t *n,
				 size_t size)
{
	struct iommuctl_ioctl_probe *tmp;
	size_t cap = n ? *n : 0;
	int rc;

	if (size == sizeof(*out))
		return iommuctl_iommufd_probe_ioctls_impl(ctx, out, n);
	if (size < sizeof(*out))
		return -EINVAL;
	tmp = calloc(cap ? cap : 1, sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	rc = iommuctl_iommufd_probe_ioctls_impl(ctx, tmp, n);
	if (rc >= 0)
		sz_array_out(out, size, tmp, sizeof(*tmp), n ? *n : 0);
	free(tmp);
	return rc;
}

_Static_assert(NUM_IOMMUFD_CMDS == IOMMUCTL_NUM_IOMMUFD_CMDS,
	       "IOMMUCTL_NUM_IOMMUFD_CMDS must match the command table");

/* ---- flags and data types ------------------------------------------- */

struct featlist {
	struct iommuctl_feature_probe *v;
	size_t n, cap;
	bool nomem;
};

static void feat_add(struct featlist *f, const char *area, const char *name,
		     uint64_t value, int supported, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void feat_add(struct featlist *f, const char *area, const char *name,
		     uint64_t value, int supported, const char *fmt, ...)
{
	struct iommuctl_feature_probe *e;
	va_list ap;

	if (f->nomem)
		return;
	if (array_grow(&f->v, &f->cap, f->n, sizeof(*f->v)) < 0) {
		f->nomem = true;
		return;
	}
	e = &f->v[f->n++];
	memset(e, 0, sizeof(*e));
	e->area = area;
	e->name = name;
	e->value = value;
	e->supported = supported;
	va_start(ap, fmt);
	vsnprintf(e->how, sizeof(e->how), fmt, ap);
	va_end(ap);
}

/* "ENOENT" for -ENOENT, "succeeded" for 0 */
static const char *answer(int rc)
{
	const char *n;

	if (rc >= 0)
		return "succeeded";
	n = strerrorname_np(-rc);
	return n ? n : "an unknown error";
}

/*
 * The common reading of the answer to what @fmt says was asked: success yes,
 * EOPNOTSUPP no, anything else unknown.
 */
static void feat_answer(struct featlist *f, const char *area, const char *name,
			uint64_t value, int rc, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void feat_answer(struct featlist *f, const char *area, const char *name,
			uint64_t value, int rc, const char *fmt, ...)
{
	char asked[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(asked, sizeof(asked), fmt, ap);
	va_end(ap);
	if (rc == 0)
		feat_add(f, area, name, value, 1, "%s: succeeded", asked);
	else if (rc == -EOPNOTSUPP)
		feat_add(f, area, name, value, 0, "%s: EOPNOTSUPP", asked);
	else
		feat_add(f, area, name, value, -1,
			 "%s: %s, which does not tell", asked, answer(rc));
}

struct namedval {
	const char *name;
	uint32_t v;
};

static const struct namedval map_flags[] = {
	{ "fixed-iova", IC_IOMMU_IOAS_MAP_FIXED_IOVA },
	{ "writeable", IC_IOMMU_IOAS_MAP_WRITEABLE },
	{ "readable", IC_IOMMU_IOAS_MAP_READABLE },
};
static const struct namedval options[] = {
	{ "rlimit-mode", IC_IOMMU_OPTION_RLIMIT_MODE },
	{ "huge-pages", IC_IOMMU_OPTION_HUGE_PAGES },
};
static const struct namedval hw_info_flags[] = {
	{ "input-type", IC_IOMMU_HW_INFO_FLAG_INPUT_TYPE },
};
static const struct namedval hw_info_types[] = {
	{ "intel-vtd", IC_IOMMU_HW_INFO_TYPE_INTEL_VTD },
	{ "arm-smmuv3", IC_IOMMU_HW_INFO_TYPE_ARM_SMMUV3 },
	{ "tegra241-cmdqv", IC_IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV },
	{ "amd", IC_IOMMU_HW_INFO_TYPE_AMD },
	{ "selftest", IC_IOMMU_HW_INFO_TYPE_SELFTEST },
};
static const struct namedval hwpt_flags[] = {
	{ "nest-parent", IC_IOMMU_HWPT_ALLOC_NEST_PARENT },
	{ "dirty-tracking", IC_IOMMU_HWPT_ALLOC_DIRTY_TRACKING },
	{ "fault-id-valid", IC_IOMMU_HWPT_FAULT_ID_VALID },
	{ "pasid", IC_IOMMU_HWPT_ALLOC_PASID },
};
static const struct namedval nested_flags[] = {
	{ "fault-id-valid", IC_IOMMU_HWPT_FAULT_ID_VALID },
};
static const struct {
	const char *name;
	uint32_t v;
	uint32_t len; /* a zeroed payload of this size */
} data_types[] = {
	{ "vtd-s1", IC_IOMMU_HWPT_DATA_VTD_S1, 24 },
	{ "arm-smmuv3", IC_IOMMU_HWPT_DATA_ARM_SMMUV3, 16 },
	{ "amd-guest", IC_IOMMU_HWPT_DATA_AMD_GUEST, 32 },
	{ "selftest", IC_IOMMU_HWPT_DATA_SELFTEST, 4 },
};
static const struct namedval inv_types[] = {
	{ "vtd-s1", IC_IOMMU_HWPT_INVALIDATE_DATA_VTD_S1 },
	{ "arm-smmuv3", IC_IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3 },
	{ "selftest", IC_IOMMU_HWPT_INVALIDATE_DATA_SELFTEST },
};
static const struct namedval viommu_types[] = {
	{ "arm-smmuv3", IC_IOMMU_VIOMMU_TYPE_ARM_SMMUV3 },
	{ "tegra241-cmdqv", IC_IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV },
	{ "selftest", IC_IOMMU_VIOMMU_TYPE_SELFTEST },
};
static const struct namedval veventq_types[] = {
	{ "arm-smmuv3", IC_IOMMU_VEVENTQ_TYPE_ARM_SMMUV3 },
	{ "tegra241-cmdqv", IC_IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV },
	{ "selftest", IC_IOMMU_VEVENTQ_TYPE_SELFTEST },
};
static const struct namedval hw_queue_types[] = {
	{ "tegra241-cmdqv", IC_IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV },
	{ "selftest", IC_IOMMU_HW_QUEUE_TYPE_SELFTEST },
};
/* MOCK_DOMAIN_FLAGS dev_flags */
static const struct namedval mock_flags[] = {
	{ "no-dirty", 0x1 },
	{ "huge-iova", 0x2 },
	{ "pasid", 0x4 },
};

#define NV(a) (sizeof(a) / sizeof((a)[0]))

static void destroy_obj_id(struct iommuctl_session *s, uint32_t id)
{
	struct ic_iommu_destroy d = { .size = sizeof(d), .id = id };

	if (id)
		ses_ioctl(s, IOMMUFD_CMD_DESTROY, &d);
}

/* The name of iommufd command @nr, from the command table. */
static const char *cmd_name(unsigned int nr)
{
	size_t i;

	for (i = 0; i < NUM_IOMMUFD_CMDS; i++)
		if (iommufd_cmds[i].nr == nr)
			return iommufd_cmds[i].name;
	return "?";
}

/*
 * The answer to command @cmd asked with @nv on object 0: the kernel checks
 * @nv before it looks the object up, so ENOENT (and, with @zero_known,
 * success) means @nv passed that check, which @so says.
 */
static void feat_checked(struct featlist *f, const char *area,
			 const struct namedval *nv, unsigned int cmd, int rc,
			 bool zero_known, const char *asked, const char *so)
{
	if (rc == -ENOENT || (rc == 0 && zero_known))
		feat_add(f, area, nv->name, nv->v, 1, "%s: %s, so %s", asked,
			 answer(rc), so);
	else if (rc == -ENOTTY)
		feat_add(f, area, nv->name, nv->v, 0, "the kernel has no %s",
			 cmd_name(cmd));
	else
		feat_answer(f, area, nv->name, nv->v, rc, "%s", asked);
}

/* Questions that need no device. */
static void probe_no_device(struct iommuctl_session *s, struct featlist *f)
{
	size_t i;
	int rc;

	for (i = 0; i < NV(map_flags); i++) {
		struct ic_iommu_ioas_map m = { .size = sizeof(m) };

		/* the IOAS lookup (id 0: ENOENT) comes after the flag check */
		m.flags = map_flags[i].v;
		if (!(m.flags & (IC_IOMMU_IOAS_MAP_WRITEABLE |
				 IC_IOMMU_IOAS_MAP_READABLE)))
			m.flags |= IC_IOMMU_IOAS_MAP_READABLE;
		m.length = 4096;
		rc = ses_ioctl(s, IOMMUFD_CMD_IOAS_MAP, &m);
		feat_checked(f, "ioas-map-flag", &map_flags[i],
			     IOMMUFD_CMD_IOAS_MAP, rc, false,
			     "asked IOMMU_IOAS_MAP with the flag on IOAS 0",
			     "the flag check passed");
	}
	for (i = 0; i < NV(options); i++) {
		struct ic_iommu_option o = { .size = sizeof(o) };

		o.option_id = options[i].v;
		o.op = IC_IOMMU_OPTION_OP_GET; /* never SET */
		rc = ses_ioctl(s, IOMMUFD_CMD_OPTION, &o);
		feat_checked(f, "option", &options[i], IOMMUFD_CMD_OPTION, rc,
			     true, "asked IOMMU_OPTION GET on object 0",
			     "the option is known");
	}
	for (i = 0; i < NV(hw_info_flags); i++) {
		struct ic_iommu_hw_info h = { .size = sizeof(h) };

		/* flags are checked before the device lookup (id 0: ENOENT) */
		h.flags = hw_info_flags[i].v;
		rc = ses_ioctl(s, IOMMUFD_CMD_GET_HW_INFO, &h);
		feat_checked(
			f, "hw-info-flag", &hw_info_flags[i],
			IOMMUFD_CMD_GET_HW_INFO, rc, false,
			"asked IOMMU_GET_HW_INFO with the flag for device 0",
			"the flag check passed");
	}
}

/* What the device-dependent questions run on. */
struct probe_dev {
	struct iommuctl_session *s;
	uint32_t dev_id;
	char who[96]; /* "mock device" or "device 0000:00:03.0" */
	const char *none; /* why there is no device, or NULL */
	uint32_t ioas_id; /* throw-away IOAS */
	uint32_t stdev_id; /* our own mock device's selftest object */
	uint32_t parent_id; /* nest-parent hwpt */
	uint32_t viommu_id;
	uint32_t nested_id; /* a nested hwpt */
	uint32_t nested_type, nested_len, nested_pt;
	uint32_t fault_id;
	int fault_fd;
};

static int hwpt_try(struct probe_dev *d, uint32_t flags, uint32_t pt_id,
		    uint32_t data_type, uint32_t data_len, uint32_t *out)
{
	uint8_t data[64] = { 0 };
	struct ic_iommu_hwpt_alloc h = { .size = sizeof(h) };
	int rc;

	h.flags = flags;
	h.dev_id = d->dev_id;
	h.pt_id = pt_id;
	h.data_type = data_type;
	h.data_len = data_len;
	h.data_uptr = data_len ? (uintptr_t)data : 0;
	if (flags & IC_IOMMU_HWPT_FAULT_ID_VALID)
		h.fault_id = d->fault_id;
	rc = ses_ioctl(d->s, IOMMUFD_CMD_HWPT_ALLOC, &h);
	if (rc == 0) {
		if (out)
			*out = h.out_hwpt_id;
		else
			destroy_obj_id(d->s, h.out_hwpt_id);
	}
	return rc;
}

/* Report every entry of a table as not supported or unknown, for one reason. */
#define FEAT_ALL(f, area, tab, sup, ...)                                \
	do {                                                            \
		size_t k_;                                              \
		for (k_ = 0; k_ < NV(tab); k_++)                        \
			feat_add(f, area, tab[k_].name, tab[k_].v, sup, \
				 __VA_ARGS__);                          \
	} while (0)

/*
 * Reports every entry of @tab as one that cannot be asked, and returns true,
 * when the kernel lacks command @cmd (not supported), when there is no
 * device to ask with, or when @missing (then unknown, the reason @fmt says);
 * else returns false.
 */
static bool feat_unaskable(struct probe_dev *d, struct featlist *f,
			   const char *area, const struct namedval *tab,
			   size_t n, unsigned int cmd, bool missing,
			   const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

static bool feat_unaskable(struct probe_dev *d, struct featlist *f,
			   const char *area, const struct namedval *tab,
			   size_t n, unsigned int cmd, bool missing,
			   const char *fmt, ...)
{
	char why[sizeof(f->v->how)];
	int supported = -1;
	va_list ap;
	size_t k;

	if (iommuctl_session_has_cmd(d->s, cmd) != 1) {
		snprintf(why, sizeof(why), "the kernel has no %s",
			 cmd_name(cmd));
		supported = 0;
	} else if (d->none) {
		snprintf(why, sizeof(why), "%s", d->none);
	} else if (missing) {
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
	} else {
		return false;
	}
	for (k = 0; k < n; k++)
		feat_add(f, area, tab[k].name, tab[k].v, supported, "%s", why);
	return true;
}

static void probe_hwpt(struct probe_dev *d, struct featlist *f)
{
	struct iommuctl_session *s = d->s;
	bool have_alloc = iommuctl_session_has_cmd(s, IOMMUFD_CMD_HWPT_ALLOC) ==
			  1;
	bool have_fault =
		iommuctl_session_has_cmd(s, IOMMUFD_CMD_FAULT_QUEUE_ALLOC) == 1;
	size_t i;
	int rc;

	if (!have_alloc) {
		FEAT_ALL(f, "hwpt-alloc-flag", hwpt_flags, 0,
			 "the kernel has no IOMMU_HWPT_ALLOC");
		FEAT_ALL(f, "hwpt-nested-flag", nested_flags, 0,
			 "the kernel has no IOMMU_HWPT_ALLOC");
		FEAT_ALL(f, "hwpt-data-type", data_types, 0,
			 "the kernel has no IOMMU_HWPT_ALLOC");
		return;
	}
	if (d->none) {
		FEAT_ALL(f, "hwpt-alloc-flag", hwpt_flags, -1, "%s", d->none);
		FEAT_ALL(f, "hwpt-nested-flag", nested_flags, -1, "%s",
			 d->none);
		FEAT_ALL(f, "hwpt-data-type", data_types, -1, "%s", d->none);
		return;
	}
	if (have_fault) {
		struct ic_iommu_fault_alloc fa = { .size = sizeof(fa) };

		if (ses_ioctl(s, IOMMUFD_CMD_FAULT_QUEUE_ALLOC, &fa) == 0) {
			d->fault_id = fa.out_fault_id;
			d->fault_fd = (int)fa.out_fault_fd;
		}
	}
	for (i = 0; i < NV(hwpt_flags); i++) {
		uint32_t v = hwpt_flags[i].v;

		if (v == IC_IOMMU_HWPT_FAULT_ID_VALID && !d->fault_id) {
			feat_add(
				f, "hwpt-alloc-flag", hwpt_flags[i].name, v,
				have_fault ? -1 : 0,
				have_fault ?
					"could not make a fault queue to try it with" :
					"the kernel has no IOMMU_FAULT_QUEUE_ALLOC");
			continue;
		}
		rc = hwpt_try(d, v, d->ioas_id, 0, 0,
			      v == IC_IOMMU_HWPT_ALLOC_NEST_PARENT ?
				      &d->parent_id :
				      NULL);
		feat_answer(f, "hwpt-alloc-flag", hwpt_flags[i].name, v, rc,
			    "allocated a paging hwpt for %s with the flag",
			    d->who);
	}
}

static void probe_viommu(struct probe_dev *d, struct featlist *f)
{
	struct iommuctl_session *s = d->s;
	size_t i;
	int rc;

	if (feat_unaskable(
		    d, f, "viommu-type", viommu_types, NV(viommu_types),
		    IOMMUFD_CMD_VIOMMU_ALLOC, !d->parent_id,
		    "needs a nest-parent hwpt, which the IOMMU of %s did not give",
		    d->who))
		return;
	for (i = 0; i < NV(viommu_types); i++) {
		struct ic_iommu_viommu_alloc v = { .size = sizeof(v) };

		v.type = viommu_types[i].v;
		v.dev_id = d->dev_id;
		v.hwpt_id = d->parent_id;
		rc = ses_ioctl(s, IOMMUFD_CMD_VIOMMU_ALLOC, &v);
		feat_answer(
			f, "viommu-type", viommu_types[i].name,
			viommu_types[i].v, rc,
			"allocated a vIOMMU of the type for %s over a nest-parent hwpt",
			d->who);
		if (rc == 0) {
			if (!d->viommu_id)
				d->viommu_id = v.out_viommu_id;
			else
				destroy_obj_id(s, v.out_viommu_id);
		}
	}
}

static void probe_nested(struct probe_dev *d, struct featlist *f)
{
	size_t i;
	int rc;

	if (iommuctl_session_has_cmd(d->s, IOMMUFD_CMD_HWPT_ALLOC) != 1 ||
	    d->none)
		return; /* probe_hwpt said why */
	for (i = 0; i < NV(data_types); i++) {
		uint32_t id = 0, pt = d->parent_id;

		if (!d->parent_id && !d->viommu_id) {
			feat_add(
				f, "hwpt-data-type", data_types[i].name,
				data_types[i].v, -1,
				"needs a nest-parent hwpt, which the IOMMU of %s did not give",
				d->who);
			continue;
		}
		rc = -EOPNOTSUPP;
		if (pt)
			rc = hwpt_try(d, 0, pt, data_types[i].v,
				      data_types[i].len, &id);
		if (rc == -EOPNOTSUPP && d->viommu_id) {
			/* SMMUv3 nests over a vIOMMU, not a hwpt */
			pt = d->viommu_id;
			rc = hwpt_try(d, 0, pt, data_types[i].v,
				      data_types[i].len, &id);
		}
		feat_answer(
			f, "hwpt-data-type", data_types[i].name,
			data_types[i].v, rc,
			"allocated a nested hwpt of the type (zeroed data) for %s over a %s",
			d->who,
			pt == d->viommu_id ? "vIOMMU" : "nest-parent hwpt");
		if (rc == 0) {
			if (!d->nested_id) {
				d->nested_id = id;
				d->nested_type = data_types[i].v;
				d->nested_len = data_types[i].len;
				d->nested_pt = pt;
			} else {
				destroy_obj_id(d->s, id);
			}
		}
	}
	/* a fault queue on a nested hwpt */
	if (!d->nested_id) {
		feat_add(f, "hwpt-nested-flag", "fault-id-valid",
			 IC_IOMMU_HWPT_FAULT_ID_VALID, -1,
			 "needs a nested hwpt, which %s could not get", d->who);
	} else if (!d->fault_id) {
		feat_add(f, "hwpt-nested-flag", "fault-id-valid",
			 IC_IOMMU_HWPT_FAULT_ID_VALID,
			 iommuctl_session_has_cmd(
				 d->s, IOMMUFD_CMD_FAULT_QUEUE_ALLOC) == 1 ?
				 -1 :
				 0,
			 "needs a fault queue (IOMMU_FAULT_QUEUE_ALLOC)");
	} else {
		rc = hwpt_try(d, IC_IOMMU_HWPT_FAULT_ID_VALID, d->nested_pt,
			      d->nested_type, d->nested_len, NULL);
		feat_answer(
			f, "hwpt-nested-flag", "fault-id-valid",
			IC_IOMMU_HWPT_FAULT_ID_VALID, rc,
			"allocated a nested hwpt for %s with the flag and a fault queue",
			d->who);
	}
}

static void probe_invalidate(struct probe_dev *d, struct featlist *f)
{
	struct iommuctl_session *s = d->s;
	size_t i;
	int rc;

	if (feat_unaskable(
		    d, f, "invalidate-type", inv_types, NV(inv_types),
		    IOMMUFD_CMD_HWPT_INVALIDATE, !d->nested_id && !d->viommu_id,
		    "needs a nested hwpt or a vIOMMU, which %s could not get",
		    d->who))
		return;
	for (i = 0; i < NV(inv_types); i++) {
		uint32_t targets[2] = { d->nested_id, d->viommu_id };
		const char *what = "?";
		size_t t;

		rc = -EOPNOTSUPP;
		for (t = 0; t < 2 && rc != 0; t++) {
			struct ic_iommu_hwpt_invalidate inv = { .size = sizeof(
									inv) };

			if (!targets[t])
				continue;
			/* no entries: only the type is checked */
			inv.hwpt_id = targets[t];
			inv.data_type = inv_types[i].v;
			rc = ses_ioctl(s, IOMMUFD_CMD_HWPT_INVALIDATE, &inv);
			what = t ? "vIOMMU" : "nested hwpt";
		}
		if (rc == 0)
			feat_add(
				f, "invalidate-type", inv_types[i].name,
				inv_types[i].v, 1,
				"asked IOMMU_HWPT_INVALIDATE with no entries on a %s of %s: succeeded",
				what, d->who);
		else if (rc == -EOPNOTSUPP || rc == -EINVAL)
			feat_add(
				f, "invalidate-type", inv_types[i].name,
				inv_types[i].v, 0,
				"asked IOMMU_HWPT_INVALIDATE with no entries on a %s of %s: %s (drivers refuse other types so)",
				what, d->who, answer(rc));
		else
			feat_add(
				f, "invalidate-type", inv_types[i].name,
				inv_types[i].v, -1,
				"asked IOMMU_HWPT_INVALIDATE with no entries on a %s of %s: %s, which does not tell",
				what, d->who, answer(rc));
	}
}

/* A vEVENTQ of @type on the probe's vIOMMU, destroyed again. */
static int veventq_try(struct probe_dev *d, uint32_t type)
{
	struct ic_iommu_veventq_alloc q = { .size = sizeof(q) };
	int rc;

	q.viommu_id = d->viommu_id;
	q.type = type;
	q.veventq_depth = 2;
	rc = ses_ioctl(d->s, IOMMUFD_CMD_VEVENTQ_ALLOC, &q);
	if (rc == 0) {
		close((int)q.out_veventq_fd); /* the fd holds it */
		destroy_obj_id(d->s, q.out_veventq_id);
	}
	return rc;
}

/* A made-up type, to see whether the kernel checks the type at all. */
#define BOGUS_TYPE 0x7ffffff0u

static void probe_viommu_children(struct probe_dev *d, struct featlist *f)
{
	struct iommuctl_session *s = d->s;
	size_t i;
	int rc;

	if (!feat_unaskable(d, f, "veventq-type", veventq_types,
			    NV(veventq_types), IOMMUFD_CMD_VEVENTQ_ALLOC,
			    !d->viommu_id,
			    "needs a vIOMMU, which %s could not get", d->who)) {
		if (veventq_try(d, BOGUS_TYPE) == 0)
			FEAT_ALL(
				f, "veventq-type", veventq_types, -1,
				"the kernel takes any vEVENTQ type on a vIOMMU of %s (a made-up type 0x%x was accepted too), so asking tells nothing",
				d->who, BOGUS_TYPE);
		else
			for (i = 0; i < NV(veventq_types); i++) {
				rc = veventq_try(d, veventq_types[i].v);
				feat_answer(
					f, "veventq-type",
					veventq_types[i].name,
					veventq_types[i].v, rc,
					"allocated a vEVENTQ of the type on a vIOMMU of %s",
					d->who);
			}
	}

	if (feat_unaskable(d, f, "hw-queue-type", hw_queue_types,
			   NV(hw_queue_types), IOMMUFD_CMD_HW_QUEUE_ALLOC,
			   !d->viommu_id,
			   "needs a vIOMMU, which %s could not get", d->who))
		return;
	for (i = 0; i < NV(hw_queue_types); i++) {
		struct ic_iommu_hw_queue_alloc q = { .size = sizeof(q) };

		/* nothing is mapped at IOVA 0: past the type check, pinning
		 * the queue fails */
		q.viommu_id = d->viommu_id;
		q.type = hw_queue_types[i].v;
		q.length = 4096;
		rc = ses_ioctl(s, IOMMUFD_CMD_HW_QUEUE_ALLOC, &q);
		if (rc == 0)
			destroy_obj_id(s, q.out_hw_queue_id);
		feat_answer(
			f, "hw-queue-type", hw_queue_types[i].name,
			hw_queue_types[i].v, rc,
			"allocated a HW queue of the type on a vIOMMU of %s",
			d->who);
	}
}

static void probe_hw_info_types(struct probe_dev *d, struct featlist *f,
				bool input_type)
{
	struct ic_iommu_hw_info h = { .size = sizeof(h) };
	const char *own = NULL;
	size_t i;
	int rc;

	if (d->none ||
	    iommuctl_session_has_cmd(d->s, IOMMUFD_CMD_GET_HW_INFO) != 1)
		return;
	h.dev_id = d->dev_id;
	rc = ses_ioctl(d->s, IOMMUFD_CMD_GET_HW_INFO, &h);
	if (rc < 0)
		return;
	for (i = 0; i < NV(hw_info_types); i++)
		if (hw_info_types[i].v == h.data_type)
			own = hw_info_types[i].name;
	if (h.data_type == IC_IOMMU_HW_INFO_TYPE_NONE)
		feat_add(
			f, "hw-info-type", "none", 0, 1,
			"IOMMU_GET_HW_INFO for %s: its IOMMU driver reports no data",
			d->who);
	else
		feat_add(
			f, "hw-info-type", own ? own : "unknown", h.data_type,
			1,
			"IOMMU_GET_HW_INFO for %s: the type its IOMMU driver reports",
			d->who);
	if (!input_type)
		return;
	for (i = 0; i < NV(hw_info_types); i++) {
		struct ic_iommu_hw_info q = { .size = sizeof(q) };

		if (hw_info_types[i].v == h.data_type)
			continue;
		q.flags = IC_IOMMU_HW_INFO_FLAG_INPUT_TYPE;
		q.dev_id = d->dev_id;
		q.data_type = hw_info_types[i].v;
		rc = ses_ioctl(d->s, IOMMUFD_CMD_GET_HW_INFO, &q);
		feat_answer(
			f, "hw-info-type", hw_info_types[i].name,
			hw_info_types[i].v, rc,
			"asked IOMMU_GET_HW_INFO for %s with the type as input",
			d->who);
	}
}

static void probe_mock_flags(struct iommuctl_session *s, struct featlist *f)
{
	struct ic_iommu_test_cmd t;
	size_t i;
	int rc;

	/* without flags first: where no mock device can be made (another
	 * IOMMU driver takes them), EINVAL says nothing about the flags */
	memset(&t, 0, sizeof(t));
	t.op = IC_IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS;
	rc = ses_test_cmd(s, &t);
	if (rc == 0)
		destroy_obj_id(s, t.mock_domain_flags.out_stdev_id);
	if (rc != -ENOENT && rc != 0 && rc != -EOPNOTSUPP) {
		FEAT_ALL(
			f, "mock-device-flag", mock_flags, -1,
			"a mock device without flags attached to object 0 is refused too (%s, not ENOENT): this system cannot make mock devices",
			answer(rc));
		return;
	}
	for (i = 0; i < NV(mock_flags); i++) {
		/* the flags are checked first (EINVAL), then the device is
		 * made, bound and attached to object 0 (ENOENT) */
		memset(&t, 0, sizeof(t));
		t.op = IC_IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS;
		t.id = 0;
		t.mock_domain_flags.dev_flags = mock_flags[i].v;
		rc = ses_test_cmd(s, &t);
		if (rc == 0)
			destroy_obj_id(s, t.mock_domain_flags.out_stdev_id);
		if (rc == 0 || rc == -ENOENT)
			feat_add(
				f, "mock-device-flag", mock_flags[i].name,
				mock_flags[i].v, 1,
				"asked the selftest for a mock device with the flag attached to object 0: %s, so the flag check passed",
				answer(rc));
		else if (rc == -EINVAL || rc == -EOPNOTSUPP)
			feat_add(
				f, "mock-device-flag", mock_flags[i].name,
				mock_flags[i].v, 0,
				"asked the selftest for a mock device with the flag: %s%s",
				answer(rc),
				rc == -EOPNOTSUPP ?
					" (no MOCK_DOMAIN_FLAGS operation)" :
					" (unknown flag)");
		else
			feat_add(
				f, "mock-device-flag", mock_flags[i].name,
				mock_flags[i].v, -1,
				"asked the selftest for a mock device with the flag: %s, which does not tell",
				answer(rc));
	}
}

/* Areas in a fixed order (the questions are asked in another), stable. */
static void sort_areas(struct featlist *f)
{
	static const char *const order[] = {
		"ioas-map-flag",  "option",	     "hw-info-flag",
		"hw-info-type",	  "hwpt-alloc-flag", "hwpt-nested-flag",
		"hwpt-data-type", "invalidate-type", "viommu-type",
		"veventq-type",	  "hw-queue-type",   "mock-device-flag",
	};
	struct iommuctl_feature_probe *v = malloc(f->n * sizeof(*v) + 1);
	size_t i, k, n = 0;

	if (!v)
		return; /* left in the order asked */
	for (k = 0; k <= NV(order); k++)
		for (i = 0; i < f->n; i++) {
			size_t a;

			for (a = 0; a < NV(order); a++)
				if (!strcmp(f->v[i].area, order[a]))
					break;
			if (a == k)
				v[n++] = f->v[i];
		}
	free(f->v);
	f->v = v;
}

IOMMUCTL_EXPORT int
iommuctl_iommufd_probe_features(struct iommuctl_session *s,
				struct iommuctl_obj *dev,
				struct iommuctl_feature_probe **out, size_t *n)
{
	struct featlist f = { 0 };
	struct probe_dev d;
	bool input_type = false;
	size_t i;

	if (!s || !out || !n)
		return -EINVAL;
	if (dev && (dev->s != s || dev->type != IOMMUCTL_OBJ_DEVICE))
		return -EINVAL;
	memset(&d, 0, sizeof(d));
	d.s = s;
	d.fault_fd = -1;

	probe_no_device(s, &f);
	for (i = 0; i < f.n; i++)
		if (!strcmp(f.v[i].area, "hw-info-flag") &&
		    f.v[i].value == IC_IOMMU_HW_INFO_FLAG_INPUT_TYPE)
			input_type = f.v[i].supported == 1;

	/* the device the other questions are asked with, and an IOAS */
	if (dev) {
		d.dev_id = dev->id;
		snprintf(d.who, sizeof(d.who), "%sdevice %s",
			 dev->mock ? "mock " : "",
			 dev->dev_name ? dev->dev_name : "?");
	} else if (iommuctl_session_has_selftest(s)) {
		struct ic_iommu_test_cmd t;
		struct ic_iommu_ioas_alloc a = { .size = sizeof(a) };

		snprintf(d.who, sizeof(d.who), "a selftest mock device");
		if (ses_ioctl(s, IOMMUFD_CMD_IOAS_ALLOC, &a) == 0) {
			d.ioas_id = a.out_ioas_id;
			memset(&t, 0, sizeof(t));
			t.op = IC_IOMMU_TEST_OP_MOCK_DOMAIN;
			t.id = d.ioas_id;
			if (ses_test_cmd(s, &t) == 0) {
				d.stdev_id = t.mock_domain.out_stdev_id;
				d.dev_id = t.mock_domain.out_idev_id;
			}
		}
		if (!d.dev_id)
			d.none =
				"needs a device: this system cannot make selftest mock devices; ask with a device bound to vfio-pci";
	} else {
		d.none =
			"needs a device: this kernel has no selftest mock devices; ask with a device bound to vfio-pci";
	}
	if (!d.none && !d.ioas_id) {
		struct ic_iommu_ioas_alloc a = { .size = sizeof(a) };

		if (ses_ioctl(s, IOMMUFD_CMD_IOAS_ALLOC, &a) == 0)
			d.ioas_id = a.out_ioas_id;
		else
			d.none = "could not allocate an IOAS to ask with";
	}

	probe_hwpt(&d, &f);
	probe_viommu(&d, &f);
	probe_nested(&d, &f);
	probe_invalidate(&d, &f);
	probe_viommu_children(&d, &f);
	probe_hw_info_types(&d, &f, input_type);
	if (iommuctl_session_has_selftest(s))
		probe_mock_flags(s, &f);

	/* leaf first: nested hwpt, vIOMMU, parent, fault, mock, IOAS */
	destroy_obj_id(s, d.nested_id);
	destroy_obj_id(s, d.viommu_id);
	destroy_obj_id(s, d.parent_id);
	if (d.fault_fd >= 0)
		close(d.fault_fd);
	destroy_obj_id(s, d.fault_id);
	destroy_obj_id(s, d.stdev_id);
	destroy_obj_id(s, d.ioas_id);

	if (f.nomem) {
		free(f.v);
		return -ENOMEM;
	}
	sort_areas(&f);
	*out = f.v;
	*n = f.n;
	return 0;
}

/* ---- what a device's IOMMU is ready for ---------------------------- */

static const struct {
	const char *name;
	const char *flag; /* the hwpt-alloc-flag that decides it */
	const char *what;
} readiness[IOMMUCTL_NUM_READINESS] = {
	{ "live-migration", "dirty-tracking",
	  "dirty tracking (IOMMU_HWPT_ALLOC_DIRTY_TRACKING)" },
	{ "nesting", "nest-parent",
	  "a nest parent (IOMMU_HWPT_ALLOC_NEST_PARENT)" },
	{ "pasid", "pasid", "PASID attach (IOMMU_HWPT_ALLOC_PASID)" },
	{ "iopf", "fault-id-valid",
	  "I/O page faults (IOMMU_HWPT_FAULT_ID_VALID)" },
};

/*
 * The device's own hw_info type is arm-smmuv3 (the one entry of that area
 * probe_hw_info_types() adds without the input-type flag): Linux allocates
 * SMMUv3 nested hwpts only over a vIOMMU, so nesting also needs the
 * arm-smmuv3 vIOMMU type.
 */
static void nesting_needs_viommu(const struct iommuctl_feature_probe *f,
				 size_t n, struct iommuctl_readiness *out)
{
	const struct iommuctl_feature_probe *v = NULL;
	bool smmu = false;
	char how[sizeof(out->how)];
	size_t k;

	for (k = 0; k < n; k++) {
		if (!strcmp(f[k].area, "hw-info-type") &&
		    f[k].value == IC_IOMMU_HW_INFO_TYPE_ARM_SMMUV3 &&
		    strstr(f[k].how, "the type its IOMMU driver reports"))
			smmu = true;
		if (!strcmp(f[k].area, "viommu-type") &&
		    f[k].value == IC_IOMMU_VIOMMU_TYPE_ARM_SMMUV3)
			v = &f[k];
	}
	if (!smmu || !v || v->supported == 1)
		return;
	out->ready = v->supported;
	if (snprintf(how, sizeof(how),
		     "%s; but SMMUv3 nests only through a vIOMMU: %s",
		     out->how, v->how) < 0)
		return;
	memcpy(out->how, how, sizeof(how));
}

IOMMUCTL_EXPORT int
iommuctl_readiness_sz(unsigned int i, const struct iommuctl_feature_probe *f,
		      size_t n, unsigned int max_pasid_log2,
		      struct iommuctl_readiness *out, size_t size)
{
	const struct iommuctl_feature_probe *x = NULL;
	int rc = sz_fill(out, size, sizeof(*out));
	size_t k;

	if (rc < 0)
		return rc;
	if (i >= IOMMUCTL_NUM_READINESS || (n && !f))
		return -EINVAL;
	for (k = 0; k < n && !x; k++)
		if (!strcmp(f[k].area, "hwpt-alloc-flag") &&
		    !strcmp(f[k].name, readiness[i].flag))
			x = &f[k];
	out->name = readiness[i].name;
	out->what = readiness[i].what;
	out->ready = x && x->supported >= 0 ? x->supported : -1;
	snprintf(out->how, sizeof(out->how), "%s", x ? x->how : "not asked");
	/* SMMUv3 nests only through a vIOMMU: a nest parent is not enough */
	if (out->ready == 1 && i == IOMMUCTL_READY_NESTING)
		nesting_needs_viommu(f, n, out);
	/* PASID also needs a PASID width on the device's side */
	if (out->ready == 1 && i == IOMMUCTL_READY_PASID && !max_pasid_log2) {
		out->ready = 0;
		snprintf(out->how, sizeof(out->how),
			 "%s; but the device reports no PASID width (max_pasid_log2 0)",
			 x->how);
	}
	return 0;
}
