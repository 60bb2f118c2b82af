/* syslog_out.c: RFC 5424 / RFC 3164 messages to the local socket or a collector over UDP or TCP,
 * through a bounded queue that survives the collector going away (include/syslog_out.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "outfmt.h"
#include "syslog_out.h"

#define FACILITY_AUTHPRIV 10
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000

struct qmsg {
	char *buf;
	size_t len;
	uint64_t sent_ms;           /* when it went out (kept for SYSLOG_RESEND_MS on TCP) */
	bool alert;
};

enum conn_state { DOWN, CONNECTING, UP };

struct syslog_out {
	struct syslog_dest d;
	int fd;
	enum conn_state state;
	uint64_t next_try_ms;       /* DOWN: when to connect again */
	unsigned backoff_ms;
	struct qmsg q[SYSLOG_QUEUE_MAX];
	unsigned head, n;           /* the ring: n messages from head */
	unsigned nsent;             /* the first nsent of them went out (kept to resend) */
	size_t off;                 /* bytes of the first unsent one already written (TCP) */
	size_t bytes;
	char host[256];
	struct syslog_stats st;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void syslog_local_dest(struct syslog_dest *d)
{
	memset(d, 0, sizeof(*d));
	d->proto = SYSLOG_UNIX;
	snprintf(d->path, sizeof(d->path), "/dev/log");
	snprintf(d->name, sizeof(d->name), "/dev/log");
}

/* "HOST:PORT", "[V6]:PORT" or "HOST" into host and port. */
static int split_hostport(const char *s, char *host, size_t hlen, char *port, size_t plen)
{
	const char *c;

	if (*s == '[') {
		if (!(c = strchr(s, ']')) || (size_t)(c - s - 1) >= hlen)
			return -1;
		snprintf(host, hlen, "%.*s", (int)(c - s - 1), s + 1);
		c++;
	} else {
		c = strrchr(s, ':');
		c = c ? c : s + strlen(s);
		if ((size_t)(c - s) >= hlen)
			return -1;
		snprintf(host, hlen, "%.*s", (int)(c - s), s);
	}
	if (*c && *c != ':')
		return -1;
	snprintf(port, plen, "%s", *c ? c + 1 : "514");
	return host[0] && port[0] ? 0 : -1;
}

int syslog_parse_dest(const char *url, struct syslog_dest *d, char *why, size_t len)
{
	struct addrinfo hints = { 0 }, *res = NULL;
	char host[256], port[16];
	int rc;

	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", url);
	if (!strncmp(url, "unix://", 7) && url[7] == '/' && strlen(url + 7) < sizeof(d->path)) {
		d->proto = SYSLOG_UNIX;
		snprintf(d->path, sizeof(d->path), "%s", url + 7);
		return 0;
	}
	if (strncmp(url, "tcp://", 6) && strncmp(url, "udp://", 6)) {
		snprintf(why, len, "'%s': a collector is tcp://HOST:PORT or udp://HOST:PORT", url);
		return -1;
	}
	d->proto = url[0] == 't' ? SYSLOG_TCP : SYSLOG_UDP;
	if (split_hostport(url + 6, host, sizeof(host), port, sizeof(port))) {
		snprintf(why, len, "'%s': no HOST:PORT after the scheme", url);
		return -1;
	}
	hints.ai_socktype = d->proto == SYSLOG_TCP ? SOCK_STREAM : SOCK_DGRAM;
	if ((rc = getaddrinfo(host, port, &hints, &res)) || !res) {
		snprintf(why, len, "'%s': %s", url, gai_strerror(rc));
		return -1;
	}
	memcpy(&d->addr, res->ai_addr, res->ai_addrlen);
	d->addr_len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/* RFC 5424 HOSTNAME: printable US-ASCII without spaces, at most 255, "-" when unknown. */
static void clean_host(char *dst, size_t cap, const char *src)
{
	size_t n = 0;

	for (; *src && n + 1 < cap && n < 255; src++)
		if (*src > 32 && *src < 127)
			dst[n++] = *src;
	if (!n)
		dst[n++] = '-';
	dst[n] = '\0';
}

static bool use_5424(const struct syslog_dest *d)
{
	return d->format == SYSLOG_RFC5424 || (d->format == SYSLOG_FMT_DEFAULT &&
					       d->proto != SYSLOG_UNIX);
}

size_t syslog_format_msg(const struct syslog_dest *d, char *buf, size_t cap, int severity,
			 const char *msgid, const char *host, uint64_t wall_ns, int pid,
			 const char *msg, size_t len)
{
	int pri = FACILITY_AUTHPRIV * 8 + severity, n;
	char when[48];

	if (len && msg[len - 1] == '\n')
		len--;
	if (use_5424(d)) {
		out_wall_time(when, sizeof(when), wall_ns);
		n = snprintf(buf, cap, "<%d>1 %s %s shellwatch %d %s - ", pri, when, host, pid,
			     msgid);
	} else {
		time_t t = (time_t)(wall_ns / 1000000000ull);
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(when, sizeof(when), "%b %e %H:%M:%S", &tm);
		n = snprintf(buf, cap, "<%d>%s %s%sshellwatch[%d]: ", pri, when,
			     d->proto == SYSLOG_UNIX ? "" : host, d->proto == SYSLOG_UNIX ? "" : " ",
			     pid);
	}
	for (size_t i = 0; i < len && (size_t)n + i < cap; i++)   /* one line, whatever msg holds */
		buf[(size_t)n + i] = (unsigned char)msg[i] < 32 ? ' ' : msg[i];
	return (size_t)n + len;
}

struct syslog_out *syslog_out_new(const struct syslog_dest *d)
{
	struct syslog_out *s = calloc(1, sizeof(*s));
	char h[256];

	if (!s)
		return NULL;
	s->d = *d;
	s->fd = -1;
	if (gethostname(h, sizeof(h)))
		h[0] = '\0';
	h[sizeof(h) - 1] = '\0';
	clean_host(s->host, sizeof(s->host), h);
	syslog_out_tick(s);
	return s;
}

const char *syslog_out_name(const struct syslog_out *s)
{
	return s->d.name;
}

static struct qmsg *at(struct syslog_out *s, unsigned i)
{
	return &s->q[(s->head + i) % SYSLOG_QUEUE_MAX];
}

static void pop_head(struct syslog_out *s)
{
	struct qmsg *m = at(s, 0);

	s->bytes -= m->len;
	free(m->buf);
	m->buf = NULL;
	s->head = (s->head + 1) % SYSLOG_QUEUE_MAX;
	s->n--;
	s->nsent--;
}

/* Forget what went out long enough ago (TCP), or at all (UDP, local: nothing to resend). */
static void prune(struct syslog_out *s, uint64_t now)
{
	while (s->nsent && (s->d.proto != SYSLOG_TCP || now - at(s, 0)->sent_ms > SYSLOG_RESEND_MS))
		pop_head(s);
}

/* The connection broke: close it; on TCP what went out in the last SYSLOG_RESEND_MS goes again. */
static void broken(struct syslog_out *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->state = DOWN;
	s->st.errors++;
	prune(s, now_ms());
	s->st.resent += s->nsent;
	s->nsent = 0;
	s->off = 0;
	s->next_try_ms = now_ms() + s->backoff_ms;
	s->backoff_ms = s->backoff_ms ? s->backoff_ms * 2 : BACKOFF_MIN_MS;
	if (s->backoff_ms > BACKOFF_MAX_MS)
		s->backoff_ms = BACKOFF_MAX_MS;
}

static void up(struct syslog_out *s)
{
	s->state = UP;
	s->backoff_ms = 0;
	s->st.connects++;
}

static void try_connect(struct syslog_out *s)
{
	int type = s->d.proto == SYSLOG_TCP ? SOCK_STREAM : SOCK_DGRAM;
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	const struct sockaddr *sa = (const struct sockaddr *)&s->d.addr;
	socklen_t len = s->d.addr_len;

	if (s->d.proto == SYSLOG_UNIX) {
		memcpy(un.sun_path, s->d.path, sizeof(s->d.path));
		sa = (const struct sockaddr *)&un, len = sizeof(un);
	}
	s->fd = socket(sa->sa_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd >= 0 && !connect(s->fd, sa, len))
		up(s);
	else if (s->fd >= 0 && errno == EINPROGRESS)
		s->state = CONNECTING;
	else
		broken(s);
}

/* A connect in progress: done, failed, or still going. */
static void check_connecting(struct syslog_out *s)
{
	struct pollfd p = { .fd = s->fd, .events = POLLOUT };
	int err = 0;
	socklen_t l = sizeof(err);

	if (poll(&p, 1, 0) <= 0)
		return;
	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &l) || err)
		broken(s);
	else
		up(s);
}

