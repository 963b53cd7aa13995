/*
 * guard: one answer to "may a commit have made this link?" for every reader
 * of a path the user gave. There are three ways a folder can hold names a
 * commit chose: a git repository (a .git in the folder or above it, or
 * what git's discovery finds from it, a bare repository included), the
 * site itself, and the folder jixia runs in, which a CI job makes by
 * checking out the pull request, and which may come from a tarball with no
 * .git at all. Each is tested, and every doubt (a checkout owned by
 * another user, a repository without a working tree, a .git that leads
 * nowhere, no current folder) answers yes: a link refused wrongly is an
 * error the user can read, a link followed wrongly writes outside.
 */
#include "guard.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "util.h"

/*
 * Git's discovery from dir finds a repository: a working tree that holds
 * dir, or a bare repository that is dir or above it, which a commit can
 * hold as plain folders. Discovery only looks for the files (it neither
 * opens the repository nor reads its config), so a checkout owned by
 * another user, which git_repository_open_ext refuses (libgit2 1.5 even
 * says GIT_ENOTFOUND then), is found like any other. Any error but "not
 * found" (a malformed .git file) counts as found. Across file systems,
 * unlike git: a mount on the way up is no sign that the folder is the
 * user's.
 */
static int S_in_repository(const char *dir)
{
	git_buf gitdir = GIT_BUF_INIT;
	int rc;

	git_libgit2_init();
	rc = git_repository_discover(&gitdir, dir, 1, NULL);
	git_buf_dispose(&gitdir);
	git_libgit2_shutdown();
	return rc != GIT_ENOTFOUND;
}

/*
 * A .git of any kind (folder, file, link) in dir or a folder above it. Git
 * stops at a .git file that leads nowhere and so does discovery, which
 * then says "not found": a worktree mounted into a container without the
 * repository it names is still a checkout. A .git that cannot be looked at
 * counts as there.
 */
static int S_dotgit_above(const char *dir)
{
	struct buf b = BUF_INIT;
	struct stat st;
	int found = 0;

	buf_puts(&b, dir);
	for (;;) {
		size_t n = b.len;
		char *slash;

		buf_puts(&b, n > 0 && b.ptr[n - 1] == '/' ? ".git" : "/.git");
		if (lstat(b.ptr, &st) == 0 || errno != ENOENT) {
			found = 1;
			break;
		}
		b.len = n;
		b.ptr[n] = '\0';
		slash = strrchr(b.ptr, '/');
		if (!slash || n <= 1)
			break;
		b.len = slash == b.ptr ? 1 : (size_t)(slash - b.ptr);
		b.ptr[b.len] = '\0';
	}
	buf_release(&b);
	return found;
}

int guard_refuse_link(const char *dir, const char *site)
{
	char *cwd = getcwd(NULL, 0);
	int in = !cwd || path_within(dir, cwd) || (site && path_within(dir, site)) || S_dotgit_above(dir) ||
		 S_in_repository(dir);

	free(cwd);
	return in;
}
