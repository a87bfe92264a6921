// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * iommuctl topo: the PCI tree (iommuctl_topo_build()) as one nested JSON
 * document, as an lspci -t like tree with the IOMMU's view (ACS of each
 * bridge, group of each function, where groups begin and why members
 * share them), or as a Graphviz graph (--dot). Both texts are rendered
 * from the JSON.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

struct topo_args {
	bool dot;
};

static const struct opt topo_opts[] = {
	OPT_BOOL("dot", 0, struct topo_args, dot,
		 "write the tree as a Graphviz graph (dot -Tsvg)"),
	OPT_END,
};

static int topo_check(struct cmdctx *c, void *args)
{
	const struct topo_args *a = args;

	if (a->dot && c->json)
		return cmd_usage(
			c,
			"--dot writes a graph, not JSON: give one of --dot and -j");
	return 0;
}

static struct json_object *node_to_json(struct iommuctl_topo_node *n)
{
	struct json_object *j = device_to_json(n->dev, false), *a, *acs;
	const struct iommuctl_pcicfg *cfg = iommuctl_device_get_pcicfg(n->dev);
	size_t i;

	jadd_str_or_null(j, "pcie_type",
			 cfg && cfg->caps_known ?
				 iommuctl_pcie_type_name(cfg->pcie_type) :
				 NULL);
	jadd_bool(j, "bridge", iommuctl_device_is_bridge(n->dev));
	jadd_bool(j, "multifunction", cfg && cfg->multifunction);
	if (cfg && cfg->caps_known) {
		acs = acs_to_json(n->dev, cfg);
	} else {
		acs = json_object_new_object();
		jadd_str(acs, "verdict", iommuctl_acs_verdict_name(n->acs));
	}
	jadd(j, "acs", acs);
	jadd_bool(j, "path_isolated", n->path_isolated);
	jadd_bool(j, "group_start", n->group_start);
	if (n->group >= 0)
		jadd_int(j, "group_size", n->group_size);
	jadd_str_or_null(j, "reason",
			 n->why >= 0 ?
				 iommuctl_why_name((enum iommuctl_why)n->why) :
				 NULL);
	jadd_str_or_null(j, "via",
			 n->via ? iommuctl_device_get_name(n->via) : NULL);
	jadd_str_or_null(j, "culprit",
			 n->culprit ? iommuctl_device_get_name(n->culprit) :
				      NULL);
	a = json_object_new_array();
	for (i = 0; i < n->n_children; i++)
		json_object_array_add(a, node_to_json(n->children[i]));
	jadd(j, "children", a);
	return j;
}

static int topo_run(struct cmdctx *c, void *args UNUSED)
{
	struct json_object *j, *buses, *other;
	struct iommuctl_topo *t = NULL;
	size_t i, k;
	int rc = iommuctl_topo_build(c->ctx, &t);

	if (rc < 0)
		return cmd_fail(c, EXIT_FAILED, rc, "building the PCI tree");
	j = json_object_new_object();
	buses = json_object_new_array();
	for (i = 0; i < t->n_buses; i++) {
		struct json_object *b = json_object_new_object(), *a;

		jadd_str(b, "name", t->buses[i].name);
		jadd_int(b, "domain", t->buses[i].domain);
		jadd_int(b, "bus", t->buses[i].bus);
		a = json_object_new_array();
		for (k = 0; k < t->buses[i].n_roots; k++)
			json_object_array_add(
				a, node_to_json(t->buses[i].roots[k]));
		jadd(b, "children", a);
		json_object_array_add(buses, b);
	}
	jadd(j, "root_buses", buses);
	other = json_object_new_array();
	for (i = 0; i < t->n_other; i++)
		json_object_array_add(other,
				      device_to_json(t->other[i], false));
	jadd(j, "other_devices", other);
	jadd_bool(j, "certain", iommuctl_explain_is_certain(c->ctx));
	iommuctl_topo_free(t);
	return cmd_out(c, j);
}

/* ---- text ------------------------------------------------------------------ */

static const char *sopt(struct json_object *j, const char *key)
{
	struct json_object *v = jopt(j, key);

	return v && json_object_is_type(v, json_type_string) ?
		       json_object_get_string(v) :
		       NULL;
}

