/*
 * render: the model as template data, and the jobs that render each
 * output. Every value a contributor wrote reaches a template through a class
 * that is not trusted, so {{x}} escapes it and {{{x}}} refuses it; only the
 * classes that say .trusted = 1 hold HTML, and that HTML is the generator's
 * own (the rendered body, the table of contents through mu_val_html, JSON-LD).
 */
#include "render.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "atom.h"
#include "diag.h"
#include "escape.h"
#include "ics.h"
#include "ids.h"
#include "insights.h"
#include "personyear.h"
#include "jsonld.h"
#include "l10n.h"
#include "links.h"
#include "lists.h"
#include "memsite.h"
#include "plan.h"
#include "pool.h"
#include "rerender.h"
#include "util.h"
#include "video.h"

#define S_NREACH (L10N_OTHER + 1) /* the kinds of enum l10n_reach */

/* Everything the jobs share; read-only once the jobs start. */
struct render_state {
	const struct site *site;
	const struct theme *theme;
	const struct lists *lists;
	const struct plan *plan; /* its html slice is the jobs, in job order */
	struct output *out;
	const char **home_urls;      /* per language: "/", "/en/" (under the base path) */
	const struct listing ***nav; /* per language: its type lists with items */
	size_t *nnav;
	const struct listing ***tax; /* per language: its taxonomy indexes, in site.yaml order */
	size_t *ntax;
	struct buf *bufs;          /* one per worker */
	struct render_job *jobs;   /* one per output, in job order */
	struct mu_names *names;    /* the names the templates' tags found, all jobs together */
	unsigned long budget;      /* template steps for all outputs together */
	atomic_ulong steps;        /* taken so far, by the jobs that finished */
	atomic_size_t max_started; /* the highest job started */
	atomic_size_t stop;        /* jobs after this one are skipped; SIZE_MAX: none */
	struct rerender *rr;       /* what each job reads, and what it may keep (rerender.h) */
	size_t unknown;            /* names check: the tags no output's data had */
	const char **reach_labels; /* per language, per enum l10n_reach: S_reach_labels */
	const char **type_names;   /* per language, per site type: S_type_t */
};

/*
 * Template steps for the whole site: one runaway output's worth (the
 * engine's own cap, 2^24) plus 2^16 per output. The portal's 295 outputs
 * take 230,000 steps, none over 1,700; without a total, a template that
 * stays just under the engine's cap costs a quarter of a second on every
 * page.
 */
#define RENDER_STEPS_BASE (1UL << 24)
#define RENDER_STEPS_PER_OUTPUT (1UL << 16)
/*
 * An output's bytes count in those steps, one per 4: the base is then one
 * runaway output's worth of bytes too (the engine's cap, 64 MiB), and
 * 256 KiB an output on average (the portal's average 8.8 KB, at most
 * 23 KB; c10k's 17 KB). Without it, a text that takes few steps and is
 * written on every page (a UI string of 20 MB, a layout's) was written
 * 10,000 times at 10,000 pages: 200 GB.
 */
#define RENDER_BYTES_PER_STEP 4

/*
 * One output's render, kept until all are done. Jobs start in index
 * order, and a job is skipped only when one before it failed or when the
 * steps of the jobs started before it are over the budget, so every job up
 * to the one reported has run: what is reported is the same at any -j.
 */
struct render_job {
	const char *what;   /* the page's source file or the output's URL */
	const char *layout; /* the layout it was rendered with */
	struct mu_run run;  /* its steps; run.msg: its template error */
};

/* What one output is made of: the root context of its template. */
struct render_ctx {
	const struct render_state *st;
	size_t lang;
	const struct page *page;               /* a single page, or NULL */
	const struct listing *list;            /* a listing, or NULL */
	enum plan_kind kind;                   /* what it is: {{kind}} is plan_kinds[kind].name */
	size_t year;                           /* PLAN_CONTRIBUTORS_YEAR: which of site->insights->years */
	const char *url;                       /* this output's URL */
	const struct page *person;             /* PLAN_PERSON_YEAR: the person page (not page: the head's
	                               canonical, alternates and JSON-LD are the year page's own) */
	const struct person_year *person_year; /* PLAN_PERSON_YEAR: its year */
	size_t job;                            /* its job, for rerender_read */
};

/*
 * The output this thread renders, for the values that carry no ctx
 * (terms): what they read is recorded for it (rerender.h).
 */
static _Thread_local const struct render_ctx *S_cur;

static const char *S_t(const struct render_ctx *ctx, const char *key)
{
	return theme_string(ctx->st->theme, ctx->st->site->cfg, ctx->lang, key, strlen(key));
}

/*
 * The UI string of type ty's folder ("talks": "Talks"), or NULL: looked up
 * once per language and type (S_type_names), as every page's navigation
 * names each type and a listing each of its items' types. A type that is
 * not the site's (none is) is looked up here.
 */
static const char *S_type_t(const struct render_ctx *ctx, const struct type *ty)
{
	const struct types *ts = &ctx->st->site->types;
	if (ctx->st->type_names && ty >= ts->v && ty < ts->v + ts->n)
		return ctx->st->type_names[ctx->lang * ts->n + (size_t)(ty - ts->v)];
	return S_t(ctx, ty->folder);
}

/* --- value classes ------------------------------------------------------ */

/*
 * key (n bytes, a template's name: at most 256) is lit. No more of lit is
 * read than n + 1 bytes: lit may be a field or type name from site.yaml,
 * of any length, and a lookup must cost the key's length, not the name's.
 */
static inline __attribute__((always_inline)) int S_keyis(const char *key, size_t n, const char *lit)
{
	/*
	 * A string literal (most names, in the getters' long chains): its
	 * length is known when compiling, so the test is a length compare and
	 * a word or two compared in place, with no call (the chains' misses
	 * were 5% of a cold build's CPU through strnlen and memcmp).
	 */
	if (__builtin_constant_p(__builtin_strlen(lit)))
		return n == __builtin_strlen(lit) && memcmp(key, lit, __builtin_strlen(lit)) == 0;
	/* The first byte first: most of a getter's chain of names differs there (profiled). */
	if (n == 0)
		return lit[0] == '\0';
	return key[0] == lit[0] && strnlen(lit, n + 1) == n && memcmp(key, lit, n) == 0;
}

/*
 * The length of s, charged to the render at a step per 256 bytes: a
 * string of site.yaml or of a UI strings file can be megabytes long, and
 * a section that only tests it in a loop writes nothing, so the output
 * cap would not stop it (a 16 MB site title tested 5,000 times: a minute).
 */
static size_t S_strlen(const char *s)
{
	size_t n = strlen(s);
	mu_charge(n / 256);
	return n;
}

/*
 * Strings are the engine's plain text (mu_val_str), never trusted; the
 * table of contents is its HTML (mu_val_html). The classes below each
 * declare what they are in designated initializers; the shells that are
 * only a map, only a list or only an always-true text are one line each.
 */
static enum mu_kind S_scalar_kind(const struct mu_val *v)
{
	(void)v;
	return MU_SCALAR;
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
static int S_true(const struct mu_val *v)
{
	(void)v;
	return 1;
}

/* A map: get_fn looks its keys up. */
#define S_MAP_CLASS(name, get_fn) static const struct mu_class name = { .kind = S_map_kind, .get = get_fn }
/* A list of v->i elements: at_fn makes element i. */
#define S_LIST_CLASS(name, at_fn) \
	static const struct mu_class name = { .kind = S_list_kind, .len = S_list_len, .at = at_fn }
/* A scalar that is always true: text_fn writes it (plain text: the engine escapes it). */
#define S_TEXT_CLASS(name, text_fn) \
	static const struct mu_class name = { .kind = S_scalar_kind, .text = text_fn, .truthy = S_true }

static void S_set_str(struct mu_val *out, const char *s)
{
	mu_val_str(out, s, S_strlen(s));
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
	.kind = S_bool_kind,
	.text = S_bool_text,
	.truthy = S_bool_truthy,
};

static void S_set_bool(struct mu_val *out, int b)
{
	out->cls = &S_bool;
	out->p = out->q = NULL;
	out->i = b != 0;
}

/*
 * Front matter: p is a struct ynode. Never trusted. A lookup scans the
 * mapping, which front matter can make thousands of keys long: the scan is
 * charged to the render (mu_charge), like every getter below whose work
 * grows with the data, so a template cannot repeat it without bound.
 */
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
			mu_charge(k / 2);
			S_set_y(out, m->kids[k + 1]);
			return 1;
		}
	mu_charge(m->n / 2);
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
	.kind = S_y_kind,
	.get = S_y_get,
	.len = S_y_len,
	.at = S_y_at,
	.text = S_y_text,
	.truthy = S_y_truthy,
};

/* Element i of a list handle v, as a value of class cls sharing v's state. */
static void S_elem(struct mu_val *out, const struct mu_class *cls, const struct mu_val *v, size_t i)
{
	out->cls = cls;
	out->p = v->p;
	out->q = v->q;
	out->i = i;
}

/* A list whose element i is a value of class elem sharing the list's p and q. */
#define S_LIST_OF(name, elem)                                                       \
	static void name##_at(const struct mu_val *v, size_t i, struct mu_val *out) \
	{                                                                           \
		S_elem(out, &elem, v, i);                                           \
	}                                                                           \
	S_LIST_CLASS(name, name##_at)

static void S_set_num(struct mu_val *out, size_t n);
static const struct mu_class S_abs;

/* A list of strings: p the array, i the count. */
static void S_strs_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	S_set_str(out, ((const char *const *)v->p)[i]);
}
S_LIST_CLASS(S_strs, S_strs_at);

/* A picture: p the struct picture, q the site (for the absolute URL). */
static int S_pic_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct picture *pic = v->p;
	if (S_keyis(key, n, "url")) {
		S_set_str(out, pic->href);
	} else if (S_keyis(key, n, "abs")) {
		out->cls = &S_abs;
		out->p = v->q;
		out->q = pic->href;
	} else if (S_keyis(key, n, "width") || S_keyis(key, n, "height")) {
		int px = key[0] == 'w' ? pic->width : pic->height;
		/* unknown is "", not absent: {{width}} must not find an outer width */
		if (px > 0)
			S_set_num(out, (size_t)px);
		else
			S_set_str(out, "");
	} else {
		return 0;
	}
	return 1;
}
S_MAP_CLASS(S_pic, S_pic_get);
static int S_set_pic(struct mu_val *out, const struct picture *pic, const struct site *site)
{
	if (!pic->href)
		return 0;
	out->cls = &S_pic;
	out->p = pic;
	out->q = site;
	out->i = 0;
	return 1;
}

/*
 * Whether href names a raster image a social network shows (og:image): by
 * its file name's extension, before any query or fragment. SVG, and a name
 * that says nothing, are not.
 */
static int S_is_raster(const char *href)
{
	return plan_is_raster(href);
}

/* A date: p the language it is shown in, i the day number (cast). */
static const char *const S_months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static void S_date_text(const struct mu_val *v, struct buf *out)
{
	const struct lang *l = v->p;
	int y, m, d;
	civil_from_days((long long)v->i, &y, &m, &d);
	/* "%d年%d月%d日", "%d년 %d월 %d일" and "%s %d, %d" (month, day, year) put part by part */
	if (str_starts(l->code, "zh") || str_starts(l->code, "ja")) {
		buf_put_int(out, y);
		buf_puts(out, "年");
		buf_put_int(out, m);
		buf_puts(out, "月");
		buf_put_int(out, d);
		buf_puts(out, "日");
	} else if (str_starts(l->code, "ko")) {
		buf_put_int(out, y);
		buf_puts(out, "년 ");
		buf_put_int(out, m);
		buf_puts(out, "월 ");
		buf_put_int(out, d);
		buf_puts(out, "일");
	} else {
		buf_puts(out, S_months[m - 1]);
		buf_putc(out, ' ');
		buf_put_int(out, d);
		buf_puts(out, ", ");
		buf_put_int(out, y);
	}
}
S_TEXT_CLASS(S_date, S_date_text);
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
	buf_put_uint(out, v->i);
}
S_TEXT_CLASS(S_num, S_num_text);
static void S_set_num(struct mu_val *out, size_t n)
{
	out->cls = &S_num;
	out->p = out->q = NULL;
	out->i = n;
}

/* Two strings as one, made as it is written out: p (i bytes), then q. */
static void S_join_text(const struct mu_val *v, struct buf *out)
{
	buf_put(out, v->p, v->i);
	buf_puts(out, v->q);
}
S_TEXT_CLASS(S_join, S_join_text);
static void S_set_join(struct mu_val *out, const char *a, size_t n, const char *b)
{
	out->cls = &S_join;
	out->p = a;
	out->q = b;
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
	mu_charge(pg->nterms);
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
S_MAP_CLASS(S_pageterms, S_pageterms_get);
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
S_LIST_CLASS(S_pages, S_pages_at);
static void S_set_pages(struct mu_val *out, struct page *const *v, size_t n, const struct render_ctx *ctx)
{
	out->cls = n ? &S_pages : NULL;
	out->p = v;
	out->q = ctx;
	out->i = n;
}

/*
 * The pages a page listed untranslated names (a zh talk's speakers on an
 * English list), each in the output's language where it is translated:
 * p the array, i its length, q the ctx.
 */
static void S_refs_in_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	const struct render_ctx *ctx = v->q;
	const struct page *pg = ((const struct page *const *)v->p)[i], *t;
	t = page_in_lang(pg, &ctx->st->site->cfg->langs[ctx->lang]);
	S_set_page(out, t ? t : pg, ctx);
}
S_LIST_CLASS(S_refs_in, S_refs_in_at);

/* A page's translations (itself excluded): p the page, i the count. */
static size_t S_trans_count(const struct page *pg)
{
	const struct page *t;
	size_t n = 0;
	for (t = pg->next_translation; t && t != pg; t = t->next_translation)
		n++;
	mu_charge(n);
	return n;
}
static void S_trans_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	const struct page *t = ((const struct page *)v->p)->next_translation;
	mu_charge(i);
	while (i--)
		t = t->next_translation;
	S_set_page(out, t, v->q);
}
S_LIST_CLASS(S_trans, S_trans_at);

/* Back-references of one kind: p the first backref, i the count, q the ctx. */
static void S_back_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	S_set_page(out, ((const struct backref *)v->p)[i].from, v->q);
}
S_LIST_CLASS(S_back, S_back_at);

/* page.backrefs.TYPE_FIELD: p the page, q the ctx. */
static int S_backrefs_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct page *pg = v->p;
	size_t i, first = 0, count = 0;
	mu_charge(pg->nin);
	for (i = 0; i < pg->nin; i++) {
		const struct backref *e = &pg->in[i];
		size_t tn = strnlen(e->from->type->name, n); /* TYPE_FIELD: read no more than the key */
		if (tn < n && key[tn] == '_' && memcmp(key, e->from->type->name, tn) == 0 &&
		    S_keyis(key + tn + 1, n - tn - 1, e->field->name)) {
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
S_MAP_CLASS(S_backrefs, S_backrefs_get);

/* Back-references in reverse (soonest first): p the first backref, i the count, q the ctx. */
static void S_back_rev_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	S_set_page(out, ((const struct backref *)v->p)[v->i - 1 - i].from, v->q);
}
S_LIST_CLASS(S_back_rev, S_back_rev_at);

/*
 * page.upcoming.TYPE_FIELD and page.past.TYPE_FIELD: the back-references
 * from items of a type with role calendar, split at the build day as
 * the lists are (upcoming soonest first, past newest first; without a
 * build time, all past). p the page, q the ctx, i 1 for upcoming.
 */
static int S_split_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct backref *first;
	long long today = ((const struct render_ctx *)v->q)->st->site->today;
	size_t nup = 0;

	if (!S_backrefs_get(v, key, n, out))
		return 0;
	first = out->p;
	if (!first->from->type->roles.calendar) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	/* newest first within one field: the upcoming ones are a prefix */
	while (today != LLONG_MAX && nup < out->i && first[nup].from->date >= today)
		nup++;
	mu_charge(nup);
	if (v->i) {
		out->cls = nup ? &S_back_rev : NULL;
		out->i = nup;
	} else {
		out->p = first + nup;
		out->i -= nup;
		out->cls = out->i ? &S_back : NULL;
	}
	return 1;
}
S_MAP_CLASS(S_split, S_split_get);

/*
 * The UI string "PREFIX_A_B" ("refs_event_hosts", "kind_university"), or
 * NULL. Names from site.yaml can be of any length: one too long for a key
 * is looked up no further.
 */
static const char *S_t_joined(const struct render_ctx *ctx, const char *prefix, const char *a, const char *b)
{
	struct buf key = BUF_INIT;
	const char *s = NULL;
	size_t n = strlen(prefix) + strnlen(a, THEME_KEY_MAX + 1) + 1 + strnlen(b, THEME_KEY_MAX + 1);
	if (n <= THEME_KEY_MAX) {
		buf_printf(&key, "%s%s_%s", prefix, a, b);
		s = S_t(ctx, buf_cstr(&key));
	}
	buf_release(&key);
	return s;
}

/*
 * page.referenced_by: the pages that refer to this one, one group per
 * referring type and field (pg->in is sorted that way), so a page of any
 * type lists whatever names it without a line of code per type. p the
 * page, q the ctx, i the group.
 */
