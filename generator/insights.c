/*
 * insights: the community's numbers per period, their charts and their
 * data files (insights.h). Everything is counted in one pass over the
 * walk's commits and one over the pages: no second walk of the repository.
 */
#include "insights.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "contributors.h"
#include "escape.h"
#include "history.h"
#include "types.h"

/* More months than this and the periods are quarters. */
#define MONTHS_MAX 24
/* The span counted at most (months, the latest): dates are untrusted, a commit may claim any year. */
#define SPAN_MAX 600

/* Month number (year * 12 + month - 1) of a day since 1970. */
static long long S_month(long long days)
{
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	return (long long)y * 12 + m - 1;
}

long long insights_day(const struct site *site, long long t)
{
	/* a commit may claim any time: kept far inside what the sum can hold */
	long long s = (t > (1LL << 50)    ? 1LL << 50
		       : t < -(1LL << 50) ? -(1LL << 50)
					  : t) +
		      (long long)site->tz_offset_min * 60;
	return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

struct span {
	long long first, last; /* month numbers */
	int quarters;
};

static size_t S_period(const struct span *sp, long long month)
{
	return sp->quarters ? (size_t)(month / 3 - sp->first / 3) : (size_t)(month - sp->first);
}

/* month is in the span counted. */
static int S_in(const struct span *sp, long long month)
{
	return month >= sp->first && month <= sp->last;
}

/* Widens the span to month: none before year 0, none after the build time (limit) when known. */
static void S_widen(struct span *sp, long long month, long long limit, int *any)
{
	if (month < 0 || month > limit)
		return;
	if (!*any || month < sp->first)
		sp->first = month;
	if (!*any || month > sp->last)
		sp->last = month;
	*any = 1;
}

static long long *S_zeros(struct arena *a, size_t n)
{
	long long *v = arena_alloc(a, (n ? n : 1) * sizeof(*v));
	memset(v, 0, (n ? n : 1) * sizeof(*v));
	return v;
}

/* An event held: a calendar type's item in the default language, dated no later than today. */
static int S_held(const struct site *site, const struct page *pg)
{
	return pg->type && pg->type->roles.calendar && pg->lang->is_default && pg->date != LLONG_MIN &&
	       pg->date <= site->today;
}

static int S_person_cmp(const void *a, const void *b)
{
	const struct insights_person *x = a, *y = b;
	if (x->commits != y->commits)
		return x->commits > y->commits ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Each year's distinct, new and top contributors from the per-period counts. */
static void S_years_people(struct insights *ins, const long long *counts, const long long *firsts,
			   const char **names, const struct page **persons, size_t nu, struct site *site)
{
	struct insights_person *all = xmalloc((nu ? nu : 1) * sizeof(*all));
	size_t y, u, i, n;

	for (y = 0; y < ins->nyears; y++) {
		struct insights_year *yr = &ins->years[y];
		n = 0;
		for (u = 0; u < nu; u++) {
			long long sum = 0;
			for (i = yr->p0; i < yr->p0 + yr->np; i++)
				sum += counts[u * ins->n + i];
			if (firsts[u] >= (long long)yr->p0 && firsts[u] < (long long)(yr->p0 + yr->np))
				yr->newcomers++;
			if (!sum)
				continue;
			all[n].name = names[u];
			all[n].person = persons[u];
			all[n].href = NULL;
			all[n++].commits = sum;
		}
		yr->active = (long long)n;
		qsort(all, n, sizeof(*all), S_person_cmp);
		yr->ntop = n < INSIGHTS_TOP ? n : INSIGHTS_TOP;
		yr->top = arena_alloc(&site->arena, (yr->ntop ? yr->ntop : 1) * sizeof(*yr->top));
		for (i = 0; i < yr->ntop; i++) {
			yr->top[i].name = arena_strdup(&site->arena, all[i].name);
			yr->top[i].commits = all[i].commits;
			yr->top[i].person = all[i].person;
			yr->top[i].href = NULL;
		}
	}
	free(all);
}

/* Who did what in each period: commits per (contributor, period), first periods, names. */
static void S_people(struct insights *ins, const struct hist_found *hf, struct site *site,
		     const struct span *sp)
{
	struct strmap keys = { 0 };
	size_t *uniq = xcalloc(hf->nidents ? hf->nidents : 1, sizeof(*uniq));
	const char **names = xcalloc(hf->nidents ? hf->nidents : 1, sizeof(*names));
	const struct page **persons = xcalloc(hf->nidents ? hf->nidents : 1, sizeof(*persons));
	size_t nu = 0, i, k, u;
	long long *counts, *firsts;

	/* One contributor per mapped e-mail; named as in its newest commit (identities come newest first). */
	for (i = 0; i < hf->nidents; i++) {
		long got = strmap_get(&keys, hf->idents[i].email, -1);
		if (got < 0) {
			got = (long)nu;
			persons[nu] = site->ident_people ? site->ident_people[i] : NULL;
			names[nu++] = hf->idents[i].name;
			strmap_put(&keys, hf->idents[i].email, got);
		}
		uniq[i] = (size_t)got;
	}
	counts = xcalloc((nu ? nu : 1) * ins->n, sizeof(*counts));
	firsts = xmalloc((nu ? nu : 1) * sizeof(*firsts));
	for (u = 0; u < nu; u++)
		firsts[u] = -1;
	for (i = 0; i < hf->ncommits; i++) {
		const struct hist_commit *c = &hf->commits[i];
		size_t p;
		if (!c->content)
			continue;
		if (!S_in(sp, S_month(insights_day(site, c->time))))
			continue;
		p = S_period(sp, S_month(insights_day(site, c->time)));
		ins->commits[p]++;
		for (k = c->ident0; k < c->ident0 + c->nidents; k++) {
			u = uniq[hf->idents_of[k]];
			counts[u * ins->n + p]++;
			if (firsts[u] < 0 || (size_t)firsts[u] > p)
				firsts[u] = (long long)p;
		}
	}
	for (u = 0; u < nu; u++) {
		if (firsts[u] >= 0)
			ins->newcomers[firsts[u]]++;
		for (i = 0; i < ins->n; i++)
			ins->active[i] += counts[u * ins->n + i] > 0;
	}
	for (i = 0; i < ins->n; i++) {
		size_t best = nu;
		for (u = 0; u < nu; u++) {
			long long c = counts[u * ins->n + i];
			if (!c)
				continue;
			/* most commits, then the name, then who was met first: the same at every run */
			if (best == nu || c > counts[best * ins->n + i] ||
			    (c == counts[best * ins->n + i] && strcmp(names[u], names[best]) < 0))
				best = u;
		}
		/* the walk's strings go with it: the site keeps its own copy */
		ins->top[i] = best < nu ? arena_strdup(&site->arena, names[best]) : "";
		ins->top_commits[i] = best < nu ? counts[best * ins->n + i] : 0;
	}
	S_years_people(ins, counts, firsts, names, persons, nu, site);
	free(counts);
	free(firsts);
	free(names);
	free(persons);
	free(uniq);
	strmap_free(&keys);
}

/* --- events by city and kind, talks, questions, translation coverage ----- */

/* The period of a month: -1 before the span, the last one after it (a claim past the build time). */
static long S_when(const struct span *sp, long long month)
{
	if (month < sp->first)
		return -1;
	if (month > sp->last)
		return (long)S_period(sp, sp->last);
	return (long)S_period(sp, month);
}

/* The period of an instant (a page's created), the last one when unknown (not committed yet). */
static long S_when_time(const struct site *site, const struct span *sp, long long t)
{
	return t == LLONG_MIN ? (long)S_period(sp, sp->last) : S_when(sp, S_month(insights_day(site, t)));
}

/* A non-empty scalar field value of pg, or NULL. */
static const char *S_scalar(const struct page *pg, const char *field)
{
	const struct fval *v = pg ? page_value(pg, field) : NULL;
	if (!v || !v->node || v->node->kind != YNODE_SCALAR || !v->node->len)
		return NULL;
	return v->node->str;
}

/* An event's city: its venue's (a page the venue field names), else its own city field. */
static const char *S_event_city(const struct page *pg)
{
	const struct fval *v = page_value(pg, "venue");
	const char *c = v && v->nrefs ? S_scalar(v->refs[0], "city") : NULL;
	return c ? c : S_scalar(pg, "city");
}

/* A talk: an item of a type whose people include speakers, not itself on the calendar. */
static int S_talk_type(const struct type *ty)
{
	size_t i;
	if (!ty || ty->roles.calendar)
		return 0;
	for (i = 0; i < ty->nfields; i++)
		if (ty->fields[i].people == PEOPLE_SPEAKER)
			return 1;
	return 0;
}

static int S_ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (const void *const *)a, y = (uintptr_t) * (const void *const *)b;
	return x < y ? -1 : x > y;
}

/* The talks that name the event pg, each once whatever fields name it (sorted: no quadratic count). */
static long long S_talks_of(const struct page *pg)
{
	const struct page **from = xmalloc((pg->nin ? pg->nin : 1) * sizeof(*from));
	long long n = 0;
	size_t i, k = 0;
	for (i = 0; i < pg->nin; i++)
		if (S_talk_type(pg->in[i].from->type))
			from[k++] = pg->in[i].from;
	if (k)
		qsort(from, k, sizeof(*from), S_ptr_cmp);
	for (i = 0; i < k; i++)
		n += !i || from[i] != from[i - 1];
	free(from);
	return n;
}

/* A name the events held are split by (a city, a kind) and its events over the span. */
struct tally {
	const char *name;
	long long total;
	size_t id; /* its place in the order first met */
};

static int S_tally_cmp(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;
	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * The names the events held are split by (cities, kinds): most events
 * first, then by bytes, into *names (arena), with the counts per period in
 * *rows (a last row for the events without one). vals[e] is the name of
 * event e (or NULL), per[e] its period.
 */
static void S_split(struct site *site, size_t n, const char *const *vals, const size_t *per, size_t nev,
		    const char ***names, size_t *nnames, long long **rows)
{
	struct strmap ids = { 0 };
	struct tally *v = NULL;
	size_t e, k, nv = 0, cap = 0, *rank;

	for (e = 0; e < nev; e++) {
		long got;
		if (!vals[e])
			continue;
		if ((got = strmap_get(&ids, vals[e], -1)) < 0) {
			ARRAY_GROW(v, nv, cap, 8);
			v[nv].name = vals[e];
			v[nv].total = 0;
			v[nv].id = nv;
			got = (long)nv++;
			strmap_put(&ids, vals[e], got);
		}
		v[got].total++;
	}
	if (nv)
		qsort(v, nv, sizeof(*v), S_tally_cmp);
	rank = xmalloc((nv ? nv : 1) * sizeof(*rank));
	*names = arena_alloc(&site->arena, (nv ? nv : 1) * sizeof(**names));
	for (k = 0; k < nv; k++) {
		(*names)[k] = arena_strdup(&site->arena, v[k].name);
		rank[v[k].id] = k;
	}
	*nnames = nv;
	*rows = S_zeros(&site->arena, (nv + 1) * n);
	for (e = 0; e < nev; e++)
		(*rows)[(vals[e] ? rank[strmap_get(&ids, vals[e], 0)] : nv) * n + per[e]]++;
	free(rank);
	free(v);
	strmap_free(&ids);
}

/* Events held in the span: by city, by kind, and the talks that name them. */
static void S_more_events(struct insights *ins, struct site *site, const struct span *sp)
{
	const char **city = xmalloc((site->npages ? site->npages : 1) * sizeof(*city));
	const char **kind = xmalloc((site->npages ? site->npages : 1) * sizeof(*kind));
	size_t *per = xmalloc((site->npages ? site->npages : 1) * sizeof(*per));
	size_t i, nev = 0;

	ins->talks = S_zeros(&site->arena, ins->n);
	ins->talk_bins = S_zeros(&site->arena, INSIGHTS_TALK_BINS * ins->n);
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		long long talks;
		if (!S_held(site, pg) || !S_in(sp, S_month(pg->date)))
			continue;
		per[nev] = S_period(sp, S_month(pg->date));
		city[nev] = S_event_city(pg);
		kind[nev] = S_scalar(pg, "kind");
		talks = S_talks_of(pg);
		ins->talks[per[nev]] += talks;
		ins->talk_bins[(talks == 0 ? 0 : talks == 1 ? 1 : talks <= 3 ? 2 : 3) * ins->n + per[nev]]++;
		nev++;
	}
	S_split(site, ins->n, city, per, nev, &ins->cities, &ins->ncities, &ins->by_city);
	S_split(site, ins->n, kind, per, nev, &ins->kinds, &ins->nkinds, &ins->by_kind);
	free(city);
	free(kind);
	free(per);
}

/*
 * Questions answered and open at each period's end: a question counts from
 * the period of the commit that added it, and is answered from the period
 * of the commit after which it stayed answered (history_since, as its
 * bounty is paid); one open now is open throughout, an answer not
 * committed yet counts in the last period. cper: each commit's period.
 */
/* Committed as it is, every change in the period that added it (from): no blob to read. */
static int S_answered_there(const struct page *pg, const struct hist_file *f, const struct hist_found *hf,
			    const long *cper, long from)
{
	return f && f->newest >= 0 && cper[f->newest] <= from && pg->updated == hf->commits[f->newest].time;
}

static void S_more_questions(struct insights *ins, struct site *site, struct history *h,
			     const struct hist_found *hf, const struct span *sp, const long *cper)
{
	const struct page **ask = xcalloc(site->npages ? site->npages : 1, sizeof(*ask));
	size_t i, nask = 0;
	long p;

	/* the answering commits to read from git, on the pool at once */
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		if (pg->type && pg->type->roles.question && pg->lang->is_default && !pg->open &&
		    !S_answered_there(pg, history_page_file(h, pg), hf, cper,
				      S_when_time(site, sp, pg->created)))
			ask[nask++] = pg;
	}
	contributors_answered_all(h, ask, nask, site->src, site->jobs);
	free(ask);
	ins->answered = S_zeros(&site->arena, ins->n);
	ins->open = S_zeros(&site->arena, ins->n);
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		const struct hist_file *f;
		long from, done = (long)ins->n, ci;
		if (!pg->type || !pg->type->roles.question || !pg->lang->is_default)
			continue;
		from = S_when_time(site, sp, pg->created);
		f = history_page_file(h, pg);
		if (pg->open) {
			/* open now: open throughout */
		} else if (S_answered_there(pg, f, hf, cper, from)) {
			/* answered in the period that added it, whichever change answered it */
			done = from;
		} else {
			ci = contributors_answered_at(h, pg);
			done = ci >= 0 && (size_t)ci < hf->ncommits ? cper[ci] : (long)ins->n - 1;
		}
		for (p = from < 0 ? 0 : from; p < (long)ins->n; p++) {
			if (p >= done)
				ins->answered[p]++;
			else
				ins->open[p]++;
		}
	}
}

