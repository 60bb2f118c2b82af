/* procscan.c: reads /proc once at start-up (include/procscan.h): each process's parent, name,
 * command line and what its stdio is. A socket is named by its inode in /proc/PID/fd; the
 * net/tcp and net/tcp6 tables give its two ends. Sockets of other network namespaces are not in
 * those tables and stay "socket, family unknown". */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "live_decode.h"
#include "procscan.h"
#include "proctime.h"

struct inet_sock {
	unsigned long inode;
	struct wire_fd fd;
};

struct sock_table {
	struct inet_sock *v;
	size_t n, cap;
};

/* "0100007F:1F90" (IPv4) or 32 hex digits (IPv6, four host-order words) and a hex port. */
static int parse_endpoint(const char *s, int family, uint8_t addr[16], uint16_t *port)
{
	unsigned int w[4], p;

	if (family == AF_INET) {
		if (sscanf(s, "%8x:%x", &w[0], &p) != 2)
			return -1;
		memcpy(addr, &w[0], 4);
	} else {
		if (sscanf(s, "%8x%8x%8x%8x:%x", &w[0], &w[1], &w[2], &w[3], &p) != 5)
			return -1;
		memcpy(addr, w, 16);
	}
	*port = (uint16_t)p;
	return 0;
}

static void load_table(struct sock_table *t, const char *path, int family)
{
	FILE *f = fopen(path, "r");
	char line[512], local[64], remote[64];
	unsigned long inode;

	if (!f)
		return;
	if (!fgets(line, sizeof(line), f)) {   /* header */
		fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		struct inet_sock s = { 0 };

		if (sscanf(line, " %*d: %63s %63s %*x %*s %*s %*s %*u %*u %lu", local, remote,
			   &inode) != 3 || !inode)
			continue;
		s.inode = inode;
		s.fd.kind = WIRE_FD_SOCK;
		s.fd.family = (uint16_t)family;
		if (parse_endpoint(local, family, s.fd.laddr, &s.fd.lport) ||
		    parse_endpoint(remote, family, s.fd.paddr, &s.fd.pport))
			continue;
		if (t->n == t->cap) {
			size_t cap = t->cap ? 2 * t->cap : 256;
			struct inet_sock *v = realloc(t->v, cap * sizeof(*v));

			if (!v)
				break;
			t->v = v, t->cap = cap;
		}
		t->v[t->n++] = s;
	}
	fclose(f);
}

static const struct wire_fd *find_sock(const struct sock_table *t, unsigned long inode)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].inode == inode)
			return &t->v[i].fd;
	return NULL;
}

/* Which pipe or fifo: its inode, and its file system's dev_t in the kernel's own encoding (what
 * the BPF side reads from i_sb->s_dev: MAJOR << 20 | MINOR), not the user-space one of st_dev. */
static void pipe_id(struct wire_fd *out, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return;
	out->ino = st.st_ino;
	out->dev = (uint32_t)(major(st.st_dev) << 20 | minor(st.st_dev));
}

static void describe_fd(struct wire_fd *out, const char *root, uint32_t pid, int fd,
			const struct sock_table *t)
{
	char path[128], link[256];
	unsigned long inode;
	struct stat st;
	ssize_t n;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "%s/%u/fd/%d", root, pid, fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		out->kind = errno == ENOENT ? WIRE_FD_NONE : WIRE_FD_OTHER;
		return;
	}
	link[n] = '\0';
	if (sscanf(link, "socket:[%lu]", &inode) == 1) {
		const struct wire_fd *s = find_sock(t, inode);

		if (s)
			*out = *s;
		else
			out->kind = WIRE_FD_SOCK;   /* unix, udp or another netns: family unknown */
	} else if (!strncmp(link, "pipe:", 5)) {
		out->kind = WIRE_FD_PIPE;
		pipe_id(out, path);
	} else if (!strncmp(link, "/dev/pts/", 9) || !strncmp(link, "/dev/tty", 8) ||
		   !strcmp(link, "/dev/console") || !strcmp(link, "/dev/ptmx")) {
		out->kind = WIRE_FD_TTY;
	} else if (!stat(path, &st)) {
		out->kind = S_ISFIFO(st.st_mode) ? WIRE_FD_FIFO : S_ISREG(st.st_mode) ? WIRE_FD_FILE
										: WIRE_FD_OTHER;
		if (out->kind == WIRE_FD_FIFO)
			pipe_id(out, path);
	} else {
		out->kind = WIRE_FD_OTHER;
	}
}

/* /proc/PID/stat: "pid (comm) state ppid ...", comm may hold ") ". Returns the text after the
 * comm's closing parenthesis, the comm in comm (comm_len bytes), or NULL. */
static char *read_stat_line(const char *root, uint32_t pid, char *buf, size_t len, char *comm,
			    size_t comm_len)
{
	char path[128], *open, *close;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%u/stat", root, pid);
	if (!(f = fopen(path, "r")))
		return NULL;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	open = strchr(buf, '(');
	close = strrchr(buf, ')');
	if (!open || !close || close < open)
		return NULL;
	n = (size_t)(close - open - 1);
	if (n >= comm_len)
		n = comm_len - 1;
	memcpy(comm, open + 1, n);
	comm[n] = '\0';
	return close + 1;
}

