// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: the VT-d debugfs readers against the files captured
 * from the legacy ("vtd") and scalable-mode ("vtd-sm") test VMs, with values
 * checked by hand from those files; hand-written inputs only for malformed
 * text (every kind must be -EINVAL with "FILE line N: ..." and never a
 * crash) and for the posted-interrupt section the VMs do not have; and the
 * reasons iommuctl_debugfs_why() gives on trees without VT-d debugfs.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "private.h"

#include "tree.h"

static char tmpl[] = "/tmp/iommuctl-test-debugfs.XXXXXX";

static char *fixture(const char *name)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", tree_top, name) > 0);
	return p;
}

static struct iommuctl_ctx *ctx_at(const char *name)
{
	struct iommuctl_ctx *ctx;
	char *root = fixture(name);

	ctx = tree_ctx(root);
	free(root);
	return ctx;
}

static int setup(void **state)
{
	static const char *const fx[] = { "vtd", "vtd-sm", "vtd-off", "amd",
					  "plain" };
	size_t i;

	(void)state;
	if (tree_setup(tmpl) < 0)
		return -1;
	for (i = 0; i < sizeof(fx) / sizeof(fx[0]); i++)
		if (tree_extract(fx[i]) < 0)
			return -1;
	return 0;
}

/* A tree of its own: <tree_top>/<name>/sys/kernel/debug/iommu/<rel> = data. */
static void put(const char *name, const char *rel, const char *data, size_t len)
{
	char *path, *cmd, *slash;
	int fd;

	assert_true(asprintf(&path, "%s/%s/sys/kernel/debug/iommu/%s", tree_top,
			     name, rel) > 0);
	slash = strrchr(path, '/');
	*slash = '\0';
	assert_true(asprintf(&cmd, "mkdir -p '%s'", path) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	*slash = '/';
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	free(path);
}

/* --- registers ----------------------------------------------------------- */

struct regs_seen {
	int units;
	char unit[16];
	uint64_t base, gsts, fsts, rtaddr, ecap;
	size_t nregs;
	const char *first, *last;
	uint32_t last_offset;
	int stop_at;
};

static int regs_cb(const struct iommuctl_vtd_regset *rs, void *arg)
{
	struct regs_seen *s = arg;

	s->units++;
	snprintf(s->unit, sizeof(s->unit), "%s", rs->unit);
	s->base = rs->base;
	s->nregs = rs->nregs;
	assert_int_equal(iommuctl_vtd_regset_find(rs, "GSTS", &s->gsts), 0);
	assert_int_equal(iommuctl_vtd_regset_find(rs, "fsts", &s->fsts), 0);
	assert_int_equal(iommuctl_vtd_regset_find(rs, "RTADDR", &s->rtaddr), 0);
	assert_int_equal(iommuctl_vtd_regset_find(rs, "ECAP", &s->ecap), 0);
	assert_int_equal(iommuctl_vtd_regset_find(rs, "VCCAP", &s->ecap),
			 -ENOENT);
	assert_string_equal(rs->regs[0].name, "VER");
	assert_int_equal(rs->regs[0].offset, 0);
	assert_int_equal(rs->regs[0].value, 0x10);
	assert_string_equal(rs->regs[rs->nregs - 1].name, "MTRR_PHYSMASK9");
	assert_int_equal(rs->regs[rs->nregs - 1].offset, 0x218);
	return s->stop_at && s->units == s->stop_at ? 42 : 0;
}

static uint64_t field(const struct iommuctl_regfield *t, unsigned int n,
		      const char *key, uint64_t reg)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].key, key))
			return iommuctl_regfield_value(&t[i], reg);
	fail_msg("no field %s", key);
	return 0;
}

static void test_regset(void **state)
{
	const struct iommuctl_regfield *gsts, *fsts, *rta;
	struct iommuctl_ctx *ctx = ctx_at("vtd");
	struct regs_seen s = { 0 };
	unsigned int ng, nf, nr, i;

	(void)state;
	assert_int_equal(iommuctl_vtd_regsets(ctx, regs_cb, &s), 0);
	assert_null(iommuctl_debugfs_error(ctx));
	assert_int_equal(s.units, 1);
	assert_string_equal(s.unit, "dmar0");
	assert_true(s.base == 0xfed90000);
	assert_int_equal(s.nregs, 64); /* 17 32-bit, 47 64-bit */
	assert_true(s.gsts == 0xc7000000);
	assert_true(s.fsts == 0);
	assert_true(s.rtaddr == 0x76d000);

	gsts = iommuctl_vtd_gsts_fields(&ng);
	assert_int_equal(ng, 9);
	for (i = 1; i < ng; i++) /* ordered by bit position */
		assert_true(gsts[i].lo > gsts[i - 1].lo);
	assert_int_equal(field(gsts, ng, "tes", s.gsts), 1);
	assert_int_equal(field(gsts, ng, "rtps", s.gsts), 1);
	assert_int_equal(field(gsts, ng, "qies", s.gsts), 1);
	assert_int_equal(field(gsts, ng, "ires", s.gsts), 1);
	assert_int_equal(field(gsts, ng, "irtps", s.gsts), 1);
	assert_int_equal(field(gsts, ng, "fls", s.gsts), 0);
	assert_int_equal(field(gsts, ng, "afls", s.gsts), 0);
	assert_int_equal(field(gsts, ng, "wbfs", s.gsts), 0);
	assert_int_equal(field(gsts, ng, "cfis", s.gsts), 0);

	fsts = iommuctl_vtd_fsts_fields(&nf);
	assert_int_equal(nf, 9);
	assert_int_equal(field(fsts, nf, "fri", 0x2a02), 0x2a);
	assert_int_equal(field(fsts, nf, "ppf", 0x2a02), 1);
	assert_int_equal(field(fsts, nf, "pro", 0x80), 1);
	assert_int_equal(field(fsts, nf, "iqe", 0x10), 1);

	rta = iommuctl_vtd_rtaddr_fields(&nr);
	assert_int_equal(nr, 2);
	assert_int_equal(field(rta, nr, "ttm", s.rtaddr), 0); /* legacy */
	assert_true(field(rta, nr, "rta", s.rtaddr) == 0x76d);

	/* a nonzero return stops the walk and is returned */
	memset(&s, 0, sizeof(s));
	s.stop_at = 1;
	assert_int_equal(iommuctl_vtd_regsets(ctx, regs_cb, &s), 42);
	iommuctl_unref(ctx);

	ctx = ctx_at("vtd-sm");
	memset(&s, 0, sizeof(s));
	assert_int_equal(iommuctl_vtd_regsets(ctx, regs_cb, &s), 0);
	assert_true(s.rtaddr == 0x874400);
	assert_int_equal(field(rta, nr, "ttm", s.rtaddr), 1); /* scalable */
	assert_true(s.ecap == 0x0000480080f00f4aULL);
	iommuctl_unref(ctx);
}

static int status_cb(const struct iommuctl_vtd_regset *rs, void *arg)
{
	assert_int_equal(iommuctl_vtd_regset_status(rs, arg), 0);
	return 0;
}

/* What GSTS, RTADDR and FSTS say, from the fixtures and made-up sets. */
static void test_regset_status(void **state)
{
	static const struct iommuctl_vtd_reg regs[] = {
		{ "GSTS", 0x1c, 0x08800000 }, /* WBFS, CFIS */
		{ "FSTS", 0x34, 0x2a12 }, /* PPF, IQE; FRI 0x2a is no flag */
	};
	struct iommuctl_vtd_regset rs = { "dmar9", 0, regs, 2 };
	struct iommuctl_ctx *ctx = ctx_at("vtd");
	const struct iommuctl_item *it;
	struct iommuctl_vtd_status st;
	unsigned int n;

	(void)state;
	assert_int_equal(iommuctl_vtd_regsets(ctx, status_cb, &st), 0);
	assert_true(st.have_gsts && st.have_fsts);
	/* GSTS 0xc7000000 */
	assert_true(st.translation && st.root_table_set);
	assert_true(st.queued_invalidation && st.interrupt_remapping);
	assert_true(st.interrupt_table_set);
	assert_false(st.compat_format_interrupts || st.write_buffer_flush);
	assert_string_equal(st.mode, "legacy");
	assert_int_equal(st.nfaults, 0);
	iommuctl_unref(ctx);
	ctx = ctx_at("vtd-sm");
	assert_int_equal(iommuctl_vtd_regsets(ctx, status_cb, &st), 0);
	assert_string_equal(st.mode, "scalable");
	iommuctl_unref(ctx);

	assert_int_equal(iommuctl_vtd_regset_status(&rs, &st), 0);
	assert_true(st.have_gsts);
	assert_false(st.translation || st.root_table_set);
	assert_true(st.compat_format_interrupts && st.write_buffer_flush);
	assert_null(st.mode); /* no RTADDR */
	assert_int_equal(st.nfaults, 2);
	assert_string_equal(st.faults[0], "PPF");
	assert_string_equal(st.faults[1], "IQE");
	rs.nregs = 0;
	assert_int_equal(iommuctl_vtd_regset_status(&rs, &st), 0);
	assert_false(st.have_gsts || st.have_fsts || st.translation);
	assert_int_equal(iommuctl_vtd_regset_status(NULL, &st), -EINVAL);

	/* the items point at the bools, TES first */
	it = iommuctl_vtd_status_items(&n);
	assert_int_equal(n, 7);
	assert_string_equal(it[0].key, "translation");
	assert_int_equal(it[0].type, IOMMUCTL_ITEM_BOOL);
	assert_int_equal(it[n - 1].offset, offsetof(struct iommuctl_vtd_status,
						    write_buffer_flush));
}

