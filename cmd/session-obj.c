// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * Shared by the iommufd object commands: the session, object references
 * ("guest" or "3"), the one JSON emitter of a session object, and the show
 * and destroy verbs every object type has.
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
			return cmd_fail_on(
				c, "/dev/iommu", EXIT_FAILED, rc,
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
static void note_oneshot(struct cmdctx *c)
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

/* The objects an OPT_OBJ type mask allows, in messages */
static const struct choice type_words[] = {
	{ "an ioas", OBJ_MASK(IOMMUCTL_OBJ_IOAS) },
	{ "a hwpt", OBJ_MASK_HWPT },
	{ "a paging hwpt", OBJ_MASK(IOMMUCTL_OBJ_HWPT_PAGING) },
	{ "a device", OBJ_MASK(IOMMUCTL_OBJ_DEVICE) },
	{ "a fault queue", OBJ_MASK(IOMMUCTL_OBJ_FAULT) },
	{ "a viommu", OBJ_MASK(IOMMUCTL_OBJ_VIOMMU) },
	{ "an access", OBJ_MASK(IOMMUCTL_OBJ_ACCESS) },
	{ "a veventq", OBJ_MASK(IOMMUCTL_OBJ_VEVENTQ) },
	{ "a vdevice", OBJ_MASK(IOMMUCTL_OBJ_VDEVICE) },
	{ "a hw queue", OBJ_MASK(IOMMUCTL_OBJ_HW_QUEUE) },
	{ NULL, 0 },
};

static const char *type_word(unsigned int mask)
{
	const char *w = choice_name(type_words, mask);

	return strcmp(w, "unknown") ? w : "another kind of object";
}

int obj_ref(struct cmdctx *c, const char *ref, unsigned int mask,
	    struct iommuctl_obj **out)
{
	struct iommuctl_session *s;
	struct iommuctl_obj *o;
	enum iommuctl_obj_type t;
	int rc;

	if (!ref)
		return cmd_usage(c, "which %s?",
				 strchr(type_word(mask), ' ') + 1);
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
		return wrong_type(c, o, ", not ", type_word(mask));
	*out = o;
	return 0;
}

/* "is an ioas" + @sep + @why: @o is of a type the verb does not take */
int wrong_type(struct cmdctx *c, struct iommuctl_obj *o, const char *sep,
	       const char *why)
{
	enum iommuctl_obj_type t = iommuctl_obj_get_type(o);

	return cmd_fail_on(c, iommuctl_obj_label(o), EXIT_FAILED, EINVAL,
			   "is %s %s%s%s", t == IOMMUCTL_OBJ_IOAS ? "an" : "a",
			   iommuctl_obj_type_name(t), sep, why);
}

int parse_size(struct cmdctx *c, const char *opt, const char *text, uint64_t *v)
{
	int rc = iommuctl_parse_size(text, v);

	if (rc == -ERANGE)
		return cmd_usage(c, "%s: '%s' does not fit in 64 bits", opt,
				 text);
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

const struct render created_render = { .line = "created %{label}" };

/* "X create [--name NAME]", device mock and bind, access create: v->data
 * is the struct objcreate */
int obj_create_run(struct cmdctx *c, void *args)
{
	const struct objcreate *t = c->vb->data;
	const char *name = ((struct name_args *)args)->name;
	const char *what = t->what ?: c->argc ? c->argv[0] : c->object;
	struct iommuctl_obj *o;
	int rc = name_check(c, c->sess, name);

	if (rc < 0)
		return rc;
	rc = t->make ? t->make(c, args, &o) : t->alloc(c->sess, &o);
	if (rc < 0)
		return lib_fail(c, rc, what, "%s", t->cannot);
	return obj_created(c, o, name);
}

/* For renderers: the label of the session object @key of a result names
 * (by id or name), or the reference itself if the object is gone. */
const char *ref_label(struct cmdctx *c, struct json_object *j, const char *key)
{
	struct json_object *v = jopt(j, key);
	struct iommuctl_obj *o = NULL;
	const char *ref;
	int64_t id;

	/* an id: found as such, not turned into a string and parsed back
	 * (names never start with a digit) */
	if (c->sess && v && json_object_is_type(v, json_type_int)) {
		id = json_object_get_int64(v);
		if (id > 0 && id <= UINT32_MAX)
			o = iommuctl_session_find_id(c->sess, (uint32_t)id);
		if (o)
			return iommuctl_obj_label(o);
	}
	ref = jstr(c, j, key);
	o = c->sess ? iommuctl_session_find(c->sess, ref) : NULL;
	return o ? iommuctl_obj_label(o) : ref;
}

unsigned long long range_last(struct cmdctx *c, struct json_object *j,
			      const char *len_key)
{
	uint64_t len = (uint64_t)json_object_get_int64(jget(c, j, len_key));

	return strtoull(jstr(c, j, "iova"), NULL, 0) + len - 1;
}

static void quiet_text(struct cmdctx *c UNUSED, struct json_object *j UNUSED)
{
}

const struct render quiet_render = { .text = quiet_text };

/* ---- the JSON of a session object ------------------------------------- */

/* A session object's reference in JSON: its id, or its name (access). */
static struct json_object *ref_json(struct iommuctl_obj *o)
{
	if (!o)
		return NULL;
	if (iommuctl_obj_get_id(o))
		return json_object_new_int64(iommuctl_obj_get_id(o));
	return json_object_new_string(iommuctl_obj_get_name(o) ?: "");
}

struct json_object *ref_result(const char *key, struct iommuctl_obj *o)
{
	struct json_object *j = json_object_new_object();

	jadd(j, key, ref_json(o));
	return j;
}

static const struct choice data_types[] = {
	{ "none", IOMMUCTL_HWPT_DATA_NONE },
	{ "vtd-s1", IOMMUCTL_HWPT_DATA_VTD_S1 },
	{ "arm-smmuv3", IOMMUCTL_HWPT_DATA_ARM_SMMUV3 },
	{ "amd-guest", IOMMUCTL_HWPT_DATA_AMD_GUEST },
	{ "selftest", IOMMUCTL_HWPT_DATA_SELFTEST },
	{ NULL, 0 },
};

/* The types of vIOMMUs and vEVENTQs: their --type, and names in JSON */
const struct choice viommu_types[] = {
	{ "selftest", IOMMUCTL_VIOMMU_SELFTEST },
	{ "arm-smmuv3", IOMMUCTL_VIOMMU_ARM_SMMUV3 },
	{ "tegra241-cmdqv", IOMMUCTL_VIOMMU_TEGRA241_CMDQV },
	{ NULL, 0 },
};

const struct choice veventq_types[] = {
	{ "selftest", IOMMUCTL_VEVENTQ_SELFTEST },
	{ "arm-smmuv3", IOMMUCTL_VEVENTQ_ARM_SMMUV3 },
	{ "tegra241-cmdqv", IOMMUCTL_VEVENTQ_TEGRA241_CMDQV },
	{ NULL, 0 },
};

/* IOMMUCTL_HWPT_NEST_PARENT, _DIRTY_TRACKING, _FAULT, _PASID: bits 0-3 */
static const char *const hwpt_flags[] = { "nest-parent", "dirty-tracking",
					  "fault", "pasid", NULL };

const char *choice_name(const struct choice *ch, uint32_t v)
{
	for (; ch->name; ch++)
		if (ch->value == v)
			return ch->name;
	return "unknown";
}

const char *data_type_name(uint32_t t)
{
	return choice_name(data_types, t);
}

struct json_object *ranges_to_json(const struct iommuctl_iova_range *r,
				   size_t n, bool size)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_new_object();
		uint64_t len = r[i].last - r[i].start;

		jadd_hex(e, "start", r[i].start);
		jadd_hex(e, "last", r[i].last);
		/* the full 64-bit range does not fit a byte count; say so */
		if (size && len == UINT64_MAX)
			jadd_str(e, "size", "2^64");
		else if (size)
			jadd_int(e, "size",
				 len >= INT64_MAX ? INT64_MAX :
						    (int64_t)len + 1);
		json_object_array_add(a, e);
	}
	return a;
}

