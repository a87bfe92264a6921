// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Shared by the iommufd object commands: the session, object references
 * ("guest" or "3"), the one JSON emitter of a session object, and the
 * `objects` and `option` commands.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

int sess_get(struct cmdctx *c, struct iommuctl_session **out)
{
	int rc;

	if (!c->sess) {
		rc = iommuctl_session_open(c->ctx, &c->sess);
		if (rc == -EOPNOTSUPP)
			return cmd_fail_on(
				c, c->object, EXIT_UNAVAILABLE, EOPNOTSUPP,
				"iommufd objects need the live system, not --root");
		if (rc == -ENOENT)
			return cmd_fail_on(
				c, "/dev/iommu", EXIT_UNAVAILABLE, ENOENT,
				"does not exist: the kernel lacks CONFIG_IOMMUFD or the iommufd module is not loaded");
		if (rc < 0)
			return cmd_fail_on(c, "/dev/iommu", EXIT_FAILED, rc,
					   "cannot open it: %s%s", strerror(-rc),
					   rc == -EACCES ? " (run as root)" : "");
	}
	*out = c->sess;
	return 0;
}

/* Exit 3 naming the ioctl when the kernel lacks iommufd command @nr. */
int need_cmd(struct cmdctx *c, struct iommuctl_session *s, unsigned int nr,
	     const char *name, const char *since)
{
	int rc = iommuctl_session_has_cmd(s, nr);

	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, rc, "asking the kernel for %s",
				name);
	if (!rc)
		return cmd_fail_on(c, c->object, EXIT_UNAVAILABLE, ENOTTY,
				   "this kernel has no %s (added in Linux %s)",
				   name, since);
	return 0;
}

/* One-shot mode: the objects die when iommuctl exits; say so once. */
void note_oneshot(struct cmdctx *c)
{
	if (!c->in_session)
		fprintf(stderr,
			"iommuctl: note: objects live only as long as this process; "
			"use 'iommuctl shell' or 'iommuctl batch' to keep them\n");
}

int lib_fail(struct cmdctx *c, int rc, const char *what, const char *fmt, ...)
{
	const char *why = c->sess ? iommuctl_session_error(c->sess) : NULL;
	char *msg = NULL;
	va_list ap;
	int code = rc == -ENOTTY ? EXIT_UNAVAILABLE : EXIT_FAILED;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (rc == -ENOTTY && !why)
		why = "this kernel does not have that iommufd command";
	/* the explanation says more than strerror(); errno stays in JSON */
	rc = cmd_fail_on(c, what, code, rc, "%s%s%s", msg ?: "",
			 msg && *msg ? ": " : "", why ?: strerror(-rc));
	free(msg);
	return rc;
}

static const struct {
	unsigned int mask;
	const char *word;
} type_words[] = {
	{ OBJ_MASK(IOMMUCTL_OBJ_IOAS), "an ioas" },
	{ OBJ_MASK_HWPT, "a hwpt" },
	{ OBJ_MASK(IOMMUCTL_OBJ_HWPT_PAGING), "a paging hwpt" },
	{ OBJ_MASK(IOMMUCTL_OBJ_DEVICE), "a device" },
	{ OBJ_MASK(IOMMUCTL_OBJ_FAULT), "a fault queue" },
	{ OBJ_MASK(IOMMUCTL_OBJ_VIOMMU), "a viommu" },
	{ OBJ_MASK(IOMMUCTL_OBJ_ACCESS), "an access" },
	{ OBJ_MASK(IOMMUCTL_OBJ_VEVENTQ), "a veventq" },
	{ OBJ_MASK(IOMMUCTL_OBJ_VDEVICE), "a vdevice" },
	{ OBJ_MASK(IOMMUCTL_OBJ_HW_QUEUE), "a hw queue" },
};

static const char *type_word(unsigned int mask)
{
	size_t i;

	for (i = 0; i < sizeof(type_words) / sizeof(type_words[0]); i++)
		if (type_words[i].mask == mask)
			return type_words[i].word;
	return "another kind of object";
}

int obj_ref(struct cmdctx *c, const char *ref, unsigned int mask,
	    struct iommuctl_obj **out)
{
	struct iommuctl_session *s;
	struct iommuctl_obj *o;
	enum iommuctl_obj_type t;
	int rc;

