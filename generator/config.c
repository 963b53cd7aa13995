/*
 * config: a table of known keys per mapping and one small reader per value
 * type. Readers report at the value's own line:col and keep going, so one
 * run lists every mistake in site.yaml.
 */
#include "config.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "suggest.h"
#include "util.h"

/* Reports each key of map that is not in allowed (NULL-terminated). */
static int S_known_keys(const char *path, const struct ynode *map, const char *what,
			const char *const *allowed)
{
	size_t i;
	int rc = 0;
	for (i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *k = map->kids[i];
		const char *const *a;
		for (a = allowed; *a; a++)
			if (strcmp(k->str, *a) == 0)
				break;
		if (!*a) {
			struct buf hint = BUF_INIT;
			diag_error(path, k->line, k->col, "unknown key '%s' in %s%s", k->str, what,
				   suggest_hint(&hint, suggest_list(k->str, allowed)));
			buf_release(&hint);
			rc = -1;
		}
	}
	return rc;
}

static int S_want(const char *path, const struct ynode *n, enum ynode_kind kind, const char *key,
		  const char *what)
{
	if (n->kind == kind)
		return 0;
	diag_error(path, n->line, n->col, "'%s' must be %s, not %s", key, what, ynode_kind_name(n));
	return -1;
}

/* A string value: *out borrows from the tree. Absent keys leave *out alone. */
static int S_string(const char *path, const struct ynode *map, const char *key, const char **out)
{
	const struct ynode *v = ynode_get(map, key);
	if (!v)
		return 0;
	if (S_want(path, v, YNODE_SCALAR, key, "a string"))
		return -1;
	*out = v->str;
	return 0;
}

static int S_bool(const char *path, const struct ynode *map, const char *key, int *out)
{
	const struct ynode *v = ynode_get(map, key);
	if (!v)
		return 0;
	if (!ynode_bool(v, out)) {
		diag_error(path, v->line, v->col, "'%s' must be true or false", key);
		return -1;
	}
	return 0;
}

static int S_int(const char *path, const struct ynode *map, const char *key, long long min, long long max,
		 long long *out)
{
	const struct ynode *v = ynode_get(map, key);
	long long x;
	if (!v)
		return 0;
	if (!ynode_int(v, &x) || x < min || x > max) {
		diag_error(path, v->line, v->col, "'%s' must be a whole number from %lld to %lld", key, min,
			   max);
		return -1;
	}
	*out = x;
	return 0;
}

static int S_lang_code_ok(const char *s)
{
	size_t i, n = strlen(s);
	if (n < 2 || n > LANG_CODE_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] == '-' && i > 0 && i + 1 < n)))
			return 0;
	return 1;
}

static const char *const S_lang_keys[] = { "code", "name", "default", "title", "description", NULL };

/*
 * Every page links its translations and every language gets the whole
 * portal, so the output grows with the square of the count: 1,000 languages
 * wrote 1.1 GB. No community has more than a few dozen.
 */
#define S_MAX_LANGS 64

static int S_languages(struct config *cfg, const char *path, const struct ynode *v)
{
	size_t i, j, ndefault = 0;
	int rc = 0;

	if (S_want(path, v, YNODE_SEQ, "languages", "a list"))
		return -1;
	if (v->n == 0) {
		diag_error(path, v->line, v->col, "'languages' must name at least one language");
		return -1;
	}
	if (v->n > S_MAX_LANGS) {
		const struct ynode *over = v->kids[S_MAX_LANGS];
		diag_error(path, over->line, over->col,
			   "'languages' names %zu languages; at most %d are allowed", v->n, S_MAX_LANGS);
		return -1;
	}
	cfg->langs = xcalloc(v->n, sizeof(*cfg->langs));
	for (i = 0; i < v->n; i++) {
		const struct ynode *l = v->kids[i];
		struct lang *lang = &cfg->langs[cfg->nlangs];
		/* the slot may hold what a refused language before it left there */
		memset(lang, 0, sizeof(*lang));
		if (S_want(path, l, YNODE_MAP, "languages", "a list of mappings")) {
			rc = -1;
			continue;
		}
		if (S_known_keys(path, l, "a language", S_lang_keys) ||
		    S_string(path, l, "code", &lang->code) || S_string(path, l, "name", &lang->name) ||
		    S_string(path, l, "title", &lang->title) ||
		    S_string(path, l, "description", &lang->description) ||
		    S_bool(path, l, "default", &lang->is_default)) {
			rc = -1;
			continue;
		}
		if (!lang->code) {
			diag_error(path, l->line, l->col, "a language needs a 'code' (e.g. zh, en)");
			rc = -1;
			continue;
		}
		if (!S_lang_code_ok(lang->code)) {
			const struct ynode *c = ynode_get(l, "code");
			diag_error(path, c->line, c->col,
				   "language code '%s' must be letters and '-' (e.g. zh, en, pt-BR)",
				   lang->code);
			rc = -1;
			continue;
		}
		for (j = 0; j < cfg->nlangs; j++)
			if (strcmp(cfg->langs[j].code, lang->code) == 0)
				break;
		if (j < cfg->nlangs) {
			const struct ynode *c = ynode_get(l, "code");
			diag_error(path, c->line, c->col, "language '%s' is listed twice", lang->code);
			rc = -1;
			continue;
		}
		if (!lang->name)
			lang->name = lang->code;
		ndefault += lang->is_default != 0;
		cfg->nlangs++;
	}
	if (rc == 0 && ndefault > 1) {
		diag_error(path, v->line, v->col, "only one language may be the default");
		rc = -1;
	}
	if (rc == 0 && ndefault == 0)
		cfg->langs[0].is_default = 1;
	return rc;
}

