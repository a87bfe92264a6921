// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* iommuctl fault: I/O page fault queues, and faults the mock injects. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>

#include "builtin.h"

/* The options of every fault verb (each takes some of them) */
struct fault_args {
	uint32_t timeout, cookie, pasid, grpid, perm;
	struct objref dev;
	uint64_t addr;
	bool have_cookie, invalid, have_addr;
};

static const char *const perm_names[] = { "read", "write", "exec", "priv" };

struct json_object *bit_names(const char *const *names, unsigned int n,
			      uint64_t bits)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < n && names[i]; i++)
		if (bits & (1ULL << i))
			json_object_array_add(a, json_object_new_string(names[i]));
	return a;
}

/* A selftest mock device: 0, or -EOPNOTSUPP (recorded) for a real one. */
int mock_only(struct cmdctx *c, struct iommuctl_obj *dev)
{
	struct iommuctl_obj_info in;

	iommuctl_obj_get_info(dev, &in);
	if (in.mock)
		return 0;
	return cmd_fail_on(c, iommuctl_obj_label(dev), EXIT_FAILED, EOPNOTSUPP,
			   "is a real device; only selftest mock devices ('device mock') can be told to do this");
}

/* ---- read ---------------------------------------------------------------- */

static struct json_object *record_json(const struct iommuctl_fault_record *r)
{
	static const char *const flags[] = { "pasid-valid", "last-page" };
	struct json_object *e = json_object_new_object();

	jadd_int(e, "dev_id", r->dev_id);
	jadd_int(e, "pasid", r->pasid);
	jadd_int(e, "grpid", r->grpid);
	jadd(e, "perm", bit_names(perm_names, 4, r->perm));
	jadd_hex(e, "addr", r->addr);
	jadd_int(e, "length", r->length);
	jadd(e, "flags", bit_names(flags, 2, r->flags));
	jadd_int(e, "cookie", r->cookie);
	return e;
}

static int read_run(struct cmdctx *c, void *args)
{
	struct iommuctl_fault_record recs[64];
	struct json_object *j, *a;
	struct iommuctl_obj *o = c->obj;
	size_t n = 0, i;
	int rc = iommuctl_fault_read(o, recs, sizeof(recs) / sizeof(recs[0]), &n,
				     (int)((struct fault_args *)args)->timeout);
	if (rc < 0)
		return obj_fail(c, rc, o, "cannot read faults");
	j = ref_result("fault", o);
	a = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(a, record_json(&recs[i]));
	jadd(j, "faults", a);
	return cmd_out(c, j);
}

/* A queue's pending records (@rows of @j) as a table, or that it has none */
void pending_text(struct cmdctx *c, struct json_object *j, const char *key,
		  const char *rows, const char *what, const struct column *cols)
{
	struct json_object *a = jget(c, j, rows);
	size_t n = a ? json_object_array_length(a) : 0;

	if (!n) {
		printf("no pending %ss on %s\n", what, ref_label(c, j, key));
		return;
	}
	printf("%s: %zu %s(s)\n", ref_label(c, j, key), n, what);
	table_print(stdout, a, cols, "  ");
}

static void read_text(struct cmdctx *c, struct json_object *j)
{
	static const struct column cols[] = {
		{ "DEV", "dev_id", COL_RIGHT }, { "PASID", "pasid", COL_RIGHT },
		{ "GROUP", "grpid", COL_RIGHT }, { "PERM", "perm", 0 },
		{ "ADDR", "addr", 0 },		 { "FLAGS", "flags", 0 },
		{ "COOKIE", "cookie", COL_RIGHT }, { NULL, NULL, 0 },
	};

	pending_text(c, j, "fault", "faults", "fault", cols);
}

/* ---- respond ------------------------------------------------------------- */

