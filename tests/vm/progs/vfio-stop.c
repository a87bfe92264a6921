// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * vfio-stop: binds devices to vfio-pci as 'iommuctl vfio bind' does, and
 * stops itself (SIGSTOP) right after the progress step STEP, so that a test
 * can kill -9 it between two changes to the host
 * (tests/vm/scenarios/vfio.sh). A test program of the VM tier, put into
 * the guest by tests/vm/run.
 *
 *   vfio-stop STEP DEVICE...    STEP: "override", "unbind", "probe", ...
 *
 * Honours IOMMUCTL_RUN_DIR like iommuctl. Exit 0 when the bind went
 * through without meeting STEP, 1 on failure ("error: ..." on stderr), 2
 * for usage.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iommuctl/libiommuctl.h>

static void stop_after(const char *device, const char *step,
		       const char *detail, void *data)
{
	printf("%s %s %s\n", device, step, detail ? detail : "");
	fflush(stdout);
	if (!strcmp(step, data))
		raise(SIGSTOP);
}

int main(int argc, char **argv)
{
	struct iommuctl_vfio *v = NULL;
	struct iommuctl_ctx *ctx = NULL;
	const char *dir = getenv("IOMMUCTL_RUN_DIR");
	int i, rc;

	if (argc < 3) {
		fprintf(stderr, "usage: vfio-stop STEP DEVICE...\n");
		return 2;
	}
	rc = iommuctl_new(&ctx);
	if (!rc && dir)
		rc = iommuctl_set_run_dir(ctx, dir);
	if (!rc)
		rc = iommuctl_vfio_new(ctx, &v);
	if (!rc)
		iommuctl_vfio_set_progress(v, stop_after, argv[1]);
	for (i = 2; !rc && i < argc; i++)
		rc = iommuctl_vfio_add_device(v, argv[i]);
	if (!rc)
		rc = iommuctl_vfio_apply(v);
	if (rc)
		fprintf(stderr, "error: %s: %s\n",
			v && iommuctl_vfio_error(v) ? iommuctl_vfio_error(v) :
						      "setting up",
			strerror(-rc));
	iommuctl_vfio_free(v);
	iommuctl_unref(ctx);
	return rc ? 1 : 0;
}
