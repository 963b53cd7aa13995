/*
 * rerender: the kept state of the last build (rerender.h) and the
 * digests that decide what renders again.
 *
 * The state names pages by path (a page's index moves when another is
 * added), the other things an output reads by a name of their own (a
 * listing's and a term's file, a contributor's key) and outputs by file;
 * it is made from one build's records and read by the next, never while a
 * build writes it. Every digest is of values, not of where they came
 * from: a page's front matter digest holds what the model made of it
 * (its references, terms, flags) beside its bytes, so a value another
 * page's edit changes changes it too. Correctness before speed: an output
 * is shared only when every input it could have read is covered by a
 * digest that holds; what no digest covers renders.
 */
#include "rerender.h"

#include <stdlib.h>
#include <string.h>

#include "insights.h"
#include "l10n.h"
#include "lists.h"
#include "memsite.h"
#include "model.h"
#include "personyear.h"
#include "plan.h"
#include "pool.h"
#include "util.h"

/* The parts of a page, in the order of struct rerender's fp. */
#define S_NPARTS 7

/* One output of the kept site: what it read (indices into the snapshot's pages and deps). */
struct kept_out {
	char *path;      /* its file, the key of outs */
	uint64_t *pages; /* snapshot page index << 8 | parts */
	size_t n;
	uint32_t *deps; /* snapshot dep indices */
	size_t ndeps;
	unsigned long steps;
	int untracked;
	size_t pos;    /* its file's position in the snapshot's site, SIZE_MAX: look it up at commit */
	int lent;      /* pages and deps are the kept snapshot's until rerender_commit */
	size_t from;   /* lent: the index of the kept snapshot's output they are of */
	uint64_t size; /* a jixia build's: its file's bytes */
	int shared;    /* a jixia build's: its file was kept from the folder before (rerender_disk_file) */
};

/* What one build left for the next. */
struct rerender_snap {
	uint64_t global[2];
	/* what the pages' identities and values were digested in (rerender.h's ctx), the model's
	   layout they were made in (site.layout_gen, 0: none) and those digests; NULL: none kept */
	uint64_t ctx[2];
	uint64_t layout_gen;
	uint64_t (*ident)[2];
	uint64_t (*vals)[2];
	char **paths; /* its pages' paths, as site->pages */
	uint64_t (*fp)[S_NPARTS][2];
	uint64_t *serial;      /* per page: its file's read (source.h), 0 for none */
	uint64_t (*src)[2][2]; /* per page: its file's digests (S_src) */
	struct strmap page_at; /* page path -> index in paths + 1 */
	size_t npages;
	char **dep_names; /* its deps' names (S_dep_name) */
	uint64_t (*dep)[2];
	size_t ndeps;
	struct kept_out *outs;
	size_t nouts;
	struct strmap by_path; /* file -> index in outs + 1 */
	struct memsite *site;  /* the site those outputs are in (a reference), NULL until committed */
	long long now;         /* its build time (the calendars' DTSTAMP) */
	/* The feeds stage's outputs (rerender_feed_kept): per feeds job, its file and the digest of
	   what it was made from (0, 0: none, made from what no digest covers) */
	char **feed_paths;
	uint64_t (*feed)[2];
	uint64_t *feed_size;        /* a jixia build's: per feeds job, its file's bytes */
	unsigned char *feed_shared; /* and whether it was kept from the folder before (rerender_feed_made) */
	size_t nfeeds;
	struct strmap feed_by_path; /* file -> index in feed + 1 */
	/* What is the kept snapshot's until rerender_commit hands it over (the
	   same in both: a rebuild of the same pages, deps or outputs): paths and
	   page_at; dep_names; the outs' paths and by_path */
	int lent_pages, lent_deps, lent_outs;
	int disk; /* read from the file of a jixia build (rerender_disk_decode): its files are the output's */
	uint64_t gen; /* a jixia build's: its folders' record number (rerender_disk_gen) */
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
	if (!s->lent_pages) {
		for (i = 0; i < s->npages; i++)
			free(s->paths[i]);
		free(s->paths);
		strmap_free(&s->page_at);
	}
	if (!s->lent_deps) {
		for (i = 0; i < s->ndeps; i++)
			free(s->dep_names[i]);
		free(s->dep_names);
	}
	for (i = 0; i < s->nouts; i++) {
		if (!s->lent_outs)
			free(s->outs[i].path);
		if (!s->outs[i].lent) {
			free(s->outs[i].pages);
			free(s->outs[i].deps);
		}
	}
	if (!s->lent_outs)
		strmap_free(&s->by_path);
	for (i = 0; i < s->nfeeds; i++)
		free(s->feed_paths[i]);
	free(s->feed_paths);
	free(s->feed);
	free(s->feed_size);
	free(s->feed_shared);
	strmap_free(&s->feed_by_path);
	free(s->fp);
	free(s->serial);
	free(s->src);
	free(s->dep);
	free(s->outs);
	free(s->ident);
	free(s->vals);
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

/*
 * The items of every digest here: a number as one word, a string as its
 * length, bytes and zeros to the word (incr_digest_word, _strw). Each
 * digest's layout is fixed by the code that feeds it (lists with their
 * counts first), so no length is needed for a number, and the words stay
 * whole: a compression each, no bytes shifted.
 */
static void S_num(struct incr_digest *d, long long v)
{
	incr_digest_word(d, (uint64_t)v);
}

static void S_str(struct incr_digest *d, const char *s)
{
	incr_digest_strw(d, s);
}

/* --- the dep table: ids and names ----------------------------------------- */

/*
 * Dep ids: each listing (all of it), each listing's docs tree (its
 * roots), each term (name, slug, URL), each term's count, each
 * contributor's numbers, the site-wide parts; in that order.
 */
static size_t S_nlists(const struct rerender *r)
{
	return r->lists->n;
}
static size_t S_tree_id(const struct rerender *r, size_t l)
{
	return S_nlists(r) + l;
}
static size_t S_term_id(const struct rerender *r, size_t t, int count)
{
	return 2 * S_nlists(r) + (count ? r->site->nterms : 0) + t;
}
static size_t S_contrib_id(const struct rerender *r, size_t c)
{
	return 2 * S_nlists(r) + 2 * r->site->nterms + c;
}
static size_t S_year_id(const struct rerender *r, size_t y)
{
	return S_contrib_id(r, r->site->ncontributors) + y;
}
static size_t S_part_id(const struct rerender *r, enum rerender_part p)
{
	return S_year_id(r, r->site->nperson_years) + (size_t)p;
}

/* Dep id's name, the same for the same thing in every build. */
static void S_dep_name(const struct rerender *r, size_t id, struct buf *b)
{
	size_t nl = S_nlists(r), nt = r->site->nterms, nc = r->site->ncontributors,
	       ny = r->site->nperson_years;
	buf_reset(b);
	if (id < nl)
		buf_printf(b, "L%s", r->lists->v[id].out_path);
	else if (id < 2 * nl)
		buf_printf(b, "R%s", r->lists->v[id - nl].out_path);
	else if (id < 2 * nl + nt)
		buf_printf(b, "T%s", r->site->terms[id - 2 * nl].out_path);
	else if (id < 2 * nl + 2 * nt)
		buf_printf(b, "N%s", r->site->terms[id - 2 * nl - nt].out_path);
	else if (id < 2 * nl + 2 * nt + nc)
		buf_printf(b, "C%s", r->site->contributors[id - 2 * nl - 2 * nt].key);
	else if (id < 2 * nl + 2 * nt + nc + ny)
		buf_printf(b, "Y%s:%d", r->site->person_years[id - 2 * nl - 2 * nt - nc].person->path,
			   r->site->person_years[id - 2 * nl - 2 * nt - nc].year);
	else
		buf_printf(b, "P%zu", id - 2 * nl - 2 * nt - nc - ny);
}

/*
 * Dep id's name (S_dep_name) is name: the same test without printing it,
 * for every dep of a rebuild.
 */
static int S_dep_name_is(const struct rerender *r, size_t id, const char *name)
{
	size_t nl = S_nlists(r), nt = r->site->nterms, nc = r->site->ncontributors,
	       ny = r->site->nperson_years;
	const struct person_year *py;
	const char *rest = name + 1;
	size_t n;
	char *end;

	if (id < nl)
		return name[0] == 'L' && strcmp(rest, r->lists->v[id].out_path) == 0;
	if (id < 2 * nl)
		return name[0] == 'R' && strcmp(rest, r->lists->v[id - nl].out_path) == 0;
	if (id < 2 * nl + nt)
		return name[0] == 'T' && strcmp(rest, r->site->terms[id - 2 * nl].out_path) == 0;
	if (id < 2 * nl + 2 * nt)
		return name[0] == 'N' && strcmp(rest, r->site->terms[id - 2 * nl - nt].out_path) == 0;
	if (id < 2 * nl + 2 * nt + nc)
		return name[0] == 'C' && strcmp(rest, r->site->contributors[id - 2 * nl - 2 * nt].key) == 0;
	if (id < 2 * nl + 2 * nt + nc + ny) {
		py = &r->site->person_years[id - 2 * nl - 2 * nt - nc];
		n = strlen(py->person->path);
		return name[0] == 'Y' && strncmp(rest, py->person->path, n) == 0 && rest[n] == ':' &&
		       strtol(rest + n + 1, &end, 10) == py->year && !*end && end > rest + n + 1;
	}
	return name[0] == 'P' && strtoul(rest, &end, 10) == id - 2 * nl - 2 * nt - nc - ny && !*end &&
	       end > rest && rest[0] != '-' && rest[0] != '+' && rest[0] != ' ';
}

/* --- digests -------------------------------------------------------------- */

/* The index of pg in site->pages, or -1 for a page of no digest. */
static long S_index(const struct site *site, const struct page *pg)
{
	if (pg >= site->pages && pg < site->pages + site->npages)
		return (long)(pg - site->pages);
	return -1;
}

/*
 * A page pointer: a page of the site by its index, which names the same
 * path in any build whose global digest is the same (it holds every
 * page's path in index order, and nothing is compared across builds whose
 * global digests differ); another (a list's introduction, a docs folder
 * without a page) by its path, or "" and its id. An index is one number
 * where a path was a string to measure and feed: most of what the deps
 * and the pages' parts feed are page pointers.
 */
static void S_page_ref(struct incr_digest *d, const struct site *site, const struct page *pg)
{
	if (pg && pg >= site->pages && pg < site->pages + site->npages) {
		/* a word no string's first (its length, or ~0 for none) is */
		incr_digest_word(d, ~(uint64_t)1 - (uint64_t)(pg - site->pages));
		return;
	}
	S_str(d, pg ? pg->path : NULL);
	if (pg && !pg->path[0])
		S_str(d, pg->id);
}

static void S_pages(struct incr_digest *d, const struct site *site, struct page *const *v, size_t n)
{
	size_t i;
	S_num(d, (long long)n);
	for (i = 0; i < n; i++)
		S_page_ref(d, site, v[i]);
}

static void S_pic(struct incr_digest *d, const struct picture *p)
{
	S_str(d, p->href);
	S_num(d, p->width);
	S_num(d, p->height);
}

/* Where a page's body starts in its file: after the front matter's lines. */
static size_t S_body_at(const struct page *pg, const char *data, size_t len)
{
	const char *p = data, *end = p + len;
	int line = 1;
	while (p < end && line < pg->body_line) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
		line++;
	}
	return (size_t)(p - data);
}

