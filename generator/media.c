/*
 * media: where each published file goes and whether it may go there. One
 * sorted table of the outputs the other stages make is checked against
 * every file; sizes come from the image headers (imgsize), never from
 * decoding pixels.
 */
#include "media.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "escape.h"
#include "imgsize.h"
#include "pool.h"

static int S_by_src(const void *a, const void *b)
{
	return strcmp(((const struct media_file *)a)->src_path, ((const struct media_file *)b)->src_path);
}

static int S_by_out(const void *a, const void *b)
{
	return strcmp((*(struct media_file *const *)a)->out_path, (*(struct media_file *const *)b)->out_path);
}

/*
 * Outputs clash by letter case too: on a case-insensitive disk (a Mac, a
 * Windows share) "Slides.pdf" replaces "slides.pdf". ASCII case against the
 * other stages' outputs (pages' URLs are already compared with full Unicode
 * folding by the model); files among themselves are folded fully.
 */
static int S_str_ci_cmp(const void *a, const void *b)
{
	return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* --- what may not be published ---------------------------------------- */

/*
 * What in an SVG could run as script when the file is opened by itself
 * (in <img> browsers never run it), and what makes a browser read the file
 * other than as the UTF-8 text checked here or lets it build markup the
 * checks cannot see. A list of what to refuse, kept strict: elements with a
 * namespace prefix (<svg:script>) count, and numeric character references
 * are refused too, since they can spell "javascript:" past any such list.
 * Each is looked for in any letter case, in this order of report (the
 * first found in the order, not in the file); SVG_* name the places below.
 */
static const char *const S_svg_needles[] = {
	/* the file's own reading: an XSLT stylesheet; the declaration's encoding and its
	   end; an internal DTD subset (it can add attributes, on* handlers among them) */
	"<?xml-stylesheet", "encoding", "?>", "<!doctype",
	/* script */
	"<script", ":script", "javascript:", "vbscript:", "<foreignobject", ":foreignobject", "<iframe",
	":iframe", "<embed", ":embed", "<object", ":object", "<!entity", "&#", "data:text/html",
	/* attributeName="on..." on <set>/<animate>: an event handler set by animation; an
	   on...= event handler attribute */
	"attributename", "on"
};
enum {
	SVG_STYLESHEET,
	SVG_ENCODING,
	SVG_DECL_END,
	SVG_DOCTYPE,
	SVG_SCRIPT,                     /* the first of the script list */
	SVG_ATTRNAME = SVG_SCRIPT + 15, /* after the list's 15 */
	SVG_ON,
	SVG_NEEDLES
};
_Static_assert(sizeof(S_svg_needles) / sizeof(*S_svg_needles) == SVG_NEEDLES, "a name for each needle");

/* What one pass over an SVG found. */
struct svg_scan {
	const char *s;
	size_t n;
	size_t at[SVG_NEEDLES]; /* where each needle is first found, n when nowhere */
	int dtd_subset;         /* a '[' between the first "<!doctype" and the next '>' */
	int animated;           /* an attributeName whose value begins "on" */
	int handler;            /* white space, "on", letters, white space and '=' */
	size_t steps;           /* the bytes looked at, for the tests of its cost */
};

/* ASCII, as the needles are: "<SCRIPT" is "<script". */
static int S_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* The k bytes at i are needle (lower case) in any case, all within the text. */
static int S_at_ci(struct svg_scan *sc, size_t i, const char *needle, size_t k)
{
	size_t j;
	if (k > sc->n - i)
		return 0;
	for (j = 0; j < k; j++) {
		sc->steps++;
		if (S_lower((unsigned char)sc->s[i + j]) != (unsigned char)needle[j])
			return 0;
	}
	return 1;
}

/* The value after an attribute's name at i: past white space, '=' and the opening quote. */
static size_t S_attr_value(struct svg_scan *sc, size_t i)
{
	while (i < sc->n &&
	       (isspace((unsigned char)sc->s[i]) || sc->s[i] == '=' || sc->s[i] == '"' || sc->s[i] == '\''))
		i++, sc->steps++;
	return i;
}

/* attributeName found at i: is its value an event handler's name? */
static int S_animated_at(struct svg_scan *sc, size_t i)
{
	i = S_attr_value(sc, i + strlen("attributename"));
	return S_at_ci(sc, i, "on", 2);
}

/* "on" found at i: an on...= attribute when white space comes before it, then letters,
   white space and '='. */
static int S_handler_at(struct svg_scan *sc, size_t i)
{
	size_t j;
	if (i == 0 || i + 3 >= sc->n || !isspace((unsigned char)sc->s[i - 1]))
		return 0;
	for (j = i + 2; j < sc->n && isalpha((unsigned char)sc->s[j]); j++)
		sc->steps++;
	if (j == i + 2)
		return 0;
	while (j < sc->n && isspace((unsigned char)sc->s[j]))
		j++, sc->steps++;
	return j < sc->n && sc->s[j] == '=';
}

/*
 * One pass over the text: each byte and the next are looked up among the
 * needles that begin with those two (tables by first and by second byte;
 * two needles at most share them) and the rest compared with those alone,
 * and a needle found is looked for no more, but for attributeName (each of
 * them is read) and "on" (until a handler is found). It was one pass a
 * needle (21), each a call a byte; now a text of near misses costs about
 * two looks a byte. Returns 1 at a NUL byte (UTF-16 or UTF-32: nothing
 * else is looked at), else 0.
 */
static int S_svg_scan(struct svg_scan *sc)
{
	uint32_t first[256] = { 0 }, second[256] = { 0 }, wanted = (1u << SVG_NEEDLES) - 1;
	size_t len[SVG_NEEDLES], i;
	int k, doctype_open = 0;

	for (k = 0; k < SVG_NEEDLES; k++) { /* each at least two bytes long */
		len[k] = strlen(S_svg_needles[k]);
		first[(unsigned char)S_svg_needles[k][0]] |= 1u << k;
		second[(unsigned char)S_svg_needles[k][1]] |= 1u << k;
		sc->at[k] = sc->n;
	}
	for (i = 0; i < sc->n; i++) {
		unsigned char c = (unsigned char)sc->s[i];
		uint32_t m;

		sc->steps++;
		if (c == 0)
			return 1;
		if (doctype_open && (c == '>' || c == '[')) {
			sc->dtd_subset = c == '[';
			doctype_open = 0;
		}
		if (i + 1 == sc->n)
			break;
		m = first[S_lower(c)] & second[S_lower((unsigned char)sc->s[i + 1])] & wanted;
		for (; m; m &= m - 1) {
			k = __builtin_ctz(m);
			if (!S_at_ci(sc, i + 2, S_svg_needles[k] + 2, len[k] - 2))
				continue;
			if (k == SVG_ATTRNAME) {
				if (!S_animated_at(sc, i))
					continue;
				sc->animated = 1;
			} else if (k == SVG_ON) {
				if (!S_handler_at(sc, i))
					continue;
				sc->handler = 1;
			} else if (k == SVG_DOCTYPE) {
				doctype_open = 1;
			}
			sc->at[k] = i;
			wanted &= ~(1u << k);
		}
	}
	return 0;
}

/* The declaration that opens the file (past a BOM and white space) names an encoding
   other than UTF-8 (or its subset ASCII). */
static int S_svg_other_encoding(struct svg_scan *sc)
{
	size_t p = 0, enc;

	if (sc->n >= 3 && memcmp(sc->s, "\xEF\xBB\xBF", 3) == 0)
		p = 3;
	while (p < sc->n && isspace((unsigned char)sc->s[p]))
		p++, sc->steps++;
	if (sc->n - p <= 5 || strncmp(sc->s + p, "<?xml", 5) != 0)
		return 0;
	/* "encoding" before the declaration's end, the first "?>" */
	enc = sc->at[SVG_ENCODING];
	if (sc->at[SVG_DECL_END] == sc->n || enc == sc->n || enc + strlen("encoding") > sc->at[SVG_DECL_END])
		return 0;
	enc = S_attr_value(sc, enc + strlen("encoding"));
	return !S_at_ci(sc, enc, "utf-8", 5) && !S_at_ci(sc, enc, "us-ascii", 8);
}

const char *media_svg_active(const char *s, size_t n, size_t *steps)
{
	struct svg_scan sc;
	const char *what = NULL;
	int k;

	memset(&sc, 0, sizeof(sc));
	sc.s = s;
	sc.n = n;
	if (S_svg_scan(&sc))
		what = "NUL bytes (UTF-16?)";
	else if (sc.at[SVG_STYLESHEET] < n)
		what = S_svg_needles[SVG_STYLESHEET];
	else if (S_svg_other_encoding(&sc))
		what = "an encoding other than UTF-8";
	else if (sc.dtd_subset)
		what = "an internal DTD subset (<!DOCTYPE ... [)";
	for (k = SVG_SCRIPT; !what && k < SVG_ATTRNAME; k++)
		if (sc.at[k] < n)
			what = S_svg_needles[k];
	if (!what && sc.animated)
		what = "an animated event handler (attributeName=\"on...\")";
	if (!what && sc.handler)
		what = "an on...= event handler";
	if (steps)
		*steps = sc.steps;
	return what;
}

/* path ends in ext, in any letter case (web servers map ".SVG" like ".svg"). */
static int S_has_ext(const char *path, const char *ext)
{
	size_t n = strlen(path), k = strlen(ext);
	return n > k && strcasecmp(path + n - k, ext) == 0;
}

/*
 * The kinds of file published from content/, by extension. A list of what
 * is allowed rather than of what is not: HTML, and every XML type (SVG is
 * checked apart), run scripts on the portal's own address when opened, and
 * a file with an unknown or no extension may be served as one of them.
 */
static int S_publishable(const char *path)
{
	/* clang-format off */
	static const char *const ext[] = {
		/* images */ "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", "bmp", "tif", "tiff",
		/* documents, slides, sheets */ "pdf", "ppt", "pptx", "pps", "ppsx", "key", "odp", "doc",
		"docx", "odt", "rtf", "xls", "xlsx", "ods", "epub",
		/* text, data, code */ "txt", "csv", "tsv", "json", "yaml", "yml", "toml", "sql", "log",
		"conf", "ini", "diff", "patch", "c", "h", "py", "go", "rs", "java", "sh", "rb", "pl", "lua",
		/* archives */ "zip", "tar", "gz", "tgz", "bz2", "xz", "zst", "7z",
		/* audio, video */ "mp3", "m4a", "ogg", "oga", "opus", "wav", "flac", "mp4", "m4v", "webm",
		"ogv", "mov", NULL
	};
	/* clang-format on */
	const char *const *e, *base = strrchr(path, '/'), *dot = strrchr(path, '.');
	if (!dot || dot < base)
		return 0;
	for (e = ext; *e; e++)
		if (strcasecmp(dot + 1, *e) == 0)
			return 1;
	return 0;
}

/*
 * static/CNAME, GitHub Pages' custom domain: many Hugo sites have one. It
 * has no extension, so it passes only when it is what GitHub reads, one
 * host name on one line, which no browser could take for a script.
 * Returns 1 for such a file, 0 for any other, -1 (reported) for a CNAME
 * that is not a host name.
 */
static int S_static_cname(const struct media_file *f)
{
	size_t i, n = f->len;
	if (strcmp(f->src_path, "static/CNAME") != 0)
		return 0;
	while (n > 0 && (f->data[n - 1] == '\n' || f->data[n - 1] == '\r'))
		n--;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)f->data[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.'))
			break;
	}
	if (n == 0 || n > 253 || i < n) {
		diag_error(f->src_path, 1, (int)i + 1,
			   "a CNAME file holds one host name (docs.example.org) on one line, for GitHub "
			   "Pages; nothing else is published from an extensionless file");
		return -1;
	}
	return 1;
}

