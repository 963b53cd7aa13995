/*
 * l10n: the site is read and linked as for `jixia check` (no output is
 * written), with its history; then l10n_status (at the end of this file)
 * counts site->l10n from the pages, which l10n_run prints. Text is
 * one line per fact, each starting with the language code so it greps
 * well; JSON is one object for scripts and CI.
 */
#include "l10n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "escape.h"
#include "model.h"
#include "site.h"
#include "types.h"
#include "util.h"

static int S_usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "jixia: error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nrun 'jixia l10n --help' for usage\n");
	return 2;
}

static unsigned S_coverage(const struct l10n_count *c)
{
	return c->originals ? (unsigned)(c->translated * 100 / c->originals) : 100;
}

/* YYYY-MM-DD of a time, in the site's time zone like the pages' dates. */
static void S_day(char *out, size_t n, const struct site *site, long long t)
{
	long long s = t + (long long)site->tz_offset_min * 60;
	int y, m, d;
	civil_from_days(s >= 0 ? s / 86400 : -((-s + 86399) / 86400), &y, &m, &d);
	snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

static void S_text(struct buf *b, const struct site *site, const struct l10n_lang *l)
{
	char day[16];
	size_t i;

	buf_printf(b, "%s: %zu of %zu translated (%u%%), %zu outdated, %zu missing\n", l->lang->code,
		   l->total.translated, l->total.originals, S_coverage(&l->total), l->total.outdated,
		   l->total.missing);
	for (i = 0; i < l->total.outdated; i++) {
		const struct page *pg = l->outdated[i];
		const struct outdated *o = pg->outdated;
		S_day(day, sizeof(day), site, o->date);
		buf_printf(b, "%s outdated %s: %s changed in %zu commit%s since %.10s (last %s)", l->lang->code,
			   pg->path, o->original->path, o->count, o->count == 1 ? "" : "s", o->base, day);
		if (o->diff_url)
			buf_printf(b, " %s", o->diff_url);
		buf_putc(b, '\n');
	}
	for (i = 0; i < l->total.missing; i++)
		buf_printf(b, "%s missing %s\n", l->lang->code, l->missing[i]->path);
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
		S_day(day, sizeof(day), site, o->date);
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
		const struct page *pg = l->missing[i];
		buf_puts(b, i ? ",{" : "{");
		S_jstr(b, "path", pg->path);
		buf_putc(b, ',');
		S_jstr(b, "url", pg->href);
		buf_putc(b, ',');
		S_jstr(b, "type", pg->type ? pg->type->name : "");
		buf_putc(b, '}');
	}
	buf_puts(b, "]}");
}

/* --lang names a language of site.yaml other than the default: 0, or 2 after a usage error. */
static int S_check_lang(const struct config *cfg, const char *lang)
{
	const struct lang *l;

	if (!lang)
		return 0;
	if (!(l = config_lang(cfg, lang, strlen(lang))))
		return S_usage_error("--lang '%s' is not a language of site.yaml", lang);
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

int l10n_run(const struct l10n_opts *opts)
{
	struct site_opts lo;
	struct loaded_site ls;
	struct buf out = BUF_INIT;
	int code;

	memset(&lo, 0, sizeof(lo));
	memset(&ls, 0, sizeof(ls));
	lo.dir = opts->dir;
	lo.ref = opts->ref;
	lo.now = -1;
	lo.walk = 1;
	if ((code = site_load(&ls, &lo, SITE_CONFIG)) || (code = S_check_lang(&ls.cfg, opts->lang)))
		goto done;
	site_load(&ls, &lo, SITE_MODEL);
	l10n_status(&ls.site);
	S_report(&out, &ls.site, opts);
	fwrite(buf_cstr(&out), 1, out.len, stdout);
	code = diag_errors() > 0 ? 1 : 0;
done:
	diag_flush(stderr, DIAG_TEXT);
	buf_release(&out);
	site_release(&ls);
	return code;
}

/* --- translation status ----------------------------------------------- */

/* One language's counts per type, and its outdated and missing pages. */
static void S_l10n_lang(struct site *site, struct l10n_lang *ll, const struct type **ranked)
{
	size_t nt = site->types.n, i, k, *row = xmalloc((nt + 1) * sizeof(*row));
	struct l10n_count *c = xcalloc(nt + 1, sizeof(*c));

	for (i = 0; i < nt; i++)
		row[ranked[i] - site->types.v] = i;
	ll->outdated = arena_alloc(&site->arena, (site->npages ? site->npages : 1) * sizeof(*ll->outdated));
	ll->missing = arena_alloc(&site->arena, (site->npages ? site->npages : 1) * sizeof(*ll->missing));
	for (i = 0; i < site->npages; i++) {
		struct page *pg = &site->pages[i], *t;
		struct l10n_count *r;
		if (pg->lang == ll->lang && pg->outdated)
			ll->outdated[ll->total.outdated++] = pg;
		if (!pg->lang->is_default)
			continue;
		r = &c[pg->type ? row[pg->type - site->types.v] : nt];
		r->type = pg->type;
		r->originals++;
		if ((t = page_in_lang(pg, ll->lang)) != NULL) {
			r->translated++;
			r->outdated += t->outdated != NULL;
		} else {
			r->missing++;
			ll->missing[ll->total.missing++] = pg;
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
