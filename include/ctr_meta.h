/* ctr_meta.h: a container's name, image and Kubernetes pod, asked of its runtime once and cached,
 * off the alert path (user/containers/ctr_meta.c; docs/containers.md).
 *
 * Docker and podman serve the same HTTP API on a unix socket; a worker thread asks
 * `GET /containers/<id>/json` once per container and keeps `.Name`, `.Config.Image` and the
 * `io.kubernetes.pod.name` / `io.kubernetes.pod.namespace` labels. A lookup never waits for it:
 * it says what is known now (nothing yet, the answer, or that there is none) and queues the
 * question when it is new; the caller asks again later. Failures are remembered: a container the
 * runtime could not describe for negative_ttl_ms, a runtime that is not there (no socket, refused,
 * or too slow) for runtime_retry_ms, so a missing runtime costs one connect attempt per period,
 * not one per exec.
 *
 *   struct ctr_meta_opts o = ctr_meta_opts_default();
 *   struct ctr_meta *m = ctr_meta_new(&o);          // starts the worker
 *   struct ctr_meta_info info;
 *   if (ctr_meta_lookup(m, CTR_PODMAN, id, &info) == CTR_META_KNOWN) use(info.name, info.image);
 *   ctr_meta_free(m);                                // stops and joins the worker
 */
#ifndef SW_CTR_META_H
#define SW_CTR_META_H

#include <stddef.h>
#include <stdint.h>
#include "container.h"

#define CTR_META_SOCK_MAX 108   /* sun_path */

struct ctr_meta_opts {
	char docker_socket[CTR_META_SOCK_MAX];   /* "" : docker is not asked */
	char podman_socket[CTR_META_SOCK_MAX];   /* "" : podman is not asked */
	unsigned timeout_ms;        /* one whole request: connect, send, read (500) */
	unsigned cache_entries;     /* containers remembered, least recently used out (1024) */
	unsigned queue_len;         /* questions waiting for the worker; more are dropped (64) */
	unsigned negative_ttl_ms;   /* a container its runtime could not describe (60 s) */
	unsigned runtime_retry_ms;  /* a runtime that did not answer at all (30 s) */
	size_t max_response;        /* bytes of an answer, headers and body; larger fails (256 KiB) */
};

enum ctr_meta_state {
	CTR_META_PENDING,   /* asked (or about to be): nothing known yet; ask again later */
	CTR_META_KNOWN,     /* *info is filled */
	CTR_META_NONE,      /* no answer to be had now: no runtime API for it, or a remembered
			     * failure; the id alone */
};

/* Every string is NUL-terminated, cut to fit (at a UTF-8 character boundary), control
 * characters replaced by '?'; "" when the runtime did not say. */
struct ctr_meta_info {
	char name[128];            /* .Name without its leading '/' */
	char image[256];           /* .Config.Image */
	char pod_name[256];        /* label io.kubernetes.pod.name */
	char pod_namespace[64];    /* label io.kubernetes.pod.namespace */
};

struct ctr_meta_stats {
	uint64_t lookups, hits;     /* hits: answered from the cache (KNOWN or NONE) */
	uint64_t queued, dropped;   /* dropped: the queue was full (asked again at a later lookup) */
	uint64_t answered;          /* the runtime described the container */
	uint64_t not_found;         /* 404 */
	uint64_t bad_response;      /* another status, malformed HTTP or JSON, too large, cut short */
	uint64_t unreachable;       /* no socket, refused, or no whole answer within timeout_ms */
	uint64_t skipped;           /* not asked: the runtime is remembered as unreachable */
	uint64_t evicted;           /* cache entries reused for other containers */
};

/* The defaults above; sockets /var/run/docker.sock and /run/podman/podman.sock. */
struct ctr_meta_opts ctr_meta_opts_default(void);
/* NULL when out of memory or the thread cannot start (errno set). */
struct ctr_meta *ctr_meta_new(const struct ctr_meta_opts *o);
/* Never blocks on the runtime (a short lock shared with the worker only). CTR_DOCKER is asked of
 * the docker socket, CTR_PODMAN of podman's; other runtimes have no API here: CTR_META_NONE.
 * *info is cleared unless CTR_META_KNOWN. */
enum ctr_meta_state ctr_meta_lookup(struct ctr_meta *m, enum ctr_runtime rt, const char *id,
				    struct ctr_meta_info *info);
/* How many questions the worker has finished; ctr_meta_wait sleeps until more than gen are, or
 * timeout_ms pass (false). For tests and tools; the alert path never waits. */
uint64_t ctr_meta_generation(struct ctr_meta *m);
bool ctr_meta_wait(struct ctr_meta *m, uint64_t gen, unsigned timeout_ms);
void ctr_meta_stats(struct ctr_meta *m, struct ctr_meta_stats *st);
/* Stops the worker (a request in flight is abandoned at once) and frees everything. */
void ctr_meta_free(struct ctr_meta *m);

/* The answer's parser, exposed for tests and the fuzz target: a whole HTTP/1.x response of n bytes
 * (Content-Length, chunked, or to the end), at most max_body bytes of body. buf is used as scratch
 * (a chunked body is joined in place). */
enum ctr_meta_parse {
	CMP_OK,          /* 200 and a JSON object: *info filled (fields it lacks are "") */
	CMP_NOT_FOUND,   /* 404 */
	CMP_STATUS,      /* another status */
	CMP_INCOMPLETE,  /* cut short: the headers or the body do not end */
	CMP_TOO_BIG,     /* the body is longer than max_body */
	CMP_MALFORMED,   /* not HTTP/1.x, bad chunk framing, bad Content-Length */
	CMP_BAD_JSON,    /* 200, but the body is not a JSON object */
};
enum ctr_meta_parse ctr_meta_parse_response(char *buf, size_t n, size_t max_body,
					    struct ctr_meta_info *info);

#endif /* SW_CTR_META_H */
