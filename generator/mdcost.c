/*
 * mdcost: one linear pass over a Markdown body that bounds the work
 * Debian's cmark-gfm 0.29.0.gfm.6 would do on it. That version (bookworm's;
 * cmark 0.30-0.31 and cmark-gfm 0.29.0.gfm.7-.12 fixed most of these) takes
 * time quadratic in constructs that cost the writer a few bytes each:
 *
 * - raw HTML openers never closed: each "<?", "<!X" and "<![CDATA["
 *   reads the rest of its paragraph again, looking for "?>", ">" or "]]>";
 * - links: each link, image or footnote reference that closes walks back
 *   over every emphasis run before it in the paragraph (looking for the
 *   first one after its '['), and over every "![" still open (to
 *   deactivate the links among them);
 * - emphasis: a closing '*', '_' or '~' run may walk back over every run
 *   before it in the paragraph (the bottoms it should stop at get lost);
 * - nesting: every line walks each open blockquote, list and footnote level
 *   (a blank or lazy line walks them all), and every inline node checks
 *   its ancestors when it is added;
 * - tables: a row's cells go into a list appended at its tail, the HTML
 *   writer walks a row for each of its cells, short rows are padded to the
 *   header's width, and a paragraph is read again for each line under it
 *   that looks like a delimiter row but does not fit it;
 * - link references: every link that uses a reference definition gets
 *   its own copy of the destination and title, so one long definition used
 *   thousands of times costs their product in time and memory (this comes
 *   before parse.c can weigh the tree: 1 MiB of input asks for 40 GB);
 * - autolinks: after each "www." or "://" the rest of the word is read
 *   (again for each ')' it ends with), after each '@' the address
 *   characters that follow, and each address found copies the rest of its
 *   line.
 *
 * For each, the pass keeps a count that is never below the parser's work.
 * It cannot know all the parser knows, so it guesses high: a paragraph is
 * every line since the last blank line, list item, heading or code fence;
 * a line may hold as many containers as its markers and half its
 * indentation allow. Only lines surely inside a fenced code block at the
 * top level are left out, as the parser reads nothing in them. Each bound
 * is far above what a page that people read needs (README.md, "Hostile
 * input", has the figures).
 */
#include "mdcost.h"

#include <string.h>

#include "diag.h"

/*
 * The bounds, each 0.03 to 0.25 s of parsing where they were measured (two
 * shared cores; each comment gives what one unit cost there); a body made
 * to sit just under all of them at once parsed in under a second.
 */
/* Raw HTML rescans: bytes read again for unclosed openers (~1 ns each). */
#define HTML_RESCAN_MAX 50000000ULL
/* Emphasis runs and "![" walked over by each "]" (~5 ns each). */
#define BRACKET_WALK_MAX 10000000ULL
/* Emphasis runs walked over by each later run (~0.25 ns each: runs
 * squared overcounts the walks fourfold at least). */
#define EMPH_WALK_MAX 1000000000ULL
/* Open levels times (10 + bytes) for every line (~1 ns each). */
#define DEPTH_WALK_MAX 50000000ULL
/* A line's pipes squared, as a row's cells are listed (~2 ns each). */
#define TABLE_WALK_MAX 50000000ULL
/* A row's columns squared, as the HTML writer numbers its cells (~1 ns). */
#define TABLE_RENDER_MAX 100000000ULL
/* Cells, short rows padded (~1 us each): parse.c's limit, counted before. */
#define TABLE_CELLS_MAX 100000ULL
/* Paragraph lines and cells read again per delimiter-like line (~0.1 us). */
#define TABLE_REREAD_MAX 500000ULL
/* Reference definitions' bytes times the ']' that may use them: bytes
 * copied, and held until the page is done (~1.3 ns and 1 byte each). */
#define REF_COPY_MAX 100000000ULL
/* Bytes the autolink extension reads or copies (~5 ns each). */
#define AUTOLINK_MAX 10000000ULL

enum html_kind { HTML_PI, HTML_DECL, HTML_CDATA, HTML_KINDS };

static const char *const S_html_open[HTML_KINDS] = { "<?", "<!X", "<![CDATA[" };
static const char *const S_html_close[HTML_KINDS] = { "?>", ">", "]]>" };

/* What the lines being read may be, as far as code fences go. */
enum block {
	BLOCK_NONE,
	BLOCK_FENCE,  /* surely in a fenced code block at the top level */
	BLOCK_NESTED, /* in a fence opened with 2 or 3 spaces: at the top
	                 level or in a list item, which cannot be told yet */
	BLOCK_HTML    /* maybe in an HTML block */
};

