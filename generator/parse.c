/*
 * parse: front matter fences, the YAML inside them, and the Markdown body
 * through cmark-gfm. Positions always count from the top of the file, so a
 * mistake in front matter is reported where the contributor sees it. A
 * page's body is parsed once; the same AST gives the HTML (headings with
 * ids), the table of contents, the summary and the reading time.
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "parse.h"

#include <ctype.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <cmark-gfm/render.h> /* struct cmark_html_renderer: where a render hook writes */
#include <utf8proc.h>

#include "diag.h"
#include "escape.h"
#include "highlight.h"
#include "mdcost.h"
#include "pagetok.h"
#include "theme.h"

/* The length of the line at p (up to, not including, its newline). */
static size_t S_line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? (size_t)(nl - p) : (size_t)(end - p);
}

/* A fence line: the marker, then only spaces, tabs or a CR. */
static int S_is_fence(const char *p, size_t n, const char *marker)
{
	size_t i;
	if (n < 3 || memcmp(p, marker, 3) != 0)
		return 0;
	for (i = 3; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/* A line of nothing but spaces, tabs or a CR. */
static int S_is_blank(const char *p, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/*
 * Blank lines before the opening fence (editors and exports leave them):
 * skipped when a "---" follows them and is closed further down, so a body
 * that starts with blank lines and a thematic break stays a body. Returns
 * the opening fence and its line, or NULL.
 */
static const char *S_fence_after_blanks(const char *p, const char *end, int *line)
{
	const char *q;
	size_t n;
	int l = 1;

	while (p < end && S_is_blank(p, n = S_line_len(p, end)) && p + n < end) {
		p += n + 1;
		l++;
	}
	if (l == 1 || p >= end)
		return NULL;
	n = S_line_len(p, end);
	if (!S_is_fence(p, n, "---"))
		return NULL;
	for (q = p + (n < (size_t)(end - p) ? n + 1 : n); q < end;) {
		size_t k = S_line_len(q, end);
		if (S_is_fence(q, k, "---") || S_is_fence(q, k, "..."))
			break;
		q += k < (size_t)(end - q) ? k + 1 : k;
	}
	if (q >= end)
		return NULL;
	*line = l;
	return p;
}

int fm_split(struct fm_split *out, const char *path, const char *src, size_t len)
{
	const char *p = src, *end = src + len, *fence;
	size_t n;
	int line = 2, first = 1;

	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	memset(out, 0, sizeof(*out));
	out->body = p;
	out->body_len = (size_t)(end - p);
	out->body_line = 1;

	if ((fence = S_fence_after_blanks(p, end, &first)) != NULL) {
		p = fence;
		line = first + 1;
	}
	n = S_line_len(p, end);
	if (!S_is_fence(p, n, "---"))
		return 0;
	p += n < (size_t)(end - p) ? n + 1 : n;
	out->fm = p;
	out->fm_line = line;
	while (p < end) {
		n = S_line_len(p, end);
		if (S_is_fence(p, n, "---") || S_is_fence(p, n, "...")) {
			out->fm_len = (size_t)(p - out->fm);
			p += n < (size_t)(end - p) ? n + 1 : n;
			out->body = p;
			out->body_len = (size_t)(end - p);
			out->body_line = line + 1;
			return 0;
		}
		p += n < (size_t)(end - p) ? n + 1 : n;
		line++;
	}
	diag_error(path, first, 1, "front matter opened here has no closing '---' line");
	return -1;
}

/*
 * cmark-gfm 0.29 puts its extensions' special characters ('|', '~', ':',
 * 'w') into one process-wide table when a parser starts on a document's
 * inlines (in cmark_parser_finish, through
 * cmark_manage_extensions_special_characters) and takes them out when it
 * ends: a page finishing on one thread would blind another to tables,
 * strikethrough and autolinks halfway through its own, and the output
 * would change with timing.
 *
 * Every parser jixia makes attaches the same extensions (S_parser_new), so
 * while any document's inlines are parsed the table holds the same
 * characters. The definition of that function below takes the library's
 * place (it calls it through its PLT, and an executable's symbols come
 * first): once parse_init has put the characters in, through the
 * library's own function, every later call is nothing, so they stay and
 * documents finish on many threads at once (the inline parse is much of
 * cmark's work, and it ran on one thread at a time). parse_init checks that the
 * library really called this definition; where it did not (a library
 * linked statically or bound to its own symbols), or before parse_init,
 * one thread at a time finishes a document, as before.
 */
static pthread_mutex_t S_finish_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t S_init_once = PTHREAD_ONCE_INIT;
/* The library's own function (dlsym RTLD_NEXT), NULL where not found. */
static void (*S_manage_real)(cmark_parser *, int);
/* The library called the definition below (set by parse_init's probe). */
static atomic_int S_manage_called;
/* The characters are in the table for good: no finish takes the lock. */
static atomic_int S_specials_kept;

void cmark_manage_extensions_special_characters(cmark_parser *parser, int add)
{
	atomic_store(&S_manage_called, 1);
	if (atomic_load(&S_specials_kept))
		return;
	/* Before parse_init's end: what the library does, under S_finish_lock. */
	if (S_manage_real)
		S_manage_real(parser, add);
}

static cmark_parser *S_parser_new(int opts);
static void S_parser_free(cmark_parser *parser);

static void S_init(void)
{
	static const char probe[] = "a ~~b~~ | c\n";
	cmark_parser *parser;
	cmark_node *doc;

	cmark_gfm_core_extensions_ensure_registered();
	*(void **)&S_manage_real = dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters");
	/* Does the library call the definition above? */
	parser = S_parser_new(0);
	cmark_parser_feed(parser, probe, sizeof(probe) - 1);
	doc = cmark_parser_finish(parser);
	cmark_node_free(doc);
	S_parser_free(parser);
	if (atomic_load(&S_manage_called) && !S_manage_real) {
		/* It does, but its own is nowhere: no table or strikethrough would ever parse. */
		fprintf(stderr, "jixia: cmark-gfm calls jixia's "
				"cmark_manage_extensions_special_characters but its own is not found\n");
		abort();
	}
	if (atomic_load(&S_manage_called)) {
		/* Yes: the characters go in once, and stay. */
		parser = S_parser_new(0);
		S_manage_real(parser, 1);
		atomic_store(&S_specials_kept, 1);
		S_parser_free(parser);
	}
}

void parse_init(void)
{
	pthread_once(&S_init_once, S_init);
}

int parse_finish_shared(void)
{
	return atomic_load(&S_specials_kept);
}

static cmark_node *S_finish(cmark_parser *parser)
{
	cmark_node *doc;
	if (atomic_load(&S_specials_kept))
		return cmark_parser_finish(parser);
	pthread_mutex_lock(&S_finish_lock);
	doc = cmark_parser_finish(parser);
	pthread_mutex_unlock(&S_finish_lock);
	return doc;
}

/*
 * cmark's memory for one page, from chunks of the thread's that the page's
 * end empties at once (S_cm_end). cmark-gfm allocates every node, piece
 * of text, delimiter and bracket on its own and frees them one by one:
 * through malloc, `jixia check` of 10,000 pages took 1.78 s of user CPU,
 * through these 1.57 (medians of 6 alternated runs). Each allocation is a
 * header (the bytes it holds, for realloc) and its bytes; the newest
 * grows or is given back in place (a growing text buffer, a delimiter
 * popped), a small one freed is used again for the next of its size, a
 * larger one waits for the page's end. What a page may hold is bounded
 * (SOURCE_MAX_MARKDOWN, mdcost.h), and so is what it allocates: a 1 MB
 * page of 330,000 code spans peaked at 125 MB against 89 through malloc.
 * Chunks past S_CM_KEEP go at the page's end, and all of a thread's when
 * it ends (a pool's worker, S_cm_thread_end).
 */
#define S_CM_CHUNK ((size_t)256 << 10)
#define S_CM_KEEP ((size_t)1 << 20)
#define S_CM_ALIGN sizeof(max_align_t)
/* Built with AddressSanitizer: what no allocation holds is poisoned, so a read of a freed node
   fails there as it would with malloc's. */
#if defined(__SANITIZE_ADDRESS__)
#define S_CM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define S_CM_ASAN 1
#endif
#endif
#ifdef S_CM_ASAN
#include <sanitizer/asan_interface.h>
#define S_CM_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define S_CM_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define S_CM_POISON(p, n) ((void)(p), (void)(n))
#define S_CM_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

struct cm_chunk {
	struct cm_chunk *next;
	size_t size, used;
	max_align_t data[];
};

#define S_CM_CLASSES 32 /* freed allocations of up to 32 * S_CM_ALIGN bytes are used again */

struct cm_thread {
	struct cm_chunk *head;     /* being filled; the full ones after it */
	struct cm_chunk *spare;    /* emptied, for the next ones */
	char *last;                /* the newest allocation, NULL after a reset */
	void *freed[S_CM_CLASSES]; /* by room / S_CM_ALIGN - 1: each holds the next */
	int depth;                 /* parses under way on this thread (S_cm_begin) */
	int owned;                 /* S_cm_key holds it: its chunks go with the thread */
};
static _Thread_local struct cm_thread S_cm;
static pthread_key_t S_cm_key;
static pthread_once_t S_cm_once = PTHREAD_ONCE_INIT;

static void S_cm_chunks_free(struct cm_chunk *c)
{
	struct cm_chunk *next;
	for (; c; c = next) {
		next = c->next;
		free(c);
	}
}

/* A thread that parsed ends (a pool's worker, after its stage): its chunks are freed. */
static void S_cm_thread_end(void *t)
{
	struct cm_thread *cm = t;
	S_cm_chunks_free(cm->head);
	S_cm_chunks_free(cm->spare);
	cm->head = cm->spare = NULL;
}

static void S_cm_key_make(void)
{
	if (pthread_key_create(&S_cm_key, S_cm_thread_end) != 0)
		abort();
}

static size_t S_cm_round(size_t n)
{
	if (n > SIZE_MAX - 2 * S_CM_ALIGN)
		abort(); /* as cmark's own allocator does when the system has no memory */
	return (n + S_CM_ALIGN - 1) / S_CM_ALIGN * S_CM_ALIGN;
}

/* The bytes an allocation holds (its size rounded up), in its header. */
static size_t *S_cm_room(void *p)
{
	return (size_t *)((char *)p - S_CM_ALIGN);
}

static void *S_cm_alloc(size_t n)
{
	struct cm_chunk *c = S_cm.head;
	size_t room = S_cm_round(n), need = S_CM_ALIGN + room, k = room / S_CM_ALIGN;
	char *p;

	if (k >= 1 && k <= S_CM_CLASSES && S_cm.freed[k - 1]) { /* one of its size, freed */
		p = S_cm.freed[k - 1];
		S_CM_UNPOISON(p, room);
		memcpy(&S_cm.freed[k - 1], p, sizeof(void *));
		return p;
	}
	if (!c || c->size - c->used < need) {
		size_t size = need > S_CM_CHUNK ? need : S_CM_CHUNK;
		if (S_cm.spare && S_cm.spare->size >= need) {
			c = S_cm.spare;
			S_cm.spare = c->next;
		} else {
			if (!S_cm.owned) { /* the thread's first chunk: freed when it ends */
				pthread_once(&S_cm_once, S_cm_key_make);
				if (pthread_setspecific(S_cm_key, &S_cm) != 0)
					abort();
				S_cm.owned = 1;
			}
			c = xmalloc(sizeof(*c) + size);
			c->size = size;
			S_CM_POISON(c->data, size);
		}
		c->used = 0;
		c->next = S_cm.head;
		S_cm.head = c;
	}
	p = (char *)c->data + c->used + S_CM_ALIGN;
	c->used += need;
	S_CM_UNPOISON(p - S_CM_ALIGN, need);
	*S_cm_room(p) = room;
	S_cm.last = p;
	return p;
}

static void *S_cm_calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		abort();
	p = S_cm_alloc(n * size);
	memset(p, 0, n * size);
	return p;
}

static void S_cm_free(void *p)
{
	size_t k;

	if (!p)
		return;
	k = *S_cm_room(p) / S_CM_ALIGN;
	if (p == S_cm.last) { /* the newest: its room is the next one's */
		S_cm.head->used -= S_CM_ALIGN + *S_cm_room(p);
		S_cm.last = NULL;
		S_CM_POISON((char *)p - S_CM_ALIGN, S_CM_ALIGN + k * S_CM_ALIGN);
	} else if (k >= 1 && k <= S_CM_CLASSES) { /* a small one: for the next of its size */
		memcpy(p, &S_cm.freed[k - 1], sizeof(void *));
		S_cm.freed[k - 1] = p;
		S_CM_POISON(p, k * S_CM_ALIGN);
	} else {
		S_CM_POISON(p, k * S_CM_ALIGN);
	}
}

static void *S_cm_realloc(void *p, size_t n)
{
	struct cm_chunk *c = S_cm.head;
	size_t room, want;
	void *q;

	if (!p)
		return S_cm_alloc(n);
	room = *S_cm_room(p);
	want = S_cm_round(n);
	if (want <= room)
		return p;
	/* the newest, with room after it in its chunk: it grows where it is */
	if (p == S_cm.last && want - room <= c->size - c->used) {
		c->used += want - room;
		S_CM_UNPOISON((char *)p + room, want - room);
		*S_cm_room(p) = want;
		return p;
	}
	q = S_cm_alloc(n);
	memcpy(q, p, room);
	S_cm_free(p);
	return q;
}

static cmark_mem S_cm_mem = { S_cm_calloc, S_cm_realloc, S_cm_free };

/* A parse starts on this thread: its cmark memory is S_cm_mem's. */
static void S_cm_begin(void)
{
	S_cm.depth++;
}

/*
 * A parse ends, every node of it freed or given up: when it was the
 * thread's outermost, the chunks are emptied, the first S_CM_KEEP bytes
 * of them kept for the next page.
 */
static void S_cm_end(void)
{
	struct cm_chunk *c, *next;
	size_t kept = 0;

	if (--S_cm.depth > 0)
		return;
	for (c = S_cm.spare; c; c = c->next)
		kept += c->size;
	for (c = S_cm.head; c; c = next) {
		next = c->next;
		if (kept + c->size <= S_CM_KEEP) {
			kept += c->size;
			c->next = S_cm.spare;
			S_cm.spare = c;
			S_CM_POISON(c->data, c->size);
		} else {
			free(c);
		}
	}
	S_cm.head = NULL;
	S_cm.last = NULL;
	memset(S_cm.freed, 0, sizeof(S_cm.freed));
}

static const char *const S_extensions[] = { "table",     "strikethrough", "autolink",
					    "tagfilter", "tasklist",      NULL };

static int S_options(int unsafe)
{
	/* Code blocks as <code class="language-sql">: GitHub's <pre lang> is not a valid lang. */
	return CMARK_OPT_FOOTNOTES | (unsafe ? CMARK_OPT_UNSAFE : 0);
}

/* A parser with the GFM extensions attached; the caller frees it. */
static cmark_parser *S_parser_new(int opts)
{
	cmark_parser *parser;

	S_cm_begin();
	parser = cmark_parser_new_with_mem(opts, &S_cm_mem);
	const char *const *e;

	for (e = S_extensions; *e; e++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(*e);
		if (ext)
			cmark_parser_attach_syntax_extension(parser, ext);
	}
	return parser;
}

/* Frees a parser of S_parser_new, after its document: its parse's memory is emptied (S_cm_end). */
static void S_parser_free(cmark_parser *parser)
{
	cmark_parser_free(parser);
	S_cm_end();
}

/*
 * The HTML a page renders to grows by half again at each step; in the
 * page's chunks (S_cm_mem) every size it passed through stayed until the
 * page's end, three times the last (64 MB of a page of 500,000 headings),
 * and was copied out after. Through malloc, a large one grows in place
 * (glibc moves its pages with mremap) and is handed over as it is.
 */
static cmark_mem S_heap_mem = { xcalloc, xrealloc, free };

/*
 * Renders doc (parsed by parser, whose extensions the renderer needs).
 * Returns the HTML, malloc'd, at its own size.
 */
static char *S_render(cmark_node *doc, cmark_parser *parser, int opts, size_t *out_len)
{
	char *html = cmark_render_html_with_mem(doc, opts, cmark_parser_get_syntax_extensions(parser),
						&S_heap_mem);

	*out_len = strlen(html);
	return xrealloc(html, *out_len + 1); /* the room it grew ahead given back */
}

char *markdown_to_html(const char *md, size_t len, int unsafe, size_t *out_len)
{
	int opts = S_options(unsafe);
	cmark_parser *parser = S_parser_new(opts);
	cmark_node *doc;
	char *html;

	cmark_parser_feed(parser, md, len);
	doc = S_finish(parser);
	html = S_render(doc, parser, opts, out_len);
	cmark_node_free(doc);
	S_parser_free(parser);
	return html;
}

/*
 * Finds the first byte that is not valid UTF-8 (or is NUL). Returns its
 * offset, or len when the text is clean. Overlong forms, surrogates and
 * values above U+10FFFF are invalid.
 */
static size_t S_bad_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned c, need, cp, min;
		/* eight bytes at a time while they are ASCII and none is NUL (most of a file) */
		while (len - i >= 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ull) ||
			    ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
				break;
			i += 8;
		}
		if (i == len)
			break;
		c = s[i];
		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1, cp = c & 0x1F, min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2, cp = c & 0x0F, min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return i;
		}
		if (len - i <= need)
			return i;
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += need + 1;
	}
	return len;
}

