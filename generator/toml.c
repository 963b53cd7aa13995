/*
 * toml: a recursive-descent reader of TOML 1.0 into ynode trees. The input
 * is checked as UTF-8 once, then read byte by byte with the line and the
 * line's start kept, so every error names its column in characters.
 *
 * Each node is a struct tnode: a ynode first (so ynode_free frees it whole)
 * followed by what TOML's definition rules need to know of a table: made by
 * a [header], made on the way to one, made by dotted keys, closed (an
 * inline table or a static array), an array of tables. A key is found in
 * its table through one keyed hash of (table, key) for the whole document,
 * so a table of many keys costs no more per key than a small one. Nesting
 * is bounded by max_depth, counted on each node, so the recursion of the
 * reader and of ynode_free is bounded too; the node count by max_nodes.
 */
#include "toml.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

#define TOML_DEFAULT_DEPTH 32
#define TOML_DEFAULT_NODES 100000
/* Keys longer than this are shortened in messages. */
#define TOML_SHOW_MAX 60

enum {
	T_HEADER = 1,   /* defined by its own [header] */
	T_IMPLICIT = 2, /* made on the way to a [header] below it: may get its own header later */
	T_DOTTED = 4,   /* made by a dotted key: more dotted keys may add to it, no header */
	T_CLOSED = 8,   /* an inline table or a static array: nothing is added later */
	T_AOT = 16      /* an array of tables ([[header]]) */
};

struct tnode {
	struct ynode y; /* first: a tnode is freed as its ynode */
	unsigned flags;
	int depth; /* the root is 0 */
	size_t cap;
};

struct parser {
	const char *path;
	const char *s;
	size_t len, pos;
	int line;          /* 1-based, without the offset */
	size_t line_start; /* byte offset of the line */
	int line_offset;
	int max_depth;
	size_t nodes, max_nodes;
	struct strmap keys; /* "%p\x1f" table, then the key -> index of the key in kids */
	struct arena arena; /* the strmap's keys */
	struct tnode *root, *cur;
	int failed;
	/* S_col's last count: column col_n is at byte col_at of the line that
	 * starts at col_line (col_n 0: none yet) */
	size_t col_line, col_at;
	int col_n;
};

/* One key of a dotted key, with where it was written. */
struct keypart {
	struct buf name;
	int line, col;
};

/*
 * The character column of at, on the current line. It goes on from the
 * last column counted when that was on this line and not past at: the keys
 * and values of an inline table, all on one line, were each counted from
 * the line's start, and 90,000 keys took over 60 s (now 0.1 s).
 */
static int S_col(struct parser *p, size_t at)
{
	int col = 1;
	size_t i = p->line_start;
	if (p->col_n && p->col_line == p->line_start && p->col_at <= at) {
		i = p->col_at;
		col = p->col_n;
	}
	for (; i < at && i < p->len; i++)
		if (((unsigned char)p->s[i] & 0xC0) != 0x80)
			col++;
	p->col_line = p->line_start;
	p->col_at = i;
	p->col_n = col;
	return col;
}

static int S_fail_at(struct parser *p, size_t at, const char *fmt, ...) JX_PRINTF(3, 4);
static int S_fail_at(struct parser *p, size_t at, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	if (p->failed)
		return -1;
	p->failed = 1;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	diag_error(p->path, p->line + p->line_offset, S_col(p, at), "%s", buf_cstr(&msg));
	buf_release(&msg);
	return -1;
}
#define S_fail(p, ...) S_fail_at((p), (p)->pos, __VA_ARGS__)

/* A key for messages: shortened, control characters left out. */
static const char *S_show(struct buf *b, const char *s, size_t n)
{
	size_t i;
	buf_reset(b);
	for (i = 0; i < n && i < TOML_SHOW_MAX; i++)
		buf_putc(b, (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i]);
	if (n > TOML_SHOW_MAX) {
		while (b->len && ((unsigned char)b->ptr[b->len - 1] & 0xC0) == 0x80)
			b->len--;
		if (b->len)
			b->len--;
		b->ptr[b->len] = 0;
		buf_puts(b, "...");
	}
	return buf_cstr(b);
}

