/*
 * atom: the Atom format (RFC 4287) of one feed. A feed follows an HTML page
 * and is ATOM_FILE in that page's folder: "/atom.xml" (a language's home:
 * the whole site), "/talks/atom.xml", "/tags/vacuum/atom.xml",
 * "/en/atom.xml". Which pages it holds and its title are the feeds stage's.
 */
#ifndef JIXIA_ATOM_H
#define JIXIA_ATOM_H

#include <stddef.h>

#include "model.h"
#include "plankind.h"
#include "util.h"

#define ATOM_ENTRIES 50 /* entries in one feed, newest first */

/* What one feed is made of. */
struct atom {
	size_t lang;
	const char *title;         /* the feed's title */
	const char *html_href;     /* the HTML page the feed follows */
	const char *path;          /* the feed's file under the output */
	struct page *const *pages; /* candidates: only those with a date are used */
	size_t n;
};

/*
 * The feed a describes, appended to b: the pages with a date, newest first,
 * at most 50; ids under the site's UUID namespace ns (ids_namespace). tmp is
 * scratch.
 */
void atom_feed(struct buf *b, struct buf *tmp, const struct site *site, const unsigned char ns[16],
	       const struct atom *a);
/*
 * The pages of pages (n) a feed shows, in its order, into top (room for
 * ATOM_ENTRIES): those with a date, the first ATOM_ENTRIES in list order
 * (model_list_cmp). Returns how many. What a feed holds is these and
 * nothing else of pages, so serve's feeds stage digests them alone.
 */
size_t atom_top(struct page *const *pages, size_t n, struct page **top);

#endif
