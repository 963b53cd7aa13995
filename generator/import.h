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

#endif
