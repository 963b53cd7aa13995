/*
 * watch: inotify over the site's inputs (watch.h). inotify watches one
 * folder at a time, so every folder of the watched trees gets its own
 * watch, kept in a table by watch descriptor with its path under the site;
 * a folder created or moved in is walked and added (files may already be
 * in it: the batch counts it as a change whatever it holds). Editors save
 * in many ways (write in place, write a temporary file and rename it over,
 * delete and create, a backup file~): any create, close after writing,
 * move or delete counts, and names that are no input (dot files, backups
 * ending in '~', vim's probe "4913", emacs' #autosave#) are ignored, as the
 * build ignores most of them too. A batch is not over while a file is in
 * the middle of its save (made and not yet closed after writing, or moved
 * away under a backup name and not back: vim's and emacs' save): it ends
 * once every save it saw completed (a file closed after writing, moved
 * into place or deleted) and a moment of quiet (WATCH_SETTLE_MS) brought
 * nothing more, else after the caller's quiet time. When the kernel's queue overflows (events
 * were dropped: a folder made then is not watched, one gone and back is
 * not either) or the site folder's or git's watch goes, no event can be
 * trusted to name what changed: everything is watched again on a new
 * instance, git's folders included, and the batch rebuilds it all.
 */
#define _GNU_SOURCE
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"

/* The folders of the site whose whole tree is an input: what source.c reads (its S_roots). */
static const char *const S_trees[] = { "content", "layouts", "assets", "static" };
/* The files at the site's top that are inputs (source.c's too). */
static const char *const S_files[] = { "site.yaml", ".mailmap" };

#define S_TREE_MASK                                                                                      \
	(IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | IN_ATTRIB | IN_ONLYDIR | \
	 IN_DONT_FOLLOW | IN_EXCL_UNLINK)
/* Deeper than any site: a loop of bind mounts stops here. */
#define S_MAX_DEPTH 64

/* What a watched folder is. */
enum spot_kind {
	S_TOP,  /* the site folder: site.yaml, .mailmap and the trees appearing */
	S_TREE, /* a folder of content/, layouts/ or assets/ */
	S_GIT,  /* the repository's git folder (or its common one): HEAD, packed-refs */
	S_REFS  /* a folder of refs/heads/: a commit moves a branch there */
};

/* One watched folder. */
struct spot {
	char *path;          /* as opened: the site folder, then joined names */
	char *rel;           /* as shown: "content/talks", ".git/refs/heads" ("" for the top) */
	enum spot_kind kind; /* what its events mean */
};

struct watch {
	int fd;             /* the inotify instance */
	char *dir;          /* the site folder */
	struct spot *spots; /* by watch descriptor (path NULL: none) */
	size_t nspots;
	int warned;      /* the watch limit was reported */
	char *gitdir;    /* watch_git's, for a rescan (NULL: none) */
	char *commondir; /* likewise */
	int rescan;      /* events or watches were lost: watch everything again (S_rescan) */
	char **paths;    /* the files named since watch_take_paths (S_note), unsorted */
	size_t npaths, cappaths;
	int unsure;           /* since then, a change the paths do not tell (watch_take_paths) */
	int blind;            /* a folder could not be watched (the watch limit): no paths are ever told */
	const char *overflow; /* JIXIA_TEST_WATCH_OVERFLOW (tests only): S_simulate_overflow */
	/* This batch's files in the middle of their save (S_save): made and not
	   closed yet, or moved away under a name no build reads (a backup) */
	char *pending[WATCH_MAX_PENDING];
	size_t npending;
	int unsettled;        /* more were pending than the table holds: the batch waits for quiet */
	int completed;        /* this batch saw a save complete (S_save) */
	char *away;           /* the last input moved from (IN_MOVED_FROM), by its cookie: */
	uint32_t away_cookie; /* a backup's IN_MOVED_TO has the same */
};

int watch_fd(const struct watch *w)
{
	return w->fd;
}

/* Remembers what wd watches. */
static void S_set_spot(struct watch *w, int wd, const char *path, const char *rel, enum spot_kind kind)
{
	size_t i = (size_t)wd;
	if (i >= w->nspots) {
		size_t n = w->nspots ? w->nspots : 64;
		while (n <= i)
			n *= 2;
		w->spots = xrealloc(w->spots, n * sizeof(*w->spots));
		memset(w->spots + w->nspots, 0, (n - w->nspots) * sizeof(*w->spots));
		w->nspots = n;
	}
	/* the same folder again (a rescan) or a reused descriptor: the newest wins */
	free(w->spots[i].path);
	free(w->spots[i].rel);
	w->spots[i].path = xstrdup(path);
	w->spots[i].rel = xstrdup(rel);
	w->spots[i].kind = kind;
}

