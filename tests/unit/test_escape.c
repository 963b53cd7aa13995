/*
 * test_escape: the context escapers on hostile text. HTML escapes exactly
 * its five bytes whatever surrounds them, XML is always
 * well-formed, JSON never closes a script, URIs hold no byte a URI may not,
 * each percent-encoder keeps its own set of bytes and no other, and a
 * clipped summary is cut between graphemes, before escaping.
 */
#include <string.h>

#include "check.h"
#include "escape.h"
#include "jsonld.h"
#include "util.h"

static char out_text[4096];

static const char *S_xml(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	escape_xml(&b, s, n);
	snprintf(out_text, sizeof out_text, "%s", buf_cstr(&b));
	buf_release(&b);
	return out_text;
}

static const char *S_json(const char *s)
{
	struct buf b = BUF_INIT;
	escape_json(&b, s, strlen(s));
	snprintf(out_text, sizeof out_text, "%s", buf_cstr(&b));
	buf_release(&b);
	return out_text;
}

static const char *S_uri(const char *s)
{
	struct buf b = BUF_INIT;
	escape_uri(&b, s, strlen(s));
	snprintf(out_text, sizeof out_text, "%s", buf_cstr(&b));
	buf_release(&b);
	return out_text;
}

static const char *S_clip(const char *s, size_t max)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "[");
	text_clip(&b, s, strlen(s), max);
	buf_puts(&b, "]");
	snprintf(out_text, sizeof out_text, "%s", buf_cstr(&b));
	buf_release(&b);
	return out_text;
}

static void test_xml(void)
{
	CHECK_STR(S_xml("a<b>&\"'", 8), "a&lt;b&gt;&amp;&quot;&apos;");
	/* C0 controls but tab and newline go; so do U+FFFE and U+FFFF */
	CHECK_STR(S_xml("a\x01\x1f\tb\nc\rd", 10), "a\tb\ncd");
	CHECK_STR(S_xml("x\xEF\xBF\xBEy\xEF\xBF\xBFz", 9), "xyz");
	/* a byte that is not UTF-8 (stray, overlong, surrogate, cut short) becomes U+FFFD */
	CHECK_STR(S_xml("a\xFFz", 3), "a\xEF\xBF\xBDz");
	CHECK_STR(S_xml("a\xC0\xAFz", 4), "a\xEF\xBF\xBD\xEF\xBF\xBDz");
	CHECK_STR(S_xml("a\xED\xA0\x80z", 5), "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz");
	CHECK_STR(S_xml("a\xE4\xB8", 3), "a\xEF\xBF\xBD\xEF\xBF\xBD");
	CHECK_STR(S_xml("中文 \xF0\x9F\x98\x80 ]]>", 15), "中文 \xF0\x9F\x98\x80 ]]&gt;");
}

static void test_json(void)
{
	CHECK_STR(S_json("</script><!--&"), "\\u003c/script\\u003e\\u003c!--\\u0026");
	CHECK_STR(S_json("\"\\\n\x01"), "\\\"\\\\\\n\\u0001");
	CHECK_STR(S_json("a\xE2\x80\xA8"
			 "b"),
		  "a\\u2028b");
	/* runs of plain bytes between escapes, UTF-8 in them, 0xE2 starting other characters */
	CHECK_STR(S_json("plain text, then \"q\" and 杭州 \xE2\x80\x94 dash\x7f end"),
		  "plain text, then \\\"q\\\" and 杭州 \xE2\x80\x94 dash\\u007f end");
	CHECK_STR(S_json("\xE2\x80\xA9x\xE2\x80"), "\\u2029x\xE2\x80");
	CHECK_STR(S_json("abc"), "abc");
	CHECK_STR(S_json(""), "");
}

static void test_uri(void)
{
	CHECK_STR(S_uri("https://example.org/city/杭州/?q=a b&x=%41"),
		  "https://example.org/city/%E6%9D%AD%E5%B7%9E/?q=a%20b&x=%41");
	CHECK_STR(S_uri("a\"<>\\^`{|}\n"), "a%22%3C%3E%5C%5E%60%7B%7C%7D%0A");
}

