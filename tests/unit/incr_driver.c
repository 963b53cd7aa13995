/*
 * incr_driver: builds one site again and again through one struct incr, as
 * jixia serve does between edits, for tests/e2e/incremental.py
 * (INCR_DRIVER). Not a unit test of its own: run.sh runs test_* only.
 *
 *   incr_driver SITE     then lines "build OUT NOW" on stdin (NOW seconds
 *                        since 1970, or "-" for unknown)
 *
 * Each build goes into memory as serve's does (the outputs that did not
 * change are shared from the site before, rerender.h), then the site in
 * memory is written out to OUT for the test to compare with a cold build
 * (OUT "-": kept in memory only, as serve keeps it; tests/bench/build.py).
 * Answers each with "done RC REUSED RENDERED KEPT PARSED ANSWERS FEEDS
 * READ INDEXED COMPARED DIGESTED CHECKED TERMS": the build's exit code, how many builds so far reused the
 * history kept by the ones before, of this build's HTML outputs how many
 * were rendered and how many shared, how many pages it parsed (the rest came
 * from the parse cache), how many questions' answering commits it read from
 * git (the rest were kept with the history, history_since_kept), how many
 * feeds, calendars and events it shared, how many files it read from disk
 * (the rest came from the source cache), how many pages the search
 * index tokenized again (the rest kept their postings from the index before),
 * how many pages it read whole to compare, and how many pages' files and
 * parse results the render stage digested (the rest kept their digests),
 * how many pages the model checked the fields of (the rest took their
 * checks from the load before, model.h's struct model_memo), 1 when it
 * made the taxonomy terms again (0: the load before's, made from the same);
 * then RESTEPPED and POSTINGS: the index's postings whose step was computed
 * again for a field average's drift, and all its postings; then LOOKED:
 * the pages whose file in the kept history walk was looked up by path
 * (history_index_looked; the others were the same file read as before);
 * then SORTED: the languages whose pages the listings sorted again (the
 * others kept the last build's order, checked: lists_build_kept); then
 * PLANSORTED: 1 when the plan's outputs were sorted by file again (0: the
 * last build's order held, plan_check_kept); then LINKED: the pages
 * whose links were checked again (the rest took the load before's,
 * links.h's links_check_incr); then GATHERED: the pages whose raw
 * taxonomy terms the model gathered again (the rest carried those of the
 * load before); then URLS: the pages whose edit and history addresses
 * were looked up by path or made (the rest were the same file read at
 * the same place: history_apply_kept); then VALUED: the pages whose
 * identity and model values the render stage digested again (the rest
 * took the kept state's digests: rerender.c's S_values_kept); then HEAP:
 * the bytes malloc holds in use after the build (glibc's mallinfo2, all
 * arenas; 0 elsewhere): flat over edits when serve keeps nothing per
 * edit, where its resident memory also counts the arenas' free room.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__ /* (features.h, through stdio.h) */
#include <malloc.h>
#endif

#include "build.h"
#include "diag.h"
#include "incr.h"
#include "memsite.h"
#include "write.h"

/* The site in memory as a folder at out, through the writer jixia build uses. */
static int S_dump(const struct memsite *m, const char *out, const char *site)
{
	struct output o;
	size_t i;
	int rc = -1;

	if (output_begin(&o, out, site))
		goto done;
	for (i = 0; i < m->n; i++)
		if (output_write(&o, m->files[i].path, m->files[i].data, m->files[i].len))
			goto done;
	rc = output_commit(&o);
done:
	output_release(&o);
	return rc;
}

/* The bytes malloc holds in use (HEAP above). */
static size_t S_heap_in_use(void)
{
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 33)
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
#else
	return 0;
#endif
}

int main(int argc, char **argv)
{
	struct incr *in;
	struct memsite *live = NULL;
	char line[4096], out[4096], now[64];

	if (argc != 2) {
		fprintf(stderr, "usage: incr_driver SITE\n");
		return 2;
	}
	in = incr_new();
	while (fgets(line, sizeof(line), stdin)) {
		struct build_opts o;
		struct memsite *m = memsite_new();
		int rc;
		if (sscanf(line, "build %4095s %63s", out, now) != 2) {
			memsite_free(m);
			break;
		}
		memset(&o, 0, sizeof(o));
		o.dir = argv[1];
		o.jobs = 2;
		o.format = DIAG_TEXT;
		o.now = strcmp(now, "-") == 0 ? -1 : atoll(now);
		o.mem = m;
		o.incr = in;
		in->rendered = in->kept = in->feeds_kept = 0;
		in->pages_parsed = 0; /* a build stopped before parsing parsed none */
		in->answers_read = 0;
		in->files_read = 0;
		in->pages_indexed = 0;
		in->pages_compared = 0;
		in->postings_restepped = in->postings = 0;
		in->pages_looked = 0;
		in->lists_sorted = 0;
		in->plan_sorted = 0;
		in->pages_linked = 0;
		in->urls_looked = 0;
		rc = build_run(&o);
		if (rc == 0) {
			if (strcmp(out, "-") != 0 && S_dump(m, out, argv[1]))
				rc = 2;
			memsite_free(live); /* as serve's last snapshot: the new one is served */
			live = m;
		} else {
			memsite_free(m);
		}
		/* Counts of errors and warnings are the process's: one build's
		 * must not fail the next, as in serve. */
		diag_reset();
		printf("done %d %lu %zu %zu %lu %lu %zu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %zu\n",
		       rc, in->reused, in->rendered, in->kept, in->pages_parsed, in->answers_read,
		       in->feeds_kept, in->files_read, in->pages_indexed, in->pages_compared,
		       in->pages_digested, in->pages_checked, in->terms_made, in->postings_restepped,
		       in->postings, in->pages_looked, in->lists_sorted, in->plan_sorted, in->pages_linked,
		       in->terms_gathered, in->urls_looked, in->pages_valued, S_heap_in_use());
		fflush(stdout);
	}
	memsite_free(live);
	incr_free(in);
	return 0;
}
