/*
 * test_media: the check of an SVG for what could run as script
 * (media_svg_active). Each reason on its own and in any letter case, the
 * order in which reasons are reported, needles at the very end of the
 * bytes or one byte short of it (each text read from an exact-size heap
 * copy, so a sanitizer build sees any read past the end); the same answer
 * as the plain definition (one search a needle) on 20,000 texts made of
 * pieces of the needles; and the cost: the bytes it looks at stay within
 * three a byte of text on near misses of every needle, where the plain
 * definition looks at each byte once a needle or more.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "media.h"

/* media_svg_active on an exact-size copy of text; *steps its count. */
static const char *S_active(const char *text, size_t n, size_t *steps)
{
	char *copy = malloc(n ? n : 1);
	const char *what;
	if (!copy)
		abort();
	memcpy(copy, text, n);
	what = media_svg_active(copy, n, steps);
	free(copy);
	return what;
}

static const char *S_act(const char *text)
{
	return S_active(text, strlen(text), NULL);
}

#define CHECK_ACTIVE(text, want) CHECK_STR(S_act(text), (want))
#define CHECK_CLEAN(text) CHECK(S_act(text) == NULL)

/* ---- The plain definition: each needle looked for over the whole text. */

static const char *S_find(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i, j;
	for (i = 0; i + k <= n; i++) {
		for (j = 0; j < k && tolower((unsigned char)s[i + j]) == needle[j]; j++)
			;
		if (j == k)
			return s + i;
	}
	return NULL;
}

static const char *S_skip_value(const char *p, const char *end)
{
	while (p < end && (isspace((unsigned char)*p) || *p == '=' || *p == '"' || *p == '\''))
		p++;
	return p;
}

static int S_starts_ci(const char *p, const char *end, const char *word)
{
	size_t k = strlen(word);
	return (size_t)(end - p) >= k && strncasecmp(p, word, k) == 0;
}

static const char *S_plain(const char *s, size_t n)
{
	static const char *const bad[] = {
		"<script",  ":script", "javascript:",    "vbscript:", "<foreignobject", ":foreignobject",
		"<iframe",  ":iframe", "<embed",         ":embed",    "<object",        ":object",
		"<!entity", "&#",      "data:text/html", NULL
	};
	const char *end = s + n, *p, *const * b;
	size_t i, j;

	if (memchr(s, 0, n))
		return "NUL bytes (UTF-16?)";
	if (S_find(s, n, "<?xml-stylesheet"))
		return "<?xml-stylesheet";
	p = s;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (end - p > 5 && strncmp(p, "<?xml", 5) == 0) {
		const char *decl_end = S_find(p, (size_t)(end - p), "?>");
		const char *enc = S_find(p, decl_end ? (size_t)(decl_end - p) : 0, "encoding");
		if (enc) {
			enc = S_skip_value(enc + 8, end);
			if (!S_starts_ci(enc, end, "utf-8") && !S_starts_ci(enc, end, "us-ascii"))
				return "an encoding other than UTF-8";
		}
	}
	if ((p = S_find(s, n, "<!doctype")) != NULL)
		for (; p < end && *p != '>'; p++)
			if (*p == '[')
				return "an internal DTD subset (<!DOCTYPE ... [)";
	for (b = bad; *b; b++)
		if (S_find(s, n, *b))
			return *b;
	for (p = s; (p = S_find(p, (size_t)(end - p), "attributename")) != NULL;) {
		p = S_skip_value(p + 13, end);
		if (S_starts_ci(p, end, "on"))
			return "an animated event handler (attributeName=\"on...\")";
	}
	for (i = 1; i + 3 < n; i++) {
		if (!isspace((unsigned char)s[i - 1]) || tolower((unsigned char)s[i]) != 'o' ||
		    tolower((unsigned char)s[i + 1]) != 'n')
			continue;
		for (j = i + 2; j < n && isalpha((unsigned char)s[j]); j++)
			;
		if (j == i + 2)
			continue;
		while (j < n && isspace((unsigned char)s[j]))
			j++;
		if (j < n && s[j] == '=')
			return "an on...= event handler";
	}
	return NULL;
}

/* ---- Each reason, the order, the edges. */

