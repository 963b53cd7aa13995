/*
 * search: the inverted index behind the portal's search box. Pages are
 * tokenized on the worker pool (tokenize.h: words, CJK characters and
 * pairs), a batch at a time, and merged on the pool too, in parts by term
 * hash, each part reading the pages in page order, so the output is the
 * same at any -j. Each (term, page) is scored in
 * advance by BM25 per field (title > tags > headings > body): the index
 * keeps the term's idf and, per page, a step of its weighted frequency; a
 * query's score for a page is the sum over its terms of idf times step.
 * Each term's pages are stored best first, so the first few (the head) are
 * all a query needs to show the best results.
 *
 * Pages are numbered in (language, type, year, date) order: the manifest
 * gives each number's language, type and year as runs, so filters need no
 * per-page table. The files, all under search/:
 *
 *   index.json   the manifest: version 2, languages, types, the runs, the
 *                translations ("same"), each shard's first term and file
 *                name, the tags, the metadata and slot files, the tail
 *                files. The one file without a content hash.
 *   t-HASH.bin   a term shard: a run of the sorted terms, each with its
 *                head (its best HEAD_POSTINGS pages) and where its tail is.
 *   g-HASH.bin   the tag shard: a pseudo-term per tag (the most used
 *                TAG_FACETS), whose pages are the pages with that tag.
 *   x-HASH.bin   tail files: the rest of long postings lists, in term
 *                order, each term's tail its own zlib stream, read by HTTP
 *                byte range (the client reads them when they are small
 *                together, or when the reader asks for all).
 *   m-HASH.bin   metadata files: each page's record, [url, title, date,
 *                summary] as a JSON array, one after the other in page
 *                order, not compressed: the client reads the records of
 *                the results it shows by byte range. The manifest's "meta"
 *                gives "files" as [offset, name] pairs, the offset where
 *                each file starts when the files are counted as one run.
 *   s-HASH.bin   the slot file: docs + 1 little-endian u32, page d's
 *                record being [slot d, slot d + 1) of that run (8 bytes
 *                read at 4 * d).
 *
 * Shards and the tag shard are zlib streams (the browser's
 * DecompressionStream("deflate") reads them); so is each tail, alone, so
 * that the byte range of one is a whole stream. Integers are LEB128
 * varints. A shard is: the number of
 * terms, then per term: bytes shared with the previous term, the length and
 * bytes of the rest, df (pages with the term), idf (16 * idf, 0 for tags),
 * n (pages in the head), the head's byte length, the head, and when n < df
 * the tail's file, offset and length (of its zlib stream). Postings (head
 * or tail) are runs: step, count, then count page numbers, ascending, the
 * first as is and each next as the difference. A step q in 1..QLEVELS
 * stands for the weighted frequency QRANGE^(q/QLEVELS - 1) (the manifest's
 * "steps"). "same" is the translations as runs of (page, original) pairs
 * that both go up by one: three numbers a run, its page and its original
 * counted from where the previous run ended (0 for the first), and its
 * length.
 *
 * File count: at most max(64, pages / 50). The number of shards is chosen
 * from the index's size (S_plan), so a query's download stays about the
 * same as the site grows; only the manifest's list of files gets longer.
 * Where a shard ends is the terms' own say (search_shard_cuts): a term
 * ends one by a draw of its name's hash, likelier the bigger the shard
 * (from 0.8 of the size aimed at; a cut forced at 1.4), so an edit
 * changes the shards of its terms, not every shard after them. The
 * client finds a term's shard by the first terms the manifest lists,
 * wherever they fall.
 * A one-word query reads the manifest, a shard, the tag shard, small tails
 * and a few hundred bytes per result shown.
 */
#include "search.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "diag.h"
#include "diskcache.h"
#include "escape.h"
#include "incr.h"
#include "memsite.h"
#include "pagetok.h"
#include "pool.h"
#include "tokenize.h"
#include "types.h"
#include "util.h"
#include "yaml.h"

#define HEAD_POSTINGS 128            /* pages per term in its shard; the rest is the tail */
#define TAG_FACETS 50                /* tags offered as filters: the most used */
#define BATCH_PAGES 128              /* pages tokenized per pool run, to bound memory */
#define SHARD_BYTES (4 * 1024)       /* the smallest shard worth a request (compressed) */
#define SHARD_NAME_BYTES 16          /* a shard's entry in the manifest, compressed */
#define META_FILE_BYTES (256 * 1024) /* aim for bytes per metadata file, at least */
#define TAIL_BYTES (1024 * 1024)     /* aim for bytes per tail file */
#define BM25_K1 1.2
#define QLEVELS 63        /* steps of a posting's weighted frequency, */
#define QRANGE 256.0      /* spread evenly on a log scale over [1/QRANGE, 1] */
#define SNIPPET_CHARS 160 /* of the summary, kept for the result list */
#define FRAG_EDGE 0.002   /* serve: a step this near a rounding edge is checked on each rebuild */

enum { F_TITLE, F_TAGS, F_HEADINGS, F_BODY, NFIELDS };

/* Each field's weight and length normalisation. */
static const double S_weight[NFIELDS] = { 12.0, 6.0, 3.0, 1.0 };
static const double S_b[NFIELDS] = { 0.5, 0.5, 0.5, 0.75 };

/* --- hashing ------------------------------------------------------------- */

/*
 * Where a term sits in the tables. Every word indexed is the contributor's,
 * so terms are placed by the keyed hash (util.h): words made to collide in
 * an unkeyed hash put one page's 130,000 words in one run of slots (29 s).
 * Only lookups see it; terms leave the tables in page order and are sorted.
 */
static uint32_t S_term_hash(const char *s, size_t n)
{
	return (uint32_t)hash_keyed(s, n);
}

/* A file's content hash, for its name: the same bytes, the same name, in every run. */
static uint64_t S_hash64(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 14695981039346656037ull;
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static void S_varint(struct buf *b, uint64_t v)
{
	while (v >= 0x80) {
		buf_putc(b, (int)(0x80 | (v & 0x7F)));
		v >>= 7;
	}
	buf_putc(b, (int)v);
}

/* --- one page's terms (a worker's job) ----------------------------------- */

/*
 * The index's term table is cut in NPARTS parts by the top bits of a
 * term's hash, and the parts are merged on the pool, each by one worker
 * that reads the pages in page order: a term's postings come out in page
 * order whatever the number of threads. Where a term lives decides nothing
 * in the output (the terms are sorted before they are written).
 */
#define NPARTS 16
#define PART_OF(hash) ((hash) >> 28) /* NPARTS == 1 << 4 */

struct pterm {
	uint32_t off, len, hash;
	uint8_t tf[NFIELDS]; /* occurrences per field, saturating */
};

/* A worker's open-addressing table over the page it reads: index + 1, 0 empty. */
struct tok_slots {
	uint32_t *v;
	size_t n;
};

struct ptok {
	struct buf strs; /* the terms' bytes */
	struct pterm *v;
	size_t n, cap;
	struct tok_slots *slots; /* the worker's, while the page is read */
	uint32_t *order;         /* v's indices grouped by part, page order within each */
	size_t order_cap;
	uint32_t pstart[NPARTS + 1]; /* part p's terms: order[pstart[p] .. pstart[p + 1]) */
	uint32_t len[NFIELDS];       /* tokens per field */
	int field;                   /* the field being read */
	int cut;                     /* a term was left out: PAGETOK_MAX_TERMS */
};

static void S_ptok_grow(struct ptok *t)
{
	struct tok_slots *sl = t->slots;
	size_t i, ns = array_grow_cap(sl->n, 1024, sizeof(*sl->v));
	uint32_t *slots = xcalloc(ns, sizeof(*slots));
	for (i = 0; i < t->n; i++) {
		size_t j = t->v[i].hash & (ns - 1);
		while (slots[j])
			j = (j + 1) & (ns - 1);
		slots[j] = (uint32_t)i + 1;
	}
	free(sl->v);
	sl->v = slots;
	sl->n = ns;
}

/*
 * The page's entry for term (n bytes, hash h), added with no counts when
 * new; NULL, and t->cut set, when new and the page has PAGETOK_MAX_TERMS.
 */
static struct pterm *S_ptok_term(struct ptok *t, const char *term, size_t n, uint32_t h)
{
	struct tok_slots *sl = t->slots;
	size_t j;
	struct pterm *e;

	if (2 * (t->n + 1) > sl->n)
		S_ptok_grow(t);
	for (j = h & (sl->n - 1); sl->v[j]; j = (j + 1) & (sl->n - 1)) {
		e = &t->v[sl->v[j] - 1];
		if (e->hash == h && e->len == n && memcmp(t->strs.ptr + e->off, term, n) == 0)
			return e;
	}
	if (t->n >= PAGETOK_MAX_TERMS) {
		t->cut = 1;
		return NULL;
	}
	ARRAY_GROW(t->v, t->n, t->cap, 256);
	e = &t->v[t->n];
	memset(e, 0, sizeof(*e));
	e->off = (uint32_t)t->strs.len;
	e->len = (uint32_t)n;
	e->hash = h;
	buf_put(&t->strs, term, n);
	sl->v[j] = (uint32_t)++t->n;
	return e;
}

static void S_ptok_add(const char *term, size_t n, void *payload)
{
	struct ptok *t = payload;
	struct pterm *e;

	if (t->len[t->field] < UINT32_MAX)
		t->len[t->field]++;
	e = S_ptok_term(t, term, n, S_term_hash(term, n));
	if (e && e->tf[t->field] < UINT8_MAX)
		e->tf[t->field]++;
}

static uint32_t S_sat32(uint32_t a, uint32_t b)
{
	return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

/*
 * The terms the parse worker counted in the page's headings and body text
 * (pagetok.h), added as if tokenized here: counts saturate the same way,
 * and the terms come in the order the text gives them.
 */
static void S_ptok_tokens(struct ptok *t, const struct page_tokens *pt)
{
	static const int field[PAGETOK_NFIELDS] = { F_HEADINGS, F_BODY };
	struct pagetok_term pe;
	size_t at = 0;
	int f;

	/* The terms read first (pagetok_ready), then the lengths: terms the parse cache left in
	   its file that do not hold there get the page parsed again (diskcache.c's
	   S_terms_load), its count and lengths with them: those are the ones to add, not the
	   entry's, which may be what did not hold. One thread tokenizes a page (S_tok_job's, one page each; or the state's
	   update, on one thread): the load writes the page's terms, no other thread reads them. */
	pagetok_ready((struct page_tokens *)(uintptr_t)pt);
	for (f = 0; f < PAGETOK_NFIELDS; f++)
		t->len[field[f]] = S_sat32(t->len[field[f]], pt->len[f]);
	while (pagetok_next(pt, &at, &pe)) {
		struct pterm *e = S_ptok_term(t, pe.s, pe.len, pe.hash); /* S_term_hash, from the table */
		for (f = 0; e && f < PAGETOK_NFIELDS; f++) {
			unsigned sum = e->tf[field[f]] + pe.tf[f];
			e->tf[field[f]] = (uint8_t)(sum > UINT8_MAX ? UINT8_MAX : sum);
		}
	}
}

static void S_ptok_field(struct ptok *t, int field, const char *s, size_t n)
{
	t->field = field;
	if (s && n)
		tokenize(s, n, S_ptok_add, t);
}

/* Emptied for the next page, keeping its room. */
static void S_ptok_reset(struct ptok *t)
{
	buf_reset(&t->strs);
	t->n = 0;
	t->cut = 0;
	memset(t->len, 0, sizeof(t->len));
}

static void S_ptok_release(struct ptok *t)
{
	buf_release(&t->strs);
	free(t->v);
	free(t->order);
	memset(t, 0, sizeof(*t));
	buf_init(&t->strs);
}

/* Groups the page's terms by part (a counting sort that keeps page order). */
static void S_ptok_parts(struct ptok *t)
{
	uint32_t count[NPARTS] = { 0 }, at[NPARTS];
	size_t i;
	int p;

	if (t->n > t->order_cap) {
		free(t->order);
		t->order_cap = t->n;
		t->order = xmalloc(t->order_cap * sizeof(*t->order));
	}
	for (i = 0; i < t->n; i++)
		count[PART_OF(t->v[i].hash)]++;
	t->pstart[0] = 0;
	for (p = 0; p < NPARTS; p++) {
		at[p] = t->pstart[p];
		t->pstart[p + 1] = t->pstart[p] + count[p];
	}
	for (i = 0; i < t->n; i++)
		t->order[at[PART_OF(t->v[i].hash)]++] = (uint32_t)i;
}

/*
 * The body field after the Markdown text (the page's tokens): an explicit
 * summary: (which is not in the text), and the page's one-line and text
 * fields (a case's company, a person's bio, an event's venue written as
 * text), so that what a page says about itself can be found.
 */
static void S_body_fields(struct ptok *t, const struct page *pg)
{
	const struct ynode *sum = ynode_get(pg->front, "summary");
	size_t k;

	if (sum && sum->kind == YNODE_SCALAR)
		S_ptok_field(t, F_BODY, sum->str, sum->len);
	for (k = 0; pg->type && k < pg->type->nfields; k++) {
		const struct field *f = &pg->type->fields[k];
		const struct ynode *v = pg->vals[k].node;
		int text = f->kind == FIELD_STRING || f->kind == FIELD_TEXT ||
			   (f->kind == FIELD_REF && f->or_text && !pg->vals[k].nrefs); /* a ref's text */
		if (!v || v->kind != YNODE_SCALAR || !text)
			continue;
		if (strcmp(f->name, pg->type->title_field) != 0)
			S_ptok_field(t, F_BODY, v->str, v->len);
	}
}

/*
 * The pages whose terms the index cut, in this build, where the parse had
 * not (their text alone fits, not their summary or other fields): each
 * warns here, and the index kept for the next build takes it for changed
 * (S_cut_mark), so that build tokenizes it again and warns again, as the
 * parse of a page whose text was cut does in every build. Their paths,
 * borrowed from the pages until search_build_incr marks them.
 */
static pthread_mutex_t S_cut_lock = PTHREAD_MUTEX_INITIALIZER;
static struct strvec S_cut_paths;

static void S_tokenize_page(struct ptok *t, const struct page *pg)
{
	size_t k;
	S_ptok_field(t, F_TITLE, pg->title, strlen(pg->title));
	for (k = 0; k < pg->nterms; k++)
		S_ptok_field(t, F_TAGS, pg->terms[k]->name, strlen(pg->terms[k]->name));
	S_ptok_tokens(t, &pg->tokens); /* the headings, then the body's text */
	S_body_fields(t, pg);
	if (t->cut && !pg->tokens.cut) { /* the parse warned for a text cut */
		pagetok_warn_cut(pg->path);
		pthread_mutex_lock(&S_cut_lock);
		strvec_push(&S_cut_paths, pg->path);
		pthread_mutex_unlock(&S_cut_lock);
	}
}

/* --- the whole index ----------------------------------------------------- */

struct posting {
	uint32_t doc;
	uint8_t tf[NFIELDS];
};

struct sterm {
	const char *s; /* in the index's arena */
	uint32_t len, hash;
	struct posting *p; /* by page number */
	size_t n, cap;
	/* While pages are merged, the postings packed instead (S_pack_posting), z's
	   zlen bytes: p is made from them after (S_unpack_all), or, in a cold
	   build's index (search_build), never, each term's read where it is used. */
	unsigned char *z;
	size_t zlen, zcap;
	uint32_t zlast; /* the page of the last posting packed */
	int tag;        /* a tag filter's pseudo-term (s is the tag's slug) */
	const char *tag_name;
	unsigned idf;      /* the term's rarity, 16 * idf, 1..255 (0 for tags) */
	unsigned char *qs; /* per posting: its saturated frequency, 1..QLEVELS */
	/* Only in serve's index kept between rebuilds (struct search_state): */
	uint32_t *frag; /* postings whose step lies near a rounding edge (FRAG_EDGE), ascending */
	size_t nfrag, fragcap;
	/* the record last written, less its tail's place, and its tail (a state read
	   from disk: views of its bytes, S_decode_term) */
	struct buf cpre, ctail;
	int cached;  /* cpre and ctail are this term's record as it is now */
	int cfailed; /* its tail could not be compressed */
	int gone;    /* a tag that is no longer a filter */
	/* A build's state on disk (search_state_encode): its bytes changed since
	   read, so its block of the state is written again */
	int dirty;
	/* A term of a state read from disk whose postings are not taken apart
	   until something reads them (S_load; the bytes checked when read):
	   its postings' packed bytes and steps in the state's bytes, and the
	   postings of its frag list with their steps (S_restep_job checks
	   those alone); whole is the term's bytes in its block, for a save
	   that writes its block again without it taken apart. */
	const unsigned char *raw, *rawq;
	struct posting *fragp;
	unsigned char *fragq;
	/* and where to start reading for a page (S_find_raw): posting SKIP_POSTINGS * (k + 1)
	   is at byte skipoff[k] of raw, the one before it of page skipdoc[k] */
	uint32_t *skipdoc, *skipoff;
	size_t nskip;
	const unsigned char *whole;
	size_t wholen;
	/* and the fields (bits, 1 << F_TITLE ...) its postings count, from the
	   state: a drift of the other fields' averages moves none of its steps
	   but the listed ones, so it is not read for it */
	unsigned fields;
	/* and, at a drift of some of them, the steps of its postings with one read at the
	   averages now (S_check_job) and found where they were, and listed as they were:
	   S_restep_fields would change nothing of it */
	int held;
};

/* A term table: the index's, or one part of it while pages are merged. */
struct termtab {
	struct sterm *terms;
	size_t nterms, cap;
	uint32_t *slots; /* open addressing over terms: index + 1 */
	size_t nslots;
	struct arena arena; /* the terms' bytes */
	size_t npostings;
};

struct search_state;

struct search_index {
	struct search_state *st;    /* serve's kept state (search_build_incr), NULL for a build */
	const unsigned char *fresh; /* with st, per page: its metadata record is made again */
	const uint32_t *oldd;       /* and else its number in the rebuild before */
	const struct site *site;
	const struct page **docs; /* by page number */
	size_t ndocs;
	uint32_t (*flen)[NFIELDS]; /* tokens per field, per page */
	struct termtab t;          /* every term (the parts' arenas hold the words' bytes) */
	struct termtab *parts;     /* NPARTS, while pages are merged */
	int nthreads;              /* for building and writing */
	int packed;                /* terms keep their postings packed, freed once written (search_build) */
	double avg[NFIELDS];       /* the fields' average lengths (S_averages) */
	size_t npostings;
	struct arena arena;
	const char **types; /* type names in page-number order of first use; "page" for none */
	size_t ntypes;
};

static void S_termtab_slots(struct termtab *tt, size_t ns)
{
	size_t i;
	uint32_t *slots = xcalloc(ns, sizeof(*slots));
	for (i = 0; i < tt->nterms; i++) {
		size_t k = tt->terms[i].hash & (ns - 1);
		while (slots[k])
			k = (k + 1) & (ns - 1);
		slots[k] = (uint32_t)i + 1;
	}
	free(tt->slots);
	tt->slots = slots;
	tt->nslots = ns;
}

/*
 * tt's entry of term s (n bytes), a tag's pseudo-term when tag; hash is
 * S_term_hash(s, n), which a page's terms carry already.
 */
static struct sterm *S_intern(struct termtab *tt, const char *s, size_t n, int tag, uint32_t hash)
{
	uint32_t h = hash ^ (tag ? 0x9e3779b9u : 0);
	size_t j;
	struct sterm *e;

	if (2 * (tt->nterms + 1) > tt->nslots)
		S_termtab_slots(tt, array_grow_cap(tt->nslots, 1024, sizeof(*tt->slots)));
	for (j = h & (tt->nslots - 1); tt->slots[j]; j = (j + 1) & (tt->nslots - 1)) {
		e = &tt->terms[tt->slots[j] - 1];
		if (e->hash == h && e->len == n && e->tag == tag && memcmp(e->s, s, n) == 0)
			return e;
	}
	ARRAY_GROW(tt->terms, tt->nterms, tt->cap, 1024);
	e = &tt->terms[tt->nterms];
	memset(e, 0, sizeof(*e));
	buf_init(&e->cpre);
	buf_init(&e->ctail);
	e->s = arena_strndup(&tt->arena, s, n);
	e->len = (uint32_t)n;
	e->hash = h;
	e->tag = tag;
	tt->slots[j] = (uint32_t)++tt->nterms;
	return e;
}

/* tt's entry of word s (n bytes, its hash), or NULL: none (S_intern's lookup alone). */
static struct sterm *S_lookup(const struct termtab *tt, const char *s, size_t n, uint32_t hash)
{
	size_t j;

	if (!tt->nslots)
		return NULL;
	for (j = hash & (tt->nslots - 1); tt->slots[j]; j = (j + 1) & (tt->nslots - 1)) {
		struct sterm *e = &tt->terms[tt->slots[j] - 1];
		if (e->hash == hash && e->len == n && !e->tag && memcmp(e->s, s, n) == 0)
			return e;
	}
	return NULL;
}

/*
 * Room for add more postings: half as much again when it must grow (not
 * twice: the postings are most of the index's memory), trimmed once all
 * pages are in.
 */
static void S_reserve(struct sterm *e, size_t add)
{
	size_t cap;
	if (e->n + add <= e->cap)
		return;
	cap = e->cap + e->cap / 2;
	if (cap < e->n + add)
		cap = e->n + add;
	if (cap < 4)
		cap = 4;
	e->p = xrealloc(e->p, cap * sizeof(*e->p));
	e->cap = cap;
}

static struct posting *S_add_posting(struct sterm *e, uint32_t doc)
{
	struct posting *p;
	S_reserve(e, 1);
	p = &e->p[e->n++];
	memset(p, 0, sizeof(*p));
	p->doc = doc;
	return p;
}

/*
 * A posting packed while pages are merged, a third of struct posting: the
 * varint of (page - the last page) << 2 | kind; kind 0, only the body
 * has the term, once; 1, only the body, its count in the byte after; 2,
 * the four fields' counts in the four bytes after. The postings of all
 * pages, held at once, are most of the index's memory at its peak.
 */
static void S_pack_posting(struct sterm *e, uint32_t doc, const uint8_t *tf)
{
	uint64_t v = (uint64_t)(doc - (e->n ? e->zlast : 0)) << 2;
	int kind = tf[F_TITLE] || tf[F_TAGS] || tf[F_HEADINGS] ? 2 : tf[F_BODY] == 1 ? 0 : 1;
	unsigned char *q;

	if (e->zlen + 10 > e->zcap) {
		size_t cap = e->zcap + e->zcap / 2; /* half as much again: see S_reserve */
		if (cap < e->zlen + 10)
			cap = e->zlen + 10;
		if (cap < 16)
			cap = 16;
		e->z = xrealloc(e->z, cap);
		e->zcap = cap;
	}
	q = e->z + e->zlen;
	v |= (uint64_t)kind;
	while (v >= 0x80) {
		*q++ = (unsigned char)(0x80 | (v & 0x7F));
		v >>= 7;
	}
	*q++ = (unsigned char)v;
	if (kind == 1)
		*q++ = tf[F_BODY];
	else if (kind == 2) {
		memcpy(q, tf, NFIELDS);
		q += NFIELDS;
	}
	e->zlen = (size_t)(q - e->z);
	e->zlast = doc;
	e->n++;
}

/* e's packed postings into out (room for e->n). */
static void S_unpack(const struct sterm *e, struct posting *out)
{
	const unsigned char *q = e->z;
	uint32_t doc = 0;
	size_t j;

	for (j = 0; j < e->n; j++) {
		uint64_t v = 0;
		int shift = 0, kind;
		while (*q & 0x80) {
			v |= (uint64_t)(*q++ & 0x7F) << shift;
			shift += 7;
		}
		v |= (uint64_t)*q++ << shift;
		kind = (int)(v & 3);
		doc += (uint32_t)(v >> 2);
		out[j].doc = doc;
		memset(out[j].tf, 0, NFIELDS);
		if (kind == 0)
			out[j].tf[F_BODY] = 1;
		else if (kind == 1)
			out[j].tf[F_BODY] = *q++;
		else {
			memcpy(out[j].tf, q, NFIELDS);
			q += NFIELDS;
		}
	}
}

/* The fields (bits, 1 << F_TITLE ...) posting p counts. */
static unsigned S_posting_fields(const struct posting *p)
{
	unsigned m = 0;
	int f;
	for (f = 0; f < NFIELDS; f++)
		if (p->tf[f])
			m |= 1u << f;
	return m;
}

/* A worker's room for one term's postings unpacked. */
struct unpacked {
	struct posting *p;
	unsigned char *qs;
	size_t cap;
};

/* e's postings, unpacked into the worker's u when packed. */
static const struct posting *S_postings(const struct sterm *e, struct unpacked *u)
{
	if (!e->z)
		return e->p;
	if (e->n > u->cap) {
		free(u->p);
		free(u->qs);
		u->cap = e->n;
		u->p = xmalloc(u->cap * sizeof(*u->p));
		u->qs = xmalloc(u->cap);
	}
	S_unpack(e, u->p);
	return u->p;
}

static void S_unpacked_release(struct unpacked *u, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		free(u[i].p);
		free(u[i].qs);
	}
	free(u);
}

struct unpack_job {
	struct search_index *ix;
};

/* Term i's packed postings into its array p, exact to size. */
static void S_unpack_job(size_t i, int worker, void *payload)
{
	struct sterm *e = &((struct unpack_job *)payload)->ix->t.terms[i];
	(void)worker;
	if (!e->z)
		return;
	e->p = xmalloc((e->n ? e->n : 1) * sizeof(*e->p));
	e->cap = e->n;
	S_unpack(e, e->p);
	free(e->z);
	e->z = NULL;
	e->zlen = e->zcap = 0;
}

/* --- page numbers -------------------------------------------------------- */

static int S_year(const struct page *pg)
{
	int y, m, d;
	if (pg->date == LLONG_MIN)
		return 0;
	civil_from_days(pg->date, &y, &m, &d);
	return y;
}

static size_t S_lang_index(const struct page *pg, const struct config *cfg)
{
	return (size_t)(pg->lang - cfg->langs);
}

static int S_type_rank(const struct page *pg)
{
	return pg->type ? pg->type->rank : INT_MAX;
}

/* A page with its sort keys worked out once (S_docs). */
struct dockey {
	const struct page *pg;
	int year, rank;
};

static int S_dockey_cmp(const void *a, const void *b)
{
	const struct dockey *x = a, *y = b;
	if (x->pg->lang != y->pg->lang)
		return x->pg->lang < y->pg->lang ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->pg->type != y->pg->type) /* equal ranks: site.yaml types keep their order by name */
		return strcmp(x->pg->type ? x->pg->type->name : "", y->pg->type ? y->pg->type->name : "");
	if (x->year != y->year)
		return x->year > y->year ? -1 : 1;
	if (x->pg->date != y->pg->date)
		return x->pg->date > y->pg->date ? -1 : 1;
	return strcmp(x->pg->path, y->pg->path);
}

