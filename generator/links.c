/*
 * links: one sorted table of every URL the site will have (the plan's
 * outputs and the names jixia keeps for its own pages), the media table for
 * published files, then one pass over every link. Links that leave the
 * site (a scheme, //host) are not followed: that would need the network.
 */
#include "links.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "diskcache.h"
#include "escape.h"
#include "imgsize.h"
#include "incr.h"
#include "pool.h"
#include "spill.h"
#include "suggest.h"
#include "util.h"

/* A URL of the site and, when it is a content page's, that page (for its #anchors). */
struct site_url {
	const char *u;         /* site-relative, no leading '/': "faq/x/", "tags/" */
	const struct page *pg; /* NULL for lists, feeds, files and jixia's own pages */
};

struct url_table {
	struct site_url *v; /* sorted by u */
	size_t n, cap;
};

/* What every resolution shares. */
struct links {
	const struct site *site;
	const struct media *media;
	struct url_table t; /* every output of the plan, jixia's own names in every language */
	struct buf where, tmp;
	/* "did you mean", each filled when first asked: */
	struct suggest urls, files, pages; /* the site's addresses, its published files, its pages' paths */
	struct suggest anchors;            /* the heading ids of anchors_of */
	const struct page *anchors_of;
	struct buf near; /* the suggestion as the link would say it */
	size_t errors;   /* broken links reported as errors (S_broken) */
	/* serve (links_check_incr): the pages whose #anchors the page being
	   checked read, for its memo; unknown when one is not in site->pages */
	size_t *deps;
	size_t ndeps, capdeps;
	int deps_unknown;
};

/* What a local address turned out to be. */
enum dest {
	DEST_OK,
	DEST_OUTSIDE,     /* climbs out of the site */
	DEST_NOWHERE,     /* no file, page or list there */
	DEST_UNPUBLISHED, /* a file of content/ that is not published */
	DEST_HIDDEN,      /* a file of content/ under a name starting with '_' (_includes/) */
	DEST_ELSEWHERE,   /* under a path of links.elsewhere: another site's */
	DEST_NOT_FILE,    /* an image that names a page */
	DEST_NO_ANCHOR    /* a page with no heading of the #fragment's id */
};

static void S_add(struct url_table *t, const char *u, const struct page *pg)
{
	ARRAY_GROW(t->v, t->n, t->cap, 256);
	t->v[t->n].u = u;
	t->v[t->n++].pg = pg;
}

static int S_url_cmp(const void *a, const void *b)
{
	return strcmp(((const struct site_url *)a)->u, ((const struct site_url *)b)->u);
}

/*
 * The entry for u, as bsearch_key finds it: the same halves in the same
 * order, each comparison from where the two bounds' common prefix with u
 * ends. The site's addresses share long prefixes ("cases/case-0"), and
 * every local link of every page is looked up here.
 */
static const struct site_url *S_has(const struct url_table *t, const char *u)
{
	const unsigned char *s = (const unsigned char *)u;
	size_t lo = 0, hi = t->n, lo_lcp = 0, hi_lcp = 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2, k = lo_lcp < hi_lcp ? lo_lcp : hi_lcp;
		const unsigned char *e = (const unsigned char *)t->v[mid].u;
		while (s[k] && s[k] == e[k])
			k++;
		if (s[k] == e[k])
			return &t->v[mid];
		if (s[k] < e[k]) {
			hi = mid;
			hi_lcp = k;
		} else {
			lo = mid + 1;
			lo_lcp = k;
		}
	}
	return NULL;
}

static int S_has_anchor(const struct page *pg, const char *id)
{
	return bsearch(&id, pg->anchors, pg->nanchors, sizeof(*pg->anchors), str_ptr_cmp) != NULL;
}

/* The page being checked read to's #anchors (struct links, deps). */
static void S_dep(struct links *c, const struct page *to)
{
	const struct site *site = c->site;

	if (to < site->pages || to >= site->pages + site->npages) {
		c->deps_unknown = 1; /* a list's introduction: not kept */
		return;
	}
	ARRAY_GROW(c->deps, c->ndeps, c->capdeps, 4);
	c->deps[c->ndeps++] = (size_t)(to - site->pages);
}

/*
 * Every URL of the site, site-relative, sorted: the plan's outputs, and in
 * every language the names jixia keeps for its own pages that links may
 * point at (jixia check plans no /contributors/: it reads no history).
 * Strings live in arena, the plan or the model.
 */
static void S_table(struct links *c, const struct site *site, const struct plan *plan, struct arena *a)
{
	size_t i, k, root = strlen(site->root);
	for (i = 0; i < plan->n; i++)
		S_add(&c->t, plan->v[i].href + root,
		      plan->v[i].kind == PLAN_PAGE || plan->v[i].kind == PLAN_ALIAS ? plan->v[i].page : NULL);
	for (i = 0; i < site->cfg->nlangs; i++)
		for (k = 0; k < PLAN_KINDS; k++)
			if (plan_kinds[k].top && plan_kinds[k].linked)
				S_add(&c->t,
				      arena_printf(a, "%s%s", site->cfg->langs[i].prefix, plan_kinds[k].top),
				      NULL);
	qsort(c->t.v, c->t.n, sizeof(*c->t.v), S_url_cmp);
}

struct keyed_url {
	char *key;             /* model_fold of the URL */
	const struct page *pg; /* NULL for a list */
};

static int S_keyed_cmp(const void *a, const void *b)
{
	const struct keyed_url *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	if (!x->pg || !y->pg)
		return !x->pg ? (y->pg ? -1 : 0) : 1;
	return strcmp(x->pg->path, y->pg->path);
}

/*
 * A page whose URL is a list's (content/faq.md at the faq list, "faq/";
 * a list's second page, "faq/page/2/"; a year's archive, "events/2024/"):
 * both would write one index.html.
 * Names are compared as a case-insensitive, normalising disk sees them, like
 * pages against pages in the model. Reported at the page's slug, or at the
 * file when its name made the URL.
 */
static int S_check_pages(const struct site *site, const struct plan *plan)
{
	size_t n = site->npages, i, k = 0, root = strlen(site->root);
	struct keyed_url *v;
	int rc = 0;

	for (i = 0; i < plan->html.n; i++)
		n += plan->v[plan->html.first + i].list != NULL;
	v = xmalloc((n ? n : 1) * sizeof(*v));
	for (i = 0; i < plan->html.n; i++) {
		const struct plan_output *o = &plan->v[plan->html.first + i];
		if (!o->list)
			continue;
		v[k].key = model_fold(o->href + root);
		v[k++].pg = NULL;
	}
	for (i = 0; i < site->npages; i++) {
		v[k].key = model_fold(site->pages[i].url + 1);
		v[k++].pg = &site->pages[i];
	}
	qsort(v, n, sizeof(*v), S_keyed_cmp);
	for (i = 1; i < n; i++) {
		/* lists sort before pages at one key: v[i - 1] is a list or the page before */
		const struct page *pg = v[i].pg;
		const struct ynode *at;
		if (!pg || v[i - 1].pg || strcmp(v[i - 1].key, v[i].key) != 0)
			continue;
		at = ynode_get(pg->front, "slug");
		diag_error(
			pg->path, at ? at->line : 0, at ? at->col : 0,
			"the page %s would be written where jixia writes a list (a type's list or its next "
			"pages, a year's archive); choose another %s",
			pg->url, at ? "slug" : "file name or slug");
		rc = -1;
	}
	for (i = 0; i < n; i++)
		free(v[i].key);
	free(v);
	return rc;
}

/*
 * where names a URL of the site, as written or as a folder ("x" for "x/"):
 * returns 1 and sets *pg to the content page there (NULL for anything
 * else), or 0.
 */
