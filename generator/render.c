/*
 * render: the model as template data, and the jobs that render each
 * output. Every value a contributor wrote reaches a template through a class
 * whose trusted() is NULL, so {{x}} escapes it and {{{x}}} refuses it; only
 * HTML the generator made itself (the rendered body) is trusted.
 */
#include "render.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pool.h"
#include "util.h"

/* The pages of one section in one language, for its list page and the nav. */
struct section_list {
	const char *section;
	size_t lang;
	const char *url;   /* "/talks/", "/en/talks/" (under the base path) */
	const char *out_path; /* "talks/index.html" */
	int skip;          /* a page (the section's index.md) already has the URL */
	const char *count; /* n as text */
	const struct page **items;
	size_t n;
};

/* Everything the jobs share; read-only once the jobs start. */
struct render_state {
	const struct site *site;
	const struct theme *theme;
	struct output *out;
	struct section_list *lists; /* sorted by language, then section */
	size_t nlists;
	const char **home_urls;     /* per language: "/", "/en/" (under the base path) */
	const char **home_paths;    /* per language: "index.html", "en/index.html" */
	size_t *nav_first, *nav_count; /* per language: its range of lists */
	const struct page ***homes; /* per language: its pages */
	size_t *nhomes;
	struct buf *bufs;           /* one per worker */
	atomic_int failed;          /* set by any job */
};

/* What one output is made of: the root context of its template. */
struct render_ctx {
	const struct render_state *st;
	size_t lang;
	const struct page *page;           /* a single page, or NULL */
	const struct section_list *list;   /* a section list, or NULL */
	const struct page **items;         /* listed pages (home, list) */
	size_t nitems;
	const char *kind;                  /* "page", "home", "list" */
	const char *url;                   /* this output's URL */
};

/* Built-in folder to type names, until site.yaml types are modelled. */
static const char *S_type_of(const char *section)
{
	static const char *const map[][2] = {
		{ "talks", "talk" }, { "faq", "faq" }, { "docs", "doc" },
		{ "cases", "case" }, { "events", "event" }, { "people", "person" },
	};
	size_t i;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(section, map[i][0]) == 0)
			return map[i][1];
	return section[0] ? section : "page";
}

/* --- value classes ------------------------------------------------------ */

static int S_keyis(const char *key, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(key, lit, n) == 0;
}

/* A string: p the bytes, i the length, q non-NULL when trusted HTML. */
static enum mu_kind S_str_kind(const struct mu_val *v)
{
	(void)v;
	return MU_SCALAR;
}
static void S_str_text(const struct mu_val *v, struct buf *out)
{
	buf_put(out, v->p, v->i);
}
static int S_str_truthy(const struct mu_val *v)
{
	return v->i > 0;
}
static int S_str_trusted(const struct mu_val *v)
{
	return v->q != NULL;
}
static const struct mu_class S_str = {
	S_str_kind, NULL, NULL, NULL, S_str_text, S_str_truthy, S_str_trusted
};

static void S_set_str(struct mu_val *out, const char *s)
{
	out->cls = &S_str;
	out->p = s;
	out->q = NULL;
	out->i = strlen(s);
}

static void S_set_html(struct mu_val *out, const char *s, size_t n)
{
	out->cls = &S_str;
	out->p = s;
	out->q = s;
	out->i = n;
}

/* A boolean: i is 0 or 1. */
static enum mu_kind S_bool_kind(const struct mu_val *v)
{
	(void)v;
	return MU_BOOL;
}
static void S_bool_text(const struct mu_val *v, struct buf *out)
{
	buf_puts(out, v->i ? "true" : "false");
}
static int S_bool_truthy(const struct mu_val *v)
{
	return v->i != 0;
}
static const struct mu_class S_bool = {
	S_bool_kind, NULL, NULL, NULL, S_bool_text, S_bool_truthy, NULL
};

static void S_set_bool(struct mu_val *out, int b)
{
	out->cls = &S_bool;
	out->p = out->q = NULL;
	out->i = b != 0;
}

