/*
 * model: from the list of content files to linked pages. Collecting needs
 * only file names; linking needs the parsed front matter (title, slug,
 * draft). Both are linear passes plus one sort, never a scan of all pages
 * per page.
 */
#include "model.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

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
			diag_error(pg->path, 0, 0,
				   "with 'translations: {layout: dir}' every file must be under content/LANG/ for a language of site.yaml");
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
	return 0;
}

int model_collect(struct site *site)
{
	size_t first, count, i;
	int rc = 0;

	count = source_prefix(site->src, "content/", &first);
	site->pages = xcalloc(count ? count : 1, sizeof(*site->pages));
	for (i = first; i < first + count; i++) {
		const struct source_file *f = &site->src->files[i];
		struct page *pg = &site->pages[site->npages];
		if (!str_ends(f->path, ".md"))
			continue;
		memset(pg, 0, sizeof(*pg));
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
 * A slug is segments of letters, digits, '-' and '_' (any non-ASCII UTF-8
 * letter too, so Chinese names work) joined by '/'. Never ".", "..", an
 * empty segment or an absolute path, so it cannot leave the output folder.
 */
static int S_slug_ok(const char *s)
{
	const char *seg = s;
	if (!*s)
		return 0;
	for (;; s++) {
		if (*s == '/' || !*s) {
			if (s == seg)
				return 0;
			if (!*s)
				return 1;
			seg = s + 1;
			continue;
		}
		if (!(isalnum((unsigned char)*s) || *s == '-' || *s == '_' || (unsigned char)*s >= 0x80))
			return 0;
	}
}

static const char *S_front_string(const struct page *pg, const char *key)
{
	const struct ynode *v = ynode_get(pg->front, key);
	return v && v->kind == YNODE_SCALAR ? v->str : NULL;
}

static int S_link_one(struct site *site, struct page *pg)
{
	const struct ynode *v;
	const char *slug = pg->id;
	struct buf url = BUF_INIT;

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
		if (v->kind != YNODE_SCALAR || !S_slug_ok(v->str)) {
			diag_error(pg->path, v->line, v->col,
				   "slug must be letters, digits, '-' and '_', with '/' between parts");
			return -1;
		}
		slug = v->str;
	} else if (!S_slug_ok(slug)) {
		diag_error(pg->path, 0, 0,
			   "the file name gives the URL '%s', which may only have letters, digits, '-' and '_'; rename the file or set 'slug:'",
			   slug);
		return -1;
	}
	pg->slug = arena_strdup(&site->arena, slug);

	buf_putc(&url, '/');
	if (!pg->lang->is_default)
		buf_printf(&url, "%s/", pg->lang->code);
	if (pg->section[0])
		buf_printf(&url, "%s/", pg->section);
	/* A section's own index.md is the section page: /talks/ */
	if (!(pg->section[0] && strcmp(pg->slug, "index") == 0 && !ynode_get(pg->front, "slug")))
		buf_printf(&url, "%s/", pg->slug);
	pg->url = arena_strdup(&site->arena, buf_cstr(&url));
	pg->out_path = arena_printf(&site->arena, "%sindex.html", pg->url + 1);
	pg->href = model_href(site, pg->url);
	buf_release(&url);
	return 0;
}

/* URLs compared as a reader's file system would: ASCII case folded. */
static int S_url_cmp(const void *a, const void *b)
{
	const struct page *x = *(const struct page *const *)a, *y = *(const struct page *const *)b;
	int c = strcasecmp(x->url, y->url);
	return c ? c : strcmp(x->path, y->path);
}

static int S_check_duplicates(struct site *site)
{
	struct page **v = xmalloc((site->npages ? site->npages : 1) * sizeof(*v));
	size_t i, n = 0;
	int rc = 0;

	for (i = 0; i < site->npages; i++)
		v[n++] = &site->pages[i];
	qsort(v, n, sizeof(*v), S_url_cmp);
	for (i = 1; i < n; i++) {
		if (strcasecmp(v[i - 1]->url, v[i]->url) == 0) {
			diag_error(v[i]->path, 0, 0, "'%s' and '%s' both make the page %s",
				   v[i - 1]->path, v[i]->path, v[i]->url);
			rc = -1;
		}
	}
	free(v);
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

static void S_link_translations(struct site *site)
{
	struct page **v = xmalloc((site->npages ? site->npages : 1) * sizeof(*v));
	size_t i, j, n = 0;

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
	free(v);
}

static void S_page_release(struct page *pg)
{
	ynode_free(pg->front);
	free(pg->html);
}

const char *model_href(struct site *site, const char *url)
{
	return arena_printf(&site->arena, "%s%s", site->root, url + 1);
}

/* The path of base_url: "https://example.org/sub/" -> "/sub/". */
static const char *S_root(struct site *site)
{
	const char *b = site->cfg->base_url, *p = strstr(b, "://");
	if (p && (p = strchr(p + 3, '/')) != NULL)
		return arena_strdup(&site->arena, p);
	return p ? "/" : arena_strdup(&site->arena, b);
}

int model_link(struct site *site)
{
	size_t i, n = 0;
	int rc = 0;

	site->root = S_root(site);
	for (i = 0; i < site->npages; i++) {
		struct page *pg = &site->pages[i];
		if (!pg->failed && S_link_one(site, pg)) {
			pg->failed = 1;
			rc = -1;
		}
	}
	/* From here on the site holds only the pages it will publish. */
	for (i = 0; i < site->npages; i++) {
		struct page *pg = &site->pages[i];
		if (pg->failed || (pg->draft && !site->drafts))
			S_page_release(pg);
		else
			site->pages[n++] = *pg;
	}
	site->npages = n;
	if (S_check_duplicates(site))
		rc = -1;
	S_link_translations(site);
	return rc;
}

void model_release(struct site *site)
{
	size_t i;
	for (i = 0; i < site->npages; i++)
		S_page_release(&site->pages[i]);
	free(site->pages);
	site->pages = NULL;
	site->npages = 0;
	arena_release(&site->arena);
}
