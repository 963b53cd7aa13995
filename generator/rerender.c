/*
 * rerender: the kept state of the last build (rerender.h) and the
 * digests that decide what renders again.
 *
 * The state names pages by path (a page's index moves when another is
 * added) and outputs by file; it is made from one build's records and
 * read by the next, never while a build writes it. Correctness before
 * speed: an output is shared only when every input it could have read is
 * covered by a digest that holds; what no digest covers renders.
 */
#include "rerender.h"

#include <stdlib.h>
#include <string.h>

#include "lists.h"
#include "memsite.h"
#include "model.h"
#include "plan.h"
#include "util.h"

/* One output of the kept site: the pages it read (indices into the snapshot's pages). */
struct kept_out {
	char *path; /* its file, the key of outs */
	size_t *pages;
	size_t n;
	unsigned long steps;
	int untracked;
	uint64_t part[2]; /* the digest of the site-wide part it shows (S_part) */
};

/* What one build left for the next. */
struct rerender_snap {
	uint64_t global[2];
	char **paths; /* its pages' paths, as site->pages */
	uint64_t (*fp)[2];
	size_t npages;
	struct kept_out *outs;
	size_t nouts;
	struct strmap by_path; /* file -> index in outs + 1 */
	struct memsite *site;  /* the site those outputs are in (a reference), NULL until committed */
};

struct rerender_state {
	struct rerender_snap *kept;    /* the last site served */
	struct rerender_snap *pending; /* staged by rerender_end, kept at rerender_commit */
};

static void S_snap_free(struct rerender_snap *s)
{
	size_t i;
	if (!s)
		return;
	for (i = 0; i < s->npages; i++)
		free(s->paths[i]);
	for (i = 0; i < s->nouts; i++) {
		free(s->outs[i].path);
		free(s->outs[i].pages);
	}
	free(s->paths);
	free(s->fp);
	free(s->outs);
	strmap_free(&s->by_path);
	memsite_free(s->site);
	free(s);
}

void rerender_state_free(struct rerender_state *s)
{
	if (!s)
		return;
	S_snap_free(s->kept);
	S_snap_free(s->pending);
	free(s);
}

/* The index of pg in site->pages, or -1 for a page of no fingerprint. */
static long S_index(const struct site *site, const struct page *pg)
{
	if (pg >= site->pages && pg < site->pages + site->npages)
		return (long)(pg - site->pages);
	return -1;
}

/* A page pointer in the global digest: its index, else its path. */
static void S_page_ref(struct incr_digest *d, const struct site *site, const struct page *pg)
{
	long i = pg ? S_index(site, pg) : -2;
	incr_digest_num(d, i);
	if (i == -1)
		incr_digest_str(d, pg->path);
}

static void S_pages(struct incr_digest *d, const struct site *site, struct page *const *v, size_t n)
{
	size_t i;
	incr_digest_num(d, (long long)n);
	for (i = 0; i < n; i++)
		S_page_ref(d, site, v[i]);
}

/* Where a page's body starts in its file: after the front matter's lines. */
static size_t S_body_at(const struct page *pg)
{
	const char *p = pg->src->data, *end = p + pg->src->len;
	int line = 1;
	while (p < end && line < pg->body_line) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
		line++;
	}
	return (size_t)(p - pg->src->data);
}

/*
 * Everything not one page's own (rerender.h). Pages' files are fed up to
 * their bodies, every other file whole.
 */
