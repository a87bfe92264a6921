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

/* "0x8086": PCI IDs keep their width */
static void add_hexw(struct json_object *j, const char *key, unsigned int v,
		     int width)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%0*x", width, v);
	jadd_str(j, key, buf);
}

struct json_object *region_to_json(const struct iommuctl_resv_region *r)
{
	struct json_object *j = json_object_new_object(), *a;
	int t;

	jadd_hex(j, "start", r->start);
	jadd_hex(j, "last", r->end);
	jadd(j, "size", json_object_new_uint64(r->end - r->start + 1));
	jadd_str(j, "type", iommuctl_resv_type_name(r->type));
	if (r->types && r->types != (1u << r->type)) {
		a = json_object_new_array();
		for (t = 0; t <= IOMMUCTL_RESV_UNKNOWN; t++)
			if (r->types & (1u << t))
				json_object_array_add(
					a,
					json_object_new_string(
						iommuctl_resv_type_name(
							(enum iommuctl_resv_type)
								t)));
		jadd(j, "merged_types", a);
	}
	return j;
}

struct json_object *regions_to_json(const struct iommuctl_resv_region *r,
				    size_t n)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, region_to_json(&r[i]));
	return a;
}

struct json_object *acs_to_json(struct iommuctl_device *d,
				const struct iommuctl_pcicfg *cfg)
{
	static const struct {
		const char *key;
		unsigned int bit;
	} bits[] = {
		{ "sv", IOMMUCTL_ACS_SV }, { "tb", IOMMUCTL_ACS_TB },
		{ "rr", IOMMUCTL_ACS_RR }, { "cr", IOMMUCTL_ACS_CR },
		{ "uf", IOMMUCTL_ACS_UF }, { "ec", IOMMUCTL_ACS_EC },
		{ "dt", IOMMUCTL_ACS_DT },
	};
	struct json_object *j = json_object_new_object(), *cap, *en;
	const char *quirk;
	enum iommuctl_acs_verdict v = iommuctl_device_acs_verdict(d, &quirk);
	size_t i;

	jadd_str(j, "verdict", iommuctl_acs_verdict_name(v));
	jadd_str(j, "quirk", quirk);
	if (!cfg->ext_caps_known)
		return j;
	jadd_bool(j, "present", cfg->acs);
	if (!cfg->acs)
		return j;
	add_hexw(j, "cap", cfg->acs_cap, 4);
	add_hexw(j, "ctrl", cfg->acs_ctrl, 4);
	cap = json_object_new_object();
	en = json_object_new_object();
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		jadd_bool(cap, bits[i].key, cfg->acs_cap & bits[i].bit);
		jadd_bool(en, bits[i].key, cfg->acs_ctrl & bits[i].bit);
	}
	jadd(j, "capabilities", cap);
	jadd(j, "controls", en);
	return j;
}

static struct json_object *words_json(const char *s)
{
	struct json_object *a = json_object_new_array();
	char *copy = strdup(s), *tok, *save = NULL;

	for (tok = copy ? strtok_r(copy, " \n", &save) : NULL; tok;
	     tok = strtok_r(NULL, " \n", &save))
		json_object_array_add(a, json_object_new_string(tok));
	free(copy);
	return a;
}

/*
 * What a reset of @d takes with it, from the topology: "hot_reset" (how a
 * slot or bus reset would be done: "slot", "bus" or "none"),
 * "hot_reset_bridge", "hot_reset_slot", "hot_reset_devices" (all it
 * resets) and "reset_affects" (those but @d), "hot_reset_why".
 */
void reset_scope_add(struct iommuctl_device *d, struct json_object *j)
{
	struct iommuctl_reset_scope *s = NULL;
	struct json_object *all, *others;
	size_t i;

	if (iommuctl_device_reset_scope(d, &s) < 0)
		return;
	all = json_object_new_array();
	others = json_object_new_array();
	for (i = 0; i < s->n; i++) {
		json_object_array_add(all,
				      json_object_new_string(s->devices[i]));
		if (strcmp(s->devices[i], iommuctl_device_get_name(d)))
			json_object_array_add(
				others, json_object_new_string(s->devices[i]));
	}
	jadd_str(j, "hot_reset", iommuctl_reset_kind_name(s->kind));
	jadd_str_or_null(j, "hot_reset_bridge", s->bridge);
	jadd_str_or_null(j, "hot_reset_slot", s->slot);
	if (s->kind == IOMMUCTL_RESET_NONE) {
		/* no such reset: nothing it could take */
		json_object_put(all);
		json_object_put(others);
		all = others = NULL;
	}
	jset(j, "hot_reset_devices", all);
	jset(j, "reset_affects", others);
	jadd_str(j, "hot_reset_why", s->why);
	iommuctl_reset_scope_free(s);
}