/*
 * What no output's record names (rerender.h): the site's options, every
 * file but the pages' own, each page's identity (path, URL, language,
 * type, translations) and the flags that put it in or out of the site,
 * the contributors' names, the plan's outputs but the terms' (their
 * listings and terms are deps), and which types and taxonomies the
 * navigation shows. Made of three: the context (S_context: the options
 * and files, first, as the pages' jobs ask whether it held), the rest
 * (S_rest: the plan and the others, a job beside the pages') and the
 * pages' identities (S_ident, in each page's job), joined at the end
 * (S_global).
 */
static void S_context(struct rerender *r, const struct site *site)
{
	struct incr_digest d;
	unsigned char *own = xcalloc(site->src->n ? site->src->n : 1, 1);
	const char *data;
	size_t i;

	incr_digest_init(&d, r->in->key);
	S_str(&d, "jixia rerender 3");
	incr_digest_item(&d, r->in->pending_id, sizeof(r->in->pending_id)); /* the history's commit */
	S_str(&d, site->cfg->base_url);
	S_str(&d, site->root);
	S_num(&d, site->drafts);
	S_num(&d, site->today);
	S_num(&d, site->tz_offset_min);
	S_num(&d, site->history);
	S_num(&d, (long long)site->npages);
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		if (pg->src >= site->src->files && pg->src < site->src->files + site->src->n &&
		    (pg->src->path == pg->path || strcmp(pg->src->path, pg->path) == 0))
			own[pg->src - site->src->files] = 1;
	}
	for (i = 0; i < site->src->n; i++) {
		const struct source_file *f = &site->src->files[i];
		if (own[i])
			continue; /* a page's own: its parts' digests */
		S_str(&d, f->path);
		/* (a Markdown file no page is made of, left unread by the walk: read now) */
		data = source_bytes(site->src, f, 1);
		incr_digest_item(&d, data ? data : "", data ? f->len : 0);
	}
	free(own);
	incr_digest_final(&d, r->ctx);
}

/* The strings of a page's identity (S_global), into out. */
static void S_ident(struct rerender *r, const struct page *pg, uint64_t out[2])
{
	struct incr_digest d;

	incr_digest_init(&d, r->in->key);
	S_str(&d, pg->path);
	S_str(&d, pg->id);
	S_str(&d, pg->section);
	S_str(&d, pg->lang ? pg->lang->code : NULL);
	S_str(&d, pg->href);
	S_str(&d, pg->permalink);
	S_str(&d, pg->type ? pg->type->name : NULL);
	incr_digest_final(&d, out);
}

static void S_rest(struct rerender *r, const struct site *site, const struct lists *lists,
		   const struct plan *plan)
{
	struct incr_digest d;
	size_t i;

	incr_digest_init(&d, r->in->key);
	for (i = 0; i < plan->n; i++) {
		const struct plan_output *o = &plan->v[i];
		if (o->kind == PLAN_TERM || o->kind == PLAN_FEED_TERM)
			continue; /* read through their listing and term deps */
		S_num(&d, o->kind);
		S_num(&d, (long long)o->lang);
		S_str(&d, o->href);
		S_str(&d, o->out_path);
		S_page_ref(&d, site, o->page);
		S_num(&d, (long long)o->year);
	}
	/* the navigation's entries (render.c S_prepare): the type lists with items, the taxonomies */
	for (i = 0; i < lists->n; i++) {
		const struct listing *l = &lists->v[i];
		if (l->kind == LIST_TYPE && l->page_no == 1 && (l->total > 0 || l->nupcoming > 0))
			S_str(&d, l->out_path);
		if (l->kind == LIST_TAXONOMY)
			S_str(&d, l->href);
	}
	for (i = 0; i < site->ncontributors; i++) {
		const struct contributor *c = &site->contributors[i];
		S_str(&d, c->key);
		S_str(&d, c->name);
		S_page_ref(&d, site, c->person);
	}
	/* the years a person page links to (render.c S_person_years_text) */
	for (i = 0; i < site->nperson_years; i++) {
		S_page_ref(&d, site, site->person_years[i].person);
		S_num(&d, site->person_years[i].year);
	}
	incr_digest_final(&d, r->rest);
}

/* The global digest, of the context, the pages' identities and flags, and the rest (r->global). */
static void S_global(struct rerender *r, const struct site *site)
{
	struct incr_digest d;
	size_t i;

	incr_digest_init(&d, r->in->key);
	incr_digest_item(&d, r->ctx, sizeof(r->ctx));
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		incr_digest_item(&d, r->ident[i], sizeof(r->ident[i]));
		S_num(&d, pg->failed);
		S_num(&d, pg->draft);
		S_num(&d, pg->expired);
		S_page_ref(&d, site, pg->next_translation);
	}
	incr_digest_item(&d, r->rest, sizeof(r->rest));
	incr_digest_final(&d, r->global);
}

/*
 * The values the model gave a page from its front matter (its dates and
 * fields' values), into out: what serve's model memo keeps for a page it
 * did not link again (model.h page.relinked).
 */
static void S_vals(struct rerender *r, const struct page *pg, uint64_t out[2])
{
	struct incr_digest d;
	size_t k;

	incr_digest_init(&d, r->in->key);
	S_num(&d, pg->date);
	S_num(&d, pg->weight);
	for (k = 0; pg->type && pg->vals && k < pg->type->nfields; k++) {
		const struct fval *v = &pg->vals[k];
		S_num(&d, v->node != NULL);
		S_num(&d, v->num);
		S_num(&d, v->timed);
		S_num(&d, v->at);
		S_num(&d, v->at_off);
		S_str(&d, v->zone);
	}
	incr_digest_final(&d, out);
}

/*
 * Whether a time of day of pg's was read in a zone of the system's
 * database (model.c's S_zone_values): its instant and offset come from a
 * zone file no digest covers, which an update of the system's time zones
 * may change between two builds; so a jixia build values such a page
 * afresh rather than take its values from the state on disk.
 */
static int S_zoned(const struct page *pg)
{
	size_t k;
	for (k = 0; pg->type && pg->vals && k < pg->type->nfields; k++)
		if (pg->vals[k].timed && pg->vals[k].zone)
			return 1;
	return 0;
}

/*
 * A page's parts (rerender.h RR_*), each digest under its own tag. kept:
 * the parts of the same page of the kept state when its file is the same
 * read; then the parts made from its parse result alone (title, summary,
 * words) are those, as what parsing read besides the file (site.yaml, the
 * theme, the pictures' sizes) is in the global digest: a build whose
 * global digest is another renders every output, whatever its parts.
 */
static void S_page_parts(struct rerender *r, const struct page *pg, rerender_page_fn extra, void *payload,
			 const uint64_t (*kept)[2], uint64_t out[S_NPARTS][2])
{
	const struct site *site = r->site;
	struct incr_digest d;
	size_t i, k;

	/* RR_TITLE */
	if (kept) {
		memcpy(out[0], kept[0], sizeof(out[0]));
	} else {
		incr_digest_init(&d, r->in->key);
		S_str(&d, pg->title);
		incr_digest_final(&d, out[0]);
	}

	/* RR_FRONT: the bytes and what the model made of them */
	incr_digest_init(&d, r->in->key);
	incr_digest_item(&d, r->src[pg - r->site->pages][0], sizeof(r->src[0][0]));
	incr_digest_item(&d, r->vals[pg - r->site->pages], sizeof(r->vals[0]));
	S_num(&d, pg->open);
	S_num(&d, pg->bounty);
	S_num(&d, pg->call_until);
	S_num(&d, pg->call_open);
	S_pic(&d, &pg->image);
	S_num(&d, (long long)pg->nterms);
	for (i = 0; i < pg->nterms; i++) {
		S_str(&d, pg->terms[i]->out_path);
		S_str(&d, pg->terms[i]->name);
	}
	for (k = 0; pg->type && pg->vals && k < pg->type->nfields; k++) {
		const struct fval *v = &pg->vals[k];
		S_pages(&d, site, v->refs, v->nrefs);
		for (i = 0; v->hrefs && v->node && i < (v->node->kind == YNODE_SEQ ? v->node->n : 1); i++)
			S_str(&d, v->hrefs[i]);
	}
	if (extra)
		extra(pg, &d, payload);
	incr_digest_final(&d, out[1]);

	/* RR_SUMMARY */
	if (kept) {
		memcpy(out[2], kept[2], sizeof(out[2]));
	} else {
		incr_digest_init(&d, r->in->key);
		S_str(&d, pg->summary);
		S_num(&d, pg->html_len > 0);
		S_pic(&d, &pg->first_image);
		incr_digest_final(&d, out[2]);
	}

	/* RR_BODY: the file's body and where its links lead */
	incr_digest_init(&d, r->in->key);
	incr_digest_item(&d, r->src[pg - r->site->pages][1], sizeof(r->src[0][1]));
	for (i = 0; i < pg->nlinks; i++) /* where each link leads now: a page's URL, a file's size */
		if (pg->links[i].local)  /* (the others' are as written: in the bytes; their attr is unset) */
			S_str(&d, pg->links[i].attr);
	incr_digest_final(&d, out[3]);

	/* RR_HIST */
	incr_digest_init(&d, r->in->key);
	S_num(&d, pg->created);
	S_num(&d, pg->updated);
	S_num(&d, pg->created_off);
	S_num(&d, pg->updated_off);
	S_num(&d, (long long)pg->ncommits);
	S_num(&d, (long long)pg->ngit_authors);
	for (i = 0; i < pg->ngit_authors; i++) {
		S_str(&d, pg->git_authors[i].who->key);
		S_num(&d, (long long)pg->git_authors[i].commits);
	}
	S_str(&d, pg->edit_url);
	S_str(&d, pg->history_url);
	S_str(&d, pg->original_moved);
	S_num(&d, pg->outdated != NULL);
	if (pg->outdated) {
		const struct outdated *o = pg->outdated;
		S_page_ref(&d, site, o->original);
		S_num(&d, (long long)o->count);
		S_num(&d, o->date);
		S_num(&d, o->date_off);
		S_str(&d, o->base);
		S_str(&d, o->head);
		S_str(&d, o->diff_url);
	}
	S_str(&d, pg->contributor ? pg->contributor->key : NULL);
	incr_digest_final(&d, out[4]);

	/* RR_REL: who refers to it (type, field, date: the upcoming/past split), the docs tree around it */
	incr_digest_init(&d, r->in->key);
	S_num(&d, (long long)pg->nin);
	for (i = 0; i < pg->nin; i++) {
		S_page_ref(&d, site, pg->in[i].from);
		S_str(&d, pg->in[i].field->name);
		S_num(&d, pg->in[i].from->date);
	}
	S_page_ref(&d, site, pg->prev);
	S_page_ref(&d, site, pg->next);
	S_page_ref(&d, site, pg->parent);
	S_pages(&d, site, pg->children, pg->nchildren);
	incr_digest_final(&d, out[5]);

	/* RR_WORDS */
	if (kept) {
		memcpy(out[6], kept[6], sizeof(out[6]));
	} else {
		incr_digest_init(&d, r->in->key);
		S_num(&d, pg->reading_minutes);
		S_num(&d, (long long)pg->words);
		incr_digest_final(&d, out[6]);
	}
}

