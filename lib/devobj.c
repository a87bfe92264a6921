// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Devices in a session: VFIO cdevs bound to the iommufd, selftest mock
 * devices, their attachments, and selftest accesses (in-kernel IOAS users).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>

#include "private.h"
#include "abi/iommufd.h"
#include "abi/vfio.h"

#define MOCK_ACCESS_RW_WRITE 0x1
#define MOCK_ACCESS_PAGES_WRITE 0x1

static struct iommuctl_obj *ioas_of(struct iommuctl_obj *pt)
{
	if (!pt)
		return NULL;
	if (pt->type == IOMMUCTL_OBJ_IOAS)
		return pt;
	if (pt->type == IOMMUCTL_OBJ_HWPT_PAGING)
		return pt->ioas;
	if (pt->type == IOMMUCTL_OBJ_HWPT_NESTED && pt->parent)
		return pt->parent->ioas;
	return NULL;
}

/* Mock devices: the selftest sysfs name of the newest mock (best effort). */
static char *mock_name(struct iommuctl_session *s)
{
	struct strv names = { 0 };
	char *best = NULL;
	size_t i;

	if (sysfs_list(s->ctx, "/sys/bus/iommufd_mock/devices", &names) < 0)
		return NULL;
	for (i = 0; i < names.n; i++) {
		struct iommuctl_obj *o;
		bool used = false;

		for (o = s->first; o; o = o->next)
			if (o->dev_name && !strcmp(o->dev_name, names.v[i]))
				used = true;
		if (!used && (!best || natural_cmp(names.v[i], best) > 0))
			best = names.v[i];
	}
	best = best ? strdup(best) : NULL;
	strv_free(&names);
	return best;
}

/* A zeroed selftest command @op on object @id */
static void test_cmd_init(struct ic_iommu_test_cmd *t, uint32_t op, uint32_t id)
{
	memset(t, 0, sizeof(*t));
	t->op = op;
	t->id = id;
}

static int mock_attach_raw(struct iommuctl_session *s, uint32_t pt_id,
			   uint32_t flags, struct ic_iommu_test_cmd *t)
{
	test_cmd_init(t,
		      flags ? IC_IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS :
			      IC_IOMMU_TEST_OP_MOCK_DOMAIN,
		      pt_id);
	if (flags)
		t->mock_domain_flags.dev_flags = flags;
	return ses_test_cmd(s, t);
}

/*
 * The IOVA ranges a mock device with @flags allows (@r/@n, if not NULL),
 * learned by attaching a throw-away mock to a throw-away IOAS; both are
 * destroyed again. 0 if the mock could be made, the kernel's -errno if not.
 */
static int mock_aperture(struct iommuctl_session *s, uint32_t flags,
			 struct iommuctl_iova_range **r, size_t *n)
{
	struct iommuctl_obj *tmp = NULL;
	struct ic_iommu_test_cmd t;
	const void *owner;
	char *saved;
	int rc;

	saved = ctx_error_take(s->ctx, &owner);
	rc = iommuctl_ioas_alloc(s, &tmp);
	if (rc == 0 && (rc = mock_attach_raw(s, tmp->id, flags, &t)) == 0) {
		if (r)
			rc = iommuctl_ioas_ranges(tmp, r, n, NULL);
		ses_destroy_id(s, t.mock_domain.out_stdev_id);
	}
	if (tmp) {
		ses_destroy_id(s, tmp->id);
		ses_obj_free(tmp);
	}
	ctx_error_set(s->ctx, owner, saved);
	return rc;
}

static bool inside(const struct iommuctl_iova_range *r, size_t n,
		   uint64_t first, uint64_t last)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (first >= r[i].start && last <= r[i].last)
			return true;
	return false;
}

/* EADDRINUSE/EINVAL on attach: which mapping or allowed range collides. */
void ses_explain_attach(struct iommuctl_obj *dev, struct iommuctl_obj *pt,
			int rc)
{
	struct iommuctl_session *s = dev->s;
	struct iommuctl_obj *ioas = ioas_of(pt), *x;
	struct iommuctl_iova_range *ok = NULL;
	size_t nok = 0, i;

	for (x = s->first; x; x = x->next) {
		/* one IOMMU group, one hwpt (VFIO devices) */
		if (x != dev && x->type == IOMMUCTL_OBJ_DEVICE && !x->mock &&
		    !dev->mock && x->attached && rc == -EINVAL) {
			struct iommuctl_device *a = iommuctl_device_get_by_name(
				s->ctx, x->dev_name);
			struct iommuctl_device *b = iommuctl_device_get_by_name(
				s->ctx, dev->dev_name);

			if (a && b && iommuctl_device_get_group_id(a) >= 0 &&
			    iommuctl_device_get_group_id(a) ==
				    iommuctl_device_get_group_id(b) &&
			    x->attached != pt) {
				ses_why(s,
					"%s shares IOMMU group %d with %s, which is attached to %s; devices of one group must use the same hwpt",
					iommuctl_obj_label(dev),
					iommuctl_device_get_group_id(a),
					iommuctl_obj_label(x),
					iommuctl_obj_label(x->attached));
				return;
			}
		}
	}
	if (!ioas || (rc != -EADDRINUSE && rc != -EINVAL))
		return;
	if (dev->mock) {
		if (mock_aperture(s, dev->flags, &ok, &nok) < 0)
			return;
	} else {
		/* a VFIO device: its group's reserved regions, from sysfs */
		struct iommuctl_device *d =
			iommuctl_device_get_by_name(s->ctx, dev->dev_name);
		struct iommuctl_group *g = NULL;
		const struct iommuctl_resv_region *rr;
		size_t nr;

		if (d && iommuctl_device_get_group_id(d) >= 0)
			g = iommuctl_group_get_by_id(
				s->ctx,
				(unsigned int)iommuctl_device_get_group_id(d));
		if (!g || iommuctl_group_get_resv_regions(g, &rr, &nr) < 0)
			return;
		for (i = 0; i < ioas->nmaps; i++) {
			const struct iommuctl_mapping *m = &ioas->maps[i].m;
			size_t k;

			for (k = 0; k < nr; k++)
				if (rr[k].start <= m->iova + m->length - 1 &&
				    rr[k].end >= m->iova) {
					ses_why(s,
						"mapping 0x%llx-0x%llx of %s overlaps reserved region 0x%llx-0x%llx (%s) of group %u, which %s needs kept free",
						(unsigned long long)m->iova,
						(unsigned long long)(m->iova +
								     m->length -
								     1),
						iommuctl_obj_label(ioas),
						(unsigned long long)rr[k].start,
						(unsigned long long)rr[k].end,
						iommuctl_resv_type_name(
							rr[k].type),
						iommuctl_group_get_id(g),
						iommuctl_obj_label(dev));
					return;
				}
		}
		for (i = 0; i < ioas->nallowed; i++) {
			size_t k;

			for (k = 0; k < nr; k++)
				if (rr[k].start <= ioas->allowed[i].last &&
				    rr[k].end >= ioas->allowed[i].start) {
					ses_why(s,
						"allowed range 0x%llx-0x%llx of %s overlaps reserved region 0x%llx-0x%llx (%s) of group %u",
						(unsigned long long)ioas
							->allowed[i]
							.start,
						(unsigned long long)ioas
							->allowed[i]
							.last,
						iommuctl_obj_label(ioas),
						(unsigned long long)rr[k].start,
						(unsigned long long)rr[k].end,
						iommuctl_resv_type_name(
							rr[k].type),
						iommuctl_group_get_id(g));
					return;
				}
		}
		return;
	}
	for (i = 0; i < ioas->nmaps; i++) {
		const struct iommuctl_mapping *m = &ioas->maps[i].m;

		if (!inside(ok, nok, m->iova, m->iova + m->length - 1)) {
			ses_why(s,
				"mapping 0x%llx-0x%llx of %s lies outside the IOVA aperture 0x%llx-0x%llx of %s's IOMMU",
				(unsigned long long)m->iova,
				(unsigned long long)(m->iova + m->length - 1),
				iommuctl_obj_label(ioas),
				nok ? (unsigned long long)ok[0].start : 0ULL,
				nok ? (unsigned long long)ok[nok - 1].last :
				      0ULL,
				iommuctl_obj_label(dev));
			goto out;
		}
	}
	for (i = 0; i < ioas->nallowed; i++) {
		if (!inside(ok, nok, ioas->allowed[i].start,
			    ioas->allowed[i].last)) {
			ses_why(s,
				"allowed range 0x%llx-0x%llx of %s reaches outside the IOVA aperture of %s's IOMMU",
				(unsigned long long)ioas->allowed[i].start,
				(unsigned long long)ioas->allowed[i].last,
				iommuctl_obj_label(ioas),
				iommuctl_obj_label(dev));
			goto out;
		}
	}
out:
	free(ok);
}

