// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl monitor: live events, one JSON object a line with -j (or one
 * text line each), as they come: PCI devices added and removed, drivers
 * bound and unbound, IOMMU groups and VFIO nodes appearing and going
 * away (uevents, libudev), and IOMMU faults (the kernel log). The
 * library's monitor (lib/monitor.c) hears them; this renders them.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "builtin.h"

struct monitor_args {
	struct strlist types, devices;
	uint32_t count, timeout;
	bool have_count, have_timeout;
	unsigned int mask; /* 1u << type wanted (check) */
	char (*bdfs)[24]; /* --device, normalized (check) */
};

#define FAULT_MASK (1u << IOMMUCTL_EVENT_FAULT)

static int type_word(struct cmdctx *c, const char *w, size_t len,
		     unsigned int *mask)
{
	char word[32];
	int m;

	if (!len || len >= sizeof(word))
		return cmd_usage(c, "--type: empty or unknown type '%.*s'",
				 (int)len, w);
	memcpy(word, w, len);
	word[len] = '\0';
	m = iommuctl_event_mask_from_name(word);
	if (m < 0)
		return cmd_usage(
			c,
			"--type: unknown type '%s' (device, driver, group, vfio, fault, or one of device-add, device-remove, driver-bind, driver-unbind, group-add, group-remove, vfio-cdev-add, vfio-cdev-remove, vfio-group-add, vfio-group-remove)",
			word);
	*mask |= (unsigned int)m;
	return 0;
}

static int monitor_check(struct cmdctx *c, void *args)
{
	struct monitor_args *a = args;
	size_t i;
	int rc;

	for (i = 0; i < a->types.n; i++) {
		const char *w = a->types.v[i];

		while (*w) {
			size_t len = strcspn(w, ",");

			rc = type_word(c, w, len, &a->mask);
			if (rc < 0)
				return rc;
			w += len;
			if (*w == ',')
				w++;
		}
	}
	if (!a->mask)
		a->mask = ~0u;
	if (a->have_count && !a->count)
		return cmd_usage(c, "--count must be at least 1");
	if (a->devices.n) {
		a->bdfs = calloc(a->devices.n, sizeof(*a->bdfs));
		if (!a->bdfs)
			return cmd_fail(c, EXIT_FAILED, ENOMEM, "--device");
	}
	for (i = 0; i < a->devices.n; i++)
		if (iommuctl_parse_bdf(a->devices.v[i], a->bdfs[i],
				       sizeof(a->bdfs[i])) < 0) {
			free(a->bdfs);
			a->bdfs = NULL;
			return cmd_usage(
				c,
				"--device: '%s' is not a PCI address (0000:00:03.0 or 00:03.0); a device that is not there yet can be named",
				a->devices.v[i]);
		}
	return 0;
}

static bool wanted(const struct monitor_args *a,
		   const struct iommuctl_event *ev)
{
	size_t i;

	if (!(a->mask & 1u << ev->type))
		return false;
	if (!a->devices.n)
		return true;
	for (i = 0; i < a->devices.n; i++)
		if (!strcmp(a->bdfs[i], ev->device))
			return true;
	return false;
}

static void add_str_or_null(struct json_object *j, const char *key,
			    const char *s)
{
	jadd_str_or_null(j, key, s && *s ? s : NULL);
}

/* The one JSON emitter of an event (keys in iommuctl(1), "JSON OUTPUT") */
static struct json_object *event_json(const struct iommuctl_event *ev)
{
	struct json_object *j = json_object_new_object();

	jadd_str(j, "type", iommuctl_event_type_name(ev->type));
	jadd_int(j, "usec", (int64_t)ev->usec);
	jadd_int(j, "seqnum", (int64_t)ev->seqnum);
	add_str_or_null(j, "device", ev->device);
	add_str_or_null(j, "driver", ev->driver);
	jset(j, "group",
	     ev->group >= 0 ? json_object_new_int(ev->group) : NULL);
	switch (ev->type) {
	case IOMMUCTL_EVENT_DEVICE_ADD:
	case IOMMUCTL_EVENT_DEVICE_REMOVE:
		add_str_or_null(j, "id", ev->id);
		break;
	case IOMMUCTL_EVENT_GROUP_ADD:
	case IOMMUCTL_EVENT_GROUP_REMOVE:
		jadd_str(j, "name", ev->name);
		break;
	case IOMMUCTL_EVENT_DRIVER_BIND:
	case IOMMUCTL_EVENT_DRIVER_UNBIND:
		break;
	case IOMMUCTL_EVENT_VFIO_CDEV_ADD:
	case IOMMUCTL_EVENT_VFIO_CDEV_REMOVE:
	case IOMMUCTL_EVENT_VFIO_GROUP_ADD:
	case IOMMUCTL_EVENT_VFIO_GROUP_REMOVE:
		jadd_str(j, "name", ev->name);
		add_str_or_null(j, "devnode", ev->devnode);
		break;
	case IOMMUCTL_EVENT_FAULT: {
		const struct iommuctl_fault_line *f = &ev->fault;
		struct json_object *fj = json_object_new_object();

		jadd_str(fj, "iommu", iommuctl_fault_iommu_name(f->iommu));
		jadd_str(fj, "kind", f->kind);
		jadd_str(fj, "access", iommuctl_fault_access_name(f->access));
		jset(fj, "addr", f->have_addr ? json_hex(f->addr) : NULL);
		jadd_str(fj, "reason", f->reason);
		jadd_int(fj, "code", f->code);
		jset(fj, "pasid",
		     f->pasid >= 0 ? json_object_new_int64(f->pasid) : NULL);
		jset(fj, "sid",
		     f->have_sid ? json_object_new_int64(f->sid) : NULL);
		add_str_or_null(fj, "unit", f->unit);
		jadd_str(fj, "line", ev->line);
		jadd(j, "fault", fj);
		break;
	}
	}
	return j;
}

