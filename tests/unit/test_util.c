/*
 * test_util: the primitives every module builds on: arrays growing by
 * ARRAY_GROW (and aborting rather than wrapping when a size would not fit
 * in a size_t); the buffer's invariants: ptr never NULL, a C string at
 * every step, the shared empty string never written, freed or handed out;
 * the vector of borrowed strings; the heap populated ahead of its used top
 * by heap_ahead, and no further than its distance; the caches' strings
 * with their NUL, read where they lie (buf_put_strz, le_read_strz).
 */
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

#ifdef __GLIBC__
#include <malloc.h>
#include <sys/mman.h>
#endif

/* Runs fn in a child with stderr closed: true when it died of SIGABRT. */
static int S_aborts(void (*fn)(void))
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		close(2);
		fn();
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 0;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void S_grow_past_size_max(void)
{
	array_grow_cap(SIZE_MAX / 16 + 1, 8, 8);
}

static void S_grow_wide_first(void)
{
	array_grow_cap(0, SIZE_MAX / 4 + 1, 4);
}

static void S_grow_macro_past_size_max(void)
{
	long *v = NULL;
	size_t n = SIZE_MAX / sizeof(*v) / 2 + 1, cap = n;
	ARRAY_GROW(v, n, cap, 16);
}

static void test_array_grow(void)
{
	int *v = NULL;
	size_t n = 0, cap = 0, i;
	int sorted = 1;

	CHECK_INT(array_grow_cap(0, 16, 8), 16);
	CHECK_INT(array_grow_cap(16, 16, 8), 32);
	CHECK_INT(array_grow_cap(3, 64, 1), 6);
	/* the largest doubling that still fits, then one past it */
	CHECK(array_grow_cap(SIZE_MAX / 16, 8, 8) == SIZE_MAX / 16 * 2);
	CHECK(S_aborts(S_grow_past_size_max));
	CHECK(S_aborts(S_grow_wide_first));
	CHECK(S_aborts(S_grow_macro_past_size_max));

	for (i = 0; i < 1000; i++) {
		ARRAY_GROW(v, n, cap, 4);
		v[n++] = (int)i;
	}
	CHECK_INT(n, 1000);
	CHECK_INT(cap, 1024); /* 4, 8, ... 1024 */
	for (i = 0; i < n; i++)
		sorted &= v[i] == (int)i;
	CHECK(sorted);
	free(v);

	/* room for a sentinel: n + 1 reached cap */
	v = NULL;
	n = cap = 0;
	ARRAY_GROW(v, n + 1, cap, 2);
	CHECK_INT(cap, 2);
	n = 1;
	ARRAY_GROW(v, n + 1, cap, 2);
	CHECK_INT(cap, 4);
	free(v);
}

/* An empty buffer owns nothing, yet its ptr is a C string. */
static void test_buf_empty(void)
{
	struct buf a = BUF_INIT, b;
	char *p;
	size_t n = 7;

	CHECK(a.ptr != NULL);
	CHECK_STR(a.ptr, "");
	CHECK_INT(a.len, 0);
	CHECK_INT(a.cap, 0);
	CHECK(buf_cstr(&a) == a.ptr);
	buf_init(&b);
	CHECK(b.ptr == a.ptr); /* both the one shared "" */

	/* reset and release leave it as it was, and write nothing into it */
	buf_reset(&a);
	buf_release(&a);
	buf_release(&a);
	CHECK(a.ptr == buf_slop && a.cap == 0 && a.len == 0);
	CHECK_INT(buf_slop[0], '\0');

	/* path_normalize failing on an empty buffer writes nothing either */
	CHECK_INT(path_normalize(&a, "..", 2), -1);
	CHECK(a.ptr == buf_slop && a.cap == 0);
	CHECK_INT(path_normalize(&a, "./", 2), 0);
	CHECK(a.ptr == buf_slop && a.len == 0);

	/* detaching an empty buffer gives memory of the caller's own */
	p = buf_detach(&a, &n);
	CHECK(p != buf_slop);
	CHECK_STR(p, "");
	CHECK_INT(n, 0);
	free(p);
	CHECK(a.ptr == buf_slop && a.cap == 0);
}

