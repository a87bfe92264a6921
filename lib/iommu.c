// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* IOMMU units: /sys/class/iommu */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

IOMMUCTL_EXPORT const char *
iommuctl_iommu_kind_name(enum iommuctl_iommu_kind kind)
{
	return names_get(NAMES_IOMMU_KIND, kind);
}

IOMMUCTL_EXPORT const char *
iommuctl_iommu_kind_caps_why(enum iommuctl_iommu_kind kind)
{
	switch (kind) {
	case IOMMUCTL_IOMMU_INTEL_VTD:
	case IOMMUCTL_IOMMU_AMD_VI:
	case IOMMUCTL_IOMMU_ARM_SMMU_V3:
		return NULL;
	case IOMMUCTL_IOMMU_VIRTIO:
		return "virtio-iommu has no capability registers: the page sizes, "
		       "input range and bypass are negotiated with the device over "
		       "virtio, and sysfs shows only the virtio device's raw "
		       "feature bits (/sys/bus/virtio/devices/virtioN/features); "
		       "'iommuctl probe' and 'iommuctl hwinfo' ask the kernel "
		       "what it supports";
	case IOMMUCTL_IOMMU_ARM_SMMU:
		return "the arm-smmu (SMMUv1/v2) driver exports no ID registers "
		       "in sysfs: its boot log lines ('arm-smmu ...: probing "
		       "hardware configuration') list what it found";
	case IOMMUCTL_IOMMU_MOCK:
		return "the iommufd selftest mock is not hardware: it has no "
		       "capabilities to decode";
	case IOMMUCTL_IOMMU_OTHER:
	default:
		return "iommuctl decodes the capabilities of VT-d, AMD-Vi and "
		       "SMMUv3 units, not of this driver's";
	}
}

static int has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

IOMMUCTL_EXPORT enum iommuctl_iommu_kind
iommuctl_iommu_kind_detect(const char *name, const char *vendor_dir,
			   const char *driver)
{
	if (!name)
		return IOMMUCTL_IOMMU_OTHER;
	if (vendor_dir && !strcmp(vendor_dir, "intel-iommu"))
		return IOMMUCTL_IOMMU_INTEL_VTD;
	if (vendor_dir && !strcmp(vendor_dir, "amd-iommu"))
		return IOMMUCTL_IOMMU_AMD_VI;
	if (has_prefix(name, "iommufd_selftest_iommu"))
		return IOMMUCTL_IOMMU_MOCK;
	if (driver && !strcmp(driver, "virtio_iommu"))
		return IOMMUCTL_IOMMU_VIRTIO;
	if (has_prefix(name, "smmu3.") ||
	    (driver && !strcmp(driver, "arm-smmu-v3")))
		return IOMMUCTL_IOMMU_ARM_SMMU_V3;
	if (has_prefix(name, "smmu.") || (driver && !strcmp(driver, "arm-smmu")))
		return IOMMUCTL_IOMMU_ARM_SMMU;
	return IOMMUCTL_IOMMU_OTHER;
}

void iommu_list_free(struct iommuctl_ctx *ctx)
{
	struct iommuctl_iommu *it, *next;

	for (it = ctx->iommus; it; it = next) {
		next = it->next;
		free(it->name);
		free(it->driver);
		strv_free(&it->devices);
		free(it->parent_dev);
		free(it->version);
		free(it->amd_features);
		free(it);
	}
	ctx->iommus = NULL;
}

static int read_attr(struct iommuctl_ctx *ctx, const char *base,
		     const char *attr, char **out)
{
	char *p = path_join(base, attr);
	int rc = p ? sysfs_read_str(ctx, p, out) : -ENOMEM;

	free(p);
	return rc;
}

/* VT-d: intel-iommu/{address,cap,ecap,version,domains_*}; AMD:
 * amd-iommu/{cap,features}; SMMU: the address is in the unit's name. */
