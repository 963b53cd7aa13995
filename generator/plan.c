/*
 * plan: one pass over the model and the lists, in their own orders, so the
 * plan is the same whatever -j is. Where an output goes is decided here for
 * jixia's own files (history pages, search pages, feeds, calendars); pages
 * and listings keep the URLs the model and the lists gave them. A URL is
 * its file under the base path, with a trailing "index.html" left out.
 */
#include "plan.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "ics.h"
#include "insights.h"
#include "lists.h"
#include "model.h"
#include "personyear.h"
#include "theme.h"
#include "types.h"
#include "yaml.h"

/* The plan kind of each listing kind. */
static const enum plan_kind S_list_kinds[] = {
	[LIST_HOME] = PLAN_HOME,         [LIST_TYPE] = PLAN_LIST, [LIST_YEAR] = PLAN_YEAR,
	[LIST_TAXONOMY] = PLAN_TAXONOMY, [LIST_TERM] = PLAN_TERM,
};

struct plan_ctx {
	struct plan *p;
	const struct site *site;
	size_t cap;
};

/*
 * A new output of kind in lang at out_path; its URL is href, or made from
 * out_path when href is NULL. The pointer is good until the next S_add.
 */
static struct plan_output *S_add(struct plan_ctx *c, enum plan_kind kind, size_t lang, const char *out_path,
				 const char *href)
{
	struct plan *p = c->p;
	struct plan_output *o;
	size_t n, cut = strlen("index.html");

	ARRAY_GROW(p->v, p->n, c->cap, 256);
	o = &p->v[p->n++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->lang = lang;
	o->out_path = out_path;
	o->href = href;
	if (href)
		return o;
	n = strlen(out_path);
	if (!str_ends(out_path, "index.html") || (n > cut && out_path[n - cut - 1] != '/'))
		cut = 0;
	o->href = arena_printf(&p->arena, "%s%.*s", c->site->root, (int)(n - cut), out_path);
	return o;
}

/* An output jixia names itself at the top of lang's folder: "en/search/index.html". */
static void S_top(struct plan_ctx *c, enum plan_kind kind, size_t lang)
{
	const char *top = plan_kinds[kind].top, *prefix = c->site->cfg->langs[lang].prefix;
	const char *file = str_ends(top, "/") ? "index.html" : "";
	S_add(c, kind, lang, arena_printf(&c->p->arena, "%s%s%s", prefix, top, file), NULL);
}

/* A file beside an HTML page: "talks/index.html", ATOM_FILE -> "talks/atom.xml". */
static const char *S_beside(struct plan_ctx *c, const char *out_path, const char *name)
{
	const char *slash = strrchr(out_path, '/');
	int n = slash ? (int)(slash + 1 - out_path) : 0;
	return arena_printf(&c->p->arena, "%.*s%s", n, out_path, name);
}

static size_t S_default_lang(const struct site *site)
{
	return (size_t)(site->cfg->default_lang - site->cfg->langs);
}

/* Each person page's years (personyear.c), in every language of the page: beside it, "2024/". */
static void S_person_years(struct plan_ctx *c)
{
	const struct site *site = c->site;
	size_t i, k, n;

	c->p->person_years.first = c->p->n;
	for (i = 0; site->nperson_years && i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		const struct person_year *ys;
		if (!pg->type || !pg->type->roles.person || !pg->out_path ||
		    !str_ends(pg->out_path, "index.html"))
			continue;
		ys = personyear_of(site, pg, &n);
		for (k = 0; k < n; k++) {
			struct plan_output *o =
				S_add(c, PLAN_PERSON_YEAR, (size_t)(pg->lang - site->cfg->langs),
				      arena_printf(&c->p->arena, "%.*s%d/index.html",
						   (int)(strlen(pg->out_path) - strlen("index.html")),
						   pg->out_path, ys[k].year),
				      NULL);
			o->person = pg;
			o->year = (size_t)(ys + k - site->person_years);
			o->person_year = &ys[k];
		}
	}
	c->p->person_years.n = c->p->n - c->p->person_years.first;
}

/* What render writes through the theme's layouts. */
static void S_html(struct plan_ctx *c, const struct lists *lists)
{
	const struct site *site = c->site;
	size_t i, nl = site->cfg->nlangs;
	struct plan_output *o;

	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		o = S_add(c, PLAN_PAGE, (size_t)(pg->lang - site->cfg->langs), pg->out_path, pg->href);
		o->page = pg;
	}
	for (i = 0; i < lists->n; i++) {
		const struct listing *l = &lists->v[i];
		o = S_add(c, S_list_kinds[l->kind], l->lang, l->out_path, l->href);
		o->list = l;
	}
	for (i = 0; site->history && i < nl; i++)
		S_top(c, PLAN_CONTRIBUTORS, i);
	for (i = 0; site->nl10n && i < nl; i++)
		S_top(c, PLAN_L10N, i);
	for (i = 0; i < nl; i++)
		S_top(c, PLAN_HELP, i);
	for (i = 0; i < nl; i++)
		S_top(c, PLAN_SEARCH, i);
	for (i = 0; site->insights && i < nl; i++)
		S_top(c, PLAN_INSIGHTS, i);
	for (i = 0; site->insights && i < nl; i++) {
		size_t y;
		for (y = 0; y < site->insights->nyears; y++) {
			struct plan_output *o =
				S_add(c, PLAN_CONTRIBUTORS_YEAR, i,
				      arena_printf(&c->p->arena, "%s%s%d/index.html",
						   site->cfg->langs[i].prefix,
						   plan_kinds[PLAN_CONTRIBUTORS].top,
						   site->insights->years[y].year),
				      NULL);
			o->year = y;
		}
	}
	S_person_years(c);
	for (i = 0; i < nl; i++) /* 404.html, en/404.html: a server sends a language's for its folder */
		S_top(c, PLAN_NOTFOUND, i);
}

