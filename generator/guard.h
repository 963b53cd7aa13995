/*
 * guard: which symbolic links jixia may follow on the way to the site
 * folder named on the command line (source) and to the output (write). A
 * link that a commit, or an archive of the repository, may have made can
 * point anywhere, so it is refused; only links the user made elsewhere are
 * followed. When it cannot tell, it refuses.
 */
#ifndef JIXIA_GUARD_H
#define JIXIA_GUARD_H

/*
 * Nonzero when a symbolic link in the folder dir (absolute and physical,
 * as realpath gives it) must not be followed: dir is the folder jixia runs
 * in or below it (a CI job runs in the checkout, git or not), is site or
 * below it (site physical too; NULL when not known), a .git of any kind
 * lies in dir or above it, or git's discovery from dir finds a repository:
 * a working tree, a bare one (a commit can hold HEAD, objects/ and refs/
 * in a folder of its own), one owned by another user, or a damaged one.
 * Only "no repository" from libgit2 counts as outside; any other failure,
 * or no current folder, counts as inside. Thread-safe.
 */
int guard_refuse_link(const char *dir, const char *site);

#endif
