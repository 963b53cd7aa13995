/*
 * test_spdx: the license check of spdx.c. Ids on the list in any letter
 * case, expressions (AND, OR, WITH, parentheses, +, LicenseRef-), and each
 * refusal with its reason: an id not on the list and the one it is near,
 * deprecated ids, exceptions out of place, operators in lower case, bad
 * structure, deep nesting; and the licenses spdx_each hands out.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "spdx.h"
#include "util.h"

/* The reason s is refused, or "ok". */
static const char *S_why(const char *s)
{
	static struct buf why = BUF_INIT;
	if (spdx_check(&why, s, strlen(s)) == 0)
		return why.len ? "ok, with a reason?" : "ok";
	return buf_cstr(&why);
}

static void S_valid(void)
{
	static const char *const ok[] = {
		"MIT",
		"Apache-2.0",
		"PostgreSQL",
		"BSD-2-Clause",
		"BSD-3-Clause",
		"GPL-2.0-only",
		"GPL-2.0-or-later",
		"GPL-3.0-only",
		"GPL-3.0-or-later",
		"LGPL-2.1-only",
		"LGPL-2.1-or-later",
		"LGPL-3.0-only",
		"MPL-2.0",
		"AGPL-3.0-only",
		"ISC",
		"Unlicense",
		"MulanPSL-2.0",
		"mit", /* SPDX ids match in any letter case */
		"apache-2.0",
		"MIT OR Apache-2.0",
		"Apache-2.0 AND MIT",
		"(MIT OR Apache-2.0) AND BSD-3-Clause",
		"GPL-2.0-or-later WITH Classpath-exception-2.0",
		"Apache-2.0 WITH LLVM-exception OR MIT",
		"MPL-1.1+",
		"LicenseRef-Internal-1.0",
		"  MIT  ",
		"((MIT))",
		"MIT\tOR\nISC",
		NULL,
	};
	size_t i;
	for (i = 0; ok[i]; i++)
		CHECK_STR(S_why(ok[i]), "ok");
	CHECK_STR(spdx_license("postgresql", 10), "PostgreSQL");
	CHECK(spdx_license("GPL-2.0", 7) == NULL); /* deprecated */
	CHECK(spdx_license("MIT", 2) == NULL);     /* "MI": the length counts */
}

static void S_refused(void)
{
	CHECK_STR(S_why("Apache2"), "'Apache2' is not on the SPDX license list; did you mean 'Apache-2.0'?");
	CHECK_STR(S_why("MIT OR Apache2"),
		  "'Apache2' is not on the SPDX license list; did you mean 'Apache-2.0'?");
	CHECK_STR(S_why("Apache 2.0"),
		  "'Apache 2.0' is not on the SPDX license list; did you mean 'Apache-2.0'?");
	CHECK_STR(S_why("PostgresSQL"),
		  "'PostgresSQL' is not on the SPDX license list; did you mean 'PostgreSQL'?");
	CHECK_STR(S_why("Proprietary"), "'Proprietary' is not on the SPDX license list");
	CHECK_STR(S_why("GPL-2.0"),
		  "'GPL-2.0' is a deprecated SPDX id: write GPL-2.0-only or GPL-2.0-or-later");
	CHECK_STR(S_why("GPL-3.0+"), "'GPL-3.0+' is a deprecated SPDX id: write GPL-3.0-or-later");
	CHECK_STR(S_why("lgpl-2.1"),
		  "'lgpl-2.1' is a deprecated SPDX id: write LGPL-2.1-only or LGPL-2.1-or-later");
	CHECK_STR(S_why("MIT or Apache-2.0"), "'or': SPDX writes the operators AND, OR and WITH in capitals");
	CHECK_STR(S_why(""), "it is empty");
	CHECK_STR(S_why("   "), "it is empty");
	CHECK_STR(S_why("MIT AND (ISC with LLVM-exception)"),
		  "'with': SPDX writes the operators AND, OR and WITH in capitals");
	CHECK_STR(S_why("MIT OR"), "'OR' needs a license after it");
	CHECK_STR(S_why("OR MIT"), "'OR' needs a license before it");
	CHECK_STR(S_why("MIT AND AND ISC"), "'AND' needs a license before it");
	CHECK_STR(S_why("MIT Apache-2.0"),
		  "'Apache-2.0' follows a whole license: join licenses with AND or OR");
	CHECK_STR(S_why("(MIT OR ISC"), "'(' has no ')' to close it");
	CHECK_STR(S_why("MIT)"), "')' closes nothing");
	CHECK_STR(S_why("()"), "')' closes nothing");
	CHECK_STR(S_why("MIT WITH"), "'WITH' needs a license exception after it");
	CHECK_STR(
		S_why("GPL-2.0-only WITH Classpath-exception-2"),
		"'Classpath-exception-2' is not an SPDX license exception; did you mean 'Classpath-exception-2.0'?");
	CHECK_STR(S_why("Classpath-exception-2.0"),
		  "'Classpath-exception-2.0' is a license exception: it follows WITH and a license");
	CHECK_STR(S_why("LicenseRef-"), "'LicenseRef-' is not on the SPDX license list"); /* no name at all */
	CHECK_STR(S_why("LicenseRef-a_b"),
		  "'LicenseRef-a_b': after LicenseRef- comes a name of letters, digits, '.' and '-'");
}

static void S_deep(void)
{
	struct buf s = BUF_INIT;
	int i;
	for (i = 0; i < 16; i++)
		buf_putc(&s, '(');
	buf_puts(&s, "MIT");
	for (i = 0; i < 16; i++)
		buf_putc(&s, ')');
	CHECK_STR(S_why(buf_cstr(&s)), "ok");
	buf_reset(&s);
	for (i = 0; i < 100000; i++) /* no recursion past the bound, however long the value */
		buf_putc(&s, '(');
	CHECK_STR(S_why(buf_cstr(&s)), "parentheses nested more than 16 deep");
	buf_release(&s);
}

static void S_add(const char *id, size_t len, int is_ref, void *payload)
{
	struct buf *b = payload;
	buf_printf(b, "%s%.*s%s", b->len ? "|" : "", (int)len, id, is_ref ? "*" : "");
}

static void S_each(void)
{
	struct buf b = BUF_INIT;
	const char *e =
		"(mit OR apache-2.0) AND MIT AND LicenseRef-Own WITH LLVM-exception OR GPL-2.0-or-later+";
	spdx_each(e, strlen(e), S_add, &b);
	CHECK_STR(buf_cstr(&b), "MIT|Apache-2.0|LicenseRef-Own*|GPL-2.0-or-later");
	buf_reset(&b);
	e = "MIT OR Apache2";
	spdx_each(e, strlen(e), S_add, &b); /* an invalid expression hands out nothing */
	CHECK_STR(buf_cstr(&b), "");
	buf_release(&b);
}

int main(void)
{
	S_valid();
	S_refused();
	S_deep();
	S_each();
	return CHECK_DONE("test_spdx");
}
