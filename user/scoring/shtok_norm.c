/* shtok_norm.c: word normalization for the tokenizer. One unquoted word in, class tokens out:
 * IPv4/IPv6/decimal/hex addresses, hostnames, ports (a number right after an address), URLs,
 * /dev/tcp paths, long random names and path components, base64 blobs, binary junk. Whatever varies
 * between two instances of one attack technique should come out as the same tokens. */
#include <string.h>
#include <strings.h>
#include "shtok_norm.h"

void shtok_emit(struct shtok *t, const char *s, size_t n)
{
	if (n > SHTOK_TOK_MAX)
		n = SHTOK_TOK_MAX;
	if (t->n >= SHTOK_MAX_TOKENS || t->used + n > SHTOK_BUF) {
		t->dropped++;
		return;
	}
	memcpy(t->buf + t->used, s, n);
	t->off[t->n] = (uint16_t)t->used;
	t->len[t->n] = (uint8_t)n;
	t->n++;
	t->used += n;
	t->last_addr = false;
}

static void emit_s(struct shtok *t, const char *s)
{
	shtok_emit(t, s, strlen(s));
}

static void emit_addr(struct shtok *t, const char *cls)
{
	emit_s(t, cls);
	t->last_addr = true;
}

static bool is_dig(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static bool is_hex(unsigned char c)
{
	return is_dig(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_dig(s[i]))
			return false;
	return n > 0;
}

bool shtok_in_set(const char *s, size_t n, const struct shtok_word *set, size_t count, bool nocase)
{
	for (size_t i = 0; i < count; i++) {
		if (set[i].n != n)
			continue;
		if (nocase ? !strncasecmp(set[i].s, s, n) : !memcmp(set[i].s, s, n))
			return true;
	}
	return false;
}

static bool is_ipv4(const char *s, size_t n)
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		size_t st = i;
		unsigned v = 0;

		while (i < n && is_dig(s[i]) && i - st < 4)
			v = v * 10 + (unsigned)(s[i++] - '0');
		if (i == st || v > (s[st] == '0' ? 377u : 255u))
			return false;
		if (part < 3 && (i >= n || s[i++] != '.'))
			return false;
	}
	return i == n;
}

static bool is_ipv6(const char *s, size_t n)
{
	int colons = 0, hex = 0;

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']')
		s++, n -= 2;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ':')
			colons++;
		else if (is_hex(s[i]))
			hex++;
		else if (s[i] != '.')
			return false;
	}
	return colons >= 2 && n >= 2 && (hex > 0 || n == 2);
}

static const struct shtok_word tlds[] = { W("com"), W("net"), W("org"), W("io"), W("ru"), W("cn"),
	W("info"), W("biz"), W("xyz"), W("top"), W("me"), W("co"), W("uk"), W("de"), W("fr"),
	W("nl"), W("eu"), W("local"), W("lan"), W("internal"), W("onion"), W("tk"), W("cc"),
	W("su"), W("in"), W("us"), W("dev"), W("app"), W("cloud"), W("site"), W("online"),
	W("pw"), W("edu"), W("gov"), W("arpa"), W("localdomain") };
static const struct shtok_word file_exts[] = { W("sh"), W("py"), W("pl"), W("rb"), W("php"),
	W("js"), W("txt"), W("log"), W("conf"), W("cfg"), W("gz"), W("tgz"), W("bz2"), W("xz"),
	W("zip"), W("tar"), W("c"), W("h"), W("o"), W("so"), W("deb"), W("rpm"), W("json"),
	W("xml"), W("html"), W("htm"), W("md"), W("csv"), W("pem"), W("key"), W("crt"), W("pub"),
	W("bak"), W("tmp"), W("old"), W("yml"), W("yaml"), W("ini"), W("d"), W("service"),
	W("timer"), W("list"), W("out"), W("err"), W("pid"), W("lock"), W("sock"), W("jpg"),
	W("png"), W("pdf"), W("mp3"), W("iso"), W("img"), W("bin") };