static int S_is_lfs_pointer(const char *data, size_t len)
{
	static const char sig[] = "version https://git-lfs.github.com/spec/v1";
	return len < 1024 && len >= sizeof(sig) - 1 && memcmp(data, sig, sizeof(sig) - 1) == 0;
}

/* Problems with the file itself, reported at it. Returns 0 or -1. */
static int S_check_file(const struct site *site, const struct media_file *f)
{
	const struct config *cfg = site->cfg;
	const char *what;
	int is_static = str_starts(f->src_path, "static/"), cname;

	if (f->len > cfg->max_media) {
		diag_error(f->src_path, 0, 0,
			   "file is %zu KiB, over the %zu KiB limit for files %s "
			   "(limits.media_bytes in site.yaml); link a copy hosted elsewhere instead",
			   (f->len + 1023) / 1024, cfg->max_media / 1024,
			   is_static ? "in static/" : "beside the Markdown");
		return -1;
	}
	/* never published, unsafe mode or not (static/'s too) */
	if (source_name_unseen(f->src_path))
		return -1;
	if (S_is_lfs_pointer(f->data, f->len)) {
		diag_error(
			f->src_path, 1, 1,
			"this is a Git LFS pointer, not the file; fetch the files (git lfs pull) before building");
		return -1;
	}
	if (cfg->markdown_unsafe)
		return 0; /* the maintainers trust contributors with raw HTML anyway */
	if (is_static && (cname = S_static_cname(f)) != 0)
		return cname > 0 ? 0 : -1;
	if (!S_publishable(f->src_path)) {
		const char *dot = strrchr(strrchr(f->src_path, '/'), '.');
		diag_error(
			f->src_path, 0, 0,
			"%s%s%s files are not published from %s: only images, documents, slides, "
			"sheets, text, code, archives, audio and video (HTML, XML or an unknown kind "
			"could run scripts on the portal's own address); zip it, or link it from elsewhere",
			dot ? "'" : "", dot ? dot : "extensionless", dot ? "'" : "",
			is_static ? "static/" : "content/");
		return -1;
	}
	if (S_has_ext(f->src_path, ".svg") && (what = media_svg_active(f->data, f->len, NULL)) != NULL) {
		diag_error(f->src_path, 0, 0,
			   "this SVG contains %s, which could run as a script on the portal's own address "
			   "when the file is opened; export it as a plain drawing",
			   what);
		return -1;
	}
	return 0;
}

