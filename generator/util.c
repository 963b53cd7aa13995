/*
 * util: allocation that aborts, the growable buffer and the arena. Kept
 * deliberately small: everything else builds on these three; at the end,
 * the test of one path inside another, the keyed hash that tables of
 * keys from the repository are built on, and a string map placed by it.
 */
#include "util.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/random.h>

#ifdef __GLIBC__
#include <malloc.h>
#include <sys/mman.h>
#endif

static void S_oom(size_t n)
{
	fprintf(stderr, "jixia: fatal: out of memory allocating %zu bytes\n", n);
	abort();
}

/*
 * Why 4 KB pages: this heap was once advised for transparent huge pages
 * (one fault a 2 MB page instead of 512), but on a virtual machine that
 * gives free memory back to its host (virtio-balloon's free page
 * reporting, as this one does) the guest reports only free blocks of 2 MB
 * or more, so a 2 MB page mostly comes from memory the host took back and
 * must fault in again: 2.6 ms a fresh MB, against 1.0 ms in 4 KB pages,
 * which come first from the smaller free blocks the guest kept (100 MB
 * touched, alternated runs, 3 s apart). A one-page rebuild of 10,000
 * pages went from 0.36 s to 0.25 s without the advice (8 alternated pairs),
 * its system time from 0.28-0.34 s to 0.08-0.10 s. On a machine whose free
 * memory is all backed, 2 MB pages are faster by about 0.25 ms a MB (25 ms
 * a rebuild): the smaller gain, given up for the larger loss. (Where the
 * system gives huge pages to every heap, transparent_hugepage "always",
 * this heap gets them too: the system's choice, left as it is.)
 */
void heap_room(void)
{
#ifdef __GLIBC__
	const size_t room = (size_t)1 << 30, mmap_max = (size_t)32 << 20;
	void *volatile p; /* volatile: a malloc freed unused is otherwise left out */

	/* Setting the pad fixes glibc's mmap threshold (it no longer rises as
	   large blocks are freed): set it to that rise's limit, so the large
	   buffers come from the heap as they did from the plain one. */
	if (!mallopt(M_MMAP_THRESHOLD, (int)mmap_max) || !mallopt(M_TOP_PAD, (int)room))
		return;
	p = malloc(4u << 20); /* more than the top has: the heap grows by it and the pad */
	free(p);
#endif
}

/*
 * A rebuild's heap populated ahead of its use, on the idle core
 * (heap_ahead_start). Each page the heap grows into is zeroed by the
 * kernel at its first touch, on the thread that touches it (about 1 ms a
 * fresh MB on this virtual machine, the host backing part of it), most of
 * it on the main thread while the second core waits (the model stage). A
 * thread keeps the memory just above the heap's used top populated
 * (MADV_POPULATE_WRITE), distance bytes ahead of it at most, so the build
 * finds its fresh pages there: the same CPU, off the main thread. The
 * peak is higher by that distance above the highest used top, and by the
 * pages below it that the build was given but never wrote (a buffer's
 * room not filled), which it populated too: 14-16 MB at 8 MB ahead. The
 * used top is read from glibc, not guessed from the build before: the
 * main arena's top chunk (mallinfo2's keepcost) ends at the break, and a
 * rebuild's threads all allocate there (build.c).
 */
struct heap_ahead {
	pthread_t thread;
	pthread_mutex_t lock; /* stop, with wake */
	pthread_cond_t wake;
	int stop;
	uintptr_t distance; /* bytes populated above the used top, at most */
	long interval_ns;   /* between looks at the used top, at least */
	uintptr_t done;     /* the heap is populated, or the build's own, below this */
	uintptr_t held;     /* a used top not gone ahead of (S_ahead_range), or 0 */
};

#ifdef __GLIBC__
/* Held by the trims (heap_trim) and by the thread's steps: a trim gives back
   the heap above its used top, where a step is about to populate. */
