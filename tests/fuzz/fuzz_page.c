/*
 * fuzz_page: any bytes as one content file of a small site, through the
 * whole model pipeline: config, collect, parse (fences, YAML, Markdown,
 * ids, summary), types and references, lists, link checks.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "links.h"
#include "lists.h"
#include "model.h"
#include "parse.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char S_yaml[] = "title: fuzz\nlanguages:\n  - {code: zh, default: true}\n  - {code: en}\n"
			     "taxonomies: [tags, city, speakers]\npaginate: 2\n";
static const char S_person[] = "---\nname: p\n---\nhi\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	struct source_file files[3];
	struct source src;
	struct config cfg;
	struct site site;
	struct lists lists;
	size_t i;

	if (!once) {
		parse_init();
		once = 1;
	}
	memset(&src, 0, sizeof(src));
	memset(&site, 0, sizeof(site));
	files[0].path = (char *)"content/people/p.md";
	files[0].data = (char *)S_person;
	files[0].len = sizeof(S_person) - 1;
	files[1].path = (char *)"content/talks/x.md";
	files[1].data = malloc(size + 1);
	memcpy(files[1].data, data, size);
	files[1].data[size] = '\0';
	files[1].len = size;
	files[2].path = (char *)"site.yaml";
	files[2].data = (char *)S_yaml;
	files[2].len = sizeof(S_yaml) - 1;
	src.files = files;
	src.n = 3;
	src.root = (char *)".";
	if (config_load(&cfg, "site.yaml", S_yaml, sizeof(S_yaml) - 1) == 0) {
		site.cfg = &cfg;
		site.src = &src;
		site.now = 1700000000;
		model_collect(&site);
		for (i = 0; i < site.npages; i++)
			parse_page(&site.pages[i], &cfg);
		model_link(&site);
		lists_build(&lists, &site);
		links_check(&site, &lists);
		lists_release(&lists);
		model_release(&site);
	}
	config_release(&cfg);
	free(files[1].data);
	diag_reset();
	return 0;
}
