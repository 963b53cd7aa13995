/*
 * fuzz_search: any bytes as up to eight pages of a two-language site
 * (Markdown through the real parser, so titles, headings, tags, dates and
 * types reach the index as a build gives them), indexed on one thread and
 * on three: every term of the input must have the same postings both ways.
 * The index is then written into a temporary output and removed again.
 *
 * The input is cut at lines "%%" into the pages, in this order:
 * content/faq/a.md, content/faq/a.en.md, content/docs/d.md,
 * content/docs/d.en.md, content/faq/b.md, content/events/e.md,
 * content/cases/c.md, content/about.md.
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
#include "model.h"
#include "parse.h"
#include "search.h"
#include "source.h"
#include "tokenize.h"
#include "util.h"
#include "write.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SEP "\n%%\n"
#define NPAGES 8
#define MAX_TERMS 64

static const char S_yaml[] = "title: F\nlanguages:\n  - {code: zh, default: true}\n  - {code: en}\n"
			     "taxonomies: [tags]\n";
static const char *const S_paths[NPAGES] = {
	"content/faq/a.md", "content/faq/a.en.md", "content/docs/d.md",  "content/docs/d.en.md",
	"content/faq/b.md", "content/events/e.md", "content/cases/c.md", "content/about.md",
};

static char S_base[64], S_site[96], S_out[96];

static void S_cleanup(void)
{
	rmdir(S_site);
	rmdir(S_base);
}

static void S_init(void)
{
	const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(S_base, sizeof(S_base), "%s/jixia-fuzz-search-XXXXXX", tmp);
	if (!mkdtemp(S_base))
		abort();
	snprintf(S_site, sizeof(S_site), "%s/site", S_base);
	snprintf(S_out, sizeof(S_out), "%s/out", S_base);
	if (mkdir(S_site, 0755) != 0)
		abort();
	atexit(S_cleanup);
	parse_init();
}

static int S_file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct source_file *)a)->path, ((const struct source_file *)b)->path);
}

/* The input's terms to look up: the first MAX_TERMS the tokenizer gives. */
struct terms {
	char *v[MAX_TERMS];
	size_t n;
};

static void S_term(const char *term, size_t n, void *payload)
{
	struct terms *t = payload;
	if (t->n < MAX_TERMS)
		t->v[t->n++] = xstrndup(term, n);
}

/* The same postings, pages and impacts, from both indexes. */
static void S_compare(const struct search_index *a, const struct search_index *b, const char *term)
{
	const struct page *da[32], *db[32];
	int ia[32], ib[32];
	size_t na = search_index_postings(a, term, da, ia, 32);
	size_t nb = search_index_postings(b, term, db, ib, 32);
	size_t k, m = na < 32 ? na : 32;

	if (na != nb)
		abort();
	for (k = 0; k < m; k++)
		if (da[k] != db[k] || ia[k] != ib[k])
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	struct source_file files[NPAGES + 2];
	struct source src;
	struct config cfg;
	struct site site;
	struct terms terms;
	const char *p = (const char *)data, *end = p + size;
	size_t i, n = 0;

	if (!once) {
		S_init();
		once = 1;
	}
	memset(&src, 0, sizeof(src));
	memset(&site, 0, sizeof(site));
	memset(&terms, 0, sizeof(terms));
	files[n].path = (char *)"site.yaml";
	files[n].data = xstrndup(S_yaml, sizeof(S_yaml) - 1);
	files[n++].len = sizeof(S_yaml) - 1;
	for (i = 0; i < NPAGES && p <= end; i++) {
		const char *q = p, *e;
		while (q + 4 <= end && memcmp(q, SEP, 4) != 0)
			q++;
		e = q + 4 <= end ? q : end;
		files[n].path = (char *)S_paths[i];
		files[n].data = xstrndup(p, (size_t)(e - p));
		files[n++].len = (size_t)(e - p);
		if (e == end)
			break;
		p = e + 4;
	}
	qsort(files, n, sizeof(*files), S_file_cmp);
	src.files = files;
	src.n = n;
	src.root = S_site;
	tokenize((const char *)data, size, S_term, &terms);

	if (config_load(&cfg, "site.yaml", S_yaml, sizeof(S_yaml) - 1) == 0) {
		types_load(&site.types, &cfg);
		site.cfg = &cfg;
		site.src = &src;
		site.now = 1700000000;
		model_collect(&site);
		for (i = 0; i < site.npages; i++)
			parse_page(&site.pages[i], &cfg);
		/* As jixia build: nothing is indexed after an error. */
		if (model_link(&site) == 0 && diag_errors() == 0) {
			struct search_index *one = search_index_new(&site, 1);
			struct search_index *three = search_index_new(&site, 3);
			struct search_stats stats;
			struct output out;
			for (i = 0; i < terms.n; i++)
				S_compare(one, three, terms.v[i]);
			if (output_begin(&out, S_out, S_site) == 0) {
				search_index_write(one, &out, &stats);
				output_abort(&out);
			}
			output_release(&out);
			search_index_free(one);
			search_index_free(three);
		}
		model_release(&site);
	}
	config_release(&cfg);
	for (i = 0; i < n; i++)
		free(files[i].data);
	for (i = 0; i < terms.n; i++)
		free(terms.v[i]);
	diag_reset();
	return 0;
}
