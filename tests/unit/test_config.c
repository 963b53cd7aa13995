/* test_config: site.yaml into struct config, and its errors at line:col. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config.h"
#include "diag.h"

/* Loads text as site.yaml; returns the rc and leaves diagnostics in *msgs. */
static int load(struct config *cfg, const char *text, char **msgs)
{
	size_t n;
	FILE *f = open_memstream(msgs, &n);
	int rc;
	diag_reset();
	rc = config_load(cfg, "site.yaml", text, strlen(text));
	diag_flush(f, DIAG_TEXT);
	fclose(f);
	return rc;
}

static void test_full(void)
{
	struct config cfg;
	char *msgs;
	int rc = load(&cfg,
		      "title: PostgreSQL 中文社区\n"
		      "base_url: https://example.org\n"
		      "languages:\n"
		      "  - {code: zh, name: 中文, default: true}\n"
		      "  - {code: en, name: English}\n"
		      "timezone: Asia/Shanghai\n"
		      "repo: {url: https://github.com/example/portal, branch: trunk}\n"
		      "taxonomies: [tags, city]\n"
		      "paginate: 5\n"
		      "markdown: {unsafe: true}\n"
		      "translations: {layout: dir, field: default_lang_commit}\n"
		      "types:\n  talk: {folder: talks}\n",
		      &msgs);
	CHECK_INT(rc, 0);
	CHECK_STR(msgs, "");
	CHECK_STR(cfg.title, "PostgreSQL 中文社区");
	CHECK_STR(cfg.base_url, "https://example.org/");
	CHECK_INT(cfg.nlangs, 2);
	CHECK_STR(cfg.default_lang->code, "zh");
	CHECK_STR(cfg.langs[1].name, "English");
	CHECK_STR(cfg.timezone, "Asia/Shanghai");
	CHECK_STR(cfg.repo_url, "https://github.com/example/portal");
	CHECK_STR(cfg.repo_branch, "trunk");
	CHECK_INT(cfg.ntaxonomies, 2);
	CHECK_STR(cfg.taxonomies[1], "city");
	CHECK_INT(cfg.paginate, 5);
	CHECK_INT(cfg.markdown_unsafe, 1);
	CHECK_INT(cfg.trans_layout, TRANS_DIR);
	CHECK_STR(cfg.translated_from_field, "default_lang_commit");
	CHECK(cfg.types && ynode_get(cfg.types, "talk"));
	CHECK(config_lang(&cfg, "en", 2) == &cfg.langs[1]);
	CHECK(config_lang(&cfg, "fr", 2) == NULL);
	free(msgs);
	config_release(&cfg);
}

static void test_defaults(void)
{
	struct config cfg;
	int rc;
	diag_reset();
	rc = config_load(&cfg, "site.yaml", NULL, 0);
	CHECK_INT(rc, 0);
	CHECK_INT(cfg.nlangs, 1);
	CHECK_STR(cfg.default_lang->code, "en");
	CHECK_STR(cfg.base_url, "/");
	CHECK_INT(cfg.paginate, 20);
	CHECK_INT(cfg.markdown_unsafe, 0);
	CHECK_INT(cfg.trans_layout, TRANS_SUFFIX);
	CHECK_STR(cfg.translated_from_field, "translated_from");
	config_release(&cfg);
}

#define BASE_URL_ERR(at)                                                                           \
	"site.yaml:" at ": error: 'base_url' must be an absolute URL (https://example.org/) or a " \
	"path starting with one '/', without spaces, control characters, '\\', '?' or '#'\n"

#define TZ_ERR(at)                                                                                \
	"site.yaml:" at ": error: 'timezone' must be UTC, a fixed offset like +08:00, or a time " \
	"zone of the system's database (/usr/share/zoneinfo) like Asia/Shanghai\n"

