/*
 * incr: what a build reuses from the builds before it.
 *
 * Between runs of `jixia build` (a cache of one small file per output,
 * under $XDG_CACHE_HOME/jixia/, else ~/.cache/jixia/; safe to delete): the
 * stamp of the last build that wrote the output and printed nothing, a
 * digest of everything the output is made from. A build whose stamp
 * matches it, into the very folder that build swapped in, has nothing to
 * do. The writing itself (only files whose bytes changed) is write.c's.
 *
 * Within one process (jixia serve): struct incr, created once and handed
 * to every rebuild of the site through build_opts.incr.
 */
#ifndef JIXIA_INCR_H
#define JIXIA_INCR_H

#include <stddef.h>
#include <stdint.h>

#include <git2/types.h>

#include "source.h"
#include "util.h"

struct history;
struct rerender_state;
struct search_state;

/*
 * State kept between the builds of one site in one process (serve). NULL
 * in build_opts for a plain build. What a rebuild reuses: the history
 * walk, while the commit it starts from (HEAD), the .mailmap and the site
 * folder are the same (the files changed in the working tree are found
 * again each time); each unchanged page's parse result with its search
 * tokens (the parse cache below). Everything else runs again; the output
 * is written only where it changed (write.c).
 */
struct incr {
	unsigned long builds;   /* rebuilds run with it */
	unsigned long reused;   /* of them, how many reused the history */
	uint64_t key[2];        /* for the digests below, drawn once */
	struct history *hist;   /* the last load's history, while no load holds it */
	git_repository *repo;   /* its repository handle (the history borrows it) */
	uint64_t hist_id[2];    /* what it was read from: site, commit, .mailmap */
	uint64_t pending_id[2]; /* the same for the load running now */

	/* What each output of the last site read, and that site (rerender.h);
	 * NULL until a build in memory. */
	struct rerender_state *rerender;
	void (*rerender_free)(struct rerender_state *); /* set with it: rerender.c includes this file */
	/* The last build's HTML outputs: rendered, and shared from the site before. */
	size_t rendered, kept;
	/* The last build's feeds, calendars and events shared from the site before (feeds.h). */
	size_t feeds_kept;
	/* The parse cache (incr_parse_*): each Markdown file the last load parsed
	   without a diagnostic, its result under the digest of what parsing read. */
	struct parse_entry **parsed; /* by path */
	size_t nparsed;
	/* the same entries by page (NULL: none) for the last load's pages, made
	   from the source whose paths_gen (source.h) this is: a load with the
	   same pages takes each page's entry by its index, no path compared */
	struct parse_entry **parsed_by_page;
	size_t nparsed_by_page;
	uint64_t parsed_gen;
	uint64_t parse_ctx[2];      /* what every page's parse read besides its file (parse_ctx) */
	unsigned long pages_parsed; /* the last load: pages parsed, not taken from the cache */
	/* The last load's questions whose answering commit was read from git,
	   not kept with the walk (history_since_kept) */
	unsigned long answers_read;
	/* The working tree's files as the last load read them (source.h): a
	   load reads again only those that changed; its source borrows the bytes. */
	struct source_cache *files;
	unsigned long files_read; /* the last load: files read from disk */
	/* The search index of the last rebuild (search_build_incr); NULL until one. */
	struct search_state *search;
	void (*search_free)(struct search_state *); /* set with it: search.c includes this file */
	unsigned long pages_indexed;                /* the last rebuild: pages tokenized again */
	int index_kept; /* the last rebuild: 1 when the index kept was brought up to date, 0 built again */
	/* The cache of drawn pictures, opened by serve's first build that draws
	   (the executable digested once), swept when serve ends; NULL until then. */
	struct incr_cards *cards;
	/* The last rebuild: pages the search index read whole to compare with
	   the index before (the others known by their file's read, search.c) */
	unsigned long pages_compared;
	/* The last rebuild: pages whose file and parse result the render stage
	   digested (the others' digests were kept: their file was the same read) */
	unsigned long pages_digested;
	/* A jixia build's, not serve's: the render state is kept on disk
	   (diskcache.h) and a kept output is the current output's file. */
	int disk;
	/* The model's field checks of the last load, page by page (model.c's
	   struct model_memo, model_memo_free), and the parse context (parse_ctx)
	   they were made in: a page whose front matter is still its parse cache
	   entry's is not checked again. NULL until a load. */
	struct model_memo *model_memo;
	uint64_t memo_ctx[2];
	unsigned long pages_checked; /* the last load: pages whose fields were checked again */
	unsigned long terms_made; /* the last load: 1 when it made the terms again, 0 when they were kept */
	/* The last rebuild: postings of the search index whose step was computed
	   again because a field's average length drifted (search.c's S_restep_job),
	   and the index's postings then */
	unsigned long postings_restepped, postings;
	/* The last load: pages whose file in the kept walk was looked up by
	   path (history_index_looked; the others were the same file read) */
	unsigned long pages_looked;
	/* The order of each language's pages of the last build (lists.h,
	   lists_build_kept); NULL until one. The last build: languages whose
	   pages were sorted again (the others kept the order, checked) */
	struct lists_memo *lists_memo;
	void (*lists_memo_free)(struct lists_memo *); /* set with it: lists.c is not incr.c's to include */
	unsigned long lists_sorted;
	/* The order of the last build's outputs by file (plan.h, plan_check_kept);
	   NULL until one. The last build: 1 when it sorted them again */
	struct plan_memo *plan_memo;
	void (*plan_memo_free)(struct plan_memo *); /* set with it */
	unsigned long plan_sorted;
	/* What links_check found for each page of the last load (links.c's
	   struct links_memo, freed with links_memo_free); NULL until a load
	   checked links. */
	struct links_memo *links_memo;
	void (*links_memo_free)(struct links_memo *); /* set with it: links.c includes this file */
	unsigned long pages_linked; /* the last load: pages whose links were checked again */
	/* The last load: pages whose raw taxonomy terms the model gathered again (the
	   rest carried those of the load before: model.h, struct model_memo) */
	unsigned long terms_gathered;
	/* The pages' edit and history addresses of the loads before
	   (history.h, history_apply_kept; freed with incr_free: a served site
	   may point into it); NULL until a load. The last load: pages not the
	   same file read at the same place, their addresses looked up or made */
	struct history_memo *history_memo;
	unsigned long urls_looked;
	/* The last serve render: pages whose identity and model values rerender_begin
	   digested again (the rest took the kept state's: rerender.c S_values_kept) */
	unsigned long pages_valued;
};

