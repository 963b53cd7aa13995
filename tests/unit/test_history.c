/*
 * test_history: the walk's edge cases, on throwaway repositories made with
 * shell git: a rename with an edit across folders, a file deleted and
 * added again, a page that becomes a folder bundle, a merge commit (first
 * parent), a site in a subfolder with the .mailmap at the repository's top,
 * and a large folder changed at its start, middle and end (the raw tree
 * diff skips the common prefix and suffix), a flat folder whose commits
 * each change entries far apart (the diffs parse only those), and a
 * translation field given as a dotted path.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "contributors.h"
#include "diag.h"
#include "history.h"
#include "l10n.h"
#include "model.h"
#include "parse.h"
#include "source.h"
#include "util.h"

static char S_tmp[] = "/tmp/jixia-test-history-XXXXXX";

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

/* Commits everything in repo (under S_tmp) as NAME <EMAIL> at DATE. */
static void S_commit(const char *repo, const char *name, const char *email, const char *date, const char *msg)
{
	CHECK(S_sh("cd %s/%s && git add -A && GIT_AUTHOR_NAME='%s' GIT_AUTHOR_EMAIL='%s' "
		   "GIT_AUTHOR_DATE='%s' GIT_COMMITTER_DATE='%s' git commit -q -m '%s'",
		   S_tmp, repo, name, email, date, date, msg) == 0);
}

static void S_page(const char *repo, const char *rel, const char *title, const char *body)
{
	CHECK(S_sh("cd %s/%s && mkdir -p \"$(dirname '%s')\" && printf -- '---\\ntitle: %s\\n---\\n%s\\n' > '%s'",
		   S_tmp, repo, rel, title, body, rel) == 0);
}

/* A site read, linked and given its history, as the build does. */
struct built {
	struct source src;
	struct config cfg;
	struct site site;
	struct history *h;
	git_repository *repo; /* lent to the history, freed after it */
};

static int S_build(struct built *b, const char *dir)
{
	struct buf path = BUF_INIT;
	const struct source_file *y;
	size_t i;
	int rc = -1;

	memset(b, 0, sizeof(*b));
	buf_printf(&path, "%s/%s", S_tmp, dir);
	if (source_open(&b->src, path.ptr, NULL, NULL, &b->repo))
		goto done;
	y = source_find(&b->src, "site.yaml");
	if (config_load(&b->cfg, "site.yaml", y ? y->data : NULL, y ? y->len : 0))
		goto done;
	types_load(&b->site.types, &b->cfg);
	b->site.cfg = &b->cfg;
	b->site.src = &b->src;
	b->site.now = -1;
	model_collect(&b->site);
	for (i = 0; i < b->site.npages; i++)
		parse_page(&b->site.pages[i], &b->cfg);
	model_link(&b->site);
	history_open(&b->h, &b->src, &b->repo, 1);
	/* what site_load does at SITE_MODEL, and the build after it */
	rc = contributors_config(&b->site);
	history_apply(b->h, &b->site);
	contributors_apply(&b->site, b->h);
	l10n_status(&b->site);
done:
	buf_release(&path);
	return rc;
}

static void S_release(struct built *b)
{
	history_free(b->h);
	source_repo_free(b->repo);
	model_release(&b->site);
	config_release(&b->cfg);
	source_release(&b->src);
	diag_reset();
}

static const struct page *S_find(const struct built *b, const char *path)
{
	size_t i;
	for (i = 0; i < b->site.npages; i++)
		if (strcmp(b->site.pages[i].path, path) == 0)
			return &b->site.pages[i];
	fprintf(stderr, "no page %s\n", path);
	return NULL;
}

/* Seconds since the epoch of a UTC date "YYYY-MM-DD" at 10:00. */
static long long S_at(int y, int m, int d)
{
	return days_from_civil(y, m, d) * 86400 + 36000;
}

