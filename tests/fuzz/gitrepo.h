/*
 * gitrepo.h: the fuzz_history and fuzz_ref harnesses' repository maker.
 * The fuzz input is a script, one operation a line, that gitrepo_make()
 * plays into a fresh repository in a temporary folder, writing every
 * object raw through libgit2's object database (so trees and commits can
 * be anything: bad modes, names with '/', 40 digits of mode, authors with
 * ESC). gitrepo_free() removes the folder again.
 *
 *   commit NAME <EMAIL>   ends the commit being made and starts the next
 *                         (author as given: raw bytes, a day later each)
 *   msg TEXT              a line of the commit message (Co-authored-by: ...)
 *   merge                 the commit gets a second parent, two commits back
 *   put PATH TEXT         the file PATH holds TEXT ("content/faq/a.md")
 *   add PATH TEXT         TEXT and a newline are appended to PATH
 *   pad PATH N            N KiB of numbered lines are appended (N <= 1100)
 *   del PATH              PATH and everything under PATH/ go
 *   mv OLD NEW            OLD (a file, or a folder's files) becomes NEW
 *   mode PATH MODE        the mode written for PATH's entry, as given
 *   raw PATH BYTES        the folder PATH is the tree BYTES, verbatim
 *   deep PATH N           PATH/d/d/.../x.md, N folders deep (N <= 300)
 *
 * In every argument \n \t \s (space) \0 \\ and \xHH stand for bytes, and
 * \I and \T for the 20-byte ids of a page's blob and of a tree holding it
 * as x.md (to make raw trees that point at real objects). The first commit
 * (by A U Thor unless the script starts with commit) holds a site.yaml of
 * two languages, which the script may change like any file.
 */
#ifndef JIXIA_FUZZ_GITREPO_H
#define JIXIA_FUZZ_GITREPO_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "util.h"

#define GR_MAX_COMMITS 32
#define GR_MAX_FILES 512
#define GR_MAX_PAD_KIB 2500
#define GR_MAX_DEEP 300

struct gr_file {
	char *path; /* '/'-separated, from the site root */
	struct buf data;
	char *mode; /* written as the entry's mode, or NULL for 100644 */
	int raw;    /* data is the folder's tree, verbatim */
};

struct gitrepo {
	char dir[64];                  /* the repository's folder (a working tree, no checkout) */
	char head[GIT_OID_HEXSZ + 1];  /* hex id of the last commit, "" when none */
	char first[GIT_OID_HEXSZ + 1]; /* hex id of the first commit */
	git_repository *repo;
	git_odb *odb;
	struct gr_file *v;
	size_t n;
	git_oid commits[GR_MAX_COMMITS];
	size_t ncommits;
	git_oid page_blob, page_tree;
	struct buf author, msg; /* of the commit being made */
	int merge;
	size_t pad_kib;
};

static const char GR_SITE_YAML[] = "title: fuzz\nlanguages:\n  - {code: zh, default: true}\n  - {code: en}\n"
				   "repo: {url: https://github.com/o/r, branch: main}\n";
static const char GR_PAGE[] = "---\ntitle: x\n---\nx\n";

/* The argument at *p (up to a space when last is 0), unescaped into out. */
static void gr_arg(struct gitrepo *g, struct buf *out, const char **p, const char *end, int last)
{
	const char *s = *p;
	int hi, lo;

	buf_reset(out);
	while (s < end && (last || *s != ' ')) {
		if (*s != '\\' || s + 1 >= end) {
			buf_putc(out, *s++);
			continue;
		}
		s++;
		switch (*s) {
		case 'n': buf_putc(out, '\n'); break;
		case 't': buf_putc(out, '\t'); break;
		case 's': buf_putc(out, ' '); break;
		case '0': buf_putc(out, '\0'); break;
		case 'I': buf_put(out, g->page_blob.id, GIT_OID_RAWSZ); break;
		case 'T': buf_put(out, g->page_tree.id, GIT_OID_RAWSZ); break;
		case 'x':
			if (s + 2 < end && (hi = (s[1] >= 'a' ? s[1] - 'a' + 10 : s[1] - '0')) >= 0 &&
			    hi < 16 && (lo = (s[2] >= 'a' ? s[2] - 'a' + 10 : s[2] - '0')) >= 0 && lo < 16) {
				buf_putc(out, hi * 16 + lo);
				s += 2;
			} else {
				buf_putc(out, 'x');
			}
			break;
		default: buf_putc(out, *s); break;
		}
		s++;
	}
	if (s < end && *s == ' ')
		s++;
	*p = s;
}

