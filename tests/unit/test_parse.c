/*
 * test_parse: front matter fences, error positions, Markdown rendering, and
 * what parse_page reads off the body: heading ids, table of contents,
 * summary, reading time.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config.h"
#include "diag.h"
#include "parse.h"

static char *flush_msgs(void)
{
	char *msgs;
	size_t n;
	FILE *f = open_memstream(&msgs, &n);
	diag_flush(f, DIAG_TEXT);
	fclose(f);
	return msgs;
}

static void test_split(void)
{
	struct fm_split sp;
	const char *s = "---\ntitle: a\n---\nbody\n";
	CHECK_INT(fm_split(&sp, "x.md", s, strlen(s)), 0);
	CHECK(sp.fm == s + 4);
	CHECK_INT(sp.fm_len, strlen("title: a\n"));
	CHECK_INT(sp.fm_line, 2);
	CHECK_INT(sp.body_line, 4);
	CHECK_STR(sp.body, "body\n");

	/* No fence: all body. */
	s = "# Title\n---\n";
	CHECK_INT(fm_split(&sp, "x.md", s, strlen(s)), 0);
	CHECK(sp.fm == NULL);
	CHECK(sp.body == s);
	CHECK_INT(sp.body_line, 1);

	/* BOM, CRLF and trailing spaces on the fences; "..." closes too. */
	s = "\xEF\xBB\xBF---  \r\ntitle: a\r\nx: 1\r\n...\r\nbody";
	CHECK_INT(fm_split(&sp, "x.md", s, strlen(s)), 0);
	CHECK(sp.fm != NULL && strncmp(sp.fm, "title: a\r\n", 10) == 0);
	CHECK_INT(sp.body_line, 5);
	CHECK_STR(sp.body, "body");

	/* Empty front matter. */
	s = "---\n---\nbody";
	CHECK_INT(fm_split(&sp, "x.md", s, strlen(s)), 0);
	CHECK_INT(sp.fm_len, 0);
	CHECK_STR(sp.body, "body");

	/* "----" is not a fence. */
	s = "----\ntitle: a\n";
	CHECK_INT(fm_split(&sp, "x.md", s, strlen(s)), 0);
	CHECK(sp.fm == NULL);

	/* Blank lines (and a BOM) before the opening fence: front matter, lines counted. */
	s = "\xEF\xBB\xBF\n \r\n---\ntitle: a\n---\nbody\n";
	CHECK_INT(fm_split(&sp, "x.md", s, strlen(s)), 0);
	CHECK(sp.fm != NULL && strncmp(sp.fm, "title: a\n", 9) == 0);
	CHECK_INT(sp.fm_line, 4);
	CHECK_INT(sp.body_line, 6);
	CHECK_STR(sp.body, "body\n");
	/* ...but not when nothing closes it: a thematic break in a body. */
	s = "\n\n---\ntext\n";
	CHECK_INT(fm_split(&sp, "x.md", s, strlen(s)), 0);
	CHECK(sp.fm == NULL);
	CHECK_INT(sp.body_line, 1);

	/* Unterminated: error at the opening fence. */
	diag_reset();
	s = "---\ntitle: a\nbody\n";
	CHECK_INT(fm_split(&sp, "x.md", s, strlen(s)), -1);
	{
		char *m = flush_msgs();
		CHECK_STR(m, "x.md:1:1: error: front matter opened here has no closing '---' line\n");
		free(m);
	}
}

/* Parses text as a page (raw HTML passed through when unsafe) and returns the diagnostics. */
static char *parse_text_mode(const char *text, struct page *pg, struct source_file *f, int unsafe)
{
	struct config cfg;
	diag_reset();
	config_load(&cfg, "site.yaml", NULL, 0);
	cfg.markdown_unsafe = unsafe;
	memset(pg, 0, sizeof(*pg));
	f->path = (char *)"content/faq/x.md";
	f->data = (char *)text;
	f->len = strlen(text);
	pg->src = f;
	pg->path = f->path;
	parse_page(pg, &cfg);
	config_release(&cfg);
	return flush_msgs();
}

static char *parse_text(const char *text, struct page *pg, struct source_file *f)
{
	return parse_text_mode(text, pg, f, 0);
}

/* How often the page's search tokens (pagetok.h) have term in field. */
static unsigned tok_tf(const struct page *pg, const char *term, int field)
{
	struct pagetok_term e;
	size_t at = 0;
	while (pagetok_next(&pg->tokens, &at, &e))
		if (e.len == strlen(term) && memcmp(e.s, term, e.len) == 0)
			return e.tf[field];
	return 0;
}

/* Frees what parse_page filled in. */
static void page_clear(struct page *pg)
{
	ynode_free(pg->front);
	free(pg->html);
	free(pg->toc);
	free(pg->summary);
	pagetok_release(&pg->tokens);
	while (pg->nlinks)
		free(pg->links[--pg->nlinks].url);
	free(pg->links);
	while (pg->nanchors)
		free(pg->anchors[--pg->nanchors]);
	free(pg->anchors);
	memset(pg, 0, sizeof(*pg));
}

