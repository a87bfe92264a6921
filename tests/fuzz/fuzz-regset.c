// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: libFuzzer target for iommuctl_vtd_regsets(), the
 * reader of intel/iommu_regset. Each input is read twice: to the end, then
 * again with the callback stopping after a number of units the input picks,
 * which must come back as the reader's return value (the early-return
 * paths are where leaks hide). Every register name is looked up again with
 * iommuctl_vtd_regset_find().
 */
#include "fuzz-common.h"

#define STOP 7

struct state {
	unsigned int calls;
	unsigned int stop_at;
};

static int regset_cb(const struct iommuctl_vtd_regset *rs, void *arg)
{
	struct state *st = arg;
	uint64_t value;
	size_t i;

	fuzz_str(rs->unit);
	fuzz_check(rs->nregs == 0 || rs->regs);
	for (i = 0; i < rs->nregs; i++) {
		fuzz_check(rs->regs[i].name);
		fuzz_str(rs->regs[i].name);
		fuzz_check(iommuctl_vtd_regset_find(rs, rs->regs[i].name,
						    &value) == 0);
	}
	iommuctl_vtd_regset_find(rs, "GSTS", &value);
	iommuctl_vtd_regset_find(rs, "", &value);
	if (++st->calls == st->stop_at)
		return STOP;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iommuctl_ctx *ctx;
	struct state st = { 0 };
	int rc;

	fuzz_write("iommu_regset", data, size);
	ctx = fuzz_ctx();
	rc = iommuctl_vtd_regsets(ctx, regset_cb, &st);
	fuzz_check(rc <= 0);
	fuzz_after(ctx, "intel/iommu_regset", rc);
	if (st.calls) {
		st.stop_at = 1 + size % st.calls;
		st.calls = 0;
		rc = iommuctl_vtd_regsets(ctx, regset_cb, &st);
		fuzz_check(rc == STOP && st.calls == st.stop_at);
	}
	iommuctl_unref(ctx);
	return 0;
}