/* The pages the index holds (not failed, drafts or expired), in page-number order; *ndocs of them. */
static const struct page **S_docs(const struct site *site, size_t *ndocs)
{
	const struct page **docs = xcalloc(site->npages ? site->npages : 1, sizeof(*docs));
	struct dockey *keys = xcalloc(site->npages ? site->npages : 1, sizeof(*keys));
	size_t i, n = 0;

	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		if (pg->failed || pg->draft || pg->expired)
			continue;
		keys[n].pg = pg;
		keys[n].year = S_year(pg);
		keys[n++].rank = S_type_rank(pg);
	}
	qsort(keys, n, sizeof(*keys), S_dockey_cmp);
	for (i = 0; i < n; i++)
		docs[i] = keys[i].pg;
	free(keys);
	*ndocs = n;
	return docs;
}

/* --- building ------------------------------------------------------------ */

struct tok_job {
	const struct search_index *ix;
	size_t base;
	struct ptok *out;
	struct tok_slots *slots; /* per worker */
	struct page *drop;       /* site->pages when each page's tokens are freed once read, else NULL */
};

static void S_tok_job(size_t i, int worker, void *payload)
{
	struct tok_job *job = payload;
	struct ptok *t = &job->out[i];
	struct tok_slots *sl = &job->slots[worker];
	const struct page *pg = job->ix->docs[job->base + i];

	S_ptok_reset(t);
	t->slots = sl;
	S_tokenize_page(t, pg);
	S_ptok_parts(t);
	memcpy(job->ix->flen[job->base + i], t->len, sizeof(t->len));
	t->slots = NULL;
	/* Emptied for the next page; a table grown for one huge page is not kept. */
	if (sl->n > 4096 && sl->n > 16 * (t->n + 1)) {
		free(sl->v);
		sl->v = NULL;
		sl->n = 0;
	} else if (sl->n) {
		memset(sl->v, 0, sl->n * sizeof(*sl->v));
	}
	if (job->drop) {
		struct page *mine = &job->drop[pg - job->ix->site->pages];
		if (!mine->parse_shared) /* serve's parse cache keeps them (incr.c) */
			pagetok_release(&mine->tokens);
	}
}

struct merge_job {
	struct search_index *ix;
	size_t base, n;
	const struct ptok *batch;
};

/* Part p of the batch's pages, page by page: each term's postings stay in page order. */
static void S_merge_job(size_t p, int worker, void *payload)
{
	struct merge_job *job = payload;
	struct termtab *tt = &job->ix->parts[p];
	size_t i, k;
	(void)worker;

	for (i = 0; i < job->n; i++) {
		const struct ptok *t = &job->batch[i];
		for (k = t->pstart[p]; k < t->pstart[p + 1]; k++) {
			const struct pterm *pt = &t->v[t->order[k]];
			struct sterm *e = S_intern(tt, t->strs.ptr + pt->off, pt->len, 0, pt->hash);
			S_pack_posting(e, (uint32_t)(job->base + i), pt->tf);
		}
		tt->npostings += t->pstart[p + 1] - t->pstart[p];
	}
}

/* The parts into the index's one table, each term's postings trimmed to size. */
static void S_join_parts(struct search_index *ix)
{
	size_t p, i, ns, total = 0;

	for (p = 0; p < NPARTS; p++)
		total += ix->parts[p].nterms;
	ix->t.terms = xmalloc((total + 1) * sizeof(*ix->t.terms));
	ix->t.cap = total + 1;
	for (p = 0; p < NPARTS; p++) {
		struct termtab *tt = &ix->parts[p];
		for (i = 0; i < tt->nterms; i++) {
			struct sterm *e = &tt->terms[i];
			if (e->zcap > e->zlen) {
				e->z = xrealloc(e->z, e->zlen ? e->zlen : 1);
				e->zcap = e->zlen;
			}
		}
		if (tt->nterms) /* an empty part has no array */
			memcpy(ix->t.terms + ix->t.nterms, tt->terms, tt->nterms * sizeof(*tt->terms));
		ix->t.nterms += tt->nterms;
		ix->npostings += tt->npostings;
		free(tt->terms);
		free(tt->slots);
		tt->terms = NULL;
		tt->slots = NULL;
	}
	for (ns = 1024; ns < 2 * (total + 1); ns *= 2)
		;
	S_termtab_slots(&ix->t, ns);
}

struct tag_count {
	const struct term *term; /* its first appearance (site->terms order: language first) */
	size_t n;
};

static int S_tag_count_cmp(const void *a, const void *b)
{
	const struct tag_count *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->term->slug, y->term->slug);
}

/*
 * The tag filters: the TAG_FACETS tags on most pages (in any language; a
 * slug is one tag across languages), each a pseudo-term whose pages are the
 * pages carrying it.
 */
static void S_tags(struct search_index *ix)
{
	const struct site *site = ix->site;
	struct tag_count *tc = xcalloc(site->nterms ? site->nterms : 1, sizeof(*tc));
	/* per term of the site, its facet (+ 1, 0: none): a page's terms point there */
	size_t *facet = xcalloc(site->nterms ? site->nterms : 1, sizeof(*facet));
	size_t *at = xmalloc((TAG_FACETS + 1) * sizeof(*at)); /* each facet's term in ix */
	struct strmap slots = { 0 }, top = { 0 };
	size_t i, k, n = 0;
	uint32_t d;

	for (i = 0; i < site->nterms; i++) {
		const struct term *t = &site->terms[i];
		if (strcmp(t->taxonomy, "tags") != 0)
			continue;
		if (!(k = (size_t)strmap_get(&slots, t->slug, 0))) {
			tc[n].term = t;
			strmap_put(&slots, t->slug, (long)++n);
			k = n;
		}
		tc[k - 1].n += t->n;
	}
	qsort(tc, n, sizeof(*tc), S_tag_count_cmp);
	if (n > TAG_FACETS)
		n = TAG_FACETS;
	for (k = 0; k < n; k++) {
		struct sterm *e = S_intern(&ix->t, tc[k].term->slug, strlen(tc[k].term->slug), 1,
					   S_term_hash(tc[k].term->slug, strlen(tc[k].term->slug)));
		e->tag_name = tc[k].term->name;
		e->gone = 0;
		at[k] = (size_t)(e - ix->t.terms);
		strmap_put(&top, tc[k].term->slug, (long)k + 1);
	}
	for (i = 0; i < site->nterms; i++)
		if (strcmp(site->terms[i].taxonomy, "tags") == 0)
			facet[i] = (size_t)strmap_get(&top, site->terms[i].slug, 0);
	/* Pages in number order, so each tag's postings come out sorted. */
	for (d = 0; d < ix->ndocs; d++) {
		const struct page *pg = ix->docs[d];
		for (i = 0; i < pg->nterms; i++) {
			const struct term *t = pg->terms[i];
			struct sterm *e;
			if ((uintptr_t)t >= (uintptr_t)site->terms &&
			    (uintptr_t)t < (uintptr_t)(site->terms + site->nterms))
				k = facet[t - site->terms];
			else if (strcmp(t->taxonomy, "tags") == 0) /* (not the site's: by its slug) */
				k = (size_t)strmap_get(&top, t->slug, 0);
			else
				k = 0;
			if (!k)
				continue;
			e = &ix->t.terms[at[k - 1]];
			if (!e->n || e->p[e->n - 1].doc != d)
				S_add_posting(e, d);
		}
	}
	strmap_free(&slots);
	strmap_free(&top);
	free(at);
	free(facet);
	free(tc);
}

/*
 * BM25 per field, weighted: each field's count, normalised by the field's
 * length against its average, saturates (k1) on its own, and the fields
 * add up by weight, so a word in the title outweighs any number of it in
 * the body. The result, in [0, 1) after dividing by the weights' sum, is
 * kept as a step on a log scale, and multiplied by the term's idf in the
 * browser, so that the impacts of a query's terms add up.
 */
static double S_weighted(const struct search_index *ix, const double *avg, const struct posting *p)
{
	double sum = 0, wsum = 0;
	int f;
	for (f = 0; f < NFIELDS; f++) {
		double norm, tf;
		wsum += S_weight[f];
		/* a field without the word adds exactly 0: its divisions are skipped, the bits stay */
		if (!p->tf[f])
			continue;
		norm = avg[f] > 0 ? 1 - S_b[f] + S_b[f] * ix->flen[p->doc][f] / avg[f] : 1;
		tf = p->tf[f] / norm;
		sum += S_weight[f] * tf / (BM25_K1 + tf);
	}
	return sum / wsum;
}

/*
 * A posting's step at the fields' average lengths avg, and in *edge how far
 * its value before rounding lies from a value that rounds otherwise (the
 * one function both paths call: the same bits).
 */
static unsigned char S_step(const struct search_index *ix, const double *avg, const struct posting *p,
			    double *edge)
{
	double x = QLEVELS * (1 + log(S_weighted(ix, avg, p)) / log(QRANGE));
	double t = lround(x);
	*edge = x < 0.5 ? 0.5 - x : 0.5 - fabs(x - t);
	return (unsigned char)(t < 1 ? 1 : t > QLEVELS ? QLEVELS : t);
}

/* Serve's kept index: posting j of e is near an edge (j past any listed). */
static void S_frag_push(struct sterm *e, uint32_t j)
{
	ARRAY_GROW(e->frag, e->nfrag, e->fragcap, 4);
	e->frag[e->nfrag++] = j;
}

struct rank_job {
	struct search_index *ix;
	double avg[NFIELDS];
};

/* One term's idf and its postings' steps: terms apart, so on the pool. */
static void S_rank_term(size_t i, int worker, void *payload)
{
	struct rank_job *job = payload;
	struct search_index *ix = job->ix;
	struct sterm *e = &ix->t.terms[i];
	double df = (double)e->n, idf = log(1 + ((double)ix->ndocs - df + 0.5) / (df + 0.5));
	long q = lround(16 * idf);
	size_t j;
	(void)worker;

	e->idf = e->tag ? 0 : q < 1 ? 1 : q > 255 ? 255 : (unsigned)q;
	if (e->z) /* packed (search_build): its steps are made with its record */
		return;
	e->qs = xmalloc(e->n ? e->n : 1);
	e->nfrag = 0;
	for (j = 0; j < e->n; j++) {
		double edge;
		e->qs[j] = e->tag ? 1 : S_step(ix, job->avg, &e->p[j], &edge);
		if (ix->st && !e->tag && edge < FRAG_EDGE)
			S_frag_push(e, (uint32_t)j);
	}
}

/* A field's average length over the pages that have it: few pages have tags. */
static void S_averages(const struct search_index *ix, double *avg)
{
	double have[NFIELDS] = { 0 };
	size_t d;
	int f;

	for (f = 0; f < NFIELDS; f++)
		avg[f] = 0;
	for (d = 0; d < ix->ndocs; d++)
		for (f = 0; f < NFIELDS; f++) {
			avg[f] += ix->flen[d][f];
			have[f] += ix->flen[d][f] > 0;
		}
	for (f = 0; f < NFIELDS; f++)
		avg[f] = have[f] > 0 ? avg[f] / have[f] : 0;
}

static void S_rank(struct search_index *ix, int nthreads, double *avg_out)
{
	struct rank_job job;

	memset(&job, 0, sizeof(job));
	job.ix = ix;
	S_averages(ix, job.avg);
	memcpy(ix->avg, job.avg, sizeof(job.avg));
	pool_run(nthreads, ix->t.nterms, S_rank_term, &job);
	if (avg_out)
		memcpy(avg_out, job.avg, sizeof(job.avg));
}

/*
 * search_index_new, freeing each page's tokens once read when drop is
 * site->pages; with st (serve), what the next rebuild needs is kept too.
 */
static struct search_index *S_index_new(const struct site *site, int nthreads, struct page *drop,
					struct search_state *st, double *avg_out, int packed)
{
	struct search_index *ix = xcalloc(1, sizeof(*ix));
	struct ptok *batch;
	struct tok_slots *slots;
	size_t i, base, nworkers = nthreads > 1 ? (size_t)nthreads : 1;

	ix->st = st;
	ix->site = site;
	ix->nthreads = nthreads;
	ix->packed = packed && !st;
	ix->docs = S_docs(site, &ix->ndocs);
	ix->flen = xcalloc(ix->ndocs ? ix->ndocs : 1, sizeof(*ix->flen));
	ix->parts = xcalloc(NPARTS, sizeof(*ix->parts));

	batch = xcalloc(BATCH_PAGES, sizeof(*batch));
	slots = xcalloc(nworkers, sizeof(*slots));
	for (i = 0; i < BATCH_PAGES; i++)
		buf_init(&batch[i].strs);
	/* A batch is tokenized page by page, then merged part by part. */
	for (base = 0; base < ix->ndocs; base += BATCH_PAGES) {
		size_t n = ix->ndocs - base < BATCH_PAGES ? ix->ndocs - base : BATCH_PAGES;
		struct tok_job tj = { ix, base, batch, slots, drop };
		struct merge_job mj = { ix, base, n, batch };
		pool_run(nthreads, n, S_tok_job, &tj);
		pool_run(nthreads, NPARTS, S_merge_job, &mj);
	}
	for (i = 0; i < BATCH_PAGES; i++)
		S_ptok_release(&batch[i]);
	for (i = 0; i < nworkers; i++)
		free(slots[i].v);
	free(slots);
	free(batch);
	S_join_parts(ix);
	if (!ix->packed) {
		struct unpack_job uj = { ix };
		pool_run(nthreads, ix->t.nterms, S_unpack_job, &uj);
	}
	S_tags(ix);
	S_rank(ix, nthreads, avg_out);
	return ix;
}

struct search_index *search_index_new(const struct site *site, int nthreads)
{
	return S_index_new(site, nthreads, NULL, NULL, NULL, 0);
}

/* --- postings order ------------------------------------------------------ */

struct ranked {
	uint32_t doc;
	unsigned char q;
};

/*
 * e's postings best first: frequency step down, then page number up. The
 * postings (p, their steps qs: e's own, or unpacked) are in page order
 * already, so one counting pass sorts them. Caller frees.
 */
static struct ranked *S_ranked(const struct sterm *e, const struct posting *p, const unsigned char *qs)
{
	struct ranked *r = xmalloc((e->n ? e->n : 1) * sizeof(*r));
	size_t start[QLEVELS + 2] = { 0 }, j;
	int q;

	for (j = 0; j < e->n; j++)
		start[QLEVELS - qs[j] + 1]++;
	for (q = 1; q <= QLEVELS + 1; q++)
		start[q] += start[q - 1];
	for (j = 0; j < e->n; j++) {
		size_t at = start[QLEVELS - qs[j]]++;
		r[at].doc = p[j].doc;
		r[at].q = qs[j];
	}
	return r;
}

size_t search_index_postings(const struct search_index *ix, const char *term, const struct page **docs_out,
			     int *impacts_out, size_t max)
{
	size_t i, j, n = strlen(term);
	for (i = 0; i < ix->t.nterms; i++) {
		const struct sterm *e = &ix->t.terms[i];
		if (!e->tag && e->len == n && memcmp(e->s, term, n) == 0) {
			struct ranked *r = S_ranked(e, e->p, e->qs);
			for (j = 0; j < e->n && j < max; j++) {
				if (docs_out)
					docs_out[j] = ix->docs[r[j].doc];
				if (impacts_out)
					impacts_out[j] = (int)(e->idf * r[j].q);
			}
			free(r);
			return e->n;
		}
	}
	return 0;
}

/* Postings r[0..n) as runs of equal impact, page numbers ascending in each run. */
static void S_encode_postings(struct buf *b, struct ranked *r, size_t n)
{
	size_t i = 0, j, k;
	while (i < n) {
		uint32_t prev = 0;
		for (j = i; j < n && r[j].q == r[i].q; j++)
			;
		/* ascending within a run: S_ranked's tie order */
		S_varint(b, r[i].q);
		S_varint(b, j - i);
		for (k = i; k < j; k++) {
			S_varint(b, k == i ? r[k].doc : r[k].doc - prev);
			prev = r[k].doc;
		}
		i = j;
	}
}

/* --- writing ------------------------------------------------------------- */

struct packed;
/* serve's kept state (below): what the rebuild before wrote, reused when the same. */
static const char *S_kept_meta(const struct search_state *st, size_t d, size_t *len);
static void S_load(struct sterm *e, uint32_t ndocs);
/* A term's postings found not to hold when taken apart after their check (S_load). */
static atomic_int S_state_changed;
static int S_load_checked(struct sterm *e, uint32_t ndocs);
struct ptok;
static int S_load_terms(struct search_index *ix, const uint32_t *changed, size_t nch, const struct ptok *toks,
			const double *avg, const uint64_t *had, const unsigned char *cand, unsigned drifted);
static int S_kept_shard(const struct search_state *st, struct packed *pk);
static void S_keep_shards(struct search_state *st, struct packed *pk, size_t n);
static void S_keep_meta(struct search_state *st, struct buf *meta, size_t *off, size_t ndocs);
static int S_kept_tags(const struct search_state *st, struct packed *pk);
static void S_keep_tags(struct search_state *st, struct packed *pk);
struct writer;
static int S_tail_same(struct writer *w, size_t k, const size_t *recs, size_t n);
static uint64_t *S_tail_name(struct search_state *st, size_t k);
static const struct memsite *S_kept_site(const struct search_state *st);
static uint64_t S_meta_hash(struct search_index *ix, size_t k, size_t from, size_t to, const void *p,
			    size_t n, int *same);
static int S_zsig_find(const struct search_state *st, const uint64_t raw[2], uint64_t *h, uint64_t *size);
static void S_zsig_raw(const struct search_state *st, char prefix, const struct buf *raw, uint64_t out[2]);
static void S_zsig_add(struct search_state *st, const uint64_t raw[2], uint64_t h, uint64_t size);
static int S_digested(const struct search_state *st);
static void S_sigs_made(struct search_state *st, size_t nmeta, size_t ntails);
static int S_kept_order(struct writer *w);
static void S_keep_order(struct writer *w);

/* A term's record, less the front-coded name (which depends on the shard). */
struct record {
	const struct sterm *e;
	struct buf body; /* df, n, head length, head */
	struct buf pos;  /* then the tail's position */
	struct buf tail; /* the tail's postings as a zlib stream, moved to a tail file */
	int borrowed;    /* body and tail are the term's (serve's kept index) */
	int reused;      /* and were made by the rebuild before */
	size_t tail_file, tail_off;
	int failed; /* zlib could not compress the tail */
};

struct writer {
	struct search_index *ix;
	struct output *out;
	struct search_stats *stats;
	struct buf manifest;
	struct sterm **words, **tags; /* the terms sorted, apart from the tags' pseudo-terms */
	size_t nwords, ntags;
	struct record *rec; /* the words' records, then the tags' */
	size_t ntails;      /* tail files */
	size_t term_bytes;  /* the words' records with their names, about */
	struct buf meta;    /* every page's metadata, in page order */
	size_t *meta_off;   /* page i's: meta_off[i] .. meta_off[i + 1] */
	int failed;
};

static int S_str_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

static int S_sterm_ptr_cmp(const void *a, const void *b)
{
	const struct sterm *x = *(const struct sterm *const *)a, *y = *(const struct sterm *const *)b;
	return S_str_cmp(x->s, x->len, y->s, y->len);
}

/*
 * Writes data under search/ as PREFIX-HASH.bin (zlib-compressed when
 * deflate) and appends the name to the manifest as a JSON string.
 */
/* Writes data under search/ as PREFIX-HASH.bin and appends the name to the manifest as a JSON string. */
/* S_emit_bytes, the bytes' hash h already known (serve: the same bytes as in the rebuild before). */
/*
 * serve: the file of this name in the site the last write went into (its
 * name is its bytes' hash) shared, not written again. 1 when it was, 0
 * when there is none (write it).
 */
static int S_emit_kept(struct writer *w, const char *prefix, uint64_t h)
{
	const struct memsite *kept = w->ix->st ? S_kept_site(w->ix->st) : NULL;
	const struct memsite_file *f;
	char name[64], path[80];

	if (!kept || !w->out->mem || kept == w->out->mem)
		return 0;
	snprintf(name, sizeof(name), "%s-%016llx.bin", prefix, (unsigned long long)h);
	snprintf(path, sizeof(path), "search/%s", name);
	if (!(f = memsite_get(kept, path)))
		return 0;
	if (output_share(w->out, f))
		w->failed = 1;
	w->stats->files++;
	w->stats->bytes += f->len;
	buf_printf(&w->manifest, "\"%s\"", name);
	return 1;
}

/*
 * A build's state: the file of this name in the current output, which the
 * build that saved the state wrote (its name is its bytes' hash, and the
 * caller knows its bytes are the ones the last write gave it), kept by a
 * link, not written again; size: its bytes. 1 when it was, 0 when it
 * cannot be (write it).
 */
static int S_emit_out(struct writer *w, const char *prefix, uint64_t h, uint64_t size)
{
	char name[64], path[80];
	int rc;

	if (!w->ix->st || !S_digested(w->ix->st) || w->out->mem)
		return 0;
	snprintf(name, sizeof(name), "%s-%016llx.bin", prefix, (unsigned long long)h);
	snprintf(path, sizeof(path), "search/%s", name);
	if ((rc = output_keep(w->out, path)) > 0)
		return 0;
	if (rc < 0)
		w->failed = 1;
	w->stats->files++;
	w->stats->bytes += size;
	buf_printf(&w->manifest, "\"%s\"", name);
	return 1;
}

static void S_emit_hashed(struct writer *w, const char *prefix, const void *p, size_t n, uint64_t h)
{
	char name[64], path[80];

	if (S_emit_kept(w, prefix, h))
		return;
	snprintf(name, sizeof(name), "%s-%016llx.bin", prefix, (unsigned long long)h);
	snprintf(path, sizeof(path), "search/%s", name);
	if (output_write(w->out, path, p, n))
		w->failed = 1;
	w->stats->files++;
	w->stats->bytes += n;
	buf_printf(&w->manifest, "\"%s\"", name);
}

static void S_emit_bytes(struct writer *w, const char *prefix, const void *p, size_t n)
{
	S_emit_hashed(w, prefix, p, n, S_hash64(p, n));
}

/* A file's bytes, compressed on the pool before the files are written in order. */
struct packed {
	struct buf raw;
	unsigned char *z;
	size_t zn;
	int failed;
	uint64_t h; /* S_hash64 of z, when hashed */
	int hashed;
	/* a build's state: the digest of raw (S_zsig_raw), and kept: raw's stream is the
	   last write's file h (zn bytes), kept from the output, not made (S_emit_out) */
	uint64_t rawh[2];
	int kept;
};

/*
 * After a pool_run of S_pack jobs: whether it was cancelled (pool.h), some
 * of the n left unpacked; then all are freed, none is written.
 */
static int S_packs_cancelled(struct packed *pk, size_t n)
{
	size_t k;

	if (!pool_cancelled())
		return 0;
	for (k = 0; k < n; k++) {
		buf_release(&pk[k].raw);
		free(pk[k].z);
	}
	return 1;
}

/* search_set_deflate's memo of zlib streams for the build under way, or none. */
static search_deflate_fn S_zmemo;
static void *S_zmemo_payload;

void search_set_deflate(search_deflate_fn fn, void *payload)
{
	S_zmemo = fn;
	S_zmemo_payload = payload;
}

/* pk's raw bytes compressed into its stream, the raw bytes left. */
static void S_deflate_raw(struct packed *pk)
{
	uLongf zn = compressBound((uLong)pk->raw.len);
	if (S_zmemo) { /* a rebuild: the stream of these bytes the last one made (diskcache.h) */
		size_t n = 0;
		pk->failed = S_zmemo(S_zmemo_payload, pk->raw.ptr, pk->raw.len, &pk->z, &n) != 0;
		pk->zn = n;
		return;
	}
	pk->z = xmalloc(zn);
	pk->failed = compress2(pk->z, &zn, (const Bytef *)pk->raw.ptr, (uLong)pk->raw.len, 9) != Z_OK;
	pk->zn = zn;
}

static void S_pack(struct packed *pk)
{
	S_deflate_raw(pk);
	buf_release(&pk->raw);
}

/* A build's state: pk's stream the last write's file, kept from the output: 1, else 0. */
static int S_emit_packed_kept(struct writer *w, const char *prefix, struct packed *pk)
{
	if (!pk->kept || !S_emit_out(w, prefix, pk->h, pk->zn))
		return 0;
	buf_release(&pk->raw);
	w->stats->streams_kept++;
	return 1;
}

static void S_emit_packed(struct writer *w, const char *prefix, struct packed *pk)
{
	if (S_emit_packed_kept(w, prefix, pk))
		return;
	if (pk->kept) { /* not in the output: made after all (the caller gave its raw bytes) */
		pk->kept = pk->hashed = 0;
		S_deflate_raw(pk);
	}
	w->stats->streams_made += S_digested(w->ix->st) && !S_zmemo;
	buf_release(&pk->raw);
	if (!pk->hashed) {
		pk->h = S_hash64(pk->z, pk->zn);
		pk->hashed = 1;
	}
	if (pk->failed) {
		diag_error(NULL, 0, 0, "search: cannot compress %s file", prefix);
		w->failed = 1;
	}
	S_emit_hashed(w, prefix, pk->z, pk->zn, pk->hashed ? pk->h : S_hash64(pk->z, pk->zn));
	free(pk->z);
	pk->z = NULL;
}

/* S_emit_bytes, zlib-compressed when deflate. */
static void S_emit(struct writer *w, const char *prefix, const void *data, size_t len, int deflate)
{
	struct packed pk;

	if (!deflate) {
		S_emit_bytes(w, prefix, data, len);
		return;
	}
	memset(&pk, 0, sizeof(pk));
	buf_init(&pk.raw);
	buf_put(&pk.raw, data, len);
	S_pack(&pk);
	S_emit_packed(w, prefix, &pk);
}

static void S_json_str(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	escape_json(b, s, strlen(s));
	buf_putc(b, '"');
}

/*
 * b's bytes replaced by their zlib stream: a tail is compressed on its own,
 * so the byte range of one term's tail is a whole stream the browser can
 * inflate (a range of one stream over the whole file could not be). 0, or
 * -1 when zlib fails.
 */
static int S_deflate_buf(struct buf *b)
{
	uLongf zn = compressBound((uLong)b->len);
	unsigned char *z;
	int rc;

	if (S_zmemo) { /* a rebuild: the stream of these bytes the last one made (diskcache.h) */
		size_t n = 0;
		rc = S_zmemo(S_zmemo_payload, b->ptr, b->len, &z, &n) == 0 ? 0 : -1;
		buf_reset(b);
		if (rc == 0)
			buf_put(b, z, n);
		free(z);
		return rc;
	}
	z = xmalloc(zn);
	rc = compress2(z, &zn, (const Bytef *)b->ptr, (uLong)b->len, 9) == Z_OK ? 0 : -1;

	buf_reset(b);
	if (rc == 0)
		buf_put(b, z, zn);
	free(z);
	return rc;
}

struct records_job {
	struct record *rec;
	struct sterm **sorted;
	int keep; /* serve: each record is kept in its term for the next rebuild */
	const struct search_index *ix;
	struct unpacked *u; /* per worker, for packed terms */
};

/*
 * A packed term's postings, ranked (S_ranked) from its postings unpacked
 * in the worker's room, their steps made here (S_rank_term's, for a term
 * of an index that is not packed); the packed bytes are freed: written
 * once, the term is not read again.
 */
static struct ranked *S_ranked_packed(const struct search_index *ix, struct sterm *e, struct unpacked *u)
{
	const struct posting *p = S_postings(e, u);
	struct ranked *r;
	size_t j;