static int S_refrun_same(const struct backref *a, const struct backref *b)
{
	return a->from->type == b->from->type && a->field == b->field;
}
static size_t S_refruns(const struct page *pg)
{
	size_t i, n = 0;
	mu_charge(pg->nin);
	for (i = 0; i < pg->nin; i++)
		n += i == 0 || !S_refrun_same(&pg->in[i - 1], &pg->in[i]);
	return n;
}
static int S_refrun_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct page *pg = v->p;
	const struct render_ctx *ctx = v->q;
	const struct backref *e = NULL;
	size_t i, run = 0, first = 0, count = 0;
	const char *s;

	mu_charge(pg->nin);
	for (i = 0; i < pg->nin; i++) {
		if (i > 0 && !S_refrun_same(&pg->in[i - 1], &pg->in[i]) && run++ == v->i)
			break;
		if (run == v->i && !count++)
			first = i;
	}
	e = &pg->in[first];
	if (S_keyis(key, n, "type")) {
		S_set_str(out, e->from->type->name);
	} else if (S_keyis(key, n, "field")) {
		S_set_str(out, e->field->name);
	} else if (S_keyis(key, n, "title")) {
		/* "refs_person_org", else the referring type's list title: a new type needs no string */
		s = S_t_joined(ctx, "refs_", e->from->type->name, e->field->name);
		if (!s)
			s = S_type_t(ctx, e->from->type);
		S_set_str(out, s ? s : e->from->type->folder);
	} else if (S_keyis(key, n, "count")) {
		S_set_num(out, count);
	} else if (S_keyis(key, n, "pages")) {
		out->cls = &S_back;
		out->p = e;
		out->q = ctx;
		out->i = count;
	} else {
		return 0;
	}
	return 1;
}
S_MAP_CLASS(S_refrun, S_refrun_get);
S_LIST_OF(S_refruns_list, S_refrun);

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
		const struct page *intro = model_intro(ctx->st->site, pg->section, pg->lang);
		title = intro && intro->title ? intro->title : S_t(ctx, pg->section); /* its _index.md's */
		if (S_keyis(key, n, "title"))
			S_set_str(out, title ? title : pg->section);
		else if (S_keyis(key, n, "url") && l)
			S_set_str(out, l->href);
		else
			return 0;
		return 1;
	}
	mu_charge(v->i);
	for (k = 1; k < v->i; k++)
		s = strchr(s, '/') + 1;
	s += strcspn(s, "/");
	prefix = xstrndup(pg->id, (size_t)(s - pg->id));
	folder = model_find(ctx->st->site, pg->section, prefix, pg->lang);
	if (S_keyis(key, n, "title")) {
		if (folder) {
			rerender_read_as(ctx->st->rr, ctx->job, folder, RR_TITLE);
			S_set_str(out, folder->title);
		} else { /* a folder with no page of its own: its name */
			const char *name = strrchr(prefix, '/');
			name = name ? name + 1 : prefix;
			mu_val_str(out, pg->id + (name - prefix), strlen(name));
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
S_MAP_CLASS(S_crumb, S_crumb_get);
S_LIST_OF(S_crumbs, S_crumb);

/* A typed field's value for templates: refs become pages, dates text. */
static int S_field_value(const struct page *pg, const struct render_ctx *ctx, size_t k, struct mu_val *out)
{
	const struct field *f = &pg->type->fields[k];
	const struct fval *fv = &pg->vals[k];
	if (!fv->node)
		return 0;
	const struct lang *l = &ctx->st->site->cfg->langs[ctx->lang];
	if (f->kind == FIELD_REF) {
		const struct page *t = fv->nrefs ? page_in_lang(fv->refs[0], l) : NULL;
		if (fv->nrefs)
			S_set_page(out, t ? t : fv->refs[0], ctx); /* in the output's language where it can */
		else if (f->or_text) /* a value that names no item: text as written */
			S_set_y(out, fv->node);
		else
			return 0;
	} else if (f->kind == FIELD_LIST && f->of == FIELD_REF) {
		S_set_pages(out, fv->refs, fv->nrefs, ctx);
		if (pg->lang != l && fv->nrefs)
			out->cls =
				&S_refs_in; /* an item listed untranslated: its people in the reader's language */
	} else if (f->kind == FIELD_DATE) {
		S_set_date(out, &ctx->st->site->cfg->langs[ctx->lang], fv->num); /* the reader's language */
	} else if (f->kind == FIELD_URL && fv->hrefs) {
		S_set_str(out, fv->hrefs[0]); /* where the file was published, for instance */
	} else if (f->kind == FIELD_LIST && f->of == FIELD_URL && fv->hrefs) {
		out->cls = &S_strs;
		out->p = fv->hrefs;
		out->q = NULL;
		out->i = fv->node->n;
	} else {
		S_set_y(out, fv->node);
	}
	return 1;
}

/* FIELD_label of an enum: the UI string "FIELD_VALUE", else the value. */
/*
 * The label of value i of enum field f in the output's language: the one
 * site.yaml's categories: gives it (its text, or the language's entry, else
 * the default language's), else the UI string FIELD_VALUE, else the value.
 */
static const char *S_value_label(const struct render_ctx *ctx, const struct field *f, size_t i)
{
	const struct config *cfg = ctx->st->site->cfg;
	const struct ynode *l = f->labels ? f->labels[i] : NULL;
	const char *value = f->values[i], *s = NULL;
	struct buf name = BUF_INIT;
	int pass;

	if (l && l->kind == YNODE_SCALAR)
		return l->str;
	for (pass = 0; l && l->kind == YNODE_MAP && pass < 2; pass++) {
		const char *code = pass ? cfg->default_lang->code : cfg->langs[ctx->lang].code;
		const struct ynode *t = ynode_get(l, code);
		mu_charge(l->n);
		if (t && t->kind == YNODE_SCALAR)
			return t->str;
	}
	if (strlen(f->name) + 1 + strlen(value) <= THEME_KEY_MAX) { /* else no UI string has that key */
		buf_printf(&name, "%s_%s", f->name, value);
		s = S_t(ctx, buf_cstr(&name));
		buf_release(&name);
	}
	return s ? s : value;
}

/* FIELD_label of an enum field: its value's label (S_value_label). */
static int S_enum_label(const struct page *pg, const struct render_ctx *ctx, const char *key, size_t n,
			struct mu_val *out)
{
	const struct field *f = NULL;
	const struct fval *fv = NULL;
	size_t k;

	if (n <= 6 || memcmp(key + n - 6, "_label", 6) != 0 || !pg->type)
		return 0;
	mu_charge(pg->type->nfields);
	for (k = 0; k < pg->type->nfields; k++)
		if (S_keyis(key, n - 6, pg->type->fields[k].name)) {
			f = &pg->type->fields[k];
			fv = &pg->vals[k];
		}
	if (!f || f->kind != FIELD_ENUM || !fv->node)
		return 0;
	S_set_str(out, S_value_label(ctx, f, (size_t)fv->num));
	return 1;
}

/* FIELD_labels of a list of enum values: p the page, q the ctx, i the field's index. */
static size_t S_labels_len(const struct mu_val *v)
{
	return ((const struct page *)v->p)->vals[v->i].node->n;
}
static void S_labels_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	const struct page *pg = v->p;
	const struct field *f = &pg->type->fields[v->i];
	const struct ynode *x = pg->vals[v->i].node->kids[i];
	const char *s = NULL;
	struct buf name = BUF_INIT;
	if (strlen(f->name) + 1 + x->len <= THEME_KEY_MAX) { /* else no UI string has that key */
		buf_printf(&name, "%s_%s", f->name, x->str);
		s = S_t(v->q, buf_cstr(&name));
		buf_release(&name);
	}
	S_set_str(out, s ? s : x->str);
}
static const struct mu_class S_labels = { .kind = S_list_kind, .len = S_labels_len, .at = S_labels_at };

/* FIELD_labels of a list of enum values: each value's UI string "FIELD_VALUE", else the value. */
static int S_enum_labels(const struct page *pg, const struct render_ctx *ctx, const char *key, size_t n,
			 struct mu_val *out)
{
	size_t k;
	if (n <= 7 || memcmp(key + n - 7, "_labels", 7) != 0 || !pg->type)
		return 0;
	mu_charge(pg->type->nfields);
	for (k = 0; k < pg->type->nfields; k++) {
		const struct field *f = &pg->type->fields[k];
		if (!S_keyis(key, n - 7, f->name) || f->kind != FIELD_LIST || f->of != FIELD_ENUM ||
		    !pg->vals[k].node)
			continue;
		out->cls = pg->vals[k].node->n ? &S_labels : NULL;
		out->p = pg;
		out->q = ctx;
		out->i = k;
		return 1;
	}
	return 0;
}

/* FIELD_iso of a date field: the date as written (YYYY-MM-DD), for <time datetime>. */
static int S_date_iso(const struct page *pg, const char *key, size_t n, struct mu_val *out)
{
	size_t k;
	if (n <= 4 || memcmp(key + n - 4, "_iso", 4) != 0 || !pg->type)
		return 0;
	mu_charge(pg->type->nfields);
	for (k = 0; k < pg->type->nfields; k++)
		if (S_keyis(key, n - 4, pg->type->fields[k].name) &&
		    (pg->type->fields[k].kind == FIELD_DATE || pg->type->fields[k].kind == FIELD_DATETIME) &&
		    pg->vals[k].node) {
			S_set_y(out, pg->vals[k].node);
			return 1;
		}
	return 0;
}

/* A time of day as HH:MM: i the seconds into the day (cast). */
static void S_clock_text(const struct mu_val *v, struct buf *out)
{
	buf_printf(out, "%02d:%02d", (int)(v->i / 3600), (int)(v->i / 60 % 60));
}
S_TEXT_CLASS(S_clock, S_clock_text);

/* A zone as shown beside a time: "Asia/Shanghai (UTC+08:00)", or "UTC+08:00"; p the fval. */
static void S_zone_text(const struct mu_val *v, struct buf *out)
{
	const struct fval *fv = v->p;
	int off = fv->at_off < 0 ? -fv->at_off : fv->at_off;
	if (fv->zone && strcmp(fv->zone, "UTC") != 0)
		buf_printf(out, "%s (", fv->zone);
	buf_puts(out, "UTC");
	if (fv->at_off)
		buf_printf(out, "%c%02d:%02d", fv->at_off < 0 ? '-' : '+', off / 60, off % 60);
	if (fv->zone && strcmp(fv->zone, "UTC") != 0)
		buf_putc(out, ')');
}
S_TEXT_CLASS(S_zone, S_zone_text);

/*
 * FIELD_time and FIELD_zone of a date field with a time of day: the time
 * in the zone it was given in (HH:MM) and that zone named. A date without
 * a time gives "", not nothing, so {{date_time}} in a talk's card never
 * finds the event's around it.
 */
static int S_date_clock(const struct page *pg, const char *key, size_t n, struct mu_val *out)
{
	size_t k, cut = n > 5 && !memcmp(key + n - 5, "_time", 5)   ? 5
			: n > 5 && !memcmp(key + n - 5, "_zone", 5) ? 5
								    : 0;
	if (!cut || !pg->type)
		return 0;
	mu_charge(pg->type->nfields);
	for (k = 0; k < pg->type->nfields; k++) {
		const struct fval *fv = &pg->vals[k];
		if (pg->type->fields[k].kind != FIELD_DATE ||
		    !S_keyis(key, n - cut, pg->type->fields[k].name))
			continue;
		if (!fv->timed) {
			S_set_str(out, "");
		} else if (key[n - 4] == 't') {
			long long local = fv->at + (long long)fv->at_off * 60;
			out->cls = &S_clock;
			out->p = NULL;
			out->i = (size_t)(local - ids_floor_div(local, 86400) * 86400);
		} else {
			out->cls = &S_zone;
			out->p = fv;
		}
		return 1;
	}
	return 0;
}

/*
 * page.ended: an item of role calendar that is over at the build time: its
 * end (end_date, else its date), at its time when it has one, else the
 * whole day, is before now. Never without a build time.
 */
static int S_ended(const struct page *pg, const struct render_ctx *ctx)
{
	const struct site *site = ctx->st->site;
	const struct fval *end = page_value(pg, "end_date"),
			  *start = pg->type ? page_value(pg, pg->type->roles.date) : NULL;
	const struct field *ef = pg->type ? type_field(pg->type, "end_date") : NULL;
	if (!pg->type || !pg->type->roles.calendar || site->now < 0 || pg->date == LLONG_MIN)
		return 0;
	if (!(end && end->node && ef && ef->kind == FIELD_DATE))
		end = start;
	if (end && end->node && end->timed)
		return end->at < site->now;
	if (end && end->node && ef && ef->kind == FIELD_DATE && end != start)
		return end->num < site->today;
	return pg->date < site->today;
}

/* The player of a video on a known host (video.h): p the video's URL. */
static void S_player_text(const struct mu_val *v, struct buf *out)
{
	video_player(out, v->p);
}
S_TEXT_CLASS(S_player, S_player_text);

/*
 * page.video_player and page.video_host: the embeddable player of the
 * page's video (role video) and its host's name, for the click-to-load
 * facade (partials/video.html); nothing for a video elsewhere.
 */
static int S_video(const struct page *pg, const char *key, size_t n, struct mu_val *out)
{
	const struct fval *v;
	struct buf scratch = BUF_INIT;
	const char *host;

	if (!(S_keyis(key, n, "video_player") || S_keyis(key, n, "video_host")) || !pg->type ||
	    !pg->type->roles.video || !(v = page_value(pg, pg->type->roles.video)) || !v->node ||
	    v->node->kind != YNODE_SCALAR)
		return 0;
	host = video_player(&scratch, v->node->str);
	buf_release(&scratch);
	if (!host)
		return 0;
	if (key[6] == 'h') {
		S_set_str(out, host);
	} else {
		out->cls = &S_player;
		out->p = v->node->str;
	}
	return 1;
}

/* --- history: dates, authors, contributors, translation status ---------- */

/* A day as YYYY-MM-DD (for <time datetime>): i the day number (cast). */
static void S_iso_text(const struct mu_val *v, struct buf *out)
{
	int y, m, d;
	civil_from_days((long long)v->i, &y, &m, &d);
	buf_printf(out, "%04d-%02d-%02d", y, m, d);
}
S_TEXT_CLASS(S_iso, S_iso_text);

/* A git time (its commit's offset off) as a date in language l (name) or as YYYY-MM-DD (name_iso). */
static int S_when(const struct site *site, const struct lang *l, long long t, int off, int iso,
		  struct mu_val *out)
{
	if (t == LLONG_MIN)
		return 0;
	S_set_date(out, l, model_day(site, t, off));
	if (iso)
		out->cls = &S_iso;
	return 1;
}

/*
 * Help wanted on a page: question_open (role question), urgent_points
 * (role bounty), call_open,
 * call_until (and _iso) and call_url (role call: the URL as written).
 */
static int S_help_page_get(const struct page *pg, const char *key, size_t n, struct mu_val *out)
{
	const struct fval *c;
	const struct ynode *u;

	if (S_keyis(key, n, "question_open") && pg->type && pg->type->roles.question) {
		S_set_bool(out, pg->open);
	} else if (S_keyis(key, n, "urgent_points") && pg->bounty) { /* role bounty; absent at 0 */
		S_set_num(out, (size_t)pg->bounty);
	} else if (S_keyis(key, n, "call_open") && pg->type && pg->type->roles.call) {
		S_set_bool(out, pg->call_open);
	} else if ((S_keyis(key, n, "call_until") || S_keyis(key, n, "call_until_iso")) &&
		   pg->call_until != LLONG_MIN) {
		S_set_date(out, pg->lang, pg->call_until);
		if (n > 10)
			out->cls = &S_iso;
	} else if (S_keyis(key, n, "call_url") && pg->call_until != LLONG_MIN &&
		   (c = page_value(pg, pg->type->roles.call)) && c->node && (u = ynode_get(c->node, "url"))) {
		mu_charge(pg->type->nfields);
		S_set_y(out, u);
	} else {
		return 0;
	}
	return 1;
}

/* p in language l (its translation), else p. */
static const struct page *S_in_lang(const struct page *p, const struct lang *l)
{
	const struct page *t = page_in_lang(p, l);
	return t ? t : p;
}

static const char *S_title_name(const struct render_ctx *ctx, const struct ynode *name)
{
	const struct config *cfg = ctx->st->site->cfg;
	const struct ynode *v;
	if (name->kind == YNODE_SCALAR)
		return name->str;
	mu_charge(name->n);
	if ((v = ynode_get(name, cfg->langs[ctx->lang].code)) ||
	    (v = ynode_get(name, cfg->default_lang->code)))
		return v->str;
	return name->kids[1]->str;
}

static void S_put_sentence(struct buf *out, const char *s, const struct mu_val *map);

/*
 * A sentence of the UI with a number in it: its string in the plural form
 * for the number (theme_plural: KEY_one or KEY_other), escaped, with each
 * {name} filled in from a map's values (S_put_sentence); trusted HTML. A
 * value of it is the map's value (its q the render_ctx) under this class,
 * and its text puts the map's class back.
 */
struct sentence_class {
	struct mu_class cls;        /* first: a value's cls points here */
	const char *key;            /* "commits_behind": commits_behind_one, commits_behind_other */
	const struct mu_class *map; /* the class of the values it is filled from */
	const char *count;          /* the map's number its plural form follows ("count") */
};

/* v's map value, from a value of a sentence class. */
static struct mu_val S_sentence_map(const struct mu_val *v)
{
	struct mu_val map = *v;
	map.cls = ((const struct sentence_class *)v->cls)->map;
	return map;
}

static const char *S_sentence_string(const struct mu_val *v)
{
	const struct sentence_class *sc = (const struct sentence_class *)v->cls;
	const struct render_ctx *ctx = v->q;
	struct mu_val map = S_sentence_map(v), num;
	size_t count = 0;

	memset(&num, 0, sizeof(num));
	if (map.cls->get(&map, sc->count, strlen(sc->count), &num) && num.cls == &S_num)
		count = num.i;
	return theme_plural(ctx->st->theme, ctx->st->site->cfg, ctx->lang, sc->key, count);
}

static void S_sentence_text(const struct mu_val *v, struct buf *out)
{
	struct mu_val map = S_sentence_map(v);
	const char *s = S_sentence_string(v);
	if (s)
		S_put_sentence(out, s, &map);
}

/* The sentence NAME: the UI strings KEY_one/_other filled from values of MAP, its form by MAP's COUNT. */
#define S_SENTENCE_CLASS(name, key, map, count)                                                     \
	static const struct sentence_class name = {                                                 \
		{ .kind = S_scalar_kind, .text = S_sentence_text, .truthy = S_true, .trusted = 1 }, \
		key,                                                                                \
		&map,                                                                               \
		count                                                                               \
	}

/* The sentence sc filled from the map value map into out; 0 (absent) when the UI has no string for it. */
static int S_set_sentence(struct mu_val *out, const struct mu_val *map, const struct sentence_class *sc)
{
	*out = *map;
	out->cls = &sc->cls;
	if (S_sentence_string(out))
		return 1;
	memset(out, 0, sizeof(*out));
	return 0;
}

/* A contributor's sentences: their numbers in the output's language ("33 points", "rank 1"). */
static const struct sentence_class S_c_points, S_c_rank, S_c_commits, S_c_items, S_c_translations,
	S_c_bounties;

/* A contributor: p the contributor, q the ctx. */
static int S_contrib_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct contributor *c = v->p;
	const struct render_ctx *ctx = v->q;
	const struct site *site = ctx->st->site;
	const struct page *person = c->person ? S_in_lang(c->person, &site->cfg->langs[ctx->lang]) : NULL;

	/* its name is its person page's title (else global), the rest its numbers and pages */
	if (S_keyis(key, n, "name"))
		rerender_read_as(ctx->st->rr, ctx->job, person, RR_TITLE);
	else if (!S_keyis(key, n, "url") && !S_keyis(key, n, "person"))
		rerender_read_contributor(ctx->st->rr, ctx->job, c);
	if (S_keyis(key, n, "name"))
		S_set_str(out, person ? person->title : c->name);
	else if (S_keyis(key, n, "url")) /* "" rather than absent: {{url}} must not find the output's */
		S_set_str(out, person ? person->href : "");
	else if (S_keyis(key, n, "person") && person)
		S_set_page(out, person, ctx);
	else if (S_keyis(key, n, "points"))
		S_set_num(out, (size_t)c->points);
	else if (S_keyis(key, n, "title"))
		S_set_str(out, c->title >= 0 ? S_title_name(ctx, site->titles[c->title].name) : "");
	else if (S_keyis(key, n, "rank"))
		S_set_num(out, c->rank);
	else if (S_keyis(key, n, "commits"))
		S_set_num(out, c->commits);
	else if (S_keyis(key, n, "items"))
		S_set_num(out, c->items);
	else if (S_keyis(key, n, "translations"))
		S_set_num(out, c->translations);
	else if (S_keyis(key, n, "pages"))
		S_set_pages(out, c->pages, c->npages, ctx);
	else if (S_keyis(key, n, "contributor_points"))
		return S_set_sentence(out, v, &S_c_points);
	else if (S_keyis(key, n, "contributor_rank"))
		return S_set_sentence(out, v, &S_c_rank);
	else if (S_keyis(key, n, "contributor_commits"))
		return S_set_sentence(out, v, &S_c_commits);
	else if (S_keyis(key, n, "contributor_items"))
		return S_set_sentence(out, v, &S_c_items);
	else if (S_keyis(key, n, "contributor_translations"))
		return S_set_sentence(out, v, &S_c_translations);
	else if (S_keyis(key, n, "bounty_points") && c->bounty_points) /* absent at 0 */
		S_set_num(out, (size_t)c->bounty_points);
	else if (S_keyis(key, n, "contributor_bounties") && c->bounty_points)
		return S_set_sentence(out, v, &S_c_bounties);
	else if (S_keyis(key, n, "bounties"))
		S_set_pages(out, c->bounties, c->nbounties, ctx);
	else
		return 0;
	return 1;
}
S_MAP_CLASS(S_contrib, S_contrib_get);
S_SENTENCE_CLASS(S_c_bounties, "contributor_bounties", S_contrib, "bounty_points");
S_SENTENCE_CLASS(S_c_points, "contributor_points", S_contrib, "points");
S_SENTENCE_CLASS(S_c_rank, "contributor_rank", S_contrib, "rank");
S_SENTENCE_CLASS(S_c_commits, "contributor_commits", S_contrib, "commits");
S_SENTENCE_CLASS(S_c_items, "contributor_items", S_contrib, "items");
S_SENTENCE_CLASS(S_c_translations, "contributor_translations", S_contrib, "translations");
static void S_set_contrib(struct mu_val *out, const struct contributor *c, const struct render_ctx *ctx)
{
	out->cls = &S_contrib;
	out->p = c;
	out->q = ctx;
	out->i = 0;
}
/* The ranking: p the array, q the ctx, i the count. */
static void S_contribs_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	S_set_contrib(out, (const struct contributor *)v->p + i, v->q);
}
S_LIST_CLASS(S_contribs, S_contribs_at);

