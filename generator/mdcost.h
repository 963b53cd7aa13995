/*
 * mdcost: what the Markdown parser would spend on a body, bounded before it
 * parses. Debian's cmark-gfm (0.29.0.gfm.6) takes time quadratic in a few
 * constructs that cost the writer a handful of bytes each; one linear pass
 * over the text counts an upper bound of that work for each, and a body
 * over a bound is refused at the line that crossed it.
 */
#ifndef JIXIA_MDCOST_H
#define JIXIA_MDCOST_H

#include <stddef.h>

/*
 * Checks the Markdown body md (len bytes, valid UTF-8 without NUL) of the
 * file path, whose first line is the file's line first_line. Returns 0 when
 * cmark-gfm may parse it, else reports each construct over its bound (at
 * most one diagnostic per kind) and returns -1.
 */
int mdcost_check(const char *path, int first_line, const char *md, size_t len);

#endif
