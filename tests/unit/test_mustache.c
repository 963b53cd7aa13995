/*
 * test_mustache: what the official spec does not cover. Strict mode (raw
 * tags on untrusted values, the engine's text classes, unknown partials),
 * syntax errors and their positions, the bounds on recursion and work,
 * rendering one compiled set from several threads, data seen through a
 * class of our own, and the names that no render found (mu_names).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "mustache.h"
#include "util.h"

/* ---- a small model of our own behind struct mu_class ------------- */

/* A map is an array of fields ended by a NULL key. */
struct field {
	const char *key;
	struct mu_val val;
};

static enum mu_kind S_str_kind(const struct mu_val *v)
{
	(void)v;
	return MU_SCALAR;
}

static void S_str_text(const struct mu_val *v, struct buf *out)
{
	buf_puts(out, v->p);
}

static int S_str_truthy(const struct mu_val *v)
{
	return *(const char *)v->p != '\0';
}

static enum mu_kind S_bool_kind(const struct mu_val *v)
{
	(void)v;
	return MU_BOOL;
}

static int S_bool_truthy(const struct mu_val *v)
{
	return v->i != 0;
}

static enum mu_kind S_map_kind(const struct mu_val *v)
{
	(void)v;
	return MU_MAP;
}

static int S_map_get(const struct mu_val *v, const char *key, size_t keylen, struct mu_val *out)
{
	const struct field *f;
	for (f = v->p; f->key; f++) {
		if (strlen(f->key) == keylen && memcmp(f->key, key, keylen) == 0) {
			*out = f->val;
			return 1;
		}
	}
	return 0;
}

static enum mu_kind S_list_kind(const struct mu_val *v)
{
	(void)v;
	return MU_LIST;
}

static size_t S_list_len(const struct mu_val *v)
{
	return v->i;
}

static void S_list_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	*out = ((const struct mu_val *)v->p)[i];
}

static const struct mu_class str_class = {
	.kind = S_str_kind,
	.text = S_str_text,
	.truthy = S_str_truthy,
};
static const struct mu_class html_class = {
	.kind = S_str_kind,
	.text = S_str_text,
	.truthy = S_str_truthy,
	.trusted = 1,
};
static const struct mu_class bool_class = {
	.kind = S_bool_kind,
	.truthy = S_bool_truthy,
};
static const struct mu_class map_class = {
	.kind = S_map_kind,
	.get = S_map_get,
};
static const struct mu_class list_class = {
	.kind = S_list_kind,
	.len = S_list_len,
	.at = S_list_at,
};

/* clang-format off */
#define STR(s) { &str_class, (s), NULL, 0 }
#define HTML(s) { &html_class, (s), NULL, 0 }
#define BOOL(b) { &bool_class, NULL, NULL, (b) }
#define MAP(f) { &map_class, (f), NULL, 0 }
#define LIST(a) { &list_class, (a), NULL, sizeof(a) / sizeof((a)[0]) }
/* clang-format on */

/* ---- helpers ------------------------------------------------------ */

/* The pending diagnostics as text (caller frees); they are forgotten. */
static char *S_diags(void)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	diag_flush(f, DIAG_TEXT);
	fclose(f);
	return p;
}

/* Adds one template, expecting a syntax error; returns the message text. */
static char *S_add_error(const char *src)
{
	struct mu_set *set = mu_set_new(1);
	int rc;

	diag_reset();
	rc = mu_set_add(set, "t", "layouts/t.html", src, strlen(src));
	CHECK_INT(rc, -1);
	CHECK(!mu_set_has(set, "t"));
	CHECK(diag_errors() >= 1);
	mu_set_free(set);
	return S_diags();
}

static void S_check_add_error(const char *src, const char *want)
{
	char *got = S_add_error(src);
	CHECK_STR(got, want);
	free(got);
}

/* Renders src (as "t") with data in a set of the given strictness. */
static char *S_render(int strict, const char *src, const struct mu_val *data, int *rc)
{
	struct mu_set *set = mu_set_new(strict);
	struct buf out = BUF_INIT;

	*rc = mu_set_add(set, "t", "layouts/t.html", src, strlen(src));
	if (*rc == 0)
		*rc = mu_render(&out, set, "t", data);
	mu_set_free(set);
	return buf_detach(&out, NULL);
}

/* ---- the tests ---------------------------------------------------- */