/* A page's author: p the page_author, q the ctx; a contributor with the page's commits. */
static int S_author_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct page_author *a = v->p;
	struct mu_val c;
	if (S_keyis(key, n, "commits")) {
		S_set_num(out, a->commits);
		return 1;
	}
	S_set_contrib(&c, a->who, v->q);
	return S_contrib_get(&c, key, n, out);
}
S_MAP_CLASS(S_author, S_author_get);
static void S_authors_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	out->cls = &S_author;
	out->p = (const struct page_author *)v->p + i;
	out->q = v->q;
	out->i = 0;
}
S_LIST_CLASS(S_authors, S_authors_at);

/* A placeholder's longest name: {count}, {date}. */
#define S_PLACEHOLDER_MAX 64

/*
 * Appends UI string s as HTML: its text escaped, and each {NAME} replaced
 * by the text of map's value NAME, escaped, inside <time datetime="...">
 * when map has NAME_iso too (a date). A translator writes the whole
 * sentence, so its words keep their language's order. A brace that names
 * no value stays as written.
 */
static void S_put_sentence(struct buf *out, const char *s, const struct mu_val *map)
{
	struct buf text = BUF_INIT, iso = BUF_INIT;
	char key[S_PLACEHOLDER_MAX + sizeof("_iso")];
	const char *open, *close;
	struct mu_val v;

	while ((open = strchr(s, '{')) && (close = strchr(open, '}'))) {
		size_t n = (size_t)(close - open - 1);
		escape_html(out, s, (size_t)(open - s));
		s = close + 1;
		memset(&v, 0, sizeof(v));
		if (n == 0 || n > S_PLACEHOLDER_MAX || !map->cls->get(map, open + 1, n, &v) || !v.cls ||
		    !v.cls->text) {
			escape_html(out, open, n + 2);
			continue;
		}
		buf_reset(&text);
		v.cls->text(&v, &text);
		memcpy(key, open + 1, n);
		memcpy(key + n, "_iso", 4);
		memset(&v, 0, sizeof(v));
		buf_reset(&iso);
		if (map->cls->get(map, key, n + 4, &v) && v.cls && v.cls->text) {
			v.cls->text(&v, &iso);
			buf_puts(out, "<time datetime=\"");
			escape_html(out, buf_cstr(&iso), iso.len);
			buf_puts(out, "\">");
			escape_html(out, buf_cstr(&text), text.len);
			buf_puts(out, "</time>");
		} else {
			escape_html(out, buf_cstr(&text), text.len);
		}
	}
	escape_html(out, s, strlen(s));
	buf_release(&text);
	buf_release(&iso);
}

/* The banner's sentence and the /l10n/ page's "3 commits behind". */
static const struct sentence_class S_outdated_message, S_commits_behind;

/* A translation's outdated status: p the outdated, q the ctx; i the translation's language. */
static int S_outdated_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct outdated *o = v->p;
	const struct render_ctx *ctx = v->q;
	const struct site *site = ctx->st->site;
	const struct lang *l = &site->cfg->langs[v->i];

	if (S_keyis(key, n, "count"))
		S_set_num(out, o->count);
	else if (S_keyis(key, n, "one"))
		S_set_bool(out, o->count == 1);
	else if (S_keyis(key, n, "date") || S_keyis(key, n, "date_iso"))
		return S_when(site, l, o->date, o->date_off, n == 8, out);
	else if (S_keyis(key, n, "original"))
		S_set_page(out, o->original, ctx);
	else if (S_keyis(key, n, "original_url"))
		S_set_str(out, o->original->href);
	else if (S_keyis(key, n, "diff_url") && o->diff_url)
		S_set_str(out, o->diff_url);
	else if (S_keyis(key, n, "base") || S_keyis(key, n, "head")) {
		const char *id = key[0] == 'b' ? o->base : o->head;
		mu_val_str(out, id, 7); /* the short id */
	} else if (S_keyis(key, n, "message")) {
		return S_set_sentence(out, v, &S_outdated_message);
	} else if (S_keyis(key, n, "commits_behind")) {
		return S_set_sentence(out, v, &S_commits_behind);
	} else
		return 0;
	return 1;
}
S_MAP_CLASS(S_outdated_cls, S_outdated_get);
S_SENTENCE_CLASS(S_outdated_message, "outdated_text", S_outdated_cls, "count");
S_SENTENCE_CLASS(S_commits_behind, "commits_behind", S_outdated_cls, "count");

/* page.created, updated (and _iso), commits, git_authors, edit_url, history_url, outdated, contributor. */
static int S_history_get(const struct page *pg, const struct render_ctx *ctx, const char *key, size_t n,
			 struct mu_val *out)
{
	const struct site *site = ctx->st->site;
	if (S_keyis(key, n, "created") || S_keyis(key, n, "created_iso"))
		return S_when(site, pg->lang, pg->created, pg->created_off, n > 7, out);
	if (S_keyis(key, n, "updated") || S_keyis(key, n, "updated_iso"))
		return S_when(site, pg->lang, pg->updated, pg->updated_off, n > 7, out);
	if (S_keyis(key, n, "commits") && pg->ncommits) {
		S_set_num(out, pg->ncommits);
	} else if (S_keyis(key, n, "git_authors") && pg->ngit_authors) {
		out->cls = &S_authors;
		out->p = pg->git_authors;
		out->q = ctx;
		out->i = pg->ngit_authors;
	} else if (S_keyis(key, n, "edit_url") && pg->edit_url) {
		S_set_str(out, pg->edit_url);
	} else if (S_keyis(key, n, "history_url") && pg->history_url) {
		S_set_str(out, pg->history_url);
	} else if (S_keyis(key, n, "outdated") && pg->outdated) {
		out->cls = &S_outdated_cls;
		out->p = pg->outdated;
		out->q = ctx;
		out->i = (size_t)(pg->lang - site->cfg->langs);
	} else if (S_keyis(key, n, "contributor") && pg->contributor) {
		S_set_contrib(out, pg->contributor, ctx);
	} else {
		return 0;
	}
	return 1;
}

/* The points table: p the rules, q the ctx; an element: name, points. */
static int S_rule_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct points_rule *r = (const struct points_rule *)v->p + v->i;
	const struct render_ctx *ctx = v->q;
	if (S_keyis(key, n, "name")) {
		const char *s = r->type ? S_type_t(ctx, r->type)
					: S_t(ctx, strcmp(r->what, "commit") == 0 ? "points_commit"
										  : "points_translation");
		S_set_str(out, s ? s : r->type ? r->type->folder : r->what);
	} else if (S_keyis(key, n, "what")) {
		S_set_str(out, r->what);
	} else if (S_keyis(key, n, "points")) {
		S_set_num(out, (size_t)r->points);
	} else {
		return 0;
	}
	return 1;
}
S_MAP_CLASS(S_rule, S_rule_get);
S_LIST_OF(S_rules, S_rule);

static const struct sentence_class S_points_from;

/* Contributor titles: p the titles, q the ctx; an element: min, name, points_from ("from 15 points"). */
static int S_ctitle_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct contributor_title *t = (const struct contributor_title *)v->p + v->i;
	if (S_keyis(key, n, "min"))
		S_set_num(out, (size_t)t->min);
	else if (S_keyis(key, n, "name"))
		S_set_str(out, S_title_name(v->q, t->name));
	else if (S_keyis(key, n, "points_from"))
		return S_set_sentence(out, v, &S_points_from);
	else
		return 0;
	return 1;
}
S_MAP_CLASS(S_ctitle, S_ctitle_get);
S_SENTENCE_CLASS(S_points_from, "points_from", S_ctitle, "min");
S_LIST_OF(S_ctitles, S_ctitle);

/* Translation counts: p the l10n_count, q the ctx. */
static int S_count_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct l10n_count *c = v->p;
	const struct render_ctx *ctx = v->q;
	if (S_keyis(key, n, "name")) {
		const char *s = c->type ? S_type_t(ctx, c->type) : S_t(ctx, "other_pages");
		S_set_str(out, s ? s : c->type ? c->type->folder : "");
	} else if (S_keyis(key, n, "originals")) {
		S_set_num(out, c->originals);
	} else if (S_keyis(key, n, "translated")) {
		S_set_num(out, c->translated);
	} else if (S_keyis(key, n, "outdated")) {
		S_set_num(out, c->outdated);
	} else if (S_keyis(key, n, "missing")) {
		S_set_num(out, c->missing);
	} else if (S_keyis(key, n, "coverage")) {
		/* rounded down, so 100 means every page */
		S_set_num(out, c->originals ? c->translated * 100 / c->originals : 100);
	} else {
		return 0;
	}
	return 1;
}
S_MAP_CLASS(S_count, S_count_get);
static void S_counts_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	out->cls = &S_count;
	out->p = (const struct l10n_count *)v->p + i;
	out->q = v->q;
	out->i = 0;
}
S_LIST_CLASS(S_counts, S_counts_at);

static int S_page_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out);
static const struct sentence_class S_l10n_words, S_l10n_summary;

/*
 * A page not yet translated: p the l10n_missing array, q the ctx, i the
 * index. The file to create, its words, why it comes where it does, and
 * everything its original has.
 */
static int S_missing_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct l10n_missing *m = (const struct l10n_missing *)v->p + v->i;
	const struct render_ctx *ctx = v->q;
	struct mu_val pg;

	if (S_keyis(key, n, "create")) {
		S_set_str(out, m->path);
	} else if (S_keyis(key, n, "words")) {
		rerender_read_as(ctx->st->rr, ctx->job, m->page, RR_WORDS); /* its body's words */
		S_set_num(out, m->page->words);
	} else if (S_keyis(key, n, "l10n_words")) {
		return S_set_sentence(out, v, &S_l10n_words);
	} else if (S_keyis(key, n, "reach")) {
		S_set_str(out, l10n_reach_names[m->reach]);
	} else if (S_keyis(key, n, "reach_label")) {
		const char *s = ctx->st->reach_labels[ctx->lang * S_NREACH + m->reach];
		if (!s)
			return 0;
		S_set_str(out, s);
	} else {
		S_set_page(&pg, m->page, ctx);
		return S_page_get(&pg, key, n, out);
	}
	return 1;
}
S_MAP_CLASS(S_missing, S_missing_get);
S_LIST_OF(S_missings, S_missing);
S_SENTENCE_CLASS(S_l10n_words, "l10n_words", S_missing, "words");

/*
 * A translation with no original beside it: p the l10n_orphan array, q the
 * ctx, i the index. The file it translates, where that file went and
 * where the translation goes, and everything the translation has.
 */
static int S_orphan_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct l10n_orphan *o = (const struct l10n_orphan *)v->p + v->i;
	struct mu_val pg;

	if (S_keyis(key, n, "original")) {
		S_set_str(out, o->original);
	} else if (S_keyis(key, n, "moved_to")) {
		if (!o->moved_to)
			return 0;
		S_set_str(out, o->moved_to);
	} else if (S_keyis(key, n, "move_to")) {
		if (!o->move_to)
			return 0;
		S_set_str(out, o->move_to);
	} else if (S_keyis(key, n, "path")) {
		S_set_str(out, o->page->path);
	} else {
		S_set_page(&pg, o->page, v->q);
		return S_page_get(&pg, key, n, out);
	}
	return 1;
}
S_MAP_CLASS(S_orphan, S_orphan_get);
S_LIST_OF(S_orphans, S_orphan);

/* One language's translation status: p the l10n_lang array, q the ctx, i the language. */
static int S_l10n_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct l10n_lang *l = (const struct l10n_lang *)v->p + v->i;
	const struct render_ctx *ctx = v->q;
	struct mu_val total;

	if (S_keyis(key, n, "code")) {
		S_set_str(out, l->lang->tag);
	} else if (S_keyis(key, n, "name")) {
		S_set_str(out, l->lang->name);
	} else if (S_keyis(key, n, "types")) {
		out->cls = l->ntypes ? &S_counts : NULL;
		out->p = l->types;
		out->q = ctx;
		out->i = l->ntypes;
	} else if (S_keyis(key, n, "outdated_pages")) {
		S_set_pages(out, l->outdated, l->total.outdated, ctx);
	} else if (S_keyis(key, n, "missing_pages")) {
		out->cls = l->total.missing ? &S_missings : NULL;
		out->p = l->missing;
		out->q = ctx;
		out->i = l->total.missing;
	} else if (S_keyis(key, n, "orphans")) {
		if (!l->norphans) /* {{#orphans}}: the section shows only when there are some */
			return 0;
		S_set_num(out, l->norphans);
	} else if (S_keyis(key, n, "orphan_pages")) {
		out->cls = l->norphans ? &S_orphans : NULL;
		out->p = l->orphans;
		out->q = ctx;
		out->i = l->norphans;
	} else if (S_keyis(key, n, "l10n_summary")) {
		return S_set_sentence(out, v, &S_l10n_summary);
	} else {
		total.cls = &S_count;
		total.p = &l->total;
		total.q = ctx;
		total.i = 0;
		return !S_keyis(key, n, "name") && S_count_get(&total, key, n, out);
	}
	return 1;
}
S_MAP_CLASS(S_l10n, S_l10n_get);
S_LIST_OF(S_l10ns, S_l10n);
S_SENTENCE_CLASS(S_l10n_summary, "l10n_summary", S_l10n, "originals");

