/*
 * fuzz_frontmatter: any bytes as a content file's head: the fences, then
 * the YAML through every refusal (depth, aliases, tags, duplicates).
 */
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "parse.h"
#include "yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fm_split sp;
	struct ynode *doc = NULL;

	if (fm_split(&sp, "x.md", (const char *)data, size) == 0 && sp.fm &&
	    yaml_load(&doc, "x.md", sp.fm, sp.fm_len, sp.fm_line - 1, NULL) == 0) {
		ynode_get(doc, "title");
		ynode_free(doc);
	}
	diag_reset();
	return 0;
}
