/* sink_args.c: the output options of `run` and `replay` (include/sink_args.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sink_args.h"

enum { OPT_MAX_SIZE = 1200, OPT_KEEP, OPT_FOLLOW, OPT_SYSLOG, OPT_SERVER, OPT_SL_FORMAT };

static const struct argp_option options[] = {
	{ "json", 'j', "FORMAT", OPTION_ARG_OPTIONAL, "one JSON object per alert, nothing else on "
						       "stdout: ecs (the default: Elastic Common "
						       "Schema, nested) or ocsf (an OCSF 1.1 "
						       "Detection Finding)", 0 },
	{ "output", 'o', "FILE", 0, "append alerts to FILE instead of stdout (created 0640; not a "
				    "symbolic link, not in a directory everyone can write to "
				    "without the sticky bit); SIGHUP reopens it", 0 },
	{ "output-max-size", OPT_MAX_SIZE, "SIZE", 0, "rotate FILE before it grows past SIZE "
						      "bytes (suffix k, M, G): FILE.1, FILE.2, ...",
	  0 },
	{ "output-keep", OPT_KEEP, "N", 0, "rotated files kept (default 5; 0: none)", 0 },
	{ "output-follow-symlink", OPT_FOLLOW, 0, 0, "allow FILE to be a symbolic link", 0 },
	{ "syslog", OPT_SYSLOG, 0, 0, "also send each alert to the local syslog socket (/dev/log, "
				      "facility authpriv; the JSON document as the message)", 0 },
	{ "syslog-server", OPT_SERVER, "URL", 0, "also send each alert to a syslog collector: "
						 "tcp://HOST:PORT or udp://HOST:PORT (RFC 5424; "
						 "queued and resent while it is away)", 0 },
	{ "syslog-format", OPT_SL_FORMAT, "FMT", 0, "rfc5424 or rfc3164 (default: rfc5424 to a "
						    "collector, rfc3164 to the local socket)", 0 },
	{ 0 }
};

/* "1048576", "512k", "10M", "1G" (powers of 1024). */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || errno || *s == '-')
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10, end++; break;
	case 'm': case 'M': shift = 20, end++; break;
	case 'g': case 'G': shift = 30, end++; break;
	}
	if (*end || !v || v > (~0ull >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct sink_opts *o = state->input;
	char why[256], *end;
	unsigned long n;

	switch (key) {
	case 'j':
		if (!arg || !strcmp(arg, "ecs"))
			o->format = SINK_ECS;
		else if (!strcmp(arg, "ocsf"))
			o->format = SINK_OCSF;
		else
			argp_error(state, "--json is ecs or ocsf, not '%s'", arg);
		break;
	case 'o': o->file.path = arg; break;
	case OPT_MAX_SIZE:
		if (parse_size(arg, &o->file.max_size) || o->file.max_size < 4096)
			argp_error(state, "--output-max-size takes a size of at least 4k, like 10M, "
					  "not '%s'", arg);
		break;
	case OPT_KEEP:
		n = strtoul(arg, &end, 10);
		if (end == arg || *end || n > 1000)
			argp_error(state, "--output-keep takes a number from 0 to 1000, not '%s'", arg);
		o->file.keep = (unsigned)n;
		break;
	case OPT_FOLLOW: o->file.follow_symlink = true; break;
	case OPT_SYSLOG: o->syslog_local = true; break;
	case OPT_SERVER:
		if (syslog_parse_dest(arg, &o->server, why, sizeof(why)))
			argp_error(state, "--syslog-server %s", why);
		o->has_server = true;
		break;
	case OPT_SL_FORMAT:
		if (!strcmp(arg, "rfc5424"))
			o->syslog_format = SYSLOG_RFC5424;
		else if (!strcmp(arg, "rfc3164"))
			o->syslog_format = SYSLOG_RFC3164;
		else
			argp_error(state, "--syslog-format is rfc5424 or rfc3164, not '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (o->file.max_size && !o->file.path)
			argp_error(state, "--output-max-size needs --output FILE");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp sink_argp = { options, parse_opt, NULL, NULL, NULL, NULL, NULL };

void sink_args_init(struct sink_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->file.keep = 5;
}