static void test_strict_raw(void)
{
	struct field f[] = {
		{ "title", STR("<b>Tom & Jerry</b>") },
		{ "body", HTML("<p>made by us</p>") },
		{ NULL, STR("") },
	};
	struct mu_val data = MAP(f);
	struct mu_set *set = mu_set_new(1);
	struct buf out = BUF_INIT;
	const char *ok = "<h1>{{title}}</h1>\n{{{body}}}{{&body}}{{{missing}}}";
	const char *bad = "<h1>{{title}}</h1>\n  <div>{{{title}}}</div>";
	const char *amp = "x\n\n中文 {{&title}}";
	char *msg;

	diag_reset();
	CHECK_INT(mu_set_add(set, "ok", "layouts/ok.html", ok, strlen(ok)), 0);
	CHECK_INT(mu_set_add(set, "bad", "layouts/bad.html", bad, strlen(bad)), 0);
	CHECK_INT(mu_set_add(set, "amp", "layouts/amp.html", amp, strlen(amp)), 0);
	CHECK_INT(mu_set_check(set), 0);

	/* Trusted HTML goes out raw; a missing value has nothing to leak. */
	CHECK_INT(mu_render(&out, set, "ok", &data), 0);
	CHECK_STR(buf_cstr(&out), "<h1>&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;</h1>\n"
				  "<p>made by us</p><p>made by us</p>");
	CHECK_INT(diag_errors(), 0);

	/* A failed render leaves out as it was. */
	buf_reset(&out);
	buf_puts(&out, "before|");
	CHECK_INT(mu_render(&out, set, "bad", &data), -1);
	CHECK_STR(buf_cstr(&out), "before|");
	CHECK_INT(diag_errors(), 1);
	msg = S_diags();
	CHECK(strstr(msg, "layouts/bad.html:2:8: error: raw tag {{{title}}} on untrusted value") == msg);
	free(msg);

	/* {{&x}} too; columns count characters, not bytes. */
	diag_reset();
	CHECK_INT(mu_render(&out, set, "amp", &data), -1);
	msg = S_diags();
	CHECK(strstr(msg, "layouts/amp.html:3:4: error: raw tag {{{title}}}") == msg);
	free(msg);
	mu_set_free(set);
	buf_release(&out);

	/* Lenient (the spec's mode): raw is always allowed. */
	{
		int rc;
		char *got = S_render(0, "{{{title}}}", &data, &rc);
		CHECK_INT(rc, 0);
		CHECK_STR(got, "<b>Tom & Jerry</b>");
		free(got);
	}
}

/*
 * The engine's two text classes. Trust is the class's alone: plain text is
 * escaped and refused raw whatever it holds and whatever the value's other
 * fields say (the generator once marked HTML by q != NULL on its one string
 * class, so a string that kept a q went out raw), and HTML goes out raw.
 */
static void test_text_values(void)
{
	const char *markup = "<b>Tom & Jerry</b> tail";
	const char *esc = "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;";
	struct field f[] = { { "s", STR("") }, { "h", STR("") }, { "e", STR("") }, { NULL, STR("") } };
	struct mu_val data = MAP(f);
	struct buf want = BUF_INIT;
	char *got, *msg;
	int rc;

	/* Each is built over a value of the other class: every field is set. */
	mu_val_html(&f[0].val, markup, 18);
	f[0].val.q = markup;
	mu_val_str(&f[0].val, markup, 18);
	mu_val_str(&f[1].val, markup, 5);
	mu_val_html(&f[1].val, markup, 18);
	mu_val_str(&f[2].val, markup, 0);

	got = S_render(1, "{{s}}|{{h}}|{{{h}}}|{{&h}}|{{#s}}s{{/s}}{{#h}}h{{/h}}{{^e}}e{{/e}}", &data, &rc);
	CHECK_INT(rc, 0);
	buf_printf(&want, "%s|%s|<b>Tom & Jerry</b>|<b>Tom & Jerry</b>|she", esc, esc);
	CHECK_STR(got, buf_cstr(&want));
	free(got);

	/* Plain text that holds markup, even with a q, is refused raw. */
	f[0].val.q = markup;
	diag_reset();
	got = S_render(1, "{{{s}}}", &data, &rc);
	CHECK_INT(rc, -1);
	CHECK_STR(got, "");
	free(got);
	msg = S_diags();
	CHECK(strstr(msg, "layouts/t.html:1:1: error: raw tag {{{s}}} on untrusted value") == msg);
	free(msg);
	diag_reset();
	got = S_render(1, "x{{&s}}", &data, &rc);
	CHECK_INT(rc, -1);
	free(got);
	CHECK_INT(diag_errors(), 1);
	diag_reset();
	buf_release(&want);
}

