/*
 * test_plan: the plan of outputs on a small two-language site with git
 * history, events, a taxonomy and a second list page: the reserved names
 * are exactly the names its outputs take at the top of each language's
 * folder; each language's prefix; URLs made from files; the order of the
 * slices (pages, listings, history pages, search pages, 404.html; feeds,
 * calendars, sitemap, robots.txt; assets); one output per file; what each
 * kind is made from; the templates' kind names. A site without events or
 * history plans no calendar and no /contributors/. Links reach the plan's
 * outputs, and no feed or calendar it does not write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config.h"
#include "contributors.h"
#include "diag.h"
#include "history.h"
#include "insights.h"
#include "l10n.h"
#include "links.h"
#include "lists.h"
#include "media.h"
#include "model.h"
#include "parse.h"
#include "plan.h"
#include "source.h"
#include "theme.h"
#include "types.h"
#include "util.h"
#include "scratch.h"

/* A site read, linked, given its history and planned, as the build does. */
struct built {
	struct source src;
	struct config cfg;
	struct theme theme;
	struct site site;
	struct lists lists;
	struct plan plan;
};

static int S_build(struct built *b, const char *dir)
{
	struct history *h = NULL;
	git_repository *repo = NULL;
	const struct source_file *y;
	size_t i;
	int rc = -1;

	memset(b, 0, sizeof(*b));
	if (source_open(&b->src, scratch_at(dir), NULL, NULL, &repo))
		return -1;
	y = source_find(&b->src, "site.yaml");
	if (config_load(&b->cfg, "site.yaml", y ? y->data : NULL, y ? y->len : 0) ||
	    types_load(&b->site.types, &b->cfg) || theme_load(&b->theme, &b->src, &b->cfg))
		return -1;
	b->site.cfg = &b->cfg;
	b->site.src = &b->src;
	b->site.now = 1700000000;
	if (model_collect(&b->site))
		return -1;
	for (i = 0; i < b->site.npages; i++)
		parse_page(&b->site.pages[i], &b->cfg);
	if (model_link(&b->site))
		return -1;
	/* as site_load's SITE_MODEL stage, and the build after it */
	history_open(&h, &b->src, &repo, 1);
	rc = contributors_config(&b->site);
	history_apply(h, &b->site);
	contributors_apply(&b->site, h);
	insights_build(&b->site, h);
	history_free(h);
	source_repo_free(repo);
	l10n_status(&b->site);
	lists_build(&b->lists, &b->site);
	plan_build(&b->plan, &b->site, &b->lists, &b->theme);
	return rc;
}

static void S_release(struct built *b)
{
	plan_release(&b->plan);
	lists_release(&b->lists);
	model_release(&b->site);
	theme_release(&b->theme);
	config_release(&b->cfg);
	source_release(&b->src);
	diag_reset();
}

/* The output at out_path, or NULL. */
static const struct plan_output *S_at(const struct plan *p, const char *out_path)
{
	size_t i;
	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].out_path, out_path) == 0)
			return &p->v[i];
	return NULL;
}

/* The URL of the output at out_path, or NULL. */
static const char *S_href(const struct plan *p, const char *out_path)
{
	const struct plan_output *o = S_at(p, out_path);
	return o ? o->href : NULL;
}

/* The kind of the output at out_path, or PLAN_KINDS. */
static enum plan_kind S_kind(const struct plan *p, const char *out_path)
{
	const struct plan_output *o = S_at(p, out_path);
	return o ? o->kind : PLAN_KINDS;
}

