/*
 * test_yaml: the tree and its positions, each refusal with its exact
 * diagnostic, the hostile inputs (alias bomb, deep nesting, huge mappings)
 * and the scalar readers.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "util.h"
#include "yaml.h"

static struct ynode S_sentinel;

/*
 * Loads src and returns the diagnostics it produced as text (caller frees);
 * *rc gets yaml_load's result. A failed load must leave *out NULL.
 */
static char *S_diags(const char *src, size_t len, int line_offset, const struct yaml_limits *limits, int *rc)
{
	struct ynode *t = &S_sentinel;
	char *text = NULL;
	size_t n = 0;
	FILE *f;

	diag_reset();
	*rc = yaml_load(&t, "p.md", src, len, line_offset, limits);
	if (*rc < 0)
		CHECK(t == NULL);
	if (t != &S_sentinel)
		ynode_free(t);
	f = open_memstream(&text, &n);
	if (diag_errors() + diag_warnings() > 0)
		diag_flush(f, DIAG_TEXT);
	fclose(f);
	diag_reset();
	return text;
}

/* True when loading src fails with exactly the diagnostics want. */
static int S_refuses_n(const char *src, size_t len, int line_offset, const struct yaml_limits *limits,
		       const char *want)
{
	int rc, ok;
	char *got = S_diags(src, len, line_offset, limits, &rc);

	ok = rc == -1 && strcmp(got, want) == 0;
	if (!ok)
		fprintf(stderr, "  rc:   %d\n  got:  %s  want: %s", rc, got, want);
	free(got);
	return ok;
}

static int S_refuses(const char *src, const char *want)
{
	return S_refuses_n(src, strlen(src), 0, NULL, want);
}

static struct ynode *S_load(const char *src)
{
	struct ynode *t = &S_sentinel;
	diag_reset();
	if (yaml_load(&t, "p.md", src, strlen(src), 0, NULL) < 0 || diag_errors()) {
		fprintf(stderr, "  unexpected failure loading: %s\n", src);
		diag_flush(stderr, DIAG_TEXT);
		ynode_free(t == &S_sentinel ? NULL : t);
		return NULL;
	}
	return t;
}

static int S_at(const struct ynode *n, int line, int col)
{
	if (!n)
		return 0;
	if (n->line != line || n->col != col)
		fprintf(stderr, "  at %d:%d, want %d:%d\n", n->line, n->col, line, col);
	return n->line == line && n->col == col;
}

static int S_same_tree(const struct ynode *a, const struct ynode *b)
{
	size_t i;

	if (!a || !b)
		return a == b;
	if (a->kind != b->kind || a->line != b->line || a->col != b->col || a->plain != b->plain ||
	    a->n != b->n)
		return 0;
	if (a->kind == YNODE_SCALAR && (a->len != b->len || memcmp(a->str, b->str, a->len)))
		return 0;
	for (i = 0; i < a->n; i++)
		if (!S_same_tree(a->kids[i], b->kids[i]))
			return 0;
	return 1;
}

static const char S_doc[] =
	"title: Hello\n"           /* 1 */
	"tags:\n"                  /* 2 */
	"  - a\n"                  /* 3 */
	"  - \"b c\"\n"            /* 4 */
	"meta:\n"                  /* 5 */
	"  author:\n"              /* 6 */
	"    name: Ann\n"          /* 7 */
	"  list: [1, 2, {x: y}]\n" /* 8 */
	"body: |\n"                /* 9 */
	"  line one\n"             /* 10 */
	"  line two\n"             /* 11 */
	"esc: \"a\\tb\\u00e9\"\n"  /* 12 */
	"empty:\n";                /* 13 */