static const char *s_or(struct json_object *j, const char *key,
			const char *dflt)
{
	struct json_object *v = jopt(j, key);

	return v && json_object_is_type(v, json_type_string) ?
		       json_object_get_string(v) :
		       dflt;
}

/* One line of text, from the event's JSON (like ip monitor) */
static void event_text(struct cmdctx *c, struct json_object *j);

/* batch --results keeps the events: rendered one by one */
static void events_text(struct cmdctx *c, struct json_object *all)
{
	size_t i;

	for (i = 0; i < json_object_array_length(all); i++)
		event_text(c, json_object_array_get_idx(all, i));
}

static void event_text(struct cmdctx *c, struct json_object *j)
{
	long long usec = json_object_get_int64(jget(c, j, "usec"));
	const char *type = jstr(c, j, "type");
	struct json_object *g = jopt(j, "group"), *f = jopt(j, "fault");

	printf("[%5lld.%06lld] %-17s %s", usec / 1000000, usec % 1000000,
	       type ?: "?", s_or(j, "device", "-"));
	if (f) {
		printf(" %s %s %s", s_or(f, "iommu", "?"),
		       s_or(f, "access", "?"), s_or(f, "addr", "-"));
		printf(" %s: %s", s_or(f, "kind", "?"), s_or(f, "reason", ""));
		if (jopt(f, "pasid") &&
		    json_object_get_int64(jopt(f, "pasid")) >= 0)
			printf(" pasid %lld", (long long)json_object_get_int64(
						      jopt(f, "pasid")));
		printf("\n");
		return;
	}
	if (jopt(j, "id"))
		printf(" %s", s_or(j, "id", "-"));
	if (jopt(j, "name") && strcmp(type ?: "", "group-add") &&
	    strcmp(type ?: "", "group-remove"))
		printf(" %s", s_or(j, "name", "-"));
	if (jopt(j, "devnode"))
		printf(" %s", s_or(j, "devnode", "-"));
	if (s_or(j, "driver", NULL))
		printf(" driver %s", s_or(j, "driver", "-"));
	if (g && json_object_is_type(g, json_type_int))
		printf(" group %d", json_object_get_int(g));
	printf("\n");
}