static int S_str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_names(void)
{
	size_t k, j;
	/* every kind has a name the templates can use as a flag, each its own */
	for (k = 0; k < PLAN_KINDS; k++) {
		CHECK(plan_kinds[k].name != NULL && plan_kinds[k].name[0] != '\0');
		for (j = 0; j < k; j++)
			CHECK(strcmp(plan_kinds[j].name, plan_kinds[k].name) != 0);
	}
	/* what the default theme's layouts test: {{#home}}, {{kind}} */
	CHECK_STR(plan_kinds[PLAN_PAGE].name, "page");
	CHECK_STR(plan_kinds[PLAN_HOME].name, "home");
	CHECK_STR(plan_kinds[PLAN_LIST].name, "list");
	CHECK_STR(plan_kinds[PLAN_YEAR].name, "year");
	CHECK_STR(plan_kinds[PLAN_TAXONOMY].name, "taxonomy");
	CHECK_STR(plan_kinds[PLAN_TERM].name, "term");
	CHECK_STR(plan_kinds[PLAN_CONTRIBUTORS].name, "contributors");
	CHECK_STR(plan_kinds[PLAN_L10N].name, "l10n");
	CHECK_STR(plan_kinds[PLAN_SEARCH].name, "search");
	CHECK_STR(plan_kinds[PLAN_NOTFOUND].name, "notfound");

	/* the reserved names, in any letter case, and only those */
	CHECK(plan_reserved("search", 6) == &plan_kinds[PLAN_SEARCH]);
	CHECK(plan_reserved("Sitemap.XML", 11) == &plan_kinds[PLAN_SITEMAP]);
	CHECK(plan_reserved("atom.xml", 8) == &plan_kinds[PLAN_FEED_SITE]);
	CHECK(plan_reserved("events.ics", 10) == &plan_kinds[PLAN_CALENDAR]);
	CHECK(plan_reserved("assets", 6) == &plan_kinds[PLAN_ASSET]);
	CHECK(plan_reserved("searchx", 6) == &plan_kinds[PLAN_SEARCH]); /* n bytes only */
	CHECK(plan_reserved("search", 5) == NULL);
	CHECK(plan_reserved("talks", 5) == NULL);
	CHECK(plan_reserved("feed.xml", 8) == NULL); /* nothing writes it */
	CHECK(plan_reserved("", 0) == NULL);
	CHECK(plan_reserved("_jixia", 6) != NULL); /* jixia serve's events and script */
	CHECK(plan_reserved("_JIXIA", 6) != NULL);
}

