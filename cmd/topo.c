// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * JSON emitters for the topology objects: devices, groups, reserved
 * regions, and the grouping explanation. Tables are rendered from these.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

static struct json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static struct json_object *hex_fmt(unsigned int v, int width)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%0*x", width, v);
	return json_object_new_string(buf);
}

struct json_object *region_to_json(const struct iommuctl_resv_region *r)
{
	struct json_object *j = json_object_new_object();

	json_object_object_add(j, "start", json_hex(r->start));
	json_object_object_add(j, "end", json_hex(r->end));
	json_object_object_add(j, "size", json_object_new_uint64(r->end - r->start + 1));
	json_object_object_add(j, "type", json_object_new_string(iommuctl_resv_type_name(r->type)));
	if (r->types && r->types != (1u << r->type)) {
		struct json_object *a = json_object_new_array();
		int t;

		for (t = 0; t <= IOMMUCTL_RESV_UNKNOWN; t++)
			if (r->types & (1u << t))
				json_object_array_add(a, json_object_new_string(
					iommuctl_resv_type_name((enum iommuctl_resv_type)t)));
		json_object_object_add(j, "merged_types", a);
	}
	return j;
}

static struct json_object *acs_to_json(struct iommuctl_device *d,
				       const struct iommuctl_pcicfg *cfg)
{
	const char *quirk;
	enum iommuctl_acs_verdict v = iommuctl_device_acs_verdict(d, &quirk);
	struct json_object *j = json_object_new_object();
	static const struct {
		const char *key;
		unsigned int bit;
	} bits[] = {
		{ "sv", IOMMUCTL_ACS_SV }, { "tb", IOMMUCTL_ACS_TB },
		{ "rr", IOMMUCTL_ACS_RR }, { "cr", IOMMUCTL_ACS_CR },
		{ "uf", IOMMUCTL_ACS_UF }, { "ec", IOMMUCTL_ACS_EC },
		{ "dt", IOMMUCTL_ACS_DT },
	};
	size_t i;

	json_object_object_add(j, "verdict", json_object_new_string(iommuctl_acs_verdict_name(v)));
	if (quirk)
		json_object_object_add(j, "quirk", json_object_new_string(quirk));
	if (!cfg->ext_caps_known)
		return j;
	json_object_object_add(j, "present", json_object_new_boolean(cfg->acs));
	if (cfg->acs) {
		struct json_object *c = json_object_new_object(), *e = json_object_new_object();

		json_object_object_add(j, "cap", hex_fmt(cfg->acs_cap, 4));
		json_object_object_add(j, "ctrl", hex_fmt(cfg->acs_ctrl, 4));
		for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
			json_object_object_add(c, bits[i].key,
					       json_object_new_boolean(cfg->acs_cap & bits[i].bit));
			json_object_object_add(e, bits[i].key,
					       json_object_new_boolean(cfg->acs_ctrl & bits[i].bit));
		}
		json_object_object_add(j, "capabilities", c);
		json_object_object_add(j, "enabled", e);
	}
	return j;
}

static struct json_object *strv_split(const char *s)
{
	struct json_object *a = json_object_new_array();
	char *copy = s ? strdup(s) : NULL, *tok, *save = NULL;

	for (tok = copy ? strtok_r(copy, " \n", &save) : NULL; tok;
	     tok = strtok_r(NULL, " \n", &save))
		json_object_array_add(a, json_object_new_string(tok));
	free(copy);
	return a;
}

/* The one device emitter. @detail adds config-space facts. */
struct json_object *device_to_json(struct iommuctl_device *d, bool detail)
{
	struct json_object *j = json_object_new_object();
	const struct iommuctl_pcicfg *cfg = iommuctl_device_get_pcicfg(d);
	unsigned int ven, dev, sven, sdev, cls;
	struct iommuctl_device *parent;
	int g = iommuctl_device_get_group_id(d);

