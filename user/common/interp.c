/* interp.c: program name -> interpreter kind (include/interp.h). */
#include <string.h>
#include "interp.h"

size_t interp_strip_version(const char *s, size_t n)
{
	while (n > 1 && ((s[n - 1] >= '0' && s[n - 1] <= '9') || s[n - 1] == '.'))
		n--;
	return n;
}

enum interp_kind interp_of(const char *w, size_t n)
{
	static const struct {
		const char *name;
		enum interp_kind kind;
	} names[] = {
		{ "sh", INTERP_SHELL },       { "bash", INTERP_SHELL },    { "dash", INTERP_SHELL },
		{ "zsh", INTERP_SHELL },      { "ksh", INTERP_SHELL },     { "ash", INTERP_SHELL },
		{ "mksh", INTERP_SHELL },     { "tcsh", INTERP_SHELL },    { "csh", INTERP_SHELL },
		{ "fish", INTERP_SHELL },     { "rbash", INTERP_SHELL },   { "su", INTERP_LAUNCHER },
		{ "runuser", INTERP_LAUNCHER }, { "busybox", INTERP_BUSYBOX },
		{ "python", INTERP_PYTHON },   { "pypy", INTERP_PYTHON },   { "perl", INTERP_PERL },
		{ "ruby", INTERP_RUBY },      { "php", INTERP_PHP },       { "php-cli", INTERP_PHP },
		{ "node", INTERP_NODE },      { "nodejs", INTERP_NODE },   { "lua", INTERP_LUA },
		{ "luajit", INTERP_LUA },     { "awk", INTERP_AWK },       { "gawk", INTERP_AWK },
		{ "mawk", INTERP_AWK },       { "nawk", INTERP_AWK },      { "tclsh", INTERP_TCL },
		{ "wish", INTERP_TCL },       { "expect", INTERP_TCL },    { "pwsh", INTERP_SHELL },
		{ "yash", INTERP_SHELL },     { "xonsh", INTERP_SHELL },   { "elvish", INTERP_SHELL },
	};

	n = interp_strip_version(w, n);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n && !memcmp(names[i].name, w, n))
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
