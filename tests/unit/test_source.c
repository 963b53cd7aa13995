/*
 * test_source: the site's files from the working tree and from commits.
 * Builds a throwaway git repository with shell git (two commits, a branch,
 * a committed symlink, a subfolder site), then checks that both modes see
 * the same files, that --ref accepts only HEAD, full names and hex ids, and
 * that symlinks, unsafe names, hostile trees and oversized files are
 * reported and left out.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "check.h"
#include "diag.h"
#include "source.h"
#include "util.h"

static char S_tmp[] = "/tmp/jixia-test-source-XXXXXX";

/* Runs a shell command built with printf; returns its exit status. */
static int S_sh(const char *fmt, ...) JX_PRINTF(1, 2);
static int S_sh(const char *fmt, ...)
{
	struct buf cmd = BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	rc = system(cmd.ptr);
	if (rc != 0)
		fprintf(stderr, "command failed (%d): %s\n", rc, cmd.ptr);
	buf_release(&cmd);
	return rc;
}

/* Writes s to S_tmp/rel, creating parent directories. */
static void S_write(const char *rel, const char *s)
{
	struct buf path = BUF_INIT;
	FILE *f;
	char *slash;

	buf_printf(&path, "%s/%s", S_tmp, rel);
	for (slash = strchr(path.ptr + strlen(S_tmp) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path.ptr, 0777);
		*slash = '/';
	}
	f = fopen(path.ptr, "wb");
	CHECK(f != NULL);
	if (f) {
		fputs(s, f);
		fclose(f);
	}
	buf_release(&path);
}

/* The first line of a file under S_tmp (a commit id), into out[41]. */
static void S_read_line(char *out, const char *rel)
{
	struct buf path = BUF_INIT;
	FILE *f;

	out[0] = '\0';
	buf_printf(&path, "%s/%s", S_tmp, rel);
	f = fopen(path.ptr, "r");
	if (f) {
		if (!fgets(out, 41, f))
			out[0] = '\0';
		fclose(f);
	}
	out[strcspn(out, "\n")] = '\0';
	buf_release(&path);
}

/* The pending diagnostics as text (caller frees); they are forgotten. */
static char *S_diags(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	diag_flush(f, DIAG_TEXT);
	fclose(f);
	return text;
}

static int S_has_diag(const char *want)
{
	char *text = S_diags();
	int found = strstr(text, want) != NULL;
	if (!found)
		fprintf(stderr, "diagnostics lack \"%s\":\n%s", want, text);
	free(text);
	return found;
}

static const char *S_data(const struct source *src, const char *path)
{
	const struct source_file *f = source_find(src, path);
	return f ? f->data : NULL;
}

/* Opens dir at ref (relative to S_tmp), expecting success. */
static int S_open(struct source *src, const char *rel, const char *ref, const struct source_limits *limits)
{
	struct buf dir = BUF_INIT;
	git_repository *repo = NULL;
	int rc;

	buf_printf(&dir, "%s/%s", S_tmp, rel);
	rc = source_open(src, dir.ptr, ref, limits, &repo);
	CHECK(ref || !repo); /* a working tree is read without git */
	source_repo_free(repo);
	buf_release(&dir);
	return rc;
}

static int S_same(const struct source *a, const struct source *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		if (strcmp(a->files[i].path, b->files[i].path) != 0 || a->files[i].len != b->files[i].len ||
		    memcmp(a->files[i].data, b->files[i].data, a->files[i].len) != 0)
			return 0;
	}
	return 1;
}

