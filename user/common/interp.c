/* interp.c: program name -> interpreter kind (include/interp.h). */
#include <string.h>
#include "interp.h"

size_t interp_strip_version(const char *s, size_t n)
{
	while (n > 1 && ((s[n - 1] >= '0' && s[n - 1] <= '9') || s[n - 1] == '.'))
		n--;
	return n;
}

#define NAME(s, k) { sizeof(s) - 1, s, k }

enum interp_kind interp_of(const char *w, size_t n)
{
	/* sorted by length, so the scan stops early: the tokenizer asks for every command word */
	static const struct {
		unsigned char len;
		const char *name;
		enum interp_kind kind;
	} names[] = {
		NAME("sh", INTERP_SHELL),      NAME("su", INTERP_LAUNCHER),   NAME("ash", INTERP_SHELL),
		NAME("csh", INTERP_SHELL),     NAME("ksh", INTERP_SHELL),     NAME("zsh", INTERP_SHELL),
		NAME("awk", INTERP_AWK),       NAME("lua", INTERP_LUA),       NAME("php", INTERP_PHP),
		NAME("bash", INTERP_SHELL),    NAME("dash", INTERP_SHELL),    NAME("fish", INTERP_SHELL),
		NAME("mksh", INTERP_SHELL),    NAME("tcsh", INTERP_SHELL),    NAME("gawk", INTERP_AWK),
		NAME("mawk", INTERP_AWK),      NAME("nawk", INTERP_AWK),      NAME("node", INTERP_NODE),
		NAME("perl", INTERP_PERL),     NAME("pypy", INTERP_PYTHON),   NAME("ruby", INTERP_RUBY),
		NAME("pwsh", INTERP_SHELL),    NAME("wish", INTERP_TCL),      NAME("yash", INTERP_SHELL),
		NAME("rbash", INTERP_SHELL),   NAME("tclsh", INTERP_TCL),     NAME("xonsh", INTERP_SHELL),
		NAME("elvish", INTERP_SHELL),  NAME("expect", INTERP_TCL),    NAME("luajit", INTERP_LUA),
		NAME("nodejs", INTERP_NODE),   NAME("python", INTERP_PYTHON), NAME("busybox", INTERP_BUSYBOX),
		NAME("php-cli", INTERP_PHP),   NAME("runuser", INTERP_LAUNCHER),
	};

	if (n < 2)
		return INTERP_NONE;
	n = interp_strip_version(w, n);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && names[i].len <= n; i++)
		if (names[i].len == n && names[i].name[0] == w[0] && !memcmp(names[i].name, w, n))
			return names[i].kind;
	return INTERP_NONE;
}

enum interp_kind interp_of_path(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return interp_of(base, strlen(base));
}

static const char *const by_names[] = { "none", "inode", "build-id", "name" };

const char *interp_by_name(enum interp_by by)
{
	return by < sizeof(by_names) / sizeof(by_names[0]) ? by_names[by] : "none";
}

enum interp_by interp_by_of(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(by_names) / sizeof(by_names[0]); i++)
		if (strlen(by_names[i]) == n && !memcmp(by_names[i], s, n))
			return (enum interp_by)i;
	return INTERP_BY_NONE;
}
