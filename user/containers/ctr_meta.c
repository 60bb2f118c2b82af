/* ctr_meta.c: container names, images and pods from the runtime's own API, cached, asked by a
 * worker thread so an alert never waits for a runtime (include/ctr_meta.h, docs/containers.md).
 *
 * Why a thread and a cache: the first question about a container takes a connect and an HTTP
 * exchange with a daemon that may be slow, hung or absent; the alert path only reads the cache
 * under a short lock and, for a container it has not seen, queues the question (a bounded ring:
 * beyond it questions are dropped and counted, and asked again at a later lookup). Failures are
 * cached too (per container, and per runtime when its socket does not answer at all), so a host
 * without a runtime costs one connect attempt per runtime_retry_ms.
 *
 * The answer is read within one deadline, at most max_response bytes; the HTTP framing
 * (Content-Length, chunked, or to the end) is parsed here, the JSON by json-c (a depth-limited
 * tokener), and only four strings are kept. The id is checked to be 64 hex digits before it goes
 * into a request line. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>
#include "ctr_meta.h"
#include "jsonw.h"   /* utf8_seq */

#define NIL           0u      /* "no entry" in the index links (entries are numbered from 1) */
#define MAX_HEADERS   16384   /* bytes of status line and headers */
#define JSON_DEPTH    32

/* How a question ended; ASK_SKIPPED: not asked, its runtime went down while it waited. */
enum ask { ASK_OK, ASK_NOT_FOUND, ASK_BAD, ASK_UNREACHABLE, ASK_SKIPPED, ASK_STOPPED };

struct entry {
	uint8_t rt, state;       /* state: enum ctr_meta_state; rt CTR_NONE: a free entry */
	char id[CTR_ID_LEN + 1];
	uint64_t expires_ms;     /* CTR_META_NONE: asked again after this */
	uint32_t hnext;          /* hash chain */
	uint32_t prev, next;     /* recency list, most recent first */
	struct ctr_meta_info info;
};

struct question {
	uint8_t rt;
	char id[CTR_ID_LEN + 1];
};

struct ctr_meta {
	struct ctr_meta_opts o;
	pthread_mutex_t lock;
	pthread_cond_t work, done;
	pthread_t thread;
	bool stop;
	int stop_pipe[2];        /* written at free: wakes a worker in poll() */
	struct entry *e;         /* e[1 .. o.cache_entries] */
	uint32_t *bucket, nbuckets, used, head, tail;
	struct question *q;
	unsigned qhead, qlen;
	uint64_t down_until[CTR_OTHER + 1];   /* per runtime: not asked before this */
	uint64_t gen;
	struct ctr_meta_stats st;
	char *buf;               /* the worker's response buffer, o.max_response bytes */
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct ctr_meta_opts ctr_meta_opts_default(void)
{
	struct ctr_meta_opts o = {
		.docker_socket = "/var/run/docker.sock",
		.podman_socket = "/run/podman/podman.sock",
		.timeout_ms = 500,
		.cache_entries = 1024,
		.queue_len = 64,
		.negative_ttl_ms = 60000,
		.runtime_retry_ms = 30000,
		.max_response = 256 * 1024,
	};
	return o;
}

/* ---- the answer: HTTP framing, then JSON ---- */

struct frame {
	int status;
	size_t body;        /* offset of the body */
	size_t body_len;    /* decoded length (chunked: the sum of the chunks) */
	size_t clen;        /* Content-Length, when has_clen */
	bool chunked, has_clen;
};

/* The header named name (lower case) in the line [l, e): its value, trimmed, in [*v, *ve). */
static bool header(const char *l, const char *e, const char *name, const char **v, const char **ve)
{
	size_t n = strlen(name);

	if ((size_t)(e - l) <= n || strncasecmp(l, name, n) || l[n] != ':')
		return false;
	for (*v = l + n + 1; *v < e && (**v == ' ' || **v == '\t'); (*v)++)
		;
	for (*ve = e; *ve > *v && ((*ve)[-1] == ' ' || (*ve)[-1] == '\t'); (*ve)--)
		;
	return true;
}

static const char *find_crlf(const char *p, const char *end)
{
	for (; p + 1 < end; p++)
		if (p[0] == '\r' && p[1] == '\n')
			return p;
	return NULL;
}

/* Status line and headers of b[0, n). */
static enum ctr_meta_parse head(const char *b, size_t n, size_t max_body, struct frame *f)
{
	const char *end = b + (n < MAX_HEADERS ? n : MAX_HEADERS), *l, *e;
	const char *hend = memmem(b, (size_t)(end - b), "\r\n\r\n", 4);