/* Dotted name whose last label is a known TLD, or three or more labels not ending in a file
 * extension. */
static bool is_host(const char *s, size_t n)
{
	size_t labels = 1, last = 0;

	if (n < 4 || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (s[i - 1] == '.')
				return false;
			labels++;
			last = i + 1;
		} else if (!is_alpha(s[i]) && !is_dig(s[i]) && s[i] != '-') {
			return false;
		}
	}
	if (labels < 2 || n - last < 2 || n - last > 12)
		return false;
	for (size_t i = last; i < n; i++)
		if (!is_alpha(s[i]))
			return false;
	if (IN_SET(s + last, n - last, tlds, true))
		return true;
	return labels >= 3 && !IN_SET(s + last, n - last, file_exts, true);
}

/* Class of a random-looking name (or NULL): long mixes of letters and digits or of cases. */
static const char *random_class(const char *s, size_t n)
{
	unsigned dig = 0, alpha = 0, trans = 0, cases = 0;

	if (n > 32)
		return "<LONG>";
	if (n < 8)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		dig += is_dig(s[i]);
		alpha += is_alpha(s[i]);
		if (i && is_dig(s[i]) != is_dig(s[i - 1]))
			trans++;
		if (i && is_alpha(s[i]) && is_alpha(s[i - 1]) && (s[i] & 0x20) != (s[i - 1] & 0x20))
			cases++;
	}
	if (dig >= 2 && alpha >= 2 && trans >= 3)
		return "<RND>";
	if (n >= 10 && cases >= 5)
		return "<RND>";
	return NULL;
}

static bool is_b64(const char *s, size_t n)
{
	unsigned up = 0, lo = 0, dig = 0, slash = 0;
	size_t i = 0;

	if (n < 20 || s[0] == '/')
		return false;
	for (; i < n && s[i] != '='; i++) {
		unsigned char c = s[i];

		up += c >= 'A' && c <= 'Z';
		lo += c >= 'a' && c <= 'z';
		dig += is_dig(c);
		slash += c == '/';
		if (!is_alpha(c) && !is_dig(c) && c != '+' && c != '/')
			return false;
	}
	for (; i < n; i++)
		if (s[i] != '=')
			return false;
	return up && lo && (dig || s[n - 1] == '=') && slash * 8 <= n;
}