/*
 * Each percent-encoder over every byte: kept as it is, or %XX in upper
 * case. The sets are the ones the three encoders had before they moved
 * here (escape_uri; media.c's path encoder, isalnum in the C locale; and
 * forge.c's), so the output bytes are the same.
 */
static int S_is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static void test_percent(void)
{
	static const char hex[] = "0123456789ABCDEF";
	void (*enc[3])(struct buf *, const char *, size_t) = {
		escape_uri,
		escape_url_path,
		escape_url_strict,
	};
	struct buf b = BUF_INIT;
	int c, k, wrong[3] = { 0, 0, 0 };

	for (c = 0; c < 256; c++) {
		char s[1] = { (char)c }, want[4] = { '%', hex[c >> 4], hex[c & 15], '\0' };
		int keep[3];
		keep[0] = c > 0x20 && c < 0x7F && !strchr("\"<>\\^`{|}", c);
		keep[1] = c && (S_is_alnum(c) || strchr("-._~/!$*+,;=:@", c));
		keep[2] = c && (S_is_alnum(c) || strchr("-._~/", c));
		for (k = 0; k < 3; k++) {
			buf_reset(&b);
			enc[k](&b, s, 1);
			if (keep[k] ? b.len != 1 || b.ptr[0] != (char)c : strcmp(b.ptr, want) != 0)
				wrong[k]++;
		}
	}
	CHECK_INT(wrong[0], 0);
	CHECK_INT(wrong[1], 0);
	CHECK_INT(wrong[2], 0);

	buf_reset(&b);
	escape_url_path(&b, "talks/a b/幻灯片&(1)%.pdf", strlen("talks/a b/幻灯片&(1)%.pdf"));
	CHECK_STR(b.ptr, "talks/a%20b/%E5%B9%BB%E7%81%AF%E7%89%87%26%281%29%25.pdf");
	buf_reset(&b);
	escape_url_path(&b, "x/!$*+,;=:@~", 12);
	CHECK_STR(b.ptr, "x/!$*+,;=:@~");
	buf_reset(&b);
	escape_url_strict(&b, "feature/a+b@c:d", 15);
	CHECK_STR(b.ptr, "feature/a%2Bb%40c%3Ad");
	/* appended, as every escaper does */
	escape_url_strict(&b, "/x y", 4);
	CHECK_STR(b.ptr, "feature/a%2Bb%40c%3Ad/x%20y");
	buf_release(&b);
}

static void test_clip(void)
{
	/* short text: white space runs become one space, nothing is added */
	CHECK_STR(S_clip("  one\n two\t\tthree  ", 100), "[one two three]");
	CHECK_STR(S_clip("", 5), "[]");
	/* cut after max characters, "…" added */
	CHECK_STR(S_clip("abcdefghij", 4), "[abcd…]");
	CHECK_STR(S_clip("中文标题很长", 3), "[中文标…]");
	/* at the last space when one is near */
	CHECK_STR(S_clip("hello wonderful world", 12), "[hello…]");
	/* never inside a grapheme: a combining accent, an emoji with a modifier */
	CHECK_STR(S_clip("ae\xCC\x81"
			 "bc",
			 2),
		  "[ae\xCC\x81…]");
	CHECK_STR(S_clip("\xF0\x9F\x91\x8B\xF0\x9F\x8F\xBD"
			 "xyz",
			 1),
		  "[\xF0\x9F\x91\x8B\xF0\x9F\x8F\xBD…]");
	/* ASCII after a prepended mark (U+0600) is in its grapheme; then ASCII pairs apart */
	CHECK_STR(S_clip("\xD8\x80"
			 "12ab",
			 2),
		  "[\xD8\x80"
		  "12…]");
	CHECK_STR(S_clip("x\xCC\x81yz\xE2\x80\x8D!?", 3), "[x\xCC\x81yz\xE2\x80\x8D…]");
	CHECK_STR(S_clip("x\xCC\x81yz\xE2\x80\x8D!?", 4), "[x\xCC\x81yz\xE2\x80\x8D!…]");
	/* CJK decoded without utf8proc, but a mark after it stays in its grapheme, a surrogate goes */
	CHECK_STR(S_clip("中\xE3\x82\x99文字", 1), "[中\xE3\x82\x99…]");
	CHECK_STR(S_clip("中\xED\xA0\x80文，字", 100), "[中文，字]");
	CHECK_STR(S_clip("中\xE0\x80\x80文\xE4\xB8", 100), "[中文]");
	/* the text is cut before it is escaped, so no entity can be cut: & stays one character */
	CHECK_STR(S_clip("a&b<c", 3), "[a&b…]");
	/* a line break between CJK characters was no space */
	CHECK_STR(S_clip("第一行\n第二行", 100), "[第一行第二行]");
	CHECK_STR(S_clip("中文 English", 100), "[中文 English]");
	/* controls and stray bytes are no text */
	CHECK_STR(S_clip("a\x01"
			 "b\xFF"
			 "c",
			 100),
		  "[abc]");
}