/* What the feeds stage writes. */
static void S_feeds(struct plan_ctx *c, const struct lists *lists)
{
	const struct site *site = c->site;
	size_t i, nl = site->cfg->nlangs, nevents = 0;
	struct buf b = BUF_INIT;
	struct plan_output *o;

	for (i = 0; i < nl; i++)
		S_top(c, PLAN_FEED_SITE, i);
	for (i = 0; i < lists->n; i++) {
		const struct listing *l = &lists->v[i];
		if (l->kind != LIST_TYPE || l->page_no != 1)
			continue;
		o = S_add(c, PLAN_FEED_TYPE, l->lang, S_beside(c, l->out_path, ATOM_FILE), NULL);
		o->list = l;
		o->type = l->type;
	}
	for (i = 0; i < site->nterms; i++) {
		const struct term *tm = &site->terms[i];
		o = S_add(c, PLAN_FEED_TERM, (size_t)(tm->lang - site->cfg->langs),
			  S_beside(c, tm->out_path, ATOM_FILE), NULL);
		o->term = tm;
	}
	for (i = 0; i < site->npages; i++)
		nevents += ics_is_event(&site->pages[i]);
	for (i = 0; nevents && i < nl; i++)
		S_top(c, PLAN_CALENDAR, i);
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		if (!ics_is_event(pg))
			continue;
		buf_reset(&b);
		ics_event_path(&b, pg);
		o = S_add(c, PLAN_EVENT, (size_t)(pg->lang - site->cfg->langs),
			  arena_strdup(&c->p->arena, buf_cstr(&b)), NULL);
		o->page = pg;
	}
	if (site->insights) {
		S_add(c, PLAN_INSIGHTS_CSV, S_default_lang(site), "insights/data.csv", NULL);
		S_add(c, PLAN_INSIGHTS_JSON, S_default_lang(site), "insights/data.json", NULL);
	}
	S_add(c, PLAN_SITEMAP, S_default_lang(site), plan_kinds[PLAN_SITEMAP].top, NULL);
	S_add(c, PLAN_ROBOTS, S_default_lang(site), plan_kinds[PLAN_ROBOTS].top, NULL);
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		size_t k;
		for (k = 0; k < pg->naliases; k++) {
			o = S_add(c, PLAN_ALIAS, (size_t)(pg->lang - site->cfg->langs),
				  pg->aliases[k].out_path, pg->aliases[k].href);
			o->page = pg;
			o->alias = &pg->aliases[k];
		}
	}
	buf_release(&b);
}

/*
 * Whether pg has a raster picture of its own for og:image, from the values
 * as written (the links stage, which puts the final addresses, runs after
 * the plan): its first picture (role pictures), else the first image of its
 * body, by its name's extension, as render chooses.
 */
static int S_raster_cover(const struct page *pg)
{
	size_t i, j;

	for (i = 0; pg->type && i < pg->type->nfields; i++) {
		const struct ynode *v = pg->vals[i].node;
		int list = v && v->kind == YNODE_SEQ;
		if (!pg->type->fields[i].picture || !v)
			continue;
		for (j = 0; j < (list ? v->n : 1); j++) {
			const struct ynode *item = list ? v->kids[j] : v;
			if (item->kind == YNODE_SCALAR && !ynode_is_null(item) && item->str[0])
				return plan_is_raster(item->str);
		}
	}
	for (i = 0; i < pg->nlinks; i++)
		if (pg->links[i].image)
			return plan_is_raster(pg->links[i].url);
	return 0;
}

