// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: the pure parts of iommufd sessions. Sizes and
 * addresses as users type them; object names; and the object graph the
 * session keeps because the kernel cannot list objects: who holds whom,
 * refusing to destroy a held object (before any ioctl, so the test needs
 * no /dev/iommu: the session's fd is -1 and any ioctl would fail EBADF),
 * the explanation naming the holders, automatic hwpts vanishing when
 * their last device leaves, and the pins an unmap makes accesses release.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "private.h"

static void test_parse_size(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(iommuctl_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(iommuctl_parse_size("0x1000", &v), 0);
	assert_int_equal(v, 0x1000);
	assert_int_equal(iommuctl_parse_size("0XfeE00000", &v), 0);
	assert_int_equal(v, 0xfee00000ULL);
	assert_int_equal(iommuctl_parse_size("4k", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(iommuctl_parse_size("2M", &v), 0);
	assert_int_equal(v, 2ULL << 20);
	assert_int_equal(iommuctl_parse_size("1G", &v), 0);
	assert_int_equal(v, 1ULL << 30);
	assert_int_equal(iommuctl_parse_size("1GiB", &v), 0);
	assert_int_equal(v, 1ULL << 30);
	assert_int_equal(iommuctl_parse_size("3KB", &v), 0);
	assert_int_equal(v, 3072);
	assert_int_equal(iommuctl_parse_size("16T", &v), 0);
	assert_int_equal(v, 16ULL << 40);
	assert_int_equal(iommuctl_parse_size("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(iommuctl_parse_size("0xffffffffffffffff", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(iommuctl_parse_size("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(iommuctl_parse_size("0x00000000000000000000ff", &v),
			 0);
	assert_int_equal(v, 0xff);
	assert_int_equal(iommuctl_parse_size("0xAbCdEf", &v), 0);
	assert_int_equal(v, 0xabcdef);
	assert_int_equal(iommuctl_parse_size("0004k", &v), 0);
	assert_int_equal(v, 4096);

	v = 7;
	assert_int_equal(iommuctl_parse_size("0x10000000000000000", &v),
			 -ERANGE);
	assert_int_equal(iommuctl_parse_size("18446744073709551616", &v),
			 -ERANGE);
	assert_int_equal(iommuctl_parse_size("16777216T", &v), -ERANGE);
	/* past an overflow the rest is read, as strtoull() reads it */
	assert_int_equal(iommuctl_parse_size("0x10000000000000000z", &v),
			 -ERANGE);
	assert_int_equal(iommuctl_parse_size("184467440737095516160k", &v),
			 -ERANGE);
	assert_int_equal(iommuctl_parse_size("0x1g", &v), -EINVAL);
	assert_int_equal(iommuctl_parse_size("0x0x1", &v), -EINVAL);
	assert_int_equal(iommuctl_parse_size("00x1", &v), -EINVAL);
	assert_int_equal(iommuctl_parse_size("", &v), -EINVAL);
	assert_int_equal(iommuctl_parse_size("k", &v), -EINVAL);
	assert_int_equal(iommuctl_parse_size("-1", &v), -EINVAL);
	assert_int_equal(iommuctl_parse_size("+1", &v), -EINVAL);
	assert_int_equal(iommuctl_parse_size(" 1", &v), -EINVAL);
	assert_int_equal(iommuctl_parse_size("1 ", &v), -EINVAL);
	assert_int_equal(iommuctl_parse_size("0x", &v), -EINVAL);
	assert_int_equal(iommuctl_parse_size("0x1k", &v), -EINVAL);
	assert_int_equal(iommuctl_parse_size("2Mx", &v), -EINVAL);
	assert_int_equal(iommuctl_parse_size("2MiBB", &v), -EINVAL);
	assert_int_equal(iommuctl_parse_size("4q", &v), -EINVAL);
	assert_int_equal(iommuctl_parse_size("1.5M", &v), -EINVAL);
	assert_int_equal(iommuctl_parse_size(NULL, &v), -EINVAL);
	assert_int_equal(v, 7); /* untouched on error */
}

/* A session with no /dev/iommu behind it: graph logic only. */
static struct iommuctl_session *fake_session(void)
{
	struct iommuctl_session *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	assert_int_equal(iommuctl_new(&s->ctx), 0); /* for its error slot */
	s->fd = -1;
	s->selftest = 0;
	return s;
}

static void fake_free(struct iommuctl_session *s)
{
	while (s->first)
		ses_obj_free(s->first);
	iommuctl_unref(s->ctx);
	free(s);
}

static void test_names(void **state)
{
	struct iommuctl_session *s = fake_session();
	struct iommuctl_obj *a = ses_obj_new(s, &ioas_ops, 1);
	struct iommuctl_obj *b = ses_obj_new(s, &ioas_ops, 12);

	(void)state;
	assert_int_equal(iommuctl_obj_set_name(a, "guest"), 0);
	assert_int_equal(iommuctl_obj_set_name(b, "guest"), -EEXIST);
	assert_int_equal(iommuctl_obj_set_name(b, "1abc"), -EINVAL);
	assert_int_equal(iommuctl_obj_set_name(b, "a b"), -EINVAL);
	assert_int_equal(iommuctl_obj_set_name(b, ""), -EINVAL);
	assert_int_equal(iommuctl_obj_set_name(b, "x-y_z.1"), 0);
	assert_ptr_equal(iommuctl_session_find(s, "guest"), a);
	assert_ptr_equal(iommuctl_session_find(s, "1"), a);
	assert_ptr_equal(iommuctl_session_find(s, "12"), b);
	assert_ptr_equal(iommuctl_session_find(s, "x-y_z.1"), b);
	assert_null(iommuctl_session_find(s, "2"));
	assert_null(iommuctl_session_find(s, "01x"));
	assert_null(iommuctl_session_find(s, "99999999999"));
	assert_string_equal(iommuctl_obj_label(a), "ioas 1 (guest)");
	/* renaming drops the cached label */
	assert_int_equal(iommuctl_obj_set_name(a, NULL), 0);
	assert_string_equal(iommuctl_obj_label(a), "ioas 1");
	fake_free(s);
}

/*
 * ioas 1 <- hwpt 2 (auto) <- device 3 (mock)
 * ioas 1 <- hwpt 4 (nest parent) <- hwpt 5 (nested, fault 6)
 * ioas 1 <- access
 */
static void test_graph(void **state)
{
	struct iommuctl_session *s = fake_session();
	struct iommuctl_obj *ioas = ses_obj_new(s, &ioas_ops, 1);
	struct iommuctl_obj *autoh = ses_obj_new(s, &hwpt_paging_ops, 2);
	struct iommuctl_obj *dev = ses_obj_new(s, &device_ops, 3);
	struct iommuctl_obj *np = ses_obj_new(s, &hwpt_paging_ops, 4);
	struct iommuctl_obj *nested = ses_obj_new(s, &hwpt_nested_ops, 5);
	struct iommuctl_obj *fault = ses_obj_new(s, &fault_ops, 6);
	struct iommuctl_obj *acc = ses_obj_new(s, &access_ops, 0);
	struct iommuctl_obj **u;
	struct iommuctl_obj_info in;
	size_t n;

	(void)state;
	autoh->auto_hwpt = true;
	autoh->ioas = ioas;
	dev->mock = true;
	dev->dev_name = strdup("iommufd_mock0");
	dev->attached = autoh;
	np->ioas = ioas;
	np->flags = IOMMUCTL_HWPT_NEST_PARENT;
	nested->parent = np;
	nested->fault = fault;
	acc->ioas = ioas;
	assert_int_equal(iommuctl_obj_set_name(acc, "mdev"), 0);

	assert_int_equal(iommuctl_obj_users(ioas, &u, &n), 0);
	assert_int_equal(n, 3);
	assert_ptr_equal(u[0], autoh);
	assert_ptr_equal(u[1], np);
	assert_ptr_equal(u[2], acc);
	free(u);
	assert_int_equal(iommuctl_obj_users(fault, &u, &n), 0);
	assert_int_equal(n, 1);
	assert_ptr_equal(u[0], nested);
	free(u);
	assert_int_equal(iommuctl_obj_users(dev, &u, &n), 0);
	assert_int_equal(n, 0);
	assert_null(u);

	/* a nested hwpt and a device report the IOAS they translate through */
	iommuctl_obj_get_info(nested, &in);
	assert_ptr_equal(in.ioas, ioas);
	assert_ptr_equal(in.parent, np);
	iommuctl_obj_get_info(dev, &in);
	assert_ptr_equal(in.ioas, ioas);
	assert_ptr_equal(in.attached, autoh);
	assert_true(in.mock);

	/* refused before any ioctl, naming every holder */
	assert_int_equal(iommuctl_obj_destroy(ioas), -EBUSY);
	assert_non_null(
		strstr(iommuctl_session_error(s), "ioas 1 is in use by"));
	assert_non_null(
		strstr(iommuctl_session_error(s),
		       "hwpt 2 (made by the kernel when device 3 attached)"));
	assert_non_null(strstr(iommuctl_session_error(s), "hwpt 4"));
	assert_non_null(strstr(iommuctl_session_error(s), "access (mdev)"));
	assert_non_null(strstr(iommuctl_session_error(s),
			       "move or destroy the device"));
	assert_int_equal(iommuctl_obj_destroy(np), -EBUSY);
	assert_non_null(strstr(iommuctl_session_error(s), "hwpt 5"));
	assert_int_equal(iommuctl_obj_destroy(fault), -EBUSY);
	assert_non_null(strstr(iommuctl_session_error(s), "hwpt 5"));
	assert_int_equal(iommuctl_obj_destroy(autoh), -EBUSY);
	assert_non_null(strstr(iommuctl_session_error(s),
			       "device 3 (mock iommufd_mock0, attached)"));
	/* nothing changed by the refusals */
	assert_ptr_equal(iommuctl_session_first(s), ioas);
	assert_ptr_equal(dev->attached, autoh);

	/* the device leaves: its automatic hwpt goes with it */
	dev->attached = NULL;
	ses_detached(autoh);
	assert_null(iommuctl_session_find_id(s, 2));
	/* a user hwpt stays */
	ses_detached(np);
	assert_ptr_equal(iommuctl_session_find_id(s, 4), np);
	/* freeing clears every reference to the freed object */
	ses_obj_free(nested);
	ses_obj_free(np);
	assert_int_equal(iommuctl_obj_users(ioas, &u, &n), 0);
	assert_int_equal(n, 1);
	free(u);
	fake_free(s);
}

/* A second device on the same automatic hwpt keeps it alive. */
static void test_auto_hwpt_shared(void **state)
{
	struct iommuctl_session *s = fake_session();
	struct iommuctl_obj *ioas = ses_obj_new(s, &ioas_ops, 1);
	struct iommuctl_obj *h, *h2;
	struct iommuctl_obj *d1 = ses_obj_new(s, &device_ops, 3);
	struct iommuctl_obj *d2 = ses_obj_new(s, &device_ops, 5);

	(void)state;
	h = ses_hwpt_for_attach(s, ioas, 2);
	assert_non_null(h);
	assert_true(h->auto_hwpt);
	assert_ptr_equal(h->ioas, ioas);
	h2 = ses_hwpt_for_attach(s, ioas, 2); /* the kernel reused it */
	assert_ptr_equal(h, h2);
	d1->attached = h;
	d2->attached = h;
	d1->attached = NULL;
	ses_detached(h);
	assert_ptr_equal(iommuctl_session_find_id(s, 2), h);
	d2->attached = NULL;
	ses_detached(h);
	assert_null(iommuctl_session_find_id(s, 2));
	/* attaching straight to a hwpt never makes a new object */
	h = ses_obj_new(s, &hwpt_paging_ops, 7);
	assert_ptr_equal(ses_hwpt_for_attach(s, h, 7), h);
	fake_free(s);
}

/* Give @a the pins (id, iova, length) the kernel made, as pin_add() does. */
static void set_pins(struct iommuctl_obj *a, const uint64_t (*v)[3], size_t n)
{
	a->pins = calloc(n, sizeof(*a->pins));
	assert_non_null(a->pins);
	for (size_t i = 0; i < n; i++) {
		a->pins[i].id = (uint32_t)v[i][0];
		a->pins[i].iova = v[i][1];
		a->pins[i].length = v[i][2];
	}
	a->npins = a->cappins = n;
}

/*
 * An unmap of [iova, last] drops the pins the kernel's unmap callback of the
 * selftest access releases: those of the IOAS's accesses overlapping it,
 * touching counts, adjacent does not; other IOASes' accesses keep theirs.
 */
static void test_access_unmapped(void **state)
{
	struct iommuctl_session *s = fake_session();
	struct iommuctl_obj *i1 = ses_obj_new(s, &ioas_ops, 1);
	struct iommuctl_obj *i2 = ses_obj_new(s, &ioas_ops, 2);
	struct iommuctl_obj *a = ses_obj_new(s, &access_ops, 0);
	struct iommuctl_obj *b = ses_obj_new(s, &access_ops, 0);
	static const uint64_t pa[][3] = {
		{ 0, 0x1000, 0x1000 }, /* ends at 0x1fff: beside */
		{ 1, 0x3000, 0x2000 }, /* 0x3000-0x4fff: inside */
		{ 2, 0x3f00, 0x200 }, /* 0x3f00-0x40ff: crosses the end */
		{ 3, 0x4000, 0x1000 }, /* starts past the end */
		{ 7, 0x10000, 0x1000 }, /* far away */
	};
	static const uint64_t pb[][3] = { { 0, 0x3000, 0x1000 } };
	const struct iommuctl_access_pin *p;
	size_t n;

	(void)state;
	a->ioas = i1;
	b->ioas = i2;
	set_pins(a, pa, 5);
	set_pins(b, pb, 1);
	ses_access_unmapped(i1, 0x2000, 0x3fff);
	p = iommuctl_access_get_pins(a, &n);
	assert_int_equal(n, 3);
	assert_int_equal(p[0].id, 0);
	assert_int_equal(p[1].id, 3);
	assert_int_equal(p[2].id, 7);
	assert_non_null(iommuctl_access_get_pins(b, &n));
	assert_int_equal(n, 1);
	/* everything (unmap --all) */
	ses_access_unmapped(i1, 0, UINT64_MAX);
	assert_null(iommuctl_access_get_pins(a, &n));
	assert_int_equal(n, 0);
	assert_null(iommuctl_access_get_pins(i1, &n)); /* not an access */
	assert_int_equal(n, 0);
	fake_free(s);
}

static void test_type_names(void **state)
{
	(void)state;
	assert_string_equal(iommuctl_obj_type_name(IOMMUCTL_OBJ_IOAS), "ioas");
	assert_string_equal(iommuctl_obj_type_name(IOMMUCTL_OBJ_HW_QUEUE),
			    "hw-queue");
	assert_string_equal(iommuctl_obj_type_name(0), "unknown");
	assert_string_equal(iommuctl_obj_type_name(99), "unknown");
	assert_string_equal(iommuctl_mem_kind_name(IOMMUCTL_MEM_HUGETLB),
			    "hugetlb");
	assert_string_equal(iommuctl_mem_kind_name(42), "unknown");
}

static void test_iova_gaps(void **state)
{
	static const struct iommuctl_iova_range r[] = {
		{ 0x1000, 0xfedfffff },
		{ 0xfef00000, 0xffffffffffULL },
	};
	static const struct iommuctl_iova_range all[] = { { 0, UINT64_MAX } };
	static const struct iommuctl_iova_range low[] = { { 0, 0xfff } };
	struct iommuctl_iova_range g[3];

	(void)state;
	/* before the first, between two, after the last */
	assert_int_equal(iommuctl_iova_gaps(r, 2, g), 3);
	assert_int_equal(g[0].start, 0);
	assert_int_equal(g[0].last, 0xfff);
	assert_int_equal(g[1].start, 0xfee00000);
	assert_int_equal(g[1].last, 0xfeefffff);
	assert_int_equal(g[2].start, 0x10000000000ULL);
	assert_int_equal(g[2].last, UINT64_MAX);
	/* none usable: everything is a gap */
	assert_int_equal(iommuctl_iova_gaps(NULL, 0, g), 1);
	assert_int_equal(g[0].start, 0);
	assert_int_equal(g[0].last, UINT64_MAX);
	/* everything usable: no gap; from 0: only the top */
	assert_int_equal(iommuctl_iova_gaps(all, 1, g), 0);
	assert_int_equal(iommuctl_iova_gaps(low, 1, g), 1);
	assert_int_equal(g[0].start, 0x1000);
	assert_int_equal(g[0].last, UINT64_MAX);
	/* adjacent ranges leave no gap between them */
	assert_int_equal(iommuctl_iova_gaps(
				 (const struct iommuctl_iova_range[]){
					 { 0, 0xfff }, { 0x1000, UINT64_MAX } },
				 2, g),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_graph),
		cmocka_unit_test(test_auto_hwpt_shared),
		cmocka_unit_test(test_access_unmapped),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_iova_gaps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
