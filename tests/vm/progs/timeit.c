// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/*
 * timeit: runs a command with stdout to /dev/null and prints its wall,
 * user and system time in microseconds, "wall_us user_us sys_us", for the
 * benchmarks the VM tier runs in guests (busybox has no such timer). A
 * test program of the VM tier, put into the guest by tests/vm/run.
 *
 *   timeit COMMAND [ARGS...]
 *
 * Exit status: the command's (1 if it did not exit normally), 2 for usage.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long us(struct timeval t)
{
	return (long long)t.tv_sec * 1000000 + t.tv_usec;
}

int main(int argc, char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	int status, fd;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: timeit COMMAND [ARGS...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = fork();
	if (pid < 0) {
		perror("timeit: fork");
		return 1;
	}
	if (!pid) {
		fd = open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, 1);
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("timeit: wait4");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%lld %lld %lld\n",
	       (long long)(b.tv_sec - a.tv_sec) * 1000000 +
		       (b.tv_nsec - a.tv_nsec) / 1000,
	       us(ru.ru_utime), us(ru.ru_stime));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