static void test_tree(void)
{
	struct ynode *t = S_load(S_doc);
	const struct ynode *tags, *meta, *list, *inner, *v;

	CHECK(t != NULL);
	if (!t)
		return;
	CHECK_INT(t->kind, YNODE_MAP);
	CHECK(S_at(t, 1, 1));
	CHECK_INT(t->n, 12);

	v = ynode_get(t, "title");
	CHECK(v && v->kind == YNODE_SCALAR && v->plain);
	CHECK_STR(v ? v->str : NULL, "Hello");
	CHECK_INT(v ? v->len : 0, 5);
	CHECK(S_at(v, 1, 8));
	CHECK(S_at(ynode_key(t, "title"), 1, 1));
	CHECK(S_at(ynode_key(t, "meta"), 5, 1));

	tags = ynode_get(t, "tags");
	CHECK(tags && tags->kind == YNODE_SEQ && tags->n == 2);
	CHECK(S_at(tags, 3, 3));
	if (tags && tags->n == 2) {
		CHECK(S_at(tags->kids[0], 3, 5));
		CHECK_STR(tags->kids[1]->str, "b c");
		CHECK_INT(tags->kids[1]->plain, 0);
		CHECK(S_at(tags->kids[1], 4, 5));
	}

	meta = ynode_get(t, "meta");
	CHECK(S_at(meta, 6, 3));
	v = ynode_get(ynode_get(meta, "author"), "name");
	CHECK_STR(v ? v->str : NULL, "Ann");
	CHECK(S_at(v, 7, 11));

	list = ynode_get(meta, "list");
	CHECK(list && list->kind == YNODE_SEQ && list->n == 3);
	CHECK(S_at(list, 8, 9));
	inner = list && list->n == 3 ? list->kids[2] : NULL;
	CHECK(inner && inner->kind == YNODE_MAP);
	CHECK(S_at(inner, 8, 16));
	CHECK(S_at(ynode_key(inner, "x"), 8, 17));
	CHECK(S_at(ynode_get(inner, "x"), 8, 20));

	v = ynode_get(t, "body");
	CHECK_STR(v ? v->str : NULL, "line one\nline two\n");
	CHECK(v && !v->plain);
	CHECK(S_at(v, 9, 7));
	v = ynode_get(t, "esc");
	CHECK_STR(v ? v->str : NULL, "a\tb\xc3\xa9");
	CHECK(S_at(v, 12, 6));

	v = ynode_get(t, "empty");
	CHECK(v && v->kind == YNODE_SCALAR && v->len == 0 && v->plain);
	CHECK(ynode_is_null(v));

	CHECK(ynode_get(t, "missing") == NULL);
	CHECK(ynode_key(t, "missing") == NULL);
	CHECK(ynode_get(tags, "a") == NULL);
	CHECK(ynode_get(NULL, "a") == NULL);
	ynode_free(t);
	ynode_free(NULL);
}

static void test_line_offset(void)
{
	struct ynode *t = NULL;

	diag_reset();
	CHECK_INT(yaml_load(&t, "p.md", S_doc, strlen(S_doc), 4, NULL), 0);
	CHECK(S_at(t, 5, 1));
	CHECK(S_at(ynode_get(ynode_get(ynode_get(t, "meta"), "author"), "name"), 11, 11));
	ynode_free(t);

	CHECK(S_refuses_n("a: 1\nb: c: d\n", 13, 4, NULL,
			  "p.md:6:5: error: mapping values are not allowed in this context; "
			  "a value with ': ' in it must be quoted: b: \"c: d\"\n"));
	CHECK(S_refuses_n("a: 1\nb: \xff\n", 10, 4, NULL, "p.md:6:4: error: invalid leading UTF-8 octet\n"));
	CHECK(S_refuses_n("a: 1\nb: x\0", 10, 2, NULL, "p.md:4:5: error: NUL characters are not allowed\n"));
	CHECK(S_refuses_n("a: 1\na: 2\n", 10, 2, NULL,
			  "p.md:4:1: error: duplicate key 'a' (first defined at line 3)\n"));
}

