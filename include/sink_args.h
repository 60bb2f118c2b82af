/* sink_args.h: the output options `run` and `replay` share (--json[=ecs|ocsf], --output and its
 * rotation and symlink options, --syslog, --syslog-server, --syslog-format), as one argp child
 * parser filling struct sink_opts (include/sink.h). */
#ifndef SW_SINK_ARGS_H
#define SW_SINK_ARGS_H

#include <argp.h>
#include "sink.h"

/* A child parser: its input is a struct sink_opts (state->child_inputs[i] at ARGP_KEY_INIT). */
extern const struct argp sink_argp;

void sink_args_init(struct sink_opts *o);

#endif /* SW_SINK_ARGS_H */
