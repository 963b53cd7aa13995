/*
 * build: stage order, timing, the progress line and the summary that ends
 * it. Each stage is a call into its own module; this file only decides
 * what runs when, and what a failure means for the rest of the run. The
 * loading stages run in site_load (site.c), which calls back here for
 * their progress and -v lines; the checks after the model (S_check) and
 * the output stages (S_output) are called from here.
 */
#include "build.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "alias.h"
#include "cards.h"
#include "config.h"
#include "diag.h"
#include "diskcache.h"
#include "feeds.h"
#include "history.h"
#include "helpwanted.h"
#include "incr.h"
#include "l10n.h"
#include "links.h"
#include "lists.h"
#include "media.h"
#include "model.h"
#include "pagetok.h"
#include "plan.h"
#include "pool.h"
#include "render.h"
#include "rerender.h"
#include "search.h"
#include "site.h"
#include "source.h"
#include "spill.h"
#include "theme.h"
#include "write.h"

/* Builds whose leak checks want every block freed before exit (build_opts.exiting). */
#if defined(JIXIA_FREE_ALL) || defined(__SANITIZE_ADDRESS__)
#define S_FREE_ALL 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer) || __has_feature(memory_sanitizer)
#define S_FREE_ALL 1
#endif
#endif
#ifndef S_FREE_ALL
#define S_FREE_ALL 0
#endif
#define S_POPULATE_BYTES ((size_t)8 << 20) /* a rebuild's heap populated ahead of it (S_check) */
#define S_POPULATE_US 2000L

/*
 * A rebuild's output caches read ahead: the render state and the index
 * state, decoded, and the output folders' record are files of the cache
 * folder that need neither the model nor the output, while the model
 * stage has the main thread alone and the second core idles (perf of a
 * one-page rebuild of 10,000 pages). They are read on a thread of their
 * own from the parse's end (before, the history's walk and the parse have
 * both cores) to the output's start, for the folder output_begin will
 * most likely name (write.h's output_guess), and taken only when it does,
 * with the same identity (S_ahead_take); else read in line as before.
 * The thread then looks at the folders of the spare the render will
 * look at (write.h's output_prelook: each costs 5-7 us cold, 15,748 of
 * them at 10,000 pages), the files' names taken from the render state,
 * until the output begins (the rest are looked at in line); output_begin
 * takes the looks over only for the spare it takes.
 */
struct ahead {
	pthread_t thread;
	int running;                   /* started, not yet joined */
	int started;                   /* the thread ran (what it read is there once joined) */
	const char *dir;               /* the site folder */
	char *out;                     /* the output folder guessed */
	uint64_t id[3];                /* and its identity */
	struct buf rec;                /* the folders' record, when rec_read */
	int rec_read;                  /* diskcache_folders_read gave 0 */
	struct incr *disk;             /* the render state read (diskcache_render_read) and decoded */
	struct incr *sdisk;            /* the index state read and decoded (S_index_read) */
	struct diskcache_parts sparts; /* its parts, which it points to: here till the build's end */
	struct output_prelook *pre;    /* the spare's folders looked at, till output_begin takes them */
	atomic_int stop;               /* the output begins: no more looks */
};

struct stage_clock {
	const struct build_opts *opts;
	int progress;       /* a terminal that wants the one-line display */
	int summary;        /* end a run that succeeds with one line: a terminal, or -v */
	size_t files;       /* files in the output swapped in */
	struct timespec t0; /* start of the current stage */
	struct timespec start;
	struct incr_stamp stamp;     /* this build's inputs, and the last build's (incr.h) */
	int up_to_date;              /* the stamp matched: nothing to build */
	struct loaded_site *ls;      /* the site being loaded, for S_drop_sources */
	struct dropped *dropped;     /* the Markdown files dropped after parsing, or NULL */
	struct spill *spill;         /* the pages' bodies between parse and render (S_spill_open), or NULL */
	int disk_cache;              /* a rebuild: the caches on disk are read and written (diskcache.h) */
	int roomy;                   /* a rebuild: one heap for its threads, with room (util.h's heap_room) */
	struct heap_ahead *populate; /* and populated ahead of its use (util.h), or NULL */
	struct ahead ahead;          /* the output's caches, read beside the model */
};

/*
 * The Markdown files a build dropped once they were parsed (S_drop_sources):
 * for each, its length and hash, so a diagnostic that quotes one reads the
 * file again and quotes it only when its bytes are still the ones parsed;
 * and the copies read again, freed with this.
 */