static int S_found(const struct links *c, struct buf *where, const struct page **pg)
{
	const struct site_url *u = NULL;

	*pg = NULL;
	if (where->len == 0)
		return 1; /* the home page */
	if (!(u = S_has(&c->t, buf_cstr(where))) && where->ptr[where->len - 1] != '/') {
		buf_putc(where, '/');
		u = S_has(&c->t, buf_cstr(where));
	}
	if (u)
		*pg = u->pg;
	return u != NULL;
}

static int S_hex(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* s with %XX decoded (a %00 or a broken escape stays as written). */
static void S_decode(struct buf *out, const char *s, size_t n)
{
	size_t i;
	if (!memchr(s, '%', n)) { /* most addresses: one copy */
		if (n)
			buf_put(out, s, n);
		return;
	}
	for (i = 0; i < n; i++) {
		int hi = i + 2 < n ? S_hex((unsigned char)s[i + 1]) : -1;
		int lo = hi >= 0 ? S_hex((unsigned char)s[i + 2]) : -1;
		if (s[i] == '%' && lo >= 0 && (hi | lo)) {
			buf_putc(out, hi * 16 + lo);
			i += 2;
		} else {
			buf_putc(out, s[i]);
		}
	}
}

/*
 * With one folder per language, a translation's file may live only beside
 * the original: content/en/events/x/ + cover.png is looked for at
 * content/zh/events/x/cover.png too (c->where holds the first path).
 */
static const struct media_file *S_in_default_lang(struct links *c, const struct page *pg)
{
	const struct config *cfg = c->site->cfg;
	const char *rest;
	const struct media_file *f;
	struct buf p = BUF_INIT;

	if (cfg->trans_layout != TRANS_DIR || pg->lang->is_default)
		return NULL;
	rest = buf_cstr(&c->where) + strlen("content/");
	if (!str_starts(rest, pg->lang->code) || rest[strlen(pg->lang->code)] != '/')
		return NULL;
	buf_printf(&p, "content/%s%s", cfg->default_lang->code, rest + strlen(pg->lang->code));
	f = media_by_source(c->media, p.ptr, p.len);
	buf_release(&p);
	return f;
}

/* A #fragment (as written, %XX allowed) that is no heading id of the page to. */
static int S_bad_fragment(const struct page *to, const char *suffix)
{
	const char *frag = strchr(suffix, '#');
	struct buf id = BUF_INIT;
	int bad;

	if (!to || !frag || !frag[1])
		return 0;
	S_decode(&id, frag + 1, strlen(frag + 1));
	bad = !S_has_anchor(to, buf_cstr(&id));
	buf_release(&id);
	return bad;
}

/*
 * The site-relative address where (no leading '/') under a path of
 * links.elsewhere: href gets what the link becomes (with the
 * ?query#fragment suffix): the address under the base path, or its rest
 * put after the entry's url.
 * Returns 1, or 0 when no entry holds it.
 */
static int S_elsewhere(struct links *c, struct buf *href, const char *where, const char *suffix)
{
	const struct link_elsewhere *e;
	struct buf p = BUF_INIT;

	buf_printf(&p, "/%s", where);
	e = config_elsewhere(c->site->cfg, p.ptr, p.len);
	buf_reset(href);
	if (e && e->url) {
		size_t k = strlen(e->path);
		buf_puts(href, e->url);
		if (!str_ends(e->url, "/") && p.len >= k)
			buf_putc(href, '/');
		if (p.len >= k)
			escape_url_path(href, p.ptr + k, p.len - k);
		buf_puts(href, suffix);
	} else if (e) {
		/* served on this host, under the site's base path like its own pages */
		buf_puts(href, c->site->root);
		escape_url_path(href, p.ptr + 1, p.len - 1);
		buf_puts(href, suffix);
	}
	buf_release(&p);
	return e != NULL;
}

/*
 * A link that leads nowhere: an error, or a warning while links.errors is
 * warn (an error again with --strict).
 */
static void S_broken(struct links *c, const char *path, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void S_broken(struct links *c, const char *path, int line, int col, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (c->site->cfg->links_warn) {
		diag_warn(path, line, col, "%s", buf_cstr(&msg));
	} else {
		diag_error(path, line, col, "%s", buf_cstr(&msg));
		c->errors++;
	}
	buf_release(&msg);
}

/*
 * Where the local address url of pg leads: a published file beside the
 * Markdown, else a file, page or list of the site. On DEST_OK, href holds
 * the address under the base path with url's ?query#fragment, and *file the
 * file when it is one. *to gets the content page it leads to, if any (on
 * DEST_NO_ANCHOR too).
 */
static enum dest S_local(struct links *c, const struct page *pg, const char *url, int image, struct buf *href,
			 const struct media_file **file, const struct page **to)
{
	const struct site *site = c->site;
	size_t n = strcspn(url, "?#");
	const char *suffix = url + n;
	const struct media_file *f;
	enum dest d = DEST_NOWHERE;
	struct buf dec = BUF_INIT;

	*file = NULL;
	*to = NULL;
	buf_reset(href);
	S_decode(&dec, url, n);
	if (url[0] != '/') {
		buf_reset(&c->tmp);
		buf_put(&c->tmp, pg->path, (size_t)(strrchr(pg->path, '/') + 1 - pg->path));
		buf_put(&c->tmp, dec.ptr, dec.len);
		buf_reset(&c->where);
		if (path_normalize(&c->where, c->tmp.ptr, c->tmp.len) == 0 &&
		    ((f = media_by_source(c->media, buf_cstr(&c->where), c->where.len)) != NULL ||
		     (f = S_in_default_lang(c, pg)) != NULL)) {
			d = f->href ? DEST_OK
			    : model_hidden_path(buf_cstr(&c->where), c->where.len)
				    ? DEST_HIDDEN
				    : DEST_UNPUBLISHED;
			*file = f->href ? f : NULL;
			if (f->href)
				buf_printf(href, "%s%s", f->href, suffix);
			goto done;
		}
	}
	buf_reset(&c->tmp);
	buf_puts(&c->tmp, url[0] == '/' ? "" : pg->url);
	buf_put(&c->tmp, dec.ptr, dec.len);
	buf_reset(&c->where);
	if (path_normalize(&c->where, c->tmp.ptr, c->tmp.len) != 0) {
		d = DEST_OUTSIDE;
	} else if ((f = media_by_output(c->media, buf_cstr(&c->where), c->where.len)) != NULL) {
		d = DEST_OK;
		*file = f;
		buf_printf(href, "%s%s", f->href, suffix);
	} else if (S_found(c, &c->where, to)) {
		if (!image && *to && strchr(suffix, '#'))
			S_dep(c, *to);
		d = image ? DEST_NOT_FILE : S_bad_fragment(*to, suffix) ? DEST_NO_ANCHOR : DEST_OK;
		buf_puts(href, site->root);
		escape_url_path(href, c->where.ptr, c->where.len);
		buf_puts(href, suffix);
	} else {
		/* without the '/' S_found tried: "/api/users" stays a file */
		if (c->where.len && c->where.ptr[c->where.len - 1] == '/' && dec.len &&
		    dec.ptr[dec.len - 1] != '/')
			c->where.ptr[--c->where.len] = '\0';
		if (S_elsewhere(c, href, buf_cstr(&c->where), suffix))
			d = DEST_ELSEWHERE;
	}
done:
	buf_release(&dec);
	return d;
}

/* The words for what d means, after "'URL' ", into out (emptied); to: the page it leads to. */
static void S_dest_msg(struct buf *out, enum dest d, int image, const char *url, const struct page *to)
{
	const char *frag;

	buf_reset(out);
	switch (d) {
	case DEST_OUTSIDE: buf_puts(out, "points outside the site"); break;
	case DEST_UNPUBLISHED: buf_puts(out, "is not published: it belongs to a draft"); break;
	case DEST_HIDDEN:
		buf_puts(out, "is not published: files and folders whose name starts with '_' are not part "
			      "of the site (like Hugo's _includes/)");
		break;
	case DEST_NOT_FILE: buf_puts(out, "leads to a page, not to an image file"); break;
	case DEST_NO_ANCHOR:
		buf_printf(out, "leads to %s, which has no heading with id '", to->path);
		frag = strchr(url, '#') + 1;
		S_decode(out, frag, strlen(frag));
		buf_putc(out, '\'');
		break;
	case DEST_NOWHERE:
		if (url[0] == '/')
			buf_puts(
				out,
				image ? "leads nowhere: there is no such file on the site"
				      : "leads nowhere: there is no page or file of the site at that address");
		else
			buf_puts(
				out,
				image ? "leads nowhere: there is no such file beside the Markdown or on the site"
				      : "leads nowhere: there is no such file beside the Markdown, and no page "
					"or file of the site at that address");
		break;
	case DEST_OK:
	case DEST_ELSEWHERE: break;
	}
}

/*
 * The address nearest where (the site-relative address a link of pg to
 * url was resolved to) among the site's files (image) or its addresses
 * and files, as the link would say it: below pg's own address a relative
 * link stays relative. NULL when none is near.
 */
static const char *S_near_url(struct links *c, const struct page *pg, const char *url, int image)
{
	struct suggest *s = image ? &c->files : &c->urls;
	const char *near, *below = pg->url + 1;
	size_t i;

	if (s->n == 0) {
		for (i = 0; !image && i < c->t.n; i++)
			suggest_add(s, c->t.v[i].u, c->t.v[i].u);
		for (i = 0; i < c->media->nout; i++)
			suggest_add(s, c->media->by_out[i]->out_path, c->media->by_out[i]->out_path);
	}
	if (!(near = suggest_best(s, buf_cstr(&c->where))))
		return NULL;
	buf_reset(&c->near);
	if (url[0] != '/' && str_starts(near, below) && near[strlen(below)])
		buf_puts(&c->near, near + strlen(below));
	else
		buf_printf(&c->near, "/%s", near);
	return buf_cstr(&c->near);
}

/*
 * The page whose source path is nearest the n bytes of path (content/...x.md),
 * or NULL. What all paths share is left out of the comparison, so
 * "content/" and ".md" do not make a short name look long.
 */
static const char *S_near_page(struct links *c, const char *path, size_t n)
{
	size_t skip = strlen("content/"), i;
	char *p;
	const char *near;

	if (c->pages.n == 0)
		for (i = 0; i < c->site->npages; i++) {
			const char *pp = c->site->pages[i].path;
			p = xstrndup(pp + skip, strlen(pp) - skip - strlen(".md"));
			suggest_add(&c->pages, p, pp);
			free(p);
		}
	p = str_starts(path, "content/") && n >= skip + 3
		    ? xstrndup(path + skip, n - skip - 3)
		    : xstrndup(path, n);
	near = suggest_best(&c->pages, p);
	free(p);
	return near;
}

/* The heading id of pg nearest id, or NULL. */
static const char *S_near_anchor(struct links *c, const struct page *pg, const char *id)
{
	size_t i;

	if (c->anchors_of != pg) {
		suggest_release(&c->anchors);
		for (i = 0; i < pg->nanchors; i++)
			suggest_add(&c->anchors, pg->anchors[i], pg->anchors[i]);
		c->anchors_of = pg;
	}
	return suggest_best(&c->anchors, id);
}

/* The list introduction (_index.md of a type's folder or of content/) at path (n bytes), or NULL. */
static const struct page *S_intro_at(const struct site *site, const char *path, size_t n)
{
	size_t i;
	for (i = 0; i < site->nintros; i++)
		if (strlen(site->intros[i].path) == n && strncmp(site->intros[i].path, path, n) == 0)
			return &site->intros[i];
	return NULL;
}

/*
 * A .md link to a file that is not here (path, n bytes: content/x/y.md)
 * whose page would be under a path of links.elsewhere (/x/y/, a folder's
 * index.md or _index.md at the folder): its address into b. Returns 1, or 0.
 */
static int S_md_elsewhere(struct links *c, struct buf *b, const char *path, size_t n, const char *frag)
{
	const struct config *cfg = c->site->cfg;
	const struct lang *l = NULL;
	const char *slash, *dot;
	struct buf where = BUF_INIT;
	size_t skip = strlen("content/");
	int found;

	if (!c->site->cfg->nelsewhere || n < skip + 3 || strncmp(path, "content/", skip) != 0)
		return 0;
	path += skip;
	n -= skip + 3;
	/* the page's language: its folder (content/en/...) or its suffix (x.en.md) */
	if (cfg->trans_layout == TRANS_DIR && (slash = memchr(path, '/', n)) != NULL &&
	    (l = config_lang(cfg, path, (size_t)(slash - path))) != NULL) {
		n -= (size_t)(slash + 1 - path);
		path = slash + 1;
	} else if (cfg->trans_layout == TRANS_SUFFIX) {
		for (dot = path + n; dot > path && dot[-1] != '.' && dot[-1] != '/'; dot--)
			;
		if (dot > path && dot[-1] == '.' &&
		    (l = config_lang(cfg, dot, (size_t)(path + n - dot))) != NULL)
			n = (size_t)(dot - 1 - path);
	}
	buf_puts(&where, l ? l->prefix : "");
	buf_put(&where, path, n);
	if (str_ends(buf_cstr(&where), "/_index") || str_ends(buf_cstr(&where), "/index"))
		where.len = (size_t)(strrchr(where.ptr, '/') - where.ptr);
	buf_putc(&where, '/');
	found = S_elsewhere(c, b, buf_cstr(&where), frag);
	buf_release(&where);
	return found;
}

/* A .md link: the target page and its #anchor. Returns its href or NULL. */
static char *S_md_link(struct links *c, const struct page *pg, const struct link *l)
{
	const struct site *site = c->site;
	const char *frag = strchr(l->url, '#');
	size_t n = frag ? (size_t)(frag - l->url) : strlen(l->url);
	const struct page *to = model_page_at(site, l->url, n);
	struct buf b = BUF_INIT;

	if (!to)
		to = S_intro_at(site, l->url, n);
	if (!to && S_md_elsewhere(c, &b, l->url, n, frag ? frag : ""))
		return buf_detach(&b, NULL);
	if (!to && model_hidden_path(l->url, n)) {
		S_broken(c, pg->path, l->line, l->col,
			 "link to %.*s, which is not a page: files and folders whose name starts with '_' "
			 "are not part of the site (like Hugo's _includes/)",
			 (int)n, l->url);
		return NULL;
	}
	if (!to) {
		if (!model_failed_at(site, l->url, n)) /* else its errors are reported in it */
			S_broken(c, pg->path, l->line, l->col,
				 "link to %.*s, which is not a page of this site%s", (int)n, l->url,
				 suggest_hint(&b, S_near_page(c, l->url, n)));
		buf_release(&b);
		return NULL;
	}
	if (frag && frag[1])
		S_dep(c, to);
	if (frag && frag[1] && !S_has_anchor(to, frag + 1)) {
		S_broken(c, pg->path, l->line, l->col, "link to %s: %s has no heading with id '%s'%s", l->url,
			 to->path, frag + 1, suggest_hint(&b, S_near_anchor(c, to, frag + 1)));
		buf_release(&b);
		return NULL;
	}
	buf_printf(&b, "%s%s", to->href, frag ? frag : "");
	return buf_detach(&b, NULL);
}

/* One link or image of pg's body: its href (malloc'd), or NULL when broken. */
static char *S_body_link(struct links *c, const struct page *pg, const struct link *l,
			 const struct media_file **file)
{
	struct buf href = BUF_INIT, why = BUF_INIT;
	const struct page *to;
	enum dest d;

	*file = NULL;
	if (l->md)
		return S_md_link(c, pg, l);
	if (!l->local) {
		const char *near;
		if (l->url[0] == '#' && l->url[1] && !S_has_anchor(pg, l->url + 1)) {
			near = S_near_anchor(c, pg, l->url + 1);
			if (near)
				buf_printf(&href, "#%s", near);
			S_broken(c, pg->path, l->line, l->col,
				 "link to '%s': this page has no heading with that id%s", l->url,
				 suggest_hint(&c->tmp, near ? href.ptr : NULL));
			buf_release(&href);
		}
		return NULL; /* left as written */
	}
	if ((d = S_local(c, pg, l->url, l->image, &href, file, &to)) == DEST_ELSEWHERE)
		return buf_detach(&href, NULL);
	if (d != DEST_OK) {
		S_dest_msg(&why, d, l->image, l->url, to);
		S_broken(c, pg->path, l->line, l->col, "%s '%s' %s%s", l->image ? "image" : "link", l->url,
			 buf_cstr(&why),
			 suggest_hint(&href, d == DEST_NOWHERE ? S_near_url(c, pg, l->url, l->image) : NULL));
		buf_release(&why);
		buf_release(&href);
		return NULL;
	}
	if (l->image && *file && !(*file)->width && img_is_image_name((*file)->src_path))
		diag_warn(pg->path, l->line, l->col,
			  "image '%s': cannot read its size from %s (a damaged or mislabelled file?); "
			  "it is shown without width and height",
			  l->url, (*file)->src_path);
	return buf_detach(&href, NULL);
}

/*
 * Where cmark wrote the placeholder: right after <a href=" or <img src="
 * (a title or an alt text that spells the mark is left alone). The length
 * of the match at p, or 0.
 */
static size_t S_mark_at(const char *p)
{
	static const char *const starts[] = { "<a href=\"" LINK_MARK, "<img src=\"" LINK_MARK, NULL };
	const char *const *st;
	for (st = starts; *st; st++)
		if (strncmp(p, *st, strlen(*st)) == 0 && isdigit((unsigned char)p[strlen(*st)]))
			return strlen(*st);
	return 0;
}

/* What replaces link k's placeholder: the attribute's value and, for images, more attributes. */
static const char *S_attr(const struct page *pg, size_t k, const char *href, const struct media_file *f,
			  size_t first_img, struct arena *a)
{
	struct buf uri = BUF_INIT, b = BUF_INIT;
	const char *out;

	escape_uri(&uri, href ? href : "#", strlen(href ? href : "#")); /* non-ASCII %XX, as cmark */
	escape_html(&b, uri.ptr, uri.len);
	buf_putc(&b, '"');
	if (pg->links[k].image) {
		if (f && f->width)
			buf_printf(&b, " width=\"%d\" height=\"%d\"", f->width, f->height);
		if (k != first_img)
			buf_puts(&b, " loading=\"lazy\"");
	}
	out = arena_strdup(a, b.ptr);
	buf_release(&uri);
	buf_release(&b);
	return out;
}

void links_put_html(struct buf *out, const struct page *pg)
{
	char *owned;
	const char *p = page_html(pg, &owned), *hit; /* a plain build's may be in its file (spill.h) */
	size_t m;

	while ((hit = strchr(p, '<')) != NULL) {
		char *end;
		unsigned long i;
		if (!(m = S_mark_at(hit)) || (i = strtoul(hit + m, &end, 10), *end != '"') ||
		    i >= pg->nlinks || !pg->links[i].attr) {
			buf_put(out, p, (size_t)(hit + 1 - p));
			p = hit + 1;
			continue;
		}
		buf_put(out, p, (size_t)(hit + m - strlen(LINK_MARK) - p));
		buf_puts(out, pg->links[i].attr);
		p = end + 1;
	}
	buf_puts(out, p);
	free(owned);
}

/*
 * A page's picture goes into its head (og:image, JSON-LD) and cards; a URL
 * that fails the scheme check (a body's image in unsafe mode) is no picture.
 */
static void S_picture(struct picture *pic, const char *href, const struct media_file *f)
{
	if (!url_is_safe(href, strlen(href)))
		return;
	pic->href = href;
	pic->width = f ? f->width : 0;
	pic->height = f ? f->height : 0;
}

/*
 * Links and images of pg's body. Images are lazy except the first when no
 * cover or avatar is shown above the body: that one may be on the first
 * screen. Returns 0 or -1.
 */
static int S_body(struct links *c, struct page *pg, struct arena *a)
{
	size_t k, first_img = pg->nlinks, errors = c->errors;

	for (k = 0; !pg->image.href && k < pg->nlinks && first_img == pg->nlinks; k++)
		if (pg->links[k].image)
			first_img = k;
	for (k = 0; k < pg->nlinks; k++) {
		struct link *l = &pg->links[k];
		const struct media_file *f;
		char *href = S_body_link(c, pg, l, &f);
		if (!href && l->local && !l->md && c->site->cfg->links_warn)
			href = xstrdup(l->url); /* broken, and a warning: left as written */
		if (l->image && !pg->first_image.href)
			S_picture(&pg->first_image, arena_strdup(a, href ? href : l->url), f);
		if (l->local)
			l->attr = S_attr(pg, k, href, f, first_img, a);
		free(href);
	}
	/* its own count: other pages' errors come from other workers meanwhile */
	return c->errors > errors ? -1 : 0;
}

/*
 * 1 when s reads as a bare e-mail address (a@b.c: no scheme, no '/'),
 * which a url field takes as a relative path: an apply: address wants
 * its mailto:.
 */
static int S_email_like(const char *s)
{
	const char *at = strchr(s, '@');
	return at && at > s && !strchr(at + 1, '@') && strchr(at + 1, '.') && !strpbrk(s, "/:?#\\ ");
}

/* One url value of a field: its href in the arena, or NULL when broken. */
static const char *S_field_url(struct links *c, const struct page *pg, const struct field *fd,
			       const struct ynode *v, struct arena *a, const struct media_file **file)
{
	struct buf href = BUF_INIT, why = BUF_INIT;
	const struct page *to;
	const char *out;
	enum dest d;

	*file = NULL;
	if (!v->str[0] || v->str[0] == '#' || url_is_external(v->str))
		return v->str;
	if ((d = S_local(c, pg, v->str, 0, &href, file, &to)) == DEST_ELSEWHERE) {
		out = arena_strdup(a, buf_cstr(&href));
		buf_release(&href);
		return out;
	}
	if (d != DEST_OK) {
		const char *near = d == DEST_NOWHERE ? S_near_url(c, pg, v->str, 0) : NULL;
		struct buf mailto = BUF_INIT;
		if (d == DEST_NOWHERE && !near && S_email_like(v->str)) {
			buf_printf(&mailto, "mailto:%s", v->str);
			near = mailto.ptr;
		}
		S_dest_msg(&why, d, 0, v->str, to);
		S_broken(c, pg->path, v->line, v->col, "'%s': '%s' %s%s", fd->name, v->str, buf_cstr(&why),
			 suggest_hint(&href, near));
		buf_release(&mailto);
		buf_release(&why);
		buf_release(&href);
		return NULL;
	}
	out = arena_strdup(a, buf_cstr(&href));
	buf_release(&href);
	return out;
}

/* 1 when pg's field k holds addresses (a url, a list of them), which S_fields resolves into its
   hrefs, *n of them; else 0. */
static int S_url_field(const struct page *pg, size_t k, size_t *n)
{
	const struct field *fd = &pg->type->fields[k];
	const struct ynode *v = pg->vals[k].node;
	int list = fd->kind == FIELD_LIST && fd->of == FIELD_URL;

	if (!v || (fd->kind != FIELD_URL && !list) || (list && v->kind != YNODE_SEQ))
		return 0;
	*n = v->kind == YNODE_SEQ ? v->n : 1;
	return 1;
}

/* The url fields of pg, and its picture. Returns 0 or -1. */
static int S_fields(struct links *c, struct page *pg, struct arena *a)
{
	size_t k, j;
	int rc = 0;

	for (k = 0; pg->type && k < pg->type->nfields; k++) {
		const struct field *fd = &pg->type->fields[k];
		struct fval *fv = &pg->vals[k];
		const struct ynode *v = fv->node;
		size_t n;
		const struct media_file *file;
		int list = fd->kind == FIELD_LIST && fd->of == FIELD_URL;
		if (!S_url_field(pg, k, &n))
			continue;
		fv->hrefs = arena_alloc(a, n * sizeof(*fv->hrefs));
		for (j = 0; j < n; j++) {
			const struct ynode *item = list ? v->kids[j] : v;
			if (item->kind != YNODE_SCALAR || ynode_is_null(item)) {
				fv->hrefs[j] = "";
				continue;
			}
			fv->hrefs[j] = S_field_url(c, pg, fd, item, a, &file);
			if (!fv->hrefs[j]) {
				fv->hrefs[j] = "";
				if (!c->site->cfg->links_warn)
					rc = -1;
			}
			if (fd->picture && !pg->image.href && fv->hrefs[j][0]) /* role pictures */
				S_picture(&pg->image, fv->hrefs[j], file);
		}
	}
	return rc;
}

/* ---- each page's links kept for serve's next load, or on disk for the next build ---- */

/* One url field's addresses (fval.hrefs) as a page's check left them. */
struct memo_hrefs {
	size_t field; /* index into the page's vals */
	size_t n;
	char **v;
};

/*
 * One page's links as links_check left them, when it reported nothing:
 * each link's attribute, the fields' addresses, the pictures, and the
 * pages whose #anchors it read with a digest of those anchors then.
 */
struct memo_links {
	/* what the page was checked with: serve's, the parse cache entry's body and front
	   matter (compared only, S_memo_holds); a plain rebuild's record's, its parse_key */
	const char *html;
	const struct ynode *front;
	uint64_t key[2];
	size_t nlinks;
	/* the strings are the entry's own, or views of the record's bytes (links_memo.decoded) */
	char **attr;                       /* per link (NULL: none, not a local one) */
	struct picture image, first_image; /* hrefs */
	struct memo_hrefs *hrefs;
	size_t nhrefs;
	size_t *deps;              /* the pages whose #anchors it read, by index */
	uint64_t (*dep_digest)[2]; /* and those anchors' digest then */
	size_t ndeps;
	/* read from disk: its bytes in the record, which the next record copies as they are */
	const unsigned char *rec;
	size_t rec_len;
};

/*
 * What a load of serve keeps (struct incr's links_memo), or a plain
 * rebuild reads from the last one's record (links_check_kept): each
 * page's links under the digest of everything else a link may lead to
 * (S_world): while it is the same, a page whose input is the same (serve:
 * its body and front matter still its parse cache entry's, in one parse
 * context; a rebuild: its parse_key, which holds the parse context),
 * whose links lead to pages whose #anchors are the same, takes them
 * instead of a check. Serve's entries' pointers are compared within one
 * parse context only: an entry of the cache is freed after the next
 * load's entries were made, so a new one is never at a kept one's
 * address (incr.c).
 */
struct links_memo {
	uint64_t world[2];     /* S_world of the load that made it */
	uint64_t ctx[2];       /* serve: its parse context (struct incr's parse_ctx) */
	struct memo_links **v; /* by page, in site->pages' order (the world holds it) */
	size_t n;
	int pages_ok; /* S_check_pages reported nothing in that world */
	/* read from disk (S_disk_decode): the entries and their arrays are arena's, their
	   strings views of the record's bytes (in the site's arena): freed whole */
	struct arena arena;
	int decoded;
};

static void S_memo_links_free(struct memo_links *m)
{
	size_t i, j;

	if (!m)
		return;
	for (i = 0; i < m->nlinks; i++)
		free(m->attr[i]);
	free(m->attr);
	free((char *)m->image.href);
	free((char *)m->first_image.href);
	for (i = 0; i < m->nhrefs; i++) {
		for (j = 0; j < m->hrefs[i].n; j++)
			free(m->hrefs[i].v[j]);
		free(m->hrefs[i].v);
	}
	free(m->hrefs);
	free(m->deps);
	free(m->dep_digest);
	free(m);
}

static void S_links_memo_free(struct links_memo *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; !m->decoded && i < m->n; i++)
		S_memo_links_free(m->v[i]);
	arena_release(&m->arena);
	free(m->v);
	free(m);
}

/*
 * Everything but a page's own body and front matter that where its
 * links lead depends on: site.yaml (the types, links.elsewhere, errors or
 * warnings, the languages), the base URL, every page's path, address and
 * language (in order: the memo's entries are by index), the pages left out
 * for errors, the lists' introductions, every output of the plan (the
 * table of addresses) and every published file with its size.
 */
static void S_world(uint64_t out[2], const struct site *site, const struct plan *plan,
		    const struct media *media, const uint64_t key[2])
{
	const struct source_file *y = source_find(site->src, "site.yaml");
	struct incr_digest d;
	size_t i;

	incr_digest_init(&d, key);
	incr_digest_item(&d, y ? y->data : "", y ? y->len : 0);
	incr_digest_strw(&d, site->cfg->base_url ? site->cfg->base_url : "");
	incr_digest_strw(&d, site->root);
	incr_digest_word(&d, site->npages);
	/* the same paths under content/ make the same pages in the same order (model_collect) */
	incr_digest_word(&d, site->src->paths_gen);
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		/* href is url under the base path (model.c) */
		if (!site->src->paths_gen)
			incr_digest_strw(&d, pg->path);
		incr_digest_strw(&d, pg->url ? pg->url : "");
		incr_digest_word(&d, pg->lang ? (uint64_t)(pg->lang - site->cfg->langs) : (uint64_t)-1);
	}
	incr_digest_word(&d, site->nfailed);
	for (i = 0; i < site->nfailed; i++)
		incr_digest_strw(&d, site->failed_paths[i]);
	incr_digest_word(&d, site->nintros);
	for (i = 0; i < site->nintros; i++) {
		incr_digest_strw(&d, site->intros[i].path);
		incr_digest_strw(&d, site->intros[i].href ? site->intros[i].href : "");
	}
	incr_digest_word(&d, plan->n);
	for (i = 0; i < plan->n; i++) {
		const struct page *pg = plan->v[i].page;
		int own = pg && pg >= site->pages && pg < site->pages + site->npages;
		incr_digest_word(&d, (uint64_t)plan->v[i].kind);
		incr_digest_word(&d, own ? (uint64_t)(pg - site->pages) : pg ? (uint64_t)-2 : (uint64_t)-1);
		/* a page's own address is digested with the page (its url) */
		if (own && plan->v[i].href == pg->href)
			incr_digest_word(&d, 0);
		else
			incr_digest_strw(&d, plan->v[i].href);
	}
	incr_digest_word(&d, media->n);
	for (i = 0; i < media->n; i++) {
		const struct media_file *f = &media->v[i];
		incr_digest_strw(&d, f->src_path);
		incr_digest_strw(&d, f->out_path ? f->out_path : "");
		incr_digest_strw(&d, f->href ? f->href : "");
		incr_digest_word(&d, (uint64_t)(uint32_t)f->width << 32 | (uint32_t)f->height);
	}
	incr_digest_final(&d, out);
}

