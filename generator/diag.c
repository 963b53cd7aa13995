/*
 * diag: collect, sort, print. Workers report concurrently, so the list is
 * guarded by one mutex; the order of reports depends on scheduling, so they
 * are sorted by location (then by message) before printing.
 *
 * A flush prints at most DIAG_MAX_FILE diagnostics of one file and
 * DIAG_MAX in all, the first in print order, and says how many more
 * there were: a hostile page of a million broken links would otherwise
 * hold a million messages until the flush (about 500 bytes each), and
 * print them. Which ones are kept cannot depend on the order workers
 * report them in, so the list is cut in print order (S_cut) whenever it
 * doubles past DIAG_MAX: a file's entries after its DIAG_MAX_FILE-th, and
 * every entry after the DIAG_MAX-th, are dropped, and the entry each cut
 * stopped at is kept as a bar (a report that sorts after it can never be
 * printed, and is counted without being kept). A flush cuts once more.
 * The counts of errors and warnings, and so the exit status, take in
 * every report.
 */
#include "diag.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

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
/* The bars of S_cut (S_list's, under S_lock): the whole list's, if a cut
   dropped entries past DIAG_MAX, and each file's that had more than
   DIAG_MAX_FILE (S_file_bar[S_file_bars.get(path) - 1]; the key is the
   bar's own path). */
static struct diag S_bar;
static int S_barred;
static struct diag *S_file_bar;
static size_t S_nfile_bars, S_file_bar_cap;
static struct strmap S_file_bars;
/* Reports dropped or not kept since the last flush, by level. */
static size_t S_dropped_errors, S_dropped_warnings;
static int S_errors, S_warnings, S_strict, S_reported;
/*
 * Quoting a line scans its file from the top, so a page with 40,000 broken
 * links cost seconds; past this many a flush prints diagnostics unquoted.
 */
#define S_MAX_QUOTED 100
/* Bytes of a quoted line shown at most (a minified line would fill the screen). */
#define S_MAX_SHOWN 500
static int S_quoted; /* lines quoted by this diag_flush */
static diag_text_fn S_text_fn;
static void *S_text_payload;
static diag_keep_fn S_keep_fn;
static void *S_keep_payload;
static FILE *S_copy; /* diag_set_copy */

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

void diag_set_copy(FILE *copy)
{
	S_copy = copy;
}

size_t diag_pending(void)
{
	size_t n;
	pthread_mutex_lock(&S_lock);
	n = S_n + S_dropped_errors + S_dropped_warnings;
	pthread_mutex_unlock(&S_lock);
	return n;
}

int diag_reported_errors(void)
{
	return S_reported;
}

void diag_set_strict(int strict)
{
	S_strict = strict;
}

/* Reports made on this thread (diag_thread_reports). */
static __thread size_t S_thread_reports;