/* A name no build reads, that editors make and remove around a save. */
static int S_ignored(const char *name)
{
	size_t n = strlen(name);
	return name[0] == '.' || n == 0 || name[n - 1] == '~' || strcmp(name, "4913") == 0 ||
	       (name[0] == '#' && name[n - 1] == '#');
}

/* Watches the folder path (shown as rel) and every folder inside it. */
static void S_add_tree(struct watch *w, const char *path, const char *rel, enum spot_kind kind, int depth)
{
	struct buf subpath = BUF_INIT, subrel = BUF_INIT;
	DIR *d = NULL;
	struct dirent *de;
	int wd;

	if ((wd = inotify_add_watch(w->fd, path, S_TREE_MASK)) < 0) {
		/* ENOENT, ENOTDIR: gone already, or a file; the parent's events tell. */
		if (errno != ENOENT && errno != ENOTDIR)
			w->blind = 1; /* a change there has no event: walk the tree every time */
		if ((errno == ENOSPC || errno == ENOMEM) && !w->warned) {
			w->warned = 1;
			fprintf(stderr,
				"jixia: warning: cannot watch '%s' and perhaps other folders: the system's limit of "
				"inotify watches is reached (raise fs.inotify.max_user_watches); changes there need "
				"a restart\n",
				rel);
		}
		goto done;
	}
	S_set_spot(w, wd, path, rel, kind);
	if (depth >= S_MAX_DEPTH || !(d = opendir(path))) {
		if (depth >= S_MAX_DEPTH || (errno != ENOENT && errno != ENOTDIR))
			w->blind = 1; /* its folders are not watched */
		goto done;
	}
	while ((de = readdir(d))) {
		struct stat st;
		if (S_ignored(de->d_name))
			continue;
		/* no symbolic link: the build does not follow them either */
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode))
			continue;
		buf_reset(&subpath);
		buf_printf(&subpath, "%s/%s", path, de->d_name);
		buf_reset(&subrel);
		buf_printf(&subrel, "%s/%s", rel, de->d_name);
		S_add_tree(w, subpath.ptr, subrel.ptr, kind, depth + 1);
	}
done:
	if (d)
		closedir(d);
	buf_release(&subpath);
	buf_release(&subrel);
}

/* Watches the top (for site.yaml and trees that appear) and each tree there. -1 (errno set) when the top cannot be. */
static int S_add_all(struct watch *w)
{
	struct buf path = BUF_INIT;
	int wd;
	size_t i;

	wd = inotify_add_watch(w->fd, w->dir,
			       IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE |
				       IN_ONLYDIR);
	if (wd < 0)
		return -1;
	S_set_spot(w, wd, w->dir, "", S_TOP);
	for (i = 0; i < sizeof(S_trees) / sizeof(*S_trees); i++) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", w->dir, S_trees[i]);
		S_add_tree(w, path.ptr, S_trees[i], S_TREE, 0);
	}
	buf_release(&path);
	return 0;
}

