/*
 * yaml: libyaml's event stream turned into a ynode tree, one event at a time.
 * Every check that protects us from a hostile file happens as the event
 * arrives, before the node it describes is built: an alias is refused rather
 * than expanded, a collection that would nest too deep is refused before it
 * is opened, and the node count is bounded as it grows. The first problem
 * stops the load; the caller gets -1 and nothing to free.
 *
 * Open collections live on an explicit stack (never the C stack), so the
 * builder's depth is bounded by max_depth alone. Duplicate keys are found by
 * a linear scan while a mapping is small and by sorting its keys when it
 * closes once it is large, so no mapping costs more than O(n log n).
 */
#include "yaml.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
/*
 * Our own yaml.h shadows libyaml's <yaml.h> wherever -Igenerator is on the
 * command line, so the library's header is named through the include
 * directory it lives in (/usr/include, /usr/local/include, or whatever
 * pkg-config adds).
 */
#include <yaml.h>

#include "diag.h"
#include "util.h"

#define YAML_DEFAULT_DEPTH 32
#define YAML_DEFAULT_NODES 100000
/* Up to this many keys a mapping is checked for duplicates key by key. */
#define YAML_SCAN_KEYS 16
/* Keys longer than this are shortened in messages. */
#define YAML_SHOW_MAX 60

#define YAML_TAG_PREFIX "tag:yaml.org,2002:"

struct frame {
	struct ynode *node; /* the open SEQ or MAP */
	size_t cap;         /* allocated entries in node->kids */
};

struct loader {
	const char *path;
	int line_offset;
	int max_depth;
	size_t max_nodes;
	size_t nodes;  /* nodes built so far */
	int documents; /* DOCUMENT_START events seen */
	struct ynode *root;
	struct frame *stack; /* open collections, innermost last */
	size_t depth, stack_cap;
};

/* One key of a large mapping, for sorting. */
struct keyref {
	const struct ynode *key;
	size_t index; /* position in kids, so equal keys keep file order */
};

static int S_line(const struct loader *ld, yaml_mark_t mark)
{
	return (int)mark.line + 1 + ld->line_offset;
}

static int S_col(yaml_mark_t mark)
{
	return (int)mark.column + 1;
}

/*
 * Line and column of byte offset off in src, counted the way libyaml counts
 * marks (CR LF is one break, columns are characters), for the errors libyaml
 * reports only as an offset.
 */