/* Line and column (in characters, 1-based, as editors count) of offset off in src. */
static void S_position(const char *src, size_t off, int *line, int *col)
{
	size_t i;
	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (src[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)src[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

/* ---- The page body: heading ids, table of contents, summary, reading time */

#define SUMMARY_MAX 200 /* characters, "…" included */

/* Letters, marks and numbers in any script: what words and slugs are made of. */
static int S_is_word(int32_t cp)
{
	utf8proc_category_t c;

	if (cp < 0x80)
		return cp >= 0 && isalnum(cp);
	c = utf8proc_category(cp);
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO;
}

/* Han, Hiragana, Katakana and Hangul: read a character at a time. */
static int S_is_cjk(int32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x11FF) || /* Hangul Jamo */
	       (cp >= 0x3040 && cp <= 0x30FF) || /* Hiragana, Katakana */
	       (cp >= 0x3130 && cp <= 0x318F) || /* Hangul compatibility Jamo */
	       (cp >= 0x31F0 && cp <= 0x31FF) || /* Katakana extensions */
	       (cp >= 0x3400 && cp <= 0x4DBF) || /* Han extension A */
	       (cp >= 0x4E00 && cp <= 0x9FFF) || /* Han */
	       (cp >= 0xAC00 && cp <= 0xD7AF) || /* Hangul syllables */
	       (cp >= 0xF900 && cp <= 0xFAFF) || /* Han compatibility */
	       (cp >= 0xFF66 && cp <= 0xFF9F) || /* halfwidth Katakana */
	       (cp >= 0x20000 && cp <= 0x3FFFF); /* Han extensions B and on */
}

/*
 * The code point at p, and its length in bytes. cmark hands back valid
 * UTF-8; a stray byte is still stepped over, as a separator (cp -1).
 */
static size_t S_next_cp(const char *p, int32_t *cp)
{
	const unsigned char *u = (const unsigned char *)p;
	utf8proc_ssize_t k;

	/* ASCII and valid three-byte sequences (CJK) as utf8proc reads them, without it */
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xE0 && u[0] < 0xF0 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
		int32_t c = ((u[0] & 0x0F) << 12) | ((u[1] & 0x3F) << 6) | (u[2] & 0x3F);
		if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
			*cp = c;
			return 3;
		}
	}
	k = utf8proc_iterate(u, -1, cp);

	if (k < 1) {
		*cp = -1;
		return 1;
	}
	return (size_t)k;
}

