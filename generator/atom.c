/*
 * atom: one Atom feed (RFC 4287) in a worker's buffer: the pages with a
 * date, newest first, at most ATOM_ENTRIES, each with its authors (the
 * first field that names people), its terms as categories and its summary.
 * Which pages a feed holds, its title and its file are the feeds stage's.
 */
#include "atom.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "ids.h"
#include "util.h"

#define SUMMARY_CHARS 300 /* an entry's summary, in characters */

static void S_xml(struct buf *b, const char *s)
{
	escape_xml(b, s, strlen(s));
}

static const char *S_site_title(const struct site *site, size_t lang)
{
	const struct lang *l = &site->cfg->langs[lang];
	return l->title ? l->title : site->cfg->title;
}

static const char *S_site_description(const struct site *site, size_t lang)
{
	const struct lang *l = &site->cfg->langs[lang];
	return l->description ? l->description : site->cfg->description;
}

/* The first field of pg that names people (refs to a type with role person). */
static const struct fval *S_people(const struct page *pg)
{
	size_t k;
	for (k = 0; pg->type && k < pg->type->nfields; k++) {
		const struct field *f = &pg->type->fields[k];
		if (f->to_person && pg->vals[k].nrefs)
			return &pg->vals[k];
	}
	return NULL;
}

/*
 * When pg last changed: its last commit (history), when that is after its
 * date t; a talk given in May and corrected in June was updated in June.
 */
static long long S_updated(const struct page *pg, long long t)
{
	return pg->updated != LLONG_MIN && pg->updated > t ? pg->updated : t;
}

static void S_atom_entry(struct buf *b, struct buf *tmp, const struct site *site, const unsigned char ns[16],
			 const struct page *pg, size_t lang)
{
	const struct fval *people = S_people(pg);
	long long t;
	size_t i;

	if (pg->lang != &site->cfg->langs[lang]) { /* an original listed for want of a translation */
		buf_puts(b, "<entry xml:lang=\"");
		S_xml(b, pg->lang->tag);
		buf_puts(b, "\">\n<title>");
	} else {
		buf_puts(b, "<entry>\n<title>");
	}
	S_xml(b, pg->title);
	buf_puts(b, "</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	ids_xml_url(b, tmp, site, pg->href);
	buf_puts(b, "\"/>\n<id>urn:uuid:");
	{
		struct buf name = BUF_INIT;
		buf_printf(&name, "page:%s:%s/%s", pg->lang->code, pg->section, pg->id);
		ids_uuid(b, ns, name.ptr);
		buf_release(&name);
	}
	buf_puts(b, "</id>\n");
	ids_page_time(site, pg, &t);
	buf_puts(b, "<published>");
	ids_rfc3339(b, site, t);
	buf_puts(b, "</published>\n<updated>");
	ids_rfc3339(b, site, S_updated(pg, t));
	buf_puts(b, "</updated>\n");
	for (i = 0; people && i < people->nrefs; i++) {
		buf_puts(b, "<author><name>");
		S_xml(b, people->refs[i]->title);
		buf_puts(b, "</name><uri>");
		ids_xml_url(b, tmp, site, people->refs[i]->href);
		buf_puts(b, "</uri></author>\n");
	}
	for (i = 0; i < pg->nterms; i++) {
		const struct term *tm = pg->terms[i];
		/* the scheme is the taxonomy's index: the term's URL less its slug */
		size_t n = strlen(tm->href) - strlen(tm->slug) - 1;
		char *index = xstrndup(tm->href, n);
		buf_puts(b, "<category term=\"");
		S_xml(b, tm->slug);
		buf_puts(b, "\" label=\"");
		S_xml(b, tm->name);
		buf_puts(b, "\" scheme=\"");
		ids_xml_url(b, tmp, site, index);
		buf_puts(b, "\"/>\n");
		free(index);
	}
	if (pg->summary && pg->summary[0]) {
		buf_puts(b, "<summary>");
		buf_reset(tmp);
		text_clip(tmp, pg->summary, strlen(pg->summary), SUMMARY_CHARS);
		escape_xml(b, buf_cstr(tmp), tmp->len);
		buf_puts(b, "</summary>\n");
	}
	buf_puts(b, "</entry>\n");
}

/*
 * The first entries of a list order that is total (model_list_cmp: the
 * path decides last) are the same whether the whole list is sorted or the
 * best few are kept as it is read: kept sorted, a page goes in only when
 * it comes before the last one kept, which is one comparison for most.
 */
size_t atom_top(struct page *const *pages, size_t n, struct page **top)
{
	size_t i, k = 0, lo, hi;

	for (i = 0; i < n; i++) {
		struct page *pg = pages[i];
		if (pg->date == LLONG_MIN)
			continue;
		if (k == ATOM_ENTRIES && model_list_cmp(&pg, &top[k - 1]) >= 0)
			continue;
		lo = 0;
		hi = k;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (model_list_cmp(&pg, &top[mid]) < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
		if (k < ATOM_ENTRIES)
			k++;
		memmove(top + lo + 1, top + lo, (k - 1 - lo) * sizeof(*top));
		top[lo] = pg;
	}
	return k;
}

void atom_feed(struct buf *b, struct buf *tmp, const struct site *site, const unsigned char ns[16],
	       const struct atom *a)
{
	struct page *v[ATOM_ENTRIES];
	const char *desc = S_site_description(site, a->lang);
	long long t, newest = LLONG_MIN;
	size_t i, n = atom_top(a->pages, a->n, v);

	for (i = 0; i < n; i++)
		if (!ids_page_time(site, v[i], &t) && (t = S_updated(v[i], t)) > newest)
			newest = t;
	if (newest == LLONG_MIN)
		newest = site->now >= 0 ? site->now : 0;

	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
	S_xml(b, site->cfg->langs[a->lang].tag);
	buf_puts(b, "\">\n<title>");
	S_xml(b, a->title);
	buf_puts(b, "</title>\n");
	if (desc && desc[0]) {
		buf_puts(b, "<subtitle>");
		S_xml(b, desc);
		buf_puts(b, "</subtitle>\n");
	}
	buf_puts(b, "<link rel=\"alternate\" type=\"text/html\" href=\"");
	ids_xml_url(b, tmp, site, a->html_href);
	buf_puts(b, "\"/>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	{
		struct buf href = BUF_INIT;
		buf_printf(&href, "%s%s", site->root, a->path);
		ids_xml_url(b, tmp, site, href.ptr);
		buf_reset(&href);
		buf_printf(&href, "feed:%s", a->path);
		buf_puts(b, "\"/>\n<id>urn:uuid:");
		ids_uuid(b, ns, href.ptr);
		buf_release(&href);
	}
	buf_puts(b, "</id>\n<updated>");
	ids_rfc3339(b, site, newest);
	buf_puts(b, "</updated>\n<author><name>");
	S_xml(b, S_site_title(site, a->lang)[0] ? S_site_title(site, a->lang) : site->cfg->base_url);
	buf_puts(b, "</name><uri>");
	ids_xml_url(b, tmp, site, site->root);
	buf_puts(b, "</uri></author>\n<generator>jixia</generator>\n");
	for (i = 0; i < n; i++)
		S_atom_entry(b, tmp, site, ns, v[i], a->lang);
	buf_puts(b, "</feed>\n");
}
