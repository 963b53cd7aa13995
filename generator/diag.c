/*
 * diag: collect, sort, print. Workers report concurrently, so the list is
 * guarded by one mutex; the order of reports depends on scheduling, so they
 * are sorted by location (then by message) before printing.
 */
#include "diag.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

struct diag {
	enum diag_level level;
	char *path;
	int line, col;
	char *msg;
};

static pthread_mutex_t S_lock = PTHREAD_MUTEX_INITIALIZER;
static struct diag *S_list;
static size_t S_n, S_cap;
static int S_errors, S_warnings, S_strict, S_reported;
static diag_text_fn S_text_fn;
static void *S_text_payload;
static diag_keep_fn S_keep_fn;
static void *S_keep_payload;

void diag_set_text(diag_text_fn lookup, void *payload)
{
	S_text_fn = lookup;
	S_text_payload = payload;
}

void diag_set_filter(diag_keep_fn keep, void *payload)
{
	S_keep_fn = keep;
	S_keep_payload = payload;
}

int diag_reported_errors(void)
{
	return S_reported;
}

void diag_set_strict(int strict)
{
	S_strict = strict;
}

void diag_report(enum diag_level level, const char *path, int line, int col,
		 const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (S_strict && level == DIAG_WARNING)
		level = DIAG_ERROR;

	pthread_mutex_lock(&S_lock);
	if (S_n == S_cap) {
		S_cap = S_cap ? S_cap * 2 : 16;
		S_list = xrealloc(S_list, S_cap * sizeof(*S_list));
	}
	S_list[S_n].level = level;
	S_list[S_n].path = path ? xstrdup(path) : NULL;
	S_list[S_n].line = line;
	S_list[S_n].col = col;
	S_list[S_n].msg = buf_detach(&msg, NULL);
	S_n++;
	if (level == DIAG_ERROR)
		S_errors++;
	else
		S_warnings++;
	pthread_mutex_unlock(&S_lock);
}

int diag_errors(void)
{
	return S_errors;
}

int diag_warnings(void)
{
	return S_warnings;
}

static int S_cmp(const void *pa, const void *pb)
{
	const struct diag *a = pa, *b = pb;
	int c = strcmp(a->path ? a->path : "", b->path ? b->path : "");
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	if ((a->level == DIAG_ERROR) != (b->level == DIAG_ERROR))
		return a->level == DIAG_ERROR ? -1 : 1;
	return strcmp(a->msg, b->msg);
}

/*
 * The offending line and a caret under the column, like a compiler. Tabs
 * are kept so the caret lines up; other control characters become '?'
 * so a hostile file cannot drive the terminal.
 */
static void S_quote_line(FILE *out, const struct diag *d)
{
	size_t len, i, start = 0, end;
	const char *text;
	int line = 1;

	if (!S_text_fn || !d->path || !d->line || !(text = S_text_fn(d->path, &len, S_text_payload)))
		return;
	for (i = 0; i < len && line < d->line; i++)
		if (text[i] == '\n') {
			line++;
			start = i + 1;
		}
	if (line != d->line || start >= len)
		return;
	for (end = start; end < len && text[end] != '\n' && text[end] != '\r' && end - start < 500; end++)
		;
	fputs("    ", out);
	for (i = start; i < end; i++)
		fputc((unsigned char)text[i] < 0x20 && text[i] != '\t' ? '?' : text[i], out);
	fputc('\n', out);
	if (!d->col)
		return;
	fputs("    ", out);
	/* col counts characters from 1; wide (CJK) characters take two cells */
	for (i = start, line = 1; i < end && line < d->col; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c & 0xC0) == 0x80)
			continue;
		line++;
		fputs(c == '\t' ? "\t" : c >= 0xE0 ? "  " : " ", out);
	}
	fputs("^\n", out);
}

static void S_print_text(FILE *out, const struct diag *d, const char *kind)
{
	if (!d->path)
		fprintf(out, "jixia: %s: %s\n", kind, d->msg);
	else if (d->line && d->col)
		fprintf(out, "%s:%d:%d: %s: %s\n", d->path, d->line, d->col, kind, d->msg);
	else if (d->line)
		fprintf(out, "%s:%d: %s: %s\n", d->path, d->line, kind, d->msg);
	else
		fprintf(out, "%s: %s: %s\n", d->path, kind, d->msg);
	S_quote_line(out, d);
}

/*
 * GitHub workflow commands: in the message %, CR and LF are escaped; in a
 * property value (the file name) also ':' and ','.
 */
static void S_github_escape(FILE *out, const char *s, int property)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", out);
		else if (*s == '\r')
			fputs("%0D", out);
		else if (*s == '\n')
			fputs("%0A", out);
		else if (property && *s == ':')
			fputs("%3A", out);
		else if (property && *s == ',')
			fputs("%2C", out);
		else
			fputc(*s, out);
	}
}

static void S_print_github(FILE *out, const struct diag *d, const char *kind)
{
	fprintf(out, "::%s", kind);
	if (d->path) {
		fputs(" file=", out);
		S_github_escape(out, d->path, 1);
		if (d->line)
			fprintf(out, ",line=%d", d->line);
		if (d->col)
			fprintf(out, ",col=%d", d->col);
	}
	fputs("::", out);
	S_github_escape(out, d->msg, 0);
	fputc('\n', out);
}

static void S_print_json(FILE *out, const struct diag *d, const char *kind)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "{\"severity\":\"");
	buf_puts(&b, kind);
	buf_puts(&b, "\",\"file\":");
	if (d->path) {
		buf_putc(&b, '"');
		escape_json(&b, d->path, strlen(d->path));
		buf_putc(&b, '"');
	} else {
		buf_puts(&b, "null");
	}
	buf_printf(&b, ",\"line\":%d,\"col\":%d,\"message\":\"", d->line, d->col);
	escape_json(&b, d->msg, strlen(d->msg));
	buf_puts(&b, "\"}\n");
	fputs(buf_cstr(&b), out);
	buf_release(&b);
}

void diag_flush(FILE *out, enum diag_format format)
{
	size_t i;

	pthread_mutex_lock(&S_lock);
	if (S_n > 1)
		qsort(S_list, S_n, sizeof(*S_list), S_cmp);
	for (i = 0; i < S_n; i++) {
		const struct diag *d = &S_list[i];
		const char *kind = d->level == DIAG_ERROR ? "error" : "warning";
		if (d->path && S_keep_fn && !S_keep_fn(d->path, S_keep_payload)) {
			free(d->path);
			free(d->msg);
			continue;
		}
		S_reported += d->level == DIAG_ERROR;
		if (format == DIAG_GITHUB)
			S_print_github(out, d, kind);
		else if (format == DIAG_JSON)
			S_print_json(out, d, kind);
		else
			S_print_text(out, d, kind);
		free(d->path);
		free(d->msg);
	}
	S_n = 0;
	pthread_mutex_unlock(&S_lock);
	fflush(out);
}

void diag_reset(void)
{
	size_t i;
	pthread_mutex_lock(&S_lock);
	for (i = 0; i < S_n; i++) {
		free(S_list[i].path);
		free(S_list[i].msg);
	}
	free(S_list);
	S_list = NULL;
	S_n = S_cap = 0;
	S_errors = S_warnings = S_reported = 0;
	pthread_mutex_unlock(&S_lock);
}
