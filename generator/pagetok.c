/*
 * pagetok: a page's own text into its distinct search terms with their
 * counts per field, on the parse worker's thread. The counts saturate as
 * search.c's do, so adding them to what it counts later gives the same
 * numbers as tokenizing everything there. The terms live from parsing to
 * the index stage (and in serve's cache), in place of the text they came
 * from: each page keeps only the numbers of its terms in one table that
 * every page shares (most terms are on many pages), two or three bytes a
 * term besides its number. The table only grows: a term keeps its number
 * for the whole process, so serve's cache stays valid across rebuilds.
 */
#include "pagetok.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "tokenize.h"
#include "util.h"

/*
 * The shared table: the terms by number in fixed chunks that never move,
 * so pagetok_next reads them without the lock (a page's numbers were
 * handed out, under it, before anyone reads them); the slots that find a
 * term by its bytes, and the bytes themselves, only under the lock.
 */
#define S_CHUNK_BITS 12
#define S_CHUNK (1u << S_CHUNK_BITS)
#define S_CHUNKS 16384 /* 64M terms: more than any site has words */

struct term_entry {
	const char *s;
	uint32_t hash; /* hash_keyed's low half, as search.c's S_term_hash */
	uint8_t len;   /* bytes - 1 */
};

static struct {
	pthread_mutex_t lock;
	struct term_entry *chunk[S_CHUNKS];
	uint32_t n;
	uint32_t *slots; /* number + 1, 0 empty */
	size_t nslots;
	struct arena strs;
	size_t bytes; /* of the terms' bytes, for pagetok_table_stats */
} S_table = { PTHREAD_MUTEX_INITIALIZER, { NULL }, 0, NULL, 0, ARENA_INIT, 0 };

static void S_table_slots(size_t ns)
{
	uint32_t *slots = xcalloc(ns, sizeof(*slots));
	uint32_t i;

	for (i = 0; i < S_table.n; i++) {
		size_t j = S_table.chunk[i >> S_CHUNK_BITS][i & (S_CHUNK - 1)].hash & (ns - 1);
		while (slots[j])
			j = (j + 1) & (ns - 1);
		slots[j] = i + 1;
	}
	free(S_table.slots);
	S_table.slots = slots;
	S_table.nslots = ns;
}

/* The number of the term (n bytes, hash h), added when new; under the lock. */
static uint32_t S_intern(const char *term, size_t n, uint32_t h)
{
	struct term_entry *e;
	uint32_t id;
	size_t j;

	if (2 * ((size_t)S_table.n + 1) > S_table.nslots)
		S_table_slots(S_table.nslots ? 2 * S_table.nslots : 4096);
	for (j = h & (S_table.nslots - 1); S_table.slots[j]; j = (j + 1) & (S_table.nslots - 1)) {
		id = S_table.slots[j] - 1;
		e = &S_table.chunk[id >> S_CHUNK_BITS][id & (S_CHUNK - 1)];
		if (e->hash == h && (size_t)e->len + 1 == n && memcmp(e->s, term, n) == 0)
			return id;
	}
	id = S_table.n;
	if (id >= (uint32_t)S_CHUNKS * S_CHUNK) {
		fprintf(stderr, "jixia: fatal: more than %u distinct search terms\n",
			(unsigned)S_CHUNKS * S_CHUNK);
		abort();
	}
	if (!S_table.chunk[id >> S_CHUNK_BITS])
		S_table.chunk[id >> S_CHUNK_BITS] = xcalloc(S_CHUNK, sizeof(struct term_entry));
	e = &S_table.chunk[id >> S_CHUNK_BITS][id & (S_CHUNK - 1)];
	e->s = arena_strndup(&S_table.strs, term, n);
	e->hash = h;
	e->len = (uint8_t)(n - 1);
	S_table.bytes += n;
	S_table.n++;
	S_table.slots[j] = id + 1;
	return id;
}

static const struct term_entry *S_entry(uint32_t id)
{
	return &S_table.chunk[id >> S_CHUNK_BITS][id & (S_CHUNK - 1)];
}

void pagetok_table_stats(size_t *terms, size_t *bytes)
{
	pthread_mutex_lock(&S_table.lock);
	*terms = S_table.n;
	*bytes = S_table.bytes;
	pthread_mutex_unlock(&S_table.lock);
}

