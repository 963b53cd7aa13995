/*
 * l10n: the site is read and linked as for `jixia check` (no output is
 * written), with its history; then l10n_status (at the end of this file)
 * counts site->l10n from the pages and l10n_order ranks the missing pages
 * once the listings are built, which l10n_run prints. Text is one line
 * per fact, each starting with the language code so it greps well; JSON
 * is one object for scripts and CI. `--diff PATH` prints one outdated
 * translation's original as a unified diff (history_diff reads it), every
 * line of it escaped as diagnostics are: it is a pull request's text on a
 * terminal.
 */
#include "l10n.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "diag.h"
#include "escape.h"
#include "history.h"
#include "lists.h"
#include "model.h"
#include "site.h"
#include "suggest.h"
#include "types.h"
#include "util.h"

static int S_usage_error(const char *fmt, ...) JX_PRINTF(1, 2);
static int S_usage_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "jixia: error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nrun 'jixia l10n --help' for usage\n");
	return 2;
}

const char *const l10n_reach_names[] = { "upcoming", "home", "nav", "other" };

/* Why a missing page comes where it does, after its word count in the text report. */
static const char *const S_reach_text[] = { ", upcoming event", ", on the home page",
					    ", on the first page of its list", "" };

static unsigned S_coverage(const struct l10n_count *c)
{
	return c->originals ? (unsigned)(c->translated * 100 / c->originals) : 100;
}

