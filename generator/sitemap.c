/*
 * sitemap: sitemap.xml with hreflang alternates (a sitemap index over
 * files of at most 50,000 URLs or 50 MiB when the site is larger) and
 * robots.txt. The sitemap lists the plan's HTML outputs whose kind is
 * listed (plan_kinds[].sitemap), in plan order: every page (an expired
 * item's is left out: it stays for old links only), then every
 * listing, then the history stage's pages; each URL names its versions in
 * the other languages.
 */
#include "sitemap.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "ids.h"
#include "lists.h"
#include "personyear.h"
#include "types.h"
#include "util.h"

#define SITEMAP_URLS 50000 /* the sitemaps.org limits of one file */
#define SITEMAP_BYTES 52428800

static void S_xml(struct buf *b, const char *s)
{
	escape_xml(b, s, strlen(s));
}

static size_t S_lang_index(const struct site *site, const struct lang *l)
{
	return (size_t)(l - site->cfg->langs);
}

struct sitemap {
	const struct site *site;
	const struct plan *plan;
	const struct listing **type_lists; /* LIST_TYPE, page 1: one per type and language */
	size_t ntype_lists;
	const struct listing **tax_lists; /* LIST_TAXONOMY */
	size_t ntax_lists;
	const struct plan_output **years; /* PLAN_CONTRIBUTORS_YEAR, in plan order: each one's peers */
	size_t nyears;
	struct output *out;
	struct buf file;  /* the sitemap being filled */
	struct buf entry; /* the <url> being made */
	struct buf tmp;
	size_t urls;   /* in file */
	size_t nfiles; /* sitemap-N.xml written so far */
	size_t files;  /* every file written */
	int failed;
};

