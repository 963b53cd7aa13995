/*
 * alias: the redirect pages of old addresses, and their clashes with the
 * rest of the site, found with one sort of every output's file name.
 */
#include "alias.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "escape.h"

/* An output file as a case-insensitive, normalising disk names it. */
struct alias_key {
	char *key;             /* model_fold of the file */
	const char *shown;     /* the file as the site has it */
	const struct page *pg; /* an alias's page, else NULL */
	const struct alias *a; /* the alias, or NULL for any other output */
};

static int S_key_cmp(const void *a, const void *b)
{
	const struct alias_key *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	/* other outputs first: the alias is the one reported */
	if (!x->a || !y->a)
		return !x->a ? (y->a ? -1 : 0) : 1;
	c = strcmp(x->pg->path, y->pg->path);
	return c ? c : (x->a->line - y->a->line);
}

static void S_push(struct alias_key **v, size_t *n, size_t *cap, const char *file, const struct page *pg,
		   const struct alias *a)
{
	ARRAY_GROW(*v, *n, *cap, 256);
	(*v)[*n].key = model_fold(file);
	(*v)[*n].shown = file;
	(*v)[*n].pg = pg;
	(*v)[(*n)++].a = a;
}

/* The first of v[0..n) whose key is at least key. */
static size_t S_lower(const struct alias_key *v, size_t n, const char *key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(v[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int alias_check(const struct site *site, const struct plan *plan, const struct media *media)
{
	struct alias_key *v = NULL;
	struct buf tmp = BUF_INIT;
	size_t n = 0, cap = 0, i, j;
	int rc = 0;

	/* every report is an alias's: without one, no output path need be folded and sorted */
	for (i = 0; i < plan->n && plan->v[i].kind != PLAN_ALIAS; i++)
		;
	if (i == plan->n)
		return 0;
	for (i = 0; i < plan->n; i++)
		S_push(&v, &n, &cap, plan->v[i].out_path,
		       plan->v[i].kind == PLAN_ALIAS ? plan->v[i].page : NULL,
		       plan->v[i].kind == PLAN_ALIAS ? plan->v[i].alias : NULL);
	(void)site;
	for (i = 0; i < media->nout; i++)
		S_push(&v, &n, &cap, media->by_out[i]->out_path, NULL, NULL);
	if (!n)
		goto done;
	qsort(v, n, sizeof(*v), S_key_cmp);
	for (i = 0; i < n; i++) {
		const struct alias *a = v[i].a;
		const char *slash;
		if (!a)
			continue;
		if (i > 0 && strcmp(v[i - 1].key, v[i].key) == 0) {
			if (v[i - 1].a)
				diag_error(
					v[i].pg->path, a->line, a->col,
					"alias '%s' is also an alias of %s (%s); an old address can lead to one page only",
					a->path, v[i - 1].pg->path, v[i - 1].a->path);
			else
				diag_error(
					v[i].pg->path, a->line, a->col,
					"alias '%s' would be written at %s, which the site already has (a page, "
					"list, feed or file; letter case aside); remove the alias",
					a->path, v[i - 1].shown);
			rc = -1;
			continue;
		}
		/* a folder on its way that is a file of the site */
		for (slash = strchr(v[i].key, '/'); slash; slash = strchr(slash + 1, '/')) {
			buf_reset(&tmp);
			buf_put(&tmp, v[i].key, (size_t)(slash - v[i].key));
			j = S_lower(v, n, buf_cstr(&tmp));
			if (j < n && strcmp(v[j].key, tmp.ptr) == 0) {
				diag_error(
					v[i].pg->path, a->line, a->col,
					"alias '%s' would be written below %s, which is a file of the site",
					a->path, v[j].shown);
				rc = -1;
				break;
			}
		}
		/* an alias file (old.html) where another output needs a folder */
		buf_reset(&tmp);
		buf_printf(&tmp, "%s/", v[i].key);
		j = S_lower(v, n, tmp.ptr);
		if (!slash && j < n && str_starts(v[j].key, tmp.ptr)) {
			diag_error(v[i].pg->path, a->line, a->col,
				   "alias '%s' would be written at %s, where %s needs a folder", a->path,
				   v[i].shown, v[j].shown);
			rc = -1;
		}
	}
done:
	for (i = 0; i < n; i++)
		free(v[i].key);
	free(v);
	buf_release(&tmp);
	return rc;
}

void alias_html(struct buf *out, const struct site *site, const struct page *pg, const struct alias *a)
{
	(void)site;
	struct buf uri = BUF_INIT, canon = BUF_INIT;
	const char *title = pg->title ? pg->title : "";

	(void)a;
	buf_reset(out);
	/* the address as a browser fetches it: non-ASCII and spaces %XX, then HTML-escaped */
	escape_uri(&uri, pg->href, strlen(pg->href));
	escape_uri(&canon, pg->permalink, strlen(pg->permalink));
	buf_puts(out, "<!DOCTYPE html>\n<html lang=\"");
	escape_html(out, pg->lang->code, strlen(pg->lang->code));
	buf_puts(out, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	escape_html(out, title, strlen(title));
	buf_puts(out, "</title>\n<link rel=\"canonical\" href=\"");
	escape_html(out, canon.ptr, canon.len);
	buf_puts(
		out,
		"\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url=");
	escape_html(out, uri.ptr, uri.len);
	buf_puts(out, "\">\n</head>\n<body>\n<p><a href=\"");
	escape_html(out, uri.ptr, uri.len);
	buf_puts(out, "\">");
	escape_html(out, title, strlen(title));
	buf_puts(out, "</a></p>\n</body>\n</html>\n");
	buf_release(&uri);
	buf_release(&canon);
}
