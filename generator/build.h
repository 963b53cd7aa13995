/*
 * build: the build and check commands, the pipeline run stage by stage:
 * the site loaded (site.h: source, config and theme, collect, history,
 * parse in parallel, link), the checks, render (parallel), feeds
 * (parallel), write. Errors in any stage are all reported; output is only
 * swapped in when there were none.
 */
#ifndef JIXIA_BUILD_H
#define JIXIA_BUILD_H

#include "diag.h"

struct memsite;
struct incr;
struct site;
struct theme;
struct lists;
struct plan;

struct build_opts {
	const char *dir;           /* the site folder, "." by default */
	const char *ref;           /* --ref, or NULL for the working tree */
	const char *out;           /* -o, or NULL for DIR/public */
	int jobs;                  /* -j, 0 for the number of CPUs */
	int drafts;                /* --drafts */
	int verbose;               /* -v: per-stage times and counts */
	int check_only;            /* jixia check: every check, no output */
	int strict;                /* --strict: warnings are errors */
	enum diag_format format;   /* --format: text, github or json */
	const char *changed_since; /* --changed-since: report only files changed since this ref */
	long long now;             /* build time (seconds since the epoch), or -1 for unknown */
	struct memsite *mem;       /* jixia serve: build into this site in memory (NULL: a folder) */
	const char *base_url;      /* jixia serve: replaces site.yaml's base_url (the local origin) */
	struct incr *incr;         /* state kept between builds of one site (serve), NULL for a
				      plain build, which uses the build stamp instead (incr.h) */
	/* jixia serve's preview: called once the model stage (links_check
	   included) found no error, before the render, with what the render
	   will read; returns how many outputs it rendered (render_outputs) for
	   the open pages. NULL: none. */
	size_t (*preview)(const struct site *site, const struct theme *theme, const struct lists *lists,
			  const struct plan *plan, void *payload);
	void *preview_payload;
	/* jixia build or check from the command line: the process ends with
	   the run, so the model, the sources and the listings are left to
	   the system rather than freed one by one (a one-page rebuild's last
	   20 ms); a build with sanitizers, or with -DJIXIA_FREE_ALL, frees
	   them still, for its leak checks */
	int exiting;
};

/* build_run's result when pool_cancel (pool.h) cut it short: jixia serve is stopping. */
#define BUILD_CANCELLED 3

/* Runs the pipeline. Returns the exit code: 0, 1 content errors, 2 usage/environment,
 * or BUILD_CANCELLED. */
int build_run(const struct build_opts *opts);

#endif
