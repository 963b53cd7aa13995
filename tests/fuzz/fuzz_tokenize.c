/*
 * fuzz_tokenize: any bytes through the search tokenizer, both modes. Every
 * term must be non-empty valid UTF-8 of at most TOKEN_MAX_CHARS code points
 * (a CJK pair is two), whatever the input: invalid UTF-8, NULs, marks alone.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <utf8proc.h>

#include "tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void S_term(const char *term, size_t n, void *payload)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)term;
	size_t i = 0, chars = 0;
	(void)payload;
	if (n == 0)
		abort();
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
		if (k < 1 || cp == 0)
			abort();
		i += (size_t)k;
		chars++;
	}
	if (chars > TOKEN_MAX_CHARS)
		abort();
}

static void S_query_term(const char *term, size_t n, int prefix, void *payload)
{
	(void)prefix;
	S_term(term, n, payload);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n;
	char *folded = tokenize_fold((const char *)data, size, &n);
	free(folded);
	tokenize((const char *)data, size, S_term, NULL);
	tokenize_query((const char *)data, size, S_query_term, NULL);
	return 0;
}
