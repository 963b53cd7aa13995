/*
 * source: gathers the site's input files into memory, from the working tree
 * or from one commit's tree. Everything a contributor wrote enters jixia
 * here, so this is where hostile trees are stopped: symlinks are skipped
 * rather than followed (a link to /etc/passwd must not end up in the
 * output), names that could climb out of a directory or fool a terminal are
 * refused, and sizes are checked before any bytes are copied.
 *
 * Both modes read bytes as stored: the working tree reads files raw and git
 * mode reads blobs raw, with no clean/smudge filters or CRLF conversion. On
 * a clean checkout without .gitattributes filters (or core.autocrlf) the
 * two therefore agree byte for byte.
 */
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "diag.h"
#include "escape.h"
#include "guard.h"
#include "pool.h"
#include "suggest.h"
#include "util.h"

#define S_DEFAULT_MAX_MARKDOWN SOURCE_MAX_MARKDOWN
#define S_DEFAULT_MAX_OTHER SOURCE_MAX_OTHER
/* Deep enough for any real site, shallow enough that a crafted tree cannot
 * exhaust the stack or file descriptors. */
#define S_MAX_DEPTH SOURCE_MAX_DEPTH

/* What a root entry must be; entries found while walking may be either. */
enum { S_WANT_ANY, S_WANT_DIR, S_WANT_FILE };

/* clang-format off */
/* The only things read from a site directory, in bytewise order. */
static const struct {
	const char *name;
	int want;
} S_roots[] = {
	{ ".mailmap", S_WANT_FILE },
	{ "assets", S_WANT_DIR },
	{ "content", S_WANT_DIR },
	{ "layouts", S_WANT_DIR },
	{ "site.yaml", S_WANT_FILE },
	{ "static", S_WANT_DIR },
};
/* clang-format on */

/* How far before its start a walk counts a file's change as racy (S_walk_start). */
#define S_RACY_MARGIN_NS (50LL * 1000000LL)

/* One file a cached walk read: its bytes and what lstat said of it then. */
struct cached_file {
	char *path; /* relative to the site root */
	char *data; /* NUL-terminated at len; owned by the cache */
	size_t len;
	uint64_t serial;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtim, ctim;
	int racy; /* changed in the tick its walk began: read again next time */
};

struct source_cache {
	char *root;                /* the site folder of the last walk */
	struct cached_file *files; /* the last walk's, sorted by path */
	size_t n;
	uint64_t serial;       /* the last serial given (walks on several threads add atomically) */
	struct timespec start; /* when the walk under way began (the coarse clock file times use) */
	int whole;             /* the last walk ended, reporting nothing: the next may look at changes only */
	char **changed;        /* source_cache_changed's paths, sorted, for the next walk; NULL: none told */
	size_t nchanged;
	uint64_t paths_gen; /* source.paths_gen of the last walk (0: none yet) */
};

/* State of one walk: the files found so far and the path being visited. */
struct walk {
	struct source_file *files;
	size_t n, cap;
	size_t max_markdown, max_other;
	struct buf path; /* relative to the site root, no leading '/' */
	git_repository *repo;
	git_odb *odb;
	struct source_cache *cache; /* source_open_cached's, else NULL */
	struct cached_file *next;   /* with cache: what the walk found, the cache after it */
	size_t nnext, cnext;
	size_t read;           /* files read from disk */
	int jobs;              /* threads for content/'s folders (source_open_jobs, _cached), else 1 */
	size_t looked;         /* source.h's source.looked */
	struct timespec start; /* when a walk of the working tree began (source_file.ident's racy rule) */
	int sorted;            /* files and next are in path order already (S_read_changes) */
	int lazy;              /* source_open_lazy: content/'s Markdown files with an identity not read */
};

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes), or 0. Overlong
 * forms, surrogates and code points past U+10FFFF are invalid.
 */
static size_t S_utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp > 0x10ffff)
		return 0;
	return len;
}

/*
 * Names that are dangerous on any platform or in any output: a backslash
 * (a separator on Windows), control characters (terminal escapes in
 * diagnostics, header injection in CI annotations), bytes that are not
 * UTF-8 (they cannot become URLs or JSON) and "git~1", the NTFS short name
 * of .git, should an output directory ever be written on such a volume.
 */
static int S_name_is_safe(const char *name)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t n = strlen(name), i = 0, len;

	if (strcasecmp(name, "git~1") == 0)
		return 0;
	while (i < n) {
		if (s[i] < 0x20 || s[i] == 0x7f || s[i] == '\\')
			return 0;
		len = S_utf8_len(s + i, n - i);
		if (!len)
			return 0;
		i += len;
	}
	return 1;
}

/*
 * Names a git tree can hold but a file system walk never yields; a tree
 * holding one was crafted to attack checkouts (CVE-2014-9390), so they are
 * errors rather than dotfiles to skip quietly.
 */
static int S_git_name_is_hostile(const char *name)
{
	return !*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strchr(name, '/') != NULL ||
	       strcasecmp(name, ".git") == 0;
}

/* path with every byte that may not be printed as is written as \xNN. */
static void S_display(struct buf *out, const char *path)
{
	const unsigned char *s = (const unsigned char *)path;
	size_t n = strlen(path), i = 0, len;

	buf_reset(out);
	while (i < n) {
		len = S_utf8_len(s + i, n - i);
		if (!len || s[i] < 0x20 || s[i] == 0x7f || s[i] == '\\') {
			buf_printf(out, "\\x%02x", s[i]);
			i++;
		} else {
			buf_put(out, s + i, len);
			i += len;
		}
	}
}

static void S_report_unsafe(const struct walk *w, const char *why)
{
	struct buf shown = BUF_INIT;
	S_display(&shown, buf_cstr(&w->path));
	diag_error(shown.ptr, 0, 0, "%s; skipped", why);
	buf_release(&shown);
}

/*
 * A human size: "2.3 MiB". Sizes of files are rounded up and limits down,
 * so a file one byte over a limit never reads as equal to it.
 */
static void S_size(char *out, size_t outsz, uint64_t n, int round_up)
{
	static const char *const units[] = { "KiB", "MiB", "GiB" };
	uint64_t unit = 1024, whole, rem, tenths;
	int u = 0;

	if (n < 1024) {
		snprintf(out, outsz, "%llu byte%s", (unsigned long long)n, n == 1 ? "" : "s");
		return;
	}
	while (u < 2 && n >= unit * 1024) {
		unit *= 1024;
		u++;
	}
	whole = n / unit;
	rem = n % unit;
	tenths = rem * 10 / unit;
	if (round_up && rem * 10 % unit)
		tenths++;
	if (tenths == 10) {
		whole++;
		tenths = 0;
	}
	if (!round_up && !rem)
		snprintf(out, outsz, "%llu %s", (unsigned long long)whole, units[u]);
	else
		snprintf(out, outsz, "%llu.%llu %s", (unsigned long long)whole, (unsigned long long)tenths,
			 units[u]);
}

static size_t S_cap_for(const struct walk *w, const char *path)
{
	return str_ends(path, ".md") ? w->max_markdown : w->max_other;
}

static void S_report_size(const struct walk *w, uint64_t size)
{
	const char *path = buf_cstr(&w->path);
	int md = str_ends(path, ".md");
	char have[32], cap[32];

	S_size(have, sizeof(have), size, 1);
	S_size(cap, sizeof(cap), S_cap_for(w, path), 0);
	diag_error(path, 0, 0, "file is %s, over the %s limit for %s; skipped", have, cap,
		   md ? "Markdown" : "a file");
}

/* Takes data (malloc'd, NUL-terminated at len). */
static void S_add(struct walk *w, char *data, size_t len)
{
	ARRAY_GROW(w->files, w->n, w->cap, 64);
	w->files[w->n].path = xstrndup(w->path.ptr, w->path.len);
	w->files[w->n].data = data;
	w->files[w->n].len = len;
	w->files[w->n].serial = 0;
	w->files[w->n].mtime = 0;
	memset(w->files[w->n].ident, 0, sizeof(w->files[w->n].ident));
	w->files[w->n].unread = 0;
	w->n++;
}

