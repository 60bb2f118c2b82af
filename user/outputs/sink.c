/* sink.c: where alerts go, for `run` and `replay` alike: text or JSON lines to stdout or an
 * appended file (line-buffered, so a shipper tailing it sees whole lines at once), plus syslog
 * when asked. */
#include <errno.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include "sink.h"

int sink_open(struct sink *s)
{
	s->f = stdout;
	if (s->path && !(s->f = fopen(s->path, "a")))
		return -errno;
	setvbuf(s->f, NULL, _IOLBF, 0);
	if (s->syslog)
		openlog("shellwatch", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
	return 0;
}

int sink_reopen(struct sink *s)
{
	FILE *f;

	if (!s->path)
		return 0;
	f = fopen(s->path, "a");
	if (!f)
		return -errno;
	setvbuf(f, NULL, _IOLBF, 0);
	fclose(s->f);
	s->f = f;
	return 0;
}

static void to_syslog(const struct alert *a)
{
	char sigs[128], ip[64] = "";

	signals_str(a->signals, sigs, sizeof(sigs));
	if (a->has_peer)
		alert_peer_ip(&a->peer, ip, sizeof(ip));
	syslog(a->severity == SEV_HIGH ? LOG_ALERT : LOG_WARNING,
	       "%s severity=%s pid=%u ppid=%u uid=%u exe=%s remote=%s:%u signals=%s cmd=%.200s",
	       alert_name(a), severity_name(a->severity), a->pid, a->ppid, a->uid, a->exe,
	       a->has_peer ? ip : "-", a->has_peer ? a->peer.pport : 0, sigs, a->cmd);
}

void sink_write(struct sink *s, const struct alert *a)
{
	int rc = s->json ? alert_write_json(s->f, a) : alert_write_text(s->f, a);

	if (rc || fflush(s->f)) {
		s->write_errors++;
		clearerr(s->f);
	}
	if (s->syslog)
		to_syslog(a);
}

void sink_close(struct sink *s)
{
	if (s->f && s->f != stdout)
		fclose(s->f);
	else if (s->f)
		fflush(s->f);
	if (s->syslog)
		closelog();
	s->f = NULL;
}