/*
 * Appends the text a reader sees in node's inlines: text, code spans, and
 * the text of links and images. Raw HTML and footnote markers are left out;
 * line breaks become spaces.
 */
static void S_plain_text(struct buf *out, cmark_node *node)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE: buf_puts(out, cmark_node_get_literal(n)); break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK: buf_putc(out, ' '); break;
		default: break;
		}
	}
	cmark_iter_free(it);
}

/* Collapses each run of white space to one space and trims both ends. */
static void S_collapse_space(struct buf *b)
{
	size_t i, j = 0;
	int space = 0;

	for (i = 0; i < b->len; i++) {
		char c = b->ptr[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			space = j > 0;
			continue;
		}
		if (space)
			b->ptr[j++] = ' ';
		space = 0;
		b->ptr[j++] = c;
	}
	b->len = j;
	if (b->cap)
		b->ptr[j] = '\0';
}

/*
 * Appends the slug of a heading's text to the empty buffer out: ASCII
 * letters lower-cased, digits and non-ASCII letters (a Chinese heading keeps
 * its words) as they are, every other run one '-', none at either end;
 * "section" when nothing is left. Nothing else can appear, so the slug needs
 * no escaping in an attribute or a URL fragment.
 */
static void S_slug(struct buf *out, const char *text)
{
	int dash = 0;
	int32_t cp;

	while (*text) {
		size_t k = S_next_cp(text, &cp);
		if (!S_is_word(cp)) {
			dash = 1;
		} else {
			if (dash && out->len)
				buf_putc(out, '-');
			dash = 0;
			if (cp < 0x80)
				buf_putc(out, tolower(cp));
			else
				buf_put(out, text, k);
		}
		text += k;
	}
	if (!out->len)
		buf_puts(out, "section");
}

/*
 * The ids handed out on one page. A hash table, so that a page of
 * thousands of equal headings stays linear; next is the last suffix tried
 * with that id as the base.
 */
struct id_slot {
	const char *id; /* borrowed from the heading that owns it */
	unsigned long next;
};

struct id_set {
	struct id_slot *slots;
	size_t cap; /* a power of two, or 0 */
	size_t n;
};

/*
 * The slot holding id, or the empty slot where it would go. Headings are
 * the contributor's, so ids are placed by the keyed hash (util.h): slugs
 * made to collide in an unkeyed one put a page's 100,000 headings in one
 * run of slots (57 s for one page).
 */
static struct id_slot *S_id_find(struct id_set *set, const char *id)
{
	size_t i = (size_t)hash_keyed(id, strlen(id)) & (set->cap - 1);
	while (set->slots[i].id && strcmp(set->slots[i].id, id) != 0)
		i = (i + 1) & (set->cap - 1);
	return &set->slots[i];
}

/* Makes room for one more id, keeping the table at most half full. */
static void S_id_reserve(struct id_set *set)
{
	struct id_set bigger = { NULL, 0, set->n };
	size_t i;

	if (2 * (set->n + 1) <= set->cap)
		return;
	bigger.cap = array_grow_cap(set->cap, 16, sizeof(*bigger.slots));
	bigger.slots = xcalloc(bigger.cap, sizeof(*bigger.slots));
	for (i = 0; i < set->cap; i++)
		if (set->slots[i].id)
			*S_id_find(&bigger, set->slots[i].id) = set->slots[i];
	free(set->slots);
	*set = bigger;
}

/*
 * A page-unique id for a heading whose slug is base: base itself, or
 * base-1, base-2... for a repeat, skipping any taken by a heading whose
 * text already ended that way. Returns a malloc'd string that the set
 * borrows.
 */
static char *S_id_claim(struct id_set *set, const char *base)
{
	struct id_slot *slot, *base_slot;
	struct buf b = BUF_INIT;
	unsigned long k;
	char *id;

	S_id_reserve(set);
	base_slot = slot = S_id_find(set, base);
	if (!slot->id) {
		id = xstrdup(base);
	} else {
		for (k = base_slot->next + 1;; k++) {
			buf_reset(&b);
			buf_printf(&b, "%s-%lu", base, k);
			slot = S_id_find(set, b.ptr);
			if (!slot->id)
				break;
		}
		base_slot->next = k;
		/* its own size: a page's ids stay with it (page.anchors), and the
		   buffer's room was 128 bytes an id */
		id = xstrndup(b.ptr, b.len);
	}
	buf_release(&b);
	slot->id = id;
	set->n++;
	return id;
}

/*
 * cmark's HTML renderer writes a heading as <hN> with no attributes, but it
 * hands a node that carries a syntax extension to that extension's render
 * hook: each heading carries S_heading_ext, whose hook writes the tags with
 * the id (the node's user data) and leaves the heading's inlines to the
 * renderer, which escapes (and, without CMARK_OPT_UNSAFE, filters) them as
 * any text. The node stays a heading in place: it was replaced by a custom
 * block and two custom inlines for the tags, three nodes a heading, and a
 * page of 500,000 empty headings peaked at 753 MB.
 */
