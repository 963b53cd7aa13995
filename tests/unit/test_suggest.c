/*
 * test_suggest: the "did you mean" rules. The distance (optimal string
 * alignment over case-folded code points), the bound that grows with the
 * name, matches by case and punctuation, a person's name for their id, the
 * choice between equally near candidates, and the run's budget.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "suggest.h"
#include "util.h"

static void S_distance(void)
{
	char a[700], b[700];
	int i;

	CHECK_INT(suggest_distance("", ""), 0);
	CHECK_INT(suggest_distance("talk", "talk"), 0);
	CHECK_INT(suggest_distance("", "abc"), 3);
	CHECK_INT(suggest_distance("kitten", "sitting"), 3);
	CHECK_INT(suggest_distance("tlak", "talk"), 1); /* a transposition is one edit */
	CHECK_INT(suggest_distance("vidoe", "video"), 1);
	CHECK_INT(suggest_distance("ca", "abc"),
		  3); /* optimal string alignment: no edit of a transposed pair */
	CHECK_INT(suggest_distance("paginte", "paginate"), 1);
	CHECK_INT(suggest_distance("Zhang-Wei", "zhang-wei"), 0); /* letter case never counts */
	CHECK_INT(suggest_distance("zhang_wei", "zhang-wei"), 1); /* punctuation does, in the distance */
	/* code points, not bytes: 威 and 伟 are 3 bytes each, one edit apart */
	CHECK_INT(suggest_distance("张威", "张伟"), 1);
	CHECK_INT(suggest_distance("张伟", "伟张"), 1);
	/* NFKC: a composed and a decomposed é, a fullwidth and an ASCII letter are the same */
	CHECK_INT(suggest_distance("caf\xc3\xa9", "cafe\xcc\x81"), 0);
	CHECK_INT(suggest_distance("\xef\xbd\x91", "q"), 0);
	CHECK_INT(suggest_distance("STRASSE", "stra\xc3\x9f"
					      "e"),
		  0); /* full case folding */
	/* past SUGGEST_MAX_LEN code points names are not compared */
	memset(a, 'x', 200);
	memcpy(b, a, 200);
	a[200] = b[200] = '\0';
	b[150] = 'y';
	CHECK_INT(suggest_distance(a, b), 0);
	b[10] = 'y';
	CHECK_INT(suggest_distance(a, b), 1);
	/* a long name is cut before a whole character, never inside one */
	for (i = 0; i < 200; i++)
		memcpy(a + 3 * i, "\xe5\xbc\xa0", 3);
	a[600] = '\0';
	memcpy(b, a, 3 * SUGGEST_MAX_LEN);
	b[3 * SUGGEST_MAX_LEN] = '\0';
	CHECK_INT(suggest_distance(a, b), 0);
	b[3 * SUGGEST_MAX_LEN - 3] = '\0';
	CHECK_INT(suggest_distance(a, b), 1);
	/* bytes that are not UTF-8 are compared as bytes */
	CHECK_INT(suggest_distance("a\xff", "a\xfe"), 1);
}

static const char *S_best(const char *typo, const char *const *names)
{
	return suggest_list(typo, names);
}

static void S_rules(void)
{
	static const char *const fields[] = { "title", "date",     "speakers", "event", "slides",
					      "video", "duration", "level",    "tags",  "summary",
					      "slug",  "draft",    NULL };
	static const char *const keys[] = {
		"title", "description",  "base_url", "languages", "timezone",     "repo",   "taxonomies",
		"types", "contributors", "markdown", "paginate",  "translations", "limits", NULL
	};
	static const char *const langs[] = { "zh", "en", NULL };
	static const char *const langs_rev[] = { "en", "zh", NULL };
	static const char *const types[] = { "talk", "faq", "doc", "case", "event", "person", NULL };
	static const char *const kinds[] = { "", "meetup", "tea", "online-qa", "training", NULL };
	struct buf b = BUF_INIT;

	CHECK_STR(S_best("vidoe", fields), "video");
	CHECK_STR(S_best("speaker", fields), "speakers");
	CHECK_STR(S_best("Title", fields), "title");
	CHECK_STR(S_best("paginte", keys), "paginate");
	CHECK_STR(S_best("base-url", keys), "base_url"); /* punctuation ignored */
	CHECK_STR(S_best("BaseURL", keys), "base_url");
	CHECK_STR(S_best("tlak", types), "talk");
	CHECK_STR(S_best("Online_QA", kinds), "online-qa");
	CHECK_STR(S_best("onlineqa", kinds), "online-qa");
	CHECK(S_best("party", kinds) == NULL);
	CHECK(S_best("colour", fields) == NULL);
	CHECK(S_best("", fields) == NULL);
	CHECK(S_best("x", langs) == NULL); /* one letter: only a case or punctuation match */
	CHECK_STR(S_best("ZH", langs), "zh");
	/* equally near: the smaller name, whatever the order */
	CHECK_STR(S_best("zn", langs), "en");
	CHECK_STR(S_best("zn", langs_rev), "en");
	/* the name itself is never suggested */
	CHECK(S_best("talk", types) == NULL);

	/* the bound grows with the length: 12 letters may be 3 edits away, not 4; 16 letters 4, not 5 */
	{
		static const char *const one[] = { "abcdefghijkl", NULL }, *const two[] = {
			"abcdefghijklmnop", NULL
		};
		CHECK_STR(S_best("axcdefgxijkx", one), "abcdefghijkl");
		CHECK(S_best("axcdxfgxijkx", one) == NULL);
		CHECK_STR(S_best("axcdxfghixklmnox", two), "abcdefghijklmnop");
		CHECK(S_best("axcdxfghixkxmnox", two) == NULL);
		/* edits are at most half of the part that differs: three in a row are a different word */
		CHECK(S_best("abcdefghixyz", one) == NULL);
		CHECK_STR(S_best("speakr", (const char *const[]){ "speakers", NULL }), "speakers");
		CHECK(S_best("/assets/nope.png", (const char *const[]){ "/assets/logo.png", NULL }) == NULL);
		CHECK_STR(S_best("/assets/loga.png", (const char *const[]){ "/assets/logo.png", NULL }),
			  "/assets/logo.png");
		CHECK_STR(S_best("abcdefghijklmnopqrstuvwx",
				 (const char *const[]){ "abcdefghijklmnopqrstuvwq", NULL }),
			  "abcdefghijklmnopqrstuvwq");
	}
	/* 2 edits on 6 letters, not 3; 1 on 5 letters, not 2; 2 on 11 letters, not 3 */
	CHECK_STR(S_best("axcdey", (const char *const[]){ "abcdef", NULL }), "abcdef");
	CHECK(S_best("abcxyz", (const char *const[]){ "abcdef", NULL }) == NULL);
	CHECK_STR(S_best("abcdx", (const char *const[]){ "abcde", NULL }), "abcde");
	CHECK(S_best("abcxy", (const char *const[]){ "abcde", NULL }) == NULL);
	CHECK(S_best("/nope/atom.xml", (const char *const[]){ "/docs/atom.xml", NULL }) == NULL);
	CHECK_STR(S_best("/faq/q/atom.xml", (const char *const[]){ "/faq/atom.xml", NULL }), "/faq/atom.xml");

	CHECK_STR(suggest_hint(&b, "zhang-wei"), "; did you mean 'zhang-wei'?");
	CHECK_STR(suggest_hint(&b, NULL), "");
	buf_release(&b);
}