/* The digest of pg's #anchors. */
static void S_anchors_digest(uint64_t out[2], const struct page *pg, const uint64_t key[2])
{
	struct incr_digest d;
	size_t i;

	incr_digest_init(&d, key);
	incr_digest_word(&d, pg->nanchors);
	for (i = 0; i < pg->nanchors; i++)
		incr_digest_strw(&d, pg->anchors[i]);
	incr_digest_final(&d, out);
}

/* Where a page's entry for the next record is (struct links_run's recs). */
struct rec_at {
	size_t off, len;
	int worker;
};

/* The pages' links on the pool (links_check). */
struct links_run {
	struct site *site;
	struct links *c;     /* per worker, sharing the url table */
	struct arena *arena; /* per worker */
	int *failed;         /* per worker */
	/* with a memo (links_check_incr, links_check_kept), else NULL: */
	const uint64_t *key;      /* the digests' */
	struct links_memo *old;   /* the last load's or build's, in this world; NULL when another */
	struct memo_links **next; /* per page: its entry for the next load or build */
	unsigned char *taken;     /* per page: it took old's entry */
	unsigned long checked;    /* pages checked (the workers add atomically) */
	int disk;                 /* a plain rebuild's memo: pages known by their parse_key */
	/* and the entries of the pages checked for the next record (S_disk_put), in one buffer per
	   worker (a buffer per page was 10,000 growing blocks of a heap the workers share); per page
	   where its entry is: its worker and its bytes there (none: len 0) */
	struct buf *wrecs;
	struct rec_at *recs;
};