static void test_empty(void)
{
	static const char *const docs[] = {
		"", "\n\n  \n", "# only\n# comments\n", "---\n", "--- # c\n",
	};
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct ynode *t = &S_sentinel;
		diag_reset();
		CHECK_INT(yaml_load(&t, "p.md", docs[i], strlen(docs[i]), 0, NULL), 0);
		CHECK(t == NULL);
		CHECK_INT(diag_errors(), 0);
	}

	/* An explicit null or empty string is content, not an empty file. */
	{
		struct ynode *t = S_load("~\n");
		CHECK(t && t->kind == YNODE_SCALAR && ynode_is_null(t));
		ynode_free(t);
		t = S_load("''\n");
		CHECK(t && t->kind == YNODE_SCALAR && t->len == 0 && !ynode_is_null(t));
		ynode_free(t);
	}
}

static void test_aliases(void)
{
	CHECK(S_refuses("a: &x 1\nb: *x\n", "p.md:1:4: error: anchors and aliases are not allowed\n"));
	CHECK(S_refuses("a: 1\nb: *x\n", "p.md:2:4: error: anchors and aliases are not allowed\n"));
	CHECK(S_refuses("- &list [1, 2]\n", "p.md:1:3: error: anchors and aliases are not allowed\n"));
	CHECK(S_refuses("base: &b\n  k: v\n", "p.md:1:7: error: anchors and aliases are not allowed\n"));
}

static void test_alias_bomb(void)
{
	static const char bomb[] =
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
		"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";

	CHECK(S_refuses(bomb, "p.md:1:4: error: anchors and aliases are not allowed\n"));
}

static void test_tags(void)
{
	struct ynode *t;
	const struct ynode *v;
	long long i = 0;
	int b = 0;

	CHECK(S_refuses("a: !!python/object:os.system x\n",
			"p.md:1:4: error: tag '!!python/object:os.system' is not allowed\n"));
	CHECK(S_refuses("a: !!python/object/apply:os.system [ls]\n",
			"p.md:1:4: error: tag '!!python/object/apply:os.system' is not allowed\n"));
	CHECK(S_refuses("a: !custom x\n", "p.md:1:4: error: tag '!custom' is not allowed\n"));
	CHECK(S_refuses("a: !<tag:example.com,2000:x> y\n",
			"p.md:1:4: error: tag 'tag:example.com,2000:x' is not allowed\n"));
	CHECK(S_refuses("s: !!set {a, b}\n", "p.md:1:4: error: tag '!!set' is not allowed\n"));
	CHECK(S_refuses("!!map\na: 1\n", "p.md:1:1: error: tag '!!map' is not allowed\n"));
	CHECK(S_refuses("a: !!binary aGk=\n", "p.md:1:4: error: tag '!!binary' is not allowed\n"));
	/* %TAG cannot smuggle a tag in under a standard-looking handle. */
	CHECK(S_refuses("%TAG !! tag:evil.com,2000:\n---\na: !!str x\n",
			"p.md:3:4: error: tag 'tag:evil.com,2000:str' is not allowed\n"));

	t = S_load("s: !!str true\n"
		   "i: !!int \"12\"\n"
		   "b: !!bool true\n"
		   "n: !!null ''\n"
		   "f: !!float 1.5\n"
		   "x: ! 12\n"
		   "l: ! [1]\n");
	CHECK(t != NULL);
	v = ynode_get(t, "s");
	CHECK(v && !v->plain && !ynode_bool(v, &b));
	CHECK_STR(v ? v->str : NULL, "true");
	CHECK(ynode_int(ynode_get(t, "i"), &i) && i == 12);
	CHECK(ynode_bool(ynode_get(t, "b"), &b) && b == 1);
	CHECK(ynode_is_null(ynode_get(t, "n")));
	CHECK(ynode_get(t, "f") && ynode_get(t, "f")->plain);
	CHECK(!ynode_int(ynode_get(t, "x"), &i));
	CHECK_STR(ynode_kind_name(ynode_get(t, "l")), "a list");
	ynode_free(t);
}

