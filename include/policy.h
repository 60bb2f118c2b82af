/* policy.h: what a site decides is fine, from /etc/shellwatch/exceptions.conf (or --exceptions):
 * the sanctioned remote-access servers (sshd, dropbear, ...: connections they accept and the
 * shells they start are remote access by design) and exceptions that suppress matching alerts.
 * Suppressed alerts are counted and, with --show-suppressed, printed with the line that matched:
 * never silently gone.
 *
 *   # comment
 *   server /usr/local/sbin/my-sshd          a sanctioned server (a glob on its executable path)
 *   allow exe=/opt/app/bin/app user=app     every key must match: exe, parent-exe, interpreter,
 *   allow cmdline='sh -c *' remote=10.0.0.0/8 port=8000-8099   cmdline (globs), user (name or
 *                                           uid), remote (CIDR), port (N or N-M), container, rule
 *
 * Values may be quoted ('...' or "..."); globs are fnmatch(3) patterns. docs/exceptions.md. */
#ifndef SW_POLICY_H
#define SW_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include "alert.h"

#define POLICY_DEFAULT_PATH "/etc/shellwatch/exceptions.conf"

struct policy;

/* The built-in servers only (no file). */
struct policy *policy_default(void);
/* The built-in servers plus what path says. NULL on an error, described in why as
 * "path:line: reason" (the first one). */
struct policy *policy_load(const char *path, char *why, size_t len);
void policy_free(struct policy *p);

/* exe is a sanctioned remote-access server. */
bool policy_sanctioned(const struct policy *p, const char *exe);
/* The first allow rule a matches ("path:line"), or NULL. pexe: the parent's executable. */
const char *policy_allows(const struct policy *p, const struct alert *a, const char *pexe);
size_t policy_rules(const struct policy *p);

#endif /* SW_POLICY_H */
