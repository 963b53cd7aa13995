/*
 * test_guard: which folders' links are refused. The folder jixia runs in
 * and below, the site and below, git working trees, bare repositories a
 * commit can hold, a checkout owned by another user (libgit2 will not open
 * it: only as root, which can chown; skipped otherwise) and a lost current
 * folder, and a .git file that is malformed or leads nowhere are refused; a
 * plain folder elsewhere is not.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "guard.h"
#include "util.h"
#include "scratch.h"

static void S_test_places(void)
{
	CHECK_INT(scratch_sh("mkdir -p run/sub plain site/sub wt/d && git init -q wt"), 0);
	CHECK_INT(chdir(scratch_at("run")), 0);
	CHECK_INT(guard_refuse_link(scratch_at("plain"), NULL), 0);
	CHECK_INT(guard_refuse_link(scratch_dir, scratch_at("site")), 0);
	/* The folder jixia runs in, and below, git or not. */
	CHECK_INT(guard_refuse_link(scratch_at("run"), NULL), 1);
	CHECK_INT(guard_refuse_link(scratch_at("run/sub"), NULL), 1);
	/* The site, and below. */
	CHECK_INT(guard_refuse_link(scratch_at("site"), scratch_at("site")), 1);
	CHECK_INT(guard_refuse_link(scratch_at("site/sub"), scratch_at("site")), 1);
	CHECK_INT(guard_refuse_link(scratch_at("plain"), scratch_at("site")), 0);
	/* A working tree, from anywhere. */
	CHECK_INT(guard_refuse_link(scratch_at("wt"), NULL), 1);
	CHECK_INT(guard_refuse_link(scratch_at("wt/d"), NULL), 1);
}

/* What a commit can hold: a folder libgit2 opens as a bare repository. */
static void S_test_bare(void)
{
	CHECK_INT(scratch_sh("mkdir -p ck/a/objects ck/a/refs/heads ck/a/sub && "
			     "echo 'ref: refs/heads/main' >ck/a/HEAD && "
			     "printf '[core]\\n\\tbare = true\\n' >ck/a/config"),
		  0);
	CHECK_INT(guard_refuse_link(scratch_at("ck/a"), NULL), 1);
	CHECK_INT(guard_refuse_link(scratch_at("ck/a/sub"), NULL), 1);
	CHECK_INT(guard_refuse_link(scratch_at("ck"), NULL), 0);
}

/* A .git file that is malformed, or names a repository that is not there
 * (a worktree mounted without its repository): still a checkout. */
static void S_test_dotgit_file(void)
{
	CHECK_INT(scratch_sh("mkdir -p bad/d lost/d && echo garbage >bad/.git && "
			     "echo 'gitdir: /nonexistent/.git/worktrees/x' >lost/.git"),
		  0);
	CHECK_INT(guard_refuse_link(scratch_at("bad/d"), NULL), 1);
	CHECK_INT(guard_refuse_link(scratch_at("lost"), NULL), 1);
	CHECK_INT(guard_refuse_link(scratch_at("lost/d"), NULL), 1);
}

/* libgit2 refuses to open a checkout another user owns: that is no answer. */
static void S_test_owner(void)
{
	if (geteuid() != 0) {
		printf("test_guard: skipped the checkout owned by another user (needs root to chown)\n");
		return;
	}
	CHECK_INT(scratch_sh("mkdir -p own/d && git init -q own && chown -R 12345:12345 own"), 0);
	CHECK_INT(guard_refuse_link(scratch_at("own"), NULL), 1);
	CHECK_INT(guard_refuse_link(scratch_at("own/d"), NULL), 1);
}

/* No current folder (removed under jixia): nothing is known to be outside it. */
static void S_test_no_cwd(void)
{
	CHECK_INT(scratch_sh("mkdir gone"), 0);
	CHECK_INT(chdir(scratch_at("gone")), 0);
	CHECK_INT(rmdir(scratch_at("gone")), 0);
	CHECK_INT(guard_refuse_link(scratch_at("plain"), NULL), 1);
	CHECK_INT(chdir(scratch_at("run")), 0);
	CHECK_INT(guard_refuse_link(scratch_at("plain"), NULL), 0);
}

int main(void)
{
	if (scratch_make("guard"))
		return 1;
	S_test_places();
	S_test_bare();
	S_test_dotgit_file();
	S_test_owner();
	S_test_no_cwd();
	if (chdir("/") == 0)
		scratch_sh("cd / && rm -rf '%s'", scratch_dir);
	return CHECK_DONE("test_guard");
}