static void test_page_positions(void)
{
	struct page pg;
	struct source_file f;
	char *m;

	/* A YAML error on the file's line 3 (the front matter's line 2). */
	m = parse_text("---\ntitle: ok\ntags: [a, b\n---\nbody\n", &pg, &f);
	CHECK(pg.failed);
	CHECK(strncmp(m, "content/faq/x.md:", 17) == 0);
	CHECK(strstr(m, ":4:") || strstr(m, ":3:"));
	free(m);
	page_clear(&pg);

	/* Positions of fields are file positions. */
	m = parse_text("---\ntitle: ok\nspeakers:\n  - alice\n---\n\nbody *em*\n", &pg, &f);
	CHECK_STR(m, "");
	CHECK(!pg.failed);
	CHECK_INT(ynode_get(pg.front, "title")->line, 2);
	CHECK_INT(ynode_get(pg.front, "speakers")->kids[0]->line, 4);
	CHECK_INT(ynode_get(pg.front, "speakers")->kids[0]->col, 5);
	CHECK_INT(pg.body_line, 6);
	CHECK(pg.html && strstr(pg.html, "<em>em</em>"));
	free(m);
	page_clear(&pg);

	/* Front matter must be a mapping. */
	m = parse_text("---\n- a\n---\n", &pg, &f);
	CHECK(pg.failed);
	CHECK_STR(
		m,
		"content/faq/x.md:2:1: error: front matter must be a mapping of fields (title: ...), not a list\n");
	free(m);
	page_clear(&pg);

	/* Invalid UTF-8 and NUL bytes are reported where they are. */
	m = parse_text("---\ntitle: a\n---\nok \xC0\xAF\n", &pg, &f);
	CHECK(pg.failed);
	CHECK_STR(m, "content/faq/x.md:4:4: error: invalid UTF-8 (byte 0xc0)\n");
	free(m);
	/* found wherever they fall among the eight-byte words of ASCII read at once */
	for (size_t pad = 0; pad < 18; pad++) {
		char text[64], want[128];
		snprintf(text, sizeof(text), "---\ntitle: a\n---\n%.*s\xC3\xA9%.*s\xFF tail words\n",
			 (int)pad, "abcdefghijklmnopqrstuvwxyz", (int)(pad % 9), "0123456789");
		m = parse_text(text, &pg, &f);
		snprintf(want, sizeof(want), "content/faq/x.md:4:%zu: error: invalid UTF-8 (byte 0xff)\n",
			 pad + 1 + 1 + pad % 9 + 1 - 1);
		CHECK(pg.failed);
		CHECK_STR(m, want);
		free(m);
	}
	{
		static const char nul[] = "ab\ncd\0ef";
		struct config cfg;
		diag_reset();
		config_load(&cfg, "site.yaml", NULL, 0);
		memset(&pg, 0, sizeof(pg));
		f.path = (char *)"content/faq/x.md";
		f.data = (char *)nul;
		f.len = sizeof(nul) - 1;
		pg.src = &f;
		pg.path = f.path;
		parse_page(&pg, &cfg);
		config_release(&cfg);
		m = flush_msgs();
		CHECK_STR(m, "content/faq/x.md:2:3: error: NUL byte in text (byte 0x00)\n");
		free(m);
	}
}

static void test_markdown(void)
{
	size_t n;
	char *h;
	const char *md = "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ www.example.org\n\n"
			 "- [x] done\n\nnote[^1]\n\n[^1]: the note\n\n<script>alert(1)</script>\n\n"
			 "[x](javascript:alert(1))\n";
	h = markdown_to_html(md, strlen(md), 0, &n);
	CHECK(strstr(h, "<table>") != NULL);
	CHECK(strstr(h, "<del>gone</del>") != NULL);
	CHECK(strstr(h, "href=\"http://www.example.org\"") != NULL);
	CHECK(strstr(h, "type=\"checkbox\"") != NULL);
	CHECK(strstr(h, "footnote") != NULL);
	CHECK(strstr(h, "<script>") == NULL);
	CHECK(strstr(h, "javascript:") == NULL);
	CHECK_INT(n, strlen(h));
	free(h);
	h = markdown_to_html(md, strlen(md), 1, &n);
	/* unsafe passes raw HTML, but tagfilter still defuses <script>. */
	CHECK(strstr(h, "&lt;script>") != NULL);
	free(h);
	h = markdown_to_html("<b>x</b>\n", 9, 1, &n);
	CHECK(strstr(h, "<b>x</b>") != NULL);
	free(h);
	/* Fragments get no heading ids: several on one page could collide. */
	h = markdown_to_html("## x\n", 5, 0, &n);
	CHECK_STR(h, "<h2>x</h2>\n");
	free(h);
}

/* Parses a body without front matter; the page must come out clean. */
static void parse_body(const char *text, struct page *pg, int unsafe)
{
	static struct source_file f;
	char *m = parse_text_mode(text, pg, &f, unsafe);
	CHECK_STR(m, "");
	CHECK(!pg->failed);
	free(m);
}