/* YYYY-MM-DD of a git time (its commit's offset off), the day the pages show (model_day). */
static void S_day(char *out, size_t n, const struct site *site, long long t, int off)
{
	int y, m, d;
	civil_from_days(model_day(site, t, off), &y, &m, &d);
	snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

static void S_text(struct buf *b, const struct site *site, const struct l10n_lang *l)
{
	char day[16];
	size_t i;

	buf_printf(b, "%s: %zu of %zu translated (%u%%), %zu outdated, %zu missing\n", l->lang->code,
		   l->total.translated, l->total.originals, S_coverage(&l->total), l->total.outdated,
		   l->total.missing);
	if (l->norphans) /* the line ends as it did for sites without */
		buf_printf(b, "%s: %zu without an original\n", l->lang->code, l->norphans);
	for (i = 0; i < l->total.outdated; i++) {
		const struct page *pg = l->outdated[i];
		const struct outdated *o = pg->outdated;
		S_day(day, sizeof(day), site, o->date, o->date_off);
		buf_printf(b, "%s outdated %s: %s changed in %zu commit%s since %.10s (last %s)",
			   l->lang->code, pg->path, o->original->path, o->count, o->count == 1 ? "" : "s",
			   o->base, day);
		if (o->diff_url)
			buf_printf(b, " %s", o->diff_url);
		buf_putc(b, '\n');
	}
	for (i = 0; i < l->total.missing; i++) {
		const struct l10n_missing *m = &l->missing[i];
		buf_printf(b, "%s missing %s (original %s, %zu word%s%s)\n", l->lang->code, m->path,
			   m->page->path, m->page->words, m->page->words == 1 ? "" : "s",
			   S_reach_text[m->reach]);
	}
	for (i = 0; i < l->norphans; i++) {
		const struct l10n_orphan *o = &l->orphans[i];
		const struct page *pg = o->page;
		if (o->moved_to)
			buf_printf(b, "%s orphan %s: its original %s was moved to %s; move it to %s\n",
				   l->lang->code, pg->path, o->original, o->moved_to, o->move_to);
		else
			buf_printf(b, "%s orphan %s: its original %s does not exist\n", l->lang->code,
				   pg->path, o->original);
	}
}

static void S_jstr(struct buf *b, const char *key, const char *s)
{
	buf_printf(b, "\"%s\":\"", key);
	escape_json(b, s, strlen(s));
	buf_putc(b, '"');
}

static void S_jcount(struct buf *b, const struct l10n_count *c)
{
	buf_printf(b, "\"originals\":%zu,\"translated\":%zu,\"outdated\":%zu,\"missing\":%zu,\"coverage\":%u",
		   c->originals, c->translated, c->outdated, c->missing, S_coverage(c));
}

static void S_json(struct buf *b, const struct site *site, const struct l10n_lang *l)
{
	char day[16];
	size_t i;

	buf_putc(b, '{');
	S_jstr(b, "code", l->lang->code);
	buf_putc(b, ',');
	S_jstr(b, "name", l->lang->name);
	buf_putc(b, ',');
	S_jcount(b, &l->total);
	buf_puts(b, ",\"types\":[");
	for (i = 0; i < l->ntypes; i++) {
		buf_puts(b, i ? ",{" : "{");
		S_jstr(b, "type", l->types[i].type ? l->types[i].type->name : "");
		buf_putc(b, ',');
		S_jcount(b, &l->types[i]);
		buf_putc(b, '}');
	}
	buf_puts(b, "],\"outdated_pages\":[");
	for (i = 0; i < l->total.outdated; i++) {
		const struct page *pg = l->outdated[i];
		const struct outdated *o = pg->outdated;
		S_day(day, sizeof(day), site, o->date, o->date_off);
		buf_puts(b, i ? ",{" : "{");
		S_jstr(b, "path", pg->path);
		buf_putc(b, ',');
		S_jstr(b, "url", pg->href);
		buf_putc(b, ',');
		S_jstr(b, "original", o->original->path);
		buf_printf(b, ",\"commits\":%zu,", o->count);
		S_jstr(b, "base", o->base);
		buf_putc(b, ',');
		S_jstr(b, "head", o->head);
		buf_putc(b, ',');
		S_jstr(b, "date", day);
		if (o->diff_url) {
			buf_putc(b, ',');
			S_jstr(b, "diff_url", o->diff_url);
		}
		buf_putc(b, '}');
	}
	buf_puts(b, "],\"missing_pages\":[");
	for (i = 0; i < l->total.missing; i++) {
		const struct l10n_missing *m = &l->missing[i];
		const struct page *pg = m->page;
		buf_puts(b, i ? ",{" : "{");
		S_jstr(b, "path", pg->path);
		buf_putc(b, ',');
		S_jstr(b, "url", pg->href);
		buf_putc(b, ',');
		S_jstr(b, "type", pg->type ? pg->type->name : "");
		buf_putc(b, ',');
		S_jstr(b, "create", m->path);
		buf_printf(b, ",\"words\":%zu,", pg->words);
		S_jstr(b, "reach", l10n_reach_names[m->reach]);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
	/* only when there are some: the reports of sites without stay as they were */
	for (i = 0; i < l->norphans; i++) {
		const struct l10n_orphan *o = &l->orphans[i];
		const struct page *pg = o->page;
		buf_puts(b, i ? ",{" : ",\"orphan_pages\":[{");
		S_jstr(b, "path", pg->path);
		buf_putc(b, ',');
		S_jstr(b, "url", pg->href);
		buf_putc(b, ',');
		S_jstr(b, "original", o->original);
		if (o->moved_to) {
			buf_putc(b, ',');
			S_jstr(b, "moved_to", o->moved_to);
			buf_putc(b, ',');
			S_jstr(b, "move_to", o->move_to);
		}
		buf_putc(b, '}');
	}
	buf_puts(b, l->norphans ? "]}" : "}");
}

/* --lang names a language of site.yaml other than the default: 0, or 2 after a usage error. */
static int S_check_lang(const struct config *cfg, const char *lang)
{
	const struct lang *l;
	struct buf hint = BUF_INIT;
	int rc;

	if (!lang)
		return 0;
	if (!(l = config_lang(cfg, lang, strlen(lang)))) {
		rc = S_usage_error("--lang '%s' is not a language of site.yaml%s", lang,
				   suggest_hint(&hint, config_lang_near(cfg, lang, strlen(lang))));
		buf_release(&hint);
		return rc;
	}
	if (l->is_default)
		return S_usage_error("--lang '%s' is the default language: translations are into the others",
				     lang);
	return 0;
}

/* The report of each language (or only opts->lang) into out, as text or JSON. */
static void S_report(struct buf *out, const struct site *site, const struct l10n_opts *opts)
{
	size_t i;
	int first = 1;

	if (opts->json)
		buf_puts(out, "{\"languages\":[");
	for (i = 0; i < site->nl10n; i++) {
		const struct l10n_lang *l = &site->l10n[i];
		if (opts->lang && strcmp(opts->lang, l->lang->code) != 0)
			continue;
		if (opts->json) {
			if (!first)
				buf_putc(out, ',');
			S_json(out, site, l);
		} else {
			S_text(out, site, l);
		}
		first = 0;
	}
	if (opts->json)
		buf_puts(out, "]}\n");
	else if (!site->nl10n)
		fprintf(stderr, "jixia: the site has one language: nothing to translate\n");
}

/* The page of the file path names: as the report lists it, or under the site folder dir. */
static const struct page *S_find_page(const struct site *site, const char *dir, const char *path)
{
	size_t n = strlen(dir), i;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	while (str_starts(path, "./"))
		path += 2;
	if (strcmp(dir, ".") != 0 && strncmp(path, dir, n) == 0 && path[n] == '/')
		path += n + 1;
	for (i = 0; i < site->npages; i++)
		if (strcmp(site->pages[i].path, path) == 0)
			return &site->pages[i];
	return NULL;
}

/*
 * --diff PATH: the diff of PATH's original since the version PATH follows,
 * each line escaped for the terminal. Returns the exit code: 0, or 2 when
 * PATH is not an outdated translation or the repository cannot be read.
 */
static int S_diff(struct buf *out, const struct site *site, const struct l10n_opts *opts)
{
	const struct page *pg = S_find_page(site, opts->dir, opts->diff);
	struct buf patch = BUF_INIT;
	size_t i, end;

	if (!pg) {
		diag_error(NULL, 0, 0,
			   "'%s' is not a page of the site: give a translation's path as 'jixia l10n' "
			   "lists it (content/...)",
			   opts->diff);
		return 2;
	}
	if (pg->lang->is_default) {
		diag_error(NULL, 0, 0, "%s is in the default language (%s): an original, not a translation",
			   pg->path, pg->lang->code);
		return 2;
	}
	if (!pg->outdated) {
		diag_error(NULL, 0, 0, "%s is not outdated: %s", pg->path,
			   site->history ? "its original has not changed since the version it follows"
					 : "without git history nothing is known to be");
		return 2;
	}
	if (history_diff(&patch, site->src, pg->outdated)) {
		buf_release(&patch);
		return 2;
	}
	for (i = 0; i < patch.len; i = end + 1) {
		const char *nl = memchr(patch.ptr + i, '\n', patch.len - i);
		end = nl ? (size_t)(nl - patch.ptr) : patch.len;
		diag_clean_line(out, patch.ptr + i, end - i);
		buf_putc(out, '\n');
	}
	buf_release(&patch);
	return 0;
}

int l10n_run(const struct l10n_opts *opts)
{
	struct site_opts lo;
	struct loaded_site ls;
	struct lists lists;
	struct buf out = BUF_INIT;
	int code;

	memset(&lo, 0, sizeof(lo));
	memset(&ls, 0, sizeof(ls));
	memset(&lists, 0, sizeof(lists));
	lo.dir = opts->dir;
	lo.ref = opts->ref;
	/* a report for a person, not an output: today is the clock's unless told */
	lo.now = opts->now >= 0 ? opts->now : (long long)time(NULL);
	lo.walk = 1;
	if ((code = site_load(&ls, &lo, SITE_CONFIG)) || (code = S_check_lang(&ls.cfg, opts->lang)))
		goto done;
	site_load(&ls, &lo, SITE_MODEL);
	l10n_status(&ls.site);
	if (opts->diff) {
		code = S_diff(&out, &ls.site, opts);
	} else {
		lists_build(&lists, &ls.site);
		l10n_order(&ls.site, &lists);
		S_report(&out, &ls.site, opts);
		code = diag_errors() > 0 ? 1 : 0;
	}
	fwrite(buf_cstr(&out), 1, out.len, stdout);
done:
	diag_flush(stderr, DIAG_TEXT);
	buf_release(&out);
	lists_release(&lists);
	site_release(&ls);
	return code;
}

/* --- translation status ----------------------------------------------- */

/* The file the translation of pg (a default-language page) into lang goes into. */
static const char *S_translation_path(struct site *site, const struct page *pg, const struct lang *lang)
{
	const char *p = pg->path, *rest;
	size_t n = strlen(p), nc = strlen(lang->code);
	char *r;

	/* content/zh/faq/x.md -> content/en/faq/x.md: every file is in a language's folder */
	if (site->cfg->trans_layout == TRANS_DIR && (rest = strchr(p + strlen("content/"), '/')) != NULL)
		return arena_printf(&site->arena, "content/%s%s", lang->code, rest);
	/* content/faq/x.md -> content/faq/x.en.md, and index.md -> index.en.md in a bundle
	   (pieced together: one per missing translation, thousands) */
	r = arena_alloc(&site->arena, n + nc + 2);
	memcpy(r, p, n - 3);
	r[n - 3] = '.';
	memcpy(r + n - 2, lang->code, nc);
	memcpy(r + n - 2 + nc, ".md", 4);
	return r;
}

/*
 * A translation with no original beside it: the file it translates and,
 * when history saw that file renamed to a page that is there, where the
 * translation goes to follow it.
 */
static void S_orphan(struct site *site, struct l10n_orphan *out, const struct page *pg)
{
	const struct page *to;

	out->page = pg;
	out->original = model_original_path(site, pg);
	out->moved_to = out->move_to = NULL;
	if (pg->original_moved &&
	    (to = model_page_at(site, pg->original_moved, strlen(pg->original_moved))) != NULL) {
		out->moved_to = to->path;
		out->move_to = S_translation_path(site, to, pg->lang);
	}
}

/* One language's counts per type, and its outdated and missing pages. */
static void S_l10n_lang(struct site *site, struct l10n_lang *ll, const struct type **ranked)
{
	size_t nt = site->types.n, i, k, *row = xmalloc((nt + 1) * sizeof(*row));
	struct l10n_count *c = xcalloc(nt + 1, sizeof(*c));

	for (i = 0; i < nt; i++)
		row[ranked[i] - site->types.v] = i;
	ll->outdated = arena_alloc(&site->arena, (site->npages ? site->npages : 1) * sizeof(*ll->outdated));
	ll->missing = arena_alloc(&site->arena, (site->npages ? site->npages : 1) * sizeof(*ll->missing));
	ll->orphans = arena_alloc(&site->arena, (site->npages ? site->npages : 1) * sizeof(*ll->orphans));
	for (i = 0; i < site->npages; i++) {
		struct page *pg = &site->pages[i], *t;
		struct l10n_count *r;
		if (pg->expired) /* a closed job (role expires) is not worth translating */
			continue;
		if (pg->lang == ll->lang && pg->outdated)
			ll->outdated[ll->total.outdated++] = pg;
		if (pg->lang == ll->lang && !page_in_lang(pg, site->cfg->default_lang))
			S_orphan(site, &ll->orphans[ll->norphans++], pg);
		if (!pg->lang->is_default)
			continue;
		r = &c[pg->type ? row[pg->type - site->types.v] : nt];
		r->type = pg->type;
		r->originals++;
		if ((t = page_in_lang(pg, ll->lang)) != NULL) {
			r->translated++;
			r->outdated += t->outdated != NULL;
		} else {
			struct l10n_missing *m = &ll->missing[ll->total.missing++];
			r->missing++;
			m->page = pg;
			m->path = S_translation_path(site, pg, ll->lang);
			m->reach = L10N_OTHER;
		}
	}
	ll->types = arena_alloc(&site->arena, (nt + 1) * sizeof(*ll->types));
	for (k = 0; k <= nt; k++) {
		if (!c[k].originals)
			continue;
		ll->types[ll->ntypes++] = c[k];
		ll->total.originals += c[k].originals;
		ll->total.translated += c[k].translated;
	}
	free(c);
	free(row);
}

void l10n_status(struct site *site)
{
	const struct type **ranked = types_ranked(&site->types);
	size_t i;

	site->l10n = arena_alloc(&site->arena, site->cfg->nlangs * sizeof(*site->l10n));
	site->nl10n = 0;
	for (i = 0; i < site->cfg->nlangs; i++) {
		struct l10n_lang *ll;
		if (site->cfg->langs[i].is_default)
			continue;
		ll = &site->l10n[site->nl10n++];
		memset(ll, 0, sizeof(*ll));
		ll->lang = &site->cfg->langs[i];
		S_l10n_lang(site, ll, ranked);
	}
	free(ranked);
}

/* --- the order of the missing pages --------------------------------------- */

/* Most recently changed first: the last commit, else the date field; then by path. */
static long long S_recent(const struct page *pg)
{
	if (pg->updated != LLONG_MIN)
		return pg->updated;
	return pg->date != LLONG_MIN ? pg->date * 86400 : LLONG_MIN;
}

static int S_recent_cmp(const void *pa, const void *pb)
{
	const struct page *a = *(const struct page *const *)pa, *b = *(const struct page *const *)pb;
	long long x = S_recent(a), y = S_recent(b);
	if (x != y)
		return x > y ? -1 : 1;
	return strcmp(a->path, b->path);
}

static int S_soonest_cmp(const void *pa, const void *pb)
{
	const struct page *a = *(const struct page *const *)pa, *b = *(const struct page *const *)pb;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return strcmp(a->path, b->path);
}

/* The readers' order of every default-language page, and each one's reach. */
struct readers {
	const struct page **v; /* in order */
	size_t n;
	enum l10n_reach *reach; /* per page index; L10N_OTHER until placed */
	unsigned char *placed;  /* per page index */
};

static void S_place(struct readers *r, const struct site *site, struct page *const *items, size_t n,
		    enum l10n_reach reach)
{
	size_t i, at;
	for (i = 0; i < n; i++) {
		at = (size_t)(items[i] - site->pages);
		if (r->placed[at] || !items[i]->lang->is_default)
			continue;
		r->placed[at] = 1;
		r->reach[at] = reach;
		r->v[r->n++] = items[i];
	}
}

static void S_readers(struct readers *r, const struct site *site, const struct lists *lists)
{
	size_t d = (size_t)(site->cfg->default_lang - site->cfg->langs), i, k, nup = 0, first;
	struct page **up = xmalloc((site->npages ? site->npages : 1) * sizeof(*up));

	/* the upcoming events of every calendar type, soonest first */
	for (i = 0; i < lists->n; i++) {
		const struct listing *l = &lists->v[i];
		if (l->kind == LIST_TYPE && l->lang == d && l->page_no == 1)
			for (k = 0; k < l->nupcoming && nup < site->npages; k++)
				up[nup++] = l->upcoming[k];
	}
	qsort(up, nup, sizeof(*up), S_soonest_cmp);
	S_place(r, site, up, nup, L10N_UPCOMING);
	for (i = 0; i < lists->n; i++) {
		const struct listing *l = &lists->v[i];
		if (l->kind == LIST_HOME && l->lang == d)
			for (k = 0; k < l->nsections; k++)
				S_place(r, site, l->sections[k].items, l->sections[k].n, L10N_HOME);
	}
	for (i = 0; i < lists->n; i++) {
		const struct listing *l = &lists->v[i];
		if (l->kind == LIST_TYPE && l->lang == d && l->page_no == 1)
			S_place(r, site, l->items, l->nitems, L10N_NAV);
	}
	first = r->n;
	for (i = 0; i < site->npages; i++)
		if (!r->placed[i] && site->pages[i].lang->is_default)
			r->v[r->n++] = &site->pages[i];
	qsort(r->v + first, r->n - first, sizeof(*r->v), S_recent_cmp);
	free(up);
}

void l10n_order(struct site *site, const struct lists *lists)
{
	struct readers r;
	size_t np = site->npages ? site->npages : 1, *at = xmalloc(np * sizeof(*at)), i, k, n;
	struct l10n_missing *tmp = xmalloc(np * sizeof(*tmp));

	r.v = xmalloc(np * sizeof(*r.v));
	r.n = 0;
	r.reach = xmalloc(np * sizeof(*r.reach));
	r.placed = xcalloc(np, 1);
	for (i = 0; i < site->npages; i++)
		r.reach[i] = L10N_OTHER;
	S_readers(&r, site, lists);
	for (k = 0; k < site->nl10n; k++) {
		struct l10n_lang *ll = &site->l10n[k];
		for (i = 0; i < site->npages; i++)
			at[i] = SIZE_MAX;
		for (i = 0; i < ll->total.missing; i++)
			at[ll->missing[i].page - site->pages] = i;
		for (i = n = 0; i < r.n; i++) {
			size_t p = (size_t)(r.v[i] - site->pages);
			if (at[p] == SIZE_MAX)
				continue;
			tmp[n] = ll->missing[at[p]];
			tmp[n++].reach = r.reach[p];
		}
		memcpy(ll->missing, tmp, n * sizeof(*tmp));
	}
	free(tmp);
	free(at);
	free(r.v);
	free(r.reach);
	free(r.placed);
}
