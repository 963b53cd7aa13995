/*
 * ics: the iCalendar format (RFC 5545) of a calendar of events. A
 * language's calendar is ICS_CALENDAR beside its home page; an event's own
 * calendar is its URL with the trailing '/' replaced by ICS_EXT
 * ("/events/2024-05-meetup.ics"). Which events a calendar holds and its
 * name are the feeds stage's.
 */
#ifndef JIXIA_ICS_H
#define JIXIA_ICS_H

#include <stddef.h>

#include "model.h"
#include "plankind.h"
#include "util.h"

/* What one calendar is made of. */
struct ics {
	const char *name; /* a language's calendar: its name */
	const char *path; /* a language's calendar: its file under the output; NULL for one event's */
	const struct page *const *events; /* at least one, in calendar order */
	size_t n;
};

/* 1 when pg is an event (its type has role calendar) with a date: it has an .ics file. */
int ics_is_event(const struct page *pg);

/* An event's own calendar under the output, appended to b: "events/x/index.html" -> "events/x.ics". */
void ics_event_path(struct buf *b, const struct page *pg);

/*
 * The calendar c describes, appended to b; UIDs under the site's UUID
 * namespace ns (ids_namespace), DTSTAMP the build time. line is scratch.
 */
void ics_calendar(struct buf *b, struct buf *line, const struct site *site, const unsigned char ns[16],
		  const struct ics *c);

/*
 * A calendar made by ics_calendar (data, len bytes) with another build
 * time: its bytes with each DTSTAMP set to stamp, appended to b, as
 * ics_calendar would write them for the same events at stamp. -1 when
 * data is not such a calendar (b then holds a part).
 */
int ics_restamp(struct buf *b, const char *data, size_t len, long long stamp);

#endif