/*
 * Root keys of the history stage's outputs, /contributors/ and /l10n/:
 * title, and the ranking or the status per language.
 */
static int S_history_root(const struct render_ctx *ctx, const char *key, size_t n, struct mu_val *out)
{
	const struct site *site = ctx->st->site;
	int contributors = ctx->kind == PLAN_CONTRIBUTORS;

	if (!contributors && ctx->kind != PLAN_L10N)
		return 0;
	if (S_keyis(key, n, "contributors") || S_keyis(key, n, "languages"))
		rerender_read_part(ctx->st->rr, ctx->job, contributors ? RR_PART_RANKING : RR_PART_L10N);
	if (S_keyis(key, n, "title")) {
		const char *name = plan_kinds[ctx->kind].name;
		const char *s = S_t(ctx, name);
		S_set_str(out, s ? s : name);
	} else if (contributors && S_keyis(key, n, "contributors")) {
		/* null when empty, never the {{#contributors}} flag of the output kind */
		out->cls = site->ncontributors ? &S_contribs : NULL;
		out->p = site->contributors;
		out->i = site->ncontributors;
	} else if (contributors && S_keyis(key, n, "points")) {
		out->cls = &S_rules;
		out->p = site->points;
		out->i = site->npoints;
	} else if (contributors && S_keyis(key, n, "titles")) {
		out->cls = site->ntitles ? &S_ctitles : NULL;
		out->p = site->titles;
		out->i = site->ntitles;
	} else if (!contributors && S_keyis(key, n, "languages")) {
		out->cls = site->nl10n ? &S_l10ns : NULL;
		out->p = site->l10n;
		out->i = site->nl10n;
	} else {
		return 0;
	}
	out->q = ctx; /* the lists' ctx; plain text ignores it */
	return 1;
}

/* An enum value's label on /insights/ ("kind_meetup"): ctx's UI string, or NULL. */
static const char *S_insights_label(const char *key, const void *arg)
{
	return S_t(arg, key);
}

/* The words of /insights/'s later charts (events by city and kind, talks, questions, coverage). */
static void S_insights_more_words(const struct render_ctx *ctx, struct insights_words *w)
{
	const char *s;
#define S_WORD(field, key, dflt) w->field = (s = S_t(ctx, key)) ? s : dflt
	S_WORD(by_city, "insights_by_city", "Events held by city");
	S_WORD(by_kind, "insights_by_kind", "Events held by kind");
	S_WORD(talks, "insights_talks", "Talks per event");
	S_WORD(questions, "insights_questions", "Questions answered and open");
	S_WORD(coverage, "insights_coverage", "Translation coverage");
	S_WORD(other, "insights_other", "Other or none");
	S_WORD(answered, "insights_answered", "Answered");
	S_WORD(open, "insights_open", "Open");
	S_WORD(current, "insights_current", "Up to date");
	S_WORD(behind, "insights_behind", "Outdated");
	S_WORD(missing, "insights_missing", "Not translated");
	S_WORD(talks_bins[0], "insights_talks_0", "No talk");
	S_WORD(talks_bins[1], "insights_talks_1", "1 talk");
	S_WORD(talks_bins[2], "insights_talks_2_3", "2-3 talks");
	S_WORD(talks_bins[3], "insights_talks_4plus", "4 or more talks");
	S_WORD(by_city_desc, "insights_by_city_desc", "Events held per period by city, stacked.");
	S_WORD(by_kind_desc, "insights_by_kind_desc", "Events held per period by kind, stacked.");
	S_WORD(talks_desc, "insights_talks_desc",
	       "Events held per period by the number of talks at them, stacked.");
	S_WORD(questions_desc, "insights_questions_desc",
	       "Questions at the end of each period: answered and still open, stacked.");
	S_WORD(coverage_desc, "insights_coverage_desc",
	       "Pages of the default language at the end of each period: with an up-to-date translation, "
	       "with an outdated one and without one, stacked.");
#undef S_WORD
	w->label = S_insights_label;
	w->arg = ctx;
}

/* /insights/'s charts: trusted HTML made by insights.c, in ctx's (p) language. */
static void S_insights_text(const struct mu_val *v, struct buf *out)
{
	const struct render_ctx *ctx = v->p;
	struct insights_words w;
	const char *s;

#define S_WORD(field, key, dflt) w.field = (s = S_t(ctx, key)) ? s : dflt
	S_WORD(period, "insights_period", "Period");
	S_WORD(commits, "insights_commits", "Commits");
	S_WORD(active, "insights_active", "Active contributors");
	S_WORD(returning, "insights_returning", "Returning contributors");
	S_WORD(newcomers, "insights_new", "New contributors");
	S_WORD(top, "insights_top", "Top contributor");
	S_WORD(translations, "insights_translations", "Translations");
	S_WORD(events, "insights_events", "Events held");
	S_WORD(added, "insights_added", "Content added by type");
	S_WORD(commits_desc, "insights_commits_desc", "Commits that changed the content, per period.");
	S_WORD(people_desc, "insights_people_desc",
	       "Contributors with a commit in each period: returning and new.");
	S_WORD(added_desc, "insights_added_desc", "Pages added per period, by type, and translations.");
	S_WORD(events_desc, "insights_events_desc", "Events held per period.");
	S_insights_more_words(ctx, &w);
#undef S_WORD
	insights_html(out, ctx->st->site->insights, &w);
}
static const struct mu_class S_insights_charts = {
	.kind = S_scalar_kind,
	.text = S_insights_text,
	.truthy = S_true,
	.trusted = 1,
};

/*
 * The year pages of year y's top contributors in ctx's language: a
 * person's translation's year page, else (the person is listed in its
 * original language) the default language's. Free the array.
 */
static const char **S_top_hrefs(const struct render_ctx *ctx, const struct insights_year *yr)
{
	const struct lang *l = &ctx->st->site->cfg->langs[ctx->lang];
	const char **v = xcalloc(yr->ntop ? yr->ntop : 1, sizeof(*v));
	size_t i;

	for (i = 0; i < yr->ntop; i++) {
		const struct page *t = yr->top[i].person ? page_in_lang(yr->top[i].person, l) : NULL;
		const struct plan_output *o = t ? plan_person_year(ctx->st->plan, t, yr->year) : NULL;
		v[i] = o ? o->href : yr->top[i].href;
	}
	return v;
}

/* A year's page: trusted HTML made by insights.c, in ctx's (p) language. */
static void S_year_text(const struct mu_val *v, struct buf *out)
{
	const struct render_ctx *ctx = v->p;
	const struct insights *ins = ctx->st->site->insights;
	const char **hrefs = S_top_hrefs(ctx, &ins->years[ctx->year]);
	struct insights_year_words w;
	const char *s;

#define S_WORD(field, key, dflt) w.field = (s = S_t(ctx, key)) ? s : dflt
	S_WORD(commits, "insights_commits", "Commits");
	S_WORD(active, "insights_active", "Active contributors");
	S_WORD(newcomers, "insights_new", "New contributors");
	S_WORD(translations, "insights_translations", "Translations");
	S_WORD(events, "insights_events", "Events held");
	S_WORD(added, "insights_added", "Content added by type");
	S_WORD(top, "year_top", "Top contributors");
	S_WORD(contributor, "contributor", "Contributor");
	S_WORD(period, "insights_period", "Period");
	S_WORD(commits_desc, "insights_commits_desc", "Commits that changed the content, per period.");
#undef S_WORD
	insights_year_html(out, ins, ctx->year, hrefs, &w);
	free(hrefs);
}
static const struct mu_class S_year_body = {
	.kind = S_scalar_kind,
	.text = S_year_text,
	.truthy = S_true,
	.trusted = 1,
};

/* The years' links (trusted HTML): each year's page in ctx's (p) language, this one marked. */
static void S_years_text(const struct mu_val *v, struct buf *out)
{
	const struct render_ctx *ctx = v->p;
	const struct plan *plan = ctx->st->plan;
	size_t i;

	buf_puts(out, "<ul class=\"year-links\">");
	for (i = 0; i < plan->html.n; i++) {
		const struct plan_output *o = &plan->v[i];
		if (o->kind != PLAN_CONTRIBUTORS_YEAR || o->lang != ctx->lang)
			continue;
		buf_puts(out, "<li><a href=\"");
		escape_html(out, o->href, strlen(o->href));
		buf_puts(out, "\"");
		if (ctx->kind == PLAN_CONTRIBUTORS_YEAR && o->year == ctx->year)
			buf_puts(out, " aria-current=\"page\"");
		buf_printf(out, ">%d</a></li>", ctx->st->site->insights->years[o->year].year);
	}
	buf_puts(out, "</ul>");
}
static const struct mu_class S_years_links = {
	.kind = S_scalar_kind,
	.text = S_years_text,
	.truthy = S_true,
	.trusted = 1,
};

static const struct picture *S_drawn_image(const struct render_ctx *ctx);

/* Root keys of /contributors/YEAR/ (title, year, body) and of every page that lists the years. */
static int S_year_root(const struct render_ctx *ctx, const char *key, size_t n, struct mu_val *out)
{
	const struct insights *ins = ctx->st->site->insights;
	if (S_keyis(key, n, "year_links") && ins &&
	    (ctx->kind == PLAN_CONTRIBUTORS || ctx->kind == PLAN_CONTRIBUTORS_YEAR ||
	     ctx->kind == PLAN_INSIGHTS)) {
		rerender_read_part(ctx->st->rr, ctx->job, RR_PART_INSIGHTS); /* the years' numbers */
		out->cls = &S_years_links;
		out->p = ctx;
		return 1;
	}
	if (ctx->kind != PLAN_CONTRIBUTORS_YEAR)
		return 0;
	/* the year's numbers and top contributors (their pages' addresses are the global digest's) */
	if (S_keyis(key, n, "year") || S_keyis(key, n, "year_body"))
		rerender_read_part(ctx->st->rr, ctx->job, RR_PART_INSIGHTS);
	if (S_keyis(key, n, "title")) {
		const char *s = S_t(ctx, "year_review");
		S_set_str(out, s ? s : "Year in review");
		return 1;
	}
	if (S_keyis(key, n, "year")) {
		S_set_num(out, (size_t)ins->years[ctx->year].year);
		return 1;
	}
	if (S_keyis(key, n, "year_body")) {
		out->cls = &S_year_body;
		out->p = ctx;
		return 1;
	}
	if (S_keyis(key, n, "poster_url") && ctx->st->plan->year_posters) {
		S_set_str(out, ctx->st->plan->year_posters[ctx->lang * ins->nyears + ctx->year].href);
		return 1;
	}
	return 0;
}

/*
 * What personyear_html reads besides the year's own numbers: the titles
 * of the pages it links (each, and its translation in ctx's language).
 */
static void S_read_person_year(const struct render_ctx *ctx)
{
	const struct person_year *py = ctx->person_year;
	const struct lang *l = &ctx->st->site->cfg->langs[ctx->lang];
	size_t i;

	rerender_read_person_year(ctx->st->rr, ctx->job, py);
	for (i = 0; i <= py->nacts; i++) {
		const struct py_act *a = i < py->nacts ? &py->acts[i] : py->first;
		/* the lists it shows (personyear.c S_list) and the first contribution */
		if (!a || !a->pg ||
		    (i < py->nacts && a->kind != PY_TALK && a->kind != PY_ANSWER && a->kind != PY_ORGANISED &&
		     a->kind != PY_VOLUNTEERED))
			continue;
		rerender_read_as(ctx->st->rr, ctx->job, a->pg, RR_TITLE);
		rerender_read_as(ctx->st->rr, ctx->job, page_in_lang(a->pg, l), RR_TITLE);
	}
}

/* A person's year page: trusted HTML made by personyear.c, in ctx's (p) language. */
static void S_person_year_text(const struct mu_val *v, struct buf *out)
{
	const struct render_ctx *ctx = v->p;
	struct personyear_words w;
	const char *s;

#define S_WORD(field, key, dflt) w.field = (s = S_t(ctx, key)) ? s : dflt
	S_WORD(numbers, "person_year_numbers", "The year in numbers");
	S_WORD(commits, "insights_commits", "Commits");
	S_WORD(points, "person_year_points", "Points earned");
	S_WORD(bounty, "person_bounties", "Urgent questions answered");
	S_WORD(title, "person_year_title", "Title at the year's end");
	S_WORD(written, "person_year_written", "Pages written");
	S_WORD(translated, "person_year_translated", "Pages translated");
	S_WORD(talks, "person_year_talks", "Talks given");
	S_WORD(answers, "person_year_answers", "Questions answered");
	S_WORD(organised, "person_year_organised", "Events organised");
	S_WORD(volunteered, "person_year_volunteered", "Events volunteered at");
	S_WORD(streak, "person_year_streak", "Longest streak of active weeks");
	S_WORD(active_weeks, "person_year_active_weeks", "Active weeks");
	S_WORD(colon, "person_year_colon", ": ");
	S_WORD(span, "person_year_span", "{weeks} weeks, from {from} to {to}");
	S_WORD(first, "person_year_first", "First contribution");
	S_WORD(kinds[PY_COMMIT], "person_year_commit", "a commit to");
	S_WORD(kinds[PY_WRITTEN], "person_year_wrote", "wrote");
	S_WORD(kinds[PY_TRANSLATED], "person_year_translated_one", "translated");
	S_WORD(kinds[PY_ANSWER], "person_year_answered", "answered");
	S_WORD(kinds[PY_TALK], "person_year_talk", "a talk:");
	S_WORD(kinds[PY_ORGANISED], "person_year_organised_one", "organised");
	S_WORD(kinds[PY_VOLUNTEERED], "person_year_volunteered_one", "volunteered at");
#undef S_WORD
	S_read_person_year(ctx);
	personyear_html(out, ctx->st->site, ctx->person_year, ctx->lang, &w);
}
static const struct mu_class S_person_year_body = {
	.kind = S_scalar_kind,
	.text = S_person_year_text,
	.truthy = S_true,
	.trusted = 1,
};

/* The years of a person page (ctx's person, else its page) as links, newest first, this one marked. */
static void S_person_years_text(const struct mu_val *v, struct buf *out)
{
	const struct render_ctx *ctx = v->p;
	const struct page *pg = ctx->person ? ctx->person : ctx->page;
	const struct person_year *ys;
	const char **hrefs;
	size_t n, i, k = 0;

	ys = personyear_of(ctx->st->site, pg, &n);
	hrefs = xmalloc((n ? n : 1) * sizeof(*hrefs));
	for (i = 0; i < n; i++) {
		const struct plan_output *o = plan_person_year(ctx->st->plan, pg, ys[i].year);
		if (o) /* every year has its page in every language of the person's */
			hrefs[k++] = o->href;
	}
	if (k == n)
		personyear_links(out, ys, hrefs, n, ctx->person_year ? ctx->person_year->year : 0);
	free(hrefs);
}
static const struct mu_class S_person_years_links = {
	.kind = S_scalar_kind,
	.text = S_person_years_text,
	.truthy = S_true,
	.trusted = 1,
};

/*
 * Root keys of a person's year page (title, year, person, its body) and
 * person_year_links, on it and on a person page that has years.
 */
static int S_person_year_root(const struct render_ctx *ctx, const char *key, size_t n, struct mu_val *out)
{
	size_t ny;
	if (S_keyis(key, n, "person_year_links")) {
		const struct page *pg = ctx->person ? ctx->person : ctx->page;
		if (!pg || !pg->type || !pg->type->roles.person || !personyear_of(ctx->st->site, pg, &ny))
			return 0;
		out->cls = &S_person_years_links;
		out->p = ctx;
		return 1;
	}
	if (ctx->kind != PLAN_PERSON_YEAR)
		return 0;
	if (S_keyis(key, n, "title")) {
		const char *s = S_t(ctx, "year_review");
		S_set_str(out, s ? s : "Year in review");
	} else if (S_keyis(key, n, "year")) {
		S_set_num(out, (size_t)ctx->person_year->year);
	} else if (S_keyis(key, n, "person")) {
		S_set_page(out, ctx->person, ctx);
	} else if (S_keyis(key, n, "person_year_body")) {
		out->cls = &S_person_year_body;
		out->p = ctx;
	} else if (S_keyis(key, n, "poster_url") && S_drawn_image(ctx)) {
		S_set_str(out, S_drawn_image(ctx)->href);
	} else {
		return 0;
	}
	return 1;
}

/* Root keys of /insights/: its title, the charts, its data files. */
static int S_insights_root(const struct render_ctx *ctx, const char *key, size_t n, struct mu_val *out)
{
	const struct plan *plan = ctx->st->plan;
	size_t i;

	if (ctx->kind != PLAN_INSIGHTS)
		return 0;
	if (S_keyis(key, n, "title")) {
		const char *s = S_t(ctx, "insights");
		S_set_str(out, s ? s : "Insights");
	} else if (S_keyis(key, n, "charts")) {
		rerender_read_part(ctx->st->rr, ctx->job, RR_PART_INSIGHTS);
		out->cls = &S_insights_charts;
		out->p = ctx;
	} else if (S_keyis(key, n, "period_quarter")) {
		rerender_read_part(ctx->st->rr, ctx->job, RR_PART_INSIGHTS);
		S_set_bool(out, ctx->st->site->insights->quarters);
	} else if (S_keyis(key, n, "csv_url") || S_keyis(key, n, "json_url")) {
		enum plan_kind k = S_keyis(key, n, "csv_url") ? PLAN_INSIGHTS_CSV : PLAN_INSIGHTS_JSON;
		for (i = plan->feeds.first; i < plan->feeds.first + plan->feeds.n; i++)
			if (plan->v[i].kind == k) {
				S_set_str(out, plan->v[i].href);
				return 1;
			}
		return 0;
	} else {
		return 0;
	}
	return 1;
}