static void test_merge_keys(void)
{
	struct ynode *t;

	CHECK(S_refuses("base: 1\n<<: {a: 1}\n", "p.md:2:1: error: merge keys ('<<') are not allowed\n"));
	CHECK(S_refuses("m: {<<: {a: 1}}\n", "p.md:1:5: error: merge keys ('<<') are not allowed\n"));
	/* Quoted, it is an ordinary key; as a value it is ordinary text. */
	t = S_load("\"<<\": 1\nk: <<\n");
	CHECK(t && t->n == 4);
	CHECK_STR(ynode_get(t, "k") ? ynode_get(t, "k")->str : NULL, "<<");
	CHECK(ynode_get(t, "<<") != NULL);
	ynode_free(t);
}

static char *S_repeat(const char *open, size_t n, const char *middle, const char *close)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		buf_puts(&b, open);
	buf_puts(&b, middle);
	for (i = 0; i < n; i++)
		buf_puts(&b, close);
	buf_putc(&b, '\n');
	return buf_detach(&b, NULL);
}

static void test_depth(void)
{
	struct yaml_limits lim = { 3, 0 };
	struct ynode *t = NULL;
	char *src;

	CHECK(S_refuses_n("a:\n  b:\n    c:\n      d: 1\n", 26, 0, &lim,
			  "p.md:4:7: error: nesting is deeper than 3 levels\n"));
	diag_reset();
	CHECK_INT(yaml_load(&t, "p.md", "a:\n  b:\n    c: 1\n", 17, 0, &lim), 0);
	CHECK(t && t->kind == YNODE_MAP);
	ynode_free(t);
	CHECK(S_refuses_n("a:\n  b:\n    c: [1]\n", 19, 0, &lim,
			  "p.md:3:8: error: nesting is deeper than 3 levels\n"));
	CHECK(S_refuses_n("a:\n  b:\n    - [x]\n", 18, 0, &lim,
			  "p.md:3:7: error: nesting is deeper than 3 levels\n"));

	/* The default bound: 32 levels load, 33 do not. */
	src = S_repeat("[", 32, "x", "]");
	t = NULL;
	CHECK_INT(yaml_load(&t, "p.md", src, strlen(src), 0, NULL), 0);
	CHECK(t && t->kind == YNODE_SEQ);
	ynode_free(t);
	free(src);
	src = S_repeat("[", 33, "x", "]");
	CHECK(S_refuses(src, "p.md:1:33: error: nesting is deeper than 32 levels\n"));
	free(src);

	/* Ten thousand levels, closed or not: refused at level 33, at once. */
	src = S_repeat("[", 10000, "", "");
	CHECK(S_refuses(src, "p.md:1:33: error: nesting is deeper than 32 levels\n"));
	free(src);
	src = S_repeat("[", 10000, "x", "]");
	CHECK(S_refuses(src, "p.md:1:33: error: nesting is deeper than 32 levels\n"));
	free(src);
	src = S_repeat("{a: ", 10000, "x", "}");
	CHECK(S_refuses(src, "p.md:1:129: error: nesting is deeper than 32 levels\n"));
	free(src);
	src = S_repeat("- ", 10000, "x", "");
	CHECK(S_refuses(src, "p.md:1:65: error: nesting is deeper than 32 levels\n"));
	free(src);

	/* With the bound lifted the builder itself must not recurse. */
	{
		struct yaml_limits deep = { 20000, 0 };
		src = S_repeat("[", 10000, "x", "]");
		t = NULL;
		diag_reset();
		CHECK_INT(yaml_load(&t, "p.md", src, strlen(src), 0, &deep), 0);
		CHECK(t && t->kind == YNODE_SEQ && t->n == 1);
		ynode_free(t);
		free(src);
	}
}

static void test_node_limit(void)
{
	struct yaml_limits lim = { 0, 5 };
	struct ynode *t = NULL;

	diag_reset();
	CHECK_INT(yaml_load(&t, "p.md", "[1, 2, 3, 4]", 12, 0, &lim), 0);
	CHECK(t && t->n == 4);
	ynode_free(t);
	CHECK(S_refuses_n("[1, 2, 3, 4, 5]", 15, 0, &lim, "p.md:1:14: error: more than 5 nodes\n"));
	/* Keys count too. */
	CHECK(S_refuses_n("a: 1\nb: 2\nc: 3\n", 15, 0, &lim, "p.md:3:1: error: more than 5 nodes\n"));
}

