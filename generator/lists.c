/*
 * lists: groups the pages once by language and type (one sort), then cuts
 * each group into the listings that show it. Everything here is built
 * before the render workers start and is read-only while they run.
 */
#include "lists.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "collate.h"
#include "util.h"

/* Home page sections hold at most this many entries. */
#define HOME_ITEMS 5
#define HOME_TAGS 12

struct lists_ctx {
	struct lists *out;
	struct site *site;
	size_t cap;
};

static struct listing *S_new(struct lists_ctx *c, enum listing_kind kind, size_t lang)
{
	struct listing *l;
	ARRAY_GROW(c->out->v, c->out->n, c->cap, 64);
	l = &c->out->v[c->out->n++];
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->lang = lang;
	l->page_no = l->npages = 1;
	return l;
}

/* "" for the default language, "en/" for the others. */
static const char *S_lang_prefix(struct lists_ctx *c, size_t lang)
{
	return c->site->cfg->langs[lang].prefix;
}

static void S_place(struct lists_ctx *c, struct listing *l, const char *rel)
{
	l->out_path = arena_printf(&c->out->arena, "%sindex.html", rel);
	l->href = arena_printf(&c->out->arena, "%s%s", c->site->root, rel);
}

/* --- ordering ------------------------------------------------------------ */

static const struct site *S_site; /* for the docs comparator; lists run single-threaded */
static unsigned char *S_dated; /* per type of S_site: it has its date field (S_group_cmp asks it per pair) */

/*
 * The docs tree node at the first n bytes of pg's id (a folder, or the page
 * itself): its page in pg's language when it has one (folder/_index.md or
 * folder/index.md), else NULL: a folder without a page of its own.
 */
static const struct page *S_doc_node(const struct page *pg, const char *id, size_t n)
{
	char *prefix = xstrndup(id, n);
	const struct page *p = model_find(S_site, pg->section, prefix, pg->lang);
	free(prefix);
	return p;
}

/* A docs tree node's weight; none (a page without one, a folder without a page) after every other. */
static long long S_doc_weight(const struct page *p)
{
	/* written in the front matter, not the field's default */
	const struct fval *w = p ? page_value(p, "weight") : NULL;
	return w && w->node && ynode_get(p->front, "weight") == w->node ? p->weight : LLONG_MAX;
}

/*
 * The docs tree in reading order: at each level of folders, by the weight
 * of the folder's own page (folder/_index.md or folder/index.md; without
 * one, after every other, as Hugo orders them), then by its title (a folder
 * without a page: its name), then by name; an item comes before the items
 * inside it.
 */
static int S_doc_cmp(const void *a, const void *b)
{
	const struct page *x = *(const struct page *const *)a, *y = *(const struct page *const *)b;
	const char *p = x->id, *q = y->id;
	size_t i = 0;

	for (;;) {
		size_t ex = strcspn(p + i, "/"), ey = strcspn(q + i, "/");
		const struct page *nx, *ny;
		long long wx, wy;
		int c;
		if (ex == ey && strncmp(p + i, q + i, ex) == 0) {
			if (!p[i + ex] || !q[i + ey])
				return p[i + ex] ? 1 : q[i + ey] ? -1 : strcmp(x->path, y->path);
			i += ex + 1;
			continue;
		}
		nx = S_doc_node(x, p, i + ex);
		ny = S_doc_node(y, q, i + ey);
		wx = S_doc_weight(nx);
		wy = S_doc_weight(ny);
		if (wx != wy)
			return wx < wy ? -1 : 1;
		if (nx && ny && (c = strcmp(nx->title, ny->title)) != 0)
			return c;
		c = strncmp(p + i, q + i, ex < ey ? ex : ey);
		if (c)
			return c;
		return ex < ey ? -1 : 1;
	}
}

/* Undated types: by weight, then title. */
static int S_weight_cmp(const void *a, const void *b)
{
	const struct page *x = *(const struct page *const *)a, *y = *(const struct page *const *)b;
	int c;
	if (x->weight != y->weight)
		return x->weight < y->weight ? -1 : 1;
	if (x->collation && y->collation && (c = strcmp(x->collation, y->collation)) != 0)
		return c;
	if ((c = strcmp(x->title, y->title)) != 0)
		return c;
	return strcmp(x->path, y->path);
}

/*
 * The collation keys of the pages of undated types (the people directory,
 * organisations...): each language's order from ICU, of the page's
 * sort_key field (a romanisation, for a name ICU would read wrongly) or
 * else its title. Made once per page, before the sort compares them.
 */
static void S_collation_keys(struct lists *out, struct site *site)
{
	size_t lang, i;

	for (lang = 0; lang < site->cfg->nlangs; lang++) {
		const struct lang *l = &site->cfg->langs[lang];
		struct collator *coll = NULL;
		for (i = 0; i < site->npages; i++) {
			struct page *pg = &site->pages[i];
			const struct ynode *key;
			if (!pg->type || pg->lang != l || pg->type->roles.tree ||
			    type_field(pg->type, pg->type->roles.date))
				continue;
			if (!coll && !(coll = collate_open(l->code)))
				break;
			key = pg->front ? ynode_get(pg->front, "sort_key") : NULL;
			if (key && key->kind == YNODE_SCALAR && key->len)
				pg->collation = collate_key(coll, &out->arena, key->str, key->len);
			else
				pg->collation = collate_key(coll, &out->arena, pg->title, strlen(pg->title));
		}
		collate_free(coll);
	}
}

