/*
 * import: `jixia import hugo`. Everything is decided in memory first: the
 * config is read (TOML through toml.c, YAML and JSON through yaml.c) into
 * one tree, every content file is read through source.c (its rules on
 * names, symlinks and sizes), each Markdown file's new bytes are made, and
 * the front matter in use is tallied per section to type the fields. Only
 * then, unless --check, are the changed files written (each to a
 * temporary name beside it and renamed over it, through folders opened
 * with O_NOFOLLOW), site.yaml created and Hugo's layouts/ and assets/
 * moved aside. The report goes to stdout.
 *
 * Shortcodes are found outside code: fenced blocks and code spans are
 * marked first and never touched. A known shortcode is rewritten, its
 * inner text converted first (bounded depth); any other stays as written
 * and is listed at its line.
 */
#include "import.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "source.h"
#include "toml.h"
#include "types.h"
#include "util.h"
#include "yaml.h"

/* Shortcodes inside shortcodes deeper than this stay as they are. */
#define IMPORT_NEST_MAX 16
/* A shortcode's tag longer than this is not one. */
#define IMPORT_TAG_MAX 4096
/* A config file, and a file an include shortcode reads, may be this big. */
#define IMPORT_FILE_MAX ((size_t)1 << 20)
/* Code spans of more backticks than this are not looked for (text). */
#define IMPORT_SPAN_MAX 64
/* The bytes the shortcode scans of one file may look at, per byte of it (and 1 MiB more). */
#define IMPORT_WORK_PER_BYTE 32
/* Leftovers listed one by one; the rest are counted. */
#define IMPORT_SHOW_MAX 200

/* What a shortcode became, for the report's counts. */
enum conv {
	CONV_ADMONITION,
	CONV_FIGURE,
	CONV_REF,
	CONV_VIDEO,
	CONV_TABS,
	CONV_DETAILS,
	CONV_PARAM,
	CONV_INCLUDE,
	CONV_ESCAPED,
	CONV_COUNT
};
static const char *const S_conv_names[CONV_COUNT] = {
	"admonition (alert, notice, note, warning, callout...)",
	"figure -> image with caption",
	"ref/relref -> relative .md link",
	"youtube/vimeo/bilibili -> link",
	"tabpane/tabs/tab -> headings",
	"details -> heading",
	"param -> value",
	"include/readfile -> file content",
	"{{</* */>}} -> code span",
};

/* The kinds of value a front-matter field was seen with. */
enum {
	K_INT = 1,
	K_BOOL = 2,
	K_DATE = 4,
	K_DATETIME = 8,
	K_STRING = 16,
	K_TEXT = 32,
	K_LIST = 64,
	K_MAP = 128,
	K_FLOAT = 256,
	K_NULL = 512
};

struct fieldstat {
	char *name;
	unsigned kinds;
	size_t pages;
};

struct section {
	char *folder;
	struct fieldstat *f;
	size_t nf, capf;
	struct strmap fidx; /* a field's name to its index in f */
	size_t pages;
};

struct hlang {
	char *code;   /* jixia's code: the content folder's name with a dir layout, else Hugo's key */
	char *key;    /* Hugo's key */
	char *name;   /* languageName, or NULL */
	char *title;  /* the language's own title, or NULL */
	char *folder; /* the folder under content/ (dir layout), or NULL */
	long weight;
	int is_default;
};

struct leftover {
	char *path;
	int line;
	char *what;
};

struct outfile {
	char *path; /* relative to the site */
	char *data;
	size_t len;
};

struct imp {
	const char *dir;
	int check;
	struct source src;
	struct ynode *cfg; /* Hugo's config, merged */
	struct strvec cfg_files;
	struct hlang *langs;
	size_t nlangs;
	int dir_layout;
	char *trans_field;
	size_t conv[CONV_COUNT];
	size_t fm_toml, fm_json, pages, files_changed;
	struct leftover *left;
	size_t nleft, capleft;
	struct section *secs;
	size_t nsecs, capsecs;
	struct outfile *outs;
	size_t nouts, capouts;
	struct strvec notes; /* lines for the report, owned */
	struct strvec
		elsewhere; /* URL prefixes served by another site, owned: prefix, then the mount's source or "" */
	struct strmap pinfield; /* candidate translation fields: name -> count of hex values */
	struct arena arena;
};

/* What converting one page needs to know. */
struct page_ctx {
	struct imp *im;
	const char *path; /* content/... */
	const char *body; /* the whole file */
	size_t len;
	unsigned char *code; /* 1 where body is code */
	const struct ynode *fm;
	size_t line_pos; /* a position whose line is known */
	int line_at;
	const char *tab_lang;    /* the tabpane's lang= for its tabs */
	struct strvec tab_items; /* hextra's tabs items= */
	size_t tab_index;
	size_t work, work_max; /* bytes the scans looked at, and their bound */
	int exhausted;         /* the bound was reached: the rest is left as it is */
};

/* Counts n bytes of scanning: 0, or -1 once the file's bound is reached (said once). */
static void S_leftover(struct imp *im, const char *path, int line, const char *fmt, ...) JX_PRINTF(4, 5);
static int S_spend(struct page_ctx *pc, size_t n)
{
	if (pc->exhausted)
		return -1;
	pc->work += n;
	if (pc->work <= pc->work_max)
		return 0;
	pc->exhausted = 1;
	S_leftover(pc->im, pc->path, 1,
		   "too many shortcodes to convert in one file: the rest of it is left as it is");
	return -1;
}

struct sc_arg {
	char *key; /* NULL: positional */
	char *val;
};

/* One shortcode tag: {{< name args >}}, {{% /name %}}, {{< name />}}. */
struct sc_tag {
	size_t start, end; /* the tag's bytes */
	char delim;        /* '<' or '%' */
	int closing, selfclose, comment;
	char *name;
	struct sc_arg *args;
	size_t nargs, capargs;
};

static void S_tag_release(struct sc_tag *t)
{
	size_t i;
	for (i = 0; i < t->nargs; i++) {
		free(t->args[i].key);
		free(t->args[i].val);
	}
	free(t->args);
	free(t->name);
	memset(t, 0, sizeof(*t));
}

static const char *S_arg(const struct sc_tag *t, const char *key, size_t pos)
{
	size_t i, n = 0;
	for (i = 0; i < t->nargs; i++) {
		if (key && t->args[i].key && strcmp(t->args[i].key, key) == 0)
			return t->args[i].val;
		if (!t->args[i].key && n++ == pos && pos != (size_t)-1)
			return t->args[i].val;
	}
	return NULL;
}

static int S_truthy(const char *s)
{
	return s && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0);
}

/* --- reporting ---------------------------------------------------------- */

static int S_line_of(struct page_ctx *pc, size_t pos)
{
	size_t i;
	if (pos < pc->line_pos) {
		pc->line_pos = 0;
		pc->line_at = 1;
	}
	S_spend(pc, pos - pc->line_pos);
	for (i = pc->line_pos; i < pos && i < pc->len; i++)
		if (pc->body[i] == '\n')
			pc->line_at++;
	pc->line_pos = pos;
	return pc->line_at;
}

static void S_leftover(struct imp *im, const char *path, int line, const char *fmt, ...) JX_PRINTF(4, 5);
static void S_leftover(struct imp *im, const char *path, int line, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	struct leftover *l;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	ARRAY_GROW(im->left, im->nleft, im->capleft, 16);
	l = &im->left[im->nleft++];
	l->path = xstrdup(path);
	l->line = line;
	l->what = buf_detach(&b, NULL);
}

static void S_note(struct imp *im, const char *fmt, ...) JX_PRINTF(2, 3);
static void S_note(struct imp *im, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	strvec_push(&im->notes, buf_detach(&b, NULL));
}

/* Text from the site, cleaned for the terminal as diagnostics are. */
static void S_print_clean(FILE *out, const char *s)
{
	struct buf b = BUF_INIT;
	diag_clean_line(&b, s, strlen(s));
	fputs(buf_cstr(&b), out);
	buf_release(&b);
}

/* --- reading files ------------------------------------------------------ */

/*
 * dir/rel, a regular file reached without following a symbolic link at
 * any level, at most max bytes: 0 and the bytes (NUL-terminated) in out;
 * 1 when it does not exist; -1 when it is not a file, a link, or too big.
 */
