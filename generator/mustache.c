/*
 * mustache: templates are compiled once, in three passes over a copy of
 * the source. The tokenizer cuts the source into text and tags (following
 * set-delimiter tags as it goes) and checks that sections nest; the
 * standalone pass decides which tags sit alone on their line and trims the
 * whitespace around them; the emitter writes a flat array of nodes, where
 * a section is followed by its body and knows how many nodes that body has.
 *
 * Rendering walks that array with the context stack and the inheritance
 * overrides kept in C stack frames and the indentation in a buffer of the
 * call's own, so a compiled set is shared by every thread without locks.
 * Recursion, nesting and total work are bounded, so no template can
 * overflow the stack or render forever.
 *
 * Indentation is a render-time affair: every line start of a template gets
 * an INDENT node that writes the indentation in force, which is empty at
 * the top, grows by a standalone partial's leading whitespace, and grows by
 * a standalone block's indentation where the block is expanded. A block's
 * own lines have their common indentation stripped at compile time, so an
 * override written at any depth lands at the depth of the block it fills.
 */
#include "mustache.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "escape.h"

/* Sections, parents and blocks nested in one template. */
#define MU_MAX_NESTING 100
/* Partials, parents and block overrides expanded inside each other. */
#define MU_MAX_DEPTH 64
/*
 * Sections and expansions open at once while rendering: each costs C stack,
 * and 64 partials each 100 sections deep would not fit a worker's stack.
 */
#define MU_MAX_NEST 1024
/*
 * Work done by one mu_render: nodes visited plus context levels searched.
 * Nested sections over the same list, or partials fanning out, can ask
 * for exponential work; a list of 5,000 cards costs 630,000 steps, and
 * 130,000 cards, enough for this, would be past the output cap already,
 * so reaching it means a runaway template rather than a big site. It takes
 * a quarter of a second.
 */
#define MU_MAX_STEPS (1UL << 24)
/*
 * Bytes one mu_render may append. Partials that include each other twice
 * double the output at every level, so a few hundred bytes of templates
 * could ask for gigabytes. A page's body is at most 8 MiB of HTML and the
 * largest page of a real site is well under 1 MiB: eight bodies' worth
 * leaves room for any honest layout.
 */
#define MU_MAX_OUTPUT ((size_t)64 << 20)
/* A longer delimiter is never useful and makes the tag search quadratic. */
#define MU_MAX_DELIM 32
/*
 * A longer tag name is never useful, and every lookup of a name costs its
 * length (finding its dots, comparing it with keys) in one step: a name of
 * megabytes in a loop would make each step take a millisecond.
 */
#define MU_MAX_NAME 256
/*
 * Tags and lines in all the templates of a set. Each tag costs about 170
 * bytes while it is compiled and 60 kept, 35 times its 5 bytes of source:
 * five layouts of 30 MB of '{{.}}' (6 million tags each, under the 32 MiB
 * file cap) took 2.7 GB and 10 s, and git packs such a file to a few
 * kilobytes, so a pull request could hold dozens. Each line of text is up
 * to two nodes (its indentation and its text, for partials' indentation):
 * one layout of 30 million empty lines took 2 GB. The default theme has
 * 1,834 tags and 1,204 lines.
 */
#define MU_MAX_TAGS_LINES 200000

#define NOPOS SIZE_MAX

enum mu_op {
	MU_OP_TEXT,     /* s, n: bytes to copy */
	MU_OP_INDENT,   /* a line starts: write the indentation in force */
	MU_OP_VAR,      /* {{name}}: escaped */
	MU_OP_RAW,      /* {{{name}}} or {{&name}} */
	MU_OP_SECTION,  /* {{#name}} body {{/name}} */
	MU_OP_INVERTED, /* {{^name}} body {{/name}} */
	MU_OP_PARTIAL,  /* {{>name}} */
	MU_OP_PARENT,   /* {{<name}} blocks {{/name}}: only BLOCK children */
	MU_OP_BLOCK     /* {{$name}} default {{/name}} */
};

struct mu_node {
	enum mu_op op;
	int line, col; /* where the tag starts, for render errors */
	const char *s; /* TEXT: the bytes; tags: the name (in tmpl->src) */
	size_t n;
	const char *indent; /* PARTIAL, PARENT, BLOCK: added to the indentation */
	size_t indentlen;
	int standalone; /* PARTIAL, PARENT, BLOCK: the tag's line was standalone */
	size_t nkids;   /* SECTION, INVERTED, PARENT, BLOCK: body length */
};

struct mu_tmpl {
	char *name;
	size_t namelen;
	char *path; /* for diagnostics */
	char *src;  /* copy of the source; nodes point into it */
	struct mu_node *nodes;
	size_t nnodes;
	size_t first; /* its nodes' first slot in a struct mu_names */
	size_t ntags; /* its tags and lines, counted in its set's */
};

struct mu_set {
	int strict;
	struct mu_tmpl **tmpls; /* sorted by name (bytewise, then length) */
	size_t n, cap;
	size_t nslots; /* nodes of every template added, replaced ones too */
	size_t ntags;  /* tags and lines of its templates (MU_MAX_TAGS_LINES) */
};

/* What the renders did at a tag: bits of a slot of struct mu_names. */
#define MU_REACHED 1
#define MU_RESOLVED 2

struct mu_names {
	const struct mu_set *set;
	atomic_uchar *slots; /* per node of the set's templates, from tmpl->first */
	size_t n;
};

/* ---- compiling ---------------------------------------------------- */

enum tok_kind {
	TOK_TEXT,
	TOK_VAR,
	TOK_RAW,
	TOK_SECTION,
	TOK_INVERTED,
	TOK_CLOSE,
	TOK_COMMENT,
	TOK_PARTIAL,
	TOK_PARENT,
	TOK_BLOCK,
	TOK_DELIM
};

struct tok {
	enum tok_kind kind;
	size_t a, b;          /* the text, or the whole tag with delimiters */
	size_t ta, tb;        /* TEXT: what is left after standalone trimming */
	size_t name, namelen; /* tags: the name, whitespace trimmed */
	int line, col;        /* tags: position of the opening delimiter */
	size_t match;         /* open and close tags: index of the partner */
	int standalone;       /* tags: the tag's line is removed from the output */
	size_t ind, indn;     /* standalone: the line's leading whitespace */
};

