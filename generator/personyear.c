/*
 * personyear: each person's years in review (personyear.h). Every dated
 * contribution of a person becomes one record (a commit, a page written or
 * translated, a question answered, a talk, an event organised or
 * volunteered at), from one pass over the walk's commits, one over the
 * pages and their references; the records sorted by person and day are
 * then swept once per person: its years, their sums, points by each year's
 * end, the active ISO weeks and their longest run. No second walk: the
 * answering commit of a question is read from the blobs the walk recorded
 * (history_since), and only where it decides who answered or when a bounty
 * was earned.
 */
#include "personyear.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "contributors.h"
#include "escape.h"
#include "history.h"
#include "insights.h"
#include "types.h"

/* Working state of personyear_build. */
struct pyb {
	struct site *site;
	struct hist_found w;
	long *slot;                  /* page index -> person slot, -1 for none */
	const struct page **persons; /* slot -> default-language person page */
	size_t npersons;
	struct py_act *acts;
	size_t nacts, cap;
	long long limit;        /* no day after it counts: the later of the build time and head's commit */
	long long *type_points; /* per type index: contributors.points */
	long long translation_points, commit_points;
	const struct page **commit_page; /* per commit: a page it changed (the first by path), or NULL */
};

static int S_year_of(long long day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	return y;
}

/* The ISO week of a day: weeks since the Monday 1969-12-29 (floor). */
static long long S_week(long long day)
{
	return day + 3 >= 0 ? (day + 3) / 7 : -((-(day + 3) + 6) / 7);
}

/* The slot of a person page (any language), or -1. */
static long S_person(const struct pyb *b, const struct page *pg)
{
	const struct page *p;
	if (!pg || !pg->type || !pg->type->roles.person)
		return -1;
	/* a reference names the page of its own language: the default one's is that page */
	if (pg->lang == b->site->cfg->default_lang && pg >= b->site->pages &&
	    pg < b->site->pages + b->site->npages)
		p = pg;
	else
		p = model_find(b->site, pg->section, pg->id, b->site->cfg->default_lang);
	return p ? b->slot[p - b->site->pages] : -1;
}

static void S_act(struct pyb *b, long who, long long day, enum py_kind kind, long long points,
		  const struct page *pg)
{
	struct py_act *a;
	/* years 1..9999 only: a date may claim any day, the pages' URLs have four digits */
	if (who < 0 || day > b->limit || day < days_from_civil(1, 1, 1) ||
	    day > days_from_civil(9999, 12, 31))
		return;
	ARRAY_GROW(b->acts, b->nacts, b->cap, 256);
	a = &b->acts[b->nacts++];
	a->day = day;
	a->kind = kind;
	a->points = points;
	a->pg = pg;
	a->who = (size_t)who;
}

/* The person slot of each identity of commit c into out (distinct, persons only); returns how many. */
static size_t S_commit_people(const struct pyb *b, const struct hist_commit *c, long *out)
{
	size_t i, k, n = 0;
	for (i = 0; i < c->nidents; i++) {
		const struct page *p = b->site->ident_people[b->w.idents_of[c->ident0 + i]];
		long s = p ? b->slot[p - b->site->pages] : -1;
		if (s < 0)
			continue;
		for (k = 0; k < n && out[k] != s; k++)
			;
		if (k == n)
			out[n++] = s;
	}
	return n;
}

/* Every person page of the default language gets a slot, in page order. */
static void S_slots(struct pyb *b)
{
	struct site *site = b->site;
	size_t i;

	b->slot = xmalloc((site->npages ? site->npages : 1) * sizeof(*b->slot));
	b->persons = xmalloc((site->npages ? site->npages : 1) * sizeof(*b->persons));
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		b->slot[i] = -1;
		if (pg->type && pg->type->roles.person && pg->lang->is_default) {
			b->slot[i] = (long)b->npersons;
			b->persons[b->npersons++] = pg;
		}
	}
}

/* Commits: one record per person of each commit that changed content/. */
static void S_commits(struct pyb *b, long *people)
{
	size_t i, k, n;
	for (i = 0; i < b->w.ncommits; i++) {
		const struct hist_commit *c = &b->w.commits[i];
		if (!c->content)
			continue;
		n = S_commit_people(b, c, people);
		for (k = 0; k < n; k++)
			S_act(b, people[k], insights_day(b->site, c->time), PY_COMMIT, b->commit_points,
			      b->commit_page[i]);
	}
}

