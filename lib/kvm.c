// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * arm64 KVM's mode (VHE, nVHE, hVHE, protected) and whether a pKVM IOMMU
 * driver owns the IOMMUs.
 *
 * Nothing in sysfs says which mode KVM runs in (kvm-arm.mode is an early
 * parameter, not a module parameter: /sys/module/kvm/parameters only has
 * the generic ones). The kernel says it once, at boot, in its log:
 *   kvm [1]: Protected hVHE mode initialized successfully   (pKVM)
 *   kvm [1]: Hyp nVHE mode initialized successfully         (nVHE)
 *   kvm [1]: VHE mode initialized successfully              (VHE)
 *   kvm [1]: HYP mode not available                         (no EL2)
 *   kvm [1]: KVM disabled from command line                 (mode=none)
 * (Linux 7.3 prints "%s%sVHE%s mode initialized successfully"), beside
 * "CPU: All CPU(s) started at EL2" and "CPU features: detected: Protected
 * KVM". So the log is the source, live from /dev/kmsg and offline from a
 * bundle's report/kernel-log.txt (report.c keeps these lines); the command
 * line says what was asked for, /dev/kvm whether KVM started.
 *
 * The pKVM SMMUv3 driver (CONFIG_ARM_SMMU_V3_PKVM, a hypervisor part and
 * a host platform driver "kvm-arm-smmu-v3") is a patch series carried by
 * Android kernels; Linux up to 7.3 has none upstream (7.3's Kconfig has no
 * such symbol). Its presence shows as the platform driver's directory in
 * sysfs, or as an IOMMU unit whose driver it is.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

#define KLOG_MAX (64 * 1024) /* the kept lines, live */
#define KLOG_RECORDS 200000 /* records read from /dev/kmsg at most */
#define KLOG_FILE "/report/kernel-log.txt"
/* Live, the host is the machine this binary was built for: only an arm64
 * kernel logs KVM's arm64 modes, so elsewhere the whole kernel log (some
 * thousands of records, a third of 'status' on a small host) is not read
 * for them. A bundle's log is read whatever the machine. */
#if defined(__aarch64__)
#define LIVE_ARM64 1
#else
#define LIVE_ARM64 0
#endif
#define PKVM_DRIVER_DIR "/sys/bus/platform/drivers/" IOMMUCTL_PKVM_SMMUV3_DRIVER

IOMMUCTL_EXPORT const char *iommuctl_kvm_mode_name(enum iommuctl_kvm_mode m)
{
	return names_get(NAMES_KVM_MODE, m);
}

