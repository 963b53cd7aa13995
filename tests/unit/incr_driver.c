/*
 * incr_driver: builds one site again and again through one struct incr, as
 * jixia serve does between edits, for tests/e2e/incremental.py
 * (INCR_DRIVER). Not a unit test of its own: run.sh runs test_* only.
 *
 *   incr_driver SITE     then lines "build OUT NOW" on stdin (NOW seconds
 *                        since 1970, or "-" for unknown)
 *
 * Answers each with "done RC REUSED PARSED": the build's exit code, how
 * many builds so far reused the history kept by the ones before, and how
 * many pages this build parsed (the rest came from the parse cache).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "diag.h"
#include "incr.h"

int main(int argc, char **argv)
{
	struct incr *in;
	char line[4096], out[4096], now[64];

	if (argc != 2) {
		fprintf(stderr, "usage: incr_driver SITE\n");
		return 2;
	}
	in = incr_new();
	while (fgets(line, sizeof(line), stdin)) {
		struct build_opts o;
		int rc;
		if (sscanf(line, "build %4095s %63s", out, now) != 2)
			break;
		memset(&o, 0, sizeof(o));
		o.dir = argv[1];
		o.out = out;
		o.jobs = 2;
		o.format = DIAG_TEXT;
		o.now = strcmp(now, "-") == 0 ? -1 : atoll(now);
		o.incr = in;
		in->pages_parsed = 0; /* a build stopped before parsing parsed none */
		rc = build_run(&o);
		/* Counts of errors and warnings are the process's: one build's
		 * must not fail the next, as in serve. */
		diag_reset();
		printf("done %d %lu %lu\n", rc, in->reused, in->pages_parsed);
		fflush(stdout);
	}
	incr_free(in);
	return 0;
}
