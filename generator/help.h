/*
 * help: the usage texts of main.c laid out for the terminal (jixia help,
 * jixia help COMMAND, jixia COMMAND --help) and as the jixia.1 man page
 * (jixia help --man), so the two are one text and cannot drift apart. The
 * texts live in main.c, beside the options they describe.
 */
#ifndef JIXIA_HELP_H
#define JIXIA_HELP_H

#include <stdio.h>

/* One option, or one environment variable. */
struct help_opt {
	const char *flag; /* "--ref REF", "-j N", "SOURCE_DATE_EPOCH" */
	const char *text; /* lines of at most 62 columns, each ending in "\n" */
};

struct help_cmd {
	const char *name;            /* "build" */
	const char *args;            /* "[DIR] [options]", or "" */
	const char *summary;         /* one line of at most 60 columns for the list of commands */
	const char *about;           /* paragraphs of lines of at most 78 columns, each ending in
	                        "\n", a blank line between paragraphs */
	const struct help_opt *opts; /* ended by a NULL flag; NULL: none */
};

struct help {
	const char *version;         /* "0.1.0" */
	const char *whatis;          /* the man page's NAME line: "static site generator for ..." */
	const char *about;           /* jixia as a whole, as help_cmd.about */
	const struct help_cmd *cmds; /* ended by a NULL name */
	const struct help_opt *env;  /* environment variables, ended by a NULL flag */
	const char *exit_status;     /* one line, ending in "\n": "0 success, ..." */
};

/* The command called name, or NULL. */
const struct help_cmd *help_find(const struct help *h, const char *name);

/* usage: jixia <command> [options], then each command with its summary. */
void help_list(FILE *out, const struct help *h);

/* One command's usage line, what it does and its options. */
void help_command(FILE *out, const struct help_cmd *c);

/* The whole help as a man page (roff, man macros): jixia.1. */
void help_man(FILE *out, const struct help *h);

#endif