static struct gr_file *gr_find(struct gitrepo *g, const char *path, int raw)
{
	size_t i;
	for (i = 0; i < g->n; i++)
		if (g->v[i].raw == raw && strcmp(g->v[i].path, path) == 0)
			return &g->v[i];
	return NULL;
}

/* The file at path, made empty when new; NULL when the repository is full. */
static struct gr_file *gr_file(struct gitrepo *g, const char *path, int raw)
{
	struct gr_file *f = gr_find(g, path, raw);
	if (f || g->n == GR_MAX_FILES)
		return f;
	f = &g->v[g->n++];
	memset(f, 0, sizeof(*f));
	buf_init(&f->data);
	f->path = xstrdup(path);
	f->raw = raw;
	return f;
}

static void gr_drop(struct gitrepo *g, size_t i)
{
	free(g->v[i].path);
	free(g->v[i].mode);
	buf_release(&g->v[i].data);
	g->v[i] = g->v[--g->n];
}

/* Whether path is prefix itself or under prefix/. */
static int gr_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static int gr_path_cmp(const void *pa, const void *pb)
{
	const struct gr_file *a = *(const struct gr_file *const *)pa, *b = *(const struct gr_file *const *)pb;
	int c = strcmp(a->path, b->path);
	return c ? c : a->raw - b->raw;
}

/*
 * Writes the tree of the files v[0..n) (sorted, all under prefix, which is
 * "" or ends in '/') into *out.
 */
static int gr_tree(struct gitrepo *g, git_oid *out, struct gr_file **v, size_t n, const char *prefix)
{
	struct buf body = BUF_INIT, sub = BUF_INIT;
	size_t plen = strlen(prefix), i = 0, j, len;
	git_oid id;
	int rc = -1;

	while (i < n) {
		const char *rest = v[i]->path + plen, *slash = strchr(rest, '/');
		const char *mode = v[i]->mode;
		len = slash ? (size_t)(slash - rest) : strlen(rest);
		if (slash) {
			/* a folder: every file under rest/, unless a raw tree stands there */
			buf_reset(&sub);
			buf_put(&sub, v[i]->path, plen + len);
			for (j = i; j < n && strncmp(v[j]->path, sub.ptr, sub.len) == 0 &&
				    v[j]->path[sub.len] == '/';
			     j++)
				;
			if (!gr_find(g, sub.ptr, 1)) {
				buf_putc(&sub, '/');
				if (gr_tree(g, &id, v + i, j - i, sub.ptr) < 0)
					goto done;
				buf_printf(&body, "40000 %.*s", (int)len, rest);
				buf_putc(&body, '\0');
				buf_put(&body, id.id, GIT_OID_RAWSZ);
			}
			i = j;
			continue;
		}
		if (git_odb_write(&id, g->odb, v[i]->data.ptr, v[i]->data.len,
				  v[i]->raw ? GIT_OBJECT_TREE : GIT_OBJECT_BLOB) < 0)
			goto done;
		buf_printf(&body, "%s %.*s", mode ? mode : v[i]->raw ? "40000" : "100644", (int)len, rest);
		buf_putc(&body, '\0');
		buf_put(&body, id.id, GIT_OID_RAWSZ);
		i++;
	}
	rc = git_odb_write(out, g->odb, body.ptr, body.len, GIT_OBJECT_TREE);
done:
	buf_release(&body);
	buf_release(&sub);
	return rc;
}