	json_object_object_add(j, "name", json_object_new_string(iommuctl_device_get_name(d)));
	json_object_object_add(j, "bdf", iommuctl_device_is_pci(d) ?
				json_object_new_string(iommuctl_device_get_name(d)) : NULL);
	json_object_object_add(j, "subsystem", str_or_null(iommuctl_device_get_subsystem(d)));
	json_object_object_add(j, "group", g >= 0 ? json_object_new_int(g) : NULL);
	if (g < 0)
		json_object_object_add(j, "no_group_reason",
				       json_object_new_string(iommuctl_device_no_group_reason(d)));
	json_object_object_add(j, "iommu", str_or_null(iommuctl_device_get_iommu(d)));
	json_object_object_add(j, "driver", str_or_null(iommuctl_device_get_driver(d)));
	json_object_object_add(j, "driver_override",
			       str_or_null(iommuctl_device_get_driver_override(d)));
	json_object_object_add(j, "vfio_cdev", str_or_null(iommuctl_device_get_vfio_cdev(d)));
	if (iommuctl_device_get_pci_ids(d, &ven, &dev, &sven, &sdev, &cls) == 0) {
		json_object_object_add(j, "vendor", hex_fmt(ven, 4));
		json_object_object_add(j, "device", hex_fmt(dev, 4));
		json_object_object_add(j, "class", hex_fmt(cls, 6));
		json_object_object_add(j, "vendor_name",
				       str_or_null(iommuctl_device_get_vendor_name(d)));
		json_object_object_add(j, "device_name",
				       str_or_null(iommuctl_device_get_device_name(d)));
	}
	if (!detail)
		return j;

	if (iommuctl_device_is_pci(d)) {
		json_object_object_add(j, "subsystem_vendor", hex_fmt(sven, 4));
		json_object_object_add(j, "subsystem_device", hex_fmt(sdev, 4));
		parent = iommuctl_device_get_parent(d);
		json_object_object_add(j, "parent",
				       parent ? json_object_new_string(iommuctl_device_get_name(parent)) : NULL);
	}
	json_object_object_add(j, "numa_node", iommuctl_device_get_numa_node(d) >= 0 ?
				json_object_new_int(iommuctl_device_get_numa_node(d)) : NULL);
	json_object_object_add(j, "reset_methods",
			       iommuctl_device_get_reset_methods(d) ?
				       strv_split(iommuctl_device_get_reset_methods(d)) : NULL);
	if (!iommuctl_device_is_pci(d))
		return j;
	if (!cfg) {
		json_object_object_add(j, "config", NULL);
		return j;
	}
	json_object_object_add(j, "config_size", json_object_new_uint64(cfg->config_size));
	json_object_object_add(j, "header_type", json_object_new_int(cfg->header_type));
	json_object_object_add(j, "multifunction", json_object_new_boolean(cfg->multifunction));
	json_object_object_add(j, "bridge", json_object_new_boolean(iommuctl_device_is_bridge(d)));
	if (!cfg->caps_known)
		return j; /* the rest needs config space beyond 64 bytes (root) */
	json_object_object_add(j, "pcie_type",
			       json_object_new_string(iommuctl_pcie_type_name(cfg->pcie_type)));
	json_object_object_add(j, "msi", json_object_new_boolean(cfg->msi));
	json_object_object_add(j, "msix", json_object_new_boolean(cfg->msix));
	json_object_object_add(j, "acs", acs_to_json(d, cfg));
	if (cfg->ext_caps_known) {
		json_object_object_add(j, "ats", json_object_new_boolean(cfg->ats));
		json_object_object_add(j, "pri", json_object_new_boolean(cfg->pri));
		json_object_object_add(j, "pasid", json_object_new_boolean(cfg->pasid));
		if (cfg->pasid)
			json_object_object_add(j, "pasid_width",
					       json_object_new_int((cfg->pasid_cap >> 8) & 0x1f));
		json_object_object_add(j, "ari", json_object_new_boolean(cfg->ari));
		json_object_object_add(j, "sriov", json_object_new_boolean(cfg->sriov));
	}
	return j;
}

static const char *acs_phrase(enum iommuctl_acs_verdict v)
{
	switch (v) {
	case IOMMUCTL_ACS_ENABLED:
		return "ACS enabled";
	case IOMMUCTL_ACS_NOT_REQUIRED:
		return "ACS not required";
	case IOMMUCTL_ACS_DISABLED:
		return "ACS present but not enabled for SV/RR/CR/UF";
	case IOMMUCTL_ACS_MISSING:
		return "no ACS capability";
	case IOMMUCTL_ACS_NEVER:
		return "a PCIe/PCI bridge, where ACS never applies";
	case IOMMUCTL_ACS_NOT_PCIE:
		return "conventional PCI, which has no ACS";
	case IOMMUCTL_ACS_QUIRK:
		return "isolated by a kernel quirk";
	default:
		return "ACS unknown: config space unreadable";
	}
}

