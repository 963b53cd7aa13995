/*
 * contributors: the people who made the content and what it counts for.
 * site.yaml's contributors: sets the points of a page created (per type),
 * a translation and a commit, and the titles reached at so many points.
 * From what the history walk found, each git identity becomes a
 * contributor (the person page that lists its e-mail in git_emails, else
 * the e-mail itself), with their commits, the pages whose first commit is
 * theirs, points, rank and title; each page gets its authors.
 */
#include "contributors.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <git2/common.h>
#include <git2/global.h>
#include <git2/odb.h>

#include "diag.h"
#include "history.h"
#include "suggest.h"
#include "types.h"
#include "util.h"

/* --- site.yaml contributors: ------------------------------------------------ */

#define S_DEFAULT_TRANSLATION 5
#define S_DEFAULT_COMMIT 1
#define S_MAX_POINTS 1000000

static int S_points_value(const struct ynode *v, long long *out)
{
	if (!ynode_int(v, out) || *out < 0 || *out > S_MAX_POINTS) {
		diag_error("site.yaml", v->line, v->col, "points must be a whole number from 0 to %d",
			   S_MAX_POINTS);
		return -1;
	}
	return 0;
}

/* contributors.points: site->points, one rule per type (rank order), translation, commit. */
static int S_points(struct site *site, const struct ynode *map)
{
	const struct type **ranked = types_ranked(&site->types);
	size_t i, k, n = site->types.n;
	int rc = 0;

	site->npoints = n + 2;
	site->points = arena_alloc(&site->arena, site->npoints * sizeof(*site->points));
	for (i = 0; i < n; i++) {
		site->points[i].what = ranked[i]->name;
		site->points[i].type = ranked[i];
		site->points[i].points = ranked[i]->roles.points; /* when site.yaml does not say */
	}
	site->points[n].what = "translation";
	site->points[n].type = NULL;
	site->points[n].points = S_DEFAULT_TRANSLATION;
	site->points[n + 1].what = "commit";
	site->points[n + 1].type = NULL;
	site->points[n + 1].points = S_DEFAULT_COMMIT;
	free(ranked);
	if (!map)
		return 0;
	if (map->kind != YNODE_MAP) {
		diag_error(
			"site.yaml", map->line, map->col,
			"'contributors.points' must be a mapping (talk: 10, translation: 5, commit: 1, ...)");
		return -1;
	}
	for (i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *key = map->kids[i];
		for (k = 0; k < site->npoints; k++)
			if (strcmp(site->points[k].what, key->str) == 0)
				break;
		if (k == site->npoints) {
			struct suggest near = SUGGEST_INIT;
			struct buf hint = BUF_INIT;
			size_t j;
			for (j = 0; j < site->npoints; j++)
				suggest_add(&near, site->points[j].what, site->points[j].what);
			diag_error(
				"site.yaml", key->line, key->col,
				"unknown key '%s' in 'contributors.points' (a type name, translation or commit)%s",
				key->str, suggest_hint(&hint, suggest_best(&near, key->str)));
			suggest_release(&near);
			buf_release(&hint);
			rc = -1;
		} else if (S_points_value(map->kids[i + 1], &site->points[k].points)) {
			rc = -1;
		}
	}
	return rc;
}

static int S_title_cmp(const void *pa, const void *pb)
{
	const struct contributor_title *a = pa, *b = pb;
	return a->min < b->min ? -1 : a->min > b->min;
}