/* Within one language's list: by type rank, then the type's own order. */
static int S_group_cmp(const void *a, const void *b)
{
	const struct page *x = *(const struct page *const *)a, *y = *(const struct page *const *)b;
	if (x->type != y->type)
		return x->type->rank < y->type->rank ? -1 : 1;
	if (x->type->roles.tree)
		return S_doc_cmp(a, b);
	if (S_dated[x->type - S_site->types.v])
		return model_list_cmp(a, b);
	return S_weight_cmp(a, b);
}

static int S_soonest_cmp(const void *a, const void *b)
{
	const struct page *x = *(const struct page *const *)a, *y = *(const struct page *const *)b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* 1 when page a's folder holds b, at any depth: a "x/y", b "x/y/z" or "x/y/z/w". */
static int S_holds(const struct page *a, const struct page *b)
{
	size_t k = strlen(a->id);
	return strncmp(a->id, b->id, k) == 0 && b->id[k] == '/';
}

/*
 * A folder of the docs without a page of its own in in's language (its
 * first n bytes of id): a node of the tree titled by its name, leading to
 * its first page, so its pages hang from it rather than from the top.
 */
static struct page *S_folder_node(struct lists_ctx *c, const struct page *in, size_t n)
{
	struct page *f = arena_alloc(&c->out->arena, sizeof(*f));
	const char *name;
	memset(f, 0, sizeof(*f));
	f->path = "";
	f->section = in->section;
	f->id = arena_strndup(&c->out->arena, in->id, n);
	name = strrchr(f->id, '/');
	f->title = name ? name + 1 : f->id;
	f->lang = in->lang;
	f->type = NULL; /* no fields: a template asking for one finds none */
	f->slug = f->id;
	f->url = f->href = f->permalink = "";
	f->date = LLONG_MIN;
	f->created = f->updated = LLONG_MIN;
	return f;
}

/*
 * The docs tree from its reading order (each page before the pages in its
 * folder, a folder's pages together): each page's parent and children, and
 * the list's roots. A folder without a page of its own gets a node of its
 * own (S_folder_node). Linear in pages times their depth.
 */
static void S_tree(struct lists_ctx *c, struct listing *l, struct page **items, size_t n)
{
	struct page **stack = NULL, **nodes = NULL;
	size_t depth = 0, cap = 0, nn = 0, ncap = 0, i, nroots = 0;
	struct page **roots;

	for (i = 0; i < n; i++) {
		const char *s;
		while (depth && !S_holds(stack[depth - 1], items[i]))
			depth--;
		/* the folders between the nearest node above and the page */
		s = items[i]->id + (depth ? strlen(stack[depth - 1]->id) + 1 : 0);
		for (; (s = strchr(s, '/')) != NULL; s++) {
			struct page *f = S_folder_node(c, items[i], (size_t)(s - items[i]->id));
			f->parent = depth ? stack[depth - 1] : NULL;
			ARRAY_GROW(stack, depth, cap, 16);
			stack[depth++] = f;
			ARRAY_GROW(nodes, nn, ncap, 64);
			nodes[nn++] = f;
		}
		items[i]->parent = depth ? stack[depth - 1] : NULL;
		items[i]->children = NULL;
		items[i]->nchildren = 0;
		ARRAY_GROW(stack, depth, cap, 16);
		stack[depth++] = items[i];
		ARRAY_GROW(nodes, nn, ncap, 64);
		nodes[nn++] = items[i];
	}
	for (i = 0; i < nn; i++) {
		if (nodes[i]->parent)
			nodes[i]->parent->nchildren++;
		else
			nroots++;
	}
	roots = arena_alloc(&c->out->arena, (nroots ? nroots : 1) * sizeof(*roots));
	for (i = 0; i < nn; i++) {
		if (nodes[i]->nchildren)
			nodes[i]->children = arena_alloc(&c->out->arena,
							 nodes[i]->nchildren * sizeof(*nodes[i]->children));
		nodes[i]->nchildren = 0; /* counted again as they are filled, in reading order */
	}
	for (i = 0; i < nn; i++) {
		if (nodes[i]->parent)
			nodes[i]->parent->children[nodes[i]->parent->nchildren++] = nodes[i];
		else
			roots[l->nroots++] = nodes[i];
	}
	/* a folder node leads to its first page (its children come after it) */
	for (i = nn; i-- > 0;)
		if (!nodes[i]->path[0])
			nodes[i]->url = nodes[i]->href = nodes[i]->permalink = nodes[i]->children[0]->href;
	free(stack);
	free(nodes);
	l->roots = roots;
}

/* --- listings ------------------------------------------------------------ */

/*
 * How many pages n items take at per a page: a last page that would hold
 * a third of per or less joins the one before it (11 people at 10 a page
 * are one page of 11, not 10 and 1).
 */
static size_t S_page_count(size_t n, size_t per)
{
	size_t pages = n ? (n + per - 1) / per : 1;
	if (pages > 1 && n % per && n % per <= per / 3)
		pages--;
	return pages;
}

/*
 * Cuts items into pages of per items (the last may hold more, see
 * S_page_count); an empty list is one empty page.
 */
static struct listing *S_paginate(struct lists_ctx *c, enum listing_kind kind, size_t lang, const char *rel,
				  struct page **items, size_t n, size_t per)
{
	size_t pages = S_page_count(n, per), i;
	struct listing *first = NULL;
	size_t base = c->out->n;

	for (i = 0; i < pages; i++) {
		struct listing *l = S_new(c, kind, lang);
		S_place(c, l, i == 0 ? rel : arena_printf(&c->out->arena, "%spage/%zu/", rel, i + 1));
		l->items = items + i * per;
		l->nitems = i + 1 < pages ? per : n - i * per;
		l->total = n;
		l->page_no = i + 1;
		l->npages = pages;
	}
	/* first is set in lists_build, once the array no longer moves. */
	first = &c->out->v[base];
	for (i = 0; i < pages; i++) {
		first[i].prev_href = i > 0 ? first[i - 1].href : NULL;
		first[i].next_href = i + 1 < pages ? first[i + 1].href : NULL;
	}
	return first;
}

static void S_years(struct lists_ctx *c, size_t lang, const struct type *ty, struct page **items, size_t n,
		    size_t list_index)
{
	size_t i, j, ny = 0;
	struct year_link *years = arena_alloc(&c->out->arena, (n ? n : 1) * sizeof(*years));
	const char *prefix = S_lang_prefix(c, lang);

	/* items are newest first, so each year is one run. */
	for (i = 0; i < n && items[i]->date != LLONG_MIN; i = j) {
		int y, m, d;
		struct listing *l;
		civil_from_days(items[i]->date, &y, &m, &d);
		for (j = i + 1; j < n && items[j]->date != LLONG_MIN; j++) {
			int y2;
			civil_from_days(items[j]->date, &y2, &m, &d);
			if (y2 != y)
				break;
		}
		l = S_new(c, LIST_YEAR, lang);
		l->type = ty;
		l->year = y;
		S_place(c, l, arena_printf(&c->out->arena, "%s%s/%d/", prefix, ty->folder, y));
		l->items = items + i;
		l->nitems = l->total = j - i;
		years[ny].year = y;
		years[ny].href = l->href;
		years[ny].count = j - i;
		ny++;
	}
	/* Every page of the type's list shows the archive links. */
	for (i = list_index; i < c->out->n && c->out->v[i].kind == LIST_TYPE && c->out->v[i].type == ty &&
			     c->out->v[i].lang == lang;
	     i++) {
		c->out->v[i].years = years;
		c->out->v[i].nyears = ny;
	}
}

/* --- groups (role groups) and a term's pages by type -------------------- */

/* The key of the group of the items without a value: after every other. */
#define S_NONE ((size_t)-1)

/* An item's place in one group: the group's key, the item's place in the list. */
struct group_rec {
	size_t key;       /* enum value or range index; 0 for strings; S_NONE for no value */
	const char *slug; /* the value's term slug; NULL for ranges and none */
	const char *name; /* the value as written; NULL for ranges */
	size_t pos;
	struct page *pg;
};

static int S_rec_cmp(const void *a, const void *b)
{
	const struct group_rec *x = a, *y = b;
	int c;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->slug && y->slug && (c = strcmp(x->slug, y->slug)) != 0)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Groups of strings: the most items first, then by slug. */
static int S_group_size_cmp(const void *a, const void *b)
{
	const struct list_group *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->anchor, y->anchor);
}