/* The one device emitter. @detail adds config-space facts. */
struct json_object *device_to_json(struct iommuctl_device *d, bool detail)
{
	struct json_object *j = json_object_new_object();
	const struct iommuctl_pcicfg *cfg;
	const char *name = iommuctl_device_get_name(d), *reset;
	unsigned int ven = 0, dev = 0, sven = 0, sdev = 0, cls = 0;
	struct iommuctl_device *parent = iommuctl_device_get_parent(d);
	int g = iommuctl_device_get_group_id(d), numa;
	bool pci = iommuctl_device_is_pci(d);

	jadd_str(j, "name", name);
	jadd_str_or_null(j, "bdf", pci ? name : NULL);
	jadd_str_or_null(j, "subsystem", iommuctl_device_get_subsystem(d));
	jset(j, "group",
			       g >= 0 ? json_object_new_int(g) : NULL);
	if (g < 0)
		jadd_str(j, "no_group_reason",
			 iommuctl_device_no_group_reason(d));
	jadd_str_or_null(j, "iommu", iommuctl_device_get_iommu(d));
	jadd_str_or_null(j, "driver", iommuctl_device_get_driver(d));
	jadd_str_or_null(j, "driver_override",
			 iommuctl_device_get_driver_override(d));
	jadd_str_or_null(j, "vfio_cdev", iommuctl_device_get_vfio_cdev(d));
	if (iommuctl_device_get_pci_ids(d, &ven, &dev, &sven, &sdev, &cls) ==
	    0) {
		add_hexw(j, "vendor", ven, 4);
		add_hexw(j, "device", dev, 4);
		add_hexw(j, "class", cls, 6);
		jadd_str_or_null(j, "class_name",
				 iommuctl_device_get_class_name(d));
		jadd_str_or_null(j, "vendor_name",
				 iommuctl_device_get_vendor_name(d));
		jadd_str_or_null(j, "device_name",
				 iommuctl_device_get_device_name(d));
	}
	if (!detail)
		return j;
	if (pci) {
		add_hexw(j, "subsystem_vendor", sven, 4);
		add_hexw(j, "subsystem_device", sdev, 4);
		jadd_str_or_null(j, "parent",
				 parent ? iommuctl_device_get_name(parent) :
					  NULL);
	} else if (iommuctl_device_get_mdev_type(d)) {
		/* a mediated device: its parent and its type */
		jadd_str_or_null(j, "parent",
				 iommuctl_device_get_parent_name(d));
		jadd_str(j, "mdev_type", iommuctl_device_get_mdev_type(d));
	}
	/* read on demand by the library: only the detailed view asks */
	numa = iommuctl_device_get_numa_node(d);
	jset(j, "numa_node",
			       numa >= 0 ? json_object_new_int(numa) : NULL);
	reset = iommuctl_device_get_reset_methods(d);
	jset(j, "reset_methods",
			       reset ? words_json(reset) : NULL);
	if (!pci)
		return j;
	cfg = iommuctl_device_get_pcicfg(d);
	if (!cfg) {
		jset(j, "config", NULL);
		return j;
	}
	jadd_int(j, "config_size", cfg->config_size);
	jadd_int(j, "header_type", cfg->header_type);
	jadd_bool(j, "multifunction", cfg->multifunction);
	jadd_bool(j, "bridge", iommuctl_device_is_bridge(d));
	if (!cfg->caps_known)
		return j; /* the rest needs config space beyond 64 bytes (root) */
	jadd_str(j, "pcie_type", iommuctl_pcie_type_name(cfg->pcie_type));
	jadd_bool(j, "msi", cfg->msi);
	jadd_bool(j, "msix", cfg->msix);
	jadd(j, "acs", acs_to_json(d, cfg));
	if (!cfg->ext_caps_known)
		return j;
	jadd_bool(j, "ats", cfg->ats);
	jadd_bool(j, "pri", cfg->pri);
	jadd_bool(j, "pasid_capable", cfg->pasid);
	if (cfg->pasid)
		jadd_int(j, "pasid_width", (cfg->pasid_cap >> 8) & 0x1f);
	jadd_bool(j, "ari", cfg->ari);
	jadd_bool(j, "sriov", cfg->sriov);
	return j;
}

/* The path from a device up to the root complex, with each hop's ACS. */
static struct json_object *path_to_json(struct iommuctl_device *d)
{
	struct json_object *a = json_object_new_array();