/* One title's name: a string, or {LANG: string} for languages of the site. */
static int S_title_name(const struct site *site, const struct ynode *v)
{
	size_t i;
	if (v->kind == YNODE_SCALAR && v->len)
		return 0;
	if (v->kind == YNODE_MAP && v->n) {
		for (i = 0; i + 1 < v->n; i += 2) {
			if (!config_lang(site->cfg, v->kids[i]->str, v->kids[i]->len)) {
				struct buf hint = BUF_INIT;
				diag_error("site.yaml", v->kids[i]->line, v->kids[i]->col,
					   "'%s' is not a language of this site%s", v->kids[i]->str,
					   suggest_hint(&hint, config_lang_near(site->cfg, v->kids[i]->str,
										v->kids[i]->len)));
				buf_release(&hint);
				return -1;
			}
			if (v->kids[i + 1]->kind != YNODE_SCALAR || !v->kids[i + 1]->len) {
				diag_error("site.yaml", v->kids[i + 1]->line, v->kids[i + 1]->col,
					   "a title's name must be text");
				return -1;
			}
		}
		return 0;
	}
	diag_error("site.yaml", v->line, v->col,
		   "a title's name must be text, or a mapping from language code to text");
	return -1;
}

/* contributors.titles: [{min: 0, name: ...}, ...] into site->titles, by min. */
static int S_titles(struct site *site, const struct ynode *seq)
{
	static const char *const keys[] = { "min", "name", NULL };
	size_t i, k;
	int rc = 0;

	if (!seq)
		return 0;
	if (seq->kind != YNODE_SEQ) {
		diag_error("site.yaml", seq->line, seq->col,
			   "'contributors.titles' must be a list of {min: POINTS, name: TEXT}");
		return -1;
	}
	site->titles = arena_alloc(&site->arena, (seq->n ? seq->n : 1) * sizeof(*site->titles));
	for (i = 0; i < seq->n; i++) {
		const struct ynode *t = seq->kids[i], *min, *name;
		if (t->kind != YNODE_MAP) {
			diag_error("site.yaml", t->line, t->col, "a title must be {min: POINTS, name: TEXT}");
			rc = -1;
			continue;
		}
		for (k = 0; k + 1 < t->n; k += 2)
			if (strcmp(t->kids[k]->str, keys[0]) != 0 && strcmp(t->kids[k]->str, keys[1]) != 0) {
				struct buf hint = BUF_INIT;
				diag_error("site.yaml", t->kids[k]->line, t->kids[k]->col,
					   "unknown key '%s' in a title (min, name)%s", t->kids[k]->str,
					   suggest_hint(&hint, suggest_list(t->kids[k]->str, keys)));
				buf_release(&hint);
				rc = -1;
			}
		min = ynode_get(t, "min");
		name = ynode_get(t, "name");
		if (!min || !name) {
			diag_error("site.yaml", t->line, t->col, "a title needs both min and name");
			rc = -1;
			continue;
		}
		if (S_points_value(min, &site->titles[site->ntitles].min) || S_title_name(site, name)) {
			rc = -1;
			continue;
		}
		site->titles[site->ntitles++].name = name;
	}
	qsort(site->titles, site->ntitles, sizeof(*site->titles), S_title_cmp);
	for (i = 1; i < site->ntitles; i++)
		if (site->titles[i].min == site->titles[i - 1].min) {
			diag_error("site.yaml", site->titles[i].name->line, site->titles[i].name->col,
				   "two titles start at %lld points", site->titles[i].min);
			rc = -1;
		}
	return rc;
}

int contributors_config(struct site *site)
{
	static const char *const keys[] = { "points", "titles", NULL };
	const struct ynode *c = site->cfg->contributors;
	size_t i;
	int rc = 0;

	for (i = 0; c && i + 1 < c->n; i += 2)
		if (strcmp(c->kids[i]->str, "points") != 0 && strcmp(c->kids[i]->str, "titles") != 0) {
			struct buf hint = BUF_INIT;
			diag_error("site.yaml", c->kids[i]->line, c->kids[i]->col,
				   "unknown key '%s' in 'contributors' (points, titles)%s", c->kids[i]->str,
				   suggest_hint(&hint, suggest_list(c->kids[i]->str, keys)));
			buf_release(&hint);
			rc = -1;
		}
	if (S_points(site, ynode_get(c, "points")))
		rc = -1;
	if (S_titles(site, ynode_get(c, "titles")))
		rc = -1;
	return rc;
}