static int S_groupable(const struct field *f, const struct type_group *tg)
{
	enum field_kind k = f->kind == FIELD_LIST ? f->of : f->kind;
	if (tg->nbounds)
		return f->kind == FIELD_INT;
	return k == FIELD_STRING || k == FIELD_ENUM;
}

/* 1 when ty's list is grouped: a replaced type keeps roles that may name a field it no longer has. */
static int S_grouped(const struct type *ty)
{
	size_t g;
	for (g = 0; g < ty->roles.ngroups; g++) {
		const struct field *f = type_field(ty, ty->roles.groups[g].field);
		if (f && S_groupable(f, &ty->roles.groups[g]))
			return 1;
	}
	return 0;
}

/* The record of one value of pg (a scalar; an enum's index by its values). */
static void S_rec_value(struct lists_ctx *c, struct buf *recs, const struct field *f, const struct ynode *v,
			size_t pos, struct page *pg)
{
	struct group_rec r;
	size_t i;
	if (v->kind != YNODE_SCALAR || !v->len)
		return;
	r.key = 0;
	if ((f->kind == FIELD_LIST ? f->of : f->kind) == FIELD_ENUM)
		for (i = 0; i < f->nvalues; i++)
			if (strcmp(f->values[i], v->str) == 0)
				r.key = i;
	r.slug = model_slug_text(&c->out->arena, v->str);
	if (!r.slug[0])
		return; /* no letters or digits: no term, no anchor */
	r.name = v->str;
	r.pos = pos;
	r.pg = pg;
	buf_put(recs, &r, sizeof(r));
}

/*
 * tm as a list of language lang shows it: the term of the same slug in
 * lang (an item listed there untranslated carries its own language's).
 */
static const struct term *S_term_for(const struct lists_ctx *c, size_t lang, const struct term *tm)
{
	const struct term *t;
	if (tm->lang == &c->site->cfg->langs[lang])
		return tm;
	return (t = model_term(c->site, lang, tm->taxonomy, tm->slug)) != NULL ? t : tm;
}

