/*
 * write: build beside, then swap. The swap is renameat2(RENAME_EXCHANGE)
 * where the kernel has it (one atomic step: readers see the old site or the
 * new, never a mix), else two renames.
 */
#define _GNU_SOURCE
#include "write.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

#define MARKER ".jixia-output"

/* The absolute form of dir, which need not exist yet (its parent must). */
static char *S_absolute(const char *dir)
{
	char *copy1 = xstrdup(dir), *copy2 = xstrdup(dir);
	char *parent, *base, *rp, *res = NULL;

	if ((rp = realpath(dir, NULL)) != NULL) {
		res = xstrdup(rp);
		free(rp);
		goto done;
	}
	parent = dirname(copy1);
	base = basename(copy2);
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || strcmp(base, "/") == 0)
		goto done;
	if ((rp = realpath(parent, NULL)) == NULL)
		goto done;
	{
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s/%s", strcmp(rp, "/") == 0 ? "" : rp, base);
		res = buf_detach(&b, NULL);
	}
	free(rp);
done:
	free(copy1);
	free(copy2);
	return res;
}

/* a is b or inside b. */
static int S_within(const char *a, const char *b)
{
	size_t n = strlen(b);
	if (strcmp(b, "/") == 0)
		return 1;
	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/');
}

static int S_check_place(const char *out, const char *root, const char *given)
{
	static const char *const sources[] = { "content", "layouts", "assets", ".git", "site.yaml", NULL };
	const char *const *s;
	struct buf b = BUF_INIT;
	int rc = 0;

	if (S_within(root, out)) {
		diag_error(NULL, 0, 0, "output folder '%s' is the site folder or holds it; choose a folder of its own, like public/", given);
		return -1;
	}
	for (s = sources; *s && rc == 0; s++) {
		buf_reset(&b);
		buf_printf(&b, "%s/%s", root, *s);
		if (S_within(out, buf_cstr(&b))) {
			diag_error(NULL, 0, 0, "output folder '%s' is inside the source folder %s/; choose a folder of its own, like public/", given, *s);
			rc = -1;
		}
	}
	buf_release(&b);
	return rc;
}

