/*
 * render: pages through the theme's Mustache layouts into the output. The
 * template data is the frozen model itself, reached through mustache.h's
 * value classes, so no page copies the site into a generic tree. Runs on
 * the worker pool; each worker owns its output buffer.
 */
#ifndef JIXIA_RENDER_H
#define JIXIA_RENDER_H

#include "lists.h"
#include "model.h"
#include "plan.h"
#include "theme.h"
#include "write.h"

/*
 * Renders the HTML outputs of plan (its html slice: pages, listings,
 * history pages, search pages, 404.html) into out, on nthreads threads.
 * Reports template errors; returns 0 or -1. When every output rendered,
 * also warns (an error with --strict) at each tag whose name no output's
 * data had and no type or class of the data can have (a misspelling).
 * *pages_out counts the HTML pages written.
 */
int render_site(const struct site *site, const struct theme *theme, const struct lists *lists,
		const struct plan *plan, struct output *out, int nthreads, size_t *pages_out);

/*
 * render_site with the incremental engine's state (incr.h; NULL: none):
 * an output in memory whose inputs are those of the last build's is not
 * rendered but shared from that site (rerender.h). *kept_out (when not
 * NULL) counts those outputs.
 */
struct incr;
int render_site_incr(const struct site *site, const struct theme *theme, const struct lists *lists,
		     const struct plan *plan, struct output *out, int nthreads, struct incr *in,
		     size_t *pages_out, size_t *kept_out);

/*
 * Renders the plan's HTML outputs ks (n of them, indices of its html
 * slice; any past it skipped) alone into out, with the bytes render_site
 * gives them from the same model: jixia serve's preview of the open pages
 * before the whole site is rendered. A template error is not reported
 * (the whole render reports it). Returns how many were written.
 */
size_t render_outputs(const struct site *site, const struct theme *theme, const struct lists *lists,
		      const struct plan *plan, const size_t *ks, size_t n, struct output *out);

#endif