static void test_check_partials(void)
{
	struct mu_set *set = mu_set_new(1), *lenient = mu_set_new(0);
	const char *page = "{{<base}}\n{{$main}}\n  x {{>card}} {{> nope }}\n{{/main}}\n{{/base}}\n";
	const char *base = "<main>{{$main}}{{/main}}</main>\n{{>footer}}";
	const char *card = "card";
	char *msg;

	diag_reset();
	CHECK_INT(mu_set_add(set, "page", "layouts/page.html", page, strlen(page)), 0);
	CHECK_INT(mu_set_add(set, "card", "layouts/partials/card.html", card, strlen(card)), 0);
	CHECK_INT(mu_set_check(set), -1);
	msg = S_diags();
	CHECK_STR(msg, "layouts/page.html:1:1: error: unknown parent template 'base'\n"
		       "layouts/page.html:3:15: error: unknown partial 'nope'\n");
	free(msg);

	diag_reset();
	CHECK_INT(mu_set_add(set, "base", "layouts/base.html", base, strlen(base)), 0);
	CHECK_INT(mu_set_check(set), -1);
	msg = S_diags();
	CHECK_STR(msg, "layouts/base.html:2:1: error: unknown partial 'footer'\n"
		       "layouts/page.html:3:15: error: unknown partial 'nope'\n");
	free(msg);

	/* At render time the unknown partial is an error too, not "". */
	{
		struct buf out = BUF_INIT;
		diag_reset();
		CHECK_INT(mu_render(&out, set, "page", NULL), -1);
		CHECK_INT(diag_errors(), 1);
		free(S_diags());
		CHECK_INT(mu_render(&out, set, "nosuch", NULL), -1);
		msg = S_diags();
		CHECK_STR(msg, "jixia: error: unknown template 'nosuch'\n");
		free(msg);
		buf_release(&out);
	}

	/* Lenient sets have nothing to check and render "" instead. */
	diag_reset();
	CHECK_INT(mu_set_add(lenient, "page", "page.html", page, strlen(page)), 0);
	CHECK_INT(mu_set_check(lenient), 0);
	CHECK_INT(diag_errors(), 0);
	CHECK(mu_set_has(lenient, "page"));
	CHECK(!mu_set_has(lenient, "base"));
	mu_set_free(lenient);
	mu_set_free(set);
}

static void test_syntax_errors(void)
{
	S_check_add_error("<ul>\n{{#items}}\n  <li>{{name}}</li>\n",
			  "layouts/t.html:2:1: error: unclosed section 'items' (opened here)\n");
	S_check_add_error("{{^a}}{{<p}}{{$b}}",
			  "layouts/t.html:1:1: error: unclosed inverted section 'a' (opened here)\n"
			  "layouts/t.html:1:7: error: unclosed parent 'p' (opened here)\n"
			  "layouts/t.html:1:13: error: unclosed block 'b' (opened here)\n");
	S_check_add_error("x\n\n  {{#bar}}\n    {{/foo}}\n",
			  "layouts/t.html:4:5: error: closing tag '/foo' does not match "
			  "open section 'bar' at 3:3\n");
	S_check_add_error("a {{/foo}}",
			  "layouts/t.html:1:3: error: closing tag '/foo' has no open section\n");
	S_check_add_error("hello {{name\nworld",
			  "layouts/t.html:1:7: error: unclosed tag '{{name' (no '}}' follows)\n");
	S_check_add_error("{{{name}}",
			  "layouts/t.html:1:1: error: unclosed tag '{{{name}}' (no '}}}' follows)\n");
	S_check_add_error("{{=<% %>=}}\n<%x}}",
			  "layouts/t.html:2:1: error: unclosed tag '<%x}}' (no '%>' follows)\n");
	S_check_add_error("{{", "layouts/t.html:1:1: error: unclosed tag '{{' (no '}}' follows)\n");
	S_check_add_error("a{{}}b", "layouts/t.html:1:2: error: empty tag name in '{{}}'\n");
	S_check_add_error("{{# }}{{/ }}", "layouts/t.html:1:1: error: empty tag name in '{{# }}'\n");
	S_check_add_error("{{>}}", "layouts/t.html:1:1: error: empty tag name in '{{>}}'\n");
	S_check_add_error("{{{ }}}", "layouts/t.html:1:1: error: empty tag name in '{{{ }}}'\n");
	S_check_add_error("{{a b}}", "layouts/t.html:1:1: error: tag name 'a b' contains whitespace\n");
	S_check_add_error("{{a..b}}", "layouts/t.html:1:1: error: bad name 'a..b': want '.' or names "
				      "joined by single dots\n");
	S_check_add_error(" {{=<%=}}",
			  "layouts/t.html:1:2: error: bad set-delimiter tag '{{=<%=}}': want two "
			  "delimiters separated by a space, as in {{=<% %>=}}\n");
	S_check_add_error("{{=a b c=}}",
			  "layouts/t.html:1:1: error: bad set-delimiter tag '{{=a b c=}}': want two "
			  "delimiters separated by a space, as in {{=<% %>=}}\n");

	/* A name of 256 bytes is the longest: each lookup reads it whole */
	{
		char src[4 + 257 + 2];
		char *msg;
		struct mu_set *set = mu_set_new(1);
		memcpy(src, "x {{", 4);
		memset(src + 4, 'a', 257);
		memcpy(src + 4 + 256, "}}", 2);
		diag_reset();
		CHECK_INT(mu_set_add(set, "t", "t.html", src, 4 + 256 + 2), 0);
		memcpy(src + 4 + 256, "a}}", 3);
		CHECK_INT(mu_set_add(set, "t", "t.html", src, sizeof(src)), -1);
		msg = S_diags();
		CHECK_STR(msg, "t.html:1:3: error: tag name is longer than 256 bytes\n");
		free(msg);
		mu_set_free(set);
	}

	/* A template that fails to compile leaves the earlier one in place. */
	{
		struct mu_set *set = mu_set_new(1);
		struct buf out = BUF_INIT;
		diag_reset();
		CHECK_INT(mu_set_add(set, "t", "t.html", "one", 3), 0);
		CHECK_INT(mu_set_add(set, "t", "t.html", "{{#x}}", 6), -1);
		CHECK_INT(mu_render(&out, set, "t", NULL), 0);
		CHECK_INT(mu_set_add(set, "t", "t.html", "two", 3), 0);
		CHECK_INT(mu_render(&out, set, "t", NULL), 0);
		CHECK_STR(buf_cstr(&out), "onetwo");
		free(S_diags());
		buf_release(&out);
		mu_set_free(set);
	}
}