/* Where a reference definition is, after a line of it. */
enum def {
	DEF_NONE,  /* done, or none: its bytes have all been counted */
	DEF_LABEL, /* its label goes on */
	DEF_DEST,  /* its destination is on the next line */
	DEF_TITLE, /* its title may start on the next line */
	DEF_IN     /* in its title, until the closer */
};

struct scan {
	const char *path;
	int first_line; /* the file's line of the body's first line */
	const char *md, *end;
	int line; /* the current line of the body, 1-based ('\n' ends one) */
	const char *line_start;
	int failed;

	/* The paragraph (cmark's inline subject), over-approximated. */
	size_t pending[HTML_KINDS]; /* raw HTML openers not closed yet */
	size_t npending;
	const char *synced;       /* html counted up to here */
	enum html_kind last_kind; /* the latest opener: where an error points */
	const char *last_at, *last_line_start;
	int last_line;
	size_t images;                  /* "![" so far */
	size_t runs;                    /* emphasis delimiter runs so far */
	unsigned long long para_weight; /* what reading its lines as a table row costs */
	size_t delims;                  /* its lines that look like a table's delimiter row */
	const char *def;                /* where a reference definition may start in it, or NULL */
	int def_line;
	enum def def_state;
	char def_closer; /* what ends its title */

	/* Blocks. */
	enum block block;
	char fence; /* '`' or '~' */
	size_t fence_len, fence_indent;
	const char *html_end; /* what ends the HTML block; NULL: a blank line */
	int lost;             /* fences can no longer be told: none is left out */
	size_t open;          /* upper bound of the containers open after the last line */
	int prev_blank;       /* no paragraph is open (so the line cannot be lazy) */
	int in_table;         /* since a delimiter-like line, until a blank line */
	size_t cols;
	int sure_table;            /* in a table the extension surely made */
	int row;                   /* this line is one of its rows: its cells are read apart */
	const char *hdr, *hdr_eol; /* the last line, when it alone may be a table's header */

	/* The counts, over the whole body. */
	unsigned long long html, bracket_walk, emph_walk, depth_walk;
	unsigned long long cells, table_walk, table_render, reread, autolink;
	unsigned long long refs; /* ']' that may end a link using a reference */
	size_t ref_max;          /* the longest a reference definition may be */
	int ref_line;            /* the line where that one starts */
};

static int S_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int S_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int S_alnum(int c)
{
	return S_digit(c) || S_alpha(c);
}

static int S_punct(int c)
{
	return c > ' ' && c < 0x7f && !S_alnum(c);
}

static int S_space(int c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\n' || c == '\r';
}

static char S_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The column (in characters, as editors count) of at on the line that starts at start. */
static int S_col(const char *start, const char *at)
{
	int col = 1;
	for (; start < at; start++)
		if (((unsigned char)*start & 0xC0) != 0x80)
			col++;
	return col;
}

/* Whether [p, eol) holds s, ASCII case ignored. */
static int S_holds(const char *p, const char *eol, const char *s)
{
	size_t n = strlen(s), i;
	for (; (size_t)(eol - p) >= n; p++) {
		for (i = 0; i < n && S_lower(p[i]) == s[i]; i++)
			;
		if (i == n)
			return 1;
	}
	return 0;
}

/* ---- The paragraph's inlines */

/* Counts the raw HTML rescans up to at. */
static void S_html_sync(struct scan *s, const char *at)
{
	s->html += (unsigned long long)s->npending * (size_t)(at - s->synced);
	s->synced = at;
	if (s->html > HTML_RESCAN_MAX && !s->failed) {
		diag_error(s->path, s->last_line + s->first_line - 1, S_col(s->last_line_start, s->last_at),
			   "'%s' here is one of %zu raw HTML openers left unclosed in this paragraph: "
			   "cmark-gfm 0.29 reads the rest of the paragraph again for each; close them "
			   "with '%s', write '\\<', or split the paragraph with blank lines",
			   S_html_open[s->last_kind], s->npending, S_html_close[s->last_kind]);
		s->failed = 1;
	}
}

static void S_html_open_at(struct scan *s, enum html_kind k, const char *at)
{
	S_html_sync(s, at);
	s->pending[k]++;
	s->npending++;
	s->last_kind = k;
	s->last_at = at;
	s->last_line = s->line;
	s->last_line_start = s->line_start;
}

static void S_html_close_at(struct scan *s, enum html_kind k, const char *at)
{
	if (!s->pending[k])
		return;
	S_html_sync(s, at);
	s->npending -= s->pending[k];
	s->pending[k] = 0;
}