size_t diag_thread_reports(void)
{
	return S_thread_reports;
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

static void S_free(struct diag *d)
{
	free(d->path);
	free(d->msg);
}

/* d will not be printed: counted in the note of the rest (S_not_shown). */
static void S_count_dropped(const struct diag *d)
{
	if (d->level == DIAG_ERROR)
		S_dropped_errors++;
	else
		S_dropped_warnings++;
}

static void S_drop(struct diag *d)
{
	S_count_dropped(d);
	S_free(d);
}

/* d will never be printed: it sorts after a bar. */
static int S_barred_out(const struct diag *d)
{
	long at;

	if (S_barred && S_cmp(d, &S_bar) >= 0)
		return 1;
	at = d->path ? strmap_get(&S_file_bars, d->path, 0) : 0;
	return at && S_cmp(d, &S_file_bar[at - 1]) >= 0;
}

/* The bar of d's file becomes d (moved there): an earlier entry than the one before. */
static void S_bar_file(struct diag *d)
{
	long at = strmap_get(&S_file_bars, d->path, 0);

	if (at) {
		/* the map's key is the bar's path: it stays, the same text as d's */
		struct diag *bar = &S_file_bar[at - 1];
		char *path = bar->path;

		free(bar->msg);
		*bar = *d;
		free(bar->path);
		bar->path = path;
		return;
	}
	ARRAY_GROW(S_file_bar, S_nfile_bars, S_file_bar_cap, 16);
	S_file_bar[S_nfile_bars++] = *d;
	strmap_put(&S_file_bars, d->path, (long)S_nfile_bars);
}

/*
 * Sorts the list and keeps what a flush may print of it: DIAG_MAX_FILE
 * entries of a file, DIAG_MAX in all. Each cut's first dropped entry
 * becomes a bar (see the top of the file); the others are freed.
 */
static void S_cut(void)
{
	enum { KEEP, BAR, BAR_FILE, DROP };
	unsigned char *fate;
	size_t i, kept = 0, run = 0;
	int barred = 0;

	if (S_n > 1)
		qsort(S_list, S_n, sizeof(*S_list), S_cmp);
	fate = xmalloc(S_n ? S_n : 1);
	for (i = 0; i < S_n; i++) { /* decided first: a dropped entry's path is the next one's "same" */
		const struct diag *d = &S_list[i];

		run = i > 0 && d->path && S_list[i - 1].path && strcmp(d->path, S_list[i - 1].path) == 0
			      ? run + 1
			      : 1;
		if (kept < DIAG_MAX && (!d->path || run <= DIAG_MAX_FILE)) {
			fate[i] = KEEP;
			kept++;
		} else if (barred) {
			fate[i] = DROP;
		} else if (kept >= DIAG_MAX) {
			fate[i] = BAR; /* the rest sort after it: their files need no bar */
			barred = 1;
		} else {
			fate[i] = run == DIAG_MAX_FILE + 1 ? BAR_FILE : DROP;
		}
	}
	for (i = 0, kept = 0; i < S_n; i++) {
		struct diag d = S_list[i];

		if (fate[i] == KEEP) {
			S_list[kept++] = d;
			continue;
		}
		S_count_dropped(&d);
		if (fate[i] == BAR) {
			if (S_barred)
				S_free(&S_bar);
			S_bar = d;
			S_barred = 1;
		} else if (fate[i] == BAR_FILE) {
			S_bar_file(&d);
		} else {
			S_free(&d);
		}
	}
	free(fate);
	S_n = kept;
}

/* Forgets the bars (a flush). */
static void S_unbar(void)
{
	size_t i;

	if (S_barred)
		S_free(&S_bar);
	S_barred = 0;
	for (i = 0; i < S_nfile_bars; i++)
		S_free(&S_file_bar[i]);
	free(S_file_bar);
	S_file_bar = NULL;
	S_nfile_bars = S_file_bar_cap = 0;
	strmap_free(&S_file_bars);
	S_dropped_errors = S_dropped_warnings = 0;
}

void diag_report(enum diag_level level, const char *path, int line, int col, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	struct diag d;
	va_list ap;
	int filtered;

	S_thread_reports++;

	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (S_strict && level == DIAG_WARNING)
		level = DIAG_ERROR;

	d.level = level;
	d.path = path ? xstrdup(path) : NULL;
	d.line = line;
	d.col = col;
	d.msg = buf_detach(&msg, NULL);
	/* the filter's files only take up the room S_cut leaves (it reads what was set before the reports) */
	filtered = path && S_keep_fn && !S_keep_fn(path, S_keep_payload);
	pthread_mutex_lock(&S_lock);
	if (level == DIAG_ERROR)
		S_errors++;
	else
		S_warnings++;
	if (filtered) {
		S_free(&d);
	} else if (S_barred_out(&d)) {
		S_drop(&d);
	} else {
		ARRAY_GROW(S_list, S_n, S_cap, 16);
		S_list[S_n++] = d;
		if (S_n >= 2 * DIAG_MAX)
			S_cut();
	}
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

/*
 * What a terminal or a log viewer must not be handed from a path or a
 * message as it is: C0 controls (a newline would forge a diagnostic line,
 * ESC drives the terminal), DEL, and every character past ASCII that does
 * not show (text_char_shows, spaces aside): C1 controls (U+009B is a CSI
 * too), the line and paragraph separators, the bidirectional overrides and
 * isolates (they reorder what is shown), and the format characters a
 * reader cannot see, such as U+200B and U+FEFF in a file's name (the error
 * refusing it would name a file that reads like another). Returns the
 * length of the character at s[i] (s is n bytes) and sets *unsafe; a byte
 * that starts no valid UTF-8 sequence is one unsafe character of length 1.
 */
static size_t S_char(const char *s, size_t n, size_t i, utf8proc_int32_t *cp, int *unsafe)
{
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), cp);
	if (k <= 0) {
		*cp = (unsigned char)s[i];
		*unsafe = 1;
		return 1;
	}
	*unsafe = *cp < 0x20 || *cp == 0x7F || (*cp >= 0x80 && !text_char_shows_n(s, s + i, s + n, 1));
	return (size_t)k;
}