/* TCP: the collector closed or reset the connection (it never sends anything). */
static bool peer_gone(struct syslog_out *s)
{
	char c[64];
	ssize_t r;

	while ((r = recv(s->fd, c, sizeof(c), MSG_DONTWAIT)) > 0)
		;
	return r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

/* Write what is left of m from s->off; on TCP it is framed by RFC 6587 octet counting ("LEN "
 * before it, hl bytes). The bytes written, or -1 with errno. */
static ssize_t send_rest(struct syslog_out *s, const struct qmsg *m, size_t hl)
{
	char head[24];
	struct iovec iov[2];
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 1 };

	if (hl)
		snprintf(head, sizeof(head), "%zu ", m->len);
	if (s->off < hl) {
		iov[0] = (struct iovec){ head + s->off, hl - s->off };
		iov[1] = (struct iovec){ m->buf, m->len };
		mh.msg_iovlen = 2;
	} else {
		iov[0] = (struct iovec){ m->buf + (s->off - hl), m->len - (s->off - hl) };
	}
	return sendmsg(s->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void flush(struct syslog_out *s)
{
	while (s->nsent < s->n) {
		struct qmsg *m = at(s, s->nsent);
		size_t hl = s->d.proto == SYSLOG_TCP ? (size_t)snprintf(NULL, 0, "%zu ", m->len) : 0;
		ssize_t w = send_rest(s, m, hl);

		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS))
			return;
		if (w < 0 && errno == ECONNREFUSED && s->d.proto == SYSLOG_UDP) {
			s->st.errors++;   /* an earlier datagram's ICMP: this one was not sent */
			continue;
		}
		if (w < 0) {
			broken(s);
			return;
		}
		s->off += (size_t)w;
		if (s->off < hl + m->len)
			return;
		s->off = 0;
		m->sent_ms = now_ms();
		s->nsent++;
		s->st.sent++;
	}
}

