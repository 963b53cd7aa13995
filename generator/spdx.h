/*
 * spdx: license names as the SPDX License List writes them (MIT,
 * Apache-2.0, GPL-2.0-or-later...), checked against a list compiled in:
 * the licenses and exceptions open-source projects use, not all of SPDX's
 * several hundred. A value is one id or a simple expression of them (AND,
 * OR, WITH an exception, parentheses, a trailing +, LicenseRef-NAME for a
 * license of one's own). Ids match in any letter case, as SPDX says.
 */
#ifndef JIXIA_SPDX_H
#define JIXIA_SPDX_H

#include <stddef.h>

#include "util.h"

/*
 * Checks the n bytes at expr. Returns 0 when it is a license id or an
 * expression of them; else -1 with why filled (emptied first) with the
 * reason, lower case, naming the offending part and ending with "did you
 * mean" when an id on the list is near it.
 */
int spdx_check(struct buf *why, const char *expr, size_t n);

/*
 * The list's own spelling of the license id at id (n bytes, any letter
 * case), or NULL when it is not on the list (a deprecated id is not).
 */
const char *spdx_license(const char *id, size_t n);

/*
 * Calls fn with each license of a valid expression, in order, each once,
 * in the list's spelling (LicenseRef-NAME as written, with is_ref set);
 * an invalid expression calls it for nothing. payload is passed on.
 */
void spdx_each(const char *expr, size_t n, void (*fn)(const char *id, size_t len, int is_ref, void *payload),
	       void *payload);

#endif