static void test_duplicates(void)
{
	struct ynode *t;
	char *src;

	CHECK(S_refuses("a: 1\n\ntitle: x\nb: 2\ntitle: y\n",
			"p.md:5:1: error: duplicate key 'title' (first defined at line 3)\n"));
	/* Quoting does not make a key different. */
	CHECK(S_refuses("a: 1\n'a': 2\n", "p.md:2:1: error: duplicate key 'a' (first defined at line 1)\n"));
	CHECK(S_refuses("m: {x: 1, y: 2, x: 3}\n",
			"p.md:1:17: error: duplicate key 'x' (first defined at line 1)\n"));
	CHECK(S_refuses("outer:\n  k: 1\n  k: 2\n",
			"p.md:3:3: error: duplicate key 'k' (first defined at line 2)\n"));
	/* A huge key is shortened and a newline in it cannot split the line. */
	src = S_repeat("", 0,
		       "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\nx\": 1\n"
		       "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\nx\": 2",
		       "");
	CHECK(S_refuses(src, "p.md:2:1: error: duplicate key "
			     "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' "
			     "(first defined at line 1)\n"));
	free(src);
	CHECK(S_refuses("\"a\\nb\": 1\n\"a\\nb\": 2\n",
			"p.md:2:1: error: duplicate key 'a?b' (first defined at line 1)\n"));

	/* Around the size where the key-by-key scan gives way to sorting. */
	{
		int nkeys;
		for (nkeys = 15; nkeys <= 18; nkeys++) {
			struct buf b = BUF_INIT;
			char want[128];
			int k;
			for (k = 0; k < nkeys; k++)
				buf_printf(&b, "k%d: %d\n", k, k);
			buf_puts(&b, "k0: again\n");
			snprintf(want, sizeof(want),
				 "p.md:%d:1: error: duplicate key 'k0' (first defined at line 1)\n",
				 nkeys + 1);
			CHECK(S_refuses(b.ptr, want));
			buf_release(&b);
		}
	}

	/* The same key in different mappings is fine. */
	t = S_load("a: {x: 1}\nb: {x: 2}\nc: [{x: 1}, {x: 2}]\n");
	CHECK(t != NULL);
	ynode_free(t);
	t = S_load("a: 1\nA: 2\n\"a \": 3\n");
	CHECK(t && t->n == 6);
	ynode_free(t);
}

static void test_many_keys(void)
{
	struct yaml_limits lim = { 0, 200000 };
	struct buf b = BUF_INIT;
	struct ynode *t = NULL;
	const struct ynode *v;
	long long i;
	char *out;
	int rc;

	for (i = 0; i < 50000; i++)
		buf_printf(&b, "k%lld: %lld\n", i, i);
	diag_reset();
	CHECK_INT(yaml_load(&t, "p.md", b.ptr, b.len, 0, &lim), 0);
	CHECK(t && t->kind == YNODE_MAP && t->n == 100000);
	v = ynode_get(t, "k49999");
	CHECK(ynode_int(v, &i) && i == 49999);
	CHECK(S_at(v, 50000, 9));
	ynode_free(t);

	/* Two repeats at the end: the first one in the file is named. */
	buf_puts(&b, "k7: again\nk3: again\n");
	out = S_diags(b.ptr, b.len, 0, &lim, &rc);
	CHECK_INT(rc, -1);
	CHECK_STR(out, "p.md:50001:1: error: duplicate key 'k7' (first defined at line 8)\n");
	free(out);

	/* The default node bound stops a mapping of 50000 keys. */
	CHECK(S_refuses_n(b.ptr, b.len, 0, NULL, "p.md:50000:9: error: more than 100000 nodes\n"));
	buf_release(&b);

	/* A repeat among many keys, early on and again later. */
	for (i = 0; i < 100; i++)
		buf_printf(&b, "k%lld: %lld\n", i, i);
	buf_puts(&b, "k50: x\n");
	for (i = 100; i < 200; i++)
		buf_printf(&b, "k%lld: %lld\n", i, i);
	buf_puts(&b, "k10: x\n");
	CHECK(S_refuses_n(b.ptr, b.len, 0, NULL,
			  "p.md:101:1: error: duplicate key 'k50' (first defined at line 51)\n"));
	buf_release(&b);
}