/* After every operation ptr[len] is a NUL; released, the buffer is empty again. */
static void test_buf_ops(void)
{
	struct buf a = BUF_INIT, z;
	char *p;
	size_t n = 0;

	buf_put(&a, "", 0); /* an empty put allocates: cap tells ownership */
	CHECK(a.cap > 0 && a.ptr != buf_slop);
	CHECK_STR(a.ptr, "");
	buf_puts(&a, "ab");
	buf_putc(&a, 'c');
	buf_printf(&a, "%d", 42);
	CHECK_STR(a.ptr, "abc42");
	CHECK_INT(a.len, 5);
	buf_reset(&a);
	CHECK_STR(a.ptr, "");
	CHECK(a.cap > 0);
	buf_release(&a);
	CHECK(a.ptr == buf_slop && a.cap == 0 && a.len == 0);

	/* the inline puts at the edge of the room: a put that leaves room for
	 * the NUL stays in place, one byte more grows; so does a putc into the
	 * last byte; a zeroed buffer (ptr NULL) grows on its first putc */
	{
		struct buf e;
		size_t cap;
		char *at;
		buf_putc(&a, 'x');
		cap = a.cap;
		at = a.ptr;
		while (a.len + 2 < cap)
			buf_putc(&a, 'y');
		buf_put(&a, "z", 1); /* len + 1 == cap - 1: the NUL fits */
		CHECK(a.cap == cap && a.ptr == at && a.len == cap - 1 && a.ptr[a.len] == '\0');
		buf_putc(&a, 'w');
		CHECK(a.cap > cap && a.len == cap && a.ptr[cap - 1] == 'w' && a.ptr[cap] == '\0');
		CHECK_INT(a.ptr[0], 'x');
		CHECK_INT(a.ptr[cap - 2], 'z');
		buf_reset(&a);
		cap = a.cap;
		buf_put(&a, buf_slop, 0);
		while (a.len + 8 < cap)
			buf_put(&a, "abcdefgh", a.len + 8 + 1 < cap ? 8 : 1);
		buf_put(&a, "12345678", cap - a.len); /* exactly the room: the NUL does not fit */
		CHECK(a.cap > cap && a.len == cap && a.ptr[a.len] == '\0');
		buf_release(&a);
		memset(&e, 0, sizeof(e));
		buf_putc(&e, 'q');
		CHECK(e.cap > 0 && e.len == 1 && strcmp(e.ptr, "q") == 0);
		buf_release(&e);
		memset(&e, 0, sizeof(e));
		buf_put(&e, "rs", 2);
		CHECK(e.cap > 0 && e.len == 2 && strcmp(e.ptr, "rs") == 0);
		buf_release(&e);
	}

	/* growth from empty leaves a C string before anything is put */
	buf_grow(&a, 100);
	CHECK(a.cap >= 101 && a.ptr != buf_slop);
	CHECK_STR(a.ptr, "");
	buf_release(&a);

	/* a long printf from empty, and detach hands the same bytes over */
	buf_printf(&a, "%0200d", 1);
	CHECK_INT(a.len, 200);
	CHECK_INT(a.ptr[199], '1');
	CHECK_INT(a.ptr[200], '\0');
	p = buf_detach(&a, &n);
	CHECK_INT(n, 200);
	CHECK_INT(strlen(p), 200);
	free(p);
	CHECK(a.ptr == buf_slop && a.len == 0);

	/* a zeroed struct (memset, calloc) still works once something is put */
	memset(&z, 0, sizeof(z));
	buf_reset(&z);
	buf_puts(&z, "x");
	CHECK_STR(z.ptr, "x");
	buf_release(&z);
	CHECK(z.ptr == buf_slop);
	memset(&z, 0, sizeof(z));
	buf_release(&z);
	CHECK(z.ptr == buf_slop);
	CHECK_INT(buf_slop[0], '\0');
}