static void test_reasons(void)
{
	CHECK_CLEAN("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect/></svg>");
	CHECK_CLEAN("");
	CHECK_ACTIVE("<svg><script>alert(1)</script></svg>", "<script");
	CHECK_ACTIVE("<svg><SCRIPT>alert(1)</SCRIPT></svg>", "<script");
	CHECK_ACTIVE("<svg:svg><svg:Script/></svg:svg>", ":script");
	CHECK_ACTIVE("<a href=\"JavaScript:alert(1)\"/>", "javascript:");
	CHECK_ACTIVE("<a href=\"vbscript:x\"/>", "vbscript:");
	CHECK_ACTIVE("<svg><foreignObject/></svg>", "<foreignobject");
	CHECK_ACTIVE("<svg><x:foreignObject/></svg>", ":foreignobject");
	CHECK_ACTIVE("<iframe/>", "<iframe");
	CHECK_ACTIVE("<h:iframe/>", ":iframe");
	CHECK_ACTIVE("<embed/>", "<embed");
	CHECK_ACTIVE("<h:embed/>", ":embed");
	CHECK_ACTIVE("<object/>", "<object");
	CHECK_ACTIVE("<h:object/>", ":object");
	CHECK_ACTIVE("<!ENTITY x \"y\">", "<!entity");
	CHECK_ACTIVE("<text>&#106;</text>", "&#");
	CHECK_ACTIVE("<image href=\"data:text/html,x\"/>", "data:text/html");
	CHECK_STR(S_active("<svg>\0<script/>", 15, NULL), "NUL bytes (UTF-16?)");
	CHECK_STR(S_active("<svg>\0", 6, NULL), "NUL bytes (UTF-16?)");
	CHECK_ACTIVE("<?xml-stylesheet type=\"text/xsl\" href=\"b.svg\"?><svg/>", "<?xml-stylesheet");

	/* event handlers: white space before "on", letters, white space, '=' */
	CHECK_ACTIVE("<rect width=\"1\" onload=\"x\"/>", "an on...= event handler");
	CHECK_ACTIVE("<rect\tOnClick \n= \"x\"/>", "an on...= event handler");
	CHECK_CLEAN("<rect on=\"x\"/>");                  /* no letters after "on" */
	CHECK_CLEAN("<rect data-onload=\"x\"/>");         /* no white space before it */
	CHECK_CLEAN("<text> online store</text>");        /* no '=' after the word */
	CHECK_ACTIVE(" onx=", "an on...= event handler"); /* the '=' the last byte */
	CHECK_CLEAN(" onx");
	CHECK_ACTIVE("<set attributeName = \"onmouseover\" to=\"x\"/>",
		     "an animated event handler (attributeName=\"on...\")");
	CHECK_ACTIVE("<set ATTRIBUTENAME='ONclick'/>", "an animated event handler (attributeName=\"on...\")");
	CHECK_CLEAN("<set attributeName=\"opacity\"/><set attributeName=\"fill\"/>");
	CHECK_ACTIVE("<set attributeName=\"x\"/><set attributeName=\"onload\"/>",
		     "an animated event handler (attributeName=\"on...\")");
	CHECK_CLEAN("attributename=\"o");

	/* the declaration's encoding, only in the declaration that opens the file */
	CHECK_CLEAN("<?xml version=\"1.0\" encoding=\"utf-8\"?><svg/>");
	CHECK_CLEAN("\xEF\xBB\xBF\n <?xml version=\"1.0\" encoding='UTF-8'?><svg/>");
	CHECK_CLEAN("<?xml version=\"1.0\" encoding=\"US-ASCII\"?><svg/>");
	CHECK_CLEAN("<?xml version=\"1.0\"?><svg/>");
	CHECK_ACTIVE("<?xml version=\"1.0\" encoding=\"UTF-7\"?><svg/>", "an encoding other than UTF-8");
	CHECK_ACTIVE("\xEF\xBB\xBF<?xml encoding=\"latin1\"?><svg/>", "an encoding other than UTF-8");
	CHECK_ACTIVE("<?xml encoding=?>", "an encoding other than UTF-8"); /* no value */
	CHECK_CLEAN("<?xml version=\"1.0\"?><svg><text>encoding=\"UTF-7\"</text></svg>");
	CHECK_CLEAN("<?xml encoding=\"UTF-7\"");           /* no end to the declaration */
	CHECK_CLEAN("<svg/><?xml encoding=\"UTF-7\"?>");   /* not the file's opening */
	CHECK_CLEAN("<?XML encoding=\"UTF-7\"?><svg/>");   /* "<?xml" is matched as it is written */
	CHECK_CLEAN("<?xml encodin?>g=\"UTF-7\"<svg/>");   /* "encoding" across the end */
	CHECK_CLEAN("<?xml ?>encoding=\"UTF-7\"?><svg/>"); /* after the first "?>" */

	/* the DOCTYPE: a '[' before its '>' */
	CHECK_CLEAN("<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\"><svg/>");
	CHECK_ACTIVE("<!DOCTYPE svg [<!ATTLIST svg onload CDATA \"x\">]><svg/>",
		     "an internal DTD subset (<!DOCTYPE ... [)");
	CHECK_ACTIVE("<!doctype svg [", "an internal DTD subset (<!DOCTYPE ... [)");
	CHECK_CLEAN("<!DOCTYPE svg><svg><text>[</text></svg>");
	CHECK_CLEAN("<!DOCTYPE svg><!DOCTYPE svg [><svg/>"); /* only the first is read */

	/* the order of report, whatever the order in the file */
	CHECK_ACTIVE("<svg onload=\"x\"><text>&#1;</text><script/></svg>", "<script");
	CHECK_ACTIVE("<script/><?xml-stylesheet href=\"x\"?>", "<?xml-stylesheet");
	CHECK_ACTIVE("<!DOCTYPE svg [<script/>", "an internal DTD subset (<!DOCTYPE ... [)");
	CHECK_ACTIVE("<?xml encoding=\"UTF-7\"?><!DOCTYPE svg [", "an encoding other than UTF-8");
	CHECK_ACTIVE("<set attributeName=\"onload\"/> &#1;", "&#");
	CHECK_ACTIVE("<rect onload=\"x\"/><set attributeName=\"onload\"/>",
		     "an animated event handler (attributeName=\"on...\")");

	/* a needle ending at the last byte is found, one byte short of it is not */
	CHECK_ACTIVE("<svg/>data:text/html", "data:text/html");
	CHECK_CLEAN("<svg/>data:text/htm");
	CHECK_ACTIVE("<svg/>&#", "&#");
	CHECK_CLEAN("<svg/>&");
}

