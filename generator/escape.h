/*
 * escape: writing untrusted text into each output context. Every value a
 * contributor wrote passes through one of these on its way out; every
 * percent-encoding of a URL is here.
 */
#ifndef JIXIA_ESCAPE_H
#define JIXIA_ESCAPE_H

#include "util.h"

/* HTML text and attribute values: & < > " ' become entities. */
void escape_html(struct buf *out, const char *s, size_t n);

/*
 * A JSON string body (without the quotes). Also safe inside an HTML
 * <script> element: < > & are written as \u003c \u003e \u0026, and
 * U+2028/U+2029 as escapes.
 */
void escape_json(struct buf *out, const char *s, size_t n);

/*
 * XML text and attributes, always well-formed: C0 controls other than tab
 * and newline, U+FFFE and U+FFFF are dropped; a byte that is not UTF-8
 * becomes U+FFFD.
 */
void escape_xml(struct buf *out, const char *s, size_t n);

/*
 * A URL where a URI is wanted (sitemaps, iCalendar, robots.txt): spaces,
 * controls, non-ASCII bytes and " < > \ ^ ` { | } are percent-encoded;
 * everything else, '%' included, is kept as it is.
 */
void escape_uri(struct buf *out, const char *s, size_t n);

/*
 * A path of the site (a published file's) for an href: bytes outside the
 * unreserved characters (letters, digits, - . _ ~) and '/' ! $ * + , ; =
 * : @ become %XX ('%', spaces, non-ASCII, & ' ( ) included).
 */
void escape_url_path(struct buf *out, const char *s, size_t n);

/*
 * A branch name or a file's path on a repository's host (forge links):
 * every byte but the unreserved characters and '/' becomes %XX.
 */
void escape_url_strict(struct buf *out, const char *s, size_t n);

/*
 * Plain text for a summary: runs of white space become one space, control
 * characters go, and the text is cut after max characters (grapheme
 * clusters) with "…" appended, at the last space when one is near. A cut
 * never falls inside a UTF-8 sequence or a grapheme, and the text is not
 * escaped yet, so no entity can be cut in half: escape it afterwards.
 * Returns 1 when it cut, 0 when all of s went out. It reads s from the
 * start and stops at the cut, so a clip that cuts a prefix of a text cuts
 * the whole text at the same place.
 */
int text_clip(struct buf *out, const char *s, size_t n, size_t max);

/*
 * True when a URL from untrusted input may be used as a link, and in a
 * page's head (url fields, og:image, JSON-LD): relative, or one of the
 * schemes http, https, mailto. Control characters and entity tricks are
 * looked through (the check sees what a browser would see).
 */
int url_is_safe(const char *s, size_t n);

/*
 * True when a link or image of a Markdown body may keep its URL: any but
 * the schemes that run or embed content or read local files (javascript,
 * vbscript, data, file), looked through as url_is_safe does. cmark-gfm's
 * safe mode drops the same ones but keeps data:image/png and the like;
 * jixia drops those too: an image inside the text would skip the size and
 * type checks every published file gets.
 */
int url_body_is_safe(const char *s, size_t n);

/* A URL with a scheme ("https:", "mailto:") or protocol-relative ("//host"). */
int url_is_external(const char *s);

/*
 * Whether the character at s (past ASCII) shows: not a control, format
 * character (bidi overrides, zero width space), line or paragraph
 * separator, private or unassigned code point, invalid UTF-8, nor a space
 * unless space_ok; a zero width joiner or non-joiner only between two
 * letters or marks past ASCII. s is in the string that begins at start.
 * Its length in bytes, or 0.
 */
size_t text_char_shows(const char *start, const char *s, int space_ok);
/* The same in a string that ends at end (not NUL-terminated): no byte at or past end is read. */
size_t text_char_shows_n(const char *start, const char *s, const char *end, int space_ok);
/* The first character of s that does not show (text_char_shows), or NULL. */
const char *text_unseen(const char *s, int space_ok);
/* The code point at s when it is past ASCII and valid UTF-8, else -1: for messages. */
int text_cp(const char *s);

#endif