/* A person's name stands for their id; the id itself too, in any case and punctuation. */
static void S_aliases(void)
{
	struct suggest s = SUGGEST_INIT;

	suggest_add(&s, "zhang-wei", "zhang-wei");
	suggest_add(&s, "张伟", "zhang-wei");
	suggest_add(&s, "Zhang Wei", "zhang-wei");
	suggest_add(&s, "li-lei", "li-lei");
	suggest_add(&s, "李雷", "li-lei");
	suggest_add(&s, "", "empty");
	CHECK_STR(suggest_best(&s, "张伟"), "zhang-wei");
	CHECK_STR(suggest_best(&s, "李雷"), "li-lei");
	CHECK_STR(suggest_best(&s, "李蕾"), "li-lei");
	CHECK_STR(suggest_best(&s, "zhang-wie"), "zhang-wei");
	CHECK_STR(suggest_best(&s, "Zhang_Wei"), "zhang-wei");
	CHECK_STR(suggest_best(&s, "zhangwei"), "zhang-wei");
	CHECK_STR(suggest_best(&s, "LI LEI"), "li-lei");
	CHECK(suggest_best(&s, "wang-fang") == NULL);
	CHECK(suggest_best(&s, "王芳") == NULL);
	CHECK(suggest_best(&s, "") == NULL);
	suggest_release(&s);
	CHECK(suggest_best(&s, "zhang-wei") == NULL); /* released: empty */
}

/* Many candidates, many questions: each answer is the near one, the same in any order. */
static void S_many(void)
{
	struct suggest s = SUGGEST_INIT, r = SUGGEST_INIT;
	char(*ids)[16] = xmalloc(10000 * sizeof(*ids));
	char typo[32];
	int i, wrong = 0, wrong_r = 0;

	for (i = 0; i < 10000; i++)
		snprintf(ids[i], sizeof(ids[i]), "speaker-%05d", i * 7919 % 10000);
	for (i = 0; i < 10000; i++)
		suggest_add(&s, ids[i], ids[i]);
	for (i = 9999; i >= 0; i--)
		suggest_add(&r, ids[i], ids[i]);
	for (i = 0; i < 1000; i++) {
		const char *want = ids[i * 10];
		const char *got, *got_r;
		/* another case, no hyphen, the first two letters swapped: one edit from one id, two from any other */
		snprintf(typo, sizeof typo, "PSEAKER%s", want + 8);
		got = suggest_best(&s, typo);
		got_r = suggest_best(&r, typo);
		wrong += !got || strcmp(got, want) != 0;
		wrong_r += !got_r || !got || strcmp(got_r, got) != 0;
	}
	CHECK_INT(wrong, 0);
	CHECK_INT(wrong_r, 0);
	/* one digit off: ten ids are as near; the smallest wins */
	CHECK_STR(suggest_best(&s, "speaker-0000x"), "speaker-00000");
	suggest_release(&s);
	suggest_release(&r);
	free(ids);
}

/* Once the run's budget is spent, no more suggestions (and no more work). */
static void S_budget(void)
{
	static const char *const types[] = { "talk", "faq", NULL };
	size_t old = suggest_set_budget(0);
	CHECK(suggest_list("tlak", types) == NULL);
	suggest_set_budget(3);
	CHECK(suggest_list("tlak", types) == NULL); /* 2 added, then 1 is not enough */
	suggest_set_budget(old);
	CHECK_STR(suggest_list("tlak", types), "talk");
}

int main(void)
{
	S_distance();
	S_rules();
	S_aliases();
	S_many();
	S_budget();
	return CHECK_DONE("test_suggest");
}