static int S_repo(struct config *cfg, const char *path, const struct ynode *v)
{
	static const char *const keys[] = { "url", "branch", "host", NULL };
	if (S_want(path, v, YNODE_MAP, "repo", "a mapping") || S_known_keys(path, v, "'repo'", keys) ||
	    S_string(path, v, "url", &cfg->repo_url) || S_string(path, v, "branch", &cfg->repo_branch) ||
	    S_string(path, v, "host", &cfg->repo_host))
		return -1;
	if (cfg->repo_host && strcmp(cfg->repo_host, "github") != 0 &&
	    strcmp(cfg->repo_host, "gitlab") != 0 && strcmp(cfg->repo_host, "gitea") != 0) {
		const struct ynode *h = ynode_get(v, "host");
		diag_error(path, h->line, h->col, "'repo.host' must be github, gitlab or gitea");
		return -1;
	}
	if (cfg->repo_url && !str_starts(cfg->repo_url, "https://") &&
	    !str_starts(cfg->repo_url, "http://")) {
		const struct ynode *u = ynode_get(v, "url");
		diag_error(path, u->line, u->col, "'repo.url' must start with https://");
		return -1;
	}
	return 0;
}

/*
 * The model keeps a field index per type and taxonomy, and checks each name
 * against those before it: 10,000 taxonomies beside 10,000 types took 800 MB,
 * 30,000 of each (within the YAML's node cap) would take 7 GB, and 45,000
 * taxonomies alone 3.7 s. A site has a handful.
 */
#define S_MAX_TAXONOMIES 64

static int S_taxonomies(struct config *cfg, const char *path, const struct ynode *v)
{
	size_t i, j;
	if (S_want(path, v, YNODE_SEQ, "taxonomies", "a list"))
		return -1;
	if (v->n > S_MAX_TAXONOMIES) {
		const struct ynode *over = v->kids[S_MAX_TAXONOMIES];
		diag_error(path, over->line, over->col,
			   "'taxonomies' names %zu taxonomies; at most %d are allowed", v->n,
			   S_MAX_TAXONOMIES);
		return -1;
	}
	cfg->taxonomies = xcalloc(v->n, sizeof(*cfg->taxonomies));
	for (i = 0; i < v->n; i++) {
		const struct ynode *t = v->kids[i];
		const char *s;
		if (S_want(path, t, YNODE_SCALAR, "taxonomies", "a list of names"))
			return -1;
		for (s = t->str; *s; s++)
			if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
				break;
		if (*s || !t->str[0] || s - t->str > 64) {
			diag_error(
				path, t->line, t->col,
				"taxonomy name '%s' must be lower-case letters, digits, '-' or '_' (at most 64)",
				t->str);
			return -1;
		}
		/* one name twice would write each term's page twice */
		for (j = 0; j < cfg->ntaxonomies; j++)
			if (strcmp(cfg->taxonomies[j], t->str) == 0)
				break;
		if (j < cfg->ntaxonomies) {
			diag_error(path, t->line, t->col, "taxonomy '%s' is listed twice", t->str);
			return -1;
		}
		cfg->taxonomies[cfg->ntaxonomies++] = t->str;
	}
	return 0;
}

