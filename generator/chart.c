/*
 * chart: inline SVG bar charts and their tables (chart.h).
 */
#include "chart.h"

#include <string.h>

#include "escape.h"

/* The drawing, in SVG user units. */
#define W 720
#define H 240
#define LEFT 48
#define RIGHT 8
#define TOP 16
#define BOTTOM 40
#define MAX_SERIES_LOOKS 6

/*
 * Series s is filled with the text colour at this opacity: apart in light
 * and dark alike. Three opacities are as many as the eye tells apart in a
 * legend, so the next three series are striped (S_pattern) at the same
 * opacities: a stripe, not a shade, sets them apart from the first three.
 */
static const char *const S_looks[MAX_SERIES_LOOKS] = { "0.85", "0.5", "0.25", "0.85", "0.5", "0.25" };
#define SOLID_LOOKS 3

/* The stripes' angle of a striped look: each its own, so no two look alike. */
static const char *const S_angles[MAX_SERIES_LOOKS] = { "", "", "", "45", "-45", "90" };

static void S_text(struct buf *out, const char *s)
{
	escape_html(out, s, strlen(s));
}

/* The fill of series s: fill-opacity, or a pattern of the chart's own defs. */
static void S_fill(struct buf *out, const struct chart *c, size_t s)
{
	size_t look = s % MAX_SERIES_LOOKS;
	if (look < SOLID_LOOKS) {
		buf_printf(out, "fill=\"currentColor\" fill-opacity=\"%s\"", S_looks[look]);
		return;
	}
	buf_puts(out, "fill=\"url(#");
	S_text(out, c->id);
	buf_printf(out, "-p%zu)\"", look);
}

/* The stripes of the striped looks the chart uses, in its <defs>. */
static void S_patterns(struct buf *out, const struct chart *c)
{
	size_t look;
	if (c->nseries <= SOLID_LOOKS)
		return;
	buf_puts(out, "<defs>");
	for (look = SOLID_LOOKS; look < MAX_SERIES_LOOKS && look < c->nseries; look++) {
		buf_puts(out, "<pattern id=\"");
		S_text(out, c->id);
		buf_printf(out,
			   "-p%zu\" class=\"chart-s%zu\" width=\"6\" height=\"6\" "
			   "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(%s)\">"
			   "<rect width=\"3.5\" height=\"6\" fill=\"currentColor\" fill-opacity=\"%s\"/>"
			   "</pattern>",
			   look, look, S_angles[look], S_looks[look]);
	}
	buf_puts(out, "</defs>\n");
}

static long long S_val(const struct chart *c, size_t s, size_t i)
{
	long long v = c->values[s * c->n + i];
	return v > 0 ? v : 0;
}

/* A round number at or above m, so the axis reads 1, 2, 5 x 10^k. */
static long long S_axis_max(long long m)
{
	long long step = 1;
	if (m <= 0)
		return 1;
	for (;;) {
		if (m <= step)
			return step;
		if (m <= 2 * step)
			return 2 * step;
		if (m <= 5 * step)
			return 5 * step;
		if (step > (long long)1e17)
			return m;
		step *= 10;
	}
}

