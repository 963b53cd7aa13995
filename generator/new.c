/*
 * new: scaffolding one content file. The site is the folder named by
 * --dir, else the nearest folder with a site.yaml from the current one up
 * (as git finds .git), never above the repository's top. The front matter
 * is assembled in memory from the type's fields: the title first, then the
 * required fields with placeholders that pass `jixia check` where a valid
 * one exists, left empty with a TODO where only the contributor can know
 * the answer (the ids of speakers), then the optional fields commented
 * out. A translation scaffold (--translate) is the original's own front
 * matter and body, with the commit it follows. The file is written through
 * folder descriptors opened one level at a time with O_NOFOLLOW and
 * created with O_EXCL, so neither an existing file nor a symlink under the
 * site can redirect the write.
 */
#include "new.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <utf8proc.h>

#include "config.h"
#include "diag.h"
#include "history.h"
#include "model.h"
#include "parse.h"
#include "site.h"
#include "source.h"
#include "suggest.h"
#include "types.h"
#include "util.h"

/* A slug made from a title is cut at a word boundary past this many bytes. */
#define NEW_SLUG_MAX 60
/* A longer --slug would make file names some file systems refuse. */
#define NEW_SLUG_LIMIT 200
/* How long a new item of a type with role expires is open (its placeholder). */
#define NEW_EXPIRES_DAYS 60

struct scaffold {
	const struct config *cfg;
	const struct types *types;
	const struct type *ty;
	const struct lang *lang;
	const char *title;
	const char *original; /* the default-language file, for translated_from's hint */
	int bundle;           /* FOLDER/SLUG/index.md */
	int y, m, d;          /* the date placeholders */
	int dated;            /* they come from --date */
	struct buf todo;      /* required fields left to fill in: "speakers, event" */
};

static int S_error(int code, const char *fmt, ...) JX_PRINTF(2, 3);

