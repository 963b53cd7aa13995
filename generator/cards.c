/*
 * cards: what each picture of the plan's images slice shows, one job per
 * picture on the worker pool like a page. Each worker draws with fonts of
 * its own, made the first time it draws (pango's font maps are for one
 * thread). Every picture is looked up in the cache first by the digest of
 * exactly what it shows (poster_key), and one drawn is put there: an
 * unchanged card or poster costs nothing on the next build or serve
 * rebuild. Words come from the
 * theme's strings in the picture's language, the colour from the theme's
 * style.css (its first --accent), so a site that recolours its theme
 * recolours its pictures.
 */
#include "cards.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "imgsize.h"
#include "incr.h"
#include "insights.h"
#include "personyear.h"
#include "pool.h"
#include "poster.h"
#include "util.h"
#include "yaml.h"

/* The theme's accent when its style.css names none. */
#define S_ACCENT 0x1b5fc1
/* A card read from the cache is at most this large (a drawn one is far smaller). */
#define S_CACHED_MAX (4u << 20)

struct cards_state {
	const struct site *site;
	const struct theme *theme;
	const struct plan *plan;
	const struct media *media;
	struct output *out;
	struct incr_cards cache;
	unsigned accent;
	struct poster_fonts **fonts; /* per worker, made on its first picture */
	struct buf *bufs, *keys;     /* per worker: the picture, its key */
	atomic_int failed;
	atomic_size_t files, cached;
};

static const char *S_t(const struct cards_state *st, size_t lang, const char *key, const char *dflt)
{
	const char *s = theme_string(st->theme, st->site->cfg, lang, key, strlen(key));
	return s ? s : dflt;
}

static const char *S_site_title(const struct site *site, size_t lang)
{
	const struct lang *l = &site->cfg->langs[lang];
	return l->title ? l->title : site->cfg->title;
}

/* The first "--accent: #rrggbb" of the theme's style.css, else S_ACCENT. */
static unsigned S_theme_accent(const struct theme *theme)
{
	static const char name[] = "--accent:";
	size_t i;

	for (i = 0; i < theme->nassets; i++) {
		const struct theme_asset *a = &theme->assets[i];
		const char *p, *end = a->data + a->len;
		unsigned v = 0;
		int k;
		if (strcmp(a->path, "assets/style.css") != 0)
			continue;
		for (p = a->data; p + sizeof(name) - 1 < end; p++)
			if (memcmp(p, name, sizeof(name) - 1) == 0)
				break;
		p += sizeof(name) - 1;
		while (p < end && *p == ' ')
			p++;
		if (p + 7 > end || *p != '#')
			return S_ACCENT;
		for (k = 1; k <= 6; k++) {
			char c = p[k];
			int d = c >= '0' && c <= '9'   ? c - '0'
				: c >= 'a' && c <= 'f' ? c - 'a' + 10
				: c >= 'A' && c <= 'F' ? c - 'A' + 10
						       : -1;
			if (d < 0)
				return S_ACCENT;
			v = v * 16 + (unsigned)d;
		}
		return v;
	}
	return S_ACCENT;
}

/* The base of every picture in lang: its language, colour, the site's name. */
static void S_base(struct poster *p, const struct cards_state *st, size_t lang)
{
	memset(p, 0, sizeof(*p));
	p->lang = st->site->cfg->langs[lang].code;
	p->accent = st->accent;
	p->footer = S_site_title(st->site, lang);
}

/* What goes between the names of a list in lang: "A、B" in Chinese and Japanese, else "A, B". */
static const char *S_comma(const struct cards_state *st, size_t lang)
{
	const char *code = st->site->cfg->langs[lang].code;
	return str_starts(code, "zh") || str_starts(code, "ja") ? "、" : ", ";
}

/* The site's address without its scheme ("pg.example.org/cn"), for a poster whose title is the site. */
static void S_address(struct buf *out, const struct site *site)
{
	const char *u = site->cfg->base_url, *p;
	size_t n;
	if (!u)
		return;
	p = strstr(u, "://");
	p = p ? p + 3 : u;
	n = strlen(p);
	while (n && p[n - 1] == '/')
		n--;
	buf_put(out, p, n);
}

