/*
 * model: the site as every later stage sees it. Built single-threaded from
 * the parsed pages, then frozen: render, index and write read it from many
 * threads at once and never change it. Strings here live in the site's
 * arena or in the source buffers and last as long as the site.
 */
#ifndef JIXIA_MODEL_H
#define JIXIA_MODEL_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "pagetok.h"
#include "source.h"
#include "types.h"
#include "util.h"
#include "yaml.h"

struct page;

/*
 * The placeholder a page's html holds for the address of a link that stays
 * on the site, followed by the link's index in page->links ("jixia-link:3"):
 * the links stage replaces it once every page's URL and file's output is known.
 */
#define LINK_MARK "jixia-link:"

/*
 * An old address of a page (front matter aliases:), where a small page
 * redirects to it. Checked and placed by the model; its clashes with the
 * site's other outputs are the alias stage's (alias.h).
 */
struct alias {
	const char *path;     /* as written */
	int line, col;        /* where it is written */
	const char *url;      /* site-relative with a leading '/': "/old/x/", "/2019/post.html" */
	const char *out_path; /* "old/x/index.html", "2019/post.html" */
	const char *href;     /* url under the base path, not yet percent-encoded */
};

/* A link or image in a page's body, as the contributor wrote it. */
struct link {
	char *url;        /* the destination as written (a .md link: the resolved source path) */
	int line, col;    /* position in the file (characters, 1-based) */
	int image;        /* an image, not a link */
	int md;           /* a relative link to a .md file: url is "content/..../x.md[#frag]" */
	int local;        /* stays on the site: the html holds LINK_MARK and its index */
	const char *attr; /* links stage, local links: what replaces the placeholder up to and
	                     including the attribute's closing quote: the address, URI- and
	                     HTML-escaped, then an image's width, height and loading (arena) */
};

/* An image the page shows (a cover, an avatar, the first picture of its body). */
struct picture {
	const char *href;  /* under the base path ("/events/x/cover.jpg"), or absolute (https://...) */
	int width, height; /* pixels; 0 when unknown (not a file of the site, or unreadable) */
};

/* A front-matter value checked against its field. */
struct fval {
	const struct ynode *node; /* the value (front matter or default), NULL when absent */
	long long num;      /* INT, BOOL (0/1), DATE (days since 1970), DATETIME (seconds), ENUM index */
	struct page **refs; /* REF (one) or LIST of REF: the pages, in the referring page's
	                             language when that translation exists (arena) */
	size_t nrefs;
	long long at;       /* DATE with a time of day (timed): the instant, seconds since 1970 */
	const char *zone;   /* that zone's name (the page's timezone:, else the site's), or NULL when
	                             the value wrote its own offset or the site's zone is a fixed one */
	const char **hrefs; /* URL (one) or LIST of URL: each value as a reader's browser
	                             fetches it: a file or page of the site by its address under
	                             the base path, anything else as written (links stage; arena) */
	int timed;          /* DATE with a time of day (2025-03-12 20:00): at, at_off and zone are set */
	int at_off;         /* minutes east of UTC at that instant, in the zone it is shown in */
	/* (the two ints last: 64 bytes, not 72 with their padding; every page has one per field) */
};

/* One reference into a page: from.field names it. */
struct backref {
	struct page *from;
	const struct field *field;
};

/* A taxonomy term in one language, with the pages that carry it. */
struct term {
	const char *taxonomy; /* "tags" */
	const char *slug;     /* URL segment, Unicode-folded */
	const char *name;     /* as first written (or the referenced page's title) */
	const struct lang *lang;
	struct page **pages; /* sorted like lists: newest first, then by title */
	size_t n;
	const char *href; /* "/tags/vacuum/" under the base path */
	const char *out_path;
	/* The item every value of the term names (a ref taxonomy: speakers), in
	   the term's language where translated, else NULL. Its page is the
	   term's one page: links to the term lead there, and the term's own
	   page only redirects to it (/speakers/x/ to /people/x/). */
	const struct page *page;
};