static void S_make_repo(void)
{
	S_write("repo/site.yaml", "title: Test\n");
	S_write("repo/content/index.md", "# Home v1\n");
	S_write("repo/content/faq/a.md", "A\n");
	S_write("repo/content/faq/b.md", "B\n");
	S_write("repo/content/.gitkeep", "");
	S_write("repo/content/z.md", "Z\r\n");
	S_write("repo/layouts/page.html", "<p>{{content}}</p>\n");
	S_write("repo/assets/style.css", "body{}\n");
	S_write("repo/README.md", "not part of the site\n");
	S_write("repo/.mailmap", "T <t@x>\n");
	S_write("repo/site/site.yaml", "title: Sub\n");
	S_write("repo/site/content/x.md", "x1\n");
	CHECK_INT(S_sh("cd %s/repo && ln -s ../site.yaml content/link.md && "
		       "git init -q -b main . && git config core.autocrlf false && "
		       "git add -A && git -c user.name=t -c user.email=t@x "
		       "-c commit.gpgsign=false commit -q -m one && "
		       "git rev-parse HEAD > ../c1",
		       S_tmp),
		  0);
	S_write("repo/content/index.md", "# Home v2\n");
	S_write("repo/site/content/x.md", "x2\n");
	CHECK_INT(S_sh("cd %s/repo && git add -A && git -c user.name=t "
		       "-c user.email=t@x -c commit.gpgsign=false commit -q -m two "
		       "&& git rev-parse HEAD > ../c2 && git tag v1 HEAD~1",
		       S_tmp),
		  0);
}

static void test_worktree(void)
{
	static const char *const want[] = {
		".mailmap",         "assets/style.css", "content/faq/a.md",  "content/faq/b.md",
		"content/index.md", "content/z.md",     "layouts/page.html", "site.yaml",
	};
	struct source src;
	size_t i, first, n;

	diag_reset();
	CHECK_INT(S_open(&src, "repo", NULL, NULL), 0);
	CHECK_INT(src.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < src.n && i < sizeof(want) / sizeof(want[0]); i++)
		CHECK_STR(src.files[i].path, want[i]);
	CHECK_STR(src.commit, "");
	CHECK(src.ref == NULL);
	CHECK_STR(S_data(&src, "content/index.md"), "# Home v2\n");
	CHECK_STR(S_data(&src, "content/z.md"), "Z\r\n");
	CHECK_INT(source_find(&src, "content/z.md")->len, 3);
	CHECK_STR(S_data(&src, "site.yaml"), "title: Test\n");
	CHECK(source_find(&src, "README.md") == NULL);
	CHECK(source_find(&src, "content/link.md") == NULL);
	CHECK(source_find(&src, "content/.gitkeep") == NULL);
	CHECK(source_find(&src, "content") == NULL);
	CHECK(source_find(&src, "zzz") == NULL);
	CHECK(source_find(&src, "") == NULL);

	n = source_prefix(&src, "content/", &first);
	CHECK_INT(n, 4);
	CHECK_INT(first, 2);
	n = source_prefix(&src, "content/faq/", &first);
	CHECK_INT(n, 2);
	CHECK_STR(src.files[first].path, "content/faq/a.md");
	n = source_prefix(&src, "content/faq/b", &first);
	CHECK_INT(n, 1);
	CHECK_STR(src.files[first].path, "content/faq/b.md");
	n = source_prefix(&src, "", &first);
	CHECK_INT(n, src.n);
	CHECK_INT(first, 0);
	n = source_prefix(&src, "nothing/", &first);
	CHECK_INT(n, 0);
	n = source_prefix(&src, "zzz", &first);
	CHECK_INT(n, 0);
	CHECK_INT(first, src.n);

	CHECK_INT(diag_errors(), 0);
	CHECK_INT(diag_warnings(), 1);
	CHECK(S_has_diag("content/link.md: warning: symbolic link is not followed"));
	source_release(&src);
	CHECK(src.files == NULL && src.n == 0);
	source_release(&src);
}