/* Front matter: p is a struct ynode. Never trusted. */
static enum mu_kind S_y_kind(const struct mu_val *v)
{
	const struct ynode *n = v->p;
	int b;
	if (n->kind == YNODE_MAP)
		return MU_MAP;
	if (n->kind == YNODE_SEQ)
		return MU_LIST;
	if (ynode_is_null(n))
		return MU_NULL;
	if (ynode_bool(n, &b))
		return MU_BOOL;
	return MU_SCALAR;
}
static const struct mu_class S_y;
static void S_set_y(struct mu_val *out, const struct ynode *n)
{
	out->cls = &S_y;
	out->p = n;
	out->q = NULL;
	out->i = 0;
}
static int S_y_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct ynode *m = v->p;
	size_t k;
	for (k = 0; k + 1 < m->n; k += 2)
		if (m->kids[k]->len == n && memcmp(m->kids[k]->str, key, n) == 0) {
			S_set_y(out, m->kids[k + 1]);
			return 1;
		}
	return 0;
}
static size_t S_y_len(const struct mu_val *v)
{
	return ((const struct ynode *)v->p)->n;
}
static void S_y_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	S_set_y(out, ((const struct ynode *)v->p)->kids[i]);
}
static void S_y_text(const struct mu_val *v, struct buf *out)
{
	const struct ynode *n = v->p;
	if (n->kind == YNODE_SCALAR)
		buf_put(out, n->str, n->len);
}
static int S_y_truthy(const struct mu_val *v)
{
	const struct ynode *n = v->p;
	int b;
	if (ynode_bool(n, &b))
		return b;
	return n->kind == YNODE_SCALAR && n->len > 0;
}
static const struct mu_class S_y = {
	S_y_kind, S_y_get, S_y_len, S_y_at, S_y_text, S_y_truthy, NULL
};

static enum mu_kind S_map_kind(const struct mu_val *v)
{
	(void)v;
	return MU_MAP;
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

/* A page: p the page, q the render_ctx of the output it appears on. */
static const struct mu_class S_page;
static void S_set_page(struct mu_val *out, const struct page *pg, const struct render_ctx *ctx)
{
	out->cls = &S_page;
	out->p = pg;
	out->q = ctx;
	out->i = 0;
}

/* A page's translations (itself excluded): p the page, i the count. */
static size_t S_trans_count(const struct page *pg)
{
	const struct page *t;
	size_t n = 0;
	for (t = pg->next_translation; t && t != pg; t = t->next_translation)
		n++;
	return n;
}
static void S_trans_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	const struct page *t = ((const struct page *)v->p)->next_translation;
	while (i--)
		t = t->next_translation;
	S_set_page(out, t, v->q);
}
static const struct mu_class S_trans = {
	S_list_kind, NULL, S_list_len, S_trans_at, NULL, NULL, NULL
};

static int S_page_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct page *pg = v->p;
	const struct render_ctx *ctx = v->q;

	if (S_keyis(key, n, "title"))
		S_set_str(out, pg->title);
	else if (S_keyis(key, n, "url"))
		S_set_str(out, pg->href);
	else if (S_keyis(key, n, "content"))
		S_set_html(out, pg->html ? pg->html : "", pg->html_len);
	else if (S_keyis(key, n, "lang"))
		S_set_str(out, pg->lang->code);
	else if (S_keyis(key, n, "lang_name"))
		S_set_str(out, pg->lang->name);
	else if (S_keyis(key, n, "section"))
		S_set_str(out, pg->section);
	else if (S_keyis(key, n, "type"))
		S_set_str(out, S_type_of(pg->section));
	else if (S_keyis(key, n, "id"))
		S_set_str(out, pg->id);
	else if (S_keyis(key, n, "source"))
		S_set_str(out, pg->path);
	else if (S_keyis(key, n, "translations")) {
		out->cls = &S_trans;
		out->p = pg;
		out->q = ctx;
		out->i = S_trans_count(pg);
	} else if (pg->front) {
		struct mu_val fm;
		S_set_y(&fm, pg->front);
		return S_y_get(&fm, key, n, out);
	} else
		return 0;
	return 1;
}
static const struct mu_class S_page = {
	S_map_kind, S_page_get, NULL, NULL, NULL, NULL, NULL
};

/* A list of pages: p the array of page pointers, i its length, q the ctx. */
static void S_pages_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	S_set_page(out, ((const struct page *const *)v->p)[i], v->q);
}
static const struct mu_class S_pages = {
	S_list_kind, NULL, S_list_len, S_pages_at, NULL, NULL, NULL
};