static int S_safe(const char *s)
{
	return url_is_safe(s, strlen(s));
}

static void test_scheme(void)
{
	CHECK_INT(S_safe("https://example.org/"), 1);
	CHECK_INT(S_safe("/docs/a/"), 1);
	CHECK_INT(S_safe("mailto:a@example.org"), 1);
	CHECK_INT(S_safe("JavaScript:alert(1)"), 0);
	CHECK_INT(S_safe(" java\tscript:alert(1)"), 0); /* tabs and newlines are looked through */
	CHECK_INT(S_safe("java\nscript:x"), 0);
	CHECK_INT(S_safe("java\\tscript:x"), 1); /* a backslash ends the scheme: relative */
	CHECK_INT(S_safe("jav&#x61;script&colon;alert(1)"), 0);
	CHECK_INT(S_safe("&#106;avascript&#58;alert(1)"), 0);
	CHECK_INT(S_safe("&#X4A;avascript:x"), 0);
	CHECK_INT(S_safe("data:image/png;base64,AAAA"), 0);
	CHECK_INT(S_safe("vbscript:x"), 0);
	/* entity values past ASCII, up to U+10FFFF and beyond: no <ctype.h>
	 * call sees them (that was undefined behaviour, and crashed) */
	CHECK_INT(S_safe("&#x10FFFF;x:y"), 1);
	CHECK_INT(S_safe("&#1114111;javascript:x"), 1);
	CHECK_INT(S_safe("a&#x130;b:c"), 1);
	CHECK_INT(S_safe("&#xFFFFFFFFF;x:y"), 1);
	CHECK_INT(S_safe("&#xFF;a:b"), 1);
	/* but an entity-coded ASCII letter still counts */
	CHECK_INT(S_safe("&#x76;bscript:x"), 0);
}

/*
 * A FAQ answer's text is made only as far as its clip needs: the same
 * text as clipping the whole body's text, for bodies long and short, with
 * tags, entities, CJK, combining marks and long runs of nothing but tags.
 */