/* A person or git identity whose commits changed content/ (history stage). */
struct contributor {
	const char *key;           /* "people/ID" for a person page, else the lower-case e-mail
	                         (mailmap applied): the last tie-break of the ranking */
	const char *name;          /* git name (mailmap applied) of their newest commit */
	const struct page *person; /* the person page whose git_emails list them (default
	                              language when there is one), or NULL */
	size_t commits;            /* first-parent commits that changed content/, as author or co-author */
	size_t items;              /* default-language pages whose first commit is theirs */
	size_t translations;       /* pages in other languages whose first commit is theirs */
	long long points;          /* by site.yaml contributors.points */
	int title;                 /* index into site->titles of the highest reached, -1 for none */
	size_t rank;               /* 1-based by points; equal points share a rank */
	struct page **pages;       /* the pages counted in items and translations, by path */
	size_t npages;
	long long bounty_points; /* of points: the bounties of the questions they answered (role bounty) */
	struct page **bounties;  /* those questions, by path */
	size_t nbounties;
};

/* One author of a page and the number of the page's commits that are theirs. */
struct page_author {
	const struct contributor *who;
	size_t commits;
};

/* A translation whose original changed after the revision it follows. */
struct outdated {
	const struct page *original; /* the default-language page */
	size_t count;                /* commits that changed the original since base */
	long long date;              /* author time (seconds) of the original's last change */
	int date_off;                /* that commit's own offset from UTC (minutes east) */
	const char *base;     /* hex id the translation follows: translated_from, else its own last commit */
	const char *head;     /* hex id of the original's last change */
	const char *diff_url; /* the host's compare view base...head at the original's diff, or NULL */
	/* The original's two versions, for `jixia l10n --diff` (paths in the repository, renames followed): */
	const char *base_path; /* where it was in the version the translation follows; NULL: not there yet */
	const char *base_blob; /* hex id of that version's blob; NULL with base_path */
	const char *head_path; /* where it is at head */
	const char *head_blob; /* hex id of its blob at head */
};

/* A contributor title, reached at min points. */
struct contributor_title {
	long long min;
	const struct ynode *name; /* a string, or a mapping from language code to string */
};

/* One line of the points table. */
struct points_rule {
	const char *what;        /* a type name, "translation" or "commit" */
	const struct type *type; /* the type, or NULL for translation and commit */
	long long points;        /* per page created, per translation, per commit */
};

/* Translation counts of one type (or of all) into one language. */
struct l10n_count {
	const struct type *type; /* NULL for the total and for pages outside the type folders */
	size_t originals;        /* default-language pages */
	size_t translated;       /* of those, translated into the language */
	size_t outdated;         /* of those, with an outdated translation */
	size_t missing;          /* originals - translated */
};

/* Why a page not yet translated comes where it does: what readers meet first comes first. */
enum l10n_reach {
	L10N_UPCOMING, /* an upcoming event: an item of a type with role calendar, dated today or later */
	L10N_HOME,     /* shown on the home page */
	L10N_NAV,      /* on the first page of a type's list, where the navigation leads */
	L10N_OTHER     /* anything else */
};

/* A page not yet translated into a language. */
struct l10n_missing {
	const struct page *page; /* the default-language original */
	const char *path;        /* the file its translation goes into: "content/faq/x.en.md" */
	enum l10n_reach reach;
};

/* A translation the community needs (/help-wanted/): one to write, or one to bring up to date. */
struct help_translation {
	const struct page *page; /* missing: the original; outdated: the translation */
	const struct lang *lang; /* the language to translate into */
	int missing;             /* 1: not translated yet; 0: outdated */
	const char *command;     /* the jixia command line that starts the work (arena) */
};

/* What one language's /help-wanted/ lists (helpwanted.c). */
struct help_lang {
	struct page **questions; /* open questions (role question) in the language: bounty first,
	                            then the oldest */
	size_t nquestions;
	struct page **calls; /* upcoming items with an open call (role call), the call closing
	                        soonest first */
	size_t ncalls;
	struct help_translation *translations; /* every language other than the default: outdated
	                                          ones by path, then the missing in l10n order */
	size_t ntranslations;
};

/* A translation with no original beside it in the default language. */
struct l10n_orphan {
	const struct page *page; /* the translation */
	const char *original;    /* the file it translates, which is not there */
	const char *moved_to;    /* where the history says that file went (a page), or NULL */
	const char *move_to;     /* then, where the translation goes; else NULL */
};

