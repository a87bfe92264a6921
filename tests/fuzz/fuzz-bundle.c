// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: libFuzzer target for a whole captured tree. Each
 * input is a bundle (tar, gzip-compressed or not), given to a fresh context
 * as its root exactly as "iommuctl --root FILE" does (a memfd, through
 * /proc/self/fd/N, $TMPDIR private to this process, no cache). When it
 * unpacks, every offline reader of the library runs on it through the
 * public API, as the verbs call them:
 *   status      iommuctl_status_new() and every getter, the findings, the
 *               group check; the KVM and MSI states
 *   iommu       each unit's getters, registers, version, SMMUv3 boot line;
 *               the VT-d register sets, context tables, invalidation
 *               queues, interrupt remapping tables, AMD-Vi command buffers
 *   group       each group's getters, members, viability, reserved regions
 *               (and resv's checks and merge), MSI windows, prediction
 *   device      each device's getters, PCI identity and config space, ACS,
 *               reset scope, explain (reason, message, predicted leader)
 *   msi         iommuctl_msi_state(), the unsafe-interrupts text, the check
 *   pgtable     each PCI device's table (RID and PASID 1), leaf by leaf and
 *               merged, with the reader's note and error
 *   diff        the tree against itself (a second context on the same
 *               bundle) and against an empty tree
 * The oracle beyond the sanitizers: set_root answers 0 or -errno, every
 * string handed out is readable, a reader's error is -errno, a tree has no
 * differences from itself, and no unpacked tree outlives its context.
 */
#include <dirent.h>
#include <sys/mman.h>

#include "fuzz-common.h"

static char bundle_tmp[64];
static char bundle_empty[96];
static char bundle_path[64];
static int bundle_fd = -1;

static void bundle_tmp_cleanup(void)
{
	if (bundle_tmp[0])
		nftw(bundle_tmp, fuzz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	if (bundle_empty[0])
		rmdir(bundle_empty);
}

static void bundle_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	if (bundle_fd >= 0)
		return;
	if (!tmp || !*tmp || strlen(tmp) > 32)
		tmp = "/tmp";
	snprintf(bundle_tmp, sizeof(bundle_tmp),
		 "%s/iommuctl-fuzz-bundle.XXXXXX", tmp);
	if (!mkdtemp(bundle_tmp))
		fuzz_die("mkdtemp");
	atexit(bundle_tmp_cleanup);
	/* an empty tree to compare with, outside the unpacking directory */
	snprintf(bundle_empty, sizeof(bundle_empty), "%s.empty", bundle_tmp);
	if (mkdir(bundle_empty, 0700) < 0 && errno != EEXIST)
		fuzz_die(bundle_empty);
	if (setenv("TMPDIR", bundle_tmp, 1) < 0 ||
	    setenv("IOMMUCTL_NO_CACHE", "1", 1) < 0)
		fuzz_die("setenv");
	bundle_fd = memfd_create("bundle", MFD_CLOEXEC);
	if (bundle_fd < 0)
		fuzz_die("memfd_create");
	snprintf(bundle_path, sizeof(bundle_path), "/proc/self/fd/%d",
		 bundle_fd);
}

static int bundle_tmp_entries(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d = opendir(bundle_tmp);

	if (!d)
		fuzz_die(bundle_tmp);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void bundle_input(const uint8_t *data, size_t size)
{
	size_t off = 0;
	ssize_t n;

	if (ftruncate(bundle_fd, 0) < 0)
		fuzz_die("ftruncate");
	while (off < size) {
		n = pwrite(bundle_fd, data + off, size - off, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fuzz_die("pwrite");
		off += (size_t)n;
	}
}

static struct iommuctl_ctx *bundle_ctx(const char *root, int *rc)
{
	struct iommuctl_ctx *ctx;

	if (iommuctl_new(&ctx) < 0)
		fuzz_die("iommuctl_new");
	iommuctl_set_log_fn(ctx, fuzz_log);
	iommuctl_set_log_priority(ctx, LOG_DEBUG);
	*rc = iommuctl_set_root(ctx, root);
	fuzz_check(*rc <= 0);
	return ctx;
}

static void fuzz_rc(int rc)
{
	/* a reader's failure is -errno, never a positive count or garbage */
	fuzz_check(rc <= 0 && rc > -4096);
}

static int finding(enum iommuctl_severity sev, const char *code,
		   const char *message, void *arg)
{
	(void)arg;
	fuzz_str(iommuctl_severity_name(sev));
	fuzz_check(code && message);
	fuzz_str(code);
	fuzz_str(message);
	return 0;
}

static bool every_group(struct iommuctl_group *g, void *arg)
{
	(void)arg;
	return g != NULL;
}

static void read_status(struct iommuctl_ctx *ctx)
{
	struct iommuctl_status *st;
	struct iommuctl_finding *f;
	struct iommuctl_msi_state ms;
	const char *const *v;
	const unsigned int *counts;
	unsigned int n, i, ncdev;
	bool cdev, group;
	char *text;

	if (iommuctl_status_new(ctx, &st) < 0)
		return;
	fuzz_str(iommuctl_status_get_kernel(st));
	(void)iommuctl_status_get_num_groups(st);
	iommuctl_status_get_domain_types(st, &n, &v, &counts);
	for (i = 0; i < n; i++)
		fuzz_str(v[i]);
	(void)iommuctl_status_get_iommufd(st);
	iommuctl_status_get_vfio(st, &cdev, &group, &ncdev);
	fuzz_str(iommuctl_debugfs_state_name(iommuctl_status_get_debugfs(st)));
	v = iommuctl_status_get_debugfs_drivers(st, &n);
	for (i = 0; i < n; i++)
		fuzz_str(v[i]);
	v = iommuctl_status_get_cmdline(st, &n);
	for (i = 0; i < n; i++)
		fuzz_str(v[i]);
	v = iommuctl_status_get_firmware_tables(st, &n);
	for (i = 0; i < n; i++)
		fuzz_str(v[i]);
	fuzz_str(iommuctl_status_get_param(st,
					   "iommufd.allow_unsafe_interrupts"));
	fuzz_str(iommuctl_status_get_param(st,
					   "vfio.enable_unsafe_noiommu_mode"));
	fuzz_rc(iommuctl_status_check_groups(st));
	fuzz_str(iommuctl_verdict_name(iommuctl_status_get_verdict(st)));
	(void)iommuctl_status_get_kvm(st);
	for (f = iommuctl_finding_get_first(st); f;
	     f = iommuctl_finding_get_next(f)) {
		fuzz_str(iommuctl_severity_name(
			iommuctl_finding_get_severity(f)));
		fuzz_str(iommuctl_finding_get_code(f));
		fuzz_str(iommuctl_finding_get_message(f));
	}
	iommuctl_status_free(st);

	if (iommuctl_msi_state(ctx, &ms) == 0) {
		fuzz_str(iommuctl_irq_remap_name(ms.remapping));
		fuzz_str(ms.how);
	}
	text = iommuctl_msi_unsafe_explain(ctx);
	fuzz_str(text);
	free(text);
	fuzz_rc(iommuctl_msi_check(ctx, every_group, NULL, finding, NULL));
}

static int regset_cb(const struct iommuctl_vtd_regset *rs, void *arg)
{
	uint64_t v;

	(void)arg;
	(void)iommuctl_vtd_regset_find(rs, "GSTS_REG", &v);
	(void)iommuctl_vtd_regset_find(rs, "FSTS_REG", &v);
	return 0;
}

static int qi_cb(const struct iommuctl_vtd_qi *q,
		 const struct iommuctl_vtd_qi_desc *d, void *arg)
{
	(void)q;
	(void)d;
	(void)arg;
	return 0;
}

static int irte_cb(const struct iommuctl_vtd_unit_state *u,
		   const struct iommuctl_vtd_irte *e, void *arg)
{
	(void)u;
	(void)arg;
	fuzz_str(e->delivery_name);
	fuzz_str(e->trigger_name);
	fuzz_str(e->dest_mode_name);
	return 0;
}

static int cmd_cb(const struct iommuctl_amd_cmdbuf *b,
		  const struct iommuctl_amd_cmd *c, void *arg)
{
	(void)b;
	(void)c;
	(void)arg;
	return 0;
}

static void read_debugfs(struct iommuctl_ctx *ctx)
{
	struct iommuctl_vtd_unit_contexts *uc = NULL;
	char file[128];
	size_t n = 0;
	char *why;

	fuzz_rc(iommuctl_vtd_regsets(ctx, regset_cb, NULL));
	fuzz_str(iommuctl_debugfs_error(ctx));
	if (iommuctl_vtd_contexts_get(ctx, NULL, &uc, &n) == 0)
		iommuctl_vtd_contexts_free(uc, n);
	fuzz_str(iommuctl_debugfs_error(ctx));
	fuzz_rc(iommuctl_vtd_invalidation_queues(ctx, NULL, qi_cb, NULL));
	fuzz_rc(iommuctl_vtd_irtes(ctx, NULL, irte_cb, NULL));
	fuzz_rc(iommuctl_amd_cmdbufs(ctx, NULL, cmd_cb, NULL));
	if (iommuctl_invalidation_file(ctx, NULL, file, sizeof(file)) >= 0) {
		why = NULL;
		if (iommuctl_debugfs_why(ctx, file, &why) == 0)
			fuzz_str(why);
		free(why);
	}
}

static void read_iommus(struct iommuctl_ctx *ctx)
{
	struct iommuctl_smmuv3_log log;
	struct iommuctl_iommu *u;
	const char *const *names;
	const char *source, *features;
	long long dsup, dused;
	uint64_t addr, cap, ecap;
	uint32_t acap;
	unsigned int n, i;

	iommuctl_iommu_foreach(ctx, u) {
		fuzz_str(iommuctl_iommu_get_name(u));
		fuzz_str(iommuctl_iommu_kind_name(iommuctl_iommu_get_kind(u)));
		fuzz_str(iommuctl_iommu_get_driver(u));
		(void)iommuctl_iommu_get_num_devices(u);
		(void)iommuctl_iommu_is_hardware(u);
		names = iommuctl_iommu_get_device_names(u, &n);
		for (i = 0; i < n; i++)
			fuzz_str(names[i]);
		(void)iommuctl_iommu_get_address(u, &addr);
		fuzz_str(iommuctl_iommu_get_parent_device(u));
		fuzz_str(iommuctl_iommu_get_version(u));
		(void)iommuctl_iommu_get_vtd_regs(u, &cap, &ecap, &dsup,
						  &dused);
		features = NULL;
		if (iommuctl_iommu_get_amd_regs(u, &acap, &features) == 0)
			fuzz_str(features);
		source = NULL;
		if (iommuctl_iommu_get_smmuv3_log(u, &log, &source) == 0) {
			fuzz_str(source);
			fuzz_check(memchr(log.device, 0, sizeof(log.device)));
		}
		fuzz_check(iommuctl_iommu_get_by_name(
				   ctx, iommuctl_iommu_get_name(u)) != NULL);
	}
}

static void read_groups(struct iommuctl_ctx *ctx)
{
	const struct iommuctl_resv_region *r;
	struct iommuctl_resv_region *merged = NULL;
	struct iommuctl_msi_window *w = NULL;
	struct iommuctl_device *d, *blocker;
	struct iommuctl_group *g;
	size_t n, nw, i;

	fuzz_check(iommuctl_num_groups(ctx) >= -4095);
	iommuctl_group_foreach(ctx, g) {
		fuzz_check(iommuctl_group_get_by_id(
				   ctx, iommuctl_group_get_id(g)) != NULL);
		fuzz_str(iommuctl_group_get_type(g));
		fuzz_str(iommuctl_group_get_iommu(g));
		(void)iommuctl_group_get_num_devices(g);
		iommuctl_group_device_foreach(g, d)
			fuzz_str(iommuctl_device_get_name(d));
		(void)iommuctl_group_is_viable(g, &blocker);
		(void)iommuctl_group_matches_prediction(g);
		if (iommuctl_group_get_resv_regions(g, &r, &n) == 0)
			for (i = 0; i < n; i++)
				fuzz_str(iommuctl_resv_type_name(r[i].type));
		fuzz_rc(iommuctl_resv_check(g, finding, NULL));
		if (iommuctl_group_msi_windows(g, &w, &nw) == 0) {
			for (i = 0; i < nw; i++)
				fuzz_str(w[i].basis);
			free(w);
			w = NULL;
		}
		fuzz_str(iommuctl_diff_msi_window(g));
	}
	if (iommuctl_resv_merge_groups(ctx, every_group, NULL, &merged, &n) ==
	    0)
		free(merged);
	(void)iommuctl_explain_is_certain(ctx);
}

static void read_pgtable(struct iommuctl_ctx *ctx, const char *dev,
			 int64_t pasid, bool merge)
{
	struct iommuctl_pgtable_range range;
	struct iommuctl_pgtable_leaf leaf;
	struct iommuctl_pgtable *pt;
	uint64_t bytes, total;
	char *note;
	int rc, steps = 0;

	if (iommuctl_pgtable_new(ctx, &pt) < 0)
		fuzz_die("iommuctl_pgtable_new");
	if (merge)
		iommuctl_pgtable_set_merge(pt, IOMMUCTL_PGTABLE_MERGE_IOVA);
	rc = iommuctl_pgtable_open(pt, dev, pasid);
	fuzz_rc(rc);
	if (rc == 0) {
		fuzz_str(iommuctl_pgtable_state_name(
			iommuctl_pgtable_get_state(pt)));
		fuzz_str(iommuctl_pgtable_get_device(pt));
		fuzz_str(iommuctl_pgtable_get_path(pt));
		(void)iommuctl_pgtable_get_pasid(pt);
		(void)iommuctl_pgtable_get_root(pt);
		(void)iommuctl_pgtable_get_levels(pt);
		/* bounded: a dump in a bundle is at most a few MiB anyway */
		do {
			rc = merge ? iommuctl_pgtable_next_range(pt, &range) :
				     iommuctl_pgtable_next_leaf(pt, &leaf);
		} while (rc > 0 && ++steps < 100000);
		fuzz_rc(rc < 0 ? rc : 0);
		iommuctl_pgtable_get_progress(pt, &bytes, &total);
	}
	fuzz_str(iommuctl_pgtable_error(pt));
	note = iommuctl_pgtable_note(pt, dev);
	fuzz_str(note);
	free(note);
	iommuctl_pgtable_free(pt);
}

static void read_devices(struct iommuctl_ctx *ctx)
{
	struct iommuctl_reset_scope *scope;
	struct iommuctl_device *d, *via, *culprit;
	enum iommuctl_acs_verdict acs;
	unsigned int ven, dev, sven, sdev, cls;
	const char *quirk, *name;
	char *msg;
	int why, n = 0;

	iommuctl_device_foreach(ctx, d)
	{
		name = iommuctl_device_get_name(d);
		fuzz_str(name);
		fuzz_check(iommuctl_device_get_by_name(ctx, name) != NULL);
		fuzz_check(iommuctl_device_get_ctx(d) == ctx);
		fuzz_str(iommuctl_device_get_subsystem(d));
		(void)iommuctl_device_get_group_id(d);
		fuzz_str(iommuctl_device_get_iommu(d));
		fuzz_str(iommuctl_device_get_driver(d));
		fuzz_str(iommuctl_device_get_driver_override(d));
		fuzz_str(iommuctl_device_get_vfio_cdev(d));
		(void)iommuctl_device_get_numa_node(d);
		fuzz_str(iommuctl_device_get_reset_methods(d));
		fuzz_str(iommuctl_device_get_vendor_name(d));
		fuzz_str(iommuctl_device_get_device_name(d));
		fuzz_str(iommuctl_device_get_parent_name(d));
		(void)iommuctl_device_get_parent(d);
		fuzz_str(iommuctl_device_get_mdev_type(d));
		(void)iommuctl_device_is_bridge(d);
		(void)iommuctl_device_assignable_driver(d);
		fuzz_str(iommuctl_device_no_group_reason(d));
		if (iommuctl_device_is_pci(d)) {
			(void)iommuctl_device_get_pci_ids(d, &ven, &dev, &sven,
							  &sdev, &cls);
			(void)iommuctl_device_get_pcicfg(d);
			quirk = NULL;
			fuzz_str(iommuctl_acs_verdict_name(
				iommuctl_device_acs_verdict(d, &quirk)));
			fuzz_str(quirk);
			if (iommuctl_device_reset_scope(d, &scope) == 0)
				iommuctl_reset_scope_free(scope);
		}
		why = iommuctl_device_explain(d, &via, &culprit, &acs);
		if (why >= 0)
			fuzz_str(iommuctl_why_name((enum iommuctl_why)why));
		msg = iommuctl_device_explain_message(d);
		fuzz_str(msg);
		free(msg);
		(void)iommuctl_device_get_predicted_leader(d);
		/* the page tables of the first few PCI devices */
		if (iommuctl_device_is_pci(d) && n++ < 8) {
			read_pgtable(ctx, name, -1, false);
			read_pgtable(ctx, name, -1, true);
			read_pgtable(ctx, name, 1, false);
		}
	}
}

static void read_diff(struct iommuctl_ctx *a, struct iommuctl_ctx *b, bool same)
{
	const struct iommuctl_change *c;
	struct iommuctl_diff *d;
	size_t n = 0;

	if (iommuctl_diff_new(a, b, &d) < 0)
		return;
	c = iommuctl_diff_get_changes(d, &n);
	/* a tree read twice has no differences from itself */
	if (same)
		fuzz_check(n == 0);
	(void)c;
	iommuctl_diff_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iommuctl_ctx *ctx, *again, *empty;
	int rc, rc2;

	bundle_setup();
	bundle_input(data, size);
	ctx = bundle_ctx(bundle_path, &rc);
	fuzz_check(!strcmp(iommuctl_get_root(ctx), rc ? "/" : bundle_path));
	fuzz_check(bundle_tmp_entries() == (rc ? 0 : 1));
	if (rc == 0) {
		fuzz_check(iommuctl_is_offline(ctx));
		fuzz_str(iommuctl_get_kernel_release(ctx));
		read_status(ctx);
		read_iommus(ctx);
		read_debugfs(ctx);
		read_groups(ctx);
		read_devices(ctx);

		again = bundle_ctx(bundle_path, &rc2);
		fuzz_check(rc2 == 0);
		read_diff(ctx, again, true);
		iommuctl_unref(again);
		empty = bundle_ctx(bundle_empty, &rc2);
		fuzz_check(rc2 == 0);
		read_diff(ctx, empty, false);
		read_diff(empty, ctx, false);
		iommuctl_unref(empty);
	}
	iommuctl_unref(ctx);
	fuzz_check(bundle_tmp_entries() == 0);
	return 0;
}