/* The length of the UTF-8 sequence at s (n bytes left), or 0 when it is not valid UTF-8. */
static size_t S_utf8_len(const unsigned char *s, size_t n)
{
	uint32_t c;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, c = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, c = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	return len;
}

static struct tnode *S_node(struct parser *p, enum ynode_kind kind, int depth, int line, int col)
{
	struct tnode *t;

	if (depth > p->max_depth) {
		S_fail(p, "nesting deeper than %d levels", p->max_depth);
		return NULL;
	}
	if (++p->nodes > p->max_nodes) {
		S_fail(p, "more than %zu values", p->max_nodes);
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->y.kind = kind;
	t->y.line = line + p->line_offset;
	t->y.col = col;
	t->depth = depth;
	return t;
}

static void S_append(struct tnode *parent, struct tnode *kid)
{
	ARRAY_GROW(parent->y.kids, parent->y.n, parent->cap, 8);
	parent->y.kids[parent->y.n++] = &kid->y;
}

static const char *S_hash_key(struct parser *p, const struct tnode *table, const char *key)
{
	return arena_printf(&p->arena, "%p\x1f%s", (const void *)table, key);
}

/* The value of key in table, or NULL; *keynode its key. */
static struct tnode *S_lookup(struct parser *p, const struct tnode *table, const char *key,
			      const struct ynode **keynode)
{
	struct buf hk = BUF_INIT;
	long i;

	buf_printf(&hk, "%p\x1f%s", (const void *)table, key);
	i = strmap_get(&p->keys, buf_cstr(&hk), -1);
	buf_release(&hk);
	if (i < 0)
		return NULL;
	if (keynode)
		*keynode = table->y.kids[i];
	return (struct tnode *)table->y.kids[i + 1];
}

/* Adds key = value to table (the key known to be new). */
static void S_put(struct parser *p, struct tnode *table, const struct keypart *k, struct tnode *value)
{
	struct tnode *key = xcalloc(1, sizeof(*key));

	key->y.kind = YNODE_SCALAR;
	key->y.line = k->line + p->line_offset;
	key->y.col = k->col;
	key->y.len = k->name.len;
	key->y.str = xstrndup(k->name.ptr, k->name.len);
	strmap_put(&p->keys, S_hash_key(p, table, key->y.str), (long)table->y.n);
	S_append(table, key);
	S_append(table, value);
}

static int S_peek(const struct parser *p, size_t ahead)
{
	return p->pos + ahead < p->len ? (unsigned char)p->s[p->pos + ahead] : -1;
}

static void S_skip_ws(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
		p->pos++;
}

/* A newline (LF or CRLF) at pos: its length, else 0. */
static size_t S_newline(const struct parser *p)
{
	if (S_peek(p, 0) == '\n')
		return 1;
	if (S_peek(p, 0) == '\r' && S_peek(p, 1) == '\n')
		return 2;
	return 0;
}

static void S_next_line(struct parser *p, size_t nl)
{
	p->pos += nl;
	p->line++;
	p->line_start = p->pos;
}

/* A comment from '#' to the line's end: control characters other than tab are refused. */
static int S_comment(struct parser *p)
{
	p->pos++;
	while (p->pos < p->len && p->s[p->pos] != '\n') {
		unsigned char c = (unsigned char)p->s[p->pos];
		if ((c < 0x20 && c != '\t' && !(c == '\r' && S_peek(p, 1) == '\n')) || c == 0x7f)
			return S_fail(p, "control character 0x%02x in a comment", c);
		p->pos++;
	}
	return 0;
}

/* Whitespace, comments and newlines (inside an array). */
static int S_skip_all(struct parser *p)
{
	size_t nl;
	for (;;) {
		S_skip_ws(p);
		if (S_peek(p, 0) == '#') {
			if (S_comment(p))
				return -1;
		} else if ((nl = S_newline(p))) {
			S_next_line(p, nl);
		} else {
			return 0;
		}
	}
}

static void S_put_utf8(struct buf *b, uint32_t c)
{
	if (c < 0x80) {
		buf_putc(b, (int)c);
	} else if (c < 0x800) {
		buf_putc(b, (int)(0xC0 | (c >> 6)));
		buf_putc(b, (int)(0x80 | (c & 0x3F)));
	} else if (c < 0x10000) {
		buf_putc(b, (int)(0xE0 | (c >> 12)));
		buf_putc(b, (int)(0x80 | ((c >> 6) & 0x3F)));
		buf_putc(b, (int)(0x80 | (c & 0x3F)));
	} else {
		buf_putc(b, (int)(0xF0 | (c >> 18)));
		buf_putc(b, (int)(0x80 | ((c >> 12) & 0x3F)));
		buf_putc(b, (int)(0x80 | ((c >> 6) & 0x3F)));
		buf_putc(b, (int)(0x80 | (c & 0x3F)));
	}
}

/* An escape after '\' in a basic string, into out. */
static int S_escape(struct parser *p, struct buf *out)
{
	size_t at = p->pos - 1, n, i;
	uint32_t c = 0;
	int e = S_peek(p, 0);

	switch (e) {
	case 'b':
		buf_putc(out, '\b');
		p->pos++;
		return 0;
	case 't':
		buf_putc(out, '\t');
		p->pos++;
		return 0;
	case 'n':
		buf_putc(out, '\n');
		p->pos++;
		return 0;
	case 'f':
		buf_putc(out, '\f');
		p->pos++;
		return 0;
	case 'r':
		buf_putc(out, '\r');
		p->pos++;
		return 0;
	case '"':
		buf_putc(out, '"');
		p->pos++;
		return 0;
	case '\\':
		buf_putc(out, '\\');
		p->pos++;
		return 0;
	case 'u': n = 4; break;
	case 'U': n = 8; break;
	default:
		return S_fail_at(
			p, at,
			"unknown escape sequence in a string (\\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)");
	}
	p->pos++;
	for (i = 0; i < n; i++) {
		int h = S_peek(p, 0);
		int v = h >= '0' && h <= '9'   ? h - '0'
			: h >= 'a' && h <= 'f' ? h - 'a' + 10
			: h >= 'A' && h <= 'F' ? h - 'A' + 10
					       : -1;
		if (v < 0)
			return S_fail_at(p, at, "\\%c needs %zu hexadecimal digits", e, n);
		c = (c << 4) | (uint32_t)v;
		p->pos++;
	}
	if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return S_fail_at(p, at, "\\%c%0*X is not a Unicode scalar value", e, (int)n, (unsigned)c);
	if (c == 0)
		return S_fail_at(p, at, "a NUL character (\\u0000) is not allowed");
	S_put_utf8(out, c);
	return 0;
}

/*
 * A string at pos (its opening quote), into out: basic or literal, on one
 * line or multi-line ("""/'''). A multi-line string drops a newline right
 * after its opening and reads newlines as "\n".
 */
static int S_string(struct parser *p, struct buf *out, int allow_multi)
{
	char q = p->s[p->pos];
	int multi = allow_multi && S_peek(p, 1) == q && S_peek(p, 2) == q;
	size_t nl, start = p->pos, start_line_at = p->line_start;
	int start_line = p->line;

	p->pos += multi ? 3 : 1;
	if (multi && (nl = S_newline(p)))
		S_next_line(p, nl);
	for (;;) {
		int c = S_peek(p, 0);
		if (c < 0) {
			p->line = start_line;
			p->line_start = start_line_at;
			return S_fail_at(p, start, "unterminated string");
		}
		if (c == q) {
			size_t run = 1;
			if (!multi) {
				p->pos++;
				return 0;
			}
			while (S_peek(p, run) == q)
				run++;
			if (run >= 3) {
				if (run > 5)
					return S_fail(p, "too many quotes at the end of a multi-line string");
				buf_put(out, p->s + p->pos, run - 3);
				p->pos += run;
				return 0;
			}
			buf_put(out, p->s + p->pos, run);
			p->pos += run;
			continue;
		}
		if (multi && (nl = S_newline(p))) {
			buf_putc(out, '\n');
			S_next_line(p, nl);
			continue;
		}
		if (c == '\n' || c == '\r') {
			if (c == '\n' || !multi)
				return S_fail(
					p, "a newline in a one-line string (use \"\"\" for several lines)");
			return S_fail(p, "a carriage return without a line feed in a string");
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return S_fail(p, "control character 0x%02x in a string (write it as an escape)", c);
		if (c == '\\' && q == '"') {
			p->pos++;
			if (multi) {
				/* a line-ending backslash trims the whitespace and newlines after it */
				size_t save = p->pos;
				S_skip_ws(p);
				if ((nl = S_newline(p))) {
					while ((nl = S_newline(p)) || S_peek(p, 0) == ' ' ||
					       S_peek(p, 0) == '\t') {
						if (nl)
							S_next_line(p, nl);
						else
							p->pos++;
					}
					continue;
				}
				p->pos = save;
			}
			if (S_escape(p, out))
				return -1;
			continue;
		}
		buf_putc(out, c);
		p->pos++;
	}
}

static int S_bare_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '-';
}

static void S_parts_release(struct keypart *parts, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		buf_release(&parts[i].name);
	free(parts);
}

/* A key, dotted or not, into *parts (caller frees with S_parts_release). */
static int S_key(struct parser *p, struct keypart **parts, size_t *n)
{
	size_t cap = 0;

	*parts = NULL;
	*n = 0;
	for (;;) {
		struct keypart *k;
		int c;
		S_skip_ws(p);
		c = S_peek(p, 0);
		if ((int)*n >= p->max_depth)
			return S_fail(p, "a key of more than %d parts", p->max_depth);
		ARRAY_GROW(*parts, *n, cap, 4);
		k = &(*parts)[(*n)++];
		buf_init(&k->name);
		k->line = p->line;
		k->col = S_col(p, p->pos);
		if (c == '"' || c == '\'') {
			if (S_string(p, &k->name, 0))
				return -1;
		} else if (c >= 0 && S_bare_char(c)) {
			while (S_peek(p, 0) >= 0 && S_bare_char(S_peek(p, 0)))
				buf_putc(&k->name, p->s[p->pos++]);
		} else {
			return S_fail(p, c < 0 || c == '\n' || c == '\r' || c == '='
						 ? "a key is missing"
						 : "a key may only have letters, digits, '-' and '_' "
						   "unless it is quoted");
		}
		S_skip_ws(p);
		if (S_peek(p, 0) != '.')
			return 0;
		p->pos++;
	}
}

static int S_value(struct parser *p, struct tnode **out, int depth);

static int S_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* n digits at s. */
static int S_digits(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!S_is_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int S_num(const char *s, size_t n)
{
	int v = 0;
	size_t i;
	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* HH:MM:SS[.frac] at s (n bytes): its length, 0 when it is not one. */
static size_t S_time(const char *s, size_t n)
{
	size_t i = 8;
	if (n < 8 || !S_digits(s, 2) || s[2] != ':' || !S_digits(s + 3, 2) || s[5] != ':' ||
	    !S_digits(s + 6, 2))
		return 0;
	if (S_num(s, 2) > 23 || S_num(s + 3, 2) > 59 || S_num(s + 6, 2) > 60)
		return 0;
	if (i < n && s[i] == '.') {
		i++;
		if (i >= n || !S_is_digit((unsigned char)s[i]))
			return 0;
		while (i < n && S_is_digit((unsigned char)s[i]))
			i++;
	}
	return i;
}

/* A date, a time or a date and time (RFC 3339 as TOML has it) at s: 1 when the whole of it is one. */
static int S_datetime(const char *s, size_t n)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	size_t t;
	int y, m, d;

	if (n >= 8 && s[2] == ':')
		return S_time(s, n) == n;
	if (n < 10 || !S_digits(s, 4) || s[4] != '-' || !S_digits(s + 5, 2) || s[7] != '-' ||
	    !S_digits(s + 8, 2))
		return 0;
	y = S_num(s, 4), m = S_num(s + 5, 2), d = S_num(s + 8, 2);
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 0;
	if (n == 10)
		return 1;
	if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
		return 0;
	if (!(t = S_time(s + 11, n - 11)))
		return 0;
	t += 11;
	if (t == n)
		return 1;
	if ((s[t] == 'Z' || s[t] == 'z') && t + 1 == n)
		return 1;
	return (s[t] == '+' || s[t] == '-') && n - t == 6 && S_digits(s + t + 1, 2) && s[t + 3] == ':' &&
	       S_digits(s + t + 4, 2) && S_num(s + t + 1, 2) <= 23 && S_num(s + t + 4, 2) <= 59;
}

/* Digits of base (with '_' only between two digits) at s: 1 when all n bytes are. */
static int S_digit_run(const char *s, size_t n, int base)
{
	size_t i;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		int ok =
			base == 16
				? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
				: c >= '0' && c < '0' + base;
		if (c == '_') {
			if (i == 0 || i + 1 == n || s[i + 1] == '_')
				return 0;
			continue;
		}
		if (!ok)
			return 0;
	}
	return 1;
}

/* An integer token into decimal text: 0, or -1 when it is not an integer or does not fit 64 bits. */
static int S_integer(struct buf *out, const char *s, size_t n, int *overflow)
{
	int neg = 0, base = 10;
	uint64_t v = 0, limit;
	size_t i;

	*overflow = 0;
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) {
		base = s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2;
		s += 2, n -= 2;
	} else if (n && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		s++, n--;
	}
	if (!S_digit_run(s, n, base))
		return -1;
	if (base == 10 && n > 1 && s[0] == '0')
		return -1;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i], d;
		if (c == '_')
			continue;
		d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
		if (v > (limit - (uint64_t)d) / (uint64_t)base) {
			*overflow = 1;
			return -1;
		}
		v = v * (uint64_t)base + (uint64_t)d;
	}
	if (neg && v)
		buf_printf(out, "-%llu", (unsigned long long)v);
	else
		buf_printf(out, "%llu", (unsigned long long)v);
	return 0;
}

