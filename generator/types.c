/*
 * types: the built-in community types and the reader for type
 * definitions. A definition is
 *
 *   talk:
 *     folder: talks
 *     title: title            # the field shown as the page title
 *     roles:                  # what the items are to the site (README)
 *       people: {speakers: speaker}
 *       home: latest_talks
 *     fields:
 *       date:     {type: date, required: true}
 *       speakers: {type: list, of: {type: ref, to: person}, required: true}
 *       kind:     {type: enum, values: [meetup, tea]}
 *
 * Roles are read once into struct type_roles and the fields' marks; a
 * role that names a field is checked against the definition's own fields.
 */
#include "types.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "escape.h"
#include "spdx.h"
#include "suggest.h"
#include "util.h"

#define BUILTIN_PATH "(built-in types)"

/*
 * The community types of DESIGN.md and issue 21 (the organisations they
 * name, jobs, the catalogue of projects, venues), in site.yaml's own
 * syntax: one string per type, joined when read (C99 promises string
 * literals of 4095 bytes, not more).
 */
static const char *const S_builtin[] = {
	"talk:\n"
	"  folder: talks\n"
	"  roles:\n"
	"    people: {speakers: speaker}\n"
	"    video: video\n"
	"    home: latest_talks\n"
	"    points: 10\n"
	"    new_prefix: year\n"
	"    new_body: \"TODO: what the talk covers, in Markdown; an outline under ## headings works well.\"\n"
	"  fields:\n"
	"    title: {type: string, required: true}\n"
	"    date: {type: date, required: true}\n"
	"    speakers: {type: list, of: {type: ref, to: person}, required: true}\n"
	"    event: {type: ref, to: event}\n"
	"    slides: {type: url}\n"
	"    video: {type: url}\n"
	"    duration: {type: int}\n"
	"    level: {type: enum, values: [beginner, intermediate, advanced]}\n"
	"    tags: {type: list, of: string}\n"
	"    summary: {type: text}\n",
	"faq:\n"
	"  folder: faq\n"
	"  roles:\n"
	"    schema: FAQPage\n"
	"    people: {answered_by: author}\n"
	"    home: recent_faqs\n"
	"    points: 3\n"
	"    question: status\n"
	"    bounty: bounty\n"
	"    new_body: \"TODO: the answer, in Markdown.\"\n"
	"  fields:\n"
	"    title: {type: string, required: true}\n"
	"    date: {type: date}\n"
	"    tags: {type: list, of: string}\n"
	"    answered_by: {type: list, of: {type: ref, to: person}}\n"
	"    related: {type: list, of: {type: ref, to: faq}}\n"
	"    status: {type: enum, values: [open, answered]}\n"
	"    bounty: {type: int}\n"
	"    summary: {type: text}\n",
	"doc:\n"
	"  folder: docs\n"
	"  roles:\n"
	"    schema: TechArticle\n"
	"    tree: true\n"
	"    points: 5\n"
	"    new_body: \"TODO: the page, in Markdown.\"\n"
	"  fields:\n"
	"    title: {type: string, required: true}\n"
	"    weight: {type: int, default: 0}\n"
	"    translated_from: {type: string}\n"
	"    summary: {type: text}\n",
	"case:\n"
	"  folder: cases\n"
	"  roles:\n"
	"    schema: Article\n"
	"    people: {authors: author}\n"
	"    points: 8\n"
	"    new_body: \"TODO: the story in Markdown: the problem, what was built, the results.\"\n"
	"  fields:\n"
	"    title: {type: string, required: true}\n"
	"    company: {type: string, required: true}\n"
	"    authors: {type: list, of: {type: ref, to: person}}\n"
	"    industry: {type: string}\n"
	"    org: {type: ref, to: org}\n"
	"    date: {type: date}\n"
	"    products: {type: list, of: string}\n"
	"    tags: {type: list, of: string}\n"
	"    summary: {type: text}\n",
	"event:\n"
	"  folder: events\n"
	"  roles:\n"
	"    calendar: true\n"
	"    schema: Event\n"
	"    people: {organizers: organizer, volunteers: volunteer}\n"
	"    pictures: [cover]\n"
	"    video: video\n"
	"    home: upcoming\n"
	"    call: cfp\n"
	"    points: 5\n"
	"    new_prefix: month\n"
	"    new_body: \"TODO: the programme, the place and how to take part, in Markdown.\"\n"
	"  fields:\n"
	"    title: {type: string, required: true}\n"
	"    date: {type: date, required: true}\n"
	"    kind: {type: enum, values: [meetup, tea, online-qa, training, conference, salon, competition], required: true}\n"
	"    end_date: {type: date}\n"
	"    timezone: {type: string}\n"
	"    city: {type: string}\n"
	"    venue: {type: ref, to: venue, or_text: true}\n"
	"    online_url: {type: url}\n"
	"    registration: {type: url}\n"
	"    organizers: {type: list, of: {type: ref, to: person}}\n"
	"    volunteers: {type: list, of: {type: ref, to: person}}\n"
	"    hosts: {type: list, of: {type: ref, to: org}}\n"
	"    sponsors: {type: list, of: {type: ref, to: org}}\n"
	"    cover: {type: url}\n"
	"    cfp: {type: call}\n"
	"    video: {type: url}\n"
	"    tags: {type: list, of: string}\n"
	"    summary: {type: text}\n",
	"person:\n"
	"  folder: people\n"
	"  title: name\n"
	"  roles:\n"
	"    person: true\n"
	"    schema: Person\n"
	"    pictures: [avatar]\n"
	"    new_body: \"TODO: a few words about this person, in Markdown.\"\n"
	"  fields:\n"
	"    name: {type: string, required: true}\n"
	"    bio: {type: text}\n"
	"    company: {type: string}\n"
	"    org: {type: ref, to: org}\n"
	"    city: {type: string}\n"
	"    avatar: {type: url}\n"
	"    links: {type: list, of: url}\n"
	"    git_emails: {type: list, of: string}\n"
	"    sort_key: {type: string}\n"
	"    summary: {type: text}\n",
	/* companies, universities, foundations: their pages gather everything that names them */
	"org:\n"
	"  folder: orgs\n"
	"  title: name\n"
	"  roles:\n"
	"    schema: Organization\n"
	"    pictures: [logo]\n"
	"    groups: {kind: true}\n"
	"    new_body: \"TODO: what the organisation does and how it takes part in the community, in Markdown.\"\n"
	"  fields:\n"
	"    name: {type: string, required: true}\n"
	"    kind: {type: enum, values: [company, university, foundation, community, government], required: true}\n"
	"    city: {type: string}\n"
	"    website: {type: url}\n"
	"    logo: {type: url}\n"
	"    industry: {type: string}\n"
	"    description: {type: text}\n"
	"    summary: {type: text}\n",
	/* a job posting; org is the employer (jsonld.c and the theme also read a name there) */
	"job:\n"
	"  folder: jobs\n"
	"  roles:\n"
	"    schema: JobPosting\n"
	"    date: posted\n"
	"    expires: expires\n"
	"    home: open_jobs\n"
	"    new_body: \"TODO: the position in Markdown: the work, who you are looking for, how to apply.\"\n"
	"  fields:\n"
	"    title: {type: string, required: true}\n"
	"    org: {type: ref, to: org, required: true}\n"
	"    city: {type: string}\n"
	"    remote: {type: bool}\n"
	"    kind: {type: enum, values: [full-time, part-time, internship, volunteer]}\n"
	"    apply: {type: url}\n"
	"    posted: {type: date, required: true}\n"
	"    expires: {type: date, required: true}\n"
	"    tags: {type: list, of: string}\n"
	"    summary: {type: text}\n",
	/* the catalogue of projects around the product: a list grouped by category */
	"project:\n"
	"  folder: projects\n"
	"  title: name\n"
	"  roles:\n"
	"    schema: SoftwareSourceCode\n"
	"    people: {maintainers: maintainer}\n"
	"    groups: {category: true}\n"
	"    points: 5\n"
	"    new_body: \"TODO: what the project does, who it is for and how to start using it, in Markdown.\"\n"
	"  fields:\n"
	"    name: {type: string, required: true}\n"
	"    category: {type: enum, values: categories, required: true}\n"
	"    repository: {type: url}\n"
	"    website: {type: url}\n"
	"    license: {type: spdx}\n"
	"    language: {type: string}\n"
	"    maintainers: {type: list, of: {type: ref, to: person}}\n"
	"    org: {type: ref, to: org}\n"
	"    tags: {type: list, of: string}\n"
	"    status: {type: enum, values: [active, maintained, archived]}\n"
	"    summary: {type: text}\n",
	/* venue: a place offered for offline events; events name it in venue: */
	"venue:\n"
	"  folder: venues\n"
	"  title: name\n"
	"  roles:\n"
	"    schema: Place\n"
	"    pictures: [photos]\n"
	"    groups: {city: true, capacity: [30, 100, 300]}\n"
	"    points: 3\n"
	"    new_body: \"TODO: the room, how to get there and what to know before booking, in Markdown; photos go beside this file (jixia new --bundle).\"\n"
	"  fields:\n"
	"    name: {type: string, required: true}\n"
	"    city: {type: string, required: true}\n"
	"    address: {type: string}\n"
	"    map: {type: url}\n"
	"    contact: {type: ref, to: person, or_text: true}\n"
	"    capacity: {type: int}\n"
	"    equipment: {type: list, of: {type: enum, values: [projector, screen, microphone, sound, streaming, recording, whiteboard, wifi, power, catering, accessible]}}\n"
	"    availability: {type: text}\n"
	"    fee: {type: text}\n"
	"    requirements: {type: text}\n"
	"    photos: {type: list, of: url}\n"
	"    summary: {type: text}\n",
	NULL
};