static void test_refs(void)
{
	struct source wt, head, src;
	char c1[41], c2[41], short1[8];

	S_read_line(c1, "c1");
	S_read_line(c2, "c2");
	CHECK_INT(strlen(c1), 40);
	CHECK_INT(strlen(c2), 40);
	memcpy(short1, c1, 7);
	short1[7] = '\0';

	/* A clean tree: the working tree and HEAD agree byte for byte. */
	diag_reset();
	CHECK_INT(S_open(&wt, "repo", NULL, NULL), 0);
	CHECK_INT(S_open(&head, "repo", "HEAD", NULL), 0);
	CHECK(S_same(&wt, &head));
	CHECK_STR(head.commit, c2);
	CHECK_STR(head.ref, "HEAD");
	CHECK_INT(diag_errors(), 0);
	CHECK(S_has_diag("content/link.md: warning: symbolic link is not followed"));

	CHECK_INT(S_open(&src, "repo", c1, NULL), 0);
	CHECK_STR(src.commit, c1);
	CHECK_STR(S_data(&src, "content/index.md"), "# Home v1\n");
	CHECK_INT(src.n, head.n);
	source_release(&src);

	CHECK_INT(S_open(&src, "repo", short1, NULL), 0);
	CHECK_STR(src.commit, c1);
	CHECK_STR(S_data(&src, "content/index.md"), "# Home v1\n");
	source_release(&src);

	CHECK_INT(S_open(&src, "repo", "refs/heads/main", NULL), 0);
	CHECK(S_same(&src, &head));
	CHECK_STR(src.commit, c2);
	source_release(&src);

	CHECK_INT(S_open(&src, "repo", "refs/tags/v1", NULL), 0);
	CHECK_STR(src.commit, c1);
	CHECK_STR(S_data(&src, "content/index.md"), "# Home v1\n");
	source_release(&src);

	/* An uncommitted edit is seen by the working tree only. */
	S_write("repo/content/index.md", "# Home draft\n");
	S_write("repo/content/new.md", "new\n");
	source_release(&wt);
	CHECK_INT(S_open(&wt, "repo", NULL, NULL), 0);
	CHECK_STR(S_data(&wt, "content/index.md"), "# Home draft\n");
	CHECK_STR(S_data(&wt, "content/new.md"), "new\n");
	source_release(&head);
	CHECK_INT(S_open(&head, "repo", "HEAD", NULL), 0);
	CHECK_STR(S_data(&head, "content/index.md"), "# Home v2\n");
	CHECK(source_find(&head, "content/new.md") == NULL);
	CHECK(!S_same(&wt, &head));
	CHECK_INT(S_sh("cd %s/repo && git checkout -q -- content/index.md && "
		       "rm content/new.md",
		       S_tmp),
		  0);
	source_release(&wt);
	source_release(&head);
	diag_reset();
}

static void test_refused(void)
{
	static const char *const refused[] = {
		"main~1",
		"HEAD^",
		"a..b",
		"@{u}",
		":/foo",
		"main",
		"HEAD~0",
		"refs/heads/main~1",
		"refs/heads/a..b",
		"refs/heads/x@{1}",
		"refs/",
		"abc",
		"",
		"head",
		"v1",
		"0123456789abcdef0123456789abcdef01234567a",
		"ref\x1b[31m",
	};
	static const char *const unknown[] = {
		"refs/heads/nope",
		"refs/tags/nope",
		"deadbeef",
		"0000000000000000000000000000000000000000",
	};
	struct source src;
	size_t i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		diag_reset();
		CHECK_INT(S_open(&src, "repo", refused[i], NULL), -1);
		CHECK(src.files == NULL && src.root == NULL);
		CHECK_INT(diag_errors(), 1);
		CHECK(S_has_diag("is not a full reference name (refs/...) or a commit id"));
	}
	diag_reset();
	CHECK_INT(S_open(&src, "repo", "main~2", NULL), -1);
	CHECK(S_has_diag("jixia: error: --ref 'main~2' is not a full reference "
			 "name (refs/...) or a commit id\n"));
	CHECK_INT(S_open(&src, "repo", "ref\x1b[31m", NULL), -1);
	CHECK(S_has_diag("--ref 'ref\\x1b[31m' is not"));

	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		diag_reset();
		CHECK_INT(S_open(&src, "repo", unknown[i], NULL), -1);
		CHECK_INT(diag_errors(), 1);
	}
	diag_reset();
	/* A tree id is an object, but not a commit. */
	CHECK_INT(S_sh("cd %s/repo && git rev-parse HEAD^{tree} > ../tree", S_tmp), 0);
	{
		char tree[41];
		S_read_line(tree, "tree");
		CHECK_INT(S_open(&src, "repo", tree, NULL), -1);
		CHECK(S_has_diag("is a tree, not a commit"));
	}
	/* No repository at all, and a repository with no commits. */
	diag_reset();
	S_write("plain/site.yaml", "x: 1\n");
	CHECK_INT(S_open(&src, "plain", "HEAD", NULL), -1);
	CHECK_INT(diag_errors(), 1);
	CHECK(S_has_diag("plain: error: --ref needs a git repository: "));
	CHECK_INT(S_sh("git init -q %s/empty", S_tmp), 0);
	CHECK_INT(S_open(&src, "empty", "HEAD", NULL), -1);
	CHECK(S_has_diag("no commits yet"));
	diag_reset();
}

