// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * How the host uses a device right now, so that taking it away (binding it
 * to vfio-pci, or unbinding vfio-pci from it) can be refused when that
 * would pull the boot disk, the network or the console from under the host,
 * or a device from under a VMM.
 *
 * A class device (/sys/class/<class>/<name>) is below a PCI device when the
 * target of its class link has the PCI address as one of its components.
 * For those below: block devices are checked against the mount table, the
 * swap list and their dm/md holders (recursively, so a root filesystem on
 * LVM on the disk counts); network interfaces (and the bridges, bonds and
 * VLANs on top of them) against their addresses and the default routes;
 * ttys and framebuffers against the console; and every device node (plus
 * the legacy VFIO group node) against the open files of every process.
 * The namespaces of a multi-controller NVMe subsystem lie below a virtual
 * device: they count as below when one of its controllers is.
 *
 * Not seen: mounts of other mount namespaces, interfaces of other network
 * namespaces, routes of other tables than main (and the further next hops
 * of an IPv4 multipath route), VFIO device fds whose group fd was closed,
 * processes we may not look at (not root), and consoles whose tty has no
 * parent device (hvc).
 *
 * The kernel's text formats are parsed by the pure usage_* functions at
 * the top (tests/unit/test-usage.c). Files of /proc that can be large on a
 * busy host (mountinfo, routes) are read a line at a time.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "private.h"

/* Holders of holders, uppers of uppers: deeper stacks are not followed. */
#define USAGE_MAX_DEPTH 8

#define USAGE_RTF_UP 0x0001
#define USAGE_RTF_REJECT 0x0200

IOMMUCTL_EXPORT const char *iommuctl_use_kind_name(enum iommuctl_use_kind kind)
{
	return names_get(NAMES_USE_KIND, kind);
}

/* --- pure parsers ------------------------------------------------------ */

