/*
 * plan: every file the site will have, in one array built once after the
 * model and the lists: its kind, its language, its URL, its file and what
 * exactly it is made from. Render, feeds and media each write their slice;
 * the sitemap, link checking, media's clash checks and the reserved names
 * read the whole. It is frozen before the parallel stages, which only read
 * it, and its order is fixed by the model, never by threads or -j.
 * The kinds of output and the names they reserve are plankind.h's.
 */
#ifndef JIXIA_PLAN_H
#define JIXIA_PLAN_H

#include <stddef.h>

#include "plankind.h"
#include "util.h"

struct alias;
struct listing;
struct lists;
struct page;
struct picture;
struct person_year;
struct site;
struct term;
struct theme;
struct theme_asset;
struct type;

/*
 * One file jixia writes. What it is made from, by kind; the pointers a
 * kind does not name are NULL:
 *   PLAN_PAGE        page
 *   PLAN_PERSON_YEAR person: the person page (its language); year: its site->person_years
 *   PLAN_HOME..TERM  list (its items, upcoming events, years, terms: lists.h)
 *   PLAN_CONTRIBUTORS  the site's contributors, points and titles (history stage)
 *   PLAN_L10N        the site's translation status (site->l10n)
 *   PLAN_HELP        what the community asks for in lang (site->help)
 *   PLAN_SEARCH, PLAN_NOTFOUND  the language's UI strings only
 *   PLAN_FEED_SITE   every page in lang
 *   PLAN_FEED_TYPE   every page in lang of type; list: page 1 of that list, which it follows
 *   PLAN_FEED_TERM   term: its pages
 *   PLAN_CALENDAR    every event of the site, each in lang where it is translated
 *   PLAN_EVENT       page: the event
 *   PLAN_SITEMAP     the plan's outputs whose kind has sitemap, and their translations
 *   PLAN_ROBOTS      base_url only
 *   PLAN_ALIAS       page: where it redirects; alias: the old address
 *   PLAN_POSTER_YEAR  the year's numbers (site->insights->years[year]) in lang's words
 *   PLAN_CARD        page: its title, type, date, people and city
 *   PLAN_POSTER_PERSON  person, person_year, year: as the year page it is beside
 *   PLAN_ASSET       asset
 * Every HTML output also shows the site's navigation and language switcher.
 */
struct plan_output {
	enum plan_kind kind;
	size_t lang;          /* index into cfg->langs; the default language's for the
	                             outputs of no language (404.html, sitemap, robots.txt, assets) */
	const char *href;     /* its URL under the base path: "/sub/en/talks/x/", "/sub/talks/atom.xml" */
	const char *out_path; /* its file under the output root: "en/talks/x/index.html" */
	const struct page *page;
	const struct listing *list;
	const struct type *type;
	const struct term *term;
	const struct theme_asset *asset;
	const struct alias *alias;             /* PLAN_ALIAS: which of page's aliases */
	size_t year;                           /* PLAN_CONTRIBUTORS_YEAR: which of site->insights->years;
	                              PLAN_PERSON_YEAR: which of site->person_years */
	const struct page *person;             /* PLAN_PERSON_YEAR: the person page, in lang */
	const struct person_year *person_year; /* PLAN_PERSON_YEAR: that year (personyear.h) */
};

/* A run of the plan: v[first, first + n). */
struct plan_slice {
	size_t first, n;
};

struct plan {
	struct plan_output *v; /* every output, in plan order */
	size_t n;
	struct plan_slice html;             /* render's: pages, listings (in lists order), each language's
	                             contributors, then l10n, help wanted, search page, then 404.html */
	struct plan_slice feeds;            /* the feeds stage's: each language's site feed, type feeds, term
	                             feeds, each language's calendar, event calendars, sitemap, robots.txt,
	                             the pages' aliases */
	struct plan_slice images;           /* cards.c's: each language's year posters, the pages' cards */
	struct plan_slice assets;           /* media's: the theme's assets, by path */
	struct picture *cards;              /* [page index]: the page's card (href NULL: none), for
	                                       og:image; NULL without social_cards */
	struct picture *year_posters;       /* [lang * nyears + year]: each year page's poster */
	struct picture *person_posters;     /* [i]: the poster of person_years' output i */
	struct plan_slice person_years;     /* of html: the PLAN_PERSON_YEAR outputs, by person page, year */
	const struct plan_output **by_lang; /* [kind * nlangs + lang]: see plan_lang() */
	size_t nlangs;
	struct arena arena; /* the URLs and paths not borrowed from the model or the lists */
};

/*
 * Reports each file two outputs of p would write (a page whose address is
 * one jixia makes for something else, such as content/people/ada/2024.md
 * and Ada's year in review) at the page's file: -1 if there is one, else 0.
 */
int plan_check(const struct plan *p);

/*
 * serve: plan_check, with the order the outputs were sorted in by file
 * kept in *memo (made when NULL; free it with plan_memo_free): the next
 * check takes it when the plan has as many outputs and they are still
 * strictly in that order (one comparison per output, not a sort: the order
 * a sort would give).
 */
struct plan_memo;
int plan_check_kept(const struct plan *p, struct plan_memo **memo);
void plan_memo_free(struct plan_memo *m);

/* Of the last plan_check_kept with m: 1 when it sorted the outputs, 0 when the order held. */
int plan_memo_sorted(const struct plan_memo *m);

/*
 * Plans every output of site: its pages, the listings of lists, the
 * history stage's pages, the feeds and the theme's assets. Reads them all,
 * changes none; the plan borrows from them and must not outlive them.
 * Release with plan_release().
 */
void plan_build(struct plan *out, const struct site *site, const struct lists *lists,
		const struct theme *theme);

void plan_release(struct plan *p);

/*
 * The output of kind in language lang, for the kinds each language has at
 * most one of (PLAN_HOME, PLAN_CONTRIBUTORS, PLAN_L10N, PLAN_HELP, PLAN_SEARCH,
 * PLAN_NOTFOUND, PLAN_FEED_SITE, PLAN_CALENDAR); NULL when the site has none (or for any
 * other kind).
 */
const struct plan_output *plan_lang(const struct plan *p, enum plan_kind kind, size_t lang);

/* Whether href names a raster image a social network shows (og:image): by
 * its extension, before any query or fragment; SVG is not one. */
int plan_is_raster(const char *href);
/* The year page (PLAN_PERSON_YEAR) of person page pg (any language) in year, or NULL. */
const struct plan_output *plan_person_year(const struct plan *p, const struct page *pg, int year);

#endif
