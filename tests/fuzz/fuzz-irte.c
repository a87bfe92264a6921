// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: libFuzzer target for iommuctl_vtd_irtes(), the
 * reader of intel/ir_translation_struct. Read to the end, then again
 * stopping at a callback the input picks. The decoded bits of a remapped
 * entry must be the ones the raw IRTE holds where the header names them.
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

static int unit_cb(const struct iommuctl_vtd_unit_state *u, bool posted,
		   void *arg)
{
	(void)posted;
	fuzz_str(u->unit);
	return stop(arg);
}

static int entry_cb(const struct iommuctl_vtd_unit_state *u,
		    const struct iommuctl_vtd_irte *e, void *arg)
{
	fuzz_str(u->unit);
	if (!e->posted) {
		fuzz_check(e->fpd == ((e->low >> 1) & 1));
		fuzz_check(e->dest_logical == ((e->low >> 2) & 1));
		fuzz_check(e->level == ((e->low >> 4) & 1));
		fuzz_check(e->delivery_mode == ((e->low >> 5) & 7));
	}
	fuzz_check(e->svt == ((e->high >> 18) & 3));
	fuzz_check(e->sq == ((e->high >> 16) & 3));
	return stop(arg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iommuctl_ctx *ctx;
	struct state st = { 0 };
	int rc;

	fuzz_write("ir_translation_struct", data, size);
	ctx = fuzz_ctx();
	rc = iommuctl_vtd_irtes(ctx, unit_cb, entry_cb, &st);
	fuzz_check(rc <= 0);
	fuzz_after(ctx, "intel/ir_translation_struct", rc);
	if (st.calls) {
		st.stop_at = 1 + size % st.calls;
		st.calls = 0;
		rc = iommuctl_vtd_irtes(ctx, unit_cb, entry_cb, &st);
		fuzz_check(rc == STOP && st.calls == st.stop_at);
	}
	st.stop_at = 0;
	rc = iommuctl_vtd_irtes(ctx, NULL, entry_cb, &st);
	fuzz_check(rc <= 0);
	iommuctl_unref(ctx);
	return 0;
}
