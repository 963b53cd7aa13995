/*
 * diskcache: what one run of `jixia build` (or `jixia check`) keeps on disk
 * for the next, beside the build stamp in the user's cache (incr.h): the
 * parse cache, one file per site folder holding each page's parse result
 * under a digest of everything parsing read, and the history walk's
 * result under the commit it started from. A run that finds a page's
 * entry takes it instead of parsing the page; the file is written again
 * when the pages changed. The file is only ever a cache: deleting it, or
 * any damage to it, makes the pages parsed again, never a different site.
 * Serve keeps its own cache in memory (incr.h's struct incr) instead.
 */
#ifndef JIXIA_DISKCACHE_H
#define JIXIA_DISKCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct config;
struct page;
struct source;

struct diskcache_parse;

/*
 * Before the parse stage (one thread): opens the cache of the site folder
 * dir for the load's pages (npages of them; pages stays put until
 * diskcache_parse_end) and the context their parse reads besides their
 * own files: site.yaml's bytes, the base URL, whether the theme is loaded
 * and its i18n files, and jixia's own executable. With spill (the build's,
 * spill.h; may be NULL) a page taken from the cache leaves its body in the
 * cache file (spill_file), read from there when shown. NULL when there is
 * no cache folder (the pages are parsed as without one).
 */
struct spill;
struct diskcache_parse *
diskcache_parse_begin(const char *dir, const struct source *src, const struct config *cfg, int theme,
		      struct page *pages, size_t npages, struct spill *spill);

/* On a worker: 1 when page i took its parse result from the cache (its own
 * copy: the page owns it as if parsed), else 0 (parse it). */
int diskcache_parse_reuse(struct diskcache_parse *dc, size_t i, struct page *page);

/* On a worker, after parse_page: page i goes into the next file unless
 * reported (a diagnostic: a later run must report it again) or failed. */
void diskcache_parse_keep(struct diskcache_parse *dc, size_t i, const struct page *page, int reported);

/* The entries the file's directory listed, with one read of it; 0 when
 * the file was listed record by record (S_list), or none was read. */
size_t diskcache_parse_listed(const struct diskcache_parse *dc);

/*
 * After the stage (one thread, the pages as parse left them): appends the
 * pages parsed to the file, or writes it again (through a temporary file
 * and a rename: never half a file), frees dc. Returns the pages parsed,
 * not taken from the cache; *hashed: the page files whose bytes were
 * hashed, the others known by their identity (source_file.ident).
 */
unsigned long diskcache_parse_end(struct diskcache_parse *dc, unsigned long *hashed);

/* 1 when the site folder dir has a parse cache file (a regular one; its content not looked at):
   a rebuild that will take most pages from it, not the first after a cold build. */
int diskcache_parse_found(const char *dir);

/* Bytes of entries read (their heads and checked parts; the bulk is read when needed), for -v. */
uint64_t diskcache_parse_read(const struct diskcache_parse *dc);
/* The reads those bytes took (entries lying together are read together; all of them read through
   one mapping of the file, the pages' strings views of it, count one), for -v. */
uint64_t diskcache_parse_reads(const struct diskcache_parse *dc);

/*
 * What the reused pages left in the cache file: their bodies (read back
 * through the spill file, spill.h, and checked then) and their search
 * terms (read when walked, pagetok.h's lazy); either damaged makes the
 * page parsed again from its file. The pages point into it from their
 * parse on (their strings too, when the file's entries are mapped:
 * page.parse_mapped): taken after the parse stage's pool (before
 * diskcache_parse_end), it is the caller's, freed once the pages are
 * (diskcache_kept_free); NULL when no page was taken from the cache.
 * Untaken, diskcache_parse_end frees it. cut: nonzero when another
 * program cut the file under its mapping, so the pages' strings read
 * past the cut were zeros: nothing built from them may be swapped in.
 */
struct diskcache_kept;
struct diskcache_kept *diskcache_parse_take(struct diskcache_parse *dc);
/* -v: bodies and pages' terms read back and checked, pages parsed again for want of them */
void diskcache_kept_stats(const struct diskcache_kept *k, unsigned long *bodies, unsigned long *terms,
			  unsigned long *again);
void diskcache_kept_free(struct diskcache_kept *k);
int diskcache_kept_cut(const struct diskcache_kept *k);