/* --- context and PASID entries --------------------------------------------- */

struct ctx_seen {
	int units, rows;
	struct iommuctl_vtd_unit_state u;
	char unit[16];
	struct iommuctl_vtd_context first, last, dev10;
};

static int ctx_unit_cb(const struct iommuctl_vtd_unit_state *u, void *arg)
{
	struct ctx_seen *s = arg;

	s->units++;
	s->u = *u;
	snprintf(s->unit, sizeof(s->unit), "%s", u->unit);
	return 0;
}

static int ctx_cb(const struct iommuctl_vtd_context *c, void *arg)
{
	struct ctx_seen *s = arg;

	if (!s->rows)
		s->first = *c;
	if (c->bus == 0 && c->devfn == (0x10 << 3))
		s->dev10 = *c;
	s->last = *c;
	s->rows++;
	assert_string_equal(c->unit, "dmar0");
	return 0;
}

static void test_contexts_legacy(void **state)
{
	struct iommuctl_ctx *ctx = ctx_at("vtd");
	struct ctx_seen s = { 0 };
	struct iommuctl_vtd_context *c = &s.first;

	(void)state;
	assert_int_equal(iommuctl_vtd_contexts(ctx, ctx_unit_cb, ctx_cb, &s),
			 0);
	assert_int_equal(s.units, 1);
	assert_string_equal(s.unit, "dmar0");
	assert_true(s.u.enabled);
	assert_true(s.u.table == 0x76d000);
	assert_int_equal(s.rows, 23);

	/* 00:00.0 0x0:0x77b001 0x201:0x77a001 -1 */
	assert_int_equal(c->bus, 0);
	assert_int_equal(c->devfn, 0);
	assert_true(c->root_table == 0x76d000);
	assert_true(c->root[0] == 0 && c->root[1] == 0x77b001);
	assert_true(c->context[0] == 0x201 && c->context[1] == 0x77a001);
	assert_false(c->scalable);
	assert_int_equal(c->pasid, -1);
	assert_true(c->present);
	assert_false(c->fault_disable);
	assert_int_equal(c->ttype, IOMMUCTL_VTD_TT_MULTI_LEVEL);
	assert_string_equal(iommuctl_vtd_ttype_name(c->ttype), "multi-level");
	assert_int_equal(c->domain_id, 2);
	assert_int_equal(c->address_width, 39);
	assert_int_equal(c->levels, 3);
	assert_true(c->table == 0x77a000);
	assert_true(c->pasid_dir == 0);

	/* 00:10.0 ... 0x701:0x9de001 */
	assert_int_equal(s.dev10.domain_id, 7);
	assert_true(s.dev10.table == 0x9de000);

	/* 06:00.1 ... 0x1001:0xa50001 */
	assert_int_equal(s.last.bus, 6);
	assert_int_equal(s.last.devfn, 1);
	assert_int_equal(s.last.domain_id, 0x10);
	iommuctl_unref(ctx);
}