/* A page's body: trusted HTML made by parse, its links put in place as it goes out. p the page. */
static void S_body_text(const struct mu_val *v, struct buf *out)
{
	links_put_html(out, v->p);
}
static int S_body_truthy(const struct mu_val *v)
{
	return ((const struct page *)v->p)->html_len > 0;
}
static const struct mu_class S_body = {
	.kind = S_scalar_kind,
	.text = S_body_text,
	.truthy = S_body_truthy,
	.trusted = 1,
};

static const struct sentence_class S_reading_time;

/*
 * The docs tree of the sidebar and of the docs list: p a page, q the ctx.
 * A node is open when it is the page rendered or a section above it (on
 * the docs list, every node): only open nodes list their children, so a
 * page's sidebar grows with its depth and the breadth of its sections,
 * not with the whole tree.
 */
static int S_doc_open(const struct page *pg, const struct render_ctx *ctx)
{
	const struct page *p;
	if (!ctx->page)
		return 1;
	for (p = ctx->page; p; p = p->parent) {
		rerender_read_as(ctx->st->rr, ctx->job, p, RR_REL);
		mu_charge(1);
		if (p == pg || (p->next_translation && page_in_lang(p, pg->lang) == pg))
			return 1;
	}
	return 0;
}
static const struct mu_class S_docnodes;
static int S_docnode_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct page *pg = v->p;
	const struct render_ctx *ctx = v->q;
	if (S_keyis(key, n, "title"))
		rerender_read_as(ctx->st->rr, ctx->job, pg, RR_TITLE);
	else if (!S_keyis(key, n, "url") && !S_keyis(key, n, "current"))
		rerender_read_as(ctx->st->rr, ctx->job, pg, RR_REL); /* its children */
	if (S_keyis(key, n, "title"))
		S_set_str(out, pg->title);
	else if (S_keyis(key, n, "url"))
		S_set_str(out, pg->href);
	else if (S_keyis(key, n, "current"))
		S_set_bool(out, pg == ctx->page);
	else if (S_keyis(key, n, "has_children"))
		S_set_bool(out, pg->nchildren > 0);
	else if (S_keyis(key, n, "open"))
		S_set_bool(out, pg->nchildren > 0 && S_doc_open(pg, ctx));
	else if (S_keyis(key, n, "children")) {
		int open = pg->nchildren > 0 && S_doc_open(pg, ctx);
		out->cls = open ? &S_docnodes : NULL;
		out->p = pg->children;
		out->q = ctx;
		out->i = open ? pg->nchildren : 0;
	} else
		return 0;
	return 1;
}
S_MAP_CLASS(S_docnode, S_docnode_get);
static void S_docnodes_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	out->cls = &S_docnode;
	out->p = ((struct page *const *)v->p)[i];
	out->q = v->q;
	out->i = 0;
}
static const struct mu_class S_docnodes = { .kind = S_list_kind, .len = S_list_len, .at = S_docnodes_at };

/* A docs tree: p the listing of the docs, q the ctx; its nodes are the top of the tree. */
static int S_doctree_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct listing *l = v->p;
	const struct render_ctx *ctx = v->q;
	if (!S_keyis(key, n, "nodes"))
		return 0;
	rerender_read_tree(ctx->st->rr, ctx->job, l);
	out->cls = &S_docnodes;
	out->p = l->roots;
	out->q = v->q;
	out->i = l->nroots;
	return 1;
}
S_MAP_CLASS(S_doctree, S_doctree_get);

/* The docs tree of type folder in the ctx's language, from its list; 0 when it has none. */
static int S_docs_tree(const struct render_ctx *ctx, const char *folder, struct mu_val *out)
{
	const struct listing *l = lists_type(ctx->st->lists, ctx->lang, folder);
	if (!l || !l->nroots)
		return 0;
	out->cls = &S_doctree;
	out->p = l;
	out->q = ctx;
	out->i = 0;
	return 1;
}

/*
 * The parts of a page (rerender.h) key reads in S_page_get: a key that
 * may find nothing of its own falls through to the typed fields and the
 * front matter, so it reads RR_FRONT too.
 */
static unsigned S_parts_of(const char *key, size_t n)
{
	static const char *const global[] = {
		"url",   "permalink", "lang",         "lang_name",  "section",   "type",   "id",
		"depth", "source",    "translations", "other_lang", "type_name", "expired"
	};
	static const char *const hist[] = { "created",  "created_iso", "updated",  "updated_iso",
					    "commits",  "git_authors", "edit_url", "history_url",
					    "outdated", "contributor" };
	static const char *const rel[] = { "backrefs", "referenced_by", "has_children" };
	static const char *const rel_or_field[] = { "prev",        "next",     "children", "docs_tree",
						    "breadcrumbs", "upcoming", "past" };
	size_t i;

	if (S_keyis(key, n, "title"))
		return RR_TITLE;
	if (S_keyis(key, n, "content"))
		return RR_BODY;
	if (S_keyis(key, n, "toc"))
		return RR_BODY | RR_FRONT;
	if (S_keyis(key, n, "summary"))
		return RR_SUMMARY;
	if (S_keyis(key, n, "reading_minutes"))
		return RR_WORDS;
	if (S_keyis(key, n, "reading_time"))
		return RR_WORDS | RR_FRONT;
	for (i = 0; i < sizeof(global) / sizeof(*global); i++)
		if (S_keyis(key, n, global[i]))
			return S_keyis(key, n, "other_lang") || S_keyis(key, n, "expired") ? RR_FRONT : 0;
	for (i = 0; i < sizeof(hist) / sizeof(*hist); i++)
		if (S_keyis(key, n, hist[i]))
			return RR_HIST | RR_FRONT; /* a type's own field of that name wins */
	for (i = 0; i < sizeof(rel) / sizeof(*rel); i++)
		if (S_keyis(key, n, rel[i]))
			return RR_REL;
	for (i = 0; i < sizeof(rel_or_field) / sizeof(*rel_or_field); i++)
		if (S_keyis(key, n, rel_or_field[i]))
			return RR_REL | RR_FRONT;
	return RR_FRONT;
}

static int S_page_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct page *pg = v->p;
	const struct render_ctx *ctx = v->q;
	const struct field *f;
	size_t k;

	/* Every key of a page is read here: the job depends on that part of that page. Which
	   part is a chain of compares, made only when something records it: a build into a
	   new folder has no state to keep (rerender.h: rr->in NULL). */
	if (ctx->st->rr->in)
		rerender_read_as(ctx->st->rr, ctx->job, pg, S_parts_of(key, n));

	if (S_keyis(key, n, "title"))
		S_set_str(out, pg->title);
	else if (S_keyis(key, n, "url"))
		S_set_str(out, pg->href);
	else if (S_keyis(key, n, "permalink"))
		S_set_str(out, pg->permalink);
	else if (S_keyis(key, n, "image"))
		return S_set_pic(out, &pg->image, ctx->st->site);
	else if (S_keyis(key, n, "other_lang")) {
		/* a reference shown in its default language: mark the link's language */
		if (pg->lang == &ctx->st->site->cfg->langs[ctx->lang])
			return 0;
		S_set_str(out, pg->lang->tag);
	} else if (S_keyis(key, n, "calendar_url") && ics_is_event(pg))
		S_set_join(out, pg->href, S_strlen(pg->href) - 1, ICS_EXT); /* "/events/x.ics" */
	else if (S_keyis(key, n, "type_name")) {
		const char *t = pg->type ? S_type_t(ctx, pg->type) : NULL;
		S_set_str(out, t ? t : pg->section);
	} else if (S_keyis(key, n, "terms")) {
		out->cls = &S_pageterms;
		out->p = pg;
		out->q = NULL;
	} else if (S_keyis(key, n, "content")) {
		out->cls = &S_body;
		out->p = pg;
		out->q = NULL;
	} else if (S_keyis(key, n, "toc")) {
		if (!pg->toc)
			return 0;
		mu_val_html(out, pg->toc, S_strlen(pg->toc));
	} else if (S_keyis(key, n, "summary"))
		S_set_str(out, pg->summary ? pg->summary : "");
	else if (S_keyis(key, n, "reading_minutes"))
		S_set_num(out, (size_t)pg->reading_minutes);
	else if (S_keyis(key, n, "lang"))
		S_set_str(out, pg->lang->tag);
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
	} else if (S_keyis(key, n, "source"))
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
	} else if (S_keyis(key, n, "referenced_by")) {
		out->cls = pg->nin ? &S_refruns_list : NULL;
		out->p = pg;
		out->q = ctx;
		out->i = S_refruns(pg);
	} else if (S_keyis(key, n, "prev") && pg->prev) {
		S_set_page(out, pg->prev, ctx);
	} else if (S_keyis(key, n, "next") && pg->next) {
		S_set_page(out, pg->next, ctx);
	} else if (S_keyis(key, n, "children") && pg->nchildren) {
		S_set_pages(out, pg->children, pg->nchildren, ctx);
	} else if (S_keyis(key, n, "has_children")) {
		S_set_bool(out, pg->nchildren > 0);
	} else if (S_keyis(key, n, "docs_tree") && pg->type && pg->type->roles.tree) {
		return S_docs_tree(ctx, pg->section, out);
	} else if (S_keyis(key, n, "breadcrumbs") && pg->type && strchr(pg->id, '/')) {
		out->cls = &S_crumbs;
		out->p = pg;
		out->q = ctx;
		out->i = S_crumb_count(pg);
	} else if ((S_keyis(key, n, "date_iso") || S_keyis(key, n, "year")) && pg->date != LLONG_MIN) {
		int y, m, d;
		civil_from_days(pg->date, &y, &m, &d);
		/* a fixed-width text held by the page's own date field node */
		if (S_keyis(key, n, "year")) {
			S_set_num(out, (size_t)y);
		} else {
			mu_charge(pg->type ? pg->type->nfields : 0);
			S_set_y(out, page_value(pg, pg->type->roles.date)->node);
		}
	} else if (S_enum_label(pg, ctx, key, n, out) || S_enum_labels(pg, ctx, key, n, out) ||
		   S_date_iso(pg, key, n, out) || S_date_clock(pg, key, n, out) || S_video(pg, key, n, out)) {
		return 1;
	} else if (S_keyis(key, n, "ended")) {
		S_set_bool(out, S_ended(pg, ctx));
	} else if (S_keyis(key, n, "end_same_day")) {
		/* an event that ends on the day it starts: its end shows only a time */
		const struct fval *end = page_value(pg, "end_date");
		const struct field *ef = pg->type ? type_field(pg->type, "end_date") : NULL;
		S_set_bool(out, end && end->node && ef && ef->kind == FIELD_DATE && end->num == pg->date);
	} else {
		if (pg->type)
			mu_charge(pg->type->nfields);
		for (k = 0; pg->type && k < pg->type->nfields; k++)
			if (S_keyis(key, n, pg->type->fields[k].name))
				return S_field_value(pg, ctx, k, out);
		/* page.date is the date field (role date) whatever its name */
		if (pg->type && S_keyis(key, n, "date") && (f = type_field(pg->type, pg->type->roles.date)))
			return S_field_value(pg, ctx, (size_t)(f - pg->type->fields), out);
		/* after the typed fields: a type's own 'updated' field wins */
		if (S_history_get(pg, ctx, key, n, out))
			return 1;
		if (S_keyis(key, n, "expired")) { /* role expires: past it at the build time */
			S_set_bool(out, pg->expired);
			return 1;
		}
		if (S_help_page_get(pg, key, n, out))
			return 1;
		if (S_keyis(key, n, "upcoming") || S_keyis(key, n, "past")) {
			out->cls = &S_split;
			out->p = pg;
			out->q = ctx;
			out->i = key[0] == 'u';
			return 1;
		}
		if (S_keyis(key, n, "reading_time"))
			return S_set_sentence(out, v, &S_reading_time);
		/*
		 * Most names that come this far are not in the front matter: a
		 * card's optional fields ({{#logo}}, {{#org}}) asked of every
		 * item of every listing, a name of the output's own ({{t.x}},
		 * {{site.title}}) that each item is asked first. The model's
		 * bits answer most of them without a scan, or a load of the
		 * front matter, seldom in the cache by then (a rebuild's
		 * /help-wanted/ asks 8,500 pages: such loads and scans were a
		 * fifth of its render's CPU).
		 */
		if (pg->front && !((pg->front_lacks >> page_key_bit(key, n)) & 1)) {
			struct mu_val fm;
			S_set_y(&fm, pg->front);
			return S_y_get(&fm, key, n, out);
		}
		return 0;
	}
	return 1;
}
S_MAP_CLASS(S_page, S_page_get);
S_SENTENCE_CLASS(S_reading_time, "reading_time", S_page, "reading_minutes");

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
S_MAP_CLASS(S_i18n, S_i18n_get);

/*
 * This output in language k (its href under the base path): the page's
 * translation, the same listing (page 1 of it: home, type list, year,
 * taxonomy, term), the language's own page of that kind (/contributors/,
 * /l10n/, the search page, 404.html); NULL when that language has none.
 */
static const char *S_peer_href(const struct render_ctx *ctx, size_t k)
{
	const struct plan_output *peer;
	if (ctx->kind == PLAN_NOTFOUND)
		return NULL; /* a missing page is missing in every language: the switcher leads home */
	if (ctx->page) {
		const struct page *t = page_in_lang(ctx->page, &ctx->st->site->cfg->langs[k]);
		return t && (!t->expired || t == ctx->page) ? t->href : NULL;
	}
	if (ctx->person) { /* the same year under the person's page in k */
		const struct page *t = page_in_lang(ctx->person, &ctx->st->site->cfg->langs[k]);
		return t && (peer = plan_person_year(ctx->st->plan, t, ctx->person_year->year))
			       ? peer->href
			       : NULL;
	}
	if (ctx->list)
		return lists_peer(ctx->st->lists, ctx->st->site, ctx->list, k);
	if ((peer = plan_lang(ctx->st->plan, ctx->kind, k)) != NULL)
		return peer->href;
	return NULL;
}

/*
 * The language switcher: one entry per site language, p the ctx, i the
 * language index. url is this output in that language (S_peer_href), or
 * else that language's home page, so the switcher never leads to a page
 * that does not exist.
 */
static int S_langlink_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	const struct lang *l = &ctx->st->site->cfg->langs[v->i];

	if (S_keyis(key, n, "code"))
		S_set_str(out, l->tag);
	else if (S_keyis(key, n, "name"))
		S_set_str(out, l->name);
	else if (S_keyis(key, n, "current"))
		S_set_bool(out, v->i == ctx->lang);
	else if (S_keyis(key, n, "url") || S_keyis(key, n, "available")) {
		const char *url = S_peer_href(ctx, v->i);
		if (S_keyis(key, n, "available"))
			S_set_bool(out, url != NULL);
		else
			S_set_str(out, url ? url : ctx->st->home_urls[v->i]);
	} else
		return 0;
	return 1;
}
S_MAP_CLASS(S_langlink, S_langlink_get);
S_LIST_OF(S_langs, S_langlink);

/* A link to a listing: p the listing, q the ctx. name, url, count, current. */
static int S_navitem_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct listing *l = v->p;
	const struct render_ctx *ctx = v->q;
	if (S_keyis(key, n, "name")) {
		const char *s = S_type_t(ctx, l->type);
		S_set_str(out, s ? s : l->type->folder);
	} else if (S_keyis(key, n, "url")) {
		S_set_str(out, l->href);
	} else if (S_keyis(key, n, "type")) {
		S_set_str(out, l->type->name);
	} else if (S_keyis(key, n, "current")) {
		S_set_bool(out, (ctx->list && ctx->list->type == l->type) ||
					(ctx->page && ctx->page->type == l->type));
	} else if (S_keyis(key, n, "count")) {
		rerender_read_part(ctx->st->rr, ctx->job, RR_PART_NAV_COUNT);
		S_set_num(out, l->total);
	} else {
		return 0;
	}
	return 1;
}
S_MAP_CLASS(S_navitem, S_navitem_get);
static void S_nav_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	out->cls = &S_navitem;
	out->p = ctx->st->nav[ctx->lang][i];
	out->q = ctx;
	out->i = 0;
}
S_LIST_CLASS(S_nav, S_nav_at);

/* A taxonomy's index in the footer: p the listing, q the ctx. name, url, count, current. */
static int S_taxlink_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct listing *l = v->p;
	const struct render_ctx *ctx = v->q;
	if (S_keyis(key, n, "name")) {
		const char *s = S_t(ctx, l->taxonomy);
		S_set_str(out, s ? s : l->taxonomy);
	} else if (S_keyis(key, n, "url")) {
		S_set_str(out, l->href);
	} else if (S_keyis(key, n, "taxonomy")) {
		S_set_str(out, l->taxonomy);
	} else if (S_keyis(key, n, "count")) {
		rerender_read_part(ctx->st->rr, ctx->job, RR_PART_TAX_COUNT);
		S_set_num(out, l->nterms);
	} else if (S_keyis(key, n, "current")) {
		S_set_bool(out,
			   ctx->list && ctx->list->taxonomy && strcmp(ctx->list->taxonomy, l->taxonomy) == 0);
	} else {
		return 0;
	}
	return 1;
}
S_MAP_CLASS(S_taxlink, S_taxlink_get);
static void S_taxlinks_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	out->cls = &S_taxlink;
	out->p = ctx->st->tax[ctx->lang][i];
	out->q = ctx;
	out->i = 0;
}
S_LIST_CLASS(S_taxlinks, S_taxlinks_at);

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
S_MAP_CLASS(S_year, S_year_get);
static void S_years_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	out->cls = &S_year;
	out->p = (const struct year_link *)v->p + i;
	out->q = NULL;
	out->i = 0;
}
S_LIST_CLASS(S_years, S_years_at);

