/*
 * spill: the pages' rendered bodies kept in an unnamed temporary file
 * between their parse and their render, instead of in memory, for a
 * build that writes an output folder (not serve, not check). A body is
 * written by the parse worker that made it and read back, a page at a
 * time, by whoever shows it (page_html); the file goes when the render
 * has ended. The kernel holds the bytes in its page cache, which it may
 * write out and drop under memory pressure, unlike the process's heap.
 */
#ifndef JIXIA_SPILL_H
#define JIXIA_SPILL_H

#include <stddef.h>
#include <stdint.h>

struct page;

struct spill {
	int fd;             /* -1: none (the bodies stay in memory) */
	uint64_t end;       /* bytes written (atomic) */
	unsigned long n;    /* bodies written (atomic), for -v */
	struct spill *file; /* spill_file's, or NULL: closed with this one */
	/* A file another module trusts only once a body read back holds
	   (spill_page_unread): 0 when body (html_len bytes) is pg's, or once
	   made so; -1 (reported) when not. NULL: the file is the process's own. */
	int (*check)(void *ctx, const struct page *pg, char *body);
	void *check_ctx;
};

/* An unnamed file in dir (O_TMPFILE, gone at close); 0, or -1 (fd -1) where that is not possible. */
int spill_open(struct spill *s, const char *dir);

/*
 * pg's body into the file and freed from memory (html NULL, html_len and
 * the place kept); a body that is short or blank stays. Called by one
 * thread per page; nothing happens when the file is not open or a write
 * fails (the body stays).
 */
void spill_page(struct spill *s, struct page *pg);

/*
 * pg's body: pg->html, or read back from its file into *owned (the caller
 * frees it; NULL when the body is in memory); "" and an error (the build
 * fails) when a read fails (the file is the process's own: not expected).
 */
const char *page_html(const struct page *pg, char **owned);

/*
 * A file that holds bodies already (the parse cache, diskcache.c) as a
 * spill of s's: its pages' bodies are read back from fd (a duplicate is
 * kept: the caller closes its own) where they are, never written. It goes
 * with s (spill_close). NULL when s is NULL or not open, or fd cannot be
 * duplicated. Called by one thread, before any spill_page_at.
 */
struct spill *spill_file(struct spill *s, int fd);

/*
 * pg's body, the len bytes at p that file holds at off as well, left
 * there rather than copied into memory (pg->html NULL, html_len len, its
 * place kept): 1; 0 when it is not worth it (short or blank, as
 * spill_page) or file is NULL, and the caller keeps the body itself.
 */
int spill_page_at(struct spill *file, struct page *pg, const char *p, size_t len, uint64_t off);

/* 1 when a body of len bytes at p would be kept in a file (spill_page), 0 when it stays in memory. */
int spill_worth(const char *p, size_t len);

/*
 * pg's body, len bytes that file holds at off and that were not read: left
 * there (pg->html NULL), checked by file->check when page_html reads it.
 * The caller knows it is worth it (spill_worth held when it was written).
 */
void spill_page_unread(struct spill *file, struct page *pg, size_t len, uint64_t off);

/* Bodies kept in s's files (spill_page's and spill_page_at's), for -v. */
unsigned long spill_count(const struct spill *s);

void spill_close(struct spill *s);

#endif