static bool bopt(struct json_object *j, const char *key)
{
	struct json_object *v = jopt(j, key);

	return v && json_object_get_boolean(v);
}

/* "00:1c.0" of "0000:00:1c.0" (the domain is the root bus's) */
static const char *short_bdf(const char *bdf)
{
	const char *p = bdf ? strchr(bdf, ':') : NULL;

	return p && strchr(p + 1, ':') ? p + 1 : bdf ? bdf : "?";
}

/* The ACS of a bridge or multifunction device, as a short tag: the controls
 * isolation needs that are on ("sv rr cr uf", "--" for one that is off) and
 * the verdict when it is not "enabled". */
static void acs_tag(struct json_object *dev, char *buf, size_t size)
{
	static const char *const req[] = { "sv", "rr", "cr", "uf" };
	struct json_object *acs = jopt(dev, "acs"), *en;
	const char *v = acs ? sopt(acs, "verdict") : NULL;
	size_t i, len;

	buf[0] = '\0';
	if (!v || (!bopt(dev, "bridge") && !bopt(dev, "multifunction")))
		return;
	if (!strcmp(v, "not-required") && !bopt(dev, "multifunction"))
		return;
	en = jopt(acs, "controls");
	if (!en) {
		snprintf(buf, size, "[ACS %s]",
			 !strcmp(v, "missing") ? "none" : v);
		return;
	}
	snprintf(buf, size, "[ACS");
	for (i = 0; i < 4; i++) {
		len = strlen(buf);
		snprintf(buf + len, size - len, " %s",
			 bopt(en, req[i]) ? req[i] : "--");
	}
	len = strlen(buf);
	if (strcmp(v, "enabled"))
		snprintf(buf + len, size - len, ": %s", v);
	len = strlen(buf);
	if ((!strcmp(v, "enabled") || !strcmp(v, "not-required") ||
	     !strcmp(v, "quirk")) &&
	    !bopt(dev, "path_isolated"))
		snprintf(buf + len, size - len, ", path not isolated");
	len = strlen(buf);
	snprintf(buf + len, size - len, "]");
}

/* One line, cut to @width (names come last, so they are cut first). */
static void put_line(const char *s, int width)
{
	size_t len = strlen(s);

	if (len <= (size_t)width) {
		printf("%s\n", s);
		return;
	}
	printf("%.*s...\n", width > 3 ? width - 3 : 0, s);
}

static void text_node(struct cmdctx *c, struct json_object *dev,
		      const char *indent, bool last, int width)
{
	struct json_object *kids = jopt(dev, "children"),
			   *g = jopt(dev, "group");
	const char *vn = sopt(dev, "vendor_name"),
		   *dn = sopt(dev, "device_name");
	const char *reason = sopt(dev, "reason"), *via = sopt(dev, "via");
	char gtag[96], acs[64], name[256], *line = NULL, *sub = NULL;
	size_t i, n = kids ? json_object_array_length(kids) : 0;

	if (!g || !json_object_is_type(g, json_type_int))
		snprintf(gtag, sizeof(gtag), "-");
	else if (bopt(dev, "group_start"))
		snprintf(gtag, sizeof(gtag), "G%d", json_object_get_int(g));
	else if (via)
		snprintf(gtag, sizeof(gtag), "g%d (%s, with %s)",
			 json_object_get_int(g), reason ? reason : "?",
			 short_bdf(via));
	else
		snprintf(gtag, sizeof(gtag), "g%d (grouped by the kernel)",
			 json_object_get_int(g));
	acs_tag(dev, acs, sizeof(acs));
	if (vn || dn)
		snprintf(name, sizeof(name), "%s%s%s", vn ? vn : "",
			 vn && dn ? " " : "", dn ? dn : "");
	else
		snprintf(name, sizeof(name), "[%s:%s] class %s",
			 sopt(dev, "vendor") ? sopt(dev, "vendor") + 2 : "?",
			 sopt(dev, "device") ? sopt(dev, "device") + 2 : "?",
			 sopt(dev, "class") ? sopt(dev, "class") : "?");
	if (asprintf(&line, "%s%s%s %s%s%s %s", indent, last ? "`-" : "|-",
		     short_bdf(jstr(c, dev, "name")), gtag, acs[0] ? " " : "",
		     acs, name) < 0)
		return;
	put_line(line, width);
	free(line);
	if (asprintf(&sub, "%s%s", indent, last ? "   " : "|  ") < 0)
		return;
	for (i = 0; i < n; i++)
		text_node(c, json_object_array_get_idx(kids, i), sub,
			  i + 1 == n, width);
	free(sub);
}