/*
 * A page's records: written or translated (its first commit's people, the
 * points contributors.c gives), the question it answers, and the people
 * its fields name as speakers, organisers, volunteers (dated items held).
 */
static void S_page(struct pyb *b, struct history *h, const struct page *pg, long *people, size_t maxid)
{
	struct site *site = b->site;
	const struct hist_file *f = history_page_file(h, pg);
	const struct type *ty = pg->type;
	size_t i, k, n, nans = 0;
	long *ans = NULL;

	if (f && f->created >= 0) {
		const struct hist_commit *c = &b->w.commits[f->created];
		long long pts = !pg->lang->is_default ? b->translation_points
				: ty                  ? b->type_points[ty - site->types.v]
						      : 0;
		n = S_commit_people(b, c, people);
		for (k = 0; k < n; k++)
			S_act(b, people[k], insights_day(site, c->time),
			      pg->lang->is_default ? PY_WRITTEN : PY_TRANSLATED, pts, pg);
	}
	if (!ty || !pg->lang->is_default)
		return;
	for (i = 0; i < ty->nfields; i++) {
		const struct fval *fv = &pg->vals[i];
		enum py_kind kind;
		if (!ty->fields[i].to_person)
			continue;
		switch (ty->fields[i].people) {
		case PEOPLE_SPEAKER: kind = PY_TALK; break;
		case PEOPLE_ORGANIZER: kind = PY_ORGANISED; break;
		case PEOPLE_VOLUNTEER: kind = PY_VOLUNTEERED; break;
		case PEOPLE_AUTHOR:
			if (ty->roles.question && !pg->open)
				for (k = 0; k < fv->nrefs; k++) {
					long s = S_person(b, fv->refs[k]);
					size_t j;
					for (j = 0; j < nans && ans[j] != s; j++)
						;
					if (s >= 0 && j == nans) {
						if (!ans)
							ans = xmalloc((fv->nrefs + maxid) * sizeof(*ans));
						ans[nans++] = s;
					}
				}
			continue;
		default: continue;
		}
		/* given, held: dated, and not after today */
		if (pg->date == LLONG_MIN || pg->date > site->today)
			continue;
		for (k = 0; k < fv->nrefs; k++)
			S_act(b, S_person(b, fv->refs[k]), pg->date, kind, 0, pg);
	}
	if (ty->roles.question && !pg->open) {
		int named = 0;
		long long day = pg->created != LLONG_MIN ? insights_day(site, pg->created) : pg->date;
		for (i = 0; i < ty->nfields && !named; i++)
			named = ty->fields[i].people == PEOPLE_AUTHOR && ty->fields[i].to_person &&
				pg->vals[i].nrefs;
		/* the answering commit: when it names who answered, or dates a bounty */
		if (pg->bounty || !named) {
			long ci = contributors_answered_at(h, pg);
			if (ci >= 0) {
				day = insights_day(site, b->w.commits[ci].time);
				if (!named) {
					if (!ans)
						ans = xmalloc((maxid ? maxid : 1) * sizeof(*ans));
					nans = S_commit_people(b, &b->w.commits[ci], ans);
				}
			}
		}
		for (k = 0; day != LLONG_MIN && k < nans; k++)
			S_act(b, ans[k], day, PY_ANSWER, pg->bounty, pg);
	}
	free(ans);
}

/* Each commit's page: the first file by path among those it changed, for a first contribution. */
static void S_commit_pages(struct pyb *b, const struct history *h)
{
	struct site *site = b->site;
	size_t i, k;

	b->commit_page = xcalloc(b->w.ncommits ? b->w.ncommits : 1, sizeof(*b->commit_page));
	for (i = 0; i < site->npages; i++) {
		const struct hist_file *f = history_page_file(h, &site->pages[i]);
		for (k = 0; f && k < f->nt; k++) {
			long c = b->w.touch_commit[f->t0 + k];
			if (c >= 0 && !b->commit_page[c])
				b->commit_page[c] = &site->pages[i]; /* pages come by path */
		}
	}
}