static int S_read_file(struct buf *out, const char *dir, const char *rel, size_t max)
{
	char *path = xstrdup(rel), *seg, *slash;
	int dfd, fd = -1, rc = -1;
	struct stat st;
	char chunk[8192];
	ssize_t n;

	buf_reset(out);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		goto done;
	for (seg = path; (slash = strchr(seg, '/')); seg = slash + 1) {
		int nfd;
		*slash = '\0';
		if ((nfd = openat(dfd, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
			rc = errno == ENOENT ? 1 : -1;
			goto done;
		}
		close(dfd);
		dfd = nfd;
	}
	if ((fd = openat(dfd, seg, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0) {
		rc = errno == ENOENT ? 1 : -1;
		goto done;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (size_t)st.st_size > max)
		goto done;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		buf_put(out, chunk, (size_t)n);
		if (out->len > max)
			goto done;
	}
	if (n < 0)
		goto done;
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	free(path);
	return rc;
}

/* A name that a '/'-separated relative path may hold: no "..", ".git", control or '\\'. */
static int S_safe_rel(const char *p)
{
	const char *s = p;
	if (!*p || *p == '/')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '\\')
			return 0;
	for (s = p; *s;) {
		size_t n = strcspn(s, "/");
		if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.') ||
		    (n == 4 && strncasecmp(s, ".git", 4) == 0))
			return 0;
		s += n;
		if (*s == '/')
			s++;
	}
	return 1;
}

/* --- Hugo's config ------------------------------------------------------ */

/* Hugo's keys are not case-sensitive: the value of key in map, any case. */
static const struct ynode *S_get(const struct ynode *map, const char *key)
{
	size_t i;
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (i = 0; i + 1 < map->n; i += 2)
		if (map->kids[i]->str && strcasecmp(map->kids[i]->str, key) == 0)
			return map->kids[i + 1];
	return NULL;
}

static const char *S_get_str(const struct ynode *map, const char *key)
{
	const struct ynode *v = S_get(map, key);
	return v && v->kind == YNODE_SCALAR && v->str && *v->str ? v->str : NULL;
}

/* A config file (name under dir) as a tree: 0, 1 when absent, -1 after an error. */
static int S_load_config_file(struct ynode **out, const char *dir, const char *name)
{
	struct buf data = BUF_INIT;
	int rc = S_read_file(&data, dir, name, IMPORT_FILE_MAX);

	*out = NULL;
	if (rc == 1)
		goto done;
	if (rc < 0) {
		diag_error(name, 0, 0,
			   "cannot read Hugo's config: not a regular file, a symbolic link, or over 1 MiB");
		goto done;
	}
	if (str_ends(name, ".toml"))
		rc = toml_load(out, name, data.ptr, data.len, 0, NULL);
	else
		rc = yaml_load(out, name, data.ptr, data.len, 0, NULL);
	if (rc == 0 && !*out)
		*out = NULL;
	if (rc == 0 && *out && (*out)->kind != YNODE_MAP) {
		diag_error(name, (*out)->line, (*out)->col, "Hugo's config must be a mapping");
		ynode_free(*out);
		*out = NULL;
		rc = -1;
	}
done:
	buf_release(&data);
	return rc;
}

/* Adds key -> value (taken) to the map root. */
static void S_map_put(struct ynode *root, const char *key, struct ynode *value)
{
	struct ynode *k = xcalloc(1, sizeof(*k));
	k->kind = YNODE_SCALAR;
	k->str = xstrdup(key);
	k->len = strlen(key);
	root->kids = xrealloc(root->kids, (root->n + 2) * sizeof(*root->kids));
	root->kids[root->n++] = k;
	root->kids[root->n++] = value;
}

/*
 * hugo.toml|yaml|yml|json, else config.*, then config/_default/: its
 * hugo.* or config.* as the root and every other NAME.* as the key NAME.
 * Returns 0, 1 when there is no config at all, -1 after an error.
 */
static int S_load_config(struct imp *im)
{
	static const char *const bases[] = { "hugo", "config" };
	static const char *const exts[] = { "toml", "yaml", "yml", "json" };
	struct buf name = BUF_INIT;
	struct ynode *t;
	size_t b, e;
	int rc;
	DIR *d = NULL;
	struct dirent *de;
	struct strvec extra = STRVEC_INIT;

	for (b = 0; b < 2 && !im->cfg; b++)
		for (e = 0; e < 4 && !im->cfg; e++) {
			buf_reset(&name);
			buf_printf(&name, "%s.%s", bases[b], exts[e]);
			if ((rc = S_load_config_file(&t, im->dir, name.ptr)) < 0)
				goto fail;
			if (rc == 0) {
				im->cfg = t ? t : xcalloc(1, sizeof(*t));
				im->cfg->kind = YNODE_MAP;
				strvec_push(&im->cfg_files, xstrdup(name.ptr));
			}
		}
	/* config/_default/: a folder of files, one per top-level key */
	buf_reset(&name);
	buf_printf(&name, "%s/config/_default", im->dir);
	{
		struct stat st;
		if (lstat(name.ptr, &st) == 0 && S_ISDIR(st.st_mode))
			d = opendir(name.ptr);
	}
	while (d && (de = readdir(d))) {
		const char *dot = strrchr(de->d_name, '.');
		if (de->d_name[0] == '.' || !dot)
			continue;
		for (e = 0; e < 4; e++)
			if (strcmp(dot + 1, exts[e]) == 0)
				strvec_push(&extra, xstrdup(de->d_name));
	}
	if (d)
		closedir(d);
	strvec_sort(&extra, str_ptr_cmp);
	for (b = 0; b < extra.n; b++) {
		const char *f = extra.v[b];
		size_t stem = (size_t)(strrchr(f, '.') - f);
		buf_reset(&name);
		buf_printf(&name, "config/_default/%s", f);
		if (!S_safe_rel(name.ptr))
			continue;
		if ((rc = S_load_config_file(&t, im->dir, name.ptr)) < 0)
			goto fail;
		if (rc == 1)
			continue;
		strvec_push(&im->cfg_files, xstrdup(name.ptr));
		if (!im->cfg) {
			im->cfg = xcalloc(1, sizeof(*im->cfg));
			im->cfg->kind = YNODE_MAP;
		}
		if (!t)
			continue;
		if ((stem == 4 && strncmp(f, "hugo", 4) == 0) ||
		    (stem == 6 && strncmp(f, "config", 6) == 0)) {
			/* its keys join the root */
			size_t i;
			for (i = 0; i + 1 < t->n; i += 2) {
				S_map_put(im->cfg, t->kids[i]->str, t->kids[i + 1]);
				t->kids[i + 1] = NULL;
			}
			for (i = 0; i < t->n; i += 2)
				ynode_free(t->kids[i]);
			t->n = 0;
			ynode_free(t);
		} else {
			char *key = xstrndup(f, stem);
			S_map_put(im->cfg, key, t);
			free(key);
		}
	}
	for (b = 0; b < extra.n; b++)
		free((char *)extra.v[b]);
	strvec_release(&extra);
	buf_release(&name);
	return im->cfg ? 0 : 1;
fail:
	for (b = 0; b < extra.n; b++)
		free((char *)extra.v[b]);
	strvec_release(&extra);
	buf_release(&name);
	return -1;
}

static int S_lang_cmp(const void *a, const void *b)
{
	const struct hlang *x = a, *y = b;
	/* Hugo orders languages by weight, a weight of 0 last, then by key */
	long wx = x->weight ? x->weight : 1L << 30, wy = y->weight ? y->weight : 1L << 30;
	if (wx != wy)
		return wx < wy ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* The last part of a contentDir ("content/en" -> "en"), when it is directly under content/. */
static char *S_content_folder(const char *dir)
{
	size_t n = strlen(dir);
	while (n && dir[n - 1] == '/')
		n--;
	if (n > 8 && strncmp(dir, "content/", 8) == 0 && !memchr(dir + 8, '/', n - 8))
		return xstrndup(dir + 8, n - 8);
	return NULL;
}

/* The languages, their order, the default and the layout of translations. */
static void S_languages(struct imp *im)
{
	const struct ynode *langs = S_get(im->cfg, "languages");
	const char *def = S_get_str(im->cfg, "defaultContentLanguage");
	size_t i, ndirs = 0;
	int have_default = 0;

	if (!def)
		def = "en";
	for (i = 0; langs && langs->kind == YNODE_MAP && i + 1 < langs->n; i += 2) {
		const struct ynode *l = langs->kids[i + 1];
		const struct ynode *w = S_get(l, "weight");
		struct hlang *h;
		long long wv = 0;
		const char *cd;
		im->langs = xrealloc(im->langs, (im->nlangs + 1) * sizeof(*im->langs));
		h = &im->langs[im->nlangs++];
		memset(h, 0, sizeof(*h));
		h->key = xstrdup(langs->kids[i]->str);
		h->code = xstrdup(h->key);
		if (S_get_str(l, "languageName"))
			h->name = xstrdup(S_get_str(l, "languageName"));
		if (S_get_str(l, "title"))
			h->title = xstrdup(S_get_str(l, "title"));
		if (w && ynode_int(w, &wv))
			h->weight = (long)wv;
		if ((cd = S_get_str(l, "contentDir"))) {
			h->folder = S_content_folder(cd);
			if (!h->folder)
				S_note(im,
				       "language '%s' keeps its pages in '%s': jixia reads translations from "
				       "content/LANG/ only; move them there",
				       h->key, cd);
			else
				ndirs++;
		}
		if (strcmp(h->key, def) == 0)
			h->is_default = have_default = 1;
	}
	if (!im->nlangs) {
		im->langs = xcalloc(1, sizeof(*im->langs));
		im->nlangs = 1;
		im->langs[0].key = xstrdup(def);
		im->langs[0].code = xstrdup(def);
		im->langs[0].is_default = have_default = 1;
	}
	qsort(im->langs, im->nlangs, sizeof(*im->langs), S_lang_cmp);
	if (!have_default)
		im->langs[0].is_default = 1;
	if (ndirs && ndirs == im->nlangs && im->nlangs > 1) {
		im->dir_layout = 1;
		for (i = 0; i < im->nlangs; i++)
			if (strcmp(im->langs[i].folder, im->langs[i].key)) {
				S_note(im,
				       "language '%s' is '%s' in jixia, the name of its folder content/%s/, "
				       "so its pages are under /%s/",
				       im->langs[i].key, im->langs[i].folder, im->langs[i].folder,
				       im->langs[i].folder);
				free(im->langs[i].code);
				im->langs[i].code = xstrdup(im->langs[i].folder);
			}
	} else if (ndirs && im->nlangs > 1) {
		S_note(im, "only some languages have a contentDir: jixia keeps translations either all in "
			   "content/LANG/ or all beside their originals (NAME.LANG.md)");
	}
}

/* --- front matter ------------------------------------------------------- */

static int S_is_digits(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/* The kind of a front-matter value, for typing its field. */
static unsigned S_kind(const struct ynode *v)
{
	long long n;
	int b;
	const char *s = v->str;
	if (v->kind == YNODE_MAP)
		return K_MAP;
	if (v->kind == YNODE_SEQ) {
		size_t i;
		for (i = 0; i < v->n; i++)
			if (v->kids[i]->kind != YNODE_SCALAR)
				return K_MAP; /* a list of lists or mappings: jixia has no such field */
		return K_LIST;
	}
	if (v->plain && ynode_is_null(v))
		return K_NULL;
	if (v->plain && ynode_bool(v, &b))
		return K_BOOL;
	if (v->plain && ynode_int(v, &n))
		return K_INT;
	if (v->len == 10 && S_is_digits(s, 4) && s[4] == '-' && S_is_digits(s + 5, 2) && s[7] == '-' &&
	    S_is_digits(s + 8, 2))
		return K_DATE;
	if (v->len >= 16 && v->len <= 35 && S_is_digits(s, 4) && s[4] == '-' && S_is_digits(s + 5, 2) &&
	    s[7] == '-' && S_is_digits(s + 8, 2) && (s[10] == 'T' || s[10] == ' ') &&
	    S_is_digits(s + 11, 2) && s[13] == ':')
		return K_DATETIME;
	if (v->plain && strspn(s, "0123456789.+-eE") == v->len && strchr(s, '.'))
		return K_FLOAT;
	return strchr(s, '\n') ? K_TEXT : K_STRING;
}

static struct section *S_section(struct imp *im, const char *folder)
{
	size_t i;
	struct section *s;
	for (i = 0; i < im->nsecs; i++)
		if (strcmp(im->secs[i].folder, folder) == 0)
			return &im->secs[i];
	ARRAY_GROW(im->secs, im->nsecs, im->capsecs, 8);
	s = &im->secs[im->nsecs++];
	memset(s, 0, sizeof(*s));
	s->folder = xstrdup(folder);
	return s;
}

/* Is v a commit id (7 to 40 hexadecimal digits)? */
static int S_hex_id(const struct ynode *v)
{
	return v->kind == YNODE_SCALAR && v->len >= 7 && v->len <= 40 &&
	       strspn(v->str, "0123456789abcdef") == v->len;
}

/* The section of a page (its first folder under the language's), or NULL at the top. */
static void S_tally(struct imp *im, const char *rel_under_lang, const struct ynode *fm, int is_default_lang)
{
	const char *slash = strchr(rel_under_lang, '/');
	struct section *s;
	char *folder;
	size_t i;

	if (!fm || fm->kind != YNODE_MAP)
		return;
	/* a translation's field that holds a commit id: how it pins its original */
	for (i = 0; !is_default_lang && i + 1 < fm->n; i += 2)
		if (S_hex_id(fm->kids[i + 1]))
			strmap_put(&im->pinfield, arena_strdup(&im->arena, fm->kids[i]->str),
				   strmap_get(&im->pinfield, fm->kids[i]->str, 0) + 1);
	if (!slash)
		return;
	folder = xstrndup(rel_under_lang, (size_t)(slash - rel_under_lang));
	s = S_section(im, folder);
	free(folder);
	s->pages++;
	/* the section's fields by name, not looked for one by one: 60,000 keys
	 * in one page's TOML front matter took 4.2 s (30,000: 0.95 s) */
	for (i = 0; i + 1 < fm->n; i += 2) {
		const char *key = fm->kids[i]->str;
		struct fieldstat *f;
		long at = strmap_get(&s->fidx, key, -1);
		if (at >= 0) {
			f = &s->f[at];
		} else {
			ARRAY_GROW(s->f, s->nf, s->capf, 8);
			f = &s->f[s->nf];
			f->name = xstrdup(key);
			f->kinds = 0;
			f->pages = 0;
			strmap_put(&s->fidx, f->name, (long)s->nf++);
		}
		f->kinds |= S_kind(fm->kids[i + 1]);
		f->pages++;
	}
}

/* --- YAML output -------------------------------------------------------- */

/* A string YAML reads back as the same string when written without quotes, in a block or in a flow. */
static int S_plain_ok(const char *s, size_t n)
{
	size_t i;
	unsigned char c0 = (unsigned char)s[0];
	static const char *const words[] = {
		"true", "false", "null", "yes", "no", "on", "off", "y", "n", NULL
	};
	if (n == 0 || !((c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || c0 >= 0x80 || c0 == '/'))
		return 0;
	if (s[n - 1] == ' ' || s[n - 1] == ':')
		return 0;
	for (i = 0; words[i]; i++)
		if (strcasecmp(s, words[i]) == 0)
			return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		/* no flow indicator either: the same text goes into [a, b] and {k: v} */
		if (c < 0x20 || c == 0x7f || strchr("\"\\,[]{}:#&*!|>%@`", c))
			return 0;
		/* NEL, LS, PS, BOM: YAML reads them as breaks or drops them */
		if ((c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0x85) ||
		    (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		     ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) ||
		    (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBB &&
		     (unsigned char)s[i + 2] == 0xBF))
			return 0;
	}
	return 1;
}

/* s as a YAML scalar: plain when it reads back the same, else double-quoted. */
static void S_yaml_str(struct buf *out, const char *s, size_t n)
{
	size_t i;
	if (S_plain_ok(s, n)) {
		buf_put(out, s, n);
		return;
	}
	buf_putc(out, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			buf_printf(out, "\\%c", c);
		else if (c == '\n')
			buf_puts(out, "\\n");
		else if (c == '\t')
			buf_puts(out, "\\t");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(out, "\\x%02x", c);
		else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0x85)
			buf_puts(out, "\\N"), i++;
		else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
			 ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9))
			buf_puts(out, (unsigned char)s[i + 2] == 0xA8 ? "\\L" : "\\P"), i += 2;
		else if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBB &&
			 (unsigned char)s[i + 2] == 0xBF)
			buf_puts(out, "\\uFEFF"), i += 2;
		else
			buf_putc(out, c);
	}
	buf_putc(out, '"');
}

static void S_yaml_scalar(struct buf *out, const struct ynode *v)
{
	if (v->plain && v->kind == YNODE_SCALAR && v->len && S_kind(v) != K_STRING && S_kind(v) != K_TEXT)
		buf_put(out, v->str, v->len);
	else if (v->plain && v->kind == YNODE_SCALAR && v->len && v->str[0] == '.')
		buf_put(out, v->str, v->len); /* .inf, .nan */
	else
		S_yaml_str(out, v->str ? v->str : "", v->len);
}

static void S_yaml_node(struct buf *out, const struct ynode *v, int indent);

static int S_all_scalars(const struct ynode *v)
{
	size_t i;
	for (i = 0; i < v->n; i++)
		if (v->kids[i]->kind != YNODE_SCALAR)
			return 0;
	return 1;
}

/* A mapping's entries, each on its own line at indent. */
static void S_yaml_map(struct buf *out, const struct ynode *m, int indent)
{
	size_t i;
	for (i = 0; i + 1 < m->n; i += 2) {
		const struct ynode *v = m->kids[i + 1];
		buf_printf(out, "%*s", indent, "");
		S_yaml_str(out, m->kids[i]->str, m->kids[i]->len);
		buf_putc(out, ':');
		if (v->kind == YNODE_SCALAR) {
			buf_putc(out, ' ');
			S_yaml_scalar(out, v);
			buf_putc(out, '\n');
		} else if (v->n == 0) {
			buf_puts(out, v->kind == YNODE_MAP ? " {}\n" : " []\n");
		} else if (v->kind == YNODE_SEQ && S_all_scalars(v)) {
			buf_putc(out, ' ');
			S_yaml_node(out, v, indent);
		} else {
			buf_putc(out, '\n');
			S_yaml_node(out, v, indent + 2);
		}
	}
}

