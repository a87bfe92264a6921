// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* The whole-system summary behind "iommuctl status", and its findings. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

struct iommuctl_finding {
	struct iommuctl_finding *next;
	enum iommuctl_severity severity;
	const char *code;
	char *message;
};

struct iommuctl_status {
	struct iommuctl_ctx *ctx;
	char *kernel;
	int num_groups;
	struct strv dom_types;
	unsigned int *dom_counts;
	struct iommuctl_iommufd_state iommufd;
	bool vfio_cdev, vfio_group;
	unsigned int num_cdevs;
	enum iommuctl_debugfs_state debugfs;
	struct strv debugfs_drivers;
	struct strv cmdline;
	struct strv tables;
	struct strv params; /* "name=value" */
	struct iommuctl_kvm_state kvm;
	enum iommuctl_verdict verdict;
	struct iommuctl_finding *findings, **tail;
};

IOMMUCTL_EXPORT const char *iommuctl_verdict_name(enum iommuctl_verdict v)
{
	return names_get(NAMES_VERDICT, v);
}

IOMMUCTL_EXPORT const char *iommuctl_severity_name(enum iommuctl_severity s)
{
	return names_get(NAMES_SEVERITY, s);
}

IOMMUCTL_EXPORT const char *
iommuctl_debugfs_state_name(enum iommuctl_debugfs_state state)
{
	return names_get(NAMES_DEBUGFS_STATE, state);
}

/*
 * Kernel parameters that change IOMMU, interrupt remapping, VFIO or iommufd
 * behaviour. Entries ending in '.' match module parameters by prefix
 * ("iommu.strict=0"); the others match the word itself or "word=...".
 * The kernel treats '-' and '_' alike in parameter names, so do we.
 */
static const char *const cmdline_words[] = {
	"iommu",
	"iommu.",
	"intel_iommu",
	"amd_iommu",
	"amd_iommu_dump",
	"amd_iommu_intr",
	"intremap",
	"nointremap",
	"iommufd.",
	"vfio.",
	"vfio_pci.",
	"vfio_iommu_type1.",
	"pcie_acs_override",
	"pci",
	"ivrs_ioapic",
	"ivrs_hpet",
	"ivrs_acpihid",
	"arm_smmu.",
	"arm_smmu_v3.",
	"virtio_iommu.",
	"kvm_arm.mode",
};

/* pci= options that matter for isolation and ATS. */
static const char *const pci_opts[] = { "noats", "noacs", "nomsi",
					"disable_acs_redir", "config_acs" };

static bool pci_word_matters(const char *val)
{
	size_t i;

	for (i = 0; i < sizeof(pci_opts) / sizeof(pci_opts[0]); i++)
		if (strstr(val, pci_opts[i]))
			return true;
	return false;
}

IOMMUCTL_EXPORT bool iommuctl_cmdline_word_is_iommu(const char *word)
{
	char name[64];
	size_t i, len;

	if (!word || !*word)
		return false;
	/* Normalise the parameter name (up to '='), bounded. */
	for (len = 0; word[len] && word[len] != '=' && len < sizeof(name) - 1;
	     len++)
		name[len] = word[len] == '-' ? '_' : word[len];
	name[len] = '\0';
	if (word[len] && word[len] != '=')
		return false; /* name too long to be one of ours */

	for (i = 0; i < sizeof(cmdline_words) / sizeof(cmdline_words[0]); i++) {
		const char *w = cmdline_words[i];
		size_t wl = strlen(w);

		if (w[wl - 1] == '.') {
			if (!strncmp(name, w, wl) && name[wl])
				return true;
			continue;
		}
		if (strcmp(name, w))
			continue;
		if (!strcmp(w, "pci"))
			return word[len] == '=' &&
			       pci_word_matters(word + len + 1);
		return true;
	}
	return false;
}

