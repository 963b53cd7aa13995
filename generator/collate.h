/*
 * collate: the order of names in a language, through ICU's collation (the
 * CLDR rules: pinyin for Chinese, the alphabet for English), so lists of
 * undated items (the people directory, organisations, projects) read in
 * the order a reader of that language expects. utf8proc normalises and
 * folds but does not collate.
 */
#ifndef JIXIA_COLLATE_H
#define JIXIA_COLLATE_H

#include <stddef.h>

#include "util.h"

struct collator;

/*
 * A collator for the language code (BCP 47: "zh", "en", "zh-Hant"); an
 * unknown language gets the root order. NULL only when ICU cannot open
 * even that. Use from one thread; free with collate_free.
 */
struct collator *collate_open(const char *lang);

/*
 * The sort key of the n bytes of UTF-8 at s, a NUL-terminated byte string
 * that orders as the language orders (compare keys with strcmp), in the
 * arena. Invalid UTF-8 or a failure gives "" (such text sorts first).
 */
const char *collate_key(struct collator *c, struct arena *a, const char *s, size_t n);

void collate_free(struct collator *c);

#endif
