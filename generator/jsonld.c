/*
 * jsonld: one <script type="application/ld+json"> per schema.org node, each
 * with its own @context and @type, so a crawler (or a test) can read each
 * block alone. What a node holds follows the properties search engines ask
 * for: an Event has a name, a startDate and a location (a venue's own
 * Place when it names one), a Place a name and an address, an FAQPage's
 * questions an accepted answer, a BreadcrumbList an item URL per step.
 * Values a contributor wrote go through escape_json, which writes < > & as
 * \u003c \u003e \u0026: nothing inside a block can end the script element.
 */
#include "jsonld.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "escape.h"
#include "ids.h"
#include "spdx.h"
#include "types.h"
#include "spill.h"

#define HEADLINE_CHARS 110    /* search engines cut longer article headlines */
#define ANSWER_CHARS 5000     /* an FAQ page's answer */
#define LIST_ANSWER_CHARS 500 /* an answer on the FAQ list */
#define DESCRIPTION_CHARS 300

/* A JSON writer: commas between members and items, nesting up to MAXD. */
#define MAXD 16
struct json {
	struct buf *b;
	const struct site *site;
	int depth;
	int after_key;  /* a key was written: its value needs no comma */
	int more[MAXD]; /* per depth: a member or item was written */
};

static void S_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->more[j->depth])
		buf_putc(j->b, ',');
	j->more[j->depth] = 1;
}

static void S_open(struct json *j, int c)
{
	S_sep(j);
	buf_putc(j->b, c);
	j->more[++j->depth] = 0;
}

static void S_close(struct json *j, int c)
{
	buf_putc(j->b, c);
	j->depth--;
}

static void S_key(struct json *j, const char *k)
{
	S_sep(j);
	buf_putc(j->b, '"');
	buf_puts(j->b, k);
	buf_put(j->b, "\":", 2);
	j->after_key = 1;
}

static void S_str(struct json *j, const char *s, size_t n)
{
	S_sep(j);
	buf_putc(j->b, '"');
	escape_json(j->b, s, n);
	buf_putc(j->b, '"');
}

static void S_knum(struct json *j, const char *k, long long v)
{
	S_key(j, k);
	S_sep(j);
	buf_printf(j->b, "%lld", v);
}

static void S_kv(struct json *j, const char *k, const char *s)
{
	S_key(j, k);
	S_str(j, s, strlen(s));
}

static void S_kvn(struct json *j, const char *k, const char *s, size_t n)
{
	S_key(j, k);
	S_str(j, s, n);
}

/* An absolute URL of href (under the base path). */
static void S_kurl(struct json *j, const char *k, const char *href)
{
	struct buf u = BUF_INIT;
	ids_url(&u, j->site, href);
	S_kvn(j, k, u.ptr, u.len);
	buf_release(&u);
}

/*
 * A URL field's value as the links stage resolved it: a file or page of
 * the site by its href under the base path, anything else as written.
 */
static const char *S_url(const struct page *pg, const char *name)
{
	const struct fval *v = page_value(pg, name);
	if (!v || !v->node || v->node->kind != YNODE_SCALAR)
		return NULL;
	return v->hrefs ? v->hrefs[0] : v->node->str;
}

/* A resolved URL (S_url, struct picture), absolute. */
static void S_kurl_field(struct json *j, const char *k, const char *s)
{
	struct buf u = BUF_INIT;
	ids_any_url(&u, j->site, s);
	S_kvn(j, k, u.ptr, u.len);
	buf_release(&u);
}

/* Plain text cut to max characters (text_clip). */
static void S_kclip(struct json *j, const char *k, const char *s, size_t n, size_t max)
{
	struct buf t = BUF_INIT;
	text_clip(&t, s, n, max);
	S_kvn(j, k, buf_cstr(&t), t.len);
	buf_release(&t);
}

static void S_script_open(struct json *j, const char *type)
{
	buf_puts(j->b, "<script type=\"application/ld+json\">");
	j->depth = 0;
	j->after_key = 0;
	j->more[0] = 0;
	S_open(j, '{');
	S_kv(j, "@context", "https://schema.org");
	S_kv(j, "@type", type);
}

static void S_script_close(struct json *j)
{
	S_close(j, '}');
	buf_puts(j->b, "</script>\n");
}

/* --- values from the model ---------------------------------------------- */

static const struct ynode *S_scalar(const struct page *pg, const char *name)
{
	const struct fval *v = page_value(pg, name);
	if (!v || !v->node || v->node->kind != YNODE_SCALAR || !v->node->len)
		return NULL;
	return v->node;
}

static const char *S_site_title(const struct site *site, const struct lang *l)
{
	return l->title ? l->title : site->cfg->title;
}

static const char *S_home(const struct site *site, const struct lang *l, struct buf *b)
{
	buf_reset(b);
	buf_printf(b, "%s%s", site->root, l->prefix);
	return b->ptr;
}

