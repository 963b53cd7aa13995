/*
 * write: the output folder, all or nothing. A build writes into a fresh
 * folder beside the output and swaps it into place only when everything
 * succeeded; on any error the previous output stays byte for byte as it was.
 * The outputs alike (pages, feeds, sitemap, search shards) all go through
 * output_write.
 */
#ifndef JIXIA_WRITE_H
#define JIXIA_WRITE_H

#include <stdatomic.h>
#include <stddef.h>

struct output {
	char *dir;      /* the output folder, absolute */
	char *tmp;      /* the folder being built, beside dir */
	atomic_size_t files;  /* written so far (for -v) */
	atomic_size_t bytes;
};

/*
 * Checks that dir may be used as the output of the site at site_root and
 * creates the temporary folder. Refused: the site root or a folder above it,
 * site.yaml's folders (content/, layouts/, assets/) or anything inside them,
 * .git, and an existing non-empty folder that jixia did not make (it has no
 * .jixia-output marker), so a typo in -o never replaces someone's files.
 * Returns 0, or -1 after a diag error.
 */
int output_begin(struct output *out, const char *dir, const char *site_root);

/*
 * Writes one file at rel (a '/'-separated path under the output, made by
 * the generator, checked again here: no "..", no absolute path), creating
 * its folders. Safe to call from several threads. Returns 0 or -1 (after a
 * diag error).
 */
int output_write(struct output *out, const char *rel, const void *data, size_t len);

/* Swaps the finished folder into place and removes the old one. 0 or -1. */
int output_commit(struct output *out);

/* Removes the temporary folder; the previous output is untouched. */
void output_abort(struct output *out);

void output_release(struct output *out);

#endif