static void S_heading_html(cmark_syntax_extension *ext, struct cmark_html_renderer *r, cmark_node *node,
			   cmark_event_type ev, int options)
{
	cmark_strbuf *html = r->html;
	char open[] = "<h0 id=\"", close[] = "</h0>\n";
	int level = cmark_node_get_heading_level(node);

	(void)ext;
	(void)options;
	if (ev == CMARK_EVENT_ENTER) {
		/* on a line of its own, as the renderer's own heading starts (cmark_html_render_cr) */
		if (html->size && html->ptr[html->size - 1] != '\n')
			cmark_strbuf_putc(html, '\n');
		open[2] = (char)('0' + level);
		cmark_strbuf_puts(html, open);
		cmark_strbuf_puts(html, cmark_node_get_user_data(node));
		cmark_strbuf_puts(html, "\">");
	} else {
		close[3] = (char)('0' + level);
		cmark_strbuf_puts(html, close);
	}
}

static cmark_syntax_extension *S_heading_ext;
static pthread_once_t S_heading_once = PTHREAD_ONCE_INIT;

static void S_heading_ext_make(void)
{
	S_heading_ext = cmark_syntax_extension_new("jixia-heading-id");
	cmark_syntax_extension_set_html_render_func(S_heading_ext, S_heading_html);
}

/* The heading node will be written with id, which it borrows. */
static void S_retag_heading(cmark_node *node, char *id)
{
	pthread_once(&S_heading_once, S_heading_ext_make);
	cmark_node_set_user_data(node, id);
	cmark_node_set_syntax_extension(node, S_heading_ext);
}

/* A heading the table of contents lists: an h2 or h3 with text (an empty link would only
   confuse a screen reader). */
struct heading {
	int level;
	char *text;     /* plain text, malloc'd */
	const char *id; /* borrowed from body.anchors */
};

/* What one walk over a page's AST gathers. */
struct body {
	struct heading *heads; /* the contents' headings only: most headings are not */
	size_t nheads, cap;
	char **anchors; /* every heading's id, malloc'd, in page order (page.anchors) */
	size_t nanchors, anchors_cap;
	struct id_set ids;
	cmark_node *first_para; /* the first paragraph outside footnotes, or NULL */
	size_t cjk;             /* CJK characters, read at 400 a minute */
	size_t words;           /* other words, read at 200 a minute */
	int in_word;            /* the last character counted was in a word */
};

static void S_add_heading(struct body *b, cmark_node *node)
{
	struct buf text = BUF_INIT, slug = BUF_INIT, tmp = BUF_INIT;
	int level = cmark_node_get_heading_level(node);
	char *id;

	S_plain_text(&text, node);
	S_collapse_space(&text);
	/* cmark-gfm gives footnotes the ids fn-LABEL and fnref-LABEL: a heading
	 * "fn 1" must not take one of them. */
	S_slug(&slug, buf_cstr(&text));
	if (str_starts(slug.ptr, "fn-") || str_starts(slug.ptr, "fnref-")) {
		buf_reset(&tmp);
		buf_printf(&tmp, "h-%s", slug.ptr);
		buf_reset(&slug);
		buf_puts(&slug, tmp.ptr);
	}
	/* a {#id} written out, claimed before any heading's (S_heading_attrs) */
	id = cmark_node_get_user_data(node);
	if (!id)
		id = S_id_claim(&b->ids, slug.ptr);
	S_retag_heading(node, id);
	ARRAY_GROW(b->anchors, b->nanchors, b->anchors_cap, 8);
	b->anchors[b->nanchors++] = id;
	if ((level == 2 || level == 3) && text.len) {
		struct heading *h;
		ARRAY_GROW(b->heads, b->nheads, b->cap, 8);
		h = &b->heads[b->nheads++];
		h->level = level;
		h->text = xstrndup(text.ptr, text.len); /* at its own size: the buffer has 64 bytes or more */
		h->id = id;
	}
	buf_release(&text);
	buf_release(&slug);
	buf_release(&tmp);
}

/*
 * Counts words and CJK characters in prose text. in_word carries across
 * the inlines of one block, so "**bold**ly" is one word.
 */
static void S_count_words(struct body *b, const char *s)
{
	int32_t cp;

	while (*s) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x80) { /* ASCII without utf8proc: S_is_word's own test */
			s++;
			if (isalnum(c)) {
				b->words += !b->in_word;
				b->in_word = 1;
			} else {
				b->in_word = 0;
			}
			continue;
		}
		s += S_next_cp(s, &cp);
		if (S_is_cjk(cp)) {
			b->cjk++;
			b->in_word = 0;
		} else if (S_is_word(cp)) {
			b->words += !b->in_word;
			b->in_word = 1;
		} else {
			b->in_word = 0;
		}
	}
}

static int S_in_footnote(cmark_node *n)
{
	for (; n; n = cmark_node_parent(n))
		if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION)
			return 1;
	return 0;
}

/*
 * One walk over the AST: headings, the first paragraph, and the reading
 * count. Reading time counts text and code spans but not code blocks or
 * raw HTML: a pasted listing or log is skimmed, not read at prose speed.
 */
static void S_walk(struct body *b, cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);

		if ((t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK)
			b->in_word = 0;
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (t) {
		case CMARK_NODE_HEADING: S_add_heading(b, n); break;
		case CMARK_NODE_PARAGRAPH:
			if (!b->first_para && !S_in_footnote(n))
				b->first_para = n;
			break;
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE: S_count_words(b, cmark_node_get_literal(n)); break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK: b->in_word = 0; break;
		default: break;
		}
	}
	cmark_iter_free(it);
}

static void S_toc_link(struct buf *out, const struct heading *h)
{
	buf_printf(out, "<li><a href=\"#%s\">", h->id);
	escape_html(out, h->text, strlen(h->text));
	buf_puts(out, "</a>");
}

/*
 * The table of contents: the h2 and h3 headings as a nested list, each h3
 * under the h2 before it (at the top level when none came before). NULL
 * for fewer than two such headings; otherwise malloc'd.
 */
static char *S_toc(const struct body *b)
{
	struct buf out = BUF_INIT;
	size_t i;
	int item = 0, sub = 0, item_h2 = 0;

	if (b->nheads < 2)
		return NULL;
	buf_puts(&out, "<ul>\n");
	for (i = 0; i < b->nheads; i++) {
		const struct heading *h = &b->heads[i];
		if (h->level == 3 && item_h2) {
			if (!sub)
				buf_puts(&out, "\n<ul>\n");
			sub = 1;
			S_toc_link(&out, h);
			buf_puts(&out, "</li>\n");
			continue;
		}
		if (sub)
			buf_puts(&out, "</ul>\n");
		if (item)
			buf_puts(&out, "</li>\n");
		S_toc_link(&out, h);
		item = 1;
		sub = 0;
		item_h2 = h->level == 2;
	}
	if (sub)
		buf_puts(&out, "</ul>\n");
	buf_puts(&out, "</li>\n</ul>\n");
	return buf_detach(&out, NULL);
}

/*
 * The plain text of para (NULL: ""), white space collapsed. Past
 * SUMMARY_MAX characters it is cut at a character boundary to leave room
 * for the "…" that marks the cut. Malloc'd.
 */
/* b ends with a sentence's or clause's mark ("。", "；", ".", "!"...): no separator after it. */
static int S_ends_sentence(const struct buf *b)
{
	static const char *const marks[] = {
		"\xE3\x80\x82", "\xEF\xBC\x9B", "\xEF\xBC\x81", "\xEF\xBC\x9F", ".", ";", "!", "?", NULL
	};
	const char *const *m;
	size_t n = b->len;
	while (n && b->ptr[n - 1] == ' ')
		n--;
	for (m = marks; *m; m++)
		if (n >= strlen(*m) && memcmp(b->ptr + n - strlen(*m), *m, strlen(*m)) == 0)
			return 1;
	return 0;
}

/*
 * A first paragraph that ends in a colon introduces what follows ("先记住三条
 * 规则："), and is no summary alone: the list after it joins it, its items
 * one after another ("规则：甲；乙", "rules: a; b"), until there is enough.
 */