static void topo_text(struct cmdctx *c, struct json_object *j)
{
	struct json_object *buses = jget(c, j, "root_buses"),
			   *other = jget(c, j, "other_devices");
	size_t i, k, n;
	int width = out_width();

	for (i = 0; buses && i < json_object_array_length(buses); i++) {
		struct json_object *b = json_object_array_get_idx(buses, i);
		struct json_object *kids = jget(c, b, "children");

		printf("%s%s%s\n", color_on(c, "header"), jstr(c, b, "name"),
		       color_off(c));
		n = kids ? json_object_array_length(kids) : 0;
		for (k = 0; k < n; k++)
			text_node(c, json_object_array_get_idx(kids, k), "",
				  k + 1 == n, width);
	}
	n = other ? json_object_array_length(other) : 0;
	if (n)
		printf("Not PCI, in IOMMU groups:\n");
	for (k = 0; k < n; k++) {
		struct json_object *d = json_object_array_get_idx(other, k);
		char *line = NULL;

		if (asprintf(&line, "  %s G%d %s", jstr(c, d, "name"),
			     json_object_get_int(jopt(d, "group")),
			     sopt(d, "driver") ? sopt(d, "driver") : "") >= 0)
			put_line(line, width);
		free(line);
	}
	if (!buses || !json_object_array_length(buses))
		printf("no PCI devices\n");
	else
		put_line(
			"G<n>: first device of IOMMU group n; g<n>: in group n too (why, with whom)",
			width);
	print_uncertain_note(c);
}

/* ---- Graphviz -------------------------------------------------------------- */

/* @s as the inside of a dot string */
static void dot_str(const char *s)
{
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		if ((unsigned char)*s >= 0x20)
			putchar(*s);
	}
}

static void dot_node(struct json_object *dev)
{
	const char *vn = sopt(dev, "vendor_name"),
		   *dn = sopt(dev, "device_name");
	const char *pt = sopt(dev, "pcie_type"), *drv = sopt(dev, "driver");
	char acs[64];

	acs_tag(dev, acs, sizeof(acs));
	printf("    \"");
	dot_str(sopt(dev, "name"));
	printf("\" [label=\"");
	dot_str(sopt(dev, "name"));
	if (vn || dn) {
		printf("\\n");
		dot_str(vn);
		printf("%s", vn && dn ? " " : "");
		dot_str(dn);
	} else if (sopt(dev, "vendor") && sopt(dev, "device")) {
		printf("\\n[");
		dot_str(sopt(dev, "vendor") + 2);
		printf(":");
		dot_str(sopt(dev, "device") + 2);
		printf("]");
	}
	if (pt && strcmp(pt, "endpoint")) {
		printf("\\n");
		dot_str(pt);
	}
	if (drv) {
		printf("\\ndriver ");
		dot_str(drv);
	}
	if (acs[0]) {
		printf("\\n");
		dot_str(acs);
	}
	printf("\"%s%s];\n", bopt(dev, "bridge") ? ", shape=box3d" : "",
	       acs[0] && !bopt(dev, "path_isolated") ? ", color=red" : "");
}

/* Nodes of group @g (-1: those without one), the tree walked in order */
static void dot_nodes(struct json_object *devs, int g)
{
	size_t i, n = devs ? json_object_array_length(devs) : 0;

	for (i = 0; i < n; i++) {
		struct json_object *d = json_object_array_get_idx(devs, i);
		struct json_object *gj = jopt(d, "group");
		int dg = gj && json_object_is_type(gj, json_type_int) ?
				 json_object_get_int(gj) :
				 -1;

		if (dg == g)
			dot_node(d);
		dot_nodes(jopt(d, "children"), g);
	}
}