int watch_open(struct watch **out, const char *dir)
{
	struct watch *w = xcalloc(1, sizeof(*w));
	const char *hook = getenv("JIXIA_TEST_WATCH_OVERFLOW");

	*out = NULL;
	w->dir = xstrdup(dir);
	w->overflow = hook && *hook ? hook : NULL;
	if ((w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
		diag_error(NULL, 0, 0, "cannot watch site folder '%s': %s", dir, strerror(errno));
		watch_free(w);
		return -1;
	}
	if (S_add_all(w)) {
		diag_error(NULL, 0, 0, "cannot watch site folder '%s': %s", w->dir, strerror(errno));
		watch_free(w);
		return -1;
	}
	*out = w;
	return 0;
}

void watch_git(struct watch *w, const char *gitdir, const char *commondir)
{
	struct buf path = BUF_INIT;
	const char *dirs[2] = { gitdir, commondir };
	size_t i;

	if (w->gitdir != gitdir) { /* not a rescan's call: kept for one */
		free(w->gitdir);
		free(w->commondir);
		w->gitdir = xstrdup(gitdir);
		w->commondir = xstrdup(commondir);
	}

	for (i = 0; i < 2; i++) {
		int wd = inotify_add_watch(w->fd, dirs[i],
					   IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_ONLYDIR |
						   IN_EXCL_UNLINK);
		if (wd >= 0)
			S_set_spot(w, wd, dirs[i], ".git", S_GIT);
	}
	buf_printf(&path, "%s%srefs/heads", commondir, str_ends(commondir, "/") ? "" : "/");
	S_add_tree(w, path.ptr, ".git/refs/heads", S_REFS, 0);
	buf_release(&path);
}

/* Whether name (at the site's top) is an input. */
static int S_top_input(const char *name)
{
	size_t i;
	for (i = 0; i < sizeof(S_trees) / sizeof(*S_trees); i++)
		if (strcmp(name, S_trees[i]) == 0)
			return 1;
	for (i = 0; i < sizeof(S_files) / sizeof(*S_files); i++)
		if (strcmp(name, S_files[i]) == 0)
			return 1;
	return 0;
}

/* Whether an event named name in a folder of this kind changes what the build reads. */
static int S_matters(enum spot_kind kind, const char *name)
{
	switch (kind) {
	case S_TOP: return S_top_input(name);
	case S_TREE: return !S_ignored(name);
	case S_GIT: return strcmp(name, "HEAD") == 0 || strcmp(name, "packed-refs") == 0;
	case S_REFS: return !str_ends(name, ".lock");
	}
	return 0;
}

/* Events or a watch were lost: a change the batch cannot name, that the next build takes whole. */
static void S_lost(struct watch_batch *b)
{
	if (!b->lost) {
		b->lost = 1;
		if (b->changes == 0) {
			buf_reset(&b->first);
			buf_puts(&b->first, "(events lost)");
		}
		b->changes++;
	}
	b->css_only = 0;
}

/*
 * JIXIA_TEST_WATCH_OVERFLOW=NAME, for tests (tests/e2e/serve.sh): the
 * kernel's queue cannot be made to overflow on demand, so an event for a
 * file called NAME stands for an overflow at its worst: every watch is
 * dropped, as if lost (the events waiting and those the removal queues go
 * with the old instance at the rescan), and the event is taken as
 * IN_Q_OVERFLOW.
 */
static void S_simulate_overflow(struct watch *w)
{
	size_t i;

	for (i = 0; i < w->nspots; i++)
		if (w->spots[i].path)
			inotify_rm_watch(w->fd, (int)i);
	w->rescan = 1;
}

/*
 * Watches everything again on a new inotify instance: the old one's
 * queue is dropped (it overflowed, or holds what a lost watch left), the
 * table is emptied, and the site, its trees and git's folders are added as
 * watch_open and watch_git add them. A change made meanwhile is in the
 * files the rebuild that follows reads. -1 when the site folder cannot
 * be watched any more (then nothing is).
 */
static int S_rescan(struct watch *w)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	size_t i;

	w->rescan = 0;
	w->unsure = 1; /* what changed meanwhile is not known */
	if (fd < 0) {
		fprintf(stderr, "jixia: warning: cannot watch '%s' again: %s; changes need a restart\n",
			w->dir, strerror(errno));
		return -1;
	}
	close(w->fd);
	w->fd = fd;
	for (i = 0; i < w->nspots; i++) {
		free(w->spots[i].path);
		free(w->spots[i].rel);
		w->spots[i].path = w->spots[i].rel = NULL;
	}
	if (S_add_all(w)) {
		fprintf(stderr, "jixia: warning: cannot watch '%s' again: %s; changes need a restart\n",
			w->dir, strerror(errno));
		return -1;
	}
	if (w->gitdir)
		watch_git(w, w->gitdir, w->commondir);
	return 0;
}

/*
 * The file an event in a folder of the site names, for watch_take_paths;
 * anything but a file's change there makes the paths unsure. Dotfiles are
 * none of the walk's, but a ".git" makes a folder a nested repository.
 */
static void S_note(struct watch *w, const struct spot *sp, const struct inotify_event *ev)
{
	struct buf rel = BUF_INIT;

	if (sp->kind != S_TOP && sp->kind != S_TREE)
		return;
	if (ev->mask & IN_ISDIR) {
		w->unsure = 1;
		return;
	}
	if (ev->name[0] == '.' && sp->kind == S_TREE) {
		if (strcmp(ev->name, ".git") == 0)
			w->unsure = 1;
		return;
	}
	if (sp->kind == S_TOP && !S_top_input(ev->name))
		return;
	if (w->unsure)
		return;
	if (w->npaths == WATCH_MAX_PATHS) {
		w->unsure = 1;
		return;
	}
	buf_printf(&rel, "%s%s%s", sp->rel, sp->rel[0] ? "/" : "", ev->name);
	ARRAY_GROW(w->paths, w->npaths, w->cappaths, 16);
	w->paths[w->npaths++] = buf_detach(&rel, NULL);
}

