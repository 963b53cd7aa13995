/*
 * contributors: the people who made the content and what it counts for:
 * site.yaml's contributors: (points and titles), then, from what the
 * history walk found, each contributor's commits, created pages, points,
 * rank and title, and each page's authors. The loader (site.c) calls both
 * once the model is linked, around history_apply; everything they write
 * lives in the site's arena.
 */
#ifndef JIXIA_CONTRIBUTORS_H
#define JIXIA_CONTRIBUTORS_H

#include "model.h"

struct history;
struct history_blob_memo;

/*
 * site.yaml's contributors: into site->points (one line per type in rank
 * order, then translation and commit; defaults where it says nothing) and
 * site->titles (by min). Reports mistakes at their line:col; site->points
 * is set even then. Returns 0, or -1 after an error.
 */
int contributors_config(struct site *site);

/*
 * The contributors of the walk h, by site->points and site->titles
 * (contributors_config first): site->contributors ranked, each person
 * page's contributor, each page's git_authors. Does nothing when h read
 * no repository.
 */
void contributors_apply(struct site *site, struct history *h);

/*
 * 1 when src (a question's file, read leniently) is answered: a body with
 * more than white space and the field named field (role question) not
 * open. A keep function for history_since.
 */
int contributors_answered(const char *src, size_t len, void *field);

/*
 * The commit after which question pg (a page of a type with role question)
 * stayed answered, as history_since finds it with contributors_answered,
 * or -1: read once per file for as long as h lives (history_since_kept),
 * however many of the model's counts ask.
 */
long contributors_answered_at(struct history *h, const struct page *pg);

/*
 * contributors_answered_at of n questions at once, read on jobs threads
 * (history_since_all; src: the load's files, or NULL).
 */
void contributors_answered_all(struct history *h, const struct page *const *pages, size_t n,
			       const struct source *src, int jobs);

/*
 * The answers of the questions' files as the working tree has them, by
 * blob id: a build that frees each Markdown file once it is parsed finds
 * them in the parse workers, while the bytes are at hand, and lends them
 * to the history as its blob memo (history.h) for the model stage, so the
 * newest version of a question is not read from git and inflated again.
 * A blob id names its bytes, so an answer found here is the one git's
 * copy would give, wherever the file is or whatever its history.
 */
struct contributors_wt;

/* Room for n files' answers (slots 0..n-1, none set); free with contributors_wt_free. */
struct contributors_wt *contributors_wt_new(size_t n);

/*
 * Slot i: the answer of src (len bytes, a file of a type whose role
 * question is field) for that field. Workers may set distinct slots at
 * once. field must outlive w.
 */
void contributors_wt_set(struct contributors_wt *w, size_t i, const char *field, const char *src, size_t len);

/*
 * The answers set so far as a blob memo for history_set_blob_memo (its
 * put keeps nothing): call once every slot is set, before the reads; out
 * borrows w.
 */
void contributors_wt_memo(struct history_blob_memo *out, struct contributors_wt *w);

/* The answers w's memo gave (-v), and those it was told of (read from git). */
void contributors_wt_counts(const struct contributors_wt *w, size_t *hits, size_t *reads);

void contributors_wt_free(struct contributors_wt *w);

#endif