static void dot_groups(struct json_object *devs, struct json_object *all)
{
	size_t i, n = devs ? json_object_array_length(devs) : 0;

	for (i = 0; i < n; i++) {
		struct json_object *d = json_object_array_get_idx(devs, i);
		struct json_object *gj = jopt(d, "group");

		if (bopt(d, "group_start") && gj) {
			printf("  subgraph \"cluster_group_%d\" {\n"
			       "    label=\"IOMMU group %d\"; style=rounded; color=blue;\n",
			       json_object_get_int(gj),
			       json_object_get_int(gj));
			dot_nodes(all, json_object_get_int(gj));
			printf("  }\n");
		}
		dot_groups(jopt(d, "children"), all);
	}
}

static void dot_edges(const char *from, struct json_object *devs)
{
	size_t i, n = devs ? json_object_array_length(devs) : 0;

	for (i = 0; i < n; i++) {
		struct json_object *d = json_object_array_get_idx(devs, i);

		printf("  \"");
		dot_str(from);
		printf("\" -> \"");
		dot_str(sopt(d, "name"));
		printf("\";\n");
		dot_edges(sopt(d, "name"), jopt(d, "children"));
	}
}

static void topo_dot(struct cmdctx *c, struct json_object *j)
{
	struct json_object *buses = jget(c, j, "root_buses"),
			   *other = jget(c, j, "other_devices");
	size_t i, n = buses ? json_object_array_length(buses) : 0;

	printf("digraph iommuctl_topo {\n"
	       "  rankdir=LR;\n"
	       "  node [shape=box, fontname=\"monospace\", fontsize=10];\n");
	for (i = 0; i < n; i++) {
		struct json_object *b = json_object_array_get_idx(buses, i);

		printf("  \"pci%s\" [label=\"root bus %s\", shape=ellipse];\n",
		       jstr(c, b, "name"), jstr(c, b, "name"));
		dot_groups(jget(c, b, "children"), jget(c, b, "children"));
		dot_nodes(jget(c, b, "children"), -1);
	}
	for (i = 0; other && i < json_object_array_length(other); i++) {
		struct json_object *d = json_object_array_get_idx(other, i);

		printf("  subgraph \"cluster_group_%d\" {\n"
		       "    label=\"IOMMU group %d\"; style=rounded; color=blue;\n",
		       json_object_get_int(jopt(d, "group")),
		       json_object_get_int(jopt(d, "group")));
		dot_node(d);
		printf("  }\n");
	}
	for (i = 0; i < n; i++) {
		struct json_object *b = json_object_array_get_idx(buses, i);
		char from[48];

		snprintf(from, sizeof(from), "pci%s", jstr(c, b, "name"));
		dot_edges(from, jget(c, b, "children"));
	}
	printf("}\n");
}

static void topo_render(struct cmdctx *c, struct json_object *j)
{
	const struct topo_args *a = c->args;

	if (a && a->dot)
		topo_dot(c, j);
	else
		topo_text(c, j);
}

ONE_VERB_OBJECT(
	obj_topo, "topo", "the PCI tree with ACS and IOMMU groups (lspci -t)",
	.name = "show",
	.summary =
		"the PCI tree with each bridge's ACS and each device's IOMMU group",
	.synopsis = "[--dot]",
	.description =
		"The PCI tree from each root bus down, as 'lspci -tv' draws it, with the\n"
		"IOMMU's view: each function's IOMMU group, 'G<n>' where a group begins\n"
		"(its first function in the tree) and 'g<n> (why, with whom)' on the\n"
		"functions that share it; each bridge's and multifunction device's ACS:\n"
		"the controls isolation needs (SV RR CR UF, '--' for one that is off)\n"
		"and the verdict when they do not isolate, and 'path not isolated'\n"
		"when a bridge above does not. Names are cut to fit $COLUMNS (80 when\n"
		"not a terminal). -j gives the tree as nested JSON; --dot writes a\n"
		"Graphviz graph with a cluster per IOMMU group:\n"
		"  iommuctl topo --dot | dot -Tsvg -o topo.svg",
	.opts = topo_opts, .args_size = sizeof(struct topo_args),
	.check = topo_check, .run = topo_run,
	.render = &(const struct render){ .text = topo_render });