/* A float token into YAML's spelling: 0, or -1 when it is not a float. */
static int S_float(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, j;
	int sign = 0;

	if (n && (s[0] == '+' || s[0] == '-'))
		sign = s[0], i = 1;
	if (n - i == 3 && (memcmp(s + i, "inf", 3) == 0 || memcmp(s + i, "nan", 3) == 0)) {
		buf_printf(out, "%s.%.3s", sign == '-' && s[i] == 'i' ? "-" : "", s + i);
		return 0;
	}
	/* integer part */
	for (j = i; j < n && (S_is_digit((unsigned char)s[j]) || s[j] == '_'); j++)
		;
	if (!S_digit_run(s + i, j - i, 10) || (j - i > 1 && s[i] == '0'))
		return -1;
	if (j == n)
		return -1; /* an integer */
	if (s[j] == '.') {
		size_t k = j + 1;
		while (k < n && (S_is_digit((unsigned char)s[k]) || s[k] == '_'))
			k++;
		if (!S_digit_run(s + j + 1, k - j - 1, 10))
			return -1;
		j = k;
	}
	if (j < n && (s[j] == 'e' || s[j] == 'E')) {
		size_t k = j + 1;
		if (k < n && (s[k] == '+' || s[k] == '-'))
			k++;
		if (!S_digit_run(s + k, n - k, 10))
			return -1;
		j = n;
	}
	if (j != n)
		return -1;
	if (sign == '-')
		buf_putc(out, '-');
	for (j = i; j < n; j++)
		if (s[j] != '_')
			buf_putc(out, s[j]);
	return 0;
}