static void test_html_text(void)
{
	static const char *const parts[] = {
		"word ", "<p>",           "</p>\n", "<em>",    "</em>",
		"&amp;", "&#x4e2d;",      "&lt;",   "&bogus;", "杭州",
		"\n",    "e\xCC\x81",     "  ",     "<br />",  "a-very-long-word-indeed",
		"&#0;",  "<code>x</code>"
	};
	static const size_t maxes[] = { 0, 1, 3, 10, 50, 200, 5000 };
	unsigned seed = 12345;
	size_t round, k, m, bad = 0, cut = 0;

	for (round = 0; round < 60; round++) {
		struct buf html = BUF_INIT, whole = BUF_INIT;
		size_t nparts = round < 10 ? round : (round * 97) % 3000;
		if (round % 7 == 3) /* nothing but tags first: a prefix of only spaces does not cut */
			for (k = 0; k < 600; k++)
				buf_puts(&html, "<p></p>");
		for (k = 0; k < nparts; k++) {
			seed = seed * 1103515245u + 12345u;
			buf_puts(&html, parts[(seed >> 16) % (sizeof(parts) / sizeof(parts[0]))]);
		}
		jsonld_html_text(&whole, html.ptr, html.len, SIZE_MAX);
		for (m = 0; m < sizeof(maxes) / sizeof(maxes[0]); m++) {
			struct buf got = BUF_INIT, want = BUF_INIT;
			buf_puts(&got, "[");
			buf_puts(&want, "[");
			jsonld_html_text(&got, html.ptr, html.len, maxes[m]);
			cut += text_clip(&want, whole.ptr, whole.len, maxes[m]);
			if (got.len != want.len || memcmp(got.ptr, want.ptr, got.len) != 0)
				bad++;
			buf_release(&got);
			buf_release(&want);
		}
		buf_release(&html);
		buf_release(&whole);
	}
	CHECK_INT((long)bad, 0);
	CHECK(cut > 100);
	/* the entities decoded, tags as spaces, and the clip's mark */
	{
		struct buf b = BUF_INIT;
		const char *h = "<p>Old rows &amp; dead <em>tuples</em> stay</p>\n<p>until &#x56;ACUUM.</p>";
		jsonld_html_text(&b, h, strlen(h), 100);
		CHECK_STR(buf_cstr(&b), "Old rows & dead tuples stay until VACUUM.");
		buf_reset(&b);
		jsonld_html_text(&b, h, strlen(h), 3);
		CHECK_STR(buf_cstr(&b), "Old\xE2\x80\xA6");
		/* inline tags join their text, every other tag parts it */
		buf_reset(&b);
		h = "<p>a<strong>b</strong>c<a href=\"/x\">d</a><sup>1</sup></p><li>e</li><td>f</td><strongest>g<u>h</u>";
		jsonld_html_text(&b, h, strlen(h), 100);
		CHECK_STR(buf_cstr(&b), "abcd1 e f gh");
		buf_release(&b);
	}
}

/*
 * escape_html against the plain rule, one byte at a time: every byte value,
 * alone, between runs of plain bytes (which it passes in a tight loop), at
 * the start and at the end.
 */
static void test_html(void)
{
	struct buf got = BUF_INIT, want = BUF_INIT, in = BUF_INIT;
	int c;

	for (c = 0; c < 256; c++) {
		buf_putc(&in, (char)c);
		buf_puts(&in, c % 2 ? "plain text \xe4\xb8\xad" : "x");
	}
	buf_put(&in, "<&>\"'", 5);
	for (c = 0; c < (int)in.len; c++) {
		switch (in.ptr[c]) {
		case '&': buf_puts(&want, "&amp;"); break;
		case '<': buf_puts(&want, "&lt;"); break;
		case '>': buf_puts(&want, "&gt;"); break;
		case '"': buf_puts(&want, "&quot;"); break;
		case '\'': buf_puts(&want, "&#39;"); break;
		default: buf_putc(&want, in.ptr[c]);
		}
	}
	escape_html(&got, in.ptr, in.len);
	CHECK_INT((int)got.len, (int)want.len);
	CHECK(got.len == want.len && memcmp(got.ptr, want.ptr, got.len) == 0);
	buf_reset(&got);
	escape_html(&got, "", 0);
	CHECK_INT((int)got.len, 0);
	escape_html(&got, "a'b", 3);
	CHECK_STR(buf_cstr(&got), "a&#39;b");
	buf_release(&got);
	buf_release(&want);
	buf_release(&in);
}