struct parser {
	const char *path;
	const char *src;
	size_t len;
	struct tok *toks;
	size_t ntoks, tcap;
	struct mu_node *nodes;
	size_t nnodes, ncap;
	size_t cur; /* line and col are those of src[cur] */
	int line, col;
	size_t room; /* tags and lines the set may still take (MU_MAX_TAGS_LINES) */
};

static int S_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int S_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int S_line_start(const char *src, size_t at)
{
	return at == 0 || src[at - 1] == '\n';
}

/* Offset of the first nd at or after from, or NOPOS. */
static size_t S_find(const char *s, size_t len, size_t from, const char *nd, size_t nn)
{
	while (from < len && len - from >= nn) {
		const char *hit = memchr(s + from, nd[0], len - from - nn + 1);
		if (!hit)
			return NOPOS;
		if (memcmp(hit, nd, nn) == 0)
			return (size_t)(hit - s);
		from = (size_t)(hit - s) + 1;
	}
	return NOPOS;
}

/*
 * Line and column (1-based, counting UTF-8 characters) of offset at.
 * Offsets only grow while tokenizing, so the walk is linear overall.
 */
static void S_pos(struct parser *p, size_t at, int *line, int *col)
{
	for (; p->cur < at; p->cur++) {
		unsigned char c = (unsigned char)p->src[p->cur];
		if (c == '\n') {
			p->line++;
			p->col = 1;
		} else if ((c & 0xC0) != 0x80) {
			p->col++;
		}
	}
	*line = p->line;
	*col = p->col;
}

static struct tok *S_push_tok(struct parser *p, enum tok_kind kind, size_t a, size_t b)
{
	struct tok *t;
	ARRAY_GROW(p->toks, p->ntoks, p->tcap, 64);
	t = &p->toks[p->ntoks++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->a = t->ta = a;
	t->b = t->tb = b;
	t->match = NOPOS;
	return t;
}

/* The tag's source for messages, cut short: it may be a whole page. */
static int S_show_len(const struct tok *t)
{
	size_t n = t->b - t->a;
	return (int)(n > 60 ? 60 : n);
}

static const char *S_open_word(enum tok_kind k)
{
	switch (k) {
	case TOK_INVERTED: return "inverted section";
	case TOK_PARENT: return "parent";
	case TOK_BLOCK: return "block";
	default: return "section";
	}
}

/* "." alone, or non-empty parts between single dots. */
static int S_valid_dotted(const char *s, size_t n)
{
	size_t i, part = 0;
	if (n == 1 && s[0] == '.')
		return 1;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (part == 0)
				return 0;
			part = 0;
		} else {
			part++;
		}
	}
	return part > 0;
}

static int S_check_name(struct parser *p, const struct tok *t)
{
	const char *s = p->src + t->name;
	size_t i;

	if (t->kind == TOK_COMMENT || t->kind == TOK_DELIM)
		return 0;
	if (t->namelen == 0) {
		diag_error(p->path, t->line, t->col, "empty tag name in '%.*s'", S_show_len(t),
			   p->src + t->a);
		return -1;
	}
	if (t->namelen > MU_MAX_NAME) {
		diag_error(p->path, t->line, t->col, "tag name is longer than %d bytes", MU_MAX_NAME);
		return -1;
	}
	for (i = 0; i < t->namelen; i++) {
		if (S_is_space(s[i])) {
			diag_error(p->path, t->line, t->col, "tag name '%.*s' contains whitespace",
				   (int)t->namelen, s);
			return -1;
		}
	}
	if ((t->kind == TOK_VAR || t->kind == TOK_RAW || t->kind == TOK_SECTION || t->kind == TOK_INVERTED) &&
	    !S_valid_dotted(s, t->namelen)) {
		diag_error(p->path, t->line, t->col,
			   "bad name '%.*s': want '.' or names joined by single dots", (int)t->namelen, s);
		return -1;
	}
	return 0;
}

/*
 * {{=open close=}}: two whitespace-separated delimiters. They are pointers
 * into the source, which outlives the tokenizer.
 */
static int S_set_delims(struct parser *p, const struct tok *t, const char **ot, size_t *ol, const char **ct,
			size_t *cl)
{
	const char *s = p->src + t->name, *e = s + t->namelen;
	const char *a = s, *b, *c;
	size_t an, bn;

	while (a < e && !S_is_space(*a))
		a++;
	an = (size_t)(a - s);
	b = a;
	while (b < e && S_is_space(*b))
		b++;
	bn = (size_t)(e - b);
	for (c = b; c < e && !S_is_space(*c); c++)
		;
	if (an == 0 || bn == 0 || c != e) {
		diag_error(p->path, t->line, t->col,
			   "bad set-delimiter tag '%.*s': want two delimiters "
			   "separated by a space, as in {{=<%% %%>=}}",
			   S_show_len(t), p->src + t->a);
		return -1;
	}
	if (an > MU_MAX_DELIM || bn > MU_MAX_DELIM) {
		diag_error(p->path, t->line, t->col,
			   "bad set-delimiter tag '%.*s': delimiters are limited "
			   "to %d bytes",
			   S_show_len(t), p->src + t->a, MU_MAX_DELIM);
		return -1;
	}
	*ot = s;
	*ol = an;
	*ct = b;
	*cl = bn;
	return 0;
}

/*
 * Cuts the source into tokens and pairs each open tag with its close.
 * Reports the first syntax error and returns -1.
 */
/* Takes one of the set's room (MU_MAX_TAGS_LINES) for each line break in the text
 * [a, b), or fails at the first past it. */
static int S_take_lines(struct parser *p, size_t a, size_t b)
{
	const char *s = p->src + a, *end = p->src + b;
	int line, col;

	while (s < end && (s = memchr(s, '\n', (size_t)(end - s)))) {
		if (p->room == 0) {
			S_pos(p, (size_t)(s - p->src), &line, &col);
			diag_error(p->path, line, col,
				   "the templates hold more than %d tags and lines (a generated layout?)",
				   MU_MAX_TAGS_LINES);
			return -1;
		}
		p->room--;
		s++;
	}
	return 0;
}