/* A date field in ISO 8601: a day as written, a datetime in RFC 3339. */
static int S_kdate(struct json *j, const char *k, const struct page *pg, const char *name)
{
	const struct field *f = pg->type ? type_field(pg->type, name) : NULL;
	const struct fval *v = page_value(pg, name);
	struct buf t = BUF_INIT;
	if (!f || !v || !v->node)
		return 0;
	if (f->kind == FIELD_DATE && v->timed) {
		/* a date with a time of day: at the offset of the zone it was given in */
		long long local = v->at + (long long)v->at_off * 60, days = ids_floor_div(local, 86400);
		long long rem = local - days * 86400;
		int y, m, d, off = v->at_off < 0 ? -v->at_off : v->at_off;
		civil_from_days(days, &y, &m, &d);
		buf_printf(&t, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, (int)(rem / 3600),
			   (int)(rem / 60 % 60), (int)(rem % 60));
		if (v->at_off)
			buf_printf(&t, "%c%02d:%02d", v->at_off < 0 ? '-' : '+', off / 60, off % 60);
		else
			buf_putc(&t, 'Z');
		S_kvn(j, k, t.ptr, t.len);
	} else if (f->kind == FIELD_DATE)
		S_kvn(j, k, v->node->str, v->node->len);
	else if (f->kind == FIELD_DATETIME) {
		ids_rfc3339(&t, j->site, v->num);
		S_kvn(j, k, t.ptr, t.len);
	} else
		return 0;
	buf_release(&t);
	return 1;
}

/*
 * The schema.org type of an organisation: the subtype its kind names
 * where schema.org has one that means just that (a university, a
 * government body), else Organization. A page of a type without schema
 * Organization that an org field names is an Organization too.
 */
static const char *S_org_type(const struct page *org)
{
	const struct ynode *kind = S_scalar(org, "kind");
	if (!org->type || org->type->roles.schema != SCHEMA_ORGANIZATION || !kind)
		return "Organization";
	if (strcmp(kind->str, "university") == 0)
		return "CollegeOrUniversity";
	if (strcmp(kind->str, "government") == 0)
		return "GovernmentOrganization";
	return "Organization";
}

/* An organisation's url: its own website, else its page here; the same wherever it is named. */
static void S_korg_url(struct json *j, const struct page *org)
{
	const char *web = S_url(org, "website");
	if (web && web[0])
		S_kurl_field(j, "url", web);
	else
		S_kurl(j, "url", org->href);
}

/* {"@type", "name", "url" of an organisation a ref field names, left open for more. */
static void S_org_open(struct json *j, const struct page *org)
{
	S_open(j, '{');
	S_kv(j, "@type", S_org_type(org));
	S_kv(j, "name", org->title);
	S_korg_url(j, org);
}

/* {"@type", "name", "url"} of an organisation a ref field names. */
static void S_org_ref(struct json *j, const struct page *org)
{
	S_org_open(j, org);
	S_close(j, '}');
}

/*
 * The organisations the ref field (or list of refs) name of pg names;
 * NULL when none, or when the field refers to people (a site's webinar
 * whose hosts are people): those are the people role's.
 */
static const struct fval *S_refs(const struct page *pg, const char *name)
{
	const struct field *f = pg->type ? type_field(pg->type, name) : NULL;
	const struct fval *v = page_value(pg, name);
	if (!f || f->to_person || f->people != PEOPLE_NONE)
		return NULL;
	return v && v->node && v->nrefs ? v : NULL;
}

/*
 * "k": [{"@type": "Person", "name", "url"}] from the fields of pg whose
 * people play part (role people; PEOPLE_NONE: none), then the
 * organisations the ref field orgs names (or NULL); nothing when they
 * name no one.
 */
static void S_kparties(struct json *j, const char *k, const struct page *pg, enum people_part part,
		       const char *orgs)
{
	const struct fval *o = orgs ? S_refs(pg, orgs) : NULL;
	size_t f, i, n = 0;
	for (f = 0; pg->type && part != PEOPLE_NONE && f < pg->type->nfields; f++) {
		const struct fval *v = &pg->vals[f];
		if (pg->type->fields[f].people != part)
			continue;
		for (i = 0; i < v->nrefs; i++) {
			if (n++ == 0) {
				S_key(j, k);
				S_open(j, '[');
			}
			S_open(j, '{');
			S_kv(j, "@type", "Person");
			S_kv(j, "name", v->refs[i]->title);
			S_kurl(j, "url", v->refs[i]->href);
			S_close(j, '}');
		}
	}
	for (i = 0; o && i < o->nrefs; i++) {
		if (n++ == 0) {
			S_key(j, k);
			S_open(j, '[');
		}
		S_org_ref(j, o->refs[i]);
	}
	if (n)
		S_close(j, ']');
}

static void S_kpeople(struct json *j, const char *k, const struct page *pg, enum people_part part)
{
	S_kparties(j, k, pg, part, NULL);
}

/* The site as publisher. */
static void S_kpublisher(struct json *j, const struct lang *l)
{
	struct buf home = BUF_INIT;
	const char *title = S_site_title(j->site, l);
	if (!title[0])
		return;
	S_key(j, "publisher");
	S_open(j, '{');
	S_kv(j, "@type", "Organization");
	S_kv(j, "name", title);
	S_kurl(j, "url", S_home(j->site, l, &home));
	S_close(j, '}');
	buf_release(&home);
}

