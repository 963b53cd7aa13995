/*
 * test_pagetok: a page's terms and counts (pagetok.h) against the plain
 * definition, on many generated texts: tokenize() each field, keep the
 * distinct terms in the order they first come with their counts per field
 * (saturating at 255) and the fields' token counts. The page's table
 * places short terms by multiply-shift hashing and long ones by SipHash,
 * and takes a term of up to 8 bytes by its place and length alone
 * (pagetok.c, S_place): the texts mix both lengths around the edges (7, 8,
 * 9 bytes, CJK characters and pairs), repeats past 255, mixed case, marks,
 * numbers, invalid bytes and pages with enough distinct terms to regrow
 * the table; and the cap on a page's distinct terms (PAGETOK_MAX_TERMS).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "check.h"
#include "pagetok.h"
#include "tokenize.h"
#include "util.h"

/* --- the plain definition ------------------------------------------------ */

struct ref_term {
	char *s;
	size_t len;
	unsigned tf[PAGETOK_NFIELDS];
};

struct ref {
	struct ref_term *v;
	size_t n, cap;
	uint32_t len[PAGETOK_NFIELDS];
	int field;
};

/* A linear search: slow and obviously right. */
static void S_ref_add(const char *term, size_t n, void *payload)
{
	struct ref *r = payload;
	size_t i;

	r->len[r->field]++;
	for (i = 0; i < r->n; i++) {
		if (r->v[i].len == n && memcmp(r->v[i].s, term, n) == 0) {
			if (r->v[i].tf[r->field] < 255)
				r->v[i].tf[r->field]++;
			return;
		}
	}
	ARRAY_GROW(r->v, r->n, r->cap, 64);
	memset(&r->v[r->n], 0, sizeof(r->v[r->n]));
	r->v[r->n].s = xmalloc(n);
	memcpy(r->v[r->n].s, term, n);
	r->v[r->n].len = n;
	r->v[r->n].tf[r->field] = 1;
	r->n++;
}

static void S_ref_release(struct ref *r)
{
	while (r->n)
		free(r->v[--r->n].s);
	free(r->v);
}

/* pagetok_build's terms against the plain definition's: 1 when they are the same. */
static int S_same_terms(const char *head, size_t hlen, const char *text, size_t tlen)
{
	struct ref r;
	struct page_tokens t;
	struct pagetok_term e;
	size_t at = 0, i = 0;
	int ok = 1;

	memset(&r, 0, sizeof(r));
	r.field = PAGETOK_HEADINGS;
	if (head && hlen)
		tokenize(head, hlen, S_ref_add, &r);
	r.field = PAGETOK_BODY;
	if (text && tlen)
		tokenize(text, tlen, S_ref_add, &r);
	pagetok_build(&t, head, hlen, text, tlen);
	if (t.n != r.n || t.len[PAGETOK_HEADINGS] != r.len[PAGETOK_HEADINGS] ||
	    t.len[PAGETOK_BODY] != r.len[PAGETOK_BODY])
		ok = 0;
	while (ok && pagetok_next(&t, &at, &e)) {
		const struct ref_term *w = &r.v[i++];
		if (i > r.n || e.len != w->len || memcmp(e.s, w->s, e.len) != 0 ||
		    e.tf[PAGETOK_HEADINGS] != w->tf[PAGETOK_HEADINGS] ||
		    e.tf[PAGETOK_BODY] != w->tf[PAGETOK_BODY] || e.hash != (uint32_t)hash_keyed(e.s, e.len))
			ok = 0;
	}
	if (i != r.n)
		ok = 0;
	pagetok_release(&t);
	S_ref_release(&r);
	return ok;
}

/* --- generated texts ----------------------------------------------------- */

static uint64_t S_rng = 0x9e3779b97f4a7c15ull;

static uint32_t S_rand(uint32_t n)
{
	S_rng = S_rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(S_rng >> 33) % n;
}

static void S_put_cp(struct buf *b, int32_t cp)
{
	utf8proc_uint8_t enc[4];
	buf_put(b, enc, (size_t)utf8proc_encode_char(cp, enc));
}

/* One piece of text: a word, a CJK run, a number, a separator or stranger bytes. */
static void S_piece(struct buf *b, uint32_t vocab)
{
	static const char *const seps[] = { " ", "  ", "\n", ", ", ". ", "-", "/", "'", "(", ")" };
	uint32_t k = S_rand(16), i, n;

	if (k < 6) { /* an ASCII word from a small vocabulary, 1 to 12 letters: 7, 8 and 9 often */
		uint32_t w = S_rand(vocab);
		n = 1 + w % 12;
		for (i = 0; i < n; i++)
			buf_putc(b, (char)((i == 0 && (w & 64) ? 'A' : 'a') + (w * 7 + i * 3) % 26));
	} else if (k < 9) { /* a CJK run from few characters (repeats) or many (distinct pairs) */
		uint32_t span = S_rand(2) ? 12 : 20000;
		n = 1 + S_rand(9);
		for (i = 0; i < n; i++)
			S_put_cp(b, 0x4E00 + (int32_t)S_rand(span));
	} else if (k < 10) { /* a number, sometimes with a point */
		buf_printf(b, S_rand(2) ? "%u.%u" : "%u", S_rand(1000), S_rand(100));
	} else if (k < 11) { /* a letter with a combining mark, a fullwidth letter, a ligature */
		static const char *const odd[] = { "e\xCC\x81", "\xEF\xBC\xA1", "\xEF\xAC\x81le",
						   "Stra\xC3\x9F\x65", "\xC3\x89t\xC3\xA9" };
		buf_puts(b, odd[S_rand(5)]);
	} else if (k < 12) { /* a long word: cut at 32 code points */
		n = 30 + S_rand(10);
		for (i = 0; i < n; i++)
			buf_putc(b, (char)('a' + S_rand(3)));
	} else if (k < 13) { /* bytes that are not UTF-8 */
		buf_putc(b, (char)(0x80 + S_rand(0x80)));
	} else {
		buf_puts(b, seps[S_rand(sizeof(seps) / sizeof(seps[0]))]);
		return;
	}
	buf_puts(b, seps[S_rand(sizeof(seps) / sizeof(seps[0]))]);
}