/* Writes the commit being made (none past GR_MAX_COMMITS). */
static int gr_commit(struct gitrepo *g)
{
	struct gr_file **v;
	struct buf c = BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid tree;
	size_t i;
	int rc = -1;

	if (g->ncommits == GR_MAX_COMMITS)
		return 0;
	v = xmalloc((g->n ? g->n : 1) * sizeof(*v));
	for (i = 0; i < g->n; i++)
		v[i] = &g->v[i];
	qsort(v, g->n, sizeof(*v), gr_path_cmp);
	if (gr_tree(g, &tree, v, g->n, "") < 0)
		goto done;
	git_oid_tostr(hex, sizeof(hex), &tree);
	buf_printf(&c, "tree %s\n", hex);
	if (g->ncommits) {
		git_oid_tostr(hex, sizeof(hex), &g->commits[g->ncommits - 1]);
		buf_printf(&c, "parent %s\n", hex);
	}
	if (g->merge && g->ncommits >= 2) {
		git_oid_tostr(hex, sizeof(hex), &g->commits[g->ncommits - 2]);
		buf_printf(&c, "parent %s\n", hex);
	}
	buf_puts(&c, "author ");
	buf_put(&c, g->author.ptr, g->author.len);
	buf_printf(&c, " %lld +0000\ncommitter Fuzz <fuzz@example.org> %lld +0000\n\n",
		   1600000000LL + 86400LL * (long long)g->ncommits,
		   1600000000LL + 86400LL * (long long)g->ncommits);
	buf_put(&c, g->msg.ptr, g->msg.len);
	if (git_odb_write(&g->commits[g->ncommits], g->odb, c.ptr, c.len, GIT_OBJECT_COMMIT) < 0)
		goto done;
	g->ncommits++;
	rc = 0;
done:
	free(v);
	buf_release(&c);
	g->merge = 0;
	buf_reset(&g->msg);
	return rc;
}

/* One line of the script. */
static int gr_op(struct gitrepo *g, const char *s, const char *end)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	const char *op = s, *sp = memchr(s, ' ', (size_t)(end - s));
	size_t oplen = sp ? (size_t)(sp - s) : (size_t)(end - s), i, n;
	struct gr_file *f;
	long k;
	int rc = 0;

#define GR_IS(w) (oplen == strlen(w) && memcmp(op, w, oplen) == 0)
	s = sp ? sp + 1 : end;
	if (GR_IS("commit")) {
		if ((rc = gr_commit(g)) < 0)
			goto done;
		gr_arg(g, &g->author, &s, end, 1);
		goto done;
	}
	if (GR_IS("msg")) {
		gr_arg(g, &a, &s, end, 1);
		buf_put(&g->msg, a.ptr, a.len);
		buf_putc(&g->msg, '\n');
	} else if (GR_IS("merge")) {
		g->merge = 1;
	} else if (GR_IS("put") || GR_IS("add")) {
		gr_arg(g, &a, &s, end, 0);
		gr_arg(g, &b, &s, end, 1);
		if ((f = gr_file(g, a.ptr, 0)) != NULL) {
			if (GR_IS("put"))
				buf_reset(&f->data);
			buf_put(&f->data, b.ptr, b.len);
			if (GR_IS("add"))
				buf_putc(&f->data, '\n');
		}
	} else if (GR_IS("pad")) {
		gr_arg(g, &a, &s, end, 0);
		gr_arg(g, &b, &s, end, 1);
		n = (size_t)strtoul(b.ptr, NULL, 10);
		if (n > 1100 || g->pad_kib + n > GR_MAX_PAD_KIB || !(f = gr_file(g, a.ptr, 0)))
			goto done;
		g->pad_kib += n;
		for (k = 0; f->data.len < n * 1024 + 32 && n; k++)
			buf_printf(&f->data, "line %ld of the padding\n", k);
	} else if (GR_IS("del")) {
		gr_arg(g, &a, &s, end, 1);
		for (i = g->n; i-- > 0;)
			if (gr_under(g->v[i].path, a.ptr))
				gr_drop(g, i);
	} else if (GR_IS("mv")) {
		gr_arg(g, &a, &s, end, 0);
		gr_arg(g, &b, &s, end, 1);
		for (i = 0; i < g->n; i++) {
			struct buf to = BUF_INIT;
			if (!gr_under(g->v[i].path, a.ptr))
				continue;
			buf_puts(&to, b.ptr);
			buf_puts(&to, g->v[i].path + strlen(a.ptr));
			free(g->v[i].path);
			g->v[i].path = buf_detach(&to, NULL);
		}
	} else if (GR_IS("mode")) {
		gr_arg(g, &a, &s, end, 0);
		gr_arg(g, &b, &s, end, 1);
		if ((f = gr_find(g, a.ptr, 0)) != NULL || (f = gr_find(g, a.ptr, 1)) != NULL) {
			free(f->mode);
			f->mode = xstrdup(b.ptr);
		}
	} else if (GR_IS("raw")) {
		gr_arg(g, &a, &s, end, 0);
		gr_arg(g, &b, &s, end, 1);
		if ((f = gr_file(g, a.ptr, 1)) != NULL) {
			buf_reset(&f->data);
			buf_put(&f->data, b.ptr, b.len);
		}
	} else if (GR_IS("deep")) {
		gr_arg(g, &a, &s, end, 0);
		gr_arg(g, &b, &s, end, 1);
		n = (size_t)strtoul(b.ptr, NULL, 10);
		if (n > GR_MAX_DEEP)
			goto done;
		for (i = 0; i < n; i++)
			buf_puts(&a, "/d");
		buf_puts(&a, "/x.md");
		if ((f = gr_file(g, a.ptr, 0)) != NULL) {
			buf_reset(&f->data);
			buf_puts(&f->data, GR_PAGE);
		}
	}