static int add_finding(struct iommuctl_status *st, enum iommuctl_severity sev,
		       const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int add_finding(struct iommuctl_status *st, enum iommuctl_severity sev,
		       const char *code, const char *fmt, ...)
{
	struct iommuctl_finding *f = calloc(1, sizeof(*f));
	va_list ap;
	int rc;

	if (!f)
		return -ENOMEM;
	va_start(ap, fmt);
	rc = vasprintf(&f->message, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		free(f);
		return -ENOMEM;
	}
	f->severity = sev;
	f->code = code;
	*st->tail = f;
	st->tail = &f->next;
	return 0;
}

static void read_kernel(struct iommuctl_status *st)
{
	const char *k = iommuctl_get_kernel_release(st->ctx);

	st->kernel = k ? strdup(k) : NULL;
}

static int read_cmdline(struct iommuctl_status *st)
{
	char *buf, *p, *word;
	int rc;

	if (sysfs_read_str(st->ctx, "/proc/cmdline", &buf) < 0)
		return 0;
	/* Words are space separated; double quotes may enclose spaces. */
	for (p = buf; *p;) {
		bool quoted = false;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		word = p;
		for (; *p && (quoted || !isspace((unsigned char)*p)); p++)
			if (*p == '"')
				quoted = !quoted;
		if (*p)
			*p++ = '\0';
		if (iommuctl_cmdline_word_is_iommu(word)) {
			rc = strv_push(&st->cmdline, word);
			if (rc < 0) {
				free(buf);
				return rc;
			}
		}
	}
	free(buf);
	return 0;
}

static bool cmdline_has(struct iommuctl_status *st, const char *word)
{
	return strv_contains(&st->cmdline, word);
}

static bool proc_devices_has(struct iommuctl_ctx *ctx, const char *name)
{
	char *buf, *line, *save = NULL;
	bool found = false, chr = false;

	if (sysfs_read(ctx, "/proc/devices", SYSFS_ATTR_MAX, &buf, NULL) < 0)
		return false;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *name_at;

		if (!strncmp(line, "Character devices:", 18)) {
			chr = true;
			continue;
		}
		if (!strncmp(line, "Block devices:", 14))
			chr = false;
		if (!chr)
			continue;
		name_at = line;
		while (isspace((unsigned char)*name_at) ||
		       isdigit((unsigned char)*name_at))
			name_at++;
		if (!strcmp(name_at, name)) {
			found = true;
			break;
		}
	}
	free(buf);
	return found;
}

static int read_domain_types(struct iommuctl_status *st)
{
	struct iommuctl_group *g;
	size_t i;

	st->num_groups = iommuctl_num_groups(st->ctx);
	if (st->num_groups < 0) {
		st->num_groups = -1;
		return 0;
	}
	iommuctl_group_foreach(st->ctx, g) {
		const char *t = iommuctl_group_get_type(g) ?: "unknown";
		unsigned int *nc;

		for (i = 0; i < st->dom_types.n; i++)
			if (!strcmp(st->dom_types.v[i], t))
				break;
		if (i == st->dom_types.n) {
			if (strv_push(&st->dom_types, t) < 0)
				return -ENOMEM;
			nc = realloc(st->dom_counts,
				     st->dom_types.n * sizeof(*nc));
			if (!nc)
				return -ENOMEM;
			st->dom_counts = nc;
			nc[i] = 0;
		}
		st->dom_counts[i]++;
	}
	return 0;
}

static void read_debugfs(struct iommuctl_status *st)
{
	struct strv list = { 0 };
	int rc;

	rc = sysfs_list(st->ctx, "/sys/kernel/debug/iommu",
			&st->debugfs_drivers);
	if (rc == 0) {
		st->debugfs = IOMMUCTL_DEBUGFS_AVAILABLE;
		return;
	}
	strv_free(&st->debugfs_drivers);
	if (rc == -EACCES || rc == -EPERM) {
		st->debugfs = IOMMUCTL_DEBUGFS_NO_ACCESS;
		return;
	}
	rc = sysfs_list(st->ctx, "/sys/kernel/debug", &list);
	if (rc == -EACCES || rc == -EPERM)
		st->debugfs = IOMMUCTL_DEBUGFS_NO_ACCESS;
	else if (rc == 0 && list.n > 0)
		st->debugfs = IOMMUCTL_DEBUGFS_NO_IOMMU_DIR;
	else
		st->debugfs = IOMMUCTL_DEBUGFS_NOT_MOUNTED;
	strv_free(&list);
}