static pthread_mutex_t S_trim_lock = PTHREAD_MUTEX_INITIALIZER;
#if defined(MADV_POPULATE_WRITE) && __GLIBC_PREREQ(2, 33) /* and mallinfo2 */
#define S_AHEAD 1
#endif
#endif

#ifdef S_AHEAD
#define S_STEP ((uintptr_t)2 << 20) /* populated a step at a time, on its bounds */

/*
 * The main heap's used top (where its top chunk starts) and its end (the
 * break), at one moment: the break moves under the arena's lock, which
 * mallinfo2 holds, so the same break before and after it is the one its
 * top chunk ended at. 0, or -1 when it moved.
 */
static int S_heap_bounds(uintptr_t *used, uintptr_t *end)
{
	char *a = sbrk(0), *b;
	struct mallinfo2 mi = mallinfo2();

	b = sbrk(0);
	if (a == (char *)-1 || a != b || mi.keepcost > (uintptr_t)a)
		return -1;
	*end = (uintptr_t)a;
	*used = (uintptr_t)a - mi.keepcost;
	return 0;
}

/*
 * The heap to populate next, [*from, *to): from where the populated memory
 * ends (or the used top, once the build went past it: what is below is its
 * own) to distance above the used top, in whole 2 MB steps. Empty while the
 * top stays where it jumped over a block not written (a buffer sized up
 * front, search.c's index state, 64 MB): the page below its last 2 MB
 * bound is not resident, and memory above it would be populated for
 * nothing.
 */
static void S_ahead_range(struct heap_ahead *h, uintptr_t used, uintptr_t end, uintptr_t *from, uintptr_t *to)
{
	uintptr_t at = used & ~(uintptr_t)4095; /* the top chunk's header's page */
	unsigned char v = 1;

	*from = *to = 0;
	if (at > h->done) {
		/* Held only when the top jumped over memory this thread populated up to and beyond:
		   a page below the first top (the first look), or below where it got to, may be one
		   the build never wrote without any jump (1 test in 30 was held so for good). */
		uintptr_t below = (used & ~(S_STEP - 1)) - 4096;
		if (h->done && below >= h->done && mincore((void *)below, 4096, &v) == 0 && !(v & 1))
			h->held = used;
		h->done = at;
	}
	if (used == h->held)
		return;
	h->held = 0;
	*from = h->done;
	*to = (used + h->distance) & ~(S_STEP - 1);
	if (*to > end)
		*to = end;
}

static int S_stopping(struct heap_ahead *h)
{
	int stop;

	pthread_mutex_lock(&h->lock);
	stop = h->stop;
	pthread_mutex_unlock(&h->lock);
	return stop;
}

/*
 * Populates [from, to), 2 MB a step so that a stop is not kept waiting,
 * each step under the trims' lock and below the break read then. 0, or -1
 * when the system does not populate (the thread ends).
 */
static int S_populate(struct heap_ahead *h, uintptr_t from, uintptr_t to)
{
	uintptr_t next;
	char *end;
	int rc = 0;

	for (; from < to && rc == 0 && !S_stopping(h); from = next) {
		next = (from + S_STEP) & ~(S_STEP - 1);
		if (next > to)
			next = to;
		pthread_mutex_lock(&S_trim_lock);
		end = sbrk(0);
		if (end == (char *)-1 || next > (uintptr_t)end)
			rc = 1; /* trimmed: looked at again */
		else if (madvise((void *)from, next - from, MADV_POPULATE_WRITE) != 0)
			rc = -1;
		pthread_mutex_unlock(&S_trim_lock);
		if (rc == 0)
			h->done = next;
	}
	return rc < 0 ? -1 : 0;
}

static long S_ns(clockid_t clock, const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return (long)(t.tv_sec - t0->tv_sec) * 1000000000L + (t.tv_nsec - t0->tv_nsec);
}

/*
 * The thread: looks at the used top, populates up to distance above it,
 * and waits for the interval, or 20 times the CPU the look took: mallinfo2
 * walks the free chunks under the arena's lock (17,000 in a rebuild that
 * parses every page), and holds it from the build's threads
 * a twentieth of the time at most.
 */