	if (!ref)
		return cmd_usage(c, "which %s?", strchr(type_word(mask), ' ') + 1);
	rc = sess_get(c, &s);
	if (rc < 0)
		return rc;
	o = iommuctl_session_find(s, ref);
	if (!o)
		return cmd_fail_on(
			c, ref, EXIT_FAILED, ENOENT, "%s",
			c->in_session ?
				"no such object in this session (see 'objects')" :
				"no such object: objects live only inside one iommuctl process; "
				"use 'iommuctl shell' or 'iommuctl batch'");
	t = iommuctl_obj_get_type(o);
	if (mask && !(mask & OBJ_MASK(t)))
		return cmd_fail_on(c, iommuctl_obj_label(o), EXIT_FAILED, EINVAL,
				   "is %s %s, not %s",
				   t == IOMMUCTL_OBJ_IOAS ? "an" : "a",
				   iommuctl_obj_type_name(t), type_word(mask));
	*out = o;
	return 0;
}

int parse_size(struct cmdctx *c, const char *opt, const char *text, uint64_t *v)
{
	int rc = iommuctl_parse_size(text, v);

	if (rc == -ERANGE)
		return cmd_usage(c, "%s: '%s' does not fit in 64 bits", opt, text);
	if (rc < 0)
		return cmd_usage(
			c,
			"%s: '%s' is not a size or address (4096, 0x1000, 4k, 2M, 1G)",
			opt, text);
	return 0;
}

static int name_taken(struct cmdctx *c, const char *name)
{
	return cmd_fail_on(c, name, EXIT_FAILED, EEXIST,
			   "another object of this session has that name");
}

/* A name must be free before anything is made: nothing half-done. */
int name_check(struct cmdctx *c, struct iommuctl_session *s, const char *name)
{
	return name && iommuctl_session_find(s, name) ? name_taken(c, name) : 0;
}

/* After a successful create: name it (or destroy it), note, and leave it
 * as the result ("created LABEL": render_created). */
int obj_created(struct cmdctx *c, struct iommuctl_obj *o, const char *name)
{
	int rc = name ? iommuctl_obj_set_name(o, name) : 0;

	if (rc == -EEXIST)
		rc = name_taken(c, name);
	else if (rc < 0)
		rc = cmd_fail_on(
			c, name, EXIT_FAILED, -rc,
			"not a valid name: letters, digits, '-', '_', '.', not starting with a digit");
	if (rc < 0) {
		iommuctl_obj_destroy(o);
		return rc;
	}
	note_oneshot(c);
	return cmd_out(c, obj_to_json(o, false));
}

/* The text of a result that is one object: "VERB-DONE LABEL", the done
 * word from the verb's data ("created" if none). */
void render_done(struct cmdctx *c, struct json_object *j)
{
	const char *done = c->vb && c->vb->data ? c->vb->data : "created";

	printf("%s %s\n", done, jstr(c, j, "label"));
}

/* ---- LEGACY wrappers (old convention: -1 to go on, else the exit code) */
int session_get(struct cmdctx *c, struct iommuctl_session **out)
{
	int rc = sess_get(c, out);

	return rc < 0 ? cmd_finish(c, rc) : -1;
}

int require_cmd(struct cmdctx *c, struct iommuctl_session *s, unsigned int nr,
		const char *name, const char *since)
{
	int rc = need_cmd(c, s, nr, name, since);

	return rc < 0 ? cmd_finish(c, rc) : -1;
}

int lib_error(struct cmdctx *c, int rc, const char *what, const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	rc = lib_fail(c, rc, what, "%s", msg ?: "");
	free(msg);
	return cmd_finish(c, rc);
}

int name_obj(struct cmdctx *c, struct iommuctl_obj *o, const char *name)
{
	int rc;

	if (!name)
		return -1;
	rc = iommuctl_obj_set_name(o, name);
	if (rc == -EEXIST)
		rc = name_taken(c, name);
	else if (rc < 0)
		rc = cmd_fail_on(
			c, name, EXIT_FAILED, -rc,
			"not a valid name: letters, digits, '-', '_', '.', not starting with a digit");
	return rc < 0 ? cmd_finish(c, rc) : -1;
}

int obj_arg(struct cmdctx *c, const char *ref, unsigned int mask,
	    struct iommuctl_obj **out)
{
	int rc = obj_ref(c, ref, mask, out);

	return rc < 0 ? cmd_finish(c, rc) : -1;
}

int size_arg(struct cmdctx *c, const char *opt, const char *text, uint64_t *v)
{
	int rc = parse_size(c, opt, text, v);

	return rc < 0 ? cmd_finish(c, rc) : -1;
}

int name_free(struct cmdctx *c, struct iommuctl_session *s, const char *name)
{
	int rc = name_check(c, s, name);

	return rc < 0 ? cmd_finish(c, rc) : -1;
}