static void test_generated(void)
{
	struct buf head = BUF_INIT, text = BUF_INIT;
	int i, bad = 0;

	for (i = 0; i < 2000; i++) {
		uint32_t pieces = 1 + S_rand(i % 25 == 0 ? 2000 : 200), vocab = 1 + S_rand(400), k;
		head.len = text.len = 0;
		for (k = 0; k < pieces / 20; k++)
			S_piece(&head, vocab);
		for (k = 0; k < pieces; k++)
			S_piece(&text, vocab);
		if (!S_same_terms(head.ptr, head.len, text.ptr, text.len)) {
			if (bad++ < 3)
				fprintf(stderr, "test_pagetok: text %d differs\n", i);
		}
	}
	CHECK_INT(bad, 0);
	buf_release(&head);
	buf_release(&text);
}

static void test_edges(void)
{
	/* 7 and 8 bytes sharing a start; one word 300 times (its count stays at 255) */
	struct buf b = BUF_INIT;
	int i;

	CHECK(S_same_terms("abcdefg abcdefgh", 16, "abcdefgh abcdefg abcdefghi ABCDEFG", 34));
	for (i = 0; i < 300; i++)
		buf_puts(&b, "word 数据 ");
	CHECK(S_same_terms(NULL, 0, b.ptr, b.len));
	CHECK(S_same_terms("word", 4, NULL, 0));
	CHECK(S_same_terms(NULL, 0, NULL, 0));
	/* every two-letter word: 676 distinct terms in a short text, the table regrows */
	b.len = 0;
	for (i = 0; i < 26 * 26; i++)
		buf_printf(&b, "%c%c ", 'a' + i / 26, 'a' + i % 26);
	CHECK(S_same_terms(NULL, 0, b.ptr, b.len));
	buf_release(&b);
}

/* The digest: the same terms and counts the same number, another count another. */
static void test_digest(void)
{
	struct page_tokens a, b, c;

	pagetok_build(&a, "Title", 5, "some words and some more", 24);
	pagetok_build(&b, "title", 5, "some words and some more", 24);
	pagetok_build(&c, "title", 5, "some words and some some", 24);
	CHECK(a.digest == b.digest);
	CHECK(a.digest != c.digest);
	pagetok_release(&a);
	pagetok_release(&b);
	pagetok_release(&c);
}

/* The words w0 w1 ... w(n - 1) and then extra, as one text. */
static void S_words(struct buf *b, size_t n, const char *extra)
{
	size_t i;

	buf_reset(b);
	for (i = 0; i < n; i++)
		buf_printf(b, "w%zu ", i);
	buf_puts(b, extra);
}

/*
 * At most PAGETOK_MAX_TERMS distinct terms, the first in text order: a term
 * past them is left out, one of them still counted, every token in the
 * length; pagetok_build says when it cut.
 */
static void test_cap(void)
{
	struct buf b = BUF_INIT;
	struct page_tokens t;
	struct pagetok_term e;
	size_t at = 0, n = 0;
	int cut, last_ok = 0, past = 0;
	unsigned tf0 = 0;
	char last[32];

	S_words(&b, PAGETOK_MAX_TERMS, "w0");
	CHECK_INT(pagetok_build(&t, NULL, 0, b.ptr, b.len), 0);
	CHECK_INT((int)t.n, PAGETOK_MAX_TERMS);
	pagetok_release(&t);

	S_words(&b, PAGETOK_MAX_TERMS + 100, "w0 w16400 w0");
	cut = pagetok_build(&t, "w16401", 6, b.ptr, b.len);
	CHECK_INT(cut, 1);
	CHECK_INT((int)t.n, PAGETOK_MAX_TERMS);
	CHECK_INT((int)t.len[PAGETOK_HEADINGS], 1);
	CHECK_INT((int)t.len[PAGETOK_BODY], PAGETOK_MAX_TERMS + 103);
	snprintf(last, sizeof(last), "w%d", PAGETOK_MAX_TERMS - 2); /* the heading's term came first */
	while (pagetok_next(&t, &at, &e)) {
		n++;
		if (e.len == 2 && memcmp(e.s, "w0", 2) == 0)
			tf0 = e.tf[PAGETOK_BODY];
		if (e.len == 6 && memcmp(e.s, "w16400", 6) == 0)
			past = 1;
		if (n == PAGETOK_MAX_TERMS)
			last_ok = e.len == strlen(last) && memcmp(e.s, last, e.len) == 0;
	}
	CHECK_INT((int)n, PAGETOK_MAX_TERMS);
	CHECK_INT((int)tf0, 3);
	CHECK(!past);
	CHECK(last_ok);
	pagetok_release(&t);
	buf_release(&b);
}

int main(void)
{
	test_edges();
	test_digest();
	test_cap();
	test_generated();
	return CHECK_DONE("test_pagetok");
}
