/* bench_loop.c: the benchmark's workloads, timed with CLOCK_MONOTONIC; prints ns per operation.
 *
 *   bench_loop dup2 N        dup2 of a socket onto fd 100: an event the sensor keeps and sends
 *   bench_loop dup2-pipe N   dup2 of a pipe onto fd 100: a call the sensor filters in the kernel
 *   bench_loop exec N        fork + exec /bin/true + wait
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int dup_loop(int fd, long n)
{
	for (long i = 0; i < n; i++)
		if (dup2(fd, 100) != 100)
			return -1;
	return 0;
}

static int exec_loop(long n)
{
	for (long i = 0; i < n; i++) {
		int st;
		pid_t pid = fork();

		if (pid < 0)
			return -1;
		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc == 3 ? atol(argv[2]) : 0;
	int p[2], rc;
	double t0;

	if (n <= 0 || (strcmp(argv[1], "dup2") && strcmp(argv[1], "dup2-pipe") && strcmp(argv[1], "exec"))) {
		fprintf(stderr, "usage: bench_loop dup2|dup2-pipe|exec N\n");
		return 2;
	}
	if (!strcmp(argv[1], "dup2"))
		p[0] = socket(AF_INET, SOCK_STREAM, 0);
	else if (pipe(p))
		p[0] = -1;
	if (p[0] < 0) {
		perror("bench_loop");
		return 1;
	}
	t0 = now_ns();
	rc = !strcmp(argv[1], "exec") ? exec_loop(n) : dup_loop(p[0], n);
	if (rc) {
		perror("bench_loop");
		return 1;
	}
	printf("%.1f\n", (now_ns() - t0) / n);
	return 0;
}
