/*
 * watch: what jixia serve rebuilds after. inotify on the site's inputs,
 * what source.c reads: site.yaml, .mailmap and the folders content/,
 * layouts/ (the i18n strings among them), assets/ and static/, every
 * folder inside them, and new ones as they appear. A burst of events (an editor's save by rename, a git checkout)
 * becomes one batch once no file is half saved and the files have been quiet for a moment.
 */
#ifndef JIXIA_WATCH_H
#define JIXIA_WATCH_H

#include "util.h"

struct watch;

/* What changed in one batch. */
struct watch_batch {
	size_t changes;   /* files and folders created, written, moved or deleted */
	int css_only;     /* every change was to a stylesheet (.css) outside layouts/ */
	struct buf first; /* the first change's path under the site ("content/talks/x.md") */
	int stopped;      /* the stop descriptor became readable while waiting */
	int lost;         /* events or a watch were lost (the kernel's queue overflowed, the site
			     folder's or git's watch went): everything was watched again */
	int saved;        /* it ended WATCH_SETTLE_MS after saves that all completed, not after quiet_ms */
};

/* Files in the middle of their save one batch waits for (more: it waits for quiet). */
#define WATCH_MAX_PENDING 64
/*
 * How long a batch whose saves all completed waits for more events (ms):
 * what an editor does after the event that completes its save comes at
 * once (vim's mode set again and its backup deleted: within 0.25 ms of the
 * file's close over 30 saves on a loaded machine), as do the next files of
 * a burst (sed -i's rename, a git checkout's next file).
 */
#define WATCH_SETTLE_MS 2

/*
 * Starts watching the site folder dir. Returns 0, or -1 after a diag
 * error (no inotify). A folder that cannot be watched (the system's
 * watch limit) is a warning: the rest is still watched.
 */
int watch_open(struct watch **out, const char *dir);

/*
 * Also watches the site's git repository (gitdir and commondir as libgit2
 * names them; the same folder outside a linked worktree): a commit, a
 * checkout or a fetch into a branch moves HEAD or refs/heads/, and the
 * dates and authors come from there. What cannot be watched is skipped.
 */
void watch_git(struct watch *w, const char *gitdir, const char *commondir);

/* The descriptor that becomes readable when something happened (for poll). */
int watch_fd(const struct watch *w);

/*
 * Reads the events that are there and waits for more until the batch is
 * over, or until stop_fd is readable. A file made and not yet closed after
 * writing, or moved to a backup name and not yet back (vim, emacs), is
 * half saved: the batch waits for it, at most max_ms in all (so a file
 * written without pause still gets a rebuild). With none half saved, the
 * batch is over WATCH_SETTLE_MS after its last event when every save it
 * saw completed (a file closed after writing, moved into place or
 * deleted; a branch moved), else quiet_ms after it (a mode changed, a
 * folder made). Fills out (reset first;
 * buf_init it once, buf_release it after). A batch with no changes (only
 * editors' temporary files, say) means nothing to rebuild. When events
 * were lost (out->lost), every folder and git's were watched again, on a
 * new descriptor (watch_fd), before it returns.
 */
void watch_collect(struct watch *w, int stop_fd, int quiet_ms, int max_ms, struct watch_batch *out);

/*
 * The files the events named since the last call, for the source stage
 * (source_cache_changed): each once, under the site ("content/talks/x.md"),
 * names the batches ignore but a walk reads (a backup file~, "4913")
 * included. 0 with them in *paths (*n; the caller frees each and the
 * array), or -1 when they cannot be all that changed: a folder made,
 * moved, deleted or changed, a ".git" in a tree, lost events, more than
 * WATCH_MAX_PATHS, or ever a folder that could not be watched (the
 * system's limit of watches): then the whole tree is walked.
 */
#define WATCH_MAX_PATHS 1024
int watch_take_paths(struct watch *w, char ***paths, size_t *n);

void watch_free(struct watch *w);

#endif