static void *S_ahead_main(void *arg)
{
	struct heap_ahead *h = arg;
	struct timespec t0, c0, t;
	uintptr_t used, end, from, to;
	long wait;
	int rc = 0;

	while (rc == 0 && !S_stopping(h)) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
		from = to = 0;
		if (S_heap_bounds(&used, &end) == 0)
			S_ahead_range(h, used, end, &from, &to);
		wait = S_ns(CLOCK_THREAD_CPUTIME_ID, &c0) * 20;
		if (wait < h->interval_ns)
			wait = h->interval_ns;
		rc = S_populate(h, from, to);
		t = t0;
		t.tv_nsec += wait % 1000000000L;
		t.tv_sec += wait / 1000000000L + t.tv_nsec / 1000000000L;
		t.tv_nsec %= 1000000000L;
		pthread_mutex_lock(&h->lock);
		if (!h->stop)
			(void)pthread_cond_timedwait(&h->wake, &h->lock, &t);
		pthread_mutex_unlock(&h->lock);
	}
	return NULL;
}

struct heap_ahead *heap_ahead_start(size_t distance, long interval_us)
{
	struct heap_ahead *h = xcalloc(1, sizeof(*h));
	pthread_condattr_t ca;

	h->distance = distance;
	h->interval_ns = interval_us * 1000;
	pthread_mutex_init(&h->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&h->thread, NULL, S_ahead_main, h) != 0) {
		pthread_cond_destroy(&h->wake);
		pthread_mutex_destroy(&h->lock);
		free(h);
		return NULL;
	}
	return h;
}

void heap_ahead_stop(struct heap_ahead *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	h->stop = 1;
	pthread_cond_signal(&h->wake);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->thread, NULL);
	pthread_cond_destroy(&h->wake);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
#else
struct heap_ahead *heap_ahead_start(size_t distance, long interval_us)
{
	(void)distance;
	(void)interval_us;
	return NULL;
}

void heap_ahead_stop(struct heap_ahead *h)
{
	(void)h;
}
#endif

void heap_trim(void)
{
#ifdef __GLIBC__
	pthread_mutex_lock(&S_trim_lock);
	malloc_trim(0);
	pthread_mutex_unlock(&S_trim_lock);
#endif
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		S_oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p;
	if (size && n > SIZE_MAX / size)
		S_oom(SIZE_MAX);
	p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		S_oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		S_oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

size_t array_grow_cap(size_t cap, size_t first, size_t size)
{
	size_t max = SIZE_MAX / (size ? size : 1);
	if (cap ? cap > max / 2 : first > max)
		S_oom(SIZE_MAX);
	return cap ? cap * 2 : first;
}

/*
 * The ptr of every empty buffer: aligned for any type, as buffers of
 * records (struct credit, struct edge_rec) cast it.
 */
_Alignas(max_align_t) char buf_slop[1];

void buf_init(struct buf *b)
{
	b->ptr = buf_slop;
	b->len = b->cap = 0;
}

void buf_grow(struct buf *b, size_t extra)
{
	size_t want, cap;
	if (extra > SIZE_MAX - b->len - 1)
		S_oom(SIZE_MAX);
	want = b->len + extra + 1;
	if (want <= b->cap)
		return;
	cap = b->cap < 64 ? 64 : b->cap;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	if (b->cap) {
		b->ptr = xrealloc(b->ptr, cap);
	} else {
		b->ptr = xmalloc(cap);
		b->ptr[0] = '\0'; /* still a C string, as buf_slop was */
	}
	b->cap = cap;
}

void buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	/* Try the room there is; grow to the exact size only when it was short. */
	buf_grow(b, 64);
	va_copy(cp, ap);
	n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, cp);
	va_end(cp);
	if (n < 0) {
		b->ptr[b->len] = '\0';
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void buf_put_uint(struct buf *b, unsigned long long v)
{
	char d[20]; /* 18446744073709551615 */
	size_t k = sizeof(d);
	do {
		d[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	buf_put(b, d + k, sizeof(d) - k);
}

void buf_put_int(struct buf *b, long long v)
{
	if (v < 0) {
		buf_putc(b, '-');
		buf_put_uint(b, 0ull - (unsigned long long)v); /* LLONG_MIN's magnitude too */
		return;
	}
	buf_put_uint(b, (unsigned long long)v);
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *buf_cstr(const struct buf *b)
{
	return b->ptr;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap)
		b->ptr[0] = '\0';
}

char *buf_detach(struct buf *b, size_t *len_out)
{
	char *p = b->cap ? b->ptr : xstrdup("");
	if (len_out)
		*len_out = b->len;
	buf_init(b);
	return p;
}

void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->ptr);
	buf_init(b);
}

/* Arena blocks are at least ARENA_BLOCK bytes; big requests get their own. */
#define ARENA_BLOCK (64 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[];
};

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *blk = a->head;
	size_t align = sizeof(max_align_t);
	void *p;

	n = (n + align - 1) / align * align;
	if (!blk || blk->size - blk->used < n) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		blk = xmalloc(sizeof(*blk) + size);
		blk->size = size;
		blk->used = 0;
		/* Keep a partly used head for later small requests. */
		if (a->head && n > ARENA_BLOCK) {
			blk->next = a->head->next;
			a->head->next = blk;
		} else {
			blk->next = a->head;
			a->head = blk;
		}
	}
	p = (char *)blk->data + blk->used;
	blk->used += n;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	char *p;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	p = arena_strndup(a, buf_cstr(&b), b.len);
	buf_release(&b);
	return p;
}