int watch_take_paths(struct watch *w, char ***paths, size_t *n)
{
	int unsure = w->unsure;

	*paths = NULL;
	*n = 0;
	w->unsure = 0;
	if (unsure || w->blind) {
		while (w->npaths)
			free(w->paths[--w->npaths]);
		return -1;
	}
	*paths = w->paths;
	*n = w->npaths;
	w->paths = NULL;
	w->npaths = w->cappaths = 0;
	return 0;
}

/* rel's place in the pending table, or npending. */
static size_t S_pending_at(const struct watch *w, const char *rel)
{
	size_t i;
	for (i = 0; i < w->npending; i++)
		if (strcmp(w->pending[i], rel) == 0)
			break;
	return i;
}

static void S_pending_add(struct watch *w, const char *rel)
{
	if (S_pending_at(w, rel) < w->npending)
		return;
	if (w->npending == WATCH_MAX_PENDING) {
		w->unsettled = 1;
		return;
	}
	w->pending[w->npending++] = xstrdup(rel);
}

static void S_pending_drop(struct watch *w, const char *rel)
{
	size_t i = S_pending_at(w, rel);
	if (i == w->npending)
		return;
	free(w->pending[i]);
	w->pending[i] = w->pending[--w->npending];
}

static void S_pending_clear(struct watch *w)
{
	while (w->npending)
		free(w->pending[--w->npending]);
	w->unsettled = 0;
	w->completed = 0;
}

/*
 * Where an event leaves the save of the file it names (rel, under the
 * site): a regular file made with one name is being written until closed
 * (a link, made whole at once, is not: a hard link or a symbolic one has
 * no close to wait for); an input moved to a name no build reads (vim and
 * emacs move the file they save to a backup, then write it anew) is
 * missing until it is back; closed after writing, moved into place or
 * deleted, it is complete. An attribute's change is neither.
 */
static void S_save(struct watch *w, const struct spot *sp, const struct inotify_event *ev, const char *rel)
{
	int input = S_matters(sp->kind, ev->name);
	struct stat st;

	if (sp->kind != S_TOP && sp->kind != S_TREE) {
		if (input && (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE)))
			w->completed = 1; /* git moved HEAD or a branch into place */
		return;
	}
	if (ev->mask & IN_ISDIR)
		return;
	if ((ev->mask & IN_CREATE) && input) {
		struct buf path = BUF_INIT;
		buf_printf(&path, "%s/%s", sp->path, ev->name);
		if (lstat(path.ptr, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1)
			S_pending_add(w, rel);
		buf_release(&path);
	}
	if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE)) {
		S_pending_drop(w, rel);
		if (input)
			w->completed = 1;
	}
	if ((ev->mask & IN_MOVED_FROM) && input) {
		free(w->away);
		w->away = xstrdup(rel);
		w->away_cookie = ev->cookie;
	}
	if ((ev->mask & IN_MOVED_TO) && !input && w->away && ev->cookie == w->away_cookie) {
		S_pending_add(w, w->away); /* moved to its backup: written anew next */
		free(w->away);
		w->away = NULL;
	}
}