static int S_act_cmp(const void *pa, const void *pb)
{
	const struct py_act *a = pa, *b = pb;
	if (a->who != b->who)
		return a->who < b->who ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	/* every record's page is one of site->pages, which are by path: their
	   places are the paths' order, no path compared */
	if (a->pg != b->pg) {
		if (!a->pg || !b->pg)
			return a->pg ? 1 : -1;
		return a->pg < b->pg ? -1 : 1;
	}
	return 0;
}

/*
 * The records in S_act_cmp's order into out: each one's key packed in 64
 * bits (person, day since 0001-01-01, kind, page place + 1) and sorted by
 * radix, a byte a pass, not 20,000 records compared through qsort. Records
 * with the same key are the same record (the page and kind decide the
 * points), so their order does not matter. Returns -1 when the keys do not
 * fit (a site of more than some 100,000 pages): the caller sorts.
 */
struct py_key {
	uint64_t key;
	size_t at;
};

static unsigned S_bits(uint64_t n)
{
	unsigned b = 0;
	while (b < 64 && (n >> b))
		b++;
	return b;
}

static int S_sort_acts(const struct pyb *b, struct py_act *out)
{
	const long long lo = days_from_civil(1, 1, 1);
	unsigned pbits = S_bits((uint64_t)b->site->npages + 1), wbits = S_bits(b->npersons), bits, shift;
	struct py_key *v, *tmp;
	size_t i, count[256];

	bits = wbits + 22 + 3 + pbits;
	if (bits > 64 || PY_KINDS > 8)
		return -1;
	v = xmalloc(b->nacts * sizeof(*v));
	tmp = xmalloc(b->nacts * sizeof(*tmp));
	for (i = 0; i < b->nacts; i++) {
		const struct py_act *a = &b->acts[i];
		uint64_t pgi = a->pg ? (uint64_t)(a->pg - b->site->pages) + 1 : 0;
		v[i].key = ((((uint64_t)a->who << 22 | (uint64_t)(a->day - lo)) << 3 | (uint64_t)a->kind)
			    << pbits) |
			   pgi;
		v[i].at = i;
	}
	for (shift = 0; shift < bits; shift += 8) {
		size_t sum = 0, c;
		struct py_key *t;
		memset(count, 0, sizeof(count));
		for (i = 0; i < b->nacts; i++)
			count[(v[i].key >> shift) & 255]++;
		if (count[(v[0].key >> shift) & 255] == b->nacts)
			continue; /* one value of this byte: the order stays */
		for (i = 0; i < 256; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < b->nacts; i++)
			tmp[count[(v[i].key >> shift) & 255]++] = v[i];
		t = v;
		v = tmp;
		tmp = t;
	}
	for (i = 0; i < b->nacts; i++)
		out[i] = b->acts[v[i].at];
	free(v);
	free(tmp);
	return 0;
}

static int S_title(const struct site *site, long long points)
{
	int t = -1;
	size_t k;
	for (k = 0; k < site->ntitles && site->titles[k].min <= points; k++)
		t = (int)k;
	return t;
}

/*
 * The active weeks of one person's records acts[0, n) into their years
 * ys[0, ny): a week counts for the year of its Thursday (ISO 8601), when
 * the person has that year.
 */
static void S_weeks(struct person_year *ys, size_t ny, const struct py_act *acts, size_t n)
{
	long long prev = LLONG_MIN, run = 0, run_start = 0;
	size_t i, y = 0;

	for (i = 0; i < n; i++) {
		long long w = S_week(acts[i].day);
		int iso;
		if (w == prev)
			continue;
		iso = S_year_of(w * 7); /* the week's Thursday */
		while (y < ny && ys[y].year < iso)
			y++;
		if (y == ny)
			break;
		if (ys[y].year != iso) {
			prev = LLONG_MIN;
			continue;
		}
		if (prev != LLONG_MIN && w == prev + 1 && S_year_of(prev * 7) == iso) {
			run++;
		} else {
			run = 1;
			run_start = w;
		}
		prev = w;
		ys[y].active_weeks++;
		if (run > ys[y].streak) {
			ys[y].streak = run;
			ys[y].streak_start = run_start * 7 - 3; /* Monday */
			ys[y].streak_end = w * 7 + 3;           /* Sunday */
		}
	}
}