/* The project categories when site.yaml has no categories: (README, "Projects"). */
static const char *const S_builtin_categories[] = { "extension", "tool", "orm",         "driver",
						    "cloud",     "fork", "application", NULL };

static const char *const S_kind_names[] = { "string", "text", "int",  "bool", "date", "datetime", "url",
					    "enum",   "ref",  "list", "spdx", "call", NULL };

const char *field_kind_name(enum field_kind k)
{
	static const char *const msg[] = {
		"a string",
		"a text",
		"a whole number",
		"true or false",
		"a date (YYYY-MM-DD)",
		"a date and time (YYYY-MM-DD HH:MM)",
		"a URL (http, https, mailto or relative)",
		"one of the allowed values",
		"the id of an item",
		"a list",
		"an SPDX license id or expression (MIT, Apache-2.0 OR MIT)",
		"a call for contributions ({until: YYYY-MM-DD, url: https://...})"
	};
	return msg[k];
}

static int S_kind(const char *s, enum field_kind *out)
{
	size_t i;
	for (i = 0; S_kind_names[i]; i++)
		if (strcmp(s, S_kind_names[i]) == 0) {
			*out = (enum field_kind)i;
			return 0;
		}
	return -1;
}

static int S_keys(const char *path, const struct ynode *map, const char *what, const char *const *allowed)
{
	size_t i;
	int rc = 0;
	for (i = 0; i + 1 < map->n; i += 2) {
		const char *const *a;
		for (a = allowed; *a; a++)
			if (strcmp(map->kids[i]->str, *a) == 0)
				break;
		if (!*a) {
			struct buf hint = BUF_INIT;
			diag_error(path, map->kids[i]->line, map->kids[i]->col, "unknown key '%s' in %s%s",
				   map->kids[i]->str, what,
				   suggest_hint(&hint, suggest_list(map->kids[i]->str, allowed)));
			buf_release(&hint);
			rc = -1;
		}
	}
	return rc;
}

static const char *S_scalar(const char *path, const struct ynode *map, const char *key, int *rc)
{
	const struct ynode *v = ynode_get(map, key);
	if (!v)
		return NULL;
	if (v->kind != YNODE_SCALAR) {
		diag_error(path, v->line, v->col, "'%s' must be a string, not %s", key, ynode_kind_name(v));
		*rc = -1;
		return NULL;
	}
	return v->str;
}

/*
 * How many types site.yaml may define, fields a type may have, values an
 * enum or the categories may list. Each name is looked up among the others
 * and each mistake's message lists them or suggests the nearest: 9,000 types
 * with a bad ref took 17.5 s (a suggestion over all types for each), 15,000
 * fields and 3,000 unknown keys on one page 21.6 s and 930 MB (each warning
 * listed every field), 45,000 categories 3.6 s. Sites have a few dozen.
 */
#define TYPES_MAX_NAMES 256

/* 1 (with an error at the first past the cap: "VERB N NOUN; at most ...")
 * when list, a sequence or a mapping, holds more than TYPES_MAX_NAMES items. */
static int S_too_many(const char *path, const struct ynode *list, const char *verb, const char *noun)
{
	size_t n = list->kind == YNODE_MAP ? list->n / 2 : list->n;
	const struct ynode *over;
	if (n <= TYPES_MAX_NAMES)
		return 0;
	over = list->kids[list->kind == YNODE_MAP ? 2 * TYPES_MAX_NAMES : TYPES_MAX_NAMES];
	diag_error(path, over->line, over->col, "%s %zu %s; at most %d are allowed", verb, n, noun,
		   TYPES_MAX_NAMES);
	return 1;
}

/*
 * An enum's values: a list, or `categories`, the site's list (site.yaml's
 * categories:, else the built-in one), whose labels come along.
 */
static int S_enum_values(struct types *t, const char *path, const struct ynode *spec, struct field *f)
{
	const struct ynode *v = ynode_get(spec, "values");
	size_t i;

	if (v && v->kind == YNODE_SCALAR && strcmp(v->str, "categories") == 0) {
		f->values = t->categories;
		f->labels = t->category_labels;
		f->nvalues = t->ncategories;
		return 0;
	}
	if (!v || v->kind != YNODE_SEQ || v->n == 0) {
		diag_error(path, spec->line, spec->col,
			   "an enum needs 'values' (a list of allowed values, or categories)");
		return -1;
	}
	if (S_too_many(path, v, "'values' lists", "values"))
		return -1;
	f->values = xcalloc(v->n, sizeof(char *));
	t->owned = xrealloc(t->owned, (t->nowned + 1) * sizeof(*t->owned));
	t->owned[t->nowned++] = (char *)f->values;
	for (i = 0; i < v->n; i++) {
		if (v->kids[i]->kind != YNODE_SCALAR) {
			diag_error(path, v->kids[i]->line, v->kids[i]->col, "enum values must be strings");
			return -1;
		}
		((const char **)f->values)[i] = v->kids[i]->str;
	}
	f->nvalues = v->n;
	return 0;
}