	for (j = 0; j < e->n; j++) {
		double edge;
		u->qs[j] = e->tag ? 1 : S_step(ix, ix->avg, &p[j], &edge);
	}
	r = S_ranked(e, p, u->qs);
	free(e->z);
	e->z = NULL;
	e->zlen = e->zcap = 0;
	return r;
}

/* Term i's record less its tail's position, and its tail: terms apart, so on the pool. */
static void S_record(size_t i, int worker, void *payload)
{
	struct records_job *job = payload;
	struct record *rec = &job->rec[i];
	struct sterm *e = job->sorted[i];
	struct ranked *r;
	size_t head = e->n < HEAD_POSTINGS ? e->n : HEAD_POSTINGS;
	struct buf hb = BUF_INIT;

	rec->e = e;
	if (e->cached) {             /* serve: the term did not change since the last rebuild */
		rec->body = e->cpre; /* borrowed: read, never changed */
		rec->tail = e->ctail;
		rec->borrowed = 1;
		rec->reused = 1;
		rec->failed = e->cfailed;
		return;
	}
	e->dirty = 1;                        /* its record made again */
	S_load(e, (uint32_t)job->ix->ndocs); /* a state's term read from disk, taken apart now */
	r = e->z ? S_ranked_packed(job->ix, e, &job->u[worker]) : S_ranked(e, e->p, e->qs);
	S_encode_postings(&hb, r, head);
	S_varint(&rec->body, e->n);
	S_varint(&rec->body, e->idf);
	S_varint(&rec->body, head);
	S_varint(&rec->body, hb.len);
	buf_put(&rec->body, hb.ptr, hb.len);
	if (head < e->n) {
		S_encode_postings(&rec->tail, r + head, e->n - head);
		rec->failed = S_deflate_buf(&rec->tail);
	}
	buf_release(&hb);
	free(r);
	if (job->keep) { /* the term keeps them, the record borrows them */
		buf_release(&e->cpre);
		buf_release(&e->ctail);
		e->cpre = rec->body;
		e->ctail = rec->tail;
		rec->borrowed = 1;
		e->cfailed = rec->failed;
		e->cached = 1;
	}
}

/*
 * Builds each term's record. Tails are laid out in term order across tail
 * files from number first on, a new file when one passes tail_target.
 * Returns the number of the file after the last one used.
 */
static size_t S_records(struct record *rec, struct sterm **sorted, size_t n, size_t tail_target, size_t first,
			const struct search_index *ix)
{
	size_t nworkers = ix->nthreads > 1 ? (size_t)ix->nthreads : 1;
	struct records_job job = { rec, sorted, ix->st != NULL, ix, xcalloc(nworkers, sizeof(*job.u)) };
	size_t i, file = first, off = 0;

	pool_run(ix->nthreads, n, S_record, &job);
	S_unpacked_release(job.u, nworkers);
	if (pool_cancelled()) /* records were skipped: the index is not written (pool.h) */
		return first;
	for (i = 0; i < n; i++) {
		if (rec[i].e->n <= HEAD_POSTINGS)
			continue;
		if (off > 0 && off + rec[i].tail.len > tail_target) {
			file++;
			off = 0;
		}
		rec[i].tail_file = file;
		rec[i].tail_off = off;
		off += rec[i].tail.len;
		S_varint(&rec[i].pos, file);
		S_varint(&rec[i].pos, rec[i].tail_off);
		S_varint(&rec[i].pos, rec[i].tail.len);
	}
	return off > 0 ? file + 1 : file;
}

/* One shard's bytes into b: records [from, to), names front-coded. */
static void S_shard_bytes(struct buf *b, const struct record *rec, size_t from, size_t to)
{
	size_t i;
	S_varint(b, to - from);
	for (i = from; i < to; i++) {
		const struct sterm *e = rec[i].e, *p = i > from ? rec[i - 1].e : NULL;
		size_t shared = 0;
		while (p && shared < p->len && shared < e->len && p->s[shared] == e->s[shared])
			shared++;
		S_varint(b, shared);
		S_varint(b, e->len - shared);
		buf_put(b, e->s + shared, e->len - shared);
		buf_put(b, rec[i].body.ptr, rec[i].body.len);
		buf_put(b, rec[i].pos.ptr, rec[i].pos.len);
	}
}

/* One shard, written. */
static void S_shard(struct writer *w, const char *prefix, struct record *rec, size_t from, size_t to)
{
	struct buf b = BUF_INIT;
	S_shard_bytes(&b, rec, from, to);
	S_emit(w, prefix, b.ptr, b.len, 1);
	buf_release(&b);
}

/* One page's metadata: [url, title, date, summary cut to SNIPPET_CHARS]. */
static void S_meta(struct buf *b, const struct page *pg)
{
	buf_putc(b, '[');
	S_json_str(b, pg->href);
	buf_putc(b, ',');
	S_json_str(b, pg->title);
	buf_putc(b, ',');
	if (pg->date != LLONG_MIN) {
		int y, m, d;
		civil_from_days(pg->date, &y, &m, &d);
		buf_printf(b, "\"%04d-%02d-%02d\"", y, m, d);
	} else {
		buf_puts(b, "\"\"");
	}
	buf_puts(b, ",\"");
	if (pg->summary) {
		struct buf clip = BUF_INIT;
		text_clip(&clip, pg->summary, strlen(pg->summary), SNIPPET_CHARS);
		escape_json(b, clip.ptr, clip.len);
		buf_release(&clip);
	}
	buf_puts(b, "\"]");
}

/* Page-number runs of one language, type and year: [lang, type, year, count]. */
static void S_runs(struct writer *w)
{
	struct search_index *ix = w->ix;
	size_t d = 0, t;
	int first = 1;

	ix->types = arena_alloc(&ix->arena, (ix->site->types.n + 1) * sizeof(*ix->types));
	ix->ntypes = 0; /* serve's kept index writes again */
	buf_puts(&w->manifest, ",\"runs\":[");
	while (d < ix->ndocs) {
		const struct page *pg = ix->docs[d];
		const char *type = pg->type ? pg->type->name : "page";
		int year = S_year(pg); /* a date's year once a page: 10,000 of them each write */
		size_t e = d + 1;
		while (e < ix->ndocs && ix->docs[e]->lang == pg->lang && ix->docs[e]->type == pg->type &&
		       S_year(ix->docs[e]) == year)
			e++;
		for (t = 0; t < ix->ntypes && strcmp(ix->types[t], type) != 0; t++)
			;
		if (t == ix->ntypes)
			ix->types[ix->ntypes++] = type;
		buf_printf(&w->manifest, "%s[%zu,%zu,%d,%zu]", first ? "" : ",",
			   S_lang_index(pg, ix->site->cfg), t, year, e - d);
		first = 0;
		d = e;
	}
	buf_puts(&w->manifest, "],\"types\":[");
	for (t = 0; t < ix->ntypes; t++) {
		if (t)
			buf_putc(&w->manifest, ',');
		S_json_str(&w->manifest, ix->types[t]);
	}
	buf_putc(&w->manifest, ']');
}

/*
 * "same": the translations, pairs of page numbers (a page, the page of its
 * original), so that a search of every language shows one version of an
 * item, the reader's language's, and counts it once. Written as runs of
 * pairs that both go up by one (a language's pages are numbered in the
 * same order as their originals, so runs are long), each run three
 * numbers: where its page and its original start, each counted from where
 * the previous run's ended (the original's may be negative), and its
 * length.
 */
static void S_same(struct writer *w)
{
	struct search_index *ix = w->ix;
	const struct site *site = ix->site;
	size_t *num = xmalloc((site->npages ? site->npages : 1) * sizeof(*num)), d;
	long long end_d = 0, end_o = 0, run_d = -1, run_o = 0, run_n = 0;
	int first = 1;

	for (d = 0; d < site->npages; d++)
		num[d] = SIZE_MAX;
	for (d = 0; d < ix->ndocs; d++)
		num[ix->docs[d] - site->pages] = d;
	buf_puts(&w->manifest, ",\"same\":[");
	for (d = 0; d <= ix->ndocs; d++) {
		const struct page *o = d < ix->ndocs ? page_original(ix->docs[d]) : NULL;
		long long od;
		if (d < ix->ndocs && (o == ix->docs[d] || num[o - site->pages] == SIZE_MAX))
			continue;
		od = d < ix->ndocs ? (long long)num[o - site->pages] : -1;
		if (run_n && d < ix->ndocs && (long long)d == run_d + run_n && od == run_o + run_n) {
			run_n++;
			continue;
		}
		if (run_n) {
			buf_printf(&w->manifest, "%s%lld,%lld,%lld", first ? "" : ",", run_d - end_d,
				   run_o - end_o, run_n);
			first = 0;
			end_d = run_d + run_n;
			end_o = run_o + run_n;
		}
		run_d = (long long)d;
		run_o = od;
		run_n = 1;
	}
	buf_putc(&w->manifest, ']');
	free(num);
}

/*
 * How many metadata files: of META_FILE_BYTES or more, at most an eighth
 * of the file cap (as tails), so that a site of huge titles stays under it.
 * Returns the bytes to aim for per file.
 */
static size_t S_meta_target(size_t ndocs, size_t meta_bytes)
{
	size_t cap = ndocs / 50 > 64 ? ndocs / 50 : 64, most = cap / 8;
	size_t need = (meta_bytes + most - 1) / most;
	return need > META_FILE_BYTES ? need : META_FILE_BYTES;
}

/*
 * How many term shards. A query downloads the manifest, which names every
 * shard (about SHARD_NAME_BYTES each, compressed), and a shard per term:
 * with term bytes T compressed and s shards, about s * SHARD_NAME_BYTES +
 * T / s, least at s = sqrt(T / SHARD_NAME_BYTES). No shard smaller than
 * SHARD_BYTES (a request costs too), and no more than the room left under
 * max(64, pages / 50) files, *most (the cuts, content-defined, make
 * about s shards: at most *most). Term records deflate to about 3/4.
 */
static size_t S_plan(size_t ndocs, size_t term_bytes, size_t nother, size_t *most)
{
	size_t cap = ndocs / 50 > 64 ? ndocs / 50 : 64;
	size_t room = cap > nother + 2 ? cap - nother - 2 : 1; /* the manifest and the tag shard */
	double tz = 0.75 * (double)term_bytes;
	size_t s = (size_t)ceil(tz / SHARD_BYTES), best = (size_t)ceil(sqrt(tz / SHARD_NAME_BYTES));

	if (s > best)
		s = best;
	if (s > room)
		s = room;
	*most = room;
	return s < 1 ? 1 : s;
}

static void S_sort_kept(struct writer *w);

/* The terms apart from the tags' pseudo-terms, each sorted. */
static void S_sort_terms(struct writer *w)
{
	struct search_index *ix = w->ix;
	size_t i;

	w->words = xmalloc((ix->t.nterms + 1) * sizeof(*w->words));
	w->tags = xmalloc((ix->t.nterms + 1) * sizeof(*w->tags));
	if (ix->st && S_digested(ix->st)) { /* a build's state: the order of the last write's words */
		S_sort_kept(w);
		return;
	}
	if (ix->st && S_kept_order(w)) /* serve: the same terms as the rebuild before */
		return;
	for (i = 0; i < ix->t.nterms; i++) {
		struct sterm *e = &ix->t.terms[i];
		if (e->tag ? e->gone : !e->n) /* serve's kept index: no longer in the site */
			continue;
		if (e->tag)
			w->tags[w->ntags++] = e;
		else
			w->words[w->nwords++] = e;
	}
	qsort(w->words, w->nwords, sizeof(*w->words), S_sterm_ptr_cmp);
	qsort(w->tags, w->ntags, sizeof(*w->tags), S_sterm_ptr_cmp);
	if (ix->st)
		S_keep_order(w);
}

/* Tails first: how many tail files there are decides the room left. */
static void S_layout(struct writer *w)
{
	size_t i, tail_bytes = 0, cap, tail_target;

	for (i = 0; i < w->nwords; i++)
		if (w->words[i]->n > HEAD_POSTINGS)
			tail_bytes += 2 * (w->words[i]->n - HEAD_POSTINGS); /* about two bytes a posting */
	cap = w->ix->ndocs / 50 > 64 ? w->ix->ndocs / 50 : 64;
	w->ntails = (tail_bytes + TAIL_BYTES - 1) / TAIL_BYTES;
	if (w->ntails > cap / 8)
		w->ntails = cap / 8;
	tail_target = w->ntails ? (tail_bytes + w->ntails - 1) / w->ntails : TAIL_BYTES;
	w->rec = xcalloc(w->nwords + w->ntags + 1, sizeof(*w->rec));
	for (i = 0; i < w->nwords + w->ntags + 1; i++) {
		buf_init(&w->rec[i].body);
		buf_init(&w->rec[i].tail);
		buf_init(&w->rec[i].pos);
	}
	w->ntails = S_records(w->rec, w->words, w->nwords, tail_target, 0, w->ix);
	/* The tags' tails share one file, after the words' ones. */
	w->ntails = S_records(w->rec + w->nwords, w->tags, w->ntags, SIZE_MAX, w->ntails, w->ix);
	if (pool_cancelled())
		return;
	for (i = 0; S_digested(w->ix->st) && !S_zmemo && i < w->nwords + w->ntags; i++)
		w->stats->streams_made += !w->rec[i].reused && w->rec[i].tail.len; /* no memo read */
	for (i = 0; i < w->nwords; i++)
		w->term_bytes += w->rec[i].e->len + w->rec[i].body.len + w->rec[i].pos.len + 2;
	for (i = 0; i < w->nwords + w->ntags; i++)
		if (w->rec[i].failed && !w->failed) {
			diag_error(NULL, 0, 0, "search: cannot compress a postings tail");
			w->failed = 1;
		}
}

/* The pages of a run of metadata records: one item of S_metadata's pool. */
#define S_META_RUN 512

/* The page after run r's last. */
static size_t S_meta_run_end(const struct search_index *ix, size_t r)
{
	return (r + 1) * S_META_RUN < ix->ndocs ? (r + 1) * S_META_RUN : ix->ndocs;
}

struct meta_job {
	struct writer *w;
	struct buf *runs; /* run r's records, their offsets in w->meta_off from the run's start */
};

/* Page i's record as the rebuild before made it, when it is kept (its bytes in the state), else NULL. */
static const char *S_meta_kept(const struct search_index *ix, size_t i, size_t *len)
{
	return ix->fresh && !ix->fresh[i] ? S_kept_meta(ix->st, ix->oldd[i], len) : NULL;
}

static void S_meta_run(size_t r, int worker, void *payload)
{
	struct meta_job *job = payload;
	const struct search_index *ix = job->w->ix;
	struct buf *b = &job->runs[r];
	size_t i, n, end = S_meta_run_end(ix, r);
	(void)worker;

	for (i = r * S_META_RUN; i < end; i++) {
		job->w->meta_off[i] = b->len;
		if (!S_meta_kept(ix, i, &n)) /* a kept one is copied once, by the join */
			S_meta(b, ix->docs[i]);
	}
}

/*
 * Every page's metadata record, in page order. Made in runs on the pool
 * (a record is text cut and escaped: the largest part of the write that
 * ran on one thread), joined in order: the same bytes at any -j. A
 * rebuild's kept records (its state's) are copied by the join alone, not
 * into the runs first: 5 MB at 10,000 pages, at the rebuild's peak. 0,
 * or -1 when the pool was cancelled (serve stopping) before every run
 * was made.
 */
static int S_metadata(struct writer *w)
{
	struct search_index *ix = w->ix;
	size_t nruns = (ix->ndocs + S_META_RUN - 1) / S_META_RUN, r, i, n, total = 0;
	struct meta_job job = { w, NULL };

	w->meta_off = xmalloc((ix->ndocs + 1) * sizeof(*w->meta_off));
	job.runs = xcalloc(nruns ? nruns : 1, sizeof(*job.runs));
	for (r = 0; r < nruns; r++)
		buf_init(&job.runs[r]);
	pool_run(ix->nthreads, nruns, S_meta_run, &job);
	if (pool_cancelled()) { /* runs the pool skipped left their offsets unset: none is joined */
		for (r = 0; r < nruns; r++)
			buf_release(&job.runs[r]);
		free(job.runs);
		return -1;
	}
	for (r = 0; r < nruns; r++)
		total += job.runs[r].len;
	for (i = 0; i < ix->ndocs; i++)
		total += S_meta_kept(ix, i, &n) ? n : 0;
	if (total)
		buf_grow(&w->meta, total);
	for (r = 0; r < nruns; r++) {
		size_t end = S_meta_run_end(ix, r);
		for (i = r * S_META_RUN; i < end; i++) {
			/* page i's bytes in its run: to the next page's, the run's end for the last */
			size_t from = w->meta_off[i], to = i + 1 < end ? w->meta_off[i + 1] : job.runs[r].len;
			const char *kept = S_meta_kept(ix, i, &n);
			w->meta_off[i] = w->meta.len;
			if (kept)
				buf_put(&w->meta, kept, n);
			else
				buf_put(&w->meta, job.runs[r].ptr + from, to - from);
		}
		buf_release(&job.runs[r]);
	}
	w->meta_off[ix->ndocs] = w->meta.len;
	free(job.runs);
	return 0;
}

/* The manifest's opening: version, pages, steps, languages, then the runs and types. */
static void S_manifest_head(struct writer *w)
{
	const struct config *cfg = w->ix->site->cfg;
	size_t i;

	buf_printf(&w->manifest, "{\"version\":2,\"docs\":%zu,\"steps\":[%d,%g],\"langs\":[", w->ix->ndocs,
		   QLEVELS, QRANGE);
	for (i = 0; i < cfg->nlangs; i++) {
		if (i)
			buf_putc(&w->manifest, ',');
		S_json_str(&w->manifest, cfg->langs[i].tag);
	}
	buf_putc(&w->manifest, ']');
	S_runs(w);
	S_same(w);
}

struct shards_job {
	const struct record *rec;
	const size_t *from; /* shard k: records [from[k], from[k + 1]) */
	struct packed *pk;
	const struct search_state *st; /* serve: the shards of the rebuild before, else NULL */
};

static int S_shard_key(const struct search_state *st, const struct record *rec, size_t from, size_t to,
		       uint64_t out[2]);

static void S_shard_job(size_t k, int worker, void *payload)
{
	struct shards_job *job = payload;
	struct packed *pk = &job->pk[k];
	(void)worker;
	/* a build's state: the last write's file of these bytes, kept */
	if (job->st && S_digested(job->st)) {
		if (S_shard_key(job->st, job->rec, job->from[k], job->from[k + 1], pk->rawh) &&
		    S_zsig_find(job->st, pk->rawh, &pk->h, &pk->zn)) {
			pk->kept = pk->hashed = 1;
			return;
		}
		S_shard_bytes(&pk->raw, job->rec, job->from[k], job->from[k + 1]);
		S_deflate_raw(pk);
		return;
	}
	S_shard_bytes(&pk->raw, job->rec, job->from[k], job->from[k + 1]);
	if (!job->st) {
		S_pack(pk);
		return;
	}
	/* serve: the same bytes as a shard of the rebuild before, the same stream (a build's
	   state keeps no shards: the deflate memo's stream, diskcache.h) */
	if (!S_kept_shard(job->st, pk))
		S_deflate_raw(pk);
}

/*
 * Content-defined cuts (search_shard_cuts). Were shards cut at fixed
 * shares of the terms' bytes, one page's edit that adds a word would move
 * every later cut: 51-76 of 175 shards made and named anew, though about
 * three hold a changed term. Here a term ends a shard by a draw of its
 * own name, so the cuts after a change are the same terms as before.
 * The chance grows with the shard's bytes (a hazard rising from nothing
 * at CUT_MIN targets, as a Rayleigh variable's): the sizes gather near
 * the target (mean 1.0, deviation 0.1), whereas a constant chance (a
 * mask on a hash) spreads them as widely as their mean, and a query's
 * term falls in a big shard more often than in a small one, so widely
 * spread sizes cost it bytes. Narrower is worse the other way: a shard
 * that ends a term sooner or later moves where the next one's chance
 * rises, and the next one's end moves too, and so on, more often the
 * narrower the rise. Simulated (17,000 terms, 175 shards, a new word put
 * in 48,000 times): 0.85 and 0.12 changed 2.85 shards a word (10 % of
 * the words 5 or more), 0.8 and 0.16 changed 1.13 (0.9 %) for a query's
 * shard 1.2 % bigger than fixed shares' (0.75 and 0.2: 1.10, 1.8 %).
 * CUT_MAX caps a shard (but for its last term), CUT_MIN keeps a hostile
 * site's many tiny terms to few shards, and no shard ends with fewer
 * than CUT_MIN targets after it, so the last one is not a crumb.
 */
#define CUT_MIN 0.8     /* targets: no cut before */
#define CUT_SPREAD 0.16 /* targets: the hazard's rise (mean 0.8 + 0.16 * sqrt(pi / 2) = 1.0) */
#define CUT_MAX 1.4     /* targets: a cut at (the hazard is 7 there: e^-7 of shards get so far) */
#define CUT_TRIES 64    /* sizes tried under the file cap before fixed shares */
#define CUT_MERGES 8    /* shards over the cap merged with a neighbour rather than all made bigger */

/* A name's hash for its draw: not the keyed hash (util.h), as the same name must cut in every run. */
uint64_t search_term_cut_hash(const char *s, size_t n)
{
	uint64_t h = S_hash64(s, n);
	h ^= h >> 33; /* FNV's high bits alone are poorly mixed for short names */
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 33);
}

/* The hazard risen by y bytes into a shard: a cut is drawn when it rises past the term's draw. */
static double S_cut_rise(double y, double lo, double spread)
{
	return y > lo ? (y - lo) * (y - lo) / (2 * spread * spread) : 0;
}

/* One try at target bytes a shard: draw[i] is term i's exponential draw. Returns the shards. */
static size_t S_cuts_try(const double *draw, const size_t *bytes, size_t n, size_t total, double target,
			 size_t *from)
{
	double lo = CUT_MIN * target, spread = CUT_SPREAD * target, hi = CUT_MAX * target;
	size_t i, acc = 0, left = total, made = 0;

	from[0] = 0;
	for (i = 0; i + 1 < n; i++) {
		size_t before = acc;
		acc += bytes[i];
		left -= bytes[i];
		if ((double)acc < lo || (double)left < lo)
			continue;
		if ((double)acc >= hi ||
		    draw[i] < S_cut_rise((double)acc, lo, spread) - S_cut_rise((double)before, lo, spread)) {
			from[++made] = i + 1;
			acc = 0;
		}
	}
	if (n)
		from[++made] = n;
	return made;
}

/*
 * made shards [from[k], from[k + 1]) less one: the two next to each other
 * of the fewest bytes together (the first such) made one. Their sizes
 * change little with an edit, so the same two as a rule, and they hold
 * about two shards' average at most (the least of made / 2 pairs that
 * share the bytes: total / (made / 2)).
 */
static size_t S_cuts_merge(const size_t *bytes, size_t *from, size_t made)
{
	size_t i, k, best = 0, least = SIZE_MAX, prev = 0, cur;

	for (k = 0; k < made; k++, prev = cur) {
		for (cur = 0, i = from[k]; i < from[k + 1]; i++)
			cur += bytes[i];
		if (k && prev + cur < least) {
			least = prev + cur;
			best = k;
		}
	}
	memmove(&from[best], &from[best + 1], (made - best) * sizeof(*from));
	return made - 1;
}

/* Fixed shares of the bytes, most at most: when no content-defined size fits (a hostile site). */
static size_t S_cuts_even(const size_t *bytes, size_t n, size_t total, size_t most, size_t *from)
{
	size_t i, acc = 0, made = 0;

	from[0] = 0;
	for (i = 0; i < n; i++) {
		acc += bytes[i];
		if (i + 1 == n || acc >= (made + 1) * (total / most + 1))
			from[++made] = i + 1;
	}
	return made;
}

size_t search_shard_cuts(const uint64_t *hash, const size_t *bytes, size_t n, double target, size_t most,
			 size_t *from)
{
	double *draw = xmalloc((n + 1) * sizeof(*draw)), squares = 0;
	size_t i, total = 0, made = 0;
	int t;

	if (most < 1)
		most = 1;
	if (target < 1)
		target = 1;
	for (i = 0; i < n; i++) {
		double b = (double)bytes[i] < target ? (double)bytes[i] : target;
		draw[i] = -log1p(-(double)(hash[i] >> 11) * 0x1p-53); /* exponential, mean 1 */
		total += bytes[i];
		squares += b * b;
	}
	/* A shard ends with its term, past where the draw fell: by half the bytes of a byte's
	   term (the bigger, the likelier), 1 % of the target at 10,000 pages, so the draws aim
	   that much short (a term over the target counted as the target: CUT_MAX ends its shard) */
	if (total)
		target -= squares / (2.0 * (double)total);
	/* Over the cap by a few (the count aimed at is the cap's when the cap decides it, and
	   the count made varies by one or two): the least neighbours merged, where bigger
	   shards would move every cut (50 of 175 shards made anew when an edit made 176).
	   By more (a hostile site): bigger shards, by the overshoot, until few are over. Each
	   shard but the last has CUT_MIN targets or more, so they fit once that is total /
	   (most - 1). */
	for (t = 0; t < CUT_TRIES; t++) {
		made = S_cuts_try(draw, bytes, n, total, target, from);
		if (made <= most + CUT_MERGES)
			break;
		target *= (double)made / (double)most;
	}
	if (made > most + CUT_MERGES)
		made = S_cuts_even(bytes, n, total, most, from);
	while (made > most)
		made = S_cuts_merge(bytes, from, made);
	free(draw);
	return made;
}

/*
 * Term shards, cut where their terms say (search_shard_cuts) to about
 * term_bytes / nshards bytes each, at most most; compressed on the pool.
 */
static void S_term_shards(struct writer *w, size_t nshards, size_t most)
{
	struct record *rec = w->rec;
	size_t i, k, made;
	size_t *from = xmalloc((w->nwords + 2) * sizeof(*from)),
	       *bytes = xmalloc((w->nwords + 1) * sizeof(*bytes));
	uint64_t *hash = xmalloc((w->nwords + 1) * sizeof(*hash));
	struct shards_job job;

	for (i = 0; i < w->nwords; i++) {
		bytes[i] = rec[i].e->len + rec[i].body.len + rec[i].pos.len + 2;
		hash[i] = search_term_cut_hash(rec[i].e->s, rec[i].e->len);
	}
	made = search_shard_cuts(hash, bytes, w->nwords, (double)w->term_bytes / (double)nshards, most, from);
	free(bytes);
	free(hash);
	job.rec = rec;
	job.from = from;
	job.st = w->ix->st;
	job.pk = xcalloc(made ? made : 1, sizeof(*job.pk));
	for (k = 0; k < made; k++)
		buf_init(&job.pk[k].raw);
	pool_run(w->ix->nthreads, made, S_shard_job, &job);
	if (S_packs_cancelled(job.pk, made)) {
		w->failed = 1;
		free(job.pk);
		free(from);
		return;
	}
	if (w->ix->st && !S_digested(w->ix->st))
		S_keep_shards(w->ix->st, job.pk, made); /* their raw bytes move there */
	buf_puts(&w->manifest, ",\"shards\":[");
	for (k = 0; k < made; k++) {
		buf_puts(&w->manifest, k ? ",[" : "[");
		buf_putc(&w->manifest, '"');
		escape_json(&w->manifest, rec[from[k]].e->s, rec[from[k]].e->len);
		buf_puts(&w->manifest, "\",");
		if (!S_emit_packed_kept(w, "t", &job.pk[k])) {
			if (job.pk[k].kept) /* the output has not its file: made after all */
				S_shard_bytes(&job.pk[k].raw, rec, from[k], from[k + 1]);
			S_emit_packed(w, "t", &job.pk[k]);
		}
		if (w->ix->st && S_digested(w->ix->st))
			S_zsig_add(w->ix->st, job.pk[k].rawh, job.pk[k].h, job.pk[k].zn);
		buf_putc(&w->manifest, ']');
	}
	buf_putc(&w->manifest, ']');
	free(job.pk);
	free(from);
}