static void test_heading_ids(void)
{
	struct page pg;

	parse_body("## Getting Started\n\n## 安装指南\n\n## Hello, 世界 2024!\n\n"
		   "# --- What's *new*? ---\n\n#### `x_y` [and](/z) z\n\nSetext\n======\n",
		   &pg, 0);
	CHECK(strstr(pg.html, "<h2 id=\"getting-started\">Getting Started</h2>\n") != NULL);
	CHECK(strstr(pg.html, "<h2 id=\"安装指南\">安装指南</h2>\n") != NULL);
	CHECK(strstr(pg.html, "<h2 id=\"hello-世界-2024\">Hello, 世界 2024!</h2>\n") != NULL);
	CHECK(strstr(pg.html, "<h1 id=\"what-s-new\">--- What's <em>new</em>? ---</h1>\n") != NULL);
	CHECK(strstr(pg.html,
		     "<h4 id=\"x-y-and-z\"><code>x_y</code> <a href=\"jixia-link:0\">and</a> z</h4>\n") !=
	      NULL);
	CHECK(strstr(pg.html, "<h1 id=\"setext\">Setext</h1>\n") != NULL);
	page_clear(&pg);

	/* Repeats count up; a suffix some heading already has is skipped. */
	parse_body("## Intro\n\n## intro\n\n## Intro-1\n\n## INTRO\n\n##\n\n## ?!\n", &pg, 0);
	CHECK(strstr(pg.html, "<h2 id=\"intro\">Intro</h2>\n"
			      "<h2 id=\"intro-1\">intro</h2>\n"
			      "<h2 id=\"intro-1-1\">Intro-1</h2>\n"
			      "<h2 id=\"intro-2\">INTRO</h2>\n"
			      "<h2 id=\"section\"></h2>\n"
			      "<h2 id=\"section-1\">?!</h2>\n") != NULL);
	page_clear(&pg);

	/* A paragraph ending in a colon takes the list it introduces into the summary. */
	parse_body("先记住三条规则：\n\n- 甲\n- 乙，丙\n\n后文。\n", &pg, 0);
	CHECK_STR(pg.summary, "先记住三条规则：甲；乙，丙");
	page_clear(&pg);
	parse_body("Remember the rules:\n\n1. *one*\n2. two\n", &pg, 0);
	CHECK_STR(pg.summary, "Remember the rules: one; two");
	page_clear(&pg);
	parse_body("规则：\n\n- 先读里层。\n- 再看行数\n\nAlso:\n\n- One.\n- Two\n", &pg, 0);
	CHECK_STR(pg.summary, "规则：先读里层。再看行数");
	page_clear(&pg);
	parse_body("No colon here.\n\n- a\n", &pg, 0);
	CHECK_STR(pg.summary, "No colon here.");
	page_clear(&pg);

	/* A line break between Chinese characters is no space; between words it is. */
	parse_body("订单库、\n风控库 and\nmore 中文\n文字 한국어\n한국어\n", &pg, 0);
	CHECK(strstr(pg.html, "<p>订单库、风控库 and\nmore 中文文字 한국어\n한국어</p>") != NULL);
	CHECK_STR(pg.summary, "订单库、风控库 and more 中文文字 한국어 한국어");
	page_clear(&pg);

	/* Footnotes' ids (fn-LABEL, fnref-LABEL) are never a heading's. */
	parse_body("## fn 1\n\n## FNREF 1\n\nText[^1].\n\n[^1]: A note.\n", &pg, 0);
	CHECK(strstr(pg.html, "<h2 id=\"h-fn-1\">fn 1</h2>") != NULL);
	CHECK(strstr(pg.html, "<h2 id=\"h-fnref-1\">FNREF 1</h2>") != NULL);
	CHECK(strstr(pg.html, "id=\"fn-1\"") != NULL &&
	      strstr(strstr(pg.html, "id=\"fn-1\"") + 1, "id=\"fn-1\"") == NULL);
	page_clear(&pg);

	/* Text that is hostile in an attribute never reaches the id. */
	parse_body("## a\"<b>'&\n\n## \"'<>&amp;\n\n## x&quot; onmouseover=&quot;y\n", &pg, 0);
	CHECK(strstr(pg.html, "<h2 id=\"a\">a&quot;<!-- raw HTML omitted -->'&amp;</h2>\n") != NULL);
	CHECK(strstr(pg.html, "<h2 id=\"section\">") != NULL);
	CHECK(strstr(pg.html, "<h2 id=\"x-onmouseover-y\">x&quot; onmouseover=&quot;y</h2>") != NULL);
	page_clear(&pg);

	/* Thousands of equal headings: unique ids, and no quadratic search. */
	{
		struct buf md = BUF_INIT;
		int i;
		for (i = 0; i < 20000; i++)
			buf_puts(&md, "## a\n");
		parse_body(md.ptr, &pg, 0);
		CHECK(strstr(pg.html, "<h2 id=\"a\">a</h2>\n<h2 id=\"a-1\">a</h2>\n") != NULL);
		CHECK(strstr(pg.html, "<h2 id=\"a-19999\">a</h2>\n") != NULL);
		CHECK(strstr(pg.html, "a-20000") == NULL);
		page_clear(&pg);
		buf_release(&md);
	}
}

