/*
 * rerender: between the builds of one serve session (struct incr), render
 * again only the HTML outputs whose inputs changed.
 *
 * Each render records what it read (render.c calls the rerender_read_*
 * functions where a template reads a value): the pages it read and which
 * parts of each (its title, its front matter, its summary, its body, its
 * history, its relations to other pages: rerender_read_as), the listings,
 * terms and contributors it showed, and the site-wide parts (the types'
 * counts, the ranking, translation status, help wanted). Each of those
 * has a digest of its values; the next build shares the last site's file
 * for an output when every digest it read is the same, and so is the
 * site's global digest: what no output's record names and any output may
 * read (site.yaml, the theme and i18n, every file but the pages' own,
 * the set of pages with their URLs, languages and flags, the plan's
 * outputs but the terms', the build day). So a title edit renders the
 * page and the outputs that show its title; a tag edit the pages that
 * show its tags, the term pages and their indexes; a body edit the page
 * and what shows its summary. A page added, removed or renamed, a new
 * year, a layout or site.yaml edit render everything.
 *
 * Correctness before speed: an output is kept only when each thing it
 * could have read is covered by a digest that holds; what reads a page
 * no digest knows renders every time. Every HTML kind of the plan is
 * tracked: the search page and 404 read only what the global digest
 * holds, /contributors/ the ranking, /insights/ and /contributors/YEAR/
 * the insights' numbers (RR_PART_INSIGHTS).
 */
#ifndef JIXIA_RERENDER_H
#define JIXIA_RERENDER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "incr.h"

struct contributor;
struct listing;
struct lists;
struct memsite;
struct memsite_file;
struct page;
struct person_year;
struct plan;
struct plan_output;
struct site;
struct term;

/* The parts of a page an output may read, each under a digest of its own. */
enum {
	RR_TITLE = 1,   /* its title */
	RR_FRONT = 2,   /* its front matter and what the model made of it (fields, terms, flags, ended) */
	RR_SUMMARY = 4, /* its summary, first image, whether it has a body */
	RR_BODY = 8,    /* its file (the body HTML, table of contents) */
	RR_HIST = 16,   /* its history: dates, authors, commits, links to the host, outdated */
	RR_REL = 32,    /* the pages around it: references to it, docs prev/next/parent/children */
	RR_WORDS = 64,  /* its words and reading time (an edit past the summary changes them alone) */
	RR_ALL = 127
};

/* Site-wide parts (rerender_read_part). */
enum rerender_part {
	RR_PART_NAV_COUNT, /* each type list's total (site.nav's count) */
	RR_PART_TAX_COUNT, /* each taxonomy's number of terms (site.taxonomies' count) */
	RR_PART_RANKING,   /* the contributors in rank order with their numbers */
	RR_PART_L10N,      /* each language's translation status */
	RR_PART_HELP,      /* what /help-wanted/ and the home page's open calls list */
	RR_PART_INSIGHTS,  /* the community's numbers (insights.h): /insights/, each year's page, the years */
	RR_PARTS
};

/* What one output read while it rendered, or kept from the build before. */
struct rerender_job {
	uint64_t *pages; /* index into site->pages << 8 | parts (RR_*), as read */
	size_t n, cap;
	uint32_t *deps; /* the other things it read: ids of struct rerender's dep table */
	size_t ndeps, capdeps;
	int untracked;       /* read what no digest covers: render it next time */
	int kept;            /* not rendered: the last site's file was shared */
	unsigned long steps; /* template steps (kept: those of its last render) */
	int borrowed;        /* kept: pages and deps are the kept record's own arrays (not freed here) */
	size_t from;         /* kept: its output's index in the kept state */
	size_t pos;          /* kept: its file's position in this build's site (rerender_shared) */
	uint64_t size;       /* a jixia build's: its file's bytes (kept: as recorded) */
	int linked;          /* a jixia build's: rendered, and its file the current output's (write.h's
	                        output_write_shared), so shared as a kept one's is */
};

