/*
 * model: from the list of content files to linked pages. Collecting needs
 * only file names; linking needs the parsed front matter (title, slug,
 * draft). Both are linear passes plus one sort, never a scan of all pages
 * per page.
 */
#include "model.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <utf8proc.h>

#include "diag.h"
#include "escape.h"
#include "plankind.h"
#include "pool.h"
#include "suggest.h"

/*
 * Splits a path under content/ into language, section and id for the
 * suffix layout: "talks/x.en.md" -> en, talks, x. A folder's index.md is
 * the folder's item: "events/2024-hz/index.md" -> events, 2024-hz.
 */
static int S_collect_one(struct site *site, struct page *pg, const char *rel)
{
	const struct config *cfg = site->cfg;
	size_t n = strlen(rel) - 3; /* without ".md" */
	const char *slash, *dot;
	const char *base;

	pg->lang = cfg->default_lang;
	if (cfg->trans_layout == TRANS_DIR) {
		slash = strchr(rel, '/');
		if (!slash || !(pg->lang = config_lang(cfg, rel, (size_t)(slash - rel)))) {
			/* content/eb/faq/x.md: content/en/faq/x.md */
			const char *near = slash ? config_lang_near(cfg, rel, (size_t)(slash - rel)) : NULL;
			struct buf fix = BUF_INIT, hint = BUF_INIT;
			if (near)
				buf_printf(&fix, "content/%s%s", near, slash);
			diag_error(
				pg->path, 0, 0,
				"with 'translations: {layout: dir}' every file must be under content/LANG/ for a language of site.yaml%s",
				suggest_hint(&hint, near ? fix.ptr : NULL));
			buf_release(&fix);
			buf_release(&hint);
			return -1;
		}
		n -= (size_t)(slash + 1 - rel);
		rel = slash + 1;
	}

	/* The last segment's ".LANG" suffix, when LANG is a site language. */
	base = rel;
	for (slash = rel; slash < rel + n; slash++)
		if (*slash == '/')
			base = slash + 1;
	dot = memchr(base, '.', (size_t)(rel + n - base));
	if (dot && cfg->trans_layout == TRANS_SUFFIX) {
		const struct lang *l = config_lang(cfg, dot + 1, (size_t)(rel + n - dot - 1));
		if (l) {
			pg->lang = l;
			n = (size_t)(dot - rel);
		}
	}

	slash = memchr(rel, '/', n);
	if (slash) {
		size_t skip = (size_t)(slash + 1 - rel);
		pg->section = arena_strndup(&site->arena, rel, skip - 1);
		rel += skip;
		n -= skip;
	} else {
		pg->section = "";
	}
	pg->id = arena_strndup(&site->arena, rel, n);
	/* "x/index" is the bundle x; a bare "index" is the section's own page. */
	if (str_ends(pg->id, "/index"))
		((char *)pg->id)[strlen(pg->id) - 6] = '\0';
	/* "x/_index" is the section page of folder x (Hugo's); a bare "_index"
	   introduces its folder's list, model_link decides which */
	else if (str_ends(pg->id, "/_index"))
		((char *)pg->id)[strlen(pg->id) - 7] = '\0';
	else if (strcmp(pg->id, "_index") == 0)
		((char *)pg->id)[0] = '\0';
	return 0;
}

int model_hidden_path(const char *path, size_t n)
{
	const char *s = path, *end = path + n, *seg;
	if (n >= strlen("content/") && strncmp(path, "content/", strlen("content/")) == 0)
		s += strlen("content/");
	for (seg = s; seg < end; seg = s + 1) {
		size_t len;
		s = memchr(seg, '/', (size_t)(end - seg));
		if (!s)
			s = end;
		len = (size_t)(s - seg);
		if (len == 0 || seg[0] != '_')
			continue;
		/* the last name may be a section page: _index.md, _index.en.md */
		if (s == end && len > strlen("_index.md") - 1 && strncmp(seg, "_index.", 7) == 0 &&
		    strncmp(s - 3, ".md", 3) == 0)
			continue;
		return 1;
	}
	return 0;
}

int model_collect(struct site *site)
{
	size_t first, count, i;
	int rc = 0;

	count = source_prefix(site->src, "content/", &first);
	/* not calloc: each page is cleared as it is made (a second pass over 10,000 pages' worth of
	   memory), and those past npages are never read */
	site->pages = xmalloc((count ? count : 1) * sizeof(*site->pages));
	for (i = first; i < first + count; i++) {
		const struct source_file *f = &site->src->files[i];
		struct page *pg = &site->pages[site->npages];
		if (!str_ends(f->path, ".md") || model_hidden_path(f->path, strlen(f->path)))
			continue; /* _includes/ and the like are for other files to use */
		memset(pg, 0, sizeof(*pg));
		pg->created = pg->updated = LLONG_MIN; /* until the history stage knows */
		pg->src = f;
		pg->path = f->path;
		if (S_collect_one(site, pg, f->path + strlen("content/"))) {
			rc = -1;
			continue;
		}
		site->npages++;
	}
	return rc;
}

/*
 * A slug is segments of letters, digits, '-' and '_' (any visible non-ASCII
 * character too, so Chinese names work: text_char_shows) joined by '/'. Never ".",
 * "..", an empty segment or an absolute path, so it cannot leave the output
 * folder. Returns where s fails that (NULL when it does not).
 */
static const char *S_slug_bad(const char *s)
{
	const char *seg = s, *start = s;
	if (!*s)
		return s;
	for (;;) {
		size_t k = 1;
		if (*s == '/' || !*s) {
			if (s == seg)
				return s;
			if (!*s)
				return NULL;
			seg = s + 1;
		} else if ((unsigned char)*s >= 0x80) {
			if (!(k = text_char_shows(start, s, 0)))
				return s;
		} else if (!(isalnum((unsigned char)*s) || *s == '-' || *s == '_')) {
			return s;
		}
		s += k;
	}
}

int model_slug_ok(const char *s)
{
	return !S_slug_bad(s);
}

/* seg (n bytes) is a language's code, in any letter case. */
static int S_lang_code(const struct config *cfg, const char *seg, size_t n)
{
	size_t i;
	for (i = 0; i < cfg->nlangs; i++)
		if (strlen(cfg->langs[i].code) == n && strncasecmp(seg, cfg->langs[i].code, n) == 0)
			return 1;
	return 0;
}

int model_reserved_segment(const struct site *site, const char *seg, size_t n)
{
	size_t i;
	/* a page there would collide with the theme's assets, the search index,
	 * the contributors' and translators' pages, the feeds or the sitemap */
	if (plan_reserved(seg, n) || S_lang_code(site->cfg, seg, n))
		return 1;
	for (i = 0; i < site->cfg->ntaxonomies; i++)
		if (strlen(site->cfg->taxonomies[i]) == n &&
		    strncasecmp(seg, site->cfg->taxonomies[i], n) == 0)
			return 1;
	return 0;
}

/*
 * A taxonomy's pages are /NAME/ and /NAME/TERM/ in every language: under a
 * name jixia writes itself, or a language code (/en/ is the English home),
 * two outputs would be one file. Reported at the name in site.yaml.
 */
static int S_check_taxonomies(const struct site *site)
{
	const struct config *cfg = site->cfg;
	const struct ynode *list = ynode_get(cfg->root, "taxonomies");
	size_t i;
	int rc = 0;

	for (i = 0; i < cfg->ntaxonomies; i++) {
		const char *t = cfg->taxonomies[i];
		const struct ynode *at = list && i < list->n ? list->kids[i] : NULL;
		int reserved = plan_reserved(t, strlen(t)) != NULL;
		if (reserved || S_lang_code(cfg, t, strlen(t))) {
			diag_error(
				"site.yaml", at ? at->line : 0, at ? at->col : 0,
				"taxonomy '%s' would have its pages at /%s/, where jixia writes %s; choose another name",
				t, t, reserved ? "its own files" : "a language's pages");
			rc = -1;
		}
	}
	return rc;
}

static const char *S_front_string(const struct page *pg, const char *key)
{
	const struct ynode *v = ynode_get(pg->front, key);
	return v && v->kind == YNODE_SCALAR ? v->str : NULL;
}

/* Fields every page may have whatever its type. */
static int S_universal(const struct site *site, const char *key)
{
	/* the translation field may be a dotted path: "l10n.sourceCommit" allows "l10n" */
	const char *tf = site->cfg->translated_from_field;
	size_t n = strcspn(tf, ".");
	return strcmp(key, "slug") == 0 || strcmp(key, "draft") == 0 || strcmp(key, "summary") == 0 ||
	       strcmp(key, "aliases") == 0 || strcmp(key, tf) == 0 ||
	       (tf[n] == '.' && strlen(key) == n && strncmp(key, tf, n) == 0);
}

/* The field of pg's type (or of every page) nearest the unknown name, or NULL. */
static const char *S_field_hint(const struct site *site, const struct page *pg, const char *name)
{
	struct suggest s = SUGGEST_INIT;
	const char *r;
	size_t i;
	for (i = 0; i < pg->type->nfields; i++)
		suggest_add(&s, pg->type->fields[i].name, pg->type->fields[i].name);
	suggest_add(&s, "slug", "slug");
	suggest_add(&s, "draft", "draft");
	suggest_add(&s, "summary", "summary");
	suggest_add(&s, "aliases", "aliases");
	suggest_add(&s, site->cfg->translated_from_field, site->cfg->translated_from_field);
	r = suggest_best(&s, name);
	suggest_release(&s);
	return r;
}

/* The article before a type's name in a message: "an event", "an org", "a talk". */
static const char *S_a(const char *name)
{
	return name[0] && strchr("aeioAEIO", name[0]) ? "an" : "a";
}

static void S_unknown_field(const struct site *site, const struct page *pg, const struct ynode *key)
{
	struct buf known = BUF_INIT, hint = BUF_INIT;
	size_t i;
	for (i = 0; i < pg->type->nfields; i++)
		buf_printf(&known, "%s%s", i ? ", " : "", pg->type->fields[i].name);
	diag_warn(pg->path, key->line, key->col, "unknown field '%s' for %s %s is ignored (known: %s)%s",
		  key->str, S_a(pg->type->name), pg->type->name, buf_cstr(&known),
		  suggest_hint(&hint, S_field_hint(site, pg, key->str)));
	buf_release(&known);
	buf_release(&hint);
}

/* The key node of field name in the front matter fm, or NULL. */
static const struct ynode *S_front_key(const struct ynode *fm, const char *name)
{
	size_t i;
	for (i = 0; fm && fm->kind == YNODE_MAP && i + 1 < fm->n; i += 2)
		if (strcmp(fm->kids[i]->str, name) == 0)
			return fm->kids[i];
	return NULL;
}

/*
 * A file with no opening '---' has no front matter: one error that says so,
 * rather than one "missing field" per required field at its first line.
 * Returns -1 when that is the case and the type requires fields.
 */
static int S_no_front_matter(const struct page *pg)
{
	const struct type *ty = pg->type;
	struct buf req = BUF_INIT;
	size_t i;
	int rc = 0;

	if (pg->front || pg->body_line != 1) /* body_line 1: no fence before the body */
		return 0;
	for (i = 0; i < ty->nfields; i++)
		if (ty->fields[i].required && !ty->fields[i].def)
			buf_printf(&req, "%s%s", req.len ? ", " : "", ty->fields[i].name);
	if (req.len) {
		diag_error(
			pg->path, 1, 1,
			"no front matter: the file must start with a '---' line, then the fields (a %s requires %s), then a '---' line",
			ty->name, buf_cstr(&req));
		rc = -1;
	}
	buf_release(&req);
	return rc;
}

static int S_check_call(struct site *site, struct page *pg, const struct field *f, const struct ynode *v,
			struct fval *out);

/* One value of field f (a list is checked item by item). */
static int S_check_value(struct site *site, struct page *pg, const struct field *f, const struct ynode *v,
			 struct fval *out)
{
	size_t i;
	int rc = 0;

	if (f->kind == FIELD_LIST) {
		if (v->kind != YNODE_SEQ) {
			diag_error(pg->path, v->line, v->col, "'%s' must be a list (e.g. [a, b]), not %s",
				   f->name, ynode_kind_name(v));
			return -1;
		}
		for (i = 0; i < v->n; i++) {
			long long num;
			if (f->of == FIELD_REF) {
				if (v->kids[i]->kind != YNODE_SCALAR) {
					diag_error(pg->path, v->kids[i]->line, v->kids[i]->col,
						   "'%s' must list ids of %s items", f->name, f->to);
					rc = -1;
				}
			} else if (field_check_scalar(pg->path, f, f->of, v->kids[i], site->tz_offset_min,
						      &num)) {
				rc = -1;
			}
		}
		return rc;
	}
	if (f->kind == FIELD_CALL)
		return S_check_call(site, pg, f, v, out);
	if (f->kind == FIELD_REF) {
		if (v->kind != YNODE_SCALAR) {
			diag_error(pg->path, v->line, v->col, "'%s' must be the id of a %s item", f->name,
				   f->to);
			return -1;
		}
		return 0;
	}
	return field_check_scalar(pg->path, f, f->kind, v, site->tz_offset_min, &out->num);
}

/*
 * Role expires: pg is expired when the field's value is before the build
 * time: a date before today (an item is open through its last day), a
 * datetime before now. Without a build time nothing expires. A value
 * before the item's own date (role date) is an error at the value.
 */
static int S_expiry(const struct site *site, struct page *pg)
{
	const struct type *ty = pg->type;
	const struct field *f = ty->roles.expires ? type_field(ty, ty->roles.expires) : NULL;
	const struct fval *v = f ? &pg->vals[f - ty->fields] : NULL;
	const struct fval *d;
	long long day;

	if (!v || !v->node)
		return 0;
	d = page_value(pg, ty->roles.date);
	day = f->kind == FIELD_DATE ? v->num : (v->num + site->tz_offset_min * 60) / 86400;
	if (pg->date != LLONG_MIN && day < pg->date && d && d->node) {
		diag_error(pg->path, v->node->line, v->node->col, "'%s' (%s) is before '%s' (%s)", f->name,
			   v->node->str, ty->roles.date, d->node->str);
		return -1;
	}
	if (site->now >= 0)
		pg->expired = f->kind == FIELD_DATE ? v->num < site->today : v->num < site->now;
	return 0;
}

/* Whether an HTML body holds nothing but white space: a question nobody answered. */
static int S_blank(const char *s, size_t n)
{
	size_t i;
	for (i = 0; s && i < n; i++)
		if (!strchr(" \t\r\n", s[i]))
			return 0;
	return 1;
}

/*
 * Help wanted: role question (open while the body is empty or the field
 * says open), role bounty (0 to TYPES_MAX_POINTS, else an error at the
 * value) and role call (open through its until day, while the item is
 * upcoming; closed when the build time is unknown, as nothing is upcoming).
 */
static int S_wanted(const struct site *site, struct page *pg)
{
	const struct type *ty = pg->type;
	const struct fval *q = ty->roles.question ? page_value(pg, ty->roles.question) : NULL;
	const struct fval *b = ty->roles.bounty ? page_value(pg, ty->roles.bounty) : NULL;
	const struct fval *c = ty->roles.call ? page_value(pg, ty->roles.call) : NULL;
	const struct field *qf = q ? type_field(ty, ty->roles.question) : NULL;

	pg->call_until = LLONG_MIN;
	if (ty->roles.question)
		pg->open = (!pg->html_spill && S_blank(pg->html, pg->html_len)) || /* spilled: not blank */
			   (q && q->node && qf->nvalues && strcmp(qf->values[q->num], "open") == 0);
	if (b && b->node) {
		if (b->num < 0 || b->num > TYPES_MAX_POINTS) {
			diag_error(pg->path, b->node->line, b->node->col,
				   "'%s' must be a whole number of points from 0 to %d", ty->roles.bounty,
				   TYPES_MAX_POINTS);
			return -1;
		}
		pg->bounty = b->num;
	}
	if (c && c->node) {
		pg->call_until = c->num;
		pg->call_open = site->now >= 0 && c->num >= site->today &&
				(pg->date == LLONG_MIN || pg->date >= site->today);
	}
	return 0;
}

/* A call for contributions: {until: YYYY-MM-DD, url: URL}, until required. */
static int S_check_call(struct site *site, struct page *pg, const struct field *f, const struct ynode *v,
			struct fval *out)
{
	static const struct field until = { .name = "until", .kind = FIELD_DATE };
	static const struct field url = { .name = "url", .kind = FIELD_URL };
	static const char *const keys[] = { "until", "url", NULL };
	const struct ynode *u;
	long long num;
	size_t i;
	int rc = 0;

	if (v->kind != YNODE_MAP) {
		diag_error(pg->path, v->line, v->col, "'%s' must be %s, not %s", f->name,
			   field_kind_name(FIELD_CALL), ynode_kind_name(v));
		return -1;
	}
	for (i = 0; i + 1 < v->n; i += 2)
		if (strcmp(v->kids[i]->str, "until") != 0 && strcmp(v->kids[i]->str, "url") != 0) {
			struct buf hint = BUF_INIT;
			diag_error(pg->path, v->kids[i]->line, v->kids[i]->col,
				   "unknown key '%s' in '%s' (until, url)%s", v->kids[i]->str, f->name,
				   suggest_hint(&hint, suggest_list(v->kids[i]->str, keys)));
			buf_release(&hint);
			rc = -1;
		}
	if (!(u = ynode_get(v, "until"))) {
		diag_error(pg->path, v->line, v->col,
			   "'%s' needs 'until', the last day of the call (YYYY-MM-DD)", f->name);
		return -1;
	}
	if (field_check_scalar(pg->path, &until, FIELD_DATE, u, site->tz_offset_min, &out->num))
		rc = -1;
	if ((u = ynode_get(v, "url")) &&
	    field_check_scalar(pg->path, &url, FIELD_URL, u, site->tz_offset_min, &num))
		rc = -1;
	return rc;
}

