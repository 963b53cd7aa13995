/*
 * main: the command line. Parses the arguments of every command (build,
 * check, new, l10n: their options and usage texts are all here), picks the
 * command and hands a filled-in options struct to it; nothing else happens
 * here.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "l10n.h"
#include "new.h"

#define JIXIA_VERSION "0.1.0"

static const char S_usage[] =
	"usage: jixia <command> [options]\n"
	"\n"
	"commands:\n"
	"  build [DIR]   render the site in DIR (default .) into DIR/public\n"
	"  check [DIR]   run every check of the build and write nothing\n"
	"  new TYPE \"Title\" [--slug SLUG] [--lang LANG] [--bundle] [--dir DIR] [--date YYYY-MM-DD]\n"
	"                write a new content file to fill in (see 'jixia new --help')\n"
	"  new --translate PATH --lang LANG [--dir DIR]\n"
	"                copy a page to translate, with the commit it follows\n"
	"  l10n [DIR] [--lang LANG] [--format text|json]\n"
	"                missing and outdated translations (see 'jixia l10n --help')\n"
	"  version       print the version\n"
	"  help          print this help\n"
	"\n"
	"options for build and check:\n"
	"  --ref REF     read the site from a commit (HEAD, refs/heads/NAME, refs/tags/NAME\n"
	"                or a commit id) instead of the working tree; no checkout\n"
	"  -o DIR        output folder (build; default DIR/public)\n"
	"  -j N          worker threads (default: number of CPUs)\n"
	"  --drafts      include pages with draft: true\n"
	"  --now TIME    build time, seconds since 1970 or YYYY-MM-DD (default:\n"
	"                SOURCE_DATE_EPOCH, else unknown; never the wall clock)\n"
	"  --strict      treat warnings as errors\n"
	"  --format F    diagnostics as text (default; quotes the line), github\n"
	"                (workflow annotations) or json (one object per line)\n"
	"  --changed-since REF\n"
	"                check: report only files changed since REF (the whole\n"
	"                site is still checked, so references into them count)\n"
	"  -v            print each stage's time and counts\n"
	"\n"
	"exit status: 0 success, 1 content errors, 2 usage or environment errors\n";

static const char S_usage_new[] =
	"usage: jixia new TYPE \"Title\" [--slug SLUG] [--lang LANG] [--bundle] [--dir DIR] [--date YYYY-MM-DD]\n"
	"       jixia new --translate PATH --lang LANG [--dir DIR]\n"
	"\n"
	"Writes content/FOLDER/SLUG.md for TYPE (a type name such as talk, or its\n"
	"folder such as talks) in the site and prints its path, relative to the\n"
	"current folder. The site is the nearest folder with a site.yaml from the\n"
	"current one up (not above the git repository's top), or DIR. Required\n"
	"fields get placeholders, optional ones are shown commented out. An\n"
	"existing file, or one that already makes the same page, is never\n"
	"overwritten (exit 1).\n"
	"\n"
	"  --slug SLUG   the file name (letters, digits, '-', '_', '/' between parts);\n"
	"                by default made from the title's ASCII letters and digits,\n"
	"                which must be two words or more and at least half of the\n"
	"                title's letters: a Chinese title needs --slug\n"
	"  --lang LANG   a language of site.yaml; other than the default it writes\n"
	"                SLUG.LANG.md (or content/LANG/... with translations: {layout: dir})\n"
	"  --bundle      write FOLDER/SLUG/index.md instead, a folder for the item's\n"
	"                photos, slides and other files (a translation of an item that\n"
	"                is a folder goes into it without --bundle)\n"
	"  --dir DIR     the site folder (default: found from the current folder up)\n"
	"  --date DATE   the date placeholders (default SOURCE_DATE_EPOCH, else today);\n"
	"                talks get its YYYY- prefix and events YYYY-MM-; a --slug that\n"
	"                starts with a year keeps it, unless --date says otherwise\n"
	"  --translate PATH\n"
	"                write the LANG translation of the page PATH (from the current\n"
	"                folder, or from the site's) where the site keeps translations:\n"
	"                its front matter and body to translate, and translated_from\n"
	"                (site.yaml's field) set to the page's last commit\n";

static const char S_usage_l10n[] =
	"usage: jixia l10n [DIR] [--lang LANG] [--ref REF] [--format text|json]\n"
	"\n"
	"For each language other than the default (or only LANG): how many pages\n"
	"are translated, the translations whose original changed since the\n"
	"commit they follow (translated_from, else their own last commit), and\n"
	"the pages not translated yet. Exit status 0 whatever the status; 1 when\n"
	"the site has content errors, 2 for usage errors.\n";

/* Where each command's usage errors send the reader. */
#define HELP_JIXIA "jixia help"
#define HELP_NEW "jixia new --help"
#define HELP_L10N "jixia l10n --help"

