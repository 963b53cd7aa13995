/*
 * import: the `jixia import hugo` command. It converts a Hugo site in
 * place, so the maintainer reviews one diff and commits it and the git
 * history of every page continues: site.yaml from Hugo's config, TOML and
 * JSON front matter as YAML, Hugo's shortcodes as the Markdown jixia
 * reads, Hugo's layouts/ and assets/ moved aside. No page changes its
 * path. What it cannot convert stays as it is and is listed with its
 * path:line.
 */
#ifndef JIXIA_IMPORT_H
#define JIXIA_IMPORT_H

#include <stddef.h>

struct import_opts {
	const char *from; /* "hugo": the only generator it reads */
	const char *dir;  /* the site folder, default "." */
	int check;        /* --check: print the report, change nothing */
	int force;        /* --force: convert even with uncommitted changes or outside git */
	int repin;        /* --repin: after the import's commit, translations follow it (S_repin) */
};

/*
 * Runs the import with the options main.c parsed and prints its report on
 * stdout (diagnostics on stderr). Returns the exit code: 0 when it
 * converted what it could (leftovers are listed, not errors); 1 when
 * Hugo's config cannot be read; 2 when it refuses (uncommitted changes,
 * no git, a site.yaml already there, no Hugo config) or cannot write.
 */
int import_run(const struct import_opts *opts);

/*
 * For the unit tests and the fuzz harness: into out, the bytes the content
 * file path (under content/, data len bytes) becomes in a site of one
 * language with no other files (a ref, include or param finds nothing),
 * then a line "%% left PATH:LINE: WHAT" per leftover.
 */
struct buf;
void import_convert_file(struct buf *out, const char *path, const char *data, size_t len);

#endif
