/*
 * escape: context escapers, the URL percent-encoders (one function, a set
 * of kept bytes each) and the URL scheme check.
 */
#include "escape.h"

#include <string.h>

#include <utf8proc.h>

/* The bytes escape_html replaces: a table, so the bytes between them are passed in a tight loop. */
static const unsigned char S_html_special[256] = {
	['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
};

void escape_html(struct buf *out, const char *s, size_t n)
{
	size_t i, start = 0;
	for (i = 0; i < n; i++) {
		const char *rep;
		while (i < n && !S_html_special[(unsigned char)s[i]])
			i++;
		if (i == n)
			break;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_put(out, s + start, i - start);
		buf_puts(out, rep);
		start = i + 1;
	}
	buf_put(out, s + start, n - start);
}

/*
 * The bytes escape_json writes as they are whatever follows them:
 * printable ASCII but the few it escapes, and the bytes of UTF-8 but 0xE2
 * (which may start U+2028 or U+2029).
 */
static int S_json_plain(unsigned char c)
{
	if (c >= 0x80)
		return c != 0xE2;
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
}

void escape_json(struct buf *out, const char *s, size_t n)
{
	size_t i, run;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		/* a run of plain bytes in one put: most of a text is */
		for (run = i; run < n && S_json_plain((unsigned char)s[run]); run++)
			;
		if (run > i) {
			buf_put(out, s + i, run - i);
			i = run - 1;
			continue;
		}
		switch (c) {
		case '"': buf_puts(out, "\\\""); break;
		case '\\': buf_puts(out, "\\\\"); break;
		case '\n': buf_puts(out, "\\n"); break;
		case '\r': buf_puts(out, "\\r"); break;
		case '\t': buf_puts(out, "\\t"); break;
		case '<': buf_puts(out, "\\u003c"); break;
		case '>': buf_puts(out, "\\u003e"); break;
		case '&': buf_puts(out, "\\u0026"); break;
		default:
			/* U+2028 and U+2029 end a line in older JavaScript. */
			if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
			    ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
				buf_printf(out, "\\u%04x",
					   (unsigned)(0x2000 + (unsigned char)s[i + 2] - 0x80));
				i += 2;
			} else if (c < 0x20 || c == 0x7f) {
				buf_printf(out, "\\u%04x", c);
			} else {
				buf_putc(out, c);
			}
		}
	}
}

/*
 * The code point of the valid UTF-8 sequence at s (n bytes left) in *cp,
 * and its length; 0 for a byte that starts no valid sequence (overlong
 * forms, surrogates and values past U+10FFFF included).
 */
static size_t S_utf8(const unsigned char *s, size_t n, unsigned *cp)
{
	size_t len, k;
	unsigned c = s[0], min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, c &= 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, c &= 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[k] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

void escape_xml(struct buf *out, const char *s, size_t n)
{
	size_t i, len;
	unsigned cp;
	for (i = 0; i < n; i += len ? len : 1) {
		unsigned char c = (unsigned char)s[i];
		len = 1;
		switch (c) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&apos;"); break;
		default:
			if (c < 0x20 && c != '\t' && c != '\n')
				break;
			if (c < 0x80) {
				buf_putc(out, c);
				break;
			}
			/*
			 * XML 1.0 has no U+FFFE or U+FFFF, and a stray byte would
			 * make the whole document unreadable: U+FFFD stands in.
			 */
			len = S_utf8((const unsigned char *)s + i, n - i, &cp);
			if (!len)
				buf_puts(out, "\xEF\xBF\xBD");
			else if (cp != 0xFFFE && cp != 0xFFFF)
				buf_put(out, s + i, len);
		}
	}
}

/* The bytes each percent-encoder keeps as they are (every other one becomes %XX). */
enum url_keep {
	KEEP_URI,       /* all of ASCII a URI may hold: a URL already made stays as it is */
	KEEP_PATH,      /* unreserved, '/', the sub-delimiters but & ' ( ), ':' and '@' */
	KEEP_UNRESERVED /* unreserved and '/' only */
};

/* The sets as switches, not strchr: a path's every byte passes here (a
   forge address per page and per rebuild in serve). */
static int S_unreserved(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	switch (c) {
	case '-':
	case '.':
	case '_':
	case '~': return 1;
	default: return 0;
	}
}