/* m's fields' addresses are for pg's url fields, one for one and as many (a record from disk
   is not trusted to be). */
static int S_hrefs_fit(const struct page *pg, const struct memo_links *m)
{
	size_t k, j = 0, n;

	for (k = 0; pg->type && k < pg->type->nfields; k++) {
		if (!S_url_field(pg, k, &n))
			continue;
		if (j >= m->nhrefs || m->hrefs[j].field != k || m->hrefs[j].n != n)
			return 0;
		j++;
	}
	return j == m->nhrefs;
}

/* pg's input is the one m was made from: serve's parse cache entry, or a rebuild's parse_key. */
static int S_memo_same_input(const struct links_run *r, const struct page *pg, const struct memo_links *m)
{
	if (m->nlinks != pg->nlinks)
		return 0;
	if (!r->disk)
		return pg->parse_shared && pg->html && m->html == pg->html && m->front == pg->front;
	return pg->parse_keyed && m->key[0] == pg->parse_key[0] && m->key[1] == pg->parse_key[1] &&
	       S_hrefs_fit(pg, m);
}

/* m, the last load's entry for pg (same index, same world), still holds. */
static int S_memo_holds(const struct links_run *r, const struct page *pg, const struct memo_links *m)
{
	uint64_t dg[2];
	size_t i;

	if (!S_memo_same_input(r, pg, m))
		return 0;
	for (i = 0; i < m->ndeps; i++) {
		S_anchors_digest(dg, &r->site->pages[m->deps[i]], r->key);
		if (dg[0] != m->dep_digest[i][0] || dg[1] != m->dep_digest[i][1])
			return 0;
	}
	return 1;
}