/*
 * The field of pg's type (or a universal key) that key names in another
 * letter case ("Title", "DATE"), or NULL: front matter keys are
 * case-sensitive, and a site moved from Hugo (which folds them) has such
 * keys. Reported as an error, as the field it was meant for is missing.
 */
static const char *S_case_twin(const struct site *site, const struct page *pg, const char *key)
{
	static const char *const universal[] = { "slug", "draft", "summary", "aliases" };
	size_t i;

	for (i = 0; i < pg->type->nfields; i++)
		if (strcasecmp(pg->type->fields[i].name, key) == 0)
			return pg->type->fields[i].name;
	for (i = 0; i < sizeof(universal) / sizeof(universal[0]); i++)
		if (strcasecmp(universal[i], key) == 0)
			return universal[i];
	if (strcasecmp(site->cfg->translated_from_field, key) == 0)
		return site->cfg->translated_from_field;
	return NULL;
}

/* The front matter's key that is name in another letter case, or NULL. */
static const struct ynode *S_front_key_case(const struct ynode *fm, const char *name)
{
	size_t i;
	for (i = 0; fm && fm->kind == YNODE_MAP && i + 1 < fm->n; i += 2)
		if (strcasecmp(fm->kids[i]->str, name) == 0 && strcmp(fm->kids[i]->str, name) != 0)
			return fm->kids[i];
	return NULL;
}

/*
 * Each front-matter key's field of pg's type, matched once for the checks
 * after rather than looked up per field: kf[i / 2] is the field of key
 * fm->kids[i], or -1; at[f] the first key of field f (as ynode_get finds
 * it), or -1. fm is a map; kf has fm->n / 2 slots, at the type's nfields.
 */
static void S_key_fields(const struct type *ty, const struct ynode *fm, long *kf, long *at)
{
	size_t i;

	for (i = 0; i < ty->nfields; i++)
		at[i] = -1;
	for (i = 0; i + 1 < fm->n; i += 2) {
		const struct field *f = type_field(ty, fm->kids[i]->str);
		kf[i / 2] = f ? (long)(f - ty->fields) : -1;
		if (f && at[f - ty->fields] < 0)
			at[f - ty->fields] = (long)i;
	}
}

/*
 * A single value where the type declares a list ("tags: postgres",
 * "aliases: /x") is read as a list of that one value: the front matter
 * gets a list node around it, so every later reader sees a list. kf:
 * S_key_fields's.
 */
static void S_lists_of_one(struct page *pg, const long *kf, struct arena *a)
{
	struct ynode *fm = pg->front;
	size_t i;

	for (i = 0; fm && fm->kind == YNODE_MAP && i + 1 < fm->n; i += 2) {
		const struct field *f = kf[i / 2] >= 0 ? &pg->type->fields[kf[i / 2]] : NULL;
		struct ynode *v = fm->kids[i + 1], *seq;
		if (!f || f->kind != FIELD_LIST || v->kind != YNODE_SCALAR || (v->plain && ynode_is_null(v)))
			continue;
		/* a front of the parse cache's is one block, freed whole (page.parse_mapped): what
		   goes into it lives in the arena */
		if (pg->parse_mapped) {
			seq = arena_alloc(a, sizeof(*seq));
			memset(seq, 0, sizeof(*seq));
			seq->kids = arena_alloc(a, sizeof(*seq->kids));
		} else {
			seq = xcalloc(1, sizeof(*seq));
			seq->kids = xmalloc(sizeof(*seq->kids));
		}
		seq->kind = YNODE_SEQ;
		seq->line = v->line;
		seq->col = v->col;
		seq->kids[0] = v;
		seq->n = 1;
		fm->kids[i + 1] = seq;
	}
}

/*
 * Points TZ at a zone file of the system's database (":" and the absolute
 * path config checked) for the C library's local time, and returns the TZ
 * it had for S_zone_leave. Called before the model's workers start
 * (S_clock) or under S_zone_lock: nothing else reads the environment meanwhile.
 */
static char *S_zone_enter(const char *file)
{
	char *old = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;
	struct buf tz = BUF_INIT;

	buf_printf(&tz, ":%s", file);
	setenv("TZ", tz.ptr, 1);
	tzset();
	buf_release(&tz);
	return old;
}

/* Puts back the TZ S_zone_enter found (none: unset), and frees it. */
static void S_zone_leave(char *old)
{
	if (old)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
}

/* The environment's TZ is the process's: one rule for every change of it (S_clock, S_zone_values). */
static pthread_mutex_t S_zone_lock = PTHREAD_MUTEX_INITIALIZER;

/* The zone TZ names now: its offset from UTC in seconds at instant t (0 when the C library has none). */
static long S_offset_at(long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	return localtime_r(&tt, &tm) ? tm.tm_gmtoff : 0;
}

/*
 * The instant of a local time (day, seconds into it) in the zone TZ names
 * now, with its offset then (daylight saving included). The offset two
 * days before is tried first, then the one it leads to: a local time the
 * clocks pass twice (an autumn night) is its earlier instant, one they
 * skip (a spring night) the instant at the offset before, shown at the
 * one after (02:30 is 03:30), as mktime gives it. Not through mktime:
 * its first guess is the offset it found last, so a time passed twice
 * was the one instant or the other as the values before it went.
 */
static void S_zone_local(long long days, int secs, long long *at, int *off_min)
{
	long long u = days * 86400 + secs, t;
	long before = S_offset_at(u - 2 * 86400), off;

	t = u - before;
	off = S_offset_at(t);
	if (off != before && S_offset_at(u - off) == off)
		t = u - off; /* after a change of offset: there, the local time is */
	*at = t;
	*off_min = (int)(off / 60);
}

/*
 * A page's time of day in a zone of the system's database, valued once
 * every page is checked (S_zone_values): the C library reads a zone's
 * file again each time TZ changes, so the values go zone by zone, TZ
 * changed once per zone rather than twice per value under a lock the
 * workers took in turn (4,000 such pages: about 100 ms of the link step
 * before, with the zone names' look-ups below).
 */
struct zone_time {
	struct fval *v;    /* the page's value: at and at_off set then */
	struct fval *kept; /* its copy in serve's memo (S_fields), or NULL */
	const char *file;  /* the zone's database file: the config's, or a worker's zone_times' */
	long long days;
	int secs;
	size_t page, field; /* the order within a zone */
};

/* A zone name a page's timezone: gave, and its database file (NULL: not a zone). */
struct zone_name {
	char *name, *file;
};

/* A worker's times of day, and the zones its pages named (few: looked for one by one). */
struct zone_times {
	struct zone_time *v;
	size_t n, cap;
	/* config_zone_file resolves a name with a dozen calls to the file system: once per worker */
	struct zone_name *names;
	size_t nnames, capnames;
};

/* The database file of zone name (NULL when it is none), as config_zone_file finds it. */
static const char *S_zone_file(struct zone_times *zt, const char *name)
{
	struct zone_name *z;
	size_t i;

	for (i = 0; i < zt->nnames; i++)
		if (strcmp(zt->names[i].name, name) == 0)
			return zt->names[i].file;
	ARRAY_GROW(zt->names, zt->nnames, zt->capnames, 4);
	z = &zt->names[zt->nnames++];
	z->name = xstrdup(name);
	z->file = config_zone_file(name);
	return z->file;
}

static void S_zone_names_free(struct zone_times *zt)
{
	size_t i;

	for (i = 0; i < zt->nnames; i++) {
		free(zt->names[i].name);
		free(zt->names[i].file);
	}
	free(zt->names);
	zt->names = NULL;
	zt->nnames = zt->capnames = 0;
}

static int S_zone_time_cmp(const void *a, const void *b)
{
	const struct zone_time *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	if (c)
		return c;
	if (x->page != y->page)
		return x->page < y->page ? -1 : 1;
	return x->field < y->field ? -1 : x->field > y->field;
}

/*
 * Values the times of day the workers noted (per worker, nw of them),
 * zone by zone (then page and field: one order whatever the workers),
 * TZ put back after. Frees the lists and the zone names.
 */
static void S_zone_values(struct zone_times *per, int nw)
{
	struct zone_time *v;
	const char *cur = NULL;
	char *old = NULL;
	size_t i, n = 0;
	int w;

	for (w = 0; w < nw; w++)
		n += per[w].n;
	v = xmalloc((n ? n : 1) * sizeof(*v));
	for (n = 0, w = 0; w < nw; w++) {
		if (per[w].n)
			memcpy(v + n, per[w].v, per[w].n * sizeof(*v));
		n += per[w].n;
		free(per[w].v);
		per[w].v = NULL;
		per[w].n = per[w].cap = 0;
	}
	if (n == 0) {
		free(v);
		goto done;
	}
	qsort(v, n, sizeof(*v), S_zone_time_cmp);
	pthread_mutex_lock(&S_zone_lock);
	for (i = 0; i < n; i++) {
		if (!cur || strcmp(cur, v[i].file) != 0) {
			char *was = S_zone_enter(v[i].file);
			if (!cur)
				old = was; /* the TZ before the first: put back at the end */
			else
				free(was);
			cur = v[i].file;
		}
		S_zone_local(v[i].days, v[i].secs, &v[i].v->at, &v[i].v->at_off);
		if (v[i].kept) {
			v[i].kept->at = v[i].v->at;
			v[i].kept->at_off = v[i].v->at_off;
		}
	}
	S_zone_leave(old);
	pthread_mutex_unlock(&S_zone_lock);
	free(v);
done:
	for (w = 0; w < nw; w++) /* the files the values named */
		S_zone_names_free(&per[w]);
}

/*
 * Date fields with a time of day (an event at 2025-03-12 20:00): the
 * instant, in the zone the page's timezone: field names (a zone of the
 * system's database, checked as site.yaml's is), else in the site's. A
 * value that writes its own offset (+08:00) is that instant, shown at that
 * offset. A timezone that is no zone is an error at its line:col.
 */
static int S_times(const struct site *site, struct page *pg, struct zone_times *zt)
{
	const struct type *ty = pg->type;
	const struct ynode *tzv =
		type_field(ty, "timezone") && pg->front ? ynode_get(pg->front, "timezone") : NULL;
	const char *zone = NULL, *file = NULL;
	size_t k;

	if (tzv) {
		if (tzv->kind != YNODE_SCALAR || strlen(tzv->str) != tzv->len ||
		    !(file = S_zone_file(zt, tzv->str))) {
			diag_error(
				pg->path, tzv->line, tzv->col,
				"'timezone' must be a time zone of the system's database like Asia/Shanghai, "
				"not '%s'",
				tzv->kind == YNODE_SCALAR ? tzv->str : ynode_kind_name(tzv));
			return -1;
		}
		zone = tzv->str;
	} else if (site->cfg->tz_file) {
		zone = site->cfg->timezone;
		file = site->cfg->tz_file;
	}
	for (k = 0; k < ty->nfields; k++) {
		struct fval *v = &pg->vals[k];
		long long days;
		int secs, has_off, off;
		if (ty->fields[k].kind != FIELD_DATE || !v->node || v->node->len <= 10 ||
		    field_date_time(v->node->str, &days, &secs, &has_off, &off))
			continue;
		v->timed = 1;
		v->zone = has_off ? NULL : zone;
		if (has_off || !file) {
			v->at_off = has_off ? off : site->cfg->tz_fixed_min;
			v->at = days * 86400 + secs - (long long)v->at_off * 60;
		} else { /* valued with the others of its zone (S_zone_values) */
			struct zone_time *z;
			ARRAY_GROW(zt->v, zt->n, zt->cap, 16);
			z = &zt->v[zt->n++];
			z->v = v;
			z->kept = NULL;
			z->file = file; /* the config's, or zt's names' */
			z->days = days;
			z->secs = secs;
			z->page = (size_t)(pg - site->pages);
			z->field = k;
		}
	}
	return 0;
}

/*
 * Checks the front matter against the type: every violation is reported
 * at its field's line:col; unknown fields are warnings (errors with
 * --strict). Fills pg->vals, date and weight; a value that fails its check
 * is left out of pg->vals (node NULL), so no reference or link check
 * reports it again.
 */
static void S_front_lacks(struct page *pg, const long *kf);

static int S_check_fields(struct site *site, struct arena *a, struct page *pg, struct zone_times *zt)
{
	const struct type *ty = pg->type;
	const struct ynode *fm = pg->front;
	int missing = S_no_front_matter(pg);
	long kf_small[32], at_small[32], *kf = kf_small, *at = at_small;
	size_t i, nkeys = fm && fm->kind == YNODE_MAP ? fm->n / 2 : 0;
	int rc = missing;

	pg->vals = arena_alloc(a, (ty->nfields ? ty->nfields : 1) * sizeof(*pg->vals));
	memset(pg->vals, 0, (ty->nfields ? ty->nfields : 1) * sizeof(*pg->vals));
	if (fm && fm->kind != YNODE_MAP)
		fm = NULL; /* never: parse refuses a front matter not a map (the page fails) */
	if (nkeys > 32)
		kf = xmalloc(nkeys * sizeof(*kf));
	if (ty->nfields > 32)
		at = xmalloc(ty->nfields * sizeof(*at));
	if (fm)
		S_key_fields(ty, fm, kf, at);
	else
		for (i = 0; i < ty->nfields; i++)
			at[i] = -1;
	S_front_lacks(pg, fm ? kf : NULL); /* without a map, no key: nothing looked up */
	S_lists_of_one(pg, kf, a);
	for (i = 0; fm && i + 1 < fm->n; i += 2) {
		const char *twin;
		if (kf[i / 2] >= 0 || S_universal(site, fm->kids[i]->str))
			continue;
		if ((twin = S_case_twin(site, pg, fm->kids[i]->str)) != NULL) {
			struct buf hint = BUF_INIT;
			diag_error(pg->path, fm->kids[i]->line, fm->kids[i]->col,
				   "'%s' is not a field (field names are case-sensitive)%s", fm->kids[i]->str,
				   suggest_hint(&hint, twin));
			buf_release(&hint);
			rc = -1;
			continue;
		}
		S_unknown_field(site, pg, fm->kids[i]);
	}
	for (i = 0; i < ty->nfields; i++) {
		const struct field *f = &ty->fields[i];
		const struct ynode *v = at[i] >= 0 ? fm->kids[at[i] + 1] : NULL, *key = NULL;
		if (v && ynode_is_null(v) && v->plain) {
			key = S_front_key(fm, f->name);
			v = NULL; /* "date:" with nothing after it */
		}
		if (!v)
			v = f->def;
		if (!v) {
			/* an empty field is reported at its own line, a missing one at the first */
			if (f->required && key && f->kind == FIELD_LIST)
				diag_error(pg->path, key->line, key->col,
					   "'%s' is required and must list at least one item", f->name);
			else if (f->required && key)
				diag_error(pg->path, key->line, key->col, "required field '%s' is empty (%s)",
					   f->name, field_kind_name(f->kind));
			else if (f->required && !missing && !S_front_key_case(fm, f->name))
				diag_error(pg->path, fm ? fm->line : 1, 1,
					   "missing required field '%s' (%s) for %s %s", f->name,
					   field_kind_name(f->kind == FIELD_LIST ? FIELD_LIST : f->kind),
					   S_a(ty->name), ty->name);
			if (f->required)
				rc = -1;
			continue;
		}
		if (f->required && f->kind == FIELD_LIST && v->kind == YNODE_SEQ && v->n == 0) {
			diag_error(pg->path, v->line, v->col,
				   "'%s' is required and must list at least one item", f->name);
			rc = -1;
			continue;
		}
		if (S_check_value(site, pg, f, v, &pg->vals[i])) {
			rc = -1;
			continue;
		}
		pg->vals[i].node = v;
		if (strcmp(f->name, ty->roles.date) == 0 && f->kind == FIELD_DATE)
			pg->date = pg->vals[i].num;
		else if (strcmp(f->name, ty->roles.date) == 0 && f->kind == FIELD_DATETIME)
			pg->date = (pg->vals[i].num + site->tz_offset_min * 60) / 86400;
		else if (strcmp(f->name, "weight") == 0 && f->kind == FIELD_INT)
			pg->weight = pg->vals[i].num;
	}
	if (kf != kf_small)
		free(kf);
	if (at != at_small)
		free(at);
	if (S_expiry(site, pg))
		rc = -1;
	if (S_wanted(site, pg))
		rc = -1;
	if (S_times(site, pg, zt))
		rc = -1;
	return rc;
}

const struct fval *page_value(const struct page *pg, const char *name)
{
	size_t i;
	for (i = 0; pg->type && i < pg->type->nfields; i++)
		if (strcmp(pg->type->fields[i].name, name) == 0)
			return &pg->vals[i];
	return NULL;
}

/* root + url without its leading '/', in a (the site's arena, or a worker's: S_link_job). */
/*
 * x then y, in a: what arena_printf(a, "%s%s", x, y) makes, without its
 * format pass and its buffer (each page's addresses are made so on every
 * build).
 */
static char *S_cat(struct arena *a, const char *x, const char *y)
{
	size_t nx = strlen(x), ny = strlen(y);
	char *p = arena_alloc(a, nx + ny + 1);

	memcpy(p, x, nx);
	memcpy(p + nx, y, ny + 1);
	return p;
}

static const char *S_href(const struct site *site, struct arena *a, const char *url)
{
	return S_cat(a, site->root, url + 1);
}

/*
 * pg's URL within MODEL_SEGMENT_MAX a segment and MODEL_URL_MAX in all, so
 * its files can be written; else an error at its slug, or at the file when
 * its name and folders make the URL.
 */
