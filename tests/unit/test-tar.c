// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: bundles. SHA-256 against the FIPS vectors and
 * sha256sum; the writer's output listed and extracted by the system's tar
 * (and busybox tar when installed), byte-identical when written twice, and
 * read back through iommuctl_set_root() as .tar.gz and .tar (long names,
 * long link targets, empty and 3 MiB files, member digests); a captured
 * fixture written back as a bundle enumerates like the directory it came
 * from; archives made by the system tar (pax, gnu) unpack. Hostile archives
 * come from a raw header builder here (the writer refuses them): each one
 * must fail or be skipped with an error naming the member, nothing may
 * appear outside the unpacking directory, and $TMPDIR (a private one) must
 * be empty again after every context is gone. Also: writer refusals, write
 * errors (EPIPE without dying of SIGPIPE, ENOSPC), and the offline reader
 * refusing a FIFO in a --root tree.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <zlib.h>
#include <cmocka.h>

#include "private.h"

static char tmpl[] = "/tmp/iommuctl-test-tar.XXXXXX";
static char *top; /* everything of this test */
static char *tmpdir; /* $TMPDIR: bundles unpack here */
static char *outside; /* where archives are written; must not change */

/* ---- helpers ------------------------------------------------------ */

static char logbuf[64 * 1024];
static size_t loglen;

static void capture_log(struct iommuctl_ctx *ctx, int priority,
			const char *file, int line, const char *fn,
			const char *format, va_list args)
{
	int n;

	(void)ctx, (void)priority, (void)file, (void)line, (void)fn;
	if (loglen >= sizeof(logbuf) - 1)
		return;
	n = vsnprintf(logbuf + loglen, sizeof(logbuf) - loglen, format, args);
	if (n > 0)
		loglen += (size_t)n < sizeof(logbuf) - loglen ?
				  (size_t)n :
				  sizeof(logbuf) - loglen - 1;
}

static struct iommuctl_ctx *new_ctx(void)
{
	struct iommuctl_ctx *ctx;

	assert_int_equal(iommuctl_new(&ctx), 0);
	iommuctl_set_log_fn(ctx, capture_log);
	iommuctl_set_log_priority(ctx, LOG_INFO);
	loglen = 0;
	logbuf[0] = '\0';
	return ctx;
}

static char *pjoin(const char *a, const char *b)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", a, b) > 0);
	return p;
}

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	va_list ap;
	char *cmd;
	int rc;

	va_start(ap, fmt);
	assert_true(vasprintf(&cmd, fmt, ap) > 0);
	va_end(ap);
	rc = system(cmd);
	free(cmd);
	return rc;
}

static size_t count_entries(const char *dir)
{
	struct dirent *de;
	size_t n = 0;
	DIR *d = opendir(dir);

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* A listing of @dir (names, types, sizes, link targets), recursively. */
static char *listing(const char *dir)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f;
	char *cmd;

	assert_true(
		asprintf(&cmd,
			 "cd '%s' && find . -printf '%%y %%s %%p %%l\\n' | sort",
			 dir) > 0);
	f = popen(cmd, "r");
	assert_non_null(f);
	{
		char buf[4096];
		size_t n;
		FILE *m = open_memstream(&out, &len);

		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, m);
		fclose(m);
	}
	assert_int_equal(pclose(f), 0);
	free(cmd);
	return out;
}

static void write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static char *read_file(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	assert_non_null(buf);
	assert_int_equal(read(fd, buf, (size_t)st.st_size), st.st_size);
	buf[st.st_size] = '\0';
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

/* $TMPDIR holds nothing: every unpacked tree was removed. */
static void assert_tmpdir_empty(void)
{
	if (count_entries(tmpdir)) {
		run("ls -la '%s' >&2", tmpdir);
		fail_msg("%s is not empty", tmpdir);
	}
}

static void gzip_buf(const void *in, size_t len, unsigned char **out,
		     size_t *outlen)
{
	z_stream z = { 0 };
	size_t cap = compressBound((uLong)len) + 64;

	*out = malloc(cap);
	assert_non_null(*out);
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 31, 8,
				      Z_DEFAULT_STRATEGY),
			 Z_OK);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = *out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*outlen = cap - z.avail_out;
	deflateEnd(&z);
}

/* ---- SHA-256 ------------------------------------------------------ */

static void sha_hex_of(const void *p, size_t len, char hex[65])
{
	struct sha256 s;
	uint8_t d[32];

	sha256_init(&s);
	sha256_update(&s, p, len);
	sha256_final(&s, d);
	sha256_hex(d, hex);
}

