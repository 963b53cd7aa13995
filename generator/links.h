/*
 * links: the links between pages and files. Resolves every link and image
 * of every body, and every url field of the front matter, against the
 * built site (pages, their #anchors, list pages, published files), reports
 * what leads nowhere, and records each one's final address (under the base
 * path): for the body's links (with width, height and lazy loading on
 * images), the fields' hrefs and the page's pictures (cover or avatar,
 * first image). Runs once, after media_plan and before render: the pages
 * on the pool (one table of the site's URLs, sorted first, shared by the
 * workers), the intros after; linear in links (each lookup is a binary
 * search).
 */
#ifndef JIXIA_LINKS_H
#define JIXIA_LINKS_H

#include "media.h"
#include "model.h"
#include "plan.h"

/*
 * A relative address is looked for first as a file beside the page's
 * Markdown (content/events/x/photo.jpg for "photo.jpg" in
 * content/events/x/index.md, in any of its languages), then as a page,
 * list or file relative to the page's URL (any output of the plan, and
 * the names jixia keeps for its own pages in every language); an address
 * starting with '/' is a path of the site. A #fragment on an address of a
 * content page, like one on a .md link, must be one of its heading ids.
 * Reports each that leads nowhere at its line:col.
 * Returns 0, or -1 when any is broken.
 */
int links_check(struct site *site, const struct plan *plan, const struct media *media);

/*
 * links_check in a serve session (in: struct incr, or NULL for
 * links_check): a page whose check reported nothing keeps what it found
 * for the next load (in->links_memo), which takes it instead of checking
 * the page again while the page's body and front matter are its parse
 * cache entry's, the pages its links' #fragments name have the same
 * anchors, and nothing else a link may lead to changed: site.yaml, the
 * base URL, the pages' paths, addresses and languages, the plan's
 * outputs, the published files and their sizes (then every page is
 * checked). in->pages_linked gets the pages checked.
 */
struct incr;
int links_check_incr(struct site *site, const struct plan *plan, const struct media *media, struct incr *in);

/*
 * links_check in a plain rebuild (a build into the output of an earlier
 * one, with the parse cache on disk: the pages' parse_key): the same memo
 * as serve's, kept between builds in a record of the site folder's
 * (diskcache.h's diskcache_links_read): a page whose parse_key is its
 * entry's, in the same world, takes it instead of a check. dir: the site
 * folder. *checked gets the pages checked (the others took their entry).
 */
int links_check_kept(struct site *site, const struct plan *plan, const struct media *media, const char *dir,
		     unsigned long *checked);

/*
 * Appends pg's body HTML with every placeholder replaced by what
 * links_check found. Done while rendering, on the render threads, rather
 * than by rewriting every page's HTML once more in memory.
 */
void links_put_html(struct buf *out, const struct page *pg);

#endif
