/*
 * write: build beside, then swap. The swap is renameat2(RENAME_EXCHANGE)
 * where the kernel and the file system have it (one atomic step: readers
 * see the old site or the new, never a mix), else two renames.
 *
 * A commit controls every name in the repository, so the output's path is
 * resolved here one name at a time from an open folder (openat with
 * O_NOFOLLOW), like the kernel would, except that a symbolic link a commit
 * may have made (guard.h says which) is an error instead of a detour. What
 * is found is held open: the checks and every later step (the temporary
 * folder, the files, the swap, removals) work relative to the output's
 * parent folder, never by its path again, so nothing can be swapped in
 * between.
 *
 * A temporary folder is named .NAME.tmp-XXXXXX, is locked (flock) by its
 * build before the .jixia-output marker goes in, and stays locked until the
 * build ends. A marked folder that nobody holds is one whose build died
 * (kill -9 releases the lock too), and the next build of the same output
 * removes it. flock rather than a pid file: the kernel drops the lock with
 * the process, a pid can be reused or belong to another container's
 * namespace, and a pid file would need writing after the folder exists.
 *
 * Writing only what changed: after the swap the previous site is not
 * removed but kept beside as .NAME.spare (removing 12,000 files took as
 * long as writing them). The next build takes the spare as its temporary
 * folder (locked, renamed to a .tmp- name first, so a build that dies
 * while updating it leaves a folder S_clean removes) and brings it up to
 * date: output_write compares each file with the one there and writes only
 * when the bytes differ; output_commit removes what this build did not
 * write, then swaps. The spare's content only saves work, it never decides
 * the result: every file is compared and every other name removed, so a
 * spare someone changed by hand, or a failed build left half updated,
 * still gives exactly what a fresh folder would. A failed build leaves its
 * folder as the spare. Each folder is made (or checked to be a folder, not
 * a link) once per build, remembered in out->dirs.
 *
 * The folders' record: reading every folder for names this build did not
 * write took most of a one-page rebuild's write stage (15,748 folders at
 * 10,000 pages). A folder's change time (st_ctim) is set by the kernel
 * whenever a name is made or removed in it, and cannot be set by hand
 * like the modification time; so a build records, for each folder it
 * left as it found it, the folder's inode, change time and how many names
 * it holds (output_folders_save). When a later build finds the folder at
 * that inode and change time (its first look, before it changes anything
 * there), the folder holds those names and no other; when the build
 * claimed that many of the names it found there (each name is claimed
 * once), none is stale and the folder is not read. Every other folder is
 * read as before, so a spare changed by hand or by a failed build, or a
 * record that is wrong or gone, still gives exactly a fresh folder's
 * result. A change in the same tick of the kernel's clock as the look
 * could keep the change time: only a folder whose change time is over
 * three seconds older than the build's start is recorded (S_RACY_NS).
 * The record holds the folders of the last two builds (the current
 * output's and the spare's).
 *
 * Keeping a file without a look at it (output_keep_many): a rebuild keeps
 * most outputs as the current output's files, and the spare (the folder
 * that was in place during the build before) mostly holds them already,
 * as the same files: that build kept them from it by a hard link (or
 * found them linked). The render state says which outputs the build
 * before kept (rerender.h's rerender_disk_file), under the number of the
 * folders' record it saved; when this build's record is that one and it
 * vouches for a file's folder in the spare (no name came, went or was
 * replaced there since), the spare's file is that very file, and is kept
 * with no look at it: the folder's one look is all. A file removed or
 * replaced by hand, in the current output (the spare holds the file) or
 * in the spare (its folder changed), is never kept from there; every
 * other file is looked at as output_keep does. As before, a file's bytes
 * changed in place, or its mode, are the file's own: two folders share
 * it, and no look at a folder sees them.
 *
 * A build with no spare (the first rebuild after a cold build) makes
 * every folder anew and finds none: its record would be empty, so the
 * build after it (whose spare is the output this one found in place)
 * would read every folder and look at every kept file, the cost of a
 * one-page rebuild nearly doubled; and so would the one after that
 * (whose spare is the folder this one made). So such a build reads the
 * current output's folders (output_record_current), and so does the
 * build after it, whose current output is that fresh folder (found by a
 * sample of its folders: none in the record). A record is a fact about a
 * folder of the device (at this inode and change time it held these
 * names), whatever path led to it and whoever made it, so a folder read
 * after a look that found its change time older than S_RACY_NS is
 * recorded as the spare's are. A change after the look gives it another
 * change time, as for any other record. Likewise a build with no spare
 * links a file it renders from the current output when the bytes are
 * those (S_link_same): the next build's spare then holds it as a kept
 * file, and keeps it without a look.
 *
 * The folders' looks made ahead (output_prelook): output_keep_many's
 * 15,748 looks at 10,000 pages cost 5-7 us each in a build (the dentries
 * and inodes far from the caches), on the render's path. A rebuild makes
 * them beside the model, on the core it leaves idle: the spare is opened
 * and locked (flock, as S_take_spare would), then each folder of the
 * files the render state names is looked at there, until the output
 * begins. S_take_spare takes the looks over only when the spare it takes
 * is that folder (device and inode), its lock held all along: no other
 * build took or changed it since, so each look came before this build
 * changed anything there, as an in-line look does; the S_RACY_NS rule
 * counts from the first look (out->t0). A look made ahead is used only
 * when the folder's parent, as this build found it, is the one the look
 * went through (S_prelook_through); any folder not looked at ahead is
 * looked at in line. A change by hand to the spare during a build is a
 * race either way; it now has the model stage's length to land in.
 */
#define _GNU_SOURCE
#include "write.h"

#include <dirent.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "guard.h"
#include "memsite.h"
#include "pool.h"
#include "util.h"

#define MARKER ".jixia-output"
/* Beside the output NAME: the site before it, for the next build to update. */
#define S_SPARE ".%s.spare"
/* How much of a file output_write compares at a time. */
#define S_CHUNK 65536
/* As many as the kernel follows in one path before ELOOP. */
#define S_MAX_LINKS 40
/* Far deeper than any output jixia writes; a deeper folder is left alone. */
#define S_MAX_DEPTH 128
/* The XXXXXX of .NAME.tmp-XXXXXX and .NAME.old-XXXXXX. */
#define S_SUFFIX 6

#ifndef O_PATH
#define O_PATH O_RDONLY
#endif

int output_test_no_exchange;

/* A folder this build made or checked (out->folders; see the top of the file). */
struct out_folder {
	uint64_t ino;     /* as first seen (when seen) */
	int64_t ctime;    /* its change time then, ns */
	uint32_t entries; /* names this build put or kept there: files claimed, folders of dirs */
	uint32_t found;   /* of those, the names that were there before this build */
	unsigned seen : 1, touched : 1; /* touched: this build made or removed a name there */
	const char *rel;                /* its path under tmp (out->names), "" for tmp itself */
};

/* A folder as a build recorded it (output_folders_save). */
struct out_record {
	uint64_t ino;
	int64_t ctime;
	uint64_t names; /* the names it held */
	uint64_t gen;   /* the build that recorded it */
};

/* What a look at a folder finds (S_look): output_prelook's, output_keep_many's. */
struct folder_look {
	uint64_t ino;
	int64_t ctime;
	int ok; /* a folder, not a link */
};

struct output_prelook {
	int fd;    /* the spare, locked before the first look; -1 once handed over */
	dev_t dev; /* its identity, for S_take_spare */
	ino_t ino;
	int64_t t0;       /* the real-time clock before the first look, ns (S_RACY_NS) */
	struct strmap at; /* a folder's path under the spare -> its index in v + 1 */
	struct arena names;
	struct folder_look *v;
	size_t n, cap;
};

/* A change this close to the build's start might share its change time
   with the look (a tick of the kernel's clock; FAT keeps 2 s). */
#define S_RACY_NS 3000000000LL

/* The index of a new folder in out->folders (out->lock held, or before any thread). */
static size_t S_folder_new(struct output *out)
{
	ARRAY_GROW(out->folders, out->nfolders, out->capfolders, 256);
	memset(&out->folders[out->nfolders], 0, sizeof(*out->folders));
	return out->nfolders++;
}

static int64_t S_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000LL + (int64_t)t->tv_nsec;
}

/* The last name of an absolute path. */
static const char *S_base(const char *path)
{
	return strrchr(path, '/') + 1;
}

/* dir + "/" + name, with no "//" after the root. */
static void S_join(struct buf *b, const char *dir, const char *name)
{
	buf_printf(b, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, name);
}

/* Resolving the output's path one name at a time (see the top of the file). */
struct walk {
	int fd;            /* the folder reached so far (O_PATH) */
	struct buf path;   /* its physical path */
	struct buf rest;   /* what is left to resolve */
	size_t at;         /* where in rest */
	int links;         /* symbolic links followed so far */
	const char *site;  /* the site folder, physical (for guard_refuse_link) */
	const char *given; /* the output as the user named it, for messages */
};

/* Moves the walk to the folder fd at path. */
static void S_walk_move(struct walk *w, int fd, const char *path)
{
	char *copy = xstrdup(path);
	close(w->fd);
	w->fd = fd;
	buf_reset(&w->path);
	buf_puts(&w->path, copy);
	free(copy);
}

/* The next name of the path into name; *last when nothing follows it. 0 at the end. */
static int S_walk_next(struct walk *w, struct buf *name, int *last)
{
	const char *p = buf_cstr(&w->rest) + w->at, *end;

	while (*p == '/')
		p++;
	if (!*p)
		return 0;
	end = strchr(p, '/');
	if (!end)
		end = p + strlen(p);
	buf_reset(name);
	buf_put(name, p, (size_t)(end - p));
	w->at = (size_t)(end - buf_cstr(&w->rest));
	while (*end == '/')
		end++;
	*last = *end == '\0';
	return 1;
}