struct json_object *mapping_to_json(const struct iommuctl_mapping *m)
{
	struct json_object *j = json_object_new_object();
	unsigned int rw = m->perm & (IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE);

	jadd_hex(j, "iova", m->iova);
	jadd_hex(j, "last", m->iova + m->length - 1);
	jadd_int(j, "length", (int64_t)m->length);
	jadd_str(j, "perm",
		 rw == (IOMMUCTL_MAP_READ | IOMMUCTL_MAP_WRITE) ? "rw" :
		 rw == IOMMUCTL_MAP_WRITE			? "w" :
								  "r");
	jadd_str(j, "memory", iommuctl_mem_kind_name(m->mem));
	if (m->page_size)
		jadd_int(j, "page_size", (int64_t)m->page_size);
	if (m->path) {
		jadd_str(j, "path", m->path);
		jadd_int(j, "offset", (int64_t)m->offset);
	}
	if (m->src) {
		jadd(j, "copied_from", ref_json(m->src));
		jadd_hex(j, "src_iova", m->src_iova);
	}
	return j;
}

static void ioas_json(struct json_object *j, struct iommuctl_obj *o,
		      bool detail)
{
	const struct iommuctl_mapping *m;
	const struct iommuctl_iova_range *r;
	struct json_object *a;
	uint64_t bytes = 0;
	size_t n, i;

	m = iommuctl_ioas_mappings(o, &n);
	for (i = 0; i < n; i++)
		bytes += m[i].length;
	jadd_int(j, "mappings_count", (int64_t)n);
	jadd_int(j, "mapped_bytes", (int64_t)bytes);
	if (!detail)
		return;
	a = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(a, mapping_to_json(&m[i]));
	jadd(j, "mappings", a);
	r = iommuctl_ioas_get_allowed(o, &n);
	jadd(j, "allowed", ranges_to_json(r, n, false));
}