/* A taxonomy term: p the term. */
static int S_term_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct term *t = v->p;
	if (S_cur)
		rerender_read_term(S_cur->st->rr, S_cur->job, t, S_keyis(key, n, "count"));
	if (S_keyis(key, n, "name"))
		S_set_str(out, t->name);
	else if (S_keyis(key, n, "url"))
		S_set_str(out, t->page ? t->page->href : t->href); /* a speaker: their person page */
	else if (S_keyis(key, n, "count"))
		S_set_num(out, t->n);
	else if (S_keyis(key, n, "slug"))
		S_set_str(out, t->slug);
	else
		return 0;
	return 1;
}
S_MAP_CLASS(S_term, S_term_get);
/* Terms: p an array of terms (q NULL) or of term pointers (q non-NULL). */
static void S_terms_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	out->cls = &S_term;
	out->p = v->q ? ((const struct term *const *)v->p)[i] : (const struct term *)v->p + i;
	out->q = NULL;
	out->i = 0;
}
S_LIST_CLASS(S_terms, S_terms_at);

/* A tag of a grouped list's items: p the list_tag; its count is the list's, not the site's. */
static int S_ltag_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct list_tag *t = v->p;
	struct mu_val term = { .cls = &S_term, .p = t->term };
	if (S_keyis(key, n, "count")) {
		S_set_num(out, t->count);
		return 1;
	}
	return S_term_get(&term, key, n, out);
}
S_MAP_CLASS(S_ltag, S_ltag_get);
static void S_ltags_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	out->cls = &S_ltag;
	out->p = (const struct list_tag *)v->p + i;
	out->q = NULL;
	out->i = 0;
}
S_LIST_CLASS(S_ltags, S_ltags_at);

/*
 * A grouped list (role groups) and a term page's pages by type. A group:
 * p its grouping, i its index, q the ctx. Its name is the value (an
 * enum's label, as FIELD_label), or for a range the UI string
 * FIELD_upto, FIELD_between or FIELD_from (else range_upto...) with
 * {min} and {max} filled in, or for the items without a value the UI
 * string group_other.
 */
static void S_range_text(const struct mu_val *v, struct buf *out)
{
	const struct list_grouping *gs = v->p;
	const struct list_group *g = &gs->v[v->i];
	const char *which = g->min == LLONG_MIN ? "upto" : g->max == LLONG_MAX ? "from" : "between";
	long long count = g->max == LLONG_MAX ? g->min : g->max;
	const struct render_ctx *ctx = v->q;
	const struct site *site = ctx->st->site;
	struct buf key = BUF_INIT;
	const char *s = NULL, *p;

	if (strlen(gs->field->name) + 1 + strlen(which) <= THEME_KEY_MAX) {
		buf_printf(&key, "%s_%s", gs->field->name, which);
		s = theme_plural(ctx->st->theme, site->cfg, ctx->lang, buf_cstr(&key),
				 count > 0 ? (size_t)count : 0);
	}
	if (!s) {
		buf_reset(&key);
		buf_printf(&key, "range_%s", which);
		s = theme_plural(ctx->st->theme, site->cfg, ctx->lang, buf_cstr(&key),
				 count > 0 ? (size_t)count : 0);
	}
	if (!s)
		s = g->min == LLONG_MIN ? "<= {max}" : g->max == LLONG_MAX ? "{min}+" : "{min}-{max}";
	mu_charge(strlen(s) / 256);
	for (p = s; *p; p++) {
		if (strncmp(p, "{min}", 5) == 0 && g->min != LLONG_MIN) {
			buf_printf(out, "%lld", g->min);
			p += 4;
		} else if (strncmp(p, "{max}", 5) == 0 && g->max != LLONG_MAX) {
			buf_printf(out, "%lld", g->max);
			p += 4;
		} else {
			buf_putc(out, *p);
		}
	}
	buf_release(&key);
}
S_TEXT_CLASS(S_range, S_range_text);

static int S_group_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct list_grouping *gs = v->p;
	const struct list_group *g = &gs->v[v->i];
	const struct render_ctx *ctx = v->q;

	if (S_keyis(key, n, "name")) {
		const char *s;
		if (g->none) { /* the items without a value */
			s = S_t(ctx, "group_other");
			S_set_str(out, s ? s : "other");
		} else if (!g->name) {
			*out = *v;
			out->cls = &S_range;
		} else if ((gs->field->kind == FIELD_LIST ? gs->field->of : gs->field->kind) == FIELD_ENUM) {
			S_set_str(out, S_value_label(ctx, gs->field, g->index)); /* as FIELD_label */
		} else {
			S_set_str(out, g->name);
		}
	} else if (S_keyis(key, n, "value") && g->name) {
		S_set_str(out, g->name);
	} else if (S_keyis(key, n, "anchor")) {
		S_set_str(out, g->anchor);
	} else if (S_keyis(key, n, "url")) { /* "" rather than absent: {{url}} must not find the list's */
		S_set_str(out, g->term_href ? g->term_href : "");
	} else if (S_keyis(key, n, "count")) {
		S_set_num(out, g->n);
	} else if (S_keyis(key, n, "pages")) {
		S_set_pages(out, g->items, g->n, ctx);
	} else {
		return 0;
	}
	return 1;
}
S_MAP_CLASS(S_group, S_group_get);
S_LIST_OF(S_groups, S_group);

/* One field's groups: p the grouping, q the ctx. */
static int S_grouping_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct list_grouping *gs = v->p;
	const struct render_ctx *ctx = v->q;
	if (S_keyis(key, n, "field")) {
		S_set_str(out, gs->field->name);
	} else if (S_keyis(key, n, "title")) {
		/* "group_kind" ("By kind"), else the field's own name ("City") */
		const char *s = S_t_joined(ctx, "", "group", gs->field->name);
		S_set_str(out, s ? s : (s = S_t(ctx, gs->field->name)) ? s : gs->field->name);
	} else if (S_keyis(key, n, "groups")) {
		out->cls = gs->n ? &S_groups : NULL;
		out->p = gs;
		out->q = ctx;
		out->i = gs->n;
	} else {
		return 0;
	}
	return 1;
}
S_MAP_CLASS(S_grouping, S_grouping_get);
/* A listing's groupings: p the array, i the count, q the ctx. */
static void S_groupings_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	out->cls = &S_grouping;
	out->p = (const struct list_grouping *)v->p + i;
	out->q = v->q;
	out->i = 0;
}
S_LIST_CLASS(S_groupings, S_groupings_at);

/* A term's pages of one type: p the list_section, q the ctx. */
static int S_section_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct list_section *sec = v->p;
	const struct render_ctx *ctx = v->q;
	if (S_keyis(key, n, "name")) {
		const char *s = sec->type ? S_type_t(ctx, sec->type) : S_t(ctx, "other_pages");
		S_set_str(out, s ? s : sec->type ? sec->type->folder : "");
	} else if (S_keyis(key, n, "type")) {
		S_set_str(out, sec->type ? sec->type->name : "page");
	} else if (S_keyis(key, n, "url")) {
		S_set_str(out, sec->href ? sec->href : "");
	} else if (S_keyis(key, n, "count")) {
		S_set_num(out, sec->n);
	} else if (S_keyis(key, n, "pages")) {
		S_set_pages(out, sec->items, sec->n, ctx);
	} else {
		return 0;
	}
	return 1;
}
S_MAP_CLASS(S_section, S_section_get);
static void S_sections_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	out->cls = &S_section;
	out->p = (const struct list_section *)v->p + i;
	out->q = v->q;
	out->i = 0;
}
S_LIST_CLASS(S_sections, S_sections_at);

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
S_MAP_CLASS(S_pagelink, S_pagelink_get);
S_LIST_OF(S_pagelinks, S_pagelink);
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
S_MAP_CLASS(S_pagination, S_pagination_get);

/* --- what crawlers and feed readers read in <head> ------------------------ */

static void S_list_title(const struct render_ctx *ctx, struct mu_val *out);

/* An absolute URL: p the site, q an href under the base path (or any URL, ids_any_url). */
static void S_abs_text(const struct mu_val *v, struct buf *out)
{
	ids_any_url(out, v->p, v->q);
}
S_TEXT_CLASS(S_abs, S_abs_text);

/* A summary cut for a meta description: p the text, i its length. */
static void S_clip_text(const struct mu_val *v, struct buf *out)
{
	text_clip(out, v->p, v->i, 200);
}
S_TEXT_CLASS(S_clip, S_clip_text);

/*
 * The hreflang alternates of an output (head.alternates): each language's
 * version of it, absolute, then x-default for the default language's; none
 * when it has one version only (or is a list's page 2 and on, which no
 * other language has). p the ctx; i the entry: a language index, or nlangs
 * for x-default.
 */
static size_t S_alt_count(const struct render_ctx *ctx)
{
	size_t k, n = 0;
	if (ctx->list && ctx->list->page_no != 1)
		return 0;
	for (k = 0; k < ctx->st->site->cfg->nlangs; k++)
		n += S_peer_href(ctx, k) != NULL;
	return n < 2 ? 0
		     : n + (S_peer_href(ctx, ctx->st->site->cfg->default_lang - ctx->st->site->cfg->langs) !=
			    NULL);
}

static int S_alt_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	const struct config *cfg = ctx->st->site->cfg;
	size_t k = v->i == cfg->nlangs ? (size_t)(cfg->default_lang - cfg->langs) : v->i;
	if (S_keyis(key, n, "lang"))
		S_set_str(out, v->i == cfg->nlangs ? "x-default" : cfg->langs[k].tag);
	else if (S_keyis(key, n, "url")) {
		out->cls = &S_abs;
		out->p = ctx->st->site;
		out->q = S_peer_href(ctx, k);
		out->i = 0;
	} else
		return 0;
	return 1;
}
S_MAP_CLASS(S_alt, S_alt_get);

static void S_alts_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	size_t k, nl = ctx->st->site->cfg->nlangs;
	for (k = 0; k < nl; k++)
		if (S_peer_href(ctx, k) && i-- == 0)
			break;
	out->cls = &S_alt;
	out->p = ctx;
	out->q = NULL;
	out->i = k; /* nlangs when past the languages: x-default */
}
S_LIST_CLASS(S_alts, S_alts_at);

/*
 * What jsonld_page reads of pages other than its own: the pages its
 * fields refer to and theirs (an event's venue's city), and the docs
 * folders of its breadcrumbs (their titles).
 */
static void S_read_jsonld(const struct render_ctx *ctx, const struct page *pg, int depth)
{
	const char *s;
	size_t k, i;

	if (!ctx->st->rr->in) /* nothing records it: no folder's page to find */
		return;
	for (k = 0; pg->type && pg->vals && k < pg->type->nfields; k++)
		for (i = 0; i < pg->vals[k].nrefs; i++) {
			rerender_read_as(ctx->st->rr, ctx->job, pg->vals[k].refs[i],
					 RR_TITLE | RR_FRONT | RR_SUMMARY);
			if (depth > 1)
				S_read_jsonld(ctx, pg->vals[k].refs[i], depth - 1);
		}
	if (depth < 2)
		return;
	for (s = strchr(pg->id, '/'); pg->type && s; s = strchr(s + 1, '/')) {
		char *prefix = xstrndup(pg->id, (size_t)(s - pg->id));
		rerender_read_as(ctx->st->rr, ctx->job,
				 model_find(ctx->st->site, pg->section, prefix, pg->lang), RR_TITLE);
		free(prefix);
	}
}

/* l is a type's list whose structured data holds its items' answers (jsonld_listing's FAQPage). */
static int S_faq_list(const struct listing *l)
{
	return l->kind == LIST_TYPE && l->type && l->type->roles.schema == SCHEMA_FAQ;
}

/* Structured data (trusted: made by jsonld.c, every value escaped): p the ctx. */
static void S_jsonld_text(const struct mu_val *v, struct buf *out)
{
	const struct render_ctx *ctx = v->p;
	size_t start = out->len;
	size_t i;
	if (ctx->page) {
		S_read_jsonld(ctx, ctx->page, 2);
		jsonld_page(out, ctx->st->site, ctx->st->theme, ctx->page);
	} else if (ctx->list) {
		/* a FAQ list's answers are its items' bodies (jsonld_listing); other
		   lists' structured data are crumbs, of what their listing holds */
		for (i = 0; S_faq_list(ctx->list) && i < ctx->list->nitems; i++)
			rerender_read(ctx->st->rr, ctx->job, ctx->list->items[i]);
		jsonld_listing(out, ctx->st->site, ctx->st->theme, ctx->list);
	}
	/* the template's own line break ends the last element */
	if (out->len > start && out->ptr[out->len - 1] == '\n')
		out->ptr[--out->len] = '\0';
}
static const struct mu_class S_jsonld = {
	.kind = S_scalar_kind,
	.text = S_jsonld_text,
	.truthy = S_true,
	.trusted = 1,
};

/* The list of the type this output belongs to (a page's, a type list's), or NULL. */
static const struct listing *S_own_type_list(const struct render_ctx *ctx)
{
	const struct type *ty = NULL;
	size_t i;
	if (ctx->page)
		ty = ctx->page->type;
	else if (ctx->list && (ctx->list->kind == LIST_TYPE || ctx->list->kind == LIST_YEAR))
		ty = ctx->list->type;
	mu_charge(ctx->st->nnav[ctx->lang]);
	for (i = 0; ty && i < ctx->st->nnav[ctx->lang]; i++)
		if (ctx->st->nav[ctx->lang][i]->type == ty)
			return ctx->st->nav[ctx->lang][i];
	return NULL;
}

/*
 * The Atom feeds an output links to: p the ctx, i the entry. Entry 0 is the
 * site's (this language), then the feed of the output's type, then of its
 * term.
 */
static size_t S_feed_count(const struct render_ctx *ctx)
{
	return 1 + (S_own_type_list(ctx) != NULL) + (ctx->list && ctx->list->kind == LIST_TERM);
}
static int S_feedlink_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	const struct listing *tl = S_own_type_list(ctx);
	const char *href, *title;
	if (v->i == 0) {
		const struct lang *l = &ctx->st->site->cfg->langs[ctx->lang];
		href = ctx->st->home_urls[ctx->lang];
		title = l->title ? l->title : ctx->st->site->cfg->title;
		if (!title[0])
			title = S_t(ctx, "home");
	} else if (v->i == 1 && tl) {
		href = tl->href;
		title = S_type_t(ctx, tl->type);
		if (!title)
			title = tl->type->folder;
	} else {
		href = ctx->list->term->href;
		title = ctx->list->term->name;
	}
	if (S_keyis(key, n, "url"))
		S_set_join(out, href, S_strlen(href), ATOM_FILE);
	else if (S_keyis(key, n, "title"))
		S_set_str(out, title ? title : "");
	else
		return 0;
	return 1;
}
S_MAP_CLASS(S_feedlink, S_feedlink_get);
S_LIST_OF(S_feeds, S_feedlink);

/* ctx's page's own raster picture: its cover or avatar, else the first picture of its body. */
static const struct picture *S_own_image(const struct render_ctx *ctx)
{
	if (!ctx->page)
		return NULL;
	if (S_is_raster(ctx->page->image.href))
		return &ctx->page->image;
	if (S_is_raster(ctx->page->first_image.href))
		return &ctx->page->first_image;
	return NULL;
}

/*
 * The picture jixia drew for ctx's page (its card, social_cards: true,
 * when it has no raster cover) or year page (its poster); NULL for none.
 */
static const struct picture *S_drawn_image(const struct render_ctx *ctx)
{
	const struct plan *plan = ctx->st->plan;
	const struct site *site = ctx->st->site;
	if (ctx->page && plan->cards && plan->cards[ctx->page - site->pages].href)
		return &plan->cards[ctx->page - site->pages];
	if (ctx->kind == PLAN_CONTRIBUTORS_YEAR && plan->year_posters)
		return &plan->year_posters[ctx->lang * site->insights->nyears + ctx->year];
	if (ctx->kind == PLAN_PERSON_YEAR && plan->person_posters) {
		const struct plan_output *o = plan_person_year(plan, ctx->person, ctx->person_year->year);
		if (o && o->lang == ctx->lang)
			return &plan->person_posters[o - &plan->v[plan->person_years.first]];
	}
	return NULL;
}

/* head: p the ctx. */
static int S_head_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	const struct site *site = ctx->st->site;
	const struct lang *l = &site->cfg->langs[ctx->lang];
	int notfound = ctx->kind == PLAN_NOTFOUND;

	out->q = NULL;
	out->i = 0;
	if (S_keyis(key, n, "canonical") && !notfound) {
		out->cls = &S_abs;
		out->p = site;
		out->q = ctx->url;
	} else if (S_keyis(key, n, "title")) {
		const char *s = notfound ? S_t(ctx, "not_found_title") : NULL;
		if (!ctx->page && !ctx->list && !notfound)
			s = S_t(ctx, plan_kinds[ctx->kind].name); /* /contributors/, /l10n/, search */
		if (ctx->page)
			S_set_str(out, ctx->page->title);
		else if (ctx->list)
			S_list_title(ctx, out);
		else if (s)
			S_set_str(out, s);
		else
			return 0;
	} else if (S_keyis(key, n, "description")) {
		const char *s = l->description ? l->description : site->cfg->description;
		if (ctx->page && ctx->page->summary && ctx->page->summary[0])
			s = ctx->page->summary;
		if (!s || !s[0])
			return 0;
		out->cls = &S_clip;
		out->p = s;
		out->i = S_strlen(s);
	} else if (S_keyis(key, n, "site_name")) {
		S_set_str(out, l->title ? l->title : site->cfg->title);
	} else if (S_keyis(key, n, "image")) {
		/* the page's cover or avatar, else the first picture of its body:
		   the first that is a raster image (social networks show no SVG) */
		const struct picture *pic = S_own_image(ctx);
		if (!pic)
			pic = S_drawn_image(ctx);
		return pic ? S_set_pic(out, pic, site) : 0;
	} else if (S_keyis(key, n, "large_image")) {
		/* a card or poster jixia drew: shown large (twitter:card summary_large_image) */
		const struct picture *pic = S_own_image(ctx) ? NULL : S_drawn_image(ctx);
		return pic ? S_set_pic(out, pic, site) : 0;
	} else if (S_keyis(key, n, "og_type")) {
		S_set_str(out, ctx->page ? "article" : "website");
	} else if (S_keyis(key, n, "alternates") && !notfound && S_alt_count(ctx)) {
		out->cls = &S_alts;
		out->p = ctx;
		out->i = S_alt_count(ctx);
	} else if (S_keyis(key, n, "feeds")) {
		out->cls = &S_feeds;
		out->p = ctx;
		out->i = S_feed_count(ctx);
	} else if (S_keyis(key, n, "jsonld") && (ctx->page || ctx->list)) {
		out->cls = &S_jsonld;
		out->p = ctx;
	} else if (S_keyis(key, n, "noindex")) {
		/* an expired item's page stays for old links, not for search engines */
		S_set_bool(out, notfound || (ctx->page && ctx->page->expired));
	} else {
		return 0;
	}
	return 1;
}
S_MAP_CLASS(S_head, S_head_get);

