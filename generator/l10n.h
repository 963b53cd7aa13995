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
 * Runs `jixia l10n [DIR] [--lang L] [--ref REF] [--format text|json]`;
 * argv[0] is "l10n". The report goes to stdout, diagnostics to stderr.
 * Returns the exit code: 0 (outdated or missing translations are not
 * errors), 1 when the site has content errors (the report is still
 * printed), 2 for usage or environment errors.
 */
int l10n_run(int argc, char **argv);

/*
 * Each language's translation status into site->l10n (every language but
 * the default): per type, the originals, the translations and how many of
 * them are outdated, and the outdated and missing pages. Reads
 * page->outdated, so it runs once history_apply has set them (it calls
 * this). Everything lives in the site's arena.
 */
void l10n_status(struct site *site);

#endif
