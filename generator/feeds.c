/*
 * feeds: what feed readers, calendars and crawlers fetch, made in the same
 * run as the pages. Each output is one job on the worker pool, like a page:
 * it reads the frozen model and lists, writes into its worker's buffer in
 * its format (atom.c, ics.c, sitemap.c) and hands the bytes to
 * output_write. This file decides what each feed and calendar holds, its
 * title and its file. Nothing here reads the clock: dates come from front
 * matter and the build time from --now or SOURCE_DATE_EPOCH, so the same
 * input gives the same bytes.
 */
#include "feeds.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "atom.h"
#include "ics.h"
#include "ids.h"
#include "pool.h"
#include "sitemap.h"
#include "util.h"

struct feeds_state {
	const struct site *site;
	const struct theme *theme;
	const struct lists *lists;
	struct output *out;
	const struct listing **type_lists; /* LIST_TYPE, page 1: one per type and language */
	size_t ntype_lists;
	struct page **events;              /* every event page, by path */
	size_t nevents;
	unsigned char ns[16];              /* the site's UUID namespace */
	struct buf *bufs, *tmps;           /* per worker: the output, scratch */
	atomic_int failed;
	atomic_size_t files;
};

static const char *S_site_title(const struct site *site, size_t lang)
{
	const struct lang *l = &site->cfg->langs[lang];
	return l->title ? l->title : site->cfg->title;
}

static const char *S_t(const struct feeds_state *st, size_t lang, const char *key)
{
	const char *s = theme_string(st->theme, st->site->cfg, lang, key, strlen(key));
	return s ? s : key;
}

static size_t S_lang_index(const struct site *site, const struct lang *l)
{
	return (size_t)(l - site->cfg->langs);
}


/* Calendar order: soonest first, then by path. */
static int S_event_cmp(const void *a, const void *b)
{
	const struct page *x = *(const struct page *const *)a, *y = *(const struct page *const *)b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return strcmp(x->path, y->path);
}

/*
 * A language's calendar holds every event of the site, each in that
 * language when it is translated, else in the default language: a
 * subscriber misses no event for want of a translation.
 */
static void S_calendar(struct feeds_state *st, struct buf *b, struct buf *line, size_t lang,
		       const char *path)
{
	const struct site *site = st->site;
	const struct lang *l = &site->cfg->langs[lang];
	struct page **v = xmalloc((st->nevents ? st->nevents : 1) * sizeof(*v));
	struct buf name = BUF_INIT;
	const char *title;
	struct ics c;
	size_t i, n = 0;

	for (i = 0; i < st->nevents; i++) {
		struct page *pg = st->events[i];
		if (model_find(site, pg->section, pg->id, l) == pg)
			v[n++] = pg;
	}
	qsort(v, n, sizeof(*v), S_event_cmp);
	title = S_site_title(site, lang);
	buf_printf(&name, "%s%s%s", S_t(st, lang, v[0]->type->folder), title[0] ? " · " : "", title);
	c.name = name.ptr;
	c.path = path;
	c.events = v;
	c.n = n;
	ics_calendar(b, line, site, st->ns, &c);
	buf_release(&name);
	free(v);
}

/* --- jobs --------------------------------------------------------------- */

void feeds_beside(struct buf *b, const char *out_path, const char *name)
{
	const char *slash = strrchr(out_path, '/');
	if (slash)
		buf_put(b, out_path, (size_t)(slash + 1 - out_path));
	buf_puts(b, name);
}

/* A feed's title: "PART · PART · site title", leaving out empty parts. */
static void S_title(struct buf *b, const char *a, const char *c, const char *site_title)
{
	const char *parts[3];
	size_t i, n = 0;
	parts[0] = a;
	parts[1] = c;
	parts[2] = site_title;
	for (i = 0; i < 3; i++)
		if (parts[i] && parts[i][0])
			buf_printf(b, "%s%s", n++ ? " · " : "", parts[i]);
}

