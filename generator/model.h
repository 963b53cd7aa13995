/*
 * model: the site as every later stage sees it. Built single-threaded from
 * the parsed pages, then frozen: render, index and write read it from many
 * threads at once and never change it. Strings here live in the site's
 * arena or in the source buffers and last as long as the site.
 */
#ifndef JIXIA_MODEL_H
#define JIXIA_MODEL_H

#include <stddef.h>

#include "config.h"
#include "source.h"
#include "util.h"
#include "yaml.h"

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

	/* Filled by the parse stage (one worker owns the page while parsing). */
	struct ynode *front;  /* front matter mapping, NULL when there is none */
	int body_line;        /* 1-based line where the Markdown body starts */
	char *html;           /* rendered body (trusted HTML), malloc'd */
	size_t html_len;
	int failed;           /* parse reported an error: left out of the site */

	/* Filled by the model stage. */
	const char *title;    /* front matter title: (or name: for people), or the id */
	int draft;
	struct page *next_translation; /* ring of the same item in other languages */
};

struct site {
	struct config *cfg;
	const struct source *src;
	struct page *pages;  /* every content page, sorted by path */
	size_t npages;
	struct arena arena;  /* strings of the model */
	const char *root;    /* path part of base_url, with both slashes: "/" or "/sub/" */
	long long now;       /* build time: --now, SOURCE_DATE_EPOCH, or 0 when unknown */
	int drafts;          /* --drafts: keep draft pages */
};

/*
 * Collects the Markdown files under content/ from src into site->pages
 * (section, id, language, slug, URL; no parsing yet). Reports unusable file
 * names. Returns 0 or -1.
 */
int model_collect(struct site *site);

/*
 * After parsing: titles, drafts, translation rings, duplicate URLs. Reports
 * every problem; returns 0 or -1.
 */
int model_link(struct site *site);

/* root + url without its leading '/', in the site's arena. */
const char *model_href(struct site *site, const char *url);

/* Frees the pages and the arena; cfg and src are not owned. */
void model_release(struct site *site);

#endif
