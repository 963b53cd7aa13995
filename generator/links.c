/*
 * links: one sorted table of every URL the site will have (pages, lists,
 * files), then one pass over every link. Links that leave the site
 * (a scheme, //host) are not followed: that would need the network.
 */
#include "links.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "escape.h"
#include "theme.h"
#include "util.h"

/* Outputs made by later stages, which links may point at. */
static const char *const S_reserved[] = {
	"search/", "contributors/", "l10n/", "sitemap.xml", "robots.txt", "404.html",
	"events.ics", NULL
};

struct url_table {
	const char **v; /* site-relative, no leading '/': "faq/x/", "assets/a.png" */
	size_t n, cap;
};

static void S_add(struct url_table *t, const char *u)
{
	if (t->n == t->cap)
		t->v = xrealloc(t->v, (t->cap = t->cap ? t->cap * 2 : 256) * sizeof(*t->v));
	t->v[t->n++] = u;
}

static int S_has(const struct url_table *t, const char *u)
{
	return bsearch(&u, t->v, t->n, sizeof(*t->v), str_ptr_cmp) != NULL;
}

/* The page whose source file is path (pages are sorted by path). */
static struct page *S_page_at(const struct site *site, const char *path, size_t n)
{
	size_t lo = 0, hi = site->npages;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(path, site->pages[mid].path, n);
		if (c == 0 && site->pages[mid].path[n])
			c = -1;
		if (c == 0)
			return &site->pages[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int S_has_anchor(const struct page *pg, const char *id)
{
	return bsearch(&id, pg->anchors, pg->nanchors, sizeof(*pg->anchors), str_ptr_cmp) != NULL;
}

/*
 * url resolved against base (a site URL like "/docs/a/" or a source folder
 * like "/content/docs/") into a site-relative path without the leading '/'
 * and without ?query or #fragment. Returns -1 when it climbs out.
 */
static int S_resolve(struct buf *out, const char *base, const char *url)
{
	struct buf tmp = BUF_INIT;
	int rc;

	if (url[0] != '/')
		buf_puts(&tmp, base);
	buf_put(&tmp, url, strcspn(url, "?#"));
	rc = path_normalize(out, buf_cstr(&tmp), tmp.len);
	buf_release(&tmp);
	return rc;
}

/* Every URL of the site, sorted. Strings live in arena or in the model. */
static void S_table(struct url_table *t, const struct site *site, const struct lists *lists,
		    struct arena *a)
{
	size_t i, root = strlen(site->root);
	const char *const *r;
	for (i = 0; i < site->npages; i++)
		S_add(t, site->pages[i].url + 1);
	for (i = 0; i < lists->n; i++)
		S_add(t, lists->v[i].href + root);
	for (i = 0; i < site->src->n; i++)
		S_add(t, site->src->files[i].path); /* assets/x.png, content/events/a/photo.jpg */
	for (i = 0; theme_files[i].path; i++)
		S_add(t, theme_files[i].path);
	for (i = 0; i < site->cfg->nlangs; i++)
		for (r = S_reserved; *r; r++)
			S_add(t, site->cfg->langs[i].is_default ? *r
								: arena_printf(a, "%s/%s", site->cfg->langs[i].code, *r));
	qsort(t->v, t->n, sizeof(*t->v), str_ptr_cmp);
}

/* where names a URL of the site, as written or as a folder ("x" for "x/"). */
static int S_found(const struct url_table *t, struct buf *where)
{
	size_t n = where->len;
	if (S_has(t, buf_cstr(where)))
		return 1;
	/* Feeds beside each list ("tags/x/atom.xml") and calendars beside each
	 * event ("events/x.ics") are written by the feeds stage. */
	if (n >= 8 && strcmp(where->ptr + n - 8, "atom.xml") == 0) {
		where->ptr[n - 8] = '\0';
		if (n == 8 || S_has(t, where->ptr))
			return 1;
		where->ptr[n - 8] = 'a';
	} else if (n > 4 && strcmp(where->ptr + n - 4, ".ics") == 0) {
		where->ptr[n - 4] = '/';
		where->ptr[n - 3] = '\0';
		if (S_has(t, where->ptr))
			return 1;
		memcpy(where->ptr + n - 4, ".ics", 5);
	}
	if (where->ptr[where->len - 1] == '/')
		return 0;
	buf_putc(where, '/');
	return S_has(t, buf_cstr(where));
}

static int S_check_one(const struct site *site, const struct url_table *t, struct page *pg,
		       const struct link *l)
{
	const char *frag = strchr(l->url, '#');
	struct buf where = BUF_INIT, base = BUF_INIT;
	int ok = 1;

	if (l->md) {
		size_t n = frag ? (size_t)(frag - l->url) : strlen(l->url);
		struct page *to = S_page_at(site, l->url, n);
		if (!to) {
			diag_error(pg->path, l->line, l->col, "link to %.*s, which is not a page of this site",
				   (int)n, l->url);
			ok = 0;
		} else if (frag && frag[1] && !S_has_anchor(to, frag + 1)) {
			diag_error(pg->path, l->line, l->col, "link to %s: %s has no heading with id '%s'",
				   l->url, to->path, frag + 1);
			ok = 0;
		}
	} else if (l->url[0] == '#') {
		if (l->url[1] && !S_has_anchor(pg, l->url + 1)) {
			diag_error(pg->path, l->line, l->col, "link to '%s': this page has no heading with that id",
				   l->url);
			ok = 0;
		}
	} else if (!url_is_external(l->url)) {
		/* Images are files beside the page's file; links are pages relative to its URL. */
		if (l->image)
			buf_printf(&base, "/%.*s", (int)(strrchr(pg->path, '/') + 1 - pg->path), pg->path);
		else
			buf_puts(&base, pg->url);
		if (S_resolve(&where, buf_cstr(&base), l->url) != 0) {
			diag_error(pg->path, l->line, l->col, "%s '%s' points outside the site",
				   l->image ? "image" : "link", l->url);
			ok = 0;
		} else if (where.len && !S_found(t, &where)) {
			diag_error(pg->path, l->line, l->col, "%s '%s' leads nowhere: there is no %s",
				   l->image ? "image" : "link", l->url,
				   l->image ? "such file" : "page or file at that address");
			ok = 0;
		}
	}
	buf_release(&where);
	buf_release(&base);
	return ok;
}

/* Replaces each "jixia-md:PATH[#frag]" href with the target's URL. */
static void S_rewrite(const struct site *site, struct page *pg)
{
	static const char mark[] = "href=\"jixia-md:";
	struct buf b = BUF_INIT;
	const char *p = pg->html, *hit;

	while ((hit = strstr(p, mark)) != NULL) {
		const char *path = hit + sizeof(mark) - 1;
		size_t n = strcspn(path, "#\"");
		const struct page *to = S_page_at(site, path, n);
		buf_put(&b, p, (size_t)(hit - p));
		buf_printf(&b, "href=\"%s", to ? to->href : "#");
		p = path + n;
	}
	buf_puts(&b, p);
	free(pg->html);
	pg->html = buf_detach(&b, &pg->html_len);
}

int links_check(struct site *site, const struct lists *lists)
{
	struct url_table t = { NULL, 0, 0 };
	struct arena a = ARENA_INIT;
	size_t i, k;
	int rc = 0;

	S_table(&t, site, lists, &a);
	for (i = 0; i < site->npages; i++) {
		struct page *pg = &site->pages[i];
		for (k = 0; k < pg->nlinks; k++)
			if (!S_check_one(site, &t, pg, &pg->links[k]))
				rc = -1;
		if (pg->md_links)
			S_rewrite(site, pg);
	}
	free(t.v);
	arena_release(&a);
	return rc;
}
