/*
 * alias: the old addresses of pages (front matter aliases:, checked and
 * placed by the model). Each gets a small page that sends the reader on:
 * a meta refresh, a canonical link, noindex, and the link in its body for
 * whoever does not follow the refresh. They are outputs of the plan
 * (PLAN_ALIAS, written by the feeds stage), left out of the sitemap and
 * the search; a link to one is a link to its page.
 */
#ifndef JIXIA_ALIAS_H
#define JIXIA_ALIAS_H

#include "media.h"
#include "model.h"
#include "plan.h"
#include "util.h"

/*
 * Reports, at the alias, each whose file another output of the plan, a
 * published file or another alias already has (letter case and Unicode
 * form aside, as a case-insensitive disk sees them), or whose folder is a
 * file. Returns 0 or -1.
 */
int alias_check(const struct site *site, const struct plan *plan, const struct media *media);

/* The redirect page of alias a of pg into out (emptied). */
void alias_html(struct buf *out, const struct site *site, const struct page *pg, const struct alias *a);

#endif
