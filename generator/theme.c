/*
 * theme: merges the repository's layouts/ and assets/ over the embedded
 * default theme, path by path, and compiles the templates once. After
 * loading the theme is read-only and shared by every render worker.
 */
#include "theme.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "util.h"

/* One file of the merged theme; src wins over the embedded table. */
struct theme_entry {
	const char *path;
	const char *data;
	size_t len;
};

static int S_entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct theme_entry *)a)->path, ((const struct theme_entry *)b)->path);
}

/* Every file under layouts/ and assets/, the repository's taking precedence. */
static struct theme_entry *S_merge(const struct source *src, size_t *count)
{
	size_t cap = 16, n = 0, i, first, k;
	struct theme_entry *v = xmalloc(cap * sizeof(*v));
	static const char *const roots[] = { "layouts/", "assets/" };

	for (k = 0; k < 2; k++) {
		size_t m = source_prefix(src, roots[k], &first);
		for (i = first; i < first + m; i++) {
			ARRAY_GROW(v, n, cap, 16);
			v[n].path = src->files[i].path;
			v[n].data = src->files[i].data;
			v[n].len = src->files[i].len;
			n++;
		}
	}
	for (i = 0; theme_files[i].path; i++) {
		if (source_find(src, theme_files[i].path))
			continue;
		ARRAY_GROW(v, n, cap, 16);
		v[n].path = theme_files[i].path;
		v[n].data = (const char *)theme_files[i].data;
		v[n].len = theme_files[i].len;
		n++;
	}
	qsort(v, n, sizeof(*v), S_entry_cmp);
	*count = n;
	return v;
}

/* "layouts/partials/header.html" -> "header"; NULL when not a template. */
static char *S_template_name(const char *path)
{
	const char *rest = path + strlen("layouts/");
	if (!str_ends(rest, ".html"))
		return NULL;
	if (str_starts(rest, "partials/"))
		rest += strlen("partials/");
	if (strchr(rest, '/'))
		return NULL;
	return xstrndup(rest, strlen(rest) - strlen(".html"));
}

/* Keys in bytewise order, a prefix first. */
static int S_key_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t m = an < bn ? an : bn;
	int c = m ? memcmp(a, b, m) : 0;
	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

static int S_string_cmp(const void *a, const void *b)
{
	const struct ynode *x = ((const struct theme_string *)a)->key;
	const struct ynode *y = ((const struct theme_string *)b)->key;
	return S_key_cmp(x->str, x->len, y->str, y->len);
}

/* The string of key in s, or NULL (keys are unique: the YAML loader refuses duplicates). */
static const struct theme_string *S_find(const struct theme_strings *s, const char *key, size_t keylen)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = S_key_cmp(s->v[mid].key->str, s->v[mid].key->len, key, keylen);
		if (c == 0)
			return &s->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The length of code's base language: "zh" of "zh-cn"; the whole code when it has no region. */
static size_t S_base_len(const char *code)
{
	return strcspn(code, "-");
}

/* The site's language whose code is name, in any letter case ("zh-CN.yaml" for zh-cn), or NULL. */
static const struct lang *S_lang_named(const struct config *cfg, const char *name, size_t n)
{
	size_t i;
	for (i = 0; i < cfg->nlangs; i++)
		if (strlen(cfg->langs[i].code) == n && strncasecmp(cfg->langs[i].code, name, n) == 0)
			return &cfg->langs[i];
	return NULL;
}

/*
 * The strings lang falls back to before the default language's: its base
 * language's ("zh" for "zh-cn"), declared by the site or not; NULL when the
 * code has no region.
 */
static const struct theme_strings *S_base(const struct theme *t, const struct config *cfg, size_t lang)
{
	const char *code = cfg->langs[lang].code;
	size_t n = S_base_len(code);
	const struct lang *b;

	if (!code[n])
		return NULL;
	if ((b = S_lang_named(cfg, code, n)) != NULL)
		return &t->i18n[b - cfg->langs];
	return &t->base[lang];
}