/* The site: p the ctx. */
static int S_site_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	const struct config *cfg = ctx->st->site->cfg;
	const struct plan_output *o;

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
	else if (S_keyis(key, n, "search"))
		S_set_str(out, plan_lang(ctx->st->plan, PLAN_SEARCH, ctx->lang)->href);
	else if (S_keyis(key, n, "feed"))
		S_set_join(out, ctx->st->home_urls[ctx->lang], S_strlen(ctx->st->home_urls[ctx->lang]),
			   ATOM_FILE);
	else if (S_keyis(key, n, "languages")) {
		out->cls = &S_langs;
		out->p = ctx;
		out->q = NULL;
		out->i = cfg->nlangs;
	} else if (S_keyis(key, n, "multilingual"))
		S_set_bool(out, cfg->nlangs > 1);
	else if (S_keyis(key, n, "contributors_url") &&
		 (o = plan_lang(ctx->st->plan, PLAN_CONTRIBUTORS, ctx->lang)))
		S_set_str(out, o->href);
	else if (S_keyis(key, n, "l10n_url") && (o = plan_lang(ctx->st->plan, PLAN_L10N, ctx->lang)))
		S_set_str(out, o->href);
	else if (S_keyis(key, n, "insights_url") && (o = plan_lang(ctx->st->plan, PLAN_INSIGHTS, ctx->lang)))
		S_set_str(out, o->href);
	else if (S_keyis(key, n, "help_wanted_url") && (o = plan_lang(ctx->st->plan, PLAN_HELP, ctx->lang)))
		S_set_str(out, o->href);
	else if (S_keyis(key, n, "has_taxonomies"))
		S_set_bool(out, ctx->st->ntax[ctx->lang] > 0);
	else if (S_keyis(key, n, "taxonomies") && ctx->st->ntax[ctx->lang]) {
		out->cls = &S_taxlinks;
		out->p = ctx;
		out->q = NULL;
		out->i = ctx->st->ntax[ctx->lang];
	} else if (S_keyis(key, n, "nav")) {
		out->cls = &S_nav;
		out->p = ctx;
		out->q = NULL;
		out->i = ctx->st->nnav[ctx->lang];
	} else
		return 0;
	return 1;
}
S_MAP_CLASS(S_site, S_site_get);

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
		s = S_type_t(ctx, l->type);
		S_set_str(out, s ? s : l->type->folder);
		return;
	case LIST_TAXONOMY:
		s = S_t(ctx, l->taxonomy);
		S_set_str(out, s ? s : l->taxonomy);
		return;
	case LIST_TERM: S_set_str(out, l->term->name); return;
	}
}

/*
 * The introduction of a listing (content/TYPE/_index.md of a type's list,
 * content/_index.md of the home page), on its first page only; or NULL.
 */
static const struct page *S_list_intro(const struct render_ctx *ctx)
{
	const struct listing *l = ctx->list;
	const struct lang *lg = &ctx->st->site->cfg->langs[ctx->lang];
	if (l->page_no != 1 || !ctx->st->site->nintros)
		return NULL;
	if (l->kind == LIST_HOME)
		return model_intro(ctx->st->site, "", lg);
	if (l->kind == LIST_TYPE)
		return model_intro(ctx->st->site, l->type->folder, lg);
	return NULL;
}

/* Root keys that only listings have. */
static int S_list_get(const struct render_ctx *ctx, const char *key, size_t n, struct mu_val *out)
{
	const struct listing *l = ctx->list;
	const struct home_section *hs;
	if (l->kind == LIST_HOME && (hs = lists_home_section(l, key, n)))
		S_set_pages(out, hs->items, hs->n, ctx); /* role home: latest_talks... */
	else if (S_keyis(key, n, "title") && S_list_intro(ctx) && S_list_intro(ctx)->title)
		S_set_str(out, S_list_intro(ctx)->title); /* content/TYPE/_index.md's */
	else if (S_keyis(key, n, "title"))
		S_list_title(ctx, out);
	else if (S_keyis(key, n, "intro") && S_list_intro(ctx) && S_list_intro(ctx)->html_len) {
		out->cls = &S_body;
		out->p = S_list_intro(ctx);
		out->q = NULL;
	} else if (S_keyis(key, n, "docs_tree") && l->kind == LIST_TYPE && l->type->roles.tree)
		return S_docs_tree(ctx, l->type->folder, out);
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
	} else if (S_keyis(key, n, "filter_tags") && l->ntags) {
		out->cls = &S_ltags;
		out->p = l->tags;
		out->i = l->ntags;
	} else if (S_keyis(key, n, "grouped") && l->ngroupings) {
		S_set_bool(out, 1);
	} else if (S_keyis(key, n, "group_by") && l->ngroupings) {
		out->cls = &S_groupings;
		out->p = l->groupings;
		out->q = ctx;
		out->i = l->ngroupings;
	} else if (S_keyis(key, n, "by_type") && l->nby_type) {
		out->cls = &S_sections;
		out->p = l->by_type;
		out->q = ctx;
		out->i = l->nby_type;
	} else if (S_keyis(key, n, "all_tags_url") && l->kind == LIST_HOME) {
		/* the popular tags end with the tags' index */
		size_t k;
		for (k = 0; k < ctx->st->ntax[ctx->lang]; k++)
			if (strcmp(ctx->st->tax[ctx->lang][k]->taxonomy, "tags") == 0) {
				S_set_str(out, ctx->st->tax[ctx->lang][k]->href);
				return 1;
			}
		return 0;
	} else if (S_keyis(key, n, "popular_tags") && l->npopular_tags) {
		out->cls = &S_terms;
		out->p = l->popular_tags;
		out->q = l; /* an array of pointers */
		out->i = l->npopular_tags;
	} else
		return 0;
	return 1;
}

/* --- help wanted -------------------------------------------------------- */

/* A translation the community needs: p the help_translation array, q the ctx, i the index. */
static int S_helptr_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct help_translation *t = (const struct help_translation *)v->p + v->i;
	struct mu_val pg;

	if (S_keyis(key, n, "command")) {
		S_set_str(out, t->command);
	} else if (S_keyis(key, n, "missing")) {
		S_set_bool(out, t->missing);
	} else if (S_keyis(key, n, "lang_code")) {
		S_set_str(out, t->lang->code);
	} else if (S_keyis(key, n, "lang_name")) {
		S_set_str(out, t->lang->name);
	} else {
		S_set_page(&pg, t->page, v->q);
		return S_page_get(&pg, key, n, out);
	}
	return 1;
}
S_MAP_CLASS(S_helptr, S_helptr_get);
S_LIST_OF(S_helptrs, S_helptr);

/*
 * The points of a rule of site.yaml's contributors.points: "commit",
 * "translation", or the first type (in rank order) whose items name
 * speakers (people part speaker): what a talk earns.
 */
static int S_rule_points(const struct site *site, const char *what, struct mu_val *out)
{
	size_t i, k;
	for (i = 0; i < site->npoints; i++) {
		const struct type *ty = site->points[i].type;
		int speakers = 0;
		for (k = 0; ty && !what && k < ty->nfields; k++)
			speakers |= ty->fields[k].people == PEOPLE_SPEAKER;
		if (what ? !ty && strcmp(site->points[i].what, what) == 0 : speakers) {
			S_set_num(out, (size_t)site->points[i].points);
			return 1;
		}
	}
	return 0;
}

/*
 * Root keys of /help-wanted/: title, questions, calls, translations and
 * the points each earns (answer_points and update_points: a commit's;
 * translate_points; talk_points); open_calls on the home page too.
 */
static int S_help_root(const struct render_ctx *ctx, const char *key, size_t n, struct mu_val *out)
{
	const struct site *site = ctx->st->site;
	const struct help_lang *h = site->help ? &site->help[ctx->lang] : NULL;

	if (!h || (ctx->kind != PLAN_HELP && ctx->kind != PLAN_HOME))
		return 0;
	rerender_read_part(ctx->st->rr, ctx->job, RR_PART_HELP);
	if (S_keyis(key, n, "open_calls")) {
		S_set_pages(out, h->calls, h->ncalls, ctx);
		return 1;
	}
	if (ctx->kind != PLAN_HELP)
		return 0;
	if (S_keyis(key, n, "title")) {
		const char *s = S_t(ctx, plan_kinds[ctx->kind].name);
		S_set_str(out, s ? s : plan_kinds[ctx->kind].name);
	} else if (S_keyis(key, n, "questions")) {
		S_set_pages(out, h->questions, h->nquestions, ctx);
	} else if (S_keyis(key, n, "calls")) {
		S_set_pages(out, h->calls, h->ncalls, ctx);
	} else if (S_keyis(key, n, "translations")) {
		out->cls = h->ntranslations ? &S_helptrs : NULL;
		out->p = h->translations;
		out->q = ctx;
		out->i = h->ntranslations;
	} else if (S_keyis(key, n, "answer_points") || S_keyis(key, n, "update_points")) {
		return S_rule_points(site, "commit", out);
	} else if (S_keyis(key, n, "translate_points")) {
		return S_rule_points(site, "translation", out);
	} else if (S_keyis(key, n, "talk_points")) {
		return S_rule_points(site, NULL, out);
	} else {
		return 0;
	}
	return 1;
}

/* The root of every output: p the ctx. */
static int S_root_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct render_ctx *ctx = v->p;
	const struct plan_output *o;

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
		S_set_str(out, ctx->st->site->cfg->langs[ctx->lang].tag);
	} else if (S_keyis(key, n, "url")) {
		S_set_str(out, ctx->url);
	} else if (S_keyis(key, n, "kind")) {
		S_set_str(out, plan_kinds[ctx->kind].name);
	} else if (S_keyis(key, n, "head")) {
		out->cls = &S_head;
		out->p = ctx;
	} else if ((S_keyis(key, n, "redirect") || S_keyis(key, n, "redirect_abs")) && ctx->list &&
		   ctx->list->kind == LIST_TERM && ctx->list->term->page) {
		/* a term that is one item (a speaker): its page stands in for the term's */
		out->cls = &S_abs;
		out->p = ctx->st->site;
		out->q = ctx->list->term->page->href;
		if (n == strlen("redirect"))
			S_set_str(out, ctx->list->term->page->href);
	} else if (S_keyis(key, n, "default_lang")) {
		S_set_bool(out, &ctx->st->site->cfg->langs[ctx->lang] == ctx->st->site->cfg->default_lang);
	} else if (S_keyis(key, n, "mixed_types")) {
		/* a term page lists pages of any type: each card names its own */
		S_set_bool(out, ctx->list && ctx->list->kind == LIST_TERM);
	} else if (S_keyis(key, n, "calendar_url") && ctx->list &&
		   (ctx->list->kind == LIST_TYPE || ctx->list->kind == LIST_YEAR) &&
		   ctx->list->type->roles.calendar &&
		   (o = plan_lang(ctx->st->plan, PLAN_CALENDAR, ctx->lang))) {
		S_set_str(out, o->href); /* only when the plan writes one: a dated event exists */
	} else if (S_history_root(ctx, key, n, out) || S_help_root(ctx, key, n, out)) {
		return 1;
	} else if (S_insights_root(ctx, key, n, out)) {
		return 1;
	} else if (S_year_root(ctx, key, n, out)) {
		return 1;
	} else if (S_person_year_root(ctx, key, n, out)) {
		return 1;
	} else if (ctx->list && S_list_get(ctx, key, n, out)) {
		return 1; /* before the kind flag: a year page's {{year}} is its year, not true */
	} else if (S_keyis(key, n, plan_kinds[ctx->kind].name)) {
		S_set_bool(out, 1); /* {{#home}}...{{/home}} */
	} else {
		return 0;
	}
	return 1;
}
S_MAP_CLASS(S_root, S_root_get);

/* --- jobs --------------------------------------------------------------- */

/* The layout of each kind of HTML output, and the one used when the theme has not got it. */
static const struct {
	const char *layout; /* NULL: a page's type name */
	const char *fallback;
} S_layouts[PLAN_KINDS] = {
	[PLAN_PAGE] = { NULL, "page" },
	[PLAN_HOME] = { "home", "list" },
	[PLAN_LIST] = { "list", "list" },
	[PLAN_YEAR] = { "list", "list" },
	[PLAN_TAXONOMY] = { "taxonomy", "list" },
	[PLAN_TERM] = { "term", "list" },
	[PLAN_CONTRIBUTORS] = { "contributors", "contributors" },
	[PLAN_L10N] = { "l10n", "l10n" },
	[PLAN_HELP] = { "help_wanted", "help_wanted" },
	[PLAN_SEARCH] = { "search", "search" },
	[PLAN_INSIGHTS] = { "insights", "insights" },
	[PLAN_CONTRIBUTORS_YEAR] = { "contributors-year", "contributors-year" },
	[PLAN_PERSON_YEAR] = { "person-year", "person-year" },
	[PLAN_NOTFOUND] = { "404", "404" },
};

/*
 * Renders one output. Returns 0, or -1 with a template error in job->run
 * (a failed write is reported at once: it is about the output folder, not
 * about the templates, and leaves run.msg empty).
 */
static int S_render_one(const struct render_state *st, struct render_ctx *ctx, const char *layout,
			const char *fallback, const char *out_path, struct buf *b, struct render_job *job,
			int *linked)
{
	struct mu_val root = { .cls = &S_root, .p = ctx };

	buf_reset(b);
	if (!mu_set_has(st->theme->set, layout))
		layout = fallback;
	job->layout = layout;
	if (!mu_set_has(st->theme->set, layout)) {
		job->run.path = NULL;
		buf_printf(&job->run.msg, "the theme has no layout '%s' (layouts/%s.html)", layout, layout);
		return -1;
	}
	if (mu_render_run(b, &job->run, st->theme->set, layout, &root) ||
	    output_write_shared(st->out, out_path, b->ptr, b->len, linked))
		return -1;
	return 0;
}

static void S_lower(atomic_size_t *v, size_t x)
{
	size_t cur = atomic_load(v);
	while (x < cur && !atomic_compare_exchange_weak(v, &cur, x))
		;
}

static void S_raise(atomic_size_t *v, size_t x)
{
	size_t cur = atomic_load(v);
	while (x > cur && !atomic_compare_exchange_weak(v, &cur, x))
		;
}

/*
 * A jixia build's outputs none of whose inputs changed since the build
 * that made the current output (rerender.h, diskcache.h): that output's
 * files are kept (write.h's output_keep_many), all at once before any job
 * renders, their steps counted as those of their last render (as
 * S_share_kept's). Those output_keep_many refuses render. 0, or -1 after
 * an error.
 */
static int S_disk_keep(struct render_state *st, int nthreads)
{
	struct rerender *rr = st->rr;
	struct output_kept *v;
	size_t *job, i, n = 0, total = 0;
	uint64_t gen = rerender_disk_gen(rr);
	int rc;

	if (!rr->reuse || !rr->in->disk || st->out->mem)
		return 0;
	v = xmalloc((rr->njobs ? rr->njobs : 1) * sizeof(*v));
	job = xmalloc((rr->njobs ? rr->njobs : 1) * sizeof(*job));
	for (i = 0; i < rr->njobs; i++) {
		const struct plan_output *o = &st->plan->v[st->plan->html.first + i];
		if (!rerender_disk_file(rr, i, o, &v[n].size, &v[n].shared))
			continue;
		v[n].rel = o->out_path;
		job[n++] = i;
	}
	rc = output_keep_many(st->out, v, n, gen, nthreads);
	for (i = 0; rc == 0 && i < n; i++) {
		const struct plan_output *o = &st->plan->v[st->plan->html.first + job[i]];
		struct render_job *j = &st->jobs[job[i]];
		if (v[i].rc)
			continue;
		rerender_disk_take(rr, job[i], o, v[i].size);
		j->what = o->page ? o->page->path : o->href;
		j->layout = "";
		j->run.steps = rr->jobs[job[i]].steps;
		total += j->run.steps;
	}
	rerender_disk_settle(rr);
	atomic_fetch_add(&st->steps, total);
	free(v);
	free(job);
	return rc;
}