/* A tag that ends a block of text (a paragraph, an item, a cell...), as opposed to <em>. */
static int S_block_tag(const char *tag, size_t n)
{
	static const char *const inline_tags[] = { "a",      "abbr", "b",   "code", "del", "em",
						   "i",      "img",  "kbd", "mark", "s",   "span",
						   "strong", "sub",  "sup", "u",    NULL };
	size_t i, len;
	if (n && tag[0] == '/')
		tag++, n--;
	for (len = 0; len < n && tag[len] != ' ' && tag[len] != '/' && tag[len] != '\t' && tag[len] != '\n';
	     len++)
		;
	if (len == 0 || len > 6) /* no name of the list: not looked up (every tag of every answer is) */
		return 1;
	for (i = 0; inline_tags[i]; i++)
		if (inline_tags[i][0] == tag[0] && strlen(inline_tags[i]) == len &&
		    memcmp(tag, inline_tags[i], len) == 0)
			return 0;
	return 1;
}

/*
 * The text of HTML the generator made (a rendered body): tags become
 * spaces, the entities cmark writes are decoded, and text_clip cuts it.
 * text_clip reads its text from the start and stops at the cut, so only
 * a prefix is made: when a clip of the text so far cuts, the clip of the
 * whole would cut at the same place (a character cut short at the
 * prefix's end comes after the cut); when it does not, twice as much
 * more. An answer on a page of 10,000 FAQ items is read up to its first
 * 5,000 characters, not through a body of any length, and every page of
 * the FAQ list reads 500 of each of its items.
 */
void jsonld_html_text(struct buf *out, const char *html, size_t n, size_t max)
{
	struct buf t = BUF_INIT;
	size_t i = 0, start = out->len, upto = max < (SIZE_MAX - 64) / 4 ? 4 * max + 64 : SIZE_MAX;
	while (i < n) {
		if (t.len >= upto) {
			if (text_clip(out, t.ptr, t.len, max))
				goto done;
			out->len = start;
			if (out->cap)
				out->ptr[start] = '\0';
			upto = t.len * 2;
		}
		if (html[i] == '<') {
			const char *e = memchr(html + i, '>', n - i);
			if (S_block_tag(html + i + 1, e ? (size_t)(e - html - i - 1) : 0))
				buf_putc(&t, ' ');
			i = e ? (size_t)(e - html) + 1 : n;
		} else if (html[i] == '&') {
			const char *e = memchr(html + i, ';', n - i < 12 ? n - i : 12);
			size_t len = e ? (size_t)(e - html - i) + 1 : 0;
			utf8proc_int32_t cp = -1;
			if (len == 5 && !memcmp(html + i, "&amp;", 5))
				cp = '&';
			else if (len == 4 && !memcmp(html + i, "&lt;", 4))
				cp = '<';
			else if (len == 4 && !memcmp(html + i, "&gt;", 4))
				cp = '>';
			else if (len == 6 && !memcmp(html + i, "&quot;", 6))
				cp = '"';
			else if (len > 3 && html[i + 1] == '#') {
				int hex = html[i + 2] == 'x' || html[i + 2] == 'X';
				cp = (utf8proc_int32_t)strtol(html + i + 2 + hex, NULL, hex ? 16 : 10);
			}
			if (cp > 0 && utf8proc_codepoint_valid(cp)) {
				utf8proc_uint8_t enc[4];
				buf_put(&t, enc, (size_t)utf8proc_encode_char(cp, enc));
				i += len;
			} else {
				buf_putc(&t, '&');
				i++;
			}
		} else {
			/* a run of text up to the next tag or entity in one put */
			size_t run = i + 1;
			while (run < n && html[run] != '<' && html[run] != '&')
				run++;
			buf_put(&t, html + i, run - i);
			i = run;
		}
	}
	text_clip(out, buf_cstr(&t), t.len, max);
done:
	buf_release(&t);
}

/* A Question with its accepted Answer. */
static void S_question(struct json *j, const struct page *pg, size_t max)
{
	struct buf text = BUF_INIT;
	S_open(j, '{');
	S_kv(j, "@type", "Question");
	S_kv(j, "name", pg->title);
	S_key(j, "acceptedAnswer");
	S_open(j, '{');
	S_kv(j, "@type", "Answer");
	if (pg->html_len) {
		char *owned; /* a plain build's body may be in its file (spill.h) */
		jsonld_html_text(&text, page_html(pg, &owned), pg->html_len, max);
		free(owned);
	}
	if (!text.len && pg->summary)
		buf_puts(&text, pg->summary);
	if (!text.len) /* an answer must have text; an empty body answers with the question */
		buf_puts(&text, pg->title);
	S_kvn(j, "text", text.ptr, text.len);
	S_kurl(j, "url", pg->href);
	S_kpeople(j, "author", pg, PEOPLE_AUTHOR);
	S_close(j, '}');
	S_close(j, '}');
	buf_release(&text);
}

/* --- one node per kind of page ------------------------------------------ */

static void S_common(struct json *j, const struct page *pg)
{
	S_kurl(j, "url", pg->href);
	S_kv(j, "inLanguage", pg->lang->tag);
	if (pg->summary && pg->summary[0])
		S_kclip(j, "description", pg->summary, strlen(pg->summary), DESCRIPTION_CHARS);
}