	memset(f, 0, sizeof(*f));
	if (!hend)
		return n >= MAX_HEADERS ? CMP_MALFORMED : CMP_INCOMPLETE;
	/* "HTTP/1.x NNN reason" */
	if (hend - b < 12 || memcmp(b, "HTTP/1.", 7) || b[8] != ' ' ||
	    b[9] < '1' || b[9] > '5' || b[10] < '0' || b[10] > '9' || b[11] < '0' || b[11] > '9' ||
	    (hend - b > 12 && b[12] != ' ' && b[12] != '\r'))
		return CMP_MALFORMED;
	f->status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
	for (l = find_crlf(b, hend + 2) + 2; l < hend + 2; l = e + 2) {
		const char *v, *ve;

		e = find_crlf(l, hend + 2);
		if (header(l, e, "transfer-encoding", &v, &ve)) {
			/* the last coding is chunked: "chunked" or "gzip, chunked" */
			f->chunked = ve - v >= 7 && !strncasecmp(ve - 7, "chunked", 7);
		} else if (header(l, e, "content-length", &v, &ve)) {
			size_t len = 0;

			if (v == ve || f->has_clen)
				return CMP_MALFORMED;
			for (; v < ve; v++) {
				if (*v < '0' || *v > '9')
					return CMP_MALFORMED;
				if (len > max_body)
					return CMP_TOO_BIG;
				len = len * 10 + (size_t)(*v - '0');
			}
			f->clen = len;
			f->has_clen = true;
		}
	}
	f->body = (size_t)(hend + 4 - b);
	return CMP_OK;
}

/* Walks the chunks of b[f->body, n): sets f->body_len, and with join moves the data together to
 * f->body. CMP_INCOMPLETE until the last chunk and the trailers' end are there. */
static enum ctr_meta_parse chunks(char *b, size_t n, size_t max_body, struct frame *f, bool join)
{
	size_t p = f->body, total = 0;

	for (;;) {
		size_t size = 0, digits = 0;
		const char *le;

		while (p < n && digits <= 8) {
			char c = b[p];
			int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
				c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

			if (d < 0)
				break;
			size = size * 16 + (size_t)d, digits++, p++;
		}
		if (p == n)
			return CMP_INCOMPLETE;
		if (!digits || digits > 8 || !strchr("; \t\r", b[p]) || !b[p])
			return CMP_MALFORMED;
		if (!(le = find_crlf(b + p, b + n)))   /* chunk extensions are skipped */
			return n - p > MAX_HEADERS ? CMP_MALFORMED : CMP_INCOMPLETE;
		p = (size_t)(le - b) + 2;
		if (size == 0)
			break;
		if (size > max_body - total)
			return CMP_TOO_BIG;
		if (n - p < size + 2)
			return CMP_INCOMPLETE;
		if (b[p + size] != '\r' || b[p + size + 1] != '\n')
			return CMP_MALFORMED;
		if (join)
			memmove(b + f->body + total, b + p, size);
		total += size, p += size + 2;
	}
	/* trailers, then an empty line */
	for (;;) {
		const char *le = find_crlf(b + p, b + n);

		if (!le)
			return CMP_INCOMPLETE;
		if (le == b + p)
			break;
		p = (size_t)(le - b) + 2;
	}
	f->body_len = total;
	return CMP_OK;
}

/* Whether b[0, n) holds a whole response (at_eof: the peer closed, so a body without a length
 * ends here). With join, a chunked body is joined at f->body. */
static enum ctr_meta_parse framing(char *b, size_t n, size_t max_body, bool at_eof, bool join,
				   struct frame *f)
{
	enum ctr_meta_parse r = head(b, n, max_body, f);

