// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl viommu, vdevice, veventq and hwqueue: the vIOMMU objects Linux
 * 6.13-6.17 added (virtual IOMMUs, devices' virtual ids, event queues and
 * hardware queues).
 */
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

/* The options of the vIOMMU objects' verbs (each takes some of them) */
struct vargs {
	struct objref dev, hwpt, viommu;
	uint32_t type, depth, index, timeout;
	uint64_t virt_id, iova, size;
	const char *name;
	bool have_type, have_depth, have_index, have_iova, have_virt;
};

/* required, as are all of the alloc verbs' options but --name */
#define VOPT_VIOMMU(help)                                          \
	OPT_OBJ("viommu", 0, "VIOMMU", struct vargs, viommu, \
		OBJ_MASK(IOMMUCTL_OBJ_VIOMMU), help, OPT_REQUIRED)
#define VOPT_DEVICE(help)                                         \
	OPT_OBJ("device", 'd', "DEVICE", struct vargs, dev, \
		OBJ_MASK(IOMMUCTL_OBJ_DEVICE), help, OPT_REQUIRED)
#define VOPT_TYPE(types, help)                                          \
	OPT_CHOICE("type", 0, "TYPE", struct vargs, type, types, help, \
		   OPT_SEEN(struct vargs, have_type), OPT_REQUIRED)
#define VOPT_NAME(help) \
	OPT_STR("name", 'n', "NAME", struct vargs, name, help)

/* The alloc verb of each object: what it needs, and the kernel's ioctl */
enum { VIOMMU, VDEVICE, VEVENTQ, HWQUEUE };
static const struct valloc {
	const char *ioctl, *since;
	unsigned int nr;
} vallocs[] = {
	[VIOMMU] = { "IOMMU_VIOMMU_ALLOC", "6.13", 0x90 },
	[VDEVICE] = { "IOMMU_VDEVICE_ALLOC", "6.13", 0x91 },
	[VEVENTQ] = { "IOMMU_VEVENTQ_ALLOC", "6.15", 0x93 },
	[HWQUEUE] = { "IOMMU_HW_QUEUE_ALLOC", "6.17", 0x94 },
};

/*
 * The usage checks; then the session, a free name and the kernel's ioctl.
 * Those are here, not in valloc_run(), because the objects the options
 * name are looked up in between: a kernel without the ioctl says so
 * first (exit 3), whatever the arguments.
 */
static int valloc_check(struct cmdctx *c, void *args)
{
	struct vargs *a = args;
	const struct valloc *v = c->vb->data;
	struct iommuctl_session *s;
	int rc;

	if (v - vallocs == VEVENTQ && !a->depth)
		return cmd_usage(c, "--depth must not be 0");
	rc = sess_get(c, &s);
	if (!rc)
		rc = name_check(c, s, a->name);
	return rc ? rc : need_cmd(c, s, v->nr, v->ioctl, v->since);
}

/*
 * An arm-smmuv3 vIOMMU refused with EOPNOTSUPP: why, from the SMMU's ID
 * registers (IOMMU_GET_HW_INFO of @dev) and the firmware, or NULL.
 */
char *smmuv3_viommu_why(struct cmdctx *c, struct iommuctl_obj *dev)
{
	struct iommuctl_hw_info hi = { 0 };
	char buf[512], *r = NULL;

	if (iommuctl_device_hw_info(dev, &hi) == 0 &&
	    iommuctl_smmuv3_viommu_why(c->ctx, &hi, buf, sizeof(buf)) == 1)
		r = strdup(buf);
	free(hi.data);
	return r;
}