static const char *const param_files[][2] = {
	{ "iommufd.allow_unsafe_interrupts",
	  "/sys/module/iommufd/parameters/allow_unsafe_interrupts" },
	{ "vfio_iommu_type1.allow_unsafe_interrupts",
	  "/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts" },
	{ "vfio.enable_unsafe_noiommu_mode",
	  "/sys/module/vfio/parameters/enable_unsafe_noiommu_mode" },
};

static int read_params(struct iommuctl_status *st)
{
	size_t i;

	for (i = 0; i < sizeof(param_files) / sizeof(param_files[0]); i++) {
		char *v, *kv;

		if (sysfs_read_str(st->ctx, param_files[i][1], &v) < 0)
			continue;
		kv = path_fmt("%s=%s", param_files[i][0], v);
		free(v);
		if (strv_push_take(&st->params, kv) < 0)
			return -ENOMEM;
	}
	return 0;
}

IOMMUCTL_EXPORT const char *
iommuctl_status_get_param(struct iommuctl_status *st, const char *name)
{
	size_t i, len = strlen(name);

	for (i = 0; i < st->params.n; i++)
		if (!strncmp(st->params.v[i], name, len) &&
		    st->params.v[i][len] == '=')
			return st->params.v[i] + len + 1;
	return NULL;
}

static int find_tables(struct iommuctl_status *st)
{
	static const char *const tables[] = { "DMAR", "IVRS", "IORT", "VIOT" };
	size_t i;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char *p = path_join("/sys/firmware/acpi/tables", tables[i]);

		if (!p)
			return -ENOMEM;
		if (sysfs_exists(st->ctx, p) &&
		    strv_push(&st->tables, tables[i]) < 0) {
			free(p);
			return -ENOMEM;
		}
		free(p);
	}
	return 0;
}

static bool has_table(struct iommuctl_status *st, const char *t)
{
	return strv_contains(&st->tables, t);
}

/* "a b c": the names of @g's members, or NULL */
static char *member_names(struct iommuctl_group *g, bool *first_is_pci)
{
	struct strv names = { 0 };
	size_t i, len = 1;
	char *out = NULL, *p;

	*first_is_pci = false;
	for (i = 0; i < g->devnames.n; i++)
		if (strv_push(&names, g->devnames.v[i]) < 0)
			goto out;
	strv_sort(&names, pci_name_cmp); /* device order */
	for (i = 0; i < names.n; i++)
		len += strlen(names.v[i]) + 1;
	out = p = malloc(len);
	for (i = 0; out && i < names.n; i++)
		p += sprintf(p, "%s%s", i ? " " : "", names.v[i]);
	if (out && !names.n)
		*out = '\0';
	*first_is_pci = names.n && iommuctl_parse_bdf(names.v[0], NULL, 0) == 0;
out:
	strv_free(&names);
	return out;
}

/* One line per group-relevant problem, from what the groups' own
 * directories say (the PCI topology is --check's, below). */
static int analyse_groups(struct iommuctl_status *st)
{
	struct iommuctl_ctx *ctx = st->ctx;
	struct iommuctl_msi_state msi;
	struct iommuctl_group *g;
	bool hw_msi = false;
	int rc = 0;

	iommuctl_group_foreach(ctx, g) {
		const struct iommuctl_resv_region *r;
		unsigned int id = iommuctl_group_get_id(g);
		unsigned int n = iommuctl_group_get_num_devices(g);
		bool pci;
		char *names = member_names(g, &pci);
		size_t nr = 0, i;

		if (n > 1 && pci)
			rc |= add_finding(
				st, IOMMUCTL_NOTE, "shared-group",
				"group %u holds %u devices (%s): they can only be assigned together ('iommuctl group explain %u' says why)",
				id, n, names ? names : "?", id);
		if (iommuctl_group_get_resv_regions(g, &r, &nr) == 0) {
			for (i = 0; i < nr; i++) {
				if (r[i].type == IOMMUCTL_RESV_DIRECT)
					rc |= add_finding(
						st, IOMMUCTL_WARNING, "rmrr",
						"group %u (%s) has a direct region 0x%llx-0x%llx that firmware requires (RMRR/IVMD): assigning it may fail or break the device",
						id, names ? names : "?",
						(unsigned long long)r[i].start,
						(unsigned long long)r[i].end);
				if (r[i].type == IOMMUCTL_RESV_MSI &&
				    r[i].start >= 0xfee00000ULL &&
				    r[i].end <= 0xfeefffffULL)
					hw_msi = true;
			}
		}
		free(names);
	}
	iommuctl_msi_state(ctx, &msi);
	if (hw_msi && msi.remapping == IOMMUCTL_IR_DISABLED)
		rc |= add_finding(
			st, IOMMUCTL_WARNING, "no-interrupt-remapping",
			"MSIs are not isolated: interrupt remapping is off (%s); %s",
			msi.how,
			msi.unsafe_allowed ?
				"allow_unsafe_interrupts=Y lets devices be bound anyway (unsafe interrupts allowed): whoever drives one can raise any interrupt on the host" :
				"binding a device to iommufd fails with EPERM unless iommufd.allow_unsafe_interrupts=1 (legacy VFIO container: vfio_iommu_type1.allow_unsafe_interrupts=1), which lets whoever drives it raise any interrupt on the host; turn interrupt remapping on");
	return rc;
}

