/*
 * test_watch: where the watcher ends a batch (watch.h). Each save is made
 * by a child process the way an editor makes it, with pauses where a busy
 * disk or machine would make them (vim's fsync, a slow write), while the
 * test collects the batch as jixia serve does: a batch must never end
 * while the file is half saved (the file as it is when watch_collect
 * returns must be the saved one), and one whose saves all completed ends
 * a moment after them rather than after the quiet time.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "util.h"
#include "watch.h"
#include "scratch.h"

/* A pause in the child's save: well past the 30 ms quiet time a batch used to end after. */
#define PAUSE_US 300000

/* The bytes of scratch_at(rel) into b (emptied), or -1 when it cannot be read. */
static int S_read(struct buf *b, const char *rel)
{
	char chunk[256];
	ssize_t n;
	int fd = open(scratch_at(rel), O_RDONLY);

	buf_reset(b);
	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_put(b, chunk, (size_t)n);
	close(fd);
	return 0;
}

static void S_write_file(const char *rel, const char *text)
{
	int fd = open(scratch_at(rel), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		_exit(3);
	close(fd);
}

/* The kinds of save the child makes (S_child). */
enum save {
	VIM,       /* x.md moved to x.md~, written anew (fsync pause), mode set, backup deleted */
	SLOW_NEW,  /* a new page made, then written after a pause, then closed */
	IN_PLACE,  /* x.md truncated and written in place (VS Code, echo >) */
	SED,       /* sed -i: a temporary file in the folder, written, renamed over x.md */
	RENAME,    /* an atomic write: a dotfile written, renamed over x.md */
	HARD_LINK, /* a second name for x.md: made whole at once, no close follows */
	CHMOD      /* a mode changed: no save completes */
};

static void S_child(enum save how)
{
	int fd;

	switch (how) {
	case VIM:
		if (rename(scratch_at("content/x.md"), scratch_at("content/x.md~")))
			_exit(3);
		usleep(PAUSE_US);
		if ((fd = open(scratch_at("content/x.md"), O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0)
			_exit(3);
		if (write(fd, "saved by vim\n", 13) != 13)
			_exit(3);
		usleep(PAUSE_US); /* vim's fsync before the close */
		close(fd);
		chmod(scratch_at("content/x.md"), 0644);
		unlink(scratch_at("content/x.md~"));
		break;
	case SLOW_NEW:
		if ((fd = open(scratch_at("content/new.md"), O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0)
			_exit(3);
		usleep(PAUSE_US);
		if (write(fd, "a new page\n", 11) != 11)
			_exit(3);
		close(fd);
		break;
	case IN_PLACE: S_write_file("content/x.md", "saved in place\n"); break;
	case SED:
		S_write_file("content/sedAb12Cd", "saved by sed\n");
		if (rename(scratch_at("content/sedAb12Cd"), scratch_at("content/x.md")))
			_exit(3);
		break;
	case RENAME:
		S_write_file("content/.x.md.tmp", "saved by rename\n");
		if (rename(scratch_at("content/.x.md.tmp"), scratch_at("content/x.md")))
			_exit(3);
		break;
	case HARD_LINK:
		if (link(scratch_at("content/x.md"), scratch_at("content/y.md")))
			_exit(3);
		usleep(2000000);
		S_write_file("content/after.md", "later\n"); /* another batch's */
		break;
	case CHMOD: chmod(scratch_at("content/x.md"), 0600); break;
	}
	_exit(0);
}

/*
 * A fresh site with content/x.md, watched; the child saves as how says
 * while the batch is collected (quiet_ms, max_ms) as serve's loop does:
 * once the watcher's descriptor is readable. The batch into *b, and the
 * bytes of content/RELfile as the batch ended into *text.
 */
static void S_save(enum save how, int quiet_ms, int max_ms, struct watch_batch *b, const char *rel,
		   struct buf *text, int *read_rc)
{
	struct watch *w = NULL;
	pid_t pid;
	int st;

	scratch_sh("rm -rf content && mkdir content && printf 'before\\n' > content/x.md");
	CHECK(watch_open(&w, scratch_dir) == 0);
	if (!w)
		return;
	fflush(NULL);
	if ((pid = fork()) == 0)
		S_child(how);
	do {
		struct pollfd pf = { watch_fd(w), POLLIN, 0 };
		if (poll(&pf, 1, 10000) <= 0)
			break;
		watch_collect(w, -1, quiet_ms, max_ms, b);
	} while (b->changes == 0);
	*read_rc = S_read(text, rel);
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	watch_free(w);
}

int main(void)
{
	struct watch_batch b;
	struct buf text = BUF_INIT;
	int rc;

	memset(&b, 0, sizeof(b));
	buf_init(&b.first);
	if (scratch_make("watch"))
		return 1;

	/* vim: x.md is missing, then empty, for longer than the quiet time */
	S_save(VIM, 30, 5000, &b, "content/x.md", &text, &rc);
	CHECK(rc == 0);
	CHECK_STR(text.ptr, "saved by vim\n");
	CHECK(b.changes > 0);
	CHECK(b.saved == 1);

	/* a new file written after a pause: never built empty */
	S_save(SLOW_NEW, 30, 5000, &b, "content/new.md", &text, &rc);
	CHECK(rc == 0);
	CHECK_STR(text.ptr, "a new page\n");
	CHECK_STR(b.first.ptr, "content/new.md");
	CHECK(b.saved == 1);

	/* saves that complete at once end the batch without the quiet time
	   (10 s here: were it waited for, saved would be 0) */
	S_save(IN_PLACE, 10000, 20000, &b, "content/x.md", &text, &rc);
	CHECK_STR(text.ptr, "saved in place\n");
	CHECK(b.saved == 1);
	S_save(SED, 10000, 20000, &b, "content/x.md", &text, &rc);
	CHECK_STR(text.ptr, "saved by sed\n");
	CHECK(b.saved == 1);
	S_save(RENAME, 10000, 20000, &b, "content/x.md", &text, &rc);
	CHECK_STR(text.ptr, "saved by rename\n");
	CHECK(b.saved == 1);
	CHECK_STR(b.first.ptr, "content/x.md"); /* the dotfile is none of the batch's */

	/* a hard link is whole when made: nothing is waited for past the
	   quiet time (the child's next file, 2 s later, is not there yet) */
	S_save(HARD_LINK, 30, 20000, &b, "content/after.md", &text, &rc);
	CHECK(rc == -1);
	CHECK_STR(b.first.ptr, "content/y.md");
	CHECK(b.saved == 0);

	/* a mode changed: no save completed, the batch ends after the quiet time */
	S_save(CHMOD, 30, 5000, &b, "content/x.md", &text, &rc);
	CHECK(b.changes == 1);
	CHECK(b.saved == 0);

	scratch_sh("cd / && rm -rf '%s'", scratch_dir);
	buf_release(&text);
	buf_release(&b.first);
	return CHECK_DONE("test_watch");
}