bool usage_path_below(const char *path, const char *name)
{
	size_t len = strlen(name);
	const char *p = path;

	if (!len)
		return false;
	while (*p) {
		const char *end = strchrnul(p, '/');

		if ((size_t)(end - p) == len && !memcmp(p, name, len))
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}

static bool is_full_pci_name(const char *s, size_t len)
{
	char buf[32];

	if (len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* "dddd:bb:dd.f" with the domain: "bb:dd.f" alone is not a device */
	return iommuctl_parse_bdf(buf, NULL, 0) == 0 &&
	       strchr(buf, ':') != strrchr(buf, ':');
}

int usage_path_function(const char *path, const char *bdf, char **out)
{
	size_t blen = strlen(bdf);
	const char *p = path, *best = NULL;
	size_t best_len = 0;
	bool found = false;

	if (!blen)
		return -ENOENT;
	while (*p) {
		const char *end = strchrnul(p, '/');
		size_t len = (size_t)(end - p);

		if (!found && len == blen && !memcmp(p, bdf, len))
			found = true;
		if (found && is_full_pci_name(p, len)) {
			best = p;
			best_len = len;
		}
		p = *end ? end + 1 : end;
	}
	if (!found)
		return -ENOENT;
	*out = best ? strndup(best, best_len) : strdup(bdf);
	return *out ? 0 : -ENOMEM;
}

static bool is_odigit(char c)
{
	return c >= '0' && c <= '7';
}

int usage_unescape(const char *s, size_t len, char **out)
{
	char *buf = malloc(len + 1), *o = buf;
	size_t i;

	if (!buf)
		return -ENOMEM;
	for (i = 0; i < len; i++) {
		/* "\ooo", as mangle() writes: a NUL byte is never meant */
		if (s[i] == '\\' && i + 3 < len && is_odigit(s[i + 1]) &&
		    is_odigit(s[i + 2]) && is_odigit(s[i + 3])) {
			unsigned int c = (unsigned int)(s[i + 1] - '0') * 64 +
					 (unsigned int)(s[i + 2] - '0') * 8 +
					 (unsigned int)(s[i + 3] - '0');

			if (c && c < 256) {
				*o++ = (char)c;
				i += 3;
				continue;
			}
		}
		*o++ = s[i];
	}
	*o = '\0';
	*out = buf;
	return 0;
}

static int parse_uint(const char *s, size_t len, unsigned long max,
		      unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -EINVAL;
		if (v > (max - (unsigned long)(s[i] - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	*out = v;
	return 0;
}

static int parse_devnum_len(const char *s, size_t len, dev_t *out)
{
	const char *colon = memchr(s, ':', len);
	unsigned long maj, min;

	/* the kernel's MAJOR/MINOR split: 12 and 20 bits */
	if (!colon || parse_uint(s, (size_t)(colon - s), 0xfff, &maj) ||
	    parse_uint(colon + 1, len - (size_t)(colon - s) - 1, 0xfffff, &min))
		return -EINVAL;
	*out = makedev((unsigned int)maj, (unsigned int)min);
	return 0;
}

int usage_parse_devnum(const char *s, dev_t *out)
{
	return parse_devnum_len(s, strlen(s), out);
}

void usage_mount_clear(struct usage_mount *m)
{
	free(m->mountpoint);
	free(m->source);
	m->mountpoint = m->source = NULL;
}

/* The next field of a line of single-space separated fields. */
static bool next_field(const char **p, const char **f, size_t *len)
{
	const char *end;

	if (!**p)
		return false;
	end = strchrnul(*p, ' ');
	*f = *p;
	*len = (size_t)(end - *p);
	*p = *end ? end + 1 : end;
	return *len > 0;
}

/*
 * "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=..."
 * (fs/proc_namespace.c show_mountinfo): the fields are separated by single
 * spaces and every space inside one is escaped, optional tagged fields end
 * at a lone "-", then come the filesystem type and the source.
 */
int usage_parse_mountinfo_line(const char *line, struct usage_mount *m)
{
	const char *p = line, *f, *mp = NULL, *src = NULL;
	size_t len, mp_len = 0, src_len = 0;
	unsigned long id;
	int i, rc;

	memset(m, 0, sizeof(*m));
	for (i = 0;; i++) {
		if (!next_field(&p, &f, &len))
			return -EINVAL;
		if (i < 2 && parse_uint(f, len, ~0UL, &id))
			return -EINVAL;
		if (i == 2 && parse_devnum_len(f, len, &m->dev))
			return -EINVAL;
		if (i == 4) {
			mp = f;
			mp_len = len;
		}
		if (i >= 6 && len == 1 && *f == '-')
			break;
	}
	if (!next_field(&p, &f, &len)) /* filesystem type */
		return -EINVAL;
	if (!next_field(&p, &src, &src_len))
		return -EINVAL;
	rc = usage_unescape(mp, mp_len, &m->mountpoint);
	if (rc == 0)
		rc = usage_unescape(src, src_len, &m->source);
	if (rc < 0)
		usage_mount_clear(m);
	return rc;
}

/*
 * "/dev/vda3                               partition\t1048572\t0\t-2"
 * (mm/swapfile.c swap_show): the path is escaped like in mountinfo and
 * padded with spaces; the first line is a header.
 */
int usage_parse_swaps_line(const char *line, char **path)
{
	size_t len = strcspn(line, " \t\n");

	if (line[0] != '/')
		return 0;
	if (line[len] != ' ' && line[len] != '\t')
		return 0; /* no type column: not a line the kernel writes */
	return usage_unescape(line, len, path) < 0 ? -ENOMEM : 1;
}

/* Split @line at any of @seps into at most @max fields; the count. */
static size_t split_fields(char *line, const char *seps, char **f, size_t max)
{
	size_t n = 0;
	char *save = NULL, *tok;

	for (tok = strtok_r(line, seps, &save); tok && n < max;
	     tok = strtok_r(NULL, seps, &save))
		f[n++] = tok;
	return n;
}

static bool parse_hex(const char *s, unsigned long *out)
{
	char *end;

	if (!isxdigit((unsigned char)*s))
		return false;
	errno = 0;
	*out = strtoul(s, &end, 16);
	return !errno && !*end;
}

/*
 * "eth0\t00000000\t0102000A\t0003\t0\t0\t100\t00000000\t0\t0\t0   "
 * (net/ipv4/fib_trie.c fib_route_seq_show): Iface, Destination, Gateway,
 * Flags, RefCnt, Use, Metric, Mask, ..., padded with spaces to 127 bytes.
 */
int usage_route4_line(const char *line, char **ifname)
{
	unsigned long flags;
	char *copy = strdup(line), *f[12];
	size_t n;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	n = split_fields(copy, "\t \n", f, 12);
	if (n >= 8 && !strcmp(f[1], "00000000") && !strcmp(f[7], "00000000") &&
	    strcmp(f[0], "*") && parse_hex(f[3], &flags) &&
	    (flags & USAGE_RTF_UP) && !(flags & USAGE_RTF_REJECT)) {
		*ifname = strdup(f[0]);
		rc = *ifname ? 1 : -ENOMEM;
	}
	free(copy);
	return rc;
}

static bool all_zeros(const char *s, size_t len)
{
	return strlen(s) == len && strspn(s, "0") == len;
}

/*
 * "<dst 32 hex> <plen 2 hex> <src> <plen> <gateway> <metric> <refcnt> <use>
 * <flags> <iface, right-aligned to 8>" (net/ipv6/ip6_fib.c
 * ipv6_route_native_seq_show); a route without a device has no last field.
 */
int usage_route6_line(const char *line, char **ifname)
{
	unsigned long flags;
	char *copy = strdup(line), *f[11];
	size_t n;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	n = split_fields(copy, " \t\n", f, 11);
	if (n == 10 && all_zeros(f[0], 32) && !strcmp(f[1], "00") &&
	    parse_hex(f[8], &flags) && (flags & USAGE_RTF_UP) &&
	    !(flags & USAGE_RTF_REJECT)) {
		*ifname = strdup(f[9]);
		rc = *ifname ? 1 : -ENOMEM;
	}
	free(copy);
	return rc;
}

/* "ttyS0 tty0\n" (drivers/tty/tty_io.c show_cons_active) */
int usage_parse_console_active(const char *text, struct strv *out)
{
	const char *p = text;
	int rc;

	while (*p) {
		size_t len = strcspn(p, " \t\n");

		if (len) {
			rc = strv_push_take(out, strndup(p, len));
			if (rc < 0)
				return rc;
		}
		p += len;
		if (*p)
			p++;
	}
	return 0;
}

int usage_mask_prefix(const void *mask, size_t len)
{
	const unsigned char *m = mask;
	int bits = 0;
	size_t i;
	bool zero = false;

	for (i = 0; i < len * 8; i++) {
		bool one = m[i / 8] & (0x80 >> (i % 8));

		if (one && zero)
			return -1;
		if (one)
			bits++;
		else
			zero = true;
	}
	return bits;
}

/* --- the scan --------------------------------------------------------- */

/* A class device below the device. */
struct node {
	char *cls, *name;
	char *func; /* the PCI function it belongs to */
	bool has_dev;
	dev_t dev;
};

/* A device node whose openers are uses. */
struct watch {
	dev_t dev;
	bool blk;
	enum iommuctl_use_kind kind;
	char *object, *device;
};

struct mount_ent {
	struct usage_mount m;
	dev_t rdev; /* the block device a "/dev/..." source names, or 0 */
};

struct swap_ent {
	char *path;
	dev_t rdev; /* 0 if the path is not a block device (any more) */
};

struct scan {
	struct iommuctl_ctx *ctx;
	struct iommuctl_device *dev;
	const char *bdf;
	struct iommuctl_use *uses;
	size_t n, cap;
	struct node *nodes;
	size_t nnodes, capnodes;
	struct watch *watch;
	size_t nwatch, capwatch;
	struct strv blk_names, blk_targets; /* all of /sys/class/block */
	struct mount_ent *mounts;
	size_t nmounts, capmounts;
	struct swap_ent *swaps;
	size_t nswaps, capswaps;
	struct strv visited_blk, visited_net; /* what was checked */
	struct ifaddrs *ifa;
	bool ifa_done;
	struct strv def4, def6; /* interfaces with a default route */
	bool routes_done;
};

static int add_use(struct scan *s, enum iommuctl_use_kind kind,
		   const char *device, const char *object, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int add_use(struct scan *s, enum iommuctl_use_kind kind,
		   const char *device, const char *object, const char *fmt, ...)
{
	struct iommuctl_use *u;
	va_list ap;
	int rc;

	if (array_grow(&s->uses, &s->cap, s->n, sizeof(*s->uses)) < 0)
		return -ENOMEM;
	u = &s->uses[s->n];
	memset(u, 0, sizeof(*u));
	u->kind = kind;
	u->device = strdup(device);
	u->object = strdup(object);
	va_start(ap, fmt);
	rc = vasprintf(&u->detail, fmt, ap);
	va_end(ap);
	if (rc < 0)
		u->detail = NULL;
	if (!u->device || !u->object || !u->detail) {
		free(u->device);
		free(u->object);
		free(u->detail);
		return -ENOMEM;
	}
	s->n++;
	dbg(s->ctx, "%s: %s %s %s\n", device, iommuctl_use_kind_name(kind),
	    object, u->detail);
	return 0;
}

static int add_watch(struct scan *s, dev_t dev, bool blk,
		     enum iommuctl_use_kind kind, const char *object,
		     const char *device)
{
	struct watch *w;
	size_t i;

	for (i = 0; i < s->nwatch; i++)
		if (s->watch[i].dev == dev && s->watch[i].blk == blk)
			return 0;
	if (array_grow(&s->watch, &s->capwatch, s->nwatch, sizeof(*s->watch)) <
	    0)
		return -ENOMEM;
	w = &s->watch[s->nwatch];
	w->dev = dev;
	w->blk = blk;
	w->kind = kind;
	w->object = strdup(object);
	w->device = strdup(device);
	if (!w->object || !w->device) {
		free(w->object);
		free(w->device);
		return -ENOMEM;
	}
	s->nwatch++;
	return 0;
}

/* A sysfs attribute holding "MAJ:MIN": 0, -ENOENT, -EINVAL, -ENOMEM. */
static int read_devnum(struct iommuctl_ctx *ctx, const char *path, dev_t *out)
{
	char *v;
	int rc;

	rc = sysfs_read_str(ctx, path, &v);
	if (rc < 0)
		return rc;
	rc = usage_parse_devnum(v, out);
	if (rc < 0)
		dbg(ctx, "%s: malformed device number '%s'\n", path, v);
	free(v);
	return rc;
}

/* Read @path a line at a time (no limit on the file, one on a line). */
static int for_each_line(struct iommuctl_ctx *ctx, const char *path,
			 int (*fn)(struct scan *s, const char *line),
			 struct scan *s)
{
	struct lines l;
	size_t len;
	char *line;
	int fd, rc;

	fd = sysfs_open(ctx, path, O_RDONLY);
	if (fd < 0)
		return fd;
	lines_init_fd(&l, fd, SYSFS_FILE_MAX);
	while ((rc = lines_next(&l, &line, &len)) > 0) {
		if (strlen(line) != len) {
			dbg(ctx, "%s: a line with NUL bytes, skipped\n", path);
			continue;
		}
		rc = fn(s, line);
		if (rc < 0)
			break;
	}
	if (rc == -E2BIG) {
		err(ctx, "%s: a line longer than %zu bytes\n", path,
		    (size_t)SYSFS_FILE_MAX);
		rc = -EFBIG;
	}
	lines_free(&l);
	close(fd);
	return rc < 0 ? rc : 0;
}

/* stat() that does not wait for a network filesystem's server. */
static int stat_node(int dirfd, const char *path, dev_t *rdev, bool *blk)
{
	struct statx stx;

	if (statx(dirfd, path, AT_STATX_DONT_SYNC, STATX_TYPE, &stx) < 0)
		return -errno;
	if (!S_ISBLK(stx.stx_mode) && !S_ISCHR(stx.stx_mode))
		return -ENODEV;
	*rdev = makedev(stx.stx_rdev_major, stx.stx_rdev_minor);
	*blk = S_ISBLK(stx.stx_mode);
	return 0;
}

/* The device number of block device node @path, or 0 when it is none. */
static dev_t block_rdev(const char *path)
{
	dev_t rdev;
	bool blk;

	if (stat_node(AT_FDCWD, path, &rdev, &blk) < 0 || !blk)
		return 0;
	return rdev;
}

static int mount_line(struct scan *s, const char *line)
{
	struct mount_ent e = { 0 };
	int rc;

	rc = usage_parse_mountinfo_line(line, &e.m);
	if (rc == -EINVAL) {
		dbg(s->ctx, "mountinfo: malformed line '%s'\n", line);
		return 0;
	}
	if (rc < 0)
		return rc;
	/* btrfs and others show an anonymous device: the source says more */
	if (!strncmp(e.m.source, "/dev/", 5))
		e.rdev = block_rdev(e.m.source);
	rc = array_grow(&s->mounts, &s->capmounts, s->nmounts,
			sizeof(*s->mounts));
	if (rc < 0) {
		usage_mount_clear(&e.m);
		return rc;
	}
	s->mounts[s->nmounts++] = e;
	return 0;
}

static int swap_line(struct scan *s, const char *line)
{
	struct swap_ent e = { 0 };
	int rc;

	rc = usage_parse_swaps_line(line, &e.path);
	if (rc <= 0)
		return rc;
	e.rdev = block_rdev(e.path);
	if (array_grow(&s->swaps, &s->capswaps, s->nswaps, sizeof(*s->swaps)) <
	    0) {
		free(e.path);
		return -ENOMEM;
	}
	s->swaps[s->nswaps++] = e;
	return 0;
}

static int load_block_tables(struct scan *s)
{
	int rc;

	rc = for_each_line(s->ctx, "/proc/self/mountinfo", mount_line, s);
	if (rc < 0) {
		err(s->ctx, "/proc/self/mountinfo: %s\n", strerror(-rc));
		return rc;
	}
	rc = for_each_line(s->ctx, "/proc/swaps", swap_line, s);
	if (rc == -ENOENT) /* a kernel without swap */
		rc = 0;
	if (rc < 0)
		err(s->ctx, "/proc/swaps: %s\n", strerror(-rc));
	return rc;
}

static int check_block(struct scan *s, const char *name, const char *device,
		       int depth);

/* A block device a holder is built on (or a partition of a holder). */
static int check_block_again(struct scan *s, const char *name,
			     const char *device, int depth)
{
	int rc;

	if (strv_contains(&s->visited_blk, name))
		return 0;
	rc = strv_push(&s->visited_blk, name);
	if (rc < 0)
		return rc;
	if (depth > USAGE_MAX_DEPTH) {
		dbg(s->ctx,
		    "%s: block devices stacked too deep, not followed\n", name);
		return 0;
	}
	return check_block(s, name, device, depth);
}

/* The dm and md devices built on @name, and their own uses. */
static int check_holders(struct scan *s, const char *name, const char *device,
			 int depth)
{
	struct strv holders = { 0 };
	char *p, *dmname;
	size_t i, j;
	int rc;

	p = path_fmt("/sys/class/block/%s/holders", name);
	if (!p)
		return -ENOMEM;
	rc = sysfs_list(s->ctx, p, &holders);
	free(p);
	if (rc < 0) {
		strv_free(&holders);
		return rc == -ENOMEM ? rc : 0;
	}
	for (i = 0; i < holders.n && rc == 0; i++) {
		const char *h = holders.v[i];

		dmname = NULL;
		p = path_fmt("/sys/class/block/%s/dm/name", h);
		if (!p) {
			rc = -ENOMEM;
			break;
		}
		if (sysfs_read_str(s->ctx, p, &dmname) == 0 && *dmname)
			rc = add_use(s, IOMMUCTL_USE_HOLDER, device, name,
				     "part of %s (%s)", h, dmname);
		else
			rc = add_use(s, IOMMUCTL_USE_HOLDER, device, name,
				     "part of %s", h);
		free(dmname);
		free(p);
		if (rc == 0)
			rc = check_block_again(s, h, device, depth + 1);
		/* its partitions: md0p1 lies below md0 */
		for (j = 0; j < s->blk_names.n && rc == 0; j++)
			if (strcmp(s->blk_names.v[j], h) &&
			    usage_path_below(s->blk_targets.v[j], h))
				rc = check_block_again(s, s->blk_names.v[j],
						       device, depth + 1);
	}
	strv_free(&holders);
	return rc;
}

static int check_block(struct scan *s, const char *name, const char *device,
		       int depth)
{
	char *devname, *p;
	dev_t dev;
	size_t i;
	int rc;

	p = path_fmt("/sys/class/block/%s/dev", name);
	if (!p)
		return -ENOMEM;
	rc = read_devnum(s->ctx, p, &dev);
	free(p);
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0) {
		dbg(s->ctx, "%s: no device number, skipped\n", name);
		return 0;
	}
	devname = path_join("/dev", name);
	if (!devname)
		return -ENOMEM;
	for (i = 0; i < s->nmounts && rc == 0; i++) {
		struct mount_ent *e = &s->mounts[i];

		if (e->m.dev == dev || (e->rdev && e->rdev == dev) ||
		    !strcmp(e->m.source, devname))
			rc = add_use(s, IOMMUCTL_USE_MOUNT, device, name,
				     "mounted on %s", e->m.mountpoint);
	}
	for (i = 0; i < s->nswaps && rc == 0; i++)
		if ((s->swaps[i].rdev && s->swaps[i].rdev == dev) ||
		    !strcmp(s->swaps[i].path, devname))
			rc = add_use(s, IOMMUCTL_USE_SWAP, device, name,
				     "active swap");
	free(devname);
	if (rc == 0)
		rc = add_watch(s, dev, true, IOMMUCTL_USE_OPEN, name, device);
	if (rc == 0)
		rc = check_holders(s, name, device, depth);
	return rc;
}

/* Adds the interface of a default route line to @v, once */
static int route_add(struct strv *v,
		     int (*parse)(const char *line, char **ifname),
		     const char *line)
{
	char *ifname;
	int rc = parse(line, &ifname);

	if (rc <= 0)
		return rc;
	if (strv_contains(v, ifname)) {
		free(ifname);
		return 0;
	}
	return strv_push_take(v, ifname);
}

static int route4_cb(struct scan *s, const char *line)
{
	return route_add(&s->def4, usage_route4_line, line);
}

static int route6_cb(struct scan *s, const char *line)
{
	return route_add(&s->def6, usage_route6_line, line);
}

static int load_net_tables(struct scan *s)
{
	int rc;

	if (getifaddrs(&s->ifa) < 0) {
		rc = -errno;
		s->ifa = NULL;
		err(s->ctx, "getifaddrs: %s\n", strerror(-rc));
		return rc;
	}
	/* no file: a kernel without IPv4 or IPv6 */
	rc = for_each_line(s->ctx, "/proc/net/route", route4_cb, s);
	if (rc < 0 && rc != -ENOENT) {
		err(s->ctx, "/proc/net/route: %s\n", strerror(-rc));
		return rc;
	}
	rc = for_each_line(s->ctx, "/proc/net/ipv6_route", route6_cb, s);
	if (rc < 0 && rc != -ENOENT) {
		err(s->ctx, "/proc/net/ipv6_route: %s\n", strerror(-rc));
		return rc;
	}
	return 0;
}

static int append(char **str, const char *sep, const char *item)
{
	char *n;

	if (asprintf(&n, "%s%s%s", *str ? *str : "", *str ? sep : "", item) < 0)
		return -ENOMEM;
	free(*str);
	*str = n;
	return 0;
}

/* "10.0.2.15/24, fd00::1/64" (IPv6 link-local left out), NULL for none. */
static int if_addresses(struct scan *s, const char *ifname, char **out)
{
	size_t len = strlen(ifname);
	struct ifaddrs *a;
	char addr[INET6_ADDRSTRLEN], item[INET6_ADDRSTRLEN + 16];
	int rc = 0;

	*out = NULL;
	for (a = s->ifa; a && rc == 0; a = a->ifa_next) {
		const void *ip, *mask = NULL;
		size_t mlen;
		int family, prefix = -1;

		/* IPv4 labels are "eth0" or an alias "eth0:1" */
		if (!a->ifa_addr || !a->ifa_name ||
		    strncmp(a->ifa_name, ifname, len) ||
		    (a->ifa_name[len] && a->ifa_name[len] != ':'))
			continue;
		family = a->ifa_addr->sa_family;
		if (family == AF_INET) {
			ip = &((const struct sockaddr_in *)(const void *)
				       a->ifa_addr)
				      ->sin_addr;
			if (a->ifa_netmask)
				mask = &((const struct sockaddr_in
						  *)(const void *)a->ifa_netmask)
						->sin_addr;
			mlen = 4;
		} else if (family == AF_INET6) {
			const struct in6_addr *in6 =
				&((const struct sockaddr_in6 *)(const void *)
					  a->ifa_addr)
					 ->sin6_addr;

			/* fe80::/10: every interface that is up has one */
			if (in6->s6_addr[0] == 0xfe &&
			    (in6->s6_addr[1] & 0xc0) == 0x80)
				continue;
			ip = in6;
			if (a->ifa_netmask)
				mask = &((const struct sockaddr_in6
						  *)(const void *)a->ifa_netmask)
						->sin6_addr;
			mlen = 16;
		} else {
			continue;
		}
		if (!inet_ntop(family, ip, addr, sizeof(addr)))
			continue;
		if (mask)
			prefix = usage_mask_prefix(mask, mlen);
		if (prefix >= 0)
			snprintf(item, sizeof(item), "%s/%d", addr, prefix);
		else
			snprintf(item, sizeof(item), "%s", addr);
		rc = append(out, ", ", item);
	}
	if (rc < 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

/* @ifname below the device, or (with @lower) an interface on top of it. */
static int check_net(struct scan *s, const char *ifname, const char *device,
		     const char *lower, int depth)
{
	struct strv ents = { 0 };
	char *p, *v = NULL, *addrs = NULL, *via = NULL, *end;
	unsigned long flags = 0;
	size_t i;
	int rc;

	via = lower ? path_fmt(" (over %s)", lower) : strdup("");
	p = path_fmt("/sys/class/net/%s/flags", ifname);
	if (!via || !p) {
		rc = -ENOMEM;
		goto out;
	}
	rc = sysfs_read_str(s->ctx, p, &v);
	if (rc == -ENOMEM)
		goto out;
	if (rc == 0) {
		errno = 0;
		flags = strtoul(v, &end, 16);
		if (errno || end == v || *end) {
			dbg(s->ctx, "%s: malformed '%s'\n", p, v);
			flags = 0;
		}
	}
	if (flags & IFF_UP) {
		rc = if_addresses(s, ifname, &addrs);
		if (rc < 0)
			goto out;
		if (addrs) {
			rc = add_use(s, IOMMUCTL_USE_NETIF, device, ifname,
				     "up with %s%s", addrs, via);
			if (rc < 0)
				goto out;
		}
	}
	rc = 0;
	if (strv_contains(&s->def4, ifname))
		rc = add_use(s, IOMMUCTL_USE_ROUTE, device, ifname,
			     "the default route%s", via);
	if (rc == 0 && strv_contains(&s->def6, ifname))
		rc = add_use(s, IOMMUCTL_USE_ROUTE, device, ifname,
			     "the IPv6 default route%s", via);
	if (rc < 0)
		goto out;
	/* bridges, bonds, VLANs on top: "upper_br0" links */
	free(p);
	p = path_join("/sys/class/net", ifname);
	if (!p) {
		rc = -ENOMEM;
		goto out;
	}
	rc = sysfs_list(s->ctx, p, &ents);
	if (rc < 0) {
		rc = rc == -ENOMEM ? rc : 0;
		goto out;
	}
	for (i = 0; i < ents.n && rc == 0; i++) {
		const char *up;

		if (strncmp(ents.v[i], "upper_", 6))
			continue;
		up = ents.v[i] + 6;
		if (!*up || strv_contains(&s->visited_net, up))
			continue;
		rc = strv_push(&s->visited_net, up);
		if (rc < 0)
			break;
		if (depth + 1 > USAGE_MAX_DEPTH) {
			dbg(s->ctx, "%s: interfaces stacked too deep\n", up);
			continue;
		}
		rc = check_net(s, up, device, lower ? lower : ifname,
			       depth + 1);
	}
out:
	strv_free(&ents);
	free(p);
	free(v);
	free(addrs);
	free(via);
	return rc;
}

static bool is_vt_name(const char *name)
{
	/* "tty0" .. "tty63": virtual terminals; "ttyS0" is not one */
	return !strncmp(name, "tty", 3) && name[3] &&
	       strspn(name + 3, "0123456789") == strlen(name + 3);
}

/* Which of the bound VT console drivers are there: fbcon, vgacon. */
static int vt_drivers(struct scan *s, bool *fb, bool *vga)
{
	struct strv cons = { 0 };
	char *p, *v;
	size_t i;
	int rc;

	*fb = *vga = false;
	rc = sysfs_list(s->ctx, "/sys/class/vtconsole", &cons);
	if (rc < 0) {
		strv_free(&cons);
		return rc == -ENOMEM ? rc : 0;
	}
	for (i = 0; i < cons.n; i++) {
		bool bound = false;

		p = path_fmt("/sys/class/vtconsole/%s/bind", cons.v[i]);
		if (!p) {
			rc = -ENOMEM;
			break;
		}
		if (sysfs_read_str(s->ctx, p, &v) == 0) {
			bound = !strcmp(v, "1");
			free(v);
		}
		free(p);
		if (!bound)
			continue;
		p = path_fmt("/sys/class/vtconsole/%s/name", cons.v[i]);
		if (!p) {
			rc = -ENOMEM;
			break;
		}
		/* "(S) frame buffer device", "(S) VGA+" */
		if (sysfs_read_str(s->ctx, p, &v) == 0) {
			if (strstr(v, "frame buffer"))
				*fb = true;
			if (strstr(v, "VGA"))
				*vga = true;
			free(v);
		}
		free(p);
	}
	strv_free(&cons);
	return rc;
}

static int check_console(struct scan *s)
{
	struct strv names = { 0 };
	struct iommuctl_device *d;
	char *text = NULL, *p, *v;
	bool vt = false, fb, vga;
	size_t i, j;
	int rc;

	rc = sysfs_read_str(s->ctx, "/sys/class/tty/console/active", &text);
	if (rc < 0)
		return rc == -ENOMEM ? rc : 0;
	rc = usage_parse_console_active(text, &names);
	free(text);
	for (i = 0; i < names.n && rc == 0; i++) {
		if (is_vt_name(names.v[i])) {
			vt = true;
			continue;
		}
		/* sysfs names say '!' for the '/' of a device name */
		for (p = names.v[i]; *p; p++)
			if (*p == '/')
				*p = '!';
		for (j = 0; j < s->nnodes && rc == 0; j++)
			if (!strcmp(s->nodes[j].cls, "tty") &&
			    !strcmp(s->nodes[j].name, names.v[i]))
				rc = add_use(s, IOMMUCTL_USE_CONSOLE,
					     s->nodes[j].func, s->nodes[j].name,
					     "the system console");
	}
	strv_free(&names);
	if (rc < 0 || !vt)
		return rc;
	rc = vt_drivers(s, &fb, &vga);
	for (j = 0; j < s->nnodes && rc == 0 && fb; j++)
		if (!strcmp(s->nodes[j].cls, "graphics") &&
		    !strncmp(s->nodes[j].name, "fb", 2))
			rc = add_use(s, IOMMUCTL_USE_CONSOLE, s->nodes[j].func,
				     s->nodes[j].name,
				     "the framebuffer console");
	/* the VGA text console is on the boot VGA device */
	for (d = s->ctx->devices; d && rc == 0 && vga; d = d->next) {
		if (!d->is_pci || !d->syspath ||
		    !usage_path_below(d->syspath, s->bdf))
			continue;
		p = path_fmt("/sys/bus/pci/devices/%s/boot_vga", d->name);
		if (!p)
			return -ENOMEM;
		if (sysfs_read_str(s->ctx, p, &v) == 0) {
			if (!strcmp(v, "1"))
				rc = add_use(s, IOMMUCTL_USE_CONSOLE, d->name,
					     d->name, "the VGA text console");
			free(v);
		}
		free(p);
	}
	return rc;
}

/* The IOMMU group of @d as sysfs says now: 0, -ENOENT, -ENOMEM. */
static int group_of(struct scan *s, struct iommuctl_device *d, long *grp)
{
	char *p, *v = NULL, *end;
	int rc;

	if (!d->is_pci) {
		*grp = d->group;
		return d->group >= 0 ? 0 : -ENOENT;
	}
	p = path_fmt("/sys/bus/pci/devices/%s/iommu_group", d->name);
	if (!p)
		return -ENOMEM;
	rc = sysfs_link_basename(s->ctx, p, &v);
	free(p);
	if (rc < 0)
		return rc == -ENOMEM ? rc : -ENOENT;
	errno = 0;
	*grp = strtol(v, &end, 10);
	if (errno || end == v || *end || *grp < 0 || *grp > 0x7fffffff)
		rc = -ENOENT;
	free(v);
	return rc;
}

/* The character device of VFIO group @grp: 0, -ENOENT, -ENOMEM. */
static int group_devnum(struct scan *s, long grp, dev_t *dev)
{
	static const char *const prefixes[] = { "", "noiommu-" };
	bool blk;
	char *p;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		p = path_fmt("/sys/class/vfio/%s%ld/dev", prefixes[i], grp);
		if (!p)
			return -ENOMEM;
		rc = read_devnum(s->ctx, p, dev);
		free(p);
		if (rc == 0 || rc == -ENOMEM)
			return rc;
	}
	p = path_fmt("/dev/vfio/%ld", grp);
	if (!p)
		return -ENOMEM;
	rc = stat_node(AT_FDCWD, p, dev, &blk);
	free(p);
	return rc == 0 && !blk ? 0 : -ENOENT;
}

/* The legacy VFIO group nodes of the device and the functions below it. */
static int watch_groups(struct scan *s)
{
	struct iommuctl_device *d;
	char *obj;
	dev_t dev;
	long grp;
	int rc = 0;

	for (d = s->ctx->devices; d && rc == 0; d = d->next) {
		if (d != s->dev && (!d->is_pci || !d->syspath ||
				    !usage_path_below(d->syspath, s->bdf)))
			continue;
		rc = group_of(s, d, &grp);
		if (rc == 0)
			rc = group_devnum(s, grp, &dev);
		if (rc == -ENOENT) { /* no group, or no VFIO driver holds it */
			rc = 0;
			continue;
		}
		if (rc < 0)
			break;
		obj = path_fmt("vfio group %ld", grp);
		if (!obj)
			return -ENOMEM;
		rc = add_watch(s, dev, false, IOMMUCTL_USE_OPEN, obj, d->name);
		free(obj);
	}
	return rc;
}

/* /proc/PID/comm, with control characters replaced; NULL if gone. */
static char *read_comm(struct scan *s, pid_t pid)
{
	char *p = path_fmt("/proc/%d/comm", (int)pid), *v = NULL, *c;

	if (!p)
		return NULL;
	if (sysfs_read_str(s->ctx, p, &v) < 0)
		v = NULL;
	free(p);
	for (c = v; c && *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return v;
}

static int scan_pid(struct scan *s, pid_t pid, bool *hit, unsigned int *denied)
{
	struct dirent *de;
	char *p, *comm = NULL;
	bool blk, got_comm = false;
	dev_t rdev;
	DIR *dir;
	size_t i;
	int fd, rc = 0;

	p = path_fmt("/proc/%d/fd", (int)pid);
	if (!p)
		return -ENOMEM;
	fd = sysfs_open(s->ctx, p, O_RDONLY | O_DIRECTORY);
	free(p);
	if (fd < 0) {
		/* gone (ENOENT, ESRCH), or not ours to look at */
		if (fd == -EACCES || fd == -EPERM)
			(*denied)++;
		return fd == -ENOMEM ? fd : 0;
	}
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return errno == ENOMEM ? -ENOMEM : 0;
	}
	memset(hit, 0, s->nwatch * sizeof(*hit));
	while ((de = readdir(dir)) && rc == 0) {
		if (de->d_name[0] == '.' ||
		    stat_node(dirfd(dir), de->d_name, &rdev, &blk) < 0)
			continue;
		for (i = 0; i < s->nwatch && rc == 0; i++) {
			struct watch *w = &s->watch[i];

			if (hit[i] || w->dev != rdev || w->blk != blk)
				continue;
			hit[i] = true;
			if (!got_comm) {
				comm = read_comm(s, pid);
				got_comm = true;
			}
			if (comm)
				rc = add_use(s, w->kind, w->device, w->object,
					     "open by pid %d (%s)", (int)pid,
					     comm);
			else
				rc = add_use(s, w->kind, w->device, w->object,
					     "open by pid %d", (int)pid);
		}
	}
	closedir(dir);
	free(comm);
	return rc;
}

static int scan_procs(struct scan *s)
{
	unsigned int denied = 0;
	struct dirent *de;
	unsigned long pid;
	pid_t self = getpid();
	bool *hit;
	DIR *dir;
	int fd, rc = 0;

	if (!s->nwatch)
		return 0;
	hit = calloc(s->nwatch, sizeof(*hit));
	if (!hit)
		return -ENOMEM;
	fd = sysfs_open(s->ctx, "/proc", O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		err(s->ctx, "/proc: %s\n", strerror(-fd));
		free(hit);
		return fd;
	}
	dir = fdopendir(fd);
	if (!dir) {
		rc = -errno;
		close(fd);
		free(hit);
		return rc;
	}
	for (;;) {
		errno = 0;
		de = readdir(dir);
		if (!de) {
			if (errno) {
				rc = -errno;
				err(s->ctx, "/proc: %s\n", strerror(errno));
			}
			break;
		}
		if (parse_uint(de->d_name, strlen(de->d_name), 0x7fffffff,
			       &pid) ||
		    (pid_t)pid == self)
			continue;
		rc = scan_pid(s, (pid_t)pid, hit, &denied);
		if (rc < 0)
			break;
	}
	closedir(dir);
	free(hit);
	if (denied)
		info(s->ctx,
		     "the open files of %u processes could not be read\n",
		     denied);
	return rc;
}

static int add_node(struct scan *s, const char *cls, const char *name,
		    const char *linkpath, char *func)
{
	struct node *n;
	char *p;
	int rc;

	if (array_grow(&s->nodes, &s->capnodes, s->nnodes, sizeof(*s->nodes)) <
	    0) {
		free(func);
		return -ENOMEM;
	}
	n = &s->nodes[s->nnodes++];
	memset(n, 0, sizeof(*n));
	n->func = func;
	n->cls = strdup(cls);
	n->name = strdup(name);
	if (!n->cls || !n->name)
		return -ENOMEM;
	p = path_join(linkpath, "dev");
	if (!p)
		return -ENOMEM;
	rc = read_devnum(s->ctx, p, &n->dev);
	free(p);
	if (rc == -ENOMEM)
		return rc;
	n->has_dev = rc == 0;
	return 0;
}

/*
 * A namespace of an NVMe subsystem that can have several controllers
 * (nvme0n1, not the hidden per-path nvme0c0n1) lies below the virtual
 * nvme-subsystem device, which links to its controllers: it is below the
 * device when one of them is. 0 and the function, -ENOENT, -ENOMEM.
 */
static int nvme_subsys_function(struct scan *s, const char *target, char **func)
{
	struct strv ents = { 0 };
	const char *c = target, *end = target;
	char *dir, *lp, *ctarget;
	size_t i;
	int rc = -ENOENT;

	for (; *c; c = *end ? end + 1 : end) {
		end = strchrnul(c, '/');
		/* "nvme-subsys0", not the class directory "nvme-subsystem" */
		if (end - c > 11 && !strncmp(c, "nvme-subsys", 11) &&
		    strspn(c + 11, "0123456789") == (size_t)(end - c - 11))
			break;
	}
	if (!*c)
		return -ENOENT;
	dir = path_fmt("/sys/class/block/%.*s", (int)(end - target), target);
	if (!dir)
		return -ENOMEM;
	if (sysfs_list(s->ctx, dir, &ents) == -ENOMEM)
		rc = -ENOMEM;
	for (i = 0; i < ents.n && rc == -ENOENT; i++) {
		const char *e = ents.v[i];

		/* the links to the controllers: "nvme0" */
		if (strncmp(e, "nvme", 4) || !e[4] ||
		    strspn(e + 4, "0123456789") != strlen(e + 4))
			continue;
		lp = path_join(dir, e);
		if (!lp) {
			rc = -ENOMEM;
			break;
		}
		if (sysfs_readlink(s->ctx, lp, &ctarget) == 0) {
			rc = usage_path_function(ctarget, s->bdf, func);
			free(ctarget);
		}
		free(lp);
	}
	strv_free(&ents);
	free(dir);
	return rc;
}

static int scan_class(struct scan *s, const char *cls)
{
	struct strv ents = { 0 };
	char *dir, *lp, *target, *func;
	bool block = !strcmp(cls, "block");
	size_t i;
	int rc;

	dir = path_join("/sys/class", cls);
	if (!dir)
		return -ENOMEM;
	rc = sysfs_list(s->ctx, dir, &ents);
	if (rc < 0) {
		rc = rc == -ENOMEM ? rc : 0;
		goto out;
	}
	for (i = 0; i < ents.n && rc == 0; i++) {
		lp = path_join(dir, ents.v[i]);
		if (!lp) {
			rc = -ENOMEM;
			break;
		}
		rc = sysfs_readlink(s->ctx, lp, &target);
		if (rc < 0) { /* a file like net/bonding_masters */
			free(lp);
			rc = rc == -ENOMEM ? rc : 0;
			continue;
		}
		if (block) {
			rc = strv_push(&s->blk_names, ents.v[i]);
			if (rc == 0)
				rc = strv_push(&s->blk_targets, target);
		}
		if (rc == 0) {
			rc = usage_path_function(target, s->bdf, &func);
			if (rc == -ENOENT && block)
				rc = nvme_subsys_function(s, target, &func);
			if (rc == 0)
				rc = add_node(s, cls, ents.v[i], lp, func);
			else if (rc == -ENOENT)
				rc = 0;
		}
		free(target);
		free(lp);
	}
out:
	strv_free(&ents);
	free(dir);
	return rc;
}

static int scan_classes(struct scan *s)
{
	struct strv classes = { 0 };
	size_t i;
	int rc;

	rc = sysfs_list(s->ctx, "/sys/class", &classes);
	if (rc < 0) {
		strv_free(&classes);
		if (rc == -ENOENT)
			return 0;
		err(s->ctx, "/sys/class: %s\n", strerror(-rc));
		return rc;
	}
	for (i = 0; i < classes.n && rc == 0; i++)
		rc = scan_class(s, classes.v[i]);
	strv_free(&classes);
	return rc;
}

static int use_cmp(const void *pa, const void *pb)
{
	const struct iommuctl_use *a = pa, *b = pb;
	int c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	c = natural_cmp(a->object, b->object);
	if (!c)
		c = pci_name_cmp(a->device, b->device);
	if (!c)
		c = natural_cmp(a->detail, b->detail);
	return c;
}

static void scan_free(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->nnodes; i++) {
		free(s->nodes[i].cls);
		free(s->nodes[i].name);
		free(s->nodes[i].func);
	}
	free(s->nodes);
	for (i = 0; i < s->nwatch; i++) {
		free(s->watch[i].object);
		free(s->watch[i].device);
	}
	free(s->watch);
	for (i = 0; i < s->nmounts; i++)
		usage_mount_clear(&s->mounts[i].m);
	free(s->mounts);
	for (i = 0; i < s->nswaps; i++)
		free(s->swaps[i].path);
	free(s->swaps);
	strv_free(&s->blk_names);
	strv_free(&s->blk_targets);
	strv_free(&s->visited_blk);
	strv_free(&s->visited_net);
	strv_free(&s->def4);
	strv_free(&s->def6);
	if (s->ifa)
		freeifaddrs(s->ifa);
}

static int scan_all(struct scan *s)
{
	bool blocks = false, nets = false;
	size_t i;
	int rc;

	rc = scan_classes(s);
	for (i = 0; i < s->nnodes && rc == 0; i++) {
		struct node *n = &s->nodes[i];

		if (!strcmp(n->cls, "block")) {
			if (!blocks) {
				blocks = true;
				rc = load_block_tables(s);
				if (rc < 0)
					break;
			}
			rc = strv_push(&s->visited_blk, n->name);
			if (rc == 0)
				rc = check_block(s, n->name, n->func, 0);
		} else if (!strcmp(n->cls, "net")) {
			if (!nets) {
				nets = true;
				rc = load_net_tables(s);
				if (rc < 0)
					break;
			}
			rc = strv_push(&s->visited_net, n->name);
			if (rc == 0)
				rc = check_net(s, n->name, n->func, NULL, 0);
		}
	}
	if (rc == 0)
		rc = check_console(s);
	/* every device node below: ttys, VFIO cdevs, DRM, input, sound... */
	for (i = 0; i < s->nnodes && rc == 0; i++) {
		struct node *n = &s->nodes[i];

		if (n->has_dev)
			rc = add_watch(s, n->dev, !strcmp(n->cls, "block"),
				       !strcmp(n->cls, "drm") ?
					       IOMMUCTL_USE_DRM :
					       IOMMUCTL_USE_OPEN,
				       n->name, n->func);
	}
	if (rc == 0)
		rc = watch_groups(s);
	if (rc == 0)
		rc = scan_procs(s);
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_device_get_uses(struct iommuctl_device *dev,
					     struct iommuctl_use **out,
					     size_t *n)
{
	struct scan s = { 0 };
	size_t i, j;
	int rc;

	if (!dev || !out || !n)
		return -EINVAL;
	*out = NULL;
	*n = 0;
	if (dev->ctx->offline)
		return -EOPNOTSUPP;
	s.ctx = dev->ctx;
	s.dev = dev;
	s.bdf = dev->name;
	rc = scan_all(&s);
	scan_free(&s);
	if (rc < 0) {
		iommuctl_uses_free(s.uses, s.n);
		return rc;
	}
	if (!s.n) {
		free(s.uses);
		return 0;
	}
	qsort(s.uses, s.n, sizeof(*s.uses), use_cmp);
	/* the same mount seen through two paths, the same opener twice */
	for (i = 1, j = 0; i < s.n; i++) {
		if (!use_cmp(&s.uses[i], &s.uses[j])) {
			free(s.uses[i].device);
			free(s.uses[i].object);
			free(s.uses[i].detail);
			continue;
		}
		s.uses[++j] = s.uses[i];
	}
	*out = s.uses;
	*n = j + 1;
	return 0;
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