/* --- where each file goes --------------------------------------------- */

/*
 * The published page of the bundle whose folder is dir ("content/events/x",
 * n bytes), in the default language when it has one; *exists says whether
 * the folder is a bundle at all (its item may be a draft).
 */
static const struct page *S_bundle_page(const struct site *site, const char *dir, size_t n, int *exists)
{
	const struct config *cfg = site->cfg;
	const struct page *found = NULL, *pg;
	struct buf p = BUF_INIT;
	size_t i;

	buf_printf(&p, "%.*s/index.md", (int)n, dir);
	if (source_find(site->src, buf_cstr(&p)))
		*exists = 1;
	if ((pg = model_page_at(site, p.ptr, p.len)) != NULL)
		found = pg;
	for (i = 0; !found && cfg->trans_layout == TRANS_SUFFIX && i < cfg->nlangs; i++) {
		buf_reset(&p);
		buf_printf(&p, "%.*s/index.%s.md", (int)n, dir, cfg->langs[i].code);
		if (source_find(site->src, buf_cstr(&p)))
			*exists = 1;
		found = model_page_at(site, p.ptr, p.len);
	}
	buf_release(&p);
	return found;
}

/*
 * The language root of a path under content/: with the dir layout
 * "content/en/talks/x.png" has root "content/en/" and *prefix "en/" (""
 * for the default language, and with the suffix layout). Returns the
 * length of the root.
 */
