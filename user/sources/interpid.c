/* interpid.c: the host's interpreters by inode and ELF build-id (include/interpid.h). The build-id
 * comes from the file's PT_NOTE / SHT_NOTE entries through libelf, the library libbpf already
 * brings in. */
#include <dirent.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "interpid.h"

#define CACHE 256   /* recent lookups of files that are not installed interpreters */

struct cached {
	uint32_t dev;
	uint64_t ino;
	enum interp_kind kind;
	int match;          /* index of the installed file it is a copy of, -1 none */
};

struct interpid {
	struct interp_file *files;
	size_t n, cap;
	struct cached cache[CACHE];
	unsigned next;
};

/* In /etc/shells but not command interpreters. */
static bool not_a_shell(const char *base)
{
	static const char *const no[] = { "tmux", "screen", "nologin", "false", "true", NULL };

	for (int i = 0; no[i]; i++)
		if (!strcmp(base, no[i]))
			return true;
	return false;
}

size_t interpid_build_id(const char *path, uint8_t out[20])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf_Scn *scn = NULL;
	size_t len = 0;
	Elf *e;

	if (fd < 0)
		return 0;
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	while (e && !len && (scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		GElf_Nhdr nh;
		size_t off = 0, name_off, desc_off;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE || !(d = elf_getdata(scn, NULL)))
			continue;
		while ((off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
			    !memcmp((char *)d->d_buf + name_off, "GNU", 4) && nh.n_descsz <= 20) {
				len = nh.n_descsz;
				memcpy(out, (char *)d->d_buf + desc_off, len);
				break;
			}
		}
	}
	elf_end(e);
	close(fd);
	return len;
}

static struct interp_file *find_inode(struct interpid *t, uint32_t dev, uint64_t ino)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->files[i].dev == dev && t->files[i].ino == ino)
			return &t->files[i];
	return NULL;
}

/* Add path (a name that is an interpreter of kind k) unless its file is already in. */
static void add(struct interpid *t, const char *path, const char *name, enum interp_kind k)
{
	struct interp_file *f;
	char real[PATH_MAX];
	struct stat st;
	uint32_t dev;

	if (stat(path, &st) || !S_ISREG(st.st_mode) || !(st.st_mode & 0111))
		return;
	dev = (uint32_t)(major(st.st_dev) << 20 | minor(st.st_dev));
	if (find_inode(t, dev, st.st_ino))
		return;
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 32;
		struct interp_file *v = realloc(t->files, cap * sizeof(*v));

		if (!v)
			return;
		t->files = v, t->cap = cap;
	}
	f = &t->files[t->n++];
	memset(f, 0, sizeof(*f));
	f->dev = dev, f->ino = st.st_ino, f->kind = k;
	if (realpath(path, real) && (name = strrchr(real, '/')))
		name++;                 /* the file's own name: sh -> dash, python3 -> python3.11 */
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->build_id_len = (uint8_t)interpid_build_id(path, f->build_id);
}

static void scan_dir(struct interpid *t, const char *root, const char *dir)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dh;

	snprintf(path, sizeof(path), "%s%s", root, dir);
	if (!(dh = opendir(path)))
		return;
	while ((d = readdir(dh))) {
		enum interp_kind k = interp_of(d->d_name, strlen(d->d_name));

		if (k == INTERP_NONE || k == INTERP_LAUNCHER)
			continue;
		snprintf(path, sizeof(path), "%s%s/%s", root, dir, d->d_name);
		add(t, path, d->d_name, k);
	}
	closedir(dh);
}

static void scan_shells(struct interpid *t, const char *root)
{
	char path[PATH_MAX], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/etc/shells", root);
	if (!(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), f)) {
		const char *base;
		enum interp_kind k;

		line[strcspn(line, " \t\r\n#")] = '\0';
		if (line[0] != '/')
			continue;
		base = strrchr(line, '/') + 1;
		if (not_a_shell(base))
			continue;
		k = interp_of(base, strlen(base));
		snprintf(path, sizeof(path), "%s%s", root, line);
		add(t, path, base, k == INTERP_NONE ? INTERP_SHELL : k);   /* xonsh, nu, pwsh... */
	}
	fclose(f);
}