IOMMUCTL_EXPORT int iommuctl_status_check_groups(struct iommuctl_status *st)
{
	struct iommuctl_group *g;
	int rc = 0;

	iommuctl_group_foreach(st->ctx, g) {
		unsigned int id = iommuctl_group_get_id(g);

		if (!iommuctl_group_matches_prediction(g))
			rc |= add_finding(
				st, IOMMUCTL_NOTE, "group-quirk",
				"group %u differs from what the PCI topology and ACS predict: a device quirk or an ACS override is at work ('iommuctl group explain %u')",
				id, id);
	}
	return rc ? -ENOMEM : 0;
}

/* Module parameters that, set to Y, give up isolation */
static const struct {
	const char *param, *code, *why;
} unsafe_params[] = {
	{ "iommufd.allow_unsafe_interrupts", "unsafe-interrupts",
	  "devices may be assigned without MSI isolation, so a guest can forge interrupts" },
	{ "vfio_iommu_type1.allow_unsafe_interrupts", "unsafe-interrupts",
	  "devices may be assigned without MSI isolation, so a guest can forge interrupts" },
	{ "vfio.enable_unsafe_noiommu_mode", "vfio-noiommu",
	  "VFIO may drive devices with no IOMMU protection at all" },
};

/* The hardware units the host's drivers expose: "a (driver), b (driver)" */
static char *host_units(struct iommuctl_ctx *ctx)
{
	struct iommuctl_iommu *it;
	char *out = NULL, *next;

	iommuctl_iommu_foreach(ctx, it) {
		if (!iommuctl_iommu_is_hardware(it))
			continue;
		next = path_fmt("%s%s%s (%s)", out ? out : "", out ? ", " : "",
				iommuctl_iommu_get_name(it),
				iommuctl_iommu_get_driver(it) ?: "no driver");
		free(out);
		out = next;
		if (!out)
			break;
	}
	return out;
}

/* arm64 KVM: protected mode and who may own the IOMMUs */
static int analyse_kvm(struct iommuctl_status *st)
{
	const struct iommuctl_kvm_state *k = &st->kvm;
	enum iommuctl_kvm_mode m = k->log.mode;
	char *units;
	int rc = 0;

	if (!k->arm64)
		return 0;
	if (m == IOMMUCTL_KVM_PROTECTED) {
		units = host_units(st->ctx);
		rc |= add_finding(
			st, IOMMUCTL_NOTE, "pkvm",
			"KVM runs in protected mode (pKVM, %s): the hypervisor does not trust the host and may own IOMMUs that the host cannot see or program; the host's drivers expose %s; %s",
			k->log.hyp[0] ? k->log.hyp : "?",
			units ? units : "no IOMMU unit",
			k->pkvm_iommu_driver ?
				"the pKVM IOMMU driver (" IOMMUCTL_PKVM_SMMUV3_DRIVER
				") is present: the hypervisor programs the SMMUs it owns, and what the host shows of them is its request, not the hardware state" :
				"no pKVM IOMMU driver is present (" IOMMUCTL_PKVM_SMMUV3_DRIVER
				", CONFIG_ARM_SMMU_V3_PKVM: not in upstream Linux up to 7.3), so the host programs its IOMMUs itself and the hypervisor does not confine DMA from host-owned devices");
		free(units);
	}
	if (!strcmp(k->requested, "protected") && m != IOMMUCTL_KVM_PROTECTED &&
	    m != IOMMUCTL_KVM_UNKNOWN)
		rc |= add_finding(
			st, IOMMUCTL_WARNING, "pkvm-not-active",
			"kvm-arm.mode=protected is on the kernel command line but KVM %s%s%s%s",
			m == IOMMUCTL_KVM_NOT_STARTED ? "did not start" :
			m == IOMMUCTL_KVM_DISABLED    ? "is disabled" :
							"runs unprotected",
			k->log.line[0] ? " (kernel log: \"" : "", k->log.line,
			k->log.line[0] ? "\")" : "");
	return rc;
}