static int S_tokenize(struct parser *p)
{
	const char *src = p->src;
	size_t len = p->len, pos = 0, depth = 0, i;
	size_t open[MU_MAX_NESTING];
	const char *ot = "{{", *ct = "}}";
	size_t ol = 2, cl = 2;

	while (pos < len) {
		size_t q = S_find(src, len, pos, ot, ol);
		size_t c, cs, ce, e, end;
		char sigil, closer = 0;
		enum tok_kind kind;
		struct tok *t;
		int line, col;

		if (S_take_lines(p, pos, q == NOPOS ? len : q))
			return -1;
		if (q == NOPOS) {
			S_push_tok(p, TOK_TEXT, pos, len);
			break;
		}
		if (q > pos)
			S_push_tok(p, TOK_TEXT, pos, q);
		S_pos(p, q, &line, &col);
		if (p->room == 0) {
			diag_error(p->path, line, col,
				   "the templates hold more than %d tags and lines (a generated layout?)",
				   MU_MAX_TAGS_LINES);
			return -1;
		}
		p->room--;
		c = q + ol;
		sigil = c < len ? src[c] : '\0';
		cs = c + 1;
		switch (sigil) {
		case '{':
			kind = TOK_RAW;
			closer = '}';
			break;
		case '=':
			kind = TOK_DELIM;
			closer = '=';
			break;
		case '&': kind = TOK_RAW; break;
		case '#': kind = TOK_SECTION; break;
		case '^': kind = TOK_INVERTED; break;
		case '/': kind = TOK_CLOSE; break;
		case '!': kind = TOK_COMMENT; break;
		case '>': kind = TOK_PARTIAL; break;
		case '<': kind = TOK_PARENT; break;
		case '$': kind = TOK_BLOCK; break;
		default:
			kind = TOK_VAR;
			cs = c;
			break;
		}
		if (cs > len)
			cs = len;
		/* {{{x}}} and {{=a b=}} end at '}' or '=' right before the delimiter. */
		e = S_find(src, len, cs, ct, cl);
		while (closer && e != NOPOS && (e == cs || src[e - 1] != closer))
			e = S_find(src, len, e + 1, ct, cl);
		if (e == NOPOS) {
			size_t n = 0;
			while (q + n < len && n < 40 && src[q + n] != '\n')
				n++;
			diag_error(p->path, line, col, "unclosed tag '%.*s' (no '%s%.*s' follows)", (int)n,
				   src + q,
				   closer == '}'   ? "}"
				   : closer == '=' ? "="
						   : "",
				   (int)cl, ct);
			return -1;
		}
		ce = closer ? e - 1 : e;
		end = e + cl;
		while (cs < ce && S_is_space(src[cs]))
			cs++;
		while (ce > cs && S_is_space(src[ce - 1]))
			ce--;

		t = S_push_tok(p, kind, q, end);
		t->name = cs;
		t->namelen = ce - cs;
		t->line = line;
		t->col = col;
		if (S_check_name(p, t) < 0)
			return -1;
		pos = end;

		switch (kind) {
		case TOK_DELIM:
			if (S_set_delims(p, t, &ot, &ol, &ct, &cl) < 0)
				return -1;
			break;
		case TOK_SECTION:
		case TOK_INVERTED:
		case TOK_PARENT:
		case TOK_BLOCK:
			if (depth == MU_MAX_NESTING) {
				diag_error(p->path, line, col, "%s '%.*s' nested deeper than %d levels",
					   S_open_word(kind), (int)t->namelen, src + t->name, MU_MAX_NESTING);
				return -1;
			}
			open[depth++] = p->ntoks - 1;
			break;
		case TOK_CLOSE: {
			struct tok *o;
			if (depth == 0) {
				diag_error(p->path, line, col, "closing tag '/%.*s' has no open section",
					   (int)t->namelen, src + t->name);
				return -1;
			}
			o = &p->toks[open[depth - 1]];
			if (o->namelen != t->namelen ||
			    memcmp(src + o->name, src + t->name, t->namelen) != 0) {
				diag_error(p->path, line, col,
					   "closing tag '/%.*s' does not match open %s '%.*s' at %d:%d",
					   (int)t->namelen, src + t->name, S_open_word(o->kind),
					   (int)o->namelen, src + o->name, o->line, o->col);
				return -1;
			}
			o->match = p->ntoks - 1;
			t->match = open[--depth];
			break;
		}
		default: break;
		}
	}
	for (i = 0; i < depth; i++) {
		const struct tok *o = &p->toks[open[i]];
		diag_error(p->path, o->line, o->col, "unclosed %s '%.*s' (opened here)", S_open_word(o->kind),
			   (int)o->namelen, src + o->name);
	}
	return depth ? -1 : 0;
}

static int S_can_stand(enum tok_kind k)
{
	return k != TOK_TEXT && k != TOK_VAR && k != TOK_RAW;
}

/*
 * Tag i starts its line: only blanks since the last newline or the start
 * of the template. *ind is where those blanks start.
 */
static int S_alone_before(const struct parser *p, size_t i, size_t *ind)
{
	const struct tok *t;
	size_t k;

	if (i == 0) {
		*ind = p->toks[0].a;
		return 1;
	}
	t = &p->toks[i - 1];
	if (t->kind != TOK_TEXT)
		return 0;
	k = t->b;
	while (k > t->a && S_is_blank(p->src[k - 1]))
		k--;
	if (k == t->a ? i - 1 != 0 : p->src[k - 1] != '\n')
		return 0;
	*ind = k;
	return 1;
}

/*
 * Tag j ends its line: only blanks, then a line ending or the end of the
 * template. *eol is where the line ending starts, *next where the next
 * line does.
 */
static int S_alone_after(const struct parser *p, size_t j, size_t *eol, size_t *next)
{
	const struct tok *t;
	const char *s = p->src;
	size_t k;

	if (j + 1 == p->ntoks) {
		*eol = *next = p->toks[j].b;
		return 1;
	}
	t = &p->toks[j + 1];
	if (t->kind != TOK_TEXT)
		return 0;
	k = t->a;
	while (k < t->b && S_is_blank(s[k]))
		k++;
	if (k < t->b && s[k] == '\n') {
		*eol = k;
		*next = k + 1;
	} else if (k + 1 < t->b && s[k] == '\r' && s[k + 1] == '\n') {
		*eol = k;
		*next = k + 2;
	} else if (k == t->b && j + 2 == p->ntoks) {
		*eol = *next = k;
	} else {
		return 0;
	}
	return 1;
}