/*
 * The link name in the current folder: refused where a commit may have
 * made it, else its target takes its place in what is left to resolve.
 */
static int S_walk_link(struct walk *w, const char *name)
{
	char target[PATH_MAX];
	struct buf rest = BUF_INIT;
	ssize_t n;

	if (guard_refuse_link(w->path.ptr, w->site)) {
		struct buf link = BUF_INIT;
		S_join(&link, w->path.ptr, name);
		diag_error(NULL, 0, 0,
			   "output folder '%s' is reached through the symbolic link '%s' in the repository, "
			   "the site or the folder jixia runs in; refusing to follow it, as a commit can "
			   "point it anywhere (name the folder it points to instead)",
			   w->given, link.ptr);
		buf_release(&link);
		return -1;
	}
	if (++w->links > S_MAX_LINKS) {
		diag_error(NULL, 0, 0, "cannot use output folder '%s': %s", w->given, strerror(ELOOP));
		return -1;
	}
	n = readlinkat(w->fd, name, target, sizeof(target));
	if (n < 0 || (size_t)n >= sizeof(target)) {
		diag_error(NULL, 0, 0, "cannot use output folder '%s': %s", w->given,
			   n < 0 ? strerror(errno) : strerror(ENAMETOOLONG));
		return -1;
	}
	if (target[0] == '/') {
		int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			diag_error(NULL, 0, 0, "cannot use output folder '%s': %s", w->given,
				   strerror(errno));
			return -1;
		}
		S_walk_move(w, fd, "/");
	}
	buf_put(&rest, target, (size_t)n);
	buf_putc(&rest, '/');
	buf_puts(&rest, buf_cstr(&w->rest) + w->at);
	buf_release(&w->rest);
	w->rest = rest;
	w->at = 0;
	return 0;
}

