/*
 * search: the inverted index behind the portal's search box. Pages are
 * tokenized on the worker pool (tokenize.h: words, CJK characters and
 * pairs), a batch at a time, and merged in page order into one term table,
 * so the output is the same at any -j. Each (term, page) is scored in
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
 *   index.json   the manifest: languages, types, the runs, each shard's
 *                first term and file name, the tags, the metadata groups
 *                and tail files. The one file without a content hash.
 *   t-HASH.bin   a term shard: a run of the sorted terms, each with its
 *                head (its best HEAD_POSTINGS pages) and where its tail is.
 *   g-HASH.bin   the tag shard: a pseudo-term per tag (the most used
 *                TAG_FACETS), whose pages are the pages with that tag.
 *   m-HASH.bin   a metadata group: [url, title, date, summary] of a run
 *                of page numbers, as JSON.
 *   x-HASH.bin   tail files: the rest of long postings lists, in term
 *                order, read by HTTP byte range (the client reads them
 *                when they are small, or when the reader asks for all).
 *
 * Shards, tag shard and groups are zlib streams (the browser's
 * DecompressionStream("deflate") reads them); tails are not, so byte ranges
 * stay meaningful. Integers are LEB128 varints. A shard is: the number of
 * terms, then per term: bytes shared with the previous term, the length and
 * bytes of the rest, df (pages with the term), idf (16 * idf, 0 for tags),
 * n (pages in the head), the head's byte length, the head, and when n < df
 * the tail's file, offset and length. Postings (head or tail) are runs:
 * step, count, then count page numbers, ascending, the first as is and each
 * next as the difference. A step q in 1..QLEVELS stands for the weighted
 * frequency QRANGE^(q/QLEVELS - 1) (the manifest's "steps").
 *
 * File count: at most max(64, pages / 50). Shard and group sizes are
 * chosen from the index's size, so a query's download stays about the same
 * as the site grows; only the manifest's list of files gets longer.
 */
#include "search.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "diag.h"
#include "escape.h"
#include "pool.h"
#include "tokenize.h"
#include "types.h"
#include "util.h"
#include "yaml.h"

#define HEAD_POSTINGS 128        /* pages per term in its shard; the rest is the tail */
#define TAG_FACETS 50            /* tags offered as filters: the most used */
#define BATCH_PAGES 512          /* pages tokenized per pool run, to bound memory */
#define SHARD_BYTES (8 * 1024)   /* the smallest shard worth a request (compressed) */
#define GROUP_BYTES (4 * 1024)   /* the smallest metadata group worth one */
#define TAIL_BYTES (1024 * 1024) /* aim for bytes per tail file */
#define BM25_K1 1.2
#define QLEVELS 63        /* steps of a posting's weighted frequency, */
#define QRANGE 256.0      /* spread evenly on a log scale over [1/QRANGE, 1] */
#define SNIPPET_CHARS 160 /* of the summary, kept for the result list */

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

struct pterm {
	uint32_t off, len, hash;
	uint8_t tf[NFIELDS]; /* occurrences per field, saturating */
};

struct ptok {
	struct buf strs; /* the terms' bytes */
	struct pterm *v;
	size_t n, cap;
	uint32_t *slots; /* open addressing over v: index + 1, 0 empty */
	size_t nslots;
	uint32_t len[NFIELDS]; /* tokens per field */
	int field;             /* the field being read */
};

