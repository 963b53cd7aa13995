/*
 * test_highlight: the build-time syntax highlighter. Real snippets of each
 * language (the kind the community's talks and docs carry) come out with
 * their tokens classed, written here in a short form: [k:SELECT] is
 * <span class="hl-k">SELECT</span>. Every snippet, and every prefix of it
 * (a block cut anywhere: an unclosed string or comment), reads back as the
 * code it was, escaped once; unknown languages are refused; a Markdown body
 * gets its blocks replaced, plain or highlighted, each <pre> focusable.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>

#include "check.h"
#include "highlight.h"
#include "util.h"

/* The highlighted HTML of code in the short form: spans as [cls:text], entities as they are. */
static char *S_short(const char *lang, const char *code)
{
	struct buf html, out;
	const char *p;

	buf_init(&html);
	buf_init(&out);
	if (highlight_code(&html, lang, code, strlen(code))) {
		buf_release(&html);
		return NULL;
	}
	for (p = buf_cstr(&html); *p;) {
		if (!strncmp(p, "<span class=\"hl-", 16)) {
			p += 16;
			buf_putc(&out, '[');
			while (*p != '"')
				buf_putc(&out, *p++);
			buf_putc(&out, ':');
			p += 2;
		} else if (!strncmp(p, "</span>", 7)) {
			buf_putc(&out, ']');
			p += 7;
		} else {
			buf_putc(&out, *p++);
		}
	}
	buf_release(&html);
	return buf_detach(&out, NULL);
}

/* Whether the HTML of code, tags dropped and entities read, is code again. */
static int S_round_trip(const char *lang, const char *code, size_t len)
{
	struct buf html, text;
	const char *p;
	int ok;

	buf_init(&html);
	buf_init(&text);
	highlight_code(&html, lang, code, len);
	for (p = buf_cstr(&html); *p;) {
		if (*p == '<') {
			p = strchr(p, '>') + 1;
		} else if (*p == '&') {
			static const char *const ents[][2] = {
				{ "&amp;", "&" },
				{ "&lt;", "<" },
				{ "&gt;", ">" },
				{ "&quot;", "\"" },
				{ "&#39;", "'" }
			};
			size_t k;
			for (k = 0; k < 5 && strncmp(p, ents[k][0], strlen(ents[k][0])); k++)
				;
			if (k == 5) {
				buf_release(&html);
				buf_release(&text);
				return 0;
			}
			buf_puts(&text, ents[k][1]);
			p += strlen(ents[k][0]);
		} else {
			buf_putc(&text, *p++);
		}
	}
	ok = text.len == len && memcmp(text.ptr, code, len) == 0;
	buf_release(&html);
	buf_release(&text);
	return ok;
}

#define CHECK_HL(lang, code, want)                \
	do {                                      \
		char *got_ = S_short(lang, code); \
		CHECK_STR(got_, want);            \
		free(got_);                       \
	} while (0)

static const char *const S_snippets[][2] = {
	{ "sql",
	  "-- 找出膨胀最严重的表\nSELECT relname, n_dead_tup\n  FROM pg_stat_user_tables\n WHERE n_dead_tup > 1e4\n ORDER BY 2 DESC LIMIT 10;\n" },
	{ "sql",
	  "CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.updated_at := now(); -- 'quoted'\n  RETURN NEW;\nEND $$;\n" },
	{ "sql", "SELECT 'it''s', E'\\n', $tag$ a $$ b $tag$, $1 /* c */ FROM t;" },
	{ "bash",
	  "#!/bin/sh\n# 每晚的全量备份\npg_basebackup -D \"$BACKUP_DIR/$(date +%F)\" -Ft -z -P\nif [ $? -ne 0 ]; then echo 'failed' >&2; exit 1; fi\n" },
	{ "yaml",
	  "bootstrap:\n  dcs:\n    ttl: 30\n    postgresql:\n      use_pg_rewind: true # 切换后回收旧主\n      parameters: {wal_log_hints: \"on\"}\nurl: http://x:8008/a\n" },
	{ "json",
	  "{\"name\": \"jixia\", \"port\": 5432, \"ssl\": false, \"tags\": [\"pg\", null], \"ratio\": -1.5e3}\n" },
	{ "c",
	  "#include <libpq-fe.h>\n/* connect */\nint main(void)\n{\n\tPGconn *conn = PQconnectdb(\"dbname=test\");\n\tif (PQstatus(conn) != CONNECTION_OK)\n\t\treturn 1; // bad\n\treturn 0x1F;\n}\n" },
	{ "python",
	  "import psycopg\n\n@retry(times=3)\ndef fetch(conn):\n    \"\"\"Rows of 'x'.\"\"\"\n    with conn.cursor() as cur:  # 只读\n        cur.execute(\"SELECT 1\")\n        return cur.fetchall() or None\n" },
	{ "go",
	  "package main\n\nimport \"database/sql\"\n\nfunc main() {\n\tdb, err := sql.Open(\"pgx\", `postgres://u@h/db`)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tvar n int64 = 42\n}\n" },
	{ "java",
	  "@Override\npublic String find(Connection c) throws SQLException {\n    // 预编译\n    PreparedStatement ps = c.prepareStatement(\"SELECT name FROM t WHERE id = ?\");\n    return null;\n}\n" },
	{ "diff",
	  "diff --git a/postgresql.conf b/postgresql.conf\n--- a/postgresql.conf\n+++ b/postgresql.conf\n@@ -1,2 +1,2 @@\n-shared_buffers = 128MB\n+shared_buffers = 8GB\n work_mem = 4MB\n" },
};

