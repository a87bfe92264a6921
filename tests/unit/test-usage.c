// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: the pure parsers behind iommuctl_device_get_uses():
 * which class devices lie below a PCI device (and which function they
 * belong to), the kernel's octal escapes, device numbers, lines of
 * /proc/self/mountinfo, /proc/swaps, /proc/net/route and
 * /proc/net/ipv6_route, the active console list and netmask prefixes. The
 * inputs are written in the kernel's formats (fs/proc_namespace.c,
 * mm/swapfile.c, net/ipv4/fib_trie.c, net/ipv6/ip6_fib.c,
 * drivers/tty/tty_io.c), including truncated lines and garbage, which must
 * never count as a use. The scan itself needs a live host and is tested in
 * the VMs; here only its argument checks.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <cmocka.h>

#include "private.h"

#define BDF "0000:00:05.0"

static void test_path_below(void **state)
{
	(void)state;
	assert_true(usage_path_below(
		"../../devices/pci0000:00/0000:00:05.0/virtio2/block/vda/vda1",
		BDF));
	assert_true(
		usage_path_below("/sys/devices/pci0000:00/0000:00:05.0", BDF));
	assert_true(usage_path_below("a//0000:00:05.0/", BDF));
	/* behind a bridge: below the bridge and below the function */
	assert_true(usage_path_below("../../devices/pci0000:00/0000:00:1c.0/"
				     "0000:02:00.0/nvme/nvme0/nvme0n1",
				     "0000:00:1c.0"));
	assert_true(usage_path_below("../../devices/pci0000:00/0000:00:1c.0/"
				     "0000:02:00.0/nvme/nvme0/nvme0n1",
				     "0000:02:00.0"));
	/* whole components only */
	assert_false(usage_path_below(
		"../../devices/pci0000:00/0000:00:05.1/net/eth0", BDF));
	assert_false(usage_path_below(
		"../../devices/pci0000:00/0000:00:05.0:pcie001/x", BDF));
	assert_false(usage_path_below(
		"../../devices/pci0000:00/0000:00:05.0/net/eth0", "00:05.0"));
	assert_false(usage_path_below(
		"../../devices/pci0000:00/0000:00:05.0/net/eth0",
		"0000:00:05"));
	assert_false(usage_path_below("../../devices/virtual/net/lo", BDF));
	assert_false(usage_path_below("", BDF));
	assert_false(usage_path_below("/a/b", ""));
	/* holders' partitions: md0p1 lies below md0, not below md1 */
	assert_true(usage_path_below("../../devices/virtual/block/md0/md0p1",
				     "md0"));
	assert_false(usage_path_below("../../devices/virtual/block/md1/md1p1",
				      "md0"));
}

static void test_path_function(void **state)
{
	char *f = NULL;

	(void)state;
	assert_int_equal(
		usage_path_function(
			"../../devices/pci0000:00/0000:00:05.0/virtio2/block/vda",
			BDF, &f),
		0);
	assert_string_equal(f, BDF);
	free(f);
	/* the function behind the bridge, not the bridge */
	assert_int_equal(
		usage_path_function("../../devices/pci0000:00/0000:00:1c.0/"
				    "0000:02:00.0/0000:03:00.1/drm/card0",
				    "0000:00:1c.0", &f),
		0);
	assert_string_equal(f, "0000:03:00.1");
	free(f);
	/* port services, SCSI addresses and buses are no functions */
	assert_int_equal(
		usage_path_function(
			"../../devices/pci0000:00/0000:00:1c.0/"
			"0000:00:1c.0:pcie002/x/0:0:0:0/pci_bus/0000:01",
			"0000:00:1c.0", &f),
		0);
	assert_string_equal(f, "0000:00:1c.0");
	free(f);
	/* an address without its domain is no sysfs PCI device name */
	assert_int_equal(usage_path_function("../../devices/pci0000:00/"
					     "0000:00:1c.0/00:1f.3/x",
					     "0000:00:1c.0", &f),
			 0);
	assert_string_equal(f, "0000:00:1c.0");
	free(f);
	/* functions above the device do not count */
	assert_int_equal(
		usage_path_function("../../devices/pci0000:00/0000:00:1c.0/"
				    "0000:02:00.0/net/eth0",
				    "0000:02:00.0", &f),
		0);
	assert_string_equal(f, "0000:02:00.0");
	free(f);
	f = NULL;
	assert_int_equal(usage_path_function("../../devices/virtual/net/lo",
					     BDF, &f),
			 -ENOENT);
	assert_null(f);
}