static void test_subfolder(void)
{
	struct source wt, head, src;
	char c1[41];

	S_read_line(c1, "c1");
	diag_reset();
	CHECK_INT(S_open(&wt, "repo/site", NULL, NULL), 0);
	CHECK_INT(wt.n, 2);
	CHECK_STR(wt.n ? wt.files[0].path : NULL, "content/x.md");
	CHECK_STR(S_data(&wt, "content/x.md"), "x2\n");
	CHECK_STR(S_data(&wt, "site.yaml"), "title: Sub\n");
	CHECK_INT(S_open(&head, "repo/site", "HEAD", NULL), 0);
	CHECK(S_same(&wt, &head));
	CHECK_INT(S_open(&src, "repo/site", c1, NULL), 0);
	CHECK_STR(S_data(&src, "content/x.md"), "x1\n");
	source_release(&src);
	/* The same folder reached through "..": realpath makes it equal. */
	CHECK_INT(S_open(&src, "repo/content/../site", "HEAD", NULL), 0);
	CHECK(S_same(&src, &head));
	source_release(&src);
	/* A folder that does not exist in the commit. */
	S_write("repo/later/site.yaml", "t: 1\n");
	CHECK_INT(S_open(&src, "repo/later", "HEAD", NULL), -1);
	CHECK(S_has_diag("'later' is not a directory in commit"));
	CHECK_INT(S_open(&src, "repo/later", NULL, NULL), 0);
	CHECK_INT(src.n, 1);
	source_release(&src);
	CHECK_INT(S_sh("rm -r %s/repo/later", S_tmp), 0);
	CHECK_INT(diag_errors(), 1);
	source_release(&wt);
	source_release(&head);
	diag_reset();
}

static void test_symlinks(void)
{
	struct source src;

	diag_reset();
	CHECK_INT(S_sh("cd %s/repo && ln -s /etc/passwd content/evil.md && "
		       "ln -s /etc content/evildir && mkdir -p assets/sub && "
		       "ln -s /etc/passwd assets/sub/p.css",
		       S_tmp),
		  0);
	CHECK_INT(S_open(&src, "repo", NULL, NULL), 0);
	CHECK(source_find(&src, "content/evil.md") == NULL);
	CHECK(source_find(&src, "content/evildir/passwd") == NULL);
	CHECK(source_find(&src, "assets/sub/p.css") == NULL);
	CHECK_INT(src.n, 8);
	CHECK_INT(diag_warnings(), 4);
	CHECK_INT(diag_errors(), 0);
	CHECK(S_has_diag("content/evil.md: warning: symbolic link is not followed"));
	source_release(&src);
	CHECK_INT(S_sh("cd %s/repo && rm content/evil.md content/evildir && "
		       "rm -r assets/sub",
		       S_tmp),
		  0);

	/* A root that is itself a link is not followed either. */
	CHECK_INT(S_sh("mkdir -p %s/linked && ln -s %s/repo/content %s/linked/content "
		       "&& ln -s /etc/hostname %s/linked/site.yaml",
		       S_tmp, S_tmp, S_tmp, S_tmp),
		  0);
	diag_reset();
	CHECK_INT(S_open(&src, "linked", NULL, NULL), 0);
	CHECK_INT(src.n, 0);
	CHECK_INT(diag_warnings(), 2);
	source_release(&src);
	diag_reset();
}

