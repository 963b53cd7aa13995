/*
 * memsite: a site in memory (memsite.h). A flat array of files and a
 * index from path to position (each file carries its path's hash, so a
 * site that shares it indexes it without hashing again): the server looks
 * each request up once, and no folder structure is needed as nothing
 * walks it. Each file's bytes follow a count of the sites that hold them
 * (struct mem_block), so a rebuild shares what it kept.
 */
#include "memsite.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * A file's bytes and the number of sites that hold them; data is what
 * memsite_file points at, its path follows the bytes' NUL (so a site that
 * shares the file shares its name too, and copies nothing).
 */
struct mem_block {
	atomic_long refs;
	char data[];
};

static struct mem_block *S_block_of(char *data)
{
	return (struct mem_block *)(void *)(data - offsetof(struct mem_block, data));
}

static void S_block_drop(char *data)
{
	struct mem_block *b;
	if (!data)
		return;
	b = S_block_of(data);
	if (atomic_fetch_sub(&b->refs, 1) == 1)
		free(b);
}

struct memsite *memsite_new(void)
{
	struct memsite *m = xcalloc(1, sizeof(*m));
	pthread_mutex_init(&m->lock, NULL);
	atomic_init(&m->refs, 1);
	return m;
}

struct memsite *memsite_ref(struct memsite *m)
{
	atomic_fetch_add(&m->refs, 1);
	return m;
}

/* The slot of path (hash h): the one that holds it, or the empty one where it goes. */
static size_t S_slot_of(const struct memsite *m, const char *path, uint64_t h)
{
	size_t i = (size_t)h & (m->nslots - 1), at;
	while ((at = m->slots[i]) != 0 &&
	       (m->files[at - 1].hash != h || strcmp(m->files[at - 1].path, path) != 0))
		i = (i + 1) & (m->nslots - 1);
	return i;
}

/* Room in the index for n files, by the hashes the files carry (no path hashed again). */
static void S_room(struct memsite *m, size_t n)
{
	size_t cap = 256, k;
	if (2 * n <= m->nslots)
		return;
	while (cap < 2 * n)
		cap *= 2;
	free(m->slots);
	m->slots = xcalloc(cap, sizeof(*m->slots));
	m->nslots = cap;
	for (k = 0; k < m->n; k++)
		m->slots[S_slot_of(m, m->files[k].path, m->files[k].hash)] = k + 1;
}

/* Adds f (its block the caller's reference, which becomes the site's); the lock is held. */
static int S_add_locked(struct memsite *m, const struct memsite_file *f)
{
	size_t i;
	S_room(m, m->n + 1);
	i = S_slot_of(m, f->path, f->hash);
	if (m->slots[i])
		return -1;
	ARRAY_GROW(m->files, m->n, m->cap, 256);
	m->files[m->n] = *f;
	m->n++;
	m->slots[i] = m->n;
	return 0;
}

static int S_add(struct memsite *m, const struct memsite_file *f)
{
	int rc;

	pthread_mutex_lock(&m->lock);
	rc = S_add_locked(m, f);
	pthread_mutex_unlock(&m->lock);
	if (rc)
		S_block_drop(f->data);
	return rc;
}

int memsite_put(struct memsite *m, const char *path, const void *data, size_t len)
{
	size_t plen = strlen(path);
	struct mem_block *b = xmalloc(sizeof(*b) + len + 1 + plen + 1);
	struct memsite_file f;

	atomic_init(&b->refs, 1);
	memcpy(b->data, data, len);
	b->data[len] = '\0';
	memcpy(b->data + len + 1, path, plen + 1);
	f.path = b->data + len + 1;
	f.hash = hash_keyed(path, plen);
	f.data = b->data;
	f.len = len;
	return S_add(m, &f);
}

int memsite_share(struct memsite *m, const struct memsite_file *f)
{
	atomic_fetch_add(&S_block_of(f->data)->refs, 1);
	return S_add(m, f);
}

int memsite_share_many(struct memsite *m, const struct memsite *from, const size_t *pos, size_t n,
		       size_t *first, size_t *dup)
{
	size_t k;
	int rc = 0;

	pthread_mutex_lock(&m->lock);
	*first = m->n;
	/* room for them all at once: no array or index grown file by file, and
	   no path hashed (each file carries its hash) */
	if (m->n + n > m->cap) {
		m->cap = m->n + n;
		m->files = xrealloc(m->files, m->cap * sizeof(*m->files));
	}
	S_room(m, m->n + n);
	for (k = 0; k < n; k++) {
		const struct memsite_file *f = &from->files[pos[k]];
		atomic_fetch_add(&S_block_of(f->data)->refs, 1);
		if (S_add_locked(m, f)) {
			S_block_drop(f->data);
			*dup = k;
			rc = -1;
			break;
		}
	}
	pthread_mutex_unlock(&m->lock);
	return rc;
}

const struct memsite_file *memsite_get(const struct memsite *m, const char *path)
{
	size_t at;
	if (!m->nslots)
		return NULL;
	at = m->slots[S_slot_of(m, path, hash_keyed(path, strlen(path)))];
	return at ? &m->files[at - 1] : NULL;
}

/* clang-format off */
static const struct {
	const char *ext;
	const char *type;
} S_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".xml", "application/xml" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".ics", "text/calendar; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".jpeg", "image/jpeg" },
	{ ".gif", "image/gif" },
	{ ".webp", "image/webp" },
	{ ".avif", "image/avif" },
	{ ".ico", "image/x-icon" },
	{ ".pdf", "application/pdf" },
	{ ".woff", "font/woff" },
	{ ".woff2", "font/woff2" },
	{ ".mp4", "video/mp4" },
	{ ".webm", "video/webm" },
	{ ".mp3", "audio/mpeg" },
	{ ".ogg", "audio/ogg" },
	{ ".zip", "application/zip" },
};
/* clang-format on */

const char *memsite_type(const char *path)
{
	const char *slash = strrchr(path, '/'), *dot = strrchr(slash ? slash : path, '.');
	size_t i;

	if (dot)
		for (i = 0; i < sizeof(S_types) / sizeof(*S_types); i++)
			if (strcasecmp(dot, S_types[i].ext) == 0)
				return S_types[i].type;
	/* the search index's shards (.bin) among them: bytes the client reads itself */
	return "application/octet-stream";
}

void memsite_free(struct memsite *m)
{
	size_t i;

	if (!m || atomic_fetch_sub(&m->refs, 1) > 1)
		return;
	for (i = 0; i < m->n; i++)
		S_block_drop(m->files[i].data); /* the path with it */
	free(m->files);
	free(m->slots);
	pthread_mutex_destroy(&m->lock);
	free(m);
}