struct deep_job {
	const char *src;
	const struct mu_val *data;
	int rc;
};

/* Renders on a thread with a small stack, as a worker might have. */
static void *S_deep_worker(void *arg)
{
	struct deep_job *j = arg;
	free(S_render(0, j->src, j->data, &j->rc));
	return NULL;
}

static void test_nesting_bounds(void)
{
	struct field f[] = { { "a", BOOL(1) }, { NULL, STR("") } };
	struct mu_val data = MAP(f);
	struct mu_set *set = mu_set_new(0);
	struct buf out = BUF_INIT, deep = BUF_INIT;
	const char *node = "x{{#a}}{{>node}}{{/a}}";
	const char *self = "{{>self}}{{>self}}";
	const char *parent = "{{<parent}}{{/parent}}";
	const char *blk = "{{<b0}}{{$b}}[{{$b}}{{/b}}]{{/b}}{{/b0}}";
	const char *b0 = "{{$b}}{{/b}}";
	char *msg;
	int i, rc;

	diag_reset();
	CHECK_INT(mu_set_add(set, "node", "node.html", node, strlen(node)), 0);
	CHECK_INT(mu_set_add(set, "self", "self.html", self, strlen(self)), 0);
	CHECK_INT(mu_set_add(set, "parent", "parent.html", parent, strlen(parent)), 0);
	CHECK_INT(mu_set_add(set, "blk", "blk.html", blk, strlen(blk)), 0);
	CHECK_INT(mu_set_add(set, "b0", "b0.html", b0, strlen(b0)), 0);

	/* Data that never runs out: a is found again at every level. */
	CHECK_INT(mu_render(&out, set, "node", &data), -1);
	CHECK_INT(out.len, 0);
	msg = S_diags();
	CHECK_STR(msg, "node.html:1:8: error: partial 'node' nested deeper than 64 "
		       "levels (endless recursion?)\n");
	free(msg);

	/* Fanning out stops at the first branch that is too deep. */
	CHECK_INT(mu_render(&out, set, "self", NULL), -1);
	msg = S_diags();
	CHECK(strstr(msg, "self.html:1:1: error: partial 'self' nested deeper") == msg);
	free(msg);

	CHECK_INT(mu_render(&out, set, "parent", NULL), -1);
	msg = S_diags();
	CHECK(strstr(msg, "parent.html:1:1: error: parent 'parent' nested deeper") == msg);
	free(msg);

	/* An override that fills its own block inside itself. */
	CHECK_INT(mu_render(&out, set, "blk", NULL), -1);
	msg = S_diags();
	CHECK(strstr(msg, "blk.html:1:15: error: block 'b' nested deeper") == msg);
	free(msg);

	/* Sections nest up to 100 deep in one template. */
	for (i = 0; i < 100; i++)
		buf_puts(&deep, "{{#a}}");
	for (i = 0; i < 100; i++)
		buf_puts(&deep, "{{/a}}");
	msg = S_render(0, buf_cstr(&deep), &data, &rc);
	CHECK_INT(rc, 0);
	free(msg);
	buf_reset(&deep);
	for (i = 0; i < 101; i++)
		buf_puts(&deep, "{{#a}}");
	msg = S_add_error(buf_cstr(&deep));
	CHECK_STR(msg, "layouts/t.html:1:601: error: section 'a' nested deeper than 100 levels\n");
	free(msg);

	/* Deep sections inside deep recursion: refused before the C stack runs out. */
	{
		pthread_attr_t attr;
		pthread_t th;
		struct deep_job job;
		buf_reset(&deep);
		for (i = 0; i < 98; i++)
			buf_puts(&deep, "{{#a}}");
		buf_puts(&deep, "{{<t}}{{$x}}{{/x}}{{/t}}");
		for (i = 0; i < 98; i++)
			buf_puts(&deep, "{{/a}}");
		job.src = buf_cstr(&deep);
		job.data = &data;
		diag_reset();
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 1 << 20);
		CHECK_INT(pthread_create(&th, &attr, S_deep_worker, &job), 0);
		pthread_join(th, NULL);
		pthread_attr_destroy(&attr);
		CHECK_INT(job.rc, -1);
		msg = S_diags();
		CHECK(strstr(msg, "layouts/t.html:1:") == msg);
		CHECK(strstr(msg, "error: sections and partials nested deeper than 1024 levels at 'a'") !=
		      NULL);
		free(msg);
	}

	/* Nested sections over one list ask for 2^40 steps: refused, not hung. */
	{
		struct mu_val two[] = { BOOL(1), BOOL(1) };
		struct field lf[] = { { "l", LIST(two) }, { NULL, STR("") } };
		struct mu_val ldata = MAP(lf);
		buf_reset(&deep);
		for (i = 0; i < 40; i++)
			buf_puts(&deep, "{{#l}}");
		for (i = 0; i < 40; i++)
			buf_puts(&deep, "{{/l}}");
		diag_reset();
		msg = S_render(0, buf_cstr(&deep), &ldata, &rc);
		CHECK_INT(rc, -1);
		free(msg);
		msg = S_diags();
		CHECK(strstr(msg, "error: rendering took more than") != NULL);
		free(msg);
	}

	buf_release(&deep);
	buf_release(&out);
	mu_set_free(set);
}

