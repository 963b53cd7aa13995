/*
 * test_search: the tokenizer against the vectors it shares with the JS
 * client (tests/search/vectors.txt), and the ranking the index stores: field
 * weights, idf, length normalisation, best-first order; where the term
 * shards are cut (search_shard_cuts). With --dump it
 * prints the terms of every code point written twice, one line each, for
 * tests/search/tokenize.mjs to compare with the JS tokenizer.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "check.h"
#include "diag.h"
#include "pagetok.h"
#include "search.h"
#include "tokenize.h"

/* --- the tokenizer ------------------------------------------------------- */

static void S_join(const char *term, size_t n, void *payload)
{
	struct buf *b = payload;
	if (b->len)
		buf_putc(b, ' ');
	buf_put(b, term, n);
}

static void S_join_query(const char *term, size_t n, int prefix, void *payload)
{
	struct buf *b = payload;
	S_join(term, n, payload);
	if (prefix)
		buf_putc(b, '*');
}

static char *S_index_terms(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	tokenize(s, n, S_join, &b);
	return buf_detach(&b, NULL);
}

static char *S_query_terms(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	tokenize_query(s, n, S_join_query, &b);
	return buf_detach(&b, NULL);
}

/* The text of a "> " line: \n \t \\ and \u{HEX}. */
static void S_unescape(struct buf *out, const char *s)
{
	while (*s) {
		if (s[0] == '\\' && s[1] == 'u' && s[2] == '{') {
			utf8proc_uint8_t enc[4];
			long cp = strtol(s + 3, (char **)&s, 16);
			buf_put(out, enc, (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, enc));
			s += *s == '}';
		} else if (s[0] == '\\' && (s[1] == 'n' || s[1] == 't' || s[1] == '\\')) {
			buf_putc(out, s[1] == 'n' ? '\n' : s[1] == 't' ? '\t' : '\\');
			s += 2;
		} else {
			buf_putc(out, *s++);
		}
	}
}

static void test_vectors(void)
{
	char path[4096], line[4096];
	const char *slash = strrchr(__FILE__, '/');
	struct buf text = BUF_INIT;
	int have = 0, lineno = 0, n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%.*s/../search/vectors.txt", slash ? (int)(slash - __FILE__) : 1,
		 slash ? __FILE__ : ".");
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		char *got;
		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (strcmp(line, ">") == 0 || strncmp(line, "> ", 2) == 0) {
			buf_reset(&text);
			S_unescape(&text, line[1] ? line + 2 : "");
			have = 1;
			continue;
		}
		if (!have || (line[0] != '=' && line[0] != '?'))
			continue;
		got = line[0] == '=' ? S_index_terms(buf_cstr(&text), text.len)
				     : S_query_terms(buf_cstr(&text), text.len);
		if (strcmp(got, line + 1 + (line[1] == ' ')) != 0)
			fprintf(stderr, "vectors.txt:%d: %s terms of \"%s\"\n", lineno,
				line[0] == '=' ? "index" : "query", buf_cstr(&text));
		CHECK_STR(got, line + 1 + (line[1] == ' '));
		free(got);
		n++;
	}
	fclose(f);
	buf_release(&text);
	CHECK(n > 50);
}

