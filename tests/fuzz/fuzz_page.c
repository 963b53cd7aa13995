/*
 * fuzz_page: any bytes as one content file of a small site, through the
 * whole model pipeline: config, collect, parse (fences, YAML, Markdown,
 * ids, summary), types and references, lists, media, link checks, and the
 * body as render puts it out. The page is a bundle with an image beside it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "links.h"
#include "lists.h"
#include "media.h"
#include "model.h"
#include "parse.h"
#include "plan.h"
#include "source.h"
#include "theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char S_yaml[] = "title: fuzz\nlanguages:\n  - {code: zh, default: true}\n  - {code: en}\n"
			     "taxonomies: [tags, city, speakers]\npaginate: 2\n";
static const char S_person[] = "---\nname: p\navatar: p.png\n---\nhi\n";
/* a PNG header: 4 x 3 pixels */
static const char S_png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x04\0\0\0\x03\x08\x02\0\0\0";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	struct source_file files[5];
	struct source src;
	struct config cfg;
	struct site site;
	struct lists lists;
	struct theme theme;
	struct media media;
	struct plan plan;
	struct buf html = BUF_INIT;
	size_t i;

	if (!once) {
		parse_init();
		once = 1;
	}
	memset(&src, 0, sizeof(src));
	memset(&site, 0, sizeof(site));
	memset(&theme, 0, sizeof(theme));
	/* sorted by path, as the source reader gives them */
	files[0].path = (char *)"content/people/p.md";
	files[0].data = (char *)S_person;
	files[0].len = sizeof(S_person) - 1;
	files[1].path = (char *)"content/people/p.png";
	files[2].path = (char *)"content/talks/x/a.png";
	files[1].data = files[2].data = (char *)S_png;
	files[1].len = files[2].len = sizeof(S_png) - 1;
	files[3].path = (char *)"content/talks/x/index.md";
	files[3].data = malloc(size + 1);
	memcpy(files[3].data, data, size);
	files[3].data[size] = '\0';
	files[3].len = size;
	files[4].path = (char *)"site.yaml";
	files[4].data = (char *)S_yaml;
	files[4].len = sizeof(S_yaml) - 1;
	src.files = files;
	src.n = 5;
	src.root = (char *)".";
	if (config_load(&cfg, "site.yaml", S_yaml, sizeof(S_yaml) - 1) == 0) {
		types_load(&site.types, &cfg);
		site.cfg = &cfg;
		site.src = &src;
		site.now = 1700000000;
		model_collect(&site);
		for (i = 0; i < site.npages; i++)
			parse_page(&site.pages[i], &cfg);
		model_link(&site);
		lists_build(&lists, &site);
		plan_build(&plan, &site, &lists, &theme);
		media_plan(&media, &site, &plan);
		links_check(&site, &plan, &media);
		for (i = 0; i < site.npages; i++)
			links_put_html(&html, &site.pages[i]);
		media_release(&media);
		plan_release(&plan);
		lists_release(&lists);
		model_release(&site);
	}
	config_release(&cfg);
	free(files[3].data);
	buf_release(&html);
	diag_reset();
	return 0;
}
