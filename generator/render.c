/*
 * render: the model as template data, and the jobs that render each
 * output. Every value a contributor wrote reaches a template through a class
 * whose trusted() is NULL, so {{x}} escapes it and {{{x}}} refuses it; only
 * HTML the generator made itself (the rendered body, the table of contents)
 * is trusted.
 */
#include "render.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "lists.h"
#include "pool.h"
#include "util.h"

/* Everything the jobs share; read-only once the jobs start. */
struct render_state {
	const struct site *site;
	const struct theme *theme;
	const struct lists *lists;
	struct output *out;
	const char **home_urls;          /* per language: "/", "/en/" (under the base path) */
	const struct listing ***nav;     /* per language: its type lists with items */
	size_t *nnav;
	struct buf *bufs;                /* one per worker */
	atomic_int failed;               /* set by any job */
};

/* What one output is made of: the root context of its template. */
struct render_ctx {
	const struct render_state *st;
	size_t lang;
	const struct page *page;         /* a single page, or NULL */
	const struct listing *list;      /* a listing, or NULL */
	const char *kind;                /* "page", "home", "list", "year", "taxonomy", "term" */
	const char *url;                 /* this output's URL */
};

static const char *S_t(const struct render_ctx *ctx, const char *key)
{
	return theme_string(ctx->st->theme, ctx->st->site->cfg, ctx->lang, key, strlen(key));
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

/* Element i of a list handle v, as a value of class cls sharing v's state. */
static void S_elem(struct mu_val *out, const struct mu_class *cls, const struct mu_val *v, size_t i)
{
	out->cls = cls;
	out->p = v->p;
	out->q = v->q;
	out->i = i;
}

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

/* A date: p the language it is shown in, i the day number (cast). */
static const char *const S_months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static void S_date_text(const struct mu_val *v, struct buf *out)
{
	const struct lang *l = v->p;
	int y, m, d;
	civil_from_days((long long)v->i, &y, &m, &d);
	if (str_starts(l->code, "zh") || str_starts(l->code, "ja"))
		buf_printf(out, "%d年%d月%d日", y, m, d);
	else if (str_starts(l->code, "ko"))
		buf_printf(out, "%d년 %d월 %d일", y, m, d);
	else
		buf_printf(out, "%s %d, %d", S_months[m - 1], d, y);
}
static int S_true(const struct mu_val *v)
{
	(void)v;
	return 1;
}
static const struct mu_class S_date = {
	S_str_kind, NULL, NULL, NULL, S_date_text, S_true, NULL
};
static void S_set_date(struct mu_val *out, const struct lang *l, long long days)
{
	out->cls = &S_date;
	out->p = l;
	out->q = NULL;
	out->i = (size_t)days;
}

/* A number: i the value. */
static void S_num_text(const struct mu_val *v, struct buf *out)
{
	buf_printf(out, "%zu", v->i);
}
static const struct mu_class S_num = {
	S_str_kind, NULL, NULL, NULL, S_num_text, S_true, NULL
};
static void S_set_num(struct mu_val *out, size_t n)
{
	out->cls = &S_num;
	out->p = out->q = NULL;
	out->i = n;
}

/* A page: p the page, q the render_ctx of the output it appears on. */
static const struct mu_class S_page;
static const struct mu_class S_terms;

/* page.terms.TAXONOMY: p the page. */
static int S_pageterms_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct page *pg = v->p;
	size_t i, first = 0, count = 0;
	for (i = 0; i < pg->nterms; i++)
		if (S_keyis(key, n, pg->terms[i]->taxonomy)) {
			if (!count)
				first = i;
			count++;
		}
	if (!count)
		return 0;
	out->cls = &S_terms;
	out->p = &pg->terms[first];
	out->q = pg; /* an array of term pointers */
	out->i = count;
	return 1;
}
static enum mu_kind S_map_kind(const struct mu_val *v);
static const struct mu_class S_pageterms = {
	S_map_kind, S_pageterms_get, NULL, NULL, NULL, NULL, NULL
};
static void S_set_page(struct mu_val *out, const struct page *pg, const struct render_ctx *ctx)
{
	out->cls = &S_page;
	out->p = pg;
	out->q = ctx;
	out->i = 0;
}