/* The newest of a file's changes (f's, newest first) whose commit is in a period up to p, or -1. */
static long S_version_at(const struct hist_found *hf, const struct hist_file *f, const long *cper, long p)
{
	size_t k;
	if (!f)
		return -1;
	for (k = 0; k < f->nt; k++)
		if (cper[hf->touch_commit[f->t0 + k]] <= p)
			return (long)k;
	return -1;
}

/*
 * Whether translation t of original o is up to date at the end of period
 * p. Its version then (its newest change up to p) follows, when it is its
 * current version, what page->outdated says (its translated_from pin, else
 * its own last commit: the changes of the original counted there are the
 * newest ones); an older version follows its own commit. It is up to date
 * when no change of the original up to p is newer than what it follows.
 */
static int S_current_at(const struct hist_found *hf, const long *cper, const struct hist_file *of,
			const struct page *t, const struct hist_file *tf, long p)
{
	long ko = S_version_at(hf, of, cper, p), kt = S_version_at(hf, tf, cper, p);

	if (ko < 0)
		return 1; /* no committed original yet */
	if (kt <= 0)      /* the current version, or one not committed */
		return !t->outdated || (size_t)ko >= t->outdated->count;
	return hf->touch_commit[of->t0 + (size_t)ko] >= hf->touch_commit[tf->t0 + (size_t)kt];
}

