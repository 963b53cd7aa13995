/*
 * history: what the repository's history knows about the content. One walk
 * down the first-parent chain from the commit being built (HEAD for a
 * working-tree build) gives, per Markdown file under content/, the commits
 * that changed it, renames followed; once the model is linked, those become
 * page dates and outdated translations, and what contributors.c reads
 * (history_found) to credit authors with points and titles; l10n.c
 * counts the translations' status from the pages. This module includes
 * neither: they build on it. The result is written into
 * the model and frozen before rendering. The repository handle is lent by
 * the caller (the loaded site's); no other git handle outlives
 * history_free().
 */
#ifndef JIXIA_HISTORY_H
#define JIXIA_HISTORY_H

#include <stddef.h>

#include <git2/oid.h>

#include "model.h"
#include "source.h"
#include "util.h"

struct history;

/*
 * Reads the repository that holds src->root through *repo (opened there by
 * source_repo_open unless a stage before opened it; the caller frees it,
 * after history_free) and, when walk is set, walks
 * its history: from src->commit for a --ref build, else from HEAD (working
 * tree files whose bytes differ from HEAD are marked uncommitted). When
 * walking, not a git repository, a shallow clone or an unreadable history
 * is one DIAG_NOTICE warning each (never an error, even with --strict):
 * the site builds without or with approximate git data. Without walk (jixia
 * check) the repository only serves to check translated_from ids. *out is
 * always set; free it with history_free() once history_apply() is done.
 * Returns 0.
 */
int history_open(struct history **out, const struct source *src, git_repository **repo, int walk);

/*
 * Where a walk's result is kept between runs (diskcache.h): get appends to
 * out the bytes put under the same key and returns 0, else -1; put keeps
 * n bytes at p under key. The bytes are checked again when read back.
 */
struct history_store {
	int (*get)(void *payload, const char *key, size_t keylen, struct buf *out);
	void (*put)(void *payload, const char *key, size_t keylen, const void *p, size_t n);
	/* The same for the working tree's blob ids under each file's identity
	   (source_file.ident), a working-tree build's files not hashed again
	   when unchanged: kept apart from the walk (the ids change with the
	   files, the walk with the commit). NULL: every file hashed. */
	int (*ids_get)(void *payload, const char *key, size_t keylen, struct buf *out);
	void (*ids_put)(void *payload, const char *key, size_t keylen, const void *p, size_t n);
	void *payload;
};

/*
 * history_open, with the walk taken from store when it holds the walk from
 * the same commit (same site folder, mailmap, libgit2), else walked and put
 * there (unless shallow or it warned); and calling hashed(payload) once the
 * walk is done with the bytes of src's files (the working tree's changed
 * files are found first), from the thread that runs it, never when it reads
 * none or cannot walk. store and hashed may be NULL.
 */
int history_open_stored(struct history **out, const struct source *src, git_repository **repo, int walk,
			const struct history_store *store, void (*hashed)(void *payload), void *payload);

/* The working tree's Markdown files whose bytes were hashed to compare them with HEAD's, for -v. */
size_t history_hashed(const struct history *h);

/* 1 when the walk was taken from history_open_stored's store, for the -v line. */
int history_stored(const struct history *h);

/* Commits walked and Markdown files followed, for the -v line. */
size_t history_commits(const struct history *h);
size_t history_files(const struct history *h);
/*
 * Tree entries the walk's diffs parsed one by one; the rest of each
 * folder's versions were passed over as runs both versions share. For
 * tests: a commit that changes a few files of a large folder costs a few
 * entries, not the folder.
 */
size_t history_compared(const struct history *h);

/*
 * Writes what the walk found into the linked site: each page's created,
 * updated, edit and history links and whether it is outdated
 * (page->outdated), and site->history. Reports unknown translated_from
 * commits (warnings) at their line:col. Everything it writes lives in the
 * site's arena. The contributors (contributors_apply) are read from h
 * next; then h may be freed.
 */
void history_apply(struct history *h, struct site *site);

/*
 * history_apply for serve: each page's edit and history addresses kept in
 * *memo from the load before (made on first use, freed with
 * history_memo_free once no site made with it is read), made again only
 * for a path not seen with the same forge address. Returns how many pages
 * were not the same file read at the same place as in the load before
 * (their addresses looked up by path or made; every page without a forge).
 */
struct history_memo;
size_t history_apply_kept(struct history *h, struct site *site, struct history_memo **memo);
void history_memo_free(struct history_memo *m);

/*
 * A history kept from one load for the next (serve's rebuilds, incr.c):
 * reusable when it was walked, from a repository, not a shallow clone.
 * history_refresh brings it up to date with the next load's sources when
 * the commit it walked is still the one to start from (the caller checks):
 * the files changed in the working tree, whose keys borrow from src.
 */
int history_reusable(const struct history *h);
void history_refresh(struct history *h, const struct source *src);

void history_free(struct history *h);

/*
 * `jixia l10n --diff`: the unified diff of an outdated translation's
 * original, from the version the translation follows to head, read from
 * the object database of the repository that holds src->root (no checkout,
 * no git command), appended to out as git writes it: the bytes of the
 * file, unescaped. Returns 0, or -1 after an error.
 */
