/*
 * escape: context escapers and the URL scheme check.
 */
#include "escape.h"

#include <ctype.h>
#include <string.h>

void escape_html(struct buf *out, const char *s, size_t n)
{
	size_t i, start = 0;
	for (i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_put(out, s + start, i - start);
		buf_puts(out, rep);
		start = i + 1;
	}
	buf_put(out, s + start, n - start);
}

void escape_json(struct buf *out, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': buf_puts(out, "\\\""); break;
		case '\\': buf_puts(out, "\\\\"); break;
		case '\n': buf_puts(out, "\\n"); break;
		case '\r': buf_puts(out, "\\r"); break;
		case '\t': buf_puts(out, "\\t"); break;
		case '<': buf_puts(out, "\\u003c"); break;
		case '>': buf_puts(out, "\\u003e"); break;
		case '&': buf_puts(out, "\\u0026"); break;
		default:
			/* U+2028 and U+2029 end a line in older JavaScript. */
			if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
			    ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
				buf_printf(out, "\\u%04x", (unsigned)(0x2000 + (unsigned char)s[i + 2] - 0x80));
				i += 2;
			} else if (c < 0x20 || c == 0x7f) {
				buf_printf(out, "\\u%04x", c);
			} else {
				buf_putc(out, c);
			}
		}
	}
}

void escape_xml(struct buf *out, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&apos;"); break;
		default:
			if (c < 0x20 && c != '\t' && c != '\n')
				break;
			buf_putc(out, c);
		}
	}
}

/*
 * Decodes the few forms a browser folds before it reads a scheme: numeric
 * and named entities for ':' and letters, and it ignores ASCII tab/newline
 * and leading spaces/controls. Returns the scheme (lower case) in out, or
 * "" when the URL has none.
 */
static void S_scheme(char *out, size_t cap, const char *s, size_t n)
{
	size_t i = 0, o = 0;
	while (i < n && (unsigned char)s[i] <= 0x20)
		i++;
	while (i < n && o + 1 < cap) {
		unsigned c = (unsigned char)s[i];
		if (c == '\t' || c == '\n' || c == '\r') {
			i++;
			continue;
		}
		if (c == '&') {
			/* &#58; &#x3a; &colon; and entity-coded letters */
			size_t j = i + 1;
			unsigned v = 0;
			if (j < n && s[j] == '#') {
				int hex = 0;
				j++;
				if (j < n && (s[j] == 'x' || s[j] == 'X')) {
					hex = 1;
					j++;
				}
				while (j < n && (hex ? isxdigit((unsigned char)s[j]) : isdigit((unsigned char)s[j]))) {
					unsigned d = isdigit((unsigned char)s[j]) ? (unsigned)(s[j] - '0')
										  : (unsigned)(tolower((unsigned char)s[j]) - 'a' + 10);
					v = v * (hex ? 16 : 10) + d;
					if (v > 0x10ffff)
						v = 0x10ffff;
					j++;
				}
				if (j < n && s[j] == ';')
					j++;
				c = v;
			} else if (n - j >= 6 && strncmp(s + j, "colon;", 6) == 0) {
				c = ':';
				j += 6;
			} else {
				break;
			}
			i = j;
		} else {
			i++;
		}
		if (c == ':') {
			out[o] = '\0';
			return;
		}
		if (!(isalnum(c) || c == '+' || c == '-' || c == '.'))
			break;
		out[o++] = (char)tolower((int)c);
	}
	out[0] = '\0';
}

int url_is_safe(const char *s, size_t n)
{
	char scheme[32];
	size_t i;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return 0;
	S_scheme(scheme, sizeof scheme, s, n);
	if (!scheme[0])
		return 1;
	return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
	       strcmp(scheme, "mailto") == 0;
}