/* Translation coverage at each period's end, per language but the default. */
static void S_more_coverage(struct insights *ins, struct site *site, const struct history *h,
			    const struct hist_found *hf, const struct span *sp, const long *cper)
{
	const struct config *cfg = site->cfg;
	size_t i, l;
	long p;

	ins->langs = arena_alloc(&site->arena, cfg->nlangs * sizeof(*ins->langs));
	for (l = 0; l < cfg->nlangs; l++)
		if (!cfg->langs[l].is_default)
			ins->langs[ins->nlangs++] = &cfg->langs[l];
	ins->originals = S_zeros(&site->arena, ins->n);
	ins->current = S_zeros(&site->arena, ins->nlangs * ins->n);
	ins->behind = S_zeros(&site->arena, ins->nlangs * ins->n);
	for (i = 0; i < site->npages; i++) {
		const struct page *o = &site->pages[i];
		const struct hist_file *of;
		long from;
		/* the originals /l10n/ counts: a closed job is not worth translating */
		if (!o->lang->is_default || o->expired)
			continue;
		of = history_page_file(h, o);
		from = S_when_time(site, sp, o->created);
		for (p = from < 0 ? 0 : from; p < (long)ins->n; p++)
			ins->originals[p]++;
		for (l = 0; l < ins->nlangs; l++) {
			const struct page *t = page_in_lang(o, ins->langs[l]);
			const struct hist_file *tf;
			long tfrom;
			if (!t || t == o)
				continue;
			tf = history_page_file(h, t);
			tfrom = S_when_time(site, sp, t->created);
			if (tfrom < from)
				tfrom = from;
			for (p = tfrom < 0 ? 0 : tfrom; p < (long)ins->n; p++) {
				if (S_current_at(hf, cper, of, t, tf, p))
					ins->current[l * ins->n + (size_t)p]++;
				else
					ins->behind[l * ins->n + (size_t)p]++;
			}
		}
	}
}