/* Job i: the plan's HTML output i, so one pool call renders them all. (Assets are media's.) */
static void S_job(size_t i, int worker, void *payload)
{
	struct render_state *st = payload;
	const struct plan_output *o = &st->plan->v[st->plan->html.first + i];
	struct render_ctx ctx;
	struct buf *b = &st->bufs[worker];
	struct render_job *job = &st->jobs[i];
	const char *layout = S_layouts[o->kind].layout;
	size_t n = i;
	int failed, linked = 0;

	/* A job before this one failed, or the budget is spent: the build stops here. */
	if (n > atomic_load(&st->stop))
		return;
	S_raise(&st->max_started, n);
	memset(&ctx, 0, sizeof(ctx));
	ctx.st = st;
	ctx.lang = o->lang;
	ctx.page = o->page;
	ctx.list = o->list;
	ctx.kind = o->kind;
	ctx.year = o->year;
	ctx.url = o->href;
	ctx.job = i;
	rerender_read(st->rr, i, o->page); /* its own page, read outside the templates too (head, JSON-LD) */
	rerender_read_listing(st->rr, i, o->list); /* its own listing, all of it */
	S_cur = &ctx;
	if (o->kind == PLAN_PERSON_YEAR) {
		ctx.person = o->person;
		ctx.person_year = o->person_year;
	}
	if (!layout)
		layout = o->page->type ? o->page->type->name : "page";
	if (o->kind == PLAN_TERM && o->list->term->page)
		layout = "redirect"; /* /speakers/x/ to /people/x/ */
	job->run.names = st->names;
	failed = S_render_one(st, &ctx, layout, S_layouts[o->kind].fallback, o->out_path, b, job, &linked);
	S_cur = NULL;
	job->run.steps += b->len / RENDER_BYTES_PER_STEP;
	job->what = ctx.page ? ctx.page->path : ctx.url;
	if (st->rr->in) {
		st->rr->jobs[i].steps = job->run.steps;
		st->rr->jobs[i].size = b->len; /* a build's render state records it (rerender_disk_file) */
		st->rr->jobs[i].linked = !failed && linked;
	}
	if (failed)
		S_lower(&st->stop, n);
	/*
	 * Every job whose steps are in the total has started, so the steps
	 * of the jobs up to max_started are over the budget too.
	 */
	if (atomic_fetch_add(&st->steps, job->run.steps) + job->run.steps > st->budget)
		S_lower(&st->stop, atomic_load(&st->max_started));
}

/* Job k of those rerender_begin left to render (the others were shared: S_share_kept). */
static void S_job_of(size_t k, int worker, void *payload)
{
	struct render_state *st = payload;
	S_job(st->rr->render[k], worker, payload);
}

/*
 * The outputs nothing of which changed since the last build of this serve
 * session: their files shared from the last site in one go, their steps
 * counted as those of their last render. Before any job renders, so
 * their steps are in the total the budget checks (S_report names the job
 * at which the total ran over, as a build that rendered them would).
 */
static int S_share_kept(struct render_state *st)
{
	const struct rerender *rr = st->rr;
	size_t i, first = 0, total = 0;

	if (!rr->nshare)
		return 0;
	if (output_share_many(st->out, rerender_kept_site(rr), rr->share, rr->nshare, &first))
		return -1;
	rerender_shared(st->rr, first);
	for (i = 0; i < rr->njobs; i++) {
		const struct plan_output *o;
		if (!rr->jobs[i].kept)
			continue;
		o = &st->plan->v[st->plan->html.first + i];
		st->jobs[i].what = o->page ? o->page->path : o->href;
		st->jobs[i].layout = "";
		st->jobs[i].run.steps = rr->jobs[i].steps;
		total += rr->jobs[i].steps;
	}
	atomic_fetch_add(&st->steps, total);
	return 0;
}

/*
 * One error however many outputs failed: the first, in job order, of a
 * template error and the job whose steps take the total over the budget.
 * Every job up to st->stop has run, and one of them is that error.
 */
static void S_report(const struct render_state *st, size_t total)
{
	size_t i, stop = atomic_load(&st->stop);
	unsigned long sum = 0;

	for (i = 0; i <= stop && i < total; i++) {
		const struct render_job *job = &st->jobs[i];
		if (job->run.msg.len) {
			diag_error(job->run.path, job->run.line, job->run.col, "%s; while rendering %s",
				   buf_cstr(&job->run.msg), job->what);
			return;
		}
		sum += job->run.steps;
		if (sum > st->budget) {
			struct buf path = BUF_INIT;
			buf_printf(&path, "layouts/%s.html", job->layout);
			diag_error(path.ptr, 0, 0,
				   "the templates took more than %lu steps for %zu outputs, a step per "
				   "%d bytes written counted in (a runaway template?); stopped while "
				   "rendering %s",
				   st->budget, total, RENDER_BYTES_PER_STEP, job->what);
			buf_release(&path);
			return;
		}
	}
}

/* --- names no output's data has ------------------------------------------ */

/*
 * Every key a class of this file answers to by name (the S_keyis literals
 * above), in byte order: a key may be missing from all of a site's
 * outputs though a template rightly asks for it (page.prev of a type with
 * one page, a listing's pagination). tests/e2e/theme.sh keeps the list in
 * step with the literals.
 */
/* clang-format off */
static const char *const S_names[] = {
	"abs", "all_tags_url", "alternates", "anchor", "answer_points", "available", "backrefs", "base",
	"base_url", "bounties", "bounty_points", "breadcrumbs", "by_type", "calendar_url", "call_open",
	"call_until", "call_until_iso", "call_url", "calls", "canonical", "charts", "children", "code",
	"command", "commits", "commits_behind", "content", "contributor", "contributor_bounties",
	"contributor_commits", "contributor_items", "contributor_points", "contributor_rank",
	"contributor_translations", "contributors", "contributors_url", "count", "coverage", "create",
	"created", "created_iso", "csv_url", "current", "date", "date_iso", "default_lang", "depth",
	"description", "diff_url", "docs_tree", "edit_url", "empty", "end_same_day", "ended", "expired",
	"feed", "feeds", "field", "filter_tags", "git_authors", "group_by", "grouped", "groups",
	"has_children", "has_taxonomies", "head", "height", "help_wanted_url", "history_url", "home",
	"id", "image", "insights_url", "intro", "items", "json_url", "jsonld", "kind", "l10n_summary",
	"l10n_url", "l10n_words", "lang", "lang_code", "lang_name", "languages", "large_image", "links", "message",
	"min", "missing", "missing_pages", "mixed_types", "move_to", "moved_to", "multilingual", "name",
	"nav", "next", "nodes", "noindex", "number", "og_type", "one", "open", "open_calls", "original",
	"original_url", "originals", "orphan_pages", "orphans", "other_lang", "outdated",
	"outdated_pages", "page", "pages", "pagination", "past", "path", "period_quarter", "permalink",
	"person", "person_year_body", "person_year_links", "points", "points_from", "popular_tags", "poster_url", "prev", "question_open", "questions", "rank",
	"reach", "reach_label", "reading_minutes", "reading_time", "redirect", "redirect_abs",
	"referenced_by", "root", "search", "section", "site", "site_name", "slug", "source", "summary",
	"t", "talk_points", "taxonomies", "taxonomy", "taxonomy_title", "taxonomy_url", "terms", "title",
	"titles", "toc", "total", "translate_points", "translated", "translations", "type", "type_name",
	"types", "upcoming", "update_points", "updated", "updated_iso", "urgent_points", "url", "value",
	"video_host", "video_player", "what", "width", "words", "year", "year_body", "year_links",
	"years",
};
/* clang-format on */

/* name (n bytes) is prefix followed by suffix. */
static int S_is_joined(const char *name, size_t n, const char *prefix, const char *suffix)
{
	size_t pn = strnlen(prefix, n + 1);
	return pn <= n && memcmp(name, prefix, pn) == 0 && S_keyis(name + pn, n - pn, suffix);
}

/*
 * 1 when name (one part of a tag's name) is a key the site's data can
 * have: one of S_names, a field of a type (FIELD, FIELD_label, FIELD_labels, FIELD_iso;
 * TYPE_FIELD of page.backrefs), a type's home section, a taxonomy, an
 * output kind's flag. For mu_names_unknown; p the render_state.
 */
static int S_known(const char *name, size_t n, void *payload)
{
	const struct render_state *st = payload;
	const struct site *site = st->site;
	const struct types *types = &site->types;
	size_t i, k;

	for (i = 0; i < sizeof(S_names) / sizeof(*S_names); i++)
		if (S_keyis(name, n, S_names[i]))
			return 1;
	for (i = 0; i < PLAN_KINDS; i++)
		if (S_keyis(name, n, plan_kinds[i].name))
			return 1;
	for (i = 0; i < site->cfg->ntaxonomies; i++)
		if (S_keyis(name, n, site->cfg->taxonomies[i]))
			return 1;
	for (i = 0; i < types->n; i++) {
		const struct type *ty = &types->v[i];
		size_t tn = strnlen(ty->name, n);
		int typed = tn < n && name[tn] == '_' && memcmp(name, ty->name, tn) == 0;
		if (ty->roles.home && S_keyis(name, n, ty->roles.home))
			return 1;
		for (k = 0; k < ty->nfields; k++) {
			const char *f = ty->fields[k].name;
			if (S_keyis(name, n, f) || S_is_joined(name, n, f, "_label") ||
			    S_is_joined(name, n, f, "_labels") || S_is_joined(name, n, f, "_iso") ||
			    S_is_joined(name, n, f, "_time") || S_is_joined(name, n, f, "_zone") ||
			    (typed && S_keyis(name + tn + 1, n - tn - 1, f)))
				return 1;
		}
	}
	return 0;
}

/*
 * A tag whose name no output's data had: a misspelling ({{page.titel}})
 * renders nothing and is easily missed, so it is a warning, which --strict
 * makes an error.
 */
static void S_unknown_name(const char *path, int line, int col, const char *name, size_t n, void *payload)
{
	struct render_state *st = payload;
	st->unknown++;
	diag_warn(path, line, col, "no page has '%.*s': the tag renders nothing (a misspelt name?)", (int)n,
		  name);
}

/* --- preparation -------------------------------------------------------- */

/*
 * Each language's UI string l10n_reach_NAME of each reach but L10N_OTHER
 * (which has none), or NULL: /l10n/ shows one for each of its thousands
 * of missing pages, each a snprintf and a UI string lookup when made there.
 */
static void S_reach_labels(struct render_state *st, struct arena *a)
{
	size_t nl = st->site->cfg->nlangs, i, r;

	st->reach_labels = arena_alloc(a, (nl ? nl : 1) * S_NREACH * sizeof(*st->reach_labels));
	for (i = 0; i < nl; i++)
		for (r = 0; r < S_NREACH; r++) {
			struct render_ctx ctx = { .st = st, .lang = i };
			char name[32];
			snprintf(name, sizeof(name), "l10n_reach_%s", l10n_reach_names[r]);
			st->reach_labels[i * S_NREACH + r] = r == L10N_OTHER ? NULL : S_t(&ctx, name);
		}
}

/* S_type_t's strings: each language's UI string of each type's folder. */
static void S_type_names(struct render_state *st, struct arena *a)
{
	const struct types *ts = &st->site->types;
	size_t nl = st->site->cfg->nlangs, i, k;

	st->type_names = arena_alloc(a, (nl * ts->n > 0 ? nl * ts->n : 1) * sizeof(*st->type_names));
	for (i = 0; i < nl; i++)
		for (k = 0; k < ts->n; k++) {
			struct render_ctx ctx = { .st = st, .lang = i };
			st->type_names[i * ts->n + k] = S_t(&ctx, ts->v[k].folder);
		}
}

static void S_prepare(struct render_state *st, struct arena *a)
{
	const struct site *site = st->site;
	size_t nl = site->cfg->nlangs, i, k;

	S_reach_labels(st, a);
	S_type_names(st, a);

	st->home_urls = arena_alloc(a, nl * sizeof(*st->home_urls));
	st->nav = arena_alloc(a, nl * sizeof(*st->nav));
	st->nnav = arena_alloc(a, nl * sizeof(*st->nnav));
	for (i = 0; i < nl; i++) {
		st->home_urls[i] = plan_lang(st->plan, PLAN_HOME, i)->href;
		st->nav[i] = arena_alloc(a, (st->lists->n ? st->lists->n : 1) * sizeof(**st->nav));
		st->nnav[i] = 0;
	}
	/* The navigation: each language's type lists that have items, in type order. */
	for (k = 0; k < st->lists->n; k++) {
		const struct listing *l = &st->lists->v[k];
		if (l->kind == LIST_TYPE && l->page_no == 1 && (l->total > 0 || l->nupcoming > 0))
			st->nav[l->lang][st->nnav[l->lang]++] = l;
	}
	/* The taxonomy indexes (footer), each language's in site.yaml order as the lists made them. */
	st->tax = arena_alloc(a, nl * sizeof(*st->tax));
	st->ntax = arena_alloc(a, nl * sizeof(*st->ntax));
	for (i = 0; i < nl; i++) {
		st->tax[i] = arena_alloc(a, (st->lists->n ? st->lists->n : 1) * sizeof(**st->tax));
		st->ntax[i] = 0;
	}
	for (k = 0; k < st->lists->n; k++) {
		const struct listing *l = &st->lists->v[k];
		if (l->kind == LIST_TAXONOMY)
			st->tax[l->lang][st->ntax[l->lang]++] = l;
	}
}

/* rerender_begin's extra: what render.c alone computes of a page. */
static void S_page_extra(const struct page *pg, struct incr_digest *d, void *payload)
{
	struct render_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.st = payload;
	incr_digest_num(d, S_ended(pg, &ctx));
}

/* A render's state over the site's model, writing to out, its reads recorded in rr (S_prepare's parts in a). */
static void S_state_init(struct render_state *st, const struct site *site, const struct theme *theme,
			 const struct lists *lists, const struct plan *plan, struct output *out,
			 struct rerender *rr, struct arena *a)
{
	memset(st, 0, sizeof(*st));
	st->site = site;
	st->theme = theme;
	st->lists = lists;
	st->plan = plan;
	st->out = out;
	st->rr = rr;
	S_prepare(st, a);
}

/*
 * serve's preview (render.h): jobs ks alone, through S_job itself, so
 * their bytes are those the whole render gives them. No rerender state
 * (each rerender_read is nothing without one), no budget but the engine's
 * own cap, one worker, one state for them all (S_prepare reads the whole
 * site); the jobs array is the plan's size because S_job finds job k at
 * its index (calloc'd: only their pages are touched). Each job starts as
 * if alone: a failed one stops none of the others.
 */
size_t render_outputs(const struct site *site, const struct theme *theme, const struct lists *lists,
		      const struct plan *plan, const size_t *ks, size_t n, struct output *out)
{
	struct rerender rr;
	struct render_state st;
	struct arena a = ARENA_INIT;
	struct buf b = BUF_INIT;
	size_t i, done = 0;

	memset(&rr, 0, sizeof(rr));
	S_state_init(&st, site, theme, lists, plan, out, &rr, &a);
	st.bufs = &b;
	st.jobs = xcalloc(plan->html.n ? plan->html.n : 1, sizeof(*st.jobs));
	st.budget = ULONG_MAX;
	for (i = 0; i < n; i++) {
		size_t k = ks[i];
		if (k >= plan->html.n)
			continue;
		buf_init(&st.jobs[k].run.msg);
		atomic_init(&st.steps, 0);
		atomic_init(&st.max_started, 0);
		atomic_init(&st.stop, SIZE_MAX);
		S_job(k, 0, &st);
		if (atomic_load(&st.stop) == SIZE_MAX && st.jobs[k].run.msg.len == 0)
			done++;
		buf_release(&st.jobs[k].run.msg);
	}
	buf_release(&b);
	free(st.jobs);
	arena_release(&a);
	return done;
}

int render_site(const struct site *site, const struct theme *theme, const struct lists *lists,
		const struct plan *plan, struct output *out, int nthreads, size_t *pages_out)
{
	return render_site_incr(site, theme, lists, plan, out, nthreads, NULL, pages_out, NULL);
}

int render_site_incr(const struct site *site, const struct theme *theme, const struct lists *lists,
		     const struct plan *plan, struct output *out, int nthreads, struct incr *in,
		     size_t *pages_out, size_t *kept_out)
{
	struct rerender rr;
	struct render_state st;
	struct arena a = ARENA_INIT;
	size_t total, i;
	int w, nw = nthreads > 0 ? nthreads : 1;

	S_state_init(&st, site, theme, lists, plan, out, &rr, &a);
	rerender_begin(&rr, in, out->mem, site, lists, plan, S_page_extra, &st, nthreads);
	st.bufs = xcalloc((size_t)nw, sizeof(*st.bufs));
	for (w = 0; w < nw; w++)
		buf_init(&st.bufs[w]);
	total = plan->html.n;
	st.jobs = xcalloc(total, sizeof(*st.jobs));
	for (i = 0; i < total; i++)
		buf_init(&st.jobs[i].run.msg);
	st.budget = RENDER_STEPS_BASE + RENDER_STEPS_PER_OUTPUT * total;
	atomic_init(&st.steps, 0);
	atomic_init(&st.max_started, 0);
	atomic_init(&st.stop, SIZE_MAX);
	st.names = mu_names_new(theme->set);
	if (!rr.reuse) {
		pool_run(nthreads, total, S_job, &st);
	} else if (S_share_kept(&st) || S_disk_keep(&st, nthreads)) {
		S_lower(&st.stop, 0);
	} else {
		pool_run(nthreads, rr.nrender, S_job_of, &st);
		/* over the budget (the kept outputs' steps are in the total): S_report
		   walks every job to the first template error or the one at which the
		   total ran over, whichever comes first */
		if (atomic_load(&st.steps) > st.budget)
			atomic_store(&st.stop, total ? total - 1 : 0);
	}
	S_report(&st, total);
	/* Only when every output was rendered: a name may be found by the last one.
	 * Some were kept: their data had the names it had when the same site
	 * (rerender.h) was checked and found none unknown, so there are none. */
	if (atomic_load(&st.stop) == SIZE_MAX && !rr.reuse)
		mu_names_unknown(st.names, S_known, S_unknown_name, &st);
	rerender_end(&rr, plan, atomic_load(&st.stop) == SIZE_MAX, st.unknown == 0);
	if (kept_out)
		*kept_out = rr.kept;
	if (in)
		in->pages_digested = (unsigned long)atomic_load(&rr.digested);
	if (in)
		in->pages_valued = (unsigned long)atomic_load(&rr.valued);
	rerender_release(&rr);
	mu_names_free(st.names);
	for (w = 0; w < nw; w++)
		buf_release(&st.bufs[w]);
	for (i = 0; i < total; i++)
		buf_release(&st.jobs[i].run.msg);
	*pages_out = total;
	free(st.bufs);
	free(st.jobs);
	arena_release(&a);
	return atomic_load(&st.stop) != SIZE_MAX ? -1 : 0;
}
