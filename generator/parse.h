/*
 * parse: one Markdown file into front matter (a YAML tree), body HTML and
 * what is read off the body (table of contents, summary, reading time).
 * Runs on the worker threads, one page per call; it touches only that page
 * and the worker's own state.
 */
#ifndef JIXIA_PARSE_H
#define JIXIA_PARSE_H

#include <stddef.h>

#include "model.h"

/*
 * Where the front matter and the body are in a file. A file that does not
 * start with a "---" line (after an optional UTF-8 BOM) has no front matter.
 */
struct fm_split {
	const char *fm; /* the YAML between the fences, or NULL */
	size_t fm_len;
	int fm_line; /* 1-based line of the YAML's first line */
	const char *body;
	size_t body_len;
	int body_line; /* 1-based line of the body's first line */
};

/*
 * Splits src. The fences are "---" lines (trailing spaces and CR allowed);
 * the closing one may also be "...". Returns 0, or -1 after reporting an
 * unterminated front matter at its opening line.
 */
int fm_split(struct fm_split *out, const char *path, const char *src, size_t len);

/* Registers cmark-gfm's extensions; call before any thread parses (again: nothing). */
void parse_init(void);

/*
 * 1 when documents finish on many threads at once (parse.c keeps cmark-gfm's
 * special characters in place), 0 when one thread at a time does.
 */
int parse_finish_shared(void);

struct theme;

/*
 * The theme whose UI strings label callouts ("> [!NOTE]") in each page's
 * language; NULL (the default) labels them in English. Borrowed until the
 * next call; set it before the threads parse, not while they do.
 */
void parse_set_theme(const struct theme *theme);

/*
 * Renders Markdown to HTML with the GFM extensions (table, strikethrough,
 * autolink, tagfilter, tasklist) and footnotes. Raw HTML and unsafe link
 * schemes are dropped unless unsafe. Headings get no ids (fragments from
 * several calls could collide); parse_page adds them. Caller frees the
 * result.
 */
char *markdown_to_html(const char *md, size_t len, int unsafe, size_t *out_len);

/*
 * Parses one page: front matter into page->front; the body, parsed once,
 * into page->html (rendered as markdown_to_html does, each heading with a
 * page-unique id), page->toc, page->summary (front matter summary: wins)
 * and page->reading_minutes. Problems are reported through diag;
 * page->failed is set on errors.
 */
void parse_page(struct page *page, const struct config *cfg);

#endif