/* @dst (size @n) gets @src's first @len bytes, bounded. */
static void copy_bounded(char *dst, size_t n, const char *src, size_t len)
{
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static bool starts(const char *s, size_t len, const char *p)
{
	size_t pl = strlen(p);

	return len >= pl && !memcmp(s, p, pl);
}

/* "<pfx>VHE<sfx> mode initialized successfully", @msg after "kvm [N]: " */
static bool parse_init(const char *msg, size_t len, struct iommuctl_kvm_log *o)
{
	static const char tail[] = " mode initialized successfully";
	const size_t tl = sizeof(tail) - 1;
	bool prot = false, hyp = false;
	const char *w;
	size_t wl;

	if (len < tl || memcmp(msg + len - tl, tail, tl))
		return false;
	len -= tl;
	if (starts(msg, len, "Protected ")) {
		prot = true;
		msg += 10, len -= 10;
	} else if (starts(msg, len, "Hyp ")) {
		hyp = true;
		msg += 4, len -= 4;
	}
	/* the hypervisor's flavour: one word */
	w = msg;
	for (wl = 0; wl < len && !isspace((unsigned char)w[wl]); wl++)
		;
	if (!wl || !memmem(w, wl, "VHE", 3))
		return false;
	copy_bounded(o->hyp, sizeof(o->hyp), w, wl);
	if (prot)
		o->mode = IOMMUCTL_KVM_PROTECTED;
	else if (w[0] == 'n')
		o->mode = IOMMUCTL_KVM_NVHE;
	else if (w[0] == 'h')
		o->mode = IOMMUCTL_KVM_HVHE;
	else if (!hyp && !strncmp(w, "VHE", 3))
		o->mode = IOMMUCTL_KVM_VHE;
	else
		o->mode = IOMMUCTL_KVM_UNKNOWN;
	return true;
}

/* @p in the line @l (@len bytes), or NULL */
static const char *find(const char *l, size_t len, const char *p)
{
	return memmem(l, len, p, strlen(p));
}

/* One log line (no newline), after any "[ seconds] " timestamp. */
static void parse_line(const char *l, size_t len, struct iommuctl_kvm_log *o)
{
	static const char el[] = "CPU: All CPU(s) started at EL";
	const char *p, *msg;
	size_t ml;

	while (len && (l[len - 1] == '\r' || l[len - 1] == ' '))
		len--;
	/* the "kvm [N]: " prefix of arm64 KVM's kvm_info()/kvm_err() */
	p = find(l, len, "kvm [");
	if (p) {
		msg = memchr(p, ']', len - (size_t)(p - l));
		if (msg && (size_t)(msg - l) + 3 <= len && msg[1] == ':' &&
		    msg[2] == ' ') {
			msg += 3;
			ml = len - (size_t)(msg - l);
			o->seen = true;
			if (parse_init(msg, ml, o)) {
				/* mode and hyp are set */
			} else if (starts(msg, ml, "HYP mode not available") ||
				   starts(msg, ml,
					  "error initializing Hyp mode")) {
				o->mode = IOMMUCTL_KVM_NOT_STARTED;
				o->hyp[0] = '\0';
			} else if (starts(msg, ml,
					  "KVM disabled from command line")) {
				o->mode = IOMMUCTL_KVM_DISABLED;
				o->hyp[0] = '\0';
			} else {
				return;
			}
			copy_bounded(o->line, sizeof(o->line), p,
				     len - (size_t)(p - l));
			return;
		}
	}
	if ((p = find(l, len, el))) {
		size_t at = (size_t)(p - l) + sizeof(el) - 1;
		char c = at < len ? p[sizeof(el) - 1] : '\0';

		if (c == '1' || c == '2') {
			o->el = c - '0';
			o->seen = true;
		}
		return;
	}
	if (find(l, len, "CPU features: detected: Protected KVM")) {
		o->pkvm_cpu_feature = true;
		o->seen = true;
		return;
	}
	p = find(l, len, "KVM is not available. Ignoring kvm-arm.mode");
	if (!p)
		p = find(l, len, "Protected KVM not available");
	if (p) {
		copy_bounded(o->refused, sizeof(o->refused), p,
			     len - (size_t)(p - l));
		o->seen = true;
	}
}

IOMMUCTL_EXPORT int iommuctl_kvm_parse_log_sz(const char *text, size_t len,
					      struct iommuctl_kvm_log *out,
					      size_t size)
{
	const char *l = text, *end = text + len;
	int rc = sz_fill(out, size, sizeof(*out));

	if (rc < 0)
		return rc;
	if (!text && len)
		return -EINVAL;
	while (l < end) {
		const char *nl = memchr(l, '\n', (size_t)(end - l));
		size_t ll = nl ? (size_t)(nl - l) : (size_t)(end - l);

		/* a NUL ends the text */
		const char *z = memchr(l, '\0', ll);

		if (z)
			ll = (size_t)(z - l);
		parse_line(l, ll, out);
		if (z || !nl)
			break;
		l = nl + 1;
	}
	return 0;
}

struct kmsg_buf {
	char *buf;
	size_t len;
};

/* a record parse_line() may want, kept; nonzero when the buffer is full */
static int keep_kvm_line(char *text, void *arg)
{
	struct kmsg_buf *k = arg;
	size_t ml;

	if (!strcasestr(text, "kvm") && !strstr(text, "started at EL"))
		return 0;
	ml = strlen(text);
	if (k->len + ml + 2 > KLOG_MAX)
		return 1;
	memcpy(k->buf + k->len, text, ml);
	k->len += ml;
	k->buf[k->len++] = '\n';
	return 0;
}

/* The lines of /dev/kmsg that parse_line() may want, in *@out (free()). */
static int read_kmsg(struct iommuctl_ctx *ctx, char **out, size_t *outlen)
{
	struct kmsg_buf k = { .buf = malloc(KLOG_MAX) };
	char *buf;
	size_t len;
	int rc;

	if (!k.buf)
		return -ENOMEM;
	rc = kmsg_each(ctx, KLOG_RECORDS, keep_kvm_line, &k);
	if (rc < 0) {
		free(k.buf);
		return rc;
	}
	buf = k.buf;
	len = k.len;
	*out = buf;
	*outlen = len;
	return 0;
}

/* kvm-arm.mode=VALUE of /proc/cmdline ('-' and '_' alike in the name) */
static void read_requested(struct iommuctl_ctx *ctx, char *out, size_t n)
{
	char *buf, *p;

	out[0] = '\0';
	if (sysfs_read_str(ctx, "/proc/cmdline", &buf) < 0)
		return;
	for (p = buf; *p;) {
		char *w;
		size_t wl;

		while (isspace((unsigned char)*p))
			p++;
		w = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		wl = (size_t)(p - w);
		if (wl > 13 && !strncmp(w + 3, "-arm.mode=", 10) &&
		    !strncmp(w, "kvm", 3))
			copy_bounded(out, n, w + 13, wl - 13);
		else if (wl > 13 && !strncmp(w, "kvm_arm.mode=", 13))
			copy_bounded(out, n, w + 13, wl - 13);
	}
	free(buf);
}

IOMMUCTL_EXPORT int iommuctl_kvm_state_sz(struct iommuctl_ctx *ctx,
					  struct iommuctl_kvm_state *st,
					  size_t size)
{
	struct iommuctl_iommu *it;
	char *log = NULL;
	size_t len = 0;
	int rc = sz_fill(st, size, sizeof(*st));

	if (rc < 0)
		return rc;
	if (!ctx)
		return -EINVAL;
	if (ctx->offline)
		rc = sysfs_read(ctx, KLOG_FILE, KLOG_MAX * 16, &log, &len);
	else if (LIVE_ARM64)
		rc = read_kmsg(ctx, &log, &len);
	else
		rc = 0; /* only arm64 kernels print these lines: nothing to read */
	if (rc == -ENOMEM)
		return rc;
	st->log_errno = rc < 0 ? -rc : 0;
	if (rc == 0 && log)
		iommuctl_kvm_parse_log(log, len, &st->log);
	free(log);
	read_requested(ctx, st->requested, sizeof(st->requested));
	st->dev_kvm = sysfs_exists(ctx, "/dev/kvm");
	st->pkvm_iommu_driver = sysfs_exists(ctx, PKVM_DRIVER_DIR);
	iommuctl_iommu_foreach(ctx, it) {
		const char *d = iommuctl_iommu_get_driver(it);

		if (d && !strcmp(d, IOMMUCTL_PKVM_SMMUV3_DRIVER))
			st->pkvm_iommu_driver = true;
	}
	st->arm64 = st->log.seen || st->requested[0];
	dbg(ctx, "kvm: mode %s (%s), log %s, kvm-arm.mode=%s\n",
	    iommuctl_kvm_mode_name(st->log.mode), st->log.line,
	    rc < 0 ? strerror(-rc) : "read", st->requested);
	return 0;
}
