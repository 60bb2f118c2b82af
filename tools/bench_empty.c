/* bench_empty.c: holds bpf/empty.bpf.c attached until SIGINT/SIGTERM, for tools/bench.sh: the
 * "empty BPF program on the same tracepoints" floor. Prints `ready` on stderr once attached. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include "empty.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(void)
{
	struct empty_bpf *skel = empty_bpf__open_and_load();

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!skel || empty_bpf__attach(skel)) {
		fprintf(stderr, "bench_empty: cannot load or attach bpf/empty.bpf.c (root?)\n");
		empty_bpf__destroy(skel);
		return 1;
	}
	fprintf(stderr, "bench_empty: ready\n");
	while (!stop)
		pause();
	empty_bpf__destroy(skel);
	return 0;
}
