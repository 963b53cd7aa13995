/*
 * fuzz_tokenizer: any bytes through the search tokenizer, as indexed text
 * and as a query, and through the folding; every term must be non-empty,
 * bounded and valid to hand to the index.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void S_term(const char *term, size_t n, void *payload)
{
	size_t *count = payload;
	/* A term is never empty and never longer than its cap in bytes. */
	if (n == 0 || n > TOKEN_MAX_CHARS * 4 || !term)
		abort();
	(*count)++;
}

static void S_qterm(const char *term, size_t n, int prefix, void *payload)
{
	(void)prefix;
	S_term(term, n, payload);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t count = 0, n = 0;
	char *folded;

	tokenize((const char *)data, size, S_term, &count);
	tokenize_query((const char *)data, size, S_qterm, &count);
	folded = tokenize_fold((const char *)data, size, &n);
	free(folded);
	return 0;
}
