/*
 * rerender: between the builds of one serve session (struct incr), render
 * again only the HTML outputs whose inputs changed.
 *
 * What an output may read is split in two. The site's global digest holds
 * everything that is not one page's own: site.yaml, the theme and i18n,
 * every file but the bodies of the pages' Markdown (front matter, intros,
 * media), the plan's outputs, the listings and terms, the contributors,
 * the build day, and each page's flags that lists read (draft, expired,
 * open, call). A page's fingerprint holds what only it has: its Markdown
 * file, its history (dates, authors, commits, outdated status) and
 * whether it has ended. Each render records the pages it read (render.c
 * calls rerender_read where a template reads a page); the next build
 * shares the last site's file for an output when the global digest is
 * the same and so is the fingerprint of every page it read. Anything else
 * renders: a change to site.yaml, a layout, i18n, any front matter or the
 * plan's shape renders every output. /l10n/, /help-wanted/ and the home
 * page also compare a digest of the site-wide part they show (translation
 * status, help wanted); the outputs of other site-wide data (contributors,
 * search, insights, the years, 404) render every time.
 */
#ifndef JIXIA_RERENDER_H
#define JIXIA_RERENDER_H

#include <stddef.h>
#include <stdint.h>

#include "incr.h"

struct lists;
struct memsite;
struct memsite_file;
struct page;
struct plan;
struct plan_output;
struct site;

/* What one output read while it rendered, or kept from the build before. */
struct rerender_job {
	size_t *pages; /* indices into site->pages, as read (repeats allowed until rerender_end) */
	size_t n, cap;
	int untracked;       /* read a page no fingerprint covers: render it next time */
	int kept;            /* not rendered: the last site's file was shared */
	unsigned long steps; /* template steps (kept: those of its last render) */
};

/* One render's view of the kept state. Zeroed, it tracks nothing. */
struct rerender {
	struct incr *in; /* NULL: no tracking (a plain build, or a build into a folder) */
	const struct site *site;
	uint64_t global[2];        /* this build's global digest */
	uint64_t part[3][2];       /* the site-wide parts some outputs show: none (0), l10n, help wanted */
	uint64_t (*fp)[2];         /* per site->pages: its fingerprint */
	unsigned char *same;       /* per page of the kept state: its fingerprint holds now */
	size_t *to_new;            /* per page of the kept state: its index in site->pages */
	int reuse;                 /* the global digest holds and the last site is kept */
	struct rerender_job *jobs; /* per HTML output of the plan, in job order */
	size_t njobs;
	size_t rendered, kept; /* outputs rendered and shared, for -v and the tests */
};

/* Adds to a page's fingerprint what render.c computes for it (whether an event has ended). */
typedef void (*rerender_page_fn)(const struct page *pg, struct incr_digest *d, void *payload);

/*
 * Starts tracking for a build into mem with in's state (either NULL: no
 * tracking): the digests of this build, and what the last one kept.
 */
void rerender_begin(struct rerender *r, struct incr *in, const struct memsite *mem, const struct site *site,
		    const struct lists *lists, const struct plan *plan, rerender_page_fn extra,
		    void *payload);

/*
 * The last site's file for job (the plan's HTML output o) when nothing it
 * read changed, else NULL: then it renders and records what it reads.
 */
const struct memsite_file *rerender_kept(struct rerender *r, size_t job, const struct plan_output *o);

/* Job read page pg (any thread; each job is one thread's at a time). */
void rerender_read(struct rerender *r, size_t job, const struct page *pg);

/*
 * At the end of render: when every output rendered (ok) and the names
 * check found nothing (names_clean), what each read becomes the state
 * the next build compares with, once this build is swapped in
 * (rerender_commit); else the next build renders everything.
 */
void rerender_end(struct rerender *r, const struct plan *plan, int ok, int names_clean);
void rerender_release(struct rerender *r);

/* The build into mem succeeded and is served: keeps it and what rerender_end staged. */
void rerender_commit(struct incr *in, struct memsite *mem);

void rerender_state_free(struct rerender_state *s);

#endif