static void S_global(struct rerender *r, const struct site *site, const struct lists *lists,
		     const struct plan *plan)
{
	struct incr_digest d;
	struct strmap pages = { 0 };
	size_t i, k;

	incr_digest_init(&d, r->in->key);
	incr_digest_str(&d, "jixia rerender 1");
	incr_digest_item(&d, r->in->pending_id, sizeof(r->in->pending_id)); /* the history's commit */
	incr_digest_str(&d, site->cfg->base_url);
	incr_digest_str(&d, site->root);
	incr_digest_num(&d, site->drafts);
	incr_digest_num(&d, site->today);
	incr_digest_num(&d, site->tz_offset_min);
	incr_digest_num(&d, site->history);
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		strmap_put(&pages, pg->path, (long)i + 1);
		incr_digest_str(&d, pg->path);
		incr_digest_num(&d, pg->failed);
		incr_digest_num(&d, pg->draft);
		incr_digest_num(&d, pg->expired);
		incr_digest_num(&d, pg->open);
		incr_digest_num(&d, pg->call_open);
		incr_digest_item(&d, pg->src->data, S_body_at(pg));
	}
	for (i = 0; i < site->src->n; i++) {
		const struct source_file *f = &site->src->files[i];
		long p = strmap_get(&pages, f->path, 0);
		if (p && site->pages[p - 1].src == f)
			continue; /* fed above, up to its body */
		incr_digest_str(&d, f->path);
		incr_digest_item(&d, f->data, f->len);
	}
	strmap_free(&pages);
	for (i = 0; i < plan->n; i++) {
		const struct plan_output *o = &plan->v[i];
		incr_digest_num(&d, o->kind);
		incr_digest_num(&d, (long long)o->lang);
		incr_digest_str(&d, o->href);
		incr_digest_str(&d, o->out_path);
		S_page_ref(&d, site, o->page);
	}
	for (i = 0; i < lists->n; i++) {
		const struct listing *l = &lists->v[i];
		incr_digest_str(&d, l->out_path);
		incr_digest_num(&d, (long long)l->total);
		incr_digest_num(&d, (long long)l->npages);
		S_pages(&d, site, l->items, l->nitems);
		S_pages(&d, site, l->upcoming, l->nupcoming);
		S_pages(&d, site, l->roots, l->nroots);
		for (k = 0; k < l->nsections; k++)
			S_pages(&d, site, l->sections[k].items, l->sections[k].n);
	}
	for (i = 0; i < site->nterms; i++) {
		const struct term *t = &site->terms[i];
		incr_digest_str(&d, t->href);
		incr_digest_str(&d, t->name);
		S_pages(&d, site, t->pages, t->n);
	}
	for (i = 0; i < site->ncontributors; i++) {
		const struct contributor *c = &site->contributors[i];
		incr_digest_str(&d, c->key);
		incr_digest_str(&d, c->name);
		S_page_ref(&d, site, c->person);
		incr_digest_num(&d, (long long)c->commits);
		incr_digest_num(&d, (long long)c->items);
		incr_digest_num(&d, (long long)c->translations);
		incr_digest_num(&d, c->points);
		incr_digest_num(&d, c->title);
		incr_digest_num(&d, (long long)c->rank);
		incr_digest_num(&d, c->bounty_points);
		S_pages(&d, site, c->pages, c->npages);
		S_pages(&d, site, c->bounties, c->nbounties);
	}
	incr_digest_final(&d, r->global);
}

static void S_count(struct incr_digest *d, const struct l10n_count *c)
{
	incr_digest_str(d, c->type ? c->type->name : NULL);
	incr_digest_num(d, (long long)c->originals);
	incr_digest_num(d, (long long)c->translated);
	incr_digest_num(d, (long long)c->outdated);
	incr_digest_num(d, (long long)c->missing);
}

/*
 * The site-wide parts that some outputs show and the global digest does
 * not hold, as they change with a page's body or history: each language's
 * translation status (counts, the pages outdated, missing and orphaned,
 * in order) for /l10n/, and what /help-wanted/ and the home page's open
 * calls list. The pages themselves are read through rerender_read.
 */
static void S_parts(struct rerender *r, const struct site *site)
{
	struct incr_digest d;
	size_t i, k;

	incr_digest_init(&d, r->in->key);
	incr_digest_num(&d, (long long)site->nl10n);
	for (i = 0; i < site->nl10n; i++) {
		const struct l10n_lang *l = &site->l10n[i];
		incr_digest_str(&d, l->lang->code);
		S_count(&d, &l->total);
		incr_digest_num(&d, (long long)l->ntypes);
		for (k = 0; k < l->ntypes; k++)
			S_count(&d, &l->types[k]);
		S_pages(&d, site, l->outdated, l->total.outdated);
		for (k = 0; k < l->total.missing; k++) {
			S_page_ref(&d, site, l->missing[k].page);
			incr_digest_str(&d, l->missing[k].path);
			incr_digest_num(&d, l->missing[k].reach);
		}
		incr_digest_num(&d, (long long)l->norphans);
		for (k = 0; k < l->norphans; k++) {
			S_page_ref(&d, site, l->orphans[k].page);
			incr_digest_str(&d, l->orphans[k].original);
			incr_digest_str(&d, l->orphans[k].moved_to);
			incr_digest_str(&d, l->orphans[k].move_to);
		}
	}
	incr_digest_final(&d, r->part[1]);

	incr_digest_init(&d, r->in->key);
	incr_digest_num(&d, site->help != NULL);
	for (i = 0; site->help && i < site->cfg->nlangs; i++) {
		const struct help_lang *h = &site->help[i];
		S_pages(&d, site, h->questions, h->nquestions);
		S_pages(&d, site, h->calls, h->ncalls);
		incr_digest_num(&d, (long long)h->ntranslations);
		for (k = 0; k < h->ntranslations; k++) {
			S_page_ref(&d, site, h->translations[k].page);
			incr_digest_str(&d, h->translations[k].lang->code);
			incr_digest_num(&d, h->translations[k].missing);
			incr_digest_str(&d, h->translations[k].command);
		}
	}
	incr_digest_final(&d, r->part[2]);
}