static int check_pt_for(struct iommuctl_session *s, struct iommuctl_obj *pt)
{
	int rc;

	if (!pt)
		return -EINVAL;
	if (pt->s != s)
		return -EINVAL;
	rc = ses_check_pt(pt, "the attach target");
	return rc;
}

/*
 * After an EINVAL: can this kernel make a mock device at all? Linux 6.12
 * gives a device without firmware description the driver of the first IOMMU
 * registered without a firmware node (iommu_ops_from_fwnode(NULL)). Where a
 * real IOMMU driver (VT-d, AMD-Vi) registered before the selftest's, that
 * driver does not take the mock device, which then has no IOMMU, and binding
 * it fails the cache-coherency check with EINVAL, whatever it attaches to.
 */
static void explain_no_mock(struct iommuctl_session *s)
{
	struct strv units = { 0 };
	const char *other = NULL;
	size_t i;
	int base = mock_aperture(s, 0, NULL, NULL);

	if (base != -EINVAL)
		return;
	if (sysfs_list(s->ctx, "/sys/class/iommu", &units) == 0)
		for (i = 0; i < units.n && !other; i++)
			if (strncmp(units.v[i], "iommufd_selftest", 16))
				other = units.v[i];
	ses_why(s,
		"this kernel cannot bind mock devices here: even one on a fresh IOAS is refused, because no IOMMU driver takes it. The kernel gives a mock device the driver of the first IOMMU registered (%s here), not the selftest's, so mock devices work only where no other IOMMU driver is active",
		other ? other : "another IOMMU");
	strv_free(&units);
}

/* The kernel gives an access no id: it is named access<N>, N one more than
 * the other accesses, or the next free. */
static int access_name(struct iommuctl_session *s, struct iommuctl_obj *o)
{
	struct iommuctl_obj *it;
	unsigned int n = 0;
	char name[32];

	for (it = s->first; it; it = it->next)
		n += it != o && it->ops == &access_ops;
	do
		snprintf(name, sizeof(name), "access%u", ++n);
	while (iommuctl_session_find(s, name));
	return iommuctl_obj_set_name(o, name);
}

/*
 * Whether the selftest has PASIDs for mock devices (Linux 6.15: the flag
 * MOCK_FLAGS_DEVICE_PASID and the PASID_ATTACH/REPLACE/DETACH/CHECK_HWPT
 * ops). PASID_CHECK_HWPT on object 0 answers ENOENT where the op exists and
 * EOPNOTSUPP (unknown op) before. -ENOTTY with the explanation if not.
 */
static int mock_pasid_ops(struct iommuctl_session *s)
{
	struct ic_iommu_test_cmd t;
	int rc = ses_need_selftest(s, "a mock device's PASIDs");

	if (rc < 0)
		return rc;
	test_cmd_init(&t, IC_IOMMU_TEST_OP_PASID_CHECK_HWPT, 0);
	rc = ses_test_cmd(s, &t);
	if (rc == -EOPNOTSUPP) {
		ses_why(s,
			"this kernel's selftest has no PASIDs for mock devices (MOCK_FLAGS_DEVICE_PASID and IOMMU_TEST_OP_PASID_ATTACH were added in Linux 6.15)");
		return -ENOTTY;
	}
	return 0;
}

/*
 * Two IOMMU drivers in one session (Linux 7.3: the selftest's mock devices
 * next to VT-d). Which kind of device's IOMMU made hwpt @h: 1 a mock's,
 * 0 a real device's, -1 unknown. An explicitly allocated hwpt records its
 * device; an automatic one is known by the devices attached to it.
 */
static bool device_holds(const struct iommuctl_obj *x,
			 const struct iommuctl_obj *o);

static int hwpt_kind(struct iommuctl_session *s, const struct iommuctl_obj *h)
{
	const struct iommuctl_obj *x;

	if (h->type == IOMMUCTL_OBJ_HWPT_NESTED && !h->device && h->parent)
		h = h->parent;
	if (h->device)
		return h->device->mock;
	for (x = s->first; x; x = x->next)
		if (x->type == IOMMUCTL_OBJ_DEVICE && device_holds(x, h))
			return x->mock;
	return -1;
}

/*
 * Refuses, before the kernel is asked, to move an attached device (@mock or
 * not, @label) onto a hwpt of another IOMMU driver. Seen with Linux 7.3.4
 * in the test VM (VT-d and the selftest): a first attach there is refused
 * with EINVAL (and an IOAS holding another driver's automatic hwpt gets a
 * second one), but a move (replace) is not checked: a mock device moved
 * onto VT-d's hwpt oopsed the kernel (NULL pointer dereference), a VT-d
 * device moved onto a mock's hwpt hung its CPU. -EXDEV with the why.
 * @mock: whether the device moved is a mock
 */
static int check_same_driver(struct iommuctl_session *s, bool mock,
			     struct iommuctl_obj *pt)
{
	int k;

	if (pt->type == IOMMUCTL_OBJ_IOAS || (k = hwpt_kind(s, pt)) < 0 ||
	    k == mock)
		return 0;
	ses_why(s,
		"%s is a hwpt of %s IOMMU driver; Linux 7.3 refuses attaching a device to another driver's hwpt (EINVAL) but not moving an attached one there, which crashes it (seen on 7.3.4: a mock moved onto VT-d's hwpt oopses, NULL pointer dereference; a VT-d device moved onto a mock's hwpt hangs the CPU), so iommuctl does not ask. Give each driver its own hwpt: attach to the IOAS (the kernel makes one per driver) or 'hwpt alloc --device DEV --ioas IOAS'",
		iommuctl_obj_label(pt),
		mock ? "a real device's" : "the selftest's");
	return -EXDEV;
}

