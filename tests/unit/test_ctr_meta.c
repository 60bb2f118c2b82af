/* test_ctr_meta.c: container metadata from a runtime's API (user/containers/ctr_meta.c). First
 * the response parser on hand-written answers (Content-Length, chunked, escapes, garbage, cut,
 * too large, deep JSON); then the cache and its worker against a fake runtime: a thread serving
 * HTTP on a unix socket whose answer depends on the container id asked (good, chunked in pieces,
 * slow past the timeout, garbage, 404, cut short, endless). Checked: a lookup never waits, the
 * answer comes (waited for on the cache's condition, bounded), each container is asked once,
 * failures are remembered until they expire, an absent runtime is not asked again at every
 * lookup, the queue and the cache stay bounded, and free() returns while a request hangs. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "ctr_alert.h"
#include "ctr_meta.h"
#include "tap.h"

#define ID(c) c c c c c c c c c c c c c c c c   /* 64 hex digits from 4 */
#define GOOD    ID("a001")
#define CHUNKED ID("a002")
#define SLOW    ID("a003")
#define GARBAGE ID("a004")
#define MISSING ID("a005")
#define CUT     ID("a006")
#define ENDLESS ID("a007")
#define BADJSON ID("a008")
#define OTHER   ID("b001")

static uint64_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- the parser ---- */

static enum ctr_meta_parse parse(const char *resp, struct ctr_meta_info *info)
{
	size_t n = strlen(resp);
	char *b = malloc(n + 1);
	enum ctr_meta_parse r;

	memcpy(b, resp, n + 1);
	r = ctr_meta_parse_response(b, n, 4096, info);
	free(b);
	return r;
}

#define DOC "{\"Id\":\"x\",\"Name\":\"/web\",\"Config\":{\"Image\":\"docker.io/library/nginx:1.25\"," \
	    "\"Labels\":{\"io.kubernetes.pod.name\":\"web-7d4b9\",\"io.kubernetes.pod.namespace\":\"prod\"}}}"

static void test_parse_good(void)
{
	struct ctr_meta_info i;
	char doc[512];

	snprintf(doc, sizeof(doc), "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
		 "Content-Length: %zu\r\n\r\n%s", strlen(DOC), DOC);
	CHECK(parse(doc, &i) == CMP_OK);
	CHECKF(!strcmp(i.name, "web") && !strcmp(i.image, "docker.io/library/nginx:1.25") &&
	       !strcmp(i.pod_name, "web-7d4b9") && !strcmp(i.pod_namespace, "prod"),
	       "%s|%s|%s|%s", i.name, i.image, i.pod_name, i.pod_namespace);
	/* podman's way: chunked, with an extension and a trailer, header names in any case */
	CHECK(parse("HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n"
		    "a;ext=1\r\n{\"Name\":\"/\r\n"
		    "1E\r\nswt1\",\"Config\":{\"Image\":\"local\r\n"
		    "f\r\nhost/sw:test\"}}\r\n"
		    "0\r\nX-Trailer: 1\r\n\r\n", &i) == CMP_OK);
	CHECKF(!strcmp(i.name, "swt1") && !strcmp(i.image, "localhost/sw:test") && !i.pod_name[0],
	       "%s|%s|%s", i.name, i.image, i.pod_name);
	/* no length: the body runs to the end; escapes decoded, control characters replaced */
	CHECK(parse("HTTP/1.0 200 OK\r\n\r\n{\"Name\":\"na\\u00efve\\\"q\\n\\u0000x\","
		    "\"Config\":{\"Image\":\"\\u65e5\\u672c\"}} \r\n", &i) == CMP_OK);
	CHECKF(!strcmp(i.name, "na\xc3\xafve\"q??x") && !strcmp(i.image, "\xe6\x97\xa5\xe6\x9c\xac"),
	       "%s|%s", i.name, i.image);
	/* fields of other types, or absent: "" */
	CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 37\r\n\r\n"
		    "{\"Name\":7,\"Config\":{\"Labels\":null}}  ", &i) == CMP_OK);
	CHECK(!i.name[0] && !i.image[0] && !i.pod_name[0]);
	CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", &i) == CMP_OK && !i.name[0]);
}