/* Appends "/name" (or "name" at the top) to w->path; returns the old length. */
static size_t S_push(struct walk *w, const char *name)
{
	size_t mark = w->path.len;
	if (mark)
		buf_putc(&w->path, '/');
	buf_puts(&w->path, name);
	return mark;
}

static void S_pop(struct walk *w, size_t mark)
{
	w->path.len = mark;
	w->path.ptr[mark] = '\0';
}

/* ---- the cache of serve's walks ---- */

/* The last source.paths_gen given, by any cache (one number never names two lists of paths). */
static uint64_t S_paths_gens;

/* The first of v (n, sorted) not before key. */
static size_t S_lower_bound(const struct cached_file *v, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid].path, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The files of v (n, sorted) under content/: *first and the count returned
 * (every "content/..." sorts before "content0": '0' follows '/'). */
static size_t S_content_range(const struct cached_file *v, size_t n, size_t *first)
{
	*first = S_lower_bound(v, n, "content/");
	return S_lower_bound(v, n, "content0") - *first;
}

/*
 * The two walks' files (each sorted) have the same paths under content/
 * (what the pages are made from). A file the walk took from the cache has
 * the very path of the entry before (S_cache_take, S_read_changes): only
 * the files read again are compared by their bytes.
 */
static int S_same_paths(const struct cached_file *a, size_t na, const struct cached_file *b, size_t nb)
{
	size_t fa, fb, i;

	na = S_content_range(a, na, &fa);
	nb = S_content_range(b, nb, &fb);
	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (a[fa + i].path != b[fb + i].path && strcmp(a[fa + i].path, b[fb + i].path) != 0)
			return 0;
	return 1;
}

static int S_ts_cmp(const struct timespec *a, const struct timespec *b)
{
	if (a->tv_sec != b->tv_sec)
		return a->tv_sec < b->tv_sec ? -1 : 1;
	return a->tv_nsec < b->tv_nsec ? -1 : a->tv_nsec > b->tv_nsec;
}

/* The same file as when it was read: lstat says so, and it was not racy. */
static int S_same_stat(const struct cached_file *f, const struct stat *st)
{
	return !f->racy && f->dev == st->st_dev && f->ino == st->st_ino && f->size == st->st_size &&
	       S_ts_cmp(&f->mtim, &st->st_mtim) == 0 && S_ts_cmp(&f->ctim, &st->st_ctim) == 0;
}

static int S_cached_cmp(const void *pa, const void *pb)
{
	return strcmp(((const struct cached_file *)pa)->path, ((const struct cached_file *)pb)->path);
}

/*
 * The last walk's bytes of the file at w->path when lstat (st) says it did
 * not change since: added to the walk, taken over by the walk's cache.
 * Returns 1 then, else 0 (the file is to be read).
 */
static int S_cache_take(struct walk *w, const struct stat *st)
{
	struct source_cache *c = w->cache;
	struct cached_file key, *f, *to;

	key.path = w->path.ptr;
	f = c->n ? bsearch(&key, c->files, c->n, sizeof(*c->files), S_cached_cmp) : NULL;
	/* one path is one walk's: no other thread reads or takes this entry */
	if (!f || !f->data || !S_same_stat(f, st))
		return 0;
	ARRAY_GROW(w->next, w->nnext, w->cnext, 64);
	to = &w->next[w->nnext++];
	*to = *f;
	/* a file whose times are as new as the walk's start stays racy */
	to->racy = S_ts_cmp(&st->st_ctim, &c->start) >= 0 || S_ts_cmp(&st->st_mtim, &c->start) >= 0;
	f->data = NULL; /* taken: its path is the new entry's now (S_cached_free) */
	ARRAY_GROW(w->files, w->n, w->cap, 64);
	w->files[w->n].path = to->path; /* the cache's, as the bytes (source.h) */
	w->files[w->n].data = to->data;
	w->files[w->n].len = to->len;
	w->files[w->n].serial = to->serial;
	w->files[w->n].mtime = (long long)to->mtim.tv_sec;
	memset(w->files[w->n].ident, 0,
	       sizeof(w->files[w->n].ident)); /* serve keeps no parse cache on disk */
	w->n++;
	return 1;
}

/* The file just added to the walk (read from disk) goes into the walk's cache, with st from before its read. */
static void S_cache_put(struct walk *w, const struct stat *st)
{
	struct source_cache *c = w->cache;
	struct source_file *sf = &w->files[w->n - 1];
	struct cached_file *to;

	ARRAY_GROW(w->next, w->nnext, w->cnext, 64);
	to = &w->next[w->nnext++];
	memset(to, 0, sizeof(*to));
	to->path = sf->path; /* the source borrows it from here on, as the bytes */
	to->data = sf->data;
	to->len = sf->len;
	to->serial = sf->serial = __atomic_add_fetch(&c->serial, 1, __ATOMIC_RELAXED);
	to->dev = st->st_dev;
	to->ino = st->st_ino;
	to->size = st->st_size;
	to->mtim = st->st_mtim;
	to->ctim = st->st_ctim;
	/* Changed in the tick the walk began, or while it was read: a write
	 * later in that tick would leave every time as it is. */
	to->racy = S_ts_cmp(&st->st_ctim, &c->start) >= 0 || S_ts_cmp(&st->st_mtim, &c->start) >= 0 ||
		   (uint64_t)st->st_size != (uint64_t)sf->len;
}

/*
 * The walk's start as file times would give it: the kernel stamps them
 * from its coarse clock, one tick behind the time of day at most; a
 * margin below covers a tick of any length and a clock adjusted since.
 */
static void S_walk_start(struct timespec *t)
{
	long long ns;

#ifdef CLOCK_REALTIME_COARSE
	clock_gettime(CLOCK_REALTIME_COARSE, t);
#else
	clock_gettime(CLOCK_REALTIME, t);
#endif
	ns = (long long)t->tv_sec * 1000000000LL + t->tv_nsec - S_RACY_MARGIN_NS;
	t->tv_sec = (time_t)(ns / 1000000000LL);
	t->tv_nsec = (long)(ns % 1000000000LL);
}

static void S_cached_free(struct cached_file *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!v[i].data) /* taken by the walk after it, path and all */
			continue;
		free(v[i].path);
		free(v[i].data);
	}
	free(v);
}

static void S_changed_clear(struct source_cache *c)
{
	while (c->nchanged)
		free(c->changed[--c->nchanged]);
	free(c->changed);
	c->changed = NULL;
}

void source_cache_changed(struct source_cache *c, const char *const *paths, size_t n)
{
	size_t i, k = 0;

	S_changed_clear(c);
	c->changed = xmalloc((n ? n : 1) * sizeof(*c->changed));
	for (i = 0; i < n; i++)
		c->changed[i] = xstrdup(paths[i]);
	if (n)
		qsort(c->changed, n, sizeof(*c->changed), str_ptr_cmp);
	for (i = 0; i < n; i++) {
		if (k && strcmp(c->changed[k - 1], c->changed[i]) == 0) {
			free(c->changed[i]);
			continue;
		}
		c->changed[k++] = c->changed[i];
	}
	c->nchanged = k;
}

struct source_cache *source_cache_new(void)
{
	return xcalloc(1, sizeof(struct source_cache));
}

void source_cache_free(struct source_cache *c)
{
	if (!c)
		return;
	S_cached_free(c->files, c->n);
	S_changed_clear(c);
	free(c->root);
	free(c);
}

/* ---- the working tree ---- */