static int S_url_keeps(enum url_keep keep, unsigned char c)
{
	if (S_unreserved(c))
		return 1;
	switch (keep) {
	case KEEP_URI:
		if (c <= 0x20 || c >= 0x7F)
			return 0;
		switch (c) {
		case '"':
		case '<':
		case '>':
		case '\\':
		case '^':
		case '`':
		case '{':
		case '|':
		case '}': return 0;
		default: return 1;
		}
	case KEEP_PATH:
		switch (c) {
		case '/':
		case '!':
		case '$':
		case '*':
		case '+':
		case ',':
		case ';':
		case '=':
		case ':':
		case '@': return 1;
		default: return 0;
		}
	case KEEP_UNRESERVED: break;
	}
	return c == '/';
}

/*
 * The runs of bytes kept go in by one copy each, the room for the worst
 * case (every byte %XX) made once: every link of every page passes here.
 */
static void S_percent(struct buf *out, const char *s, size_t n, enum url_keep keep)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i = 0, run;
	char *o;

	if (n > (SIZE_MAX - 1) / 3)
		buf_grow(out, SIZE_MAX); /* no room for it: buf_grow's out-of-memory exit */
	buf_grow(out, 3 * n);
	o = out->ptr + out->len;
	while (i < n) {
		unsigned char c;
		for (run = i; run < n && S_url_keeps(keep, (unsigned char)s[run]); run++)
			;
		memcpy(o, s + i, run - i);
		o += run - i;
		if ((i = run) == n)
			break;
		c = (unsigned char)s[i++];
		*o++ = '%';
		*o++ = hex[c >> 4];
		*o++ = hex[c & 15];
	}
	out->len = (size_t)(o - out->ptr);
	out->ptr[out->len] = '\0';
}

void escape_uri(struct buf *out, const char *s, size_t n)
{
	S_percent(out, s, n, KEEP_URI);
}

void escape_url_path(struct buf *out, const char *s, size_t n)
{
	S_percent(out, s, n, KEEP_PATH);
}

void escape_url_strict(struct buf *out, const char *s, size_t n)
{
	S_percent(out, s, n, KEEP_UNRESERVED);
}

/* A clip's end: back to the last space when it is near, then "…". */
static void S_clip_end(struct buf *out, size_t start, size_t space_at, size_t chars_after_space)
{
	if (space_at > start && chars_after_space <= 20)
		out->len = space_at;
	while (out->len > start && out->ptr[out->len - 1] == ' ')
		out->len--;
	buf_puts(out, "\xE2\x80\xA6");
}

/*
 * Characters whose grapheme break class is Other, and which utf8proc
 * leaves its break state at Other after: printable ASCII, CJK ideographs,
 * CJK punctuation and the full-width forms. Between two of them there is
 * always a break (checked against utf8proc for every one of them), so
 * most text, English and Chinese, is clipped without asking it.
 */
static int S_plain_grapheme(utf8proc_int32_t cp)
{
	return (cp > 0x20 && cp < 0x7F) || (cp >= 0x3001 && cp <= 0x3003) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xFF01 && cp <= 0xFF5E);
}

/*
 * The code point at p (n bytes left) and its length, as utf8proc_iterate
 * says: ASCII and valid three-byte sequences (CJK) decoded here, the rest
 * by utf8proc.
 */
static utf8proc_ssize_t S_clip_cp(const utf8proc_uint8_t *p, size_t n, utf8proc_int32_t *cp)
{
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xE0 && p[0] < 0xF0 && n >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
		utf8proc_int32_t c = ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
		if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
			*cp = c;
			return 3;
		}
	}
	return utf8proc_iterate(p, (utf8proc_ssize_t)n, cp);
}

/* Writes the kept characters not yet written, s[*from, *upto): none left. */
static void S_clip_flush(struct buf *out, const utf8proc_uint8_t *s, size_t *from, size_t *upto)
{
	if (*upto > *from)
		buf_put(out, s + *from, *upto - *from);
	*from = *upto;
}