/* Prints "jixia: error: ..." and returns code, so callers can `return S_error(2, ...)`. */
static int S_error(int code, const char *fmt, ...)
{
	va_list ap;
	fputs("jixia: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

/* --- where the site is --------------------------------------------------- */

/* The site and where the user stands in it. */
struct place {
	char *root; /* the site folder as the user can name it: --dir's DIR, ".", "../.." */
	char *abs;  /* root, absolute and physical; NULL when realpath cannot tell */
	char *sub;  /* the current folder under root ("content/faq", ""), or NULL with --dir */
};

static void S_place_release(struct place *pl)
{
	free(pl->root);
	free(pl->abs);
	free(pl->sub);
}

/* path/name exists, as a name: a symlink counts and is not followed. */
static int S_exists(const char *path, size_t n, const char *name)
{
	struct buf b = BUF_INIT;
	struct stat st;
	int r;

	buf_put(&b, path, n);
	if (n > 1)
		buf_putc(&b, '/');
	buf_puts(&b, name);
	r = lstat(buf_cstr(&b), &st) == 0;
	buf_release(&b);
	return r;
}

/*
 * The site from the current folder up: the first folder holding a
 * site.yaml. The walk stops at the top of a git working tree (a folder
 * with .git) and at the file system's root, so a site.yaml above the
 * repository never claims it. getcwd's path is physical, so cutting it at
 * a '/' names the same folder as "..". Returns 0, or 2 after an error.
 */
static int S_find_site(struct place *pl)
{
	char *cwd = getcwd(NULL, 0);
	struct buf up = BUF_INIT;
	size_t end, i, levels = 0;
	int code = 2;

	if (!cwd)
		return S_error(2, "cannot tell the current folder: %s; name the site with --dir DIR",
			       strerror(errno));
	for (end = strlen(cwd);; levels++) {
		if (S_exists(cwd, end, "site.yaml"))
			break;
		if (S_exists(cwd, end, ".git") || end <= 1) {
			int top = end > 1; /* stopped at a .git, not at the file system's root */
			S_error(2,
				"not inside a site: no site.yaml in %s or a folder above it%s%.*s; "
				"run jixia new in the site's folder, or name it with --dir DIR",
				cwd, top ? " up to the repository's top " : "", top ? (int)end : 0, cwd);
			goto done;
		}
		while (end > 1 && cwd[end - 1] != '/')
			end--;
		if (end > 1)
			end--; /* the '/' before the folder left behind */
	}
	for (i = 0; i < levels; i++)
		buf_puts(&up, i ? "/.." : "..");
	pl->root = levels ? buf_detach(&up, NULL) : xstrdup(".");
	pl->abs = xstrndup(cwd, end);
	pl->sub = xstrdup(cwd + end + (end > 1 && cwd[end] == '/'));
	code = 0;
done:
	buf_release(&up);
	free(cwd);
	return code;
}

/* The site: --dir as given ("site/" and "site" are one folder), else found from here. */
static int S_place(struct place *pl, const char *dir)
{
	size_t n;

	memset(pl, 0, sizeof(*pl));
	if (!dir)
		return S_find_site(pl);
	for (n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
		;
	pl->root = xstrndup(dir, n);
	pl->abs = realpath(pl->root, NULL);
	return 0;
}

/*
 * rel (relative to the site) as the user reads it: under --dir's DIR as
 * given, else relative to the folder the user stands in ("x.md" from
 * content/faq, "../faq/x.md" from content/talks).
 */
static void S_show(struct buf *out, const struct place *pl, const char *rel)
{
	const char *f = pl->sub, *t = rel;

	if (!f) {
		if (strcmp(pl->root, ".") != 0)
			buf_printf(out, "%s/", pl->root);
		buf_puts(out, rel);
		return;
	}
	/* past the folders both paths start with, then one ".." per folder left */
	while (*f) {
		size_t n = strcspn(f, "/");
		if (strncmp(f, t, n) != 0 || t[n] != '/')
			break;
		t += n + 1;
		f += n + (f[n] == '/');
	}
	while (*f) {
		buf_puts(out, "../");
		f += strcspn(f, "/");
		f += *f == '/';
	}
	buf_puts(out, t);
}

/* --- dates --------------------------------------------------------------- */

/* A real calendar day written YYYY-MM-DD, nothing before or after. */
static int S_parse_date(const char *s, int *y, int *m, int *d)
{
	int i, yy, mm, dd;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return -1;
	if (s[10])
		return -1;
	yy = atoi(s);
	mm = atoi(s + 5);
	dd = atoi(s + 8);
	/* The round trip through a day count rejects 2025-02-30. */
	civil_from_days(days_from_civil(yy, mm, dd), y, m, d);
	return *y == yy && *m == mm && *d == dd ? 0 : -1;
}

/*
 * The day the placeholders use: --date, else SOURCE_DATE_EPOCH (seconds or
 * YYYY-MM-DD, as for build), else today. A scaffold is not build output,
 * so this is the one place where the wall clock is fine.
 */
static int S_today(struct scaffold *sc, const char *opt)
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	struct tm tm;
	time_t now;

	if (opt) {
		if (S_parse_date(opt, &sc->y, &sc->m, &sc->d))
			return S_error(-1, "--date '%s' must be a real date as YYYY-MM-DD", opt);
		sc->dated = 1;
		return 0;
	}
	if (env && *env) {
		char *end;
		long long secs;
		if (S_parse_date(env, &sc->y, &sc->m, &sc->d) == 0)
			return 0;
		errno = 0;
		secs = strtoll(env, &end, 10);
		if (*end || errno || secs < 0)
			return S_error(-1, "SOURCE_DATE_EPOCH '%s' is not a number of seconds", env);
		civil_from_days(secs / 86400, &sc->y, &sc->m, &sc->d);
		return 0;
	}
	now = time(NULL);
	if (!localtime_r(&now, &tm))
		return S_error(-1, "cannot read today's date; give one with --date");
	sc->y = tm.tm_year + 1900;
	sc->m = tm.tm_mon + 1;
	sc->d = tm.tm_mday;
	return 0;
}

/*
 * How much of YYYY-MM-DD starts the file name, after the sample content:
 * talks/2024-hangzhou-vacuum-deep-dive, events/2024-04-hangzhou-meetup.
 * As much as the type's role new_prefix says, while the type has a date.
 */
static int S_date_prefix(const struct type *ty)
{
	const struct field *f = type_field(ty, ty->roles.date);
	if (!f || (f->kind != FIELD_DATE && f->kind != FIELD_DATETIME))
		return 0;
	return ty->roles.new_prefix;
}

/* --- names --------------------------------------------------------------- */

static int S_utf8_ok(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	while (*p) {
		if ((k = utf8proc_iterate(p, -1, &cp)) <= 0)
			return 0;
		p += k;
	}
	return 1;
}

/*
 * The model's rule for slugs: segments of letters, digits, '-' and '_' (or
 * any non-ASCII UTF-8 letter) joined by '/'. No '.', so no "..", no empty
 * segment, so no leading '/': a slug cannot leave the type's folder.
 */
static int S_slug_ok(const char *s)
{
	return strlen(s) <= NEW_SLUG_LIMIT && S_utf8_ok(s) && model_slug_ok(s);
}

/* What a title keeps in its file name: letters and digits kept and dropped, words kept. */
struct slug_yield {
	size_t kept;    /* ASCII letters and digits */
	size_t dropped; /* letters and digits outside ASCII (Chinese) */
	size_t words;   /* runs of kept ones: the file name's parts */
};

/*
 * The ASCII letters and digits of title, lower-cased, every other run made
 * one '-'. Accents are stripped and full-width forms folded first, so
 * "Café ＰＧ１７" gives "cafe-pg17". *yield counts what was kept and what
 * was dropped, since a name that keeps little of a Chinese title says
 * little about it.
 */
static void S_slugify(struct buf *out, const char *title, struct slug_yield *yield)
{
	utf8proc_uint8_t *folded = NULL;
	const utf8proc_uint8_t *p;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	int dash = 0;

	memset(yield, 0, sizeof(*yield));
	if (utf8proc_map((const utf8proc_uint8_t *)title, 0, &folded,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
				 UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD) < 0)
		return; /* the title was checked to be UTF-8 */
	for (p = folded; *p && (k = utf8proc_iterate(p, -1, &cp)) > 0; p += k) {
		if (cp < 0x80 && isalnum(cp)) {
			if (dash && out->len)
				buf_putc(out, '-');
			if (dash || out->len == 0)
				yield->words++;
			dash = 0;
			yield->kept++;
			buf_putc(out, tolower(cp));
			continue;
		}
		dash = 1;
		if (cp >= 0x80) {
			utf8proc_category_t c = utf8proc_category(cp);
			if ((c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
			    (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO))
				yield->dropped++;
		}
	}
	free(folded);
	if (out->len > NEW_SLUG_MAX) {
		size_t cut = NEW_SLUG_MAX;
		while (cut > NEW_SLUG_MAX / 2 && out->ptr[cut] != '-')
			cut--;
		if (out->ptr[cut] != '-')
			cut = NEW_SLUG_MAX;
		out->len = cut;
		out->ptr[cut] = '\0';
	}
}

/*
 * A name from a mixed title is too thin when it is one word or keeps
 * fewer than half of the title's letters and digits: "为什么 VACUUM 之后
 * 磁盘空间没有释放？" would be vacuum.md, and so would the next question
 * about VACUUM. An ASCII title's name is the title itself.
 */
static int S_slug_thin(const struct slug_yield *y)
{
	return y->dropped && (y->words < 2 || 2 * y->kept < y->kept + y->dropped);
}

static const struct type *S_find_type(const struct types *t, const char *name)
{
	const struct type *ty = types_by_name(t, name);
	return ty ? ty : types_by_folder(t, name);
}

/* "case, doc, event, faq, person, talk" for the unknown-type message. */
static void S_type_names(struct buf *out, const struct types *t)
{
	const char **names = xcalloc(t->n ? t->n : 1, sizeof(*names));
	size_t i;
	for (i = 0; i < t->n; i++)
		names[i] = t->v[i].name;
	qsort(names, t->n, sizeof(*names), str_ptr_cmp);
	for (i = 0; i < t->n; i++)
		buf_printf(out, "%s%s", i ? ", " : "", names[i]);
	free(names);
}

/* The type whose name or folder is nearest name: its name, or NULL. */
static const char *S_type_near(const struct types *t, const char *name)
{
	struct suggest s = SUGGEST_INIT;
	const char *r;
	size_t i;
	for (i = 0; i < t->n; i++) {
		suggest_add(&s, t->v[i].name, t->v[i].name);
		suggest_add(&s, t->v[i].folder, t->v[i].name);
	}
	r = suggest_best(&s, name);
	suggest_release(&s);
	return r;
}

static void S_lang_codes(struct buf *out, const struct config *cfg)
{
	size_t i;
	for (i = 0; i < cfg->nlangs; i++)
		buf_printf(out, "%s%s", i ? ", " : "", cfg->langs[i].code);
}

/* --- front matter -------------------------------------------------------- */

/*
 * s as a YAML double-quoted scalar. Every character libyaml would refuse or
 * fold inside quotes (C0 and C1 controls, DEL, NEL, the line and paragraph
 * separators, BOM, the non-characters U+FFFE and U+FFFF) is written as an
 * escape, so any title reads back byte for byte. s is valid UTF-8.
 */
static void S_quote(struct buf *b, const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;

	buf_putc(b, '"');
	for (; *p && (k = utf8proc_iterate(p, -1, &cp)) > 0; p += k) {
		if (cp == '"' || cp == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (int)cp);
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 ||
			   cp == 0x2029 || cp == 0xfeff || cp == 0xfffe || cp == 0xffff) {
			buf_printf(b, "\\u%04X", (unsigned)cp);
		} else {
			buf_put(b, p, (size_t)k);
		}
	}
	buf_putc(b, '"');
}

/*
 * A value from site.yaml (a default, an enum value): plain when it was
 * plain there and is made of characters that mean nothing to YAML, so
 * numbers and booleans stay numbers and booleans; quoted otherwise.
 */
static void S_value(struct buf *b, const struct ynode *v)
{
	const char *s;
	for (s = v->str; v->plain && *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.+", *s) &&
		    !(*s == ':' && s[1] != ' ' && s[1]) && !(*s == ' ' && s != v->str && s[1]))
			break;
	if (v->plain && *v->str && !*s && isalnum((unsigned char)v->str[0]))
		buf_puts(b, v->str);
	else
		S_quote(b, v->str);
}

static void S_plain_or_quoted(struct buf *b, const char *s)
{
	struct ynode v;
	memset(&v, 0, sizeof(v));
	v.str = (char *)s;
	v.len = strlen(s);
	v.plain = 1;
	S_value(b, &v);
}

static void S_todo(struct scaffold *sc, const char *name)
{
	buf_printf(&sc->todo, "%s%s", sc->todo.len ? ", " : "", name);
}

/* "ids of person items, e.g. content/people/ID.md" */
static void S_ref_hint(struct buf *b, const struct scaffold *sc, const char *to, int many)
{
	const struct type *t = types_by_name(sc->types, to);
	const char *dir_lang = sc->cfg->trans_layout == TRANS_DIR ? sc->cfg->default_lang->code : NULL;

	buf_printf(b, "%s of %s%s item%s, e.g. content/%s%s%s/ID.md", many ? "ids" : "the id",
		   many ? "" : (to[0] && strchr("aeiou", to[0]) ? "an " : "a "), to, many ? "s" : "",
		   dir_lang ? dir_lang : "", dir_lang ? "/" : "", t ? t->folder : to);
}

/* "  # one of: meetup, tea, ..." */
static void S_enum_hint(struct buf *b, const struct field *f, const char *lead)
{
	size_t i;
	buf_printf(b, "  # %s: ", lead);
	for (i = 0; i < f->nvalues; i++) {
		if (i)
			buf_puts(b, ", ");
		S_plain_or_quoted(b, f->values[i]);
	}
}

/*
 * The date placeholder; the field of role expires gets one NEW_EXPIRES_DAYS
 * later, so the new item is open when it is published.
 */
static void S_date(struct buf *b, const struct scaffold *sc, const struct field *f)
{
	int expires = sc->ty->roles.expires && strcmp(f->name, sc->ty->roles.expires) == 0;
	int y = sc->y, m = sc->m, d = sc->d;

	if (expires)
		civil_from_days(days_from_civil(y, m, d) + NEW_EXPIRES_DAYS, &y, &m, &d);
	buf_printf(b, "%04d-%02d-%02d", y, m, d);
	if (f->kind == FIELD_DATETIME)
		buf_puts(b, " 00:00");
	if (expires)
		buf_printf(b, "  # the last %s it is open (in %d days); change it as needed",
			   f->kind == FIELD_DATETIME ? "moment" : "day", NEW_EXPIRES_DAYS);
	else if (f->kind == FIELD_DATETIME)
		buf_puts(b, "  # YYYY-MM-DD HH:MM, optionally with a zone like +08:00");
}

/*
 * One field's line. Required fields get a value check accepts when there
 * is an honest one (a date, the first enum value, 0, false, "TODO" for a
 * string); a ref, list or URL only the contributor knows is left empty
 * with a TODO, so check keeps reporting it until filled in. Optional
 * fields are the same line commented out.
 */
static void S_field(struct buf *b, struct scaffold *sc, const struct field *f)
{
	int req = f->required;

	buf_printf(b, "%s%s: ", req ? "" : "# ", f->name);
	if (f->def && f->def->kind == YNODE_SCALAR && f->kind != FIELD_LIST && f->kind != FIELD_REF) {
		S_value(b, f->def);
		if (f->kind == FIELD_ENUM)
			S_enum_hint(b, f, "one of");
		buf_putc(b, '\n');
		return;
	}
	switch (f->kind) {
	case FIELD_STRING:
	case FIELD_TEXT:
		buf_puts(b, req ? "\"TODO\"  # TODO" : "\"\"");
		if (req)
			S_todo(sc, f->name);
		break;
	case FIELD_INT: buf_putc(b, '0'); break;
	case FIELD_BOOL: buf_puts(b, "false"); break;
	case FIELD_DATE:
	case FIELD_DATETIME: S_date(b, sc, f); break;
	case FIELD_URL:
		if (req) {
			buf_puts(b, " # TODO: a URL (https://...)");
			S_todo(sc, f->name);
		} else {
			buf_puts(b, "https://");
			/* a picture or a deck is usually a file of the item's own */
			if (f->picture)
				buf_printf(b, "  # or an image beside this file: %s.jpg", f->name);
			else if (!strcmp(f->name, "slides"))
				buf_puts(b, "  # or a file beside this one: slides.pdf");
		}
		break;
	case FIELD_ENUM:
		S_plain_or_quoted(b, f->values[0]);
		S_enum_hint(b, f, "one of");
		break;
	case FIELD_CALL:
		buf_puts(
			b,
			"{until: YYYY-MM-DD, url: https://}  # until that day: a call for speakers or volunteers");
		if (req)
			S_todo(sc, f->name);
		break;
	case FIELD_SPDX:
		if (req) {
			buf_puts(b, " # TODO: ");
			S_todo(sc, f->name);
		} else {
			buf_puts(b, "MIT  # ");
		}
		buf_puts(b, "an SPDX license id (MIT, Apache-2.0, PostgreSQL, GPL-2.0-or-later...) or "
			    "\"MIT OR Apache-2.0\"");
		break;
	case FIELD_REF:
		buf_puts(b, req ? " # TODO: " : "ID  # ");
		S_ref_hint(b, sc, f->to, 0);
		if (f->or_text)
			buf_puts(b, ", or text");
		if (req)
			S_todo(sc, f->name);
		break;
	case FIELD_LIST:
		if (!req) {
			buf_puts(b, "[]");
			if (f->of == FIELD_REF) {
				buf_puts(b, "  # ");
				S_ref_hint(b, sc, f->to, 1);
			} else if (f->of == FIELD_ENUM) {
				S_enum_hint(b, f, "each one of");
			} else if (f->of == FIELD_URL && f->picture) {
				/* a gallery: files of the item's own folder */
				buf_printf(
					b,
					"  # images beside this file (a folder: jixia new --bundle), e.g. [%s/1.jpg]",
					f->name);
			}
			break;
		}
		buf_puts(b, " # TODO: ");
		if (f->of == FIELD_REF)
			S_ref_hint(b, sc, f->to, 1);
		else
			buf_puts(b, "a list, e.g. [a, b]");
		S_todo(sc, f->name);
		break;
	}
	buf_putc(b, '\n');
}

/* The line that invites the body: the type's role new_body, else a generic one. */
static const char *S_body(const struct type *ty)
{
	return ty->roles.new_body ? ty->roles.new_body : "TODO: the text, in Markdown.";
}

static void S_render(struct buf *b, struct scaffold *sc)
{
	const struct type *ty = sc->ty;
	const char *tf = sc->cfg->translated_from_field;
	size_t i;
	int pass;

	buf_puts(b, "---\n");
	buf_printf(b, "%s: ", ty->title_field);
	S_quote(b, sc->title);
	buf_putc(b, '\n');
	for (pass = 1; pass >= 0; pass--) {
		if (pass == 0)
			buf_puts(b, "# Optional: remove the '# ' in front of a field to use it.\n");
		for (i = 0; i < ty->nfields; i++) {
			const struct field *f = &ty->fields[i];
			if (f->required != pass || strcmp(f->name, ty->title_field) == 0 ||
			    strcmp(f->name, tf) == 0)
				continue;
			S_field(b, sc, f);
		}
	}
	/* The original's own file has nothing to follow. */
	if (!sc->lang->is_default)
		buf_printf(b, "# %s: \"\"  # the id of the commit of %s that this translates\n", tf,
			   sc->original);
	buf_puts(b, "# draft: true  # keeps it out of the site until the line is removed\n");
	buf_printf(b, "---\n\n%s\n", S_body(ty));
}

/* --- writing ------------------------------------------------------------- */

/*
 * Creates dir/rel holding data, making the folders on the way. Each folder
 * is opened relative to the one before with O_NOFOLLOW and the file with
 * O_EXCL, so a symlink cannot send the write out of dir and an existing
 * file is never touched. show is rel as the user should read it. Returns
 * the exit code: 0, 1 when the file exists, 2 otherwise (reported).
 */
static int S_write(const char *dir, const char *rel, const char *show, const struct buf *data)
{
	char *path = xstrdup(rel), *seg, *slash;
	size_t off = 0;
	int dfd, fd = -1, code = 2;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		S_error(2, "cannot open the site folder '%s': %s", dir, strerror(errno));
		goto done;
	}
	for (seg = path; (slash = strchr(seg, '/')); seg = slash + 1) {
		int nfd;
		*slash = '\0';
		if (mkdirat(dfd, seg, 0777) && errno != EEXIST) {
			S_error(2, "cannot create the folder '%s/%s': %s", dir, path, strerror(errno));
			goto done;
		}
		if ((nfd = openat(dfd, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
			S_error(2,
				"'%s/%s' is not a folder (a symlink?); jixia new writes only inside %s/content",
				dir, path, dir);
			goto done;
		}
		close(dfd);
		dfd = nfd;
		*slash = '/';
	}
	if ((fd = openat(dfd, seg, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666)) < 0) {
		if (errno == EEXIST)
			code = S_error(1, "%s already exists; edit it, or choose another name with --slug",
				       show);
		else
			S_error(2, "cannot create %s: %s", show, strerror(errno));
		goto done;
	}
	while (off < data->len) {
		ssize_t n = write(fd, data->ptr + off, data->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		off += (size_t)n;
	}
	if (off < data->len || close(fd)) {
		S_error(2, "cannot write %s: %s", show, strerror(errno));
		fd = -1;
		unlinkat(dfd, seg, 0); /* a half-written scaffold would only mislead */
		goto done;
	}
	fd = -1;
	code = 0;
done:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	free(path);
	return code;
}

/*
 * The folder rel (relative to dir, "content/faq") opened for reading, each
 * level with O_NOFOLLOW as S_write opens it: a descriptor, or -1 with errno.
 */
static int S_open_folder(const char *dir, const char *rel, size_t n)
{
	char *path = xstrndup(rel, n), *seg, *slash;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), nfd, err;

	for (seg = path; dfd >= 0 && *seg; seg = slash ? slash + 1 : seg + strlen(seg)) {
		if ((slash = strchr(seg, '/')))
			*slash = '\0';
		nfd = openat(dfd, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		err = errno;
		close(dfd);
		dfd = nfd;
		errno = err;
	}
	free(path);
	return dfd;
}

/* The folder name under dfd holds the file index (not through a symlink). */
static int S_holds(int dfd, const char *name, const char *index)
{
	struct stat st;
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), r;
	if (fd < 0)
		return 0;
	r = fstatat(fd, index, &st, AT_SYMLINK_NOFOLLOW) == 0;
	close(fd);
	return r;
}

/*
 * The file that already is the page rel would be, into *out (relative to
 * dir): rel itself, the same item in its other form (NAME.md against
 * NAME/index.md), or a name that differs only in letter case or Unicode
 * form, which the model takes for the same URL. suffix is the language's
 * ".en" in rel's name, or "". Returns 1 when there is one, 0 otherwise;
 * a folder that cannot be opened is S_write's to report.
 */
static int S_taken(struct buf *out, const char *dir, const char *rel, const char *suffix)
{
	struct buf item = BUF_INIT, want = BUF_INIT, idx = BUF_INIT, best = BUF_INIT;
	const char *name;
	char *fwant = NULL, *fname = NULL;
	struct dirent *e;
	DIR *d = NULL;
	size_t parent;
	int fd, bundle, found = 0, exact = 0;

	/* content/faq/x.en.md or content/faq/x/index.en.md: the item content/faq/x */
	buf_put(&item, rel, strlen(rel) - strlen(".md") - strlen(suffix));
	bundle = str_ends(buf_cstr(&item), "/index");
	if (bundle) {
		item.len -= strlen("/index");
		item.ptr[item.len] = '\0';
	}
	name = strrchr(buf_cstr(&item), '/') + 1; /* rel starts with content/ */
	parent = (size_t)(name - buf_cstr(&item) - 1);
	buf_printf(&want, "%s%s.md", name, suffix);
	buf_printf(&idx, "index%s.md", suffix);
	fwant = model_fold(buf_cstr(&want));
	fname = model_fold(name);

	if ((fd = S_open_folder(dir, rel, parent)) < 0)
		goto done;
	if (!(d = fdopendir(fd))) {
		close(fd);
		goto done;
	}
	while ((e = readdir(d))) {
		char *f = model_fold(e->d_name);
		int kind = 0, same;
		if (strcmp(f, fwant) == 0)
			kind = 1; /* NAME.md */
		else if (strcmp(f, fname) == 0 && S_holds(dirfd(d), e->d_name, buf_cstr(&idx)))
			kind = 2; /* NAME/index.md */
		same = strcmp(e->d_name, kind == 1 ? buf_cstr(&want) : name) == 0 && (kind == 2) == bundle;
		free(f);
		/* the very file first, else the first by bytes, whatever order readdir gives */
		if (!kind || (found && (exact || (!same && strcmp(e->d_name, buf_cstr(&best)) > 0))))
			continue;
		found = kind;
		exact = same;
		buf_reset(&best);
		buf_puts(&best, e->d_name);
	}
	if (found) {
		buf_reset(out);
		buf_put(out, rel, parent);
		buf_printf(out, "/%s", buf_cstr(&best));
		if (found == 2)
			buf_printf(out, "/%s", buf_cstr(&idx));
	}
done:
	if (d)
		closedir(d);
	free(fwant);
	free(fname);
	buf_release(&best);
	buf_release(&idx);
	buf_release(&want);
	buf_release(&item);
	return found != 0;
}

/* --- the command --------------------------------------------------------- */

/* How much of s is shaped like a date prefix: 11 for "2024-05-18-", 8, 5 or 0. */
static int S_date_shape(const char *s)
{
	static const char shape[] = "dddd-dd-dd-";
	int i;
	for (i = 0; shape[i]; i++) {
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-')
			break;
	}
	return i >= 11 ? 11 : i >= 8 ? 8 : i >= 5 ? 5 : 0;
}

/*
 * The last segment's date prefix (the type's role new_prefix) into out:
 * the date's, unless the name starts with it already. A --slug that brings
 * its own date keeps it, but not against --date: a file name that says
 * 2021 on a talk dated 2023 is a mistake. A name made from a title always
 * gets the date's, so "2022 recap" on a talk of 2023 is 2023-2022-recap.
 */
static int S_prefix(struct buf *out, const struct scaffold *sc, const char *base, int given)
{
	const char *last = strrchr(base, '/');
	char date[16];
	int len = S_date_prefix(sc->ty), own;

	last = last ? last + 1 : base;
	snprintf(date, sizeof(date), "%04d-%02d-%02d-", sc->y, sc->m, sc->d);
	own = given ? S_date_shape(last) : 0;
	if (own > len)
		own = len;
	if (len && own && sc->dated && strncmp(last, date, (size_t)own) != 0)
		return S_error(-1,
			       "--slug '%s' starts with %.*s but --date says %.*s; leave the date out of "
			       "the slug (the file name gets --date's) or change --date",
			       base, own, last, own, date);
	buf_put(out, base, (size_t)(last - base));
	if (len && !own && strncmp(last, date, (size_t)len) != 0)
		buf_put(out, date, (size_t)len);
	buf_puts(out, last);
	return 0;
}

/* The slug: --slug, or one made from the title; then the date prefix. */
static int S_make_slug(struct buf *out, const struct scaffold *sc, const char *given)
{
	struct buf base = BUF_INIT;
	struct slug_yield y;
	int rc = -1;

	if (given) {
		if (!S_slug_ok(given))
			return S_error(
				-1,
				"slug '%s' may only have letters, digits, '-' and '_', with '/' between parts (no '.', '..' or leading '/')",
				given);
		buf_puts(&base, given);
	} else {
		S_slugify(&base, sc->title, &y);
		if (base.len == 0) {
			S_error(-1,
				"cannot make a readable file name from \"%s\"; give one with --slug NAME (e.g. --slug why-table-bloat)",
				sc->title);
			goto done;
		}
		if (S_slug_thin(&y)) {
			S_error(-1,
				"the file name '%s' keeps too little of \"%s\" to tell it from other titles; "
				"give one with --slug NAME (e.g. --slug why-table-bloat)",
				buf_cstr(&base), sc->title);
			goto done;
		}
	}
	rc = S_prefix(out, sc, buf_cstr(&base), given != NULL);
done:
	buf_release(&base);
	return rc;
}

/* content/[LANG/]FOLDER/SLUG[.LANG].md for lang, relative to DIR. */
static void S_rel_path(struct buf *out, const struct scaffold *sc, const struct lang *lang, const char *slug)
{
	buf_puts(out, "content/");
	if (sc->cfg->trans_layout == TRANS_DIR)
		buf_printf(out, "%s/", lang->code);
	buf_printf(out, "%s/%s%s", sc->ty->folder, slug, sc->bundle ? "/index" : "");
	if (sc->cfg->trans_layout == TRANS_SUFFIX && !lang->is_default)
		buf_printf(out, ".%s", lang->code);
	buf_puts(out, ".md");
}

/* The type and the language from site.yaml into sc: 0, or -1 after an error. */
static int S_pick(struct scaffold *sc, const struct new_opts *opts)
{
	struct buf names = BUF_INIT, hint = BUF_INIT;
	int rc = -1;

	if (!(sc->ty = S_find_type(sc->types, opts->type))) {
		S_type_names(&names, sc->types);
		S_error(2, "unknown type '%s' (types: %s)%s", opts->type, buf_cstr(&names),
			suggest_hint(&hint, S_type_near(sc->types, opts->type)));
		goto done;
	}
	/* site.yaml is as untrusted as content: its folder must be one safe segment. */
	if (!S_slug_ok(sc->ty->folder) || strchr(sc->ty->folder, '/')) {
		S_error(2, "type '%s' has the folder '%s', which is not one plain folder name", sc->ty->name,
			sc->ty->folder);
		goto done;
	}
	sc->lang = sc->cfg->default_lang;
	if (opts->lang && !(sc->lang = config_lang(sc->cfg, opts->lang, strlen(opts->lang)))) {
		S_lang_codes(&names, sc->cfg);
		S_error(2, "unknown language '%s' (site.yaml has: %s)%s", opts->lang, buf_cstr(&names),
			suggest_hint(&hint, config_lang_near(sc->cfg, opts->lang, strlen(opts->lang))));
		goto done;
	}
	rc = 0;
done:
	buf_release(&names);
	buf_release(&hint);
	return rc;
}

/*
 * The file to write (rel) and the original it translates or is (orig),
 * both relative to root. A translation goes into the original's folder
 * when that is a bundle.
 */
static void S_paths(struct buf *rel, struct buf *orig, struct scaffold *sc, const char *root,
		    const char *slug)
{
	if (!sc->bundle && !sc->lang->is_default) {
		struct buf b = BUF_INIT, p = BUF_INIT;
		struct stat st;
		sc->bundle = 1;
		S_rel_path(&b, sc, sc->cfg->default_lang, slug);
		buf_printf(&p, "%s/%s", root, buf_cstr(&b));
		sc->bundle = lstat(buf_cstr(&p), &st) == 0 && S_ISREG(st.st_mode);
		buf_release(&b);
		buf_release(&p);
	}
	S_rel_path(rel, sc, sc->lang, slug);
	S_rel_path(orig, sc, sc->cfg->default_lang, slug);
}

/* --- translations -------------------------------------------------------- */

/*
 * The abs-relative rest of the absolute path p (n bytes) once "." and ".."
 * are taken out, into out: 0, or -1 when p is not inside abs.
 */
static int S_under(struct buf *out, const char *abs, const char *p, size_t n)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	int rc = -1;

	if (path_normalize(&a, abs, strlen(abs)) || path_normalize(&b, p, n))
		goto done;
	if (a.len == 0 || (str_starts(buf_cstr(&b), buf_cstr(&a)) && b.ptr[a.len] == '/')) {
		buf_puts(out, buf_cstr(&b) + a.len + (a.len > 0));
		rc = 0;
	}
done:
	buf_release(&a);
	buf_release(&b);
	return rc;
}

/*
 * --translate's PATH as paths under the site, in the order they are tried:
 * *here as the user means it from the current folder (or an absolute
 * one), *there as read from the site's folder, so that the
 * `content/faq/x.md` of the site's docs works from anywhere in it. Either
 * is left empty when PATH cannot mean it.
 */
static void S_site_paths(struct buf *here, struct buf *there, const struct place *pl, const char *path)
{
	struct buf p = BUF_INIT;
	char *cwd = NULL, *real = NULL;

	if (pl->abs) {
		if (path[0] != '/' && (cwd = getcwd(NULL, 0)))
			buf_printf(&p, "%s/", cwd);
		buf_puts(&p, path);
		if ((path[0] == '/' || cwd) && S_under(here, pl->abs, p.ptr, p.len)) {
			buf_reset(here);
			/* a link on the way to PATH: its physical place */
			if ((real = realpath(path, NULL)) && S_under(here, pl->abs, real, strlen(real)))
				buf_reset(here);
		}
	}
	if (path[0] != '/' && path_normalize(there, path, strlen(path)))
		buf_reset(there);
	free(real);
	free(cwd);
	buf_release(&p);
}

/* The diagnostics --translate shows: site.yaml's and the original's, not the rest of the site's. */
static int S_keep(const char *path, void *payload)
{
	const struct buf *v = payload;
	return strcmp(path, "site.yaml") == 0 || strcmp(path, buf_cstr(&v[0])) == 0 ||
	       strcmp(path, buf_cstr(&v[1])) == 0;
}

/* Where the translation of orig into lang goes: NAME.LANG.md beside it, or content/LANG/... */
static void S_translation_path(struct buf *out, const struct config *cfg, const char *orig,
			       const struct lang *lang)
{
	if (cfg->trans_layout == TRANS_DIR) {
		const char *rest = orig + strlen("content/");
		buf_printf(out, "content/%s/%s", lang->code, rest + strcspn(rest, "/") + 1);
		return;
	}
	buf_put(out, orig, strlen(orig) - strlen(".md"));
	buf_printf(out, ".%s.md", lang->code);
}

/* The page of the item pg in lang, among the collected (not yet linked) pages, or NULL. */
static const struct page *S_sibling(const struct site *site, const struct page *pg, const struct lang *lang)
{
	size_t i;
	for (i = 0; i < site->npages; i++) {
		const struct page *t = &site->pages[i];
		if (t->lang == lang && strcmp(t->section, pg->section) == 0 && strcmp(t->id, pg->id) == 0)
			return t;
	}
	return NULL;
}

/*
 * The id of the last commit that changed pg, from the history walk the
 * build does (so it is the commit l10n compares with), into hex; "" when
 * the site is not in a git repository or pg was never committed. Returns
 * 0, or 2 when the load stops.
 */
static int S_last_commit(char *hex, size_t size, struct loaded_site *ls, const struct site_opts *lo,
			 const struct page *pg)
{
	const struct hist_file *f;
	struct hist_found found;

	hex[0] = '\0';
	/* outside git the walk would explain what a build lacks; here a note says what this lacks.
	 * The handle is the site's own: the history stage borrows it rather than opening another. */
	if (source_repo_open(&ls->repo, lo->dir) < 0)
		return 0;
	if (site_load(ls, lo, SITE_HISTORY))
		return 2;
	if ((f = history_page_file(ls->hist, pg)) && f->newest >= 0) {
		history_found(ls->hist, &found);
		git_oid_tostr(hex, size, &found.commits[f->newest].id);
	}
	return 0;
}

/*
 * The translated_from field set to hex, as a top-level key or the nested
 * mappings of a dotted name ("l10n.sourceCommit"); a comment when there is
 * no commit to name.
 */
static void S_pin_field(struct buf *b, const char *tf, const char *hex, const char *orig, const char *eol)
{
	const char *dot;
	int depth = 0;

	if (!*hex) {
		buf_printf(b, "# %s: the id of the commit of %s that this translates%s", tf, orig, eol);
		return;
	}
	/* site.yaml names the field: as untrusted as content, so quoted unless plain */
	for (; (dot = strchr(tf, '.')); tf = dot + 1, depth++) {
		char *seg = xstrndup(tf, (size_t)(dot - tf));
		buf_printf(b, "%*s", 2 * depth, "");
		S_plain_or_quoted(b, seg);
		buf_printf(b, ":%s", eol);
		free(seg);
	}
	buf_printf(b, "%*s", 2 * depth, "");
	S_plain_or_quoted(b, tf);
	buf_puts(b, ": ");
	S_quote(b, hex);
	buf_printf(b, "  # the commit of %s this translates%s", orig, eol);
}

/*
 * The translation scaffold: the original's front matter line by line
 * (its references, tags and dates stay; the translator replaces the title
 * and the text), without a translated_from of its own, then the field with
 * hex, then the body as it is. Returns 0, or -1 after an error.
 */
static int S_copy(struct buf *b, const struct page *pg, const char *tf, const char *hex)
{
	const struct source_file *src = pg->src;
	struct ynode *front = NULL;
	struct fm_split sp;
	const struct ynode *key;
	const char *p, *end, *eol;
	char *top = xstrndup(tf, strcspn(tf, "."));
	int line, from = 0, to = 0, rc = -1;
	size_t i, n;

	if (fm_split(&sp, pg->path, src->data, src->len) ||
	    (sp.fm && yaml_load(&front, pg->path, sp.fm, sp.fm_len, sp.fm_line - 1, NULL)))
		goto done;
	if (front && front->kind != YNODE_MAP) {
		diag_error(pg->path, front->line, front->col,
			   "front matter must be a mapping of fields (title: ...), not %s",
			   ynode_kind_name(front));
		goto done;
	}
	/* The lines of the original's own field: from its key to the next key. */
	if ((key = ynode_key(front, top))) {
		from = key->line;
		to = sp.fm_line + (int)sp.fm_len; /* past any line */
		for (i = 0; i < front->n; i += 2) {
			int l = front->kids[i]->line;
			if (front->kids[i] != key && l == from) {
				diag_error(
					pg->path, key->line, key->col,
					"'%s' shares its line with other fields; give it a line of its own",
					top);
				goto done;
			}
			if (l > from && l < to)
				to = l;
		}
	}
	n = strcspn(src->data, "\n");
	eol = n > 0 && src->data[n - 1] == '\r' ? "\r\n" : "\n";
	buf_printf(b, "---%s", eol);
	p = sp.fm ? sp.fm : "";
	end = p + sp.fm_len; /* 0 without front matter */
	for (line = sp.fm_line; p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		if (line < from || line >= to)
			buf_put(b, p, len);
		p += len;
	}
	if (b->len && b->ptr[b->len - 1] != '\n')
		buf_puts(b, eol);
	S_pin_field(b, tf, hex, pg->path, eol);
	buf_printf(b, "---%s", eol);
	buf_put(b, sp.body, sp.body_len);
	rc = 0;
done:
	ynode_free(front);
	free(top);
	return rc;
}

/* `jixia new --translate PATH --lang LANG` in the site pl. */
static int S_translate(const struct new_opts *opts, const struct place *pl)
{
	struct buf cand[2] = { BUF_INIT, BUF_INIT }, rel = BUF_INIT, show = BUF_INIT, text = BUF_INIT;
	struct buf taken = BUF_INIT, suffix = BUF_INIT, names = BUF_INIT, other = BUF_INIT;
	struct site_opts lo;
	struct loaded_site ls;
	const struct page *pg = NULL, *t;
	const struct lang *lang;
	char hex[GIT_OID_HEXSZ + 1];
	int in_root = strcmp(pl->root, ".") == 0, code;
	size_t i;

	memset(&ls, 0, sizeof(ls));
	memset(&lo, 0, sizeof(lo));
	lo.dir = pl->root;
	lo.walk = 1;
	S_site_paths(&cand[0], &cand[1], pl, opts->translate);
	diag_set_filter(S_keep, cand);
	code = site_load(&ls, &lo, SITE_PAGES);
	diag_flush(stderr, DIAG_TEXT);
	if (code || diag_reported_errors())
		goto done; /* site.yaml has errors (1), or the site is unreadable (2) */

	code = 2;
	if (!opts->lang) {
		S_lang_codes(&names, &ls.cfg);
		S_error(2,
			"--translate needs --lang LANG, the language to translate into (site.yaml has: %s)",
			buf_cstr(&names));
		goto done;
	}
	if (!(lang = config_lang(&ls.cfg, opts->lang, strlen(opts->lang)))) {
		S_lang_codes(&names, &ls.cfg);
		S_error(2, "unknown language '%s' (site.yaml has: %s)", opts->lang, buf_cstr(&names));
		goto done;
	}
	if (lang->is_default) {
		S_error(2, "'%s' is the site's default language, the originals' own; translate into another",
			lang->code);
		goto done;
	}
	for (i = 0; i < 2 && !pg; i++)
		pg = cand[i].len ? model_page_at(&ls.site, cand[i].ptr, cand[i].len) : NULL;
	if (!pg) {
		S_error(2,
			"'%s' is not a page of the site in %s: give a page's Markdown file, e.g. content/faq/NAME.md",
			opts->translate, pl->root);
		goto done;
	}
	S_show(&show, pl, pg->path);
	if (!pg->lang->is_default) {
		if ((t = S_sibling(&ls.site, pg, ls.cfg.default_lang)))
			S_show(&other, pl, t->path);
		S_error(2, "%s is a translation (%s); give its original%s%s", buf_cstr(&show), pg->lang->code,
			t ? ", " : "", buf_cstr(&other));
		goto done;
	}
	if ((t = S_sibling(&ls.site, pg, lang))) {
		S_show(&other, pl, t->path);
		code = S_error(1, "%s already translates %s into %s; edit it", buf_cstr(&other),
			       buf_cstr(&show), lang->code);
		goto done;
	}
	S_translation_path(&rel, &ls.cfg, pg->path, lang);
	if (ls.cfg.trans_layout == TRANS_SUFFIX)
		buf_printf(&suffix, ".%s", lang->code);
	buf_reset(&show);
	if (S_taken(&taken, pl->root, buf_cstr(&rel), buf_cstr(&suffix))) {
		S_show(&show, pl, buf_cstr(&taken));
		code = S_error(1, "%s already is the page the translation would make; edit it",
			       buf_cstr(&show));
		goto done;
	}
	S_show(&show, pl, buf_cstr(&rel));

	if ((code = S_last_commit(hex, sizeof(hex), &ls, &lo, pg))) {
		diag_flush(stderr, DIAG_TEXT);
		goto done;
	}
	if (S_copy(&text, pg, ls.cfg.translated_from_field, hex)) {
		diag_flush(stderr, DIAG_TEXT);
		code = 1;
		goto done;
	}
	diag_flush(stderr, DIAG_TEXT); /* a shallow clone's notice */
	if ((code = S_write(pl->root, buf_cstr(&rel), buf_cstr(&show), &text)))
		goto done;
	printf("%s\n", buf_cstr(&show));
	if (!*hex)
		fprintf(stderr,
			"jixia: %s has no commit to follow yet, so %s is left to fill in once it has\n",
			pg->path, ls.cfg.translated_from_field);
	fprintf(stderr, "jixia: translate the title and the text, then run 'jixia check%s%s'\n",
		in_root ? "" : " ", in_root ? "" : pl->root);
done:
	diag_set_filter(NULL, NULL);
	site_release(&ls);
	buf_release(&other);
	buf_release(&names);
	buf_release(&suffix);
	buf_release(&taken);
	buf_release(&text);
	buf_release(&show);
	buf_release(&rel);
	buf_release(&cand[1]);
	buf_release(&cand[0]);
	return code;
}

/* `jixia new TYPE "Title"` in the site pl. */
static int S_scaffold(const struct new_opts *opts, const struct place *pl)
{
	struct buf slug = BUF_INIT, rel = BUF_INIT, orig = BUF_INIT, show = BUF_INIT, text = BUF_INIT;
	struct buf taken = BUF_INIT, suffix = BUF_INIT;
	struct scaffold sc;
	struct site_opts lo;
	struct loaded_site ls;
	int in_root = strcmp(pl->root, ".") == 0, code;

	memset(&sc, 0, sizeof(sc));
	buf_init(&sc.todo);
	memset(&ls, 0, sizeof(ls));
	sc.bundle = opts->bundle;
	sc.title = opts->title;
	if (!S_utf8_ok(sc.title))
		return S_error(2, "the title is not valid UTF-8");
	if (strspn(sc.title, " \t\r\n") == strlen(sc.title))
		return S_error(2, "the title is empty");
	if (S_today(&sc, opts->date))
		return 2;

	memset(&lo, 0, sizeof(lo));
	lo.dir = pl->root;
	lo.site_yaml_only = 1;
	code = site_load(&ls, &lo, SITE_CONFIG);
	if (code == SITE_LOADED && ls.failed)
		code = 1; /* site.yaml's types have errors */
	if (code) {
		diag_flush(stderr, DIAG_TEXT);
		goto done;
	}
	code = 2;
	sc.cfg = &ls.cfg;
	sc.types = &ls.site.types;
	if (S_pick(&sc, opts) || S_make_slug(&slug, &sc, opts->slug))
		goto done;
	S_paths(&rel, &orig, &sc, pl->root, buf_cstr(&slug));
	sc.original = buf_cstr(&orig);
	S_show(&show, pl, buf_cstr(&rel));

	if (sc.cfg->trans_layout == TRANS_SUFFIX && !sc.lang->is_default)
		buf_printf(&suffix, ".%s", sc.lang->code);
	if (S_taken(&taken, pl->root, buf_cstr(&rel), buf_cstr(&suffix))) {
		int same = strcmp(buf_cstr(&taken), buf_cstr(&rel)) == 0;
		buf_reset(&show);
		S_show(&show, pl, buf_cstr(&taken));
		code = S_error(1, "%s %s; edit it, or choose another name with --slug NAME", buf_cstr(&show),
			       same ? "already exists"
				    : "already is the page this would make (the same URL)");
		goto done;
	}
	S_render(&text, &sc);
	if ((code = S_write(pl->root, buf_cstr(&rel), buf_cstr(&show), &text)))
		goto done;
	printf("%s\n", buf_cstr(&show));
	fprintf(stderr, "jixia: %s%s, then run 'jixia check%s%s'\n",
		sc.todo.len ? "fill in " : "write the text", buf_cstr(&sc.todo), in_root ? "" : " ",
		in_root ? "" : pl->root);
done:
	site_release(&ls);
	buf_release(&sc.todo);
	buf_release(&suffix);
	buf_release(&taken);
	buf_release(&text);
	buf_release(&show);
	buf_release(&orig);
	buf_release(&rel);
	buf_release(&slug);
	return code;
}

int new_run(const struct new_opts *opts)
{
	struct place pl;
	int code;

	if ((code = S_place(&pl, opts->dir)) == 0)
		code = opts->translate ? S_translate(opts, &pl) : S_scaffold(opts, &pl);
	S_place_release(&pl);
	return code;
}