/* The term page of pg's value slug in taxonomy tax, in a list of language lang; or NULL. */
static const char *S_term_href(const struct lists_ctx *c, size_t lang, const struct page *pg, const char *tax,
			       const char *slug)
{
	size_t i;
	for (i = 0; i < pg->nterms; i++)
		if (strcmp(pg->terms[i]->taxonomy, tax) == 0 && strcmp(pg->terms[i]->slug, slug) == 0)
			return S_term_for(c, lang, pg->terms[i])->href;
	return NULL;
}

/* The groups of items (a type's whole list, in list order) by tg. */
static void S_grouping(struct lists_ctx *c, size_t lang, struct list_grouping *out, const struct type *ty,
		       const struct type_group *tg, struct page **items, size_t n)
{
	struct arena *a = &c->out->arena;
	const struct field *f = type_field(ty, tg->field);
	struct buf recs = BUF_INIT;
	struct group_rec *v;
	size_t i, j, k, nr;

	out->field = f;
	for (i = 0; i < n; i++) {
		const struct fval *fv = page_value(items[i], f->name);
		struct group_rec r;
		size_t before = recs.len;
		if (!fv || !fv->node) {
			/* no value: the last group */
		} else if (tg->nbounds) {
			memset(&r, 0, sizeof(r));
			while (r.key < tg->nbounds && fv->num > tg->bounds[r.key])
				r.key++;
			r.pos = i;
			r.pg = items[i];
			buf_put(&recs, &r, sizeof(r));
		} else if (fv->node->kind == YNODE_SEQ) {
			for (k = 0; k < fv->node->n; k++)
				S_rec_value(c, &recs, f, fv->node->kids[k], i, items[i]);
		} else {
			S_rec_value(c, &recs, f, fv->node, i, items[i]);
		}
		if (recs.len == before) {
			memset(&r, 0, sizeof(r));
			r.key = S_NONE;
			r.pos = i;
			r.pg = items[i];
			buf_put(&recs, &r, sizeof(r));
		}
	}
	nr = recs.len / sizeof(*v);
	v = (struct group_rec *)(void *)recs.ptr;
	if (nr)
		qsort(v, nr, sizeof(*v), S_rec_cmp);
	out->v = arena_alloc(a, (nr ? nr : 1) * sizeof(*out->v));
	for (i = 0; i < nr; i = j) {
		struct list_group *g = &out->v[out->n++];
		for (j = i + 1;
		     j < nr && v[j].key == v[i].key && (!v[i].slug || strcmp(v[j].slug, v[i].slug) == 0); j++)
			;
		memset(g, 0, sizeof(*g));
		g->items = arena_alloc(a, (j - i) * sizeof(*g->items));
		for (k = i; k < j; k++) /* one item may name a value twice */
			if (g->n == 0 || g->items[g->n - 1] != v[k].pg)
				g->items[g->n++] = v[k].pg;
		if (v[i].key == S_NONE) {
			g->none = 1;
			g->anchor = f->name;
			continue;
		}
		if (v[i].slug) {
			g->name = v[i].name;
			g->index = v[i].key;
			g->anchor = arena_printf(a, "%s-%s", f->name, v[i].slug);
			g->term_href = S_term_href(c, lang, v[i].pg, f->name, v[i].slug);
			continue;
		}
		g->min = v[i].key ? tg->bounds[v[i].key - 1] + 1 : LLONG_MIN;
		g->max = v[i].key < tg->nbounds ? tg->bounds[v[i].key] : LLONG_MAX;
		if (g->min == LLONG_MIN)
			g->anchor = arena_printf(a, "%s-to-%lld", f->name, g->max);
		else if (g->max == LLONG_MAX)
			g->anchor = arena_printf(a, "%s-%lld-up", f->name, g->min);
		else
			g->anchor = arena_printf(a, "%s-%lld-%lld", f->name, g->min, g->max);
	}
	/* strings by size, the group of none kept last */
	j = out->n && out->v[out->n - 1].none ? out->n - 1 : out->n;
	if ((f->kind == FIELD_LIST ? f->of : f->kind) == FIELD_STRING && j)
		qsort(out->v, j, sizeof(*out->v), S_group_size_cmp);
	buf_release(&recs);
}

/* A grouped type's list (role groups): one grouping per field it names. */
static void S_groupings(struct lists_ctx *c, struct listing *l, const struct type *ty, struct page **items,
			size_t n)
{
	size_t g;
	l->groupings = arena_alloc(&c->out->arena, ty->roles.ngroups * sizeof(*l->groupings));
	for (g = 0; g < ty->roles.ngroups; g++) {
		const struct type_group *tg = &ty->roles.groups[g];
		const struct field *f = type_field(ty, tg->field);
		/* a replaced type keeps roles that may name a field it no longer has */
		if (!f || !S_groupable(f, tg))
			continue;
		memset(&l->groupings[l->ngroupings], 0, sizeof(*l->groupings));
		S_grouping(c, l->lang, &l->groupings[l->ngroupings++], ty, tg, items, n);
	}
}

