/*
 * util: allocation that aborts, the growable buffer and the arena. Kept
 * deliberately small: everything else builds on these three.
 */
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void S_oom(size_t n)
{
	fprintf(stderr, "jixia: fatal: out of memory allocating %zu bytes\n", n);
	abort();
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

void buf_grow(struct buf *b, size_t extra)
{
	size_t want;
	if (extra > SIZE_MAX - b->len - 1)
		S_oom(SIZE_MAX);
	want = b->len + extra + 1;
	if (want <= b->cap)
		return;
	if (b->cap < 64)
		b->cap = 64;
	while (b->cap < want)
		b->cap = b->cap > SIZE_MAX / 2 ? want : b->cap * 2;
	b->ptr = xrealloc(b->ptr, b->cap);
}

void buf_put(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_putc(struct buf *b, int c)
{
	buf_grow(b, 1);
	b->ptr[b->len++] = (char)c;
	b->ptr[b->len] = '\0';
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

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *buf_cstr(const struct buf *b)
{
	return b->ptr ? b->ptr : "";
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

char *buf_detach(struct buf *b, size_t *len_out)
{
	char *p = b->ptr ? b->ptr : xstrdup("");
	if (len_out)
		*len_out = b->len;
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void buf_release(struct buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
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
				if (out->ptr)
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