static void S_terms(struct incr_digest *d, const struct term *t, size_t n)
{
	size_t i;
	S_num(d, (long long)n);
	for (i = 0; i < n; i++) {
		S_str(d, t[i].out_path);
		S_str(d, t[i].name);
		S_num(d, (long long)t[i].n);
	}
}

static void S_term_ptr(struct incr_digest *d, const struct term *t)
{
	S_str(d, t ? t->out_path : NULL);
	S_str(d, t ? t->name : NULL);
	S_num(d, t ? (long long)t->n : -1);
}

/* Everything of a listing (struct listing), its pages by path, and its peers in the other languages. */
static void S_listing(struct rerender *r, const struct listing *l, uint64_t out[2])
{
	const struct site *site = r->site;
	struct incr_digest d;
	size_t i, k;

	incr_digest_init(&d, r->in->key);
	S_num(&d, l->kind);
	S_num(&d, (long long)l->lang);
	S_str(&d, l->type ? l->type->name : NULL);
	S_str(&d, l->taxonomy);
	S_str(&d, l->index_href);
	S_term_ptr(&d, l->term);
	S_str(&d, l->term && l->term->page ? l->term->page->href : NULL);
	S_num(&d, l->year);
	S_str(&d, l->href);
	S_str(&d, l->out_path);
	S_pages(&d, site, l->items, l->nitems);
	S_num(&d, (long long)l->total);
	S_num(&d, (long long)l->page_no);
	S_num(&d, (long long)l->npages);
	S_str(&d, l->first ? l->first->href : NULL);
	S_str(&d, l->prev_href);
	S_str(&d, l->next_href);
	S_pages(&d, site, l->upcoming, l->nupcoming);
	S_num(&d, (long long)l->nyears);
	for (i = 0; i < l->nyears; i++) {
		S_num(&d, l->years[i].year);
		S_str(&d, l->years[i].href);
		S_num(&d, (long long)l->years[i].count);
	}
	S_terms(&d, l->terms, l->nterms);
	S_num(&d, (long long)l->ntags);
	for (i = 0; i < l->ntags; i++) {
		S_term_ptr(&d, l->tags[i].term);
		S_num(&d, (long long)l->tags[i].count);
	}
	S_num(&d, (long long)l->nsections);
	for (i = 0; i < l->nsections; i++) {
		S_str(&d, l->sections[i].name);
		S_pages(&d, site, l->sections[i].items, l->sections[i].n);
	}
	S_num(&d, (long long)l->npopular_tags);
	for (i = 0; i < l->npopular_tags; i++)
		S_term_ptr(&d, l->popular_tags[i]);
	S_num(&d, (long long)l->ngroupings);
	for (i = 0; i < l->ngroupings; i++) {
		const struct list_grouping *gs = &l->groupings[i];
		S_str(&d, gs->field ? gs->field->name : NULL);
		S_num(&d, (long long)gs->n);
		for (k = 0; k < gs->n; k++) {
			const struct list_group *g = &gs->v[k];
			S_str(&d, g->name);
			S_num(&d, (long long)g->index);
			S_num(&d, g->none);
			S_str(&d, g->anchor);
			S_num(&d, g->min);
			S_num(&d, g->max);
			S_str(&d, g->term_href);
			S_pages(&d, site, g->items, g->n);
		}
	}
	S_num(&d, (long long)l->nby_type);
	for (i = 0; i < l->nby_type; i++) {
		S_str(&d, l->by_type[i].type ? l->by_type[i].type->name : NULL);
		S_str(&d, l->by_type[i].href);
		S_pages(&d, site, l->by_type[i].items, l->by_type[i].n);
	}
	S_pages(&d, site, l->roots, l->nroots);
	for (i = 0; i < r->site->cfg->nlangs; i++)
		S_str(&d, lists_peer(r->lists, r->site, l, i));
	incr_digest_final(&d, out);
}

static void S_count(struct incr_digest *d, const struct l10n_count *c)
{
	S_str(d, c->type ? c->type->name : NULL);
	S_num(d, (long long)c->originals);
	S_num(d, (long long)c->translated);
	S_num(d, (long long)c->outdated);
	S_num(d, (long long)c->missing);
}

static void S_contributor(struct incr_digest *d, const struct site *site, const struct contributor *c)
{
	S_str(d, c->key);
	S_num(d, (long long)c->commits);
	S_num(d, (long long)c->items);
	S_num(d, (long long)c->translations);
	S_num(d, c->points);
	S_num(d, c->title);
	S_num(d, (long long)c->rank);
	S_num(d, c->bounty_points);
	S_pages(d, site, c->pages, c->npages);
	S_pages(d, site, c->bounties, c->nbounties);
}

static void S_nums(struct incr_digest *d, const long long *v, size_t n)
{
	S_num(d, (long long)n);
	if (v && n)
		incr_digest_item(d, v, n * sizeof(*v));
}

static void S_strs(struct incr_digest *d, const char *const *v, size_t n)
{
	size_t i;
	S_num(d, (long long)n);
	for (i = 0; v && i < n; i++)
		S_str(d, v[i]);
}

/*
 * Every number and name of the insights (insights.h): what /insights/'s
 * charts, each /contributors/YEAR/ and the years' links show. Made from
 * the walk and the model, so any field may change with any edit; the
 * arrays are plain numbers, fed whole.
 */
static void S_insights(struct incr_digest *d, const struct site *site, const struct insights *ins)
{
	size_t n, i, k;

	S_num(d, ins != NULL);
	if (!ins)
		return;
	n = ins->n;
	S_num(d, ins->quarters);
	S_strs(d, ins->labels, n);
	S_nums(d, ins->commits, n);
	S_nums(d, ins->active, n);
	S_nums(d, ins->newcomers, n);
	S_nums(d, ins->translations, n);
	S_nums(d, ins->events, n);
	S_strs(d, ins->types, ins->ntypes);
	S_nums(d, ins->added, ins->ntypes * n);
	S_strs(d, ins->top, n);
	S_nums(d, ins->top_commits, n);
	S_num(d, (long long)ins->nyears);
	for (i = 0; i < ins->nyears; i++) {
		const struct insights_year *y = &ins->years[i];
		S_num(d, y->year);
		S_num(d, (long long)y->p0);
		S_num(d, (long long)y->np);
		S_num(d, y->commits);
		S_num(d, y->active);
		S_num(d, y->newcomers);
		S_num(d, y->translations);
		S_num(d, y->events);
		S_nums(d, y->added, ins->ntypes);
		S_num(d, (long long)y->ntop);
		for (k = 0; k < y->ntop; k++) {
			S_str(d, y->top[k].name);
			S_num(d, y->top[k].commits);
			S_page_ref(d, site, y->top[k].person);
			S_str(d, y->top[k].href);
		}
	}
	S_strs(d, ins->cities, ins->ncities);
	S_nums(d, ins->by_city, (ins->ncities + 1) * n);
	S_strs(d, ins->kinds, ins->nkinds);
	S_nums(d, ins->by_kind, (ins->nkinds + 1) * n);
	S_nums(d, ins->talks, n);
	S_nums(d, ins->talk_bins, INSIGHTS_TALK_BINS * n);
	S_nums(d, ins->answered, n);
	S_nums(d, ins->open, n);
	S_num(d, (long long)ins->nlangs);
	for (i = 0; i < ins->nlangs; i++)
		S_str(d, ins->langs[i]->code);
	S_nums(d, ins->originals, n);
	S_nums(d, ins->current, ins->nlangs * n);
	S_nums(d, ins->behind, ins->nlangs * n);
}