static void unescape_n(const char *in, size_t len, const char *want)
{
	char *out = NULL;

	assert_int_equal(usage_unescape(in, len, &out), 0);
	assert_string_equal(out, want);
	free(out);
}

static void unescape_is(const char *in, const char *want)
{
	unescape_n(in, strlen(in), want);
}

static void test_unescape(void **state)
{
	(void)state;
	unescape_is("/mnt/my\\040disk", "/mnt/my disk");
	unescape_is("a\\134b\\011c\\012d", "a\\b\tc\nd");
	unescape_is("plain", "plain");
	unescape_is("", "");
	/* the length bounds the escape: "ab\040" cut after "\0" */
	unescape_n("ab\\040", 4, "ab\\0");
	/* not an escape: short, not octal, NUL, out of range */
	unescape_is("x\\04", "x\\04");
	unescape_is("x\\", "x\\");
	unescape_is("\\089", "\\089");
	unescape_is("\\000", "\\000");
	unescape_is("\\400", "\\400");
	unescape_is("\\101\\102", "AB");
}

static void test_devnum(void **state)
{
	dev_t d = 0;

	(void)state;
	assert_int_equal(usage_parse_devnum("254:0", &d), 0);
	assert_int_equal(major(d), 254);
	assert_int_equal(minor(d), 0);
	assert_int_equal(usage_parse_devnum("259:1048575", &d), 0);
	assert_int_equal(major(d), 259);
	assert_int_equal(minor(d), 1048575);
	assert_int_equal(usage_parse_devnum("4095:7", &d), 0);
	assert_int_equal(major(d), 4095);
	assert_int_equal(usage_parse_devnum("1:1048576", &d), -EINVAL);
	assert_int_equal(usage_parse_devnum("4096:0", &d), -EINVAL);
	assert_int_equal(usage_parse_devnum("99999999999999999999999:0", &d),
			 -EINVAL);
	assert_int_equal(usage_parse_devnum("254:", &d), -EINVAL);
	assert_int_equal(usage_parse_devnum(":0", &d), -EINVAL);
	assert_int_equal(usage_parse_devnum("254", &d), -EINVAL);
	assert_int_equal(usage_parse_devnum("254:0\n", &d), -EINVAL);
	assert_int_equal(usage_parse_devnum("-1:0", &d), -EINVAL);
	assert_int_equal(usage_parse_devnum("0x10:0", &d), -EINVAL);
	assert_int_equal(usage_parse_devnum("8:1:2", &d), -EINVAL);
	assert_int_equal(usage_parse_devnum("", &d), -EINVAL);
}

static void mount_is(const char *line, unsigned int maj, unsigned int min,
		     const char *mp, const char *source)
{
	struct usage_mount m;

	assert_int_equal(usage_parse_mountinfo_line(line, &m), 0);
	assert_int_equal(major(m.dev), maj);
	assert_int_equal(minor(m.dev), min);
	assert_string_equal(m.mountpoint, mp);
	assert_string_equal(m.source, source);
	usage_mount_clear(&m);
	assert_null(m.mountpoint);
	assert_null(m.source);
}

static void mount_bad(const char *line)
{
	struct usage_mount m;

	assert_int_equal(usage_parse_mountinfo_line(line, &m), -EINVAL);
	assert_null(m.mountpoint);
	assert_null(m.source);
}