static size_t S_lang_root(const struct site *site, const char *path, const char **prefix)
{
	const struct config *cfg = site->cfg;
	const char *rel = path + strlen("content/"), *slash = strchr(rel, '/');
	const struct lang *l;

	*prefix = "";
	if (cfg->trans_layout != TRANS_DIR || !slash || !(l = config_lang(cfg, rel, (size_t)(slash - rel))))
		return strlen("content/");
	*prefix = l->prefix;
	return (size_t)(slash + 1 - path);
}

/* Finds f's bundle and output. Leaves out_path NULL when it is not published. */
static void S_place(struct media *m, const struct site *site, struct media_file *f)
{
	const char *path = f->src_path, *prefix, *s, *base = strrchr(path, '/') + 1;
	size_t root = S_lang_root(site, path, &prefix), sect = root + strcspn(path + root, "/");
	size_t end;

	if (str_starts(path, "static/")) { /* at the site's root, as it is */
		f->out_path = path + strlen("static/");
		return;
	}
	if (model_hidden_path(path, strlen(path)))
		return; /* _includes/ and the like: for the pages' own use, never published */

	/* Folders from the nearest up to (not including) the section folder. */
	for (end = (size_t)(base - 1 - path); end > sect; end = (size_t)(s - path)) {
		int exists = 0;
		const struct page *pg = S_bundle_page(site, path, end, &exists);
		if (pg) {
			const char *dir = pg->out_path;
			f->bundle = pg;
			f->out_path = arena_printf(&m->arena, "%.*s%s", (int)(strrchr(dir, '/') + 1 - dir),
						   dir, path + end + 1);
			return;
		}
		if (exists)
			return; /* its item is a draft, or failed */
		for (s = path + end - 1; *s != '/'; s--)
			;
	}
	f->out_path = arena_printf(&m->arena, "%s%s", prefix, path + root);
}