/* serve: the tag shard, its stream kept from the rebuild before when its bytes are the same. */
static void S_tag_shard_kept(struct writer *w)
{
	struct packed pk;

	memset(&pk, 0, sizeof(pk));
	buf_init(&pk.raw);
	S_shard_bytes(&pk.raw, w->rec, w->nwords, w->nwords + w->ntags);
	if (S_digested(w->ix->st)) { /* a build's state: as the term shards */
		S_zsig_raw(w->ix->st, 'g', &pk.raw, pk.rawh);
		if (S_zsig_find(w->ix->st, pk.rawh, &pk.h, &pk.zn))
			pk.kept = pk.hashed = 1;
		else
			S_deflate_raw(&pk);
		S_emit_packed(w, "g", &pk);
		S_zsig_add(w->ix->st, pk.rawh, pk.h, pk.zn);
		return;
	}
	if (!S_kept_tags(w->ix->st, &pk))
		S_deflate_raw(&pk);
	S_keep_tags(w->ix->st, &pk);
	S_emit_packed(w, "g", &pk);
}

/* The tag shard, and the tags' names (the first spelling, in site order). */
static void S_tag_shard(struct writer *w)
{
	size_t i;

	buf_puts(&w->manifest, ",\"tags\":");
	if (!w->ntags) {
		buf_puts(&w->manifest, "null");
		return;
	}
	buf_puts(&w->manifest, "{\"file\":");
	if (w->ix->st)
		S_tag_shard_kept(w);
	else
		S_shard(w, "g", w->rec, w->nwords, w->nwords + w->ntags);
	buf_puts(&w->manifest, ",\"names\":{");
	for (i = 0; i < w->ntags; i++) {
		if (i)
			buf_putc(&w->manifest, ',');
		S_json_str(&w->manifest, w->tags[i]->s);
		buf_putc(&w->manifest, ':');
		S_json_str(&w->manifest, w->tags[i]->tag_name);
	}
	buf_puts(&w->manifest, "}}");
}

/*
 * Metadata files and the slot file. The records, in page order, are cut
 * into files of about target bytes at record boundaries; they stay raw, so
 * that the browser reads the records of the results it shows by byte range
 * and nothing else. The slot file says where each record is: ndocs + 1
 * little-endian u32, page d's record being [slot d, slot d + 1) of the
 * metadata files' bytes counted as one run; the manifest gives each file
 * with the offset it starts at.
 */
static void S_meta_files(struct writer *w, size_t target)
{
	size_t d, from = 0, ndocs = w->ix->ndocs, total = w->meta.len, nfiles = 0;
	unsigned char *slots = xmalloc(4 * (ndocs + 1));
	int first = 1;

	if (total > UINT32_MAX) {
		diag_error(NULL, 0, 0, "search: %zu bytes of result metadata, more than 4 GiB", total);
		w->failed = 1;
	}
	for (d = 0; d <= ndocs; d++) {
		uint32_t at = (uint32_t)w->meta_off[d];
		slots[4 * d] = (unsigned char)at;
		slots[4 * d + 1] = (unsigned char)(at >> 8);
		slots[4 * d + 2] = (unsigned char)(at >> 16);
		slots[4 * d + 3] = (unsigned char)(at >> 24);
	}
	buf_puts(&w->manifest, ",\"meta\":{\"slots\":");
	S_emit(w, "s", slots, 4 * (ndocs + 1), 0);
	buf_puts(&w->manifest, ",\"files\":[");
	for (d = 0; d < ndocs; d++) {
		const char *p = w->meta.ptr + w->meta_off[from];
		size_t n = w->meta_off[d + 1] - w->meta_off[from];
		if (d + 1 < ndocs && w->meta_off[d + 1] - w->meta_off[from] < target)
			continue;
		buf_printf(&w->manifest, "%s[%zu,", first ? "" : ",", w->meta_off[from]);
		if (w->ix->st) { /* serve: its name kept when its pages' records are */
			int same;
			uint64_t h = S_meta_hash(w->ix, nfiles++, from, d + 1, p, n, &same);
			if (!same || !S_emit_out(w, "m", h, n))
				S_emit_hashed(w, "m", p, n, h);
		} else
			S_emit(w, "m", p, n, 0);
		buf_putc(&w->manifest, ']');
		first = 0;
		from = d + 1;
	}
	if (w->ix->st)
		S_sigs_made(w->ix->st, nfiles, SIZE_MAX);
	buf_puts(&w->manifest, "]}");
	free(slots);
}

/* Tail files, raw so that byte ranges can be read. */
static void S_tail_files(struct writer *w)
{
	struct buf tails = BUF_INIT;
	size_t i, k, n = w->nwords + w->ntags;
	/* the records with a tail by file, in order: recs[first[k] .. first[k + 1]) */
	size_t *first = xcalloc(w->ntails + 2, sizeof(*first)), *at = xcalloc(w->ntails + 1, sizeof(*at));
	size_t *recs = xmalloc((n ? n : 1) * sizeof(*recs));

	for (i = 0; i < n; i++)
		if (w->rec[i].tail.len && w->rec[i].tail_file < w->ntails)
			first[w->rec[i].tail_file + 1]++;
	for (k = 0; k < w->ntails; k++) {
		first[k + 1] += first[k];
		at[k] = first[k];
	}
	for (i = 0; i < n; i++)
		if (w->rec[i].tail.len && w->rec[i].tail_file < w->ntails)
			recs[at[w->rec[i].tail_file]++] = i;
	buf_puts(&w->manifest, ",\"tails\":[");
	for (k = 0; k < w->ntails; k++) {
		int same = 0;
		if (k)
			buf_putc(&w->manifest, ',');
		/* serve: its name kept when its terms' tails are, and then its file */
		if (w->ix->st && (same = S_tail_same(w, k, recs + first[k], first[k + 1] - first[k]))) {
			uint64_t size = 0;
			for (i = first[k]; i < first[k + 1]; i++)
				size += w->rec[recs[i]].tail.len;
			if (S_emit_kept(w, "x", *S_tail_name(w->ix->st, k)) ||
			    S_emit_out(w, "x", *S_tail_name(w->ix->st, k), size))
				continue;
		}
		buf_reset(&tails);
		for (i = first[k]; i < first[k + 1]; i++)
			buf_put(&tails, w->rec[recs[i]].tail.ptr, w->rec[recs[i]].tail.len);
		if (w->ix->st) {
			if (!same)
				*S_tail_name(w->ix->st, k) = S_hash64(tails.ptr, tails.len);
			S_emit_hashed(w, "x", tails.ptr, tails.len, *S_tail_name(w->ix->st, k));
		} else {
			S_emit(w, "x", tails.ptr, tails.len, 0);
		}
	}
	if (w->ix->st)
		S_sigs_made(w->ix->st, SIZE_MAX, w->ntails);
	buf_puts(&w->manifest, "]}\n");
	buf_release(&tails);
	free(first);
	free(at);
	free(recs);
}

int search_index_write(struct search_index *ix, struct output *out, struct search_stats *stats)
{
	struct writer w;
	size_t i, nshards, most, meta_target, nmeta;

	memset(&w, 0, sizeof(w));
	buf_init(&w.manifest);
	buf_init(&w.meta);
	memset(stats, 0, sizeof(*stats));
	w.ix = ix;
	w.out = out;
	w.stats = stats;
	stats->docs = ix->ndocs;
	stats->postings = ix->npostings;

	S_sort_terms(&w);
	stats->terms = w.nwords + w.ntags;
	S_layout(&w);
	if (pool_cancelled()) { /* the records are incomplete (S_records) */
		w.failed = 1;
		goto done;
	}
	if (S_metadata(&w) < 0) {
		w.failed = 1;
		goto done;
	}
	meta_target = S_meta_target(ix->ndocs, w.meta.len);
	nmeta = w.meta.len / meta_target + 1; /* files are cut once they reach the target */
	nshards = S_plan(ix->ndocs, w.term_bytes, w.ntails + nmeta + 1, &most);

	S_manifest_head(&w);
	S_term_shards(&w, nshards, most);
	S_tag_shard(&w);
	S_meta_files(&w, meta_target);
	S_tail_files(&w);
	if (output_write(out, "search/index.json", w.manifest.ptr, w.manifest.len))
		w.failed = 1;
	stats->files++;
	stats->bytes += w.manifest.len;

done:
	for (i = 0; i < w.nwords + w.ntags; i++) {
		if (!w.rec[i].borrowed) {
			buf_release(&w.rec[i].body);
			buf_release(&w.rec[i].tail);
		}
		buf_release(&w.rec[i].pos);
	}
	free(w.rec);
	if (ix->st && !w.failed && w.meta_off) { /* serve: the records for the next rebuild */
		S_keep_meta(ix->st, &w.meta, w.meta_off, ix->ndocs);
		w.meta_off = NULL;
	}
	free(w.meta_off);
	free(w.words);
	free(w.tags);
	buf_release(&w.meta);
	buf_release(&w.manifest);
	return w.failed ? -1 : 0;
}

void search_index_free(struct search_index *ix)
{
	size_t i;
	if (!ix)
		return;
	for (i = 0; i < ix->t.nterms; i++) {
		free(ix->t.terms[i].p);
		free(ix->t.terms[i].z);
		free(ix->t.terms[i].qs);
		free(ix->t.terms[i].frag);
		free(ix->t.terms[i].fragp);
		free(ix->t.terms[i].fragq);
		free(ix->t.terms[i].skipdoc);
		free(ix->t.terms[i].skipoff);
		buf_release(&ix->t.terms[i].cpre);
		buf_release(&ix->t.terms[i].ctail);
	}
	free(ix->t.terms);
	free(ix->t.slots);
	arena_release(&ix->t.arena);
	for (i = 0; ix->parts && i < NPARTS; i++)
		arena_release(&ix->parts[i].arena);
	free(ix->parts);
	free(ix->flen);
	free(ix->docs);
	arena_release(&ix->arena);
	free(ix);
}

/* --- serve: the index kept between rebuilds -------------------------------- */

/*
 * jixia serve rebuilds the site after each edit; the index of the rebuild
 * before is kept here and brought up to date from the pages that changed,
 * so that an edit of one page costs about that page, not the site. A page
 * is known by its path and by a digest of everything the index reads of
 * it (its terms' digest from the parse worker, pagetok.h; title, tags,
 * fields, summary, URL, date, language, type). While the pages are the
 * same ones in the same order (page numbers unchanged), a changed page's
 * postings are taken out of the terms it had and put into the terms it
 * has; anything else (a page added, removed or moved in the order, the
 * site's languages or types changed, many pages changed) builds the
 * index again as a plain build does, and keeps that.
 *
 * Ranking reads two numbers of the whole site: each term's idf (pages
 * with the term, and all pages) and each field's average length. idf is
 * computed again for every term. An average that moves changes every
 * posting's weighted frequency a little, and its step only if the value
 * lay near a rounding edge: a step's value before rounding is
 * QLEVELS * (1 + ln w / ln QRANGE), and when each average changes by at
 * most a factor e^delta, each field's normalised count does too, its
 * saturated score and so w by no more, so that value moves by at most
 * QLEVELS / ln QRANGE * delta. Each term lists the postings that lay within
 * FRAG_EDGE of an edge when last computed; those are computed again on
 * every rebuild, the others cannot have moved while that bound stays under
 * FRAG_EDGE / 2 of the averages the lists were made at (then every posting
 * with that field is computed again, and listed afresh: S_restep_fields).
 * The steps are computed by the very function a cold build uses (S_step),
 * so they are its bits.
 *
 * Writing: a term whose postings, steps and idf did not change keeps its
 * record (head and compressed tail) from the rebuild before; a shard whose
 * bytes are those of a shard before keeps its compressed stream; a page
 * whose digest did not change keeps its metadata record. The files are
 * otherwise laid out and named exactly as a cold build does. A jixia
 * build's state on disk keeps no shard's bytes: a shard whose terms, each
 * with the record the last write made, and tails' places are the last
 * write's (S_shard_key), and a tail or metadata file of the same terms'
 * tails or pages' records, is that write's file, kept from the output
 * (S_emit_out, output_keep: a link, no bytes made, compressed or
 * compared); the words keep their order (S_sort_kept).
 */
#define UPDATE_MAX_PAGES 64 /* changed pages past which the index is built again */

struct kept_shard {
	struct buf raw; /* its bytes before compression */
	unsigned char *z;
	size_t zn;
	uint64_t h; /* S_hash64 of z: its name */
};

/* A tail file: the terms whose tails it holds, in order. */
struct tail_sig {
	uint32_t *terms; /* indices into the index's terms */
	size_t n, cap;
	uint64_t h;
};

/* A metadata file: the pages whose records it holds. */
struct meta_sig {
	size_t from, to;
	uint64_t h;
};

/* A shard of the last write (a build's state): its key, its file's name and size. */
struct zsig {
	uint64_t raw[2];
	uint64_t h, size;
};

struct search_state {
	struct search_index *ix; /* the last rebuild's, borrowing no site between rebuilds */
	char **paths;            /* per page number, the page's path */
	struct buf *what;        /* per page number, S_page_what: all the index read of it */
	uint64_t conf[2];        /* S_conf_digest of the site */
	uint64_t key[2];         /* the digests' key (struct incr's) */
	double avg_ref[NFIELDS]; /* the averages the terms' frag lists were made at */
	struct buf meta;         /* the last write's metadata records, in page order */
	size_t *meta_off;        /* page d's: meta_off[d] .. meta_off[d + 1] */
	size_t meta_docs;
	/* a state read from disk: page d's record at meta_at[d] in bytes (its length meta_off's),
	   a view, not in meta (5 MB at 10,000 pages at a rebuild's peak), until the write's
	   replace them (S_keep_meta) */
	const unsigned char **meta_at;
	struct kept_shard *shards; /* the last write's term shards */
	size_t nshards;
	struct kept_shard tags;   /* and its tag shard */
	struct tail_sig *tailsig; /* and its tail files */
	size_t ntailsig, tailcap;
	struct meta_sig *metasig; /* and its metadata files */
	size_t nmetasig, metacap;
	unsigned char *live; /* per term of the index: written by the last write */
	size_t nlive;        /* the terms then (0: no order kept) */
	uint32_t *order;     /* the words sorted, then the tags sorted: indices of terms */
	size_t nwords, ntags;
	/* What lets a rebuild skip S_page_what for a page (S_what_job): per page
	   number, its file's read (source.h's serial) and S_page_light of it,
	   both when its what was made; and S_files_digest of the other files
	   then (all zero: none, every what is made again). */
	uint64_t *serial;
	struct buf *light;
	uint64_t files[2];
	struct memsite *mem; /* the site the last write went into (a reference): its files by name */
	/* A jixia build's state, kept on disk (search_state_encode): each what
	   is its digest under key (16 bytes), not its bytes, and a page's search
	   terms are known by its parse cache digest (pagetok.h) */
	int digested;
	/* and its blocks of terms as read (the state's parts, diskcache.h):
	   block b holds tblock_n[b] words, read from part tblock_part[b]; the
	   blocks hold the first tblock_words words of the index in its order.
	   None (ntblocks 0): the terms were made or numbered again since. */
	size_t *tblock_n, *tblock_part;
	size_t ntblocks, tblock_words;
	size_t pblock_parts; /* the blocks of pages read (parts 1 .. pblock_parts) */
	struct buf bytes;    /* the state's bytes read: its terms not taken apart point into them */
	/* The forward index (search_state_encode): per block of fwd_per pages,
	   the part of the file read holding its pages' words (nfwd_part of
	   them; NULL: none, every block made at the save), and whether it was
	   fetched (its pages' words in fwd); per page number, its words as
	   term numbers, ascending, when known (NULL: not in memory), and how
	   many. A state's words are its first fwd_words terms. */
	size_t *fwd_part;
	unsigned char *fwd_fetched;
	size_t nfwd_part, fwd_per, fwd_words;
	uint32_t **fwd;
	size_t *nfwd;
	struct diskcache_parts *parts; /* the file read, for those parts (borrowed: decode's) */
	size_t checked;                /* the terms whose postings S_load_terms read */
	/* The last write's term shards and tag shard (a build's state): each
	   one's raw bytes' digest (S_zsig_raw), its file's name and size,
	   sorted by digest; a shard of the same bytes is that file, kept from
	   the output (S_emit_out). next: this write's, in its order. */
	struct zsig *zsig, *znext;
	size_t nzsig, nznext, capznext;
	/* The last write's words in their order (a build's state): indices of terms,
	   ascending by name; a write sorts only the words that are not there */
	uint32_t *worder;
	size_t nworder;
};

static int S_digested(const struct search_state *st)
{
	return st && st->digested;
}

/* A shard's raw bytes' digest under the state's key, its kind (prefix) first. */
static void S_zsig_raw(const struct search_state *st, char prefix, const struct buf *raw, uint64_t out[2])
{
	struct incr_digest dg;

	incr_digest_init(&dg, st->key);
	incr_digest_item(&dg, &prefix, 1);
	incr_digest_item(&dg, raw->ptr, raw->len);
	incr_digest_final(&dg, out);
}

static int S_zsig_cmp(const void *a, const void *b)
{
	const struct zsig *x = a, *y = b;
	if (x->raw[0] != y->raw[0])
		return x->raw[0] < y->raw[0] ? -1 : 1;
	return x->raw[1] < y->raw[1] ? -1 : x->raw[1] > y->raw[1];
}

/* The last write's file of the shard whose raw bytes' digest is raw: 1 with its name and size, else 0. */
static int S_zsig_find(const struct search_state *st, const uint64_t raw[2], uint64_t *h, uint64_t *size)
{
	struct zsig key;
	const struct zsig *z;

	key.raw[0] = raw[0];
	key.raw[1] = raw[1];
	if (!st->nzsig || !(z = bsearch(&key, st->zsig, st->nzsig, sizeof(*z), S_zsig_cmp)))
		return 0;
	*h = z->h;
	*size = z->size;
	return 1;
}

static void S_zsig_add(struct search_state *st, const uint64_t raw[2], uint64_t h, uint64_t size)
{
	struct zsig *z;

	ARRAY_GROW(st->znext, st->nznext, st->capznext, 64);
	z = &st->znext[st->nznext++];
	z->raw[0] = raw[0];
	z->raw[1] = raw[1];
	z->h = h;
	z->size = size;
}

/*
 * A build's state: term shard [from, to)'s key in the table of the last
 * write's shards (struct zsig), its terms' names and their tails'
 * positions: 1 when each record is the one the last write made for its
 * term (reused: the state keeps each term's record as the last write
 * made it), so that the same key is the same bytes, else 0. No bytes of
 * the shard are made for it.
 */
static int S_shard_key(const struct search_state *st, const struct record *rec, size_t from, size_t to,
		       uint64_t out[2])
{
	struct incr_digest dg;
	struct buf b = BUF_INIT;
	size_t i;
	int reused = 1;

	/* laid out first, each name and position after its length, and digested as one
	   item: two items a term cost twice the digest's work (their lengths, their padding) */
	for (i = from; i < to; i++) {
		S_varint(&b, rec[i].e->len);
		buf_put(&b, rec[i].e->s, rec[i].e->len);
		S_varint(&b, rec[i].pos.len);
		buf_put(&b, rec[i].pos.ptr, rec[i].pos.len);
		reused &= rec[i].reused;
	}
	incr_digest_init(&dg, st->key);
	incr_digest_str(&dg, "term shard");
	incr_digest_num(&dg, (long long)(to - from));
	incr_digest_item(&dg, b.ptr, b.len);
	incr_digest_final(&dg, out);
	buf_release(&b);
	return reused;
}

/*
 * A build's state: the words in order, those of the last write's order
 * (st->worder) that are still words of a page as they were, the others
 * (new, or back) sorted and merged in; the tags sorted. The order is
 * kept for the next write.
 */
static void S_sort_kept(struct writer *w)
{
	struct search_index *ix = w->ix;
	struct search_state *st = ix->st;
	unsigned char *in = xcalloc(ix->t.nterms ? ix->t.nterms : 1, 1);
	struct sterm **extra = xmalloc((ix->t.nterms + 1) * sizeof(*extra));
	size_t i, k, a = 0, b = 0, nextra = 0, nkept = 0;

	/* the kept ones in the tags' room for now (decode checked each a word, once) */
	for (k = 0; k < st->nworder; k++) {
		struct sterm *e = &ix->t.terms[st->worder[k]];
		in[st->worder[k]] = 1;
		if (!e->tag && e->n)
			w->tags[nkept++] = e;
	}
	for (i = 0; i < ix->t.nterms; i++)
		if (!ix->t.terms[i].tag && ix->t.terms[i].n && !in[i])
			extra[nextra++] = &ix->t.terms[i];
	qsort(extra, nextra, sizeof(*extra), S_sterm_ptr_cmp);
	while (a < nkept || b < nextra) {
		if (b == nextra || (a < nkept && S_sterm_ptr_cmp(&w->tags[a], &extra[b]) < 0))
			w->words[w->nwords++] = w->tags[a++];
		else
			w->words[w->nwords++] = extra[b++];
	}
	for (i = 0; i < ix->t.nterms; i++)
		if (ix->t.terms[i].tag && !ix->t.terms[i].gone)
			w->tags[w->ntags++] = &ix->t.terms[i];
	qsort(w->tags, w->ntags, sizeof(*w->tags), S_sterm_ptr_cmp);
	free(st->worder);
	st->worder = xmalloc((w->nwords + 1) * sizeof(*st->worder));
	for (i = 0; i < w->nwords; i++)
		st->worder[i] = (uint32_t)(w->words[i] - ix->t.terms);
	st->nworder = w->nwords;
	free(extra);
	free(in);
}

/* This write's shards for the next (keep), or forgotten (a write that failed). */
static void S_zsig_done(struct search_state *st, int keep)
{
	if (keep) {
		free(st->zsig);
		st->zsig = st->znext;
		st->nzsig = st->nznext;
		qsort(st->zsig, st->nzsig, sizeof(*st->zsig), S_zsig_cmp);
	} else {
		free(st->znext);
	}
	st->znext = NULL;
	st->nznext = st->capznext = 0;
}

/* Page d's (a number of the rebuild before) metadata record in st, len bytes; NULL: st keeps none. */
static const char *S_kept_meta(const struct search_state *st, size_t d, size_t *len)
{
	if (!st || !st->meta_off || d >= st->meta_docs)
		return NULL;
	*len = st->meta_off[d + 1] - st->meta_off[d];
	return st->meta_at ? (const char *)st->meta_at[d] : st->meta.ptr + st->meta_off[d];
}

/* This write's metadata records (moved there) for the next rebuild. */
static void S_keep_meta(struct search_state *st, struct buf *meta, size_t *off, size_t ndocs)
{
	buf_release(&st->meta);
	st->meta = *meta;
	buf_init(meta);
	free(st->meta_off);
	st->meta_off = off;
	st->meta_docs = ndocs;
	free(st->meta_at);
	st->meta_at = NULL;
}

/* pk's stream and name from o when its raw bytes are o's. */
static int S_kept_match(const struct kept_shard *o, struct packed *pk)
{
	if (o->raw.len != pk->raw.len || memcmp(o->raw.ptr, pk->raw.ptr, o->raw.len) != 0)
		return 0;
	pk->z = xmalloc(o->zn ? o->zn : 1);
	memcpy(pk->z, o->z, o->zn);
	pk->zn = o->zn;
	pk->h = o->h;
	pk->hashed = 1;
	return 1;
}

static int S_kept_shard(const struct search_state *st, struct packed *pk)
{
	size_t k;
	for (k = 0; k < st->nshards; k++)
		if (S_kept_match(&st->shards[k], pk))
			return 1;
	return 0;
}

/* o made pk's (its raw bytes move, its stream is copied, named). */
static void S_kept_set(struct kept_shard *o, struct packed *pk)
{
	if (!pk->hashed) {
		pk->h = S_hash64(pk->z, pk->zn);
		pk->hashed = 1;
	}
	buf_release(&o->raw);
	free(o->z);
	o->raw = pk->raw;
	buf_init(&pk->raw);
	o->z = xmalloc(pk->zn ? pk->zn : 1);
	memcpy(o->z, pk->z, pk->zn);
	o->zn = pk->zn;
	o->h = pk->h;
}

static int S_kept_tags(const struct search_state *st, struct packed *pk)
{
	return S_kept_match(&st->tags, pk);
}

static void S_keep_tags(struct search_state *st, struct packed *pk)
{
	S_kept_set(&st->tags, pk);
}

/*
 * Tail file k's name: the one before when it holds the same terms' tails,
 * none of them made again; the file's terms kept for the next rebuild.
 */
/*
 * Tail file k, holding the tails of records recs (nrecs, in order): 1
 * when its terms are the rebuild before's and their tails too (then
 * tailsig[k].h, its name, holds), else 0 (the caller hashes it into h).
 */
static int S_tail_same(struct writer *w, size_t k, const size_t *recs, size_t nrecs)
{
	struct search_state *st = w->ix->st;
	struct tail_sig *sig;
	size_t i, n = 0;
	int same = 1;

	if (k >= st->tailcap) {
		size_t cap = st->tailcap;
		ARRAY_GROW(st->tailsig, k, st->tailcap, 8);
		memset(st->tailsig + cap, 0, (st->tailcap - cap) * sizeof(*st->tailsig));
	}
	sig = &st->tailsig[k];
	same = k < st->ntailsig;
	for (i = 0; i < nrecs; i++) {
		const struct record *r = &w->rec[recs[i]];
		uint32_t t = (uint32_t)(r->e - w->ix->t.terms);
		if (!r->reused || n >= sig->n || sig->terms[n] != t)
			same = 0;
		ARRAY_GROW(sig->terms, n, sig->cap, 64);
		sig->terms[n++] = t;
	}
	if (n != sig->n)
		same = 0;
	sig->n = n;
	return same;
}

/* Tail file k's name (S_tail_same made its entry). */
static uint64_t *S_tail_name(struct search_state *st, size_t k)
{
	return &st->tailsig[k].h;
}

static const struct memsite *S_kept_site(const struct search_state *st)
{
	return st->mem;
}

/* Whether term e is written (a word on some page, a tag still a filter). */
static int S_live(const struct sterm *e)
{
	return e->tag ? !e->gone : e->n > 0;
}

/* w's terms in the order of the write before, when they are the same terms: 1, else 0. */
static int S_kept_order(struct writer *w)
{
	const struct search_state *st = w->ix->st;
	const struct termtab *t = &w->ix->t;
	size_t i;

	if (!st->nlive || st->nlive != t->nterms)
		return 0;
	for (i = 0; i < t->nterms; i++)
		if (S_live(&t->terms[i]) != st->live[i])
			return 0;
	for (i = 0; i < st->nwords; i++)
		w->words[i] = &t->terms[st->order[i]];
	for (i = 0; i < st->ntags; i++)
		w->tags[i] = &t->terms[st->order[st->nwords + i]];
	w->nwords = st->nwords;
	w->ntags = st->ntags;
	return 1;
}

