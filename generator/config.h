/*
 * config: site.yaml read into struct config. Every key is known: an unknown
 * key or a value of the wrong type is an error at site.yaml:line:col, so a
 * typo never silently changes a site. Content types and contributor points
 * are kept as YAML trees here and given meaning by the model.
 */
#ifndef JIXIA_CONFIG_H
#define JIXIA_CONFIG_H

#include <stddef.h>

#include "yaml.h"

/* The longest language code: BCP 47's language and region fit with room to spare. */
#define LANG_CODE_MAX 16

struct lang {
	const char *code;        /* "zh", "en": letters and '-' only, at most LANG_CODE_MAX bytes */
	const char *name;        /* shown in the language switcher */
	const char *title;       /* the site title in this language, or NULL for site.yaml's title */
	const char *description; /* likewise for the description */
	int is_default;
	char tag[LANG_CODE_MAX + 1];    /* the code in BCP 47's letter case, for lang and hreflang
	                                attributes: "zh-CN" for "zh-cn", "zh-Hant-TW", "en" */
	char prefix[LANG_CODE_MAX + 2]; /* what its URLs and files start with under the site's:
	                                   "" for the default language, else the code and '/' ("en/") */
};

enum trans_layout {
	TRANS_SUFFIX, /* NAME.LANG.md beside NAME.md (the default) */
	TRANS_DIR     /* content/LANG/... one folder per language */
};

/*
 * A path of the site's URLs that another site serves (content mounted from
 * elsewhere): links into it are not checked.
 */
struct link_elsewhere {
	const char *path; /* from the root, with leading and trailing '/': "/docs/reference/" (malloc'd) */
	const char *url;  /* a base the rest of a link's path is put after ("https://x.org/ref/"), or
	                     NULL: the link is written as it is */
	int line, col;
};

struct config {
	const char *title;       /* site name; "" when unset */
	const char *description; /* one line for the home page and feeds */
	const char *base_url;    /* absolute, ends with '/'; "/" when unset */
	const char *timezone;    /* as written: an IANA name or a fixed offset ("+08:00"); default "UTC" */
	char *tz_file;           /* the zone's file in the system's zone database (absolute, checked
	                            to be a TZif file inside it); NULL for UTC or a fixed offset */
	int tz_fixed_min;        /* the fixed offset in minutes east of UTC, when tz_file is NULL */
	int tz_set;              /* site.yaml sets timezone: git dates are shown in it, else in
	                            each commit's own offset */
	struct lang *langs;      /* at least one; exactly one is_default */
	size_t nlangs;
	const struct lang *default_lang;
	enum trans_layout trans_layout;
	const char *translated_from_field; /* front-matter key, default "translated_from" */
	int trans_fallback;                /* translations.fallback: an item without a version in a
	                                      language is listed there in its original's (default 1) */
	const char *repo_url;              /* NULL when unset */
	const char *repo_branch;           /* default "main" */
	const char *repo_host;             /* "github", "gitlab" or "gitea": the URL patterns of edit and
	                            history links; NULL to tell from the url's host name */
	const char **taxonomies;           /* names, in order given */
	size_t ntaxonomies;
	int paginate;                     /* items per list page, default 20 */
	int markdown_unsafe;              /* pass raw HTML through Markdown */
	int social_cards;                 /* social_cards: a card (PNG, poster.c) per page without a
	                                     raster cover, as its og:image; default off */
	int person_posters;               /* person_posters: a poster per person per year (beside
	                                     /people/NAME/YEAR/); default off, as each costs as
	                                     much as a hundred pages */
	size_t max_markdown;              /* bytes; default 1 MiB */
	size_t max_file;                  /* bytes; default 32 MiB */
	size_t max_media;                 /* bytes of one file published from content/ (a bundle's
	                            photo, slides); default 16 MiB, at most 32 MiB */
	const struct ynode *types;        /* the types: mapping, or NULL */
	const struct ynode *contributors; /* the contributors: mapping, or NULL */
	const struct ynode *categories;   /* the categories: list (the projects' categories, read
	                                     by types.c), or NULL */
	struct link_elsewhere *elsewhere; /* links.elsewhere: URL paths another site serves */
	size_t nelsewhere;
	int links_warn;     /* links.errors: warn: a link that leads nowhere is a
	                                     warning (an error again with --strict) */
	struct ynode *root; /* owns every string above */
};

/*
 * Parses site.yaml from src (len bytes; path names it in diagnostics).
 * src NULL means there is no site.yaml: the defaults. Returns 0, or -1
 * after reporting every problem found. Release with config_release().
 */
int config_load(struct config *out, const char *path, const char *src, size_t len);
void config_release(struct config *cfg);

/*
 * The file of a time zone name in the system's database (absolute; caller
 * frees), or NULL when the name is not one: the same path-safe check as
 * site.yaml's timezone (no "..", no absolute path, a zone file inside the
 * database). For an event's own timezone: field.
 */
char *config_zone_file(const char *name);

/*
 * The entry of links.elsewhere whose path holds url (a path from the site's
 * root, "/docs/reference/x/"), or NULL.
 */
const struct link_elsewhere *config_elsewhere(const struct config *cfg, const char *url, size_t n);

/* The language with that code, or NULL. */
const struct lang *config_lang(const struct config *cfg, const char *code, size_t len);
/* The code of the language nearest the len bytes at code ("did you mean"), or NULL. */
const char *config_lang_near(const struct config *cfg, const char *code, size_t len);

#endif