/* --- what the other stages write --------------------------------------- */

/*
 * The files the render, feeds and cards stages write (the plan's html,
 * feeds and images slices), sorted. (Whatever sits under a reserved first segment —
 * search/, assets/, sitemap.xml — is refused by name first.)
 */
static void S_outputs(struct strvec *o, const struct plan *plan)
{
	size_t i;
	for (i = 0; i < plan->html.n; i++)
		strvec_push(o, plan->v[plan->html.first + i].out_path);
	for (i = 0; i < plan->feeds.n; i++)
		strvec_push(o, plan->v[plan->feeds.first + i].out_path);
	for (i = 0; i < plan->images.n; i++)
		strvec_push(o, plan->v[plan->images.first + i].out_path);
	strvec_sort(o, S_str_ci_cmp);
}

static int S_has(const struct strvec *o, const char *p)
{
	return strvec_find(o, p, S_str_ci_cmp) != NULL;
}

/* An output below p/ (p must be a folder, not a file). */
static int S_has_below(const struct strvec *o, const char *p, struct buf *tmp)
{
	size_t lo = 0, hi = o->n;
	buf_reset(tmp);
	buf_printf(tmp, "%s/", p);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcasecmp(o->v[mid], tmp->ptr) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < o->n && strncasecmp(o->v[lo], tmp->ptr, tmp->len) == 0;
}

/* A folder on the way to p that is an output file itself, or NULL. */
static const char *S_file_above(const struct strvec *o, const char *p, struct buf *tmp)
{
	const char *s, *key;
	const char **hit;
	for (s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
		buf_reset(tmp);
		buf_put(tmp, p, (size_t)(s - p));
		key = buf_cstr(tmp);
		if ((hit = strvec_find(o, key, S_str_ci_cmp)) != NULL)
			return *hit;
	}
	return NULL;
}

/* The first segment of f's output under its language's prefix is one jixia writes. */
static int S_reserved(const struct site *site, const struct media_file *f)
{
	const char *p = f->out_path, *prefix = "";
	if (f->bundle)
		prefix = f->bundle->lang->prefix; /* a bundle with only index.en.md */
	else if (!str_starts(f->src_path, "static/"))
		S_lang_root(site, f->src_path, &prefix);
	p += strlen(prefix);
	return model_reserved_segment(site, p, strcspn(p, "/"));
}