static void S_svg(struct buf *out, const struct chart *c)
{
	long long top = 0, ymax;
	size_t i, s, every, longest = 0;
	long long plot_w = W - LEFT - RIGHT, plot_h = H - TOP - BOTTOM;
	long long slot, bar;

	for (i = 0; i < c->n; i++) {
		long long sum = 0;
		for (s = 0; s < c->nseries; s++)
			sum += S_val(c, s, i);
		if (sum > top)
			top = sum;
	}
	ymax = S_axis_max(top);
	/* In tenths of a unit: positions with one decimal, from integers only. */
	slot = c->n ? plot_w * 10 / (long long)c->n : plot_w * 10;
	bar = slot * 7 / 10;
	buf_printf(out,
		   "<svg class=\"chart-svg\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
		   "preserveAspectRatio=\"xMidYMid meet\" aria-labelledby=\"",
		   W, H);
	S_text(out, c->id);
	buf_puts(out, "-t ");
	S_text(out, c->id);
	buf_puts(out, "-d\"><title id=\"");
	S_text(out, c->id);
	buf_puts(out, "-t\">");
	S_text(out, c->title);
	buf_puts(out, "</title><desc id=\"");
	S_text(out, c->id);
	buf_puts(out, "-d\">");
	S_text(out, c->desc);
	buf_puts(out, "</desc>\n");
	S_patterns(out, c);
	/* the axes and the two grid lines: 0, half and the top */
	buf_printf(out,
		   "<g class=\"chart-axis\" fill=\"currentColor\" font-size=\"12\" text-anchor=\"end\">"
		   "<text x=\"%d\" y=\"%d\">0</text><text x=\"%d\" y=\"%lld\">%lld</text>",
		   LEFT - 6, H - BOTTOM + 4, LEFT - 6, (long long)TOP + 4, ymax);
	if (ymax % 2 == 0)
		buf_printf(out, "<text x=\"%d\" y=\"%lld\">%lld</text>", LEFT - 6, TOP + plot_h / 2 + 4,
			   ymax / 2);
	buf_puts(out, "</g>\n");
	buf_printf(out,
		   "<g stroke=\"currentColor\" stroke-opacity=\"0.3\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
		   "y2=\"%d\"/><line x1=\"%d\" y1=\"%lld\" x2=\"%d\" y2=\"%lld\"/></g>\n",
		   LEFT, TOP, W - RIGHT, TOP, LEFT, (long long)TOP + plot_h / 2, W - RIGHT,
		   (long long)TOP + plot_h / 2);
	buf_printf(out, "<line stroke=\"currentColor\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", LEFT,
		   H - BOTTOM, W - RIGHT, H - BOTTOM);
	/* the bars: series s drawn in the text colour, each lighter than the one before */
	for (s = 0; s < c->nseries; s++) {
		buf_printf(out, "<g class=\"chart-s%zu\" ", s % MAX_SERIES_LOOKS);
		S_fill(out, c, s);
		buf_puts(out, ">");
		for (i = 0; i < c->n; i++) {
			long long below = 0, v = S_val(c, s, i), y0, h;
			size_t k;
			for (k = 0; k < s; k++)
				below += S_val(c, k, i);
			if (!v)
				continue;
			/* tenths: the top of this segment and its height */
			h = v * plot_h * 10 / ymax;
			y0 = (long long)(H - BOTTOM) * 10 - (below * plot_h * 10 / ymax) - h;
			buf_printf(out,
				   "<rect x=\"%lld.%lld\" y=\"%lld.%lld\" width=\"%lld.%lld\" "
				   "height=\"%lld.%lld\"/>",
				   (LEFT * 10 + slot * (long long)i + (slot - bar) / 2) / 10,
				   (LEFT * 10 + slot * (long long)i + (slot - bar) / 2) % 10, y0 / 10,
				   y0 % 10, bar / 10, bar % 10, h / 10, h % 10);
		}
		buf_puts(out, "</g>\n");
	}
	/* the labels: as many as fit side by side, evenly (about 7 units a character at this size) */
	for (i = 0; i < c->n; i++)
		if (strlen(c->labels[i]) > longest)
			longest = strlen(c->labels[i]);
	every = slot ? (size_t)(((long long)longest * 7 + 10) * 10 / slot) + 1 : 1;
	buf_puts(out, "<g fill=\"currentColor\" font-size=\"12\" text-anchor=\"middle\">");
	for (i = 0; i < c->n; i += every) {
		long long x = LEFT * 10 + slot * (long long)i + slot / 2;
		buf_printf(out, "<text x=\"%lld.%lld\" y=\"%d\">", x / 10, x % 10, H - BOTTOM + 18);
		S_text(out, c->labels[i]);
		buf_puts(out, "</text>");
	}
	buf_puts(out, "</g>\n</svg>\n");
}

static void S_table(struct buf *out, const struct chart *c)
{
	size_t i, s;
	buf_puts(out, "<details class=\"chart-data\"><summary>");
	S_text(out, c->title);
	buf_puts(out, "</summary>\n<div class=\"table-wrap\"><table>\n<thead><tr><th scope=\"col\">");
	S_text(out, c->xhead);
	buf_puts(out, "</th>");
	for (s = 0; s < c->nseries; s++) {
		buf_puts(out, "<th scope=\"col\" class=\"num\">");
		S_text(out, c->series[s]);
		buf_puts(out, "</th>");
	}
	buf_puts(out, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < c->n; i++) {
		buf_puts(out, "<tr><th scope=\"row\">");
		S_text(out, c->labels[i]);
		buf_puts(out, "</th>");
		for (s = 0; s < c->nseries; s++)
			buf_printf(out, "<td class=\"num\">%lld</td>", c->values[s * c->n + i]);
		buf_puts(out, "</tr>\n");
	}
	buf_puts(out, "</tbody>\n</table></div>\n</details>\n");
}

void chart_bars(struct buf *out, const struct chart *c)
{
	size_t s;
	/* the drawing scrolls sideways in its box rather than shrink past legibility on a phone */
	buf_puts(out, "<figure class=\"chart\">\n<div class=\"chart-box\" tabindex=\"0\" role=\"group\" "
		      "aria-labelledby=\"");
	S_text(out, c->id);
	buf_puts(out, "-t\">");
	S_svg(out, c);
	buf_puts(out, "</div>\n");
	if (c->nseries > 1) {
		/* the legend: the series' names beside a swatch of their look */
		buf_puts(out, "<ul class=\"chart-legend\">");
		for (s = 0; s < c->nseries; s++) {
			buf_printf(out,
				   "<li><svg class=\"chart-s%zu\" aria-hidden=\"true\" width=\"12\" "
				   "height=\"12\"><rect width=\"12\" height=\"12\" ",
				   s % MAX_SERIES_LOOKS);
			S_fill(out, c, s);
			buf_puts(out, "/></svg> ");
			S_text(out, c->series[s]);
			buf_puts(out, "</li>");
		}
		buf_puts(out, "</ul>\n");
	}
	S_table(out, c);
	buf_puts(out, "</figure>\n");
}