/* A number, boolean, datetime, inf or nan at pos. */
static int S_scalar(struct parser *p, struct tnode *t)
{
	size_t start = p->pos, n;
	struct buf text = BUF_INIT;
	int overflow = 0, rc = -1;
	const char *s = p->s + start;

	while (p->pos < p->len) {
		int c = (unsigned char)p->s[p->pos];
		if (S_bare_char(c) || c == '+' || c == '.' || c == ':') {
			p->pos++;
			continue;
		}
		/* "1979-05-27 07:32:00": a date, a space, a time */
		if (c == ' ' && p->pos - start == 10 && S_datetime(s, 10) && p->pos + 3 < p->len &&
		    S_is_digit((unsigned char)p->s[p->pos + 1]) &&
		    S_is_digit((unsigned char)p->s[p->pos + 2]) && p->s[p->pos + 3] == ':') {
			p->pos++;
			continue;
		}
		break;
	}
	n = p->pos - start;
	if (n == 0) {
		int c = S_peek(p, 0);
		S_fail(p,
		       c < 0 || c == '\n' || c == '\r' || c == '#'
			       ? "a value is missing after '='"
			       : "'%c' does not start a value (strings are quoted)",
		       c);
		goto done;
	}
	if ((n == 4 && memcmp(s, "true", 4) == 0) || (n == 5 && memcmp(s, "false", 5) == 0)) {
		buf_put(&text, s, n);
	} else if (S_datetime(s, n)) {
		size_t i;
		buf_put(&text, s, n);
		for (i = 0; i < text.len; i++)
			if (text.ptr[i] == 't' || text.ptr[i] == 'z')
				text.ptr[i] = (char)(text.ptr[i] - 'a' + 'A');
	} else if (S_integer(&text, s, n, &overflow) == 0) {
		;
	} else if (overflow) {
		S_fail_at(p, start, "integer '%.*s' does not fit in 64 bits", (int)(n > 40 ? 40 : n), s);
		goto done;
	} else if (buf_reset(&text), S_float(&text, s, n) == 0) {
		;
	} else {
		struct buf b = BUF_INIT;
		S_fail_at(
			p, start,
			"'%s' is not a value: strings are quoted, and numbers, true, false and dates are written as TOML has them",
			S_show(&b, s, n));
		buf_release(&b);
		goto done;
	}
	t->y.plain = 1;
	t->y.len = text.len;
	t->y.str = buf_detach(&text, NULL);
	rc = 0;
done:
	buf_release(&text);
	return rc;
}