/* w's terms and their order kept for the next write. */
static void S_keep_order(struct writer *w)
{
	struct search_state *st = w->ix->st;
	const struct termtab *t = &w->ix->t;
	size_t i;

	free(st->live);
	free(st->order);
	st->live = xmalloc(t->nterms ? t->nterms : 1);
	st->order = xmalloc((w->nwords + w->ntags + 1) * sizeof(*st->order));
	for (i = 0; i < t->nterms; i++)
		st->live[i] = (unsigned char)S_live(&t->terms[i]);
	for (i = 0; i < w->nwords; i++)
		st->order[i] = (uint32_t)(w->words[i] - t->terms);
	for (i = 0; i < w->ntags; i++)
		st->order[w->nwords + i] = (uint32_t)(w->tags[i] - t->terms);
	st->nwords = w->nwords;
	st->ntags = w->ntags;
	st->nlive = t->nterms;
}

/* How many metadata and tail files this write made (SIZE_MAX: not told here). */
static void S_sigs_made(struct search_state *st, size_t nmeta, size_t ntails)
{
	if (nmeta != SIZE_MAX)
		st->nmetasig = nmeta;
	if (ntails != SIZE_MAX)
		st->ntailsig = ntails;
}

/* Metadata file k's name: the one before when it holds the same pages, none changed. */
static uint64_t S_meta_hash(struct search_index *ix, size_t k, size_t from, size_t to, const void *p,
			    size_t n, int *same_out)
{
	struct search_state *st = ix->st;
	struct meta_sig *sig;
	size_t d;
	int same = ix->fresh && k < st->nmetasig && st->metasig[k].from == from && st->metasig[k].to == to;

	for (d = from; same && d < to; d++)
		if (ix->fresh[d] || ix->oldd[d] != d)
			same = 0;
	if (k >= st->metacap) {
		size_t cap = st->metacap;
		ARRAY_GROW(st->metasig, k, st->metacap, 8);
		memset(st->metasig + cap, 0, (st->metacap - cap) * sizeof(*st->metasig));
	}
	sig = &st->metasig[k];
	if (!same) {
		sig->from = from;
		sig->to = to;
		sig->h = S_hash64(p, n);
	}
	*same_out = same;
	return sig->h;
}

static void S_shards_free(struct search_state *st)
{
	size_t k;
	for (k = 0; k < st->nshards; k++) {
		buf_release(&st->shards[k].raw);
		free(st->shards[k].z);
	}
	free(st->shards);
	st->shards = NULL;
	st->nshards = 0;
}

/* The names of the files the last write made, forgotten (the index is built again). */
static void S_sigs_free(struct search_state *st)
{
	size_t k;
	for (k = 0; k < st->tailcap; k++)
		free(st->tailsig[k].terms);
	free(st->tailsig);
	st->tailsig = NULL;
	st->ntailsig = st->tailcap = 0;
	free(st->metasig);
	st->metasig = NULL;
	st->nmetasig = st->metacap = 0;
	buf_release(&st->tags.raw);
	free(st->tags.z);
	memset(&st->tags, 0, sizeof(st->tags));
	buf_init(&st->tags.raw);
	free(st->live);
	free(st->order);
	st->live = NULL;
	st->order = NULL;
	st->nlive = st->nwords = st->ntags = 0;
}

/* This write's shards, raw and compressed, for the next rebuild; the raw bytes move. */
static void S_keep_shards(struct search_state *st, struct packed *pk, size_t n)
{
	size_t k;
	S_shards_free(st);
	st->shards = xcalloc(n ? n : 1, sizeof(*st->shards));
	for (k = 0; k < n; k++) {
		buf_init(&st->shards[k].raw);
		S_kept_set(&st->shards[k], &pk[k]);
	}
	st->nshards = n;
}

/* The forward index forgotten (pages renumbered, or made again): the save makes it from the postings. */
static void S_fwd_forget(struct search_state *st, size_t ndocs)
{
	size_t d;
	for (d = 0; st->fwd && d < ndocs; d++)
		free(st->fwd[d]);
	free(st->fwd);
	free(st->nfwd);
	free(st->fwd_part);
	free(st->fwd_fetched);
	st->fwd = NULL;
	st->nfwd = NULL;
	st->fwd_part = NULL;
	st->fwd_fetched = NULL;
	st->nfwd_part = 0;
}

/* The blocks of terms read forgotten: every block of the next save is written afresh. */
static void S_blocks_forget(struct search_state *st)
{
	free(st->tblock_n);
	free(st->tblock_part);
	st->tblock_n = st->tblock_part = NULL;
	st->ntblocks = st->tblock_words = 0;
}

static void S_state_forget(struct search_state *st)
{
	size_t d;
	S_blocks_forget(st);
	S_zsig_done(st, 0);
	free(st->zsig);
	st->zsig = NULL;
	st->nzsig = 0;
	free(st->worder);
	st->worder = NULL;
	st->nworder = 0;
	if (!st->ix)
		return;
	S_fwd_forget(st, st->ix->ndocs);
	for (d = 0; d < st->ix->ndocs; d++) {
		free(st->paths[d]);
		buf_release(&st->what[d]);
		buf_release(&st->light[d]);
	}
	free(st->paths);
	free(st->what);
	free(st->light);
	free(st->serial);
	st->paths = NULL;
	st->what = NULL;
	st->light = NULL;
	st->serial = NULL;
	memset(st->files, 0, sizeof(st->files));
	search_index_free(st->ix);
	st->ix = NULL;
	buf_release(&st->meta);
	free(st->meta_off);
	free(st->meta_at);
	st->meta_off = NULL;
	st->meta_at = NULL;
	st->meta_docs = 0;
	S_shards_free(st);
	S_sigs_free(st);
	memsite_free(st->mem);
	st->mem = NULL;
	buf_release(&st->bytes); /* after the index, whose terms read them */
}

static void S_state_free(struct search_state *st)
{
	if (!st)
		return;
	S_state_forget(st);
	free(st);
}

/* What the index reads of the site as a whole: its languages, types and their order. */
static void S_conf_digest(const struct search_state *st, const struct site *site, uint64_t out[2])
{
	struct incr_digest dg;
	size_t i;

	incr_digest_init(&dg, st->key);
	for (i = 0; i < site->cfg->nlangs; i++)
		incr_digest_str(&dg, site->cfg->langs[i].tag);
	incr_digest_str(&dg, NULL);
	for (i = 0; i < site->types.n; i++) {
		incr_digest_str(&dg, site->types.v[i].name);
		incr_digest_num(&dg, site->types.v[i].rank);
	}
	incr_digest_final(&dg, out);
}

/* A string into a digest's bytes: its length first (SIZE_MAX for none), so no two lists give the same bytes. */
static void S_dput(struct buf *b, const char *s, size_t n)
{
	uint64_t len = s ? n : UINT64_MAX;
	buf_put(b, &len, sizeof(len));
	if (s)
		buf_put(b, s, n);
}

static void S_dstr(struct buf *b, const char *s)
{
	S_dput(b, s, s ? strlen(s) : 0);
}

static void S_dnum(struct buf *b, long long v)
{
	buf_put(b, &v, sizeof(v));
}

/*
 * Everything the index reads of one page (S_tokenize_page, S_meta,
 * S_dockey_cmp, S_runs) laid out in b, to be compared with the rebuild
 * before's: about a kilobyte a page, cheaper to keep and compare than to
 * digest.
 */
/* disk: a build's state (struct search_state's digested), where the terms' own layout, their
   numbers in this process's table (pagetok.h), is not compared: their digest is their file's */
static void S_page_what(const struct site *site, const struct page *pg, struct buf *b, int disk)
{
	const struct ynode *sum = ynode_get(pg->front, "summary");
	size_t k;

	buf_reset(b);
	S_dstr(b, pg->path);
	S_dnum(b, (long long)S_lang_index(pg, site->cfg));
	S_dstr(b, pg->type ? pg->type->name : NULL);
	S_dnum(b, S_type_rank(pg));
	S_dnum(b, pg->date);
	S_dstr(b, pg->title);
	S_dstr(b, pg->href);
	S_dstr(b, pg->summary);
	S_dnum(b, (long long)pg->nterms);
	for (k = 0; k < pg->nterms; k++) {
		S_dstr(b, pg->terms[k]->taxonomy);
		S_dstr(b, pg->terms[k]->slug);
		S_dstr(b, pg->terms[k]->name);
	}
	S_dnum(b, (long long)pg->tokens.digest);
	S_dnum(b, pg->tokens.len[PAGETOK_HEADINGS]);
	S_dnum(b, pg->tokens.len[PAGETOK_BODY]);
	S_dnum(b, pg->tokens.n);
	S_dnum(b, disk ? 0 : pg->tokens.size);
	if (sum && sum->kind == YNODE_SCALAR)
		S_dput(b, sum->str, sum->len);
	else
		S_dstr(b, NULL);
	for (k = 0; pg->type && k < pg->type->nfields; k++) {
		const struct field *f = &pg->type->fields[k];
		const struct ynode *v = pg->vals[k].node;
		S_dstr(b, f->name);
		S_dnum(b, f->kind);
		S_dnum(b, f->or_text);
		S_dnum(b, (long long)pg->vals[k].nrefs);
		if (v && v->kind == YNODE_SCALAR)
			S_dput(b, v->str, v->len);
		else
			S_dnum(b, v ? -1 - (long long)v->kind : -100);
	}
	S_dstr(b, pg->type ? pg->type->title_field : NULL);
}

/* A term's taxonomy, slug and name digested (S_term_digests). */
struct term_digest {
	uint64_t h[2];
};

/*
 * What the index reads of a page that its own file does not decide, given
 * the site's other files (S_files_digest): its date (the history, the
 * clock for an uncommitted page), title and address, its terms' names (a
 * term is named by its first spelling in the site) and how many pages
 * each field names. The rest of S_page_what (its path, summary, search
 * terms, fields' values, language and type) comes from its file's bytes
 * and those other files alone: a page whose file is the same read, the
 * other files the same, and these the same, reads the same as before.
 */
static void S_page_light(const struct site *site, const struct page *pg, struct buf *b,
			 const struct term_digest *tdig)
{
	size_t k;

	buf_reset(b);
	S_dnum(b, (long long)S_lang_index(pg, site->cfg));
	S_dnum(b, S_type_rank(pg));
	S_dnum(b, pg->date);
	S_dstr(b, pg->title);
	S_dstr(b, pg->href);
	S_dnum(b, (long long)pg->nterms);
	for (k = 0; k < pg->nterms; k++) {
		const struct term *t = pg->terms[k];
		uintptr_t at = (uintptr_t)t, first = (uintptr_t)site->terms;
		if (tdig && at >= first && at < first + site->nterms * sizeof(*t)) {
			S_dnum(b, -2); /* no string's length (S_dput): a digest follows */
			buf_put(b, tdig[(at - first) / sizeof(*t)].h, sizeof(tdig->h));
			continue;
		}
		S_dstr(b, t->taxonomy);
		S_dstr(b, t->slug);
		S_dstr(b, t->name);
	}
	for (k = 0; pg->type && k < pg->type->nfields; k++)
		S_dnum(b, (long long)pg->vals[k].nrefs);
}

/*
 * Each of the site's terms' taxonomy, slug and name digested under key,
 * once: a page's light bytes (S_page_light) hold its terms' digests, not
 * three strings each, 10,000 pages carrying the same thousand terms.
 */
static struct term_digest *S_term_digests(const struct site *site, const uint64_t *key)
{
	struct term_digest *tdig = xmalloc((site->nterms ? site->nterms : 1) * sizeof(*tdig));
	size_t i;

	for (i = 0; i < site->nterms; i++) {
		struct incr_digest dg;
		incr_digest_init(&dg, key);
		incr_digest_str(&dg, site->terms[i].taxonomy);
		incr_digest_str(&dg, site->terms[i].slug);
		incr_digest_str(&dg, site->terms[i].name);
		incr_digest_final(&dg, tdig[i].h);
	}
	return tdig;
}

/*
 * The site's files but content/'s, each by path and read (source.h's
 * serial): site.yaml, the theme, the i18n strings, what parsing and the
 * model read besides a page's own file. All zero when a file has no
 * serial (not serve's source cache): then no what is skipped.
 */
static void S_files_digest(const struct search_state *st, const struct site *site, uint64_t out[2])
{
	struct incr_digest dg;
	size_t i;

	memset(out, 0, 2 * sizeof(*out));
	if (!site->src)
		return;
	incr_digest_init(&dg, st->key);
	for (i = 0; i < site->src->n; i++) {
		const struct source_file *f = &site->src->files[i];
		if (strncmp(f->path, "content/", 8) == 0)
			continue;
		if (!f->serial)
			return;
		incr_digest_str(&dg, f->path);
		incr_digest_num(&dg, (long long)f->serial);
	}
	incr_digest_final(&dg, out);
	if (!out[0] && !out[1])
		out[0] = 1;
}

/*
 * Per page number: what the index reads of the page, compared with the
 * kept one (old, or NULL: none kept); a page that differs gets its new
 * bytes in out[d] and changed[d] = 1. With the reads of the pages' files
 * and their light bytes before (oserial, olight: fast), a page whose file
 * is the same read and whose light bytes are the same is not read whole
 * (S_page_light); a page's light bytes that differ from before (or have
 * none) go to lout[d].
 */
struct what_job {
	const struct site *site;
	const struct page **docs;
	const struct buf *old; /* per page number before, or NULL */
	const uint32_t *oldd;  /* per page number, its number before (UINT32_MAX: none) */
	struct buf *out;       /* per page number */
	unsigned char *changed;
	struct buf *bufs; /* per worker */
	int fast;
	const uint64_t *oserial;  /* per page number before */
	const struct buf *olight; /* per page number before */
	struct buf *lout;         /* per page number */
	struct buf *lbufs;        /* per worker */
	atomic_size_t compared;   /* the pages read whole (S_page_what) */
	const uint64_t *key;      /* a build's state (digested): each what as its digest under key */
	struct term_digest *tdig; /* the site's terms' (S_term_digests) */
};

/* A what (S_page_what's bytes) made its digest under key: what a build's state keeps of it on disk. */
static void S_what_digest(struct buf *b, const uint64_t *key)
{
	struct incr_digest dg;
	uint64_t h[2];

	incr_digest_init(&dg, key);
	incr_digest_item(&dg, b->ptr, b->len);
	incr_digest_final(&dg, h);
	buf_reset(b);
	buf_put(b, h, sizeof(h));
}

/*
 * A build's state: a page's what known by its light bytes and its parse
 * cache digest (pagetok.h's digest: of the parse context, which holds
 * site.yaml, the base URL and the theme's strings, of its path and of its
 * file's bytes). The rest of S_page_what (path, language, type, summary,
 * search terms, fields) is the parse's result of those and site.yaml's
 * types, as the parse cache trusts, so the same light bytes and parse
 * digest are the same what, at a tenth of its cost: no summary, field
 * value or term list read. Tagged, so that it is never a whole what's
 * digest (a page with no parse digest).
 */
static void S_what_vouch(struct buf *b, const uint64_t *key, uint64_t parsed)
{
	struct incr_digest dg;
	uint64_t h[2];

	incr_digest_init(&dg, key);
	incr_digest_str(&dg, "vouched");
	incr_digest_word(&dg, parsed);
	incr_digest_item(&dg, b->ptr, b->len);
	incr_digest_final(&dg, h);
	buf_reset(b);
	buf_put(b, h, sizeof(h));
}

static void S_what_job(size_t d, int worker, void *payload)
{
	struct what_job *job = payload;
	struct buf *b = &job->bufs[worker], *l = &job->lbufs[worker];
	uint32_t od = job->old ? job->oldd[d] : UINT32_MAX;
	const struct buf *o = od != UINT32_MAX ? &job->old[od] : NULL;

	if (job->key && job->docs[d]->tokens.digest) {
		S_page_light(job->site, job->docs[d], b, job->tdig);
		S_what_vouch(b, job->key, job->docs[d]->tokens.digest);
		if (o && o->len == b->len && memcmp(o->ptr, b->ptr, b->len) == 0)
			return;
		buf_put(&job->out[d], b->ptr, b->len);
		job->changed[d] = 1;
		return;
	}

	/* (a build's state: no file has a serial, so no what is skipped, and the light bytes are not kept) */
	if (!job->key) {
		S_page_light(job->site, job->docs[d], l, job->tdig);
		if (!o || job->olight[od].len != l->len || memcmp(job->olight[od].ptr, l->ptr, l->len) != 0)
			buf_put(&job->lout[d], l->ptr, l->len);
		else if (job->fast && job->oserial[od] == job->docs[d]->src->serial &&
			 job->docs[d]->src->serial)
			return; /* the same file, the same of the rest: the same what */
	}
	atomic_fetch_add(&job->compared, 1);
	S_page_what(job->site, job->docs[d], b, job->key != NULL);
	if (job->key)
		S_what_digest(b, job->key);
	if (o && o->len == b->len && memcmp(o->ptr, b->ptr, b->len) == 0)
		return;
	buf_put(&job->out[d], b->ptr, b->len);
	job->changed[d] = 1;
}

/* S_what_job over docs (ndocs) on the pool; st's serials and light bytes
   read (old given and st->files the site's: fast), lout filled. */
static size_t S_whats(int nthreads, const struct site *site, const struct page **docs, size_t ndocs,
		      const struct buf *old, const uint32_t *oldd, struct buf *out, unsigned char *changed,
		      const struct search_state *st, int fast, struct buf *lout)
{
	size_t i, nworkers = nthreads > 1 ? (size_t)nthreads : 1;
	struct what_job job = {
		site,
		docs,
		old,
		oldd,
		out,
		changed,
		xcalloc(nworkers, sizeof(struct buf)),
		fast,
		st->serial,
		st->light,
		lout,
		xcalloc(nworkers, sizeof(struct buf)),
		0,
		st->digested ? st->key : NULL,
		S_term_digests(site, st->key)
	};

	atomic_init(&job.compared, 0);
	for (i = 0; i < nworkers; i++) {
		buf_init(&job.bufs[i]);
		buf_init(&job.lbufs[i]);
	}
	pool_run(nthreads, ndocs, S_what_job, &job);
	for (i = 0; i < nworkers; i++) {
		buf_release(&job.bufs[i]);
		buf_release(&job.lbufs[i]);
	}
	free(job.bufs);
	free(job.lbufs);
	free(job.tdig);
	return atomic_load(&job.compared);
}

/* The first posting of e at page d or after. */
static size_t S_lower(const struct sterm *e, uint32_t d)
{
	size_t lo = 0, hi = e->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->p[mid].doc < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* e's frag list after posting j was put in (ins) or taken out. */
static void S_frag_shift(struct sterm *e, uint32_t j, int ins)
{
	size_t i, k = 0;
	for (i = 0; i < e->nfrag; i++) {
		uint32_t f = e->frag[i];
		if (ins)
			e->frag[k++] = f >= j ? f + 1 : f;
		else if (f != j)
			e->frag[k++] = f > j ? f - 1 : f;
	}
	e->nfrag = k;
}

/* Posting j of e listed as near an edge or not, the list kept ascending. */
static void S_frag_set(struct sterm *e, uint32_t j, int near)
{
	size_t lo = 0, hi = e->nfrag;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->frag[mid] < j)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (near && !(lo < e->nfrag && e->frag[lo] == j)) {
		ARRAY_GROW(e->frag, e->nfrag, e->fragcap, 4);
		memmove(e->frag + lo + 1, e->frag + lo, (e->nfrag - lo) * sizeof(*e->frag));
		e->frag[lo] = j;
		e->nfrag++;
		e->dirty = 1;
	} else if (!near && lo < e->nfrag && e->frag[lo] == j) {
		memmove(e->frag + lo, e->frag + lo + 1, (e->nfrag - lo - 1) * sizeof(*e->frag));
		e->nfrag--;
		e->dirty = 1;
	}
}

static void S_remove_posting(struct search_index *ix, struct sterm *e, size_t j)
{
	S_frag_shift(e, (uint32_t)j, 0);
	memmove(e->p + j, e->p + j + 1, (e->n - j - 1) * sizeof(*e->p));
	memmove(e->qs + j, e->qs + j + 1, e->n - j - 1);
	e->n--;
	ix->npostings--;
	e->cached = 0;
	e->dirty = 1; /* (a term left with no pages is not written: S_record would not mark it) */
}

static void S_insert_posting(struct search_index *ix, struct sterm *e, size_t j, uint32_t doc)
{
	S_reserve(e, 1);
	e->qs = xrealloc(e->qs, e->n + 1);
	memmove(e->p + j + 1, e->p + j, (e->n - j) * sizeof(*e->p));
	memmove(e->qs + j + 1, e->qs + j, e->n - j);
	S_frag_shift(e, (uint32_t)j, 1);
	memset(&e->p[j], 0, sizeof(e->p[j]));
	e->p[j].doc = doc;
	e->qs[j] = 0; /* no step: set by S_restep */
	e->n++;
	ix->npostings++;
	e->cached = 0;
}

/* Posting j's step at avg, and whether it is near an edge. */
static void S_restep(const struct search_index *ix, const double *avg, struct sterm *e, size_t j, int list)
{
	double edge;
	unsigned char q = S_step(ix, avg, &e->p[j], &edge);
	if (q != e->qs[j]) {
		e->qs[j] = q;
		e->cached = 0;
	}
	if (list)
		S_frag_set(e, (uint32_t)j, edge < FRAG_EDGE);
}

/* The page's entry of a term, or NULL: t's own table (t->slots) is read. */
static const struct pterm *S_ptok_find(const struct ptok *t, const char *s, size_t n, uint32_t h)
{
	const struct tok_slots *sl = t->slots;
	size_t j;
	if (!sl->n) /* a page with no terms at all */
		return NULL;
	for (j = h & (sl->n - 1); sl->v[j]; j = (j + 1) & (sl->n - 1)) {
		const struct pterm *e = &t->v[sl->v[j] - 1];
		if (e->hash == h && e->len == n && memcmp(t->strs.ptr + e->off, s, n) == 0)
			return e;
	}
	return NULL;
}

/*
 * Page d's postings made those of t: out of the terms it left (when it had
 * postings: had), into those it has.
 */
static void S_update_page(struct search_index *ix, const double *avg, uint32_t d, const struct ptok *t,
			  int had)
{
	size_t i, j;

	for (i = 0; had && i < ix->t.nterms; i++) {
		struct sterm *e = &ix->t.terms[i];
		if (e->tag || !e->n ||
		    e->raw) /* (not taken apart: the page reads the same in it, S_check_job) */
			continue;
		j = S_lower(e, d);
		if (j < e->n && e->p[j].doc == d && !S_ptok_find(t, e->s, e->len, e->hash))
			S_remove_posting(ix, e, j);
	}
	for (i = 0; i < t->n; i++) {
		const struct pterm *pt = &t->v[i];
		struct sterm *e = S_intern(&ix->t, t->strs.ptr + pt->off, pt->len, 0, pt->hash);
		if (e->raw) /* not taken apart: the page reads the same in it (S_check_job) */
			continue;
		j = S_lower(e, d);
		if (j == e->n || e->p[j].doc != d)
			S_insert_posting(ix, e, j, d);
		if (memcmp(e->p[j].tf, pt->tf, NFIELDS) != 0) {
			memcpy(e->p[j].tf, pt->tf, NFIELDS);
			e->cached = 0;
		}
		S_restep(ix, avg, e, j, 1);
	}
}

struct restep_job {
	struct search_index *ix;
	const double *avg;
	int all; /* every posting, the frag lists made again; else the listed ones */
	/* else the fields (bits) whose average drifted past the bound: the
	   postings with any of them computed again too, listed again by edge */
	unsigned fields;
	atomic_ulong restepped; /* postings computed again past the listed ones */
	atomic_int bad;         /* a term read from disk whose bytes do not hold */
};

/* Whether posting p counts a field of mask fields. */
static int S_has_fields(const struct posting *p, unsigned fields)
{
	int f;
	for (f = 0; f < NFIELDS; f++)
		if ((fields & (1u << f)) && p->tf[f])
			return 1;
	return 0;
}

/* e marked dirty when its frag list is no longer old (nold entries). */
static void S_frag_changed(struct sterm *e, const uint32_t *old, size_t nold)
{
	if (e->nfrag != nold || (nold && memcmp(e->frag, old, nold * sizeof(*old)) != 0))
		e->dirty = 1;
}

/*
 * A term's postings with a drifted field (job->fields) computed again and
 * listed by their edge now; the others listed are computed again and stay
 * listed (their field's averages are within the bound of those they were
 * listed at), the rest cannot have moved. A field's average moves alone
 * for most edits (a title edit: the titles'), and a posting's weight does
 * not read a field it does not have: a title edit computes the titles'
 * postings again, not every posting of the site.
 */
static void S_restep_fields(struct restep_job *job, struct sterm *e)
{
	uint32_t *old = e->frag;
	size_t nold = e->nfrag, k = 0, j, n = 0;

	e->frag = NULL;
	e->nfrag = e->fragcap = 0;
	for (j = 0; j < e->n; j++) {
		int listed = k < nold && old[k] == j, hit = S_has_fields(&e->p[j], job->fields);
		double edge;
		unsigned char q;
		k += listed;
		if (!hit && !listed)
			continue;
		q = S_step(job->ix, job->avg, &e->p[j], &edge);
		if (q != e->qs[j]) {
			e->qs[j] = q;
			e->cached = 0;
		}
		if (hit ? edge < FRAG_EDGE : listed)
			S_frag_push(e, (uint32_t)j);
		n += hit && !listed;
	}
	S_frag_changed(e, old, nold);
	free(old);
	atomic_fetch_add(&job->restepped, n);
}

/* Whether a listed posting of e (its copy, e not taken apart) steps elsewhere at job's averages. */
static int S_frag_moved(const struct restep_job *job, const struct sterm *e)
{
	size_t k;
	for (k = 0; k < e->nfrag; k++) {
		double edge;
		if (S_step(job->ix, job->avg, &e->fragp[k], &edge) != e->fragq[k])
			return 1;
	}
	return 0;
}

static void S_restep_job(size_t i, int worker, void *payload)
{
	struct restep_job *job = payload;
	struct sterm *e = &job->ix->t.terms[i];
	size_t j;
	(void)worker;

	if (e->tag || !e->n)
		return;
	/* not taken apart, no posting with a drifted field (the state's mask) and none of its
	   listed steps moves, or read whole at the averages now (held): nothing of it moves */
	if (e->raw && !job->all && (e->held || (!(job->fields & e->fields) && !S_frag_moved(job, e)))) {
		e->held = 0;
		return;
	}
	if (S_load_checked(e, (uint32_t)job->ix->ndocs)) {
		atomic_store(&job->bad, 1);
		return;
	}
	if (!job->all && job->fields) {
		S_restep_fields(job, e);
		return;
	}
	if (job->all) {
		uint32_t *old = e->nfrag ? xmalloc(e->nfrag * sizeof(*old)) : NULL;
		size_t nold = e->nfrag;
		if (old)
			memcpy(old, e->frag, nold * sizeof(*old));
		atomic_fetch_add(&job->restepped, e->n);
		e->nfrag = 0;
		for (j = 0; j < e->n; j++) {
			double edge;
			unsigned char q = S_step(job->ix, job->avg, &e->p[j], &edge);
			if (q != e->qs[j]) {
				e->qs[j] = q;
				e->cached = 0;
			}
			if (edge < FRAG_EDGE)
				S_frag_push(e, (uint32_t)j);
		}
		S_frag_changed(e, old, nold);
		free(old);
		return;
	}
	for (j = 0; j < e->nfrag; j++)
		S_restep(job->ix, job->avg, e, e->frag[j], 0);
}