	for (d = iommuctl_device_get_parent(d); d;
	     d = iommuctl_device_get_parent(d)) {
		struct json_object *h = json_object_new_object();
		const struct iommuctl_pcicfg *cfg =
			iommuctl_device_get_pcicfg(d);

		jadd_str(h, "bdf", iommuctl_device_get_name(d));
		jadd_str_or_null(
			h, "pcie_type",
			cfg && cfg->caps_known ?
				iommuctl_pcie_type_name(cfg->pcie_type) :
				NULL);
		jadd_str(h, "acs_verdict",
			 iommuctl_acs_verdict_name(
				 cfg ? iommuctl_device_acs_verdict(d, NULL) :
				       IOMMUCTL_ACS_UNKNOWN));
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
	char *msg = iommuctl_device_explain_message(d);

	jadd_str(j, "name", iommuctl_device_get_name(d));
	jadd_str_or_null(j, "reason",
			 why >= 0 ? iommuctl_why_name((enum iommuctl_why)why) :
				    NULL);
	jadd_str_or_null(j, "via", via ? iommuctl_device_get_name(via) : NULL);
	if (culprit) {
		jadd_str(j, "culprit", iommuctl_device_get_name(culprit));
		jadd_str(j, "culprit_acs", iommuctl_acs_verdict_name(acs));
	}
	jadd_str_or_null(j, "message", msg);
	if (iommuctl_device_is_pci(d))
		jadd(j, "path", path_to_json(d));
	free(msg);
	return j;
}

/* Commands about groups on a system that has none: exit 3, say why. */
int require_groups(struct cmdctx *c)
{
	if (iommuctl_num_groups(c->ctx) > 0)
		return 0;
	return cmd_fail_on(
		c, c->object, EXIT_UNAVAILABLE, ENODEV,
		"no IOMMU groups: no IOMMU translates DMA on this system (see 'iommuctl status')");
}

void print_uncertain_note(struct cmdctx *c)
{
	if (!iommuctl_explain_is_certain(c->ctx))
		printf("%snote%s: some config space was unreadable (run as root): the analysis is uncertain\n",
		       color_on(c, "note"), color_off(c));
}

/* Members the analysis predicts for the group of @first. */
struct json_object *predicted_members(struct iommuctl_ctx *ctx,
				      struct iommuctl_device *first)
{
	struct json_object *a = json_object_new_array();
	struct iommuctl_device *lead = iommuctl_device_get_predicted_leader(
				       first),
			       *d;

	iommuctl_device_foreach(
		ctx,
		d) if (lead && iommuctl_device_get_predicted_leader(d) == lead)
		json_object_array_add(
			a, json_object_new_string(iommuctl_device_get_name(d)));
	return a;
}

/* The one group emitter. @detail adds device details and the regions. */
struct json_object *group_to_json(struct iommuctl_ctx *ctx,
				  struct iommuctl_group *g, bool detail)
{
	bool agrees;
	struct json_object *j = json_object_new_object(), *a;
	const struct iommuctl_resv_region *r;
	struct iommuctl_device *d, *blocker;
	char *why = NULL;
	size_t n;
	bool viable = iommuctl_group_is_viable(g, &blocker);

	jadd_int(j, "group", iommuctl_group_get_id(g));
	jadd_str_or_null(j, "type", iommuctl_group_get_type(g));
	jadd_str_or_null(j, "iommu", iommuctl_group_get_iommu(g));
	a = json_object_new_array();
	iommuctl_group_device_foreach(g, d)
		json_object_array_add(a, device_to_json(d, detail));
	jadd(j, "devices", a);
	jset(j, "reserved_regions",
			       iommuctl_group_get_resv_regions(g, &r, &n) == 0 ?
				       regions_to_json(r, n) :
				       NULL);
	jadd_bool(j, "viable", viable);
	if (!viable) {
		if (asprintf(
			    &why,
			    "%s is bound to %s, a host driver: bind it to vfio-pci or unbind it",
			    iommuctl_device_get_name(blocker),
			    iommuctl_device_get_driver(blocker)) < 0)
			why = NULL;
		jadd_str_or_null(j, "viable_reason", why);
		free(why);
	}
	agrees = iommuctl_group_matches_prediction(g);
	/* unknown, not "no", when config space could not be read */
	if (iommuctl_explain_is_certain(ctx))
		jadd_bool(j, "agrees_with_analysis", agrees);
	else
		jset(j, "agrees_with_analysis", NULL);
	return j;
}
