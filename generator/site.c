/*
 * site: the loading half of the pipeline, shared by the commands. Each
 * stage is a call into its own module; this file only decides their order,
 * which failures stop the load (the source and site.yaml: nothing after
 * them can be read) and which are content errors the load goes on past.
 */
#include "site.h"

#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "contributors.h"
#include "diag.h"
#include "diskcache.h"
#include "insights.h"
#include "personyear.h"
#include "parse.h"
#include "pool.h"
#include "spill.h"
#include "types.h"
#include "util.h"

/*
 * jixia new: DIR/site.yaml alone as the source (none when there is no
 * such file), read as it is, not followed through a symlink, as the build
 * would not either.
 */
static int S_site_yaml_only(struct source *src, const char *dir)
{
	struct buf path = BUF_INIT, data = BUF_INIT;
	char chunk[8192];
	size_t n;
	FILE *f = NULL;
	int fd, rc = -1;

	src->root = xstrdup(dir);
	buf_printf(&path, "%s/site.yaml", dir);
	if ((fd = open(buf_cstr(&path), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			rc = 0;
		else
			diag_error(NULL, 0, 0, "cannot read %s: %s", buf_cstr(&path), strerror(errno));
		goto done;
	}
	if (!(f = fdopen(fd, "r"))) {
		close(fd);
		diag_error(NULL, 0, 0, "cannot read %s: %s", buf_cstr(&path), strerror(errno));
		goto done;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&data, chunk, n);
	if (ferror(f)) {
		diag_error(NULL, 0, 0, "cannot read %s: %s", buf_cstr(&path), strerror(errno));
		goto done;
	}
	buf_putc(&data, '\0'); /* an empty file is a site.yaml too, not a missing one */
	src->files = xcalloc(1, sizeof(*src->files));
	src->files[0].path = xstrdup("site.yaml");
	src->files[0].data = buf_detach(&data, &src->files[0].len);
	src->files[0].len--;
	src->n = 1;
	rc = 0;
done:
	if (f)
		fclose(f);
	buf_release(&data);
	buf_release(&path);
	return rc;
}

/* site.yaml may lower the caps the source was read with. */
static int S_check_caps(const struct source *src, const struct config *cfg)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < src->n; i++) {
		size_t cap = str_ends(src->files[i].path, ".md") ? cfg->max_markdown : cfg->max_file;
		if (src->files[i].len > cap) {
			diag_error(src->files[i].path, 0, 0,
				   "file is %zu KiB, over the %zu KiB limit set in site.yaml",
				   (src->files[i].len + 1023) / 1024, cap / 1024);
			rc = -1;
		}
	}
	return rc;
}

static int S_config(struct loaded_site *ls, const struct site_opts *opts)
{
	const struct source_file *y = source_find(&ls->src, "site.yaml");

	if (config_load(&ls->cfg, "site.yaml", y ? y->data : NULL, y ? y->len : 0))
		return SITE_BAD_CONFIG;
	if (opts->base_url)
		ls->cfg.base_url = opts->base_url; /* jixia serve: every absolute link to the local origin */
	/* jixia new read site.yaml alone, with no caps to lower. */
	if (!opts->site_yaml_only && S_check_caps(&ls->src, &ls->cfg))
		ls->failed = 1;
	if (types_load(&ls->site.types, &ls->cfg))
		ls->failed = 1;
	if (opts->theme && theme_load(&ls->theme, &ls->src, &ls->cfg))
		ls->failed = 1;
	return SITE_LOADED;
}

