/* bench_loop.c: the benchmark's workloads, timed with CLOCK_MONOTONIC; prints ns per operation.
 *
 *   bench_loop dup2 N        dup2 of a socket onto fd 100: an event the sensor keeps and sends
 *   bench_loop dup2-pipe N   dup2 of a pipe onto fd 100: a call the sensor filters in the kernel
 *   bench_loop exec N        fork + exec /bin/true + wait
 *   bench_loop tcp-rr N      a 64-byte request and its 64-byte answer over loopback TCP, to a child
 *                            that echoes (both sides receive: what the sensor's recv hook costs)
 *   bench_loop tcp-stream N  N reads of up to 64 KiB of a loopback TCP stream a child writes
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
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

/* A connected loopback TCP pair: *a for us, *b for the child. */
static int tcp_pair(int *a, int *b)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&sa, &len))
		return -1;
	*a = socket(AF_INET, SOCK_STREAM, 0);
	if (*a < 0 || connect(*a, (struct sockaddr *)&sa, sizeof(sa)) || (*b = accept(l, NULL, NULL)) < 0)
		return -1;
	setsockopt(*a, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(*b, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	close(l);
	return 0;
}

/* The child: echo what comes (rr), or write as fast as it can (stream), until the peer closes. */
static void tcp_child(int fd, int stream)
{
	static char buf[65536];
	ssize_t n;

	if (stream) {
		while (write(fd, buf, sizeof(buf)) > 0)
			;
		_exit(0);
	}
	while ((n = read(fd, buf, 64)) > 0)
		if (write(fd, buf, (size_t)n) != n)
			break;
	_exit(0);
}

static int tcp_loop(long n, int stream)
{
	static char buf[65536];
	int a, b;
	pid_t pid;

	if (tcp_pair(&a, &b))
		return -1;
	if ((pid = fork()) == 0) {
		close(a);
		tcp_child(b, stream);
	}
	close(b);
	for (long i = 0; i < n; i++) {
		if (!stream && write(a, buf, 64) != 64)
			return -1;
		for (ssize_t got = 0, want = stream ? 1 : 64; got < want;) {
			ssize_t r = read(a, buf + got, stream ? sizeof(buf) : (size_t)(want - got));

			if (r <= 0)
				return -1;
			got += r;
		}
	}
	close(a);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc == 3 ? atol(argv[2]) : 0;
	int p[2], rc;
	double t0;

	if (n > 0 && !strncmp(argv[1], "tcp-", 4)) {
		t0 = now_ns();
		if (tcp_loop(n, !strcmp(argv[1], "tcp-stream"))) {
			perror("bench_loop");
			return 1;
		}
		printf("%.1f\n", (now_ns() - t0) / n);
		return 0;
	}
	if (n <= 0 || (strcmp(argv[1], "dup2") && strcmp(argv[1], "dup2-pipe") && strcmp(argv[1], "exec"))) {
		fprintf(stderr, "usage: bench_loop dup2|dup2-pipe|exec|tcp-rr|tcp-stream N\n");
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