/* The site-wide parts (enum rerender_part), as they change with pages' front matter, bodies or history. */
static void S_part(struct rerender *r, enum rerender_part p, uint64_t out[2])
{
	const struct site *site = r->site;
	struct incr_digest d;
	size_t i, k;

	incr_digest_init(&d, r->in->key);
	S_num(&d, p);
	switch (p) {
	case RR_PART_NAV_COUNT:
	case RR_PART_TAX_COUNT:
		for (i = 0; i < r->lists->n; i++) {
			const struct listing *l = &r->lists->v[i];
			if (p == RR_PART_NAV_COUNT && l->kind == LIST_TYPE && l->page_no == 1)
				S_num(&d, (long long)l->total);
			if (p == RR_PART_TAX_COUNT && l->kind == LIST_TAXONOMY)
				S_num(&d, (long long)l->nterms);
		}
		break;
	case RR_PART_RANKING:
		S_num(&d, (long long)site->ncontributors);
		for (i = 0; i < site->ncontributors; i++)
			S_contributor(&d, site, &site->contributors[i]);
		break;
	case RR_PART_L10N:
		S_num(&d, (long long)site->nl10n);
		for (i = 0; i < site->nl10n; i++) {
			const struct l10n_lang *l = &site->l10n[i];
			S_str(&d, l->lang->code);
			S_count(&d, &l->total);
			S_num(&d, (long long)l->ntypes);
			for (k = 0; k < l->ntypes; k++)
				S_count(&d, &l->types[k]);
			S_pages(&d, site, l->outdated, l->total.outdated);
			for (k = 0; k < l->total.missing; k++) {
				S_page_ref(&d, site, l->missing[k].page);
				S_str(&d, l->missing[k].path);
				S_num(&d, l->missing[k].reach);
			}
			S_num(&d, (long long)l->norphans);
			for (k = 0; k < l->norphans; k++) {
				S_page_ref(&d, site, l->orphans[k].page);
				S_str(&d, l->orphans[k].original);
				S_str(&d, l->orphans[k].moved_to);
				S_str(&d, l->orphans[k].move_to);
			}
		}
		break;
	case RR_PART_HELP:
		S_num(&d, site->help != NULL);
		for (i = 0; site->help && i < site->cfg->nlangs; i++) {
			const struct help_lang *h = &site->help[i];
			S_pages(&d, site, h->questions, h->nquestions);
			S_pages(&d, site, h->calls, h->ncalls);
			S_num(&d, (long long)h->ntranslations);
			for (k = 0; k < h->ntranslations; k++) {
				S_page_ref(&d, site, h->translations[k].page);
				S_str(&d, h->translations[k].lang->code);
				S_num(&d, h->translations[k].missing);
				S_str(&d, h->translations[k].command);
			}
		}
		break;
	case RR_PART_INSIGHTS: S_insights(&d, site, site->insights); break;
	case RR_PARTS: break;
	}
	incr_digest_final(&d, out);
}

static void S_act(struct incr_digest *d, const struct site *site, const struct py_act *a)
{
	S_num(d, a ? a->day : -1);
	S_num(d, a ? (long long)a->kind : -1);
	S_num(d, a ? a->points : -1);
	S_page_ref(d, site, a ? a->pg : NULL);
	/* the year's page lists it by its title, which the global digest does not hold */
	incr_digest_str(d, a && a->pg ? a->pg->title : NULL);
}

/* A person's year (struct person_year): its numbers and contributions (their pages by path). */
static void S_person_year(struct incr_digest *d, const struct site *site, const struct person_year *py)
{
	size_t i;
	S_page_ref(d, site, py->person);
	S_num(d, py->year);
	for (i = 0; i < PY_KINDS; i++)
		S_num(d, py->n[i]);
	S_num(d, py->points);
	S_num(d, py->bounty_points);
	S_num(d, py->points_total);
	S_num(d, py->title);
	S_num(d, py->active_weeks);
	S_num(d, py->streak);
	S_num(d, py->streak_start);
	S_num(d, py->streak_end);
	S_act(d, site, py->first);
	S_num(d, (long long)py->nacts);
	for (i = 0; i < py->nacts; i++)
		S_act(d, site, &py->acts[i]);
}

/* Dep id's digest (the dep table: S_tree_id and the others), into r->dep[id]. */
static void S_dep_digest(struct rerender *r, size_t id)
{
	const struct site *site = r->site;
	size_t nl = S_nlists(r), nt = site->nterms;
	struct incr_digest d;

	if (id >= S_part_id(r, 0)) {
		S_part(r, (enum rerender_part)(id - S_part_id(r, 0)), r->dep[id]);
		return;
	}
	incr_digest_init(&d, r->in->key);
	if (id < nl) {
		S_listing(r, &r->lists->v[id], r->dep[id]);
		return;
	} else if (id < 2 * nl) {
		S_pages(&d, site, r->lists->v[id - nl].roots, r->lists->v[id - nl].nroots);
	} else if (id < 2 * nl + nt) {
		const struct term *t = &site->terms[id - 2 * nl];
		S_str(&d, t->taxonomy);
		S_str(&d, t->slug);
		S_str(&d, t->name);
		S_str(&d, t->href);
		S_str(&d, t->page ? t->page->href : NULL);
	} else if (id < 2 * nl + 2 * nt) {
		S_num(&d, (long long)site->terms[id - 2 * nl - nt].n);
	} else if (id < S_year_id(r, 0)) {
		S_contributor(&d, site, &site->contributors[id - S_contrib_id(r, 0)]);
	} else {
		S_person_year(&d, site, &site->person_years[id - S_year_id(r, 0)]);
	}
	incr_digest_final(&d, r->dep[id]);
}

/* What the workers of S_digest_job share. */
struct parts_run {
	struct rerender *r;
	const struct plan *plan;
	rerender_page_fn extra;
	void *payload;
	/* the kept state whose pages' identities and values hold for every page the model did not
	   link again (S_values_kept), else NULL */
	const struct rerender_snap *values;
	int disk; /* values is a jixia build's (read from disk): they hold for every page whose file is the same */
};

/*
 * Page i's file as two digests, its front matter's and its body's: the
 * last rebuild's when the source cache did not read the file again (the
 * same read, source.h's serial: the same bytes), else made from the bytes,
 * which on a large site is most of rerender_begin's time. Returns the
 * kept page's parts in the first case (S_page_parts), else NULL.
 */
/*
 * What names the bytes of f across runs: serve's read (serial), else, for a
 * jixia build's state kept on disk, its identity (source.h's ident: device,
 * inode, times) and length in one word; 0 when neither (a racy file).
 */
static uint64_t S_file_key(const struct source_file *f)
{
	static const uint64_t zero[2] = { 0, 0 };
	struct incr_digest d;
	uint64_t h[2];

	if (f->serial || !f->ident[1])
		return f->serial;
	incr_digest_init(&d, zero);
	incr_digest_item(&d, f->ident, sizeof(f->ident));
	incr_digest_num(&d, (long long)f->len);
	incr_digest_final(&d, h);
	return h[0] ? h[0] : 1;
}

static const uint64_t (*S_src(struct rerender *r, size_t i))[2]
{
	const struct page *pg = &r->site->pages[i];
	const struct rerender_snap *k = r->in->rerender->kept;
	struct incr_digest d;
	uint64_t key = S_file_key(pg->src);
	const char *data;
	size_t front, len;
	long at;

	r->serial[i] = key;
	/* the kept page of the same index when its path is the same (no page added
	   or removed: the common rebuild), else looked up */
	if (k && i < k->npages && strcmp(k->paths[i], pg->path) == 0)
		at = (long)i + 1;
	else
		at = k ? strmap_get(&k->page_at, pg->path, 0) : 0;
	if (key && at && k->serial[at - 1] == key) {
		memcpy(r->src[i], k->src[at - 1], sizeof(r->src[i]));
		return (const uint64_t(*)[2])k->fp[at - 1];
	}
	atomic_fetch_add(&r->digested, 1);
	/* a file left unread by the walk is read now; one that cannot be is reported (the build fails) */
	data = source_bytes(r->site->src, pg->src, 1);
	len = data ? pg->src->len : 0;
	if (!data)
		data = "";
	front = S_body_at(pg, data, len);
	incr_digest_init(&d, r->in->key);
	incr_digest_item(&d, data, front);
	incr_digest_final(&d, r->src[i][0]);
	incr_digest_init(&d, r->in->key);
	incr_digest_item(&d, data + front, len - front);
	incr_digest_final(&d, r->src[i][1]);
	return NULL;
}

/*
 * Every digest of rerender_begin as one job each, on the pool: the global
 * digest first, then the deps (the site-wide parts, the largest, first),
 * then the pages; none reads another's.
 */
static void S_digest_job(size_t i, int worker, void *payload)
{
	struct parts_run *run = payload;
	struct rerender *r = run->r;
	const struct page *pg;
	const uint64_t(*kept)[2];
	(void)worker;
	if (i == 0) {
		S_rest(r, r->site, r->lists, run->plan);
	} else if (i <= r->ndeps) {
		S_dep_digest(r, r->ndeps - i);
	} else {
		i -= r->ndeps + 1;
		pg = &r->site->pages[i];
		kept = S_src(r, i);
		/* the same file read, and the model took the page's values from the load that made
		   the kept state (its memo), or (a jixia build's state) made them from that file in
		   the same context: the same identity and values as then */
		if (run->values && kept && (run->disk ? !S_zoned(pg) : !pg->relinked)) {
			memcpy(r->ident[i], run->values->ident[i], sizeof(r->ident[i]));
			memcpy(r->vals[i], run->values->vals[i], sizeof(r->vals[i]));
		} else {
			atomic_fetch_add(&r->valued, 1);
			S_ident(r, pg, r->ident[i]);
			S_vals(r, pg, r->vals[i]);
		}
		S_page_parts(r, pg, run->extra, run->payload, kept, r->fp[i]);
	}
}

/*
 * The kept state of the build whose model made the layout this load's
 * model compared with (site.layout_prev_gen), in the same context (the
 * options and every file but the pages'), the same pages in the same
 * places: then a page the model did not link again has the identity
 * and values it had then (model.h page.relinked). Else NULL.
 */
static const struct rerender_snap *S_values_kept(const struct rerender *r, const struct site *site)
{
	const struct rerender_snap *k = r->in->rerender->kept;
	if (!k || k->disk || !k->ident || !k->vals || !site->layout_prev_gen ||
	    k->layout_gen != site->layout_prev_gen || k->npages != site->npages || k->ctx[0] != r->ctx[0] ||
	    k->ctx[1] != r->ctx[1])
		return NULL;
	return k;
}

/*
 * A jixia build's kept state (read from disk) made in the same context
 * (the options, the history's commit and every file but the pages') with
 * the same pages in the same places (same_places: S_disk_pages_at): the
 * model makes a page's identity and values (S_ident, S_vals: its path,
 * URL, language, type, dates and fields) from its file and that context
 * alone, as serve's memo takes them for a page whose parse result is the
 * same (model.c's S_memo_take); so a page whose file is the same (S_src)
 * has the ones it had then. Else NULL.
 */
static const struct rerender_snap *
S_values_on_disk(const struct rerender *r, const struct site *site, int same_places)
{
	const struct rerender_snap *k = r->in->rerender->kept;
	if (!k || !k->disk || !k->ident || !k->vals || !same_places || k->npages != site->npages ||
	    k->ctx[0] != r->ctx[0] || k->ctx[1] != r->ctx[1])
		return NULL;
	return k;
}

