/*
 * write: the output folder, all or nothing. A build writes into a fresh
 * folder beside the output and swaps it into place only when everything
 * succeeded; on any error the previous output stays byte for byte as it was.
 * The outputs alike (pages, feeds, sitemap, search shards) all go through
 * output_write.
 */
#ifndef JIXIA_WRITE_H
#define JIXIA_WRITE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

struct memsite;

struct output {
	char *dir;           /* the output folder, its physical path (NULL until begun) */
	char *tmp;           /* the folder being built, beside dir (NULL when none) */
	int parent;          /* dir's parent, opened once: every step after the checks
	                   works relative to it (valid while dir is set) */
	int tmpfd;           /* tmp, open and locked (flock) while this build owns it
	                   (valid while tmp is set) */
	atomic_size_t files; /* written so far (for -v) */
	atomic_size_t bytes; /* written or being written; never over max_bytes */
	size_t max_bytes;    /* the whole output's cap: OUTPUT_MAX_BYTES from
	                         output_begin (tests lower it after begin) */
	atomic_int over;     /* a write was refused for the cap (reported once) */
	struct memsite *mem; /* jixia serve: the files go here and no folder is used (NULL: a folder) */
	/* Writing only what changed (see write.c): tmp may be the site of the
	 * build before last, kept beside as .NAME.spare and brought up to date. */
	int recycled;          /* tmp began as the spare: output_write compares
	                            before it writes, output_commit removes what
	                            this build did not write */
	mode_t mode;           /* what a new file's mode comes out as (umask) */
	pthread_mutex_t lock;  /* guards dirs, seen and names */
	struct strmap dirs;    /* folders under tmp made or checked by this build */
	struct strmap seen;    /* files this build wrote or kept (recycled only) */
	struct arena names;    /* the keys of dirs and seen */
	atomic_size_t changed; /* files whose bytes were written (the rest were kept) */
	atomic_size_t removed; /* files of the spare this build did not write */
	atomic_size_t mkdirs;  /* folders created */
	/* output_keep: the current output folder, opened at its first call
	   (under lock); cur_state 0 not yet, 1 open, -1 none to keep from */
	int cur;
	int cur_state;
	atomic_size_t linked;       /* files kept from the current output (output_keep) */
	size_t vouched;             /* of those, kept by their folder's record alone (output_keep_many) */
	size_t looked;              /* folders of a recycled tmp looked at (one fstatat each) */
	size_t prelooked;           /* of those, looked at ahead (output_prelook) */
	struct output_prelook *pre; /* the looks made ahead at tmp's folders, or NULL */
	int trust;                  /* the folders' record is of a build that wrote this build's
	                         mode (output_folders_load): output_keep_many may trust it */
	/* Which folders of a recycled tmp the removal walk reads (write.c's
	   "the folders' record"); under lock while the build writes */
	struct out_folder *folders; /* [0] tmp itself, then each of dirs (its value - 1) */
	size_t nfolders, capfolders;
	struct out_record *record; /* what the builds before recorded (output_folders_load) */
	size_t nrecord;
	uint64_t record_gen; /* the newest build of those */
	int64_t t0;          /* this build's start (ns of the real-time clock) */
	size_t walked;       /* folders the removal walk read */
	/* A build with no spare: the current output's folders as it read them
	   (output_record_current), the next build's spare's record */
	struct out_record *cur_record;
	size_t ncur_record;
	size_t cur_read; /* folders of the current output read for it */
};

/*
 * What one build may write in all. Each output is bounded on its own (a
 * template's output, a body, a file), but not how many there are: a 1 MiB
 * partial included 62 times on 40 pages wrote 2.5 GB. The largest real
 * site measured (30,000 pages in 2 languages) wrote 681 MB.
 */
#define OUTPUT_MAX_BYTES ((size_t)4 << 30)