static void test_portal_like(void)
{
	struct built b;
	const struct plan *p;
	const struct plan_output *o;
	const char **paths;
	unsigned char produced[PLAN_KINDS];
	size_t i, k, nl;

	CHECK(scratch_sh("mkdir -p s/content/events s/content/faq s/content/people s/assets && cd s && "
			 "git init -q -b main && "
			 "printf 'title: T\\nbase_url: https://example.org/sub/\\npaginate: 1\\n"
			 "taxonomies: [tags]\\nlanguages:\\n  - {code: zh, name: Z, default: true}\\n"
			 "  - {code: en, name: E}\\n' > site.yaml && "
			 "printf -- '---\\ntitle: M\\ndate: 2024-05-18\\nkind: meetup\\n"
			 "tags: [vacuum]\\n---\\nx\\n' > content/events/meetup.md && "
			 "cp content/events/meetup.md content/events/meetup.en.md && "
			 "printf -- '---\\ntitle: Q1\\ntags: [vacuum]\\n---\\nx\\n' > content/faq/q1.md && "
			 "printf -- '---\\ntitle: Q2\\n---\\nx\\n' > content/faq/q2.md && "
			 "printf -- '---\\nname: Ann\\n---\\nx\\n' > content/people/ann.md && "
			 "printf -- '---\\ntitle: About\\n---\\nx\\n' > content/about.md && "
			 "printf 'body{}\\n' > assets/extra.css && "
			 "git add -A && GIT_AUTHOR_NAME=Ann GIT_AUTHOR_EMAIL=ann@example.org "
			 "git commit -q -m one") == 0);
	CHECK(S_build(&b, "s") == 0);
	p = &b.plan;
	nl = b.cfg.nlangs;

	/* the prefix: "" for the default language, the code and '/' for the others */
	CHECK_STR(b.cfg.langs[0].prefix, "");
	CHECK_STR(b.cfg.langs[1].prefix, "en/");

	/* the slices cover the plan, in order */
	CHECK_INT(p->html.first, 0);
	CHECK_INT(p->feeds.first, p->html.n);
	CHECK_INT(p->images.first, p->html.n + p->feeds.n);
	CHECK_INT(p->assets.first, p->images.first + p->images.n);
	CHECK_INT(p->n, p->html.n + p->feeds.n + p->images.n + p->assets.n);
	/* the pictures: each language's poster of the one year, no cards (social_cards is off) */
	CHECK_INT(p->images.n, nl);
	CHECK(p->cards == NULL);
	for (i = 0; i < p->images.n; i++) {
		const struct plan_output *o = &p->v[p->images.first + i];
		CHECK(o->kind == PLAN_POSTER_YEAR && o->lang == i && o->year == 0);
		CHECK(str_ends(o->out_path, "/poster.png"));
		CHECK(p->year_posters && p->year_posters[i].href == o->href);
		CHECK(p->year_posters && p->year_posters[i].width == 1080 &&
		      p->year_posters[i].height == 1350);
	}
	/* one commit: one year in review per language */
	CHECK(b.site.insights && b.site.insights->nyears == 1);
	CHECK_INT(p->html.n, b.site.npages + b.lists.n + 7 * nl);

	/* pages in the model's order, then listings in the lists' order */
	for (i = 0; i < b.site.npages; i++) {
		CHECK(p->v[i].kind == PLAN_PAGE && p->v[i].page == &b.site.pages[i]);
		CHECK(p->v[i].href == b.site.pages[i].href);
	}
	for (i = 0; i < b.lists.n; i++)
		CHECK(p->v[b.site.npages + i].list == &b.lists.v[i]);
	/* then each language's contributors, l10n, help wanted, search page, insights, year pages, then 404.html */
	i = b.site.npages + b.lists.n;
	for (k = 0; k < 7 * nl; k++) {
		static const enum plan_kind order[] = {
			PLAN_CONTRIBUTORS,      PLAN_L10N,    PLAN_HELP, PLAN_SEARCH, PLAN_INSIGHTS,
			PLAN_CONTRIBUTORS_YEAR, PLAN_NOTFOUND
		};
		CHECK(p->v[i + k].kind == order[k / nl]);
		CHECK_INT(p->v[i + k].lang, k % nl);
	}
	CHECK(p->v[p->html.n - 1].kind == PLAN_NOTFOUND);
	CHECK(p->v[p->feeds.first].kind == PLAN_FEED_SITE);
	CHECK(p->v[p->images.first - 2].kind == PLAN_SITEMAP);
	CHECK(p->v[p->images.first - 1].kind == PLAN_ROBOTS);
	for (i = 0; i < p->assets.n; i++)
		CHECK(p->v[p->assets.first + i].kind == PLAN_ASSET);

	/* files and URLs */
	CHECK_STR(S_href(p, "en/search/index.html"), "/sub/en/search/");
	CHECK_STR(S_href(p, "contributors/index.html"), "/sub/contributors/");
	CHECK_STR(S_href(p, "en/l10n/index.html"), "/sub/en/l10n/");
	CHECK_STR(S_href(p, "404.html"), "/sub/404.html");
	CHECK_STR(S_href(p, "en/404.html"), "/sub/en/404.html");
	CHECK(plan_lang(p, PLAN_NOTFOUND, 1) &&
	      strcmp(plan_lang(p, PLAN_NOTFOUND, 1)->out_path, "en/404.html") == 0);
	CHECK_STR(S_href(p, "en/insights/index.html"), "/sub/en/insights/");
	CHECK(S_kind(p, "insights/data.csv") == PLAN_INSIGHTS_CSV);
	CHECK(S_kind(p, "insights/data.json") == PLAN_INSIGHTS_JSON);
	CHECK(S_at(p, "en/insights/data.csv") == NULL); /* the numbers are the same in every language */
	CHECK_STR(S_href(p, "en/atom.xml"), "/sub/en/atom.xml");
	CHECK_STR(S_href(p, "en/events.ics"), "/sub/en/events.ics");
	CHECK_STR(S_href(p, "faq/atom.xml"), "/sub/faq/atom.xml");
	CHECK_STR(S_href(p, "en/tags/vacuum/atom.xml"), "/sub/en/tags/vacuum/atom.xml");
	CHECK_STR(S_href(p, "en/events/meetup.ics"), "/sub/en/events/meetup.ics");
	CHECK_STR(S_href(p, "assets/extra.css"), "/sub/assets/extra.css");
	CHECK(S_kind(p, "faq/page/2/index.html") == PLAN_LIST);
	CHECK(S_kind(p, "events/2024/index.html") == PLAN_YEAR);
	CHECK(S_at(p, "faq/page/2/atom.xml") == NULL); /* a feed beside page 1 only */

	/* one language's one output of a kind */
	CHECK_STR(plan_lang(p, PLAN_HOME, 1)->href, "/sub/en/");
	CHECK_STR(plan_lang(p, PLAN_HOME, 0)->href, "/sub/");
	CHECK(plan_lang(p, PLAN_CALENDAR, 1) == S_at(p, "en/events.ics"));
	CHECK(plan_lang(p, PLAN_CONTRIBUTORS, 0) == S_at(p, "contributors/index.html"));
	CHECK(plan_lang(p, PLAN_PAGE, 0) == NULL);
	CHECK(plan_lang(p, PLAN_HOME, nl) == NULL);

	memset(produced, 0, sizeof(produced));
	paths = xmalloc(p->n * sizeof(*paths));
	for (i = 0; i < p->n; i++) {
		const char *prefix = b.cfg.langs[(o = &p->v[i])->lang].prefix, *rel = o->out_path;
		const char *top = plan_kinds[o->kind].top;
		int dir = str_ends(o->out_path, "/index.html") || strcmp(o->out_path, "index.html") == 0;
		size_t cut = strlen(o->out_path) - (dir ? strlen("index.html") : 0);
		paths[i] = o->out_path;
		/* a URL is its file under the base path, without index.html */
		CHECK(strncmp(o->href, "/sub/", 5) == 0 && strlen(o->href + 5) == cut &&
		      strncmp(o->href + 5, o->out_path, cut) == 0);
		/* every output of a language lives under its prefix */
		CHECK(str_starts(rel, prefix));
		rel += strlen(prefix);
		/* a kind with a top name writes there, and only those kinds write at a reserved name */
		if (top && o->kind != PLAN_HOME) {
			CHECK(str_ends(top, "/") ? str_starts(rel, top) : strcmp(rel, top) == 0);
			produced[o->kind] = 1;
		} else if (o->kind == PLAN_CONTRIBUTORS_YEAR || o->kind == PLAN_POSTER_YEAR) {
			/* a year in review and its poster live in its language's contributors/ folder */
			CHECK(str_starts(rel, plan_kinds[PLAN_CONTRIBUTORS].top));
		} else if (o->kind == PLAN_INSIGHTS_CSV || o->kind == PLAN_INSIGHTS_JSON) {
			/* the numbers beside /insights/, once, in the default language's folder */
			CHECK(str_starts(rel, plan_kinds[PLAN_INSIGHTS].top));
		} else if (o->kind != PLAN_HOME) {
			CHECK(plan_reserved(rel, strcspn(rel, "/")) == NULL);
		} else {
			CHECK_STR(rel, plan_kinds[PLAN_HOME].top);
			produced[o->kind] = 1;
		}
		/* what it is made from */
		CHECK((o->page != NULL) == (o->kind == PLAN_PAGE || o->kind == PLAN_EVENT));
		CHECK((o->list != NULL) ==
		      ((o->kind >= PLAN_HOME && o->kind <= PLAN_TERM) || o->kind == PLAN_FEED_TYPE));
		CHECK((o->type != NULL) == (o->kind == PLAN_FEED_TYPE));
		CHECK((o->term != NULL) == (o->kind == PLAN_FEED_TERM));
		CHECK((o->asset != NULL) == (o->kind == PLAN_ASSET));
	}
	/* every reserved name is one this site's outputs take */
	for (k = 0; k < PLAN_KINDS; k++)
		if (plan_kinds[k].top && !produced[k])
			fprintf(stderr, "no output at %s\n", plan_kinds[k].top);
	for (k = 0; k < PLAN_KINDS; k++)
		CHECK(!plan_kinds[k].top || produced[k]);
	/* one output per file */
	qsort(paths, p->n, sizeof(*paths), S_str_cmp);
	for (i = 1; i < p->n; i++)
		CHECK(strcmp(paths[i - 1], paths[i]) != 0);
	free(paths);
	S_release(&b);
}

