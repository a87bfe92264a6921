// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: writes a bundle with the library's writer
 * (iommuctl_bundle_*), so tests/fuzz/seeds can make the tar target's seeds
 * from captured fixture files. Each PATH (relative to DIR; a directory is
 * taken whole, symlinks are recorded, not followed) is added after its
 * parent directories, below PREFIX when -p is given. mtime 0: the same
 * files give the same bytes.
 *
 *   mkbundle [-z] [-p PREFIX] OUT DIR [PATH...]
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <iommuctl/libiommuctl.h>

static struct iommuctl_bundle *b;
static const char *prefix;
static size_t skip; /* length of "DIR/" */
static char **added;
static size_t nadded;

static void die(const char *what, int err)
{
	fprintf(stderr, "mkbundle: %s: %s\n", what, strerror(err));
	exit(1);
}

static char *member(const char *rel)
{
	char *m;

	if (asprintf(&m, "%s%s%s", prefix ? prefix : "", prefix ? "/" : "",
		     rel) < 0)
		die("asprintf", ENOMEM);
	return m;
}

/* Each directory once. */
static int seen(const char *m)
{
	size_t i;

	for (i = 0; i < nadded; i++)
		if (!strcmp(added[i], m))
			return 1;
	added = realloc(added, (nadded + 1) * sizeof(*added));
	if (!added || !(added[nadded] = strdup(m)))
		die("realloc", ENOMEM);
	nadded++;
	return 0;
}

static void add_dir(const char *m, mode_t mode)
{
	int rc;

	if (seen(m))
		return;
	rc = iommuctl_bundle_add_dir(b, m, mode & 0777);
	if (rc < 0)
		die(m, -rc);
}

static int add_one(const char *path, const struct stat *st, int flag,
		   struct FTW *ftw)
{
	char *m = member(path + skip), *data = NULL;
	char target[PATH_MAX];
	ssize_t n;
	size_t len = 0;
	int fd, rc = 0;

	(void)ftw;
	if (flag == FTW_D) {
		add_dir(m, st->st_mode);
	} else if (flag == FTW_SL || flag == FTW_SLN) {
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			die(path, errno);
		target[n] = '\0';
		rc = iommuctl_bundle_add_symlink(b, m, target);
	} else if (flag == FTW_F && S_ISREG(st->st_mode)) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die(path, errno);
		data = malloc((size_t)st->st_size + 1);
		if (!data)
			die(path, ENOMEM);
		while (len < (size_t)st->st_size) {
			n = read(fd, data + len, (size_t)st->st_size - len);
			if (n <= 0)
				die(path, n < 0 ? errno : EIO);
			len += (size_t)n;
		}
		close(fd);
		rc = iommuctl_bundle_add_file(b, m, data, len,
					      st->st_mode & 0777);
		free(data);
	}
	if (rc < 0)
		die(m, -rc);
	free(m);
	return 0;
}

int main(int argc, char **argv)
{
	struct iommuctl_ctx *ctx;
	bool gzip = false;
	int opt, fd, rc, i;
	char *p, *s;

	while ((opt = getopt(argc, argv, "zp:")) != -1) {
		if (opt == 'z')
			gzip = true;
		else if (opt == 'p')
			prefix = optarg;
		else
			goto usage;
	}
	if (argc - optind < 2)
		goto usage;
	if (iommuctl_new(&ctx) < 0)
		die("iommuctl_new", ENOMEM);
	fd = open(argv[optind], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die(argv[optind], errno);
	rc = iommuctl_bundle_new(ctx, fd, gzip, 0, &b);
	if (rc < 0)
		die("iommuctl_bundle_new", -rc);
	if (prefix)
		add_dir(prefix, 0755);
	skip = strlen(argv[optind + 1]) + 1;
	for (i = optind + 2; i < argc; i++) {
		/* the parents first */
		s = strdup(argv[i]);
		if (!s)
			die("strdup", ENOMEM);
		for (p = strchr(s, '/'); p; p = strchr(p + 1, '/')) {
			char *m;

			*p = '\0';
			m = member(s);
			add_dir(m, 0755);
			free(m);
			*p = '/';
		}
		free(s);
		if (asprintf(&s, "%s/%s", argv[optind + 1], argv[i]) < 0)
			die("asprintf", ENOMEM);
		if (nftw(s, add_one, 16, FTW_PHYS) < 0)
			die(s, errno);
		free(s);
	}
	rc = iommuctl_bundle_finish(b);
	if (rc < 0)
		die(argv[optind], -rc);
	if (close(fd) < 0)
		die(argv[optind], errno);
	iommuctl_unref(ctx);
	for (i = 0; (size_t)i < nadded; i++)
		free(added[i]);
	free(added);
	return 0;
usage:
	fprintf(stderr, "usage: mkbundle [-z] [-p PREFIX] OUT DIR [PATH...]\n");
	return 2;
}