/*
 * Partials that each include the next twice double the output per level:
 * the render stops past 64 MiB at the text that crossed the line, and
 * mu_render_run keeps the error for its caller instead of reporting it.
 */
static void test_output_bound(void)
{
	struct mu_set *set = mu_set_new(1);
	struct buf out = BUF_INIT, src = BUF_INIT;
	struct mu_run run;
	char name[16], path[32];
	char *msg;
	int i;

	diag_reset();
	for (i = 1; i <= 12; i++) {
		buf_reset(&src);
		buf_printf(&src, "{{>d%d}}\n{{>d%d}}", i + 1, i + 1);
		snprintf(name, sizeof(name), "d%d", i);
		snprintf(path, sizeof(path), "d%d.html", i);
		CHECK_INT(mu_set_add(set, name, path, src.ptr, src.len), 0);
	}
	/* 2^12 copies of 32 KiB: 128 MiB asked for. */
	buf_reset(&src);
	buf_puts(&src, "{{! a comment first }}\n\n");
	for (i = 0; i < 32768; i++)
		buf_putc(&src, 'A');
	CHECK_INT(mu_set_add(set, "d13", "d13.html", src.ptr, src.len), 0);
	CHECK_INT(mu_set_check(set), 0);

	buf_puts(&out, "kept");
	CHECK_INT(mu_render(&out, set, "d1", NULL), -1);
	CHECK_STR(buf_cstr(&out), "kept");
	msg = S_diags();
	CHECK_STR(msg, "d13.html:3:1: error: rendering makes more than 64 MiB of output "
		       "(a runaway template?)\n");
	free(msg);
	diag_reset();

	/* Ten levels, 32 MiB, are fine (the partial tags are standalone). */
	CHECK_INT(mu_render(&out, set, "d3", NULL), 0);
	CHECK_INT(out.len, 4 + ((size_t)1 << 10) * 32769);
	CHECK_INT(diag_errors(), 0);

	memset(&run, 0, sizeof(run));
	buf_init(&run.msg);
	buf_reset(&out);
	CHECK_INT(mu_render_run(&out, &run, set, "d1", NULL), -1);
	CHECK_INT(out.len, 0);
	CHECK_INT(diag_errors(), 0);
	CHECK_STR(run.path, "d13.html");
	CHECK_INT(run.line, 3);
	CHECK_INT(run.col, 1);
	CHECK_STR(buf_cstr(&run.msg), "rendering makes more than 64 MiB of output (a runaway template?)");
	/* Each partial tag and each text line is a step: 2^11 expansions of d12 and d13 */
	CHECK(run.steps > 4096 && run.steps < 16384);
	/* A second error replaces the first. */
	CHECK_INT(mu_render_run(&out, &run, set, "nosuch", NULL), -1);
	CHECK(run.path == NULL);
	CHECK_STR(buf_cstr(&run.msg), "unknown template 'nosuch'");
	CHECK_INT(run.steps, 0);
	CHECK_INT(diag_errors(), 0);
	buf_release(&run.msg);
	/* Steps are counted on success too. */
	CHECK_INT(mu_render_run(&out, &run, set, "d13", NULL), 0);
	CHECK_INT(run.steps, 3);
	CHECK_INT(run.msg.len, 0);

	buf_release(&src);
	buf_release(&out);
	mu_set_free(set);
}

/* A map whose lookups cost a million steps each, as a huge mapping would. */
static int S_costly_get(const struct mu_val *v, const char *key, size_t keylen, struct mu_val *out)
{
	(void)v;
	(void)key;
	(void)keylen;
	(void)out;
	mu_charge(1000000);
	return 0;
}
static const struct mu_class costly_class = {
	.kind = S_map_kind,
	.get = S_costly_get,
};