int alloc_done(struct cmdctx *c, struct iommuctl_obj *o, const char *name,
	       const char *done)
{
	struct json_object *j;
	int rc = obj_created(c, o, name);

	if (rc < 0)
		return cmd_finish(c, rc);
	j = c->out;
	c->out = NULL;
	if (c->json)
		json_print(c, j);
	else
		printf("%s %s\n", done, jstr(c, j, "label"));
	json_object_put(j);
	return EXIT_OK;
}

/* A session object's reference in JSON: its id, or its name (access). */
static struct json_object *ref_json(struct iommuctl_obj *o)
{
	if (!o)
		return NULL;
	if (iommuctl_obj_get_id(o))
		return json_object_new_int64(iommuctl_obj_get_id(o));
	return json_object_new_string(iommuctl_obj_get_name(o) ?: "");
}

static void add_ref(struct json_object *j, const char *key,
		    struct iommuctl_obj *o)
{
	if (o)
		json_object_object_add(j, key, ref_json(o));
}

static const char *data_type_name(uint32_t t)
{
	switch (t) {
	case IOMMUCTL_HWPT_DATA_NONE:
		return "none";
	case IOMMUCTL_HWPT_DATA_VTD_S1:
		return "vtd-s1";
	case IOMMUCTL_HWPT_DATA_ARM_SMMUV3:
		return "arm-smmuv3";
	case IOMMUCTL_HWPT_DATA_AMD_GUEST:
		return "amd-guest";
	case IOMMUCTL_HWPT_DATA_SELFTEST:
		return "selftest";
	default:
		return "unknown";
	}
}

const char *viommu_type_name(uint32_t t)
{
	switch (t) {
	case IOMMUCTL_VIOMMU_ARM_SMMUV3:
		return "arm-smmuv3";
	case IOMMUCTL_VIOMMU_TEGRA241_CMDQV:
		return "tegra241-cmdqv";
	case IOMMUCTL_VIOMMU_SELFTEST: /* == HW queue selftest */
		return "selftest";
	case IOMMUCTL_VEVENTQ_SELFTEST:
		return "selftest";
	default:
		return "unknown";
	}
}

struct json_object *mapping_to_json(const struct iommuctl_mapping *m)
{
	struct json_object *j = json_object_new_object();

	json_object_object_add(j, "iova", json_hex(m->iova));
	json_object_object_add(j, "last", json_hex(m->iova + m->length - 1));
	json_object_object_add(j, "length",
			       json_object_new_int64((int64_t)m->length));
	json_object_object_add(
		j, "perm",
		json_object_new_string(
			(m->perm & (IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE)) ==
					(IOMMUCTL_MAP_READ |
					 IOMMUCTL_MAP_WRITE) ?
				"rw" :
			m->perm & IOMMUCTL_MAP_WRITE ? "w" :
						       "r"));
	json_object_object_add(
		j, "memory",
		json_object_new_string(iommuctl_mem_kind_name(m->mem)));
	if (m->page_size)
		json_object_object_add(
			j, "page_size",
			json_object_new_int64((int64_t)m->page_size));
	if (m->path) {
		json_object_object_add(j, "path",
				       json_object_new_string(m->path));
		json_object_object_add(
			j, "offset", json_object_new_int64((int64_t)m->offset));
	}
	if (m->src) {
		add_ref(j, "copied_from", m->src);
		json_object_object_add(j, "src_iova", json_hex(m->src_iova));
	}
	return j;
}

/* The one emitter of a session object; tables and trees render from it. */
struct json_object *obj_to_json(struct iommuctl_obj *o, bool detail)
{
	struct json_object *j = json_object_new_object(), *a;
	struct iommuctl_obj_info in;
	size_t n, i;

