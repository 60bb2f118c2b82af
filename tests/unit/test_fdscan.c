/* test_fdscan.c: the start-up scan's file tables (user/sources/fdscan.c): records in any order
 * found by pid, fds 0-2 with what is not open as none, connections off stdio told accepted (a
 * listener has their local port) from connected, listeners and unconnected sockets left out. */
#include <string.h>
#include "fdscan.h"
#include "tap.h"

static struct wire_scan rec(uint32_t pid, int32_t fd, uint8_t kind, uint16_t lport,
			    uint16_t pport, uint8_t listening)
{
	struct wire_scan r = { .pid = pid, .fd = fd, .listening = listening };

	r.f.kind = kind;
	r.f.family = kind == WIRE_FD_SOCK ? 2 : 0;
	r.f.lport = lport, r.f.pport = pport;
	return r;
}

static int nsocks, naccepted;

static void count(void *ctx, int32_t fd, const struct wire_fd *s, bool accepted)
{
	(void)ctx, (void)s;
	(void)fd;
	nsocks++, naccepted += accepted;
}

static void test_lookup(void)
{
	struct fdscan *t = fdscan_new();
	struct wire_fd st[3];
	struct wire_scan r[] = {
		rec(300, 7, WIRE_FD_SOCK, 8080, 0, 1),       /* a listener on 8080 (another process) */
		rec(200, 2, WIRE_FD_TTY, 0, 0, 0),
		rec(200, 0, WIRE_FD_SOCK, 40000, 4444, 0),
		rec(100, 1, WIRE_FD_PIPE, 0, 0, 0),
		rec(200, 9, WIRE_FD_SOCK, 8080, 51000, 0),   /* accepted: 8080 has a listener */
		rec(200, 5, WIRE_FD_SOCK, 41000, 443, 0),    /* connected */
		rec(200, 6, WIRE_FD_SOCK, 5353, 0, 0),       /* unconnected (udp): not a connection */
	};

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		fdscan_add(t, &r[i]);
	fdscan_finish(t);
	CHECK(fdscan_stdio(t, 200, st) && st[0].kind == WIRE_FD_SOCK && st[0].pport == 4444 &&
	      st[1].kind == WIRE_FD_NONE && st[2].kind == WIRE_FD_TTY);
	CHECK(fdscan_stdio(t, 100, st) && st[0].kind == WIRE_FD_NONE && st[1].kind == WIRE_FD_PIPE);
	CHECK(!fdscan_stdio(t, 150, st));                  /* not scanned: /proc's answer stays */
	fdscan_socks(t, 200, count, NULL);
	CHECKF(nsocks == 2 && naccepted == 1, "%d sockets, %d accepted", nsocks, naccepted);
	nsocks = naccepted = 0;
	fdscan_socks(t, 300, count, NULL);                 /* its listener is not a connection */
	CHECK(nsocks == 0);
	CHECK(fdscan_dropped(t) == 0);
	fdscan_free(t);
	fdscan_free(NULL);
}

int main(void)
{
	RUN(test_lookup);
	return tap_done();
}