/* A long name is cut at a character boundary. */
static void test_parse_long(void)
{
	struct ctr_meta_info i;
	char doc[2048], *p = doc;

	p += sprintf(p, "HTTP/1.1 200 OK\r\n\r\n{\"Name\":\"");
	for (int k = 0; k < 200; k++)
		p += sprintf(p, "\xc3\xa9");   /* two bytes each */
	sprintf(p, "\"}");
	CHECK(parse(doc, &i) == CMP_OK);
	CHECKF(strlen(i.name) == 126 && (unsigned char)i.name[124] == 0xc3, "%zu", strlen(i.name));
}

static void test_parse_bad(void)
{
	static const struct { const char *resp; enum ctr_meta_parse want; } cases[] = {
		{ "HTTP/1.1 404 Not Found\r\nContent-Length: 23\r\n\r\n{\"message\":\"no such c\"}",
		  CMP_NOT_FOUND },
		{ "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n", CMP_STATUS },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{not json", CMP_BAD_JSON },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]", CMP_BAD_JSON },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n{}{}", CMP_BAD_JSON },
		{ "HTTP/1.1 200 OK\r\n\r\n\"a string\"", CMP_BAD_JSON },
		{ "HTTP/1.1 200 OK\r\n\r\n", CMP_BAD_JSON },
		{ "this is not http\r\n\r\n", CMP_MALFORMED },
		{ "HTTP/1.1 2x0 OK\r\n\r\n{}", CMP_MALFORMED },
		{ "HTTP/1.1 200OK\r\n\r\n{}", CMP_MALFORMED },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n{}", CMP_MALFORMED },
		{ "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n{}", CMP_MALFORMED },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}", CMP_MALFORMED },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
		  CMP_MALFORMED },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n",
		  CMP_MALFORMED },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffff\r\n", CMP_MALFORMED },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffff\r\n{}", CMP_TOO_BIG },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n{}", CMP_TOO_BIG },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 4097\r\n\r\n{}", CMP_TOO_BIG },
		/* cut short */
		{ "", CMP_INCOMPLETE },
		{ "HTTP/1.1 200 OK\r\nContent-Le", CMP_INCOMPLETE },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"Name\":\"x\"}", CMP_INCOMPLETE },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n", CMP_INCOMPLETE },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n",
		  CMP_INCOMPLETE },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n{}", CMP_INCOMPLETE },
	};
	struct ctr_meta_info i;

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		enum ctr_meta_parse r = parse(cases[k].resp, &i);

		CHECKF(r == cases[k].want && !i.name[0], "case %zu: got %d, want %d", k, r,
		       cases[k].want);
	}
}

/* Hostile sizes: a body exactly at the cap and one byte over; JSON nested far too deep. */
static void test_parse_limits(void)
{
	size_t cap = 4096, n;
	char *b = malloc(cap + 256);
	struct ctr_meta_info i;

	for (int over = 0; over < 2; over++) {
		size_t body = cap + (size_t)over;

		size_t h = (size_t)sprintf(b, "HTTP/1.1 200 OK\r\n\r\n"), open = 9;

		memcpy(b + h, "{\"Name\":\"", open);   /* then x..x"} up to body bytes */
		memset(b + h + open, 'x', body - open - 2);
		memcpy(b + h + body - 2, "\"}", 2);
		n = h + body;
		CHECKF(ctr_meta_parse_response(b, n, cap, &i) == (over ? CMP_TOO_BIG : CMP_OK),
		       "body %zu", body);
	}
	free(b);
	n = 200000;
	b = malloc(n + 64);
	memcpy(b, "HTTP/1.1 200 OK\r\n\r\n", 19);
	memset(b + 19, '[', n / 2);
	memset(b + 19 + n / 2, ']', n / 2);
	CHECK(ctr_meta_parse_response(b, 19 + n, n, &i) == CMP_BAD_JSON);
	free(b);
}

/* ---- a fake runtime ---- */

struct fake {
	char path[108];
	int lfd;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool release;          /* SLOW and ENDLESS connections end */
	int conns, asked[16];  /* connections; requests per id: a00N at N, b001... at 0 */
	int active;            /* connection threads running */
};