struct interpid *interpid_scan(const char *root)
{
	static const char *const dirs[] = { "/bin", "/usr/bin", "/usr/local/bin", "/sbin",
					    "/usr/sbin", NULL };
	struct interpid *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	if (!strcmp(root, "/"))
		root = "";
	scan_shells(t, root);
	for (int i = 0; dirs[i]; i++)
		scan_dir(t, root, dirs[i]);
	return t;
}

void interpid_free(struct interpid *t)
{
	if (!t)
		return;
	free(t->files);
	free(t);
}

size_t interpid_count(const struct interpid *t)
{
	return t->n;
}

const struct interp_file *interpid_at(const struct interpid *t, size_t i)
{
	return i < t->n ? &t->files[i] : NULL;
}

/* A copy of an installed interpreter: same build-id. The answer is cached per inode. */
static const struct interp_file *by_build_id(struct interpid *t, uint32_t dev, uint64_t ino,
					      const char *path)
{
	uint8_t id[20];
	size_t len;
	struct cached *c;

	for (unsigned i = 0; i < CACHE; i++)
		if (t->cache[i].ino == ino && t->cache[i].dev == dev && ino)
			return t->cache[i].match >= 0 ? &t->files[t->cache[i].match] : NULL;
	c = &t->cache[t->next++ % CACHE];
	*c = (struct cached){ .dev = dev, .ino = ino, .match = -1 };
	len = path ? interpid_build_id(path, id) : 0;
	for (size_t i = 0; len && i < t->n; i++)
		if (t->files[i].build_id_len == len && !memcmp(t->files[i].build_id, id, len)) {
			c->match = (int)i;
			return &t->files[i];
		}
	return NULL;
}

enum interp_kind interpid_lookup(struct interpid *t, uint32_t dev, uint64_t ino, const char *path,
				 enum interp_by *by, const char **name)
{
	const struct interp_file *f = t ? find_inode(t, dev, ino) : NULL;
	const char *base;

	*by = INTERP_BY_INODE;
	if (!f && t && path) {
		f = by_build_id(t, dev, ino, path);
		*by = INTERP_BY_BUILDID;
	}
	if (f) {
		*name = f->name;
		return f->kind;
	}
	base = path ? strrchr(path, '/') : NULL;
	base = base ? base + 1 : path ? path : "";
	*name = base;
	*by = interp_of(base, strlen(base)) ? INTERP_BY_NAME : INTERP_BY_NONE;
	return interp_of(base, strlen(base));
}

/* Files of the package directories: installed there under their names, scanned at start-up. */
static bool packaged(struct sw_str exe)
{
	static const char *const dirs[] = { "/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/", "/usr/lib/",
					    "/lib/", "/usr/libexec/", "/usr/lib64/", "/lib64/", NULL };

	for (int i = 0; dirs[i]; i++)
		if (exe.len > strlen(dirs[i]) && !memcmp(exe.p, dirs[i], strlen(dirs[i])))
			return true;
	return false;
}

/* The file to read: /proc/PID/exe while it is still (dev, ino), else the exec'd path. */
static const char *file_of(const struct sw_event *ev, uint32_t dev, uint64_t ino, char *buf,
			   size_t len)
{
	struct stat st;

	snprintf(buf, len, "/proc/%u/exe", ev->pid);
	if (!stat(buf, &st) && st.st_ino == ino &&
	    (uint32_t)(major(st.st_dev) << 20 | minor(st.st_dev)) == dev)
		return buf;
	snprintf(buf, len, "%.*s", (int)ev->exec.exe.len, ev->exec.exe.p);
	return buf;
}

void interpid_annotate(struct interpid *t, struct sw_event *ev, uint32_t dev, uint64_t ino)
{
	const struct interp_file *f = find_inode(t, dev, ino);
	enum interp_by by = INTERP_BY_INODE;
	char path[PATH_MAX];

	if (!f && !packaged(ev->exec.exe)) {
		f = by_build_id(t, dev, ino, file_of(ev, dev, ino, path, sizeof(path)));
		by = INTERP_BY_BUILDID;
	}
	if (!f || ev->nargs + 2 > SW_EVENT_MAX_ARGS)
		return;
	ev->exec.interp = sw_str_c(f->name);
	ev->exec.interp_by = (uint8_t)by;
	ev->args[ev->nargs++] = (struct sw_arg){ sw_str_c("interp"), ev->exec.interp };
	ev->args[ev->nargs++] = (struct sw_arg){ sw_str_c("interp_by"),
						 sw_str_c(interp_by_name(by)) };
}
