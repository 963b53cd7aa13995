/*
 * plankind: the kinds of file jixia writes, what each is called in the
 * templates and the name it takes at the top of the site and of each
 * language's folder, which no page, taxonomy or published file may take.
 * Apart from the plan (plan.h) so the model can check its names against
 * them before any plan exists, with nothing of the model in here.
 */
#ifndef JIXIA_PLANKIND_H
#define JIXIA_PLANKIND_H

#include <stddef.h>

/* The names of the feed files: beside a page or list, and at a language's top. */
#define ATOM_FILE "atom.xml"
#define ICS_CALENDAR "events.ics"
#define ICS_EXT ".ics"
/*
 * jixia serve's own addresses (/_jixia/events, /_jixia/live.js): reserved
 * like the names of the plan's outputs, so a page never hides behind them
 * in the preview, though jixia build writes nothing there.
 */
#define SERVE_TOP "_jixia"

enum plan_kind {
	/* HTML, rendered through the theme's layouts (render.c) */
	PLAN_PAGE,              /* a content page */
	PLAN_HOME,              /* a language's home page */
	PLAN_LIST,              /* one page of a type's list */
	PLAN_YEAR,              /* a dated type's items of one year */
	PLAN_TAXONOMY,          /* a taxonomy's index of its terms */
	PLAN_TERM,              /* the pages of one term */
	PLAN_CONTRIBUTORS,      /* a language's /contributors/ (the site has git history) */
	PLAN_L10N,              /* a language's /l10n/, translation status (history and a second language) */
	PLAN_HELP,              /* a language's /help-wanted/: open questions, translations, open calls */
	PLAN_SEARCH,            /* a language's search page (the index under search/ is search.c's) */
	PLAN_CONTRIBUTORS_YEAR, /* a language's /contributors/YEAR/: the community's year in review */
	PLAN_INSIGHTS,          /* a language's /insights/, the numbers per period as charts (insights.c) */
	PLAN_PERSON_YEAR,       /* a person's year in review, under their page: /people/NAME/YEAR/ */
	PLAN_NOTFOUND,          /* 404.html, in the default language: a server cannot tell the reader's */
	/* the feeds stage (feeds.c) */
	PLAN_FEED_SITE,     /* a language's Atom feed of the whole site, beside its home page */
	PLAN_FEED_TYPE,     /* the Atom feed of a type in a language, beside its list */
	PLAN_FEED_TERM,     /* the Atom feed of a term, beside its page */
	PLAN_CALENDAR,      /* a language's iCalendar of every event (the site has events) */
	PLAN_EVENT,         /* one event's iCalendar, beside its page */
	PLAN_SITEMAP,       /* sitemap.xml (and its parts past 50,000 URLs, sitemap.c) */
	PLAN_ROBOTS,        /* robots.txt */
	PLAN_ALIAS,         /* an old address of a page (aliases:): a redirect to it (alias.c) */
	PLAN_INSIGHTS_CSV,  /* /insights/data.csv, in the default language's folder */
	PLAN_INSIGHTS_JSON, /* /insights/data.json, beside it */
	/* drawn as PNG (cards.c, poster.c) */
	PLAN_POSTER_YEAR,   /* /contributors/YEAR/poster.png in each language: the year's poster */
	PLAN_CARD,          /* card.png beside a page (social_cards: true): its og:image */
	PLAN_POSTER_PERSON, /* poster.png beside a person's year page: their year's poster */
	/* published as they are (media.c) */
	PLAN_ASSET, /* a file of the theme's assets/ */
	PLAN_KINDS
};

/* What every output of one kind shares. */
struct plan_kind_info {
	const char *name; /* the templates' {{kind}} and its {{#NAME}} flag: "page", "home", "notfound" */
	const char *top;  /* its name at the top of the site and of each language's folder: "search/"
	                     (a folder), "sitemap.xml" (a file); no page, taxonomy or published file may
	                     take it. NULL when it lives under a page's or a list's URL */
	int linked;       /* top: a link may point at it in every language (a plan made by jixia check,
	                     which reads no history, still lets links reach /contributors/) */
	int sitemap;      /* listed in sitemap.xml */
};

/* Indexed by enum plan_kind. */
extern const struct plan_kind_info plan_kinds[PLAN_KINDS];

/*
 * The kind whose top name seg (n bytes: a URL's first segment under a
 * language's prefix) is, in any letter case (a case-insensitive disk), or
 * NULL.
 */
const struct plan_kind_info *plan_reserved(const char *seg, size_t n);

#endif