/*
 * Checks that dir may be used as the output of the site at site_root and
 * creates the temporary folder; dir NULL means site_root's public/.
 * Refused: the site root or a folder above it, site.yaml's folders
 * (content/, layouts/, assets/) or anything inside them, any .git, an existing
 * non-empty folder that jixia did not make (it has no .jixia-output
 * marker), so a typo in -o never replaces someone's files, and an output
 * reached through a symbolic link that a commit may have made
 * (guard_refuse_link: in the folder jixia runs in, the site, or a git
 * repository): a commit can point such a link anywhere. Links elsewhere,
 * on the way there, are the user's and are followed. Folders that earlier
 * builds of this output left behind (killed, or dead between the two
 * renames of the fallback swap) are cleaned up first; see write.c.
 * Returns 0, or -1 after a diag error.
 */
int output_begin(struct output *out, const char *dir, const char *site_root);

/* Whether the output folder (DIR, else SITE_ROOT/public) holds a site jixia
 * wrote: a build into it is a rebuild. */
int output_is_site(const char *dir, const char *site_root);

/*
 * Begins an output held in memory (jixia serve): output_write puts each
 * file into mem (borrowed, the caller's) with the same checks and cap,
 * nothing touches the disk, and output_commit leaves the swap to the
 * caller. Returns 0.
 */
int output_begin_memory(struct output *out, struct memsite *mem);

/*
 * Writes one file at rel (a '/'-separated path under the output, made by
 * the generator, checked again here: no "..", no absolute path), creating
 * its folders. A file that would take the output over out->max_bytes is
 * not written, nor is any file after it: the first is reported, naming it,
 * and the build fails with the previous output as it was. Safe to call
 * from several threads. Returns 0 or -1 (after a diag error, by this call
 * or the one that crossed the cap).
 */
int output_write(struct output *out, const char *rel, const void *data, size_t len);

/*
 * output_write, and in *shared whether the file is the current output's
 * file, linked (a build with no spare: write.c's S_link_same), so that the
 * current output, the next build's spare, holds this very file, as it
 * holds a kept one (output_keep_many's shared).
 */
int output_write_shared(struct output *out, const char *rel, const void *data, size_t len, int *shared);

/*
 * An output in memory (output_begin_memory) takes file f of the site the
 * build before made, sharing its bytes: an output the incremental engine
 * did not render again (rerender.h). The same checks, cap and count as
 * output_write. Returns 0 or -1 (after a diag error).
 */
struct memsite_file;
int output_share(struct output *out, const struct memsite_file *f);
/*
 * output_share of the files at positions pos[0..n) of the site from, in
 * one go (memsite_share_many); *first is the position of the first in
 * out's site. 0 or -1 (reported).
 */
int output_share_many(struct output *out, const struct memsite *from, const size_t *pos, size_t n,
		      size_t *first);

/*
 * A rebuild's output that was not rendered because its inputs did not
 * change since the build that made the current output (diskcache.h): its
 * file in the current output, a regular file of the output's mode, made
 * the new folder's too by a hard link (nothing when the spare's is that
 * very file already). output_write never writes into a file with another
 * link (write.c's S_same), so neither folder ever changes the other's.
 * Returns 0, 1 when it cannot be kept (no such file, links refused: render
 * it), -1 after a diag error.
 */
int output_keep(struct output *out, const char *rel);

/*
 * output_keep for the n files of v at once (a rebuild's render), each
 * v[i].rc set: 0 kept, 1 not (render it). A file v[i].shared (the build
 * that made the current output kept it too, so its file there and the
 * spare's were one file then) is kept without a look at it when the
 * folders' record vouches for its folder in the spare: found at the inode
 * and change time a build recorded, so no name in it came, went or was
 * replaced since; its size is then v[i].size, as recorded. gen is the
 * record number of the build whose state says which files are shared
 * (rerender.h's gens): a shared counts only when that build is the newest
 * the folders' record holds (record_gen), as the spare is then its folder.
 * Every other file is output_keep's. The folders are looked at (one
 * fstatat each) on nthreads threads. Returns 0, or -1 after a diag error.
 */
struct output_kept {
	const char *rel; /* the file, as output_keep's */
	uint64_t size;   /* its size, as the build that made it recorded; out: a file looked at, its own */
	int shared;      /* see above */
	int rc;          /* out: 0 kept, 1 render it */
};
int output_keep_many(struct output *out, struct output_kept *v, size_t n, uint64_t gen, int nthreads);