/* Heading ids written out ({#id}), GitHub's callouts, shortcodes left over. */
static void test_conventions(void)
{
	struct page pg;
	struct source_file f;
	char *m;

	parse_body("## Spans {#spans}\n\n## Spans\n\nSetext *x* {#set.ext_1}\n===\n\n"
		   "## Only {#中文-v1}\n\n## `{#code}`\n\n## Classes {#a .b}\n\n## {#bare}\n\n"
		   "## Tail {#www-x}\n\n## Auto\n\n## Auto {#auto}\n\n## Escaped \\{#not-an-id}\n",
		   &pg, 0);
	CHECK(strstr(pg.html, "<h2 id=\"spans\">Spans</h2>\n<h2 id=\"spans-1\">Spans</h2>\n") != NULL);
	CHECK(strstr(pg.html, "<h1 id=\"set.ext_1\">Setext <em>x</em></h1>\n") != NULL);
	CHECK(strstr(pg.html, "<h2 id=\"中文-v1\">Only</h2>\n") != NULL);
	CHECK(strstr(pg.html, "<h2 id=\"code\"><code>{#code}</code></h2>\n") != NULL);
	CHECK(strstr(pg.html, "<h2 id=\"classes-a-b\">Classes {#a .b}</h2>\n") != NULL);
	CHECK(strstr(pg.html, "<h2 id=\"bare\"></h2>\n") != NULL);
	CHECK(strstr(pg.html, "<h2 id=\"www-x\">Tail</h2>\n") != NULL);
	CHECK(strstr(pg.html, "<h2 id=\"escaped-not-an-id\">Escaped {#not-an-id}</h2>\n") != NULL);
	/* an id written out wins over an earlier heading's slug */
	CHECK(strstr(pg.html, "<h2 id=\"auto-1\">Auto</h2>\n<h2 id=\"auto\">Auto</h2>\n") != NULL);
	CHECK(strstr(pg.html, "{#spans}") == NULL && strstr(pg.html, "{#bare}") == NULL);
	CHECK(strstr(pg.toc, "<a href=\"#spans\">Spans</a>") != NULL);
	/* the ids written out are not searched for */
	CHECK_INT(tok_tf(&pg, "spans", PAGETOK_HEADINGS), 2);
	CHECK_INT(tok_tf(&pg, "setext", PAGETOK_HEADINGS), 1);
	CHECK_INT(tok_tf(&pg, "bare", PAGETOK_HEADINGS), 0);
	CHECK_INT(tok_tf(&pg, "code", PAGETOK_HEADINGS), 1);
	{
		const char *want[] = { "auto", "auto-1", "bare", "set.ext_1", "spans", "中文-v1" };
		size_t i, hit = 0;
		for (i = 0; i < pg.nanchors; i++)
			for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++)
				hit += strcmp(pg.anchors[i], want[k]) == 0;
		CHECK_INT(hit, 6);
	}
	page_clear(&pg);

	/* Bad ids: errors at the "{#", the page failed. */
	m = parse_text(
		"---\ntitle: x\n---\n## One {#x}\n\n## Two  {#x}\n\n## 三 {#a<b}\n\n## Four {#fnref-1}\n",
		&pg, &f);
	CHECK(pg.failed);
	CHECK(strstr(m,
		     "content/faq/x.md:6:9: error: heading id 'x' is already another heading's on this page\n") !=
	      NULL);
	CHECK(strstr(m,
		     "content/faq/x.md:8:6: error: heading id 'a<b' may hold only letters, digits, '-', '_' and "
		     "'.'\n") != NULL);
	CHECK(strstr(m,
		     "content/faq/x.md:10:9: error: heading id 'fnref-1' starts like the footnotes' ids") !=
	      NULL);
	free(m);
	page_clear(&pg);

	/* Callouts: each kind in any case, the marker line out, the rest as Markdown. */
	parse_body("> [!NOTE]\n> Useful *information*.\n\n> [!tip]\n> One.\n>\n> Two.\n\n"
		   "> [!Important]  \n> x\n\n> [!WARNING]\n>\n> - a\n\n> [!CAUTION]\n> y\n",
		   &pg, 0);
	CHECK(strstr(pg.html, "<aside class=\"admonition note\" role=\"note\" aria-label=\"Note\">\n"
			      "<p class=\"admonition-title\">Note</p>\n<p>Useful <em>information</em>.</p>\n"
			      "</aside>\n") != NULL);
	CHECK(strstr(pg.html, "<p class=\"admonition-title\">Tip</p>\n<p>One.</p>\n<p>Two.</p>\n</aside>") !=
	      NULL);
	CHECK(strstr(pg.html,
		     "aria-label=\"Important\">\n<p class=\"admonition-title\">Important</p>\n<p>x</p>") !=
	      NULL);
	CHECK(strstr(pg.html, "aria-label=\"Warning\">\n<p class=\"admonition-title\">Warning</p>\n<ul>") !=
	      NULL);
	CHECK(strstr(pg.html, "<aside class=\"admonition caution\"") != NULL);
	CHECK(strstr(pg.html, "[!") == NULL && strstr(pg.html, "<blockquote>") == NULL);
	CHECK_STR(pg.summary, "Useful information.");
	CHECK_INT(tok_tf(&pg, "note", PAGETOK_BODY) + tok_tf(&pg, "warning", PAGETOK_BODY), 0);
	CHECK_INT(tok_tf(&pg, "useful", PAGETOK_BODY), 1);
	page_clear(&pg);

	/* What GitHub leaves a blockquote stays one. */
	parse_body("> [!DANGER]\n> a\n\n> [!NOTE] Title\n> b\n\n> [!NOTE]\n\n- > [!NOTE]\n  > c\n\n"
		   "> > [!TIP]\n> > d\n\n> [ !NOTE]\n> e\n",
		   &pg, 0);
	CHECK(strstr(pg.html, "admonition") == NULL);
	CHECK(strstr(pg.html, "<p>[!DANGER]\na</p>") != NULL);
	CHECK(strstr(pg.html, "<p>[!NOTE] Title\nb</p>") != NULL);
	CHECK(strstr(pg.html, "<p>[!NOTE]</p>") != NULL);
	page_clear(&pg);

	/* Shortcodes left in the text: a warning at each, none in code. */
	m = parse_text("---\ntitle: x\n---\nSee {{< ref \"a.md\" >}} and\n"
		       "then {{% notice info %}} x {{<figure src=\"a.png\">}}.\n\n"
		       "`{{< code >}}`\n\n```\n{{< fenced >}}\n```\n\n    {{% indented %}}\n",
		       &pg, &f);
	CHECK(!pg.failed);
	CHECK(strstr(m, "content/faq/x.md:4:5: warning: this looks like a Hugo shortcode") != NULL);
	CHECK(strstr(m, "content/faq/x.md:5:6: warning: this looks like a Hugo shortcode") != NULL);
	CHECK(strstr(m, "content/faq/x.md:5:28: warning: this looks like a Hugo shortcode") != NULL);
	{
		size_t n = 0;
		const char *p;
		for (p = m; (p = strstr(p, "warning:")); p++)
			n++;
		CHECK_INT(n, 3);
	}
	free(m);
	page_clear(&pg);
}

static void test_toc(void)
{
	struct page pg;

	parse_body("# Top\n\nintro\n\n## One\n\n### One & a half\n\n#### deep\n\n### Two <i>\n\n"
		   "## Three\n",
		   &pg, 0);
	CHECK_STR(pg.toc,
		  "<ul>\n"
		  "<li><a href=\"#one\">One</a>\n"
		  "<ul>\n"
		  "<li><a href=\"#one-a-half\">One &amp; a half</a></li>\n"
		  "<li><a href=\"#two\">Two</a></li>\n"
		  "</ul>\n"
		  "</li>\n"
		  "<li><a href=\"#three\">Three</a></li>\n"
		  "</ul>\n");
	page_clear(&pg);

	/* An h3 before any h2 stays at the top level. */
	parse_body("### Early\n\n## Late\n\n### Under\n", &pg, 0);
	CHECK_STR(pg.toc,
		  "<ul>\n"
		  "<li><a href=\"#early\">Early</a></li>\n"
		  "<li><a href=\"#late\">Late</a>\n"
		  "<ul>\n"
		  "<li><a href=\"#under\">Under</a></li>\n"
		  "</ul>\n"
		  "</li>\n"
		  "</ul>\n");
	page_clear(&pg);

	/* One h2 (h1 and h4 do not count): no table of contents. */
	parse_body("# Title\n\n## Only\n\n#### Small\n\ntext\n", &pg, 0);
	CHECK(pg.toc == NULL);
	CHECK(strstr(pg.html, "<h2 id=\"only\">Only</h2>") != NULL);
	page_clear(&pg);

	/* Nor for none, nor for a second heading with no text to link. */
	parse_body("just text\n", &pg, 0);
	CHECK(pg.toc == NULL);
	page_clear(&pg);
	parse_body("## One\n\n##\n", &pg, 0);
	CHECK(pg.toc == NULL);
	page_clear(&pg);
}

