/*
 * main: the command line. Parses the arguments of every command (build,
 * check, serve, new, l10n, import, help, version: their options and usage texts are all
 * here, and help.c lays the texts out for the terminal and the man page),
 * picks the command and hands a filled-in options struct to it; nothing
 * else happens here.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <git2/global.h>

#include "build.h"
#include "cards.h"
#include "help.h"
#include "import.h"
#include "l10n.h"
#include "new.h"
#include "serve.h"

#define JIXIA_VERSION "0.1.0"

/*
 * Every command's usage text, the one source of `jixia help`, of each
 * command's --help and of the jixia.1 man page (help.h lays them out).
 * Lines are broken for an 80-column terminal: an option's text at 62
 * columns, a paragraph at 78.
 */
/* clang-format off */
#define OPT_REF { "--ref REF", \
	"read the site from a commit (HEAD, refs/heads/NAME,\n" \
	"refs/tags/NAME or a commit id) instead of the working tree;\n" \
	"no checkout\n" }
#define OPT_JOBS { "-j N", "worker threads (default: the number of CPUs)\n" }
#define OPT_DRAFTS { "--drafts", "include pages with draft: true\n" }
#define OPT_NOW { "--now TIME", \
	"the build time, seconds since 1970 or YYYY-MM-DD (default:\n" \
	"SOURCE_DATE_EPOCH, else unknown; never the wall clock)\n" }
#define OPT_STRICT { "--strict", "treat warnings as errors\n" }
#define OPT_FORMAT { "--format F", \
	"diagnostics as text (default; quotes the line), github\n" \
	"(workflow annotations) or json (one object per line)\n" }
#define OPT_VERBOSE { "-v", \
	"print each stage's time and counts, and end with the summary\n" \
	"line\n" }

static const struct help_opt S_build_opts[] = {
	OPT_REF,
	{ "-o DIR", "the output folder (default DIR/public)\n" },
	OPT_JOBS, OPT_DRAFTS, OPT_NOW, OPT_STRICT, OPT_FORMAT, OPT_VERBOSE,
	{ NULL, NULL }
};

static const struct help_opt S_check_opts[] = {
	OPT_REF, OPT_JOBS, OPT_DRAFTS, OPT_NOW, OPT_STRICT, OPT_FORMAT,
	{ "--changed-since REF",
	  "report only files changed since REF (the whole site is\n"
	  "still checked, so references into them count)\n" },
	OPT_VERBOSE,
	{ NULL, NULL }
};

static const struct help_opt S_serve_opts[] = {
	{ "--port N",
	  "the port to listen on (default 8383; 0: any free one, named\n"
	  "when it starts); a port in use is an error (exit 2)\n" },
	{ "--bind ADDR",
	  "the address to listen on (default 127.0.0.1, this machine\n"
	  "only; 0.0.0.0 or :: for other machines too: where they\n"
	  "reach it is printed)\n" },
	OPT_DRAFTS, OPT_JOBS,
	{ "--now TIME",
	  "the build time, seconds since 1970 or YYYY-MM-DD (default:\n"
	  "SOURCE_DATE_EPOCH, else the clock at each rebuild)\n" },
	{ "-v", "print each rebuild's stages with their times\n" },
	{ NULL, NULL }
};

static const struct help_opt S_new_opts[] = {
	{ "--slug SLUG",
	  "the file name (letters, digits, '-', '_', '/' between\n"
	  "parts); by default made from the title's ASCII letters and\n"
	  "digits, which must be two words or more and at least half\n"
	  "of the title's letters: a Chinese title needs --slug\n" },
	{ "--lang LANG",
	  "a language of site.yaml; other than the default it writes\n"
	  "SLUG.LANG.md (or content/LANG/... with translations:\n"
	  "{layout: dir})\n" },
	{ "--bundle",
	  "write FOLDER/SLUG/index.md instead, a folder for the item's\n"
	  "photos, slides and other files (a translation of an item that\n"
	  "is a folder goes into it without --bundle)\n" },
	{ "--dir DIR", "the site folder (default: found from the current folder up)\n" },
	{ "--date DATE",
	  "the date placeholders (default SOURCE_DATE_EPOCH, else\n"
	  "today); talks get its YYYY- prefix and events YYYY-MM-; a\n"
	  "--slug that starts with a year keeps it, unless --date\n"
	  "says otherwise\n" },
	{ "--translate PATH",
	  "write the LANG translation of the page PATH (from the\n"
	  "current folder, or from the site's) where the site keeps\n"
	  "translations: its front matter and body to translate, and\n"
	  "translated_from (site.yaml's field) set to the page's last\n"
	  "commit; takes --lang, no TYPE or title\n" },
	{ NULL, NULL }
};