static void S_more_build(struct insights *ins, struct site *site, struct history *h,
			 const struct hist_found *hf, const struct span *sp)
{
	long *cper = xmalloc((hf->ncommits ? hf->ncommits : 1) * sizeof(*cper));
	size_t i;

	/* each commit's period: -1 before the span, the last after it */
	for (i = 0; i < hf->ncommits; i++)
		cper[i] = S_when(sp, S_month(insights_day(site, hf->commits[i].time)));
	S_more_events(ins, site, sp);
	S_more_questions(ins, site, h, hf, sp, cper);
	S_more_coverage(ins, site, h, hf, sp, cper);
	free(cper);
}

void insights_build(struct site *site, struct history *h)
{
	struct hist_found hf;
	struct arena *a = &site->arena;
	struct insights *ins;
	struct span sp;
	int any = 0;
	size_t i, t, *type_slot;
	long long limit = LLONG_MAX, newest;

	history_found(h, &hf);
	if (!hf.read)
		return;
	memset(&sp, 0, sizeof(sp));
	/* No author time after both the build time and the head's commit time: a claim, not a date. */
	if (hf.ncommits) {
		newest = site->now > hf.commits[0].ctime ? site->now : hf.commits[0].ctime;
		limit = S_month(insights_day(site, newest));
	}
	for (i = 0; i < hf.ncommits; i++)
		if (hf.commits[i].content)
			S_widen(&sp, S_month(insights_day(site, hf.commits[i].time)), limit, &any);
	if (!any)
		return;
	for (i = 0; i < site->npages; i++)
		if (S_held(site, &site->pages[i]))
			S_widen(&sp, S_month(site->pages[i].date), limit, &any);
	if (sp.last - sp.first >= SPAN_MAX)
		sp.first = sp.last - SPAN_MAX + 1;
	sp.quarters = sp.last - sp.first + 1 > MONTHS_MAX;

	ins = arena_alloc(a, sizeof(*ins));
	memset(ins, 0, sizeof(*ins));
	ins->quarters = sp.quarters;
	ins->n = S_period(&sp, sp.last) + 1;
	ins->labels = arena_alloc(a, ins->n * sizeof(*ins->labels));
	for (i = 0; i < ins->n; i++) {
		long long m = sp.quarters ? (sp.first / 3 + (long long)i) * 3 : sp.first + (long long)i;
		ins->labels[i] = sp.quarters ? arena_printf(a, "%lld-Q%lld", m / 12, m % 12 / 3 + 1)
					     : arena_printf(a, "%lld-%02lld", m / 12, m % 12 + 1);
	}
	ins->commits = S_zeros(a, ins->n);
	ins->active = S_zeros(a, ins->n);
	ins->newcomers = S_zeros(a, ins->n);
	ins->translations = S_zeros(a, ins->n);
	ins->events = S_zeros(a, ins->n);
	ins->top = arena_alloc(a, ins->n * sizeof(*ins->top));
	ins->top_commits = S_zeros(a, ins->n);
	/* the years: a quarter or a month lies in one year */
	ins->nyears = (size_t)(sp.last / 12 - sp.first / 12 + 1);
	ins->years = arena_alloc(a, ins->nyears * sizeof(*ins->years));
	memset(ins->years, 0, ins->nyears * sizeof(*ins->years));
	for (i = 0; i < ins->n; i++) {
		long long m = sp.quarters ? (sp.first / 3 + (long long)i) * 3 : sp.first + (long long)i;
		struct insights_year *yr = &ins->years[m / 12 - sp.first / 12];
		if (!yr->np)
			yr->p0 = i;
		yr->year = (int)(m / 12);
		yr->np++;
	}
	S_people(ins, &hf, site, &sp);

	/* Content added: the types that have any, in folder order, then their counts. */
	type_slot = xcalloc(site->types.n ? site->types.n : 1, sizeof(*type_slot));
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		if (pg->type && pg->lang->is_default && pg->created != LLONG_MIN)
			type_slot[pg->type - site->types.v] = 1;
	}
	ins->types = arena_alloc(a, (site->types.n ? site->types.n : 1) * sizeof(*ins->types));
	for (t = 0; t < site->types.n; t++)
		if (type_slot[t]) {
			type_slot[t] = ins->ntypes + 1;
			ins->types[ins->ntypes++] = site->types.v[t].name;
		}
	ins->added = S_zeros(a, ins->ntypes * ins->n);
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		if (pg->created != LLONG_MIN && pg->type &&
		    S_in(&sp, S_month(insights_day(site, pg->created)))) {
			size_t p = S_period(&sp, S_month(insights_day(site, pg->created)));
			if (!pg->lang->is_default)
				ins->translations[p]++;
			else
				ins->added[(type_slot[pg->type - site->types.v] - 1) * ins->n + p]++;
		}
		if (S_held(site, pg) && S_in(&sp, S_month(pg->date)))
			ins->events[S_period(&sp, S_month(pg->date))]++;
	}
	free(type_slot);
	S_more_build(ins, site, h, &hf, &sp);
	for (t = 0; t < ins->nyears; t++) {
		struct insights_year *yr = &ins->years[t];
		size_t k;
		yr->added = S_zeros(a, ins->ntypes);
		for (i = yr->p0; i < yr->p0 + yr->np; i++) {
			yr->commits += ins->commits[i];
			yr->translations += ins->translations[i];
			yr->events += ins->events[i];
			for (k = 0; k < ins->ntypes; k++)
				yr->added[k] += ins->added[k * ins->n + i];
		}
	}
	site->insights = ins;
}

