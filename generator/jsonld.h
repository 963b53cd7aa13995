/*
 * jsonld: schema.org structured data for search engines, written as the
 * <script type="application/ld+json"> elements of a page's <head>. Made
 * while the page renders, from the frozen model: the node its type's role
 * schema names (Event, FAQPage, TechArticle, Article, Person, Organization,
 * JobPosting, SoftwareSourceCode, Place; none on an expired item's page), a
 * VideoObject when the field of role video is set, and a BreadcrumbList. Every string
 * is JSON-escaped with < > & as \u003c \u003e \u0026, so no value can close
 * the script element.
 */
#ifndef JIXIA_JSONLD_H
#define JIXIA_JSONLD_H

#include "lists.h"
#include "model.h"
#include "theme.h"
#include "util.h"

/*
 * Appends the script elements of page pg to out (trusted HTML; nothing
 * when pg has no structured data). theme gives the UI strings of the
 * breadcrumb names.
 */
void jsonld_page(struct buf *out, const struct site *site, const struct theme *theme, const struct page *pg);

/*
 * The plain text of HTML the generator made (a rendered body) clipped to
 * max characters as text_clip does, appended to out: the text of a FAQ
 * answer or a job's description. Exposed for its tests.
 */
void jsonld_html_text(struct buf *out, const char *html, size_t n, size_t max);

/* Likewise for a listing: its breadcrumbs, and a FAQPage on the list of a FAQPage type. */
void jsonld_listing(struct buf *out, const struct site *site, const struct theme *theme,
		    const struct listing *l);

#endif