/* One render's view of the kept state. Zeroed, it tracks nothing. */
struct rerender {
	struct incr *in; /* NULL: no tracking (a plain build, or a build into a folder) */
	const struct site *site;
	const struct lists *lists;
	uint64_t global[2];        /* this build's global digest */
	uint64_t (*fp)[7][2];      /* per site->pages: the digest of each of its parts */
	uint64_t (*src)[2][2];     /* per site->pages: the digests of its file's front matter and body */
	uint64_t *serial;          /* per site->pages: its file's read (source.h) */
	size_t ndeps;              /* listings, their docs trees, terms, term counts, contributors,
				      person years, parts */
	uint64_t (*dep)[2];        /* per dep: its digest */
	unsigned char *same;       /* per page of the kept state: the parts whose digest holds now */
	unsigned char *dep_same;   /* per dep of the kept state: its digest holds now */
	size_t *to_new;            /* per page of the kept state: its index in site->pages */
	uint32_t *dep_to_new;      /* per dep of the kept state: its id now */
	int reuse;                 /* the global digest holds and the last site is kept */
	struct rerender_job *jobs; /* per HTML output of the plan, in job order */
	size_t njobs;
	size_t rendered, kept; /* outputs rendered and shared, for -v and the tests */
	int same_deps;         /* reuse, and the deps are the kept state's, id for id */
	int same_outs;         /* reuse, and the HTML outputs are the kept state's, index for index */
	size_t *render;        /* reuse: the jobs to render, in job order */
	size_t nrender;
	size_t *share; /* reuse: the kept jobs' files, as positions in the kept site, in job order */
	size_t nshare;
	size_t visited;         /* kept records whose reads were compared */
	atomic_size_t digested; /* pages whose file and parse result were digested (not the kept
				     page's: its file was read again), for -v and the tests */
	/* What the global digest and the pages' front matter digests are made of (S_context,
	   S_ident, S_vals): the site's options and files but the pages', and per page its
	   identity's strings and its model values, each a digest the next build may take when
	   they are known the same (rerender_begin) */
	uint64_t ctx[2];
	uint64_t rest[2];     /* the plan, navigation, contributors and person years (S_rest) */
	uint64_t (*ident)[2]; /* per site->pages */
	uint64_t (*vals)[2];  /* per site->pages */
	atomic_size_t valued; /* pages whose identity and values were digested, for the tests */
};

/* Adds to a page's front matter digest what render.c computes for it (whether an event has ended). */
typedef void (*rerender_page_fn)(const struct page *pg, struct incr_digest *d, void *payload);

/*
 * Starts tracking for a build into mem with in's state (either NULL: no
 * tracking): the digests of this build (the pages' on nthreads threads;
 * extra must be safe on any), and what the last one kept.
 */
void rerender_begin(struct rerender *r, struct incr *in, const struct memsite *mem, const struct site *site,
		    const struct lists *lists, const struct plan *plan, rerender_page_fn extra, void *payload,
		    int nthreads);

/*
 * rerender_begin decided, for every HTML output, whether the last site's
 * file is kept (nothing it read changed: r->share lists those files, in
 * job order, for output_share_many) or it renders (r->render) and
 * records what it reads. Without reuse, every output renders.
 */
int rerender_is_kept(const struct rerender *r, size_t job);
/* The site r->share's positions are in (the last one served), or NULL. */
const struct memsite *rerender_kept_site(const struct rerender *r);
/* The kept files were shared into this build's site from position first on, in r->share's order. */
void rerender_shared(struct rerender *r, size_t first);

/* Job read every part of page pg (any thread; each job is one thread's at a time). */
void rerender_read(struct rerender *r, size_t job, const struct page *pg);
/* Job read the parts (RR_*) of page pg; none (0) is what the global digest holds. */
void rerender_read_as(struct rerender *r, size_t job, const struct page *pg, unsigned parts);
/* Job showed listing l: its pages, their order and everything else of it, or only its docs tree. */
void rerender_read_listing(struct rerender *r, size_t job, const struct listing *l);
void rerender_read_tree(struct rerender *r, size_t job, const struct listing *l);
/* Job showed term t: its name, slug and URL, or (count) how many pages carry it. */
void rerender_read_term(struct rerender *r, size_t job, const struct term *t, int count);
/* Job showed contributor c's numbers or pages (their name and person page are global). */
void rerender_read_contributor(struct rerender *r, size_t job, const struct contributor *c);
/* Job showed a person's year (its numbers and contributions; their pages' titles it reads itself). */
void rerender_read_person_year(struct rerender *r, size_t job, const struct person_year *py);
void rerender_read_part(struct rerender *r, size_t job, enum rerender_part part);
/* Job read what no digest covers. */
void rerender_untracked(struct rerender *r, size_t job);

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

/*
 * The feeds stage (feeds.c), after render: a feed, calendar or event's
 * file of the last site is shared (serve) or kept (a jixia build into its
 * output: output_keep) when the digest of what it is made of (the global
 * digest, the parts of the pages it shows, its own names) is the one it
 * had. Its state is this build's render state, so nothing is
 * kept when render kept nothing for the next build.
 */