static void test_mountinfo(void **state)
{
	(void)state;
	mount_is("29 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 "
		 "rw,discard",
		 254, 1, "/", "/dev/vda1");
	/* no tagged fields */
	mount_is("22 27 0:21 / /proc rw,relatime - proc proc rw", 0, 21,
		 "/proc", "proc");
	/* several tagged fields, escapes in the mount point and source */
	mount_is("36 29 8:17 /sub\\040dir /mnt/my\\040disk rw,noatime "
		 "shared:5 master:1 propagate_from:2 unbindable - vfat "
		 "/dev/disk\\040one rw,fmask=0022",
		 8, 17, "/mnt/my disk", "/dev/disk one");
	/* btrfs: an anonymous device, the source names the block device */
	mount_is("40 29 0:33 /@home /home rw,relatime shared:3 - btrfs "
		 "/dev/mapper/vg-root rw,space_cache=v2,subvol=/@home",
		 0, 33, "/home", "/dev/mapper/vg-root");
	/* a mount point called "-" is not the separator */
	mount_is("41 29 254:2 / - rw - ext4 /dev/vda2 rw", 254, 2, "-",
		 "/dev/vda2");
	/* the superblock options are not needed */
	mount_is("42 29 254:3 / /srv rw - xfs /dev/vda3", 254, 3, "/srv",
		 "/dev/vda3");
	/* truncated */
	mount_bad("36 29 8:17 / /mnt rw,relatime");
	mount_bad("36 29 8:17 / /mnt rw,relatime -");
	mount_bad("36 29 8:17 / /mnt rw,relatime - ext4");
	mount_bad("36 29 8:17");
	mount_bad("36 29 8:17 / /mnt");
	mount_bad("");
	/* garbage */
	mount_bad("hello world");
	mount_bad("36 29 8-17 / /mnt rw - ext4 /dev/sdb1 rw");
	mount_bad("x 29 8:17 / /mnt rw - ext4 /dev/sdb1 rw");
	mount_bad("36 29 8:17: / /mnt rw - ext4 /dev/sdb1 rw");
	mount_bad("36  29 8:17 / /mnt rw - ext4 /dev/sdb1 rw");
	mount_bad("36 29 8:17 / /mnt rw -  ext4 /dev/sdb1 rw");
}

static void swap_is(const char *line, int want, const char *path)
{
	char *p = NULL;

	assert_int_equal(usage_parse_swaps_line(line, &p), want);
	if (path)
		assert_string_equal(p, path);
	else
		assert_null(p);
	free(p);
}

static void test_swaps(void **state)
{
	(void)state;
	swap_is("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority", 0, NULL);
	swap_is("/dev/vda3                               partition\t1048572"
		"\t0\t\t-2",
		1, "/dev/vda3");
	swap_is("/dev/dm-1                               partition\t2097148"
		"\t1024\t\t-3",
		1, "/dev/dm-1");
	swap_is("/swap\\040file                           file\t\t524284\t0"
		"\t\t-4",
		1, "/swap file");
	/* a 40-character path gets a single space */
	swap_is("/dev/disk/by-id/a-rather-long-device-name partition\t1\t0\t\t-5",
		1, "/dev/disk/by-id/a-rather-long-device-name");
	/* truncated, empty, garbage */
	swap_is("/dev/vda3", 0, NULL);
	swap_is("", 0, NULL);
	swap_is("garbage here", 0, NULL);
	swap_is(" /dev/vda3 partition 1 0 -2", 0, NULL);
}

static void route_is(int (*fn)(const char *, char **), const char *line,
		     const char *ifname)
{
	char *p = NULL;

	assert_int_equal(fn(line, &p), ifname ? 1 : 0);
	if (ifname)
		assert_string_equal(p, ifname);
	else
		assert_null(p);
	free(p);
}

