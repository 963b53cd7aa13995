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

/* One distinct term: where its bytes are and how often each field has it. */
struct pagetok_term {
	uint32_t off;                /* into page_tokens.strs */
	uint16_t len;                /* bytes (a term is at most TOKEN_MAX_CHARS code points) */
	uint8_t tf[PAGETOK_NFIELDS]; /* occurrences per field, saturating at 255 */
};

/*
 * The distinct terms in the order tokenize() first gave them (headings,
 * then body), one allocation: v, then the terms' bytes. Zeroed, it is
 * empty.
 */
struct page_tokens {
	struct pagetok_term *v;
	const char *strs;
	uint32_t n;
	uint32_t len[PAGETOK_NFIELDS]; /* tokens per field (saturating), for BM25's lengths */
	size_t size;                   /* bytes of the allocation */
};

/* The terms of headings and text (either may be NULL) into *out. */
void pagetok_build(struct page_tokens *out, const char *headings, size_t hlen, const char *text, size_t tlen);

/* A copy of src into *dst, its own allocation. */
void pagetok_copy(struct page_tokens *dst, const struct page_tokens *src);

void pagetok_release(struct page_tokens *t);

#endif