/* Work a class charges counts against the step cap; outside a render it is ignored. */
static void test_charge(void)
{
	struct mu_val items[] = { BOOL(1), BOOL(1), BOOL(1), BOOL(1), BOOL(1) };
	struct field f[] = {
		{ "l", LIST(items) }, { "m", { &costly_class, NULL, NULL, 0 } }, { NULL, STR("") }
	};
	struct mu_val data = MAP(f);
	struct mu_set *set = mu_set_new(1);
	struct buf out = BUF_INIT;
	struct mu_run run;
	const char *src = "{{#l}}{{#l}}{{m.x}}{{/l}}{{/l}}";

	diag_reset();
	mu_charge(1UL << 40);
	memset(&run, 0, sizeof(run));
	buf_init(&run.msg);
	CHECK_INT(mu_set_add(set, "t", "t.html", src, strlen(src)), 0);
	/* 25 lookups would be 25 million steps: past 2^24 at the 17th. */
	CHECK_INT(mu_render_run(&out, &run, set, "t", &data), -1);
	CHECK_STR(buf_cstr(&run.msg), "rendering took more than 16777216 steps (a runaway template?)");
	CHECK_INT(run.line, 1);
	CHECK(run.steps > 16000000 && run.steps < 18000000);
	buf_release(&run.msg);
	buf_release(&out);
	mu_set_free(set);
	CHECK_INT(diag_errors(), 0);
}

static void test_custom_class(void)
{
	struct field tom[] = { { "name", STR("Tom") }, { "admin", BOOL(1) }, { NULL, STR("") } };
	struct field ann[] = {
		{ "name", STR("Ann <ann@example.org>") }, { "admin", BOOL(0) }, { NULL, STR("") }
	};
	struct mu_val people[] = { MAP(tom), MAP(ann) };
	struct mu_val none[1] = { STR("") };
	struct field site[] = { { "title", STR("Jixia") }, { NULL, STR("") } };
	struct field root[] = {
		{ "site", MAP(site) },
		{ "people", LIST(people) },
		{ "empty", { &list_class, none, NULL, 0 } },
		{ "draft", BOOL(0) },
		{ "blank", STR("") },
		{ NULL, STR("") },
	};
	struct mu_val data = MAP(root);
	const char *src =
		"<h1>{{site.title}}</h1>\n"
		"<ul>\n"
		"  {{#people}}\n"
		"  <li>{{name}}{{#admin}} (admin){{/admin}} @ {{site.title}}</li>\n"
		"  {{/people}}\n"
		"</ul>\n"
		"{{^empty}}no items{{/empty}}{{^draft}}, published{{/draft}}"
		"{{#blank}}never{{/blank}}{{^blank}}, blank{{/blank}}{{missing.x}}\n";
	int rc;
	char *got = S_render(1, src, &data, &rc);

	CHECK_INT(rc, 0);
	CHECK_STR(got, "<h1>Jixia</h1>\n"
		       "<ul>\n"
		       "  <li>Tom (admin) @ Jixia</li>\n"
		       "  <li>Ann &lt;ann@example.org&gt; @ Jixia</li>\n"
		       "</ul>\n"
		       "no items, published, blank\n");
	free(got);

	/* NULL data is the null context: everything is missing. */
	got = S_render(1, "[{{a}}{{#a}}x{{/a}}{{^a}}y{{/a}}{{.}}]", NULL, &rc);
	CHECK_INT(rc, 0);
	CHECK_STR(got, "[y]");
	free(got);
}

/* mu_names_unknown's fn: "path:line:col name\n" appended to a buf. */
static void S_collect(const char *path, int line, int col, const char *name, size_t n, void *payload)
{
	buf_printf(payload, "%s:%d:%d %.*s\n", path, line, col, (int)n, name);
}

/* "page" and "known" are names the data can have without any render having them. */
static int S_known_name(const char *name, size_t n, void *payload)
{
	(void)payload;
	return (n == 5 && memcmp(name, "known", 5) == 0) || (n == 4 && memcmp(name, "page", 4) == 0);
}

/*
 * Names counted over several renders: a tag that some render resolved is
 * found (an optional field), a tag that none resolved is reported at its
 * position, a tag no render reached is not, and known() excuses a name.
 */
