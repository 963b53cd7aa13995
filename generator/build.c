/*
 * build: stage order, timing and the progress line. Each stage is a call
 * into its own module; this file only decides what runs when, and what a
 * failure means for the rest of the run.
 */
#include "build.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "feeds.h"
#include "history.h"
#include "links.h"
#include "lists.h"
#include "media.h"
#include "model.h"
#include "parse.h"
#include "pool.h"
#include "render.h"
#include "search.h"
#include "source.h"
#include "theme.h"
#include "write.h"

struct stage_clock {
	const struct build_opts *opts;
	int progress;       /* a terminal that wants the one-line display */
	struct timespec t0; /* start of the current stage */
	struct timespec start;
};

static double S_elapsed(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

static void S_stage_begin(struct stage_clock *c, const char *what)
{
	clock_gettime(CLOCK_MONOTONIC, &c->t0);
	if (c->progress) {
		fprintf(stderr, "\r\033[Kjixia: %s...", what);
		fflush(stderr);
	}
}

/* -v: one line per stage with its wall time and what it counted. */
static void S_stage_end(struct stage_clock *c, const char *stage, const char *fmt, ...)
	JX_PRINTF(3, 4);
static void S_stage_end(struct stage_clock *c, const char *stage, const char *fmt, ...)
{
	va_list ap;
	if (!c->opts->verbose)
		return;
	fprintf(stderr, "jixia: %-8s %8.1f ms  ", stage, S_elapsed(&c->t0));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

struct parse_job {
	struct site *site;
};

static void S_parse_job(size_t i, int worker, void *payload)
{
	struct parse_job *job = payload;
	(void)worker;
	parse_page(&job->site->pages[i], job->site->cfg);
}

static int S_finish(struct stage_clock *c, int code)
{
	if (c->progress)
		fputs("\r\033[K", stderr);
	diag_flush(stderr, c->opts->format);
	/* With --changed-since only the reported errors decide. */
	if (c->opts->changed_since && code == 1 && diag_reported_errors() == 0)
		code = 0;
	if (c->opts->verbose)
		fprintf(stderr, "jixia: total    %8.1f ms  %d errors, %d warnings\n",
			S_elapsed(&c->start), diag_errors(), diag_warnings());
	return code;
}

/* The text of a source file, for quoting the offending line. */
static const char *S_source_text(const char *path, size_t *len, void *payload)
{
	const struct source_file *f = source_find(payload, path);
	if (!f)
		return NULL;
	*len = f->len;
	return f->data;
}

/* --changed-since: a diagnostic is shown when its file changed. */
struct changed_set {
	char **paths;
	size_t n;
};

static int S_changed(const char *path, void *payload)
{
	const struct changed_set *c = payload;
	return bsearch(&path, c->paths, c->n, sizeof(*c->paths), str_ptr_cmp) != NULL;
}

int build_run(const struct build_opts *opts)
{
	struct stage_clock clk;
	struct source src;
	struct config cfg;
	struct theme theme;
	struct site site;
	struct output out;
	struct lists lists;
	struct media media;
	struct search_stats sstats;
	struct history *hist = NULL;
	struct source_limits limits = { 0, 0 };
	const struct source_file *site_yaml;
	int jobs = opts->jobs > 0 ? opts->jobs : pool_cpus();
	size_t i, bytes = 0, written = 0;
	struct changed_set changed = { NULL, 0 };
	int code = 1;

	memset(&clk, 0, sizeof(clk));
	memset(&site, 0, sizeof(site));
	memset(&theme, 0, sizeof(theme));
	memset(&out, 0, sizeof(out));
	memset(&lists, 0, sizeof(lists));
	memset(&media, 0, sizeof(media));
	clk.opts = opts;
	clk.progress = !opts->verbose && isatty(2) && !getenv("CI");
	clock_gettime(CLOCK_MONOTONIC, &clk.start);
	diag_set_strict(opts->strict);

	memset(&cfg, 0, sizeof(cfg));
	S_stage_begin(&clk, "reading sources");
	if (source_open(&src, opts->dir, opts->ref, &limits))
		return S_finish(&clk, 2);
	diag_set_text(S_source_text, &src);
	if (opts->changed_since) {
		if (source_changed_since(&changed.paths, &changed.n, &src, opts->changed_since)) {
			code = 2;
			goto done;
		}
		diag_set_filter(S_changed, &changed);
	}
	for (i = 0; i < src.n; i++)
		bytes += src.files[i].len;
	S_stage_end(&clk, "source", "%zu files, %zu bytes%s%s", src.n, bytes,
		    src.commit[0] ? " from commit " : "", src.commit);

	S_stage_begin(&clk, "reading site.yaml");
	site_yaml = source_find(&src, "site.yaml");
	if (config_load(&cfg, "site.yaml", site_yaml ? site_yaml->data : NULL,
			site_yaml ? site_yaml->len : 0)) {
		code = 1;
		goto done;
	}
	/* site.yaml may lower the caps the source was read with. */
	for (i = 0; i < src.n; i++) {
		size_t cap = str_ends(src.files[i].path, ".md") ? cfg.max_markdown : cfg.max_file;
		if (src.files[i].len > cap) {
			diag_error(src.files[i].path, 0, 0, "file is %zu KiB, over the %zu KiB limit set in site.yaml",
				   (src.files[i].len + 1023) / 1024, cap / 1024);
			code = -1;
		}
	}
	if (types_load(&site.types, &cfg))
		code = -1;
	if (theme_load(&theme, &src, &cfg))
		code = -1;
	S_stage_end(&clk, "config", "%zu languages, %zu theme assets", cfg.nlangs, theme.nassets);

	S_stage_begin(&clk, "collecting pages");
	site.cfg = &cfg;
	site.src = &src;
	site.now = opts->now;
	site.drafts = opts->drafts;
	if (model_collect(&site))
		code = -1;
	S_stage_end(&clk, "collect", "%zu pages", site.npages);

	/* jixia check reads no history: translated_from ids are still checked. */
	S_stage_begin(&clk, "reading history");
	history_open(&hist, &src, !opts->check_only);
	S_stage_end(&clk, "history", "%zu commits, %zu files followed", history_commits(hist),
		    history_files(hist));

	S_stage_begin(&clk, "parsing");
	parse_init();
	{
		struct parse_job job = { &site };
		pool_run(jobs, site.npages, S_parse_job, &job);
	}
	S_stage_end(&clk, "parse", "%zu pages on %d threads", site.npages, jobs);

	S_stage_begin(&clk, "linking");
	if (model_link(&site))
		code = -1;
	if (history_apply(hist, &site))
		code = -1;
	history_free(hist); /* what it found is in the model now */
	hist = NULL;

	lists_build(&lists, &site);
	if (media_plan(&media, &site, &theme, &lists))
		code = -1;
	if (links_check(&site, &lists, &media))
		code = -1;
	S_stage_end(&clk, "model", "%zu pages published, %zu listings, %zu terms, %zu files",
		    site.npages, lists.n, site.nterms, media.nout);
	if (diag_errors() > 0 || code == -1) {
		code = 1;
		goto done;
	}
	if (opts->check_only) {
		code = 0;
		goto done;
	}

	S_stage_begin(&clk, "rendering");
	/* -o as given, else DIR/public (opts->out NULL). */
	if (output_begin(&out, opts->out, opts->dir)) {
		code = 2;
		goto done;
	}
	if (render_site(&site, &theme, &lists, &out, jobs, &written) || diag_errors() > 0) {
		output_abort(&out);
		code = 1;
		goto done;
	}
	S_stage_end(&clk, "render", "%zu pages, %zu files, %zu bytes written", written,
		    (size_t)atomic_load(&out.files), (size_t)atomic_load(&out.bytes));

	S_stage_begin(&clk, "copying files");
	if (media_write(&media, &out, jobs, &written)) {
		output_abort(&out);
		code = 1;
		goto done;
	}
	S_stage_end(&clk, "media", "%zu files", written);

	S_stage_begin(&clk, "indexing");
	if (search_build(&site, &out, jobs, &sstats)) {
		output_abort(&out);
		code = 1;
		goto done;
	}
	S_stage_end(&clk, "index", "%zu pages, %zu terms, %zu postings, %zu files, %zu bytes",
		    sstats.docs, sstats.terms, sstats.postings, sstats.files, sstats.bytes);

	S_stage_begin(&clk, "feeds");
	if (feeds_write(&site, &theme, &lists, &out, jobs, &written)) {
		output_abort(&out);
		code = 1;
		goto done;
	}
	S_stage_end(&clk, "feeds", "%zu feeds, calendars, sitemaps and robots.txt", written);

	S_stage_begin(&clk, "writing");
	if (output_commit(&out)) {
		code = 2;
		goto done;
	}
	S_stage_end(&clk, "write", "swapped into %s", out.dir);
	code = 0;
done:
	/* Flushed while the sources are alive: text diagnostics quote them. */
	code = S_finish(&clk, code);
	diag_set_text(NULL, NULL);
	diag_set_filter(NULL, NULL);
	while (changed.n)
		free(changed.paths[--changed.n]);
	free(changed.paths);
	output_release(&out);
	media_release(&media);
	lists_release(&lists);
	history_free(hist);
	model_release(&site);
	theme_release(&theme);
	config_release(&cfg);
	source_release(&src);
	return code;
}