/* Reads one strings file into s. Returns 0 or -1. */
static int S_read_strings(struct theme_strings *s, const struct theme_entry *e)
{
	size_t k;
	struct ynode *doc = NULL;
	int rc = 0;

	if (yaml_load(&doc, e->path, e->data, e->len, 0, NULL))
		return -1;
	if (doc && doc->kind != YNODE_MAP) {
		diag_error(e->path, doc->line, doc->col, "UI strings must be a mapping of key: text");
		ynode_free(doc);
		return -1;
	}
	for (k = 0; doc && k + 1 < doc->n; k += 2)
		if (doc->kids[k]->len > THEME_KEY_MAX) {
			diag_error(
				e->path, doc->kids[k]->line, doc->kids[k]->col,
				"UI string key is longer than %d bytes (keys are short names like 'read_more')",
				THEME_KEY_MAX);
			rc = -1;
		}
	if (rc) {
		ynode_free(doc);
		return -1;
	}
	s->doc = doc;
	s->n = doc ? doc->n / 2 : 0;
	s->v = xcalloc(s->n ? s->n : 1, sizeof(*s->v));
	for (k = 0; k < s->n; k++) {
		s->v[k].key = doc->kids[2 * k];
		s->v[k].text = doc->kids[2 * k + 1];
	}
	qsort(s->v, s->n, sizeof(*s->v), S_string_cmp);
	return 0;
}

/*
 * layouts/i18n/NAME.yaml: the strings of the site's language NAME, or of
 * the base language NAME of the site's regional ones ("zh" for zh-cn and
 * zh-tw) when the site does not declare NAME itself; else unused.
 */
static int S_load_i18n(struct theme *t, const struct config *cfg, const struct theme_entry *e)
{
	const char *name = e->path + strlen("layouts/i18n/");
	size_t n = strlen(name) - strlen(".yaml"), i;
	const struct lang *l = S_lang_named(cfg, name, n);
	int rc = 0;

	if (l)
		return S_read_strings(&t->i18n[l - cfg->langs], e);
	for (i = 0; i < cfg->nlangs; i++) {
		const char *code = cfg->langs[i].code;
		if (code[S_base_len(code)] && S_base_len(code) == n && strncasecmp(code, name, n) == 0 &&
		    !t->base[i].doc && S_read_strings(&t->base[i], e))
			rc = -1;
	}
	return rc;
}

/*
 * A plural form: the language declares which forms it has by the keys it
 * writes. KEY_other is every count's form, KEY_one the form for 1 where
 * the language has one; a language with KEY_other and no KEY_one (Chinese)
 * has one form for every count, so its KEY_one is absent rather than the
 * default language's.
 */
static int S_one_form(const struct theme_strings *s, const char *key, size_t keylen)
{
	char other[THEME_KEY_MAX + sizeof("_other")];

	if (keylen < 4 || memcmp(key + keylen - 4, "_one", 4) != 0 || keylen - 4 > THEME_KEY_MAX)
		return 0;
	memcpy(other, key, keylen - 4);
	memcpy(other + keylen - 4, "_other", 6);
	return S_find(s, other, keylen + 2) != NULL;
}

/* Warns once per key that a language lacks and the default language has. */
static void S_check_i18n(const struct theme *t, const struct config *cfg)
{
	size_t d = (size_t)(cfg->default_lang - cfg->langs), i, k;
	const struct ynode *def = t->i18n[d].doc;
	if (!def)
		return;
	for (i = 0; i < cfg->nlangs; i++) {
		const struct theme_strings *own = &t->i18n[i], *base = S_base(t, cfg, i);
		if (i == d)
			continue;
		if (!own->doc && (!base || !base->doc)) {
			/* no strings at all: one warning, not one per string */
			diag_warn(NULL, 0, 0,
				  "no UI strings for language '%s' (layouts/i18n/%s.yaml%s%.*s%s); using %s",
				  cfg->langs[i].code, cfg->langs[i].code, base ? " or " : "",
				  base ? (int)S_base_len(cfg->langs[i].code) : 0, cfg->langs[i].code,
				  base ? ".yaml" : "", cfg->default_lang->code);
			continue;
		}
		for (k = 0; k + 1 < def->n; k += 2) {
			const struct ynode *key = def->kids[k];
			const struct theme_strings *b = S_base(t, cfg, i);
			if (S_find(&t->i18n[i], key->str, key->len) ||
			    S_one_form(&t->i18n[i], key->str, key->len))
				continue;
			/* a regional language takes its base's strings, without a word */
			if (b && (S_find(b, key->str, key->len) || S_one_form(b, key->str, key->len)))
				continue;
			diag_warn(
				NULL, 0, 0,
				"UI string '%s' is missing for language '%s' (layouts/i18n/%s.yaml); using %s",
				key->str, cfg->langs[i].code, cfg->langs[i].code, cfg->default_lang->code);
		}
	}
}

