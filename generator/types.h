/*
 * types: content types, their typed fields and their roles. The
 * community types (talk, faq, doc, case, event, person), the
 * organisations they name (org), jobs (job), the catalogue of
 * projects (project) and venues (venue) are built in,
 * written in the same YAML as site.yaml's types: so both go through one
 * reader; a type declared in site.yaml replaces the built-in one of that
 * name. A type's roles say what its items are to the site beyond their
 * fields (a calendar, a schema.org node, a home page section...): the
 * other modules ask the roles, never the type's name. Checking a page's
 * front matter against its type is here too.
 */
#ifndef JIXIA_TYPES_H
#define JIXIA_TYPES_H

#include <stddef.h>

#include "config.h"
#include "yaml.h"

/* The most contributor points an item or a rule may earn. */
#define TYPES_MAX_POINTS 1000000

enum field_kind {
	FIELD_STRING, /* one line of text */
	FIELD_TEXT,   /* longer text */
	FIELD_INT,
	FIELD_BOOL,
	FIELD_DATE,     /* YYYY-MM-DD, a real calendar day, optionally with a time: HH:MM[:SS][Z|+HH:MM] */
	FIELD_DATETIME, /* YYYY-MM-DD[T ]HH:MM[:SS][Z|+HH:MM]; no zone: site timezone */
	FIELD_URL,      /* http, https, mailto or relative */
	FIELD_ENUM,     /* one of values */
	FIELD_REF,      /* the id of an item of type to */
	FIELD_LIST,     /* a list of `of` */
	FIELD_SPDX,     /* an SPDX license id or expression (spdx.h) */
	FIELD_CALL      /* a call for contributions: {until: YYYY-MM-DD, url: URL} (role call) */
};

/* The part the people a ref field names play in its item (role people). */
enum people_part {
	PEOPLE_NONE,
	PEOPLE_AUTHOR,    /* JSON-LD author of an Article and of an FAQ's answer */
	PEOPLE_SPEAKER,   /* JSON-LD creator of a VideoObject, performer of an Event */
	PEOPLE_ORGANIZER, /* JSON-LD organizer of an Event */
	PEOPLE_VOLUNTEER, /* named on the page only */
	PEOPLE_MAINTAINER /* JSON-LD maintainer of a SoftwareSourceCode */
};

/* The schema.org node of each page of a type (role schema). */
enum type_schema {
	SCHEMA_NONE,
	SCHEMA_EVENT,
	SCHEMA_FAQ, /* FAQPage: the title asks, the body answers; the list is one FAQPage */
	SCHEMA_TECH_ARTICLE,
	SCHEMA_ARTICLE,
	SCHEMA_PERSON,
	SCHEMA_ORGANIZATION, /* CollegeOrUniversity or GovernmentOrganization where its kind says so */
	SCHEMA_JOB_POSTING,  /* JobPosting: only while the item is open (role expires) */
	SCHEMA_SOFTWARE,     /* SoftwareSourceCode: a project and its repository */
	SCHEMA_PLACE         /* a venue: name, address, map, capacity, photos, equipment */
};

struct field {
	const char *name;
	enum field_kind kind;
	enum field_kind of;        /* FIELD_LIST: the kind of each item (never LIST) */
	const char *to;            /* FIELD_REF, or LIST of REF: the type name */
	const char *const *values; /* FIELD_ENUM (or LIST of ENUM): allowed values */
	size_t nvalues;
	const struct ynode *const *labels; /* FIELD_ENUM from site.yaml's categories (values:
	                                      categories): per value, the label given there (text or
	                                      {LANG: text}) or NULL; NULL for other enums */
	int required;
	const struct ynode *def; /* default value, or NULL */
	int picture;             /* FIELD_URL or LIST of URL: the item's picture (role pictures) */
	enum people_part people; /* REF or LIST of REF: what the people it names do (role people) */
	int to_person;           /* REF or LIST of REF to a type with role person */
	int or_text; /* REF: a value that names no item is text (model.c says when it is an error) */
};

/*
 * One way a type's list is grouped (role groups): by each value of a
 * string or enum field (or list of them), or by ranges of an int field.
 */
struct type_group {
	const char *field;       /* the field's name */
	const long long *bounds; /* int fields: the highest value of each range but the last, ascending */
	size_t nbounds;          /* 0 for a field grouped by value */
};

