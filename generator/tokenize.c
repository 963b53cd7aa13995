/*
 * tokenize: the search tokenizer. Normalisation and character categories
 * come from utf8proc; the only table written here is the list of CJK
 * blocks, which Unicode has no single property for (the JS client holds the
 * same list). One scan over the folded text finds words and CJK runs; the
 * index and the query differ only in what a run gives.
 */
#include "tokenize.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "util.h"

/* clang-format off */
/* Han, Kana and Hangul, after NFKC (so compatibility forms are already mapped). */
static const int32_t S_cjk_ranges[][2] = {
	{ 0x1100, 0x11FF },   /* Hangul Jamo */
	{ 0x2E80, 0x2FDF },   /* CJK radicals, Kangxi radicals */
	{ 0x3005, 0x3007 },   /* 々 〆 〇 */
	{ 0x3021, 0x3029 },   /* Hangzhou numerals */
	{ 0x3031, 0x3035 },   /* Kana repeat marks */
	{ 0x3038, 0x303C },
	{ 0x3040, 0x30FF },   /* Hiragana, Katakana */
	{ 0x3130, 0x318F },   /* Hangul compatibility Jamo */
	{ 0x31F0, 0x31FF },   /* Katakana phonetic extensions */
	{ 0x3400, 0x4DBF },   /* Han extension A */
	{ 0x4E00, 0x9FFF },   /* Han */
	{ 0xA960, 0xA97F },   /* Hangul Jamo extended A */
	{ 0xAC00, 0xD7FF },   /* Hangul syllables, Jamo extended B */
	{ 0xF900, 0xFAFF },   /* Han compatibility */
	{ 0x1B000, 0x1B16F }, /* Kana supplement and extensions */
	{ 0x20000, 0x3FFFF }, /* Han extensions B and on */
};
/* clang-format on */

/*
 * A letter, mark or number: what words (and CJK runs) are made of. In
 * ASCII those are the letters and digits alone, asked without utf8proc.
 */
static int S_is_word_slow(int32_t cp)
{
	utf8proc_category_t c;
	if (cp < 0x80)
		return (unsigned)((cp | 32) - 'a') < 26 || (unsigned)(cp - '0') < 10;
	c = utf8proc_category(cp);
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO;
}

/*
 * utf8proc_iterate, with ASCII and valid three-byte sequences (most of any
 * text, CJK included) decoded here; anything else, errors included, is
 * left to utf8proc.
 */
static inline utf8proc_ssize_t S_next(const utf8proc_uint8_t *p, size_t left, utf8proc_int32_t *cp)
{
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xF0) == 0xE0 && left >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
		int32_t c = ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
		if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
			*cp = c;
			return 3;
		}
	}
	return utf8proc_iterate(p, (utf8proc_ssize_t)left, cp);
}

static int S_is_cjk_slow(int32_t cp)
{
	size_t lo = 0, hi = sizeof(S_cjk_ranges) / sizeof(S_cjk_ranges[0]);

	if (cp < 0x1100)
		return 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < S_cjk_ranges[mid][0])
			hi = mid;
		else if (cp > S_cjk_ranges[mid][1])
			lo = mid + 1;
		else
			return S_is_word_slow(cp);
	}
	return 0;
}

/*
 * The two questions above for every code point of the BMP, asked of
 * utf8proc once: bit 1 a word character, bit 2 a CJK one. The same
 * answers, without a property lookup per character.
 */
static unsigned char S_bmp[0x10000];
static pthread_once_t S_bmp_once = PTHREAD_ONCE_INIT;

static void S_bmp_init(void)
{
	int32_t cp;
	for (cp = 0; cp < 0x10000; cp++)
		S_bmp[cp] = (unsigned char)(S_is_word_slow(cp) | S_is_cjk_slow(cp) << 1);
}

static inline int S_is_word(int32_t cp)
{
	return cp >= 0 && cp < 0x10000 ? S_bmp[cp] & 1 : S_is_word_slow(cp);
}

static inline int S_is_cjk(int32_t cp)
{
	return cp >= 0 && cp < 0x10000 ? S_bmp[cp] >> 1 : S_is_cjk_slow(cp);
}