	if (r != CMP_OK)
		return r;
	if (f->chunked)
		return chunks(b, n, max_body, f, join);
	if (f->has_clen) {
		if (f->clen > max_body)
			return CMP_TOO_BIG;
		f->body_len = f->clen;
		return n - f->body >= f->clen ? CMP_OK : CMP_INCOMPLETE;
	}
	f->body_len = n - f->body;
	if (f->body_len > max_body)
		return CMP_TOO_BIG;
	return at_eof ? CMP_OK : CMP_INCOMPLETE;
}

/* src as a clean string in dst: cut at a character boundary, control characters and bytes that
 * are not UTF-8 as '?'. */
static void put_str(char *dst, size_t cap, json_object *v)
{
	const unsigned char *s;
	size_t n, o = 0;

	dst[0] = '\0';
	if (!v || !json_object_is_type(v, json_type_string))
		return;
	s = (const unsigned char *)json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	for (size_t i = 0, k; i < n; i += k) {
		k = utf8_seq(s + i, n - i);
		if (o + (k ? k : 1) >= cap)
			break;
		if (k <= 1)
			dst[o++] = s[i] < 0x20 || s[i] == 0x7f || !k ? '?' : (char)s[i];
		else
			memcpy(dst + o, s + i, k), o += k;
		k = k ? k : 1;
	}
	dst[o] = '\0';
}

static json_object *member(json_object *o, const char *key)
{
	json_object *v = NULL;

	return o && json_object_is_type(o, json_type_object) &&
	       json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static enum ctr_meta_parse fields(const char *body, size_t len, struct ctr_meta_info *info)
{
	struct json_tokener *tok = json_tokener_new_ex(JSON_DEPTH);
	json_object *root, *config, *labels;
	size_t used;

	if (!tok)
		return CMP_BAD_JSON;
	if (len > (size_t)INT32_MAX)
		len = (size_t)INT32_MAX;   /* never: max_response is far smaller */
	root = json_tokener_parse_ex(tok, body, (int)len);
	used = json_tokener_get_error(tok) == json_tokener_success ?
	       json_tokener_get_parse_end(tok) : 0;
	json_tokener_free(tok);
	while (root && used < len && body[used] && strchr(" \t\r\n", body[used]))
		used++;
	if (!root || used != len || !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return CMP_BAD_JSON;
	}
	config = member(root, "Config");
	labels = member(config, "Labels");
	put_str(info->name, sizeof(info->name), member(root, "Name"));
	if (info->name[0] == '/')
		memmove(info->name, info->name + 1, strlen(info->name));
	put_str(info->image, sizeof(info->image), member(config, "Image"));
	put_str(info->pod_name, sizeof(info->pod_name), member(labels, "io.kubernetes.pod.name"));
	put_str(info->pod_namespace, sizeof(info->pod_namespace),
		member(labels, "io.kubernetes.pod.namespace"));
	json_object_put(root);
	return CMP_OK;
}

enum ctr_meta_parse ctr_meta_parse_response(char *buf, size_t n, size_t max_body,
					    struct ctr_meta_info *info)
{
	struct frame f;
	enum ctr_meta_parse r = framing(buf, n, max_body, true, true, &f);

	memset(info, 0, sizeof(*info));
	if (r != CMP_OK)
		return r;
	if (f.status == 404)
		return CMP_NOT_FOUND;
	if (f.status != 200)
		return CMP_STATUS;
	return fields(buf + f.body, f.body_len, info);
}

/* ---- the question: one HTTP exchange on a unix socket, within a deadline ---- */

/* Waits for events on fd until deadline; false on time out or when stopped (*stopped). */
static bool wait_fd(struct ctr_meta *m, int fd, short events, uint64_t deadline, bool *stopped)
{
	for (;;) {
		struct pollfd p[2] = { { .fd = fd, .events = events },
				       { .fd = m->stop_pipe[0], .events = POLLIN } };
		uint64_t now = now_ms();
		int r;

		if (now >= deadline)
			return false;
		r = poll(p, 2, (int)(deadline - now));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return false;
		if (p[1].revents) {
			*stopped = true;
			return false;
		}
		if (p[0].revents)
			return true;
	}
}

static enum ask ask(struct ctr_meta *m, const char *sock, const char *id,
		    struct ctr_meta_info *info)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	uint64_t deadline = now_ms() + m->o.timeout_ms;
	char req[192];
	size_t len = 0, sent = 0, max_body = m->o.max_response;
	int n = snprintf(req, sizeof(req), "GET /containers/%s/json HTTP/1.1\r\nHost: localhost\r\n"
			 "User-Agent: shellwatch\r\nAccept: application/json\r\n"
			 "Connection: close\r\n\r\n", id);
	enum ask res = ASK_UNREACHABLE;
	bool stopped = false, eof = false;
	struct frame f;
	int fd;

	snprintf(un.sun_path, sizeof(un.sun_path), "%s", sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return ASK_UNREACHABLE;
	/* A unix socket connects at once or fails (EAGAIN: its backlog is full: as good as down). */
	if (connect(fd, (struct sockaddr *)&un, sizeof(un)) &&
	    (errno != EINPROGRESS || !wait_fd(m, fd, POLLOUT, deadline, &stopped)))
		goto out;
	while (sent < (size_t)n) {
		ssize_t w = send(fd, req + sent, (size_t)n - sent, MSG_NOSIGNAL);

		if (w > 0)
			sent += (size_t)w;
		else if (w < 0 && errno != EAGAIN && errno != EINTR)
			goto out;
		else if (!wait_fd(m, fd, POLLOUT, deadline, &stopped))
			goto out;
	}
	for (;;) {
		ssize_t r;
		enum ctr_meta_parse st = framing(m->buf, len, max_body, eof, false, &f);

		if (st != CMP_INCOMPLETE || eof || len == m->o.max_response) {
			/* whole, broken, cut short by the peer, or full and still not whole */
			st = st == CMP_OK ? ctr_meta_parse_response(m->buf, len, max_body, info) : st;
			res = st == CMP_OK ? ASK_OK : st == CMP_NOT_FOUND ? ASK_NOT_FOUND : ASK_BAD;
			break;
		}
		r = recv(fd, m->buf + len, m->o.max_response - len, 0);
		if (r > 0)
			len += (size_t)r;
		else if (r == 0)
			eof = true;
		else if (errno != EAGAIN && errno != EINTR)
			eof = true;   /* reset: judge what came */
		else if (!wait_fd(m, fd, POLLIN, deadline, &stopped))
			break;        /* too slow: as good as down */
	}
out:
	close(fd);
	return stopped ? ASK_STOPPED : res;
}

/* ---- the cache ---- */

static uint32_t hash_of(enum ctr_runtime rt, const char *id, uint32_t nbuckets)
{
	uint64_t h = (uint64_t)rt * 0x9e3779b97f4a7c15ull;

	for (int i = 0; i < 16; i++)   /* ids are random hex: their start is hash enough */
		h = h * 31 + (unsigned char)id[i];
	return (uint32_t)(h ^ h >> 29) & (nbuckets - 1);
}

static uint32_t find(struct ctr_meta *m, enum ctr_runtime rt, const char *id)
{
	for (uint32_t i = m->bucket[hash_of(rt, id, m->nbuckets)]; i != NIL; i = m->e[i].hnext)
		if (m->e[i].rt == rt && !memcmp(m->e[i].id, id, CTR_ID_LEN))
			return i;
	return NIL;
}

static void unlink_lru(struct ctr_meta *m, uint32_t i)
{
	struct entry *x = &m->e[i];

	if (x->prev != NIL)
		m->e[x->prev].next = x->next;
	else
		m->head = x->next;
	if (x->next != NIL)
		m->e[x->next].prev = x->prev;
	else
		m->tail = x->prev;
	x->prev = x->next = NIL;
}

static void link_head(struct ctr_meta *m, uint32_t i)
{
	m->e[i].prev = NIL;
	m->e[i].next = m->head;
	if (m->head != NIL)
		m->e[m->head].prev = i;
	m->head = i;
	if (m->tail == NIL)
		m->tail = i;
}

/* i (in the list) becomes the most recently used. */
static void touch(struct ctr_meta *m, uint32_t i)
{
	if (m->head != i) {
		unlink_lru(m, i);
		link_head(m, i);
	}
}

static void unhash(struct ctr_meta *m, uint32_t i)
{
	uint32_t *p = &m->bucket[hash_of(m->e[i].rt, m->e[i].id, m->nbuckets)];

	while (*p != i)
		p = &m->e[*p].hnext;
	*p = m->e[i].hnext;
}

/* A new entry for (rt, id): a free one, else the least recently used. */
static uint32_t insert(struct ctr_meta *m, enum ctr_runtime rt, const char *id)
{
	uint32_t i, *b;

	if (m->used < m->o.cache_entries) {
		i = ++m->used;
	} else {
		i = m->tail;
		unhash(m, i);
		unlink_lru(m, i);
		m->st.evicted++;
	}
	memset(&m->e[i], 0, sizeof(m->e[i]));
	m->e[i].rt = (uint8_t)rt;
	memcpy(m->e[i].id, id, CTR_ID_LEN);
	b = &m->bucket[hash_of(rt, id, m->nbuckets)];
	m->e[i].hnext = *b;
	*b = i;
	link_head(m, i);
	return i;
}

static const char *socket_of(const struct ctr_meta *m, enum ctr_runtime rt)
{
	const char *s = rt == CTR_DOCKER ? m->o.docker_socket :
			rt == CTR_PODMAN ? m->o.podman_socket : "";

	return s[0] ? s : NULL;
}

static bool valid_id(const char *id)
{
	size_t i = 0;

	for (; id && i < CTR_ID_LEN; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return false;
	return id && !id[i];
}

enum ctr_meta_state ctr_meta_lookup(struct ctr_meta *m, enum ctr_runtime rt, const char *id,
				    struct ctr_meta_info *info)
{
	enum ctr_meta_state s = CTR_META_NONE;
	uint64_t now;
	uint32_t i;

	memset(info, 0, sizeof(*info));
	if (!m || !socket_of(m, rt) || !valid_id(id))
		return CTR_META_NONE;
	now = now_ms();
	pthread_mutex_lock(&m->lock);
	m->st.lookups++;
	i = find(m, rt, id);
	if (i != NIL && !(m->e[i].state == CTR_META_NONE && now >= m->e[i].expires_ms)) {
		touch(m, i);
		s = m->e[i].state;
		if (s == CTR_META_KNOWN)
			*info = m->e[i].info;
		if (s != CTR_META_PENDING)
			m->st.hits++;
	} else if (now < m->down_until[rt]) {
		m->st.skipped++;
	} else if (m->qlen == m->o.queue_len) {
		m->st.dropped++;
		s = CTR_META_PENDING;   /* not asked yet: the next lookup tries again */
	} else {
		struct question *q = &m->q[(m->qhead + m->qlen++) % m->o.queue_len];

		if (i == NIL)
			i = insert(m, rt, id);
		m->e[i].state = CTR_META_PENDING;
		q->rt = (uint8_t)rt;
		memcpy(q->id, id, sizeof(q->id));
		m->st.queued++;
		pthread_cond_signal(&m->work);
		s = CTR_META_PENDING;
	}
	pthread_mutex_unlock(&m->lock);
	return s;
}

/* The worker's answer into the cache (under the lock). */
static void settle(struct ctr_meta *m, const struct question *q, enum ask a,
		   const struct ctr_meta_info *info)
{
	uint64_t now = now_ms();
	uint32_t i = find(m, q->rt, q->id);

	if (i == NIL)   /* evicted while asked: keep the answer anyway */
		i = insert(m, q->rt, q->id);
	m->e[i].state = a == ASK_OK ? CTR_META_KNOWN : CTR_META_NONE;
	m->e[i].info = *info;
	m->e[i].expires_ms = now + m->o.negative_ttl_ms;
	switch (a) {
	case ASK_OK: m->st.answered++; break;
	case ASK_NOT_FOUND: m->st.not_found++; break;
	case ASK_BAD: m->st.bad_response++; break;
	case ASK_UNREACHABLE:
		m->st.unreachable++;
		m->down_until[q->rt] = now + m->o.runtime_retry_ms;
		m->e[i].expires_ms = m->down_until[q->rt];
		break;
	case ASK_SKIPPED:
		m->st.skipped++;
		m->e[i].expires_ms = m->down_until[q->rt];
		break;
	case ASK_STOPPED: break;
	}
	m->gen++;
	pthread_cond_broadcast(&m->done);
}

static void *worker(void *arg)
{
	struct ctr_meta *m = arg;

	pthread_mutex_lock(&m->lock);
	while (!m->stop) {
		struct question q;
		struct ctr_meta_info info;
		enum ask a = ASK_UNREACHABLE;

		if (!m->qlen) {
			pthread_cond_wait(&m->work, &m->lock);
			continue;
		}
		memset(&info, 0, sizeof(info));
		q = m->q[m->qhead];
		m->qhead = (m->qhead + 1) % m->o.queue_len;
		m->qlen--;
		if (now_ms() < m->down_until[q.rt]) {
			settle(m, &q, ASK_SKIPPED, &info);
			continue;
		}
		pthread_mutex_unlock(&m->lock);
		a = ask(m, socket_of(m, q.rt), q.id, &info);
		pthread_mutex_lock(&m->lock);
		if (a != ASK_STOPPED)
			settle(m, &q, a, &info);
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

/* ---- life ---- */

struct ctr_meta *ctr_meta_new(const struct ctr_meta_opts *o)
{
	struct ctr_meta *m = calloc(1, sizeof(*m));
	pthread_condattr_t ca;
	int err;

	if (!m)
		return NULL;
	m->o = *o;
	m->o.docker_socket[sizeof(m->o.docker_socket) - 1] = '\0';
	m->o.podman_socket[sizeof(m->o.podman_socket) - 1] = '\0';
	if (!m->o.cache_entries)
		m->o.cache_entries = 1;
	if (!m->o.queue_len)
		m->o.queue_len = 1;
	if (m->o.max_response < 1024)
		m->o.max_response = 1024;
	for (m->nbuckets = 16; m->nbuckets < m->o.cache_entries; m->nbuckets *= 2)
		;
	m->stop_pipe[0] = m->stop_pipe[1] = -1;
	m->e = calloc((size_t)m->o.cache_entries + 1, sizeof(*m->e));
	m->bucket = calloc(m->nbuckets, sizeof(*m->bucket));
	m->q = calloc(m->o.queue_len, sizeof(*m->q));
	m->buf = malloc(m->o.max_response);
	if (!m->e || !m->bucket || !m->q || !m->buf) {
		err = ENOMEM;
		goto fail;
	}
	if (pipe2(m->stop_pipe, O_CLOEXEC)) {
		err = errno;
		goto fail;
	}
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->work, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&m->done, &ca);
	pthread_condattr_destroy(&ca);
	if ((err = pthread_create(&m->thread, NULL, worker, m))) {
		pthread_cond_destroy(&m->done);
		pthread_cond_destroy(&m->work);
		pthread_mutex_destroy(&m->lock);
		goto fail;
	}
	return m;
fail:
	if (m->stop_pipe[0] >= 0)
		close(m->stop_pipe[0]), close(m->stop_pipe[1]);
	free(m->e), free(m->bucket), free(m->q), free(m->buf), free(m);
	errno = err;
	return NULL;
}

uint64_t ctr_meta_generation(struct ctr_meta *m)
{
	uint64_t g;

	pthread_mutex_lock(&m->lock);
	g = m->gen;
	pthread_mutex_unlock(&m->lock);
	return g;
}

bool ctr_meta_wait(struct ctr_meta *m, uint64_t gen, unsigned timeout_ms)
{
	struct timespec ts;
	bool more;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000)
		ts.tv_sec++, ts.tv_nsec -= 1000000000;
	pthread_mutex_lock(&m->lock);
	while (m->gen <= gen && pthread_cond_timedwait(&m->done, &m->lock, &ts) != ETIMEDOUT)
		;
	more = m->gen > gen;
	pthread_mutex_unlock(&m->lock);
	return more;
}

void ctr_meta_stats(struct ctr_meta *m, struct ctr_meta_stats *st)
{
	pthread_mutex_lock(&m->lock);
	*st = m->st;
	pthread_mutex_unlock(&m->lock);
}

void ctr_meta_free(struct ctr_meta *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	m->stop = true;
	pthread_cond_signal(&m->work);
	pthread_mutex_unlock(&m->lock);
	while (write(m->stop_pipe[1], "x", 1) < 0 && errno == EINTR)
		;
	pthread_join(m->thread, NULL);
	pthread_cond_destroy(&m->done);
	pthread_cond_destroy(&m->work);
	pthread_mutex_destroy(&m->lock);
	close(m->stop_pipe[0]);
	close(m->stop_pipe[1]);
	free(m->e), free(m->bucket), free(m->q), free(m->buf), free(m);
}