void arena_release(struct arena *a)
{
	struct arena_block *blk = a->head, *next;
	for (; blk; blk = next) {
		next = blk->next;
		free(blk);
	}
	a->head = NULL;
}

void arena_adopt(struct arena *into, struct arena *from)
{
	struct arena_block *last = from->head;

	if (!last)
		return;
	if (!into->head) {
		into->head = from->head;
	} else {
		/* behind into's head: its room is kept for the next small request */
		while (last->next)
			last = last->next;
		last->next = into->head->next;
		into->head->next = from->head;
	}
	from->head = NULL;
}

int str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int str_ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

const char *mem_find(const char *p, const char *end, const char *needle, size_t n)
{
	if (!n)
		return p;
	while (p < end && (size_t)(end - p) >= n && (p = memchr(p, needle[0], (size_t)(end - p) - n + 1))) {
		if (memcmp(p, needle, n) == 0)
			return p;
		p++;
	}
	return NULL;
}

int path_normalize(struct buf *out, const char *p, size_t n)
{
	size_t start = out->len, i = 0, j, len;

	while (i < n) {
		for (j = i; j < n && p[j] != '/'; j++)
			;
		len = j - i;
		if (len == 2 && p[i] == '.' && p[i + 1] == '.') {
			if (out->len == start) {
				if (out->cap)
					out->ptr[start] = '\0';
				return -1;
			}
			while (out->len > start && out->ptr[out->len - 1] != '/')
				out->len--;
			if (out->len > start)
				out->len--; /* the '/' before the dropped segment */
			out->ptr[out->len] = '\0';
		} else if (len > 0 && !(len == 1 && p[i] == '.')) {
			if (out->len > start)
				buf_putc(out, '/');
			buf_put(out, p + i, len);
		}
		i = j + 1;
	}
	if (n > 0 && p[n - 1] == '/' && out->len > start)
		buf_putc(out, '/');
	return 0;
}

int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void strvec_push(struct strvec *sv, const char *s)
{
	ARRAY_GROW(sv->v, sv->n, sv->cap, 64);
	sv->v[sv->n++] = s;
}

void strvec_sort(struct strvec *sv, int (*cmp)(const void *, const void *))
{
	if (sv->n)
		qsort(sv->v, sv->n, sizeof(*sv->v), cmp);
}