/* --- contributors ---------------------------------------------------------- */

/* Working state of contributors_apply. */
struct apply {
	struct hist_found w; /* what the walk found */
	struct site *site;
	struct strmap emails;  /* lower-case e-mail -> person page index */
	struct strmap keys;    /* contributor key -> index in v */
	struct contributor *v; /* unranked */
	size_t n, cap;
	size_t *of_ident;       /* identity -> contributor (unranked) */
	long long *type_points; /* per type index */
	long long translation_points, commit_points;
	struct buf credits;  /* struct credit: pages created */
	struct buf bounties; /* struct credit: bounties earned */
};

struct credit {
	size_t who; /* unranked contributor */
	struct page *pg;
};

/* git_emails of person pages, to their default-language page. */
static void S_person_emails(struct apply *a)
{
	struct site *site = a->site;
	size_t i, k;

	for (i = 0; i < site->npages; i++) {
		struct page *pg = &site->pages[i];
		const struct ynode *v;
		const struct page *who;
		if (!pg->type || !pg->type->roles.person) /* before reading the front matter of every page */
			continue;
		if (!(v = ynode_get(pg->front, "git_emails")))
			continue;
		who = model_find(site, pg->section, pg->id, site->cfg->default_lang);
		for (k = 0; k < (v->kind == YNODE_SEQ ? v->n : 1); k++) {
			const struct ynode *e = v->kind == YNODE_SEQ ? v->kids[k] : v;
			char *email;
			long prev;
			if (e->kind != YNODE_SCALAR || !e->len)
				continue;
			email = arena_strlower(&site->arena, e->str);
			prev = strmap_get(&a->emails, email, -1);
			if (prev >= 0 && &site->pages[prev] != who &&
			    (site->pages[prev].section != who->section ||
			     strcmp(site->pages[prev].id, who->id))) {
				diag_warn(pg->path, e->line, e->col,
					  "git e-mail '%s' is also listed by %s; "
					  "its commits count for that person",
					  e->str, site->pages[prev].path);
				continue;
			}
			if (prev < 0)
				strmap_put(&a->emails, email, (long)(who - site->pages));
		}
	}
}

static size_t S_contributor(struct apply *a, const char *key, const char *name, const struct page *person)
{
	long c = strmap_get(&a->keys, key, -1);
	struct contributor *ct;
	if (c >= 0)
		return (size_t)c;
	ARRAY_GROW(a->v, a->n, a->cap, 64);
	ct = &a->v[a->n];
	memset(ct, 0, sizeof(*ct));
	/* in the site's arena: the site outlives the history */
	ct->key = arena_strdup(&a->site->arena, key);
	ct->name = person ? person->title : arena_strdup(&a->site->arena, name);
	ct->person = person;
	ct->title = -1;
	strmap_put(&a->keys, ct->key, (long)a->n);
	return a->n++;
}

/* Each identity to its contributor: a person by either e-mail, else the mapped e-mail. */
static void S_identities(struct apply *a)
{
	const struct hist_found *h = &a->w;
	struct site *site = a->site;
	size_t i;

	a->of_ident = xmalloc((h->nidents ? h->nidents : 1) * sizeof(*a->of_ident));
	for (i = 0; i < h->nidents; i++) {
		const struct hist_ident *id = &h->idents[i];
		long p = strmap_get(&a->emails, id->email, -1);
		const struct page *person;
		if (p < 0)
			p = strmap_get(&a->emails, id->raw, -1);
		person = p >= 0 ? &site->pages[p] : NULL;
		a->of_ident[i] = S_contributor(
			a,
			person ? arena_printf(&site->arena, "%s/%s", person->section, person->id) : id->email,
			id->name, person);
	}
}