/* Translation status of one language other than the default. */
struct l10n_lang {
	const struct lang *lang;
	struct l10n_count total;
	struct l10n_count *types; /* per type that has originals, in type rank order */
	size_t ntypes;
	struct page **outdated;       /* its translations with page->outdated, by path (total.outdated) */
	struct l10n_missing *missing; /* originals it lacks (total.missing): by path, then in readers'
	                                 order once l10n_order has run */
	struct l10n_orphan *orphans;  /* its translations whose original is missing or moved, by path */
	size_t norphans;
};

struct spill;

struct page {
	const struct source_file *src; /* the Markdown file (borrowed from source) */
	const char *path;              /* src->path, "content/talks/x.en.md" */
	const char *section;           /* type folder ("talks"), "" for top-level pages */
	const char *id;                /* path under the folder, no .md, no language: "tutorial/install" */
	const struct lang *lang;       /* language of this file */
	const char *slug;              /* from slug: or the id */
	const char *url;               /* site-relative URL with leading and trailing '/': "/en/talks/x/" */
	const char *out_path;          /* file under the output root: "en/talks/x/index.html" */
	const char *href;              /* url under the base path of base_url: "/sub/en/talks/x/" */
	const char *permalink;         /* absolute: base_url + url ("https://example.org/sub/en/talks/x/") */

	/* Filled by the parse stage (one worker owns the page while parsing). */
	struct ynode *front; /* front matter mapping, NULL when there is none */
	int body_line;       /* 1-based line where the Markdown body starts */
	char *html;          /* rendered body (trusted HTML), malloc'd; headings carry ids */
	size_t html_len;
	char *toc;                 /* table of contents (trusted HTML: nested <ul> of h2/h3
	                         links to the heading ids), malloc'd; NULL when fewer than 2 headings */
	char *summary;             /* plain text of the first paragraph, at most 200 characters
	                         (cut at a UTF-8 boundary, "…" appended when cut), malloc'd */
	int reading_minutes;       /* at least 1: CJK characters / 400 + other words / 200, rounded up */
	size_t words;              /* the body's words to translate: a CJK character counts one, as does
	                         any other run of letters and digits (text and code spans; code
	                         blocks and raw HTML are not counted) */
	struct page_tokens tokens; /* the search terms of the body's plain text (blocks one per
	                         line, code included) and of its headings, made by the parse worker
	                         (pagetok.h); the text itself is not kept */
	struct link *links;        /* links and images of the body, in order; malloc'd */
	size_t nlinks;
	char **anchors; /* the heading ids of the body, sorted; malloc'd */
	size_t nanchors;
	int failed; /* parse, or the model for want of a URL, reported an error: left
	                         out of the site (a page whose values fail their checks stays,
	                         so its links and references to it are checked too) */

	int parse_shared; /* serve: front, html, toc, summary, anchors, tokens and the links'
	                     addresses are its parse cache entry's (incr.c), not freed with the
	                     page (its links array is its own); read only but for
	                     model.c's lists of one, a change that leaves a changed front as it is */
	/* A plain rebuild's (diskcache.c): the digest of the page's path, bytes and parse
	   context under the parse cache's key, which keys its entry in the links' record on
	   disk (links.c); parse_keyed 0 when unknown (no cache, an unreadable file, serve). */
	uint64_t parse_key[2];
	int parse_keyed;
	int parse_mapped; /* a rebuild's page from the parse cache on disk: the text of its front's
	                     scalars, toc, summary, anchors and the links' addresses are views of the
	                     cache file's mapping (diskcache.c's S_rstrz), read only, not freed with
	                     the page; its front's nodes one block, freed whole (S_front), the model's
	                     lists of one in its arena; its arrays its own */

