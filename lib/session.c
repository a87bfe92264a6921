// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommufd sessions: one open /dev/iommu and the record of every object made
 * through it. The kernel cannot list objects or say what holds one, so the
 * record is what turns a bare EBUSY into "ioas 1 is in use by hwpt 3".
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "private.h"
#include "abi/iommufd.h"

#define DEV_IOMMU "/dev/iommu"
#define NAME_MAX_LEN 64

IOMMUCTL_EXPORT const char *iommuctl_obj_type_name(enum iommuctl_obj_type type)
{
	return names_get(NAMES_OBJ_TYPE, type);
}

static int session_new(struct iommuctl_ctx *ctx, int fd,
		       struct iommuctl_session **out)
{
	struct iommuctl_session *s;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->ctx = iommuctl_ref(ctx);
	s->fd = fd;
	s->selftest = -1;
	*out = s;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_session_open(struct iommuctl_ctx *ctx,
					  struct iommuctl_session **out)
{
	int fd, rc;

	if (!ctx || !out)
		return -EINVAL;
	if (ctx->offline)
		return -EOPNOTSUPP;
	fd = sysfs_open(ctx, DEV_IOMMU, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return fd;
	rc = session_new(ctx, fd, out);
	if (rc)
		close(fd);
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_session_open_fd(struct iommuctl_ctx *ctx, int fd,
					     struct iommuctl_session **out)
{
	struct ic_iommu_destroy d = { .size = sizeof(d), .id = 0 };

	if (!ctx || !out || fd < 0)
		return -EINVAL;
	if (ctx->offline)
		return -EOPNOTSUPP;
	/* an iommufd answers IOMMU_DESTROY of id 0 with ENOENT */
	if (ioctl(fd, IOMMUFD_IO(IOMMUFD_CMD_DESTROY), &d) == 0 || errno != ENOENT)
		return -EBADF;
	return session_new(ctx, fd, out);
}

static void obj_release(struct iommuctl_obj *o)
{
	if (o->ops->release)
		o->ops->release(o);
	free(o->patt);
	free(o->mview);
	free(o->allowed);
	free(o->name);
	free(o->label);
	free(o->dev_name);
	if (o->fd >= 0)
		close(o->fd);
	if (o->req_fd >= 0)
		close(o->req_fd);
	free(o);
}

IOMMUCTL_EXPORT void iommuctl_session_close(struct iommuctl_session *s)
{
	struct iommuctl_obj *o, *next;

	if (!s)
		return;
	/* Closing /dev/iommu destroys everything; our fds go after it. */
	close(s->fd);
	for (o = s->first; o; o = next) {
		next = o->next;
		obj_release(o);
	}
	ctx_error_disown(s->ctx, s);
	iommuctl_unref(s->ctx);
	free(s);
}

IOMMUCTL_EXPORT int iommuctl_session_fd(struct iommuctl_session *s)
{
	return s ? s->fd : -EINVAL;
}

IOMMUCTL_EXPORT const char *iommuctl_session_error(struct iommuctl_session *s)
{
	return s ? ctx_error_of(s->ctx, s) : NULL;
}

void ses_clear(struct iommuctl_session *s)
{
	ctx_error_set(s->ctx, NULL, NULL);
}

void ses_why(struct iommuctl_session *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctx_error_vfmt(s->ctx, s, fmt, ap);
	va_end(ap);
}

/* Every iommufd ioctl goes through here; returns 0 or -errno. */
int ses_ioctl(struct iommuctl_session *s, unsigned int nr, void *arg)
{
	int rc = ioctl(s->fd, IOMMUFD_IO(nr), arg);

	if (rc < 0) {
		rc = -errno;
		dbg(s->ctx, "iommufd ioctl 0x%x: %s\n", nr, strerror(-rc));
		if (rc == -ENOTTY && nr >= 0x80 &&
		    nr < 0x80 + sizeof(s->cmd_state))
			s->cmd_state[nr - 0x80] = 2;
		return rc;
	}
	if (nr >= 0x80 && nr < 0x80 + sizeof(s->cmd_state))
		s->cmd_state[nr - 0x80] = 1;
	return 0;
}

IOMMUCTL_EXPORT int iommuctl_session_has_cmd(struct iommuctl_session *s,
					     unsigned int nr)
{
	uint8_t arg[128];
	uint32_t size = 4; /* below every command's minimum (8) */
	int rc;

	if (!s || nr < 0x80 || nr >= 0x80 + sizeof(s->cmd_state))
		return -EINVAL;
	if (s->cmd_state[nr - 0x80])
		return s->cmd_state[nr - 0x80] == 1;
	/*
	 * A struct shorter than any command accepts: the kernel looks the
	 * command up (unknown: ENOTTY), then refuses the size (EINVAL) before
	 * reading anything else, so nothing runs. Size 8 would run DESTROY
	 * and IOAS_CHANGE_PROCESS, whose structs are 8 bytes.
	 */
	memset(arg, 0, sizeof(arg));
	memcpy(arg, &size, sizeof(size));
	rc = ioctl(s->fd, IOMMUFD_IO(nr), arg);
	if (rc < 0 && errno == ENOTTY) {
		s->cmd_state[nr - 0x80] = 2;
		return 0;
	}
	s->cmd_state[nr - 0x80] = 1;
	return 1;
}

IOMMUCTL_EXPORT bool iommuctl_session_has_selftest(struct iommuctl_session *s)
{
	struct ic_iommu_test_cmd test;

	if (!s)
		return false;
	if (s->selftest < 0) {
		memset(&test, 0, sizeof(test));
		test.size = sizeof(test);
		test.op = 0xffff;
		s->selftest =
			ioctl(s->fd, IOMMUFD_IO(IOMMUFD_CMD_TEST), &test) < 0 &&
			errno != ENOTTY;
	}
	return s->selftest;
}

/* -ENOTTY with an explanation when the kernel lacks command @nr. */
int ses_need(struct iommuctl_session *s, unsigned int nr, const char *name,
	     const char *since)
{
	int rc = iommuctl_session_has_cmd(s, nr);

	if (rc < 0)
		return rc;
	if (!rc) {
		ses_why(s, "this kernel has no %s (added in Linux %s)", name,
			since);
		return -ENOTTY;
	}
	return 0;
}

int ses_need_selftest(struct iommuctl_session *s, const char *what)
{
	if (iommuctl_session_has_selftest(s))
		return 0;
	ses_why(s,
		"%s needs the iommufd selftest (CONFIG_IOMMUFD_TEST), which this kernel lacks",
		what);
	return -ENOTTY;
}

int ses_test_cmd(struct iommuctl_session *s, void *cmd)
{
	struct ic_iommu_test_cmd *t = cmd;

	t->size = sizeof(*t);
	return ses_ioctl(s, IOMMUFD_CMD_TEST, cmd);
}

struct iommuctl_obj *ses_obj_new(struct iommuctl_session *s,
				 const struct obj_ops *ops, uint32_t id)
{
	struct iommuctl_obj *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->s = s;
	o->ops = ops;
	o->type = ops->type;
	o->id = id;
	o->fd = -1;
	o->req_fd = -1;
	o->prev = s->last;
	if (s->last)
		s->last->next = o;
	else
		s->first = o;
	s->last = o;
	return o;
}

int ses_destroy_id(struct iommuctl_session *s, uint32_t id)
{
	struct ic_iommu_destroy d = { .size = sizeof(d), .id = id };

	return ses_ioctl(s, IOMMUFD_CMD_DESTROY, &d);
}

struct iommuctl_obj *ses_obj_made(struct iommuctl_session *s,
				  const struct obj_ops *ops, uint32_t id,
				  int fd)
{
	struct iommuctl_obj *o = ses_obj_new(s, ops, id);

	if (o) {
		o->fd = fd;
		return o;
	}
	if (fd >= 0)
		close(fd);
	ses_destroy_id(s, id);
	return NULL;
}

/* Unlink and free; the kernel object is already gone. */
void ses_obj_free(struct iommuctl_obj *o)
{
	struct iommuctl_session *s = o->s;
	struct iommuctl_obj *it;

	if (o->prev)
		o->prev->next = o->next;
	else
		s->first = o->next;
	if (o->next)
		o->next->prev = o->prev;
	else
		s->last = o->prev;
	/* nothing may point at a freed object */
	for (it = s->first; it; it = it->next) {
		if (it->ioas == o)
			it->ioas = NULL;
		if (it->parent == o)
			it->parent = NULL;
		if (it->device == o)
			it->device = NULL;
		if (it->fault == o)
			it->fault = NULL;
		if (it->attached == o)
			it->attached = NULL;
		for (size_t k = 0; k < it->npatt; k++)
			if (it->patt[k].hwpt == o)
				it->patt[k].hwpt = NULL;
	}
	obj_release(o);
}

IOMMUCTL_EXPORT struct iommuctl_obj *
iommuctl_session_first(struct iommuctl_session *s)
{
	return s ? s->first : NULL;
}

IOMMUCTL_EXPORT struct iommuctl_obj *iommuctl_obj_next(struct iommuctl_obj *o)
{
	return o ? o->next : NULL;
}

IOMMUCTL_EXPORT struct iommuctl_obj *
iommuctl_session_find_id(struct iommuctl_session *s, uint32_t id)
{
	struct iommuctl_obj *o;

	if (!s || !id)
		return NULL;
	for (o = s->first; o; o = o->next)
		if (o->id == id)
			return o;
	return NULL;
}

IOMMUCTL_EXPORT struct iommuctl_obj *
iommuctl_session_find(struct iommuctl_session *s, const char *ref)
{
	struct iommuctl_obj *o;
	char *end;
	unsigned long v;

	if (!s || !ref || !*ref) {
		errno = EINVAL;
		return NULL;
	}
	for (o = s->first; o; o = o->next)
		if (o->name && !strcmp(o->name, ref))
			return o;
	if (isdigit((unsigned char)ref[0])) {
		errno = 0;
		v = strtoul(ref, &end, 10);
		if (!errno && !*end && v && v <= UINT32_MAX) {
			o = iommuctl_session_find_id(s, (uint32_t)v);
			if (o)
				return o;
		}
	}
	errno = ENOENT;
	return NULL;
}

IOMMUCTL_EXPORT enum iommuctl_obj_type
iommuctl_obj_get_type(struct iommuctl_obj *o)
{
	return o ? o->type : 0;
}

IOMMUCTL_EXPORT struct iommuctl_session *
iommuctl_obj_get_session(struct iommuctl_obj *o)
{
	return o ? o->s : NULL;
}

IOMMUCTL_EXPORT uint32_t iommuctl_obj_get_id(struct iommuctl_obj *o)
{
	return o ? o->id : 0;
}

IOMMUCTL_EXPORT const char *iommuctl_obj_get_name(struct iommuctl_obj *o)
{
	return o ? o->name : NULL;
}

static bool name_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (!n || n > NAME_MAX_LEN || isdigit((unsigned char)name[0]))
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("-_.", name[i]))
			return false;
	return true;
}

IOMMUCTL_EXPORT int iommuctl_obj_set_name(struct iommuctl_obj *o,
					  const char *name)
{
	struct iommuctl_obj *it;

	if (!o)
		return -EINVAL;
	if (name) {
		if (!name_ok(name))
			return -EINVAL;
		for (it = o->s->first; it; it = it->next)
			if (it != o && it->name && !strcmp(it->name, name))
				return -EEXIST;
	}
	if (str_set(&o->name, name) < 0)
		return -ENOMEM;
	free(o->label);
	o->label = NULL;
	return 0;
}

IOMMUCTL_EXPORT const char *iommuctl_obj_label(struct iommuctl_obj *o)
{
	const char *t;
	int rc;

	if (!o)
		return "(none)";
	if (o->label)
		return o->label;
	t = o->ops->word;
	if (!t)
		rc = asprintf(&o->label, "%s%s%s%s",
			      iommuctl_obj_type_name(o->type),
			      o->name ? " (" : "", o->name ?: "",
			      o->name ? ")" : "");
	else
		rc = asprintf(&o->label, "%s %u%s%s%s", t, o->id,
			      o->name ? " (" : "", o->name ?: "",
			      o->name ? ")" : "");
	if (rc < 0) {
		o->label = NULL;
		return iommuctl_obj_type_name(o->type);
	}
	return o->label;
}

static void iommuctl_obj_get_info_impl(struct iommuctl_obj *o,
				       struct iommuctl_obj_info *info)
{
	if (!info)
		return;
	memset(info, 0, sizeof(*info));
	info->fd = -1;
	if (!o)
		return;
	info->type = o->type;
	info->id = o->id;
	info->name = o->name;
	info->ioas = o->ops->ioas_of ? o->ops->ioas_of(o) : o->ioas;
	info->parent = o->parent;
	info->device = o->device;
	info->fault = o->fault;
	info->attached = o->attached;
	info->fd = o->fd;
	info->flags = o->flags;
	info->kind = o->kind;
	info->auto_hwpt = o->auto_hwpt;
	info->mock = o->mock;
	info->selftest_id = o->selftest_id;
	info->dev_name = o->dev_name;
	info->virt_id = o->virt_id;
	info->depth = o->depth;
	info->index = o->index;
	info->iova = o->iova;
	info->length = o->length;
}

IOMMUCTL_EXPORT int iommuctl_obj_get_info_sz(struct iommuctl_obj *o,
					     struct iommuctl_obj_info *info,
					     size_t size)
{
	int rc = sz_out(info, size, sizeof(*info));

	if (rc < 0)
		return rc;
	iommuctl_obj_get_info_impl(o, info);
	return 0;
}

/* Does @x hold a reference on @o? (the kernel's rules, section 1.3, in
 * each type's holds operation) */
static bool holds(struct iommuctl_obj *x, struct iommuctl_obj *o)
{
	return x->ops->holds && x->ops->holds(x, o);
}

/* vIOMMUs and what hangs off one hold their parent */
bool obj_holds_parent(const struct iommuctl_obj *x,
		      const struct iommuctl_obj *o)
{
	return x->parent == o;
}

IOMMUCTL_EXPORT int iommuctl_obj_users(struct iommuctl_obj *o,
				       struct iommuctl_obj ***out, size_t *n)
{
	struct iommuctl_obj *x, **v = NULL;
	size_t cnt = 0;

