/*
 * tokenize: text into search terms, the one definition the index (here)
 * and the query (assets/search.js) share. Both are tested against
 * tests/search/vectors.txt; a change here is a change there, and to the
 * vectors.
 *
 * The rules: the text is NFKC-normalised and case-folded (default
 * ignorable characters such as soft hyphens dropped). A run of Han, Kana or
 * Hangul characters gives each character and each overlapping pair
 * ("数据库" -> 数 数据 据 据库 库); other letters, marks and digits make
 * words, cut at 32 characters; a '.' between two ASCII digits stays inside
 * a number ("16.2"). Everything else separates.
 */
#ifndef JIXIA_TOKENIZE_H
#define JIXIA_TOKENIZE_H

#include <stddef.h>

#define TOKEN_MAX_CHARS 32 /* longer words are cut to this many code points */

/*
 * Calls fn once per index term of text[0..len), in text order: for a CJK
 * run, each character then the pair it starts. term is borrowed for the
 * call only and is not NUL-terminated. Invalid UTF-8 separates.
 */
void tokenize(const char *text, size_t len, void (*fn)(const char *term, size_t n, void *payload),
	      void *payload);

/*
 * The terms a query looks up: as tokenize(), except that a CJK run of two
 * or more characters gives only its pairs (a lone character stays). prefix
 * is 1 for the last term when it is a word the text does not end after
 * (the reader may still be typing it).
 */
void tokenize_query(const char *text, size_t len,
		    void (*fn)(const char *term, size_t n, int prefix, void *payload), void *payload);

/*
 * The normalised, case-folded form of text (what the rules above read),
 * malloc'd and NUL-terminated; *len_out gets its length. Invalid UTF-8
 * becomes spaces.
 */
char *tokenize_fold(const char *text, size_t len, size_t *len_out);

#endif
