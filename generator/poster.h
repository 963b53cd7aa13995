/*
 * poster: pictures people share, drawn as PNG with cairo and pango (WeChat
 * and most social networks show no SVG): a tall poster (a year in review)
 * or a 1200x630 card (a page's og:image). One generic description, struct
 * poster: a kicker line, a title, a subtitle, an avatar or initials in a
 * disc, up to POSTER_STATS numbers with their labels, the site's name, the
 * colour it is drawn in. The same description gives the same bytes, on any
 * thread and at any -j: no clock, fixed font options, one font map per
 * thread (struct poster_fonts). What each poster holds is cards.c's.
 */
#ifndef JIXIA_POSTER_H
#define JIXIA_POSTER_H

#include <stddef.h>

#include "util.h"

#define POSTER_STATS 8
/* Bytes of one text drawn at most (cut at a character): an untrusted
 * title of any length costs a bounded layout. */
#define POSTER_TEXT_MAX 600

/* The shapes: 1080x1350 (4:5, a phone's screen), 1200x630 (Open Graph). */
enum poster_shape { POSTER_TALL, POSTER_CARD };

struct poster_stat {
	const char *label;
	long long num;
};

struct poster {
	enum poster_shape shape;
	const char *lang;     /* the text's language ("zh-cn", "en"): CJK glyph forms and line breaking */
	const char *kicker;   /* the small line above the title (a type and date), or NULL */
	const char *headline; /* a few characters drawn huge above the title (a year), or NULL */
	const char *title;    /* wrapped, and cut with an ellipsis past its lines */
	const char *subtitle; /* or NULL */
	const char *avatar;   /* a PNG's bytes (borrowed), or NULL; anything but a PNG draws the initials */
	size_t avatar_len;
	const char *initials; /* a name whose initials fill a disc when there is no PNG avatar, or NULL */
	struct poster_stat stats[POSTER_STATS]; /* numbers drawn big, each with its label */
	size_t nstats;
	const char *footer; /* the site's name, at the bottom */
	unsigned accent;    /* the colour, 0xRRGGBB (the theme's --accent) */
};

/* The fonts of one thread (pango's font map and context); not shared. */
struct poster_fonts;

struct poster_fonts *poster_fonts_new(void);
/* Frees f once pango's own threads are done with its fonts (poster.c). */
void poster_fonts_free(struct poster_fonts *f);

/*
 * Draws p as a PNG appended to out, with f's fonts. Returns 0, or -1 when
 * cairo fails (out is then as it was).
 */
int poster_png(struct buf *out, struct poster_fonts *f, const struct poster *p);

/*
 * Everything poster_png draws from p (texts as cut, numbers, avatar bytes,
 * shape, colour, the drawing's version) appended to out: equal keys draw
 * equal bytes, for the cache of cards (incr.h).
 */
void poster_key(struct buf *out, const struct poster *p);

/*
 * At exit, in a build for a leak checker only: the caches cairo and
 * fontconfig keep for the process, freed. Nothing in a normal run.
 */
void poster_cleanup(void);

#endif