/* A list of pages: p the array of page pointers, i its length, q the ctx. */
static void S_pages_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	S_set_page(out, ((const struct page *const *)v->p)[i], v->q);
}
static const struct mu_class S_pages = {
	S_list_kind, NULL, S_list_len, S_pages_at, NULL, NULL, NULL
};
static void S_set_pages(struct mu_val *out, struct page *const *v, size_t n, const struct render_ctx *ctx)
{
	out->cls = n ? &S_pages : NULL;
	out->p = v;
	out->q = ctx;
	out->i = n;
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

/* Back-references of one kind: p the first backref, i the count, q the ctx. */
static void S_back_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	S_set_page(out, ((const struct backref *)v->p)[i].from, v->q);
}
static const struct mu_class S_back = {
	S_list_kind, NULL, S_list_len, S_back_at, NULL, NULL, NULL
};

/* page.backrefs.TYPE_FIELD: p the page, q the ctx. */
static int S_backrefs_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct page *pg = v->p;
	size_t i, first = 0, count = 0;
	for (i = 0; i < pg->nin; i++) {
		const struct backref *e = &pg->in[i];
		size_t tn = strlen(e->from->type->name);
		if (n == tn + 1 + strlen(e->field->name) && memcmp(key, e->from->type->name, tn) == 0 &&
		    key[tn] == '_' && memcmp(key + tn + 1, e->field->name, n - tn - 1) == 0) {
			if (!count)
				first = i;
			count++;
		}
	}
	if (!count)
		return 0;
	out->cls = &S_back;
	out->p = &pg->in[first];
	out->q = v->q;
	out->i = count;
	return 1;
}
static const struct mu_class S_backrefs = {
	S_map_kind, S_backrefs_get, NULL, NULL, NULL, NULL, NULL
};

/*
 * Docs breadcrumbs: the docs list, then each folder above the page. p the
 * page, q the ctx, i the crumb (as a list: i the count).
 */
static size_t S_crumb_count(const struct page *pg)
{
	size_t n = 1;
	const char *s;
	for (s = pg->id; *s; s++)
		n += *s == '/';
	return n;
}
static int S_crumb_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct page *pg = v->p;
	const struct render_ctx *ctx = v->q;
	const char *s = pg->id, *title;
	const struct page *folder;
	size_t k;
	char *prefix;

	if (v->i == 0) {
		const struct listing *l = lists_type(ctx->st->lists, ctx->lang, pg->section);
		title = S_t(ctx, pg->section);
		if (S_keyis(key, n, "title"))
			S_set_str(out, title ? title : pg->section);
		else if (S_keyis(key, n, "url") && l)
			S_set_str(out, l->href);
		else
			return 0;
		return 1;
	}
	for (k = 1; k < v->i; k++)
		s = strchr(s, '/') + 1;
	s += strcspn(s, "/");
	prefix = xstrndup(pg->id, (size_t)(s - pg->id));
	folder = model_find(ctx->st->site, pg->section, prefix, pg->lang);
	if (S_keyis(key, n, "title")) {
		if (folder) {
			S_set_str(out, folder->title);
		} else { /* a folder with no page of its own: its name */
			const char *name = strrchr(prefix, '/');
			name = name ? name + 1 : prefix;
			out->cls = &S_str;
			out->p = pg->id + (name - prefix);
			out->q = NULL;
			out->i = strlen(name);
		}
	} else if (S_keyis(key, n, "url")) {
		/* "" rather than absent, so {{url}} does not find the page's own URL */
		S_set_str(out, folder ? folder->href : "");
	} else {
		free(prefix);
		return 0;
	}
	free(prefix);
	return 1;
}
static const struct mu_class S_crumb = {
	S_map_kind, S_crumb_get, NULL, NULL, NULL, NULL, NULL
};
static void S_crumbs_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	S_elem(out, &S_crumb, v, i);
}
static const struct mu_class S_crumbs = {
	S_list_kind, NULL, S_list_len, S_crumbs_at, NULL, NULL, NULL
};