struct incr *incr_new(void);
void incr_free(struct incr *in);

/*
 * The history stage of a load (site.c): 1 when the history kept from the
 * last load still holds, then lent to the load (*hist, *repo) and
 * refreshed with src; 0 when the load reads it itself. repo must be NULL
 * (no stage before opened one).
 */
int incr_history_take(struct incr *in, const char *dir, const struct source *src, struct history **hist,
		      git_repository **repo);

/* At the end of the load: keeps the history and its handle for the next
 * one when reusable (then *hist and *repo become NULL), else leaves them. */
void incr_history_keep(struct incr *in, struct history **hist, git_repository **repo);

/*
 * The parse cache of serve's loads. A page whose file's bytes and path and
 * whose parse context are those of an entry takes the entry's result
 * instead of being parsed: a copy of what later stages change (the links),
 * so nothing they do reaches the cache; the rest (front matter, body HTML,
 * table of contents, summary, anchors, search tokens) lent
 * (page->parse_shared: not freed with the page, read only). The
 * bytes' digest is not computed again when the source cache says they are
 * the very bytes the entry was parsed from (source_file.serial). A page
 * parsed with a diagnostic is not kept (a reused page must report it
 * again), nor is a failed one.
 */
struct incr_parse {
	struct incr *in;
	const struct page *pages; /* the load's, sorted by path */
	size_t npages;
	struct parse_entry **found; /* per page: the cache's entry for its path, or NULL */
	struct parse_entry **next;  /* per page: its entry for the next load, or NULL */
	uint64_t (*digest)[2];      /* per page: the digest of its path, bytes and the context */
	unsigned long parsed;       /* pages parsed (the workers add atomically) */
	uint64_t gen;               /* the source's paths_gen */
};

struct config;
struct page;
struct theme;

/*
 * Before the parse stage (one thread): the context is site.yaml's bytes,
 * the base URL, whether the theme labels callouts and its i18n files
 * (layouts/i18n/); a new context empties the cache.
 */
void incr_parse_begin(struct incr_parse *run, struct incr *in, const struct source *src,
		      const struct config *cfg, int theme, const struct page *pages, size_t npages);

/* On a worker: 1 when page i (pages[i]) took its result from the cache. */
int incr_parse_reuse(struct incr_parse *run, size_t i, struct page *page);

/* On a worker, after parse_page: keeps page i's result unless reported (a diagnostic) or failed;
 * a kept page's body, contents, summary and anchors are the entry's then, the page borrows them. */
void incr_parse_keep(struct incr_parse *run, size_t i, struct page *page, int reported);

/* After the stage (one thread): the cache holds this load's entries only. */
void incr_parse_end(struct incr_parse *run);

/* The user's cache of jixia ($XDG_CACHE_HOME/jixia, else ~/.cache/jixia), made
 * when missing: the stamps, the pictures, diskcache.h's files. NULL without
 * one; caller frees. */
char *incr_cache_dir(void);

/* Removes the regular files in dir named PREFIX...SUFFIX that were not
 * modified for days (caches of sites moved or deleted, pictures unused);
 * links are never followed. dir may be NULL. */
void incr_cache_sweep(const char *dir, const char *prefix, const char *suffix, int days);

/*
 * The digest of jixia's executable: its build id, else its bytes
 * (/proc/self/exe), taken once per process and shared by the stamp and
 * every cache keyed on it (diskcache.c); a random one when neither can be
 * read: unlike any other run.
 */