/*
 * A chart in its section, under a heading of its title (whose id is hid,
 * the section's label): c is filled in but for nothing of the section.
 */
static void S_chart_section(struct buf *out, const struct chart *c, const char *hid)
{
	buf_printf(out, "<section class=\"insights-chart\" aria-labelledby=\"%s\">\n<h2 id=\"%s\">", hid,
		   hid);
	escape_html(out, c->title, strlen(c->title));
	buf_puts(out, "</h2>\n");
	chart_bars(out, c);
	buf_puts(out, "</section>\n");
}

static long long S_held_in(const struct insights *ins, size_t i)
{
	long long n = 0;
	size_t b;
	for (b = 0; b < INSIGHTS_TALK_BINS; b++)
		n += ins->talk_bins[b * ins->n + i];
	return n;
}

static long long *S_calloc_ll(size_t n)
{
	return xcalloc(n ? n : 1, sizeof(long long));
}

/* Most series a split of the events shows by name: the rest are one, "other", and a look each is left. */
#define SPLIT_SHOWN 4

/*
 * A chart of the events held split by names (rows: a row per name, a last
 * one for none): the first SPLIT_SHOWN names by themselves (all of them when
 * one more fits), the others and the events without one together as other.
 * label, when set, names a value by its UI string (prefix + value).
 */
static void S_split_chart(struct buf *out, const struct insights *ins, const struct insights_words *w,
			  const char *const *names, size_t nnames, const long long *rows, const char *prefix,
			  struct chart *c, const char *hid)
{
	size_t n = ins->n, shown = nnames <= SPLIT_SHOWN + 1 ? nnames : SPLIT_SHOWN, k, i, ns = 0;
	const char **series = xmalloc((shown + 1) * sizeof(*series));
	long long *v = S_calloc_ll((shown + 1) * n), other = 0;
	struct buf keys = BUF_INIT;
	size_t *at = xmalloc((shown + 1) * sizeof(*at));

	/* the labels' keys first, all in one buffer: it may move while it grows */
	for (k = 0; k < shown; k++) {
		at[k] = keys.len;
		buf_printf(&keys, "%s%s", prefix ? prefix : "", names[k]);
		buf_putc(&keys, '\0');
	}
	for (k = 0; k < shown; k++) {
		const char *l = prefix && w->label ? w->label(keys.ptr + at[k], w->arg) : NULL;
		series[ns] = l ? l : names[k];
		memcpy(v + ns * n, rows + k * n, n * sizeof(*v));
		ns++;
	}
	for (k = shown; k <= nnames; k++)
		for (i = 0; i < n; i++) {
			v[ns * n + i] += rows[k * n + i];
			other += rows[k * n + i];
		}
	if (other)
		series[ns++] = w->other;
	c->series = series;
	c->nseries = ns;
	c->values = v;
	S_chart_section(out, c, hid);
	buf_release(&keys);
	free(at);
	free(series);
	free(v);
}

/* Events by city and kind, talks per event, questions, translation coverage per language. */
static void S_more_charts(struct buf *out, const struct insights *ins, const struct insights_words *w)
{
	struct chart c;
	struct buf title = BUF_INIT, id = BUF_INIT, hid = BUF_INIT;
	const char *series[3], *bins[INSIGHTS_TALK_BINS];
	long long *v = S_calloc_ll(3 * ins->n), held = 0;
	size_t i, l;

	memset(&c, 0, sizeof(c));
	c.xhead = w->period;
	c.labels = ins->labels;
	c.n = ins->n;
	for (i = 0; i < ins->n; i++)
		held += S_held_in(ins, i);
	if (held) {
		c.id = "ins-cities";
		c.title = w->by_city;
		c.desc = w->by_city_desc;
		S_split_chart(out, ins, w, ins->cities, ins->ncities, ins->by_city, NULL, &c, "ins-cities-h");
		c.id = "ins-kinds";
		c.title = w->by_kind;
		c.desc = w->by_kind_desc;
		S_split_chart(out, ins, w, ins->kinds, ins->nkinds, ins->by_kind, "kind_", &c, "ins-kinds-h");
		c.id = "ins-talks";
		c.title = w->talks;
		c.desc = w->talks_desc;
		memcpy(bins, w->talks_bins, sizeof(bins));
		c.series = bins;
		c.nseries = INSIGHTS_TALK_BINS;
		c.values = ins->talk_bins;
		S_chart_section(out, &c, "ins-talks-h");
	}
	for (i = 0; i < ins->n && !ins->answered[i] && !ins->open[i]; i++)
		;
	if (i < ins->n) {
		c.id = "ins-questions";
		c.title = w->questions;
		c.desc = w->questions_desc;
		series[0] = w->answered;
		series[1] = w->open;
		c.series = series;
		c.nseries = 2;
		memcpy(v, ins->answered, ins->n * sizeof(*v));
		memcpy(v + ins->n, ins->open, ins->n * sizeof(*v));
		c.values = v;
		S_chart_section(out, &c, "ins-questions-h");
	}
	/* per language: up to date, outdated and missing, stacked to the originals of the time */
	for (l = 0; l < ins->nlangs; l++) {
		const long long *cur = ins->current + l * ins->n, *beh = ins->behind + l * ins->n;
		for (i = 0; i < ins->n; i++) {
			v[i] = cur[i];
			v[ins->n + i] = beh[i];
			v[2 * ins->n + i] = ins->originals[i] - cur[i] - beh[i];
		}
		buf_reset(&title);
		buf_printf(&title, "%s · %s", w->coverage, ins->langs[l]->name);
		buf_reset(&id);
		buf_printf(&id, "ins-cov-%s", ins->langs[l]->code);
		buf_reset(&hid);
		buf_printf(&hid, "ins-cov-%s-h", ins->langs[l]->code);
		c.id = buf_cstr(&id);
		c.title = buf_cstr(&title);
		c.desc = w->coverage_desc;
		series[0] = w->current;
		series[1] = w->behind;
		series[2] = w->missing;
		c.series = series;
		c.nseries = 3;
		c.values = v;
		S_chart_section(out, &c, buf_cstr(&hid));
	}
	buf_release(&title);
	buf_release(&id);
	buf_release(&hid);
	free(v);
}

