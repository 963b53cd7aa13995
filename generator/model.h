/*
 * model: the site as every later stage sees it. Built single-threaded from
 * the parsed pages, then frozen: render, index and write read it from many
 * threads at once and never change it. Strings here live in the site's
 * arena or in the source buffers and last as long as the site.
 */
#ifndef JIXIA_MODEL_H
#define JIXIA_MODEL_H

#include <limits.h>
#include <stddef.h>

#include "config.h"
#include "source.h"
#include "types.h"
#include "util.h"
#include "yaml.h"

struct page;

/* A front-matter value checked against its field. */
struct fval {
	const struct ynode *node; /* the value (front matter or default), NULL when absent */
	long long num;            /* INT, BOOL (0/1), DATE (days since 1970), DATETIME (seconds), ENUM index */
	struct page **refs;       /* REF (one) or LIST of REF: the pages, in the referring page's
	                             language when that translation exists (arena) */
	size_t nrefs;
};

/* One reference into a page: from.field names it. */
struct backref {
	struct page *from;
	const struct field *field;
};

/* A taxonomy term in one language, with the pages that carry it. */
struct term {
	const char *taxonomy; /* "tags" */
	const char *slug;     /* URL segment, Unicode-folded */
	const char *name;     /* as first written (or the referenced page's title) */
	const struct lang *lang;
	struct page **pages;  /* sorted like lists: newest first, then by title */
	size_t n;
	const char *href;     /* "/tags/vacuum/" under the base path */
	const char *out_path;
};

struct page {
	const struct source_file *src; /* the Markdown file (borrowed from source) */
	const char *path;     /* src->path, "content/talks/x.en.md" */
	const char *section;  /* type folder ("talks"), "" for top-level pages */
	const char *id;       /* path under the folder, no .md, no language: "tutorial/install" */
	const struct lang *lang; /* language of this file */
	const char *slug;     /* from slug: or the id */
	const char *url;      /* site-relative URL with leading and trailing '/': "/en/talks/x/" */
	const char *out_path; /* file under the output root: "en/talks/x/index.html" */
	const char *href;     /* url under the base path of base_url: "/sub/en/talks/x/" */
	const char *permalink; /* absolute: base_url + url ("https://example.org/sub/en/talks/x/") */

	/* Filled by the parse stage (one worker owns the page while parsing). */
	struct ynode *front;  /* front matter mapping, NULL when there is none */
	int body_line;        /* 1-based line where the Markdown body starts */
	char *html;           /* rendered body (trusted HTML), malloc'd; headings carry ids */
	size_t html_len;
	char *toc;            /* table of contents (trusted HTML: nested <ul> of h2/h3
	                         links to the heading ids), malloc'd; NULL when fewer than 2 headings */
	char *summary;        /* plain text of the first paragraph, at most 200 characters
	                         (cut at a UTF-8 boundary, "…" appended when cut), malloc'd */
	int reading_minutes;  /* at least 1: CJK characters / 400 + other words / 200, rounded up */
	int failed;           /* parse reported an error: left out of the site */

	/* Filled by the model stage. */
	const struct type *type; /* NULL for pages outside the type folders */
	struct fval *vals;    /* per type->fields, in the arena */
	const char *title;    /* the type's title field, or title:, or the id */
	long long date;       /* days since 1970 of the date field, or LLONG_MIN */
	long long weight;     /* the weight field, 0 when absent */
	struct backref *in;   /* references to this page from pages of its language */
	size_t nin;
	const struct term **terms; /* the taxonomy terms this page carries, by taxonomy then slug */
	size_t nterms;
	int draft;
	struct page *next_translation; /* ring of the same item in other languages */
	struct page *prev, *next; /* docs: neighbours in the tree's reading order (lists stage) */
};

struct site {
	struct config *cfg;
	const struct source *src;
	struct types types;
	struct page *pages;  /* every content page, sorted by path */
	size_t npages;
	struct arena arena;  /* strings of the model */
	const char *root;    /* path part of base_url, with both slashes: "/" or "/sub/" */
	long long now;       /* build time: --now, SOURCE_DATE_EPOCH, or -1 when unknown */
	long long today;     /* days since 1970 of now in the site's time zone (LLONG_MAX when unknown) */
	long tz_offset_min;  /* the site time zone's offset from UTC at now */
	struct backref *edges; /* every resolved reference, grouped by target */
	size_t nedges;
	struct page **items; /* every page sorted by section, id, language (for lookups) */
	struct term *terms;  /* sorted by language, taxonomy, slug */
	size_t nterms;
	int drafts;          /* --drafts: keep draft pages */
};

/*
 * Collects the Markdown files under content/ from src into site->pages
 * (section, id, language, slug, URL; no parsing yet). Reports unusable file
 * names. Returns 0 or -1.
 */
int model_collect(struct site *site);

/*
 * After parsing: types and field checks, titles, drafts, translation rings,
 * duplicate URLs, references and back-references, taxonomy terms. Reports
 * every problem; returns 0 or -1.
 */
int model_link(struct site *site);

/*
 * A URL segment from free text: Unicode NFKC case-folded, letters and
 * digits kept, everything else runs into one '-'. "" when nothing is left.
 * In the site's arena.
 */
const char *model_slugify(struct site *site, const char *text);

/*
 * The item (section folder, id) in language lang, else in the default
 * language, else in any; NULL when there is no such item.
 */
struct page *model_find(const struct site *site, const char *folder, const char *id,
			const struct lang *lang);

/* qsort order of page pointers in lists: newest first, then title, then path. */
int model_list_cmp(const void *a, const void *b);

/*
 * A slug: segments of letters, digits, '-' and '_' (non-ASCII UTF-8
 * letters too) joined by '/'; never ".", "..", empty or absolute.
 */
int model_slug_ok(const char *s);

/* The value of field name on pg, or NULL when pg's type has no such field. */
const struct fval *page_value(const struct page *pg, const char *name);

/* root + url without its leading '/', in the site's arena. */
const char *model_href(struct site *site, const char *url);

/* Frees the pages and the arena; cfg and src are not owned. */
void model_release(struct site *site);

#endif