static void test_renames_and_readds(void)
{
	struct built b;
	const struct page *pg;

	CHECK(S_sh("mkdir -p %s/r && cd %s/r && git init -q -b main && printf 'title: T\\n' > site.yaml",
		   S_tmp, S_tmp) == 0);
	S_page("r", "content/docs/a/old.md", "Old",
	       "line one\\nline two\\nline three\\nline four\\nline five");
	S_page("r", "content/docs/gone.md", "Gone", "first life");
	S_page("r", "content/notes/meetup.md", "Meetup", "a single file");
	S_commit("r", "Ann", "ann@example.org", "2024-01-01T10:00:00Z", "one");
	/* moved to another folder and edited in the same commit: similar, not equal */
	CHECK(S_sh("cd %s/r && mkdir -p content/docs/b && git mv content/docs/a/old.md content/docs/b/new.md && "
		   "echo 'line six' >> content/docs/b/new.md && git rm -q content/docs/gone.md && "
		   "mkdir -p content/notes/meetup && git mv content/notes/meetup.md content/notes/meetup/index.md",
		   S_tmp) == 0);
	S_commit("r", "Ben", "ben@example.org", "2024-02-01T10:00:00Z", "two");
	S_page("r", "content/docs/gone.md", "Back", "second life, nothing like the first");
	S_commit("r", "Cat", "cat@example.org", "2024-03-01T10:00:00Z", "three");

	CHECK(S_build(&b, "r") == 0);
	CHECK_INT(history_commits(b.h), 3);
	pg = S_find(&b, "content/docs/b/new.md");
	CHECK(pg && pg->created == S_at(2024, 1, 1));
	CHECK(pg && pg->updated == S_at(2024, 2, 1));
	CHECK(pg && pg->ncommits == 2);
	CHECK(pg && pg->ngit_authors == 2);
	pg = S_find(&b, "content/notes/meetup/index.md");
	CHECK(pg && pg->created == S_at(2024, 1, 1)); /* a file that became a bundle */
	pg = S_find(&b, "content/docs/gone.md");
	CHECK(pg && pg->created == S_at(2024, 3, 1)); /* added again: a new file */
	CHECK(pg && pg->ncommits == 1);
	CHECK(pg && pg->ngit_authors == 1 && strcmp(pg->git_authors[0].who->name, "Cat") == 0);
	/* contributors: Ann created 3 pages of which 2 live on (a doc and an event) */
	CHECK_INT(b.site.ncontributors, 3);
	CHECK(b.site.history == 1);
	S_release(&b);
}

static void test_merge_first_parent(void)
{
	struct built b;
	const struct page *pg;

	CHECK(S_sh("mkdir -p %s/m && cd %s/m && git init -q -b main && printf 'title: T\\n' > site.yaml",
		   S_tmp, S_tmp) == 0);
	S_page("m", "content/faq/q.md", "Q", "v1");
	S_commit("m", "Ann", "ann@example.org", "2024-01-01T10:00:00Z", "one");
	CHECK(S_sh("cd %s/m && git checkout -q -b topic", S_tmp) == 0);
	S_page("m", "content/faq/q.md", "Q", "v2 from the branch");
	S_commit("m", "Dave", "dave@example.org", "2024-01-05T10:00:00Z", "topic work");
	CHECK(S_sh("cd %s/m && git checkout -q main && GIT_AUTHOR_NAME=Erin GIT_AUTHOR_EMAIL=erin@example.org "
		   "GIT_AUTHOR_DATE=2024-01-09T10:00:00Z GIT_COMMITTER_DATE=2024-01-09T10:00:00Z "
		   "git merge -q --no-ff -m merge topic",
		   S_tmp) == 0);
	CHECK(S_build(&b, "m") == 0);
	CHECK_INT(history_commits(b.h), 2); /* the merge and the root: first parent only */
	pg = S_find(&b, "content/faq/q.md");
	CHECK(pg && pg->updated == S_at(2024, 1, 9));
	CHECK(pg && pg->ncommits == 2);
	CHECK(pg && pg->ngit_authors == 2 && strcmp(pg->git_authors[0].who->name, "Ann") == 0 &&
	      strcmp(pg->git_authors[1].who->name, "Erin") == 0);
	S_release(&b);
}