/* pg as its check left it, from m; the fields' arrays in a (the strings stay m's). */
static void S_memo_apply(struct page *pg, const struct memo_links *m, struct arena *a)
{
	size_t i;

	for (i = 0; i < pg->nlinks; i++)
		pg->links[i].attr = m->attr[i];
	pg->image = m->image;
	pg->first_image = m->first_image;
	for (i = 0; i < m->nhrefs; i++) {
		const char **v = arena_alloc(a, (m->hrefs[i].n ? m->hrefs[i].n : 1) * sizeof(*v));
		memcpy(v, m->hrefs[i].v, m->hrefs[i].n * sizeof(*v));
		pg->vals[m->hrefs[i].field].hrefs = v;
	}
}

static char *S_dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* pg's entry, as its check (on worker c) just left it. */
static struct memo_links *S_memo_make(const struct links_run *r, const struct page *pg, const struct links *c)
{
	struct memo_links *m = xcalloc(1, sizeof(*m));
	size_t i, j, n, nf = 0;

	m->html = pg->html;
	m->front = pg->front;
	m->nlinks = pg->nlinks;
	m->attr = xcalloc(pg->nlinks ? pg->nlinks : 1, sizeof(*m->attr));
	for (i = 0; i < pg->nlinks; i++)
		m->attr[i] = S_dup_or_null(pg->links[i].attr);
	m->image = pg->image;
	m->image.href = S_dup_or_null(pg->image.href);
	m->first_image = pg->first_image;
	m->first_image.href = S_dup_or_null(pg->first_image.href);
	for (i = 0; pg->type && i < pg->type->nfields; i++)
		nf += pg->vals[i].hrefs && S_url_field(pg, i, &n);
	m->hrefs = xcalloc(nf ? nf : 1, sizeof(*m->hrefs));
	for (i = 0; pg->type && i < pg->type->nfields; i++) {
		const struct fval *fv = &pg->vals[i];
		struct memo_hrefs *h;
		if (!fv->hrefs || !S_url_field(pg, i, &n))
			continue;
		h = &m->hrefs[m->nhrefs++];
		h->field = i;
		h->n = n;
		h->v = xmalloc((h->n ? h->n : 1) * sizeof(*h->v));
		for (j = 0; j < h->n; j++)
			h->v[j] = xstrdup(fv->hrefs[j]);
	}
	m->ndeps = c->ndeps;
	m->deps = xmalloc((c->ndeps ? c->ndeps : 1) * sizeof(*m->deps));
	m->dep_digest = xmalloc((c->ndeps ? c->ndeps : 1) * sizeof(*m->dep_digest));
	for (i = 0; i < c->ndeps; i++) {
		m->deps[i] = c->deps[i];
		S_anchors_digest(m->dep_digest[i], &r->site->pages[c->deps[i]], r->key);
	}
	return m;
}