/*
 * The members of a Place made of a page (a venue: role schema Place): its
 * name, page, address (address, and city, else the city given) and map.
 */
static void S_place_members(struct json *j, const struct page *pl, const struct ynode *city)
{
	const struct ynode *addr = S_scalar(pl, "address"), *own = S_scalar(pl, "city");
	const char *map = S_url(pl, "map");

	if (own)
		city = own;
	S_kv(j, "name", pl->title);
	S_kurl(j, "url", pl->href);
	if (addr || city) {
		S_key(j, "address");
		S_open(j, '{');
		S_kv(j, "@type", "PostalAddress");
		if (addr)
			S_kvn(j, "streetAddress", addr->str, addr->len);
		if (city)
			S_kvn(j, "addressLocality", city->str, city->len);
		S_close(j, '}');
	}
	if (map && map[0])
		S_kurl_field(j, "hasMap", map);
}

/* The page a ref field names (not its text when it may be text), or NULL. */
static const struct page *S_ref(const struct page *pg, const char *name)
{
	const struct fval *v = page_value(pg, name);
	return v && v->nrefs ? v->refs[0] : NULL;
}

static void S_event(struct json *j, const struct page *pg)
{
	const struct ynode *venue = S_scalar(pg, "venue"), *city = S_scalar(pg, "city");
	const struct ynode *online = S_scalar(pg, "online_url"), *kind = S_scalar(pg, "kind");
	const struct ynode *reg = S_scalar(pg, "registration");
	const struct page *place = S_ref(pg, "venue");
	int in_person = venue || city;
	int remote = online || (kind && strstr(kind->str, "online"));

	S_script_open(j, "Event");
	S_kv(j, "name", pg->title);
	S_common(j, pg);
	S_kdate(j, "startDate", pg, pg->type->roles.date);
	S_kdate(j, "endDate", pg, "end_date");
	S_kv(j, "eventStatus", "https://schema.org/EventScheduled");
	S_kv(j, "eventAttendanceMode",
	     in_person && remote ? "https://schema.org/MixedEventAttendanceMode"
	     : remote            ? "https://schema.org/OnlineEventAttendanceMode"
				 : "https://schema.org/OfflineEventAttendanceMode");
	if (in_person || remote) {
		S_key(j, "location");
		S_open(j, '[');
		if (place) { /* a venue of the site: its own Place */
			S_open(j, '{');
			S_kv(j, "@type", "Place");
			S_place_members(j, place, city);
			S_close(j, '}');
		} else if (in_person) {
			S_open(j, '{');
			S_kv(j, "@type", "Place");
			S_kvn(j, "name", venue ? venue->str : city->str, venue ? venue->len : city->len);
			S_key(j, "address");
			S_open(j, '{');
			S_kv(j, "@type", "PostalAddress");
			if (venue)
				S_kvn(j, "streetAddress", venue->str, venue->len);
			if (city)
				S_kvn(j, "addressLocality", city->str, city->len);
			S_close(j, '}');
			S_close(j, '}');
		}
		if (remote) {
			const char *u = S_url(pg, online ? "online_url" : "registration");
			S_open(j, '{');
			S_kv(j, "@type", "VirtualLocation");
			if (u && u[0])
				S_kurl_field(j, "url", u);
			else
				S_kurl(j, "url", pg->href);
			S_close(j, '}');
		}
		S_close(j, ']');
	}
	S_kparties(j, "organizer", pg, PEOPLE_ORGANIZER, "hosts");
	S_kparties(j, "sponsor", pg, PEOPLE_NONE, "sponsors");
	S_kpeople(j, "performer", pg, PEOPLE_SPEAKER);
	if (pg->image.href || pg->first_image.href)
		S_kurl_field(j, "image", pg->image.href ? pg->image.href : pg->first_image.href);
	if (reg) {
		S_key(j, "offers");
		S_open(j, '{');
		S_kv(j, "@type", "Offer");
		S_kurl_field(j, "url", S_url(pg, "registration"));
		S_close(j, '}');
	}
	S_script_close(j);
}

static void S_faq(struct json *j, const struct page *pg)
{
	S_script_open(j, "FAQPage");
	S_kurl(j, "url", pg->href);
	S_kv(j, "inLanguage", pg->lang->tag);
	S_key(j, "mainEntity");
	S_open(j, '[');
	S_question(j, pg, ANSWER_CHARS);
	S_close(j, ']');
	S_script_close(j);
}

/* Docs (TechArticle) and case studies (Article). */
static void S_article(struct json *j, const struct page *pg, const char *type)
{
	const struct ynode *company = S_scalar(pg, "company");
	const struct fval *org = S_refs(pg, "org");
	S_script_open(j, type);
	S_kclip(j, "headline", pg->title, strlen(pg->title), HEADLINE_CHARS);
	S_kv(j, "name", pg->title);
	S_common(j, pg);
	S_kdate(j, "datePublished", pg, pg->type->roles.date);
	S_kpeople(j, "author", pg, PEOPLE_AUTHOR);
	if (org) { /* the organisation's page says more than the company's name */
		S_key(j, "about");
		S_org_ref(j, org->refs[0]);
	} else if (company) {
		S_key(j, "about");
		S_open(j, '{');
		S_kv(j, "@type", "Organization");
		S_kvn(j, "name", company->str, company->len);
		S_close(j, '}');
	}
	S_kpublisher(j, pg->lang);
	S_script_close(j);
}