/*
 * key = value into table: the dotted key's tables are made or entered (only
 * tables that dotted keys made), the last key must be new.
 */
static int S_keyval(struct parser *p, struct tnode *table)
{
	struct keypart *parts = NULL;
	struct tnode *t = table, *v = NULL;
	const struct ynode *first;
	struct buf show = BUF_INIT;
	size_t n = 0, i;
	int rc = -1;

	if (S_key(p, &parts, &n))
		goto done;
	for (i = 0; i + 1 < n; i++) {
		struct tnode *next = S_lookup(p, t, parts[i].name.ptr, &first);
		if (!next) {
			if (!(next = S_node(p, YNODE_MAP, t->depth + 1, parts[i].line, parts[i].col)))
				goto done;
			next->flags = T_DOTTED;
			S_put(p, t, &parts[i], next);
		} else if (next->y.kind != YNODE_MAP || !(next->flags & T_DOTTED) ||
			   (next->flags & T_CLOSED)) {
			diag_error(p->path, parts[i].line + p->line_offset, parts[i].col,
				   "'%s' is already defined at line %d%s",
				   S_show(&show, parts[i].name.ptr, parts[i].name.len), first->line,
				   next->y.kind == YNODE_MAP ? ": a dotted key cannot add to that table"
							     : "");
			p->failed = 1;
			goto done;
		}
		t = next;
	}
	if (S_lookup(p, t, parts[n - 1].name.ptr, &first)) {
		diag_error(p->path, parts[n - 1].line + p->line_offset, parts[n - 1].col,
			   "duplicate key '%s' (first defined at line %d)",
			   S_show(&show, parts[n - 1].name.ptr, parts[n - 1].name.len), first->line);
		p->failed = 1;
		goto done;
	}
	if (memchr(parts[n - 1].name.ptr, 0, parts[n - 1].name.len)) {
		S_fail(p, "a NUL character in a key");
		goto done;
	}
	S_skip_ws(p);
	if (S_peek(p, 0) != '=') {
		S_fail(p, "expected '=' after the key");
		goto done;
	}
	p->pos++;
	S_skip_ws(p);
	if (S_value(p, &v, t->depth + 1))
		goto done;
	S_put(p, t, &parts[n - 1], v);
	v = NULL;
	rc = 0;
done:
	if (v)
		ynode_free(&v->y);
	S_parts_release(parts, n);
	buf_release(&show);
	return rc;
}

