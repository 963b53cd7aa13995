/*
 * fuzz_history: the history walk over a repository the input describes
 * (see gitrepo.h: commits of files, renames, deletions, crafted modes and
 * raw trees, deep folders, authors and Co-authored-by trailers in any
 * bytes, a .mailmap). The site is read from the last commit as --ref
 * does (for odd-sized inputs it then passes for the working tree), and
 * linked and given its history as the build does.
 * Besides what the sanitizers catch, every contributor's and author's
 * name must be UTF-8 without control characters.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "config.h"
#include "contributors.h"
#include "diag.h"
#include "history.h"
#include "l10n.h"
#include "model.h"
#include "parse.h"
#include "source.h"

#include "gitrepo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether s is valid UTF-8 without C0, DEL or C1 controls. */
static int S_clean(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t n = (utf8proc_ssize_t)strlen(s), i = 0, k;
	utf8proc_int32_t cp;

	while (i < n) {
		if ((k = utf8proc_iterate(p + i, n - i, &cp)) < 0)
			return 0;
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			return 0;
		i += k;
	}
	return 1;
}

static void S_check(const struct site *site)
{
	size_t i, k;

	for (i = 0; i < site->ncontributors; i++)
		if (!S_clean(site->contributors[i].name))
			abort();
	for (i = 0; i < site->npages; i++) {
		const struct page *pg = &site->pages[i];
		for (k = 0; k < pg->ngit_authors; k++)
			if (!S_clean(pg->git_authors[k].who->name))
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	struct gitrepo g;
	struct source src;
	struct config cfg;
	struct site site;
	struct history *h = NULL;
	git_repository *repo = NULL; /* read by the source, lent to the history */
	const struct source_file *y;
	size_t i;

	if (!once) {
		git_libgit2_init(); /* held for the whole run: each input is cheaper */
		parse_init();
		once = 1;
	}
	memset(&src, 0, sizeof(src));
	memset(&cfg, 0, sizeof(cfg));
	memset(&site, 0, sizeof(site));
	if (gitrepo_make(&g, (const char *)data, size) < 0 ||
	    source_open(&src, g.dir, "refs/heads/main", NULL, &repo) < 0)
		goto done;
	/* Half the inputs as a working-tree build of the same files: the walk
	 * starts at HEAD and hashes them against its tree. */
	if (size % 2)
		src.commit[0] = '\0';
	y = source_find(&src, "site.yaml");
	if (!y || config_load(&cfg, "site.yaml", y->data, y->len) != 0)
		goto done;
	types_load(&site.types, &cfg);
	site.cfg = &cfg;
	site.src = &src;
	site.now = 1700000000;
	model_collect(&site);
	for (i = 0; i < site.npages; i++)
		parse_page(&site.pages[i], &cfg);
	model_link(&site);
	history_open(&h, &src, &repo, 1);
	contributors_config(&site);
	history_apply(h, &site);
	contributors_apply(&site, h);
	l10n_status(&site);
	S_check(&site);
done:
	history_free(h);
	source_repo_free(repo);
	if (site.cfg)
		model_release(&site);
	config_release(&cfg);
	source_release(&src);
	gitrepo_free(&g);
	diag_reset();
	return 0;
}
