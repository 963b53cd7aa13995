/*
 * insights: the community's numbers over time, per month (or per quarter
 * when the history spans more than two years), from the one history walk's
 * tables (history_found) and the linked model: commits, active and new
 * contributors, content added by type and translations, events held, the
 * top contributor of each period; events held by city and kind, talks per
 * event, questions answered and open, translation coverage per language
 * (the answers from the versions the walk recorded). Counted once while the loader still has
 * the walk (site.c, after contributors_apply), kept in the site's arena;
 * shown as charts on each language's /insights/ and written as
 * /insights/data.csv and data.json.
 */
#ifndef JIXIA_INSIGHTS_H
#define JIXIA_INSIGHTS_H

#include <stddef.h>

#include "model.h"
#include "util.h"

struct history;

/* A contributor's commits in a year. */
struct insights_person {
	const char *name;
	long long commits;
	const struct page *person; /* their person page (default language), or NULL */
	const char *href;          /* that person's page of the year (personyear.c), or NULL */
};

/* One calendar year (site time zone): the sums of its periods, and its own distinct people. */
struct insights_year {
	int year;
	size_t p0, np; /* its periods: [p0, p0 + np) */
	long long commits, active, newcomers, translations, events;
	long long *added;            /* per insights->types */
	struct insights_person *top; /* most commits first, then name; at most INSIGHTS_TOP */
	size_t ntop;
};

#define INSIGHTS_TOP 10

struct insights {
	int quarters;            /* periods are quarters ("2024-Q1"), else months ("2024-01") */
	size_t n;                /* periods, oldest first, none skipped */
	const char **labels;     /* each period's name */
	long long *commits;      /* first-parent commits that changed content/ */
	long long *active;       /* distinct contributors (mapped e-mail) with a commit */
	long long *newcomers;    /* contributors whose first commit is in the period */
	long long *translations; /* pages in other languages than the default added */
	long long *events; /* items of calendar types (default language) held: dated in it, not after today */
	size_t ntypes;     /* the types with any item added, in folder order */
	const char **types; /* their names */
	long long *added;   /* added[t * n + i]: default-language items of types[t] added in period i */
	const char **top;   /* the contributor with most commits in the period (name), "" for none */
	long long *top_commits;
	struct insights_year *years; /* each year of the periods, oldest first: /contributors/YEAR/ */
	size_t nyears;

	/* Events held by city and kind, talks at them, questions, translation coverage (S_more_*). */
	size_t ncities; /* the cities of the events held: most events first, then by bytes */
	const char **cities;
	long long *by_city; /* by_city[c * n + i]; row ncities: events held without a city */
	size_t nkinds;      /* likewise their kinds (values of the kind field) */
	const char **kinds;
	long long *by_kind;   /* by_kind[k * n + i]; row nkinds: without a kind */
	long long *talks;     /* talks (items of a type with a speaker field) naming an event held */
	long long *talk_bins; /* talk_bins[b * n + i]: events held with 0, 1, 2-3 and 4+ talks */
	long long *answered;  /* questions (role question, default language) answered at the end */
	long long *open;      /* and still open at the end */
	size_t nlangs;        /* the languages but the default, in site.yaml's order */
	const struct lang **langs;
	long long *originals; /* default-language pages at each period's end */
	long long *current;   /* current[l * n + i]: originals with an up-to-date translation in langs[l] */
	long long *behind;    /* behind[l * n + i]: originals whose translation in langs[l] is outdated */
};

#define INSIGHTS_TALK_BINS 4

/*
 * Counts site->insights from the walk h (site->insights stays NULL when h
 * read no repository or found no commit that changed content/).
 */
void insights_build(struct site *site, struct history *h);

/* Days since 1970 of the instant t (seconds) in the site's time zone: the
 * day insights and the year pages count it in. */
long long insights_day(const struct site *site, long long t);

/* The words of the charts, in the page's language (the theme's strings). */
struct insights_words {
	const char *period, *commits, *active, *returning, *newcomers, *top, *translations, *events, *added,
		*commits_desc, *people_desc, *added_desc, *events_desc;
	/* the later charts: events by city and kind, talks per event, questions, translation coverage */
	const char *by_city, *by_kind, *talks, *questions, *coverage, *other, *answered, *open, *current,
		*behind, *missing, *talks_bins[INSIGHTS_TALK_BINS], *by_city_desc, *by_kind_desc, *talks_desc,
		*questions_desc, *coverage_desc;
	/* the UI string of key ("kind_meetup"), or NULL: an enum value's label */
	const char *(*label)(const char *key, const void *arg);
	const void *arg;
};

/* The charts of ins as HTML (inline SVG with their tables). */
void insights_html(struct buf *out, const struct insights *ins, const struct insights_words *w);

/* The words of a year's page. */
struct insights_year_words {
	const char *commits, *active, *newcomers, *translations, *events, *added, *top, *contributor, *period,
		*commits_desc;
};

/*
 * Year y's page body: its numbers, pages added by type, a chart of its
 * periods, its top contributors, each linked to hrefs[i] (their year in
 * the page's language) when hrefs is given, else to the top's own href.
 */
void insights_year_html(struct buf *out, const struct insights *ins, size_t y, const char *const *hrefs,
			const struct insights_year_words *w);

/* data.csv and data.json: every number, one row (object) per period. */
void insights_csv(struct buf *out, const struct insights *ins);
void insights_json(struct buf *out, const struct insights *ins);

#endif