/* The source stage: serve's loads read the working tree again through its cache of the files (incr.h). */
static int S_source(struct loaded_site *ls, const struct site_opts *opts)
{
	int rc;

	if (opts->site_yaml_only)
		return S_site_yaml_only(&ls->src, opts->dir);
	/* a rebuild: the pages its caches know by their identity are not read (source.h); nor by a
	   build whose parse workers free each file once parsed (drop_md): each reads its page's
	   file as it parses it, so the 45 MB of 10,000 pages are never all in memory at once, nor
	   left as holes among the pages' data once freed (18 MiB of a cold build's peak) */
	if (!opts->incr && !opts->ref && (opts->disk_cache || opts->drop_md))
		return source_open_lazy(&ls->src, opts->dir, NULL, ls->jobs);
	if (!opts->incr || opts->ref)
		return source_open_jobs(&ls->src, opts->dir, opts->ref, NULL, &ls->repo, ls->jobs);
	rc = source_open_cached(&ls->src, opts->dir, opts->incr->files, ls->jobs);
	opts->incr->files_read = ls->src.read;
	return rc;
}

/* The parse stage's pages, and serve's parse cache when the load has one (incr.h). */
struct parse_run {
	struct site *site;
	struct incr_parse *cache;
	struct diskcache_parse *disk; /* a plain build's cache on disk (diskcache.h), or NULL */
	struct loaded_site *drop;     /* site_opts.drop_md: the load whose files are freed once parsed */
	struct spill *spill;          /* site_opts.spill */
	struct contributors_wt *wt;   /* the load's wt, or NULL */
};

/*
 * pg's Markdown file freed, its length and hash kept (loaded_site.md_len),
 * once the history walk beside is done with the files' bytes: parsing
 * turns each file into its body and search terms, and the file, freed
 * only after the last page was parsed, was held beside them all.
 */
static void S_drop_md(struct loaded_site *ls, const struct page *pg)
{
	size_t k;
	struct source_file *f;

	if (!pg->src || !atomic_load_explicit(&ls->md_hashed, memory_order_acquire))
		return;
	k = (size_t)(pg->src - ls->src.files);
	f = &ls->src.files[k];
	if (!f->data || !str_ends(f->path, ".md"))
		return;
	ls->md_len[k] = f->len;
	ls->md_hash[k] = hash_keyed(f->data, f->len);
	free(f->data);
	f->data = NULL;
	f->len = 0;
	f->unread = 0;
}

/* history_open_stored's hashed call: the parse workers may free the files. */
static void S_md_hashed(void *payload)
{
	struct loaded_site *ls = payload;
	atomic_store_explicit(&ls->md_hashed, 1, memory_order_release);
}

/*
 * The answer of pg's file when pg is a question (its type as model_link
 * will find it by folder), while its bytes are here: the model stage asks
 * it of the newest version of each question, which git would give again
 * only by reading and inflating the blob (contributors_wt).
 */
static void S_wt_answer(struct parse_run *run, size_t i, const struct page *pg)
{
	const struct type *ty =
		pg->section && pg->section[0] ? types_by_folder(&run->site->types, pg->section) : NULL;

	if (ty && ty->roles.question)
		contributors_wt_set(run->wt, i, ty->roles.question, pg->src->data, pg->src->len);
}

static void S_parse_job(size_t i, int worker, void *payload)
{
	struct parse_run *run = payload;
	struct page *pg = &run->site->pages[i];
	size_t reports = diag_thread_reports();
	(void)worker;

	if (run->cache && incr_parse_reuse(run->cache, i, pg))
		return;
	if (run->disk && diskcache_parse_reuse(run->disk, i, pg)) {
		spill_page(run->spill, pg);
		return;
	}
	if (!source_bytes(run->site->src, pg->src, 1)) /* left unread by the walk, and now unreadable */
		pg->failed = 1;
	else
		parse_page(pg, run->site->cfg);
	if (run->wt && pg->src && pg->src->data)
		S_wt_answer(run, i, pg);
	if (run->drop)
		S_drop_md(run->drop, pg);
	if (run->cache)
		incr_parse_keep(run->cache, i, pg, diag_thread_reports() != reports);
	if (run->disk)
		diskcache_parse_keep(run->disk, i, pg, diag_thread_reports() != reports);
	spill_page(run->spill, pg); /* after the caches have read the body */
}

