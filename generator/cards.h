/*
 * cards: the pictures the site shares, the plan's images slice: each
 * language's poster of each community year (/contributors/YEAR/poster.png)
 * and, with social_cards: true in site.yaml, a card beside every page that
 * has no raster cover of its own (card.png, its og:image). This stage
 * decides what each picture shows, in the page's language and the theme's
 * accent colour; poster.c draws it. Cards come from the user's cache when
 * the same jixia drew the same card before (incr.h), so an unchanged page
 * costs a file read.
 */
#ifndef JIXIA_CARDS_H
#define JIXIA_CARDS_H

#include <stddef.h>

#include "media.h"
#include "model.h"
#include "plan.h"
#include "theme.h"
#include "write.h"

/*
 * Draws and writes the outputs of plan's images slice into out, on
 * nthreads threads (each with its own fonts). Returns 0, or -1 after a
 * diag error. *files_out counts the files, *cached those read from the
 * cache.
 */
int cards_write(const struct site *site, const struct theme *theme, const struct plan *plan,
		const struct media *media, struct output *out, int nthreads, size_t *files_out,
		size_t *cached_out);

/* At exit: what cairo and fontconfig keep, freed in a build for a leak checker (poster_cleanup). */
/*
 * cards_write for serve's rebuilds: the cache of pictures opened once, by
 * the first build that draws, kept in in (incr.h) and swept when serve
 * ends, not on every rebuild. in NULL: cards_write.
 */
struct incr;
int cards_write_incr(const struct site *site, const struct theme *theme, const struct plan *plan,
		     const struct media *media, struct output *out, int nthreads, struct incr *in,
		     size_t *files_out, size_t *cached_out);

void cards_cleanup(void);

#endif