struct conn {
	struct fake *f;
	int fd;
};

static void send_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		s += w, n -= (size_t)w;
	}
}

static void send_str(int fd, const char *s)
{
	send_all(fd, s, strlen(s));
}

/* Holds the connection until the test releases it (at most 5 s). */
static void hold(struct fake *f)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	pthread_mutex_lock(&f->lock);
	while (!f->release && pthread_cond_timedwait(&f->cond, &f->lock, &ts) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&f->lock);
}

static void *serve(void *arg)
{
	struct conn *c = arg;
	struct fake *f = c->f;
	char req[1024];
	size_t n = 0;
	const char *id;

	while (n < sizeof(req) - 1 && !memmem(req, n, "\r\n\r\n", 4)) {
		ssize_t r = recv(c->fd, req + n, sizeof(req) - 1 - n, 0);

		if (r <= 0)
			break;
		n += (size_t)r;
	}
	req[n] = '\0';
	id = strncmp(req, "GET /containers/", 16) ? "" : req + 16;
	pthread_mutex_lock(&f->lock);
	if (strlen(id) > 4)
		f->asked[id[0] == 'b' ? 0 : (id[3] - '0') & 15]++;
	pthread_mutex_unlock(&f->lock);
	if (!strncmp(id, GOOD, 64) || !strncmp(id, OTHER, 4)) {
		char doc[512];

		snprintf(doc, sizeof(doc), "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
			 "Content-Length: %zu\r\n\r\n%s", strlen(DOC), DOC);
		send_str(c->fd, doc);
	} else if (!strncmp(id, CHUNKED, 64)) {   /* in pieces, as podman sends it */
		send_str(c->fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
		send_str(c->fd, "10\r\n{\"Name\":\"/swt1\",");
		usleep(20000);
		send_str(c->fd, "\r\n27\r\n\"Config\":{\"Image\":\"localhost/sw:test\"}}\r\n");
		usleep(20000);
		send_str(c->fd, "0\r\n\r\n");
	} else if (!strncmp(id, SLOW, 64)) {
		send_str(c->fd, "HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\n{\"Name\":");
		hold(f);
	} else if (!strncmp(id, GARBAGE, 64)) {
		send_str(c->fd, "SSH-2.0-OpenSSH_9.2\r\n\r\n\x01\x02\x03");
	} else if (!strncmp(id, CUT, 64)) {
		send_str(c->fd, "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"Name\":\"/cut\"");
	} else if (!strncmp(id, BADJSON, 64)) {
		send_str(c->fd, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"Name\":/x");
	} else if (!strncmp(id, ENDLESS, 64)) {   /* chunks without end, until the client leaves */
		char chunk[4096 + 16];
		int k = sprintf(chunk, "1000\r\n");

		send_str(c->fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
		memset(chunk + k, ' ', 4096);
		memcpy(chunk + k + 4096, "\r\n", 2);
		for (int i = 0; i < 10000; i++) {
			if (send(c->fd, chunk, (size_t)k + 4098, MSG_NOSIGNAL) <= 0)
				break;
		}
	} else {
		send_str(c->fd, "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
			 "Content-Length: 26\r\n\r\n{\"message\":\"no such one\"}\n");
	}
	close(c->fd);
	free(c);
	pthread_mutex_lock(&f->lock);
	f->active--;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

static void *accepter(void *arg)
{
	struct fake *f = arg;

	for (;;) {
		int fd = accept(f->lfd, NULL, NULL);
		struct conn *c;
		pthread_t t;

		if (fd < 0)
			return NULL;   /* closed by fake_stop */
		c = malloc(sizeof(*c));
		c->f = f, c->fd = fd;
		pthread_mutex_lock(&f->lock);
		f->conns++;
		f->active++;
		pthread_mutex_unlock(&f->lock);
		if (pthread_create(&t, NULL, serve, c)) {
			close(fd), free(c);
			continue;
		}
		pthread_detach(t);
	}
}

static bool fake_start(struct fake *f, const char *dir)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };

	memset(f, 0, sizeof(*f));
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->cond, NULL);
	snprintf(f->path, sizeof(f->path), "%s/fake.sock", dir);
	snprintf(un.sun_path, sizeof(un.sun_path), "%s", f->path);
	f->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (f->lfd < 0 || bind(f->lfd, (struct sockaddr *)&un, sizeof(un)) || listen(f->lfd, 64))
		return false;
	return !pthread_create(&f->thread, NULL, accepter, f);
}