static int S_url_fits(const struct page *pg)
{
	const struct ynode *at = ynode_get(pg->front, "slug");
	const char *what = at ? "slug" : "file's name or folders";
	const char *s, *seg = pg->url + 1;
	size_t n = strlen(pg->url);

	if (n > MODEL_URL_MAX) {
		diag_error(pg->path, at ? at->line : 0, at ? at->col : 0,
			   "the page's URL would be %zu bytes, over the %d jixia writes; shorten the %s", n,
			   MODEL_URL_MAX, what);
		return -1;
	}
	for (s = seg; *s; s++) {
		if (*s != '/')
			continue;
		if ((size_t)(s - seg) > MODEL_SEGMENT_MAX) {
			diag_error(
				pg->path, at ? at->line : 0, at ? at->col : 0,
				"a part of the page's URL would be %zu bytes, over the %d a file name can hold; "
				"shorten the %s",
				(size_t)(s - seg), MODEL_SEGMENT_MAX, what);
			return -1;
		}
		seg = s + 1;
	}
	return 0;
}

/*
 * An alias's characters past ASCII are letters, marks, digits, punctuation
 * or symbols: no control, format (bidi overrides, zero widths), space,
 * private-use or unassigned code point goes into a file name and a URL.
 */
static int S_alias_chars_ok(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	while (*p) {
		utf8proc_category_t c;
		if ((k = utf8proc_iterate(p, -1, &cp)) <= 0)
			return 0;
		c = utf8proc_category(cp);
		if (cp >= 0x80 &&
		    (c == UTF8PROC_CATEGORY_CC || c == UTF8PROC_CATEGORY_CF || c == UTF8PROC_CATEGORY_CO ||
		     c == UTF8PROC_CATEGORY_CN || c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL ||
		     c == UTF8PROC_CATEGORY_ZP))
			return 0;
		p += k;
	}
	return 1;
}

/*
 * One alias of pg, as written at v, into a: an address of this site
 * without '..', '//', a scheme or host, a query, a fragment, '%', quotes,
 * angle brackets, '\' or control characters (it is untrusted: it becomes a
 * file name and goes into HTML). Relative to pg's folder unless it starts
 * with '/'. A name ending in .html or .htm is that file, anything else a
 * folder. Returns 0, or -1 with the error reported.
 */
static int S_alias(const struct site *site, struct arena *ar, const struct page *pg, const struct ynode *v,
		   struct alias *a)
{
	const char *s = v->str, *why = NULL, *seg;
	struct buf u = BUF_INIT;
	size_t i, len;
	int rc = -1;

	if (v->kind != YNODE_SCALAR || !s[0]) {
		diag_error(pg->path, v->line, v->col, "an alias must be a path such as /old/address/");
		return -1;
	}
	for (i = 0; s[i] && !why; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == ' ')
			why = "spaces or control characters";
		else if (strchr("?#%\\\"'<>:", c))
			why = "'?', '#', '%', '\\', quotes, '<', '>' or ':' (no scheme, host, query or fragment)";
	}
	if (!why && !S_alias_chars_ok(s))
		why = "invisible, formatting or unassigned characters, or spaces";
	if (why) {
		diag_error(pg->path, v->line, v->col, "alias '%s' may not have %s", s, why);
		return -1;
	}
	if (s[0] == '/') {
		buf_puts(&u, s);
	} else {
		/* the page's folder: "/en/docs/a/b/" -> "/en/docs/a/" */
		const char *end = pg->url + strlen(pg->url) - 1;
		while (end > pg->url && end[-1] != '/')
			end--;
		buf_put(&u, pg->url, (size_t)(end - pg->url));
		buf_puts(&u, s);
	}
	for (seg = u.ptr + 1; *seg; seg += len + (seg[len] == '/')) {
		len = strcspn(seg, "/");
		if (len == 0 || (len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.')) {
			diag_error(
				pg->path, v->line, v->col,
				"alias '%s' may not have empty, '.' or '..' parts: write the address it had",
				s);
			goto done;
		}
		if (len > MODEL_SEGMENT_MAX) {
			diag_error(pg->path, v->line, v->col, "a part of alias '%s' is over %d bytes", s,
				   MODEL_SEGMENT_MAX);
			goto done;
		}
		if (seg == u.ptr + 1 && plan_reserved(seg, len)) {
			diag_error(pg->path, v->line, v->col,
				   "alias '%s' is under '%.*s', a name jixia uses for its own files", s,
				   (int)len, seg);
			goto done;
		}
	}
	if (u.len == 1) {
		diag_error(pg->path, v->line, v->col, "alias '%s' is the home page's address", s);
		goto done;
	}
	if (u.len > MODEL_URL_MAX) {
		diag_error(pg->path, v->line, v->col, "alias '%s' is over %d bytes", s, MODEL_URL_MAX);
		goto done;
	}
	if (!str_ends(u.ptr, "/") && !str_ends(u.ptr, ".html") && !str_ends(u.ptr, ".htm"))
		buf_putc(&u, '/');
	a->path = s;
	a->line = v->line;
	a->col = v->col;
	a->url = arena_strdup(ar, u.ptr);
	a->out_path = str_ends(u.ptr, "/") ? arena_printf(ar, "%sindex.html", u.ptr + 1)
					   : arena_strdup(ar, u.ptr + 1);
	a->href = S_href(site, ar, a->url);
	rc = 0;
done:
	buf_release(&u);
	return rc;
}

/* pg's aliases: a list of paths, or one. Returns 0, or -1 when one is refused. */
static int S_aliases(const struct site *site, struct arena *a, struct page *pg)
{
	const struct ynode *v = ynode_get(pg->front, "aliases");
	size_t i, n;
	int rc = 0;

	if (!v || ynode_is_null(v))
		return 0;
	n = v->kind == YNODE_SEQ ? v->n : 1;
	if (v->kind == YNODE_MAP) {
		diag_error(pg->path, v->line, v->col,
			   "'aliases' must be a list of old addresses (/old/path/)");
		return -1;
	}
	pg->aliases = arena_alloc(a, (n ? n : 1) * sizeof(*pg->aliases));
	for (i = 0; i < n; i++) {
		if (S_alias(site, a, pg, v->kind == YNODE_SEQ ? v->kids[i] : v, &pg->aliases[pg->naliases]))
			rc = -1;
		else
			pg->naliases++;
	}
	return rc;
}

/*
 * serve: the field checks of one page (S_check_fields) kept for the next
 * load (model.h, struct model_memo). Its values point into the front
 * matter of the page's parse cache entry, which lives as long as the
 * page's file is unchanged; front and html are that entry's, compared
 * only: an entry kept from the load before is the one whose pointers they
 * are (a new entry is made while the old ones still live).
 */
struct memo_page {
	char *path;
	const struct ynode *front;
	const char *html;
	size_t nvals;
	struct fval *vals;        /* as S_check_fields left them, but a default's node NULL */
	unsigned char *def;       /* per value: its node is the field's default (types are read again) */
	unsigned char *site_zone; /* per value: its zone is site.yaml's (so is the config) */
	long long date, weight;
	/* the rest of S_link_one, when it too reported nothing (and the page has no aliases) */
	int linked;
	int title_id;      /* the title is the page's id, else title (in front) */
	const char *title; /* in front */
	int draft;
	char *addr;      /* slug, url, out_path, href and permalink, each ended by a NUL, one block */
	size_t addr_len; /* the block's bytes */
};

struct model_memo {
	long tz_offset_min;   /* dates with a time of day were read at it (field_check_scalar) */
	struct memo_page **v; /* by path */
	size_t n;
	/* the terms (S_build_terms), kept while every page carries the raw terms it did (layout) */
	struct memo_term *terms;
	size_t nterms;
	int terms_kept;
	/* what the load before made of its published pages, by their place (struct memo_layout) */
	struct memo_layout *layout;
};

/*
 * serve: the published pages of the load before, by their place in
 * site->pages, and what model_link made of them. A load whose published
 * pages have the very same paths in the same order (the same layout: the
 * same items, translations and places) takes what a page that was not
 * relinked (page.relinked: the same front matter, so the same values,
 * title and address) made then: its place in the list order, its
 * references resolved, its raw terms. Kept only from a load whose model
 * reported no error.
 */
struct memo_raw {
	unsigned char lang, tax;
	long target;      /* the page a ref value names (its title is the name, its id the text), -1 none */
	const char *text; /* no target: the value's text (in the page's front matter) */
	int line, col;
};

struct memo_layout {
	char **paths; /* the published pages' paths, in site->pages order */
	size_t n;
	uint64_t gen;           /* its number (site.layout_gen) */
	size_t *order;          /* the pages in list order (order[r]: the page of rank r + 1) */
	unsigned char *expired; /* per page */
	/* references: page i's values' targets are refs[ref_at[i]..ref_at[i + 1]), in the order
	   S_resolve_refs meets them (-1: text); ref_ok[i] 0 when they are not kept */
	size_t *ref_at;
	long *refs;
	unsigned char *ref_ok;
	/* raw terms: page i's are raws[raw_at[i]..raw_at[i + 1]), under digest[i]; raw_ok[i] 0: none kept */
	size_t *raw_at;
	struct memo_raw *raws;
	uint64_t (*digest)[2];
	unsigned char *raw_ok;
	char **keys;   /* per page: its URL folded (S_check_duplicates), or NULL */
	size_t *items; /* site->items (S_link_translations) by place */
	long *ring;    /* per page: the place of its next translation, -1 none */
	/* the back-references sorted (S_group_edges): target, referring page, field by place */
	struct memo_edge {
		size_t to, from, field;
	} * edges;
	size_t nedges;
};

/* This load's layout (S_layout_*): the one before when the same, and the one it fills for the next. */
struct layout_run {
	const struct memo_layout *old; /* NULL: not the same layout (or none kept) */
	struct memo_layout *next;      /* NULL: a plain build keeps none */
	size_t nrefs, caprefs, nraws, capraws;
	int keys_kept;      /* next takes old's keys (the same URLs) */
	int edges_same;     /* every page names the pages it named, and is expired or not as it was */
	long long *time_of; /* per page: S_time_of, from the rank to the references (S_times_of) */
};

/* This load's: the memo taken from the load before (site->memo), and the one it fills. */
struct memo_run {
	struct model_memo *old, *next;
	size_t at; /* old->v[at] is the first path not before the page's */
};

static void S_memo_page_free(struct memo_page *m)
{
	if (!m)
		return;
	free(m->path);
	free(m->addr);
	free(m->vals);
	free(m->def);
	free(m->site_zone);
	free(m);
}

static void S_memo_terms_clear(struct model_memo *m);

static void S_layout_free(struct memo_layout *l)
{
	size_t i;
	if (!l)
		return;
	for (i = 0; l->paths && i < l->n; i++)
		free(l->paths[i]);
	free(l->paths);
	free(l->order);
	free(l->expired);
	free(l->ref_at);
	free(l->refs);
	free(l->ref_ok);
	free(l->raw_at);
	free(l->raws);
	free(l->digest);
	free(l->raw_ok);
	for (i = 0; l->keys && i < l->n; i++)
		free(l->keys[i]);
	free(l->keys);
	free(l->items);
	free(l->ring);
	free(l->edges);
	free(l);
}

struct model_memo *model_memo_new(void)
{
	return xcalloc(1, sizeof(struct model_memo));
}

void model_memo_free(struct model_memo *m)
{
	size_t i;
	if (!m)
		return;
	for (i = 0; i < m->n; i++)
		S_memo_page_free(m->v[i]);
	free(m->v);
	S_memo_terms_clear(m);
	S_layout_free(m->layout);
	free(m);
}

/* The memo's entry for pg, taken out of the old memo, when pg is the very page it was made from. */
static struct memo_page *S_memo_take(struct memo_run *run, const struct page *pg)
{
	struct model_memo *old = run->old;
	struct memo_page *m;
	int c = 1;

	if (!old || !pg->parse_shared || !pg->front || !pg->type)
		return NULL;
	while (run->at < old->n && (!old->v[run->at] || (c = strcmp(old->v[run->at]->path, pg->path)) < 0))
		run->at++;
	if (run->at >= old->n || c != 0)
		return NULL;
	m = old->v[run->at];
	if (m->front != pg->front || m->html != pg->html || m->nvals != pg->type->nfields)
		return NULL;
	old->v[run->at] = NULL;
	return m;
}

/* pg's checks from m, as S_check_fields made them but for what reads the build time. */
static int S_memo_apply(struct site *site, struct page *pg, const struct memo_page *m)
{
	const struct type *ty = pg->type;
	size_t i, n = ty->nfields ? ty->nfields : 1;
	int rc = 0;

	pg->vals = arena_alloc(&site->arena, n * sizeof(*pg->vals));
	if (ty->nfields)
		memcpy(pg->vals, m->vals, n * sizeof(*pg->vals));
	else
		memset(pg->vals, 0, sizeof(*pg->vals));
	for (i = 0; i < ty->nfields; i++) {
		if (m->def[i])
			pg->vals[i].node = ty->fields[i].def;
		if (m->site_zone[i])
			pg->vals[i].zone = site->cfg->timezone;
	}
	pg->date = m->date;
	pg->weight = m->weight;
	/* expired and the calls read now; they reported nothing with these values before */
	if (S_expiry(site, pg))
		rc = -1;
	if (S_wanted(site, pg))
		rc = -1;
	return rc;
}

/* A memo of pg's checks, or NULL when a value holds what a later stage sets (none should). */
static struct memo_page *S_memo_make(const struct site *site, const struct page *pg)
{
	const struct type *ty = pg->type;
	struct memo_page *m;
	size_t i;

	for (i = 0; i < ty->nfields; i++)
		if (pg->vals[i].refs || pg->vals[i].nrefs || pg->vals[i].hrefs)
			return NULL;
	m = xcalloc(1, sizeof(*m));
	m->path = xstrdup(pg->path);
	m->front = pg->front;
	m->html = pg->html;
	m->nvals = ty->nfields;
	m->vals = xmalloc((m->nvals ? m->nvals : 1) * sizeof(*m->vals));
	m->def = xcalloc(m->nvals ? m->nvals : 1, 1);
	m->site_zone = xcalloc(m->nvals ? m->nvals : 1, 1);
	for (i = 0; i < m->nvals; i++) {
		m->vals[i] = pg->vals[i];
		if (pg->vals[i].node && pg->vals[i].node == ty->fields[i].def) {
			m->def[i] = 1;
			m->vals[i].node = NULL;
		}
		if (pg->vals[i].zone && pg->vals[i].zone == site->cfg->timezone) {
			m->site_zone[i] = 1;
			m->vals[i].zone = NULL;
		}
	}
	m->date = pg->date;
	m->weight = pg->weight;
	return m;
}

/*
 * Where S_link_one puts what it makes: the site's arena on one thread, a
 * worker's own on the pool (S_link_pages), adopted by the site's after.
 */
struct link_to {
	struct arena *arena;
	size_t checked;           /* pages whose fields it checked (site.checked) */
	struct zone_times *zones; /* its pages' times of day in a zone, valued after (S_zone_values) */
};

/* S_check_fields, or its memo from the load before; what it checked quietly is kept for the next. */
static int S_fields(struct site *site, struct page *pg, struct memo_run *run, struct memo_page *m,
		    struct memo_page **kept, struct link_to *to)
{
	size_t reports, zones;
	int rc;

	*kept = NULL;
	if (m) {
		rc = S_memo_apply(site, pg, m);
		run->next->v[run->next->n++] = *kept = m;
		return rc;
	}
	to->checked++;
	reports = diag_thread_reports();
	zones = to->zones->n;
	rc = S_check_fields(site, to->arena, pg, to->zones);
	if (run->next && rc == 0 && diag_thread_reports() == reports && pg->parse_shared && pg->front &&
	    (m = S_memo_make(site, pg)) != NULL) {
		run->next->v[run->next->n++] = *kept = m;
		for (; zones < to->zones->n; zones++) /* its times valued into the memo's copy too */
			to->zones->v[zones].kept = &m->vals[to->zones->v[zones].field];
	}
	return rc;
}

/* What S_link_one gave pg after its fields, into m (it reported nothing). */
static void S_memo_link(struct memo_page *m, const struct page *pg)
{
	m->linked = 1;
	m->title_id = pg->title == pg->id;
	m->title = pg->title;
	m->draft = pg->draft;
	{
		const char *s[5] = { pg->slug, pg->url, pg->out_path, pg->href, pg->permalink };
		size_t k, len[5], at = 0;
		for (k = 0; k < 5; k++)
			m->addr_len += (len[k] = strlen(s[k])) + 1;
		m->addr = xmalloc(m->addr_len);
		for (k = 0; k < 5; k++, at++) {
			memcpy(m->addr + at, s[k], len[k] + 1);
			at += len[k];
		}
	}
}

/* S_link_one from m: its fields (S_memo_apply), title, slug and addresses. */
static int S_memo_linked(struct site *site, struct page *pg, struct memo_run *run, struct memo_page *m)
{
	int rc = S_memo_apply(site, pg, m);

	run->next->v[run->next->n++] = m;
	pg->title = m->title_id ? pg->id : m->title;
	pg->draft = m->draft;
	{
		/* the five strings in one copy: one block of the arena, one of the memo */
		char *a = arena_alloc(&site->arena, m->addr_len);
		memcpy(a, m->addr, m->addr_len);
		pg->slug = a;
		pg->url = a += strlen(a) + 1;
		pg->out_path = a += strlen(a) + 1;
		pg->href = a += strlen(a) + 1;
		pg->permalink = a + strlen(a) + 1;
	}
	return rc ? 1 : 0;
}

