/*
 * util: allocation that aborts, the growable buffer and the arena. Kept
 * deliberately small: everything else builds on these three; at the end,
 * the test of one path inside another, the keyed hash that tables of
 * keys from the repository are built on, and a string map placed by it.
 */
#include "util.h"

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

void heap_huge(void)
{
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
	/* A one-page rebuild of 10,000 pages touched about 170 MB, 41,000 page
	   faults, a third of its CPU time in a virtual machine where each fault
	   is costly; in 2 MB pages the main thread's 31,000 were a few hundred. */
	const size_t room = (size_t)1 << 30, mmap_max = (size_t)32 << 20;
	char *lo, *hi;
	void *volatile p; /* volatile: a malloc freed unused is otherwise left out */

	/* Setting the pad fixes glibc's mmap threshold (it no longer rises as
	   large blocks are freed): set it to that rise's limit, so the large
	   buffers come from the advised heap as they did from the plain one. */
	if (!mallopt(M_MMAP_THRESHOLD, (int)mmap_max) || !mallopt(M_TOP_PAD, (int)room))
		return;
	lo = sbrk(0);
	p = malloc(4u << 20); /* more than the top has: the heap grows by it and the pad */
	free(p);
	hi = sbrk(0);
	if (lo == (char *)-1 || hi == (char *)-1 || hi <= lo)
		return;
	lo = (char *)((uintptr_t)lo & ~(uintptr_t)4095);
	(void)madvise(lo, (size_t)(hi - lo), MADV_HUGEPAGE);
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
