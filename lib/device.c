// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Devices: every PCI function in /sys/bus/pci/devices, plus the non-PCI
 * members of IOMMU groups (platform devices, iommufd mock devices).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

void device_list_free(struct iommuctl_ctx *ctx)
{
	struct iommuctl_device *d, *next;

	for (d = ctx->devices; d; d = next) {
		next = d->next;
		free(d->name);
		free(d->subsystem);
		free(d->syspath);
		free(d->parent_name);
		free(d->mdev_type);
		free(d->driver);
		free(d->driver_override);
		free(d->vfio_cdev);
		free(d->iommu);
		free(d->reset_method);
		free(d->vendor_name);
		free(d->device_name);
		free(d->class_name);
		free(d);
	}
	ctx->devices = NULL;
	free(ctx->devarr);
	ctx->devarr = NULL;
	ctx->ndev = 0;
	pciids_free(ctx);
}

/* Resolve a relative link target against the directory holding the link:
 * "." and ".." taken out, one pass over one buffer. */
static char *resolve_link(const char *linkdir, const char *target)
{
	char *buf = target[0] == '/' ? strdup(target) :
				       path_join(linkdir, target);
	char *out, *o, *p, *seg;
	size_t len;

	if (!buf)
		return NULL;
	out = malloc(strlen(buf) + 2);
	for (p = buf, o = out; out && *p;) {
		while (*p == '/')
			p++;
		seg = p;
		while (*p && *p != '/')
			p++;
		len = (size_t)(p - seg);
		if (!len || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			while (o > out && *--o != '/')
				; /* back to the last component's '/' */
			continue;
		}
		*o++ = '/';
		memcpy(o, seg, len);
		o += len;
	}
	if (out && o == out)
		*o++ = '/';
	if (out)
		*o = '\0';
	free(buf);
	return out;
}

static int read_hex_attr(struct iommuctl_ctx *ctx, const struct sysfs_dir *dir,
			 const char *attr, unsigned int *out)
{
	char *v = NULL, *end;
	unsigned long x;
	int rc;

	rc = sysfs_read_str_at(ctx, dir, attr, &v);
	if (rc < 0)
		return rc;
	errno = 0;
	x = strtoul(v, &end, 16);
	rc = (errno || end == v || *end || x > 0xffffffffUL) ? -EINVAL : 0;
	if (!rc)
		*out = (unsigned int)x;
	else
		err(ctx, "%s/%s: malformed value '%s'\n", dir->path, attr, v);
	free(v);
	return rc;
}

/* The text of @attr in @dir, or the name its link points to (@link); NULL
 * when it cannot be read */
static char *dev_attr(struct iommuctl_ctx *ctx, const struct sysfs_dir *dir,
		      const char *attr, bool link)
{
	char *v = NULL;

	if (link)
		sysfs_link_basename_at(ctx, dir, attr, &v);
	else
		sysfs_read_str_at(ctx, dir, attr, &v);
	return v;
}

/* A decimal value from 0 to @max, else -1; frees @v */
static int dec_value(char *v, long max)
{
	char *end;
	long n;

	if (!v)
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end != '\0' || n < 0 || n > max)
		n = -1;
	free(v);
	return (int)n;
}

static void read_lazy(struct iommuctl_ctx *ctx, struct iommuctl_device *d,
		      const struct sysfs_dir *dir)
{
	char *v;

	d->lazy_done = 1;
	d->numa_node = dec_value(dev_attr(ctx, dir, "numa_node", false), 65535);
	v = dev_attr(ctx, dir, "reset_method", false);
	if (v && *v)
		d->reset_method = v;
	else
		free(v);
}

/* The directory of the PCI function @d: the one its /sys/bus/pci/devices
 * link resolves to when known (opening attributes below it walks no
 * symlink and no "..", 7% of 'group list' on the bench tree), else the
 * link. Allocated. */
static char *pci_dir(const struct iommuctl_device *d)
{
	return d->syspath ? strdup(d->syspath) :
			    path_join("/sys/bus/pci/devices", d->name);
}

/* numa_node and reset_method: read on first use, for the commands that
 * print them */
static void device_lazy(struct iommuctl_device *d)
{
	struct sysfs_dir dir;
	char *path;

	if (d->lazy_done)
		return;
	if (!d->is_pci) {
		d->lazy_done = 1;
		return;
	}
	d->numa_node = -1;
	path = pci_dir(d);
	if (path) {
		sysfs_dir_path(&dir, path); /* two attributes: by their paths */
		read_lazy(d->ctx, d, &dir);
	}
	d->lazy_done = 1;
	free(path);
}

