/* wirecmd.h: is a new program's command line one that just came off the network? Compares the
 * exec's argv with the start of what the process (or its parent) last received on an inet socket
 * (bpf/shellwatch.bpf.c on_recv, at most WIRE_RECV_MAX bytes), the way the loops that run commands
 * off the wire pass them on: popen/system/`sh -c LINE`, a shell's `eval LINE` or `LINE 2>&1 |`
 * (its simple commands), Tcl's `exec LINE` (brace groups), each line of a batch of several. Words
 * are compared with quotes, braces and redirections removed, never as a substring, and only
 * printable text is looked at (a binary protocol is not a command).
 */
#ifndef SW_WIRECMD_H
#define SW_WIRECMD_H

#include <stdbool.h>
#include <stddef.h>

/* recv: the received bytes, cut: they are the start of more (a last line without its newline is
 * then not looked at); argv: the exec's arguments, NUL-separated (as in the mm). True when argv
 * is, word for word, one simple command of a received line, or argv is `PROG -c STR` (or -lc,
 * ...) and STR's simple commands are a received line's. */
bool wirecmd_match(const char *recv, size_t recv_len, bool cut, const char *argv, size_t argv_len);

#endif /* SW_WIRECMD_H */
