/*
 * ics: the iCalendar format (RFC 5545) of a calendar of events: TEXT
 * escaped, content lines folded at 75 octets (never inside a UTF-8
 * sequence), days as all-day DATEs, datetimes in UTC. An event's UID is the
 * same in every language: it is one event. Which events a calendar holds
 * and its name are the feeds stage's.
 */
#include "ics.h"

#include <limits.h>
#include <string.h>

#include <utf8proc.h>

#include "escape.h"
#include "ids.h"
#include "types.h"
#include "util.h"

#define ICS_OCTETS 75 /* RFC 5545 3.1: fold content lines after this */

/* A string field of pg as written, or NULL when absent or not a scalar. */
static const struct ynode *S_scalar(const struct page *pg, const char *name)
{
	const struct fval *v = page_value(pg, name);
	if (!v || !v->node || v->node->kind != YNODE_SCALAR || !v->node->len)
		return NULL;
	return v->node;
}

int ics_is_event(const struct page *pg)
{
	return pg->type && pg->type->roles.calendar && pg->date != LLONG_MIN;
}

void ics_event_path(struct buf *b, const struct page *pg)
{
	const char *slash = strrchr(pg->out_path, '/');
	buf_put(b, pg->out_path, slash ? (size_t)(slash - pg->out_path) : strlen(pg->out_path));
	buf_puts(b, ICS_EXT);
}

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
	long long days = ids_floor_div(secs, 86400), rem = secs - days * 86400;
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
	const struct field *fd = type_field(pg->type, pg->type->roles.date),
			   *fe = type_field(pg->type, "end_date");
	const struct fval *vd = page_value(pg, pg->type->roles.date), *ve = page_value(pg, "end_date");
	int timed = fd && vd && vd->node && (fd->kind == FIELD_DATETIME || vd->timed);
	int has_end = fe && ve && ve->node && (fe->kind == FIELD_DATE || fe->kind == FIELD_DATETIME);

	buf_reset(line);
	if (timed) {
		/* a date with a time of day (in its zone: model.c) is an instant too */
		long long start = fd->kind == FIELD_DATETIME ? vd->num : vd->at;
		long long end = !has_end                     ? LLONG_MIN
				: fe->kind == FIELD_DATETIME ? ve->num
				: ve->timed                  ? ve->at
							     : LLONG_MIN;
		buf_puts(line, "DTSTART:");
		S_ics_utc(line, start);
		S_ics_emit(b, line);
		if (end != LLONG_MIN && end > start) {
			buf_reset(line);
			buf_puts(line, "DTEND:");
			S_ics_utc(line, end);
			S_ics_emit(b, line);
		}
		return;
	}
	{
		long long end = pg->date;
		if (has_end)
			end = fe->kind == FIELD_DATE
				      ? ve->num
				      : ids_floor_div(ve->num + (long long)site->tz_offset_min * 60, 86400);
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

static void S_vevent(struct buf *b, struct buf *line, const struct site *site, const unsigned char ns[16],
		     const struct page *pg, long long stamp)
{
	const struct ynode *venue = S_scalar(pg, "venue"), *city = S_scalar(pg, "city");
	const struct ynode *online = S_scalar(pg, "online_url");
	const struct fval *vref = page_value(pg, "venue");
	const struct page *place = vref && vref->nrefs ? vref->refs[0] : NULL; /* else venue is text */
	struct buf v = BUF_INIT;
	size_t i, ntags = 0;

	S_ics_raw(b, line, "BEGIN", "VEVENT");
	/* one UID for the event in every language: it is one event */
	buf_printf(&v, "event:%s/%s", pg->section, pg->id);
	buf_reset(line);
	buf_puts(line, "UID:");
	ids_uuid(line, ns, v.ptr);
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
	ids_abs(&v, site, pg->href);
	S_ics_prop_text(b, line, "DESCRIPTION", v.ptr, v.len);

	buf_reset(&v);
	if (place) { /* a venue of the site: its name and address */
		const struct ynode *addr = S_scalar(place, "address");
		buf_puts(&v, place->title);
		if (addr)
			buf_printf(&v, ", %.*s", (int)addr->len, addr->str);
		if (!city)
			city = S_scalar(place, "city");
	} else if (venue) {
		buf_put(&v, venue->str, venue->len);
	}
	if (city)
		buf_printf(&v, "%s%.*s", venue ? ", " : "", (int)city->len, city->str);
	if (!venue && !city && online)
		buf_put(&v, online->str, online->len);
	if (v.len)
		S_ics_prop_text(b, line, "LOCATION", v.ptr, v.len);

	buf_reset(&v);
	ids_abs(&v, site, pg->href);
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

int ics_restamp(struct buf *b, const char *data, size_t len, long long stamp)
{
	static const char key[] = "\r\nDTSTAMP:";
	const size_t kn = sizeof(key) - 1, sn = 16; /* YYYYMMDDTHHMMSSZ, never folded */
	struct buf utc = BUF_INIT;
	const char *p = data, *end = data + len, *q;
	int rc = -1;

	S_ics_utc(&utc, stamp);
	if (utc.len != sn)
		goto done;
	/* every line starts after a CRLF, and a value never holds one (S_ics_text escapes it) */
	for (q = p; (q = memchr(q, '\r', (size_t)(end - q))) != NULL; q++) {
		if ((size_t)(end - q) < kn || memcmp(q, key, kn) != 0)
			continue;
		q += kn;
		if ((size_t)(end - q) < sn + 2 || q[sn] != '\r' || q[sn + 1] != '\n')
			goto done;
		buf_put(b, p, (size_t)(q - p));
		buf_put(b, utc.ptr, sn);
		p = q + sn;
		q = p - 1;
	}
	buf_put(b, p, (size_t)(end - p));
	rc = 0;
done:
	buf_release(&utc);
	return rc;
}

void ics_calendar(struct buf *b, struct buf *line, const struct site *site, const unsigned char ns[16],
		  const struct ics *c)
{
	long long stamp = site->now >= 0 ? site->now : 0;
	size_t i;

	S_ics_raw(b, line, "BEGIN", "VCALENDAR");
	S_ics_raw(b, line, "VERSION", "2.0");
	S_ics_raw(b, line, "PRODID", "-//jixia//jixia static site generator//EN");
	S_ics_raw(b, line, "CALSCALE", "GREGORIAN");
	S_ics_raw(b, line, "METHOD", "PUBLISH");
	if (c->path) {
		struct buf v = BUF_INIT;
		S_ics_prop_text(b, line, "NAME", c->name, strlen(c->name));
		S_ics_prop_text(b, line, "X-WR-CALNAME", c->name, strlen(c->name));
		buf_printf(&v, "%s%s", site->root, c->path);
		buf_reset(line);
		buf_puts(line, "SOURCE;VALUE=URI:");
		{
			struct buf u = BUF_INIT;
			ids_abs(&u, site, v.ptr);
			escape_uri(line, u.ptr, u.len);
			buf_release(&u);
		}
		S_ics_emit(b, line);
		S_ics_raw(b, line, "REFRESH-INTERVAL;VALUE=DURATION", "P1D");
		S_ics_raw(b, line, "X-PUBLISHED-TTL", "P1D");
		buf_release(&v);
	}
	S_ics_prop_text(b, line, "X-WR-TIMEZONE", site->cfg->timezone, strlen(site->cfg->timezone));
	for (i = 0; i < c->n; i++)
		S_vevent(b, line, site, ns, c->events[i], stamp);
	S_ics_raw(b, line, "END", "VCALENDAR");
}