static void S_ptok_grow(struct ptok *t)
{
	size_t i, ns = array_grow_cap(t->nslots, 256, sizeof(*t->slots));
	uint32_t *slots = xcalloc(ns, sizeof(*slots));
	for (i = 0; i < t->n; i++) {
		size_t j = t->v[i].hash & (ns - 1);
		while (slots[j])
			j = (j + 1) & (ns - 1);
		slots[j] = (uint32_t)i + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = ns;
}

static void S_ptok_add(const char *term, size_t n, void *payload)
{
	struct ptok *t = payload;
	uint32_t h = S_term_hash(term, n);
	size_t j;
	struct pterm *e;

	if (t->len[t->field] < UINT32_MAX)
		t->len[t->field]++;
	if (2 * (t->n + 1) > t->nslots)
		S_ptok_grow(t);
	for (j = h & (t->nslots - 1); t->slots[j]; j = (j + 1) & (t->nslots - 1)) {
		e = &t->v[t->slots[j] - 1];
		if (e->hash == h && e->len == n && memcmp(t->strs.ptr + e->off, term, n) == 0) {
			if (e->tf[t->field] < UINT8_MAX)
				e->tf[t->field]++;
			return;
		}
	}
	ARRAY_GROW(t->v, t->n, t->cap, 256);
	e = &t->v[t->n];
	memset(e, 0, sizeof(*e));
	e->off = (uint32_t)t->strs.len;
	e->len = (uint32_t)n;
	e->hash = h;
	e->tf[t->field] = 1;
	buf_put(&t->strs, term, n);
	t->slots[j] = (uint32_t)++t->n;
}

static void S_ptok_field(struct ptok *t, int field, const char *s, size_t n)
{
	t->field = field;
	if (s && n)
		tokenize(s, n, S_ptok_add, t);
}

static void S_ptok_release(struct ptok *t)
{
	buf_release(&t->strs);
	free(t->v);
	free(t->slots);
	memset(t, 0, sizeof(*t));
	buf_init(&t->strs);
}

/*
 * The body field: the Markdown text, an explicit summary: (which is not
 * in the text), and the page's one-line and text fields (a case's company,
 * a person's bio, an event's venue written as text), so that what a page
 * says about itself can be found.
 */
static void S_body_fields(struct ptok *t, const struct page *pg)
{
	const struct ynode *sum = ynode_get(pg->front, "summary");
	size_t k;

	if (pg->text)
		S_ptok_field(t, F_BODY, pg->text, strlen(pg->text));
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

static void S_tokenize_page(struct ptok *t, const struct page *pg)
{
	size_t k;
	S_ptok_field(t, F_TITLE, pg->title, strlen(pg->title));
	for (k = 0; k < pg->nterms; k++)
		S_ptok_field(t, F_TAGS, pg->terms[k]->name, strlen(pg->terms[k]->name));
	if (pg->headings)
		S_ptok_field(t, F_HEADINGS, pg->headings, strlen(pg->headings));
	S_body_fields(t, pg);
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
	int tag; /* a tag filter's pseudo-term (s is the tag's slug) */
	const char *tag_name;
	unsigned idf;      /* the term's rarity, 16 * idf, 1..255 (0 for tags) */
	unsigned char *qs; /* per posting: its saturated frequency, 1..QLEVELS */
};

struct search_index {
	const struct site *site;
	const struct page **docs; /* by page number */
	size_t ndocs;
	uint32_t (*flen)[NFIELDS]; /* tokens per field, per page */
	struct sterm *terms;
	size_t nterms, cap;
	uint32_t *slots; /* open addressing over terms: index + 1 */
	size_t nslots;
	size_t npostings;
	struct arena arena;
	const char **types; /* type names in page-number order of first use; "page" for none */
	size_t ntypes;
};

/*
 * The index's entry of term s (n bytes), a tag's pseudo-term when tag;
 * hash is S_term_hash(s, n), which a page's terms carry already.
 */
static struct sterm *S_intern(struct search_index *ix, const char *s, size_t n, int tag, uint32_t hash)
{
	uint32_t h = hash ^ (tag ? 0x9e3779b9u : 0);
	size_t j;
	struct sterm *e;

	if (2 * (ix->nterms + 1) > ix->nslots) {
		size_t i, ns = array_grow_cap(ix->nslots, 4096, sizeof(*ix->slots));
		uint32_t *slots = xcalloc(ns, sizeof(*slots));
		for (i = 0; i < ix->nterms; i++) {
			size_t k = ix->terms[i].hash & (ns - 1);
			while (slots[k])
				k = (k + 1) & (ns - 1);
			slots[k] = (uint32_t)i + 1;
		}
		free(ix->slots);
		ix->slots = slots;
		ix->nslots = ns;
	}
	for (j = h & (ix->nslots - 1); ix->slots[j]; j = (j + 1) & (ix->nslots - 1)) {
		e = &ix->terms[ix->slots[j] - 1];
		if (e->hash == h && e->len == n && e->tag == tag && memcmp(e->s, s, n) == 0)
			return e;
	}
	ARRAY_GROW(ix->terms, ix->nterms, ix->cap, 4096);
	e = &ix->terms[ix->nterms];
	memset(e, 0, sizeof(*e));
	e->s = arena_strndup(&ix->arena, s, n);
	e->len = (uint32_t)n;
	e->hash = h;
	e->tag = tag;
	ix->slots[j] = (uint32_t)++ix->nterms;
	return e;
}

static struct posting *S_add_posting(struct sterm *e, uint32_t doc)
{
	struct posting *p;
	ARRAY_GROW(e->p, e->n, e->cap, 4);
	p = &e->p[e->n++];
	memset(p, 0, sizeof(*p));
	p->doc = doc;
	return p;
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

static int S_doc_cmp(const void *a, const void *b)
{
	const struct page *x = *(const struct page *const *)a, *y = *(const struct page *const *)b;
	int ya = S_year(x), yb = S_year(y);
	if (x->lang != y->lang)
		return x->lang < y->lang ? -1 : 1;
	if (S_type_rank(x) != S_type_rank(y))
		return S_type_rank(x) < S_type_rank(y) ? -1 : 1;
	if (x->type != y->type) /* equal ranks: site.yaml types keep their order by name */
		return strcmp(x->type ? x->type->name : "", y->type ? y->type->name : "");
	if (ya != yb)
		return ya > yb ? -1 : 1;
	if (x->date != y->date)
		return x->date > y->date ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* --- building ------------------------------------------------------------ */

struct tok_job {
	const struct search_index *ix;
	size_t base;
	struct ptok *out;
};

static void S_tok_job(size_t i, int worker, void *payload)
{
	struct tok_job *job = payload;
	(void)worker;
	S_tokenize_page(&job->out[i], job->ix->docs[job->base + i]);
}

/* Adds one tokenized page's terms to the index, in the page's term order. */
static void S_merge(struct search_index *ix, uint32_t doc, const struct ptok *t)
{
	size_t i;
	for (i = 0; i < t->n; i++) {
		const struct pterm *pt = &t->v[i];
		struct sterm *e = S_intern(ix, t->strs.ptr + pt->off, pt->len, 0, pt->hash);
		memcpy(S_add_posting(e, doc)->tf, pt->tf, NFIELDS);
	}
	memcpy(ix->flen[doc], t->len, sizeof(t->len));
	ix->npostings += t->n;
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
	size_t i, k, n = 0;
	uint32_t d;

	for (i = 0; i < site->nterms; i++) {
		const struct term *t = &site->terms[i];
		if (strcmp(t->taxonomy, "tags") != 0)
			continue;
		for (k = 0; k < n && strcmp(tc[k].term->slug, t->slug) != 0; k++)
			;
		if (k == n)
			tc[n++].term = t;
		tc[k].n += t->n;
	}
	qsort(tc, n, sizeof(*tc), S_tag_count_cmp);
	if (n > TAG_FACETS)
		n = TAG_FACETS;
	for (k = 0; k < n; k++)
		S_intern(ix, tc[k].term->slug, strlen(tc[k].term->slug), 1,
			 S_term_hash(tc[k].term->slug, strlen(tc[k].term->slug)))
			->tag_name = tc[k].term->name;
	/* Pages in number order, so each tag's postings come out sorted. */
	for (d = 0; d < ix->ndocs; d++) {
		const struct page *pg = ix->docs[d];
		for (i = 0; i < pg->nterms; i++) {
			const struct term *t = pg->terms[i];
			for (k = 0; k < n; k++)
				if (strcmp(t->taxonomy, "tags") == 0 &&
				    strcmp(tc[k].term->slug, t->slug) == 0)
					break;
			if (k < n) {
				struct sterm *e = S_intern(ix, t->slug, strlen(t->slug), 1,
							   S_term_hash(t->slug, strlen(t->slug)));
				if (!e->n || e->p[e->n - 1].doc != d)
					S_add_posting(e, d);
			}
		}
	}
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
		double norm = avg[f] > 0 ? 1 - S_b[f] + S_b[f] * ix->flen[p->doc][f] / avg[f] : 1;
		double tf = p->tf[f] / norm;
		sum += S_weight[f] * tf / (BM25_K1 + tf);
		wsum += S_weight[f];
	}
	return sum / wsum;
}

static void S_rank(struct search_index *ix)
{
	double avg[NFIELDS] = { 0 }, have[NFIELDS] = { 0 };
	size_t i, j, d;
	int f;

	/* A field's average length over the pages that have it: few pages have tags. */
	for (d = 0; d < ix->ndocs; d++)
		for (f = 0; f < NFIELDS; f++) {
			avg[f] += ix->flen[d][f];
			have[f] += ix->flen[d][f] > 0;
		}
	for (f = 0; f < NFIELDS; f++)
		avg[f] = have[f] > 0 ? avg[f] / have[f] : 0;
	for (i = 0; i < ix->nterms; i++) {
		struct sterm *e = &ix->terms[i];
		double df = (double)e->n, idf = log(1 + ((double)ix->ndocs - df + 0.5) / (df + 0.5));
		long q = lround(16 * idf);
		e->idf = e->tag ? 0 : q < 1 ? 1 : q > 255 ? 255 : (unsigned)q;
		e->qs = xmalloc(e->n ? e->n : 1);
		for (j = 0; j < e->n; j++) {
			double t = e->tag ? 1
					  : lround(QLEVELS *
						   (1 + log(S_weighted(ix, avg, &e->p[j])) / log(QRANGE)));
			e->qs[j] = (unsigned char)(t < 1 ? 1 : t > QLEVELS ? QLEVELS : t);
		}
	}
}

struct search_index *search_index_new(const struct site *site, int nthreads)
{
	struct search_index *ix = xcalloc(1, sizeof(*ix));
	struct ptok *batch;
	size_t i, base;

	ix->site = site;
	ix->docs = xcalloc(site->npages ? site->npages : 1, sizeof(*ix->docs));
	for (i = 0; i < site->npages; i++)
		if (!site->pages[i].failed && !site->pages[i].draft && !site->pages[i].expired)
			ix->docs[ix->ndocs++] = &site->pages[i];
	qsort(ix->docs, ix->ndocs, sizeof(*ix->docs), S_doc_cmp);
	ix->flen = xcalloc(ix->ndocs ? ix->ndocs : 1, sizeof(*ix->flen));

	batch = xcalloc(BATCH_PAGES, sizeof(*batch));
	for (i = 0; i < BATCH_PAGES; i++)
		buf_init(&batch[i].strs);
	for (base = 0; base < ix->ndocs; base += BATCH_PAGES) {
		size_t n = ix->ndocs - base < BATCH_PAGES ? ix->ndocs - base : BATCH_PAGES;
		struct tok_job job = { ix, base, batch };
		pool_run(nthreads, n, S_tok_job, &job);
		for (i = 0; i < n; i++) {
			S_merge(ix, (uint32_t)(base + i), &batch[i]);
			S_ptok_release(&batch[i]);
		}
	}
	free(batch);
	S_tags(ix);
	S_rank(ix);
	return ix;
}

/* --- postings order ------------------------------------------------------ */

struct ranked {
	uint32_t doc;
	unsigned char q;
};

/*
 * e's postings best first: frequency step down, then page number up. The
 * postings are in page order already, so one counting pass sorts them.
 * Caller frees.
 */
static struct ranked *S_ranked(const struct sterm *e)
{
	struct ranked *r = xmalloc((e->n ? e->n : 1) * sizeof(*r));
	size_t start[QLEVELS + 2] = { 0 }, j;
	int q;

	for (j = 0; j < e->n; j++)
		start[QLEVELS - e->qs[j] + 1]++;
	for (q = 1; q <= QLEVELS + 1; q++)
		start[q] += start[q - 1];
	for (j = 0; j < e->n; j++) {
		size_t at = start[QLEVELS - e->qs[j]]++;
		r[at].doc = e->p[j].doc;
		r[at].q = e->qs[j];
	}
	return r;
}

size_t search_index_postings(const struct search_index *ix, const char *term, const struct page **docs_out,
			     int *impacts_out, size_t max)
{
	size_t i, j, n = strlen(term);
	for (i = 0; i < ix->nterms; i++) {
		const struct sterm *e = &ix->terms[i];
		if (!e->tag && e->len == n && memcmp(e->s, term, n) == 0) {
			struct ranked *r = S_ranked(e);
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

/* A term's record, less the front-coded name (which depends on the shard). */
struct record {
	const struct sterm *e;
	struct buf body; /* df, n, head length, head, tail position */
	struct buf tail; /* the tail's postings, moved to a tail file */
	size_t tail_file, tail_off;
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
static void S_emit(struct writer *w, const char *prefix, const void *data, size_t len, int deflate)
{
	unsigned char *z = NULL;
	const void *p = data;
	size_t n = len;
	char name[64], path[80];

	if (deflate) {
		uLongf zn = compressBound((uLong)len);
		z = xmalloc(zn);
		if (compress2(z, &zn, data, (uLong)len, 9) != Z_OK) {
			diag_error(NULL, 0, 0, "search: cannot compress %s file", prefix);
			w->failed = 1;
		}
		p = z;
		n = zn;
	}
	snprintf(name, sizeof(name), "%s-%016llx.bin", prefix, (unsigned long long)S_hash64(p, n));
	snprintf(path, sizeof(path), "search/%s", name);
	if (output_write(w->out, path, p, n))
		w->failed = 1;
	w->stats->files++;
	w->stats->bytes += n;
	buf_printf(&w->manifest, "\"%s\"", name);
	free(z);
}

static void S_json_str(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	escape_json(b, s, strlen(s));
	buf_putc(b, '"');
}

/*
 * Builds each term's record. Tails are laid out in term order across tail
 * files from number first on, a new file when one passes tail_target.
 * Returns the number of the file after the last one used.
 */
static size_t S_records(struct record *rec, struct sterm **sorted, size_t n, size_t tail_target, size_t first)
{
	size_t i, file = first, off = 0;
	for (i = 0; i < n; i++) {
		const struct sterm *e = sorted[i];
		struct ranked *r = S_ranked(e);
		size_t head = e->n < HEAD_POSTINGS ? e->n : HEAD_POSTINGS;
		struct buf hb = BUF_INIT;

		rec[i].e = e;
		S_encode_postings(&hb, r, head);
		S_varint(&rec[i].body, e->n);
		S_varint(&rec[i].body, e->idf);
		S_varint(&rec[i].body, head);
		S_varint(&rec[i].body, hb.len);
		buf_put(&rec[i].body, hb.ptr, hb.len);
		if (head < e->n) {
			S_encode_postings(&rec[i].tail, r + head, e->n - head);
			if (off > 0 && off + rec[i].tail.len > tail_target) {
				file++;
				off = 0;
			}
			rec[i].tail_file = file;
			rec[i].tail_off = off;
			off += rec[i].tail.len;
			S_varint(&rec[i].body, file);
			S_varint(&rec[i].body, rec[i].tail_off);
			S_varint(&rec[i].body, rec[i].tail.len);
		}
		buf_release(&hb);
		free(r);
	}
	return off > 0 ? file + 1 : file;
}

/* One shard: records [from, to), names front-coded. */
static void S_shard(struct writer *w, const char *prefix, struct record *rec, size_t from, size_t to)
{
	struct buf b = BUF_INIT;
	size_t i;
	S_varint(&b, to - from);
	for (i = from; i < to; i++) {
		const struct sterm *e = rec[i].e, *p = i > from ? rec[i - 1].e : NULL;
		size_t shared = 0;
		while (p && shared < p->len && shared < e->len && p->s[shared] == e->s[shared])
			shared++;
		S_varint(&b, shared);
		S_varint(&b, e->len - shared);
		buf_put(&b, e->s + shared, e->len - shared);
		buf_put(&b, rec[i].body.ptr, rec[i].body.len);
	}
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
	buf_puts(&w->manifest, ",\"runs\":[");
	while (d < ix->ndocs) {
		const struct page *pg = ix->docs[d];
		const char *type = pg->type ? pg->type->name : "page";
		size_t e = d;
		while (e < ix->ndocs && ix->docs[e]->lang == pg->lang && ix->docs[e]->type == pg->type &&
		       S_year(ix->docs[e]) == S_year(pg))
			e++;
		for (t = 0; t < ix->ntypes && strcmp(ix->types[t], type) != 0; t++)
			;
		if (t == ix->ntypes)
			ix->types[ix->ntypes++] = type;
		buf_printf(&w->manifest, "%s[%zu,%zu,%d,%zu]", first ? "" : ",",
			   S_lang_index(pg, ix->site->cfg), t, S_year(pg), e - d);
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
 * How many shards and metadata groups: as many as keeps each near its
 * smallest useful size (a request costs too), and when that is more than
 * the room left under max(64, pages/50) files, the room split so that a
 * typical query (two shards, five groups) downloads least. Sizes are
 * guessed compressed: term records deflate to about 3/4, JSON to 1/3.
 */
static void S_plan(size_t ndocs, size_t term_bytes, size_t meta_bytes, size_t ntails, size_t *shards,
		   size_t *groups)
{
	size_t cap = ndocs / 50 > 64 ? ndocs / 50 : 64;
	size_t room = cap - 2 - ntails; /* the manifest and the tag shard */
	double tz = 0.75 * (double)term_bytes, mz = 0.35 * (double)meta_bytes;
	size_t s = (size_t)ceil(tz / SHARD_BYTES), g = (size_t)ceil(mz / GROUP_BYTES);

	if (s < 1)
		s = 1;
	if (g < 1)
		g = 1;
	if (s + g > room) {
		double a = sqrt(2 * tz), b = sqrt(5 * mz);
		size_t s2 = (size_t)lround((double)room * a / (a + b));
		s = s2 < 1 ? 1 : s2 > s ? s : s2;
		g = room - s;
	}
	*shards = s;
	*groups = g;
}

/* The terms apart from the tags' pseudo-terms, each sorted. */
static void S_sort_terms(struct writer *w)
{
	struct search_index *ix = w->ix;
	size_t i;

	w->words = xmalloc((ix->nterms + 1) * sizeof(*w->words));
	w->tags = xmalloc((ix->nterms + 1) * sizeof(*w->tags));
	for (i = 0; i < ix->nterms; i++) {
		if (ix->terms[i].tag)
			w->tags[w->ntags++] = &ix->terms[i];
		else
			w->words[w->nwords++] = &ix->terms[i];
	}
	qsort(w->words, w->nwords, sizeof(*w->words), S_sterm_ptr_cmp);
	qsort(w->tags, w->ntags, sizeof(*w->tags), S_sterm_ptr_cmp);
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
	}
	w->ntails = S_records(w->rec, w->words, w->nwords, tail_target, 0);
	/* The tags' tails share one file, after the words' ones. */
	w->ntails = S_records(w->rec + w->nwords, w->tags, w->ntags, SIZE_MAX, w->ntails);
	for (i = 0; i < w->nwords; i++)
		w->term_bytes += w->rec[i].e->len + w->rec[i].body.len + 2;
}

/* Metadata, to size the groups. */
static void S_metadata(struct writer *w)
{
	struct search_index *ix = w->ix;
	size_t i;

	w->meta_off = xmalloc((ix->ndocs + 1) * sizeof(*w->meta_off));
	for (i = 0; i < ix->ndocs; i++) {
		w->meta_off[i] = w->meta.len;
		S_meta(&w->meta, ix->docs[i]);
	}
	w->meta_off[ix->ndocs] = w->meta.len;
}

/* The manifest's opening: version, pages, steps, languages, then the runs and types. */
static void S_manifest_head(struct writer *w)
{
	const struct config *cfg = w->ix->site->cfg;
	size_t i;

	buf_printf(&w->manifest, "{\"version\":1,\"docs\":%zu,\"steps\":[%d,%g],\"langs\":[", w->ix->ndocs,
		   QLEVELS, QRANGE);
	for (i = 0; i < cfg->nlangs; i++) {
		if (i)
			buf_putc(&w->manifest, ',');
		S_json_str(&w->manifest, cfg->langs[i].tag);
	}
	buf_putc(&w->manifest, ']');
	S_runs(w);
}

/* Term shards: cut where the running size passes each shard's share. */
static void S_term_shards(struct writer *w, size_t nshards)
{
	struct record *rec = w->rec;
	size_t i, sfirst = 0, acc = 0, made = 0;

	buf_puts(&w->manifest, ",\"shards\":[");
	for (i = 0; i < w->nwords; i++) {
		acc += rec[i].e->len + rec[i].body.len + 2;
		if (i + 1 == w->nwords || acc >= (made + 1) * (w->term_bytes / nshards + 1)) {
			buf_puts(&w->manifest, made ? ",[" : "[");
			buf_putc(&w->manifest, '"');
			escape_json(&w->manifest, rec[sfirst].e->s, rec[sfirst].e->len);
			buf_puts(&w->manifest, "\",");
			S_shard(w, "t", rec, sfirst, i + 1);
			buf_putc(&w->manifest, ']');
			made++;
			sfirst = i + 1;
		}
	}
	buf_putc(&w->manifest, ']');
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

/* Metadata groups: per pages each, as one JSON array. */
static void S_meta_groups(struct writer *w, size_t per)
{
	size_t i, k, ndocs = w->ix->ndocs;

	buf_printf(&w->manifest, ",\"meta\":{\"per\":%zu,\"files\":[", per);
	for (i = 0; i < ndocs; i += per) {
		size_t end = i + per < ndocs ? i + per : ndocs;
		struct buf g = BUF_INIT;
		buf_putc(&g, '[');
		for (k = i; k < end; k++) {
			if (k > i)
				buf_putc(&g, ',');
			buf_put(&g, w->meta.ptr + w->meta_off[k], w->meta_off[k + 1] - w->meta_off[k]);
		}
		buf_putc(&g, ']');
		if (i)
			buf_putc(&w->manifest, ',');
		S_emit(w, "m", g.ptr, g.len, 1);
		buf_release(&g);
	}
	buf_puts(&w->manifest, "]}");
}

/* Tail files, raw so that byte ranges can be read. */
static void S_tail_files(struct writer *w)
{
	struct buf tails = BUF_INIT;
	size_t i, k;

	buf_puts(&w->manifest, ",\"tails\":[");
	for (k = 0; k < w->ntails; k++) {
		buf_reset(&tails);
		for (i = 0; i < w->nwords + w->ntags; i++)
			if (w->rec[i].tail.len && w->rec[i].tail_file == k)
				buf_put(&tails, w->rec[i].tail.ptr, w->rec[i].tail.len);
		if (k)
			buf_putc(&w->manifest, ',');
		S_emit(w, "x", tails.ptr, tails.len, 0);
	}
	buf_puts(&w->manifest, "]}\n");
	buf_release(&tails);
}

int search_index_write(struct search_index *ix, struct output *out, struct search_stats *stats)
{
	struct writer w;
	size_t i, nshards, ngroups, per;

	memset(&w, 0, sizeof(w));
	buf_init(&w.manifest);
	buf_init(&w.meta);
	memset(stats, 0, sizeof(*stats));
	w.ix = ix;
	w.out = out;
	w.stats = stats;
	stats->docs = ix->ndocs;
	stats->terms = ix->nterms;
	stats->postings = ix->npostings;

	S_sort_terms(&w);
	S_layout(&w);
	S_metadata(&w);
	S_plan(ix->ndocs, w.term_bytes, w.meta.len, w.ntails, &nshards, &ngroups);
	per = ix->ndocs ? (ix->ndocs + ngroups - 1) / ngroups : 1;

	S_manifest_head(&w);
	S_term_shards(&w, nshards);
	S_tag_shard(&w);
	S_meta_groups(&w, per);
	S_tail_files(&w);
	if (output_write(out, "search/index.json", w.manifest.ptr, w.manifest.len))
		w.failed = 1;
	stats->files++;
	stats->bytes += w.manifest.len;

	for (i = 0; i < w.nwords + w.ntags; i++) {
		buf_release(&w.rec[i].body);
		buf_release(&w.rec[i].tail);
	}
	free(w.rec);
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
	for (i = 0; i < ix->nterms; i++) {
		free(ix->terms[i].p);
		free(ix->terms[i].qs);
	}
	free(ix->terms);
	free(ix->slots);
	free(ix->flen);
	free(ix->docs);
	arena_release(&ix->arena);
	free(ix);
}

int search_build(const struct site *site, struct output *out, int nthreads, struct search_stats *stats)
{
	struct search_index *ix = search_index_new(site, nthreads);
	int rc = search_index_write(ix, out, stats);
	search_index_free(ix);
	return rc;
}
