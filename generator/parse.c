/*
 * parse: front matter fences, the YAML inside them, and the Markdown body
 * through cmark-gfm. Positions always count from the top of the file, so a
 * mistake in front matter is reported where the contributor sees it.
 */
#include "parse.h"

#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "diag.h"

/* The length of the line at p (up to, not including, its newline). */
static size_t S_line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? (size_t)(nl - p) : (size_t)(end - p);
}

/* A fence line: the marker, then only spaces, tabs or a CR. */
static int S_is_fence(const char *p, size_t n, const char *marker)
{
	size_t i;
	if (n < 3 || memcmp(p, marker, 3) != 0)
		return 0;
	for (i = 3; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

int fm_split(struct fm_split *out, const char *path, const char *src, size_t len)
{
	const char *p = src, *end = src + len;
	size_t n;
	int line = 2;

	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	memset(out, 0, sizeof(*out));
	out->body = p;
	out->body_len = (size_t)(end - p);
	out->body_line = 1;

	n = S_line_len(p, end);
	if (!S_is_fence(p, n, "---"))
		return 0;
	p += n < (size_t)(end - p) ? n + 1 : n;
	out->fm = p;
	out->fm_line = 2;
	while (p < end) {
		n = S_line_len(p, end);
		if (S_is_fence(p, n, "---") || S_is_fence(p, n, "...")) {
			out->fm_len = (size_t)(p - out->fm);
			p += n < (size_t)(end - p) ? n + 1 : n;
			out->body = p;
			out->body_len = (size_t)(end - p);
			out->body_line = line + 1;
			return 0;
		}
		p += n < (size_t)(end - p) ? n + 1 : n;
		line++;
	}
	diag_error(path, 1, 1, "front matter opened here has no closing '---' line");
	return -1;
}

void parse_init(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

static const char *const S_extensions[] = {
	"table", "strikethrough", "autolink", "tagfilter", "tasklist", NULL
};

char *markdown_to_html(const char *md, size_t len, int unsafe, size_t *out_len)
{
	int opts = CMARK_OPT_FOOTNOTES | CMARK_OPT_GITHUB_PRE_LANG | (unsafe ? CMARK_OPT_UNSAFE : 0);
	cmark_parser *parser = cmark_parser_new(opts);
	const char *const *e;
	cmark_node *doc;
	char *html, *copy;

	for (e = S_extensions; *e; e++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(*e);
		if (ext)
			cmark_parser_attach_syntax_extension(parser, ext);
	}
	cmark_parser_feed(parser, md, len);
	doc = cmark_parser_finish(parser);
	html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(parser));
	/* cmark allocates with its own allocator; hand back a malloc'd copy. */
	*out_len = strlen(html);
	copy = xstrndup(html, *out_len);
	free(html);
	cmark_node_free(doc);
	cmark_parser_free(parser);
	return copy;
}

/*
 * Finds the first byte that is not valid UTF-8 (or is NUL). Returns its
 * offset, or len when the text is clean. Overlong forms, surrogates and
 * values above U+10FFFF are invalid.
 */
static size_t S_bad_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i], need, cp, min;
		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1, cp = c & 0x1F, min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2, cp = c & 0x0F, min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return i;
		}
		if (len - i <= need)
			return i;
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += need + 1;
	}
	return len;
}

/* Line and column (in bytes, 1-based) of offset off in src. */
static void S_position(const char *src, size_t off, int *line, int *col)
{
	size_t i, bol = 0;
	*line = 1;
	for (i = 0; i < off; i++)
		if (src[i] == '\n') {
			(*line)++;
			bol = i + 1;
		}
	*col = (int)(off - bol) + 1;
}

void parse_page(struct page *page, const struct config *cfg)
{
	const struct source_file *f = page->src;
	struct fm_split sp;
	size_t bad = S_bad_utf8((const unsigned char *)f->data, f->len);

	if (bad < f->len) {
		int line, col;
		S_position(f->data, bad, &line, &col);
		diag_error(page->path, line, col, f->data[bad] ? "invalid UTF-8 (byte 0x%02x)"
							       : "NUL byte in text (byte 0x%02x)",
			   (unsigned char)f->data[bad]);
		page->failed = 1;
		return;
	}
	if (fm_split(&sp, page->path, f->data, f->len)) {
		page->failed = 1;
		return;
	}
	page->body_line = sp.body_line;
	if (sp.fm && yaml_load(&page->front, page->path, sp.fm, sp.fm_len, sp.fm_line - 1, NULL)) {
		page->failed = 1;
		return;
	}
	if (page->front && page->front->kind != YNODE_MAP) {
		diag_error(page->path, page->front->line, page->front->col,
			   "front matter must be a mapping of fields (title: ...), not %s",
			   ynode_kind_name(page->front));
		page->failed = 1;
		return;
	}
	page->html = markdown_to_html(sp.body, sp.body_len, cfg->markdown_unsafe, &page->html_len);
}