/* The distinct contributors of commit c, into out (at most c->nidents). */
static size_t S_commit_people(const struct apply *a, const struct hist_commit *c, size_t *out)
{
	size_t i, k, n = 0;
	for (i = 0; i < c->nidents; i++) {
		size_t who = a->of_ident[a->w.idents_of[c->ident0 + i]];
		for (k = 0; k < n && out[k] != who; k++)
			;
		if (k == n)
			out[n++] = who;
	}
	return n;
}

static int S_rank_people(const void *pa, const void *pb)
{
	const struct contributor *a = pa, *b = pb;
	int c;
	if (a->points != b->points)
		return a->points > b->points ? -1 : 1;
	if (a->commits != b->commits)
		return a->commits > b->commits ? -1 : 1;
	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	return strcmp(a->key, b->key);
}

static int S_credit_cmp(const void *pa, const void *pb)
{
	const struct credit *a = pa, *b = pb;
	if (a->who != b->who)
		return a->who < b->who ? -1 : 1;
	return strcmp(a->pg->path, b->pg->path);
}

/* The ranking's contributors by name, then key: S_author_cmp's tie-break. */
static int S_name_cmp(const void *pa, const void *pb)
{
	const struct contributor *a = *(const struct contributor *const *)pa;
	const struct contributor *b = *(const struct contributor *const *)pb;
	int c;
	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	return strcmp(a->key, b->key);
}

/* Creation credit: the authors of the commit that added the page's file. */
static void S_credit_page(struct apply *a, struct page *pg, const struct hist_file *f, size_t *people)
{
	const struct hist_commit *c;
	size_t i, n;
	long long pts;

	if (!f || f->created < 0)
		return;
	c = &a->w.commits[f->created];
	n = S_commit_people(a, c, people);
	if (pg->lang->is_default)
		pts = pg->type ? a->type_points[pg->type - a->site->types.v] : 0;
	else
		pts = a->translation_points;
	for (i = 0; i < n; i++) {
		struct credit cr;
		struct contributor *ct = &a->v[people[i]];
		if (pg->lang->is_default)
			ct->items++;
		else
			ct->translations++;
		ct->points += pts;
		cr.who = people[i];
		cr.pg = pg;
		buf_put(&a->credits, &cr, sizeof(cr));
	}
}

/*
 * A page's authors: the contributors of its commits, with counts, most
 * commits first, then by name and key (name_of: a ranked contributor's
 * place in that order, so that no name is compared per page; most pages
 * have a few authors: an insertion sort). count (zeroed, one per
 * contributor) and seen (as many) are scratch.
 */
static void S_page_authors(struct apply *a, struct page *pg, const struct hist_file *f,
			   struct contributor *ranked, const size_t *rank_of, const size_t *name_of,
			   size_t *count, size_t *seen, size_t *people)
{
	const struct hist_found *h = &a->w;
	size_t nseen = 0, i, k, n;

	if (!f || !f->nt)
		return;
	for (i = 0; i < f->nt; i++) {
		const struct hist_commit *c = &h->commits[h->touch_commit[f->t0 + i]];
		n = S_commit_people(a, c, people);
		for (k = 0; k < n; k++)
			if (!count[people[k]]++)
				seen[nseen++] = people[k];
	}
	pg->git_authors = arena_alloc(&a->site->arena, (nseen ? nseen : 1) * sizeof(*pg->git_authors));
	for (i = 0; i < nseen; i++) {
		struct page_author au;
		au.who = &ranked[rank_of[seen[i]]];
		au.commits = count[seen[i]];
		count[seen[i]] = 0;
		for (k = i; k > 0; k--) {
			const struct page_author *p = &pg->git_authors[k - 1];
			if (p->commits > au.commits ||
			    (p->commits == au.commits && name_of[p->who - ranked] < name_of[au.who - ranked]))
				break;
			pg->git_authors[k] = *p;
		}
		pg->git_authors[k] = au;
	}
	pg->ngit_authors = nseen;
}

