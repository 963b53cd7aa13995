/*
 * sitemap: sitemap.xml with hreflang alternates (past 50,000 URLs or 50 MiB,
 * sitemap-1.xml, sitemap-2.xml... and sitemap.xml their index) and
 * robots.txt, which names it.
 */
#ifndef JIXIA_SITEMAP_H
#define JIXIA_SITEMAP_H

#include <stddef.h>

#include "model.h"
#include "plan.h"
#include "util.h"
#include "write.h"

/*
 * Writes sitemap.xml (and sitemap-N.xml) of site's plan into out.
 * Returns 0 or -1 (after a diag error from output_write); *files_out
 * counts the files written.
 */
int sitemap_write(const struct site *site, const struct plan *plan, struct output *out, size_t *files_out);

/* robots.txt, appended to b: everything may be crawled, and where the sitemap is. tmp is scratch. */
void sitemap_robots(struct buf *b, struct buf *tmp, const struct site *site);

#endif
