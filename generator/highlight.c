/*
 * highlight: one lexer, driven by a table per language. A language says
 * how its comments, strings and numbers look, which words are keywords and
 * which types or built-ins, and a few habits of its own (SQL's case-blind
 * keywords and $$ strings, the shell's $variables, YAML's and JSON's keys,
 * C's #lines, decorators). A diff is read a line at a time instead. The
 * lexer only ever splits the text at ASCII bytes, so UTF-8 passes through
 * whole, and every byte of the code reaches the output escaped exactly
 * once: the text read back from the HTML is the code as written.
 */
#include "highlight.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"

enum {
	HL_FOLD = 1 << 0,       /* keywords in any letter case (SQL) */
	HL_DOLLAR = 1 << 1,     /* $$ ... $$ and $tag$ ... $tag$ strings (PostgreSQL) */
	HL_VARS = 1 << 2,       /* $name, ${...}, $1, $? variables (shell) */
	HL_KEYS = 1 << 3,       /* a word or string before ':' is a key (YAML, JSON) */
	HL_PREPROC = 1 << 4,    /* a line starting with # is the preprocessor's (C) */
	HL_DECORATOR = 1 << 5,  /* @name is a decorator or annotation (Python, Java) */
	HL_TRIPLE = 1 << 6,     /* ''' and """ strings (Python) */
	HL_SQL_QUOTE = 1 << 7,  /* '' inside a string is a quote, backslash is a letter (SQL) */
	HL_HASH_WORD = 1 << 8,  /* # starts a comment only at the start of a word (shell) */
	HL_DASH_WORDS = 1 << 9, /* words go on over '-' (shell options, YAML keys) */
};

struct hl_lang {
	const char *name;            /* canonical, the class language-NAME */
	const char *const *aliases;  /* other names of it in info strings */
	const char *line_comment[2]; /* e.g. "--", "//", "#" */
	const char *block_open, *block_close;
	const char *quotes; /* string delimiters */
	unsigned flags;
	const char *const *keywords; /* lower case when HL_FOLD */
	const char *const *types;
};

/* clang-format off */
static const char *const S_sql_names[] = { "postgresql", "postgres", "psql", "pgsql", "plpgsql", "plsql", "mysql", "sqlite", NULL };
static const char *const S_sql_kw[] = {
	"add", "all", "alter", "always", "analyze", "and", "any", "as", "asc", "attach", "begin", "between", "by",
	"cascade", "case", "check", "checkpoint", "cluster", "column", "comment", "commit",
	"concurrently", "conflict", "constraint", "copy", "create", "cross", "cursor", "database",
	"declare", "default", "delete", "desc", "detach", "distinct", "do", "drop", "else", "end", "except",
	"execute", "exists", "explain", "extension", "false", "fetch", "filter", "for", "foreign",
	"from", "full", "function", "grant", "group", "having", "if", "ilike", "in", "index",
	"inner", "insert", "intersect", "into", "is", "join", "key", "language", "lateral",
	"left", "like", "limit", "lock", "materialized", "not", "nothing", "null", "nulls",
	"of", "offset", "on", "only", "or", "order", "outer", "over", "owner", "partition", "policy",
	"primary", "procedure", "publication", "range", "recursive", "references", "refresh", "reindex", "replace",
	"returning", "returns", "revoke", "right", "role", "rollback", "schema", "select",
	"sequence", "set", "show", "subscription", "table", "tablespace", "then", "to",
	"trigger", "true", "truncate", "union", "unique", "unlogged", "update", "user", "using",
	"vacuum", "values", "verbose", "view", "when", "where", "window", "with", NULL };
static const char *const S_sql_types[] = {
	"bigint", "bigserial", "bit", "boolean", "bool", "bytea", "char", "character", "date",
	"decimal", "double", "float", "inet", "int", "int2", "int4", "int8", "integer", "interval",
	"json", "jsonb", "numeric", "oid", "real", "regclass", "serial", "smallint", "text", "time",
	"timestamp", "timestamptz", "tsquery", "tsvector", "uuid", "varchar", "xml", "zone",
	"array_agg", "avg", "coalesce", "count", "max", "min", "now", "sum", NULL };

static const char *const S_sh_names[] = { "sh", "bash", "shell", "console", "zsh", "shell-session", NULL };
static const char *const S_sh_kw[] = {
	"case", "do", "done", "elif", "else", "esac", "export", "fi", "for", "function", "if",
	"in", "local", "readonly", "return", "then", "until", "while", NULL };