static void S_summary_list(struct buf *b, cmark_node *para)
{
	static const char wide_colon[] = "\xEF\xBC\x9A", wide_semi[] = "\xEF\xBC\x9B";
	cmark_node *list = cmark_node_next(para), *item;
	size_t n;
	int wide;

	while (b->len && b->ptr[b->len - 1] == ' ')
		b->len--;
	n = b->len;
	wide = n >= 3 && memcmp(b->ptr + n - 3, wide_colon, 3) == 0;
	if (!list || cmark_node_get_type(list) != CMARK_NODE_LIST || (!wide && (!n || b->ptr[n - 1] != ':')))
		return;
	for (item = cmark_node_first_child(list); item && b->len < 4 * SUMMARY_MAX;
	     item = cmark_node_next(item)) {
		if (item != cmark_node_first_child(list) && !S_ends_sentence(b))
			buf_puts(b, wide ? wide_semi : ";");
		if (!wide)
			buf_putc(b, ' ');
		S_plain_text(b, item);
	}
}

static char *S_summary(cmark_node *para)
{
	struct buf b = BUF_INIT;
	size_t i, chars = 0, cut = 0;

	if (para) {
		S_plain_text(&b, para);
		S_summary_list(&b, para);
	}
	S_collapse_space(&b);
	for (i = 0; i < b.len; i++) {
		if (((unsigned char)b.ptr[i] & 0xC0) == 0x80)
			continue; /* inside a character */
		if (chars++ == SUMMARY_MAX - 1)
			cut = i;
	}
	if (chars > SUMMARY_MAX) {
		while (cut > 0 && b.ptr[cut - 1] == ' ')
			cut--;
		b.len = cut;
		buf_puts(&b, "\xE2\x80\xA6");
	}
	return buf_detach(&b, NULL);
}

/*
 * Bounds for what one body may turn into. What Debian's cmark-gfm
 * (0.29.0.gfm.6) would spend parsing it is bounded before (mdcost); even
 * then it can render it enormous: a long link reference used thousands of
 * times, or short table rows padded to a wide header, multiply the input a
 * thousandfold. The budget is estimated from the tree before rendering, so
 * nothing huge is ever built.
 */
#define FM_MAX_BYTES (64u << 10)   /* front matter */
#define BODY_MAX_DEPTH 64          /* nested blockquotes and lists */
#define BODY_MAX_OUTPUT (8u << 20) /* estimated HTML bytes of one body */
#define BODY_MAX_CELLS 100000u     /* table cells, empty padding included */

/*
 * Returns 0 when the body fits the bounds, else reports at the node that
 * went over and returns -1.
 */
static int S_budget(struct page *page, cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	size_t out = 0, cells = 0;
	int depth = 0, rc = 0;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int type = cmark_node_get_type(n);
		const char *s;
		int line = cmark_node_get_start_line(n) + page->body_line - 1;

		if (type == CMARK_NODE_BLOCK_QUOTE || type == CMARK_NODE_LIST || type == CMARK_NODE_ITEM) {
			depth += ev == CMARK_EVENT_ENTER ? 1 : -1;
			if (depth > BODY_MAX_DEPTH) {
				diag_error(page->path, line, 1,
					   "blockquotes and lists nest more than %d deep here; flatten them",
					   BODY_MAX_DEPTH);
				rc = -1;
				break;
			}
		}
		if (ev != CMARK_EVENT_ENTER)
			continue;
		out += 16; /* tags around every node */
		if ((s = cmark_node_get_literal(n)) != NULL)
			out += strlen(s);
		if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
			out += (s = cmark_node_get_url(n)) ? strlen(s) : 0;
			out += (s = cmark_node_get_title(n)) ? strlen(s) : 0;
		}
		if (type == CMARK_NODE_FOOTNOTE_REFERENCE) {
			/*
			 * The reference is a numbered link, and its definition gets
			 * a link back to it: about 230 bytes each, label twice more.
			 */
			out += 256 + 2 * ((s = cmark_node_get_literal(n)) ? strlen(s) : 0);
		}
		if (strcmp(cmark_node_get_type_string(n), "table_row") == 0) {
			/* every row is padded to the table's width */
			uint16_t cols = cmark_gfm_extensions_get_table_columns(cmark_node_parent(n));
			cells += cols;
			out += (size_t)cols * 10;
			if (cells > BODY_MAX_CELLS) {
				diag_error(page->path, line, 1,
					   "tables have more than %u cells (rows x columns); split the table",
					   BODY_MAX_CELLS);
				rc = -1;
				break;
			}
		}
		if (out > BODY_MAX_OUTPUT) {
			diag_error(
				page->path, line, 1,
				"this text would render to more than %u MiB of HTML (long links repeated, huge tables?); shorten it",
				BODY_MAX_OUTPUT >> 20);
			rc = -1;
			break;
		}
	}
	cmark_iter_free(it);
	return rc;
}

/*
 * Where the lines of a body start, found going forward from the last one
 * asked for, and the last column counted on that line: links come in
 * document order, so a page of many links is read once, not once per link
 * (nor one long line once per link on it: 140,000 links on one line of
 * 1 MB took 41 s).
 */
struct line_cursor {
	const char *md;
	size_t len;
	size_t pos; /* the start of line `line` */
	int line;
	int bcol, col; /* on line `line`, byte column bcol (0: none yet) is character column col */
	size_t eol;    /* where line `eol_line` ends: its newline, or len */
	int eol_line;  /* 0: none found yet */
};

/* Where the cursor's line ends (its newline, or the body's end), found once a line. */
static size_t S_eol(struct line_cursor *c)
{
	const char *nl;

	if (c->eol_line != c->line) {
		nl = memchr(c->md + c->pos, '\n', c->len - c->pos);
		c->eol = nl ? (size_t)(nl - c->md) : c->len;
		c->eol_line = c->line;
	}
	return c->eol;
}

/*
 * The character column of byte column bcol on line `line` (1-based, in the
 * body): columns count characters, as editors do.
 */
static int S_char_col(struct line_cursor *c, int line, int bcol)
{
	size_t i;
	int col = 1, b = 1;

	if (line < c->line) {
		c->pos = 0;
		c->line = 1;
		c->bcol = 0;
	}
	while (c->pos < c->len && c->line < line) { /* a line at a time */
		const char *nl = memchr(c->md + c->pos, '\n', c->len - c->pos);
		c->bcol = 0;
		if (!nl) {
			c->pos = c->len;
			break;
		}
		c->pos = (size_t)(nl - c->md) + 1;
		c->line++;
	}
	if (c->line == line && c->bcol > 0 && c->bcol <= bcol) { /* on from the last column counted */
		b = c->bcol;
		col = c->col;
	}
	for (i = c->pos + (size_t)(b - 1); b < bcol && i < c->len && c->md[i] != '\n'; b++, i++)
		if (((unsigned char)c->md[i] & 0xC0) != 0x80)
			col++;
	if (c->line == line) {
		c->bcol = b;
		c->col = col;
	}
	return col;
}

/*
 * A relative link to a .md file ("../faq/x.md#why") resolved against the
 * page's own path ("content/docs/a.md") into "content/faq/x.md#why" in out.
 * Returns 0, or -1 when it is not one or climbs out of the site.
 */
static int S_md_target(struct buf *out, const char *page_path, const char *url)
{
	const char *frag = strchr(url, '#'), *q = strchr(url, '?');
	size_t plen = frag ? (size_t)(frag - url) : strlen(url);
	struct buf path = BUF_INIT, norm = BUF_INIT;
	int rc = -1;

	if (q && (!frag || q < frag))
		return -1;
	if (plen < 4 || memcmp(url + plen - 3, ".md", 3) != 0 || url[0] == '/' || url_is_external(url))
		return -1;
	/* the page's folder, then the link's segments */
	buf_put(&path, page_path, (size_t)(strrchr(page_path, '/') + 1 - page_path));
	buf_put(&path, url, plen);
	if (path_normalize(&norm, path.ptr, path.len) == 0 && str_starts(buf_cstr(&norm), "content/")) {
		buf_put(out, norm.ptr, norm.len);
		if (frag)
			buf_puts(out, frag);
		rc = 0;
	}
	buf_release(&path);
	buf_release(&norm);
	return rc;
}

/*
 * Records every link and image with its position. A link that stays on the
 * site (anything but a scheme, //host or a bare #fragment) gets the
 * placeholder LINK_MARK followed by its index in page->links: where it
 * leads (a page's slug, a bundle file's output) is only known once every
 * page is, and the links stage puts the final address there. Unless
 * unsafe, a URL with an active scheme is emptied, as cmark-gfm's safe mode
 * would, and goes no further (data:image included, which cmark keeps).
 */
