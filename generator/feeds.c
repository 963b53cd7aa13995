/*
 * feeds: what feed readers, calendars and crawlers fetch, made in the same
 * run as the pages. Each output of the plan's feeds slice is one job on the
 * worker pool, like a page: it reads the frozen model, writes into its
 * worker's buffer in its format (atom.c, ics.c, sitemap.c) and hands the
 * bytes to output_write at the file the plan gave it. This file decides
 * what each feed and calendar holds and its title. Nothing here reads the
 * clock: dates come from front matter and the build time from --now or
 * SOURCE_DATE_EPOCH, so the same input gives the same bytes.
 */
#include "feeds.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alias.h"
#include "atom.h"
#include "ics.h"
#include "ids.h"
#include "insights.h"
#include "lists.h"
#include "memsite.h"
#include "pool.h"
#include "rerender.h"
#include "sitemap.h"
#include "util.h"

struct feeds_state {
	const struct site *site;
	const struct theme *theme;
	const struct plan *plan; /* its feeds slice is the jobs */
	struct output *out;
	const struct page **events; /* every event page, by path */
	size_t nevents;
	unsigned char ns[16];    /* the site's UUID namespace */
	struct buf *bufs, *tmps; /* per worker: the output, scratch */
	atomic_int failed;
	atomic_size_t files;
	struct rerender_feeds rf; /* serve: the last site's feeds whose inputs held (rerender.h) */
	atomic_size_t kept;
	struct feed_entry *entry; /* serve: per page, its digests as an entry (S_entry_job), or NULL */
	/* a jixia build into its output: per job, 1 when what it is made of held (S_held_job), then
	   2 once its file was kept (S_keep_many), 3 made already (the sitemap); NULL: serve's way
	   (S_reuse) */
	unsigned char *held;
	size_t sitemap; /* the sitemap's job, S_held_job's first (SIZE_MAX: none) */
};

/*
 * Serve: what a page is as an Atom entry (S_ENTRY_ATOM: its parts and its
 * history, the titles of the pages it names) and as an event of a
 * calendar (S_ENTRY_EVENT: its parts, the titles and front matter of the
 * pages it names), each digested once per build; a feed's digest then
 * reads two words a page rather than digesting the page's parts again in
 * every feed that lists it (the site's, its type's, each of its terms').
 */
enum { S_ENTRY_ATOM, S_ENTRY_EVENT, S_ENTRIES };