/* Sweeps the sorted records into each person's years. */
static void S_years(struct pyb *b)
{
	struct site *site = b->site;
	struct person_year *v = NULL;
	size_t n = 0, cap = 0, i, j, k;

	for (i = 0; i < b->nacts; i = j) {
		size_t first_year = n;
		long long total = 0;
		for (j = i; j < b->nacts && b->acts[j].who == b->acts[i].who; j++)
			;
		for (k = i; k < j;) {
			struct person_year *py;
			int year = S_year_of(b->acts[k].day);
			/* the records are by day: the year's are those before the next one's first day */
			long long next = days_from_civil(year + 1, 1, 1);
			ARRAY_GROW(v, n, cap, 64);
			py = &v[n++];
			memset(py, 0, sizeof(*py));
			py->person = b->persons[b->acts[i].who];
			py->year = year;
			py->first = &b->acts[i];
			py->acts = &b->acts[k];
			for (; k < j && b->acts[k].day < next; k++) {
				const struct py_act *a = &b->acts[k];
				py->n[a->kind]++;
				py->points += a->points;
				if (a->kind == PY_ANSWER)
					py->bounty_points += a->points;
				py->nacts++;
			}
			total += py->points;
			py->points_total = total;
			py->title = S_title(site, total);
		}
		S_weeks(v + first_year, n - first_year, b->acts + i, j - i);
	}
	site->person_years = v ? arena_alloc(&site->arena, n * sizeof(*v)) : NULL;
	if (v)
		memcpy(site->person_years, v, n * sizeof(*v));
	site->nperson_years = n;
	free(v);
}

/* /contributors/YEAR/'s top contributors who are people: a link to their own year. */
static void S_top_links(struct site *site)
{
	struct insights *ins = site->insights;
	size_t y, i;

	for (y = 0; ins && y < ins->nyears; y++)
		for (i = 0; i < ins->years[y].ntop; i++) {
			struct insights_person *t = &ins->years[y].top[i];
			if (t->person && personyear_find(site, t->person, ins->years[y].year))
				t->href = arena_printf(&site->arena, "%s%d/", t->person->href,
						       ins->years[y].year);
		}
}

void personyear_build(struct site *site, struct history *h)
{
	struct pyb b;
	size_t i, maxid = 1;
	long *people;

	memset(&b, 0, sizeof(b));
	b.site = site;
	history_found(h, &b.w);
	if (!b.w.read)
		memset(&b.w, 0, sizeof(b.w));
	S_slots(&b);
	if (!b.npersons)
		goto done;
	b.limit = site->today != LLONG_MAX ? site->today : LLONG_MAX - 1;
	if (b.w.ncommits && insights_day(site, b.w.commits[0].ctime) > b.limit)
		b.limit = insights_day(site, b.w.commits[0].ctime);
	if (b.limit == LLONG_MAX - 1)
		b.limit = days_from_civil(9999, 12, 31);
	b.type_points = xcalloc(site->types.n + 1, sizeof(*b.type_points));
	for (i = 0; i < site->npoints; i++)
		if (site->points[i].type)
			b.type_points[site->points[i].type - site->types.v] = site->points[i].points;
	if (site->npoints >= 2) {
		b.translation_points = site->points[site->npoints - 2].points;
		b.commit_points = site->points[site->npoints - 1].points;
	}
	for (i = 0; i < b.w.ncommits; i++)
		if (b.w.commits[i].nidents > maxid)
			maxid = b.w.commits[i].nidents;
	people = xmalloc(maxid * sizeof(*people));
	S_commit_pages(&b, h);
	if (site->ident_people)
		S_commits(&b, people);
	for (i = 0; i < site->npages; i++)
		S_page(&b, h, &site->pages[i], people, maxid);
	free(people);
	if (b.nacts) {
		struct py_act *kept = arena_alloc(&site->arena, b.nacts * sizeof(*kept));
		if (S_sort_acts(&b, kept) < 0) {
			qsort(b.acts, b.nacts, sizeof(*b.acts), S_act_cmp);
			memcpy(kept, b.acts, b.nacts * sizeof(*kept));
		}
		free(b.acts);
		b.acts = kept;
		S_years(&b);
		b.acts = NULL;
	}
	S_top_links(site);
done:
	free(b.acts);
	free(b.commit_page);
	free(b.type_points);
	free(b.slot);
	free(b.persons);
}