static void test_bytes(void)
{
	char *t;
	size_t n;

	/* A byte that is not UTF-8, and NUL, separate. */
	t = S_index_terms("ab\xFF"
			  "cd\xC3",
			  6);
	CHECK_STR(t, "ab cd");
	free(t);
	t = S_index_terms("ab\0cd", 5);
	CHECK_STR(t, "ab cd");
	free(t);
	t = S_index_terms("\xE6\x95\xB0\xFF\xE6\x8D\xAE", 7); /* 数 <bad> 据: two runs */
	CHECK_STR(t, "数 据");
	free(t);

	/*
	 * What the inline decoder (three bytes, ASCII) must refuse as utf8proc
	 * does: a surrogate, an overlong form, a sequence cut short or broken.
	 */
	t = S_index_terms("a\xED\xA0\x80"
			  "b\xE0\x80\x80"
			  "c\xE6\x95"
			  "d\xE6\x95z\xE6",
			  17);
	CHECK_STR(t, "a b c d z");
	free(t);
	/* An ASCII letter and the combining mark after it are folded together (é), not apart. */
	t = tokenize_fold("E\xCC\x81x", 4, &n);
	CHECK_STR(t, "\xC3\xA9x");
	free(t);
	t = S_index_terms("cafe\xCC\x81 \xE6\x95\xB0\xE6\x8D\xAE", 13);
	CHECK_STR(t, "caf\xC3\xA9 \xE6\x95\xB0 \xE6\x95\xB0\xE6\x8D\xAE \xE6\x8D\xAE");
	free(t);

	/* The fold keeps what it does not change, and maps the rest. */
	t = tokenize_fold("A\xEF\xBC\xA1 \xE6\x95\xB0", 8, &n); /* A, fullwidth A, space, 数 */
	CHECK_STR(t, "aa \xE6\x95\xB0");
	CHECK_INT(n, 6);
	free(t);

	/* A word of 40 CJK-free letters becomes its first 32, a query prefix too. */
	t = S_query_terms("aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd", 40);
	CHECK_STR(t, "aaaaaaaaaabbbbbbbbbbccccccccccdd*");
	free(t);
}

/*
 * The fold cuts the text into pieces before each code point it knows
 * normalisation and case folding leave alone, copies the pieces that are
 * one such code point (ASCII lowered; a Han character without a piece's
 * machinery) and maps the others: the same bytes as mapping the whole text
 * at once. Checked on generated texts of the characters around each rule:
 * Han at the edges of its ranges and beside its neighbours (Yijing, Yi),
 * 、 and 。 and the ideographic space (mapped to a space), marks after
 * letters, Han and punctuation, kana with their voicing marks (they
 * compose), Hangul jamo (they compose), fullwidth letters, ligatures, ß,
 * a soft hyphen (dropped).
 */
static void test_fold_whole(void)
{
	static const int32_t cps[] = {
		'a',    'Z',    '5',    ' ',    '.',    0x4E00, 0x9FFF, 0x3400, 0x4DBF,
		0x4DC0, 0x9FA5, 0xA000, 0x3000, 0x3001, 0x3002, 0x3003, 0x0301, 0x0308,
		0x3099, 0x309A, 0x304B, 0x30AB, 0x1100, 0x1161, 0x11A8, 0xAC00, 0xFF21,
		0xFF0C, 0xFB01, 0x00DF, 0x00AD, 0x00C9, 0x212B, 0x2126, 0xF900, 0x2F00
	};
	uint64_t rng = 42;
	struct buf b = BUF_INIT;
	int i, bad = 0;

	for (i = 0; i < 20000; i++) {
		utf8proc_uint8_t *whole = NULL, enc[4];
		utf8proc_ssize_t wn;
		size_t n, k, len;
		char *t;

		buf_reset(&b);
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		len = 1 + (size_t)(rng >> 60);
		for (k = 0; k < len; k++) {
			rng = rng * 6364136223846793005ull + 1442695040888963407ull;
			buf_put(&b, enc,
				(size_t)utf8proc_encode_char(
					cps[(rng >> 33) % (sizeof(cps) / sizeof(cps[0]))], enc));
		}
		t = tokenize_fold(b.ptr, b.len, &n);
		wn = utf8proc_map((const utf8proc_uint8_t *)b.ptr, (utf8proc_ssize_t)b.len, &whole,
				  UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
					  UTF8PROC_IGNORE);
		if (wn < 0 || (size_t)wn != n || memcmp(t, whole, n) != 0) {
			if (bad++ < 3)
				fprintf(stderr,
					"test_search: fold of text %d differs from the whole text's\n", i);
		}
		free(whole);
		free(t);
	}
	CHECK_INT(bad, 0);
	buf_release(&b);
}

/* --- --dump: every code point, for the JS comparison ---------------------- */

