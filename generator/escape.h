/*
 * escape: writing untrusted text into each output context. Every value a
 * contributor wrote passes through one of these on its way out.
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

/* XML text and attributes; C0 controls other than tab and newline are dropped. */
void escape_xml(struct buf *out, const char *s, size_t n);

/*
 * True when a URL from untrusted input may be used as a link: relative, or
 * one of the schemes http, https, mailto. Control characters and entity
 * tricks are looked through (the check sees what a browser would see).
 */
int url_is_safe(const char *s, size_t n);

#endif