	iommuctl_obj_get_info(o, &in);
	json_object_object_add(j, "id",
			       in.id ? json_object_new_int64(in.id) : NULL);
	json_object_object_add(
		j, "name", in.name ? json_object_new_string(in.name) : NULL);
	json_object_object_add(
		j, "type",
		json_object_new_string(iommuctl_obj_type_name(in.type)));
	json_object_object_add(j, "label",
			       json_object_new_string(iommuctl_obj_label(o)));
	switch (in.type) {
	case IOMMUCTL_OBJ_IOAS: {
		const struct iommuctl_mapping *m =
			iommuctl_ioas_mappings(o, &n);
		uint64_t bytes = 0;

		for (i = 0; i < n; i++)
			bytes += m[i].length;
		json_object_object_add(j, "mappings_count",
				       json_object_new_int64((int64_t)n));
		json_object_object_add(j, "mapped_bytes",
				       json_object_new_int64((int64_t)bytes));
		if (detail) {
			const struct iommuctl_iova_range *r;

			a = json_object_new_array();
			for (i = 0; i < n; i++)
				json_object_array_add(a,
						      mapping_to_json(&m[i]));
			json_object_object_add(j, "mappings", a);
			r = iommuctl_ioas_get_allowed(o, &n);
			a = json_object_new_array();
			for (i = 0; i < n; i++) {
				struct json_object *e =
					json_object_new_object();

				json_object_object_add(e, "start",
						       json_hex(r[i].start));
				json_object_object_add(e, "last",
						       json_hex(r[i].last));
				json_object_array_add(a, e);
			}
			json_object_object_add(j, "allowed", a);
		}
		break;
	}
	case IOMMUCTL_OBJ_HWPT_PAGING:
	case IOMMUCTL_OBJ_HWPT_NESTED:
		add_ref(j, "ioas", in.ioas);
		add_ref(j, "parent", in.parent);
		add_ref(j, "device", in.device);
		add_ref(j, "fault", in.fault);
		json_object_object_add(j, "auto",
				       json_object_new_boolean(in.auto_hwpt));
		a = json_object_new_array();
		if (in.flags & IOMMUCTL_HWPT_NEST_PARENT)
			json_object_array_add(
				a, json_object_new_string("nest-parent"));
		if (in.flags & IOMMUCTL_HWPT_DIRTY_TRACKING)
			json_object_array_add(
				a, json_object_new_string("dirty-tracking"));
		if (in.flags & IOMMUCTL_HWPT_FAULT)
			json_object_array_add(a,
					      json_object_new_string("fault"));
		if (in.flags & IOMMUCTL_HWPT_PASID)
			json_object_array_add(a,
					      json_object_new_string("pasid"));
		json_object_object_add(j, "flags", a);
		if (in.type == IOMMUCTL_OBJ_HWPT_NESTED)
			json_object_object_add(
				j, "data_type",
				json_object_new_string(
					data_type_name(in.kind)));
		break;
	case IOMMUCTL_OBJ_DEVICE:
		json_object_object_add(j, "mock",
				       json_object_new_boolean(in.mock));
		json_object_object_add(
			j, "device",
			in.dev_name ? json_object_new_string(in.dev_name) :
				      NULL);
		add_ref(j, "attached", in.attached);
		add_ref(j, "ioas", in.ioas);
		if (!in.mock) {
			size_t np = iommuctl_device_get_pasids(o, NULL, NULL, 0);
			uint32_t *pv = calloc(np ? np : 1, sizeof(*pv));
			struct iommuctl_obj **hv =
				calloc(np ? np : 1, sizeof(*hv));
			struct json_object *pa = json_object_new_array();

			if (pv && hv)
				iommuctl_device_get_pasids(o, pv, hv, np);
			for (size_t k = 0; pv && hv && k < np; k++) {
				struct json_object *e = json_object_new_object();

				json_object_object_add(
					e, "pasid", json_object_new_int64(pv[k]));
				add_ref(e, "hwpt", hv[k]);
				json_object_array_add(pa, e);
			}
			json_object_object_add(j, "pasids", pa);
			free(pv);
			free(hv);
		}
		if (in.mock)
			json_object_object_add(
				j, "selftest_id",
				json_object_new_int64(in.selftest_id));
		break;
	case IOMMUCTL_OBJ_ACCESS:
		add_ref(j, "ioas", in.ioas);
		json_object_object_add(j, "fd", json_object_new_int(in.fd));
		json_object_object_add(
			j, "needs_pin",
			json_object_new_boolean(in.flags &
						IOMMUCTL_ACCESS_NEEDS_PIN));
		break;
	case IOMMUCTL_OBJ_FAULT:
		json_object_object_add(j, "fd", json_object_new_int(in.fd));
		break;
	case IOMMUCTL_OBJ_VIOMMU:
		add_ref(j, "parent", in.parent);
		add_ref(j, "device", in.device);
		json_object_object_add(
			j, "viommu_type",
			json_object_new_string(viommu_type_name(in.kind)));
		break;
	case IOMMUCTL_OBJ_VDEVICE:
		add_ref(j, "parent", in.parent);
		add_ref(j, "device", in.device);
		json_object_object_add(j, "virt_id", json_hex(in.virt_id));
		break;
	case IOMMUCTL_OBJ_VEVENTQ:
		add_ref(j, "parent", in.parent);
		json_object_object_add(j, "fd", json_object_new_int(in.fd));
		json_object_object_add(j, "depth",
				       json_object_new_int64(in.depth));
		json_object_object_add(
			j, "veventq_type",
			json_object_new_string(viommu_type_name(in.kind)));
		break;
	case IOMMUCTL_OBJ_HW_QUEUE:
		add_ref(j, "parent", in.parent);
		json_object_object_add(j, "index",
				       json_object_new_int64(in.index));
		json_object_object_add(j, "iova", json_hex(in.iova));
		json_object_object_add(
			j, "length", json_object_new_int64((int64_t)in.length));
		break;
	}
	return j;
}