/*
 * A plain rebuild's record of the memo (links_check_kept): the world's
 * digest (8 + 8), pages_ok (1), the pages (8), then per page 0, or 1 and
 * its entry: its parse_key (8 + 8), its links' attributes, its two
 * pictures (href, width and height), its fields' addresses (field,
 * count, each) and its dependencies (page, anchors' digest); counts 4
 * bytes, strings as buf_put_strz writes them. A page checked now is
 * written as its check (on worker c) left it, by its worker; one that
 * took its entry, as the entry's bytes were read (S_disk_decode).
 */
static void S_put_picture(struct buf *b, const struct picture *p)
{
	buf_put_strz(b, p->href);
	buf_put_le(b, (uint32_t)p->width, 4);
	buf_put_le(b, (uint32_t)p->height, 4);
}

static void S_disk_put(struct buf *b, const struct links_run *r, const struct page *pg, const struct links *c)
{
	size_t i, j, n, nf = 0;
	uint64_t dg[2];

	buf_put_le(b, pg->parse_key[0], 8);
	buf_put_le(b, pg->parse_key[1], 8);
	buf_put_le(b, pg->nlinks, 4);
	for (i = 0; i < pg->nlinks; i++)
		buf_put_strz(b, pg->links[i].attr);
	S_put_picture(b, &pg->image);
	S_put_picture(b, &pg->first_image);
	for (i = 0; pg->type && i < pg->type->nfields; i++)
		nf += pg->vals[i].hrefs && S_url_field(pg, i, &n);
	buf_put_le(b, nf, 4);
	for (i = 0; pg->type && i < pg->type->nfields; i++) {
		if (!pg->vals[i].hrefs || !S_url_field(pg, i, &n))
			continue;
		buf_put_le(b, i, 4);
		buf_put_le(b, n, 4);
		for (j = 0; j < n; j++)
			buf_put_strz(b, pg->vals[i].hrefs[j]);
	}
	buf_put_le(b, c->ndeps, 4);
	for (i = 0; i < c->ndeps; i++) {
		S_anchors_digest(dg, &r->site->pages[c->deps[i]], r->key);
		buf_put_le(b, c->deps[i], 4);
		buf_put_le(b, dg[0], 8);
		buf_put_le(b, dg[1], 8);
	}
}