/*
 * Whether a version of a question's file (src) is answered: a body with
 * more than white space, and its question field (arg) not at open. Old
 * versions are read leniently, without diagnostics: a front matter is the
 * lines between the first two "---" lines, the field a "NAME:" line of it.
 */
static int S_answered(const char *src, size_t len, void *arg)
{
	const char *field = arg, *p = src, *end = src + len, *body = src;
	size_t fl = strlen(field), i;
	int in_fm = 0;

	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end, *v;
		size_t n = (size_t)(e - p);
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
			n--;
		if (n == 3 && memcmp(p, "---", 3) == 0 && (in_fm || p == src || p == src + 3)) {
			in_fm = !in_fm;
			body = nl ? nl + 1 : end;
			if (!in_fm)
				break;
		} else if (!in_fm) {
			break; /* no front matter: all of it is the body */
		} else if (n > fl && memcmp(p, field, fl) == 0 && p[fl] == ':') {
			for (v = p + fl + 1; v < p + n && (*v == ' ' || *v == '"' || *v == '\''); v++)
				;
			if (p + n - v >= 4 && memcmp(v, "open", 4) == 0 &&
			    (p + n - v == 4 || strchr("\"' #", v[4])))
				return 0;
		}
		p = nl ? nl + 1 : end;
	}
	if (in_fm)
		return 0; /* an unclosed front matter: nothing answers */
	for (i = 0; body + i < end; i++)
		if (!strchr(" \t\r\n", body[i]))
			return 1;
	return 0;
}

/*
 * Role bounty: whoever answered a question that carries one, by the
 * question's people who answer it (people part author) if it names any,
 * else the authors of the commit after which it stayed answered.
 */
static void S_credit_bounty(struct apply *a, struct history *h, struct page *pg, size_t *people, size_t maxid)
{
	const struct type *ty = pg->type;
	struct site *site = a->site;
	size_t i, k, n = 0, cap = 0, *who = NULL;
	long ci;

	if (!ty || !ty->roles.question || !pg->bounty || pg->open || !pg->lang->is_default)
		return;
	for (i = 0; i < ty->nfields; i++) {
		const struct fval *fv = &pg->vals[i];
		if (ty->fields[i].people != PEOPLE_AUTHOR || !ty->fields[i].to_person)
			continue;
		for (k = 0; k < fv->nrefs; k++) {
			const struct page *p = model_find(site, fv->refs[k]->section, fv->refs[k]->id,
							  site->cfg->default_lang);
			size_t c = S_contributor(a, arena_printf(&site->arena, "%s/%s", p->section, p->id),
						 p->title, p);
			size_t j;
			for (j = 0; j < n && who[j] != c; j++)
				;
			if (j == n) {
				ARRAY_GROW(who, n, cap, 4);
				who[n++] = c;
			}
		}
	}
	if (!n && (ci = contributors_answered_at(h, pg)) >= 0) {
		n = S_commit_people(a, &a->w.commits[ci], people);
		who = xmalloc((maxid ? maxid : 1) * sizeof(*who));
		memcpy(who, people, n * sizeof(*who));
	}
	for (i = 0; i < n; i++) {
		struct credit cr;
		a->v[who[i]].points += pg->bounty;
		a->v[who[i]].bounty_points += pg->bounty;
		cr.who = who[i];
		cr.pg = pg;
		buf_put(&a->bounties, &cr, sizeof(cr));
	}
	free(who);
}

