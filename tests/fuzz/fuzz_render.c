/*
 * fuzz_render: any bytes as a small site, built the way jixia build does
 * from site.yaml to the last feed: the theme loaded with the repository's
 * layouts over the embedded ones, every page and listing rendered with it
 * (JSON-LD in the head included), then the search index, Atom feeds,
 * iCalendar files and the sitemap, written into a temporary output that is
 * removed again after each run.
 *
 * The input is cut at lines "%%" into parts: site.yaml, content/faq/a.md,
 * content/events/e.md, then up to three theme files, each a first line
 * naming it (layouts/faq.html, layouts/partials/card.html,
 * layouts/i18n/en.yaml, assets/x.css) and its bytes after. A person and a
 * talk that refers to it and to the event are always there.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "feeds.h"
#include "links.h"
#include "lists.h"
#include "media.h"
#include "model.h"
#include "parse.h"
#include "plan.h"
#include "render.h"
#include "search.h"
#include "source.h"
#include "theme.h"
#include "write.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SEP "\n%%\n"
#define MAX_FILES 16

static const char S_person[] = "---\nname: P\nbio: b\ncity: c\n---\nhi\n";
static const char S_talk[] = "---\ntitle: T\ndate: 2024-01-02\nspeakers: [p]\nevent: e\ntags: [x, y]\n"
			     "video: https://example.org/v\n---\n# H\n\ntext\n";

/* The folder holding the site root (empty) and the output beside it. */
static char S_base[64], S_site[96], S_out[96];

static void S_cleanup(void)
{
	rmdir(S_site);
	rmdir(S_base);
}

static void S_init(void)
{
	const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(S_base, sizeof(S_base), "%s/jixia-fuzz-render-XXXXXX", tmp);
	if (!mkdtemp(S_base))
		abort();
	snprintf(S_site, sizeof(S_site), "%s/site", S_base);
	snprintf(S_out, sizeof(S_out), "%s/out", S_base);
	if (mkdir(S_site, 0755) != 0)
		abort();
	atexit(S_cleanup);
	parse_init();
}

/* A theme file's name from the fuzzer: a plain path under layouts/ or assets/. */
static int S_theme_name(const char *s, size_t n)
{
	size_t i;
	if (n > 64 || !((n > 8 && memcmp(s, "layouts/", 8) == 0) || (n > 7 && memcmp(s, "assets/", 7) == 0)))
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
		      c == '/'))
			return 0;
		if (c == '.' && i + 1 < n && s[i + 1] == '.')
			return 0;
		if (c == '/' && (i + 1 == n || s[i + 1] == '/'))
			return 0;
	}
	return 1;
}

static int S_file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct source_file *)a)->path, ((const struct source_file *)b)->path);
}

static void S_add(struct source *src, const char *path, size_t pathlen, const char *p, size_t n)
{
	struct source_file *f = &src->files[src->n++];
	f->path = malloc(pathlen + 1);
	memcpy(f->path, path, pathlen);
	f->path[pathlen] = '\0';
	f->data = malloc(n + 1);
	if (n)
		memcpy(f->data, p, n);
	f->data[n] = '\0';
	f->len = n;
}

/* The site the input describes, sorted by path, one file per path. */
static void S_source(struct source *src, const char *in, size_t size)
{
	static const char *const pages[] = { "site.yaml", "content/faq/a.md", "content/events/e.md" };
	size_t part = 0, i, k;
	const char *p = in, *end = in + size;

	src->files = calloc(MAX_FILES, sizeof(*src->files));
	src->root = (char *)S_site;
	S_add(src, "content/people/p.md", 19, S_person, sizeof(S_person) - 1);
	S_add(src, "content/talks/t.md", 18, S_talk, sizeof(S_talk) - 1);
	while (p <= end && part < 6) {
		const char *q = p, *e;
		size_t n;
		while (q + 4 <= end && memcmp(q, SEP, 4) != 0)
			q++;
		e = q + 4 <= end ? q : end;
		n = (size_t)(e - p);
		if (part < 3) {
			S_add(src, pages[part], strlen(pages[part]), p, n);
		} else {
			const char *nl = memchr(p, '\n', n);
			size_t nlen = nl ? (size_t)(nl - p) : n;
			if (S_theme_name(p, nlen))
				S_add(src, p, nlen, nl ? nl + 1 : e, nl ? (size_t)(e - nl - 1) : 0);
		}
		part++;
		if (e == end)
			break;
		p = e + 4;
	}
	qsort(src->files, src->n, sizeof(*src->files), S_file_cmp);
	for (i = 0, k = 0; i < src->n; i++) {
		if (k && strcmp(src->files[k - 1].path, src->files[i].path) == 0) {
			free(src->files[i].path);
			free(src->files[i].data);
			continue;
		}
		src->files[k++] = src->files[i];
	}
	src->n = k;
}

/* Render, media, search and feeds into a temporary output, then dropped. */
static void S_write(struct site *site, struct theme *theme, struct lists *lists, struct plan *plan,
		    struct media *media)
{
	struct output out;
	struct search_stats stats;
	size_t n;

	if (output_begin(&out, S_out, S_site) == 0) {
		if (render_site(site, theme, lists, plan, &out, 1, &n) == 0 &&
		    media_write(media, &out, 1, &n) == 0 && search_build(site, &out, 1, &stats) == 0)
			feeds_write(site, theme, plan, &out, 1, &n);
		output_abort(&out);
	}
	output_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	struct source src;
	struct config cfg;
	struct site site;
	struct lists lists;
	struct theme theme;
	struct media media;
	struct plan plan;
	const struct source_file *yaml;
	size_t i;
	int rc = 0;

	if (!once) {
		S_init();
		once = 1;
	}
	memset(&src, 0, sizeof(src));
	memset(&cfg, 0, sizeof(cfg));
	memset(&site, 0, sizeof(site));
	memset(&lists, 0, sizeof(lists));
	memset(&theme, 0, sizeof(theme));
	memset(&media, 0, sizeof(media));
	S_source(&src, (const char *)data, size);
	yaml = source_find(&src, "site.yaml");
	if (config_load(&cfg, "site.yaml", yaml->data, yaml->len) == 0) {
		if (theme_load(&theme, &src, &cfg))
			rc = -1;
		if (types_load(&site.types, &cfg))
			rc = -1;
		site.cfg = &cfg;
		site.src = &src;
		site.now = 1700000000;
		if (model_collect(&site))
			rc = -1;
		for (i = 0; i < site.npages; i++)
			parse_page(&site.pages[i], &cfg);
		if (model_link(&site))
			rc = -1;
		lists_build(&lists, &site);
		plan_build(&plan, &site, &lists, &theme);
		if (media_plan(&media, &site, &plan) || links_check(&site, &plan, &media))
			rc = -1;
		/* As jixia build: nothing is written after an error. */
		if (rc == 0 && diag_errors() == 0)
			S_write(&site, &theme, &lists, &plan, &media);
		media_release(&media);
		plan_release(&plan);
		lists_release(&lists);
		model_release(&site);
		theme_release(&theme);
	}
	config_release(&cfg);
	for (i = 0; i < src.n; i++) {
		free(src.files[i].path);
		free(src.files[i].data);
	}
	free(src.files);
	diag_reset();
	return 0;
}