/* Characters a URL or a published name may hold: those that show. */
static void test_char_shows(void)
{
	CHECK_INT((int)text_char_shows("\xE5\xBC\xA0", "\xE5\xBC\xA0", 0), 3); /* 张 */
	CHECK_INT((int)text_char_shows("\xC2\xB7", "\xC2\xB7", 0), 2);         /* a middle dot: punctuation */
	CHECK_INT((int)text_char_shows("\xCC\x81", "\xCC\x81", 0), 2);         /* a combining acute */
	CHECK_INT((int)text_char_shows("\xE2\x80\xAE", "\xE2\x80\xAE", 0), 0); /* U+202E, a bidi override */
	CHECK_INT((int)text_char_shows("\xE2\x80\x8B", "\xE2\x80\x8B", 0), 0); /* U+200B */
	CHECK_INT((int)text_char_shows("\xEF\xBB\xBF", "\xEF\xBB\xBF", 0), 0); /* U+FEFF */
	CHECK_INT((int)text_char_shows("\xC2\x85", "\xC2\x85", 0), 0);         /* U+0085, a C1 control */
	CHECK_INT((int)text_char_shows("\xE2\x80\xA8", "\xE2\x80\xA8", 0), 0); /* U+2028 */
	CHECK_INT((int)text_char_shows("\xEE\x80\x80", "\xEE\x80\x80", 0), 0); /* U+E000, private use */
	CHECK_INT((int)text_char_shows("\xE3\x80\x80", "\xE3\x80\x80", 0), 0); /* U+3000, a space */
	CHECK_INT((int)text_char_shows("\xE3\x80\x80", "\xE3\x80\x80", 1), 3);
	CHECK_INT((int)text_char_shows("\xC0\x80", "\xC0\x80", 1), 0); /* invalid UTF-8 */
	CHECK_INT((int)text_char_shows("\xE5\xBC", "\xE5\xBC", 1), 0); /* cut short */
	{
		/* text_char_shows_n reads nothing at or past its end: a character cut by it, and a
		   joiner between two letters whose second lies past it */
		static const char zh[] = "\xE5\xBC\xA0", jn[] = "\xE0\xA4\x95\xE2\x80\x8D\xE0\xA4\xB7";
		CHECK_INT((int)text_char_shows_n(zh, zh, zh + 3, 0), 3);
		CHECK_INT((int)text_char_shows_n(zh, zh, zh + 2, 0), 0);
		CHECK_INT((int)text_char_shows_n(jn, jn + 3, jn + 9, 0), 3);
		CHECK_INT((int)text_char_shows_n(jn, jn + 3, jn + 8, 0), 0);
		CHECK_INT((int)text_char_shows_n(jn, jn + 3, jn + 6, 0), 0);
	}
	CHECK(text_unseen("static/a b.pdf", 1) == NULL);
	/* joiners: inside a Persian or Devanagari word they show, after ASCII or at an end not */
	CHECK(text_unseen("\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE", 0) == NULL); /* می‌خ */
	CHECK(text_unseen("\xE0\xA4\x95\xE0\xA5\x8D\xE2\x80\x8D\xE0\xA4\xB7", 0) == NULL);
	CHECK(text_unseen("ok\xE2\x80\x8C", 0) != NULL);
	CHECK(text_unseen("o\xE2\x80\x8Ck", 0) != NULL);
	CHECK(text_unseen("\xD9\x85\xE2\x80\x8C", 0) != NULL);
	CHECK(text_unseen("\xE2\x80\x8D\xD8\xAE", 0) != NULL);
	CHECK_STR(text_unseen("static/r\xE2\x80\xAE"
			      "fdp.zip",
			      1),
		  "\xE2\x80\xAE"
		  "fdp.zip");
	CHECK_INT(text_cp("\xE2\x80\x8B"), 0x200B);
	CHECK_INT(text_cp("a"), -1);
}

int main(void)
{
	test_char_shows();
	test_html();
	test_xml();
	test_json();
	test_uri();
	test_percent();
	test_clip();
	test_scheme();
	test_html_text();
	return CHECK_DONE("test_escape");
}