static void S_match_deps(struct rerender *r, const struct rerender_snap *k);
static void S_decide(struct rerender *r, struct rerender_snap *k, const struct plan *plan);

/*
 * A state read from disk has no page_at (rerender_disk_decode): S_src
 * finds a page at its own index when no page came or went, the common
 * rebuild; else the map is made here, before the threads look in it.
 * Returns 1 when every page is at its own index.
 */
static int S_disk_pages_at(struct rerender_snap *k, const struct site *site)
{
	size_t i;

	for (i = 0; i < k->npages && i < site->npages; i++)
		if (strcmp(k->paths[i], site->pages[i].path) != 0)
			break;
	if (i == k->npages && k->npages == site->npages)
		return 1;
	if (!k->page_at.n)
		for (i = 0; i < k->npages; i++)
			strmap_put(&k->page_at, k->paths[i], (long)i + 1);
	return 0;
}

void rerender_begin(struct rerender *r, struct incr *in, const struct memsite *mem, const struct site *site,
		    const struct lists *lists, const struct plan *plan, rerender_page_fn extra, void *payload,
		    int nthreads)
{
	struct parts_run run = { r, plan, extra, payload, NULL, 0 };
	struct rerender_snap *k;
	size_t i, p;

	memset(r, 0, sizeof(*r));
	if (!in || (!mem && !in->disk)) /* in->disk: a jixia build's state on disk (rerender_disk_*) */
		return;
	r->in = in;
	r->site = site;
	r->lists = lists;
	if (!in->rerender) {
		in->rerender = xcalloc(1, sizeof(*in->rerender));
		in->rerender_free = rerender_state_free;
	}
	S_snap_free(in->rerender->pending); /* a build that failed after render staged it */
	in->rerender->pending = NULL;
	r->njobs = plan->html.n;
	r->jobs = xcalloc(r->njobs ? r->njobs : 1, sizeof(*r->jobs));
	r->fp = xcalloc(site->npages ? site->npages : 1, sizeof(*r->fp));
	r->src = xcalloc(site->npages ? site->npages : 1, sizeof(*r->src));
	r->serial = xcalloc(site->npages ? site->npages : 1, sizeof(*r->serial));
	r->ndeps = S_part_id(r, RR_PARTS);
	r->dep = xcalloc(r->ndeps ? r->ndeps : 1, sizeof(*r->dep));
	r->ident = xcalloc(site->npages ? site->npages : 1, sizeof(*r->ident));
	r->vals = xcalloc(site->npages ? site->npages : 1, sizeof(*r->vals));
	S_context(r, site);
	if (in->rerender->kept && in->rerender->kept->disk) {
		run.values = S_values_on_disk(r, site, S_disk_pages_at(in->rerender->kept, site));
		run.disk = 1;
	} else {
		run.values = S_values_kept(r, site);
	}
	pool_run(nthreads, 1 + r->ndeps + site->npages, S_digest_job, &run);
	S_global(r, site);
	k = in->rerender->kept;
	if (!k || (!k->site && !k->disk) || k->global[0] != r->global[0] || k->global[1] != r->global[1])
		return;
	r->reuse = 1;
	r->same = xcalloc(k->npages ? k->npages : 1, 1);
	r->to_new = xcalloc(k->npages ? k->npages : 1, sizeof(*r->to_new));
	/* the same global digest: the same pages in the same order (it holds their paths) */
	for (i = 0; i < k->npages && i < site->npages; i++) {
		r->to_new[i] = i;
		for (p = 0; p < S_NPARTS; p++)
			if (k->fp[i][p][0] == r->fp[i][p][0] && k->fp[i][p][1] == r->fp[i][p][1])
				r->same[i] |= (unsigned char)(1u << p);
	}
	S_match_deps(r, k);
	S_decide(r, k, plan);
}

/*
 * Each dep of the kept state as this build's: by id when every name is
 * the one of the same id (the common rebuild: no term, listing or
 * contributor came or went), else by name. A name twice (it should not
 * be) matches nothing.
 */
static void S_match_deps(struct rerender *r, const struct rerender_snap *k)
{
	struct strmap now = { 0 };
	struct arena names = ARENA_INIT;
	struct buf name = BUF_INIT;
	size_t i;

	r->dep_same = xcalloc(k->ndeps ? k->ndeps : 1, 1);
	r->dep_to_new = xcalloc(k->ndeps ? k->ndeps : 1, sizeof(*r->dep_to_new));
	r->same_deps = k->ndeps == r->ndeps;
	for (i = 0; r->same_deps && i < k->ndeps; i++)
		r->same_deps = S_dep_name_is(r, i, k->dep_names[i]);
	if (r->same_deps) {
		for (i = 0; i < k->ndeps; i++) {
			r->dep_to_new[i] = (uint32_t)i;
			r->dep_same[i] = k->dep[i][0] == r->dep[i][0] && k->dep[i][1] == r->dep[i][1];
		}
		return;
	}
	for (i = 0; i < r->ndeps; i++) {
		char *s;
		S_dep_name(r, i, &name);
		s = arena_strdup(&names, buf_cstr(&name));
		strmap_put(&now, s, strmap_get(&now, s, 0) ? -1 : (long)i + 1);
	}
	for (i = 0; i < k->ndeps; i++) {
		long j = strmap_get(&now, k->dep_names[i], 0);
		if (j <= 0)
			continue;
		r->dep_to_new[i] = (uint32_t)(j - 1);
		r->dep_same[i] = k->dep[i][0] == r->dep[j - 1][0] && k->dep[i][1] == r->dep[j - 1][1];
	}
	strmap_free(&now);
	arena_release(&names);
	buf_release(&name);
}

/* Nothing the kept output ko read changed: its pages' parts and its deps are the same. */
static int S_holds(const struct rerender *r, const struct kept_out *ko)
{
	size_t i;

	if (ko->untracked)
		return 0;
	for (i = 0; i < ko->n; i++) {
		unsigned parts = (unsigned)(ko->pages[i] & 0xff);
		if (parts & ~(unsigned)r->same[ko->pages[i] >> 8])
			return 0;
	}
	for (i = 0; i < ko->ndeps; i++)
		if (!r->dep_same[ko->deps[i]])
			return 0;
	return 1;
}

/* The kept output ko's file when nothing it read changed, else NULL. */
static const struct memsite_file *
S_still(struct rerender *r, const struct rerender_snap *k, struct kept_out *ko, const char *out_path)
{
	const struct memsite *site = k->site;

	r->visited++;
	if (!S_holds(r, ko))
		return NULL;
	/* where it was when the site was committed, else (never, but cheap to be sure) by name */
	if (ko->pos < site->n && strcmp(site->files[ko->pos].path, out_path) == 0)
		return &site->files[ko->pos];
	return memsite_get(site, out_path);
}

/*
 * Every HTML output: kept (the kept record's what it read, and its file
 * to share) or to render. The kept record is lent as it is when its ids
 * are this build's (the same deps: page indices are the same under the
 * same global digest), else copied in this build's ids.
 */
static void S_decide(struct rerender *r, struct rerender_snap *k, const struct plan *plan)
{
	size_t i, q;

	r->render = xmalloc((r->njobs ? r->njobs : 1) * sizeof(*r->render));
	r->share = xmalloc((r->njobs ? r->njobs : 1) * sizeof(*r->share));
	if (k->disk) { /* a jixia build's: each job keeps its output's file or renders (rerender_disk_take) */
		for (i = 0; i < r->njobs; i++)
			r->render[r->nrender++] = i;
		/* by file only when an output moved (S_disk_match looks at its own place first) */
		for (i = 0; i < k->nouts && i < r->njobs; i++)
			if (strcmp(k->outs[i].path, plan->v[plan->html.first + i].out_path) != 0)
				break;
		if (i < k->nouts && !k->by_path.n)
			for (i = 0; i < k->nouts; i++)
				strmap_put(&k->by_path, k->outs[i].path, (long)i + 1);
		return;
	}
	r->same_outs = r->njobs == k->nouts;
	for (i = 0; i < r->njobs; i++) {
		const char *path = plan->v[plan->html.first + i].out_path;
		const struct memsite_file *f = NULL;
		struct rerender_job *j = &r->jobs[i];
		struct kept_out *ko;
		long at;

		if (i < k->nouts && strcmp(k->outs[i].path, path) == 0) {
			at = (long)i + 1;
		} else {
			r->same_outs = 0;
			at = strmap_get(&k->by_path, path, 0);
		}
		ko = at ? &k->outs[at - 1] : NULL;
		if (!ko || !(f = S_still(r, k, ko, path))) {
			r->render[r->nrender++] = i;
			continue;
		}
		r->share[r->nshare++] = (size_t)(f - k->site->files);
		j->kept = 1;
		j->steps = ko->steps;
		j->from = (size_t)(at - 1);
		if (r->same_deps) {
			j->borrowed = 1;
			j->pages = ko->pages;
			j->n = j->cap = ko->n;
			j->deps = ko->deps;
			j->ndeps = j->capdeps = ko->ndeps;
			continue;
		}
		/* What it read last time, as this build's deps: the next build compares with them. */
		if (ko->n) {
			j->pages = xmalloc(ko->n * sizeof(*j->pages));
			j->cap = ko->n;
		}
		for (q = 0; q < ko->n; q++)
			j->pages[j->n++] =
				(uint64_t)r->to_new[ko->pages[q] >> 8] << 8 | (ko->pages[q] & 0xff);
		if (ko->ndeps) {
			j->deps = xmalloc(ko->ndeps * sizeof(*j->deps));
			j->capdeps = ko->ndeps;
		}
		for (q = 0; q < ko->ndeps; q++)
			j->deps[j->ndeps++] = r->dep_to_new[ko->deps[q]];
	}
}

int rerender_is_kept(const struct rerender *r, size_t job)
{
	return r->in && r->jobs[job].kept;
}

const struct memsite *rerender_kept_site(const struct rerender *r)
{
	return r->reuse ? r->in->rerender->kept->site : NULL;
}

void rerender_shared(struct rerender *r, size_t first)
{
	size_t i, k = 0;
	for (i = 0; i < r->njobs; i++)
		if (r->jobs[i].kept)
			r->jobs[i].pos = first + k++;
}