int text_clip(struct buf *out, const char *s, size_t n, size_t max)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp, prev = -1, state = 0;
	size_t i = 0, chars = 0, start = out->len, space_at = 0, space_chars = 0;
	/* the characters kept are written a run at a time (a run of the text with
	   nothing left out), not one put each: p[from, upto) is kept, not written */
	size_t from = 0, upto = 0;
	int space = 0, newline = 0, cut = 0;

	while (i < n) {
		utf8proc_ssize_t k = S_clip_cp(p + i, n - i, &cp);
		if (k <= 0) { /* a stray byte is no text */
			i++;
			continue;
		}
		i += (size_t)k;
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000) {
			space = 1;
			newline |= cp == '\n';
			continue;
		}
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			continue;
		/* A line break between two CJK characters was no space in the text. */
		if (newline && prev >= 0 && utf8proc_charwidth(prev) == 2 && utf8proc_charwidth(cp) == 2)
			space = 0;
		newline = 0;
		if (space && (out->len > start || upto > from)) {
			if (chars == max) {
				cut = 1;
				break;
			}
			S_clip_flush(out, p, &from, &upto);
			space_at = out->len;
			space_chars = chars++;
			buf_putc(out, ' ');
			state = 0;
		}
		/*
		 * A cut falls only where a new grapheme starts, never inside one.
		 * Two plain characters are two graphemes, and the state after
		 * the second is its class, OTHER, as utf8proc would say: no
		 * call for them.
		 */
		if (prev < 0 || space ||
		    (S_plain_grapheme(prev) && S_plain_grapheme(cp)
			     ? (state = UTF8PROC_BOUNDCLASS_OTHER, 1)
			     : utf8proc_grapheme_break_stateful(prev, cp, &state))) {
			if (chars == max) {
				cut = 1;
				break;
			}
			chars++;
		}
		space = 0;
		if (upto != i - (size_t)k) { /* something left out before it: a new run */
			S_clip_flush(out, p, &from, &upto);
			from = i - (size_t)k;
		}
		upto = i;
		prev = cp;
	}
	S_clip_flush(out, p, &from, &upto);
	if (cut)
		S_clip_end(out, start, space_at, chars - space_chars);
	return cut;
}

/*
 * ASCII tests for S_scheme: a decoded entity can be any value up to
 * U+10FFFF, which <ctype.h> may not be given.
 */
static int S_ascii_digit(unsigned c)
{
	return c >= '0' && c <= '9';
}