static const struct help_opt S_l10n_opts[] = {
	{ "--lang LANG", "only this language\n" },
	OPT_REF,
	{ "--format F", "text (default; a line per page) or json (one object)\n" },
	{ "--now TIME",
	  "today, for the upcoming events: seconds since 1970 or\n"
	  "YYYY-MM-DD (default SOURCE_DATE_EPOCH, else the clock)\n" },
	{ "--diff PATH",
	  "print what changed in the original of the outdated\n"
	  "translation PATH (as listed: content/...) since the version\n"
	  "it follows, as a unified diff; 2 when PATH is not an\n"
	  "outdated translation\n" },
	{ NULL, NULL }
};

static const struct help_opt S_import_opts[] = {
	{ "--check",
	  "print the report and change nothing (a dry run)\n" },
	{ "--force",
	  "convert even when the working tree has uncommitted changes,\n"
	  "the site is not in git, or site.yaml exists (it is replaced)\n" },
	{ "--repin",
	  "once the import is committed: the translations that were up\n"
	  "to date before it follow the import commit (the translation\n"
	  "field), so its changes to their originals do not make them\n"
	  "outdated; the outdated ones stay outdated\n" },
	{ NULL, NULL }
};

static const struct help_opt S_help_opts[] = {
	{ "--man", "print the whole help as a man page (roff): jixia.1\n" },
	{ NULL, NULL }
};