/* A poster's frame, the same for a year's and a person's: the site's name above, its address below. */
static void S_tall(struct poster *p, struct buf *kicker, struct buf *foot, const struct cards_state *st,
		   size_t lang, const char *site_title)
{
	S_base(p, st, lang);
	p->shape = POSTER_TALL;
	if (site_title && site_title[0]) {
		buf_puts(kicker, site_title);
		p->kicker = buf_cstr(kicker);
	}
	S_address(foot, st->site);
	if (foot->len && p->kicker)
		p->footer = buf_cstr(foot); /* the site's name is above */
}

/*
 * Year y's poster in lang: the year and the site's name, its top
 * contributors, its numbers (the ones the year has).
 */
static void S_year(struct poster *p, struct buf *kicker, struct buf *title, struct buf *sub, struct buf *foot,
		   const struct cards_state *st, const struct plan_output *o)
{
	const struct insights *ins = st->site->insights;
	const struct insights_year *yr = &ins->years[o->year];
	const char *site_title = S_site_title(st->site, o->lang);
	long long added = 0;
	size_t i;

	S_tall(p, kicker, foot, st, o->lang, site_title);
	buf_printf(title, "%d", yr->year);
	p->headline = buf_cstr(title);
	p->title = S_t(st, o->lang, "year_review", "Year in review");
	if (yr->ntop) {
		buf_printf(sub, "%s%s", S_t(st, o->lang, "year_top", "Top contributors"),
			   str_starts(p->lang, "zh") || str_starts(p->lang, "ja") ? "：" : ": ");
		for (i = 0; i < yr->ntop && i < 3; i++)
			buf_printf(sub, "%s%s", i ? S_comma(st, o->lang) : "", yr->top[i].name);
		p->subtitle = buf_cstr(sub);
	}
	for (i = 0; i < ins->ntypes; i++)
		added += yr->added[i];
#define S_STAT(key, dflt, value)                                         \
	do {                                                             \
		p->stats[p->nstats].label = S_t(st, o->lang, key, dflt); \
		p->stats[p->nstats++].num = value;                       \
	} while (0)
	S_STAT("insights_commits", "Commits", yr->commits);
	S_STAT("insights_active", "Active contributors", yr->active);
	S_STAT("insights_new", "New contributors", yr->newcomers);
	S_STAT("poster_pages", "Pages added", added);
	if (yr->translations)
		S_STAT("insights_translations", "Translations", yr->translations);
	if (yr->events)
		S_STAT("insights_events", "Events held", yr->events);
#undef S_STAT
}

/* The bytes of person's picture when it is a file of the site (media.h), else NULL. */
static const struct media_file *S_avatar_file(const struct cards_state *st, const struct page *person)
{
	const char *href = person->image.href, *root = st->site->root;
	size_t n = strlen(root);
	if (!href || strncmp(href, root, n) != 0 || !st->media)
		return NULL;
	return media_by_output(st->media, href + n, strlen(href + n));
}

/* The title a person reached, in lang: a string, or the language's (else the default language's) of a mapping. */
static const char *S_title_name(const struct cards_state *st, size_t lang, int title)
{
	const struct config *cfg = st->site->cfg;
	const struct ynode *name, *v;
	if (title < 0 || (size_t)title >= st->site->ntitles)
		return NULL;
	name = st->site->titles[title].name;
	if (name->kind == YNODE_SCALAR)
		return name->str;
	if ((v = ynode_get(name, cfg->langs[lang].code)) || (v = ynode_get(name, cfg->default_lang->code)))
		return v->str;
	return name->n > 1 ? name->kids[1]->str : NULL;
}

/*
 * A person's year (personyear.h): the year, their name and avatar (or
 * initials), the title they reached, their points and commits, then what
 * else they did that year, the longest streak of active weeks last.
 */