static void test_limits(void)
{
	struct source_limits small = { 16, 24 };
	struct source wt, head;
	char big[64];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	S_write("repo/content/big.md", big);
	S_write("repo/assets/big.css", big);
	S_write("repo/content/small.md", "0123456789abcdef");
	CHECK_INT(S_sh("cd %s/repo && git add -A && git -c user.name=t "
		       "-c user.email=t@x -c commit.gpgsign=false commit -q -m big",
		       S_tmp),
		  0);
	diag_reset();
	CHECK_INT(S_open(&wt, "repo", NULL, &small), 0);
	CHECK(source_find(&wt, "content/big.md") == NULL);
	CHECK(source_find(&wt, "assets/big.css") == NULL);
	CHECK_STR(S_data(&wt, "content/small.md"), "0123456789abcdef");
	CHECK_INT(diag_errors(), 2);
	CHECK_INT(S_open(&head, "repo", "HEAD", &small), 0);
	CHECK(S_same(&wt, &head));
	CHECK_INT(diag_errors(), 4);
	CHECK(S_has_diag("content/big.md: error: file is 63 bytes, over the 16 "
			 "bytes limit for Markdown; skipped"));
	source_release(&wt);
	source_release(&head);

	/* The defaults: 1 MiB for Markdown. */
	{
		FILE *f;
		struct buf path = BUF_INIT;
		size_t i;

		buf_printf(&path, "%s/repo/content/huge.md", S_tmp);
		f = fopen(path.ptr, "wb");
		CHECK(f != NULL);
		for (i = 0; f && i < (size_t)23 * 1024 * 1024 / 10; i++)
			fputc('y', f);
		if (f)
			fclose(f);
		buf_release(&path);
	}
	diag_reset();
	CHECK_INT(S_open(&wt, "repo", NULL, NULL), 0);
	CHECK(source_find(&wt, "content/huge.md") == NULL);
	CHECK(source_find(&wt, "content/big.md") != NULL);
	CHECK(S_has_diag("content/huge.md: error: file is 2.3 MiB, over the 1 MiB "
			 "limit for Markdown; skipped"));
	source_release(&wt);
	CHECK_INT(S_sh("cd %s/repo && rm content/huge.md", S_tmp), 0);
	diag_reset();
}

static void test_unsafe_names(void)
{
	struct source src;
	int i;
	struct buf deep = BUF_INIT;

	S_write("plain/content/ok.md", "ok\n");
	S_write("plain/content/back\\slash.md", "b\n");
	S_write("plain/content/ctl\001.md", "c\n");
	S_write("plain/content/bad\xff.md", "u\n");
	S_write("plain/content/over\xc0\xaf.md", "o\n");
	S_write("plain/content/caf\xc3\xa9.md", "cafe\n");
	S_write("plain/content/.DS_Store", "junk");
	S_write("plain/content/.hidden/x.md", "h\n");
	S_write("plain/content/GIT~1/x.md", "g\n");
	S_write("plain/content/sub/.git/config", "[core]\n");
	S_write("plain/content/sub/x.md", "in a nested repository\n");
	S_write("plain/layouts", "a file where a directory belongs\n");
	S_write("plain/assets/a.css", "a\n");
	buf_puts(&deep, "plain/assets");
	for (i = 0; i < 70; i++)
		buf_puts(&deep, "/d");
	buf_puts(&deep, "/deep.css");
	S_write(deep.ptr, "deep\n");
	buf_release(&deep);
	CHECK_INT(S_sh("mkfifo %s/plain/content/fifo.md", S_tmp), 0);

	diag_reset();
	CHECK_INT(S_open(&src, "plain", NULL, NULL), 0);
	CHECK_INT(src.n, 4);
	CHECK_STR(src.n > 0 ? src.files[0].path : NULL, "assets/a.css");
	CHECK_STR(src.n > 1 ? src.files[1].path : NULL, "content/caf\xc3\xa9.md");
	CHECK_STR(src.n > 2 ? src.files[2].path : NULL, "content/ok.md");
	CHECK_STR(src.n > 3 ? src.files[3].path : NULL, "site.yaml");
	/* backslash, control, two bad UTF-8, GIT~1, layouts, depth */
	CHECK_INT(diag_errors(), 7);
	/* the FIFO, the nested repository */
	CHECK_INT(diag_warnings(), 2);
	{
		char *text = S_diags();
		CHECK(strstr(text, "content/ctl\\x01.md: error: unsafe file name") != NULL);
		CHECK(strstr(text, "content/bad\\xff.md: error") != NULL);
		CHECK(strstr(text, "content/back\\x5cslash.md: error") != NULL);
		CHECK(strstr(text, "layouts: error: expected a directory") != NULL);
		CHECK(strstr(text, "content/sub: warning: submodule") != NULL);
		CHECK(strstr(text, "nested more than 64 deep") != NULL);
		CHECK(strchr(text, '\001') == NULL);
		free(text);
	}
	source_release(&src);

	diag_reset();
	CHECK_INT(S_open(&src, "does-not-exist", NULL, NULL), -1);
	CHECK(S_has_diag("does-not-exist: error: cannot read site directory: "));
	CHECK_INT(S_open(&src, "plain/site.yaml", NULL, NULL), -1);
	diag_reset();
}