/* A typed field's value for templates: refs become pages, dates text. */
static int S_field_value(const struct page *pg, const struct render_ctx *ctx, size_t k,
			 struct mu_val *out)
{
	const struct field *f = &pg->type->fields[k];
	const struct fval *fv = &pg->vals[k];
	if (!fv->node)
		return 0;
	if (f->kind == FIELD_REF) {
		if (!fv->nrefs)
			return 0;
		S_set_page(out, fv->refs[0], ctx);
	} else if (f->kind == FIELD_LIST && f->of == FIELD_REF) {
		S_set_pages(out, fv->refs, fv->nrefs, ctx);
	} else if (f->kind == FIELD_DATE) {
		S_set_date(out, pg->lang, fv->num);
	} else {
		S_set_y(out, fv->node);
	}
	return 1;
}

/* FIELD_label of an enum: the UI string "FIELD_VALUE", else the value. */
static int S_enum_label(const struct page *pg, const struct render_ctx *ctx, const char *key,
			size_t n, struct mu_val *out)
{
	const struct field *f = NULL;
	const struct fval *fv = NULL;
	struct buf name = BUF_INIT;
	const char *s;
	size_t k;

	if (n <= 6 || memcmp(key + n - 6, "_label", 6) != 0 || !pg->type)
		return 0;
	for (k = 0; k < pg->type->nfields; k++)
		if (S_keyis(key, n - 6, pg->type->fields[k].name)) {
			f = &pg->type->fields[k];
			fv = &pg->vals[k];
		}
	if (!f || f->kind != FIELD_ENUM || !fv->node)
		return 0;
	buf_printf(&name, "%s_%s", f->name, fv->node->str);
	s = S_t(ctx, buf_cstr(&name));
	buf_release(&name);
	S_set_str(out, s ? s : fv->node->str);
	return 1;
}

/* FIELD_iso of a date field: the date as written (YYYY-MM-DD), for <time datetime>. */
static int S_date_iso(const struct page *pg, const char *key, size_t n, struct mu_val *out)
{
	size_t k;
	if (n <= 4 || memcmp(key + n - 4, "_iso", 4) != 0 || !pg->type)
		return 0;
	for (k = 0; k < pg->type->nfields; k++)
		if (S_keyis(key, n - 4, pg->type->fields[k].name) &&
		    (pg->type->fields[k].kind == FIELD_DATE || pg->type->fields[k].kind == FIELD_DATETIME) &&
		    pg->vals[k].node) {
			S_set_y(out, pg->vals[k].node);
			return 1;
		}
	return 0;
}