/*
 * A code point before which normalisation can cut the text: a starter that
 * no composition takes as its second part, and that NFKC and case folding
 * leave alone (ASCII is only lowered). Most text is made of these, so most
 * of it skips utf8proc. 、 and 。 (U+3001, U+3002) are plain too: no
 * decomposition, no case, never a composition's second part; without them
 * the Han character before each full stop went through utf8proc with it.
 */
static int S_plain(int32_t cp)
{
	return cp < 0x80 || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       cp == 0x3001 || cp == 0x3002;
}

/*
 * The Han character of S_plain's ranges that the three bytes at p encode,
 * or -1: most of a Chinese or Japanese text, folded here without a
 * piece's machinery.
 */
static inline int32_t S_han(const utf8proc_uint8_t *p, size_t left)
{
	int32_t c;

	if (left < 3 || p[0] < 0xE3 || p[0] > 0xE9 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
		return -1;
	c = ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ? c : -1;
}

/*
 * The code points of one piece at most. utf8proc puts a run of combining
 * marks in canonical order by swapping neighbours, in time that grows with
 * the square of the run: a body of one letter and 300,000 marks ran past
 * 60 s. Unicode's stream-safe format allows 30 marks in a row; a longer run
 * is folded 32 code points at a time.
 */
#define S_MAX_PIECE 32

/* Appends the folded form of s[0..n), or a space if utf8proc refuses it. */
static void S_fold_slow(struct buf *out, const char *s, size_t n)
{
	utf8proc_uint8_t *m = NULL;
	utf8proc_ssize_t k = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &m,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
						  UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
	if (k >= 0)
		buf_put(out, m, (size_t)k);
	else
		buf_putc(out, ' ');
	free(m);
}

char *tokenize_fold(const char *text, size_t len, size_t *len_out)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
	struct buf out = BUF_INIT;
	size_t i = 0;

	buf_grow(&out, len + 1);
	/*
	 * The text is cut before each plain code point; a piece that is one
	 * plain code point is copied (ASCII lowered), any other goes through
	 * utf8proc whole, so that a base and its combining marks stay together.
	 * Invalid UTF-8 and NUL become spaces.
	 */
	while (i < len) {
		utf8proc_int32_t cp, first;
		utf8proc_ssize_t k;
		size_t j, k0, ncp;

		/* An ASCII character before another (or the end) is a piece alone: lowered, or NUL a space. */
		if (p[i] < 0x80 && (i + 1 == len || p[i + 1] < 0x80)) {
			int c = p[i++];
			if (out.len + 1 >= out.cap)
				buf_grow(&out, len - i + 1);
			out.ptr[out.len++] = (char)(c == 0 ? ' ' : c >= 'A' && c <= 'Z' ? c + 32 : c);
			continue;
		}
		/* A Han character before ASCII, another one or the end: a piece alone, copied. */
		if (S_han(p + i, len - i) >= 0 &&
		    (i + 3 == len || p[i + 3] < 0x80 || S_han(p + i + 3, len - i - 3) >= 0)) {
			if (out.len + 3 >= out.cap)
				buf_grow(&out, len - i + 3);
			memcpy(out.ptr + out.len, p + i, 3);
			out.len += 3;
			i += 3;
			continue;
		}
		k = S_next(p + i, len - i, &first);
		k0 = (size_t)k;

		if (k < 1 || first == 0) {
			buf_putc(&out, ' ');
			i++;
			continue;
		}
		for (j = i + (size_t)k, ncp = 1; j < len && ncp < S_MAX_PIECE; j += (size_t)k, ncp++) {
			k = S_next(p + j, len - j, &cp);
			if (k < 1 || cp == 0 || S_plain(cp))
				break;
		}
		if (first < 0x80 && j == i + 1)
			buf_putc(&out, first >= 'A' && first <= 'Z' ? first + 32 : first);
		else if (S_plain(first) && j == i + k0)
			buf_put(&out, text + i, j - i);
		else
			S_fold_slow(&out, text + i, j - i);
		i = j;
	}
	out.ptr[out.len] = '\0';
	*len_out = out.len;
	return buf_detach(&out, NULL);
}

