/*
 * lists: every index page of the site, built once from the frozen model:
 * each language's home page, one paginated list per type, year archives
 * for dated types, each taxonomy's index of terms and one page per term
 * (by type when they are of several). Also orders the docs (a type with
 * role tree) as a tree: reading order, prev/next. Type roles pick the home
 * sections and the upcoming items, and group a type's list on one page
 * (role groups: orgs by kind, projects by category, venues by city and
 * capacity), with the tags its items carry.
 * Linear in pages plus terms, after one sort per language and type.
 */
#ifndef JIXIA_LISTS_H
#define JIXIA_LISTS_H

#include <stddef.h>

#include "model.h"

enum listing_kind {
	LIST_HOME,     /* a language's home page */
	LIST_TYPE,     /* one page of a type's list */
	LIST_YEAR,     /* a dated type's items of one year */
	LIST_TAXONOMY, /* the terms of one taxonomy */
	LIST_TERM      /* the pages of one term */
};

/* A home page section: the first items of a type's list, under the name its role home gives. */
struct home_section {
	const char *name; /* "latest_talks" */
	struct page **items;
	size_t n;
};

/* A tag as the items of one list carry it: its term (and page) and how many of them carry it. */
struct list_tag {
	const struct term *term;
	size_t count;
};

/* A link to a year archive. */
struct year_link {
	int year;
	const char *href;
	size_t count;
};

/*
 * One group of a grouped list (role groups): the items with one value of
 * a field, or with an int field in one range, or without a value.
 */
struct list_group {
	const char *name;      /* the value as first written; NULL for a range or none */
	size_t index;          /* an enum's value: its index in the field's values (its label's) */
	int none;              /* the items without a value (the last group) */
	const char *anchor;    /* an id for links within the page: "city-杭州", "capacity-31-100",
	                          "kind-university"; the field's name for none */
	long long min, max;    /* a range's lowest and highest value; LLONG_MIN, LLONG_MAX: open */
	const char *term_href; /* the value's term page when the field is a taxonomy; or NULL */
	struct page **items;   /* in list order */
	size_t n;
};

/*
 * The groups by one field: values by count then slug (enums in value
 * order), ranges ascending, the items without a value last.
 */
struct list_grouping {
	const struct field *field;
	struct list_group *v; /* only the groups with items */
	size_t n;
};

/* A term's pages of one type, on a term page whose pages are of several types. */
struct list_section {
	const struct type *type;
	const char *href; /* the type's list in the term's language */
	struct page **items;
	size_t n;
};

struct listing {
	enum listing_kind kind;
	size_t lang;             /* index into cfg->langs */
	const struct type *type; /* LIST_TYPE, LIST_YEAR */
	const char *taxonomy;    /* LIST_TAXONOMY, LIST_TERM */
	const char *index_href;  /* LIST_TERM: its taxonomy's index page */
	const struct term *term; /* LIST_TERM */
	int year;                /* LIST_YEAR */
	const char *href;        /* under the base path */
	const char *out_path;
	struct page **items; /* the pages on this page of the list */
	size_t nitems;
	size_t total;                      /* items in the whole list (all pages) */
	size_t page_no, npages;            /* pagination, 1-based */
	const struct listing *first;       /* page 1 of this list (itself on page 1) */
	const char *prev_href, *next_href; /* NULL at the ends */
	struct page **upcoming;            /* events (calendar type list page 1; home: its first calendar
				      section's): date >= today, soonest first */
	size_t nupcoming;
	struct year_link *years; /* LIST_TYPE of a dated type: its year archives, newest first */
	size_t nyears;
	const struct term *terms; /* LIST_TAXONOMY: its terms (a run of site->terms) */
	size_t nterms;
	struct list_tag *tags; /* LIST_TYPE with role groups: the tags its items carry, most carried
	                          first, then by slug: a filter that leads to the term pages */
	size_t ntags;
	struct home_section *sections; /* LIST_HOME: one per type with role home, in type order */
	size_t nsections;
	const struct term **popular_tags; /* LIST_HOME: most used first */
	size_t npopular_tags;
	struct list_grouping *groupings; /* LIST_TYPE of a type with role groups: one per group role entry */
	size_t ngroupings;
	struct list_section *by_type; /* LIST_TERM with pages of two types or more: per type, in rank order */
	size_t nby_type;
	struct page **roots; /* LIST_TYPE of a type with role tree: the pages at the top of the tree
	                        (no parent), in reading order; their children are page->children */
	size_t nroots;
};

struct lists {
	struct listing *v;
	size_t n;
	struct arena arena;
	size_t *firsts; /* the indices in v of the LIST_TYPE listings' first pages, in v's order
			   (lists_type's; NULL while the lists are being built) */
	size_t nfirsts;
};

/*
 * Builds every listing of site and sets the docs' prev/next. The site is
 * only read otherwise. Release with lists_release().
 */
void lists_build(struct lists *out, struct site *site);
void lists_release(struct lists *l);

/*
 * serve: lists_build, with the order each language's pages were sorted in
 * by the last build kept in *memo (made when NULL; free it with
 * lists_memo_free). The next build takes that order when it holds the
 * same pages and is still strictly in order (one comparison per page, not
 * a sort): the order a sort would give, whatever changed.
 */
struct lists_memo;
void lists_build_kept(struct lists *out, struct site *site, struct lists_memo **memo);
void lists_memo_free(struct lists_memo *m);

/* Of the last lists_build_kept with m, the languages whose pages were sorted again. */
size_t lists_memo_sorted(const struct lists_memo *m);

/* The section of home page h called name (n bytes, not terminated); or NULL. */
const struct home_section *lists_home_section(const struct listing *h, const char *name, size_t n);

/* The listing of kind LIST_TYPE, page 1, for type folder in language lang; or NULL. */
const struct listing *lists_type(const struct lists *l, size_t lang, const char *folder);

/*
 * The same listing as l in language lang (page 1 of it): the home page, the
 * type's list, the year, the taxonomy, the term of the same slug; NULL
 * when that language has none. What the language switcher and the
 * hreflang alternates of a listing lead to.
 */
const char *lists_peer(const struct lists *ls, const struct site *site, const struct listing *l, size_t lang);

#endif
