/*
 * new: the `jixia new` command. It writes one content file for a type of
 * site.yaml, with the title filled in, every required field present and
 * every optional one shown commented out, so a first-time contributor
 * starts from a file that `jixia check` understands. It never overwrites a
 * file and never writes outside DIR/content.
 */
#ifndef JIXIA_NEW_H
#define JIXIA_NEW_H

struct new_opts {
	const char *type;  /* TYPE: a type name (talk) or its folder (talks) */
	const char *title; /* "Title", as given */
	const char *dir;   /* --dir, "." by default */
	const char *slug;  /* --slug, or NULL: made from the title */
	const char *lang;  /* --lang, or NULL for the default language */
	const char *date;  /* --date, or NULL: SOURCE_DATE_EPOCH, else today */
	int bundle;        /* --bundle */
};

/*
 * Runs `jixia new` with the options main.c parsed. Prints the path written
 * on stdout and what is left to fill in on stderr. Returns the exit code:
 * 0, 1 when the file already exists or site.yaml has errors, 2 for usage
 * or environment errors.
 */
int new_run(const struct new_opts *opts);

#endif
