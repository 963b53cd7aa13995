/* test_parse: front matter fences, error positions, Markdown rendering. */
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

/* Parses text as a page and returns the diagnostics. */
static char *parse_text(const char *text, struct page *pg, struct source_file *f)
{
	struct config cfg;
	diag_reset();
	config_load(&cfg, "site.yaml", NULL, 0);
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
	ynode_free(pg.front);
	free(pg.html);

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
	ynode_free(pg.front);
	free(pg.html);

	/* Front matter must be a mapping. */
	m = parse_text("---\n- a\n---\n", &pg, &f);
	CHECK(pg.failed);
	CHECK_STR(m, "content/faq/x.md:2:1: error: front matter must be a mapping of fields (title: ...), not a list\n");
	free(m);
	ynode_free(pg.front);

	/* Invalid UTF-8 and NUL bytes are reported where they are. */
	m = parse_text("---\ntitle: a\n---\nok \xC0\xAF\n", &pg, &f);
	CHECK(pg.failed);
	CHECK_STR(m, "content/faq/x.md:4:4: error: invalid UTF-8 (byte 0xc0)\n");
	free(m);
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
}

int main(void)
{
	parse_init();
	test_split();
	test_page_positions();
	test_markdown();
	return CHECK_DONE("test_parse");
}