static int S_markdown(struct config *cfg, const char *path, const struct ynode *v)
{
	static const char *const keys[] = { "unsafe", NULL };
	if (S_want(path, v, YNODE_MAP, "markdown", "a mapping") ||
	    S_known_keys(path, v, "'markdown'", keys) || S_bool(path, v, "unsafe", &cfg->markdown_unsafe))
		return -1;
	return 0;
}

static int S_translations(struct config *cfg, const char *path, const struct ynode *v)
{
	static const char *const keys[] = { "layout", "field", "fallback", NULL };
	const char *layout = NULL;
	if (S_want(path, v, YNODE_MAP, "translations", "a mapping") ||
	    S_known_keys(path, v, "'translations'", keys) || S_string(path, v, "layout", &layout) ||
	    S_string(path, v, "field", &cfg->translated_from_field) ||
	    S_bool(path, v, "fallback", &cfg->trans_fallback))
		return -1;
	if (layout && strcmp(layout, "suffix") == 0) {
		cfg->trans_layout = TRANS_SUFFIX;
	} else if (layout && strcmp(layout, "dir") == 0) {
		cfg->trans_layout = TRANS_DIR;
	} else if (layout) {
		const struct ynode *l = ynode_get(v, "layout");
		diag_error(
			path, l->line, l->col,
			"'translations.layout' must be 'suffix' (NAME.LANG.md) or 'dir' (content/LANG/...)");
		return -1;
	}
	return 0;
}

static int S_limits(struct config *cfg, const char *path, const struct ynode *v)
{
	static const char *const keys[] = { "markdown_bytes", "file_bytes", "media_bytes", NULL };
	long long md = (long long)cfg->max_markdown, file = (long long)cfg->max_file;
	long long media = (long long)cfg->max_media;
	if (S_want(path, v, YNODE_MAP, "limits", "a mapping") || S_known_keys(path, v, "'limits'", keys) ||
	    S_int(path, v, "markdown_bytes", 1024, 1LL << 20, &md) ||
	    S_int(path, v, "file_bytes", 1024, 32LL << 20, &file) ||
	    S_int(path, v, "media_bytes", 1024, 32LL << 20, &media))
		return -1;
	cfg->max_markdown = (size_t)md;
	cfg->max_file = (size_t)file;
	cfg->max_media = (size_t)media;
	return 0;
}

/*
 * One entry of links.elsewhere: a path from the root ("/api/") or
 * {path, url}; the url an absolute http(s) one. The path is kept with
 * both slashes.
 */
static int S_elsewhere_one(struct link_elsewhere *out, const char *path, const struct ynode *e)
{
	static const char *const keys[] = { "path", "url", NULL };
	const char *p = NULL, *url = NULL;
	const struct ynode *at = e;
	size_t i, n;

	if (e->kind == YNODE_MAP) {
		if (S_known_keys(path, e, "a 'links.elsewhere' entry", keys) ||
		    S_string(path, e, "path", &p) || S_string(path, e, "url", &url))
			return -1;
		if (!p) {
			diag_error(path, e->line, e->col, "a 'links.elsewhere' entry needs a 'path' (/api/)");
			return -1;
		}
		at = ynode_get(e, "path");
	} else if (e->kind == YNODE_SCALAR) {
		p = e->str;
	} else {
		diag_error(path, e->line, e->col,
			   "'links.elsewhere' must list paths (/docs/reference/) or {path, url} mappings");
		return -1;
	}
	n = strlen(p);
	for (i = 0; i < n && (unsigned char)p[i] > 0x20 && p[i] != 0x7f && !strchr("?#\"<>", p[i]); i++)
		;
	if (p[0] != '/' || p[1] == '/' || i < n || strstr(p, "/../") || strstr(p, "/./")) {
		diag_error(
			path, at->line, at->col,
			"'links.elsewhere' path '%s' must be a path from the site's root (/docs/reference/), "
			"without '..', '?', '#', '\\', spaces or control characters",
			p);
		return -1;
	}
	if (url && !str_starts(url, "https://") && !str_starts(url, "http://")) {
		const struct ynode *u = ynode_get(e, "url");
		diag_error(path, u->line, u->col,
			   "'links.elsewhere' url must start with https:// or http://");
		return -1;
	}
	{
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s%s", p, str_ends(p, "/") ? "" : "/");
		out->path = buf_detach(&b, NULL);
	}
	out->url = url;
	out->line = at->line;
	out->col = at->col;
	return 0;
}