/*
 * Which runs of adjacent tags may stand alone on a line: any single tag
 * that is not an interpolation, and the pairs the inheritance spec names
 * ({{<p}}{{/p}}, {{$b}}{{/b}}, {{<p}}{{$b}}, {{/b}}{{/p}}).
 */
static int S_run_kind(const struct parser *p, size_t i, size_t j)
{
	const struct tok *a = &p->toks[i], *b = &p->toks[j];
	if (i == j)
		return S_can_stand(a->kind) ? 1 : 0;
	if (j != i + 1)
		return 0;
	if (a->kind == TOK_PARENT && b->kind == TOK_CLOSE && a->match == j)
		return 'p';
	if (a->kind == TOK_BLOCK && b->kind == TOK_CLOSE && a->match == j)
		return 'b';
	if (a->kind == TOK_PARENT && b->kind == TOK_BLOCK)
		return 'f';
	if (a->kind == TOK_CLOSE && b->kind == TOK_CLOSE && p->toks[a->match].kind == TOK_BLOCK &&
	    p->toks[b->match].kind == TOK_PARENT)
		return 'l';
	return 0;
}

/*
 * Finds the standalone lines and trims them from the neighbouring text:
 * the blanks before the tags (kept as the tags' indentation) and the
 * blanks and line ending after them. Decisions are made on the untrimmed
 * text (a, b); trimming only narrows (ta, tb).
 */
static void S_standalone(struct parser *p)
{
	size_t i = 0, j, k, ind, eol, next;

	while (i < p->ntoks) {
		int kind;
		if (p->toks[i].kind == TOK_TEXT) {
			i++;
			continue;
		}
		for (j = i; j + 1 < p->ntoks && p->toks[j + 1].kind != TOK_TEXT; j++)
			;
		kind = S_run_kind(p, i, j);
		if (kind && S_alone_before(p, i, &ind) && S_alone_after(p, j, &eol, &next)) {
			if (i > 0 && p->toks[i - 1].tb > ind)
				p->toks[i - 1].tb = ind;
			/*
			 * {{$b}}{{/b}} keeps its line ending: when the block
			 * expands to nothing the line is still a line.
			 */
			if (j + 1 < p->ntoks) {
				struct tok *t = &p->toks[j + 1];
				size_t to = kind == 'b' ? eol : next;
				if (t->ta < to)
					t->ta = to;
			}
			for (k = i; k <= j; k++) {
				p->toks[k].standalone = 1;
				p->toks[k].ind = ind;
				p->toks[k].indn = p->toks[i].a - ind;
			}
		}
		i = j + 1;
	}
}

static struct mu_node *S_push_node(struct parser *p, enum mu_op op)
{
	struct mu_node *n;
	ARRAY_GROW(p->nodes, p->nnodes, p->ncap, 64);
	n = &p->nodes[p->nnodes++];
	memset(n, 0, sizeof(*n));
	n->op = op;
	return n;
}

/* Length of the common prefix of src[a..a+an) and src[b..b+bn). */
static size_t S_common(const char *src, size_t a, size_t an, size_t b, size_t bn)
{
	size_t k = 0;
	while (k < an && k < bn && src[a + k] == src[b + k])
		k++;
	return k;
}

/*
 * The indentation of a standalone block's body: the blanks every
 * non-blank line of it starts with. An empty body takes the indentation
 * of the tag's own line.
 */
static void S_block_indent(const struct parser *p, size_t i, size_t *d, size_t *dn)
{
	const struct tok *o = &p->toks[i];
	const char *src = p->src;
	size_t m = o->match, s, re, w;
	int found = 0;

	*d = o->ind;
	*dn = o->indn;
	if (m == i + 1)
		return;
	s = p->toks[i + 1].kind == TOK_TEXT ? p->toks[i + 1].ta : p->toks[i + 1].a;
	re = p->toks[m - 1].kind == TOK_TEXT ? p->toks[m - 1].tb : p->toks[m - 1].b;
	while (s < re) {
		const char *nl;
		w = s;
		while (w < re && S_is_blank(src[w]))
			w++;
		if (w < re && src[w] != '\n' && src[w] != '\r') {
			if (!found) {
				*d = s;
				*dn = w - s;
				found = 1;
			} else {
				*dn = S_common(src, *d, *dn, s, w - s);
			}
		}
		nl = memchr(src + w, '\n', re - w);
		if (!nl)
			break;
		s = (size_t)(nl - src) + 1;
	}
}

/*
 * Text, one node per line, each line start preceded by an INDENT node and
 * stripped of the enclosing block's indentation (d, dn). Empty and blank
 * lines get no indentation: it would only add trailing blanks. Both kinds
 * get their position (text is emitted in source order, so S_pos stays
 * linear): a render error can be about the output they make.
 */
static void S_emit_text(struct parser *p, size_t a, size_t b, size_t d, size_t dn)
{
	const char *src = p->src;

	while (a < b) {
		size_t e;
		struct mu_node *n;
		if (S_line_start(src, a)) {
			size_t w = a;
			while (w < b && S_is_blank(src[w]))
				w++;
			if (!(w < b && (src[w] == '\n' || src[w] == '\r')) && !(w == b && b == p->len)) {
				n = S_push_node(p, MU_OP_INDENT);
				S_pos(p, a, &n->line, &n->col);
			}
			a += S_common(src, a, b - a, d, dn);
		}
		e = a;
		while (e < b && src[e] != '\n')
			e++;
		if (e < b)
			e++;
		if (e > a) {
			n = S_push_node(p, MU_OP_TEXT);
			n->s = src + a;
			n->n = e - a;
			S_pos(p, a, &n->line, &n->col);
		}
		a = e;
	}
}

struct frame {
	size_t node; /* the container's node */
	size_t tok;  /* its open tag */
	enum tok_kind kind;
	size_t d, dn; /* indentation stripped from lines inside */
};