static int S_dump(void)
{
	struct buf b = BUF_INIT;
	utf8proc_int32_t cp;
	for (cp = 1; cp < 0x110000; cp++) {
		utf8proc_uint8_t enc[8];
		utf8proc_ssize_t k;
		char *t;
		if ((cp >= 0xD800 && cp <= 0xDFFF) || utf8proc_category(cp) == UTF8PROC_CATEGORY_CN)
			continue;
		k = utf8proc_encode_char(cp, enc);
		memcpy(enc + k, enc, (size_t)k);
		buf_reset(&b);
		t = S_index_terms((const char *)enc, 2 * (size_t)k);
		printf("%X\t%s\n", (unsigned)cp, t);
		free(t);
	}
	buf_release(&b);
	return 0;
}

/* --- ranking ------------------------------------------------------------- */

static struct lang S_langs[] = { { .code = "en", .name = "English", .is_default = 1 },
				 { .code = "zh", .name = "中文", .prefix = "zh/" } };

struct fake {
	const char *title, *tags, *headings, *text;
};

/* A site of the given pages (one tag at most each), all in English unless the title is CJK. */
struct fixture {
	struct config cfg;
	struct site site;
	struct page pages[16];
	struct term terms[16];
	const struct term *term_ptrs[16];
};

static void S_fixture(struct fixture *fx, const struct fake *f, size_t n)
{
	size_t i;
	memset(fx, 0, sizeof(*fx));
	fx->cfg.langs = S_langs;
	fx->cfg.nlangs = 2;
	fx->cfg.default_lang = &S_langs[0];
	fx->site.cfg = &fx->cfg;
	fx->site.pages = fx->pages;
	fx->site.npages = n;
	fx->site.terms = fx->terms;
	for (i = 0; i < n; i++) {
		struct page *pg = &fx->pages[i];
		char *path = xmalloc(48);
		snprintf(path, 48, "content/p%02zu.md", i);
		pg->path = path;
		pg->title = f[i].title;
		pg->lang = (unsigned char)f[i].title[0] >= 0x80 ? &S_langs[1] : &S_langs[0];
		/* as the parse worker makes them (pagetok.h) */
		pagetok_build(&pg->tokens, f[i].headings, f[i].headings ? strlen(f[i].headings) : 0,
			      f[i].text, f[i].text ? strlen(f[i].text) : 0);
		pg->date = LLONG_MIN;
		if (f[i].tags) {
			struct term *t = &fx->terms[fx->site.nterms++];
			t->taxonomy = "tags";
			t->slug = t->name = f[i].tags;
			t->lang = pg->lang;
			fx->term_ptrs[i] = t;
			pg->terms = &fx->term_ptrs[i];
			pg->nterms = 1;
		}
	}
}

static void S_fixture_release(struct fixture *fx)
{
	size_t i;
	for (i = 0; i < fx->site.npages; i++) {
		free((char *)fx->pages[i].path);
		pagetok_release(&fx->pages[i].tokens);
	}
}

/* The titles of term's pages, best first, joined by '|'. */
static char *S_order(const struct search_index *ix, const char *term)
{
	const struct page *docs[16];
	struct buf b = BUF_INIT;
	size_t i, n = search_index_postings(ix, term, docs, NULL, 16);
	for (i = 0; i < n && i < 16; i++) {
		if (i)
			buf_putc(&b, '|');
		buf_puts(&b, docs[i]->title);
	}
	return buf_detach(&b, NULL);
}