static void fake_stop(struct fake *f)
{
	struct timespec ts;

	pthread_mutex_lock(&f->lock);
	f->release = true;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
	shutdown(f->lfd, SHUT_RDWR);
	close(f->lfd);
	pthread_join(f->thread, NULL);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	pthread_mutex_lock(&f->lock);   /* the connection threads are gone (bounded) */
	while (f->active && pthread_cond_timedwait(&f->cond, &f->lock, &ts) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&f->lock);
	unlink(f->path);
}

static int asked(struct fake *f, char digit)
{
	int n;

	pthread_mutex_lock(&f->lock);
	n = f->asked[(digit - '0') & 15];
	pthread_mutex_unlock(&f->lock);
	return n;
}

static int conns(struct fake *f)
{
	int n;

	pthread_mutex_lock(&f->lock);
	n = f->conns;
	pthread_mutex_unlock(&f->lock);
	return n;
}

static char dir[] = "/tmp/sw-ctrmeta-XXXXXX";
static struct fake fk;

static struct ctr_meta *meta_for(const char *sock)
{
	struct ctr_meta_opts o = ctr_meta_opts_default();

	snprintf(o.docker_socket, sizeof(o.docker_socket), "%s", sock);
	o.podman_socket[0] = '\0';
	o.timeout_ms = 300;
	o.negative_ttl_ms = 400;
	o.runtime_retry_ms = 400;
	o.max_response = 64 * 1024;
	return ctr_meta_new(&o);
}

/* Looks up until the state is not PENDING, waiting on the cache's condition: at most 3 s. */
static enum ctr_meta_state settled(struct ctr_meta *m, const char *id, struct ctr_meta_info *i)
{
	uint64_t end = ms_now() + 3000;

	for (;;) {
		uint64_t g = ctr_meta_generation(m);
		enum ctr_meta_state s = ctr_meta_lookup(m, CTR_DOCKER, id, i);

		if (s != CTR_META_PENDING || ms_now() >= end)
			return s;
		ctr_meta_wait(m, g, (unsigned)(end - ms_now()));
	}
}

static void test_answer_once(void)
{
	struct ctr_meta *m = meta_for(fk.path);
	struct ctr_meta_info i;
	struct ctr_meta_stats st;

	/* PENDING although the server answers at once: the lookup did not wait for it */
	CHECK(ctr_meta_lookup(m, CTR_DOCKER, GOOD, &i) == CTR_META_PENDING && !i.name[0]);
	CHECK(settled(m, GOOD, &i) == CTR_META_KNOWN);
	CHECKF(!strcmp(i.name, "web") && !strcmp(i.image, "docker.io/library/nginx:1.25") &&
	       !strcmp(i.pod_name, "web-7d4b9") && !strcmp(i.pod_namespace, "prod"), "%s|%s|%s|%s",
	       i.name, i.image, i.pod_name, i.pod_namespace);
	for (int k = 0; k < 100; k++)
		CHECK(ctr_meta_lookup(m, CTR_DOCKER, GOOD, &i) == CTR_META_KNOWN && i.name[0]);
	CHECKF(asked(&fk, '1') == 1, "asked %d times", asked(&fk, '1'));
	CHECK(settled(m, CHUNKED, &i) == CTR_META_KNOWN);
	CHECKF(!strcmp(i.name, "swt1") && !strcmp(i.image, "localhost/sw:test"), "%s|%s", i.name,
	       i.image);
	ctr_meta_stats(m, &st);
	CHECKF(st.answered == 2 && st.queued == 2 && st.hits >= 100 && !st.unreachable, "answered %lu",
	       (unsigned long)st.answered);
	ctr_meta_free(m);
}