/* f's identity (source_file.ident) from the fstat of its read, unless it changed since w began. */
static void S_ident(const struct walk *w, struct source_file *f, const struct stat *st)
{
	if (S_ts_cmp(&st->st_ctim, &w->start) >= 0 || S_ts_cmp(&st->st_mtim, &w->start) >= 0)
		return;
	f->ident[0] = (uint64_t)st->st_dev;
	f->ident[1] = (uint64_t)st->st_ino;
	f->ident[2] = (uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec;
	f->ident[3] = (uint64_t)st->st_ctim.tv_sec * 1000000000u + (uint64_t)st->st_ctim.tv_nsec;
}

static void S_wt_entry(struct walk *w, int dirfd, const char *name, int depth, int want);

/*
 * source_open_lazy: the file lstat found at w->path (st) left unread,
 * when it is a page's Markdown file under content/, within its cap, with
 * an identity (not changed since the walk began): 1; else 0 (read it).
 */
static int S_wt_unread(struct walk *w, const struct stat *st)
{
	const char *path = buf_cstr(&w->path);
	struct source_file *f;

	if (!w->lazy || strncmp(path, "content/", 8) != 0 || !str_ends(path, ".md") ||
	    (uint64_t)st->st_size > S_cap_for(w, path))
		return 0;
	if (S_ts_cmp(&st->st_ctim, &w->start) >= 0 || S_ts_cmp(&st->st_mtim, &w->start) >= 0)
		return 0;
	S_add(w, NULL, (size_t)st->st_size);
	f = &w->files[w->n - 1];
	f->mtime = (long long)st->st_mtim.tv_sec;
	S_ident(w, f, st);
	f->unread = 1;
	return 1;
}

/*
 * Reads one regular file through its directory's descriptor. O_NOFOLLOW
 * and the fstat after open close the window in which the entry could be
 * swapped for a symlink or a FIFO between the lstat and the read.
 */
static void S_wt_file(struct walk *w, int dirfd, const char *name)
{
	const char *path = buf_cstr(&w->path);
	size_t cap = S_cap_for(w, path);
	struct buf data = BUF_INIT;
	size_t target, room, len;
	struct stat st;
	ssize_t got;
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP)
			diag_warn(path, 0, 0, "symbolic link is not followed");
		else
			diag_error(path, 0, 0, "cannot read: %s", strerror(errno));
		goto done;
	}
	if (fstat(fd, &st) < 0) {
		diag_error(path, 0, 0, "cannot read: %s", strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_warn(path, 0, 0, "not a regular file; skipped");
		goto done;
	}
	if ((uint64_t)st.st_size > cap) {
		S_report_size(w, (uint64_t)st.st_size);
		goto done;
	}
	/* The file may have grown since fstat: read at most one byte past
	 * the cap, enough to tell that it is over. */
	target = cap < SIZE_MAX ? cap + 1 : cap;
	buf_grow(&data, (size_t)st.st_size + 2); /* a byte past its size asked for: its end seen */
	while (data.len < target) {
		room = data.cap - 1 - data.len;
		if (!room) {
			buf_grow(&data, data.len);
			continue;
		}
		if (room > target - data.len)
			room = target - data.len;
		got = read(fd, data.ptr + data.len, room);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			diag_error(path, 0, 0, "cannot read: %s", strerror(errno));
			goto done;
		}
		if (got == 0)
			break;
		data.len += (size_t)got;
		if ((size_t)got < room) /* a regular file reads short at its end only: no read of 0 */
			break;
	}
	if (data.len > cap) {
		S_report_size(w, data.len);
		goto done;
	}
	data.ptr[data.len] = '\0';
	len = data.len;
	/* the buffer's size to the byte: it grew by doubling, and a site's files are all held at once */
	S_add(w, xrealloc(buf_detach(&data, NULL), len + 1), len);
	w->files[w->n - 1].mtime = (long long)st.st_mtim.tv_sec;
	S_ident(w, &w->files[w->n - 1], &st);
	w->read++;
	if (w->cache)
		S_cache_put(w, &st);

done:
	buf_release(&data);
	if (fd >= 0)
		close(fd);
}

static int S_file_cmp(const void *pa, const void *pb)
{
	const struct source_file *a = pa, *b = pb;
	return strcmp(a->path, b->path);
}

/* The files found from the index from on in path order (their paths are all different). */
static void S_sort_from(struct walk *w, size_t from)
{
	size_t i;

	for (i = from + 1; i < w->n && strcmp(w->files[i - 1].path, w->files[i].path) < 0; i++)
		;
	if (i < w->n)
		qsort(w->files + from, w->n - from, sizeof(*w->files), S_file_cmp);
}

/* content/'s entries walked on the pool (S_wt_dir_pool): one walk each, merged after. */
struct wt_part {
	struct walk *parent;
	int dirfd;
	int depth;
	char **names;
	struct walk *parts;
};

static void S_wt_part(size_t i, int worker, void *payload)
{
	struct wt_part *p = payload;
	struct walk *w = &p->parts[i];
	(void)worker;

	w->max_markdown = p->parent->max_markdown;
	w->max_other = p->parent->max_other;
	w->cache = p->parent->cache;
	w->start = p->parent->start;
	w->lazy = p->parent->lazy;
	w->jobs = 1;
	buf_init(&w->path);
	buf_put(&w->path, p->parent->path.ptr, p->parent->path.len);
	S_push(w, p->names[i]);
	S_wt_entry(w, p->dirfd, p->names[i], p->depth + 1, S_WANT_ANY);
	S_sort_from(w, 0); /* on the pool, not on one thread after the walk */
}

/* The parts (S_wt_dir_pool) in the order of their first paths, those with none last. */
static int S_part_cmp(const void *pa, const void *pb)
{
	const struct walk *a = *(struct walk *const *)pa, *b = *(struct walk *const *)pb;
	if (!a->n || !b->n)
		return !a->n - !b->n;
	return strcmp(a->files[0].path, b->files[0].path);
}

/*
 * The next entry of the directory d (w->path names it) that is not a
 * dotfile: those (.gitkeep, .DS_Store, .git) are never content. NULL at
 * its end, or on an error, reported.
 */
static struct dirent *S_next_entry(struct walk *w, DIR *d)
{
	struct dirent *de;

	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				diag_error(buf_cstr(&w->path), 0, 0, "cannot read directory: %s",
					   strerror(errno));
			return NULL;
		}
		if (de->d_name[0] != '.')
			return de;
	}
}

/*
 * The entries of the folder open at d, each folder of them walked on a
 * thread of its own (serve's walk of content/, source_cache: a stat a file
 * is most of what it costs then), each with the checks of a walk on one
 * thread; what they found is added to w in their order.
 */
static void S_wt_dir_pool(struct walk *w, DIR *d, int depth)
{
	struct wt_part p = { w, dirfd(d), depth, NULL, NULL };
	struct walk **order;
	struct dirent *de;
	size_t n = 0, cap = 0, i, mark;

	while (!pool_cancelled() && (de = S_next_entry(w, d)) != NULL) {
		if (!S_name_is_safe(de->d_name)) {
			mark = S_push(w, de->d_name);
			S_report_unsafe(w, "unsafe file name (backslash, control "
					   "character, invalid UTF-8 or git~1)");
			S_pop(w, mark);
			continue;
		}
		ARRAY_GROW(p.names, n, cap, 16);
		p.names[n++] = xstrdup(de->d_name);
	}
	p.parts = xcalloc(n ? n : 1, sizeof(*p.parts));
	order = xcalloc(n ? n : 1, sizeof(*order));
	pool_run(w->jobs, n, S_wt_part, &p);
	/* Each part is a file or a folder of its own, its paths in order: one after another in the
	   order of their first paths, they are all in path order. */
	for (i = 0; i < n; i++)
		order[i] = &p.parts[i];
	qsort(order, n, sizeof(*order), S_part_cmp);
	for (i = 0; i < n; i++) {
		struct walk *part = order[i];
		size_t k;
		for (k = 0; k < part->n; k++) {
			ARRAY_GROW(w->files, w->n, w->cap, 64);
			w->files[w->n++] = part->files[k];
		}
		for (k = 0; k < part->nnext; k++) {
			ARRAY_GROW(w->next, w->nnext, w->cnext, 64);
			w->next[w->nnext++] = part->next[k];
		}
		w->read += part->read;
		free(part->files);
		free(part->next);
		buf_release(&part->path);
		free(p.names[i]);
	}
	free(order);
	free(p.parts);
	free(p.names);
}