static void test_non_scalar_keys(void)
{
	CHECK(S_refuses("? - a\n: b\n", "p.md:1:3: error: a key must be a string, not a list\n"));
	CHECK(S_refuses("? {a: 1}\n: x\n", "p.md:1:3: error: a key must be a string, not a mapping\n"));
	CHECK(S_refuses("{[a]: b}\n", "p.md:1:2: error: a key must be a string, not a list\n"));
	CHECK(S_refuses("k: v\n[a, b]: c\n", "p.md:2:1: error: a key must be a string, not a list\n"));
}

static void test_documents(void)
{
	CHECK(S_refuses("a: 1\n---\nb: 2\n", "p.md:2:1: error: only one document is allowed\n"));
	CHECK(S_refuses("---\na: 1\n---\n", "p.md:3:1: error: only one document is allowed\n"));
	/* libyaml wants "---" after "..."; refused either way. */
	CHECK(S_refuses("a: 1\n...\nb: 2\n", "p.md:3:1: error: did not find expected <document start>\n"));
	/* One explicit document with its end marker is fine. */
	{
		struct ynode *t = S_load("---\na: 1\n...\n");
		CHECK(S_at(t, 2, 1));
		ynode_free(t);
	}
}

static void test_bytes(void)
{
	CHECK(S_refuses_n("a: 1\nb: x\0y\n", 11, 0, NULL,
			  "p.md:2:5: error: NUL characters are not allowed\n"));
	CHECK(S_refuses_n("\0", 1, 0, NULL, "p.md:1:1: error: NUL characters are not allowed\n"));
	/* An escaped NUL is refused as well: strings never contain one. */
	CHECK(S_refuses("a: ok\nb: \"x\\0\"\n", "p.md:2:4: error: NUL characters are not allowed\n"));
	CHECK(S_refuses("a: \x01\n", "p.md:1:4: error: control characters are not allowed\n"));
	CHECK(S_refuses("a: ok\nb: \xff\n", "p.md:2:4: error: invalid leading UTF-8 octet\n"));
	CHECK(S_refuses("\xc3\xa9t\xc3\xa9: \xc3(\n", "p.md:1:7: error: invalid trailing UTF-8 octet\n"));
	CHECK(S_refuses("a: x\xc3", "p.md:1:5: error: incomplete UTF-8 octet sequence\n"));
	CHECK(S_refuses("a: \xed\xa0\x80\n", "p.md:1:4: error: invalid Unicode character\n"));
	CHECK(S_refuses("a: 1\r\nb: \xff\r\n", "p.md:2:4: error: invalid leading UTF-8 octet\n"));
	/* UTF-16 is not read, BOM or not. */
	CHECK(S_refuses("\xfe\xff\x61: 1\n", "p.md:1:1: error: invalid leading UTF-8 octet\n"));
}

static void test_libyaml_errors(void)
{
	CHECK(S_refuses("a:\n  b: 1\n  c: 2\n  d: e: f\n",
			"p.md:4:7: error: mapping values are not allowed in this context; "
			"a value with ': ' in it must be quoted: d: \"e: f\"\n"));
	CHECK(S_refuses(
		"a: [1, 2\n",
		"p.md:2:1: error: did not find expected ',' or ']' (a flow sequence that starts at line 1, column 4)\n"));
	CHECK(S_refuses(
		"a: \"open\n",
		"p.md:2:1: error: found unexpected end of stream (a quoted scalar that starts at line 1, column 4)\n"));
	/* a wrong indentation, not a ': ' inside a value: no hint to quote */
	CHECK(S_refuses("a: 1\n b: 2\n",
			"p.md:2:3: error: mapping values are not allowed in this context\n"));
	CHECK(S_refuses("a: @x\n", "p.md:1:4: error: found character that cannot start any token\n"));
	CHECK(S_refuses("...\n", "p.md:1:1: error: did not find expected node content\n"));
}