/* Every word's idf again (the number of pages or its own may have changed). */
static void S_reidf(struct search_index *ix)
{
	size_t i;
	for (i = 0; i < ix->t.nterms; i++) {
		struct sterm *e = &ix->t.terms[i];
		double df = (double)e->n, idf;
		long q;
		unsigned v;
		if (e->tag || !e->n)
			continue;
		idf = log(1 + ((double)ix->ndocs - df + 0.5) / (df + 0.5));
		q = lround(16 * idf);
		v = q < 1 ? 1 : q > 255 ? 255 : (unsigned)q;
		if (v != e->idf) {
			e->idf = v;
			e->cached = 0;
		}
	}
}

/* The tag filters again (S_tags), each marked changed when its pages did. */
static void S_retag(struct search_index *ix)
{
	size_t i, n = ix->t.nterms;
	struct posting **oldp = xcalloc(n ? n : 1, sizeof(*oldp));
	size_t *oldn = xcalloc(n ? n : 1, sizeof(*oldn));
	int *was = xcalloc(n ? n : 1, sizeof(*was));

	for (i = 0; i < n; i++) {
		struct sterm *e = &ix->t.terms[i];
		if (!e->tag)
			continue;
		oldp[i] = e->p;
		oldn[i] = e->n;
		was[i] = !e->gone;
		e->p = NULL;
		e->n = e->cap = 0;
		e->gone = 1;
	}
	S_tags(ix);
	for (i = 0; i < ix->t.nterms; i++) {
		struct sterm *e = &ix->t.terms[i];
		size_t j;
		if (!e->tag)
			continue;
		if (i >= n || !was[i] || e->gone || oldn[i] != e->n)
			e->cached = 0;
		for (j = 0; e->cached && j < e->n; j++)
			if (oldp[i][j].doc != e->p[j].doc)
				e->cached = 0;
		e->qs = xrealloc(e->qs, e->n ? e->n : 1);
		memset(e->qs, 1, e->n);
		if (i < n)
			free(oldp[i]);
	}
	free(oldp);
	free(oldn);
	free(was);
}

struct remap_job {
	struct search_index *ix;
	const uint32_t *to; /* per page number before: its number now, UINT32_MAX when gone */
};

/*
 * Term i's postings renumbered (S_update): those of the pages gone or
 * changed taken out, the others given their new numbers, which keep their
 * order (the pages' sort keys did not change).
 */
static void S_remap_job(size_t i, int worker, void *payload)
{
	struct remap_job *job = payload;
	struct sterm *e = &job->ix->t.terms[i];
	size_t j, k = 0, f = 0, fk = 0;
	(void)worker;

	if (e->tag || !e->n)
		return;
	for (j = 0; j < e->n; j++) {
		uint32_t to = job->to[e->p[j].doc];
		int near = f < e->nfrag && e->frag[f] == j;
		f += near;
		if (to == UINT32_MAX)
			continue;
		if (to != e->p[j].doc || k != j)
			e->cached = 0;
		if (near)
			e->frag[fk++] = (uint32_t)k;
		e->p[k] = e->p[j];
		e->p[k].doc = to;
		e->qs[k] = e->qs[j];
		k++;
	}
	if (k != e->n) /* a posting at the end taken out moved nothing */
		e->cached = 0;
	e->n = k;
	e->nfrag = fk;
}

static int S_fwd_marks(struct search_state *st, const uint32_t *changed, size_t nch, const struct ptok *toks,
		       uint64_t **had_out, unsigned char **cand_out);
static void S_fwd_set(struct search_state *st, uint32_t d, const struct ptok *t);

/*
 * The kept index brought up to date with site's pages: 0, 1 when it
 * cannot be (build it again), -1 when cancelled (the state is spoilt).
 * *indexed: the pages tokenized again; *fresh_out and *oldd_out per page
 * number: its metadata record must be made again, else its number before.
 */
static int S_update(struct search_state *st, struct site *site, int nthreads, unsigned char **fresh_out,
		    uint32_t **oldd_out, size_t *indexed, size_t *compared, unsigned long *restepped)
{
	struct search_index *ix = st->ix;
	size_t ndocs, d, i, nch = 0, nold = ix->ndocs, ngone = 0;
	const struct page **docs = S_docs(site, &ndocs);
	uint32_t *changed = NULL, *oldd = NULL, *to = NULL;
	unsigned char *fresh = NULL, *cand = NULL;
	uint64_t *had = NULL;
	struct ptok *toks = NULL;
	struct tok_slots *slots = NULL;
	struct buf *what = NULL, *light = NULL;
	double avg[NFIELDS], delta = 0;
	uint64_t conf[2], files[2];
	int f, rc = 1, same = ndocs == nold, fast;
	unsigned drifted = 0;
	struct strmap at;

	memset(&at, 0, sizeof(at));
	S_conf_digest(st, site, conf);
	if (memcmp(conf, st->conf, sizeof(conf)) != 0)
		goto done;
	/* Each page's number before, by its path. */
	oldd = xmalloc((ndocs ? ndocs : 1) * sizeof(*oldd));
	for (d = 0; same && d < ndocs; d++)
		if (strcmp(docs[d]->path, st->paths[d]) != 0)
			same = 0;
	if (same) {
		for (d = 0; d < ndocs; d++)
			oldd[d] = (uint32_t)d;
	} else {
		for (d = 0; d < nold; d++) {
			if (strmap_get(&at, st->paths[d], 0))
				goto done; /* a page twice (a state read from disk that does not hold) */
			strmap_put(&at, st->paths[d], (long)d + 1);
		}
		for (d = 0; d < ndocs; d++)
			oldd[d] = (uint32_t)(strmap_get(&at, docs[d]->path, 0) - 1);
	}
	changed = xmalloc((ndocs ? ndocs : 1) * sizeof(*changed));
	fresh = xcalloc(ndocs ? ndocs : 1, 1);
	what = xcalloc(ndocs ? ndocs : 1, sizeof(*what));
	light = xcalloc(ndocs ? ndocs : 1, sizeof(*light));
	for (d = 0; d < ndocs; d++) {
		buf_init(&what[d]);
		buf_init(&light[d]);
	}
	/* the other files as before: a page whose file is the same read is known by its light bytes */
	S_files_digest(st, site, files);
	fast = (files[0] || files[1]) && memcmp(files, st->files, sizeof(files)) == 0;
	*compared = S_whats(nthreads, site, docs, ndocs, st->what, oldd, what, fresh, st, fast, light);
	if (pool_cancelled())
		goto done;
	/* The pages before: their number now, none when gone or changed (taken out, put in again). */
	to = xmalloc((nold ? nold : 1) * sizeof(*to));
	for (d = 0; d < nold; d++)
		to[d] = UINT32_MAX;
	for (d = 0; d < ndocs; d++) {
		if (fresh[d]) {
			if (nch == UPDATE_MAX_PAGES)
				goto done;
			changed[nch++] = (uint32_t)d;
		}
		if (oldd[d] != UINT32_MAX && (!same || !fresh[d]))
			to[oldd[d]] = fresh[d] ? UINT32_MAX : (uint32_t)d;
	}
	for (d = 0; d < nold; d++)
		ngone += to[d] == UINT32_MAX;
	if (!same && nch + ngone > UPDATE_MAX_PAGES)
		goto done;
	rc = 0;
	free(ix->docs);
	ix->docs = docs;
	docs = NULL;
	ix->site = site;
	ix->nthreads = nthreads;
	/* a state read from disk whose pages moved: every term checked and taken apart (one
	   that does not hold: the index is built again, nothing of this one is kept) */
	if (!same && st->bytes.len && S_load_terms(ix, NULL, 0, NULL, NULL, NULL, NULL, 0)) {
		rc = 1;
		goto done;
	}
	if (!same) {
		/* Pages added, removed or moved: every posting renumbered, the
		   changed pages' taken out; the per-page tables in the new order. */
		struct remap_job job = { ix, to };
		S_blocks_forget(st); /* every posting renumbered */
		S_fwd_forget(st, nold);
		uint32_t(*flen)[NFIELDS] = xcalloc(ndocs ? ndocs : 1, sizeof(*flen));
		struct buf *nwhat = xcalloc(ndocs ? ndocs : 1, sizeof(*nwhat));
		struct buf *nlight = xcalloc(ndocs ? ndocs : 1, sizeof(*nlight));
		uint64_t *nserial = xcalloc(ndocs ? ndocs : 1, sizeof(*nserial));
		char **paths = xcalloc(ndocs ? ndocs : 1, sizeof(*paths));

		pool_run(nthreads, ix->t.nterms, S_remap_job, &job);
		if (pool_cancelled()) {
			rc = -1;
			free(flen);
			free(nwhat);
			free(nlight);
			free(nserial);
			free(paths);
			goto done;
		}
		ix->npostings = 0;
		for (i = 0; i < ix->t.nterms; i++)
			if (!ix->t.terms[i].tag)
				ix->npostings += ix->t.terms[i].n;
		for (d = 0; d < ndocs; d++) {
			buf_init(&nwhat[d]);
			buf_init(&nlight[d]);
			if (oldd[d] != UINT32_MAX && !fresh[d]) {
				memcpy(flen[d], ix->flen[oldd[d]], sizeof(flen[d]));
				nwhat[d] = st->what[oldd[d]];
				buf_init(&st->what[oldd[d]]);
			}
			if (oldd[d] != UINT32_MAX) { /* replaced below when it changed */
				nlight[d] = st->light[oldd[d]];
				buf_init(&st->light[oldd[d]]);
			}
			paths[d] = xstrdup(ix->docs[d]->path);
		}
		for (d = 0; d < nold; d++) {
			buf_release(&st->what[d]);
			buf_release(&st->light[d]);
			free(st->paths[d]);
		}
		free(st->what);
		free(st->light);
		free(st->serial);
		free(st->paths);
		free(ix->flen);
		st->what = nwhat;
		st->light = nlight;
		st->serial = nserial;
		st->paths = paths;
		ix->flen = flen;
		ix->ndocs = ndocs;
	}
	/* Each page's light bytes and file's read, for the next rebuild's S_whats. */
	for (d = 0; d < ndocs; d++) {
		if (light[d].len) {
			buf_release(&st->light[d]);
			st->light[d] = light[d];
			buf_init(&light[d]);
		}
		st->serial[d] = ix->docs[d]->src->serial;
	}
	memcpy(st->files, files, sizeof(files));
	toks = xcalloc(nch ? nch : 1, sizeof(*toks));
	slots = xcalloc(nch ? nch : 1, sizeof(*slots));
	for (i = 0; i < nch; i++) {
		buf_init(&toks[i].strs);
		toks[i].slots = &slots[i];
		S_tokenize_page(&toks[i], ix->docs[changed[i]]);
		memcpy(ix->flen[changed[i]], toks[i].len, sizeof(toks[i].len));
		buf_release(&st->what[changed[i]]);
		st->what[changed[i]] = what[changed[i]];
		buf_init(&what[changed[i]]);
	}
	S_averages(ix, avg);
	/* each field's drift from the average its postings were listed at: past
	   the bound, that field's postings are computed again (S_restep_fields) */
	for (f = 0; f < NFIELDS; f++) {
		double r;
		if ((avg[f] > 0) != (st->avg_ref[f] > 0))
			r = HUGE_VAL;
		else
			r = avg[f] > 0 ? fabs(log(avg[f] / st->avg_ref[f])) : 0;
		if (QLEVELS / log(QRANGE) * r + 1e-7 >= FRAG_EDGE / 2)
			drifted |= 1u << f;
		if (r > delta)
			delta = r;
	}
	/* a state read from disk: its terms checked, those a changed page reads otherwise and
	   those with postings of a drifted field taken apart; one that does not hold: built again */
	if (st->fwd_part && S_fwd_marks(st, changed, nch, toks, &had, &cand)) {
		rc = 1;
		goto done;
	}
	if (st->bytes.len && S_load_terms(ix, changed, nch, toks, avg, had, cand, drifted)) {
		rc = 1;
		goto done;
	}
	for (i = 0; i < nch; i++)
		S_update_page(ix, avg, changed[i], &toks[i], same);
	for (i = 0; st->fwd && i < nch; i++) /* their words now, for the save's forward index */
		S_fwd_set(st, changed[i], &toks[i]);
	if (delta > 0) {
		struct restep_job job;
		job.ix = ix;
		job.avg = avg;
		job.all = drifted == (1u << NFIELDS) - 1;
		job.fields = drifted;

		atomic_init(&job.restepped, 0);
		atomic_init(&job.bad, 0);
		pool_run(nthreads, ix->t.nterms, S_restep_job, &job);
		if (pool_cancelled()) {
			rc = -1;
			goto done;
		}
		if (atomic_load(&job.bad)) {
			rc = 1;
			goto done;
		}
		for (f = 0; f < NFIELDS; f++)
			if (drifted & (1u << f))
				st->avg_ref[f] = avg[f];
		*restepped = atomic_load(&job.restepped);
	}
	S_reidf(ix);
	S_retag(ix);
	/* a term whose record is made again (its idf moved) is taken apart by the write: read whole now */
	for (i = 0; i < ix->t.nterms; i++)
		if (ix->t.terms[i].raw && !ix->t.terms[i].cached &&
		    S_load_checked(&ix->t.terms[i], (uint32_t)ndocs)) {
			rc = 1;
			goto done;
		}
	for (i = 0; i < site->npages; i++)
		if (!site->pages[i].parse_shared) /* serve's parse cache keeps them (incr.c) */
			pagetok_release(&site->pages[i].tokens);
	*indexed = nch;
	*fresh_out = fresh;
	*oldd_out = oldd;
	fresh = NULL;
	oldd = NULL;
done:
	for (i = 0; toks && i < nch; i++) {
		free(slots[i].v);
		S_ptok_release(&toks[i]);
	}
	strmap_free(&at);
	free(toks);
	free(slots);
	free(had);
	free(cand);
	free(changed);
	free(fresh);
	free(oldd);
	free(to);
	free(docs);
	for (d = 0; what && d < ndocs; d++) {
		buf_release(&what[d]);
		buf_release(&light[d]);
	}
	free(what);
	free(light);
	return rc;
}

/*
 * The pages the index cut (S_cut_paths) taken for changed by the next
 * rebuild's S_whats: a what no page makes (an empty one, where a page's
 * holds at least its path; for a digest, 16 bytes of zeros) and no
 * serial, so not the same file read as before. The rest of the index is
 * kept: it was dropped, and every rebuild indexed every page again for
 * one page with a long summary (a one-page rebuild of the 10,000 pages
 * and such a page: 0.98 s wall, 0.31 s now).
 */
static void S_cut_mark(struct search_state *st)
{
	static const char zeros[16];
	struct strmap at;
	size_t i, d;

	if (!S_cut_paths.n || !st->ix)
		return;
	memset(&at, 0, sizeof(at));
	for (d = 0; d < st->ix->ndocs; d++)
		strmap_put(&at, st->paths[d], (long)d + 1);
	for (i = 0; i < S_cut_paths.n; i++) {
		long k = strmap_get(&at, S_cut_paths.v[i], 0);
		if (!k)
			continue;
		buf_reset(&st->what[k - 1]);
		if (st->digested)
			buf_put(&st->what[k - 1], zeros, sizeof(zeros));
		st->serial[k - 1] = 0;
	}
	strmap_free(&at);
}

int search_build_incr(struct site *site, struct output *out, int nthreads, struct search_stats *stats,
		      struct incr *in)
{
	struct search_state *st;
	unsigned char *fresh = NULL;
	uint32_t *oldd = NULL;
	size_t indexed = 0, compared = 0, d;
	unsigned long restepped = 0;
	int rc = 1, built = 0;

	if (!in)
		return search_build(site, out, nthreads, stats);
	strvec_release(&S_cut_paths);
	st = in->search;
	if (!st) {
		st = xcalloc(1, sizeof(*st));
		buf_init(&st->meta);
		buf_init(&st->bytes);
		buf_init(&st->tags.raw);
		memcpy(st->key, in->key, sizeof(st->key));
		st->digested = in->disk;
		in->search = st;
		in->search_free = S_state_free;
	}
	st->checked = 0;
	if (st->ix)
		rc = S_update(st, site, nthreads, &fresh, &oldd, &indexed, &compared, &restepped);
	if (rc == 1 && !pool_cancelled()) { /* built again, and kept */
		size_t ndocs;
		built = 1;
		const struct page **docs = S_docs(site, &ndocs);
		unsigned char *all = xcalloc(ndocs ? ndocs : 1, 1);
		S_state_forget(st);
		S_conf_digest(st, site, st->conf);
		/* before S_index_new, which frees the pages' tokens */
		st->what = xcalloc(ndocs ? ndocs : 1, sizeof(*st->what));
		st->light = xcalloc(ndocs ? ndocs : 1, sizeof(*st->light));
		st->serial = xcalloc(ndocs ? ndocs : 1, sizeof(*st->serial));
		for (d = 0; d < ndocs; d++) {
			buf_init(&st->what[d]);
			buf_init(&st->light[d]);
		}
		compared = S_whats(nthreads, site, docs, ndocs, NULL, NULL, st->what, all, st, 0, st->light);
		S_files_digest(st, site, st->files);
		st->paths = xmalloc((ndocs ? ndocs : 1) * sizeof(*st->paths));
		for (d = 0; d < ndocs; d++) {
			st->paths[d] = xstrdup(docs[d]->path);
			st->serial[d] = docs[d]->src->serial;
		}
		free(all);
		free(docs);
		st->ix = S_index_new(site, nthreads, site->pages, st, st->avg_ref, 0);
		indexed = st->ix->ndocs;
		rc = 0;
	}
	in->index_kept = rc == 0 && !built;
	in->pages_indexed = indexed;
	in->pages_compared = compared;
	in->postings_restepped = restepped;
	in->postings = st->ix ? st->ix->npostings : 0;
	if (rc == 0 && !pool_cancelled()) {
		struct search_index *ix = st->ix;
		search_deflate_fn zmemo = S_zmemo;
		ix->fresh = fresh;
		ix->oldd = oldd;
		/* a build's index kept: its unchanged shards are the output's files, the
		   few others new bytes no memo has (diskcache.h reads it at its first use) */
		if (st->digested && !built)
			S_zmemo = NULL;
		rc = search_index_write(ix, out, stats);
		S_zmemo = zmemo;
		if (st->digested)
			S_zsig_done(st, rc == 0);
		for (d = 0; d < ix->t.nterms; d++)
			stats->unpacked += st->bytes.len && !ix->t.terms[d].tag && !ix->t.terms[d].raw;
		stats->checked = st->checked;
		ix->fresh = NULL;
		ix->oldd = NULL;
		if (rc == 0 && out->mem) { /* its files shared by the next write (S_emit_kept) */
			memsite_free(st->mem);
			st->mem = memsite_ref(out->mem);
		}
		/* the index no longer borrows the site */
		ix->site = NULL;
		for (d = 0; d < ix->ndocs; d++)
			ix->docs[d] = NULL;
	} else {
		rc = -1;
	}
	free(fresh);
	free(oldd);
	if (atomic_exchange(&S_state_changed, 0)) {
		diag_error(NULL, 0, 0,
			   "the search index's state changed while the site was built; build again");
		rc = -1;
	}
	if (rc) /* cancelled or failed: the next rebuild starts afresh */
		S_state_forget(st);
	else
		S_cut_mark(st);
	strvec_release(&S_cut_paths);
	return rc;
}

int search_build(struct site *site, struct output *out, int nthreads, struct search_stats *stats)
{
	struct search_index *ix = S_index_new(site, nthreads, site->pages, NULL, NULL, 1);
	/* cancelled: pages or terms were skipped (pool.h), nothing is written */
	int rc = pool_cancelled() ? -1 : search_index_write(ix, out, stats);
	search_index_free(ix);
	strvec_release(&S_cut_paths); /* no index kept to mark */
	return rc;
}

/* --- a build's state, kept on disk ----------------------------------------- */

/*
 * jixia build keeps the index of its last rebuild between runs as
 * search_build_incr left it (struct search_state, its whats digested), so
 * that a rebuild after a one-page edit updates the postings of that page
 * instead of merging and ranking every page's again. What is kept is
 * what S_update reads and what the write would make again at a cost:
 * each term's postings, steps, frag list and record, each page's path,
 * field lengths, what and metadata record, the names of the files hashed
 * (the shards' streams come from the deflate memo, diskcache.h).
 *
 * The state is in parts (diskcache.h seals each on its own), so that a
 * save writes again only the parts that changed: a one-page edit changes
 * the head, a block of pages and the blocks of the few terms whose
 * postings, steps or records moved (struct sterm's dirty), not 30 MB.
 * Integers LEB128 (S_varint), doubles their 8 bytes little-endian:
 *
 *   part 0, the head: pages, pages per block, the averages the frag
 *   lists were made at (4 doubles), S_conf_digest (2 words of 8 bytes),
 *   1 when the metadata records are kept (else 0), the words (the terms
 *   some page has or had: the tags are made again, S_retag), the blocks
 *   of terms and each one's number of words; last the names of the
 *   metadata files (from, to, name) and of the tail files (name, terms,
 *   each term's number), S_encode_sigs; the term shards and tag shard of
 *   the last write (per shard its key, 16 bytes, its file's name, 8, and
 *   size), S_encode_zsigs; the words in the last write's order (their
 *   numbers), S_encode_worder;
 *   then the blocks of pages, in page order, each of pages per block
 *   pages (the last of the rest): per page its path's length and bytes,
 *   its what's length (16: a digest, S_what_vouch's) and bytes, its four field lengths,
 *   and when kept its metadata record's length and bytes;
 *   then the blocks of terms, in the index's order of terms (new words
 *   go after the others, in a block of their own or the last one's):
 *   per term its length and bytes, its pages (n, 0 for a word no page
 *   has any more), its frag list's length, a byte of the fields its
 *   postings count (bit f set when one counts field f, 1 << F_TITLE ...),
 *   the length of its postings' bytes, and those bytes: the frag list,
 *   each as its distance past the one before, less one, then those
 *   postings (S_put_posting), the
 *   places to start reading (S_encode_skips), the term's idf, then 1 and
 *   its record (head and tail, each its length and bytes) as the last
 *   write made it, or 0; then the n postings (S_put_posting) and the n
 *   steps (a byte each), the rest of its bytes;
 *   last the forward index, lazy parts (diskcache.h): per block of pages,
 *   per page its words (S_encode_fwd).
 *
 * A rebuild reads every part but the forward lists, and takes apart only
 * the postings of the terms it changes (struct sterm's raw, S_load):
 * those a changed page reads otherwise in, and those whose listed step
 * moved (their postings kept with the frag list). It finds them from the
 * changed pages alone (S_fwd_marks): their blocks' forward lists fetched,
 * the terms they had or have read at their postings (S_check_cand); a
 * term taken apart is checked whole first (S_load_checked). When a
 * field's average drifted (some of the four; all four, or the pages
 * renumbered: every term is taken apart), only the terms whose byte of
 * fields has it can move beyond their listed steps: those are read whole
 * in one pass on the pool (S_check_job), each posting with that field
 * (and each listed one) stepped at the averages now, and taken apart only
 * when a step or its listing moves, as S_restep_fields would move it
 * (else held: nothing of it changes); a term without such postings moves
 * no more than at any edit (its listed steps, S_frag_moved). A title edit
 * that drifts the titles' average reads the 4,000 terms of titles and
 * takes apart a few, where every one of 17,000 was taken apart (10,000
 * pages). The postings read are checked against the byte of fields: one
 * with a field the byte leaves out is a state that does not hold.
 * The postings of a term never taken apart are trusted by the checksum
 * of their part, as its record is: a save writes them back as they are.
 *
 * The decoder checks every count against the bytes left and the parts,
 * every page number and posting against the pages, every step and frag
 * entry, and that each part's bytes end where they say: a state that
 * does not hold is no state (the index is built again), never a crash.
 */
#define PBLOCK_PAGES 64     /* pages per block of the state */
#define SKIP_POSTINGS 128   /* a term's postings between two places to start reading (S_find_raw) */
#define TBLOCK_TERMS 16     /* at most, words per block of the state */
#define TBLOCK_BYTES 32768  /* and a block closed once its bytes pass this */
#define TERMS_AT_ONCE 65536 /* words a decode makes room for before reading them */

static void S_put_double(struct buf *b, double v)
{
	uint64_t u;
	memcpy(&u, &v, sizeof(u));
	buf_put_le(b, u, 8);
}

/* Posting p into b (the page as its distance past *last, the one before), *last its page. */
static void S_put_posting(struct buf *b, const struct posting *p, uint32_t *last)
{
	const uint8_t *tf = p->tf;
	int kind = tf[F_TITLE] || tf[F_TAGS] || tf[F_HEADINGS] ? 2 : tf[F_BODY] == 1 ? 0 : 1;

	S_varint(b, (uint64_t)(p->doc - *last) << 2 | (uint64_t)kind);
	if (kind == 1)
		buf_putc(b, tf[F_BODY]);
	else if (kind == 2)
		buf_put(b, tf, NFIELDS);
	*last = p->doc;
}

/*
 * Where term e's postings are to be read from without the ones before:
 * per posting j = SKIP_POSTINGS * (k + 1), the page of the one before it
 * and its byte in the postings' bytes, each as its distance past the
 * one before; their count first.
 */
static void S_encode_skips(struct buf *b, const struct sterm *e)
{
	size_t j, off = 0, loff = 0;
	uint32_t last = 0, ldoc = 0;

	S_varint(b, e->n ? (e->n - 1) / SKIP_POSTINGS : 0);
	for (j = 0; j < e->n; j++) {
		const uint8_t *tf = e->p[j].tf;
		uint64_t v = (uint64_t)(e->p[j].doc - last) << 2;
		if (j && j % SKIP_POSTINGS == 0) {
			S_varint(b, last - ldoc);
			S_varint(b, off - loff);
			ldoc = last;
			loff = off;
		}
		for (off++; v >= 0x80; v >>= 7)
			off++;
		off += tf[F_TITLE] || tf[F_TAGS] || tf[F_HEADINGS] ? NFIELDS : tf[F_BODY] != 1;
		last = e->p[j].doc;
	}
}

/* Term e's postings' bytes (the layout above) into b. */
static void S_encode_term(struct buf *b, const struct sterm *e)
{
	size_t j;
	uint32_t last = 0;

	for (j = 0; j < e->nfrag; j++)
		S_varint(b, e->frag[j] - (j ? e->frag[j - 1] + 1 : 0));
	for (j = 0; j < e->nfrag; j++)
		S_put_posting(b, &e->p[e->frag[j]], &last);
	S_encode_skips(b, e);
	last = 0;
	S_varint(b, e->idf);
	buf_putc(b, e->cached && !e->cfailed);
	if (e->cached && !e->cfailed) {
		S_varint(b, e->cpre.len);
		buf_put(b, e->cpre.ptr, e->cpre.len);
		S_varint(b, e->ctail.len);
		buf_put(b, e->ctail.ptr, e->ctail.len);
	}
	for (j = 0; j < e->n; j++)
		S_put_posting(b, &e->p[j], &last);
	buf_put(b, e->qs, e->n);
}

