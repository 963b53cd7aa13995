/*
 * insights: the community's numbers per period, their charts and their
 * data files (insights.h). Everything is counted in one pass over the
 * walk's commits and one over the pages: no second walk of the repository.
 */
#include "insights.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
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

/* Days since 1970 of an instant in the site's time zone. */
static long long S_day(const struct site *site, long long t)
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
		if (!S_in(sp, S_month(S_day(site, c->time))))
			continue;
		p = S_period(sp, S_month(S_day(site, c->time)));
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

void insights_build(struct site *site, const struct history *h)
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
		limit = S_month(S_day(site, newest));
	}
	for (i = 0; i < hf.ncommits; i++)
		if (hf.commits[i].content)
			S_widen(&sp, S_month(S_day(site, hf.commits[i].time)), limit, &any);
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
		if (pg->created != LLONG_MIN && pg->type && S_in(&sp, S_month(S_day(site, pg->created)))) {
			size_t p = S_period(&sp, S_month(S_day(site, pg->created)));
			if (!pg->lang->is_default)
				ins->translations[p]++;
			else
				ins->added[(type_slot[pg->type - site->types.v] - 1) * ins->n + p]++;
		}
		if (S_held(site, pg) && S_in(&sp, S_month(pg->date)))
			ins->events[S_period(&sp, S_month(pg->date))]++;
	}
	free(type_slot);
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
	buf_puts(out, ",top_contributor,top_contributor_commits\r\n");
	for (i = 0; i < ins->n; i++) {
		buf_printf(out, "%s,%lld,%lld,%lld,%lld,%lld", ins->labels[i], ins->commits[i],
			   ins->active[i], ins->newcomers[i], ins->translations[i], ins->events[i]);
		for (t = 0; t < ins->ntypes; t++)
			buf_printf(out, ",%lld", ins->added[t * ins->n + i]);
		buf_putc(out, ',');
		S_csv_field(out, ins->top[i]);
		buf_printf(out, ",%lld\r\n", ins->top_commits[i]);
	}
	buf_release(&name);
}

static void S_json_str(struct buf *out, const char *s)
{
	buf_putc(out, '"');
	escape_json(out, s, strlen(s));
	buf_putc(out, '"');
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

void insights_year_html(struct buf *out, const struct insights *ins, size_t y,
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
		buf_printf(out, "<tr><td>%zu</td><th scope=\"row\">", i + 1);
		if (yr->top[i].href) { /* their own year (personyear.c) */
			buf_puts(out, "<a href=\"");
			S_html(out, yr->top[i].href);
			buf_puts(out, "\">");
		}
		S_html(out, yr->top[i].name);
		if (yr->top[i].href)
			buf_puts(out, "</a>");
		buf_printf(out, "</th><td class=\"num\">%lld</td></tr>\n", yr->top[i].commits);
	}
	buf_puts(out, "</tbody>\n</table></div>\n</section>\n");
}