/* Writes the node array from the tokens. */
static void S_emit(struct parser *p)
{
	struct frame fr[MU_MAX_NESTING + 1];
	size_t nf = 0, i, d = 0, dn = 0;
	const char *src = p->src;

	for (i = 0; i < p->ntoks; i++) {
		const struct tok *t = &p->toks[i];
		struct mu_node *n;
		enum mu_op op;

		/* Inside {{<parent}} only blocks count; the rest is ignored. */
		if (nf && fr[nf - 1].kind == TOK_PARENT && t->kind != TOK_BLOCK &&
		    !(t->kind == TOK_CLOSE && t->match == fr[nf - 1].tok)) {
			if (t->kind == TOK_SECTION || t->kind == TOK_INVERTED || t->kind == TOK_PARENT)
				i = t->match;
			continue;
		}
		if (t->kind == TOK_TEXT) {
			S_emit_text(p, t->ta, t->tb, d, dn);
			continue;
		}
		if (!t->standalone && S_line_start(src, t->a) && !(nf && fr[nf - 1].kind == TOK_PARENT))
			S_push_node(p, MU_OP_INDENT);

		switch (t->kind) {
		case TOK_VAR: op = MU_OP_VAR; break;
		case TOK_RAW: op = MU_OP_RAW; break;
		case TOK_SECTION: op = MU_OP_SECTION; break;
		case TOK_INVERTED: op = MU_OP_INVERTED; break;
		case TOK_PARTIAL: op = MU_OP_PARTIAL; break;
		case TOK_PARENT: op = MU_OP_PARENT; break;
		case TOK_BLOCK: op = MU_OP_BLOCK; break;
		case TOK_CLOSE:
			nf--;
			p->nodes[fr[nf].node].nkids = p->nnodes - fr[nf].node - 1;
			d = nf ? fr[nf - 1].d : 0;
			dn = nf ? fr[nf - 1].dn : 0;
			continue;
		default: /* comments and delimiters leave nothing */ continue;
		}
		n = S_push_node(p, op);
		n->line = t->line;
		n->col = t->col;
		n->s = src + t->name;
		n->n = t->namelen;
		n->standalone = t->standalone;
		if (t->standalone && (op == MU_OP_PARTIAL || op == MU_OP_PARENT)) {
			size_t k = S_common(src, t->ind, t->indn, d, dn);
			n->indent = src + t->ind + k;
			n->indentlen = t->indn - k;
		}
		if (op == MU_OP_SECTION || op == MU_OP_INVERTED || op == MU_OP_PARENT || op == MU_OP_BLOCK) {
			if (op == MU_OP_BLOCK && t->standalone) {
				size_t bd, bdn, k;
				S_block_indent(p, i, &bd, &bdn);
				k = S_common(src, bd, bdn, d, dn);
				n->indent = src + bd + k;
				n->indentlen = bdn - k;
				d = bd;
				dn = bdn;
			}
			fr[nf].node = p->nnodes - 1;
			fr[nf].tok = i;
			fr[nf].kind = t->kind;
			fr[nf].d = d;
			fr[nf].dn = dn;
			nf++;
		}
	}
}

static void S_tmpl_free(struct mu_tmpl *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->path);
	free(t->src);
	free(t->nodes);
	free(t);
}

/* ---- the set ------------------------------------------------------ */

struct mu_set *mu_set_new(int strict)
{
	struct mu_set *set = xcalloc(1, sizeof(*set));
	set->strict = strict;
	return set;
}

void mu_set_free(struct mu_set *set)
{
	size_t i;
	if (!set)
		return;
	for (i = 0; i < set->n; i++)
		S_tmpl_free(set->tmpls[i]);
	free(set->tmpls);
	free(set);
}

static int S_namecmp(const struct mu_tmpl *t, const char *name, size_t n)
{
	size_t m = t->namelen < n ? t->namelen : n;
	int c = m ? memcmp(t->name, name, m) : 0;
	if (c)
		return c;
	return t->namelen < n ? -1 : t->namelen > n;
}

