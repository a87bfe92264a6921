// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * THEORY OF OPERATION: the peak resident set size of a command, for
 * tests/bench/run where GNU time is not installed: runs the command with
 * its output left alone, waits for it with wait4() and prints ru_maxrss
 * (KiB) on stderr as "maxrss KIB". The exit status is the command's.
 *
 *   maxrss COMMAND [ARG...]
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: maxrss COMMAND [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("maxrss: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "maxrss: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("maxrss: wait4");
			return 2;
		}
	}
	fprintf(stderr, "maxrss %ld\n", ru.ru_maxrss);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