/* One event into the batch. */
static void S_event(struct watch *w, const struct inotify_event *ev, struct watch_batch *b)
{
	const struct spot *sp =
		ev->wd >= 0 && (size_t)ev->wd < w->nspots && w->spots[ev->wd].path ? &w->spots[ev->wd] : NULL;
	struct buf rel = BUF_INIT, path = BUF_INIT;

	if (w->overflow && ev->len && strcmp(ev->name, w->overflow) == 0)
		S_simulate_overflow(w);
	if ((ev->mask & IN_Q_OVERFLOW) || w->rescan) {
		/* events were lost: what changed is unknown, so everything is
		 * watched again once the batch is quiet, then rebuilt once */
		w->rescan = 1;
		w->unsure = 1;
		S_lost(b);
		return;
	}
	if (ev->mask & IN_IGNORED) {
		/* the folder is gone (or was unwatched): its descriptor may be reused */
		if (sp) {
			w->unsure = 1;
			/* the site folder's watch or git's: nothing would tell of a
			 * change there again (a folder of a tree is watched again by
			 * its parent's event when it comes back) */
			if (sp->kind == S_TOP || sp->kind == S_GIT) {
				w->rescan = 1;
				S_lost(b);
			}
			free(w->spots[ev->wd].path);
			free(w->spots[ev->wd].rel);
			w->spots[ev->wd].path = w->spots[ev->wd].rel = NULL;
		}
		return;
	}
	if (sp && ev->len) {
		S_note(w, sp, ev);
		buf_printf(&rel, "%s%s%s", sp->rel, sp->rel[0] ? "/" : "", ev->name);
		S_save(w, sp, ev, rel.ptr);
		buf_reset(&rel);
	}
	if (!sp || !ev->len || !S_matters(sp->kind, ev->name)) {
		buf_release(&rel);
		return;
	}
	/* Only a change of mode matters among the attributes (a file made unreadable). */
	if ((ev->mask & IN_ATTRIB) && (ev->mask & IN_ISDIR)) {
		buf_release(&rel);
		return;
	}
	buf_printf(&rel, "%s%s%s", sp->rel, sp->rel[0] ? "/" : "", ev->name);
	if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)) && sp->kind != S_GIT) {
		buf_printf(&path, "%s/%s", sp->path, ev->name);
		S_add_tree(w, path.ptr, rel.ptr, sp->kind == S_TOP ? S_TREE : sp->kind, 0);
	}
	if (b->changes == 0) {
		buf_reset(&b->first);
		buf_puts(&b->first, rel.ptr);
		b->css_only = 1;
	}
	b->changes++;
	if (sp->kind == S_GIT || sp->kind == S_REFS || (ev->mask & IN_ISDIR) || !str_ends(rel.ptr, ".css") ||
	    str_starts(rel.ptr, "layouts/"))
		b->css_only = 0;
	buf_release(&rel);
	buf_release(&path);
}

/* Reads every event waiting (the descriptor does not block). */
static void S_drain(struct watch *w, struct watch_batch *b)
{
	/* aligned as the kernel writes struct inotify_event */
	char chunk[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	while ((n = read(w->fd, chunk, sizeof(chunk))) > 0) {
		char *p = chunk;
		while (p < chunk + n) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			S_event(w, ev, b);
			p += sizeof(*ev) + ev->len;
		}
	}
}

static long long S_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void watch_collect(struct watch *w, int stop_fd, int quiet_ms, int max_ms, struct watch_batch *out)
{
	long long start = S_ms();

	out->changes = 0;
	out->css_only = 0;
	out->stopped = 0;
	out->lost = 0;
	out->saved = 0;
	buf_reset(&out->first);
	S_pending_clear(w);
	for (;;) {
		struct pollfd pf[2] = { { w->fd, POLLIN, 0 }, { stop_fd, POLLIN, 0 } };
		long long left, wait;
		int r;

		S_drain(w, out);
		if (!out->changes)
			return; /* nothing that matters: no batch to wait for */
		if ((left = start + max_ms - S_ms()) <= 0)
			break;
		/* a save under way is waited for (up to max_ms); saves that all
		   completed, a moment only, for the rest of a burst */
		wait = w->npending                                   ? left
		       : w->completed && !w->unsettled && !out->lost ? WATCH_SETTLE_MS
								     : quiet_ms;
		r = poll(pf, stop_fd >= 0 ? 2 : 1, (int)(left < wait ? left : wait));
		if (r < 0 && errno == EINTR)
			continue;
		if (r > 0 && stop_fd >= 0 && (pf[1].revents & POLLIN)) {
			out->stopped = 1;
			return;
		}
		if (r <= 0) { /* quiet: the batch is complete */
			out->saved = wait == WATCH_SETTLE_MS && w->completed && !w->npending;
			break;
		}
	}
	/* before the rebuild: a change from here on has events of its own */
	if (w->rescan)
		S_rescan(w);
}

void watch_free(struct watch *w)
{
	size_t i;

	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	for (i = 0; i < w->nspots; i++) {
		free(w->spots[i].path);
		free(w->spots[i].rel);
	}
	free(w->spots);
	free(w->dir);
	while (w->npaths)
		free(w->paths[--w->npaths]);
	free(w->paths);
	free(w->gitdir);
	free(w->commondir);
	S_pending_clear(w);
	free(w->away);
	free(w);
}