static int respond_run(struct cmdctx *c, void *args)
{
	struct fault_args *a = args;
	struct iommuctl_obj *o = c->obj;
	struct json_object *j;
	int rc = iommuctl_fault_respond(o, a->cookie, a->invalid);
	if (rc < 0)
		return obj_fail(c, rc, o, "cannot answer cookie %u", a->cookie);
	j = ref_result("fault", o);
	jadd_int(j, "cookie", a->cookie);
	jadd_str(j, "response", a->invalid ? "invalid" : "success");
	return cmd_out(c, j);
}

/* ---- inject -------------------------------------------------------------- */

static void inject_init(void *args)
{
	((struct fault_args *)args)->perm = 3; /* rw */
}

/* --perm: any of r, w, x (exec), p (privileged); the kernel's bits */
static int parse_perm(struct cmdctx *c, const struct opt *o UNUSED,
		      const char *text, void *field)
{
	uint32_t *perm = field, bit;
	const char *p;

	*perm = 0;
	for (p = text; *p; p++) {
		bit = *p == 'r' ? 1 : *p == 'w' ? 2 : *p == 'x' ? 4 : *p == 'p' ? 8 : 0;
		if (!bit || (*perm & bit))
			break;
		*perm |= bit;
	}
	if (*p || !*perm)
		return cmd_usage(c, "--perm: '%s' is not made of r, w, x and p (rw, r, w, ...)",
				 text);
	return 0;
}

static int inject_run(struct cmdctx *c, void *args)
{
	struct fault_args *a = args;
	struct iommuctl_obj *dev = a->dev.obj;
	struct iommuctl_obj_info in, hw;
	struct json_object *j;
	int rc = mock_only(c, dev);

	if (rc < 0)
		return rc;
	rc = iommuctl_mock_trigger_iopf(dev, a->pasid, a->grpid, a->perm, a->addr);
	if (rc == -EOPNOTSUPP)
		return cmd_fail_on(c, iommuctl_obj_label(dev), EXIT_UNAVAILABLE, EOPNOTSUPP,
				   "cannot inject a page fault: this kernel's selftest has no TRIGGER_IOPF (added in Linux 6.11)");
	if (rc < 0)
		return obj_fail(c, rc, dev, "cannot inject a page fault");
	iommuctl_obj_get_info(dev, &in);
	iommuctl_obj_get_info(in.attached, &hw);
	if (!in.attached || !(hw.flags & IOMMUCTL_HWPT_FAULT))
		fprintf(stderr,
			"iommuctl: note: %s is attached to %s, which has no fault queue: "
			"the kernel dropped the fault\n",
			iommuctl_obj_label(dev), iommuctl_obj_label(in.attached));
	j = ref_result("device", dev);
	jadd_hex(j, "addr", a->addr);
	jadd_int(j, "pasid", a->pasid);
	jadd_int(j, "grpid", a->grpid);
	jadd(j, "perm", bit_names(perm_names, 4, a->perm));
	return cmd_out(c, j);
}

/* ---- the object ---------------------------------------------------------- */

static const struct objcreate fault_create = {
	.alloc = iommuctl_fault_alloc,
	.cannot = "cannot allocate a fault queue"
};
static const struct opt create_opts[] = {
	OPT_STR("name", 'n', "NAME", struct name_args, name, "name the object"),
	OPT_END,
};

static const struct opt read_opts[] = {
	OPT_U32("timeout", 't', "MS", struct fault_args, timeout, INT_MAX,
		"wait this long for a first fault (default 0: do not wait)"),
	OPT_END,
};

static const struct opt respond_opts[] = {
	OPT_U32("cookie", 0, "N", struct fault_args, cookie, 0,
		"the cookie of the fault group (from 'fault read')",
		OPT_SEEN(struct fault_args, have_cookie), OPT_REQUIRED),
	OPT_BOOL("invalid", 0, struct fault_args, invalid,
		 "answer INVALID (the device sees the access fail) instead of SUCCESS"),
	OPT_END,
};