static void S_person(struct poster *p, struct buf *kicker, struct buf *title, struct buf *foot,
		     const struct cards_state *st, const struct plan_output *o)
{
	const struct person_year *py = o->person_year;
	const char *site_title = S_site_title(st->site, o->lang);
	const struct media_file *avatar = S_avatar_file(st, o->person);
	static const struct {
		enum py_kind kind;
		const char *key, *dflt;
	} kinds[] = {
		{ PY_TALK, "person_year_talks", "Talks given" },
		{ PY_ANSWER, "person_year_answers", "Questions answered" },
		{ PY_WRITTEN, "person_year_written", "Pages written" },
		{ PY_TRANSLATED, "person_year_translated", "Pages translated" },
		{ PY_ORGANISED, "person_year_organised", "Events organised" },
		{ PY_VOLUNTEERED, "person_year_volunteered", "Events volunteered at" },
	};
	size_t i;

	S_tall(p, kicker, foot, st, o->lang, site_title);
	buf_printf(title, "%d", py->year);
	p->headline = buf_cstr(title);
	p->title = o->person->title;
	p->initials = o->person->title;
	if (avatar) {
		p->avatar = avatar->data;
		p->avatar_len = avatar->len;
	}
	p->subtitle = S_title_name(st, o->lang, py->title);
	p->stats[p->nstats].label = S_t(st, o->lang, "person_year_points", "Points earned");
	p->stats[p->nstats++].num = py->points;
	p->stats[p->nstats].label = S_t(st, o->lang, "insights_commits", "Commits");
	p->stats[p->nstats++].num = py->n[PY_COMMIT];
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && p->nstats < POSTER_STATS - 1; i++)
		if (py->n[kinds[i].kind]) {
			p->stats[p->nstats].label = S_t(st, o->lang, kinds[i].key, kinds[i].dflt);
			p->stats[p->nstats++].num = py->n[kinds[i].kind];
		}
	if (py->streak) {
		p->stats[p->nstats].label =
			S_t(st, o->lang, "person_year_streak", "Longest streak of active weeks");
		p->stats[p->nstats++].num = py->streak;
	}
}

/* The text of a field value: a string, or the titles of the items it names ("A, B"). */
static void S_field_text(struct buf *out, const struct fval *v, const char *comma)
{
	size_t k;
	for (k = 0; k < v->nrefs; k++)
		buf_printf(out, "%s%s", k ? comma : "", v->refs[k]->title);
	if (!v->nrefs && v->node && v->node->kind == YNODE_SCALAR)
		buf_puts(out, v->node->str);
}

/*
 * A page's card: its type and date above, its title, the people who speak
 * (role people: speaker) and its city below; a person's initials in a disc.
 */
static void S_card(struct poster *p, struct buf *kicker, struct buf *sub, const struct cards_state *st,
		   const struct plan_output *o)
{
	const struct page *pg = o->page;
	const struct type *t = pg->type;
	size_t i;

	S_base(p, st, o->lang);
	p->shape = POSTER_CARD;
	p->title = pg->title;
	if (t)
		buf_puts(kicker, S_t(st, o->lang, t->folder, t->folder));
	if (pg->date != LLONG_MIN) {
		int y, m, d;
		civil_from_days(pg->date, &y, &m, &d);
		buf_printf(kicker, "%s%04d-%02d-%02d", kicker->len ? " · " : "", y, m, d);
	}
	p->kicker = buf_cstr(kicker);
	for (i = 0; t && i < t->nfields; i++) {
		const struct field *f = &t->fields[i];
		size_t len = sub->len;
		if (f->people != PEOPLE_SPEAKER && strcmp(f->name, "city") != 0)
			continue;
		if (sub->len)
			buf_puts(sub, " · ");
		S_field_text(sub, &pg->vals[i], S_comma(st, o->lang));
		if (sub->len == len + (len ? 3 : 0))
			sub->len = len; /* nothing to show: no separator either */
	}
	p->subtitle = buf_cstr(sub);
	if (t && t->roles.person)
		p->initials = pg->title;
}

/* Whether png is a whole PNG (it ends with IEND) of the size a card has. */
static int S_png_ok(const struct buf *png, int w, int h)
{
	static const char iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', (char)0xae, 0x42, 0x60, (char)0x82 };
	struct img_info info;
	return png->len > 64 && img_size(&info, (const unsigned char *)png->ptr, png->len) == 0 &&
	       strcmp(info.format, "png") == 0 && info.width == w && info.height == h &&
	       memcmp(png->ptr + png->len - sizeof(iend), iend, sizeof(iend)) == 0;
}