/* A page's own: its file, its history, and what extra adds. */
static void S_fingerprint(struct rerender *r, const struct page *pg, rerender_page_fn extra, void *payload,
			  uint64_t out[2])
{
	struct incr_digest d;
	size_t i;

	incr_digest_init(&d, r->in->key);
	incr_digest_str(&d, pg->path);
	incr_digest_item(&d, pg->src->data, pg->src->len);
	incr_digest_num(&d, pg->created);
	incr_digest_num(&d, pg->updated);
	incr_digest_num(&d, pg->created_off);
	incr_digest_num(&d, pg->updated_off);
	incr_digest_num(&d, (long long)pg->ncommits);
	incr_digest_num(&d, (long long)pg->ngit_authors);
	for (i = 0; i < pg->ngit_authors; i++) {
		incr_digest_str(&d, pg->git_authors[i].who->key);
		incr_digest_num(&d, (long long)pg->git_authors[i].commits);
	}
	incr_digest_str(&d, pg->edit_url);
	incr_digest_str(&d, pg->history_url);
	incr_digest_str(&d, pg->original_moved);
	incr_digest_num(&d, pg->outdated != NULL);
	if (pg->outdated) {
		const struct outdated *o = pg->outdated;
		incr_digest_str(&d, o->original ? o->original->path : NULL);
		incr_digest_num(&d, (long long)o->count);
		incr_digest_num(&d, o->date);
		incr_digest_num(&d, o->date_off);
		incr_digest_str(&d, o->base);
		incr_digest_str(&d, o->head);
		incr_digest_str(&d, o->diff_url);
	}
	incr_digest_str(&d, pg->contributor ? pg->contributor->key : NULL);
	if (extra)
		extra(pg, &d, payload);
	incr_digest_final(&d, out);
}

void rerender_begin(struct rerender *r, struct incr *in, const struct memsite *mem, const struct site *site,
		    const struct lists *lists, const struct plan *plan, rerender_page_fn extra, void *payload)
{
	struct rerender_snap *k;
	struct strmap now = { 0 };
	size_t i;

	memset(r, 0, sizeof(*r));
	if (!in || !mem)
		return;
	r->in = in;
	r->site = site;
	if (!in->rerender) {
		in->rerender = xcalloc(1, sizeof(*in->rerender));
		in->rerender_free = rerender_state_free;
	}
	S_snap_free(in->rerender->pending); /* a build that failed after render staged it */
	in->rerender->pending = NULL;
	r->njobs = plan->html.n;
	r->jobs = xcalloc(r->njobs ? r->njobs : 1, sizeof(*r->jobs));
	r->fp = xcalloc(site->npages ? site->npages : 1, sizeof(*r->fp));
	S_global(r, site, lists, plan);
	S_parts(r, site);
	for (i = 0; i < site->npages; i++)
		S_fingerprint(r, &site->pages[i], extra, payload, r->fp[i]);
	k = in->rerender->kept;
	if (!k || !k->site || k->global[0] != r->global[0] || k->global[1] != r->global[1])
		return;
	r->reuse = 1;
	r->same = xcalloc(k->npages ? k->npages : 1, 1);
	r->to_new = xcalloc(k->npages ? k->npages : 1, sizeof(*r->to_new));
	for (i = 0; i < site->npages; i++)
		strmap_put(&now, site->pages[i].path, (long)i + 1);
	for (i = 0; i < k->npages; i++) {
		long j = strmap_get(&now, k->paths[i], 0);
		if (j && k->fp[i][0] == r->fp[j - 1][0] && k->fp[i][1] == r->fp[j - 1][1]) {
			r->same[i] = 1;
			r->to_new[i] = (size_t)(j - 1);
		}
	}
	strmap_free(&now);
}

/* The outputs whose every input is a page, the global digest or a part of S_parts (rerender.h). */
static int S_tracked(enum plan_kind kind)
{
	return kind == PLAN_PAGE || kind == PLAN_LIST || kind == PLAN_YEAR || kind == PLAN_TAXONOMY ||
	       kind == PLAN_TERM || kind == PLAN_HOME || kind == PLAN_L10N || kind == PLAN_HELP;
}

/* The site-wide part an output of kind shows beside its pages: 0 none, 1 l10n, 2 help wanted. */
static int S_part_of(enum plan_kind kind)
{
	return kind == PLAN_L10N ? 1 : kind == PLAN_HELP || kind == PLAN_HOME ? 2 : 0;
}