void insights_html(struct buf *out, const struct insights *ins, const struct insights_words *w)
{
	struct chart c;
	const char *series[3];
	long long *v = xmalloc(3 * ins->n * sizeof(*v));
	const char **tseries = xmalloc((ins->ntypes + 1) * sizeof(*tseries));
	long long *tv = xmalloc((ins->ntypes + 1) * ins->n * sizeof(*tv));
	size_t t;

	memset(&c, 0, sizeof(c));
	c.xhead = w->period;
	c.labels = ins->labels;
	c.n = ins->n;

	c.id = "ins-commits";
	c.title = w->commits;
	c.desc = w->commits_desc;
	series[0] = w->commits;
	c.series = series;
	c.nseries = 1;
	c.values = ins->commits;
	S_chart_section(out, &c, "ins-commits-h");

	/* returning and new contributors stacked: each bar is the active ones */
	for (t = 0; t < ins->n; t++) {
		v[t] = ins->active[t] - ins->newcomers[t];
		v[ins->n + t] = ins->newcomers[t];
	}
	c.id = "ins-people";
	c.title = w->active;
	c.desc = w->people_desc;
	series[0] = w->returning;
	series[1] = w->newcomers;
	c.nseries = 2;
	c.values = v;
	S_chart_section(out, &c, "ins-people-h");

	for (t = 0; t < ins->ntypes; t++) {
		tseries[t] = ins->types[t];
		memcpy(tv + t * ins->n, ins->added + t * ins->n, ins->n * sizeof(*tv));
	}
	tseries[ins->ntypes] = w->translations;
	memcpy(tv + ins->ntypes * ins->n, ins->translations, ins->n * sizeof(*tv));
	c.id = "ins-added";
	c.title = w->added;
	c.desc = w->added_desc;
	c.series = tseries;
	c.nseries = ins->ntypes + 1;
	c.values = tv;
	S_chart_section(out, &c, "ins-added-h");

	c.id = "ins-events";
	c.title = w->events;
	c.desc = w->events_desc;
	series[0] = w->events;
	c.series = series;
	c.nseries = 1;
	c.values = ins->events;
	S_chart_section(out, &c, "ins-events-h");
	S_more_charts(out, ins, w);
	buf_puts(out,
		 "<section class=\"insights-top\" aria-labelledby=\"ins-top-h\">\n<h2 id=\"ins-top-h\">");
	escape_html(out, w->top, strlen(w->top));
	buf_puts(out, "</h2>\n<div class=\"table-wrap\"><table>\n<thead><tr><th scope=\"col\">");
	escape_html(out, w->period, strlen(w->period));
	buf_puts(out, "</th><th scope=\"col\">");
	escape_html(out, w->top, strlen(w->top));
	buf_puts(out, "</th><th scope=\"col\" class=\"num\">");
	escape_html(out, w->commits, strlen(w->commits));
	buf_puts(out, "</th></tr></thead>\n<tbody>\n");
	for (t = 0; t < ins->n; t++) {
		if (!ins->top_commits[t])
			continue;
		buf_puts(out, "<tr><th scope=\"row\">");
		escape_html(out, ins->labels[t], strlen(ins->labels[t]));
		buf_puts(out, "</th><td>");
		escape_html(out, ins->top[t], strlen(ins->top[t]));
		buf_printf(out, "</td><td class=\"num\">%lld</td></tr>\n", ins->top_commits[t]);
	}
	buf_puts(out, "</tbody>\n</table></div>\n</section>\n");
	free(v);
	free(tseries);
	free(tv);
}

/*
 * A CSV field (RFC 4180): quoted when it holds a comma, quote or line
 * break, or starts with = + - @ tab or CR, which spreadsheets would take
 * for a formula: then a ' goes before it.
 */
static void S_csv_field(struct buf *out, const char *s)
{
	int formula = strchr("=+-@\t\r", *s) && *s;
	if (!formula && !s[strcspn(s, ",\"\r\n")]) {
		buf_puts(out, s);
		return;
	}
	buf_putc(out, '"');
	if (formula)
		buf_putc(out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(out, '"');
		buf_putc(out, *s);
	}
	buf_putc(out, '"');
}

static void S_json_str(struct buf *out, const char *s)
{
	buf_putc(out, '"');
	escape_json(out, s, strlen(s));
	buf_putc(out, '"');
}