static void S_person(struct json *j, const struct page *pg)
{
	const struct ynode *bio = S_scalar(pg, "bio"), *company = S_scalar(pg, "company");
	const struct ynode *city = S_scalar(pg, "city"), *avatar = S_scalar(pg, "avatar");
	const struct fval *links = page_value(pg, "links"), *org = S_refs(pg, "org");

	S_script_open(j, "Person");
	S_kv(j, "name", pg->title);
	S_kurl(j, "url", pg->href);
	if (bio)
		S_kclip(j, "description", bio->str, bio->len, DESCRIPTION_CHARS);
	else if (pg->summary && pg->summary[0])
		S_kclip(j, "description", pg->summary, strlen(pg->summary), DESCRIPTION_CHARS);
	if (org) {
		S_key(j, "worksFor");
		S_org_ref(j, org->refs[0]);
	} else if (company) {
		S_key(j, "worksFor");
		S_open(j, '{');
		S_kv(j, "@type", "Organization");
		S_kvn(j, "name", company->str, company->len);
		S_close(j, '}');
	}
	if (city) {
		S_key(j, "homeLocation");
		S_open(j, '{');
		S_kv(j, "@type", "Place");
		S_kvn(j, "name", city->str, city->len);
		S_close(j, '}');
	}
	if (avatar && avatar->len)
		S_kurl_field(j, "image", S_url(pg, "avatar"));
	if (links && links->node && links->node->kind == YNODE_SEQ && links->node->n) {
		size_t i;
		S_key(j, "sameAs");
		S_open(j, '[');
		for (i = 0; i < links->node->n; i++) {
			const struct ynode *u = links->node->kids[i];
			const char *href = links->hrefs ? links->hrefs[i] : u->str;
			struct buf e = BUF_INIT;
			if (u->kind != YNODE_SCALAR || !href[0])
				continue;
			ids_any_url(&e, j->site, href);
			S_str(j, buf_cstr(&e), e.len);
			buf_release(&e);
		}
		S_close(j, ']');
	}
	S_script_close(j);
}

/* An organisation's own page: who it is, where, its logo. */
static void S_org(struct json *j, const struct page *pg)
{
	const struct ynode *desc = S_scalar(pg, "description"), *city = S_scalar(pg, "city");
	const char *logo = S_url(pg, "logo");

	S_script_open(j, S_org_type(pg));
	S_kv(j, "name", pg->title);
	S_korg_url(j, pg);
	S_kurl(j, "mainEntityOfPage", pg->href);
	if (desc)
		S_kclip(j, "description", desc->str, desc->len, DESCRIPTION_CHARS);
	else if (pg->summary && pg->summary[0])
		S_kclip(j, "description", pg->summary, strlen(pg->summary), DESCRIPTION_CHARS);
	if (logo && logo[0])
		S_kurl_field(j, "logo", logo);
	if (city) {
		S_key(j, "address");
		S_open(j, '{');
		S_kv(j, "@type", "PostalAddress");
		S_kvn(j, "addressLocality", city->str, city->len);
		S_close(j, '}');
	}
	S_script_close(j);
}

/*
 * A venue: the Place, with its capacity, photos and equipment (each an
 * amenityFeature named by its UI string in the page's language).
 */
static void S_place(struct json *j, const struct theme *theme, const struct page *pg)
{
	const struct ynode *capacity = S_scalar(pg, "capacity");
	const struct fval *equipment = page_value(pg, "equipment");
	size_t lang = (size_t)(pg->lang - j->site->cfg->langs), i, k, n = 0;

	S_script_open(j, "Place");
	S_place_members(j, pg, NULL);
	if (pg->summary && pg->summary[0])
		S_kclip(j, "description", pg->summary, strlen(pg->summary), DESCRIPTION_CHARS);
	if (capacity && page_value(pg, "capacity")->num > 0)
		S_knum(j, "maximumAttendeeCapacity", page_value(pg, "capacity")->num);
	/* every picture (role pictures: the photos), else the body's first */
	for (k = 0; k < pg->type->nfields; k++) {
		const struct fval *v = &pg->vals[k];
		if (!pg->type->fields[k].picture || !v->node || !v->hrefs)
			continue;
		for (i = 0; i < (v->node->kind == YNODE_SEQ ? v->node->n : 1); i++) {
			struct buf u = BUF_INIT;
			if (!v->hrefs[i][0] || !url_is_safe(v->hrefs[i], strlen(v->hrefs[i])))
				continue;
			if (n++ == 0) {
				S_key(j, "image");
				S_open(j, '[');
			}
			ids_any_url(&u, j->site, v->hrefs[i]);
			S_str(j, u.ptr, u.len);
			buf_release(&u);
		}
	}
	if (n)
		S_close(j, ']');
	else if (pg->first_image.href)
		S_kurl_field(j, "image", pg->first_image.href);
	if (equipment && equipment->node && equipment->node->kind == YNODE_SEQ && equipment->node->n) {
		struct buf key = BUF_INIT;
		S_key(j, "amenityFeature");
		S_open(j, '[');
		for (i = 0; i < equipment->node->n; i++) {
			const struct ynode *x = equipment->node->kids[i];
			const char *label;
			buf_reset(&key);
			buf_printf(&key, "equipment_%s", x->str);
			label = theme_string(theme, j->site->cfg, lang, key.ptr, key.len);
			S_open(j, '{');
			S_kv(j, "@type", "LocationFeatureSpecification");
			S_kv(j, "name", label ? label : x->str);
			S_key(j, "value");
			S_sep(j);
			buf_puts(j->b, "true");
			S_close(j, '}');
		}
		S_close(j, ']');
		buf_release(&key);
	}
	S_script_close(j);
}