int history_diff(struct buf *out, const struct source *src, const struct outdated *o);

/*
 * What the walk found, as contributors.c reads it (read only): the
 * first-parent chain with each commit's identities, and each Markdown
 * file's changes. Borrowed from the history until history_free().
 */

/* One commit of the first-parent chain. */
struct hist_commit {
	git_oid id;
	long long time;  /* author time, seconds since the epoch */
	long long ctime; /* committer time, for translated_from commits off the chain */
	int off;         /* the author time's own offset from UTC, minutes east */
	size_t ident0;   /* its identities: idents_of[ident0 .. ident0 + nidents) */
	size_t nidents;
	int content;  /* it changed content/ (known: not a shallow boundary) */
	int boundary; /* a shallow clone's last commit: its parent is missing */
};

/* A git identity: author or co-author, mailmap applied. */
struct hist_ident {
	const char *name;  /* as mapped */
	const char *email; /* as mapped, lower case */
	const char *raw;   /* as committed, lower case */
};

/* A Markdown file of the start commit and what the walk learnt about it. */
struct hist_file {
	const char *rel; /* path under content/ at the start commit */
	long newest;     /* index of its last change, -1 when none was seen */
	long created;    /* index of the commit that added it, -1 when unknown */
	long boundary;   /* index of the shallow boundary it reaches, -1 otherwise */
	size_t t0, nt;   /* its changes: touch_commit[t0 .. t0 + nt), newest first */
};

/* The walk's tables, as history_found gives them. */
struct hist_found {
	int read;                          /* the repository was read (walked, or for jixia check not);
	                                      without one, nothing was found */
	const struct hist_commit *commits; /* the first-parent chain, newest first */
	size_t ncommits;
	const size_t *idents_of;         /* identity indices of each commit */
	const struct hist_ident *idents; /* in the order first met (newest commit first) */
	size_t nidents;
	const long *touch_commit; /* a file's changes: touch_commit[f->t0 .. f->t0 + f->nt) */
};

/* The walk's tables into *out. */
void history_found(const struct history *h, struct hist_found *out);

/*
 * The commit (an index into the found commits) whose version of pg's file
 * made it what keep() says: the oldest of its newest changes for whose
 * versions keep(bytes, len, arg) holds, renames followed; -1 when its
 * newest committed version does not hold or nothing is known. Reads only
 * the blobs of pg's changes the walk recorded: no second walk. (A
 * question's answer: the commit after which it stayed answered.)
 */
long history_since(const struct history *h, const struct page *pg,
		   int (*keep)(const char *src, size_t len, void *arg), void *arg);

/*
 * history_since, read once per file for as long as h lives: serve lends
 * the walk to its next loads while the commit it starts from is the same,
 * and what the committed versions say does not change with the working
 * tree. name names keep and arg (the same name always means the same two).
 */
long history_since_kept(struct history *h, const struct page *pg,
			int (*keep)(const char *src, size_t len, void *arg), void *arg, const char *name);

/*
 * history_since_kept for n pages at once, page i with keep, args[i] and
 * names[i]: those not kept yet are read on the pool (jobs threads, each
 * with an object database of its own) and kept, so that
 * history_since_kept then finds them all. src, when not NULL, holds the
 * load's files: a page's newest version is read from it when the file is
 * as HEAD has it (the same bytes, no blob to inflate).
 */
void history_since_all(struct history *h, const struct page *const *pages, size_t n,
		       int (*keep)(const char *src, size_t len, void *arg), void *const *args,
		       const char *const *names, const struct source *src, int jobs);

/*
 * What keep said of each version, kept between runs (diskcache.h's
 * answers): a version's bytes are its blob's, so the same name (keep and
 * its arg) and blob id always get the same answer, whatever the commit,
 * path or page. get returns 1 or 0 when it knows, else -1; put keeps an
 * answer read. Both are called from history_since_all's workers at once.
 * history_set_blob_memo lends m's functions to h (NULL: none).
 */
struct history_blob_memo {
	int (*get)(void *payload, const char *name, const git_oid *blob);
	void (*put)(void *payload, const char *name, const git_oid *blob, int holds);
	void *payload;
};
void history_set_blob_memo(struct history *h, const struct history_blob_memo *m);

/* How many of history_since_kept's answers h read (the others it had kept). */
size_t history_since_read(const struct history *h);

/* The file of pg (a page under content/) as the walk followed it, or NULL. */
const struct hist_file *history_page_file(const struct history *h, const struct page *pg);

/*
 * The model stage asks history_page_file for each page several times
 * (dates, authors, contributors, insights, years in review): their answers
 * found once for the n pages at pages, a lookup by index then. The pages
 * must stay where they are and keep their paths until it is called again
 * (with NULL to forget them: before the history outlives the load).
 */
void history_index_pages(struct history *h, const struct page *pages, size_t n);

/*
 * Of the last history_index_pages, the pages whose file was looked up by
 * path; the others were the same file read (source_file.serial) in the
 * same place as in the index before it on this history (serve's kept walk).
 */
size_t history_index_looked(const struct history *h);

#endif