void rerender_read_as(struct rerender *r, size_t job, const struct page *pg, unsigned parts)
{
	struct rerender_job *j;
	long i;

	if (!r->in || !pg || !parts)
		return;
	j = &r->jobs[job];
	if ((i = S_index(r->site, pg)) >= 0) {
		if (j->n && j->pages[j->n - 1] >> 8 == (uint64_t)i) {
			j->pages[j->n - 1] |= parts & 0xff;
			return;
		}
		ARRAY_GROW(j->pages, j->n, j->cap, 8);
		j->pages[j->n++] = (uint64_t)i << 8 | (parts & 0xff);
		return;
	}
	/* A list's introduction (content/TYPE/_index.md) and a docs folder
	 * without a page of its own (lists.c, path "") are in the global
	 * digest; anything else is no page it knows. */
	if (!(pg >= r->site->intros && pg < r->site->intros + r->site->nintros) && pg->path[0])
		j->untracked = 1;
}

void rerender_read(struct rerender *r, size_t job, const struct page *pg)
{
	rerender_read_as(r, job, pg, RR_ALL);
}

static void S_dep(struct rerender *r, size_t job, size_t id)
{
	struct rerender_job *j = &r->jobs[job];
	if (j->ndeps && j->deps[j->ndeps - 1] == id)
		return;
	ARRAY_GROW(j->deps, j->ndeps, j->capdeps, 8);
	j->deps[j->ndeps++] = (uint32_t)id;
}

void rerender_untracked(struct rerender *r, size_t job)
{
	if (r->in)
		r->jobs[job].untracked = 1;
}

void rerender_read_listing(struct rerender *r, size_t job, const struct listing *l)
{
	if (!r->in || !l)
		return;
	if (l >= r->lists->v && l < r->lists->v + r->lists->n)
		S_dep(r, job, (size_t)(l - r->lists->v));
	else
		r->jobs[job].untracked = 1;
}

void rerender_read_tree(struct rerender *r, size_t job, const struct listing *l)
{
	if (!r->in || !l)
		return;
	if (l >= r->lists->v && l < r->lists->v + r->lists->n)
		S_dep(r, job, S_tree_id(r, (size_t)(l - r->lists->v)));
	else
		r->jobs[job].untracked = 1;
}

void rerender_read_term(struct rerender *r, size_t job, const struct term *t, int count)
{
	if (!r->in || !t)
		return;
	if (t >= r->site->terms && t < r->site->terms + r->site->nterms)
		S_dep(r, job, S_term_id(r, (size_t)(t - r->site->terms), count));
	else
		r->jobs[job].untracked = 1;
}

void rerender_read_contributor(struct rerender *r, size_t job, const struct contributor *c)
{
	if (!r->in || !c)
		return;
	if (c >= r->site->contributors && c < r->site->contributors + r->site->ncontributors)
		S_dep(r, job, S_contrib_id(r, (size_t)(c - r->site->contributors)));
	else
		r->jobs[job].untracked = 1;
}

void rerender_read_person_year(struct rerender *r, size_t job, const struct person_year *py)
{
	if (!r->in || !py)
		return;
	if (py >= r->site->person_years && py < r->site->person_years + r->site->nperson_years)
		S_dep(r, job, S_year_id(r, (size_t)(py - r->site->person_years)));
	else
		r->jobs[job].untracked = 1;
}

void rerender_read_part(struct rerender *r, size_t job, enum rerender_part part)
{
	if (r->in)
		S_dep(r, job, S_part_id(r, part));
}

static int S_u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int S_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* A job's pages sorted, each page once with the parts read of it together; its deps sorted, each once. */
static void S_compact(struct rerender_job *j)
{
	size_t k, w;
	/* a kept job's record is the last one's, in order already unless pages or deps were renumbered */
	for (k = 1; k < j->n && j->pages[k - 1] >> 8 < j->pages[k] >> 8; k++)
		;
	for (w = 1; k >= j->n && w < j->ndeps && j->deps[w - 1] < j->deps[w]; w++)
		;
	if (k >= j->n && w >= j->ndeps)
		return;
	if (j->n)
		qsort(j->pages, j->n, sizeof(*j->pages), S_u64_cmp);
	for (k = w = 0; k < j->n; k++)
		if (w && j->pages[w - 1] >> 8 == j->pages[k] >> 8)
			j->pages[w - 1] |= j->pages[k] & 0xff;
		else
			j->pages[w++] = j->pages[k];
	j->n = w;
	if (j->ndeps)
		qsort(j->deps, j->ndeps, sizeof(*j->deps), S_u32_cmp);
	for (k = w = 0; k < j->ndeps; k++)
		if (!w || j->deps[w - 1] != j->deps[k])
			j->deps[w++] = j->deps[k];
	j->ndeps = w;
}

void rerender_end(struct rerender *r, const struct plan *plan, int ok, int names_clean)
{
	const struct site *site = r->site;
	struct rerender_snap *s, *k;
	struct buf name = BUF_INIT;
	size_t i;

	if (!r->in)
		return;
	r->kept = r->nshare;
	if (r->reuse && r->in->rerender->kept->disk) /* kept job by job: rerender_disk_take */
		for (r->kept = 0, i = 0; i < r->njobs; i++)
			r->kept += r->jobs[i].kept;
	r->rendered = r->njobs - r->kept;
	if (!r->reuse) {
		r->kept = 0;
		r->rendered = r->njobs;
	}
	if (!ok || !names_clean)
		return;
	/* reuse: the same pages in the same order (the global digest holds their paths) */
	k = r->reuse ? r->in->rerender->kept : NULL;
	s = xcalloc(1, sizeof(*s));
	s->now = site->now;
	s->global[0] = r->global[0];
	s->global[1] = r->global[1];
	s->npages = site->npages;
	/* this build's digests and reads become the state's (rerender_release frees NULL) */
	s->fp = r->fp;
	s->src = r->src;
	s->serial = r->serial;
	r->fp = NULL;
	r->src = NULL;
	r->serial = NULL;
	s->ctx[0] = r->ctx[0];
	s->ctx[1] = r->ctx[1];
	s->layout_gen = site->layout_gen;
	s->ident = r->ident;
	s->vals = r->vals;
	r->ident = NULL;
	r->vals = NULL;
	if (k) {
		s->paths = k->paths;
		s->page_at = k->page_at;
		s->lent_pages = 1;
	} else {
		s->paths = xcalloc(s->npages ? s->npages : 1, sizeof(*s->paths));
		for (i = 0; i < s->npages; i++) {
			s->paths[i] = xstrdup(site->pages[i].path);
			strmap_put(&s->page_at, s->paths[i], (long)i + 1);
		}
	}
	s->ndeps = r->ndeps;
	s->dep = xcalloc(s->ndeps ? s->ndeps : 1, sizeof(*s->dep));
	if (k && r->same_deps) {
		s->dep_names = k->dep_names;
		s->lent_deps = 1;
	} else {
		s->dep_names = xcalloc(s->ndeps ? s->ndeps : 1, sizeof(*s->dep_names));
		for (i = 0; i < s->ndeps; i++) {
			S_dep_name(r, i, &name);
			s->dep_names[i] = xstrdup(buf_cstr(&name));
		}
	}
	if (s->ndeps)
		memcpy(s->dep, r->dep, s->ndeps * sizeof(*s->dep));
	buf_release(&name);
	s->nouts = r->njobs;
	s->outs = xcalloc(s->nouts ? s->nouts : 1, sizeof(*s->outs));
	if (k && r->same_outs) {
		s->by_path = k->by_path;
		s->lent_outs = 1;
	}
	for (i = 0; i < r->njobs; i++) {
		struct rerender_job *j = &r->jobs[i];
		struct kept_out *ko = &s->outs[i];
		ko->path = s->lent_outs ? k->outs[i].path : xstrdup(plan->v[plan->html.first + i].out_path);
		ko->steps = j->steps;
		ko->untracked = j->untracked;
		ko->size = j->size;
		ko->shared = j->kept || j->linked;
		ko->pos = j->kept ? j->pos : SIZE_MAX;
		if (j->borrowed) {
			/* the kept record, as it is: lent until rerender_commit */
			ko->lent = 1;
			ko->from = j->from;
		} else {
			S_compact(j);
		}
		/* the job's arrays become the record (rerender_release frees what is left) */
		ko->n = j->n;
		ko->pages = j->pages;
		ko->ndeps = j->ndeps;
		ko->deps = j->deps;
		j->pages = NULL;
		j->deps = NULL;
		j->borrowed = 0;
		j->n = j->cap = j->ndeps = j->capdeps = 0;
		if (!s->lent_outs && !r->in->disk) /* a build's is only written (rerender_disk_write) */
			strmap_put(&s->by_path, ko->path, (long)i + 1);
	}
	r->in->rerender->pending = s;
}

void rerender_release(struct rerender *r)
{
	size_t i;
	for (i = 0; i < r->njobs; i++) {
		if (r->jobs[i].borrowed)
			continue; /* the kept record's */
		free(r->jobs[i].pages);
		free(r->jobs[i].deps);
	}
	free(r->jobs);
	free(r->fp);
	free(r->src);
	free(r->serial);
	free(r->dep);
	free(r->ident);
	free(r->vals);
	free(r->same);
	free(r->dep_same);
	free(r->to_new);
	free(r->dep_to_new);
	free(r->render);
	free(r->share);
	memset(r, 0, sizeof(*r));
}

/* What pending borrowed of kept becomes pending's: kept frees the rest. */
static void S_hand_over(struct rerender_snap *pending, struct rerender_snap *kept)
{
	size_t i;

	if (pending->lent_pages) {
		kept->lent_pages = 1;
		pending->lent_pages = 0;
	}
	if (pending->lent_deps) {
		kept->lent_deps = 1;
		pending->lent_deps = 0;
	}
	if (pending->lent_outs) {
		kept->lent_outs = 1;
		pending->lent_outs = 0;
	}
	for (i = 0; i < pending->nouts; i++) {
		struct kept_out *ko = &pending->outs[i];
		if (!ko->lent)
			continue;
		kept->outs[ko->from].lent = 1;
		ko->lent = 0;
	}
}

void rerender_commit(struct incr *in, struct memsite *mem)
{
	struct rerender_state *st = in ? in->rerender : NULL;
	struct rerender_snap *s;
	size_t i;

	if (!st)
		return;
	if ((s = st->pending) && st->kept)
		S_hand_over(s, st->kept);
	S_snap_free(st->kept);
	st->kept = st->pending;
	st->pending = NULL;
	if (!s)
		return;
	s->site = memsite_ref(mem);
	/* the rendered outputs' files: where they are in the site, for the next build */
	for (i = 0; i < s->nouts; i++) {
		const struct memsite_file *f;
		if (s->outs[i].pos != SIZE_MAX)
			continue;
		f = memsite_get(mem, s->outs[i].path);
		s->outs[i].pos = f ? (size_t)(f - mem->files) : SIZE_MAX;
	}
}