static void test_route4(void **state)
{
	(void)state;
	route_is(usage_route4_line,
		 "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\t"
		 "Mask\t\tMTU\tWindow\tIRTT                              ",
		 NULL);
	/* the default route, padded with spaces to 127 bytes */
	route_is(usage_route4_line,
		 "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0"
		 "                                                    ",
		 "eth0");
	route_is(usage_route4_line,
		 "enp3s0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0"
		 "\t0",
		 "enp3s0");
	/* a device route, not the default */
	route_is(usage_route4_line,
		 "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
		 NULL);
	/* a zero destination with a mask is no default route */
	route_is(usage_route4_line,
		 "eth0\t00000000\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0",
		 NULL);
	/* not up (a dead next hop), rejected, no device */
	route_is(usage_route4_line,
		 "eth0\t00000000\t010200C0\t0002\t0\t0\t0\t00000000\t0\t0\t0",
		 NULL);
	route_is(usage_route4_line,
		 "eth0\t00000000\t00000000\t0201\t0\t0\t0\t00000000\t0\t0\t0",
		 NULL);
	route_is(usage_route4_line,
		 "*\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0",
		 NULL);
	/* truncated, garbage */
	route_is(usage_route4_line, "eth0\t00000000\t010200C0\t0003", NULL);
	route_is(usage_route4_line,
		 "eth0\t00000000\t010200C0\tzz\t0\t0\t0\t00000000\t0\t0\t0",
		 NULL);
	route_is(usage_route4_line, "", NULL);
}

static void test_route6(void **state)
{
	(void)state;
	/* a default route from a router advertisement */
	route_is(usage_route6_line,
		 "00000000000000000000000000000000 00 "
		 "00000000000000000000000000000000 00 "
		 "fe80000000000000505400fffe123456 00000400 00000003 00000000 "
		 "00450003     eth0",
		 "eth0");
	route_is(usage_route6_line,
		 "00000000000000000000000000000000 00 "
		 "00000000000000000000000000000000 00 "
		 "fd000000000000000000000000000001 00000400 00000003 00000000 "
		 "00000003 enp3s0f0",
		 "enp3s0f0");
	/* the unreachable default of lo: rejected */
	route_is(usage_route6_line,
		 "00000000000000000000000000000000 00 "
		 "00000000000000000000000000000000 00 "
		 "00000000000000000000000000000000 ffffffff 00000001 00000000 "
		 "00200200       lo",
		 NULL);
	/* a prefix route, a host route */
	route_is(usage_route6_line,
		 "fd000000000000000000000000000000 40 "
		 "00000000000000000000000000000000 00 "
		 "00000000000000000000000000000000 00000100 00000001 00000000 "
		 "00000001     eth0",
		 NULL);
	route_is(usage_route6_line,
		 "00000000000000000000000000000000 80 "
		 "00000000000000000000000000000000 00 "
		 "00000000000000000000000000000000 00000000 00000002 00000000 "
		 "80200001     eth0",
		 NULL);
	/* no device: the last field is empty */
	route_is(usage_route6_line,
		 "00000000000000000000000000000000 00 "
		 "00000000000000000000000000000000 00 "
		 "00000000000000000000000000000000 00000400 00000001 00000000 "
		 "00000001         ",
		 NULL);
	/* not up; truncated; a short destination */
	route_is(usage_route6_line,
		 "00000000000000000000000000000000 00 "
		 "00000000000000000000000000000000 00 "
		 "00000000000000000000000000000000 00000400 00000001 00000000 "
		 "00000002     eth0",
		 NULL);
	route_is(usage_route6_line,
		 "00000000000000000000000000000000 00 "
		 "00000000000000000000000000000000 00",
		 NULL);
	route_is(usage_route6_line,
		 "0000 00 00000000000000000000000000000000 00 "
		 "00000000000000000000000000000000 00000400 00000001 00000000 "
		 "00000003     eth0",
		 NULL);
	route_is(usage_route6_line, "", NULL);
}