/*
 * GitHub's runner takes a workflow command from any line a job prints: a
 * line whose first non-blank is "::" (it trims leading white space) and,
 * in the legacy syntax, "##[" anywhere in a line. It matches them by the
 * culture's rules, which skip ignorable characters (a soft hyphen, a zero
 * width joiner): such a character is transparent here too, and so is any
 * format character, to be safe.
 */
static int S_transparent(utf8proc_int32_t cp)
{
	return utf8proc_get_property(cp)->ignorable || utf8proc_category(cp) == UTF8PROC_CATEGORY_CF;
}

/* White space to .NET's TrimStart (controls are never shown as they are). */
static int S_blank(utf8proc_int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return cp == ' ' || c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL ||
	       c == UTF8PROC_CATEGORY_ZP || S_transparent(cp);
}

/* How far one line has been written, for S_put. */
struct shown {
	int lead;   /* nothing but blanks on the line so far */
	int hash;   /* the last character that counts was a '#' */
	int follow; /* what the line goes on with after this text, -1 nothing */
	int tabs;   /* a tab is shown as it is (diag_clean_line), a blank */
};

/* The first character from s[i] on (n bytes) that is not transparent, else follow. */
static utf8proc_int32_t S_next(const char *s, size_t n, size_t i, int follow)
{
	utf8proc_int32_t cp;
	int unsafe;
	while (i < n) {
		i += S_char(s, n, i, &cp, &unsafe);
		if (unsafe || !S_transparent(cp))
			return cp;
	}
	return follow;
}

/*
 * The one place that decides how a character of a path, a message or a
 * quoted line is shown. Writes the character at s[i] (s is n bytes) to out
 * and returns its length; *cols gets the columns it takes. An unsafe
 * character is \xHH (a control or a stray byte) or \uHHHH (past ASCII: a
 * C1 control, a separator, a bidi control, U+200B; \UHHHHHHHH past
 * U+FFFF), so the text stays one line of valid UTF-8 and says what was
 * there; in a quoted line (quote) it is '?' and a tab four spaces, so the
 * caret under it lines up. The first ':' of a "::" that
 * would start the line and the second '#' of "##[" become \x3a and \x23,
 * so no line is a workflow command.
 */
static size_t S_put(struct buf *out, struct shown *st, const char *s, size_t n, size_t i, int quote,
		    size_t *cols)
{
	utf8proc_int32_t cp;
	int unsafe, raw = 0, blank = 0, hash = 0;
	size_t k = S_char(s, n, i, &cp, &unsafe), at = out->len;

	if (quote && cp == '\t') {
		buf_puts(out, "    ");
		blank = 1;
	} else if (st->tabs && cp == '\t') {
		buf_putc(out, '\t');
		blank = 1;
	} else if (unsafe && quote) {
		buf_putc(out, '?');
	} else if (unsafe && k == 1) {
		buf_printf(out, "\\x%02x", (unsigned)(unsigned char)s[i]);
	} else if (unsafe) {
		buf_printf(out, cp > 0xFFFF ? "\\U%08x" : "\\u%04x", (unsigned)cp);
	} else if ((cp == ':' && st->lead && S_next(s, n, i + k, st->follow) == ':') ||
		   (cp == '#' && st->hash && S_next(s, n, i + k, st->follow) == '[')) {
		buf_printf(out, "\\x%02x", (unsigned)cp);
	} else {
		buf_put(out, s + i, k);
		raw = 1;
		blank = st->lead && S_blank(cp);
		hash = cp == '#' || (st->hash && S_transparent(cp));
	}
	st->lead = st->lead && blank;
	st->hash = hash;
	/* wide (CJK) characters take two cells */
	*cols = raw ? (k >= 3 ? 2 : 1) : out->len - at;
	return k;
}

/*
 * s as it may be shown (see S_put). lead: s starts its line, and follow is
 * the character written after it.
 */
static void S_clean(struct buf *out, const char *s, int lead, int follow)
{
	struct shown st = { lead, 0, follow, 0 };
	size_t n = strlen(s), i, cols;
	for (i = 0; i < n;)
		i += S_put(out, &st, s, n, i, 0, &cols);
}

