/*
 * memsite: a site in memory (memsite.h). A flat array of files and a
 * string map from path to position: the server looks each request up
 * once, and no folder structure is needed as nothing walks it.
 */
#include "memsite.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct memsite *memsite_new(void)
{
	struct memsite *m = xcalloc(1, sizeof(*m));
	pthread_mutex_init(&m->lock, NULL);
	return m;
}

int memsite_put(struct memsite *m, const char *path, const void *data, size_t len)
{
	char *copy = xmalloc(len + 1), *name = xstrdup(path);
	int rc = -1;

	memcpy(copy, data, len);
	copy[len] = '\0';
	pthread_mutex_lock(&m->lock);
	if (strmap_get(&m->index, path, 0))
		goto done;
	ARRAY_GROW(m->files, m->n, m->cap, 256);
	m->files[m->n].path = name;
	m->files[m->n].data = copy;
	m->files[m->n].len = len;
	m->n++;
	strmap_put(&m->index, name, (long)m->n);
	name = copy = NULL;
	rc = 0;
done:
	pthread_mutex_unlock(&m->lock);
	free(name);
	free(copy);
	return rc;
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

	if (!m)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->files[i].path);
		free(m->files[i].data);
	}
	free(m->files);
	strmap_free(&m->index);
	pthread_mutex_destroy(&m->lock);
	free(m);
}