/* No events, no history (no repository): no calendar, no /contributors/, no /l10n/. */
static void test_plain(void)
{
	struct built b;
	size_t i;

	CHECK(scratch_sh("mkdir -p p/content/faq && cd p && printf 'title: T\\n' > site.yaml && "
			 "printf -- '---\\ntitle: Q\\n---\\nx\\n' > content/faq/q.md") == 0);
	CHECK(S_build(&b, "p") == 0);
	CHECK(plan_lang(&b.plan, PLAN_CALENDAR, 0) == NULL);
	CHECK(plan_lang(&b.plan, PLAN_CONTRIBUTORS, 0) == NULL);
	CHECK(plan_lang(&b.plan, PLAN_L10N, 0) == NULL);
	CHECK_STR(plan_lang(&b.plan, PLAN_SEARCH, 0)->out_path, "search/index.html");
	CHECK_STR(plan_lang(&b.plan, PLAN_HELP, 0)->out_path, "help-wanted/index.html");
	CHECK_STR(plan_lang(&b.plan, PLAN_HOME, 0)->href, "/");
	CHECK_INT(b.plan.html.n, b.site.npages + b.lists.n + 1 + 1 + 1);
	for (i = 0; i < b.plan.n; i++)
		CHECK(b.plan.v[i].kind != PLAN_EVENT && b.plan.v[i].kind != PLAN_CALENDAR);
	S_release(&b);
}