static const struct opt inject_opts[] = {
	OPT_OBJ("device", 'd', "DEVICE", struct fault_args, dev,
		OBJ_MASK(IOMMUCTL_OBJ_DEVICE), "the mock device that faults",
		OPT_REQUIRED),
	OPT_SIZE("addr", 0, "ADDR", struct fault_args, addr, "faulting address",
		 OPT_SEEN(struct fault_args, have_addr), OPT_REQUIRED),
	OPT_U32("pasid", 0, "N", struct fault_args, pasid, 0,
		"PASID (default 0: none)"),
	OPT_U32("grpid", 0, "N", struct fault_args, grpid, 0,
		"page request group (default 0)"),
	OPT_CALL("perm", 0, "r|w|rw", struct fault_args, perm, parse_perm,
		 "access asked for (r, w, x, p; default rw)"),
	OPT_END,
};

static const struct column fault_cols[] = {
	{ "ID", "id", COL_RIGHT }, { "NAME", "name", 0 },
	{ "FD", "fd", COL_RIGHT }, { "USED BY", "users", 0 },
	{ NULL, NULL, 0 },
};
static const struct objtype fault_type = {
	"fault_queues", "fault queue", OBJ_MASK(IOMMUCTL_OBJ_FAULT),
	fault_cols,	NULL,	       NULL
};

/* read, respond: the operand is a fault queue */
#define FAULT_VERB                              \
	.args_size = sizeof(struct fault_args), \
	OBJ_OPERAND(OBJ_MASK(IOMMUCTL_OBJ_FAULT), "give one fault queue")

static const struct verb fault_verbs[] = {
	OBJ_SHOW_VERB(&fault_type, "FAULT",
		      "Show the session's I/O page fault queues and the hwpts that use them."),
	{ .name = "create", .summary = "allocate a fault queue (6.11)",
	  .synopsis = "[--name NAME]",
	  .description = "Allocate an I/O page fault queue (IOMMU_FAULT_QUEUE_ALLOC, 6.11).\n"
			 "Give it to 'hwpt alloc --fault'; faults of devices attached to that\n"
			 "hwpt are then read with 'fault read' and answered with 'fault respond'.",
	  .opts = create_opts, OBJ_CREATE(&fault_create) },
	{ .name = "read", .summary = "read pending page faults",
	  .synopsis = "FAULT [--timeout MS]",
	  .description = "Read the pending page faults of a queue: device, PASID, page request\n"
			 "group, permissions asked, address and the cookie to answer with.",
	  .opts = read_opts, FAULT_VERB, .run = read_run,
	  .render = &(const struct render){ .text = read_text } },
	{ .name = "respond", .summary = "answer a fault group",
	  .synopsis = "FAULT --cookie N [--invalid]",
	  .description = "Answer a fault group: SUCCESS (retry, the page is there now) or\n"
			 "INVALID. Faults left unanswered are answered by the kernel when the\n"
			 "hwpt is replaced or detached.",
	  .opts = respond_opts, FAULT_VERB, .run = respond_run,
	  .render = &(const struct render){
		  .line = "answered cookie %{cookie} on %{@fault}: %{response}" } },
	{ .name = "inject", .summary = "mock only: make a mock device fault",
	  .synopsis = "--device DEVICE --addr ADDR [--pasid N] [--grpid N] [--perm r|w|rw]",
	  .description = "Mock only: make a selftest mock device report an I/O page fault\n"
			 "(IOMMU_TEST_OP_TRIGGER_IOPF). It reaches a fault queue when the device\n"
			 "is attached to a hwpt allocated with --fault.",
	  .opts = inject_opts, .args_size = sizeof(struct fault_args),
	  .init = inject_init, .flags = VERB_SESSION, .run = inject_run,
	  .render = &(const struct render){
		  .line = "%{@device} reported a page fault at %{addr}" } },
	OBJ_DESTROY_VERB(&fault_type, "a fault queue"),
	{ .name = NULL },
};

const struct object obj_fault = { "fault", "I/O page fault queues",
				  fault_verbs, NULL };
