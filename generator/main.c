/*
 * main: the command line. Parses arguments, picks the command and hands a
 * filled-in options struct to it; nothing else happens here.
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

static int S_usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "jixia: error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nrun 'jixia help' for usage\n");
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
	int c;

	memset(&opts, 0, sizeof(opts));
	opts.dir = ".";
	opts.now = -1;
	if ((env = getenv("SOURCE_DATE_EPOCH")) && *env) {
		opts.now = S_parse_time(env);
		if (opts.now < 0)
			return S_usage_error("SOURCE_DATE_EPOCH '%s' is not a number of seconds", env);
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:j:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			opts.ref = optarg;
			break;
		case 'o':
			if (check_only)
				return S_usage_error("%s does not write output; -o is for build", "check");
			opts.out = optarg;
			break;
		case 'j': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 256)
				return S_usage_error("-j '%s' must be a number from 1 to 256", optarg);
			opts.jobs = (int)n;
			break;
		}
		case 'd':
			opts.drafts = 1;
			break;
		case 'n':
			opts.now = S_parse_time(optarg);
			if (opts.now < 0)
				return S_usage_error("--now '%s' must be seconds since 1970 or YYYY-MM-DD", optarg);
			break;
		case 's':
			opts.strict = 1;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				opts.format = DIAG_TEXT;
			else if (strcmp(optarg, "github") == 0)
				opts.format = DIAG_GITHUB;
			else if (strcmp(optarg, "json") == 0)
				opts.format = DIAG_JSON;
			else
				return S_usage_error("--format '%s' must be text, github or json", optarg);
			break;
		case 'c':
			if (!check_only)
				return S_usage_error("%s is for jixia check", "--changed-since");
			opts.changed_since = optarg;
			break;
		case 'v':
			opts.verbose = 1;
			break;
		case 'h':
			fputs(S_usage, stdout);
			return 0;
		default:
			return 2;
		}
	}
	if (optind < argc)
		opts.dir = argv[optind++];
	if (optind < argc)
		return S_usage_error("unexpected argument '%s'", argv[optind]);
	opts.check_only = check_only;
	return build_run(&opts);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "help";

	if (strcmp(cmd, "build") == 0)
		return S_build(argc - 1, argv + 1, 0);
	if (strcmp(cmd, "check") == 0)
		return S_build(argc - 1, argv + 1, 1);
	if (strcmp(cmd, "new") == 0)
		return new_run(argc - 1, argv + 1);
	if (strcmp(cmd, "l10n") == 0)
		return l10n_run(argc - 1, argv + 1);
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("jixia %s\n", JIXIA_VERSION);
		return 0;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(S_usage, stdout);
		return argc > 1 ? 0 : 2;
	}
	return S_usage_error("unknown command '%s'", cmd);
}