/* A vector of borrowed strings: pushed, sorted, found, released. */
static void test_strvec(void)
{
	struct strvec sv = STRVEC_INIT;
	char names[300][8];
	const char **hit;
	size_t i;
	int sorted = 1;

	CHECK(strvec_find(&sv, "x", str_ptr_cmp) == NULL);
	strvec_sort(&sv, str_ptr_cmp); /* nothing to sort: no qsort(NULL) */
	for (i = 0; i < 300; i++) {
		snprintf(names[i], sizeof(names[i]), "n%03zu", 299 - i);
		strvec_push(&sv, names[i]);
	}
	CHECK_INT(sv.n, 300);
	CHECK(sv.v[0] == names[0]); /* borrowed, not copied */
	strvec_sort(&sv, str_ptr_cmp);
	for (i = 1; i < sv.n; i++)
		sorted &= strcmp(sv.v[i - 1], sv.v[i]) < 0;
	CHECK(sorted);
	hit = strvec_find(&sv, "n150", str_ptr_cmp);
	CHECK(hit != NULL && hit - sv.v == 150 && *hit == names[149]);
	CHECK(strvec_find(&sv, "n1500", str_ptr_cmp) == NULL);
	strvec_release(&sv);
	CHECK(sv.v == NULL && sv.n == 0 && sv.cap == 0);
}

/*
 * A worker's arena given to another (links.c's workers to the site's):
 * every string of both stays where it is and readable, the head of the
 * one that adopts keeps its room, and one release frees them all (ASan).
 */
static void test_arena_adopt(void)
{
	struct arena into = ARENA_INIT, from = ARENA_INIT, empty = ARENA_INIT;
	const char *a[3], *b[200];
	char big[20000];
	size_t i;
	int same = 1;

	arena_adopt(&into, &empty); /* nothing to give */
	CHECK(into.head == NULL);
	b[0] = arena_strdup(&from, "first");
	arena_adopt(&into, &from); /* into had none: from's blocks are its */
	CHECK(from.head == NULL);
	CHECK_STR(b[0], "first");
	a[0] = arena_strdup(&into, "kept");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (i = 0; i < 200; i++)
		b[i] = arena_printf(&from, "from %zu %s", i, i % 50 ? "" : big); /* several blocks */
	a[1] = arena_strdup(&into, "head");
	arena_adopt(&into, &from);
	CHECK(from.head == NULL);
	a[2] = arena_strdup(&into, "after");
	for (i = 0; i < 200; i++) {
		char want[32];
		snprintf(want, sizeof(want), "from %zu ", i);
		same &= strncmp(b[i], want, strlen(want)) == 0;
	}
	CHECK(same);
	CHECK_STR(a[0], "kept");
	CHECK_STR(a[1], "head");
	CHECK_STR(a[2], "after");
	arena_adopt(&from, &into); /* and back: the empty one takes them all */
	CHECK(into.head == NULL && from.head != NULL);
	CHECK_STR(a[1], "head");
	arena_release(&from);
	CHECK(from.head == NULL);
}

/* strmap_reserve: one growth to room for them all; every key, old and new, found after it. */
static void test_strmap_reserve(void)
{
	struct strmap m = { 0 };
	char keys[3000][8];
	size_t i, cap;
	int all = 1;

	for (i = 0; i < 3000; i++)
		snprintf(keys[i], sizeof(keys[i]), "k%zu", i);
	for (i = 0; i < 10; i++)
		strmap_put(&m, keys[i], (long)i);
	strmap_reserve(&m, 2990);
	cap = m.cap;
	CHECK(cap >= 2 * 3001 && (cap & (cap - 1)) == 0); /* room for 3,000, a power of two */
	for (i = 10; i < 3000; i++)
		strmap_put(&m, keys[i], (long)i);
	CHECK(m.cap == cap); /* no growth on the way */
	CHECK(m.n == 3000);
	for (i = 0; i < 3000; i++)
		all &= strmap_get(&m, keys[i], -1) == (long)i;
	CHECK(all);
	strmap_reserve(&m, 0); /* room already: nothing moves */
	CHECK(m.cap == cap && strmap_get(&m, "k7", -1) == 7);
	strmap_free(&m);
	strmap_reserve(&m, 5); /* an empty map made with room */
	CHECK(m.cap >= 256 && m.n == 0 && strmap_get(&m, "k1", -1) == -1);
	strmap_free(&m);
}