/*
 * Hugo's templates are Go's text/template, written with the same braces as
 * Mustache: a Hugo repository's layouts/ would give one Mustache error per
 * tag ("tag name 'range .Pages' contains whitespace"). These are what only
 * Go writes: trim markers ("{{-", "-}}"), comments ("{{/" and a star), variables
 * (":=", "$"), fields (".Site"), and its actions followed by an argument.
 */
static int S_go_tag(const char *t, size_t n)
{
	static const char *const actions[] = { "define", "template", "block", "partial", "partialCached",
					       "range",  "with",     "if",    "else if", "return",
					       "printf", "i18n",     "T",     NULL };
	const char *const *a;
	size_t k;

	if (n && (t[0] == '-' || t[n - 1] == '-'))
		return 1;
	while (n && (*t == ' ' || *t == '\t')) {
		t++;
		n--;
	}
	/* not "$" alone: "{{$block}}" is Mustache's inheritance */
	if (n >= 2 && ((t[0] == '/' && t[1] == '*') || (t[0] == '$' && t[1] == '.') ||
		       (t[0] == '.' && t[1] >= 'A' && t[1] <= 'Z')))
		return 1;
	for (k = 0; k + 1 < n; k++)
		if (t[k] == ':' && t[k + 1] == '=')
			return 1;
	for (a = actions; *a; a++) {
		size_t m = strlen(*a);
		if (n > m + 1 && memcmp(t, *a, m) == 0 && (t[m] == ' ' || t[m] == '\t'))
			return 1;
	}
	return 0;
}

/* 1 when the file looks like a Go template; its first sign's line:col in *line, *col. */
static int S_is_go(const char *path, const char *data, size_t len, int *line, int *col)
{
	size_t i, j;
	int l = 1, c = 1;

	*line = 1;
	*col = 1;
	for (i = 0; i + 1 < len; i++) {
		if (data[i] == '\n') {
			l++;
			c = 1;
			continue;
		}
		if (((unsigned char)data[i] & 0xC0) != 0x80)
			c++;
		if (data[i] != '{' || data[i + 1] != '{')
			continue;
		for (j = i + 2; j + 1 < len && j < i + 2 + 256 && !(data[j] == '}' && data[j + 1] == '}');
		     j++)
			;
		if (j + 1 < len && data[j] == '}' && S_go_tag(data + i + 2, j - i - 2)) {
			*line = l;
			*col = c - 1;
			return 1;
		}
	}
	return str_ends(path, "/baseof.html"); /* Hugo's base template, by name */
}

/*
 * The repository's layouts/ holds Go templates (a Hugo site's): one error
 * at the first, that says what they are and what to do, rather than a
 * Mustache error per tag of every file. Returns the number of such files;
 * they are not compiled.
 */
static size_t S_hugo_layouts(const struct source *src, const char **first, int *line, int *col)
{
	size_t i, f, m = source_prefix(src, "layouts/", &f), n = 0;
	int l, c;

	for (i = f; i < f + m; i++) {
		const struct source_file *sf = &src->files[i];
		if (!str_ends(sf->path, ".html") || !S_is_go(sf->path, sf->data, sf->len, &l, &c))
			continue;
		if (!n++) {
			*first = sf->path;
			*line = l;
			*col = c;
		}
	}
	return n;
}

/* 1 when e is a file of the repository that looks like a Go template. */
static int S_skip_go(const struct source *src, const struct theme_entry *e)
{
	const struct source_file *sf = source_find(src, e->path);
	int l, c;
	return sf && sf->data == e->data && S_is_go(sf->path, sf->data, sf->len, &l, &c);
}