/* Print a created/changed object: JSON, or "created ioas 1 (guest)". */
int print_obj_result(struct cmdctx *c, struct iommuctl_obj *o,
		     const char *verb_done)
{
	struct json_object *j = obj_to_json(o, false);

	if (c->json)
		json_print(c, j);
	else
		printf("%s %s\n", verb_done, iommuctl_obj_label(o));
	json_object_put(j);
	return EXIT_OK;
}

/* ---- show (every object) --------------------------------------------------- */

/* obj_to_json() with detail, plus the labels of the objects holding it */
struct json_object *obj_row(struct iommuctl_obj *o)
{
	struct json_object *j = obj_to_json(o, true),
			   *users = json_object_new_array();
	struct iommuctl_obj **u;
	size_t n, i;

	if (iommuctl_obj_users(o, &u, &n) == 0) {
		for (i = 0; i < n; i++)
			json_object_array_add(
				users, json_object_new_string(
					       iommuctl_obj_label(u[i])));
		free(u);
	}
	json_object_object_add(j, "users", users);
	return j;
}

int show_objs(int argc, char **argv, struct cmdctx *c,
	      const struct verb_help *h, const struct show_spec *sp)
{
	struct iommuctl_session *s;
	struct iommuctl_obj *o;
	struct json_object *a;
	struct optparse p;
	int rc;

	rc = optparse_operands(&p, c, argc, argv, h);
	if (rc >= 0)
		return rc;
	if (p.argc > 1)
		return cmd_usage_error(c, "give at most one %s", sp->what);
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	a = json_object_new_array();
	if (p.argc == 1) {
		rc = obj_arg(c, p.argv[0], sp->mask, &o);
		if (rc >= 0) {
			json_object_put(a);
			return rc;
		}
		json_object_array_add(a, obj_row(o));
	} else {
		iommuctl_session_foreach(
			s, o) if (sp->mask & (1u << iommuctl_obj_get_type(o)))
			json_object_array_add(a, obj_row(o));
	}
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, sp->key, a);
		json_print(c, j);
		json_object_put(j);
		return EXIT_OK;
	}
	if (!json_object_array_length(a))
		printf("no %s in this session\n", sp->what);
	else
		table_print(stdout, a, sp->cols, "");
	json_object_put(a);
	return EXIT_OK;
}

/* "X show [ID]" of every session object type: v->data is its objtype */
int objs_show_run(struct cmdctx *c, void *args)
{
	const struct objtype *t = c->vb->data;
	struct iommuctl_session *s;
	struct iommuctl_obj *o;
	struct json_object *a, *j;
	int rc;

	if (c->argc > 1)
		return cmd_usage(c, "give at most one %s", t->what);
	rc = sess_get(c, &s);
	if (rc < 0)
		return rc;
	a = json_object_new_array();
	if (c->argc == 1) {
		rc = obj_ref(c, c->argv[0], t->mask, &o);
		if (rc < 0) {
			json_object_put(a);
			return rc;
		}
		json_object_array_add(a, obj_row(o));
	} else {
		iommuctl_session_foreach(s, o)
			if (t->mask & OBJ_MASK(iommuctl_obj_get_type(o)))
				json_object_array_add(a, obj_row(o));
	}
	j = json_object_new_object();
	json_object_object_add(j, t->key, a);
	return cmd_out(c, j);
}

static void objs_show_text(struct cmdctx *c, struct json_object *j)
{
	const struct objtype *t = c->vb->data;
	struct json_object *a = jget(c, j, t->key);

	if (!a || !json_object_array_length(a))
		printf("no %s in this session\n", t->what);
	else
		table_print(stdout, a, t->cols, "");
}

const struct render objs_show_render = { .text = objs_show_text };