/* One field spec {type: ..., ...}; list items recurse once through `of`. */
static int S_field(struct types *t, const char *path, const char *name, const struct ynode *spec,
		   struct field *f, int nested)
{
	static const char *const keys[] = { "type",     "of",      "to",      "values",
					    "required", "default", "or_text", NULL };
	const struct ynode *v;
	const char *kind;
	int rc = 0;

	memset(f, 0, sizeof(*f));
	f->name = name;
	if (spec->kind == YNODE_SCALAR) { /* shorthand: `of: string` */
		kind = spec->str;
	} else if (spec->kind != YNODE_MAP) {
		diag_error(path, spec->line, spec->col, "field '%s' must be a mapping like {type: string}",
			   name);
		return -1;
	} else {
		if (S_keys(path, spec, "a field", keys))
			rc = -1;
		kind = S_scalar(path, spec, "type", &rc);
	}
	if (!kind) {
		if (rc == 0)
			diag_error(
				path, spec->line, spec->col,
				"field '%s' needs a type (string, text, int, bool, date, datetime, url, enum, ref, spdx, call or list)",
				name);
		return -1;
	}
	if (S_kind(kind, &f->kind)) {
		const struct ynode *at = spec->kind == YNODE_MAP ? ynode_get(spec, "type") : spec;
		struct buf hint = BUF_INIT;
		diag_error(
			path, at->line, at->col,
			"unknown field type '%s' (string, text, int, bool, date, datetime, url, enum, ref, spdx, call or list)%s",
			kind, suggest_hint(&hint, suggest_list(kind, S_kind_names)));
		buf_release(&hint);
		return -1;
	}
	if (spec->kind == YNODE_SCALAR) {
		if (f->kind == FIELD_LIST || f->kind == FIELD_REF || f->kind == FIELD_ENUM) {
			diag_error(path, spec->line, spec->col, "a %s needs a mapping: {type: %s, ...}", kind,
				   kind);
			return -1;
		}
		return 0;
	}
	if (f->kind == FIELD_LIST) {
		struct field item;
		if (nested || !(v = ynode_get(spec, "of"))) {
			diag_error(path, spec->line, spec->col,
				   nested ? "a list of lists is not supported"
					  : "a list needs 'of' (the type of its items)");
			return -1;
		}
		if (S_field(t, path, name, v, &item, 1))
			return -1;
		f->of = item.kind;
		f->to = item.to;
		f->values = item.values;
		f->nvalues = item.nvalues;
		f->labels = item.labels;
	}
	if (f->kind == FIELD_REF) {
		f->to = S_scalar(path, spec, "to", &rc);
		if (!f->to && rc == 0) {
			diag_error(path, spec->line, spec->col, "a ref needs 'to' (the type it points to)");
			rc = -1;
		}
	}
	if (f->kind == FIELD_ENUM && S_enum_values(t, path, spec, f))
		return -1;
	if (f->kind == FIELD_CALL && nested) {
		diag_error(path, spec->line, spec->col,
			   "a list of calls is not supported: one call per item");
		return -1;
	}
	if ((v = ynode_get(spec, "or_text"))) {
		if (!ynode_bool(v, &f->or_text)) {
			diag_error(path, v->line, v->col, "'or_text' must be true or false");
			rc = -1;
		} else if (f->kind != FIELD_REF || nested) {
			/* a list whose items may be text is a list of strings */
			diag_error(path, v->line, v->col, "'or_text' is for a ref field, not %s",
				   nested ? "the items of a list" : field_kind_name(f->kind));
			rc = -1;
		}
	}
	if ((v = ynode_get(spec, "required")) && !ynode_bool(v, &f->required)) {
		diag_error(path, v->line, v->col, "'required' must be true or false");
		rc = -1;
	}
	f->def = ynode_get(spec, "default");
	return rc;
}

/* --- roles --------------------------------------------------------------- */

/* By enum value; 0 is none. */
static const char *const S_schema_names[] = {
	"",       "Event",        "FAQPage",    "TechArticle",        "Article",
	"Person", "Organization", "JobPosting", "SoftwareSourceCode", "Place",
	NULL
};
static const char *const S_part_names[] = { "",          "author",     "speaker", "organizer",
					    "volunteer", "maintainer", NULL };

/*
 * What a home section may not be called: the names a home page already
 * has (the root's, the listings', the kinds' flags), which it would hide
 * or be hidden by.
 */
static const char *const S_home_taken[] = {
	"site",
	"page",
	"t",
	"lang",
	"url",
	"kind",
	"head",
	"calendar_url",
	"title",
	"pages",
	"total",
	"empty",
	"type",
	"taxonomy",
	"taxonomy_title",
	"taxonomy_url",
	"year",
	"pagination",
	"years",
	"terms",
	"popular_tags",
	"home",
	"list",
	"term",
	"notfound",
	"contributors",
	"l10n",
	"search",
	"grouped",
	"groups",
	"filter_tags",
	NULL
};

/* The fields a type without a pictures role shows: any of these url fields. */
static const char *const S_default_pictures[] = { "cover", "avatar", "image", NULL };

