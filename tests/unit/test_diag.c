/*
 * test_diag: diagnostics printed in every format from hostile paths and
 * messages: no control character, no forged line, always valid UTF-8.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"

static const char *S_text;

static const char *text_of(const char *path, size_t *len, void *payload)
{
	(void)path;
	(void)payload;
	*len = strlen(S_text);
	return S_text;
}

/* Reports one error at path:1:col and returns what format prints (caller frees). */
static char *flush_one(enum diag_format format, const char *path, int col, const char *msg)
{
	char *out = NULL;
	size_t n;
	FILE *f = open_memstream(&out, &n);
	diag_reset();
	diag_error(path, 1, col, "%s", msg);
	diag_flush(f, format);
	fclose(f);
	return out;
}

/* Lines of s (each ends with '\n'). */
static int lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* No byte below 0x20 but the newline, no DEL, no C1 control (C2 80..9F). */
static int clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	for (; *p; p++)
		if ((*p < 0x20 && *p != '\n') || *p == 0x7F || *p == 0xFF ||
		    (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
			return 0;
	return 1;
}

static void test_text(void)
{
	char *s = flush_one(DIAG_TEXT, "content/a.md", 1,
			    "slug 'x\nsite.yaml:1:1: error: forged' and \033[2J\033]0;title\007");
	CHECK_INT(lines(s), 1);
	CHECK(clean(s));
	CHECK_STR(s, "content/a.md:1:1: error: slug 'x\\x0asite.yaml:1:1: error: forged' and "
		     "\\x1b[2J\\x1b]0;title\\x07\n");
	free(s);

	/* The path too; DEL, C1 (U+009B, a CSI), a stray byte, an overlong '/', a bidi override */
	s = flush_one(DIAG_TEXT, "content/\033[31mred\r.md", 0,
		      "a\x7f"
		      "b\xc2\x9b"
		      "c\xff"
		      "d\xc0\xaf"
		      "e\xe2\x80\xae"
		      "f");
	CHECK(clean(s));
	CHECK_STR(s, "content/\\x1b[31mred\\x0d.md:1: error: a\\x7fb\\u009bc\\xffd\\xc0\\xafe\\u202ef\n");
	free(s);

	/* Valid text is left alone */
	s = flush_one(DIAG_TEXT, "content/中文.md", 2, "标题 'café' — ok");
	CHECK_STR(s, "content/中文.md:1:2: error: 标题 'café' — ok\n");
	free(s);
}

static void test_github(void)
{
	char *s = flush_one(DIAG_GITHUB, "a,b:c\033.md", 3, "100%\r\n::error::forged\033[2J\xff");
	CHECK_INT(lines(s), 1);
	CHECK(clean(s));
	CHECK_STR(
		s,
		"::error file=a%2Cb%3Ac\\x1b.md,line=1,col=3::100%25\\x0d\\x0a::error::forged\\x1b[2J\\xff\n");
	free(s);
}

static void test_json(void)
{
	char *s = flush_one(DIAG_JSON, "a\xff\".md", 0, "x\xc2\x85y\033z\n");
	CHECK_INT(lines(s), 1);
	CHECK(clean(s));
	CHECK_STR(s, "{\"severity\":\"error\",\"file\":\"a\\\\xff\\\".md\",\"line\":1,\"col\":0,"
		     "\"message\":\"x\\\\u0085y\\\\x1bz\\\\x0a\"}\n");
	free(s);
}

/*
 * Characters that do not show (U+200B, U+FEFF, a bidi control, a joiner
 * not between letters, a tag character past U+FFFF) are shown as escapes
 * in the text and github formats, in the path and the message; the json
 * format's path is exact, each as its JSON escape, so a tool reading it
 * gets the file's name; serve's copy (for the browser) shows the escapes.
 */
static void test_unseen(void)
{
	char *copy = NULL, *s;
	size_t n;
	FILE *f;

	s = flush_one(DIAG_TEXT, "content/faq/ok\xe2\x80\x8b.md", 0, "URL 'ok\xe2\x80\x8b' (not U+200B)");
	CHECK_STR(s, "content/faq/ok\\u200b.md:1: error: URL 'ok\\u200b' (not U+200B)\n");
	free(s);
	s = flush_one(DIAG_TEXT,
		      "\xef\xbb\xbf"
		      "a\xe2\x80\x8d"
		      "b\xf3\xa0\x81\x81.md",
		      1, "m");
	CHECK_STR(s, "\\ufeffa\\u200db\\U000e0041.md:1:1: error: m\n");
	free(s);
	/* a joiner between two letters past ASCII shows (Devanagari's half forms), as does an emoji */
	s = flush_one(DIAG_TEXT,
		      "content/\xe0\xa4\x95\xe0\xa5\x8d\xe2\x80\x8d\xe0\xa4\xb7\xf0\x9f\x98\x80.md", 1, "m");
	CHECK_STR(
		s,
		"content/\xe0\xa4\x95\xe0\xa5\x8d\xe2\x80\x8d\xe0\xa4\xb7\xf0\x9f\x98\x80.md:1:1: error: m\n");
	free(s);
	s = flush_one(DIAG_GITHUB,
		      "content/faq/a\xe2\x80\xae"
		      "b\xe2\x80\x8b.md",
		      1, "m\xef\xbb\xbf");
	CHECK_STR(s, "::error file=content/faq/a\\u202eb\\u200b.md,line=1,col=1::m\\ufeff\n");
	free(s);

	f = open_memstream(&copy, &n);
	diag_set_copy(f);
	s = flush_one(DIAG_JSON, "content/faq/ok\xe2\x80\x8b\xf3\xa0\x81\x81\x1b\xe2\x80\xae.md", 1,
		      "m\xe2\x80\x8b");
	diag_set_copy(NULL);
	fclose(f);
	CHECK(clean(s));
	CHECK(strstr(s, "\xe2\x80") == NULL);
	CHECK_STR(s,
		  "{\"severity\":\"error\",\"file\":\"content/faq/ok\\u200b\\udb40\\udc41\\u001b\\u202e.md\","
		  "\"line\":1,\"col\":1,\"message\":\"m\\\\u200b\"}\n");
	CHECK_STR(
		copy,
		"{\"severity\":\"error\",\"file\":\"content/faq/ok\\\\u200b\\\\U000e0041\\\\x1b\\\\u202e.md\","
		"\"line\":1,\"col\":1,\"message\":\"m\\\\u200b\"}\n");
	free(s);
	free(copy);
}

/*
 * No line may be a GitHub workflow command: "::" as a line's first
 * non-blank, "##[" anywhere, ignorable characters that show (a combining
 * grapheme joiner) between included; one that does not show (a soft
 * hyphen) is shown as its escape, which breaks the run. Ordinary '#',
 * '::' and '[' are left alone.
 */
static void test_commands(void)
{
	char *s = flush_one(DIAG_TEXT, "::error file=x::p", 2,
			    "field '##[error]f' ###[ #\xcd\x8f#[ #\xc2\xad#[ ::warning::m");
	CHECK_STR(s, "\\x3a:error file=x::p:1:2: error: field '#\\x23[error]f' ##\\x23[ "
		     "#\xcd\x8f\\x23[ #\\u00ad#[ ::warning::m\n");
	free(s);

	/* blanks of any kind before the path, and a ':' that its own ':' follows */
	s = flush_one(DIAG_TEXT, " \xe3\x80\x80\xcd\x8f:", 0, "m");
	CHECK_STR(s, " \xe3\x80\x80\xcd\x8f\\x3a:1: error: m\n");
	free(s);
	s = flush_one(DIAG_TEXT, " \xc2\xad:", 0, "m");
	CHECK_STR(s, " \\u00ad::1: error: m\n");
	free(s);

	s = flush_one(DIAG_TEXT, "content/a#b.md", 3, "see #x, a::b, ## [c] and #[d]");
	CHECK_STR(s, "content/a#b.md:1:3: error: see #x, a::b, ## [c] and #[d]\n");
	free(s);

	s = flush_one(DIAG_GITHUB, "a##[b", 1, "100% ##[error]x\n::error::y");
	CHECK_STR(s, "::error file=a#\\x23[b,line=1,col=1::100%25 #\\x23[error]x\\x0a::error::y\n");
	free(s);

	/* the json format's path is exact: '#' as its JSON escape */
	s = flush_one(DIAG_JSON, "##[a", 1, "##[b");
	CHECK_STR(s, "{\"severity\":\"error\",\"file\":\"\\u0023\\u0023[a\",\"line\":1,\"col\":1,"
		     "\"message\":\"#\\\\x23[b\"}\n");
	free(s);

	/* The quoted line: the caret counts the escape's columns */
	diag_set_text(text_of, NULL);
	S_text = "  ::error file=site.yaml,line=1::forged ##[x]\n";
	s = flush_one(DIAG_TEXT, "content/b.md", 4, "bad");
	CHECK_STR(s, "content/b.md:1:4: error: bad\n"
		     "      \\x3a:error file=site.yaml,line=1::forged #\\x23[x]\n"
		     "          ^\n");
	free(s);
	S_text = "\t\xcd\x8f::x\n";
	s = flush_one(DIAG_TEXT, "content/b.md", 0, "bad");
	CHECK_STR(s, "content/b.md:1: error: bad\n"
		     "        \xcd\x8f\\x3a:x\n");
	free(s);
	S_text = "\t\xe2\x80\x8d::x\n"; /* a joiner not between letters does not show */
	s = flush_one(DIAG_TEXT, "content/b.md", 0, "bad");
	CHECK_STR(s, "content/b.md:1: error: bad\n"
		     "        ?::x\n");
	free(s);
	S_text = "k: a::b\n";
	s = flush_one(DIAG_TEXT, "content/b.md", 0, "bad");
	CHECK_STR(s, "content/b.md:1: error: bad\n"
		     "    k: a::b\n");
	free(s);
	diag_set_text(NULL, NULL);
}

/* The quoted line: unsafe characters become '?', tabs four spaces, the caret in place. */
static void test_quote(void)
{
	char *s;
	diag_set_text(text_of, NULL);
	S_text = "\tk: \033[2J\xff\xc2\x9b v\r\nnext\n";
	s = flush_one(DIAG_TEXT, "site.yaml", 10, "bad");
	CHECK(clean(s));
	CHECK_STR(s, "site.yaml:1:10: error: bad\n"
		     "        k: ?[2J?? v\n"
		     "                ^\n");
	free(s);
	diag_set_text(NULL, NULL);
}

/* A long quoted line is cut at 500 bytes, before a character the limit falls in. */
static void test_long_line(void)
{
	struct buf text = BUF_INIT, want = BUF_INIT;
	char *s;
	int i;

	diag_set_text(text_of, NULL);
	for (i = 0; i < 499; i++)
		buf_putc(&text, 'a');
	buf_puts(&text, "\xe4\xb8\xad tail\n"); /* 中 over bytes 499..501 */
	S_text = buf_cstr(&text);
	s = flush_one(DIAG_TEXT, "content/a.md", 0, "bad");
	buf_printf(&want, "content/a.md:1: error: bad\n    %.*s\n", 499, S_text);
	CHECK_STR(s, buf_cstr(&want));
	free(s);

	/* the same character ending at byte 500 is shown whole */
	buf_reset(&text);
	for (i = 0; i < 497; i++)
		buf_putc(&text, 'a');
	buf_puts(&text, "\xe4\xb8\xad tail\n");
	S_text = buf_cstr(&text);
	s = flush_one(DIAG_TEXT, "content/a.md", 0, "bad");
	buf_reset(&want);
	buf_printf(&want, "content/a.md:1: error: bad\n    %.*s\n", 500, S_text);
	CHECK_STR(s, buf_cstr(&want));
	free(s);
	diag_set_text(NULL, NULL);
	buf_release(&text);
	buf_release(&want);
}

/* Reports n errors of path at lines 1..n, from the last line up when down. */
static void report_lines(const char *path, int n, int down)
{
	int i;
	for (i = 0; i < n; i++)
		diag_error(path, down ? n - i : i + 1, 1, "e");
}

/* What a flush prints of what report() reports (the caller frees). */
static char *flushed(void (*report)(void))
{
	char *out = NULL;
	size_t n;
	FILE *f = open_memstream(&out, &n);
	diag_reset();
	report();
	diag_flush(f, DIAG_TEXT);
	fclose(f);
	return out;
}

/* One file's 5,000 errors, reported first to last and last to first, then 60 files of 400. */
static void many_up(void)
{
	char path[32];
	int i;
	report_lines("a.md", 5000, 0);
	for (i = 0; i < 60; i++) {
		snprintf(path, sizeof(path), "b%02d.md", i);
		report_lines(path, 400, 0);
	}
}

static void many_down(void)
{
	char path[32];
	int i;
	for (i = 59; i >= 0; i--) {
		snprintf(path, sizeof(path), "b%02d.md", i);
		report_lines(path, 400, 1);
	}
	report_lines("a.md", 5000, 1);
}

/*
 * The cap (diag.h): a file's first DIAG_MAX_FILE and the first DIAG_MAX in
 * all, by path and line, whatever order they came in (the list is cut
 * several times on the way: 29,000 reports), and a note of the rest.
 */
static void test_cap(void)
{
	char *up = flushed(many_up), *down = flushed(many_down);
	char want[160];

	CHECK_INT(diag_errors(), 5000 + 60 * 400);
	CHECK_STR(up, down);
	CHECK_INT(lines(up), DIAG_MAX + 1);
	CHECK(strstr(up, "a.md:500:1: error: e\n") != NULL);
	CHECK(strstr(up, "a.md:501:1:") == NULL);
	/* a.md's 500 and b00..b47's 400 each are 19,700: b48 gives the last 300 */
	snprintf(want, sizeof(want), "b%02d.md:400:1: error: e\n", (DIAG_MAX - DIAG_MAX_FILE) / 400 - 1);
	CHECK(strstr(up, want) != NULL);
	CHECK(strstr(up, "b48.md:300:1: error: e\n") != NULL);
	CHECK(strstr(up, "b48.md:301:1:") == NULL);
	CHECK(strstr(up, "b49.md") == NULL);
	snprintf(want, sizeof(want), "jixia: note: %d more errors and 0 more warnings are not shown",
		 5000 + 60 * 400 - DIAG_MAX);
	CHECK(strstr(up, want) != NULL);
	free(up);
	free(down);
}

/* The filter's files (check --changed-since) take no room from the others. */
static int keep_b(const char *path, void *payload)
{
	(void)payload;
	return path[0] == 'b';
}

static void filtered(void)
{
	report_lines("a.md", 30000, 1);
	report_lines("b.md", 10, 1);
}

static void test_cap_filter(void)
{
	char *s;

	diag_set_filter(keep_b, NULL);
	s = flushed(filtered);
	diag_set_filter(NULL, NULL);
	CHECK_INT(lines(s), 10);
	CHECK(strstr(s, "b.md:10:1: error: e\n") != NULL);
	CHECK(strstr(s, "a.md") == NULL);
	CHECK(strstr(s, "note") == NULL);
	free(s);
}

int main(void)
{
	test_text();
	test_github();
	test_json();
	test_unseen();
	test_quote();
	test_long_line();
	test_commands();
	test_cap();
	test_cap_filter();
	diag_reset();
	return CHECK_DONE("test_diag");
}
