/*
 * pagetok: the search terms of one page's own text (its body and its
 * headings), made by the parse worker that parsed the page, right after
 * it did, so that the index stage never reads a second copy of the text
 * and serve's parse cache (incr.h) keeps them for pages that did not
 * change. What the index adds from the model (titles, tags, field values)
 * is tokenized by search.c itself.
 */
#ifndef JIXIA_PAGETOK_H
#define JIXIA_PAGETOK_H

#include <stddef.h>
#include <stdint.h>

/* The fields of the page's text, as search.c weighs them. */
enum { PAGETOK_HEADINGS, PAGETOK_BODY, PAGETOK_NFIELDS };

/*
 * The distinct terms in the order tokenize() first gave them (headings,
 * then body), packed one after another (pagetok_next reads them): a byte
 * with the length - 1 (a term is at most TOKEN_MAX_CHARS code points, 128
 * bytes) and 0x80 when the headings have the term, then its count in the
 * headings (only then) and in the body, each saturating at 255, then its
 * bytes. Zeroed, it is empty.
 */
struct page_tokens {
	unsigned char *p;
	uint32_t size;                 /* bytes at p */
	uint32_t n;                    /* terms */
	uint32_t len[PAGETOK_NFIELDS]; /* tokens per field (saturating), for BM25's lengths */
	uint64_t digest;               /* of the terms and counts, under this process's hash key:
					  serve's index (search.c) tells a changed page by it */
};

/* One term as pagetok_next reads it. */
struct pagetok_term {
	const char *s; /* not NUL-terminated */
	size_t len;
	unsigned tf[PAGETOK_NFIELDS];
};

/* The terms of headings and text (either may be NULL) into *out. */
void pagetok_build(struct page_tokens *out, const char *headings, size_t hlen, const char *text, size_t tlen);

/* The term at *at (start at 0) into *out and *at past it: 1, or 0 after the last. */
int pagetok_next(const struct page_tokens *t, size_t *at, struct pagetok_term *out);

/* A copy of src into *dst, its own allocation. */
void pagetok_copy(struct page_tokens *dst, const struct page_tokens *src);

void pagetok_release(struct page_tokens *t);

#endif