static const char *const S_sh_types[] = {
	"cd", "echo", "exec", "exit", "printf", "read", "set", "shift", "source", "sudo", "test",
	"trap", "unset", NULL };

static const char *const S_yaml_names[] = { "yml", NULL };
static const char *const S_yaml_kw[] = { "false", "no", "null", "off", "on", "true", "yes", "~", NULL };

static const char *const S_json_names[] = { "jsonc", "json5", NULL };
static const char *const S_json_kw[] = { "false", "null", "true", NULL };

static const char *const S_c_names[] = { "h", "cpp", "c++", "cc", NULL };
static const char *const S_c_kw[] = {
	"break", "case", "const", "continue", "default", "do", "else", "enum", "extern", "for",
	"goto", "if", "inline", "register", "restrict", "return", "sizeof", "static", "struct",
	"switch", "typedef", "union", "volatile", "while", "NULL", "true", "false", NULL };
static const char *const S_c_types[] = {
	"bool", "char", "double", "float", "int", "int16_t", "int32_t", "int64_t", "int8_t",
	"long", "short", "signed", "size_t", "ssize_t", "uint16_t", "uint32_t", "uint64_t",
	"uint8_t", "unsigned", "void", "Datum", "Oid", "PGconn", "PGresult", "text", NULL };

static const char *const S_py_names[] = { "py", "python3", NULL };
static const char *const S_py_kw[] = {
	"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
	"continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
	"if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
	"try", "while", "with", "yield", NULL };
static const char *const S_py_types[] = {
	"bool", "bytes", "dict", "float", "int", "len", "list", "open", "print", "range", "self",
	"set", "str", "tuple", NULL };

static const char *const S_go_names[] = { "golang", NULL };
static const char *const S_go_kw[] = {
	"break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
	"for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range",
	"return", "select", "struct", "switch", "type", "var", "nil", "true", "false", NULL };
static const char *const S_go_types[] = {
	"any", "bool", "byte", "error", "float32", "float64", "int", "int16", "int32", "int64",
	"int8", "rune", "string", "uint", "uint16", "uint32", "uint64", "uint8", "append",
	"cap", "close", "len", "make", "new", "panic", NULL };

static const char *const S_java_names[] = { NULL };
static const char *const S_java_kw[] = {
	"abstract", "break", "case", "catch", "class", "continue", "default", "do", "else",
	"enum", "extends", "final", "finally", "for", "if", "implements", "import", "instanceof",
	"interface", "new", "package", "private", "protected", "public", "return", "static",
	"super", "switch", "synchronized", "this", "throw", "throws", "try", "var", "void",
	"while", "null", "true", "false", NULL };
static const char *const S_java_types[] = {
	"boolean", "byte", "char", "double", "float", "int", "long", "short", "Integer", "Long",
	"Object", "String", "List", "Map", "Connection", "PreparedStatement", "ResultSet", NULL };

static const char *const S_diff_names[] = { "patch", NULL };
static const char *const S_none[] = { NULL };

static const struct hl_lang S_langs[] = {
	{ "sql", S_sql_names, { "--", NULL }, "/*", "*/", "'\"", HL_FOLD | HL_DOLLAR | HL_SQL_QUOTE, S_sql_kw, S_sql_types },
	{ "shell", S_sh_names, { "#", NULL }, NULL, NULL, "'\"", HL_VARS | HL_HASH_WORD | HL_DASH_WORDS, S_sh_kw, S_sh_types },
	{ "yaml", S_yaml_names, { "#", NULL }, NULL, NULL, "'\"", HL_KEYS | HL_HASH_WORD | HL_DASH_WORDS, S_yaml_kw, S_none },
	{ "json", S_json_names, { "//", NULL }, "/*", "*/", "\"", HL_KEYS, S_json_kw, S_none },
	{ "c", S_c_names, { "//", NULL }, "/*", "*/", "'\"", HL_PREPROC, S_c_kw, S_c_types },
	{ "python", S_py_names, { "#", NULL }, NULL, NULL, "'\"", HL_DECORATOR | HL_TRIPLE, S_py_kw, S_py_types },
	{ "go", S_go_names, { "//", NULL }, "/*", "*/", "'\"`", 0, S_go_kw, S_go_types },
	{ "java", S_java_names, { "//", NULL }, "/*", "*/", "'\"", HL_DECORATOR, S_java_kw, S_java_types },
	{ "diff", S_diff_names, { NULL, NULL }, NULL, NULL, "", 0, S_none, S_none },
};
/* clang-format on */

#define NLANGS (sizeof(S_langs) / sizeof(S_langs[0]))