static int S_array(struct parser *p, struct tnode *t)
{
	p->pos++;
	for (;;) {
		struct tnode *v = NULL;
		if (S_skip_all(p))
			return -1;
		if (S_peek(p, 0) == ']') {
			p->pos++;
			return 0;
		}
		if (S_value(p, &v, t->depth + 1))
			return -1;
		S_append(t, v);
		if (S_skip_all(p))
			return -1;
		if (S_peek(p, 0) == ',') {
			p->pos++;
			continue;
		}
		if (S_peek(p, 0) == ']') {
			p->pos++;
			return 0;
		}
		return S_fail(p, "expected ',' or ']' in an array");
	}
}

/* An inline table: on one line, no trailing comma, closed once read. */
static int S_inline(struct parser *p, struct tnode *t)
{
	p->pos++;
	S_skip_ws(p);
	if (S_peek(p, 0) == '}') {
		p->pos++;
		return 0;
	}
	for (;;) {
		if (S_keyval(p, t))
			return -1;
		S_skip_ws(p);
		if (S_peek(p, 0) == ',') {
			p->pos++;
			S_skip_ws(p);
			if (S_peek(p, 0) == '}')
				return S_fail(p, "a trailing comma in an inline table");
			continue;
		}
		if (S_peek(p, 0) == '}') {
			p->pos++;
			return 0;
		}
		return S_fail(p, "expected ',' or '}' in an inline table (which stays on one line)");
	}
}

