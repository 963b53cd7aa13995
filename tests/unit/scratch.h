/*
 * scratch.h: a throwaway folder for unit tests that lay out files and
 * repositories with the shell (test_write, test_guard). scratch_make
 * creates it; scratch_sh runs a command inside it; scratch_at names a path
 * in it. Include once, after check.h and util.h.
 */
#ifndef JIXIA_SCRATCH_H
#define JIXIA_SCRATCH_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static char scratch_dir[64];

/* Creates /tmp/jixia-test-NAME-XXXXXX as scratch_dir. 0, or -1 after perror. */
static int scratch_make(const char *name)
{
	snprintf(scratch_dir, sizeof(scratch_dir), "/tmp/jixia-test-%s-XXXXXX", name);
	if (!mkdtemp(scratch_dir)) {
		perror("mkdtemp");
		return -1;
	}
	return 0;
}

/* Runs a shell command built with printf in scratch_dir; its exit status. */
static int scratch_sh(const char *fmt, ...) JX_PRINTF(1, 2);
static int scratch_sh(const char *fmt, ...)
{
	struct buf cmd = BUF_INIT;
	va_list ap;
	int rc;

	buf_printf(&cmd, "cd '%s' && ", scratch_dir);
	va_start(ap, fmt);
	buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	rc = system(cmd.ptr);
	buf_release(&cmd);
	return rc;
}

/* scratch_dir/rel, in one of four static buffers (so one call can take two). */
static const char *scratch_at(const char *rel)
{
	static struct buf b[4] = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT };
	static int next;
	struct buf *p = &b[next++ % 4];
	buf_reset(p);
	buf_printf(p, "%s/%s", scratch_dir, rel);
	return p->ptr;
}

#endif
