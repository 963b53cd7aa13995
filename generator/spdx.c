/*
 * spdx: the license ids and exceptions of the SPDX License List that
 * open-source projects around a database use, written down here (the list
 * at https://spdx.org/licenses/ is not read at build time), and a
 * recursive descent over the expression grammar of SPDX's annex:
 *
 *   expr   = and { "OR" and }
 *   and    = with { "AND" with }
 *   with   = simple [ "WITH" exception ]
 *   simple = "(" expr ")" | id [ "+" ] | "LicenseRef-" name
 *
 * The operators are case-sensitive (capitals), the ids are not. Nesting is
 * bounded: a value is untrusted.
 */
#include "spdx.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "suggest.h"

#define S_MAX_DEPTH 16

/* Licenses, in the list's spelling. */
static const char *const S_licenses[] = {
	"0BSD",
	"AFL-3.0",
	"AGPL-1.0-only",
	"AGPL-1.0-or-later",
	"AGPL-3.0-only",
	"AGPL-3.0-or-later",
	"Apache-1.0",
	"Apache-1.1",
	"Apache-2.0",
	"APSL-2.0",
	"Artistic-1.0",
	"Artistic-2.0",
	"Beerware",
	"BlueOak-1.0.0",
	"BSD-1-Clause",
	"BSD-2-Clause",
	"BSD-2-Clause-Patent",
	"BSD-3-Clause",
	"BSD-3-Clause-Clear",
	"BSD-4-Clause",
	"BSL-1.0",
	"BUSL-1.1",
	"CC-BY-3.0",
	"CC-BY-4.0",
	"CC-BY-NC-4.0",
	"CC-BY-NC-ND-4.0",
	"CC-BY-NC-SA-4.0",
	"CC-BY-ND-4.0",
	"CC-BY-SA-3.0",
	"CC-BY-SA-4.0",
	"CC0-1.0",
	"CDDL-1.0",
	"CDDL-1.1",
	"CECILL-2.1",
	"CPL-1.0",
	"curl",
	"ECL-2.0",
	"Elastic-2.0",
	"EPL-1.0",
	"EPL-2.0",
	"EUPL-1.1",
	"EUPL-1.2",
	"GFDL-1.3-only",
	"GFDL-1.3-or-later",
	"GPL-1.0-only",
	"GPL-1.0-or-later",
	"GPL-2.0-only",
	"GPL-2.0-or-later",
	"GPL-3.0-only",
	"GPL-3.0-or-later",
	"HPND",
	"ICU",
	"IJG",
	"ISC",
	"JSON",
	"LGPL-2.0-only",
	"LGPL-2.0-or-later",
	"LGPL-2.1-only",
	"LGPL-2.1-or-later",
	"LGPL-3.0-only",
	"LGPL-3.0-or-later",
	"libpng-2.0",
	"LPL-1.02",
	"LPPL-1.3c",
	"MIT",
	"MIT-0",
	"MPL-1.1",
	"MPL-2.0",
	"MPL-2.0-no-copyleft-exception",
	"MS-PL",
	"MS-RL",
	"MulanPSL-1.0",
	"MulanPSL-2.0",
	"NCSA",
	"ODbL-1.0",
	"OFL-1.1",
	"OpenSSL",
	"OSL-3.0",
	"PDDL-1.0",
	"PHP-3.01",
	"PostgreSQL",
	"PSF-2.0",
	"Python-2.0",
	"Ruby",
	"Sleepycat",
	"SSPL-1.0",
	"Unicode-3.0",
	"Unicode-DFS-2016",
	"Unlicense",
	"UPL-1.0",
	"Vim",
	"W3C",
	"WTFPL",
	"X11",
	"Zlib",
	"ZPL-2.1",
	NULL
};

/* Exceptions, which follow WITH. */
static const char *const S_exceptions[] = {
	"Autoconf-exception-3.0",
	"Bison-exception-2.2",
	"Classpath-exception-2.0",
	"Font-exception-2.0",
	"GCC-exception-2.0",
	"GCC-exception-3.1",
	"Linux-syscall-note",
	"LLVM-exception",
	"OCaml-LGPL-linking-exception",
	"OpenJDK-assembly-exception-1.0",
	"Qt-GPL-exception-1.0",
	"Qt-LGPL-exception-1.1",
	"Universal-FOSS-exception-1.0",
	NULL
};

/* Ids the list has deprecated, and what replaces them (the GNU licenses now say only or or-later). */
static const char *const S_deprecated[] = { "AGPL-1.0", "AGPL-3.0", "GFDL-1.1", "GFDL-1.2",
					    "GFDL-1.3", "GPL-1.0",  "GPL-2.0",  "GPL-3.0",
					    "LGPL-2.0", "LGPL-2.1", "LGPL-3.0", NULL };

/* The entry of names that is n bytes at s in any letter case, or NULL. */
static const char *S_find(const char *const *names, const char *s, size_t n)
{
	for (; *names; names++)
		if (strlen(*names) == n && strncasecmp(*names, s, n) == 0)
			return *names;
	return NULL;
}

const char *spdx_license(const char *id, size_t n)
{
	return S_find(S_licenses, id, n);
}