/* The paragraph ends before at: what the parser keeps per paragraph starts over. */
static void S_para_end(struct scan *s, const char *at)
{
	S_html_sync(s, at);
	memset(s->pending, 0, sizeof(s->pending));
	s->npending = 0;
	s->images = 0;
	s->runs = 0;
	s->para_weight = 0;
	s->delims = 0;
	s->def = NULL;
	s->def_state = DEF_NONE;
}

/*
 * Whether the copies of reference definitions links may take stay in
 * bounds: the longest definition is taken to be used by every ']', as
 * definitions may come after the links that use them.
 */
static void S_refs_check(struct scan *s, const char *at)
{
	if ((unsigned long long)s->ref_max * s->refs <= REF_COPY_MAX || s->failed)
		return;
	diag_error(s->path, s->line + s->first_line - 1, S_col(s->line_start, at),
		   "%llu ']' may each make a link that uses the reference definition of up to %zu bytes "
		   "at line %d: cmark-gfm 0.29 copies its destination and title for every such link; "
		   "shorten the definition or write the links inline",
		   s->refs, s->ref_max, s->ref_line + s->first_line - 1);
	s->failed = 1;
}

/*
 * The inline parser's view of the bytes [p, end) of one line: raw HTML
 * openers and closers, "![" and "]", emphasis runs. A backslash escape
 * makes the next character plain text; closers are looked for in the raw
 * bytes, as the HTML scanner reads them.
 */
/*
 * The bytes S_inlines and S_autolinks act on; every other byte they pass
 * over without a step of their own, so a run of them (a line of CJK text
 * is all of them) is skipped in one tight loop.
 */
static const unsigned char S_inline_byte[256] = {
	['>'] = 1, ['\\'] = 1, ['<'] = 1, ['!'] = 1, [']'] = 1, ['*'] = 1, ['_'] = 1, ['~'] = 1,
};
static const unsigned char S_autolink_byte[256] = { ['@'] = 1, ['w'] = 1, [':'] = 1 };

static void S_inlines(struct scan *s, const char *p, const char *end)
{
	const char *c, *r;
	int escaped = 0;

	for (c = p; c < end && !s->failed; c++) {
		/* after a backslash the next byte is read whatever it is */
		while (!escaped && c < end && !S_inline_byte[(unsigned char)*c])
			c++;
		if (c == end)
			break;
		if (*c == '>') {
			S_html_close_at(s, HTML_DECL, c);
			if (c > s->md && c[-1] == '?')
				S_html_close_at(s, HTML_PI, c);
			if (c - s->md >= 2 && c[-1] == ']' && c[-2] == ']')
				S_html_close_at(s, HTML_CDATA, c);
		}
		if (escaped) {
			escaped = 0;
			continue;
		}
		switch (*c) {
		case '\\': escaped = c + 1 < end && S_punct((unsigned char)c[1]); break;
		case '<':
			if (c + 1 < end && c[1] == '?')
				S_html_open_at(s, HTML_PI, c);
			else if (c + 2 < end && c[1] == '!' && S_alpha((unsigned char)c[2]))
				S_html_open_at(s, HTML_DECL, c);
			else if ((size_t)(end - c) >= 9 && memcmp(c, "<![CDATA[", 9) == 0)
				S_html_open_at(s, HTML_CDATA, c);
			break;
		case '!':
			if (c + 1 < end && c[1] == '[')
				s->images++;
			break;
		case ']':
			s->refs++;
			S_refs_check(s, c);
			if (s->failed)
				break;
			s->bracket_walk += s->images + s->runs;
			if (s->bracket_walk > BRACKET_WALK_MAX) {
				diag_error(s->path, s->line + s->first_line - 1, S_col(s->line_start, c),
					   "this ']' may close a link after %zu '![' and %zu runs of '*', "
					   "'_' or '~' in the same paragraph: cmark-gfm 0.29 walks back over "
					   "all of them for each link; split the paragraph with blank lines",
					   s->images, s->runs);
				s->failed = 1;
			}
			break;
		case '*':
		case '_':
		case '~':
			/* One delimiter per run; '_' inside a word is none. */
			for (r = c; r < end && *r == *c; r++)
				;
			if (*c == '_' && c > s->md && S_alnum((unsigned char)c[-1]) && r < s->end &&
			    S_alnum((unsigned char)*r)) {
				c = r - 1;
				break;
			}
			s->emph_walk += s->runs++;
			if (s->emph_walk > EMPH_WALK_MAX) {
				diag_error(s->path, s->line + s->first_line - 1, S_col(s->line_start, c),
					   "%zu runs of '*', '_' or '~' in one paragraph: cmark-gfm 0.29 may "
					   "match each against all before it; split the paragraph with blank "
					   "lines or escape them ('\\*')",
					   s->runs);
				s->failed = 1;
			}
			c = r - 1;
			break;
		default: break;
		}
	}
}