/* iommuctl_vtd_contexts_get(): every unit with its rows, or one device's */
static void test_contexts_get(void **state)
{
	struct iommuctl_ctx *ctx = ctx_at("vtd-sm");
	struct iommuctl_vtd_unit_contexts *u;
	size_t n;

	(void)state;
	assert_int_equal(iommuctl_vtd_contexts_get(ctx, NULL, &u, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(u[0].unit.unit, "dmar0");
	assert_true(u[0].unit.enabled);
	assert_true(u[0].unit.table == 0x874000);
	assert_int_equal(u[0].n, 22);
	assert_ptr_equal(u[0].rows[21].unit, u[0].unit.unit);
	assert_true(u[0].rows[0].table == 0xa0a000);
	assert_int_equal(u[0].rows[0].levels, 3);
	iommuctl_vtd_contexts_free(u, n);
	/* the file has no PCI segment: any segment matches */
	assert_int_equal(iommuctl_vtd_contexts_get(ctx, "0001:06:00.1", &u, &n),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(u[0].n, 1);
	assert_int_equal(u[0].rows[0].bus, 6);
	assert_int_equal(u[0].rows[0].devfn, 1);
	iommuctl_vtd_contexts_free(u, n);
	assert_int_equal(iommuctl_vtd_contexts_get(ctx, "09:00.0", &u, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(u[0].n, 0);
	iommuctl_vtd_contexts_free(u, n);
	assert_int_equal(iommuctl_vtd_contexts_get(ctx, "06:00", &u, &n),
			 -EINVAL);
	assert_null(u);
	assert_int_equal(n, 0);
	iommuctl_unref(ctx);
	/* remapping off: the unit, no rows */
	ctx = ctx_at("vtd-off");
	assert_int_equal(iommuctl_vtd_contexts_get(ctx, NULL, &u, &n), 0);
	assert_int_equal(n, 1);
	assert_false(u[0].unit.enabled);
	assert_int_equal(u[0].n, 0);
	iommuctl_vtd_contexts_free(u, n);
	iommuctl_unref(ctx);
	/* no such file */
	ctx = ctx_at("amd");
	assert_int_equal(iommuctl_vtd_contexts_get(ctx, NULL, &u, &n), -ENOENT);
	assert_null(u);
	iommuctl_unref(ctx);
	iommuctl_vtd_contexts_free(NULL, 0);
}

static void test_contexts_scalable(void **state)
{
	struct iommuctl_ctx *ctx = ctx_at("vtd-sm");
	struct ctx_seen s = { 0 };
	struct iommuctl_vtd_context *c = &s.first;

	(void)state;
	assert_int_equal(iommuctl_vtd_contexts(ctx, NULL, ctx_cb, &s), 0);
	assert_int_equal(s.units, 0); /* no unit callback given */
	assert_int_equal(s.rows, 22);

	/* 00:00.0 0x8be001:0x877001 0x0:0x876401 0
	 * 0x0000000000000000:0x0000000000000002:0x0000000000a0a085 */
	assert_true(c->root_table == 0x874000);
	assert_true(c->root[0] == 0x8be001 && c->root[1] == 0x877001);
	assert_true(c->scalable);
	assert_int_equal(c->pasid, 0);
	assert_true(c->pasid_entry[0] == 0);
	assert_true(c->pasid_entry[1] == 2);
	assert_true(c->pasid_entry[2] == 0xa0a085);
	assert_true(c->present);
	assert_false(c->fault_disable);
	assert_int_equal(c->ttype, IOMMUCTL_VTD_TT_SECOND_STAGE);
	assert_string_equal(iommuctl_vtd_ttype_name(c->ttype), "second-stage");
	assert_int_equal(c->address_width, 39);
	assert_int_equal(c->domain_id, 2);
	assert_true(c->table == 0xa0a000);
	assert_true(c->pasid_dir == 0x876000);

	/* 06:00.1 ... 0x0000000000000010:0x0000000000a90085 */
	assert_int_equal(s.last.domain_id, 0x10);
	assert_true(s.last.table == 0xa90000);
	iommuctl_unref(ctx);
}

/* Decoding of the encodings the VMs do not show, from hand-made rows. */
static int one_ctx_cb(const struct iommuctl_vtd_context *c, void *arg)
{
	*(struct iommuctl_vtd_context *)arg = *c;
	return 0;
}

static void test_contexts_encodings(void **state)
{
	static const char hdr[] =
		"IOMMU dmar1: Root Table Address: 0x1000\n"
		"B.D.F\tRoot_entry\t\t\t\tContext_entry\t\t\t\t"
		"PASID\tPASID_table_entry\n";
	static const struct {
		const char *row;
		enum iommuctl_vtd_ttype tt;
		unsigned int aw;
		uint64_t table;
		bool fpd;
		uint16_t did;
	} rows[] = {
		/* legacy pass-through, FPD */
		{ "00:02.0\t0x0:0x5001\t0x0000000000000302:0x0000000000006009"
		  "\t-1\t0x0:0x0:0x0",
		  IOMMUCTL_VTD_TT_PASS_THROUGH, 48, 0, false, 3 },
		{ "00:02.0\t0x0:0x5001\t0x0000000000abcd03:0x0000000000006007"
		  "\t-1\t0x0:0x0:0x0",
		  IOMMUCTL_VTD_TT_DEV_IOTLB, 57, 0x6000, true, 0xabcd },
		{ "00:02.0\t0x0:0x5001\t0x0:0x000000000000600d\t-1\t0x0:0x0:0x0",
		  IOMMUCTL_VTD_TT_UNKNOWN, 0, 0, false, 0 },
		/* PASID 1, first-stage, 5-level, pointer in qword2 */
		{ "00:02.0\t0x0:0x5001\t0x0:0x7401\t1\t"
		  "0x0000000000099004:0x0000000000000005:0x0000000000000045",
		  IOMMUCTL_VTD_TT_FIRST_STAGE, 57, 0x99000, false, 5 },
		/* nested */
		{ "00:02.0\t0x0:0x5001\t0x0:0x7401\t2\t"
		  "0x0000000000099000:0x0000000000000006:0x00000000000880cb",
		  IOMMUCTL_VTD_TT_NESTED, 48, 0x88000, true, 6 },
		/* pass-through */
		{ "00:02.0\t0x0:0x5001\t0x0:0x7401\t3\t"
		  "0x0:0x0000000000000001:0x0000000000000105",
		  IOMMUCTL_VTD_TT_PASS_THROUGH, 39, 0, false, 1 },
		/* reserved PGTT */
		{ "00:02.0\t0x0:0x5001\t0x0:0x7401\t4\t0x0:0x1:0x1c1",
		  IOMMUCTL_VTD_TT_UNKNOWN, 0, 0, false, 1 },
	};
	struct iommuctl_vtd_context c;
	struct iommuctl_ctx *ctx;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *text;

		assert_true(asprintf(&text, "%s%s\n", hdr, rows[i].row) > 0);
		put("enc", "intel/dmar_translation_struct", text, strlen(text));
		free(text);
		ctx = ctx_at("enc");
		memset(&c, 0xff, sizeof(c));
		assert_int_equal(
			iommuctl_vtd_contexts(ctx, NULL, one_ctx_cb, &c), 0);
		assert_int_equal(c.ttype, rows[i].tt);
		assert_int_equal(c.address_width, rows[i].aw);
		assert_int_equal(c.levels, rows[i].aw == 57 ? 5 :
					   rows[i].aw == 48 ? 4 :
					   rows[i].aw == 39 ? 3 :
							      0);
		assert_true(c.table == rows[i].table);
		assert_int_equal(c.fault_disable, rows[i].fpd);
		assert_int_equal(c.domain_id, rows[i].did);
		assert_true(c.present);
		iommuctl_unref(ctx);
	}
	assert_string_equal(iommuctl_vtd_ttype_name(IOMMUCTL_VTD_TT_NESTED),
			    "nested");
	assert_string_equal(iommuctl_vtd_ttype_name(99), "unknown");
}

/* --- invalidation queue ---------------------------------------------------- */

struct qi_seen {
	int units, rows;
	struct iommuctl_vtd_qi q;
	struct iommuctl_vtd_qi_desc d[256];
};

static int qi_unit_cb(const struct iommuctl_vtd_qi *q, void *arg)
{
	struct qi_seen *s = arg;

	s->units++;
	s->q = *q;
	return 0;
}

static int qi_cb(const struct iommuctl_vtd_qi *q,
		 const struct iommuctl_vtd_qi_desc *d, void *arg)
{
	struct qi_seen *s = arg;

	assert_string_equal(q->unit, "dmar0");
	assert_int_equal(d->index, s->rows);
	if (s->rows < 256)
		s->d[s->rows] = *d;
	s->rows++;
	return 0;
}

static void test_invalidation_queue(void **state)
{
	struct iommuctl_ctx *ctx = ctx_at("vtd");
	struct qi_seen *s = calloc(1, sizeof(*s));

	(void)state;
	assert_non_null(s);
	assert_int_equal(
		iommuctl_vtd_invalidation_queues(ctx, qi_unit_cb, qi_cb, s), 0);
	assert_int_equal(s->units, 1);
	assert_int_equal(s->rows, 256);
	assert_true(s->q.base == 0x15e000);
	assert_int_equal(s->q.head, 92); /* IQH 0x5c0 >> 4 */
	assert_int_equal(s->q.tail, 92);
	assert_false(s->q.wide);
	/* 0	0000000000000004	0000000000000000	0000000000000000 */
	assert_int_equal(s->d[0].type, 4);
	assert_string_equal(s->d[0].type_name, "iec");
	/* 1	0000000200000025	0000000000149004	0000000000000000 */
	assert_true(s->d[1].qw[0] == 0x200000025ULL);
	assert_true(s->d[1].qw[1] == 0x149004);
	assert_true(s->d[1].qw[2] == 0 && s->d[1].qw[3] == 0);
	assert_int_equal(s->d[1].type, 5);
	assert_string_equal(s->d[1].type_name, "wait");
	assert_int_equal(s->d[1].status, 0);
	/* 10	0000000000000011: context-cache; 12	00000000000000d2: iotlb */
	assert_string_equal(s->d[10].type_name, "context-cache");
	assert_string_equal(s->d[12].type_name, "iotlb");
	iommuctl_unref(ctx);

	ctx = ctx_at("vtd-sm");
	memset(s, 0, sizeof(*s));
	assert_int_equal(
		iommuctl_vtd_invalidation_queues(ctx, qi_unit_cb, qi_cb, s), 0);
	assert_int_equal(s->rows, 256);
	assert_true(s->q.base == 0x19c000);
	assert_int_equal(s->q.head, 94); /* IQH 0xbc0 >> 5 */
	assert_true(s->q.wide);
	/* 12	0000000000000037: pasid-cache */
	assert_int_equal(s->d[12].type, 7);
	assert_string_equal(s->d[12].type_name, "pasid-cache");
	iommuctl_unref(ctx);
	free(s);
}

static void test_qi_types(void **state)
{
	static const char text[] =
		"Invalidation queue on IOMMU: dmar0\n"
		" Base: 0x1000\tHead: 2\tTail: 5\n"
		"Index\t\tqw0\t\t\tqw1\t\t\tqw2\t\t\tqw3\t\t\tstatus\n"
		"    0\t0000000000000206\t0000000000000001\t0000000000000002\t"
		"0000000000000003\t0000000000000001\n"
		"    1\t0000000000000209\t0\t0\t0\t0000000000000002\n"
		"    2\t000000000000000a\t0\t0\t0\t3\n";
	struct qi_seen *s = calloc(1, sizeof(*s));
	struct iommuctl_ctx *ctx;

	(void)state;
	assert_non_null(s);
	put("qitypes", "intel/invalidation_queue", text, strlen(text));
	ctx = ctx_at("qitypes");
	assert_int_equal(iommuctl_vtd_invalidation_queues(ctx, NULL, qi_cb, s),
			 0);
	assert_int_equal(s->rows, 3);
	/* type 6 | 1 << 4 */
	assert_int_equal(s->d[0].type, 0x16);
	assert_string_equal(s->d[0].type_name, "unknown");
	assert_true(s->d[0].qw[3] == 3);
	assert_int_equal(s->d[0].status, IOMMUCTL_VTD_QI_IN_USE);
	assert_string_equal(s->d[0].status_name, "in-use");
	assert_int_equal(s->d[1].type, 0x19);
	assert_int_equal(s->d[1].status, IOMMUCTL_VTD_QI_DONE);
	assert_string_equal(s->d[1].status_name, "done");
	assert_int_equal(s->d[2].type, 0xa);
	assert_int_equal(s->d[2].status, IOMMUCTL_VTD_QI_ABORT);
	assert_string_equal(s->d[2].status_name, "abort");
	iommuctl_unref(ctx);
	free(s);
}

/* --- interrupt remapping ---------------------------------------------------- */

struct ir_seen {
	int remapped_units, posted_units, entries;
	struct iommuctl_vtd_unit_state u;
	struct iommuctl_vtd_irte e16, e3, last;
};

static int ir_unit_cb(const struct iommuctl_vtd_unit_state *u, bool posted,
		      void *arg)
{
	struct ir_seen *s = arg;

	if (posted)
		s->posted_units++;
	else
		s->remapped_units++;
	s->u = *u;
	return 0;
}

static int ir_cb(const struct iommuctl_vtd_unit_state *u,
		 const struct iommuctl_vtd_irte *e, void *arg)
{
	struct ir_seen *s = arg;

	assert_true(u->enabled);
	if (e->index == 16)
		s->e16 = *e;
	if (e->index == 3)
		s->e3 = *e;
	s->last = *e;
	s->entries++;
	return 0;
}

static void test_irtes(void **state)
{
	struct iommuctl_ctx *ctx = ctx_at("vtd");
	struct ir_seen s = { 0 };

	(void)state;
	assert_int_equal(iommuctl_vtd_irtes(ctx, ir_unit_cb, ir_cb, &s), 0);
	assert_int_equal(s.remapped_units, 1);
	assert_int_equal(s.posted_units, 0); /* QEMU has no CAP.PI */
	assert_string_equal(s.u.unit, "dmar0");
	assert_true(s.u.enabled);
	assert_true(s.u.table == 0x400000);
	assert_int_equal(s.entries, 29);

	/* 16    00:10.0 00000000 ef  0000000000040080	0000000000ef0009 */
	assert_int_equal(s.e16.source_id, 0x0080);
	assert_int_equal(s.e16.vector, 0xef);
	assert_int_equal(s.e16.dest_id, 0);
	assert_false(s.e16.posted);
	assert_true(s.e16.high == 0x40080);
	assert_true(s.e16.low == 0xef0009);
	assert_int_equal(s.e16.svt, 1);
	assert_int_equal(s.e16.sq, 0);
	assert_false(s.e16.fpd);
	assert_false(s.e16.dest_logical);
	assert_false(s.e16.level);
	assert_int_equal(s.e16.delivery_mode, 0);
	assert_string_equal(s.e16.trigger_name, "edge");
	assert_string_equal(s.e16.dest_mode_name, "physical");
	/* 3     ff:00.0 00000100 22  000000000004ff00	0000010000220009 */
	assert_int_equal(s.e3.source_id, 0xff00);
	assert_int_equal(s.e3.dest_id, 0x100);
	assert_int_equal(s.e3.vector, 0x22);
	/* 41    06:00.1 ... */
	assert_int_equal(s.last.index, 41);
	assert_int_equal(s.last.source_id, 0x0601);
	iommuctl_unref(ctx);
}

/* intel_iommu=off: the unit is there, translation is not */
static void test_contexts_off(void **state)
{
	struct iommuctl_ctx *ctx = ctx_at("vtd-off");
	struct regs_seen r = { 0 };
	struct ctx_seen s = { 0 };
	struct ir_seen ir = { 0 };
	unsigned int ng;
	const struct iommuctl_regfield *gsts = iommuctl_vtd_gsts_fields(&ng);

	(void)state;
	assert_int_equal(iommuctl_vtd_contexts(ctx, ctx_unit_cb, ctx_cb, &s),
			 0);
	assert_int_equal(s.units, 1);
	assert_string_equal(s.unit, "dmar0");
	assert_false(s.u.enabled);
	assert_true(s.u.table == 0);
	assert_int_equal(s.rows, 0);

	assert_int_equal(iommuctl_vtd_regsets(ctx, regs_cb, &r), 0);
	assert_true(r.gsts == 0x07000000);
	assert_int_equal(field(gsts, ng, "tes", r.gsts), 0);
	assert_int_equal(field(gsts, ng, "ires", r.gsts), 1);

	/* interrupt remapping stays on */
	assert_int_equal(iommuctl_vtd_irtes(ctx, ir_unit_cb, ir_cb, &ir), 0);
	assert_int_equal(ir.remapped_units, 1);
	assert_true(ir.entries > 0);
	iommuctl_unref(ctx);
}

/* The posted section, in the kernel's printf formats (the VMs have none). */
static const char posted_text[] =
	"Remapped Interrupt supported on IOMMU: dmar0\n"
	"Interrupt Remapping is not enabled\n"
	"\n"
	"Remapped Interrupt supported on IOMMU: dmar1\n"
	" IR table address:12340000\n"
	" Entry SrcID   DstID    Vct IRTE_high\t\tIRTE_low\n"
	" 7     3a:1f.7 00000003 41  00000000000c3aff\t00000003004100f7\n"
	"\n"
	"****\n"
	"\n"
	"Posted Interrupt supported on IOMMU: dmar1\n"
	" IR table address:12340000\n"
	" Entry SrcID   PDA_high PDA_low  Vct IRTE_high\t\tIRTE_low\n"
	" 65535 00:03.0 00000001 2345a6c0 30  0000000100040018\t"
	"8d16980000308003\n"
	"\n";

static void test_irtes_posted(void **state)
{
	struct iommuctl_ctx *ctx;
	struct ir_seen s = { 0 };

	(void)state;
	put("posted", "intel/ir_translation_struct", posted_text,
	    strlen(posted_text));
	ctx = ctx_at("posted");
	assert_int_equal(iommuctl_vtd_irtes(ctx, ir_unit_cb, NULL, &s),
			 -EINVAL);
	assert_int_equal(iommuctl_vtd_irtes(ctx, ir_unit_cb, ir_cb, &s), 0);
	assert_int_equal(s.remapped_units, 2);
	assert_int_equal(s.posted_units, 1);
	assert_int_equal(s.entries, 2);
	memset(&s, 0, sizeof(s));
	assert_int_equal(iommuctl_vtd_irtes(ctx, NULL, ir_cb, &s), 0);
	assert_int_equal(s.last.index, 65535);
	assert_true(s.last.posted);
	assert_int_equal(s.last.source_id, 0x0018);
	assert_true(s.last.pda == 0x12345a6c0ULL);
	assert_int_equal(s.last.vector, 0x30);
	assert_int_equal(s.last.svt, 1);
	assert_true(s.last.fpd);
	assert_int_equal(s.last.dest_id, 0);
	/* posted entries have no trigger or destination mode */
	assert_null(s.last.trigger_name);
	assert_null(s.last.dest_mode_name);
	iommuctl_unref(ctx);
}

static int ir_remapped_cb(const struct iommuctl_vtd_unit_state *u,
			  const struct iommuctl_vtd_irte *e, void *arg)
{
	(void)u;
	if (!e->posted)
		*(struct iommuctl_vtd_irte *)arg = *e;
	return 0;
}

static void test_irte_bits(void **state)
{
	struct iommuctl_vtd_irte e = { 0 };
	struct iommuctl_ctx *ctx;

	(void)state;
	put("bits", "intel/ir_translation_struct", posted_text,
	    strlen(posted_text));
	ctx = ctx_at("bits");
	assert_int_equal(iommuctl_vtd_irtes(ctx, NULL, ir_remapped_cb, &e), 0);
	/* low 0x00000003004100f7: P, FPD, DM logical, TM level, DLM 7 */
	assert_int_equal(e.index, 7);
	assert_int_equal(e.source_id, (0x3a << 8) | (0x1f << 3) | 7);
	assert_int_equal(e.dest_id, 3);
	assert_int_equal(e.vector, 0x41);
	assert_true(e.fpd);
	assert_true(e.dest_logical);
	assert_true(e.level);
	assert_int_equal(e.delivery_mode, 7);
	assert_string_equal(e.delivery_name, "extint");
	assert_string_equal(e.trigger_name, "level");
	assert_string_equal(e.dest_mode_name, "logical");
	/* high 0xc3aff: SVT 3, SQ 0 */
	assert_int_equal(e.svt, 3);
	assert_int_equal(e.sq, 0);
	iommuctl_unref(ctx);
}

/* --- malformed input --------------------------------------------------------- */

static int count_regs(const struct iommuctl_vtd_regset *rs, void *arg)
{
	*(size_t *)arg += rs->nregs;
	return 0;
}

static int any_ctx(const struct iommuctl_vtd_context *c, void *arg)
{
	(void)c;
	++*(int *)arg;
	return 0;
}

static int any_qi(const struct iommuctl_vtd_qi *q,
		  const struct iommuctl_vtd_qi_desc *d, void *arg)
{
	(void)q, (void)d;
	++*(int *)arg;
	return 0;
}

static int any_irte(const struct iommuctl_vtd_unit_state *u,
		    const struct iommuctl_vtd_irte *e, void *arg)
{
	(void)u, (void)e;
	++*(int *)arg;
	return 0;
}

enum which { REGSET, CONTEXTS, QI, IR };

static const char *const files[] = {
	[REGSET] = "intel/iommu_regset",
	[CONTEXTS] = "intel/dmar_translation_struct",
	[QI] = "intel/invalidation_queue",
	[IR] = "intel/ir_translation_struct",
};

/* Reads @text as file @w; returns the reader's result, *@err its text. */
static int read_as(enum which w, const char *text, size_t len, char **err)
{
	struct iommuctl_ctx *ctx;
	size_t nregs = 0;
	int n = 0, rc = 0;
	const char *e;

	put("bad", files[w], text, len);
	ctx = ctx_at("bad");
	switch (w) {
	case REGSET:
		rc = iommuctl_vtd_regsets(ctx, count_regs, &nregs);
		break;
	case CONTEXTS:
		rc = iommuctl_vtd_contexts(ctx, NULL, any_ctx, &n);
		break;
	case QI:
		rc = iommuctl_vtd_invalidation_queues(ctx, NULL, any_qi, &n);
		break;
	case IR:
		rc = iommuctl_vtd_irtes(ctx, NULL, any_irte, &n);
		break;
	}
	e = iommuctl_debugfs_error(ctx);
	*err = e ? strdup(e) : NULL;
	iommuctl_unref(ctx);
	return rc;
}

static void expect_bad(enum which w, const char *text, size_t len,
		       unsigned int line)
{
	char *err, want[96];
	int rc = read_as(w, text, len, &err);

	if (rc != -EINVAL)
		fail_msg("%s: %d instead of -EINVAL for \"%s\"", files[w], rc,
			 text);
	assert_non_null(err);
	snprintf(want, sizeof(want), "%s line %u: ", files[w], line);
	if (strncmp(err, want, strlen(want)))
		fail_msg("error \"%s\" does not start with \"%s\"", err, want);
	free(err);
}

static void expect_good(enum which w, const char *text)
{
	char *err;
	int rc = read_as(w, text, strlen(text), &err);

	if (rc != 0)
		fail_msg("%s: %d (%s) for \"%s\"", files[w], rc,
			 err ? err : "no text", text);
	assert_null(err);
}

#define BAD(w, text, line) expect_bad(w, text, sizeof(text) - 1, line)

#define REG_HDR                                          \
	"IOMMU: dmar0 Register Base Address: fed90000\n" \
	"Name\t\t\tOffset\t\tContents\n"
#define CTX_HDR                                       \
	"IOMMU dmar0: Root Table Address: 0x873000\n" \
	"B.D.F\tRoot_entry\t\t\t\tContext_entry\t\t\t\tPASID\tPASID_table_entry\n"
#define CTX_ROW                                            \
	"00:00.0\t0x0000000000000000:0x00000000008cf001\t" \
	"0x0000000000000201:0x00000000008ce001\t-1    \t"  \
	"0x0000000000000000:0x0000000000000000:0x0000000000000000\n"
#define QI_HDR                                  \
	"Invalidation queue on IOMMU: dmar0\n"  \
	" Base: 0x15e000\tHead: 88\tTail: 88\n" \
	"Index\t\tqw0\t\t\tqw1\t\t\tstatus\n"
#define IR_HDR                                           \
	"Remapped Interrupt supported on IOMMU: dmar0\n" \
	" IR table address:400000\n"                     \
	" Entry SrcID   DstID    Vct IRTE_high\t\tIRTE_low\n"

static void test_malformed_regset(void **state)
{
	char *big;
	size_t nregs = 0;
	char *err;

	(void)state;
	BAD(REGSET, "GSTS            \t0x1c\t\t0x00000000c7000000\n", 1);
	BAD(REGSET, REG_HDR "GSTS            \t0x1c\t\t0x00000000c70zz000\n",
	    3);
	BAD(REGSET, REG_HDR "GSTS            \t0x1c\n", 3);
	BAD(REGSET, REG_HDR "GSTS 0x1c 0x\n", 3);
	BAD(REGSET, REG_HDR "GSTS 1c 0xc7000000\n", 3);
	BAD(REGSET, REG_HDR "GSTS 0x1c 0x10000000000000000\n", 3);
	BAD(REGSET, REG_HDR "GSTS 0x1c 0xc7000000 junk\n", 3);
	BAD(REGSET, REG_HDR "GSTS 0x123456789 0xc7000000\n", 3);
	BAD(REGSET, REG_HDR "VER 0x00 0x10\nGS\0TS 0x1c 0xc7000000\n", 4);
	BAD(REGSET, "IOMMU: dmar0 Register Base Address:\n", 1);
	BAD(REGSET, "IOMMU: dmar0 Register Base Address: fed9zzzz\n", 1);
	BAD(REGSET, "IOMMU: Invalid base address\n", 1);
	/* each unit once: a second header for one is refused where it is */
	BAD(REGSET, REG_HDR "VER 0x00 0x10\n" REG_HDR "VER 0x00 0x10\n", 4);
	BAD(REGSET,
	    "IOMMU: dmar000000000000000000000000000000000000000000000000000000000000000000 Register Base Address: 1\n",
	    1);

	/* a line longer than the reader takes */
	big = malloc(10000);
	assert_non_null(big);
	memcpy(big, REG_HDR, strlen(REG_HDR));
	memset(big + strlen(REG_HDR), 'A', 9000);
	memcpy(big + strlen(REG_HDR) + 9000, " 0x1 0x1\n", 9);
	expect_bad(REGSET, big, strlen(REG_HDR) + 9009, 3);
	/* ... also without its newline */
	expect_bad(REGSET, big, strlen(REG_HDR) + 9000, 3);
	free(big);

	/* tolerated: CRLF, blank lines, unknown names, no final newline */
	expect_good(REGSET,
		    "\n\r\n" REG_HDR "VER 0x00 0x10\r\n\n\n"
		    "NEWREG_FROM_7_0\t0x300\t\t0x0000000000000001 \t\r\n"
		    "\nIOMMU: dmar1 Register Base Address: fed91000\n"
		    "VER 0x00 0x10");
	put("bad", "intel/iommu_regset", REG_HDR "A 0x0 0x1\nB 0x8 0x2\n",
	    strlen(REG_HDR "A 0x0 0x1\nB 0x8 0x2\n"));
	{
		struct iommuctl_ctx *ctx = ctx_at("bad");

		assert_int_equal(iommuctl_vtd_regsets(ctx, count_regs, &nregs),
				 0);
		assert_int_equal(nregs, 2);
		iommuctl_unref(ctx);
	}
	/* empty file: no unit, no error */
	assert_int_equal(read_as(REGSET, "", 0, &err), 0);
	assert_null(err);
}

static void test_malformed_contexts(void **state)
{
	(void)state;
	BAD(CONTEXTS, CTX_ROW, 1);
	BAD(CONTEXTS, "B.D.F\n", 1);
	BAD(CONTEXTS, "DMA Remapping is not enabled on dmar0\n" CTX_ROW, 2);
	BAD(CONTEXTS, "IOMMU dmar0: Root Table Address: 873000\n", 1);
	BAD(CONTEXTS, "IOMMU dmar0 Root Table Address: 0x873000\n", 1);
	BAD(CONTEXTS,
	    CTX_HDR "00:00.0\t0x0000000000000000:0x00000000008cf001\n", 3);
	BAD(CONTEXTS, CTX_HDR "00:20.0\t0x0:0x1\t0x0:0x1\t-1\t0x0:0x0:0x0\n",
	    3);
	BAD(CONTEXTS, CTX_HDR "00:00.8\t0x0:0x1\t0x0:0x1\t-1\t0x0:0x0:0x0\n",
	    3);
	BAD(CONTEXTS, CTX_HDR "100:00.0\t0x0:0x1\t0x0:0x1\t-1\t0x0:0x0:0x0\n",
	    3);
	BAD(CONTEXTS, CTX_HDR "00:00.0\t0x0:0x1\t0x0:0x1\t-2\t0x0:0x0:0x0\n",
	    3);
	BAD(CONTEXTS,
	    CTX_HDR "00:00.0\t0x0:0x1\t0x0:0x1\t99999999999\t0x0:0x0:0x0\n", 3);
	BAD(CONTEXTS, CTX_HDR "00:00.0\t0x0:0x1\t0x0:0x1\t0\t0x0:0x0\n", 3);
	BAD(CONTEXTS, CTX_HDR "00:00.0\t0x0:0x1\t0x0:0x1\t0\t0x0:0x0:0x0:0x0\n",
	    3);
	BAD(CONTEXTS, CTX_HDR "00:00.0\t0x0:0x1\t0x0:0x1\t0\t0x0:0x0:0xg\n", 3);
	BAD(CONTEXTS, CTX_HDR "00:00.0 0x0:0x1 0x0:0x1 0 0x0:0x0:0x0\0\n", 3);
	expect_good(
		CONTEXTS,
		"\n" CTX_HDR CTX_ROW "\n\n"
		"DMA Remapping is not enabled on dmar1\n\n" CTX_HDR CTX_ROW);
}

static void test_malformed_qi(void **state)
{
	(void)state;
	BAD(QI, "    0\t0000000000000004\t0000000000000000\t0000000000000000\n",
	    1);
	BAD(QI, " Base: 0x15e000\tHead: 88\tTail: 88\n", 1);
	BAD(QI,
	    "Invalidation queue on IOMMU: dmar0\n"
	    "Index\t\tqw0\t\t\tqw1\t\t\tstatus\n",
	    2);
	BAD(QI,
	    "Invalidation queue on IOMMU: dmar0\n"
	    " Base: 0x15e000\tHead: 88\n",
	    2);
	BAD(QI,
	    "Invalidation queue on IOMMU: dmar0\n"
	    " Base: 0x15e000\tHead: -1\tTail: 88\n",
	    2);
	BAD(QI,
	    "Invalidation queue on IOMMU: dmar0\n"
	    " Base: 0x15e000\tHead: 88\tTail: 88\n"
	    "    0\t0000000000000004\t0000000000000000\t0000000000000000\n",
	    3);
	BAD(QI,
	    "Invalidation queue on IOMMU: dmar0\n"
	    " Base: 0x15e000\tHead: 88\tTail: 88\n"
	    "Index\t\tqw0\t\t\tqw1\t\t\tqw2\t\t\tstatus\n",
	    3);
	/* a 256-bit row under a 128-bit header, and the reverse */
	BAD(QI, QI_HDR "    0\t0\t0\t0\t0\t0\n", 4);
	BAD(QI,
	    "Invalidation queue on IOMMU: dmar0\n"
	    " Base: 0x15e000\tHead: 88\tTail: 88\n"
	    "Index\t\tqw0\t\t\tqw1\t\t\tqw2\t\t\tqw3\t\t\tstatus\n"
	    "    0\t0\t0\t0\n",
	    4);
	BAD(QI, QI_HDR "   x0\t0\t0\t0\n", 4);
	BAD(QI, QI_HDR "    0\t00000000000000004\t0\t0\n", 4);
	BAD(QI, QI_HDR "    0\t0\t0\t0\t\n    1\t0\t0\n", 5);
	expect_good(QI, QI_HDR "    0\t0000000000000004\t0\t0\r\n\n" QI_HDR);
}

static void test_malformed_ir(void **state)
{
	(void)state;
	BAD(IR,
	    " 16    00:10.0 00000000 ef  0000000000040080\t0000000000ef0009\n",
	    1);
	BAD(IR, " IR table address:400000\n", 1);
	BAD(IR,
	    "Remapped Interrupt supported on IOMMU: dmar0\n"
	    " 16    00:10.0 00000000 ef  0000000000040080\t0000000000ef0009\n",
	    2);
	BAD(IR,
	    "Remapped Interrupt supported on IOMMU: dmar0\n"
	    "Interrupt Remapping is not enabled\n"
	    " 16    00:10.0 00000000 ef  0000000000040080\t0000000000ef0009\n",
	    3);
	BAD(IR,
	    "Remapped Interrupt supported on IOMMU: dmar0\n"
	    " IR table address:40000g\n",
	    2);
	BAD(IR,
	    "Remapped Interrupt supported on IOMMU: dmar0\n"
	    " IR table address:400000\n"
	    " IR table address:400000\n",
	    3);
	BAD(IR,
	    IR_HDR
	    " 16    00:10.0 00000000 1ef  0000000000040080\t0000000000ef0009\n",
	    4);
	BAD(IR, IR_HDR " 16    00:10.0 00000000 ef  0000000000040080\n", 4);
	BAD(IR, IR_HDR " 16    00:10 00000000 ef  0000000000040080\t0\n", 4);
	BAD(IR,
	    IR_HDR
	    " 16    00:10.0 00000000 00000000 ef  0000000000040080\t0000000000ef0009\n",
	    4);
	BAD(IR, IR_HDR " Entry SrcID   PDA_high PDA_low  Vct IRTE_high\n", 4);
	BAD(IR,
	    "Posted Interrupt supported on IOMMU: dmar0\n"
	    " IR table address:400000\n"
	    " 16    00:10.0 00000000 ef  0000000000040080\t0000000000ef0009\n",
	    3);
	expect_good(IR, "\n" IR_HDR "\n****\n\n\n");
}

static void test_missing_files(void **state)
{
	struct regs_seen rs = { 0 };
	struct iommuctl_ctx *ctx;
	int n = 0;

	(void)state;
	ctx = ctx_at("amd");
	assert_int_equal(iommuctl_vtd_regsets(ctx, regs_cb, &rs), -ENOENT);
	assert_int_equal(iommuctl_vtd_contexts(ctx, NULL, any_ctx, &n),
			 -ENOENT);
	assert_int_equal(iommuctl_vtd_invalidation_queues(ctx, NULL, any_qi,
							  &n),
			 -ENOENT);
	assert_int_equal(iommuctl_vtd_irtes(ctx, NULL, any_irte, &n), -ENOENT);
	assert_null(iommuctl_debugfs_error(ctx));
	assert_int_equal(iommuctl_vtd_regsets(ctx, NULL, NULL), -EINVAL);
	assert_int_equal(iommuctl_vtd_regsets(NULL, regs_cb, NULL), -EINVAL);
	assert_null(iommuctl_debugfs_error(NULL));
	iommuctl_unref(ctx);
}

/* --- why ----------------------------------------------------------------------- */

static void expect_why(const char *root, const char *file, int want_rc,
		       const char *want1, const char *want2)
{
	struct iommuctl_ctx *ctx = ctx_at(root);
	char *why = (char *)"junk";
	int rc = iommuctl_debugfs_why(ctx, file, &why);

	if (rc != want_rc)
		fail_msg("%s %s: %d (%s) instead of %d", root, file, rc,
			 why ? why : "", want_rc);
	if (!want1) {
		assert_null(why);
	} else {
		assert_non_null(why);
		if (!strstr(why, want1) || (want2 && !strstr(why, want2)))
			fail_msg("%s %s: \"%s\" does not say \"%s\"/\"%s\"",
				 root, file, why, want1, want2 ? want2 : "");
	}
	free(why);
	iommuctl_unref(ctx);
}

static void mkdirs(const char *rel)
{
	char *cmd;

	assert_true(asprintf(&cmd, "mkdir -p '%s/%s'", tree_top, rel) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static void test_why(void **state)
{
	struct iommuctl_ctx *ctx;
	char *why;

	(void)state;
	expect_why("vtd", "intel/iommu_regset", 0, NULL, NULL);
	expect_why("vtd-sm", "intel/ir_translation_struct", 0, NULL, NULL);
	expect_why("vtd", "intel/0000:00:03.0/domain_translation_struct", 0,
		   NULL, NULL);
	expect_why("vtd", "intel/domain_translation_struct", -ENOENT, "6.7",
		   NULL);
	expect_why("vtd", "intel/0000:00:03.0/1/domain_translation_struct",
		   -ENOENT, "PASID 1", NULL);
	expect_why("vtd", "intel/0000:09:00.0/domain_translation_struct",
		   -ENOENT, "0000:09:00.0", NULL);

	/* AMD-Vi: intel/ files do not exist there, and never page tables */
	expect_why("amd", "intel/iommu_regset", -ENOENT, "AMD-Vi", "ivhd0");
	expect_why("amd", "intel/0000:00:03.0/domain_translation_struct",
		   -ENOENT, "never prints page tables", NULL);
	expect_why("amd", "amd/iommu00/cmdbuf", -ENOENT, "6.17", NULL);
	expect_why("amd", "amd/iommu00", 0, NULL, NULL);

	/* no unit but the selftest mock */
	expect_why("plain", "intel/iommu_regset", -ENOENT, "no IOMMU unit",
		   "CONFIG_INTEL_IOMMU");

	/* nothing in the tree at all */
	mkdirs("empty");
	expect_why("empty", "intel/iommu_regset", -ENOENT,
		   "debugfs is not mounted: mount -t debugfs none "
		   "/sys/kernel/debug",
		   NULL);
	/* debugfs without the iommu directory */
	mkdirs("noiommu/sys/kernel/debug/tracing");
	expect_why("noiommu", "intel/iommu_regset", -ENOENT,
		   "CONFIG_IOMMU_DEBUGFS", "distribution");
	/* iommu directory, a VT-d unit, no intel/ */
	mkdirs("nointel/sys/kernel/debug/iommu");
	mkdirs("nointel/sys/class/iommu/dmar0/intel-iommu");
	expect_why("nointel", "intel/iommu_regset", -ENOENT,
		   "CONFIG_INTEL_IOMMU_DEBUGFS", NULL);
	expect_why("nointel", "amd/devtbl", -ENOENT, "Intel VT-d (dmar0)",
		   NULL);
	/* an AMD-Vi unit, no amd/ */
	mkdirs("noamd/sys/kernel/debug/iommu");
	mkdirs("noamd/sys/class/iommu/ivhd0/amd-iommu");
	expect_why("noamd", "amd/iommu00", -ENOENT, "CONFIG_AMD_IOMMU_DEBUGFS",
		   NULL);
	/* another kind of unit */
	mkdirs("smmu/sys/kernel/debug/iommu");
	mkdirs("smmu/sys/class/iommu/smmu3.0x0000000009050000");
	expect_why("smmu", "intel/iommu_regset", -ENOENT,
		   "smmu3.0x0000000009050000 (arm-smmu-v3)", NULL);

	ctx = ctx_at("vtd");
	assert_int_equal(iommuctl_debugfs_why(ctx, "../../../etc/passwd", &why),
			 -EINVAL);
	assert_null(why);
	assert_int_equal(iommuctl_debugfs_why(ctx, "/intel", &why), -EINVAL);
	assert_int_equal(iommuctl_debugfs_why(ctx, "", &why), -EINVAL);
	assert_int_equal(iommuctl_debugfs_why(ctx, "intel//x", &why), -EINVAL);
	assert_int_equal(iommuctl_debugfs_why(ctx, NULL, &why), -EINVAL);
	assert_int_equal(iommuctl_debugfs_why(ctx, "intel", NULL), -EINVAL);
	iommuctl_unref(ctx);
}

/* --- AMD-Vi command buffers (Linux 6.17+) ---------------------------------- */

/* The command buffer captured from the amd VM on Linux 7.3
 * (tests/fixtures/amd-7.3/README). */
static char *amd73_cmdbuf(size_t *len)
{
	char *path, *buf;
	FILE *f;

	assert_true(asprintf(&path, "%s/tests/fixtures/amd-7.3/cmdbuf",
			     IOMMUCTL_SRCDIR) > 0);
	f = fopen(path, "r");
	assert_non_null(f);
	buf = malloc(65536);
	assert_non_null(buf);
	*len = fread(buf, 1, 65536, f);
	assert_true(*len > 0 && *len < 65536);
	buf[*len] = '\0';
	fclose(f);
	free(path);
	return buf;
}

/* <tree_top>/<name>: an AMD-Vi system (ivhd0) on a 6.17+ kernel whose
 * amd/iommuXX/cmdbuf are the captured one. */
static void amd73_tree(const char *name, const char *const *units)
{
	char *text, *rel, *dir;
	size_t len;

	text = amd73_cmdbuf(&len);
	for (; *units; units++) {
		assert_true(asprintf(&rel, "amd/%s/cmdbuf", *units) > 0);
		put(name, rel, text, len);
		free(rel);
	}
	put(name, "amd/devid", "", 0);
	assert_true(asprintf(&dir, "%s/sys/class/iommu/ivhd0/amd-iommu", name) >
		    0);
	mkdirs(dir);
	free(dir);
	free(text);
}

struct cmdbuf_seen {
	int units;
	char unit[3][16];
	unsigned int index[3];
	uint64_t head, tail;
	unsigned int slots, last_index;
	unsigned int by_opcode[16];
	struct iommuctl_amd_cmd at[4]; /* slots 0, 367, 368, 377 */
	const char *names[4];
	int stop_after;
};

static int cmdbuf_unit(const struct iommuctl_amd_cmdbuf *b, void *arg)
{
	struct cmdbuf_seen *s = arg;

	assert_true(s->units < 3);
	snprintf(s->unit[s->units], sizeof(s->unit[0]), "%s", b->unit);
	s->index[s->units] = b->index;
	s->units++;
	s->head = b->head;
	s->tail = b->tail;
	return 0;
}

static int cmdbuf_slot(const struct iommuctl_amd_cmdbuf *b,
		       const struct iommuctl_amd_cmd *c, void *arg)
{
	static const unsigned int want[] = { 0, 367, 368, 377 };
	struct cmdbuf_seen *s = arg;
	size_t i;

	assert_string_equal(b->unit, s->unit[s->units - 1]);
	s->slots++;
	s->last_index = c->index;
	assert_true(c->opcode < 16);
	assert_int_equal(c->opcode, c->dw[1] >> 28);
	s->by_opcode[c->opcode]++;
	for (i = 0; i < 4; i++) {
		if (c->index == want[i]) {
			s->at[i] = *c;
			s->names[i] = c->name; /* static strings */
		}
	}
	if (s->stop_after && (int)s->slots == s->stop_after)
		return 42;
	return 0;
}

static void test_amd_unit_index(void **state)
{
	(void)state;
	assert_int_equal(iommuctl_amd_unit_index("ivhd0"), 0);
	assert_int_equal(iommuctl_amd_unit_index("ivhd12"), 12);
	assert_int_equal(iommuctl_amd_unit_index("iommu01"), 1);
	assert_int_equal(iommuctl_amd_unit_index("iommu12"), 12);
	assert_int_equal(iommuctl_amd_unit_index("iommu1"), -EINVAL);
	assert_int_equal(iommuctl_amd_unit_index("ivhd"), -EINVAL);
	assert_int_equal(iommuctl_amd_unit_index("ivhd1x"), -EINVAL);
	assert_int_equal(iommuctl_amd_unit_index("ivhd65536"), -EINVAL);
	assert_int_equal(iommuctl_amd_unit_index("dmar0"), -EINVAL);
	assert_int_equal(iommuctl_amd_unit_index(NULL), -EINVAL);
}

static void expect_file(const char *root, const char *unit, int want_rc,
			const char *want)
{
	struct iommuctl_ctx *ctx = ctx_at(root);
	char buf[64];

	assert_int_equal(iommuctl_invalidation_file(ctx, unit, buf,
						    sizeof(buf)),
			 want_rc);
	assert_string_equal(buf, want);
	iommuctl_unref(ctx);
}

/* Which file holds a unit's invalidation queue. */
static void test_invalidation_file(void **state)
{
	struct iommuctl_ctx *ctx = ctx_at("vtd");
	char small[8];

	(void)state;
	expect_file("vtd", NULL, 0, "intel/invalidation_queue");
	expect_file("vtd", "dmar0", 0, "intel/invalidation_queue");
	expect_file("vtd", "dmar7", 0, "intel/invalidation_queue");
	/* a debugfs name is AMD-Vi's, whatever the system has */
	expect_file("vtd", "iommu02", 1, "amd/iommu02/cmdbuf");
	expect_file("amd", NULL, 1, "amd/iommu00/cmdbuf");
	expect_file("amd", "ivhd0", 1, "amd/iommu00/cmdbuf");
	expect_file("amd", "iommu03", 1, "amd/iommu03/cmdbuf");
	/* no such unit, but an AMD-Vi system: that unit's file explains */
	expect_file("amd", "ivhd3", 1, "amd/iommu03/cmdbuf");
	/* a system with no AMD-Vi unit without VT-d ones: VT-d's file */
	expect_file("vtd", "ivhd3", 0, "intel/invalidation_queue");
	expect_file("plain", NULL, 0, "intel/invalidation_queue");
	assert_int_equal(iommuctl_invalidation_file(ctx, NULL, small,
						    sizeof(small)),
			 -ENOSPC);
	assert_int_equal(iommuctl_invalidation_file(ctx, NULL, NULL, 8),
			 -EINVAL);
	iommuctl_unref(ctx);
}

static void test_amd_cmdbuf(void **state)
{
	static const char *const one[] = { "iommu00", NULL };
	static const char *const three[] = { "iommu10", "iommu00", "iommu02",
					     NULL };
	struct cmdbuf_seen s = { 0 };
	struct iommuctl_ctx *ctx;

	(void)state;
	amd73_tree("amd73", one);
	ctx = ctx_at("amd73");
	assert_int_equal(
		iommuctl_amd_cmdbufs(ctx, cmdbuf_unit, cmdbuf_slot, &s), 0);
	assert_null(iommuctl_debugfs_error(ctx));
	/* "CMD Buffer Head Offset:379 Tail Offset:379", 512 slots */
	assert_int_equal(s.units, 1);
	assert_string_equal(s.unit[0], "iommu00");
	assert_int_equal(s.index[0], 0);
	assert_int_equal(s.head, 379);
	assert_int_equal(s.tail, 379);
	assert_int_equal(s.slots, 512);
	assert_int_equal(s.last_index, 511);
	/* opcodes counted with awk over the file */
	assert_int_equal(s.by_opcode[1], 58);
	assert_int_equal(s.by_opcode[2], 62);
	assert_int_equal(s.by_opcode[3], 391);
	assert_int_equal(s.by_opcode[8], 1);
	assert_int_equal(s.by_opcode[0], 0);
	/*   0: 00000000 300005fe fffff003 7fffffff (flush all of domain
	 *      0x5fe: address 0x7ffffffffffff000, S and PDE set) */
	assert_int_equal(s.at[0].dw[0], 0);
	assert_int_equal(s.at[0].dw[1], 0x300005fe);
	assert_int_equal(s.at[0].dw[2], 0xfffff003);
	assert_int_equal(s.at[0].dw[3], 0x7fffffff);
	assert_int_equal(s.at[0].opcode, 3);
	assert_string_equal(s.names[0], "INVALIDATE_IOMMU_PAGES");
	/* 367: 00000400 20000000 00000000 00000000 (device 04:00.0) */
	assert_int_equal(s.at[1].index, 367);
	assert_int_equal(s.at[1].dw[0], 0x400);
	assert_string_equal(s.names[1], "INVALIDATE_DEVTAB_ENTRY");
	/* 368: 00165001 10000000 00000037 00000000 */
	assert_int_equal(s.at[2].dw[0], 0x165001);
	assert_int_equal(s.at[2].dw[2], 0x37);
	assert_string_equal(s.names[2], "COMPLETION_WAIT");
	/* 377: 00000000 80000000 00000000 00000000 */
	assert_string_equal(s.names[3], "INVALIDATE_IOMMU_ALL");
	assert_int_equal(s.at[3].opcode, 8);

	/* a nonzero callback return stops the walk and is returned */
	memset(&s, 0, sizeof(s));
	s.stop_after = 5;
	assert_int_equal(
		iommuctl_amd_cmdbufs(ctx, cmdbuf_unit, cmdbuf_slot, &s), 42);
	assert_int_equal(s.slots, 5);
	/* no unit callback: fine */
	memset(&s, 0, sizeof(s));
	s.units = 1;
	snprintf(s.unit[0], sizeof(s.unit[0]), "iommu00");
	assert_int_equal(iommuctl_amd_cmdbufs(ctx, NULL, cmdbuf_slot, &s), 0);
	assert_int_equal(s.slots, 512);
	assert_int_equal(iommuctl_amd_cmdbufs(ctx, cmdbuf_unit, NULL, &s),
			 -EINVAL);
	assert_int_equal(iommuctl_amd_cmdbufs(NULL, cmdbuf_unit, cmdbuf_slot,
					      &s),
			 -EINVAL);
	iommuctl_unref(ctx);

	/* units in index order, the index from the name */
	amd73_tree("amd73x3", three);
	put("amd73x3", "amd/iommu_other/x", "", 0);
	ctx = ctx_at("amd73x3");
	memset(&s, 0, sizeof(s));
	assert_int_equal(
		iommuctl_amd_cmdbufs(ctx, cmdbuf_unit, cmdbuf_slot, &s), 0);
	assert_int_equal(s.units, 3);
	assert_string_equal(s.unit[0], "iommu00");
	assert_string_equal(s.unit[1], "iommu02");
	assert_string_equal(s.unit[2], "iommu10");
	assert_int_equal(s.index[1], 2);
	assert_int_equal(s.index[2], 10);
	assert_int_equal(s.slots, 3 * 512);
	iommuctl_unref(ctx);
}

static void test_amd_cmdbuf_missing(void **state)
{
	static const char *const fx[] = { "amd", "vtd", "plain" };
	struct cmdbuf_seen s = { 0 };
	struct iommuctl_ctx *ctx;
	size_t i;

	(void)state;
	/* 6.12: amd/iommu00 is an empty directory; VT-d: no amd/ */
	for (i = 0; i < sizeof(fx) / sizeof(fx[0]); i++) {
		ctx = ctx_at(fx[i]);
		assert_int_equal(iommuctl_amd_cmdbufs(ctx, cmdbuf_unit,
						      cmdbuf_slot, &s),
				 -ENOENT);
		assert_null(iommuctl_debugfs_error(ctx));
		iommuctl_unref(ctx);
	}
	assert_int_equal(s.units, 0);
	/* amd/ without a unit directory */
	put("amdnounit", "amd/devid", "", 0);
	ctx = ctx_at("amdnounit");
	assert_int_equal(iommuctl_amd_cmdbufs(ctx, NULL, cmdbuf_slot, &s),
			 -ENOENT);
	iommuctl_unref(ctx);
}

static int any_cmd(const struct iommuctl_amd_cmdbuf *b,
		   const struct iommuctl_amd_cmd *c, void *arg)
{
	(void)b, (void)c;
	++*(int *)arg;
	return 0;
}

static int cmdbuf_read_as(const char *text, size_t len, char **err, int *n)
{
	struct iommuctl_ctx *ctx;
	const char *e;
	int rc;

	put("badamd", "amd/iommu00/cmdbuf", text, len);
	ctx = ctx_at("badamd");
	*n = 0;
	rc = iommuctl_amd_cmdbufs(ctx, NULL, any_cmd, n);
	e = iommuctl_debugfs_error(ctx);
	*err = e ? strdup(e) : NULL;
	iommuctl_unref(ctx);
	return rc;
}

/* -EINVAL naming line @line (0: no line, the file as a whole) */
static void cmdbuf_bad(const char *text, size_t len, unsigned int line)
{
	char *err, want[64];
	int n, rc = cmdbuf_read_as(text, len, &err, &n);

	if (rc != -EINVAL)
		fail_msg("%d instead of -EINVAL for \"%s\"", rc, text);
	assert_non_null(err);
	if (line)
		snprintf(want, sizeof(want),
			 "amd/iommu00/cmdbuf line %u: ", line);
	else
		snprintf(want, sizeof(want), "amd/iommu00/cmdbuf: ");
	if (strncmp(err, want, strlen(want)))
		fail_msg("error \"%s\" does not start with \"%s\"", err, want);
	free(err);
}

static int cmdbuf_good(const char *text)
{
	char *err;
	int n, rc = cmdbuf_read_as(text, strlen(text), &err, &n);

	if (rc != 0)
		fail_msg("%d (%s) for \"%s\"", rc, err ? err : "no text", text);
	assert_null(err);
	return n;
}

#define CMDBUF_BAD(text, line) cmdbuf_bad(text, sizeof(text) - 1, line)
#define CMD_HDR "CMD Buffer Head Offset:2 Tail Offset:2\n"
#define CMD_ROW0 "  0: 00000000 300005fe fffff003 7fffffff\n"

static void test_malformed_cmdbuf(void **state)
{
	(void)state;
	/* rows without the header, and broken headers */
	CMDBUF_BAD(CMD_ROW0, 1);
	CMDBUF_BAD("\n" CMD_ROW0 CMD_HDR, 2);
	CMDBUF_BAD("CMD Buffer Head Offset:x Tail Offset:2\n", 1);
	CMDBUF_BAD("CMD Buffer Head Offset:2 Tail Offset:\n", 1);
	CMDBUF_BAD("CMD Buffer Head Offset:2Tail Offset:2\n", 1);
	CMDBUF_BAD("CMD Buffer Head Offset:-1 Tail Offset:2\n", 1);
	CMDBUF_BAD("CMD Buffer Head Offset:32768 Tail Offset:2\n", 1);
	CMDBUF_BAD("CMD Buffer Head Offset:2 Tail Offset:2 Size:512\n", 1);
	CMDBUF_BAD("CMD Buffer Head Offset:2 Tail Offset:0x2\n", 1);
	CMDBUF_BAD(CMD_HDR CMD_ROW0 CMD_HDR, 3);
	/* rows */
	CMDBUF_BAD(CMD_HDR "  0: 00000000 300005fe fffff003\n", 2);
	CMDBUF_BAD(CMD_HDR "  0: 00000000 300005fe fffff003 7fffffff 0\n", 2);
	CMDBUF_BAD(CMD_HDR "  0: 00000000 300005fe fffff003 17fffffff\n", 2);
	CMDBUF_BAD(CMD_HDR "  0 00000000 300005fe fffff003 7fffffff\n", 2);
	CMDBUF_BAD(CMD_HDR "  0: 00000000 300005fe fffff0zz 7fffffff\n", 2);
	CMDBUF_BAD(CMD_HDR " -1: 00000000 300005fe fffff003 7fffffff\n", 2);
	CMDBUF_BAD(CMD_HDR "  0: 00000000300005fefffff0037fffffff\n", 2);
	CMDBUF_BAD(CMD_HDR "  0:\n", 2);
	/* slots out of order: a lost or repeated line */
	CMDBUF_BAD(CMD_HDR "  1: 00000000 300005fe fffff003 7fffffff\n", 2);
	CMDBUF_BAD(CMD_HDR CMD_ROW0 CMD_ROW0, 3);
	CMDBUF_BAD(CMD_HDR CMD_ROW0
		   "  2: 00000000 300005fe fffff003 7fffffff\n",
		   3);
	CMDBUF_BAD(CMD_HDR "  0: 00000000 300005fe\0 fffff003 7fffffff\n", 2);
	/* no header at all */
	cmdbuf_bad("", 0, 0);
	CMDBUF_BAD("\n\n", 0);

	/* tolerated: CRLF, blank lines, trailing blanks, no final newline,
	 * fewer slots than the driver has, unknown opcodes */
	assert_int_equal(cmdbuf_good("\r\n" CMD_HDR "\n" CMD_ROW0
				     "  1: 00000000 f0000000 0 0 \t\r\n"
				     "  2: 1 2 3 4"),
			 3);
	assert_int_equal(cmdbuf_good(CMD_HDR), 0);
}

static void test_why_amd(void **state)
{
	static const char *const one[] = { "iommu00", NULL };

	(void)state;
	amd73_tree("amd73", one);
	/* 6.17+: the files are there */
	expect_why("amd73", "amd/iommu00/cmdbuf", 0, NULL, NULL);
	expect_why("amd73", "amd/iommu05/cmdbuf", -ENOENT, "iommu05",
		   "no unit with index 5");
	expect_why("amd73", "amd/devtbl", -ENOENT,
		   "this kernel does not offer iommu/amd/devtbl", NULL);
	expect_why("amd73", "amd/iommu00/pgtbl", -ENOENT,
		   "never prints page tables", NULL);
	expect_why("amd73", "intel/iommu_regset", -ENOENT, "amd/iommuXX/mmio",
		   "does not write");
	expect_why("amd73", "intel/dmar_translation_struct", -ENOENT,
		   "amd/devtbl", "amd/devid");
	expect_why("amd73", "intel/ir_translation_struct", -ENOENT,
		   "amd/irqtbl", "does not write");
	expect_why("amd73", "intel/invalidation_queue", -ENOENT,
		   "amd/iommuXX/cmdbuf shows the command buffer", NULL);
	expect_why("amd73", "intel/0000:00:03.0/domain_translation_struct",
		   -ENOENT, "never prints page tables", NULL);
	expect_why("amd73", "intel/domain_translation_struct", -ENOENT,
		   "never prints page tables", NULL);

	/* 6.12: empty amd/iommuXX directories */
	expect_why("amd", "amd/iommu00/cmdbuf", -ENOENT, "empty amd/iommuXX",
		   "appear in Linux 6.17");
	expect_why("amd", "amd/devtbl", -ENOENT, "appear in Linux 6.17", NULL);
	expect_why("amd", "intel/iommu_regset", -ENOENT,
		   "Linux 6.17 added amd/iommuXX/mmio", "this kernel is older");
	expect_why("amd", "intel/invalidation_queue", -ENOENT,
		   "Linux 6.17 added amd/iommuXX/cmdbuf",
		   "this kernel is older");
	expect_why("amd", "intel/domain_translation_struct", -ENOENT,
		   "never prints page tables", NULL);
	expect_why("amd", "amd/iommu00/pgtbl", -ENOENT,
		   "never prints page tables", NULL);

	/* an AMD-Vi unit, IOMMU debugfs, no amd/ */
	mkdirs("noamd2/sys/kernel/debug/iommu");
	mkdirs("noamd2/sys/class/iommu/ivhd0/amd-iommu");
	expect_why("noamd2", "intel/iommu_regset", -ENOENT,
		   "without CONFIG_AMD_IOMMU_DEBUGFS",
		   "Linux 6.17+ has amd/iommuXX/mmio");
	expect_why("noamd2", "amd/iommu00/cmdbuf", -ENOENT,
		   "CONFIG_AMD_IOMMU_DEBUGFS", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regset),
		cmocka_unit_test(test_regset_status),
		cmocka_unit_test(test_contexts_legacy),
		cmocka_unit_test(test_contexts_scalable),
		cmocka_unit_test(test_contexts_get),
		cmocka_unit_test(test_contexts_off),
		cmocka_unit_test(test_contexts_encodings),
		cmocka_unit_test(test_invalidation_queue),
		cmocka_unit_test(test_qi_types),
		cmocka_unit_test(test_irtes),
		cmocka_unit_test(test_irtes_posted),
		cmocka_unit_test(test_irte_bits),
		cmocka_unit_test(test_malformed_regset),
		cmocka_unit_test(test_malformed_contexts),
		cmocka_unit_test(test_malformed_qi),
		cmocka_unit_test(test_malformed_ir),
		cmocka_unit_test(test_missing_files),
		cmocka_unit_test(test_why),
		cmocka_unit_test(test_invalidation_file),
		cmocka_unit_test(test_amd_cmdbuf),
		cmocka_unit_test(test_amd_cmdbuf_missing),
		cmocka_unit_test(test_amd_unit_index),
		cmocka_unit_test(test_malformed_cmdbuf),
		cmocka_unit_test(test_why_amd),
	};

	return cmocka_run_group_tests_name("debugfs", tests, setup,
					   tree_teardown);
}