void incr_exe_digest(uint64_t out[2]);

/* The inputs of a build, as a digest under a key of the stamp's own. */
struct incr_stamp {
	uint64_t key[2];             /* drawn at random for each output's first stamp */
	uint64_t digest[2];          /* SipHash-2-4 (128-bit) of everything below, under key */
	char *file;                  /* the stamp's file in the cache, NULL when there is no cache */
	int found;                   /* the file held a stamp, read into want* */
	int computed;                /* digest holds this build's (incr_stamp_check ran) */
	uint64_t want[2];            /* its digest */
	unsigned long long dev, ino; /* the output folder that build swapped in */
	long long mtime_ns;          /* and its modification time then */
	size_t files;                /* the files it holds, for the summary */
	uint64_t want_walked;        /* its build's source.walked: which files it put by their bytes */
	uint64_t walked;             /* this build's, saved with digest */
	size_t hashed;               /* source files put by their bytes (-v): by the two digests */
};

/* The options and environment of a build that reach its output. */
struct incr_opts {
	const char *out; /* the output folder as given (NULL: DIR/public) */
	const char *dir; /* the site folder */
	const char *ref;
	int drafts;
	long long now;
};

/*
 * Reads the stamp of the output (its key, or a fresh one) and computes the
 * digest of this build: jixia's own executable, the options, TZ, every
 * source file's path and identity (its bytes when the walk gave it none:
 * source.h), and the commit the history starts from
 * (HEAD, or the --ref commit) with the repository's shallow list; repo is
 * the load's handle, opened here when NULL and left for the load to use.
 * Returns 1 when the stamp matches and the output is the folder it names
 * (nothing to build), else 0. Never an error: without a cache it is 0.
 */
int incr_stamp_check(struct incr_stamp *st, const struct incr_opts *o, const struct source *src,
		     git_repository **repo);

/*
 * Forgets the stamp of the output folder at path (its physical path):
 * before any build swaps another output in, whether it checked a stamp or
 * not, so no stamp ever names an output it did not describe.
 */
void incr_stamp_drop(const char *path);

/* Records the stamp for the output folder at path, holding files files
 * (nothing when incr_stamp_check did not run). */
void incr_stamp_save(struct incr_stamp *st, const char *path, size_t files);

void incr_stamp_release(struct incr_stamp *st);

/*
 * A keyed digest fed item by item (SipHash-2-4 with 128-bit output, the
 * stamp's): the fingerprints of rerender.c. Each item is fed with its
 * length first, so no two lists of items give the same bytes.
 */
struct incr_digest {
	uint64_t v[4], tail;
	size_t len;
};

void incr_digest_init(struct incr_digest *d, const uint64_t key[2]);
void incr_digest_item(struct incr_digest *d, const void *data, size_t n);
void incr_digest_str(struct incr_digest *d, const char *s); /* NULL unlike any string */
void incr_digest_num(struct incr_digest *d, long long v);
/*
 * For digests of a fixed layout (rerender.c), where the code fixes what
 * each item is: v's 8 bytes, no length (one compression when the items so
 * far are whole words); a string as its length, its bytes and zeros to the
 * next whole word (so the words after it stay whole).
 */
void incr_digest_word(struct incr_digest *d, uint64_t v);
void incr_digest_strw(struct incr_digest *d, const char *s);
void incr_digest_final(struct incr_digest *d, uint64_t out[2]);

/*
 * The cache of drawn pictures (social cards, cards.c): one file per
 * picture in the cache's cards/, named by the digest of what it shows
 * (poster_key) and of jixia's executable, under a key drawn once and kept
 * in cards/key, so a picture from the cache is the very bytes this jixia
 * would draw. Shared by the drawing threads: they only read it.
 */
struct incr_cards {
	char *dir;       /* the cache's cards/ folder, NULL when there is no cache */
	uint64_t key[2]; /* read from cards/key, or drawn and written there */
	uint64_t exe[2]; /* the digest of jixia's executable under key */
};

/* Opens the cache (made when missing); c->dir stays NULL without one. */
void incr_cards_open(struct incr_cards *c);

/* The file of the picture that shows what (n bytes) into out; 0, or -1 without a cache. */
int incr_cards_file(const struct incr_cards *c, struct buf *out, const void *what, size_t n);

/* Appends the file's bytes (at most max) to out: 0, or -1 when it is missing or larger. */
int incr_cards_read(const char *file, struct buf *out, size_t max);

/* Writes the picture's bytes to its file, through a temporary one (never a half file). */
void incr_cards_write(const char *file, const void *p, size_t n);

/* Marks a picture read from the cache as used now (its modification time). */
void incr_cards_touch(const char *file);

/* Days a picture stays in the cache unused: incr_cards_close removes older ones. */
#define INCR_CARDS_DAYS 30

/* Removes the pictures unused for INCR_CARDS_DAYS, frees c. */
void incr_cards_close(struct incr_cards *c);

#endif