static void test_summary(void)
{
	struct page pg;
	struct buf md = BUF_INIT, want = BUF_INIT;
	int i;

	parse_body("# Title\n\n> quoted *first*\n\n    code\n", &pg, 0);
	CHECK_STR(pg.summary, "quoted first");
	page_clear(&pg);

	parse_body("## Heading\n\nThe *quick*  **brown** [fox `jumps`](http://x \"t\")\nover\n"
		   "the ![lazy](a.png) <span>dog</span>\\\nnow.[^1]\n\nsecond\n\n[^1]: note\n",
		   &pg, 0);
	CHECK_STR(pg.summary, "The quick brown fox jumps over the lazy dog now.");
	page_clear(&pg);

	parse_body("# Only a heading\n", &pg, 0);
	CHECK_STR(pg.summary, "");
	page_clear(&pg);

	/* Exactly 200 characters: whole. */
	for (i = 0; i < 200; i++)
		buf_puts(&md, "字");
	parse_body(md.ptr, &pg, 0);
	CHECK_STR(pg.summary, md.ptr);
	page_clear(&pg);

	/* 201 (three bytes each): 199 kept on a character boundary, then "…". */
	buf_puts(&md, "字");
	for (i = 0; i < 199; i++)
		buf_puts(&want, "字");
	buf_puts(&want, "…");
	parse_body(md.ptr, &pg, 0);
	CHECK_STR(pg.summary, want.ptr);
	CHECK_INT(strlen(pg.summary), 199 * 3 + 3);
	page_clear(&pg);

	/* Mixed widths; a space left before the cut is dropped. */
	buf_reset(&md);
	buf_reset(&want);
	for (i = 0; i < 197; i++)
		buf_puts(&md, "é");
	buf_puts(&md, "a ");
	buf_puts(&want, md.ptr);
	buf_puts(&md, "b\xF0\x9F\x98\x80 tail");
	want.len--; /* the space */
	buf_puts(&want, "…");
	parse_body(md.ptr, &pg, 0);
	CHECK_STR(pg.summary, want.ptr);
	page_clear(&pg);

	/* summary: in front matter wins; a null one does not. */
	parse_body("---\nsummary: Written by hand <b>\n---\n\nFirst paragraph.\n", &pg, 0);
	CHECK_STR(pg.summary, "Written by hand <b>");
	page_clear(&pg);
	parse_body("---\nsummary:\n---\n\nFirst paragraph.\n", &pg, 0);
	CHECK_STR(pg.summary, "First paragraph.");
	page_clear(&pg);
	parse_body("---\nsummary: [a, b]\n---\n\nFirst paragraph.\n", &pg, 0);
	CHECK_STR(pg.summary, "First paragraph.");
	page_clear(&pg);

	buf_release(&md);
	buf_release(&want);
}

static void test_reading_time(void)
{
	struct page pg;
	struct buf md = BUF_INIT;
	int i;

	parse_body("Short.\n", &pg, 0);
	CHECK_INT(pg.reading_minutes, 1);
	page_clear(&pg);
	parse_body("", &pg, 0);
	CHECK_INT(pg.reading_minutes, 1);
	page_clear(&pg);

	/* 1000 Han characters (heading included) at 400 a minute: 2.5, rounded up. */
	buf_puts(&md, "# 标题\n\n");
	for (i = 0; i < 998; i++)
		buf_puts(&md, i % 50 == 49 ? "读。\n" : "读");
	parse_body(md.ptr, &pg, 0);
	CHECK_INT(pg.reading_minutes, 3);
	page_clear(&pg);

	/* 800 exactly: 2 minutes; kana and Hangul count the same way. */
	buf_reset(&md);
	for (i = 0; i < 200; i++)
		buf_puts(&md, "字かカ한");
	parse_body(md.ptr, &pg, 0);
	CHECK_INT(pg.reading_minutes, 2);
	page_clear(&pg);

	/* English words at 200 a minute: 400 are 2 minutes, 401 just over. */
	buf_reset(&md);
	for (i = 0; i < 395; i++)
		buf_puts(&md, i % 10 == 9 ? "word\n" : "word, ");
	buf_puts(&md, "[a](/x) `b` c-d 4");
	parse_body(md.ptr, &pg, 0);
	CHECK_INT(pg.reading_minutes, 2);
	page_clear(&pg);
	buf_puts(&md, " more");
	parse_body(md.ptr, &pg, 0);
	CHECK_INT(pg.reading_minutes, 3);
	page_clear(&pg);

	/* 400 words split across emphasis are still 400; mixed with 400 Han: 3. */
	buf_reset(&md);
	for (i = 0; i < 400; i++)
		buf_puts(&md, "**bo**ld ");
	parse_body(md.ptr, &pg, 0);
	CHECK_INT(pg.reading_minutes, 2);
	page_clear(&pg);
	for (i = 0; i < 400; i++)
		buf_puts(&md, "中");
	parse_body(md.ptr, &pg, 0);
	CHECK_INT(pg.reading_minutes, 3);
	page_clear(&pg);

	/* Code blocks are skimmed, not read: they do not count. */
	buf_reset(&md);
	buf_puts(&md, "```\n");
	for (i = 0; i < 1000; i++)
		buf_puts(&md, "code word\n");
	buf_puts(&md, "```\n");
	parse_body(md.ptr, &pg, 0);
	CHECK_INT(pg.reading_minutes, 1);
	page_clear(&pg);

	buf_release(&md);
}