/* The index of s in names (NULL-terminated, names[0] meaning none), or 0. */
static int S_index(const char *const *names, const char *s)
{
	int i;
	for (i = 1; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return 0;
}

/* "; did you mean 'F'?" for the field of ty nearest name, into hint. */
static const char *S_field_hint(struct buf *hint, const struct type *ty, const char *name)
{
	struct suggest s = SUGGEST_INIT;
	size_t i;
	for (i = 0; i < ty->nfields; i++)
		suggest_add(&s, ty->fields[i].name, ty->fields[i].name);
	suggest_hint(hint, suggest_best(&s, name));
	suggest_release(&s);
	return buf_cstr(hint);
}

static const char *S_role_scalar(const char *path, const char *role, const struct ynode *v, const char *what)
{
	if (v->kind == YNODE_SCALAR && v->len)
		return v->str;
	diag_error(path, v->line, v->col, "role '%s' must be %s, not %s", role, what,
		   v->kind == YNODE_SCALAR ? "empty" : ynode_kind_name(v));
	return NULL;
}

/* The field of ty that v names, of kind k (or, with k2 >= 0, k2); what names them. */
static const struct field *S_role_field(const char *path, const struct type *ty, const char *role,
					const struct ynode *v, enum field_kind k, int k2, const char *what)
{
	const char *name = S_role_scalar(path, role, v, what);
	const struct field *f = name ? type_field(ty, name) : NULL;
	if (!name)
		return NULL;
	if (!f) {
		struct buf hint = BUF_INIT;
		diag_error(path, v->line, v->col, "role '%s': type '%s' has no field '%s'%s", role, ty->name,
			   name, S_field_hint(&hint, ty, name));
		buf_release(&hint);
		return NULL;
	}
	if (f->kind != k && (int)f->kind != k2) {
		diag_error(path, v->line, v->col, "role '%s' must name %s; '%s' is %s", role, what, name,
			   field_kind_name(f->kind));
		return NULL;
	}
	return f;
}

static int S_role_bool(const char *path, const char *role, const struct ynode *v, int *out)
{
	if (ynode_bool(v, out))
		return 0;
	diag_error(path, v->line, v->col, "role '%s' must be true or false", role);
	return -1;
}

/* url fields, or lists of urls (a gallery: its first picture is the item's). */
static int S_role_pictures(const char *path, const struct type *ty, const struct ynode *v)
{
	size_t i, n = v->kind == YNODE_SEQ ? v->n : 1;
	int rc = 0;
	for (i = 0; i < n; i++) {
		const struct ynode *x = v->kind == YNODE_SEQ ? v->kids[i] : v;
		const struct field *f = S_role_field(path, ty, "pictures", x, FIELD_URL, FIELD_LIST,
						     "url fields or lists of urls");
		if (f && f->kind == FIELD_LIST && f->of != FIELD_URL) {
			diag_error(
				path, x->line, x->col,
				"role 'pictures' must name url fields or lists of urls; '%s' is a list of %s",
				f->name, S_kind_names[f->of]);
			f = NULL;
		}
		if (!f)
			rc = -1;
	}
	return rc;
}

static int S_role_people(const char *path, const struct type *ty, const struct ynode *v)
{
	size_t i;
	int rc = 0;
	if (v->kind != YNODE_MAP) {
		diag_error(path, v->line, v->col,
			   "role 'people' must be a mapping of field: part, like {speakers: speaker}");
		return -1;
	}
	for (i = 0; i + 1 < v->n; i += 2) {
		const struct ynode *k = v->kids[i], *part = v->kids[i + 1];
		const struct field *f = type_field(ty, k->str);
		if (!f) {
			struct buf hint = BUF_INIT;
			diag_error(path, k->line, k->col, "role 'people': type '%s' has no field '%s'%s",
				   ty->name, k->str, S_field_hint(&hint, ty, k->str));
			buf_release(&hint);
			rc = -1;
		} else if (!(f->kind == FIELD_REF || (f->kind == FIELD_LIST && f->of == FIELD_REF))) {
			diag_error(path, k->line, k->col,
				   "role 'people' must name ref fields (or lists of refs); '%s' is %s",
				   k->str, field_kind_name(f->kind));
			rc = -1;
		}
		if (part->kind != YNODE_SCALAR || !S_index(S_part_names, part->str)) {
			struct buf hint = BUF_INIT;
			diag_error(
				path, part->line, part->col,
				"role 'people': the part of '%s' must be author, speaker, organizer, volunteer or maintainer%s",
				k->str,
				suggest_hint(&hint, part->kind == YNODE_SCALAR
							    ? suggest_list(part->str, S_part_names)
							    : NULL));
			buf_release(&hint);
			rc = -1;
		}
	}
	return rc;
}

static int S_role_home(const char *path, const struct ynode *v, const char **out)
{
	const char *s = S_role_scalar(path, "home", v, "a name for templates, like latest_talks");
	const char *const *taken;
	size_t i;
	if (!s)
		return -1;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' || (i > 0 && s[i] >= '0' && s[i] <= '9'))) {
			diag_error(
				path, v->line, v->col,
				"role 'home' must be lower-case letters, digits and '_', like latest_talks; '%s' is not",
				s);
			return -1;
		}
	for (taken = S_home_taken; *taken; taken++)
		if (strcmp(s, *taken) == 0) {
			diag_error(path, v->line, v->col,
				   "role 'home' may not be '%s': home pages already have that name", s);
			return -1;
		}
	*out = s;
	return 0;
}

/* Keeps p until types_release. */
static void *S_own(struct types *t, void *p)
{
	t->owned = xrealloc(t->owned, (t->nowned + 1) * sizeof(*t->owned));
	t->owned[t->nowned++] = p;
	return p;
}

/* The most ranges one int field is cut into, and the most fields a list is grouped by. */
#define TYPES_MAX_BOUNDS 32
#define TYPES_MAX_GROUPS 8

/* The ranges of an int field: whole numbers, ascending. */
static int S_role_bounds(const char *path, const struct ynode *v, struct type_group *g)
{
	long long *b;
	size_t i;
	if (v->kind != YNODE_SEQ || v->n == 0 || v->n > TYPES_MAX_BOUNDS) {
		diag_error(
			path, v->line, v->col,
			"role 'groups': int field '%s' needs the highest value of each range, like [30, 100, 300] (at most %d)",
			g->field, TYPES_MAX_BOUNDS);
		return -1;
	}
	b = xcalloc(v->n, sizeof(*b));
	for (i = 0; i < v->n; i++)
		if (!ynode_int(v->kids[i], &b[i]) || (i > 0 && b[i] <= b[i - 1])) {
			diag_error(
				path, v->kids[i]->line, v->kids[i]->col,
				"role 'groups': the ranges of '%s' must be whole numbers in ascending order",
				g->field);
			free(b);
			return -1;
		}
	g->bounds = b;
	g->nbounds = v->n;
	return 0;
}

/*
 * groups: {FIELD: true, INT_FIELD: [30, 100, 300]}: the type's list is
 * one page, with the items grouped by each value of FIELD (a string or an
 * enum, or a list of them) and by the ranges of INT_FIELD.
 */
static int S_role_groups(const char *path, struct types *t, struct type *ty, const struct ynode *v)
{
	struct type_group *g;
	size_t i;
	int rc = 0;

	if (v->kind != YNODE_MAP || v->n == 0 || v->n / 2 > TYPES_MAX_GROUPS) {
		diag_error(
			path, v->line, v->col,
			"role 'groups' must be a mapping of at most %d fields, like {city: true, capacity: [30, 100, 300]}",
			TYPES_MAX_GROUPS);
		return -1;
	}
	g = S_own(t, xcalloc(v->n / 2, sizeof(*g)));
	ty->roles.groups = g;
	ty->roles.ngroups = 0;
	for (i = 0; i + 1 < v->n; i += 2) {
		const struct ynode *k = v->kids[i], *x = v->kids[i + 1];
		const struct field *f = type_field(ty, k->str);
		enum field_kind kind = f && f->kind == FIELD_LIST ? f->of : f ? f->kind : FIELD_STRING;
		int on = 0;
		struct buf hint = BUF_INIT;
		if (!f) {
			diag_error(path, k->line, k->col, "role 'groups': type '%s' has no field '%s'%s",
				   ty->name, k->str, S_field_hint(&hint, ty, k->str));
			buf_release(&hint);
			rc = -1;
			continue;
		}
		g[ty->roles.ngroups].field = f->name;
		if (f->kind == FIELD_INT) {
			if (S_role_bounds(path, x, &g[ty->roles.ngroups])) {
				rc = -1;
				continue;
			}
			S_own(t, (void *)g[ty->roles.ngroups].bounds);
		} else if (kind != FIELD_STRING && kind != FIELD_ENUM) {
			diag_error(
				path, k->line, k->col,
				"role 'groups' groups by string, enum or int fields (or lists of strings or enums); '%s' is %s",
				k->str, field_kind_name(f->kind));
			rc = -1;
			continue;
		} else if (!ynode_bool(x, &on) || !on) {
			diag_error(path, x->line, x->col,
				   "role 'groups': '%s' is grouped by its values: write %s: true", k->str,
				   k->str);
			rc = -1;
			continue;
		}
		ty->roles.ngroups++;
	}
	return rc;
}

/*
 * Role question: an enum field one of whose values is open; an item at that
 * value, or with an empty body, is a question still waiting for its answer.
 */