/* The template called name, or NULL; *at is where it is or would go. */
static struct mu_tmpl *S_lookup_tmpl(const struct mu_set *set, const char *name, size_t n, size_t *at)
{
	size_t lo = 0, hi = set->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = S_namecmp(set->tmpls[mid], name, n);
		if (c == 0) {
			if (at)
				*at = mid;
			return set->tmpls[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (at)
		*at = lo;
	return NULL;
}

int mu_set_add(struct mu_set *set, const char *name, const char *path, const char *src, size_t len)
{
	struct parser p;
	struct mu_tmpl *t = xcalloc(1, sizeof(*t)), *old;
	size_t at, others;
	int rc = -1;

	t->name = xstrdup(name);
	t->namelen = strlen(name);
	t->path = xstrdup(path ? path : name);
	t->src = xmalloc(len + 1);
	if (len)
		memcpy(t->src, src, len);
	t->src[len] = '\0';

	memset(&p, 0, sizeof(p));
	p.path = t->path;
	p.src = t->src;
	p.len = len;
	p.line = p.col = 1;
	old = S_lookup_tmpl(set, t->name, t->namelen, &at);
	/* what the set's other templates hold (the one replaced gives its back) */
	others = set->ntags - (old ? old->ntags : 0);
	p.room = MU_MAX_TAGS_LINES - others;
	if (S_tokenize(&p) < 0)
		goto done;
	t->ntags = MU_MAX_TAGS_LINES - others - p.room;
	S_standalone(&p);
	/* The emitter walks the source again from the start. */
	p.cur = 0;
	p.line = p.col = 1;
	S_emit(&p);
	t->nodes = p.nodes;
	t->nnodes = p.nnodes;
	p.nodes = NULL;
	t->first = set->nslots;
	set->nslots += t->nnodes;

	set->ntags = others + t->ntags;
	if (old) {
		S_tmpl_free(old);
		set->tmpls[at] = t;
	} else {
		ARRAY_GROW(set->tmpls, set->n, set->cap, 16);
		memmove(set->tmpls + at + 1, set->tmpls + at, (set->n - at) * sizeof(*set->tmpls));
		set->tmpls[at] = t;
		set->n++;
	}
	t = NULL;
	rc = 0;
done:
	free(p.toks);
	free(p.nodes);
	S_tmpl_free(t);
	return rc;
}

int mu_set_check(const struct mu_set *set)
{
	size_t i, k;
	int rc = 0;

	if (!set->strict)
		return 0;
	for (i = 0; i < set->n; i++) {
		const struct mu_tmpl *t = set->tmpls[i];
		for (k = 0; k < t->nnodes; k++) {
			const struct mu_node *n = &t->nodes[k];
			if (n->op != MU_OP_PARTIAL && n->op != MU_OP_PARENT)
				continue;
			if (S_lookup_tmpl(set, n->s, n->n, NULL))
				continue;
			diag_error(t->path, n->line, n->col, "unknown %s '%.*s'",
				   n->op == MU_OP_PARTIAL ? "partial" : "parent template", (int)n->n, n->s);
			rc = -1;
		}
	}
	return rc;
}

int mu_set_has(const struct mu_set *set, const char *name)
{
	return S_lookup_tmpl(set, name, strlen(name), NULL) != NULL;
}

/* ---- text values -------------------------------------------------- */

/* p the bytes, i their length; the two classes differ only in trust. */
static enum mu_kind S_text_kind(const struct mu_val *v)
{
	(void)v;
	return MU_SCALAR;
}

static void S_text_put(const struct mu_val *v, struct buf *out)
{
	buf_put(out, v->p, v->i);
}

static int S_text_truthy(const struct mu_val *v)
{
	return v->i > 0;
}

static const struct mu_class S_str_class = {
	.kind = S_text_kind,
	.text = S_text_put,
	.truthy = S_text_truthy,
};

static const struct mu_class S_html_class = {
	.kind = S_text_kind,
	.text = S_text_put,
	.truthy = S_text_truthy,
	.trusted = 1,
};

static void S_val_text(struct mu_val *out, const struct mu_class *cls, const char *s, size_t n)
{
	out->cls = cls;
	out->p = s;
	out->q = NULL;
	out->i = n;
}

void mu_val_str(struct mu_val *out, const char *s, size_t n)
{
	S_val_text(out, &S_str_class, s, n);
}

void mu_val_html(struct mu_val *out, const char *s, size_t n)
{
	S_val_text(out, &S_html_class, s, n);
}

/* ---- rendering ---------------------------------------------------- */

/* One level of the context stack, in the frame of the section that pushed it. */
struct ctx {
	struct mu_val v;
	const struct ctx *up;
};

/*
 * The {{<parent}} tags being expanded, innermost first. A block takes its
 * content from the outermost one that overrides it, so the template that
 * started the chain has the last word.
 */
struct subs {
	const struct mu_tmpl *t; /* the template the parent tag is in */
	const struct mu_node *parent;
	const struct subs *up;
};

struct render {
	const struct mu_set *set;
	struct mu_names *names; /* NULL: names are not counted */
	struct buf *out;
	size_t start;       /* out->len when mu_render began */
	struct mu_run *run; /* where errors go; NULL: diag */
	struct buf ind;     /* the indentation in force is ind.ptr[ioff..ind.len) */
	size_t ioff;
	struct buf tmp; /* a value's text before escaping */
	int depth;      /* partials, parents and overrides being expanded */
	int nest;       /* S_render calls on the C stack */
	unsigned long steps;
};

/* A render error at nd of t: kept in r->run or reported. Returns -1. */
static int S_fail(struct render *r, const struct mu_tmpl *t, const struct mu_node *nd, const char *fmt, ...)
	JX_PRINTF(4, 5);
static int S_fail(struct render *r, const struct mu_tmpl *t, const struct mu_node *nd, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (r->run) {
		buf_release(&r->run->msg);
		r->run->path = t ? t->path : NULL;
		r->run->line = nd ? nd->line : 0;
		r->run->col = nd ? nd->col : 0;
		r->run->msg = msg;
		return -1;
	}
	diag_error(t ? t->path : NULL, nd ? nd->line : 0, nd ? nd->col : 0, "%s", buf_cstr(&msg));
	buf_release(&msg);
	return -1;
}

/* The steps of the render running on this thread, for mu_charge. */
static _Thread_local unsigned long *S_charged;

void mu_charge(unsigned long n)
{
	if (S_charged)
		*S_charged += n;
}

static enum mu_kind S_kind(const struct mu_val *v)
{
	return v->cls && v->cls->kind ? v->cls->kind(v) : MU_NULL;
}

static size_t S_len(const struct mu_val *v)
{
	return v->cls->len ? v->cls->len(v) : 0;
}

static int S_truthy(const struct mu_val *v)
{
	switch (S_kind(v)) {
	case MU_NULL: return 0;
	case MU_LIST: return S_len(v) > 0;
	case MU_MAP: return 1;
	default: return v->cls->truthy ? v->cls->truthy(v) != 0 : 1;
	}
}

/*
 * Resolves a dotted name: the first part up the context stack (the first
 * map that has it wins, even if its value is falsy), the rest each in the
 * value before. Anything missing resolves to MU_NULL. Returns 1 when every
 * part was found (if null), 0 when one was missing.
 */
static int S_resolve(struct render *r, struct mu_val *out, const struct ctx *cx, const char *name, size_t n)
{
	const char *dot, *end = name + n;
	struct mu_val next;

	memset(out, 0, sizeof(*out));
	if (n == 1 && name[0] == '.') {
		if (cx)
			*out = cx->v;
		return 1;
	}
	dot = memchr(name, '.', n);
	for (; cx; cx = cx->up) {
		r->steps++;
		memset(&next, 0, sizeof(next));
		if (S_kind(&cx->v) == MU_MAP && cx->v.cls->get &&
		    cx->v.cls->get(&cx->v, name, (size_t)((dot ? dot : end) - name), &next)) {
			*out = next;
			break;
		}
	}
	if (!cx)
		return 0;
	while (dot) {
		name = dot + 1;
		dot = memchr(name, '.', (size_t)(end - name));
		memset(&next, 0, sizeof(next));
		if (S_kind(out) != MU_MAP || !out->cls->get ||
		    !out->cls->get(out, name, (size_t)((dot ? dot : end) - name), &next)) {
			memset(out, 0, sizeof(*out));
			return 0;
		}
		*out = next;
	}
	return 1;
}

/*
 * Counts a lookup of tag nd of t in r->names. The slot is read first: after
 * the first few outputs every tag has its bits, and a load does not make
 * the threads fight over the cache line a write would.
 */
static void S_note(struct render *r, const struct mu_tmpl *t, const struct mu_node *nd, int found)
{
	unsigned char bits = MU_REACHED | (found ? MU_RESOLVED : 0);
	atomic_uchar *slot;

	if (!r->names)
		return;
	slot = &r->names->slots[t->first + (size_t)(nd - t->nodes)];
	if ((atomic_load_explicit(slot, memory_order_relaxed) & bits) != bits)
		atomic_fetch_or_explicit(slot, bits, memory_order_relaxed);
}

static void S_text(const struct mu_val *v, struct buf *out)
{
	if (S_kind(v) != MU_NULL && v->cls->text)
		v->cls->text(v, out);
}

static void S_truncate(struct buf *b, size_t len)
{
	b->len = len;
	if (b->cap)
		b->ptr[len] = '\0';
}

/* The first block argument of a {{<parent}} tag called name, or NULL. */
static const struct mu_node *S_argument(const struct mu_node *parent, const char *name, size_t n)
{
	size_t k;
	for (k = 1; k <= parent->nkids; k += parent[k].nkids + 1) {
		const struct mu_node *b = &parent[k];
		if (b->op == MU_OP_BLOCK && b->n == n && memcmp(b->s, name, n) == 0)
			return b;
	}
	return NULL;
}

static int S_render(struct render *r, const struct mu_tmpl *t, const struct mu_node *nodes, size_t n,
		    const struct ctx *cx, const struct subs *subs);

/* what is "partial", "parent" or "block" when nd expands another body. */
static int S_too_deep(struct render *r, const struct mu_tmpl *t, const struct mu_node *nd, const char *what)
{
	if (what && r->depth >= MU_MAX_DEPTH) {
		S_fail(r, t, nd, "%s '%.*s' nested deeper than %d levels (endless recursion?)", what,
		       (int)nd->n, nd->s, MU_MAX_DEPTH);
		return 1;
	}
	if (r->nest >= MU_MAX_NEST) {
		S_fail(r, t, nd, "sections and partials nested deeper than %d levels at '%.*s'", MU_MAX_NEST,
		       (int)nd->n, nd->s);
		return 1;
	}
	return 0;
}

/*
 * Renders template (or block body) nodes with new indentation: added to
 * the current one for a standalone tag, none at all for an inline
 * partial, whose lines continue the line it sits on.
 */
static int S_expand(struct render *r, const struct mu_tmpl *t, const struct mu_node *nodes, size_t n,
		    const struct ctx *cx, const struct subs *subs, const struct mu_node *tag, int reset,
		    int deeper)
{
	size_t ioff = r->ioff, ilen = r->ind.len;
	int rc;

	if (tag->standalone)
		buf_put(&r->ind, tag->indent, tag->indentlen);
	else if (reset)
		r->ioff = r->ind.len;
	r->depth += deeper;
	r->nest++;
	rc = S_render(r, t, nodes, n, cx, subs);
	r->nest--;
	r->depth -= deeper;
	S_truncate(&r->ind, ilen);
	r->ioff = ioff;
	return rc;
}

static int S_section(struct render *r, const struct mu_tmpl *t, const struct mu_node *nd,
		     const struct ctx *cx, const struct subs *subs)
{
	struct ctx inner;
	size_t i, len;
	int rc = 0;

	S_note(r, t, nd, S_resolve(r, &inner.v, cx, nd->s, nd->n));
	inner.up = cx;
	r->nest++;
	if (nd->op == MU_OP_INVERTED) {
		if (!S_truthy(&inner.v))
			rc = S_render(r, t, nd + 1, nd->nkids, cx, subs);
	} else if (S_kind(&inner.v) != MU_LIST) {
		if (S_truthy(&inner.v))
			rc = S_render(r, t, nd + 1, nd->nkids, &inner, subs);
	} else {
		len = S_len(&inner.v);
		for (i = 0; i < len && rc == 0; i++) {
			struct ctx item;
			memset(&item.v, 0, sizeof(item.v));
			item.up = cx;
			if (inner.v.cls->at)
				inner.v.cls->at(&inner.v, i, &item.v);
			rc = S_render(r, t, nd + 1, nd->nkids, &item, subs);
		}
	}
	r->nest--;
	return rc;
}

static int S_value(struct render *r, const struct mu_tmpl *t, const struct mu_node *nd, const struct ctx *cx)
{
	struct mu_val v;

	S_note(r, t, nd, S_resolve(r, &v, cx, nd->s, nd->n));
	if (S_kind(&v) == MU_NULL)
		return 0;
	if (nd->op == MU_OP_VAR) {
		if (v.cls->text == S_text_put) { /* ready-made text: escaped where it is, not copied first */
			if (v.i)
				escape_html(r->out, v.p, v.i);
			return 0;
		}
		buf_reset(&r->tmp);
		S_text(&v, &r->tmp);
		if (r->tmp.len)
			escape_html(r->out, r->tmp.ptr, r->tmp.len);
		return 0;
	}
	if (r->set->strict && !v.cls->trusted)
		return S_fail(r, t, nd,
			      "raw tag {{{%.*s}}} on untrusted value: only HTML the "
			      "generator made may go out unescaped; use {{%.*s}}",
			      (int)nd->n, nd->s, (int)nd->n, nd->s);
	S_text(&v, r->out);
	return 0;
}

/*
 * {{>name}} and {{<name}}: the named template in the same context. A
 * parent adds its block arguments to the overrides; a partial passes on
 * the ones in force, so a layout's header partial can have blocks too.
 */
static int S_include(struct render *r, const struct mu_tmpl *t, const struct mu_node *nd,
		     const struct ctx *cx, const struct subs *subs)
{
	const struct mu_tmpl *pt = S_lookup_tmpl(r->set, nd->s, nd->n, NULL);
	struct subs s;

	if (!pt) {
		if (!r->set->strict)
			return 0;
		return S_fail(r, t, nd, "unknown %s '%.*s'",
			      nd->op == MU_OP_PARTIAL ? "partial" : "parent template", (int)nd->n, nd->s);
	}
	if (S_too_deep(r, t, nd, nd->op == MU_OP_PARTIAL ? "partial" : "parent"))
		return -1;
	s.t = t;
	s.parent = nd;
	s.up = subs;
	return S_expand(r, pt, pt->nodes, pt->nnodes, cx, nd->op == MU_OP_PARENT ? &s : subs, nd, 1, 1);
}

/* {{$name}}: the outermost override of the block, or its default body. */
static int S_block(struct render *r, const struct mu_tmpl *t, const struct mu_node *nd, const struct ctx *cx,
		   const struct subs *subs)
{
	const struct mu_node *arg = NULL, *b;
	const struct mu_tmpl *at = NULL;
	const struct subs *s;

	for (s = subs; s; s = s->up) {
		if ((b = S_argument(s->parent, nd->s, nd->n))) {
			arg = b;
			at = s->t;
		}
	}
	/*
	 * An override can hold the block it overrides, so it counts towards
	 * the depth; the default body is nested in the source, so it cannot
	 * recur on its own.
	 */
	if (arg)
		return S_too_deep(r, t, nd, "block")
			       ? -1
			       : S_expand(r, at, arg + 1, arg->nkids, cx, subs, nd, 0, 1);
	return S_too_deep(r, t, nd, NULL) ? -1 : S_expand(r, t, nd + 1, nd->nkids, cx, subs, nd, 0, 0);
}

static int S_render(struct render *r, const struct mu_tmpl *t, const struct mu_node *nodes, size_t n,
		    const struct ctx *cx, const struct subs *subs)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct mu_node *nd = &nodes[i];

		if (++r->steps > MU_MAX_STEPS)
			return S_fail(r, t, nd,
				      "rendering took more than %lu steps (a runaway "
				      "template?)",
				      MU_MAX_STEPS);
		switch (nd->op) {
		case MU_OP_TEXT: buf_put(r->out, nd->s, nd->n); break;
		case MU_OP_INDENT:
			if (r->ind.len > r->ioff)
				buf_put(r->out, r->ind.ptr + r->ioff, r->ind.len - r->ioff);
			break;
		case MU_OP_VAR:
		case MU_OP_RAW:
			if (S_value(r, t, nd, cx) < 0)
				return -1;
			break;
		case MU_OP_SECTION:
		case MU_OP_INVERTED:
			if (S_too_deep(r, t, nd, NULL) || S_section(r, t, nd, cx, subs) < 0)
				return -1;
			i += nd->nkids;
			break;
		case MU_OP_PARTIAL:
		case MU_OP_PARENT:
			if (S_include(r, t, nd, cx, subs) < 0)
				return -1;
			if (nd->op == MU_OP_PARENT)
				i += nd->nkids;
			break;
		case MU_OP_BLOCK:
			if (S_block(r, t, nd, cx, subs) < 0)
				return -1;
			i += nd->nkids;
			break;
		}
		/*
		 * Checked after each node, so the output overshoots by at most
		 * one node's text and the error names where it crossed.
		 */
		if (r->out->len - r->start > MU_MAX_OUTPUT)
			return S_fail(r, t, nd,
				      "rendering makes more than %zu MiB of output "
				      "(a runaway template?)",
				      MU_MAX_OUTPUT >> 20);
	}
	return 0;
}