const char **strvec_find(const struct strvec *sv, const char *s, int (*cmp)(const void *, const void *))
{
	return sv->n ? bsearch(&s, sv->v, sv->n, sizeof(*sv->v), cmp) : NULL;
}

void strvec_release(struct strvec *sv)
{
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

void *bsearch_key(const void *v, size_t count, size_t size, const char *(*key)(const void *elem),
		  const char *s, size_t n)
{
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *k = key((const char *)v + mid * size);
		int c = strncmp(s, k, n);
		if (c == 0 && k[n])
			c = -1; /* k is longer: s sorts before it */
		if (c == 0)
			return (char *)v + mid * size;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int path_within(const char *a, const char *b)
{
	size_t n = strlen(b);
	if (strcmp(b, "/") == 0)
		return 1;
	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/');
}

/* --- the keyed hash -------------------------------------------------------- */

static uint64_t S_key[2];
static pthread_once_t S_key_once = PTHREAD_ONCE_INIT;

/*
 * The key only spreads entries over slots, so when the random source cannot
 * answer at once (never block: a build must not wait for entropy) bits an
 * attacker cannot read from the repository are enough.
 */
static void S_key_init(void)
{
	if (getrandom(S_key, sizeof(S_key), GRND_NONBLOCK) != (ssize_t)sizeof(S_key)) {
		S_key[0] = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull;
		S_key[1] = (uint64_t)(uintptr_t)&S_key ^ ((uint64_t)getpid() << 32);
	}
}

#define S_ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

/* One SipHash round over v0..v3, kept in registers (a function over an array was not). */
#define S_SIPROUND(v0, v1, v2, v3)        \
	do {                              \
		v0 += v1;                 \
		v1 = S_ROTL(v1, 13) ^ v0; \
		v0 = S_ROTL(v0, 32);      \
		v2 += v3;                 \
		v3 = S_ROTL(v3, 16) ^ v2; \
		v0 += v3;                 \
		v3 = S_ROTL(v3, 21) ^ v0; \
		v2 += v1;                 \
		v1 = S_ROTL(v1, 17) ^ v2; \
		v2 = S_ROTL(v2, 32);      \
	} while (0)

/* Eight bytes as a little-endian number. */
static inline uint64_t S_le64(const unsigned char *s)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t m;
	memcpy(&m, s, 8);
	return m;
#else
	uint64_t m = 0;
	int k;
	for (k = 0; k < 8; k++)
		m |= (uint64_t)s[k] << (8 * k);
	return m;
#endif
}

/* SipHash-1-3 under the process's key: the search index hashes every word of the site. */
uint64_t hash_keyed(const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i, k;
	uint64_t v0, v1, v2, v3, m;

	pthread_once(&S_key_once, S_key_init);
	v0 = S_key[0] ^ 0x736f6d6570736575ull;
	v1 = S_key[1] ^ 0x646f72616e646f6dull;
	v2 = S_key[0] ^ 0x6c7967656e657261ull;
	v3 = S_key[1] ^ 0x7465646279746573ull;
	for (i = 0; i + 8 <= n; i += 8) {
		m = S_le64(s + i);
		v3 ^= m;
		S_SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	for (m = (uint64_t)n << 56, k = 0; i + k < n; k++)
		m |= (uint64_t)s[i + k] << (8 * k);
	v3 ^= m;
	S_SIPROUND(v0, v1, v2, v3);
	v0 ^= m;
	v2 ^= 0xff;
	S_SIPROUND(v0, v1, v2, v3);
	S_SIPROUND(v0, v1, v2, v3);
	S_SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

/* --- string maps --------------------------------------------------------- */

/*
 * The maps' keys come from the repository (paths, names, e-mails), so they
 * are placed by the keyed hash: names made to collide in an unkeyed hash
 * put 100,000 paths in one run of slots, and each lookup walked it (91 s).
 * The key only decides where entries sit, never what a lookup finds.
 */
static struct strmap_slot *S_slot(const struct strmap *m, const char *key, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);
	/* the hash first: a slot of another key is passed without reading its string */
	while (m->v[i].key && (m->v[i].hash != h || strcmp(m->v[i].key, key) != 0))
		i = (i + 1) & (m->cap - 1);
	return &m->v[i];
}

long strmap_get(const struct strmap *m, const char *key, long dflt)
{
	const struct strmap_slot *s;
	if (!m->cap)
		return dflt;
	s = S_slot(m, key, hash_keyed(key, strlen(key)));
	return s->key ? s->val : dflt;
}

/* Places a key not in m (growing: its slot holds its hash, not hashed again). */
static void S_place(struct strmap *m, const char *key, long val, uint64_t h)
{
	struct strmap_slot *s = S_slot(m, key, h);
	s->key = key;
	s->val = val;
	s->hash = h;
	m->n++;
}

/* m's keys placed again in cap slots (a power of two over twice their number). */
static void S_rehash(struct strmap *m, size_t cap)
{
	struct strmap old = *m;
	size_t i;
	m->cap = cap;
	m->v = xcalloc(m->cap, sizeof(*m->v));
	m->n = 0;
	for (i = 0; i < old.cap; i++)
		if (old.v[i].key)
			S_place(m, old.v[i].key, old.v[i].val, old.v[i].hash);
	free(old.v);
}

void strmap_reserve(struct strmap *m, size_t more)
{
	size_t cap = m->cap;
	if (more > SIZE_MAX / 2 - m->n - 1)
		return; /* strmap_put grows it as it goes */
	while ((m->n + more + 1) * 2 > cap)
		cap = array_grow_cap(cap, 256, sizeof(*m->v));
	if (cap != m->cap)
		S_rehash(m, cap);
}

void strmap_put(struct strmap *m, const char *key, long val)
{
	uint64_t h = hash_keyed(key, strlen(key));
	struct strmap_slot *s;
	if ((m->n + 1) * 2 > m->cap)
		S_rehash(m, array_grow_cap(m->cap, 256, sizeof(*m->v)));
	s = S_slot(m, key, h);
	if (!s->key) {
		s->key = key;
		s->hash = h;
		m->n++;
	}
	s->val = val;
}

void strmap_free(struct strmap *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}

char *arena_strlower(struct arena *a, const char *s)
{
	char *r = arena_strdup(a, s), *p;
	for (p = r; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return r;
}

void buf_put_le(struct buf *b, uint64_t v, int n)
{
	unsigned char x[8];
	le_put(x, v, n);
	buf_put(b, x, (size_t)n);
}

const unsigned char *le_take(struct le_reader *r, size_t n)
{
	const unsigned char *p = r->p;
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return NULL;
	}
	r->p += n;
	return p;
}

uint64_t le_get(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;
	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

uint64_t le_read(struct le_reader *r, int n)
{
	const unsigned char *p = le_take(r, (size_t)n);
	return p ? le_get(p, n) : 0;
}

void buf_put_strz(struct buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (!s || n >= LE_NONE) {
		buf_put_le(b, LE_NONE, 4);
		return;
	}
	buf_put_le(b, n, 4);
	buf_put(b, s, n + 1);
}

const char *le_read_strz(struct le_reader *r, size_t *len)
{
	uint32_t n = (uint32_t)le_read(r, 4);
	const unsigned char *p;

	if (n == LE_NONE || r->bad)
		return NULL;
	p = le_take(r, (size_t)n + 1);
	if (!p || p[n] != '\0' || memchr(p, '\0', n)) {
		r->bad = 1;
		return NULL;
	}
	*len = n;
	return (const char *)p;
}

void *lib_open(const char *const *names, size_t n)
{
	void *lib = NULL;
	size_t i;

	for (i = 0; i < n && !lib; i++)
		lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	return lib;
}

int lib_fn(void *lib, const char *name, void *fn)
{
	void *sym = dlsym(lib, name);

	if (!sym)
		return -1;
	memcpy(fn, &sym, sizeof(sym)); /* ISO C has no cast from an object pointer to a function's */
	return 0;
}
