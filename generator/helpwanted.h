/*
 * helpwanted: what the community asks of its contributors, per language,
 * for the /help-wanted/ page and the home page: questions without an
 * answer yet (role question; role bounty first, then the oldest), the
 * translations to write and to bring up to date (from the l10n status, in
 * its readers' order) with the command that starts each, and upcoming
 * items whose call for speakers or volunteers is still open (role call).
 */
#ifndef JIXIA_HELPWANTED_H
#define JIXIA_HELPWANTED_H

#include "model.h"

/*
 * Fills site->help, one struct help_lang per language, in the site's
 * arena. Runs after l10n_order (it reads the ordered missing pages).
 */
void help_build(struct site *site);

#endif