/* Each bad site.yaml and the exact diagnostics it gives. */
static void test_errors(void)
{
	static const struct {
		const char *yaml, *want;
	} cases[] = {
		{ "title: x\ntitel: y\n",
		  "site.yaml:2:1: error: unknown key 'titel' in site.yaml; did you mean 'title'?\n" },
		{ "paginte: 10\n",
		  "site.yaml:1:1: error: unknown key 'paginte' in site.yaml; did you mean 'paginate'?\n" },
		{ "Base-URL: /\n",
		  "site.yaml:1:1: error: unknown key 'Base-URL' in site.yaml; did you mean 'base_url'?\n" },
		{ "colour: red\n", "site.yaml:1:1: error: unknown key 'colour' in site.yaml\n" },
		{ "languages:\n  - {code: zh, nmae: 中文}\n",
		  "site.yaml:2:16: error: unknown key 'nmae' in a language; did you mean 'name'?\n" },
		{ "title: [a, b]\n", "site.yaml:1:8: error: 'title' must be a string, not a list\n" },
		{ "paginate: many\n",
		  "site.yaml:1:11: error: 'paginate' must be a whole number from 1 to 10000\n" },
		{ "paginate: 0\n",
		  "site.yaml:1:11: error: 'paginate' must be a whole number from 1 to 10000\n" },
		{ "markdown: {unsafe: yes}\n", "site.yaml:1:20: error: 'unsafe' must be true or false\n" },
		{ "markdown: {safe: true}\n", "site.yaml:1:12: error: unknown key 'safe' in 'markdown'\n" },
		{ "languages:\n  - {code: zh}\n  - {code: zh}\n",
		  "site.yaml:3:12: error: language 'zh' is listed twice\n" },
		{ "languages:\n  - {code: zh, default: true}\n  - {code: en, default: true}\n",
		  "site.yaml:2:3: error: only one language may be the default\n" },
		{ "languages:\n  - {code: 'z h'}\n",
		  "site.yaml:2:12: error: language code 'z h' must be letters and '-' (e.g. zh, en, pt-BR)\n" },
		{ "languages: []\n", "site.yaml:1:12: error: 'languages' must name at least one language\n" },
		/* a refused language leaves nothing behind for the next one (found by fuzz_config) */
		{ "languages:\n  - {code: 'zh:x'}\n  - {title: en}\n",
		  "site.yaml:2:12: error: language code 'zh:x' must be letters and '-' (e.g. zh, en, pt-BR)\n"
		  "site.yaml:3:5: error: a language needs a 'code' (e.g. zh, en)\n" },
		{ "- a\n- b\n",
		  "site.yaml:1:1: error: site.yaml must be a mapping of settings (title: ..., languages: ...)\n" },
		{ "translations: {layout: folders}\n",
		  "site.yaml:1:24: error: 'translations.layout' must be 'suffix' (NAME.LANG.md) or 'dir' (content/LANG/...)\n" },
		{ "repo: {url: 'javascript:alert(1)'}\n",
		  "site.yaml:1:13: error: 'repo.url' must start with https://\n" },
		{ "taxonomies: [Tags]\n",
		  "site.yaml:1:14: error: taxonomy name 'Tags' must be lower-case letters, digits, '-' or '_' (at most 64)\n" },
		{ "taxonomies: [tags, city, tags]\n",
		  "site.yaml:1:26: error: taxonomy 'tags' is listed twice\n" },
		{ "taxonomies: [aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n",
		  "site.yaml:1:14: error: taxonomy name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' "
		  "must be lower-case letters, digits, '-' or '_' (at most 64)\n" },
		{ "types: [talk]\n", "site.yaml:1:8: error: 'types' must be a mapping, not a list\n" },
		/* A base URL that names another host, or that a browser reads differently */
		{ "base_url: //evil.example/\n", BASE_URL_ERR("1:11") },
		{ "base_url: '/\\evil.example/'\n", BASE_URL_ERR("1:11") },
		{ "base_url: \"/\\t/evil.example/\"\n", BASE_URL_ERR("1:11") },
		{ "base_url: \"/docs\\r\\n/\"\n", BASE_URL_ERR("1:11") },
		{ "base_url: \"/docs\\e[2J/\"\n", BASE_URL_ERR("1:11") },
		{ "base_url: '/a b/'\n", BASE_URL_ERR("1:11") },
		{ "base_url: 'https:///evil.example/'\n", BASE_URL_ERR("1:11") },
		{ "base_url: 'https://'\n", BASE_URL_ERR("1:11") },
		{ "base_url: 'https://example.org\\@evil.example/'\n", BASE_URL_ERR("1:11") },
		{ "base_url: '/?x=1'\n", BASE_URL_ERR("1:11") },
		{ "base_url: 'javascript:alert(1)'\n", BASE_URL_ERR("1:11") },
		/* A time zone is a name of the zone database, never a path to open */
		{ "timezone: /dev/stdin\n", TZ_ERR("1:11") },
		{ "timezone: /etc/shadow\n", TZ_ERR("1:11") },
		{ "timezone: ../../../../etc/passwd\n", TZ_ERR("1:11") },
		{ "timezone: Asia/../../../../etc/passwd\n", TZ_ERR("1:11") },
		{ "timezone: Asia/./Shanghai\n", TZ_ERR("1:11") },
		{ "timezone: Asia//Shanghai\n", TZ_ERR("1:11") },
		{ "timezone: Asia/Shanghai/\n", TZ_ERR("1:11") },
		{ "timezone: 'Asia/Shanghai\\0'\n", TZ_ERR("1:11") },
		{ "timezone: Mars/Olympus_Mons\n", TZ_ERR("1:11") },
		{ "timezone: zone.tab\n", TZ_ERR("1:11") },
		{ "timezone: tzdata.zi\n", TZ_ERR("1:11") },
		{ "timezone: Asia\n", TZ_ERR("1:11") },
		{ "timezone: ''\n", TZ_ERR("1:11") },
		{ "timezone: 'EST5EDT,M3.2.0,M11.1.0'\n", TZ_ERR("1:11") },
		{ "timezone: '<+08>-8'\n", TZ_ERR("1:11") },
		{ "timezone: ':Asia/Shanghai'\n", TZ_ERR("1:11") },
		{ "timezone: '+8'\n", TZ_ERR("1:11") },
		{ "timezone: '+24:00'\n", TZ_ERR("1:11") },
		{ "timezone: '+08:60'\n", TZ_ERR("1:11") },
		{ "timezone: '08:00'\n", TZ_ERR("1:11") },
		{ "timezone: [UTC]\n", "site.yaml:1:11: error: 'timezone' must be a string, not a list\n" },
		/* Every problem in one run, in file order. */
		{ "titel: a\npaginate: x\n",
		  "site.yaml:1:1: error: unknown key 'titel' in site.yaml; did you mean 'title'?\n"
		  "site.yaml:2:11: error: 'paginate' must be a whole number from 1 to 10000\n" },
	};
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct config cfg;
		char *msgs;
		int rc = load(&cfg, cases[i].yaml, &msgs);
		CHECK_INT(rc, -1);
		CHECK_STR(msgs, cases[i].want);
		free(msgs);
		config_release(&cfg);
	}
}