/* ---- The plain definition's answers on texts made of pieces of the needles. */

static void test_plain(void)
{
	static const char *const pieces[] = {
		"<script",
		":script",
		"javascript:",
		"vbscript:",
		"<foreignObject",
		":foreignobject",
		"<iframe",
		":iframe",
		"<embed",
		":embed",
		"<object",
		":object",
		"<!ENTITY",
		"&#",
		"data:text/html",
		"<?xml-stylesheet",
		"<?xml",
		"?>",
		"encoding",
		"=",
		"\"",
		"'",
		"utf-8",
		"UTF-7",
		"us-ascii",
		"<!doctype",
		"[",
		">",
		"attributeName",
		" ",
		"\t",
		"\n",
		"on",
		"ON",
		"load",
		"x",
		"<",
		":",
		"\xEF\xBB\xBF",
		"s",
		"c",
		"r",
		"i",
		"p",
		"t",
		"<scrip",
		"javascrip",
		"attributenam",
		"encodin",
		" onload",
		"onclick "
	};
	/* every other text without the script list and the stylesheet, which would hide the rest,
	   and one in four of those opening with a declaration */
	size_t npieces = sizeof(pieces) / sizeof(*pieces), quiet = 16, t, k;
	unsigned long seed = 42;
	int same = 1;
	char text[512];

	for (t = 0; t < 20000 && same; t++) {
		size_t n = 0, count, from = t % 2 ? quiet : 0;
		const char *got, *want;
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		count = 1 + (seed >> 33) % 12;
		if (t % 4 == 1) {
			memcpy(text, "<?xml", 5);
			n = 5;
		}
		for (k = 0; k < count; k++) {
			const char *p;
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			p = pieces[from + (seed >> 33) % (npieces - from)];
			memcpy(text + n, p, strlen(p));
			n += strlen(p);
		}
		/* one in eight cut short at a random byte */
		if (((seed >> 20) & 7) == 0)
			n = (seed >> 40) % (n + 1);
		got = S_active(text, n, NULL);
		want = S_plain(text, n);
		if (!(got == NULL ? want == NULL : want != NULL && strcmp(got, want) == 0)) {
			same = 0;
			fprintf(stderr, "text %.*s: got %s, want %s\n", (int)n, text, got ? got : "(null)",
				want ? want : "(null)");
		}
	}
	CHECK(same);
}

/* ---- The cost: one pass, whatever the text. */

/* A text of n bytes, the piece again and again; the steps media_svg_active took on it. */
static size_t S_steps_on(const char *piece, size_t n, const char **what)
{
	char *text = malloc(n);
	size_t i, k = strlen(piece), steps = 0;
	if (!text)
		abort();
	for (i = 0; i < n; i++)
		text[i] = piece[i % k];
	*what = media_svg_active(text, n, &steps);
	free(text);
	return steps;
}

static void test_linear(void)
{
	/* near misses of every needle, and what makes the handlers' checks read on */
	static const char *const near[] = {
		"<",
		"<<!!",
		"<scrip",
		":scrip",
		"javascrip",
		"vbscrip",
		"<foreignobjec",
		":foreignobjec",
		"<ifram",
		":ifram",
		"<embe",
		":embe",
		"<objec",
		":objec",
		"<!entit",
		"&",
		"data:text/htm",
		"<?xml-styleshee",
		"encodin",
		"?",
		"<!doctyp",
		"attributenam",
		"attributename    \"x",
		" onaaaaaaaaaaaaaaaa",
		" on     ",
		" onx     ",
		"o",
		" ",
		"a"
	};
	const size_t n = 1 << 20;
	size_t i, worst = 0;
	const char *what;

	for (i = 0; i < sizeof(near) / sizeof(*near); i++) {
		size_t steps = S_steps_on(near[i], n, &what);
		CHECK(what == NULL);
		if (steps > 3 * n) {
			fprintf(stderr, "'%s' again and again: %zu steps for %zu bytes\n", near[i], steps, n);
			CHECK(steps <= 3 * n);
		}
		if (steps > worst)
			worst = steps;
	}
	CHECK(worst >= n); /* every byte is looked at */
	printf("test_media: at most %.2f looks a byte on near misses\n", (double)worst / (double)n);
}

int main(void)
{
	test_reasons();
	test_plain();
	test_linear();
	return CHECK_DONE("test_media");
}
