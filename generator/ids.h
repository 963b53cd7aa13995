/*
 * ids: how the outputs read outside the site name things: absolute URLs
 * (base_url, then a path percent-encoded), stable UUIDs (version 5, under a
 * namespace made from base_url), instants in RFC 3339 and the digests the
 * forges name a diff's files by. Shared by Atom, iCalendar, the sitemap,
 * JSON-LD, the templates' absolute URLs and forge.c.
 */
#ifndef JIXIA_IDS_H
#define JIXIA_IDS_H

#include "model.h"
#include "util.h"

/* The site's UUID namespace in out: the version 5 UUID of base_url in the URL namespace. */
void ids_namespace(unsigned char out[16], const char *base_url);

/* The version 5 UUID of name ("KIND:...") under namespace ns, as text, appended to b. */
void ids_uuid(struct buf *b, const unsigned char ns[16], const char *name);

/*
 * The SHA-256 (sha256 set) or SHA-1 digest of s (n bytes) in lower-case
 * hex into out (65 or 41 bytes, NUL-terminated): how the forges name a
 * file's place in a diff.
 */
void ids_digest_hex(char *out, int sha256, const char *s, size_t n);

/* The absolute URL of href, a URL under the site's base path, appended to b (not encoded). */
void ids_abs(struct buf *b, const struct site *site, const char *href);

/*
 * The absolute URL of href (a URL under the base path, as in page->href)
 * as a URI: base_url, then href without the base path, percent-encoded
 * where a URI may not hold a byte (escape_uri). Appended to out.
 */
void ids_url(struct buf *out, const struct site *site, const char *href);

/*
 * A URL as the links stage left it (a page's picture, a url field) made
 * absolute: a path under the base path as ids_url, "//host/x" with
 * base_url's scheme, anything else (https://...) as it is, percent-encoded.
 */
void ids_any_url(struct buf *out, const struct site *site, const char *url);

/* ids_url escaped for XML text or an attribute, appended to b; tmp is scratch. */
void ids_xml_url(struct buf *b, struct buf *tmp, const struct site *site, const char *href);

/* a / b rounded toward minus infinity: the day of an instant before 1970 too. */
long long ids_floor_div(long long a, long long b);

/*
 * The instant of pg's date in seconds since 1970 in *out: a datetime as
 * written, a day at midnight in the site's time zone. Returns 0, or -1
 * when pg has no date.
 */
int ids_page_time(const struct site *site, const struct page *pg, long long *out);

/* secs as RFC 3339 in the site's time zone ("2024-05-18T14:00:00+08:00"), appended to out. */
void ids_rfc3339(struct buf *out, const struct site *site, long long secs);

#endif