static int S_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int S_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int S_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int S_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Whether the text at s + i (len bytes in all) starts with the C string p. */
static int S_at(const char *s, size_t len, size_t i, const char *p)
{
	size_t n = strlen(p);
	return i + n <= len && memcmp(s + i, p, n) == 0;
}

/* Whether the n bytes at s name lang (its name or an alias), in any case. */
static int S_names(const struct hl_lang *lang, const char *s, size_t n)
{
	const char *const *a;
	size_t i;

	for (a = NULL;; a = a ? a + 1 : lang->aliases) {
		const char *name = a ? *a : lang->name;
		if (!name)
			return 0;
		if (strlen(name) != n)
			continue;
		for (i = 0; i < n && S_lower((unsigned char)s[i]) == name[i]; i++)
			;
		if (i == n)
			return 1;
	}
}

static const struct hl_lang *S_find(const char *info)
{
	size_t n, i;

	if (!info)
		return NULL;
	n = strcspn(info, " \t{,");
	for (i = 0; i < NLANGS; i++)
		if (S_names(&S_langs[i], info, n))
			return &S_langs[i];
	return NULL;
}

const char *highlight_language(const char *info)
{
	const struct hl_lang *lang = S_find(info);
	return lang ? lang->name : NULL;
}

/* Appends s[0..n) escaped, in a span of class cls when cls is not NULL. */
static void S_emit(struct buf *out, const char *cls, const char *s, size_t n)
{
	if (!n)
		return;
	if (cls)
		buf_printf(out, "<span class=\"hl-%s\">", cls);
	escape_html(out, s, n);
	if (cls)
		buf_puts(out, "</span>");
}

/* Whether the n bytes of word are in the list (case-blind: list in lower case). */
static int S_in_list(const char *const *list, const char *word, size_t n, int fold)
{
	size_t i;
	int first = n ? (unsigned char)word[0] : 0;

	if (fold)
		first = S_lower(first);
	for (; *list; list++) {
		/* the first letter before the length: most of the list differs there */
		if ((*list)[0] != first || strlen(*list) != n)
			continue;
		for (i = 0; i < n; i++) {
			int c = (unsigned char)word[i];
			if ((fold ? S_lower(c) : c) != (*list)[i])
				break;
		}
		if (i == n)
			return 1;
	}
	return 0;
}

/* The end of the line comment at i, or i when none starts there. */
static size_t S_line_comment(const struct hl_lang *lang, const char *s, size_t len, size_t i)
{
	size_t k;

	for (k = 0; k < 2 && lang->line_comment[k]; k++) {
		const char *lc = lang->line_comment[k];
		size_t n = strlen(lc);
		if (i + n > len || memcmp(s + i, lc, n) != 0)
			continue;
		if ((lang->flags & HL_HASH_WORD) && i > 0 && !S_space((unsigned char)s[i - 1]))
			continue;
		while (i < len && s[i] != '\n')
			i++;
		return i;
	}
	return i;
}

/* The end of the string that opens at i with quote q (its closing quote included). */
static size_t S_string(const struct hl_lang *lang, const char *s, size_t len, size_t i)
{
	char q = s[i];

	if ((lang->flags & HL_TRIPLE) && i + 2 < len && s[i + 1] == q && s[i + 2] == q) {
		for (i += 3; i < len; i++) {
			if (s[i] == '\\')
				i++;
			else if (i + 2 < len && s[i] == q && s[i + 1] == q && s[i + 2] == q)
				return i + 3;
		}
		return len;
	}
	for (i++; i < len; i++) {
		if (s[i] == '\\' && !(lang->flags & HL_SQL_QUOTE) && q != '`') {
			i++;
		} else if (s[i] == q) {
			if ((lang->flags & HL_SQL_QUOTE) && i + 1 < len && s[i + 1] == q)
				i++;
			else
				return i + 1;
		} else if (s[i] == '\n' && q != '`' && !(lang->flags & (HL_SQL_QUOTE | HL_VARS))) {
			return i; /* an unclosed quote on a line ends with it */
		}
	}
	return len;
}

/* PostgreSQL's $tag$ ... $tag$ at i: its end, or i when none opens there. */
static size_t S_dollar(const char *s, size_t len, size_t i)
{
	size_t t = i + 1, tn, k;

	if (t < len && S_digit((unsigned char)s[t]))
		return i;
	while (t < len && (S_alpha((unsigned char)s[t]) || S_digit((unsigned char)s[t])))
		t++;
	if (t >= len || s[t] != '$')
		return i;
	tn = t + 1 - i; /* the whole $tag$ */
	for (k = t + 1; k + tn <= len; k++)
		if (s[k] == '$' && memcmp(s + k, s + i, tn) == 0)
			return k + tn;
	return len;
}

