/*
 * helpwanted: the lists of /help-wanted/ (helpwanted.h), each sorted once
 * here so that every language's page and the home page read them as they
 * are, whatever -j is.
 */
#include "helpwanted.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Bounty first, then the oldest (its date, else its first commit), then by path. */
static int S_question_cmp(const void *pa, const void *pb)
{
	const struct page *a = *(struct page *const *)pa, *b = *(struct page *const *)pb;
	/* one without a date or not committed yet is the newest */
	long long da = a->date == LLONG_MIN ? LLONG_MAX : a->date;
	long long db = b->date == LLONG_MIN ? LLONG_MAX : b->date;
	long long ca = a->created == LLONG_MIN ? LLONG_MAX : a->created;
	long long cb = b->created == LLONG_MIN ? LLONG_MAX : b->created;
	if (a->bounty != b->bounty)
		return a->bounty > b->bounty ? -1 : 1;
	if (da != db)
		return da < db ? -1 : 1;
	if (ca != cb)
		return ca < cb ? -1 : 1;
	return strcmp(a->path, b->path);
}

/* The call closing soonest first, then the item's date, then by path. */
static int S_call_cmp(const void *pa, const void *pb)
{
	const struct page *a = *(struct page *const *)pa, *b = *(struct page *const *)pb;
	if (a->call_until != b->call_until)
		return a->call_until < b->call_until ? -1 : 1;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return strcmp(a->path, b->path);
}

/*
 * A path as one shell word: as it is when every byte is plain (letters,
 * digits, . _ / - or UTF-8), else in single quotes.
 */
static void S_shell_word(struct buf *b, const char *s)
{
	const char *p;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '/' || *p == '-' || (unsigned char)*p >= 0x80))
			break;
	if (!*p && *s) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '\'');
	for (p = s; *p; p++)
		if (*p == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *p);
	buf_putc(b, '\'');
}

/* Every language's translations to write or update, with their commands. */
static void S_translations(struct site *site, struct help_lang *h)
{
	struct buf cmd = BUF_INIT;
	size_t i, k, n = 0;

	for (i = 0; i < site->nl10n; i++)
		n += site->l10n[i].total.outdated + site->l10n[i].total.missing;
	h->translations = arena_alloc(&site->arena, (n ? n : 1) * sizeof(*h->translations));
	for (i = 0; i < site->nl10n; i++) {
		const struct l10n_lang *l = &site->l10n[i];
		for (k = 0; k < l->total.outdated + l->total.missing; k++) {
			struct help_translation *t = &h->translations[h->ntranslations++];
			int missing = k >= l->total.outdated;
			t->missing = missing;
			t->lang = l->lang;
			t->page = missing ? l->missing[k - l->total.outdated].page : l->outdated[k];
			buf_reset(&cmd);
			buf_puts(&cmd, missing ? "jixia new --translate " : "jixia l10n --lang ");
			if (missing) {
				S_shell_word(&cmd, t->page->path);
				buf_puts(&cmd, " --lang ");
				buf_puts(&cmd, l->lang->code);
			} else {
				buf_puts(&cmd, l->lang->code);
				buf_puts(&cmd, " --diff ");
				S_shell_word(&cmd, t->page->path);
			}
			t->command = arena_strdup(&site->arena, buf_cstr(&cmd));
		}
	}
	buf_release(&cmd);
}

void help_build(struct site *site)
{
	size_t nl = site->cfg->nlangs, i, l;
	struct help_lang *v = arena_alloc(&site->arena, nl * sizeof(*v));

	memset(v, 0, nl * sizeof(*v));
	for (l = 0; l < nl; l++) {
		struct help_lang *h = &v[l];
		const struct lang *lang = &site->cfg->langs[l];
		size_t nq = 0, nc = 0;
		for (i = 0; i < site->npages; i++) {
			const struct page *pg = &site->pages[i];
			nq += pg->lang == lang && pg->open && !pg->expired;
			nc += pg->lang == lang && pg->call_open && !pg->expired;
		}
		h->questions = arena_alloc(&site->arena, (nq ? nq : 1) * sizeof(*h->questions));
		h->calls = arena_alloc(&site->arena, (nc ? nc : 1) * sizeof(*h->calls));
		for (i = 0; i < site->npages; i++) {
			struct page *pg = &site->pages[i];
			if (pg->lang != lang || pg->expired)
				continue;
			if (pg->open)
				h->questions[h->nquestions++] = pg;
			if (pg->call_open)
				h->calls[h->ncalls++] = pg;
		}
		if (h->nquestions)
			qsort(h->questions, h->nquestions, sizeof(*h->questions), S_question_cmp);
		if (h->ncalls)
			qsort(h->calls, h->ncalls, sizeof(*h->calls), S_call_cmp);
		if (l == 0)
			S_translations(site, h);
		h->translations = v[0].translations; /* the same for every language: shared */
		h->ntranslations = v[0].ntranslations;
	}
	site->help = v;
}