/* An existing output must be a folder that is empty or that jixia made. */
static int S_check_existing(const char *out, const char *given)
{
	struct stat st;
	struct buf marker = BUF_INIT;
	int rc = 0;

	if (lstat(out, &st) != 0)
		return 0;
	if (!S_ISDIR(st.st_mode)) {
		diag_error(NULL, 0, 0, "output '%s' exists and is not a folder", given);
		return -1;
	}
	buf_printf(&marker, "%s/" MARKER, out);
	if (access(buf_cstr(&marker), F_OK) != 0) {
		DIR *d = opendir(out);
		struct dirent *e;
		int empty = 1;
		while (d && (e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				empty = 0;
		if (d)
			closedir(d);
		if (!empty) {
			diag_error(NULL, 0, 0,
				   "output folder '%s' has files jixia did not write (no " MARKER " file); refusing to replace it",
				   given);
			rc = -1;
		}
	}
	buf_release(&marker);
	return rc;
}

int output_begin(struct output *out, const char *dir, const char *site_root)
{
	char *root = realpath(site_root, NULL);
	struct buf tmp = BUF_INIT;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	atomic_init(&out->files, 0);
	atomic_init(&out->bytes, 0);
	out->dir = S_absolute(dir);
	if (!root) {
		diag_error(NULL, 0, 0, "cannot read site folder '%s': %s", site_root, strerror(errno));
		goto done;
	}
	if (!out->dir) {
		diag_error(NULL, 0, 0, "cannot use output folder '%s': its parent folder does not exist", dir);
		goto done;
	}
	if (S_check_place(out->dir, root, dir) || S_check_existing(out->dir, dir))
		goto done;
	{
		char *copy = xstrdup(out->dir);
		char *slash = strrchr(copy, '/');
		*slash = '\0';
		buf_printf(&tmp, "%s/.%s.tmp-XXXXXX", copy, slash + 1);
		free(copy);
	}
	out->tmp = buf_detach(&tmp, NULL);
	if (!mkdtemp(out->tmp)) {
		diag_error(NULL, 0, 0, "cannot create a folder beside '%s': %s", dir, strerror(errno));
		free(out->tmp);
		out->tmp = NULL;
		goto done;
	}
	chmod(out->tmp, 0755);
	if (output_write(out, MARKER, "", 0))
		goto done;
	rc = 0;
done:
	free(root);
	return rc;
}

/* Generated paths are checked once more: a bug must never write outside. */
static int S_rel_ok(const char *rel)
{
	const char *seg = rel;
	if (!*rel || *rel == '/')
		return 0;
	for (;; rel++) {
		if (*rel == '/' || !*rel) {
			size_t n = (size_t)(rel - seg);
			if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
				return 0;
			if (!*rel)
				return 1;
			seg = rel + 1;
		} else if ((unsigned char)*rel < 0x20 || *rel == '\\') {
			return 0;
		}
	}
}

/* Creates the folders of path below its first skip bytes (which exist). */
static int S_mkdirs(char *path, size_t skip)
{
	char *p;
	for (p = strchr(path + skip + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

int output_write(struct output *out, const char *rel, const void *data, size_t len)
{
	struct buf path = BUF_INIT;
	const char *p = data;
	size_t left = len;
	int fd = -1, rc = -1;

	if (!S_rel_ok(rel)) {
		diag_error(NULL, 0, 0, "refusing to write output file '%s'", rel);
		return -1;
	}
	buf_printf(&path, "%s/%s", out->tmp, rel);
	if (S_mkdirs(path.ptr, strlen(out->tmp))) {
		diag_error(NULL, 0, 0, "cannot create folders for '%s': %s", rel, strerror(errno));
		goto done;
	}
	/* O_EXCL: two outputs claiming one file is a bug or a collision to report. */
	fd = open(path.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (errno == EEXIST)
			diag_error(NULL, 0, 0, "two outputs write the same file '%s'", rel);
		else
			diag_error(NULL, 0, 0, "cannot write '%s': %s", rel, strerror(errno));
		goto done;
	}
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			diag_error(NULL, 0, 0, "cannot write '%s': %s", rel, strerror(errno));
			goto done;
		}
		p += w;
		left -= (size_t)w;
	}
	atomic_fetch_add(&out->files, 1);
	atomic_fetch_add(&out->bytes, len);
	rc = 0;
done:
	if (fd >= 0 && close(fd) != 0 && rc == 0) {
		diag_error(NULL, 0, 0, "cannot write '%s': %s", rel, strerror(errno));
		rc = -1;
	}
	buf_release(&path);
	return rc;
}

static int S_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void S_rm_rf(const char *path)
{
	nftw(path, S_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int output_commit(struct output *out)
{
	struct stat st;

	if (lstat(out->dir, &st) != 0) {
		if (rename(out->tmp, out->dir) != 0) {
			diag_error(NULL, 0, 0, "cannot move the new site into '%s': %s", out->dir, strerror(errno));
			return -1;
		}
	} else if (renameat2(AT_FDCWD, out->tmp, AT_FDCWD, out->dir, RENAME_EXCHANGE) != 0) {
		/* No atomic exchange here (old kernel or file system): two renames. */
		struct buf old = BUF_INIT;
		buf_printf(&old, "%s.old", out->tmp);
		if (rename(out->dir, old.ptr) != 0 || rename(out->tmp, out->dir) != 0) {
			diag_error(NULL, 0, 0, "cannot move the new site into '%s': %s", out->dir, strerror(errno));
			buf_release(&old);
			return -1;
		}
		S_rm_rf(old.ptr);
		buf_release(&old);
		free(out->tmp);
		out->tmp = NULL;
		return 0;
	}
	/* After the exchange tmp holds the previous site. */
	if (out->tmp)
		S_rm_rf(out->tmp);
	free(out->tmp);
	out->tmp = NULL;
	return 0;
}

void output_abort(struct output *out)
{
	if (out->tmp)
		S_rm_rf(out->tmp);
	free(out->tmp);
	out->tmp = NULL;
}

void output_release(struct output *out)
{
	output_abort(out);
	free(out->dir);
	out->dir = NULL;
}