/*
 * A shell variable at i ($name, ${...}, $1, $?): its end, or i. *unclosed
 * is where the last "${" that found no '}' on its line stopped looking (the
 * line's end): a "${" before it finds none either and is not looked at
 * again (a line of 450,000 "${" looked at the rest of it from each: over
 * 120 s).
 */
static size_t S_var(const char *s, size_t len, size_t i, size_t *unclosed)
{
	size_t k = i + 1;

	if (k >= len)
		return i;
	if (s[k] == '{') {
		if (k < *unclosed)
			return i;
		while (k < len && s[k] != '}' && s[k] != '\n')
			k++;
		if (k < len && s[k] == '}')
			return k + 1;
		*unclosed = k;
		return i;
	}
	if (strchr("?#@*!$-0123456789", s[k]))
		return k + 1;
	while (k < len && (S_alpha((unsigned char)s[k]) || S_digit((unsigned char)s[k])))
		k++;
	return k;
}

/* The end of a number at i: digits, hex, a point, an exponent, a suffix. */
static size_t S_number(const char *s, size_t len, size_t i)
{
	while (i < len) {
		int c = (unsigned char)s[i];
		if (S_digit(c) || S_alpha(c) || c == '.')
			i++;
		else if ((c == '+' || c == '-') && (s[i - 1] == 'e' || s[i - 1] == 'E') &&
			 !(s[i - 2] == 'x' || s[i - 2] == 'X'))
			i++;
		else
			break;
	}
	return i;
}

/*
 * Whether a key's ':' follows at i (blanks before it allowed). After a bare
 * word it must be followed by a blank or the end, as YAML wants
 * (http://x is a value); after a quoted string anything may follow (JSON).
 */
static int S_key_follows(const char *s, size_t len, size_t i, int quoted)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= len || s[i] != ':')
		return 0;
	return quoted || i + 1 == len || S_space((unsigned char)s[i + 1]);
}

/* Whether i is the first non-blank byte of its line. */
static int S_line_start(const char *s, size_t i)
{
	while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
		i--;
	return i == 0 || s[i - 1] == '\n';
}

static void S_lex(struct buf *out, const struct hl_lang *lang, const char *s, size_t len)
{
	size_t i = 0, plain = 0, j, unclosed = 0;

/* Ends the plain run before i and emits s[i..j) as cls; goes on at j. */
#define TOKEN(cls)                                       \
	do {                                             \
		S_emit(out, NULL, s + plain, i - plain); \
		S_emit(out, (cls), s + i, j - i);        \
		i = plain = j;                           \
	} while (0)

	while (i < len) {
		int c = (unsigned char)s[i];
		int word_start =
			i == 0 || !(S_alpha((unsigned char)s[i - 1]) || S_digit((unsigned char)s[i - 1]));

		if ((j = S_line_comment(lang, s, len, i)) > i) {
			TOKEN("c");
		} else if (lang->block_open && S_at(s, len, i, lang->block_open)) {
			for (j = i + strlen(lang->block_open); j < len && !S_at(s, len, j, lang->block_close);
			     j++)
				;
			j = j < len ? j + strlen(lang->block_close) : len;
			TOKEN("c");
		} else if ((lang->flags & HL_PREPROC) && c == '#' && S_line_start(s, i)) {
			for (j = i; j < len && s[j] != '\n'; j++)
				if (s[j] == '\\' && j + 1 < len && s[j + 1] == '\n')
					j++;
			TOKEN("p");
		} else if (lang->quotes[0] && strchr(lang->quotes, c) && c) {
			j = S_string(lang, s, len, i);
			TOKEN((lang->flags & HL_KEYS) && S_key_follows(s, len, j, 1) ? "a" : "s");
		} else if (c == '$' && (lang->flags & HL_DOLLAR) && (j = S_dollar(s, len, i)) > i) {
			TOKEN("s");
		} else if (c == '$' && (lang->flags & (HL_VARS | HL_DOLLAR)) &&
			   (j = S_var(s, len, i, &unclosed)) > i + 1) {
			TOKEN("v");
		} else if (c == '@' && (lang->flags & HL_DECORATOR) && i + 1 < len &&
			   S_alpha((unsigned char)s[i + 1])) {
			for (j = i + 1; j < len && (S_alpha((unsigned char)s[j]) ||
						    S_digit((unsigned char)s[j]) || s[j] == '.');
			     j++)
				;
			TOKEN("p");
		} else if (S_digit(c) && word_start) {
			j = S_number(s, len, i);
			TOKEN("n");
		} else if (S_alpha(c) || ((lang->flags & HL_KEYS) && c == '~')) {
			int dash = lang->flags & HL_DASH_WORDS;
			for (j = i + 1; j < len; j++) {
				int d = (unsigned char)s[j];
				if (!(S_alpha(d) || S_digit(d) ||
				      (dash && (d == '-' || d == '.') && j + 1 < len &&
				       (S_alpha((unsigned char)s[j + 1]) ||
					S_digit((unsigned char)s[j + 1])))))
					break;
			}
			if (!word_start || (j < len && ((unsigned char)s[j] >= 0x80))) {
				/* part of a longer word (letters past ASCII): plain */
				while (j < len &&
				       ((unsigned char)s[j] >= 0x80 || S_alpha((unsigned char)s[j]) ||
					S_digit((unsigned char)s[j])))
					j++;
				i = j;
			} else if ((lang->flags & HL_KEYS) && S_key_follows(s, len, j, 0)) {
				TOKEN("a");
			} else if (S_in_list(lang->keywords, s + i, j - i, lang->flags & HL_FOLD)) {
				TOKEN("k");
			} else if (S_in_list(lang->types, s + i, j - i, lang->flags & HL_FOLD)) {
				TOKEN("t");
			} else {
				i = j;
			}
		} else if (c >= 0x80) {
			/* a letter past ASCII begins a word: the ASCII letters after it are not a keyword */
			for (j = i + 1;
			     j < len && ((unsigned char)s[j] >= 0x80 || S_alpha((unsigned char)s[j]) ||
					 S_digit((unsigned char)s[j]));
			     j++)
				;
			i = j;
		} else {
			i++;
		}
	}
	S_emit(out, NULL, s + plain, len - plain);
#undef TOKEN
}