/* After the kernel's EINVAL for a first attach to @pt: another driver's? */
static void explain_other_driver(struct iommuctl_session *s, bool mock,
				 const char *label, struct iommuctl_obj *pt)
{
	int k;

	if (pt->type == IOMMUCTL_OBJ_IOAS || (k = hwpt_kind(s, pt)) < 0 ||
	    k == mock)
		return;
	ses_why(s,
		"%s is a hwpt of %s IOMMU driver, and the kernel attaches %s only to hwpts of its own IOMMU driver (EINVAL); attach it to the IOAS (the kernel makes a hwpt for each driver) or to a hwpt allocated for it ('hwpt alloc --device DEV --ioas IOAS')",
		iommuctl_obj_label(pt),
		mock ? "a real device's" : "the selftest's", label);
}

/* What creating @what through the selftest needs first: arguments, a clear
 * error slot and a kernel with CONFIG_IOMMUFD_TEST. */
static int selftest_create_begin(struct iommuctl_session *s,
				 struct iommuctl_obj **out, const char *what)
{
	if (!s || !out)
		return -EINVAL;
	ses_clear(s);
	return ses_need_selftest(s, what);
}

IOMMUCTL_EXPORT int iommuctl_mock_device_create(struct iommuctl_session *s,
						struct iommuctl_obj *pt,
						uint32_t flags,
						struct iommuctl_obj **out)
{
	struct ic_iommu_test_cmd t;
	struct iommuctl_obj *o, *h;
	int rc;

	rc = selftest_create_begin(s, out, "a mock device");
	if (rc < 0)
		return rc;
	rc = check_pt_for(s, pt);
	if (rc < 0)
		return rc;
	if (flags & IOMMUCTL_DEV_MOCK_PASID) {
		rc = mock_pasid_ops(s);
		if (rc < 0)
			return rc;
	}
	rc = mock_attach_raw(s, pt->id, flags, &t);
	if (rc == -EOPNOTSUPP && flags)
		ses_why(s, "this kernel's mock devices do not know flags 0x%x",
			flags);
	if (rc == -EINVAL)
		explain_no_mock(s);
	if (rc == -EINVAL && !iommuctl_session_error(s))
		explain_other_driver(s, true, "a mock device", pt);
	if (rc == -EINVAL && !iommuctl_session_error(s) &&
	    (flags & IOMMUCTL_DEV_MOCK_HUGE_IOVA) &&
	    mock_aperture(s, IC_MOCK_FLAGS_DEVICE_HUGE_IOVA, NULL, NULL) ==
		    -EINVAL &&
	    mock_aperture(s, flags & ~IOMMUCTL_DEV_MOCK_HUGE_IOVA, NULL,
			  NULL) == 0) {
		/* seen on 7.3: EINVAL for the flag, whatever the IOAS */
		ses_why(s,
			"this kernel's selftest has no huge-IOVA mock devices: MOCK_FLAGS_DEVICE_HUGE_IOVA was removed in Linux 6.19, when the mock's page table moved to the generic page-table code (the kernel refuses the flag with EINVAL); create the mock without --huge-iova");
		return -ENOTTY;
	}
	if (rc < 0) {
		if (!iommuctl_session_error(s)) {
			/* explain with a placeholder device of the same kind */
			struct iommuctl_obj fake = { .s = s,
						     .type = IOMMUCTL_OBJ_DEVICE,
						     .mock = true,
						     .flags = flags,
						     .fd = -1 };

			fake.label = strdup("the mock device");
			ses_explain_attach(&fake, pt, rc);
			free(fake.label);
		}
		return rc;
	}
	if (!t.mock_domain.out_idev_id) {
		/* 6.2-6.5 did not report the device id: unusable as a device */
		ses_destroy_id(s, t.mock_domain.out_stdev_id);
		ses_why(s,
			"this kernel's selftest does not report mock device ids");
		return -EOPNOTSUPP;
	}
	o = ses_obj_new(s, &device_ops, t.mock_domain.out_idev_id);
	if (!o) {
		ses_destroy_id(s, t.mock_domain.out_stdev_id);
		return -ENOMEM;
	}
	o->mock = true;
	o->selftest_id = t.mock_domain.out_stdev_id;
	o->flags = flags;
	o->dev_name = mock_name(s);
	h = ses_hwpt_for_attach(s, pt, t.mock_domain.out_hwpt_id);
	o->attached = h;
	*out = o;
	return 0;
}

/* An eventfd for the VFIO device request interrupt of the device @fd, so that
 * a hot-unplug or a driver unbind that needs the device back does not block
 * until the session ends; -1 where the device has none (not vfio-pci). */
static int request_channel(int fd)
{
	struct ic_vfio_irq_set_one set = {
		.argsz = sizeof(set),
		.flags = IC_VFIO_IRQ_SET_DATA_EVENTFD |
			 IC_VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = IC_VFIO_PCI_REQ_IRQ_INDEX,
		.count = 1,
	};

	set.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (set.fd < 0)
		return -1;
	if (ioctl(fd, IC_VFIO_DEVICE_SET_IRQS, &set) < 0) {
		close(set.fd);
		return -1;
	}
	return set.fd;
}

/* VFIO_DEVICE_BIND_IOMMUFD on an open cdev; takes @fd (closed on failure) */
static int vfio_bind_fd(struct iommuctl_session *s, int fd, const char *name,
			struct iommuctl_obj **out)
{
	struct ic_vfio_device_bind_iommufd b = { .argsz = sizeof(b) };
	struct iommuctl_obj *o;
	int rc;

	b.iommufd = s->fd;
	if (ioctl(fd, IC_VFIO_DEVICE_BIND_IOMMUFD, &b) < 0) {
		rc = -errno;
		if (rc == -EPERM)
			ses_why(s,
				"binding %s was refused: its IOMMU cannot isolate MSIs (interrupt remapping off); iommufd.allow_unsafe_interrupts=1 overrides at your risk",
				name);
		else if (rc == -EBUSY)
			ses_why(s,
				"%s is in use (another iommufd, the VFIO group interface, or a device of its IOMMU group on a host driver: iommuctl vfio bind --group)",
				name);
		else if (rc == -EINVAL)
			ses_why(s,
				"binding %s was refused: a device whose IOMMU cannot enforce cache coherency, or already bound",
				name);
		else if (rc == -ENOTTY)
			ses_why(s, "%s is not a VFIO device cdev", name);
		close(fd);
		return rc;
	}
	o = ses_obj_new(s, &device_ops, b.out_devid);
	if (!o) {
		close(fd);
		return -ENOMEM;
	}
	o->fd = fd;
	o->dev_name = strdup(name);
	o->req_fd = request_channel(fd);
	*out = o;
	return 0;
}

/* After a refused bind: if another process has the device's cdev open, that
 * is the likely reason (a VFIO device binds to one iommufd at a time), so the
 * explanation names it. */