/* A term page's pages by type, when they are of two types or more (pages outside the types last). */
static void S_by_type(struct lists_ctx *c, struct listing *l)
{
	const struct site *site = c->site;
	size_t nt = site->types.n, i, k, kinds = 0;
	size_t *count = xcalloc(nt + 1, sizeof(*count));
	const struct type **ranked = types_ranked(&site->types);

	for (i = 0; i < l->nitems; i++)
		if (count[l->items[i]->type ? (size_t)(l->items[i]->type - site->types.v) : nt]++ == 0)
			kinds++;
	if (kinds > 1) {
		l->by_type = arena_alloc(&c->out->arena, kinds * sizeof(*l->by_type));
		for (k = 0; k <= nt; k++) {
			const struct type *ty = k < nt ? ranked[k] : NULL;
			size_t t = ty ? (size_t)(ty - site->types.v) : nt;
			struct list_section *s;
			const struct listing *tl;
			if (!count[t])
				continue;
			s = &l->by_type[l->nby_type++];
			s->type = ty;
			tl = ty ? lists_type(c->out, l->lang, ty->folder) : NULL;
			s->href = tl ? tl->href : NULL;
			s->items = arena_alloc(&c->out->arena, count[t] * sizeof(*s->items));
			s->n = 0;
			for (i = 0; i < l->nitems; i++)
				if (l->items[i]->type == ty)
					s->items[s->n++] = l->items[i];
		}
	}
	free(ranked);
	free(count);
}

static int S_tag_cmp(const void *a, const void *b)
{
	const struct list_tag *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->term->slug, y->term->slug);
}

static int S_term_ptr_cmp(const void *a, const void *b)
{
	const struct term *x = *(const struct term *const *)a, *y = *(const struct term *const *)b;
	return x < y ? -1 : x > y;
}

/*
 * The tags the items of a grouped list carry (role groups), most carried
 * first: a filter that leads to their term pages.
 */
static void S_list_tags(struct lists_ctx *c, struct listing *l, struct page **items, size_t n)
{
	size_t i, g, nterms = 0;
	const struct term **terms;

	for (i = 0; i < n; i++)
		nterms += items[i]->nterms;
	terms = xmalloc((nterms ? nterms : 1) * sizeof(*terms));
	nterms = 0;
	for (i = 0; i < n; i++)
		for (g = 0; g < items[i]->nterms; g++)
			if (strcmp(items[i]->terms[g]->taxonomy, "tags") == 0)
				terms[nterms++] = S_term_for(c, l->lang, items[i]->terms[g]);
	qsort(terms, nterms, sizeof(*terms), S_term_ptr_cmp);
	l->tags = arena_alloc(&c->out->arena, (nterms ? nterms : 1) * sizeof(*l->tags));
	for (i = 0; i < nterms; i++) {
		if (i == 0 || terms[i] != terms[i - 1]) {
			l->tags[l->ntags].term = terms[i];
			l->tags[l->ntags++].count = 0;
		}
		l->tags[l->ntags - 1].count++;
	}
	qsort(l->tags, l->ntags, sizeof(*l->tags), S_tag_cmp);
	free(terms);
}

/* One type in one language: its list pages, upcoming events, year archives. */
static void S_type_lists(struct lists_ctx *c, size_t lang, const struct type *ty, struct page **items,
			 size_t n)
{
	size_t i, first, npast = 0, nup = 0, k;
	struct page **past = items, **up = NULL;
	int grouped;
	/* Expired items (role expires) keep their pages but leave every list. */
	for (i = 0, k = 0; i < n; i++)
		if (!items[i]->expired)
			items[k++] = items[i];
	n = k;
	if (ty->roles.calendar && c->site->today != LLONG_MAX) {
		up = arena_alloc(&c->out->arena, (n ? n : 1) * sizeof(*up));
		past = arena_alloc(&c->out->arena, (n ? n : 1) * sizeof(*past));
		for (i = 0; i < n; i++) {
			if (items[i]->date >= c->site->today)
				up[nup++] = items[i];
			else
				past[npast++] = items[i];
		}
		qsort(up, nup, sizeof(*up), S_soonest_cmp);
	} else {
		npast = n;
	}
	first = c->out->n;
	/* The docs are one tree on one page, a grouped list one directory; other types page through. */
	grouped = S_grouped(ty);
	S_paginate(c, LIST_TYPE, lang,
		   arena_printf(&c->out->arena, "%s%s/", S_lang_prefix(c, lang), ty->folder), past, npast,
		   (ty->roles.tree || grouped) && npast ? npast : (size_t)c->site->cfg->paginate);
	if (grouped) {
		S_groupings(c, &c->out->v[first], ty, items, n);
		S_list_tags(c, &c->out->v[first], items, n);
	}
	for (i = first; i < c->out->n; i++) {
		c->out->v[i].type = ty;
		c->out->v[i].upcoming = up;
		c->out->v[i].nupcoming = nup;
		c->out->v[i].total = n;
	}
	if (type_field(ty, ty->roles.date))
		S_years(c, lang, ty, items, n, first);
	if (ty->roles.tree) { /* reading order among the pages of this language */
		struct page *prev = NULL, **own;
		const struct lang *l = &c->site->cfg->langs[lang];
		for (i = 0; i < n; i++) {
			if (items[i]->lang != l)
				continue;
			items[i]->prev = prev;
			items[i]->next = NULL;
			if (prev)
				prev->next = items[i];
			prev = items[i];
		}
		/* The tree sets the pages' parent and children: only this
		   language's pages, or an original listed here for want of a
		   translation would be moved into this language's tree. */
		own = xmalloc((n ? n : 1) * sizeof(*own));
		for (i = 0, k = 0; i < n; i++)
			if (items[i]->lang == l)
				own[k++] = items[i];
		S_tree(c, &c->out->v[first], own, k);
		free(own);
	}
}

