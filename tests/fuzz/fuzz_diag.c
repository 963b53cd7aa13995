/*
 * fuzz_diag: any bytes as a diagnostic's path, message and the file text
 * its line is quoted from, printed in every format. Whatever they hold, the
 * output must be valid UTF-8 with no control character but the newline
 * ending each line (no ESC for the terminal, no C1, no bidi control, no
 * stray byte), and no more lines than the format writes: a message can
 * never forge a diagnostic of its own. No line may be a GitHub workflow
 * command either: "::" as its first non-blank, or "##[" anywhere, even
 * with ignorable characters between (the runner matches by culture rules,
 * which skip them). A violation aborts.
 *
 * Input: one byte of flags (level, no path, no text), one byte each for the
 * line and the column, then path, message and text separated by NUL bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *S_text;
static size_t S_text_len;

static const char *S_lookup(const char *path, size_t *len, void *payload)
{
	(void)path;
	(void)payload;
	*len = S_text_len;
	return S_text;
}

/* The length of the valid UTF-8 sequence at s (n bytes left), 0 if none. */
static size_t S_utf8(const unsigned char *s, size_t n)
{
	size_t len, k;
	unsigned c = s[0], min;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, c &= 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, c &= 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[k] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	return len;
}

/* Aborts unless out is clean; returns its number of lines. */
static size_t S_check(const char *out, size_t n)
{
	const unsigned char *s = (const unsigned char *)out;
	size_t i, k, lines = 0;
	if (n && s[n - 1] != '\n')
		abort();
	for (i = 0; i < n; i += k) {
		k = S_utf8(s + i, n - i);
		if (k == 0)
			abort();
		if (s[i] == '\n')
			lines++;
		else if (s[i] < 0x20 || s[i] == 0x7F)
			abort();
		/* C1 controls, U+2028/2029, bidi embeddings, overrides and isolates */
		if (k == 2 && s[i] == 0xC2 && s[i + 1] <= 0x9F)
			abort();
		if (k == 3 && s[i] == 0xE2 && s[i + 1] == 0x80 && s[i + 2] >= 0xA8 && s[i + 2] <= 0xAE)
			abort();
		if (k == 3 && s[i] == 0xE2 && s[i + 1] == 0x81 && s[i + 2] >= 0xA6 && s[i + 2] <= 0xA9)
			abort();
	}
	return lines;
}

/* Characters the runner's culture-aware matching skips (and any format character). */
static int S_ignorable(utf8proc_int32_t cp)
{
	return utf8proc_get_property(cp)->ignorable || utf8proc_category(cp) == UTF8PROC_CATEGORY_CF;
}

/*
 * Aborts if a line of out (valid UTF-8, checked already) is a workflow
 * command, other than the one a line of --format github is meant to be
 * (github): each line is read without its ignorable characters.
 */
static void S_check_commands(const char *out, size_t n, int github)
{
	char *line = malloc(n + 1);
	size_t i = 0, k, len;
	utf8proc_int32_t cp;

	while (i < n) {
		int lead = 1;
		len = 0;
		for (; i < n && out[i] != '\n'; i += k) {
			utf8proc_category_t c;
			k = (size_t)utf8proc_iterate((const utf8proc_uint8_t *)out + i,
						     (utf8proc_ssize_t)(n - i), &cp);
			c = utf8proc_category(cp);
			if (S_ignorable(cp))
				continue;
			/* leading white space, as .NET's TrimStart sees it */
			if (lead && (cp == ' ' || c == UTF8PROC_CATEGORY_ZS))
				continue;
			lead = 0;
			memcpy(line + len, out + i, k);
			len += k;
		}
		i++;
		line[len] = '\0';
		if ((!github && len >= 2 && line[0] == ':' && line[1] == ':') || strstr(line, "##["))
			abort();
	}
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum diag_format formats[] = { DIAG_TEXT, DIAG_GITHUB, DIAG_JSON };
	char *copy, *path, *msg, *end, *out = NULL;
	size_t i, n, lines;
	int flags, line, col;

	if (size < 3)
		return 0;
	flags = data[0];
	line = data[1] % 8;
	col = data[2];
	copy = malloc(size - 3 + 2);
	memcpy(copy, data + 3, size - 3);
	copy[size - 3] = copy[size - 2] = '\0';
	end = copy + size - 3;
	path = copy;
	msg = path + strlen(path) + 1;
	if (msg > end)
		msg = end;
	S_text = msg + strlen(msg) + 1;
	if (S_text > end)
		S_text = end;
	S_text_len = (size_t)(end - S_text);

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		FILE *f = open_memstream(&out, &n);
		diag_reset();
		diag_set_text(flags & 4 ? NULL : S_lookup, NULL);
		diag_report(flags & 1 ? DIAG_WARNING : DIAG_ERROR, flags & 2 ? NULL : path, line, col, "%s",
			    msg);
		diag_flush(f, formats[i]);
		fclose(f);
		lines = S_check(out, n);
		S_check_commands(out, n, formats[i] == DIAG_GITHUB);
		/* one line; text adds the quoted line and its caret */
		if (lines != 1 && !(formats[i] == DIAG_TEXT && lines <= 3))
			abort();
		free(out);
		out = NULL;
	}
	diag_set_text(NULL, NULL);
	diag_reset();
	free(copy);
	return 0;
}