static unsigned int predicted_size(struct iommuctl_device *d)
{
	struct iommuctl_device *lead = iommuctl_device_get_predicted_leader(d), *it;
	unsigned int n = 0;

	/* the leader comes first in probe order: count from there */
	for (it = lead; it; it = iommuctl_device_get_next(it))
		if (lead && iommuctl_device_get_predicted_leader(it) == lead)
			n++;
	return n;
}

/* Why a device is in its group, as a sentence naming the devices. */
char *explain_message(struct iommuctl_device *d)
{
	struct iommuctl_device *via = NULL, *culprit = NULL;
	enum iommuctl_acs_verdict acs = IOMMUCTL_ACS_UNKNOWN;
	const char *name = iommuctl_device_get_name(d);
	const struct iommuctl_pcicfg *cfg;
	char *msg = NULL;
	int why = iommuctl_device_explain(d, &via, &culprit, &acs);
	int rc = -1;

	switch (why) {
	case IOMMUCTL_WHY_OWN_GROUP:
		if (predicted_size(d) > 1)
			rc = asprintf(&msg, "%s has its own group and is the first device in it; the other members join it for the reasons given with them",
				      name);
		else
			rc = asprintf(&msg, "%s has a group of its own: nothing between it and the root complex lets peer-to-peer DMA bypass the IOMMU",
				      name);
		break;
	case IOMMUCTL_WHY_BRIDGE_ALIAS:
		cfg = iommuctl_device_get_pcicfg(via);
		rc = asprintf(&msg, "%s shares the group of its bridge: it sits behind %s bridge %s, so its DMA carries the bridge's requester ID",
			      name, cfg && cfg->pcie_type < 0 ? "the conventional PCI" : "the PCIe-to-PCI",
			      iommuctl_device_get_name(via));
		break;
	case IOMMUCTL_WHY_UPSTREAM_ACS:
		cfg = culprit ? iommuctl_device_get_pcicfg(culprit) : NULL;
		rc = asprintf(&msg, "%s shares the group of %s: %s %s %s%s does not isolate peer-to-peer traffic (%s)",
			      name, iommuctl_device_get_name(via),
			      culprit == via ? "its upstream" : "the",
			      cfg && cfg->caps_known ? iommuctl_pcie_type_name(cfg->pcie_type) : "bridge",
			      culprit ? iommuctl_device_get_name(culprit) : "?",
			      culprit == via ? "" : " further up", acs_phrase(acs));
		break;
	case IOMMUCTL_WHY_MULTIFUNCTION:
		rc = asprintf(&msg, "%s shares the group of %s: they are functions of one multifunction device that does not isolate its functions from each other (%s)",
			      name, iommuctl_device_get_name(via), acs_phrase(acs));
		break;
	case IOMMUCTL_WHY_NOT_PCI:
		rc = asprintf(&msg, "%s is not a PCI device: its IOMMU driver chose the group", name);
		break;
	default:
		rc = asprintf(&msg, "%s has no IOMMU group", name);
	}
	return rc < 0 ? NULL : msg;
}

/* The path from a device up to the root complex, with each hop's ACS. */
static struct json_object *path_to_json(struct iommuctl_device *d)
{
	struct json_object *a = json_object_new_array();

	for (d = iommuctl_device_get_parent(d); d; d = iommuctl_device_get_parent(d)) {
		struct json_object *h = json_object_new_object();
		const struct iommuctl_pcicfg *cfg = iommuctl_device_get_pcicfg(d);

		json_object_object_add(h, "bdf", json_object_new_string(iommuctl_device_get_name(d)));
		json_object_object_add(h, "pcie_type", cfg && cfg->caps_known ?
				json_object_new_string(iommuctl_pcie_type_name(cfg->pcie_type)) : NULL);
		json_object_object_add(h, "acs", json_object_new_string(iommuctl_acs_verdict_name(
			cfg ? iommuctl_device_acs_verdict(d, NULL) : IOMMUCTL_ACS_UNKNOWN)));
		json_object_array_add(a, h);
	}
	return a;
}