static int S_count_cmp(const void *a, const void *b)
{
	const struct term *x = *(const struct term *const *)a, *y = *(const struct term *const *)b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->slug, y->slug);
}

/* Taxonomy indexes and term pages; terms are sorted by language, taxonomy, slug. */
static void S_taxonomies(struct lists_ctx *c)
{
	const struct site *site = c->site;
	size_t i, j, k;
	for (i = 0; i < site->nterms; i = j) {
		const struct term *t = &site->terms[i];
		size_t lang = (size_t)(t->lang - site->cfg->langs);
		struct listing *idx;
		const char *idx_href;
		for (j = i + 1; j < site->nterms && site->terms[j].lang == t->lang &&
				strcmp(site->terms[j].taxonomy, t->taxonomy) == 0;
		     j++)
			;
		idx = S_new(c, LIST_TAXONOMY, lang);
		idx->taxonomy = t->taxonomy;
		idx->terms = t;
		idx->nterms = j - i;
		idx->total = j - i;
		S_place(c, idx, arena_printf(&c->out->arena, "%s%s/", S_lang_prefix(c, lang), t->taxonomy));
		idx_href = idx->href; /* idx moves when the array grows; the string does not */
		for (k = i; k < j; k++) {
			const struct term *tm = &site->terms[k];
			struct listing *l = S_new(c, LIST_TERM, lang);
			l->taxonomy = tm->taxonomy;
			l->index_href = idx_href;
			l->term = tm;
			l->items = tm->pages;
			l->nitems = l->total = tm->n;
			l->out_path = tm->out_path;
			l->href = tm->href;
			S_by_type(c, l);
		}
	}
}

static void S_home(struct lists_ctx *c, size_t lang)
{
	const struct site *site = c->site;
	struct listing *h = S_new(c, LIST_HOME, lang), *l;
	size_t i, n = 0;
	const struct term **tags;
	int calendar = 0;

	S_place(c, h, S_lang_prefix(c, lang));
	/*
	 * The home page's sections come from the type lists of this language
	 * (role home): a calendar's upcoming items, other types' first items.
	 */
	h->sections = arena_alloc(&c->out->arena, (site->types.n ? site->types.n : 1) * sizeof(*h->sections));
	for (i = 0; i < c->out->n; i++) {
		struct home_section *s;
		l = &c->out->v[i];
		if (l->kind != LIST_TYPE || l->lang != lang || l->page_no != 1 || !l->type->roles.home)
			continue;
		s = &h->sections[h->nsections++];
		s->name = l->type->roles.home;
		s->items = l->type->roles.calendar ? l->upcoming : l->items;
		s->n = l->type->roles.calendar ? l->nupcoming : l->nitems;
		if (s->n > HOME_ITEMS)
			s->n = HOME_ITEMS;
		if (l->type->roles.calendar && !calendar++) { /* the home's {{empty}}: no upcoming event */
			h->upcoming = s->items;
			h->nupcoming = s->n;
		}
	}
	tags = arena_alloc(&c->out->arena, (site->nterms ? site->nterms : 1) * sizeof(*tags));
	for (i = 0; i < site->nterms; i++)
		if (site->terms[i].lang == &site->cfg->langs[lang] &&
		    strcmp(site->terms[i].taxonomy, "tags") == 0)
			tags[n++] = &site->terms[i];
	qsort(tags, n, sizeof(*tags), S_count_cmp);
	h->popular_tags = tags;
	h->npopular_tags = n < HOME_TAGS ? n : HOME_TAGS;
}

/* The order of each language's pages, by their index in site->pages. */
struct lists_memo {
	size_t nlangs;
	size_t **order; /* per language */
	size_t *n;
	size_t sorted; /* the last build: languages sorted again */
};

void lists_memo_free(struct lists_memo *m)
{
	size_t i;
	if (!m)
		return;
	for (i = 0; i < m->nlangs; i++)
		free(m->order[i]);
	free(m->order);
	free(m->n);
	free(m);
}

size_t lists_memo_sorted(const struct lists_memo *m)
{
	return m ? m->sorted : 0;
}

/*
 * The pages of v in S_group_cmp's order, as one qsort by it leaves them,
 * without its n log n comparisons of pages scattered in memory: a stable
 * partition by type (two pages of two types compare by the types' ranks
 * alone), then a dated type's pages by their place in the list order
 * (model_list_cmp compares list_rank, each rank one page's: slot, one
 * pointer per rank of the site, NULL, left NULL), the others' by
 * S_group_cmp. Returns -1, v untouched, when that does not hold (two types
 * of one rank, a page without its rank): qsort then.
 */