static void test_field_weights(void)
{
	static const char long_body[] =
		"backups restore archive replay standby primary wal segment timeline history "
		"backups restore archive replay standby primary wal segment timeline history "
		"backups restore archive replay standby primary wal segment timeline history "
		"and one vacuum in the middle of it all, then more backups restore archive";
	const struct fake f[] = {
		{ "Body heavy", NULL, NULL, "vacuum vacuum vacuum vacuum vacuum and more" },
		{ "Long body", NULL, NULL, long_body },
		{ "Headings", NULL, "Why vacuum matters", "replication" },
		{ "Short body", NULL, NULL, "vacuum now" },
		{ "Tagged", "vacuum", NULL, "pgbouncer" },
		{ "VACUUM in depth", NULL, NULL, "how it works" },
	};
	struct fixture fx;
	struct search_index *ix;
	int imp[16];
	char *order;

	S_fixture(&fx, f, sizeof(f) / sizeof(f[0]));
	ix = search_index_new(&fx.site, 2);

	/* title > tags > headings > body; in the body, frequency, then a shorter body. */
	order = S_order(ix, "vacuum");
	CHECK_STR(order, "VACUUM in depth|Tagged|Headings|Body heavy|Short body|Long body");
	free(order);
	CHECK_INT(search_index_postings(ix, "vacuum", NULL, imp, 16), 6);
	CHECK(imp[0] > imp[1] && imp[1] > imp[2] && imp[3] > imp[4] && imp[4] > imp[5]);

	/* Unknown terms, and a word that is only a prefix of one, have no pages. */
	CHECK_INT(search_index_postings(ix, "vacu", NULL, NULL, 0), 0);
	CHECK_INT(search_index_postings(ix, "nothing", NULL, NULL, 0), 0);
	/* Terms are folded: the title's "VACUUM" is found as "vacuum" (above), never as typed. */
	CHECK_INT(search_index_postings(ix, "VACUUM", NULL, NULL, 0), 0);

	search_index_free(ix);
	S_fixture_release(&fx);
}

static void test_idf(void)
{
	const struct fake f[] = {
		{ "One", NULL, NULL, "rare common" },
		{ "Two", NULL, NULL, "common other" },
		{ "Three", NULL, NULL, "common other" },
		{ "Four", NULL, NULL, "common other" },
	};
	struct fixture fx;
	struct search_index *ix;
	const struct page *docs[4];
	int rare[4], common[4];

	S_fixture(&fx, f, 4);
	ix = search_index_new(&fx.site, 1);
	CHECK_INT(search_index_postings(ix, "rare", docs, rare, 4), 1);
	CHECK_STR(docs[0]->title, "One");
	CHECK_INT(search_index_postings(ix, "common", docs, common, 4), 4);
	/* Same page, same field, same count: only rarity differs. */
	CHECK(rare[0] > common[0]);
	/* Equal impacts keep page order: "One" is page 0 of these (by path). */
	CHECK_INT(common[1], common[2]);
	CHECK_STR(docs[1]->title, "Two");
	CHECK_STR(docs[2]->title, "Three");
	search_index_free(ix);
	S_fixture_release(&fx);
}

static void test_cjk_and_threads(void)
{
	const struct fake f[] = {
		{ "PostgreSQL 连接池", NULL, NULL, "数据库的连接" },
		{ "数据库性能优化", NULL, NULL, "索引" },
		{ "索引", NULL, "数据库", "数据" },
	};
	struct fixture fx;
	struct search_index *a, *b;
	int ia[4], ib[4];
	char *order;

	S_fixture(&fx, f, 3);
	a = search_index_new(&fx.site, 1);
	b = search_index_new(&fx.site, 4);
	order = S_order(a, "数据");
	CHECK_STR(order, "数据库性能优化|索引|PostgreSQL 连接池");
	free(order);
	order = S_order(a, "连接");
	CHECK_STR(order, "PostgreSQL 连接池");
	free(order);
	CHECK_INT(search_index_postings(a, "连", NULL, NULL, 0), 1);
	CHECK_INT(search_index_postings(a, "postgresql", NULL, NULL, 0), 1);
	/* The same index on 1 and 4 threads. */
	CHECK_INT(search_index_postings(a, "数据", NULL, ia, 4),
		  search_index_postings(b, "数据", NULL, ib, 4));
	CHECK(memcmp(ia, ib, 3 * sizeof(int)) == 0);
	search_index_free(a);
	search_index_free(b);
	S_fixture_release(&fx);

	/* No pages at all. */
	S_fixture(&fx, f, 0);
	a = search_index_new(&fx.site, 2);
	CHECK_INT(search_index_postings(a, "数据", NULL, NULL, 0), 0);
	search_index_free(a);
}