/* With person_posters: true, a poster beside each person's year page (PLAN_PERSON_YEAR). */
static void S_person_posters(struct plan_ctx *c)
{
	struct plan_output *o;
	size_t i;

	if (c->p->person_years.n)
		c->p->person_posters =
			arena_alloc(&c->p->arena, c->p->person_years.n * sizeof(*c->p->person_posters));
	for (i = 0; i < c->p->person_years.n; i++) {
		/* a copy: S_add may move the array */
		struct plan_output from = c->p->v[c->p->person_years.first + i];
		o = S_add(c, PLAN_POSTER_PERSON, from.lang, S_beside(c, from.out_path, "poster.png"), NULL);
		o->person = from.person;
		o->person_year = from.person_year;
		o->year = from.year;
		c->p->person_posters[i].href = o->href;
		c->p->person_posters[i].width = 1080;
		c->p->person_posters[i].height = 1350;
	}
}

/*
 * What cards.c draws: the year posters, then (person_posters) the people's,
 * then (social_cards) a card beside each page without a raster cover.
 */
static void S_images(struct plan_ctx *c)
{
	const struct site *site = c->site;
	const struct insights *ins = site->insights;
	size_t i, y, nl = site->cfg->nlangs;
	struct plan_output *o;

	if (ins && ins->nyears)
		c->p->year_posters =
			arena_alloc(&c->p->arena, nl * ins->nyears * sizeof(*c->p->year_posters));
	for (i = 0; ins && i < nl; i++)
		for (y = 0; y < ins->nyears; y++) {
			struct picture *pic = &c->p->year_posters[i * ins->nyears + y];
			o = S_add(c, PLAN_POSTER_YEAR, i,
				  arena_printf(&c->p->arena, "%s%s%d/poster.png", site->cfg->langs[i].prefix,
					       plan_kinds[PLAN_CONTRIBUTORS].top, ins->years[y].year),
				  NULL);
			o->year = y;
			pic->href = o->href;
			pic->width = 1080;
			pic->height = 1350;
		}
	if (site->cfg->person_posters)
		S_person_posters(c);
	if (!site->cfg->social_cards)
		return;
	c->p->cards = arena_alloc(&c->p->arena, (site->npages ? site->npages : 1) * sizeof(*c->p->cards));
	memset(c->p->cards, 0, (site->npages ? site->npages : 1) * sizeof(*c->p->cards));
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		if (S_raster_cover(pg))
			continue;
		o = S_add(c, PLAN_CARD, (size_t)(pg->lang - site->cfg->langs),
			  S_beside(c, pg->out_path, "card.png"), NULL);
		o->page = pg;
		c->p->cards[i].href = o->href;
		c->p->cards[i].width = 1200;
		c->p->cards[i].height = 630;
	}
}

int plan_is_raster(const char *href)
{
	static const char *const exts[] = { ".png", ".jpg", ".jpeg", ".gif", ".webp", NULL };
	size_t n, i;

	if (!href)
		return 0;
	n = strcspn(href, "?#");
	for (i = 0; exts[i]; i++) {
		size_t e = strlen(exts[i]);
		if (n > e && strncasecmp(href + n - e, exts[i], e) == 0)
			return 1;
	}
	return 0;
}

/* Orders outputs by their file, then by their place in the plan (the same order at any -j). */
static int S_by_file(const void *a, const void *b)
{
	const struct plan_output *x = *(const struct plan_output *const *)a;
	const struct plan_output *y = *(const struct plan_output *const *)b;
	int c = strcmp(x->out_path, y->out_path);
	return c ? c : (x < y ? -1 : x > y);
}

/* The one of two outputs of the same file that a contributor can move: a page of content/. */
static const struct plan_output *S_movable(const struct plan_output *a, const struct plan_output *b)
{
	if (b->kind == PLAN_PAGE && b->page && !(a->kind == PLAN_PAGE && a->page))
		return b;
	return a;
}

/* The outputs' order by file, by their index in the plan. */
struct plan_memo {
	size_t *order;
	size_t n;
	int sorted; /* the last check sorted */
};

void plan_memo_free(struct plan_memo *m)
{
	if (!m)
		return;
	free(m->order);
	free(m);
}

int plan_memo_sorted(const struct plan_memo *m)
{
	return m ? m->sorted : 0;
}

/* v in the memo's order when it is a strict order of p's outputs (1), else 0. */
static int S_order_kept(const struct plan *p, const struct plan_memo *m, const struct plan_output **v)
{
	unsigned char *seen;
	size_t i;
	int kept = 1;

	if (!m || m->n != p->n || p->n < 2)
		return 0;
	seen = xcalloc(p->n, 1);
	for (i = 0; kept && i < p->n; i++) {
		if (m->order[i] >= p->n || seen[m->order[i]])
			kept = 0;
		else
			seen[m->order[i]] = 1;
		v[i] = &p->v[m->order[i] < p->n ? m->order[i] : 0];
	}
	for (i = 1; kept && i < p->n; i++)
		if (S_by_file(&v[i - 1], &v[i]) >= 0)
			kept = 0;
	free(seen);
	return kept;
}

