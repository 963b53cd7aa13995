/*
 * personyear: each person's year in review, from the one history walk and
 * the linked model: per person page and calendar year (site time zone) in
 * which they did something, the talks they gave, the questions they
 * answered, the events they organised or volunteered at, the pages they
 * wrote and translated, their commits, the points earned in the year and
 * the title reached by its end (contributors.c's rules, applied per year),
 * their first contribution and the longest run of consecutive active ISO
 * weeks. Counted once while the loader still has the walk (site.c, after
 * contributors_apply), kept in the site's arena; shown on
 * /people/NAME/YEAR/ in each language of the person page and read by
 * whatever draws a person's year (a poster) through personyear_find.
 */
#ifndef JIXIA_PERSONYEAR_H
#define JIXIA_PERSONYEAR_H

#include <stddef.h>

#include "model.h"
#include "util.h"

struct history;

/* What a dated contribution is. */
enum py_kind {
	PY_WRITTEN,     /* a default-language page whose first commit is theirs */
	PY_TRANSLATED,  /* a page in another language whose first commit is theirs */
	PY_ANSWER,      /* a question (role question) answered: answered_by, else the answering commit */
	PY_TALK,        /* an item naming them in a field of people part speaker */
	PY_ORGANISED,   /* ... of people part organizer */
	PY_VOLUNTEERED, /* ... of people part volunteer */
	PY_COMMIT,      /* a first-parent commit that changed content/ (author or co-author); last,
	                   so a day's first contribution is what the commit made when it made one */
	PY_KINDS
};

/* One dated contribution of a person. */
struct py_act {
	long long day; /* days since 1970 in the site's time zone */
	enum py_kind kind;
	long long points;      /* what it earned (a commit's, a page's, a question's bounty) */
	const struct page *pg; /* the item, the page written; for a commit, a page it changed, or NULL */
	size_t who;            /* the person's slot while counting */
};

/* A person's year. */
struct person_year {
	const struct page *person; /* the person page, default language */
	int year;
	long long n[PY_KINDS];   /* contributions of each kind in the year */
	long long points;        /* earned in the year, bounties included */
	long long bounty_points; /* of points: the bounties of questions answered in the year */
	long long points_total;  /* earned up to the year's end */
	int title;               /* index into site->titles reached by the year's end, -1 for none */
	long long active_weeks;  /* ISO weeks of the year (the year of their Thursday) with a contribution */
	long long streak;        /* the longest run of consecutive active weeks among them (first) */
	long long streak_start;  /* its first Monday and last Sunday (days since 1970); 0 when none */
	long long streak_end;
	const struct py_act *first; /* the person's first contribution (the same every year) */
	const struct py_act *acts;  /* the year's contributions, by day, kind, path */
	size_t nacts;
};

/*
 * Counts site->person_years from the walk h and the model (after
 * contributors_apply); none when h read no repository and no item names a
 * person. Reads only what the walk recorded (no second walk).
 */
void personyear_build(struct site *site, struct history *h);

/*
 * The years of person (a person page in any language): *n of them, oldest
 * first, or NULL when none.
 */
const struct person_year *personyear_of(const struct site *site, const struct page *person, size_t *n);

/* The year of person, or NULL: what a poster of it draws. */
const struct person_year *personyear_find(const struct site *site, const struct page *person, int year);

/* The words of a person's year page, in its language (the theme's strings). */
struct personyear_words {
	const char *numbers, *commits, *points, *bounty, *title, *written, *translated, *talks, *answers,
		*organised, *volunteered, *streak, *active_weeks, *first, *kinds[PY_KINDS];
	const char *colon; /* after a label: ": ", "：" */
	const char *span;  /* the streak: "{weeks} weeks, from {from} to {to}" */
};

/* Year py's page body in language lang (an index into the site's languages). */
void personyear_html(struct buf *out, const struct site *site, const struct person_year *py, size_t lang,
		     const struct personyear_words *w);

/* The links to person's year pages, newest first: hrefs[i] is the page of years[i]. */
void personyear_links(struct buf *out, const struct person_year *years, const char *const *hrefs, size_t n,
		      int current);

#endif