/*
 * A page gives the index at most PAGETOK_MAX_TERMS distinct terms, the
 * first in the order its fields are read (the title before the text), with
 * a warning; another page's terms are its own.
 */
static void test_page_cap(void)
{
	struct buf title = BUF_INIT;
	struct fixture fx;
	struct search_index *ix;
	struct fake f[2] = { { NULL, NULL, NULL, "tail" }, { "Other", NULL, NULL, "w16390 tail" } };
	int i, warnings = diag_warnings();
	char w[16];

	for (i = 0; i < PAGETOK_MAX_TERMS + 10; i++)
		buf_printf(&title, "w%d ", i);
	f[0].title = buf_cstr(&title);
	S_fixture(&fx, f, 2);
	ix = search_index_new(&fx.site, 2);
	CHECK_INT((int)search_index_postings(ix, "w0", NULL, NULL, 16), 1);
	snprintf(w, sizeof(w), "w%d", PAGETOK_MAX_TERMS - 1);
	CHECK_INT((int)search_index_postings(ix, w, NULL, NULL, 16), 1);
	snprintf(w, sizeof(w), "w%d", PAGETOK_MAX_TERMS);
	CHECK_INT((int)search_index_postings(ix, w, NULL, NULL, 16), 0);
	CHECK_INT((int)search_index_postings(ix, "w16390", NULL, NULL, 16), 1); /* the other page's */
	CHECK_INT((int)search_index_postings(ix, "tail", NULL, NULL, 16), 1);   /* the other page's */
	CHECK_INT(diag_warnings() - warnings, 1);
	search_index_free(ix);
	S_fixture_release(&fx);
	buf_release(&title);
	diag_reset();
}

/* --- where the term shards are cut --------------------------------------- */

/* A site's terms for the cuts: n names "term<i>" (their order is the sort's, as it makes no odds), bytes 40-167. */
struct cut_site {
	uint64_t *hash;
	size_t *bytes, *from, n, total;
};

static void S_cut_site(struct cut_site *cs, size_t n, size_t insert_at, size_t grow_at)
{
	size_t i, k;
	char name[32];
	memset(cs, 0, sizeof(*cs));
	cs->hash = malloc((n + 2) * sizeof(*cs->hash));
	cs->bytes = malloc((n + 2) * sizeof(*cs->bytes));
	cs->from = malloc((n + 3) * sizeof(*cs->from));
	for (i = 0, k = 0; i < n; i++, k++) {
		if (i == insert_at) { /* a page's new word */
			cs->hash[k] = search_term_cut_hash("zz-new", 6);
			cs->bytes[k++] = 30;
		}
		snprintf(name, sizeof(name), "term%zu", i);
		cs->hash[k] = search_term_cut_hash(name, strlen(name));
		cs->bytes[k] = 40 + (cs->hash[k] & 127) + (i == grow_at ? 30 : 0);
	}
	cs->n = k;
	for (i = 0; i < cs->n; i++)
		cs->total += cs->bytes[i];
}

static void S_cut_site_release(struct cut_site *cs)
{
	free(cs->hash);
	free(cs->bytes);
	free(cs->from);
}

/* Shard k's bytes. */
static size_t S_cut_bytes(const struct cut_site *cs, size_t k)
{
	size_t i, b = 0;
	for (i = cs->from[k]; i < cs->from[k + 1]; i++)
		b += cs->bytes[i];
	return b;
}

/* The most shard k of made may hold: 1.4 targets and a term (167 bytes), the last 0.8 more (no crumb after it). */
static double S_cut_most(size_t k, size_t made, double target)
{
	return (k + 1 == made ? 2.2 : 1.4) * target + 167;
}