static void test_names(void)
{
	struct field one[] = {
		{ "video", STR("v.mp4") }, { "title", STR("One") }, { "draft", BOOL(0) }, { NULL, STR("") }
	};
	struct field two[] = { { "title", STR("Two") }, { "draft", BOOL(0) }, { NULL, STR("") } };
	struct field r1[] = { { "page", MAP(one) }, { NULL, STR("") } };
	struct field r2[] = { { "page", MAP(two) }, { NULL, STR("") } };
	struct mu_val d1 = MAP(r1), d2 = MAP(r2);
	const char *src =
		"{{page.title}}{{#page.video}}[{{.}}]{{/page.video}}\n"
		"  {{page.titel}}{{^page.vidoe}}-{{/page.vidoe}}{{#page.draft}}{{nosuch}}{{/page.draft}}\n"
		"{{page.known}}{{.}}{{#page}}{{title}}{{tilte}}{{/page}}\n";
	struct mu_set *set = mu_set_new(1);
	struct mu_names *names;
	struct mu_run run;
	struct buf out = BUF_INIT, got = BUF_INIT;

	CHECK_INT(mu_set_add(set, "t", "layouts/t.html", src, strlen(src)), 0);
	names = mu_names_new(set);
	memset(&run, 0, sizeof(run));
	run.names = names;
	CHECK_INT(mu_render_run(&out, &run, set, "t", &d1), 0);
	CHECK_INT(mu_render_run(&out, &run, set, "t", &d2), 0);
	CHECK_STR(buf_cstr(&out), "One[v.mp4]\n  -\nOne\nTwo\n  -\nTwo\n");
	CHECK_INT(mu_names_unknown(names, S_known_name, S_collect, &got), 3);
	CHECK_STR(buf_cstr(&got), "layouts/t.html:2:3 page.titel\n"
				  "layouts/t.html:2:17 page.vidoe\n"
				  "layouts/t.html:3:38 tilte\n");
	buf_reset(&got);
	CHECK_INT(mu_names_unknown(names, NULL, S_collect, &got), 4);
	CHECK(strstr(buf_cstr(&got), "layouts/t.html:3:1 page.known\n") != NULL);
	mu_names_free(names);

	/* One render alone: the optional field is missing from all of them. */
	names = mu_names_new(set);
	run.names = names;
	buf_reset(&got);
	CHECK_INT(mu_render_run(&out, &run, set, "t", &d2), 0);
	CHECK_INT(mu_names_unknown(names, NULL, S_collect, &got), 5);
	CHECK(strstr(buf_cstr(&got), "layouts/t.html:1:15 page.video\n") != NULL);
	mu_names_free(names);
	buf_release(&run.msg);
	buf_release(&out);
	buf_release(&got);
	mu_set_free(set);
}

static void test_indentation(void)
{
	struct mu_set *set = mu_set_new(0);
	struct buf out = BUF_INIT;
	const char *page = "<body>\n"
			   "  {{>list}}\n"
			   "</body>\n";
	const char *list =
		"<ul>\n"
		"\n"
		"  {{#items}}\n"
		"  {{>item}}\n"
		"  {{/items}}\n"
		"</ul>\n";
	const char *item = "<li>{{.}}</li>\n";
	const char *layout =
		"<html>\n"
		"  <main>\n"
		"    {{$main}}\n"
		"    {{/main}}\n"
		"  </main>\n"
		"</html>\n";
	const char *child =
		"{{<layout}}\n"
		"{{$main}}\n"
		"        <p>a</p>\n"
		"          <p>b</p>\n"
		"        {{>item}}\n"
		"{{/main}}\n"
		"{{/layout}}\n";
	struct mu_val items[] = { STR("1"), STR("2") };
	struct field f[] = { { "items", LIST(items) }, { NULL, STR("") } };
	struct mu_val data = MAP(f);

	diag_reset();
	CHECK_INT(mu_set_add(set, "page", "page", page, strlen(page)), 0);
	CHECK_INT(mu_set_add(set, "list", "list", list, strlen(list)), 0);
	CHECK_INT(mu_set_add(set, "item", "item", item, strlen(item)), 0);
	CHECK_INT(mu_set_add(set, "layout", "layout", layout, strlen(layout)), 0);
	CHECK_INT(mu_set_add(set, "child", "child", child, strlen(child)), 0);

	/* Standalone partials nest their indentation; empty lines stay empty. */
	CHECK_INT(mu_render(&out, set, "page", &data), 0);
	CHECK_STR(buf_cstr(&out),
		  "<body>\n"
		  "  <ul>\n"
		  "\n"
		  "    <li>1</li>\n"
		  "    <li>2</li>\n"
		  "  </ul>\n"
		  "</body>\n");

	/* An override lands at the block's depth, keeping its inner shape. */
	buf_reset(&out);
	CHECK_INT(mu_render(&out, set, "child", &data), 0);
	CHECK_STR(buf_cstr(&out),
		  "<html>\n"
		  "  <main>\n"
		  "    <p>a</p>\n"
		  "      <p>b</p>\n"
		  "    <li></li>\n"
		  "  </main>\n"
		  "</html>\n");
	CHECK_INT(diag_errors(), 0);
	buf_release(&out);
	mu_set_free(set);
}

/* ---- threads ------------------------------------------------------ */

struct job {
	const struct mu_set *set;
	const struct mu_val *data;
	const char *want;
	int bad;
};

static void *S_worker(void *arg)
{
	struct job *j = arg;
	struct buf out = BUF_INIT;
	int i;

	for (i = 0; i < 200; i++) {
		buf_reset(&out);
		if (mu_render(&out, j->set, "page", j->data) < 0 || strcmp(buf_cstr(&out), j->want) != 0)
			j->bad++;
	}
	buf_release(&out);
	return NULL;
}