/* Job i: the images slice's output i, drawn (or read from the cache) and written. */
static void S_job(size_t i, int worker, void *payload)
{
	struct cards_state *st = payload;
	const struct plan_output *o = &st->plan->v[st->plan->images.first + i];
	struct buf *b = &st->bufs[worker], *key = &st->keys[worker];
	struct buf kicker = BUF_INIT, title = BUF_INIT, sub = BUF_INIT, foot = BUF_INIT, file = BUF_INIT;
	struct poster p;
	int from_cache = 0;

	buf_reset(b);
	buf_reset(key);
	if (o->kind == PLAN_POSTER_YEAR)
		S_year(&p, &kicker, &title, &sub, &foot, st, o);
	else if (o->kind == PLAN_POSTER_PERSON)
		S_person(&p, &kicker, &title, &foot, st, o);
	else if (o->kind == PLAN_CARD)
		S_card(&p, &kicker, &sub, st, o);
	else
		goto done;
	/* Every picture through the cache: a person's poster costs as much to draw as a card. */
	poster_key(key, &p);
	if (incr_cards_file(&st->cache, &file, key->ptr, key->len) == 0 &&
	    incr_cards_read(buf_cstr(&file), b, S_CACHED_MAX) == 0 &&
	    S_png_ok(b, p.shape == POSTER_CARD ? 1200 : 1080, p.shape == POSTER_CARD ? 630 : 1350))
		from_cache = 1;
	else
		buf_reset(b);
	if (!from_cache) {
		if (!st->fonts[worker] && !(st->fonts[worker] = poster_fonts_new())) {
			atomic_store(&st->failed, 1); /* pango and cairo did not load: said once (poster.c) */
			goto done;
		}
		if (poster_png(b, st->fonts[worker], &p)) {
			diag_error(o->out_path, 0, 0, "cairo could not draw this picture");
			atomic_store(&st->failed, 1);
			goto done;
		}
		if (file.len)
			incr_cards_write(buf_cstr(&file), b->ptr, b->len);
	} else {
		incr_cards_touch(buf_cstr(&file));
		atomic_fetch_add(&st->cached, 1);
	}
	if (output_write(st->out, o->out_path, b->ptr, b->len))
		atomic_store(&st->failed, 1);
	atomic_fetch_add(&st->files, 1);
done:
	buf_release(&kicker);
	buf_release(&title);
	buf_release(&sub);
	buf_release(&foot);
	buf_release(&file);
}

int cards_write(const struct site *site, const struct theme *theme, const struct plan *plan,
		const struct media *media, struct output *out, int nthreads, size_t *files_out,
		size_t *cached_out)
{
	return cards_write_incr(site, theme, plan, media, out, nthreads, NULL, files_out, cached_out);
}

int cards_write_incr(const struct site *site, const struct theme *theme, const struct plan *plan,
		     const struct media *media, struct output *out, int nthreads, struct incr *in,
		     size_t *files_out, size_t *cached_out)
{
	struct cards_state st;
	int w, nw = nthreads > 0 ? nthreads : 1;

	*files_out = *cached_out = 0;
	if (!plan->images.n)
		return 0;
	memset(&st, 0, sizeof(st));
	st.site = site;
	st.theme = theme;
	st.plan = plan;
	st.media = media;
	st.out = out;
	st.accent = S_theme_accent(theme);
	atomic_init(&st.failed, 0);
	atomic_init(&st.files, 0);
	atomic_init(&st.cached, 0);
	if (in && !in->cards) { /* serve: opened once (cards.h) */
		in->cards = xmalloc(sizeof(*in->cards));
		incr_cards_open(in->cards);
	}
	if (in)
		st.cache = *in->cards;
	else
		incr_cards_open(&st.cache);
	st.fonts = xcalloc((size_t)nw, sizeof(*st.fonts));
	st.bufs = xcalloc((size_t)nw, sizeof(*st.bufs));
	st.keys = xcalloc((size_t)nw, sizeof(*st.keys));
	for (w = 0; w < nw; w++) {
		buf_init(&st.bufs[w]);
		buf_init(&st.keys[w]);
	}

	pool_run(nthreads, plan->images.n, S_job, &st);

	for (w = 0; w < nw; w++) {
		poster_fonts_free(st.fonts[w]);
		buf_release(&st.bufs[w]);
		buf_release(&st.keys[w]);
	}
	free(st.fonts);
	free(st.bufs);
	free(st.keys);
	if (!in)
		incr_cards_close(&st.cache);
	*files_out = atomic_load(&st.files);
	*cached_out = atomic_load(&st.cached);
	return atomic_load(&st.failed) ? -1 : 0;
}

void cards_cleanup(void)
{
	poster_cleanup();
}