/* Where f's output clashes with another. Returns 0 or -1. */
static int S_check_output(const struct site *site, const struct strvec *o, const struct media_file *f,
			  struct buf *tmp)
{
	const char *base = strrchr(f->out_path, '/'), *above;
	base = base ? base + 1 : f->out_path;
	if (strcmp(base, "index.html") == 0) {
		diag_error(f->src_path, 0, 0,
			   "a file named index.html would be published as a page at %s; rename it",
			   f->out_path);
		return -1;
	}
	if (S_reserved(site, f)) {
		diag_error(f->src_path, 0, 0,
			   "would be published at %s, where jixia writes its own files (search, assets, "
			   "feeds, sitemap, taxonomies, languages); move it %s",
			   f->out_path,
			   str_starts(f->src_path, "static/") ? "into another folder"
							      : "into a type's folder");
		return -1;
	}
	if (S_has(o, f->out_path) || S_has_below(o, f->out_path, tmp)) {
		diag_error(f->src_path, 0, 0,
			   "would be published at %s, which a page, list, feed or calendar of the site "
			   "already uses (letter case aside); rename it",
			   f->out_path);
		return -1;
	}
	if ((above = S_file_above(o, f->out_path, tmp)) != NULL) {
		diag_error(f->src_path, 0, 0,
			   "would be published at %s, below %s, which is a file; rename its folder",
			   f->out_path, above);
		return -1;
	}
	return 0;
}

static void S_read_size(struct media_file *f)
{
	struct img_info info;
	if (img_is_image_name(f->src_path) && img_size(&info, (const unsigned char *)f->data, f->len) == 0) {
		f->width = info.width;
		f->height = info.height;
	}
}

/* A published file and its output path as the disk may see it (model_fold). */
struct keyed {
	char *key;
	const struct media_file *f;
};

static int S_key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct keyed *)a)->key, ((const struct keyed *)b)->key);
}

