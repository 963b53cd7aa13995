/*
 * history: what the repository's history knows about the content. One walk
 * down the first-parent chain from the commit being built (HEAD for a
 * working-tree build) gives, per Markdown file under content/, the commits
 * that changed it, renames followed; once the model is linked, those become
 * page dates and authors, contributor points and titles, and the status of
 * every translation. The result is written into the model and frozen
 * before rendering; no git handle outlives history_free().
 */
#ifndef JIXIA_HISTORY_H
#define JIXIA_HISTORY_H

#include <stddef.h>

#include "model.h"
#include "source.h"

struct history;

/*
 * Opens the repository that holds src->root and, when walk is set, walks
 * its history: from src->commit for a --ref build, else from HEAD (working
 * tree files whose bytes differ from HEAD are marked uncommitted). When
 * walking, not a git repository, a shallow clone or an unreadable history
 * is one DIAG_NOTICE warning each (never an error, even with --strict):
 * the site builds without or with approximate git data. Without walk (jixia
 * check) the repository only serves to check translated_from ids. *out is
 * always set; free it with history_free() once history_apply() is done.
 * Returns 0.
 */
int history_open(struct history **out, const struct source *src, int walk);

/* Commits walked and Markdown files followed, for the -v line. */
size_t history_commits(const struct history *h);
size_t history_files(const struct history *h);

/*
 * Writes what the walk found into the linked site: each page's created,
 * updated, authors, edit and history links and translation status, the
 * contributors with points and titles (site.yaml contributors:), each
 * language's translation status (site->l10n). Reports site.yaml mistakes
 * in contributors: (errors) and unknown translated_from commits
 * (warnings) at their line:col. Everything it writes lives in the site's
 * arena, so h may be freed right after. Returns 0, or -1 after an error.
 */
int history_apply(struct history *h, struct site *site);

void history_free(struct history *h);

#endif