/* A diff, a line at a time: added, deleted, hunk and file header lines. */
static void S_diff(struct buf *out, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t e = i;
		const char *cls = NULL;
		while (e < len && s[e] != '\n')
			e++;
		if (S_at(s, len, i, "+++") || S_at(s, len, i, "---") || S_at(s, len, i, "diff ") ||
		    S_at(s, len, i, "index ") || S_at(s, len, i, "@@"))
			cls = "h";
		else if (s[i] == '+')
			cls = "i";
		else if (s[i] == '-')
			cls = "d";
		S_emit(out, cls, s + i, e - i);
		if (e < len)
			buf_putc(out, '\n');
		i = e + 1;
	}
}

int highlight_code(struct buf *out, const char *lang, const char *code, size_t len)
{
	const struct hl_lang *l = S_find(lang);

	if (!l)
		return -1;
	if (!strcmp(l->name, "diff"))
		S_diff(out, code, len);
	else
		S_lex(out, l, code, len);
	return 0;
}

/*
 * A code block's HTML, as cmark-gfm would write it (the class is
 * language- and the info string's first word as written), with its tokens
 * in spans when lang is not NULL. The <pre> scrolls sideways, so it takes
 * keyboard focus (tabindex) for readers who scroll with the arrow keys.
 */
static char *S_block_html(const struct hl_lang *lang, const char *info, const char *code)
{
	size_t n = strcspn(info, " \t");
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "<pre tabindex=\"0\"><code");
	if (n) {
		buf_puts(&b, " class=\"language-");
		escape_html(&b, info, n);
		buf_putc(&b, '"');
	}
	buf_putc(&b, '>');
	if (lang)
		highlight_code(&b, lang->name, code, strlen(code));
	else
		escape_html(&b, code, strlen(code));
	buf_puts(&b, "</code></pre>\n");
	return buf_detach(&b, NULL);
}

void highlight_blocks(cmark_node *doc, cmark_mem *mem)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node **blocks = NULL;
	size_t n = 0, cap = 0, i;
	cmark_event_type ev;

	/* Collected first: the iterator must not see the tree change under it. */
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK) {
			ARRAY_GROW(blocks, n, cap, 8);
			blocks[n++] = node;
		}
	}
	cmark_iter_free(it);
	for (i = 0; i < n; i++) {
		const char *info = cmark_node_get_fence_info(blocks[i]);
		cmark_node *custom = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, mem);
		char *html;

		if (!info)
			info = "";
		html = S_block_html(S_find(info), info, cmark_node_get_literal(blocks[i]));
		cmark_node_set_on_enter(custom, html);
		free(html);
		cmark_node_insert_before(blocks[i], custom);
		cmark_node_free(blocks[i]);
	}
	free(blocks);
}