static int valloc_run(struct cmdctx *c, void *args)
{
	struct vargs *a = args;
	struct iommuctl_obj *o = NULL;
	int rc;

	switch ((const struct valloc *)c->vb->data - vallocs) {
	case VIOMMU:
		rc = iommuctl_viommu_alloc(c->sess, a->dev.obj, a->hwpt.obj,
					   a->type, &o);
		break;
	case VDEVICE:
		rc = iommuctl_vdevice_alloc(a->viommu.obj, a->dev.obj,
					    a->virt_id, &o);
		break;
	case VEVENTQ:
		rc = iommuctl_veventq_alloc(a->viommu.obj, a->type, a->depth, &o);
		break;
	default:
		rc = iommuctl_hw_queue_alloc(a->viommu.obj, a->type, a->index,
					     a->iova, a->size, &o);
	}
	if (rc == -EOPNOTSUPP && (const struct valloc *)c->vb->data ==
					 &vallocs[VIOMMU] &&
	    a->type == IOMMUCTL_VIOMMU_ARM_SMMUV3) {
		char *why = smmuv3_viommu_why(c, a->dev.obj);

		if (why) {
			rc = cmd_fail_on(c, c->object, EXIT_FAILED, EOPNOTSUPP,
					 "cannot allocate: the kernel refused an arm-smmuv3 vIOMMU for %s (EOPNOTSUPP): %s",
					 iommuctl_obj_label(a->dev.obj), why);
			free(why);
			return rc;
		}
	}
	if (rc < 0)
		return lib_fail(c, rc, c->object, "cannot allocate");
	return obj_created(c, o, a->name);
}

#define VALLOC_VERB(which, sum, syn, desc, o, ...)                          \
	{ .name = "alloc", .summary = sum, .synopsis = syn,                  \
	  .description = desc, .opts = o, .args_size = sizeof(struct vargs), \
	  .flags = VERB_SESSION, .check = valloc_check, .run = valloc_run,   \
	  .render = &created_render, .data = &vallocs[which], __VA_ARGS__ }

/* ---- viommu -------------------------------------------------------------- */

static const struct column viommu_cols[] = {
	{ "ID", "id", COL_RIGHT },  { "NAME", "name", 0 },
	{ "TYPE", "viommu_type", 0 }, { "PARENT", "parent", 0 },
	{ "DEVICE", "device", 0 },  { "USED BY", "users", 0 },
	{ NULL, NULL, 0 },
};
static const struct objtype viommu_type = {
	"viommus",   "viommu", OBJ_MASK(IOMMUCTL_OBJ_VIOMMU),
	viommu_cols, NULL,     NULL
};

static const struct opt viommu_alloc_opts[] = {
	VOPT_DEVICE("a device behind the physical IOMMU to virtualise"),
	OPT_OBJ("hwpt", 0, "HWPT", struct vargs, hwpt,
		OBJ_MASK(IOMMUCTL_OBJ_HWPT_PAGING),
		"the nest-parent hwpt (stage 2) it sits on", OPT_REQUIRED),
	VOPT_TYPE(viommu_types, "selftest, arm-smmuv3 or tegra241-cmdqv"),
	VOPT_NAME("name the vIOMMU"),
	OPT_END,
};

static const struct verb viommu_verbs[] = {
	OBJ_SHOW_VERB(&viommu_type, "VIOMMU",
		      "Show the session's virtual IOMMUs, their nest-parent hwpt and what\n"
		      "sits on them (vDEVICEs, vEVENTQs, HW queues, nested hwpts)."),
	VALLOC_VERB(VIOMMU, "allocate a vIOMMU (6.13)",
		    "--device DEVICE --hwpt HWPT --type selftest|arm-smmuv3|tegra241-cmdqv [--name NAME]",
		    "Allocate a virtual IOMMU (IOMMU_VIOMMU_ALLOC, Linux 6.13) over a\n"
		    "nest-parent hwpt. Exit status 3 on kernels without the command.",
		    viommu_alloc_opts),
	OBJ_DESTROY_VERB(&viommu_type, "a vIOMMU"),
	{ .name = NULL },
};

const struct object obj_viommu = { "viommu", "virtual IOMMUs (6.13)",
				  viommu_verbs, NULL };

/* ---- vdevice ------------------------------------------------------------- */