/*
 * Where the MSI doorbell of device @o is mapped (iommuctl_device_doorbell()):
 * {"where", "attached", "holder" (the hwpt whose domain maps it), "stage"
 * (1 or 2 of a nested pair, null for one stage), "window" {"start", "last"}
 * or null, "explanation", "stage1" (what the guest's stage 1 must do, or
 * null)}.
 */
struct json_object *doorbell_json(struct iommuctl_obj *o)
{
	struct json_object *j = json_object_new_object(), *w;
	struct iommuctl_doorbell d;

	if (iommuctl_device_doorbell(o, &d) < 0) {
		json_object_put(j);
		return NULL;
	}
	jadd_str(j, "where", iommuctl_doorbell_where_name(d.where));
	jadd(j, "attached", ref_json(d.attached));
	jadd(j, "holder", ref_json(d.holder));
	jadd_str_or_null(j, "holder_label",
			 d.holder ? iommuctl_obj_label(d.holder) : NULL);
	jset(j, "stage",
	     d.where == IOMMUCTL_DOORBELL_NEST_PARENT ? json_object_new_int(2) :
							NULL);
	w = NULL;
	if (d.window) {
		w = json_object_new_object();
		jadd_hex(w, "start", d.start);
		jadd_hex(w, "last", d.last);
		jadd_str_or_null(w, "basis", d.basis);
	}
	jset(j, "window", w);
	jadd_str(j, "explanation", d.explain);
	jadd_str_or_null(j, "stage1", d.stage1);
	return j;
}

/* The devices of @o's session whose doorbell the domain of hwpt @o maps */
static struct json_object *doorbell_for_json(struct iommuctl_obj *o)
{
	struct json_object *a = json_object_new_array();
	struct iommuctl_session *s = iommuctl_obj_get_session(o);
	struct iommuctl_doorbell d;
	struct iommuctl_obj *x;

	iommuctl_session_foreach(
		s, x) if (iommuctl_obj_get_type(x) == IOMMUCTL_OBJ_DEVICE &&
			  iommuctl_device_doorbell(x, &d) == 0 && d.holder == o)
		json_object_array_add(
			a, json_object_new_string(iommuctl_obj_label(x)));
	return a;
}

/* An arm-smmuv3 nested hwpt's guest STE, decoded */
static struct json_object *vste_json(struct iommuctl_obj *o)
{
	struct json_object *j;
	struct iommuctl_vste v;
	uint64_t ste[2];
	char w[40];
	int rc;

