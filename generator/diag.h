/*
 * diag: diagnostics for contributors. Every stage reports problems here with
 * the file, line and column they came from; nothing is printed until
 * diag_flush(), which sorts them so the output is the same at any -j.
 * Reporting is thread-safe.
 */
#ifndef JIXIA_DIAG_H
#define JIXIA_DIAG_H

#include <stdio.h>

#include "util.h"

enum diag_level {
	DIAG_WARNING,
	DIAG_ERROR,
	DIAG_NOTICE /* about the environment (no git repository, a shallow clone):
	                printed as a warning, never made an error by --strict */
};

enum diag_format {
	DIAG_TEXT,   /* path:line:col: error: message */
	DIAG_GITHUB, /* ::error file=path,line=L,col=C::message */
	DIAG_JSON    /* one JSON object per line; its "file" exact (JSON escapes) */
};

/*
 * Records one diagnostic. path may be NULL (a whole-run problem, printed as
 * "jixia"); line and col are 1-based, 0 when unknown.
 */
void diag_report(enum diag_level level, const char *path, int line, int col, const char *fmt, ...)
	JX_PRINTF(5, 6);
#define diag_error(path, line, col, ...) diag_report(DIAG_ERROR, path, line, col, __VA_ARGS__)
#define diag_warn(path, line, col, ...) diag_report(DIAG_WARNING, path, line, col, __VA_ARGS__)

/* Errors and warnings recorded so far (including flushed ones). */
int diag_errors(void);
int diag_warnings(void);
/* Diagnostics of any level collected and not yet flushed (notices too). */
size_t diag_pending(void);

/*
 * Diagnostics reported so far by the calling thread (any level): a worker
 * tells from two readings whether one job reported anything (serve's parse
 * cache keeps only results that did not).
 */
size_t diag_thread_reports(void);

/*
 * With --strict, warnings count as errors. Call before reporting starts.
 */
void diag_set_strict(int strict);

/*
 * Where diag_flush finds a file's text to quote the offending line under a
 * text diagnostic (with a caret under the column). Returns the bytes and
 * sets *len, or NULL; borrowed until diag_flush returns. NULL lookup: no
 * quoting.
 */
typedef const char *(*diag_text_fn)(const char *path, size_t *len, void *payload);
void diag_set_text(diag_text_fn lookup, void *payload);

/*
 * Keeps only diagnostics whose path keep() accepts (jixia check
 * --changed-since); diagnostics without a path are always kept. NULL: all.
 * Errors dropped by the filter do not count in diag_reported_errors().
 */
typedef int (*diag_keep_fn)(const char *path, void *payload);
void diag_set_filter(diag_keep_fn keep, void *payload);

/* Errors printed by diag_flush so far (after the filter). */
int diag_reported_errors(void);

/*
 * Appends s (n bytes: one line of untrusted text, without its line end)
 * to out as a diagnostic shows text: a control, C1, separator, bidi or
 * other character that does not show (U+200B), or a byte that is not
 * UTF-8, as \xHH, \uHHHH or \UHHHHHHHH, and no GitHub workflow command;
 * a tab stays a tab. For text jixia prints that is not a diagnostic
 * (`jixia l10n --diff`).
 */
void diag_clean_line(struct buf *out, const char *s, size_t n);

/*
 * jixia serve: diag_flush also writes each diagnostic it prints, as one
 * JSON object per line (the json format), to copy; for the browser's
 * overlay. NULL: no copy.
 */
void diag_set_copy(FILE *copy);

/*
 * A flush prints at most this many diagnostics of one file, and this many
 * in all (the first in its order), then a note of how many more there were.
 */
#define DIAG_MAX_FILE 500
#define DIAG_MAX 20000

/* Prints the pending diagnostics sorted by path, line, column, and forgets them. */
void diag_flush(FILE *out, enum diag_format format);

/* Drops pending diagnostics and resets the counts (tests use this). */
void diag_reset(void);

#endif