static const struct column vdevice_cols[] = {
	{ "ID", "id", COL_RIGHT },   { "NAME", "name", 0 },
	{ "VIOMMU", "parent", 0 },   { "DEVICE", "device", 0 },
	{ "VIRT-ID", "virt_id", 0 }, { NULL, NULL, 0 },
};
static const struct objtype vdevice_type = {
	"vdevices",   "vdevice", OBJ_MASK(IOMMUCTL_OBJ_VDEVICE),
	vdevice_cols, NULL,	 NULL
};

static const struct opt vdevice_alloc_opts[] = {
	VOPT_VIOMMU("the vIOMMU"),
	VOPT_DEVICE("the physical device"),
	OPT_U64("virt-id", 0, "N", struct vargs, virt_id, 0,
		"its id as the guest sees it (vSID, vRID, ...)",
		OPT_SEEN(struct vargs, have_virt), OPT_REQUIRED),
	VOPT_NAME("name the vDEVICE"),
	OPT_END,
};

static const struct opt vdevice_inject_opts[] = {
	VOPT_DEVICE("the mock device"),
	OPT_END,
};

static int vdevice_inject_run(struct cmdctx *c, void *args)
{
	struct iommuctl_obj *dev = ((struct vargs *)args)->dev.obj;
	struct json_object *j;
	int rc = mock_only(c, dev);

	if (rc < 0)
		return rc;
	rc = iommuctl_mock_trigger_vevent(dev);
	if (rc == -EOPNOTSUPP)
		return cmd_fail_on(c, iommuctl_obj_label(dev), EXIT_UNAVAILABLE, EOPNOTSUPP,
				   "cannot raise a vIOMMU event: this kernel's selftest has no TRIGGER_VEVENT (added in Linux 6.15)");
	if (rc < 0)
		return obj_fail(
			c, rc, dev, "%s",
			rc == -ENOENT ?
				"cannot raise a vIOMMU event (the device needs a vDEVICE and must be attached to a nested hwpt allocated over that vIOMMU)" :
				"cannot raise a vIOMMU event");
	j = ref_result("device", dev);
	jadd_bool(j, "vevent", true);
	return cmd_out(c, j);
}

static const struct verb vdevice_verbs[] = {
	OBJ_SHOW_VERB(&vdevice_type, "VDEVICE",
		      "Show the session's vDEVICEs: a device's identity (virtual id) behind\n"
		      "a vIOMMU."),
	VALLOC_VERB(VDEVICE,
		    "give a device a virtual id behind a vIOMMU (6.13)",
		    "--viommu VIOMMU --device DEVICE --virt-id N [--name NAME]",
		    "Tell a vIOMMU a device's virtual id (IOMMU_VDEVICE_ALLOC, Linux\n"
		    "6.13). Exit status 3 on kernels without the command.",
		    vdevice_alloc_opts),
	{ .name = "inject", .summary = "mock only: raise a vIOMMU event (6.15)",
	  .synopsis = "--device DEVICE",
	  .description = "Mock only: make the vDEVICE of a selftest mock device raise a vIOMMU\n"
			 "event (IOMMU_TEST_OP_TRIGGER_VEVENT, Linux 6.15); read it from the\n"
			 "vIOMMU's selftest vEVENTQ with 'veventq read'.",
	  .opts = vdevice_inject_opts, .args_size = sizeof(struct vargs),
	  .flags = VERB_SESSION, .run = vdevice_inject_run,
	  .render = &(const struct render){ .line = "%{@device} raised a vIOMMU event" } },
	OBJ_DESTROY_VERB(&vdevice_type, "a vDEVICE"),
	{ .name = NULL },
};

const struct object obj_vdevice = { "vdevice", "devices' virtual ids behind a vIOMMU (6.13)",
				  vdevice_verbs, NULL };

/* ---- veventq ------------------------------------------------------------- */