static void load_registers(struct iommuctl_ctx *ctx, struct iommuctl_iommu *it,
			   const char *base)
{
	char *v = NULL;
	uint64_t x;
	unsigned int maj, min;

	if (it->kind == IOMMUCTL_IOMMU_INTEL_VTD) {
		if (read_attr(ctx, base, "intel-iommu/address", &v) == 0 &&
		    iommuctl_parse_hex_u64(v, &x) == 0) {
			it->address = x;
			it->has_address = 1;
		}
		free(v);
		v = NULL;
		if (read_attr(ctx, base, "intel-iommu/cap", &v) == 0 &&
		    iommuctl_parse_hex_u64(v, &it->cap) == 0) {
			free(v);
			v = NULL;
			if (read_attr(ctx, base, "intel-iommu/ecap", &v) == 0 &&
			    iommuctl_parse_hex_u64(v, &it->ecap) == 0)
				it->has_vtd = 1;
		}
		if (!it->has_vtd)
			err(ctx, "iommu %s: intel-iommu/cap or ecap missing or malformed\n",
			    it->name);
		free(v);
		v = NULL;
		if (read_attr(ctx, base, "intel-iommu/version", &v) == 0 &&
		    iommuctl_vtd_parse_version(v, &maj, &min) == 0)
			it->version = path_fmt("%u.%u", maj, min);
		free(v);
		v = NULL;
		it->domains_supported = it->domains_used = -1;
		if (read_attr(ctx, base, "intel-iommu/domains_supported", &v) == 0)
			it->domains_supported = strtoll(v, NULL, 10);
		free(v);
		v = NULL;
		if (read_attr(ctx, base, "intel-iommu/domains_used", &v) == 0)
			it->domains_used = strtoll(v, NULL, 10);
		free(v);
	} else if (it->kind == IOMMUCTL_IOMMU_AMD_VI) {
		if (read_attr(ctx, base, "amd-iommu/cap", &v) == 0 &&
		    iommuctl_parse_hex_u64(v, &x) == 0 && x <= 0xffffffffu) {
			it->amd_cap = (uint32_t)x;
			it->has_amd = 1;
		}
		free(v);
		if (read_attr(ctx, base, "amd-iommu/features", &it->amd_features) < 0)
			it->amd_features = NULL;
	} else if (it->kind == IOMMUCTL_IOMMU_ARM_SMMU_V3 ||
		   it->kind == IOMMUCTL_IOMMU_ARM_SMMU) {
		const char *dot = strchr(it->name, '.');

		if (dot && !strncmp(dot + 1, "0x", 2) &&
		    iommuctl_parse_hex_u64(dot + 3, &x) == 0) {
			it->address = x;
			it->has_address = 1;
		}
	}
}

static struct iommuctl_iommu *iommu_load(struct iommuctl_ctx *ctx,
					 const char *name)
{
	const char *vendor = NULL, *drv;
	struct iommuctl_iommu *it;
	char *base, *p;
	int n;

	base = path_join("/sys/class/iommu", name);
	it = calloc(1, sizeof(*it));
	if (!base || !it)
		goto nomem;
	it->ctx = ctx;
	it->name = strdup(name);
	if (!it->name)
		goto nomem;

	p = path_join(base, "intel-iommu");
	if (p && sysfs_is_dir(ctx, p))
		vendor = "intel-iommu";
	free(p);
	p = path_join(base, "amd-iommu");
	if (p && sysfs_is_dir(ctx, p))
		vendor = "amd-iommu";
	free(p);

	p = path_join(base, "device");
	if (p)
		sysfs_link_basename(ctx, p, &it->parent_dev);
	free(p);

	/* The parent device's driver: virtio_iommu, arm-smmu-v3, ... */
	p = path_join(base, "device/driver");
	if (p)
		sysfs_link_basename(ctx, p, &it->driver);
	free(p);

	it->kind = iommuctl_iommu_kind_detect(name, vendor, it->driver);
	drv = names_lookup(NAMES_IOMMU_DRIVER, it->kind);
	if (!it->driver && drv) {
		/* a unit whose sysfs device has no driver link */
		it->driver = strdup(drv);
		if (!it->driver)
			goto nomem;
	}

	p = path_join(base, "devices");
	n = p ? sysfs_list(ctx, p, &it->devices) : -ENOMEM;
	/* every unit has devices/, even an empty one: a unit whose entry
	 * cannot be read is not one without devices */
	if (n < 0 && n != -ENOMEM)
		err(ctx,
		    "iommu %s: cannot read %s (%s): its devices are unknown\n",
		    name, p, strerror(-n));
	free(p);
	it->num_devices = n == 0 ? (unsigned int)it->devices.n : 0;
	strv_sort(&it->devices, pci_name_cmp);
	load_registers(ctx, it, base);
	dbg(ctx, "iommu %s: kind %s driver %s devices %u\n", name,
	    iommuctl_iommu_kind_name(it->kind), it->driver ?: "-",
	    it->num_devices);
	free(base);
	return it;
nomem:
	free(base);
	if (it) {
		free(it->name);
		free(it->driver);
		free(it);
	}
	return NULL;
}