/* The text the search index reads: headings apart, blocks a line each, code in, HTML tags out. */
static void test_search_text(void)
{
	struct page pg;

	parse_body(
		"# Title *one*\n\nPara **bold**ly\nnext line.\n\n- item\n\n```\ncode block\n```\n\n"
		"## Two\n\n<b>raw</b> and `code` and [link](/x) ![alt](/i.png)\n\n| a | b |\n|---|---|\n| c | d |\n",
		&pg, 0);
	/* "Title one", "Two"; "Para boldly next line.", "item", "code block", "raw and code and link alt", a b c d */
	CHECK_INT(pg.tokens.len[PAGETOK_HEADINGS], 3);
	CHECK_INT(pg.tokens.len[PAGETOK_BODY], 17);
	CHECK_INT(tok_tf(&pg, "title", PAGETOK_HEADINGS), 1);
	CHECK_INT(tok_tf(&pg, "title", PAGETOK_BODY), 0);
	CHECK_INT(tok_tf(&pg, "two", PAGETOK_HEADINGS), 1);
	CHECK_INT(tok_tf(&pg, "boldly", PAGETOK_BODY), 1);
	CHECK_INT(tok_tf(&pg, "bold", PAGETOK_BODY), 0);
	CHECK_INT(tok_tf(&pg, "code", PAGETOK_BODY), 2);
	CHECK_INT(tok_tf(&pg, "and", PAGETOK_BODY), 2);
	CHECK_INT(tok_tf(&pg, "alt", PAGETOK_BODY), 1);
	CHECK_INT(tok_tf(&pg, "png", PAGETOK_BODY), 0);
	CHECK_INT(tok_tf(&pg, "b", PAGETOK_BODY), 1);
	CHECK_INT(pg.tokens.n, 18); /* 3 in the headings, 15 in the body */
	page_clear(&pg);
	parse_body("", &pg, 0);
	CHECK_INT(pg.tokens.n, 0);
	CHECK_INT(pg.tokens.len[PAGETOK_BODY], 0);
	page_clear(&pg);
}

/*
 * A page keeps its terms as numbers into one table every page shares
 * (pagetok.h), not their bytes: a long word costs a page a few bytes, the
 * same word on another page the same number; the disk cache's form (the
 * terms' bytes) reads back to the same terms and counts.
 */
static void test_search_terms_shared(void)
{
	static const char *word = "supercalifragilisticexpialidoc"; /* 30 bytes, under the cut */
	struct page a, b, c;
	struct pagetok_term ta, tb;
	struct buf disk = BUF_INIT;
	size_t at = 0, bt = 0, words, bytes;

	parse_body("# Supercalifragilisticexpialidoc\n\nsupercalifragilisticexpialidoc twice "
		   "supercalifragilisticexpialidoc\n",
		   &a, 0);
	parse_body("supercalifragilisticexpialidoc\n", &b, 0);
	CHECK_INT(a.tokens.n, 2);
	CHECK_INT(tok_tf(&a, word, PAGETOK_HEADINGS), 1);
	CHECK_INT(tok_tf(&a, word, PAGETOK_BODY), 2);
	CHECK_INT(tok_tf(&b, word, PAGETOK_BODY), 1);
	/* before: 3 + 30 bytes for the word alone */
	CHECK(a.tokens.size < 10);
	CHECK(b.tokens.size < 5);
	CHECK(pagetok_next(&a.tokens, &at, &ta) && pagetok_next(&b.tokens, &bt, &tb));
	CHECK(ta.s == tb.s); /* one copy of the bytes, in the table */
	CHECK_INT(ta.hash, (uint32_t)hash_keyed(word, strlen(word)));
	pagetok_table_stats(&words, &bytes);
	CHECK(words >= 2 && bytes >= strlen(word) + strlen("twice"));

	/* a file's numbering (the disk cache's): its own numbers, its dictionary's bytes */
	{
		uint32_t ids[2], back[2], map[2], nmap, k, *to = NULL;
		pagetok_ids(&a.tokens, ids);
		nmap = (ids[0] > ids[1] ? ids[0] : ids[1]) + 1;
		to = xmalloc(nmap * sizeof(*to));
		for (k = 0; k < 2; k++) {
			to[ids[k]] = 1 - k; /* the file numbers them the other way round */
			map[1 - k] = ids[k];
		}
		pagetok_pack_as(&a.tokens, to, &disk);
		CHECK_INT(disk.len, 3 + 2); /* numbers 0 and 1: a byte each */
		memset(&c, 0, sizeof(c));
		CHECK_INT(pagetok_unpack_as(&c.tokens, (const unsigned char *)disk.ptr, disk.len, 2, map, 2),
			  0);
		CHECK_INT(c.tokens.size, a.tokens.size);
		CHECK(memcmp(c.tokens.p, a.tokens.p, a.tokens.size) == 0);
		CHECK_INT(tok_tf(&c, word, PAGETOK_HEADINGS), 1);
		CHECK_INT(tok_tf(&c, "twice", PAGETOK_BODY), 1);
		pagetok_release(&c.tokens);
		/* damaged: cut, another count of terms, a number past the map: nothing */
		CHECK_INT(pagetok_unpack_as(&c.tokens, (const unsigned char *)disk.ptr, disk.len - 1, 2, map,
					    2),
			  -1);
		CHECK(c.tokens.p == NULL && c.tokens.size == 0);
		CHECK_INT(pagetok_unpack_as(&c.tokens, (const unsigned char *)disk.ptr, disk.len, 3, map, 2),
			  -1);
		CHECK_INT(pagetok_unpack_as(&c.tokens, (const unsigned char *)disk.ptr, disk.len, 2, map, 1),
			  -1);
		CHECK(c.tokens.p == NULL);
		/* the numbers as they are (map NULL: a rebuild's table filled from the file first):
		   the same bytes, checked as with a map; a number in more bytes than it needs is not */
		memset(&c, 0, sizeof(c));
		CHECK_INT(pagetok_unpack_as(&c.tokens, a.tokens.p, a.tokens.size, 2, NULL, nmap), 0);
		CHECK_INT(c.tokens.size, a.tokens.size);
		CHECK(memcmp(c.tokens.p, a.tokens.p, a.tokens.size) == 0);
		CHECK_INT(tok_tf(&c, word, PAGETOK_HEADINGS), 1);
		pagetok_release(&c.tokens);
		CHECK_INT(pagetok_unpack_as(&c.tokens, a.tokens.p, a.tokens.size - 1, 2, NULL, nmap), -1);
		CHECK_INT(pagetok_unpack_as(&c.tokens, a.tokens.p, a.tokens.size, 2, NULL, nmap - 1), -1);
		CHECK(c.tokens.p == NULL && c.tokens.size == 0);
		if (a.tokens.p[0] < 0x80) {
			unsigned char *longer = xmalloc(a.tokens.size + 1);
			longer[0] = (unsigned char)(a.tokens.p[0] | 0x80);
			longer[1] = 0;
			memcpy(longer + 2, a.tokens.p + 1, a.tokens.size - 1);
			CHECK_INT(pagetok_unpack_as(&c.tokens, longer, a.tokens.size + 1, 2, NULL, nmap), -1);
			free(longer);
		}
		/* the dictionary: the terms' bytes back to the same numbers */
		buf_reset(&disk);
		pagetok_term_put(ids[0], &disk);
		pagetok_term_put(ids[1], &disk);
		CHECK_INT(disk.len, (1 + 30) + (1 + 5));
		CHECK_INT(pagetok_intern((const unsigned char *)disk.ptr, disk.len, 2, back), 0);
		CHECK_INT(back[0], ids[0]);
		CHECK_INT(back[1], ids[1]);
		CHECK_INT(pagetok_intern((const unsigned char *)disk.ptr, disk.len - 1, 2, back), -1);
		CHECK_INT(pagetok_intern((const unsigned char *)disk.ptr, disk.len, 3, back), -1);
		{ /* a term longer than tokenize() makes */
			unsigned char longer[1 + 129];
			memset(longer, 'a', sizeof(longer));
			longer[0] = 128;
			CHECK_INT(pagetok_intern(longer, sizeof(longer), 1, back), -1);
		}
		free(to);
	}
	buf_release(&disk);
	page_clear(&a);
	page_clear(&b);
}