/* Base URLs that stay on their host are kept, with a '/' added. */
static void test_base_url(void)
{
	static const char *const ok[][2] = {
		{ "base_url: /\n", "/" },
		{ "base_url: /docs\n", "/docs/" },
		{ "base_url: /文档/v1/\n", "/文档/v1/" },
		{ "base_url: http://example.org:8080/x\n", "http://example.org:8080/x/" },
		{ "base_url: 'https://example.org/a/b/'\n", "https://example.org/a/b/" },
	};
	size_t i;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct config cfg;
		char *msgs;
		CHECK_INT(load(&cfg, ok[i][0], &msgs), 0);
		CHECK_STR(msgs, "");
		CHECK_STR(cfg.base_url, ok[i][1]);
		free(msgs);
		config_release(&cfg);
	}
}

/*
 * Time zones: a fixed offset is minutes east of UTC (no POSIX TZ string,
 * whose signs run the other way); a name becomes its checked file, links
 * inside the database followed.
 */
static void test_timezone(void)
{
	static const struct {
		const char *yaml;
		int fixed_min;
		const char *file_end; /* NULL: no file */
	} ok[] = {
		{ "title: x\n", 0, NULL },
		{ "timezone: UTC\n", 0, NULL },
		{ "timezone: '+08:00'\n", 480, NULL },
		{ "timezone: '-05:30'\n", -330, NULL },
		{ "timezone: '+00:00'\n", 0, NULL },
		{ "timezone: Asia/Shanghai\n", 0, "/Asia/Shanghai" },
		{ "timezone: America/Argentina/Buenos_Aires\n", 0, "/America/Argentina/Buenos_Aires" },
		{ "timezone: Etc/GMT+8\n", 0, "/Etc/GMT+8" },
	};
	size_t i;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct config cfg;
		char *msgs;
		CHECK_INT(load(&cfg, ok[i].yaml, &msgs), 0);
		CHECK_STR(msgs, "");
		CHECK_INT(cfg.tz_fixed_min, ok[i].fixed_min);
		if (!ok[i].file_end)
			CHECK(cfg.tz_file == NULL);
		else
			CHECK(cfg.tz_file && cfg.tz_file[0] == '/' && str_ends(cfg.tz_file, ok[i].file_end));
		free(msgs);
		config_release(&cfg);
	}
}