static int S_page_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct page *pg = v->p;
	const struct render_ctx *ctx = v->q;
	size_t k;

	if (S_keyis(key, n, "title"))
		S_set_str(out, pg->title);
	else if (S_keyis(key, n, "url"))
		S_set_str(out, pg->href);
	else if (S_keyis(key, n, "permalink"))
		S_set_str(out, pg->permalink);
	else if (S_keyis(key, n, "type_name")) {
		const char *t = pg->type ? S_t(ctx, pg->type->folder) : NULL;
		S_set_str(out, t ? t : pg->section);
	} else if (S_keyis(key, n, "terms")) {
		out->cls = &S_pageterms;
		out->p = pg;
		out->q = NULL;
	} else if (S_keyis(key, n, "content"))
		S_set_html(out, pg->html ? pg->html : "", pg->html_len);
	else if (S_keyis(key, n, "toc")) {
		if (!pg->toc)
			return 0;
		S_set_html(out, pg->toc, strlen(pg->toc));
	} else if (S_keyis(key, n, "summary"))
		S_set_str(out, pg->summary ? pg->summary : "");
	else if (S_keyis(key, n, "reading_minutes"))
		S_set_num(out, (size_t)pg->reading_minutes);
	else if (S_keyis(key, n, "lang"))
		S_set_str(out, pg->lang->code);
	else if (S_keyis(key, n, "lang_name"))
		S_set_str(out, pg->lang->name);
	else if (S_keyis(key, n, "section"))
		S_set_str(out, pg->section);
	else if (S_keyis(key, n, "type"))
		S_set_str(out, pg->type ? pg->type->name : "page");
	else if (S_keyis(key, n, "id"))
		S_set_str(out, pg->id);
	else if (S_keyis(key, n, "depth")) {
		const char *c;
		size_t d = 0;
		for (c = pg->id; *c; c++)
			d += *c == '/';
		S_set_num(out, d);
	}
	else if (S_keyis(key, n, "source"))
		S_set_str(out, pg->path);
	else if (S_keyis(key, n, "translations")) {
		out->cls = S_trans_count(pg) ? &S_trans : NULL;
		out->p = pg;
		out->q = ctx;
		out->i = S_trans_count(pg);
	} else if (S_keyis(key, n, "backrefs")) {
		out->cls = &S_backrefs;
		out->p = pg;
		out->q = ctx;
	} else if (S_keyis(key, n, "prev") && pg->prev) {
		S_set_page(out, pg->prev, ctx);
	} else if (S_keyis(key, n, "next") && pg->next) {
		S_set_page(out, pg->next, ctx);
	} else if (S_keyis(key, n, "breadcrumbs") && pg->type && strchr(pg->id, '/')) {
		out->cls = &S_crumbs;
		out->p = pg;
		out->q = ctx;
		out->i = S_crumb_count(pg);
	} else if ((S_keyis(key, n, "date_iso") || S_keyis(key, n, "year")) && pg->date != LLONG_MIN) {
		int y, m, d;
		civil_from_days(pg->date, &y, &m, &d);
		/* a fixed-width text held by the page's own date field node */
		if (S_keyis(key, n, "year"))
			S_set_num(out, (size_t)y);
		else
			S_set_y(out, page_value(pg, "date")->node);
	} else if (S_enum_label(pg, ctx, key, n, out) || S_date_iso(pg, key, n, out)) {
		return 1;
	} else {
		for (k = 0; pg->type && k < pg->type->nfields; k++)
			if (S_keyis(key, n, pg->type->fields[k].name))
				return S_field_value(pg, ctx, k, out);
		if (pg->front) {
			struct mu_val fm;
			S_set_y(&fm, pg->front);
			return S_y_get(&fm, key, n, out);
		}
		return 0;
	}
	return 1;
}
static const struct mu_class S_page = {
	S_map_kind, S_page_get, NULL, NULL, NULL, NULL, NULL
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
 * language index. url is this output in that language: the page's
 * translation, the same type list, or else that language's home page, so
 * the switcher never leads to a page that does not exist.
 */
static const struct page *S_translation(const struct page *pg, const struct lang *l)
{
	const struct page *t = pg;
	do {
		if (t->lang == l)
			return t;
		t = t->next_translation;
	} while (t && t != pg);
	return NULL;
}
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
		const char *url = NULL;
		if (ctx->page) {
			const struct page *t = S_translation(ctx->page, l);
			url = t ? t->href : NULL;
		} else if (ctx->list && ctx->list->kind == LIST_TYPE) {
			const struct listing *o = lists_type(ctx->st->lists, v->i, ctx->list->type->folder);
			url = o ? o->href : NULL;
		} else if (ctx->list && ctx->list->kind == LIST_HOME) {
			url = ctx->st->home_urls[v->i];
		}
		if (S_keyis(key, n, "available"))
			S_set_bool(out, url != NULL);
		else
			S_set_str(out, url ? url : ctx->st->home_urls[v->i]);
	} else
		return 0;
	return 1;
}
static const struct mu_class S_langlink = {
	S_map_kind, S_langlink_get, NULL, NULL, NULL, NULL, NULL
};
static void S_langs_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	S_elem(out, &S_langlink, v, i);
}
static const struct mu_class S_langs = {
	S_list_kind, NULL, S_list_len, S_langs_at, NULL, NULL, NULL
};

/* A link to a listing: p the listing, q the ctx. name, url, count, current. */
static int S_navitem_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct listing *l = v->p;
	const struct render_ctx *ctx = v->q;
	if (S_keyis(key, n, "name")) {
		const char *s = S_t(ctx, l->type->folder);
		S_set_str(out, s ? s : l->type->folder);
	} else if (S_keyis(key, n, "url")) {
		S_set_str(out, l->href);
	} else if (S_keyis(key, n, "type")) {
		S_set_str(out, l->type->name);
	} else if (S_keyis(key, n, "current")) {
		S_set_bool(out, (ctx->list && ctx->list->type == l->type) ||
					(ctx->page && ctx->page->type == l->type));
	} else if (S_keyis(key, n, "count")) {
		S_set_num(out, l->total);
	} else {
		return 0;
	}
	return 1;
}
static const struct mu_class S_navitem = {
	S_map_kind, S_navitem_get, NULL, NULL, NULL, NULL, NULL
};
static void S_nav_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	out->cls = &S_navitem;
	out->p = ctx->st->nav[ctx->lang][i];
	out->q = ctx;
	out->i = 0;
}
static const struct mu_class S_nav = {
	S_list_kind, NULL, S_list_len, S_nav_at, NULL, NULL, NULL
};