static void test_console(void **state)
{
	struct strv v = { 0 };

	(void)state;
	assert_int_equal(usage_parse_console_active("ttyS0 tty0\n", &v), 0);
	assert_int_equal(v.n, 2);
	assert_string_equal(v.v[0], "ttyS0");
	assert_string_equal(v.v[1], "tty0");
	strv_free(&v);
	assert_int_equal(usage_parse_console_active("hvc0", &v), 0);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.v[0], "hvc0");
	strv_free(&v);
	assert_int_equal(usage_parse_console_active("  ttyAMA0  \n\n", &v), 0);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.v[0], "ttyAMA0");
	strv_free(&v);
	assert_int_equal(usage_parse_console_active("", &v), 0);
	assert_int_equal(v.n, 0);
	assert_int_equal(usage_parse_console_active("\n", &v), 0);
	assert_int_equal(v.n, 0);
	strv_free(&v);
}

static void test_mask_prefix(void **state)
{
	static const unsigned char m24[4] = { 255, 255, 255, 0 };
	static const unsigned char m0[4] = { 0 };
	static const unsigned char m7[4] = { 0xfe, 0, 0, 0 };
	static const unsigned char holes[4] = { 255, 0, 255, 0 };
	unsigned char m128[16], m64[16] = { 0 };

	(void)state;
	memset(m128, 0xff, sizeof(m128));
	memset(m64, 0xff, 8);
	assert_int_equal(usage_mask_prefix(m24, 4), 24);
	assert_int_equal(usage_mask_prefix(m0, 4), 0);
	assert_int_equal(usage_mask_prefix(m7, 4), 7);
	assert_int_equal(usage_mask_prefix(holes, 4), -1);
	assert_int_equal(usage_mask_prefix(m128, 16), 128);
	assert_int_equal(usage_mask_prefix(m64, 16), 64);
}

static void quiet_log(struct iommuctl_ctx *ctx, int priority, const char *file,
		      int line, const char *fn, const char *format,
		      va_list args)
{
	(void)ctx, (void)priority, (void)file, (void)line, (void)fn;
	(void)format, (void)args;
}

static void test_get_uses_args(void **state)
{
	struct iommuctl_use *uses = (void *)1;
	struct iommuctl_ctx *ctx;
	struct iommuctl_device d = { 0 };
	size_t n = 99;

	(void)state;
	assert_int_equal(iommuctl_new(&ctx), 0);
	iommuctl_set_log_fn(ctx, quiet_log);
	d.ctx = ctx;
	d.name = "ffff:ff:1f.7"; /* nothing lies below it */
	d.is_pci = true;
	assert_int_equal(iommuctl_device_get_uses(NULL, &uses, &n), -EINVAL);
	assert_int_equal(iommuctl_device_get_uses(&d, NULL, &n), -EINVAL);
	assert_int_equal(iommuctl_device_get_uses(&d, &uses, NULL), -EINVAL);
	/* live: a device without class devices has no uses */
	assert_int_equal(iommuctl_device_get_uses(&d, &uses, &n), 0);
	assert_null(uses);
	assert_int_equal(n, 0);
	iommuctl_uses_free(NULL, 0);
	/* a captured tree has no processes, mounts or routes to look at */
	assert_int_equal(iommuctl_set_root(ctx, "/tmp"), 0);
	uses = (void *)1;
	n = 99;
	assert_int_equal(iommuctl_device_get_uses(&d, &uses, &n), -EOPNOTSUPP);
	assert_null(uses);
	assert_int_equal(n, 0);
	iommuctl_unref(ctx);

	assert_string_equal(iommuctl_use_kind_name(IOMMUCTL_USE_MOUNT),
			    "mount");
	assert_string_equal(iommuctl_use_kind_name(IOMMUCTL_USE_OPEN), "open");
	assert_string_equal(iommuctl_use_kind_name((enum iommuctl_use_kind)99),
			    "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_below),
		cmocka_unit_test(test_path_function),
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_devnum),
		cmocka_unit_test(test_mountinfo),
		cmocka_unit_test(test_swaps),
		cmocka_unit_test(test_route4),
		cmocka_unit_test(test_route6),
		cmocka_unit_test(test_console),
		cmocka_unit_test(test_mask_prefix),
		cmocka_unit_test(test_get_uses_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