/* What the scan hands to a mode: a word, or a CJK run with its character offsets. */
struct scan_ops {
	void (*word)(const char *s, size_t n, int at_end, void *payload);
	void (*run)(const char *s, const size_t *off, size_t nchars, void *payload);
	void *payload;
};

static int S_ascii_digit(int32_t cp)
{
	return cp >= '0' && cp <= '9';
}

/*
 * One pass over folded text s. off is scratch for the byte offsets of a
 * CJK run's characters (nchars + 1 entries: the last is the run's end).
 */
static void S_scan(const char *s, size_t len, const struct scan_ops *ops)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t i = 0, cap = 16;
	size_t *off = xmalloc(cap * sizeof(*off));

	pthread_once(&S_bmp_once, S_bmp_init);
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = S_next(p + i, len - i, &cp);
		size_t start = i, nchars = 0, cut = 0;
		int32_t prev = -1;

		if (k < 1) {
			i++;
			continue;
		}
		if (S_is_cjk(cp)) {
			while (i < len) {
				k = S_next(p + i, len - i, &cp);
				if (k < 1 || !S_is_cjk(cp))
					break;
				ARRAY_GROW(off, nchars + 1, cap, 16);
				off[nchars++] = i;
				i += (size_t)k;
			}
			off[nchars] = i;
			ops->run(s, off, nchars, ops->payload);
			continue;
		}
		if (!S_is_word(cp)) {
			i += (size_t)k;
			continue;
		}
		/* A word: letters, marks and digits, and '.' between two ASCII digits. */
		while (i < len) {
			k = S_next(p + i, len - i, &cp);
			if (k < 1)
				break;
			if (cp == '.' && S_ascii_digit(prev) && i + 1 < len && S_ascii_digit(p[i + 1])) {
				/* inside a number */
			} else if (!S_is_word(cp) || S_is_cjk(cp)) {
				break;
			}
			if (++nchars == TOKEN_MAX_CHARS + 1)
				cut = i;
			prev = cp;
			i += (size_t)k;
		}
		ops->word(s + start, (cut ? cut : i) - start, i == len, ops->payload);
	}
	free(off);
}

/* --- index mode ---------------------------------------------------------- */

struct index_state {
	void (*fn)(const char *term, size_t n, void *payload);
	void *payload;
};

static void S_index_word(const char *s, size_t n, int at_end, void *payload)
{
	struct index_state *st = payload;
	(void)at_end;
	st->fn(s, n, st->payload);
}

static void S_index_run(const char *s, const size_t *off, size_t nchars, void *payload)
{
	struct index_state *st = payload;
	size_t c;
	for (c = 0; c < nchars; c++) {
		st->fn(s + off[c], off[c + 1] - off[c], st->payload);
		if (c + 1 < nchars)
			st->fn(s + off[c], off[c + 2] - off[c], st->payload);
	}
}

void tokenize(const char *text, size_t len, void (*fn)(const char *term, size_t n, void *payload),
	      void *payload)
{
	struct index_state st = { fn, payload };
	struct scan_ops ops = { S_index_word, S_index_run, &st };
	size_t n;
	char *folded = tokenize_fold(text, len, &n);
	S_scan(folded, n, &ops);
	free(folded);
}

/* --- query mode ---------------------------------------------------------- */

struct query_state {
	void (*fn)(const char *term, size_t n, int prefix, void *payload);
	void *payload;
};

static void S_query_word(const char *s, size_t n, int at_end, void *payload)
{
	struct query_state *st = payload;
	st->fn(s, n, at_end, st->payload);
}

static void S_query_run(const char *s, const size_t *off, size_t nchars, void *payload)
{
	struct query_state *st = payload;
	size_t c;
	if (nchars == 1) {
		st->fn(s + off[0], off[1] - off[0], 0, st->payload);
		return;
	}
	for (c = 0; c + 1 < nchars; c++)
		st->fn(s + off[c], off[c + 2] - off[c], 0, st->payload);
}

void tokenize_query(const char *text, size_t len,
		    void (*fn)(const char *term, size_t n, int prefix, void *payload), void *payload)
{
	struct query_state st = { fn, payload };
	struct scan_ops ops = { S_query_word, S_query_run, &st };
	size_t n;
	char *folded = tokenize_fold(text, len, &n);
	S_scan(folded, n, &ops);
	free(folded);
}