int plan_check(const struct plan *p)
{
	return plan_check_kept(p, NULL);
}

int plan_check_kept(const struct plan *p, struct plan_memo **memo)
{
	const struct plan_output **v = xmalloc((p->n ? p->n : 1) * sizeof(*v));
	struct plan_memo *m = NULL;
	size_t i;
	int rc = 0;

	if (memo) {
		if (!*memo)
			*memo = xcalloc(1, sizeof(**memo));
		m = *memo;
		m->sorted = 0;
	}
	if (!S_order_kept(p, m, v)) {
		for (i = 0; i < p->n; i++)
			v[i] = &p->v[i];
		qsort(v, p->n, sizeof(*v), S_by_file);
		if (m) {
			m->sorted = 1;
			free(m->order);
			m->order = xmalloc((p->n ? p->n : 1) * sizeof(*m->order));
			for (i = 0; i < p->n; i++)
				m->order[i] = (size_t)(v[i] - p->v);
			m->n = p->n;
		}
	}
	for (i = 1; i < p->n; i++) {
		const struct plan_output *a = v[i - 1], *b = v[i], *m, *o;
		if (strcmp(a->out_path, b->out_path) != 0)
			continue;
		/* aliases (alias.c) and two pages (model.c) are reported where they are checked */
		if (a->kind == PLAN_ALIAS || b->kind == PLAN_ALIAS ||
		    (a->kind == PLAN_PAGE && b->kind == PLAN_PAGE))
			continue;
		m = S_movable(a, b);
		o = m == a ? b : a;
		if (m->kind != PLAN_PAGE || !m->page)
			diag_error(NULL, 0, 0, "two outputs write the same file '%s' (%s and %s)",
				   a->out_path, plan_kinds[a->kind].name, plan_kinds[b->kind].name);
		else
			diag_error(
				m->page->path, 0, 0,
				"would be published at %s, where jixia writes its own '%s' page; give the file another name",
				m->href, plan_kinds[o->kind].name);
		rc = -1;
	}
	free(v);
	return rc;
}

void plan_build(struct plan *out, const struct site *site, const struct lists *lists,
		const struct theme *theme)
{
	struct plan_ctx c;
	size_t i, nl = site->cfg->nlangs;

	memset(out, 0, sizeof(*out));
	c.p = out;
	c.site = site;
	c.cap = 0;
	S_html(&c, lists);
	out->html.n = out->n;
	out->feeds.first = out->n;
	S_feeds(&c, lists);
	out->feeds.n = out->n - out->feeds.first;
	out->images.first = out->n;
	S_images(&c);
	out->images.n = out->n - out->images.first;
	out->assets.first = out->n;
	for (i = 0; i < theme->nassets; i++)
		S_add(&c, PLAN_ASSET, S_default_lang(site), theme->assets[i].path, NULL)->asset =
			&theme->assets[i];
	out->assets.n = out->n - out->assets.first;

	/* The array no longer moves: each language's one output of a kind. */
	out->nlangs = nl;
	out->by_lang = xcalloc(PLAN_KINDS * nl, sizeof(*out->by_lang));
	for (i = 0; i < out->n; i++) {
		const struct plan_output *o = &out->v[i];
		switch (o->kind) {
		case PLAN_HOME:
		case PLAN_CONTRIBUTORS:
		case PLAN_L10N:
		case PLAN_HELP:
		case PLAN_SEARCH:
		case PLAN_INSIGHTS:
		case PLAN_NOTFOUND:
		case PLAN_FEED_SITE:
		case PLAN_CALENDAR: out->by_lang[o->kind * nl + o->lang] = o; break;
		default: break;
		}
	}
}

void plan_release(struct plan *p)
{
	free(p->v);
	free(p->by_lang);
	arena_release(&p->arena);
	memset(p, 0, sizeof(*p));
}

const struct plan_output *plan_lang(const struct plan *p, enum plan_kind kind, size_t lang)
{
	return lang < p->nlangs ? p->by_lang[kind * p->nlangs + lang] : NULL;
}

const struct plan_output *plan_person_year(const struct plan *p, const struct page *pg, int year)
{
	size_t lo = p->person_years.first, hi = lo + p->person_years.n;
	const struct plan_output *o;

	/* by person page (the pages' order, the plan's), then year */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		o = &p->v[mid];
		if (o->person < pg)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < p->person_years.first + p->person_years.n && p->v[lo].person == pg; lo++)
		if (p->v[lo].person_year->year == year)
			return &p->v[lo];
	return NULL;
}