static void test_subfolder_site(void)
{
	struct built b;
	const struct page *pg;

	CHECK(S_sh("mkdir -p %s/s/portal && cd %s/s && git init -q -b main && "
		   "printf 'Ann Lee <ann@example.org> <ann@old.example.org>\\n' > .mailmap && "
		   "printf 'title: T\\nrepo: {url: https://gitlab.com/g/p.git, branch: dev}\\n' > portal/site.yaml",
		   S_tmp, S_tmp) == 0);
	S_page("s/portal", "content/people/ann.md", "Ann", "bio");
	CHECK(S_sh("cd %s/s/portal && printf -- '---\\nname: Ann Lee\\ngit_emails: [ann@example.org]\\n---\\n' "
		   "> content/people/ann.md",
		   S_tmp) == 0);
	S_page("s/portal", "content/docs/中文名.md", "Doc", "text");
	S_commit("s", "ann", "ann@old.example.org", "2024-05-01T10:00:00Z", "one");
	CHECK(S_build(&b, "s/portal") == 0);
	pg = S_find(&b, "content/docs/中文名.md");
	CHECK(pg && pg->created == S_at(2024, 5, 1));
	CHECK(pg && pg->ngit_authors == 1 && pg->git_authors[0].who->person != NULL);
	CHECK(pg && pg->edit_url &&
	      strcmp(pg->edit_url,
		     "https://gitlab.com/g/p/-/edit/dev/portal/content/docs/%E4%B8%AD%E6%96%87%E5%90%8D.md") ==
		      0);
	CHECK(pg && pg->history_url &&
	      strcmp(pg->history_url,
		     "https://gitlab.com/g/p/-/commits/dev/portal/content/docs/%E4%B8%AD%E6%96%87%E5%90%8D.md") ==
		      0);
	pg = S_find(&b, "content/people/ann.md");
	CHECK(pg && pg->contributor && pg->contributor->commits == 1 && pg->contributor->items == 2);
	S_release(&b);
}

/* A folder of 300 pages changed at its start, middle and end, one a commit. */
static void test_large_folder(void)
{
	static const char *const names[] = { "content/faq/f000.md", "content/faq/f150.md",
					     "content/faq/f299.md", "content/faq/a-first.md",
					     "content/faq/z-last.md" };
	struct built b;
	size_t i;
	char date[32];

	CHECK(S_sh("mkdir -p %s/l/content/faq && cd %s/l && git init -q -b main && printf 'title: T\\n' > site.yaml && "
		   "for i in $(seq -w 0 299); do printf -- '---\\ntitle: F%%s\\n---\\n' $i > content/faq/f$i.md; done",
		   S_tmp, S_tmp) == 0);
	S_commit("l", "Ann", "ann@example.org", "2024-01-01T10:00:00Z", "all");
	for (i = 0; i < 5; i++) {
		snprintf(date, sizeof(date), "2024-02-%02zuT10:00:00Z", i + 1);
		if (i < 3)
			CHECK(S_sh("cd %s/l && echo more >> %s", S_tmp, names[i]) == 0);
		else
			S_page("l", names[i], "New", "new");
		S_commit("l", "Ben", "ben@example.org", date, "change");
	}
	CHECK(S_build(&b, "l") == 0);
	for (i = 0; i < 5; i++) {
		const struct page *pg = S_find(&b, names[i]);
		CHECK(pg && pg->updated == S_at(2024, 2, (int)i + 1));
		CHECK(pg && pg->ncommits == (i < 3 ? 2u : 1u));
	}
	CHECK(S_find(&b, "content/faq/f001.md")->ncommits == 1);
	CHECK(S_find(&b, "content/faq/f298.md")->updated == S_at(2024, 1, 1));
	S_release(&b);
}

/*
 * A flat folder of 2,000 files, then 20 commits that each edit its first,
 * a middle and its last file: every edit is found, and the diffs parse a
 * few entries per commit, not the entries between the first and the last
 * change (which made the walk cost commits times the folder's size).
 */
static void test_flat_folder_cost(void)
{
	static const char *const names[] = { "content/faq/f0000.md", "content/faq/f1000.md",
					     "content/faq/f1999.md" };
	struct built b;
	size_t i, k;
	char date[32];

	CHECK(S_sh("mkdir -p %s/w/content/faq && cd %s/w && git init -q -b main && printf 'title: T\n' > site.yaml && "
		   "for i in $(seq -w 0 1999); do printf -- '---\ntitle: F%%s\n---\n' $i > content/faq/f$i.md; done",
		   S_tmp, S_tmp) == 0);
	S_commit("w", "Ann", "ann@example.org", "2024-01-01T10:00:00Z", "all");
	for (i = 0; i < 20; i++) {
		snprintf(date, sizeof(date), "2024-02-%02zuT10:00:00Z", i + 1);
		for (k = 0; k < 3; k++)
			CHECK(S_sh("cd %s/w && echo %zu >> %s", S_tmp, i, names[k]) == 0);
		S_commit("w", "Ben", "ben@example.org", date, "edit");
	}
	CHECK(S_build(&b, "w") == 0);
	for (k = 0; k < 3; k++) {
		const struct page *pg = S_find(&b, names[k]);
		CHECK(pg && pg->ncommits == 21u && pg->updated == S_at(2024, 2, 20));
	}
	CHECK(S_find(&b, "content/faq/f0001.md")->ncommits == 1);
	CHECK(S_find(&b, "content/faq/f1998.md")->ncommits == 1);
	/* the first commit's content/ and its 2,000 files, then per commit
	 * four changed entries on each side (content/'s faq/ and the three
	 * files); one pass over the folder per commit would be 40,000 */
	CHECK(history_compared(b.h) <= 2001 + 20 * 4 * 2);
	S_release(&b);
}