/* A share in tenths of a percent, rounded down, as "50.0"; "" (CSV) or null (JSON) of nothing. */
static void S_share(struct buf *out, long long part, long long whole, int json)
{
	if (whole <= 0) {
		buf_puts(out, json ? "null" : "");
		return;
	}
	buf_printf(out, "%lld.%lld", part * 1000 / whole / 10, part * 1000 / whole % 10);
}

/* Talks per event held, rounded down to hundredths: "2.50". */
static void S_mean(struct buf *out, long long talks, long long events, int json)
{
	if (events <= 0) {
		buf_puts(out, json ? "null" : "");
		return;
	}
	buf_printf(out, "%lld.%02lld", talks * 100 / events / 100, talks * 100 / events % 100);
}

static const char *const S_bin_keys[INSIGHTS_TALK_BINS] = { "0", "1", "2_3", "4plus" };

/* The later columns' names: a name from the content is one field, quoted as it needs. */
static void S_more_csv_head(struct buf *out, const struct insights *ins)
{
	struct buf name = BUF_INIT;
	size_t k;
	for (k = 0; k < ins->ncities; k++) {
		buf_reset(&name);
		buf_printf(&name, "events_city_%s", ins->cities[k]);
		buf_putc(out, ',');
		S_csv_field(out, buf_cstr(&name));
	}
	buf_puts(out, ",events_no_city");
	for (k = 0; k < ins->nkinds; k++) {
		buf_reset(&name);
		buf_printf(&name, "events_kind_%s", ins->kinds[k]);
		buf_putc(out, ',');
		S_csv_field(out, buf_cstr(&name));
	}
	buf_puts(out, ",events_no_kind,talks_at_events,talks_per_event");
	for (k = 0; k < INSIGHTS_TALK_BINS; k++)
		buf_printf(out, ",events_with_%s_talks", S_bin_keys[k]);
	buf_puts(out, ",questions_answered,questions_open,originals");
	for (k = 0; k < ins->nlangs; k++)
		buf_printf(out, ",translations_current_%s,translations_outdated_%s,coverage_%s",
			   ins->langs[k]->code, ins->langs[k]->code, ins->langs[k]->code);
	buf_release(&name);
}

static void S_more_csv_row(struct buf *out, const struct insights *ins, size_t i)
{
	size_t k, n = ins->n;
	for (k = 0; k <= ins->ncities; k++)
		buf_printf(out, ",%lld", ins->by_city[k * n + i]);
	for (k = 0; k <= ins->nkinds; k++)
		buf_printf(out, ",%lld", ins->by_kind[k * n + i]);
	buf_printf(out, ",%lld,", ins->talks[i]);
	S_mean(out, ins->talks[i], S_held_in(ins, i), 0);
	for (k = 0; k < INSIGHTS_TALK_BINS; k++)
		buf_printf(out, ",%lld", ins->talk_bins[k * n + i]);
	buf_printf(out, ",%lld,%lld,%lld", ins->answered[i], ins->open[i], ins->originals[i]);
	for (k = 0; k < ins->nlangs; k++) {
		buf_printf(out, ",%lld,%lld,", ins->current[k * n + i], ins->behind[k * n + i]);
		S_share(out, ins->current[k * n + i], ins->originals[i], 0);
	}
}

/* {"NAME":COUNT,...} of one period's row of a split. */
static void S_json_split(struct buf *out, const char *const *names, size_t nnames, const long long *rows,
			 size_t n, size_t i)
{
	size_t k;
	buf_putc(out, '{');
	for (k = 0; k < nnames; k++) {
		buf_puts(out, k ? "," : "");
		S_json_str(out, names[k]);
		buf_printf(out, ":%lld", rows[k * n + i]);
	}
	buf_putc(out, '}');
}

static void S_more_json(struct buf *out, const struct insights *ins, size_t i)
{
	size_t k, n = ins->n;
	buf_puts(out, ",\"events_by_city\":");
	S_json_split(out, ins->cities, ins->ncities, ins->by_city, n, i);
	buf_printf(out, ",\"events_no_city\":%lld,\"events_by_kind\":", ins->by_city[ins->ncities * n + i]);
	S_json_split(out, ins->kinds, ins->nkinds, ins->by_kind, n, i);
	buf_printf(out, ",\"events_no_kind\":%lld,\"talks_at_events\":%lld,\"talks_per_event\":",
		   ins->by_kind[ins->nkinds * n + i], ins->talks[i]);
	S_mean(out, ins->talks[i], S_held_in(ins, i), 1);
	buf_puts(out, ",\"events_by_talks\":{");
	for (k = 0; k < INSIGHTS_TALK_BINS; k++)
		buf_printf(out, "%s\"%s\":%lld", k ? "," : "", S_bin_keys[k], ins->talk_bins[k * n + i]);
	buf_printf(out,
		   "},\"questions_answered\":%lld,\"questions_open\":%lld,\"originals\":%lld,"
		   "\"translation_coverage\":{",
		   ins->answered[i], ins->open[i], ins->originals[i]);
	for (k = 0; k < ins->nlangs; k++) {
		buf_puts(out, k ? "," : "");
		S_json_str(out, ins->langs[k]->code);
		buf_printf(out, ":{\"current\":%lld,\"outdated\":%lld,\"coverage\":", ins->current[k * n + i],
			   ins->behind[k * n + i]);
		S_share(out, ins->current[k * n + i], ins->originals[i], 1);
		buf_putc(out, '}');
	}
	buf_putc(out, '}');
}