/* UI strings of the output's language: p the ctx. */
static int S_i18n_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	const char *s = theme_string(ctx->st->theme, ctx->st->site->cfg, ctx->lang, key, n);
	if (!s)
		return 0;
	S_set_str(out, s);
	return 1;
}
static const struct mu_class S_i18n = {
	S_map_kind, S_i18n_get, NULL, NULL, NULL, NULL, NULL
};

/*
 * The language switcher: one entry per site language, p the ctx, i the
 * language index. url is the current page's translation in that language,
 * or that language's home page when there is none (never a dead link).
 */
static const struct mu_class S_langlink;
static int S_langlink_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	const struct lang *l = &ctx->st->site->cfg->langs[v->i];

	if (S_keyis(key, n, "code"))
		S_set_str(out, l->code);
	else if (S_keyis(key, n, "name"))
		S_set_str(out, l->name);
	else if (S_keyis(key, n, "current"))
		S_set_bool(out, v->i == ctx->lang);
	else if (S_keyis(key, n, "url") || S_keyis(key, n, "available")) {
		const struct page *t = ctx->page;
		if (t) {
			do {
				if (t->lang == l)
					break;
				t = t->next_translation;
			} while (t && t != ctx->page);
			if (t && t->lang != l)
				t = NULL;
		}
		if (S_keyis(key, n, "available"))
			S_set_bool(out, t != NULL || !ctx->page);
		else
			S_set_str(out, t ? t->href : (const char *)v->q);
	} else
		return 0;
	return 1;
}
static const struct mu_class S_langlink = {
	S_map_kind, S_langlink_get, NULL, NULL, NULL, NULL, NULL
};
static void S_langs_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	out->cls = &S_langlink;
	out->p = ctx;
	out->q = ctx->st->home_urls[i];
	out->i = i;
}
static const struct mu_class S_langs = {
	S_list_kind, NULL, S_list_len, S_langs_at, NULL, NULL, NULL
};

/* Navigation: the sections of the output's language; p the ctx, q the list. */
static int S_navitem_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	const struct section_list *l = v->q;
	if (S_keyis(key, n, "name")) {
		const char *s = theme_string(ctx->st->theme, ctx->st->site->cfg, ctx->lang,
					     l->section, strlen(l->section));
		S_set_str(out, s ? s : l->section);
	} else if (S_keyis(key, n, "url")) {
		S_set_str(out, l->url);
	} else if (S_keyis(key, n, "current")) {
		S_set_bool(out, ctx->list == l || (ctx->page && strcmp(ctx->page->section, l->section) == 0));
	} else if (S_keyis(key, n, "count")) {
		S_set_str(out, l->count);
	} else
		return 0;
	return 1;
}
static const struct mu_class S_navitem = {
	S_map_kind, S_navitem_get, NULL, NULL, NULL, NULL, NULL
};
static void S_nav_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	out->cls = &S_navitem;
	out->p = ctx;
	out->q = &ctx->st->lists[ctx->st->nav_first[ctx->lang] + i];
	out->i = 0;
}
static const struct mu_class S_nav = {
	S_list_kind, NULL, S_list_len, S_nav_at, NULL, NULL, NULL
};

/* The site: p the ctx. */
static int S_site_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	const struct config *cfg = ctx->st->site->cfg;

	if (S_keyis(key, n, "title"))
		S_set_str(out, cfg->title);
	else if (S_keyis(key, n, "description"))
		S_set_str(out, cfg->description);
	else if (S_keyis(key, n, "base_url"))
		S_set_str(out, cfg->base_url);
	else if (S_keyis(key, n, "root"))
		S_set_str(out, ctx->st->site->root);
	else if (S_keyis(key, n, "home"))
		S_set_str(out, ctx->st->home_urls[ctx->lang]);
	else if (S_keyis(key, n, "languages")) {
		out->cls = &S_langs;
		out->p = ctx;
		out->q = NULL;
		out->i = cfg->nlangs;
	} else if (S_keyis(key, n, "multilingual"))
		S_set_bool(out, cfg->nlangs > 1);
	else if (S_keyis(key, n, "nav")) {
		out->cls = &S_nav;
		out->p = ctx;
		out->q = NULL;
		out->i = ctx->st->nav_count[ctx->lang];
	} else
		return 0;
	return 1;
}
static const struct mu_class S_site = {
	S_map_kind, S_site_get, NULL, NULL, NULL, NULL, NULL
};