/* Answers that describe nothing: remembered until negative_ttl_ms, then asked again. */
static void test_negative(void)
{
	static const struct { const char *id; char d; } bad[] = {
		{ GARBAGE, '4' }, { MISSING, '5' }, { CUT, '6' }, { BADJSON, '8' }, { ENDLESS, '7' },
	};
	struct ctr_meta *m = meta_for(fk.path);
	struct ctr_meta_info i;
	struct ctr_meta_stats st;

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		int before = asked(&fk, bad[k].d);

		CHECKF(settled(m, bad[k].id, &i) == CTR_META_NONE && !i.name[0], "%c", bad[k].d);
		for (int j = 0; j < 50; j++)
			CHECK(ctr_meta_lookup(m, CTR_DOCKER, bad[k].id, &i) == CTR_META_NONE);
		CHECKF(asked(&fk, bad[k].d) == before + 1, "%c asked %d", bad[k].d,
		       asked(&fk, bad[k].d) - before);
	}
	ctr_meta_stats(m, &st);
	CHECKF(st.not_found == 1 && st.bad_response == 4 && !st.unreachable,
	       "not_found %lu bad %lu unreachable %lu", (unsigned long)st.not_found,
	       (unsigned long)st.bad_response, (unsigned long)st.unreachable);
	/* after the ttl (400 ms) a lookup asks again (bounded: 3 s) */
	{
		uint64_t end = ms_now() + 3000;
		enum ctr_meta_state s;

		while ((s = ctr_meta_lookup(m, CTR_DOCKER, MISSING, &i)) == CTR_META_NONE &&
		       ms_now() < end)
			usleep(10000);
		CHECK(s == CTR_META_PENDING);
		CHECK(settled(m, MISSING, &i) == CTR_META_NONE);
		CHECKF(asked(&fk, '5') == 2, "asked %d", asked(&fk, '5'));
	}
	ctr_meta_free(m);
}

/* Slow past the timeout: the lookup does not wait, the runtime counts as down, other containers
 * of it are not asked until runtime_retry_ms. */
static void test_slow(void)
{
	struct ctr_meta *m = meta_for(fk.path);
	struct ctr_meta_info i;
	struct ctr_meta_stats st;
	uint64_t t0 = ms_now();
	int c0 = conns(&fk);

	CHECK(ctr_meta_lookup(m, CTR_DOCKER, SLOW, &i) == CTR_META_PENDING);
	CHECK(ctr_meta_lookup(m, CTR_DOCKER, GOOD, &i) == CTR_META_PENDING);   /* queued behind */
	CHECK(settled(m, SLOW, &i) == CTR_META_NONE);
	CHECKF(ms_now() - t0 >= 250, "gave up after %lu ms", (unsigned long)(ms_now() - t0));
	CHECK(settled(m, GOOD, &i) == CTR_META_NONE);   /* not asked: the runtime is down */
	CHECK(ctr_meta_lookup(m, CTR_DOCKER, CHUNKED, &i) == CTR_META_NONE);
	ctr_meta_stats(m, &st);
	CHECKF(st.unreachable == 1 && st.skipped == 2, "unreachable %lu skipped %lu",
	       (unsigned long)st.unreachable, (unsigned long)st.skipped);
	CHECKF(conns(&fk) == c0 + 1, "%d connections", conns(&fk) - c0);
	ctr_meta_free(m);
}

/* No socket at all: one attempt, then nothing until runtime_retry_ms; then one more. */
static void test_absent(void)
{
	char path[160];
	struct ctr_meta *m;
	struct ctr_meta_info i;
	struct ctr_meta_stats st;
	uint64_t end;

	snprintf(path, sizeof(path), "%s/none.sock", dir);
	m = meta_for(path);
	CHECK(settled(m, GOOD, &i) == CTR_META_NONE);
	for (int k = 0; k < 100; k++)
		CHECK(ctr_meta_lookup(m, CTR_DOCKER, k % 2 ? OTHER : GOOD, &i) == CTR_META_NONE);
	ctr_meta_stats(m, &st);
	CHECKF(st.unreachable == 1 && st.queued == 1, "unreachable %lu queued %lu",
	       (unsigned long)st.unreachable, (unsigned long)st.queued);
	end = ms_now() + 3000;
	while (ctr_meta_lookup(m, CTR_DOCKER, OTHER, &i) == CTR_META_NONE && ms_now() < end)
		usleep(10000);
	CHECK(settled(m, OTHER, &i) == CTR_META_NONE);
	ctr_meta_stats(m, &st);
	CHECKF(st.unreachable == 2 && st.queued == 2, "unreachable %lu", (unsigned long)st.unreachable);
	ctr_meta_free(m);
}

