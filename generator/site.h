/*
 * site: a site loaded for a command. build, check, l10n and new all read a
 * site the same way, stage by stage in pipeline order (the files,
 * site.yaml with its types and the theme, the pages, the history, the
 * parsed bodies, the linked model), each as far as it needs; site_load
 * is that one way. A struct loaded_site owns everything read: the source,
 * the config, the theme, the model (with the types) and, from the first
 * stage that reads git until the model is linked, the history and the one
 * repository handle every stage borrows. site_release() frees all of it.
 */
#ifndef JIXIA_SITE_H
#define JIXIA_SITE_H

#include <stdatomic.h>
#include <stdint.h>

#include "config.h"
#include "incr.h"
#include "history.h"
#include "model.h"
#include "source.h"
#include "theme.h"

/* The loading stages, in the order they run. */
enum site_stage {
	SITE_NONE,    /* nothing loaded yet */
	SITE_SOURCE,  /* the input files (source_open), or site.yaml alone (site_yaml_only) */
	SITE_CONFIG,  /* site.yaml, the file caps it lowers, its types, the theme (theme) */
	SITE_PAGES,   /* the Markdown files under content/ collected as pages, not parsed */
	SITE_HISTORY, /* the repository opened (if no stage before did) and, with walk, its history walked */
	SITE_PARSE,   /* every page's front matter and body parsed, on the pool */
	SITE_MODEL    /* the model linked, its history and contributors; the history and the handle freed */
};

struct loaded_site;
struct diskcache_kept;

/*
 * Called before (done 0) and after (done 1) each stage site_load runs; a
 * stage that stops the load gets no call after it.
 */
typedef void (*site_stage_fn)(enum site_stage stage, int done, const struct loaded_site *ls, void *payload);

struct site_opts {
	const char *dir;     /* the site folder */
	const char *ref;     /* --ref, or NULL for the working tree */
	long long now;       /* build time (seconds since the epoch), or -1 for unknown */
	int drafts;          /* keep pages with draft: true */
	int jobs;            /* threads for parsing, 0 for the number of CPUs */
	int walk;            /* walk the history (jixia check only needs the repository) */
	int theme;           /* load the theme with site.yaml */
	int site_yaml_only;  /* jixia new: read DIR/site.yaml alone, from the working tree */
	site_stage_fn stage; /* progress and timing (build -v), or NULL */
	struct incr *incr;   /* serve's state between loads (incr.h): the history comes from it
				and goes back to it; NULL for a load of its own */
	void *payload;       /* for stage */
	/* jixia serve: replaces site.yaml's base_url (the local origin), or NULL */
	const char *base_url;
	int disk_cache; /* without incr: the parse cache kept on disk between runs (diskcache.h) */
	/* a build that writes its output: each Markdown file of the working tree
	   read by the worker that parses it (source_open_lazy), and freed by it
	   once the history is done with the files' bytes (loaded_site.md_len) */
	int drop_md;
	/* a build that writes its output: each page's body put in this file by the
	   worker that parsed it (spill.h), or NULL */
	struct spill *spill;
};

struct loaded_site {
	struct source src;
	struct config cfg;
	struct theme theme;    /* empty unless opts->theme */
	struct site site;      /* the model: site.cfg and site.src point into this struct, so it stays put */
	struct history *hist;  /* from SITE_HISTORY until SITE_MODEL, else NULL */
	git_repository *repo;  /* the site's repository (source_repo_open), opened by the first stage that
				  reads git (--ref, --changed-since, history), lent to the others, freed at
				  SITE_MODEL; NULL before, after, or without one */
	enum site_stage stage; /* the last stage loaded */
	int jobs;              /* the threads parsing used: opts->jobs, or the CPUs */
	double walk_ms;        /* the history walk's wall time when it ran beside parsing (-j2 and
				  more: the two stages overlap), else 0 */
	int failed;            /* a stage reported errors and the load went on (content errors) */
	long parsed;           /* pages parsed, not taken from opts->disk_cache's cache; -1 without it */
	unsigned long hashed;  /* with that cache, page files whose bytes it hashed (diskcache_parse_end) */
	size_t listed;         /* and the entries its directory listed in one read (diskcache_parse_listed) */
	uint64_t cache_read;   /* and the bytes of its entries read (diskcache_parse_read) */
	uint64_t cache_reads;  /* in this many reads (diskcache_parse_reads) */
	/* and what the pages taken from it left in its file, read when needed (diskcache_parse_take),
	   or NULL */
	struct diskcache_kept *kept;
	/* -v: the model stage's parts timed in SITE_MODEL (ms): the pages
	   linked (model_link), then the history, contributors, insights and
	   person years applied; build.c times the parts after them */
	double link_ms, people_ms;
	/* with opts->disk_cache: the questions' old versions whose answer the
	   cache had (diskcache_answers_open), and those read from git; with wt,
	   the versions whose answer the working tree had, and those read */
	size_t answers_kept, answers_read;
	/* site_opts.drop_md, per file of src: the length of a Markdown file its
	   parse worker freed, else (size_t)-1, and hash_keyed of its bytes (a
	   diagnostic quoting it reads it again: build.c); NULL without drop_md */
	size_t *md_len;
	uint64_t *md_hash;
	/* with md_len and a walk, per page: the questions' answers as the
	   working tree has them, found by the parse workers before the files
	   go (contributors_wt), the model stage's blob memo; NULL without */
	struct contributors_wt *wt;
	atomic_int md_hashed; /* the history walk is done with the files' bytes (or is not walking) */
};

/* What stops a load; the values are jixia's exit statuses for it. */
enum site_stop {
	SITE_LOADED = 0,     /* it got there (content errors set failed) */
	SITE_BAD_CONFIG = 1, /* site.yaml has errors: nothing after it can be read */
	SITE_UNREADABLE = 2, /* the folder, site.yaml, the ref or git could not be read */
	SITE_CANCELLED = 3   /* pool_cancel (jixia serve stopping): nothing reported, the load is
				thrown away, no command exits with it */
};

/*
 * Loads the stages after ls->stage up to upto, in order; ls starts zeroed
 * (memset) and opts is the same on every call, so a command may stop
 * between stages (l10n checks --lang once site.yaml is read). Problems in
 * files and pages are reported through diag and set ls->failed; the load
 * goes on so that one run reports them all. Returns SITE_LOADED, or why it
 * stopped (reported through diag): then ls->stage is the last stage that
 * ran to its end. Once SITE_CONFIG is loaded it returns SITE_LOADED, or
 * SITE_CANCELLED when a stage was cut short by pool_cancel (pool.h).
 */
int site_load(struct loaded_site *ls, const struct site_opts *opts, enum site_stage upto);

/* Frees everything ls holds; a zeroed or partly loaded ls is fine. */
void site_release(struct loaded_site *ls);

#endif