static int S_links(struct config *cfg, const char *path, const struct ynode *v)
{
	static const char *const keys[] = { "elsewhere", "errors", NULL };
	const struct ynode *e;
	const char *errors = NULL;
	size_t i;
	int rc = 0;

	if (S_want(path, v, YNODE_MAP, "links", "a mapping") || S_known_keys(path, v, "'links'", keys) ||
	    S_string(path, v, "errors", &errors))
		return -1;
	if (errors && strcmp(errors, "warn") != 0 && strcmp(errors, "error") != 0) {
		e = ynode_get(v, "errors");
		diag_error(path, e->line, e->col, "'links.errors' must be 'error' or 'warn'");
		return -1;
	}
	cfg->links_warn = errors && strcmp(errors, "warn") == 0;
	if (!(e = ynode_get(v, "elsewhere")) || ynode_is_null(e))
		return 0;
	if (S_want(path, e, YNODE_SEQ, "links.elsewhere", "a list"))
		return -1;
	cfg->elsewhere = xcalloc(e->n ? e->n : 1, sizeof(*cfg->elsewhere));
	for (i = 0; i < e->n; i++) {
		if (S_elsewhere_one(&cfg->elsewhere[cfg->nelsewhere], path, e->kids[i]))
			rc = -1;
		else
			cfg->nelsewhere++;
	}
	return rc;
}

const struct link_elsewhere *config_elsewhere(const struct config *cfg, const char *url, size_t n)
{
	size_t i;
	for (i = 0; i < cfg->nelsewhere; i++) {
		size_t k = strlen(cfg->elsewhere[i].path);
		/* "/api/" holds "/api/x" and "/api" itself */
		if ((n >= k && strncmp(url, cfg->elsewhere[i].path, k) == 0) ||
		    (n == k - 1 && strncmp(url, cfg->elsewhere[i].path, n) == 0))
			return &cfg->elsewhere[i];
	}
	return NULL;
}

static const char *const S_top_keys[] = {
	"title",      "description", "base_url",     "languages",    "timezone",       "repo",
	"taxonomies", "types",       "contributors", "markdown",     "paginate",       "translations",
	"limits",     "categories",  "links",        "social_cards", "person_posters", NULL
};

static void S_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->title = "";
	cfg->description = "";
	cfg->base_url = "/";
	cfg->timezone = "UTC";
	cfg->translated_from_field = "translated_from";
	cfg->trans_fallback = 1;
	cfg->repo_branch = "main";
	cfg->paginate = 20;
	cfg->max_markdown = 1 << 20;
	cfg->max_file = 32 << 20;
	cfg->max_media = 16 << 20;
}

/*
 * A base URL is absolute with a host (https://example.org/) or a path from
 * the root of the host. "//host/" and "/\host/" look like paths, but a
 * browser loads them from another host; it also drops tabs and newlines
 * from a URL and reads '\' as '/', so those are refused anywhere, with the
 * other controls, spaces and what would end the path ('?', '#').
 */
static int S_base_url_ok(const char *s)
{
	const char *p;
	for (p = s; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7F || *p == '\\' || *p == '?' || *p == '#')
			return 0;
	if (str_starts(s, "https://") || str_starts(s, "http://")) {
		p = strstr(s, "://") + 3;
		return *p && *p != '/';
	}
	return s[0] == '/' && s[1] != '/';
}

/* base_url always ends with '/', so URLs join without doubling. */
static int S_base_url(struct config *cfg, const char *path, const struct ynode *root)
{
	const struct ynode *v = ynode_get(root, "base_url");
	struct ynode *mut;
	size_t n;
	if (!v)
		return 0;
	if (S_want(path, v, YNODE_SCALAR, "base_url", "a string"))
		return -1;
	if (strlen(v->str) != v->len || !S_base_url_ok(v->str)) {
		diag_error(
			path, v->line, v->col,
			"'base_url' must be an absolute URL (https://example.org/) or a path starting with one '/', "
			"without spaces, control characters, '\\', '?' or '#'");
		return -1;
	}
	n = v->len;
	mut = (struct ynode *)v; /* the tree is ours: append the slash in place */
	if (n == 0 || mut->str[n - 1] != '/') {
		mut->str = xrealloc(mut->str, n + 2);
		mut->str[n] = '/';
		mut->str[n + 1] = '\0';
		mut->len = n + 1;
	}
	cfg->base_url = mut->str;
	return 0;
}

/* The system's zone database: where glibc, musl and macOS keep it. */
#define S_ZONEINFO "/usr/share/zoneinfo"

