/*
 * util: the few primitives every module uses. Allocation that aborts on
 * failure (so no path threads ENOMEM around) and one way arrays grow
 * (ARRAY_GROW, which cannot wrap), one growable byte buffer, a vector of
 * borrowed strings, an
 * arena for strings that live as long as the site, and the keyed hash for
 * tables whose keys an attacker chooses, with a string map built on it.
 */
#ifndef JIXIA_UTIL_H
#define JIXIA_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__)
#define JX_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define JX_PRINTF(a, b)
#endif

/* Allocators: never return NULL; print a message and abort on exhaustion. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/*
 * The capacity an array of elements of size bytes grows to from cap:
 * first when it has none yet, else twice cap. Aborts like xmalloc when
 * that many elements would not fit in a size_t, so a size never wraps.
 */
size_t array_grow_cap(size_t cap, size_t first, size_t size);

/*
 * Gives glibc's main heap a large free room above its top (virtual only:
 * nothing is touched) and fixes its mmap threshold, so that a rebuild's
 * heap grows once and a heap_ahead thread has memory to populate. Not
 * advised for huge pages (see util.c). Call before the heap grows much,
 * and again after a heap_trim, which gives the room back (once there is
 * room again it does nothing). Does nothing elsewhere than glibc.
 */
void heap_room(void);

/*
 * A thread that keeps the main heap's memory populated (faulted in) just
 * above its used top, distance bytes ahead of it at most and never past
 * the break, looking again every interval_us once caught up: a rebuild's
 * fresh pages zeroed on a spare core, not at the first touch of the thread
 * that needs them. For a heap with room above its top (heap_room's). NULL
 * when no thread was started; elsewhere than glibc, always. heap_ahead_stop
 * stops and joins it and frees h (NULL is fine).
 */
struct heap_ahead;
struct heap_ahead *heap_ahead_start(size_t distance, long interval_us);
void heap_ahead_stop(struct heap_ahead *h);

/* malloc_trim(0), never while a heap_ahead thread takes a step (glibc only). */
void heap_trim(void);

/*
 * Makes room in the array v for its element n: when n has reached cap
 * (the elements allocated), v is reallocated to array_grow_cap(cap, first)
 * elements and cap updated. n and cap are size_t, n at most cap; v may
 * start NULL with cap 0. The arguments are evaluated more than once.
 */
#define ARRAY_GROW(v, n, cap, first)                                          \
	do {                                                                  \
		if ((n) >= (cap)) {                                           \
			(cap) = array_grow_cap((cap), (first), sizeof(*(v))); \
			(v) = xrealloc((v), (cap) * sizeof(*(v)));            \
		}                                                             \
	} while (0)

/*
 * A growable byte buffer. Invariants: ptr is never NULL and ptr[len] is a
 * NUL (not counted in len), so b.ptr is a C string whatever the buffer
 * holds. A buffer that owns no memory (cap 0) points at buf_slop, one
 * shared "" that is never written or freed, as git's strbuf does; so every
 * function here tells ownership by cap, never by ptr, and code that writes
 * through ptr must have put something first. Start each buffer with
 * BUF_INIT or buf_init(): a zeroed struct still works as an empty buffer,
 * but its ptr is NULL until the first put.
 */
struct buf {
	char *ptr;
	size_t len;
	size_t cap;
};
extern char buf_slop[1];
/* clang-format off */
#define BUF_INIT { buf_slop, 0, 0 }
/* clang-format on */

/* Makes b an empty buffer owning nothing (for one inside a zeroed struct). */
void buf_init(struct buf *b);
void buf_grow(struct buf *b, size_t extra);
void buf_puts(struct buf *b, const char *s);
/*
 * buf_put and buf_putc are inline: they are called per byte or per short
 * run in every escaping and rendering loop, and a call and a capacity test
 * out of line for each was 5% of a cold build's CPU. When the room is not
 * there (or the buffer owns nothing: cap 0, so an empty put still
 * allocates), buf_grow makes it.
 */
static inline void buf_put(struct buf *b, const void *p, size_t n)
{
	if (b->cap - b->len <= n)
		buf_grow(b, n);
	if (n)
		memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}
static inline void buf_putc(struct buf *b, int c)
{
	if (b->cap - b->len <= 1)
		buf_grow(b, 1);
	b->ptr[b->len++] = (char)c;
	b->ptr[b->len] = '\0';
}

/*
 * The integers of the files jixia writes for itself (the disk caches):
 * v as n (1 to 8) little-endian bytes; read back through a bounded
 * reader, where a read past end gives 0 and sets bad, and so does every
 * read after it (the caller checks bad once, at the end).
 */
void buf_put_le(struct buf *b, uint64_t v, int n);
struct le_reader {
	const unsigned char *p, *end;
	int bad;
};
uint64_t le_get(const unsigned char *p, int n);              /* the n bytes at p */
const unsigned char *le_take(struct le_reader *r, size_t n); /* n bytes, or NULL */
uint64_t le_read(struct le_reader *r, int n);
/* A string as the caches write it: its length (4 bytes, LE_NONE for NULL), its bytes and a NUL,
   so that a reader may point at it where it lies. */
#define LE_NONE 0xffffffffu
void buf_put_strz(struct buf *b, const char *s);
/* Such a string where it lies in r's bytes, *len its length; NULL for a NULL one, or when it runs
   past the end, lacks its NUL or has one inside (then r->bad is set). */
const char *le_read_strz(struct le_reader *r, size_t *len);
/* v's low n bytes to p (inline: the digests' items store one each) */
static inline void le_put(unsigned char *p, uint64_t v, int n)
{
	int i;
	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}
