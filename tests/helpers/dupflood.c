/* dupflood.c: an event flood for the live tests (tests/detect/flood.sh): dup2 of a connected TCP
 * socket onto fd 100, as fast as it can, for at most SECONDS.
 *
 *   dupflood [--filtered] SECONDS
 *
 * Makes its own loopback connection first (a listener on 127.0.0.1 on a port the kernel picks,
 * connect, accept), so every dup2 is of an inet socket: an event the sensor keeps (sock=1), not
 * one it filters in the kernel. With --filtered it copies a pipe instead: the same load on the
 * CPUs and on the BPF program, but every call is filtered in the kernel (no event), the baseline
 * the flood is compared with. Prints "ready" once it starts the loop, and "N dup2 in S s" when
 * the time is up or at SIGTERM/SIGINT. Exit 2 on bad usage, 1 when a call fails.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A connected TCP socket on loopback; the other ends are left open (and leak) on purpose. */
static int loopback_conn(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0), c;

	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &len))
		return -1;
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) || accept(l, NULL, NULL) < 0)
		return -1;
	return c;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int filtered = argc == 3 && strcmp(argv[1], "--filtered") == 0;
	double secs = argc == 2 + filtered ? atof(argv[1 + filtered]) : 0, t0, end, t;
	unsigned long long n = 0;
	int s, p[2];

	if (secs <= 0) {
		fprintf(stderr, "usage: dupflood [--filtered] SECONDS\n");
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	s = filtered ? (pipe(p) ? -1 : p[0]) : loopback_conn();
	if (s < 0) {
		perror("dupflood");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	t0 = now_s();
	end = t0 + secs;
	for (t = t0; !stop && t < end; t = now_s()) {
		for (int i = 0; i < 4096; i++, n++)
			if (dup2(s, 100) != 100) {
				perror("dupflood: dup2");
				return 1;
			}
	}
	printf("%llu dup2 in %.2f s\n", n, now_s() - t0);
	return 0;
}
