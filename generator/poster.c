/*
 * poster: a struct poster drawn with cairo into an image surface, its
 * texts laid out by pango (shaping, CJK line breaking, an ellipsis where a
 * title runs out of room) and written out as PNG by S_png here (zlib), with
 * no time or text chunk: the bytes depend on the description only. Font options are fixed here (grey antialiasing, no hinting), so a
 * user's fontconfig settings do not change the pictures; the fonts are the
 * system's Noto Sans CJK (Debian's fonts-noto-cjk), whose Latin letters
 * are drawn by the same face. Pango's font maps are not for several
 * threads: each worker brings its own (struct poster_fonts).
 */
#include "poster.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <zlib.h>

#include "diag.h"
#include "imgsize.h"
#include "util.h"

/* The drawing's version, in every key: a change of layout here is a new key. */
#define S_VERSION "poster 1"
/* The largest avatar decoded (each side), against a PNG that inflates to gigabytes. */
#define S_AVATAR_MAX 2048

/* How long poster_fonts_free waits for pango's threads to let go of a font map (ms). */
#define S_WAIT_MS 10000
/* Built with AddressSanitizer (and so LeakSanitizer): poster_cleanup frees the libraries' caches. */
#if defined(__SANITIZE_ADDRESS__)
#define S_LEAK_CHECKED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define S_LEAK_CHECKED 1
#endif
#endif
#ifndef S_LEAK_CHECKED
#define S_LEAK_CHECKED 0
#endif

/*
 * The functions of cairo, pango and fontconfig called here, loaded with
 * the first font map (S_load) rather than linked: linked, they and what
 * they need (harfbuzz, freetype, X11's...), 31 shared libraries in all,
 * were loaded as every command started, 4.5 ms of each (an empty program linked with them
 * against one without: 8.4-9.4 ms against 4.1-4.5, medians of 40 runs),
 * and most runs draw nothing (a rebuild's pictures are the cache's).
 * glib and gobject (S_clean, the font maps' references) stay linked.
 */
#define S_DRAWING(X)                                  \
	X(cairo_arc)                                  \
	X(cairo_clip)                                 \
	X(cairo_create)                               \
	X(cairo_debug_reset_static_data)              \
	X(cairo_destroy)                              \
	X(cairo_fill)                                 \
	X(cairo_font_options_create)                  \
	X(cairo_font_options_destroy)                 \
	X(cairo_font_options_set_antialias)           \
	X(cairo_font_options_set_hint_metrics)        \
	X(cairo_font_options_set_hint_style)          \
	X(cairo_get_source)                           \
	X(cairo_image_surface_create)                 \
	X(cairo_image_surface_create_from_png_stream) \
	X(cairo_image_surface_get_data)               \
	X(cairo_image_surface_get_height)             \
	X(cairo_image_surface_get_stride)             \
	X(cairo_image_surface_get_width)              \
	X(cairo_move_to)                              \
	X(cairo_paint)                                \
	X(cairo_pattern_add_color_stop_rgb)           \
	X(cairo_pattern_create_linear)                \
	X(cairo_pattern_destroy)                      \
	X(cairo_pattern_set_filter)                   \
	X(cairo_rectangle)                            \
	X(cairo_restore)                              \
	X(cairo_save)                                 \
	X(cairo_scale)                                \
	X(cairo_set_line_width)                       \
	X(cairo_set_source)                           \
	X(cairo_set_source_rgb)                       \
	X(cairo_set_source_rgba)                      \
	X(cairo_set_source_surface)                   \
	X(cairo_status)                               \
	X(cairo_stroke)                               \
	X(cairo_surface_destroy)                      \
	X(cairo_surface_flush)                        \
	X(cairo_surface_status)                       \
	X(cairo_translate)                            \
	X(FcFini)                                     \
	X(pango_attr_letter_spacing_new)              \
	X(pango_attr_list_insert)                     \
	X(pango_attr_list_new)                        \
	X(pango_attr_list_unref)                      \
	X(pango_cairo_context_set_font_options)       \
	X(pango_cairo_font_map_new)                   \
	X(pango_cairo_show_layout)                    \
	X(pango_cairo_update_context)                 \
	X(pango_context_set_language)                 \
	X(pango_font_description_free)                \
	X(pango_font_description_new)                 \
	X(pango_font_description_set_absolute_size)   \
	X(pango_font_description_set_family)          \
	X(pango_font_description_set_weight)          \
	X(pango_font_map_create_context)              \
	X(pango_language_from_string)                 \
	X(pango_layout_get_pixel_extents)             \
	X(pango_layout_get_pixel_size)                \
	X(pango_layout_new)                           \
	X(pango_layout_set_alignment)                 \
	X(pango_layout_set_attributes)                \
	X(pango_layout_set_ellipsize)                 \
	X(pango_layout_set_font_description)          \
	X(pango_layout_set_height)                    \
	X(pango_layout_set_single_paragraph_mode)     \
	X(pango_layout_set_text)                      \
	X(pango_layout_set_width)                     \
	X(pango_layout_set_wrap)
