/*
 * l10n: the `jixia l10n` command, the translators' view of the site. It
 * reads the site as `jixia check` does, walks the history, and prints for
 * each language other than the default what is translated, which
 * translations are outdated (their original changed since the revision
 * they follow) and which pages are missing, in the order readers meet
 * them, with the file to create and the words to translate: the data of
 * the /l10n/ page, which l10n_status and l10n_order compute for every
 * build. `--diff PATH` prints what changed in an outdated translation's
 * original.
 */
#ifndef JIXIA_L10N_H
#define JIXIA_L10N_H

#include "lists.h"
#include "model.h"

/*
 * The options of `jixia l10n`, as main.c parsed them.
 */
struct l10n_opts {
	const char *dir;  /* the site folder, "." by default */
	const char *ref;  /* --ref, or NULL for the working tree */
	const char *lang; /* --lang, or NULL for every language but the default */
	const char *diff; /* --diff PATH: a translation's file, as the report names it; or NULL */
	long long now;    /* --now, else SOURCE_DATE_EPOCH (seconds), else -1 for the clock */
	int json;         /* --format json */
};

/* The names of enum l10n_reach, for JSON and templates: "upcoming", "home", "nav", "other". */
extern const char *const l10n_reach_names[];

/*
 * Runs `jixia l10n` with the options main.c parsed. The report goes to
 * stdout, diagnostics to stderr. Returns the exit code: 0 (outdated or
 * missing translations are not errors), 1 when the site has content
 * errors (the report is still printed), 2 for usage or environment errors.
 */
int l10n_run(const struct l10n_opts *opts);

/*
 * Each language's translation status into site->l10n (every language but
 * the default): per type, the originals, the translations and how many of
 * them are outdated, and the outdated and missing pages. Reads
 * page->outdated, so it runs once the site is loaded to SITE_MODEL (the
 * build and l10n commands call it then). Everything lives in the site's
 * arena.
 */
void l10n_status(struct site *site);

/*
 * Puts each language's missing pages in the order readers meet them, as
 * the default language's listings show the originals: upcoming events
 * (soonest first), then the pages on the home page (in its order), then
 * those on the first page of each type's list (the navigation's), then the
 * rest, most recently changed first (last commit, else the date field);
 * equal ones by path. Sets each one's reach. Runs after l10n_status, once
 * the listings are built.
 */
void l10n_order(struct site *site, const struct lists *lists);

#endif