/*
 * A reorganisation: one commit moves 100 pages, 20 bundles and 5 pages
 * that become bundles into other folders, each with an edit. Every page
 * keeps its creation date (paired by name, then by content).
 */
static void test_reorganisation(void)
{
	struct built b;
	const struct page *pg;
	char path[64];
	int i, ok = 1;

	CHECK(S_sh("mkdir -p %s/o && cd %s/o && git init -q -b main && printf 'title: T\\n' > site.yaml && "
		   "mkdir -p content/talks content/events content/notes && "
		   "for i in $(seq -w 0 99); do printf -- '---\\ntitle: Talk %%s\\n---\\nThe talk %%s.\\n"
		   "Its second line.\\nIts third line.\\nAnd a fourth, %%s.\\n' $i $i $i > content/talks/t$i.md; done && "
		   "for i in $(seq -w 0 19); do mkdir content/events/e$i && printf -- '---\\ntitle: Event %%s\\n---\\n"
		   "The event %%s.\\nWhere.\\nWhen.\\nWho, %%s.\\n' $i $i $i > content/events/e$i/index.md; done && "
		   "for i in 0 1 2 3 4; do printf -- '---\\ntitle: Note %%s\\n---\\nThe note %%s.\\nMore of it.\\n"
		   "Yet more.\\nThe end of %%s.\\n' $i $i $i > content/notes/n$i.md; done",
		   S_tmp, S_tmp) == 0);
	S_commit("o", "Ann", "ann@example.org", "2024-01-01T10:00:00Z", "one");
	CHECK(S_sh("cd %s/o && mkdir -p content/archive/talks content/meetups && "
		   "for f in content/talks/*.md; do { cat $f; echo 'An edit.'; } > content/archive/talks/${f##*/} && rm $f; done && "
		   "for d in content/events/*; do mkdir content/meetups/${d##*/} && "
		   "{ cat $d/index.md; echo 'An edit.'; } > content/meetups/${d##*/}/index.md && rm -r $d; done && "
		   "for i in 0 1 2 3 4; do mkdir content/notes/n$i && "
		   "{ cat content/notes/n$i.md; echo 'An edit.'; } > content/notes/n$i/index.md && rm content/notes/n$i.md; done",
		   S_tmp) == 0);
	S_commit("o", "Ben", "ben@example.org", "2024-02-01T10:00:00Z", "reorganise");
	CHECK(S_build(&b, "o") == 0);
	for (i = 0; i < 125; i++) {
		if (i < 100)
			snprintf(path, sizeof(path), "content/archive/talks/t%02d.md", i);
		else if (i < 120)
			snprintf(path, sizeof(path), "content/meetups/e%02d/index.md", i - 100);
		else
			snprintf(path, sizeof(path), "content/notes/n%d/index.md", i - 120);
		pg = S_find(&b, path);
		if (!pg || pg->created != S_at(2024, 1, 1) || pg->updated != S_at(2024, 2, 1) ||
		    pg->ncommits != 2) {
			fprintf(stderr, "%s: history not followed\n", path);
			ok = 0;
		}
	}
	CHECK(ok);
	S_release(&b);
}

/*
 * A Markdown blob over the 1 MiB cap renamed with an edit is not read to
 * compare it (its size comes from the object header): its history is not
 * followed. A small file renamed in the same commit still is.
 */
static void test_rename_size_cap(void)
{
	struct built b;
	const struct page *pg;

	CHECK(S_sh("mkdir -p %s/c/content && cd %s/c && git init -q -b main && printf 'title: T\\n' > site.yaml && "
		   "{ printf -- '---\\ntitle: Big\\n---\\n'; seq 1 170000 | sed 's/^/line /'; } > content/big.md && "
		   "test $(wc -c < content/big.md) -gt 1048576 && "
		   "printf -- '---\\ntitle: A\\n---\\none\\ntwo\\nthree\\nfour\\n' > content/a.md",
		   S_tmp, S_tmp) == 0);
	S_commit("c", "Ann", "ann@example.org", "2024-01-01T10:00:00Z", "one");
	CHECK(S_sh("cd %s/c && head -c 800000 content/big.md > content/small.md && rm content/big.md && "
		   "{ cat content/a.md; echo five; } > content/b.md && rm content/a.md",
		   S_tmp) == 0);
	S_commit("c", "Ben", "ben@example.org", "2024-02-01T10:00:00Z", "two");
	CHECK(S_build(&b, "c") == 0);
	pg = S_find(&b, "content/small.md");
	CHECK(pg && pg->created == S_at(2024, 2, 1) && pg->ncommits == 1);
	pg = S_find(&b, "content/b.md");
	CHECK(pg && pg->created == S_at(2024, 1, 1) && pg->ncommits == 2);
	S_release(&b);
}