	if (iommuctl_hwpt_get_vste(o, ste) < 0)
		return NULL;
	rc = iommuctl_vste_decode(ste, &v);
	j = json_object_new_object();
	snprintf(w, sizeof(w), "0x%llx,0x%llx", (unsigned long long)ste[0],
		 (unsigned long long)ste[1]);
	jadd_str(j, "ste", w);
	jadd_str(j, "config", iommuctl_vste_config_name(v.config));
	jadd_bool(j, "valid_for_linux", rc == 0);
	if (v.config == IOMMUCTL_VSTE_S1_TRANSLATE) {
		jadd_hex(j, "cd_table", v.s1ctxptr);
		jadd_int(j, "cd_format", v.s1fmt);
		jadd_int(j, "cd_max", v.s1cdmax);
		jadd_int(j, "s1dss", v.s1dss);
		jadd_bool(j, "eats", v.eats);
	}
	return j;
}

static void hwpt_json(struct json_object *j, struct iommuctl_obj *o,
		      const struct iommuctl_obj_info *in, bool detail)
{
	jadd(j, "ioas", ref_json(in->ioas));
	jadd(j, "parent", ref_json(in->parent));
	jadd(j, "device", ref_json(in->device));
	jadd(j, "fault", ref_json(in->fault));
	jadd_bool(j, "auto", in->auto_hwpt);
	jadd(j, "flags", bit_names(hwpt_flags, 4, in->flags));
	if (in->type == IOMMUCTL_OBJ_HWPT_NESTED)
		jadd_str(j, "data_type", data_type_name(in->kind));
	if (in->type == IOMMUCTL_OBJ_HWPT_NESTED &&
	    in->kind == IOMMUCTL_HWPT_DATA_ARM_SMMUV3)
		jset(j, "vste", vste_json(o));
	if (detail)
		jadd(j, "doorbell_for", doorbell_for_json(o));
}

/*
 * The PASIDs of a device and the hwpt attached at each (the session's
 * record), and whether the kernel confirms it: for a mock device the
 * selftest's own answer (PASID_CHECK_HWPT), null where the kernel cannot be
 * asked (VFIO devices).
 */
static struct json_object *pasids_json(struct iommuctl_obj *o, bool mock)
{
	size_t n = iommuctl_device_get_pasids(o, NULL, NULL, 0), k;
	uint32_t *pv = calloc(n ? n : 1, sizeof(*pv));
	struct iommuctl_obj **hv = calloc(n ? n : 1, sizeof(*hv));
	struct json_object *a = json_object_new_array();

	if (pv && hv)
		iommuctl_device_get_pasids(o, pv, hv, n);
	for (k = 0; pv && hv && k < n; k++) {
		struct json_object *e = json_object_new_object();
		int ok = mock ? iommuctl_device_check_pasid(o, pv[k], hv[k]) :
				-EOPNOTSUPP;

		jadd_int(e, "pasid", pv[k]);
		jadd(e, "hwpt", ref_json(hv[k]));
		json_object_object_add(e, "confirmed",
				       ok < 0 ? NULL :
						json_object_new_boolean(ok));
		json_object_array_add(a, e);
	}
	free(pv);
	free(hv);
	return a;
}

static void device_json(struct json_object *j, struct iommuctl_obj *o,
			const struct iommuctl_obj_info *in, bool detail)
{
	jadd_bool(j, "mock", in->mock);
	jadd_str_or_null(j, "device", in->dev_name);
	jadd(j, "attached", ref_json(in->attached));
	/* attached to the IOAS itself, no hwpt: an emulated device (an mdev)
	 * whose driver reaches the IOAS through an access in the kernel */
	if (in->attached && !in->mock) {
		struct iommuctl_obj_info at;

		iommuctl_obj_get_info(in->attached, &at);
		jadd_bool(j, "emulated", at.type == IOMMUCTL_OBJ_IOAS);
	}
	jadd(j, "ioas", ref_json(in->ioas));
	if (in->mock)
		jadd_int(j, "selftest_id", in->selftest_id);
	jadd(j, "pasids", pasids_json(o, in->mock));
	if (detail)
		jset(j, "doorbell", doorbell_json(o));
}

/* The one emitter of a session object; tables and trees render from it. */
struct json_object *obj_to_json(struct iommuctl_obj *o, bool detail)
{
	struct json_object *j = json_object_new_object();
	struct iommuctl_obj_info in;