/*
 * Links reach every output of the plan (and the names jixia keeps in every
 * language), but no file beside a page that the plan does not write.
 */
static void test_links(void)
{
	struct built b;
	struct media m;
	int errors;

	CHECK(scratch_sh("mkdir -p l/content/events l/content/faq && cd l && "
			 "printf 'title: T\\npaginate: 1\\ntaxonomies: [tags]\\nlanguages:\\n"
			 "  - {code: zh, name: Z}\\n  - {code: en, name: E}\\n' > site.yaml && "
			 "printf -- '---\\ntitle: M\\ndate: 2024-05-18\\nkind: meetup\\n---\\nx\\n' "
			 "> content/events/meetup.md && "
			 "printf -- '---\\ntitle: R\\n---\\nx\\n' > content/faq/r.md && "
			 "printf -- '---\\ntitle: Q\\ntags: [vacuum]\\n---\\n"
			 "[a](/faq/atom.xml) [b](/en/events.ics) [c](/events/meetup.ics) "
			 "[d](/tags/vacuum/atom.xml) [e](/atom.xml) [f](/en/atom.xml) [g](/en/search/) "
			 "[h](/404.html) [i](/sitemap.xml) [j](/en/contributors/)\\n' > content/faq/q.md && "
			 /* a list's second page, a year, a page that is no event, a folder jixia
			  * writes: none has a feed or a calendar */
			 "printf -- '---\\ntitle: B\\n---\\n[w](/faq/page/2/atom.xml) "
			 "[x](/events/2024/atom.xml) [y](/faq/q.ics) [z](/search.ics)\\n' "
			 "> content/b.md") == 0);
	CHECK(S_build(&b, "l") == 0);
	errors = diag_errors();
	CHECK(media_plan(&m, &b.site, &b.plan) == 0);
	CHECK(links_check(&b.site, &b.plan, &m) == -1);
	/* the four links of content/b.md, and nothing else */
	CHECK_INT(diag_errors() - errors, 4);
	media_release(&m);
	S_release(&b);
}

int main(void)
{
	if (scratch_make("plan"))
		return 1;
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_COMMITTER_NAME", "Committer", 1);
	setenv("GIT_COMMITTER_EMAIL", "committer@example.org", 1);
	parse_init();
	test_names();
	test_portal_like();
	test_plain();
	test_links();
	scratch_sh("cd / && rm -rf '%s'", scratch_dir);
	return CHECK_DONE("test_plan");
}