static void read_override(struct iommuctl_ctx *ctx, struct iommuctl_device *d,
			  const struct sysfs_dir *dir)
{
	char *v = dev_attr(ctx, dir, "driver_override", false);

	if (v && *v && strcmp(v, "(null)"))
		d->driver_override = v;
	else
		free(v);
}

/* Everything of a non-PCI group member, one attribute at a time */
static void read_common(struct iommuctl_ctx *ctx, struct iommuctl_device *d,
			const char *path)
{
	struct strv list = { 0 };
	struct sysfs_dir dirh, *dir = &dirh;
	char *p;

	/* eight attributes or so: by name in the opened directory, else
	 * (it cannot be opened) each by its path, each read failing alone */
	if (sysfs_dir_open(ctx, dir, path) < 0)
		sysfs_dir_path(dir, path);
	d->driver = dev_attr(ctx, dir, "driver", true);
	d->subsystem = dev_attr(ctx, dir, "subsystem", true);
	d->iommu = dev_attr(ctx, dir, "iommu", true);
	d->group =
		dec_value(dev_attr(ctx, dir, "iommu_group", true), 0x7fffffff);
	read_override(ctx, d, dir);
	/* a mediated device: its type, and its parent, the device above it */
	if (d->subsystem && !strcmp(d->subsystem, "mdev")) {
		d->mdev_type = dev_attr(ctx, dir, "mdev_type", true);
		if (d->syspath) {
			char *end = strrchr(d->syspath, '/'), *start;

			*end = '\0';
			start = strrchr(d->syspath, '/');
			if (start && start[1])
				d->parent_name = strdup(start + 1);
			*end = '/';
		}
	}
	p = path_join(path, "vfio-dev");
	if (p && sysfs_list(ctx, p, &list) == 0 && list.n)
		d->vfio_cdev = strdup(list.v[0]);
	strv_free(&list);
	free(p);
	read_lazy(ctx, d, dir);
	sysfs_dir_close(dir);
}

static unsigned int le16(const uint8_t *b, size_t off)
{
	return (unsigned int)b[off] | (unsigned int)b[off + 1] << 8;
}

/* The subsystem IDs as the kernel's pci_setup_device() finds them: in the
 * header of an endpoint or CardBus bridge, in the SSVID capability of a
 * PCI bridge. */
static void cfg_subsystem(struct iommuctl_device *d, const uint8_t *b,
			  size_t len)
{
	unsigned int pos, steps;

	if (d->cfg.header_type == 0) {
		d->subvendor = le16(b, 0x2c);
		d->subdevice = le16(b, 0x2e);
		return;
	}
	if (d->cfg.header_type == 2 && len >= 0x44) {
		d->subvendor = le16(b, 0x40);
		d->subdevice = le16(b, 0x42);
		return;
	}
	if (len < 256 || !(le16(b, 0x06) & 0x10))
		return;
	pos = b[0x34];
	for (steps = 0; pos >= 0x40 && pos < 0xf8 && steps < 48; steps++) {
		pos &= ~3u;
		if (b[pos] == 0x0d) { /* PCI_CAP_ID_SSVID */
			d->subvendor = le16(b, pos + 4);
			d->subdevice = le16(b, pos + 6);
			return;
		}
		pos = b[pos + 1];
	}
}

/*
 * Config space: the 64-byte header, and the rest (capabilities, ACS) for
 * bridges and multifunction devices, whose isolation the group analysis
 * needs, or for every device with @full. On real hardware each further
 * dword is a config cycle, so endpoints are not read in full unless asked.
 */
/* The vendor and device IDs of a VF into @cfg, from its sysfs attributes */
static void vf_ids(struct iommuctl_device *d, const struct sysfs_dir *dir,
		   uint8_t *cfg)
{
	unsigned int v, dv;

	if (sysfs_exists_at(d->ctx, dir, "physfn") &&
	    read_hex_attr(d->ctx, dir, "vendor", &v) == 0 &&
	    read_hex_attr(d->ctx, dir, "device", &dv) == 0 && v <= 0xffff &&
	    dv <= 0xffff) {
		cfg[0] = (uint8_t)v;
		cfg[1] = (uint8_t)(v >> 8);
		cfg[2] = (uint8_t)dv;
		cfg[3] = (uint8_t)(dv >> 8);
	}
}