/* SIGINT and SIGTERM end the monitor as its count would */
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static int monitor_run(struct cmdctx *c, void *args)
{
	struct sigaction sa = { .sa_handler = on_stop }, old_int, old_term;
	struct monitor_args *a = args;
	struct iommuctl_monitor *m = NULL;
	struct json_object *all = NULL;
	unsigned int sources = 0, seen = 0;
	struct timespec t0, now;
	int rc;

	if (a->mask & ~FAULT_MASK)
		sources |= IOMMUCTL_MONITOR_UEVENTS;
	if (a->mask & FAULT_MASK)
		sources |= IOMMUCTL_MONITOR_FAULTS;
	rc = iommuctl_monitor_new(c->ctx, sources, &m);
	if (rc == -EACCES || rc == -EPERM)
		rc = cmd_fail_on(
			c, "/dev/kmsg", EXIT_FAILED, -rc,
			"cannot read the kernel log for IOMMU faults (%s): run as root or with kernel.dmesg_restrict=0, or leave faults out (--type device,driver,group,vfio)",
			strerror(-rc));
	else if (rc < 0)
		rc = cmd_fail(c, EXIT_FAILED, -rc, "cannot listen for events");
	if (rc < 0)
		goto out;
	fprintf(stderr, "iommuctl monitor: listening (%s%s%s)\n",
		sources & IOMMUCTL_MONITOR_UEVENTS ? "uevents from " : "",
		sources & IOMMUCTL_MONITOR_UEVENTS ?
			iommuctl_monitor_uevent_source(m) :
			"",
		sources & IOMMUCTL_MONITOR_FAULTS ?
			(sources & IOMMUCTL_MONITOR_UEVENTS ?
				 ", IOMMU faults from /dev/kmsg" :
				 "IOMMU faults from /dev/kmsg") :
			"");
	fflush(stderr);
	if (c->keep_out)
		all = json_object_new_array();
	stop_signal = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa,
		  &old_int); /* no SA_RESTART: epoll_wait returns */
	sigaction(SIGTERM, &sa, &old_term);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((!a->have_count || seen < a->count) && !stop_signal) {
		struct iommuctl_event ev;
		struct json_object *j;
		int wait = -1;

		if (a->have_timeout) {
			long long ms;

			clock_gettime(CLOCK_MONOTONIC, &now);
			ms = (long long)a->timeout * 1000 -
			     ((now.tv_sec - t0.tv_sec) * 1000LL +
			      (now.tv_nsec - t0.tv_nsec) / 1000000);
			if (ms <= 0)
				break;
			wait = (int)ms;
		}
		/* a signal that lands outside the wait (while an event is
		 * handled) is seen within a quarter second, not never */
		if (wait < 0 || wait > 250)
			wait = 250;
		rc = iommuctl_monitor_next(m, wait, &ev);
		if (rc == -EINTR)
			continue;
		if (rc < 0) {
			rc = cmd_fail(c, EXIT_FAILED, -rc, "reading events");
			goto restore;
		}
		if (rc == 0)
			continue; /* the timeout is checked above */
		if (!wanted(a, &ev))
			continue;
		seen++;
		j = event_json(&ev);
		if (all) {
			json_object_array_add(all, j);
			continue;
		}
		if (c->json)
			json_print(c, j);
		else
			event_text(c, j);
		json_object_put(j);
		fflush(stdout);
		if (ferror(stdout)) /* the reader went away */
			break;
	}
	rc = 0;
	if (a->have_count && seen < a->count && !stop_signal)
		rc = cmd_fail_on(c, c->object, EXIT_FAILED, ETIMEDOUT,
				 "%u of %u event(s) within %u s", seen,
				 a->count, a->timeout);
	if (all) {
		cmd_out(c, all);
		all = NULL;
		if (rc < 0)
			rc = cmd_fail_beside(c);
	}
restore:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
out:
	json_object_put(all);
	free(a->bdfs);
	a->bdfs = NULL;
	iommuctl_monitor_free(m);
	return rc;
}

/* clang-format off */
static const struct opt monitor_opts[] = {
	OPT_LIST("type", 't', "TYPE", struct monitor_args, types,
		 "only these events (repeat, or comma-separated): device, driver, group, vfio, fault, or device-add, driver-unbind, ..."),
	OPT_LIST("device", 'd', "BDF", struct monitor_args, devices,
		 "only events about this PCI device (repeat for more)"),
	OPT_U32("count", 'n', "N", struct monitor_args, count, UINT32_MAX,
		"stop after N events (those the filters let through)",
		OPT_SEEN(struct monitor_args, have_count)),
	OPT_U32("timeout", 'T', "SECONDS", struct monitor_args, timeout, 86400,
		"stop after SECONDS (with --count: exit 1 when fewer came)",
		OPT_SEEN(struct monitor_args, have_timeout)),
	OPT_END,
};

ONE_VERB_OBJECT(obj_monitor, "monitor", "print device, driver, group, VFIO and IOMMU fault events as they happen",
	  .name = "events", .summary = "print events as they happen (default)",
	  .synopsis = "[--type TYPE[,TYPE...]] [--device BDF] [--count N] [--timeout SECONDS]",
	  .description =
		  "Print events as they happen, one line each (one JSON object a line with\n"
		  "-j), like 'ip monitor': PCI devices added and removed (hot-plug, sysfs\n"
		  "remove and rescan, SR-IOV VFs), drivers bound and unbound, IOMMU groups\n"
		  "appearing and going away, VFIO cdevs (/dev/vfio/devices/vfioN) and VFIO\n"
		  "group nodes (/dev/vfio/N) appearing and going away, from kernel uevents\n"
		  "(libudev: the udev daemon's when it runs, else the kernel's own); and IOMMU\n"
		  "faults from the kernel log (/dev/kmsg, root), decoded to the device,\n"
		  "address, access and reason: Intel VT-d DMAR fault lines, AMD-Vi event\n"
		  "lines (IO_PAGE_FAULT ...), and Arm SMMUv3 event records. Only events from\n"
		  "now on. It stops after --count events, after --timeout seconds, or on\n"
		  "SIGINT or SIGTERM (exit 0); 'listening' on stderr says when it hears.\n"
		  "An unbind names the driver seen bound before it; a group is reported\n"
		  "gone when its directory is, after its last device left.",
	  .opts = monitor_opts, .args_size = sizeof(struct monitor_args),
	  .flags = VERB_LIVE | VERB_STREAMS, .check = monitor_check,
	  .run = monitor_run,
	  .render = &(const struct render){ .text = events_text });
/* clang-format on */