int mu_render_run(struct buf *out, struct mu_run *run, const struct mu_set *set, const char *name,
		  const struct mu_val *data)
{
	const struct mu_tmpl *t = S_lookup_tmpl(set, name, strlen(name), NULL);
	struct render r;
	struct ctx root;
	size_t start = out->len;
	unsigned long *charged = S_charged;
	int rc;

	memset(&r, 0, sizeof(r));
	buf_init(&r.ind);
	buf_init(&r.tmp);
	r.set = set;
	r.out = out;
	r.start = start;
	r.run = run;
	if (run) {
		run->steps = 0;
		r.names = run->names;
	}
	if (!t)
		return S_fail(&r, NULL, NULL, "unknown template '%s'", name);
	memset(&root, 0, sizeof(root));
	if (data)
		root.v = *data;
	S_charged = &r.steps;
	rc = S_render(&r, t, t->nodes, t->nnodes, &root, NULL);
	S_charged = charged;
	if (run)
		run->steps = r.steps;
	buf_release(&r.ind);
	buf_release(&r.tmp);
	if (rc < 0)
		S_truncate(out, start);
	return rc;
}

int mu_render(struct buf *out, const struct mu_set *set, const char *name, const struct mu_val *data)
{
	return mu_render_run(out, NULL, set, name, data);
}

