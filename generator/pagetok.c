/*
 * pagetok: a page's own text into its distinct search terms with their
 * counts per field, on the parse worker's thread. The counts saturate as
 * search.c's do, so adding them to what it counts later gives the same
 * numbers as tokenizing everything there. Packed, two or three bytes a
 * term besides its own: the terms live from parsing to the index stage
 * (and in serve's cache), in place of the text they came from.
 */
#include "pagetok.h"

#include <stdlib.h>
#include <string.h>

#include "tokenize.h"
#include "util.h"

/* A term while the page is read. */
struct tok_entry {
	uint64_t h64;       /* hash_keyed of the term, for the digest */
	uint32_t off, hash; /* off into tok_build.strs; hash is h64's low half */
	uint8_t len;        /* bytes - 1 */
	uint8_t tf[PAGETOK_NFIELDS];
};

/* The page's terms while they are counted: an open-addressing table over v. */
struct tok_build {
	struct buf strs;
	struct tok_entry *v;
	size_t n, cap;
	uint32_t *slots; /* index + 1, 0 empty */
	size_t nslots;
	uint32_t len[PAGETOK_NFIELDS];
	int field;
};

static void S_slots(struct tok_build *b, size_t ns)
{
	uint32_t *slots = xcalloc(ns, sizeof(*slots));
	size_t i;

	for (i = 0; i < b->n; i++) {
		size_t j = b->v[i].hash & (ns - 1);
		while (slots[j])
			j = (j + 1) & (ns - 1);
		slots[j] = (uint32_t)i + 1;
	}
	free(b->slots);
	b->slots = slots;
	b->nslots = ns;
}

/*
 * Whether the n bytes at a and b are the same: terms are a few bytes (a
 * CJK character is 3, a pair 6) and nearly every one repeats an entry, so
 * a loop here costs less than a call to memcmp for each.
 */
static int S_same(const char *a, const char *b, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static void S_add(const char *term, size_t n, void *payload)
{
	struct tok_build *b = payload;
	uint64_t h64 = hash_keyed(term, n);
	uint32_t h = (uint32_t)h64;
	size_t j;
	struct tok_entry *e;

	if (b->len[b->field] < UINT32_MAX)
		b->len[b->field]++;
	if (n == 0 || n > 128) /* never: tokenize() cuts words at 32 code points */
		return;
	if (2 * (b->n + 1) > b->nslots)
		S_slots(b, 2 * b->nslots);
	for (j = h & (b->nslots - 1); b->slots[j]; j = (j + 1) & (b->nslots - 1)) {
		e = &b->v[b->slots[j] - 1];
		if (e->hash == h && (size_t)e->len + 1 == n && S_same(b->strs.ptr + e->off, term, n)) {
			if (e->tf[b->field] < UINT8_MAX)
				e->tf[b->field]++;
			return;
		}
	}
	ARRAY_GROW(b->v, b->n, b->cap, 64);
	e = &b->v[b->n];
	memset(e, 0, sizeof(*e));
	e->off = (uint32_t)b->strs.len;
	e->len = (uint8_t)(n - 1);
	e->hash = h;
	e->h64 = h64;
	e->tf[b->field] = 1;
	buf_put(&b->strs, term, n);
	b->slots[j] = (uint32_t)++b->n;
}

/* A bijective mix of 64 bits (the splitmix64 finaliser). */
static uint64_t S_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/*
 * The digest of the terms in order with their counts and the fields'
 * lengths, from the hashes already made: no second pass over the bytes.
 */
static uint64_t S_digest(const struct tok_build *b)
{
	uint64_t d = S_mix(((uint64_t)b->len[PAGETOK_HEADINGS] << 32) ^ b->len[PAGETOK_BODY] ^ b->n);
	size_t i;

	for (i = 0; i < b->n; i++) {
		const struct tok_entry *e = &b->v[i];
		d = S_mix(d ^ e->h64);
		d = S_mix(d + ((uint64_t)e->tf[PAGETOK_HEADINGS] << 8 | e->tf[PAGETOK_BODY]) + 1);
	}
	return d;
}

void pagetok_build(struct page_tokens *out, const char *headings, size_t hlen, const char *text, size_t tlen)
{
	struct tok_build b;
	size_t i, size = 0, ns = 256;
	unsigned char *p;

	memset(&b, 0, sizeof(b));
	buf_init(&b.strs);
	/* room for the terms a text of this length usually has: no regrowing on the way */
	while (ns < (hlen + tlen) / 2 && ns < (1u << 20))
		ns *= 2;
	S_slots(&b, ns);
	b.field = PAGETOK_HEADINGS;
	if (headings && hlen)
		tokenize(headings, hlen, S_add, &b);
	b.field = PAGETOK_BODY;
	if (text && tlen)
		tokenize(text, tlen, S_add, &b);
	memset(out, 0, sizeof(*out));
	memcpy(out->len, b.len, sizeof(out->len));
	out->digest = S_digest(&b);
	for (i = 0; i < b.n; i++)
		size += 2 + (b.v[i].tf[PAGETOK_HEADINGS] > 0) + (size_t)b.v[i].len + 1;
	if (size) {
		out->p = p = xmalloc(size);
		for (i = 0; i < b.n; i++) {
			const struct tok_entry *e = &b.v[i];
			*p++ = (unsigned char)(e->len | (e->tf[PAGETOK_HEADINGS] ? 0x80 : 0));
			if (e->tf[PAGETOK_HEADINGS])
				*p++ = e->tf[PAGETOK_HEADINGS];
			*p++ = e->tf[PAGETOK_BODY];
			memcpy(p, b.strs.ptr + e->off, (size_t)e->len + 1);
			p += (size_t)e->len + 1;
		}
		out->size = (uint32_t)size;
		out->n = (uint32_t)b.n;
	}
	free(b.v);
	free(b.slots);
	buf_release(&b.strs);
}

int pagetok_next(const struct page_tokens *t, size_t *at, struct pagetok_term *out)
{
	const unsigned char *p = t->p + *at;
	unsigned char head;

	if (*at >= t->size)
		return 0;
	head = *p++;
	out->tf[PAGETOK_HEADINGS] = head & 0x80 ? *p++ : 0;
	out->tf[PAGETOK_BODY] = *p++;
	out->len = (size_t)(head & 0x7F) + 1;
	out->s = (const char *)p;
	*at = (size_t)(p - t->p) + out->len;
	return 1;
}

void pagetok_copy(struct page_tokens *dst, const struct page_tokens *src)
{
	*dst = *src;
	if (!src->size)
		return;
	dst->p = xmalloc(src->size);
	memcpy(dst->p, src->p, src->size);
}

void pagetok_release(struct page_tokens *t)
{
	free(t->p);
	memset(t, 0, sizeof(*t));
}
