/*
 * suggest: "did you mean" for every name a contributor may mistype (ids,
 * field names, site.yaml keys, enum values, links, anchors, languages, git
 * references). A set of candidates is asked for the one nearest a name that
 * matched nothing: equal when letter case and punctuation are ignored
 * (Zhang_Wei ~ zhang-wei), else the fewest edits (Damerau-Levenshtein as
 * optimal string alignment, over case-folded code points) within a bound
 * that grows with the name's length. Ties go to the smallest name bytewise,
 * so the answer never depends on the order candidates were added in.
 */
#ifndef JIXIA_SUGGEST_H
#define JIXIA_SUGGEST_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Code points of a name that are compared; the rest of a longer name is not. */
#define SUGGEST_MAX_LEN 64
/* The most edits a suggestion may be away, however long the name. */
#define SUGGEST_MAX_DIST 4

/*
 * Candidates, each a name to compare and what to suggest for it (a person's
 * name 张伟 suggests their id zhang-wei). Zeroed (SUGGEST_INIT) it is empty.
 * Not thread-safe: one owner adds and asks.
 */
struct suggest {
	struct suggest_entry *v;
	size_t n, cap, sorted; /* v[0..sorted) is in order of key length */
	int32_t *cp;           /* every entry's folded code points, then its key's */
	size_t ncp, capcp;
	struct suggest_near *near; /* suggest_best's candidates within reach (n of them at most) */
	size_t nnear;
};
/* clang-format off */
#define SUGGEST_INIT { NULL, 0, 0, 0, NULL, 0, 0, NULL, 0 }
/* clang-format on */

/*
 * Adds the candidate name (read during the call only), suggested as shown
 * (borrowed: it must outlive the set; it may be name). An empty name is
 * not added.
 */
void suggest_add(struct suggest *s, const char *name, const char *shown);

/*
 * The shown string of the candidate nearest typo, or NULL when none is near
 * enough (or the run's budget of comparisons is spent, see suggest.c). A
 * candidate shown as typo itself is never suggested. Borrowed from the set.
 */
const char *suggest_best(struct suggest *s, const char *typo);

void suggest_release(struct suggest *s);

/* The nearest of names (NULL-terminated; "" entries skipped) to typo, or NULL. */
const char *suggest_list(const char *typo, const char *const *names);

/*
 * "; did you mean 'best'?" into out (emptied first), or nothing when best
 * is NULL: the tail of a diagnostic. Returns buf_cstr(out).
 */
const char *suggest_hint(struct buf *out, const char *best);

/*
 * The optimal string alignment distance of a and b after case folding
 * (NFKC), over code points, each cut at SUGGEST_MAX_LEN.
 */
int suggest_distance(const char *a, const char *b);

/* Sets the comparisons left for this run (tests); returns the previous count. */
size_t suggest_set_budget(size_t units);

#endif