static void S_collect_links(struct page *page, cmark_node *doc, const char *md, size_t len, int unsafe)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	size_t cap = 0;
	struct buf target = BUF_INIT;
	struct line_cursor lines = { md, len, 0, 1, 0, 0, 0, 0 };

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int type = cmark_node_get_type(n);
		struct link *l;
		const char *url;
		if (ev != CMARK_EVENT_ENTER || (type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE))
			continue;
		url = cmark_node_get_url(n);
		if (!url || !*url)
			continue;
		if (!unsafe && !url_body_is_safe(url, strlen(url))) {
			cmark_node_set_url(n, "");
			continue;
		}
		ARRAY_GROW(page->links, page->nlinks, cap, 8);
		l = &page->links[page->nlinks++];
		l->line = cmark_node_get_start_line(n);
		l->col = S_char_col(&lines, l->line, cmark_node_get_start_column(n));
		l->line += page->body_line - 1;
		l->image = type == CMARK_NODE_IMAGE;
		l->md = 0;
		l->local = 0;
		l->attr = NULL; /* the links stage's, for local links */
		buf_reset(&target);
		if (str_starts(url, LINK_MARK)) {
			diag_error(page->path, l->line, l->col, "'%s' is an address jixia keeps for itself",
				   url);
			page->failed = 1;
		}
		if (l->image && !cmark_node_first_child(n))
			diag_warn(page->path, l->line, l->col,
				  "image '%s' has no description; write what it shows between the brackets, "
				  "![like this](%s), for readers who cannot see it",
				  url, url);
		if (!l->image && S_md_target(&target, page->path, url) == 0) {
			l->md = 1;
			l->url = xstrdup(buf_cstr(&target));
		} else {
			l->url = xstrdup(url);
		}
		if (url[0] != '#' && !url_is_external(url)) {
			l->local = 1;
			buf_reset(&target);
			buf_printf(&target, "%s%zu", LINK_MARK, page->nlinks - 1);
			cmark_node_set_url(n, buf_cstr(&target));
		}
	}
	cmark_iter_free(it);
	buf_release(&target);
}

/*
 * cmark's task-list checkboxes have no label, which leaves screen readers
 * with an unnamed control; name each by its state in the page's language.
 */
static void S_label_tasks(struct page *page)
{
	static const char on[] = "<input type=\"checkbox\" checked=\"\" disabled=\"\" />";
	static const char off[] = "<input type=\"checkbox\" disabled=\"\" />";
	int zh = page->lang && str_starts(page->lang->code, "zh");
	struct buf b = BUF_INIT;
	const char *p = page->html, *end = page->html + page->html_len, *hit;

	if (!mem_find(p, end, off, sizeof(off) - 1) && !mem_find(p, end, on, sizeof(on) - 1))
		return;
	while ((hit = mem_find(p, end, "<input type=\"checkbox\" ", 23)) != NULL) {
		int is_on = strncmp(hit, on, sizeof(on) - 1) == 0;
		size_t n = is_on                                     ? sizeof(on) - 1
			   : strncmp(hit, off, sizeof(off) - 1) == 0 ? sizeof(off) - 1
								     : 0;
		buf_put(&b, p, (size_t)(hit - p));
		if (!n) {
			buf_putc(&b, '<');
			p = hit + 1;
			continue;
		}
		buf_printf(&b, "<input type=\"checkbox\"%s disabled=\"\" aria-label=\"%s\" />",
			   is_on ? " checked=\"\"" : "",
			   is_on ? (zh ? "已完成" : "done") : (zh ? "未完成" : "not done"));
		p = hit + n;
	}
	buf_put(&b, p, (size_t)(end - p));
	free(page->html);
	page->html = buf_detach(&b, &page->html_len);
}

/*
 * The text the search index reads (page->tokens, pagetok.h): what a
 * reader sees, code blocks included, raw HTML left out. Headings go apart
 * (they weigh more); every other block starts a new line.
 */
static void S_search_text(struct page *page, cmark_node *doc)
{
	struct buf text = BUF_INIT, heads = BUF_INIT, *out = &text;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_HEADING)
			out = ev == CMARK_EVENT_ENTER ? &heads : &text;
		if ((t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK && out->len &&
		    out->ptr[out->len - 1] != '\n')
			buf_putc(out, '\n');
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_CODE_BLOCK)
			buf_puts(out, cmark_node_get_literal(n));
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			buf_putc(out, ' ');
	}
	cmark_iter_free(it);
	/* Tokenized here, on the worker's thread: the index reads no copy of the text. */
	if (pagetok_build(&page->tokens, heads.ptr, heads.len, text.ptr, text.len))
		pagetok_warn_cut(page->path);
	buf_release(&text);
	buf_release(&heads);
}

/*
 * Chinese and Japanese run on without spaces, yet a line break inside a
 * paragraph becomes one: "订单库、\n风控库" reads "订单库、 风控库" in every
 * browser, and in summaries and search snippets. A break between two wide
 * characters goes, as CSS Text 3 says it should (Hangul keeps it: Korean
 * spaces its words).
 */
static int S_joins(int32_t cp)
{
	return cp >= 0 && utf8proc_charwidth(cp) == 2 && !(cp >= 0x1100 && cp <= 0x11FF) &&
	       !(cp >= 0x3130 && cp <= 0x318F) && !(cp >= 0xAC00 && cp <= 0xD7AF);
}

static int32_t S_last_cp(const char *s)
{
	size_t n = strlen(s);
	int32_t cp = -1;
	while (n > 0 && ((unsigned char)s[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0)
		S_next_cp(s + n - 1, &cp);
	return cp;
}

static void S_join_wide_lines(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node **breaks = NULL;
	size_t n = 0, cap = 0, i;
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_SOFTBREAK)
			continue;
		ARRAY_GROW(breaks, n, cap, 16);
		breaks[n++] = node;
	}
	cmark_iter_free(it);
	for (i = 0; i < n; i++) {
		cmark_node *prev = cmark_node_previous(breaks[i]), *next = cmark_node_next(breaks[i]);
		int32_t a, b = -1;
		if (!prev || !next || cmark_node_get_type(prev) != CMARK_NODE_TEXT ||
		    cmark_node_get_type(next) != CMARK_NODE_TEXT)
			continue;
		a = S_last_cp(cmark_node_get_literal(prev));
		S_next_cp(cmark_node_get_literal(next), &b);
		if (S_joins(a) && S_joins(b))
			cmark_node_free(breaks[i]);
	}
	free(breaks);
}

/* ---- Conventions from Hugo and GitHub: {#id} on headings, callouts, shortcodes left over */

static const struct theme *S_theme; /* parse_set_theme: the callouts' labels, or NULL */

void parse_set_theme(const struct theme *theme)
{
	S_theme = theme;
}

/* A character of a {#id}: letters and digits of any script, '-', '_', '.'. */
static int S_id_char(int32_t cp)
{
	return S_is_word(cp) || cp == '-' || cp == '_' || cp == '.';
}

/* The byte offset in the body of line `line` (1-based), byte column bcol. */
static size_t S_offset(struct line_cursor *c, int line, int bcol)
{
	size_t off;

	(void)S_char_col(c, line, 1); /* puts the cursor at the line's start */
	off = c->pos + (size_t)(bcol > 1 ? bcol - 1 : 0);
	return off < c->len ? off : c->len;
}

/* The line (in the body) and character column of byte offset off, the cursor moved to its line. */
static void S_pos_of(struct line_cursor *c, size_t off, int *line, int *col)
{
	size_t eol;

	if (off < c->pos) {
		c->pos = 0;
		c->line = 1;
		c->bcol = 0;
	}
	while ((eol = S_eol(c)) < off && eol < c->len) { /* a line at a time */
		c->pos = eol + 1;
		c->line++;
		c->bcol = 0;
	}
	*line = c->line;
	*col = S_char_col(c, c->line, (int)(off - c->pos) + 1);
}

/*
 * The offset of the first `what` at or after off on the same line, or of
 * the last one on it when last; SIZE_MAX when there is none. The AST's text
 * has lost escapes and entities: the source has them, so look there.
 */
static size_t S_find(const struct line_cursor *c, size_t off, const char *what, int last)
{
	size_t n = strlen(what), found = SIZE_MAX;

	/* what holds no newline, so a match that starts on the line ends on it; the line is not
	   measured first (a line of 100,000 shortcodes was, once for each: 37 s) */
	for (; off + n <= c->len && c->md[off] != '\n'; off++) {
		if (memcmp(c->md + off, what, n) != 0)
			continue;
		found = off;
		if (!last)
			break;
	}
	return found;
}