int theme_load(struct theme *out, const struct source *src, const struct config *cfg)
{
	size_t n, i, na = 0, ngo;
	struct theme_entry *v = S_merge(src, &n);
	const char *go = NULL;
	int rc = 0, go_line = 0, go_col = 0;

	memset(out, 0, sizeof(*out));
	out->set = mu_set_new(1);
	out->i18n = xcalloc(cfg->nlangs, sizeof(*out->i18n));
	out->base = xcalloc(cfg->nlangs, sizeof(*out->base));
	out->ni18n = cfg->nlangs;
	out->assets = xcalloc(n ? n : 1, sizeof(*out->assets));
	if ((ngo = S_hugo_layouts(src, &go, &go_line, &go_col)) > 0) {
		diag_error(
			go, go_line, go_col,
			"this looks like a Hugo (Go) template; jixia uses Mustache: see README 'Moving from "
			"Hugo' (%zu file%s in layouts/ like this; move them out of layouts/ or rewrite them)",
			ngo, ngo == 1 ? "" : "s");
		rc = -1;
	}
	for (i = 0; i < n; i++) {
		const struct theme_entry *e = &v[i];
		char *name;
		if (str_starts(e->path, "assets/")) {
			if (source_name_unseen(e->path)) {
				rc = -1;
				continue;
			}
			out->assets[na].path = e->path;
			out->assets[na].data = e->data;
			out->assets[na].len = e->len;
			na++;
		} else if (str_starts(e->path, "layouts/i18n/") && str_ends(e->path, ".yaml")) {
			if (S_load_i18n(out, cfg, e))
				rc = -1;
		} else if (ngo && S_skip_go(src, e)) {
			continue;
		} else if ((name = S_template_name(e->path)) != NULL) {
			if (mu_set_has(out->set, name)) {
				diag_error(e->path, 0, 0,
					   "template name '%s' is used by a layout and a partial", name);
				rc = -1;
			} else if (mu_set_add(out->set, name, e->path, e->data, e->len)) {
				rc = -1;
			}
			free(name);
		}
	}
	out->nassets = na;
	free(v);
	if (rc == 0 && mu_set_check(out->set))
		rc = -1;
	S_check_i18n(out, cfg);
	return rc;
}

void theme_release(struct theme *t)
{
	size_t i;
	mu_set_free(t->set);
	for (i = 0; i < t->ni18n; i++) {
		ynode_free(t->i18n[i].doc);
		free(t->i18n[i].v);
		ynode_free(t->base[i].doc);
		free(t->base[i].v);
	}
	free(t->i18n);
	free(t->base);
	free(t->assets);
	memset(t, 0, sizeof(*t));
}

const char *theme_string(const struct theme *t, const struct config *cfg, size_t lang, const char *key,
			 size_t keylen)
{
	size_t d = (size_t)(cfg->default_lang - cfg->langs), pass;
	const struct theme_strings *chain[3];

	chain[0] = &t->i18n[lang];
	chain[1] = S_base(t, cfg, lang);
	chain[2] = &t->i18n[d];
	for (pass = 0; pass < 3; pass++) {
		const struct theme_string *s;
		if (!chain[pass])
			continue;
		s = S_find(chain[pass], key, keylen);
		if (s && s->text->kind == YNODE_SCALAR)
			return s->text->str;
		/* one form for every count: no KEY_one from a language that has one */
		if (pass < 2 && S_one_form(chain[pass], key, keylen))
			return NULL;
	}
	return NULL;
}

const char *theme_plural(const struct theme *t, const struct config *cfg, size_t lang, const char *key,
			 size_t count)
{
	char k[THEME_KEY_MAX + sizeof("_other")];
	size_t n = strlen(key);
	const char *s;

	if (n > THEME_KEY_MAX)
		return NULL;
	memcpy(k, key, n);
	if (count == 1) {
		memcpy(k + n, "_one", 4);
		if ((s = theme_string(t, cfg, lang, k, n + 4)) != NULL)
			return s;
	}
	memcpy(k + n, "_other", 6);
	return theme_string(t, cfg, lang, k, n + 6);
}