/* "X destroy ID": v->data is the objtype, or NULL for any object */
int obj_destroy_run(struct cmdctx *c, void *args)
{
	const struct objtype *t = c->vb->data;
	struct iommuctl_obj *o;
	struct json_object *j;
	char *label;
	int rc;

	rc = obj_ref(c, c->argv[0], t ? t->mask : 0, &o);
	if (rc < 0)
		return rc;
	label = strdup(iommuctl_obj_label(o));
	rc = iommuctl_obj_destroy(o);
	if (rc < 0) {
		rc = lib_fail(c, rc, label ?: c->argv[0], "cannot destroy");
		free(label);
		return rc;
	}
	j = json_object_new_object();
	json_object_object_add(j, "destroyed", json_object_new_string(label ?: ""));
	free(label);
	return cmd_out(c, j);
}

static void destroyed_text(struct cmdctx *c, struct json_object *j)
{
	printf("destroyed %s\n", jstr(c, j, "destroyed"));
}

const struct render obj_destroy_render = { .text = destroyed_text };

/* ---- objects ---------------------------------------------------------- */

static const struct opt no_opts[] = { { NULL, 0, NULL, NULL } };

/* The holder an object hangs under in the tree. */
static struct iommuctl_obj *tree_parent(struct iommuctl_obj *o)
{
	struct iommuctl_obj_info in;

	iommuctl_obj_get_info(o, &in);
	switch (in.type) {
	case IOMMUCTL_OBJ_HWPT_PAGING:
	case IOMMUCTL_OBJ_ACCESS:
		return in.ioas;
	case IOMMUCTL_OBJ_DEVICE:
		return in.attached;
	default:
		return in.parent;
	}
}

static void tree_line(struct cmdctx *c, struct json_object *j)
{
	struct json_object *v;
	const char *t =
		json_object_get_string(json_object_object_get(j, "type"));

	printf("%s%s%s", color_on(c, "header"),
	       json_object_get_string(json_object_object_get(j, "label")),
	       color_off(c));
	if (!strcmp(t, "ioas")) {
		printf("  %lld mapping(s), %lld bytes",
		       (long long)json_object_get_int64(
			       json_object_object_get(j, "mappings_count")),
		       (long long)json_object_get_int64(
			       json_object_object_get(j, "mapped_bytes")));
	} else if (!strncmp(t, "hwpt", 4)) {
		char *f = json_list_text(json_object_object_get(j, "flags"));

		printf("  %s", t + 5);
		if (json_object_get_boolean(json_object_object_get(j, "auto")))
			printf(", automatic");
		if (f && *f && strcmp(f, "-"))
			printf(", %s", f);
		if (json_object_object_get_ex(j, "data_type", &v))
			printf(", data %s", json_object_get_string(v));
		if (json_object_object_get_ex(j, "fault", &v))
			printf(", faults to fault %s",
			       json_object_get_string(v));
		free(f);
	} else if (!strcmp(t, "device")) {
		printf("  %s%s",
		       json_object_get_boolean(
			       json_object_object_get(j, "mock")) ?
			       "mock " :
			       "",
		       json_object_get_string(json_object_object_get(j, "device")) ?:
			       "?");
	} else if (json_object_object_get_ex(j, "fd", &v)) {
		printf("  fd %d", json_object_get_int(v));
	}
	if (json_object_object_get_ex(j, "virt_id", &v))
		printf("  virt id %s", json_object_get_string(v));
	printf("\n");
}

static void tree_print(struct cmdctx *c, struct iommuctl_session *s,
		       struct iommuctl_obj *parent, const char *prefix)
{
	struct iommuctl_obj *o, *last = NULL;

	iommuctl_session_foreach(s, o) if (tree_parent(o) == parent) last = o;
	iommuctl_session_foreach(s, o)
	{
		struct json_object *j;
		char *next;

		if (tree_parent(o) != parent)
			continue;
		j = obj_to_json(o, false);
		printf("%s%s", prefix,
		       parent ? (o == last ? "`- " : "|- ") : "");
		tree_line(c, j);
		json_object_put(j);
		if (asprintf(&next, "%s%s", prefix,
			     parent ? (o == last ? "   " : "|  ") : "") < 0)
			continue;
		tree_print(c, s, o, next);
		free(next);
	}
}

static const struct verb_help objects_help = {
	.synopsis = "",
	.description =
		"The session's iommufd objects as a tree: each object under what it\n"
		"holds a reference on (hwpts and accesses under their IOAS, devices\n"
		"under the hwpt they are attached to, vIOMMU children under the\n"
		"vIOMMU). The kernel cannot list objects; this is the session's record.\n"
		"JSON lists every object with its references by id.",
	.opts = no_opts,
};