/*
 * The history walk kept between runs (history.h's store), one file per
 * site folder: the walk's result under a digest of its key (the start
 * commit, the site folder in the repository, the mailmap, libgit2's
 * version) and of jixia's executable, with its length and checksum. dir
 * is borrowed by *out for as long as it is used. Without a cache folder
 * get finds nothing and put keeps nothing.
 */
struct history_store;
void diskcache_history(struct history_store *out, const char *dir);

/*
 * The render state (rerender.h) of a jixia build into an output it made,
 * one file per site and output folder: what each HTML output read and
 * the digests of it, under a key of the file's and a digest of jixia's
 * executable and of the output folder it describes (out_id, write.h's
 * output_folder_id: another build swapped in, by any jixia, changes it),
 * length and checksum checked, every count and index by the decoder.
 * read gives a struct incr for the render (in->disk) with the state when
 * it holds, NULL without a cache folder; save writes this build's for the
 * output folder now in place (out_id), or removes the file (nothing
 * staged, out_id NULL).
 */
struct buf;
struct incr;
struct git_repository;
/* The state's bytes, when the file holds, are appended to state (for rerender_disk_decode). Reads
   files only: a thread of its own may, beside the model (build.c). */
struct incr *diskcache_render_read(const char *dir, const char *out, const uint64_t out_id[3],
				   struct buf *state);
/* Then, on the thread that holds repo: the commit the history starts from, which its outputs'
   digests take (NULL: nothing). */
void diskcache_render_commit(struct incr *in, const struct source *src, struct git_repository *repo);
/* body: rerender_disk_write, which hands the bytes to put as it makes them (rerender.h; rerender.c
   reads this module's neighbours: no include here). */
typedef int (*diskcache_write_fn)(const struct incr *in, int (*put)(const void *p, size_t n, void *payload),
				  void *payload);
void diskcache_render_save(struct incr *in, const char *dir, const char *out, const uint64_t out_id[3],
			   diskcache_write_fn body);

/*
 * The output folders' record (write.h's output_folders_load and _save),
 * one file per site and output folder, under jixia's executable, length
 * and checksum checked (its content by output_folders_load). read appends
 * the body to body: 0, or -1 when there is none that holds; save writes
 * the n bytes at p.
 */
int diskcache_folders_read(const char *dir, const char *out, struct buf *body);
void diskcache_folders_save(const char *dir, const char *out, const void *p, size_t n);

/*
 * The links' check kept between runs (links.h's links_check_kept), one
 * file per site folder: each page's links as the last check left them,
 * under a key of the file's and jixia's executable, length and checksum
 * checked (every count and index by links.c's decoder). read appends the
 * body to body and sets key: 0, or -1 when there is none that holds; save
 * writes b's bytes past its first DISKCACHE_SEALED (room for the header,
 * which it fills: no copy of the body) under key (the one read, or
 * diskcache_key's).
 */
#define DISKCACHE_SEALED 80
int diskcache_links_read(const char *dir, uint64_t key[2], struct buf *body);
void diskcache_links_save(const char *dir, const uint64_t key[2], struct buf *b);
/* A fresh key for a file of the cache. */
void diskcache_key(uint64_t key[2]);

/*
 * The search index's state of a rebuild (search.h's search_state_encode),
 * one file per site and output folder, in parts each sealed on its own
 * (diskcache.c): under a key of the file's, jixia's executable and the
 * output folder it was made with (out_id); the directory and every part
 * length and checksum checked (the decoder checks the rest).
 */
struct diskcache_part {
	size_t off, len; /* its bytes: [off, off + len) of the parts' bytes */
	size_t was;      /* the part of the file read it stands for (SIZE_MAX: none) */
	int same;        /* save: that part, unchanged (no bytes) */
	/* read only when asked for (diskcache_parts_fetch), not with the others:
	   open leaves its bytes out (len is its length in the file) */
	int lazy;
};

struct diskcache_file;
struct diskcache_parts {
	/* the parts' bytes: open's are a view (cap 0) of the file mapped (mapped.h), alive
	   while file is, else read into memory; the save's (encode's) are owned */
	struct buf bytes;
	struct diskcache_part *v; /* the parts, in order */
	size_t n, cap;
	struct diskcache_file *file; /* open: the file read, for the save */
	/* For -v: the parts open read (and checked), and the save's parts, those
	   it wrote and their bytes, and whether it wrote the file whole. */
	size_t nread, nsaved, nwritten;
	uint64_t written_bytes;
	int whole;
};