const struct person_year *personyear_of(const struct site *site, const struct page *person, size_t *n)
{
	const struct page *p;
	size_t lo = 0, hi = site->nperson_years, end;

	*n = 0;
	if (!person || !site->nperson_years)
		return NULL;
	p = model_find(site, person->section, person->id, site->cfg->default_lang);
	if (!p)
		return NULL;
	/* by person page (the pages' order), then year */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (site->person_years[mid].person < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < site->nperson_years && site->person_years[end].person == p; end++)
		;
	*n = end - lo;
	return *n ? &site->person_years[lo] : NULL;
}

const struct person_year *personyear_find(const struct site *site, const struct page *person, int year)
{
	size_t n, i;
	const struct person_year *v = personyear_of(site, person, &n);
	for (i = 0; i < n; i++)
		if (v[i].year == year)
			return &v[i];
	return NULL;
}

/* --- the page --------------------------------------------------------------- */

static void S_html(struct buf *out, const char *s)
{
	escape_html(out, s, strlen(s));
}

static void S_date(struct buf *out, long long day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	buf_printf(out, "<time datetime=\"%04d-%02d-%02d\">%04d-%02d-%02d</time>", y, m, d, y, m, d);
}

static void S_number(struct buf *out, const char *name, long long v)
{
	buf_puts(out, "<div><dt>");
	S_html(out, name);
	buf_printf(out, "</dt><dd>%lld</dd></div>", v);
}

/*
 * A link to pg in lang when it is translated there (own: to pg itself, a
 * translation made), else to pg, marked with its language.
 */
static void S_link(struct buf *out, const struct site *site, const struct page *pg, size_t lang, int own)
{
	const struct lang *l = &site->cfg->langs[lang];
	const struct page *t = pg->lang == l || own ? pg : page_in_lang(pg, l);
	if (!t)
		t = pg;
	buf_puts(out, "<a href=\"");
	S_html(out, t->href);
	buf_puts(out, "\"");
	if (t->lang != l)
		buf_printf(out, " lang=\"%s\" hreflang=\"%s\"", t->lang->tag, t->lang->tag);
	buf_puts(out, ">");
	S_html(out, t->title);
	buf_puts(out, "</a>");
}

/* The year's contributions of one kind, by day, as a section; none when it has none. */
static void S_list(struct buf *out, const struct site *site, const struct person_year *py, size_t lang,
		   enum py_kind kind, const char *heading)
{
	size_t i;
	if (!py->n[kind])
		return;
	buf_printf(out,
		   "<section class=\"related-section\" aria-labelledby=\"py-%d-h\">\n<h2 id=\"py-%d-h\">",
		   (int)kind, (int)kind);
	S_html(out, heading);
	buf_puts(out, "</h2>\n<ul class=\"link-list\">");
	for (i = 0; i < py->nacts; i++) {
		const struct py_act *a = &py->acts[i];
		if (a->kind != kind || !a->pg)
			continue;
		buf_puts(out, "<li>");
		S_link(out, site, a->pg, lang, kind == PY_TRANSLATED);
		buf_puts(out, " <span class=\"link-note\">");
		S_date(out, a->day);
		buf_puts(out, "</span>");
		if (kind == PY_ANSWER && a->points)
			buf_printf(out, " <span class=\"badge help-urgent\">+%lld</span>", a->points);
		buf_puts(out, "</li>");
	}
	buf_puts(out, "</ul>\n</section>\n");
}

/*
 * The streak's sentence: span (the theme's, escaped) with {weeks}, {from}
 * and {to} filled in; a name it does not know is written as it is.
 */