static void why_other_opener(struct iommuctl_session *s,
			     struct iommuctl_device *d, int rc)
{
	struct iommuctl_use *uses;
	size_t n, i;

	if (iommuctl_device_get_uses(d, &uses, &n) < 0)
		return;
	for (i = 0; i < n; i++)
		if (uses[i].object && !strcmp(uses[i].object, d->vfio_cdev) &&
		    uses[i].detail && !strncmp(uses[i].detail, "open by", 7))
			break;
	if (i < n)
		ses_why(s,
			"binding %s was refused (%s): its cdev %s is %s, and a VFIO device binds to one iommufd at a time; stop that process or unbind the device there",
			d->name, strerrorname_np(-rc) ?: "?", d->vfio_cdev,
			uses[i].detail);
	iommuctl_uses_free(uses, n);
}

IOMMUCTL_EXPORT int iommuctl_vfio_device_bind(struct iommuctl_session *s,
					      const char *name,
					      struct iommuctl_obj **out)
{
	struct iommuctl_device *d;
	char *path;
	int fd, rc;

	if (!s || !name || !out)
		return -EINVAL;
	ses_clear(s);
	d = iommuctl_device_get_by_name(s->ctx, name);
	if (!d && !strncmp(name, "vfio", 4)) {
		for (d = iommuctl_device_get_first(s->ctx); d;
		     d = iommuctl_device_get_next(d))
			if (d->vfio_cdev && !strcmp(d->vfio_cdev, name))
				break;
	}
	if (!d) {
		ses_why(s, "no device %s", name);
		return -ENOENT;
	}
	if (!d->vfio_cdev) {
		ses_why(s,
			"%s is bound to %s, not to a VFIO driver with a device cdev; bind it to vfio-pci first (iommuctl vfio bind %s)",
			d->name, d->driver ?: "no driver", d->name);
		return -ENODEV;
	}
	path = path_fmt("/dev/vfio/devices/%s", d->vfio_cdev);
	if (!path)
		return -ENOMEM;
	fd = sysfs_open(s->ctx, path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ses_why(s, "cannot open %s: %s%s", path, strerror(-fd),
			fd == -EBUSY ?
				" (the group is in use through the legacy VFIO container, or another process has it)" :
				"");
		free(path);
		return fd;
	}
	free(path);
	rc = vfio_bind_fd(s, fd, d->name, out);
	if (rc == -EINVAL || rc == -EBUSY)
		why_other_opener(s, d, rc);
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_vfio_device_bind_fd(struct iommuctl_session *s,
						 int fd, const char *name,
						 struct iommuctl_obj **out)
{
	char buf[32];

