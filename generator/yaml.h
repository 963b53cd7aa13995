/*
 * yaml: YAML documents (site.yaml, front matter, i18n strings) read through
 * libyaml into a small tree that remembers where each node came from, so
 * every later check can say path:line:col. Hostile input is refused while
 * reading events, before anything is built: anchors and aliases, tags other
 * than the standard scalar ones, merge keys, nesting deeper than a bound,
 * duplicate keys (both lines named), more than one document.
 */
#ifndef JIXIA_YAML_H
#define JIXIA_YAML_H

#include <stddef.h>

enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode {
	enum ynode_kind kind;
	int line, col;       /* 1-based position in the file (offsets applied) */
	int plain;           /* scalar was written unquoted: may be null/bool/number */
	char *str;           /* scalar text, NUL-terminated (NULL for SEQ/MAP) */
	size_t len;          /* scalar length in bytes (may contain NUL? never: refused) */
	struct ynode **kids; /* SEQ: items; MAP: key0, value0, key1, value1, ... */
	size_t n;            /* number of entries in kids */
};

struct yaml_limits {
	int max_depth;    /* nesting bound; 0 means the default, 32 */
	size_t max_nodes; /* node count bound; 0 means the default, 100000 */
};

/*
 * Parses src (len bytes) as one YAML document. path names the file in
 * diagnostics; line_offset is added to every line (front matter starts
 * below the file's first line). An empty document gives *out = NULL and
 * returns 0. On error reports each problem through diag and returns -1 with
 * *out = NULL. limits may be NULL for the defaults. Caller frees with
 * ynode_free().
 */
int yaml_load(struct ynode **out, const char *path, const char *src, size_t len, int line_offset,
	      const struct yaml_limits *limits);

void ynode_free(struct ynode *n);

/* A deep copy of n (NULL for NULL), freed with ynode_free(). */
struct ynode *ynode_copy(const struct ynode *n);

/* MAP lookup by key; NULL when absent or when map is not a MAP. Borrowed. */
const struct ynode *ynode_get(const struct ynode *map, const char *key);

/* The key node that goes with a value found by ynode_get (for positions). */
const struct ynode *ynode_key(const struct ynode *map, const char *key);

/* Plain scalar "null", "~", "Null", "NULL" or empty. */
int ynode_is_null(const struct ynode *n);

/*
 * Plain scalar true/false (YAML 1.2 core: true, True, TRUE, false, ...).
 * Returns 1 and sets *out when n is a boolean, 0 otherwise.
 */
int ynode_bool(const struct ynode *n, int *out);

/* Plain scalar integer (decimal, optional sign) that fits a long long. */
int ynode_int(const struct ynode *n, long long *out);

/* Name of the kind for messages: "a string", "a list", "a mapping". */
const char *ynode_kind_name(const struct ynode *n);

#endif