/* Where "www." may start a link: at a line's start or after these. */
static int S_www_after(int c)
{
	return S_space(c) || c == '*' || c == '_' || c == '~' || c == '(';
}

/*
 * The autolink extension's view of one line [p, eol) (its text nodes end
 * at line ends, and so do its matches). Words are read once each from
 * their first trigger, so this stays linear.
 */
static void S_autolinks(struct scan *s, const char *p, const char *eol)
{
	const char *c, *word_end = p, *run_end = p, *last_at = NULL;
	unsigned long long parens = 0, cost;

	for (c = p; c < eol && !s->failed; c++) {
		while (c < eol && !S_autolink_byte[(unsigned char)*c])
			c++;
		if (c == eol)
			break;
		if (*c == '@') {
			/* the address characters after it; only the last '@' of a run can match */
			if (c >= run_end)
				for (run_end = c;
				     run_end < eol && (S_alnum((unsigned char)*run_end) || *run_end == '@' ||
						       *run_end == '.' || *run_end == '-' || *run_end == '_');
				     run_end++)
					if (*run_end == '@')
						last_at = run_end;
			cost = (size_t)(run_end - c) + (c == last_at ? (size_t)(eol - c) : 0);
		} else if ((*c == 'w' && eol - c >= 4 && memcmp(c, "www.", 4) == 0 &&
			    (c == p || S_www_after((unsigned char)c[-1]))) ||
			   (*c == ':' && eol - c >= 3 && c[1] == '/' && c[2] == '/')) {
			/* the rest of the word, again for each ')' trimmed off its end */
			if (c >= word_end)
				for (word_end = c, parens = 0;
				     word_end < eol && !S_space((unsigned char)*word_end); word_end++)
					parens += *word_end == ')';
			cost = (unsigned long long)(word_end - c) * (1 + parens);
		} else {
			continue;
		}
		s->autolink += cost;
		if (s->autolink > AUTOLINK_MAX) {
			diag_error(s->path, s->line + s->first_line - 1, S_col(s->line_start, c),
				   "links and addresses here read as autolinks cost cmark-gfm 0.29 the "
				   "square of their length; put spaces or line breaks between them, or "
				   "write them as <...> or [text](url)");
			s->failed = 1;
		}
	}
}

/* ---- Blocks */

/*
 * The indentation of [p, eol) in columns, and in *first its first other
 * character. A tab counts as 4: past what a top-level fence allows.
 */
static size_t S_indent(const char *p, const char *eol, const char **first)
{
	size_t n = 0;
	for (*first = p; *first < eol && (**first == ' ' || **first == '\t'); (*first)++)
		n += **first == '\t' ? 4 : 1;
	return n;
}

/* The length of the run of '`' or '~' at q, in *ch its character; 0 when none. */
static size_t S_fence_run(const char *q, const char *eol, char *ch)
{
	const char *r = q;
	*ch = q < eol ? *q : 0;
	if (*ch != '`' && *ch != '~')
		return 0;
	while (r < eol && *r == *ch)
		r++;
	return (size_t)(r - q);
}

static int S_blank_from(const char *q, const char *eol)
{
	for (; q < eol; q++)
		if (*q != ' ' && *q != '\t')
			return 0;
	return 1;
}

/* What ends an HTML block that starts with q, or NULL: a blank line (kinds 6 and 7, or none). */
static const char *S_html_end(const char *q, const char *eol)
{
	static const char *const raw[][2] = {
		{ "<script", "</script>" },
		{ "<pre", "</pre>" },
		{ "<style", "</style>" },
		{ "<textarea", "</textarea>" },
		{ "<!--", "-->" },
		{ "<![cdata[", "]]>" },
		{ "<?", "?>" },
		{ NULL, NULL }
	};
	size_t i, n;
	for (i = 0; raw[i][0]; i++) {
		n = strlen(raw[i][0]);
		if ((size_t)(eol - q) >= n && S_holds(q, q + n, raw[i][0]) &&
		    (raw[i][0][1] == '!' || raw[i][0][1] == '?' || q + n == eol ||
		     S_space((unsigned char)q[n]) || q[n] == '>'))
			return raw[i][1];
	}
	if (eol - q >= 3 && q[1] == '!' && S_alpha((unsigned char)q[2]))
		return ">";
	return NULL;
}

