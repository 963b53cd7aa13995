/*
 * source: the site's input files, read either from the working tree (the
 * default; uncommitted edits included) or from the tree of one commit
 * straight out of the object database through libgit2, with no checkout and
 * no temporary files. Both give the same list: every regular file under
 * site.yaml, content/, layouts/ and assets/, sorted by path, with its bytes
 * in memory. Symlinks are never followed, names that could escape the
 * repository are refused, and oversized files are errors.
 */
#ifndef JIXIA_SOURCE_H
#define JIXIA_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include <git2/types.h>

struct source_file {
	char *path; /* relative to the site root, '/'-separated: "content/faq/x.md" */
	char *data; /* the bytes, NUL-terminated (the NUL is not counted in len) */
	size_t len;
	/* Which read of the file the bytes are (source_open_cached): the same
	   number means the very bytes a load before had; 0 without a cache. */
	uint64_t serial;
	/* When the working tree's file was last modified (seconds since the
	   epoch; 0 for a file read from a commit): an uncommitted page's date */
	long long mtime;
	/* What fstat said of the working tree's file as it was read: device,
	   inode, modification and change times in ns. A later run that finds
	   the same (and the same length) has the same bytes, as git's index
	   trusts a file's stat (diskcache.c: its parse cache hashes no such
	   file). All 0 for a file from a commit, and for one changed in the
	   tick the walk began (racy: a second write in that tick could keep
	   every time the same). */
	uint64_t ident[4];
	/* source_open_lazy: the walk left the bytes unread (data NULL until
	   source_bytes reads them); 0 for a file read, and once a reader was
	   refused (reported once) or the bytes were dropped */
	int unread;
};

/* The caps source_open applies by default, the highest site.yaml may set,
 * and the deepest folder it reads (content/ is depth 0, its folders 1).
 * Every other reader of the repository (the history walk) keeps to them. */
#define SOURCE_MAX_MARKDOWN ((size_t)1 << 20)
#define SOURCE_MAX_OTHER ((size_t)32 << 20)
#define SOURCE_MAX_DEPTH 64

struct source_limits {
	size_t max_markdown; /* cap for *.md files; 0 means 1 MiB */
	size_t max_other;    /* cap for every other file; 0 means 32 MiB */
};

struct source {
	char *root;                /* the site directory as given (DIR) */
	char *ref;                 /* the --ref given, or NULL for the working tree */
	char commit[41];           /* hex id of the commit read, "" for the working tree */
	struct source_file *files; /* sorted by path (bytewise) */
	size_t n;
	int borrowed; /* the paths and bytes belong to a source_cache (serve): not freed with the source */
	size_t read;  /* files read from disk; with a cache, the others' bytes came from it */
	/* source_open_cached: the paths a walk of the watcher's changes looked
	   at (source_cache_changed), SOURCE_WALKED when it walked every folder */
	size_t looked;
	/* source_open_cached: a number the same for two sources only when
	   they hold the same paths under content/ (a walk that found no file
	   there made, gone or refused keeps the last walk's); 0 without a
	   cache */
	uint64_t paths_gen;
	/* The working tree's walk: when it began, as file times give it (ns
	   since the epoch): a file with a time at or past it has no identity
	   (source_file.ident). 0 for a commit's tree. */
	uint64_t walked;
};

#define SOURCE_WALKED ((size_t)-1)

/*
 * The git repository that holds dir, opened into *repo unless it is open
 * already. A load opens it once, in the first stage that reads git (a
 * --ref tree, --changed-since, the history walk), and lends it to the
 * others through the same pointer. The handle holds one libgit2
 * initialization; free it with source_repo_free(). Returns 0, or libgit2's
 * negative code (GIT_ENOTFOUND: dir is in no repository) with *repo NULL
 * and git_error_last() saying why while the caller keeps libgit2
 * initialized.
 */
int source_repo_open(git_repository **repo, const char *dir);

/* Frees a handle source_repo_open gave; NULL is fine. */
void source_repo_free(git_repository *repo);

/*
 * Reads the site at dir. With ref NULL, from the working tree; otherwise ref
 * must be "HEAD", a full reference name ("refs/heads/main", "refs/tags/v1")
 * or a hex object id (4 to 40 digits, unambiguous) naming a commit of the
 * repository that contains dir; revparse expressions ("main~2", "@{u}",
 * "a..b") are refused. When dir is a subfolder of the repository, the
 * commit's tree at that subfolder is read.
 *
 * Problems with single files (symlink, unsafe name, too large) are reported
 * through diag and the file is left out; the call still returns 0.
 * Returns -1 (after a diag error) when dir cannot be read, the ref is
 * refused or unknown, or git fails. limits may be NULL for the defaults.
 * With a ref the commit is read through *repo (source_repo_open: opened
 * here when NULL, then the caller's to free); without one repo is unused
 * and may be NULL. Release with source_release().
 */