void insights_csv(struct buf *out, const struct insights *ins)
{
	struct buf name = BUF_INIT;
	size_t i, t;
	buf_puts(out, "period,commits,active_contributors,new_contributors,translations_added,events_held");
	for (t = 0; t < ins->ntypes; t++) {
		buf_reset(&name);
		buf_printf(&name, "added_%s", ins->types[t]);
		buf_putc(out, ',');
		S_csv_field(out, buf_cstr(&name));
	}
	buf_puts(out, ",top_contributor,top_contributor_commits");
	S_more_csv_head(out, ins);
	buf_puts(out, "\r\n");
	for (i = 0; i < ins->n; i++) {
		buf_printf(out, "%s,%lld,%lld,%lld,%lld,%lld", ins->labels[i], ins->commits[i],
			   ins->active[i], ins->newcomers[i], ins->translations[i], ins->events[i]);
		for (t = 0; t < ins->ntypes; t++)
			buf_printf(out, ",%lld", ins->added[t * ins->n + i]);
		buf_putc(out, ',');
		S_csv_field(out, ins->top[i]);
		buf_printf(out, ",%lld", ins->top_commits[i]);
		S_more_csv_row(out, ins, i);
		buf_puts(out, "\r\n");
	}
	buf_release(&name);
}

void insights_json(struct buf *out, const struct insights *ins)
{
	size_t i, t;
	buf_printf(out, "{\"period\":\"%s\",\"periods\":[", ins->quarters ? "quarter" : "month");
	for (i = 0; i < ins->n; i++) {
		buf_printf(out,
			   "%s\n{\"period\":\"%s\",\"commits\":%lld,\"active_contributors\":%lld,"
			   "\"new_contributors\":%lld,\"translations_added\":%lld,\"events_held\":%lld,"
			   "\"added\":{",
			   i ? "," : "", ins->labels[i], ins->commits[i], ins->active[i], ins->newcomers[i],
			   ins->translations[i], ins->events[i]);
		for (t = 0; t < ins->ntypes; t++) {
			buf_puts(out, t ? "," : "");
			S_json_str(out, ins->types[t]);
			buf_printf(out, ":%lld", ins->added[t * ins->n + i]);
		}
		buf_puts(out, "},\"top_contributor\":");
		if (ins->top_commits[i]) {
			buf_puts(out, "{\"name\":");
			S_json_str(out, ins->top[i]);
			buf_printf(out, ",\"commits\":%lld}", ins->top_commits[i]);
		} else {
			buf_puts(out, "null");
		}
		S_more_json(out, ins, i);
		buf_putc(out, '}');
	}
	buf_puts(out, "\n]}\n");
}

static void S_html(struct buf *out, const char *s)
{
	escape_html(out, s, strlen(s));
}

static void S_number(struct buf *out, const char *name, long long v)
{
	buf_puts(out, "<div><dt>");
	S_html(out, name);
	buf_printf(out, "</dt><dd>%lld</dd></div>", v);
}

void insights_year_html(struct buf *out, const struct insights *ins, size_t y, const char *const *hrefs,
			const struct insights_year_words *w)
{
	const struct insights_year *yr = &ins->years[y];
	struct chart c;
	const char *series[1];
	char id[32];
	size_t i;

	buf_puts(out, "<dl class=\"year-numbers\">");
	S_number(out, w->commits, yr->commits);
	S_number(out, w->active, yr->active);
	S_number(out, w->newcomers, yr->newcomers);
	S_number(out, w->translations, yr->translations);
	S_number(out, w->events, yr->events);
	buf_puts(out, "</dl>\n");

	buf_puts(
		out,
		"<section class=\"insights-chart\" aria-labelledby=\"year-added-h\">\n<h2 id=\"year-added-h\">");
	S_html(out, w->added);
	buf_puts(out, "</h2>\n<div class=\"table-wrap\"><table class=\"year-table\">\n<tbody>\n");
	for (i = 0; i < ins->ntypes; i++) {
		if (!yr->added[i])
			continue;
		buf_puts(out, "<tr><th scope=\"row\">");
		S_html(out, ins->types[i]);
		buf_printf(out, "</th><td class=\"num\">%lld</td></tr>\n", yr->added[i]);
	}
	buf_puts(out, "<tr><th scope=\"row\">");
	S_html(out, w->translations);
	buf_printf(out, "</th><td class=\"num\">%lld</td></tr>\n</tbody>\n</table></div>\n</section>\n",
		   yr->translations);

	/* the year's months (or quarters): a slice of the site's periods */
	memset(&c, 0, sizeof(c));
	snprintf(id, sizeof(id), "year-%d-commits", yr->year);
	c.id = id;
	c.title = w->commits;
	c.desc = w->commits_desc;
	c.xhead = w->period;
	c.labels = ins->labels + yr->p0;
	c.n = yr->np;
	series[0] = w->commits;
	c.series = series;
	c.nseries = 1;
	c.values = ins->commits + yr->p0;
	S_chart_section(out, &c, "year-commits-h");

	buf_puts(out,
		 "<section class=\"insights-top\" aria-labelledby=\"year-top-h\">\n<h2 id=\"year-top-h\">");
	S_html(out, w->top);
	buf_puts(
		out,
		"</h2>\n<div class=\"table-wrap\"><table>\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">");
	S_html(out, w->contributor);
	buf_puts(out, "</th><th scope=\"col\" class=\"num\">");
	S_html(out, w->commits);
	buf_puts(out, "</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < yr->ntop; i++) {
		const char *href = hrefs ? hrefs[i] : yr->top[i].href;
		buf_printf(out, "<tr><td>%zu</td><th scope=\"row\">", i + 1);
		if (href) { /* their own year (personyear.c) */
			buf_puts(out, "<a href=\"");
			S_html(out, href);
			buf_puts(out, "\">");
		}
		S_html(out, yr->top[i].name);
		if (href)
			buf_puts(out, "</a>");
		buf_printf(out, "</th><td class=\"num\">%lld</td></tr>\n", yr->top[i].commits);
	}
	buf_puts(out, "</tbody>\n</table></div>\n</section>\n");
}