/*
 * Fenced code at the top level: a fence opened with at most one space
 * cannot be inside a list item (those need two columns) or a blockquote
 * (its lines need a '>'), so it holds every line up to its closing fence.
 * The parser reads none of them: they are left out. Where that cannot be
 * told (a fence opened with two or three spaces, or one inside what may be
 * an HTML block, is followed by a less indented line), nothing is left out
 * from then on. Returns 1 when the line is such code.
 */
static int S_code_line(struct scan *s, const char *p, const char *eol, int blank)
{
	const char *q;
	size_t indent = S_indent(p, eol, &q), n;
	char ch = 0;
	int fence;

	n = indent <= 3 ? S_fence_run(q, eol, &ch) : 0;
	fence = n >= 3;
	switch (s->block) {
	case BLOCK_FENCE:
		if (fence && ch == s->fence && n >= s->fence_len && S_blank_from(q + n, eol))
			s->block = BLOCK_NONE;
		return 1;
	case BLOCK_NESTED:
		if (blank)
			return 0;
		if (indent < s->fence_indent)
			s->lost = 1, s->block = BLOCK_NONE;
		else if (fence && ch == s->fence && n >= s->fence_len && S_blank_from(q + n, eol))
			s->block = BLOCK_NONE;
		return 0;
	case BLOCK_HTML:
		if (fence || (indent <= 3 && q < eol && *q == '<' && S_html_end(q, eol)))
			s->lost = 1, s->block = BLOCK_NONE;
		else if (s->html_end ? S_holds(p, eol, s->html_end) : blank)
			s->block = BLOCK_NONE;
		return 0;
	case BLOCK_NONE: break;
	}
	if (s->lost || blank)
		return 0;
	if (fence && (ch == '~' || !memchr(q + n, '`', (size_t)(eol - q) - n))) {
		s->fence = ch;
		s->fence_len = n;
		s->fence_indent = indent;
		s->block = indent <= 1 ? BLOCK_FENCE : BLOCK_NESTED;
		return s->block == BLOCK_FENCE;
	}
	if (indent <= 3 && q < eol && *q == '<') {
		s->html_end = S_html_end(q, eol);
		if (!s->html_end || !S_holds(q + 1, eol, s->html_end))
			s->block = BLOCK_HTML;
	}
	return 0;
}