static int S_role_question(const char *path, struct type *ty, const struct ynode *v)
{
	const struct field *f =
		S_role_field(path, ty, "question", v, FIELD_ENUM, -1, "an enum field with the value open");
	size_t i;

	if (!f)
		return -1;
	for (i = 0; i < f->nvalues && strcmp(f->values[i], "open") != 0; i++)
		;
	if (f->nvalues && i == f->nvalues) {
		diag_error(path, v->line, v->col,
			   "role 'question': field '%s' must have the value open (values: [open, answered])",
			   f->name);
		return -1;
	}
	ty->roles.question = f->name;
	return 0;
}

/* One role of ty. */
static int S_role(const char *path, struct types *t, struct type *ty, const struct ynode *k,
		  const struct ynode *v)
{
	static const char *const roles[] = {
		"bounty", "calendar", "call",       "date",   "expires", "groups",
		"home",   "new_body", "new_prefix", "people", "person",  "pictures",
		"points", "question", "schema",     "tree",   "video",   NULL
	};
	struct type_roles *r = &ty->roles;
	const char *role = k->str, *s;
	const struct field *f;
	struct buf hint = BUF_INIT;
	long long num;

	if (strcmp(role, "calendar") == 0)
		return S_role_bool(path, role, v, &r->calendar);
	if (strcmp(role, "person") == 0)
		return S_role_bool(path, role, v, &r->person);
	if (strcmp(role, "tree") == 0)
		return S_role_bool(path, role, v, &r->tree);
	if (strcmp(role, "schema") == 0) {
		if (v->kind == YNODE_SCALAR &&
		    (r->schema = (enum type_schema)S_index(S_schema_names, v->str)))
			return 0;
		diag_error(
			path, v->line, v->col,
			"role 'schema' must be Event, FAQPage, TechArticle, Article, Person, Organization, JobPosting, SoftwareSourceCode or Place%s",
			suggest_hint(&hint,
				     v->kind == YNODE_SCALAR ? suggest_list(v->str, S_schema_names) : NULL));
		buf_release(&hint);
		return -1;
	}
	if (strcmp(role, "date") == 0) {
		f = S_role_field(path, ty, role, v, FIELD_DATE, FIELD_DATETIME, "a date or datetime field");
		r->date = f ? f->name : r->date;
		return f ? 0 : -1;
	}
	if (strcmp(role, "expires") == 0) {
		f = S_role_field(path, ty, role, v, FIELD_DATE, FIELD_DATETIME, "a date or datetime field");
		r->expires = f ? f->name : NULL;
		return f ? 0 : -1;
	}
	if (strcmp(role, "video") == 0) {
		f = S_role_field(path, ty, role, v, FIELD_URL, -1, "a url field");
		r->video = f ? f->name : NULL;
		return f ? 0 : -1;
	}
	if (strcmp(role, "question") == 0)
		return S_role_question(path, ty, v);
	if (strcmp(role, "bounty") == 0) {
		f = S_role_field(path, ty, role, v, FIELD_INT, -1, "an int field");
		r->bounty = f ? f->name : NULL;
		return f ? 0 : -1;
	}
	if (strcmp(role, "call") == 0) {
		f = S_role_field(path, ty, role, v, FIELD_CALL, -1, "a call field ({type: call})");
		r->call = f ? f->name : NULL;
		return f ? 0 : -1;
	}
	if (strcmp(role, "pictures") == 0)
		return S_role_pictures(path, ty, v);
	if (strcmp(role, "groups") == 0)
		return S_role_groups(path, t, ty, v);
	if (strcmp(role, "people") == 0)
		return S_role_people(path, ty, v);
	if (strcmp(role, "home") == 0)
		return S_role_home(path, v, &r->home);
	if (strcmp(role, "points") == 0) {
		if (ynode_int(v, &num) && num >= 0 && num <= TYPES_MAX_POINTS) {
			r->points = num;
			return 0;
		}
		diag_error(path, v->line, v->col, "role 'points' must be a whole number from 0 to %d",
			   TYPES_MAX_POINTS);
		return -1;
	}
	if (strcmp(role, "new_prefix") == 0) {
		static const char *const names[] = { "", "year", "month", "day", NULL };
		static const int len[] = { 0, 5, 8, 11 }; /* of YYYY-MM-DD- */
		int i = v->kind == YNODE_SCALAR ? S_index(names, v->str) : 0;
		if (i) {
			r->new_prefix = len[i];
			return 0;
		}
		diag_error(path, v->line, v->col, "role 'new_prefix' must be year, month or day%s",
			   suggest_hint(&hint, v->kind == YNODE_SCALAR ? suggest_list(v->str, names) : NULL));
		buf_release(&hint);
		return -1;
	}
	if (strcmp(role, "new_body") == 0) {
		s = S_role_scalar(path, role, v, "a line of text");
		r->new_body = s;
		return s ? 0 : -1;
	}
	diag_error(
		path, k->line, k->col,
		"unknown role '%s' (bounty, calendar, call, date, expires, groups, home, new_body, new_prefix, people, person, pictures, points, question, schema, tree or video)%s",
		role, suggest_hint(&hint, suggest_list(role, roles)));
	buf_release(&hint);
	return -1;
}

/* roles: {...} of ty, whose fields are read already. */
static int S_roles(const char *path, struct types *t, struct type *ty, const struct ynode *roles)
{
	const struct field *f;
	size_t i;
	int rc = 0;

	ty->roles.def = roles;
	ty->roles.path = path;
	if (roles->kind != YNODE_MAP) {
		diag_error(path, roles->line, roles->col, "'roles' must be a mapping like {calendar: true}");
		return -1;
	}
	for (i = 0; i + 1 < roles->n; i += 2)
		if (S_role(path, t, ty, roles->kids[i], roles->kids[i + 1]))
			rc = -1;
	/* what happens on a day needs the day */
	f = type_field(ty, ty->roles.date);
	if (rc == 0 && (!f || (f->kind != FIELD_DATE && f->kind != FIELD_DATETIME))) {
		const char *role = ty->roles.calendar     ? "calendar"
				   : ty->roles.new_prefix ? "new_prefix"
							  : NULL;
		const struct ynode *v = role ? ynode_get(roles, role) : NULL;
		if (v) {
			diag_error(path, v->line, v->col,
				   "role '%s' needs a date: type '%s' has no date or datetime field '%s'",
				   role, ty->name, ty->roles.date);
			rc = -1;
		}
	}
	return rc;
}

static int S_type(struct types *t, const char *path, const struct ynode *key, const struct ynode *def,
		  struct type *ty)
{
	static const char *const keys[] = { "folder", "title", "roles", "fields", NULL };
	const struct ynode *fields, *roles;
	size_t i;
	int rc = 0;