/* A ': ' inside a plain value: the hint says to quote it, with the line written so when it can. */
static void test_colon_hint(void)
{
	CHECK(S_refuses("date: 2024-05-18\ntitle: PgBouncer: 生产实践\r\n",
			"p.md:2:17: error: mapping values are not allowed in this context; "
			"a value with ': ' in it must be quoted: title: \"PgBouncer: 生产实践\"\n"));
	CHECK(S_refuses("  title:   say \"A: B\"  \n",
			"p.md:1:18: error: mapping values are not allowed in this context; "
			"a value with ': ' in it must be quoted: title: 'say \"A: B\"'\n"));
	/* both quotes, a comment, a long value: only the advice */
	CHECK(S_refuses("t: it's \"A: B\"\n",
			"p.md:1:11: error: mapping values are not allowed in this context; "
			"a value with ': ' in it must be quoted\n"));
	CHECK(S_refuses("t: A: B # note\n",
			"p.md:1:5: error: mapping values are not allowed in this context; "
			"a value with ': ' in it must be quoted\n"));
	CHECK(S_refuses(
		"t: A: BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
		"BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB\n",
		"p.md:1:5: error: mapping values are not allowed in this context; "
		"a value with ': ' in it must be quoted\n"));
}

static void test_crlf_bom(void)
{
	struct buf crlf = BUF_INIT, bom = BUF_INIT;
	struct ynode *lf = S_load(S_doc), *cr = NULL, *bt = NULL;
	const char *p;
	const struct ynode *v;

	for (p = S_doc; *p; p++) {
		if (*p == '\n')
			buf_putc(&crlf, '\r');
		buf_putc(&crlf, *p);
	}
	diag_reset();
	CHECK_INT(yaml_load(&cr, "p.md", crlf.ptr, crlf.len, 0, NULL), 0);
	CHECK(cr != NULL);
	/* The same tree apart from the block scalar's line breaks. */
	v = ynode_get(cr, "body");
	CHECK_STR(v ? v->str : NULL, "line one\nline two\n");
	CHECK(S_same_tree(lf, cr));

	buf_puts(&bom, "\xef\xbb\xbf");
	buf_puts(&bom, S_doc);
	CHECK_INT(yaml_load(&bt, "p.md", bom.ptr, bom.len, 0, NULL), 0);
	CHECK(S_same_tree(lf, bt));
	CHECK(S_at(ynode_get(bt, "title"), 1, 8));
	CHECK(S_refuses("\xef\xbb\xbf"
			"a: \xff\n",
			"p.md:1:4: error: invalid leading UTF-8 octet\n"));
	CHECK(S_refuses("\xef\xbb\xbf"
			"a: b: c\n",
			"p.md:1:5: error: mapping values are not allowed in this context; "
			"a value with ': ' in it must be quoted: a: \"b: c\"\n"));

	ynode_free(lf);
	ynode_free(cr);
	ynode_free(bt);
	buf_release(&crlf);
	buf_release(&bom);
}