/* The first of v[0..n) whose key is at least key. */
static size_t S_key_lower(const struct keyed *v, size_t n, const char *key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(v[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Two files with one output, reported at the later by source path. */
static void S_twins(const struct media_file *a, const struct media_file *b)
{
	if (strcmp(a->src_path, b->src_path) > 0) {
		const struct media_file *t = a;
		a = b;
		b = t;
	}
	if (strcmp(a->out_path, b->out_path) == 0)
		diag_error(b->src_path, 0, 0, "would be published at %s, like %s; rename one of them",
			   b->out_path, a->src_path);
	else
		diag_error(
			b->src_path, 0, 0,
			"would be published at %s, which differs from %s (%s) only in letter case or "
			"Unicode form: on a case-insensitive disk one replaces the other; rename one of them",
			b->out_path, a->out_path, a->src_path);
}

/*
 * The files of content/ against each other: two at one output, or one
 * where another needs a folder. Compared as a case-insensitive disk (a Mac,
 * a Windows share) sees them: "Slides.pdf" replaces "slides.pdf", and "é"
 * composed or not is one name.
 */
static int S_check_files(const struct media *m)
{
	struct keyed *v = xmalloc((m->nout ? m->nout : 1) * sizeof(*v));
	struct buf below = BUF_INIT;
	size_t i, n = 0, j;
	int rc = 0;

	for (i = 0; i < m->nout; i++)
		if (str_starts(m->by_out[i]->src_path, "content/") ||
		    str_starts(m->by_out[i]->src_path, "static/")) {
			v[n].key = model_fold(m->by_out[i]->out_path);
			v[n++].f = m->by_out[i];
		}
	qsort(v, n, sizeof(*v), S_key_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(v[i - 1].key, v[i].key) == 0) {
			S_twins(v[i - 1].f, v[i].f);
			rc = -1;
			continue;
		}
		buf_reset(&below);
		buf_printf(&below, "%s/", v[i].key);
		j = S_key_lower(v, n, below.ptr);
		if (j < n && str_starts(v[j].key, below.ptr)) {
			diag_error(v[i].f->src_path, 0, 0,
				   "would be published at %s, where %s needs a folder; rename one of them",
				   v[i].f->out_path, v[j].f->src_path);
			rc = -1;
		}
	}
	for (i = 0; i < n; i++)
		free(v[i].key);
	free(v);
	buf_release(&below);
	return rc;
}

int media_plan(struct media *m, const struct site *site, const struct plan *plan)
{
	struct strvec o = STRVEC_INIT;
	struct buf tmp = BUF_INIT;
	size_t first, count, sfirst, nstatic, i;
	int rc = 0;

	memset(m, 0, sizeof(*m));
	count = source_prefix(site->src, "content/", &first);
	nstatic = source_prefix(site->src, "static/", &sfirst);
	m->v = xcalloc(plan->assets.n + count + nstatic + 1, sizeof(*m->v));
	for (i = 0; i < plan->assets.n; i++) {
		const struct theme_asset *a = plan->v[plan->assets.first + i].asset;
		struct media_file *f = &m->v[m->n++];
		f->src_path = f->out_path = a->path;
		f->data = a->data;
		f->len = a->len;
	}
	S_outputs(&o, plan);
	for (i = first; i < first + count; i++) {
		const struct source_file *sf = &site->src->files[i];
		struct media_file *f = &m->v[m->n];
		if (str_ends(sf->path, ".md"))
			continue;
		m->n++;
		f->src_path = sf->path;
		f->data = sf->data;
		f->len = sf->len;
		S_place(m, site, f);
		if (f->out_path && (S_check_output(site, &o, f, &tmp) || S_check_file(site, f)))
			rc = -1;
	}
	for (i = sfirst; i < sfirst + nstatic; i++) {
		const struct source_file *sf = &site->src->files[i];
		struct media_file *f = &m->v[m->n++];
		f->src_path = sf->path;
		f->data = sf->data;
		f->len = sf->len;
		S_place(m, site, f);
		if (S_check_output(site, &o, f, &tmp) || S_check_file(site, f))
			rc = -1;
	}
	qsort(m->v, m->n, sizeof(*m->v), S_by_src);
	m->by_out = xmalloc((m->n ? m->n : 1) * sizeof(*m->by_out));
	for (i = 0; i < m->n; i++) {
		struct media_file *f = &m->v[i];
		if (!f->out_path)
			continue;
		buf_reset(&tmp);
		buf_puts(&tmp, site->root);
		escape_url_path(&tmp, f->out_path, strlen(f->out_path));
		f->href = arena_strdup(&m->arena, buf_cstr(&tmp));
		S_read_size(f);
		m->by_out[m->nout++] = f;
	}
	qsort(m->by_out, m->nout, sizeof(*m->by_out), S_by_out);
	if (S_check_files(m))
		rc = -1;
	strvec_release(&o);
	buf_release(&tmp);
	return rc;
}

static const char *S_src_key(const void *elem)
{
	return ((const struct media_file *)elem)->src_path;
}

static const char *S_out_key(const void *elem)
{
	return (*(const struct media_file *const *)elem)->out_path;
}

const struct media_file *media_by_source(const struct media *m, const char *path, size_t n)
{
	return bsearch_key(m->v, m->n, sizeof(*m->v), S_src_key, path, n);
}

const struct media_file *media_by_output(const struct media *m, const char *path, size_t n)
{
	struct media_file **f = bsearch_key(m->by_out, m->nout, sizeof(*m->by_out), S_out_key, path, n);
	return f ? *f : NULL;
}

struct write_job {
	const struct media *m;
	struct output *out;
	atomic_int failed;
};

static void S_write_one(size_t i, int worker, void *payload)
{
	struct write_job *job = payload;
	const struct media_file *f = job->m->by_out[i];
	(void)worker;
	if (output_write(job->out, f->out_path, f->data, f->len))
		atomic_store(&job->failed, 1);
}

int media_write(const struct media *m, struct output *out, int nthreads, size_t *files_out)
{
	struct write_job job;
	job.m = m;
	job.out = out;
	atomic_init(&job.failed, 0);
	pool_run(nthreads, m->nout, S_write_one, &job);
	*files_out = m->nout;
	return atomic_load(&job.failed) ? -1 : 0;
}

void media_release(struct media *m)
{
	free(m->v);
	free(m->by_out);
	arena_release(&m->arena);
	memset(m, 0, sizeof(*m));
}
