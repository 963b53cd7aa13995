/*
 * media: every file the site publishes as it is — the theme's assets and
 * the files beside the Markdown (a bundle's photos and slides). It decides
 * where each one goes, refuses what must not be published, reads image
 * sizes from the file headers, and writes each file once.
 *
 * Where a file goes: a bundle is a folder with an index.md (or index.LANG.md)
 * that is an item; every other file under that folder, subfolders included,
 * belongs to it and is published beside the item's page, keeping its path
 * under the folder: content/events/2024-hz/photos/1.jpg -> events/SLUG/photos/1.jpg,
 * where SLUG is the item's slug (its default-language page; else its first
 * translation in site.yaml order). Translations use the same file, so it is
 * written once. A file in no bundle keeps its path under content/ (under
 * content/LANG/ with the dir layout, and then under the language's prefix).
 * Dotfiles (.gitkeep) never get here: the source reader leaves them out.
 * The URLs stay stable while the file changes, so slides shared by link
 * keep working after a speaker fixes a typo.
 */
#ifndef JIXIA_MEDIA_H
#define JIXIA_MEDIA_H

#include <stddef.h>

#include "model.h"
#include "plan.h"
#include "theme.h"
#include "util.h"
#include "write.h"

struct media_file {
	const char *src_path; /* "content/events/x/photo.jpg", "assets/style.css" */
	const char *data;     /* the bytes (borrowed from the source or the theme) */
	size_t len;
	const struct page *bundle; /* the page whose bundle holds the file, or NULL */
	const char *out_path;      /* "events/x/photo.jpg"; NULL when not published (the
	                           bundle's item is a draft; dotfiles never get here) */
	const char *href;          /* out_path under the base path, percent-encoded; NULL likewise */
	int width, height;         /* an image's size in pixels, 0 when not an image or unreadable */
};

struct media {
	struct media_file *v; /* sorted by src_path */
	size_t n;
	struct media_file **by_out; /* the published ones, sorted by out_path */
	size_t nout;
	struct arena arena;
};

/*
 * Plans every file: the theme's assets (the plan's assets slice,
 * repository overrides applied) and each file under content/ that is not
 * Markdown. Reports, at the file: one over limits.media_bytes, a Git LFS
 * pointer instead of the file, HTML or an
 * SVG with scripts (they would run on the portal's own origin; allowed when
 * site.yaml trusts its Markdown with raw HTML), a file named index.html or
 * one whose output another output of the site already uses (a page, a list,
 * a feed, a calendar, the search index, another file). Returns 0 or -1.
 * Release with media_release().
 */
int media_plan(struct media *m, const struct site *site, const struct plan *plan);

/*
 * What in the SVG s (n bytes) could run as script when the file is opened
 * by itself, as the words an error names it by ("<script", "an on...=
 * event handler"...), or NULL for none. One pass over the bytes; *steps,
 * when steps is not NULL, is how many bytes it looked at, for the tests
 * that keep it linear.
 */
const char *media_svg_active(const char *s, size_t n, size_t *steps);

/* The file at source path (n bytes of path), or NULL. */
const struct media_file *media_by_source(const struct media *m, const char *path, size_t n);

/* The published file at output path (n bytes of path), or NULL. */
const struct media_file *media_by_output(const struct media *m, const char *path, size_t n);

/* Writes every published file, once, on nthreads threads. 0 or -1. */
int media_write(const struct media *m, struct output *out, int nthreads, size_t *files_out);

void media_release(struct media *m);

#endif