	/* Filled by the model stage. */
	const struct type *type; /* NULL for pages outside the type folders */
	struct fval *vals;       /* per type->fields, in the arena */
	const char *title;       /* the type's title field, or title:, or the id */
	long long date;          /* days since 1970 of the date field (role date), or LLONG_MIN */
	long long weight;        /* the weight field, 0 when absent */
	uint64_t front_lacks;    /* the page_key_bit()s that no key of the front matter has but
	                         those that name a field of the type: a name with such a bit is in no
	                         part of the front matter render.c's page lookup reads, so that lookup
	                         (asked every outer name a listing's item does not have) need not scan
	                         it; 0, nothing known, on a page the model did not link */
	const char *collation;   /* undated types' pages: the ICU sort key (collate.h) of the sort_key
	                         field or else the title, in the page's language, so lists read in
	                         its order (pinyin for Chinese); set by lists_build, else NULL */
	struct backref *in;      /* references to this page from pages of its language */
	size_t nin;
	const struct term **terms; /* the taxonomy terms this page carries, by taxonomy then slug */
	size_t nterms;
	int draft;
	/* Role expires: the item's value is before the build time (never when that
	   is unknown). Its page is built and says so; its type's lists, the home
	   section, terms, back-references, feeds, search, sitemap and l10n leave
	   it out. */
	int expired;
	/* Help wanted (roles question, bounty, call; model.c): */
	int open;             /* role question: no answer yet (an empty body, or the field at open) */
	long long bounty;     /* role bounty: the extra points for its answer, 0 when none */
	long long call_until; /* role call: the day (since 1970) the call closes, LLONG_MIN when none */
	int call_open;        /* the call is open at the build time and the item still upcoming */
	struct page *next_translation; /* ring of the same item in other languages */
	struct page *prev, *next;      /* docs (role tree): neighbours in reading order (lists stage) */
	/* Docs (role tree), lists stage: the section page of the nearest folder above that has one
	   (NULL at the top), and the pages just below this one (its folder's pages and the
	   subsections, each with its own), in reading order; in the lists' arena. */
	struct page *parent;
	struct page **children;
	size_t nchildren;
	struct alias *aliases; /* its old addresses (aliases:), in the arena */
	size_t naliases;

	/* Filled by the links stage. */
	struct picture image; /* the first picture field (role pictures) with a value, href NULL when none */
	struct picture first_image; /* the body's first image, href NULL when none */

	/* Filled by the history stage (left empty without git history). */
	long long created;               /* author time (seconds) of the commit that added the file, under
	                         its first name (renames are followed); LLONG_MIN when unknown */
	long long updated;               /* author time of the last commit that changed it, or the build
	                         time when the working tree changed it since; LLONG_MIN when unknown */
	int created_off, updated_off;    /* their commits' own offsets from UTC (minutes east, as
	                         git log shows them; 0 for the build time): the day shown
	                         without a site timezone (model_day) */
	size_t ncommits;                 /* first-parent commits that changed the file */
	struct page_author *git_authors; /* who wrote those commits: most commits first */
	size_t ngit_authors;
	const char *edit_url;    /* the file's editor on the repository host (site.yaml repo:), or NULL */
	const char *history_url; /* the file's commit list there, or NULL */
	const struct outdated *outdated;       /* a translation whose original changed since; else NULL */
	const char *original_moved;            /* a translation with no original: where the history says the
	                               original's file went ("content/docs/new.md", a page of the
	                               default language), else NULL (arena) */
	const struct contributor *contributor; /* person pages: their contributions, or NULL */

	/* Filled by model_link once the published pages are known: 1-based place in the
	   list order (model_list_cmp) among them, so later sorts compare one number; 0 for
	   the list introductions and before. */
	size_t list_rank;
	/* model_link: 1 when it checked the page's fields and made its title and address
	   in this load; 0 when serve's memo gave them from the load before (the same front
	   matter: the same values, title, dates and address as then) */
	int relinked;

	/* A build that writes its output: the body in spill's file at html_off while
	   html is NULL (html_len kept); read it with page_html (spill.h). NULL else. */
	const struct spill *html_spill;
	uint64_t html_off;
};

struct insights; /* insights.h */