/*
 * An IANA zone name as the database spells them ("Asia/Shanghai",
 * "America/Argentina/Buenos_Aires", "Etc/GMT+8"): segments of letters,
 * digits, '_', '+' and '-', each starting with a letter, joined by single
 * '/'. So never absolute, never "." or "..", never empty.
 */
static int S_zone_name_ok(const char *s)
{
	size_t i, n = strlen(s);
	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (i == 0 || s[i - 1] == '/') {
			if (!letter)
				return 0;
		} else if (!(letter || (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '-' ||
			     (c == '/' && i + 1 < n))) {
			return 0;
		}
	}
	return 1;
}

/*
 * The file of zone name in the database, absolute (caller frees), or NULL.
 * Links inside the database are followed (Debian makes old names links to
 * new ones), but the file must stay inside it, be a regular file and start
 * like a zone file (the database also holds zone.tab and the like): what a
 * link out of it names, a device or a FIFO is never opened.
 */
static char *S_zone_file(const char *name)
{
	struct buf b = BUF_INIT;
	char *root = realpath(S_ZONEINFO, NULL), *file = NULL;
	char magic[4];
	struct stat st;
	int fd = -1, ok = 0;

	buf_printf(&b, "%s/%s", S_ZONEINFO, name);
	if (!root || !(file = realpath(b.ptr, NULL)) || !str_starts(file, root) ||
	    file[strlen(root)] != '/' || stat(file, &st) != 0 || !S_ISREG(st.st_mode))
		goto done;
	fd = open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	     read(fd, magic, sizeof(magic)) == (ssize_t)sizeof(magic) && memcmp(magic, "TZif", 4) == 0;
done:
	if (fd >= 0)
		close(fd);
	if (!ok) {
		free(file);
		file = NULL;
	}
	free(root);
	buf_release(&b);
	return file;
}