int main(void)
{
	size_t i, n;

	/* SQL: keywords in any case, types and functions, numbers, strings, comments */
	CHECK_HL("sql", "select count(*) FROM t WHERE a > 1.5 -- x",
		 "[k:select] [t:count](*) [k:FROM] t [k:WHERE] a &gt; [n:1.5] [c:-- x]");
	CHECK_HL("sql", "SELECT 'it''s' AS x;", "[k:SELECT] [s:&#39;it&#39;&#39;s&#39;] [k:AS] x;");
	CHECK_HL("sql", "AS $$ BEGIN 'a' $$;", "[k:AS] [s:$$ BEGIN &#39;a&#39; $$];");
	CHECK_HL("sql", "$fn$ x $$ y $fn$ $1", "[s:$fn$ x $$ y $fn$] [v:$1]");
	CHECK_HL("sql", "/* a\nb */ select", "[c:/* a\nb */] [k:select]");
	CHECK_HL("postgresql", "VACUUM (VERBOSE) t;", "[k:VACUUM] ([k:VERBOSE]) t;");
	CHECK_HL("sql", "SELECT t.select_count, \"select\" FROM t_1",
		 "[k:SELECT] t.select_count, [s:&quot;select&quot;] [k:FROM] t_1");
	/* a word that runs on in letters past ASCII is not a keyword */
	CHECK_HL("sql", "select表 from", "select表 [k:from]");

	/* shell: variables, comments only at a word's start, options are words */
	CHECK_HL("bash", "echo \"$HOME\" ${PGDATA} $1 # note",
		 "[t:echo] [s:&quot;$HOME&quot;] [v:${PGDATA}] [v:$1] [c:# note]");
	CHECK_HL("sh", "curl a#b --if-none", "curl a#b --if-none");
	/* an unclosed ${ is plain, and so is one after it on its line; the next line's is looked at */
	CHECK_HL("bash", "${a ${b $c\n${d}", "${a ${b [v:$c]\n[v:${d}]");
	CHECK_HL("shell", "if [ -f x ]; then exit 1; fi", "[k:if] [ -f x ]; [k:then] [t:exit] [n:1]; [k:fi]");

	/* YAML: keys, values, comments; a URL's colon is not a key */
	CHECK_HL("yaml", "max-connections: 100 # c\nurl: http://a:1/\nok: true",
		 "[a:max-connections]: [n:100] [c:# c]\n[a:url]: http://a:[n:1]/\n[a:ok]: [k:true]");
	CHECK_HL("yml", "- name: 'x'\n  on: [push]", "- [a:name]: [s:&#39;x&#39;]\n  [a:on]: [push]");

	/* JSON: keys are the strings before a colon */
	CHECK_HL(
		"json", "{\"a\":1,\"b\": \"c\", \"d\": [true, null]}",
		"{[a:&quot;a&quot;]:[n:1],[a:&quot;b&quot;]: [s:&quot;c&quot;], [a:&quot;d&quot;]: [[k:true], [k:null]]}");

	/* C: the preprocessor's lines, types, comments, char and hex */
	CHECK_HL(
		"c", "#define N 8\nstatic size_t n = 0x1f; /* x */ char c = 'a';",
		"[p:#define N 8]\n[k:static] [t:size_t] n = [n:0x1f]; [c:/* x */] [t:char] c = [s:&#39;a&#39;];");
	CHECK_HL("c", "a = b # c", "a = b # c");

	/* Python: decorators, triple quotes, comments */
	CHECK_HL(
		"python", "@app.get\ndef f(self): return \"\"\"a\n'b'\"\"\" # c",
		"[p:@app.get]\n[k:def] f([t:self]): [k:return] [s:&quot;&quot;&quot;a\n&#39;b&#39;&quot;&quot;&quot;] [c:# c]");

	/* Go: raw strings over lines */
	CHECK_HL("go", "func f() { s := `a\n\"b\"`; return nil }",
		 "[k:func] f() { s := [s:`a\n&quot;b&quot;`]; [k:return] [k:nil] }");

	/* Java: annotations, types */
	CHECK_HL("java", "@Test public void t() { String s = null; }",
		 "[p:@Test] [k:public] [k:void] t() { [t:String] s = [k:null]; }");

	/* diff: a line at a time */
	CHECK_HL("diff", "--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n z",
		 "[h:--- a]\n[h:+++ b]\n[h:@@ -1 +1 @@]\n[d:-x]\n[i:+y]\n z");

	/* languages: names, aliases, case, the info string's first word; others refused */
	CHECK_STR(highlight_language("SQL"), "sql");
	CHECK_STR(highlight_language("psql title=\"x\""), "sql");
	CHECK_STR(highlight_language("console"), "shell");
	CHECK_STR(highlight_language("py"), "python");
	CHECK(highlight_language("ini") == NULL);
	CHECK(highlight_language("") == NULL);
	CHECK(highlight_language("sqlx") == NULL);
	{
		struct buf b;
		buf_init(&b);
		CHECK_INT(highlight_code(&b, "brainfuck", "+", 1), -1);
		CHECK_INT(b.len, 0);
		buf_release(&b);
	}

	/* every real snippet and each of its prefixes reads back whole */
	for (i = 0; i < sizeof(S_snippets) / sizeof(S_snippets[0]); i++) {
		const char *code = S_snippets[i][1];
		size_t len = strlen(code);
		int all = 1;
		for (n = 0; n <= len; n++)
			all &= S_round_trip(S_snippets[i][0], code, n);
		CHECK(all);
		{
			char *s = S_short(S_snippets[i][0], code);
			CHECK(s && strstr(s, "[")); /* something was classed */
			free(s);
		}
	}
	/* the real snippets' telling tokens */
	{
		char *s = S_short("sql", S_snippets[0][1]);
		CHECK(strstr(s, "[c:-- 找出膨胀最严重的表]") &&
		      strstr(s, "[k:ORDER] [k:BY] [n:2] [k:DESC] [k:LIMIT] [n:10]") && strstr(s, "[n:1e4]"));
		free(s);
		s = S_short("sql", S_snippets[1][1]);
		CHECK(strstr(s, "[k:RETURNS] [t:trigger]") == NULL && strstr(s, "[s:$$\nBEGIN"));
		free(s);
		s = S_short("bash", S_snippets[3][1]);
		CHECK(strstr(s, "[c:#!/bin/sh]") && strstr(s, "[v:$?]") &&
		      strstr(s, "[s:&quot;$BACKUP_DIR/$(date +%F)&quot;]"));
		free(s);
		s = S_short("yaml", S_snippets[4][1]);
		CHECK(strstr(s, "[a:use_pg_rewind]: [k:true] [c:# 切换后回收旧主]") &&
		      strstr(s, "[a:url]: http://x:[n:8008]/a"));
		free(s);
		s = S_short("c", S_snippets[6][1]);
		CHECK(strstr(s, "[p:#include &lt;libpq-fe.h&gt;]") && strstr(s, "[t:PGconn] *conn") &&
		      strstr(s, "[n:0x1F]"));
		free(s);
		s = S_short("python", S_snippets[7][1]);
		CHECK(strstr(s, "[p:@retry]") && strstr(s, "[k:with] conn.cursor() [k:as] cur:  [c:# 只读]"));
		free(s);
		s = S_short("diff", S_snippets[10][1]);
		CHECK(strstr(s, "[d:-shared_buffers = 128MB]\n[i:+shared_buffers = 8GB]\n work_mem"));
		free(s);
	}

	/* a body's blocks: highlighted, plain (unknown and indented), each focusable */
	{
		static const char md[] = "```sql\nselect 1;\n```\n\n```ini\n[a] <b>\n```\n\n    indented\n";
		cmark_node *doc = cmark_parse_document(md, sizeof(md) - 1, 0);
		char *html;
		highlight_blocks(doc, cmark_get_default_mem_allocator());
		html = cmark_render_html(doc, 0, NULL);
		CHECK_STR(
			html,
			"<pre tabindex=\"0\"><code class=\"language-sql\"><span class=\"hl-k\">select</span> "
			"<span class=\"hl-n\">1</span>;\n</code></pre>\n"
			"<pre tabindex=\"0\"><code class=\"language-ini\">[a] &lt;b&gt;\n</code></pre>\n"
			"<pre tabindex=\"0\"><code>indented\n</code></pre>\n");
		free(html);
		cmark_node_free(doc);
	}
	return CHECK_DONE("test_highlight");
}