static int do_objects(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_session *s;
	struct iommuctl_obj *o;
	struct json_object *j, *a;
	struct optparse p;
	int rc;

	rc = optparse_operands(&p, c, argc, argv, &objects_help);
	if (rc >= 0)
		return rc;
	if (p.argc > 0)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	if (c->json) {
		j = json_object_new_object();
		a = json_object_new_array();
		iommuctl_session_foreach(s, o)
			json_object_array_add(a, obj_to_json(o, true));
		json_object_object_add(j, "objects", a);
		json_print(c, j);
		json_object_put(j);
		return EXIT_OK;
	}
	if (!iommuctl_session_first(s)) {
		printf("no objects in this session\n");
		return EXIT_OK;
	}
	tree_print(c, s, NULL, "");
	return EXIT_OK;
}

static const struct opt destroy_opts[] = { { NULL, 0, NULL, NULL } };
static const struct verb_help objdestroy_help = {
	.synopsis = "ID|NAME",
	.description =
		"Destroy any object of the session. Refused, with the objects that\n"
		"hold it named, while something still uses it.",
	.opts = destroy_opts,
};

int destroy_obj_cmd(struct cmdctx *c, int argc, char **argv,
		    const struct verb_help *h, unsigned int mask)
{
	struct iommuctl_obj *o;
	struct optparse p;
	char *label;
	int rc;

	rc = optparse_operands(&p, c, argc, argv, h);
	if (rc >= 0)
		return rc;
	if (p.argc != 1)
		return cmd_usage_error(c, "give exactly one object");
	rc = obj_arg(c, p.argv[0], mask, &o);
	if (rc >= 0)
		return rc;
	label = strdup(iommuctl_obj_label(o));
	rc = iommuctl_obj_destroy(o);
	if (rc < 0) {
		rc = lib_error(c, rc, label ?: p.argv[0], "cannot destroy");
		free(label);
		return rc;
	}
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "destroyed",
				       json_object_new_string(label ?: ""));
		json_print(c, j);
		json_object_put(j);
	} else {
		printf("destroyed %s\n", label ?: p.argv[0]);
	}
	free(label);
	return EXIT_OK;
}

static int do_objdestroy(int argc, char **argv, struct cmdctx *c)
{
	return destroy_obj_cmd(c, argc, argv, &objdestroy_help, 0);
}

static const struct cmd objects_cmds[] = {
	{ "show", do_objects,
	  "the session's objects as a tree (JSON: a list)" },
	{ "destroy", do_objdestroy, "destroy any object by id or name" },
	{ NULL, NULL, NULL },
};

int cmd_objects(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(objects_cmds, argc, argv, c);
}

/* ---- option ------------------------------------------------------------ */

