/*
 * fuzz_config: any bytes as site.yaml: the config reader (every key, base
 * URL, time zone, languages, taxonomies, limits), the content types it
 * defines or replaces, then a small site through collect, parse, link,
 * lists, media and links, so the names it chooses meet pages, terms and
 * lists (reserved names, clashes, the time zone's clock).
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
#include "types.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char S_event[] = "---\ntitle: e\ndate: 2024-05-18 19:30\nkind: tea\ntags: [a, b]\n"
			      "city: hz\n---\nbody\n";
static const char S_faq[] = "---\ntitle: q\ntags: [a, c]\nslug: page/2\nanswered_by: [p]\n---\nanswer\n";
static const char S_faq_en[] = "---\ntitle: q\ntags: [a]\n---\nanswer\n";
static const char S_person[] = "---\nname: p\n---\nhi\n";
static const char S_root[] = "---\ntitle: r\n---\nroot\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	struct source_file files[7];
	struct source src;
	struct config cfg;
	struct site site;
	struct lists lists;
	struct theme theme;
	struct media media;
	struct plan plan;
	size_t i;
	char *yaml;

	if (!once) {
		parse_init();
		once = 1;
	}
	yaml = malloc(size + 1);
	memcpy(yaml, data, size);
	yaml[size] = '\0';
	memset(&src, 0, sizeof(src));
	memset(&site, 0, sizeof(site));
	memset(&theme, 0, sizeof(theme));
	/* sorted by path, as the source reader gives them */
	files[0].path = (char *)"content/en/faq/q.md";
	files[0].data = (char *)S_faq_en;
	files[1].path = (char *)"content/events/2024-hz/index.md";
	files[1].data = (char *)S_event;
	files[2].path = (char *)"content/faq/q.en.md";
	files[2].data = (char *)S_faq_en;
	files[3].path = (char *)"content/faq/q.md";
	files[3].data = (char *)S_faq;
	files[4].path = (char *)"content/people/p.md";
	files[4].data = (char *)S_person;
	files[5].path = (char *)"content/tags.md";
	files[5].data = (char *)S_root;
	files[6].path = (char *)"site.yaml";
	files[6].data = yaml;
	for (i = 0; i < 6; i++)
		files[i].len = strlen(files[i].data);
	files[6].len = size;
	src.files = files;
	src.n = 7;
	src.root = (char *)".";

	if (config_load(&cfg, "site.yaml", yaml, size) == 0) {
		/* the types, as `jixia new` reads them, then the model over them */
		if (types_load(&site.types, &cfg) == 0)
			types_by_folder(&site.types, "faq");

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
		media_release(&media);
		plan_release(&plan);
		lists_release(&lists);
		model_release(&site);
	}
	config_release(&cfg);
	free(yaml);
	diag_reset();
	return 0;
}