	memset(ty, 0, sizeof(*ty));
	ty->name = key->str;
	ty->folder = key->str;
	ty->title_field = "title";
	ty->roles.date = "date";
	if (def->kind != YNODE_MAP) {
		diag_error(path, def->line, def->col,
			   "type '%s' must be a mapping with folder: and fields:", key->str);
		return -1;
	}
	if (S_keys(path, def, "a type", keys))
		rc = -1;
	if (ynode_get(def, "folder"))
		ty->folder = S_scalar(path, def, "folder", &rc);
	if (!ty->folder)
		ty->folder = ty->name;
	if (ynode_get(def, "title"))
		ty->title_field = S_scalar(path, def, "title", &rc);
	if (!ty->title_field)
		ty->title_field = "title";
	fields = ynode_get(def, "fields");
	if (fields && fields->kind != YNODE_MAP) {
		diag_error(path, fields->line, fields->col,
			   "'fields' must be a mapping of name: {type: ...}");
		return -1;
	}
	if (fields && S_too_many(path, fields, "'fields' names", "fields"))
		return -1;
	if (fields) {
		ty->fields = xcalloc(fields->n / 2 + 1, sizeof(*ty->fields));
		for (i = 0; i + 1 < fields->n; i += 2) {
			if (S_field(t, path, fields->kids[i]->str, fields->kids[i + 1],
				    &ty->fields[ty->nfields], 0))
				rc = -1;
			else
				ty->nfields++;
		}
	}
	if ((roles = ynode_get(def, "roles")) && S_roles(path, t, ty, roles))
		rc = -1;
	return rc;
}

/*
 * A name is looked for among the types there before this map only (the
 * built-in ones): yaml.c refuses a key twice in one map, and looking among
 * all made 45,000 types in site.yaml take 8.7 s. The array grows by
 * doubling, not a type at a time.
 */
static int S_add_all(struct types *t, const char *path, const struct ynode *map)
{
	size_t i, j, before = t->n, cap = t->n;
	int rc = 0;
	for (i = 0; i + 1 < map->n; i += 2) {
		struct type ty;
		/* A type with a bad field is still added, so refs to it resolve and
		 * its other fields are checked: one run reports every mistake. */
		if (S_type(t, path, map->kids[i], map->kids[i + 1], &ty))
			rc = -1;
		for (j = 0; j < before; j++)
			if (strcmp(t->v[j].name, ty.name) == 0)
				break;
		if (j < before) { /* site.yaml replaces the built-in type */
			ty.rank = t->v[j].rank;
			if (!ty.roles.def) /* its roles stay; fields they name may be gone */
				ty.roles = t->v[j].roles;
			free(t->v[j].fields);
			t->v[j] = ty;
		} else {
			ty.rank = (int)t->n;
			ARRAY_GROW(t->v, t->n, cap, 16);
			t->v[t->n++] = ty;
		}
	}
	return rc;
}

static int S_folder_cmp(const void *a, const void *b)
{
	return strcmp(((const struct type *)a)->folder, ((const struct type *)b)->folder);
}

/* The name of the type nearest name, or NULL. */
static const char *S_type_near(const struct types *t, const char *name)
{
	struct suggest s = SUGGEST_INIT;
	const char *r;
	size_t i;
	for (i = 0; i < t->n; i++)
		suggest_add(&s, t->v[i].name, t->v[i].name);
	r = suggest_best(&s, name);
	suggest_release(&s);
	return r;
}

/* Refs must point at types that exist; folders must be distinct. */
static int S_check_refs(const struct types *t, const struct config *cfg)
{
	size_t i, j;
	int rc = 0;
	for (i = 0; i < t->n; i++) {
		if (i > 0 && strcmp(t->v[i - 1].folder, t->v[i].folder) == 0) {
			diag_error("site.yaml", 0, 0, "types '%s' and '%s' use the same folder '%s'",
				   t->v[i - 1].name, t->v[i].name, t->v[i].folder);
			rc = -1;
		}
		for (j = 0; j < t->v[i].nfields; j++) {
			const struct field *f = &t->v[i].fields[j];
			if (f->to && !types_by_name(t, f->to)) {
				const struct ynode *ty =
					cfg->types ? ynode_get(cfg->types, t->v[i].name) : NULL;
				struct buf hint = BUF_INIT;
				diag_error(
					"site.yaml", ty ? ty->line : 0, ty ? ty->col : 0,
					"field '%s' of type '%s' refers to type '%s', which does not exist%s",
					f->name, t->v[i].name, f->to,
					suggest_hint(&hint, S_type_near(t, f->to)));
				buf_release(&hint);
				rc = -1;
			}
		}
	}
	return rc;
}

/* 1 when v (a name or a list of names) holds name. */
static int S_named(const struct ynode *v, const char *name)
{
	size_t i, n = v->kind == YNODE_SEQ ? v->n : 1;
	for (i = 0; i < n; i++) {
		const struct ynode *x = v->kind == YNODE_SEQ ? v->kids[i] : v;
		if (x->kind == YNODE_SCALAR && strcmp(x->str, name) == 0)
			return 1;
	}
	return 0;
}

static int S_default_picture(const char *name)
{
	const char *const *p;
	for (p = S_default_pictures; *p; p++)
		if (strcmp(name, *p) == 0)
			return 1;
	return 0;
}

/*
 * Marks the fields the roles name, and the refs to people. A built-in type
 * replaced in site.yaml keeps roles that may name fields it no longer has,
 * or has with another kind: those mark nothing.
 */
static void S_mark_fields(struct types *t)
{
	size_t i, k;
	for (i = 0; i < t->n; i++) {
		struct type *ty = &t->v[i];
		const struct ynode *pics = ty->roles.def ? ynode_get(ty->roles.def, "pictures") : NULL;
		const struct ynode *people = ty->roles.def ? ynode_get(ty->roles.def, "people") : NULL;
		const struct field *vf = ty->roles.video ? type_field(ty, ty->roles.video) : NULL;
		const struct field *ef = ty->roles.expires ? type_field(ty, ty->roles.expires) : NULL;
		if (!vf || vf->kind != FIELD_URL)
			ty->roles.video = NULL;
		const struct field *qf = ty->roles.question ? type_field(ty, ty->roles.question) : NULL;
		const struct field *bf = ty->roles.bounty ? type_field(ty, ty->roles.bounty) : NULL;
		const struct field *cf = ty->roles.call ? type_field(ty, ty->roles.call) : NULL;
		if (!ef || (ef->kind != FIELD_DATE && ef->kind != FIELD_DATETIME))
			ty->roles.expires = NULL;
		if (!qf || qf->kind != FIELD_ENUM)
			ty->roles.question = NULL;
		if (!bf || bf->kind != FIELD_INT)
			ty->roles.bounty = NULL;
		if (!cf || cf->kind != FIELD_CALL)
			ty->roles.call = NULL;
		for (k = 0; k < ty->nfields; k++) {
			struct field *f = &ty->fields[k];
			const struct type *to = f->to ? types_by_name(t, f->to) : NULL;
			const struct ynode *part =
				people && people->kind == YNODE_MAP ? ynode_get(people, f->name) : NULL;
			int ref = f->kind == FIELD_REF || (f->kind == FIELD_LIST && f->of == FIELD_REF);
			f->picture = pics ? (f->kind == FIELD_URL ||
					     (f->kind == FIELD_LIST && f->of == FIELD_URL)) &&
						     S_named(pics, f->name)
					  : f->kind == FIELD_URL && S_default_picture(f->name);
			f->people = PEOPLE_NONE;
			if (ref && part && part->kind == YNODE_SCALAR)
				f->people = (enum people_part)S_index(S_part_names, part->str);
			f->to_person = ref && to && to->roles.person;
		}
	}
}