/* Marks an inline table and the tables its dotted keys made as closed. */
static void S_close(struct tnode *t)
{
	size_t i;
	t->flags |= T_CLOSED;
	for (i = 0; i < t->y.n; i++) {
		struct tnode *k = (struct tnode *)t->y.kids[i];
		if (k->y.kind == YNODE_MAP)
			S_close(k);
	}
}

static int S_value(struct parser *p, struct tnode **out, int depth)
{
	struct tnode *t;
	int c = S_peek(p, 0);
	enum ynode_kind kind = c == '[' ? YNODE_SEQ : c == '{' ? YNODE_MAP : YNODE_SCALAR;
	int rc;

	*out = NULL;
	if (!(t = S_node(p, kind, depth, p->line, S_col(p, p->pos))))
		return -1;
	if (c == '"' || c == '\'') {
		struct buf s = BUF_INIT;
		rc = S_string(p, &s, 1);
		if (rc == 0 && memchr(s.ptr, 0, s.len))
			rc = S_fail(p, "a NUL character in a string");
		t->y.len = s.len;
		t->y.str = buf_detach(&s, NULL);
	} else if (c == '[') {
		rc = S_array(p, t);
		t->flags |= T_CLOSED;
	} else if (c == '{') {
		rc = S_inline(p, t);
		S_close(t);
	} else {
		rc = S_scalar(p, t);
	}
	if (rc) {
		ynode_free(&t->y);
		return -1;
	}
	*out = t;
	return 0;
}