static void S_job_site_feed(struct feeds_state *st, struct buf *b, struct buf *tmp, size_t lang)
{
	const struct site *site = st->site;
	const struct lang *l = &site->cfg->langs[lang];
	struct page **v = xmalloc((site->npages ? site->npages : 1) * sizeof(*v));
	struct buf path = BUF_INIT, title = BUF_INIT, home = BUF_INIT;
	struct atom a;
	size_t i, n = 0;

	for (i = 0; i < site->npages; i++)
		if (site->pages[i].lang == l)
			v[n++] = &site->pages[i];
	buf_printf(&path, "%s%s%s", l->is_default ? "" : l->code, l->is_default ? "" : "/", ATOM_FILE);
	buf_printf(&home, "%s%s%s", site->root, l->is_default ? "" : l->code, l->is_default ? "" : "/");
	S_title(&title, NULL, NULL, S_site_title(site, lang));
	if (!title.len)
		buf_puts(&title, site->cfg->base_url);
	a.lang = lang;
	a.title = title.ptr;
	a.html_href = home.ptr;
	a.path = path.ptr;
	a.pages = v;
	a.n = n;
	atom_feed(b, tmp, site, st->ns, &a);
	if (output_write(st->out, path.ptr, b->ptr, b->len))
		atomic_store(&st->failed, 1);
	buf_release(&path);
	buf_release(&title);
	buf_release(&home);
	free(v);
}

static void S_job_type_feed(struct feeds_state *st, struct buf *b, struct buf *tmp, const struct listing *l)
{
	const struct site *site = st->site;
	const struct lang *lg = &site->cfg->langs[l->lang];
	struct page **v = xmalloc((site->npages ? site->npages : 1) * sizeof(*v));
	struct buf path = BUF_INIT, title = BUF_INIT;
	struct atom a;
	size_t i, n = 0;

	/* the whole type, events still ahead included (the list page splits them) */
	for (i = 0; i < site->npages; i++)
		if (site->pages[i].lang == lg && site->pages[i].type == l->type)
			v[n++] = &site->pages[i];
	feeds_beside(&path, l->out_path, ATOM_FILE);
	S_title(&title, S_t(st, l->lang, l->type->folder), NULL, S_site_title(site, l->lang));
	a.lang = l->lang;
	a.title = title.ptr;
	a.html_href = l->href;
	a.path = path.ptr;
	a.pages = v;
	a.n = n;
	atom_feed(b, tmp, site, st->ns, &a);
	if (output_write(st->out, path.ptr, b->ptr, b->len))
		atomic_store(&st->failed, 1);
	buf_release(&path);
	buf_release(&title);
	free(v);
}

static void S_job_term_feed(struct feeds_state *st, struct buf *b, struct buf *tmp, const struct term *tm)
{
	const struct site *site = st->site;
	size_t lang = S_lang_index(site, tm->lang);
	struct buf path = BUF_INIT, title = BUF_INIT;
	struct atom a;

	feeds_beside(&path, tm->out_path, ATOM_FILE);
	S_title(&title, tm->name, S_t(st, lang, tm->taxonomy), S_site_title(site, lang));
	a.lang = lang;
	a.title = title.ptr;
	a.html_href = tm->href;
	a.path = path.ptr;
	a.pages = tm->pages;
	a.n = tm->n;
	atom_feed(b, tmp, site, st->ns, &a);
	if (output_write(st->out, path.ptr, b->ptr, b->len))
		atomic_store(&st->failed, 1);
	buf_release(&path);
	buf_release(&title);
}

static void S_job_calendar(struct feeds_state *st, struct buf *b, struct buf *tmp, size_t lang)
{
	const struct lang *l = &st->site->cfg->langs[lang];
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s%s%s", l->is_default ? "" : l->code, l->is_default ? "" : "/", ICS_CALENDAR);
	S_calendar(st, b, tmp, lang, path.ptr);
	if (output_write(st->out, path.ptr, b->ptr, b->len))
		atomic_store(&st->failed, 1);
	buf_release(&path);
}