struct site {
	struct config *cfg;
	const struct source *src;
	struct types types; /* site.yaml's types (types_load): the caller loads them before model_link */
	struct page *pages; /* every content page, sorted by path */
	size_t npages;
	/* The introductions of lists: content/TYPE/_index.md (a type's list) and
	   content/_index.md (the home page), in any language; no item of any list
	   and no output of their own (type NULL, url the list's), sorted by path. */
	struct page *intros;
	size_t nintros;
	struct arena arena;    /* strings of the model */
	const char *root;      /* path part of base_url, with both slashes: "/" or "/sub/" */
	long long now;         /* build time: --now, SOURCE_DATE_EPOCH, or -1 when unknown */
	long long today;       /* days since 1970 of now in the site's time zone (LLONG_MAX when unknown) */
	long tz_offset_min;    /* the site time zone's offset from UTC at now */
	struct backref *edges; /* every resolved reference, grouped by target */
	size_t nedges;
	struct page **items; /* every page sorted by section, id, language (for lookups) */
	/* model_find's table: each item's first place in items by the hash of its section and id
	   (open addressing, item_cap a power of two; at 0: an empty slot, else the place + 1) */
	struct item_slot {
		uint64_t hash;
		size_t at;
	} * item_slots;
	size_t item_cap;
	struct term *terms; /* sorted by language, taxonomy, slug */
	size_t nterms;
	int drafts;                /* --drafts: keep draft pages */
	const char **failed_items; /* the pages left out for their errors (reported in them) as
	                              "section/id", sorted: a reference to one is no error of its
	                              own (arena) */
	const char **failed_paths; /* their paths, sorted: nor is a .md link to one (arena) */
	size_t nfailed;

	/* Filled by the history stage. */
	int history;                      /* 1 when git history was read: the /contributors/ page exists */
	struct contributor *contributors; /* ranked: points, commits, name, key */
	size_t ncontributors;
	struct points_rule *points; /* site.yaml contributors.points, one per type, translation, commit */
	size_t npoints;
	struct contributor_title *titles; /* site.yaml contributors.titles, by min */
	size_t ntitles;
	struct l10n_lang *l10n;    /* per language other than the default, in site.yaml order */
	struct insights *insights; /* the numbers per period (insights.c), or NULL: no content commit */
	size_t nl10n;
	struct help_lang *help; /* per language of cfg->langs: /help-wanted/ (helpwanted.c), or NULL */
	const struct page **ident_people; /* contributors_apply: each identity of the walk (hist_found
	                                      idents) to its person page (default language) or NULL; read
	                                      by personyear_build while the walk lives */
	struct person_year *person_years; /* personyear.c: each person's years, by person page, year */
	size_t nperson_years;
	int jobs; /* threads the model stage may run per-page work on (the load's), 0 for one */
	/* serve: the field checks of the load before, page by page, which
	   model_link takes and fills again (struct model_memo, model.c); NULL
	   in a plain build */
	struct model_memo *memo;
	size_t checked;        /* model_link: pages whose fields it checked (the rest came from memo) */
	int terms_made;        /* model_link: the terms were made, not taken from memo (1 in a plain build) */
	size_t terms_gathered; /* model_link: pages whose raw terms it gathered (the rest carried
	                          those of the load before, struct model_memo) */
	/* model_link in serve: the layout (model.c's struct memo_layout) this load made, and the
	   one of the load before it compared with when the same (its pages not relinked have
	   the values they had in the load that made it); 0: none. Each layout has its own number. */
	uint64_t layout_gen, layout_prev_gen;
};

/*
 * Collects the Markdown files under content/ from src into site->pages
 * (section, id, language, slug, URL; no parsing yet). Reports unusable file
 * names. Returns 0 or -1.
 */
int model_collect(struct site *site);

/*
 * After parsing, with site->types loaded: field checks, titles, drafts,
 * translation rings, duplicate URLs, references and back-references,
 * taxonomy terms. Reports every problem; returns 0 or -1.
 */
int model_link(struct site *site);

/*
 * The field checks model_link made of each page, for the next load of a
 * serve session (site->memo): a page whose front matter and body are
 * still the very ones of its parse cache entry (incr.c: parse_shared, the
 * same pointers) takes them, values and all, instead of checking again,
 * in the same context (the caller frees the memo when the parse context,
 * site.yaml among it, changed). Only checks that reported nothing are
 * kept. When the published pages are the same paths as then (the same
 * layout), a page not relinked also keeps its place in the list order,
 * its references and its raw taxonomy terms, and the terms are the memo's
 * while every page carries the same. NULL is none.
 */
struct model_memo;
struct model_memo *model_memo_new(void);
void model_memo_free(struct model_memo *m);

/*
 * The item (section folder, id) in language lang, else in the default
 * language, else in any; NULL when there is no such item.
 */
struct page *model_find(const struct site *site, const char *folder, const char *id, const struct lang *lang);