static void S_span(struct buf *out, const char *span, const struct person_year *py)
{
	const char *p = span, *q;
	while ((q = strchr(p, '{')) != NULL) {
		escape_html(out, p, (size_t)(q - p));
		if (strncmp(q, "{weeks}", 7) == 0) {
			buf_printf(out, "<strong>%lld</strong>", py->streak);
			p = q + 7;
		} else if (strncmp(q, "{from}", 6) == 0) {
			S_date(out, py->streak_start);
			p = q + 6;
		} else if (strncmp(q, "{to}", 4) == 0) {
			S_date(out, py->streak_end);
			p = q + 4;
		} else {
			escape_html(out, q, 1);
			p = q + 1;
		}
	}
	S_html(out, p);
}

void personyear_html(struct buf *out, const struct site *site, const struct person_year *py, size_t lang,
		     const struct personyear_words *w)
{
	const struct lang *l = &site->cfg->langs[lang];

	buf_puts(out, "<section class=\"person-year-numbers\" aria-labelledby=\"py-numbers-h\">\n"
		      "<h2 id=\"py-numbers-h\">");
	S_html(out, w->numbers);
	buf_puts(out, "</h2>\n<dl class=\"year-numbers\">");
	S_number(out, w->points, py->points);
	if (py->title >= 0) {
		const struct ynode *name = site->titles[py->title].name, *v = name;
		if (name->kind == YNODE_MAP && !(v = ynode_get(name, l->code)) &&
		    !(v = ynode_get(name, site->cfg->default_lang->code)))
			v = name->n ? name->kids[1] : NULL;
		if (v && v->kind == YNODE_SCALAR) {
			buf_puts(out, "<div><dt>");
			S_html(out, w->title);
			buf_puts(out, "</dt><dd>");
			S_html(out, v->str);
			buf_puts(out, "</dd></div>");
		}
	}
	S_number(out, w->commits, py->n[PY_COMMIT]);
	S_number(out, w->written, py->n[PY_WRITTEN]);
	S_number(out, w->translated, py->n[PY_TRANSLATED]);
	S_number(out, w->talks, py->n[PY_TALK]);
	S_number(out, w->answers, py->n[PY_ANSWER]);
	S_number(out, w->organised, py->n[PY_ORGANISED]);
	S_number(out, w->volunteered, py->n[PY_VOLUNTEERED]);
	S_number(out, w->active_weeks, py->active_weeks);
	S_number(out, w->streak, py->streak);
	buf_puts(out, "</dl>\n");
	if (py->bounty_points) {
		buf_puts(out, "<p class=\"person-year-bounty\">");
		S_html(out, w->bounty);
		buf_printf(out, " <span class=\"badge help-urgent\">+%lld</span></p>\n", py->bounty_points);
	}
	if (py->streak) {
		buf_puts(out, "<p class=\"person-year-streak\">");
		S_html(out, w->streak);
		S_html(out, w->colon);
		S_span(out, w->span, py);
		buf_puts(out, "</p>\n");
	}
	if (py->first) {
		buf_puts(out, "<p class=\"person-year-first\">");
		S_html(out, w->first);
		S_html(out, w->colon);
		S_date(out, py->first->day);
		buf_puts(out, " · ");
		S_html(out, w->kinds[py->first->kind]);
		if (py->first->pg) {
			buf_puts(out, " ");
			S_link(out, site, py->first->pg, lang, py->first->kind == PY_TRANSLATED);
		}
		buf_puts(out, "</p>\n");
	}
	buf_puts(out, "</section>\n");
	S_list(out, site, py, lang, PY_TALK, w->talks);
	S_list(out, site, py, lang, PY_ANSWER, w->answers);
	S_list(out, site, py, lang, PY_ORGANISED, w->organised);
	S_list(out, site, py, lang, PY_VOLUNTEERED, w->volunteered);
	S_list(out, site, py, lang, PY_WRITTEN, w->written);
	S_list(out, site, py, lang, PY_TRANSLATED, w->translated);
}

void personyear_links(struct buf *out, const struct person_year *years, const char *const *hrefs, size_t n,
		      int current)
{
	size_t i;
	buf_puts(out, "<ul class=\"year-links\">");
	for (i = n; i-- > 0;) {
		buf_puts(out, "<li><a href=\"");
		S_html(out, hrefs[i]);
		buf_puts(out, "\"");
		if (years[i].year == current)
			buf_puts(out, " aria-current=\"page\"");
		buf_printf(out, ">%d</a></li>", years[i].year);
	}
	buf_puts(out, "</ul>");
}