/* A full queue drops questions (counted) without waiting; a small cache evicts. */
static void test_bounds(void)
{
	struct ctr_meta_opts o = ctr_meta_opts_default();
	struct ctr_meta *m;
	struct ctr_meta_info i;
	struct ctr_meta_stats st;
	char id[65];
	uint64_t t0;
	int slow0;

	snprintf(o.docker_socket, sizeof(o.docker_socket), "%s", fk.path);
	o.timeout_ms = 1000;
	o.queue_len = 4;
	o.cache_entries = 8;
	m = ctr_meta_new(&o);
	t0 = ms_now();
	slow0 = asked(&fk, '3');
	CHECK(ctr_meta_lookup(m, CTR_DOCKER, SLOW, &i) == CTR_META_PENDING);   /* holds the worker */
	for (int k = 0; k < 20; k++) {
		snprintf(id, sizeof(id), "b001%060x", k);
		CHECK(ctr_meta_lookup(m, CTR_DOCKER, id, &i) == CTR_META_PENDING);
	}
	ctr_meta_stats(m, &st);
	/* the worker took SLOW off the queue (or not yet): 4 or 5 queued, the rest dropped */
	CHECKF(st.queued + st.dropped == 21 && st.dropped >= 16, "queued %lu dropped %lu",
	       (unsigned long)st.queued, (unsigned long)st.dropped);
	/* once the fake runtime has the question (bounded wait), free() while it hangs: at once */
	while (asked(&fk, '3') == slow0 && ms_now() - t0 < 3000)
		usleep(1000);
	CHECK(asked(&fk, '3') == slow0 + 1);
	t0 = ms_now();
	ctr_meta_free(m);
	CHECKF(ms_now() - t0 < 200, "free after %lu ms", (unsigned long)(ms_now() - t0));

	o.queue_len = 64;
	m = ctr_meta_new(&o);
	for (int k = 0; k < 12; k++) {
		snprintf(id, sizeof(id), "b001%060x", k);
		CHECK(settled(m, id, &i) == CTR_META_KNOWN && !strcmp(i.name, "web"));
	}
	ctr_meta_stats(m, &st);
	CHECKF(st.evicted == 4 && st.answered == 12, "evicted %lu", (unsigned long)st.evicted);
	snprintf(id, sizeof(id), "b001%060x", 0);   /* the least recently used: gone, asked again */
	CHECK(ctr_meta_lookup(m, CTR_DOCKER, id, &i) == CTR_META_PENDING);
	snprintf(id, sizeof(id), "b001%060x", 11);  /* the newest: still there */
	CHECK(ctr_meta_lookup(m, CTR_DOCKER, id, &i) == CTR_META_KNOWN);
	ctr_meta_free(m);
}

/* What is never asked: other runtimes, ids that are not 64 hex digits, a runtime without a
 * socket configured. */
static void test_not_asked(void)
{
	struct ctr_meta *m = meta_for(fk.path);
	struct ctr_meta_info i;
	struct ctr_meta_stats st;
	int c0 = conns(&fk);

	CHECK(ctr_meta_lookup(m, CTR_CONTAINERD, GOOD, &i) == CTR_META_NONE);
	CHECK(ctr_meta_lookup(m, CTR_CRIO, GOOD, &i) == CTR_META_NONE);
	CHECK(ctr_meta_lookup(m, CTR_PODMAN, GOOD, &i) == CTR_META_NONE);   /* no podman socket */
	CHECK(ctr_meta_lookup(m, CTR_DOCKER, "../../../../info?x=", &i) == CTR_META_NONE);
	CHECK(ctr_meta_lookup(m, CTR_DOCKER, GOOD "0", &i) == CTR_META_NONE);
	CHECK(ctr_meta_lookup(m, CTR_DOCKER, NULL, &i) == CTR_META_NONE);
	CHECK(ctr_meta_lookup(NULL, CTR_DOCKER, GOOD, &i) == CTR_META_NONE);
	ctr_meta_stats(m, &st);
	CHECK(st.queued == 0 && st.lookups == 0);
	CHECK(conns(&fk) == c0);
	ctr_meta_free(m);
	ctr_meta_free(NULL);
}


