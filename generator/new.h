/*
 * new: the `jixia new` command. It writes one content file for a type of
 * site.yaml, with the title filled in, every required field present and
 * every optional one shown commented out, so a first-time contributor
 * starts from a file that `jixia check` understands; or, with --translate,
 * a translator's copy of a page that records the commit it follows. The
 * site is --dir, else the nearest folder with a site.yaml from the current
 * one up. It never overwrites a file and never writes outside the site's
 * content/.
 */
#ifndef JIXIA_NEW_H
#define JIXIA_NEW_H

struct new_opts {
	const char *type;      /* TYPE: a type name (talk) or its folder (talks); NULL with translate */
	const char *title;     /* "Title", as given; NULL with translate */
	const char *translate; /* --translate PATH: the page to translate, or NULL */
	const char *dir;       /* --dir, or NULL: the site found from the current folder up */
	const char *slug;      /* --slug, or NULL: made from the title */
	const char *lang;      /* --lang, or NULL for the default language (required with translate) */
	const char *date;      /* --date, or NULL: SOURCE_DATE_EPOCH, else today */
	int bundle;            /* --bundle */
};

/*
 * Runs `jixia new` with the options main.c parsed. Prints the path written
 * (relative to the current folder, or under --dir's DIR) on stdout and
 * what is left to fill in on stderr. Returns the exit code: 0; 1 when the
 * file or the page it would make already exists, or site.yaml or the page
 * to translate has errors; 2 for usage or environment errors (no site
 * found, a name that cannot be used, a path that is not a page).
 */
int new_run(const struct new_opts *opts);

#endif