static void S_job_event(struct feeds_state *st, struct buf *b, struct buf *tmp, struct page *pg)
{
	struct buf path = BUF_INIT;
	struct ics c;
	ics_event_path(&path, pg);
	c.name = NULL;
	c.path = NULL;
	c.events = &pg;
	c.n = 1;
	ics_calendar(b, tmp, st->site, st->ns, &c);
	if (output_write(st->out, path.ptr, b->ptr, b->len))
		atomic_store(&st->failed, 1);
	buf_release(&path);
}

/*
 * The outputs in one flat index space: each language's feed, each type
 * list's, each term's, each language's calendar (when there are events),
 * each event's, then sitemap and robots.txt.
 */
static void S_job(size_t i, int worker, void *payload)
{
	struct feeds_state *st = payload;
	const struct site *site = st->site;
	size_t nl = site->cfg->nlangs, ncal = st->nevents ? nl : 0;
	struct buf *b = &st->bufs[worker], *tmp = &st->tmps[worker];

	buf_reset(b);
	if (i < nl) {
		S_job_site_feed(st, b, tmp, i);
	} else if ((i -= nl) < st->ntype_lists) {
		S_job_type_feed(st, b, tmp, st->type_lists[i]);
	} else if ((i -= st->ntype_lists) < site->nterms) {
		S_job_term_feed(st, b, tmp, &site->terms[i]);
	} else if ((i -= site->nterms) < ncal) {
		S_job_calendar(st, b, tmp, i);
	} else if ((i -= ncal) < st->nevents) {
		S_job_event(st, b, tmp, st->events[i]);
	} else if (i == st->nevents) {
		size_t n = 0;
		if (sitemap_write(site, st->lists, st->out, &n))
			atomic_store(&st->failed, 1);
		atomic_fetch_add(&st->files, n);
		return; /* counts its own files */
	} else {
		sitemap_robots(b, tmp, site);
		if (output_write(st->out, "robots.txt", b->ptr, b->len))
			atomic_store(&st->failed, 1);
	}
	atomic_fetch_add(&st->files, 1);
}

int feeds_write(const struct site *site, const struct theme *theme, const struct lists *lists,
		struct output *out, int nthreads, size_t *files_out)
{
	struct feeds_state st;
	size_t i, total;
	int w, nw = nthreads > 0 ? nthreads : 1;

	memset(&st, 0, sizeof(st));
	st.site = site;
	st.theme = theme;
	st.lists = lists;
	st.out = out;
	atomic_init(&st.failed, 0);
	atomic_init(&st.files, 0);
	ids_namespace(st.ns, site->cfg->base_url);
	st.type_lists = xmalloc((lists->n ? lists->n : 1) * sizeof(*st.type_lists));
	for (i = 0; i < lists->n; i++) {
		const struct listing *l = &lists->v[i];
		if (l->kind == LIST_TYPE && l->page_no == 1)
			st.type_lists[st.ntype_lists++] = l;
	}
	st.events = xmalloc((site->npages ? site->npages : 1) * sizeof(*st.events));
	for (i = 0; i < site->npages; i++)
		if (ics_is_event(&site->pages[i]))
			st.events[st.nevents++] = &site->pages[i];
	st.bufs = xcalloc((size_t)nw, sizeof(*st.bufs));
	st.tmps = xcalloc((size_t)nw, sizeof(*st.tmps));
	for (w = 0; w < nw; w++) {
		buf_init(&st.bufs[w]);
		buf_init(&st.tmps[w]);
	}

	total = site->cfg->nlangs + st.ntype_lists + site->nterms + (st.nevents ? site->cfg->nlangs : 0) +
		st.nevents + 2;
	pool_run(nthreads, total, S_job, &st);

	for (w = 0; w < nw; w++) {
		buf_release(&st.bufs[w]);
		buf_release(&st.tmps[w]);
	}
	free(st.bufs);
	free(st.tmps);
	free(st.type_lists);
	free(st.events);
	*files_out = atomic_load(&st.files);
	return atomic_load(&st.failed) ? -1 : 0;
}
