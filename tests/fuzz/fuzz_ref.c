/*
 * fuzz_ref: the --ref tree reader over a repository the input describes
 * (see gitrepo.h), mostly crafted trees: modes of any digits, names with
 * '/', "..", ".git", control bytes or invalid UTF-8, raw tree bytes,
 * folders hundreds deep, blobs over the caps. Then --changed-since from
 * the first commit. Besides what the sanitizers catch, what the reader
 * keeps must be what it promises: sorted unique paths under its roots,
 * every name safe, every size within its cap.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "diag.h"
#include "source.h"
#include "util.h"

#include "gitrepo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One path component the reader may keep: UTF-8, no controls, no '\', not "." "..". */
static int S_name_ok(const char *s, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t i = 0, k;
	utf8proc_int32_t cp;

	if (!n || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return 0;
	while ((size_t)i < n) {
		if ((k = utf8proc_iterate(p + i, (utf8proc_ssize_t)n - i, &cp)) < 0)
			return 0;
		if (cp < 0x20 || cp == 0x7f || cp == '\\')
			return 0;
		i += k;
	}
	return 1;
}

static void S_check(const struct source *src)
{
	static const char *const roots[] = { ".mailmap", "assets/", "content/", "layouts/", "site.yaml" };
	size_t i, k, depth;
	const char *p, *slash;

	for (i = 0; i < src->n; i++) {
		const struct source_file *f = &src->files[i];
		if (i && strcmp(src->files[i - 1].path, f->path) >= 0)
			abort();
		for (k = 0; k < sizeof(roots) / sizeof(roots[0]); k++)
			if (roots[k][strlen(roots[k]) - 1] == '/'
				    ? strncmp(f->path, roots[k], strlen(roots[k])) == 0
				    : strcmp(f->path, roots[k]) == 0)
				break;
		if (k == sizeof(roots) / sizeof(roots[0]))
			abort();
		for (p = f->path, depth = 0; (slash = strchr(p, '/')) != NULL; p = slash + 1, depth++)
			if (!S_name_ok(p, (size_t)(slash - p)) || *p == '.')
				abort();
		/* the last name: safe, and no dotfile but the top .mailmap */
		if (!S_name_ok(p, strlen(p)) || (*p == '.' && strcmp(f->path, ".mailmap") != 0))
			abort();
		if (depth > SOURCE_MAX_DEPTH + 1)
			abort();
		if (f->len > (str_ends(f->path, ".md") ? SOURCE_MAX_MARKDOWN : SOURCE_MAX_OTHER) ||
		    f->data[f->len] != '\0')
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	struct gitrepo g;
	struct source src;
	git_repository *repo = NULL; /* one handle for both reads, as a build has */
	char **changed = NULL;
	size_t n = 0, i;

	if (!once) {
		git_libgit2_init(); /* held for the whole run: each input is cheaper */
		once = 1;
	}
	memset(&src, 0, sizeof(src));
	if (gitrepo_make(&g, (const char *)data, size) < 0)
		goto done;
	if (source_open(&src, g.dir, size % 2 ? "HEAD" : g.head, NULL, &repo) < 0)
		goto done;
	S_check(&src);
	if (source_changed_since(&changed, &n, &src, g.first, &repo) == 0)
		for (i = 0; i < n; i++)
			free(changed[i]);
	free(changed);
done:
	source_release(&src);
	source_repo_free(repo);
	gitrepo_free(&g);
	diag_reset();
	return 0;
}
