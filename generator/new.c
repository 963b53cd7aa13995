/*
 * new: scaffolding one content file. The front matter is assembled in
 * memory from the type's fields: the title first, then the required fields
 * with placeholders that pass `jixia check` where a valid one exists, left
 * empty with a TODO where only the contributor can know the answer (the
 * ids of speakers), then the optional fields commented out. The file is
 * written through folder descriptors opened one level at a time with
 * O_NOFOLLOW and created with O_EXCL, so neither an existing file nor a
 * symlink under DIR can redirect the write.
 */
#include "new.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <utf8proc.h>

#include "config.h"
#include "diag.h"
#include "model.h"
#include "site.h"
#include "types.h"
#include "util.h"

/* A slug made from a title is cut at a word boundary past this many bytes. */
#define NEW_SLUG_MAX 60
/* A longer --slug would make file names some file systems refuse. */
#define NEW_SLUG_LIMIT 200

struct scaffold {
	const struct config *cfg;
	const struct types *types;
	const struct type *ty;
	const struct lang *lang;
	const char *title;
	const char *original; /* the default-language file, for translated_from's hint */
	int bundle;           /* FOLDER/SLUG/index.md */
	int y, m, d;          /* the date placeholders */
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

/*
 * The ASCII letters and digits of title, lower-cased, every other run made
 * one '-'. Accents are stripped and full-width forms folded first, so
 * "Café ＰＧ１７" gives "cafe-pg17". *lost is set when letters or digits
 * outside ASCII were dropped (Chinese), since then a short result says
 * little about the title.
 */
static void S_slugify(struct buf *out, const char *title, int *lost)
{
	utf8proc_uint8_t *folded = NULL;
	const utf8proc_uint8_t *p;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	int dash = 0;

	*lost = 0;
	if (utf8proc_map((const utf8proc_uint8_t *)title, 0, &folded,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
				 UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD) < 0)
		return; /* the title was checked to be UTF-8 */
	for (p = folded; *p && (k = utf8proc_iterate(p, -1, &cp)) > 0; p += k) {
		if (cp < 0x80 && isalnum(cp)) {
			if (dash && out->len)
				buf_putc(out, '-');
			dash = 0;
			buf_putc(out, tolower(cp));
			continue;
		}
		dash = 1;
		if (cp >= 0x80) {
			utf8proc_category_t c = utf8proc_category(cp);
			if ((c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
			    (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO))
				*lost = 1;
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

static void S_date(struct buf *b, const struct scaffold *sc, enum field_kind kind)
{
	buf_printf(b, "%04d-%02d-%02d", sc->y, sc->m, sc->d);
	if (kind == FIELD_DATETIME)
		buf_puts(b, " 00:00  # YYYY-MM-DD HH:MM, optionally with a zone like +08:00");
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
	case FIELD_INT:
		buf_putc(b, '0');
		break;
	case FIELD_BOOL:
		buf_puts(b, "false");
		break;
	case FIELD_DATE:
	case FIELD_DATETIME:
		S_date(b, sc, f->kind);
		break;
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
	case FIELD_REF:
		buf_puts(b, req ? " # TODO: " : "ID  # ");
		S_ref_hint(b, sc, f->to, 0);
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
		buf_printf(b, "# %s: \"\"  # the commit of the original this follows: git log -1 --format=%%H -- %s\n",
			   tf, sc->original);
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
			S_error(2, "'%s/%s' is not a folder (a symlink?); jixia new writes only inside %s/content",
				dir, path, dir);
			goto done;
		}
		close(dfd);
		dfd = nfd;
		*slash = '/';
	}
	if ((fd = openat(dfd, seg, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666)) < 0) {
		if (errno == EEXIST)
			code = S_error(1, "%s already exists; edit it, or choose another name with --slug", show);
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

/* --- the command --------------------------------------------------------- */

/* The slug: --slug, or one made from the title; then the date prefix. */
static int S_make_slug(struct buf *out, const struct scaffold *sc, const char *given)
{
	struct buf base = BUF_INIT;
	const char *last;
	int lost, prefix = S_date_prefix(sc->ty);

	if (given) {
		if (!S_slug_ok(given))
			return S_error(-1, "slug '%s' may only have letters, digits, '-' and '_', with '/' between parts (no '.', '..' or leading '/')",
				       given);
		buf_puts(&base, given);
	} else {
		S_slugify(&base, sc->title, &lost);
		if (base.len == 0 || (lost && base.len < 3)) {
			S_error(-1, "cannot make a readable file name from \"%s\"; give one with --slug (e.g. --slug why-table-bloat)",
				sc->title);
			buf_release(&base);
			return -1;
		}
	}
	last = strrchr(buf_cstr(&base), '/');
	last = last ? last + 1 : buf_cstr(&base);
	if (prefix && !(isdigit((unsigned char)last[0]) && isdigit((unsigned char)last[1]) &&
			isdigit((unsigned char)last[2]) && isdigit((unsigned char)last[3]) && last[4] == '-')) {
		char date[16];
		snprintf(date, sizeof(date), "%04d-%02d-", sc->y, sc->m);
		buf_put(out, buf_cstr(&base), (size_t)(last - buf_cstr(&base)));
		buf_put(out, date, (size_t)prefix);
		buf_puts(out, last);
	} else {
		buf_puts(out, buf_cstr(&base));
	}
	buf_release(&base);
	return 0;
}

/* content/[LANG/]FOLDER/SLUG[.LANG].md for lang, relative to DIR. */
static void S_rel_path(struct buf *out, const struct scaffold *sc, const struct lang *lang,
		       const char *slug)
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
	struct buf names = BUF_INIT;
	int rc = -1;

	if (!(sc->ty = S_find_type(sc->types, opts->type))) {
		S_type_names(&names, sc->types);
		S_error(2, "unknown type '%s' (types: %s)", opts->type, buf_cstr(&names));
		goto done;
	}
	/* site.yaml is as untrusted as content: its folder must be one safe segment. */
	if (!S_slug_ok(sc->ty->folder) || strchr(sc->ty->folder, '/')) {
		S_error(2, "type '%s' has the folder '%s', which is not one plain folder name",
			sc->ty->name, sc->ty->folder);
		goto done;
	}
	sc->lang = sc->cfg->default_lang;
	if (opts->lang && !(sc->lang = config_lang(sc->cfg, opts->lang, strlen(opts->lang)))) {
		S_lang_codes(&names, sc->cfg);
		S_error(2, "unknown language '%s' (site.yaml has: %s)", opts->lang, buf_cstr(&names));
		goto done;
	}
	rc = 0;
done:
	buf_release(&names);
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

int new_run(const struct new_opts *opts)
{
	struct buf slug = BUF_INIT, rel = BUF_INIT, orig = BUF_INIT, show = BUF_INIT, text = BUF_INIT;
	struct scaffold sc;
	struct site_opts lo;
	struct loaded_site ls;
	char *root;
	size_t dlen;
	int in_cwd, code;

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

	/* "site/" and "site" are one folder; messages show it once. */
	dlen = strlen(opts->dir);
	while (dlen > 1 && opts->dir[dlen - 1] == '/')
		dlen--;
	root = xstrndup(opts->dir, dlen);
	memset(&lo, 0, sizeof(lo));
	lo.dir = root;
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
	S_paths(&rel, &orig, &sc, root, buf_cstr(&slug));
	sc.original = buf_cstr(&orig);
	in_cwd = strcmp(root, ".") == 0;
	if (!in_cwd)
		buf_printf(&show, "%s/", root);
	buf_puts(&show, buf_cstr(&rel));

	S_render(&text, &sc);
	if ((code = S_write(root, buf_cstr(&rel), buf_cstr(&show), &text)))
		goto done;
	printf("%s\n", buf_cstr(&show));
	fprintf(stderr, "jixia: %s%s, then run 'jixia check%s%s'\n",
		sc.todo.len ? "fill in " : "write the text", buf_cstr(&sc.todo), in_cwd ? "" : " ",
		in_cwd ? "" : root);
done:
	site_release(&ls);
	free(root);
	buf_release(&sc.todo);
	buf_release(&text);
	buf_release(&show);
	buf_release(&orig);
	buf_release(&rel);
	buf_release(&slug);
	return code;
}