static const struct help_cmd S_cmds[] = {
	{ "build", "[DIR] [options]", "render the site in DIR (default .) into DIR/public",
	  "Renders the site in DIR (default .) into DIR/public, or the folder -o names.\n"
	  "The new output is written beside the old one and swapped in whole: after an\n"
	  "error the old output is left as it was. On a terminal a progress line ends\n"
	  "as one summary line; in CI (CI set, or stderr not a terminal) a build that\n"
	  "succeeds prints nothing but its warnings.\n",
	  S_build_opts },
	{ "check", "[DIR] [options]", "run every check of the build and write nothing",
	  "Runs every check of the build (site.yaml, front matter, references, links,\n"
	  "images, duplicate URLs) and writes nothing. Diagnostics go to stderr as\n"
	  "path:line:col: error: message, every error of the run at once.\n",
	  S_check_opts },
	{ "serve", "[DIR] [options]", "preview the site, rebuilt and reloaded as you edit",
	  "Builds the site in DIR (default .) into memory and serves it on\n"
	  "http://127.0.0.1:8383/, with every absolute link on that address; writes\n"
	  "nothing to disk. Watches what the build reads (site.yaml, .mailmap,\n"
	  "content/, layouts/, assets/, static/) and the git branch: after a change\n"
	  "it rebuilds and every open page reloads (a stylesheet alone is swapped\n"
	  "in place). When the site has errors they are printed as jixia check\n"
	  "prints them and shown over every open page, and the last good build stays\n"
	  "served. Reads the working tree only (no --ref); uncommitted pages are\n"
	  "dated now. Ctrl-C stops it (exit 0).\n",
	  S_serve_opts },
	{ "new", "TYPE \"Title\" [options]", "write a new content file to fill in",
	  "Writes content/FOLDER/SLUG.md for TYPE (a type name such as talk, or its\n"
	  "folder such as talks) in the site and prints its path, relative to the\n"
	  "current folder. The site is the nearest folder with a site.yaml from the\n"
	  "current one up (not above the git repository's top), or DIR. Required\n"
	  "fields get placeholders, optional ones are shown commented out. An\n"
	  "existing file, or one that already makes the same page, is never\n"
	  "overwritten (exit 1). With --translate PATH --lang LANG it copies a page\n"
	  "for a translator instead.\n",
	  S_new_opts },
	{ "l10n", "[DIR] [options]", "missing and outdated translations",
	  "For each language other than the default (or only LANG): how many pages are\n"
	  "translated, the translations whose original changed since the commit they\n"
	  "follow (translated_from, else their own last commit), and the pages not\n"
	  "translated yet: the file to create and the words to translate, in the order\n"
	  "readers meet them (upcoming events, the home page, the lists' first pages,\n"
	  "then the most recently changed). Exit status 0 whatever the status; 1 when\n"
	  "the site has content errors, 2 for usage errors.\n",
	  S_l10n_opts },
	{ "import", "hugo [DIR] [options]", "convert a Hugo site in DIR into a jixia site, in place",
	  "Converts the Hugo site in DIR (default .) in place, for you to review as one\n"
	  "diff and commit, so every page keeps its path and its git history: writes\n"
	  "site.yaml from Hugo's config (title, base URL, languages, taxonomies, a type\n"
	  "per section with the fields its pages use, the translation field, mounts),\n"
	  "rewrites TOML and JSON front matter as YAML and Hugo's shortcodes as Markdown\n"
	  "(admonitions, figures, ref and relref links, videos, tabs, details, param,\n"
	  "include and readfile), and moves Hugo's layouts/ and assets/ to layouts.hugo/\n"
	  "and assets.hugo/. Prints what it converted, each shortcode it left as it is\n"
	  "with its path:line, and the next commands. Refuses (exit 2) when the working\n"
	  "tree has uncommitted changes, outside git, or when site.yaml exists, unless\n"
	  "--force; exit 1 when Hugo's config has errors.\n",
	  S_import_opts },
	{ "help", "[COMMAND]", "list the commands, or print one command's help",
	  "Without COMMAND, lists the commands; with one, prints its usage and options,\n"
	  "as 'jixia COMMAND --help' does.\n",
	  S_help_opts },
	{ "version", "", "print the version", "Prints jixia's version.\n", NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const struct help_opt S_env[] = {
	{ "SOURCE_DATE_EPOCH",
	  "the build time, seconds since 1970, when --now is not given\n"
	  "(a build never reads the clock; jixia serve does without\n"
	  "it); jixia new's default date\n" },
	{ "CI",
	  "when set, a build or check that succeeds prints nothing but\n"
	  "its warnings, even on a terminal (unless -v)\n" },
	{ NULL, NULL }
};
/* clang-format on */

static const struct help S_help = {
	.version = JIXIA_VERSION,
	.whatis = "static site generator for open-source communities",
	.about = "jixia builds the portal of an open-source community from a git repository of\n"
		 "Markdown files with YAML front matter (talks, FAQs, docs, case studies,\n"
		 "events, people) in several languages, with each page's history from git.\n"
		 "It checks every file (front matter, references, links, images) and reports\n"
		 "each problem at its path:line:col, renders the pages through Mustache\n"
		 "layouts, and writes a search index, feeds, calendars and a sitemap.\n",
	.cmds = S_cmds,
	.env = S_env,
	.exit_status = "0 success, 1 content errors, 2 usage or environment errors\n",
};

/* Where each command's usage errors send the reader. */
#define HELP_JIXIA "jixia help"
#define HELP_BUILD "jixia help build"
#define HELP_CHECK "jixia help check"
#define HELP_NEW "jixia help new"
#define HELP_L10N "jixia help l10n"
#define HELP_SERVE "jixia help serve"
#define HELP_IMPORT "jixia help import"

/* A command's --help. */
static int S_command_help(const char *name)
{
	help_command(stdout, help_find(&S_help, name));
	return 0;
}

static int S_usage_error(const char *help, const char *fmt, const char *arg)
{
	fprintf(stderr, "jixia: error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nrun '%s' for usage\n", help);
	return 2;
}

/* An option getopt refused, after its own message: where to read about the others. Returns 2. */
static int S_bad_option(const char *help)
{
	fprintf(stderr, "run '%s' for usage\n", help);
	return 2;
}

/* Seconds since the epoch, or YYYY-MM-DD (midnight UTC). -2 when malformed. */
static long long S_parse_time(const char *s)
{
	char *end;
	long long v;
	int y, m, d;
	char extra;
	struct tm tm;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s && !*end && errno == 0 && v >= 0)
		return v;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
		return -2;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	v = (long long)timegm(&tm);
	return v;
}

/* The optional DIR after the options of build, check and l10n: 0, or 2 for a second one. */
static int S_dir_operand(const char **dir, int argc, char **argv, const char *help)
{
	if (optind < argc)
		*dir = argv[optind++];
	if (optind < argc)
		return S_usage_error(help, "unexpected argument '%s'", argv[optind]);
	return 0;
}

/* One option of build or check into opts: 0, or 2 after a usage error. */
static int S_build_option(struct build_opts *opts, int c, const char *arg)
{
	const char *help = opts->check_only ? HELP_CHECK : HELP_BUILD;
	char *end;
	long n;

	switch (c) {
	case 'r': opts->ref = arg; return 0;
	case 'o':
		if (opts->check_only)
			return S_usage_error(help, "%s does not write output; -o is for build", "check");
		opts->out = arg;
		return 0;
	case 'j':
		n = strtol(arg, &end, 10);
		if (*end || n < 1 || n > 256)
			return S_usage_error(help, "-j '%s' must be a number from 1 to 256", arg);
		opts->jobs = (int)n;
		return 0;
	case 'd': opts->drafts = 1; return 0;
	case 'n':
		if ((opts->now = S_parse_time(arg)) < 0)
			return S_usage_error(help, "--now '%s' must be seconds since 1970 or YYYY-MM-DD",
					     arg);
		return 0;
	case 's': opts->strict = 1; return 0;
	case 'f':
		if (strcmp(arg, "text") == 0)
			opts->format = DIAG_TEXT;
		else if (strcmp(arg, "github") == 0)
			opts->format = DIAG_GITHUB;
		else if (strcmp(arg, "json") == 0)
			opts->format = DIAG_JSON;
		else
			return S_usage_error(help, "--format '%s' must be text, github or json", arg);
		return 0;
	case 'c':
		if (!opts->check_only)
			return S_usage_error(help, "%s is for jixia check", "--changed-since");
		opts->changed_since = arg;
		return 0;
	case 'v': opts->verbose = 1; return 0;
	default: return S_bad_option(help);
	}
}

static int S_build(int argc, char **argv, int check_only)
{
	/* clang-format off */
	static const struct option longopts[] = {
		{ "ref", required_argument, NULL, 'r' },
		{ "drafts", no_argument, NULL, 'd' },
		{ "now", required_argument, NULL, 'n' },
		{ "strict", no_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "changed-since", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	/* clang-format on */
	struct build_opts opts;
	const char *env, *help = check_only ? HELP_CHECK : HELP_BUILD;
	int c, rc;

	memset(&opts, 0, sizeof(opts));
	opts.dir = ".";
	opts.now = -1;
	opts.check_only = check_only;
	if ((env = getenv("SOURCE_DATE_EPOCH")) && *env && (opts.now = S_parse_time(env)) < 0)
		return S_usage_error(help, "SOURCE_DATE_EPOCH '%s' is not a number of seconds", env);
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:j:vh", longopts, NULL)) != -1) {
		if (c == 'h')
			return S_command_help(check_only ? "check" : "build");
		if ((rc = S_build_option(&opts, c, optarg)))
			return rc;
	}
	if ((rc = S_dir_operand(&opts.dir, argc, argv, help)))
		return rc;
	opts.exiting = 1;
	return build_run(&opts);
}

static int S_new(int argc, char **argv)
{
	/* clang-format off */
	static const struct option longopts[] = {
		{ "slug", required_argument, NULL, 's' },
		{ "translate", required_argument, NULL, 't' },
		{ "lang", required_argument, NULL, 'l' },
		{ "dir", required_argument, NULL, 'C' },
		{ "date", required_argument, NULL, 'd' },
		{ "bundle", no_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	/* clang-format on */
	struct new_opts opts;
	int c;

	memset(&opts, 0, sizeof(opts));
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': opts.slug = optarg; break;
		case 't': opts.translate = optarg; break;
		case 'l': opts.lang = optarg; break;
		case 'C': opts.dir = optarg; break;
		case 'd': opts.date = optarg; break;
		case 'b': opts.bundle = 1; break;
		case 'h': return S_command_help("new");
		default: return S_bad_option(HELP_NEW);
		}
	}
	if (opts.translate) {
		if (optind < argc)
			return S_usage_error(
				HELP_NEW,
				"unexpected argument '%s': --translate takes the type and the title from the page",
				argv[optind]);
		if (opts.slug || opts.bundle || opts.date)
			return S_usage_error(
				HELP_NEW, "%s",
				"--translate keeps the page's name, folder and dates: no --slug, --bundle or --date");
		if (!opts.lang)
			return S_usage_error(HELP_NEW, "%s",
					     "--translate needs --lang LANG, the language to translate into");
		return new_run(&opts);
	}
	if (argc - optind != 2)
		return S_usage_error(HELP_NEW, "%s",
				     "new needs a type and a title: jixia new TYPE \"Title\"");
	opts.type = argv[optind];
	opts.title = argv[optind + 1];
	return new_run(&opts);
}

static int S_l10n(int argc, char **argv)
{
	/* clang-format off */
	static const struct option longopts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "ref", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "diff", required_argument, NULL, 'd' },
		{ "now", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	/* clang-format on */
	struct l10n_opts opts;
	const char *env;
	int c, rc;

	memset(&opts, 0, sizeof(opts));
	opts.dir = ".";
	opts.now = -1;
	if ((env = getenv("SOURCE_DATE_EPOCH")) && *env && (opts.now = S_parse_time(env)) < 0)
		return S_usage_error(HELP_L10N, "SOURCE_DATE_EPOCH '%s' is not a number of seconds", env);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': opts.lang = optarg; break;
		case 'r': opts.ref = optarg; break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				opts.json = 1;
			else if (strcmp(optarg, "text") != 0)
				return S_usage_error(HELP_L10N, "--format '%s' must be text or json", optarg);
			break;
		case 'd': opts.diff = optarg; break;
		case 'n':
			if ((opts.now = S_parse_time(optarg)) < 0)
				return S_usage_error(HELP_L10N,
						     "--now '%s' must be seconds since 1970 or YYYY-MM-DD",
						     optarg);
			break;
		case 'h': return S_command_help("l10n");
		default: return S_bad_option(HELP_L10N);
		}
	}
	if ((rc = S_dir_operand(&opts.dir, argc, argv, HELP_L10N)))
		return rc;
	if (opts.diff && opts.json)
		return S_usage_error(HELP_L10N, "%s",
				     "--diff prints a diff: --format json does not go with it");
	return l10n_run(&opts);
}