/*
 * A tree no honest git would write: .GIT, "..", a backslash, a duplicate
 * name. libgit2 parses it without judging the names, as a crafted push
 * would arrive.
 */
static void test_hostile_tree(void)
{
	static const char *const names[] = {
		".GIT", "..", "a\\b.md", "dup.md", "dup.md", "ok.md", "x\033]0;t\007.md",
	};
	struct buf raw = BUF_INIT, path = BUF_INIT;
	git_repository *repo = NULL;
	git_odb *odb = NULL;
	git_oid blob, tree, top, commit;
	git_treebuilder *tb = NULL;
	git_signature *sig = NULL;
	git_tree *toptree = NULL;
	struct source src;
	size_t i;

	git_libgit2_init();
	buf_printf(&path, "%s/repo", S_tmp);
	CHECK_INT(git_repository_open(&repo, path.ptr), 0);
	CHECK_INT(git_repository_odb(&odb, repo), 0);
	CHECK_INT(git_odb_write(&blob, odb, "evil\n", 5, GIT_OBJECT_BLOB), 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		buf_printf(&raw, "100644 %s", names[i]);
		buf_putc(&raw, '\0');
		buf_put(&raw, blob.id, GIT_OID_RAWSZ);
	}
	CHECK_INT(git_odb_write(&tree, odb, raw.ptr, raw.len, GIT_OBJECT_TREE), 0);
	/* site/content is the crafted tree; site.yaml is honest. */
	CHECK_INT(git_treebuilder_new(&tb, repo, NULL), 0);
	CHECK_INT(git_treebuilder_insert(NULL, tb, "content", &tree, GIT_FILEMODE_TREE), 0);
	CHECK_INT(git_treebuilder_insert(NULL, tb, "site.yaml", &blob, GIT_FILEMODE_BLOB), 0);
	CHECK_INT(git_treebuilder_write(&top, tb), 0);
	CHECK_INT(git_tree_lookup(&toptree, repo, &top), 0);
	CHECK_INT(git_signature_now(&sig, "t", "t@x"), 0);
	CHECK_INT(git_commit_create(&commit, repo, "refs/heads/evil", sig, sig, NULL, "evil", toptree, 0,
				    NULL),
		  0);

	diag_reset();
	CHECK_INT(S_open(&src, "repo", "refs/heads/evil", NULL), 0);
	CHECK_INT(src.n, 3);
	CHECK_STR(src.n > 0 ? src.files[0].path : NULL, "content/dup.md");
	CHECK_STR(src.n > 1 ? src.files[1].path : NULL, "content/ok.md");
	CHECK_STR(src.n > 2 ? src.files[2].path : NULL, "site.yaml");
	/* .GIT, .., backslash, the terminal escape, the duplicate */
	CHECK_INT(diag_errors(), 5);
	{
		char *text = S_diags();
		CHECK(strstr(text, "content/.GIT: error: unsafe name in git tree") != NULL);
		CHECK(strstr(text, "content/..: error: unsafe name in git tree") != NULL);
		CHECK(strstr(text, "content/x\\x1b]0;t\\x07.md: error") != NULL);
		CHECK(strstr(text, "content/dup.md: error: appears twice") != NULL);
		CHECK(strchr(text, '\033') == NULL);
		free(text);
	}
	source_release(&src);
	diag_reset();

	git_signature_free(sig);
	git_tree_free(toptree);
	git_treebuilder_free(tb);
	git_odb_free(odb);
	git_repository_free(repo);
	git_libgit2_shutdown();
	buf_release(&raw);
	buf_release(&path);
}

/*
 * --changed-since with nothing changed: an empty list (no qsort of NULL).
 * It reads through the handle the --ref read opened, not one of its own.
 */