struct S_parse {
	const char *s;
	size_t n, pos;
	int depth;
	struct buf *why; /* NULL: the expression is known to be valid (spdx_each) */
	/* spdx_each: where each license goes, and the ones handed over, to hand each once */
	void (*fn)(const char *id, size_t len, int is_ref, void *payload);
	void *payload;
	struct {
		const char *id;
		size_t len;
	} * seen;
	size_t nseen, capseen;
};

static int S_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The next token without taking it: its start and length (0 at the end). */
static size_t S_peek(struct S_parse *p, const char **tok)
{
	size_t i = p->pos, j;
	while (i < p->n && S_space(p->s[i]))
		i++;
	*tok = p->s + i;
	if (i == p->n)
		return 0;
	if (p->s[i] == '(' || p->s[i] == ')')
		return 1;
	for (j = i; j < p->n && !S_space(p->s[j]) && p->s[j] != '(' && p->s[j] != ')'; j++)
		;
	return j - i;
}

static size_t S_take(struct S_parse *p, const char **tok)
{
	size_t len = S_peek(p, tok);
	p->pos = (size_t)(*tok - p->s) + len;
	return len;
}

static int S_is(const char *tok, size_t len, const char *word)
{
	return len == strlen(word) && memcmp(tok, word, len) == 0;
}

/* AND, OR or WITH in capitals: the operators. */
static int S_operator(const char *tok, size_t len)
{
	return S_is(tok, len, "AND") || S_is(tok, len, "OR") || S_is(tok, len, "WITH");
}

/* and, Or, with...: an operator SPDX does not read, as it wants capitals. */
static int S_lower_operator(const char *tok, size_t len)
{
	return !S_operator(tok, len) &&
	       ((len == 3 && strncasecmp(tok, "AND", 3) == 0) ||
		(len == 2 && strncasecmp(tok, "OR", 2) == 0) ||
		(len == 4 && strncasecmp(tok, "WITH", 4) == 0));
}

/* The reason, when one is asked for; -1. */
static int S_say(struct S_parse *p, const char *msg)
{
	if (p->why) {
		buf_reset(p->why);
		buf_puts(p->why, msg);
	}
	return -1;
}

/* The reason from fmt, whose one %.*s is the token; -1. */
static int S_fail(struct S_parse *p, const char *fmt, const char *tok, size_t len)
{
	if (p->why) {
		buf_reset(p->why);
		buf_printf(p->why, fmt, (int)len, tok);
	}
	return -1;
}

/* "'x' is not on the SPDX license list; did you mean 'y'?" over names. */
static int S_unknown(struct S_parse *p, const char *tok, size_t len, const char *const *names,
		     const char *what)
{
	char *typo;
	const char *near;
	struct buf hint = BUF_INIT;
	if (!p->why)
		return -1;
	typo = xstrndup(tok, len);
	near = suggest_list(typo, names);
	/* "Apache 2.0": the id written with a space for its first '-' */
	if (names == S_licenses) {
		const char *next;
		size_t save = p->pos, nlen = S_take(p, &next);
		p->pos = save;
		if (nlen && !S_operator(next, nlen) && next[0] != '(' && next[0] != ')') {
			struct buf joined = BUF_INIT;
			const char *hit;
			buf_printf(&joined, "%.*s-%.*s", (int)len, tok, (int)nlen, next);
			if ((hit = spdx_license(joined.ptr, joined.len)) != NULL) {
				near = hit;
				len = (size_t)(next + nlen - tok);
			}
			buf_release(&joined);
		}
	}
	buf_reset(p->why);
	buf_printf(p->why, "'%.*s' is not %s%s", (int)len, tok, what, suggest_hint(&hint, near));
	buf_release(&hint);
	free(typo);
	return -1;
}

static void S_seen(struct S_parse *p, const char *id, size_t len, int is_ref)
{
	size_t i;
	if (!p->fn)
		return;
	for (i = 0; i < p->nseen; i++)
		if (p->seen[i].len == len && memcmp(p->seen[i].id, id, len) == 0)
			return;
	ARRAY_GROW(p->seen, p->nseen, p->capseen, 8);
	p->seen[p->nseen].id = id;
	p->seen[p->nseen].len = len;
	p->nseen++;
	p->fn(id, len, is_ref, p->payload);
}

/* LicenseRef-NAME: NAME of letters, digits, '.' and '-' (SPDX's idstring). */
static int S_license_ref(struct S_parse *p, const char *tok, size_t len)
{
	size_t i, pre = strlen("LicenseRef-");
	for (i = pre; i < len; i++)
		if (!((tok[i] >= 'a' && tok[i] <= 'z') || (tok[i] >= 'A' && tok[i] <= 'Z') ||
		      (tok[i] >= '0' && tok[i] <= '9') || tok[i] == '.' || tok[i] == '-'))
			break;
	if (len == pre || i < len)
		return S_fail(p, "'%.*s': after LicenseRef- comes a name of letters, digits, '.' and '-'",
			      tok, len);
	S_seen(p, tok, len, 1);
	return 0;
}