/* Walks the directory open at fd (taken over and closed). */
static void S_wt_dir(struct walk *w, int fd, int depth)
{
	const char *path = buf_cstr(&w->path);
	struct dirent *de;
	struct stat st;
	size_t mark;
	DIR *d;

	/* A nested repository (a submodule's checkout) is skipped whole, as
	 * git mode skips the gitlink: both modes must list the same files. */
	if (fstatat(fd, ".git", &st, AT_SYMLINK_NOFOLLOW) == 0) {
		diag_warn(path, 0, 0, "submodule or nested repository is not read");
		close(fd);
		return;
	}
	d = fdopendir(fd);
	if (!d) {
		diag_error(path, 0, 0, "cannot read directory: %s", strerror(errno));
		close(fd);
		return;
	}
	if (w->jobs > 1 && depth == 0 && strcmp(path, "content") == 0) {
		S_wt_dir_pool(w, d, depth);
		closedir(d);
		return;
	}
	/* jixia serve stopping (pool.h): the load is thrown away, stop reading */
	while (!pool_cancelled() && (de = S_next_entry(w, d)) != NULL) {
		mark = S_push(w, de->d_name);
		if (!S_name_is_safe(de->d_name))
			S_report_unsafe(w, "unsafe file name (backslash, control "
					   "character, invalid UTF-8 or git~1)");
		else
			S_wt_entry(w, dirfd(d), de->d_name, depth + 1, S_WANT_ANY);
		S_pop(w, mark);
	}
	closedir(d);
}

/* The entry name of the directory open at dirfd; w->path already names it. */
static void S_wt_entry(struct walk *w, int dirfd, const char *name, int depth, int want)
{
	const char *path = buf_cstr(&w->path);
	struct stat st;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT || want == S_WANT_ANY)
			diag_error(path, 0, 0, "cannot read: %s", strerror(errno));
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		diag_warn(path, 0, 0, "symbolic link is not followed");
	} else if (S_ISDIR(st.st_mode) && want != S_WANT_FILE) {
		if (depth > S_MAX_DEPTH) {
			diag_error(path, 0, 0,
				   "directories nested more than %d "
				   "deep; not read",
				   S_MAX_DEPTH);
			return;
		}
		fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			diag_error(path, 0, 0, "cannot read directory: %s", strerror(errno));
			return;
		}
		S_wt_dir(w, fd, depth);
	} else if (S_ISREG(st.st_mode) && want != S_WANT_DIR) {
		/* serve: a file lstat says did not change is not read again (source_cache) */
		if ((!w->cache || !S_cache_take(w, &st)) && !S_wt_unread(w, &st))
			S_wt_file(w, dirfd, name);
	} else if (want == S_WANT_DIR) {
		diag_error(path, 0, 0, "expected a directory; not read");
	} else if (want == S_WANT_FILE) {
		diag_error(path, 0, 0, "expected a regular file; not read");
	} else {
		diag_warn(path, 0, 0, "not a regular file; skipped");
	}
}

static int S_read_worktree(struct walk *w, const char *dir)
{
	size_t i, mark;
	int fd;

	/* The site directory itself was named by the user, so it may be a
	 * symlink; only what lies inside it is untrusted. */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		diag_error(dir, 0, 0, "cannot read site directory: %s", strerror(errno));
		return -1;
	}
	/* Each root's files sorted as its walk ends: the roots come in path order, so all are then,
	   and S_sort has only to look. Content/'s were on the pool (S_wt_part): sorting 10,000 paths
	   on one thread after the walk was 1.5 ms of it (a no-op rebuild of 10,000 pages: 32.3 ms
	   -> 30.8, 80 alternated runs). */
	for (i = 0; i < sizeof(S_roots) / sizeof(S_roots[0]); i++) {
		size_t from = w->n;
		mark = S_push(w, S_roots[i].name);
		S_wt_entry(w, fd, S_roots[i].name, 0, S_roots[i].want);
		S_pop(w, mark);
		S_sort_from(w, from);
	}
	close(fd);
	return 0;
}

/* ---- serve: the watcher's changes only (source_cache_changed) ---- */

/* What a changed path leads to now (S_changed_path). */
enum { S_PATH_GONE, S_PATH_FILE, S_PATH_SKIP, S_PATH_UNSURE };

struct changed_at {
	int kind;         /* S_PATH_* */
	int fd;           /* S_PATH_FILE: its folder, open; -1 for the site folder */
	const char *name; /* S_PATH_FILE: its last name, in the path */
	int want;         /* S_PATH_FILE: what its root must be (S_WANT_ANY below the top) */
	int depth;        /* S_PATH_FILE: its folders below the site folder */
};

/*
 * Where path leads from the site folder open at top, looked at as the
 * walk would find it, without reading it: a regular file (its folder
 * opened, every folder on the way one, no link, no nested repository),
 * nothing (gone), nothing a walk reads (a name at the top that is no
 * root, a dotfile below: skip), or anything else: unsure, then the walk
 * sees the whole tree and says what is wrong.
 */
static void S_changed_path(int top, char *path, struct changed_at *at)
{
	char *name = path, *slash;
	int fd = top, next, want = S_WANT_ANY, depth = 0;
	struct stat st;
	size_t i;

	at->kind = S_PATH_UNSURE;
	for (i = 0; i < sizeof(S_roots) / sizeof(S_roots[0]); i++) {
		size_t n = strlen(S_roots[i].name);
		if (strncmp(path, S_roots[i].name, n) == 0 && (path[n] == '/' || !path[n]))
			break;
	}
	if (i == sizeof(S_roots) / sizeof(S_roots[0])) {
		at->kind = S_PATH_SKIP;
		return;
	}
	if (!strchr(path, '/'))
		want = S_roots[i].want;
	else if (S_roots[i].want != S_WANT_DIR)
		return;
	if (want == S_WANT_DIR) /* a root folder itself: not a file's change */
		return;
	while ((slash = strchr(name, '/')) != NULL) {
		*slash = '\0';
		if (!name[0] || (depth > 0 && name[0] == '.') || !S_name_is_safe(name) ||
		    depth >= S_MAX_DEPTH) {
			at->kind = depth > 0 && name[0] == '.' ? S_PATH_SKIP : S_PATH_UNSURE;
			*slash = '/';
			goto done;
		}
		next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		*slash = '/';
		if (next < 0)
			goto done;
		if (fd != top)
			close(fd);
		fd = next;
		if (fstatat(fd, ".git", &st, AT_SYMLINK_NOFOLLOW) == 0) /* a nested repository now */
			goto done;
		name = slash + 1;
		depth++;
	}
	if (depth > 0 && name[0] == '.') {
		at->kind = S_PATH_SKIP;
		goto done;
	}
	if (!name[0] || !S_name_is_safe(name))
		goto done;
	if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			at->kind = S_PATH_GONE;
		goto done;
	}
	if (!S_ISREG(st.st_mode))
		goto done;
	at->kind = S_PATH_FILE;
	at->fd = fd != top ? fd : -1; /* -1: the site folder's own file (site.yaml) */
	at->name = name;
	at->want = want;
	at->depth = depth;
	return;
done:
	if (fd != top)
		close(fd);
}

/*
 * v[0..sorted) is in path order (each element begins with its path: struct
 * source_file, struct cached_file), v[sorted..n) too: each of the few
 * after moved into its place. Many are left to the sort.
 */