	if (!s || fd < 0 || !out)
		return -EINVAL;
	ses_clear(s);
	if (!name) {
		snprintf(buf, sizeof(buf), "fd %d", fd);
		name = buf;
	}
	return vfio_bind_fd(s, fd, name, out);
}

IOMMUCTL_EXPORT int iommuctl_obj_get_fd(struct iommuctl_obj *o)
{
	return o && o->fd >= 0 ? o->fd : -ENOENT;
}

static int vfio_attach(struct iommuctl_obj *dev, struct iommuctl_obj *pt,
		       uint32_t *hwpt_id)
{
	struct ic_vfio_device_attach_iommufd_pt a = { .argsz = sizeof(a) };

	a.pt_id = pt->id;
	if (ioctl(dev->fd, IC_VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a) < 0)
		return -errno;
	*hwpt_id = a.pt_id;
	return 0;
}

/* @dev is a device; when @mock_refused says why, not a mock one */
static int check_device(struct iommuctl_obj *dev, const char *mock_refused)
{
	if (ses_enter(dev, IOMMUCTL_OBJ_DEVICE, "a device") < 0)
		return -EINVAL;
	if (mock_refused && dev->mock) {
		ses_why(dev->s, "%s", mock_refused);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* @dev is a device and @pasid one of its PASIDs (not the device itself);
 * for a mock, the kernel has the selftest's PASID ops */
static int pasid_check(struct iommuctl_obj *dev, uint32_t pasid)
{
	int rc = check_device(dev, NULL);

	if (rc < 0)
		return rc;
	if (pasid == 0) {
		ses_why(dev->s,
			"PASID 0 is the device itself (IOMMU_NO_PASID): attach or replace without --pasid");
		return -EINVAL;
	}
	return dev->mock ? mock_pasid_ops(dev->s) : 0;
}

/* @dev (with @pasid: and that PASID) and @pt, an attach target */
static int check_attach(struct iommuctl_obj *dev, struct iommuctl_obj *pt,
			bool pasid, uint32_t pasid_nr)
{
	int rc = pasid ? pasid_check(dev, pasid_nr) : check_device(dev, NULL);

	if (rc < 0)
		return rc;
	return check_pt_for(dev->s, pt);
}

/* Whether attach target @pt is a hwpt allocated with IOMMU_HWPT_ALLOC_PASID
 * (an IOAS makes the kernel use an automatic hwpt, which never is) */
static bool pasid_compat(const struct iommuctl_obj *pt)
{
	return pt && pt->type != IOMMUCTL_OBJ_IOAS &&
	       (pt->flags & IOMMUCTL_HWPT_PASID);
}

IOMMUCTL_EXPORT int iommuctl_device_attach(struct iommuctl_obj *dev,
					   struct iommuctl_obj *pt)
{
	struct iommuctl_session *s;
	struct iommuctl_obj *old, *h;
	uint32_t hwpt_id = 0;
	int rc;

	rc = check_attach(dev, pt, false, 0);
	if (rc < 0)
		return rc;
	s = dev->s;
	if (dev->attached) {
		rc = check_same_driver(s, dev->mock, pt);
		if (rc < 0)
			return rc;
	}
	if (dev->mock) {
		struct ic_iommu_test_cmd t;

		test_cmd_init(&t, IC_IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE,
			      dev->selftest_id);
		t.mock_domain_replace.pt_id = pt->id;
		rc = ses_test_cmd(s, &t);
		hwpt_id = t.mock_domain_replace.pt_id;
	} else {
		rc = vfio_attach(dev, pt, &hwpt_id);
	}
	if (rc < 0) {
		if (rc == -EINVAL && dev->npatt && !pasid_compat(pt))
			ses_why(s,
				"%s has %zu PASID(s) attached (PASID %u first): while it has, its own attachment must be PASID-compatible too, a hwpt allocated with --pasid (an IOAS gives an automatic hwpt, which is not); detach the PASIDs first",
				iommuctl_obj_label(dev), dev->npatt,
				dev->patt[0].pasid);
		else
			explain_other_driver(s, dev->mock,
					     iommuctl_obj_label(dev), pt);
		if (!iommuctl_session_error(s))
			ses_explain_attach(dev, pt, rc);
		return rc;
	}
	old = dev->attached;
	h = ses_hwpt_for_attach(s, pt, hwpt_id);
	dev->attached = h;
	if (old != h)
		ses_detached(old);
	return h ? 0 : -ENOMEM;
}

IOMMUCTL_EXPORT int iommuctl_device_replace(struct iommuctl_obj *dev,
					    struct iommuctl_obj *pt)
{
	return iommuctl_device_attach(dev, pt);
}

IOMMUCTL_EXPORT int iommuctl_device_detach(struct iommuctl_obj *dev)
{
	struct ic_vfio_device_detach_iommufd_pt d = { .argsz = sizeof(d) };
	struct iommuctl_obj *old;

	int rc = check_device(
		dev,
		"mock devices are always attached; replace the attachment or destroy the device (their PASIDs detach with --pasid)");

	if (rc < 0)
		return rc;
	if (ioctl(dev->fd, IC_VFIO_DEVICE_DETACH_IOMMUFD_PT, &d) < 0)
		return -errno;
	old = dev->attached;
	dev->attached = NULL;
	ses_detached(old);
	return 0;
}

/* Checks that @dev is a mock device and starts selftest command @op on it */
static int mock_cmd(struct iommuctl_obj *dev, struct ic_iommu_test_cmd *t,
		    uint32_t op)
{
	int rc = check_device(dev, NULL);

	if (rc < 0)
		return rc;
	if (!dev->mock) {
		ses_why(dev->s,
			"%s is a real device; only mock devices can be told to fault",
			iommuctl_obj_label(dev));
		return -EOPNOTSUPP;
	}
	test_cmd_init(t, op, 0);
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_mock_trigger_iopf(struct iommuctl_obj *dev,
					       uint32_t pasid, uint32_t grpid,
					       uint32_t perm, uint64_t addr)
{
	struct ic_iommu_test_cmd t;
	int rc = mock_cmd(dev, &t, IC_IOMMU_TEST_OP_TRIGGER_IOPF);

	if (rc < 0)
		return rc;
	t.trigger_iopf.dev_id = dev->id;
	t.trigger_iopf.pasid = pasid;
	t.trigger_iopf.grpid = grpid;
	t.trigger_iopf.perm = perm;
	t.trigger_iopf.addr = addr;
	rc = ses_test_cmd(dev->s, &t);
	if (rc == -EOPNOTSUPP)
		ses_why(dev->s,
			"this kernel's selftest cannot inject page faults");
	else if (rc < 0 && !(dev->attached &&
			     (dev->attached->flags & IOMMUCTL_HWPT_FAULT)))
		ses_why(dev->s,
			"%s is not attached to a hwpt with a fault queue",
			iommuctl_obj_label(dev));
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_mock_trigger_vevent(struct iommuctl_obj *dev)
{
	struct ic_iommu_test_cmd t;
	int rc = mock_cmd(dev, &t, IC_IOMMU_TEST_OP_TRIGGER_VEVENT);

	if (rc < 0)
		return rc;
	t.trigger_vevent.dev_id = dev->id;
	rc = ses_test_cmd(dev->s, &t);
	if (rc == -EOPNOTSUPP)
		ses_why(dev->s,
			"this kernel's selftest cannot raise vIOMMU events");
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_mock_set_dirty(struct iommuctl_obj *hwpt,
					    uint64_t iova, uint64_t length,
					    uint64_t page_size,
					    const uint64_t *bitmap,
					    uint64_t *nr_dirty)
{
	struct ic_iommu_test_cmd t;
	int rc;

	if (!hwpt || !bitmap)
		return -EINVAL;
	ses_clear(hwpt->s);
	rc = ses_check(hwpt->s, hwpt, IOMMUCTL_OBJ_HWPT_PAGING,
		       "a paging hwpt");
	if (rc < 0)
		return rc;
	rc = ses_need_selftest(hwpt->s, "marking pages dirty");
	if (rc < 0)
		return rc;
	test_cmd_init(&t, IC_IOMMU_TEST_OP_DIRTY, hwpt->id);
	t.dirty.iova = iova;
	t.dirty.length = length;
	t.dirty.page_size = page_size;
	t.dirty.uptr = (uintptr_t)bitmap;
	rc = ses_test_cmd(hwpt->s, &t);
	if (rc == -EINVAL)
		ses_why(hwpt->s,
			"%s is not a mock device's page table, or the range is not mapped in it",
			iommuctl_obj_label(hwpt));
	if (rc == 0 && nr_dirty)
		*nr_dirty = t.dirty.out_nr_dirty;
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_access_create(struct iommuctl_session *s,
					   struct iommuctl_obj *ioas,
					   uint32_t flags,
					   struct iommuctl_obj **out)
{
	struct ic_iommu_test_cmd t;
	struct iommuctl_obj *o;
	int rc;

	rc = selftest_create_begin(s, out, "an access");
	if (rc < 0)
		return rc;
	rc = ses_check(s, ioas, IOMMUCTL_OBJ_IOAS, "an ioas");
	if (rc < 0)
		return rc;
	test_cmd_init(&t, IC_IOMMU_TEST_OP_CREATE_ACCESS, ioas->id);
	t.create_access.flags = flags & IOMMUCTL_ACCESS_NEEDS_PIN ? 1 : 0;
	rc = ses_test_cmd(s, &t);
	if (rc < 0)
		return rc;
	o = ses_obj_new(s, &access_ops, 0);
	if (!o) {
		close((int)t.create_access.out_access_fd);
		return -ENOMEM;
	}
	o->fd = (int)t.create_access.out_access_fd;
	o->ioas = ioas;
	o->flags = flags;
	rc = access_name(s, o);
	if (rc < 0) {
		iommuctl_obj_destroy(o);
		return rc;
	}
	*out = o;
	return 0;
}

static int check_access(struct iommuctl_obj *a)
{
	return ses_enter(a, IOMMUCTL_OBJ_ACCESS, "an access");
}

static struct iommuctl_access_pin *pin_find(struct iommuctl_obj *a, uint32_t id)
{
	for (size_t i = 0; i < a->npins; i++)
		if (a->pins[i].id == id)
			return &a->pins[i];
	return NULL;
}

static void pin_drop(struct iommuctl_obj *a, struct iommuctl_access_pin *p)
{
	size_t i = (size_t)(p - a->pins);

	memmove(p, p + 1, (a->npins - i - 1) * sizeof(*p));
	a->npins--;
}

/*
 * Record a pin the kernel made. Out of memory the record is lost, not the
 * pin: the kernel still holds it, and unpinning its id still works.
 */
static void pin_add(struct iommuctl_obj *a, uint32_t id, uint64_t iova,
		    uint64_t length, bool write)
{
	struct iommuctl_access_pin *v;
	size_t cap;

	if (a->npins == a->cappins) {
		cap = a->cappins ? a->cappins * 2 : 4;
		v = realloc(a->pins, cap * sizeof(*v));
		if (!v)
			return;
		a->pins = v;
		a->cappins = cap;
	}
	a->pins[a->npins].id = id;
	a->pins[a->npins].write = write;
	a->pins[a->npins].iova = iova;
	a->pins[a->npins].length = length;
	a->npins++;
}

/*
 * An unmap of [iova, last] in @ioas succeeded. Before removing each mapping
 * (area) with pins, the kernel calls the unmap callback of every access of
 * the IOAS with that area's range, and the selftest access releases each of
 * its pins that overlaps it (iommufd_test_access_unmap()). An unmap covers
 * whole areas only, so that is every pin overlapping [iova, last].
 */
void ses_access_unmapped(struct iommuctl_obj *ioas, uint64_t iova,
			 uint64_t last)
{
	struct iommuctl_obj *x;
	size_t i;

	for (x = ioas->s->first; x; x = x->next) {
		if (x->type != IOMMUCTL_OBJ_ACCESS || x->ioas != ioas)
			continue;
		for (i = 0; i < x->npins;) {
			struct iommuctl_access_pin *p = &x->pins[i];

			if (p->iova <= last && p->iova + p->length - 1 >= iova)
				pin_drop(x, p);
			else
				i++;
		}
	}
}

IOMMUCTL_EXPORT const struct iommuctl_access_pin *
iommuctl_access_get_pins(struct iommuctl_obj *a, size_t *n)
{
	bool ok = a && a->type == IOMMUCTL_OBJ_ACCESS && a->npins;

	if (n)
		*n = ok ? a->npins : 0;
	return ok ? a->pins : NULL;
}

IOMMUCTL_EXPORT int iommuctl_access_pin(struct iommuctl_obj *a, uint64_t iova,
					uint64_t length, bool write,
					uint32_t *pin_id)
{
	struct ic_iommu_test_cmd t;
	int rc = check_access(a);

	if (rc < 0)
		return rc;
	if (!length || length > (16ULL << 20)) {
		/* the selftest refuses more than 16M with ENOMEM */
		ses_why(a->s, "pin between 1 byte and 16M at a time");
		return -EINVAL;
	}
	/*
	 * A non-zero uptr makes the selftest check that the pinned pages are
	 * the very pages mapped at uptr in this process (EBADE otherwise), so
	 * a scratch buffer can never pass. 0 skips that self-check.
	 */
	test_cmd_init(&t, IC_IOMMU_TEST_OP_ACCESS_PAGES, (uint32_t)a->fd);
	t.access_pages.flags = write ? MOCK_ACCESS_PAGES_WRITE : 0;
	t.access_pages.iova = iova;
	t.access_pages.length = length;
	t.access_pages.uptr = 0;
	rc = ses_test_cmd(a->s, &t);
	if (rc == -ENOENT || rc == -EINVAL)
		ses_why(a->s, "0x%llx+0x%llx is not mapped (whole) in %s",
			(unsigned long long)iova, (unsigned long long)length,
			iommuctl_obj_label(a->ioas));
	else if (rc == -EPERM)
		ses_why(a->s, "the mapping at 0x%llx does not allow writes",
			(unsigned long long)iova);
	else if (rc == -EOPNOTSUPP && !(a->flags & IOMMUCTL_ACCESS_NEEDS_PIN))
		ses_why(a->s,
			"%s was not created as an access that pins pages (IOMMUCTL_ACCESS_NEEDS_PIN); it can only read and write",
			iommuctl_obj_label(a));
	if (rc < 0)
		return rc;
	pin_add(a, t.access_pages.out_access_pages_id, iova, length, write);
	if (pin_id)
		*pin_id = t.access_pages.out_access_pages_id;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_access_unpin(struct iommuctl_obj *a,
					  uint32_t pin_id)
{
	struct ic_iommu_test_cmd t;
	struct iommuctl_access_pin *p;
	int rc = check_access(a);

	if (rc < 0)
		return rc;
	test_cmd_init(&t, IC_IOMMU_TEST_OP_DESTROY_ACCESS_PAGES,
		      (uint32_t)a->fd);
	t.destroy_access_pages.access_pages_id = pin_id;
	rc = ses_test_cmd(a->s, &t);
	if (rc == -ENOENT)
		ses_why(a->s,
			"%s has no pin %u: 'access show' lists its pins (an unmap over a pin, or 'access replace', makes the kernel release it)",
			iommuctl_obj_label(a), pin_id);
	/* gone either way: released now, or the kernel had none by that id */
	if ((rc == 0 || rc == -ENOENT) && (p = pin_find(a, pin_id)))
		pin_drop(a, p);
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_access_rw(struct iommuctl_obj *a, uint64_t iova,
				       void *buf, size_t len, bool write)
{
	struct ic_iommu_test_cmd t;
	int rc = check_access(a);

	if (rc < 0)
		return rc;
	if (!buf || !len)
		return -EINVAL;
	test_cmd_init(&t, IC_IOMMU_TEST_OP_ACCESS_RW, (uint32_t)a->fd);
	t.access_rw.iova = iova;
	t.access_rw.length = len;
	t.access_rw.uptr = (uintptr_t)buf;
	t.access_rw.flags = write ? MOCK_ACCESS_RW_WRITE : 0;
	rc = ses_test_cmd(a->s, &t);
	if (rc == -ENOENT || rc == -EINVAL)
		ses_why(a->s, "0x%llx+0x%zx is not mapped in %s",
			(unsigned long long)iova, len,
			iommuctl_obj_label(a->ioas));
	else if (rc == -EPERM)
		ses_why(a->s, "the mapping at 0x%llx does not allow writes",
			(unsigned long long)iova);
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_access_replace(struct iommuctl_obj *a,
					    struct iommuctl_obj *ioas)
{
	struct ic_iommu_test_cmd t;
	int rc = check_access(a);

	if (rc < 0)
		return rc;
	rc = ses_check(a->s, ioas, IOMMUCTL_OBJ_IOAS, "an ioas");
	if (rc < 0)
		return rc;
	test_cmd_init(&t, IC_IOMMU_TEST_OP_ACCESS_REPLACE_IOAS,
		      (uint32_t)a->fd);
	t.access_replace_ioas.ioas_id = ioas->id;
	rc = ses_test_cmd(a->s, &t);
	if (rc < 0)
		return rc;
	/*
	 * Moving is not refused while pages are pinned: the kernel first calls
	 * the access's unmap callback for all of the old IOAS (0, ULONG_MAX in
	 * iommufd_access_change_ioas()), and the selftest access releases every
	 * pin, so they are gone. To the same IOAS it returns at once.
	 */
	if (a->ioas != ioas)
		a->npins = 0;
	a->ioas = ioas;
	return 0;
}

static struct ic_pasid_att *pasid_find(struct iommuctl_obj *dev, uint32_t pasid)
{
	for (size_t i = 0; i < dev->npatt; i++)
		if (dev->patt[i].pasid == pasid)
			return &dev->patt[i];
	return NULL;
}

/* The PASID width the kernel reports for @dev's IOMMU, or -1; *@why: why
 * the unit has none, when its registers say (an SMMUv3 without
 * SubstreamIDs), else NULL */
static int pasid_width(struct iommuctl_obj *dev, const char **why)
{
	struct iommuctl_hw_info hi;
	struct iommuctl_smmuv3_summary sum;
	const struct ic_iommu_hw_info_arm_smmuv3 *smmu;
	const void *owner;
	char *saved = ctx_error_take(dev->s->ctx, &owner);
	int rc = iommuctl_device_hw_info(dev, &hi);

	ctx_error_set(dev->s->ctx, owner, saved);
	*why = NULL;
	if (rc < 0)
		return -1;
	if (hi.type == IOMMUCTL_HW_INFO_ARM_SMMUV3 &&
	    hi.data_len >= sizeof(*smmu)) {
		smmu = hi.data;
		if (iommuctl_smmuv3_summarize(smmu->idr, smmu->iidr, smmu->aidr,
					      &sum) == 0)
			*why = iommuctl_smmuv3_pasid_why(&sum);
	}
	free(hi.data);
	return hi.max_pasid_log2;
}

static void pasid_explain(struct iommuctl_obj *dev, uint32_t pasid,
			  struct iommuctl_obj *pt, int rc)
{
	struct iommuctl_session *s = dev->s;
	const char *d = iommuctl_obj_label(dev), *why;
	int w;

	/*
	 * Before 6.15 there is no PASID attach for VFIO devices at all: the
	 * reasons below (and GET_HW_INFO's PASID width) are 6.15's, the
	 * release that also brought VEVENTQ_ALLOC; a mock with PASID ops is
	 * from 6.15 on.
	 */
	if (rc == -EINVAL && !dev->mock &&
	    iommuctl_session_has_cmd(s, IOMMUFD_CMD_VEVENTQ_ALLOC) <= 0) {
		ses_why(s,
			"PASID %u of %s: refused; kernels before 6.15 have no PASID attach for VFIO devices (VFIO_DEVICE_ATTACH_PASID)",
			pasid, d);
		return;
	}
	if (rc == -EINVAL) {
		w = pasid_width(dev, &why);
		if (w >= 0 && w < 32 && pasid >= (1u << w)) {
			if (w == 0)
				ses_why(s,
					"PASID %u of %s: refused, the device has no PASIDs (its IOMMU reports a PASID width of 0 bits, IOMMU_GET_HW_INFO)%s%s%s",
					pasid, d,
					dev->mock && !(dev->flags &
						       IOMMUCTL_DEV_MOCK_PASID) ?
						"; a mock device has PASIDs only when created with --pasid-capable" :
						"",
					why ? ": " : "", why ?: "");
			else
				ses_why(s,
					"PASID %u of %s: out of range, its IOMMU reports a PASID width of %d bits (IOMMU_GET_HW_INFO): PASIDs 1-%u",
					pasid, d, w, (1u << w) - 1);
			return;
		}
		if (pt && pt->type == IOMMUCTL_OBJ_IOAS && dev->mock) {
			ses_why(s,
				"PASID %u of %s: refused; a PASID cannot attach to %s itself here, the automatic hwpt the kernel makes is not PASID-compatible: allocate one with 'hwpt alloc --device DEV --ioas IOAS --pasid' and attach that",
				pasid, d, iommuctl_obj_label(pt));
			return;
		}
		if (pt && pt->type != IOMMUCTL_OBJ_IOAS && !pasid_compat(pt)) {
			ses_why(s,
				"PASID %u of %s: refused, %s was not allocated with --pasid (IOMMU_HWPT_ALLOC_PASID); only such hwpts attach to a PASID",
				pasid, d, iommuctl_obj_label(pt));
			return;
		}
		if (dev->attached && !pasid_compat(dev->attached)) {
			ses_why(s,
				"PASID %u of %s: refused, the device itself is attached to %s, which is not PASID-compatible (%s); the kernel attaches PASIDs only while the device's own hwpt was allocated with --pasid too: move it first ('device replace DEV --pt HWPT')",
				pasid, d, iommuctl_obj_label(dev->attached),
				dev->attached->auto_hwpt ?
					"an automatic hwpt" :
					"allocated without --pasid");
			return;
		}
		if (dev->mock) {
			ses_why(s,
				"PASID %u of %s: refused (EINVAL); the hwpt may belong to another IOMMU driver",
				pasid, d);
			return;
		}
		ses_why(s,
			"PASID %u of %s: refused (EINVAL): the PASID is out of the device's range or the hwpt was not allocated with --pasid",
			pasid, d);
	} else if (rc == -ENOMEM && dev->mock &&
		   pasid == IC_IOMMU_TEST_PASID_RESERVED) {
		ses_why(s,
			"PASID %u of %s: the selftest fails every second attach of PASID %u on purpose (IOMMU_TEST_PASID_RESERVED, to test the kernel's roll-back); the kernel kept the previous attachment, and the next try succeeds",
			pasid, d, pasid);
	} else if (rc == -EBUSY && dev->mock) {
		ses_why(s,
			"PASID %u of %s is already attached, the kernel says, though not through this session",
			pasid, d);
	} else if (rc == -EOPNOTSUPP || rc == -ENODEV) {
		ses_why(s,
			"PASID %u of %s: the device or its IOMMU cannot attach PASIDs (no PCI PASID capability enabled, or the IOMMU driver lacks it)",
			pasid, d);
	}
}

/* The selftest's PASID op @op for mock @dev; @pt_id in, the hwpt out */
static int mock_pasid_op(struct iommuctl_obj *dev, uint32_t op, uint32_t pasid,
			 uint32_t *pt_id)
{
	struct ic_iommu_test_cmd t;
	int rc;

	test_cmd_init(&t, op, dev->selftest_id);
	t.pasid_attach.pasid = pasid;
	t.pasid_attach.pt_id = pt_id ? *pt_id : 0;
	rc = ses_test_cmd(dev->s, &t);
	if (rc == 0 && pt_id)
		*pt_id = t.pasid_attach.pt_id;
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_device_attach_pasid(struct iommuctl_obj *dev,
						 uint32_t pasid,
						 struct iommuctl_obj *pt)
{
	struct ic_vfio_device_attach_iommufd_pt a = { .argsz = sizeof(a) };
	struct iommuctl_session *s;
	struct ic_pasid_att *pa, *n;
	struct iommuctl_obj *old = NULL, *h;
	uint32_t hwpt_id;
	int rc;

	rc = check_attach(dev, pt, true, pasid);
	if (rc < 0)
		return rc;
	s = dev->s;
	pa = pasid_find(dev, pasid);
	if (pa) {
		rc = check_same_driver(s, dev->mock, pt);
		if (rc < 0)
			return rc;
	}
	if (dev->mock) {
		/* attached already: the selftest's replace, as for VFIO */
		hwpt_id = pt->id;
		rc = mock_pasid_op(dev,
				   pa ? IC_IOMMU_TEST_OP_PASID_REPLACE :
					IC_IOMMU_TEST_OP_PASID_ATTACH,
				   pasid, &hwpt_id);
	} else {
		a.flags = IC_VFIO_DEVICE_ATTACH_PASID;
		a.pt_id = pt->id;
		a.pasid = pasid;
		rc = ioctl(dev->fd, IC_VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a) < 0 ?
			     -errno :
			     0;
		hwpt_id = a.pt_id;
	}
	if (rc < 0) {
		if (rc == -EADDRINUSE)
			ses_explain_attach(dev, pt, rc);
		else
			pasid_explain(dev, pasid, pt, rc);
		return rc;
	}
	h = ses_hwpt_for_attach(s, pt, hwpt_id);
	if (!h)
		return -ENOMEM;
	if (pa) {
		old = pa->hwpt;
		pa->hwpt = h;
	} else {
		n = realloc(dev->patt, (dev->npatt + 1) * sizeof(*n));
		if (!n)
			return -ENOMEM;
		dev->patt = n;
		n[dev->npatt++] =
			(struct ic_pasid_att){ .pasid = pasid, .hwpt = h };
	}
	if (old != h)
		ses_detached(old);
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_device_detach_pasid(struct iommuctl_obj *dev,
						 uint32_t pasid)
{
	struct ic_vfio_device_detach_iommufd_pt d = { .argsz = sizeof(d) };
	struct ic_pasid_att *pa;
	struct iommuctl_obj *old;
	int rc;

	rc = pasid_check(dev, pasid);
	if (rc < 0)
		return rc;
	pa = pasid_find(dev, pasid);
	if (dev->mock) {
		/* the selftest detaches whatever it is asked, attached or not */
		if (!pa) {
			ses_why(dev->s, "PASID %u of %s is not attached", pasid,
				iommuctl_obj_label(dev));
			return -ENOENT;
		}
		rc = mock_pasid_op(dev, IC_IOMMU_TEST_OP_PASID_DETACH, pasid,
				   NULL);
		if (rc < 0)
			return rc;
	} else {
		d.flags = IC_VFIO_DEVICE_DETACH_PASID;
		d.pasid = pasid;
		if (ioctl(dev->fd, IC_VFIO_DEVICE_DETACH_IOMMUFD_PT, &d) < 0) {
			rc = -errno;
			pasid_explain(dev, pasid, NULL, rc);
			return rc;
		}
	}
	if (!pa)
		return 0;
	old = pa->hwpt;
	*pa = dev->patt[--dev->npatt];
	ses_detached(old);
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_device_check_pasid(struct iommuctl_obj *dev,
						uint32_t pasid,
						struct iommuctl_obj *hwpt)
{
	struct ic_iommu_test_cmd t;
	int rc;

	if (!dev)
		return -EINVAL;
	ses_clear(dev->s);
	rc = check_device(dev, NULL);
	if (rc < 0)
		return rc;
	if (!dev->mock) {
		ses_why(dev->s,
			"the kernel answers which hwpt a PASID is attached to only for mock devices (the selftest's PASID_CHECK_HWPT)");
		return -EOPNOTSUPP;
	}
	rc = mock_pasid_ops(dev->s);
	if (rc < 0)
		return rc;
	if (hwpt && hwpt->s != dev->s)
		return -EINVAL;
	test_cmd_init(&t, IC_IOMMU_TEST_OP_PASID_CHECK_HWPT, dev->selftest_id);
	t.pasid_check.pasid = pasid;
	t.pasid_check.hwpt_id = hwpt ? hwpt->id : 0; /* 0: nothing attached */
	rc = ses_test_cmd(dev->s, &t);
	/* 0: just so; EINVAL: something else is attached (or nothing) */
	if (rc == 0)
		return 1;
	return rc == -EINVAL ? 0 : rc;
}

IOMMUCTL_EXPORT size_t iommuctl_device_get_pasids(struct iommuctl_obj *dev,
						  uint32_t *pasids,
						  struct iommuctl_obj **hwpts,
						  size_t max)
{
	size_t i;

	if (!dev)
		return 0;
	for (i = 0; i < dev->npatt && i < max; i++) {
		if (pasids)
			pasids[i] = dev->patt[i].pasid;
		if (hwpts)
			hwpts[i] = dev->patt[i].hwpt;
	}
	return dev->npatt;
}

/* ---- the object types made here --------------------------------------- */

static bool device_holds(const struct iommuctl_obj *x,
			 const struct iommuctl_obj *o)
{
	for (size_t k = 0; k < x->npatt; k++)
		if (x->patt[k].hwpt == o)
			return true;
	return x->attached == o;
}

static struct iommuctl_obj *device_ioas(const struct iommuctl_obj *o)
{
	return o->attached ? o->attached->ioas : o->ioas;
}

/* A device is unbound, not destroyed by id; its hwpts may go with it. */
static int device_destroy(struct iommuctl_obj *o)
{
	struct iommuctl_session *s = o->s;
	struct iommuctl_obj *old = o->attached;
	struct ic_pasid_att *pa;
	size_t npa, k;
	int rc;

	if (o->mock) {
		rc = ses_destroy_id(s, o->selftest_id);
		if (rc < 0) {
			ses_why(s,
				"destroying the selftest object %u of %s failed",
				o->selftest_id, iommuctl_obj_label(o));
			return rc;
		}
	} else {
		close(o->fd); /* unbinds the VFIO device */
		o->fd = -1;
	}
	o->attached = NULL;
	pa = o->patt;
	npa = o->npatt;
	o->patt = NULL;
	o->npatt = 0;
	ses_obj_free(o);
	ses_detached(old);
	for (k = 0; k < npa; k++)
		ses_detached(pa[k].hwpt);
	free(pa);
	return 1;
}

static bool access_holds(const struct iommuctl_obj *x,
			 const struct iommuctl_obj *o)
{
	return x->ioas == o;
}

/* the selftest access dies with its fd */
static int access_destroy(struct iommuctl_obj *o)
{
	close(o->fd);
	o->fd = -1;
	ses_obj_free(o);
	return 1;
}

static void access_release(struct iommuctl_obj *o)
{
	free(o->pins);
	o->pins = NULL;
	o->npins = o->cappins = 0;
}

const struct obj_ops device_ops = {
	.type = IOMMUCTL_OBJ_DEVICE,
	.word = "device",
	.holds = device_holds,
	.ioas_of = device_ioas,
	.destroy = device_destroy,
};
const struct obj_ops access_ops = {
	.type = IOMMUCTL_OBJ_ACCESS,
	.holds = access_holds,
	.destroy = access_destroy,
	.release = access_release,
};

/* ---- bytes as hex, for access rw --------------------------------------- */

IOMMUCTL_EXPORT int iommuctl_parse_hex(const char *text, unsigned char **out,
				       size_t *len)
{
	unsigned char *buf;
	size_t n = 0;
	const char *p;

	if (!text || !out || !len)
		return -EINVAL;
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
		text += 2;
	buf = malloc(strlen(text) / 2 + 1);
	if (!buf)
		return -ENOMEM;
	for (p = text; *p; p += 2) {
		/* separators only between whole bytes */
		if (strchr(":- ", *p) && p != text && p[1] &&
		    !strchr(":- ", p[1]))
			p++;
		if (!isxdigit((unsigned char)p[0]) ||
		    !isxdigit((unsigned char)p[1])) {
			free(buf);
			return -EINVAL;
		}
		buf[n++] =
			(unsigned char)(hex_digit(p[0]) << 4 | hex_digit(p[1]));
	}
	if (!n) {
		free(buf);
		return -EINVAL;
	}
	*out = buf;
	*len = n;
	return 0;
}

IOMMUCTL_EXPORT char *iommuctl_hex(const void *buf, size_t len)
{
	const unsigned char *b = buf;
	char *s = malloc(len * 2 + 1);
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < len; i++)
		snprintf(s + 2 * i, 3, "%02x", b[i]);
	s[2 * len] = '\0';
	return s;
}