const struct memsite_file *rerender_kept(struct rerender *r, size_t job, const struct plan_output *o)
{
	const struct rerender_snap *k;
	const struct kept_out *ko;
	const struct memsite_file *f;
	struct rerender_job *j;
	long at;
	size_t i;

	if (!r->reuse || !S_tracked(o->kind))
		return NULL;
	k = r->in->rerender->kept;
	if (!(at = strmap_get(&k->by_path, o->out_path, 0)))
		return NULL;
	ko = &k->outs[at - 1];
	if (ko->untracked || ko->part[0] != r->part[S_part_of(o->kind)][0] ||
	    ko->part[1] != r->part[S_part_of(o->kind)][1])
		return NULL;
	for (i = 0; i < ko->n; i++)
		if (!r->same[ko->pages[i]])
			return NULL;
	if (!(f = memsite_get(k->site, o->out_path)))
		return NULL;
	/* What it read last time, as this build's pages: the next build compares with them. */
	j = &r->jobs[job];
	j->kept = 1;
	j->steps = ko->steps;
	j->n = 0;
	for (i = 0; i < ko->n; i++) {
		ARRAY_GROW(j->pages, j->n, j->cap, 8);
		j->pages[j->n++] = r->to_new[ko->pages[i]];
	}
	return f;
}

void rerender_read(struct rerender *r, size_t job, const struct page *pg)
{
	struct rerender_job *j;
	long i;

	if (!r->in || !pg)
		return;
	j = &r->jobs[job];
	if ((i = S_index(r->site, pg)) >= 0) {
		if (j->n && j->pages[j->n - 1] == (size_t)i)
			return;
		ARRAY_GROW(j->pages, j->n, j->cap, 8);
		j->pages[j->n++] = (size_t)i;
		return;
	}
	/* A list's introduction (content/TYPE/_index.md) and a docs folder
	 * without a page of its own (lists.c, path "") are in the global
	 * digest; anything else is no page it knows. */
	if (!(pg >= r->site->intros && pg < r->site->intros + r->site->nintros) && pg->path[0])
		j->untracked = 1;
}

static int S_size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

void rerender_end(struct rerender *r, const struct plan *plan, int ok, int names_clean)
{
	const struct site *site = r->site;
	struct rerender_snap *s;
	size_t i, k, w;

	if (!r->in)
		return;
	for (i = 0; i < r->njobs; i++)
		if (r->jobs[i].kept)
			r->kept++;
		else
			r->rendered++;
	if (!ok || !names_clean)
		return;
	s = xcalloc(1, sizeof(*s));
	s->global[0] = r->global[0];
	s->global[1] = r->global[1];
	s->npages = site->npages;
	s->paths = xcalloc(s->npages ? s->npages : 1, sizeof(*s->paths));
	s->fp = xcalloc(s->npages ? s->npages : 1, sizeof(*s->fp));
	for (i = 0; i < s->npages; i++) {
		s->paths[i] = xstrdup(site->pages[i].path);
		s->fp[i][0] = r->fp[i][0];
		s->fp[i][1] = r->fp[i][1];
	}
	s->nouts = r->njobs;
	s->outs = xcalloc(s->nouts ? s->nouts : 1, sizeof(*s->outs));
	for (i = 0; i < r->njobs; i++) {
		struct rerender_job *j = &r->jobs[i];
		struct kept_out *ko = &s->outs[i];
		ko->path = xstrdup(plan->v[plan->html.first + i].out_path);
		ko->steps = j->steps;
		ko->untracked = j->untracked;
		ko->part[0] = r->part[S_part_of(plan->v[plan->html.first + i].kind)][0];
		ko->part[1] = r->part[S_part_of(plan->v[plan->html.first + i].kind)][1];
		/* sorted, each page once */
		if (j->n)
			qsort(j->pages, j->n, sizeof(*j->pages), S_size_cmp);
		for (k = w = 0; k < j->n; k++)
			if (!w || j->pages[w - 1] != j->pages[k])
				j->pages[w++] = j->pages[k];
		ko->n = w;
		ko->pages = xmalloc((w ? w : 1) * sizeof(*ko->pages));
		if (w)
			memcpy(ko->pages, j->pages, w * sizeof(*ko->pages));
		strmap_put(&s->by_path, ko->path, (long)i + 1);
	}
	r->in->rerender->pending = s;
}

void rerender_release(struct rerender *r)
{
	size_t i;
	for (i = 0; i < r->njobs; i++)
		free(r->jobs[i].pages);
	free(r->jobs);
	free(r->fp);
	free(r->same);
	free(r->to_new);
	memset(r, 0, sizeof(*r));
}

void rerender_commit(struct incr *in, struct memsite *mem)
{
	struct rerender_state *st = in ? in->rerender : NULL;
	if (!st)
		return;
	S_snap_free(st->kept);
	st->kept = st->pending;
	st->pending = NULL;
	if (st->kept)
		st->kept->site = memsite_ref(mem);
}