/* "+08:00", "-05:30": minutes east of UTC in *out. */
static int S_fixed_offset(const char *s, int *out)
{
	int h, m;
	if (strlen(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':')
		return 0;
	if (!(s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' && s[4] >= '0' && s[4] <= '5' &&
	      s[5] >= '0' && s[5] <= '9'))
		return 0;
	h = (s[1] - '0') * 10 + (s[2] - '0');
	m = (s[4] - '0') * 10 + (s[5] - '0');
	if (h > 23)
		return 0;
	*out = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
	return 1;
}

/*
 * timezone: UTC, a fixed offset, or a name the system's zone database
 * holds. The name reaches TZ only as the checked file's absolute path, so
 * no value can make the C library open a device, a file elsewhere or
 * silently fall back to UTC.
 */
static int S_timezone(struct config *cfg, const char *path, const struct ynode *root)
{
	const struct ynode *v = ynode_get(root, "timezone");
	if (!v)
		return 0;
	if (S_want(path, v, YNODE_SCALAR, "timezone", "a string"))
		return -1;
	cfg->timezone = v->str;
	cfg->tz_set = 1;
	if (strcmp(v->str, "UTC") == 0 || S_fixed_offset(v->str, &cfg->tz_fixed_min))
		return 0;
	if (strlen(v->str) == v->len && S_zone_name_ok(v->str) && (cfg->tz_file = S_zone_file(v->str)))
		return 0;
	diag_error(path, v->line, v->col,
		   "'timezone' must be UTC, a fixed offset like +08:00, or a time zone of the system's "
		   "database (" S_ZONEINFO ") like Asia/Shanghai");
	return -1;
}

static int S_load_root(struct config *cfg, const char *path, const struct ynode *root)
{
	const struct ynode *v;
	long long paginate = cfg->paginate;
	int rc = 0;

	if (S_known_keys(path, root, "site.yaml", S_top_keys))
		rc = -1;
	if (S_string(path, root, "title", &cfg->title) ||
	    S_string(path, root, "description", &cfg->description) || S_timezone(cfg, path, root) ||
	    S_base_url(cfg, path, root) || S_int(path, root, "paginate", 1, 10000, &paginate))
		rc = -1;
	if (S_bool(path, root, "social_cards", &cfg->social_cards) ||
	    S_bool(path, root, "person_posters", &cfg->person_posters))
		rc = -1;
	cfg->paginate = (int)paginate;
	if ((v = ynode_get(root, "languages")) && S_languages(cfg, path, v))
		rc = -1;
	if ((v = ynode_get(root, "repo")) && S_repo(cfg, path, v))
		rc = -1;
	if ((v = ynode_get(root, "taxonomies")) && S_taxonomies(cfg, path, v))
		rc = -1;
	if ((v = ynode_get(root, "markdown")) && S_markdown(cfg, path, v))
		rc = -1;
	if ((v = ynode_get(root, "translations")) && S_translations(cfg, path, v))
		rc = -1;
	if ((v = ynode_get(root, "limits")) && S_limits(cfg, path, v))
		rc = -1;
	if ((v = ynode_get(root, "links")) && S_links(cfg, path, v))
		rc = -1;
	if ((v = ynode_get(root, "types")) && !S_want(path, v, YNODE_MAP, "types", "a mapping"))
		cfg->types = v;
	else if (v)
		rc = -1;
	if ((v = ynode_get(root, "contributors")) && !S_want(path, v, YNODE_MAP, "contributors", "a mapping"))
		cfg->contributors = v;
	else if (v)
		rc = -1;
	if ((v = ynode_get(root, "categories")) && !S_want(path, v, YNODE_SEQ, "categories", "a list"))
		cfg->categories = v;
	else if (v)
		rc = -1;
	return rc;
}

/*
 * A code in BCP 47's conventional case: the language lower case, a
 * four-letter script title case, a two-letter region upper case ("zh-cn"
 * -> "zh-CN", "zh-hant-tw" -> "zh-Hant-TW"); Hugo sites write them lower
 * case, which URLs and file names keep.
 */
static void S_lang_tag(char *out, const char *code)
{
	size_t i = 0, start = 0, n = strlen(code);

	for (i = 0; i <= n; i++) {
		if (i < n && code[i] != '-')
			continue;
		for (size_t k = start; k < i; k++) {
			char c = code[k];
			int upper = start > 0 && (i - start == 2 || (i - start == 4 && k == start));
			out[k] = upper ? (char)toupper((unsigned char)c) : (char)tolower((unsigned char)c);
		}
		if (i < n)
			out[i] = '-';
		start = i + 1;
	}
	out[n] = '\0';
}

static struct lang S_default_lang = { .code = "en", .name = "English", .is_default = 1 };

int config_load(struct config *out, const char *path, const char *src, size_t len)
{
	int rc = 0;
	size_t i;

	S_defaults(out);
	if (src) {
		if (yaml_load(&out->root, path, src, len, 0, NULL))
			return -1;
		if (out->root && out->root->kind != YNODE_MAP) {
			diag_error(path, out->root->line, out->root->col,
				   "site.yaml must be a mapping of settings (title: ..., languages: ...)");
			rc = -1;
		} else if (out->root) {
			rc = S_load_root(out, path, out->root);
		}
	}
	if (out->nlangs == 0) {
		free(out->langs);
		out->langs = xmalloc(sizeof(*out->langs));
		out->langs[0] = S_default_lang;
		out->nlangs = 1;
	}
	for (i = 0; i < out->nlangs; i++) {
		struct lang *l = &out->langs[i];
		S_lang_tag(l->tag, l->code);
		if (l->is_default)
			out->default_lang = l;
		else
			snprintf(l->prefix, sizeof(l->prefix), "%s/", l->code);
	}
	return rc;
}

void config_release(struct config *cfg)
{
	free(cfg->langs);
	free(cfg->taxonomies);
	free(cfg->tz_file);
	while (cfg->nelsewhere)
		free((char *)cfg->elsewhere[--cfg->nelsewhere].path);
	free(cfg->elsewhere);
	ynode_free(cfg->root);
	memset(cfg, 0, sizeof(*cfg));
}

const struct lang *config_lang(const struct config *cfg, const char *code, size_t len)
{
	size_t i;
	for (i = 0; i < cfg->nlangs; i++)
		if (strlen(cfg->langs[i].code) == len && memcmp(cfg->langs[i].code, code, len) == 0)
			return &cfg->langs[i];
	return NULL;
}

const char *config_lang_near(const struct config *cfg, const char *code, size_t len)
{
	struct suggest s = SUGGEST_INIT;
	char *typo = xstrndup(code, len);
	const char *r;
	size_t i;
	for (i = 0; i < cfg->nlangs; i++)
		suggest_add(&s, cfg->langs[i].code, cfg->langs[i].code);
	r = suggest_best(&s, typo);
	suggest_release(&s);
	free(typo);
	return r;
}

char *config_zone_file(const char *name)
{
	return S_zone_name_ok(name) ? S_zone_file(name) : NULL;
}
