/*
 * mapped: a span of a cache file read through the page cache (mmap,
 * read-only, private) rather than copied into fresh memory, which on a
 * virtual machine that gives freed memory back to its host within a
 * second costs the kernel a zeroed page per 4 KB (or 2 MB) touched: the
 * caches between builds were written by the build before, seconds ago,
 * so their pages are still in the page cache.
 *
 * A mapped file cut short by another process (a truncate, a build of
 * another jixia writing it over in place) makes a read past its new end a
 * SIGBUS. A handler of that signal, installed with the first mapping,
 * maps zeros over the rest of the mapping the fault lies in and marks the
 * mapping cut, so the read goes on with zeros and its caller, which
 * checked the bytes when it took them, asks mapped_cut and gives up what
 * it read from them (a fault anywhere else is left to kill the process
 * as before). Whole-file checksums still run over a mapping when it is
 * made; a cut after them is what mapped_cut is for.
 */
#ifndef JIXIA_MAPPED_H
#define JIXIA_MAPPED_H

#include <stddef.h>
#include <stdint.h>

struct mapped;

/*
 * len bytes of fd from off (off + len within the file's size as the
 * caller found it with fstat) mapped read-only into *out, their first
 * byte at *at: 0, or -1 (nothing mapped; read them the plain way). Free
 * with mapped_free. Thread-safe.
 */
int mapped_open(struct mapped **out, const unsigned char **at, int fd, uint64_t off, size_t len);
/* Nonzero once a read of m found its file cut short (read as zeros since), or the file
   (fd, which must stay open while m is) ends before m's bytes do. */
int mapped_cut(const struct mapped *m);
/* Unmaps m (NULL is fine); its bytes must no longer be read. */
void mapped_free(struct mapped *m);

#endif