/* An IOMMU a firmware table describes, for when the kernel registered no
 * unit of its kind: what it is, and the fix (@fix_off when a word of @off
 * is on the kernel command line). */
static const struct fw_iommu {
	const char *table;
	enum iommuctl_iommu_kind kind;
	const char *what, *off[2], *fix_off, *fix;
} fw_iommus[] = {
	{ "DMAR",
	  IOMMUCTL_IOMMU_INTEL_VTD,
	  "an Intel VT-d IOMMU (ACPI DMAR table) but the kernel registered no dmar unit",
	  { "intel_iommu=off", NULL },
	  "remove intel_iommu=off from the kernel command line",
	  "boot with intel_iommu=on" },
	{ "IVRS",
	  IOMMUCTL_IOMMU_AMD_VI,
	  "an AMD IOMMU (ACPI IVRS table) but the kernel registered no ivhd unit",
	  { "amd_iommu=off", "iommu=off" },
	  "remove amd_iommu=off/iommu=off from the kernel command line",
	  "check that the kernel has CONFIG_AMD_IOMMU and the BIOS enables the IOMMU" },
	{ "VIOT",
	  IOMMUCTL_IOMMU_VIRTIO,
	  "a virtio-iommu (ACPI VIOT table) but no virtio-iommu unit is registered",
	  { NULL, NULL },
	  NULL,
	  "the kernel needs CONFIG_VIRTIO_IOMMU" },
};

