/*
 * fuzz_import: any bytes as a Hugo content file through `jixia import
 * hugo`'s conversion (front matter of each kind, shortcodes inside and
 * outside code, nesting, the scan bound): no crash, and text outside
 * shortcodes and front matter is never lost (the output is never empty
 * for a non-empty input).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "diag.h"
#include "import.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = BUF_INIT;

	import_convert_file(&out, "content/docs/x.md", (const char *)data, size);
	if (size && out.len == 0)
		abort();
	buf_release(&out);
	diag_reset();
	return 0;
}
