// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: the floor for the enumeration benchmark
 * (tests/bench/enum): the least work any IOMMU group enumerator does. For
 * each group in /sys/kernel/iommu_groups, list its devices/ directory and,
 * for each member, read vendor, device and class (open, one read, close,
 * relative to the directory's fd, no path resolution through /sys/bus) and
 * readlinkat() its driver link; print one line per device. No sorting, no
 * config space, no checks beyond bounds: about 10 syscalls per device plus
 * the directory listings.
 *
 *   walk-raw [GROUPS_DIR]   (default /sys/kernel/iommu_groups)
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void attr(int dfd, const char *dev, const char *name, char *out,
		 size_t size)
{
	char p[512];
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dev, name);
	out[0] = '\0';
	fd = openat(dfd, p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, out, size - 1);
	close(fd);
	if (n <= 0)
		n = 0;
	if (n && out[n - 1] == '\n')
		n--;
	out[n] = '\0';
}

int main(int argc, char **argv)
{
	const char *base = argc > 1 ? argv[1] : "/sys/kernel/iommu_groups";
	struct dirent *ge, *de;
	DIR *groups, *devs;
	unsigned long n = 0;

	groups = opendir(base);
	if (!groups) {
		perror(base);
		return 1;
	}
	while ((ge = readdir(groups))) {
		char p[512];
		int dfd;

		if (ge->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/devices", ge->d_name);
		dfd = openat(dirfd(groups), p,
			     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			continue;
		devs = fdopendir(dfd);
		if (!devs) {
			close(dfd);
			continue;
		}
		while ((de = readdir(devs))) {
			char ven[32], dev[32], cls[32], drv[256];
			ssize_t l;

			if (de->d_name[0] == '.')
				continue;
			attr(dfd, de->d_name, "vendor", ven, sizeof(ven));
			attr(dfd, de->d_name, "device", dev, sizeof(dev));
			attr(dfd, de->d_name, "class", cls, sizeof(cls));
			snprintf(p, sizeof(p), "%s/driver", de->d_name);
			l = readlinkat(dfd, p, drv, sizeof(drv) - 1);
			drv[l > 0 ? l : 0] = '\0';
			printf("%s %s %s %s %s %s\n", ge->d_name, de->d_name,
			       ven, dev, cls,
			       l > 0 ? (strrchr(drv, '/') ?
						strrchr(drv, '/') + 1 :
						drv) :
				       "-");
			n++;
		}
		closedir(devs);
	}
	closedir(groups);
	return n ? 0 : 1;
}
