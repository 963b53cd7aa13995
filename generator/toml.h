/*
 * toml: TOML 1.0 documents (Hugo's hugo.toml and config.toml, and its
 * `+++` front matter) read into the same positioned tree yaml.c gives, so
 * `jixia import hugo` reads a TOML or a YAML config one way. Debian ships
 * no C TOML library; this reader takes the whole language Hugo sites use
 * and refuses the rest at path:line:col, with bounded depth and size.
 */
#ifndef JIXIA_TOML_H
#define JIXIA_TOML_H

#include <stddef.h>

#include "yaml.h"

struct toml_limits {
	int max_depth;    /* nesting bound (tables, arrays, inline tables); 0 means 32 */
	size_t max_nodes; /* node count bound; 0 means 100000 */
};

/*
 * Parses src (len bytes) as one TOML document into *out, a YNODE_MAP
 * (empty for an empty document). Strings are scalars with plain 0;
 * integers (in decimal, whatever base was written), floats (inf and nan
 * as YAML's .inf and .nan), booleans and datetimes (as written, with `T`
 * and `Z` in capitals) are scalars with plain 1, so ynode_int and
 * ynode_bool read them. Tables are mappings in the order their keys came,
 * arrays and arrays of tables sequences. path names the file in
 * diagnostics; line_offset is added to every line (front matter below the
 * file's first line). The first problem stops the load: one diag error at
 * its line and column, -1 and *out NULL. limits may be NULL for the
 * defaults. Caller frees with ynode_free().
 */
int toml_load(struct ynode **out, const char *path, const char *src, size_t len, int line_offset,
	      const struct toml_limits *limits);

#endif