/* What site.yaml's roles can only be checked against the other types. */
static int S_check_roles(const struct types *t)
{
	size_t i, j, k;
	int rc = 0;
	for (i = 0; i < t->n; i++) {
		const struct type *ty = &t->v[i];
		const struct ynode *people;
		if (!ty->roles.def || strcmp(ty->roles.path, BUILTIN_PATH) == 0)
			continue;
		people = ynode_get(ty->roles.def, "people");
		for (k = 0; people && people->kind == YNODE_MAP && k + 1 < people->n; k += 2) {
			const struct ynode *key = people->kids[k];
			const struct field *f = type_field(ty, key->str);
			if (f && f->to && !f->to_person) {
				diag_error(
					ty->roles.path, key->line, key->col,
					"role 'people': '%s' refers to type '%s', whose items are not people (role person)",
					key->str, f->to);
				rc = -1;
			}
		}
		for (j = 0; ty->roles.home && j < t->n; j++) {
			const struct type *o = &t->v[j];
			/* each clash once: at the site's type, the later one of two */
			if (j == i || !o->roles.home || strcmp(o->roles.home, ty->roles.home) != 0 ||
			    (o->roles.def && strcmp(o->roles.path, BUILTIN_PATH) != 0 && o->rank > ty->rank))
				continue;
			{
				const struct ynode *v = ynode_get(ty->roles.def, "home");
				diag_error(ty->roles.path, v->line, v->col,
					   "role 'home': type '%s' already has the home section '%s'",
					   o->name, ty->roles.home);
				rc = -1;
			}
		}
	}
	return rc;
}

/* A category's label: text, or {LANG: text} for languages of the site. */
static int S_category_label(const struct config *cfg, const struct ynode *v)
{
	size_t i;
	int rc = 0;
	if (v->kind == YNODE_SCALAR && v->len)
		return 0;
	if (v->kind != YNODE_MAP || !v->n) {
		diag_error("site.yaml", v->line, v->col,
			   "a category's label must be text, or a mapping from language code to text");
		return -1;
	}
	for (i = 0; i + 1 < v->n; i += 2) {
		const struct ynode *k = v->kids[i], *text = v->kids[i + 1];
		if (!config_lang(cfg, k->str, k->len)) {
			struct buf hint = BUF_INIT;
			diag_error("site.yaml", k->line, k->col, "'%s' is not a language of this site%s",
				   k->str, suggest_hint(&hint, config_lang_near(cfg, k->str, k->len)));
			buf_release(&hint);
			rc = -1;
		} else if (text->kind != YNODE_SCALAR || !text->len) {
			diag_error("site.yaml", text->line, text->col, "a category's label must be text");
			rc = -1;
		}
	}
	return rc;
}

/*
 * The projects' categories: site.yaml's categories: [extension, {gui: GUI
 * tools}, ...], else the built-in ones. A name is an enum value, the end of
 * a UI string key and an anchor on the list page: lower-case letters,
 * digits, '-' and '_'.
 */
static int S_categories(struct types *t, const struct config *cfg)
{
	const struct ynode *list = cfg->categories;
	size_t i, j, n = 0;
	int rc = 0;

	if (!list) {
		while (S_builtin_categories[n])
			n++;
		t->categories = xcalloc(n + 1, sizeof(*t->categories));
		t->category_labels = xcalloc(n + 1, sizeof(*t->category_labels));
		memcpy(t->categories, S_builtin_categories, n * sizeof(*t->categories));
		t->ncategories = n;
		return 0;
	}
	t->categories = xcalloc(list->n + 1, sizeof(*t->categories));
	t->category_labels = xcalloc(list->n + 1, sizeof(*t->category_labels));
	if (S_too_many("site.yaml", list, "'categories' lists", "categories"))
		return -1;
	if (!list->n) {
		diag_error("site.yaml", list->line, list->col,
			   "'categories' must list at least one category");
		rc = -1;
	}
	for (i = 0; i < list->n; i++) {
		const struct ynode *c = list->kids[i], *name = c, *label = NULL;
		if (c->kind == YNODE_MAP && c->n == 2) {
			name = c->kids[0];
			label = c->kids[1];
		} else if (c->kind != YNODE_SCALAR) {
			diag_error("site.yaml", c->line, c->col,
				   "a category is a name (like extension), or name: label");
			rc = -1;
			continue;
		}
		for (j = 0; j < name->len; j++)
			if (!((name->str[j] >= 'a' && name->str[j] <= 'z') ||
			      (name->str[j] >= '0' && name->str[j] <= '9') || name->str[j] == '-' ||
			      name->str[j] == '_'))
				break;
		if (!name->len || j < name->len) {
			diag_error(
				"site.yaml", name->line, name->col,
				"category '%s' must be lower-case letters, digits, '-' and '_', like extension",
				name->str);
			rc = -1;
			continue;
		}
		for (j = 0; j < n; j++)
			if (strcmp(t->categories[j], name->str) == 0)
				break;
		if (j < n) {
			diag_error("site.yaml", name->line, name->col, "category '%s' is listed twice",
				   name->str);
			rc = -1;
			continue;
		}
		if (label && S_category_label(cfg, label))
			rc = -1;
		t->categories[n] = name->str;
		t->category_labels[n] = label;
		n++;
	}
	/* a list with mistakes allows any value: its pages get no error that only follows from them */
	t->ncategories = rc ? 0 : n;
	return rc;
}

int types_load(struct types *out, const struct config *cfg)
{
	int rc = 0;
	struct buf src = BUF_INIT;
	const char *const *part;
	memset(out, 0, sizeof(*out));
	if (S_categories(out, cfg))
		rc = -1;
	for (part = S_builtin; *part; part++)
		buf_puts(&src, *part);
	if (yaml_load(&out->builtin, BUILTIN_PATH, src.ptr, src.len, 0, NULL) ||
	    S_add_all(out, BUILTIN_PATH, out->builtin))
		abort(); /* the built-in text is part of the program */
	buf_release(&src);
	if (cfg->types && S_too_many("site.yaml", cfg->types, "'types' defines", "types"))
		rc = -1;
	else if (cfg->types && S_add_all(out, "site.yaml", cfg->types))
		rc = -1;
	qsort(out->v, out->n, sizeof(*out->v), S_folder_cmp);
	if (S_check_refs(out, cfg))
		rc = -1;
	S_mark_fields(out);
	if (S_check_roles(out))
		rc = -1;
	return rc;
}

void types_release(struct types *t)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		free(t->v[i].fields);
	for (i = 0; i < t->nowned; i++)
		free(t->owned[i]);
	free(t->owned);
	free(t->categories);
	free(t->category_labels);
	free(t->v);
	ynode_free(t->builtin);
	memset(t, 0, sizeof(*t));
}

static const char *S_folder_key(const void *elem)
{
	return ((const struct type *)elem)->folder;
}

const struct type *types_by_folder(const struct types *t, const char *folder)
{
	return bsearch_key(t->v, t->n, sizeof(*t->v), S_folder_key, folder, strlen(folder));
}

const struct type *types_by_name(const struct types *t, const char *name)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0)
			return &t->v[i];
	return NULL;
}