	if (!o || !out || !n)
		return -EINVAL;
	for (x = o->s->first; x; x = x->next)
		if (x != o && holds(x, o))
			cnt++;
	if (cnt) {
		v = calloc(cnt, sizeof(*v));
		if (!v)
			return -ENOMEM;
		cnt = 0;
		for (x = o->s->first; x; x = x->next)
			if (x != o && holds(x, o))
				v[cnt++] = x;
	}
	*out = v;
	*n = cnt;
	return 0;
}

/* "hwpt 3 (automatic, of device 4 (mock iommufd_mock0))" */
static char *describe(struct iommuctl_obj *x)
{
	struct iommuctl_obj *d;
	char *t = NULL;
	int rc = 0;

	if (x->type == IOMMUCTL_OBJ_HWPT_PAGING && x->auto_hwpt) {
		for (d = x->s->first; d; d = d->next)
			if (d->type == IOMMUCTL_OBJ_DEVICE && d->attached == x)
				break;
		if (d)
			rc = asprintf(
				&t, "%s (made by the kernel when %s attached)",
				iommuctl_obj_label(x), iommuctl_obj_label(d));
		else
			rc = asprintf(&t, "%s (automatic)",
				      iommuctl_obj_label(x));
	} else if (x->type == IOMMUCTL_OBJ_DEVICE) {
		rc = asprintf(&t, "%s (%s%s, attached)", iommuctl_obj_label(x),
			      x->mock ? "mock " : "", x->dev_name ?: "?");
	} else {
		t = strdup(iommuctl_obj_label(x));
	}
	return rc < 0 ? NULL : t;
}

/* "hwpt 3 (...) and access (a)"; NULL when nothing holds @o. */
char *ses_users_text(struct iommuctl_obj *o)
{
	struct iommuctl_obj **v;
	char *text = NULL, *part, *tmp;
	size_t n, i;

	if (iommuctl_obj_users(o, &v, &n) < 0 || !n)
		return NULL;
	for (i = 0; i < n; i++) {
		part = describe(v[i]);
		if (asprintf(&tmp, "%s%s%s", text ?: "",
			     !text	? "" :
			     i + 1 == n ? " and " :
					  ", ",
			     part ?: "?") < 0)
			tmp = NULL;
		free(part);
		free(text);
		text = tmp;
		if (!text)
			break;
	}
	free(v);
	return text;
}

static const char *fix_hint(struct iommuctl_obj *o)
{
	struct iommuctl_obj *x;

	for (x = o->s->first; x; x = x->next) {
		if (x == o || !holds(x, o))
			continue;
		if (x->type == IOMMUCTL_OBJ_DEVICE ||
		    (x->type == IOMMUCTL_OBJ_HWPT_PAGING && x->auto_hwpt))
			return "; move or destroy the device first";
	}
	return "; destroy those first";
}

/* When the last device leaves an automatic hwpt, the kernel frees it. */
void ses_detached(struct iommuctl_obj *old)
{
	struct iommuctl_obj *x;

	if (!old || old->type != IOMMUCTL_OBJ_HWPT_PAGING || !old->auto_hwpt)
		return;
	for (x = old->s->first; x; x = x->next)
		if (x != old && holds(x, old))
			return;
	ses_obj_free(old);
}

IOMMUCTL_EXPORT int iommuctl_obj_destroy(struct iommuctl_obj *o)
{
	struct iommuctl_session *s;
	char *users;
	int rc;

	if (!o)
		return -EINVAL;
	s = o->s;
	ses_clear(s);
	users = ses_users_text(o);
	if (users) {
		/* refuse before closing any fd: nothing half-done */
		ses_why(s, "%s is in use by %s%s", iommuctl_obj_label(o), users,
			fix_hint(o));
		free(users);
		return -EBUSY;
	}
	if (o->ops->destroy) {
		rc = o->ops->destroy(o);
		if (rc)
			return rc < 0 ? rc : 0;
	}
	rc = ses_destroy_id(s, o->id);
	if (rc == -EBUSY) {
		if (o->type == IOMMUCTL_OBJ_HWPT_PAGING && o->auto_hwpt)
			ses_why(s,
				"%s was made by the kernel for an attach; it goes away when its last device leaves",
				iommuctl_obj_label(o));
		else
			ses_why(s,
				"the kernel says %s is still in use, by something this session did not create",
				iommuctl_obj_label(o));
		return rc;
	}
	if (rc == -ENOENT) {
		ses_why(s,
			"the kernel has no object %u any more; forgetting %s",
			o->id, iommuctl_obj_label(o));
		ses_obj_free(o);
		return rc;
	}
	if (rc < 0)
		return rc;
	ses_obj_free(o);
	return 0;
}

/* Destroys @o after everything that holds it, newest first. */
static int destroy_with_holders(struct iommuctl_obj *o)
{
	struct iommuctl_obj *x;
	int rc;

	for (;;) {
		for (x = o->s->last; x; x = x->prev)
			if (x != o && holds(x, o))
				break;
		if (!x)
			break;
		rc = destroy_with_holders(x);
		if (rc < 0 && rc != -ENOENT)
			return rc;
	}
	return iommuctl_obj_destroy(o);
}

IOMMUCTL_EXPORT int iommuctl_session_request_fds(struct iommuctl_session *s,
						 int *fds, size_t max)
{
	struct iommuctl_obj *o;
	size_t n = 0;

	if (!s || (!fds && max))
		return -EINVAL;
	for (o = s->first; o; o = o->next)
		if (o->req_fd >= 0 && n < max)
			fds[n++] = o->req_fd;
	return (int)n;
}

IOMMUCTL_EXPORT int
iommuctl_session_release_requested(struct iommuctl_session *s,
				   iommuctl_release_fn fn, void *arg)
{
	struct iommuctl_obj *o;
	uint64_t v;
	int n = 0, rc;

	if (!s)
		return -EINVAL;
again:
	for (o = s->first; o; o = o->next) {
		if (o->req_fd < 0 || read(o->req_fd, &v, sizeof(v)) != sizeof(v))
			continue;
		/* the kernel waits, blocked, until the device is closed */
		if (fn)
			fn(o, arg);
		rc = destroy_with_holders(o);
		if (rc < 0 && rc != -ENOENT)
			return rc;
		n++;
		goto again; /* the list changed */
	}
	return n;
}

/* The object must exist in @s and be of @type. */
int ses_check(struct iommuctl_session *s, struct iommuctl_obj *o,
	      enum iommuctl_obj_type type, const char *what)
{
	if (!o)
		return -EINVAL;
	if (o->s != s && s)
		return -EINVAL;
	if (o->type != type) {
		ses_why(o->s, "%s is a %s, not %s", iommuctl_obj_label(o),
			iommuctl_obj_type_name(o->type), what);
		return -EINVAL;
	}
	return 0;
}

/* The opening of a call on one object: clear the session's last reason,
 * then ses_check() that @o is a @type. */
int ses_enter(struct iommuctl_obj *o, enum iommuctl_obj_type type,
	      const char *what)
{
	if (!o)
		return -EINVAL;
	ses_clear(o->s);
	return ses_check(o->s, o, type, what);
}

/* A page-table target: an IOAS or a hwpt. */
int ses_check_pt(struct iommuctl_obj *o, const char *what)
{
	if (!o)
		return -EINVAL;
	if (o->type != IOMMUCTL_OBJ_IOAS &&
	    o->type != IOMMUCTL_OBJ_HWPT_PAGING &&
	    o->type != IOMMUCTL_OBJ_HWPT_NESTED) {
		ses_why(o->s, "%s is a %s; %s must be an ioas or a hwpt",
			iommuctl_obj_label(o), iommuctl_obj_type_name(o->type),
			what);
		return -EINVAL;
	}
	return 0;
}

/* The digits at *@p in @base (10 or 16), as strtoull() reads them (all of
 * them, also past an overflow: -ERANGE), without its locale and sign
 * handling, which cost more than the rest of a batch line's parsing. */
static int scan_digits(const char **p, unsigned int base, uint64_t *v)
{
	uint64_t x = 0;
	unsigned int d;
	bool over = false;

	for (;; (*p)++) {
		d = (unsigned char)**p;
		if (d >= '0' && d <= '9')
			d -= '0';
		else if (base == 16 && (d | 0x20) >= 'a' && (d | 0x20) <= 'f')
			d = (d | 0x20) - 'a' + 10;
		else
			break;
		if (x > (UINT64_MAX - d) / base)
			over = true;
		else
			x = x * base + d;
	}
	*v = x;
	return over ? -ERANGE : 0;
}

IOMMUCTL_EXPORT int iommuctl_parse_size(const char *text, uint64_t *out)
{
	uint64_t v;
	const char *p;
	unsigned int shift = 0;

	if (!text || !out || !*text || isspace((unsigned char)text[0]) ||
	    text[0] == '-' || text[0] == '+')
		return -EINVAL;
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		if (!isxdigit((unsigned char)text[2]))
			return -EINVAL;
		p = text + 2;
		if (scan_digits(&p, 16, &v) < 0)
			return -ERANGE;
		if (*p)
			return -EINVAL;
		*out = v;
		return 0;
	}
	if (!isdigit((unsigned char)text[0]))
		return -EINVAL;
	p = text;
	if (scan_digits(&p, 10, &v) < 0)
		return -ERANGE;
	if (*p) {
		switch (*p) {
		case 'k':
		case 'K':
			shift = 10;
			break;
		case 'm':
		case 'M':
			shift = 20;
			break;
		case 'g':
		case 'G':
			shift = 30;
			break;
		case 't':
		case 'T':
			shift = 40;
			break;
		default:
			return -EINVAL;
		}
		p++;
		if (!strcmp(p, "iB") || !strcmp(p, "B"))
			p += strlen(p);
		if (*p)
			return -EINVAL;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = (uint64_t)v << shift;
	return 0;
}
