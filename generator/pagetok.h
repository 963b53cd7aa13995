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

struct buf;
struct page_tokens;

/*
 * Terms not read yet: a jixia build's page taken from its parse cache
 * (diskcache.c) has its counts and lengths, and its terms stay in the
 * cache's file until something walks them (pagetok_next), which most
 * rebuilds never do (the index keeps its own state). load fills t's p and
 * size for the page numbered i (and its count and lengths, when they were
 * not what the terms are: made again from the page's file): 0, or -1 when
 * it cannot (reported: the build fails) and t is left without terms.
 */
struct pagetok_lazy {
	int (*load)(const struct pagetok_lazy *self, size_t i, struct page_tokens *t);
};

/* The fields of the page's text, as search.c weighs them. */
enum { PAGETOK_HEADINGS, PAGETOK_BODY, PAGETOK_NFIELDS };

/*
 * The distinct terms in the order tokenize() first gave them (headings,
 * then body), packed one after another (pagetok_next reads them): each
 * term's number in the table every page shares (pagetok.c), times two
 * plus one when the headings have the term, as a LEB128 number, then its
 * count in the headings (only then) and in the body, each saturating at
 * 255. The numbers depend on the order the pages were parsed in: only
 * this process reads them (the disk cache numbers the terms its own way,
 * pagetok_pack_as). Zeroed, it is empty.
 */
struct page_tokens {
	unsigned char *p;
	uint32_t size;                   /* bytes at p */
	uint32_t n;                      /* terms */
	uint32_t len[PAGETOK_NFIELDS];   /* tokens per field (saturating), for BM25's lengths */
	uint64_t digest;                 /* of the terms and counts, under this process's hash key:
					  serve's index (search.c) tells a changed page by it; in
					  a jixia build with its parse cache, the page's digest
					  there (of the parse context, its path and bytes: the
					  same in every run, diskcache.h) */
	const struct pagetok_lazy *lazy; /* p not read yet: lazy->load(lazy, lazy_i, this) reads it */
	size_t lazy_i;
	int cut; /* pagetok_build left terms out (and warned): never so in a cache, which keeps
		    no page that warned */
};

/* One term as pagetok_next reads it. */
struct pagetok_term {
	const char *s; /* not NUL-terminated */
	size_t len;
	unsigned tf[PAGETOK_NFIELDS];
	uint32_t hash; /* hash_keyed(s, len)'s low half */
};

/*
 * A page gives the index at most this many distinct terms, the first in
 * the order its fields are read (title, tags, headings, body, summary and
 * text fields): each costs the index some hundreds of bytes, and random
 * Han text makes a new pair of nearly every character (a 1 MiB page,
 * 349,000 terms: 285 MB). Real pages have far fewer (at most 1,193 on the
 * 10,000-page benchmark, 626 on the portal). The text alone is held to it
 * here, the whole page in search.c; either warns with pagetok_warn_cut.
 */
#define PAGETOK_MAX_TERMS 16384

/* The warning at the page at path that its terms were cut to PAGETOK_MAX_TERMS. */
void pagetok_warn_cut(const char *path);

/*
 * The terms of headings and text (either may be NULL) into *out. Returns
 * 1 when the text had more than PAGETOK_MAX_TERMS distinct terms (the rest
 * left out, out->cut set; the fields' lengths still count every token),
 * else 0.
 */
int pagetok_build(struct page_tokens *out, const char *headings, size_t hlen, const char *text, size_t tlen);

/* t's terms read if they were not (t->lazy), once: by the one thread that owns the page then. */
void pagetok_ready(struct page_tokens *t);

/* The term at *at (start at 0) into *out and *at past it: 1, or 0 after the last (the terms
 * read first if they were not: pagetok_ready). */
int pagetok_next(const struct page_tokens *t, size_t *at, struct pagetok_term *out);

/*
 * Another numbering of the terms, for a file: the disk cache (diskcache.c)
 * numbers the terms its entries hold in a dictionary of its own, each
 * term's bytes stored once in the file (pagetok_term_put) and taken into
 * the table once when it is read (pagetok_intern), rather than every
 * page's terms as bytes hashed again page by page.
 */
/* The numbers of t's terms in this process's table, in order, into ids (t->n of them). */
void pagetok_ids(const struct page_tokens *t, uint32_t *ids);
/* t's packed terms with each number k written as map[k] (the caller's for every term t has), appended to out. */
void pagetok_pack_as(const struct page_tokens *t, const uint32_t *map, struct buf *out);
/*
 * Packed terms of another numbering (pagetok_pack_as's: size bytes, n
 * terms) into *out's terms and size (its lengths and digest untouched),
 * each number k read as map[k]: 0, or -1 when the bytes are not n terms so
 * packed or a number is nmap or more (*out is then left empty). map NULL:
 * the numbers are this table's already (k is k), and the bytes are copied
 * once checked (each number written in its fewest bytes, as packed here).
 */
int pagetok_unpack_as(struct page_tokens *out, const unsigned char *p, size_t size, uint32_t n,
		      const uint32_t *map, uint32_t nmap);
/* n terms as bytes (each a byte with its length - 1, then its bytes; size bytes in all, no term
 * over 128 bytes) into the table, their numbers into ids: 0, or -1 when not so (nothing added). */
int pagetok_intern(const unsigned char *p, size_t size, uint32_t n, uint32_t *ids);
/* Term number id's bytes as pagetok_intern reads them, appended to out. */
void pagetok_term_put(uint32_t id, struct buf *out);

/* The terms the shared table holds and their bytes, for -v. */
void pagetok_table_stats(size_t *terms, size_t *bytes);

/* A copy of src into *dst, its own allocation. */
void pagetok_copy(struct page_tokens *dst, const struct page_tokens *src);

void pagetok_release(struct page_tokens *t);

#endif