	iommuctl_obj_get_info(o, &in);
	json_object_object_add(j, "id",
			       in.id ? json_object_new_int64(in.id) : NULL);
	jadd_str_or_null(j, "name", in.name);
	jadd_str(j, "type", iommuctl_obj_type_name(in.type));
	jadd_str(j, "label", iommuctl_obj_label(o));
	switch (in.type) {
	case IOMMUCTL_OBJ_IOAS:
		ioas_json(j, o, detail);
		break;
	case IOMMUCTL_OBJ_HWPT_PAGING:
	case IOMMUCTL_OBJ_HWPT_NESTED:
		hwpt_json(j, o, &in, detail);
		break;
	case IOMMUCTL_OBJ_DEVICE:
		device_json(j, o, &in, detail);
		break;
	case IOMMUCTL_OBJ_ACCESS:
		jadd(j, "ioas", ref_json(in.ioas));
		jadd_int(j, "fd", in.fd);
		jadd_bool(j, "needs_pin", in.flags & IOMMUCTL_ACCESS_NEEDS_PIN);
		jadd(j, "pins", access_pins_json(o));
		break;
	case IOMMUCTL_OBJ_FAULT:
		jadd_int(j, "fd", in.fd);
		break;
	case IOMMUCTL_OBJ_VIOMMU:
		jadd(j, "parent", ref_json(in.parent));
		jadd(j, "device", ref_json(in.device));
		jadd_str(j, "viommu_type", choice_name(viommu_types, in.kind));
		break;
	case IOMMUCTL_OBJ_VDEVICE:
		jadd(j, "parent", ref_json(in.parent));
		jadd(j, "device", ref_json(in.device));
		jadd_hex(j, "virt_id", in.virt_id);
		break;
	case IOMMUCTL_OBJ_VEVENTQ:
		jadd(j, "parent", ref_json(in.parent));
		jadd_int(j, "fd", in.fd);
		jadd_int(j, "depth", in.depth);
		jadd_str(j, "veventq_type",
			 choice_name(veventq_types, in.kind));
		break;
	case IOMMUCTL_OBJ_HW_QUEUE:
		jadd(j, "parent", ref_json(in.parent));
		jadd_int(j, "index", in.index);
		jadd_hex(j, "iova", in.iova);
		jadd_int(j, "length", (int64_t)in.length);
		break;
	}
	return j;
}

/* obj_to_json() with detail, plus the labels of the objects holding it,
 * and what type @t adds */
static struct json_object *obj_row(const struct objtype *t,
				   struct iommuctl_obj *o)
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
	jadd(j, "users", users);
	if (t->row)
		t->row(j, o);
	return j;
}

/* ---- show and destroy ------------------------------------------------- */

/* "X show [ID]" of every session object type: v->data is its objtype */
int objs_show_run(struct cmdctx *c, void *args UNUSED)
{
	const struct objtype *t = c->vb->data;
	struct iommuctl_session *s;
	struct iommuctl_obj *o;
	struct json_object *a, *j;
	int rc;

	rc = sess_get(c, &s);
	if (rc < 0)
		return rc;
	if (c->argc == 1) {
		rc = obj_ref(c, c->argv[0], t->mask, &o);
		if (rc < 0)
			return rc;
	}
	a = json_object_new_array();
	if (c->argc == 1)
		json_object_array_add(a, obj_row(t, o));
	else
		iommuctl_session_foreach(
			s, o) if (t->mask & OBJ_MASK(iommuctl_obj_get_type(o)))
			json_object_array_add(a, obj_row(t, o));
	j = json_object_new_object();
	jadd(j, t->key, a);
	return cmd_out(c, j);
}

static void objs_show_text(struct cmdctx *c, struct json_object *j)
{
	const struct objtype *t = c->vb->data;
	struct json_object *a = jget(c, j, t->key);

	if (!a || !json_object_array_length(a))
		printf("no %s in this session\n", t->what);
	else if (t->text)
		t->text(c, a);
	else
		table_print(stdout, a, t->cols, "");
}

const struct render objs_show_render = { .text = objs_show_text };

/* "X destroy ID": v->data is the objtype, or NULL for any object */
int obj_destroy_run(struct cmdctx *c, void *args UNUSED)
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
	jadd_str(j, "destroyed", label ?: "");
	free(label);
	return cmd_out(c, j);
}

const struct render obj_destroy_render = { .line = "destroyed %{destroyed}" };