void buf_printf(struct buf *b, const char *fmt, ...) JX_PRINTF(2, 3);
/* v in decimal, as "%llu" and "%lld" write it, without printf: numbers the render writes by the million. */
void buf_put_uint(struct buf *b, unsigned long long v);
void buf_put_int(struct buf *b, long long v);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* b->ptr: "" for an empty buffer. Borrowed until the next put. */
const char *buf_cstr(const struct buf *b);
/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);
/*
 * Hands the bytes to the caller, always as memory of its own (a fresh ""
 * for an empty buffer; caller frees); the buffer is left empty.
 */
char *buf_detach(struct buf *b, size_t *len_out);
/* Frees the memory (never buf_slop); the buffer is left empty and reusable. */
void buf_release(struct buf *b);

/*
 * An arena: many small allocations freed together. Not thread-safe; each
 * owner (the model, one worker) has its own.
 */
struct arena_block;
struct arena {
	struct arena_block *head;
};
/* clang-format off */
#define ARENA_INIT { NULL }
/* clang-format on */

void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) JX_PRINTF(2, 3);
void arena_release(struct arena *a);
/* The blocks of from (a worker's) become into's, freed with it; from is left empty. */
void arena_adopt(struct arena *into, struct arena *from);

/* True when s starts with prefix / ends with suffix. */
int str_starts(const char *s, const char *prefix);
int str_ends(const char *s, const char *suffix);

/*
 * The first n bytes equal to needle in [p, end), or NULL. For a loop that
 * finds each of many in a long text: a search reads no further than its
 * match, under a sanitizer too (ASan's strstr and memmem check the whole
 * rest of the text at each call, which makes such a loop quadratic there:
 * 100,000 shortcodes on a line took over 20 s).
 */
const char *mem_find(const char *p, const char *end, const char *needle, size_t n);

/*
 * Appends the '/'-separated path p (n bytes) to out with "." and empty
 * segments dropped and each ".." taking away the segment before it; no
 * leading '/', a trailing '/' kept when p has one and something is left.
 * Returns -1 (out unchanged) when a ".." would climb above the start.
 */
int path_normalize(struct buf *out, const char *p, size_t n);

/* qsort comparator for an array of const char * (bytewise). */
int str_ptr_cmp(const void *a, const void *b);

/*
 * A growable array of borrowed strings, v[0..n): a table of URLs or of
 * output paths. Zeroed (STRVEC_INIT) it is empty; strvec_release frees
 * the array, never the strings, which must outlive it.
 */
struct strvec {
	const char **v;
	size_t n, cap;
};
/* clang-format off */
#define STRVEC_INIT { NULL, 0, 0 }
/* clang-format on */

/* Appends s (borrowed). */
void strvec_push(struct strvec *sv, const char *s);
/* Sorts the strings by cmp, a qsort comparator of const char * (str_ptr_cmp). */
void strvec_sort(struct strvec *sv, int (*cmp)(const void *, const void *));
/* In a vector sorted by cmp, the entry equal to s, or NULL. */
const char **strvec_find(const struct strvec *sv, const char *s, int (*cmp)(const void *, const void *));
/* Frees the array (not the strings); sv is left empty. */
void strvec_release(struct strvec *sv);

/*
 * Binary search of v (count elements of size bytes, sorted bytewise by the
 * string key(element)) for the element whose key is exactly the n bytes
 * at s. Returns it, or NULL.
 */
void *bsearch_key(const void *v, size_t count, size_t size, const char *(*key)(const void *elem),
		  const char *s, size_t n);

/*
 * a is the folder b or a path inside it. Both absolute and physical (as
 * realpath gives them), without a trailing '/' but for "/" itself, which
 * holds everything.
 */
int path_within(const char *a, const char *b);

/*
 * A hash of the n bytes at p for placing entries in a hash table whose
 * keys come from the repository (paths, names, headings, search terms).
 * It is SipHash-1-3 under a key drawn once per process from the system's
 * random source, so keys crafted to collide in a fixed hash cannot pile into
 * one run of slots and make each lookup walk it. The value differs from run
 * to run: nothing that reaches the output may depend on it, so read a table
 * through its entries' own order (or sort them), never in slot order.
 * Thread-safe.
 */
uint64_t hash_keyed(const void *p, size_t n);

/*
 * An open-addressing map from a string to a long, its keys placed by
 * hash_keyed. Zeroed, it is empty; keys are borrowed and must
 * outlive the map. strmap_free empties it.
 */
struct strmap {
	struct strmap_slot {
		const char *key;
		long val;
		uint64_t hash; /* key's hash_keyed: probes compare it before the strings */
	} * v;
	size_t cap, n;
};
/* The value of key, or dflt when absent. */
long strmap_get(const struct strmap *m, const char *key, long dflt);
/* Sets key (borrowed: it must outlive the map) to val. */
void strmap_put(struct strmap *m, const char *key, long val);
/* Room for more keys at once: one growth rather than one per doubling on the way (each places every key again). */
void strmap_reserve(struct strmap *m, size_t more);
void strmap_free(struct strmap *m);

/* A copy of s in a with 'A'-'Z' made lower case (other bytes as they are). */
char *arena_strlower(struct arena *a, const char *s);

/*
 * A library loaded when a command first needs it rather than linked (each
 * linked library is loaded, with what it needs, as every command starts):
 * the first of the n sonames that dlopen loads, its symbols resolved now
 * and kept to itself; NULL when none loads (dlerror says why).
 */
void *lib_open(const char *const *names, size_t n);
/* The function name of lib into *fn, a function pointer: 0, or -1 when lib has none. */
int lib_fn(void *lib, const char *name, void *fn);

#endif
