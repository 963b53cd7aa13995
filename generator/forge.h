/*
 * forge: links to a file of the site on the repository's host (GitHub,
 * GitLab, Gitea and its forks): its editor, its commit list, and its diff
 * in the compare view between two commits. Each link is made once per
 * page, in the site's arena.
 */
#ifndef JIXIA_FORGE_H
#define JIXIA_FORGE_H

#include "config.h"
#include "model.h"

/* The hosts whose URL patterns are known; FORGE_NONE gets no links. */
enum { FORGE_NONE, FORGE_GITHUB, FORGE_GITLAB, FORGE_GITEA };

/* The host's URL patterns: repo.host, else told from repo.url's host name; FORGE_NONE without repo.url. */
int forge_host(const struct config *cfg);

/*
 * The editor (what 'e') or commit list ('h') of path (under the site
 * folder sub, "" or "site/") on the branch repo.branch, percent-encoded,
 * in site's arena. NULL for FORGE_NONE.
 */
const char *forge_file_url(struct site *site, int host, const char *sub, const char *path, char what);

/*
 * The same for many paths (every page's): the part before the path made
 * once, each path's appended to it. forge_files_init, then
 * forge_files_url per path (the same bytes as forge_file_url's), then
 * forge_files_release.
 */
struct forge_files {
	int host;
	struct buf edit, hist; /* each address up to the path */
	size_t nedit, nhist;
	struct buf esc;     /* the last path asked, percent-encoded: a page's two addresses encode it once */
	const char *esc_of; /* that path (compared by address) */
};
void forge_files_init(struct forge_files *f, const struct site *site, int host, const char *sub);
const char *forge_files_url(struct forge_files *f, struct site *site, const char *path, char what);
/* The same, made in arena (serve keeps them from load to load: history_apply_kept). */
const char *forge_files_url_in(struct forge_files *f, struct arena *arena, const char *path, char what);
void forge_files_release(struct forge_files *f);

/*
 * The compare view of commits from...to (hex ids) at the diff of one file,
 * path (its path in the repository, as in the newer commit), in site's
 * arena; NULL for FORGE_NONE.
 */
const char *forge_diff_url(struct site *site, int host, const char *from, const char *to, const char *path);

#endif