void diag_clean_line(struct buf *out, const char *s, size_t n)
{
	struct shown st = { 1, 0, -1, 1 };
	size_t i, cols;
	for (i = 0; i < n;)
		i += S_put(out, &st, s, n, i, 0, &cols);
}

/*
 * The offending line and a caret under the column, like a compiler; its
 * characters are shown as S_put says, and the caret counts the columns
 * they take.
 */
static void S_quote_line(FILE *out, const struct diag *d)
{
	struct buf shown = BUF_INIT, caret = BUF_INIT;
	struct shown st = { 1, 0, -1, 0 };
	size_t len, i, start = 0, end, cols, k;
	const char *text;
	int line = 1, c;

	if (!S_text_fn || !d->path || !d->line || S_quoted >= S_MAX_QUOTED ||
	    !(text = S_text_fn(d->path, &len, S_text_payload)))
		return;
	S_quoted++;
	for (i = 0; i < len && line < d->line; i++)
		if (text[i] == '\n') {
			line++;
			start = i + 1;
		}
	if (line != d->line || start >= len)
		return;
	for (end = start; end < len && text[end] != '\n' && text[end] != '\r' && end - start < S_MAX_SHOWN;
	     end++)
		;
	/* a long line is cut before the character the limit falls in, not inside it */
	for (k = 0; k < 3 && end > start && end < len && ((unsigned char)text[end] & 0xC0) == 0x80; k++)
		end--;
	if (k == 3 && ((unsigned char)text[end] & 0xC0) == 0x80)
		end += 3; /* stray continuation bytes, not a character: each is shown as '?' */
	buf_puts(&shown, "    ");
	buf_puts(&caret, "    ");
	/* col counts characters from 1 */
	for (i = start, c = 1; i < end; c++) {
		i += S_put(&shown, &st, text, end, i, 1, &cols);
		while (c < d->col && cols--)
			buf_putc(&caret, ' ');
	}
	fprintf(out, "%s\n", buf_cstr(&shown));
	if (d->col)
		fprintf(out, "%s^\n", buf_cstr(&caret));
	buf_release(&shown);
	buf_release(&caret);
}

static void S_print_text(FILE *out, const struct diag *d, const char *kind)
{
	struct buf path = BUF_INIT, msg = BUF_INIT;
	S_clean(&msg, d->msg, 0, -1);
	if (d->path) /* it starts the line, and ':' follows */
		S_clean(&path, d->path, 1, ':');
	if (!d->path)
		fprintf(out, "jixia: %s: %s\n", kind, buf_cstr(&msg));
	else if (d->line && d->col)
		fprintf(out, "%s:%d:%d: %s: %s\n", buf_cstr(&path), d->line, d->col, kind, buf_cstr(&msg));
	else if (d->line)
		fprintf(out, "%s:%d: %s: %s\n", buf_cstr(&path), d->line, kind, buf_cstr(&msg));
	else
		fprintf(out, "%s: %s: %s\n", buf_cstr(&path), kind, buf_cstr(&msg));
	S_quote_line(out, d);
	buf_release(&path);
	buf_release(&msg);
}

/*
 * GitHub workflow commands: in the message %, CR and LF are escaped; in a
 * property value (the file name) also ':' and ','. The text is clean
 * already (no CR or LF left), but the escapes keep the command well formed
 * whatever it is given.
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
	struct buf b = BUF_INIT;
	fprintf(out, "::%s", kind);
	if (d->path) {
		fputs(" file=", out);
		S_clean(&b, d->path, 0, -1);
		S_github_escape(out, buf_cstr(&b), 1);
		if (d->line)
			fprintf(out, ",line=%d", d->line);
		if (d->col)
			fprintf(out, ",col=%d", d->col);
	}
	fputs("::", out);
	buf_reset(&b);
	S_clean(&b, d->msg, 0, -1);
	S_github_escape(out, buf_cstr(&b), 0);
	fputc('\n', out);
	buf_release(&b);
}

/* A JSON escape of code point cp (two past U+FFFF: UTF-16's surrogates). */
static void S_json_cp(struct buf *b, utf8proc_int32_t cp)
{
	if (cp > 0xFFFF) {
		cp -= 0x10000;
		buf_printf(b, "\\u%04x\\u%04x", (unsigned)(0xD800 + (cp >> 10)),
			   (unsigned)(0xDC00 + (cp & 0x3FF)));
	} else {
		buf_printf(b, "\\u%04x", (unsigned)cp);
	}
}

