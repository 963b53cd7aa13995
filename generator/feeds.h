/*
 * feeds: what feed readers, calendars and crawlers fetch, made from the
 * frozen model in the same run as the pages: Atom feeds (each language's
 * whole site, each type, each taxonomy term), iCalendar (every event of
 * the site, and one file per event), sitemap.xml with hreflang alternates
 * (a sitemap index over files of at most 50,000 URLs when the site is
 * larger) and robots.txt. Like the pages, every file goes through
 * output_write, on the worker pool.
 */
#ifndef JIXIA_FEEDS_H
#define JIXIA_FEEDS_H

#include <stddef.h>

#include "lists.h"
#include "model.h"
#include "theme.h"
#include "write.h"

/*
 * Where the files are, so templates can link to them. An Atom feed is
 * FEEDS_ATOM in the folder of the HTML page it follows: "/atom.xml" (a
 * language's home: the whole site), "/talks/atom.xml", "/tags/vacuum/atom.xml",
 * "/en/atom.xml". A language's calendar is FEEDS_CALENDAR beside its home
 * page. An event's own .ics is its URL with the trailing '/' replaced by
 * FEEDS_ICS ("/events/2024-05-meetup.ics").
 */
#define FEEDS_ATOM "atom.xml"
#define FEEDS_CALENDAR "events.ics"
#define FEEDS_ICS ".ics"

/*
 * Writes every feed, calendar, sitemap and robots.txt of site into out, on
 * nthreads threads. Feeds list the pages that have a date (newest first, at
 * most 50); a page without one joins them once it has one. Returns 0 or -1
 * (after a diag error from output_write). *files_out counts the files.
 */
int feeds_write(const struct site *site, const struct theme *theme, const struct lists *lists,
		struct output *out, int nthreads, size_t *files_out);

/*
 * The files the feeds stage writes beside others, appended to b: a feed
 * beside an HTML page ("talks/index.html", FEEDS_ATOM -> "talks/atom.xml"),
 * an event's own calendar ("events/x/index.html" -> "events/x.ics").
 */
void feeds_beside(struct buf *b, const char *out_path, const char *name);
void feeds_event_path(struct buf *b, const struct page *pg);

/* 1 when pg is an event (its type has role calendar) with a date: it has an .ics file. */
int feeds_is_event(const struct page *pg);

/*
 * The absolute URL of href (a URL under the base path, as in page->href)
 * as a URI: base_url, then href without the base path, percent-encoded
 * where a URI may not hold a byte (escape_uri). Appended to out.
 */
void feeds_url(struct buf *out, const struct site *site, const char *href);

/*
 * A URL as the links stage left it (a page's picture, a url field) made
 * absolute: a path under the base path as feeds_url, "//host/x" with
 * base_url's scheme, anything else (https://...) as it is, percent-encoded.
 */
void feeds_any_url(struct buf *out, const struct site *site, const char *url);

/*
 * The instant of pg's date in seconds since 1970 in *out: a datetime as
 * written, a day at midnight in the site's time zone. Returns 0, or -1
 * when pg has no date.
 */
int feeds_page_time(const struct site *site, const struct page *pg, long long *out);

/* secs as RFC 3339 in the site's time zone ("2024-05-18T14:00:00+08:00"), appended to out. */
void feeds_rfc3339(struct buf *out, const struct site *site, long long secs);

#endif