/*
 * serve: the model's field checks of the load before (model.h), taken by
 * this load as its parse begins, while the parse context they were made
 * in holds (the parse cache, incr.c, is emptied on a new one, and with it
 * the front matter the checks point into). The load owns them from here:
 * one that stops before its model stage frees them with the site, as the
 * parse cache entries they point into may be gone by the next.
 */
static void S_memo_take(struct loaded_site *ls, struct incr *in)
{
	if (in->model_memo && (in->memo_ctx[0] != in->parse_ctx[0] || in->memo_ctx[1] != in->parse_ctx[1])) {
		model_memo_free(in->model_memo);
		in->model_memo = NULL;
	}
	model_memo_free(ls->site.memo);
	ls->site.memo = in->model_memo;
	in->model_memo = NULL;
}

/* Every page parsed on the pool, or taken from serve's cache when its file and context are the same. */
static void S_parse(struct loaded_site *ls, const struct site_opts *opts)
{
	struct parse_run run = { &ls->site, NULL, NULL, NULL, opts->incr ? NULL : opts->spill, NULL };
	struct incr_parse cache;
	size_t i;

	if (opts->incr) {
		incr_parse_begin(&cache, opts->incr, &ls->src, &ls->cfg, opts->theme, ls->site.pages,
				 ls->site.npages);
		S_memo_take(ls, opts->incr);
		run.cache = &cache;
	} else if (opts->disk_cache) {
		run.disk = diskcache_parse_begin(opts->dir, &ls->src, &ls->cfg, opts->theme, ls->site.pages,
						 ls->site.npages, run.spill);
	}
	if (opts->drop_md && !opts->incr && !ls->src.commit[0] && !ls->md_len) {
		ls->md_len = xmalloc((ls->src.n ? ls->src.n : 1) * sizeof(*ls->md_len));
		ls->md_hash = xcalloc(ls->src.n ? ls->src.n : 1, sizeof(*ls->md_hash));
		for (i = 0; i < ls->src.n; i++)
			ls->md_len[i] = (size_t)-1;
		run.drop = ls;
		if (opts->walk) /* the files go: the questions' answers kept from them */
			run.wt = ls->wt = contributors_wt_new(ls->site.npages);
	}
	pool_run(ls->jobs, ls->site.npages, S_parse_job, &run);
	if (run.cache)
		incr_parse_end(&cache);
	ls->listed = diskcache_parse_listed(run.disk);
	ls->cache_read = diskcache_parse_read(run.disk);
	ls->cache_reads = diskcache_parse_reads(run.disk);
	diskcache_kept_free(ls->kept); /* (a load parses once) */
	ls->kept = diskcache_parse_take(run.disk);
	ls->parsed = run.disk ? (long)diskcache_parse_end(run.disk, &ls->hashed) : -1;
}