/* A .mailmap at the repository's top over the 1 MiB cap is not read. */
static void test_mailmap_size_cap(void)
{
	struct built b;
	const struct page *pg;
	char *text;
	size_t len;
	FILE *f;

	CHECK(S_sh("mkdir -p %s/mm/site && cd %s/mm && git init -q -b main && "
		   "{ printf 'Real Name <ann@example.org>\\n'; yes '# padding' | head -c 2000000; } > .mailmap && "
		   "printf 'title: T\\n' > site/site.yaml",
		   S_tmp, S_tmp) == 0);
	S_page("mm/site", "content/a.md", "A", "text");
	S_commit("mm", "ann", "ann@example.org", "2024-01-01T10:00:00Z", "one");
	CHECK(S_build(&b, "mm/site") == 0);
	pg = S_find(&b, "content/a.md");
	CHECK(pg && pg->ngit_authors == 1 && strcmp(pg->git_authors[0].who->name, "ann") == 0);
	f = open_memstream(&text, &len);
	diag_flush(f, DIAG_TEXT);
	fclose(f);
	CHECK(strstr(text, "the repository's .mailmap is over 1 MiB; it is not used") != NULL);
	free(text);
	S_release(&b);
}

/* A translation field from another tool, as a dotted path: MDN's l10n.sourceCommit. */
static void test_dotted_field(void)
{
	struct built b;
	const struct page *pg;
	char *text;
	size_t len;
	FILE *f;

	CHECK(S_sh("mkdir -p %s/d && cd %s/d && git init -q -b main && printf '"
		   "languages:\n  - {code: en, name: English, default: true}\n  - {code: de, name: Deutsch}\n"
		   "translations: {field: l10n.sourceCommit}\n' > site.yaml",
		   S_tmp, S_tmp) == 0);
	S_page("d", "content/docs/intro.md", "Intro", "v1");
	S_commit("d", "Ann", "ann@example.org", "2024-01-01T10:00:00Z", "one");
	CHECK(S_sh("cd %s/d && printf -- '---\ntitle: Einleitung\nl10n:\n  sourceCommit: %%s\n---\n' "
		   "\"$(git rev-parse HEAD)\" > content/docs/intro.de.md",
		   S_tmp) == 0);
	S_commit("d", "Ben", "ben@example.org", "2024-01-02T10:00:00Z", "translate");
	S_page("d", "content/docs/intro.md", "Intro", "v2");
	S_commit("d", "Ann", "ann@example.org", "2024-01-03T10:00:00Z", "two");
	S_page("d", "content/docs/intro.md", "Intro", "v3");
	S_commit("d", "Ann", "ann@example.org", "2024-01-04T10:00:00Z", "three");
	CHECK(S_build(&b, "d") == 0);
	pg = S_find(&b, "content/docs/intro.de.md");
	CHECK(pg && pg->outdated && pg->outdated->count == 2);
	CHECK(pg && pg->outdated && pg->outdated->date == S_at(2024, 1, 4));
	CHECK_INT(b.site.nl10n, 1);
	CHECK_INT(b.site.l10n[0].total.outdated, 1);
	/* no "unknown field 'l10n'" warning */
	f = open_memstream(&text, &len);
	diag_flush(f, DIAG_TEXT);
	fclose(f);
	CHECK(strstr(text, "l10n") == NULL);
	free(text);
	S_release(&b);
}

int main(void)
{
	if (!mkdtemp(S_tmp)) {
		perror("mkdtemp");
		return 1;
	}
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_COMMITTER_NAME", "Committer", 1);
	setenv("GIT_COMMITTER_EMAIL", "committer@example.org", 1);
	parse_init();
	test_renames_and_readds();
	test_merge_first_parent();
	test_subfolder_site();
	test_large_folder();
	test_flat_folder_cost();
	test_dotted_field();
	test_reorganisation();
	test_rename_size_cap();
	test_mailmap_size_cap();
	S_sh("rm -rf %s", S_tmp);
	return CHECK_DONE("test_history");
}
