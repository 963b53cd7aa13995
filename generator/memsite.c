/*
 * memsite: a site in memory (memsite.h). A flat array of files and a
 * string map from path to position: the server looks each request up
 * once, and no folder structure is needed as nothing walks it. Each
 * file's bytes follow a count of the sites that hold them (struct
 * mem_block), so a rebuild shares what it kept.
 */
#include "memsite.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A file's bytes and the number of sites that hold them; data is what memsite_file points at. */
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

/* Adds path with the block whose bytes are data (the caller's reference becomes the site's). */
static int S_add(struct memsite *m, const char *path, char *data, size_t len)
{
	char *name = xstrdup(path);
	int rc = -1;

	pthread_mutex_lock(&m->lock);
	if (strmap_get(&m->index, path, 0))
		goto done;
	ARRAY_GROW(m->files, m->n, m->cap, 256);
	m->files[m->n].path = name;
	m->files[m->n].data = data;
	m->files[m->n].len = len;
	m->n++;
	strmap_put(&m->index, name, (long)m->n);
	name = NULL;
	data = NULL;
	rc = 0;
done:
	pthread_mutex_unlock(&m->lock);
	free(name);
	S_block_drop(data);
	return rc;
}

int memsite_put(struct memsite *m, const char *path, const void *data, size_t len)
{
	struct mem_block *b = xmalloc(sizeof(*b) + len + 1);

	atomic_init(&b->refs, 1);
	memcpy(b->data, data, len);
	b->data[len] = '\0';
	return S_add(m, path, b->data, len);
}

int memsite_share(struct memsite *m, const struct memsite_file *f)
{
	atomic_fetch_add(&S_block_of(f->data)->refs, 1);
	return S_add(m, f->path, f->data, f->len);
}

const struct memsite_file *memsite_get(const struct memsite *m, const char *path)
{
	long i = strmap_get(&m->index, path, 0);
	return i > 0 ? &m->files[i - 1] : NULL;
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
	for (i = 0; i < m->n; i++) {
		free(m->files[i].path);
		S_block_drop(m->files[i].data);
	}
	free(m->files);
	strmap_free(&m->index);
	pthread_mutex_destroy(&m->lock);
	free(m);
}