struct json_object *explain_device_to_json(struct iommuctl_device *d)
{
	struct json_object *j = json_object_new_object();
	struct iommuctl_device *via = NULL, *culprit = NULL;
	enum iommuctl_acs_verdict acs = IOMMUCTL_ACS_UNKNOWN;
	int why = iommuctl_device_explain(d, &via, &culprit, &acs);
	char *msg = explain_message(d);

	json_object_object_add(j, "name", json_object_new_string(iommuctl_device_get_name(d)));
	json_object_object_add(j, "reason", why >= 0 ?
				json_object_new_string(iommuctl_why_name((enum iommuctl_why)why)) : NULL);
	json_object_object_add(j, "via", via ? json_object_new_string(iommuctl_device_get_name(via)) : NULL);
	if (culprit) {
		json_object_object_add(j, "culprit", json_object_new_string(iommuctl_device_get_name(culprit)));
		json_object_object_add(j, "culprit_acs", json_object_new_string(iommuctl_acs_verdict_name(acs)));
	}
	json_object_object_add(j, "message", str_or_null(msg));
	if (iommuctl_device_is_pci(d))
		json_object_object_add(j, "path", path_to_json(d));
	free(msg);
	return j;
}

/* Commands about groups on a system that has none: exit 3, say why. */
int require_groups(struct cmdctx *c)
{
	if (iommuctl_num_groups(c->ctx) > 0)
		return 0;
	return cmd_fail_on(c, c->object, EXIT_UNAVAILABLE, ENODEV,
			   "no IOMMU groups: no IOMMU translates DMA on this system (see 'iommuctl status')");
}

void print_uncertain_note(struct cmdctx *c)
{
	if (!iommuctl_explain_is_certain(c->ctx))
		printf("%snote%s: some config space was unreadable (run as root): the analysis is uncertain\n",
		       color_on(c, "note"), color_off(c));
}

/* Members the analysis predicts for the group(s) of @members. */
struct json_object *predicted_members(struct iommuctl_ctx *ctx,
				      struct iommuctl_device *first)
{
	struct json_object *a = json_object_new_array();
	struct iommuctl_device *lead = iommuctl_device_get_predicted_leader(first), *d;

	iommuctl_device_foreach(ctx, d)
		if (lead && iommuctl_device_get_predicted_leader(d) == lead)
			json_object_array_add(a, json_object_new_string(iommuctl_device_get_name(d)));
	return a;
}

/* The one group emitter. @detail adds device details and the regions. */
struct json_object *group_to_json(struct iommuctl_ctx *ctx, struct iommuctl_group *g,
				  bool detail)
{
	struct json_object *j = json_object_new_object(), *a;
	const struct iommuctl_resv_region *r;
	struct iommuctl_device *d, *blocker;
	size_t n, i;
	bool viable;

	json_object_object_add(j, "group", json_object_new_int((int)iommuctl_group_get_id(g)));
	json_object_object_add(j, "type", str_or_null(iommuctl_group_get_type(g)));
	json_object_object_add(j, "iommu", str_or_null(iommuctl_group_get_iommu(g)));
	a = json_object_new_array();
	iommuctl_group_device_foreach(g, d)
		json_object_array_add(a, device_to_json(d, detail));
	json_object_object_add(j, "devices", a);
	if (iommuctl_group_get_resv_regions(g, &r, &n) == 0) {
		a = json_object_new_array();
		for (i = 0; i < n; i++)
			json_object_array_add(a, region_to_json(&r[i]));
		json_object_object_add(j, "reserved_regions", a);
	} else {
		json_object_object_add(j, "reserved_regions", NULL);
	}
	viable = iommuctl_group_is_viable(g, &blocker);
	json_object_object_add(j, "viable", json_object_new_boolean(viable));
	if (!viable) {
		char *why = NULL;

		if (asprintf(&why, "%s is bound to %s, a host driver: bind it to vfio-pci or unbind it",
			     iommuctl_device_get_name(blocker),
			     iommuctl_device_get_driver(blocker)) < 0)
			why = NULL;
		json_object_object_add(j, "viable_reason", str_or_null(why));
		free(why);
	}
	json_object_object_add(j, "agrees_with_analysis", json_object_new_boolean(iommuctl_group_matches_prediction(g)));
	return j;
}