/* Decide the verdict and collect the findings, most important first. */
static int analyse(struct iommuctl_status *st)
{
	unsigned int hw = 0, kinds[IOMMUCTL_IOMMU_MOCK + 1] = { 0 };
	struct iommuctl_iommu *it;
	bool mock = false;
	const char *v;
	size_t i;
	int rc = 0;

	iommuctl_iommu_foreach(st->ctx, it) {
		kinds[iommuctl_iommu_get_kind(it)]++;
		if (iommuctl_iommu_is_hardware(it))
			hw++;
		else
			mock = true;
	}

	for (i = 0; i < sizeof(fw_iommus) / sizeof(fw_iommus[0]); i++) {
		const struct fw_iommu *f = &fw_iommus[i];
		bool off = (f->off[0] && cmdline_has(st, f->off[0])) ||
			   (f->off[1] && cmdline_has(st, f->off[1]));

		if (has_table(st, f->table) && !kinds[f->kind])
			rc |= add_finding(
				st, IOMMUCTL_WARNING, "iommu-disabled",
				"IOMMU present but disabled: the firmware describes %s; %s",
				f->what, off ? f->fix_off : f->fix);
	}

	if (hw && st->num_groups > 0)
		st->verdict = IOMMUCTL_VERDICT_ACTIVE;
	else if (hw)
		st->verdict = IOMMUCTL_VERDICT_NO_GROUPS;
	else if (st->findings)
		st->verdict = IOMMUCTL_VERDICT_DISABLED;
	else
		st->verdict = IOMMUCTL_VERDICT_NONE;

	if (st->verdict == IOMMUCTL_VERDICT_NO_GROUPS)
		rc |= add_finding(
			st, IOMMUCTL_WARNING, "iommu-no-groups",
			"%u IOMMU unit(s) registered but no IOMMU groups exist: DMA is not translated and devices cannot be assigned%s",
			hw,
			cmdline_has(st, "iommu=pt") ? " (iommu=pt is set)" :
						      "");
	if (st->verdict == IOMMUCTL_VERDICT_NONE)
		rc |= add_finding(
			st, IOMMUCTL_NOTE, "no-iommu",
			"no IOMMU hardware found%s: devices cannot be assigned to VMs with VFIO on this system",
			mock ? " (only the iommufd selftest mock unit)" : "");

	for (i = 0; i < st->dom_types.n; i++) {
		if (strcmp(st->dom_types.v[i], "identity"))
			continue;
		rc |= add_finding(
			st, IOMMUCTL_NOTE, "identity-domains",
			"%u of %d IOMMU groups use an identity (passthrough) default domain: host drivers' DMA is not translated there (iommu=pt or iommu.passthrough=1); VFIO assignment still works",
			st->dom_counts[i], st->num_groups);
	}

	if (!st->iommufd.present) {
		if (st->verdict == IOMMUCTL_VERDICT_ACTIVE)
			rc |= add_finding(
				st, IOMMUCTL_NOTE, "iommufd-missing",
				"/dev/iommu does not exist: the kernel lacks CONFIG_IOMMUFD or the iommufd module is not loaded (modprobe iommufd)");
	} else if (st->iommufd.open_errno == EACCES ||
		   st->iommufd.open_errno == EPERM) {
		rc |= add_finding(
			st, IOMMUCTL_NOTE, "iommufd-no-access",
			"/dev/iommu cannot be opened by this user (%s): run as root or grant access to /dev/iommu",
			strerror(st->iommufd.open_errno));
	} else if (st->iommufd.open_errno) {
		rc |= add_finding(st, IOMMUCTL_WARNING, "iommufd-open-failed",
				  "/dev/iommu exists but cannot be opened: %s",
				  strerror(st->iommufd.open_errno));
	} else if (st->iommufd.probed && !st->iommufd.answers) {
		rc |= add_finding(
			st, IOMMUCTL_WARNING, "iommufd-no-answer",
			"/dev/iommu exists but does not answer iommufd ioctls: it is not the iommufd device");
	}
	if (st->iommufd.present && !st->vfio_cdev &&
	    st->verdict == IOMMUCTL_VERDICT_ACTIVE)
		rc |= add_finding(
			st, IOMMUCTL_NOTE, "vfio-cdev-missing",
			"the kernel has no VFIO device cdev support (CONFIG_VFIO_DEVICE_CDEV): VFIO devices can be used only through the legacy group interface");

	for (i = 0; i < sizeof(unsafe_params) / sizeof(unsafe_params[0]); i++) {
		v = iommuctl_status_get_param(st, unsafe_params[i].param);
		if (v && !strcmp(v, "Y"))
			rc |= add_finding(st, IOMMUCTL_WARNING,
					  unsafe_params[i].code, "%s=Y: %s",
					  unsafe_params[i].param,
					  unsafe_params[i].why);
	}
	rc |= analyse_groups(st);
	if (mock || st->iommufd.selftest)
		rc |= add_finding(
			st, IOMMUCTL_NOTE, "selftest-kernel",
			"the kernel has the iommufd selftest mock (CONFIG_IOMMUFD_TEST): a test kernel, not meant for production");
	return rc ? -ENOMEM : 0;
}

IOMMUCTL_EXPORT void iommuctl_status_free(struct iommuctl_status *st)
{
	struct iommuctl_finding *f, *next;

	if (!st)
		return;
	for (f = st->findings; f; f = next) {
		next = f->next;
		free(f->message);
		free(f);
	}
	free(st->kernel);
	strv_free(&st->dom_types);
	free(st->dom_counts);
	strv_free(&st->debugfs_drivers);
	strv_free(&st->cmdline);
	strv_free(&st->tables);
	strv_free(&st->params);
	iommuctl_unref(st->ctx);
	free(st);
}

IOMMUCTL_EXPORT int iommuctl_status_new(struct iommuctl_ctx *ctx,
					struct iommuctl_status **out)
{
	struct iommuctl_status *st;
	struct strv cdevs = { 0 };
	int rc;

	if (!ctx || !out)
		return -EINVAL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->ctx = iommuctl_ref(ctx);
	st->tail = &st->findings;