/* Year archive links: p the year_link array, i the count. */
static int S_year_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct year_link *y = v->p;
	if (S_keyis(key, n, "year"))
		S_set_num(out, (size_t)y->year);
	else if (S_keyis(key, n, "url"))
		S_set_str(out, y->href);
	else if (S_keyis(key, n, "count"))
		S_set_num(out, y->count);
	else
		return 0;
	return 1;
}
static const struct mu_class S_year = {
	S_map_kind, S_year_get, NULL, NULL, NULL, NULL, NULL
};
static void S_years_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	out->cls = &S_year;
	out->p = (const struct year_link *)v->p + i;
	out->q = NULL;
	out->i = 0;
}
static const struct mu_class S_years = {
	S_list_kind, NULL, S_list_len, S_years_at, NULL, NULL, NULL
};

/* A taxonomy term: p the term. */
static int S_term_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct term *t = v->p;
	if (S_keyis(key, n, "name"))
		S_set_str(out, t->name);
	else if (S_keyis(key, n, "url"))
		S_set_str(out, t->href);
	else if (S_keyis(key, n, "count"))
		S_set_num(out, t->n);
	else if (S_keyis(key, n, "slug"))
		S_set_str(out, t->slug);
	else
		return 0;
	return 1;
}
static const struct mu_class S_term = {
	S_map_kind, S_term_get, NULL, NULL, NULL, NULL, NULL
};
/* Terms: p an array of terms (q NULL) or of term pointers (q non-NULL). */
static void S_terms_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	out->cls = &S_term;
	out->p = v->q ? ((const struct term *const *)v->p)[i] : (const struct term *)v->p + i;
	out->q = NULL;
	out->i = 0;
}
static const struct mu_class S_terms = {
	S_list_kind, NULL, S_list_len, S_terms_at, NULL, NULL, NULL
};

/* Pagination links: p the listing; as a list, i the count of pages. */
static int S_pagelink_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct listing *l = (const struct listing *)v->p + v->i;
	if (S_keyis(key, n, "number"))
		S_set_num(out, l->page_no);
	else if (S_keyis(key, n, "url"))
		S_set_str(out, l->href);
	else if (S_keyis(key, n, "current"))
		S_set_bool(out, l == v->q);
	else
		return 0;
	return 1;
}
static const struct mu_class S_pagelink = {
	S_map_kind, S_pagelink_get, NULL, NULL, NULL, NULL, NULL
};
static void S_pagelinks_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	S_elem(out, &S_pagelink, v, i);
}
static const struct mu_class S_pagelinks = {
	S_list_kind, NULL, S_list_len, S_pagelinks_at, NULL, NULL, NULL
};
static int S_pagination_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct listing *l = v->p;
	if (S_keyis(key, n, "page"))
		S_set_num(out, l->page_no);
	else if (S_keyis(key, n, "pages"))
		S_set_num(out, l->npages);
	else if (S_keyis(key, n, "prev") && l->prev_href)
		S_set_str(out, l->prev_href);
	else if (S_keyis(key, n, "next") && l->next_href)
		S_set_str(out, l->next_href);
	else if (S_keyis(key, n, "links")) {
		out->cls = &S_pagelinks;
		out->p = l->first;
		out->q = l;
		out->i = l->npages;
	} else
		return 0;
	return 1;
}
static const struct mu_class S_pagination = {
	S_map_kind, S_pagination_get, NULL, NULL, NULL, NULL, NULL
};

/* The site: p the ctx. */
static int S_site_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	const struct config *cfg = ctx->st->site->cfg;

	const struct lang *l = &cfg->langs[ctx->lang];

	if (S_keyis(key, n, "title"))
		S_set_str(out, l->title ? l->title : cfg->title);
	else if (S_keyis(key, n, "description"))
		S_set_str(out, l->description ? l->description : cfg->description);
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
		out->i = ctx->st->nnav[ctx->lang];
	} else
		return 0;
	return 1;
}
static const struct mu_class S_site = {
	S_map_kind, S_site_get, NULL, NULL, NULL, NULL, NULL
};