/* Milliseconds from *t0 to now, and now into *t0: the model's parts one after another (-v). */
static double S_lap(struct timespec *t0)
{
	struct timespec t;
	double ms;
	clock_gettime(CLOCK_MONOTONIC, &t);
	ms = (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
	*t0 = t;
	return ms;
}

/* ... and what model_link filled, kept for the next load (S_memo_take). */
static void S_memo_keep(struct loaded_site *ls, const struct site_opts *opts)
{
	struct incr *in = opts->incr;

	if (!in)
		return;
	in->model_memo = ls->site.memo;
	ls->site.memo = NULL;
	in->memo_ctx[0] = in->parse_ctx[0];
	in->memo_ctx[1] = in->parse_ctx[1];
	in->pages_checked = ls->site.checked;
	in->terms_made = (unsigned long)ls->site.terms_made;
	in->terms_gathered = (unsigned long)ls->site.terms_gathered;
}

/* One stage: SITE_LOADED, or why the load stops there. */
static int S_stage(struct loaded_site *ls, const struct site_opts *opts, enum site_stage stage)
{
	struct site *site = &ls->site;
	struct diskcache_answers *kept = NULL;
	struct history_blob_memo memo;
	struct timespec lap;
	size_t answers;

	switch (stage) {
	case SITE_NONE: break;
	case SITE_SOURCE:
		if (S_source(ls, opts))
			return SITE_UNREADABLE;
		break;
	case SITE_CONFIG: return S_config(ls, opts);
	case SITE_PAGES:
		site->now = opts->now;
		site->drafts = opts->drafts;
		if (model_collect(site))
			ls->failed = 1;
		break;
	case SITE_HISTORY:
		if (opts->incr && opts->walk &&
		    incr_history_take(opts->incr, opts->dir, &ls->src, &ls->hist, &ls->repo))
			break;
		if (opts->disk_cache && opts->walk) { /* the walk kept on disk (diskcache.h) */
			struct history_store store;
			diskcache_history(&store, opts->dir);
			history_open_stored(&ls->hist, &ls->src, &ls->repo, opts->walk, &store, S_md_hashed,
					    ls);
		} else {
			history_open_stored(&ls->hist, &ls->src, &ls->repo, opts->walk, NULL, S_md_hashed,
					    ls);
		}
		break;
	case SITE_PARSE:
		parse_init();
		parse_set_theme(opts->theme ? &ls->theme : NULL);
		S_parse(ls, opts);
		break;
	case SITE_MODEL:
		clock_gettime(CLOCK_MONOTONIC, &lap);
		if (opts->incr && !site->memo)
			site->memo = model_memo_new();
		site->jobs = ls->jobs;
		if (model_link(site))
			ls->failed = 1;
		S_memo_keep(ls, opts);
		ls->link_ms = S_lap(&lap);
		if (pool_cancelled()) /* the load is thrown away (build.c): the rest is not wanted */
			break;
		if (contributors_config(site))
			ls->failed = 1;
		answers = history_since_read(ls->hist);
		if (opts->disk_cache && !opts->incr) /* serve keeps its answers in the walk it keeps */
			kept = diskcache_answers_open(opts->dir, &memo);
		if (!kept && ls->wt) /* the working tree's, found as it was parsed */
			contributors_wt_memo(&memo, ls->wt);
		history_set_blob_memo(ls->hist, kept || ls->wt ? &memo : NULL);
		history_index_pages(ls->hist, site->pages, site->npages); /* the pages stay put from here */
		if (opts->incr)
			opts->incr->pages_looked = history_index_looked(ls->hist);
		if (opts->incr) /* serve: the pages' forge addresses kept */
			opts->incr->urls_looked =
				history_apply_kept(ls->hist, site, &opts->incr->history_memo);
		else
			history_apply(ls->hist, site);
		contributors_apply(site, ls->hist);
		insights_build(site, ls->hist);
		personyear_build(site, ls->hist);
		history_set_blob_memo(ls->hist, NULL);
		diskcache_answers_counts(kept, &ls->answers_kept, &ls->answers_read);
		if (!kept && ls->wt) /* -v: the working tree's, as the cache's are */
			contributors_wt_counts(ls->wt, &ls->answers_kept, &ls->answers_read);
		contributors_wt_free(ls->wt);
		ls->wt = NULL;
		diskcache_answers_close(kept, !pool_cancelled());
		history_index_pages(ls->hist, NULL, 0); /* a kept walk outlives these pages */
		ls->people_ms = S_lap(&lap);
		if (opts->incr)
			opts->incr->answers_read = history_since_read(ls->hist) - answers;
		/* serve keeps them for its next load; the keys of the changed
		 * files borrow from this load's source: refreshed then. */
		if (opts->incr && opts->walk)
			incr_history_keep(opts->incr, &ls->hist, &ls->repo);
		/* What it found is in the model now, and no stage after reads git. */
		history_free(ls->hist);
		ls->hist = NULL;
		source_repo_free(ls->repo);
		ls->repo = NULL;
		break;
	}
	return SITE_LOADED;
}

/* The history walk on a thread of its own, beside the parse workers (S_walk_and_parse). */
struct walk {
	struct loaded_site *ls;
	const struct site_opts *opts;
};

static void *S_walk_main(void *arg)
{
	struct walk *w = arg;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	S_stage(w->ls, w->opts, SITE_HISTORY);
#ifdef __GLIBC__
	/* What the walk freed (its own arena: libgit2's objects and caches) goes
	   back now, not once the parse is over: else it stays beside the pages
	   parsed since (the build's peak, 204 MiB against 172 at 10,000 pages).
	   Not in serve's rebuilds: the walk is kept, the pages given back would
	   be faulted in again by the stages after; serve trims once idle. Nor
	   when the walk was read from its file (a rebuild's, diskcache.h):
	   little to give back, and the trim would take the main heap's room
	   (util.h's heap_room) with it. */
	if (!w->opts->incr && !(w->ls->hist && history_stored(w->ls->hist)))
		heap_trim();
#endif
	clock_gettime(CLOCK_MONOTONIC, &t1);
	w->ls->walk_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	return NULL;
}

/*
 * The history and parse stages at once: the walk is one thread's work
 * from git alone, parsing reads only the files, and neither reads what the
 * other makes (the model stage joins them). The two stages report in
 * their order once both are done.
 */
static void S_walk_and_parse(struct loaded_site *ls, const struct site_opts *opts)
{
	struct walk w = { ls, opts };
	pthread_t t;
	int threaded;

	if (opts->stage)
		opts->stage(SITE_HISTORY, 0, ls, opts->payload);
	threaded = pthread_create(&t, NULL, S_walk_main, &w) == 0;
	if (!threaded)
		S_walk_main(&w);
	if (opts->stage)
		opts->stage(SITE_PARSE, 0, ls, opts->payload);
	S_stage(ls, opts, SITE_PARSE);
	if (threaded)
		pthread_join(t, NULL);
	ls->stage = SITE_HISTORY;
	if (opts->stage)
		opts->stage(SITE_HISTORY, 1, ls, opts->payload);
	ls->stage = SITE_PARSE;
	if (opts->stage)
		opts->stage(SITE_PARSE, 1, ls, opts->payload);
}

int site_load(struct loaded_site *ls, const struct site_opts *opts, enum site_stage upto)
{
	int stop;

	ls->site.cfg = &ls->cfg;
	ls->site.src = &ls->src;
	ls->jobs = opts->jobs > 0 ? opts->jobs : pool_cpus();
	while (ls->stage < upto) {
		enum site_stage next = ls->stage + 1;
		/* a stage cut short (the parse) must not reach the next one */
		if (pool_cancelled())
			return SITE_CANCELLED;
		/* -j1 keeps to one thread. */
		if (next == SITE_HISTORY && upto >= SITE_PARSE && opts->walk && ls->jobs > 1) {
			S_walk_and_parse(ls, opts);
			continue;
		}
		if (opts->stage)
			opts->stage(next, 0, ls, opts->payload);
		if ((stop = S_stage(ls, opts, next)))
			return stop;
		ls->stage = next;
		if (opts->stage)
			opts->stage(next, 1, ls, opts->payload);
	}
	return SITE_LOADED;
}

void site_release(struct loaded_site *ls)
{
	history_free(ls->hist);
	source_repo_free(ls->repo);
	model_release(&ls->site);
	diskcache_kept_free(ls->kept); /* after the pages that point into it */
	ls->kept = NULL;
	theme_release(&ls->theme);
	config_release(&ls->cfg);
	source_release(&ls->src);
	ls->hist = NULL;
	ls->repo = NULL;
	free(ls->md_len);
	free(ls->md_hash);
	contributors_wt_free(ls->wt);
	ls->wt = NULL;
	ls->md_len = NULL;
	ls->md_hash = NULL;
	atomic_store(&ls->md_hashed, 0);
	ls->stage = SITE_NONE;
}