/* Each contributor's bounties (sorted by contributor, then path). */
static void S_contributor_bounties(struct apply *a, struct contributor *ranked, const size_t *rank_of)
{
	struct credit *v = (struct credit *)(void *)a->bounties.ptr;
	size_t n = a->bounties.len / sizeof(*v), i, j, k;

	if (n)
		qsort(v, n, sizeof(*v), S_credit_cmp);
	for (i = 0; i < n; i = j) {
		struct contributor *ct = &ranked[rank_of[v[i].who]];
		for (j = i; j < n && v[j].who == v[i].who; j++)
			;
		ct->bounties = arena_alloc(&a->site->arena, (j - i) * sizeof(*ct->bounties));
		for (k = i; k < j; k++)
			ct->bounties[ct->nbounties++] = v[k].pg;
	}
}

/* Ranks a.v into the site's arena; rank_of maps a.v's order to the ranking. */
static struct contributor *S_rank(struct apply *a, size_t *rank_of)
{
	struct site *site = a->site;
	struct contributor *r = arena_alloc(&site->arena, (a->n ? a->n : 1) * sizeof(*r));
	size_t i, k;

	if (a->n) {
		memcpy(r, a->v, a->n * sizeof(*r));
		qsort(r, a->n, sizeof(*r), S_rank_people);
	}
	for (i = 0; i < a->n; i++) {
		rank_of[strmap_get(&a->keys, r[i].key, 0)] = i;
		r[i].rank = i > 0 && r[i].points == r[i - 1].points ? r[i - 1].rank : i + 1;
		for (k = 0; k < site->ntitles && site->titles[k].min <= r[i].points; k++)
			r[i].title = (int)k;
	}
	return r;
}

/*
 * Each contributor's created pages, by path. The credits came page by
 * page, and the pages are in path order (model_page_at): within one
 * contributor they are by path already, so one counting pass by
 * contributor gives what a sort by contributor, then path, gives, without
 * 10,000 paths compared.
 */
static void S_contributor_pages(struct apply *a, struct contributor *ranked, const size_t *rank_of)
{
	const struct credit *v = (const struct credit *)(const void *)a->credits.ptr;
	size_t n = a->credits.len / sizeof(*v), i;

	if (!n)
		return;
	for (i = 0; i < n; i++)
		ranked[rank_of[v[i].who]].npages++;
	for (i = 0; i < a->n; i++) {
		struct contributor *ct = &ranked[i];
		if (ct->npages)
			ct->pages = arena_alloc(&a->site->arena, ct->npages * sizeof(*ct->pages));
		ct->npages = 0;
	}
	for (i = 0; i < n; i++) {
		struct contributor *ct = &ranked[rank_of[v[i].who]];
		ct->pages[ct->npages++] = v[i].pg;
	}
}

/* Person pages, every language of them, get their contributor. */
static void S_person_pages(struct apply *a, struct contributor *ranked, const size_t *rank_of)
{
	struct site *site = a->site;
	struct buf key = BUF_INIT;
	size_t i;

	for (i = 0; i < site->npages; i++) {
		struct page *pg = &site->pages[i];
		long c;
		if (!pg->type || !pg->type->roles.person)
			continue;
		buf_reset(&key);
		buf_printf(&key, "%s/%s", pg->section, pg->id);
		c = strmap_get(&a->keys, buf_cstr(&key), -1);
		if (c >= 0)
			pg->contributor = &ranked[rank_of[c]];
	}
	buf_release(&key);
}