static void test_page_safe_mode(void)
{
	struct page pg;
	const char *md = "## Intro <script>alert(1)</script>\n\n<script>alert(2)</script>\n\n"
			 "## Next\n\ntext <img src=x onerror=alert(3)>\n";

	parse_body(md, &pg, 0);
	CHECK(strstr(pg.html, "<script") == NULL);
	CHECK(strstr(pg.html, "alert(2)") == NULL);
	CHECK(strstr(pg.html, "onerror") == NULL);
	CHECK(strstr(pg.html, "<h2 id=\"intro-alert-1\">Intro <!-- raw HTML omitted -->alert(1)"
			      "<!-- raw HTML omitted --></h2>\n") != NULL);
	CHECK(strstr(pg.html, "<h2 id=\"next\">Next</h2>\n") != NULL);
	CHECK(pg.toc && strstr(pg.toc, "<script") == NULL);
	CHECK_INT(pg.html_len, strlen(pg.html));
	page_clear(&pg);

	/* Unsafe passes raw HTML (tagfilter still defuses <script>), ids stay. */
	parse_body(md, &pg, 1);
	CHECK(strstr(pg.html, "<script") == NULL);
	CHECK(strstr(pg.html, "<h2 id=\"intro-alert-1\">Intro &lt;script>") != NULL);
	CHECK(strstr(pg.html, "<img src=x") != NULL);
	page_clear(&pg);
}

/* Front matter, head, rep repeated n times, tail: a page's text. Caller frees. */
static char *S_page_text(const char *head, const char *rep, size_t n, const char *tail)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "---\ntitle: x\n---\n");
	buf_puts(&b, head);
	while (n--)
		buf_puts(&b, rep);
	buf_puts(&b, tail);
	return buf_detach(&b, NULL);
}

/* The diagnostics for such a page; *failed says whether it was refused. */
static char *S_page_msgs(const char *head, const char *rep, size_t n, const char *tail, int *failed)
{
	struct page pg;
	struct source_file f;
	char *text = S_page_text(head, rep, n, tail), *m = parse_text(text, &pg, &f);
	*failed = pg.failed;
	page_clear(&pg);
	free(text);
	return m;
}

/*
 * Bodies that Debian's cmark-gfm 0.29 would take quadratic time on are
 * refused before it parses them, at the construct that crossed the bound,
 * and the same constructs closed, in ordinary amounts or in code pass.
 * Just over each bound here; tests/hostile has them at full size.
 */