static int S_serve(int argc, char **argv)
{
	/* clang-format off */
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "bind", required_argument, NULL, 'b' },
		{ "drafts", no_argument, NULL, 'd' },
		{ "now", required_argument, NULL, 'n' },
		{ "ref", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	/* clang-format on */
	struct serve_opts opts;
	const char *env;
	char *end;
	long n;
	int c, rc;

	memset(&opts, 0, sizeof(opts));
	opts.dir = ".";
	opts.bind = "127.0.0.1";
	opts.port = SERVE_PORT;
	opts.now = -1;
	if ((env = getenv("SOURCE_DATE_EPOCH")) && *env && (opts.now = S_parse_time(env)) < 0)
		return S_usage_error(HELP_SERVE, "SOURCE_DATE_EPOCH '%s' is not a number of seconds", env);
	optind = 1;
	while ((c = getopt_long(argc, argv, "j:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			n = strtol(optarg, &end, 10);
			if (!*optarg || *end || n < 0 || n > 65535)
				return S_usage_error(HELP_SERVE,
						     "--port '%s' must be a number from 0 to 65535", optarg);
			opts.port = (int)n;
			break;
		case 'b': opts.bind = optarg; break;
		case 'd': opts.drafts = 1; break;
		case 'j':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 256)
				return S_usage_error(HELP_SERVE, "-j '%s' must be a number from 1 to 256",
						     optarg);
			opts.jobs = (int)n;
			break;
		case 'n':
			if ((opts.now = S_parse_time(optarg)) < 0)
				return S_usage_error(HELP_SERVE,
						     "--now '%s' must be seconds since 1970 or YYYY-MM-DD",
						     optarg);
			break;
		case 'r':
			return S_usage_error(
				HELP_SERVE,
				"serve previews the working tree as it is edited; --ref '%s' is for "
				"build and check",
				optarg);
		case 'v': opts.verbose = 1; break;
		case 'h': return S_command_help("serve");
		default: return S_bad_option(HELP_SERVE);
		}
	}
	if ((rc = S_dir_operand(&opts.dir, argc, argv, HELP_SERVE)))
		return rc;
	return serve_run(&opts);
}

