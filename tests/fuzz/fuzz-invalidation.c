// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: libFuzzer target for
 * iommuctl_vtd_invalidation_queues(), the reader of
 * intel/invalidation_queue. Read to the end, then again stopping at a
 * callback the input picks. Every slot's type must be what its qw0 says
 * (bits 3:0, bits 11:9 << 4) and a 128-bit queue has no qw2/qw3.
 */
#include "fuzz-common.h"

#define STOP 7

struct state {
	unsigned int calls;
	unsigned int stop_at;
};

static int stop(struct state *st)
{
	return ++st->calls == st->stop_at ? STOP : 0;
}

static int queue_cb(const struct iommuctl_vtd_qi *q, void *arg)
{
	fuzz_str(q->unit);
	return stop(arg);
}

static int slot_cb(const struct iommuctl_vtd_qi *q,
		   const struct iommuctl_vtd_qi_desc *d, void *arg)
{
	fuzz_str(q->unit);
	fuzz_check(d->type_name);
	fuzz_str(d->type_name);
	fuzz_check(d->type == ((d->qw[0] & 0xf) | ((d->qw[0] >> 9) & 7) << 4));
	if (!q->wide)
		fuzz_check(d->qw[2] == 0 && d->qw[3] == 0);
	return stop(arg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iommuctl_ctx *ctx;
	struct state st = { 0 };
	int rc;

	fuzz_write("invalidation_queue", data, size);
	ctx = fuzz_ctx();
	rc = iommuctl_vtd_invalidation_queues(ctx, queue_cb, slot_cb, &st);
	fuzz_check(rc <= 0);
	fuzz_after(ctx, "intel/invalidation_queue", rc);
	if (st.calls) {
		st.stop_at = 1 + size % st.calls;
		st.calls = 0;
		rc = iommuctl_vtd_invalidation_queues(ctx, queue_cb, slot_cb,
						      &st);
		fuzz_check(rc == STOP && st.calls == st.stop_at);
	}
	st.stop_at = 0;
	rc = iommuctl_vtd_invalidation_queues(ctx, NULL, slot_cb, &st);
	fuzz_check(rc <= 0);
	iommuctl_unref(ctx);
	return 0;
}
