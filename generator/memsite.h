/*
 * memsite: a built site held in memory, for jixia serve. The build writes
 * each output into it through write.c (struct output's mem) instead of a
 * folder, from any number of threads; once the build has succeeded the
 * site is frozen and the server's threads read it without a lock while
 * the next build fills another one. Nothing of it ever reaches the disk.
 *
 * A file's bytes are counted references: the next build of the same site
 * shares the files it did not render again (memsite_share) instead of
 * copying them, and the site itself is counted too, so serve's live
 * snapshot and the incremental engine (incr.h) can both hold the last one.
 */
#ifndef JIXIA_MEMSITE_H
#define JIXIA_MEMSITE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct memsite_file {
	char *path;    /* '/'-separated, as output_write got it: "en/talks/x/index.html" (in the
		       block of data, after its NUL: shared with it) */
	uint64_t hash; /* hash_keyed of path: where the index puts it, in any site it is in */
	char *data;    /* its bytes, NUL-terminated, shared by every site that has them
		       (a counted block: memsite_share) */
	size_t len;
};

struct memsite {
	pthread_mutex_t lock;       /* held by memsite_put: the render threads write at once */
	struct memsite_file *files; /* in the order they were written */
	size_t n, cap;
	size_t *slots; /* the index by path: open addressing by each file's hash, position + 1
			  (0: empty); a power of two of them, at most half used */
	size_t nslots;
	atomic_long refs; /* holders of the site: memsite_free by the last one frees it */
};

/* An empty site (caller frees with memsite_free). */
struct memsite *memsite_new(void);

/*
 * Adds a copy of the len bytes at data as the file path (copied). Safe to
 * call from several threads. Returns 0, or -1 when a file of that path is
 * already there (two outputs would be one file; the caller reports it).
 */
int memsite_put(struct memsite *m, const char *path, const void *data, size_t len);

/*
 * Adds file f of another (frozen) site as the file of the same path,
 * sharing its bytes (no copy). Safe to call from several threads, as
 * memsite_put. Returns 0, or -1 when a file of that path is already there.
 */
int memsite_share(struct memsite *m, const struct memsite_file *f);

/*
 * Adds the files at positions pos[0..n) of the (frozen) site from, sharing
 * their bytes and names, in one go: the index sized once, the lock taken
 * once. *first is the position of the first of them in m. Returns 0, or
 * -1 when a file of such a path is already there: *dup is its k (those
 * before it were added).
 */
int memsite_share_many(struct memsite *m, const struct memsite *from, const size_t *pos, size_t n,
		       size_t *first, size_t *dup);

/* One more holder of m (released by memsite_free); returns m. */
struct memsite *memsite_ref(struct memsite *m);

/* The file at path, or NULL; borrowed until memsite_free. Not while memsite_put may run. */
const struct memsite_file *memsite_get(const struct memsite *m, const char *path);

/* The Content-Type a browser wants for path, by its extension ("text/html; charset=utf-8"). */
const char *memsite_type(const char *path);

/* Drops one holder of m; the last one frees it (a NULL m is nothing). */
void memsite_free(struct memsite *m);

#endif