static void S_yaml_node(struct buf *out, const struct ynode *v, int indent)
{
	size_t i;
	if (v->kind == YNODE_MAP) {
		S_yaml_map(out, v, indent);
		return;
	}
	if (S_all_scalars(v)) {
		buf_putc(out, '[');
		for (i = 0; i < v->n; i++) {
			if (i)
				buf_puts(out, ", ");
			S_yaml_scalar(out, v->kids[i]);
		}
		buf_puts(out, "]\n");
		return;
	}
	for (i = 0; i < v->n; i++) {
		const struct ynode *k = v->kids[i];
		if (k->kind == YNODE_SCALAR || k->n == 0 || (k->kind == YNODE_SEQ && S_all_scalars(k))) {
			buf_printf(out, "%*s- ", indent, "");
			if (k->kind == YNODE_SCALAR) {
				S_yaml_scalar(out, k);
				buf_putc(out, '\n');
			} else if (k->n == 0) {
				buf_puts(out, k->kind == YNODE_MAP ? "{}\n" : "[]\n");
			} else {
				S_yaml_node(out, k, indent + 2);
			}
		} else if (k->kind == YNODE_MAP) {
			/* "- " then the first key, the others under it */
			size_t mark = out->len;
			S_yaml_map(out, k, indent + 2);
			memcpy(out->ptr + mark + indent, "- ", 2);
		} else {
			buf_printf(out, "%*s-\n", indent, "");
			S_yaml_node(out, k, indent + 2);
		}
	}
}

/* --- code in a body ----------------------------------------------------- */

/* The fence that opens at line (n bytes): its character and length, after any indent and '>'. */
static size_t S_fence(const char *line, size_t n, char *ch, size_t *indent)
{
	size_t i = 0, k;
	while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '>'))
		i++;
	*indent = i;
	if (i >= n || (line[i] != '`' && line[i] != '~'))
		return 0;
	*ch = line[i];
	for (k = i; k < n && line[k] == *ch; k++)
		;
	if (k - i < 3)
		return 0;
	if (*ch == '`' && memchr(line + k, '`', n - k))
		return 0;
	return k - i;
}

/* Marks code: fenced blocks (any indent, in lists and quotes too) and code spans. */
static void S_mark_code(unsigned char *code, const char *s, size_t a, size_t b)
{
	size_t i = a, open_len = 0;
	/* fail_end[r]: a closer of r backticks was looked for up to here and is not there */
	size_t fail_end[IMPORT_SPAN_MAX + 1];
	char open_ch = 0;

	memset(fail_end, 0, sizeof(fail_end));
	while (i < b) {
		size_t eol = i, n, ind;
		char ch;
		while (eol < b && s[eol] != '\n')
			eol++;
		n = eol - i;
		if (open_len) {
			size_t len = S_fence(s + i, n, &ch, &ind);
			memset(code + i, 1, eol < b ? n + 1 : n);
			if (len >= open_len && ch == open_ch &&
			    strspn(s + i + ind + len, " \t\r") >= eol - i - ind - len)
				open_len = 0;
		} else if ((open_len = S_fence(s + i, n, &open_ch, &ind))) {
			memset(code + i, 1, eol < b ? n + 1 : n);
		} else if (strspn(s + i, " \t\r") < n) {
			/* code spans: a run of backticks closed by a run as long, within the paragraph */
			size_t j = i;
			while (j < eol) {
				size_t r = 0, k, end = 0;
				if (s[j] == '\\' && j + 1 < eol) {
					j += 2;
					continue;
				}
				if (s[j] != '`') {
					j++;
					continue;
				}
				while (j + r < eol && s[j + r] == '`')
					r++;
				/* a run longer than the cache is text; a closer known to be missing is not looked for again */
				if (r > IMPORT_SPAN_MAX || j < fail_end[r]) {
					j += r;
					continue;
				}
				for (k = j + r; k < b; k++) {
					size_t r2 = 0;
					if (s[k] == '\n') {
						size_t m = k + 1;
						while (m < b && (s[m] == ' ' || s[m] == '\t' || s[m] == '\r'))
							m++;
						if (m >= b || s[m] == '\n')
							break;
						continue;
					}
					if (s[k] != '`')
						continue;
					while (k + r2 < b && s[k + r2] == '`')
						r2++;
					if (r2 == r) {
						end = k + r2;
						break;
					}
					k += r2 - 1;
				}
				if (!end) {
					fail_end[r] = k;
					j += r;
					continue;
				}
				memset(code + j, 1, end - j);
				if (end > eol) {
					/* the span went on to a later line: continue after it */
					eol = end;
					while (eol < b && s[eol] != '\n')
						eol++;
				}
				j = end;
			}
		}
		i = eol + 1;
	}
}

/* --- shortcodes --------------------------------------------------------- */

static int S_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
	       c == '_' || c == '/' || c == '.';
}

/*
 * The tag at s[p] ("{{<" or "{{%"), up to its "}}" before b: 1 and *t, or 0
 * when the text there is not a tag jixia can read.
 */