/* A listing's title: the type or taxonomy name, the term, the year. */
static void S_list_title(const struct render_ctx *ctx, struct mu_val *out)
{
	const struct listing *l = ctx->list;
	const char *s;
	switch (l->kind) {
	case LIST_HOME: {
		const struct lang *lg = &ctx->st->site->cfg->langs[ctx->lang];
		S_set_str(out, lg->title ? lg->title : ctx->st->site->cfg->title);
		return;
	}
	case LIST_TYPE:
	case LIST_YEAR:
		s = S_t(ctx, l->type->folder);
		S_set_str(out, s ? s : l->type->folder);
		return;
	case LIST_TAXONOMY:
		s = S_t(ctx, l->taxonomy);
		S_set_str(out, s ? s : l->taxonomy);
		return;
	case LIST_TERM:
		S_set_str(out, l->term->name);
		return;
	}
}

/* Root keys that only listings have. */
static int S_list_get(const struct render_ctx *ctx, const char *key, size_t n, struct mu_val *out)
{
	const struct listing *l = ctx->list;
	if (S_keyis(key, n, "title"))
		S_list_title(ctx, out);
	else if (S_keyis(key, n, "pages"))
		S_set_pages(out, l->items, l->nitems, ctx);
	else if (S_keyis(key, n, "total"))
		S_set_num(out, l->total);
	else if (S_keyis(key, n, "empty"))
		S_set_bool(out, l->total == 0 && l->nupcoming == 0);
	else if (S_keyis(key, n, "type") && l->type)
		S_set_str(out, l->type->name);
	else if (S_keyis(key, n, "taxonomy") && l->taxonomy)
		S_set_str(out, l->taxonomy);
	else if (S_keyis(key, n, "taxonomy_title") && l->taxonomy) {
		const char *s = S_t(ctx, l->taxonomy);
		S_set_str(out, s ? s : l->taxonomy);
	} else if (S_keyis(key, n, "taxonomy_url") && l->index_href) {
		S_set_str(out, l->index_href);
	} else if (S_keyis(key, n, "year") && l->kind == LIST_YEAR)
		S_set_num(out, (size_t)l->year);
	else if (S_keyis(key, n, "pagination") && l->npages > 1) {
		out->cls = &S_pagination;
		out->p = l;
	} else if (S_keyis(key, n, "upcoming"))
		S_set_pages(out, l->upcoming, l->nupcoming, ctx);
	else if (S_keyis(key, n, "years") && l->nyears) {
		out->cls = &S_years;
		out->p = l->years;
		out->i = l->nyears;
	} else if (S_keyis(key, n, "terms") && l->nterms) {
		out->cls = &S_terms;
		out->p = l->terms;
		out->q = NULL;
		out->i = l->nterms;
	} else if (S_keyis(key, n, "latest_talks"))
		S_set_pages(out, l->latest_talks, l->nlatest_talks, ctx);
	else if (S_keyis(key, n, "recent_faqs"))
		S_set_pages(out, l->recent_faqs, l->nrecent_faqs, ctx);
	else if (S_keyis(key, n, "popular_tags") && l->npopular_tags) {
		out->cls = &S_terms;
		out->p = l->popular_tags;
		out->q = l; /* an array of pointers */
		out->i = l->npopular_tags;
	} else
		return 0;
	return 1;
}

/* The root of every output: p the ctx. */
static int S_root_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;

	out->q = NULL;
	out->i = 0;
	if (S_keyis(key, n, "site")) {
		out->cls = &S_site;
		out->p = ctx;
	} else if (S_keyis(key, n, "page") && ctx->page) {
		S_set_page(out, ctx->page, ctx);
	} else if (S_keyis(key, n, "t")) {
		out->cls = &S_i18n;
		out->p = ctx;
	} else if (S_keyis(key, n, "lang")) {
		S_set_str(out, ctx->st->site->cfg->langs[ctx->lang].code);
	} else if (S_keyis(key, n, "url")) {
		S_set_str(out, ctx->url);
	} else if (S_keyis(key, n, "kind")) {
		S_set_str(out, ctx->kind);
	} else if (S_keyis(key, n, ctx->kind) && strlen(ctx->kind) == n) {
		S_set_bool(out, 1); /* {{#home}}...{{/home}} */
	} else if (ctx->list) {
		return S_list_get(ctx, key, n, out);
	} else {
		return 0;
	}
	return 1;
}
static const struct mu_class S_root = {
	S_map_kind, S_root_get, NULL, NULL, NULL, NULL, NULL
};