static const struct column veventq_cols[] = {
	{ "ID", "id", COL_RIGHT },	  { "NAME", "name", 0 },
	{ "VIOMMU", "parent", 0 },	  { "TYPE", "veventq_type", 0 },
	{ "DEPTH", "depth", COL_RIGHT }, { "FD", "fd", COL_RIGHT },
	{ NULL, NULL, 0 },
};
static const struct objtype veventq_type = {
	"veventqs",   "veventq", OBJ_MASK(IOMMUCTL_OBJ_VEVENTQ),
	veventq_cols, NULL,	 NULL
};

static const struct opt veventq_alloc_opts[] = {
	VOPT_VIOMMU("the vIOMMU whose events it receives"),
	VOPT_TYPE(veventq_types, "selftest, arm-smmuv3 or tegra241-cmdqv"),
	OPT_U32("depth", 0, "N", struct vargs, depth, 0,
		"events it holds before dropping (not 0)",
		OPT_SEEN(struct vargs, have_depth), OPT_REQUIRED),
	VOPT_NAME("name the vEVENTQ"),
	OPT_END,
};

static const struct opt veventq_read_opts[] = {
	OPT_U32("timeout", 't', "MS", struct vargs, timeout, INT_MAX,
		"wait this long for a first event (default 0: do not wait)"),
	OPT_END,
};

/* The events read, each with its payload in hex */
static struct json_object *events_json(const unsigned char *buf, size_t got,
				       uint32_t kind)
{
	struct json_object *a = json_object_new_array();
	struct iommuctl_vevent ev;
	size_t off = 0;
	uint32_t virt;

	while (iommuctl_vevent_next(buf, got, kind, &off, &ev) > 0) {
		struct json_object *e = json_object_new_object();
		char *hex = iommuctl_hex(ev.payload, ev.len);

		jadd_int(e, "sequence", ev.sequence);
		jadd_bool(e, "lost_events", ev.lost_events);
		jadd_str(e, "payload", hex ?: "");
		free(hex);
		if (kind == IOMMUCTL_VEVENTQ_SELFTEST && ev.len == 4) {
			memcpy(&virt, ev.payload, 4);
			jadd_hex(e, "virt_id", le32toh(virt));
		}
		json_object_array_add(a, e);
	}
	return a;
}

static int veventq_read_run(struct cmdctx *c, void *args)
{
	struct iommuctl_obj_info in;
	struct iommuctl_obj *o = c->obj;
	struct json_object *j;
	size_t len = 65536, got = 0;
	unsigned char *buf;
	int rc;

	iommuctl_obj_get_info(o, &in);
	buf = malloc(len);
	if (!buf)
		return cmd_fail(c, EXIT_FAILED, ENOMEM, "event buffer");
	rc = iommuctl_veventq_read(o, buf, len, &got,
				   (int)((struct vargs *)args)->timeout);
	if (rc < 0) {
		free(buf);
		return obj_fail(c, rc, o, "cannot read events");
	}
	j = ref_result("veventq", o);
	jadd(j, "events", events_json(buf, got, in.kind));
	free(buf);
	return cmd_out(c, j);
}

static void veventq_read_text(struct cmdctx *c, struct json_object *j)
{
	static const struct column cols[] = {
		{ "SEQ", "sequence", COL_RIGHT }, { "LOST", "lost_events", 0 },
		{ "VIRT-ID", "virt_id", 0 },	  { "PAYLOAD", "payload", 0 },
		{ NULL, NULL, 0 },
	};

	pending_text(c, j, "veventq", "events", "event", cols);
}