/* The start time (field 22, clock ticks since boot, the 20th field after the comm) in ns. */
static uint64_t stat_start(const char *rest)
{
	unsigned long long start;
	const char *p = rest;

	for (int field = 0; p && field < 19; field++)
		p = strchr(p + 1, ' ');
	return p && sscanf(p, " %llu", &start) == 1 ? start * proc_tick_ns() : 0;
}

uint64_t procscan_start_ns(const char *root, uint32_t pid)
{
	char buf[1024], comm[WIRE_COMM_LEN], *rest;

	rest = read_stat_line(root, pid, buf, sizeof(buf), comm, sizeof(comm));
	return rest ? stat_start(rest) : 0;
}

static int read_stat(const char *root, uint32_t pid, struct procscan_entry *e)
{
	char buf[1024], pbuf[1024], pcomm[WIRE_COMM_LEN], *rest, *prest;

	rest = read_stat_line(root, pid, buf, sizeof(buf), e->comm, sizeof(e->comm));
	if (!rest || sscanf(rest, " %*c %u", &e->ppid) != 1)
		return -1;
	e->start_ns = stat_start(rest);
	prest = e->ppid ? read_stat_line(root, e->ppid, pbuf, sizeof(pbuf), pcomm, sizeof(pcomm))
			: NULL;
	e->pstart_ns = prest ? stat_start(prest) : 0;
	return 0;
}

/* Uid: the real uid; NSpid: the last value is the pid in its own pid namespace. */
static void read_uid(const char *root, uint32_t pid, struct procscan_entry *e)
{
	char path[128], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%u/status", root, pid);
	if (!(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), f)) {
		char *last = strrchr(line, '\t');

		if (sscanf(line, "Uid: %u", &e->uid) != 1 && !strncmp(line, "NSpid:", 6) && last)
			e->ns_pid = (uint32_t)strtoul(last + 1, NULL, 10);
	}
	fclose(f);
}

/* The cgroup path's last three names into e->cgroup (leaf first): the unified hierarchy's line,
 * or the memory controller's when that one is the root (as the exec program chooses). */
static void read_cgroup(const char *root, uint32_t pid, struct procscan_entry *e)
{
	char path[128], line[512], best[512] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%u/cgroup", root, pid);
	if (!(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':'), *q = p ? strchr(p + 1, ':') : NULL;

		if (!q)
			continue;
		q[strcspn(q, "\n")] = '\0';
		if ((!strncmp(line, "0::", 3) && strcmp(q + 1, "/")) ||
		    (!best[0] && !strncmp(p, ":memory:", 8)))
			snprintf(best, sizeof(best), "%s", q + 1);
	}
	fclose(f);
	for (int i = 0; i < 3; i++) {
		char *slash = strrchr(best, '/');

		if (!slash)
			break;
		snprintf(e->cgroup[i], sizeof(e->cgroup[i]), "%s", slash + 1);
		*slash = '\0';
	}
}

static uint32_t ns_inode(const char *root, uint32_t pid, const char *ns)
{
	char path[128], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%u/ns/%s", root, pid, ns);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	return strchr(link, '[') ? (uint32_t)strtoul(strchr(link, '[') + 1, NULL, 10) : 0;
}

static void read_cmdline(const char *root, uint32_t pid, struct procscan_entry *e)
{
	char path[128];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%u/cmdline", root, pid);
	if ((f = fopen(path, "r"))) {
		n = fread(e->cmd, 1, sizeof(e->cmd) - 1, f);
		e->cmd_trunc = n == sizeof(e->cmd) - 1 && fgetc(f) != EOF;
		fclose(f);
	}
	while (n && e->cmd[n - 1] == '\0')
		n--;
	for (size_t i = 0; i < n; i++)
		if (e->cmd[i] == '\0')
			e->cmd[i] = ' ';
	e->cmd[n] = '\0';
}

/* The cwd link, kept as the exec program keeps a working directory (include/wire.h). */
static void read_cwd(const char *root, uint32_t pid, struct procscan_entry *e)
{
	char path[128], link[4096];
	ssize_t n;
	size_t k = 0;

	snprintf(path, sizeof(path), "%s/%u/cwd", root, pid);
	n = readlink(path, link, sizeof(link));
	if (n <= 0 || n >= (ssize_t)sizeof(link) || link[0] != '/')
		return;
	if (n > WIRE_CWD_MAX) {
		k = (size_t)n - WIRE_CWD_MAX;
		while (k < (size_t)n && link[k] != '/')
			k++;
		if (k == (size_t)n)
			return;
		e->cwd_trunc = true;
	}
	memcpy(e->cwd, link + k, (size_t)n - k);
	e->cwd_len = (uint16_t)((size_t)n - k);
}