struct rerender_feeds {
	struct rerender_snap *now;        /* this build's staged state, NULL: no tracking */
	const struct rerender_snap *kept; /* the last site's, or NULL */
	const struct site *site;
	uint64_t key[2];
};

void rerender_feeds_begin(struct rerender_feeds *f, struct incr *in, const struct site *site,
			  const struct plan *plan);
/* A feed's digest begun: the global digest in it (only with f->now). */
void rerender_feed_init(const struct rerender_feeds *f, struct incr_digest *d);
/* The parts (RR_*) of pg into d; -1 for a page of no digest (then the feed is not covered). */
int rerender_feed_page(const struct rerender_feeds *f, struct incr_digest *d, const struct page *pg,
		       unsigned parts);
/*
 * Ends d, feeds job job's digest (kept for the next build when covered),
 * and says whether the last site's file at out_path was made from the
 * same (1; 0: make it). Any thread, each job once.
 */
int rerender_feed_held(const struct rerender_feeds *f, size_t job, const char *out_path,
		       struct incr_digest *d, int covered);
/* Whether the last site is a jixia build's output (its files: output_keep), not serve's. */
int rerender_feed_on_disk(const struct rerender_feeds *f);
/* rerender_feed_held, then serve's last site's file at out_path; else NULL: make it. */
const struct memsite_file *rerender_feed_kept(const struct rerender_feeds *f, size_t job,
					      const char *out_path, struct incr_digest *d, int covered);
/* The build time of the last site (its calendars' stamp), or -1. */
long long rerender_feed_then(const struct rerender_feeds *f);
/*
 * A jixia build's: the kept state's feed at out_path, its file's size and
 * whether the build that saved the state kept that file too (so the
 * spare's file is the current output's: write.h's output_keep_many, under
 * the folders' record number rerender_feed_gen). 0, or -1: no such feed.
 */
int rerender_feed_file(const struct rerender_feeds *f, size_t job, const char *out_path, uint64_t *size,
		       int *shared);
uint64_t rerender_feed_gen(const struct rerender_feeds *f);
/* Job's file in this build: its bytes, and whether it was kept, or linked as the current output's
   (write.h's output_write_shared), for the next build's rerender_feed_file. */
void rerender_feed_made(const struct rerender_feeds *f, size_t job, uint64_t size, int kept);

/*
 * Between runs of `jixia build` into an output it made (diskcache.h): the
 * state rerender_end staged, as bytes for the file (write), and read back
 * as the kept state of in (in->disk set), every count, length and index
 * checked (-1: damaged, nothing kept). Then an
 * output whose inputs held is the current output's file (write.h's
 * output_keep): rerender_disk_file says so, rerender_disk_take records it
 * as read again for the next build, with the size output_keep_many kept
 * it at (the recorded one, or the file's own when it looked at it).
 */
struct buf;
/*
 * write: the staged state's bytes handed to put as they are made, in
 * chunks of a multiple of 32 bytes but the last, so put need not hold
 * them all (0; -1 with none staged, or put failed: put returns 0 or -1).
 */
typedef int (*rerender_put_fn)(const void *p, size_t n, void *payload);
int rerender_disk_write(const struct incr *in, rerender_put_fn put, void *payload);
int rerender_disk_decode(struct incr *in, const void *p, size_t n);
void rerender_disk_take(struct rerender *r, size_t job, const struct plan_output *o, uint64_t size);
/*
 * Whether job's output o is kept (every input it read held): 1 with its
 * file's size and whether the build that saved the state kept that file
 * too (its file then was the folder's before it, which is the spare now:
 * write.h's output_keep_many); 0 when it renders.
 */
int rerender_disk_file(const struct rerender *r, size_t job, const struct plan_output *o, uint64_t *size,
		       int *shared);
/* The number the build that saved the kept state gave its folders' record (write.h's
   record_gen), 0 for none; and the same for the state this build stages. */
uint64_t rerender_disk_gen(const struct rerender *r);
void rerender_disk_set_gen(struct incr *in, uint64_t gen);
/* The state's output file i (its pages', then its feeds'), as read (untrusted); NULL past the
   last, or when in holds no state decoded (write.h's output_prelook looks at their folders). */
const char *rerender_disk_path(const struct incr *in, size_t i);
/* The jobs taken (rerender_disk_take) leave r->render: the others render. */
void rerender_disk_settle(struct rerender *r);

#endif