/* buf_put_uint and buf_put_int write what "%llu" and "%lld" do, at the edges and between. */
static void test_buf_put_int(void)
{
	static const long long v[] = { 0,       1,       -1,        9,         10,           -10,
				       99,      100,     2024,      -2024,     999999999,    1000000000,
				       INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN, LLONG_MIN + 1 };
	char want[64];
	struct buf b = BUF_INIT;
	unsigned long long u = 1;
	size_t i;
	int same = 1;

	for (i = 0; i < sizeof(v) / sizeof(*v); i++) {
		buf_reset(&b);
		buf_puts(&b, "x");
		buf_put_int(&b, v[i]);
		snprintf(want, sizeof(want), "x%lld", v[i]);
		same &= strcmp(buf_cstr(&b), want) == 0 && b.len == strlen(want);
	}
	for (i = 0; i < 64; i++, u = u * 3 + 1) { /* every length of digits, and ULLONG_MAX */
		unsigned long long x = i == 63 ? ULLONG_MAX : u;
		buf_reset(&b);
		buf_put_uint(&b, x);
		snprintf(want, sizeof(want), "%llu", x);
		same &= strcmp(buf_cstr(&b), want) == 0 && b.len == strlen(want);
	}
	CHECK(same);
	buf_release(&b);
}

#if defined(__GLIBC__) && defined(MADV_POPULATE_WRITE)
/* How many of the pages of [lo, hi) (page-aligned, 8 MB at most) are resident, or -1. */
static int S_resident_pages(uintptr_t lo, uintptr_t hi)
{
	static unsigned char v[2048];
	size_t i, n = (hi - lo) / 4096;
	int in = 0;

	if (hi < lo || n > sizeof(v) || mincore((void *)lo, hi - lo, v) != 0)
		return -1;
	for (i = 0; i < n; i++)
		in += v[i] & 1;
	return in;
}

/*
 * In a child, its heap given room as a rebuild's: exits 0 when every page
 * of the 2 MB step below the thread's bound (distance above the used top,
 * down to a step) comes in, and none of the 8 MB past it. 2 when that
 * step did not come in within 5 s, 1 when a page past the bound came in;
 * 3 where there is nothing to check: a heap with no room (a sanitizer's
 * malloc), or a system that does not populate.
 */
static void S_ahead_child(void)
{
	const uintptr_t distance = (uintptr_t)6 << 20, step = (uintptr_t)2 << 20;
	struct heap_ahead *h;
	struct mallinfo2 mi;
	uintptr_t brk, top, last;
	int i;

	heap_room();
	brk = (uintptr_t)sbrk(0);
	mi = mallinfo2();
	top = brk - mi.keepcost;
	if (mi.keepcost < (64u << 20) || madvise((void *)(top & ~(uintptr_t)4095), 4096, MADV_POPULATE_WRITE))
		_exit(3);
	h = heap_ahead_start(distance, 1000);
	mi = mallinfo2(); /* the top once the thread's struct is allocated */
	top = (uintptr_t)sbrk(0) - mi.keepcost;
	last = (top + distance) & ~(step - 1); /* the thread's bound */
	/* the whole step below the bound (at least 2 MB above the top, so the thread goes through
	   it from wherever its first look finds the top) */
	for (i = 0; i < 5000 && S_resident_pages(last - step, last) != (int)(step / 4096); i++)
		usleep(1000);
	heap_ahead_stop(h);
	if (S_resident_pages(last - step, last) != (int)(step / 4096))
		_exit(2);
	if (S_resident_pages(last, last + ((uintptr_t)8 << 20)) != 0)
		_exit(1);
	_exit(0);
}