/* The memo this load fills, from the one site->memo holds (NULL: a plain build keeps none). */
static void S_memo_begin(struct site *site, struct memo_run *run)
{
	memset(run, 0, sizeof(*run));
	site->checked = 0;
	site->terms_made = 0;
	site->terms_gathered = 0;
	if (!site->memo)
		return;
	run->old = site->memo;
	run->next = model_memo_new();
	run->next->tz_offset_min = site->tz_offset_min;
	run->next->v = xmalloc((site->npages ? site->npages : 1) * sizeof(*run->next->v));
	/* the terms and the layout go on to the new memo as they are: model_link compares them */
	run->next->terms = run->old->terms;
	run->next->nterms = run->old->nterms;
	run->next->terms_kept = run->old->terms_kept;
	run->old->terms = NULL;
	run->old->nterms = 0;
	run->old->terms_kept = 0;
	run->next->layout = run->old->layout;
	run->old->layout = NULL;
	if (run->old->tz_offset_min != site->tz_offset_min) { /* the values were read at another offset */
		model_memo_free(run->old);
		run->old = NULL;
	}
	site->memo = run->next;
}

static void S_memo_end(struct memo_run *run)
{
	model_memo_free(run->old); /* the entries of pages changed or gone */
}

/* The last layout number given (struct memo_layout's gen: one number never names two layouts). */
static uint64_t S_layout_gens;

/*
 * serve: this load's published pages against the layout of the load
 * before (struct memo_layout): lr->old when their paths are the same, in
 * the same order; lr->next the one this load fills.
 */
static void S_layout_begin(struct site *site, struct layout_run *lr)
{
	const struct memo_layout *o = site->memo ? site->memo->layout : NULL;
	struct memo_layout *x;
	size_t i, n = site->npages;

	memset(lr, 0, sizeof(*lr));
	site->layout_gen = site->layout_prev_gen = 0;
	if (!site->memo)
		return;
	x = lr->next = xcalloc(1, sizeof(*lr->next));
	x->n = n;
	x->gen = site->layout_gen = __atomic_add_fetch(&S_layout_gens, 1, __ATOMIC_RELAXED);
	x->order = xmalloc((n ? n : 1) * sizeof(*x->order));
	x->expired = xcalloc(n ? n : 1, 1);
	x->ref_at = xcalloc(n + 1, sizeof(*x->ref_at));
	x->ref_ok = xcalloc(n ? n : 1, 1);
	x->raw_at = xcalloc(n + 1, sizeof(*x->raw_at));
	x->raw_ok = xcalloc(n ? n : 1, 1);
	x->digest = xcalloc(n ? n : 1, sizeof(*x->digest));
	x->items = xmalloc((n ? n : 1) * sizeof(*x->items));
	x->ring = xmalloc((n ? n : 1) * sizeof(*x->ring));
	if (!o || o->n != n)
		return;
	for (i = 0; i < n; i++)
		if (strcmp(o->paths[i], site->pages[i].path) != 0)
			return;
	lr->old = o;
	site->layout_prev_gen = o->gen;
}

/* The layout this load filled, for the next, when its model reported no error (rc 0); else none. */
static void S_layout_end(struct site *site, struct layout_run *lr, int rc)
{
	struct memo_layout *x = lr->next;
	size_t i;

	if (!x)
		return;
	if (rc == 0 && diag_errors() == 0) {
		if (lr->keys_kept) {
			x->keys = site->memo->layout->keys;
			site->memo->layout->keys = NULL;
		}
		if (lr->old) { /* the same paths */
			x->paths = site->memo->layout->paths;
			site->memo->layout->paths = NULL;
		} else {
			x->paths = xmalloc((x->n ? x->n : 1) * sizeof(*x->paths));
			for (i = 0; i < x->n; i++)
				x->paths[i] = xstrdup(site->pages[i].path);
		}
	} else {
		S_layout_free(x);
		x = NULL;
		site->layout_gen = 0;
	}
	S_layout_free(site->memo->layout);
	site->memo->layout = x;
	memset(lr, 0, sizeof(*lr));
}

/*
 * An introduction's title (NULL: the list keeps its own) and the list's
 * URL, for its links; its other front matter (Hugo's description,
 * linkTitle, cascade, menu...) is not checked.
 */
static void S_intro_one(struct site *site, struct page *pg)
{
	const struct ynode *v = ynode_get(pg->front, "title");
	pg->title = v && v->kind == YNODE_SCALAR && v->str[0] ? v->str : NULL;
	pg->date = LLONG_MIN;
	pg->url = arena_printf(&site->arena, "/%s%s%s", pg->lang->prefix, pg->section,
			       pg->section[0] ? "/" : "");
	pg->out_path = NULL;
	pg->href = S_href(site, &site->arena, pg->url);
	pg->permalink = arena_printf(&site->arena, "%s%s", site->cfg->base_url, pg->url + 1);
	pg->slug = "";
}

/*
 * pg's front_lacks, once its type is known: each key is walked here, with
 * the model's own reads of the front matter, rather than by the render's
 * first lookup, where the front matter is seldom in the cache any more.
 * kf, when not NULL, is S_key_fields' field of each key (S_check_fields):
 * the keys' fields not looked up again.
 */
static void S_front_lacks(struct page *pg, const long *kf)
{
	const struct ynode *fm = pg->front;
	uint64_t has = 0;
	size_t i;

	for (i = 0; fm && fm->kind == YNODE_MAP && i + 1 < fm->n; i += 2) {
		const struct ynode *k = fm->kids[i];
		/* (a key not a string, which a damaged parse cache could hold, matches no name) */
		if (k->kind == YNODE_SCALAR && k->str && (kf ? kf[i / 2] < 0 : !type_field(pg->type, k->str)))
			has |= (uint64_t)1 << page_key_bit(k->str, k->len);
	}
	pg->front_lacks = ~has;
}

/*
 * Checks pg's fields and gives it its title, slug and URL. Returns 0; 1
 * when a value failed its check: the page stays in the model, so that
 * references to it, links to it and its own links are checked in the same
 * run (the build stops before writing anything); -1 when it has no URL:
 * the page is left out.
 */
static int S_link_one(struct site *site, struct page *pg, struct memo_run *memo, struct link_to *to)
{
	const struct ynode *v;
	const char *slug = pg->id, *bad;
	struct buf url = BUF_INIT;
	struct memo_page *m = NULL;
	size_t reports = diag_thread_reports(), checked;
	int rc = 0;

	pg->type = pg->section[0] ? types_by_folder(&site->types, pg->section) : NULL;
	pg->date = LLONG_MIN;
	if (pg->type && (m = S_memo_take(memo, pg)) != NULL && m->linked) {
		S_front_lacks(pg, NULL);
		return S_memo_linked(site, pg, memo, m);
	}
	pg->relinked = 1;
	checked = to->checked;
	if (pg->type && S_fields(site, pg, memo, m, &m, to))
		rc = 1;
	if (to->checked == checked) /* else S_check_fields found it with the keys' fields */
		S_front_lacks(pg, NULL);
	pg->title = S_front_string(pg, pg->type ? pg->type->title_field : "title");
	if (!pg->title)
		pg->title = S_front_string(pg, "title");
	if (!pg->title)
		pg->title = S_front_string(pg, "name");
	if (!pg->title)
		pg->title = pg->id;
	if ((v = ynode_get(pg->front, "draft")) && !ynode_bool(v, &pg->draft)) {
		diag_error(pg->path, v->line, v->col, "'draft' must be true or false");
		return -1;
	}
	if ((v = ynode_get(pg->front, "slug"))) {
		if (v->kind != YNODE_SCALAR || !model_slug_ok(v->str)) {
			diag_error(pg->path, v->line, v->col,
				   "slug must be letters, digits, '-' and '_', with '/' between parts");
			return -1;
		}
		slug = v->str;
	} else if ((bad = S_slug_bad(slug)) != NULL) {
		int cp = text_cp(bad);
		char why[32] = "";
		/* an unseen character is named, or the message would quote what looks a good name */
		if (cp >= 0)
			snprintf(why, sizeof(why), " (not U+%04X)", (unsigned)cp);
		diag_error(
			pg->path, 0, 0,
			"the file name gives the URL '%s', which may only have letters, digits, '-' and '_'%s; rename the file or set 'slug:'",
			slug, why);
		return -1;
	}
	pg->slug = arena_strdup(to->arena, slug);
	{
		/* the first segment of the URL under the language */
		const char *first = pg->section[0] ? pg->section : pg->slug;
		size_t n = strcspn(first, "/");
		if (model_reserved_segment(site, first, n)) {
			diag_error(
				pg->path, 0, 0,
				"'%.*s' is a name jixia uses for its own pages (search, feeds, taxonomies, languages, ...); choose another %s",
				(int)n, first, pg->section[0] ? "folder" : "file name or slug");
			return -1;
		}
	}

	buf_putc(&url, '/');
	buf_puts(&url, pg->lang->prefix);
	if (pg->section[0]) {
		buf_puts(&url, pg->section);
		buf_putc(&url, '/');
	}
	buf_puts(&url, pg->slug);
	buf_putc(&url, '/');
	pg->url = arena_strndup(to->arena, url.ptr, url.len);
	pg->out_path = S_cat(to->arena, pg->url + 1, "index.html");
	pg->href = S_href(site, to->arena, pg->url);
	pg->permalink = S_cat(to->arena, site->cfg->base_url, pg->url + 1);
	buf_release(&url);
	if (S_url_fits(pg))
		return -1;
	if (S_aliases(site, to->arena, pg))
		rc = 1;
	if (m && rc == 0 && !pg->naliases && diag_thread_reports() == reports)
		S_memo_link(m, pg);
	return rc;
}

char *model_fold(const char *s)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n;
	char *r;
	size_t i;

	/* ASCII, most URLs and paths: NFKC leaves it as it is and case folding
	   is A-Z to a-z, without a trip through utf8proc per string */
	for (i = 0; s[i] && !((unsigned char)s[i] & 0x80); i++)
		;
	if (!s[i]) {
		r = xmalloc(i + 1);
		for (i = 0; s[i]; i++)
			r[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
		r[i] = '\0';
		return r;
	}
	n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
				 UTF8PROC_CASEFOLD);
	if (n < 0)
		return xstrdup(s); /* invalid UTF-8 never gets here: source refuses it */
	r = xstrdup((const char *)out);
	free(out);
	return r;
}

/* A term's URL segment, in the site's arena. */
static const char *S_slugify(struct site *site, const char *text)
{
	return model_slug_text(&site->arena, text);
}

const char *model_slug_text(struct arena *a, const char *text)
{
	char *f = model_fold(text);
	struct buf b = BUF_INIT;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)f;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	const char *r;
	int dash = 0;

	while (*p && (k = utf8proc_iterate(p, -1, &cp)) > 0) {
		utf8proc_category_t c = utf8proc_category(cp);
		int keep = (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
			   (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME && b.len > 0) ||
			   (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO) || cp == '_';
		if (keep) {
			if (dash && b.len)
				buf_putc(&b, '-');
			dash = 0;
			buf_put(&b, p, (size_t)k);
		} else {
			dash = 1;
		}
		p += k;
	}
	r = arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	free(f);
	return r;
}

struct url_key {
	char *key;
	struct page *pg;
};

static int S_key_cmp(const void *a, const void *b)
{
	const struct url_key *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->pg->path, y->pg->path);
}

/*
 * A plain build's pages have URLs that fold (model_fold) to distinct keys:
 * the keys in one buffer, told apart by a table of their hashes, not
 * sorted. 0 when two are one key: S_check_duplicates' sort then finds and
 * reports them.
 */
static int S_urls_distinct(const struct site *site)
{
	struct buf keys = BUF_INIT;
	size_t *at = xmalloc((site->npages + 1) * sizeof(*at)), *slot, cap = 16, i, k;
	uint64_t *hash = xmalloc((site->npages ? site->npages : 1) * sizeof(*hash));
	int distinct = 1;

	for (i = 0; i < site->npages; i++) {
		char *f = model_fold(site->pages[i].url);
		at[i] = keys.len;
		buf_put(&keys, f, strlen(f) + 1);
		free(f);
	}
	while (cap < 2 * site->npages)
		cap *= 2;
	slot = xcalloc(cap, sizeof(*slot)); /* a page's index + 1, 0 for none */
	for (i = 0; distinct && i < site->npages; i++) {
		const char *key = keys.ptr + at[i];
		hash[i] = hash_keyed(key, strlen(key));
		for (k = (size_t)hash[i] & (cap - 1); slot[k]; k = (k + 1) & (cap - 1))
			if (hash[slot[k] - 1] == hash[i] && strcmp(keys.ptr + at[slot[k] - 1], key) == 0)
				distinct = 0;
		slot[k] = i + 1;
	}
	free(slot);
	free(hash);
	free(at);
	buf_release(&keys);
	return distinct;
}

/*
 * Two pages with one URL, also when the URLs differ only in letter case or
 * Unicode normalisation: on a case-insensitive disk or after a browser
 * normalises the URL they would be one file.
 */
static int S_check_duplicates(struct site *site, struct layout_run *lr)
{
	struct url_key *v;
	char **keys;
	size_t i;
	int rc = 0, kept = lr->old && lr->old->keys, same = kept;

	if (!lr->old && !lr->next && S_urls_distinct(site)) /* nothing to keep for serve's next load */
		return 0;
	keys = xmalloc((site->npages ? site->npages : 1) * sizeof(*keys));

	/* serve, the same layout: the load before had no two pages at one URL and the pages not
	   relinked are at theirs still; when each relinked one is at its URL of then too, none has */
	for (i = 0; i < site->npages; i++) {
		keys[i] = !kept || site->pages[i].relinked ? model_fold(site->pages[i].url) : NULL;
		if (kept && keys[i] && strcmp(keys[i], lr->old->keys[i]) != 0)
			same = 0;
	}
	if (same) {
		for (i = 0; i < site->npages; i++)
			free(keys[i]);
		free(keys);
		lr->keys_kept = 1;
		return 0;
	}
	v = xmalloc((site->npages ? site->npages : 1) * sizeof(*v));
	for (i = 0; i < site->npages; i++) {
		if (!keys[i])
			keys[i] = xstrdup(lr->old->keys[i]);
		v[i].key = keys[i];
		v[i].pg = &site->pages[i];
	}
	qsort(v, site->npages, sizeof(*v), S_key_cmp);
	for (i = 1; i < site->npages; i++) {
		if (strcmp(v[i - 1].key, v[i].key) == 0) {
			diag_error(v[i].pg->path, 0, 0, "'%s' and '%s' both make the page %s",
				   v[i - 1].pg->path, v[i].pg->path, v[i].pg->url);
			rc = -1;
		}
	}
	free(v);
	if (lr->next) {
		lr->next->keys = keys;
		return rc;
	}
	for (i = 0; i < site->npages; i++)
		free(keys[i]);
	free(keys);
	return rc;
}

/* Items are the same when section and id match; order by language after that. */
static int S_item_cmp(const void *a, const void *b)
{
	const struct page *x = *(const struct page *const *)a, *y = *(const struct page *const *)b;
	int c = strcmp(x->section, y->section);
	if (!c)
		c = strcmp(x->id, y->id);
	return c ? c : strcmp(x->lang->code, y->lang->code);
}

/*
 * Sorts the items (site->items) and links each item's languages into a
 * ring. The sorted index also serves reference lookup.
 */
static void S_link_translations(struct site *site, struct page ***items, struct layout_run *lr)
{
	struct page **v = xmalloc((site->npages ? site->npages : 1) * sizeof(*v));
	size_t i, j, n = 0;

	if (lr->old) { /* serve, the same layout: the same items, in the same order, the same rings */
		for (i = 0; i < site->npages; i++) {
			v[i] = &site->pages[lr->old->items[i]];
			site->pages[i].next_translation =
				lr->old->ring[i] >= 0 ? &site->pages[lr->old->ring[i]] : NULL;
		}
		n = site->npages;
	} else {
		for (i = 0; i < site->npages; i++)
			v[n++] = &site->pages[i];
		qsort(v, n, sizeof(*v), S_item_cmp);
		for (i = 0; i < n; i = j) {
			for (j = i + 1; j < n && strcmp(v[i]->section, v[j]->section) == 0 &&
					strcmp(v[i]->id, v[j]->id) == 0;
			     j++)
				v[j - 1]->next_translation = v[j];
			v[j - 1]->next_translation = j - 1 > i ? v[i] : NULL;
		}
	}
	for (i = 0; lr->next && i < n; i++) {
		const struct page *t = site->pages[i].next_translation;
		lr->next->items[i] = (size_t)(v[i] - site->pages);
		lr->next->ring[i] = t ? (long)(t - site->pages) : -1;
	}
	*items = v;
}

/* The item (folder, id) in language lang, else in the default language, else any. */
struct page *page_in_lang(const struct page *pg, const struct lang *l)
{
	const struct page *t = pg;
	do {
		if (t->lang == l)
			return (struct page *)t;
		t = t->next_translation;
	} while (t && t != pg);
	return NULL;
}

long long model_day(const struct site *site, long long t, int off)
{
	long long s = t + (site->cfg->tz_set ? (long long)site->tz_offset_min : (long long)off) * 60;
	return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

const struct page *page_original(const struct page *pg)
{
	const struct page *t = pg, *best = pg;
	do {
		if (t->lang->is_default)
			return t;
		if (t->lang < best->lang)
			best = t;
		t = t->next_translation;
	} while (t && t != pg);
	return best;
}

int page_fallback(const struct page *pg, const struct lang *l, const struct config *cfg)
{
	return cfg->trans_fallback && pg->lang != l && !page_in_lang(pg, l) && page_original(pg) == pg;
}

/* The hash of an item's folder and id (model_find's table), under the process's key (hash_keyed). */
static uint64_t S_item_hash_in(uint64_t folder_hash, const char *id)
{
	return folder_hash ^ (hash_keyed(id, strlen(id)) * 0x9e3779b97f4a7c15ull);
}

static uint64_t S_item_hash(const char *folder, const char *id)
{
	return S_item_hash_in(hash_keyed(folder, strlen(folder)), id);
}

/*
 * model_find's table over site->items (sorted: an item's pages are
 * together, its first in language order first): a lookup per reference
 * costs one hash, not a binary search of strcmp pairs over every page.
 */
static void S_index_items(struct site *site)
{
	size_t i, k, cap = 16;

	while (cap < 2 * site->npages)
		cap *= 2;
	free(site->item_slots);
	site->item_slots = xcalloc(cap, sizeof(*site->item_slots));
	site->item_cap = cap;
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = site->items[i];
		uint64_t h;
		if (i > 0 && strcmp(site->items[i - 1]->section, pg->section) == 0 &&
		    strcmp(site->items[i - 1]->id, pg->id) == 0)
			continue; /* the item's first page is in */
		h = S_item_hash(pg->section, pg->id);
		for (k = (size_t)h & (cap - 1); site->item_slots[k].at; k = (k + 1) & (cap - 1))
			;
		site->item_slots[k].hash = h;
		site->item_slots[k].at = i + 1;
	}
}