int procscan(const char *root, procscan_fn fn, void *ctx)
{
	struct sock_table t = { 0 };
	struct procscan_entry e;
	struct stat st;
	struct dirent *d;
	char path[128];
	DIR *dir = opendir(root);
	int count = 0;
	ssize_t n;

	if (!dir)
		return -errno;
	snprintf(path, sizeof(path), "%s/net/tcp", root);
	load_table(&t, path, AF_INET);
	snprintf(path, sizeof(path), "%s/net/tcp6", root);
	load_table(&t, path, AF_INET6);
	while ((d = readdir(dir))) {
		char *end;
		unsigned long pid = strtoul(d->d_name, &end, 10);

		if (!isdigit((unsigned char)d->d_name[0]) || *end || !pid || pid > UINT32_MAX)
			continue;
		memset(&e, 0, sizeof(e));
		e.pid = (uint32_t)pid;
		if (read_stat(root, e.pid, &e))
			continue;   /* gone meanwhile */
		read_cmdline(root, e.pid, &e);
		read_uid(root, e.pid, &e);
		read_cgroup(root, e.pid, &e);
		read_cwd(root, e.pid, &e);
		e.pidns = ns_inode(root, e.pid, "pid");
		e.netns = ns_inode(root, e.pid, "net");
		snprintf(path, sizeof(path), "%s/%u/exe", root, e.pid);
		n = readlink(path, e.exe, sizeof(e.exe) - 1);
		e.exe[n > 0 ? n : 0] = '\0';
		if (!stat(path, &st)) {
			e.exe_ino = st.st_ino;
			e.exe_dev = (uint32_t)(major(st.st_dev) << 20 | minor(st.st_dev));
		}
		for (int fd = 0; fd < 3; fd++)
			describe_fd(&e.stdio[fd], root, e.pid, fd, &t);
		fn(ctx, &e);
		count++;
	}
	closedir(dir);
	free(t.v);
	return count;
}

int procscan_event(const struct procscan_entry *e, uint64_t t_ns, struct sw_event *ev,
		   char *scratch, size_t cap)
{
	static struct wire_exec w;   /* what the exec program would have written */
	size_t n = strnlen(e->cmd, sizeof(e->cmd)), x = strnlen(e->exe, sizeof(e->exe));
	int rc;

	memset(&w, 0, sizeof(w));
	w.hdr = (struct wire_hdr){ .type = WIRE_EXEC, .call = WIRE_C_EXECVE, .size = sizeof(w),
				   .ktime = t_ns, .pid = e->pid, .tid = e->pid, .ppid = e->ppid,
				   .uid = e->uid, .start = e->start_ns };
	memcpy(w.hdr.comm, e->comm, sizeof(w.hdr.comm));
	w.hdr.comm[sizeof(w.hdr.comm) - 1] = '\0';
	memcpy(w.argv, e->cmd, n);
	w.argv_len = (uint32_t)n + 1;
	w.argv_trunc = e->cmd_trunc;
	memcpy(w.exe, e->exe, x < sizeof(w.exe) ? x : sizeof(w.exe) - 1);
	w.exe_len = (uint16_t)(x + 1);
	w.pstart = e->pstart_ns;
	w.exe_ino = e->exe_ino;
	w.exe_dev = e->exe_dev;
	memcpy(w.fds, e->stdio, sizeof(w.fds));
	memcpy(w.cgroup, e->cgroup, sizeof(w.cgroup));
	w.ns_pid = e->ns_pid, w.pidns = e->pidns, w.netns = e->netns;
	memcpy(w.cwd, e->cwd, e->cwd_len <= WIRE_CWD_MAX ? e->cwd_len : WIRE_CWD_MAX);
	w.cwd_len = e->cwd_len <= WIRE_CWD_MAX ? e->cwd_len : WIRE_CWD_MAX;
	w.cwd_trunc = e->cwd_trunc;
	rc = live_decode(&w, sizeof(w), ev, scratch, cap);
	if (rc)
		return rc;
	ev->call = sw_str_c("proc");
	ev->kind = SW_EV_PROC;
	ev->has_ret = false;
	return 0;
}

int procscan_sock_event(const struct procscan_entry *e, uint64_t t_ns, int32_t fd,
			const struct wire_fd *sock, bool accepted, struct sw_event *ev, char *scratch,
			size_t cap)
{
	struct wire_sock_ev w = { .hdr = { .type = WIRE_SOCK, .size = sizeof(w), .ktime = t_ns,
					   .pid = e->pid, .tid = e->pid, .ppid = e->ppid,
					   .uid = e->uid, .start = e->start_ns } };
	int rc;

	w.hdr.call = accepted ? WIRE_C_ACCEPT4 : WIRE_C_CONNECT;
	memcpy(w.hdr.comm, e->comm, sizeof(w.hdr.comm));
	w.hdr.comm[sizeof(w.hdr.comm) - 1] = '\0';
	w.fd = accepted ? -1 : fd;   /* accept: the listening fd is not known */
	w.ret = accepted ? fd : 0;
	w.sock = *sock;
	rc = live_decode(&w, sizeof(w), ev, scratch, cap);
	if (rc)
		return rc;
	if (ev->nargs < SW_EVENT_MAX_ARGS)
		ev->args[ev->nargs++] = (struct sw_arg){ sw_str_c("scan"), sw_str_c("1") };
	return 0;
}