static int S_rank_cmp(const void *pa, const void *pb)
{
	const struct type *a = *(const struct type *const *)pa, *b = *(const struct type *const *)pb;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

const struct type **types_ranked(const struct types *t)
{
	const struct type **v = xmalloc((t->n ? t->n : 1) * sizeof(*v));
	size_t i;
	for (i = 0; i < t->n; i++)
		v[i] = &t->v[i];
	qsort(v, t->n, sizeof(*v), S_rank_cmp);
	return v;
}

const struct field *type_field(const struct type *ty, const char *name)
{
	size_t i;
	/* the first bytes compared here: most fields differ there, and the model asks per key of every page */
	for (i = 0; ty && i < ty->nfields; i++)
		if (ty->fields[i].name[0] == name[0] && strcmp(ty->fields[i].name, name) == 0)
			return &ty->fields[i];
	return NULL;
}

/* --- calendar ------------------------------------------------------------ */

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
long long days_from_civil(int y, int m, int d)
{
	long long yy = y - (m <= 2);
	long long era = (yy >= 0 ? yy : yy - 399) / 400;
	long long yoe = yy - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void civil_from_days(long long z, int *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int S_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int S_digits(const char *s, int n, int *out)
{
	int i, v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* YYYY-MM-DD at s; returns the days or sets *ok = 0. */
static long long S_date(const char *s, int *ok)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;
	*ok = 0;
	if (S_digits(s, 4, &y) || s[4] != '-' || S_digits(s + 5, 2, &m) || s[7] != '-' ||
	    S_digits(s + 8, 2, &d))
		return 0;
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && S_leap(y)))
		return 0;
	*ok = 1;
	return days_from_civil(y, m, d);
}

static int S_datetime(const char *s, long tz_offset_min, long long *out)
{
	int ok, hh, mm, ss = 0, oh, om;
	long long days = S_date(s, &ok), off = tz_offset_min;
	const char *p = s + 10;
	if (!ok || (*p != 'T' && *p != 't' && *p != ' ') || S_digits(p + 1, 2, &hh) || p[3] != ':' ||
	    S_digits(p + 4, 2, &mm))
		return -1;
	p += 6;
	if (*p == ':') {
		if (S_digits(p + 1, 2, &ss))
			return -1;
		p += 3;
		/* RFC 3339's fraction of a second ("10:20:00.000Z"): read, and dropped */
		if (*p == '.' && p[1] >= '0' && p[1] <= '9')
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
	}
	if (hh > 23 || mm > 59 || ss > 59)
		return -1;
	if (*p == 'Z' || *p == 'z') {
		off = 0;
		p++;
	} else if (*p == '+' || *p == '-') {
		if (S_digits(p + 1, 2, &oh) || p[3] != ':' || S_digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return -1;
		off = (oh * 60 + om) * (*p == '-' ? -1 : 1);
		p += 6;
	}
	if (*p)
		return -1;
	*out = days * 86400 + hh * 3600 + mm * 60 + ss - off * 60;
	return 0;
}

int field_date_time(const char *s, long long *days, int *secs, int *has_off, int *off_min)
{
	long long at;
	int ok;

	*days = S_date(s, &ok);
	if (!ok || strlen(s) < 16 || S_datetime(s, 0, &at))
		return -1;
	/* past YYYY-MM-DD HH:MM[:SS], anything left is the zone S_datetime read */
	*has_off = s[16 + (s[16] == ':' ? 3 : 0)] != '\0';
	*secs = (int)(at - *days * 86400);
	*off_min = 0;
	if (*has_off) {
		long long local;
		char plain[20];
		memcpy(plain, s, 16 + (s[16] == ':' ? 3 : 0));
		plain[16 + (s[16] == ':' ? 3 : 0)] = '\0';
		S_datetime(plain, 0, &local);
		*secs = (int)(local - *days * 86400);
		*off_min = (int)((local - at) / 60);
	}
	return 0;
}

int field_check_scalar(const char *path, const struct field *f, enum field_kind kind, const struct ynode *v,
		       long tz_offset_min, long long *num)
{
	size_t i;
	int ok, b;

	if (v->kind != YNODE_SCALAR) {
		diag_error(path, v->line, v->col, "'%s' must be %s, not %s", f->name, field_kind_name(kind),
			   ynode_kind_name(v));
		return -1;
	}
	switch (kind) {
	case FIELD_STRING:
	case FIELD_TEXT: return 0;
	case FIELD_INT:
		if (!ynode_int(v, num)) {
			diag_error(path, v->line, v->col, "'%s' must be a whole number, not '%s'", f->name,
				   v->str);
			return -1;
		}
		return 0;
	case FIELD_BOOL:
		if (!ynode_bool(v, &b)) {
			diag_error(path, v->line, v->col, "'%s' must be true or false, not '%s'", f->name,
				   v->str);
			return -1;
		}
		*num = b;
		return 0;
	case FIELD_DATE: {
		/* a day, or a day and a time (the model places the time in its zone) */
		int secs, has_off, off;
		*num = v->len == 10 ? S_date(v->str, &ok) : (ok = 0);
		if (!ok && v->len >= 16 && strlen(v->str) == v->len &&
		    field_date_time(v->str, num, &secs, &has_off, &off) == 0)
			ok = 1;
		if (!ok && v->len > 10 && (v->str[10] == ' ' || v->str[10] == 'T')) {
			diag_error(
				path, v->line, v->col,
				"'%s' must be a real date as YYYY-MM-DD, or a date and time as YYYY-MM-DD HH:MM "
				"(optionally a zone like +08:00), not '%s'",
				f->name, v->str);
			return -1;
		}
		if (!ok) {
			diag_error(path, v->line, v->col, "'%s' must be a real date as YYYY-MM-DD, not '%s'",
				   f->name, v->str);
			return -1;
		}
		return 0;
	}
	case FIELD_DATETIME:
		if (v->len < 16 || S_datetime(v->str, tz_offset_min, num)) {
			diag_error(
				path, v->line, v->col,
				"'%s' must be a date and time as YYYY-MM-DD HH:MM (optionally :SS and a zone like +08:00), not '%s'",
				f->name, v->str);
			return -1;
		}
		return 0;
	case FIELD_URL:
		if (!url_is_safe(v->str, v->len)) {
			diag_error(path, v->line, v->col,
				   "'%s' must be an http, https or mailto URL or a relative path, not '%s'",
				   f->name, v->str);
			return -1;
		}
		return 0;
	case FIELD_ENUM:
		if (!f->nvalues) /* site.yaml's categories: failed, and said so */
			return 0;
		for (i = 0; i < f->nvalues; i++)
			if (strcmp(v->str, f->values[i]) == 0) {
				*num = (long long)i;
				return 0;
			}
		{
			struct buf allowed = BUF_INIT, hint = BUF_INIT;
			struct suggest near = SUGGEST_INIT;
			for (i = 0; i < f->nvalues; i++) {
				buf_printf(&allowed, "%s%s", i ? ", " : "", f->values[i]);
				suggest_add(&near, f->values[i], f->values[i]);
			}
			diag_error(path, v->line, v->col, "'%s' must be one of %s; '%s' is not%s", f->name,
				   buf_cstr(&allowed), v->str,
				   suggest_hint(&hint, suggest_best(&near, v->str)));
			buf_release(&allowed);
			buf_release(&hint);
			suggest_release(&near);
		}
		return -1;
	case FIELD_SPDX: {
		struct buf why = BUF_INIT;
		int bad = spdx_check(&why, v->str, v->len);
		if (bad)
			diag_error(path, v->line, v->col, "'%s' must be an SPDX license id or expression: %s",
				   f->name, buf_cstr(&why));
		buf_release(&why);
		return bad ? -1 : 0;
	}
	case FIELD_REF:
	case FIELD_LIST:
	case FIELD_CALL: break; /* not scalars: model.c checks them */
	}
	return 0;
}