/* model_find with h, S_item_hash(folder, id), given. */
static struct page *S_find_hashed(const struct site *site, uint64_t h, const char *folder, const char *id,
				  const struct lang *lang)
{
	size_t k;
	struct page *p, *first = NULL;

	if (!site->item_cap)
		return NULL;
	for (k = (size_t)h & (site->item_cap - 1); site->item_slots[k].at;
	     k = (k + 1) & (site->item_cap - 1)) {
		struct page *pg = site->items[site->item_slots[k].at - 1];
		if (site->item_slots[k].hash == h && strcmp(pg->section, folder) == 0 &&
		    strcmp(pg->id, id) == 0) {
			first = pg;
			break;
		}
	}
	if (!first)
		return NULL;
	if ((p = page_in_lang(first, lang)) != NULL ||
	    (p = page_in_lang(first, site->cfg->default_lang)) != NULL)
		return p;
	return first;
}

struct page *model_find(const struct site *site, const char *folder, const char *id, const struct lang *lang)
{
	return S_find_hashed(site, S_item_hash(folder, id), folder, id, lang);
}

/* A back-reference before grouping: the page it points to, and from where. */
struct edge_rec {
	struct page *to;
	struct backref e;
};

/*
 * A page not translated into a language is listed there in its original
 * language (translations.fallback): on the versions in that language of
 * the pages it names too, so /en/people/x/ shows x's untranslated talks.
 */
static void S_fallback_edges(struct site *site, struct buf *edges, const struct edge_rec *r)
{
	size_t k;
	for (k = 0; k < site->cfg->nlangs; k++) {
		const struct lang *l = &site->cfg->langs[k];
		struct edge_rec f = *r;
		if (!page_fallback(r->e.from, l, site->cfg) || !(f.to = page_in_lang(r->to, l)))
			continue;
		buf_put(edges, &f, sizeof(f));
	}
}

/*
 * The id nearest a ref value that names no item of type to: the ids, and
 * each item's title in every language (a person's name, 张伟, stands for
 * their id). names[type] is filled on the first miss of a type.
 */
static const char *S_ref_hint(const struct site *site, const struct type *to, const char *typo,
			      struct suggest *names)
{
	struct suggest *s = &names[to - site->types.v];
	size_t lo = 0, hi = site->npages, i;
	if (s->n == 0) {
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (strcmp(site->items[mid]->section, to->folder) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (i = lo; i < site->npages && strcmp(site->items[i]->section, to->folder) == 0; i++) {
			const struct page *pg = site->items[i];
			suggest_add(s, pg->id, pg->id);
			if (strcmp(pg->title, pg->id) != 0)
				suggest_add(s, pg->title, pg->id);
		}
	}
	return suggest_best(s, typo);
}

/*
 * Keeps the names of the pages about to be left out for their errors
 * (site->failed_items, failed_paths), before model_link drops them.
 */
static void S_note_failed(struct site *site)
{
	size_t i, n = 0;

	for (i = 0; i < site->npages; i++)
		n += site->pages[i].failed;
	site->failed_items = arena_alloc(&site->arena, (n ? n : 1) * sizeof(*site->failed_items));
	site->failed_paths = arena_alloc(&site->arena, (n ? n : 1) * sizeof(*site->failed_paths));
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		if (!pg->failed)
			continue;
		/* a section has no '/': the first one ends it */
		site->failed_items[site->nfailed] = arena_printf(&site->arena, "%s/%s", pg->section, pg->id);
		site->failed_paths[site->nfailed++] = pg->path;
	}
	qsort(site->failed_items, n, sizeof(*site->failed_items), str_ptr_cmp);
	qsort(site->failed_paths, n, sizeof(*site->failed_paths), str_ptr_cmp);
}

static const char *S_str_key(const void *elem)
{
	return *(const char *const *)elem;
}

int model_failed_at(const struct site *site, const char *path, size_t n)
{
	return bsearch_key(site->failed_paths, site->nfailed, sizeof(*site->failed_paths), S_str_key, path,
			   n) != NULL;
}

/* The item (folder, id) was left out for its errors. */
static int S_failed_item(const struct site *site, const char *folder, const char *id)
{
	struct buf key = BUF_INIT;
	int found;
	buf_printf(&key, "%s/%s", folder, id);
	found = bsearch_key(site->failed_items, site->nfailed, sizeof(*site->failed_items), S_str_key,
			    key.ptr, key.len) != NULL;
	buf_release(&key);
	return found;
}

/*
 * How much s, a value of a ref field that may be text (or_text) and names
 * no item, looks like an id: 0 not at all, 1 written like one (lower-case
 * ASCII letters, digits, '-', '_' and '/', a letter among them), 2 that
 * and with a '-', '_' or '/' in it. The author meant an item at 2, and at
 * 1 when it is a near miss of an id; anything else ("浙江大学 201 室",
 * "Zoom", "138-0000-0000") is text.
 */
/*
 * A field that names pages of a type (field.to), with that type and the
 * hash of its folder (model_find's), found once per field rather than per
 * value: every page of a type walks its ref fields alone (S_ref_fields).
 */
struct ref_field {
	size_t k;              /* its index in the type's fields (and the page's vals) */
	const struct field *f; /* the type's field k */
	const struct type *to; /* the type it names, NULL when site.yaml failed to define it */
	uint64_t folder_hash;  /* hash_keyed of to->folder */
};

/* Each type's ref fields, in field order: those of site->types.v[t] are v[at[t]..at[t + 1]). */
struct ref_fields {
	struct ref_field *v;
	size_t *at;
};

static void S_ref_fields(const struct site *site, struct ref_fields *rf)
{
	size_t t, k, n = 0;

	for (t = 0; t < site->types.n; t++)
		for (k = 0; k < site->types.v[t].nfields; k++)
			n += site->types.v[t].fields[k].to != NULL;
	rf->v = xmalloc((n ? n : 1) * sizeof(*rf->v));
	rf->at = xmalloc((site->types.n + 1) * sizeof(*rf->at));
	for (t = 0, n = 0; t < site->types.n; t++) {
		const struct type *ty = &site->types.v[t];
		rf->at[t] = n;
		for (k = 0; k < ty->nfields; k++) {
			struct ref_field *r = &rf->v[n];
			if (!ty->fields[k].to)
				continue;
			r->k = k;
			r->f = &ty->fields[k];
			r->to = types_by_name(&site->types, r->f->to);
			r->folder_hash = r->to ? hash_keyed(r->to->folder, strlen(r->to->folder)) : 0;
			n++;
		}
	}
	rf->at[site->types.n] = n;
}

static int S_id_shape(const char *s)
{
	int letter = 0, sep = 0;
	for (; *s; s++) {
		if (*s >= 'a' && *s <= 'z')
			letter = 1;
		else if (*s == '-' || *s == '_' || *s == '/')
			sep = 1;
		else if (*s < '0' || *s > '9')
			return 0;
	}
	return letter ? 1 + sep : 0;
}

/*
 * Resolves one ref value; adds a back-reference when the languages match.
 * Returns 0, 1 when the value is text (a field with or_text), or -1.
 */
/* A back-reference from pg's field f to t, when the languages match (and its fallbacks). */
static void S_edge_add(struct site *site, struct page *pg, const struct field *f, struct page *t,
		       struct buf *edges)
{
	struct edge_rec r;
	/* an expired item is listed nowhere, nor on the pages it names */
	if (t->lang == pg->lang && t != pg && !pg->expired) {
		r.to = t;
		r.e.from = pg;
		r.e.field = f;
		buf_put(edges, &r, sizeof(r));
		S_fallback_edges(site, edges, &r);
	}
}

static int S_resolve(struct site *site, struct page *pg, const struct ref_field *rf, const struct ynode *v,
		     struct page **out, struct buf *edges, struct suggest *names)
{
	const struct field *f = rf->f;
	const struct type *to = rf->to;
	struct page *t;
	/* A field naming a type that site.yaml failed to define: already an error there. */
	if (!to)
		return -1;
	t = S_find_hashed(site, S_item_hash_in(rf->folder_hash, v->str), to->folder, v->str, pg->lang);
	if (!t && S_failed_item(site, to->folder, v->str))
		return -1; /* its errors are reported in it */
	if (!t) {
		struct buf hint = BUF_INIT;
		int shape = f->or_text ? S_id_shape(v->str) : 2;
		const char *near = shape ? S_ref_hint(site, to, v->str, names) : NULL;
		if (shape == 0 || (shape == 1 && !near))
			return 1;
		diag_error(pg->path, v->line, v->col,
			   "'%s' refers to %s '%s', which does not exist (no content/%s/%s.md%s)%s", f->name,
			   f->to, v->str, to->folder, v->str,
			   f->or_text && !near ? "; text written like an id is taken for one" : "",
			   suggest_hint(&hint, near));
		buf_release(&hint);
		return -1;
	}
	*out = t;
	S_edge_add(site, pg, f, t, edges);
	return 0;
}

/* Page i's references for the next load: its values' targets from refs[first], ok when they may be kept. */
static void S_refs_note(struct layout_run *lr, size_t i, size_t first, int ok)
{
	if (!lr->next)
		return;
	lr->next->ref_at[i] = first;
	lr->next->ref_ok[i] = (unsigned char)ok;
	lr->next->ref_at[i + 1] = lr->nrefs;
}

static void S_ref_push(struct layout_run *lr, long target)
{
	if (!lr->next)
		return;
	ARRAY_GROW(lr->next->refs, lr->nrefs, lr->caprefs, 256);
	lr->next->refs[lr->nrefs++] = target;
}

/*
 * serve: page pg (the i-th) resolved to the targets of the load before: a
 * page not relinked has the same values, and in the same layout each names
 * the same page (or is text: one not written like an id). The back-references
 * are added again, as whether they are depends on what may change (expired).
 */
static int S_refs_kept(struct site *site, struct layout_run *lr, size_t i, struct buf *edges)
{
	const struct memo_layout *o = lr->old;
	struct page *pg = &site->pages[i];
	size_t k, j, at, first = lr->nrefs;

	if (!o || pg->relinked || !o->ref_ok[i])
		return 0;
	at = o->ref_at[i];
	for (k = 0; pg->type && k < pg->type->nfields; k++) {
		const struct field *f = &pg->type->fields[k];
		struct fval *fv = &pg->vals[k];
		size_t cnt;
		if (!fv->node || !f->to)
			continue;
		cnt = f->kind == FIELD_REF ? 1 : fv->node->n;
		fv->refs = arena_alloc(&site->arena, (cnt ? cnt : 1) * sizeof(*fv->refs));
		for (j = 0; j < cnt && at < o->ref_at[i + 1]; j++, at++) {
			S_ref_push(lr, o->refs[at]);
			if (o->refs[at] < 0)
				continue;
			fv->refs[fv->nrefs++] = &site->pages[o->refs[at]];
			S_edge_add(site, pg, f, &site->pages[o->refs[at]], edges);
		}
	}
	S_refs_note(lr, i, first, 1);
	return 1;
}

/* One value's result for the next load: its target, -1 for text that is never an id, else not kept. */
static int S_ref_result(struct layout_run *lr, const struct field *f, const struct ynode *v, int r,
			struct page *t, const struct site *site)
{
	if (r == 0) {
		S_ref_push(lr, (long)(t - site->pages));
		return 1;
	}
	/* text written like an id is text only while no id or title is near it: that may change */
	if (r == 1 && f->or_text && S_id_shape(v->str) == 0) {
		S_ref_push(lr, -1);
		return 1;
	}
	return 0;
}

/* Page i's values resolved again (from refs[first]) to the targets they had in the load before. */
static int S_refs_same(const struct layout_run *lr, size_t i, size_t first, int ok)
{
	const struct memo_layout *o = lr->old;
	size_t n = lr->nrefs - first;
	return ok && o->ref_ok[i] && o->ref_at[i + 1] - o->ref_at[i] == n &&
	       (n == 0 || memcmp(o->refs + o->ref_at[i], lr->next->refs + first, n * sizeof(*o->refs)) == 0);
}

static int S_resolve_refs(struct site *site, struct buf *edges, struct layout_run *lr)
{
	struct suggest *names = xcalloc(site->types.n + 1, sizeof(*names)); /* a type's, on its first miss */
	struct ref_fields rf;
	size_t i, j, t, x, end;
	int rc = 0;

	S_ref_fields(site, &rf);

	/* the back-references are the load before's when every page names what it named then */
	lr->edges_same = lr->old && lr->old->edges;
	for (i = 0; lr->edges_same && i < site->npages; i++)
		if (lr->old->expired[i] != (unsigned char)site->pages[i].expired)
			lr->edges_same = 0;
	for (i = 0; i < site->npages; i++) {
		struct page *pg = &site->pages[i];
		size_t first = lr->nrefs;
		int ok = 1;
		if (S_refs_kept(site, lr, i, edges))
			continue;
		t = pg->type ? (size_t)(pg->type - site->types.v) : site->types.n; /* none: no fields */
		end = pg->type ? rf.at[t + 1] : rf.at[t];
		for (x = rf.at[t]; x < end; x++) {
			const struct field *f = rf.v[x].f;
			struct fval *fv = &pg->vals[rf.v[x].k];
			if (!fv->node)
				continue;
			if (f->kind == FIELD_REF) {
				int r;
				fv->refs = arena_alloc(&site->arena, sizeof(*fv->refs));
				if ((r = S_resolve(site, pg, &rf.v[x], fv->node, fv->refs, edges, names)) < 0)
					rc = -1;
				else if (r == 0)
					fv->nrefs = 1;
				if (!S_ref_result(lr, f, fv->node, r, r == 0 ? fv->refs[0] : NULL, site))
					ok = 0;
				continue;
			}
			fv->refs = arena_alloc(&site->arena,
					       (fv->node->n ? fv->node->n : 1) * sizeof(*fv->refs));
			for (j = 0; j < fv->node->n; j++) {
				int r = S_resolve(site, pg, &rf.v[x], fv->node->kids[j], &fv->refs[fv->nrefs],
						  edges, names);
				if (r)
					rc = -1;
				if (!S_ref_result(lr, f, fv->node->kids[j], r,
						  r == 0 ? fv->refs[fv->nrefs] : NULL, site))
					ok = 0;
				if (!r)
					fv->nrefs++;
			}
		}
		S_refs_note(lr, i, first, ok);
		if (lr->edges_same && !S_refs_same(lr, i, first, ok))
			lr->edges_same = 0;
	}
	for (i = 0; i < site->types.n; i++)
		suggest_release(&names[i]);
	free(names);
	free(rf.v);
	free(rf.at);
	return rc;
}

/* Newest first (undated last), then by title, then by path: the list order. */
/* The instant of pg's date (role date) when it has a time of day, else LLONG_MIN. */
static long long S_time_of(const struct page *pg)
{
	const struct fval *v = pg->type ? page_value(pg, pg->type->roles.date) : NULL;
	return v && v->node && v->timed ? v->at : LLONG_MIN;
}

/*
 * Each published page's S_time_of, its type's date field found once per
 * type (the field page_value would find: the first of that name) rather
 * than by name per page, and per page once for the pages' order and the
 * references' (S_sort_pages, S_edge_keys).
 */
static long long *S_times_of(const struct site *site)
{
	long *datef = xmalloc((site->types.n + 1) * sizeof(*datef));
	long long *at = xmalloc((site->npages ? site->npages : 1) * sizeof(*at));
	size_t i;

	for (i = 0; i < site->types.n; i++) {
		const struct type *ty = &site->types.v[i];
		const struct field *f = ty->roles.date ? type_field(ty, ty->roles.date) : NULL;
		datef[i] = f ? (long)(f - ty->fields) : -1;
	}
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		long fi = pg->type ? datef[pg->type - site->types.v] : -1;
		const struct fval *v = fi >= 0 ? &pg->vals[fi] : NULL;
		at[i] = v && v->node && v->timed ? v->at : LLONG_MIN;
	}
	free(datef);
	return at;
}

int model_list_cmp(const void *a, const void *b)
{
	const struct page *x = *(const struct page *const *)a, *y = *(const struct page *const *)b;
	long long tx, ty;
	int c;
	if (x->list_rank && y->list_rank) /* S_rank_pages: the order below, found once */
		return x->list_rank < y->list_rank ? -1 : x->list_rank > y->list_rank;
	if (x->date != y->date)
		return x->date > y->date ? -1 : 1;
	/* the same day: the later time first, as the days go (a day without a time last) */
	if (x->date != LLONG_MIN && (tx = S_time_of(x)) != (ty = S_time_of(y)))
		return tx > ty ? -1 : 1;
	if ((c = strcmp(x->title, y->title)) != 0)
		return c;
	return strcmp(x->path, y->path);
}

/* A page's keys of the list order (model_list_cmp), read once rather than in every comparison. */
struct list_key {
	long long date, time;
	const char *title, *path;
	struct page *pg;
};