done:
#undef GR_IS
	buf_release(&a);
	buf_release(&b);
	return rc;
}

/* Plays the script into a new repository; 0, or -1 when libgit2 fails. */
static int gitrepo_make(struct gitrepo *g, const char *script, size_t len)
{
	const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	const char *s = script, *end = script + len, *nl;
	struct gr_file *f;
	git_reference *ref = NULL;
	struct buf t = BUF_INIT;
	int rc = -1;

	memset(g, 0, sizeof(*g));
	buf_init(&g->author);
	buf_init(&g->msg);
	g->v = xcalloc(GR_MAX_FILES, sizeof(*g->v));
	snprintf(g->dir, sizeof(g->dir), "%s/jixia-fuzz-XXXXXX", tmp);
	if (!mkdtemp(g->dir)) {
		g->dir[0] = '\0';
		return -1;
	}
	if (git_repository_init(&g->repo, g->dir, 0) < 0 || git_repository_odb(&g->odb, g->repo) < 0 ||
	    git_odb_write(&g->page_blob, g->odb, GR_PAGE, strlen(GR_PAGE), GIT_OBJECT_BLOB) < 0)
		goto done;
	buf_puts(&t, "100644 x.md");
	buf_putc(&t, '\0');
	buf_put(&t, g->page_blob.id, GIT_OID_RAWSZ);
	if (git_odb_write(&g->page_tree, g->odb, t.ptr, t.len, GIT_OBJECT_TREE) < 0)
		goto done;
	f = gr_file(g, "site.yaml", 0);
	buf_puts(&f->data, GR_SITE_YAML);
	buf_puts(&g->author, "A U Thor <author@example.org>");
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (gr_op(g, s, nl ? nl : end) < 0)
			goto done;
		s = nl ? nl + 1 : end;
	}
	if (gr_commit(g) < 0 || !g->ncommits)
		goto done;
	git_oid_tostr(g->head, sizeof(g->head), &g->commits[g->ncommits - 1]);
	git_oid_tostr(g->first, sizeof(g->first), &g->commits[0]);
	if (git_reference_create(&ref, g->repo, "refs/heads/main", &g->commits[g->ncommits - 1], 1, NULL) <
		    0 ||
	    git_repository_set_head(g->repo, "refs/heads/main") < 0)
		goto done;
	rc = 0;
done:
	git_reference_free(ref);
	buf_release(&t);
	return rc;
}

/* Removes path and all it holds (the repository is a few levels deep). */
static void gr_rm(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	struct buf sub = BUF_INIT;

	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		buf_reset(&sub);
		buf_printf(&sub, "%s/%s", path, e->d_name);
		if (unlink(sub.ptr) < 0)
			gr_rm(sub.ptr);
	}
	if (d)
		closedir(d);
	rmdir(path);
	buf_release(&sub);
}

static void gitrepo_free(struct gitrepo *g)
{
	while (g->n)
		gr_drop(g, g->n - 1);
	free(g->v);
	buf_release(&g->author);
	buf_release(&g->msg);
	git_odb_free(g->odb);
	git_repository_free(g->repo);
	if (g->dir[0])
		gr_rm(g->dir);
	memset(g, 0, sizeof(*g));
}

#endif