static struct {
#define S_MEMBER(f) __typeof__(f) *f;
	S_DRAWING(S_MEMBER)
#undef S_MEMBER
} S_gfx;

static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static int S_loaded; /* S_gfx is complete */

static void S_load_once(void)
{
	/* the soname in Debian 12 (libpangocairo-1.0-0), else the development package's link; cairo's
	   and fontconfig's functions are found among what it needs */
	static const char *const names[] = { "libpangocairo-1.0.so.0", "libpangocairo-1.0.so" };
	void *lib = lib_open(names, sizeof(names) / sizeof(names[0]));
	const char *missing = NULL;

	if (!lib) {
		diag_error(NULL, 0, 0,
			   "cannot load pango and cairo, which posters and cards are drawn with: %s",
			   dlerror());
		return;
	}
#define S_RESOLVE(f)                               \
	if (!missing && lib_fn(lib, #f, &S_gfx.f)) \
		missing = #f;
	S_DRAWING(S_RESOLVE)
#undef S_RESOLVE
	if (missing) {
		diag_error(NULL, 0, 0, "the pango and cairo loaded to draw posters and cards lack %s",
			   missing);
		return;
	}
	S_loaded = 1;
}

/* S_gfx, loaded once for every thread: 0, or -1 (the first call reported why). */
static int S_load(void)
{
	pthread_once(&S_once, S_load_once);
	return S_loaded ? 0 : -1;
}

/* Set when a font map outlived poster_fonts_free (a pango thread kept it). */
static atomic_int S_lingering;

struct poster_fonts {
	PangoFontMap *map;
	PangoContext *ctx;
};

struct poster_fonts *poster_fonts_new(void)
{
	struct poster_fonts *f;
	cairo_font_options_t *fo;

	if (S_load())
		return NULL;
	f = xcalloc(1, sizeof(*f));
	fo = S_gfx.cairo_font_options_create();

	f->map = S_gfx.pango_cairo_font_map_new();
	f->ctx = S_gfx.pango_font_map_create_context(f->map);
	S_gfx.cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	S_gfx.cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	S_gfx.cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	S_gfx.pango_cairo_context_set_font_options(f->ctx, fo);
	S_gfx.cairo_font_options_destroy(fo);
	return f;
}

/*
 * Pango matches fonts on threads of its own ("[pango] FcFontSetMatch",
 * "[pango] FcFontSetSort"), each holding a reference to the map, and so
 * its cairo fonts, until its last fontconfig call: on a loaded machine
 * they end after the last picture. The map is let go only when ours is
 * the last reference, so it dies here, on this thread, with no pango
 * thread left using it. Were they still running at exit, resetting
 * cairo's state there aborted in _cairo_hash_table_destroy (a live font)
 * after the site was written.
 */
void poster_fonts_free(struct poster_fonts *f)
{
	GObject *map;
	int ms;

	if (!f)
		return;
	g_object_unref(f->ctx);
	map = G_OBJECT(f->map);
	for (ms = 0; g_atomic_int_get(&map->ref_count) > 1 && ms < S_WAIT_MS; ms++)
		g_usleep(1000);
	if (g_atomic_int_get(&map->ref_count) > 1)
		atomic_store(&S_lingering, 1); /* a pango thread still has it: poster_cleanup stays away */
	g_object_unref(map);
	free(f);
}

/*
 * Only where a leak checker runs (fontconfig keeps memory it reaches in
 * ways LeakSanitizer does not see, freed by FcFini), and only when every
 * font map died in poster_fonts_free: cairo_debug_reset_static_data is
 * safe with no cairo object alive and FcFini with no fontconfig one. A
 * normal run leaves both to the process's end.
 */
void poster_cleanup(void)
{
#if S_LEAK_CHECKED
	if (!S_loaded || atomic_load(&S_lingering)) /* nothing drawn, or a map still in use */
		return;
	S_gfx.cairo_debug_reset_static_data();
	S_gfx.FcFini();
#endif
}

/* --- texts ---------------------------------------------------------------- */

/*
 * s as drawn: valid UTF-8 (a bad byte becomes U+FFFD), control characters
 * and line breaks as spaces, no bidi embedding or override, at most POSTER_TEXT_MAX bytes ending at a
 * whole character. "" for NULL.
 */
static void S_clean(struct buf *out, const char *s)
{
	gchar *valid;
	const gchar *p;

	buf_reset(out);
	if (!s)
		return;
	valid = g_utf8_make_valid(s, (gssize)strnlen(s, 4 * POSTER_TEXT_MAX));
	for (p = valid; *p; p = g_utf8_next_char(p)) {
		size_t n = (size_t)(g_utf8_next_char(p) - p);
		if (out->len + n > POSTER_TEXT_MAX)
			break;
		gunichar c = g_utf8_get_char(p);
		if (c < 0x20 || c == 0x7f)
			buf_putc(out, ' ');
		else if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
			continue; /* embeddings and overrides: a title must not turn the text around it */
		else
			buf_put(out, p, n);
	}
	g_free(valid);
}

/* 12345 as "12,345". */
static void S_number(struct buf *out, long long x)
{
	char digits[32];
	size_t i, n;

	if (x < 0) {
		buf_putc(out, '-');
		x = -x;
	}
	n = (size_t)snprintf(digits, sizeof(digits), "%lld", x);
	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf_putc(out, ',');
		buf_putc(out, digits[i]);
	}
}

/* The family of lang's glyph forms: Noto Sans CJK has one per region. */
static const char *S_family(const char *lang)
{
	if (!lang)
		return "Noto Sans CJK SC";
	if (g_ascii_strncasecmp(lang, "ja", 2) == 0)
		return "Noto Sans CJK JP";
	if (g_ascii_strncasecmp(lang, "ko", 2) == 0)
		return "Noto Sans CJK KR";
	if (g_ascii_strncasecmp(lang, "zh-hk", 5) == 0 || g_ascii_strncasecmp(lang, "zh-mo", 5) == 0)
		return "Noto Sans CJK HK";
	if (g_ascii_strncasecmp(lang, "zh-tw", 5) == 0 || g_ascii_strncasecmp(lang, "zh-hant", 7) == 0)
		return "Noto Sans CJK TC";
	return "Noto Sans CJK SC";
}

struct rgb {
	double r, g, b;
};

static struct rgb S_rgb(unsigned c)
{
	struct rgb x = { ((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0, (c & 0xff) / 255.0 };
	return x;
}

/* a toward b by t (0: a, 1: b). */
static struct rgb S_mix(struct rgb a, struct rgb b, double t)
{
	struct rgb x = { a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t };
	return x;
}

/* What one call of S_text draws. */
struct S_style {
	double size; /* pixels */
	int bold;
	int width;      /* pixels to wrap at */
	int max_height; /* pixels: lines past it are cut, the last with an ellipsis; 0 for one line */
	struct rgb color;
	double alpha;
	double spacing; /* letter spacing in pixels */
	int ink;        /* y is the top of the ink, not of the line, and the height the ink's */
};

struct S_draw {
	cairo_t *cr;
	struct poster_fonts *f;
	const char *family;
};

/* Draws text with its top left at x, y; returns the height it took (0 for ""). */
static int S_text(struct S_draw *d, const char *text, double x, double y, const struct S_style *st)
{
	PangoLayout *layout;
	PangoFontDescription *fd;
	PangoAttrList *attrs;
	int w, h;

	if (!text || !text[0])
		return 0;
	layout = S_gfx.pango_layout_new(d->f->ctx);
	fd = S_gfx.pango_font_description_new();
	S_gfx.pango_font_description_set_family(fd, d->family);
	S_gfx.pango_font_description_set_weight(fd, st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	S_gfx.pango_font_description_set_absolute_size(fd, st->size * PANGO_SCALE);
	S_gfx.pango_layout_set_font_description(layout, fd);
	S_gfx.pango_font_description_free(fd);
	S_gfx.pango_layout_set_single_paragraph_mode(layout, TRUE);
	S_gfx.pango_layout_set_width(layout, st->width * PANGO_SCALE);
	S_gfx.pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
	S_gfx.pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
	S_gfx.pango_layout_set_height(layout, st->max_height > 0 ? st->max_height * PANGO_SCALE : -1);
	if (st->spacing > 0) {
		attrs = S_gfx.pango_attr_list_new();
		S_gfx.pango_attr_list_insert(attrs, S_gfx.pango_attr_letter_spacing_new(
							    (int)(st->spacing * PANGO_SCALE)));
		S_gfx.pango_layout_set_attributes(layout, attrs);
		S_gfx.pango_attr_list_unref(attrs);
	}
	S_gfx.pango_layout_set_text(layout, text, -1);
	S_gfx.pango_layout_get_pixel_size(layout, &w, &h);
	if (st->ink) {
		/* a headline: its glyphs, not the font's tall CJK line box, take the room */
		PangoRectangle ink;
		S_gfx.pango_layout_get_pixel_extents(layout, &ink, NULL);
		y -= ink.y;
		h = ink.height;
	}
	S_gfx.cairo_set_source_rgba(d->cr, st->color.r, st->color.g, st->color.b, st->alpha);
	S_gfx.cairo_move_to(d->cr, x, y);
	S_gfx.pango_cairo_show_layout(d->cr, layout);
	g_object_unref(layout);
	return h;
}

/* --- avatar --------------------------------------------------------------- */

struct S_reader {
	const unsigned char *p;
	size_t left;
};

static cairo_status_t S_read(void *closure, unsigned char *data, unsigned int length)
{
	struct S_reader *r = closure;
	if (length > r->left)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->p, length);
	r->p += length;
	r->left -= length;
	return CAIRO_STATUS_SUCCESS;
}

/* The avatar as a surface, or NULL when it is no PNG, too large or broken. */
static cairo_surface_t *S_avatar(const struct poster *p)
{
	struct img_info info;
	struct S_reader r;
	cairo_surface_t *s;

	if (!p->avatar || img_size(&info, (const unsigned char *)p->avatar, p->avatar_len) ||
	    strcmp(info.format, "png") != 0 || info.width > S_AVATAR_MAX || info.height > S_AVATAR_MAX)
		return NULL;
	r.p = (const unsigned char *)p->avatar;
	r.left = p->avatar_len;
	s = S_gfx.cairo_image_surface_create_from_png_stream(S_read, &r);
	if (S_gfx.cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		S_gfx.cairo_surface_destroy(s);
		return NULL;
	}
	return s;
}

/* Up to two initials of name: "Ada Lovelace" -> "AL", "张三" -> "张". */
static void S_initials(struct buf *out, const char *name)
{
	const char *p = name;
	int words = 0;

	buf_reset(out);
	while (*p && words < 2) {
		gunichar c;
		char u[8];
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		c = g_unichar_toupper(g_utf8_get_char(p));
		buf_put(out, u, (size_t)g_unichar_to_utf8(c, u));
		words++;
		if (c >= 0x2e80) /* a CJK name: its first character says enough */
			break;
		while (*p && *p != ' ')
			p = g_utf8_next_char(p);
	}
}

/* The avatar (or the initials) in a disc of diameter dia at x, y with a ring of ring. */
static void S_disc(struct S_draw *d, const struct poster *p, const char *name, double x, double y, double dia,
		   struct rgb ring, struct rgb fill, struct rgb ink)
{
	cairo_t *cr = d->cr;
	cairo_surface_t *img = S_avatar(p);
	double r = dia / 2;

	S_gfx.cairo_set_source_rgb(cr, ring.r, ring.g, ring.b);
	S_gfx.cairo_arc(cr, x + r, y + r, r + 6, 0, 2 * G_PI);
	S_gfx.cairo_fill(cr);
	S_gfx.cairo_save(cr);
	S_gfx.cairo_arc(cr, x + r, y + r, r, 0, 2 * G_PI);
	S_gfx.cairo_clip(cr);
	if (img) {
		double w = S_gfx.cairo_image_surface_get_width(img),
		       h = S_gfx.cairo_image_surface_get_height(img);
		double k = dia / (w < h ? w : h);
		S_gfx.cairo_translate(cr, x + r - w * k / 2, y + r - h * k / 2);
		S_gfx.cairo_scale(cr, k, k);
		S_gfx.cairo_set_source_surface(cr, img, 0, 0);
		S_gfx.cairo_pattern_set_filter(S_gfx.cairo_get_source(cr), CAIRO_FILTER_GOOD);
		S_gfx.cairo_paint(cr);
		S_gfx.cairo_surface_destroy(img);
	} else {
		struct buf ini = BUF_INIT;
		struct S_style st = { dia * 0.42, 1, (int)dia, 0, ink, 1, 0, 0 };
		PangoLayout *probe;
		int h;
		S_gfx.cairo_set_source_rgb(cr, fill.r, fill.g, fill.b);
		S_gfx.cairo_paint(cr);
		S_initials(&ini, name);
		/* centred: the text's own height decides where its top goes */
		probe = S_gfx.pango_layout_new(d->f->ctx);
		{
			PangoFontDescription *fd = S_gfx.pango_font_description_new();
			S_gfx.pango_font_description_set_family(fd, d->family);
			S_gfx.pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
			S_gfx.pango_font_description_set_absolute_size(fd, st.size * PANGO_SCALE);
			S_gfx.pango_layout_set_font_description(probe, fd);
			S_gfx.pango_font_description_free(fd);
		}
		S_gfx.pango_layout_set_text(probe, buf_cstr(&ini), -1);
		S_gfx.pango_layout_set_width(probe, (int)dia * PANGO_SCALE);
		S_gfx.pango_layout_set_alignment(probe, PANGO_ALIGN_CENTER);
		S_gfx.pango_layout_get_pixel_size(probe, NULL, &h);
		S_gfx.cairo_set_source_rgb(cr, ink.r, ink.g, ink.b);
		S_gfx.cairo_move_to(cr, x, y + r - h / 2.0);
		S_gfx.pango_cairo_show_layout(cr, probe);
		g_object_unref(probe);
		buf_release(&ini);
	}
	S_gfx.cairo_restore(cr);
}

/* --- the two shapes ------------------------------------------------------- */

struct S_texts {
	struct buf kicker, headline, title, subtitle, footer, name;
	struct buf labels[POSTER_STATS], nums[POSTER_STATS];
};

static void S_texts_init(struct S_texts *t, const struct poster *p)
{
	size_t i;
	buf_init(&t->kicker);
	buf_init(&t->headline);
	buf_init(&t->title);
	buf_init(&t->subtitle);
	buf_init(&t->footer);
	buf_init(&t->name);
	S_clean(&t->kicker, p->kicker);
	S_clean(&t->headline, p->headline);
	S_clean(&t->title, p->title);
	S_clean(&t->subtitle, p->subtitle);
	S_clean(&t->footer, p->footer);
	S_clean(&t->name, p->initials);
	for (i = 0; i < POSTER_STATS; i++) {
		buf_init(&t->labels[i]);
		buf_init(&t->nums[i]);
		if (i < p->nstats) {
			S_clean(&t->labels[i], p->stats[i].label);
			S_number(&t->nums[i], p->stats[i].num);
		}
	}
}

static void S_texts_release(struct S_texts *t)
{
	size_t i;
	buf_release(&t->kicker);
	buf_release(&t->headline);
	buf_release(&t->title);
	buf_release(&t->subtitle);
	buf_release(&t->footer);
	buf_release(&t->name);
	for (i = 0; i < POSTER_STATS; i++) {
		buf_release(&t->labels[i]);
		buf_release(&t->nums[i]);
	}
}

static int S_has_disc(const struct poster *p, const struct S_texts *t)
{
	return p->avatar || t->name.len > 0;
}

/*
 * 1080x1350: a deep gradient of the accent, the kicker and the avatar at
 * the top, the title and subtitle, the numbers in a grid of two columns
 * kept to the bottom, the site's name under a short bar.
 */
static void S_tall(struct S_draw *d, const struct poster *p, const struct S_texts *t)
{
	const double W = 1080, H = 1350, M = 88;
	cairo_t *cr = d->cr;
	struct rgb accent = S_rgb(p->accent), white = { 1, 1, 1 }, black = { 0, 0, 0 };
	struct rgb top = S_mix(accent, black, 0.35), bottom = S_mix(accent, black, 0.78);
	struct rgb tint = S_mix(accent, white, 0.78);
	cairo_pattern_t *g = S_gfx.cairo_pattern_create_linear(0, 0, 0, H);
	size_t i, n = p->nstats < POSTER_STATS ? p->nstats : POSTER_STATS;
	size_t rows = (n + 1) / 2;
	double y = M, row_h = rows > 3 ? 140 : 165, grid_top = H - 200 - rows * row_h;
	double num_size = rows > 3 ? 76 : 92;

	S_gfx.cairo_pattern_add_color_stop_rgb(g, 0, top.r, top.g, top.b);
	S_gfx.cairo_pattern_add_color_stop_rgb(g, 1, bottom.r, bottom.g, bottom.b);
	S_gfx.cairo_set_source(cr, g);
	S_gfx.cairo_paint(cr);
	S_gfx.cairo_pattern_destroy(g);
	/* two soft rings in a corner: a shape of the site's colour, not a photo */
	S_gfx.cairo_set_line_width(cr, 56);
	S_gfx.cairo_set_source_rgba(cr, 1, 1, 1, 0.06);
	S_gfx.cairo_arc(cr, W - 40, 120, 250, 0, 2 * G_PI);
	S_gfx.cairo_stroke(cr);
	S_gfx.cairo_set_line_width(cr, 20);
	S_gfx.cairo_set_source_rgba(cr, 1, 1, 1, 0.05);
	S_gfx.cairo_arc(cr, W - 40, 120, 380, 0, 2 * G_PI);
	S_gfx.cairo_stroke(cr);

	{
		struct S_style st = { 30, 1, (int)(W - 2 * M), 0, tint, 1, 2, 0 };
		y += S_text(d, buf_cstr(&t->kicker), M, y, &st) + 40;
	}
	if (S_has_disc(p, t)) {
		/* beside the headline when there is one, else above the title */
		S_disc(d, p, buf_cstr(&t->name), t->headline.len ? W - M - 180 : M, y + 10, 180, white, tint,
		       bottom);
		if (!t->headline.len)
			y += 180 + 48;
	}
	if (t->headline.len) {
		int room = (int)(W - 2 * M) - (S_has_disc(p, t) ? 220 : 0);
		struct S_style st = { 220, 1, room, 0, tint, 1, 0, 1 };
		y += 24 + S_text(d, buf_cstr(&t->headline), M - 6, y + 24, &st) + 40;
	} else {
		y += 40;
	}
	{
		double room = grid_top - 48 - y;
		struct S_style st = { 76, 1, (int)(W - 2 * M), 0, white, 1, 0, 0 };
		struct S_style sub = { 38, 0, (int)(W - 2 * M), 0, white, 0.82, 0, 0 };
		int sub_h = t->subtitle.len ? 2 * 56 : 0;
		st.max_height = (int)(room - sub_h - 24);
		if (st.max_height < 110)
			st.max_height = 110;
		y += S_text(d, buf_cstr(&t->title), M, y, &st) + 24;
		sub.max_height = (int)(grid_top - 48 - y);
		if (sub.max_height >= 50)
			S_text(d, buf_cstr(&t->subtitle), M, y, &sub);
	}
	if (n) {
		S_gfx.cairo_set_source_rgba(cr, 1, 1, 1, 0.22);
		S_gfx.cairo_rectangle(cr, M, grid_top - 2, W - 2 * M, 2);
		S_gfx.cairo_fill(cr);
	}
	for (i = 0; i < n; i++) {
		double cx = M + (double)(i % 2) * (W - 2 * M) / 2,
		       cy = grid_top + 44 + (double)(i / 2) * row_h;
		struct S_style num = { num_size, 1, (int)((W - 2 * M) / 2 - 24), 0, tint, 1, 0, 1 };
		struct S_style lab = { 28, 0, (int)((W - 2 * M) / 2 - 24), 0, white, 0.8, 0, 0 };
		int h = S_text(d, buf_cstr(&t->nums[i]), cx, cy, &num);
		S_text(d, buf_cstr(&t->labels[i]), cx, cy + h + 12, &lab);
	}
	S_gfx.cairo_set_source_rgb(cr, tint.r, tint.g, tint.b);
	S_gfx.cairo_rectangle(cr, M, H - 132, 64, 6);
	S_gfx.cairo_fill(cr);
	{
		struct S_style st = { 34, 1, (int)(W - 2 * M), 0, white, 1, 0, 0 };
		S_text(d, buf_cstr(&t->footer), M, H - 108, &st);
	}
}

/*
 * 1200x630: a light card with a band of the accent on the left, the kicker
 * in the accent, the title large (three lines at most), the subtitle, the
 * avatar on the right when there is one, numbers in a row, the site's name.
 */
static void S_card(struct S_draw *d, const struct poster *p, const struct S_texts *t)
{
	const double W = 1200, H = 630, M = 80;
	cairo_t *cr = d->cr;
	struct rgb accent = S_rgb(p->accent), white = { 1, 1, 1 };
	struct rgb ink = S_rgb(0x1c2430), muted = S_rgb(0x525f70), paper = S_mix(accent, white, 0.95);
	struct rgb deep = S_mix(accent, ink, 0.25);
	size_t i, n = p->nstats < 4 ? p->nstats : 4;
	double y = 72, text_w = W - 2 * M - 24, bottom = H - 150 - (n ? 96 : 0);

	S_gfx.cairo_set_source_rgb(cr, paper.r, paper.g, paper.b);
	S_gfx.cairo_paint(cr);
	S_gfx.cairo_set_source_rgb(cr, accent.r, accent.g, accent.b);
	S_gfx.cairo_rectangle(cr, 0, 0, 24, H);
	S_gfx.cairo_fill(cr);
	S_gfx.cairo_set_source_rgba(cr, accent.r, accent.g, accent.b, 0.08);
	S_gfx.cairo_arc(cr, W - 10, H + 40, 300, 0, 2 * G_PI);
	S_gfx.cairo_fill(cr);
	if (S_has_disc(p, t)) {
		S_disc(d, p, buf_cstr(&t->name), W - M - 170, 72, 170, white, S_mix(accent, white, 0.8),
		       deep);
		text_w -= 170 + 40;
	}
	{
		struct S_style st = { 28, 1, (int)text_w, 0, deep, 1, 1, 0 };
		y += S_text(d, buf_cstr(&t->kicker), M, y, &st) + 20;
	}
	{
		struct S_style st = { 62, 1, (int)text_w, 0, ink, 1, 0, 0 };
		struct S_style sub = { 32, 0, (int)text_w, 0, muted, 1, 0, 0 };
		int sub_h = t->subtitle.len ? 90 : 0;
		st.max_height = (int)(bottom - y - sub_h);
		if (st.max_height < 80)
			st.max_height = 80;
		y += S_text(d, buf_cstr(&t->title), M, y, &st) + 18;
		sub.max_height = (int)(bottom - y);
		if (sub.max_height >= 40)
			S_text(d, buf_cstr(&t->subtitle), M, y, &sub);
	}
	for (i = 0; i < n; i++) {
		double cx = M + (double)i * (W - 2 * M) / (double)n, cy = H - 150 - 92;
		struct S_style num = { 48, 1, (int)((W - 2 * M) / (double)n - 16), 0, deep, 1, 0, 0 };
		struct S_style lab = { 22, 0, (int)((W - 2 * M) / (double)n - 16), 0, muted, 1, 0, 0 };
		int h = S_text(d, buf_cstr(&t->nums[i]), cx, cy, &num);
		S_text(d, buf_cstr(&t->labels[i]), cx, cy + h - 4, &lab);
	}
	S_gfx.cairo_set_source_rgba(cr, ink.r, ink.g, ink.b, 0.12);
	S_gfx.cairo_rectangle(cr, M, H - 118, W - 2 * M, 2);
	S_gfx.cairo_fill(cr);
	{
		struct S_style st = { 30, 1, (int)(W - 2 * M), 0, accent, 1, 0, 0 };
		S_text(d, buf_cstr(&t->footer), M, H - 94, &st);
	}
}

/* One chunk: length, type, data, CRC of type and data. */
static void S_chunk(struct buf *out, const char *type, const unsigned char *data, size_t n)
{
	unsigned char be[4];
	uLong crc = crc32(0, (const Bytef *)type, 4);
	size_t i;

	for (i = 0; i < 4; i++)
		be[i] = (unsigned char)(n >> (24 - 8 * i));
	buf_put(out, be, 4);
	buf_put(out, type, 4);
	buf_put(out, data, n);
	if (n)
		crc = crc32(crc, data, (uInt)n);
	for (i = 0; i < 4; i++)
		be[i] = (unsigned char)(crc >> (24 - 8 * i));
	buf_put(out, be, 4);
}

/*
 * The surface (RGB24) as a PNG of 8-bit RGB: every row filtered by Sub
 * (the backgrounds are flat or change from row to row only, so rows become
 * runs of zeros) and deflated at level 3 (half the time of the default
 * level for files a quarter larger, ~45 KB a card). Written here rather than
 * by cairo's writer, which lets libpng try every filter on every row: four
 * times the time for a file a few percent smaller. No chunk but IHDR,
 * IDAT and IEND: no time, no text. 0 or -1.
 */
static int S_png(struct buf *out, cairo_surface_t *s)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	int w = S_gfx.cairo_image_surface_get_width(s), h = S_gfx.cairo_image_surface_get_height(s);
	int stride = S_gfx.cairo_image_surface_get_stride(s), x, y, zrc = Z_OK, flush;
	const unsigned char *data = S_gfx.cairo_image_surface_get_data(s);
	size_t row = 1 + 3 * (size_t)w, i;
	/* one row at a time into the stream, which gives the bytes the whole image at once would:
	   not the image twice more (raw, and room for deflate's bound), 9 MB a worker at most */
	unsigned char ihdr[13], *raw = xmalloc(row);
	struct buf z = BUF_INIT;
	z_stream zs;
	int rc = -1;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit(&zs, 3) != Z_OK)
		goto done;
	buf_grow(&z, (size_t)64 << 10);
	for (y = 0; y < h && zrc == Z_OK; y++) {
		const uint32_t *px = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
		unsigned char prev[3] = { 0, 0, 0 };
		raw[0] = 1; /* Sub: each byte less the one a pixel before */
		for (x = 0; x < w; x++) {
			unsigned char c[3] = { (unsigned char)(px[x] >> 16), (unsigned char)(px[x] >> 8),
					       (unsigned char)px[x] };
			for (i = 0; i < 3; i++) {
				raw[1 + 3 * (size_t)x + i] = (unsigned char)(c[i] - prev[i]);
				prev[i] = c[i];
			}
		}
		zs.next_in = raw;
		zs.avail_in = (uInt)row;
		flush = y + 1 == h ? Z_FINISH : Z_NO_FLUSH;
		for (;;) {
			if (z.cap - 1 - z.len < 4096)
				buf_grow(&z, z.cap);
			zs.next_out = (Bytef *)z.ptr + z.len;
			zs.avail_out = (uInt)(z.cap - 1 - z.len);
			zrc = deflate(&zs, flush);
			z.len = (size_t)((char *)zs.next_out - z.ptr);
			if (flush == Z_FINISH ? zrc != Z_OK
					      : (zrc != Z_OK && zrc != Z_BUF_ERROR) ||
							(zs.avail_in == 0 && zs.avail_out > 0))
				break;
		}
		if (zrc == Z_BUF_ERROR && flush == Z_NO_FLUSH) /* the row taken, nothing more to give yet */
			zrc = Z_OK;
	}
	deflateEnd(&zs);
	if (zrc != Z_STREAM_END)
		goto done;
	for (i = 0; i < 4; i++) {
		ihdr[i] = (unsigned char)((unsigned)w >> (24 - 8 * i));
		ihdr[4 + i] = (unsigned char)((unsigned)h >> (24 - 8 * i));
	}
	ihdr[8] = 8;  /* bits per sample */
	ihdr[9] = 2;  /* RGB */
	ihdr[10] = 0; /* deflate */
	ihdr[11] = 0; /* adaptive filtering */
	ihdr[12] = 0; /* no interlace */
	buf_put(out, sig, sizeof(sig));
	S_chunk(out, "IHDR", ihdr, sizeof(ihdr));
	S_chunk(out, "IDAT", (const unsigned char *)z.ptr, z.len);
	S_chunk(out, "IEND", NULL, 0);
	rc = 0;
done:
	free(raw);
	buf_release(&z);
	return rc;
}

int poster_png(struct buf *out, struct poster_fonts *f, const struct poster *p)
{
	int w = p->shape == POSTER_CARD ? 1200 : 1080, h = p->shape == POSTER_CARD ? 630 : 1350;
	cairo_surface_t *s;
	cairo_t *cr;
	struct S_texts t;
	struct S_draw d;
	size_t len = out->len;
	int rc = -1;

	if (!f) /* the libraries did not load (poster_fonts_new) */
		return -1;
	s = S_gfx.cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cr = S_gfx.cairo_create(s);
	S_texts_init(&t, p);
	S_gfx.pango_context_set_language(f->ctx, S_gfx.pango_language_from_string(p->lang ? p->lang : "en"));
	S_gfx.pango_cairo_update_context(cr, f->ctx);
	d.cr = cr;
	d.f = f;
	d.family = S_family(p->lang);
	if (p->shape == POSTER_CARD)
		S_card(&d, p, &t);
	else
		S_tall(&d, p, &t);
	S_gfx.cairo_surface_flush(s);
	if (S_gfx.cairo_status(cr) == CAIRO_STATUS_SUCCESS && S_png(out, s) == 0)
		rc = 0;
	else
		out->len = len;
	S_texts_release(&t);
	S_gfx.cairo_destroy(cr);
	S_gfx.cairo_surface_destroy(s);
	return rc;
}

/* One item of a key: its length first, so no two lists of items give the same bytes. */
static void S_key_item(struct buf *out, const char *s, size_t n)
{
	buf_printf(out, "%zu:", n);
	buf_put(out, s, n);
}

void poster_key(struct buf *out, const struct poster *p)
{
	struct S_texts t;
	size_t i;

	S_texts_init(&t, p);
	buf_printf(out, "%s\n%d %06x %zu\n", S_VERSION, (int)p->shape, p->accent & 0xffffffu, p->nstats);
	S_key_item(out, p->lang ? p->lang : "", p->lang ? strlen(p->lang) : 0);
	S_key_item(out, t.kicker.ptr, t.kicker.len);
	S_key_item(out, t.headline.ptr, t.headline.len);
	S_key_item(out, t.title.ptr, t.title.len);
	S_key_item(out, t.subtitle.ptr, t.subtitle.len);
	S_key_item(out, t.footer.ptr, t.footer.len);
	S_key_item(out, t.name.ptr, t.name.len);
	for (i = 0; i < p->nstats && i < POSTER_STATS; i++) {
		S_key_item(out, t.labels[i].ptr, t.labels[i].len);
		S_key_item(out, t.nums[i].ptr, t.nums[i].len);
	}
	buf_putc(out, p->avatar ? 'a' : '-');
	S_key_item(out, p->avatar ? p->avatar : "", p->avatar ? p->avatar_len : 0);
	S_texts_release(&t);
}