static int S_list_key_cmp(const void *a, const void *b)
{
	const struct list_key *x = a, *y = b;
	int c;
	if (x->date != y->date)
		return x->date > y->date ? -1 : 1;
	if (x->date != LLONG_MIN && x->time != y->time)
		return x->time > y->time ? -1 : 1;
	if ((c = strcmp(x->title, y->title)) != 0)
		return c;
	return strcmp(x->path, y->path);
}

/*
 * The published pages into v in model_list_cmp's order (before any has a
 * rank), the time of each page's date found once (S_time_of reads the
 * type's fields by name) rather than in each comparison that meets it.
 */
static void S_sort_pages(struct site *site, const long long *time_of, struct page **v)
{
	struct list_key *k = xmalloc((site->npages ? site->npages : 1) * sizeof(*k));
	size_t i;

	for (i = 0; i < site->npages; i++) {
		struct page *pg = &site->pages[i];
		k[i].date = pg->date;
		k[i].time = pg->date != LLONG_MIN ? time_of[i] : LLONG_MIN;
		k[i].title = pg->title;
		k[i].path = pg->path;
		k[i].pg = pg;
	}
	qsort(k, site->npages, sizeof(*k), S_list_key_cmp);
	for (i = 0; i < site->npages; i++)
		v[i] = k[i].pg;
	free(k);
}

/*
 * Every published page's place in the list order, found by one sort: the
 * many sorts after it (each list, term and reference group) then compare
 * two numbers instead of dates, times and titles. Nothing after the model
 * changes a date or a title, and the order is total (the path decides
 * last), so a rank and a full comparison never disagree.
 */
static void S_rank_pages(struct site *site, struct layout_run *lr)
{
	struct page **v = xmalloc((site->npages ? site->npages : 1) * sizeof(*v));
	size_t i, n = 0, moved = 0;

	for (i = 0; i < site->npages; i++) {
		site->pages[i].list_rank = 0;
		moved += site->pages[i].relinked;
	}
	if (lr->old && moved <= 256) {
		/* serve, the same layout: the pages not relinked keep their dates and titles, so their
		   order of the load before; the few relinked go in where a binary search puts them */
		for (i = 0; i < site->npages; i++)
			if (!site->pages[lr->old->order[i]].relinked)
				v[n++] = &site->pages[lr->old->order[i]];
		for (i = 0; i < site->npages; i++) {
			struct page *pg = &site->pages[i];
			size_t lo = 0, hi = n;
			if (!pg->relinked)
				continue;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (model_list_cmp(&v[mid], &pg) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			memmove(v + lo + 1, v + lo, (n - lo) * sizeof(*v));
			v[lo] = pg;
			n++;
		}
	} else {
		S_sort_pages(site, lr->time_of, v);
	}
	for (i = 0; i < site->npages; i++) {
		v[i]->list_rank = i + 1;
		if (lr->next)
			lr->next->order[i] = (size_t)(v[i] - site->pages);
	}
	free(v);
}

/*
 * A back-reference with what orders it, found once rather than in every
 * comparison: the referring page's type (types are sorted by folder: the
 * order of the sections), the time of its date and its rank.
 */
struct edge_key {
	struct edge_rec r;
	size_t sec, rank;
	long long date, time;
};

static int S_edge_cmp(const void *a, const void *b)
{
	const struct edge_key *x = a, *y = b;
	int c;
	if (x->r.to != y->r.to)
		return x->r.to < y->r.to ? -1 : 1;
	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	if (x->r.e.field != y->r.e.field && (c = strcmp(x->r.e.field->name, y->r.e.field->name)) != 0)
		return c;
	/* one day's items in the order of their times: an event's talks as its programme */
	if (x->date == y->date && x->date != LLONG_MIN && x->time != LLONG_MIN && y->time != LLONG_MIN &&
	    x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->rank < y->rank ? -1 : x->rank > y->rank; /* model_list_cmp: S_rank_pages */
}

/* The keys of v's n references (struct edge_key) from their records; time_of: S_times_of. */
static void S_edge_keys(const struct site *site, const long long *time_of, struct edge_key *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct page *from = v[i].r.e.from;
		v[i].sec = (size_t)(from->type - site->types.v);
		v[i].rank = from->list_rank;
		v[i].date = from->date;
		v[i].time = time_of[from - site->pages];
	}
}

/*
 * serve, the same references as the load before (lr->edges_same): its
 * sorted order into v, checked in one pass, sorted again when the pages'
 * order moved; 0 when the count differs (made as a cold build does).
 */
static int S_edges_kept(struct site *site, const struct layout_run *lr, struct edge_key *v, size_t n)
{
	const struct memo_layout *o = lr->old;
	size_t i;

	if (!lr->edges_same || o->nedges != n)
		return 0;
	for (i = 0; i < n; i++) {
		struct page *from = &site->pages[o->edges[i].from];
		v[i].r.to = &site->pages[o->edges[i].to];
		v[i].r.e.from = from;
		v[i].r.e.field = &from->type->fields[o->edges[i].field];
	}
	S_edge_keys(site, lr->time_of, v, n);
	for (i = 1; i < n && S_edge_cmp(&v[i - 1], &v[i]) <= 0; i++)
		;
	if (i < n)
		qsort(v, n, sizeof(*v), S_edge_cmp);
	return 1;
}

/* Sorts the references by target and hands each page its range. */
static void S_group_edges(struct site *site, struct buf *edges, struct layout_run *lr)
{
	size_t n = edges->len / sizeof(struct edge_rec), i;
	const struct edge_rec *r = (const struct edge_rec *)(const void *)edges->ptr;
	struct edge_key *v;

	if (n == 0)
		return;
	v = xmalloc(n * sizeof(*v));
	if (!S_edges_kept(site, lr, v, n)) {
		for (i = 0; i < n; i++)
			v[i].r = r[i];
		S_edge_keys(site, lr->time_of, v, n);
		qsort(v, n, sizeof(*v), S_edge_cmp);
	}
	if (lr->next) {
		lr->next->edges = xmalloc(n * sizeof(*lr->next->edges));
		lr->next->nedges = n;
		for (i = 0; i < n; i++) {
			lr->next->edges[i].to = (size_t)(v[i].r.to - site->pages);
			lr->next->edges[i].from = (size_t)(v[i].r.e.from - site->pages);
			lr->next->edges[i].field = (size_t)(v[i].r.e.field - v[i].r.e.from->type->fields);
		}
	}
	site->edges = arena_alloc(&site->arena, n * sizeof(*site->edges));
	site->nedges = n;
	for (i = 0; i < n; i++) {
		site->edges[i] = v[i].r.e;
		if (!v[i].r.to->in)
			v[i].r.to->in = &site->edges[i];
		v[i].r.to->nin++;
	}
	free(v);
}

static void S_page_release(struct page *pg)
{
	size_t i;
	int strings = !pg->parse_mapped; /* else the parse cache's mapping holds them (diskcache.c) */

	for (i = 0; strings && !pg->parse_shared && i < pg->nlinks; i++)
		free(pg->links[i].url);
	free(pg->links);
	if (pg->parse_shared) /* serve's parse cache holds them (the links' addresses too) for the next load */
		return;
	if (strings)
		ynode_free(pg->front);
	else
		free(pg->front); /* its nodes' one block (diskcache.c's S_front) */
	pagetok_release(&pg->tokens);
	free(pg->html);
	for (i = 0; strings && i < pg->nanchors; i++)
		free(pg->anchors[i]);
	free(pg->anchors);
	if (!strings)
		return;
	free(pg->toc);
	free(pg->summary);
}

/* The path of base_url: "https://example.org/sub/" -> "/sub/". */
static const char *S_root(struct site *site)
{
	const char *b = site->cfg->base_url, *p = strstr(b, "://");
	if (p && (p = strchr(p + 3, '/')) != NULL)
		return arena_strdup(&site->arena, p);
	return p ? "/" : arena_strdup(&site->arena, b);
}

const char *model_original_path(struct site *site, const struct page *pg)
{
	const char *rest;
	size_t n;

	if (site->cfg->trans_layout == TRANS_DIR && (rest = strchr(pg->path + strlen("content/"), '/')))
		return arena_printf(&site->arena, "content/%s%s", site->cfg->default_lang->code, rest);
	/* "x.en.md" translates "x.md", "x/index.en.md" "x/index.md" */
	n = strlen(pg->path) - strlen(pg->lang->code) - strlen("..md");
	return arena_printf(&site->arena, "%.*s.md", (int)n, pg->path);
}

/*
 * NAME.LANG.md says "I translate NAME.md": with the suffix layout, a
 * translation whose original is gone is an error (with one folder per
 * language an item may simply exist in one language only).
 */
static int S_check_originals(struct site *site)
{
	size_t i;
	int rc = 0;
	if (site->cfg->trans_layout != TRANS_SUFFIX)
		return 0;
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		if (!pg->lang->is_default && !page_in_lang(pg, site->cfg->default_lang)) {
			const char *orig = model_original_path(site, pg);
			if (model_failed_at(site, orig, strlen(orig)))
				continue; /* its errors are reported in it */
			diag_error(pg->path, 0, 0, "this translates %s, which %s", orig,
				   source_find(site->src, orig)
					   ? "is a draft or has errors: a translation is "
					     "published with its original"
					   : "does not exist");
			rc = -1;
		}
	}
	return rc;
}

struct term_rec {
	size_t lang, tax;
	size_t slug_rank; /* the slug's place among the distinct slugs (struct slugs), in strcmp order */
	const char *slug, *name;
	struct page *pg;
	const struct page *target; /* the item a ref value names (in lang where translated), or NULL */
};

/*
 * The terms' slugs, each text slugged once however many pages carry it,
 * and each distinct slug numbered so that the records sort by a number,
 * not by strcmp.
 */
struct slugs {
	struct strmap by_text; /* term text (borrowed from the pages) -> index in slug */
	struct strmap by_slug; /* slug -> index in slug */
	const char **slug;     /* distinct slugs, in the site's arena */
	size_t n, cap;
};

static size_t S_slug_of(struct site *site, struct slugs *s, const char *text)
{
	long got = strmap_get(&s->by_text, text, -1), at;
	const char *slug;

	if (got >= 0)
		return (size_t)got;
	slug = S_slugify(site, text);
	if ((at = strmap_get(&s->by_slug, slug, -1)) < 0) {
		ARRAY_GROW(s->slug, s->n, s->cap, 64);
		s->slug[s->n] = slug;
		at = (long)s->n++;
		strmap_put(&s->by_slug, slug, at);
	}
	strmap_put(&s->by_text, text, at);
	return (size_t)at;
}

static int S_slug_cmp(const void *a, const void *b)
{
	return strcmp(**(const char *const *const *)a, **(const char *const *const *)b);
}

/* Numbers the records' slugs in strcmp order (rank), so equal slugs get equal numbers. */
static void S_rank_slugs(struct slugs *s, struct term_rec *v, size_t n)
{
	const char ***order = xmalloc((s->n ? s->n : 1) * sizeof(*order));
	size_t *rank = xmalloc((s->n ? s->n : 1) * sizeof(*rank)), i;

	for (i = 0; i < s->n; i++)
		order[i] = &s->slug[i];
	if (s->n)
		qsort(order, s->n, sizeof(*order), S_slug_cmp);
	for (i = 0; i < s->n; i++) /* distinct slugs: no two compare equal */
		rank[order[i] - s->slug] = i;
	for (i = 0; i < n; i++)
		v[i].slug_rank = rank[v[i].slug_rank];
	free(order);
	free(rank);
}

static int S_term_cmp(const void *a, const void *b)
{
	const struct term_rec *x = a, *y = b;
	if (x->lang != y->lang)
		return x->lang < y->lang ? -1 : 1;
	if (x->tax != y->tax)
		return x->tax < y->tax ? -1 : 1;
	if (x->slug_rank != y->slug_rank) /* the slugs' strcmp order (S_rank_slugs) */
		return x->slug_rank < y->slug_rank ? -1 : 1;
	return model_list_cmp(&x->pg, &y->pg);
}

/* One stable counting pass: from's records into to by key[record] (< nkeys); count has nkeys + 1 slots. */
static void S_count_pass(size_t *to, const size_t *from, size_t n, const size_t *key, size_t nkeys,
			 size_t *count)
{
	size_t i;

	memset(count, 0, (nkeys + 1) * sizeof(*count));
	for (i = 0; i < n; i++)
		count[key[from[i]] + 1]++;
	for (i = 0; i < nkeys; i++)
		count[i + 1] += count[i];
	for (i = 0; i < n; i++)
		to[count[key[from[i]]]++] = from[i];
}

/*
 * The language, taxonomy and slug of a record taken as one key, language
 * first, when that key stays under nkeys (the keys' count of the first
 * pass): one stable pass by it orders as the three passes by slug, then
 * taxonomy, then language do, in a third of their time.
 */
static int S_joined_keys(const struct site *site, size_t nslugs, size_t nkeys)
{
	size_t per_lang = site->cfg->ntaxonomies * nslugs;
	return nslugs && site->cfg->ntaxonomies && per_lang / site->cfg->ntaxonomies == nslugs &&
	       site->cfg->nlangs <= nkeys / (per_lang ? per_lang : 1) &&
	       site->cfg->nlangs * per_lang <= nkeys;
}

/*
 * v's n records in S_term_cmp's order, records that compare equal (one
 * page naming a term twice) in the order they came, as qsort's merge sort
 * leaves them: one stable counting pass per key, the least significant
 * first (the page's rank, the slug's, the taxonomy, the language), linear
 * rather than n log n comparisons of 56-byte records (a third of the
 * terms' time at 10,000 pages). Every page has its rank here
 * (S_rank_pages); a page without one is sorted by qsort as before.
 */
static void S_sort_terms(const struct site *site, struct term_rec *v, size_t n, size_t nslugs)
{
	size_t nkeys = site->npages + 1, i, k;
	int joined;
	size_t *key, *a, *b, *count, *t;
	struct term_rec *sorted;

	for (i = 0; i < n; i++)
		if (!v[i].pg->list_rank || v[i].pg->list_rank > site->npages) {
			qsort(v, n, sizeof(*v), S_term_cmp);
			return;
		}
	if (nslugs + 1 > nkeys)
		nkeys = nslugs + 1;
	if (site->cfg->ntaxonomies > nkeys)
		nkeys = site->cfg->ntaxonomies;
	if (site->cfg->nlangs > nkeys)
		nkeys = site->cfg->nlangs;
	joined = S_joined_keys(site, nslugs, nkeys);
	key = xmalloc(n * sizeof(*key));
	a = xmalloc(n * sizeof(*a));
	b = xmalloc(n * sizeof(*b));
	count = xmalloc((nkeys + 1) * sizeof(*count));
	for (i = 0; i < n; i++)
		a[i] = i;
	for (k = 0; k < 4; k++) {
		if (k == 1 && joined) { /* the last three keys as one (S_joined_keys) */
			for (i = 0; i < n; i++)
				key[i] = (v[i].lang * site->cfg->ntaxonomies + v[i].tax) * nslugs +
					 v[i].slug_rank;
			k = 3;
		} else {
			for (i = 0; i < n; i++)
				key[i] = k == 0   ? (size_t)v[i].pg->list_rank
					 : k == 1 ? v[i].slug_rank
					 : k == 2 ? v[i].tax
						  : v[i].lang;
		}
		S_count_pass(b, a, n, key, nkeys, count);
		t = a;
		a = b;
		b = t;
	}
	sorted = xmalloc(n * sizeof(*sorted));
	for (i = 0; i < n; i++)
		sorted[i] = v[a[i]];
	memcpy(v, sorted, n * sizeof(*v));
	free(sorted);
	free(count);
	free(key);
	free(a);
	free(b);
}

static void S_term_add(struct site *site, struct slugs *s, struct buf *recs, size_t lang, size_t tax,
		       struct page *pg, const char *name, const char *key, int line, int col,
		       const struct page *target)
{
	struct term_rec r;
	r.target = target;
	r.lang = lang;
	r.tax = tax;
	r.slug_rank = S_slug_of(site, s, key); /* an index into s->slug until S_rank_slugs */
	r.slug = s->slug[r.slug_rank];
	r.name = name;
	r.pg = pg;
	if (!r.slug[0]) {
		diag_warn(pg->path, line, col, "%s '%s' has no letters or digits; left out of the %s pages",
			  site->cfg->taxonomies[tax], name, site->cfg->taxonomies[tax]);
		return;
	}
	if (strlen(r.slug) > MODEL_SEGMENT_MAX) {
		diag_error(
			pg->path, line, col,
			"a %s term's part of its URL would be %zu bytes, over the %d a file name can hold; shorten it",
			site->cfg->taxonomies[tax], strlen(r.slug), MODEL_SEGMENT_MAX);
		return;
	}
	buf_put(recs, &r, sizeof(r));
}

/*
 * Hands each page the terms it carries (the other direction of the terms'
 * page lists), in the terms' order (taxonomy, then slug: a page carries
 * terms of its own language only): counted per page, then placed, the
 * terms walked twice in their order rather than their pairs sorted.
 */
static void S_page_terms(struct site *site)
{
	size_t *count = xcalloc(site->npages ? site->npages : 1, sizeof(*count));
	size_t i, k;

	for (i = 0; i < site->nterms; i++)
		for (k = 0; k < site->terms[i].n; k++)
			/* a page listed untranslated on another language's term page carries its own terms */
			if (site->terms[i].pages[k]->lang == site->terms[i].lang)
				count[site->terms[i].pages[k] - site->pages]++;
	for (i = 0; i < site->npages; i++) {
		struct page *pg = &site->pages[i];
		pg->nterms = 0;
		pg->terms = count[i] ? arena_alloc(&site->arena, count[i] * sizeof(*pg->terms)) : NULL;
	}
	for (i = 0; i < site->nterms; i++)
		for (k = 0; k < site->terms[i].n; k++) {
			struct page *pg = site->terms[i].pages[k];
			if (pg->lang == site->terms[i].lang)
				pg->terms[pg->nterms++] = &site->terms[i];
		}
	free(count);
}

