/*
 * l10n: the `jixia l10n` command, the translators' view of the site. It
 * reads the site as `jixia check` does, walks the history, and prints for
 * each language other than the default what is translated, which
 * translations are outdated (their original changed since the revision
 * they follow) and which pages are missing: the data of the /l10n/ page,
 * which l10n_status computes for every build.
 */
#ifndef JIXIA_L10N_H
#define JIXIA_L10N_H

#include "model.h"

/*
 * The options of `jixia l10n`, as main.c parsed them.
 */
struct l10n_opts {
	const char *dir;  /* the site folder, "." by default */
	const char *ref;  /* --ref, or NULL for the working tree */
	const char *lang; /* --lang, or NULL for every language but the default */
	int json;         /* --format json */
};

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

#endif