/*
 * VT-d and AMD-Vi units live in /sys/devices/virtual/iommu; one there that
 * /sys/class/iommu does not list (a partial capture, a missing link) is
 * not a unit that does not exist: say so rather than list fewer units.
 */
static bool iommu_listed(struct iommuctl_ctx *ctx, const char *name)
{
	struct iommuctl_iommu *it;

	for (it = ctx->iommus; it; it = it->next)
		if (!strcmp(it->name, name))
			return true;
	return false;
}

/* Whether a listed unit's devices/ names @dev */
static bool unit_lists(struct iommuctl_ctx *ctx, const char *dev)
{
	struct iommuctl_iommu *it;

	for (it = ctx->iommus; it; it = it->next)
		if (strv_has_sorted(&it->devices, dev, pci_name_cmp))
			return true;
	return false;
}

static void iommus_unlisted(struct iommuctl_ctx *ctx)
{
	struct strv names = { 0 }, said = { 0 };
	struct iommuctl_group *g;
	char *p, *unit;
	size_t i;

	if (sysfs_list(ctx, "/sys/devices/virtual/iommu", &names) == 0)
		for (i = 0; i < names.n; i++)
			if (!iommu_listed(ctx, names.v[i]) &&
			    strv_push(&said, names.v[i]) == 0)
				err(ctx,
				    "iommu %s: in /sys/devices/virtual/iommu but missing from /sys/class/iommu: not listed, its devices are unknown\n",
				    names.v[i]);
	strv_free(&names);
	/* units elsewhere (Arm SMMU, virtio-iommu): the unit the first
	 * member of each group names, unless a listed unit lists it (the
	 * groups' listings, read once) */
	iommuctl_group_foreach(ctx, g) {
		if (!g->devnames.n || unit_lists(ctx, g->devnames.v[0]))
			continue;
		p = path_fmt("/sys/kernel/iommu_groups/%u/devices/%s/iommu",
			     g->id, g->devnames.v[0]);
		unit = NULL;
		if (p && sysfs_link_basename(ctx, p, &unit) == 0 && unit &&
		    !iommu_listed(ctx, unit) && !strv_contains(&said, unit) &&
		    strv_push(&said, unit) == 0)
			err(ctx,
			    "iommu %s: translates group %u but is missing from /sys/class/iommu: not listed, its devices are unknown\n",
			    unit, g->id);
		free(unit);
		free(p);
	}
	strv_free(&said);
}

