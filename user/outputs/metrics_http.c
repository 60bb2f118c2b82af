/* metrics_http.c: `run --metrics-listen`: a thread that answers GET /metrics (and GET /) with
 * the last metrics text run published, so a slow or hostile client never holds up detection.
 * One client at a time, each with a 2 s deadline; anything else gets 404 or 405. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include "metrics.h"

struct metrics_http {
	int fd, stop_pipe[2];
	pthread_t thread;
	pthread_mutex_t lock;
	char *text;
	size_t len;
};

static int parse_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	const char *colon = strrchr(s, ':');
	char host[64];
	long port;
	char *end;

	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535)
		return -1;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - s), s);
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		host[strlen(host) - 1] = '\0';
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*in6);
		return inet_pton(AF_INET6, host + 1, &in6->sin6_addr) == 1 ? 0 : -1;
	}
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	*len = sizeof(*in);
	return inet_pton(AF_INET, host, &in->sin_addr) == 1 ? 0 : -1;
}

static void respond(struct metrics_http *h, int c, const char *req)
{
	char head[256], *body = NULL;
	const char *status = "200 OK";
	size_t blen = 0;
	int n;

	if (strncmp(req, "GET ", 4))
		status = "405 Method Not Allowed";
	else if (strncmp(req + 4, "/metrics ", 9) && strncmp(req + 4, "/ ", 2))
		status = "404 Not Found";
	pthread_mutex_lock(&h->lock);   /* a copy: a slow client never holds the lock */
	if (status[0] == '2' && h->text && (body = malloc(h->len)))
		memcpy(body, h->text, h->len), blen = h->len;
	pthread_mutex_unlock(&h->lock);
	n = snprintf(head, sizeof(head), "HTTP/1.1 %s\r\nContent-Type: text/plain; version=0.0.4; "
		     "charset=utf-8\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n", status,
		     blen);
	if (send(c, head, (size_t)n, MSG_NOSIGNAL) == n)
		for (size_t off = 0; off < blen; ) {
			ssize_t w = send(c, body + off, blen - off, MSG_NOSIGNAL);

			if (w <= 0)
				break;
			off += (size_t)w;
		}
	free(body);
}

/* The request's head, up to the blank line (or 4 KiB), within the socket's timeout. */
static void serve(struct metrics_http *h, int c)
{
	struct timeval tv = { .tv_sec = 2 };
	char req[4096];
	size_t n = 0;
	ssize_t r;

	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (n < sizeof(req) - 1 && (r = recv(c, req + n, sizeof(req) - 1 - n, 0)) > 0) {
		n += (size_t)r;
		req[n] = '\0';
		if (strstr(req, "\r\n\r\n") || strstr(req, "\n\n"))
			break;
	}
	req[n] = '\0';
	if (n)
		respond(h, c, req);
	close(c);
}

static void *loop(void *arg)
{
	struct metrics_http *h = arg;
	struct pollfd p[2] = { { .fd = h->fd, .events = POLLIN },
			       { .fd = h->stop_pipe[0], .events = POLLIN } };
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);   /* signals are the main thread's */

	while (poll(p, 2, -1) >= 0 || errno == EINTR) {
		int c;

		if (p[1].revents)
			break;
		if (!(p[0].revents & POLLIN))
			continue;
		if ((c = accept4(h->fd, NULL, NULL, SOCK_CLOEXEC)) >= 0)
			serve(h, c);
	}
	return NULL;
}

struct metrics_http *metrics_http_start(const char *addr, char *why, size_t wlen)
{
	struct metrics_http *h = calloc(1, sizeof(*h));
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1;

	if (!h || parse_addr(addr, &ss, &len)) {
		snprintf(why, wlen, "'%s': an address is IP:PORT or [IPv6]:PORT", addr);
		free(h);
		return NULL;
	}
	h->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (h->fd < 0 || setsockopt(h->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(h->fd, (struct sockaddr *)&ss, len) || listen(h->fd, 16) ||
	    pipe2(h->stop_pipe, O_CLOEXEC) || pthread_mutex_init(&h->lock, NULL) ||
	    (errno = pthread_create(&h->thread, NULL, loop, h))) {
		snprintf(why, wlen, "%s: %s", addr, strerror(errno));
		if (h->fd >= 0)
			close(h->fd);
		free(h);
		return NULL;
	}
	return h;
}

void metrics_http_publish(struct metrics_http *h, const char *text, size_t len)
{
	char *copy = malloc(len + 1);

	if (!copy)
		return;
	memcpy(copy, text, len);
	copy[len] = '\0';
	pthread_mutex_lock(&h->lock);
	free(h->text);
	h->text = copy;
	h->len = len;
	pthread_mutex_unlock(&h->lock);
}

void metrics_http_stop(struct metrics_http *h)
{
	if (!h)
		return;
	if (write(h->stop_pipe[1], "x", 1) == 1)
		pthread_join(h->thread, NULL);
	close(h->fd);
	close(h->stop_pipe[0]);
	close(h->stop_pipe[1]);
	pthread_mutex_destroy(&h->lock);
	free(h->text);
	free(h);
}