static void S_video(struct json *j, const struct page *pg)
{
	const struct ynode *duration = S_scalar(pg, "duration");
	S_script_open(j, "VideoObject");
	S_kv(j, "name", pg->title);
	S_kclip(j, "description", pg->summary && pg->summary[0] ? pg->summary : pg->title,
		strlen(pg->summary && pg->summary[0] ? pg->summary : pg->title), DESCRIPTION_CHARS);
	S_kdate(j, "uploadDate", pg, pg->type->roles.date);
	S_kurl_field(j, "url", S_url(pg, pg->type->roles.video));
	S_kv(j, "inLanguage", pg->lang->tag);
	if (duration) {
		const struct fval *v = page_value(pg, "duration");
		if (v->num > 0) {
			char d[32];
			snprintf(d, sizeof d, "PT%lldM", v->num);
			S_kv(j, "duration", d);
		}
	}
	S_kpeople(j, "creator", pg, PEOPLE_SPEAKER);
	S_script_close(j);
}

/*
 * schema.org's employmentType for an enum value of a job's kind: the value
 * upper-cased with '_' for '-' (full-time: FULL_TIME; internship and
 * contract as schema.org spells them), OTHER when schema.org has no such.
 */
static void S_kemployment(struct json *j, const struct ynode *kind)
{
	static const char *const known[] = { "FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY",
					     "INTERN",    "VOLUNTEER", "PER_DIEM",   NULL };
	static const char *const alias[][2] = { { "INTERNSHIP", "INTERN" }, { "CONTRACT", "CONTRACTOR" } };
	const char *v, *const *k;
	struct buf t = BUF_INIT;
	size_t i;

	for (i = 0; i < kind->len; i++) {
		char c = kind->str[i];
		buf_putc(&t, c == '-' || c == ' ' ? '_' : c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c);
	}
	v = buf_cstr(&t);
	for (i = 0; i < sizeof alias / sizeof *alias; i++)
		if (strcmp(v, alias[i][0]) == 0)
			v = alias[i][1];
	for (k = known; *k && strcmp(*k, v) != 0; k++)
		;
	S_kv(j, "employmentType", *k ? *k : "OTHER");
	buf_release(&t);
}

/*
 * The hiring organisation: the org an `org` ref names (as wherever an org
 * is named, and its picture), else the name written in `org` or `company`.
 */
static void S_khiring(struct json *j, const struct page *pg)
{
	const struct fval *org = page_value(pg, "org");
	const struct page *to = org && org->nrefs ? org->refs[0] : NULL;
	const struct ynode *name = to ? NULL : S_scalar(pg, "org");

	if (!to && !name && !(name = S_scalar(pg, "company")))
		return;
	S_key(j, "hiringOrganization");
	if (to) {
		S_org_open(j, to);
		if (to->image.href)
			S_kurl_field(j, "logo", to->image.href);
	} else {
		S_open(j, '{');
		S_kv(j, "@type", "Organization");
		S_kvn(j, "name", name->str, name->len);
	}
	S_close(j, '}');
}

/*
 * A job posting (role schema JobPosting), written only while it is open:
 * validThrough is the field of role expires, a day to its last second in
 * the site's time zone; a city is its jobLocation, `remote: true` makes it
 * TELECOMMUTE; `apply` (a URL or a mailto:) is the application contact.
 */