static int S_usage_error(const char *help, const char *fmt, const char *arg)
{
	fprintf(stderr, "jixia: error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nrun '%s' for usage\n", help);
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
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || m < 1 || m > 12 || d < 1 ||
	    d > 31)
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
	char *end;
	long n;

	switch (c) {
	case 'r':
		opts->ref = arg;
		return 0;
	case 'o':
		if (opts->check_only)
			return S_usage_error(HELP_JIXIA, "%s does not write output; -o is for build", "check");
		opts->out = arg;
		return 0;
	case 'j':
		n = strtol(arg, &end, 10);
		if (*end || n < 1 || n > 256)
			return S_usage_error(HELP_JIXIA, "-j '%s' must be a number from 1 to 256", arg);
		opts->jobs = (int)n;
		return 0;
	case 'd':
		opts->drafts = 1;
		return 0;
	case 'n':
		if ((opts->now = S_parse_time(arg)) < 0)
			return S_usage_error(HELP_JIXIA, "--now '%s' must be seconds since 1970 or YYYY-MM-DD", arg);
		return 0;
	case 's':
		opts->strict = 1;
		return 0;
	case 'f':
		if (strcmp(arg, "text") == 0)
			opts->format = DIAG_TEXT;
		else if (strcmp(arg, "github") == 0)
			opts->format = DIAG_GITHUB;
		else if (strcmp(arg, "json") == 0)
			opts->format = DIAG_JSON;
		else
			return S_usage_error(HELP_JIXIA, "--format '%s' must be text, github or json", arg);
		return 0;
	case 'c':
		if (!opts->check_only)
			return S_usage_error(HELP_JIXIA, "%s is for jixia check", "--changed-since");
		opts->changed_since = arg;
		return 0;
	case 'v':
		opts->verbose = 1;
		return 0;
	default:
		return 2;
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
	const char *env;
	int c, rc;

	memset(&opts, 0, sizeof(opts));
	opts.dir = ".";
	opts.now = -1;
	opts.check_only = check_only;
	if ((env = getenv("SOURCE_DATE_EPOCH")) && *env && (opts.now = S_parse_time(env)) < 0)
		return S_usage_error(HELP_JIXIA, "SOURCE_DATE_EPOCH '%s' is not a number of seconds", env);
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:j:vh", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(S_usage, stdout);
			return 0;
		}
		if ((rc = S_build_option(&opts, c, optarg)))
			return rc;
	}
	if ((rc = S_dir_operand(&opts.dir, argc, argv, HELP_JIXIA)))
		return rc;
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
		case 's':
			opts.slug = optarg;
			break;
		case 't':
			opts.translate = optarg;
			break;
		case 'l':
			opts.lang = optarg;
			break;
		case 'C':
			opts.dir = optarg;
			break;
		case 'd':
			opts.date = optarg;
			break;
		case 'b':
			opts.bundle = 1;
			break;
		case 'h':
			fputs(S_usage_new, stdout);
			return 0;
		default:
			return S_usage_error(HELP_NEW, "%s", "bad option for new");
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
		return S_usage_error(HELP_NEW, "%s", "new needs a type and a title: jixia new TYPE \"Title\"");
	opts.type = argv[optind];
	opts.title = argv[optind + 1];
	return new_run(&opts);
}

static int S_l10n(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "ref", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct l10n_opts opts;
	int c, rc;

	memset(&opts, 0, sizeof(opts));
	opts.dir = ".";
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			opts.lang = optarg;
			break;
		case 'r':
			opts.ref = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				opts.json = 1;
			else if (strcmp(optarg, "text") != 0)
				return S_usage_error(HELP_L10N, "--format '%s' must be text or json", optarg);
			break;
		case 'h':
			fputs(S_usage_l10n, stdout);
			return 0;
		default:
			return 2;
		}
	}
	if ((rc = S_dir_operand(&opts.dir, argc, argv, HELP_L10N)))
		return rc;
	return l10n_run(&opts);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "help";

	if (strcmp(cmd, "build") == 0)
		return S_build(argc - 1, argv + 1, 0);
	if (strcmp(cmd, "check") == 0)
		return S_build(argc - 1, argv + 1, 1);
	if (strcmp(cmd, "new") == 0)
		return S_new(argc - 1, argv + 1);
	if (strcmp(cmd, "l10n") == 0)
		return S_l10n(argc - 1, argv + 1);
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("jixia %s\n", JIXIA_VERSION);
		return 0;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(S_usage, stdout);
		return argc > 1 ? 0 : 2;
	}
	return S_usage_error(HELP_JIXIA, "unknown command '%s'", cmd);
}