static void test_threads(void)
{
	struct mu_set *set = mu_set_new(1);
	const char *base = "<html>\n  <title>{{$title}}Jixia{{/title}}</title>\n"
			   "  {{$body}}\n  {{/body}}\n</html>\n";
	const char *page = "{{<base}}\n{{$title}}{{site}}{{/title}}\n{{$body}}\n"
			   "<ul>\n  {{#items}}\n  {{>item}}\n  {{/items}}\n</ul>\n"
			   "{{/body}}\n{{/base}}\n";
	const char *item = "<li>{{name}} &amp; {{{html}}}</li>\n";
	struct field it[3][3];
	struct mu_val items[3];
	struct field root[3];
	struct mu_val data;
	struct buf want = BUF_INIT;
	struct job jobs[4];
	pthread_t th[4];
	int i;

	for (i = 0; i < 3; i++) {
		struct mu_val name = STR("a<b>"), html = HTML("<em>x</em>");
		it[i][0].key = "name";
		it[i][0].val = name;
		it[i][1].key = "html";
		it[i][1].val = html;
		it[i][2].key = NULL;
		items[i].cls = &map_class;
		items[i].p = it[i];
		items[i].q = NULL;
		items[i].i = 0;
	}
	root[0].key = "site";
	root[0].val.cls = &str_class;
	root[0].val.p = "Jixia's";
	root[1].key = "items";
	root[1].val.cls = &list_class;
	root[1].val.p = items;
	root[1].val.i = 3;
	root[2].key = NULL;
	data.cls = &map_class;
	data.p = root;
	data.q = NULL;
	data.i = 0;

	diag_reset();
	CHECK_INT(mu_set_add(set, "base", "base", base, strlen(base)), 0);
	CHECK_INT(mu_set_add(set, "page", "page", page, strlen(page)), 0);
	CHECK_INT(mu_set_add(set, "item", "item", item, strlen(item)), 0);
	CHECK_INT(mu_set_check(set), 0);
	CHECK_INT(mu_render(&want, set, "page", &data), 0);
	CHECK_STR(buf_cstr(&want),
		  "<html>\n  <title>Jixia&#39;s</title>\n  <ul>\n"
		  "    <li>a&lt;b&gt; &amp; <em>x</em></li>\n"
		  "    <li>a&lt;b&gt; &amp; <em>x</em></li>\n"
		  "    <li>a&lt;b&gt; &amp; <em>x</em></li>\n"
		  "  </ul>\n</html>\n");

	for (i = 0; i < 4; i++) {
		jobs[i].set = set;
		jobs[i].data = &data;
		jobs[i].want = buf_cstr(&want);
		jobs[i].bad = 0;
		CHECK_INT(pthread_create(&th[i], NULL, S_worker, &jobs[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK_INT(jobs[i].bad, 0);
	}
	CHECK_INT(diag_errors(), 0);
	buf_release(&want);
	mu_set_free(set);
}

/* ---- hostile input ------------------------------------------------ */

static unsigned long S_rand(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

/* Random soup of mustache pieces: must compile or fail, never crash. */
static void test_hostile(void)
{
	static const char *const bits[] = {
		"{{",     "}}",       "{{{",     "}}}",    "{{#a}}", "{{/a}}",      "{{^a}}",
		"{{>p}}", "{{<p}}",   "{{/p}}",  "{{$b}}", "{{/b}}", "{{=<% %>=}}", "<%",
		"%>",     "{{! x }}", "\n",      "\r\n",   "  ",     "\t",          "x",
		".",      "{{.}}",    "{{a.b}}", "{{&a}}", "=",      "{{=",         "<%={{ }}=%>",
		"{{>q}}", "{{<q}}",   "{{/q}}",  "中",     "\0",
	};
	struct mu_val items[] = { BOOL(1), BOOL(1) };
	struct field f[] = { { "a", LIST(items) }, { NULL, STR("") } };
	struct mu_val data = MAP(f);
	unsigned long seed = 42;
	int i, k, compiled = 0;

	for (i = 0; i < 3000; i++) {
		struct mu_set *set = mu_set_new(i & 1);
		struct buf src = BUF_INIT, out = BUF_INIT;
		int n = (int)(S_rand(&seed) % 40);
		for (k = 0; k < n; k++) {
			const char *b = bits[S_rand(&seed) % (sizeof(bits) / sizeof(bits[0]))];
			buf_put(&src, b, *b ? strlen(b) : 1);
		}
		if (mu_set_add(set, "p", "p", src.ptr, src.len) == 0) {
			compiled++;
			mu_set_add(set, "q", "q", "{{$b}}q{{/b}}{{>p}}", 19);
			mu_set_check(set);
			mu_render(&out, set, "p", &data);
		}
		diag_reset();
		buf_release(&src);
		buf_release(&out);
		mu_set_free(set);
	}
	CHECK(compiled > 100);
}

int main(void)
{
	test_strict_raw();
	test_text_values();
	test_check_partials();
	test_syntax_errors();
	test_nesting_bounds();
	test_output_bound();
	test_charge();
	test_custom_class();
	test_names();
	test_indentation();
	test_threads();
	test_hostile();
	diag_reset();
	return CHECK_DONE("test_mustache");
}