/* jixia import hugo [DIR] [--check] [--force]. */
static int S_import(int argc, char **argv)
{
	/* clang-format off */
	static const struct option longopts[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'f' },
		{ "repin", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	/* clang-format on */
	struct import_opts opts;
	int c, rc;

	memset(&opts, 0, sizeof(opts));
	opts.dir = ".";
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': opts.check = 1; break;
		case 'f': opts.force = 1; break;
		case 'p': opts.repin = 1; break;
		case 'h': return S_command_help("import");
		default: return S_bad_option(HELP_IMPORT);
		}
	}
	if (optind >= argc)
		return S_usage_error(HELP_IMPORT, "%s",
				     "import needs the generator to import from: jixia import hugo [DIR]");
	opts.from = argv[optind++];
	if (strcmp(opts.from, "hugo") != 0)
		return S_usage_error(HELP_IMPORT, "jixia imports from hugo only, not '%s'", opts.from);
	if ((rc = S_dir_operand(&opts.dir, argc, argv, HELP_IMPORT)))
		return rc;
	return import_run(&opts);
}

/*
 * jixia help [COMMAND | --man]: the list of commands, a command's help or
 * the man page, on stdout.
 */
static int S_help_command(int argc, char **argv)
{
	/* clang-format off */
	static const struct option longopts[] = {
		{ "man", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	/* clang-format on */
	const struct help_cmd *cmd;
	int c, man = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'm')
			man = 1;
		else if (c == 'h')
			return S_command_help("help");
		else
			return S_bad_option(HELP_JIXIA);
	}
	if (argc - optind > 1 || (man && optind < argc))
		return S_usage_error(HELP_JIXIA, "%s", "help takes one command, or --man alone");
	if (man) {
		help_man(stdout, &S_help);
		return 0;
	}
	if (optind == argc) {
		help_list(stdout, &S_help);
		return 0;
	}
	if (!(cmd = help_find(&S_help, argv[optind])))
		return S_usage_error(HELP_JIXIA, "unknown command '%s'", argv[optind]);
	help_command(stdout, cmd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	/* No command: the list, and a usage error's status. */
	if (!cmd) {
		help_list(stdout, &S_help);
		return 2;
	}
	if (strcmp(cmd, "build") == 0 || strcmp(cmd, "serve") == 0) {
		int rc;
		/* libgit2 held for the whole run: its count of users never falls to
		 * zero between serve's rebuilds, which would drop the key of its
		 * per-thread error state with this thread's still in it (a leak) */
		git_libgit2_init();
		rc = cmd[0] == 'b' ? S_build(argc - 1, argv + 1, 0) : S_serve(argc - 1, argv + 1);
		git_libgit2_shutdown();
		/* the caches the pictures' libraries keep, freed under a leak checker only */
		cards_cleanup();
		return rc;
	}
	if (strcmp(cmd, "check") == 0)
		return S_build(argc - 1, argv + 1, 1);
	if (strcmp(cmd, "new") == 0)
		return S_new(argc - 1, argv + 1);
	if (strcmp(cmd, "l10n") == 0)
		return S_l10n(argc - 1, argv + 1);
	if (strcmp(cmd, "import") == 0)
		return S_import(argc - 1, argv + 1);
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0))
			return S_command_help("version");
		printf("jixia %s\n", JIXIA_VERSION);
		return 0;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
		return S_help_command(argc - 1, argv + 1);
	return S_usage_error(HELP_JIXIA, "unknown command '%s'", cmd);
}