static int S_ascii_alpha(unsigned c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static unsigned S_ascii_lower(unsigned c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/*
 * Decodes the few forms a browser folds before it reads a scheme: numeric
 * and named entities for ':' and letters, and it ignores ASCII tab/newline
 * and leading spaces/controls. Returns the scheme (lower case) in out, or
 * "" when the URL has none.
 */
static void S_scheme(char *out, size_t cap, const char *s, size_t n)
{
	size_t i = 0, o = 0;
	while (i < n && (unsigned char)s[i] <= 0x20)
		i++;
	while (i < n && o + 1 < cap) {
		unsigned c = (unsigned char)s[i];
		if (c == '\t' || c == '\n' || c == '\r') {
			i++;
			continue;
		}
		if (c == '&') {
			/* &#58; &#x3a; &colon; and entity-coded letters */
			size_t j = i + 1;
			unsigned v = 0;
			if (j < n && s[j] == '#') {
				int hex = 0;
				j++;
				if (j < n && (s[j] == 'x' || s[j] == 'X')) {
					hex = 1;
					j++;
				}
				while (j < n && (S_ascii_digit((unsigned char)s[j]) ||
						 (hex && S_ascii_lower((unsigned char)s[j]) >= 'a' &&
						  S_ascii_lower((unsigned char)s[j]) <= 'f'))) {
					unsigned d = S_ascii_digit((unsigned char)s[j])
							     ? (unsigned)(s[j] - '0')
							     : S_ascii_lower((unsigned char)s[j]) - 'a' + 10;
					v = v * (hex ? 16 : 10) + d;
					if (v > 0x10ffff)
						v = 0x10ffff;
					j++;
				}
				if (j < n && s[j] == ';')
					j++;
				c = v;
			} else if (n - j >= 6 && strncmp(s + j, "colon;", 6) == 0) {
				c = ':';
				j += 6;
			} else {
				break;
			}
			i = j;
		} else {
			i++;
		}
		if (c == ':') {
			out[o] = '\0';
			return;
		}
		if (!(S_ascii_alpha(c) || S_ascii_digit(c) || c == '+' || c == '-' || c == '.'))
			break;
		out[o++] = (char)S_ascii_lower(c);
	}
	out[0] = '\0';
}

int url_is_safe(const char *s, size_t n)
{
	char scheme[32];
	size_t i;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return 0;
	S_scheme(scheme, sizeof scheme, s, n);
	if (!scheme[0])
		return 1;
	return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 || strcmp(scheme, "mailto") == 0;
}

int url_body_is_safe(const char *s, size_t n)
{
	static const char *const active[] = { "javascript", "vbscript", "data", "file", NULL };
	const char *const *a;
	char scheme[32];

	S_scheme(scheme, sizeof scheme, s, n);
	for (a = active; *a; a++)
		if (strcmp(scheme, *a) == 0)
			return 0;
	return 1;
}

int url_is_external(const char *s)
{
	const char *p = s;
	if (s[0] == '/' && s[1] == '/')
		return 1;
	while (*p && *p != ':' && *p != '/' && *p != '?' && *p != '#')
		p++;
	return *p == ':' && p > s;
}

/* A letter or mark past ASCII: what a joiner may stand between. */
static int S_joinable(utf8proc_int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return cp >= 0x80 && c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME;
}

/*
 * U+200C and U+200D (zero width non-joiner, joiner) at s, k bytes, between
 * two letters or marks past ASCII: Persian writes ZWNJ inside words and
 * Indic scripts choose conjuncts with them, and there they change what is
 * shown; anywhere else ("ok" and one) they are unseen.
 */
static int S_joiner_shows(const char *start, const char *s, size_t k, const char *end)
{
	size_t n = 1, max = (size_t)(s - start) < 4 ? (size_t)(s - start) : 4;
	size_t rest = (size_t)(end - s) - k;
	utf8proc_int32_t before, after;

	if (!max)
		return 0;
	/* back over the continuation bytes to the character before's first */
	while (n < max && ((unsigned char)*(s - n) & 0xC0) == 0x80)
		n++;
	return utf8proc_iterate((const utf8proc_uint8_t *)(s - n), (utf8proc_ssize_t)n, &before) ==
		       (utf8proc_ssize_t)n &&
	       S_joinable(before) &&
	       utf8proc_iterate((const utf8proc_uint8_t *)s + k, (utf8proc_ssize_t)(rest < 4 ? rest : 4),
				&after) > 0 &&
	       S_joinable(after);
}

/*
 * A character past ASCII that a URL or a published file's name may hold:
 * one that shows. Not a control (C1: U+0085 ends a line in XML 1.1), a
 * format character (the bidi overrides turn a name around on screen,
 * "a\u202Efdp.zip" reads "apiz.pdf"; U+200B and U+FEFF are unseen: "ok"
 * and "ok" with one after it would be two pages that read alike, which the
 * duplicate check, folding case and Unicode form only, lets by; a joiner
 * only inside a word of a script it shapes, S_joiner_shows), a line or
 * paragraph separator, a private or unassigned code point, or invalid
 * UTF-8; nor a space unless space_ok. Letters, marks, digits, punctuation
 * and symbols pass, so Chinese names with their own punctuation work.
 * s is in the string that begins at start.
 */
size_t text_char_shows(const char *start, const char *s, int space_ok)
{
	/* a character and the one after it: a NUL ends the string before */
	return text_char_shows_n(start, s, s + strnlen(s, 8), space_ok);
}

size_t text_char_shows_n(const char *start, const char *s, const char *end, int space_ok)
{
	utf8proc_int32_t cp;
	size_t n = (size_t)(end - s);
	utf8proc_ssize_t k =
		utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)(n < 4 ? n : 4), &cp);

	if (k <= 0)
		return 0;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_CF:
		return (cp == 0x200C || cp == 0x200D) && S_joiner_shows(start, s, (size_t)k, end)
			       ? (size_t)k
			       : 0;
	case UTF8PROC_CATEGORY_CC:
	case UTF8PROC_CATEGORY_CO:
	case UTF8PROC_CATEGORY_CN:
	case UTF8PROC_CATEGORY_CS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP: return 0;
	case UTF8PROC_CATEGORY_ZS: return space_ok ? (size_t)k : 0;
	default: return (size_t)k;
	}
}

const char *text_unseen(const char *s, int space_ok)
{
	const char *start = s;
	while (*s) {
		size_t k = 1;
		if ((unsigned char)*s >= 0x80 && !(k = text_char_shows(start, s, space_ok)))
			return s;
		s += k;
	}
	return NULL;
}

int text_cp(const char *s)
{
	utf8proc_int32_t cp = -1;
	if ((unsigned char)*s < 0x80 || utf8proc_iterate((const utf8proc_uint8_t *)s, 4, &cp) <= 0)
		return -1;
	return (int)cp;
}