/* [a.b.c] or [[a.b.c]]: finds or makes the table that the lines below fill. */
static int S_header(struct parser *p)
{
	int aot = S_peek(p, 1) == '[';
	size_t start = p->pos, n = 0, i;
	struct keypart *parts = NULL;
	struct tnode *t = p->root, *next;
	const struct ynode *first;
	struct buf show = BUF_INIT;
	int rc = -1;

	p->pos += aot ? 2 : 1;
	if (S_key(p, &parts, &n))
		goto done;
	if (S_peek(p, 0) != ']' || (aot && S_peek(p, 1) != ']')) {
		S_fail(p, aot ? "expected ']]' after the array of tables' name"
			      : "expected ']' after the table's name");
		goto done;
	}
	p->pos += aot ? 2 : 1;
	for (i = 0; i < n; i++) {
		int last = i + 1 == n;
		next = S_lookup(p, t, parts[i].name.ptr, &first);
		if (next && next->y.kind == YNODE_SEQ && (next->flags & T_AOT) && !(last && !aot)) {
			if (last) {
				struct tnode *m =
					S_node(p, YNODE_MAP, next->depth + 1, parts[0].line, S_col(p, start));
				if (!m)
					goto done;
				m->flags = T_HEADER;
				S_append(next, m);
				t = m;
				break;
			}
			t = (struct tnode *)next->y.kids[next->y.n - 1];
			continue;
		}
		if (next && last && !aot && next->y.kind == YNODE_MAP && next->flags == T_IMPLICIT) {
			next->flags = T_HEADER;
			t = next;
			break;
		}
		if (next && !last && next->y.kind == YNODE_MAP && !(next->flags & T_CLOSED)) {
			t = next;
			continue;
		}
		if (next) {
			p->pos = start;
			S_fail(p, "'%s' is already defined at line %d",
			       S_show(&show, parts[i].name.ptr, parts[i].name.len), first->line);
			goto done;
		}
		if (last && aot) {
			struct tnode *m;
			if (!(next = S_node(p, YNODE_SEQ, t->depth + 1, parts[i].line, parts[i].col)))
				goto done;
			next->flags = T_AOT;
			S_put(p, t, &parts[i], next);
			if (!(m = S_node(p, YNODE_MAP, next->depth + 1, parts[0].line, S_col(p, start))))
				goto done;
			m->flags = T_HEADER;
			S_append(next, m);
			t = m;
			break;
		}
		if (!(next = S_node(p, YNODE_MAP, t->depth + 1, parts[i].line, parts[i].col)))
			goto done;
		next->flags = last ? T_HEADER : T_IMPLICIT;
		S_put(p, t, &parts[i], next);
		t = next;
	}
	p->cur = t;
	rc = 0;
done:
	S_parts_release(parts, n);
	buf_release(&show);
	return rc;
}

/* The whole input is UTF-8, with no NUL: 0, or -1 at the first bad byte. */
static int S_check_utf8(struct parser *p)
{
	size_t i = 0, k;
	while (i < p->len) {
		unsigned char c = (unsigned char)p->s[i];
		if (c == '\n') {
			p->line++;
			p->line_start = i + 1;
		}
		if (c == 0) {
			p->pos = i;
			return S_fail(p, "a NUL byte");
		}
		if (!(k = S_utf8_len((const unsigned char *)p->s + i, p->len - i))) {
			p->pos = i;
			return S_fail(p, "invalid UTF-8");
		}
		i += k;
	}
	p->line = 1;
	p->line_start = 0;
	return 0;
}

static int S_document(struct parser *p)
{
	size_t nl;

	/* a BOM is allowed */
	if (p->len >= 3 && memcmp(p->s, "\xEF\xBB\xBF", 3) == 0)
		p->pos = p->line_start = 3;
	while (p->pos < p->len) {
		int c;
		S_skip_ws(p);
		c = S_peek(p, 0);
		if (c == '[') {
			if (S_header(p))
				return -1;
		} else if (c == '#' || c < 0 || S_newline(p)) {
			;
		} else if (c == '\r') {
			return S_fail(p, "a carriage return without a line feed");
		} else if (S_keyval(p, p->cur)) {
			return -1;
		}
		S_skip_ws(p);
		if (S_peek(p, 0) == '#' && S_comment(p))
			return -1;
		if ((nl = S_newline(p)))
			S_next_line(p, nl);
		else if (p->pos < p->len)
			return S_fail(p, "expected the end of the line after a value");
	}
	return 0;
}

int toml_load(struct ynode **out, const char *path, const char *src, size_t len, int line_offset,
	      const struct toml_limits *limits)
{
	struct parser p;
	int rc = -1;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.path = path;
	p.s = src;
	p.len = len;
	p.line = 1;
	p.line_offset = line_offset;
	p.max_depth = limits && limits->max_depth > 0 ? limits->max_depth : TOML_DEFAULT_DEPTH;
	p.max_nodes = limits && limits->max_nodes > 0 ? limits->max_nodes : TOML_DEFAULT_NODES;
	if (S_check_utf8(&p))
		goto done;
	if (!(p.root = S_node(&p, YNODE_MAP, 0, 1, 1)))
		goto done;
	p.root->flags = T_HEADER;
	p.cur = p.root;
	if (S_document(&p))
		goto done;
	*out = &p.root->y;
	p.root = NULL;
	rc = 0;
done:
	if (p.root)
		ynode_free(&p.root->y);
	strmap_free(&p.keys);
	arena_release(&p.arena);
	return rc;
}