/*
 * The path as a JSON string's contents, exact, so a tool can open the file:
 * a character that does not show (S_char) or '#' (no "##[" for GitHub's
 * runner) as its \u escape, which JSON reads back as the character, and
 * nothing raw that a terminal would act on. A byte that is not UTF-8 has no
 * JSON form: it is \xHH, as the other formats show it.
 */
static void S_json_path(struct buf *b, const char *path)
{
	size_t n = strlen(path), i, k;
	utf8proc_int32_t cp;
	int unsafe;

	for (i = 0; i < n; i += k) {
		k = S_char(path, n, i, &cp, &unsafe);
		if (unsafe && (unsigned char)path[i] >= 0x80 && k == 1) /* not UTF-8 */
			buf_printf(b, "\\\\x%02x", (unsigned)(unsigned char)path[i]);
		else if (unsafe || cp == '#')
			S_json_cp(b, cp);
		else
			escape_json(b, path + i, k);
	}
}

/*
 * JSON holds the same clean text as the other formats, so it is valid
 * UTF-8, but for the path of the json format (exact_path), which tools
 * read: S_json_path. Serve's copy, which the browser shows, takes the
 * clean path too.
 */
static void S_print_json(FILE *out, const struct diag *d, const char *kind, int exact_path)
{
	struct buf b = BUF_INIT, t = BUF_INIT;
	buf_puts(&b, "{\"severity\":\"");
	buf_puts(&b, kind);
	buf_puts(&b, "\",\"file\":");
	if (d->path && exact_path) {
		buf_putc(&b, '"');
		S_json_path(&b, d->path);
		buf_putc(&b, '"');
	} else if (d->path) {
		S_clean(&t, d->path, 0, -1);
		buf_putc(&b, '"');
		escape_json(&b, buf_cstr(&t), t.len);
		buf_putc(&b, '"');
	} else {
		buf_puts(&b, "null");
	}
	buf_printf(&b, ",\"line\":%d,\"col\":%d,\"message\":\"", d->line, d->col);
	buf_reset(&t);
	S_clean(&t, d->msg, 0, -1);
	escape_json(&b, buf_cstr(&t), t.len);
	buf_puts(&b, "\"}\n");
	fputs(buf_cstr(&b), out);
	buf_release(&b);
	buf_release(&t);
}

/* The flush's last line: how many reports S_cut dropped (they count in S_reported all the same). */
static void S_not_shown(FILE *out, enum diag_format format)
{
	struct diag d = { DIAG_NOTICE, NULL, 0, 0, NULL };
	struct buf msg = BUF_INIT;
	const char *kind = format == DIAG_GITHUB ? "notice" : "note";

	if (!S_dropped_errors && !S_dropped_warnings)
		return;
	S_reported += (int)S_dropped_errors;
	buf_printf(
		&msg,
		"%zu more errors and %zu more warnings are not shown: at most %d of one file and %d in all "
		"are",
		S_dropped_errors, S_dropped_warnings, DIAG_MAX_FILE, DIAG_MAX);
	d.msg = (char *)buf_cstr(&msg);
	if (format == DIAG_GITHUB)
		S_print_github(out, &d, kind);
	else if (format == DIAG_JSON)
		S_print_json(out, &d, kind, 1);
	else
		S_print_text(out, &d, kind);
	if (S_copy)
		S_print_json(S_copy, &d, "note", 0);
	buf_release(&msg);
}

void diag_flush(FILE *out, enum diag_format format)
{
	/* stderr is unbuffered: one write for the lot, not one per character. */
	char *mem = NULL;
	size_t memlen = 0, i;
	FILE *o = open_memstream(&mem, &memlen);
	FILE *dest = out;

	if (o)
		out = o;
	pthread_mutex_lock(&S_lock);
	S_cut();
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
			S_print_json(out, d, kind, 1);
		else
			S_print_text(out, d, kind);
		if (S_copy)
			S_print_json(S_copy, d, kind, 0);
		free(d->path);
		free(d->msg);
	}
	S_n = 0;
	S_quoted = 0;
	S_not_shown(out, format);
	S_unbar();
	pthread_mutex_unlock(&S_lock);
	if (o) {
		fclose(o);
		fwrite(mem, 1, memlen, dest);
		free(mem);
	}
	fflush(dest);
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
	S_unbar();
	S_errors = S_warnings = S_reported = 0;
	pthread_mutex_unlock(&S_lock);
}
