/*
 * feeds: Atom (RFC 4287), iCalendar (RFC 5545), sitemaps and robots.txt.
 * Each output is one job on the worker pool, like a page: it reads the
 * frozen model and lists, writes into its worker's buffer and hands the
 * bytes to output_write. Nothing here reads the clock: dates come from
 * front matter and the build time from --now or SOURCE_DATE_EPOCH, so the
 * same input gives the same bytes.
 *
 * Ids must not change from one build to the next, or a feed reader shows
 * an old entry as new and a calendar doubles an event. They are name-based
 * UUIDs (version 5, SHA-1) of the item's language, folder and id under a
 * namespace made from base_url: a new slug, a new title or a re-ordered
 * list keeps them; another site never shares them.
 */
#include "feeds.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "escape.h"
#include "pool.h"
#include "types.h"
#include "util.h"

#define FEED_ENTRIES 50        /* entries in one feed, newest first */
#define SUMMARY_CHARS 300      /* an entry's summary, in characters */
#define SITEMAP_URLS 50000     /* the sitemaps.org limits of one file */
#define SITEMAP_BYTES 52428800
#define ICS_OCTETS 75          /* RFC 5545 3.1: fold content lines after this */

struct feeds_state {
	const struct site *site;
	const struct theme *theme;
	const struct lists *lists;
	struct output *out;
	const struct listing **type_lists; /* LIST_TYPE, page 1: one per type and language */
	size_t ntype_lists;
	const struct listing **tax_lists;  /* LIST_TAXONOMY */
	size_t ntax_lists;
	struct page **events;              /* every event page, by path */
	size_t nevents;
	unsigned char ns[16];              /* the site's UUID namespace */
	struct buf *bufs, *tmps;           /* per worker: the output, scratch */
	atomic_int failed;
	atomic_size_t files;
};

/* --- ids: SHA-1 and name-based UUIDs (RFC 4122 4.3) --------------------- */

#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