/*
 * The version of pg's item in language l: pg itself, one of its
 * translations, or NULL when the item has none in l. Like strchr, it hands
 * back a mutable pointer for a const argument.
 */
struct page *page_in_lang(const struct page *pg, const struct lang *l);

/*
 * The file pg (a page in a language other than the default) translates:
 * "content/faq/x.md" for content/faq/x.en.md, "content/zh/faq/x.md" for
 * content/en/faq/x.md with one folder per language. In the site's arena.
 */
const char *model_original_path(struct site *site, const struct page *pg);

/*
 * The version of pg's item its other versions translate: the default
 * language's, else (one folder per language) the first language's it has.
 */
const struct page *page_original(const struct page *pg);

/*
 * 1 when pg is listed in language l although it is not in l: the item has
 * no version in l, pg is its original, and translations.fallback is on.
 */
int page_fallback(const struct page *pg, const struct lang *l, const struct config *cfg);

/*
 * The day number (since 1970) that a git time t shows as: in the site's
 * time zone when site.yaml sets timezone:, else at the commit's own offset
 * off (minutes east of UTC), the calendar day git log shows.
 */
long long model_day(const struct site *site, long long t, int off);

/*
 * The term (language index lang, taxonomy, slug), or NULL: a binary search
 * of site->terms, which the model sorts that way.
 */
const struct term *model_term(const struct site *site, size_t lang, const char *taxonomy, const char *slug);

/* qsort order of page pointers in lists: newest first, then title, then path. */
int model_list_cmp(const void *a, const void *b);

/*
 * A slug: segments of letters, digits, '-' and '_' (non-ASCII characters
 * that show too: no controls, format characters, spaces or unassigned code
 * points) joined by '/'; never ".", "..", empty or absolute.
 */
int model_slug_ok(const char *s);

/*
 * s in NFKC with Unicode case folding: the form in which two names are "the
 * same" on a case-insensitive, normalising disk. malloc'd.
 */
char *model_fold(const char *s);

/*
 * A URL segment from free text, as a taxonomy term's: Unicode NFKC
 * case-folded, letters and digits kept, everything else runs into one
 * '-'; "" when nothing is left. In arena a.
 */
const char *model_slug_text(struct arena *a, const char *text);

/*
 * The introduction of folder's list ("docs"; "" for the home page) in
 * language lang, or NULL.
 */
const struct page *model_intro(const struct site *site, const char *folder, const struct lang *lang);

/*
 * 1 when a path under content/ (its first n bytes) has a file or folder
 * name starting with '_' other than a section page's _index: not a page
 * and not published.
 */
int model_hidden_path(const char *path, size_t n);

/* The published page whose source is path (its first n bytes), or NULL. */
struct page *model_page_at(const struct site *site, const char *path, size_t n);

/*
 * 1 when path (its first n bytes) is a page left out for its errors: they
 * are reported in it, so a link to it need not be.
 */
int model_failed_at(const struct site *site, const char *path, size_t n);

/*
 * 1 when seg (n bytes) names a first URL segment the generator writes
 * itself (a name of its own outputs, plan_reserved(); a taxonomy; a
 * language code).
 */
int model_reserved_segment(const struct site *site, const char *seg, size_t n);

/*
 * The longest URL segment (a slug's part, a folder, a taxonomy term) and
 * the longest page URL jixia writes: every file name then fits the disk's
 * 255 bytes with the ".ics" an event's calendar adds, and every path fits
 * PATH_MAX (4096) with room for the output folder and a bundle's files.
 */
#define MODEL_SEGMENT_MAX 251
#define MODEL_URL_MAX 2048

/*
 * One of 64 bits for a front matter key or a name asked of a page (n
 * bytes), by its length and its end bytes: page.front_lacks's. Inline, as
 * render.c asks it at every name a page's lookup does not answer before.
 */
static inline unsigned page_key_bit(const char *key, size_t n)
{
	return n ? (unsigned)(n + (unsigned char)key[0] * 7u + (unsigned char)key[n - 1] * 3u) & 63u : 0;
}

/* The value of field name on pg, or NULL when pg's type has no such field. */
const struct fval *page_value(const struct page *pg, const char *name);

/* Frees the pages and the arena; cfg and src are not owned. */
void model_release(struct site *site);

#endif