/*
 * What a type's items are to the site (README, "Type roles"). A role the
 * type does not set is off: 0, NULL or SCHEMA_NONE. The field roles
 * (pictures, people) are marked on the fields themselves.
 */
struct type_roles {
	int calendar; /* items happen on their date: upcoming and past, an .ics each, events.ics */
	int person;   /* items are people: git_emails, contributors; refs to them are authors */
	int tree;     /* items are a tree of folders: by weight, on one list page, prev/next */
	enum type_schema schema;
	const char *date;     /* the date field: order, archives, feeds, calendar ("date" unless set) */
	const char *video;    /* a url field: a page where it is set is also a VideoObject; or NULL */
	const char *expires;  /* a date or datetime field: an item past it at the build time is
	                         expired (struct page); or NULL */
	const char *home;     /* the home page's name for the first items of the type's list; or NULL */
	long long points;     /* contributor points per item added (site.yaml's contributors.points wins) */
	int new_prefix;       /* jixia new: how much of YYYY-MM-DD starts a file name (0, 5, 8 or 11) */
	const char *new_body; /* jixia new: the line that invites the body; or NULL */
	const char *question; /* an enum field with the value open: items are questions their body
	                         answers; an empty body or that value is open (/help-wanted/); or NULL */
	const char *bounty;   /* an int field: extra points for whoever answers an open item; or NULL */
	const char *call;     /* a call field: until its date the item asks for speakers or volunteers
	                         (/help-wanted/, the home page); or NULL */
	const struct type_group *groups; /* the list is one page, grouped by these; or NULL */
	size_t ngroups;
	const struct ynode *def; /* the roles: mapping as written, or NULL */
	const char *path;        /* the file def is in */
};

struct type {
	const char *name;        /* "talk" */
	const char *folder;      /* "talks": content/talks/ */
	const char *title_field; /* "title" ("name" for person) */
	int rank;                /* definition order: built-in types first, for navigation */
	struct field *fields;
	size_t nfields;
	struct type_roles roles; /* a site.yaml type without roles: keeps the built-in type's */
};

struct types {
	struct type *v; /* sorted by folder */
	size_t n;
	struct ynode *builtin; /* owns the built-in definitions' strings */
	char **owned;          /* enum value arrays and role groups allocated here */
	size_t nowned;
	/* The project categories: site.yaml's categories:, else the built-in ones; what an enum
	   field with `values: categories` allows. labels[i] is NULL for a name without one. */
	const char **categories;
	const struct ynode **category_labels;
	size_t ncategories;
};

/*
 * Builds the types: the built-in ones, replaced or extended by cfg->types,
 * with their roles. Reports mistakes in site.yaml at their line:col.
 * Returns 0 or -1.
 */
int types_load(struct types *out, const struct config *cfg);
void types_release(struct types *t);

const struct type *types_by_folder(const struct types *t, const char *folder);
const struct type *types_by_name(const struct types *t, const char *name);
/* The types in rank order (definition order, built-in types first); the caller frees the array. */
const struct type **types_ranked(const struct types *t);
const struct field *type_field(const struct type *ty, const char *name);

/* The name of a field kind for messages ("a date"). */
const char *field_kind_name(enum field_kind k);

/*
 * Checks one scalar v against kind (not LIST/REF: refs are resolved by the
 * model). For DATE sets *num to days since 1970-01-01; DATETIME to seconds
 * since the epoch (tz_offset_min applied when v has no zone); INT the
 * number; BOOL 0/1. Reports at v's position in path; returns 0 or -1.
 */
int field_check_scalar(const char *path, const struct field *f, enum field_kind kind, const struct ynode *v,
		       long tz_offset_min, long long *num);

/*
 * A date field's value with a time of day (2025-03-12 20:00, optionally
 * :SS and a zone Z or +08:00): *days the day as written, *secs the seconds
 * into it, *has_off whether a zone was written and *off_min its minutes
 * east of UTC. Returns 0, or -1 when s is not that (a date alone is not).
 */
int field_date_time(const char *s, long long *days, int *secs, int *has_off, int *off_min);

/* Days since 1970-01-01 of a valid civil date. */
long long days_from_civil(int y, int m, int d);
/* The civil date of a day count. */
void civil_from_days(long long days, int *y, int *m, int *d);

#endif