struct encode_job {
	const struct search_index *ix;
	const uint32_t *terms;     /* the words: indices into ix's terms, in the state's order */
	const unsigned char *want; /* per word: encode it */
	struct buf *out;           /* per word: its part of the state */
};

/* Word i's part of the state (when wanted): its name, counts and postings' bytes. */
static void S_encode_job(size_t i, int worker, void *payload)
{
	struct encode_job *job = payload;
	const struct sterm *e = &job->ix->t.terms[job->terms[i]];
	struct buf tb = BUF_INIT, *b = &job->out[i];
	unsigned fields = 0;
	size_t j;
	(void)worker;

	if (!job->want[i])
		return;
	if (e->raw) { /* never taken apart: its bytes as read */
		buf_put(b, e->whole, e->wholen);
		return;
	}
	S_encode_term(&tb, e);
	for (j = 0; j < e->n; j++)
		fields |= S_posting_fields(&e->p[j]);
	S_varint(b, e->len);
	buf_put(b, e->s, e->len);
	S_varint(b, e->n);
	S_varint(b, e->nfrag);
	buf_putc(b, (int)fields);
	S_varint(b, tb.len);
	buf_put(b, tb.ptr, tb.len);
	buf_release(&tb);
}

/*
 * The last write's metadata and tail files' names (S_decode_sigs) into b,
 * each tail file's terms by their number in the state (at: per term of
 * the index, its number, UINT32_MAX for a tag); a file holding a tag's
 * tail is written with no terms, so that it is never the same.
 */
static void S_encode_sigs(struct buf *b, const struct search_state *st, const uint32_t *at)
{
	size_t k, j;

	S_varint(b, st->nmetasig);
	for (k = 0; k < st->nmetasig; k++) {
		S_varint(b, st->metasig[k].from);
		S_varint(b, st->metasig[k].to);
		buf_put_le(b, st->metasig[k].h, 8);
	}
	S_varint(b, st->ntailsig);
	for (k = 0; k < st->ntailsig; k++) {
		const struct tail_sig *t = &st->tailsig[k];
		int whole = 1;
		for (j = 0; j < t->n; j++)
			whole &= t->terms[j] < st->ix->t.nterms && at[t->terms[j]] != UINT32_MAX;
		buf_put_le(b, t->h, 8);
		S_varint(b, whole ? t->n : 0);
		for (j = 0; whole && j < t->n; j++)
			S_varint(b, at[t->terms[j]]);
	}
}

/* The last write's shards (struct zsig): their count, then each one's digest, name and size. */
static void S_encode_zsigs(struct buf *b, const struct search_state *st)
{
	size_t k;

	S_varint(b, st->nzsig);
	for (k = 0; k < st->nzsig; k++) {
		buf_put_le(b, st->zsig[k].raw[0], 8);
		buf_put_le(b, st->zsig[k].raw[1], 8);
		buf_put_le(b, st->zsig[k].h, 8);
		S_varint(b, st->zsig[k].size);
	}
}

/* The last write's words in their order (st->worder), each by its number in the state (at). */
static void S_encode_worder(struct buf *b, const struct search_state *st, const uint32_t *at)
{
	size_t k;

	for (k = 0; k < st->nworder; k++)
		if (st->worder[k] >= st->ix->t.nterms || at[st->worder[k]] == UINT32_MAX)
			break;
	if (k < st->nworder) { /* (not a word: none kept) */
		S_varint(b, 0);
		return;
	}
	S_varint(b, st->nworder);
	for (k = 0; k < st->nworder; k++)
		S_varint(b, at[st->worder[k]]);
}

/* search_state_encode gives the words' bytes back to the system past this many. */
#define S_TRIM_BYTES ((size_t)8 << 20)

/* What S_encode_pages writes at most: each varint at its longest. */
static size_t S_pages_room(const struct search_state *st)
{
	const struct search_index *ix = st->ix;
	int meta = st->meta_off && st->meta_docs == ix->ndocs;
	size_t d, room = 0;

	for (d = 0; d < ix->ndocs; d++) {
		room += 10 + strlen(st->paths[d]) + 10 + st->what[d].len + NFIELDS * 10;
		if (meta)
			room += 10 + st->meta_off[d + 1] - st->meta_off[d];
	}
	return room;
}

/*
 * The blocks of pages (PBLOCK_PAGES each) as parts of next; block b stands
 * for part 1 + b read. Each is made in scratch first and, when it is that
 * part's bytes (most are, after an edit of a few pages), added as the
 * same, not copied into next's bytes: those are fresh memory, about 5 MB
 * of page blocks at 10,000 pages.
 */
static void S_encode_pages(const struct search_state *st, struct diskcache_parts *next)
{
	const struct search_index *ix = st->ix;
	int meta = st->meta_off && st->meta_docs == ix->ndocs;
	struct buf b = BUF_INIT;
	size_t d;
	int f;

	for (d = 0; d < ix->ndocs; d++) {
		S_varint(&b, strlen(st->paths[d]));
		buf_puts(&b, st->paths[d]);
		S_varint(&b, st->what[d].len);
		buf_put(&b, st->what[d].ptr, st->what[d].len);
		for (f = 0; f < NFIELDS; f++)
			S_varint(&b, ix->flen[d][f]);
		if (meta) {
			size_t n;
			const char *rec = S_kept_meta(st, d, &n);
			S_varint(&b, n);
			buf_put(&b, rec, n);
		}
		if (d % PBLOCK_PAGES == PBLOCK_PAGES - 1 || d + 1 == ix->ndocs) {
			size_t from = next->bytes.len, was = 1 + d / PBLOCK_PAGES;
			int same = diskcache_parts_holds(st->parts, st->key, was, b.ptr, b.len);
			if (!same)
				buf_put(&next->bytes, b.ptr, b.len);
			diskcache_parts_add(next, from, was, same);
			buf_reset(&b);
		}
	}
	buf_release(&b);
}

/*
 * The blocks of words (terms[0 .. nwords), the state's order): the blocks
 * read keep their words (the last one takes new words while it has room),
 * the new words after them cut into blocks of TBLOCK_TERMS words or
 * TBLOCK_BYTES; into nb (per block, its words) and changed (per block:
 * its words encoded, else the block read unchanged). Returns the blocks.
 */
static size_t S_blocks(const struct search_state *st, const uint32_t *terms, size_t nwords, size_t *nb,
		       unsigned char *changed, unsigned char *want)
{
	const struct search_index *ix = st->ix;
	size_t b, i, w = 0, n = 0;

	for (b = 0; b < st->ntblocks; b++) {
		nb[n] = st->tblock_n[b];
		changed[n] = 0;
		if (b + 1 == st->ntblocks) /* the last block: room for new words */
			while (nb[n] < TBLOCK_TERMS && w + nb[n] < nwords && w + nb[n] >= st->tblock_words)
				nb[n]++;
		changed[n] = nb[n] != st->tblock_n[b];
		for (i = w; i < w + nb[n]; i++)
			changed[n] |= ix->t.terms[terms[i]].dirty;
		for (i = w; changed[n] && i < w + nb[n]; i++)
			want[i] = 1;
		w += nb[n++];
	}
	for (i = w; i < nwords; i++)
		want[i] = 1;
	return n;
}

/* Whether block b of the forward index stands as the part read (no page of it fetched, so none changed). */
static int S_fwd_kept(const struct search_state *st, size_t b)
{
	return st->fwd_part && b < st->nfwd_part && !st->fwd_fetched[b];
}

/*
 * Every page's words from the postings, as at numbers them (every term
 * taken apart: a state made, or its pages renumbered): page d's are
 * (*list)[start[d] .. start[d + 1]), ascending. 0, or -1 (a term not
 * taken apart).
 */
static int S_fwd_invert(const struct search_index *ix, const uint32_t *at, size_t **start_out,
			uint32_t **list_out)
{
	size_t ndocs = ix->ndocs, i, j, d, *start = xcalloc(ndocs + 2, sizeof(*start)), *fill;
	uint32_t *list;

	for (i = 0; i < ix->t.nterms; i++) {
		const struct sterm *e = &ix->t.terms[i];
		if (e->tag)
			continue;
		if (e->raw || (e->n && !e->p)) {
			free(start);
			return -1;
		}
		for (j = 0; j < e->n; j++)
			start[e->p[j].doc + 1]++;
	}
	for (d = 0; d < ndocs; d++)
		start[d + 1] += start[d];
	list = xmalloc((start[ndocs] ? start[ndocs] : 1) * sizeof(*list));
	fill = xmalloc((ndocs ? ndocs : 1) * sizeof(*fill));
	memcpy(fill, start, ndocs * sizeof(*fill));
	for (i = 0; i < ix->t.nterms; i++) {
		const struct sterm *e = &ix->t.terms[i];
		for (j = 0; !e->tag && j < e->n; j++)
			list[fill[e->p[j].doc]++] = at[i];
	}
	free(fill);
	*start_out = start;
	*list_out = list;
	return 0;
}

/*
 * The forward index (one lazy part of next per block of pages, after the
 * words): per page its count of words, then their numbers in the state
 * (at), ascending, the first as is and each next as the difference. A
 * block no page of which changed stands as the part read; the others are
 * made of the pages' words in memory (those fetched and those indexed
 * again), or, when some page's are not there, every page's from the
 * postings (S_fwd_invert). 0, or -1.
 */
static int S_encode_fwd(const struct search_state *st, struct diskcache_parts *next, const uint32_t *at)
{
	const struct search_index *ix = st->ix;
	size_t ndocs = ix->ndocs, npb = (ndocs + PBLOCK_PAGES - 1) / PBLOCK_PAGES, b, d, k;
	size_t *start = NULL;
	uint32_t *list = NULL;
	int rc = -1;

	/* a block made of which some page's words are not in memory: every page's from the postings */
	for (b = 0; b < npb && !start; b++) {
		if (S_fwd_kept(st, b))
			continue;
		for (d = b * PBLOCK_PAGES; d < ndocs && d < (b + 1) * PBLOCK_PAGES; d++)
			if (!st->fwd || !st->fwd[d]) {
				if (S_fwd_invert(ix, at, &start, &list))
					return -1;
				break;
			}
	}
	for (b = 0; b < npb; b++) {
		size_t from = next->bytes.len,
		       was = st->fwd_part && b < st->nfwd_part ? st->fwd_part[b] : SIZE_MAX;
		if (!start && S_fwd_kept(st, b)) {
			diskcache_parts_add(next, from, was, 1);
			diskcache_parts_lazy(next);
			continue;
		}
		for (d = b * PBLOCK_PAGES; d < ndocs && d < (b + 1) * PBLOCK_PAGES; d++) {
			uint32_t last = 0;
			size_t n = start ? start[d + 1] - start[d] : st->nfwd[d];
			S_varint(&next->bytes, n);
			for (k = 0; k < n; k++) {
				uint32_t t = start ? list[start[d] + k] : st->fwd[d][k], w;
				if (!start && (t >= ix->t.nterms || at[t] == UINT32_MAX))
					goto done; /* (a page's words are words of the index) */
				w = start ? t : at[t];
				S_varint(&next->bytes, w - last);
				last = w;
			}
		}
		diskcache_parts_add(next, from, was, 0);
		diskcache_parts_lazy(next);
	}
	rc = 0;
done:
	free(start);
	free(list);
	return rc;
}

int search_state_encode(const struct incr *in, struct diskcache_parts *next)
{
	const struct search_state *st = in ? in->search : NULL;
	const struct search_index *ix = st ? st->ix : NULL;
	struct encode_job job;
	uint32_t *terms, *at;
	size_t d, i, b, w, nwords = 0, nblocks, *nb, room, copied = 0;
	unsigned char *changed, *want;
	struct buf head = BUF_INIT;
	int f, rc;

	if (!ix || !st->digested)
		return -1;
	for (d = 0; d < ix->ndocs; d++)
		if (st->what[d].len != 16)
			return -1;
	/* the words in the index's order (the tags are not kept), numbered */
	terms = xmalloc((ix->t.nterms ? ix->t.nterms : 1) * sizeof(*terms));
	at = xmalloc((ix->t.nterms ? ix->t.nterms : 1) * sizeof(*at));
	for (i = 0; i < ix->t.nterms; i++) {
		at[i] = ix->t.terms[i].tag ? UINT32_MAX : (uint32_t)nwords;
		if (!ix->t.terms[i].tag)
			terms[nwords++] = (uint32_t)i;
	}
	nb = xmalloc((st->ntblocks + nwords + 1) * sizeof(*nb));
	changed = xcalloc(st->ntblocks + nwords + 1, 1);
	want = xcalloc(nwords ? nwords : 1, 1);
	nblocks = S_blocks(st, terms, nwords, nb, changed, want);
	/* the words to write, made into bytes on the pool */
	job.ix = ix;
	job.terms = terms;
	job.want = want;
	job.out = xcalloc(nwords ? nwords : 1, sizeof(*job.out));
	for (i = 0; i < nwords; i++)
		buf_init(&job.out[i]);
	pool_run(ix->nthreads, nwords, S_encode_job, &job);
	/* the new words cut into blocks, by count and bytes */
	for (w = 0, b = 0; b < nblocks; b++)
		w += nb[b];
	while (w < nwords) {
		size_t bytes = 0, k = 0;
		while (w + k < nwords && k < TBLOCK_TERMS && bytes < TBLOCK_BYTES)
			bytes += job.out[w + k++].len;
		nb[nblocks] = k;
		changed[nblocks++] = 1;
		w += k;
	}
	/* the head */
	S_varint(&head, ix->ndocs);
	S_varint(&head, PBLOCK_PAGES);
	for (f = 0; f < NFIELDS; f++)
		S_put_double(&head, st->avg_ref[f]);
	buf_put_le(&head, st->conf[0], 8);
	buf_put_le(&head, st->conf[1], 8);
	buf_putc(&head, st->meta_off && st->meta_docs == ix->ndocs);
	S_varint(&head, nwords);
	S_varint(&head, nblocks);
	for (b = 0; b < nblocks; b++)
		S_varint(&head, nb[b]);
	S_encode_sigs(&head, st, at);
	S_encode_zsigs(&head, st);
	S_encode_worder(&head, st, at);
	/* Room for every part at once, past what they can take: grown by
	   doubling instead, each copy of a buffer of tens of MB left its old
	   pages behind in the heap, at the build's peak. Pages never written
	   are never touched (it is one mapping at that size), so the bound's
	   slack costs no memory. */
	room = head.len + S_pages_room(st);
	for (i = 0; i < nwords; i++)
		room += job.out[i].len;
	room += (ix->ndocs + ix->npostings) * 5; /* the forward lists: a varint per page and per word */
	buf_grow(&next->bytes, room);
	buf_put(&next->bytes, head.ptr, head.len);
	diskcache_parts_add(next, 0, 0, 0);
	S_encode_pages(st, next);
	/* the blocks of words: the ones read unchanged stand as they are */
	for (w = 0, b = 0; b < nblocks; w += nb[b++]) {
		size_t from = next->bytes.len, was = b < st->ntblocks ? st->tblock_part[b] : SIZE_MAX;
		if (!changed[b]) {
			diskcache_parts_add(next, from, was, 1);
			continue;
		}
		for (i = w; i < w + nb[b]; i++) {
			buf_put(&next->bytes, job.out[i].ptr, job.out[i].len);
			copied += job.out[i].len;
			buf_release(&job.out[i]); /* its bytes are next's now */
		}
		diskcache_parts_add(next, from, was, 0);
	}
#ifdef __GLIBC__
	/* The words' bytes, made and freed by the pool's workers, stay in their
	   arenas: given back before the forward lists take as much again (a
	   first rebuild's 20 MB on 10,000 pages; not worth a look for a few). */
	if (copied > S_TRIM_BYTES)
		heap_trim();
#endif
	rc = S_encode_fwd(st, next, at);
	for (i = 0; i < nwords; i++)
		buf_release(&job.out[i]);
	free(job.out);
	buf_release(&head);
	free(nb);
	free(changed);
	free(want);
	free(terms);
	free(at);
	return rc;
}

/* A bounded reader of the state's bytes: past the end, or a varint too long, sets bad. */
struct state_reader {
	const unsigned char *p, *end;
	int bad;
};

static uint64_t S_rvarint(struct state_reader *r)
{
	uint64_t v = 0;
	int shift;

	for (shift = 0; shift < 64 && r->p < r->end; shift += 7) {
		unsigned char c = *r->p++;
		v |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80))
			return v;
	}
	r->bad = 1;
	r->p = r->end;
	return 0;
}

/* A count of items of at least min bytes each: more than the bytes left is damage. */
static size_t S_rcount(struct state_reader *r, size_t min)
{
	uint64_t n = S_rvarint(r);
	if (n > (uint64_t)(r->end - r->p) / min || n >= UINT32_MAX) {
		r->bad = 1;
		return 0;
	}
	return (size_t)n;
}

static const unsigned char *S_rtake(struct state_reader *r, uint64_t n)
{
	const unsigned char *p = r->p;
	if (r->bad || n > (uint64_t)(r->end - r->p)) {
		r->bad = 1;
		return NULL;
	}
	r->p += n;
	return p;
}

/*
 * The forward lists of block b of pages (its lazy part fetched) into
 * st->fwd: per page its count of words, then their numbers, ascending,
 * the first as is and each next as the difference; each a word of the
 * state. 0 (or fetched before), or -1 when the part does not hold.
 */
static int S_fwd_fetch(struct search_state *st, size_t b)
{
	size_t ndocs = st->ix->ndocs, from = b * st->fwd_per, to, d, k;
	struct buf bytes = BUF_INIT;
	struct state_reader r;
	int rc = -1;

	if (b >= st->nfwd_part)
		return -1;
	if (st->fwd_fetched[b])
		return 0;
	if (diskcache_parts_fetch(st->parts, st->fwd_part[b], &bytes))
		goto done;
	to = ndocs - from < st->fwd_per ? ndocs : from + st->fwd_per;
	r.p = (const unsigned char *)bytes.ptr;
	r.end = r.p + bytes.len;
	r.bad = 0;
	for (d = from; d < to && !r.bad; d++) {
		size_t n = S_rcount(&r, 1);
		uint64_t w = 0;
		uint32_t *v = xmalloc((n ? n : 1) * sizeof(*v));
		for (k = 0; k < n && !r.bad; k++) {
			uint64_t delta = S_rvarint(&r);
			if ((k && delta == 0) || delta >= st->fwd_words || (w += delta) >= st->fwd_words)
				r.bad = 1;
			v[k] = (uint32_t)w;
		}
		free(st->fwd[d]);
		st->fwd[d] = v;
		st->nfwd[d] = n;
	}
	if (r.bad || r.p != r.end)
		goto done;
	st->fwd_fetched[b] = 1;
	rc = 0;
done:
	buf_release(&bytes);
	return rc;
}

/*
 * The terms a check must read (S_check_job) for the changed pages (nch,
 * their terms now toks): per term, *had_out the changed pages whose
 * forward list names it (their blocks fetched), *cand_out whether one
 * of them had or has it. 0, or -1 when a forward list does not hold.
 */
static int S_fwd_marks(struct search_state *st, const uint32_t *changed, size_t nch, const struct ptok *toks,
		       uint64_t **had_out, unsigned char **cand_out)
{
	const struct termtab *tt = &st->ix->t;
	uint64_t *had = xcalloc(tt->nterms ? tt->nterms : 1, sizeof(*had));
	unsigned char *cand = xcalloc(tt->nterms ? tt->nterms : 1, 1);
	size_t c, k;

	for (c = 0; c < nch; c++) {
		uint32_t d = changed[c];
		if (S_fwd_fetch(st, d / st->fwd_per)) {
			free(had);
			free(cand);
			return -1;
		}
		for (k = 0; k < st->nfwd[d]; k++) { /* words of the state: the first terms */
			had[st->fwd[d][k]] |= 1ull << c;
			cand[st->fwd[d][k]] = 1;
		}
		for (k = 0; k < toks[c].n; k++) {
			const struct pterm *pt = &toks[c].v[k];
			const struct sterm *e = S_lookup(tt, toks[c].strs.ptr + pt->off, pt->len, pt->hash);
			if (e)
				cand[e - tt->terms] = 1;
		}
	}
	*had_out = had;
	*cand_out = cand;
	return 0;
}

static int S_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Page d's words now (t, each a term of the index since S_update_page) as its forward list. */
static void S_fwd_set(struct search_state *st, uint32_t d, const struct ptok *t)
{
	struct termtab *tt = &st->ix->t;
	uint32_t *v = xmalloc((t->n ? t->n : 1) * sizeof(*v));
	size_t k;

	for (k = 0; k < t->n; k++) {
		const struct pterm *pt = &t->v[k];
		v[k] = (uint32_t)(S_lookup(tt, t->strs.ptr + pt->off, pt->len, pt->hash) - tt->terms);
	}
	qsort(v, t->n, sizeof(*v), S_u32_cmp);
	free(st->fwd[d]);
	st->fwd[d] = v;
	st->nfwd[d] = t->n;
}

/* Term i's postings' bytes, for S_decode_term. */
struct term_bytes {
	const unsigned char *p;
	size_t n;
};

struct decode_job {
	struct search_index *ix;
	const struct term_bytes *tb;
	atomic_int bad;
};

/*
 * The posting at *q (of a term's packed postings ending at end; after
 * *doc, the page of the one before) into p, *q past it: 0, or -1 when it
 * does not hold (cut, a page not after *doc or past the pages, no kind).
 * first: the term's first posting, whose page may be 0.
 */
static inline int S_next_posting(const unsigned char **q, const unsigned char *end, uint32_t ndocs,
				 uint64_t *doc, int first, struct posting *p)
{
	const unsigned char *c = *q;
	uint64_t v = 0, delta;
	int shift = 0, kind;

	for (;;) {
		if (c == end || shift > 63)
			return -1;
		v |= (uint64_t)(*c & 0x7F) << shift;
		if (!(*c++ & 0x80))
			break;
		shift += 7;
	}
	delta = v >> 2;
	kind = (int)(v & 3);
	if ((!first && delta == 0) || delta >= ndocs || (*doc += delta) >= ndocs || kind == 3 ||
	    (size_t)(end - c) < (size_t)(kind == 0   ? 0
					 : kind == 1 ? 1
						     : NFIELDS))
		return -1;
	p->doc = (uint32_t)*doc;
	memset(p->tf, 0, NFIELDS);
	if (kind == 0) {
		p->tf[F_BODY] = 1;
	} else if (kind == 1) {
		p->tf[F_BODY] = *c++;
	} else {
		memcpy(p->tf, c, NFIELDS);
		c += NFIELDS;
	}
	*q = c;
	return 0;
}

/*
 * Term e's postings and steps taken apart from the state's bytes (raw,
 * checked whole by S_check_job first), its frag list's copies dropped.
 * Any thread, one term at a time. The bytes are read where the state's
 * file is mapped (diskcache.h): what no longer holds here, another
 * program changed since the check, and the index fails
 * (search_build_incr); the term is left whole in itself meanwhile (its
 * frag list within its postings, its steps in 1..QLEVELS), as the steps
 * index tables (S_ranked).
 */
static void S_load(struct sterm *e, uint32_t ndocs)
{
	const unsigned char *q = e->raw;
	uint64_t doc = 0;
	size_t j;

	if (!e->raw)
		return;
	e->p = xmalloc((e->n ? e->n : 1) * sizeof(*e->p));
	e->cap = e->n;
	for (j = 0; j < e->n; j++)
		if (S_next_posting(&q, e->rawq, ndocs, &doc, j == 0, &e->p[j])) {
			atomic_store(&S_state_changed, 1);
			e->n = j;
			e->nfrag = 0;
			break;
		}
	e->qs = xmalloc(e->n ? e->n : 1);
	for (j = 0; j < e->n; j++) {
		e->qs[j] = e->rawq[j];
		if (e->qs[j] < 1 || e->qs[j] > QLEVELS) {
			atomic_store(&S_state_changed, 1);
			e->qs[j] = 1;
		}
	}
	free(e->fragp);
	free(e->fragq);
	free(e->skipdoc);
	free(e->skipoff);
	e->fragp = NULL;
	e->fragq = NULL;
	e->skipdoc = e->skipoff = NULL;
	e->nskip = 0;
	e->raw = e->rawq = NULL;
}

/*
 * Term e's postings and steps, not taken apart yet, checked whole (as
 * S_check_job does) and taken apart: 0, or -1 when they do not hold.
 */
static int S_load_checked(struct sterm *e, uint32_t ndocs)
{
	const unsigned char *q = e->raw;
	uint64_t doc = 0;
	struct posting p;
	size_t j;
	unsigned fields = 0;

	if (!e->raw)
		return 0;
	for (j = 0; j < e->n; j++) {
		if (S_next_posting(&q, e->rawq, ndocs, &doc, j == 0, &p))
			return -1;
		fields |= S_posting_fields(&p);
	}
	if (q != e->rawq || (fields & ~e->fields))
		return -1;
	for (j = 0; j < e->n; j++)
		if (e->rawq[j] < 1 || e->rawq[j] > QLEVELS)
			return -1;
	S_load(e, ndocs);
	return 0;
}

/*
 * A rebuild's check of the terms read from disk (S_check_job): the
 * pages that changed (their new terms, lengths and the averages now), or
 * none (every term taken apart); with the forward index, only the terms
 * a changed page had or has are read.
 */
struct check_job {
	struct search_index *ix;
	const double *avg;
	const uint32_t *changed; /* the changed pages (nch), NULL: take every term apart */
	size_t nch;
	const unsigned char *chmap; /* per page number: its index in changed + 1, 0 when not changed */
	const struct ptok *toks;    /* per changed page: its terms now */
	/* per term, or NULL (every term read): the changed pages (bit c: changed[c]) whose
	   forward list names it, and whether to read it (one of them has or had it) */
	const uint64_t *had;
	const unsigned char *cand;
	int all;          /* every term taken apart (changed or not) */
	unsigned drifted; /* and the terms with postings of these fields (their averages drifted) */
	atomic_size_t checked;
	atomic_int bad;
};

/*
 * Whether changed page c (page d, its terms now) reads the same in term e
 * as its posting before p (step q, listed in the frag list or not): the
 * same counts, step and nearness to an edge, so S_update_page would
 * change nothing of e.
 */
static int S_same_posting(const struct check_job *job, const struct sterm *e, size_t c,
			  const struct posting *p, unsigned char q, int listed)
{
	const struct pterm *pt = S_ptok_find(&job->toks[c], e->s, e->len, e->hash);
	double edge;

	if (!pt || memcmp(pt->tf, p->tf, NFIELDS) != 0)
		return 0;
	return S_step(job->ix, job->avg, p, &edge) == q && (edge < FRAG_EDGE) == listed;
}

/*
 * Page d's posting in term e, not taken apart, read from the nearest
 * place before it (S_encode_skips): 1 with its number in *j_out and it
 * in *p; 0 when e has none of page d; -1 when the bytes read do not hold.
 */