static void test_hostile_bodies(void)
{
	static const struct {
		const char *head, *rep, *tail;
		size_t n;
		const char *where, *what; /* NULL: accepted */
	} cases[] = {
		/* raw HTML openers never closed, and closed */
		{ "intro\n\n", "a <?", "\n", 6000,
		  "content/faq/x.md:6:19999: ", "'<?' here is one of 5000 raw HTML openers" },
		{ "intro\n\n", "a <!A ", "\n", 6000, "content/faq/x.md:6:24489: ", "'<!X' here is one of" },
		{ "", "a <![CDATA[", "\n", 5000, "content/faq/x.md:4:33157: ", "'<![CDATA[' here is one of" },
		{ "", "a <?php echo 1; ?> <!DOCTYPE x> ", "\n", 6000, NULL, NULL },
		{ "", "a <?\n\n", "", 20000, NULL, NULL },
		/* links closing after open images or emphasis runs; a gallery, a long paragraph */
		{ "", "![[]()", "\n", 6000, "content/faq/x.md:4:26830: ", "after 4472 '![' and 0 runs of" },
		{ "", "x_[^1]\n", "", 6000, "content/faq/x.md:4475:6: ", "after 0 '![' and 4472 runs of" },
		{ "", "![a](b.png) ", "\n", 1000, NULL, NULL },
		{ "", "**a** [b](/c/) _d_ [^1] ", "\n\n[^1]: e\n", 500, NULL, NULL },
		/* emphasis runs (cmark #389), and nested emphasis */
		{ "", "*a ", "", 12000, NULL, NULL },
		{ "", "*a _a*_ ", "\n", 12000,
		  "content/faq/x.md:4:89444: ", "runs of '*', '_' or '~' in one paragraph" },
		{ "", "*a **a ", "b\n", 10000, NULL, NULL },
		/* nesting held open over many lines */
		{ "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - x\n", "\n", "", 200000,
		  "content/faq/x.md:156247:1: ",
		  "lines inside blockquotes, lists and footnotes up to 32 levels deep" },
		{ "> - > - > - x\n", ">\n", "", 10000, NULL, NULL },
		{ "[^a]: [^b]: [^c]: [^d]: [^e]: [^f]: [^g]: [^h]: [^i]: [^j]: x\n", "\n", "", 600000,
		  "content/faq/x.md:499997:1: ", "footnotes up to 10 levels deep" },
		{ "[^a]: x\n\n    y\n", "\n", "", 100000, NULL, NULL },
		/* tables: cells, a wide row, delimiter-like lines under a paragraph */
		{ "a|b\n-|-\n", "a|b\n", "", 50000,
		  "content/faq/x.md:50004:1: ", "tables have more than 100000 cells" },
		{ "a|b\n-|-\n", "|", "\n", 8000,
		  "content/faq/x.md:6:1: ", "table rows here have up to 8001 cells" },
		{ "a\n", "-|-\n-|-|-\n", "", 400, "content/faq/x.md:637:1: ",
		  "633 lines of one paragraph, this one included, look like a table's delimiter row" },
		{ "a|b\n-|-\n", "a|b\na|b\n|-|-|\n", "", 50, NULL, NULL },
		/* a table's cells are read apart, a paragraph's lines are not */
		{ "| a | b | c |\n|---|---|---|\n", "| **a** | [b](/c/) | _d_ |\n", "", 6000, NULL, NULL },
		{ "intro\n", "| **a** | [b](/c/) | _d_ |\n", "", 6000,
		  "content/faq/x.md:", "may close a link after" },
		{ "<script>\n\n| a | b | c |\n|---|---|---|\n</script>\n", "| **a** | [b](/c/) | _d_ |\n", "",
		  6000, "content/faq/x.md:", "may close a link after" },
		/* autolinks */
		{ "", "_www.a", "\n", 3000, "content/faq/x.md:4:3716: ", "read as autolinks" },
		{ "www.a.b/", ")", "\n", 4000, "content/faq/x.md:4:1: ", "read as autolinks" },
		{ "", "www.example.org/a_(b) a@example.org\n", "", 3000, NULL, NULL },
		/* in fenced code the parser reads nothing */
		{ "~~~\n", "a <? ![[]() *a _a*_ _www.a ", "\n~~~\n", 20000, NULL, NULL },
	};
	size_t i;
	int failed;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *m = S_page_msgs(cases[i].head, cases[i].rep, cases[i].n, cases[i].tail, &failed);
		if (!cases[i].where) {
			CHECK_STR(m, "");
			CHECK_INT(failed, 0);
		} else {
			CHECK(strncmp(m, cases[i].where, strlen(cases[i].where)) == 0);
			CHECK(strstr(m, cases[i].what) != NULL);
			CHECK_INT(failed, 1);
			if (strncmp(m, cases[i].where, strlen(cases[i].where)) != 0 ||
			    !strstr(m, cases[i].what))
				fprintf(stderr, "case %zu: %.300s\n", i, m);
		}
		free(m);
	}
}

/*
 * cmark-gfm 0.29 adds its extensions' special characters ('~', '|', ':',
 * 'w') to one process-wide table when a parser starts on inlines and takes
 * them out when it ends, so a parser finishing on one thread could blind
 * another to ~~strikethrough~~ and autolinks halfway through a page.
 */
#define RACE_THREADS 4
#define RACE_ROUNDS 5000

static void *S_race(void *arg)
{
	const char *md = "x ~~old~~ www.example.org | y\n\n~~a~~ https://example.org ~~b~~\n";
	long bad = 0;
	int i;
	(void)arg;
	for (i = 0; i < RACE_ROUNDS; i++) {
		size_t n;
		char *html = markdown_to_html(md, strlen(md), 0, &n);
		if (!strstr(html, "<del>old</del>") || !strstr(html, "<del>b</del>") ||
		    !strstr(html, "<a href=\"http://www.example.org\">"))
			bad++;
		free(html);
	}
	return (void *)bad;
}

static void test_threads_keep_extensions(void)
{
	pthread_t t[RACE_THREADS];
	long bad = 0;
	int i;
	for (i = 0; i < RACE_THREADS; i++)
		pthread_create(&t[i], NULL, S_race, NULL);
	for (i = 0; i < RACE_THREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		bad += (long)r;
	}
	CHECK_INT(bad, 0);
}

/*
 * The race above without the lock: parse.c keeps the special characters
 * in the table (its own cmark_manage_extensions_special_characters), so
 * documents finish on all threads at once, and the output is the same.
 */
static void test_finish_shared(void)
{
	CHECK_INT(parse_finish_shared(), 1);
	parse_init(); /* again: nothing changes */
	CHECK_INT(parse_finish_shared(), 1);
	test_threads_keep_extensions();
}

int main(void)
{
	parse_init();
	test_split();
	test_page_positions();
	test_markdown();
	test_heading_ids();
	test_conventions();
	test_toc();
	test_summary();
	test_reading_time();
	test_page_safe_mode();
	test_search_text();
	test_search_terms_shared();
	test_hostile_bodies();
	test_threads_keep_extensions();
	test_finish_shared();
	return CHECK_DONE("test_parse");
}