/* The hold of run's alerts (ctr_alert.c): an alert of a container the runtime is being asked
 * about waits for the answer, at most CTR_HOLD_MS; nothing else waits. */
struct written {
	int n;
	char name[128], image[256];
};

static void record_write(void *ctx, struct alert *a)
{
	struct written *w = ctx;

	w->n++;
	snprintf(w->name, sizeof(w->name), "%s", a->ctr_name);
	snprintf(w->image, sizeof(w->image), "%s", a->ctr_image);
}

static void test_hold(void)
{
	struct ctr_meta *m = meta_for(fk.path);
	struct ctr_hold *h = ctr_hold_new();
	struct ctr_meta_info i;
	struct written w = { 0 };
	static struct alert a, host, slow;
	uint64_t now = 1000000000ull, end = ms_now() + 3000;

	snprintf(a.container, sizeof(a.container), "%s", GOOD);
	snprintf(a.ctr_runtime, sizeof(a.ctr_runtime), "docker");
	CHECK(!ctr_hold_put(h, m, &host, now));          /* on the host: written at once */
	CHECK(!ctr_hold_put(h, NULL, &a, now));          /* no lookups: written at once */
	CHECK(ctr_hold_put(h, m, &a, now));              /* first ask: PENDING, held */
	while (ctr_hold_flush(h, m, now, false, record_write, &w) && ms_now() < end)
		ctr_meta_wait(m, ctr_meta_generation(m), 50);
	CHECKF(w.n == 1 && !strcmp(w.name, "web") && !strcmp(w.image, "docker.io/library/nginx:1.25"),
	       "%d written, name '%s' image '%s'", w.n, w.name, w.image);
	CHECK(settled(m, GOOD, &i) == CTR_META_KNOWN);
	CHECK(!ctr_hold_put(h, m, &a, now));             /* known now: written at once, filled */
	CHECK(!strcmp(a.ctr_name, "web"));

	w = (struct written){ 0 };
	snprintf(slow.container, sizeof(slow.container), "%s", SLOW);
	snprintf(slow.ctr_runtime, sizeof(slow.ctr_runtime), "docker");
	CHECK(ctr_hold_put(h, m, &slow, now));           /* the runtime is slow to answer */
	CHECK(ctr_hold_flush(h, m, now + 1000000, false, record_write, &w) == 1 && w.n == 0);
	CHECK(ctr_hold_flush(h, m, now + CTR_HOLD_MS * 1000000ull, false, record_write, &w) == 0);
	CHECKF(w.n == 1 && !w.name[0], "%d written, name '%s'", w.n, w.name);
	CHECK(settled(m, SLOW, &i) == CTR_META_NONE);   /* timed out: a failed runtime... */
	CHECK(!ctr_hold_put(h, m, &slow, now));          /* ...holds nothing */
	ctr_meta_free(m);
	m = meta_for(fk.path);                            /* a runtime not yet known to be slow */
	w = (struct written){ 0 };
	CHECK(ctr_hold_put(h, m, &slow, now));
	CHECK(ctr_hold_flush(h, m, now, true, record_write, &w) == 0 && w.n == 1);   /* the stop */
	CHECK(ctr_hold_flush(NULL, m, now, true, record_write, &w) == 0);
	ctr_hold_free(h);
	ctr_hold_free(NULL);
	ctr_meta_free(m);
}

int main(void)
{
	RUN(test_parse_good);
	RUN(test_parse_long);
	RUN(test_parse_bad);
	RUN(test_parse_limits);
	if (!mkdtemp(dir) || !fake_start(&fk, dir)) {
		printf("not ok - the fake runtime starts\n");
		return 1;
	}
	RUN(test_answer_once);
	RUN(test_negative);
	RUN(test_slow);
	RUN(test_absent);
	RUN(test_bounds);
	RUN(test_not_asked);
	RUN(test_hold);
	fake_stop(&fk);
	rmdir(dir);
	return tap_done();
}