static int S_parse_tag(struct sc_tag *t, const char *s, size_t p, size_t b)
{
	size_t i = p + 3, lim = b - p > IMPORT_TAG_MAX ? p + IMPORT_TAG_MAX : b, st;
	char d = s[p + 2], cd = d == '<' ? '>' : '%';

	memset(t, 0, sizeof(*t));
	t->start = p;
	t->delim = d;
	while (i < lim && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	if (i + 1 < lim && s[i] == '/' && s[i + 1] == '*') {
		/* "{{</" "* name *" "/>}}": Hugo's way to write a shortcode as text */
		const char *close = d == '<' ? "*/>}}" : "*/%}}";
		size_t k;
		for (k = i; k + 5 <= lim; k++)
			if (memcmp(s + k, close, 5) == 0) {
				t->comment = 1;
				t->end = k + 5;
				t->name = xstrndup(s + i + 2, k - i - 2);
				return 1;
			}
		return 0;
	}
	if (i < lim && s[i] == '/') {
		t->closing = 1;
		i++;
		while (i < lim && (s[i] == ' ' || s[i] == '\t'))
			i++;
	}
	st = i;
	while (i < lim && S_name_char((unsigned char)s[i]))
		i++;
	if (i == st)
		return 0;
	t->name = xstrndup(s + st, i - st);
	for (;;) {
		size_t ks, ke = 0, vs;
		struct buf v = BUF_INIT;
		struct sc_arg *a;
		while (i < lim && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
			i++;
		if (i + 2 < lim && s[i] == '/' && s[i + 1] == cd && s[i + 2] == '}' && i + 3 < lim &&
		    s[i + 3] == '}') {
			t->selfclose = 1;
			t->end = i + 4;
			return 1;
		}
		if (i + 2 < lim && s[i] == cd && s[i + 1] == '}' && s[i + 2] == '}') {
			t->end = i + 3;
			return 1;
		}
		if (i >= lim || t->closing)
			goto bad;
		/* name=value, or a positional value */
		ks = i;
		while (i < lim && S_name_char((unsigned char)s[i]) && s[i] != '/')
			i++;
		if (i > ks && i < lim && s[i] == '=') {
			ke = i;
			i++;
		} else {
			i = ks;
		}
		vs = i;
		if (i < lim && (s[i] == '"' || s[i] == '`')) {
			char q = s[i++];
			while (i < lim && s[i] != q) {
				if (q == '"' && s[i] == '\\' && i + 1 < lim)
					i++;
				buf_putc(&v, s[i++]);
			}
			if (i >= lim) {
				buf_release(&v);
				goto bad;
			}
			i++;
		} else {
			while (i < lim && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' &&
			       !(s[i] == cd && i + 1 < lim && s[i + 1] == '}') &&
			       !(s[i] == '/' && i + 1 < lim && s[i + 1] == cd))
				buf_putc(&v, s[i++]);
			if (i == vs) {
				buf_release(&v);
				goto bad;
			}
		}
		ARRAY_GROW(t->args, t->nargs, t->capargs, 4);
		a = &t->args[t->nargs++];
		a->key = ke ? xstrndup(s + ks, ke - ks) : NULL;
		a->val = buf_detach(&v, NULL);
	}
bad:
	S_tag_release(t);
	return 0;
}

/* The next tag start ("{{<" or "{{%") outside code in [i, b), or b. */
static size_t S_next_tag(struct page_ctx *pc, size_t i, size_t b)
{
	size_t from = i;
	if (pc->exhausted)
		return b;
	for (; i + 2 < b; i++)
		if (pc->body[i] == '{' && pc->body[i + 1] == '{' &&
		    (pc->body[i + 2] == '<' || pc->body[i + 2] == '%') && !pc->code[i])
			break;
	if (i + 2 >= b)
		i = b;
	return S_spend(pc, i - from + 1) ? b : i;
}

/*
 * The closing tag of the shortcode name opened before i: *inner_end (where
 * its inner text ends) and the position after it, or 0 when there is none.
 */
static size_t S_find_close(struct page_ctx *pc, const char *name, size_t i, size_t b, size_t *inner_end)
{
	int depth = 0;
	while ((i = S_next_tag(pc, i, b)) < b) {
		struct sc_tag t;
		if (!S_parse_tag(&t, pc->body, i, b)) {
			i += 2;
			continue;
		}
		if (S_spend(pc, t.end - i)) {
			S_tag_release(&t);
			return 0;
		}
		if (!t.comment && strcmp(t.name, name) == 0) {
			if (t.closing && depth == 0) {
				size_t end = t.end;
				*inner_end = i;
				S_tag_release(&t);
				return end;
			}
			if (t.closing)
				depth--;
			else if (!t.selfclose)
				depth++;
		}
		i = t.end;
		S_tag_release(&t);
	}
	return 0;
}

static void S_convert(struct page_ctx *pc, struct buf *out, size_t a, size_t b, int depth);

/* The whitespace at the end of out after its last newline, when the line holds nothing else. */
static size_t S_line_indent(const struct buf *out, int *at_line_start)
{
	size_t i = out->len;
	while (i && (out->ptr[i - 1] == ' ' || out->ptr[i - 1] == '\t'))
		i--;
	*at_line_start = i == 0 || out->ptr[i - 1] == '\n';
	return out->len - i;
}

/* Starts a block: on a line of its own, after a blank line. Returns the indent to repeat. */
static size_t S_block_start(struct buf *out, char *indent, size_t cap)
{
	int at_start;
	size_t n = S_line_indent(out, &at_start);
	if (!at_start) {
		buf_puts(out, "\n\n");
		n = 0;
	} else if (out->len - n >= 2 && out->ptr[out->len - n - 2] != '\n') {
		/* a line with text just above: a blank line first, at the same indent */
		char keep[64];
		size_t k = n < sizeof(keep) ? n : sizeof(keep) - 1;
		memcpy(keep, out->ptr + out->len - n, k);
		out->len -= n;
		buf_putc(out, '\n');
		buf_put(out, keep, k);
		n = k;
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(indent, out->ptr + out->len - n, n);
	indent[n] = 0;
	return n;
}

/* After a block: what follows the closing tag starts after a blank line. */
static size_t S_block_end(const struct page_ctx *pc, struct buf *out, size_t after, size_t b)
{
	size_t i = after;
	while (i < b && (pc->body[i] == ' ' || pc->body[i] == '\t' || pc->body[i] == '\r'))
		i++;
	if (i < b && pc->body[i] == '\n')
		after = i + 1;
	if (after < b && pc->body[after] != '\n')
		buf_putc(out, '\n');
	return after;
}

/* Lines of text, each prefixed (indent, then prefix); the text's own indent up to n removed. */
static void S_prefix_lines(struct buf *out, const char *text, size_t len, const char *indent,
			   const char *prefix, const char *empty_prefix, int first_has_indent)
{
	size_t i = 0, nind = strlen(indent);
	int first = 1;
	/* leading and trailing blank lines go */
	while (i < len) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		if (strspn(text + i, " \t\r") < e - i)
			break;
		i = e + 1;
	}
	while (len > i && (text[len - 1] == '\n' || text[len - 1] == ' ' || text[len - 1] == '\t' ||
			   text[len - 1] == '\r'))
		len--;
	while (i < len) {
		size_t e = i, k = 0;
		while (e < len && text[e] != '\n')
			e++;
		while (k < nind && i + k < e && (text[i + k] == ' ' || text[i + k] == '\t'))
			k++;
		if (!(first && first_has_indent))
			buf_puts(out, indent);
		first = 0;
		if (strspn(text + i, " \t\r") >= e - i) {
			buf_puts(out, empty_prefix);
		} else {
			buf_puts(out, prefix);
			buf_put(out, text + i + k, e - i - k);
		}
		buf_putc(out, '\n');
		i = e + 1;
	}
}

/* The admonition kind of a shortcode, or NULL when it is not one. */
static const char *S_admonition(const struct sc_tag *t)
{
	static const char *const names[][2] = {
		{ "note", "NOTE" },
		{ "info", "NOTE" },
		{ "tip", "TIP" },
		{ "hint", "TIP" },
		{ "important", "IMPORTANT" },
		{ "warning", "WARNING" },
		{ "caution", "CAUTION" },
		{ "danger", "CAUTION" },
		{ "error", "CAUTION" },
		{ "success", "TIP" },
		{ NULL, NULL }
	};
	const char *name = t->name, *sel = NULL;
	size_t i;
	if (strcmp(name, "alert") == 0)
		sel = S_arg(t, "color", (size_t)-1), sel = sel ? sel : S_arg(t, "type", (size_t)-1);
	else if (strcmp(name, "notice") == 0 || strcmp(name, "callout") == 0 ||
		 strcmp(name, "admonition") == 0)
		sel = S_arg(t, "type", 0);
	else
		sel = name;
	if (strcmp(name, "alert") && strcmp(name, "notice") && strcmp(name, "callout") &&
	    strcmp(name, "admonition")) {
		for (i = 0; names[i][0]; i++)
			if (strcmp(name, names[i][0]) == 0)
				return names[i][1];
		return NULL;
	}
	for (i = 0; sel && names[i][0]; i++)
		if (strcasecmp(sel, names[i][0]) == 0)
			return names[i][1];
	return "NOTE";
}

/* Markdown text that shows s as written (ASCII punctuation escaped, one line). */
static void S_md_text(struct buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n' || c == '\r' || c == '\t')
			buf_putc(out, ' ');
		else if (c < 0x20 || c == 0x7f)
			continue;
		else if (strchr("\\`*_[]<>|~&", c))
			buf_printf(out, "\\%c", c);
		else
			buf_putc(out, c);
	}
}

/* Markdown as it is, on one line. */
static void S_md_line(struct buf *out, const char *s)
{
	for (; *s; s++)
		buf_putc(out, *s == '\n' || *s == '\r' ? ' ' : *s);
}

/* A link's destination: as it is when it can be, else in <...>; 0, or -1 when it cannot be one. */
static int S_md_dest(struct buf *out, const char *s)
{
	if (!*s || strpbrk(s, "\n\r<>"))
		return -1;
	if (strpbrk(s, " ()\t")) {
		buf_printf(out, "<%s>", s);
		return 0;
	}
	buf_puts(out, s);
	return 0;
}

/* The level of the last ATX heading before pos outside code (0: none). */
static int S_heading_level(struct page_ctx *pc, size_t pos)
{
	size_t i = 0;
	int level = 0;
	if (S_spend(pc, pos))
		return 0;
	while (i < pos) {
		size_t j = i, h = 0;
		while (j < pos && pc->body[j] == ' ')
			j++;
		while (j + h < pos && pc->body[j + h] == '#')
			h++;
		if (h >= 1 && h <= 6 && j - i < 4 && !pc->code[j] && j + h < pc->len &&
		    (pc->body[j + h] == ' ' || pc->body[j + h] == '\t'))
			level = (int)h;
		while (i < pos && pc->body[i] != '\n')
			i++;
		i++;
	}
	return level;
}

/* A heading a level under the last one (from level 2), on a line of its own. */
static void S_heading(struct page_ctx *pc, struct buf *out, size_t at, const char *title)
{
	char indent[64];
	int level = S_heading_level(pc, at) + 1;
	if (level < 2)
		level = 2;
	if (level > 6)
		level = 6;
	S_block_start(out, indent, sizeof(indent));
	buf_printf(out, "%.*s ", level, "######");
	S_md_text(out, title);
	buf_puts(out, "\n\n");
}

/* A fence for text: a run of backticks longer than any in it (at least 3). */
static void S_fenced(struct buf *out, const char *text, size_t len, const char *lang, const char *indent)
{
	size_t i, run = 0, best = 0;
	for (i = 0; i < len; i++) {
		run = text[i] == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	best = best < 3 ? 3 : best + 1;
	buf_printf(out, "%s%.*s", indent, (int)best,
		   "````````````````````````````````````````````````````````````````");
	if (best > 64)
		for (i = 64; i < best; i++)
			buf_putc(out, '`');
	if (lang && strspn(lang, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-_.#") ==
			    strlen(lang))
		buf_puts(out, lang);
	buf_putc(out, '\n');
	S_prefix_lines(out, text, len, indent, "", "", 0);
	buf_printf(out, "%s%.*s", indent, (int)(best > 64 ? 64 : best),
		   "````````````````````````````````````````````````````````````````");
	if (best > 64)
		for (i = 64; i < best; i++)
			buf_putc(out, '`');
	buf_putc(out, '\n');
}

/* A file of the site named by a shortcode: its bytes, or -1 with the reason. */
static int S_site_file(struct page_ctx *pc, struct buf *out, const char *name, const char **why)
{
	struct buf rel = BUF_INIT;
	const char *slash = strrchr(pc->path, '/');
	int rc = -1, tries, r;

	for (tries = 0; tries < 2; tries++) {
		buf_reset(&rel);
		if (tries == 0 && name[0] != '/') {
			/* beside the page first */
			struct buf joined = BUF_INIT;
			buf_put(&joined, pc->path, (size_t)(slash - pc->path + 1));
			buf_puts(&joined, name);
			r = path_normalize(&rel, joined.ptr, joined.len);
			buf_release(&joined);
		} else if (tries == 0) {
			continue;
		} else {
			r = path_normalize(&rel, name, strlen(name));
		}
		if (r || !S_safe_rel(rel.ptr)) {
			*why = "the path leaves the site or names .git";
			continue;
		}
		r = S_read_file(out, pc->im->dir, rel.ptr, IMPORT_FILE_MAX);
		if (r == 0) {
			if (memchr(out->ptr, 0, out->len)) {
				*why = "the file is not text";
				break;
			}
			rc = 0;
			break;
		}
		*why = r == 1 ? "no such file in the site"
			      : "not a regular file (a symbolic link?) or over 1 MiB";
	}
	buf_release(&rel);
	return rc;
}

/* The relative path from the folder of from (a file) to to: "../docs/x.md". */
static void S_relative(struct buf *out, const char *from, const char *to)
{
	size_t common = 0, i;
	for (i = 0; from[i] && to[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;
	for (i = common; from[i]; i++)
		if (from[i] == '/')
			buf_puts(out, "../");
	buf_puts(out, to + common);
}

/* The file a ref/relref names: a path of the site, or NULL. */
static const char *S_resolve_ref(struct page_ctx *pc, const char *target, struct buf *tmp)
{
	struct imp *im = pc->im;
	const char *slash = strrchr(pc->path, '/');
	struct buf base = BUF_INIT, cand = BUF_INIT;
	const char *found = NULL;
	static const char *const tails[] = { "", ".md", "/_index.md", "/index.md", NULL };
	int pass;
	size_t i;

	/* the language's content root: content/ or content/LANG/ */
	size_t root = 8;
	if (im->dir_layout) {
		const char *s2 = strchr(pc->path + 8, '/');
		if (s2)
			root = (size_t)(s2 - pc->path + 1);
	}
	for (pass = 0; pass < 2 && !found; pass++) {
		buf_reset(&base);
		if (target[0] == '/') {
			if (pass == 1)
				break;
			buf_put(&base, pc->path, root);
			buf_puts(&base, target + 1);
		} else if (pass == 0) {
			buf_put(&base, pc->path, (size_t)(slash - pc->path + 1));
			buf_puts(&base, target);
		} else {
			buf_put(&base, pc->path, root);
			buf_puts(&base, target);
		}
		buf_reset(tmp);
		if (path_normalize(tmp, base.ptr, base.len) || !str_starts(tmp->ptr, "content/"))
			continue;
		while (tmp->len && tmp->ptr[tmp->len - 1] == '/')
			tmp->ptr[--tmp->len] = 0;
		for (i = 0; tails[i] && !found; i++) {
			buf_reset(&cand);
			buf_printf(&cand, "%s%s", tmp->ptr, tails[i]);
			if (str_ends(cand.ptr, ".md") && source_find(&im->src, cand.ptr))
				found = source_find(&im->src, cand.ptr)->path;
		}
	}
	/* a page not translated: the default language's */
	if (!found && im->dir_layout) {
		for (i = 0; i < im->nlangs; i++)
			if (im->langs[i].is_default &&
			    strncmp(pc->path + 8, im->langs[i].folder, root - 9) != 0) {
				struct buf other = BUF_INIT;
				struct page_ctx pc2 = *pc;
				buf_printf(&other, "content/%s/%s", im->langs[i].folder,
					   strrchr(pc->path, '/') + 1);
				if (target[0] == '/') {
					pc2.path = other.ptr;
					found = S_resolve_ref(&pc2, target, tmp);
				}
				buf_release(&other);
			}
	}
	/* a name alone: the one page whose path ends with it (Hugo's logical name) */
	if (!found && !strchr(target, '/')) {
		struct buf want = BUF_INIT;
		size_t first, n = source_prefix(&im->src, "content/", &first), hits = 0;
		const char *hit = NULL;
		buf_printf(&want, "/%s%s", target, str_ends(target, ".md") ? "" : ".md");
		for (i = first; i < first + n; i++)
			if (str_ends(im->src.files[i].path, want.ptr) &&
			    (!im->dir_layout || strncmp(im->src.files[i].path, pc->path, root) == 0))
				hit = im->src.files[i].path, hits++;
		if (hits == 1)
			found = hit;
		buf_release(&want);
	}
	buf_release(&base);
	buf_release(&cand);
	return found;
}

/* A value of the page's front matter, else the site's params (a dotted name). */
static const struct ynode *S_param(struct page_ctx *pc, const char *name)
{
	const struct ynode *roots[3];
	size_t r;
	roots[0] = pc->fm;
	roots[1] = S_get(pc->fm, "params");
	roots[2] = S_get(pc->im->cfg, "params");
	for (r = 0; r < 3; r++) {
		const struct ynode *v = roots[r];
		const char *p = name;
		while (v && *p) {
			size_t n = strcspn(p, ".");
			char *part = xstrndup(p, n);
			v = S_get(v, part);
			free(part);
			p += n;
			if (*p == '.')
				p++;
		}
		if (v && v->kind == YNODE_SCALAR && v->str)
			return v;
	}
	return NULL;
}

/* One shortcode at t, converted into out: the position after what it took, or 0 to leave it as it is. */
static size_t S_shortcode(struct page_ctx *pc, struct buf *out, struct sc_tag *t, size_t b, int depth)
{
	struct imp *im = pc->im;
	const char *name = t->name, *kind;
	size_t inner_end = 0, after, mark = out->len;
	char indent[64];
	int line = S_line_of(pc, t->start);

	if (t->comment) {
		/* Hugo shows a commented tag (a slash and star inside it) as the tag: so does a code span */
		struct buf text = BUF_INIT;
		buf_printf(&text, "{{%c%s%c}}", t->delim, t->name, t->delim == '<' ? '>' : '%');
		if (!strchr(text.ptr, '`') && !strchr(text.ptr, '\n')) {
			buf_printf(out, "`%s`", text.ptr);
			im->conv[CONV_ESCAPED]++;
			buf_release(&text);
			return t->end;
		}
		buf_release(&text);
		return 0;
	}
	if (t->closing)
		return 0;
	if ((kind = S_admonition(t))) {
		const char *title = S_arg(t, "title", (size_t)-1);
		struct buf inner = BUF_INIT;
		if (t->selfclose || !(after = S_find_close(pc, name, t->end, b, &inner_end)))
			return 0;
		if (!title && strcmp(name, "notice") == 0)
			title = S_arg(t, NULL, 1);
		S_convert(pc, &inner, t->end, inner_end, depth + 1);
		S_block_start(out, indent, sizeof(indent));
		buf_printf(out, "> [!%s]\n", kind);
		if (title && *title) {
			buf_printf(out, "%s> **", indent);
			S_md_text(out, title);
			buf_printf(out, "**\n%s>\n", indent);
		}
		S_prefix_lines(out, inner.ptr, inner.len, indent, "> ", ">", 0);
		buf_release(&inner);
		im->conv[CONV_ADMONITION]++;
		return S_block_end(pc, out, after, b);
	}
	if (strcmp(name, "figure") == 0) {
		const char *src = S_arg(t, "src", 0), *alt = S_arg(t, "alt", (size_t)-1);
		const char *cap = S_arg(t, "caption", (size_t)-1), *title = S_arg(t, "title", (size_t)-1);
		const char *link = S_arg(t, "link", (size_t)-1);
		if (!src || !*src)
			return 0;
		if (!alt || !*alt)
			alt = cap && *cap ? cap : title ? title : "";
		if (link)
			buf_putc(out, '[');
		buf_puts(out, "![");
		S_md_text(out, alt);
		buf_puts(out, "](");
		if (S_md_dest(out, src))
			goto undo;
		buf_putc(out, ')');
		if (link) {
			buf_puts(out, "](");
			if (S_md_dest(out, link))
				goto undo;
			buf_putc(out, ')');
		}
		if ((title && *title) || (cap && *cap)) {
			/* the caption on the image's next line; Hugo reads it as Markdown, so does jixia */
			buf_puts(out, "\\\n");
			if (title && *title) {
				buf_puts(out, "**");
				S_md_text(out, title);
				buf_puts(out, cap && *cap ? "** " : "**");
			}
			if (cap && *cap)
				S_md_line(out, cap);
		}
		im->conv[CONV_FIGURE]++;
		return t->end;
	}
	if (strcmp(name, "ref") == 0 || strcmp(name, "relref") == 0) {
		const char *target = S_arg(t, "path", 0), *hash, *found;
		struct buf path = BUF_INIT, tmp = BUF_INIT;
		if (!target || !*target)
			return 0;
		hash = strchr(target, '#');
		buf_put(&path, target, hash ? (size_t)(hash - target) : strlen(target));
		found = path.len ? S_resolve_ref(pc, path.ptr, &tmp) : pc->path;
		if (!found) {
			S_leftover(im, pc->path, line, "%s to '%s': no such page", name, target);
			buf_release(&path);
			buf_release(&tmp);
			return (size_t)-1;
		}
		buf_reset(&tmp);
		if (path.len)
			S_relative(&tmp, pc->path, found);
		if (hash)
			buf_puts(&tmp, hash);
		buf_release(&path);
		if (S_md_dest(out, tmp.ptr)) {
			buf_release(&tmp);
			goto undo;
		}
		buf_release(&tmp);
		im->conv[CONV_REF]++;
		return t->end;
	}
	if (strcmp(name, "youtube") == 0 || strcmp(name, "vimeo") == 0 || strcmp(name, "bilibili") == 0) {
		const char *id = S_arg(t, "id", 0), *title = S_arg(t, "title", (size_t)-1);
		const char *site = name[0] == 'y' ? "YouTube" : name[0] == 'v' ? "Vimeo" : "bilibili";
		if (!id || !*id ||
		    strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
			    strlen(id))
			return 0;
		buf_putc(out, '[');
		if (title && *title)
			S_md_text(out, title);
		else
			buf_printf(out, "Video on %s", site);
		buf_printf(out, "](%s%s)",
			   name[0] == 'y'   ? "https://www.youtube.com/watch?v="
			   : name[0] == 'v' ? "https://vimeo.com/"
					    : "https://www.bilibili.com/video/",
			   id);
		im->conv[CONV_VIDEO]++;
		return t->end;
	}
	if (strcmp(name, "tabpane") == 0 || strcmp(name, "tabs") == 0) {
		const char *save_lang = pc->tab_lang, *items = S_arg(t, "items", (size_t)-1);
		struct strvec save_items = pc->tab_items;
		size_t save_index = pc->tab_index;
		if (t->selfclose || !(after = S_find_close(pc, name, t->end, b, &inner_end)))
			return 0;
		pc->tab_lang = S_arg(t, "lang", (size_t)-1);
		memset(&pc->tab_items, 0, sizeof(pc->tab_items));
		pc->tab_index = 0;
		if (items) {
			const char *p = items;
			while (*p) {
				size_t n = strcspn(p, ",");
				char *it = xstrndup(p, n);
				strvec_push(&pc->tab_items, it);
				p += n;
				if (*p == ',')
					p++;
			}
		}
		S_convert(pc, out, t->end, inner_end, depth + 1);
		{
			size_t i;
			for (i = 0; i < pc->tab_items.n; i++)
				free((char *)pc->tab_items.v[i]);
			strvec_release(&pc->tab_items);
		}
		pc->tab_lang = save_lang;
		pc->tab_items = save_items;
		pc->tab_index = save_index;
		im->conv[CONV_TABS]++;
		return S_block_end(pc, out, after, b);
	}
	if (strcmp(name, "tab") == 0) {
		const char *title = S_arg(t, "header", (size_t)-1), *lang = S_arg(t, "lang", (size_t)-1);
		struct buf inner = BUF_INIT;
		if (!title)
			title = S_arg(t, "title", (size_t)-1);
		if (!title)
			title = S_arg(t, "name", 0);
		if (!title && pc->tab_index < pc->tab_items.n)
			title = pc->tab_items.v[pc->tab_index];
		pc->tab_index++;
		if (!lang)
			lang = pc->tab_lang;
		if (!title || t->selfclose || !(after = S_find_close(pc, name, t->end, b, &inner_end)))
			return 0;
		S_heading(pc, out, t->start, title);
		S_convert(pc, &inner, t->end, inner_end, depth + 1);
		if (lang && *lang && !S_truthy(S_arg(t, "text", (size_t)-1)) && t->delim == '<')
			S_fenced(out, inner.ptr, inner.len, lang, "");
		else
			S_prefix_lines(out, inner.ptr, inner.len, "", "", "", 0);
		buf_release(&inner);
		im->conv[CONV_TABS]++;
		return S_block_end(pc, out, after, b);
	}
	if (strcmp(name, "details") == 0 || strcmp(name, "expand") == 0 || strcmp(name, "collapse") == 0) {
		const char *title = S_arg(t, "summary", (size_t)-1);
		struct buf inner = BUF_INIT;
		if (!title)
			title = S_arg(t, "title", 0);
		if (!title)
			title = "Details";
		if (t->selfclose || !(after = S_find_close(pc, name, t->end, b, &inner_end)))
			return 0;
		S_heading(pc, out, t->start, title);
		S_convert(pc, &inner, t->end, inner_end, depth + 1);
		S_prefix_lines(out, inner.ptr, inner.len, "", "", "", 0);
		buf_release(&inner);
		im->conv[CONV_DETAILS]++;
		return S_block_end(pc, out, after, b);
	}
	if (strcmp(name, "param") == 0) {
		const char *key = S_arg(t, "name", 0);
		const struct ynode *v = key ? S_param(pc, key) : NULL;
		if (!v) {
			if (key)
				S_leftover(im, pc->path, line,
					   "param '%s': not in the page's front matter or the site's params",
					   key);
			return key ? (size_t)-1 : 0;
		}
		S_md_text(out, v->str);
		im->conv[CONV_PARAM]++;
		return t->end;
	}
	if (strcmp(name, "include") == 0 || strcmp(name, "readfile") == 0) {
		const char *file = S_arg(t, "file", 0), *why = "";
		const char *lang = S_arg(t, "lang", (size_t)-1);
		struct buf data = BUF_INIT;
		if (!file || !*file)
			return 0;
		if (S_site_file(pc, &data, file, &why)) {
			S_leftover(im, pc->path, line, "%s '%s': %s", name, file, why);
			buf_release(&data);
			return (size_t)-1;
		}
		if (S_truthy(S_arg(t, "code", (size_t)-1)) || (lang && *lang)) {
			S_block_start(out, indent, sizeof(indent));
			S_fenced(out, data.ptr, data.len, lang, "");
		} else {
			buf_put(out, data.ptr, data.len);
		}
		buf_release(&data);
		im->conv[CONV_INCLUDE]++;
		return t->end;
	}
	return 0;
undo:
	out->len = mark;
	out->ptr[mark] = 0;
	return 0;
}

/* body[a, b) into out, the shortcodes outside code converted. */
static void S_convert(struct page_ctx *pc, struct buf *out, size_t a, size_t b, int depth)
{
	size_t i = a;
	while (i < b) {
		size_t p = S_next_tag(pc, i, b), next;
		struct sc_tag t;
		buf_put(out, pc->body + i, p - i);
		if (p >= b)
			break;
		if (!S_parse_tag(&t, pc->body, p, b)) {
			S_leftover(pc->im, pc->path, S_line_of(pc, p),
				   "'{{%c' that is not a shortcode jixia can read", pc->body[p + 2]);
			buf_put(out, pc->body + p, 3);
			i = p + 3;
			continue;
		}
		next = depth < IMPORT_NEST_MAX ? S_shortcode(pc, out, &t, b, depth) : 0;
		if (next == 0 || next == (size_t)-1) {
			if (next == 0 && !t.closing)
				S_leftover(pc->im, pc->path, S_line_of(pc, p), "shortcode '%s'%s", t.name,
					   depth >= IMPORT_NEST_MAX ? ": nested too deep" : "");
			buf_put(out, pc->body + p, t.end - p);
			next = t.end;
		}
		i = next;
		S_tag_release(&t);
	}
}

/* --- one content file --------------------------------------------------- */

/* The end of the line that starts at i: the position after its '\n'. */
static size_t S_eol(const char *s, size_t len, size_t i)
{
	while (i < len && s[i] != '\n')
		i++;
	return i < len ? i + 1 : i;
}

/* A fence line ("+++" or "---") at s[i]: whitespace after it is fine. */
static int S_is_fence(const char *s, size_t len, size_t i, const char *fence)
{
	size_t e = S_eol(s, len, i), n = e - i;
	while (n &&
	       (s[i + n - 1] == '\n' || s[i + n - 1] == '\r' || s[i + n - 1] == ' ' || s[i + n - 1] == '\t'))
		n--;
	return n == 3 && memcmp(s + i, fence, 3) == 0;
}

/* The language of a content file and its path under the language's folder. */
static const struct hlang *S_file_lang(const struct imp *im, const char *rel, const char **under)
{
	size_t i;
	*under = rel;
	if (im->dir_layout) {
		for (i = 0; i < im->nlangs; i++) {
			size_t n = strlen(im->langs[i].folder);
			if (strncmp(rel, im->langs[i].folder, n) == 0 && rel[n] == '/') {
				*under = rel + n + 1;
				return &im->langs[i];
			}
		}
		return NULL;
	}
	{
		/* page.LANG.md */
		const char *base = strrchr(rel, '/'), *dot;
		base = base ? base + 1 : rel;
		dot = strchr(base, '.');
		for (i = 0; dot && i < im->nlangs; i++) {
			size_t n = strlen(im->langs[i].key);
			if (strncmp(dot + 1, im->langs[i].key, n) == 0 && strcmp(dot + 1 + n, ".md") == 0)
				return &im->langs[i];
		}
	}
	for (i = 0; i < im->nlangs; i++)
		if (im->langs[i].is_default)
			return &im->langs[i];
	return &im->langs[0];
}

static void S_import_file(struct imp *im, const struct source_file *f)
{
	const char *rel = f->path + 8, *under, *base;
	const struct hlang *lang = S_file_lang(im, rel, &under);
	struct ynode *fm = NULL;
	struct buf out = BUF_INIT;
	struct page_ctx pc;
	size_t start = 0, body = 0;
	int fm_line = 1;
	const char *s = f->data;
	size_t len = f->len;

	memset(&pc, 0, sizeof(pc));
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		start = 3;
	base = strrchr(f->path, '/') + 1;
	if (S_is_fence(s, len, start, "+++")) {
		/* TOML front matter: converted to YAML */
		size_t i = S_eol(s, len, start);
		while (i < len && !S_is_fence(s, len, i, "+++"))
			i = S_eol(s, len, i);
		if (i >= len) {
			S_leftover(im, f->path, 1, "TOML front matter without its closing '+++'");
			goto done;
		}
		if (toml_load(&fm, f->path, s + S_eol(s, len, start), i - S_eol(s, len, start), 1, NULL)) {
			S_leftover(im, f->path, 1,
				   "TOML front matter that does not parse (the error is above)");
			goto done;
		}
		body = S_eol(s, len, i);
		buf_puts(&out, "---\n");
		S_yaml_map(&out, fm, 0);
		buf_puts(&out, "---\n");
		im->fm_toml++;
	} else if (start < len && s[start] == '{' && start + strspn(s + start + 1, " \t\r\n") + 1 < len &&
		   strchr("\"}", s[start + 1 + strspn(s + start + 1, " \t\r\n")])) {
		/* JSON front matter: the object, then the body */
		size_t i = start, depthc = 0;
		int in_str = 0;
		for (; i < len; i++) {
			if (in_str) {
				if (s[i] == '\\')
					i++;
				else if (s[i] == '"')
					in_str = 0;
			} else if (s[i] == '"') {
				in_str = 1;
			} else if (s[i] == '{') {
				depthc++;
			} else if (s[i] == '}' && --depthc == 0) {
				break;
			}
		}
		if (i >= len || yaml_load(&fm, f->path, s + start, i + 1 - start, 0, NULL) || !fm ||
		    fm->kind != YNODE_MAP) {
			S_leftover(im, f->path, 1, "JSON front matter that does not parse");
			goto done;
		}
		body = S_eol(s, len, i + 1);
		buf_puts(&out, "---\n");
		S_yaml_map(&out, fm, 0);
		buf_puts(&out, "---\n");
		im->fm_json++;
	} else {
		/* YAML front matter (or none): kept byte for byte */
		size_t i = start;
		while (i < len && strspn(s + i, " \t\r") ==
					  S_eol(s, len, i) - i -
						  (S_eol(s, len, i) > i && s[S_eol(s, len, i) - 1] == '\n'))
			i = S_eol(s, len, i); /* blank lines before the fence */
		if (i < len && S_is_fence(s, len, i, "---")) {
			size_t j = S_eol(s, len, i);
			int line = 1;
			size_t k;
			for (k = 0; k < i; k++)
				line += s[k] == '\n';
			fm_line = line;
			while (j < len && !S_is_fence(s, len, j, "---") && !S_is_fence(s, len, j, "..."))
				j = S_eol(s, len, j);
			if (j < len) {
				struct ynode *t = NULL;
				/* its errors are jixia check's to report: only what came before is printed */
				diag_flush(stderr, DIAG_TEXT);
				if (yaml_load(&t, f->path, s + S_eol(s, len, i), j - S_eol(s, len, i),
					      fm_line, NULL) == 0)
					fm = t;
				diag_reset();
				body = S_eol(s, len, j);
			}
		}
		buf_put(&out, s, body);
	}
	/* addresses Hugo gives otherwise than jixia: said, not changed */
	{
		const struct ynode *u = S_get(fm, "url"), *sl = S_get(fm, "slug");
		const char *type_dir = strchr(under, '/');
		if (u && u->kind == YNODE_SCALAR && u->str)
			S_leftover(
				im, f->path, u->line ? u->line : 1,
				"url: jixia's address comes from the file's path; add the old one to 'aliases:' to "
				"keep it working");
		if (sl && sl->kind == YNODE_SCALAR && type_dir && strchr(type_dir + 1, '/') &&
		    (!str_starts(base, "index.") && !str_starts(base, "_index.")))
			S_leftover(
				im, f->path, sl->line ? sl->line : 1,
				"slug: Hugo keeps the page's folders before it, jixia's slug replaces the whole path "
				"under the type's folder: write them into it");
	}
	/* the body, shortcodes converted */
	pc.im = im;
	pc.path = f->path;
	pc.body = s;
	pc.len = len;
	pc.fm = fm;
	pc.line_pos = 0;
	pc.line_at = 1;
	pc.code = xcalloc(len + 1, 1);
	pc.work_max = len * IMPORT_WORK_PER_BYTE + ((size_t)1 << 20);
	S_mark_code(pc.code, s, body, len);
	S_convert(&pc, &out, body, len, 0);
	free(pc.code);

	if (str_ends(f->path, ".md") &&
	    (base[0] != '_' || strcmp(base, "_index.md") == 0 || str_starts(base, "_index.")))
		S_tally(im, under, fm, lang && lang->is_default);
	im->pages++;
	if (out.len != len || memcmp(out.ptr, s, len)) {
		struct outfile *o;
		ARRAY_GROW(im->outs, im->nouts, im->capouts, 16);
		o = &im->outs[im->nouts++];
		o->path = xstrdup(f->path);
		o->data = buf_detach(&out, &o->len);
	}
done:
	ynode_free(fm);
	buf_release(&out);
}

/* --- site.yaml ---------------------------------------------------------- */

/* A name jixia takes for a type or a folder: lower-case letters, digits, '-' and '_'. */
static int S_type_name_ok(const char *s)
{
	return *s && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(s);
}

/* Fields every page has in jixia, or that a type must not declare. */
static int S_universal(const struct imp *im, const char *name)
{
	static const char *const names[] = { "slug", "draft", "summary", "aliases", NULL };
	size_t i;
	for (i = 0; names[i]; i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return im->trans_field && strcmp(name, im->trans_field) == 0;
}

static const char *S_field_kind(unsigned k)
{
	k &= ~(unsigned)K_NULL;
	if (k == K_INT)
		return "int";
	if (k == K_BOOL)
		return "bool";
	if (k == K_DATE)
		return "date";
	if (k == K_DATETIME)
		return "datetime";
	if (k == (K_DATE | K_DATETIME))
		return "date"; /* jixia takes a date and time where a date is declared: the day as written */
	if (k == K_LIST)
		return "list";
	if (k && !(k & (K_MAP | K_LIST)) && (k & K_TEXT))
		return "text";
	if (k && !(k & (K_MAP | K_LIST)))
		return "string";
	return NULL;
}

static int S_section_cmp(const void *a, const void *b)
{
	return strcmp(((const struct section *)a)->folder, ((const struct section *)b)->folder);
}

/* The translation field: a field of translations that holds commit ids. */
static void S_pin_field(struct imp *im)
{
	static const char *const known[] = { "default_lang_commit", "translated_from",
					     "translation_of_commit", "source_commit", NULL };
	size_t i;
	long best = 0;
	for (i = 0; known[i]; i++)
		if (strmap_get(&im->pinfield, known[i], 0) > best) {
			best = strmap_get(&im->pinfield, known[i], 0);
			free(im->trans_field);
			im->trans_field = xstrdup(known[i]);
		}
	for (i = 0; !im->trans_field && i < im->pinfield.cap; i++) {
		const struct strmap_slot *sl = &im->pinfield.v[i];
		/* any other field of translations holding commit ids whose name says so */
		if (sl->key && strstr(sl->key, "commit") && sl->val > best) {
			best = sl->val;
			free(im->trans_field);
			im->trans_field = xstrdup(sl->key);
		}
	}
}

/* served elsewhere: module mounts of content that another repository provides. */
static void S_mounts(struct imp *im, const struct ynode *mounts, const char *module)
{
	size_t i;
	for (i = 0; mounts && mounts->kind == YNODE_SEQ && i < mounts->n; i++) {
		const char *src = S_get_str(mounts->kids[i], "source"),
			   *tgt = S_get_str(mounts->kids[i], "target");
		struct buf prefix = BUF_INIT, url = BUF_INIT, srcdir = BUF_INIT;
		const char *rest;
		struct stat st;
		size_t k;
		if (!src || !tgt || !str_starts(tgt, "content") || (tgt[7] && tgt[7] != '/'))
			continue;
		if (!module && strcmp(src, "content") == 0)
			continue;
		rest = tgt[7] ? tgt + 8 : "";
		/* the default language's folder is not in its URLs */
		for (k = 0; im->dir_layout && k < im->nlangs; k++) {
			size_t n = strlen(im->langs[k].folder);
			if (strncmp(rest, im->langs[k].folder, n) == 0 && (rest[n] == '/' || !rest[n])) {
				if (im->langs[k].is_default)
					rest = rest[n] ? rest + n + 1 : rest + n;
				break;
			}
		}
		buf_putc(&prefix, '/');
		buf_puts(&prefix, rest);
		while (prefix.len > 1 && prefix.ptr[prefix.len - 1] == '/')
			prefix.ptr[--prefix.len] = 0;
		if (prefix.len > 1)
			buf_putc(&prefix, '/');
		buf_printf(&srcdir, "%s/%s", im->dir, src);
		if (!module && S_safe_rel(src) && lstat(srcdir.ptr, &st) == 0 && S_ISDIR(st.st_mode)) {
			/* is it a submodule (its own repository) or files of this one? */
			buf_puts(&srcdir, "/.git");
			if (lstat(srcdir.ptr, &st) != 0) {
				S_note(im,
				       "mount %s -> %s: these pages are files of this repository outside content/; "
				       "move them to %s to keep them",
				       src, tgt, tgt);
				goto next;
			}
		}
		/* where it came from, for a comment: only names that cannot end the comment's line */
		if (strspn(module ? module : src,
			   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/@:-") ==
		    strlen(module ? module : src))
			buf_puts(&url, module ? module : src);
		strvec_push(&im->elsewhere, buf_detach(&prefix, NULL));
		strvec_push(&im->elsewhere, buf_detach(&url, NULL));
next:
		buf_release(&prefix);
		buf_release(&url);
		buf_release(&srcdir);
	}
}

static void S_site_yaml(struct imp *im, struct buf *y)
{
	const char *title = S_get_str(im->cfg, "title"), *base = S_get_str(im->cfg, "baseURL");
	const struct ynode *tax = S_get(im->cfg, "taxonomies"), *params = S_get(im->cfg, "params");
	const struct ynode *module = S_get(im->cfg, "module");
	size_t i, j, ntax = 0;
	int any_tags = 0, any_cats = 0;

	buf_printf(y, "# written by jixia import hugo from %s; review it, then run jixia check\n",
		   im->cfg_files.n ? im->cfg_files.v[0] : "Hugo's config");
	if (title) {
		buf_puts(y, "title: ");
		S_yaml_str(y, title, strlen(title));
		buf_putc(y, '\n');
	}
	if (base) {
		buf_puts(y, "base_url: ");
		if (str_ends(base, "/"))
			S_yaml_str(y, base, strlen(base));
		else {
			struct buf b2 = BUF_INIT;
			buf_printf(&b2, "%s/", base);
			S_yaml_str(y, b2.ptr, b2.len);
			buf_release(&b2);
		}
		buf_putc(y, '\n');
	}
	buf_puts(y, "languages:\n");
	for (i = 0; i < im->nlangs; i++) {
		const struct hlang *l = &im->langs[i];
		buf_puts(y, "  - {code: ");
		S_yaml_str(y, l->code, strlen(l->code));
		if (l->name) {
			buf_puts(y, ", name: ");
			S_yaml_str(y, l->name, strlen(l->name));
		}
		if (l->title && (!title || strcmp(l->title, title))) {
			buf_puts(y, ", title: ");
			S_yaml_str(y, l->title, strlen(l->title));
		}
		if (l->is_default)
			buf_puts(y, ", default: true");
		buf_puts(y, "}\n");
	}
	if (im->dir_layout || im->trans_field) {
		buf_printf(y, "translations: {layout: %s", im->dir_layout ? "dir" : "suffix");
		if (im->trans_field && strcmp(im->trans_field, "translated_from")) {
			buf_puts(y, ", field: ");
			S_yaml_str(y, im->trans_field, strlen(im->trans_field));
		}
		buf_puts(y, "}\n");
	}
	if (params && S_get_str(params, "github_repo")) {
		const char *url = S_get_str(params, "github_repo"),
			   *branch = S_get_str(params, "github_branch");
		buf_puts(y, "repo: {url: ");
		S_yaml_str(y, url, strlen(url));
		if (branch) {
			buf_puts(y, ", branch: ");
			S_yaml_str(y, branch, strlen(branch));
		}
		buf_puts(y, "}\n");
	}
	/* taxonomies: the config's, else Hugo's default two when pages use them */
	for (i = 0; i < im->nsecs; i++)
		for (j = 0; j < im->secs[i].nf; j++) {
			any_tags |= strcmp(im->secs[i].f[j].name, "tags") == 0;
			any_cats |= strcmp(im->secs[i].f[j].name, "categories") == 0;
		}
	if (tax && tax->kind == YNODE_MAP) {
		for (i = 0; i + 1 < tax->n; i += 2)
			if (tax->kids[i + 1]->kind == YNODE_SCALAR && S_type_name_ok(tax->kids[i + 1]->str)) {
				buf_puts(y, ntax++ ? ", " : "taxonomies: [");
				buf_puts(y, tax->kids[i + 1]->str);
			}
	} else {
		if (any_tags)
			buf_puts(y, ntax++ ? ", tags" : "taxonomies: [tags");
		if (any_cats)
			buf_puts(y, ntax++ ? ", categories" : "taxonomies: [categories");
	}
	if (ntax)
		buf_puts(y, "]\n");
	if (S_get(module, "mounts"))
		S_mounts(im, S_get(module, "mounts"), NULL);
	if (S_get(im->cfg, "mounts"))
		S_mounts(im, S_get(im->cfg, "mounts"), NULL);
	{
		const struct ynode *imports = S_get(module, "imports");
		for (i = 0; imports && imports->kind == YNODE_SEQ && i < imports->n; i++)
			S_mounts(im, S_get(imports->kids[i], "mounts"), S_get_str(imports->kids[i], "path"));
	}
	/*
	 * A migration period: links that lead nowhere are warnings (links:
	 * {errors: warn}, which --strict makes errors again), and the paths of
	 * the content Hugo mounted from elsewhere are not checked.
	 */
	buf_puts(
		y,
		"# while moving: links that lead nowhere are warnings; remove 'errors: warn' once they are fixed\n"
		"links:\n  errors: warn\n");
	if (im->elsewhere.n) {
		buf_puts(y, "  elsewhere:   # Hugo mounted these from other repositories\n");
		for (i = 0; i + 1 < im->elsewhere.n; i += 2) {
			buf_puts(y, "    - ");
			S_yaml_str(y, im->elsewhere.v[i], strlen(im->elsewhere.v[i]));
			if (*im->elsewhere.v[i + 1])
				buf_printf(y, "   # %s", im->elsewhere.v[i + 1]);
			buf_putc(y, '\n');
		}
	}
	/* a type per section, its fields as the pages use them */
	if (im->nsecs)
		qsort(im->secs, im->nsecs, sizeof(*im->secs), S_section_cmp);
	{
		struct types builtin;
		struct config dflt;
		int have_builtin =
			config_load(&dflt, "site.yaml", NULL, 0) == 0 && types_load(&builtin, &dflt) == 0;
		int any = 0;
		for (i = 0; i < im->nsecs; i++) {
			const struct section *s = &im->secs[i];
			const struct type *bt = have_builtin ? types_by_folder(&builtin, s->folder) : NULL;
			const char *tname = bt ? bt->name : s->folder;
			struct buf skipped = BUF_INIT;
			if (!S_type_name_ok(s->folder)) {
				S_note(im,
				       "content/%s/ is not a name jixia takes for a type's folder (lower-case letters, "
				       "digits, '-', '_'); its pages have no type",
				       s->folder);
				continue;
			}
			if (!any++)
				buf_puts(y, "types:\n");
			buf_printf(y, "  %s:\n    folder: %s\n    fields:\n", tname, s->folder);
			if (!s->nf)
				y->len -= 1, buf_puts(y, " {}\n");
			for (j = 0; j < s->nf; j++) {
				const struct fieldstat *f = &s->f[j];
				const char *k = S_field_kind(f->kinds);
				if (S_universal(im, f->name))
					continue;
				if (!k) {
					buf_printf(&skipped, "%s%s", skipped.len ? ", " : "", f->name);
					continue;
				}
				buf_puts(y, "      ");
				S_yaml_str(y, f->name, strlen(f->name));
				if (strcmp(k, "list") == 0)
					buf_puts(y, ": {type: list, of: {type: string}}\n");
				else
					buf_printf(y, ": {type: %s}\n", k);
			}
			if (skipped.len)
				S_note(im,
				       "content/%s/: front-matter fields jixia has no type for (mappings, or values "
				       "of different kinds): %s; kept in the files, and jixia check warns about them",
				       s->folder, skipped.ptr);
			buf_release(&skipped);
		}
		if (have_builtin)
			types_release(&builtin);
		config_release(&dflt);
	}
}

/* --- writing ------------------------------------------------------------ */

/*
 * Replaces dir/rel with data: written to a temporary name beside it, then
 * renamed over it, through folders opened one level at a time with
 * O_NOFOLLOW. create: the file must not exist yet. Returns 0, or -1
 * (reported).
 */
static int S_write(const char *dir, const char *rel, const char *data, size_t len, int create)
{
	char *path = xstrdup(rel), *seg, *slash;
	struct buf tmp = BUF_INIT;
	size_t off = 0;
	int dfd, fd = -1, rc = -1;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		goto fail;
	for (seg = path; (slash = strchr(seg, '/')); seg = slash + 1) {
		int nfd;
		*slash = '\0';
		if ((nfd = openat(dfd, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			goto fail;
		close(dfd);
		dfd = nfd;
	}
	buf_printf(&tmp, ".%s.jixia-import", seg);
	unlinkat(dfd, tmp.ptr, 0);
	if ((fd = openat(dfd, tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0)
		goto fail;
	{
		/* keep the file's mode */
		struct stat st;
		if (fstatat(dfd, seg, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			if (create || !S_ISREG(st.st_mode)) {
				errno = EEXIST;
				goto fail;
			}
			fchmod(fd, st.st_mode & 07777);
		}
	}
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		off += (size_t)n;
	}
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (renameat(dfd, tmp.ptr, dfd, seg))
		goto fail;
	rc = 0;
	goto done;
fail:
	diag_error(rel, 0, 0, "cannot write: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	if (dfd >= 0 && tmp.len)
		unlinkat(dfd, tmp.ptr, 0);
done:
	if (dfd >= 0)
		close(dfd);
	free(path);
	buf_release(&tmp);
	return rc;
}

/* Moves Hugo's folder name (layouts, assets) aside to name.hugo: 1 moved, 0 nothing to move, -1. */
static int S_move_aside(struct imp *im, const char *name, int dry)
{
	struct buf from = BUF_INIT, to = BUF_INIT;
	struct stat st;
	int rc = 0;
	size_t first;

	buf_printf(&from, "%s/%s", im->dir, name);
	buf_printf(&to, "%s/%s.hugo", im->dir, name);
	if (lstat(from.ptr, &st) || !S_ISDIR(st.st_mode))
		goto done;
	{
		struct buf pre = BUF_INIT;
		buf_printf(&pre, "%s/", name);
		if (!source_prefix(&im->src, pre.ptr, &first)) {
			buf_release(&pre);
			goto done; /* empty: nothing of Hugo's */
		}
		buf_release(&pre);
	}
	if (lstat(to.ptr, &st) == 0) {
		S_note(im, "%s/ holds Hugo's files and %s.hugo/ exists already: move %s/ aside yourself",
		       name, name, name);
		rc = -1;
		goto done;
	}
	if (!dry && rename(from.ptr, to.ptr)) {
		diag_error(name, 0, 0, "cannot move to %s.hugo: %s", name, strerror(errno));
		rc = -1;
		goto done;
	}
	rc = 1;
done:
	buf_release(&from);
	buf_release(&to);
	return rc;
}

/* --- git ---------------------------------------------------------------- */

/* 0 when the working tree is clean; 1 with the first changed paths in list; -1 outside git (reported). */
static int S_dirty(const char *dir, struct buf *list)
{
	git_repository *repo = NULL;
	git_status_list *st = NULL;
	git_status_options o;
	size_t i, n;
	int rc = -1;

	git_status_options_init(&o, GIT_STATUS_OPTIONS_VERSION);
	if (source_repo_open(&repo, dir)) {
		rc = -2;
		goto done;
	}
	o.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	o.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&st, repo, &o))
		goto done;
	n = git_status_list_entrycount(st);
	for (i = 0; i < n && i < 5; i++) {
		const git_status_entry *e = git_status_byindex(st, i);
		const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
		if (d && d->new_file.path)
			buf_printf(list, "%s%s", i ? ", " : "", d->new_file.path);
	}
	if (n > 5)
		buf_printf(list, " and %zu more", n - 5);
	rc = n ? 1 : 0;
done:
	git_status_list_free(st);
	source_repo_free(repo);
	return rc;
}

/* --- pins past the import commit ---------------------------------------- */

/* The blob id of path in commit c (NULL: the file is not there). */
static int S_blob_at(git_oid *out, git_commit *c, const char *path)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	int found = 0;
	if (git_commit_tree(&tree, c) == 0 && git_tree_entry_bypath(&e, tree, path) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
		git_oid_cpy(out, git_tree_entry_id(e));
		found = 1;
	}
	git_tree_entry_free(e);
	git_tree_free(tree);
	return found;
}

/* The commit that last changed path on the first-parent chain from c (its blob there), or NULL. */
static git_commit *S_last_change(git_commit *c, const char *path)
{
	git_oid blob, b2;
	git_commit *cur = NULL, *parent = NULL;
	size_t steps = 0;
	if (!S_blob_at(&blob, c, path) || git_commit_dup(&cur, c))
		return NULL;
	/* bounded like the history walk: a deep chain stops at the cap */
	while (steps++ < 1000000 && git_commit_parentcount(cur) > 0) {
		if (git_commit_parent(&parent, cur, 0))
			break;
		if (!S_blob_at(&b2, parent, path) || !git_oid_equal(&b2, &blob)) {
			git_commit_free(parent);
			break;
		}
		git_commit_free(cur);
		cur = parent;
		parent = NULL;
	}
	return cur;
}

/*
 * Sets the front-matter field of the Markdown file rel (relative to the
 * site) to value: the top-level line "field: ..." is replaced, or one is
 * added before the closing "---". Returns 0, or -1 when the file has no
 * YAML front matter.
 */
static int S_set_field(struct imp *im, const char *rel, const char *field, const char *value)
{
	const struct source_file *f = source_find(&im->src, rel);
	struct buf out = BUF_INIT;
	size_t i, start = 0, close = 0, flen = strlen(field);
	int done = 0;
	if (!f)
		return -1;
	if (f->len >= 3 && memcmp(f->data, "\xEF\xBB\xBF", 3) == 0)
		start = 3;
	if (!S_is_fence(f->data, f->len, start, "---"))
		return -1;
	for (i = S_eol(f->data, f->len, start); i < f->len; i = S_eol(f->data, f->len, i))
		if (S_is_fence(f->data, f->len, i, "---")) {
			close = i;
			break;
		}
	if (!close)
		return -1;
	buf_put(&out, f->data, S_eol(f->data, f->len, start));
	for (i = S_eol(f->data, f->len, start); i < close; i = S_eol(f->data, f->len, i)) {
		size_t e = S_eol(f->data, f->len, i);
		if (!done && e - i > flen && memcmp(f->data + i, field, flen) == 0 &&
		    f->data[i + flen] == ':') {
			buf_printf(&out, "%s: %s\n", field, value);
			done = 1;
			continue;
		}
		buf_put(&out, f->data + i, e - i);
	}
	if (!done)
		buf_printf(&out, "%s: %s\n", field, value);
	buf_put(&out, f->data + close, f->len - close);
	{
		struct outfile *o;
		ARRAY_GROW(im->outs, im->nouts, im->capouts, 16);
		o = &im->outs[im->nouts++];
		o->path = xstrdup(rel);
		o->data = buf_detach(&out, &o->len);
	}
	return 0;
}

/* A scalar field of YAML front matter (a dotted path into mappings): borrowed from fm, or NULL. */
static const struct ynode *S_fm_field(const struct ynode *fm, const char *path)
{
	while (fm && *path) {
		size_t n = strcspn(path, ".");
		char *part = xstrndup(path, n);
		fm = ynode_get(fm, part);
		free(part);
		path += n;
		if (*path == '.')
			path++;
	}
	return fm && fm->kind == YNODE_SCALAR ? fm : NULL;
}

/*
 * --repin, run once the import is committed (HEAD): each translation that
 * was up to date before the import follows the import commit, so the
 * import's own changes to the originals do not make it outdated; one that
 * was outdated keeps (or, without the field, gets) the commit it followed,
 * so it stays outdated. "Up to date" is what jixia l10n says: the
 * original's file at the commit the translation follows (the field, else
 * the translation's own last change) is the one just before the import.
 */
static int S_repin(struct imp *im, size_t *up, size_t *behind)
{
	struct ynode *cfg = NULL;
	const struct ynode *langs, *tr;
	const char *def = NULL;
	int dir_layout = 0;
	struct buf y = BUF_INIT, rel = BUF_INIT, orig = BUF_INIT, prefix = BUF_INIT;
	git_repository *repo = NULL;
	git_commit *head = NULL, *base = NULL;
	git_oid oid;
	char head_hex[GIT_OID_HEXSZ + 1];
	const char *field;
	size_t i, first, n;
	int rc = -1;

	*up = *behind = 0;
	if (S_read_file(&y, im->dir, "site.yaml", IMPORT_FILE_MAX)) {
		fprintf(stderr,
			"jixia: error: --repin needs the imported site.yaml: run it after the import's commit\n");
		goto done;
	}
	/* the languages and the translations' layout and field, as site.yaml has them */
	if (yaml_load(&cfg, "site.yaml", y.ptr, y.len, 0, NULL) || !cfg) {
		diag_flush(stderr, DIAG_TEXT);
		goto done;
	}
	langs = ynode_get(cfg, "languages");
	for (i = 0; langs && langs->kind == YNODE_SEQ && i < langs->n; i++) {
		const struct ynode *code = ynode_get(langs->kids[i], "code"),
				   *dv = ynode_get(langs->kids[i], "default");
		int is_def = 0;
		if (code && code->kind == YNODE_SCALAR && (!def || (dv && ynode_bool(dv, &is_def) && is_def)))
			def = code->str;
	}
	tr = ynode_get(cfg, "translations");
	field = "translated_from";
	if (tr && ynode_get(tr, "field") && ynode_get(tr, "field")->kind == YNODE_SCALAR)
		field = ynode_get(tr, "field")->str;
	dir_layout = tr && ynode_get(tr, "layout") && ynode_get(tr, "layout")->str &&
		     strcmp(ynode_get(tr, "layout")->str, "dir") == 0;
	if (!def) {
		fprintf(stderr, "jixia: error: --repin needs site.yaml's languages\n");
		goto done;
	}
	if (strchr(field, '.')) {
		fprintf(stderr, "jixia: error: --repin writes a top-level field; '%s' is a path\n", field);
		goto done;
	}
	if (source_repo_open(&repo, im->dir) || git_reference_name_to_id(&oid, repo, "HEAD") ||
	    git_commit_lookup(&head, repo, &oid) || git_commit_parentcount(head) == 0 ||
	    git_commit_parent(&base, head, 0)) {
		fprintf(stderr,
			"jixia: error: --repin needs the import committed on top of the Hugo site's history\n");
		goto done;
	}
	git_oid_tostr(head_hex, sizeof(head_hex), &oid);
	{
		/* the site's folder in the repository */
		char *a = realpath(im->dir, NULL), *b = NULL;
		const char *wd = git_repository_workdir(repo);
		if (wd)
			b = realpath(wd, NULL);
		if (a && b && path_within(a, b) && strlen(a) > strlen(b))
			buf_printf(&prefix, "%s/", a + strlen(b) + (strcmp(b, "/") != 0));
		free(a);
		free(b);
	}
	diag_flush(stderr, DIAG_TEXT);
	n = source_prefix(&im->src, "content/", &first);
	for (i = first; i < first + n; i++) {
		const struct source_file *f = &im->src.files[i];
		const char *lang = NULL;
		size_t lang_len = 0;
		const char *p = f->path + 8, *hex = NULL;
		struct ynode *fm = NULL;
		const struct ynode *v;
		git_commit *pinned = NULL;
		git_oid ob_then, ob_base;
		int had_then, had_base;
		size_t k;
		if (!str_ends(p, ".md"))
			continue;
		buf_reset(&orig);
		if (dir_layout) {
			const char *slash = strchr(p, '/');
			if (!slash)
				continue;
			lang = p, lang_len = (size_t)(slash - p);
			buf_printf(&orig, "content/%s/%s", def, slash + 1);
		} else {
			const char *dot = strrchr(p, '/') ? strchr(strrchr(p, '/'), '.') : strchr(p, '.');
			if (!dot)
				continue;
			lang = dot + 1, lang_len = strlen(dot + 1) - 3;
			buf_printf(&orig, "content/%.*s.md", (int)(dot - p), p);
		}
		/* a language of site.yaml other than the default */
		if (lang_len == strlen(def) && strncmp(lang, def, lang_len) == 0)
			continue;
		for (k = 0; langs && k < langs->n; k++) {
			const struct ynode *code = ynode_get(langs->kids[k], "code");
			if (code && code->str && strlen(code->str) == lang_len &&
			    strncmp(code->str, lang, lang_len) == 0)
				break;
		}
		if (!langs || k >= langs->n)
			continue;
		if (!source_find(&im->src, orig.ptr))
			continue;
		{
			/* the front matter, for the field */
			size_t s0 = f->len >= 3 && memcmp(f->data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0, j;
			if (S_is_fence(f->data, f->len, s0, "---")) {
				for (j = S_eol(f->data, f->len, s0);
				     j < f->len && !S_is_fence(f->data, f->len, j, "---");
				     j = S_eol(f->data, f->len, j))
					;
				if (j < f->len)
					yaml_load(&fm, f->path, f->data + S_eol(f->data, f->len, s0),
						  j - S_eol(f->data, f->len, s0), 1, NULL);
			}
		}
		diag_reset(); /* a broken front matter is jixia check's to report */
		if ((v = S_fm_field(fm, field)) && v->str) {
			hex = v->str;
			for (k = 0; hex[k] && strchr("0123456789abcdefABCDEF", hex[k]); k++)
				;
			if (k >= 4 && git_oid_fromstrn(&oid, hex, k) == 0)
				git_commit_lookup_prefix(&pinned, repo, &oid, k);
		} else {
			buf_reset(&rel);
			buf_printf(&rel, "%s%s", prefix.ptr, f->path);
			pinned = S_last_change(base, rel.ptr);
		}
		ynode_free(fm);
		if (!pinned)
			continue;
		buf_reset(&rel);
		buf_printf(&rel, "%s%s", prefix.ptr, orig.ptr);
		had_then = S_blob_at(&ob_then, pinned, rel.ptr);
		had_base = S_blob_at(&ob_base, base, rel.ptr);
		if (had_then && had_base && git_oid_equal(&ob_then, &ob_base)) {
			if (S_set_field(im, f->path, field, head_hex) == 0)
				(*up)++;
		} else {
			char hexbuf[GIT_OID_HEXSZ + 1];
			git_oid_tostr(hexbuf, sizeof(hexbuf), git_commit_id(pinned));
			if (hex || S_set_field(im, f->path, field, hexbuf) == 0)
				(*behind)++;
		}
		git_commit_free(pinned);
	}
	rc = 0;
done:
	ynode_free(cfg);
	git_commit_free(base);
	git_commit_free(head);
	source_repo_free(repo);
	buf_release(&y);
	buf_release(&rel);
	buf_release(&orig);
	buf_release(&prefix);
	return rc;
}

/*
 * Frees what converting files gathered (leftovers, converted files, the
 * sections' fields, the pin fields, the arena): after the command, and
 * after the test hook's one file.
 */
static void S_release_work(struct imp *im)
{
	size_t i, j;

	for (i = 0; i < im->nleft; i++) {
		free(im->left[i].path);
		free(im->left[i].what);
	}
	free(im->left);
	for (i = 0; i < im->nouts; i++) {
		free(im->outs[i].path);
		free(im->outs[i].data);
	}
	free(im->outs);
	for (i = 0; i < im->nsecs; i++) {
		for (j = 0; j < im->secs[i].nf; j++)
			free(im->secs[i].f[j].name);
		free(im->secs[i].f);
		strmap_free(&im->secs[i].fidx);
		free(im->secs[i].folder);
	}
	free(im->secs);
	strmap_free(&im->pinfield);
	arena_release(&im->arena);
}

/* --- for the tests ------------------------------------------------------- */

void import_convert_file(struct buf *out, const char *path, const char *data, size_t len)
{
	struct imp im;
	struct source_file f;
	size_t i;

	memset(&im, 0, sizeof(im));
	im.dir = "/nonexistent-jixia-import";
	im.langs = xcalloc(1, sizeof(*im.langs));
	im.nlangs = 1;
	im.langs[0].key = im.langs[0].code = (char *)"en";
	im.langs[0].is_default = 1;
	/* NUL-terminated, as source gives every file */
	f.path = (char *)path;
	f.data = xmalloc(len + 1);
	memcpy(f.data, data, len);
	f.data[len] = 0;
	f.len = len;
	S_import_file(&im, &f);
	free(f.data);
	buf_reset(out);
	if (im.nouts)
		buf_put(out, im.outs[0].data, im.outs[0].len);
	else
		buf_put(out, data, len);
	for (i = 0; i < im.nleft; i++)
		buf_printf(out, "\n%%%% left %s:%d: %s", im.left[i].path, im.left[i].line, im.left[i].what);
	S_release_work(&im);
	free(im.langs);
}

/* --- the command -------------------------------------------------------- */

static void S_report(struct imp *im, int moved_layouts, int moved_assets)
{
	const char *would = im->check ? "would be " : "";
	const char *sp = strcmp(im->dir, ".") ? " " : "", *dir = strcmp(im->dir, ".") ? im->dir : "";
	size_t i, total = 0;

	printf("jixia import hugo%s: %zu content files read, %zu %schanged\n", im->check ? " --check" : "",
	       im->pages, im->nouts, im->check ? "would be " : "");
	printf("  site.yaml %swritten from ", would);
	for (i = 0; i < im->cfg_files.n; i++)
		printf("%s%s", i ? ", " : "", im->cfg_files.v[i]);
	printf("\n");
	if (im->fm_toml)
		printf("  TOML front matter %sconverted to YAML: %zu\n", would, im->fm_toml);
	if (im->fm_json)
		printf("  JSON front matter %sconverted to YAML: %zu\n", would, im->fm_json);
	for (i = 0; i < CONV_COUNT; i++)
		total += im->conv[i];
	printf("  shortcodes %sconverted: %zu\n", would, total);
	for (i = 0; i < CONV_COUNT; i++)
		if (im->conv[i])
			printf("    %-52s %zu\n", S_conv_names[i], im->conv[i]);
	if (moved_layouts > 0)
		printf("  layouts/ %smoved to layouts.hugo/ (Hugo's Go templates; jixia's layouts/ are Mustache)\n",
		       would);
	if (moved_assets > 0)
		printf("  assets/ %smoved to assets.hugo/ (Hugo's asset pipeline; jixia publishes assets/ as it is)\n",
		       would);
	for (i = 0; i < im->notes.n; i++) {
		printf("  note: ");
		S_print_clean(stdout, im->notes.v[i]);
		printf("\n");
	}
	printf("  left as they are: %zu\n", im->nleft);
	for (i = 0; i < im->nleft && i < IMPORT_SHOW_MAX; i++) {
		printf("    %s:%d: ", im->left[i].path, im->left[i].line);
		S_print_clean(stdout, im->left[i].what);
		printf("\n");
	}
	if (im->nleft > IMPORT_SHOW_MAX)
		printf("    ... and %zu more\n", im->nleft - IMPORT_SHOW_MAX);
	printf("next:\n");
	if (im->check)
		printf("  jixia import hugo%s%s   (converts)\n", sp, dir);
	else
		printf("  git diff   (review the conversion, then commit it)\n");
	if (im->nlangs > 1)
		printf("  jixia import hugo%s%s --repin   (once committed: translations follow the import commit)\n",
		       sp, dir);
	printf("  jixia check%s%s   (every error with its path:line:col)\n", sp, dir);
	printf("  jixia serve%s%s   (see the site)\n", sp, dir);
}

static int S_leftover_cmp(const void *a, const void *b)
{
	const struct leftover *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

int import_run(const struct import_opts *opts)
{
	struct imp im;
	struct buf dirty = BUF_INIT, y = BUF_INIT, p = BUF_INIT;
	size_t i, first, n;
	int rc = 2, r, moved_layouts = 0, moved_assets = 0;
	struct stat st;

	memset(&im, 0, sizeof(im));
	im.dir = opts->dir;
	im.check = opts->check;
	if (strcmp(opts->from, "hugo") != 0) {
		fprintf(stderr, "jixia: error: jixia imports from hugo only, not '%s'\n", opts->from);
		return 2;
	}
	git_libgit2_init();
	/* first: source refuses a site folder reached through a link a commit may have made, before
	   anything is read or written there */
	if (source_open(&im.src, im.dir, NULL, NULL, NULL)) {
		diag_flush(stderr, DIAG_TEXT);
		goto done;
	}
	buf_printf(&p, "%s/site.yaml", im.dir);
	if (lstat(p.ptr, &st) == 0 && !opts->force && !opts->repin) {
		fprintf(stderr,
			"jixia: error: %s exists: this is a jixia site already (--force imports over it)\n",
			p.ptr);
		goto done;
	}
	if (!opts->check && !opts->force) {
		r = S_dirty(im.dir, &dirty);
		if (r == -2) {
			fprintf(stderr,
				"jixia: error: %s is not in a git repository: the import changes files in place, so "
				"commit the site to git first to review it as a diff (--force converts anyway)\n",
				im.dir);
			goto done;
		}
		if (r < 0) {
			fprintf(stderr, "jixia: error: cannot read the git status of %s\n", im.dir);
			goto done;
		}
		if (r > 0) {
			fprintf(stderr,
				"jixia: error: the working tree has uncommitted changes (%s): commit or stash them "
				"first, so the import is one diff to review (--force converts anyway)\n",
				dirty.ptr);
			goto done;
		}
	}
	r = opts->repin ? 0 : S_load_config(&im);
	if (r == 1) {
		fprintf(stderr,
			"jixia: error: no Hugo config in %s (hugo.toml, hugo.yaml, hugo.json, config.toml, "
			"config.yaml, config.json or config/_default/)\n",
			im.dir);
		goto done;
	}
	if (r < 0) {
		diag_flush(stderr, DIAG_TEXT);
		rc = 1;
		goto done;
	}
	if (opts->repin) {
		size_t up, behind;
		if (S_repin(&im, &up, &behind)) {
			diag_flush(stderr, DIAG_TEXT);
			rc = 1;
			goto done;
		}
		for (i = 0; !opts->check && i < im.nouts; i++)
			if (S_write(im.dir, im.outs[i].path, im.outs[i].data, im.outs[i].len, 0))
				goto flush;
		printf("jixia import hugo --repin%s: translations pinned: %zu up to date (to the import commit), %zu "
		       "outdated\n",
		       opts->check ? " --check" : "", up, behind);
		printf("  %zu files %schanged\nnext:\n  git commit -am 'pin translations past the import'\n",
		       im.nouts, opts->check ? "would be " : "");
		rc = 0;
		goto done;
	}
	S_languages(&im);
	n = source_prefix(&im.src, "content/", &first);
	for (i = first; i < first + n; i++) {
		const struct source_file *f = &im.src.files[i];
		if (str_ends(f->path, ".md"))
			S_import_file(&im, f);
		else if (str_ends(f->path, ".markdown") || str_ends(f->path, ".html") ||
			 str_ends(f->path, ".htm") || str_ends(f->path, ".adoc") ||
			 str_ends(f->path, ".org") || str_ends(f->path, ".rst"))
			S_leftover(&im, f->path, 1,
				   "a page jixia does not read: jixia's pages are Markdown files "
				   "named *.md");
	}
	S_pin_field(&im);
	S_site_yaml(&im, &y);
	moved_layouts = S_move_aside(&im, "layouts", 1);
	moved_assets = S_move_aside(&im, "assets", 1);
	if (!opts->check) {
		for (i = 0; i < im.nouts; i++)
			if (S_write(im.dir, im.outs[i].path, im.outs[i].data, im.outs[i].len, 0))
				goto flush;
		if (S_write(im.dir, "site.yaml", y.ptr, y.len, !opts->force))
			goto flush;
		if (moved_layouts > 0)
			moved_layouts = S_move_aside(&im, "layouts", 0);
		if (moved_assets > 0)
			moved_assets = S_move_aside(&im, "assets", 0);
	}
	if (im.nleft)
		qsort(im.left, im.nleft, sizeof(*im.left), S_leftover_cmp);
	diag_flush(stderr, DIAG_TEXT);
	S_report(&im, moved_layouts, moved_assets);
	rc = 0;
	goto done;
flush:
	diag_flush(stderr, DIAG_TEXT);
done:
	for (i = 0; i < im.nlangs; i++) {
		free(im.langs[i].code);
		free(im.langs[i].key);
		free(im.langs[i].name);
		free(im.langs[i].title);
		free(im.langs[i].folder);
	}
	free(im.langs);
	S_release_work(&im);
	for (i = 0; i < im.notes.n; i++)
		free((char *)im.notes.v[i]);
	strvec_release(&im.notes);
	for (i = 0; i < im.elsewhere.n; i++)
		free((char *)im.elsewhere.v[i]);
	strvec_release(&im.elsewhere);
	for (i = 0; i < im.cfg_files.n; i++)
		free((char *)im.cfg_files.v[i]);
	strvec_release(&im.cfg_files);
	free(im.trans_field);
	ynode_free(im.cfg);
	if (im.src.files || im.src.root)
		source_release(&im.src);
	buf_release(&dirty);
	buf_release(&y);
	buf_release(&p);
	git_libgit2_shutdown();
	return rc;
}
