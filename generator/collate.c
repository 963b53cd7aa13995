/*
 * collate: ICU's collator, kept behind three calls. The text goes to ICU as
 * UTF-16 (its API for sort keys), the key comes back as bytes that compare
 * with strcmp, so a list is sorted by keys made once per item rather than
 * by converting both sides of every comparison.
 *
 * Chinese: ICU's zh collation orders Han by pinyin but puts every Latin
 * name after every Han one, and a romanised sort_key could not take its
 * place among them. So for zh the Han of a name is first transliterated
 * (ICU's Han-Latin: zhāng wěi), and every key is of Latin text: 张伟,
 * "Zhang Wei" and a sort_key "Zeng Qi" for 曾琪 (which Han-Latin would read
 * céng) all fall into one alphabetical order.
 */
#include "collate.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ucol.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

struct collator {
	UCollator *ucol;
	UTransliterator *han; /* Han to pinyin (zh only), else NULL */
	UChar *u16;           /* the text being keyed, reused */
	int32_t u16_cap;
	uint8_t *key; /* the key being made, reused */
	int32_t key_cap;
};

struct collator *collate_open(const char *lang)
{
	UErrorCode err = U_ZERO_ERROR;
	struct buf loc;
	struct collator *c;
	UCollator *u;
	size_t i;

	/* ICU reads "zh_Hant"; a code with '-' would be read as the root. */
	buf_init(&loc);
	buf_puts(&loc, lang ? lang : "");
	for (i = 0; i < loc.len; i++)
		if (loc.ptr[i] == '-')
			loc.ptr[i] = '_';
	u = ucol_open(buf_cstr(&loc), &err);
	buf_release(&loc);
	if (U_FAILURE(err)) {
		err = U_ZERO_ERROR;
		u = ucol_open("", &err);
		if (U_FAILURE(err))
			return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->ucol = u;
	if (lang &&
	    (strcmp(lang, "zh") == 0 || strncmp(lang, "zh-", 3) == 0 || strncmp(lang, "zh_", 3) == 0)) {
		static const UChar id[] = { 'H', 'a', 'n', '-', 'L', 'a', 't', 'i', 'n', 0 };
		UParseError pe;
		err = U_ZERO_ERROR;
		c->han = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, &pe, &err);
		if (U_FAILURE(err))
			c->han = NULL; /* then Han sorts by ICU's zh order alone */
	}
	return c;
}

const char *collate_key(struct collator *c, struct arena *a, const char *s, size_t n)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t len = 0, klen;

	/* room for the UTF-16 text and its pinyin (a Han character is one or two units, its pinyin up to 7) */
	if (!c || n > (size_t)INT32_MAX / 16)
		return "";
	if (c->u16_cap < (int32_t)n * 8 + 16) {
		c->u16_cap = (int32_t)n * 8 + 16;
		c->u16 = xrealloc(c->u16, (size_t)c->u16_cap * sizeof(*c->u16));
	}
	u_strFromUTF8(c->u16, c->u16_cap, &len, s, (int32_t)n, &err);
	if (U_FAILURE(err))
		return "";
	if (c->han) {
		int32_t limit = len;
		utrans_transUChars(c->han, c->u16, &len, c->u16_cap, 0, &limit, &err);
		if (U_FAILURE(err))
			return "";
	}
	klen = ucol_getSortKey(c->ucol, c->u16, len, c->key, c->key_cap);
	if (klen > c->key_cap) {
		c->key_cap = klen;
		c->key = xrealloc(c->key, (size_t)klen);
		klen = ucol_getSortKey(c->ucol, c->u16, len, c->key, c->key_cap);
	}
	/* the key ends in its one NUL byte */
	return klen > 0 && klen <= c->key_cap ? arena_strndup(a, (const char *)c->key, (size_t)klen - 1) : "";
}

void collate_free(struct collator *c)
{
	if (!c)
		return;
	ucol_close(c->ucol);
	if (c->han)
		utrans_close(c->han);
	free(c->u16);
	free(c->key);
	free(c);
}