static void S_insert_sorted(void *v, size_t sorted, size_t n, size_t size)
{
	char *base = v, tmp[sizeof(struct cached_file)];
	size_t i, lo, hi, mid;

	if (n - sorted > 64 || size > sizeof(tmp))
		return;
	for (i = sorted; i < n; i++) {
		const char *path = *(char *const *)(base + i * size);
		lo = 0;
		hi = i;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (strcmp(*(char *const *)(base + mid * size), path) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		memcpy(tmp, base + i * size, size);
		memmove(base + (lo + 1) * size, base + lo * size, (i - lo) * size);
		memcpy(base + lo * size, tmp, size);
	}
}

/*
 * A walk of the cache's files told the watcher's changes: each changed
 * (or racy) path looked at, every other file of the walk before taken as
 * it was. 0, or 1 (nothing taken) when a path is unsure: walk the tree.
 */
static int S_read_changes(struct walk *w, const char *dir)
{
	struct source_cache *c = w->cache;
	char **look = NULL;
	struct changed_at *at = NULL;
	size_t nlook = 0, cap = 0, i, k = 0, taken;
	unsigned char *skip = NULL;
	int top, rc = 1;

	for (i = 0; i < c->nchanged; i++) {
		ARRAY_GROW(look, nlook, cap, 16);
		look[nlook++] = xstrdup(c->changed[i]);
	}
	for (i = 0; i < c->n; i++)
		if (c->files[i].data && c->files[i].racy) {
			ARRAY_GROW(look, nlook, cap, 16);
			look[nlook++] = xstrdup(c->files[i].path);
		}
	if (nlook)
		qsort(look, nlook, sizeof(*look), str_ptr_cmp);
	for (i = 0; i < nlook; i++) {
		if (k && strcmp(look[k - 1], look[i]) == 0)
			free(look[i]);
		else
			look[k++] = look[i];
	}
	nlook = k;
	if ((top = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		goto done;
	at = xcalloc(nlook ? nlook : 1, sizeof(*at));
	for (i = 0; i < nlook; i++) {
		char *p = xstrdup(look[i]);
		S_changed_path(top, p, &at[i]);
		if (at[i].kind == S_PATH_FILE)
			at[i].name = look[i] + (at[i].name - p);
		free(p);
		if (at[i].kind == S_PATH_UNSURE)
			goto done;
	}
	/* sure of every change: the rest is as the walk before found it (the
	   entries of the paths looked at found by a search each, not compared
	   with every entry) */
	w->cap = w->cnext = c->n + nlook + 1;
	w->files = xrealloc(w->files, w->cap * sizeof(*w->files));
	w->next = xrealloc(w->next, w->cnext * sizeof(*w->next));
	skip = xcalloc(c->n ? c->n : 1, 1);
	for (i = 0; i < nlook; i++) {
		struct cached_file key, *f;
		key.path = look[i];
		if (c->n && (f = bsearch(&key, c->files, c->n, sizeof(*c->files), S_cached_cmp)) != NULL)
			skip[f - c->files] = 1;
	}
	for (i = 0; i < c->n; i++) {
		struct cached_file *f = &c->files[i], *to;
		if (!f->data || skip[i])
			continue;
		ARRAY_GROW(w->next, w->nnext, w->cnext, 64);
		to = &w->next[w->nnext++];
		*to = *f;
		f->data = NULL; /* taken: its path is the new entry's now (S_cached_free) */
		ARRAY_GROW(w->files, w->n, w->cap, 64);
		w->files[w->n].path = to->path;
		w->files[w->n].data = to->data;
		w->files[w->n].len = to->len;
		w->files[w->n].serial = to->serial;
		w->files[w->n].mtime = (long long)to->mtim.tv_sec;
		memset(w->files[w->n].ident, 0, sizeof(w->files[w->n].ident));
		w->n++;
	}
	taken = w->n;
	for (i = 0; i < nlook; i++) {
		if (at[i].kind != S_PATH_FILE)
			continue;
		buf_reset(&w->path);
		buf_puts(&w->path, look[i]);
		S_wt_entry(w, at[i].fd >= 0 ? at[i].fd : top, at[i].name, at[i].depth, at[i].want);
	}
	/* the few files looked at put in their places among the rest, so
	   that nothing needs sorting again (S_sort, S_open) */
	S_insert_sorted(w->files, taken, w->n, sizeof(*w->files));
	S_insert_sorted(w->next, taken, w->nnext, sizeof(*w->next));
	w->sorted = w->n - taken <= 64 && w->nnext - taken <= 64; /* what S_insert_sorted places */
	w->looked = nlook;
	rc = 0;
done:
	for (i = 0; at && i < nlook; i++)
		if (at[i].kind == S_PATH_FILE && at[i].fd >= 0)
			close(at[i].fd);
	if (top >= 0)
		close(top);
	while (nlook)
		free(look[--nlook]);
	free(look);
	free(at);
	free(skip);
	return rc;
}

/* ---- a commit's tree ---- */

static const char *S_git_msg(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown libgit2 error";
}

static int S_git_entry(struct walk *w, const git_tree_entry *e, int depth, int want);

static int S_git_blob(struct walk *w, const git_tree_entry *e)
{
	const char *path = buf_cstr(&w->path);
	const git_oid *id = git_tree_entry_id(e);
	git_blob *blob = NULL;
	git_object_t type;
	size_t size;
	char *data;
	int error = -1;

	/* The header alone gives the size: a huge blob is refused before
	 * libgit2 inflates it. */
	if (git_odb_read_header(&size, &type, w->odb, id) < 0) {
		diag_error(path, 0, 0, "cannot read blob from git: %s", S_git_msg());
		goto done;
	}
	if (size > S_cap_for(w, path)) {
		S_report_size(w, size);
		error = 0;
		goto done;
	}
	if (git_blob_lookup(&blob, w->repo, id) < 0) {
		diag_error(path, 0, 0, "cannot read blob from git: %s", S_git_msg());
		goto done;
	}
	/* The object is what the header said, or the repository is corrupt. */
	if (git_blob_rawsize(blob) != (git_object_size_t)size) {
		diag_error(path, 0, 0, "blob size does not match its header");
		goto done;
	}
	data = xmalloc(size + 1);
	memcpy(data, git_blob_rawcontent(blob), size);
	data[size] = '\0';
	S_add(w, data, size);
	error = 0;

done:
	git_blob_free(blob);
	return error;
}

static int S_git_tree(struct walk *w, const git_oid *id, int depth)
{
	git_tree *tree = NULL;
	const git_tree_entry *e;
	const char *name;
	size_t i, n, mark;
	int error = -1;

	if (git_tree_lookup(&tree, w->repo, id) < 0) {
		diag_error(buf_cstr(&w->path), 0, 0, "cannot read tree from git: %s", S_git_msg());
		goto done;
	}
	n = git_tree_entrycount(tree);
	for (i = 0; i < n; i++) {
		e = git_tree_entry_byindex(tree, i);
		name = git_tree_entry_name(e);
		mark = S_push(w, name);
		if (S_git_name_is_hostile(name)) {
			S_report_unsafe(w, "unsafe name in git tree (empty, '.', "
					   "'..', '/' or .git)");
		} else if (name[0] == '.') {
			/* skipped quietly, as in the working tree */
		} else if (!S_name_is_safe(name)) {
			S_report_unsafe(w, "unsafe file name (backslash, control "
					   "character, invalid UTF-8 or git~1)");
		} else if (S_git_entry(w, e, depth + 1, S_WANT_ANY) < 0) {
			goto done;
		}
		S_pop(w, mark);
	}
	error = 0;

done:
	git_tree_free(tree);
	return error;
}

/* Returns -1 only when git itself fails; bad entries are reported and skipped. */
static int S_git_entry(struct walk *w, const git_tree_entry *e, int depth, int want)
{
	const char *path = buf_cstr(&w->path);
	git_filemode_t mode = git_tree_entry_filemode(e);

	if (mode == GIT_FILEMODE_LINK) {
		diag_warn(path, 0, 0, "symbolic link is not followed");
	} else if (mode == GIT_FILEMODE_COMMIT) {
		diag_warn(path, 0, 0, "submodule or nested repository is not read");
	} else if (mode == GIT_FILEMODE_TREE && want != S_WANT_FILE) {
		if (depth > S_MAX_DEPTH) {
			diag_error(path, 0, 0,
				   "directories nested more than %d "
				   "deep; not read",
				   S_MAX_DEPTH);
			return 0;
		}
		return S_git_tree(w, git_tree_entry_id(e), depth);
	} else if ((mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE) &&
		   want != S_WANT_DIR) {
		return S_git_blob(w, e);
	} else if (want == S_WANT_DIR) {
		diag_error(path, 0, 0, "expected a directory; not read");
	} else if (want == S_WANT_FILE) {
		diag_error(path, 0, 0, "expected a regular file; not read");
	} else {
		diag_warn(path, 0, 0, "not a regular file; skipped");
	}
	return 0;
}

/* "HEAD", a valid "refs/..." name, or 4 to 40 hex digits; nothing else. */
enum { S_REF_BAD, S_REF_HEAD, S_REF_NAME, S_REF_HEX };

static int S_ref_kind(const char *ref)
{
	size_t i, n = strlen(ref);
	int valid = 0;

	if (strcmp(ref, "HEAD") == 0)
		return S_REF_HEAD;
	if (str_starts(ref, "refs/"))
		return git_reference_name_is_valid(&valid, ref) == 0 && valid ? S_REF_NAME : S_REF_BAD;
	if (n < GIT_OID_MINPREFIXLEN || n > GIT_OID_HEXSZ)
		return S_REF_BAD;
	for (i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", ref[i]))
			return S_REF_BAD;
	return S_REF_HEX;
}

/* A reference's name without refs/heads/, refs/remotes/ or refs/tags/ (what people type). */
static const char *S_ref_short(const char *name)
{
	static const char *const prefixes[] = { "refs/heads/", "refs/remotes/", "refs/tags/", NULL };
	const char *const *p;
	for (p = prefixes; *p; p++)
		if (str_starts(name, *p))
			return name + strlen(*p);
	return name;
}

/*
 * "; did you mean 'NAME'?" into out for a ref that names nothing: the
 * reference git would take it for (origin/main: refs/remotes/origin/main),
 * else the nearest reference of the repository, by its full or its short
 * name. Empty for a revision expression, without a repository (repo NULL:
 * the one at dir, if any) or when nothing is near. Returns buf_cstr(out).
 */
static const char *S_ref_hint(struct buf *out, git_repository *repo, const char *dir, const char *ref)
{
	git_repository *own = NULL;
	git_reference *r = NULL;
	git_strarray names = { NULL, 0 };
	struct suggest s = SUGGEST_INIT;
	struct buf shown = BUF_INIT;
	const char *near = NULL;
	size_t i;

	/* main~2 is an expression, not a mistyped name: refs/heads/main is another commit */
	if (strpbrk(ref, "~^:?*[\\ ") || strstr(ref, "..") || strstr(ref, "@{"))
		return suggest_hint(out, NULL);
	if (!repo && git_repository_open_ext(&own, dir, 0, NULL) == 0)
		repo = own;
	if (repo && git_reference_dwim(&r, repo, ref) == 0) {
		near = git_reference_name(r);
	} else if (repo && git_reference_list(&names, repo) == 0) {
		for (i = 0; i < names.count; i++) {
			suggest_add(&s, names.strings[i], names.strings[i]);
			suggest_add(&s, S_ref_short(names.strings[i]), names.strings[i]);
		}
		near = suggest_best(&s, ref);
	}
	if (near)
		S_display(&shown, near);
	suggest_hint(out, near ? shown.ptr : NULL);
	buf_release(&shown);
	suggest_release(&s);
	git_strarray_dispose(&names);
	git_reference_free(r);
	git_repository_free(own);
	return buf_cstr(out);
}

/* The commit ref names, into *out; reports and returns -1 otherwise. */
static int S_resolve(git_commit **out, git_repository *repo, const char *ref, int kind, const char *shown,
		     const char *opt)
{
	git_reference *r = NULL;
	git_object *obj = NULL, *peeled = NULL;
	git_oid oid;
	int rc, error = -1;

	*out = NULL;
	if (kind == S_REF_HEX) {
		rc = git_oid_fromstrn(&oid, ref, strlen(ref));
		if (rc == 0)
			rc = git_object_lookup_prefix(&obj, repo, &oid, strlen(ref), GIT_OBJECT_ANY);
		if (rc == GIT_EAMBIGUOUS) {
			diag_error(NULL, 0, 0,
				   "%s '%s' is ambiguous; give more "
				   "digits",
				   opt, shown);
			goto done;
		}
		if (rc < 0) {
			diag_error(NULL, 0, 0, "%s '%s': no such commit", opt, shown);
			goto done;
		}
		if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
			diag_error(NULL, 0, 0, "%s '%s' is a %s, not a commit", opt, shown,
				   git_object_type2string(git_object_type(obj)));
			goto done;
		}
	} else {
		rc = git_reference_lookup(&r, repo, ref);
		if (rc < 0) {
			struct buf hint = BUF_INIT;
			diag_error(NULL, 0, 0, "%s '%s': %s%s", opt, shown,
				   rc == GIT_ENOTFOUND ? "no such reference" : S_git_msg(),
				   rc == GIT_ENOTFOUND ? S_ref_hint(&hint, repo, NULL, ref) : "");
			buf_release(&hint);
			goto done;
		}
		rc = git_reference_peel(&peeled, r, GIT_OBJECT_COMMIT);
		if (rc < 0) {
			diag_error(NULL, 0, 0, "%s '%s' does not name a commit: %s", opt, shown,
				   rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH ? "no commits yet"
										  : S_git_msg());
			goto done;
		}
	}
	*out = (git_commit *)peeled;
	peeled = NULL;
	error = 0;

done:
	git_object_free(peeled);
	git_object_free(obj);
	git_reference_free(r);
	return error;
}

/*
 * The path of dir inside the repository's working tree ("" at its top,
 * "site" or "docs/site" below), into *out. Both sides go through realpath
 * so symlinked checkouts and "../" in dir compare equal.
 */
static int S_subdir(struct buf *out, git_repository *repo, const char *dir)
{
	const char *wd = git_repository_workdir(repo);
	char *rd = NULL, *rw = NULL;
	size_t n;
	int error = -1;

	if (!wd) {
		diag_error(dir, 0, 0,
			   "--ref needs a repository with a working "
			   "tree, not a bare one");
		goto done;
	}
	rd = realpath(dir, NULL);
	rw = realpath(wd, NULL);
	if (!rd || !rw) {
		diag_error(dir, 0, 0, "cannot resolve site directory: %s", strerror(errno));
		goto done;
	}
	n = strlen(rw);
	if (strcmp(rw, "/") == 0 && rd[0] == '/') {
		buf_puts(out, rd + 1);
	} else if (strncmp(rd, rw, n) == 0 && (rd[n] == '\0' || rd[n] == '/')) {
		buf_puts(out, rd[n] ? rd + n + 1 : "");
	} else {
		diag_error(dir, 0, 0,
			   "site directory is not inside the working "
			   "tree of %s",
			   wd);
		goto done;
	}
	error = 0;

done:
	free(rd);
	free(rw);
	return error;
}

static int S_read_commit(struct walk *w, struct source *out, const char *dir, const char *ref,
			 git_repository **repo)
{
	git_commit *commit = NULL;
	git_tree *top = NULL, *site = NULL;
	git_tree_entry *at = NULL;
	const git_tree_entry *e;
	struct buf sub = BUF_INIT, shown = BUF_INIT, hint = BUF_INIT;
	size_t i, mark;
	int kind, error = -1;

	/* Balanced within this call: only the repository handle outlives it
	 * (holding an initialization of its own), and the count lets history
	 * or any other user init independently. */
	git_libgit2_init();
	S_display(&shown, ref);
	/* Checked before the repository is opened, so a revparse expression
	 * gets this message wherever jixia runs. */
	kind = S_ref_kind(ref);
	if (kind == S_REF_BAD) {
		diag_error(NULL, 0, 0,
			   "--ref '%s' is not a full reference name "
			   "(refs/...) or a commit id%s",
			   shown.ptr, S_ref_hint(&hint, NULL, dir, ref));
		goto done;
	}
	if (source_repo_open(repo, dir) < 0) {
		diag_error(dir, 0, 0, "--ref needs a git repository: %s", S_git_msg());
		goto done;
	}
	if (S_subdir(&sub, *repo, dir) < 0 || S_resolve(&commit, *repo, ref, kind, shown.ptr, "--ref") < 0)
		goto done;
	git_oid_tostr(out->commit, sizeof(out->commit), git_commit_id(commit));

	if (git_commit_tree(&top, commit) < 0 || git_repository_odb(&w->odb, *repo) < 0) {
		diag_error(NULL, 0, 0, "--ref '%s': %s", shown.ptr, S_git_msg());
		goto done;
	}
	if (sub.len) {
		if (git_tree_entry_bypath(&at, top, sub.ptr) < 0 ||
		    git_tree_entry_type(at) != GIT_OBJECT_TREE) {
			diag_error(dir, 0, 0, "'%s' is not a directory in commit %.12s", sub.ptr,
				   out->commit);
			goto done;
		}
		if (git_tree_lookup(&site, *repo, git_tree_entry_id(at)) < 0) {
			diag_error(dir, 0, 0, "cannot read tree from git: %s", S_git_msg());
			goto done;
		}
	}
	w->repo = *repo;
	for (i = 0; i < sizeof(S_roots) / sizeof(S_roots[0]); i++) {
		e = git_tree_entry_byname(site ? site : top, S_roots[i].name);
		if (!e)
			continue;
		mark = S_push(w, S_roots[i].name);
		if (S_git_entry(w, e, 0, S_roots[i].want) < 0)
			goto done;
		S_pop(w, mark);
	}
	error = 0;

done:
	w->repo = NULL;
	git_odb_free(w->odb);
	w->odb = NULL;
	git_tree_entry_free(at);
	git_tree_free(site);
	git_tree_free(top);
	git_commit_free(commit);
	git_libgit2_shutdown();
	buf_release(&sub);
	buf_release(&shown);
	buf_release(&hint);
	return error;
}

/* ---- the public face ---- */

int source_repo_open(git_repository **repo, const char *dir)
{
	int rc;

	if (*repo)
		return 0;
	git_libgit2_init();
	if ((rc = git_repository_open_ext(repo, dir, 0, NULL)) < 0) {
		*repo = NULL;
		git_libgit2_shutdown();
	}
	return rc;
}

void source_repo_free(git_repository *repo)
{
	if (!repo)
		return;
	git_repository_free(repo);
	git_libgit2_shutdown();
}

/*
 * Sorts, then drops repeats: git trees are not checked for duplicate
 * entries, and a crafted one could otherwise give a path two contents.
 */
static void S_sort(struct walk *w)
{
	size_t i, k = 0;

	if (w->sorted) /* serve's walk of the changes keeps the order (S_read_changes), and has no repeat */
		return;
	for (i = 1; i < w->n && strcmp(w->files[i - 1].path, w->files[i].path) < 0; i++)
		;
	if (i < w->n)
		qsort(w->files, w->n, sizeof(*w->files), S_file_cmp);
	for (i = 0; i < w->n; i++) {
		if (k && strcmp(w->files[k - 1].path, w->files[i].path) == 0) {
			diag_error(w->files[i].path, 0, 0,
				   "appears twice in the "
				   "tree; the second copy is ignored");
			if (!w->cache) { /* else the cache's */
				free(w->files[i].path);
				free(w->files[i].data);
			}
			continue;
		}
		w->files[k++] = w->files[i];
	}
	w->n = k;
}

/*
 * The link at path may not be followed (guard.h): a commit could have made
 * it, so it may point anywhere (a CI job's `jixia build docs` with docs
 * committed as a link to the runner's home). site is the site folder,
 * physical, or NULL.
 */
static int S_link_refused(const char *path, const char *site)
{
	char *parent = xstrdup(path), *slash, *rp;
	int in;

	slash = strrchr(parent, '/');
	if (!slash)
		strcpy(parent, ".");
	else if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	/* A folder that cannot be named physically is not known to be the user's. */
	rp = realpath(parent, NULL);
	in = !rp || guard_refuse_link(rp, site);
	free(rp);
	free(parent);
	return in;
}

/*
 * The site folder as named is not reached through a symbolic link that a
 * commit may have made (links the user made elsewhere are theirs to
 * follow). Each name of the path is looked at in turn, as the kernel would
 * follow it.
 */
static int S_check_root(const char *dir)
{
	struct buf prefix = BUF_INIT;
	const char *p = dir;
	char *site = realpath(dir, NULL);
	int rc = 0;

	if (*p == '/')
		buf_putc(&prefix, '/');
	while (*p == '/')
		p++;
	while (*p && rc == 0) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		struct stat st;

		if (prefix.len > 0 && prefix.ptr[prefix.len - 1] != '/')
			buf_putc(&prefix, '/');
		buf_put(&prefix, p, len);
		p += len;
		while (*p == '/')
			p++;
		if (lstat(buf_cstr(&prefix), &st) != 0 || !S_ISLNK(st.st_mode))
			continue;
		if (S_link_refused(buf_cstr(&prefix), site)) {
			diag_error(
				NULL, 0, 0,
				"site folder '%s' is reached through the symbolic link '%s' in a git "
				"repository or the folder jixia runs in; refusing to follow it, as a commit "
				"can point it anywhere (name the folder it points to instead)",
				dir, buf_cstr(&prefix));
			rc = -1;
		}
	}
	free(site);
	buf_release(&prefix);
	return rc;
}

/* source_open, and source_open_cached with cache (the working tree only). */
static int S_open(struct source *out, const char *dir, const char *ref, const struct source_limits *limits,
		  git_repository **repo, struct source_cache *cache, int jobs, int lazy)
{
	struct walk w;
	size_t i;
	int error = -1, reports = 0;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	buf_init(&w.path);
	w.lazy = lazy && !ref && !cache;
	w.max_markdown = limits && limits->max_markdown ? limits->max_markdown : S_DEFAULT_MAX_MARKDOWN;
	w.max_other = limits && limits->max_other ? limits->max_other : S_DEFAULT_MAX_OTHER;
	out->root = xstrdup(dir);
	out->ref = ref ? xstrdup(ref) : NULL;
	w.jobs = jobs > 1 ? jobs : 1; /* content/'s folders on the pool (S_wt_dir) */
	if (cache) {
		/* the bytes the walk finds are the cache's, whatever happens below */
		w.cache = cache;
		out->borrowed = 1;
		reports = diag_errors() + diag_warnings();
		if (cache->root && strcmp(cache->root, dir) != 0) {
			S_cached_free(cache->files, cache->n);
			cache->files = NULL;
			cache->n = 0;
			cache->whole = 0;
		}
		free(cache->root);
		cache->root = xstrdup(dir);
		S_walk_start(&cache->start);
	}

	if (S_check_root(dir))
		goto done;
	if (ref) {
		if (S_read_commit(&w, out, dir, ref, repo) < 0)
			goto done;
	} else if (S_walk_start(&w.start),
		   !cache || !cache->whole || !cache->changed || S_read_changes(&w, dir) != 0) {
		w.looked = SOURCE_WALKED;
		if (S_read_worktree(&w, dir) < 0)
			goto done;
	}
	S_sort(&w);
	out->files = w.files;
	out->n = w.n;
	out->read = w.read;
	out->looked = w.looked;
	if (!ref)
		out->walked = (uint64_t)w.start.tv_sec * 1000000000u + (uint64_t)w.start.tv_nsec;
	w.files = NULL;
	w.n = 0;
	error = 0;

done:
	while (w.n) {
		if (!cache) { /* else the cache's (w.next) */
			free(w.files[--w.n].path);
			free(w.files[w.n].data);
		} else {
			w.n--;
		}
	}
	free(w.files);
	buf_release(&w.path);
	if (cache) {
		/* What this walk found is the cache now; files gone or changed go. */
		for (i = 1; !w.sorted && i < w.nnext && strcmp(w.next[i - 1].path, w.next[i].path) < 0; i++)
			;
		if (!w.sorted && i < w.nnext)
			qsort(w.next, w.nnext, sizeof(*w.next), S_cached_cmp);
		if (error || !cache->paths_gen || !S_same_paths(cache->files, cache->n, w.next, w.nnext))
			cache->paths_gen = error ? 0 : __atomic_add_fetch(&S_paths_gens, 1, __ATOMIC_RELAXED);
		out->paths_gen = cache->paths_gen;
		S_cached_free(cache->files, cache->n);
		cache->files = w.next;
		cache->n = w.nnext;
		/* the next walk may look at the watcher's changes only when this
		   one saw everything and had nothing to report (source.h) */
		cache->whole = !error && !pool_cancelled() && diag_errors() + diag_warnings() == reports;
		S_changed_clear(cache);
	}
	if (error)
		source_release(out);
	return error;
}

int source_open(struct source *out, const char *dir, const char *ref, const struct source_limits *limits,
		git_repository **repo)
{
	return S_open(out, dir, ref, limits, repo, NULL, 1, 0);
}

int source_open_jobs(struct source *out, const char *dir, const char *ref, const struct source_limits *limits,
		     git_repository **repo, int jobs)
{
	return S_open(out, dir, ref, limits, repo, NULL, ref ? 1 : jobs, 0);
}

int source_open_lazy(struct source *out, const char *dir, const struct source_limits *limits, int jobs)
{
	return S_open(out, dir, NULL, limits, NULL, NULL, jobs, 1);
}

int source_open_cached(struct source *out, const char *dir, struct source_cache *c, int jobs)
{
	return S_open(out, dir, NULL, NULL, NULL, c, jobs, 0);
}

/*
 * The bytes of f, left unread by the walk, read from the working tree
 * under root (malloc'd, NUL-terminated): NULL with *why (an errno, or
 * ESTALE: not the file the walk saw) when they cannot be. The file is
 * the walk's when fstat gives its identity and length again: then its
 * bytes are the ones the identity stands for (source_file.ident).
 */
static char *S_read_unread(const char *root, const struct source_file *f, int *why)
{
	char *data = xmalloc(f->len + 2);
	size_t len = 0;
	struct stat st;
	ssize_t got;
	int dirfd, fd = -1;

	*why = 0;
	if ((dirfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fd = openat(dirfd, f->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		*why = fd < 0 ? errno : 0;
		close(dirfd);
	} else {
		*why = errno;
	}
	if (fd < 0)
		goto fail;
	if (fstat(fd, &st) != 0) {
		*why = errno;
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_dev != f->ident[0] ||
	    (uint64_t)st.st_ino != f->ident[1] ||
	    (uint64_t)st.st_mtim.tv_sec * 1000000000u + (uint64_t)st.st_mtim.tv_nsec != f->ident[2] ||
	    (uint64_t)st.st_ctim.tv_sec * 1000000000u + (uint64_t)st.st_ctim.tv_nsec != f->ident[3] ||
	    (uint64_t)st.st_size != (uint64_t)f->len) {
		*why = ESTALE;
		goto fail;
	}
	/* one byte past its length asked for: a file that grew is not the walk's */
	while (len < f->len + 1) {
		got = read(fd, data + len, f->len + 1 - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			*why = errno;
			goto fail;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	if (len != f->len) {
		*why = ESTALE;
		goto fail;
	}
	data[len] = '\0';
	close(fd);
	return data;
fail:
	if (fd >= 0)
		close(fd);
	free(data);
	return NULL;
}

const char *source_bytes(const struct source *src, const struct source_file *f, int report)
{
	/* the bytes are filled in once, by whichever thread asks first: f stays const to the others */
	struct source_file *m = (struct source_file *)(uintptr_t)f;
	char *data = __atomic_load_n(&m->data, __ATOMIC_ACQUIRE), *got;
	int why, one = 1;

	if (data || !__atomic_load_n(&m->unread, __ATOMIC_ACQUIRE))
		return data;
	got = S_read_unread(src->root ? src->root : ".", f, &why);
	if (!got) {
		if (report &&
		    __atomic_compare_exchange_n(&m->unread, &one, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			if (why == ESTALE)
				diag_error(f->path, 0, 0,
					   "file changed while the site was built; build again");
			else
				diag_error(f->path, 0, 0, "cannot read: %s", strerror(why));
		}
		return NULL;
	}
	if (!__atomic_compare_exchange_n(&m->data, &data, got, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		free(got); /* another thread's read won: the same bytes */
		return data;
	}
	return got;
}

void source_release(struct source *src)
{
	size_t i;

	if (!src)
		return;
	for (i = 0; i < src->n && !src->borrowed; i++) {
		free(src->files[i].path);
		free(src->files[i].data);
	}
	free(src->files);
	free(src->root);
	free(src->ref);
	memset(src, 0, sizeof(*src));
}

const struct source_file *source_find(const struct source *src, const char *path)
{
	size_t lo = 0, hi = src->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(src->files[mid].path, path);
		if (c == 0)
			return &src->files[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * First index whose path, cut to the prefix's length, compares above
 * (strict) or at least (!strict) the prefix. The cut keeps the order of a
 * sorted list, so the matches are one run found by two binary searches.
 */
static size_t S_bound(const struct source *src, const char *prefix, size_t n, int strict)
{
	size_t lo = 0, hi = src->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strncmp(src->files[mid].path, prefix, n);
		if (c < 0 || (strict && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t source_prefix(const struct source *src, const char *prefix, size_t *first)
{
	size_t n = strlen(prefix);
	size_t lo = S_bound(src, prefix, n, 0);
	size_t hi = S_bound(src, prefix, n, 1);

	*first = lo;
	return hi - lo;
}

/* git_diff callback: collects new-side paths under the site's folder. */
struct changed {
	const char *sub; /* the site's folder in the repository, "" at the top */
	char **paths;
	size_t n, cap;
};

static int S_changed_file(const git_diff_delta *delta, float progress, void *payload)
{
	struct changed *c = payload;
	const char *path = delta->new_file.path;
	size_t k = strlen(c->sub);
	(void)progress;
	if (delta->status == GIT_DELTA_DELETED || !path)
		return 0;
	if (k) {
		if (strncmp(path, c->sub, k) != 0 || path[k] != '/')
			return 0;
		path += k + 1;
	}
	ARRAY_GROW(c->paths, c->n, c->cap, 16);
	c->paths[c->n++] = xstrdup(path);
	return 0;
}

int source_changed_since(char ***out, size_t *n, const struct source *src, const char *ref,
			 git_repository **repo)
{
	git_commit *base = NULL, *head = NULL;
	git_tree *old_tree = NULL, *new_tree = NULL;
	git_diff *diff = NULL;
	git_oid oid;
	struct buf sub = BUF_INIT, shown = BUF_INIT, hint = BUF_INIT;
	struct changed c = { NULL, NULL, 0, 0 };
	int kind, error = -1;

	*out = NULL;
	*n = 0;
	git_libgit2_init();
	S_display(&shown, ref);
	kind = S_ref_kind(ref);
	if (kind == S_REF_BAD) {
		diag_error(NULL, 0, 0,
			   "--changed-since '%s' is not a full reference name "
			   "(refs/...) or a commit id%s",
			   shown.ptr, S_ref_hint(&hint, NULL, src->root, ref));
		goto done;
	}
	if (source_repo_open(repo, src->root) < 0) {
		diag_error(src->root, 0, 0, "--changed-since needs a git repository: %s", S_git_msg());
		goto done;
	}
	if (S_subdir(&sub, *repo, src->root) < 0 ||
	    S_resolve(&base, *repo, ref, kind, shown.ptr, "--changed-since") < 0 ||
	    git_commit_tree(&old_tree, base) < 0)
		goto done;
	c.sub = buf_cstr(&sub);
	/* Against the commit that was read, or the working tree with its index. */
	if (src->commit[0]) {
		if (git_oid_fromstr(&oid, src->commit) < 0 || git_commit_lookup(&head, *repo, &oid) < 0 ||
		    git_commit_tree(&new_tree, head) < 0 ||
		    git_diff_tree_to_tree(&diff, *repo, old_tree, new_tree, NULL) < 0) {
			diag_error(NULL, 0, 0, "--changed-since: %s", S_git_msg());
			goto done;
		}
	} else {
		git_diff_options opts;
		git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
		opts.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
		if (git_diff_tree_to_workdir_with_index(&diff, *repo, old_tree, &opts) < 0) {
			diag_error(NULL, 0, 0, "--changed-since: %s", S_git_msg());
			goto done;
		}
	}
	if (git_diff_foreach(diff, S_changed_file, NULL, NULL, NULL, &c) < 0) {
		diag_error(NULL, 0, 0, "--changed-since: %s", S_git_msg());
		goto done;
	}
	if (c.n)
		qsort(c.paths, c.n, sizeof(*c.paths), str_ptr_cmp);
	*out = c.paths;
	*n = c.n;
	c.paths = NULL;
	c.n = 0;
	error = 0;
done:
	while (c.n)
		free(c.paths[--c.n]);
	free(c.paths);
	git_diff_free(diff);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	git_commit_free(base);
	git_commit_free(head);
	buf_release(&sub);
	buf_release(&shown);
	buf_release(&hint);
	git_libgit2_shutdown();
	return error;
}

int source_name_unseen(const char *path)
{
	const char *at = text_unseen(path, 1);
	int cp;

	if (!at)
		return 0;
	cp = text_cp(at);
	diag_error(path, 0, 0,
		   "the file's name has a character that does not show (U+%04X: a control, format "
		   "character or separator), which could make it read as another; rename the file",
		   (unsigned)(cp >= 0 ? cp : (unsigned char)*at));
	return -1;
}