static int S_table_space(int c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/*
 * The cells of the row [p, eol) as the table extension counts them: after
 * an optional leading '|', each text ended by a '|' ("\|" ends none) or by
 * the line's end, and each '|' with nothing before it.
 */
static size_t S_row_cells(const char *p, const char *eol)
{
	size_t n = 0;
	int text, bar;

	if (p < eol && *p == '|')
		for (p++; p < eol && S_table_space(*p); p++)
			;
	while (p < eol) {
		text = 0;
		while (p < eol && *p != '|') {
			p += *p == '\\' && p + 1 < eol && p[1] == '|' ? 2 : 1;
			text = 1;
		}
		bar = p < eol;
		if (bar)
			for (p++; p < eol && S_table_space(*p); p++)
				;
		n += text || bar;
		if (!bar)
			break;
	}
	return n;
}

/* A delimiter row as the table extension's scanner reads it: "|:--|--:|". */
static int S_table_start(const char *p, const char *eol)
{
	const char *dash;
	int first = 1;

	if (p < eol && *p == '|')
		p++;
	for (;;) {
		while (p < eol && S_table_space(*p))
			p++;
		if (!first && p == eol)
			return 1;
		if (p < eol && *p == ':')
			p++;
		for (dash = p; p < eol && *p == '-'; p++)
			;
		if (p == dash)
			return 0;
		if (p < eol && *p == ':')
			p++;
		while (p < eol && S_table_space(*p))
			p++;
		if (p == eol)
			return 1;
		if (*p != '|')
			return 0;
		p++;
		first = 0;
	}
}

/*
 * Whether the line [p, eol) surely makes the paragraph above it a table:
 * that paragraph is one line (s->hdr) at the left margin after a blank
 * line, so nothing else can hold it, and this line is a delimiter row with
 * as many cells that nothing before tables can take (a setext underline, a
 * thematic break or a list item).
 */
static int S_sure_table(const struct scan *s, const char *p, const char *eol)
{
	const char *q = p;

	while (q < eol && *q == ' ' && q - p < 4)
		q++;
	if (!s->hdr || s->block != BLOCK_NONE || s->lost || q - p > 3 || q == eol || S_table_space(*q) ||
	    !S_table_start(q, eol) || !memchr(q, '|', (size_t)(eol - q)) ||
	    (*q == '-' && q + 1 < eol && S_table_space(q[1])))
		return 0;
	return S_row_cells(s->hdr, s->hdr_eol) == S_row_cells(q, eol);
}

/*
 * Whether the line [p, eol) continues a table as a row: it has a cell and
 * starts no other block (none is taken for a row, so this errs on ending
 * the table).
 */
static int S_table_row(const char *p, const char *eol)
{
	const char *q = p, *r;

	while (q < eol && *q == ' ' && q - p < 4)
		q++;
	if (q - p > 3 || q == eol || *q == '\t' || S_row_cells(q, eol) == 0)
		return 0;
	switch (*q) {
	case '>':
	case '#':
	case '`':
	case '~':
	case '<': return 0;
	case '-':
	case '+':
	case '*':
	case '_':
		if (*q != '_' && q + 1 < eol && S_table_space(q[1]))
			return 0; /* a list item */
		for (r = q; r < eol && (*r == *q || S_table_space(*r)); r++)
			;
		return r < eol; /* else a thematic break */
	case '[': return !(q + 1 < eol && q[1] == '^');
	default:
		for (r = q; r < eol && S_digit(*r); r++)
			;
		return !(r > q && r < eol && (*r == '.' || *r == ')'));
	}
}

/* Only '|', ':', '-' and blanks, with a '-' and a '|' or ':': what may be a table's delimiter row. */
static int S_delim_row(const char *p, const char *eol)
{
	int dash = 0, bar = 0;
	for (; p < eol; p++) {
		if (*p == '-')
			dash = 1;
		else if (*p == '|' || *p == ':')
			bar = 1;
		else if (*p != ' ' && *p != '\t')
			return 0;
	}
	return dash && bar;
}

/* A bullet list item with text, or an ATX heading, at p: either ends a paragraph. */
static int S_starts_block(const char *p, const char *eol, int *heading)
{
	const char *q = p;
	int n = 0;

	*heading = 0;
	while (q < eol && *q == ' ' && q - p < 4)
		q++;
	if (q - p > 3 || q == eol)
		return 0;
	if (*q == '-' || *q == '+' || *q == '*') {
		if (q + 1 == eol || (q[1] != ' ' && q[1] != '\t'))
			return 0;
		return !S_blank_from(q + 1, eol); /* not empty: it interrupts a paragraph */
	}
	while (q < eol && *q == '#' && n < 7)
		q++, n++;
	*heading = n >= 1 && n <= 6 && (q == eol || *q == ' ' || *q == '\t');
	return *heading;
}

/* The first of c1 or c2 not escaped in [q, eol), or NULL. */
static const char *S_unescaped(const char *q, const char *eol, char c1, char c2)
{
	for (; q < eol; q++) {
		if (*q == '\\' && q + 1 < eol)
			q++;
		else if (*q == c1 || *q == c2)
			return q;
	}
	return NULL;
}

static const char *S_skip_space(const char *q, const char *eol)
{
	while (q < eol && (*q == ' ' || *q == '\t'))
		q++;
	return q;
}

/* What comes of a reference definition whose title may start at q. */
static enum def S_def_title(struct scan *s, const char *q, const char *eol)
{
	q = S_skip_space(q, eol);
	if (q == eol)
		return DEF_TITLE;
	if (*q != '"' && *q != '\'' && *q != '(')
		return DEF_NONE; /* anything else ends it (or makes it none) */
	s->def_closer = *q == '(' ? ')' : *q;
	return S_unescaped(q + 1, eol, s->def_closer, s->def_closer) ? DEF_NONE : DEF_IN;
}

/* What comes of a reference definition whose destination may start at q. */
static enum def S_def_dest(struct scan *s, const char *q, const char *eol)
{
	q = S_skip_space(q, eol);
	if (q == eol)
		return DEF_DEST;
	if (*q == '<') {
		if (!(q = S_unescaped(q + 1, eol, '>', '>')))
			return DEF_NONE; /* no closer on its line: no definition */
		q++;
	} else {
		while (q < eol && *q != ' ' && *q != '\t')
			q++;
	}
	return S_def_title(s, q, eol);
}

/* What comes of a reference definition whose label goes on at q. */
static enum def S_def_label(struct scan *s, const char *q, const char *eol)
{
	const char *r = S_unescaped(q, eol, '[', ']');

	if (!r)
		return DEF_LABEL;
	if (*r == '[' || r + 1 == eol || r[1] != ':')
		return DEF_NONE; /* no label */
	return S_def_dest(s, r + 2, eol);
}

/*
 * Follows the reference definitions of a paragraph over the line
 * [p, eol), whose text starts at q: a definition may start at a line
 * that opens with '[' (unless an earlier one is still open) and holds
 * all its lines. Their bytes are counted whether or not they end up
 * definitions; what ends them is taken late, never early.
 */
static void S_defs(struct scan *s, const char *p, const char *q, const char *eol)
{
	const char *r;

	switch (s->def_state) {
	case DEF_LABEL: s->def_state = S_def_label(s, q, eol); break;
	case DEF_DEST: s->def_state = S_def_dest(s, q, eol); break;
	case DEF_IN:
		if (S_unescaped(q, eol, s->def_closer, s->def_closer))
			s->def_state = DEF_NONE;
		break;
	case DEF_TITLE:
		q = S_skip_space(q, eol);
		if (q < eol && (*q == '"' || *q == '\'' || *q == '(')) {
			s->def_state = S_def_title(s, q, eol);
			break;
		}
		s->def_state = DEF_NONE; /* the definition ended on the line above */
					 /* fall through */
	case DEF_NONE:
		if (q == eol || *q != '[')
			return;
		r = S_unescaped(q + 1, eol, '[', ']');
		if (r && (*r == '[' || r + 1 == eol || r[1] != ':'))
			return; /* no label: a link, perhaps */
		s->def_state = S_def_label(s, q + 1, eol);
		s->def = p;
		s->def_line = s->line;
		break;
	}
	if ((size_t)(eol - s->def) > s->ref_max) {
		s->ref_line = s->def_line;
		s->ref_max = (size_t)(eol - s->def);
		S_refs_check(s, q);
	}
}

static void S_fail_line(struct scan *s, const char *fmt, unsigned long long n)
{
	diag_error(s->path, s->line + s->first_line - 1, 1, fmt, n);
	s->failed = 1;
}

/* Walking the open containers for one line of len bytes that may hold d of them. */
static void S_depth(struct scan *s, size_t d, size_t len)
{
	s->depth_walk += (unsigned long long)d * (10 + len);
	if (s->depth_walk > DEPTH_WALK_MAX)
		S_fail_line(
			s,
			"lines inside blockquotes, lists and footnotes up to %llu levels deep (as markers and "
			"indentation allow): cmark-gfm 0.29 walks every open level for each line and "
			"each inline; flatten the nesting",
			(unsigned long long)d);
}

/*
 * The block structure's view of one line [p, eol) that is no code: how
 * many containers it may hold, and what it may add to a table.
 */
static void S_blocks(struct scan *s, const char *p, const char *eol)
{
	const char *q = p, *r, *nonspace;
	size_t ws = 0, markers = 0, pipes = 0, est, d, cols;
	int blank;

	/* Leading blanks and container markers: '>', bullets, "1." and "1)", "[^note]:". */
	for (;;) {
		while (q < eol && (*q == ' ' || *q == '\t'))
			ws += *q++ == '\t' ? 4 : 1;
		if (q == eol)
			break;
		if (*q == '>' || ((*q == '-' || *q == '+' || *q == '*') &&
				  (q + 1 == eol || q[1] == ' ' || q[1] == '\t'))) {
			markers++;
			q++;
			continue;
		}
		for (r = q; r < eol && S_digit(*r) && r - q < 9; r++)
			;
		if (r > q && r < eol && (*r == '.' || *r == ')') &&
		    (r + 1 == eol || r[1] == ' ' || r[1] == '\t')) {
			markers++;
			q = r + 1;
			continue;
		}
		if (eol - q >= 5 && q[0] == '[' && q[1] == '^') {
			for (r = q + 2; r < eol && *r != ']' && *r != ' ' && *r != '\t'; r++)
				;
			if (r > q + 2 && eol - r >= 2 && r[0] == ']' && r[1] == ':') {
				markers++;
				q = r + 2;
				continue;
			}
		}
		break;
	}
	blank = q == eol && markers == 0;

	S_defs(s, p, q, eol);
	if (s->failed)
		return;

	/*
	 * Nesting. A line can keep what was open and add one container per
	 * marker; one that is no lazy continuation (none follows a blank
	 * line) holds at most its markers and a level per two columns of
	 * indentation. Blank and lazy lines walk everything open.
	 */
	est = markers + ws / 2 + 1;
	if (blank) {
		d = s->open;
	} else {
		size_t now = s->open + markers < est ? s->open + markers : est;
		if (s->prev_blank || now > s->open)
			s->open = now;
		d = s->open;
	}
	s->prev_blank = blank;
	S_depth(s, d, (size_t)(eol - p));
	if (s->failed)
		return;

	/* Tables. */
	s->row = 0;
	if (blank) {
		s->in_table = s->sure_table = 0;
		return;
	}
	for (r = p; r < eol; r++)
		pipes += *r == '|';
	for (nonspace = p; nonspace < eol && (*nonspace == ' ' || *nonspace == '\t'); nonspace++)
		;
	if (s->sure_table && !(s->row = S_table_row(p, eol)))
		s->sure_table = 0;
	if (!s->row && (S_delim_row(q, eol) || S_delim_row(nonspace, eol))) {
		/* cmark reads the paragraph above again as the header row */
		if (!s->sure_table && S_sure_table(s, p, eol))
			s->sure_table = 1;
		s->reread += s->para_weight;
		s->delims++;
		if (s->reread > TABLE_REREAD_MAX) {
			S_fail_line(s,
				    "%llu lines of one paragraph, this one included, look like a table's "
				    "delimiter row ('|---|'): cmark-gfm 0.29 reads the paragraph again for "
				    "each that does not fit the row above; give the table a header row with "
				    "as many cells, and a blank line above",
				    (unsigned long long)s->delims);
			return;
		}
		/* the table's width is its delimiter row's, wherever its containers end */
		cols = S_row_cells(q, eol) > S_row_cells(nonspace, eol)
			       ? S_row_cells(q, eol)
			       : S_row_cells(nonspace, eol);
		if (!s->in_table) {
			s->in_table = 1;
			s->cols = cols;
			s->cells += s->cols; /* the header */
			s->table_render += (unsigned long long)s->cols * s->cols;
		} else if (cols > s->cols) {
			s->cols = cols;
		}
	}
	s->para_weight += 1 + pipes + (unsigned long long)pipes * pipes / 128;
	s->table_walk += (unsigned long long)pipes * pipes;
	if (s->in_table) {
		s->cells += s->cols;
		s->table_render += (unsigned long long)s->cols * s->cols;
	}
	if (s->cells > TABLE_CELLS_MAX)
		S_fail_line(s, "tables have more than %llu cells (rows x columns); split the table",
			    TABLE_CELLS_MAX);
	else if (s->table_walk > TABLE_WALK_MAX || s->table_render > TABLE_RENDER_MAX)
		S_fail_line(s,
			    "table rows here have up to %llu cells: cmark-gfm 0.29 spends the square of "
			    "a row's cells on each; split the table",
			    (unsigned long long)(s->cols > pipes + 1 ? s->cols : pipes + 1));
}

int mdcost_check(const char *path, int first_line, const char *md, size_t len)
{
	struct scan s;
	const char *p, *q, *eol, *next;
	int heading, blank, code, was_code = 0, after_blank = 1;
	enum block before;

	memset(&s, 0, sizeof(s));
	s.path = path;
	s.first_line = first_line;
	s.md = md;
	s.end = md + len;
	s.line = 1;
	s.line_start = md;
	s.synced = md;
	s.prev_blank = 1;
	for (p = md; p < s.end && !s.failed; p = next) {
		/* a line ends at "\n", "\r\n" or "\r", as cmark reads it */
		for (eol = p; eol < s.end && *eol != '\n' && *eol != '\r'; eol++)
			;
		next = eol;
		if (next < s.end && *next++ == '\r' && next < s.end && *next == '\n')
			next++;
		S_indent(p, eol, &q);
		blank = q == eol;
		heading = 0;
		before = s.block;
		code = S_code_line(&s, p, eol, blank);
		if (code) {
			/* the fence closed the paragraph, the table and every container */
			if (!was_code)
				S_para_end(&s, p);
			s.in_table = 0;
			s.open = 1;
			s.prev_blank = 1;
			S_depth(&s, 1, (size_t)(eol - p));
		} else {
			if (blank || was_code || S_starts_block(p, eol, &heading))
				S_para_end(&s, p);
			S_blocks(&s, p, eol);
			if (s.row)
				S_para_end(&s, p); /* a table row's cells are read apart */
			if (!s.failed)
				S_inlines(&s, p, next);
			if (!s.failed)
				S_autolinks(&s, p, eol);
			if (heading)
				S_para_end(&s, next);
		}
		/* a table's header can only be one line after a blank one, at the
		 * margin, and surely in no HTML block */
		s.hdr = !code && !blank && after_blank && before == BLOCK_NONE && s.block == BLOCK_NONE &&
					!s.lost && !strchr("#>`~<-+*_=[ \t", *p) && !S_digit(*p)
				? p
				: NULL;
		s.hdr_eol = eol;
		after_blank = blank && !code;
		was_code = code;
		if (next > eol && next[-1] == '\n') {
			s.line++;
			s.line_start = next;
		}
	}
	if (!s.failed)
		S_para_end(&s, s.end);
	return s.failed ? -1 : 0;
}