static void S_sha1_block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f, k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = ROL(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (i = 0; i < 80; i++) {
		if (i < 20)
			f = (b & c) | (~b & d), k = 0x5A827999;
		else if (i < 40)
			f = b ^ c ^ d, k = 0x6ED9EBA1;
		else if (i < 60)
			f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
		else
			f = b ^ c ^ d, k = 0xCA62C1D6;
		t = ROL(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = ROL(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

static void S_sha1(unsigned char out[20], const unsigned char *p, size_t n)
{
	uint32_t h[5] = { 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0 };
	unsigned char last[128];
	uint64_t bits = (uint64_t)n * 8;
	size_t i, rest, pad;

	for (i = 0; i + 64 <= n; i += 64)
		S_sha1_block(h, p + i);
	rest = n - i;
	pad = rest < 56 ? 64 : 128;
	memset(last, 0, sizeof(last));
	memcpy(last, p + i, rest);
	last[rest] = 0x80;
	for (i = 0; i < 8; i++)
		last[pad - 1 - i] = (unsigned char)(bits >> (8 * i));
	S_sha1_block(h, last);
	if (pad == 128)
		S_sha1_block(h, last + 64);
	for (i = 0; i < 20; i++)
		out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

/* The version 5 UUID of name (n bytes) in namespace ns. */
static void S_uuid5(unsigned char out[16], const unsigned char ns[16], const char *name, size_t n)
{
	unsigned char *in = xmalloc(16 + n), md[20];
	memcpy(in, ns, 16);
	memcpy(in + 16, name, n);
	S_sha1(md, in, 16 + n);
	free(in);
	memcpy(out, md, 16);
	out[6] = (unsigned char)((out[6] & 0x0F) | 0x50);
	out[8] = (unsigned char)((out[8] & 0x3F) | 0x80);
}

static void S_put_uuid(struct buf *b, const unsigned char u[16])
{
	int i;
	for (i = 0; i < 16; i++)
		buf_printf(b, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", u[i]);
}

/* The UUID of name "KIND:..." under the site's namespace, as text. */
static void S_id(const struct feeds_state *st, struct buf *b, const char *name)
{
	unsigned char u[16];
	S_uuid5(u, st->ns, name, strlen(name));
	S_put_uuid(b, u);
}

/* --- small helpers ------------------------------------------------------ */

/* The absolute URL of href, a URL under the site's base path (not encoded). */
static void S_abs(struct buf *b, const struct site *site, const char *href)
{
	size_t r = strlen(site->root);
	buf_puts(b, site->cfg->base_url);
	buf_puts(b, strncmp(href, site->root, r) == 0 ? href + r : href + (href[0] == '/'));
}

void feeds_url(struct buf *out, const struct site *site, const char *href)
{
	struct buf u = BUF_INIT;
	S_abs(&u, site, href);
	escape_uri(out, u.ptr, u.len);
	buf_release(&u);
}

void feeds_any_url(struct buf *out, const struct site *site, const char *url)
{
	const char *colon = strstr(site->cfg->base_url, "://");
	if (url[0] == '/' && url[1] != '/') {
		feeds_url(out, site, url);
		return;
	}
	if (url[0] == '/' && colon) /* "//cdn.example.org/x": base_url's scheme */
		buf_put(out, site->cfg->base_url, (size_t)(colon + 1 - site->cfg->base_url));
	escape_uri(out, url, strlen(url));
}

static void S_xml(struct buf *b, const char *s)
{
	escape_xml(b, s, strlen(s));
}

/* An absolute URL as an XML attribute or text: percent-encoded, then escaped. */
static void S_xml_url(struct buf *b, struct buf *tmp, const struct site *site, const char *href)
{
	buf_reset(tmp);
	feeds_url(tmp, site, href);
	escape_xml(b, tmp->ptr, tmp->len);
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

static const char *S_t(const struct feeds_state *st, size_t lang, const char *key)
{
	const char *s = theme_string(st->theme, st->site->cfg, lang, key, strlen(key));
	return s ? s : key;
}

static size_t S_lang_index(const struct site *site, const struct lang *l)
{
	return (size_t)(l - site->cfg->langs);
}

static long long S_floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int feeds_page_time(const struct site *site, const struct page *pg, long long *out)
{
	const struct field *f;
	const struct fval *v;
	if (pg->date == LLONG_MIN || !pg->type)
		return -1;
	f = type_field(pg->type, pg->type->roles.date);
	v = page_value(pg, pg->type->roles.date);
	if (f && f->kind == FIELD_DATETIME && v && v->node)
		*out = v->num;
	else
		*out = pg->date * 86400 - (long long)site->tz_offset_min * 60;
	return 0;
}

void feeds_rfc3339(struct buf *b, const struct site *site, long long secs)
{
	long off = site->tz_offset_min;
	long long local = secs + (long long)off * 60, days = S_floor_div(local, 86400);
	long long rem = local - days * 86400;
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, (int)(rem / 3600), (int)(rem / 60 % 60),
		   (int)(rem % 60));
	if (off == 0)
		buf_putc(b, 'Z');
	else
		buf_printf(b, "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
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

/* A string field of pg as written, or NULL when absent or not a scalar. */
static const struct ynode *S_scalar(const struct page *pg, const char *name)
{
	const struct fval *v = page_value(pg, name);
	if (!v || !v->node || v->node->kind != YNODE_SCALAR || !v->node->len)
		return NULL;
	return v->node;
}

int feeds_is_event(const struct page *pg)
{
	return pg->type && pg->type->roles.calendar && pg->date != LLONG_MIN;
}

/* --- Atom --------------------------------------------------------------- */

/* What one feed is made of. */
struct atom {
	size_t lang;
	const char *title;     /* the feed's title */
	const char *html_href; /* the HTML page the feed follows */
	const char *path;      /* the feed's file under the output */
	struct page *const *pages; /* candidates: only those with a date are used */
	size_t n;
};

/*
 * When pg last changed: its last commit (history), when that is after its
 * date t; a talk given in May and corrected in June was updated in June.
 */
static long long S_updated(const struct page *pg, long long t)
{
	return pg->updated != LLONG_MIN && pg->updated > t ? pg->updated : t;
}

static void S_atom_entry(struct feeds_state *st, struct buf *b, struct buf *tmp, const struct page *pg)
{
	const struct site *site = st->site;
	const struct fval *people = S_people(pg);
	long long t;
	size_t i;

	buf_puts(b, "<entry>\n<title>");
	S_xml(b, pg->title);
	buf_puts(b, "</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	S_xml_url(b, tmp, site, pg->href);
	buf_puts(b, "\"/>\n<id>urn:uuid:");
	{
		struct buf name = BUF_INIT;
		buf_printf(&name, "page:%s:%s/%s", pg->lang->code, pg->section, pg->id);
		S_id(st, b, name.ptr);
		buf_release(&name);
	}
	buf_puts(b, "</id>\n");
	feeds_page_time(site, pg, &t);
	buf_puts(b, "<published>");
	feeds_rfc3339(b, site, t);
	buf_puts(b, "</published>\n<updated>");
	feeds_rfc3339(b, site, S_updated(pg, t));
	buf_puts(b, "</updated>\n");
	for (i = 0; people && i < people->nrefs; i++) {
		buf_puts(b, "<author><name>");
		S_xml(b, people->refs[i]->title);
		buf_puts(b, "</name><uri>");
		S_xml_url(b, tmp, site, people->refs[i]->href);
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
		S_xml_url(b, tmp, site, index);
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

static void S_atom(struct feeds_state *st, struct buf *b, struct buf *tmp, const struct atom *a)
{
	const struct site *site = st->site;
	struct page **v = xmalloc((a->n ? a->n : 1) * sizeof(*v));
	const char *desc = S_site_description(site, a->lang);
	long long t, newest = LLONG_MIN;
	size_t i, n = 0;

	for (i = 0; i < a->n; i++)
		if (a->pages[i]->date != LLONG_MIN)
			v[n++] = a->pages[i];
	qsort(v, n, sizeof(*v), model_list_cmp);
	if (n > FEED_ENTRIES)
		n = FEED_ENTRIES;
	for (i = 0; i < n; i++)
		if (!feeds_page_time(site, v[i], &t) && (t = S_updated(v[i], t)) > newest)
			newest = t;
	if (newest == LLONG_MIN)
		newest = site->now >= 0 ? site->now : 0;

	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
	S_xml(b, site->cfg->langs[a->lang].code);
	buf_puts(b, "\">\n<title>");
	S_xml(b, a->title);
	buf_puts(b, "</title>\n");
	if (desc && desc[0]) {
		buf_puts(b, "<subtitle>");
		S_xml(b, desc);
		buf_puts(b, "</subtitle>\n");
	}
	buf_puts(b, "<link rel=\"alternate\" type=\"text/html\" href=\"");
	S_xml_url(b, tmp, site, a->html_href);
	buf_puts(b, "\"/>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	{
		struct buf href = BUF_INIT;
		buf_printf(&href, "%s%s", site->root, a->path);
		S_xml_url(b, tmp, site, href.ptr);
		buf_reset(&href);
		buf_printf(&href, "feed:%s", a->path);
		buf_puts(b, "\"/>\n<id>urn:uuid:");
		S_id(st, b, href.ptr);
		buf_release(&href);
	}
	buf_puts(b, "</id>\n<updated>");
	feeds_rfc3339(b, site, newest);
	buf_puts(b, "</updated>\n<author><name>");
	S_xml(b, S_site_title(site, a->lang)[0] ? S_site_title(site, a->lang) : site->cfg->base_url);
	buf_puts(b, "</name><uri>");
	S_xml_url(b, tmp, site, st->site->root);
	buf_puts(b, "</uri></author>\n<generator>jixia</generator>\n");
	for (i = 0; i < n; i++)
		S_atom_entry(st, b, tmp, v[i]);
	buf_puts(b, "</feed>\n");
	free(v);
}

/* --- iCalendar ---------------------------------------------------------- */

/*
 * TEXT (RFC 5545 3.3.11): backslash, ';', ',' and newlines escaped; other
 * controls, which no TEXT may hold, dropped; a byte that is not UTF-8
 * becomes U+FFFD.
 */
static void S_ics_text(struct buf *b, const char *s, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t i = 0;
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0) {
			buf_puts(b, "\xEF\xBF\xBD");
			i++;
			continue;
		}
		if (cp == '\\' || cp == ';' || cp == ',') {
			buf_putc(b, '\\');
			buf_putc(b, (int)cp);
		} else if (cp == '\n') {
			buf_puts(b, "\\n");
		} else if (cp != '\t' && (cp < 0x20 || cp == 0x7F)) {
			/* dropped, CR of a CRLF included */
		} else {
			buf_put(b, p + i, (size_t)k);
		}
		i += (size_t)k;
	}
}

/*
 * Appends one content line, folded (RFC 5545 3.1): no line longer than 75
 * octets before its CRLF, continued after CRLF and a space, and never cut
 * inside a UTF-8 sequence, so each folded line is valid UTF-8 on its own.
 */
static void S_ics_emit(struct buf *b, const struct buf *line)
{
	const unsigned char *p = (const unsigned char *)buf_cstr(line);
	size_t i = 0, col = 0;
	while (i < line->len) {
		size_t k = 1;
		while (i + k < line->len && (p[i + k] & 0xC0) == 0x80)
			k++;
		if (col + k > ICS_OCTETS) {
			buf_puts(b, "\r\n ");
			col = 1;
		}
		buf_put(b, p + i, k);
		col += k;
		i += k;
	}
	buf_puts(b, "\r\n");
}

/* NAME:VALUE where the value is already safe (keywords, dates, ids). */
static void S_ics_raw(struct buf *b, struct buf *line, const char *name, const char *value)
{
	buf_reset(line);
	buf_printf(line, "%s:%s", name, value);
	S_ics_emit(b, line);
}

static void S_ics_prop_text(struct buf *b, struct buf *line, const char *name, const char *s, size_t n)
{
	buf_reset(line);
	buf_printf(line, "%s:", name);
	S_ics_text(line, s, n);
	S_ics_emit(b, line);
}

/* A URI value: percent-encoded, so no character of it needs escaping. */
static void S_ics_prop_uri(struct buf *b, struct buf *line, const char *name, const char *url, size_t n)
{
	buf_reset(line);
	buf_printf(line, "%s:", name);
	escape_uri(line, url, n);
	S_ics_emit(b, line);
}

/* A UTC DATE-TIME: 20240518T060000Z. */
static void S_ics_utc(struct buf *b, long long secs)
{
	long long days = S_floor_div(secs, 86400), rem = secs - days * 86400;
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	buf_printf(b, "%04d%02d%02dT%02d%02d%02dZ", y, m, d, (int)(rem / 3600), (int)(rem / 60 % 60),
		   (int)(rem % 60));
}

static void S_ics_day(struct buf *b, long long days)
{
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	buf_printf(b, "%04d%02d%02d", y, m, d);
}

/*
 * Start and end. A day is an all-day DATE, the end exclusive (an event of
 * one day ends the next day); a datetime is written in UTC, which every
 * client places right whatever the site's zone and its daylight saving.
 */
static void S_ics_when(struct buf *b, struct buf *line, const struct site *site, const struct page *pg)
{
	const struct field *fd = type_field(pg->type, pg->type->roles.date), *fe = type_field(pg->type, "end_date");
	const struct fval *vd = page_value(pg, pg->type->roles.date), *ve = page_value(pg, "end_date");
	int timed = fd && fd->kind == FIELD_DATETIME && vd && vd->node;
	int has_end = fe && ve && ve->node && (fe->kind == FIELD_DATE || fe->kind == FIELD_DATETIME);

	buf_reset(line);
	if (timed) {
		buf_puts(line, "DTSTART:");
		S_ics_utc(line, vd->num);
		S_ics_emit(b, line);
		if (has_end && fe->kind == FIELD_DATETIME && ve->num > vd->num) {
			buf_reset(line);
			buf_puts(line, "DTEND:");
			S_ics_utc(line, ve->num);
			S_ics_emit(b, line);
		}
		return;
	}
	{
		long long end = pg->date;
		if (has_end)
			end = fe->kind == FIELD_DATE ? ve->num
						     : S_floor_div(ve->num + (long long)site->tz_offset_min * 60, 86400);
		if (end < pg->date)
			end = pg->date;
		buf_puts(line, "DTSTART;VALUE=DATE:");
		S_ics_day(line, pg->date);
		S_ics_emit(b, line);
		buf_reset(line);
		buf_puts(line, "DTEND;VALUE=DATE:");
		S_ics_day(line, end + 1);
		S_ics_emit(b, line);
	}
}

static void S_vevent(struct feeds_state *st, struct buf *b, struct buf *line, const struct page *pg,
		     long long stamp)
{
	const struct site *site = st->site;
	const struct ynode *venue = S_scalar(pg, "venue"), *city = S_scalar(pg, "city");
	const struct ynode *online = S_scalar(pg, "online_url");
	struct buf v = BUF_INIT;
	size_t i, ntags = 0;

	S_ics_raw(b, line, "BEGIN", "VEVENT");
	/* one UID for the event in every language: it is one event */
	buf_printf(&v, "event:%s/%s", pg->section, pg->id);
	buf_reset(line);
	buf_puts(line, "UID:");
	S_id(st, line, v.ptr);
	S_ics_emit(b, line);
	buf_reset(line);
	buf_puts(line, "DTSTAMP:");
	S_ics_utc(line, stamp);
	S_ics_emit(b, line);
	S_ics_when(b, line, site, pg);
	S_ics_prop_text(b, line, "SUMMARY", pg->title, strlen(pg->title));

	buf_reset(&v);
	if (pg->summary && pg->summary[0])
		buf_printf(&v, "%s\n\n", pg->summary);
	if (online)
		buf_printf(&v, "%.*s\n", (int)online->len, online->str);
	S_abs(&v, site, pg->href);
	S_ics_prop_text(b, line, "DESCRIPTION", v.ptr, v.len);

	buf_reset(&v);
	if (venue)
		buf_put(&v, venue->str, venue->len);
	if (city)
		buf_printf(&v, "%s%.*s", venue ? ", " : "", (int)city->len, city->str);
	if (!venue && !city && online)
		buf_put(&v, online->str, online->len);
	if (v.len)
		S_ics_prop_text(b, line, "LOCATION", v.ptr, v.len);

	buf_reset(&v);
	S_abs(&v, site, pg->href);
	S_ics_prop_uri(b, line, "URL", v.ptr, v.len);
	if (online)
		S_ics_prop_uri(b, line, "CONFERENCE;VALUE=URI", online->str, online->len);

	buf_reset(line);
	buf_puts(line, "CATEGORIES:");
	for (i = 0; i < pg->nterms; i++)
		if (strcmp(pg->terms[i]->taxonomy, "tags") == 0) {
			if (ntags++)
				buf_putc(line, ',');
			S_ics_text(line, pg->terms[i]->name, strlen(pg->terms[i]->name));
		}
	if (ntags)
		S_ics_emit(b, line);
	S_ics_raw(b, line, "STATUS", "CONFIRMED");
	S_ics_raw(b, line, "END", "VEVENT");
	buf_release(&v);
}

/*
 * A calendar of events (at least one). path is the file of a language's
 * whole calendar, or NULL for one event's own file.
 */
static void S_vcalendar(struct feeds_state *st, struct buf *b, struct buf *line, size_t lang,
			struct page *const *events, size_t n, const char *path)
{
	const struct site *site = st->site;
	long long stamp = site->now >= 0 ? site->now : 0;
	size_t i;

	S_ics_raw(b, line, "BEGIN", "VCALENDAR");
	S_ics_raw(b, line, "VERSION", "2.0");
	S_ics_raw(b, line, "PRODID", "-//jixia//jixia static site generator//EN");
	S_ics_raw(b, line, "CALSCALE", "GREGORIAN");
	S_ics_raw(b, line, "METHOD", "PUBLISH");
	if (path) {
		struct buf v = BUF_INIT;
		const char *title = S_site_title(site, lang);
		buf_printf(&v, "%s%s%s", S_t(st, lang, events[0]->type->folder), title[0] ? " · " : "", title);
		S_ics_prop_text(b, line, "NAME", v.ptr, v.len);
		S_ics_prop_text(b, line, "X-WR-CALNAME", v.ptr, v.len);
		buf_reset(&v);
		buf_printf(&v, "%s%s", site->root, path);
		buf_reset(line);
		buf_puts(line, "SOURCE;VALUE=URI:");
		{
			struct buf u = BUF_INIT;
			S_abs(&u, site, v.ptr);
			escape_uri(line, u.ptr, u.len);
			buf_release(&u);
		}
		S_ics_emit(b, line);
		S_ics_raw(b, line, "REFRESH-INTERVAL;VALUE=DURATION", "P1D");
		S_ics_raw(b, line, "X-PUBLISHED-TTL", "P1D");
		buf_release(&v);
	}
	S_ics_prop_text(b, line, "X-WR-TIMEZONE", site->cfg->timezone, strlen(site->cfg->timezone));
	for (i = 0; i < n; i++)
		S_vevent(st, b, line, events[i], stamp);
	S_ics_raw(b, line, "END", "VCALENDAR");
}

/* Calendar order: soonest first, then by path. */
static int S_event_cmp(const void *a, const void *b)
{
	const struct page *x = *(const struct page *const *)a, *y = *(const struct page *const *)b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return strcmp(x->path, y->path);
}

/*
 * A language's calendar holds every event of the site, each in that
 * language when it is translated, else in the default language: a
 * subscriber misses no event for want of a translation.
 */
static void S_calendar(struct feeds_state *st, struct buf *b, struct buf *line, size_t lang,
		       const char *path)
{
	const struct site *site = st->site;
	const struct lang *l = &site->cfg->langs[lang];
	struct page **v = xmalloc((st->nevents ? st->nevents : 1) * sizeof(*v));
	size_t i, n = 0;

	for (i = 0; i < st->nevents; i++) {
		struct page *pg = st->events[i];
		if (model_find(site, pg->section, pg->id, l) == pg)
			v[n++] = pg;
	}
	qsort(v, n, sizeof(*v), S_event_cmp);
	S_vcalendar(st, b, line, lang, v, n, path);
	free(v);
}

/* --- sitemap ------------------------------------------------------------ */

struct sitemap {
	struct feeds_state *st;
	struct buf file;  /* the sitemap being filled */
	struct buf entry; /* the <url> being made */
	struct buf tmp;
	size_t urls;      /* in file */
	size_t nfiles;    /* sitemap-N.xml written so far */
	int failed;
};

static const char S_sm_head[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
	"xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
static const char S_sm_tail[] = "</urlset>\n";

static void S_sm_write(struct sitemap *sm, const char *path, const struct buf *b)
{
	if (output_write(sm->st->out, path, buf_cstr(b), b->len))
		sm->failed = 1;
	else
		atomic_fetch_add(&sm->st->files, 1);
}

/* Closes the current file as sitemap-N.xml and starts the next. */
static void S_sm_flush(struct sitemap *sm)
{
	char name[64];
	buf_puts(&sm->file, S_sm_tail);
	snprintf(name, sizeof name, "sitemap-%zu.xml", ++sm->nfiles);
	S_sm_write(sm, name, &sm->file);
	buf_reset(&sm->file);
	buf_puts(&sm->file, S_sm_head);
	sm->urls = 0;
}

/* Adds the finished entry, first closing a file that it would overfill. */
static void S_sm_add(struct sitemap *sm)
{
	if (sm->urls == SITEMAP_URLS ||
	    (sm->urls && sm->file.len + sm->entry.len + sizeof(S_sm_tail) > SITEMAP_BYTES))
		S_sm_flush(sm);
	buf_put(&sm->file, sm->entry.ptr, sm->entry.len);
	sm->urls++;
}

static void S_sm_begin(struct sitemap *sm, const char *href)
{
	buf_reset(&sm->entry);
	buf_puts(&sm->entry, "<url><loc>");
	S_xml_url(&sm->entry, &sm->tmp, sm->st->site, href);
	buf_puts(&sm->entry, "</loc>");
}

/*
 * The hreflang alternates of one URL: hrefs[k] is its version in language
 * k, or NULL. Written when there are two versions or more, each version
 * listing all of them, itself included, and x-default for the default
 * language's.
 */
static void S_sm_alternates(struct sitemap *sm, const char *const *hrefs)
{
	const struct config *cfg = sm->st->site->cfg;
	size_t k, n = 0;
	for (k = 0; k < cfg->nlangs; k++)
		n += hrefs[k] != NULL;
	if (n < 2)
		return;
	for (k = 0; k < cfg->nlangs; k++)
		if (hrefs[k]) {
			buf_puts(&sm->entry, "\n<xhtml:link rel=\"alternate\" hreflang=\"");
			S_xml(&sm->entry, cfg->langs[k].code);
			buf_puts(&sm->entry, "\" href=\"");
			S_xml_url(&sm->entry, &sm->tmp, sm->st->site, hrefs[k]);
			buf_puts(&sm->entry, "\"/>");
		}
	for (k = 0; k < cfg->nlangs; k++)
		if (hrefs[k] && cfg->langs[k].is_default) {
			buf_puts(&sm->entry, "\n<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"");
			S_xml_url(&sm->entry, &sm->tmp, sm->st->site, hrefs[k]);
			buf_puts(&sm->entry, "\"/>");
		}
}

static void S_sm_page(struct sitemap *sm, const struct page *pg, const char **hrefs)
{
	const struct site *site = sm->st->site;
	const struct page *t = pg;
	size_t k;

	long long day = LLONG_MIN;

	S_sm_begin(sm, pg->href);
	/* The day of its last commit in the site's time zone; else its date,
	 * unless that is still ahead (an upcoming event), which is no
	 * modification time. */
	if (pg->updated != LLONG_MIN)
		day = S_floor_div(pg->updated + site->tz_offset_min * 60LL, 86400);
	else if (pg->date != LLONG_MIN && pg->date <= site->today)
		day = pg->date;
	if (day != LLONG_MIN) {
		int y, m, d;
		civil_from_days(day, &y, &m, &d);
		buf_printf(&sm->entry, "<lastmod>%04d-%02d-%02d</lastmod>", y, m, d);
	}
	for (k = 0; k < site->cfg->nlangs; k++)
		hrefs[k] = NULL;
	do {
		hrefs[S_lang_index(site, t->lang)] = t->href;
		t = t->next_translation;
	} while (t && t != pg);
	S_sm_alternates(sm, hrefs);
	buf_puts(&sm->entry, "</url>\n");
	S_sm_add(sm);
}

static size_t S_tax_index(const struct config *cfg, const char *taxonomy)
{
	size_t i;
	for (i = 0; i < cfg->ntaxonomies; i++)
		if (strcmp(cfg->taxonomies[i], taxonomy) == 0)
			return i;
	return cfg->ntaxonomies;
}

/* The term (lang, taxonomy, slug), by binary search of the sorted terms. */
static const struct term *S_term_find(const struct site *site, size_t lang, size_t tax, const char *slug)
{
	size_t lo = 0, hi = site->nterms;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct term *t = &site->terms[mid];
		size_t tl = S_lang_index(site, t->lang), tt = S_tax_index(site->cfg, t->taxonomy);
		int c = tl != lang ? (tl < lang ? -1 : 1) : tt != tax ? (tt < tax ? -1 : 1) : strcmp(t->slug, slug);
		if (c == 0)
			return t;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The same listing in language lang: home, type list, taxonomy, term. NULL when none. */
static const char *S_peer(const struct feeds_state *st, const struct listing *l, size_t lang)
{
	const struct site *site = st->site;
	size_t i;
	if (l->page_no != 1)
		return NULL;
	switch (l->kind) {
	case LIST_HOME:
		for (i = 0; i < st->lists->n; i++) /* the homes come last */
			if (st->lists->v[st->lists->n - 1 - i].kind == LIST_HOME &&
			    st->lists->v[st->lists->n - 1 - i].lang == lang)
				return st->lists->v[st->lists->n - 1 - i].href;
		return NULL;
	case LIST_TYPE:
		for (i = 0; i < st->ntype_lists; i++)
			if (st->type_lists[i]->lang == lang && st->type_lists[i]->type == l->type)
				return st->type_lists[i]->href;
		return NULL;
	case LIST_TAXONOMY:
		for (i = 0; i < st->ntax_lists; i++)
			if (st->tax_lists[i]->lang == lang && strcmp(st->tax_lists[i]->taxonomy, l->taxonomy) == 0)
				return st->tax_lists[i]->href;
		return NULL;
	case LIST_TERM: {
		const struct term *t =
			S_term_find(site, lang, S_tax_index(site->cfg, l->term->taxonomy), l->term->slug);
		return t ? t->href : NULL;
	}
	case LIST_YEAR:
		break;
	}
	return NULL;
}

static void S_sm_listing(struct sitemap *sm, const struct listing *l, const char **hrefs)
{
	size_t k;
	S_sm_begin(sm, l->href);
	for (k = 0; k < sm->st->site->cfg->nlangs; k++)
		hrefs[k] = S_peer(sm->st, l, k);
	S_sm_alternates(sm, hrefs);
	buf_puts(&sm->entry, "</url>\n");
	S_sm_add(sm);
}

/*
 * A page every language has at the same path under its home ("contributors/"):
 * one entry per language, each with the others as alternates.
 */
static void S_sm_each_lang(struct sitemap *sm, const char *rel, const char **hrefs)
{
	const struct site *site = sm->st->site;
	struct arena a = ARENA_INIT;
	size_t k;
	for (k = 0; k < site->cfg->nlangs; k++) {
		const struct lang *l = &site->cfg->langs[k];
		hrefs[k] = arena_printf(&a, "%s%s%s%s", site->root, l->is_default ? "" : l->code,
					l->is_default ? "" : "/", rel);
	}
	for (k = 0; k < site->cfg->nlangs; k++) {
		S_sm_begin(sm, hrefs[k]);
		S_sm_alternates(sm, hrefs);
		buf_puts(&sm->entry, "</url>\n");
		S_sm_add(sm);
	}
	arena_release(&a);
}

/*
 * sitemap.xml: every page, then every listing, then the history stage's
 * pages. The search pages are left out: a search form is nothing to index. Past 50,000 URLs (or 50 MiB)
 * the URLs go to sitemap-1.xml, sitemap-2.xml... and sitemap.xml is their
 * index.
 */
static int S_sitemap(struct feeds_state *st)
{
	const struct site *site = st->site;
	const char **hrefs = xcalloc(site->cfg->nlangs, sizeof(*hrefs));
	struct sitemap sm;
	size_t i;

	memset(&sm, 0, sizeof(sm));
	sm.st = st;
	buf_puts(&sm.file, S_sm_head);
	for (i = 0; i < site->npages; i++)
		S_sm_page(&sm, &site->pages[i], hrefs);
	for (i = 0; i < st->lists->n; i++)
		S_sm_listing(&sm, &st->lists->v[i], hrefs);
	if (site->history)
		S_sm_each_lang(&sm, "contributors/", hrefs);
	if (site->nl10n)
		S_sm_each_lang(&sm, "l10n/", hrefs);
	if (!sm.nfiles) {
		buf_puts(&sm.file, S_sm_tail);
		S_sm_write(&sm, "sitemap.xml", &sm.file);
	} else {
		size_t k, n;
		if (sm.urls)
			S_sm_flush(&sm);
		n = sm.nfiles;
		buf_reset(&sm.file);
		buf_puts(&sm.file, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
				   "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
		for (k = 1; k <= n; k++) {
			char name[64];
			snprintf(name, sizeof name, "%ssitemap-%zu.xml", site->root, k);
			buf_puts(&sm.file, "<sitemap><loc>");
			S_xml_url(&sm.file, &sm.tmp, site, name);
			buf_puts(&sm.file, "</loc></sitemap>\n");
		}
		buf_puts(&sm.file, "</sitemapindex>\n");
		S_sm_write(&sm, "sitemap.xml", &sm.file);
	}
	buf_release(&sm.file);
	buf_release(&sm.entry);
	buf_release(&sm.tmp);
	free(hrefs);
	return sm.failed ? -1 : 0;
}

/* robots.txt: everything may be crawled; the sitemap is named when its URL can be absolute. */
static void S_robots(const struct feeds_state *st, struct buf *b, struct buf *tmp)
{
	const struct site *site = st->site;
	buf_puts(b, "User-agent: *\nDisallow:\n");
	if (strstr(site->cfg->base_url, "://")) {
		struct buf href = BUF_INIT;
		buf_printf(&href, "%ssitemap.xml", site->root);
		buf_reset(tmp);
		S_abs(tmp, site, href.ptr);
		buf_puts(b, "\nSitemap: ");
		escape_uri(b, tmp->ptr, tmp->len);
		buf_putc(b, '\n');
		buf_release(&href);
	}
}

/* --- jobs --------------------------------------------------------------- */

void feeds_beside(struct buf *b, const char *out_path, const char *name)
{
	const char *slash = strrchr(out_path, '/');
	if (slash)
		buf_put(b, out_path, (size_t)(slash + 1 - out_path));
	buf_puts(b, name);
}

void feeds_event_path(struct buf *b, const struct page *pg)
{
	const char *slash = strrchr(pg->out_path, '/');
	buf_put(b, pg->out_path, slash ? (size_t)(slash - pg->out_path) : strlen(pg->out_path));
	buf_puts(b, FEEDS_ICS);
}

/* A feed's title: "PART · PART · site title", leaving out empty parts. */
static void S_title(struct buf *b, const char *a, const char *c, const char *site_title)
{
	const char *parts[3];
	size_t i, n = 0;
	parts[0] = a;
	parts[1] = c;
	parts[2] = site_title;
	for (i = 0; i < 3; i++)
		if (parts[i] && parts[i][0])
			buf_printf(b, "%s%s", n++ ? " · " : "", parts[i]);
}

static void S_job_site_feed(struct feeds_state *st, struct buf *b, struct buf *tmp, size_t lang)
{
	const struct site *site = st->site;
	const struct lang *l = &site->cfg->langs[lang];
	struct page **v = xmalloc((site->npages ? site->npages : 1) * sizeof(*v));
	struct buf path = BUF_INIT, title = BUF_INIT, home = BUF_INIT;
	struct atom a;
	size_t i, n = 0;

	for (i = 0; i < site->npages; i++)
		if (site->pages[i].lang == l)
			v[n++] = &site->pages[i];
	buf_printf(&path, "%s%s%s", l->is_default ? "" : l->code, l->is_default ? "" : "/", FEEDS_ATOM);
	buf_printf(&home, "%s%s%s", site->root, l->is_default ? "" : l->code, l->is_default ? "" : "/");
	S_title(&title, NULL, NULL, S_site_title(site, lang));
	if (!title.len)
		buf_puts(&title, site->cfg->base_url);
	a.lang = lang;
	a.title = title.ptr;
	a.html_href = home.ptr;
	a.path = path.ptr;
	a.pages = v;
	a.n = n;
	S_atom(st, b, tmp, &a);
	if (output_write(st->out, path.ptr, b->ptr, b->len))
		atomic_store(&st->failed, 1);
	buf_release(&path);
	buf_release(&title);
	buf_release(&home);
	free(v);
}

static void S_job_type_feed(struct feeds_state *st, struct buf *b, struct buf *tmp, const struct listing *l)
{
	const struct site *site = st->site;
	const struct lang *lg = &site->cfg->langs[l->lang];
	struct page **v = xmalloc((site->npages ? site->npages : 1) * sizeof(*v));
	struct buf path = BUF_INIT, title = BUF_INIT;
	struct atom a;
	size_t i, n = 0;

	/* the whole type, events still ahead included (the list page splits them) */
	for (i = 0; i < site->npages; i++)
		if (site->pages[i].lang == lg && site->pages[i].type == l->type)
			v[n++] = &site->pages[i];
	feeds_beside(&path, l->out_path, FEEDS_ATOM);
	S_title(&title, S_t(st, l->lang, l->type->folder), NULL, S_site_title(site, l->lang));
	a.lang = l->lang;
	a.title = title.ptr;
	a.html_href = l->href;
	a.path = path.ptr;
	a.pages = v;
	a.n = n;
	S_atom(st, b, tmp, &a);
	if (output_write(st->out, path.ptr, b->ptr, b->len))
		atomic_store(&st->failed, 1);
	buf_release(&path);
	buf_release(&title);
	free(v);
}

static void S_job_term_feed(struct feeds_state *st, struct buf *b, struct buf *tmp, const struct term *tm)
{
	const struct site *site = st->site;
	size_t lang = S_lang_index(site, tm->lang);
	struct buf path = BUF_INIT, title = BUF_INIT;
	struct atom a;

	feeds_beside(&path, tm->out_path, FEEDS_ATOM);
	S_title(&title, tm->name, S_t(st, lang, tm->taxonomy), S_site_title(site, lang));
	a.lang = lang;
	a.title = title.ptr;
	a.html_href = tm->href;
	a.path = path.ptr;
	a.pages = tm->pages;
	a.n = tm->n;
	S_atom(st, b, tmp, &a);
	if (output_write(st->out, path.ptr, b->ptr, b->len))
		atomic_store(&st->failed, 1);
	buf_release(&path);
	buf_release(&title);
}

static void S_job_calendar(struct feeds_state *st, struct buf *b, struct buf *tmp, size_t lang)
{
	const struct lang *l = &st->site->cfg->langs[lang];
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s%s%s", l->is_default ? "" : l->code, l->is_default ? "" : "/", FEEDS_CALENDAR);
	S_calendar(st, b, tmp, lang, path.ptr);
	if (output_write(st->out, path.ptr, b->ptr, b->len))
		atomic_store(&st->failed, 1);
	buf_release(&path);
}

static void S_job_event(struct feeds_state *st, struct buf *b, struct buf *tmp, struct page *pg)
{
	struct buf path = BUF_INIT;
	feeds_event_path(&path, pg);
	S_vcalendar(st, b, tmp, S_lang_index(st->site, pg->lang), &pg, 1, NULL);
	if (output_write(st->out, path.ptr, b->ptr, b->len))
		atomic_store(&st->failed, 1);
	buf_release(&path);
}

/*
 * The outputs in one flat index space: each language's feed, each type
 * list's, each term's, each language's calendar (when there are events),
 * each event's, then sitemap and robots.txt.
 */
static void S_job(size_t i, int worker, void *payload)
{
	struct feeds_state *st = payload;
	const struct site *site = st->site;
	size_t nl = site->cfg->nlangs, ncal = st->nevents ? nl : 0;
	struct buf *b = &st->bufs[worker], *tmp = &st->tmps[worker];

	buf_reset(b);
	if (i < nl) {
		S_job_site_feed(st, b, tmp, i);
	} else if ((i -= nl) < st->ntype_lists) {
		S_job_type_feed(st, b, tmp, st->type_lists[i]);
	} else if ((i -= st->ntype_lists) < site->nterms) {
		S_job_term_feed(st, b, tmp, &site->terms[i]);
	} else if ((i -= site->nterms) < ncal) {
		S_job_calendar(st, b, tmp, i);
	} else if ((i -= ncal) < st->nevents) {
		S_job_event(st, b, tmp, st->events[i]);
	} else if (i == st->nevents) {
		if (S_sitemap(st))
			atomic_store(&st->failed, 1);
		return; /* counts its own files */
	} else {
		S_robots(st, b, tmp);
		if (output_write(st->out, "robots.txt", b->ptr, b->len))
			atomic_store(&st->failed, 1);
	}
	atomic_fetch_add(&st->files, 1);
}

/* The site's UUID namespace: the version 5 UUID of base_url in the URL namespace. */
static void S_namespace(unsigned char out[16], const char *base_url)
{
	static const unsigned char url_ns[16] = { 0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
						  0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8 };
	S_uuid5(out, url_ns, base_url, strlen(base_url));
}

int feeds_write(const struct site *site, const struct theme *theme, const struct lists *lists,
		struct output *out, int nthreads, size_t *files_out)
{
	struct feeds_state st;
	size_t i, total;
	int w, nw = nthreads > 0 ? nthreads : 1;

	memset(&st, 0, sizeof(st));
	st.site = site;
	st.theme = theme;
	st.lists = lists;
	st.out = out;
	atomic_init(&st.failed, 0);
	atomic_init(&st.files, 0);
	S_namespace(st.ns, site->cfg->base_url);
	st.type_lists = xmalloc((lists->n ? lists->n : 1) * sizeof(*st.type_lists));
	st.tax_lists = xmalloc((lists->n ? lists->n : 1) * sizeof(*st.tax_lists));
	for (i = 0; i < lists->n; i++) {
		const struct listing *l = &lists->v[i];
		if (l->kind == LIST_TYPE && l->page_no == 1)
			st.type_lists[st.ntype_lists++] = l;
		else if (l->kind == LIST_TAXONOMY)
			st.tax_lists[st.ntax_lists++] = l;
	}
	st.events = xmalloc((site->npages ? site->npages : 1) * sizeof(*st.events));
	for (i = 0; i < site->npages; i++)
		if (feeds_is_event(&site->pages[i]))
			st.events[st.nevents++] = &site->pages[i];
	st.bufs = xcalloc((size_t)nw, sizeof(*st.bufs));
	st.tmps = xcalloc((size_t)nw, sizeof(*st.tmps));

	total = site->cfg->nlangs + st.ntype_lists + site->nterms + (st.nevents ? site->cfg->nlangs : 0) +
		st.nevents + 2;
	pool_run(nthreads, total, S_job, &st);

	for (w = 0; w < nw; w++) {
		buf_release(&st.bufs[w]);
		buf_release(&st.tmps[w]);
	}
	free(st.bufs);
	free(st.tmps);
	free(st.type_lists);
	free(st.tax_lists);
	free(st.events);
	*files_out = atomic_load(&st.files);
	return atomic_load(&st.failed) ? -1 : 0;
}