void contributors_apply(struct site *site, struct history *h)
{
	struct apply a;
	struct contributor *ranked = NULL;
	size_t i, k, n, maxid = 1, *people = NULL, *count = NULL, *seen = NULL, *rank_of = NULL;
	size_t *name_of = NULL;
	const struct contributor **byname = NULL;

	memset(&a, 0, sizeof(a));
	buf_init(&a.credits);
	buf_init(&a.bounties);
	history_found(h, &a.w);
	if (!a.w.read)
		return;
	a.site = site;
	a.type_points = xcalloc(site->types.n + 1, sizeof(*a.type_points));
	for (i = 0; i < site->npoints; i++)
		if (site->points[i].type)
			a.type_points[site->points[i].type - site->types.v] = site->points[i].points;
	a.translation_points = site->points[site->npoints - 2].points;
	a.commit_points = site->points[site->npoints - 1].points;
	S_person_emails(&a);
	S_identities(&a);
	site->ident_people =
		arena_alloc(&site->arena, (a.w.nidents ? a.w.nidents : 1) * sizeof(*site->ident_people));
	for (i = 0; i < a.w.nidents; i++)
		site->ident_people[i] = a.v[a.of_ident[i]].person;
	for (i = 0; i < a.w.ncommits; i++)
		if (a.w.commits[i].nidents > maxid)
			maxid = a.w.commits[i].nidents;
	people = xmalloc(maxid * sizeof(*people));
	for (i = 0; i < a.w.ncommits; i++) {
		if (!a.w.commits[i].content)
			continue;
		n = S_commit_people(&a, &a.w.commits[i], people);
		for (k = 0; k < n; k++) {
			a.v[people[k]].commits++;
			a.v[people[k]].points += a.commit_points;
		}
	}
	for (i = 0; i < site->npages; i++)
		S_credit_page(&a, &site->pages[i], history_page_file(h, &site->pages[i]), people);
	for (i = 0; i < site->npages; i++)
		S_credit_bounty(&a, h, &site->pages[i], people, maxid);
	rank_of = xmalloc((a.n ? a.n : 1) * sizeof(*rank_of));
	ranked = S_rank(&a, rank_of);
	S_contributor_pages(&a, ranked, rank_of);
	S_contributor_bounties(&a, ranked, rank_of);
	S_person_pages(&a, ranked, rank_of);
	count = xcalloc(a.n ? a.n : 1, sizeof(*count));
	seen = xmalloc((a.n ? a.n : 1) * sizeof(*seen));
	byname = xmalloc((a.n ? a.n : 1) * sizeof(*byname));
	name_of = xmalloc((a.n ? a.n : 1) * sizeof(*name_of));
	for (i = 0; i < a.n; i++)
		byname[i] = &ranked[i];
	if (a.n)
		qsort(byname, a.n, sizeof(*byname), S_name_cmp);
	for (i = 0; i < a.n; i++)
		name_of[byname[i] - ranked] = i;
	for (i = 0; i < site->npages; i++)
		S_page_authors(&a, &site->pages[i], history_page_file(h, &site->pages[i]), ranked, rank_of,
			       name_of, count, seen, people);
	free(byname);
	free(name_of);
	site->contributors = ranked;
	site->ncontributors = a.n;
	free(people);
	free(count);
	free(seen);
	free(rank_of);
	free(a.type_points);
	free(a.of_ident);
	free(a.v);
	buf_release(&a.credits);
	buf_release(&a.bounties);
	strmap_free(&a.emails);
	strmap_free(&a.keys);
}

int contributors_answered(const char *src, size_t len, void *field)
{
	return S_answered(src, len, field);
}

/* What a kept answer is of: the keep function on this field (a type's role question). */
static void S_answer_name(struct buf *name, const char *field)
{
	buf_printf(name, "answered %s", field);
}

/* Whether name is S_answer_name's of field. */
static int S_answer_is(const char *name, const char *field)
{
	static const char prefix[] = "answered ";
	return strncmp(name, prefix, sizeof(prefix) - 1) == 0 &&
	       strcmp(name + sizeof(prefix) - 1, field) == 0;
}

void contributors_answered_all(struct history *h, const struct page *const *pages, size_t n,
			       const struct source *src, int jobs)
{
	struct buf names = BUF_INIT;
	const char **name = xcalloc(n ? n : 1, sizeof(*name));
	void **field = xcalloc(n ? n : 1, sizeof(*field));
	size_t *at = xcalloc(n ? n : 1, sizeof(*at)), i;

	for (i = 0; i < n; i++) {
		field[i] = (void *)pages[i]->type->roles.question;
		at[i] = names.len;
		S_answer_name(&names, field[i]);
		buf_putc(&names, '\0');
	}
	for (i = 0; i < n; i++) /* once names stopped moving */
		name[i] = names.ptr + at[i];
	history_since_all(h, pages, n, S_answered, field, name, src, jobs);
	buf_release(&names);
	free(name);
	free(field);
	free(at);
}