	read_kernel(st);
	rc = read_cmdline(st);
	if (!rc)
		rc = read_domain_types(st);
	if (!rc)
		rc = iommuctl_iommufd_probe(ctx, &st->iommufd);
	st->vfio_cdev = proc_devices_has(ctx, "vfio-dev");
	st->vfio_group = sysfs_exists(ctx, "/dev/vfio/vfio");
	if (sysfs_list(ctx, "/dev/vfio/devices", &cdevs) == 0)
		st->num_cdevs = (unsigned int)cdevs.n;
	strv_free(&cdevs);
	read_debugfs(st);
	if (!rc)
		rc = read_params(st);
	if (!rc)
		rc = find_tables(st);
	if (!rc)
		rc = iommuctl_kvm_state(ctx, &st->kvm);
	if (!rc)
		rc = analyse(st);
	if (!rc)
		rc = analyse_kvm(st) ? -ENOMEM : 0;
	if (rc) {
		iommuctl_status_free(st);
		return rc;
	}
	*out = st;
	return 0;
}

IOMMUCTL_EXPORT const char *
iommuctl_status_get_kernel(struct iommuctl_status *st)
{
	return st->kernel;
}

IOMMUCTL_EXPORT int iommuctl_status_get_num_groups(struct iommuctl_status *st)
{
	return st->num_groups;
}

IOMMUCTL_EXPORT void
iommuctl_status_get_domain_types(struct iommuctl_status *st, unsigned int *n,
				 const char *const **types,
				 const unsigned int **counts)
{
	*n = (unsigned int)st->dom_types.n;
	*types = (const char *const *)st->dom_types.v;
	*counts = st->dom_counts;
}

IOMMUCTL_EXPORT const struct iommuctl_iommufd_state *
iommuctl_status_get_iommufd(struct iommuctl_status *st)
{
	return &st->iommufd;
}

IOMMUCTL_EXPORT void iommuctl_status_get_vfio(struct iommuctl_status *st,
					      bool *cdev, bool *group,
					      unsigned int *num_cdevs)
{
	if (cdev)
		*cdev = st->vfio_cdev;
	if (group)
		*group = st->vfio_group;
	if (num_cdevs)
		*num_cdevs = st->num_cdevs;
}

IOMMUCTL_EXPORT enum iommuctl_debugfs_state
iommuctl_status_get_debugfs(struct iommuctl_status *st)
{
	return st->debugfs;
}

IOMMUCTL_EXPORT const char *const *
iommuctl_status_get_debugfs_drivers(struct iommuctl_status *st, unsigned int *n)
{
	*n = (unsigned int)st->debugfs_drivers.n;
	return (const char *const *)st->debugfs_drivers.v;
}

IOMMUCTL_EXPORT const char *const *
iommuctl_status_get_cmdline(struct iommuctl_status *st, unsigned int *n)
{
	*n = (unsigned int)st->cmdline.n;
	return (const char *const *)st->cmdline.v;
}

IOMMUCTL_EXPORT const struct iommuctl_kvm_state *
iommuctl_status_get_kvm(struct iommuctl_status *st)
{
	return &st->kvm;
}

IOMMUCTL_EXPORT const char *const *
iommuctl_status_get_firmware_tables(struct iommuctl_status *st, unsigned int *n)
{
	*n = (unsigned int)st->tables.n;
	return (const char *const *)st->tables.v;
}

IOMMUCTL_EXPORT enum iommuctl_verdict
iommuctl_status_get_verdict(struct iommuctl_status *st)
{
	return st->verdict;
}

IOMMUCTL_EXPORT struct iommuctl_finding *
iommuctl_finding_get_first(struct iommuctl_status *st)
{
	return st->findings;
}

IOMMUCTL_EXPORT struct iommuctl_finding *
iommuctl_finding_get_next(struct iommuctl_finding *f)
{
	return f->next;
}

IOMMUCTL_EXPORT enum iommuctl_severity
iommuctl_finding_get_severity(struct iommuctl_finding *f)
{
	return f->severity;
}

IOMMUCTL_EXPORT const char *
iommuctl_finding_get_code(struct iommuctl_finding *f)
{
	return f->code;
}

IOMMUCTL_EXPORT const char *
iommuctl_finding_get_message(struct iommuctl_finding *f)
{
	return f->message;
}