static void S_job(struct json *j, const struct page *pg)
{
	const struct type_roles *r = &pg->type->roles;
	const struct ynode *city = S_scalar(pg, "city"), *kind = S_scalar(pg, "kind");
	const struct fval *remote = page_value(pg, "remote");
	const struct field *ef = r->expires ? type_field(pg->type, r->expires) : NULL;
	const struct fval *ev = r->expires ? page_value(pg, r->expires) : NULL;
	const char *apply = S_url(pg, "apply");
	struct buf text = BUF_INIT;

	S_script_open(j, "JobPosting");
	S_kv(j, "title", pg->title);
	if (pg->html_len) {
		char *owned; /* a plain build's body may be in its file (spill.h) */
		jsonld_html_text(&text, page_html(pg, &owned), pg->html_len, ANSWER_CHARS);
		free(owned);
	}
	if (!text.len && pg->summary)
		buf_puts(&text, pg->summary);
	if (!text.len) /* a posting must have a description */
		buf_puts(&text, pg->title);
	S_kvn(j, "description", text.ptr, text.len);
	S_kurl(j, "url", pg->href);
	S_kdate(j, "datePosted", pg, r->date);
	if (ef && ev && ev->node) {
		buf_reset(&text);
		ids_rfc3339(&text, j->site,
			    ef->kind == FIELD_DATE ? (ev->num + 1) * 86400 - j->site->tz_offset_min * 60LL - 1
						   : ev->num);
		S_kvn(j, "validThrough", text.ptr, text.len);
	}
	if (kind)
		S_kemployment(j, kind);
	S_khiring(j, pg);
	if (city) {
		S_key(j, "jobLocation");
		S_open(j, '{');
		S_kv(j, "@type", "Place");
		S_key(j, "address");
		S_open(j, '{');
		S_kv(j, "@type", "PostalAddress");
		S_kvn(j, "addressLocality", city->str, city->len);
		S_close(j, '}');
		S_close(j, '}');
	}
	if (remote && remote->node && remote->num)
		S_kv(j, "jobLocationType", "TELECOMMUTE");
	if (apply && apply[0]) {
		S_key(j, "applicationContact");
		S_open(j, '{');
		S_kv(j, "@type", "ContactPoint");
		if (strncasecmp(apply, "mailto:", 7) == 0)
			S_kvn(j, "email", apply + 7, strcspn(apply + 7, "?")); /* no ?subject= */
		else
			S_kurl_field(j, "url", apply);
		S_close(j, '}');
	}
	S_script_close(j);
	buf_release(&text);
}

/* Each license of an SPDX expression as the URL of its page on the SPDX list. */
static void S_license_url(const char *id, size_t len, int is_ref, void *payload)
{
	struct json *j = payload;
	struct buf u = BUF_INIT;
	if (is_ref) /* a license of the project's own has no page there */
		return;
	buf_printf(&u, "https://spdx.org/licenses/%.*s.html", (int)len, id);
	S_str(j, u.ptr, u.len);
	buf_release(&u);
}

static void S_license_count(const char *id, size_t len, int is_ref, void *payload)
{
	(void)id;
	(void)len;
	*(size_t *)payload += !is_ref;
}

/*
 * A project: its repository, license, language and maintainers (role
 * people: maintainer). One license is a URL; an expression of several
 * (MIT OR Apache-2.0) is a list of them.
 */
static void S_software(struct json *j, const struct page *pg)
{
	const struct ynode *repo = S_scalar(pg, "repository"), *site = S_scalar(pg, "website");
	const struct ynode *license = S_scalar(pg, "license"), *lang = S_scalar(pg, "language");
	const struct field *lf = type_field(pg->type, "license");
	const struct fval *tags = page_value(pg, "tags"), *org;

	S_script_open(j, "SoftwareSourceCode");
	S_kv(j, "name", pg->title);
	S_common(j, pg);
	if (repo)
		S_kurl_field(j, "codeRepository", S_url(pg, "repository"));
	if (site) {
		S_key(j, "sameAs");
		S_open(j, '[');
		{
			struct buf u = BUF_INIT;
			ids_any_url(&u, j->site, S_url(pg, "website"));
			S_str(j, u.ptr, u.len);
			buf_release(&u);
		}
		S_close(j, ']');
	}
	if (license && lf && lf->kind == FIELD_SPDX) {
		size_t n = 0;
		spdx_each(license->str, license->len, S_license_count, &n);
		if (n) {
			S_key(j, "license");
			if (n > 1)
				S_open(j, '[');
			spdx_each(license->str, license->len, S_license_url, j);
			if (n > 1)
				S_close(j, ']');
		}
	}
	if (lang)
		S_kvn(j, "programmingLanguage", lang->str, lang->len);
	S_kpeople(j, "maintainer", pg, PEOPLE_MAINTAINER);
	if ((org = S_refs(pg, "org")) != NULL) { /* the organisation behind it */
		S_key(j, "sourceOrganization");
		S_org_ref(j, org->refs[0]);
	}
	if (tags && tags->node && tags->node->kind == YNODE_SEQ && tags->node->n) {
		struct buf k = BUF_INIT;
		size_t i;
		for (i = 0; i < tags->node->n; i++)
			if (tags->node->kids[i]->kind == YNODE_SCALAR)
				buf_printf(&k, "%s%s", k.len ? ", " : "", tags->node->kids[i]->str);
		if (k.len)
			S_kvn(j, "keywords", k.ptr, k.len);
		buf_release(&k);
	}
	S_script_close(j);
}

/* --- breadcrumbs -------------------------------------------------------- */

struct crumbs {
	struct json *j;
	int n;
};

static void S_crumb(struct crumbs *c, const char *name, const char *href)
{
	c->n++;
	S_open(c->j, '{');
	S_kv(c->j, "@type", "ListItem");
	S_knum(c->j, "position", c->n);
	S_kv(c->j, "name", name);
	S_kurl(c->j, "item", href);
	S_close(c->j, '}');
}