struct dropped {
	const struct source *src;
	const char *dir; /* the site folder the paths are under */
	size_t first, n; /* the files src->files[first..first+n) */
	size_t *len;     /* each file's length when parsed, (size_t)-1: not dropped */
	size_t count;    /* the files dropped (-v's parse line) */
	size_t early;    /* of them, freed by their parse workers (site.h's md_len) */
	uint64_t *hash;  /* hash_keyed of its bytes */
	char **again;    /* the bytes read again for a quote, or NULL */
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
static void S_stage_line(struct stage_clock *c, const char *stage, double ms, const char *fmt, va_list ap)
{
	if (!c->opts->verbose)
		return;
	fprintf(stderr, "jixia: %-8s %8.1f ms  ", stage, ms);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void S_stage_end(struct stage_clock *c, const char *stage, const char *fmt, ...) JX_PRINTF(3, 4);
static void S_stage_end(struct stage_clock *c, const char *stage, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	S_stage_line(c, stage, S_elapsed(&c->t0), fmt, ap);
	va_end(ap);
}

/* A stage that ran beside another: its own time, not the clock's. */
static void S_stage_end_ms(struct stage_clock *c, const char *stage, double ms, const char *fmt, ...)
	JX_PRINTF(4, 5);
static void S_stage_end_ms(struct stage_clock *c, const char *stage, double ms, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	S_stage_line(c, stage, ms, fmt, ap);
	va_end(ap);
}

/*
 * What was freed goes back to the system, so the index's postings do not add to it (glibc keeps it);
 * a rebuild's heap room given back with it is made again (util.h). Not in such a rebuild that
 * parsed a tenth of the pages or fewer: its stages free little (its peak was the same with the
 * trims, 180-190 MiB at 10,000 pages, measured with 2 MB pages, where a trim split them and their
 * 4 KB pages were faulted in again; with 4 KB pages the pages given back would be faulted in
 * again too, not measured since). One that parsed more (a site.yaml edit) frees as a cold build
 * does.
 */
static void S_give_back(const struct stage_clock *c)
{
#ifdef __GLIBC__
	if (c->roomy && c->ls && c->ls->parsed >= 0 && (size_t)c->ls->parsed <= c->ls->site.npages / 10)
		return;
	heap_trim();
	if (c->roomy)
		heap_room();
#else
	(void)c;
#endif
}

/*
 * A dropped file's bytes read again for a quote (S_drop_sources), kept for
 * the next quote; NULL when the file is not the one parsed any more (its
 * length or hash differ) or cannot be read: the diagnostic is then shown
 * without its line, as one after the render (S_drop_bodies).
 */
static const char *S_read_again(struct dropped *d, size_t k, size_t *len)
{
	const char *path = d->src->files[d->first + k].path;
	struct buf b = BUF_INIT;
	struct stat st;
	ssize_t got;
	int dirfd, fd = -1;

	if (!d->again[k] && (dirfd = open(d->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		close(dirfd);
	}
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == d->len[k]) {
		buf_grow(&b, d->len[k]);
		while (b.len < d->len[k]) {
			got = read(fd, b.ptr + b.len, d->len[k] - b.len);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				break;
			b.len += (size_t)got;
		}
		b.ptr[b.len] = '\0';
		if (b.len == d->len[k] && hash_keyed(b.ptr, b.len) == d->hash[k])
			d->again[k] = buf_detach(&b, NULL);
	}
	if (fd >= 0)
		close(fd);
	buf_release(&b);
	*len = d->len[k];
	return d->again[k];
}

/* The text of a source file, for quoting the offending line. */
static const char *S_source_text(const char *path, size_t *len, void *payload)
{
	struct stage_clock *c = payload;
	const struct source_file *f = source_find(&c->ls->src, path);
	struct dropped *d = c->dropped;
	size_t k;

	if (!f)
		return NULL;
	if (source_bytes(&c->ls->src, f, 0)) { /* read, or left unread by the walk (source.h) */
		*len = f->len;
		return f->data;
	}
	k = (size_t)(f - c->ls->src.files);
	/* dropped after render (S_drop_bodies), or not by S_drop_sources */
	if (!d || k < d->first || k >= d->first + d->n || d->len[k - d->first] == (size_t)-1)
		return NULL;
	return S_read_again(d, k - d->first, len);
}

/*
 * A build that writes its output (no serve, whose parse cache and
 * re-render read them again) drops the Markdown files of the working tree
 * once they are parsed: nothing after the parse stage reads them (the
 * history walk, which hashes them, has ended too), and they were a fifth
 * of the peak memory, held through the model and the render. Most were
 * freed already by the worker that parsed them, once the history walk had
 * hashed them all (site.h's drop_md); the rest are freed here. A
 * diagnostic quoting one reads it again (S_read_again). Files read from a
 * commit (--ref) stay: reading one again would need the repository.
 */
static void S_drop_sources(struct stage_clock *c)
{
	struct loaded_site *ls = c->ls;
	struct dropped *d;
	size_t i, first, n;

	/* a rebuild's render state digests the files (rerender.h): they stay */
	if (c->opts->incr || c->opts->mem || !ls || ls->src.commit[0] || c->dropped || c->disk_cache)
		return;
	n = source_prefix(&ls->src, "content/", &first);
	d = xcalloc(1, sizeof(*d));
	d->src = &ls->src;
	d->dir = ls->src.root ? ls->src.root : ".";
	d->first = first;
	d->n = n;
	d->len = xmalloc((n ? n : 1) * sizeof(*d->len));
	d->hash = xmalloc((n ? n : 1) * sizeof(*d->hash));
	d->again = xcalloc(n ? n : 1, sizeof(*d->again));
	for (i = 0; i < n; i++) {
		struct source_file *f = &ls->src.files[first + i];
		d->len[i] = (size_t)-1;
		if (ls->md_len && ls->md_len[first + i] != (size_t)-1) { /* by its parse worker (site.h) */
			d->len[i] = ls->md_len[first + i];
			d->hash[i] = ls->md_hash[first + i];
			d->count++;
			d->early++;
			continue;
		}
		if (!f->data || !str_ends(f->path, ".md"))
			continue;
		d->len[i] = f->len;
		d->count++;
		d->hash[i] = hash_keyed(f->data, f->len);
		free(f->data);
		f->data = NULL;
		f->len = 0;
		f->unread = 0;
	}
	c->dropped = d;
	S_give_back(c); /* the model's and the render's memory is not added on top */
}

static void S_dropped_free(struct dropped *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n; i++)
		free(d->again[i]);
	free(d->again);
	free(d->hash);
	free(d->len);
	free(d);
}

/*
 * A build that writes its output keeps the pages' bodies in an unnamed
 * file beside the output (spill.h) from their parse to the end of the
 * render: they were the largest part of the peak. NULL where no such file
 * can be made (another filesystem than Linux's, a folder not made yet):
 * the bodies then stay in memory.
 */
static struct spill *S_spill_open(const struct build_opts *opts)
{
	struct spill *s = xcalloc(1, sizeof(*s));
	char *dir = NULL, *slash;

	if (opts->out) {
		dir = xstrdup(opts->out);
		while ((slash = strrchr(dir, '/')) && slash > dir && !slash[1])
			*slash = '\0'; /* "public/" is "public" */
		slash = strrchr(dir, '/');
		if (!slash)
			strcpy(dir, ".");
		else
			slash[slash == dir ? 1 : 0] = '\0';
	}
	if (spill_open(s, dir ? dir : opts->dir ? opts->dir : ".")) {
		free(s);
		s = NULL;
	}
	free(dir);
	return s;
}

static void S_spill_free(struct spill *s)
{
	if (!s)
		return;
	spill_close(s);
	free(s);
}

/* A rebuild's index state, for the output folder named out with identity id (search.h). */
static struct incr *S_index_read(const char *dir, const char *out, const uint64_t id[3], int jobs,
				 struct diskcache_parts *parts)
{
	struct incr *in = diskcache_search_open(dir, out, id, jobs, parts);

	if (in && parts->n)
		(void)search_state_decode(in, parts, jobs); /* damaged: none kept */
	buf_release(&parts->bytes);
	return in;
}

/* The render state's output file i (output_prelook's names). */
static const char *S_state_path(size_t i, const void *payload)
{
	return rerender_disk_path(payload, i);
}

static void *S_ahead_main(void *arg)
{
	struct ahead *a = arg;
	struct buf state = BUF_INIT;

	a->rec_read = diskcache_folders_read(a->dir, a->out, &a->rec) == 0;
	a->disk = diskcache_render_read(a->dir, a->out, a->id, &state);
	if (a->disk && state.len)
		(void)rerender_disk_decode(a->disk, state.ptr, state.len); /* damaged: nothing kept */
	buf_release(&state);
	/* on this thread alone: the idle core's; the index's update takes the pool's threads again
	   (search_build_incr) */
	a->sdisk = S_index_read(a->dir, a->out, a->id, 1, &a->sparts);
	/* last, till the output begins: the folders of the files the state names, in the spare
	   (those the render looks at) */
	if (a->disk && rerender_disk_path(a->disk, 0)) {
#ifdef SYS_gettid
		/* work for later: the model's thread first where they share a core (Linux's nice is
		   a thread's; this thread ends with the looks) */
		(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
#endif
		a->pre = output_prelook(a->out, S_state_path, a->disk, &a->stop);
	}
	return NULL;
}

/* A rebuild on two cores or more whose output folder is there: its caches read ahead (struct ahead). */
static void S_ahead_start(struct stage_clock *c, const struct loaded_site *ls)
{
	struct ahead *a = &c->ahead;

	if (!c->disk_cache || ls->jobs < 2 || c->opts->check_only)
		return;
	a->dir = c->opts->dir;
	if (!(a->out = output_guess(c->opts->out, c->opts->dir, a->id)))
		return;
	atomic_init(&a->stop, 0);
	a->running = a->started = pthread_create(&a->thread, NULL, S_ahead_main, a) == 0;
}

/* A build that failed before the output: the thread may still run (its looks stopped, unless
   a test wants them all: S_output). */
static void S_ahead_join(struct ahead *a, int stop)
{
	if (stop)
		atomic_store(&a->stop, 1);
	if (a->running)
		pthread_join(a->thread, NULL);
	a->running = 0;
}

static void S_ahead_release(struct ahead *a)
{
	S_ahead_join(a, 1);
	free(a->out);
	a->out = NULL;
	buf_release(&a->rec);
	incr_free(a->disk);
	a->disk = NULL;
	incr_free(a->sdisk);
	a->sdisk = NULL;
	diskcache_parts_release(&a->sparts);
	output_prelook_free(a->pre);
	a->pre = NULL;
	a->started = 0;
}

/* Joins the thread; 1 when what it read is for out's folder, by name and identity (out_id). */
static int S_ahead_take(struct ahead *a, const struct output *out, const uint64_t *out_id)
{
	if (!a->started)
		return 0;
	S_ahead_join(a, 1);
	if (out_id && out->dir && strcmp(a->out, out->dir) == 0 && memcmp(a->id, out_id, sizeof(a->id)) == 0)
		return 1;
	S_ahead_release(a); /* another folder's: not kept beside the ones read in line */
	return 0;
}

/*
 * The loading stages (site.h): the progress line while each runs, its -v
 * line when it is done. The model stage's line waits for the listings,
 * media and links (S_check).
 */
static void S_loading(enum site_stage stage, int done, const struct loaded_site *ls, void *payload)
{
	static const char *const doing[] = {
		[SITE_SOURCE] = "reading sources", [SITE_CONFIG] = "reading site.yaml",
		[SITE_PAGES] = "collecting pages", [SITE_HISTORY] = "reading history",
		[SITE_PARSE] = "parsing",          [SITE_MODEL] = "linking",
	};
	struct stage_clock *c = payload;
	size_t i, bytes = 0;

	if (!done) {
		S_stage_begin(c, doing[stage]);
		return;
	}
	switch (stage) {
	case SITE_SOURCE:
		for (i = 0; i < ls->src.n; i++)
			bytes += ls->src.files[i].len;
		if (ls->src.borrowed &&
		    ls->src.looked == SOURCE_WALKED) /* serve: the others are the last load's */
			S_stage_end(c, "source", "%zu files, %zu bytes, %zu read, every folder walked",
				    ls->src.n, bytes, ls->src.read);
		else if (ls->src.borrowed) /* serve: the paths the watcher saw change looked at (source.h) */
			S_stage_end(c, "source",
				    "%zu files, %zu bytes, %zu read, %zu changed paths looked at", ls->src.n,
				    bytes, ls->src.read, ls->src.looked);
		else if (c->disk_cache && !ls->src.commit[0]) /* the pages unread: source.h */
			S_stage_end(c, "source", "%zu files, %zu bytes, %zu read", ls->src.n, bytes,
				    ls->src.read);
		else
			S_stage_end(c, "source", "%zu files, %zu bytes%s%s", ls->src.n, bytes,
				    ls->src.commit[0] ? " from commit " : "", ls->src.commit);
		break;
	case SITE_CONFIG:
		S_stage_end(c, "config", "%zu languages, %zu theme assets", ls->cfg.nlangs,
			    ls->theme.nassets);
		break;
	case SITE_PAGES: S_stage_end(c, "collect", "%zu pages", ls->site.npages); break;
	case SITE_HISTORY:
		if (ls->walk_ms > 0) /* beside parsing: its own time, parse's line has the rest */
			S_stage_end_ms(c, "history", ls->walk_ms,
				       "%zu commits, %zu files followed%s, %zu files hashed, beside parse",
				       history_commits(ls->hist), history_files(ls->hist),
				       history_stored(ls->hist) ? " (the walk kept from the last run)" : "",
				       history_hashed(ls->hist));
		else
			S_stage_end(c, "history", "%zu commits, %zu files followed%s, %zu files hashed",
				    history_commits(ls->hist), history_files(ls->hist),
				    history_stored(ls->hist) ? " (the walk kept from the last run)" : "",
				    history_hashed(ls->hist));
		break;
	case SITE_PARSE:
		if (c->opts->incr) /* serve: the rest came from the parse cache */
			S_stage_end(c, "parse", "%zu pages on %d threads, %lu parsed", ls->site.npages,
				    ls->jobs, c->opts->incr->pages_parsed);
		else if (S_drop_sources(c), ls->parsed >= 0) /* the rest came from the cache on disk */
			S_stage_end(
				c, "parse",
				"%zu pages on %d threads, %ld parsed, %zu Markdown files freed, %zu as parsed, "
				"%zu entries listed in one read, %llu bytes of entries read, %llu reads of them, "
				"%lu files hashed",
				ls->site.npages, ls->jobs, ls->parsed, c->dropped ? c->dropped->count : 0,
				c->dropped ? c->dropped->early : 0, ls->listed,
				(unsigned long long)ls->cache_read, (unsigned long long)ls->cache_reads,
				ls->hashed);
		else if (c->dropped)
			S_stage_end(c, "parse",
				    "%zu pages on %d threads, %zu Markdown files freed, %zu as parsed",
				    ls->site.npages, ls->jobs, c->dropped->count, c->dropped->early);
		else
			S_stage_end(c, "parse", "%zu pages on %d threads", ls->site.npages, ls->jobs);
		/* the model next, on this thread alone: the output's caches beside it */
		S_ahead_start(c, ls);
		break;
	case SITE_NONE:
	case SITE_MODEL: break;
	}
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
		fprintf(stderr, "jixia: total    %8.1f ms  %d errors, %d warnings\n", S_elapsed(&c->start),
			diag_errors(), diag_warnings());
	return code;
}

/* "1 page", "2 pages". */
static const char *S_plural(size_t n, const char *one, const char *other)
{
	return n == 1 ? one : other;
}

/*
 * The progress line's last state when the run succeeded: what was built
 * (or checked) and how long it took, so a build that works is seen to.
 */
static void S_summary(const struct stage_clock *c, const struct loaded_site *ls)
{
	size_t pages = ls->site.npages, langs = ls->cfg.nlangs;
	int warnings = diag_warnings();

	if (c->opts->check_only)
		fprintf(stderr, "jixia: checked %zu %s (%zu %s)", pages, S_plural(pages, "page", "pages"),
			langs, S_plural(langs, "language", "languages"));
	else
		fprintf(stderr, "jixia: built %zu %s (%zu %s, %zu %s)", c->files,
			S_plural(c->files, "file", "files"), pages, S_plural(pages, "page", "pages"), langs,
			S_plural(langs, "language", "languages"));
	fprintf(stderr, " in %.2f s, %d %s\n", S_elapsed(&c->start) / 1e3, warnings,
		S_plural((size_t)warnings, "warning", "warnings"));
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

/*
 * Loads the site and runs every check: the model, then the listings, the
 * media plan and the links. Returns the exit code so far: 0, 1 content
 * errors, 2 environment.
 */
static int S_check(struct stage_clock *c, struct loaded_site *ls, struct lists *lists, struct plan *plan,
		   struct media *media, struct changed_set *changed)
{
	const struct build_opts *opts = c->opts;
	struct site_opts lo;
	struct timespec lap;
	double lists_ms, plan_ms;
	char answers[64] = "", checked[64] = "";
	unsigned long linked = 0;
	int code, failed;

	c->ls = ls;
	memset(&lo, 0, sizeof(lo));
	lo.dir = opts->dir;
	lo.ref = opts->ref;
	lo.now = opts->now;
	lo.drafts = opts->drafts;
	lo.base_url = opts->base_url;
	lo.jobs = opts->jobs;
	lo.walk = !opts->check_only; /* check reads no history: translated_from ids are still checked */
	lo.theme = 1;
	lo.stage = S_loading;
	lo.incr = opts->incr;
	/* The caches between runs serve rebuilds: a build into a new output
	 * (CI's, a benchmark's cold one) neither reads nor writes them, and
	 * serve keeps its own in memory. */
	lo.disk_cache =
		!opts->incr && !opts->mem && !opts->check_only && output_is_site(opts->out, opts->dir);
	lo.drop_md = !opts->incr && !opts->mem && !lo.disk_cache; /* S_drop_sources, as each page is parsed */
	c->disk_cache = lo.disk_cache;
	/* A rebuild's threads share the main heap, with room above its top (util.h's heap_room) for
	   the populating thread (below), not arenas of their own: a one-page rebuild of 10,000 pages
	   took 0.275 s against 0.30 with the heap as a cold build's (arenas per thread, no room, no
	   populating thread; 8 alternated pairs). They allocate little there (a cold build's parse
	   workers much, on arenas of their own: a cold build's heap is left as it was, its peak
	   memory with it, and so is the first rebuild's, with no parse cache yet, which parses every
	   page: 340-377 MiB against 303-324 at 10,000 pages). Before the first thread allocates: an
	   arena is made at a thread's first malloc; and before the heap grows much. */
	if (lo.disk_cache && diskcache_parse_found(opts->dir)) {
		c->roomy = 1;
		heap_room();
#ifdef __GLIBC__
		(void)mallopt(M_ARENA_MAX, 1);
#endif
	}
	lo.payload = c;
	if ((code = site_load(ls, &lo, SITE_SOURCE)))
		return code;
	/* A plain build whose inputs are those of the build that made the
	 * output, which printed nothing: nothing to do. */
	if (!opts->check_only && !opts->incr && !opts->mem) {
		struct incr_opts io = { opts->out, opts->dir, opts->ref, opts->drafts, opts->now };
		int same;
		S_stage_begin(c, "stamping");
		same = incr_stamp_check(&c->stamp, &io, &ls->src, &ls->repo);
		/* the files whose bytes it hashed: those without an identity (source.h), and those the
		   stamp's build hashed so */
		S_stage_end(c, "stamp", "%s, %zu of %zu files by their bytes",
			    same ? "the same" : "not the same", c->stamp.hashed, ls->src.n);
		if (same && !opts->changed_since && diag_pending() == 0) {
			c->up_to_date = 1;
			return 0;
		}
	}
	/* The rebuild's fresh heap populated ahead of it on the second core (util.h's heap_ahead):
	   the kernel zeroing it at first touch was a third of its CPU in 2 MB pages, mostly on the
	   main thread (in 4 KB pages it gains less: 0.25 s against 0.26 without, 8 pairs). 8 MB
	   ahead, looked at every 2 ms (4, 12, 16 and 24 MB gained no more wall; 16 and 24 added
	   their peak). Not at -j1 (no core to spare), nor on a stamp that matched (nothing built). */
	if (c->roomy && ls->jobs > 1)
		c->populate = heap_ahead_start(S_POPULATE_BYTES, S_POPULATE_US);
	diag_set_text(S_source_text, c);
	if (!opts->check_only && !opts->incr && !opts->mem)
		lo.spill = c->spill = S_spill_open(opts);
	if (opts->changed_since) {
		if (source_changed_since(&changed->paths, &changed->n, &ls->src, opts->changed_since,
					 &ls->repo))
			return 2;
		diag_set_filter(S_changed, changed);
	}
	if ((code = site_load(ls, &lo, SITE_MODEL)))
		return code;
	if (pool_cancelled()) /* the model may be half made (site.c): nothing reads it */
		return BUILD_CANCELLED;
	failed = ls->failed;
	clock_gettime(CLOCK_MONOTONIC, &lap);
	l10n_status(&ls->site); /* for /l10n/ and the language pages */
	if (opts->incr) {       /* serve: the pages' order of the last build, checked (lists.h) */
		lists_build_kept(lists, &ls->site, &opts->incr->lists_memo);
		opts->incr->lists_memo_free = lists_memo_free;
		opts->incr->lists_sorted = lists_memo_sorted(opts->incr->lists_memo);
	} else {
		lists_build(lists, &ls->site);
	}
	l10n_order(&ls->site, lists); /* the /l10n/ page's missing pages as the listings show them */
	help_build(&ls->site);        /* /help-wanted/: reads that order */
	lists_ms = S_elapsed(&lap);
	clock_gettime(CLOCK_MONOTONIC, &lap);
	plan_build(plan, &ls->site, lists, &ls->theme);
	if (opts->incr) { /* serve: the outputs' order of the last build, checked (plan.h) */
		if (plan_check_kept(plan, &opts->incr->plan_memo))
			failed = 1;
		opts->incr->plan_memo_free = plan_memo_free;
		opts->incr->plan_sorted = (unsigned long)plan_memo_sorted(opts->incr->plan_memo);
	} else if (plan_check(plan)) {
		failed = 1;
	}
	if (media_plan(media, &ls->site, plan))
		failed = 1;
	if (alias_check(&ls->site, plan, media))
		failed = 1;
	if (pool_cancelled()) /* before the longest check */
		return BUILD_CANCELLED;
	plan_ms = S_elapsed(&lap);
	clock_gettime(CLOCK_MONOTONIC, &lap);
	/* a rebuild keeps what each page's links led to on disk, but not when --changed-since filters
	   the reports (a page whose report it filtered out must not be kept as one with none) */
	if (c->disk_cache && !opts->changed_since
		    ? links_check_kept(&ls->site, plan, media, opts->dir, &linked)
		    : links_check_incr(&ls->site, plan, media, opts->incr))
		failed = 1;
	if (c->disk_cache && !opts->changed_since)
		snprintf(checked, sizeof(checked), ", %lu %s links checked", linked,
			 S_plural(linked, "page's", "pages'"));
	/* its parts, so that a slow one shows (in the order they run) */
	if (ls->answers_kept || ls->answers_read) /* the questions' old versions (diskcache.h) */
		snprintf(answers, sizeof(answers), ", %zu answers kept, %zu read", ls->answers_kept,
			 ls->answers_read);
	S_stage_end(c, "model",
		    "%zu pages published, %zu listings, %zu terms, %zu files%s%s "
		    "(link %.0f, people %.0f, lists %.0f, plan %.0f, links %.0f ms)",
		    ls->site.npages, lists->n, ls->site.nterms, media->nout, answers, checked, ls->link_ms,
		    ls->people_ms, lists_ms, plan_ms, S_elapsed(&lap));
	/* serve: the open pages from this model now, the whole site after (serve.c) */
	if (opts->preview && !failed && diag_errors() == 0 && !pool_cancelled()) {
		size_t n;
		S_stage_begin(c, "previewing");
		if ((n = opts->preview(&ls->site, &ls->theme, lists, plan, opts->preview_payload)))
			S_stage_end(c, "preview", "%zu open %s rendered first", n,
				    S_plural(n, "page", "pages"));
	}
	return diag_errors() > 0 || failed ? 1 : 0;
}

/*
 * Once every page is rendered, nothing reads a page's body (html) or its
 * Markdown file again but a diagnostic quoting a line: both are dropped
 * before the index, the build's largest stage, when no diagnostic may
 * quote them (there is none so far, and the stages after render report
 * against no page). About 10 KB a page.
 */
static void S_drop_bodies(struct loaded_site *ls)
{
	size_t i, first, n;

	for (i = 0; i < ls->site.npages; i++) {
		if (!ls->site.pages[i].parse_shared) /* serve: its parse cache's (incr.c) */
			free(ls->site.pages[i].html);
		ls->site.pages[i].html = NULL;
		ls->site.pages[i].html_len = 0;
		ls->site.pages[i].html_spill = NULL; /* its file goes next (S_output) */
	}
	if (diag_errors() + diag_warnings() > 0)
		return;
	n = source_prefix(&ls->src, "content/", &first);
	for (i = first; i < first + n; i++) {
		struct source_file *f = &ls->src.files[i];
		size_t len = strlen(f->path);
		if (len > 3 && strcmp(f->path + len - 3, ".md") == 0) {
			if (!ls->src.borrowed) /* serve: the bytes are its cache's (source.h) */
				free(f->data);
			f->data = NULL;
			f->len = 0;
			f->unread = 0; /* nor read again */
		}
	}
}

/*
 * The index's -v line of a build, with the pages' own terms as the parse
 * workers kept them: each distinct term once, in one table (pagetok.h).
 */
/* z: a rebuild's zlib streams compressed and kept from the last one (diskcache.h); st: its
   index state (diskcache.h), then how many pages were indexed again and whether it was kept */
static void S_index_line(struct stage_clock *c, double ms, const struct search_stats *s, int z, size_t zmade,
			 size_t zhits, const struct incr *st, size_t nparts)
{
	size_t terms, bytes;
	char zs[80] = "", ss[160] = "";

	pagetok_table_stats(&terms, &bytes);
	if (z) /* and those of an index kept on disk, which reads no memo (search.h) */
		snprintf(zs, sizeof(zs), " (%zu streams compressed, %zu kept)", zmade + s->streams_made,
			 zhits + s->streams_kept);
	if (st)
		snprintf(
			ss, sizeof(ss),
			" (%lu indexed again, state %s, %zu parts read, %zu terms checked, %zu terms unpacked)",
			st->pages_indexed, st->index_kept ? "kept" : "made", nparts, s->checked, s->unpacked);
	S_stage_end_ms(
		c, "index", ms,
		"%zu pages%s, %zu terms, %zu postings, %zu files, %zu bytes, %zu page terms kept once (%zu "
		"bytes)%s",
		s->docs, ss, s->terms, s->postings, s->files, s->bytes, terms, bytes, zs);
}

/*
 * A rebuild's index state kept on disk (diskcache.h) for the output in
 * place: NULL for a build into a new output (it indexes the plain way and
 * keeps nothing), else a struct incr for search_build_incr with the state
 * of the build that made the output when it holds; parts: the state's
 * parts as read, their bytes the state's or released (the save reads
 * where they were).
 */
static struct incr *S_index_state(struct stage_clock *c, struct loaded_site *ls, struct output *out,
				  struct diskcache_parts *parts)
{
	uint64_t id[3];

	if (out->mem || !c->disk_cache || output_folder_id(out, id) != 0)
		return NULL;
	return S_index_read(c->opts->dir, out->dir, id, ls->jobs, parts);
}

/*
 * Hooks for tests only (tests/e2e/diskcache.sh): with the variable var
 * set to FILE, a build waits until FILE exists (10 s at most).
 * JIXIA_TEST_INDEX_HOLD holds it before its index stage, so a test can
 * change a page between the parse and the index's late read of that
 * page's terms (diskcache.c's S_again); JIXIA_TEST_STATE_HOLD once the
 * index state is open (mapped, mapped.h) and before its terms are read,
 * so a test can cut the file short under the mapping. A real build leaves
 * either for a few milliseconds only. JIXIA_TEST_LOOKS_HOLD holds it
 * where its output begins, then waits for every folder look made ahead
 * (struct ahead), none stopped: a test can replace or share the spare
 * the looks were made in.
 */
static void S_test_hold(const char *var)
{
	const char *hold = getenv(var);
	int i;

	for (i = 0; hold && i < 1000 && access(hold, F_OK) != 0; i++)
		usleep(10000);
}

/*
 * The index stage of S_output. Beside the render, media, feeds and cards
 * stages on a thread of its own in a rebuild: those read the frozen model
 * and write other files; the index reads the model too and writes only the
 * pages' search terms, which nothing else reads. A one-page rebuild's main
 * thread ran every stage's serial part one after the other with the
 * second core mostly idle. A cold build indexes after the render, its
 * bodies and sources freed, so their peaks do not add up.
 */
struct index_run {
	struct stage_clock *c;
	struct loaded_site *ls;
	struct output *out;
	struct diskcache_parts *sparts; /* the index state's parts as read */
	struct incr *sdisk;             /* a rebuild's index state (S_index_state), or NULL */
	int sread;                      /* sdisk read ahead (struct ahead): not S_index_state's */
	struct diskcache_parts next;    /* and that state encoded for the save (search.h) */
	int ahead;                      /* encoded by the index's thread, not at the save */
	int encoded;                    /* next holds it */
	struct diskcache_z *zmemo;      /* and its zlib streams, or NULL */
	struct search_stats stats;
	size_t zhits, zmade;
	int zon; /* a memo of streams was open */
	int rc;
	double ms;
	pthread_t thread;
	int threaded; /* running as thread, not yet joined */
};

static void *S_index_main(void *arg)
{
	struct index_run *r = arg;
	struct stage_clock *c = r->c;
	struct output *out = r->out;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	S_test_hold("JIXIA_TEST_INDEX_HOLD");
	/* serve: the index of the rebuild before, brought up to date (search.h) */
	/* a rebuild: the streams of the last one */
	if (c->disk_cache && (r->zmemo = diskcache_z_open(c->opts->dir)))
		search_set_deflate(diskcache_z_deflate, r->zmemo);
	if (!out->mem && !r->sread)
		r->sdisk = S_index_state(c, r->ls, out, r->sparts);
	S_test_hold("JIXIA_TEST_STATE_HOLD");
	r->rc = search_build_incr(&r->ls->site, out, r->ls->jobs, &r->stats,
				  out->mem ? c->opts->incr : r->sdisk);
	search_set_deflate(NULL, NULL);
	diskcache_z_counts(r->zmemo, &r->zhits, &r->zmade);
	r->zon = r->zmemo != NULL;
	/* a page's terms re-read from its file may have found it changed (diskcache.c's S_again):
	   an error, and the index without them is not this site's */
	r->rc = r->rc || diag_errors() > 0;
	/* the index state cut short while its terms were read from its mapping: they may be zeros */
	if (!r->rc && diskcache_parts_cut(r->sparts)) {
		diag_error(NULL, 0, 0,
			   "the search index's state changed while the site was built; build again");
		r->rc = 1;
	}
	diskcache_z_close(r->zmemo, r->rc == 0, r->sdisk && r->sdisk->index_kept);
	/* the state the save writes once the output is swapped in, made here: off the main thread */
	if (!r->rc && r->sdisk && r->ahead)
		r->encoded = search_state_encode(r->sdisk, &r->next) == 0;
	r->ms = S_elapsed(&t0);
	return NULL;
}

/* Whether the index runs beside the stages after it (struct index_run): a rebuild's, not at -j1. */
static int S_index_beside(const struct stage_clock *c, const struct loaded_site *ls, const struct output *out)
{
	return ls->jobs > 1 && (c->roomy || (out->mem && c->opts->incr));
}

static void S_index_start(struct index_run *r)
{
	if (S_index_beside(r->c, r->ls, r->out)) {
		/* encoded ahead only here: a first rebuild indexes in line, and its whole state is
		   not held from its index to its save */
		r->ahead = 1;
		if (pthread_create(&r->thread, NULL, S_index_main, r) == 0)
			r->threaded = 1;
		else
			r->ahead = 0;
	}
}

/* The index stage run, or its thread joined, and its -v lines: 0, or 1 when it failed. */
static int S_index_stage(struct index_run *r)
{
	struct stage_clock *c = r->c;
	struct loaded_site *ls = r->ls;

	if (r->threaded) {
		pthread_join(r->thread, NULL);
		r->threaded = 0;
	} else {
		S_stage_begin(c, "indexing");
		S_index_main(r);
	}
	if (r->rc)
		return 1;
	if (r->out->mem && c->opts->incr)
		S_stage_end_ms(c, "index", r->ms,
			       "%zu pages (%lu indexed again), %zu terms, %zu postings, %zu files, %zu bytes",
			       r->stats.docs, c->opts->incr->pages_indexed, r->stats.terms, r->stats.postings,
			       r->stats.files, r->stats.bytes);
	else
		S_index_line(c, r->ms, &r->stats, r->zon, r->zmade, r->zhits, r->sdisk, r->sparts->nread);
	if (ls->kept && c->opts->verbose) { /* what the render and the index read of the parse cache */
		unsigned long bodies, terms, again;
		diskcache_kept_stats(ls->kept, &bodies, &terms, &again);
		fprintf(stderr,
			"jixia: kept     %lu bodies and %lu pages' terms read back from the parse cache, "
			"%lu pages parsed again for them\n",
			bodies, terms, again);
	}
	/* the index's postings and the pages' search terms (freed as it read them) go back
	   before the pictures' fonts and surfaces come (serve: at the end, not in its wait) */
	if (!c->opts->incr)
		S_give_back(c);
	return 0;
}

/*
 * Writes the checked site into a new output folder, stage by stage, and
 * swaps it in; on an error the folder is removed and the previous output
 * stays. Returns the exit code: 0, 1 content errors, 2 environment.
 */
static int S_output(struct stage_clock *c, struct loaded_site *ls, const struct lists *lists,
		    const struct plan *plan, struct media *media)
{
	struct output out;
	size_t written = 0, kept = 0, vouched;
	char cur_read[80] = "";
	struct incr *disk = NULL;      /* a rebuild's render state (diskcache.h) */
	struct diskcache_parts sparts; /* and its index state's parts as read */
	struct index_run ir;
	struct output_prelook *pre;
	uint64_t out_id[3];
	int have_id, ahead, code = 1;

	memset(&out, 0, sizeof(out));
	memset(&sparts, 0, sizeof(sparts));
	buf_init(&sparts.bytes);
	memset(&ir, 0, sizeof(ir));
	ir.c = c;
	ir.ls = ls;
	ir.out = &out;
	ir.sparts = &sparts;
	buf_init(&ir.next.bytes);
	S_stage_begin(c, "rendering");
	/* the folder looks made ahead, stopped, for output_begin to take over (or drop); tests: all
	   of them, after a hold */
	S_test_hold("JIXIA_TEST_LOOKS_HOLD");
	S_ahead_join(&c->ahead, !getenv("JIXIA_TEST_LOOKS_HOLD"));
	pre = c->ahead.pre;
	c->ahead.pre = NULL;
	if (c->opts->mem)
		output_prelook_free(pre);
	/* -o as given, else DIR/public (opts->out NULL). */
	if (c->opts->mem ? output_begin_memory(&out, c->opts->mem)
			 : output_begin_prelooked(&out, c->opts->out, c->opts->dir, pre)) {
		code = 2;
		goto done;
	}
	have_id = !out.mem && c->disk_cache && output_folder_id(&out, out_id) == 0;
	ahead = S_ahead_take(&c->ahead, &out, have_id ? out_id : NULL);
	/* a rebuild into the spare: which of its folders the builds before left as they are (write.h) */
	if (!out.mem && c->disk_cache && out.recycled) {
		struct buf rec = BUF_INIT;
		if (ahead ? c->ahead.rec_read : diskcache_folders_read(c->opts->dir, out.dir, &rec) == 0)
			output_folders_load(&out, ahead ? c->ahead.rec.ptr : rec.ptr,
					    ahead ? c->ahead.rec.len : rec.len);
		buf_release(&rec);
	}
	if (ahead) { /* the index state, and its parts, which it points to */
		ir.sdisk = c->ahead.sdisk;
		ir.sparts = &c->ahead.sparts;
		ir.sread = 1;
		c->ahead.sdisk = NULL;
	}
	S_index_start(&ir); /* from here the output is written on two threads */
	/* a rebuild: the render state of the build that made the output, kept on disk (diskcache.h) */
	if (ahead) {
		disk = c->ahead.disk;
		c->ahead.disk = NULL;
	} else if (have_id) {
		struct buf state = BUF_INIT;
		disk = diskcache_render_read(c->opts->dir, out.dir, out_id, &state);
		if (disk && state.len)
			(void)rerender_disk_decode(disk, state.ptr, state.len); /* damaged: nothing kept */
		buf_release(&state);
	}
	diskcache_render_commit(disk, &ls->src, ls->repo);
	/* serve: the outputs whose inputs did not change are shared from the last site (rerender.h);
	   a rebuild's are the output's files */
	if (render_site_incr(&ls->site, &ls->theme, lists, plan, &out, ls->jobs,
			     out.mem ? c->opts->incr : disk, &written, &kept) ||
	    diag_errors() > 0)
		goto done;
	if (c->opts->incr) {
		c->opts->incr->rendered = written - kept;
		c->opts->incr->kept = kept;
	}
	/* and the page files whose bytes it digested (rerender.c's S_file_key), the pages whose
	   identity and values it digested (the others' kept with their file: S_values_on_disk) */
	if (disk && !out.mem) {
		size_t looked, prelooked;
		pthread_mutex_lock(&out.lock); /* the index's folders too, when it runs beside */
		looked = out.looked;
		prelooked = out.prelooked;
		pthread_mutex_unlock(&out.lock);
		/* (the files written: the write line's, the index's among them) */
		S_stage_end(c, "render",
			    "%zu pages (%zu rendered, %zu unchanged, %zu of them vouched for by their "
			    "folder), %zu folders looked at (%zu of them beside the model), %lu page files "
			    "digested, %lu pages' values digested, the state read %s",
			    written, written - kept, kept, out.vouched, looked, prelooked,
			    disk->pages_digested, disk->pages_valued, ahead ? "beside the model" : "here");
	} else if ((out.mem && c->opts->incr) || disk)
		S_stage_end(c, "render",
			    "%zu pages (%zu rendered, %zu unchanged), %zu files, %zu bytes written", written,
			    written - kept, kept, (size_t)atomic_load(&out.files),
			    (size_t)atomic_load(&out.bytes));
	else
		S_stage_end(c, "render", "%zu pages, %zu files, %zu bytes written, %lu bodies from a file",
			    written, (size_t)atomic_load(&out.files), (size_t)atomic_load(&out.bytes),
			    spill_count(c->spill));
	if (pool_cancelled()) /* pages were skipped: nothing after is wanted (pool.h) */
		goto done;
	S_drop_bodies(ls);
	S_spill_free(c->spill); /* the bodies' file goes with them */
	c->spill = NULL;
	if (!c->opts->incr) /* serve trims once the pages are told (serve.c), not on their way */
		S_give_back(c);

	S_stage_begin(c, "copying files");
	if (media_write(media, &out, ls->jobs, &written))
		goto done;
	S_stage_end(c, "media", "%zu files", written);

	if (!ir.threaded && S_index_stage(&ir))
		goto done;

	S_stage_begin(c, "feeds");
	/* the feeds whose inputs did not change are the last site's (rerender.h): serve's, or
	   a rebuild's output's files */
	kept = 0;
	vouched = out.vouched; /* render's: the feeds' are those after */
	if (feeds_write_incr(&ls->site, &ls->theme, plan, &out, ls->jobs, out.mem ? c->opts->incr : disk,
			     &written, &kept))
		goto done;
	if (c->opts->incr)
		c->opts->incr->feeds_kept = kept;
	if (disk && !out.mem)
		S_stage_end(
			c, "feeds",
			"%zu feeds, calendars, sitemaps and robots.txt (%zu unchanged, %zu of them vouched "
			"for by their folder)",
			written, kept, out.vouched - vouched);
	else if ((out.mem && c->opts->incr) || disk)
		S_stage_end(c, "feeds", "%zu feeds, calendars, sitemaps and robots.txt (%zu unchanged)",
			    written, kept);
	else
		S_stage_end(c, "feeds", "%zu feeds, calendars, sitemaps and robots.txt", written);

	if (pool_cancelled()) /* before anything is swapped in */
		goto done;

	if (plan->images.n) {
		size_t cached = 0;
		S_stage_begin(c, "drawing");
		if (cards_write_incr(&ls->site, &ls->theme, plan, media, &out, ls->jobs, c->opts->incr,
				     &written, &cached))
			goto done;
		S_stage_end(c, "cards", "%zu posters and cards, %zu of them from the cache", written, cached);
	}
	if (ir.threaded && S_index_stage(&ir))
		goto done;
	/* the reused pages' strings, views of the parse cache's mapping: cut under the build (the
	   index's thread joined: it reads them too), they read zeros */
	if (diskcache_kept_cut(ls->kept))
		diag_error(NULL, 0, 0, "the parse cache changed while the site was built; build again");
	/* nothing is swapped in after an error, whichever stage reported it */
	if (pool_cancelled() || diag_errors() > 0)
		goto done;

	S_stage_begin(c, "writing");
	/* The stamp names the output it describes: gone before another one
	 * is swapped in, saved once this one is (if the build stays silent). */
	if (!out.mem)
		incr_stamp_drop(out.dir);
	/* a build with no spare: the current output's folders, the next build's spare (write.h) */
	if (!out.mem && c->disk_cache)
		(void)output_record_current(&out, ls->jobs);
	if (output_commit(&out)) {
		code = 2;
		goto done;
	}
	if (out.mem)
		rerender_commit(c->opts->incr, out.mem); /* the next rebuild shares from this site */
	if (disk) /* under the number this build's folders' record will have (output_folders_save) */
		rerender_disk_set_gen(disk, out.record_gen + 1);
	if (disk) /* what the next rebuild keeps from this output, for the folder now in place */
		diskcache_render_save(disk, c->opts->dir, out.dir,
				      output_folder_id(&out, out_id) == 0 ? out_id : NULL,
				      rerender_disk_write);
	if (!out.mem && c->disk_cache) { /* and which folders it need not read */
		struct buf rec = BUF_INIT;
		output_folders_save(&out, &rec);
		if (rec.len)
			diskcache_folders_save(c->opts->dir, out.dir, rec.ptr, rec.len);
		buf_release(&rec);
	}
	if (ir.sdisk) { /* and the index's, for the next rebuild's (search.h) */
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (!ir.ahead)
			ir.encoded = search_state_encode(ir.sdisk, &ir.next) == 0;
		diskcache_search_save(ir.sdisk, c->opts->dir, out.dir,
				      output_folder_id(&out, out_id) == 0 ? out_id : NULL, ir.sparts,
				      ir.encoded ? &ir.next : NULL);
		if (ir.sparts->nsaved)
			S_stage_end_ms(c, "state", S_elapsed(&t0),
				       "the index state saved: %zu of %zu parts written (%llu bytes)%s",
				       ir.sparts->nwritten, ir.sparts->nsaved,
				       (unsigned long long)ir.sparts->written_bytes,
				       ir.sparts->whole ? ", the file whole" : ", appended");
		else
			S_stage_end_ms(c, "state", S_elapsed(&t0), "no index state kept");
	}
	/* a build with no spare says how many folders it read for the next build */
	if (out.cur_read)
		snprintf(cur_read, sizeof(cur_read),
			 ", %zu folders of the output before read for the next build", out.cur_read);
	if (out.mem)
		S_stage_end(c, "write", "swapped into memory");
	else
		S_stage_end(
			c, "write",
			"swapped into %s: %zu files written, %zu unchanged, %zu removed%s, %zu folders made, "
			"%zu read",
			out.dir, (size_t)atomic_load(&out.changed),
			(size_t)(atomic_load(&out.files) - atomic_load(&out.changed)),
			(size_t)atomic_load(&out.removed), cur_read, (size_t)atomic_load(&out.mkdirs),
			out.walked);
	c->files = (size_t)atomic_load(&out.files) - (out.mem ? 0 : 1); /* not the .jixia-output marker */
	if (!out.mem && !c->opts->incr && diag_pending() == 0 && diag_errors() == 0 && diag_warnings() == 0)
		incr_stamp_save(&c->stamp, out.dir, c->files);
	code = 0;
done:
	if (ir.threaded) /* a stage before it failed */
		pthread_join(ir.thread, NULL);
	output_release(&out); /* removes the new folder unless it was swapped in */
	if (c->opts->exiting && !S_FREE_ALL && code == 0)
		return code; /* the states (100,000s of blocks): the system frees them all at once */
	incr_free(disk);
	incr_free(ir.sdisk);
	diskcache_parts_release(&ir.next);
	diskcache_parts_release(&sparts);
	return code;
}

/*
 * jixia serve stopping during the build (pool_cancel): whatever it got to
 * is thrown away like a failed build's, and what the stages it cut short
 * reported (a half-rendered site's warnings) is not shown.
 */
static void S_cancelled(int *code)
{
	if (!pool_cancelled())
		return;
	diag_reset();
	*code = BUILD_CANCELLED;
}

int build_run(const struct build_opts *opts)
{
	struct stage_clock clk;
	struct loaded_site ls;
	struct lists lists;
	struct media media;
	struct plan plan;
	struct changed_set changed = { NULL, 0 };
	int code;

	memset(&clk, 0, sizeof(clk));
	memset(&ls, 0, sizeof(ls));
	memset(&lists, 0, sizeof(lists));
	memset(&media, 0, sizeof(media));
	memset(&plan, 0, sizeof(plan));
	clk.opts = opts;
	clk.progress = !opts->verbose && isatty(2) && !getenv("CI");
	clk.summary = clk.progress || opts->verbose;
	clock_gettime(CLOCK_MONOTONIC, &clk.start);
	diag_set_strict(opts->strict);

	code = S_check(&clk, &ls, &lists, &plan, &media, &changed);
	if (code == 0 && !opts->check_only && !clk.up_to_date)
		code = S_output(&clk, &ls, &lists, &plan, &media);
	S_ahead_join(&clk.ahead, 1);
	heap_ahead_stop(clk.populate); /* on every path, before the build's memory is freed */
	clk.populate = NULL;
	S_cancelled(&code);
	if (opts->incr)
		opts->incr->builds++;

	/* Flushed while the sources are alive: text diagnostics quote them. */
	code = S_finish(&clk, code);
	if (code == 0 && clk.summary && clk.up_to_date)
		fprintf(stderr,
			"jixia: up to date: nothing changed since the build of %zu %s in the output (%.2f s)\n",
			clk.stamp.files, S_plural(clk.stamp.files, "file", "files"),
			S_elapsed(&clk.start) / 1e3);
	else if (code == 0 && clk.summary)
		S_summary(&clk, &ls);
	incr_stamp_release(&clk.stamp);
	diag_set_text(NULL, NULL);
	S_dropped_free(clk.dropped);
	S_spill_free(clk.spill);
	diag_set_filter(NULL, NULL);
	while (changed.n)
		free(changed.paths[--changed.n]);
	free(changed.paths);
	if (opts->exiting && !S_FREE_ALL)
		return code; /* the system frees it all at once */
	S_ahead_release(&clk.ahead);
	media_release(&media);
	plan_release(&plan);
	lists_release(&lists);
	site_release(&ls);
	/* serve gives back what this build freed once it has told the open
	   pages (serve.c's malloc_trim after the reload event), not before */
	return code;
}