/*
 * A heading ending in {#id}: the id is taken out of its text and claimed
 * in ids before any heading gets one from its text, so an id written out
 * is never taken by an earlier heading's slug; the id rides on the node
 * (user data) to S_add_heading. "{#a .b}" (attribute lists) and text in a
 * code span are left as written. Returns -1 after reporting a bad id.
 */
static int S_heading_attr(struct page *page, cmark_node *h, struct line_cursor *lines, struct id_set *ids)
{
	cmark_node *last = cmark_node_last_child(h), *text;
	const char *lit, *open, *p;
	struct buf id = BUF_INIT, msg = BUF_INIT;
	struct id_slot *slot;
	int line, col, rc = 0;
	int32_t cp;
	size_t keep, k, off;

	if (!last || cmark_node_get_type(last) != CMARK_NODE_TEXT)
		return 0;
	text = last;
	lit = cmark_node_get_literal(text);
	keep = strlen(lit);
	if (!keep || lit[keep - 1] != '}' || !(open = mem_find(lit, lit + keep, "{#", 2)))
		return 0;
	while ((p = mem_find(open + 1, lit + keep, "{#", 2)))
		open = p;
	buf_put(&id, open + 2, (size_t)(lit + keep - 1 - (open + 2)));
	if (memchr(id.ptr, '}', id.len) || memchr(id.ptr, ' ', id.len) || memchr(id.ptr, '\t', id.len))
		goto done; /* an attribute list, or text that only looks like one */
	line = cmark_node_get_start_line(h);
	if (cmark_node_get_end_line(h) > line)
		line = cmark_node_get_end_line(h) - 1; /* setext: the text's last line */
	if ((off = S_find(lines, S_offset(lines, line, 1), "{#", 1)) != SIZE_MAX) {
		if (off > 0 && lines->md[off - 1] == '\\')
			goto done; /* a backslash before it: meant as text */
		S_pos_of(lines, off, &line, &col);
	} else {
		col = 1;
	}
	line += page->body_line - 1;
	for (p = id.ptr; *p; p += k) {
		k = S_next_cp(p, &cp);
		if (!S_id_char(cp))
			break;
	}
	if (!id.len || *p) {
		buf_puts(&msg, "heading id '");
		buf_put(&msg, id.ptr, id.len);
		diag_error(page->path, line, col, "%s' may hold only letters, digits, '-', '_' and '.'",
			   buf_cstr(&msg));
		rc = -1;
		goto done;
	}
	if (str_starts(id.ptr, "fn-") || str_starts(id.ptr, "fnref-")) {
		diag_error(page->path, line, col,
			   "heading id '%s' starts like the footnotes' ids (fn-, fnref-); choose another",
			   id.ptr);
		rc = -1;
		goto done;
	}
	S_id_reserve(ids);
	slot = S_id_find(ids, id.ptr);
	if (slot->id) {
		diag_error(page->path, line, col, "heading id '%s' is already another heading's on this page",
			   id.ptr);
		rc = -1;
		goto done;
	}
	/* the text before it, without the spaces that separated them */
	keep = (size_t)(open - lit);
	while (keep && (lit[keep - 1] == ' ' || lit[keep - 1] == '\t'))
		keep--;
	if (keep) {
		char *before = xstrndup(lit, keep);
		cmark_node_set_literal(text, before);
		free(before);
	} else {
		cmark_node_free(text);
	}
	slot->id = buf_detach(&id, NULL);
	ids->n++;
	cmark_node_set_user_data(h, (void *)slot->id);
done:
	buf_release(&id);
	buf_release(&msg);
	return rc;
}

/* GitHub's alert kinds: the marker's word, the class, the UI string key, the label without one. */
static const struct {
	const char *word, *key, *label;
} S_callouts[] = {
	{ "note", "admonition_note", "Note" },
	{ "tip", "admonition_tip", "Tip" },
	{ "important", "admonition_important", "Important" },
	{ "warning", "admonition_warning", "Warning" },
	{ "caution", "admonition_caution", "Caution" },
};

/*
 * The callout kind (an index into S_callouts) of a top-level blockquote
 * whose first paragraph's first line is "[!KIND]" alone, and something
 * follows it; -1 otherwise. *end is the first inline after the marker's
 * line break (NULL when the marker is the whole paragraph).
 */
static int S_callout_kind(cmark_node *quote, cmark_node **marker, cmark_node **end)
{
	cmark_node *para = cmark_node_first_child(quote), *n;
	struct buf word = BUF_INIT;
	size_t i;
	int kind = -1;

	if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
		return -1;
	/* "[", "!NOTE" and "]" come as separate text nodes */
	for (n = cmark_node_first_child(para); n && cmark_node_get_type(n) == CMARK_NODE_TEXT;
	     n = cmark_node_next(n))
		buf_puts(&word, cmark_node_get_literal(n));
	while (word.len && (word.ptr[word.len - 1] == ' ' || word.ptr[word.len - 1] == '\t'))
		word.len--;
	if (word.len < 4 || word.ptr[0] != '[' || word.ptr[1] != '!' || word.ptr[word.len - 1] != ']')
		goto done;
	if (n && cmark_node_get_type(n) != CMARK_NODE_SOFTBREAK &&
	    cmark_node_get_type(n) != CMARK_NODE_LINEBREAK)
		goto done;
	if (!n && !cmark_node_next(para))
		goto done; /* nothing after the marker: GitHub shows a blockquote */
	for (i = 0; i < sizeof(S_callouts) / sizeof(S_callouts[0]); i++)
		if (strlen(S_callouts[i].word) == word.len - 3 &&
		    strncasecmp(S_callouts[i].word, word.ptr + 2, word.len - 3) == 0)
			kind = (int)i;
	*marker = para;
	*end = n ? cmark_node_next(n) : NULL;
done:
	buf_release(&word);
	return kind;
}

/* The callout's label in the page's language: the theme's UI string, else English. */
static const char *S_callout_label(const struct page *page, const struct config *cfg, int kind)
{
	const char *s = NULL;

	if (S_theme && page->lang && S_theme->ni18n == cfg->nlangs)
		s = theme_string(S_theme, cfg, (size_t)(page->lang - cfg->langs), S_callouts[kind].key,
				 strlen(S_callouts[kind].key));
	return s ? s : S_callouts[kind].label;
}

/*
 * A blockquote "> [!NOTE]" becomes a custom block, its marker line taken
 * out, between an <aside> that names it for screen readers and a visible
 * label; the blocks inside stay cmark's, escaped and filtered as any.
 */
static void S_callout(const struct page *page, const struct config *cfg, cmark_node *quote, int kind,
		      cmark_node *para, cmark_node *end)
{
	cmark_node *block = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, &S_cm_mem), *kid;
	const char *label = S_callout_label(page, cfg, kind);
	struct buf tag = BUF_INIT;

	while ((kid = cmark_node_first_child(para)) && kid != end)
		cmark_node_free(kid);
	if (!cmark_node_first_child(para))
		cmark_node_free(para);
	buf_printf(&tag, "<aside class=\"admonition %s\" role=\"note\" aria-label=\"", S_callouts[kind].word);
	escape_html(&tag, label, strlen(label));
	buf_puts(&tag, "\">\n<p class=\"admonition-title\">");
	escape_html(&tag, label, strlen(label));
	buf_puts(&tag, "</p>");
	cmark_node_set_on_enter(block, buf_cstr(&tag));
	cmark_node_set_on_exit(block, "</aside>");
	buf_release(&tag);
	while ((kid = cmark_node_first_child(quote)))
		cmark_node_append_child(block, kid);
	cmark_node_replace(quote, block);
	cmark_node_free(quote);
}

/*
 * Text in a paragraph, heading or table cell that looks like a Hugo
 * shortcode ("{{< ref x >}}", "{{% notice %}}") was left over from a
 * migration: jixia would show it as it is. A warning at each, in build
 * and check; code spans and blocks are not looked at.
 */
static const char S_shortcode_msg[] =
	"this looks like a Hugo shortcode, shown as text: `jixia import hugo` converts the common "
	"ones (README 'Moving from Hugo'); an example goes in a code span";