static void test_scalars(void)
{
	struct ynode *t = S_load(
		"t1: true\nt2: True\nt3: TRUE\n"
		"f1: false\nf2: False\nf3: FALSE\n"
		"y: yes\nn: no\non: on\nmixed: tRue\nq: \"true\"\n"
		"i1: 42\ni2: -17\ni3: +5\ni4: 0\ni5: 007\n"
		"max: 9223372036854775807\nmin: -9223372036854775808\n"
		"over: 9223372036854775808\nunder: -9223372036854775809\n"
		"hex: 0x1F\nus: 1_000\nfl: 1.5\nsign: [-, +]\nqi: '42'\n"
		"n1: ~\nn2: null\nn3: Null\nn4: NULL\nn5:\n"
		"n6: nULL\nn7: 'null'\nlist: []\nmap: {}\n");
	const char *const trues[] = { "t1", "t2", "t3" };
	const char *const falses[] = { "f1", "f2", "f3" };
	const char *const nonbools[] = { "y", "n", "on", "mixed", "q", "i1", "list" };
	const char *const nonints[] = {
		"over", "under", "hex", "us", "fl", "sign", "qi", "t1", "n5", "list"
	};
	const char *const nulls[] = { "n1", "n2", "n3", "n4", "n5" };
	const char *const nonnulls[] = { "n6", "n7", "list", "map", "i4" };
	long long v;
	size_t i;
	int b;

	CHECK(t != NULL);
	for (i = 0; i < 3; i++) {
		b = -1;
		CHECK(ynode_bool(ynode_get(t, trues[i]), &b) && b == 1);
		b = -1;
		CHECK(ynode_bool(ynode_get(t, falses[i]), &b) && b == 0);
	}
	for (i = 0; i < sizeof(nonbools) / sizeof(nonbools[0]); i++) {
		b = -1;
		CHECK(!ynode_bool(ynode_get(t, nonbools[i]), &b) && b == -1);
	}
	CHECK(!ynode_bool(NULL, &b));

	CHECK(ynode_int(ynode_get(t, "i1"), &v) && v == 42);
	CHECK(ynode_int(ynode_get(t, "i2"), &v) && v == -17);
	CHECK(ynode_int(ynode_get(t, "i3"), &v) && v == 5);
	CHECK(ynode_int(ynode_get(t, "i4"), &v) && v == 0);
	CHECK(ynode_int(ynode_get(t, "i5"), &v) && v == 7);
	CHECK(ynode_int(ynode_get(t, "max"), &v) && v == 9223372036854775807LL);
	CHECK(ynode_int(ynode_get(t, "min"), &v) && v == -9223372036854775807LL - 1);
	for (i = 0; i < sizeof(nonints) / sizeof(nonints[0]); i++) {
		v = 99;
		CHECK(!ynode_int(ynode_get(t, nonints[i]), &v) && v == 99);
	}
	CHECK(!ynode_int(NULL, &v));
	for (i = 0; i < 2; i++) {
		const struct ynode *sign = ynode_get(t, "sign");
		v = 99;
		CHECK(sign && sign->n == 2 && !ynode_int(sign->kids[i], &v) && v == 99);
	}

	for (i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		CHECK(ynode_is_null(ynode_get(t, nulls[i])));
	for (i = 0; i < sizeof(nonnulls) / sizeof(nonnulls[0]); i++)
		CHECK(!ynode_is_null(ynode_get(t, nonnulls[i])));
	CHECK(ynode_is_null(NULL));

	CHECK_STR(ynode_kind_name(ynode_get(t, "i1")), "a string");
	CHECK_STR(ynode_kind_name(ynode_get(t, "list")), "a list");
	CHECK_STR(ynode_kind_name(ynode_get(t, "map")), "a mapping");
	CHECK_STR(ynode_kind_name(NULL), "nothing");
	CHECK_INT(ynode_get(t, "list") ? ynode_get(t, "list")->n : 99, 0);
	ynode_free(t);
}

static void test_one_error(void)
{
	struct ynode *t = &S_sentinel;

	/* The first refusal stops the load: one diagnostic, nothing built. */
	diag_reset();
	CHECK_INT(yaml_load(&t, "p.md", "a: 1\na: 2\nb: &x 3\n", 18, 0, NULL), -1);
	CHECK(t == NULL);
	CHECK_INT(diag_errors(), 1);
	diag_reset();
}

int main(void)
{
	test_tree();
	test_line_offset();
	test_empty();
	test_aliases();
	test_alias_bomb();
	test_tags();
	test_merge_keys();
	test_depth();
	test_node_limit();
	test_duplicates();
	test_many_keys();
	test_non_scalar_keys();
	test_documents();
	test_bytes();
	test_libyaml_errors();
	test_colon_hint();
	test_crlf_bom();
	test_scalars();
	test_one_error();
	diag_reset();
	return CHECK_DONE("test_yaml");
}