/* Into the folder name (not the last of the path). */
static int S_walk_step(struct walk *w, const char *name)
{
	struct stat st;
	int fd;

	if (strcmp(name, "..") == 0) {
		char *slash;
		if ((fd = openat(w->fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
			goto fail;
		close(w->fd);
		w->fd = fd;
		/* The path is physical, so its parent is the folder's parent. */
		slash = strrchr(w->path.ptr, '/');
		w->path.len = slash == w->path.ptr ? 1 : (size_t)(slash - w->path.ptr);
		w->path.ptr[w->path.len] = '\0';
		return 0;
	}
	fd = openat(w->fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		struct buf path = BUF_INIT;
		S_join(&path, w->path.ptr, name);
		S_walk_move(w, fd, path.ptr);
		buf_release(&path);
		return 0;
	}
	if ((errno == ENOTDIR || errno == ELOOP) && fstatat(w->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode))
		return S_walk_link(w, name);
fail:
	if (errno == ENOENT)
		diag_error(NULL, 0, 0, "cannot use output folder '%s': its parent folder does not exist",
			   w->given);
	else
		diag_error(NULL, 0, 0, "cannot use output folder '%s': %s", w->given, strerror(errno));
	return -1;
}

/*
 * Resolves dir: out->parent is the folder that will hold the output (open)
 * and out->dir the output's physical path. A path that ends in "/", "." or
 * ".." names the folder reached.
 */
static int S_resolve(struct output *out, const char *dir, const char *site, const char *given)
{
	struct walk w = { -1, BUF_INIT, BUF_INIT, 0, 0, site, given };
	struct buf name = BUF_INIT;
	struct stat st;
	int last, rc = -1;

	if (!*dir) {
		diag_error(NULL, 0, 0, "output folder '' is empty; name a folder, like public/");
		goto done;
	}
	buf_puts(&w.rest, dir);
	if (dir[0] == '/') {
		buf_puts(&w.path, "/");
		w.fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	} else {
		char *cwd = getcwd(NULL, 0);
		if (cwd)
			buf_puts(&w.path, cwd);
		free(cwd);
		w.fd = cwd ? open(".", O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
	}
	if (w.fd < 0) {
		diag_error(NULL, 0, 0, "cannot use output folder '%s': %s", given, strerror(errno));
		goto done;
	}
	for (;;) {
		if (!S_walk_next(&w, &name, &last)) {
			/* Ends in a folder already reached: name it from its parent. */
			int fd;
			char *slash = strrchr(w.path.ptr, '/');
			if (strcmp(w.path.ptr, "/") == 0) {
				out->dir = xstrdup("/");
				break;
			}
			if ((fd = openat(w.fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
				diag_error(NULL, 0, 0, "cannot use output folder '%s': %s", given,
					   strerror(errno));
				goto done;
			}
			out->dir = xstrdup(w.path.ptr);
			*slash = '\0';
			S_walk_move(&w, fd, slash == w.path.ptr ? "/" : w.path.ptr);
			break;
		}
		if (strcmp(name.ptr, ".") == 0)
			continue;
		if (!last || strcmp(name.ptr, "..") == 0) {
			if (S_walk_step(&w, name.ptr))
				goto done;
			continue;
		}
		/* The output itself: a link is followed only where guard allows. */
		if (fstatat(w.fd, name.ptr, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			if (S_ISLNK(st.st_mode)) {
				if (S_walk_link(&w, name.ptr))
					goto done;
				continue;
			}
		} else if (errno != ENOENT) {
			diag_error(NULL, 0, 0, "cannot use output folder '%s': %s", given, strerror(errno));
			goto done;
		}
		{
			struct buf path = BUF_INIT;
			S_join(&path, w.path.ptr, name.ptr);
			out->dir = buf_detach(&path, NULL);
		}
		break;
	}
	out->parent = w.fd;
	w.fd = -1;
	rc = 0;
done:
	if (w.fd >= 0)
		close(w.fd);
	buf_release(&w.path);
	buf_release(&w.rest);
	buf_release(&name);
	return rc;
}

/* A folder named .git (in any case) on out's path: a repository's own. */
static int S_in_dotgit(const char *out)
{
	const char *p;

	for (p = strchr(out, '/'); p; p = strchr(p + 1, '/'))
		if (strncasecmp(p + 1, ".git", 4) == 0 && (p[5] == '\0' || p[5] == '/'))
			return 1;
	return 0;
}

static int S_check_place(const char *out, const char *root, const char *given)
{
	static const char *const sources[] = { "content", "layouts", "assets", ".git", "site.yaml", NULL };
	const char *const *s;
	struct buf b = BUF_INIT;
	int rc = 0;

	if (path_within(root, out)) {
		diag_error(
			NULL, 0, 0,
			"output folder '%s' is the site folder or holds it; choose a folder of its own, like public/",
			given);
		return -1;
	}
	for (s = sources; *s && rc == 0; s++) {
		buf_reset(&b);
		buf_printf(&b, "%s/%s", root, *s);
		if (path_within(out, buf_cstr(&b))) {
			diag_error(
				NULL, 0, 0,
				"output folder '%s' is inside the source folder %s/; choose a folder of its own, like public/",
				given, *s);
			rc = -1;
		}
	}
	/* A site in a subfolder: the repository's own .git too, and any other. */
	if (rc == 0 && S_in_dotgit(out)) {
		diag_error(
			NULL, 0, 0,
			"output folder '%s' is inside a .git/ folder; choose a folder of its own, like public/",
			given);
		rc = -1;
	}
	buf_release(&b);
	return rc;
}

/* The folder fd carries jixia's marker. */
static int S_marked(int fd)
{
	struct stat st;
	return fstatat(fd, MARKER, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

/* An existing output must be a folder that is empty or that jixia made. */
static int S_check_existing(struct output *out, const char *given)
{
	DIR *d;
	struct dirent *e;
	int fd, empty = 1;

	fd = openat(out->parent, S_base(out->dir), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		if (errno == ENOTDIR || errno == ELOOP)
			diag_error(NULL, 0, 0, "output '%s' exists and is not a folder", given);
		else
			diag_error(NULL, 0, 0, "cannot use output folder '%s': %s", given, strerror(errno));
		return -1;
	}
	if (S_marked(fd)) {
		close(fd);
		return 0;
	}
	if (!(d = fdopendir(fd))) {
		close(fd);
		diag_error(NULL, 0, 0, "cannot use output folder '%s': %s", given, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	if (!empty) {
		diag_error(NULL, 0, 0,
			   "output folder '%s' has files jixia did not write (no " MARKER
			   " file); refusing to replace it",
			   given);
		return -1;
	}
	return 0;
}

/*
 * Removes name under the folder dirfd and everything in it. A symbolic link
 * is removed, never followed; anything deeper than S_MAX_DEPTH is left. The
 * top folder's marker goes last, and only when all else went: a removal cut
 * short (kill -9, a folder too deep) leaves a folder the next build still
 * knows as its own. 0 when name is gone.
 */
static int S_remove_at(int dirfd, const char *name, int depth)
{
	DIR *d;
	struct dirent *e;
	int fd, rc = 0;

	if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if ((errno != EISDIR && errno != EPERM) || depth >= S_MAX_DEPTH)
		return -1;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return -1;
	}
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    (depth > 0 || strcmp(e->d_name, MARKER)) && S_remove_at(fd, e->d_name, depth + 1))
			rc = -1;
	if (depth == 0 && rc == 0 && unlinkat(fd, MARKER, 0) != 0 && errno != ENOENT)
		rc = -1;
	closedir(d);
	if (rc == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) != 0)
		rc = -1;
	return rc;
}

/*
 * entry is one of the names this module gives its folders beside the
 * output called name: ".NAME.tmp-XXXXXX" (a build's, or after the exchange
 * the previous site) or ".NAME.old-XXXXXX" (the previous site moved aside
 * by the two-rename swap). *old tells which.
 */
static int S_own_name(const char *entry, const char *name, int *old)
{
	size_t n = strlen(name), i;

	if (entry[0] != '.' || strncmp(entry + 1, name, n) != 0)
		return 0;
	entry += 1 + n;
	if (strncmp(entry, ".tmp-", 5) != 0 && strncmp(entry, ".old-", 5) != 0)
		return 0;
	*old = entry[1] == 'o';
	entry += 5;
	for (i = 0; i < S_SUFFIX; i++) {
		char c = entry[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			return 0;
	}
	return entry[S_SUFFIX] == '\0';
}

/*
 * Cleans up after builds of this output that died: each folder with one of
 * its names that carries the marker and that no running build holds
 * (flock) is removed; a folder without the marker, or held, is left alone.
 * When the output is missing because a build died between the two renames
 * of the fallback swap, the previous site it moved aside is moved back.
 */
static void S_clean(struct output *out)
{
	const char *name = S_base(out->dir);
	char **found = NULL;
	size_t n = 0, cap = 0, i;
	struct stat st;
	struct dirent *e;
	DIR *d;
	int fd, old, have = fstatat(out->parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0;

	fd = openat(out->parent, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (!S_own_name(e->d_name, name, &old))
			continue;
		ARRAY_GROW(found, n, cap, 8);
		found[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	/* Sorted: the same choice whatever order the folder lists them in. */
	if (n)
		qsort(found, n, sizeof(*found), str_ptr_cmp);
	for (i = 0; i < n; i++) {
		S_own_name(found[i], name, &old);
		fd = openat(out->parent, found[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		/* No lock: its build runs (or, where the file system has no
		 * locks, nobody can tell), so it stays. */
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 && S_marked(fd)) {
			if (old && !have && renameat(out->parent, found[i], out->parent, name) == 0)
				have = 1;
			else
				S_remove_at(out->parent, found[i], 0);
		}
		if (fd >= 0)
			close(fd);
		free(found[i]);
	}
	free(found);
}

/* S_SUFFIX letters and digits, unpredictable where the system allows. */
static void S_suffix(char *s)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char r[S_SUFFIX];
	size_t i;

	if (getentropy(r, sizeof(r)) != 0) {
		unsigned long x =
			(unsigned long)getpid() ^ (unsigned long)time(NULL) ^ (unsigned long)clock();
		for (i = 0; i < sizeof(r); i++, x = x * 6364136223846793005UL + 1442695040888963407UL)
			r[i] = (unsigned char)(x >> 33);
	}
	for (i = 0; i < S_SUFFIX; i++)
		s[i] = set[r[i] % (sizeof(set) - 1)];
	s[S_SUFFIX] = '\0';
}

/*
 * Whether the spare open at fd is the folder pre looked in, locked since
 * before its first look: then pre's lock is this build's (fd closed, *fd
 * pre's) and its looks are this build's (out->pre).
 */
static int S_take_prelook(struct output *out, int *fd, struct output_prelook *pre)
{
	struct stat st;

	if (!pre || pre->fd < 0 || fstat(*fd, &st) != 0 || st.st_dev != pre->dev || st.st_ino != pre->ino)
		return 0;
	close(*fd);
	*fd = pre->fd;
	pre->fd = -1;
	out->pre = pre;
	/* the looks' time is the build's start for S_RACY_NS: they came before it */
	if (pre->t0 < out->t0)
		out->t0 = pre->t0;
	return 1;
}

/*
 * Takes .NAME.spare as this build's temporary folder: locked (a build that
 * holds it is using it), marked, then renamed to a fresh .tmp- name. 0 when
 * taken; -1 when there is none to take (the caller makes a fresh folder).
 * When it is the folder pre looked in, pre's lock is taken over.
 */
static int S_take_spare(struct output *out, struct output_prelook *pre)
{
	struct buf spare = BUF_INIT, name = BUF_INIT, path = BUF_INIT;
	char suffix[S_SUFFIX + 1];
	int fd, tries, rc = -1;

	buf_printf(&spare, S_SPARE, S_base(out->dir));
	fd = openat(out->parent, spare.ptr, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		goto done;
	if ((!S_take_prelook(out, &fd, pre) && flock(fd, LOCK_EX | LOCK_NB) != 0) || !S_marked(fd))
		goto done;
	for (tries = 0; tries < 100; tries++) {
		S_suffix(suffix);
		buf_reset(&name);
		buf_printf(&name, ".%s.tmp-%s", S_base(out->dir), suffix);
		if (renameat2(out->parent, spare.ptr, out->parent, name.ptr, RENAME_NOREPLACE) == 0)
			break;
		if (errno == EINVAL || errno == ENOSYS) {
			/* No RENAME_NOREPLACE here: the name is new unless the
			 * suffix repeats, which fstatat rules out. */
			struct stat st;
			if (fstatat(out->parent, name.ptr, &st, AT_SYMLINK_NOFOLLOW) == 0)
				continue;
			if (renameat(out->parent, spare.ptr, out->parent, name.ptr) == 0)
				break;
		}
		if (errno != EEXIST)
			goto done;
	}
	if (tries == 100)
		goto done;
	/* The marker is there already; it counts as written by this build. */
	buf_printf(&path, "%.*s/%s", (int)(S_base(out->dir) - 1 - out->dir), out->dir, name.ptr);
	out->tmp = buf_detach(&path, NULL);
	out->tmpfd = fd;
	fd = -1;
	out->recycled = 1;
	rc = 0;
done:
	if (rc)
		out->pre = NULL; /* its looks were of a folder this build did not take */
	if (fd >= 0)
		close(fd);
	buf_release(&spare);
	buf_release(&name);
	buf_release(&path);
	return rc;
}

/* Creates .NAME.tmp-XXXXXX beside the output, locks it, then marks it. */
static int S_make_tmp(struct output *out, const char *given)
{
	struct buf name = BUF_INIT, path = BUF_INIT;
	char suffix[S_SUFFIX + 1];
	int tries, fd = -1, rc = -1;

	for (tries = 0;; tries++) {
		S_suffix(suffix);
		buf_reset(&name);
		buf_printf(&name, ".%s.tmp-%s", S_base(out->dir), suffix);
		if (mkdirat(out->parent, name.ptr, 0755) == 0)
			break;
		if (errno != EEXIST || tries == 100) {
			diag_error(NULL, 0, 0, "cannot create a folder beside '%s': %s", given,
				   strerror(errno));
			goto done;
		}
	}
	fd = openat(out->parent, name.ptr, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		diag_error(NULL, 0, 0, "cannot create a folder beside '%s': %s", given, strerror(errno));
		unlinkat(out->parent, name.ptr, AT_REMOVEDIR);
		goto done;
	}
	/* Locked before it is marked, so no other build ever sees it marked
	 * and free. Where the file system has no locks, it is never removed
	 * by another build either (see S_clean). */
	(void)flock(fd, LOCK_EX);
	fchmod(fd, 0755);
	buf_printf(&path, "%.*s/%s", (int)(S_base(out->dir) - 1 - out->dir), out->dir, name.ptr);
	out->tmp = buf_detach(&path, NULL);
	out->tmpfd = fd;
	rc = output_write(out, MARKER, "", 0);
done:
	buf_release(&name);
	buf_release(&path);
	return rc;
}

/* The output folder as given: -o's DIR, else SITE_ROOT/public. */
static void S_output_path(struct buf *b, const char *dir, const char *site_root)
{
	if (dir)
		buf_puts(b, dir);
	else
		buf_printf(b, "%s/public", site_root);
}

int output_begin(struct output *out, const char *dir, const char *site_root)
{
	return output_begin_prelooked(out, dir, site_root, NULL);
}

int output_begin_prelooked(struct output *out, const char *dir, const char *site_root,
			   struct output_prelook *pre)
{
	char *root = realpath(site_root, NULL);
	struct buf given = BUF_INIT;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->parent = out->tmpfd = -1;
	atomic_init(&out->files, 0);
	atomic_init(&out->bytes, 0);
	atomic_init(&out->over, 0);
	atomic_init(&out->changed, 0);
	atomic_init(&out->removed, 0);
	atomic_init(&out->mkdirs, 0);
	out->max_bytes = OUTPUT_MAX_BYTES;
	pthread_mutex_init(&out->lock, NULL);
	{
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		out->t0 = S_ns(&now);
		size_t top = S_folder_new(out); /* [0]: the folder itself */
		out->folders[top].rel = "";
	}
	{
		/* umask can only be read by setting it: once, before threads. */
		mode_t mask = umask(022);
		umask(mask);
		out->mode = 0644 & ~mask;
	}
	S_output_path(&given, dir, site_root);
	if (!root) {
		diag_error(NULL, 0, 0, "cannot read site folder '%s': %s", site_root, strerror(errno));
		goto done;
	}
	/* The default, DIR/public, is walked as named too: DIR may be a link
	 * committed to the checkout jixia runs in. */
	if (S_resolve(out, given.ptr, root, given.ptr))
		goto done;
	if (S_check_place(out->dir, root, given.ptr) || S_check_existing(out, given.ptr))
		goto done;
	S_clean(out);
	if (S_take_spare(out, pre) == 0) {
		if (output_write(out, MARKER, "", 0))
			goto done;
	} else if (S_make_tmp(out, given.ptr)) {
		goto done;
	}
	rc = 0;
done:
	if (out->pre != pre) /* not taken: its lock goes */
		output_prelook_free(pre);
	free(root);
	buf_release(&given);
	return rc;
}

/*
 * Whether the output folder (DIR, else SITE_ROOT/public) holds a site jixia
 * wrote: the build is a rebuild, which the caches between runs are for. A
 * look only; a link in the folder's place is not followed (not a rebuild).
 */
int output_is_site(const char *dir, const char *site_root)
{
	struct buf path = BUF_INIT;
	int fd, yes = 0;

	S_output_path(&path, dir, site_root);
	if ((fd = open(path.ptr, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		yes = S_marked(fd);
		close(fd);
	}
	buf_release(&path);
	return yes;
}

int output_begin_memory(struct output *out, struct memsite *mem)
{
	memset(out, 0, sizeof(*out));
	out->parent = out->tmpfd = -1;
	atomic_init(&out->files, 0);
	atomic_init(&out->bytes, 0);
	atomic_init(&out->over, 0);
	out->max_bytes = OUTPUT_MAX_BYTES;
	out->mem = mem;
	return 0;
}

/* Generated paths are checked once more: a bug must never write outside. */
static int S_rel_ok(const char *rel)
{
	const char *seg = rel;
	if (!*rel || *rel == '/')
		return 0;
	for (;; rel++) {
		if (*rel == '/' || !*rel) {
			size_t n = (size_t)(rel - seg);
			if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
				return 0;
			if (!*rel)
				return 1;
			seg = rel + 1;
		} else if ((unsigned char)*rel < 0x20 || *rel == '\\') {
			return 0;
		}
	}
}

/* Folder f as this build first found it, before it changed anything there. */
static void S_seen_at(struct output *out, size_t f, uint64_t ino, int64_t ctime)
{
	out->folders[f].ino = ino;
	out->folders[f].ctime = ctime;
	out->folders[f].seen = 1;
}

static void S_seen(struct output *out, size_t f, const struct stat *st)
{
	S_seen_at(out, f, (uint64_t)st->st_ino, S_ns(&st->st_ctim));
}

/*
 * Makes sure the folder rel (under tmp) is a folder: made, or in the
 * spare found to be one. What the spare has there instead (a file, a
 * link) goes, unless this build wrote it: then two outputs claim the name.
 * f is its entry in out->folders, up its parent's. Called with out->lock
 * held, parents first.
 */
static int S_mkdir_one(struct output *out, const char *rel, size_t up, size_t f)
{
	struct stat st;

	/* A rebuild finds nearly every folder there already: one look, not a
	   failed mkdir and a look (15,700 folders at 10,000 pages, under the lock). */
	out->looked++;
	if (fstatat(out->tmpfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISDIR(st.st_mode)) {
			S_seen(out, f, &st);
			out->folders[up].found++;
			return 0;
		}
	} else if (errno != ENOENT) {
		return -1;
	} else if (mkdirat(out->tmpfd, rel, 0755) == 0) {
		atomic_fetch_add(&out->mkdirs, 1);
		out->folders[up].touched = 1;
		return 0;
	} else if (errno != EEXIST || fstatat(out->tmpfd, rel, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		return -1;
	} else if (S_ISDIR(st.st_mode)) {
		out->folders[up].touched = 1; /* made by someone else just now: read it */
		return 0;
	}
	if (!out->recycled || strmap_get(&out->seen, rel, 0)) {
		errno = ENOTDIR;
		return -1;
	}
	if (unlinkat(out->tmpfd, rel, 0) != 0 || mkdirat(out->tmpfd, rel, 0755) != 0)
		return -1;
	atomic_fetch_add(&out->mkdirs, 1);
	out->folders[up].found++;
	out->folders[up].touched = 1;
	return 0;
}

/*
 * In a fresh folder, S_mkdir_one without out->lock: only this build
 * writes there, so a folder that exists is one another thread just made
 * (or a file an output wrote at its name: ENOTDIR, as under the lock).
 * The lock is not held across the mkdir, which in a file system busy
 * allocating inodes (ext4 after a mass delete) is slow enough that every
 * other writer waited for it.
 */
static int S_mkdir_fresh(struct output *out, const char *rel)
{
	struct stat st;

	if (mkdirat(out->tmpfd, rel, 0755) == 0) {
		atomic_fetch_add(&out->mkdirs, 1);
		return 0;
	}
	if (errno != EEXIST || fstatat(out->tmpfd, rel, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return -1;
	if (S_ISDIR(st.st_mode))
		return 0;
	errno = ENOTDIR;
	return -1;
}

/* rel, a folder made or checked by this build, remembered as folder f; out->lock held. */
static long S_dir_put(struct output *out, const char *rel, size_t up, size_t f)
{
	out->folders[f].rel = arena_strdup(&out->names, rel);
	strmap_put(&out->dirs, out->folders[f].rel, (long)f + 1);
	out->folders[up].entries++;
	return (long)f + 1;
}

/*
 * Creates the folders of rel under the temporary folder, each once per
 * build: a folder made (or checked) is remembered, so the thousands of
 * files of one folder cost no mkdir each (16,398 of 27,429 failed with
 * EEXIST on the 10,000-page corpus). Thread-safe. Returns the index in
 * out->folders of the folder rel's file goes in, or -1.
 */
static long S_mkdirs(struct output *out, char *rel)
{
	char *p;
	long have, at = 0;
	int rc = 0;

	for (p = strchr(rel, '/'); p && rc == 0; p = strchr(p + 1, '/')) {
		*p = '\0';
		pthread_mutex_lock(&out->lock);
		have = strmap_get(&out->dirs, rel, 0);
		if (!have && out->recycled) {
			/* The spare may hold anything there: checked under the lock. */
			size_t f = S_folder_new(out);
			if (S_mkdir_one(out, rel, (size_t)at, f) == 0) {
				have = S_dir_put(out, rel, (size_t)at, f);
			} else {
				out->nfolders--;
				rc = -1;
			}
		}
		pthread_mutex_unlock(&out->lock);
		if (!have && rc == 0) {
			if (S_mkdir_fresh(out, rel) == 0) {
				pthread_mutex_lock(&out->lock);
				if (!(have = strmap_get(&out->dirs, rel, 0)))
					have = S_dir_put(out, rel, (size_t)at, S_folder_new(out));
				pthread_mutex_unlock(&out->lock);
			} else {
				rc = -1;
			}
		}
		at = have - 1;
		*p = '/';
	}
	return rc ? -1 : at;
}

/*
 * What a recycled folder's file at a name of folder f was when this
 * build came to it: there (found) or not, and whether this build made or
 * removed a name there (touched).
 */
static void S_mark(struct output *out, long f, int found, int touched)
{
	pthread_mutex_lock(&out->lock);
	out->folders[f].found += found != 0;
	out->folders[f].touched |= touched != 0;
	pthread_mutex_unlock(&out->lock);
}

/* 1 when the regular file open at fd (len bytes long) reads as the len bytes at data, in chunks. */
static int S_reads_as(int fd, const char *data, size_t len)
{
	char *chunk = xmalloc(len < S_CHUNK ? len + 1 : S_CHUNK);
	size_t at = 0;
	int same = 1;

	while (same && at < len) {
		size_t want = len - at < S_CHUNK ? len - at : S_CHUNK;
		ssize_t n = read(fd, chunk, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || memcmp(chunk, data + at, (size_t)n) != 0)
			same = 0;
		else
			at += (size_t)n;
	}
	free(chunk);
	return same;
}

/*
 * In a recycled folder: 1 when the file rel there already holds exactly
 * the len bytes at data (a regular file with a new file's mode), so it
 * stays; else 2 after removing whatever was there, 0 when nothing was,
 * and -1 on an error.
 * rel's folders are checked already (S_mkdirs), so nothing on the way is a
 * link.
 */
static int S_same(struct output *out, const char *rel, const char *data, size_t len)
{
	struct stat st;
	int fd, same = 0;

	/* O_NONBLOCK: a FIFO someone left in the spare must not hang the open. */
	fd = openat(out->tmpfd, rel, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len &&
	    (st.st_mode & 07777) == out->mode && st.st_nlink == 1)
		same = S_reads_as(fd, data, len);
	if (fd >= 0)
		close(fd);
	if (same)
		return 1;
	/* Removed rather than rewritten in place: another name may link to
	 * it (st_nlink above), and a folder or a link gives way the same. */
	if (unlinkat(out->tmpfd, rel, 0) == 0)
		return 2;
	if (errno == ENOENT)
		return 0;
	if (errno == EISDIR || errno == EPERM)
		return S_remove_at(out->tmpfd, rel, 1) == 0 ? 2 : -1;
	return -1;
}

static int S_current(struct output *out);

/*
 * A build with no spare renders into a fresh folder: a file whose bytes
 * are the current output's file's is linked from there, not written
 * (output_write), so the two folders share it as a kept file's (the next
 * build, whose spare the current output becomes, then finds each kept
 * file there as the very file, and changes no folder of it; writing
 * costs more than reading besides). The same checks as output_keep's
 * (a plain file of the output's mode) and S_same's (O_NONBLOCK). 1 when
 * linked, else 0: write it.
 */
static int S_link_same(struct output *out, const char *rel, const char *data, size_t len)
{
	struct stat st;
	int cur, fd, same = 0;

	/* an empty file (the marker) is no saving */
	if (out->recycled || len == 0 || (cur = S_current(out)) < 0)
		return 0;
	fd = openat(cur, rel, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len &&
	    (st.st_mode & 07777) == out->mode)
		same = S_reads_as(fd, data, len);
	close(fd);
	/* EXDEV, EMLINK, EPERM, a name written twice (EEXIST: output_write reports it): written */
	return same && linkat(cur, rel, out->tmpfd, rel, 0) == 0;
}

/* n bytes as a person would say it: "4 GiB", "100 bytes". */
static void S_size(struct buf *b, size_t n)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	size_t u = 0;

	while (u + 1 < sizeof(units) / sizeof(*units) && n >= 1024 && n % 1024 == 0) {
		n /= 1024;
		u++;
	}
	buf_printf(b, "%zu %s", n, units[u]);
}

/*
 * Counts len bytes against the cap before they are written, so no thread
 * ever writes past it. 0, or -1 once the cap is crossed (reported once).
 */
static int S_reserve(struct output *out, const char *rel, size_t len)
{
	size_t cur = atomic_load(&out->bytes);

	do {
		if (atomic_load(&out->over))
			return -1;
		if (len > out->max_bytes || cur > out->max_bytes - len) {
			if (atomic_exchange(&out->over, 1) == 0) {
				struct buf cap = BUF_INIT;
				S_size(&cap, out->max_bytes);
				diag_error(NULL, 0, 0,
					   "output file '%s' takes the site's output over %s; stopped "
					   "(real sites write far less: look for a template that repeats "
					   "itself or content that multiplies)",
					   rel, cap.ptr);
				buf_release(&cap);
			}
			return -1;
		}
	} while (!atomic_compare_exchange_weak(&out->bytes, &cur, cur + len));
	return 0;
}

int output_share(struct output *out, const struct memsite_file *f)
{
	if (!out->mem || !S_rel_ok(f->path)) {
		diag_error(NULL, 0, 0, "refusing to write output file '%s'", f->path);
		return -1;
	}
	if (S_reserve(out, f->path, f->len))
		return -1;
	if (memsite_share(out->mem, f)) {
		diag_error(NULL, 0, 0, "two outputs write the same file '%s'", f->path);
		return -1;
	}
	atomic_fetch_add(&out->files, 1);
	return 0;
}

int output_share_many(struct output *out, const struct memsite *from, const size_t *pos, size_t n,
		      size_t *first)
{
	size_t k, dup = 0;

	if (!out->mem)
		return -1;
	/* each file against the cap as output_share counts it (their names were
	   checked when they were first written) */
	for (k = 0; k < n; k++)
		if (S_reserve(out, from->files[pos[k]].path, from->files[pos[k]].len))
			return -1;
	if (memsite_share_many(out->mem, from, pos, n, first, &dup)) {
		diag_error(NULL, 0, 0, "two outputs write the same file '%s'", from->files[pos[dup]].path);
		return -1;
	}
	atomic_fetch_add(&out->files, n);
	return 0;
}

/*
 * rel, a name in folder f, as this build's (a recycled folder, where no
 * O_EXCL tells): 0, or -1 with an error when another output wrote it or
 * this build made a folder there.
 */
static int S_claim(struct output *out, const char *rel, long f)
{
	int dup;

	pthread_mutex_lock(&out->lock);
	dup = strmap_get(&out->seen, rel, 0) || strmap_get(&out->dirs, rel, 0);
	if (!dup) {
		strmap_put(&out->seen, arena_strdup(&out->names, rel), 1);
		out->folders[f].entries++;
	}
	pthread_mutex_unlock(&out->lock);
	if (dup)
		diag_error(NULL, 0, 0, "two outputs write the same file '%s'", rel);
	return dup ? -1 : 0;
}

int output_write(struct output *out, const char *rel, const void *data, size_t len)
{
	int shared;
	return output_write_shared(out, rel, data, len, &shared);
}

int output_write_shared(struct output *out, const char *rel, const void *data, size_t len, int *shared)
{
	char *path = NULL;
	const char *p = data;
	size_t left = len;
	long at;
	int fd = -1, rc = -1;

	*shared = 0;
	if (!S_rel_ok(rel)) {
		diag_error(NULL, 0, 0, "refusing to write output file '%s'", rel);
		return -1;
	}
	if (S_reserve(out, rel, len))
		return -1;
	if (out->mem) {
		if (memsite_put(out->mem, rel, data, len)) {
			diag_error(NULL, 0, 0, "two outputs write the same file '%s'", rel);
			return -1;
		}
		atomic_fetch_add(&out->files, 1);
		return 0;
	}
	path = xstrdup(rel);
	if ((at = S_mkdirs(out, path)) < 0) {
		diag_error(NULL, 0, 0, "cannot create folders for '%s': %s", rel, strerror(errno));
		goto done;
	}
	if (out->recycled) {
		int same;
		if (S_claim(out, rel, at))
			goto done;
		if ((same = S_same(out, rel, p, len)) < 0) {
			diag_error(NULL, 0, 0, "cannot write '%s': %s", rel, strerror(errno));
			goto done;
		}
		S_mark(out, at, same != 0, same != 1);
		if (same == 1) {
			atomic_fetch_add(&out->files, 1);
			rc = 0;
			goto done;
		}
	} else if (S_link_same(out, rel, p, len)) {
		atomic_fetch_add(&out->files, 1);
		atomic_fetch_add(&out->linked, 1);
		*shared = 1;
		rc = 0;
		goto done;
	}
	/* O_EXCL: two outputs claiming one file is a bug or a collision to report. */
	fd = openat(out->tmpfd, rel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (errno == EEXIST)
			diag_error(NULL, 0, 0, "two outputs write the same file '%s'", rel);
		else
			diag_error(NULL, 0, 0, "cannot write '%s': %s", rel, strerror(errno));
		goto done;
	}
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			diag_error(NULL, 0, 0, "cannot write '%s': %s", rel, strerror(errno));
			goto done;
		}
		p += w;
		left -= (size_t)w;
	}
	atomic_fetch_add(&out->files, 1);
	atomic_fetch_add(&out->changed, 1);
	rc = 0;
done:
	if (fd >= 0 && close(fd) != 0 && rc == 0) {
		diag_error(NULL, 0, 0, "cannot write '%s': %s", rel, strerror(errno));
		rc = -1;
	}
	free(path);
	return rc;
}

/* The current output folder for output_keep, opened once; -1 when there is none. */
static int S_current(struct output *out)
{
	int fd;

	pthread_mutex_lock(&out->lock);
	if (out->cur_state == 0) {
		fd = openat(out->parent, S_base(out->dir), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		out->cur_state = fd >= 0 && S_marked(fd) ? 1 : -1;
		if (out->cur_state > 0)
			out->cur = fd;
		else if (fd >= 0)
			close(fd);
	}
	fd = out->cur_state > 0 ? out->cur : -1;
	pthread_mutex_unlock(&out->lock);
	return fd;
}

/* output_keep, and the size of the file kept (what the output's cap counted) in *size. */
static int S_keep_one(struct output *out, const char *rel, uint64_t *size)
{
	struct stat cs, ts;
	char *path = NULL;
	long at;
	int cur, rc = 1, there;

	if (out->mem || !out->tmp || !S_rel_ok(rel) || (cur = S_current(out)) < 0)
		return 1;
	/* the folders on the way there are the output's (made by jixia), the
	   last name must be a plain file: a link is never followed or kept */
	if (fstatat(cur, rel, &cs, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(cs.st_mode) ||
	    (cs.st_mode & 07777) != out->mode)
		return 1;
	path = xstrdup(rel);
	if ((at = S_mkdirs(out, path)) < 0) {
		diag_error(NULL, 0, 0, "cannot create folders for '%s': %s", rel, strerror(errno));
		rc = -1;
		goto done;
	}
	there = fstatat(out->tmpfd, rel, &ts, AT_SYMLINK_NOFOLLOW) == 0;
	if (!there || ts.st_dev != cs.st_dev || ts.st_ino != cs.st_ino) {
		/* another file (the spare's) or a folder there gives way; a fresh folder has none */
		if (out->recycled) {
			int gone = unlinkat(out->tmpfd, rel, 0) == 0;
			if (!gone && errno != ENOENT)
				goto done;
			S_mark(out, at, gone, 1);
		}
		if (linkat(cur, rel, out->tmpfd, rel, 0) != 0)
			goto done; /* EXDEV, EMLINK, EPERM, a name written twice: rendered then */
		atomic_fetch_add(&out->changed, 1);
	} else if (out->recycled) {
		S_mark(out, at, 1, 0); /* the very file: nothing to do */
	}
	if (out->recycled && S_claim(out, rel, at)) {
		rc = -1;
		goto done;
	}
	if (S_reserve(out, rel, (size_t)cs.st_size)) {
		rc = -1;
		goto done;
	}
	atomic_fetch_add(&out->files, 1);
	atomic_fetch_add(&out->linked, 1);
	*size = (uint64_t)cs.st_size;
	rc = 0;
done:
	free(path);
	return rc;
}

int output_keep(struct output *out, const char *rel)
{
	uint64_t size;
	return S_keep_one(out, rel, &size);
}

/* --- the folders' looks made ahead (output_prelook) --------------------------- */

/* Far more folders than a site of a million pages has: a longer list is not looked at further. */
#define S_PRELOOK_MAX ((size_t)1 << 22)

/* Looks at folder rel under the folder open at fd (not through a link at rel). */
static struct folder_look S_look(int fd, const char *rel)
{
	struct folder_look l = { 0, 0, 0 };
	struct stat st;

	l.ok = fstatat(fd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
	if (l.ok) {
		l.ino = (uint64_t)st.st_ino;
		l.ctime = S_ns(&st.st_ctim);
	}
	return l;
}

/* Looks at folder rel of the spare, unless looked at already. */
static void S_prelook_one(struct output_prelook *p, const char *rel)
{
	if (strmap_get(&p->at, rel, 0) || p->n >= S_PRELOOK_MAX)
		return;
	ARRAY_GROW(p->v, p->n, p->cap, 1024);
	p->v[p->n] = S_look(p->fd, rel);
	strmap_put(&p->at, arena_strdup(&p->names, rel), (long)++p->n);
}

struct output_prelook *output_prelook(const char *dir, const char *(*path)(size_t i, const void *payload),
				      const void *payload, const atomic_int *stop)
{
	struct output_prelook *p;
	struct buf spare = BUF_INIT, rel = BUF_INIT;
	struct timespec now;
	struct stat st;
	const char *f;
	char *q;
	size_t i;
	int fd;

	if (!dir || dir[0] != '/' || atomic_load(stop))
		return NULL;
	buf_printf(&spare, "%.*s/" S_SPARE, (int)(S_base(dir) - 1 - dir), dir, S_base(dir));
	fd = open(spare.ptr, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	buf_release(&spare);
	/* held by another build (or none): the looks are made in line */
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	p = xcalloc(1, sizeof(*p));
	p->fd = fd;
	p->dev = st.st_dev;
	p->ino = st.st_ino;
	clock_gettime(CLOCK_REALTIME, &now);
	p->t0 = S_ns(&now);
	/* till the build wants them: the folders not looked at yet are looked at in line */
	for (i = 0; (f = path(i, payload)) != NULL && p->n < S_PRELOOK_MAX && !atomic_load(stop); i++) {
		if (!S_rel_ok(f) || !strchr(f, '/'))
			continue;
		buf_reset(&rel);
		buf_puts(&rel, f);
		*strrchr(rel.ptr, '/') = '\0';
		if (strmap_get(&p->at, rel.ptr, 0)) /* and so was every folder on its way */
			continue;
		/* parents first, as S_keep_queue puts them */
		for (q = strchr(rel.ptr, '/'); q; q = strchr(q + 1, '/')) {
			*q = '\0';
			S_prelook_one(p, rel.ptr);
			*q = '/';
		}
		S_prelook_one(p, rel.ptr);
	}
	buf_release(&rel);
	return p;
}

void output_prelook_free(struct output_prelook *p)
{
	if (!p)
		return;
	if (p->fd >= 0)
		close(p->fd); /* and its lock */
	strmap_free(&p->at);
	arena_release(&p->names);
	free(p->v);
	free(p);
}

size_t output_prelook_count(const struct output_prelook *p)
{
	return p ? p->n : 0;
}

/* The look made ahead at folder rel of this build's tmp, or NULL: look now. */
static const struct folder_look *S_prelooked(const struct output *out, const char *rel)
{
	long at;

	if (!out->pre || !(at = strmap_get(&out->pre->at, rel, 0)))
		return NULL;
	return &out->pre->v[at - 1];
}

/* --- keeping many files at once (output_keep_many) --------------------------- */

static const struct out_record *S_record(const struct output *out, uint64_t ino, int64_t ctime);

/* A folder of the files output_keep_many keeps that this build had not made or checked. */
struct keep_dir {
	const char *rel; /* its path under tmp (the run's arena) */
	struct folder_look
		look; /* what the look found (not the whole stat: 15,700 folders at 10,000 pages) */
	size_t up;    /* its parent: an index in out->folders when known, else (below) */
	size_t in;    /* its parent among the run's folders, SIZE_MAX: up is the parent */
	long f;       /* its out->folders index + 1 once put, 0: not, -1: failed */
	int made;     /* not found as it is: made or replaced by S_mkdir_one */
	int pre;      /* the look is output_prelook's */
};

struct keep_run {
	struct output *out;
	struct keep_dir *dirs;
	struct output_kept **slow; /* the files output_keep looks at */
	atomic_int failed;
};

/* One folder's look: after its parent's, which the threads do not wait for (S_keep_put checks). */
static void S_look_job(size_t i, int worker, void *payload)
{
	struct keep_run *run = payload;
	struct keep_dir *d = &run->dirs[i];
	const struct folder_look *pre;

	(void)worker;
	if ((pre = S_prelooked(run->out, d->rel)) != NULL) {
		d->pre = 1;
		d->look = *pre;
		return;
	}
	d->look = S_look(run->out->tmpfd, d->rel);
}

/*
 * The folders of the files of v that this build has not made or checked,
 * parents first, into *dirs (out->lock held, names in a), and each file's
 * folder into parent (as S_keep_parent reads it). Returns how many.
 */
static size_t S_keep_queue(struct output *out, const struct output_kept *v, size_t n, struct arena *a,
			   struct keep_dir **dirs, size_t *parent)
{
	struct strmap queued = { 0 };
	struct buf path = BUF_INIT;
	size_t i, nd = 0, cap = 0;

	strmap_reserve(&queued, n);
	/* about a folder per file (most outputs are FOLDER/index.html) and their parents: room made
	   once (what is not used is not touched), not grown by doubling and copying */
	cap = n + n / 8 + 64;
	*dirs = xmalloc(cap * sizeof(**dirs));
	for (i = 0; i < n; i++) {
		size_t up = 0, in = SIZE_MAX;
		char *p;
		long known;
		if (!S_rel_ok(v[i].rel))
			continue;
		buf_reset(&path);
		buf_puts(&path, v[i].rel);
		/* its folder known already (one of the build's, or queued for another file): so is
		   every folder on its way, made or queued before it (one lookup, not one a folder) */
		if ((p = strrchr(path.ptr, '/')) != NULL) {
			*p = '\0';
			if ((known = strmap_get(&out->dirs, path.ptr, 0)) > 0) {
				parent[i] = SIZE_MAX - 1 - ((size_t)known - 1);
				continue;
			}
			if ((known = strmap_get(&queued, path.ptr, 0)) > 0) {
				parent[i] = (size_t)known - 1;
				continue;
			}
			*p = '/';
		}
		for (p = strchr(path.ptr, '/'); p; p = strchr(p + 1, '/')) {
			long have, q;
			*p = '\0';
			if ((have = strmap_get(&out->dirs, path.ptr, 0)) > 0) {
				up = (size_t)have - 1;
				in = SIZE_MAX;
			} else if ((q = strmap_get(&queued, path.ptr, 0)) > 0) {
				in = (size_t)q - 1;
			} else {
				ARRAY_GROW(*dirs, nd, cap, 256);
				memset(&(*dirs)[nd], 0, sizeof(**dirs));
				(*dirs)[nd].rel = arena_strdup(a, path.ptr);
				(*dirs)[nd].up = up;
				(*dirs)[nd].in = in;
				strmap_put(&queued, (*dirs)[nd].rel, (long)nd + 1);
				in = nd++;
			}
			*p = '/';
		}
		/* its folder: the last one on its way, one of the run's (in) or of out->folders (up) */
		parent[i] = in != SIZE_MAX ? in : SIZE_MAX - 1 - up;
	}
	strmap_free(&queued);
	buf_release(&path);
	return nd;
}

/*
 * Whether a look made ahead at d went through the folder up of
 * out->folders that this build made or checked before it: up found as it
 * is, at the inode the looks ahead found on their way (tmp itself, up 0,
 * is the spare they were made in).
 */
static int S_prelook_through(const struct output *out, size_t up)
{
	const struct folder_look *l;

	if (up == 0)
		return 1;
	return out->folders[up].seen && (l = S_prelooked(out, out->folders[up].rel)) != NULL && l->ok &&
	       l->ino == out->folders[up].ino;
}

/*
 * The looked-at folders into out->folders and out->dirs, parents first
 * (out->lock held). A folder found as it is counts as S_mkdir_one's
 * look; any other, or one whose parent was not found as it is (its look
 * may have gone through what was there before), is S_mkdir_one's. A look
 * made ahead is made again unless it went through the parent as this
 * build found it (S_prelook_through).
 */
static void S_keep_put(struct output *out, struct keep_dir *dirs, size_t nd)
{
	size_t i;

	for (i = 0; i < nd; i++) {
		struct keep_dir *d = &dirs[i];
		size_t up = d->up, f;
		if (d->in != SIZE_MAX) {
			if (dirs[d->in].f < 0) {
				d->f = -1;
				continue;
			}
			up = (size_t)dirs[d->in].f - 1;
		}
		if (d->pre && !S_prelook_through(out, up)) {
			/* again, now: the look made ahead may have gone through what is no longer there */
			d->pre = 0;
			d->look = S_look(out->tmpfd, d->rel);
		}
		out->prelooked += d->pre && d->look.ok && (d->in == SIZE_MAX || !dirs[d->in].made);
		f = S_folder_new(out);
		if (d->look.ok && (d->in == SIZE_MAX || !dirs[d->in].made)) {
			out->looked++;
			S_seen_at(out, f, d->look.ino, d->look.ctime);
			out->folders[up].found++;
		} else if (S_mkdir_one(out, d->rel, up, f) == 0) {
			d->made = 1;
		} else {
			out->nfolders--;
			d->f = -1; /* output_keep reports it */
			continue;
		}
		d->f = S_dir_put(out, d->rel, up, f);
	}
}

/* Folder f of a recycled tmp holds the names a build recorded (the top of the file), mode and all. */
static int S_vouched(const struct output *out, long f)
{
	const struct out_folder *d;

	if (f <= 0 || (size_t)f >= out->nfolders || !out->trust)
		return 0;
	d = &out->folders[f];
	return d->seen && !d->touched && S_record(out, d->ino, d->ctime) != NULL;
}

/* The out->folders index of a file's folder as S_keep_queue found it, after S_keep_put; -1: none. */
static long S_keep_parent(const struct keep_dir *dirs, size_t parent)
{
	if (parent > SIZE_MAX / 2)
		return (long)(SIZE_MAX - 1 - parent); /* out->folders' own */
	return dirs[parent].f - 1;                    /* -1 when it failed, or -2: never put */
}

/*
 * A file its folder vouches for, claimed as output_keep would (out->lock
 * held); f its folder (S_keep_parent). 0, or 1: look at it.
 */
static int S_keep_vouched(struct output *out, struct output_kept *k, long f)
{
	if (!k->shared || !strchr(k->rel, '/') || !S_rel_ok(k->rel))
		return 1;
	if (!S_vouched(out, f) || strmap_get(&out->seen, k->rel, 0) || strmap_get(&out->dirs, k->rel, 0))
		return 1; /* a name claimed twice: output_keep reports it */
	strmap_put(&out->seen, arena_strdup(&out->names, k->rel), 1);
	out->folders[f].entries++;
	out->folders[f].found++;
	return 0;
}

static void S_keep_job(size_t i, int worker, void *payload)
{
	struct keep_run *run = payload;
	struct output_kept *k = run->slow[i];

	(void)worker;
	/* looked at: its size is the file's, not what the untrusted state said */
	if ((k->rc = S_keep_one(run->out, k->rel, &k->size)) < 0)
		atomic_store(&run->failed, 1);
}

int output_keep_many(struct output *out, struct output_kept *v, size_t n, uint64_t gen, int nthreads)
{
	struct keep_run run = { out, NULL, NULL, 0 };
	struct arena a = ARENA_INIT;
	size_t i, nd = 0, nslow = 0, vouched = 0, *parent = NULL;
	const char *first = NULL;
	uint64_t bytes = 0, room;
	int rc = 0;

	run.slow = xmalloc((n ? n : 1) * sizeof(*run.slow));
	if (out->recycled && !out->mem && out->tmp) {
		/* each folder looked at once, the looks on the threads, the rest under one lock */
		parent = xmalloc((n ? n : 1) * sizeof(*parent));
		pthread_mutex_lock(&out->lock);
		nd = S_keep_queue(out, v, n, &a, &run.dirs, parent);
		pthread_mutex_unlock(&out->lock);
		pool_run(nthreads, nd, S_look_job, &run);
		pthread_mutex_lock(&out->lock);
		/* each map grown once for all (growing places every key again) */
		strmap_reserve(&out->dirs, nd);
		strmap_reserve(&out->seen, n);
		S_keep_put(out, run.dirs, nd);
		/* a recorded size comes from the render state's file (untrusted): one that would take
		   the output over its cap is looked at, the file's own size counted (output_keep) */
		room = out->max_bytes - atomic_load(&out->bytes);
		for (i = 0; i < n; i++) {
			/* the spare is the folder the state's build kept from only when the
			   newest record is that build's */
			v[i].shared = v[i].shared && gen && gen == out->record_gen;
			if (S_rel_ok(v[i].rel) && strchr(v[i].rel, '/') && v[i].size <= room - bytes)
				v[i].rc = S_keep_vouched(out, &v[i], S_keep_parent(run.dirs, parent[i]));
			else
				v[i].rc = 1;
			if (v[i].rc == 0) {
				if (!vouched++)
					first = v[i].rel;
				bytes += v[i].size;
			}
		}
		pthread_mutex_unlock(&out->lock);
	} else {
		for (i = 0; i < n; i++)
			v[i].rc = 1;
	}
	for (i = 0; i < n; i++)
		if (v[i].rc)
			run.slow[nslow++] = &v[i];
	/* the vouched files against the cap as output_keep counts each */
	if (vouched && (bytes > SIZE_MAX || S_reserve(out, first, (size_t)bytes)))
		rc = -1;
	else if (vouched) {
		atomic_fetch_add(&out->files, vouched);
		atomic_fetch_add(&out->linked, vouched);
		out->vouched += vouched;
	}
	if (rc == 0 && nslow) {
		pool_run(nthreads, nslow, S_keep_job, &run);
		if (atomic_load(&run.failed))
			rc = -1;
	}
	free(run.dirs);
	free(run.slow);
	free(parent);
	arena_release(&a);
	return rc;
}

static void S_folder_id(const struct stat *st, uint64_t id[3])
{
	id[0] = (uint64_t)st->st_dev;
	id[1] = (uint64_t)st->st_ino;
	id[2] = (uint64_t)st->st_ctim.tv_sec * 1000000000u + (uint64_t)st->st_ctim.tv_nsec;
}

int output_folder_id(const struct output *out, uint64_t id[3])
{
	struct stat st;

	if (out->mem || !out->dir || out->parent < 0 ||
	    fstatat(out->parent, S_base(out->dir), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode))
		return -1;
	S_folder_id(&st, id);
	return 0;
}

char *output_guess(const char *dir, const char *site_root, uint64_t id[3])
{
	struct buf given = BUF_INIT;
	char *path;
	struct stat st;

	S_output_path(&given, dir, site_root);
	path = realpath(given.ptr, NULL);
	buf_release(&given);
	if (path && lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		S_folder_id(&st, id);
		return path;
	}
	free(path);
	return NULL;
}

/* The record of the folder at ino, changed last at ctime; NULL when none. */
static const struct out_record *S_record(const struct output *out, uint64_t ino, int64_t ctime)
{
	size_t lo = 0, hi = out->nrecord;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct out_record *r = &out->record[mid];
		if (r->ino == ino && r->ctime == ctime)
			return r;
		if (r->ino < ino || (r->ino == ino && r->ctime < ctime))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Whether folder f holds no name this build did not write, without
 * reading it: recorded at the inode and change time this build first
 * found it at, and as many of the names it held then claimed (see the
 * top of the file).
 */
static int S_known(const struct output *out, size_t f)
{
	const struct out_folder *d = &out->folders[f];
	const struct out_record *r;

	return f > 0 && d->seen && (r = S_record(out, d->ino, d->ctime)) && r->names == d->found;
}

/*
 * In a recycled folder, removes from folder f every name this build did
 * not write: files not in out->seen, folders not in out->dirs (every
 * folder this build made holds a file it wrote; each of those is a folder
 * of its own in out->folders). Links are removed, never followed. The
 * folders on the way were checked by this build (S_mkdirs). -1 when
 * something could not be removed.
 */
static int S_prune(struct output *out, size_t f)
{
	struct out_folder *d = &out->folders[f];
	struct buf rel = BUF_INIT;
	struct dirent *e;
	DIR *dir;
	int fd, rc = 0;

	fd = f ? openat(out->tmpfd, d->rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
	       : dup(out->tmpfd);
	if (fd < 0)
		return -1;
	if (!(dir = fdopendir(fd))) {
		close(fd);
		return -1;
	}
	out->walked++;
	while ((e = readdir(dir)) != NULL) {
		struct stat st;
		int sub;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		buf_reset(&rel);
		if (f)
			buf_printf(&rel, "%s/", d->rel);
		buf_puts(&rel, e->d_name);
		if (e->d_type != DT_UNKNOWN)
			sub = e->d_type == DT_DIR;
		else if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			sub = S_ISDIR(st.st_mode);
		else
			continue;
		if (!sub && !strmap_get(&out->seen, rel.ptr, 0)) {
			if (unlinkat(fd, e->d_name, 0) == 0) {
				atomic_fetch_add(&out->removed, 1);
				d->touched = 1;
			} else if (errno != ENOENT) {
				rc = -1;
			}
		} else if (sub && !strmap_get(&out->dirs, rel.ptr, 0)) {
			d->touched = 1;
			if (S_remove_at(fd, e->d_name, 1))
				rc = -1;
		}
	}
	closedir(dir);
	buf_release(&rel);
	return rc;
}

/*
 * The folder name beside the output (the previous site after a swap, or
 * a failed build's) becomes the spare for the next build; if a spare is
 * there already (another build's), it is removed instead.
 */
static void S_keep_spare(struct output *out, const char *name)
{
	struct buf spare = BUF_INIT;

	buf_printf(&spare, S_SPARE, S_base(out->dir));
	if (renameat2(out->parent, name, out->parent, spare.ptr, RENAME_NOREPLACE) != 0) {
		struct stat st;
		/* Without RENAME_NOREPLACE: a plain rename, if nothing is there. */
		if (!((errno == EINVAL || errno == ENOSYS) &&
		      fstatat(out->parent, spare.ptr, &st, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT &&
		      renameat(out->parent, name, out->parent, spare.ptr) == 0))
			S_remove_at(out->parent, name, 0);
	}
	buf_release(&spare);
}

/*
 * The swap where the file system has no RENAME_EXCHANGE: the previous site
 * moves aside to .NAME.old-XXXXXX (the temporary folder's suffix), the new
 * one moves in, and only then is the previous one removed. Between the two
 * renames the output is missing for a moment: if the second fails, the
 * previous site is moved straight back; if jixia dies there, the next build
 * moves it back before anything else (S_clean).
 */
static int S_swap_renames(struct output *out, const char *name, const char *tmp)
{
	struct buf old = BUF_INIT;
	int rc = -1, e;

	buf_printf(&old, ".%s.old-%s", name, tmp + strlen(tmp) - S_SUFFIX);
	if (renameat(out->parent, name, out->parent, old.ptr) != 0) {
		diag_error(NULL, 0, 0, "cannot move the previous site out of '%s': %s", out->dir,
			   strerror(errno));
		goto done;
	}
	if (renameat(out->parent, tmp, out->parent, name) != 0) {
		e = errno;
		/* If even this fails, the next build moves it back. */
		(void)renameat(out->parent, old.ptr, out->parent, name);
		diag_error(NULL, 0, 0, "cannot move the new site into '%s': %s", out->dir, strerror(e));
		goto done;
	}
	S_keep_spare(out, old.ptr);
	rc = 0;
done:
	buf_release(&old);
	return rc;
}

int output_commit(struct output *out)
{
	if (out->mem)
		return 0; /* jixia serve swaps the site in itself */
	const char *name = S_base(out->dir), *tmp = S_base(out->tmp);
	int old, rc = -1;

	if (out->recycled) {
		size_t f;
		int bad = 0;
		/* every folder of this build that the record does not vouch for */
		for (f = 0; f < out->nfolders && !bad; f++)
			if (!S_known(out, f))
				bad = S_prune(out, f);
		if (bad) {
			diag_error(NULL, 0, 0, "cannot remove old files from the folder beside '%s': %s",
				   out->dir, strerror(errno));
			return -1;
		}
	}

	/* The previous site is locked while it moves and until it is removed,
	 * so another build's clean-up leaves it to this one. */
	old = openat(out->parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (old < 0 && errno != ENOENT) {
		diag_error(NULL, 0, 0, "cannot move the new site into '%s': %s", out->dir, strerror(errno));
		return -1;
	}
	if (old >= 0)
		(void)flock(old, LOCK_EX);
	if (old < 0) {
		if (renameat(out->parent, tmp, out->parent, name) != 0) {
			diag_error(NULL, 0, 0, "cannot move the new site into '%s': %s", out->dir,
				   strerror(errno));
			goto done;
		}
	} else if (!output_test_no_exchange &&
		   renameat2(out->parent, tmp, out->parent, name, RENAME_EXCHANGE) == 0) {
		/* tmp holds the previous site now. */
		S_keep_spare(out, tmp);
	} else {
		/* No exchange here (EINVAL from the file system, ENOSYS or a
		 * seccomp EPERM from the kernel): two renames, which report an
		 * error of their own and undo what they did. */
		if (S_swap_renames(out, name, tmp))
			goto done;
	}
	close(out->tmpfd);
	free(out->tmp);
	out->tmp = NULL;
	rc = 0;
done:
	if (old >= 0)
		close(old);
	return rc;
}

void output_abort(struct output *out)
{
	if (!out->tmp)
		return;
	/* Kept (or removed) while still locked, so no other build's clean-up
	 * races it. Whatever it holds, the next build makes it right. */
	S_keep_spare(out, S_base(out->tmp));
	close(out->tmpfd);
	free(out->tmp);
	out->tmp = NULL;
}

void output_release(struct output *out)
{
	output_abort(out);
	if (out->cur_state > 0)
		close(out->cur);
	out->cur_state = 0;
	if (out->dir) {
		close(out->parent);
		pthread_mutex_destroy(&out->lock);
	}
	free(out->dir);
	out->dir = NULL;
	strmap_free(&out->dirs);
	strmap_free(&out->seen);
	arena_release(&out->names);
	free(out->folders);
	out->folders = NULL;
	out->nfolders = out->capfolders = 0;
	free(out->record);
	out->record = NULL;
	out->nrecord = 0;
	free(out->cur_record);
	out->cur_record = NULL;
	out->ncur_record = 0;
	output_prelook_free(out->pre);
	out->pre = NULL;
}

/* --- the folders' record (see the top of the file) --------------------------- */

/* Record order: by inode, then change time. */
static int S_record_cmp(const void *a, const void *b)
{
	const struct out_record *x = a, *y = b;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	if (x->ctime != y->ctime)
		return x->ctime < y->ctime ? -1 : 1;
	return 0;
}

/* The bytes (little-endian): the device, the newest build's number, the
   mode its new files came out as, the count, then each folder's inode,
   change time, names and build, in record order. */
#define S_RECORD_BYTES 32

void output_folders_load(struct output *out, const void *p, size_t n)
{
	struct le_reader r = { p, (const unsigned char *)p + n, 0 };
	struct stat st;
	uint64_t dev, gen, mode, count;
	size_t i;

	free(out->record);
	out->record = NULL;
	out->nrecord = 0;
	if (out->mem || !out->tmp || fstat(out->tmpfd, &st) != 0)
		return;
	dev = le_read(&r, 8);
	gen = le_read(&r, 8);
	mode = le_read(&r, 8);
	count = le_read(&r, 8);
	/* another device's inodes are not these; a count past the bytes is damage */
	if (r.bad || dev != (uint64_t)st.st_dev || count != (size_t)(r.end - r.p) / S_RECORD_BYTES ||
	    (size_t)(r.end - r.p) % S_RECORD_BYTES)
		return;
	out->record = xmalloc((count ? count : 1) * sizeof(*out->record));
	for (i = 0; i < count; i++) {
		struct out_record *d = &out->record[i];
		d->ino = le_read(&r, 8);
		d->ctime = (int64_t)le_read(&r, 8);
		d->names = le_read(&r, 8);
		d->gen = le_read(&r, 8);
		/* in order (S_record's search), of a build up to the newest */
		if (d->gen > gen || (i && S_record_cmp(&out->record[i - 1], d) >= 0)) {
			free(out->record);
			out->record = NULL;
			return;
		}
	}
	out->nrecord = (size_t)count;
	out->record_gen = gen;
	/* the files its folders hold came out as that mode (output_keep_many) */
	out->trust = mode == (uint64_t)out->mode;
}

/* How many of the current output's folders S_current_recorded looks at. */
#define S_SAMPLE 32

/* What output_record_current found of one folder of the current output. */
struct cur_look {
	struct out_record rec;
	int ok; /* a folder of the output's device, its change time not racy, read whole */
};

struct cur_run {
	const struct output *out;
	int cur;   /* the current output */
	dev_t dev; /* the output's device: another's inodes are not recorded */
	struct cur_look *v;
};

/*
 * The names in the open folder fd but . and .. into *n: 0, or -1. With
 * getdents64 where the C library has it: fdopendir and closedir cost
 * three calls more (an fstat, two fcntl) per folder, on every one of a
 * first rebuild's 15,748 (output_record_current), and a folder of the
 * output holds a few names.
 */
static int S_count_names(int fd, uint64_t *n)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 30))
	union {
		char b[8192];
		struct dirent64 align; /* the records' alignment */
	} u;
	ssize_t got, at;

	*n = 0;
	while ((got = getdents64(fd, u.b, sizeof(u.b))) > 0)
		for (at = 0; at < got;) {
			const struct dirent64 *e = (const struct dirent64 *)(void *)(u.b + at);
			if (e->d_reclen == 0)
				return -1;
			*n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
			at += e->d_reclen;
		}
	return got == 0 ? 0 : -1;
#else
	struct dirent *e;
	DIR *dir;
	int dup_fd = dup(fd);

	*n = 0;
	if (dup_fd < 0 || !(dir = fdopendir(dup_fd))) {
		if (dup_fd >= 0)
			close(dup_fd);
		return -1;
	}
	while ((e = readdir(dir)) != NULL)
		*n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(dir);
	return 0;
#endif
}

/* Folder i of this build, in the current output: looked at (fstat), then its names counted. */
static void S_cur_job(size_t i, int worker, void *payload)
{
	struct cur_run *run = payload;
	struct cur_look *l = &run->v[i];
	struct stat st;
	uint64_t names = 0;
	int fd;

	(void)worker;
	fd = openat(run->cur, run->out->folders[i + 1].rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_dev != run->dev ||
	    S_ns(&st.st_ctim) >= run->out->t0 - S_RACY_NS || S_count_names(fd, &names) != 0) {
		close(fd);
		return;
	}
	close(fd);
	l->rec.ino = (uint64_t)st.st_ino;
	l->rec.ctime = S_ns(&st.st_ctim);
	l->rec.names = names;
	l->ok = 1;
}

/*
 * Whether the record holds the current output's folders, as it does
 * after a build that recorded its own spare's (the current output now):
 * a sample of this build's folders looked at there, one found as
 * recorded is enough. A build with no spare recorded none of its own.
 */
static int S_current_recorded(const struct output *out, int cur)
{
	size_t step = out->nfolders / S_SAMPLE + 1, f;
	struct stat st;

	for (f = 1; f < out->nfolders; f += step)
		if (fstatat(cur, out->folders[f].rel, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) &&
		    S_record(out, (uint64_t)st.st_ino, S_ns(&st.st_ctim)))
			return 1;
	return 0;
}

size_t output_record_current(struct output *out, int nthreads)
{
	struct cur_run run = { out, -1, 0, NULL };
	struct stat st;
	size_t i, n;

	if (out->mem || !out->tmp || out->nfolders < 2 || fstat(out->tmpfd, &st) != 0 ||
	    (run.cur = S_current(out)) < 0 || (out->recycled && S_current_recorded(out, run.cur)))
		return 0;
	run.dev = st.st_dev;
	n = out->nfolders - 1; /* tmp itself (folder 0) is renamed by the swap: never recorded */
	run.v = xcalloc(n, sizeof(*run.v));
	pool_run(nthreads, n, S_cur_job, &run);
	free(out->cur_record);
	out->cur_record = xmalloc(n * sizeof(*out->cur_record));
	out->ncur_record = 0;
	for (i = 0; i < n; i++)
		if (run.v[i].ok)
			out->cur_record[out->ncur_record++] = run.v[i].rec;
	free(run.v);
	out->cur_read = n;
	return n;
}

void output_folders_save(const struct output *out, struct buf *b)
{
	struct out_record *v = NULL;
	size_t n = 0, cap = 0, i, k;
	uint64_t gen = out->record_gen + 1;
	struct stat st;

	if (out->mem || !out->dir || out->parent < 0 ||
	    fstatat(out->parent, S_base(out->dir), &st, AT_SYMLINK_NOFOLLOW) != 0)
		return;
	/* the build before's: the folders of the next build's spare (an older one's went with it) */
	for (i = 0; i < out->nrecord; i++)
		if (out->record[i].gen == out->record_gen) {
			ARRAY_GROW(v, n, cap, 1024);
			v[n++] = out->record[i];
		}
	/* this build's: each folder it left as it found it, its change time not racy */
	for (i = 1; i < out->nfolders; i++) {
		const struct out_folder *d = &out->folders[i];
		if (!d->seen || d->touched || d->ctime >= out->t0 - S_RACY_NS)
			continue;
		ARRAY_GROW(v, n, cap, 1024);
		v[n].ino = d->ino;
		v[n].ctime = d->ctime;
		v[n].names = d->entries;
		v[n++].gen = gen;
	}
	/* a build with no spare: the current output's, now the spare (output_record_current) */
	for (i = 0; i < out->ncur_record; i++) {
		ARRAY_GROW(v, n, cap, 1024);
		v[n] = out->cur_record[i];
		v[n++].gen = gen;
	}
	if (n)
		qsort(v, n, sizeof(*v), S_record_cmp);
	/* a folder the two builds both recorded (the same inode and time): once, as this
	   build's (the next build keeps only this build's records of the spare's folders) */
	for (i = k = 0; i < n; i++)
		if (k == 0 || S_record_cmp(&v[k - 1], &v[i]) != 0)
			v[k++] = v[i];
		else if (v[i].gen > v[k - 1].gen)
			v[k - 1].gen = v[i].gen;
	n = k;
	buf_put_le(b, (uint64_t)st.st_dev, 8);
	buf_put_le(b, gen, 8);
	buf_put_le(b, (uint64_t)out->mode, 8);
	buf_put_le(b, n, 8);
	for (i = 0; i < n; i++) {
		buf_put_le(b, v[i].ino, 8);
		buf_put_le(b, (uint64_t)v[i].ctime, 8);
		buf_put_le(b, v[i].names, 8);
		buf_put_le(b, v[i].gen, 8);
	}
	free(v);
}