/* --- the feeds stage ------------------------------------------------------ */

/* A state read from disk has no feed_by_path (rerender_disk_decode): made when a feed moved (S_feed_at). */
static void S_disk_feeds_at(struct rerender_snap *k, const struct plan *plan)
{
	size_t i;

	for (i = 0; i < k->nfeeds && i < plan->feeds.n; i++)
		if (strcmp(k->feed_paths[i], plan->v[plan->feeds.first + i].out_path) != 0)
			break;
	if ((i < k->nfeeds || k->nfeeds != plan->feeds.n) && !k->feed_by_path.n)
		for (i = 0; i < k->nfeeds; i++)
			strmap_put(&k->feed_by_path, k->feed_paths[i], (long)i + 1);
}

void rerender_feeds_begin(struct rerender_feeds *f, struct incr *in, const struct site *site,
			  const struct plan *plan)
{
	struct rerender_snap *s = in && in->rerender ? in->rerender->pending : NULL;
	size_t i;

	memset(f, 0, sizeof(*f));
	if (!s || s->nfeeds) /* no render state staged (a failed render, a plain build), or begun twice */
		return;
	f->now = s;
	/* serve's last site, or a jixia build's output (its files output_keep's) */
	f->kept = in->rerender->kept && (in->rerender->kept->site || in->rerender->kept->disk)
			  ? in->rerender->kept
			  : NULL;
	f->site = site;
	f->key[0] = in->key[0];
	f->key[1] = in->key[1];
	if (f->kept && f->kept->disk)
		S_disk_feeds_at(in->rerender->kept, plan);
	s->nfeeds = plan->feeds.n;
	s->feed_paths = xcalloc(s->nfeeds ? s->nfeeds : 1, sizeof(*s->feed_paths));
	s->feed = xcalloc(s->nfeeds ? s->nfeeds : 1, sizeof(*s->feed));
	s->feed_size = xcalloc(s->nfeeds ? s->nfeeds : 1, sizeof(*s->feed_size));
	s->feed_shared = xcalloc(s->nfeeds ? s->nfeeds : 1, 1);
	for (i = 0; i < s->nfeeds; i++) {
		s->feed_paths[i] = xstrdup(plan->v[plan->feeds.first + i].out_path);
		strmap_put(&s->feed_by_path, s->feed_paths[i], (long)i + 1);
	}
}

void rerender_feed_init(const struct rerender_feeds *f, struct incr_digest *d)
{
	incr_digest_init(d, f->key);
	S_str(d, "jixia feed 1");
	incr_digest_item(d, f->now->global, sizeof(f->now->global));
}

int rerender_feed_page(const struct rerender_feeds *f, struct incr_digest *d, const struct page *pg,
		       unsigned parts)
{
	long i = pg ? S_index(f->site, pg) : -1;
	size_t p;

	if (i < 0)
		return -1;
	S_num(d, i);
	for (p = 0; p < S_NPARTS; p++)
		if (parts & (1u << p))
			incr_digest_item(d, f->now->fp[i][p], sizeof(f->now->fp[i][p]));
	return 0;
}

/* The kept state's feed at out_path (its index + 1), or 0: at job's own place first, as a rebuild's are. */
static long S_feed_at(const struct rerender_snap *k, size_t job, const char *out_path)
{
	if (job < k->nfeeds && strcmp(k->feed_paths[job], out_path) == 0)
		return (long)job + 1;
	return strmap_get(&k->feed_by_path, out_path, 0);
}

int rerender_feed_held(const struct rerender_feeds *f, size_t job, const char *out_path,
		       struct incr_digest *d, int covered)
{
	uint64_t h[2] = { 0, 0 };
	long at;

	incr_digest_final(d, h);
	if (!covered)
		return 0;
	f->now->feed[job][0] = h[0];
	f->now->feed[job][1] = h[1];
	return f->kept && (at = S_feed_at(f->kept, job, out_path)) && f->kept->feed[at - 1][0] == h[0] &&
	       f->kept->feed[at - 1][1] == h[1];
}

const struct memsite_file *rerender_feed_kept(const struct rerender_feeds *f, size_t job,
					      const char *out_path, struct incr_digest *d, int covered)
{
	if (!rerender_feed_held(f, job, out_path, d, covered) || !f->kept->site)
		return NULL;
	return memsite_get(f->kept->site, out_path);
}

int rerender_feed_on_disk(const struct rerender_feeds *f)
{
	return f->kept && f->kept->disk;
}

long long rerender_feed_then(const struct rerender_feeds *f)
{
	return f->kept ? f->kept->now : -1;
}

int rerender_feed_file(const struct rerender_feeds *f, size_t job, const char *out_path, uint64_t *size,
		       int *shared)
{
	long at;

	if (!f->kept || !f->kept->disk || !(at = S_feed_at(f->kept, job, out_path)))
		return -1;
	*size = f->kept->feed_size[at - 1];
	*shared = f->kept->feed_shared[at - 1];
	return 0;
}

uint64_t rerender_feed_gen(const struct rerender_feeds *f)
{
	return f->kept && f->kept->disk ? f->kept->gen : 0;
}

void rerender_feed_made(const struct rerender_feeds *f, size_t job, uint64_t size, int kept)
{
	if (!f->now || job >= f->now->nfeeds)
		return;
	f->now->feed_size[job] = size;
	f->now->feed_shared[job] = kept != 0;
}

/* --- kept on disk between runs of jixia build (diskcache.h) ---------------- */

/*
 * The staged state as bytes (integers little-endian): the global digest,
 * the build time, the context (S_context); the pages (path, the parts'
 * digests, the file's, the file's key: S_file_key, its identity's and
 * values' digests: S_ident, S_vals), the
 * deps (name, digest), the outputs (file, template steps, untracked, the
 * pages and deps it read), the feeds (file, the digest of what it was made
 * from: rerender_feed_held, whether it was kept from the folder before,
 * its bytes: rerender_feed_made). The file around it (key, checksum, the output
 * it describes) is diskcache.c's.
 */
/*
 * Where rerender_disk_write writes: a chunk of S_DW_CHUNK bytes, word by
 * word in place (a call and a check per word through buf_put_le was most
 * of the encoding's time at 6 MB), handed to put whenever it is full and
 * at the end. Not the whole state in one buffer: that was 6 MB at 10,000
 * pages, memory the rebuild touched only for this (each page of it
 * zeroed by the kernel first). A put that fails sets over: nothing more
 * is put, and the state is refused.
 */
#define S_DW_CHUNK ((size_t)1 << 18)

struct dw {
	unsigned char *p, *end, *chunk;
	rerender_put_fn put;
	void *payload;
	int over;
};

/* The chunk's bytes so far to put (a multiple of 32 unless it is the last: rerender.h). */
static void S_dwflush(struct dw *w)
{
	size_t n = (size_t)(w->p - w->chunk);

	if (n && !w->over && w->put(w->chunk, n, w->payload) != 0)
		w->over = 1;
	w->p = w->chunk;
}

/* n bytes at p, through the chunk. */
static void S_dwput(struct dw *w, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n) {
		size_t k = (size_t)(w->end - w->p) < n ? (size_t)(w->end - w->p) : n;
		memcpy(w->p, c, k);
		w->p += k;
		c += k;
		n -= k;
		if (w->p == w->end)
			S_dwflush(w);
	}
}

static inline void S_dwle(struct dw *w, uint64_t v, int n)
{
	unsigned char t[8];

	if (w->end - w->p > n) { /* not to the end: the chunk is flushed by S_dwput alone */
		le_put(w->p, v, n);
		w->p += n;
		return;
	}
	le_put(t, v, n);
	S_dwput(w, t, (size_t)n);
}

static void S_dwstr(struct dw *w, const char *s)
{
	size_t n = strlen(s);
	S_dwle(w, n, 4);
	S_dwput(w, s, n);
}

static void S_dwsums(struct dw *w, const uint64_t *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		S_dwle(w, v[i], 8);
}

int rerender_disk_write(const struct incr *in, rerender_put_fn put, void *payload)
{
	const struct rerender_snap *s = in && in->rerender ? in->rerender->pending : NULL;
	struct dw w;
	size_t i, k;

	if (!s || !s->ident || !s->vals || s->npages > UINT32_MAX || s->ndeps > UINT32_MAX ||
	    s->nouts > UINT32_MAX || s->nfeeds > UINT32_MAX)
		return -1;
	for (i = 0; i < s->nouts; i++)
		if (s->outs[i].n > UINT32_MAX || s->outs[i].ndeps > UINT32_MAX)
			return -1;
	w.chunk = xmalloc(S_DW_CHUNK);
	w.p = w.chunk;
	w.end = w.chunk + S_DW_CHUNK;
	w.put = put;
	w.payload = payload;
	w.over = 0;
	S_dwsums(&w, s->global, 2);
	S_dwle(&w, (uint64_t)s->now, 8);
	S_dwsums(&w, s->ctx, 2);
	S_dwle(&w, s->npages, 4);
	for (i = 0; i < s->npages && !w.over; i++) {
		S_dwstr(&w, s->paths[i]);
		S_dwsums(&w, &s->fp[i][0][0], S_NPARTS * 2);
		S_dwsums(&w, &s->src[i][0][0], 4);
		S_dwle(&w, s->serial[i], 8); /* S_file_key: the next run's file the same */
		S_dwsums(&w, s->ident[i], 2);
		S_dwsums(&w, s->vals[i], 2);
	}
	S_dwle(&w, s->ndeps, 4);
	for (i = 0; i < s->ndeps && !w.over; i++) {
		S_dwstr(&w, s->dep_names[i]);
		S_dwsums(&w, s->dep[i], 2);
	}
	S_dwle(&w, s->nouts, 4);
	for (i = 0; i < s->nouts && !w.over; i++) {
		const struct kept_out *ko = &s->outs[i];
		S_dwstr(&w, ko->path);
		S_dwle(&w, ko->steps, 8);
		S_dwle(&w, (ko->untracked != 0) | (ko->shared != 0) << 1, 1);
		S_dwle(&w, ko->size, 8);
		S_dwle(&w, ko->n, 4);
		for (k = 0; k < ko->n; k++)
			S_dwle(&w, ko->pages[k], 8);
		S_dwle(&w, ko->ndeps, 4);
		for (k = 0; k < ko->ndeps; k++)
			S_dwle(&w, ko->deps[k], 4);
	}
	S_dwle(&w, s->nfeeds, 4);
	for (i = 0; i < s->nfeeds && !w.over; i++) {
		S_dwstr(&w, s->feed_paths[i]);
		S_dwsums(&w, s->feed[i], 2);
		S_dwle(&w, s->feed_shared[i], 1);
		S_dwle(&w, s->feed_size[i], 8);
	}
	S_dwle(&w, s->gen, 8);
	S_dwflush(&w);
	free(w.chunk);
	return w.over ? -1 : 0;
}