void syslog_out_tick(struct syslog_out *s)
{
	uint64_t now = now_ms();

	prune(s, now);
	if (s->state == DOWN && now >= s->next_try_ms)
		try_connect(s);
	if (s->state == CONNECTING)
		check_connecting(s);
	/* a collector that closes or resets the connection is noticed within a tick, so what
	 * went out just before is still in the resend window */
	if (s->state == UP && s->d.proto == SYSLOG_TCP && peer_gone(s))
		broken(s);
	else if (s->state == UP)
		flush(s);
}

/* TCP at the end: half-close and wait for the collector to close its side, which it does once
 * it has read everything. 1: confirmed; 0: not yet; -1: the connection broke. */
static int confirm(struct syslog_out *s, bool *shut)
{
	struct pollfd p = { .fd = s->fd, .events = POLLIN };
	char c[64];
	ssize_t r;

	if (!*shut && shutdown(s->fd, SHUT_WR))
		return -1;
	*shut = true;
	if (poll(&p, 1, 20) <= 0)
		return 0;
	while ((r = recv(s->fd, c, sizeof(c), MSG_DONTWAIT)) > 0)
		;
	if (r == 0)
		return 1;
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
}

void syslog_out_close(struct syslog_out *s, int wait_ms, struct syslog_stats *final)
{
	uint64_t end = now_ms() + (uint64_t)wait_ms;
	bool shut = false;
	int c;

	if (!s)
		return;
	while (now_ms() < end && (s->nsent < s->n || (s->d.proto == SYSLOG_TCP && s->nsent))) {
		if (s->nsent == s->n && s->state == UP && s->d.proto == SYSLOG_TCP) {
			if ((c = confirm(s, &shut)) > 0)
				while (s->n)      /* read by the collector */
					pop_head(s);
			else if (c < 0)
				broken(s), shut = false;
			continue;
		}
		syslog_out_tick(s);
		if (s->nsent < s->n)
			poll(NULL, 0, 10);
	}
	for (unsigned i = s->nsent; i < s->n; i++) {
		s->st.dropped++;
		s->st.dropped_alerts += at(s, i)->alert;
	}
	s->nsent = s->n;
	while (s->n)
		pop_head(s);
	syslog_out_stats(s, final);
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

void syslog_out_send(struct syslog_out *s, int severity, const char *msgid, const char *msg,
		     size_t len, bool is_alert)
{
	size_t cap = len + 512, n;
	char *buf = malloc(cap + 16);
	struct qmsg *m;

	prune(s, now_ms());
	while (s->nsent && (s->n == SYSLOG_QUEUE_MAX || s->bytes + cap > SYSLOG_QUEUE_BYTES))
		pop_head(s);   /* sent already: only the chance to resend it goes */
	if (!buf || s->n == SYSLOG_QUEUE_MAX || s->bytes + cap > SYSLOG_QUEUE_BYTES) {
		free(buf);
		s->st.dropped++;
		s->st.dropped_alerts += is_alert;
		return;
	}
	n = syslog_format_msg(&s->d, buf, cap, severity, msgid, s->host, out_wall_now_ns(),
			      (int)getpid(), msg, len);
	m = at(s, s->n++);
	*m = (struct qmsg){ .buf = buf, .len = n < cap ? n : cap, .alert = is_alert };
	s->bytes += m->len;
	s->st.queued++;
	syslog_out_tick(s);
}

void syslog_out_stats(const struct syslog_out *s, struct syslog_stats *st)
{
	*st = s->st;
	st->pending = s->n - s->nsent;
	st->connected = s->state == UP;
}