static void norm_number(struct shtok *t, const char *s, size_t n)
{
	unsigned long long v = 0;

	if (n == 1) {
		shtok_emit(t, s, n);
		return;
	}
	for (size_t i = 0; i < n && i < 12; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	if (n <= 5 && v <= 65535)
		emit_s(t, t->last_addr ? "<PORT>" : "<NUM>");
	else if (n <= 10 && v >= 16777216ULL && v <= 0xffffffffULL)
		emit_addr(t, "<IPDEC>");
	else
		emit_s(t, "<BIGNUM>");
}

/* A word without '/' and without separators. */
static void norm_atom(struct shtok *t, const char *s, size_t n)
{
	const char *rc;

	if (!n)
		return;
	if (is_ipv4(s, n))
		emit_addr(t, "<IP>");
	else if (all_digits(s, n))
		norm_number(t, s, n);
	else if (n > 2 && s[0] == '0' && (s[1] | 0x20) == 'x' && n <= 18)
		emit_addr(t, n >= 9 && n <= 10 ? "<IPHEX>" : "<HEX>");
	else if (is_host(s, n))
		emit_addr(t, "<HOST>");
	else if ((rc = random_class(s, n)))
		emit_s(t, rc);
	else if (n == 9 && !strncasecmp(s, "localhost", 9))
		emit_addr(t, "localhost");
	else
		shtok_emit(t, s, n);
}

/* Append component c to out (capacity cap) normalized; returns the new length. */
static size_t put_comp(char *out, size_t len, size_t cap, const char *c, size_t n)
{
	const char *rc = random_class(c, n);

	if (!rc && all_digits(c, n) && n > 1)
		rc = "<N>";
	if (rc) {
		c = rc;
		n = strlen(rc);
	}
	if (len + n > cap)
		n = cap - len;
	memcpy(out + len, c, n);
	return len + n;
}

/* A word in host position (/dev/tcp/HOST, URL host): a bare number is an address. */
static void norm_host(struct shtok *t, const char *s, size_t n)
{
	if ((n >= 8 && all_digits(s, n)) || (n > 2 && s[0] == '0' && (s[1] | 0x20) == 'x'))
		emit_addr(t, "<IP>");
	else
		norm_atom(t, s, n);
}

static void norm_devnet(struct shtok *t, const char *s, size_t n)
{
	const char *host = s + 9, *end = s + n, *slash;

	shtok_emit(t, s, 8);
	slash = memchr(host, '/', (size_t)(end - host));
	norm_host(t, host, (size_t)((slash ? slash : end) - host));
	t->last_addr = true;
	if (slash) {
		const char *port = slash + 1, *e2 = memchr(port, '/', (size_t)(end - port));

		norm_atom(t, port, (size_t)((e2 ? e2 : end) - port));
	}
}

/* A path: /dev/tcp|udp/HOST/PORT split in three; others keep two leading components and the
 * last, with random or numeric components replaced by a class. */
static void norm_path(struct shtok *t, const char *s, size_t n)
{
	size_t st[64], ln[64], k = 0, len = 0, keep;
	char out[SHTOK_TOK_MAX];

	if (n > 9 && (!strncmp(s, "/dev/tcp/", 9) || !strncmp(s, "/dev/udp/", 9))) {
		norm_devnet(t, s, n);
		return;
	}
	for (size_t i = 0, b = 0; i <= n && k < 64; i++) {
		if (i == n || s[i] == '/') {
			st[k] = b;
			ln[k++] = i - b;
			b = i + 1;
		}
	}
	keep = ln[0] == 0 ? 3 : 2; /* "/a/b" or "a/b" */
	for (size_t c = 0; c < k; c++) {
		if (k > keep + 2 && c >= keep && c < k - 1) {
			if (c == keep)
				len = put_comp(out, len, sizeof(out), ".../", 4);
			continue;
		}
		len = put_comp(out, len, sizeof(out), s + st[c], ln[c]);
		if (c + 1 < k && len < sizeof(out))
			out[len++] = '/';
	}
	shtok_emit(t, out, len);
}

static void norm_piece(struct shtok *t, const char *s, size_t n)
{
	if (memchr(s, '/', n))
		norm_path(t, s, n);
	else
		norm_atom(t, s, n);
}

/* scheme://[user@]host[:port][/path]: scheme, address class, <PORT>, normalized path. */
static size_t url_scheme_len(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && i < 12 && (is_alpha(s[i]) || is_dig(s[i]) || s[i] == '+' || s[i] == '-'))
		i++;
	return i > 0 && i + 3 <= n && !memcmp(s + i, "://", 3) ? i + 3 : 0;
}

static void norm_url(struct shtok *t, const char *s, size_t n, size_t sch)
{
	const char *a = s + sch, *end = s + n, *p = a, *host, *colon = NULL;

	shtok_emit(t, s, sch);
	while (p < end && *p != '/' && *p != '?' && *p != '#')
		p++;
	host = a;
	for (const char *q = a; q < p; q++)
		if (*q == '@')
			host = q + 1;
	if (host < p && *host == '[') {
		const char *rb = memchr(host, ']', (size_t)(p - host));

		emit_addr(t, "<IP6>");
		colon = rb && rb + 1 < p && rb[1] == ':' ? rb + 1 : NULL;
	} else {
		colon = memchr(host, ':', (size_t)(p - host));
		norm_host(t, host, (size_t)((colon ? colon : p) - host));
	}
	t->last_addr = true;
	if (colon && colon + 1 < p)
		norm_atom(t, colon + 1, (size_t)(p - colon - 1));
	if (p < end && *p == '/' && end - p > 1) {
		const char *q = memchr(p, '?', (size_t)(end - p));

		norm_path(t, p, (size_t)((q ? q : end) - p));
	}
}