/*
 * Taxonomy terms one page may carry, all taxonomies together. A term page
 * lists each of its pages with that page's terms, so a page's terms cost
 * their square in output (one page with 10,500 tags wrote 4.4 GB); real
 * pages carry a dozen or two.
 */
#define PAGE_MAX_TERMS 100

/* How many terms a taxonomy's value names: a ref list, one scalar, a list. */
static size_t S_term_count(const struct fval *fv, const struct ynode *node)
{
	size_t k, n = 0;
	if (fv && fv->nrefs) /* a ref field's text (or_text) is a term as written */
		return fv->nrefs;
	if (node && node->kind == YNODE_SCALAR)
		return node->len > 0;
	if (node && node->kind == YNODE_SEQ)
		for (k = 0; k < node->n; k++)
			n += node->kids[k]->kind == YNODE_SCALAR && node->kids[k]->len;
	return n;
}

/*
 * The terms of taxonomy tax that pg carries, on the term pages of language
 * lang: its own, or one it is listed in untranslated (a referenced page's
 * title in that language where it is translated).
 */
/* One term a page carries, as found, before its slug (S_term_add): what the terms are made from. */
struct term_raw {
	size_t lang, tax;
	struct page *pg;
	const char *name, *key;
	int line, col; /* the value's */
	const struct page *target;
};

static void S_raw_add(struct buf *raws, size_t lang, size_t tax, struct page *pg, const char *name,
		      const char *key, const struct ynode *at, const struct page *target)
{
	struct term_raw r = { lang, tax, pg, name, key, at->line, at->col, target };
	buf_put(raws, &r, sizeof(r));
}

static void S_terms_in(struct site *site, struct buf *raws, size_t lang, size_t tax, struct page *pg,
		       const struct fval *fv, const struct ynode *node)
{
	size_t k;
	if (fv && fv->nrefs) {
		for (k = 0; k < fv->nrefs; k++) {
			const struct page *r = page_in_lang(fv->refs[k], &site->cfg->langs[lang]);
			S_raw_add(raws, lang, tax, pg, (r ? r : fv->refs[k])->title, fv->refs[k]->id,
				  fv->node, r ? r : fv->refs[k]);
		}
	} else if (node && node->kind == YNODE_SCALAR && node->len) {
		S_raw_add(raws, lang, tax, pg, node->str, node->str, node, NULL);
	} else if (node && node->kind == YNODE_SEQ) {
		for (k = 0; k < node->n; k++)
			if (node->kids[k]->kind == YNODE_SCALAR && node->kids[k]->len)
				S_raw_add(raws, lang, tax, pg, node->kids[k]->str, node->kids[k]->str,
					  node->kids[k], NULL);
	}
}

/*
 * serve: the terms of the load before (struct model_memo), kept while
 * every page carries the same raw terms as then (struct memo_layout).
 */
/* memo_term.flags: every page named it by the same text; its records named different pages (or some none) */
#define TERM_UNIFORM 1
#define TERM_MIXED 2

struct memo_term {
	size_t lang, tax;
	char *slug, *name, *out_path, *href;
	long target; /* the index of tm->page in site->pages, -1 for none */
	size_t *pages, n;
	int flags; /* TERM_UNIFORM, TERM_MIXED */
};

static long S_page_index(const struct site *site, const struct page *pg)
{
	if (!pg)
		return -1;
	return (long)(pg - site->pages);
}

/* A number of a page's digest (S_raws_digest), little-endian in 4 bytes: the counts it holds fit. */
static void S_put32(struct buf *b, size_t v)
{
	unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };
	buf_put(b, x, sizeof(x));
}

/*
 * The digest of one page's n raw terms v: language, taxonomy, the page a
 * value names (by its place: compared in the same layout only), the name
 * and the text, each by its length. b is scratch.
 */
static void S_raws_digest(const struct site *site, struct buf *b, const struct term_raw *v, size_t n,
			  uint64_t out[2])
{
	size_t i;

	buf_reset(b);
	for (i = 0; i < n; i++) {
		unsigned char lt[2] = { (unsigned char)v[i].lang, (unsigned char)v[i].tax };
		buf_put(b, lt, sizeof(lt));
		S_put32(b, (size_t)(S_page_index(site, v[i].target) + 1));
		S_put32(b, strlen(v[i].name));
		buf_puts(b, v[i].name);
		S_put32(b, strlen(v[i].key));
		buf_puts(b, v[i].key);
	}
	out[0] = hash_keyed(b->ptr, b->len); /* under the process's key: no input is made to collide */
	out[1] = b->len;
}

static void S_memo_term_release(struct memo_term *t)
{
	free(t->slug);
	free(t->name);
	free(t->out_path);
	free(t->href);
	free(t->pages);
}

static void S_memo_terms_clear(struct model_memo *m)
{
	size_t i;
	for (i = 0; i < m->nterms; i++)
		S_memo_term_release(&m->terms[i]);
	free(m->terms);
	m->terms = NULL;
	m->nterms = 0;
	m->terms_kept = 0;
}

/* The site's terms into the memo, with their flags (TERM_UNIFORM, TERM_MIXED). */
static void S_memo_terms_keep(const struct site *site, struct model_memo *m, const unsigned char *flags)
{
	size_t i, k;

	S_memo_terms_clear(m);
	m->terms = xcalloc(site->nterms ? site->nterms : 1, sizeof(*m->terms));
	for (i = 0; i < site->nterms; i++) {
		const struct term *tm = &site->terms[i];
		struct memo_term *t = &m->terms[i];
		t->lang = (size_t)(tm->lang - site->cfg->langs);
		for (t->tax = 0;
		     t->tax < site->cfg->ntaxonomies && site->cfg->taxonomies[t->tax] != tm->taxonomy;
		     t->tax++)
			;
		t->slug = xstrdup(tm->slug);
		t->name = xstrdup(tm->name);
		t->out_path = xstrdup(tm->out_path);
		t->href = xstrdup(tm->href);
		t->target = S_page_index(site, tm->page);
		t->pages = xmalloc((tm->n ? tm->n : 1) * sizeof(*t->pages));
		t->n = tm->n;
		t->flags = flags[i];
		for (k = 0; k < tm->n; k++)
			t->pages[k] = (size_t)(tm->pages[k] - site->pages);
	}
	m->nterms = site->nterms;
	m->terms_kept = 1;
}

/*
 * The memo's terms' pages in this load's list order: 0 when the order of
 * a term named by several texts moved (its name is its first page's: the
 * terms are made again), else 1.
 */
static int S_memo_terms_order(const struct site *site, struct model_memo *m)
{
	size_t i, k;

	for (i = 0; i < m->nterms; i++) {
		struct memo_term *t = &m->terms[i];
		for (k = 1; k < t->n; k++)
			if (site->pages[t->pages[k - 1]].list_rank > site->pages[t->pages[k]].list_rank)
				break;
		if (k >= t->n)
			continue;
		if (!(t->flags & TERM_UNIFORM))
			return 0;
		for (k = 1; k < t->n; k++) { /* by insertion: most of a term's pages kept their order */
			size_t p = t->pages[k], j = k;
			while (j > 0 && site->pages[t->pages[j - 1]].list_rank > site->pages[p].list_rank) {
				t->pages[j] = t->pages[j - 1];
				j--;
			}
			t->pages[j] = p;
		}
	}
	return 1;
}

/* The site's terms from the memo (in this load's order: S_memo_terms_order). */
static void S_memo_terms_apply(struct site *site, const struct model_memo *m)
{
	size_t i, k;

	site->terms = arena_alloc(&site->arena, (m->nterms ? m->nterms : 1) * sizeof(*site->terms));
	site->nterms = m->nterms;
	for (i = 0; i < m->nterms; i++) {
		const struct memo_term *t = &m->terms[i];
		struct term *tm = &site->terms[i];
		tm->taxonomy = site->cfg->taxonomies[t->tax];
		tm->lang = &site->cfg->langs[t->lang];
		tm->slug = arena_strdup(&site->arena, t->slug);
		tm->name = arena_strdup(&site->arena, t->name);
		tm->out_path = arena_strdup(&site->arena, t->out_path);
		tm->href = arena_strdup(&site->arena, t->href);
		tm->page = t->target >= 0 ? &site->pages[t->target] : NULL;
		tm->pages = arena_alloc(&site->arena, (t->n ? t->n : 1) * sizeof(*tm->pages));
		tm->n = t->n;
		for (k = 0; k < t->n; k++)
			tm->pages[k] = &site->pages[t->pages[k]];
	}
}

/* The term (lang, tax, slug) among m's n sorted terms, or NULL. */
static struct memo_term *
S_memo_term_find(struct memo_term *v, size_t n, size_t lang, size_t tax, const char *slug)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct memo_term *t = &v[mid];
		int c = t->lang != lang ? (t->lang < lang ? -1 : 1)
			: t->tax != tax ? (t->tax < tax ? -1 : 1)
					: strcmp(t->slug, slug);
		if (c == 0)
			return &v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int S_memo_term_cmp(const void *a, const void *b)
{
	const struct memo_term *x = a, *y = b;
	if (x->lang != y->lang)
		return x->lang < y->lang ? -1 : 1;
	if (x->tax != y->tax)
		return x->tax < y->tax ? -1 : 1;
	return strcmp(x->slug, y->slug);
}

/* Page p into t's pages at its place in the list order, once. */
static void S_memo_term_put(const struct site *site, struct memo_term *t, size_t p)
{
	size_t lo = 0, hi = t->n, rank = site->pages[p].list_rank;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (site->pages[t->pages[mid]].list_rank < rank)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->n && t->pages[lo] == p)
		return; /* one page may name a term twice */
	t->pages = xrealloc(t->pages, (t->n + 1) * sizeof(*t->pages));
	memmove(t->pages + lo + 1, t->pages + lo, (t->n - lo) * sizeof(*t->pages));
	t->pages[lo] = p;
	t->n++;
}

/* A new term of the memo for raw record r, whose slug is slug. */
static void S_memo_term_new(const struct site *site, struct memo_term *t, const struct term_raw *r,
			    const char *slug)
{
	const char *tax = site->cfg->taxonomies[r->tax];
	struct buf b = BUF_INIT;

	memset(t, 0, sizeof(*t));
	t->lang = r->lang;
	t->tax = r->tax;
	t->slug = xstrdup(slug);
	t->name = xstrdup(r->name);
	t->target = S_page_index(site, r->target);
	t->flags = TERM_UNIFORM;
	buf_printf(&b, "%s%s/%s/index.html", site->cfg->langs[r->lang].prefix, tax, slug);
	t->out_path = xstrdup(b.ptr);
	buf_reset(&b);
	buf_printf(&b, "%s%s", site->root, t->out_path);
	b.ptr[b.len - strlen("index.html")] = '\0';
	t->href = xstrdup(b.ptr);
	buf_release(&b);
}

/*
 * serve, the same layout: the memo's terms brought to this load's, where
 * the few pages whose raw terms changed (changed[i]) leave the terms they
 * carried and join those they carry now (raw: every page's records). 0
 * when a term touched was named by several texts or named several pages
 * (its name or page may move: the terms are made again), else 1; the
 * same diagnostics as S_term_add.
 */
