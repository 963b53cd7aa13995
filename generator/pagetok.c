/*
 * pagetok: a page's own text into its distinct search terms with their
 * counts per field, on the parse worker's thread. The counts saturate as
 * search.c's do, so adding them to what it counts later gives the same
 * numbers as tokenizing everything there.
 */
#include "pagetok.h"

#include <stdlib.h>
#include <string.h>

#include "tokenize.h"
#include "util.h"

/* The page's terms while they are counted: an open-addressing table over v. */
struct tok_build {
	struct buf strs;
	struct pagetok_term *v;
	uint32_t *hash; /* v's hashes, for regrowing the table */
	size_t n, cap;
	uint32_t *slots; /* index + 1, 0 empty */
	size_t nslots;
	uint32_t len[PAGETOK_NFIELDS];
	int field;
};

static void S_regrow(struct tok_build *b)
{
	size_t i, ns = b->nslots ? 2 * b->nslots : 256;
	uint32_t *slots = xcalloc(ns, sizeof(*slots));

	for (i = 0; i < b->n; i++) {
		size_t j = b->hash[i] & (ns - 1);
		while (slots[j])
			j = (j + 1) & (ns - 1);
		slots[j] = (uint32_t)i + 1;
	}
	free(b->slots);
	b->slots = slots;
	b->nslots = ns;
}

static void S_add(const char *term, size_t n, void *payload)
{
	struct tok_build *b = payload;
	uint32_t h = (uint32_t)hash_keyed(term, n);
	size_t j, cap0;
	struct pagetok_term *e;

	if (b->len[b->field] < UINT32_MAX)
		b->len[b->field]++;
	if (2 * (b->n + 1) > b->nslots)
		S_regrow(b);
	for (j = h & (b->nslots - 1); b->slots[j]; j = (j + 1) & (b->nslots - 1)) {
		e = &b->v[b->slots[j] - 1];
		if (b->hash[b->slots[j] - 1] == h && e->len == n &&
		    memcmp(b->strs.ptr + e->off, term, n) == 0) {
			if (e->tf[b->field] < UINT8_MAX)
				e->tf[b->field]++;
			return;
		}
	}
	cap0 = b->cap;
	ARRAY_GROW(b->v, b->n, b->cap, 64);
	if (b->cap != cap0)
		b->hash = xrealloc(b->hash, b->cap * sizeof(*b->hash));
	e = &b->v[b->n];
	memset(e, 0, sizeof(*e));
	e->off = (uint32_t)b->strs.len;
	e->len = (uint16_t)n;
	e->tf[b->field] = 1;
	b->hash[b->n] = h;
	buf_put(&b->strs, term, n);
	b->slots[j] = (uint32_t)++b->n;
}

void pagetok_build(struct page_tokens *out, const char *headings, size_t hlen, const char *text, size_t tlen)
{
	struct tok_build b;
	char *mem;

	memset(&b, 0, sizeof(b));
	buf_init(&b.strs);
	b.field = PAGETOK_HEADINGS;
	if (headings && hlen)
		tokenize(headings, hlen, S_add, &b);
	b.field = PAGETOK_BODY;
	if (text && tlen)
		tokenize(text, tlen, S_add, &b);
	memset(out, 0, sizeof(*out));
	out->n = (uint32_t)b.n;
	memcpy(out->len, b.len, sizeof(out->len));
	out->size = b.n * sizeof(*b.v) + b.strs.len;
	if (out->size) {
		mem = xmalloc(out->size);
		memcpy(mem, b.v, b.n * sizeof(*b.v));
		memcpy(mem + b.n * sizeof(*b.v), b.strs.ptr, b.strs.len);
		out->v = (struct pagetok_term *)(void *)mem;
		out->strs = mem + b.n * sizeof(*b.v);
	}
	free(b.v);
	free(b.hash);
	free(b.slots);
	buf_release(&b.strs);
}

void pagetok_copy(struct page_tokens *dst, const struct page_tokens *src)
{
	char *mem;

	*dst = *src;
	if (!src->size)
		return;
	mem = xmalloc(src->size);
	memcpy(mem, src->v, src->size);
	dst->v = (struct pagetok_term *)(void *)mem;
	dst->strs = mem + src->n * sizeof(*src->v);
}

void pagetok_release(struct page_tokens *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}