static int S_sort_groups(struct page **v, size_t n, const struct site *site, struct page **slot)
{
	size_t nt = site->types.n, t, i, lo, hi, *at = xcalloc(nt + 1, sizeof(*at));
	struct type **byrank = xcalloc(nt ? nt : 1, sizeof(*byrank));
	struct page **w = xmalloc(n * sizeof(*w));
	int rc = 0;

	for (i = 0; i < n; i++)
		at[v[i]->type - site->types.v]++;
	for (t = 0; t < nt && rc == 0; t++) { /* the types present, by rank */
		size_t r = (size_t)site->types.v[t].rank;
		if (!at[t])
			continue;
		if (site->types.v[t].rank < 0 || r >= nt || byrank[r])
			rc = -1;
		else
			byrank[r] = &site->types.v[t];
	}
	for (t = 0, lo = 0; t < nt && rc == 0; t++) { /* where each type's pages start in w */
		size_t k;
		if (!byrank[t])
			continue;
		k = (size_t)(byrank[t] - site->types.v);
		hi = at[k];
		at[k] = lo;
		lo += hi;
	}
	for (i = 0; i < n && rc == 0; i++)
		w[at[v[i]->type - site->types.v]++] = v[i];
	for (t = 0, lo = 0; t < nt && rc == 0; t++) {
		const struct type *ty = byrank[t];
		size_t k, end;
		if (!ty)
			continue;
		k = (size_t)(ty - site->types.v);
		end = at[k]; /* the start of the next type's */
		if (ty->roles.tree || !S_dated[k]) {
			if (end - lo > 1)
				qsort(w + lo, end - lo, sizeof(*w), S_group_cmp);
		} else {
			size_t min = site->npages + 1, max = 0, j;
			for (i = lo; i < end; i++) {
				size_t r = w[i]->list_rank;
				if (r == 0 || r > site->npages || slot[r]) {
					rc = -1;
					break;
				}
				slot[r] = w[i];
				min = r < min ? r : min;
				max = r > max ? r : max;
			}
			for (j = lo, i = min; i <= max; i++) { /* the ranks placed, in order; slot emptied */
				if (slot[i] && rc == 0)
					w[j++] = slot[i];
				slot[i] = NULL;
			}
		}
		lo = end;
	}
	if (rc == 0)
		memcpy(v, w, n * sizeof(*v));
	free(w);
	free(byrank);
	free(at);
	return rc;
}

/*
 * v[0, n) (language lang's pages, in page order) in S_group_cmp's order:
 * the memo's order when it is of the same pages and each is strictly
 * before the next (a strict order is the one sort result), else sorted;
 * the order kept in m for the next build. mark is scratch, one byte per
 * page of the site, zero, left zero.
 */
static void S_sort_kept(struct page **v, size_t n, const struct site *site, struct lists_memo *m, size_t lang,
			unsigned char *mark, struct page **slot)
{
	struct page **w = NULL;
	size_t i, *order;
	int kept = 0;

	if (m && lang < m->nlangs && m->n[lang] == n && n > 1) {
		order = m->order[lang];
		for (i = 0; i < n; i++)
			mark[v[i] - site->pages] = 1;
		w = xmalloc(n * sizeof(*w));
		kept = 1;
		for (i = 0; i < n; i++) { /* each one of v's, once */
			if (order[i] >= site->npages || !mark[order[i]]) {
				kept = 0;
				break;
			}
			mark[order[i]] = 0;
			w[i] = &site->pages[order[i]];
		}
		for (i = 0; i < n; i++)
			mark[v[i] - site->pages] = 0;
		for (i = 1; kept && i < n; i++)
			if (S_group_cmp(&w[i - 1], &w[i]) >= 0)
				kept = 0;
		if (kept)
			memcpy(v, w, n * sizeof(*v));
		free(w);
	}
	if (!kept && n > 1) {
		if (S_sort_groups(v, n, site, slot))
			qsort(v, n, sizeof(*v), S_group_cmp);
		if (m)
			m->sorted++;
	}
	if (!m || lang >= m->nlangs)
		return;
	free(m->order[lang]);
	m->order[lang] = xmalloc((n ? n : 1) * sizeof(*m->order[lang]));
	for (i = 0; i < n; i++)
		m->order[lang][i] = (size_t)(v[i] - site->pages);
	m->n[lang] = n;
}

void lists_build(struct lists *out, struct site *site)
{
	lists_build_kept(out, site, NULL);
}