static void S_position(const struct loader *ld, const char *src, size_t len, size_t off, int *line, int *col)
{
	size_t i;
	int l = 1, c = 1;

	for (i = 0; i < off && i < len; i++) {
		unsigned char ch = (unsigned char)src[i];
		if (ch == '\n' || (ch == '\r' && (i + 1 == len || src[i + 1] != '\n'))) {
			l++;
			c = 1;
		} else if (ch != '\r' && (ch & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l + ld->line_offset;
	*col = c;
}

/*
 * A key as it appears in a message: control characters would break the
 * one-line-per-diagnostic output and a huge key would drown it.
 */
static void S_show(struct buf *out, const char *s, size_t len)
{
	size_t i, n = len;

	if (n > YAML_SHOW_MAX) {
		n = YAML_SHOW_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		buf_putc(out, ch < 0x20 || ch == 0x7F ? '?' : ch);
	}
	if (n < len)
		buf_puts(out, "...");
}

/* "tag:yaml.org,2002:python/object" is written "!!python/object" in files. */
static void S_report_tag(const struct loader *ld, yaml_mark_t mark, const char *tag)
{
	struct buf b = BUF_INIT;

	if (str_starts(tag, YAML_TAG_PREFIX)) {
		buf_puts(&b, "!!");
		tag += strlen(YAML_TAG_PREFIX);
	}
	S_show(&b, tag, strlen(tag));
	diag_error(ld->path, S_line(ld, mark), S_col(mark), "tag '%s' is not allowed", buf_cstr(&b));
	buf_release(&b);
}

/*
 * Checks a scalar's tag and works out whether it may be read as null, bool
 * or number: the standard tags say so explicitly, "!" and !!str say it is a
 * string whatever it looks like, and untagged text follows its style.
 */
static int S_scalar_tag(const struct loader *ld, const yaml_event_t *ev, int *plain)
{
	const char *tag = (const char *)ev->data.scalar.tag;
	const char *name;

	if (!tag) {
		*plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		return 0;
	}
	if (!strcmp(tag, "!")) {
		*plain = 0;
		return 0;
	}
	if (str_starts(tag, YAML_TAG_PREFIX)) {
		name = tag + strlen(YAML_TAG_PREFIX);
		if (!strcmp(name, "str")) {
			*plain = 0;
			return 0;
		}
		if (!strcmp(name, "int") || !strcmp(name, "bool") || !strcmp(name, "null") ||
		    !strcmp(name, "float")) {
			*plain = 1;
			return 0;
		}
	}
	S_report_tag(ld, ev->start_mark, tag);
	return -1;
}

static void S_push_kid(struct frame *f, struct ynode *kid)
{
	struct ynode *parent = f->node;

	ARRAY_GROW(parent->kids, parent->n, f->cap, 4);
	parent->kids[parent->n++] = kid;
}

static int S_key_eq(const struct ynode *a, const char *s, size_t len)
{
	return a->len == len && memcmp(a->str, s, len) == 0;
}

static void S_report_duplicate(const struct loader *ld, const struct ynode *key, const struct ynode *first)
{
	struct buf b = BUF_INIT;

	S_show(&b, key->str, key->len);
	diag_error(ld->path, key->line, key->col, "duplicate key '%s' (first defined at line %d)",
		   buf_cstr(&b), first->line);
	buf_release(&b);
}

/*
 * The checks on a node that is about to become a mapping key. Large
 * mappings skip the duplicate scan here; S_check_keys sorts them at the end.
 */
static int S_check_key(const struct loader *ld, const struct frame *f, const yaml_event_t *ev,
		       const struct ynode *key)
{
	const struct ynode *map = f->node;
	size_t i;

	if (ev->type != YAML_SCALAR_EVENT) {
		diag_error(ld->path, key->line, key->col, "a key must be a string, not %s",
			   ynode_kind_name(key));
		return -1;
	}
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev->data.scalar.tag &&
	    S_key_eq(key, "<<", 2)) {
		diag_error(ld->path, key->line, key->col, "merge keys ('<<') are not allowed");
		return -1;
	}
	if (map->n / 2 >= YAML_SCAN_KEYS)
		return 0;
	for (i = 0; i < map->n; i += 2) {
		if (S_key_eq(map->kids[i], key->str, key->len)) {
			S_report_duplicate(ld, key, map->kids[i]);
			return -1;
		}
	}
	return 0;
}

static int S_keyref_cmp(const void *pa, const void *pb)
{
	const struct keyref *a = pa, *b = pb;
	size_t n = a->key->len < b->key->len ? a->key->len : b->key->len;
	int c = memcmp(a->key->str, b->key->str, n);

	if (c)
		return c;
	if (a->key->len != b->key->len)
		return a->key->len < b->key->len ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/*
 * Duplicate keys of a large mapping, found by sorting. Reports the repeat
 * that comes first in the file, as the key-by-key scan would have.
 */
static int S_check_keys(const struct loader *ld, const struct ynode *map)
{
	size_t nkeys = map->n / 2, i;
	struct keyref *refs;
	const struct keyref *dup = NULL, *first = NULL, *run = NULL;

	if (nkeys <= YAML_SCAN_KEYS)
		return 0;
	refs = xmalloc(nkeys * sizeof(*refs));
	for (i = 0; i < nkeys; i++) {
		refs[i].key = map->kids[2 * i];
		refs[i].index = 2 * i;
	}
	qsort(refs, nkeys, sizeof(*refs), S_keyref_cmp);
	for (i = 0; i < nkeys; i++) {
		if (!run || !S_key_eq(run->key, refs[i].key->str, refs[i].key->len)) {
			run = &refs[i];
			continue;
		}
		if (!dup || refs[i].index < dup->index) {
			dup = &refs[i];
			first = run;
		}
	}
	if (dup)
		S_report_duplicate(ld, dup->key, first->key);
	free(refs);
	return dup ? -1 : 0;
}

/*
 * Builds the node an event describes and hangs it in the tree: under the
 * innermost open collection, or as the root. Everything that could refuse
 * the node is checked first, so a refused node is never attached.
 */
static int S_add_node(struct loader *ld, const yaml_event_t *ev)
{
	struct ynode *node;
	struct frame *parent = ld->depth ? &ld->stack[ld->depth - 1] : NULL;
	const char *anchor = NULL, *tag = NULL;
	int plain = 0;

	if (ev->type == YAML_SCALAR_EVENT) {
		anchor = (const char *)ev->data.scalar.anchor;
	} else if (ev->type == YAML_SEQUENCE_START_EVENT) {
		anchor = (const char *)ev->data.sequence_start.anchor;
		tag = (const char *)ev->data.sequence_start.tag;
	} else {
		anchor = (const char *)ev->data.mapping_start.anchor;
		tag = (const char *)ev->data.mapping_start.tag;
	}
	if (anchor) {
		diag_error(ld->path, S_line(ld, ev->start_mark), S_col(ev->start_mark),
			   "anchors and aliases are not allowed");
		return -1;
	}
	if (ev->type == YAML_SCALAR_EVENT) {
		if (S_scalar_tag(ld, ev, &plain) < 0)
			return -1;
	} else if (tag && strcmp(tag, "!")) {
		S_report_tag(ld, ev->start_mark, tag);
		return -1;
	}
	if (ld->nodes >= ld->max_nodes) {
		diag_error(ld->path, S_line(ld, ev->start_mark), S_col(ev->start_mark), "more than %zu nodes",
			   ld->max_nodes);
		return -1;
	}
	if (ev->type != YAML_SCALAR_EVENT && ld->depth >= (size_t)ld->max_depth) {
		diag_error(ld->path, S_line(ld, ev->start_mark), S_col(ev->start_mark),
			   "nesting is deeper than %d levels", ld->max_depth);
		return -1;
	}
	if (ev->type == YAML_SCALAR_EVENT && memchr(ev->data.scalar.value, '\0', ev->data.scalar.length)) {
		diag_error(ld->path, S_line(ld, ev->start_mark), S_col(ev->start_mark),
			   "NUL characters are not allowed");
		return -1;
	}

	node = xcalloc(1, sizeof(*node));
	node->line = S_line(ld, ev->start_mark);
	node->col = S_col(ev->start_mark);
	if (ev->type == YAML_SCALAR_EVENT) {
		node->kind = YNODE_SCALAR;
		node->plain = plain;
		node->len = ev->data.scalar.length;
		node->str = xmalloc(node->len + 1);
		memcpy(node->str, ev->data.scalar.value, node->len);
		node->str[node->len] = '\0';
	} else {
		node->kind = ev->type == YAML_SEQUENCE_START_EVENT ? YNODE_SEQ : YNODE_MAP;
	}

	if (parent && parent->node->kind == YNODE_MAP && parent->node->n % 2 == 0 &&
	    S_check_key(ld, parent, ev, node) < 0) {
		ynode_free(node);
		return -1;
	}
	ld->nodes++;
	if (parent)
		S_push_kid(parent, node);
	else
		ld->root = node;

	if (node->kind != YNODE_SCALAR) {
		ARRAY_GROW(ld->stack, ld->depth, ld->stack_cap, 8);
		ld->stack[ld->depth].node = node;
		ld->stack[ld->depth].cap = 0;
		ld->depth++;
	}
	return 0;
}

/* A byte of a key a hint may quote: plain letters, digits, '_', '-', '.' or past ASCII. */
static int S_key_byte(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-' || ch == '.' || ch >= 0x80;
}

/* Longest value a hint writes out again; past it the hint only says what to do. */
#define YAML_HINT_MAX 120

/*
 * "mapping values are not allowed in this context" on "title: A: B": the
 * second ': ' (at mark) is inside a plain value, which YAML reads as a
 * mapping. Appends the fix to msg, with the line as it should be written
 * when it is a simple "key: value" ('title: "A: B"'); nothing when the ':'
 * at mark is not inside a value (a wrong indentation gives the same message).
 */
static void S_colon_hint(struct buf *msg, const char *src, size_t len, yaml_mark_t mark)
{
	size_t i = 0, line = 0, col, start, end, k, ke, v, at;
	const char *q;

	/* the line, counted as libyaml counts (CR LF is one break) */
	while (line < mark.line && i < len) {
		if (src[i] == '\n' || (src[i] == '\r' && (i + 1 == len || src[i + 1] != '\n')))
			line++;
		i++;
	}
	if (line != mark.line)
		return;
	start = i;
	if (start == 0 && len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
		start = 3; /* libyaml counts no column for a byte order mark */
	for (end = start; end < len && src[end] != '\n' && src[end] != '\r'; end++)
		;
	/* the ':' at mark: columns are characters */
	for (at = start, col = 0; at < end && col < mark.column; at++)
		col += ((unsigned char)src[at] & 0xC0) != 0x80;
	while (at < end && ((unsigned char)src[at] & 0xC0) == 0x80)
		at++;
	if (at >= end || src[at] != ':')
		return;
	/* "  key: value": the value starts after the first ': ' */
	for (k = start; k < end && src[k] == ' '; k++)
		;
	for (ke = k; ke < end && S_key_byte((unsigned char)src[ke]); ke++)
		;
	if (ke == k || ke + 1 >= end || src[ke] != ':' || src[ke + 1] != ' ')
		return;
	for (v = ke + 2; v < end && src[v] == ' '; v++)
		;
	if (at <= v)
		return;
	while (end > v && (src[end - 1] == ' ' || src[end - 1] == '\t'))
		end--;
	buf_puts(msg, "; a value with ': ' in it must be quoted");
	/* written out again only when plain: no indicator first, no comment, no control */
	if (end - v > YAML_HINT_MAX || strchr("\"'[{|>&*!%@`", src[v]))
		return;
	for (i = v; i < end; i++)
		if ((unsigned char)src[i] < 0x20 || src[i] == 0x7F || (src[i] == '#' && src[i - 1] == ' '))
			return;
	q = !memchr(src + v, '"', end - v) && !memchr(src + v, '\\', end - v) ? "\""
	    : !memchr(src + v, '\'', end - v)                                 ? "'"
									      : NULL;
	if (q)
		buf_printf(msg, ": %.*s: %s%.*s%s", (int)(ke - k), src + k, q, (int)(end - v), src + v, q);
}

/* libyaml's own errors, in our words and positions. */
static void S_report_parser(const struct loader *ld, const yaml_parser_t *p, const char *src, size_t len)
{
	struct buf msg = BUF_INIT;
	const char *problem = p->problem && *p->problem ? p->problem : "cannot parse YAML";
	int line, col;

	buf_puts(&msg, problem);
	if (msg.ptr[0] >= 'A' && msg.ptr[0] <= 'Z')
		msg.ptr[0] = (char)(msg.ptr[0] - 'A' + 'a');

	switch (p->error) {
	case YAML_READER_ERROR:
		/* Undecodable bytes: libyaml knows only the byte offset. */
		S_position(ld, src, len, p->problem_offset, &line, &col);
		diag_error(ld->path, line, col, "%s", buf_cstr(&msg));
		break;
	case YAML_SCANNER_ERROR:
	case YAML_PARSER_ERROR:
		/* "did not find expected ']'" is found lines later; say where
		 * the unfinished thing began ("while parsing a flow sequence"). */
		if (p->context && *p->context &&
		    (p->context_mark.line != p->problem_mark.line ||
		     p->context_mark.column != p->problem_mark.column))
			buf_printf(&msg, " (%s that starts at line %d, column %d)",
				   str_starts(p->context, "while parsing ")    ? p->context + 14
				   : str_starts(p->context, "while scanning ") ? p->context + 15
									       : p->context,
				   S_line(ld, p->context_mark), S_col(p->context_mark));
		if (p->problem && strcmp(p->problem, "mapping values are not allowed in this context") == 0)
			S_colon_hint(&msg, src, len, p->problem_mark);
		diag_error(ld->path, S_line(ld, p->problem_mark), S_col(p->problem_mark), "%s",
			   buf_cstr(&msg));
		break;
	default: diag_error(ld->path, 0, 0, "%s", buf_cstr(&msg)); break;
	}
	buf_release(&msg);
}

/* Handles one event; 1 at the end of the stream, -1 on a refusal. */
static int S_event(struct loader *ld, const yaml_event_t *ev)
{
	struct ynode *closed;

	switch (ev->type) {
	case YAML_STREAM_END_EVENT: return 1;
	case YAML_DOCUMENT_START_EVENT:
		if (ld->documents++) {
			diag_error(ld->path, S_line(ld, ev->start_mark), S_col(ev->start_mark),
				   "only one document is allowed");
			return -1;
		}
		return 0;
	case YAML_ALIAS_EVENT:
		diag_error(ld->path, S_line(ld, ev->start_mark), S_col(ev->start_mark),
			   "anchors and aliases are not allowed");
		return -1;
	case YAML_SCALAR_EVENT:
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: return S_add_node(ld, ev);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		closed = ld->stack[--ld->depth].node;
		if (closed->kind == YNODE_MAP && S_check_keys(ld, closed) < 0)
			return -1;
		return 0;
	default: return 0;
	}
}

int yaml_load(struct ynode **out, const char *path, const char *src, size_t len, int line_offset,
	      const struct yaml_limits *limits)
{
	struct loader ld;
	yaml_parser_t parser;
	yaml_event_t ev;
	const char *nul;
	int line, col, r = 0, err = -1;

	*out = NULL;
	memset(&ld, 0, sizeof(ld));
	ld.path = path;
	ld.line_offset = line_offset;
	ld.max_depth = limits && limits->max_depth > 0 ? limits->max_depth : YAML_DEFAULT_DEPTH;
	ld.max_nodes = limits && limits->max_nodes ? limits->max_nodes : YAML_DEFAULT_NODES;

	/*
	 * The encoding is fixed to UTF-8 so a UTF-16 byte order mark is an
	 * error rather than a switch; a UTF-8 one is dropped here because
	 * libyaml would otherwise count it as a column.
	 */
	if (len >= 3 && !memcmp(src, "\xEF\xBB\xBF", 3)) {
		src += 3;
		len -= 3;
	}
	/* libyaml says only "control characters are not allowed". */
	nul = memchr(src, '\0', len);
	if (nul) {
		S_position(&ld, src, len, (size_t)(nul - src), &line, &col);
		diag_error(path, line, col, "NUL characters are not allowed");
		return -1;
	}

	if (!yaml_parser_initialize(&parser)) {
		diag_error(path, 0, 0, "cannot start the YAML parser");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)src, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

	while (r == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			S_report_parser(&ld, &parser, src, len);
			goto done;
		}
		r = S_event(&ld, &ev);
		yaml_event_delete(&ev);
	}
	if (r < 0)
		goto done;

	/* "---" alone, or nothing but comments after it, is no content. */
	if (ld.root && ld.root->kind == YNODE_SCALAR && ld.root->plain && ld.root->len == 0) {
		ynode_free(ld.root);
		ld.root = NULL;
	}
	*out = ld.root;
	ld.root = NULL;
	err = 0;
done:
	ynode_free(ld.root);
	free(ld.stack);
	yaml_parser_delete(&parser);
	return err;
}

void ynode_free(struct ynode *n)
{
	size_t i;

	if (!n)
		return;
	/* Recursion is bounded: yaml_load never builds deeper than max_depth. */
	for (i = 0; i < n->n; i++)
		ynode_free(n->kids[i]);
	free(n->kids);
	free(n->str);
	free(n);
}

struct ynode *ynode_copy(const struct ynode *n)
{
	struct ynode *c;
	size_t i;

	if (!n)
		return NULL;
	c = xmalloc(sizeof(*c));
	*c = *n;
	if (n->str) {
		c->str = xmalloc(n->len + 1);
		memcpy(c->str, n->str, n->len + 1);
	}
	c->kids = n->n ? xmalloc(n->n * sizeof(*c->kids)) : NULL;
	/* Recursion is bounded as in ynode_free. */
	for (i = 0; i < n->n; i++)
		c->kids[i] = ynode_copy(n->kids[i]);
	return c;
}

static const struct ynode **S_find(const struct ynode *map, const char *key)
{
	size_t i, len;

	if (!map || map->kind != YNODE_MAP || !key)
		return NULL;
	len = strlen(key);
	for (i = 0; i + 1 < map->n; i += 2)
		if (S_key_eq(map->kids[i], key, len))
			return (const struct ynode **)&map->kids[i];
	return NULL;
}

const struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	const struct ynode **kv = S_find(map, key);
	return kv ? kv[1] : NULL;
}

const struct ynode *ynode_key(const struct ynode *map, const char *key)
{
	const struct ynode **kv = S_find(map, key);
	return kv ? kv[0] : NULL;
}

int ynode_is_null(const struct ynode *n)
{
	/* An absent value reads as null, so callers need not test twice. */
	if (!n)
		return 1;
	if (n->kind != YNODE_SCALAR || !n->plain)
		return 0;
	return n->len == 0 || !strcmp(n->str, "~") || !strcmp(n->str, "null") || !strcmp(n->str, "Null") ||
	       !strcmp(n->str, "NULL");
}

int ynode_bool(const struct ynode *n, int *out)
{
	if (!n || n->kind != YNODE_SCALAR || !n->plain)
		return 0;
	if (!strcmp(n->str, "true") || !strcmp(n->str, "True") || !strcmp(n->str, "TRUE")) {
		*out = 1;
		return 1;
	}
	if (!strcmp(n->str, "false") || !strcmp(n->str, "False") || !strcmp(n->str, "FALSE")) {
		*out = 0;
		return 1;
	}
	return 0;
}

int ynode_int(const struct ynode *n, long long *out)
{
	const char *p;
	unsigned long long v = 0, limit;
	int neg = 0;

	if (!n || n->kind != YNODE_SCALAR || !n->plain)
		return 0;
	p = n->str;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!*p)
		return 0;
	/* Accumulate as unsigned so LLONG_MIN fits and overflow is seen. */
	limit = neg ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;
	for (; *p; p++) {
		unsigned d;
		if (*p < '0' || *p > '9')
			return 0;
		d = (unsigned)(*p - '0');
		if (v > (limit - d) / 10)
			return 0;
		v = v * 10 + d;
	}
	if (neg)
		*out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v;
	else
		*out = (long long)v;
	return 1;
}

const char *ynode_kind_name(const struct ynode *n)
{
	if (!n)
		return "nothing";
	switch (n->kind) {
	case YNODE_SCALAR: return "a string";
	case YNODE_SEQ: return "a list";
	case YNODE_MAP: return "a mapping";
	}
	return "nothing";
}
