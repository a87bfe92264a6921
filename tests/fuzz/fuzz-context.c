// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: libFuzzer target for iommuctl_vtd_contexts(), the
 * reader of intel/dmar_translation_struct. Read to the end, then again with
 * the callbacks (unit headers and rows counted together) stopping at a
 * point the input picks: that return value must come back.
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

static int unit_cb(const struct iommuctl_vtd_unit_state *u, void *arg)
{
	fuzz_str(u->unit);
	return stop(arg);
}

static int row_cb(const struct iommuctl_vtd_context *c, void *arg)
{
	const char *tt = iommuctl_vtd_ttype_name(c->ttype);

	fuzz_str(c->unit);
	fuzz_check(tt);
	fuzz_str(tt);
	fuzz_check(c->scalable == (c->pasid >= 0));
	return stop(arg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iommuctl_ctx *ctx;
	struct state st = { 0 };
	int rc;

	fuzz_write("dmar_translation_struct", data, size);
	ctx = fuzz_ctx();
	rc = iommuctl_vtd_contexts(ctx, unit_cb, row_cb, &st);
	fuzz_check(rc <= 0);
	fuzz_after(ctx, "intel/dmar_translation_struct", rc);
	if (st.calls) {
		st.stop_at = 1 + size % st.calls;
		st.calls = 0;
		rc = iommuctl_vtd_contexts(ctx, unit_cb, row_cb, &st);
		fuzz_check(rc == STOP && st.calls == st.stop_at);
	}
	/* without the optional unit callback */
	st.stop_at = 0;
	st.calls = 0;
	rc = iommuctl_vtd_contexts(ctx, NULL, row_cb, &st);
	fuzz_check(rc <= 0);
	iommuctl_unref(ctx);
	return 0;
}