static void test_changed_since_nothing(void)
{
	struct source src;
	struct buf dir = BUF_INIT;
	git_repository *repo = NULL, *opened;
	char **paths = NULL;
	size_t n = 1;

	diag_reset();
	buf_printf(&dir, "%s/repo", S_tmp);
	CHECK_INT(source_open(&src, dir.ptr, "HEAD", NULL, &repo), 0);
	CHECK(repo != NULL);
	opened = repo;
	CHECK_INT(source_changed_since(&paths, &n, &src, src.commit, &repo), 0);
	CHECK(repo == opened);
	CHECK_INT(n, 0);
	free(paths);
	source_release(&src);
	source_repo_free(repo);

	/* a handle no stage opened yet is opened by --changed-since */
	repo = NULL;
	CHECK_INT(source_open(&src, dir.ptr, NULL, NULL, &repo), 0);
	CHECK(repo == NULL);
	CHECK_INT(source_changed_since(&paths, &n, &src, "HEAD", &repo), 0);
	CHECK(repo != NULL);
	free(paths);
	source_release(&src);
	source_repo_free(repo);
	buf_release(&dir);
	diag_reset();
}

/*
 * content/'s folders walked on threads (source_open_jobs): the same files,
 * bytes and reports as one thread's walk; and each file's identity
 * (source_file.ident) from its stat, none for a file changed as the walk
 * began (racy).
 */
static void test_jobs(void)
{
	struct source one, four;
	struct buf dir = BUF_INIT;
	struct stat st;
	char *t1, *t4;
	int i;

	for (i = 0; i < 40; i++) {
		char rel[64], body[32];
		snprintf(rel, sizeof(rel), "pool/content/s%d/d%d/p%d.md", i % 7, i % 3, i);
		snprintf(body, sizeof(body), "page %d\n", i);
		S_write(rel, body);
	}
	S_write("pool/site.yaml", "title: Pool\n");
	S_write("pool/content/top.md", "top\n");
	S_write("pool/content/s1/back\\slash.md", "b\n");
	S_write("pool/content/s2/sub/.git/config", "[core]\n");
	CHECK_INT(S_sh("ln -s ../top.md %s/pool/content/s3/link.md", S_tmp), 0);
	buf_printf(&dir, "%s/pool", S_tmp);
	usleep(200 * 1000); /* the files older than the walk: not racy */
	S_write("pool/content/s4/fresh.md", "written as the walk begins\n");

	diag_reset();
	CHECK_INT(source_open(&one, dir.ptr, NULL, NULL, NULL), 0);
	t1 = S_diags();
	CHECK_INT(source_open_jobs(&four, dir.ptr, NULL, NULL, NULL, 4), 0);
	t4 = S_diags();
	CHECK_INT(four.n, 43);
	CHECK(S_same(&one, &four));
	CHECK_STR(t4, t1);
	CHECK(strstr(t4, "content/s1/back\\x5cslash.md: error") != NULL);
	CHECK(strstr(t4, "content/s3/link.md: warning: symbolic link") != NULL);
	{
		const struct source_file *f = source_find(&four, "content/s0/d0/p0.md");
		const struct source_file *fresh = source_find(&four, "content/s4/fresh.md");
		struct buf path = BUF_INIT;
		buf_printf(&path, "%s/content/s0/d0/p0.md", dir.ptr);
		CHECK(f && stat(path.ptr, &st) == 0 && f->ident[1] == (uint64_t)st.st_ino &&
		      f->ident[2] ==
			      (uint64_t)st.st_mtim.tv_sec * 1000000000u + (uint64_t)st.st_mtim.tv_nsec);
		CHECK(fresh && fresh->ident[0] == 0 && fresh->ident[1] == 0 && fresh->ident[3] == 0);
		buf_release(&path);
	}
	free(t1);
	free(t4);
	source_release(&one);
	source_release(&four);
	buf_release(&dir);
	diag_reset();
}

int main(void)
{
	/* The user's git configuration must not change what the test sees. */
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	if (!mkdtemp(S_tmp)) {
		perror("mkdtemp");
		return 1;
	}
	S_make_repo();
	test_worktree();
	test_refs();
	test_refused();
	test_subfolder();
	test_symlinks();
	test_limits();
	test_unsafe_names();
	test_hostile_tree();
	test_changed_since_nothing();
	test_jobs();
	S_sh("rm -rf %s", S_tmp);
	return CHECK_DONE("test_source");
}