static void test_sha256_vectors(void **state)
{
	char hex[65];
	struct sha256 s;
	uint8_t d[32];
	char *a;
	size_t i;

	(void)state;
	sha_hex_of("abc", 3, hex);
	assert_string_equal(
		hex,
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha_hex_of("", 0, hex);
	assert_string_equal(
		hex,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha_hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		   56, hex);
	assert_string_equal(
		hex,
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* one million 'a', fed in odd pieces */
	a = malloc(1000000);
	assert_non_null(a);
	memset(a, 'a', 1000000);
	sha256_init(&s);
	for (i = 0; i < 1000000;) {
		size_t n = (i % 97) + 1;

		if (n > 1000000 - i)
			n = 1000000 - i;
		sha256_update(&s, a + i, n);
		i += n;
	}
	sha256_final(&s, d);
	sha256_hex(d, hex);
	assert_string_equal(
		hex,
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}

/* Against sha256sum, for lengths around the block and padding edges. */
static void test_sha256_sum(void **state)
{
	static const size_t lens[] = { 1,   55,	  56,	57,    63,
				       64,  65,	  119,	120,   127,
				       128, 1000, 4096, 65537, 3 << 20 };
	unsigned char *data;
	char hex[65], line[256], *path;
	size_t i, j;
	FILE *f;

	(void)state;
	path = pjoin(top, "sha-data");
	data = malloc(3 << 20);
	assert_non_null(data);
	for (j = 0; j < (3 << 20); j++)
		data[j] = (unsigned char)(j * 2654435761u >> 13);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		write_file(path, data, lens[i]);
		sha_hex_of(data, lens[i], hex);
		assert_true(snprintf(line, sizeof(line), "sha256sum '%s'",
				     path) > 0);
		f = popen(line, "r");
		assert_non_null(f);
		assert_non_null(fgets(line, sizeof(line), f));
		pclose(f);
		line[64] = '\0';
		assert_string_equal(hex, line);
	}
	free(data);
	unlink(path);
	free(path);
}

/* ---- writer ------------------------------------------------------- */

/* A name of exactly @len bytes under "bundle/": components of at most 60
 * bytes, so every component fits NAME_MAX. */
static char *long_name(size_t len, char fill)
{
	char *s = malloc(len + 1);
	size_t i;

	assert_non_null(s);
	assert_true(len > 8);
	memcpy(s, "bundle/", 7);
	for (i = 7; i < len; i++)
		s[i] = (i % 61 == 60 && i + 1 < len) ? '/' : fill;
	s[len] = '\0';
	return s;
}

struct sample {
	char *names[6];
	char *target_long;
	unsigned char *big;
	size_t bigsize;
};

static const size_t sample_lens[6] = { 99, 100, 101, 154, 256, 300 };

static void sample_init(struct sample *s)
{
	size_t i;

	for (i = 0; i < 6; i++)
		s->names[i] = long_name(sample_lens[i], (char)('a' + i));
	s->target_long = long_name(250, 't');
	s->bigsize = 3 << 20;
	s->big = malloc(s->bigsize);
	assert_non_null(s->big);
	for (i = 0; i < s->bigsize; i++)
		s->big[i] = (unsigned char)(i * 7 + (i >> 12));
}

static void sample_free(struct sample *s)
{
	size_t i;

	for (i = 0; i < 6; i++)
		free(s->names[i]);
	free(s->target_long);
	free(s->big);
}

/* The sample bundle; directories of the long names are added first. */
static void write_sample(struct iommuctl_ctx *ctx, const struct sample *s,
			 const char *path, bool gzip)
{
	struct iommuctl_bundle *b;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t i;

	assert_true(fd >= 0);
	assert_int_equal(iommuctl_bundle_new(ctx, fd, gzip, 1700000000, &b), 0);
	assert_int_equal(iommuctl_bundle_add_dir(b, "bundle", 0755), 0);
	assert_int_equal(iommuctl_bundle_add_file(b, "bundle/hello", "hello\n",
						  6, 0644),
			 0);
	assert_int_equal(
		iommuctl_bundle_add_file(b, "bundle/empty", NULL, 0, 0600), 0);
	assert_int_equal(iommuctl_bundle_add_file(b, "bundle/big", s->big,
						  s->bigsize, 0444),
			 0);
	assert_int_equal(
		iommuctl_bundle_add_symlink(b, "bundle/abs", "/sys/kernel"), 0);
	assert_int_equal(iommuctl_bundle_add_symlink(b, "bundle/long-target",
						     s->target_long),
			 0);
	assert_int_equal(iommuctl_bundle_add_dir(b, "bundle/private", 0500), 0);
	for (i = 0; i < 6; i++) {
		char *d = strdup(s->names[i]), *slash;

		/* parents first, as a real writer does */
		for (slash = strchr(d + 7, '/'); slash;
		     slash = strchr(slash + 1, '/')) {
			*slash = '\0';
			if (iommuctl_bundle_add_dir(b, d, 0755) < 0)
				fail();
			*slash = '/';
		}
		assert_int_equal(
			iommuctl_bundle_add_file(b, s->names[i], s->names[i],
						 strlen(s->names[i]), 0644),
			0);
		free(d);
	}
	assert_int_equal(iommuctl_bundle_finish(b), 0);
	close(fd);
}

static void check_members(struct iommuctl_ctx *ctx, const struct sample *s)
{
	struct iommuctl_bundle *b;
	const char *p, *sha, *target;
	char hex[65], type;
	uint64_t size;
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

	assert_int_equal(iommuctl_bundle_new(ctx, fd, true, 0, &b), 0);
	assert_int_equal(iommuctl_bundle_count(b), 0);
	assert_int_equal(iommuctl_bundle_add_dir(b, "d", 0755), 0);
	assert_int_equal(iommuctl_bundle_add_file(b, "d/big", s->big,
						  s->bigsize, 0644),
			 0);
	assert_int_equal(iommuctl_bundle_add_file(b, "d/empty", "", 0, 0644),
			 0);
	assert_int_equal(iommuctl_bundle_add_symlink(b, "d/l", s->target_long),
			 0);
	assert_int_equal(iommuctl_bundle_count(b), 4);
	assert_int_equal(iommuctl_bundle_member(b, 0, &p, &type, &size, &sha,
						&target),
			 0);
	assert_string_equal(p, "d");
	assert_int_equal(type, 'd');
	assert_int_equal(size, 0);
	assert_null(sha);
	assert_null(target);
	assert_int_equal(iommuctl_bundle_member(b, 1, &p, &type, &size, &sha,
						&target),
			 0);
	assert_string_equal(p, "d/big");
	assert_int_equal(type, 'f');
	assert_int_equal(size, s->bigsize);
	sha_hex_of(s->big, s->bigsize, hex);
	assert_string_equal(sha, hex);
	assert_null(target);
	assert_int_equal(iommuctl_bundle_member(b, 2, NULL, &type, &size, &sha,
						NULL),
			 0);
	assert_int_equal(type, 'f');
	assert_int_equal(size, 0);
	assert_string_equal(
		sha,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_int_equal(iommuctl_bundle_member(b, 3, &p, &type, &size, &sha,
						&target),
			 0);
	assert_int_equal(type, 'l');
	assert_null(sha);
	assert_string_equal(target, s->target_long);
	assert_int_equal(iommuctl_bundle_member(b, 4, &p, &type, &size, &sha,
						&target),
			 -ENOENT);
	assert_int_equal(iommuctl_bundle_finish(b), 0);
	close(fd);
}

static void test_writer_tools(void **state)
{
	struct iommuctl_ctx *ctx = new_ctx();
	struct sample s;
	char *tgz = pjoin(outside, "sample.tar.gz");
	char *tgz2 = pjoin(outside, "sample2.tar.gz");
	char *tar = pjoin(outside, "sample.tar");
	char *x = pjoin(top, "x-gnu"), *xb = pjoin(top, "x-busybox");
	char *list, *a, *b2, *p, *cont;
	size_t la, lb, i;

	(void)state;
	sample_init(&s);
	check_members(ctx, &s);
	write_sample(ctx, &s, tgz, true);
	write_sample(ctx, &s, tgz2, true);
	write_sample(ctx, &s, tar, false);

	/* the same input gives the same bytes */
	a = read_file(tgz, &la);
	b2 = read_file(tgz2, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b2, la);
	free(a);
	free(b2);
	a = read_file(tar, &la);
	assert_int_equal(la % 10240, 0);
	assert_int_equal(memcmp(a + 257,
				"ustar\0"
				"00",
				8),
			 0);
	free(a);

	/* GNU tar lists and extracts both */
	assert_int_equal(
		run("TZ=UTC tar -tvzf '%s' > '%s/list-z' && TZ=UTC tar -tvf '%s' > '%s/list'"
		    " && cmp -s '%s/list-z' '%s/list'",
		    tgz, top, tar, top, top, top),
		0);
	p = pjoin(top, "list");
	list = read_file(p, &la);
	free(p);
	assert_non_null(strstr(list, "0/0"));
	assert_non_null(strstr(list, "2023-11-14 22:13"));
	assert_non_null(strstr(list, "bundle/abs -> /sys/kernel"));
	for (i = 0; i < 6; i++)
		assert_non_null(strstr(list, s.names[i]));
	assert_non_null(strstr(list, s.target_long));
	free(list);
	assert_int_equal(
		run("mkdir -p '%s' && tar -xzf '%s' -C '%s'", x, tgz, x), 0);
	for (i = 0; i < 6; i++) {
		p = pjoin(x, s.names[i]);
		cont = read_file(p, &la);
		assert_string_equal(cont, s.names[i]);
		free(cont);
		free(p);
	}
	p = pjoin(x, "bundle/big");
	cont = read_file(p, &la);
	assert_int_equal(la, s.bigsize);
	assert_memory_equal(cont, s.big, la);
	free(cont);
	free(p);
	{
		char link[PATH_MAX];
		ssize_t n;

		p = pjoin(x, "bundle/long-target");
		n = readlink(p, link, sizeof(link) - 1);
		assert_true(n > 0);
		link[n] = '\0';
		assert_string_equal(link, s.target_long);
		free(p);
	}
	/* busybox-style tools (no pax support needed for short names) */
	if (access("/bin/busybox", X_OK) == 0 ||
	    access("/usr/bin/busybox", X_OK) == 0) {
		assert_int_equal(
			run("mkdir -p '%s' && busybox tar -xzf '%s' -C '%s' && "
			    "cmp '%s/bundle/big' '%s/bundle/big' && "
			    "busybox tar -tzf '%s' | grep -qx 'bundle/hello'",
			    xb, tgz, xb, x, xb, tgz),
			0);
	}
	run("chmod -R u+rwx '%s' '%s'; rm -rf '%s' '%s'", x, xb, x, xb);
	unlink(tgz2);
	sample_free(&s);
	iommuctl_unref(ctx);
	free(tgz);
	free(tgz2);
	free(tar);
	free(x);
	free(xb);
}

static void test_writer_refusals(void **state)
{
	static const char *const bad[] = { "/abs", "",	 "a//b", "a/../b", "..",
					   ".",	   "a/", "./a",	 "a/." };
	struct iommuctl_ctx *ctx = new_ctx();
	struct iommuctl_bundle *b;
	char *huge;
	size_t i;
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

	(void)state;
	assert_int_equal(iommuctl_bundle_new(ctx, fd, false, -1, &b), -EINVAL);
	assert_int_equal(iommuctl_bundle_new(ctx, -1, false, 0, &b), -EINVAL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(iommuctl_bundle_new(ctx, fd, true, 0, &b), 0);
		loglen = 0;
		assert_int_equal(iommuctl_bundle_add_file(b, bad[i], "x", 1,
							  0644),
				 -EINVAL);
		assert_non_null(strstr(logbuf, bad[i]));
		assert_int_equal(iommuctl_bundle_add_dir(b, bad[i], 0755),
				 -EINVAL);
		assert_int_equal(iommuctl_bundle_add_symlink(b, bad[i], "t"),
				 -EINVAL);
		/* later calls still work; finish reports the first error */
		assert_int_equal(
			iommuctl_bundle_add_file(b, "ok", "x", 1, 0644), 0);
		assert_int_equal(iommuctl_bundle_count(b), 1);
		assert_int_equal(iommuctl_bundle_finish(b), -EINVAL);
	}
	assert_int_equal(iommuctl_bundle_new(ctx, fd, false, 0, &b), 0);
	assert_int_equal(iommuctl_bundle_add_symlink(b, "l", ""), -EINVAL);
	huge = malloc(PATH_MAX + 10);
	memset(huge, 'a', PATH_MAX + 9);
	huge[PATH_MAX + 9] = '\0';
	assert_int_equal(iommuctl_bundle_add_file(b, huge, "", 0, 0644),
			 -ENAMETOOLONG);
	assert_int_equal(iommuctl_bundle_add_symlink(b, "l", huge),
			 -ENAMETOOLONG);
	free(huge);
	assert_int_equal(iommuctl_bundle_finish(b), -EINVAL);
	iommuctl_bundle_free(NULL);
	/* free without finishing */
	assert_int_equal(iommuctl_bundle_new(ctx, fd, true, 0, &b), 0);
	assert_int_equal(iommuctl_bundle_add_file(b, "a", "x", 1, 0644), 0);
	iommuctl_bundle_free(b);
	close(fd);
	iommuctl_unref(ctx);
}

static void test_writer_errors(void **state)
{
	struct iommuctl_ctx *ctx = new_ctx();
	struct iommuctl_bundle *b;
	struct sigaction sa = { .sa_handler = SIG_DFL }, old;
	size_t len = 1 << 20, i;
	char *data = malloc(len);
	int p[2], fd, rc;

	(void)state;
	assert_non_null(data);
	memset(data, 'z', len);
	/* SIGPIPE at its default (it would kill us): the library returns
	 * -EPIPE instead */
	sigaction(SIGPIPE, &sa, &old);
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	assert_int_equal(iommuctl_bundle_new(ctx, p[1], false, 0, &b), 0);
	rc = 0;
	for (i = 0; i < 4 && !rc; i++)
		rc = iommuctl_bundle_add_file(b, "f", data, len, 0644);
	assert_int_equal(rc, -EPIPE);
	/* every later call says so, finish too */
	assert_int_equal(iommuctl_bundle_add_dir(b, "d", 0755), -EPIPE);
	assert_int_equal(iommuctl_bundle_finish(b), -EPIPE);
	close(p[1]);
	{
		sigset_t pending;

		sigpending(&pending);
		assert_false(sigismember(&pending, SIGPIPE));
	}
	sigaction(SIGPIPE, &old, NULL);

	fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		assert_int_equal(iommuctl_bundle_new(ctx, fd, true, 0, &b), 0);
		assert_int_equal(iommuctl_bundle_add_file(b, "f", "x", 1, 0644),
				 0);
		assert_int_equal(iommuctl_bundle_finish(b), -ENOSPC);
		close(fd);
	}
	free(data);
	iommuctl_unref(ctx);
}

/* ---- reader ------------------------------------------------------- */

static void check_sample_root(struct iommuctl_ctx *ctx, const struct sample *s)
{
	char *buf, *target;
	size_t len, i;
	struct stat st;

	assert_true(iommuctl_is_offline(ctx));
	/* the single top directory "bundle" is the root */
	assert_int_equal(sysfs_read(ctx, "/hello", 100, &buf, &len), 0);
	assert_string_equal(buf, "hello\n");
	free(buf);
	assert_int_equal(sysfs_read(ctx, "/empty", 100, &buf, &len), 0);
	assert_int_equal(len, 0);
	free(buf);
	assert_int_equal(sysfs_read(ctx, "/big", 4 << 20, &buf, &len), 0);
	assert_int_equal(len, s->bigsize);
	assert_memory_equal(buf, s->big, len);
	free(buf);
	for (i = 0; i < 6; i++) {
		assert_int_equal(sysfs_read_str(ctx, s->names[i] + 6, &buf), 0);
		assert_string_equal(buf, s->names[i]);
		free(buf);
	}
	assert_int_equal(sysfs_readlink(ctx, "/abs", &target), 0);
	assert_string_equal(target, "/sys/kernel");
	free(target);
	assert_int_equal(sysfs_readlink(ctx, "/long-target", &target), 0);
	assert_string_equal(target, s->target_long);
	free(target);
	assert_true(sysfs_is_dir(ctx, "/private"));
	/* modes: files keep theirs plus u+r, directories get u+rwx */
	{
		int fd = sysfs_open(ctx, "/private", O_PATH);

		assert_true(fd >= 0);
		assert_int_equal(fstat(fd, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0700);
		close(fd);
		fd = sysfs_open(ctx, "/big", O_PATH);
		assert_int_equal(fstat(fd, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0444);
		close(fd);
		fd = sysfs_open(ctx, "/empty", O_PATH);
		assert_int_equal(fstat(fd, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0600);
		close(fd);
	}
}

static void test_roundtrip(void **state)
{
	struct iommuctl_ctx *ctx;
	struct sample s;
	char *tgz = pjoin(outside, "rt.tar.gz"),
	     *tar = pjoin(outside, "rt.tar");
	char *before = listing(outside), *after;

	(void)state;
	sample_init(&s);
	ctx = new_ctx();
	write_sample(ctx, &s, tgz, true);
	write_sample(ctx, &s, tar, false);
	iommuctl_unref(ctx);
	free(before);
	before = listing(outside);

	ctx = new_ctx();
	assert_int_equal(iommuctl_set_root(ctx, tgz), 0);
	/* the user's name stays the root's name */
	assert_string_equal(iommuctl_get_root(ctx), tgz);
	assert_int_equal(count_entries(tmpdir), 1);
	check_sample_root(ctx, &s);
	/* a second bundle replaces the first, whose tree goes */
	assert_int_equal(iommuctl_set_root(ctx, tar), 0);
	assert_int_equal(count_entries(tmpdir), 1);
	check_sample_root(ctx, &s);
	/* back to a directory: nothing left in $TMPDIR */
	assert_int_equal(iommuctl_set_root(ctx, top), 0);
	assert_tmpdir_empty();
	iommuctl_unref(ctx);

	ctx = new_ctx();
	assert_int_equal(iommuctl_set_root(ctx, tar), 0);
	check_sample_root(ctx, &s);
	iommuctl_unref(ctx);
	assert_tmpdir_empty();

	/* not a bundle */
	ctx = new_ctx();
	{
		char *p = pjoin(top, "not-a-bundle");

		write_file(p, "hello\n", 6);
		assert_int_equal(iommuctl_set_root(ctx, p), -ENOTDIR);
		assert_non_null(strstr(iommuctl_get_error(ctx) ?: "", p));
		unlink(p);
		free(p);
	}
	assert_int_equal(iommuctl_set_root(ctx, "/dev/null"), -ENOTDIR);
	iommuctl_unref(ctx);
	assert_tmpdir_empty();

	after = listing(outside);
	assert_string_equal(before, after);
	free(before);
	free(after);
	unlink(tgz);
	unlink(tar);
	free(tgz);
	free(tar);
	sample_free(&s);
}

/* Without $TMPDIR a bundle unpacks under $XDG_RUNTIME_DIR when that is a
 * directory, and is removed from there too. */
static void test_unpack_base(void **state)
{
	struct iommuctl_ctx *ctx;
	struct sample s;
	char *tgz = pjoin(outside, "xdg.tar.gz"), *run = pjoin(top, "xdg"),
	     *bad = pjoin(top, "xdg-file");

	(void)state;
	assert_int_equal(mkdir(run, 0700), 0);
	write_file(bad, "x", 1);
	sample_init(&s);
	ctx = new_ctx();
	write_sample(ctx, &s, tgz, true);
	iommuctl_unref(ctx);

	unsetenv("TMPDIR");
	setenv("XDG_RUNTIME_DIR", run, 1);
	ctx = new_ctx();
	assert_int_equal(iommuctl_set_root(ctx, tgz), 0);
	assert_int_equal(count_entries(run), 1);
	assert_int_equal(count_entries(tmpdir), 0);
	check_sample_root(ctx, &s);
	iommuctl_unref(ctx);
	assert_int_equal(count_entries(run), 0);

	/* not a directory, or not absolute: /tmp (seen in the debug log) */
	for (int i = 0; i < 2; i++) {
		char *at, dir[64];
		struct stat st;

		setenv("XDG_RUNTIME_DIR", i ? "relative" : bad, 1);
		ctx = new_ctx();
		iommuctl_set_log_priority(ctx, LOG_DEBUG);
		assert_int_equal(iommuctl_set_root(ctx, tgz), 0);
		at = strstr(logbuf, "unpacking into /tmp/iommuctl-root-");
		assert_non_null(at);
		assert_int_equal(sscanf(at, "unpacking into %63s", dir), 1);
		assert_int_equal(stat(dir, &st), 0);
		check_sample_root(ctx, &s);
		iommuctl_unref(ctx);
		assert_int_equal(stat(dir, &st), -1);
	}

	unsetenv("XDG_RUNTIME_DIR");
	setenv("TMPDIR", tmpdir, 1);
	assert_tmpdir_empty();
	unlink(tgz);
	unlink(bad);
	rmdir(run);
	free(tgz);
	free(bad);
	free(run);
	sample_free(&s);
}

/* Without one single top directory the whole tree is the root. */
static void test_root_choice(void **state)
{
	struct iommuctl_ctx *ctx = new_ctx();
	struct iommuctl_bundle *b;
	char *path = pjoin(outside, "two.tar.gz"), *buf;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	mode_t old;

	(void)state;
	assert_int_equal(iommuctl_bundle_new(ctx, fd, true, 0, &b), 0);
	assert_int_equal(iommuctl_bundle_add_dir(b, "sys", 0755), 0);
	assert_int_equal(iommuctl_bundle_add_file(b, "sys/a", "A", 1, 0644), 0);
	assert_int_equal(iommuctl_bundle_add_file(b, "README", "R", 1, 0644),
			 0);
	assert_int_equal(iommuctl_bundle_finish(b), 0);
	close(fd);
	/* the unpacked tree is readable whatever the umask */
	old = umask(0377);
	assert_int_equal(iommuctl_set_root(ctx, path), 0);
	umask(old);
	assert_int_equal(sysfs_read_str(ctx, "/sys/a", &buf), 0);
	assert_string_equal(buf, "A");
	free(buf);
	assert_int_equal(sysfs_read_str(ctx, "/README", &buf), 0);
	free(buf);
	iommuctl_unref(ctx);
	assert_tmpdir_empty();
	unlink(path);
	free(path);
}

/* ---- a captured fixture, written back as a bundle ---------------- */

static struct iommuctl_bundle *walk_b;
static size_t walk_skip;

static int walk_one(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	const char *rel = path + walk_skip;
	char *data;
	size_t len;

	(void)ftw;
	if (!*rel)
		return 0;
	rel++; /* the '/' */
	if (flag == FTW_D) {
		assert_int_equal(iommuctl_bundle_add_dir(walk_b, rel,
							 st->st_mode & 0777),
				 0);
	} else if (flag == FTW_SL || flag == FTW_SLN) {
		char target[PATH_MAX];
		ssize_t n = readlink(path, target, sizeof(target) - 1);

		assert_true(n > 0);
		target[n] = '\0';
		assert_int_equal(
			iommuctl_bundle_add_symlink(walk_b, rel, target), 0);
	} else if (flag == FTW_F && S_ISREG(st->st_mode)) {
		data = read_file(path, &len);
		assert_int_equal(iommuctl_bundle_add_file(walk_b, rel, data,
							  len,
							  st->st_mode & 0777),
				 0);
		free(data);
	}
	return 0;
}

static void bundle_dir(struct iommuctl_ctx *ctx, const char *dir,
		       const char *out, bool gzip)
{
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(iommuctl_bundle_new(ctx, fd, gzip, 0, &walk_b), 0);
	walk_skip = strlen(dir);
	assert_int_equal(nftw(dir, walk_one, 16, FTW_PHYS), 0);
	assert_int_equal(iommuctl_bundle_finish(walk_b), 0);
	close(fd);
}

/* What the library enumerates: units, groups with their devices, devices. */
static char *enumerate(struct iommuctl_ctx *ctx)
{
	struct iommuctl_iommu *u;
	struct iommuctl_group *g;
	struct iommuctl_device *d;
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	iommuctl_iommu_foreach(ctx, u)
		fprintf(m, "iommu %s\n", iommuctl_iommu_get_name(u));
	iommuctl_group_foreach(ctx, g) {
		fprintf(m, "group %u:", iommuctl_group_get_id(g));
		iommuctl_group_device_foreach(g, d)
			fprintf(m, " %s", iommuctl_device_get_name(d));
		fprintf(m, "\n");
	}
	iommuctl_device_foreach(ctx, d)
		fprintf(m, "device %s\n", iommuctl_device_get_name(d));
	fclose(m);
	return out;
}

static void test_fixture_bundle(void **state)
{
	static const char *const fx[] = { "vtd", "amd" };
	char *dir, *tgz, *tar, *want, *got;
	struct iommuctl_ctx *ctx;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fx) / sizeof(fx[0]); i++) {
		dir = pjoin(top, fx[i]);
		assert_int_equal(
			run("mkdir -p '%s' && tar -xzf '%s/tests/fixtures/%s/root.tar.gz' -C '%s'",
			    dir, IOMMUCTL_SRCDIR, fx[i], dir),
			0);
		assert_true(asprintf(&tgz, "%s/%s.tar.gz", outside, fx[i]) > 0);
		assert_true(asprintf(&tar, "%s/%s.tar", outside, fx[i]) > 0);
		ctx = new_ctx();
		bundle_dir(ctx, dir, tgz, true);
		bundle_dir(ctx, dir, tar, false);
		iommuctl_unref(ctx);

		ctx = new_ctx();
		assert_int_equal(iommuctl_set_root(ctx, dir), 0);
		want = enumerate(ctx);
		iommuctl_unref(ctx);
		assert_non_null(strstr(want, "group "));
		assert_non_null(strstr(want, "device "));

		ctx = new_ctx();
		assert_int_equal(iommuctl_set_root(ctx, tgz), 0);
		got = enumerate(ctx);
		assert_string_equal(want, got);
		free(got);
		assert_string_equal(
			iommuctl_get_kernel_release(ctx) ? "ok" : "none", "ok");
		iommuctl_unref(ctx);
		assert_tmpdir_empty();

		ctx = new_ctx();
		assert_int_equal(iommuctl_set_root(ctx, tar), 0);
		got = enumerate(ctx);
		assert_string_equal(want, got);
		free(got);
		iommuctl_unref(ctx);
		assert_tmpdir_empty();

		/* the system's tar makes the same tree of it */
		assert_int_equal(
			run("mkdir -p '%s/cmp' && tar -xzf '%s' -C '%s/cmp' && "
			    "diff -r --no-dereference '%s' '%s/cmp' && rm -rf '%s/cmp'",
			    top, tgz, top, dir, top, top),
			0);
		free(want);
		unlink(tgz);
		unlink(tar);
		free(tgz);
		free(tar);
		run("rm -rf '%s'", dir);
		free(dir);
	}
}

/* Archives by the system tar: pax and gnu formats, long names. */
static void test_interop(void **state)
{
	static const char *const fmts[] = { "pax", "gnu" };
	struct iommuctl_ctx *ctx;
	struct sample s;
	char *src = pjoin(top, "src"), *arc, *buf, *target;
	size_t i, j;

	(void)state;
	sample_init(&s);
	for (j = 0; j < 6; j++) {
		const char *base = strrchr(s.names[j], '/');
		char *p = pjoin(src, s.names[j]);

		assert_int_equal(run("mkdir -p '%s/%.*s'", src,
				     (int)(base - s.names[j]), s.names[j]),
				 0);
		write_file(p, s.names[j], strlen(s.names[j]));
		free(p);
	}
	{
		char *p = pjoin(src, "bundle/long-target");

		assert_int_equal(symlink(s.target_long, p), 0);
		free(p);
	}
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		assert_true(asprintf(&arc, "%s/sys-%s.tar%s", outside, fmts[i],
				     i % 2 ? "" : ".gz") > 0);
		assert_int_equal(
			run("cd '%s' && tar --format=%s -c%sf '%s' bundle", src,
			    fmts[i], i % 2 ? "" : "z", arc),
			0);
		ctx = new_ctx();
		assert_int_equal(iommuctl_set_root(ctx, arc), 0);
		for (j = 0; j < 6; j++) {
			assert_int_equal(
				sysfs_read_str(ctx, s.names[j] + 6, &buf), 0);
			assert_string_equal(buf, s.names[j]);
			free(buf);
		}
		assert_int_equal(sysfs_readlink(ctx, "/long-target", &target),
				 0);
		assert_string_equal(target, s.target_long);
		free(target);
		iommuctl_unref(ctx);
		assert_tmpdir_empty();
		unlink(arc);
		free(arc);
	}
	/* "tar -C dir ." archives start with "./" */
	assert_true(asprintf(&arc, "%s/dot.tar.gz", outside) > 0);
	assert_int_equal(run("tar --format=gnu -czf '%s' -C '%s/bundle' .", arc,
			     src),
			 0);
	ctx = new_ctx();
	assert_int_equal(iommuctl_set_root(ctx, arc), 0);
	assert_int_equal(sysfs_read_str(ctx, s.names[5] + 6, &buf), 0);
	free(buf);
	iommuctl_unref(ctx);
	assert_tmpdir_empty();
	unlink(arc);
	free(arc);
	run("rm -rf '%s'", src);
	free(src);
	sample_free(&s);
}

/* ---- hostile archives, by hand ----------------------------------- */

struct raw {
	unsigned char *p;
	size_t n, cap;
};

static void raw_put(struct raw *r, const void *d, size_t len)
{
	if (r->n + len > r->cap) {
		r->cap = (r->n + len) * 2 + 4096;
		r->p = realloc(r->p, r->cap);
		assert_non_null(r->p);
	}
	memcpy(r->p + r->n, d, len);
	r->n += len;
}

static void raw_pad(struct raw *r)
{
	static const unsigned char z[512];

	raw_put(r, z, (512 - r->n % 512) % 512);
}

enum { RAW_BADSUM = 1, RAW_V7 = 2, RAW_GNU = 4 };

/* One header; @size_field, when set, is written into the size field as is. */
static void raw_hdr(struct raw *r, const char *name, char type, uint64_t size,
		    const char *link, int flags, const char *size_field)
{
	unsigned char h[512];
	unsigned int sum = 0, i;

	memset(h, 0, sizeof(h));
	strncpy((char *)h, name, 100);
	memcpy(h + 100, "0000644", 8);
	memcpy(h + 108, "0000000", 8);
	memcpy(h + 116, "0000000", 8);
	if (size_field)
		memcpy(h + 124, size_field, strlen(size_field));
	else
		snprintf((char *)h + 124, 12, "%011llo",
			 (unsigned long long)size);
	memcpy(h + 136, "00000000000", 12);
	h[156] = (unsigned char)type;
	if (link)
		strncpy((char *)h + 157, link, 100);
	if (flags & RAW_GNU)
		memcpy(h + 257, "ustar  ", 8);
	else if (!(flags & RAW_V7))
		memcpy(h + 257,
		       "ustar\0"
		       "00",
		       8);
	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	if (flags & RAW_BADSUM)
		sum++;
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
	raw_put(r, h, sizeof(h));
}

static void raw_file(struct raw *r, const char *name, const char *data)
{
	raw_hdr(r, name, '0', strlen(data), NULL, 0, NULL);
	raw_put(r, data, strlen(data));
	raw_pad(r);
}

static void raw_ext(struct raw *r, char type, const void *data, size_t len)
{
	raw_hdr(r, type == 'x' ? "PaxHeaders/x" : "././@LongLink", type, len,
		NULL, type == 'x' ? 0 : RAW_GNU, NULL);
	raw_put(r, data, len);
	raw_pad(r);
}

static void raw_end(struct raw *r)
{
	static const unsigned char z[1024];

	raw_put(r, z, sizeof(z));
}

/* Writes @r (gzip-compressed when @gz) as outside/NAME; frees @r. */
static char *raw_save(struct raw *r, const char *name, bool gz)
{
	char *path = pjoin(outside, name);

	if (gz) {
		unsigned char *z;
		size_t zl;

		gzip_buf(r->p, r->n, &z, &zl);
		write_file(path, z, zl);
		free(z);
	} else {
		write_file(path, r->p, r->n);
	}
	free(r->p);
	memset(r, 0, sizeof(*r));
	return path;
}

/* set_root on @path: @want, with @needle (and the archive's name) in the
 * log, nothing outside the directory changed, $TMPDIR empty afterwards. */
static void expect(const char *path, int want, const char *needle)
{
	struct iommuctl_ctx *ctx = new_ctx();
	char *before = listing(outside), *after;
	int rc = iommuctl_set_root(ctx, path);

	if (rc != want)
		fail_msg("%s: set_root gave %d (%s), want %d; log:\n%s", path,
			 rc, strerror(-rc), want, logbuf);
	if (needle && !strstr(logbuf, needle))
		fail_msg("%s: the log does not name '%s':\n%s", path, needle,
			 logbuf);
	if (want < 0) {
		assert_non_null(strstr(logbuf, path));
		assert_tmpdir_empty();
	}
	after = listing(outside);
	assert_string_equal(before, after);
	free(before);
	free(after);
	iommuctl_unref(ctx);
	assert_tmpdir_empty();
}

static void test_hostile_names(void **state)
{
	struct raw r = { 0 };
	char *p, *buf;
	struct iommuctl_ctx *ctx;
	int gz;

	(void)state;
	for (gz = 0; gz < 2; gz++) {
		/* "../x" and "a/../../x" */
		raw_file(&r, "ok", "ok");
		raw_file(&r, "../escape", "bad");
		raw_end(&r);
		p = raw_save(&r, "dotdot.tar", gz);
		expect(p, -EINVAL, "member '../escape'");
		unlink(p);
		free(p);
		raw_file(&r, "a/../../escape", "bad");
		raw_end(&r);
		p = raw_save(&r, "dotdot2.tar", gz);
		expect(p, -EINVAL, "member 'a/../../escape'");
		unlink(p);
		free(p);

		/* absolute names are made relative, inside */
		raw_file(&r, "/sys/abs", "inside");
		raw_file(&r, ".//./sys/dot", "dot");
		raw_end(&r);
		p = raw_save(&r, "abs.tar", gz);
		expect(p, 0, NULL);
		ctx = new_ctx();
		assert_int_equal(iommuctl_set_root(ctx, p), 0);
		assert_int_equal(sysfs_read_str(ctx, "/abs", &buf), 0);
		assert_string_equal(buf, "inside");
		free(buf);
		assert_int_equal(sysfs_read_str(ctx, "/dot", &buf), 0);
		free(buf);
		iommuctl_unref(ctx);
		unlink(p);
		free(p);

		/* empty name */
		raw_hdr(&r, "", '0', 0, NULL, 0, NULL);
		raw_end(&r);
		p = raw_save(&r, "empty-name.tar", gz);
		expect(p, -EBADMSG, "empty name");
		unlink(p);
		free(p);
	}
}

static void test_hostile_symlinks(void **state)
{
	struct raw r = { 0 };
	struct iommuctl_ctx *ctx;
	char *p, *buf, *sub, *sentinel = pjoin(top, "sentinel");

	(void)state;
	assert_int_equal(mkdir(sentinel, 0755), 0);

	/* a -> /etc, then a/passwd */
	raw_hdr(&r, "a", '2', 0, "/etc", 0, NULL);
	raw_file(&r, "a/passwd", "root::0:0::/:/bin/sh\n");
	raw_end(&r);
	p = raw_save(&r, "etc.tar", true);
	expect(p, -EINVAL, "member 'a/passwd'");
	unlink(p);
	free(p);

	/* the same towards a directory we can watch */
	raw_hdr(&r, "d", '5', 0, NULL, 0, NULL);
	raw_hdr(&r, "d/s", '2', 0, sentinel, 0, NULL);
	raw_file(&r, "d/s/planted", "x");
	raw_end(&r);
	p = raw_save(&r, "sentinel.tar", false);
	expect(p, -EINVAL, "member 'd/s/planted'");
	assert_int_equal(count_entries(sentinel), 0);
	unlink(p);
	free(p);
	/* ... and with the symlink in the middle of an existing path */
	sub = pjoin(sentinel, "sub");
	assert_int_equal(mkdir(sub, 0755), 0);
	raw_hdr(&r, "d", '5', 0, NULL, 0, NULL);
	raw_hdr(&r, "d/s", '2', 0, sentinel, 0, NULL);
	raw_file(&r, "d/s/sub/planted", "x");
	raw_end(&r);
	p = raw_save(&r, "sentinel-sub.tar.gz", true);
	expect(p, -EINVAL, "member 'd/s/sub/planted'");
	assert_int_equal(count_entries(sub), 0);
	rmdir(sub);
	free(sub);
	unlink(p);
	free(p);

	/* relative escape through a symlink chain: a -> .., a/b -> ../.. */
	raw_hdr(&r, "x", '2', 0, "..", 0, NULL);
	raw_file(&r, "x/planted", "x");
	raw_end(&r);
	p = raw_save(&r, "dotdot-link.tar", false);
	expect(p, -EINVAL, "member 'x/planted'");
	unlink(p);
	free(p);

	/* symlink to ../../../../etc/passwd: read through the library it is
	 * the file inside the root, or nothing, never the host's */
	raw_hdr(&r, "etc", '5', 0, NULL, 0, NULL);
	raw_file(&r, "etc/passwd", "inside\n");
	raw_hdr(&r, "sys", '5', 0, NULL, 0, NULL);
	raw_hdr(&r, "sys/up", '2', 0, "../../../../etc/passwd", 0, NULL);
	raw_hdr(&r, "sys/abs", '2', 0, "/etc/passwd", 0, NULL);
	raw_hdr(&r, "sys/gone", '2', 0, "../../../../etc/shadow", 0, NULL);
	raw_end(&r);
	p = raw_save(&r, "uplink.tar.gz", true);
	expect(p, 0, NULL);
	ctx = new_ctx();
	assert_int_equal(iommuctl_set_root(ctx, p), 0);
	assert_int_equal(sysfs_read_str(ctx, "/sys/up", &buf), 0);
	assert_string_equal(buf, "inside");
	free(buf);
	assert_int_equal(sysfs_read_str(ctx, "/sys/abs", &buf), 0);
	assert_string_equal(buf, "inside");
	free(buf);
	assert_int_equal(sysfs_read_str(ctx, "/sys/gone", &buf), -ENOENT);
	iommuctl_unref(ctx);
	assert_tmpdir_empty();
	unlink(p);
	free(p);

	/* a later member replaces a file or symlink, never a directory */
	raw_file(&r, "f", "first");
	raw_hdr(&r, "f", '2', 0, "/etc/passwd", 0, NULL);
	raw_file(&r, "f", "third");
	raw_end(&r);
	p = raw_save(&r, "replace.tar", false);
	ctx = new_ctx();
	assert_int_equal(iommuctl_set_root(ctx, p), 0);
	assert_int_equal(sysfs_read_str(ctx, "/f", &buf), 0);
	assert_string_equal(buf, "third");
	free(buf);
	iommuctl_unref(ctx);
	unlink(p);
	free(p);
	raw_hdr(&r, "d", '5', 0, NULL, 0, NULL);
	raw_file(&r, "d/in", "x");
	raw_file(&r, "d", "file");
	raw_end(&r);
	p = raw_save(&r, "replace-dir.tar", false);
	expect(p, -EINVAL, "member 'd'");
	unlink(p);
	free(p);

	rmdir(sentinel);
	free(sentinel);
}

static void test_hostile_types(void **state)
{
	struct raw r = { 0 };
	struct iommuctl_ctx *ctx;
	char *p, *buf;

	(void)state;
	raw_file(&r, "sys/real", "real");
	raw_hdr(&r, "sys/fifo", '6', 0, NULL, 0, NULL);
	raw_hdr(&r, "sys/chardev", '3', 0, NULL, 0, NULL);
	raw_hdr(&r, "sys/blockdev", '4', 0, NULL, 0, NULL);
	raw_hdr(&r, "sys/hard", '1', 0, "sys/real", 0, NULL);
	raw_hdr(&r, "sys/label", 'V', 0, NULL, 0, NULL);
	raw_end(&r);
	p = raw_save(&r, "types.tar.gz", true);
	ctx = new_ctx();
	assert_int_equal(iommuctl_set_root(ctx, p), 0);
	assert_non_null(strstr(logbuf, "member 'sys/fifo'"));
	assert_non_null(strstr(logbuf, "member 'sys/chardev'"));
	assert_non_null(strstr(logbuf, "member 'sys/blockdev'"));
	assert_non_null(strstr(logbuf, "member 'sys/hard'"));
	assert_non_null(strstr(logbuf, "member 'sys/label'"));
	assert_int_equal(sysfs_read_str(ctx, "/real", &buf), 0);
	assert_string_equal(buf, "real");
	free(buf);
	assert_false(sysfs_exists(ctx, "/fifo"));
	assert_false(sysfs_exists(ctx, "/chardev"));
	assert_false(sysfs_exists(ctx, "/blockdev"));
	assert_false(sysfs_exists(ctx, "/hard"));
	iommuctl_unref(ctx);
	assert_tmpdir_empty();
	unlink(p);
	free(p);

	/* old v7 header (no magic), directory as a name ending in '/' */
	raw_hdr(&r, "v7dir/", '0', 0, NULL, RAW_V7, NULL);
	raw_hdr(&r, "v7dir/file", '0', 2, NULL, RAW_V7, NULL);
	raw_put(&r, "v7", 2);
	raw_pad(&r);
	raw_end(&r);
	p = raw_save(&r, "v7.tar.gz", true);
	ctx = new_ctx();
	assert_int_equal(iommuctl_set_root(ctx, p), 0);
	assert_int_equal(sysfs_read_str(ctx, "/file", &buf), 0);
	assert_string_equal(buf, "v7");
	free(buf);
	iommuctl_unref(ctx);
	assert_tmpdir_empty();
	unlink(p);
	free(p);
}

static void test_hostile_damage(void **state)
{
	struct raw r = { 0 };
	unsigned char *z;
	size_t zl;
	char *p;

	(void)state;
	/* bad checksum */
	raw_file(&r, "ok", "ok");
	raw_hdr(&r, "badsum", '0', 0, NULL, RAW_BADSUM, NULL);
	raw_end(&r);
	p = raw_save(&r, "badsum.tar", false);
	expect(p, -EBADMSG, "member 'badsum'");
	unlink(p);
	free(p);

	/* size larger than the data that follows */
	raw_file(&r, "ok", "ok");
	raw_hdr(&r, "short", '0', 100000, NULL, 0, NULL);
	raw_put(&r, "abc", 3);
	raw_pad(&r);
	raw_end(&r);
	p = raw_save(&r, "short.tar.gz", true);
	expect(p, -EBADMSG, "member 'short'");
	unlink(p);
	free(p);

	/* truncated: inside a member's data, inside a header, no end */
	raw_file(&r, "dir/first", "first");
	raw_file(&r, "dir/cut", "0123456789");
	r.n -= 512 - 4;
	p = raw_save(&r, "cut.tar", false);
	expect(p, -EBADMSG, "member 'dir/cut'");
	unlink(p);
	free(p);
	raw_file(&r, "dir/first", "first");
	raw_hdr(&r, "dir/cut", '0', 0, NULL, 0, NULL);
	r.n -= 300;
	p = raw_save(&r, "cut-header.tar.gz", true);
	expect(p, -EBADMSG, "truncated");
	unlink(p);
	free(p);
	raw_file(&r, "dir/first", "first");
	p = raw_save(&r, "no-end.tar", false);
	expect(p, -EBADMSG, "truncated");
	unlink(p);
	free(p);

	/* bad size field, negative base-256 */
	raw_hdr(&r, "badsize", '0', 0, NULL, 0, "12345678x01");
	raw_end(&r);
	p = raw_save(&r, "badsize.tar", false);
	expect(p, -EBADMSG, "member 'badsize'");
	unlink(p);
	free(p);
	raw_hdr(&r, "negsize", '0', 0, NULL, 0,
		"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff");
	raw_end(&r);
	p = raw_save(&r, "negsize.tar", false);
	expect(p, -EBADMSG, "member 'negsize'");
	unlink(p);
	free(p);

	/* a member declaring 2 GiB: beyond the data bound before any read */
	raw_hdr(&r, "huge", '0', 2ULL << 30, NULL, 0, NULL);
	raw_end(&r);
	p = raw_save(&r, "huge.tar.gz", true);
	expect(p, -EFBIG, "member 'huge'");
	unlink(p);
	free(p);

	/* gzip: garbage after the magic, a bad CRC, truncated */
	p = pjoin(outside, "garbage.tar.gz");
	write_file(p, "\x1f\x8b\x08\x00garbage garbage garbage", 28);
	expect(p, -EBADMSG, p);
	unlink(p);
	free(p);
	raw_file(&r, "crc", "data");
	raw_end(&r);
	gzip_buf(r.p, r.n, &z, &zl);
	z[zl - 8] ^= 0xff; /* CRC32 of the trailer */
	p = pjoin(outside, "crc.tar.gz");
	write_file(p, z, zl);
	expect(p, -EBADMSG, "incorrect data check");
	unlink(p);
	free(p);
	z[zl - 8] ^= 0xff;
	p = pjoin(outside, "gz-cut.tar.gz");
	write_file(p, z, zl / 2);
	expect(p, -EBADMSG, p);
	unlink(p);
	free(p);
	free(z);
	free(r.p);
	memset(&r, 0, sizeof(r));
}

static void test_hostile_ext(void **state)
{
	struct raw r = { 0 };
	char *p, *big, rec[128];
	size_t n;

	(void)state;
	/* a pax header whose record declares a 2 GiB path */
	n = (size_t)snprintf(rec, sizeof(rec), "2147483700 path=aaaa\n");
	raw_ext(&r, 'x', rec, n);
	raw_file(&r, "victim", "x");
	raw_end(&r);
	p = raw_save(&r, "pax2g.tar.gz", true);
	expect(p, -EBADMSG, "member 'PaxHeaders/x'");
	unlink(p);
	free(p);

	/* a pax header of 2 GiB */
	raw_hdr(&r, "PaxHeaders/big", 'x', 2ULL << 30, NULL, 0, NULL);
	raw_end(&r);
	p = raw_save(&r, "paxbig.tar.gz", true);
	expect(p, -EFBIG, "member 'PaxHeaders/big'");
	unlink(p);
	free(p);

	/* a GNU long name just over 1 MiB */
	big = malloc((1 << 20) + 2);
	memset(big, 'n', (1 << 20) + 1);
	big[(1 << 20) + 1] = '\0';
	raw_ext(&r, 'L', big, (1 << 20) + 2);
	raw_file(&r, "victim", "x");
	raw_end(&r);
	p = raw_save(&r, "gnubig.tar.gz", true);
	expect(p, -EFBIG, "member '././@LongLink'");
	unlink(p);
	free(p);

	/* a pax path longer than PATH_MAX */
	{
		char *val = malloc(PATH_MAX + 200), *recs;

		memset(val, 'p', PATH_MAX + 100);
		for (n = 50; n < PATH_MAX + 100; n += 51)
			val[n] = '/';
		val[PATH_MAX + 100] = '\0';
		assert_true(asprintf(&recs, "%zu path=%s\n", strlen(val) + 11,
				     val) > 0);
		raw_ext(&r, 'x', recs, strlen(recs));
		raw_file(&r, "victim", "x");
		raw_end(&r);
		p = raw_save(&r, "paxlong.tar", false);
		expect(p, -EFBIG, "member 'ppppp");
		unlink(p);
		free(p);
		free(recs);
		free(val);
	}
	free(big);

	/* NUL inside a pax path and inside a GNU long name */
	raw_ext(&r, 'x', "16 path=ab\0cdef\n", 16);
	raw_file(&r, "victim", "x");
	raw_end(&r);
	p = raw_save(&r, "paxnul.tar", false);
	expect(p, -EBADMSG, "NUL");
	unlink(p);
	free(p);
	raw_ext(&r, 'L', "long\0name\0", 10);
	raw_file(&r, "victim", "x");
	raw_end(&r);
	p = raw_save(&r, "gnunul.tar", false);
	expect(p, -EBADMSG, "NUL");
	unlink(p);
	free(p);

	/* pax "path" and "linkpath", GNU 'L' and 'K', 'g' ignored */
	{
		struct iommuctl_ctx *ctx;
		char *buf;

		raw_ext(&r, 'g', "19 comment=global!\n", 19);
		raw_ext(&r, 'x', "18 path=sys/named\n", 18);
		raw_file(&r, "ignored-name", "pax");
		raw_ext(&r, 'L', "sys/gnu-named", 14);
		raw_ext(&r, 'K', "named", 6);
		raw_hdr(&r, "ignored-link", '2', 0, "ignored", RAW_GNU, NULL);
		raw_ext(&r, 'x', "21 linkpath=../named\n", 21);
		raw_hdr(&r, "sys/pax-link", '2', 0, "ignored", 0, NULL);
		raw_end(&r);
		p = raw_save(&r, "ext.tar", false);
		ctx = new_ctx();
		if (iommuctl_set_root(ctx, p) != 0)
			fail_msg("%s", logbuf);
		assert_int_equal(sysfs_read_str(ctx, "/named", &buf), 0);
		assert_string_equal(buf, "pax");
		free(buf);
		assert_int_equal(sysfs_read_str(ctx, "/gnu-named", &buf), 0);
		assert_string_equal(buf, "pax");
		free(buf);
		assert_int_equal(sysfs_readlink(ctx, "/pax-link", &buf), 0);
		assert_string_equal(buf, "../named");
		free(buf);
		assert_false(sysfs_exists(ctx, "/ignored-name"));
		iommuctl_unref(ctx);
		assert_tmpdir_empty();
		unlink(p);
		free(p);
	}
}

/* ---- offline reads refuse what is not a file or directory -------- */

static void test_offline_fifo(void **state)
{
	struct iommuctl_ctx *ctx;
	char *dir = pjoin(top, "fifo-root"), *p, *buf = NULL;

	(void)state;
	assert_int_equal(
		run("mkdir -p '%s/proc' '%s/sys/kernel/iommu_groups/0'", dir,
		    dir),
		0);
	p = pjoin(dir, "proc/cmdline");
	assert_int_equal(mkfifo(p, 0644), 0);
	free(p);
	p = pjoin(dir, "sys/kernel/iommu_groups/0/type");
	if (mknod(p, S_IFCHR | 0644, makedev(1, 3)) < 0)
		assert_int_equal(mkfifo(p, 0644), 0); /* not root */
	free(p);
	ctx = new_ctx();
	assert_int_equal(iommuctl_set_root(ctx, dir), 0);
	assert_int_equal(sysfs_read_str(ctx, "/proc/cmdline", &buf), -EINVAL);
	assert_non_null(
		strstr(logbuf,
		       "/proc/cmdline: not a regular file in the --root tree"));
	assert_int_equal(sysfs_read_str(ctx, "/sys/kernel/iommu_groups/0/type",
					&buf),
			 -EINVAL);
	/* existence checks (O_PATH) still see them */
	assert_true(sysfs_exists(ctx, "/proc/cmdline"));
	iommuctl_unref(ctx);
	run("rm -rf '%s'", dir);
	free(dir);
}

static int setup(void **state)
{
	(void)state;
	top = mkdtemp(tmpl);
	if (!top)
		return -1;
	tmpdir = pjoin(top, "tmpdir");
	outside = pjoin(top, "outside");
	if (mkdir(tmpdir, 0700) < 0 || mkdir(outside, 0700) < 0)
		return -1;
	setenv("TMPDIR", tmpdir, 1);
	unsetenv("XDG_RUNTIME_DIR");
	/* these tests are about the unpack itself and where it goes without
	 * the cache (the snapshot tier covers the cache) */
	setenv("IOMMUCTL_NO_CACHE", "1", 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (count_entries(tmpdir))
		fprintf(stderr, "%s left behind\n", tmpdir);
	run("chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", top, top);
	free(tmpdir);
	free(outside);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_sha256_sum),
		cmocka_unit_test(test_writer_tools),
		cmocka_unit_test(test_writer_refusals),
		cmocka_unit_test(test_writer_errors),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_unpack_base),
		cmocka_unit_test(test_root_choice),
		cmocka_unit_test(test_fixture_bundle),
		cmocka_unit_test(test_interop),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_hostile_symlinks),
		cmocka_unit_test(test_hostile_types),
		cmocka_unit_test(test_hostile_damage),
		cmocka_unit_test(test_hostile_ext),
		cmocka_unit_test(test_offline_fifo),
	};

	return cmocka_run_group_tests_name("tar", tests, setup, teardown);
}