/* A term's number and whether the headings have it, as a LEB128 number at p; past it. */
static unsigned char *S_put_id(unsigned char *p, uint32_t id, int headings)
{
	uint64_t v = ((uint64_t)id << 1) | (headings ? 1 : 0);

	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

static size_t S_id_size(uint32_t id)
{
	uint64_t v = (uint64_t)id << 1;
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* A term while the page is read. */
struct tok_entry {
	uint64_t h64;       /* hash_keyed of the term, for the digest */
	uint64_t place;     /* where the page's table puts it (S_place) */
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
	unsigned shift; /* 64 - log2(nslots): a slot is place's top bits */
	uint64_t mul;   /* S_place's multiplier: random, odd */
	uint32_t len[PAGETOK_NFIELDS];
	int field;
	int cut; /* a term was left out: PAGETOK_MAX_TERMS */
};

/*
 * Where the page's table looks for a term. Nearly every term is a CJK
 * character (3 bytes), a pair (6) or a short word, and two in three repeat
 * an entry, so SipHash on each of them was a fifth of the page's
 * tokenizing: a term of at most 8 bytes is placed by multiply-shift
 * hashing instead (its bytes and length as one number x, the slot the top
 * bits of mul * x), which for a random odd mul puts any two distinct
 * numbers in the same slot with probability at most 2 / slots
 * (Dietzfelbinger et al., 1997); text crafted to collide cannot know mul,
 * drawn from the keyed hash like hash_keyed's own key (util.h). A longer
 * term is placed by its h64. SipHash is then paid once per distinct term
 * of the page (its h64, for the digest and the shared table), not per
 * word. For a given length up to 8 x is one-to-one, and so is the
 * product with an odd mul: two terms of that length with the same place
 * are the same term, and their bytes need no comparing.
 */
static uint64_t S_place(const struct tok_build *b, const char *term, size_t n)
{
	uint64_t x = (uint64_t)n << 56;
	size_t i;

	for (i = 0; i < n; i++)
		x ^= (uint64_t)(unsigned char)term[i] << (8 * i);
	return b->mul * x;
}

static void S_slots(struct tok_build *b, size_t ns)
{
	uint32_t *slots = xcalloc(ns, sizeof(*slots));
	unsigned shift = 64;
	size_t i;

	while (((size_t)1 << (64 - shift)) < ns)
		shift--;
	for (i = 0; i < b->n; i++) {
		size_t j = (size_t)(b->v[i].place >> shift);
		while (slots[j])
			j = (j + 1) & (ns - 1);
		slots[j] = (uint32_t)i + 1;
	}
	free(b->slots);
	b->slots = slots;
	b->nslots = ns;
	b->shift = shift;
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
	uint64_t h64 = 0, place;
	size_t j;
	struct tok_entry *e;

	if (b->len[b->field] < UINT32_MAX)
		b->len[b->field]++;
	if (n == 0 || n > 128) /* never: tokenize() cuts words at 32 code points */
		return;
	if (2 * (b->n + 1) > b->nslots && b->n < PAGETOK_MAX_TERMS) /* full: only looked up */
		S_slots(b, 2 * b->nslots);
	if (n <= 8) {
		place = S_place(b, term, n);
	} else {
		h64 = hash_keyed(term, n);
		place = h64;
	}
	for (j = (size_t)(place >> b->shift); b->slots[j]; j = (j + 1) & (b->nslots - 1)) {
		e = &b->v[b->slots[j] - 1];
		/* up to 8 bytes, the same place and length are the same term (S_place) */
		if (e->place == place && (size_t)e->len + 1 == n &&
		    (n <= 8 || S_same(b->strs.ptr + e->off, term, n))) {
			if (e->tf[b->field] < UINT8_MAX)
				e->tf[b->field]++;
			return;
		}
	}
	if (b->n >= PAGETOK_MAX_TERMS) {
		b->cut = 1;
		return;
	}
	if (n <= 8)
		h64 = hash_keyed(term, n);
	ARRAY_GROW(b->v, b->n, b->cap, 64);
	e = &b->v[b->n];
	memset(e, 0, sizeof(*e));
	e->off = (uint32_t)b->strs.len;
	e->len = (uint8_t)(n - 1);
	e->hash = (uint32_t)h64;
	e->h64 = h64;
	e->place = place;
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

void pagetok_warn_cut(const char *path)
{
	diag_warn(path, 1, 1,
		  "the page has more than %d distinct search terms (words, CJK characters and pairs: its "
		  "title, tags, text and fields together); only the first %d are indexed",
		  PAGETOK_MAX_TERMS, PAGETOK_MAX_TERMS);
}

int pagetok_build(struct page_tokens *out, const char *headings, size_t hlen, const char *text, size_t tlen)
{
	struct tok_build b;
	size_t i, size = 0, ns = 256;
	unsigned char *p;

	memset(&b, 0, sizeof(b));
	buf_init(&b.strs);
	b.mul = hash_keyed("pagetok", 7) | 1;
	/* room for the terms a text of this length usually has: no regrowing on the way */
	while (ns < (hlen + tlen) / 2 && ns < 2 * PAGETOK_MAX_TERMS)
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
	if (b.n) {
		uint32_t *ids = xmalloc(b.n * sizeof(*ids));
		/* one lock a page: the other workers parse meanwhile */
		pthread_mutex_lock(&S_table.lock);
		for (i = 0; i < b.n; i++)
			ids[i] = S_intern(b.strs.ptr + b.v[i].off, (size_t)b.v[i].len + 1, b.v[i].hash);
		pthread_mutex_unlock(&S_table.lock);
		for (i = 0; i < b.n; i++)
			size += S_id_size(ids[i]) + 1 + (b.v[i].tf[PAGETOK_HEADINGS] > 0);
		out->p = p = xmalloc(size);
		for (i = 0; i < b.n; i++) {
			const struct tok_entry *e = &b.v[i];
			p = S_put_id(p, ids[i], e->tf[PAGETOK_HEADINGS] > 0);
			if (e->tf[PAGETOK_HEADINGS])
				*p++ = e->tf[PAGETOK_HEADINGS];
			*p++ = e->tf[PAGETOK_BODY];
		}
		out->size = (uint32_t)size;
		out->n = (uint32_t)b.n;
		free(ids);
	}
	out->cut = b.cut;
	free(b.v);
	free(b.slots);
	buf_release(&b.strs);
	return b.cut;
}

void pagetok_ready(struct page_tokens *t)
{
	const struct pagetok_lazy *lazy = t->lazy;

	if (!lazy)
		return;
	t->lazy = NULL;
	if (lazy->load(lazy, t->lazy_i, t)) {
		free(t->p);
		t->p = NULL;
		t->size = 0;
	}
}

int pagetok_next(const struct page_tokens *t, size_t *at, struct pagetok_term *out)
{
	const unsigned char *p, *end;
	const struct term_entry *e;
	uint64_t v = 0;
	unsigned shift = 0;

	/* The page's, walked by the thread that owns it: not a const object. The load writes
	   the shared model's page (its terms, and count and lengths when parsed again) from a
	   pool worker with no lock: safe only because one thread walks a page's terms at a time
	   (search.c's S_tok_job takes each page once; the state's update walks on one thread),
	   and no other reads them meanwhile. A new caller that walks a page's terms from
	   several threads, or while another job may, must call pagetok_ready first, alone. */
	if (t->lazy)
		pagetok_ready((struct page_tokens *)(uintptr_t)t);
	if (*at >= t->size)
		return 0;
	p = t->p + *at;
	end = t->p + t->size;
	while (p < end && (*p & 0x80) && shift < 35) {
		v |= (uint64_t)(*p++ & 0x7F) << shift;
		shift += 7;
	}
	if (p < end)
		v |= (uint64_t)*p++ << shift;
	e = S_entry((uint32_t)(v >> 1));
	out->tf[PAGETOK_HEADINGS] = (v & 1) && p < end ? *p++ : 0;
	out->tf[PAGETOK_BODY] = p < end ? *p++ : 0;
	out->s = e->s;
	out->len = (size_t)e->len + 1;
	out->hash = e->hash;
	*at = (size_t)(p - t->p);
	return 1;
}

/* The LEB128 number at *p (before end, at most 5 bytes) into *v and *p past it: 0, or -1. */
static int S_get_num(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	unsigned shift = 0;

	*v = 0;
	while (*p < end && shift < 35) {
		unsigned char c = *(*p)++;
		*v |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80))
			return 0;
		shift += 7;
	}
	return -1;
}

void pagetok_ids(const struct page_tokens *t, uint32_t *ids)
{
	const unsigned char *p = t->p, *end = t->p + t->size;
	uint64_t v;
	size_t k = 0;

	while (k < t->n && S_get_num(&p, end, &v) == 0) {
		ids[k++] = (uint32_t)(v >> 1);
		p += (v & 1) ? 2 : 1; /* the counts */
	}
}

void pagetok_pack_as(const struct page_tokens *t, const uint32_t *map, struct buf *out)
{
	const unsigned char *p = t->p, *end = t->p + t->size;
	unsigned char num[5], *q;
	uint64_t v;
	size_t k;

	for (k = 0; k < t->n && S_get_num(&p, end, &v) == 0; k++) {
		q = S_put_id(num, map[v >> 1], (int)(v & 1));
		buf_put(out, num, (size_t)(q - num));
		buf_put(out, p, (v & 1) ? 2 : 1);
		p += (v & 1) ? 2 : 1;
	}
}

/* pagetok_unpack_as with the numbers as they are: checked, then the bytes copied. */
static int S_unpack_same(struct page_tokens *out, const unsigned char *p, size_t size, uint32_t n,
			 uint32_t nmap)
{
	const unsigned char *at = p, *end = p + size;
	uint64_t v;
	uint32_t k;

	for (k = 0; k < n; k++) {
		const unsigned char *num = at;
		int headed;
		/* a number's last byte 0 past its first: not the bytes S_put_id writes */
		if (S_get_num(&at, end, &v) || (v >> 1) >= nmap || (at - num > 1 && !at[-1]))
			return -1;
		headed = (int)(v & 1);
		if ((size_t)(end - at) < (size_t)(headed ? 2 : 1) || (headed && !at[0]))
			return -1;
		at += headed ? 2 : 1;
	}
	if (at != end)
		return -1;
	out->p = xmalloc(size);
	memcpy(out->p, p, size);
	out->size = (uint32_t)size;
	out->n = n;
	return 0;
}

int pagetok_unpack_as(struct page_tokens *out, const unsigned char *p, size_t size, uint32_t n,
		      const uint32_t *map, uint32_t nmap)
{
	const unsigned char *end = p + size;
	unsigned char *q;
	uint64_t v;
	uint32_t k;

	out->p = NULL;
	out->size = 0;
	out->n = 0;
	/* each term is 2 bytes at least: n is bounded by the bytes before anything is made */
	if (!n || n > size / 2)
		return size || n ? -1 : 0;
	if (!map) /* a rebuild's: its table was filled from the file's terms first */
		return S_unpack_same(out, p, size, n, nmap);
	q = out->p = xmalloc((size_t)n * 7);
	for (k = 0; k < n; k++) {
		int headed;
		if (S_get_num(&p, end, &v) || (v >> 1) >= nmap)
			goto bad;
		headed = (int)(v & 1);
		if ((size_t)(end - p) < (size_t)(headed ? 2 : 1) || (headed && !p[0]))
			goto bad;
		q = S_put_id(q, map[v >> 1], headed);
		if (headed)
			*q++ = *p++;
		*q++ = *p++;
	}
	if (p != end)
		goto bad;
	out->size = (uint32_t)(q - out->p);
	out->p = xrealloc(out->p, out->size);
	out->n = n;
	return 0;
bad:
	free(out->p);
	out->p = NULL;
	return -1;
}

int pagetok_intern(const unsigned char *p, size_t size, uint32_t n, uint32_t *ids)
{
	size_t at = 0, k = 0;

	/* checked whole first: nothing is added to the table from damaged bytes */
	while (at < size) {
		size_t len = (size_t)p[at] + 1;
		/* no longer than tokenize() makes them: what reads a term holds no more */
		if (len > 128 || len > size - at - 1)
			return -1;
		at += 1 + len;
		k++;
	}
	if (k != n)
		return -1;
	pthread_mutex_lock(&S_table.lock);
	for (at = 0, k = 0; at < size; k++) {
		size_t len = (size_t)p[at++] + 1;
		ids[k] = S_intern((const char *)p + at, len, (uint32_t)hash_keyed(p + at, len));
		at += len;
	}
	pthread_mutex_unlock(&S_table.lock);
	return 0;
}

void pagetok_term_put(uint32_t id, struct buf *out)
{
	const struct term_entry *e = S_entry(id);

	buf_putc(out, (char)e->len);
	buf_put(out, e->s, (size_t)e->len + 1);
}

void pagetok_copy(struct page_tokens *dst, const struct page_tokens *src)
{
	/* the copy's own: read first, writing src (as pagetok_next does: by the one thread that
	   owns the page then, never two at once) */
	if (src->lazy)
		pagetok_ready((struct page_tokens *)(uintptr_t)src);
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