/* A part of the bytes from `from` to the end (was: see above; same: none, that part unchanged). */
void diskcache_parts_add(struct diskcache_parts *parts, size_t from, size_t was, int same);
/* Whether the n bytes at p are part was of the file read (open's parts, NULL or without a file:
   no), its length and checksum under key (the save's): an encoder then adds it as the same,
   without copying the bytes into the next parts' (the save would find it the same anyway). */
int diskcache_parts_holds(const struct diskcache_parts *read, const uint64_t key[2], size_t was,
			  const void *p, size_t n);
/* The last part added made lazy (struct diskcache_part's lazy). */
void diskcache_parts_lazy(struct diskcache_parts *parts);
/*
 * Lazy part i of the file open read (diskcache_search_open's parts, its
 * file still open) into out (reset), checked against its checksum: 0, or
 * -1 (no such part, not lazy, cut or damaged). Counted in parts->nread.
 */
int diskcache_parts_fetch(struct diskcache_parts *parts, size_t i, struct buf *out);
/*
 * Nonzero when the file open read was found cut short under its mapping
 * (mapped.h) since it was read: what was taken from its bytes after their
 * checks (the index's terms read lazily) may be zeros, so the build that
 * read them fails (the save then keeps nothing of them either).
 */
int diskcache_parts_cut(const struct diskcache_parts *parts);
/* Frees what parts holds, leaving it empty (also a zeroed one). */
void diskcache_parts_release(struct diskcache_parts *parts);

/*
 * open gives a struct incr for the index (in->disk), NULL without a
 * cache folder; its parts (each checked, on nthreads) into parts (zeroed
 * by the caller) when the file holds (decode them under in->key), else
 * none. save writes in's state for the output folder now in place
 * (out_id): next, its parts as search.h's search_state_encode gave them
 * (a part unchanged since read: no bytes; encoded before the swap, on the
 * index's thread), which are appended to the file read when it is still
 * that file and mostly alive, else written whole; the file is removed
 * when nothing was staged (out_id NULL) or there is no state (next NULL).
 * read: open's parts (their bytes may be released), or NULL; its counts of
 * the save are set. next stays the caller's to release.
 */
struct incr *diskcache_search_open(const char *dir, const char *out, const uint64_t out_id[3], int nthreads,
				   struct diskcache_parts *parts);
void diskcache_search_save(struct incr *in, const char *dir, const char *out, const uint64_t out_id[3],
			   struct diskcache_parts *read, struct diskcache_parts *next);

/*
 * The search index's zlib streams of a rebuild (search.h's
 * search_set_deflate), one file per site folder, each under a digest of
 * its raw bytes: what compress2 at level 9 made of the same bytes in the
 * build before. diskcache_z_deflate is the search_deflate_fn (payload: the
 * memo); close writes the streams this build used when save (the index
 * succeeded). NULL without a cache folder.
 */
struct diskcache_z;
struct diskcache_z *diskcache_z_open(const char *dir);
int diskcache_z_deflate(void *payload, const void *raw, size_t n, unsigned char **z, size_t *zn);
/* The streams taken from the file and made by this build so far. */
void diskcache_z_counts(const struct diskcache_z *z, size_t *hits, size_t *made);
/* all: the old file's streams stay too, used or not (an index kept on disk
 * took its terms' streams from its state, not from here: they stay for a
 * build that makes the index again; the file is trimmed by such a build) */
void diskcache_z_close(struct diskcache_z *z, int save, int all);

/*
 * What a question's old versions said (history.h's struct
 * history_blob_memo), one file per site folder, each answer under a digest
 * of the keep's name and the blob's id: the same bytes always get the same
 * answer. open fills *memo for history_set_blob_memo (all NULL without a
 * cache folder, and then returns NULL); close writes the answers this
 * build used when save and they changed, and frees a.
 */
struct history_blob_memo;
struct diskcache_answers;
struct diskcache_answers *diskcache_answers_open(const char *dir, struct history_blob_memo *memo);
/* The answers taken from the file and read from git so far. */
void diskcache_answers_counts(const struct diskcache_answers *a, size_t *hits, size_t *made);
void diskcache_answers_close(struct diskcache_answers *a, int save);

#endif