static int S_find_raw(const struct sterm *e, uint32_t ndocs, uint32_t d, size_t *j_out, struct posting *p)
{
	size_t lo = 0, hi = e->nskip, j = 0;
	const unsigned char *q = e->raw;
	uint64_t doc = 0;

	while (lo < hi) { /* the places whose page before is under d: [0, lo) */
		size_t mid = lo + (hi - lo) / 2;
		if (e->skipdoc[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo) {
		q = e->raw + e->skipoff[lo - 1];
		doc = e->skipdoc[lo - 1];
		j = lo * SKIP_POSTINGS;
	}
	for (; j < e->n; j++) {
		if (S_next_posting(&q, e->rawq, ndocs, &doc, j == 0, p))
			return -1;
		if (p->doc >= d) {
			*j_out = j;
			return p->doc == d;
		}
	}
	return 0;
}

/* Whether posting j of e is in its frag list. */
static int S_listed(const struct sterm *e, size_t j)
{
	size_t lo = 0, hi = e->nfrag;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->frag[mid] < j)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < e->nfrag && e->frag[lo] == j;
}

/*
 * S_check_job with the forward index: term e, which a changed page had
 * or has, read at the changed pages' postings alone (S_find_raw); taken
 * apart (its bytes checked whole) when one reads otherwise. A page its
 * forward list names that e does not hold, or the other way, is a state
 * that does not hold.
 */
static void S_check_cand(struct check_job *job, size_t i, struct sterm *e)
{
	uint32_t ndocs = (uint32_t)job->ix->ndocs;
	size_t c;
	int load = 0;

	atomic_fetch_add(&job->checked, 1);
	for (c = 0; !load && c < job->nch; c++) {
		struct posting p;
		size_t j = 0;
		int found = S_find_raw(e, ndocs, job->changed[c], &j, &p), named = (job->had[i] >> c) & 1;
		if (found < 0 || found != named)
			goto bad;
		if (found)
			load = !S_same_posting(job, e, c, &p, e->rawq[j], S_listed(e, j));
		else
			load = S_ptok_find(&job->toks[c], e->s, e->len, e->hash) != NULL;
	}
	if (load && S_load_checked(e, ndocs))
		goto bad;
	return;
bad:
	atomic_store(&job->bad, 1);
}

/*
 * Term i's postings and steps, not taken apart yet, checked: every page
 * after the one before and among the pages, every kind, the bytes ending
 * where its steps begin, every step 1..QLEVELS; the postings of its frag
 * list copied with their steps (S_frag_moved). Taken apart when a
 * changed page reads otherwise in it (S_same_posting; a page that has
 * the term now and had not, or the other way), or always; otherwise
 * nothing of it changes and S_update_page passes it by.
 */
static void S_check_job(size_t i, int worker, void *payload)
{
	struct check_job *job = payload;
	struct sterm *e = &job->ix->t.terms[i];
	uint32_t ndocs = (uint32_t)job->ix->ndocs;
	const unsigned char *q = e->raw;
	uint64_t doc = 0, seen = 0;
	size_t j, k = 0, c;
	unsigned fields = 0;
	/* postings of a drifted field: each one's step and nearness to an edge at the averages
	   now, as S_restep_fields makes them, read here (taken apart only when one moves) */
	int load = job->all, scan = !job->all && (job->drifted & e->fields);
	(void)worker;

	if (!e->raw)
		return;
	/* no changed page has or had it: nothing of it changes but its frag list's steps,
	   whose postings came with its bytes (S_decode_term) */
	if (job->cand && !scan) {
		if (job->cand[i])
			S_check_cand(job, i, e);
		return;
	}
	atomic_fetch_add(&job->checked, 1);
	for (j = 0; j < e->n; j++) {
		const unsigned char *at = q;
		uint64_t last = doc;
		int listed = k < e->nfrag && e->frag[k] == j;
		struct posting p;
		/* most postings are a one-byte page step and a body count of one: walked inline */
		if (!scan && q < e->rawq && *q < 0x80 && !(*q & 3) && (j == 0 || *q >= 4)) {
			if ((doc += *q++ >> 2) >= ndocs)
				goto bad;
			fields |= 1u << F_BODY;
		} else if (S_next_posting(&q, e->rawq, ndocs, &doc, j == 0, &p)) {
			goto bad;
		} else {
			int hit = S_has_fields(&p, job->drifted);
			double edge;
			fields |= S_posting_fields(&p);
			if (scan && !load && (hit || listed) &&
			    (S_step(job->ix, job->avg, &p, &edge) != e->rawq[j] ||
			     (hit && (edge < FRAG_EDGE) != listed)))
				load = 1;
		}
		if (listed || (job->chmap && job->chmap[doc])) {
			if (S_next_posting(&at, e->rawq, ndocs, &last, j == 0, &p)) /* read again, whole */
				goto bad; /* (read in place: changed since, by another program) */
			if (listed)
				e->fragp[k++] = p;
			if (job->chmap && job->chmap[p.doc]) {
				c = job->chmap[p.doc] - 1u;
				seen |= 1ull << c;
				if (!load)
					load = !S_same_posting(job, e, c, &p, e->rawq[j], listed);
			}
		}
	}
	/* (the fields its mask leaves out: a drift of them would have left it as it was) */
	if (q != e->rawq || (fields & ~e->fields))
		goto bad;
	for (j = 0; j < e->n; j++)
		if (e->rawq[j] < 1 || e->rawq[j] > QLEVELS)
			goto bad;
	for (k = 0; k < e->nfrag; k++)
		e->fragq[k] = e->rawq[e->frag[k]];
	/* the changed pages' forward lists name it where they hold it, or the state does not hold */
	if (job->had && seen != job->had[i])
		goto bad;
	/* a changed page it did not hold: it must not have the term now */
	for (c = 0; !load && c < job->nch; c++)
		if (!(seen & (1ull << c)) && S_ptok_find(&job->toks[c], e->s, e->len, e->hash))
			load = 1;
	if (load)
		S_load(e, ndocs);
	else if (scan)
		e->held = 1;
	return;
bad:
	atomic_store(&job->bad, 1);
}

/*
 * A state read from disk: every term's postings checked (S_check_job),
 * those a changed page (changed, nch of them: their terms toks, the
 * averages avg) reads otherwise taken apart, or every term (changed
 * NULL). 0, or -1 when a term's bytes do not hold (the index is built
 * again).
 */
static int S_load_terms(struct search_index *ix, const uint32_t *changed, size_t nch, const struct ptok *toks,
			const double *avg, const uint64_t *had, const unsigned char *cand, unsigned drifted)
{
	struct check_job job;
	unsigned char *chmap = NULL;
	size_t i;

	job.ix = ix;
	job.avg = avg;
	job.changed = changed;
	job.nch = nch;
	job.toks = toks;
	job.had = changed ? had : NULL;
	/* every field drifted: every posting is computed again (S_restep_job's all), so every
	   term is taken apart here */
	job.all = !changed || drifted == (1u << NFIELDS) - 1;
	job.cand = job.all ? NULL : cand;
	job.drifted = job.all ? 0 : drifted;
	atomic_init(&job.checked, 0);
	if (changed) {
		chmap = xcalloc(ix->ndocs ? ix->ndocs : 1, 1);
		for (i = 0; i < nch; i++)
			chmap[changed[i]] = (unsigned char)(i + 1);
	}
	job.chmap = chmap;
	atomic_init(&job.bad, 0);
	pool_run(ix->nthreads, ix->t.nterms, S_check_job, &job);
	free(chmap);
	if (ix->st)
		ix->st->checked += atomic_load(&job.checked);
	return atomic_load(&job.bad) || pool_cancelled() ? -1 : 0;
}

/*
 * Term i's bytes read (n and nfrag read already, bounded by them): its
 * frag list and their postings and steps, its places to start reading,
 * idf and record; its postings and steps, the rest, are left where they
 * are (raw) until S_load_terms reads them.
 */
static void S_decode_term(size_t i, int worker, void *payload)
{
	struct decode_job *job = payload;
	struct sterm *e = &job->ix->t.terms[i];
	struct state_reader r = { job->tb[i].p, job->tb[i].p + job->tb[i].n, 0 };
	const unsigned char *flag;
	uint64_t doc = 0, skip;
	size_t j;
	(void)worker;

	e->frag = xmalloc((e->nfrag ? e->nfrag : 1) * sizeof(*e->frag));
	e->fragcap = e->nfrag ? e->nfrag : 1;
	e->fragp = xmalloc((e->nfrag ? e->nfrag : 1) * sizeof(*e->fragp));
	e->fragq = xmalloc(e->nfrag ? e->nfrag : 1);
	for (j = 0; j < e->nfrag && !r.bad; j++) {
		uint64_t f = S_rvarint(&r) + (j ? e->frag[j - 1] + 1ull : 0);
		if (f >= e->n)
			r.bad = 1;
		e->frag[j] = (uint32_t)f;
	}
	for (j = 0; j < e->nfrag && !r.bad; j++)
		if (S_next_posting(&r.p, r.end, (uint32_t)job->ix->ndocs, &doc, j == 0, &e->fragp[j]))
			r.bad = 1;
	/* the places to start reading: one per SKIP_POSTINGS postings, pages and bytes ascending */
	if (S_rvarint(&r) != (e->n ? (e->n - 1) / SKIP_POSTINGS : 0))
		r.bad = 1;
	e->nskip = r.bad ? 0 : e->n ? (e->n - 1) / SKIP_POSTINGS : 0;
	e->skipdoc = xmalloc((e->nskip ? e->nskip : 1) * sizeof(*e->skipdoc));
	e->skipoff = xmalloc((e->nskip ? e->nskip : 1) * sizeof(*e->skipoff));
	for (j = 0, doc = 0, skip = 0; j < e->nskip && !r.bad; j++) {
		uint64_t dd = S_rvarint(&r), od = S_rvarint(&r);
		if ((j && (dd == 0 || od == 0)) || dd >= job->ix->ndocs || (doc += dd) >= job->ix->ndocs ||
		    od > UINT32_MAX || (skip += od) > UINT32_MAX)
			r.bad = 1;
		e->skipdoc[j] = (uint32_t)doc;
		e->skipoff[j] = (uint32_t)skip;
	}
	e->idf = (unsigned)S_rvarint(&r);
	if (e->idf < 1 || e->idf > 255)
		r.bad = 1;
	/* the term's record as the last write made it: S_update marks it stale when anything of it changes */
	flag = S_rtake(&r, 1);
	if (flag && *flag > 1)
		r.bad = 1;
	if (flag && *flag == 1) {
		uint64_t plen = S_rvarint(&r), tlen;
		const unsigned char *pre = S_rtake(&r, plen), *tail;
		tlen = S_rvarint(&r);
		/* not copied (6.7 MB at 10,000 pages, each rebuild): views of the state's bytes,
		   which outlive the index (S_state_forget); cap 0, so no buf_ call writes or
		   frees them, and no NUL after, so they are read by ptr and len alone, as
		   every reader of a record does (S_shard_bytes, S_tail_files, S_encode_term) */
		if (pre && (tail = S_rtake(&r, tlen))) {
			e->cpre.ptr = (char *)pre;
			e->cpre.len = (size_t)plen;
			e->cpre.cap = 0;
			e->ctail.ptr = (char *)tail;
			e->ctail.len = (size_t)tlen;
			e->ctail.cap = 0;
			e->cached = 1;
		}
	}
	/* the postings (a byte each at least), then their steps: the rest */
	if (!r.bad && (size_t)(r.end - r.p) >= 2 * (size_t)e->n) {
		e->raw = r.p;
		e->rawq = r.end - e->n;
		r.p = r.end;
	} else {
		r.bad = 1;
	}
	for (j = 0; j < e->nfrag && !r.bad; j++) {
		e->fragq[j] = e->rawq[e->frag[j]];
		if (e->fragq[j] < 1 || e->fragq[j] > QLEVELS)
			r.bad = 1;
	}
	/* each place within the postings' bytes, past the first posting */
	if (!r.bad && e->nskip &&
	    (e->skipoff[0] == 0 || e->skipoff[e->nskip - 1] >= (size_t)(e->rawq - e->raw)))
		r.bad = 1;
	if (r.bad || r.p != r.end)
		atomic_store(&job->bad, 1);
}

/*
 * The names of the last write's metadata and tail files (struct meta_sig,
 * tail_sig) into st: a file of the same pages' records, or of the same
 * terms' tails, none of them changed, keeps its name without its bytes
 * hashed (S_meta_hash, S_tail_same). 0, or -1.
 */
static int S_decode_sigs(struct state_reader *r, struct search_state *st)
{
	size_t k, j, n = S_rcount(r, 3), nterms = st->ix->t.nterms;
	const unsigned char *h;

	st->metasig = xcalloc(n ? n : 1, sizeof(*st->metasig));
	st->metacap = n ? n : 1;
	for (k = 0; k < n && !r->bad; k++) {
		struct meta_sig *m = &st->metasig[k];
		m->from = (size_t)S_rvarint(r);
		m->to = (size_t)S_rvarint(r);
		if (!(h = S_rtake(r, 8)) || m->from >= m->to || m->to > st->ix->ndocs)
			return -1;
		m->h = le_get(h, 8);
	}
	st->nmetasig = n;
	n = S_rcount(r, 9);
	st->tailsig = xcalloc(n ? n : 1, sizeof(*st->tailsig));
	st->tailcap = n ? n : 1;
	st->ntailsig = n;
	for (k = 0; k < n && !r->bad; k++) {
		struct tail_sig *t = &st->tailsig[k];
		if (!(h = S_rtake(r, 8)))
			return -1;
		t->h = le_get(h, 8);
		t->n = S_rcount(r, 1);
		t->cap = t->n ? t->n : 1;
		t->terms = xmalloc(t->cap * sizeof(*t->terms));
		for (j = 0; j < t->n; j++) {
			uint64_t v = S_rvarint(r);
			if (v >= nterms)
				return -1;
			t->terms[j] = (uint32_t)v;
		}
	}
	return r->bad ? -1 : 0;
}

/*
 * The last write's shards (S_encode_zsigs) into st, ascending by digest
 * as written: 0, or -1. A name that is not the file's (a state that lies)
 * keeps a file of other bytes only when the output holds that name, which
 * the build that saved the state wrote from its bytes.
 */
static int S_decode_zsigs(struct state_reader *r, struct search_state *st)
{
	size_t k, n = S_rcount(r, 25);
	const unsigned char *c;

	st->zsig = xcalloc(n ? n : 1, sizeof(*st->zsig));
	for (k = 0; k < n && !r->bad; k++) {
		struct zsig *z = &st->zsig[k];
		if (!(c = S_rtake(r, 24)))
			return -1;
		z->raw[0] = le_get(c, 8);
		z->raw[1] = le_get(c + 8, 8);
		z->h = le_get(c + 16, 8);
		z->size = S_rvarint(r);
		if (k && S_zsig_cmp(&st->zsig[k - 1], z) >= 0)
			return -1;
	}
	st->nzsig = n;
	return r->bad ? -1 : 0;
}

/*
 * The last write's words in order (S_encode_worder) into st, each a word
 * of the state (its terms read), ascending by name: 0, or -1. An order
 * that leaves out some word is an order still (S_sort_kept sorts it in).
 */
static int S_decode_worder(struct state_reader *r, struct search_state *st)
{
	const struct termtab *t = &st->ix->t;
	size_t k, n = S_rcount(r, 1);

	if (n > t->nterms)
		return -1;
	st->worder = xmalloc((n ? n : 1) * sizeof(*st->worder));
	for (k = 0; k < n && !r->bad; k++) {
		uint64_t v = S_rvarint(r);
		const struct sterm *e = &t->terms[v < t->nterms ? v : 0],
				   *prev = &t->terms[k ? st->worder[k - 1] : 0];
		if (v >= t->nterms || (k && S_str_cmp(prev->s, prev->len, e->s, e->len) >= 0))
			return -1;
		st->worder[k] = (uint32_t)v;
	}
	st->nworder = n;
	return r->bad ? -1 : 0;
}

/* Block b of pages (part p of parts) into st and ix: pages [from, to). 0, or -1. */
static int S_decode_page_block(const struct diskcache_parts *parts, size_t p, struct search_state *st,
			       size_t from, size_t to, int meta)
{
	struct state_reader r = { (const unsigned char *)parts->bytes.ptr + parts->v[p].off,
				  (const unsigned char *)parts->bytes.ptr + parts->v[p].off + parts->v[p].len,
				  0 };
	struct search_index *ix = st->ix;
	size_t d;
	int f;

	for (d = from; d < to && !r.bad; d++) {
		size_t len = S_rcount(&r, 1);
		const unsigned char *q = S_rtake(&r, len);
		if (!q || len == 0 || memchr(q, 0, len))
			return -1;
		st->paths[d] = xstrndup((const char *)q, len); /* (a page twice: S_update) */
		if (S_rvarint(&r) != 16 || !(q = S_rtake(&r, 16)))
			return -1;
		buf_put(&st->what[d], q, 16);
		for (f = 0; f < NFIELDS; f++) {
			uint64_t v = S_rvarint(&r);
			if (v > UINT32_MAX)
				return -1;
			ix->flen[d][f] = (uint32_t)v;
		}
		if (meta) {
			len = S_rcount(&r, 1);
			if (!(q = S_rtake(&r, len)))
				return -1;
			st->meta_at[d] = q;
			st->meta_off[d + 1] = st->meta_off[d] + len;
		} else {
			st->meta_off[d + 1] = st->meta_off[d];
		}
	}
	return r.bad || r.p != r.end ? -1 : 0;
}

/* The pages (ndocs, in blocks of per) from parts 1 .. into st and ix: 0, or -1. */
static int S_decode_pages(const struct diskcache_parts *parts, struct search_state *st, size_t ndocs,
			  size_t per, int meta)
{
	struct search_index *ix = st->ix;
	size_t d, b, nb = (ndocs + per - 1) / per;
	int rc = 0;

	ix->ndocs = ndocs;
	ix->flen = xcalloc(ndocs ? ndocs : 1, sizeof(*ix->flen));
	st->paths = xcalloc(ndocs ? ndocs : 1, sizeof(*st->paths));
	st->what = xcalloc(ndocs ? ndocs : 1, sizeof(*st->what));
	st->light = xcalloc(ndocs ? ndocs : 1, sizeof(*st->light));
	st->serial = xcalloc(ndocs ? ndocs : 1, sizeof(*st->serial));
	st->meta_off = xcalloc(ndocs + 1, sizeof(*st->meta_off));
	st->meta_at = xcalloc(ndocs ? ndocs : 1, sizeof(*st->meta_at));
	st->meta_docs = ndocs;
	for (d = 0; d < ndocs; d++) {
		buf_init(&st->what[d]);
		buf_init(&st->light[d]);
	}
	for (b = 0; b < nb && rc == 0; b++)
		rc = S_decode_page_block(parts, 1 + b, st, b * per, b + 1 < nb ? (b + 1) * per : ndocs, meta);
	if (!meta) { /* none kept */
		free(st->meta_off);
		free(st->meta_at);
		st->meta_off = NULL;
		st->meta_at = NULL;
		st->meta_docs = 0;
	}
	st->pblock_parts = nb;
	return rc;
}

/*
 * The words' blocks (nb[b] words each, parts first ..) into ix, their
 * postings on the pool: 0, or -1. Each term's bytes are taken apart by
 * S_decode_term.
 */
static int S_decode_terms(const struct diskcache_parts *parts, size_t first, const size_t *nb, size_t nblocks,
			  size_t nwords, struct search_index *ix, int nthreads)
{
	struct decode_job job;
	struct term_bytes *tb = xcalloc(nwords ? nwords : 1, sizeof(*tb));
	size_t b, k, i = 0;
	int rc = -1;

	job.ix = ix;
	job.tb = tb;
	atomic_init(&job.bad, 0);
	/* the table at its size at once, no growing (up to TERMS_AT_ONCE words: the count
	   is the state's word, its room not taken before the words are there), with room for
	   the tag filters (S_retag) and an edit's new words: grown by doubling, the table
	   (264 bytes a term) took 9 MB of fresh memory at 10,000 pages for 4.5 of terms */
	if (nwords) {
		size_t want = nwords < TERMS_AT_ONCE ? nwords : TERMS_AT_ONCE, ns = 1024;
		want += TAG_FACETS + want / 32 + 256;
		while (ns < 2 * (want + 1))
			ns *= 2;
		ix->t.terms = xrealloc(ix->t.terms, want * sizeof(*ix->t.terms));
		ix->t.cap = want;
		S_termtab_slots(&ix->t, ns);
	}
	for (b = 0; b < nblocks; b++) {
		const struct diskcache_part *pt = &parts->v[first + b];
		struct state_reader r = { (const unsigned char *)parts->bytes.ptr + pt->off,
					  (const unsigned char *)parts->bytes.ptr + pt->off + pt->len, 0 };
		for (k = 0; k < nb[b]; k++, i++) {
			const unsigned char *start = r.p, *f;
			size_t len = S_rcount(&r, 1), nfrag, np;
			const unsigned char *s = S_rtake(&r, len);
			struct sterm *e;
			if (!s || len == 0 || i >= nwords)
				goto done;
			e = S_intern(&ix->t, (const char *)s, len, 0, S_term_hash((const char *)s, len));
			if (ix->t.nterms != i + 1) /* a term twice */
				goto done;
			np = (size_t)S_rvarint(&r);
			nfrag = (size_t)S_rvarint(&r);
			if (!(f = S_rtake(&r, 1)) || *f >= 1u << NFIELDS)
				goto done;
			e->fields = *f;
			tb[i].n = S_rcount(&r, 1);
			tb[i].p = S_rtake(&r, tb[i].n);
			/* each posting takes two bytes at least (its page, its step), each frag entry one */
			if (!tb[i].p || np > tb[i].n / 2 || nfrag > np || nfrag > tb[i].n - 2 * np)
				goto done;
			e->n = np;
			e->nfrag = nfrag;
			e->whole = start;
			e->wholen = (size_t)(r.p - start);
			ix->npostings += np;
		}
		if (r.bad || r.p != r.end)
			goto done;
	}
	if (i != nwords)
		goto done;
	pool_run(nthreads, nwords, S_decode_term, &job);
	rc = atomic_load(&job.bad) || pool_cancelled() ? -1 : 0;
done:
	free(tb);
	return rc;
}

/* The bytes of parts [first, first + n). */
static size_t S_parts_bytes(const struct diskcache_parts *parts, size_t first, size_t n)
{
	size_t i, sum = 0;
	for (i = first; i < first + n && i < parts->n; i++)
		sum += parts->v[i].len;
	return sum;
}

int search_state_decode(struct incr *in, struct diskcache_parts *parts, int nthreads)
{
	struct state_reader r;
	struct search_state *st;
	struct search_index *ix;
	const unsigned char *c;
	size_t ndocs, per, nwords, nblocks, npb, b, sum = 0, *nb = NULL;
	int f, meta;

	if (!parts->n || parts->v[0].lazy)
		return -1;
	r.p = (const unsigned char *)parts->bytes.ptr + parts->v[0].off;
	r.end = r.p + parts->v[0].len;
	r.bad = 0;
	st = xcalloc(1, sizeof(*st));
	ix = xcalloc(1, sizeof(*ix));
	buf_init(&st->meta);
	buf_init(&st->bytes);
	buf_init(&st->tags.raw);
	memcpy(st->key, in->key, sizeof(st->key));
	st->digested = 1;
	st->ix = ix;
	ix->st = st;
	ix->nthreads = nthreads;
	/* the head: the pages' and the words' blocks, counted against the parts */
	ndocs = (size_t)S_rvarint(&r);
	per = (size_t)S_rvarint(&r);
	if (r.bad || per == 0 || per > UINT32_MAX || ndocs >= UINT32_MAX)
		goto fail;
	npb = (ndocs + per - 1) / per;
	/* each page takes 23 bytes at least (a path, its what, its lengths); its block's forward list */
	if (2 * npb > parts->n - 1 || ndocs > S_parts_bytes(parts, 1, npb) / 23)
		goto fail;
	for (f = 0; f < NFIELDS; f++) {
		uint64_t u;
		if (!(c = S_rtake(&r, 8)))
			goto fail;
		u = le_get(c, 8);
		memcpy(&st->avg_ref[f], &u, sizeof(u));
		if (!isfinite(st->avg_ref[f]) || st->avg_ref[f] < 0)
			goto fail;
	}
	if (!(c = S_rtake(&r, 16)))
		goto fail;
	st->conf[0] = le_get(c, 8);
	st->conf[1] = le_get(c + 8, 8);
	if (!(c = S_rtake(&r, 1)) || *c > 1)
		goto fail;
	meta = *c;
	nwords = (size_t)S_rvarint(&r);
	nblocks = S_rcount(&r, 1);
	/* and each word 5 (its name, counts, idf and record's flag) */
	if (r.bad || nblocks != parts->n - 1 - 2 * npb || nwords > S_parts_bytes(parts, 1 + npb, nblocks) / 5)
		goto fail;
	/* the head, pages and words read, the forward lists left to be fetched */
	for (b = 0; b < parts->n; b++)
		if (parts->v[b].lazy != (b >= 1 + npb + nblocks))
			goto fail;
	nb = xmalloc((nblocks ? nblocks : 1) * sizeof(*nb));
	for (b = 0; b < nblocks; b++) {
		uint64_t v = S_rvarint(&r);
		if (v == 0 || v > nwords - sum)
			goto fail;
		nb[b] = (size_t)v;
		sum += nb[b];
	}
	if (r.bad || sum != nwords)
		goto fail;
	if (S_decode_pages(parts, st, ndocs, per, meta) ||
	    S_decode_terms(parts, 1 + npb, nb, nblocks, nwords, ix, nthreads) || S_decode_sigs(&r, st) ||
	    S_decode_zsigs(&r, st) || S_decode_worder(&r, st) || r.p != r.end)
		goto fail;
	memcpy(ix->avg, st->avg_ref, sizeof(ix->avg));
	st->bytes = parts->bytes; /* the terms' postings are read there (S_load) */
	buf_init(&parts->bytes);
	/* the blocks as read, for the save: unchanged ones stand as their parts */
	st->tblock_n = nb;
	st->tblock_part = xmalloc((nblocks ? nblocks : 1) * sizeof(*st->tblock_part));
	for (b = 0; b < nblocks; b++)
		st->tblock_part[b] = 1 + npb + b;
	st->ntblocks = nblocks;
	st->tblock_words = nwords;
	/* the forward index, one lazy part per block of pages, fetched when a page of it changes */
	st->parts = parts;
	st->fwd_per = per;
	st->fwd_words = nwords;
	st->fwd = xcalloc(ndocs ? ndocs : 1, sizeof(*st->fwd));
	st->nfwd = xcalloc(ndocs ? ndocs : 1, sizeof(*st->nfwd));
	if (per == PBLOCK_PAGES) { /* (the save's blocks) */
		st->nfwd_part = npb;
		st->fwd_part = xmalloc((npb ? npb : 1) * sizeof(*st->fwd_part));
		st->fwd_fetched = xcalloc(npb ? npb : 1, 1);
		for (b = 0; b < npb; b++)
			st->fwd_part[b] = 1 + npb + nblocks + b;
	}
	S_state_free(in->search);
	in->search = st;
	in->search_free = S_state_free;
	return 0;
fail:
	/* the whats, paths and postings made so far go with it (S_state_forget reads ix's pages) */
	free(nb);
	S_state_free(st);
	return -1;
}