/* One license id, with the + of "or later" it may carry. */
static int S_id(struct S_parse *p, const char *tok, size_t len)
{
	size_t idlen = len > 1 && tok[len - 1] == '+' ? len - 1 : len;
	const char *id;
	if (len > strlen("LicenseRef-") && strncasecmp(tok, "LicenseRef-", strlen("LicenseRef-")) == 0)
		return S_license_ref(p, tok, len);
	if ((id = spdx_license(tok, idlen)) != NULL) {
		S_seen(p, id, strlen(id), 0);
		return 0;
	}
	if ((id = S_find(S_deprecated, tok, idlen)) != NULL) {
		if (p->why) {
			buf_reset(p->why);
			if (idlen < len)
				buf_printf(p->why, "'%.*s' is a deprecated SPDX id: write %s-or-later",
					   (int)len, tok, id);
			else
				buf_printf(p->why,
					   "'%.*s' is a deprecated SPDX id: write %s-only or %s-or-later",
					   (int)len, tok, id, id);
		}
		return -1;
	}
	if (S_find(S_exceptions, tok, len))
		return S_fail(p, "'%.*s' is a license exception: it follows WITH and a license", tok, len);
	if (S_lower_operator(tok, len))
		return S_fail(p, "'%.*s': SPDX writes the operators AND, OR and WITH in capitals", tok, len);
	return S_unknown(p, tok, len, S_licenses, "on the SPDX license list");
}

static int S_or(struct S_parse *p);

/* What comes where an expression (in parentheses when open) should have ended. */
static int S_after(struct S_parse *p, int open)
{
	const char *tok;
	size_t len = S_peek(p, &tok);
	if (!len)
		return open ? S_fail(p, "'%.*s' has no ')' to close it", "(", 1) : 0;
	if (tok[0] == ')')
		return S_fail(p, "'%.*s' closes nothing", tok, 1);
	if (S_lower_operator(tok, len))
		return S_fail(p, "'%.*s': SPDX writes the operators AND, OR and WITH in capitals", tok, len);
	return S_fail(p, "'%.*s' follows a whole license: join licenses with AND or OR", tok, len);
}

static int S_simple(struct S_parse *p, const char *after)
{
	const char *tok;
	size_t len = S_take(p, &tok);
	if (!len) {
		if (after)
			return S_fail(p, "'%.*s' needs a license after it", after, strlen(after));
		return S_say(p, "it is empty");
	}
	if (tok[0] == '(') {
		if (++p->depth > S_MAX_DEPTH)
			return S_say(p, "parentheses nested more than 16 deep");
		if (S_or(p))
			return -1;
		p->depth--;
		len = S_peek(p, &tok);
		if (len == 1 && tok[0] == ')') {
			S_take(p, &tok);
			return 0;
		}
		return S_after(p, 1);
	}
	if (tok[0] == ')')
		return S_fail(p, "'%.*s' closes nothing", tok, 1);
	if (S_operator(tok, len))
		return S_fail(p, "'%.*s' needs a license before it", tok, len);
	return S_id(p, tok, len);
}

static int S_with(struct S_parse *p, const char *after)
{
	const char *tok;
	size_t len;
	if (S_simple(p, after))
		return -1;
	len = S_peek(p, &tok);
	if (!S_is(tok, len, "WITH"))
		return 0;
	S_take(p, &tok);
	len = S_take(p, &tok);
	if (!len || S_operator(tok, len) || tok[0] == '(' || tok[0] == ')')
		return S_fail(p, "'%.*s' needs a license exception after it", "WITH", 4);
	if (S_find(S_exceptions, tok, len))
		return 0;
	return S_unknown(p, tok, len, S_exceptions, "an SPDX license exception");
}

static int S_and(struct S_parse *p, const char *after)
{
	const char *tok;
	if (S_with(p, after))
		return -1;
	while (S_is(tok, S_peek(p, &tok), "AND")) {
		S_take(p, &tok);
		if (S_with(p, "AND"))
			return -1;
	}
	return 0;
}

static int S_or(struct S_parse *p)
{
	const char *tok;
	if (S_and(p, NULL))
		return -1;
	while (S_is(tok, S_peek(p, &tok), "OR")) {
		S_take(p, &tok);
		if (S_and(p, "OR"))
			return -1;
	}
	return 0;
}

static int S_run(struct S_parse *p)
{
	if (S_or(p))
		return -1;
	return S_after(p, 0);
}

int spdx_check(struct buf *why, const char *expr, size_t n)
{
	struct S_parse p;
	memset(&p, 0, sizeof(p));
	p.s = expr;
	p.n = n;
	p.why = why;
	buf_reset(why);
	return S_run(&p);
}

void spdx_each(const char *expr, size_t n, void (*fn)(const char *id, size_t len, int is_ref, void *payload),
	       void *payload)
{
	struct S_parse p;
	memset(&p, 0, sizeof(p));
	p.s = expr;
	p.n = n;
	if (S_run(&p) == 0) { /* a second pass reports, so nothing of an invalid one is */
		p.pos = 0;
		p.depth = 0;
		p.fn = fn;
		p.payload = payload;
		S_run(&p);
	}
	free(p.seen);
}
