/*
 * plankind: the kinds of output, their names and the top names they
 * reserve (plankind.h).
 */
#include "plankind.h"

#include <string.h>
#include <strings.h>

const struct plan_kind_info plan_kinds[PLAN_KINDS] = {
	[PLAN_PAGE] = { "page", NULL, 0, 1 },
	/* no page or file is named index.html at the top: the home page is */
	[PLAN_HOME] = { "home", "index.html", 0, 1 },
	[PLAN_LIST] = { "list", NULL, 0, 1 },
	[PLAN_YEAR] = { "year", NULL, 0, 1 },
	[PLAN_TAXONOMY] = { "taxonomy", NULL, 0, 1 },
	[PLAN_TERM] = { "term", NULL, 0, 1 },
	[PLAN_CONTRIBUTORS] = { "contributors", "contributors/", 1, 1 },
	[PLAN_L10N] = { "l10n", "l10n/", 1, 1 },
	[PLAN_HELP] = { "help_wanted", "help-wanted/", 1, 1 },
	/* a search form is nothing to index */
	[PLAN_SEARCH] = { "search", "search/", 1, 0 },
	[PLAN_CONTRIBUTORS_YEAR] = { "contributors_year", NULL, 0, 1 },
	[PLAN_INSIGHTS] = { "insights", "insights/", 1, 1 },
	[PLAN_PERSON_YEAR] = { "person_year", NULL, 0, 1 },
	[PLAN_NOTFOUND] = { "notfound", "404.html", 1, 0 },
	[PLAN_FEED_SITE] = { "site_feed", ATOM_FILE, 0, 0 },
	[PLAN_FEED_TYPE] = { "type_feed", NULL, 0, 0 },
	[PLAN_FEED_TERM] = { "term_feed", NULL, 0, 0 },
	[PLAN_CALENDAR] = { "calendar", ICS_CALENDAR, 1, 0 },
	[PLAN_EVENT] = { "event_calendar", NULL, 0, 0 },
	[PLAN_SITEMAP] = { "sitemap", "sitemap.xml", 1, 0 },
	[PLAN_ROBOTS] = { "robots", "robots.txt", 1, 0 },
	/* a redirect is nothing to index */
	[PLAN_ALIAS] = { "alias", NULL, 0, 0 },
	[PLAN_INSIGHTS_CSV] = { "insights_csv", NULL, 0, 0 },
	[PLAN_INSIGHTS_JSON] = { "insights_json", NULL, 0, 0 },
	[PLAN_POSTER_YEAR] = { "year_poster", NULL, 0, 0 },
	[PLAN_CARD] = { "card", NULL, 0, 0 },
	[PLAN_POSTER_PERSON] = { "person_poster", NULL, 0, 0 },
	[PLAN_ASSET] = { "asset", "assets/", 0, 0 },
};

/* Not a kind of the plan: jixia serve's top name (SERVE_TOP), for plan_reserved. */
static const struct plan_kind_info S_serve = { "serve", SERVE_TOP "/", 0, 0 };

const struct plan_kind_info *plan_reserved(const char *seg, size_t n)
{
	size_t k;
	if (strlen(SERVE_TOP) == n && strncasecmp(seg, SERVE_TOP, n) == 0)
		return &S_serve;
	for (k = 0; k < PLAN_KINDS; k++) {
		const char *top = plan_kinds[k].top;
		if (top && strcspn(top, "/") == n && strncasecmp(seg, top, n) == 0)
			return &plan_kinds[k];
	}
	return NULL;
}