/* links: errors and the paths served elsewhere, and which holds a URL. */
static void test_links(void)
{
	struct config cfg;
	char *msgs;
	int rc = load(&cfg,
		      "links:\n"
		      "  errors: warn\n"
		      "  elsewhere:\n"
		      "    - /docs/reference\n"
		      "    - {path: /api/, url: \"https://api.example.org/v1/\"}\n",
		      &msgs);
	CHECK_INT(rc, 0);
	CHECK_STR(msgs, "");
	CHECK_INT(cfg.links_warn, 1);
	CHECK_INT(cfg.nelsewhere, 2);
	CHECK_STR(cfg.elsewhere[0].path, "/docs/reference/"); /* a folder: the '/' added */
	CHECK(cfg.elsewhere[0].url == NULL);
	CHECK_STR(cfg.elsewhere[1].url, "https://api.example.org/v1/");
	CHECK_INT(cfg.elsewhere[1].line, 5);
	CHECK(config_elsewhere(&cfg, "/docs/reference/sql/", 20) == &cfg.elsewhere[0]);
	CHECK(config_elsewhere(&cfg, "/docs/reference", 15) == &cfg.elsewhere[0]);
	CHECK(config_elsewhere(&cfg, "/docs/referenced/", 17) == NULL);
	CHECK(config_elsewhere(&cfg, "/api/x", 6) == &cfg.elsewhere[1]);
	free(msgs);
	config_release(&cfg);

	rc = load(&cfg, "links: {errors: error}\n", &msgs);
	CHECK_INT(rc, 0);
	CHECK_INT(cfg.links_warn, 0);
	CHECK_INT(cfg.nelsewhere, 0);
	free(msgs);
	config_release(&cfg);

	/* each refusal at its line:col, every one in one run */
	rc = load(&cfg,
		  "links:\n"
		  "  elsewhere:\n"
		  "    - //evil.example/\n"
		  "    - /a/../b/\n"
		  "    - {url: \"https://x.org/\"}\n"
		  "    - {path: /ok/, url: \"ftp://x.org/\"}\n"
		  "    - [/nested/]\n",
		  &msgs);
	CHECK_INT(rc, -1);
	CHECK(strstr(msgs, "site.yaml:3:7: error: 'links.elsewhere' path '//evil.example/' must be a path") !=
	      NULL);
	CHECK(strstr(msgs, "site.yaml:4:7: error: 'links.elsewhere' path '/a/../b/' must be a path") != NULL);
	CHECK(strstr(msgs, "site.yaml:5:7: error: a 'links.elsewhere' entry needs a 'path' (/api/)") != NULL);
	CHECK(strstr(msgs,
		     "site.yaml:6:25: error: 'links.elsewhere' url must start with https:// or http://") !=
	      NULL);
	CHECK(strstr(msgs, "site.yaml:7:7: error: 'links.elsewhere' must list paths") != NULL);
	free(msgs);
	config_release(&cfg);
}

int main(void)
{
	test_full();
	test_links();
	test_timezone();
	test_base_url();
	test_defaults();
	test_errors();
	return CHECK_DONE("test_config");
}