static void iommus_init(struct iommuctl_ctx *ctx)
{
	struct iommuctl_iommu **tail = &ctx->iommus;
	struct strv names = { 0 };
	size_t i;
	int rc;

	if (ctx->iommus_init)
		return;
	ctx->iommus_init = 1;
	rc = sysfs_list(ctx, "/sys/class/iommu", &names);
	if (rc == -ENOENT) { /* no IOMMU driver registered a unit */
		dbg(ctx, "/sys/class/iommu: %s\n", strerror(-rc));
		return;
	}
	if (rc < 0) { /* unreadable: not the same as none */
		err(ctx, "cannot read /sys/class/iommu: %s: the units are unknown\n",
		    strerror(-rc));
		return;
	}
	for (i = 0; i < names.n; i++) {
		struct iommuctl_iommu *it = iommu_load(ctx, names.v[i]);

		if (!it) {
			err(ctx, "iommu %s: out of memory\n", names.v[i]);
			continue;
		}
		*tail = it;
		tail = &it->next;
	}
	strv_free(&names);
	iommus_unlisted(ctx);
}

IOMMUCTL_EXPORT struct iommuctl_iommu *
iommuctl_iommu_get_first(struct iommuctl_ctx *ctx)
{
	iommus_init(ctx);
	return ctx->iommus;
}

IOMMUCTL_EXPORT struct iommuctl_iommu *
iommuctl_iommu_get_next(struct iommuctl_iommu *iommu)
{
	return iommu->next;
}

IOMMUCTL_EXPORT const char *iommuctl_iommu_get_name(struct iommuctl_iommu *iommu)
{
	return iommu->name;
}

IOMMUCTL_EXPORT enum iommuctl_iommu_kind
iommuctl_iommu_get_kind(struct iommuctl_iommu *iommu)
{
	return iommu->kind;
}

IOMMUCTL_EXPORT const char *
iommuctl_iommu_get_driver(struct iommuctl_iommu *iommu)
{
	return iommu->driver;
}

IOMMUCTL_EXPORT unsigned int
iommuctl_iommu_get_num_devices(struct iommuctl_iommu *iommu)
{
	return iommu->num_devices;
}

IOMMUCTL_EXPORT bool iommuctl_iommu_is_hardware(struct iommuctl_iommu *iommu)
{
	return iommu->kind != IOMMUCTL_IOMMU_MOCK;
}

IOMMUCTL_EXPORT const char *const *
iommuctl_iommu_get_device_names(struct iommuctl_iommu *iommu, unsigned int *n)
{
	*n = (unsigned int)iommu->devices.n;
	return (const char *const *)iommu->devices.v;
}

IOMMUCTL_EXPORT int iommuctl_iommu_get_address(struct iommuctl_iommu *iommu,
					       uint64_t *address)
{
	if (!iommu->has_address)
		return -ENOENT;
	*address = iommu->address;
	return 0;
}

IOMMUCTL_EXPORT const char *iommuctl_iommu_get_version(struct iommuctl_iommu *iommu)
{
	return iommu->version;
}

IOMMUCTL_EXPORT int iommuctl_iommu_get_vtd_regs(struct iommuctl_iommu *iommu,
						uint64_t *cap, uint64_t *ecap,
						long long *domains_supported,
						long long *domains_used)
{
	if (!iommu->has_vtd)
		return -ENOENT;
	if (cap)
		*cap = iommu->cap;
	if (ecap)
		*ecap = iommu->ecap;
	if (domains_supported)
		*domains_supported = iommu->domains_supported;
	if (domains_used)
		*domains_used = iommu->domains_used;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_iommu_get_amd_regs(struct iommuctl_iommu *iommu,
						uint32_t *cap, const char **features)
{
	if (!iommu->has_amd && !iommu->amd_features)
		return -ENOENT;
	if (cap)
		*cap = iommu->amd_cap;
	if (features)
		*features = iommu->amd_features;
	return 0;
}

IOMMUCTL_EXPORT struct iommuctl_iommu *
iommuctl_iommu_get_by_name(struct iommuctl_ctx *ctx, const char *name)
{
	struct iommuctl_iommu *it;

	iommuctl_iommu_foreach(ctx, it)
		if (!strcmp(it->name, name))
			return it;
	return NULL;
}

IOMMUCTL_EXPORT const char *
iommuctl_iommu_get_parent_device(struct iommuctl_iommu *iommu)
{
	return iommu->parent_dev;
}