static int S_memo_terms_patch(struct site *site, struct model_memo *m, const unsigned char *changed,
			      const struct term_raw *raw, size_t n)
{
	struct memo_term *add = NULL, *t;
	size_t nadd = 0, capadd = 0, nbad = 0, capbad = 0, i, k, j;
	const struct term_raw **bad = NULL; /* records S_term_add reports, reported once the patch holds */
	int ok = 1;

	for (i = 0; i < m->nterms; i++) {
		t = &m->terms[i];
		for (k = j = 0; k < t->n; k++)
			if (!changed[t->pages[k]])
				t->pages[j++] = t->pages[k];
		if (j != t->n && t->flags != TERM_UNIFORM)
			return 0;
		t->n = j;
	}
	for (i = 0; i < n && ok; i++) {
		const struct term_raw *r = &raw[i];
		size_t p = (size_t)(r->pg - site->pages);
		const char *slug;
		if (!changed[p])
			continue;
		slug = S_slugify(site, r->key);
		if (!slug[0] || strlen(slug) > MODEL_SEGMENT_MAX) {
			ARRAY_GROW(bad, nbad, capbad, 8);
			bad[nbad++] = r;
			continue;
		}
		t = S_memo_term_find(m->terms, m->nterms, r->lang, r->tax, slug);
		for (k = 0; !t && k < nadd; k++)
			if (add[k].lang == r->lang && add[k].tax == r->tax && strcmp(add[k].slug, slug) == 0)
				t = &add[k];
		if (!t) {
			ARRAY_GROW(add, nadd, capadd, 8);
			t = &add[nadd++];
			S_memo_term_new(site, t, r, slug);
		} else if (t->flags != TERM_UNIFORM || strcmp(t->name, r->name) != 0 ||
			   t->target != S_page_index(site, r->target)) {
			ok = 0; /* the name or the page the term leads to may be another */
			break;
		}
		S_memo_term_put(site, t, p);
	}
	if (ok) {
		/* the terms no page carries any more go, the new ones come in their places */
		for (i = j = 0; i < m->nterms; i++) {
			if (m->terms[i].n)
				m->terms[j++] = m->terms[i];
			else
				S_memo_term_release(&m->terms[i]);
		}
		m->nterms = j;
		if (nadd)
			m->terms = xrealloc(m->terms, (m->nterms + nadd) * sizeof(*m->terms));
		for (k = 0; k < nadd; k++) { /* each where a binary search puts it: a few among many */
			size_t lo = 0, hi = m->nterms;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (S_memo_term_cmp(&m->terms[mid], &add[k]) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			memmove(m->terms + lo + 1, m->terms + lo, (m->nterms - lo) * sizeof(*m->terms));
			m->terms[lo] = add[k];
			m->nterms++;
		}
		nadd = 0;
	}
	for (k = 0; k < nadd; k++)
		S_memo_term_release(&add[k]);
	free(add);
	for (k = 0; ok && k < nbad; k++) {
		const struct term_raw *r = bad[k];
		const char *slug = S_slugify(site, r->key), *tax = site->cfg->taxonomies[r->tax];
		if (!slug[0])
			diag_warn(r->pg->path, r->line, r->col,
				  "%s '%s' has no letters or digits; left out of the %s pages", tax, r->name,
				  tax);
		else
			diag_error(
				r->pg->path, r->line, r->col,
				"a %s term's part of its URL would be %zu bytes, over the %d a file name can hold; shorten it",
				tax, strlen(slug), MODEL_SEGMENT_MAX);
	}
	free(bad);
	return ok;
}

/*
 * One page's raw terms into raws (its values of every taxonomy, in each
 * language it is listed in). A page over PAGE_MAX_TERMS is an error at the
 * field that brings it there, and that field's terms are left out: -1.
 */
static int S_page_raws(struct site *site, struct page *pg, const long *taxf, struct buf *raws)
{
	const struct config *cfg = site->cfg;
	size_t t, l, total = 0;

	for (t = 0; t < cfg->ntaxonomies; t++) {
		long fi = pg->type ? taxf[(size_t)(pg->type - site->types.v) * cfg->ntaxonomies + t] : -1;
		const struct fval *fv = fi >= 0 ? &pg->vals[fi] : NULL;
		const struct ynode *node;
		size_t m;
		if (fv && !fv->node)
			node = NULL; /* the field failed its check (or is empty): no terms */
		else if (fv && fv->node != pg->type->fields[fi].def)
			node = fv->node; /* the front matter's value (S_check_fields), not looked up again */
		else
			node = ynode_get(pg->front, cfg->taxonomies[t]);
		m = S_term_count(fv, node);
		if (total + m > PAGE_MAX_TERMS) {
			const struct ynode *at = node ? node : fv->node;
			diag_error(pg->path, at ? at->line : 0, at ? at->col : 0,
				   "'%s' brings this page to %zu taxonomy terms; a page may carry "
				   "at most %d (all taxonomies together)",
				   cfg->taxonomies[t], total + m, PAGE_MAX_TERMS);
			return -1;
		}
		total += m;
		if (pg->expired) /* counted like any page's, but on no term page */
			continue;
		for (l = 0; l < cfg->nlangs; l++)
			if (&cfg->langs[l] == pg->lang || page_fallback(pg, &cfg->langs[l], cfg))
				S_terms_in(site, raws, l, t, pg, fv, node);
	}
	return 0;
}

/* Page i's raw terms of the load before still hold: its values, and the titles they show, are the same. */
static int S_raws_hold(const struct site *site, const struct layout_run *lr, size_t i)
{
	const struct memo_layout *o = lr->old;
	const struct page *pg = &site->pages[i];
	size_t k;

	if (!o || pg->relinked || !o->raw_ok[i] || o->expired[i] != (unsigned char)pg->expired)
		return 0;
	for (k = o->raw_at[i]; k < o->raw_at[i + 1]; k++)
		if (o->raws[k].target >= 0 && site->pages[o->raws[k].target].relinked)
			return 0;
	return 1;
}

/* Page i's raw terms (raws from its first, n) for the next load. */
static void S_raws_note(struct site *site, struct layout_run *lr, size_t i, const struct term_raw *r,
			size_t n, const uint64_t d[2])
{
	struct memo_layout *x = lr->next;
	size_t k;

	if (!x)
		return;
	x->raw_at[i] = lr->nraws;
	x->raw_ok[i] = 1;
	x->expired[i] = (unsigned char)site->pages[i].expired;
	x->digest[i][0] = d[0];
	x->digest[i][1] = d[1];
	for (k = 0; k < n; k++) {
		struct memo_raw *m;
		ARRAY_GROW(x->raws, lr->nraws, lr->capraws, 256);
		m = &x->raws[lr->nraws++];
		m->lang = (unsigned char)r[k].lang;
		m->tax = (unsigned char)r[k].tax;
		m->target = S_page_index(site, r[k].target);
		m->text = r[k].target ? NULL : r[k].name;
		m->line = r[k].line;
		m->col = r[k].col;
	}
	x->raw_at[i + 1] = lr->nraws;
}

/* The pages S_gather_raws gives each job: a run of them, their raw terms in their order. */
struct raws_run {
	struct site *site;
	const long *taxf;
	size_t per;       /* pages per run */
	struct buf *raws; /* per run */
	char *failed;     /* per run: a page of it carries too many terms */
};

static void S_raws_job(size_t c, int worker, void *payload)
{
	struct raws_run *r = payload;
	size_t i, end = (c + 1) * r->per < r->site->npages ? (c + 1) * r->per : r->site->npages;

	(void)worker;
	for (i = c * r->per; i < end; i++)
		if (S_page_raws(r->site, &r->site->pages[i], r->taxf, &r->raws[c]))
			r->failed[c] = 1;
}

/*
 * A plain build's raw terms of every page, as the loop of S_build_terms
 * gathers them one page after another: runs of pages on the pool (each
 * page's values read only that page and the pages they name), each run's
 * into its own buffer, *runs (*nruns of them, in page order: read in that
 * order, not joined into one, a copy of every record). Returns -1 when a
 * page carries too many terms.
 */
static int S_gather_raws(struct site *site, const long *taxf, struct buf **runs, size_t *nruns)
{
	struct raws_run r;
	size_t c;
	int rc = 0;

	r.site = site;
	r.taxf = taxf;
	r.per = 256;
	*nruns = (site->npages + r.per - 1) / r.per;
	r.raws = xcalloc(*nruns ? *nruns : 1, sizeof(*r.raws));
	r.failed = xcalloc(*nruns ? *nruns : 1, 1);
	pool_run(site->jobs, *nruns, S_raws_job, &r);
	for (c = 0; c < *nruns; c++)
		if (r.failed[c])
			rc = -1;
	site->terms_gathered += site->npages;
	*runs = r.raws;
	free(r.failed);
	return rc;
}

/* S_term_add for each of the n raw terms at raw. */
static void S_terms_add(struct site *site, struct slugs *slugs, struct buf *recs, const struct term_raw *raw,
			size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		S_term_add(site, slugs, recs, raw[i].lang, raw[i].tax, raw[i].pg, raw[i].name, raw[i].key,
			   raw[i].line, raw[i].col, raw[i].target);
}

/*
 * Collects (language, taxonomy, term, page) and groups them into terms.
 * serve: a page not relinked whose values name pages not relinked carries
 * the raw terms it carried in the load before (the same layout); when
 * every page carries what it did, the terms are the memo's.
 */
static int S_build_terms(struct site *site, struct layout_run *lr)
{
	const struct config *cfg = site->cfg;
	struct buf recs = BUF_INIT, raws = BUF_INIT, scratch = BUF_INIT;
	struct slugs slugs;
	struct term_rec *v;
	const struct term_raw *raw;
	unsigned char *flags = NULL, *changed = NULL;
	struct buf *runs = NULL; /* a plain build's raw terms, a buffer per run of pages (S_gather_raws) */
	long *taxf;
	size_t i, t, k, n, j, nchanged = 0, nruns = 0, reports = diag_thread_reports();
	int rc = 0, gathered = 0;

	if (lr->old && site->memo && site->memo->terms_kept)
		changed = xcalloc(site->npages ? site->npages : 1, 1);

	/* each type's field of each taxonomy, found once rather than per page */
	taxf = xmalloc((site->types.n * cfg->ntaxonomies + 1) * sizeof(*taxf));
	for (i = 0; i < site->types.n; i++)
		for (t = 0; t < cfg->ntaxonomies; t++) {
			const struct field *f = type_field(&site->types.v[i], cfg->taxonomies[t]);
			taxf[i * cfg->ntaxonomies + t] = f ? (long)(f - site->types.v[i].fields) : -1;
		}
	memset(&slugs, 0, sizeof(slugs));
	/* a plain build keeps nothing for the next: the pages' raw terms on the pool */
	if (!lr->old && !lr->next && !changed && site->jobs > 1) {
		gathered = 1;
		if (S_gather_raws(site, taxf, &runs, &nruns))
			rc = -1;
	}
	for (i = 0; !gathered && i < site->npages; i++) {
		struct page *pg = &site->pages[i];
		size_t first = raws.len / sizeof(struct term_raw);
		uint64_t d[2];
		if (S_raws_hold(site, lr, i)) {
			const struct memo_layout *o = lr->old;
			for (k = o->raw_at[i]; k < o->raw_at[i + 1]; k++) {
				const struct memo_raw *m = &o->raws[k];
				const struct page *to = m->target >= 0 ? &site->pages[m->target] : NULL;
				struct term_raw r = {
					m->lang, m->tax, pg, to ? to->title : m->text, to ? to->id : m->text,
					m->line, m->col, to
				};
				buf_put(&raws, &r, sizeof(r));
			}
			d[0] = o->digest[i][0];
			d[1] = o->digest[i][1];
		} else {
			site->terms_gathered++;
			if (S_page_raws(site, pg, taxf, &raws)) {
				rc = -1;
				continue;
			}
			/* compared with the load before and kept for the next: serve's alone */
			if (lr->next || changed)
				S_raws_digest(site, &scratch,
					      (const struct term_raw *)(const void *)raws.ptr + first,
					      raws.len / sizeof(struct term_raw) - first, d);
			else
				d[0] = d[1] = 0;
			if (changed &&
			    !(lr->old->raw_ok[i] && lr->old->expired[i] == (unsigned char)pg->expired &&
			      lr->old->digest[i][0] == d[0] && lr->old->digest[i][1] == d[1])) {
				changed[i] = 1;
				nchanged++;
			}
		}
		S_raws_note(site, lr, i, (const struct term_raw *)(const void *)raws.ptr + first,
			    raws.len / sizeof(struct term_raw) - first, d);
	}
	free(taxf);
	buf_release(&scratch);
	raw = (const struct term_raw *)(const void *)raws.ptr;
	n = raws.len / sizeof(*raw);
	/* serve: the terms of the load before, in this load's order, the few pages whose raw terms
	   changed moved from the terms they carried to those they carry */
	if (changed && rc == 0 && nchanged <= 64 && S_memo_terms_order(site, site->memo) &&
	    (nchanged == 0 || S_memo_terms_patch(site, site->memo, changed, raw, n))) {
		free(changed);
		buf_release(&raws);
		S_memo_terms_apply(site, site->memo);
		S_page_terms(site);
		if (diag_thread_reports() != reports) /* the next load reports them again */
			S_memo_terms_clear(site->memo);
		return rc;
	}
	free(changed);
	if (site->memo)
		S_memo_terms_clear(site->memo);
	site->terms_made = 1;
	for (k = 0, t = n; k < nruns; k++)
		t += runs[k].len / sizeof(*raw);
	buf_grow(&recs, t * sizeof(*v)); /* a record per raw term at most: grown once */
	S_terms_add(site, &slugs, &recs, raw, n);
	for (k = 0; k < nruns; k++) { /* the pool's runs (S_gather_raws), in page order */
		S_terms_add(site, &slugs, &recs, (const struct term_raw *)(const void *)runs[k].ptr,
			    runs[k].len / sizeof(*raw));
		buf_release(&runs[k]);
	}
	free(runs);
	buf_release(&raws);
	n = recs.len / sizeof(*v);
	v = (struct term_rec *)(void *)recs.ptr;
	S_rank_slugs(&slugs, v, n);
	if (n)
		S_sort_terms(site, v, n, slugs.n);
	strmap_free(&slugs.by_text);
	strmap_free(&slugs.by_slug);
	free(slugs.slug);
	site->terms = arena_alloc(&site->arena, (n ? n : 1) * sizeof(*site->terms));
	if (site->memo)
		flags = xmalloc(n ? n : 1);
	for (i = 0; i < n; i = j) {
		struct term *tm = &site->terms[site->nterms++];
		const struct lang *l = &cfg->langs[v[i].lang];
		for (j = i + 1; j < n && v[j].lang == v[i].lang && v[j].tax == v[i].tax &&
				v[j].slug_rank == v[i].slug_rank;
		     j++)
			;
		tm->taxonomy = cfg->taxonomies[v[i].tax];
		tm->slug = v[i].slug;
		tm->name = v[i].name;
		tm->lang = l;
		tm->pages = arena_alloc(&site->arena, (j - i) * sizeof(*tm->pages));
		tm->n = 0;
		tm->page = v[i].target;
		if (flags)
			flags[site->nterms - 1] = TERM_UNIFORM;
		for (k = i; k < j; k++) { /* one page may name a term twice */
			if (tm->n == 0 || tm->pages[tm->n - 1] != v[k].pg)
				tm->pages[tm->n++] = v[k].pg;
			if (v[k].target != tm->page) /* text that slugs like an id: a term of its own */
				tm->page = NULL;
			if (flags && strcmp(v[k].name, tm->name) != 0)
				flags[site->nterms - 1] &= (unsigned char)~TERM_UNIFORM;
			if (flags && v[k].target != v[i].target)
				flags[site->nterms - 1] |= TERM_MIXED;
		}
		tm->out_path =
			arena_printf(&site->arena, "%s%s/%s/index.html", l->prefix, tm->taxonomy, tm->slug);
		tm->href = arena_printf(&site->arena, "%s%s", site->root, tm->out_path);
		((char *)tm->href)[strlen(tm->href) - strlen("index.html")] = '\0';
	}
	buf_release(&recs);
	S_page_terms(site);
	if (site->memo && rc == 0 && diag_thread_reports() == reports) /* terms that reported nothing */
		S_memo_terms_keep(site, site->memo, flags);
	free(flags);
	return rc;
}

/*
 * The site time zone's offset at now, and today's day number there. A zone
 * of the database is read by the C library from the file config checked
 * (":" and an absolute path: no TZ rules, no TZDIR); UTC and fixed offsets
 * need no file.
 */
static void S_clock(struct site *site)
{
	char *old;
	struct tm tm;
	time_t t = site->now >= 0 ? (time_t)site->now : 0;

	site->tz_offset_min = site->cfg->tz_fixed_min;
	if (site->cfg->tz_file) {
		pthread_mutex_lock(&S_zone_lock); /* no worker runs yet; one rule for every TZ change */
		old = S_zone_enter(site->cfg->tz_file);
		localtime_r(&t, &tm);
		S_zone_leave(old);
		pthread_mutex_unlock(&S_zone_lock);
		site->tz_offset_min = tm.tm_gmtoff / 60;
	}
	site->today = site->now >= 0 ? (site->now + site->tz_offset_min * 60) / 86400 : LLONG_MAX;
}

/*
 * A bare _index.md: in a type's folder it introduces the type's list, at
 * the top of content/ the home page (moved to site->intros: no item, no
 * output of its own); in any other folder it is that folder's page
 * (content/about/_index.md as content/about.md). Done before any pointer
 * into site->pages is kept; their order (by path) stays.
 */
static void S_split_intros(struct site *site)
{
	size_t i, n = 0, k = 0;

	for (i = 0; i < site->npages; i++)
		k += site->pages[i].id[0] == '\0';
	if (!k)
		return;
	site->intros = xcalloc(k, sizeof(*site->intros));
	for (i = 0; i < site->npages; i++) {
		struct page *pg = &site->pages[i];
		if (pg->id[0] || (pg->section[0] && !types_by_folder(&site->types, pg->section) &&
				  !strchr(pg->section, '/'))) {
			if (!pg->id[0]) {
				pg->id = pg->section;
				pg->section = "";
			}
			site->pages[n++] = *pg;
			continue;
		}
		S_intro_one(site, pg);
		site->intros[site->nintros++] = *pg;
	}
	site->npages = n;
}

const struct page *model_intro(const struct site *site, const char *folder, const struct lang *lang)
{
	size_t i;
	/* a few per site: one per type and language at most */
	for (i = 0; i < site->nintros; i++)
		if (site->intros[i].lang == lang && strcmp(site->intros[i].section, folder) == 0 &&
		    !site->intros[i].failed)
			return &site->intros[i];
	return NULL;
}

/* The pages S_link_pages gives each worker, and where their results go. */
struct link_run {
	struct site *site;
	struct memo_run *memo;
	struct link_to *to; /* per worker */
	signed char *rc;    /* per page: S_link_one's */
};

static void S_link_job(size_t i, int worker, void *payload)
{
	struct link_run *run = payload;
	struct page *pg = &run->site->pages[i];
	run->rc[i] = (signed char)(pg->failed ? 0 : S_link_one(run->site, pg, run->memo, &run->to[worker]));
}

/*
 * S_link_one for every page: on the pool in a plain build, as each page's
 * checks read only that page, the types and the config (the times of day
 * in a zone are valued after, zone by zone: S_zone_values), and report
 * through diag, which sorts. serve's memo is filled in page order: one thread.
 * Returns -1 when a page failed a check (a page without a URL fails).
 */
static int S_link_pages(struct site *site, struct memo_run *memo)
{
	int w, jobs = site->memo || site->jobs < 2 ? 1 : site->jobs;
	struct link_to *to = xcalloc((size_t)jobs, sizeof(*to));
	struct zone_times *zones = xcalloc((size_t)jobs, sizeof(*zones));
	struct link_run run = { site, memo, to, NULL };
	size_t i;
	int rc = 0;

	run.rc = xcalloc(site->npages ? site->npages : 1, 1); /* 0 for a page a cancel left out */
	to[0].arena = &site->arena;
	for (w = 1; w < jobs; w++)
		to[w].arena = xcalloc(1, sizeof(*to[w].arena));
	for (w = 0; w < jobs; w++)
		to[w].zones = &zones[w];
	pool_run(jobs, site->npages, S_link_job, &run);
	S_zone_values(zones, jobs); /* before the memo or any stage reads a page's instants */
	free(zones);
	for (w = 0; w < jobs; w++) {
		site->checked += to[w].checked;
		if (w > 0) {
			arena_adopt(&site->arena, to[w].arena);
			free(to[w].arena);
		}
	}
	for (i = 0; i < site->npages; i++) {
		if (run.rc[i])
			rc = -1;
		if (run.rc[i] < 0)
			site->pages[i].failed = 1;
	}
	free(run.rc);
	free(to);
	return rc;
}

int model_link(struct site *site)
{
	struct buf edges = BUF_INIT;
	struct memo_run memo;
	struct layout_run lr;
	size_t i, n = 0;
	int rc = 0;

	site->root = S_root(site);
	if (S_check_taxonomies(site))
		rc = -1;
	S_clock(site);
	S_split_intros(site);
	S_memo_begin(site, &memo);
	if (S_link_pages(site, &memo))
		rc = -1;
	S_memo_end(&memo);
	S_note_failed(site);
	/* From here on the site holds only the pages it will publish (and, when
	 * rc is -1, those whose values failed their checks). */
	for (i = 0; i < site->npages; i++) {
		struct page *pg = &site->pages[i];
		if (pg->failed || (pg->draft && !site->drafts))
			S_page_release(pg);
		else
			site->pages[n++] = *pg;
	}
	site->npages = n;
	S_layout_begin(site, &lr);
	lr.time_of = S_times_of(site);
	if (S_check_duplicates(site, &lr))
		rc = -1;
	S_rank_pages(site, &lr);
	S_link_translations(site, &site->items, &lr);
	S_index_items(site);
	if (S_check_originals(site))
		rc = -1;
	if (S_resolve_refs(site, &edges, &lr))
		rc = -1;
	S_group_edges(site, &edges, &lr);
	free(lr.time_of);
	lr.time_of = NULL;
	if (S_build_terms(site, &lr))
		rc = -1;
	S_layout_end(site, &lr, rc);
	buf_release(&edges);
	return rc;
}

static const char *S_path_key(const void *elem)
{
	return ((const struct page *)elem)->path;
}

struct page *model_page_at(const struct site *site, const char *path, size_t n)
{
	return bsearch_key(site->pages, site->npages, sizeof(*site->pages), S_path_key, path, n);
}

void model_release(struct site *site)
{
	size_t i;
	for (i = 0; i < site->npages; i++)
		S_page_release(&site->pages[i]);
	for (i = 0; i < site->nintros; i++)
		S_page_release(&site->intros[i]);
	free(site->intros);
	site->intros = NULL;
	site->nintros = 0;
	types_release(&site->types);
	free(site->items);
	free(site->item_slots);
	site->item_slots = NULL;
	site->item_cap = 0;
	free(site->pages);
	site->pages = NULL;
	site->npages = 0;
	arena_release(&site->arena);
	model_memo_free(site->memo); /* a load that stopped before model_link: its parse cache moved on */
	site->memo = NULL;
}

/* The index of taxonomy name in cfg's list (ntaxonomies when it is not there). */
static size_t S_tax_index(const struct config *cfg, const char *name)
{
	size_t i;
	for (i = 0; i < cfg->ntaxonomies && strcmp(cfg->taxonomies[i], name) != 0; i++)
		;
	return i;
}

const struct term *model_term(const struct site *site, size_t lang, const char *taxonomy, const char *slug)
{
	size_t lo = 0, hi = site->nterms, tax = S_tax_index(site->cfg, taxonomy);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct term *t = &site->terms[mid];
		size_t tl = (size_t)(t->lang - site->cfg->langs), tt = S_tax_index(site->cfg, t->taxonomy);
		int c = tl != lang  ? (tl < lang ? -1 : 1)
			: tt != tax ? (tt < tax ? -1 : 1)
				    : strcmp(t->slug, slug);
		if (c == 0)
			return t;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