int source_open(struct source *out, const char *dir, const char *ref, const struct source_limits *limits,
		git_repository **repo);

/*
 * source_open of the working tree (ref NULL: else as source_open), content/'s
 * folders walked on jobs threads as serve's walk does (the same list, sorted
 * alike): a build reads 10,000 files on every core it has.
 */
int source_open_jobs(struct source *out, const char *dir, const char *ref, const struct source_limits *limits,
		     git_repository **repo, int jobs);

/*
 * source_open_jobs of the working tree, but content/'s Markdown files
 * that have an identity (source_file.ident: not changed as the walk
 * began) are not read: their length, time and identity come from the
 * walk's lstat, their bytes from source_bytes when a stage needs them. A
 * rebuild's stages know an unchanged page by its identity (the stamp,
 * the parse cache, the history's kept ids, the render state): reading
 * 10,000 pages (45 MB) was a tenth of a one-page rebuild. A cold build
 * (site.h's drop_md) reads each as its parse worker parses it: read all
 * at once, they were 45 MB of its peak, then holes among the pages' data.
 */
int source_open_lazy(struct source *out, const char *dir, const struct source_limits *limits, int jobs);

/*
 * The bytes of f, a file of src (NUL-terminated at f->len): f->data, or
 * for a file source_open_lazy left unread, read now from the working
 * tree and kept in f->data (any thread; two asking at once get the same
 * bytes, src's until source_release). NULL when they cannot be read, or
 * the file is not the one the walk saw any more (its identity changed:
 * edited during the build), reported (with report: once, as an error,
 * so the build fails and a build after reads it again), or when f's
 * bytes were dropped.
 */
const char *source_bytes(const struct source *src, const struct source_file *f, int report);

void source_release(struct source *src);

/*
 * What jixia serve keeps of the working tree between its loads: every file
 * the last load read, its bytes and what lstat said of it (device, inode,
 * size, modification and change times). source_open_cached walks the
 * folders again (adds, deletes, renames, symlinks and unsafe names are
 * found as source_open finds them) but reads again only the files whose
 * lstat changed, or that changed in the clock tick the walk before began
 * (a second write in the same tick may keep every time the same: such a
 * file is read again until its times are older than a walk). The source
 * it gives borrows the bytes and the paths (src->borrowed); they stay the
 * cache's, valid until the next source_open_cached with it or
 * source_cache_free (a path of a file unchanged then, longer).
 */
struct source_cache;

struct source_cache *source_cache_new(void);
void source_cache_free(struct source_cache *c);

/* source_open of the working tree at dir (no ref, the default caps) through
 * c, content/'s folders walked on jobs threads. */
int source_open_cached(struct source *out, const char *dir, struct source_cache *c, int jobs);

/*
 * serve's watcher saw changes to these paths only (under the site, each
 * a file's: a folder made, moved or deleted, or lost events, are not
 * told here) since the walk that made the cache: the next
 * source_open_cached looks at them (and at the files that were racy)
 * instead of walking every folder. It walks them all still when the walk
 * before was not whole and quiet (cancelled, or it reported anything: a
 * symbolic link, an unsafe name, a file too large must be reported
 * again), or when a path is anything but a regular file or gone (a
 * folder, a link, a name the walk would refuse, a folder on the way that
 * is not one). The copies are the cache's until that walk.
 */
void source_cache_changed(struct source_cache *c, const char *const *paths, size_t n);

/* The file at path, or NULL. Binary search; borrowed from src. */
const struct source_file *source_find(const struct source *src, const char *path);

/*
 * The files whose path starts with prefix ("content/"), as a range into
 * src->files: *first and the count returned.
 */
size_t source_prefix(const struct source *src, const char *prefix, size_t *first);

/*
 * The files changed between the commit ref names and what src read (its
 * commit, or the working tree with the index and untracked files), as paths
 * relative to the site root, sorted; deleted files are not listed. The ref
 * is validated like --ref, and read through *repo (source_repo_open).
 * Caller frees each path and the array. Returns 0, or -1 after a diag
 * error.
 */
int source_changed_since(char ***out, size_t *n, const struct source *src, const char *ref,
			 git_repository **repo);

/*
 * A published file's name (static/, beside the Markdown, assets/): -1 with
 * an error naming the character when one of path's does not show
 * (text_char_shows: a bidi override reads "a\u202Efdp.zip" as "apiz.pdf";
 * spaces pass), else 0.
 */
int source_name_unseen(const char *path);

#endif
