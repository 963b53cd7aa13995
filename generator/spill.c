/*
 * spill: the pages' bodies in an unnamed temporary file between parse and
 * render (spill.h). They were the largest part of a cold build's peak
 * memory, held from parsing through the model stage to the render (about
 * 5 KB a page), though only the render reads them.
 */
#define _GNU_SOURCE /* O_TMPFILE */
#include "spill.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "model.h"
#include "util.h"

/* Bodies shorter than this stay in memory: not worth a write and a read each. */
#define S_MIN_BYTES 512

int spill_open(struct spill *s, const char *dir)
{
	memset(s, 0, sizeof(*s));
#ifdef O_TMPFILE
	s->fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
#else
	(void)dir;
	s->fd = -1;
#endif
	return s->fd >= 0 ? 0 : -1;
}

static int S_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strchr(" \t\r\n", p[i]))
			return 0;
	return 1;
}

int spill_worth(const char *p, size_t len)
{
	return len >= S_MIN_BYTES && !S_blank(p, len);
}

void spill_page(struct spill *s, struct page *pg)
{
	uint64_t off;
	size_t done = 0;

	if (!s || s->fd < 0 || !pg->html || pg->parse_shared || pg->html_len < S_MIN_BYTES ||
	    S_blank(pg->html, pg->html_len))
		return;
	off = __atomic_fetch_add(&s->end, (uint64_t)pg->html_len, __ATOMIC_RELAXED);
	while (done < pg->html_len) {
		ssize_t w = pwrite(s->fd, pg->html + done, pg->html_len - done, (off_t)(off + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* the disk is full: this body stays in memory */
		done += (size_t)w;
	}
	__atomic_fetch_add(&s->n, 1, __ATOMIC_RELAXED);
	free(pg->html);
	pg->html = NULL;
	pg->html_spill = s;
	pg->html_off = off;
}

const char *page_html(const struct page *pg, char **owned)
{
	char *b;
	size_t done = 0;
	int err = 0;

	*owned = NULL;
	if (pg->html || !pg->html_spill || pg->html_spill->fd < 0)
		return pg->html ? pg->html : "";
	b = xmalloc(pg->html_len + 1);
	while (done < pg->html_len) {
		ssize_t r = pread(pg->html_spill->fd, b + done, pg->html_len - done,
				  (off_t)(pg->html_off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err = r < 0 ? errno : 0;
			break;
		}
		done += (size_t)r;
	}
	/* the process's own file, or the parse cache's it opened (never cut by a jixia):
	   not expected, but never a page shown without its body */
	if (done < pg->html_len)
		diag_error(pg->path, 0, 0,
			   "cannot read the page's body back from the build's temporary file: %s",
			   err ? strerror(err) : "cut short");
	b[done < pg->html_len ? 0 : pg->html_len] = '\0';
	if (done == pg->html_len && pg->html_spill->check &&
	    pg->html_spill->check(pg->html_spill->check_ctx, pg, b))
		b[0] = '\0'; /* reported: the build fails */
	*owned = b;
	return b;
}

struct spill *spill_file(struct spill *s, int fd)
{
	int d;

	if (!s || s->fd < 0)
		return NULL;
	if (!s->file) {
		if ((d = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0)
			return NULL;
		s->file = xcalloc(1, sizeof(*s->file));
		s->file->fd = d;
	}
	return s->file;
}

int spill_page_at(struct spill *file, struct page *pg, const char *p, size_t len, uint64_t off)
{
	if (!file || file->fd < 0 || len < S_MIN_BYTES || S_blank(p, len))
		return 0;
	__atomic_fetch_add(&file->n, 1, __ATOMIC_RELAXED);
	pg->html = NULL;
	pg->html_len = len;
	pg->html_spill = file;
	pg->html_off = off;
	return 1;
}

void spill_page_unread(struct spill *file, struct page *pg, size_t len, uint64_t off)
{
	__atomic_fetch_add(&file->n, 1, __ATOMIC_RELAXED);
	pg->html = NULL;
	pg->html_len = len;
	pg->html_spill = file;
	pg->html_off = off;
}

unsigned long spill_count(const struct spill *s)
{
	unsigned long n = 0;

	for (; s; s = s->file)
		n += __atomic_load_n(&s->n, __ATOMIC_RELAXED);
	return n;
}

void spill_close(struct spill *s)
{
	if (s->file) {
		spill_close(s->file);
		free(s->file);
		s->file = NULL;
	}
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}