static const struct opt option_show_opts[] = {
	{ "ioas", 0, "IOAS", "also show the huge-pages option of this IOAS" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help option_show_help = {
	.synopsis = "[--ioas IOAS]",
	.description =
		"Show IOMMU_OPTION values: rlimit-mode (how pinned pages are charged:\n"
		"'user' to the user's RLIMIT_MEMLOCK, 'process' to the process) and,\n"
		"with --ioas, huge-pages (whether the IOAS may use large IOPTEs).",
	.opts = option_show_opts,
};

static int do_option_show(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_session *s;
	struct iommuctl_obj *ioas = NULL;
	struct json_object *j;
	const char *ioas_ref = NULL;
	struct optparse p;
	uint64_t v;
	int o, rc;

	optparse_init(&p, c, argc, argv, &option_show_help);
	while ((o = optparse_next(&p)) >= 0)
		ioas_ref = p.arg;
	optparse_fini(&p);
	if (o == OPT_EXIT)
		return p.exit;
	if (p.argc)
		return cmd_usage_error(c, "unexpected argument '%s'",
				       p.argv[0]);
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	if (ioas_ref) {
		rc = obj_arg(c, ioas_ref, 1u << IOMMUCTL_OBJ_IOAS, &ioas);
		if (rc >= 0)
			return rc;
	}
	j = json_object_new_object();
	rc = iommuctl_option_get(s, IOMMUCTL_OPTION_RLIMIT_MODE, NULL, &v);
	if (rc < 0) {
		json_object_put(j);
		return lib_error(c, rc, "rlimit-mode", "cannot read");
	}
	json_object_object_add(j, "rlimit_mode",
			       json_object_new_string(v ? "process" : "user"));
	if (ioas) {
		rc = iommuctl_option_get(s, IOMMUCTL_OPTION_HUGE_PAGES, ioas,
					 &v);
		if (rc < 0) {
			json_object_put(j);
			return lib_error(c, rc, iommuctl_obj_label(ioas),
					 "cannot read huge-pages");
		}
		json_object_object_add(
			j, "ioas",
			json_object_new_int64(iommuctl_obj_get_id(ioas)));
		json_object_object_add(j, "huge_pages",
				       json_object_new_boolean(v));
	}
	if (c->json) {
		json_print(c, j);
	} else {
		static const struct column f[] = {
			{ "rlimit-mode", "rlimit_mode", 0 },
			{ "IOAS", "ioas", 0 },
			{ "huge-pages", "huge_pages", 0 },
			{ NULL, NULL, 0 },
		};
		kv_print(stdout, j, f);
	}
	json_object_put(j);
	return EXIT_OK;
}

static const struct opt option_set_opts[] = {
	{ "ioas", 0, "IOAS", "the IOAS, for huge-pages" },
	{ NULL, 0, NULL, NULL },
};
static const struct verb_help option_set_help = {
	.synopsis = "rlimit-mode user|process | huge-pages on|off --ioas IOAS",
	.description =
		"Set an IOMMU_OPTION. rlimit-mode needs CAP_SYS_RESOURCE and a session\n"
		"without objects (set it first); huge-pages is per IOAS.",
	.opts = option_set_opts,
};

static int do_option_set(int argc, char **argv, struct cmdctx *c)
{
	struct iommuctl_session *s;
	struct iommuctl_obj *ioas = NULL;
	const char *ioas_ref = NULL;
	struct optparse p;
	uint64_t v;
	unsigned int opt;
	int o, rc;

	optparse_init(&p, c, argc, argv, &option_set_help);
	while ((o = optparse_next(&p)) >= 0)
		ioas_ref = p.arg;
	optparse_fini(&p);
	if (o == OPT_EXIT)
		return p.exit;
	if (p.argc != 2)
		return cmd_usage_error(c, "give an option and a value");
	if (!strcmp(p.argv[0], "rlimit-mode")) {
		opt = IOMMUCTL_OPTION_RLIMIT_MODE;
		if (!strcmp(p.argv[1], "user"))
			v = 0;
		else if (!strcmp(p.argv[1], "process"))
			v = 1;
		else
			return cmd_usage_error(
				c, "rlimit-mode is 'user' or 'process'");
		if (ioas_ref)
			return cmd_usage_error(
				c,
				"rlimit-mode belongs to the session, not an IOAS");
	} else if (!strcmp(p.argv[0], "huge-pages")) {
		opt = IOMMUCTL_OPTION_HUGE_PAGES;
		if (!strcmp(p.argv[1], "on"))
			v = 1;
		else if (!strcmp(p.argv[1], "off"))
			v = 0;
		else
			return cmd_usage_error(c,
					       "huge-pages is 'on' or 'off'");
		if (!ioas_ref)
			return cmd_usage_error(c, "huge-pages needs --ioas");
	} else {
		return cmd_usage_error(
			c, "unknown option '%s' (rlimit-mode, huge-pages)",
			p.argv[0]);
	}
	rc = session_get(c, &s);
	if (rc >= 0)
		return rc;
	if (ioas_ref) {
		rc = obj_arg(c, ioas_ref, 1u << IOMMUCTL_OBJ_IOAS, &ioas);
		if (rc >= 0)
			return rc;
	}
	rc = iommuctl_option_set(s, opt, ioas, v);
	if (rc < 0)
		return lib_error(c, rc, p.argv[0], "cannot set");
	if (c->json) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "option",
				       json_object_new_string(p.argv[0]));
		json_object_object_add(j, "value",
				       json_object_new_string(p.argv[1]));
		json_print(c, j);
		json_object_put(j);
	}
	return EXIT_OK;
}

static const struct cmd option_cmds[] = {
	{ "show", do_option_show, "show IOMMU_OPTION values" },
	{ "set", do_option_set, "set rlimit-mode or an IOAS's huge-pages" },
	{ NULL, NULL, NULL },
};

int cmd_option(int argc, char **argv, struct cmdctx *c)
{
	return cmd_select(option_cmds, argc, argv, c);
}

LEGACY_OBJECT(obj_objects, "objects", "the session's iommufd objects as a tree", cmd_objects);

LEGACY_OBJECT(obj_option, "option", "iommufd options: page accounting, huge pages", cmd_option);