/* --- jobs --------------------------------------------------------------- */

static const char *const S_kind_names[] = { "home", "list", "year", "taxonomy", "term" };
static const char *const S_kind_layouts[] = { "home", "list", "list", "taxonomy", "term" };

static void S_render_one(const struct render_state *st, struct render_ctx *ctx,
			 const char *layout, const char *fallback, const char *out_path, struct buf *b,
			 int *failed)
{
	struct mu_val root = { &S_root, ctx, NULL, 0 };

	buf_reset(b);
	if (!mu_set_has(st->theme->set, layout))
		layout = fallback;
	if (!mu_set_has(st->theme->set, layout)) {
		diag_error(NULL, 0, 0, "the theme has no layout '%s' (layouts/%s.html) for %s", layout, layout, out_path);
		*failed = 1;
		return;
	}
	if (mu_render(b, st->theme->set, layout, &root) ||
	    output_write(st->out, out_path, b->ptr ? b->ptr : "", b->len))
		*failed = 1;
}

/*
 * The outputs, in one flat index space so one pool call renders them all:
 * [0, npages) pages, then the listings, then the assets.
 */
static void S_job(size_t i, int worker, void *payload)
{
	struct render_state *st = payload;
	const struct site *site = st->site;
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
		S_render_one(st, &ctx, pg->type ? pg->type->name : "page", "page", pg->out_path, b, &failed);
	} else if ((i -= site->npages) < st->lists->n) {
		const struct listing *l = &st->lists->v[i];
		ctx.lang = l->lang;
		ctx.list = l;
		ctx.kind = S_kind_names[l->kind];
		ctx.url = l->href;
		S_render_one(st, &ctx, S_kind_layouts[l->kind], "list", l->out_path, b, &failed);
	} else {
		const struct theme_asset *a = &st->theme->assets[i - st->lists->n];
		if (output_write(st->out, a->path, a->data, a->len))
			failed = 1;
	}
	if (failed)
		atomic_store(&st->failed, 1);
}

/* --- preparation -------------------------------------------------------- */

static void S_prepare(struct render_state *st, struct arena *a)
{
	const struct site *site = st->site;
	const struct config *cfg = site->cfg;
	size_t nl = cfg->nlangs, i, k;

	st->home_urls = arena_alloc(a, nl * sizeof(*st->home_urls));
	st->nav = arena_alloc(a, nl * sizeof(*st->nav));
	st->nnav = arena_alloc(a, nl * sizeof(*st->nnav));
	for (i = 0; i < nl; i++) {
		st->home_urls[i] = cfg->langs[i].is_default ? site->root
							    : arena_printf(a, "%s%s/", site->root, cfg->langs[i].code);
		st->nav[i] = arena_alloc(a, (st->lists->n ? st->lists->n : 1) * sizeof(**st->nav));
		st->nnav[i] = 0;
	}
	/* The navigation: each language's type lists that have items, in type order. */
	for (k = 0; k < st->lists->n; k++) {
		const struct listing *l = &st->lists->v[k];
		if (l->kind == LIST_TYPE && l->page_no == 1 && (l->total > 0 || l->nupcoming > 0))
			st->nav[l->lang][st->nnav[l->lang]++] = l;
	}
}

int render_site(const struct site *site, const struct theme *theme, const struct lists *lists,
		struct output *out, int nthreads, size_t *pages_out)
{
	struct render_state st;
	struct arena a = ARENA_INIT;
	size_t total;
	int w, nw = nthreads > 0 ? nthreads : 1;

	memset(&st, 0, sizeof(st));
	st.site = site;
	st.theme = theme;
	st.lists = lists;
	st.out = out;
	atomic_init(&st.failed, 0);
	S_prepare(&st, &a);
	st.bufs = xcalloc((size_t)nw, sizeof(*st.bufs));
	total = site->npages + lists->n + theme->nassets;
	pool_run(nthreads, total, S_job, &st);
	for (w = 0; w < nw; w++)
		buf_release(&st.bufs[w]);
	*pages_out = site->npages + lists->n;
	free(st.bufs);
	arena_release(&a);
	return atomic_load(&st.failed) ? -1 : 0;
}