long contributors_answered_at(struct history *h, const struct page *pg)
{
	const char *field = pg->type->roles.question;
	struct buf name = BUF_INIT;
	long ci;

	S_answer_name(&name, field);
	ci = history_since_kept(h, pg, S_answered, (void *)field, buf_cstr(&name));
	buf_release(&name);
	return ci;
}

struct wt_answer {
	git_oid blob;
	const char *field; /* NULL: the slot is not set */
	int holds;
};

struct contributors_wt {
	struct wt_answer *v;
	size_t n;
	size_t nset;               /* contributors_wt_memo: the set ones, first, by blob id */
	atomic_size_t hits, reads; /* the answers the memo gave, and those read from git */
};

struct contributors_wt *contributors_wt_new(size_t n)
{
	struct contributors_wt *w = xcalloc(1, sizeof(*w));
	w->v = xcalloc(n ? n : 1, sizeof(*w->v));
	w->n = n;
	git_libgit2_init(); /* git_odb_hash's, whether or not the walk has begun */
	return w;
}

void contributors_wt_set(struct contributors_wt *w, size_t i, const char *field, const char *src, size_t len)
{
	struct wt_answer *a = &w->v[i];

	/* not one: the memo just does not know it, and git is read */
	if (git_odb_hash(&a->blob, src, len, GIT_OBJECT_BLOB) != 0)
		return;
	a->holds = S_answered(src, len, (void *)field);
	a->field = field;
}

/* By blob id, the slots not set last. */
static int S_wt_cmp(const void *a, const void *b)
{
	const struct wt_answer *x = a, *y = b;
	if (!x->field || !y->field)
		return (x->field == NULL) - (y->field == NULL);
	return git_oid_cmp(&x->blob, &y->blob);
}

static int S_wt_get(void *payload, const char *name, const git_oid *blob)
{
	const struct contributors_wt *w = payload;
	size_t lo = 0, hi = w->nset, k;

	while (lo < hi) { /* the first answer of blob */
		size_t mid = lo + (hi - lo) / 2;
		if (git_oid_cmp(&w->v[mid].blob, blob) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* files alike (the same blob) of other types ask other fields */
	for (k = lo; k < w->nset && git_oid_equal(&w->v[k].blob, blob); k++)
		if (S_answer_is(name, w->v[k].field)) {
			atomic_fetch_add_explicit((atomic_size_t *)&w->hits, 1, memory_order_relaxed);
			return w->v[k].holds;
		}
	return -1;
}

static void S_wt_put(void *payload, const char *name, const git_oid *blob, int holds)
{
	struct contributors_wt *w = payload;
	atomic_fetch_add_explicit(&w->reads, 1, memory_order_relaxed);
	(void)name;
	(void)blob;
	(void)holds;
}

void contributors_wt_memo(struct history_blob_memo *out, struct contributors_wt *w)
{
	size_t i;

	qsort(w->v, w->n, sizeof(*w->v), S_wt_cmp);
	for (i = 0; i < w->n && w->v[i].field; i++)
		;
	w->nset = i;
	out->get = S_wt_get;
	out->put = S_wt_put;
	out->payload = w;
}

void contributors_wt_counts(const struct contributors_wt *w, size_t *hits, size_t *reads)
{
	*hits = w ? atomic_load((atomic_size_t *)&w->hits) : 0;
	*reads = w ? atomic_load((atomic_size_t *)&w->reads) : 0;
}

void contributors_wt_free(struct contributors_wt *w)
{
	if (!w)
		return;
	free(w->v);
	free(w);
	git_libgit2_shutdown();
}