struct feed_entry {
	uint64_t h[S_ENTRIES][2];
	int ok[S_ENTRIES]; /* 0: a page of no digest (the feed is not covered) */
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

/* Calendar order: soonest first, then by path. */
static int S_event_cmp(const void *a, const void *b)
{
	const struct page *x = *(const struct page *const *)a, *y = *(const struct page *const *)b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* --- jobs --------------------------------------------------------------- */

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

/*
 * The pages a feed in language l holds, as its lists do: l's own and, with
 * translations.fallback, the originals not translated into l, so a
 * subscriber misses no item for want of a translation.
 */
static int S_in_lang(const struct site *site, const struct page *pg, const struct lang *l)
{
	return pg->lang == l || page_fallback(pg, l, site->cfg);
}

static void S_job_site_feed(struct feeds_state *st, struct buf *b, struct buf *tmp,
			    const struct plan_output *o)
{
	const struct site *site = st->site;
	const struct lang *l = &site->cfg->langs[o->lang];
	struct page **v = xmalloc((site->npages ? site->npages : 1) * sizeof(*v));
	struct buf title = BUF_INIT;
	struct atom a;
	size_t i, n = 0;

	for (i = 0; i < site->npages; i++)
		if (S_in_lang(site, &site->pages[i], l) && !site->pages[i].expired)
			v[n++] = &site->pages[i];
	S_title(&title, NULL, NULL, S_site_title(site, o->lang));
	if (!title.len)
		buf_puts(&title, site->cfg->base_url);
	a.lang = o->lang;
	a.title = title.ptr;
	a.html_href = plan_lang(st->plan, PLAN_HOME, o->lang)->href;
	a.path = o->out_path;
	a.pages = v;
	a.n = n;
	atom_feed(b, tmp, site, st->ns, &a);
	buf_release(&title);
	free(v);
}

static void S_job_type_feed(struct feeds_state *st, struct buf *b, struct buf *tmp,
			    const struct plan_output *o)
{
	const struct site *site = st->site;
	const struct lang *lg = &site->cfg->langs[o->lang];
	struct page **v = xmalloc((site->npages ? site->npages : 1) * sizeof(*v));
	struct buf title = BUF_INIT;
	struct atom a;
	size_t i, n = 0;

	/* the whole type, events still ahead included (the list page splits them), expired items not */
	for (i = 0; i < site->npages; i++)
		if (S_in_lang(site, &site->pages[i], lg) && site->pages[i].type == o->type &&
		    !site->pages[i].expired)
			v[n++] = &site->pages[i];
	S_title(&title, S_t(st, o->lang, o->type->folder), NULL, S_site_title(site, o->lang));
	a.lang = o->lang;
	a.title = title.ptr;
	a.html_href = o->list->href;
	a.path = o->out_path;
	a.pages = v;
	a.n = n;
	atom_feed(b, tmp, site, st->ns, &a);
	buf_release(&title);
	free(v);
}

static void S_job_term_feed(struct feeds_state *st, struct buf *b, struct buf *tmp,
			    const struct plan_output *o)
{
	const struct term *tm = o->term;
	struct buf title = BUF_INIT;
	struct atom a;

	S_title(&title, tm->name, S_t(st, o->lang, tm->taxonomy), S_site_title(st->site, o->lang));
	a.lang = o->lang;
	a.title = title.ptr;
	a.html_href = tm->page ? tm->page->href : tm->href; /* a speaker's feed: their person page */
	a.path = o->out_path;
	a.pages = tm->pages;
	a.n = tm->n;
	atom_feed(b, tmp, st->site, st->ns, &a);
	buf_release(&title);
}

/*
 * A language's calendar holds every event of the site, each in that
 * language when it is translated, else in the default language: a
 * subscriber misses no event for want of a translation.
 */
static void S_job_calendar(struct feeds_state *st, struct buf *b, struct buf *tmp,
			   const struct plan_output *o)
{
	const struct site *site = st->site;
	const struct lang *l = &site->cfg->langs[o->lang];
	const struct page **v = xmalloc((st->nevents ? st->nevents : 1) * sizeof(*v));
	struct buf name = BUF_INIT;
	const char *title;
	struct ics c;
	size_t i, n = 0;

	for (i = 0; i < st->nevents; i++) {
		const struct page *pg = st->events[i];
		if (model_find(site, pg->section, pg->id, l) == pg)
			v[n++] = pg;
	}
	qsort(v, n, sizeof(*v), S_event_cmp);
	title = S_site_title(site, o->lang);
	buf_printf(&name, "%s%s%s", S_t(st, o->lang, v[0]->type->folder), title[0] ? " · " : "", title);
	c.name = name.ptr;
	c.path = o->out_path;
	c.events = v;
	c.n = n;
	ics_calendar(b, tmp, site, st->ns, &c);
	buf_release(&name);
	free(v);
}

static void S_job_event(struct feeds_state *st, struct buf *b, struct buf *tmp, const struct plan_output *o)
{
	struct ics c;
	c.name = NULL;
	c.path = NULL;
	c.events = &o->page;
	c.n = 1;
	ics_calendar(b, tmp, st->site, st->ns, &c);
}

/* --- what each feed is made of, for serve's rebuilds (rerender.h) ---------- */

/*
 * The parts of a page a feed entry (parts: its history too: <updated>) or
 * an event shows, and those of the pages it names (refs).
 */
static int S_digest_entry(const struct feeds_state *st, struct incr_digest *d, const struct page *pg,
			  unsigned parts, unsigned refs)
{
	size_t k, i;
	int rc = rerender_feed_page(&st->rf, d, pg, RR_TITLE | RR_FRONT | RR_SUMMARY | parts);
	for (k = 0; pg->type && pg->vals && k < pg->type->nfields; k++)
		for (i = 0; i < pg->vals[k].nrefs; i++)
			rc |= rerender_feed_page(&st->rf, d, pg->vals[k].refs[i], refs);
	return rc;
}

/* The digests of each page as an entry (struct feed_entry), on the pool. */
static void S_entry_job(size_t i, int worker, void *payload)
{
	struct feeds_state *st = payload;
	const struct page *pg = &st->site->pages[i];
	struct feed_entry *e = &st->entry[i];
	struct incr_digest d;
	(void)worker;

	incr_digest_init(&d, st->rf.key);
	e->ok[S_ENTRY_ATOM] = S_digest_entry(st, &d, pg, RR_HIST, RR_TITLE) == 0;
	incr_digest_final(&d, e->h[S_ENTRY_ATOM]);
	incr_digest_init(&d, st->rf.key);
	e->ok[S_ENTRY_EVENT] = S_digest_entry(st, &d, pg, 0, RR_TITLE | RR_FRONT) == 0;
	incr_digest_final(&d, e->h[S_ENTRY_EVENT]);
}

/*
 * The entries of pages v (n) as one digest: each page's entry digest
 * (S_entry_job) folded in order, two words a page (a polynomial in each
 * word: the entries are keyed digests, so a different list, or the same
 * in another order, folds to another value). 0, or -1 when a page has
 * none (then nothing is kept).
 */
static int S_fold_entries(const struct feeds_state *st, struct incr_digest *d, struct page *const *v,
			  size_t n, int kind)
{
	uint64_t h[2] = { 0x6a09e667f3bcc909ULL, 0xbb67ae8584caa73bULL };
	size_t i;
	long k;

	for (i = 0; i < n; i++) {
		k = v[i] >= st->site->pages && v[i] < st->site->pages + st->site->npages
			    ? (long)(v[i] - st->site->pages)
			    : -1;
		if (k < 0 || !st->entry[k].ok[kind])
			return -1;
		h[0] = h[0] * 0x9e3779b97f4a7c15ULL + st->entry[k].h[kind][0];
		h[1] = h[1] * 0xc2b2ae3d27d4eb4fULL + st->entry[k].h[kind][1];
	}
	incr_digest_item(d, h, sizeof(h));
	return 0;
}

/*
 * Atom's entries (atom.c): the pages the feed shows (atom_top), not every
 * page it could (an edit of a page below a feed's newest keeps the feed);
 * a feed without a dated page is as new as the build.
 */
static int S_digest_pages(const struct feeds_state *st, struct incr_digest *d, struct page *const *all,
			  size_t nall)
{
	struct page *v[ATOM_ENTRIES];
	size_t i, n = atom_top(all, nall, v);
	int rc = 0, dated = 0;
	incr_digest_num(d, (long long)n);
	if (st->entry) {
		rc = S_fold_entries(st, d, v, n, S_ENTRY_ATOM);
		for (i = 0; i < n; i++)
			dated |= v[i]->date != LLONG_MIN && v[i]->type;
	}
	for (i = 0; !st->entry && i < n; i++) {
		rc |= S_digest_entry(st, d, v[i], RR_HIST, RR_TITLE);
		dated |= v[i]->date != LLONG_MIN && v[i]->type;
	}
	if (!dated)
		incr_digest_num(d, st->site->now);
	return rc;
}

/* The pages of a feed of language lang and type ty (NULL: every type), as the jobs below pick them. */
static int S_digest_lang(const struct feeds_state *st, struct incr_digest *d, size_t lang,
			 const struct type *ty)
{
	const struct site *site = st->site;
	const struct lang *l = &site->cfg->langs[lang];
	struct page **v = xmalloc((site->npages ? site->npages : 1) * sizeof(*v));
	size_t i, n = 0;
	int rc;
	for (i = 0; i < site->npages; i++)
		if (S_in_lang(site, &site->pages[i], l) && !site->pages[i].expired &&
		    (!ty || site->pages[i].type == ty))
			v[n++] = &site->pages[i];
	rc = S_digest_pages(st, d, v, n);
	free(v);
	return rc;
}

/*
 * The digest of what output o is made of into d: 0 when it covers all of
 * it, -1 when o is of a kind made every time (the sitemap, robots.txt,
 * redirects, the insights' data) or reads a page of no digest.
 */
static int S_digest(const struct feeds_state *st, const struct plan_output *o, struct incr_digest *d)
{
	const struct site *site = st->site;
	size_t i;

	incr_digest_num(d, o->kind);
	incr_digest_num(d, (long long)o->lang);
	incr_digest_str(d, o->out_path);
	switch (o->kind) {
	case PLAN_FEED_SITE: return S_digest_lang(st, d, o->lang, NULL);
	case PLAN_FEED_TYPE: return S_digest_lang(st, d, o->lang, o->type);
	case PLAN_FEED_TERM:
		/* its name, its taxonomy's, its page's address, its pages (global: the rest) */
		incr_digest_str(d, o->term->name);
		incr_digest_str(d, o->term->taxonomy);
		incr_digest_str(d, o->term->href);
		incr_digest_str(d, o->term->page ? o->term->page->href : NULL);
		return S_digest_pages(st, d, o->term->pages, o->term->n);
	case PLAN_CALENDAR: {
		const struct lang *l = &site->cfg->langs[o->lang];
		int rc = 0;
		for (i = 0; i < st->nevents; i++) {
			struct page *pg = (struct page *)st->events[i];
			if (model_find(site, pg->section, pg->id, l) != pg)
				continue;
			if (st->entry)
				rc |= S_fold_entries(st, d, &pg, 1, S_ENTRY_EVENT);
			else
				rc |= S_digest_entry(st, d, pg, 0, RR_TITLE | RR_FRONT);
		}
		return rc;
	}
	case PLAN_EVENT:
		if (st->entry) {
			struct page *pg = (struct page *)o->page;
			return S_fold_entries(st, d, &pg, 1, S_ENTRY_EVENT);
		}
		return S_digest_entry(st, d, o->page, 0, RR_TITLE | RR_FRONT);
	default: return -1;
	}
}

/*
 * A jixia build into its output: whether output i's file can be kept,
 * what it was made of holding (a calendar made at another build time,
 * --now or SOURCE_DATE_EPOCH, holds another DTSTAMP: made again). Its
 * digest is this build's state's either way (rerender_feed_held).
 */
static void S_held_job(size_t j, int worker, void *payload)
{
	struct feeds_state *st = payload;
	size_t i = st->sitemap == SIZE_MAX ? j : j == 0 ? st->sitemap : j <= st->sitemap ? j - 1 : j;
	const struct plan_output *o = &st->plan->v[st->plan->feeds.first + i];
	struct incr_digest d;
	int covered;
	size_t n = 1;
	(void)worker;

	if (o->kind == PLAN_SITEMAP) {
		/* made every time, the largest job (10,000 pages' URLs): here, first, beside the
		   digests, rather than alone after them */
		if (sitemap_write(st->site, st->plan, st->out, &n))
			atomic_store(&st->failed, 1);
		atomic_fetch_add(&st->files, n);
		st->held[i] = 3;
		return;
	}
	rerender_feed_init(&st->rf, &d);
	covered = S_digest(st, o, &d) == 0;
	st->held[i] = rerender_feed_held(&st->rf, i, o->out_path, &d, covered) &&
		      !((o->kind == PLAN_CALENDAR || o->kind == PLAN_EVENT) &&
			rerender_feed_then(&st->rf) != st->site->now);
}

/*
 * The held outputs' files kept all at once (write.h's output_keep_many,
 * as render keeps its pages): a file the build before kept too, in a
 * folder the folders' record vouches for, with no look at it; the others
 * by output_keep. Those it refuses are made (S_job). 0, or -1 after an
 * error.
 */
static int S_keep_many(struct feeds_state *st, int nthreads)
{
	size_t nf = st->plan->feeds.n, i, n = 0;
	uint64_t gen = rerender_feed_gen(&st->rf);
	struct output_kept *v = xmalloc((nf ? nf : 1) * sizeof(*v));
	size_t *job = xmalloc((nf ? nf : 1) * sizeof(*job));
	int rc;

	st->sitemap = SIZE_MAX;
	for (i = 0; i < nf && st->sitemap == SIZE_MAX; i++)
		if (st->plan->v[st->plan->feeds.first + i].kind == PLAN_SITEMAP)
			st->sitemap = i;
	pool_run(nthreads, nf, S_held_job, st);
	for (i = 0; i < nf; i++) {
		const struct plan_output *o = &st->plan->v[st->plan->feeds.first + i];
		if (st->held[i] != 1 || rerender_feed_file(&st->rf, i, o->out_path, &v[n].size, &v[n].shared))
			continue;
		v[n].rel = o->out_path;
		job[n++] = i;
	}
	rc = output_keep_many(st->out, v, n, gen, nthreads);
	for (i = 0; rc == 0 && i < n; i++) {
		if (v[i].rc)
			continue;
		st->held[job[i]] = 2;
		rerender_feed_made(&st->rf, job[i], v[i].size, 1);
		atomic_fetch_add(&st->files, 1);
		atomic_fetch_add(&st->kept, 1);
	}
	free(v);
	free(job);
	return rc;
}

/*
 * Serve: the last site's file of output i when what it is made of held
 * (a calendar with this build's time in it), written or shared; 0 when it
 * must be made.
 */
static int S_reuse(struct feeds_state *st, size_t i, const struct plan_output *o, struct buf *b)
{
	const struct memsite_file *f;
	struct incr_digest d;
	int covered;

	if (!st->rf.now)
		return 0;
	if (st->held) /* a jixia build's: decided and kept, or made, before (S_keep_many) */
		return st->held[i] >= 2;
	rerender_feed_init(&st->rf, &d);
	covered = S_digest(st, o, &d) == 0;
	if (!(f = rerender_feed_kept(&st->rf, i, o->out_path, &d, covered)))
		return 0;
	if (o->kind == PLAN_CALENDAR || o->kind == PLAN_EVENT) {
		long long then = rerender_feed_then(&st->rf);
		buf_reset(b);
		if (then != st->site->now &&
		    ics_restamp(b, f->data, f->len, st->site->now >= 0 ? st->site->now : 0))
			return 0;
		if (then != st->site->now) {
			if (output_write(st->out, o->out_path, b->ptr, b->len))
				atomic_store(&st->failed, 1);
			atomic_fetch_add(&st->files, 1);
			atomic_fetch_add(&st->kept, 1);
			return 1;
		}
	}
	if (output_share(st->out, f))
		atomic_store(&st->failed, 1);
	atomic_fetch_add(&st->files, 1);
	atomic_fetch_add(&st->kept, 1);
	return 1;
}

/* Job i: the plan's feeds output i, in its format, written to its file. */
static void S_job(size_t i, int worker, void *payload)
{
	struct feeds_state *st = payload;
	const struct plan_output *o = &st->plan->v[st->plan->feeds.first + i];
	struct buf *b = &st->bufs[worker], *tmp = &st->tmps[worker];
	size_t n = 1;
	int linked = 0;

	if (S_reuse(st, i, o, b))
		return;
	buf_reset(b);
	switch (o->kind) {
	case PLAN_FEED_SITE: S_job_site_feed(st, b, tmp, o); break;
	case PLAN_FEED_TYPE: S_job_type_feed(st, b, tmp, o); break;
	case PLAN_FEED_TERM: S_job_term_feed(st, b, tmp, o); break;
	case PLAN_CALENDAR: S_job_calendar(st, b, tmp, o); break;
	case PLAN_EVENT: S_job_event(st, b, tmp, o); break;
	case PLAN_SITEMAP: /* one file or many: it writes and counts them itself */
		if (sitemap_write(st->site, st->plan, st->out, &n))
			atomic_store(&st->failed, 1);
		atomic_fetch_add(&st->files, n);
		return;
	case PLAN_ROBOTS: sitemap_robots(b, tmp, st->site); break;
	case PLAN_ALIAS: alias_html(b, st->site, o->page, o->alias); break;
	case PLAN_INSIGHTS_CSV: insights_csv(b, st->site->insights); break;
	case PLAN_INSIGHTS_JSON: insights_json(b, st->site->insights); break;
	default: /* not this stage's */ return;
	}
	/* a build with no spare links a file that is the current output's (write.h): shared then */
	if (output_write_shared(st->out, o->out_path, b->ptr, b->len, &linked))
		atomic_store(&st->failed, 1);
	rerender_feed_made(&st->rf, i, b->len, linked);
	atomic_fetch_add(&st->files, 1);
}

int feeds_write(const struct site *site, const struct theme *theme, const struct plan *plan,
		struct output *out, int nthreads, size_t *files_out)
{
	return feeds_write_incr(site, theme, plan, out, nthreads, NULL, files_out, NULL);
}

int feeds_write_incr(const struct site *site, const struct theme *theme, const struct plan *plan,
		     struct output *out, int nthreads, struct incr *in, size_t *files_out, size_t *kept_out)
{
	struct feeds_state st;
	size_t i;
	int w, nw = nthreads > 0 ? nthreads : 1;

	memset(&st, 0, sizeof(st));
	st.site = site;
	st.theme = theme;
	st.plan = plan;
	st.out = out;
	atomic_init(&st.failed, 0);
	atomic_init(&st.files, 0);
	atomic_init(&st.kept, 0);
	if (in) /* serve's session, or a rebuild's render state (diskcache.h) */
		rerender_feeds_begin(&st.rf, in, site, plan);
	ids_namespace(st.ns, site->cfg->base_url);
	st.events = xmalloc((plan->feeds.n ? plan->feeds.n : 1) * sizeof(*st.events));
	for (i = 0; i < plan->feeds.n; i++)
		if (plan->v[plan->feeds.first + i].kind == PLAN_EVENT)
			st.events[st.nevents++] = plan->v[plan->feeds.first + i].page;
	if (st.rf.now) { /* serve: each page's entry digested once (S_entry_job) */
		st.entry = xcalloc(site->npages ? site->npages : 1, sizeof(*st.entry));
		pool_run(nthreads, site->npages, S_entry_job, &st);
	}
	st.bufs = xcalloc((size_t)nw, sizeof(*st.bufs));
	st.tmps = xcalloc((size_t)nw, sizeof(*st.tmps));
	for (w = 0; w < nw; w++) {
		buf_init(&st.bufs[w]);
		buf_init(&st.tmps[w]);
	}

	if (st.rf.now && rerender_feed_on_disk(&st.rf) && !out->mem) {
		st.held = xcalloc(plan->feeds.n ? plan->feeds.n : 1, 1);
		if (S_keep_many(&st, nthreads))
			atomic_store(&st.failed, 1);
	}
	if (!atomic_load(&st.failed))
		pool_run(nthreads, plan->feeds.n, S_job, &st);
	for (w = 0; w < nw; w++) {
		buf_release(&st.bufs[w]);
		buf_release(&st.tmps[w]);
	}
	free(st.bufs);
	free(st.tmps);
	free(st.events);
	free(st.entry);
	free(st.held);
	*files_out = atomic_load(&st.files);
	if (kept_out)
		*kept_out = atomic_load(&st.kept);
	return atomic_load(&st.failed) ? -1 : 0;
}