static const struct verb veventq_verbs[] = {
	OBJ_SHOW_VERB(&veventq_type, "VEVENTQ",
		      "Show the session's vIOMMU event queues."),
	VALLOC_VERB(VEVENTQ, "allocate a vIOMMU event queue (6.15)",
		    "--viommu VIOMMU --type selftest|arm-smmuv3|tegra241-cmdqv --depth N [--name NAME]",
		    "Allocate a vIOMMU event queue (IOMMU_VEVENTQ_ALLOC, Linux 6.15); one\n"
		    "per vIOMMU and type. Exit status 3 on kernels without the command.",
		    veventq_alloc_opts),
	{ .name = "read", .summary = "read pending vIOMMU events",
	  .synopsis = "VEVENTQ [--timeout MS]",
	  .description = "Read the pending events of a vEVENTQ: sequence number, whether events\n"
			 "were lost before it (the queue was full), and the payload (selftest:\n"
			 "the vDEVICE's virtual id; arm-smmuv3: the 32-byte event record;\n"
			 "tegra241-cmdqv: the 16-byte LVCMDQ error map) in hex.",
	  .opts = veventq_read_opts, .args_size = sizeof(struct vargs),
	  OBJ_OPERAND(OBJ_MASK(IOMMUCTL_OBJ_VEVENTQ), "give one veventq"),
	  .run = veventq_read_run,
	  .render = &(const struct render){ .text = veventq_read_text } },
	OBJ_DESTROY_VERB(&veventq_type, "a vEVENTQ"),
	{ .name = NULL },
};

const struct object obj_veventq = { "veventq", "vIOMMU event queues (6.15)",
				  veventq_verbs, NULL };

/* ---- hwqueue ------------------------------------------------------------- */

static const struct column hwqueue_cols[] = {
	{ "ID", "id", COL_RIGHT }, { "NAME", "name", 0 },
	{ "VIOMMU", "parent", 0 }, { "INDEX", "index", COL_RIGHT },
	{ "IOVA", "iova", 0 },	   { "LENGTH", "length", COL_RIGHT },
	{ NULL, NULL, 0 },
};
static const struct objtype hwqueue_type = {
	"hw_queues",  "hw queue", OBJ_MASK(IOMMUCTL_OBJ_HW_QUEUE),
	hwqueue_cols, NULL,	  NULL
};

static const struct choice hwqueue_types[] = {
	{ "selftest", IOMMUCTL_HW_QUEUE_SELFTEST },
	{ "tegra241-cmdqv", IOMMUCTL_HW_QUEUE_TEGRA241_CMDQV },
	{ NULL, 0 },
};

static const struct opt hwqueue_alloc_opts[] = {
	VOPT_VIOMMU("the vIOMMU"),
	VOPT_TYPE(hwqueue_types, "selftest or tegra241-cmdqv"),
	OPT_U32("index", 0, "N", struct vargs, index, 0,
		"queue index of that type",
		OPT_SEEN(struct vargs, have_index), OPT_REQUIRED),
	OPT_SIZE("iova", 'a', "ADDR", struct vargs, iova,
		 "guest-physical base: an IOVA mapped in the parent hwpt's IOAS",
		 OPT_SEEN(struct vargs, have_iova), OPT_REQUIRED),
	OPT_SIZE("size", 's', "SIZE", struct vargs, size, "bytes",
		 OPT_REQUIRED),
	VOPT_NAME("name the HW queue"),
	OPT_END,
};

static const struct verb hwqueue_verbs[] = {
	OBJ_SHOW_VERB(&hwqueue_type, "HWQUEUE",
		      "Show the session's vIOMMU hardware queues."),
	VALLOC_VERB(HWQUEUE, "allocate a HW queue (6.17)",
		    "--viommu VIOMMU --type selftest|tegra241-cmdqv --index N --iova ADDR --size SIZE [--name NAME]",
		    "Allocate a hardware queue of a vIOMMU (IOMMU_HW_QUEUE_ALLOC, Linux\n"
		    "6.17) over guest memory: the range must be mapped, physically\n"
		    "contiguous, in the IOAS under the vIOMMU's parent hwpt. Exit status 3\n"
		    "on kernels without the command.",
		    hwqueue_alloc_opts,
		    .need_opts = "--viommu, --type, --index, --iova and --size (not 0) are required"),
	OBJ_DESTROY_VERB(&hwqueue_type, "a HW queue"),
	{ .name = NULL },
};

const struct object obj_hwqueue = { "hwqueue", "vIOMMU hardware queues (6.17)",
				  hwqueue_verbs, NULL };