/*
 * A rebuild's folder looks made ahead, on a thread of their own beside
 * the model (build.c): the spare of the output folder dir (a physical
 * path, output_guess's) is opened and locked, so no other build takes
 * it, then each folder on the way to the files path gives (i from 0 until
 * it gives NULL; a rebuild's render state names the files the build
 * before wrote: untrusted, every name checked) is looked at as
 * output_keep_many would, once, until *stop is set (the build wants
 * them: the rest are looked at in line). NULL when there is no spare or
 * another build holds it. output_begin_prelooked takes the looks over (and frees
 * them) when it takes that very folder as its tmp, locked all along:
 * nothing but this build changed it since the looks, which then are
 * this build's looks before it changes anything there; the S_RACY_NS rule
 * counts from the first look. Else the lock goes, and the looks are made
 * in line as before. output_begin is output_begin_prelooked with none.
 */
struct output_prelook;
struct output_prelook *output_prelook(const char *dir, const char *(*path)(size_t i, const void *payload),
				      const void *payload, const atomic_int *stop);
size_t output_prelook_count(const struct output_prelook *p);
void output_prelook_free(struct output_prelook *p);
int output_begin_prelooked(struct output *out, const char *dir, const char *site_root,
			   struct output_prelook *pre);

/* The output folder's identity (device, inode, change time in ns):
 * another build swapped in changes it. 0, or -1 when there is none. */
int output_folder_id(const struct output *out, uint64_t id[3]);

/*
 * Before output_begin: the output folder's name as output_begin will most
 * likely give it (out->dir), and its identity as output_folder_id will,
 * for the caches a rebuild reads ahead (build.c); NULL when there is no
 * folder there. Only a guess: the caller checks both against output_begin's.
 */
char *output_guess(const char *dir, const char *site_root, uint64_t id[3]);

/*
 * The folders' record (write.c): what the builds before found in the
 * folders they left, so that the removal walk of output_commit reads only
 * a folder that changed since, or that this build changed. load takes the
 * bytes save gave (from a file, untrusted: anything that does not parse
 * is ignored, every folder then read); call it after output_begin. save,
 * after a successful output_commit, appends this build's record (and what
 * still holds of the one before: the folders of the next build's spare)
 * to b. A folder's record holds only while its change time is the one
 * recorded, which no later change, by jixia or by hand, keeps.
 */
struct buf;
void output_folders_load(struct output *out, const void *p, size_t n);
void output_folders_save(const struct output *out, struct buf *b);

/*
 * A build with no spare (the first rebuild after a cold build, or after
 * the spare went) made every folder anew: none is in the record, and the
 * current output, which its swap makes the next build's spare, would have
 * its every folder read and every kept file looked at by that build; and
 * so would the build after the next, whose spare this build's folder
 * becomes. So before output_commit this reads the current output's
 * folders (those of this build's paths, on nthreads threads) when the
 * record does not hold them (a build with no spare; the build after one,
 * seen by a sample of them) and keeps what it found for
 * output_folders_save: each folder's inode, change time and names, when
 * that time is not racy. Nothing in memory. Returns how many it read.
 */
size_t output_record_current(struct output *out, int nthreads);

/*
 * Swaps the finished folder into place and keeps the old one beside as
 * .NAME.spare, which the next build of this output brings up to date
 * rather than writing every file again: one
 * renameat2(RENAME_EXCHANGE) where the file system has it, else two renames
 * (the old site aside, the new one in) that never remove the old site
 * before the new one is in place. 0 or -1.
 */
int output_commit(struct output *out);

/* Leaves the temporary folder as the spare (or removes it); the previous
 * output is untouched. */
void output_abort(struct output *out);

void output_release(struct output *out);

/*
 * For tests only (tests/unit/test_write.c): nonzero makes output_commit take
 * the two-rename path of file systems without RENAME_EXCHANGE. Nothing in
 * jixia sets it, and no option or environment variable reaches it.
 */
extern int output_test_no_exchange;

#endif