static const char S_sm_head[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
	"xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
static const char S_sm_tail[] = "</urlset>\n";

static void S_sm_write(struct sitemap *sm, const char *path, const struct buf *b)
{
	if (output_write(sm->out, path, buf_cstr(b), b->len))
		sm->failed = 1;
	else
		sm->files++;
}

/* Closes the current file as sitemap-N.xml and starts the next. */
static void S_sm_flush(struct sitemap *sm)
{
	char name[64];
	buf_puts(&sm->file, S_sm_tail);
	snprintf(name, sizeof name, "sitemap-%zu.xml", ++sm->nfiles);
	S_sm_write(sm, name, &sm->file);
	buf_reset(&sm->file);
	buf_puts(&sm->file, S_sm_head);
	sm->urls = 0;
}

/* Adds the finished entry, first closing a file that it would overfill. */
static void S_sm_add(struct sitemap *sm)
{
	if (sm->urls == SITEMAP_URLS ||
	    (sm->urls && sm->file.len + sm->entry.len + sizeof(S_sm_tail) > SITEMAP_BYTES))
		S_sm_flush(sm);
	buf_put(&sm->file, sm->entry.ptr, sm->entry.len);
	sm->urls++;
}

static void S_sm_begin(struct sitemap *sm, const char *href)
{
	buf_reset(&sm->entry);
	buf_puts(&sm->entry, "<url><loc>");
	ids_xml_url(&sm->entry, &sm->tmp, sm->site, href);
	buf_puts(&sm->entry, "</loc>");
}

/*
 * The hreflang alternates of one URL: hrefs[k] is its version in language
 * k, or NULL. Written when there are two versions or more, each version
 * listing all of them, itself included, and x-default for the default
 * language's.
 */
static void S_sm_alternates(struct sitemap *sm, const char *const *hrefs)
{
	const struct config *cfg = sm->site->cfg;
	size_t k, n = 0;
	for (k = 0; k < cfg->nlangs; k++)
		n += hrefs[k] != NULL;
	if (n < 2)
		return;
	for (k = 0; k < cfg->nlangs; k++)
		if (hrefs[k]) {
			buf_puts(&sm->entry, "\n<xhtml:link rel=\"alternate\" hreflang=\"");
			S_xml(&sm->entry, cfg->langs[k].tag);
			buf_puts(&sm->entry, "\" href=\"");
			ids_xml_url(&sm->entry, &sm->tmp, sm->site, hrefs[k]);
			buf_puts(&sm->entry, "\"/>");
		}
	for (k = 0; k < cfg->nlangs; k++)
		if (hrefs[k] && cfg->langs[k].is_default) {
			buf_puts(&sm->entry,
				 "\n<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"");
			ids_xml_url(&sm->entry, &sm->tmp, sm->site, hrefs[k]);
			buf_puts(&sm->entry, "\"/>");
		}
}

static void S_sm_page(struct sitemap *sm, const struct page *pg, const char **hrefs)
{
	const struct site *site = sm->site;
	const struct page *t = pg;
	size_t k;

	long long day = LLONG_MIN;

	S_sm_begin(sm, pg->href);
	/* The day of its last commit in the site's time zone; else its date,
	 * unless that is still ahead (an upcoming event), which is no
	 * modification time. */
	if (pg->updated != LLONG_MIN)
		day = model_day(site, pg->updated, pg->updated_off);
	else if (pg->date != LLONG_MIN && pg->date <= site->today)
		day = pg->date;
	if (day != LLONG_MIN) {
		int y, m, d;
		civil_from_days(day, &y, &m, &d);
		buf_printf(&sm->entry, "<lastmod>%04d-%02d-%02d</lastmod>", y, m, d);
	}
	for (k = 0; k < site->cfg->nlangs; k++)
		hrefs[k] = NULL;
	do {
		if (!t->expired)
			hrefs[S_lang_index(site, t->lang)] = t->href;
		t = t->next_translation;
	} while (t && t != pg);
	S_sm_alternates(sm, hrefs);
	buf_puts(&sm->entry, "</url>\n");
	S_sm_add(sm);
}

/* The same listing in language lang: home, type list, taxonomy, term. NULL when none. */
static const char *S_peer(const struct sitemap *sm, const struct listing *l, size_t lang)
{
	const struct site *site = sm->site;
	size_t i;
	if (l->page_no != 1)
		return NULL;
	switch (l->kind) {
	case LIST_HOME: return plan_lang(sm->plan, PLAN_HOME, lang)->href;
	case LIST_TYPE:
		for (i = 0; i < sm->ntype_lists; i++)
			if (sm->type_lists[i]->lang == lang && sm->type_lists[i]->type == l->type)
				return sm->type_lists[i]->href;
		return NULL;
	case LIST_TAXONOMY:
		for (i = 0; i < sm->ntax_lists; i++)
			if (sm->tax_lists[i]->lang == lang &&
			    strcmp(sm->tax_lists[i]->taxonomy, l->taxonomy) == 0)
				return sm->tax_lists[i]->href;
		return NULL;
	case LIST_TERM: {
		const struct term *t = model_term(site, lang, l->term->taxonomy, l->term->slug);
		return t ? t->href : NULL;
	}
	case LIST_YEAR: break;
	}
	return NULL;
}

static void S_sm_listing(struct sitemap *sm, const struct listing *l, const char **hrefs)
{
	size_t k;
	S_sm_begin(sm, l->href);
	for (k = 0; k < sm->site->cfg->nlangs; k++)
		hrefs[k] = S_peer(sm, l, k);
	S_sm_alternates(sm, hrefs);
	buf_puts(&sm->entry, "</url>\n");
	S_sm_add(sm);
}

/* An output each language has one of (/contributors/): the others are its alternates. */
static void S_sm_each_lang(struct sitemap *sm, const struct plan_output *o, const char **hrefs)
{
	const struct plan_output *peer;
	size_t k;
	for (k = 0; k < sm->site->cfg->nlangs; k++)
		hrefs[k] = (peer = plan_lang(sm->plan, o->kind, k)) != NULL ? peer->href : NULL;
	/* a year in review: each language has one per year; its peers are the same year's */
	if (o->kind == PLAN_CONTRIBUTORS_YEAR)
		for (k = 0; k < sm->nyears; k++) {
			peer = sm->years[k];
			if (peer->year == o->year)
				hrefs[peer->lang] = peer->href;
		}
	/* a person's year: the same year under the person's page in each language */
	if (o->kind == PLAN_PERSON_YEAR)
		for (k = 0; k < sm->site->cfg->nlangs; k++) {
			const struct page *t = page_in_lang(o->person, &sm->site->cfg->langs[k]);
			hrefs[k] = t && (peer = plan_person_year(sm->plan, t, o->person_year->year)) != NULL
					   ? peer->href
					   : NULL;
		}
	S_sm_begin(sm, o->href);
	S_sm_alternates(sm, hrefs);
	buf_puts(&sm->entry, "</url>\n");
	S_sm_add(sm);
}

/*
 * sitemap.xml: the plan's HTML outputs whose kind is listed, in plan
 * order (every page, then every listing, then the history stage's pages;
 * a search form or 404.html is nothing to index). Past 50,000 URLs (or 50
 * MiB) the URLs go to sitemap-1.xml, sitemap-2.xml... and sitemap.xml is
 * their index.
 */
int sitemap_write(const struct site *site, const struct plan *plan, struct output *out, size_t *files_out)
{
	const char **hrefs = xcalloc(site->cfg->nlangs, sizeof(*hrefs));
	const struct plan_output *html = plan->v + plan->html.first;
	struct sitemap sm;
	size_t i;

	memset(&sm, 0, sizeof(sm));
	buf_init(&sm.file);
	buf_init(&sm.entry);
	buf_init(&sm.tmp);
	sm.site = site;
	sm.plan = plan;
	sm.out = out;
	sm.type_lists = xmalloc((plan->html.n ? plan->html.n : 1) * sizeof(*sm.type_lists));
	sm.tax_lists = xmalloc((plan->html.n ? plan->html.n : 1) * sizeof(*sm.tax_lists));
	sm.years = xmalloc((plan->html.n ? plan->html.n : 1) * sizeof(*sm.years));
	for (i = 0; i < plan->html.n; i++) {
		const struct listing *l = html[i].list;
		if (l && l->kind == LIST_TYPE && l->page_no == 1)
			sm.type_lists[sm.ntype_lists++] = l;
		else if (l && l->kind == LIST_TAXONOMY)
			sm.tax_lists[sm.ntax_lists++] = l;
		if (html[i].kind == PLAN_CONTRIBUTORS_YEAR) /* the years' peers, found once */
			sm.years[sm.nyears++] = &html[i];
	}
	buf_puts(&sm.file, S_sm_head);
	for (i = 0; i < plan->html.n; i++) {
		if (!plan_kinds[html[i].kind].sitemap)
			continue;
		/* an expired item's page is kept for the links to it, not offered to crawlers */
		if (html[i].page && html[i].page->expired)
			continue;
		/* nor a term's page that redirects to the item it is (/speakers/x/) */
		if (html[i].list && html[i].list->kind == LIST_TERM && html[i].list->term->page)
			continue;
		if (html[i].page)
			S_sm_page(&sm, html[i].page, hrefs);
		else if (html[i].list)
			S_sm_listing(&sm, html[i].list, hrefs);
		else
			S_sm_each_lang(&sm, &html[i], hrefs);
	}
	if (!sm.nfiles) {
		buf_puts(&sm.file, S_sm_tail);
		S_sm_write(&sm, "sitemap.xml", &sm.file);
	} else {
		size_t k, n;
		if (sm.urls)
			S_sm_flush(&sm);
		n = sm.nfiles;
		buf_reset(&sm.file);
		buf_puts(&sm.file, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
				   "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
		for (k = 1; k <= n; k++) {
			char name[64];
			snprintf(name, sizeof name, "%ssitemap-%zu.xml", site->root, k);
			buf_puts(&sm.file, "<sitemap><loc>");
			ids_xml_url(&sm.file, &sm.tmp, site, name);
			buf_puts(&sm.file, "</loc></sitemap>\n");
		}
		buf_puts(&sm.file, "</sitemapindex>\n");
		S_sm_write(&sm, "sitemap.xml", &sm.file);
	}
	buf_release(&sm.file);
	buf_release(&sm.entry);
	buf_release(&sm.tmp);
	free(hrefs);
	free(sm.type_lists);
	free(sm.tax_lists);
	free(sm.years);
	*files_out = sm.files;
	return sm.failed ? -1 : 0;
}

/* robots.txt: everything may be crawled; the sitemap is named when its URL can be absolute. */
void sitemap_robots(struct buf *b, struct buf *tmp, const struct site *site)
{
	buf_puts(b, "User-agent: *\nDisallow:\n");
	if (strstr(site->cfg->base_url, "://")) {
		struct buf href = BUF_INIT;
		buf_printf(&href, "%ssitemap.xml", site->root);
		buf_reset(tmp);
		ids_abs(tmp, site, href.ptr);
		buf_puts(b, "\nSitemap: ");
		escape_uri(b, tmp->ptr, tmp->len);
		buf_putc(b, '\n');
		buf_release(&href);
	}
}