static void test_heap_ahead(void)
{
	pid_t pid = fork();
	int status = -1;

	if (pid == 0)
		S_ahead_child();
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		status = WEXITSTATUS(status);
	if (status != 0 && status != 3)
		fprintf(stderr, "test_util: the heap_ahead child ended with %d\n", status);
	CHECK(status == 0 || status == 3);
	heap_ahead_stop(NULL); /* a no-op */
}
#else
static void test_heap_ahead(void)
{
	heap_ahead_stop(heap_ahead_start((size_t)6 << 20, 1000));
}
#endif

/* The caches' strings: written with their NUL, read back where they lie; a NULL one, one past the
   end, without its NUL or with one inside refused (bad set, every read after it nothing). */
static void test_strz(void)
{
	struct buf b = BUF_INIT;
	struct le_reader r;
	const char *s;
	size_t n = 0;

	buf_put_strz(&b, "abc");
	buf_put_strz(&b, NULL);
	buf_put_strz(&b, "");
	r.p = (const unsigned char *)b.ptr;
	r.end = r.p + b.len;
	r.bad = 0;
	s = le_read_strz(&r, &n);
	CHECK(s && strcmp(s, "abc") == 0 && n == 3 && s == b.ptr + 4);
	CHECK(le_read_strz(&r, &n) == NULL && !r.bad);
	s = le_read_strz(&r, &n);
	CHECK(s && *s == '\0' && n == 0 && r.p == r.end && !r.bad);
	CHECK(le_read_strz(&r, &n) == NULL && r.bad); /* past the end */
	b.ptr[4 + 3] = 'x';                           /* "abc" without its NUL */
	r.p = (const unsigned char *)b.ptr;
	r.bad = 0;
	CHECK(le_read_strz(&r, &n) == NULL && r.bad);
	CHECK(le_read_strz(&r, &n) == NULL && r.bad);
	b.ptr[4 + 3] = '\0';
	b.ptr[4 + 1] = '\0'; /* one inside */
	r.p = (const unsigned char *)b.ptr;
	r.bad = 0;
	CHECK(le_read_strz(&r, &n) == NULL && r.bad);
	buf_release(&b);
}

/* mem_find: within [p, end) only, a needle that would cross end is not found. */
static void test_mem_find(void)
{
	static const char t[] = "ab{{<x{{%y{{";
	const char *end = t + sizeof(t) - 1;

	CHECK(mem_find(t, end, "{{<", 3) == t + 2);
	CHECK(mem_find(t + 3, end, "{{<", 3) == NULL);
	CHECK(mem_find(t, end, "{{%", 3) == t + 6);
	CHECK(mem_find(t, end, "{{", 2) == t + 2);
	CHECK(mem_find(t + 7, end, "{{", 2) == t + 10);
	CHECK(mem_find(t, end - 1, "{{", 2) == t + 2);
	CHECK(mem_find(t + 7, end - 1, "{{", 2) == NULL); /* "{{" would end past end */
	CHECK(mem_find(t, t + 2, "ab{", 3) == NULL);
	CHECK(mem_find(t, end, "x", 1) == t + 5);
	CHECK(mem_find(end, end, "x", 1) == NULL);
	CHECK(mem_find(t, end, "", 0) == t);
}

int main(void)
{
	test_mem_find();
	test_strz();
	test_array_grow();
	test_buf_put_int();
	test_buf_empty();
	test_buf_ops();
	test_strvec();
	test_arena_adopt();
	test_strmap_reserve();
	test_heap_ahead();
	return CHECK_DONE("test_util");
}