/* The root of every output: p the ctx. */
static int S_root_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	const struct config *cfg = ctx->st->site->cfg;

	if (S_keyis(key, n, "site")) {
		out->cls = &S_site;
		out->p = ctx;
	} else if (S_keyis(key, n, "page") && ctx->page) {
		S_set_page(out, ctx->page, ctx);
	} else if (S_keyis(key, n, "t")) {
		out->cls = &S_i18n;
		out->p = ctx;
	} else if (S_keyis(key, n, "lang")) {
		S_set_str(out, cfg->langs[ctx->lang].code);
	} else if (S_keyis(key, n, "url")) {
		S_set_str(out, ctx->url);
	} else if (S_keyis(key, n, "kind")) {
		S_set_str(out, ctx->kind);
	} else if (S_keyis(key, n, "title") && ctx->list) {
		const char *s = theme_string(ctx->st->theme, cfg, ctx->lang, ctx->list->section,
					     strlen(ctx->list->section));
		S_set_str(out, s ? s : ctx->list->section);
	} else if (S_keyis(key, n, "pages")) {
		out->cls = &S_pages;
		out->p = ctx->items;
		out->q = ctx;
		out->i = ctx->nitems;
	} else {
		return 0;
	}
	return 1;
}
static const struct mu_class S_root = {
	S_map_kind, S_root_get, NULL, NULL, NULL, NULL, NULL
};

/* --- jobs --------------------------------------------------------------- */

/*
 * The outputs, in one flat index space so one pool call renders them all:
 * [0, npages) pages, then one home page per language, then one list per
 * section list, then the assets.
 */
static void S_render_one(const struct render_state *st, struct render_ctx *ctx,
			 const char *layout, const char *out_path, struct buf *b, int *failed)
{
	struct mu_val root = { &S_root, ctx, NULL, 0 };

	buf_reset(b);
	if (!mu_set_has(st->theme->set, layout))
		layout = ctx->page ? "page" : "list";
	if (mu_render(b, st->theme->set, layout, &root) ||
	    output_write(st->out, out_path, b->ptr ? b->ptr : "", b->len))
		*failed = 1;
}

static void S_job(size_t i, int worker, void *payload)
{
	struct render_state *st = payload;
	const struct site *site = st->site;
	size_t nl = site->cfg->nlangs;
	struct render_ctx ctx;
	struct buf *b = &st->bufs[worker];
	int failed = 0;

	memset(&ctx, 0, sizeof(ctx));
	ctx.st = st;
	if (i < site->npages) {
		const struct page *pg = &site->pages[i];
		ctx.page = pg;
		ctx.lang = (size_t)(pg->lang - site->cfg->langs);
		ctx.kind = "page";
		ctx.url = pg->href;
		S_render_one(st, &ctx, S_type_of(pg->section), pg->out_path, b, &failed);
	} else if ((i -= site->npages) < nl) {
		ctx.lang = i;
		ctx.kind = "home";
		ctx.url = st->home_urls[i];
		ctx.items = st->homes[i];
		ctx.nitems = st->nhomes[i];
		S_render_one(st, &ctx, "home", st->home_paths[i], b, &failed);
	} else if ((i -= nl) < st->nlists) {
		const struct section_list *l = &st->lists[i];
		if (l->skip)
			return;
		ctx.lang = l->lang;
		ctx.kind = "list";
		ctx.list = l;
		ctx.url = l->url;
		ctx.items = l->items;
		ctx.nitems = l->n;
		S_render_one(st, &ctx, "list", l->out_path, b, &failed);
	} else {
		const struct theme_asset *a = &st->theme->assets[i - st->nlists];
		if (output_write(st->out, a->path, a->data, a->len))
			failed = 1;
	}
	if (failed)
		atomic_store(&st->failed, 1);
}

/* --- preparation -------------------------------------------------------- */

/* List order: language, section, then path (stable and reproducible). */
static int S_list_cmp(const void *a, const void *b)
{
	const struct page *x = *(const struct page *const *)a, *y = *(const struct page *const *)b;
	int c;
	if (x->lang != y->lang)
		return x->lang < y->lang ? -1 : 1;
	if ((c = strcmp(x->section, y->section)) != 0)
		return c;
	return strcmp(x->path, y->path);
}

