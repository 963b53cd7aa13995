/*
 * feeds: what feed readers, calendars and crawlers fetch, made from the
 * frozen model in the same run as the pages: Atom feeds (each language's
 * whole site, each type, each taxonomy term; atom.c), iCalendar (every
 * event of the site, and one file per event; ics.c), sitemap.xml and
 * robots.txt (sitemap.c). Which of them there are and where each goes is
 * the plan's (plan.h); this stage decides what each feed and calendar
 * holds. Like the pages, every file goes through output_write, on the
 * worker pool.
 */
#ifndef JIXIA_FEEDS_H
#define JIXIA_FEEDS_H

#include <stddef.h>

#include "incr.h"
#include "model.h"
#include "plan.h"
#include "theme.h"
#include "write.h"

/*
 * Writes the outputs of plan's feeds slice (every feed, calendar, sitemap
 * and robots.txt of site) into out, on nthreads threads. Feeds list the
 * pages that have a date (newest first, at most 50); a page without one
 * joins them once it has one. Returns 0 or -1 (after a diag error from
 * output_write). *files_out counts the files.
 */
int feeds_write(const struct site *site, const struct theme *theme, const struct plan *plan,
		struct output *out, int nthreads, size_t *files_out);

/*
 * The same with in's state (rerender.h; NULL: feeds_write): serve's
 * rebuilds into memory, or a jixia build into its output with the render
 * state kept on disk (diskcache.h). Each feed, calendar and event whose
 * inputs held since the last site is that site's file (serve: a calendar
 * with this build's time in it; a build: output_keep's, at the same build
 * time). *kept_out (when not NULL) counts those.
 */
int feeds_write_incr(const struct site *site, const struct theme *theme, const struct plan *plan,
		     struct output *out, int nthreads, struct incr *in, size_t *files_out, size_t *kept_out);

#endif