static void S_shortcodes(struct page *page, cmark_node *n, struct line_cursor *lines)
{
	static const char *const opens[] = { "{{<", "{{%" };
	const char *lit = cmark_node_get_literal(n), *hit, *lend = lit + strlen(lit);
	cmark_node *next = cmark_node_next(n);
	size_t k;
	int line, col;

	/* "{{< x >}}" comes as "{{" and "<" ('<' starts a tag or an autolink), and
	 * "{{<figure src=x>}}" as "{{" and a tag */
	if (str_ends(lit, "{{") && next &&
	    (cmark_node_get_type(next) == CMARK_NODE_HTML_INLINE ||
	     (cmark_node_get_type(next) == CMARK_NODE_TEXT && cmark_node_get_literal(next)[0] == '<'))) {
		S_pos_of(lines,
			 S_offset(lines, cmark_node_get_start_line(next), cmark_node_get_start_column(next)),
			 &line, &col);
		diag_warn(page->path, line + page->body_line - 1, col > 2 ? col - 2 : 1, "%s",
			  S_shortcode_msg);
	}
	for (k = 0; k < 2; k++) {
		int sline = cmark_node_get_start_line(n), scol = cmark_node_get_start_column(n);
		const char *from = lit;
		size_t off, at;
		if (!mem_find(lit, lend, opens[k], 3))
			continue;
		if (sline < 1) {
			sline = cmark_node_get_start_line(cmark_node_parent(n));
			scol = 1;
		}
		off = S_offset(lines, sline, scol);
		while ((hit = mem_find(from, lend, opens[k], 3))) {
			/* a text node spans lines: search on from where the last was */
			at = SIZE_MAX;
			while (off < lines->len && (at = S_find(lines, off, opens[k], 0)) == SIZE_MAX) {
				const char *nl = memchr(lines->md + off, '\n', lines->len - off);
				off = nl ? (size_t)(nl - lines->md) + 1 : lines->len;
			}
			if (at == SIZE_MAX) {
				line = sline;
				col = S_char_col(lines, sline, scol);
			} else {
				S_pos_of(lines, at, &line, &col);
				off = at + 3;
			}
			diag_warn(page->path, line + page->body_line - 1, col, "%s", S_shortcode_msg);
			from = hit + 3;
		}
	}
}

/*
 * 1 when md has "{#", "{{" or "[!": what S_conventions looks for. Most
 * bodies have none, and then their tree need not be walked for them.
 */
static int S_may_have_conventions(const char *md, size_t len)
{
	const char *p, *end = md + len;

	for (p = md; p < end && (p = memchr(p, '{', (size_t)(end - p))) != NULL && p + 1 < end; p++)
		if (p[1] == '#' || p[1] == '{')
			return 1;
	for (p = md; p < end && (p = memchr(p, '[', (size_t)(end - p))) != NULL && p + 1 < end; p++)
		if (p[1] == '!')
			return 1;
	return 0;
}

/*
 * What Hugo sites and GitHub write that plain CommonMark does not read:
 * heading ids written out, callouts, and shortcodes left over. Runs on the
 * parsed tree before anything reads its text, so neither the "{#id}" nor
 * the "[!NOTE]" reaches the HTML, summary, table of contents or search.
 */
static void S_conventions(struct page *page, const struct config *cfg, cmark_node *doc, const char *md,
			  size_t len, struct id_set *ids)
{
	struct line_cursor lines = { md, len, 0, 1, 0, 0, 0, 0 };
	cmark_node **heads = NULL, *n, *next;
	size_t nheads = 0, cap = 0, i;
	cmark_iter *it;
	cmark_event_type ev;

	if (!S_may_have_conventions(md, len))
		return;
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (cmark_node_get_type(n) == CMARK_NODE_TEXT) {
			S_shortcodes(page, n, &lines);
		} else if (cmark_node_get_type(n) == CMARK_NODE_HEADING) {
			ARRAY_GROW(heads, nheads, cap, 8);
			heads[nheads++] = n;
		}
	}
	cmark_iter_free(it);
	for (i = 0; i < nheads; i++) {
		/* its text split at ':', 'w'... (the extensions' characters) joined back */
		cmark_consolidate_text_nodes(heads[i]);
		if (S_heading_attr(page, heads[i], &lines, ids))
			page->failed = 1;
	}
	free(heads);
	for (n = cmark_node_first_child(doc); n; n = next) {
		cmark_node *para, *end;
		int kind;
		next = cmark_node_next(n);
		if (cmark_node_get_type(n) == CMARK_NODE_BLOCK_QUOTE &&
		    (kind = S_callout_kind(n, &para, &end)) >= 0)
			S_callout(page, cfg, n, kind, para, end);
	}
}

/*
 * Renders the body with ids on its headings, and fills the table of
 * contents, the summary and the reading time from the same parse.
 */
static void S_parse_body(struct page *page, const char *md, size_t len, const struct config *cfg)
{
	int unsafe = cfg->markdown_unsafe;
	int opts = S_options(unsafe);
	cmark_parser *parser = S_parser_new(opts);
	const struct ynode *summary = ynode_get(page->front, "summary");
	struct body b;
	cmark_node *doc;
	size_t i;

	memset(&b, 0, sizeof(b));
	cmark_parser_feed(parser, md, len);
	doc = S_finish(parser);
	if (S_budget(page, doc)) {
		page->failed = 1;
		cmark_node_free(doc);
		S_parser_free(parser);
		return;
	}
	S_join_wide_lines(doc);
	S_conventions(page, cfg, doc, md, len, &b.ids);
	S_walk(&b, doc);
	S_search_text(page, doc);
	S_collect_links(page, doc, md, len, unsafe);
	highlight_blocks(doc, &S_cm_mem); /* after the search text and links have read the code */
	page->html = S_render(doc, parser, opts, &page->html_len);
	S_label_tasks(page);
	page->toc = S_toc(&b);
	if (summary && summary->kind == YNODE_SCALAR && !ynode_is_null(summary))
		page->summary = xstrndup(summary->str, summary->len);
	else
		page->summary = S_summary(b.first_para);
	page->words = b.cjk + b.words;
	page->reading_minutes = (int)((b.cjk + 2 * b.words + 399) / 400);
	if (page->reading_minutes < 1)
		page->reading_minutes = 1;

	/* The ids stay with the page, sorted, for #anchor checks. */
	page->anchors = b.anchors ? b.anchors : xmalloc(sizeof(*page->anchors));
	page->nanchors = b.nanchors;
	qsort(page->anchors, page->nanchors, sizeof(*page->anchors), str_ptr_cmp);
	for (i = 0; i < b.nheads; i++)
		free(b.heads[i].text);
	free(b.heads);
	free(b.ids.slots);
	cmark_node_free(doc);
	S_parser_free(parser);
}

void parse_page(struct page *page, const struct config *cfg)
{
	const struct source_file *f = page->src;
	struct fm_split sp;
	size_t bad = S_bad_utf8((const unsigned char *)f->data, f->len);

	if (bad < f->len) {
		int line, col;
		S_position(f->data, bad, &line, &col);
		diag_error(page->path, line, col,
			   f->data[bad] ? "invalid UTF-8 (byte 0x%02x)" : "NUL byte in text (byte 0x%02x)",
			   (unsigned char)f->data[bad]);
		page->failed = 1;
		return;
	}
	if (fm_split(&sp, page->path, f->data, f->len)) {
		page->failed = 1;
		return;
	}
	page->body_line = sp.body_line;
	/* Front matter is a few fields; a huge block is a mistake or an attack. */
	if (sp.fm_len > FM_MAX_BYTES) {
		diag_error(page->path, 1, 1,
			   "front matter is %zu KiB, over the %u KiB limit; move long text into the body",
			   (sp.fm_len + 1023) / 1024, FM_MAX_BYTES / 1024);
		page->failed = 1;
		return;
	}
	if (sp.fm && yaml_load(&page->front, page->path, sp.fm, sp.fm_len, sp.fm_line - 1, NULL)) {
		page->failed = 1;
		return;
	}
	if (page->front && page->front->kind != YNODE_MAP) {
		diag_error(page->path, page->front->line, page->front->col,
			   "front matter must be a mapping of fields (title: ...), not %s",
			   ynode_kind_name(page->front));
		page->failed = 1;
		return;
	}
	if (mdcost_check(page->path, sp.body_line, sp.body, sp.body_len)) {
		page->failed = 1;
		return;
	}
	S_parse_body(page, sp.body, sp.body_len, cfg);
}