static bool is_sep(char c)
{
	return c == ':' || c == ',' || c == '=' || c == '@';
}

/* Split at : , = @ ("tcp:1.2.3.4:80", "exec:sh,pty", "if=/dev/zero"); a key before '=' keeps it. */
static void norm_split(struct shtok *t, const char *s, size_t n)
{
	size_t b = 0;

	while (b < n) {
		size_t i = b, sch = url_scheme_len(s + b, n - b);

		if (sch) {
			while (i < n && s[i] != ',')
				i++;
			norm_url(t, s + b, i - b, sch);
			b = i + 1;
			continue;
		}
		while (i < n && !is_sep(s[i]))
			i++;
		if (i < n && s[i] == '=' && i > b)
			shtok_emit(t, s + b, i - b + 1);
		else
			norm_piece(t, s + b, i - b);
		b = i + 1;
	}
}

static bool has_ctrl(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n') || s[i] == 0x7f)
			return true;
	return false;
}

void shtok_norm_word(struct shtok *t, const char *w, size_t n)
{
	size_t sch;

	if (!n)
		return;
	if (has_ctrl(w, n)) {
		emit_s(t, "<BIN>");
	} else if (w[0] == '-' && n > 1) {
		size_t k = 1;

		while (k < n && w[k] != '=' && w[k] != ',')
			k++;
		shtok_emit(t, w, k + (k < n && w[k] == '='));
		if (k < n)
			shtok_norm_word(t, w + k + 1, n - k - 1);
	} else if ((sch = url_scheme_len(w, n))) {
		norm_url(t, w, n, sch);
	} else if (is_ipv6(w, n)) {
		emit_addr(t, "<IP6>");
	} else if (is_b64(w, n)) {
		emit_s(t, "<B64>");
	} else {
		for (size_t i = 0; i < n; i++) {
			if (is_sep(w[i])) {
				norm_split(t, w, n);
				return;
			}
		}
		norm_piece(t, w, n);
	}
}

enum interp_kind shtok_interp_of(const char *w, size_t n)
{
	enum interp_kind k = interp_of(w, n);

	/* su and runuser take shell code (-c) like a shell; busybox and tcl are program names to
	 * the model (it was trained so) */
	if (k == INTERP_LAUNCHER)
		return INTERP_SHELL;
	return k == INTERP_BUSYBOX || k == INTERP_TCL ? INTERP_NONE : k;
}

void shtok_norm_command(struct shtok *t, const char *w, size_t n)
{
	static const struct shtok_word std_dirs[] = { W("/bin/"), W("/usr/bin/"), W("/sbin/"),
		W("/usr/sbin/"), W("/usr/local/bin/"), W("/usr/local/sbin/") };
	const char *base = w, *rc;
	size_t bn;

	for (size_t i = 0; i < n; i++)
		if (w[i] == '/')
			base = w + i + 1;
	bn = n - (size_t)(base - w);
	if (base > w && !IN_SET(w, (size_t)(base - w), std_dirs, false))
		norm_path(t, w, (size_t)(base - w));
	if (!bn)
		return;
	if (has_ctrl(base, bn))
		emit_s(t, "<BIN>");
	else if (shtok_interp_of(base, bn) != INTERP_NONE)
		shtok_emit(t, base, interp_strip_version(base, bn));
	else if ((rc = random_class(base, bn)))
		emit_s(t, rc);
	else
		shtok_emit(t, base, bn);
}