/* A count of items of at least min bytes each: more than the bytes left is damage. */
static size_t S_drcount(struct le_reader *r, size_t min)
{
	size_t n = (size_t)le_read(r, 4);
	if (n > (size_t)(r->end - r->p) / min)
		r->bad = 1;
	return r->bad ? 0 : n;
}

/* A string of its own, no NUL inside; NULL when damaged. */
static char *S_drstr(struct le_reader *r)
{
	size_t n = (size_t)le_read(r, 4);
	char *s;
	if (r->bad || n > (size_t)(r->end - r->p) || memchr(r->p, '\0', n)) {
		r->bad = 1;
		return NULL;
	}
	s = xmalloc(n + 1);
	memcpy(s, r->p, n);
	s[n] = '\0';
	r->p += n;
	return s;
}

static void S_drsums(struct le_reader *r, uint64_t *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		v[i] = le_read(r, 8);
}

/* The little-endian n bytes at p (le_get, inlined for the outputs' many reads). */
static inline uint64_t S_drget(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;
	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

int rerender_disk_decode(struct incr *in, const void *p, size_t n)
{
	struct le_reader r = { p, (const unsigned char *)p + n, 0 };
	struct rerender_snap *s = xcalloc(1, sizeof(*s));
	const unsigned char *q;
	size_t i, k;

	S_drsums(&r, s->global, 2);
	s->now = (long long)le_read(&r, 8);
	S_drsums(&r, s->ctx, 2);
	/* each page at least its path's length and digests; each dep, each output their least */
	s->npages = S_drcount(&r, 4 + 8 * (S_NPARTS * 2 + 4 + 1 + 4));
	s->paths = xcalloc(s->npages ? s->npages : 1, sizeof(*s->paths));
	s->ident = xcalloc(s->npages ? s->npages : 1, sizeof(*s->ident));
	s->vals = xcalloc(s->npages ? s->npages : 1, sizeof(*s->vals));
	s->fp = xcalloc(s->npages ? s->npages : 1, sizeof(*s->fp));
	s->serial = xcalloc(s->npages ? s->npages : 1, sizeof(*s->serial)); /* S_file_key's */
	s->src = xcalloc(s->npages ? s->npages : 1, sizeof(*s->src));
	for (i = 0; i < s->npages && !r.bad; i++) {
		if (!(s->paths[i] = S_drstr(&r)))
			break;
		S_drsums(&r, &s->fp[i][0][0], S_NPARTS * 2);
		S_drsums(&r, &s->src[i][0][0], 4);
		s->serial[i] = le_read(&r, 8);
		S_drsums(&r, s->ident[i], 2);
		S_drsums(&r, s->vals[i], 2);
	}
	s->ndeps = r.bad ? 0 : S_drcount(&r, 4 + 16);
	s->dep_names = xcalloc(s->ndeps ? s->ndeps : 1, sizeof(*s->dep_names));
	s->dep = xcalloc(s->ndeps ? s->ndeps : 1, sizeof(*s->dep));
	for (i = 0; i < s->ndeps && !r.bad; i++) {
		if (!(s->dep_names[i] = S_drstr(&r)))
			break;
		S_drsums(&r, s->dep[i], 2);
	}
	s->nouts = r.bad ? 0 : S_drcount(&r, 4 + 8 + 1 + 8 + 4 + 4);
	s->outs = xcalloc(s->nouts ? s->nouts : 1, sizeof(*s->outs));
	for (i = 0; i < s->nouts && !r.bad; i++) {
		struct kept_out *ko = &s->outs[i];
		if (!(ko->path = S_drstr(&r)))
			break;
		ko->steps = (unsigned long)le_read(&r, 8);
		k = (size_t)le_read(&r, 1);
		ko->untracked = (int)(k & 1);
		ko->shared = (int)(k >> 1 & 1);
		if (k > 3)
			r.bad = 1;
		ko->size = le_read(&r, 8);
		ko->n = S_drcount(&r, 8);
		ko->pages = xmalloc((ko->n ? ko->n : 1) * sizeof(*ko->pages));
		q = le_take(&r, ko->n * 8);
		for (k = 0; q && k < ko->n; k++) {
			ko->pages[k] = S_drget(q + 8 * k, 8);
			/* indices rerender_begin's arrays are read at: none past them */
			if (ko->pages[k] >> 8 >= s->npages || (ko->pages[k] & 0xff & ~(uint64_t)RR_ALL))
				r.bad = 1;
		}
		ko->ndeps = r.bad ? 0 : S_drcount(&r, 4);
		ko->deps = xmalloc((ko->ndeps ? ko->ndeps : 1) * sizeof(*ko->deps));
		q = le_take(&r, ko->ndeps * 4);
		for (k = 0; q && k < ko->ndeps; k++)
			if ((ko->deps[k] = (uint32_t)S_drget(q + 4 * k, 4)) >= s->ndeps)
				r.bad = 1;
	}
	s->nfeeds = r.bad ? 0 : S_drcount(&r, 4 + 16 + 1 + 8);
	s->feed_paths = xcalloc(s->nfeeds ? s->nfeeds : 1, sizeof(*s->feed_paths));
	s->feed = xcalloc(s->nfeeds ? s->nfeeds : 1, sizeof(*s->feed));
	s->feed_size = xcalloc(s->nfeeds ? s->nfeeds : 1, sizeof(*s->feed_size));
	s->feed_shared = xcalloc(s->nfeeds ? s->nfeeds : 1, 1);
	for (i = 0; i < s->nfeeds && !r.bad; i++) {
		if (!(s->feed_paths[i] = S_drstr(&r)))
			break;
		S_drsums(&r, s->feed[i], 2);
		k = (size_t)le_read(&r, 1);
		if (k > 1)
			r.bad = 1;
		s->feed_shared[i] = (unsigned char)k;
		s->feed_size[i] = le_read(&r, 8);
	}
	s->gen = le_read(&r, 8);
	if (r.bad || r.p != r.end) {
		S_snap_free(s);
		return -1;
	}
	s->disk = 1;
	if (!in->rerender) {
		in->rerender = xcalloc(1, sizeof(*in->rerender));
		in->rerender_free = rerender_state_free;
	}
	S_snap_free(in->rerender->kept);
	in->rerender->kept = s;
	return 0;
}

const char *rerender_disk_path(const struct incr *in, size_t i)
{
	const struct rerender_snap *k = in && in->rerender ? in->rerender->kept : NULL;

	if (!k || !k->disk)
		return NULL;
	if (i < k->nouts)
		return k->outs[i].path;
	return i - k->nouts < k->nfeeds ? k->feed_paths[i - k->nouts] : NULL;
}

/*
 * The kept output at job's file o whose every input holds, or NULL
 * (S_holds, as serve's S_still): the state's output of the same place
 * when it is that file (the outputs of a rebuild are the last one's), else by name.
 */
static const struct kept_out *S_disk_match(const struct rerender *r, size_t job, const struct plan_output *o)
{
	const struct rerender_snap *k;
	const struct kept_out *ko;
	long at;

	if (!r->reuse || !r->in->disk)
		return NULL;
	k = r->in->rerender->kept;
	if (job < k->nouts && strcmp(k->outs[job].path, o->out_path) == 0)
		at = (long)job + 1;
	else if (!(at = strmap_get(&k->by_path, o->out_path, 0)))
		return NULL;
	ko = &k->outs[at - 1];
	return S_holds(r, ko) ? ko : NULL;
}

void rerender_disk_take(struct rerender *r, size_t job, const struct plan_output *o, uint64_t size)
{
	const struct kept_out *ko = S_disk_match(r, job, o);
	struct rerender_job *j = &r->jobs[job];
	size_t i;

	if (!ko)
		return;
	/* what it read last time, as this build's pages and deps (as S_decide's) */
	j->kept = 1;
	j->steps = ko->steps;
	j->size = size;
	if (r->same_deps) {
		/* the same ids (pages are by index under reuse): the kept record's arrays, lent as
		   S_decide lends serve's until the state is freed (a build never commits it) */
		j->borrowed = 1;
		j->from = (size_t)(ko - r->in->rerender->kept->outs);
		j->pages = ko->pages;
		j->n = j->cap = ko->n;
		j->deps = ko->deps;
		j->ndeps = j->capdeps = ko->ndeps;
		return;
	}
	j->n = j->ndeps = 0;
	if (ko->n) {
		j->pages = xmalloc(ko->n * sizeof(*j->pages));
		j->cap = ko->n;
	}
	for (i = 0; i < ko->n; i++)
		j->pages[j->n++] = (uint64_t)r->to_new[ko->pages[i] >> 8] << 8 | (ko->pages[i] & 0xff);
	if (ko->ndeps) {
		j->deps = xmalloc(ko->ndeps * sizeof(*j->deps));
		j->capdeps = ko->ndeps;
	}
	for (i = 0; i < ko->ndeps; i++)
		j->deps[j->ndeps++] = r->dep_to_new[ko->deps[i]];
}

int rerender_disk_file(const struct rerender *r, size_t job, const struct plan_output *o, uint64_t *size,
		       int *shared)
{
	const struct kept_out *ko = S_disk_match(r, job, o);

	if (!ko)
		return 0;
	*size = ko->size;
	*shared = ko->shared;
	return 1;
}

uint64_t rerender_disk_gen(const struct rerender *r)
{
	return r->reuse && r->in->disk ? r->in->rerender->kept->gen : 0;
}

void rerender_disk_set_gen(struct incr *in, uint64_t gen)
{
	if (in && in->rerender && in->rerender->pending)
		in->rerender->pending->gen = gen;
}

void rerender_disk_settle(struct rerender *r)
{
	size_t i, w;

	for (i = w = 0; i < r->nrender; i++)
		if (!r->jobs[r->render[i]].kept)
			r->render[w++] = r->render[i];
	r->nrender = w;
}
