/*
 * fuzz_toml: any bytes as a TOML document (a Hugo config or `+++` front
 * matter): every refusal, the definition rules of tables, and the tree freed.
 */
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ynode *doc = NULL;

	if (toml_load(&doc, "x.toml", (const char *)data, size, 0, NULL) == 0) {
		ynode_get(doc, "title");
		ynode_free(doc);
	}
	diag_reset();
	return 0;
}
