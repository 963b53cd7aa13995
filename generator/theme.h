/*
 * theme: the default theme (layouts/ and assets/ of jixia's own repository)
 * compiled into the binary, so any content repository builds out of the box.
 * A file of the same path in the repository being built overrides it.
 */
#ifndef JIXIA_THEME_H
#define JIXIA_THEME_H

#include <stddef.h>

struct theme_file {
	const char *path; /* "layouts/page.html", "assets/style.css" */
	const unsigned char *data;
	size_t len;
};

/* Terminated by an entry with path NULL; sorted by path. */
extern const struct theme_file theme_files[];

#include "config.h"
#include "mustache.h"
#include "source.h"
#include "yaml.h"

/* A file of the theme after overrides: the repository's or the embedded one. */
struct theme_asset {
	const char *path; /* "assets/style.css" */
	const char *data; /* borrowed from the source or the embedded table */
	size_t len;
};

/*
 * The longest UI string key. Real keys are short names ("read_more", the
 * longest of the default theme is 20 bytes); a lookup compares keys, so a
 * strings file with keys of megabytes would make each {{t.KEY}} that long.
 */
#define THEME_KEY_MAX 128

/* One UI string: nodes of its language's mapping. */
struct theme_string {
	const struct ynode *key, *text;
};

/* One language's UI strings. */
struct theme_strings {
	struct ynode *doc;      /* the mapping (owned), or NULL */
	struct theme_string *v; /* its entries, sorted by key for binary search */
	size_t n;
};

struct theme {
	struct mu_set *set;         /* layouts and partials, compiled, strict */
	struct theme_strings *i18n; /* per cfg->langs index */
	struct theme_strings *base; /* per cfg->langs index: the strings of its base language ("zh"
	                               for "zh-cn") when the site does not declare that one, else
	                               empty */
	size_t ni18n;               /* cfg->nlangs */
	struct theme_asset *assets; /* sorted by path */
	size_t nassets;
};

/*
 * Loads layouts/X.html (as template "X"), layouts/partials/Y.html (as "Y"),
 * layouts/i18n/LANG.yaml and assets/ from src, each falling back to the
 * embedded theme file of the same path. Reports template and i18n errors
 * (a key over THEME_KEY_MAX bytes is one); a key missing from a language's strings is a warning (the default
 * language's string is used). Returns 0 or -1. Release with theme_release().
 */
int theme_load(struct theme *out, const struct source *src, const struct config *cfg);
void theme_release(struct theme *t);

/*
 * The UI string key in language lang (index into cfg->langs), falling back
 * to its base language ("zh" for "zh-cn": a language of the site, or
 * layouts/i18n/zh.yaml), then to the default language; NULL when none has it. Borrowed. A binary
 * search: a repository's strings file may hold millions of keys.
 */
const char *theme_string(const struct theme *t, const struct config *cfg, size_t lang, const char *key,
			 size_t keylen);

/*
 * The UI string of a sentence with a number in it, in the plural form for
 * count: KEY_one when count is 1 and the language has that form, else
 * KEY_other; each looked up as theme_string does, except that a language
 * with KEY_other but no KEY_one (one form for every count, as Chinese)
 * never takes the default language's KEY_one. NULL when there is none.
 */
const char *theme_plural(const struct theme *t, const struct config *cfg, size_t lang, const char *key,
			 size_t count);
#endif