static void S_crumbs_open(struct crumbs *c, struct json *j, const struct theme *theme, const struct lang *l)
{
	const struct site *site = j->site;
	const char *title = S_site_title(site, l);
	struct buf home = BUF_INIT;
	size_t lang = (size_t)(l - site->cfg->langs);
	if (!title[0]) {
		const char *s = theme_string(theme, site->cfg, lang, "home", 4);
		title = s ? s : "Home";
	}
	c->j = j;
	c->n = 0;
	S_script_open(j, "BreadcrumbList");
	S_key(j, "itemListElement");
	S_open(j, '[');
	S_crumb(c, title, S_home(site, l, &home));
	buf_release(&home);
}

static void S_crumbs_close(struct crumbs *c)
{
	S_close(c->j, ']');
	S_script_close(c->j);
}

/* The type's list: its UI name and URL. */
static void S_crumb_type(struct crumbs *c, const struct theme *theme, const struct lang *l,
			 const struct type *ty)
{
	const struct site *site = c->j->site;
	size_t lang = (size_t)(l - site->cfg->langs);
	const char *name = theme_string(theme, site->cfg, lang, ty->folder, strlen(ty->folder));
	struct buf href = BUF_INIT;
	S_home(site, l, &href);
	buf_printf(&href, "%s/", ty->folder);
	S_crumb(c, name ? name : ty->folder, href.ptr);
	buf_release(&href);
}

static void S_page_crumbs(struct json *j, const struct theme *theme, const struct page *pg)
{
	struct crumbs c;
	S_crumbs_open(&c, j, theme, pg->lang);
	if (pg->type) {
		const char *s;
		S_crumb_type(&c, theme, pg->lang, pg->type);
		/* docs in folders: each folder that has a page of its own */
		for (s = strchr(pg->id, '/'); s; s = strchr(s + 1, '/')) {
			char *prefix = xstrndup(pg->id, (size_t)(s - pg->id));
			const struct page *f = model_find(j->site, pg->section, prefix, pg->lang);
			if (f && f != pg)
				S_crumb(&c, f->title, f->href);
			free(prefix);
		}
	}
	S_crumb(&c, pg->title, pg->href);
	S_crumbs_close(&c);
}

void jsonld_page(struct buf *out, const struct site *site, const struct theme *theme, const struct page *pg)
{
	struct json j;
	const struct type_roles *r = pg->type ? &pg->type->roles : NULL;

	memset(&j, 0, sizeof(j));
	j.b = out;
	j.site = site;
	/* an expired item (role expires) is kept for old links: no node offers it to crawlers */
	switch (r && !pg->expired ? r->schema : SCHEMA_NONE) {
	case SCHEMA_EVENT: S_event(&j, pg); break;
	case SCHEMA_FAQ: S_faq(&j, pg); break;
	case SCHEMA_TECH_ARTICLE: S_article(&j, pg, "TechArticle"); break;
	case SCHEMA_ARTICLE: S_article(&j, pg, "Article"); break;
	case SCHEMA_PERSON: S_person(&j, pg); break;
	case SCHEMA_JOB_POSTING: S_job(&j, pg); break;
	case SCHEMA_ORGANIZATION: S_org(&j, pg); break;
	case SCHEMA_SOFTWARE: S_software(&j, pg); break;
	case SCHEMA_PLACE: S_place(&j, theme, pg); break;
	case SCHEMA_NONE: break;
	}
	if (r && r->video && S_scalar(pg, r->video))
		S_video(&j, pg);
	S_page_crumbs(&j, theme, pg);
}

void jsonld_listing(struct buf *out, const struct site *site, const struct theme *theme,
		    const struct listing *l)
{
	const struct lang *lg = &site->cfg->langs[l->lang];
	struct json j;
	struct crumbs c;
	size_t i;
	char year[16];

	memset(&j, 0, sizeof(j));
	j.b = out;
	j.site = site;
	if (l->kind == LIST_HOME)
		return;
	if (l->kind == LIST_TYPE && l->type->roles.schema == SCHEMA_FAQ && l->nitems) {
		S_script_open(&j, "FAQPage");
		S_kurl(&j, "url", l->href);
		S_kv(&j, "inLanguage", lg->tag);
		S_key(&j, "mainEntity");
		S_open(&j, '[');
		for (i = 0; i < l->nitems; i++)
			S_question(&j, l->items[i], LIST_ANSWER_CHARS);
		S_close(&j, ']');
		S_script_close(&j);
	}
	S_crumbs_open(&c, &j, theme, lg);
	switch (l->kind) {
	case LIST_TYPE: S_crumb_type(&c, theme, lg, l->type); break;
	case LIST_YEAR:
		S_crumb_type(&c, theme, lg, l->type);
		snprintf(year, sizeof year, "%d", l->year);
		S_crumb(&c, year, l->href);
		break;
	case LIST_TAXONOMY:
	case LIST_TERM: {
		const char *name = theme_string(theme, site->cfg, l->lang, l->taxonomy, strlen(l->taxonomy));
		S_crumb(&c, name ? name : l->taxonomy, l->kind == LIST_TERM ? l->index_href : l->href);
		if (l->kind == LIST_TERM)
			S_crumb(&c, l->term->name, l->href);
		break;
	}
	case LIST_HOME: break;
	}
	S_crumbs_close(&c);
}