/* Whether cuts covers every term once, in order, each shard one term or more. */
static int S_cuts_whole(const struct cut_site *cs, size_t made)
{
	size_t k;
	if (!cs->n)
		return made == 0;
	if (!made || cs->from[0] != 0 || cs->from[made] != cs->n)
		return 0;
	for (k = 0; k < made; k++)
		if (cs->from[k + 1] <= cs->from[k])
			return 0;
	return 1;
}

/* The shards of b that are not shards of a (a's terms from at on one further in b). */
static size_t S_cuts_changed(const struct cut_site *a, size_t na, const struct cut_site *b, size_t nb,
			     size_t at)
{
	size_t k, j, changed = 0;
	for (k = 0; k < nb; k++) {
		int same = 0;
		for (j = 0; j < na && !same; j++) {
			size_t f = a->from[j] + (a->from[j] >= at),
			       t = a->from[j + 1] + (a->from[j + 1] > at);
			same = f == b->from[k] && t == b->from[k + 1] &&
			       (at < f || at >= t || at == SIZE_MAX);
		}
		changed += !same;
	}
	return changed;
}

static void test_shard_cuts(void)
{
	struct cut_site a, b;
	size_t na, nb, k, small = 0, big = 0, i;
	double target;

	/* 20,000 terms in about 100 shards: sizes near the target, the cap (200) far */
	S_cut_site(&a, 20000, SIZE_MAX, SIZE_MAX);
	target = (double)a.total / 100;
	na = search_shard_cuts(a.hash, a.bytes, a.n, target, 200, a.from);
	CHECK(S_cuts_whole(&a, na));
	CHECK(na >= 95 && na <= 105);
	for (k = 0; k < na; k++) {
		size_t sz = S_cut_bytes(&a, k);
		small += sz < 0.75 * target;
		big += sz > S_cut_most(k, na, target);
	}
	CHECK_INT(small, 0);
	CHECK_INT(big, 0);

	/* The same terms, the same cuts: nothing of the process's (the keyed hash) in them */
	S_cut_site(&b, 20000, SIZE_MAX, SIZE_MAX);
	nb = search_shard_cuts(b.hash, b.bytes, b.n, target, 200, b.from);
	CHECK_INT(nb, na);
	CHECK(memcmp(a.from, b.from, (na + 1) * sizeof(*a.from)) == 0);
	/* One or two over the cap: as many cuts dropped, every other kept, the shards merged
	   at most twice the average */
	for (i = 1; i <= 2; i++) {
		size_t kept = 0, j;
		nb = search_shard_cuts(b.hash, b.bytes, b.n, target, na - i, b.from);
		CHECK_INT(nb, na - i);
		CHECK(S_cuts_whole(&b, nb));
		for (k = 0, j = 0; k <= nb; k++) {
			while (j <= na && a.from[j] < b.from[k])
				j++;
			kept += j <= na && a.from[j] == b.from[k];
		}
		CHECK_INT(kept, nb + 1);
		for (k = 0, big = 0; k < nb; k++)
			big += S_cut_bytes(&b, k) > 2 * b.total / na;
		CHECK_INT(big, 0);
	}
	S_cut_site_release(&b);

	/* A new word in the middle: its shard changes, as a rule no other (fixed shares: half) */
	S_cut_site(&b, 20000, 10000, SIZE_MAX);
	nb = search_shard_cuts(b.hash, b.bytes, b.n, (double)b.total / 100, 200, b.from);
	CHECK(S_cuts_whole(&b, nb));
	CHECK(S_cuts_changed(&a, na, &b, nb, 10000) <= 2);
	S_cut_site_release(&b);
	/* A term's record 30 bytes longer (a page's new posting), near the start */
	S_cut_site(&b, 20000, SIZE_MAX, 321);
	nb = search_shard_cuts(b.hash, b.bytes, b.n, (double)b.total / 100, 200, b.from);
	CHECK(S_cuts_changed(&a, na, &b, nb, SIZE_MAX) <= 2);
	S_cut_site_release(&b);

	/* The file cap: 100 shards' worth in at most 90, bigger ones tried (more than
	   CUT_MERGES over), then merged */
	na = search_shard_cuts(a.hash, a.bytes, a.n, target, 90, a.from);
	CHECK(S_cuts_whole(&a, na));
	CHECK(na <= 90 && na >= 80);
	na = search_shard_cuts(a.hash, a.bytes, a.n, target, 1, a.from);
	CHECK_INT(na, 1);
	na = search_shard_cuts(a.hash, a.bytes, a.n, target, 0, a.from);
	CHECK_INT(na, 1);

	/* Hostile names: every draw the least (a cut as soon as may be) stays under the cap, every
	   draw the most cuts at CUT_MAX (1.4 targets) */
	for (i = 0; i < a.n; i++)
		a.hash[i] = 0;
	na = search_shard_cuts(a.hash, a.bytes, a.n, target, 100, a.from);
	CHECK(S_cuts_whole(&a, na));
	CHECK(na <= 100);
	for (i = 0; i < a.n; i++)
		a.hash[i] = UINT64_MAX;
	na = search_shard_cuts(a.hash, a.bytes, a.n, target, 100, a.from);
	CHECK(S_cuts_whole(&a, na));
	CHECK(na >= 65 && na <= 75);
	for (k = 0, big = 0; k < na; k++)
		big += S_cut_bytes(&a, k) > S_cut_most(k, na, target);
	CHECK_INT(big, 0);

	/* One giant term (a thousand targets): its own shard's size alone; the others as before */
	S_cut_site_release(&a);
	S_cut_site(&a, 20000, SIZE_MAX, SIZE_MAX);
	a.bytes[7000] = (size_t)(1000 * target);
	na = search_shard_cuts(a.hash, a.bytes, a.n, target, 200, a.from);
	CHECK(S_cuts_whole(&a, na));
	CHECK(na >= 95 && na <= 105);
	for (k = 0, big = 0, small = 0; k < na; k++) {
		size_t sz = S_cut_bytes(&a, k);
		int giant = a.from[k] <= 7000 && 7000 < a.from[k + 1];
		big += !giant && sz > S_cut_most(k, na, target);
		small += sz < 0.75 * target;
	}
	CHECK_INT(big, 0);
	CHECK_INT(small, 0);
	S_cut_site_release(&a);

	/* A million one-byte terms at 1,000 bytes a shard: about 1,000 shards, none a crumb */
	memset(&a, 0, sizeof(a));
	a.n = 1000000;
	a.hash = malloc(a.n * sizeof(*a.hash));
	a.bytes = malloc(a.n * sizeof(*a.bytes));
	a.from = malloc((a.n + 1) * sizeof(*a.from));
	for (i = 0; i < a.n; i++) {
		a.hash[i] = search_term_cut_hash((const char *)&i, sizeof(i));
		a.bytes[i] = 1;
	}
	a.total = a.n;
	na = search_shard_cuts(a.hash, a.bytes, a.n, 1000, 2000, a.from);
	CHECK(S_cuts_whole(&a, na));
	CHECK(na >= 950 && na <= 1050);
	for (k = 0, small = 0, big = 0; k < na; k++) {
		small += S_cut_bytes(&a, k) < 790;
		big += S_cut_bytes(&a, k) > S_cut_most(k, na, 1000);
	}
	CHECK_INT(small, 0);
	CHECK_INT(big, 0);
	/* and under a cap of 10 */
	na = search_shard_cuts(a.hash, a.bytes, a.n, 1000, 10, a.from);
	CHECK(S_cuts_whole(&a, na));
	CHECK(na <= 10);

	/* No terms, one term */
	CHECK_INT(search_shard_cuts(a.hash, a.bytes, 0, 1000, 10, a.from), 0);
	CHECK_INT(search_shard_cuts(a.hash, a.bytes, 1, 1000, 10, a.from), 1);
	S_cut_site_release(&a);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--dump") == 0)
		return S_dump();
	test_vectors();
	test_bytes();
	test_fold_whole();
	test_field_weights();
	test_idf();
	test_cjk_and_threads();
	test_page_cap();
	test_shard_cuts();
	return CHECK_DONE("test_search");
}