/* Home pages show at most this many pages until the model ranks them. */
#define HOME_ITEMS 20

static void S_prepare(struct render_state *st, const struct page **sorted, struct arena *a)
{
	const struct site *site = st->site;
	const struct config *cfg = site->cfg;
	size_t nl = cfg->nlangs, i, j, n = 0;

	st->home_urls = arena_alloc(a, nl * sizeof(*st->home_urls));
	st->home_paths = arena_alloc(a, nl * sizeof(*st->home_paths));
	st->homes = arena_alloc(a, nl * sizeof(*st->homes));
	st->nhomes = arena_alloc(a, nl * sizeof(*st->nhomes));
	st->nav_first = arena_alloc(a, nl * sizeof(*st->nav_first));
	st->nav_count = arena_alloc(a, nl * sizeof(*st->nav_count));
	for (i = 0; i < nl; i++) {
		const char *rel = cfg->langs[i].is_default ? "" : arena_printf(a, "%s/", cfg->langs[i].code);
		st->home_urls[i] = arena_printf(a, "%s%s", site->root, rel);
		st->home_paths[i] = arena_printf(a, "%sindex.html", rel);
		st->homes[i] = NULL;
		st->nhomes[i] = 0;
		st->nav_first[i] = st->nav_count[i] = 0;
	}

	for (i = 0; i < site->npages; i++)
		sorted[n++] = &site->pages[i];
	qsort(sorted, n, sizeof(*sorted), S_list_cmp);

	st->lists = arena_alloc(a, (n ? n : 1) * sizeof(*st->lists));
	st->nlists = 0;
	for (i = 0; i < n; i = j) {
		const struct page *p = sorted[i];
		size_t lang = (size_t)(p->lang - cfg->langs);
		for (j = i + 1; j < n && sorted[j]->lang == p->lang &&
				strcmp(sorted[j]->section, p->section) == 0;
		     j++)
			;
		if (!st->homes[lang])
			st->homes[lang] = &sorted[i];
		st->nhomes[lang] += j - i;
		if (!p->section[0])
			continue;
		{
			struct section_list *l = &st->lists[st->nlists];
			size_t k, m = 0;
			l->section = p->section;
			l->lang = lang;
			l->url = arena_printf(a, "%s%s/", st->home_urls[lang], p->section);
			l->out_path = arena_printf(a, "%sindex.html", l->url + strlen(site->root));
			l->items = arena_alloc(a, (j - i) * sizeof(*l->items));
			l->skip = 0;
			for (k = i; k < j; k++) {
				if (strcmp(sorted[k]->href, l->url) == 0)
					l->skip = 1; /* the section's own index.md */
				else
					l->items[m++] = sorted[k];
			}
			l->n = m;
			l->count = arena_printf(a, "%zu", m);
			if (st->nav_count[lang] == 0)
				st->nav_first[lang] = st->nlists;
			st->nav_count[lang]++;
			st->nlists++;
		}
	}
	for (i = 0; i < nl; i++)
		if (st->nhomes[i] > HOME_ITEMS)
			st->nhomes[i] = HOME_ITEMS;
}

int render_site(const struct site *site, const struct theme *theme, struct output *out,
		int nthreads, size_t *pages_out)
{
	struct render_state st;
	struct arena a = ARENA_INIT;
	const struct page **sorted = xmalloc((site->npages ? site->npages : 1) * sizeof(*sorted));
	size_t total, i, skipped = 0;
	int w;

	memset(&st, 0, sizeof(st));
	st.site = site;
	st.theme = theme;
	st.out = out;
	atomic_init(&st.failed, 0);
	S_prepare(&st, sorted, &a);
	st.bufs = xcalloc((size_t)(nthreads > 0 ? nthreads : 1), sizeof(*st.bufs));
	total = site->npages + site->cfg->nlangs + st.nlists + theme->nassets;
	pool_run(nthreads, total, S_job, &st);
	for (w = 0; w < (nthreads > 0 ? nthreads : 1); w++)
		buf_release(&st.bufs[w]);
	for (i = 0; i < st.nlists; i++)
		skipped += st.lists[i].skip != 0;
	*pages_out = site->npages + site->cfg->nlangs + st.nlists - skipped;
	free(st.bufs);
	free(sorted);
	arena_release(&a);
	return atomic_load(&st.failed) ? -1 : 0;
}