/* ---- names found -------------------------------------------------- */

struct mu_names *mu_names_new(const struct mu_set *set)
{
	struct mu_names *names = xcalloc(1, sizeof(*names));
	size_t i;

	names->set = set;
	names->n = set->nslots;
	names->slots = xcalloc(names->n ? names->n : 1, sizeof(*names->slots));
	for (i = 0; i < names->n; i++)
		atomic_init(&names->slots[i], 0);
	return names;
}

void mu_names_free(struct mu_names *names)
{
	if (!names)
		return;
	free(names->slots);
	free(names);
}

/* 1 when known says every dotted part of name is a name the data can have. */
static int S_all_known(const char *name, size_t n, int (*known)(const char *, size_t, void *), void *payload)
{
	const char *end = name + n, *dot;

	if (!known)
		return 0;
	for (; name < end; name = dot + 1) {
		dot = memchr(name, '.', (size_t)(end - name));
		if (!dot)
			dot = end;
		if (!known(name, (size_t)(dot - name), payload))
			return 0;
	}
	return 1;
}

size_t
mu_names_unknown(const struct mu_names *names, int (*known)(const char *name, size_t n, void *payload),
		 void (*fn)(const char *path, int line, int col, const char *name, size_t n, void *payload),
		 void *payload)
{
	const struct mu_set *set = names->set;
	size_t i, k, count = 0;

	for (i = 0; i < set->n; i++) {
		const struct mu_tmpl *t = set->tmpls[i];
		for (k = 0; k < t->nnodes; k++) {
			const struct mu_node *nd = &t->nodes[k];
			if (atomic_load(&names->slots[t->first + k]) != MU_REACHED ||
			    S_all_known(nd->s, nd->n, known, payload))
				continue;
			fn(t->path, nd->line, nd->col, nd->s, nd->n, payload);
			count++;
		}
	}
	return count;
}