static void S_links_init(struct links *c, const struct site *site, const struct media *media)
{
	memset(c, 0, sizeof(*c));
	buf_init(&c->where);
	buf_init(&c->tmp);
	buf_init(&c->near);
	c->site = site;
	c->media = media;
}

static void S_links_release(struct links *c)
{
	buf_release(&c->where);
	buf_release(&c->tmp);
	buf_release(&c->near);
	suggest_release(&c->urls);
	suggest_release(&c->files);
	suggest_release(&c->pages);
	suggest_release(&c->anchors);
	free(c->deps);
}

static void S_page_job(size_t i, int worker, void *payload)
{
	struct links_run *r = payload;
	struct page *pg = &r->site->pages[i];
	struct links *c = &r->c[worker];
	size_t reports = diag_thread_reports();
	int failed = 0;

	if (r->old && i < r->old->n && r->old->v[i] && S_memo_holds(r, pg, r->old->v[i])) {
		S_memo_apply(pg, r->old->v[i], &r->arena[worker]);
		r->taken[i] = 1;
		return;
	}
	c->ndeps = 0;
	c->deps_unknown = 0;
	/* fields first: a cover shown above the body makes all its images lazy */
	if (S_fields(c, pg, &r->arena[worker]))
		failed = 1;
	if (S_body(c, pg, &r->arena[worker]))
		failed = 1;
	if (failed)
		r->failed[worker] = 1;
	if (!r->next && !r->recs)
		return;
	__atomic_fetch_add(&r->checked, 1, __ATOMIC_RELAXED);
	/* a page that reported something is checked again, to report it again */
	if (failed || diag_thread_reports() != reports || c->deps_unknown)
		return;
	if (r->recs && pg->parse_keyed) {
		struct buf *b = &r->wrecs[worker];
		r->recs[i].off = b->len;
		r->recs[i].worker = worker;
		S_disk_put(b, r, pg, c);
		r->recs[i].len = b->len - r->recs[i].off;
	} else if (r->next && pg->parse_shared && pg->html)
		r->next[i] = S_memo_make(r, pg, c);
}

/*
 * serve: the memo for this load (r->old: the last one's when its world,
 * S_world's digest, and parse context are this load's), and where the
 * next one goes.
 */
static void S_memo_begin(struct links_run *r, struct incr *in, const uint64_t world[2])
{
	struct links_memo *m = in->links_memo;
	const struct site *site = r->site;

	r->key = in->key;
	if (m && m->world[0] == world[0] && m->world[1] == world[1] && m->ctx[0] == in->parse_ctx[0] &&
	    m->ctx[1] == in->parse_ctx[1] && m->n == site->npages)
		r->old = m;
	r->next = xcalloc(site->npages ? site->npages : 1, sizeof(*r->next));
	r->taken = xcalloc(site->npages ? site->npages : 1, 1);
}

/* The next load's memo: the entries taken from the last, the ones made now; the rest go. */
static void S_memo_end(struct links_run *r, struct incr *in, const uint64_t world[2], int pages_ok)
{
	struct links_memo *m = in->links_memo;
	size_t i;

	if (!m) {
		m = in->links_memo = xcalloc(1, sizeof(*m));
		in->links_memo_free = S_links_memo_free;
	}
	for (i = 0; i < r->site->npages; i++)
		if (r->taken[i]) {
			r->next[i] = m->v[i];
			m->v[i] = NULL;
		}
	for (i = 0; i < m->n; i++)
		S_memo_links_free(m->v[i]);
	free(m->v);
	m->v = r->next;
	m->n = r->site->npages;
	m->world[0] = world[0];
	m->world[1] = world[1];
	m->ctx[0] = in->parse_ctx[0];
	m->ctx[1] = in->parse_ctx[1];
	m->pages_ok = pages_ok;
	in->pages_linked = r->checked;
	free(r->taken);
	r->next = NULL;
	r->taken = NULL;
}

/* ---- a plain rebuild's memo: the record on disk (diskcache.h's diskcache_links_read) ---- */

/* A count of things each at least min bytes long in what r has left; 0 and r->bad when more. */
static size_t S_count(struct le_reader *r, size_t min)
{
	size_t n = (size_t)le_read(r, 4);

	if (n > (size_t)(r->end - r->p) / min) {
		r->bad = 1;
		return 0;
	}
	return n;
}

/* A string as S_disk_put wrote it, a view of r's bytes (NULL: none, or damage). */
static char *S_get_str(struct le_reader *r)
{
	size_t n;
	return (char *)(uintptr_t)le_read_strz(r, &n); /* read only, like the memo's own */
}

static void S_get_picture(struct le_reader *r, struct picture *p)
{
	p->href = S_get_str(r);
	p->width = (int)(uint32_t)le_read(r, 4);
	p->height = (int)(uint32_t)le_read(r, 4);
}

/* One page's entry from r into a (its strings views of r's bytes), for a site of npages. */
static struct memo_links *S_disk_get(struct le_reader *r, struct arena *a, size_t npages)
{
	struct memo_links *m = arena_alloc(a, sizeof(*m));
	size_t i, j;

	memset(m, 0, sizeof(*m));
	m->rec = r->p;
	m->key[0] = le_read(r, 8);
	m->key[1] = le_read(r, 8);
	m->nlinks = S_count(r, 4);
	m->attr = arena_alloc(a, (m->nlinks ? m->nlinks : 1) * sizeof(*m->attr));
	for (i = 0; i < m->nlinks; i++)
		m->attr[i] = S_get_str(r);
	S_get_picture(r, &m->image);
	S_get_picture(r, &m->first_image);
	m->nhrefs = S_count(r, 8);
	m->hrefs = arena_alloc(a, (m->nhrefs ? m->nhrefs : 1) * sizeof(*m->hrefs));
	for (i = 0; i < m->nhrefs; i++) {
		struct memo_hrefs *h = &m->hrefs[i];
		h->field = (size_t)le_read(r, 4); /* the page's field: S_hrefs_fit */
		h->n = S_count(r, 5);
		h->v = arena_alloc(a, (h->n ? h->n : 1) * sizeof(*h->v));
		for (j = 0; j < h->n; j++)
			if (!(h->v[j] = S_get_str(r))) /* an address is a string, if empty */
				r->bad = 1;
	}
	m->ndeps = S_count(r, 20);
	m->deps = arena_alloc(a, (m->ndeps ? m->ndeps : 1) * sizeof(*m->deps));
	m->dep_digest = arena_alloc(a, (m->ndeps ? m->ndeps : 1) * sizeof(*m->dep_digest));
	for (i = 0; i < m->ndeps; i++) {
		if ((m->deps[i] = (size_t)le_read(r, 4)) >= npages)
			r->bad = 1;
		m->dep_digest[i][0] = le_read(r, 8);
		m->dep_digest[i][1] = le_read(r, 8);
	}
	m->rec_len = (size_t)(r->p - m->rec);
	return m;
}

/*
 * The record's entries (body, as read), with the world they were made in
 * (the caller compares it) and pages_ok; NULL when it is not for as many
 * pages or any damage is found. Their strings point into a copy of the
 * record's bytes in the site's arena: the pages that take them keep them
 * for the rest of the build.
 */
static struct links_memo *S_disk_decode(struct site *site, const struct buf *body)
{
	struct links_memo *m;
	struct le_reader r;
	unsigned char *p;
	size_t i;