void lists_build_kept(struct lists *out, struct site *site, struct lists_memo **memo)
{
	struct lists_ctx c;
	struct page **v;
	size_t i, j, n, lang, t, pos, no = 0;
	unsigned char *has_type = xcalloc(site->types.n ? site->types.n : 1, 1);
	unsigned char *mark = NULL;
	struct page **slot = xcalloc(site->npages + 1, sizeof(*slot)); /* S_sort_groups */
	struct type **order;
	struct lists_memo *m = NULL;

	if (memo) { /* a new set of languages starts a new memo */
		if (*memo && (*memo)->nlangs != site->cfg->nlangs) {
			lists_memo_free(*memo);
			*memo = NULL;
		}
		if (!*memo) {
			*memo = xcalloc(1, sizeof(**memo));
			(*memo)->nlangs = site->cfg->nlangs;
			(*memo)->order =
				xcalloc(site->cfg->nlangs ? site->cfg->nlangs : 1, sizeof(*(*memo)->order));
			(*memo)->n = xcalloc(site->cfg->nlangs ? site->cfg->nlangs : 1, sizeof(*(*memo)->n));
		}
		m = *memo;
		m->sorted = 0;
		mark = xcalloc(site->npages ? site->npages : 1, 1);
	}
	memset(out, 0, sizeof(*out));
	c.out = out;
	c.site = site;
	c.cap = 0;
	S_site = site;
	for (i = 0; i < site->npages; i++)
		if (site->pages[i].type)
			has_type[site->pages[i].type - site->types.v] = 1;
	S_dated = xcalloc(site->types.n ? site->types.n : 1, 1);
	for (t = 0; t < site->types.n; t++)
		S_dated[t] = type_field(&site->types.v[t], site->types.v[t].roles.date) != NULL;
	S_collation_keys(out, site);
	/* The types with items, in rank order: the order of the groups in v. */
	order = xmalloc((site->types.n ? site->types.n : 1) * sizeof(*order));
	for (t = 0; t < site->types.n; t++)
		if (has_type[t])
			order[no++] = &site->types.v[t];
	for (t = 1; t < no; t++)
		for (j = t; j > 0 && order[j - 1]->rank > order[j]->rank; j--) {
			struct type *tmp = order[j];
			order[j] = order[j - 1];
			order[j - 1] = tmp;
		}
	/*
	 * Every type with items gets a list in every language, empty ones too,
	 * so the language switcher of a list page never leads nowhere. A
	 * language's items are its pages and, with translations.fallback, the
	 * originals of the items not translated into it. They are kept in the
	 * arena (listings point into them), sorted by type rank, then in each
	 * type's order, so each group starts where the last one ended.
	 */
	for (lang = 0; lang < site->cfg->nlangs; lang++) {
		const struct lang *l = &site->cfg->langs[lang];
		v = arena_alloc(&out->arena, (site->npages ? site->npages : 1) * sizeof(*v));
		for (i = 0, n = 0; i < site->npages; i++)
			if (site->pages[i].type &&
			    (site->pages[i].lang == l || page_fallback(&site->pages[i], l, site->cfg)))
				v[n++] = &site->pages[i];
		S_sort_kept(v, n, site, m, lang, mark, slot);
		for (t = 0, pos = 0; t < no; t++) {
			size_t start = pos;
			while (pos < n && v[pos]->type == order[t])
				pos++;
			S_type_lists(&c, lang, order[t], v + start, pos - start);
		}
	}
	free(order);
	free(mark);
	free(slot);
	free(S_dated);
	S_dated = NULL;
	S_taxonomies(&c);
	for (lang = 0; lang < site->cfg->nlangs; lang++)
		S_home(&c, lang);
	/* The pages of one list are adjacent, page 1 first. */
	for (i = 0, j = 0; i < out->n; i++) {
		if (out->v[i].page_no == 1)
			j = i;
		out->v[i].first = &out->v[j];
	}
	out->firsts = xmalloc((out->n ? out->n : 1) * sizeof(*out->firsts));
	for (i = 0; i < out->n; i++)
		if (out->v[i].kind == LIST_TYPE && out->v[i].page_no == 1)
			out->firsts[out->nfirsts++] = i;
	free(has_type);
}

void lists_release(struct lists *l)
{
	free(l->firsts);
	free(l->v);
	arena_release(&l->arena);
	memset(l, 0, sizeof(*l));
}

static int S_type_first(const struct listing *v, size_t lang, const char *folder)
{
	return v->kind == LIST_TYPE && v->lang == lang && v->page_no == 1 &&
	       strcmp(v->type->folder, folder) == 0;
}

const struct listing *lists_type(const struct lists *l, size_t lang, const char *folder)
{
	size_t i;
	/* once built, a type list's first page among the few firsts: the render asks for each
	   breadcrumb and docs tree, and a type's list pages and years run to thousands */
	if (l->firsts) {
		for (i = 0; i < l->nfirsts; i++)
			if (S_type_first(&l->v[l->firsts[i]], lang, folder))
				return &l->v[l->firsts[i]];
		return NULL;
	}
	for (i = 0; i < l->n; i++)
		if (S_type_first(&l->v[i], lang, folder))
			return &l->v[i];
	return NULL;
}

const struct home_section *lists_home_section(const struct listing *h, const char *name, size_t n)
{
	size_t i;
	for (i = 0; i < h->nsections; i++)
		if (strlen(h->sections[i].name) == n && memcmp(h->sections[i].name, name, n) == 0)
			return &h->sections[i];
	return NULL;
}

const char *lists_peer(const struct lists *ls, const struct site *site, const struct listing *l, size_t lang)
{
	const struct listing *o;
	const struct term *t;
	size_t i;
	if (l->lang == lang)
		return l->first ? l->first->href : l->href;
	switch (l->kind) {
	case LIST_TYPE: return (o = lists_type(ls, lang, l->type->folder)) != NULL ? o->href : NULL;
	case LIST_TERM:
		return (t = model_term(site, lang, l->term->taxonomy, l->term->slug)) != NULL
			       ? t->href
			       : NULL;
	case LIST_HOME:
	case LIST_YEAR:
	case LIST_TAXONOMY: break;
	}
	for (i = 0; i < ls->n; i++) {
		o = &ls->v[i];
		if (o->kind != l->kind || o->lang != lang || o->page_no != 1)
			continue;
		if ((l->kind == LIST_YEAR && (o->type != l->type || o->year != l->year)) ||
		    (l->kind == LIST_TAXONOMY && strcmp(o->taxonomy, l->taxonomy) != 0))
			continue;
		return o->href;
	}
	return NULL;
}
