/*
 * forge: where a file of the site is on the repository's host. The web
 * pages of GitHub, GitLab and Gitea (Codeberg, Forgejo) differ only in a
 * few path segments: the editor, the commit list of a file and the compare
 * view between two commits, scrolled to one file's diff by an anchor each
 * host makes from a digest of the file's path. The host is site.yaml's repo.host, else told
 * from repo.url's host name; any other host gets no links.
 */
#include "forge.h"

#include <string.h>
#include <strings.h>

#include "escape.h"
#include "ids.h"
#include "util.h"

int forge_host(const struct config *cfg)
{
	const char *u = cfg->repo_url, *host;
	size_t n;

	if (!u)
		return FORGE_NONE;
	if (cfg->repo_host)
		return strcmp(cfg->repo_host, "github") == 0   ? FORGE_GITHUB
		       : strcmp(cfg->repo_host, "gitlab") == 0 ? FORGE_GITLAB
							       : FORGE_GITEA;
	host = strstr(u, "://");
	host = host ? host + 3 : u;
	n = strcspn(host, "/:");
	if ((n == 10 && strncasecmp(host, "github.com", n) == 0) || strncasecmp(host, "github.", 7) == 0)
		return FORGE_GITHUB;
	if ((n == 10 && strncasecmp(host, "gitlab.com", n) == 0) || strncasecmp(host, "gitlab.", 7) == 0)
		return FORGE_GITLAB;
	if ((n == 12 && strncasecmp(host, "codeberg.org", n) == 0) || strncasecmp(host, "gitea.", 6) == 0 ||
	    strncasecmp(host, "forgejo.", 8) == 0)
		return FORGE_GITEA;
	return FORGE_NONE;
}

/* repo.url without a trailing '/' or ".git". */
static void S_repo_base(struct buf *out, const struct config *cfg)
{
	size_t n = strlen(cfg->repo_url);
	while (n && cfg->repo_url[n - 1] == '/')
		n--;
	if (n > 4 && memcmp(cfg->repo_url + n - 4, ".git", 4) == 0)
		n -= 4;
	buf_put(out, cfg->repo_url, n);
}

const char *forge_file_url(struct site *site, int host, const char *sub, const char *path, char what)
{
	static const char *const edit[] = { NULL, "/edit/", "/-/edit/", "/_edit/" };
	static const char *const hist[] = { NULL, "/commits/", "/-/commits/", "/commits/branch/" };
	struct buf b = BUF_INIT;
	const char *r;

	if (host == FORGE_NONE)
		return NULL;
	S_repo_base(&b, site->cfg);
	buf_puts(&b, what == 'e' ? edit[host] : hist[host]);
	escape_url_strict(&b, site->cfg->repo_branch, strlen(site->cfg->repo_branch));
	buf_putc(&b, '/');
	escape_url_strict(&b, sub, strlen(sub));
	escape_url_strict(&b, path, strlen(path));
	r = arena_strdup(&site->arena, buf_cstr(&b));
	buf_release(&b);
	return r;
}

void forge_files_init(struct forge_files *f, const struct site *site, int host, const char *sub)
{
	static const char *const edit[] = { NULL, "/edit/", "/-/edit/", "/_edit/" };
	static const char *const hist[] = { NULL, "/commits/", "/-/commits/", "/commits/branch/" };
	struct buf *b[2];
	size_t i;

	f->host = host;
	buf_init(&f->edit);
	buf_init(&f->hist);
	buf_init(&f->esc);
	f->esc_of = NULL;
	b[0] = &f->edit;
	b[1] = &f->hist;
	for (i = 0; host != FORGE_NONE && i < 2; i++) {
		S_repo_base(b[i], site->cfg);
		buf_puts(b[i], i == 0 ? edit[host] : hist[host]);
		escape_url_strict(b[i], site->cfg->repo_branch, strlen(site->cfg->repo_branch));
		buf_putc(b[i], '/');
		escape_url_strict(b[i], sub, strlen(sub));
	}
	f->nedit = f->edit.len;
	f->nhist = f->hist.len;
}

const char *forge_files_url(struct forge_files *f, struct site *site, const char *path, char what)
{
	return forge_files_url_in(f, &site->arena, path, what);
}

const char *forge_files_url_in(struct forge_files *f, struct arena *arena, const char *path, char what)
{
	struct buf *b = what == 'e' ? &f->edit : &f->hist;
	char *r;

	if (f->host == FORGE_NONE)
		return NULL;
	b->len = what == 'e' ? f->nedit : f->nhist;
	if (path != f->esc_of) {
		buf_reset(&f->esc);
		escape_url_strict(&f->esc, path, strlen(path));
		f->esc_of = path;
	}
	/* made in the arena at once: the address up to the path, then the path */
	r = arena_alloc(arena, b->len + f->esc.len + 1);
	memcpy(r, b->ptr, b->len);
	memcpy(r + b->len, f->esc.ptr, f->esc.len);
	r[b->len + f->esc.len] = '\0';
	return r;
}

void forge_files_release(struct forge_files *f)
{
	buf_release(&f->edit);
	buf_release(&f->hist);
	buf_release(&f->esc);
}

const char *forge_diff_url(struct site *site, int host, const char *from, const char *to, const char *path)
{
	char hex[65];
	struct buf b = BUF_INIT;
	const char *r;

	if (host == FORGE_NONE)
		return NULL;
	S_repo_base(&b, site->cfg);
	buf_printf(&b, "%s/compare/%s...%s", host == FORGE_GITLAB ? "/-" : "", from, to);
	/*
	 * Each host gives a file's diff an id made from its path in the
	 * repository: GitHub "diff-" and the SHA-256 in hex, Gitea (and
	 * Forgejo) "diff-" and the SHA-1, GitLab the SHA-1 alone.
	 */
	ids_digest_hex(hex, host == FORGE_GITHUB, path, strlen(path));
	buf_printf(&b, "#%s%s", host == FORGE_GITLAB ? "" : "diff-", hex);
	r = arena_strdup(&site->arena, buf_cstr(&b));
	buf_release(&b);
	return r;
}