	if (body->len < 25 || le_get((const unsigned char *)body->ptr + 17, 8) != site->npages)
		return NULL;
	p = arena_alloc(&site->arena, body->len);
	memcpy(p, body->ptr, body->len);
	r.p = p + 25;
	r.end = p + body->len;
	r.bad = 0;
	m = xcalloc(1, sizeof(*m));
	m->decoded = 1;
	m->world[0] = le_get(p, 8);
	m->world[1] = le_get(p + 8, 8);
	m->pages_ok = p[16] == 1;
	m->n = site->npages;
	m->v = xcalloc(m->n ? m->n : 1, sizeof(*m->v));
	for (i = 0; i < m->n && !r.bad; i++) {
		uint64_t tag = le_read(&r, 1);
		if (tag == 1)
			m->v[i] = S_disk_get(&r, &m->arena, m->n);
		else if (tag != 0)
			r.bad = 1;
	}
	if (r.bad || r.p != r.end) {
		S_links_memo_free(m);
		return NULL;
	}
	return m;
}

/* The record of this build for the next: the entries taken from the last, the ones made now. */
static void S_disk_save(const struct links_run *r, const char *dir, const uint64_t key[2],
			const uint64_t world[2], int pages_ok)
{
	struct buf b = BUF_INIT;
	size_t i, n = r->site->npages, len = DISKCACHE_SEALED + 25 + n;

	if (r->old && r->checked == 0 && r->old->pages_ok == pages_ok)
		return; /* every page took its entry: the record is this build's already */
	for (i = 0; i < n; i++)
		len += r->taken[i] ? r->old->v[i]->rec_len : r->recs[i].len;
	buf_grow(&b, len);
	memset(b.ptr, 0, DISKCACHE_SEALED); /* the header's room (diskcache_links_save) */
	b.len = DISKCACHE_SEALED;
	buf_put_le(&b, world[0], 8);
	buf_put_le(&b, world[1], 8);
	buf_put_le(&b, pages_ok != 0, 1);
	buf_put_le(&b, n, 8);
	for (i = 0; i < n; i++) {
		const struct memo_links *m = r->taken[i] ? r->old->v[i] : NULL;
		buf_put_le(&b, m || r->recs[i].len, 1);
		if (m)
			buf_put(&b, m->rec, m->rec_len); /* as S_disk_put wrote it, its strings' NULs too */
		else if (r->recs[i].len)
			buf_put(&b, r->wrecs[r->recs[i].worker].ptr + r->recs[i].off, r->recs[i].len);
	}
	diskcache_links_save(dir, key, &b);
	buf_release(&b);
}

/* ---- the check ---- */

/*
 * What the check needs before the pages, made side by side on the pool
 * (a rebuild's world digest and the table took 2-4 ms each at 10,000
 * pages): the table of the site's addresses into c (its strings in a),
 * with a memo the world's digest under key, and a rebuild's record read
 * (body) decoded into *decoded (NULL when it does not decode).
 */
struct links_prep {
	struct site *site;
	const struct plan *plan;
	const struct media *media;
	struct links *c;
	struct arena *a;
	const uint64_t *key; /* NULL: no memo, no world */
	uint64_t *world;
	const struct buf *body; /* NULL: no record */
	struct links_memo *decoded;
};

static void S_prep_job(size_t i, int worker, void *payload)
{
	struct links_prep *p = payload;
	(void)worker;

	if (i == 0)
		S_table(p->c, p->site, p->plan, p->a);
	else if (i == 1)
		S_world(p->world, p->site, p->plan, p->media, p->key);
	else
		p->decoded = S_disk_decode(p->site, p->body);
}

static void S_prepare(struct links_prep *p)
{
	int jobs = p->site->jobs > 0 ? p->site->jobs : 1;

	pool_run(jobs, p->body ? 3 : p->key ? 2 : 1, S_prep_job, p);
}

/*
 * The pages on the pool (each taking r->old's entry when it holds) with
 * c's table, then the lists' introductions. *pages_ok: S_check_pages
 * reported nothing, now or in r->old's world. Returns 0 or -1.
 */
static int S_run(struct links_run *run, struct links *c, const struct plan *plan, const struct media *media,
		 int *pages_ok)
{
	struct site *site = run->site;
	int w, jobs = site->jobs > 0 ? site->jobs : 1;
	size_t i;
	int rc = 0;

	/* what it reads is in the world: it reported nothing then, nor would now */
	*pages_ok = run->old && run->old->pages_ok ? 1 : S_check_pages(site, plan) == 0;
	if (!*pages_ok)
		rc = -1;
	run->c = xcalloc((size_t)jobs, sizeof(*run->c));
	run->arena = xcalloc((size_t)jobs, sizeof(*run->arena));
	run->failed = xcalloc((size_t)jobs, sizeof(*run->failed));
	for (w = 0; w < jobs; w++) {
		S_links_init(&run->c[w], site, media);
		run->c[w].t = c->t;
	}
	pool_run(jobs, site->npages, S_page_job, run);
	for (w = 0; w < jobs; w++) {
		if (run->failed[w])
			rc = -1;
		S_links_release(&run->c[w]);
		arena_adopt(&site->arena, &run->arena[w]);
	}
	free(run->c);
	free(run->arena);
	free(run->failed);
	for (i = 0; i < site->nintros; i++)
		if (S_body(c, &site->intros[i], &site->arena))
			rc = -1;
	return rc;
}

int links_check(struct site *site, const struct plan *plan, const struct media *media)
{
	return links_check_incr(site, plan, media, NULL);
}

int links_check_incr(struct site *site, const struct plan *plan, const struct media *media, struct incr *in)
{
	struct links_run run;
	struct links c;
	struct arena a = ARENA_INIT;
	uint64_t world[2];
	struct links_prep prep = { site, plan, media, &c, &a, in ? in->key : NULL, world, NULL, NULL };
	int rc, pages_ok;

	memset(&run, 0, sizeof(run));
	run.site = site;
	S_links_init(&c, site, media);
	S_prepare(&prep);
	if (in)
		S_memo_begin(&run, in, world);
	rc = S_run(&run, &c, plan, media, &pages_ok);
	if (in)
		S_memo_end(&run, in, world, pages_ok);
	free(c.t.v);
	S_links_release(&c);
	arena_release(&a);
	return rc;
}

int links_check_kept(struct site *site, const struct plan *plan, const struct media *media, const char *dir,
		     unsigned long *checked)
{
	struct links_run run;
	struct links c;
	struct arena a = ARENA_INIT;
	struct buf body = BUF_INIT;
	uint64_t key[2], world[2];
	struct links_prep prep = { site, plan, media, &c, &a, key, world, &body, NULL };
	size_t n = site->npages;
	int w, rc, pages_ok, jobs = site->jobs > 0 ? site->jobs : 1;

	memset(&run, 0, sizeof(run));
	run.site = site;
	run.disk = 1;
	run.key = key;
	S_links_init(&c, site, media);
	if (diskcache_links_read(dir, key, &body) != 0) {
		diskcache_key(key); /* none that holds: a record of this build's under a key of its own */
		prep.body = NULL;
	}
	S_prepare(&prep);
	buf_release(&body);
	/* made in another world: every page is checked */
	if (prep.decoded && (prep.decoded->world[0] != world[0] || prep.decoded->world[1] != world[1]))
		S_links_memo_free(prep.decoded);
	else
		run.old = prep.decoded;
	run.recs = xcalloc(n ? n : 1, sizeof(*run.recs));
	run.wrecs = xcalloc((size_t)jobs, sizeof(*run.wrecs));
	run.taken = xcalloc(n ? n : 1, 1);
	rc = S_run(&run, &c, plan, media, &pages_ok);
	S_disk_save(&run, dir, key, world, pages_ok);
	*checked = run.checked;
	for (w = 0; w < jobs; w++)
		buf_release(&run.wrecs[w]);
	free(run.wrecs);
	free(run.recs);
	free(run.taken);
	S_links_memo_free(run.old);
	free(c.t.v);
	S_links_release(&c);
	arena_release(&a);
	return rc;
}
