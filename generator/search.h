/*
 * search: the static search index, built after render from the frozen
 * model and written under /search/ beside the pages. A query in the
 * browser (assets/search.js) downloads the manifest, one shard per term and
 * the metadata record of each result it shows (by byte range); none of
 * these grows with the number of pages. The file formats are described in
 * search.c.
 */
#ifndef JIXIA_SEARCH_H
#define JIXIA_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "write.h"

/* What search_build made, for -v. */
struct search_stats {
	size_t docs;     /* pages indexed */
	size_t terms;    /* distinct terms (tag filters included) */
	size_t postings; /* (term, page) pairs */
	size_t files;    /* files under search/ */
	size_t bytes;    /* their total size */
	size_t unpacked; /* a rebuild from a state on disk: the terms whose postings it took apart */
	size_t checked;  /* and the terms whose postings it read to compare the changed pages' */
	/* a rebuild that kept its state on disk: the zlib streams it made (no memo read,
	   search_set_deflate's) and the files of streams it kept from the output */
	size_t streams_made, streams_kept;
};

struct search_index;

/*
 * Tokenizes every page of site on nthreads threads and ranks each term's
 * pages (BM25F). The result does not depend on nthreads. Caller frees with
 * search_index_free; it borrows site until then.
 */
struct search_index *search_index_new(const struct site *site, int nthreads);

/*
 * The pages of term (already a term: folded, one word or CJK pair) best
 * first, as the index stores them: up to max pages into docs_out and their
 * one-byte impacts into impacts_out (either may be NULL). Returns the
 * number of pages carrying the term. For tests.
 */
size_t search_index_postings(const struct search_index *ix, const char *term, const struct page **docs_out,
			     int *impacts_out, size_t max);

/*
 * Where the term shards are cut, content-defined: term i (its record
 * bytes[i], its name's hash[i], search_term_cut_hash) may end a shard
 * once the shard has 0.8 of target bytes, more likely the bigger the
 * shard, and does past 1.4; so a change moves the cuts of its own shard
 * alone, as a rule. At most most shards (the file cap), made bigger
 * when needed. Shard k is terms [from[k], from[k + 1]);
 * from has room for n + 1. Returns the number of shards. For the index
 * writer and the tests.
 */
size_t search_shard_cuts(const uint64_t *hash, const size_t *bytes, size_t n, double target, size_t most,
			 size_t *from);
uint64_t search_term_cut_hash(const char *s, size_t n);

/* Writes the index files under search/ in out. 0, or -1 after a diag error. */
int search_index_write(struct search_index *ix, struct output *out, struct search_stats *stats);

void search_index_free(struct search_index *ix);

/*
 * search_index_new, _write and _free in one call: the build's index stage.
 * Each page's text (page->text, read by nothing after the index) is freed
 * once tokenized, so that the index's postings take its room.
 */
int search_build(struct site *site, struct output *out, int nthreads, struct search_stats *stats);

struct incr;

/*
 * search_build for jixia serve: with in (NULL: search_build), the index
 * of the rebuild before is kept in in and brought up to date from the
 * pages that changed; the files are those search_build writes, byte for
 * byte. in->pages_indexed tells how many pages were tokenized again,
 * in->index_kept whether the index kept was used (else it was made
 * again). A jixia build's rebuild passes one with in->disk set, its
 * state read from disk (search_state_decode, below) or none.
 */
int search_build_incr(struct site *site, struct output *out, int nthreads, struct search_stats *stats,
		      struct incr *in);

/*
 * jixia build's index kept between runs (diskcache.h seals each part):
 * search_build_incr's state in in, made by a rebuild whose in->disk was
 * set, appended to next as parts (a part the state read holds unchanged
 * stands as that part, no bytes); 0, or -1 when in holds none. decode
 * puts such parts, made under in->key, back into in (then
 * search_build_incr brings the index up to date from the pages that
 * changed, or builds it again): 0, or -1 when they do not hold, in left
 * as it was. Every count, length and page number is checked. The state
 * takes the parts' bytes (parts->bytes is left empty): its terms are
 * taken apart from them when read.
 */
struct diskcache_parts;
int search_state_encode(const struct incr *in, struct diskcache_parts *next);
int search_state_decode(struct incr *in, struct diskcache_parts *parts, int nthreads);

/*
 * The index's zlib streams (level 9) made through fn while it is set: a
 * rebuild's memo of the streams of the bytes it compressed before
 * (diskcache.h), the same bytes compress2 gives. fn puts a malloc'd stream
 * in *z (freed by the caller, also on failure) and its length in *zn;
 * 0, or -1. Any thread. NULL: compress2 itself.
 */
typedef int (*search_deflate_fn)(void *payload, const void *raw, size_t n, unsigned char **z, size_t *zn);
void search_set_deflate(search_deflate_fn fn, void *payload);

#endif