static void pci_config_load(struct iommuctl_device *d,
			    const struct sysfs_dir *dir, bool full)
{
	struct iommuctl_ctx *ctx = d->ctx;
	const char *fn = strrchr(d->name, '.');
	uint8_t cfg[4096];
	size_t len = 0;
	ssize_t n;
	bool header_only = false;
	int fd, rc;

	fd = sysfs_open_at(ctx, dir, "config", O_RDONLY);
	rc = fd < 0 ? fd : 0;
	while (rc == 0 && len < sizeof(cfg)) {
		n = read(fd, cfg + len,
			 (len < 64 && !full ? 64 : sizeof(cfg)) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		/* function 0 of a single-function endpoint: the header is enough */
		if (len == 64 && !full && cfg[0x0e] == 0 && fn &&
		    !strcmp(fn, ".0")) {
			header_only = true;
			break;
		}
	}
	if (fd >= 0)
		close(fd);
	/* An SR-IOV virtual function reads 0xffff for its IDs (the PCIe
	 * rule); the rest of its config space is real, and sysfs has the IDs
	 * the kernel found through the physical function. */
	if (rc == 0 && len >= 4 && le16(cfg, 0) == 0xffff)
		vf_ids(d, dir, cfg);
	if (rc == 0)
		rc = iommuctl_pcicfg_parse(cfg, len, &d->cfg);
	/* As the kernel's pci_scan_slot(): a function other than 0 is part of
	 * a multifunction device whatever its header type says; not a VF,
	 * which SR-IOV creates, not the slot scan. */
	if (rc == 0 && !d->cfg.multifunction && fn && strcmp(fn, ".0"))
		d->cfg.multifunction = !sysfs_exists_at(ctx, dir, "physfn");
	/* The kernel gives a user without CAP_SYS_ADMIN the header alone:
	 * with a capability list (status bit 4) past it, what the
	 * capabilities say is unknown, not absent. */
	if (rc == 0 && len == 64 && !header_only && (cfg[6] & 0x10) &&
	    !ctx->cfg_short_said) {
		ctx->cfg_short_said = 1;
		err(ctx,
		    "%s: cannot read config space past its first 64 bytes (readable by root only: run as root): PCIe type, ACS, MSI and other capabilities are unknown for it and any other device so cut\n",
		    d->name);
	}
	d->cfg_err = rc;
	d->cfg_full = !header_only;
	if (rc < 0) {
		info(ctx, "%s: config space: %s\n", d->name, strerror(-rc));
		return;
	}
	d->vendor = le16(cfg, 0);
	d->device = le16(cfg, 2);
	d->class_code = (unsigned int)cfg[9] | (unsigned int)cfg[10] << 8 |
			(unsigned int)cfg[11] << 16;
	cfg_subsystem(d, cfg, len);
}

/* The whole config space of @d, for a caller about to look past the header */
void device_cfg_full(struct iommuctl_device *d)
{
	struct sysfs_dir dir;
	char *path;

	if (!d->is_pci || d->cfg_full)
		return;
	path = pci_dir(d);
	if (!path) {
		d->cfg_err = -ENOMEM;
		return;
	}
	sysfs_dir_path(&dir, path);
	pci_config_load(d, &dir, true);
	free(path);
}

/* Fill in the PCI function @d (name set), with its driver unless the
 * caller found the drivers by listing. */
static void pci_device_load(struct iommuctl_ctx *ctx, struct iommuctl_device *d,
			    bool driver_known)
{
	char *dir = path_join("/sys/bus/pci/devices", d->name), *target = NULL;
	struct sysfs_dir dirh;
	char *slash;

	if (!dir) {
		err(ctx, "%s: out of memory\n", d->name);
		return;
	}
	if (sysfs_readlink(ctx, dir, &target) == 0) {
		d->syspath = resolve_link("/sys/bus/pci/devices", target);
		free(target);
	}
	/* The parent directory is the upstream bridge when it is a PCI address. */
	if (d->syspath) {
		slash = strrchr(d->syspath, '/');
		if (slash && slash != d->syspath) {
			char *pend = slash, *pstart;

			*pend = '\0';
			pstart = strrchr(d->syspath, '/');
			if (pstart &&
			    iommuctl_parse_bdf(pstart + 1, NULL, 0) == 0 &&
			    strchr(pstart + 1, ':') != strrchr(pstart + 1, ':'))
				d->parent_name = strdup(pstart + 1);
			*pend = '/';
		}
	}
	/* Each attribute by its path below the resolved directory (pci_dir()).
	 * Opening the directory to read them by name would cost two system
	 * calls more per device (16.9 instead of 14.9), over issue 15's
	 * budget of 15. */
	sysfs_dir_path(&dirh, d->syspath ?: dir);
	if (!driver_known)
		d->driver = dev_attr(ctx, &dirh, "driver", true);
	read_override(ctx, d, &dirh);
	pci_config_load(d, &dirh, ctx->full_config);
	if (d->cfg_err) {
		/* (a check that costs a system call only here) */
		if (!sysfs_is_dir(ctx, dir))
			err(ctx,
			    "%s: cannot read the device's directory: its PCI identity, driver and configuration are unknown\n",
			    dir);
		/* what the header would have told */
		read_hex_attr(ctx, &dirh, "vendor", &d->vendor);
		read_hex_attr(ctx, &dirh, "device", &d->device);
		read_hex_attr(ctx, &dirh, "subsystem_vendor", &d->subvendor);
		read_hex_attr(ctx, &dirh, "subsystem_device", &d->subdevice);
		read_hex_attr(ctx, &dirh, "class", &d->class_code);
	}
	/* a caller that reads every config space prints numa and reset too */
	if (ctx->full_config)
		read_lazy(ctx, d, &dirh);
	sysfs_dir_close(&dirh);
	free(dir);
}

static struct iommuctl_device *other_device_load(struct iommuctl_ctx *ctx,
						 const char *link)
{
	struct iommuctl_device *d = calloc(1, sizeof(*d));
	const char *base = strrchr(link, '/');
	char *target = NULL, *linkdir;

	if (!d || !base)
		goto fail;
	d->ctx = ctx;
	d->name = strdup(base + 1);
	linkdir = strndup(link, (size_t)(base - link));
	if (!d->name || !linkdir) {
		free(linkdir);
		goto fail;
	}
	if (sysfs_readlink(ctx, link, &target) == 0) {
		d->syspath = resolve_link(linkdir, target);
		free(target);
	}
	free(linkdir);
	read_common(ctx, d, d->syspath ? d->syspath : link);
	return d;
fail:
	if (d)
		free(d->name);
	free(d);
	return NULL;
}

/* Device order: PCI addresses in bus order, then other names naturally. */
static int dev_qsort_cmp(const void *a, const void *b)
{
	const struct iommuctl_device *x = *(struct iommuctl_device *const *)a;
	const struct iommuctl_device *y = *(struct iommuctl_device *const *)b;

	if (x->is_pci != y->is_pci)
		return x->is_pci ? -1 : 1;
	if (x->is_pci)
		return x->key < y->key ? -1 : x->key > y->key;
	return pci_name_cmp(x->name, y->name);
}

struct devvec {
	struct iommuctl_device **v;
	size_t n, cap;
};

static int devvec_push(struct devvec *dv, struct iommuctl_device *d)
{
	if (array_grow(&dv->v, &dv->cap, dv->n, sizeof(*dv->v)) < 0)
		return -ENOMEM;
	dv->v[dv->n++] = d;
	return 0;
}

/* Sorted array and list; lookups by name bisect the array. */
static void devices_index(struct iommuctl_ctx *ctx, struct devvec *dv)
{
	size_t i;

	if (dv->n > 1)
		qsort(dv->v, dv->n, sizeof(*dv->v), dev_qsort_cmp);
	for (i = 0; i < dv->n; i++) {
		dv->v[i]->next = i + 1 < dv->n ? dv->v[i + 1] : NULL;
		dv->v[i]->idx = i;
	}
	ctx->devices = dv->n ? dv->v[0] : NULL;
	free(ctx->devarr);
	ctx->devarr = dv->v;
	ctx->ndev = dv->n;
}

static struct iommuctl_device *find_device_as(struct iommuctl_ctx *ctx,
					      const char *name, bool pci,
					      uint64_t key)
{
	size_t lo = 0, hi = ctx->ndev;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct iommuctl_device *d = ctx->devarr[mid];
		int c;

		if (d->is_pci != pci)
			c = d->is_pci ? -1 : 1;
		else if (pci)
			c = d->key < key ? -1 : d->key > key;
		else
			c = pci_name_cmp(d->name, name);
		if (c == 0)
			return d;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * A device by name. A name that is a PCI address is looked up among the
 * PCI functions, then among the other devices: a group member whose link
 * does not lead to a PCI function (a partial capture, a dangling link) is
 * kept as a device of its own under its PCI-address name.
 */
static struct iommuctl_device *find_device(struct iommuctl_ctx *ctx,
					   const char *name)
{
	struct iommuctl_device *d;
	uint64_t key = 0;

	if (pci_addr_key(name, &key) < 0)
		return find_device_as(ctx, name, false, 0);
	d = find_device_as(ctx, name, true, key);
	return d ? d : find_device_as(ctx, name, false, 0);
}

/* Each group's members, in device order. */
static void group_members_index(struct iommuctl_ctx *ctx)
{
	struct iommuctl_device *d;
	struct iommuctl_group *g;

	for (d = ctx->devices; d; d = d->next) {
		struct iommuctl_device **nv;

		if (d->group < 0)
			continue;
		g = iommuctl_group_get_by_id(ctx, (unsigned int)d->group);
		if (!g)
			continue;
		nv = realloc(g->members, (g->nmembers + 1) * sizeof(*nv));
		if (!nv)
			continue;
		g->members = nv;
		d->group_idx = g->nmembers;
		g->members[g->nmembers++] = d;
	}
}

/*
 * Gives each device listed in @top/OWNER@sub, for each OWNER in @owners (a
 * driver, an IOMMU unit), that has no char * member at offset @field yet, a
 * copy of OWNER; with @pci_only, names that are no PCI address (a driver's
 * bind, new_id, module...) are passed over.
 */
static void claim_listed(struct iommuctl_ctx *ctx, const char *top,
			 const struct strv *owners, const char *sub,
			 size_t field, bool pci_only)
{
	size_t i, j;

	for (i = 0; i < owners->n; i++) {
		struct strv listed = { 0 };
		char *p = path_fmt("%s/%s%s", top, owners->v[i], sub);

		if (p && sysfs_list_unsorted(ctx, p, &listed) == 0) {
			for (j = 0; j < listed.n; j++) {
				struct iommuctl_device *d;
				char **slot;

				if (pci_only && iommuctl_parse_bdf(listed.v[j],
								   NULL, 0) < 0)
					continue;
				d = find_device(ctx, listed.v[j]);
				if (!d)
					continue;
				slot = (char **)((char *)d + field);
				if (!*slot)
					*slot = strdup(owners->v[i]);
			}
		}
		strv_free(&listed);
		free(p);
	}
}

/*
 * Drivers by listing /sys/bus/pci/drivers/NAME/ rather than one readlink
 * per device, when there are few drivers for many devices. Returns whether
 * it did (else each device reads its own link).
 */
static bool drivers_from_listing(struct iommuctl_ctx *ctx, struct strv *names)
{
	struct strv drivers = { 0 };

	if (sysfs_list(ctx, "/sys/bus/pci/drivers", &drivers) < 0 ||
	    drivers.n * 4 >= names->n) {
		strv_free(&drivers);
		return false;
	}
	claim_listed(ctx, "/sys/bus/pci/drivers", &drivers, "",
		     offsetof(struct iommuctl_device, driver), true);
	strv_free(&drivers);
	return true;
}

/* Which unit translates each device: /sys/class/iommu/UNIT/devices/ */
static void iommus_from_listing(struct iommuctl_ctx *ctx)
{
	struct strv units = { 0 };
	struct iommuctl_device *d;

	if (sysfs_list(ctx, "/sys/class/iommu", &units) < 0)
		strv_free(&units);
	claim_listed(ctx, "/sys/class/iommu", &units, "/devices",
		     offsetof(struct iommuctl_device, iommu), false);
	strv_free(&units);
	/* a device in a group that no unit's listing names (the unit's entry
	 * unreadable, or missing from a capture): its own iommu link */
	for (d = ctx->devices; d; d = d->next) {
		char *p;

		if (d->iommu || d->group < 0 || !d->syspath)
			continue;
		p = path_join(d->syspath, "iommu");
		if (p)
			sysfs_link_basename(ctx, p, &d->iommu);
		free(p);
	}
}

/* VFIO device cdevs: /sys/class/vfio-dev/vfioN links into the device */
static void vfio_cdevs_from_listing(struct iommuctl_ctx *ctx)
{
	struct strv cdevs = { 0 };
	size_t i;

	if (sysfs_list(ctx, "/sys/class/vfio-dev", &cdevs) < 0)
		return;
	for (i = 0; i < cdevs.n; i++) {
		char *p = path_join("/sys/class/vfio-dev", cdevs.v[i]),
		     *t = NULL;
		char *end, *start;
		struct iommuctl_device *d;

		/* ".../DEVICE/vfio-dev/vfioN" */
		if (p && sysfs_readlink(ctx, p, &t) == 0 &&
		    (end = strstr(t, "/vfio-dev/")) && end > t) {
			*end = '\0';
			start = strrchr(t, '/');
			d = find_device(ctx, start ? start + 1 : t);
			if (d && !d->vfio_cdev)
				d->vfio_cdev = strdup(cdevs.v[i]);
		}
		free(t);
		free(p);
	}
	strv_free(&cdevs);
}

/* A device of @dv past its first @from, by name (not yet indexed). */
static struct iommuctl_device *find_loaded(const struct devvec *dv, size_t from,
					   const char *name)
{
	size_t i;

	for (i = from; i < dv->n; i++)
		if (!strcmp(dv->v[i]->name, name))
			return dv->v[i];
	return NULL;
}

/* Links the device to its parent, unless that closes a loop: in a
 * doctored tree (a bundle's links pointing into each other) every walk to
 * the root would go round for ever. The parents set so far form no loop,
 * so the walk from @p ends. */
static void set_parent(struct iommuctl_ctx *ctx, struct iommuctl_device *d,
		       struct iommuctl_device *p)
{
	const struct iommuctl_device *a;

	for (a = p; a; a = a->parent) {
		if (a == d) {
			err(ctx,
			    "%s: its parent %s lies below it (a damaged tree): treated as having none\n",
			    d->name, p->name);
			return;
		}
	}
	d->parent = p;
}

static void devices_init(struct iommuctl_ctx *ctx)
{
	struct strv names = { 0 };
	struct devvec dv = { 0 };
	struct iommuctl_group *g;
	struct iommuctl_device *d;
	bool drivers_listed = false;
	size_t i;

	if (ctx->devices_init)
		return;
	ctx->devices_init = 1;
	/* sorted by devices_index() */
	if (sysfs_list_unsorted(ctx, "/sys/bus/pci/devices", &names) == 0) {
		for (i = 0; i < names.n; i++) {
			uint64_t key;

			if (pci_addr_key(names.v[i], &key) < 0) {
				info(ctx,
				     "/sys/bus/pci/devices/%s: not a PCI address, ignored\n",
				     names.v[i]);
				continue;
			}
			d = calloc(1, sizeof(*d));
			if (d) {
				d->ctx = ctx;
				d->key = key;
				d->is_pci = true;
				d->group = -1;
			}
			if (!d || !(d->name = strdup(names.v[i])) ||
			    devvec_push(&dv, d) < 0) {
				if (d)
					free(d->name);
				free(d);
				err(ctx, "%s: out of memory\n", names.v[i]);
			}
		}
	}
	/* an index of names first, so that listings can find devices */
	devices_index(ctx, &dv);
	drivers_listed = drivers_from_listing(ctx, &names);
	strv_free(&names);
	for (i = 0; i < ctx->ndev; i++)
		pci_device_load(ctx, ctx->devarr[i], drivers_listed);
	for (d = ctx->devices; d; d = d->next)
		if (d->parent_name)
			set_parent(ctx, d, find_device(ctx, d->parent_name));

	/* Group members, from each group's listing; those that are not PCI
	 * functions are read one by one. */
	dv.v = NULL;
	dv.n = dv.cap = 0;
	for (i = 0; i < ctx->ndev; i++)
		devvec_push(&dv, ctx->devarr[i]);
	iommuctl_group_foreach(ctx, g) {
		const struct strv *members = &g->devnames;
		uint64_t key;
		char *dir = path_fmt("/sys/kernel/iommu_groups/%u/devices",
				     iommuctl_group_get_id(g));

		for (i = 0; dir && i < members->n; i++) {
			char *link;

			d = find_device(ctx, members->v[i]);
			if (d) {
				d->group = (int)g->id;
				continue;
			}
			/* listed by an earlier group too */
			d = find_loaded(&dv, ctx->ndev, members->v[i]);
			if (d)
				continue;
			link = path_join(dir, members->v[i]);
			d = link ? other_device_load(ctx, link) : NULL;
			free(link);
			if (d && pci_addr_key(d->name, &key) == 0)
				err(ctx,
				    "%s: a member of group %u with no entry in /sys/bus/pci/devices: read as a device of its own, its PCI details are unknown\n",
				    d->name, g->id);
			/* a member of the group that lists it, even when its
			 * own iommu_group link is unreadable */
			if (d && d->group < 0)
				d->group = (int)g->id;
			if (d && devvec_push(&dv, d) < 0)
				err(ctx, "%s: out of memory\n", members->v[i]);
		}
		free(dir);
	}
	devices_index(ctx, &dv);
	iommus_from_listing(ctx);
	vfio_cdevs_from_listing(ctx);
	group_members_index(ctx);
}

IOMMUCTL_EXPORT struct iommuctl_device *
iommuctl_device_get_first(struct iommuctl_ctx *ctx)
{
	devices_init(ctx);
	return ctx->devices;
}

IOMMUCTL_EXPORT struct iommuctl_device *
iommuctl_device_get_next(struct iommuctl_device *dev)
{
	return dev->next;
}

IOMMUCTL_EXPORT struct iommuctl_device *
iommuctl_device_get_by_name(struct iommuctl_ctx *ctx, const char *name)
{
	struct iommuctl_device *d;
	char bdf[32];
	const char *want = name;

	if (!name)
		return NULL;
	if (iommuctl_parse_bdf(name, bdf, sizeof(bdf)) == 0)
		want = bdf;
	(void)d;
	devices_init(ctx);
	return find_device(ctx, want);
}

IOMMUCTL_EXPORT struct iommuctl_ctx *
iommuctl_device_get_ctx(struct iommuctl_device *d)
{
	return d->ctx;
}

IOMMUCTL_EXPORT const char *iommuctl_device_get_name(struct iommuctl_device *d)
{
	return d->name;
}

IOMMUCTL_EXPORT const char *
iommuctl_device_get_subsystem(struct iommuctl_device *d)
{
	return d->subsystem ? d->subsystem : d->is_pci ? "pci" : NULL;
}

IOMMUCTL_EXPORT bool iommuctl_device_is_pci(struct iommuctl_device *d)
{
	return d->is_pci;
}

IOMMUCTL_EXPORT int iommuctl_device_get_group_id(struct iommuctl_device *d)
{
	return d->group;
}

IOMMUCTL_EXPORT const char *iommuctl_device_get_iommu(struct iommuctl_device *d)
{
	return d->iommu;
}

IOMMUCTL_EXPORT const char *
iommuctl_device_get_driver(struct iommuctl_device *d)
{
	return d->driver;
}

IOMMUCTL_EXPORT const char *
iommuctl_device_get_driver_override(struct iommuctl_device *d)
{
	return d->driver_override;
}

IOMMUCTL_EXPORT const char *
iommuctl_device_get_vfio_cdev(struct iommuctl_device *d)
{
	return d->vfio_cdev;
}

IOMMUCTL_EXPORT int iommuctl_device_get_numa_node(struct iommuctl_device *d)
{
	device_lazy(d);
	return d->numa_node;
}

IOMMUCTL_EXPORT const char *
iommuctl_device_get_reset_methods(struct iommuctl_device *d)
{
	device_lazy(d);
	return d->reset_method;
}

IOMMUCTL_EXPORT int
iommuctl_device_get_pci_ids(struct iommuctl_device *d, unsigned int *vendor,
			    unsigned int *device, unsigned int *subvendor,
			    unsigned int *subdevice, unsigned int *class_code)
{
	if (!d->is_pci)
		return -EINVAL;
	if (vendor)
		*vendor = d->vendor;
	if (device)
		*device = d->device;
	if (subvendor)
		*subvendor = d->subvendor;
	if (subdevice)
		*subdevice = d->subdevice;
	if (class_code)
		*class_code = d->class_code;
	return 0;
}

static void lookup_names(struct iommuctl_device *d)
{
	if (d->names_done || !d->is_pci)
		return;
	d->names_done = 1;
	d->vendor_name = pciids_lookup(d->ctx, d->vendor, -1);
	d->device_name = pciids_lookup(d->ctx, d->vendor, (int)d->device);
	d->class_name = pciids_lookup_class(d->ctx, d->class_code >> 8);
}

IOMMUCTL_EXPORT const char *
iommuctl_device_get_class_name(struct iommuctl_device *d)
{
	lookup_names(d);
	return d->class_name;
}

IOMMUCTL_EXPORT const char *
iommuctl_device_get_vendor_name(struct iommuctl_device *d)
{
	lookup_names(d);
	return d->vendor_name;
}

IOMMUCTL_EXPORT const char *
iommuctl_device_get_device_name(struct iommuctl_device *d)
{
	lookup_names(d);
	return d->device_name;
}

IOMMUCTL_EXPORT const struct iommuctl_pcicfg *
iommuctl_device_get_pcicfg(struct iommuctl_device *d)
{
	device_cfg_full(d);
	return d->is_pci && d->cfg_err == 0 ? &d->cfg : NULL;
}

IOMMUCTL_EXPORT struct iommuctl_device *
iommuctl_device_get_parent(struct iommuctl_device *d)
{
	return d->parent;
}

IOMMUCTL_EXPORT const char *
iommuctl_device_get_parent_name(struct iommuctl_device *d)
{
	return d->parent_name;
}

IOMMUCTL_EXPORT const char *
iommuctl_device_get_mdev_type(struct iommuctl_device *d)
{
	return d->mdev_type;
}

IOMMUCTL_EXPORT bool iommuctl_device_is_bridge(struct iommuctl_device *d)
{
	if (!d->is_pci)
		return false;
	if (d->cfg_err == 0)
		return d->cfg.header_type == 1;
	return (d->class_code >> 8) == 0x0604;
}

/* --- the members of IOMMU groups (lists built by devices_init()) --- */

IOMMUCTL_EXPORT struct iommuctl_device *
iommuctl_group_get_first_device(struct iommuctl_group *g)
{
	iommuctl_device_get_first(g->ctx); /* builds the member lists */
	return g->nmembers ? g->members[0] : NULL;
}

IOMMUCTL_EXPORT struct iommuctl_device *
iommuctl_group_get_next_device(struct iommuctl_device *dev)
{
	struct iommuctl_group *g;

	if (dev->group < 0)
		return NULL;
	g = iommuctl_group_get_by_id(dev->ctx, (unsigned int)dev->group);
	if (!g || dev->group_idx + 1 >= g->nmembers)
		return NULL;
	return g->members[dev->group_idx + 1];
}

IOMMUCTL_EXPORT const char *iommuctl_group_get_iommu(struct iommuctl_group *g)
{
	struct iommuctl_device *d;

	iommuctl_group_device_foreach(g, d) if (d->iommu) return d->iommu;
	return NULL;
}

IOMMUCTL_EXPORT bool
iommuctl_device_assignable_driver(struct iommuctl_device *d)
{
	if (!d->driver)
		return true;
	if (!strncmp(d->driver, "vfio", 4) || !strcmp(d->driver, "pci-stub"))
		return true;
	/* a driver that registered the device with VFIO (a VFIO variant
	 * driver, an mdev driver such as mtty): it has a VFIO cdev */
	if (d->vfio_cdev)
		return true;
	return iommuctl_device_is_bridge(d) && !strcmp(d->driver, "pcieport");
}

IOMMUCTL_EXPORT bool iommuctl_group_is_viable(struct iommuctl_group *g,
					      struct iommuctl_device **blocker)
{
	struct iommuctl_device *d;

	if (blocker)
		*blocker = NULL;
	iommuctl_group_device_foreach(g, d)
	{
		if (iommuctl_device_assignable_driver(d))
			continue;
		if (blocker)
			*blocker = d;
		return false;
	}
	return true;
}

IOMMUCTL_EXPORT const char *
iommuctl_device_no_group_reason(struct iommuctl_device *d)
{
	struct iommuctl_ctx *ctx = d->ctx;
	struct iommuctl_iommu *it;
	bool hw = false, late = false;

	if (d->group >= 0)
		return NULL;
	iommuctl_iommu_foreach(ctx, it) {
		const char *parent = iommuctl_iommu_get_parent_device(it);
		enum iommuctl_iommu_kind k = iommuctl_iommu_get_kind(it);

		if (parent && !strcmp(parent, iommuctl_device_get_name(d)))
			return "it is an IOMMU itself";
		if (!iommuctl_iommu_is_hardware(it))
			continue;
		hw = true;
		late |= k == IOMMUCTL_IOMMU_ARM_SMMU_V3 ||
			k == IOMMUCTL_IOMMU_ARM_SMMU ||
			k == IOMMUCTL_IOMMU_VIRTIO;
	}
	if (!hw)
		return "no IOMMU translates this system's devices";
	if (late && !iommuctl_device_get_driver(d))
		return "no group yet: on this platform a device gets its IOMMU group when a driver binds to it";
	return "no IOMMU translates this device";
}

IOMMUCTL_EXPORT void iommuctl_set_full_config(struct iommuctl_ctx *ctx,
					      bool full)
{
	ctx->full_config = full;
}
