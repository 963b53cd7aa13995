/*
 * imgsize: image sizes from headers. Each format has one reader that gets
 * the whole byte range and checks every offset against it before reading;
 * the binary formats put the size at a fixed place (PNG, GIF, WebP) or
 * after a walk over length-prefixed segments (JPEG), and SVG is text whose
 * root start tag is scanned by hand, with no general XML parser. Numbers
 * are read by this file's own parsers: strtod wants a NUL and follows the
 * locale.
 */
#include "imgsize.h"

#include <string.h>

/* SVG: how far to look for the root element, and where to stop reading. */
#define SVG_SCAN_MAX 65536

static unsigned S_be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned long S_be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static unsigned S_le16(const unsigned char *p)
{
	return (unsigned)p[1] << 8 | p[0];
}

static unsigned long S_le24(const unsigned char *p)
{
	return (unsigned long)p[2] << 16 | (unsigned long)p[1] << 8 | p[0];
}

static unsigned long S_le32(const unsigned char *p)
{
	return (unsigned long)p[3] << 24 | S_le24(p);
}

/* The one place a size is accepted: both sides 1..IMG_MAX_SIDE. */
static int S_done(struct img_info *out, unsigned long w, unsigned long h, const char *format)
{
	if (w < 1 || h < 1 || w > IMG_MAX_SIDE || h > IMG_MAX_SIDE)
		return -1;
	out->width = (int)w;
	out->height = (int)h;
	out->format = format;
	return 0;
}

/*
 * PNG: the signature, then IHDR, which must be the first chunk: length 13,
 * width and height big-endian. The whole chunk with its CRC (33 bytes from
 * the start) must be there, or the header is cut short; the CRC itself is
 * not checked.
 */
static int S_png(struct img_info *out, const unsigned char *d, size_t len)
{
	if (len < 33 || S_be32(d + 8) != 13 || memcmp(d + 12, "IHDR", 4) != 0)
		return -1;
	return S_done(out, S_be32(d + 16), S_be32(d + 20), "png");
}

/* GIF: the logical screen descriptor (7 bytes after the 6 of the magic). */
static int S_gif(struct img_info *out, const unsigned char *d, size_t len)
{
	if (len < 13)
		return -1;
	return S_done(out, S_le16(d + 6), S_le16(d + 8), "gif");
}

/*
 * The Exif orientation (1..8) in a TIFF structure of n bytes: the byte
 * order, the magic 42, IFD0's offset, then IFD0's 12-byte entries; tag
 * 0x0112 is a SHORT with count 1, its value in the entry's last 4 bytes.
 * Anything malformed means 1: a browser shows such a file as it is stored.
 */
static int S_exif_orientation(const unsigned char *t, size_t n)
{
	unsigned (*u16)(const unsigned char *);
	unsigned long (*u32)(const unsigned char *);
	unsigned long ifd, count, i;

	if (n < 8)
		return 1;
	if (memcmp(t, "II", 2) == 0)
		u16 = S_le16, u32 = S_le32;
	else if (memcmp(t, "MM", 2) == 0)
		u16 = S_be16, u32 = S_be32;
	else
		return 1;
	if (u16(t + 2) != 42)
		return 1;
	ifd = u32(t + 4);
	if (ifd > n - 2)
		return 1;
	count = u16(t + ifd);
	for (i = 0; i < count && (n - ifd - 2) / 12 > i; i++) {
		const unsigned char *e = t + ifd + 2 + 12 * i;
		if (u16(e) == 0x0112 && u16(e + 2) == 3 && u32(e + 4) == 1) {
			unsigned v = u16(e + 8);
			return v >= 1 && v <= 8 ? (int)v : 1;
		}
	}
	return 1;
}

/* SOFn markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) do not. */
static int S_jpeg_is_sof(unsigned m)
{
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/*
 * JPEG: walks the marker segments after SOI up to the first SOFn, whose
 * payload is precision, height, width (big-endian). An APP1 "Exif\0\0" on
 * the way gives the orientation; the first one counts. Each segment must be
 * whole within len. SOS or EOI before any SOFn, a byte that is no marker, or
 * a second SOI means there is no size to read.
 */
static int S_jpeg(struct img_info *out, const unsigned char *d, size_t len)
{
	size_t pos = 2, seg, n;
	int orientation = 0;

	for (;;) {
		unsigned m;
		if (pos >= len || d[pos] != 0xFF)
			return -1;
		/* Any number of 0xFF may pad before a marker. */
		while (pos < len && d[pos] == 0xFF)
			pos++;
		if (pos >= len)
			return -1;
		m = d[pos++];
		if ((m >= 0xD0 && m <= 0xD7) || m == 0x01)
			continue; /* RSTn and TEM stand alone: no length */
		if (m == 0x00 || m == 0xD8 || m == 0xD9 || m == 0xDA)
			return -1;
		if (len - pos < 2)
			return -1;
		/* The length counts its own two bytes. */
		n = S_be16(d + pos);
		if (n < 2 || n > len - pos)
			return -1;
		seg = pos + 2;
		n -= 2;
		if (S_jpeg_is_sof(m)) {
			unsigned long h, w;
			if (n < 6)
				return -1;
			h = S_be16(d + seg + 1);
			w = S_be16(d + seg + 3);
			if (orientation >= 5)
				return S_done(out, h, w, "jpeg");
			return S_done(out, w, h, "jpeg");
		}
		if (m == 0xE1 && !orientation && n >= 6 && memcmp(d + seg, "Exif\0\0", 6) == 0)
			orientation = S_exif_orientation(d + seg + 6, n - 6);
		pos = seg + n;
	}
}

/*
 * WebP: a RIFF container whose first chunk is one of three. "VP8 " (lossy):
 * a 3-byte frame tag (bit 0 clear on a key frame), the start code 9d 01 2a,
 * then 14-bit width and height (the top 2 bits are a scale hint browsers
 * ignore). "VP8L" (lossless): the byte 0x2f, then 32 bits holding width-1
 * and height-1 in 14 bits each, an alpha bit and a 3-bit version that must
 * be 0. "VP8X" (extended): flags, 3 reserved bytes, then the canvas
 * width-1 and height-1 in 24 bits each.
 */
static int S_webp(struct img_info *out, const unsigned char *d, size_t len)
{
	const unsigned char *c;
	unsigned long size, bits;

	if (len < 20)
		return -1;
	c = d + 20; /* the first chunk's payload */
	size = S_le32(d + 16);
	if (memcmp(d + 12, "VP8 ", 4) == 0) {
		if (len < 30 || size < 10 || (c[0] & 1) || memcmp(c + 3, "\x9d\x01\x2a", 3) != 0)
			return -1;
		return S_done(out, S_le16(c + 6) & 0x3FFF, S_le16(c + 8) & 0x3FFF, "webp");
	}
	if (memcmp(d + 12, "VP8L", 4) == 0) {
		if (len < 25 || size < 5 || c[0] != 0x2F)
			return -1;
		bits = S_le32(c + 1);
		if (bits >> 29 != 0)
			return -1;
		return S_done(out, (bits & 0x3FFF) + 1, (bits >> 14 & 0x3FFF) + 1, "webp");
	}
	if (memcmp(d + 12, "VP8X", 4) == 0) {
		if (len < 30 || size < 10)
			return -1;
		return S_done(out, S_le24(c + 4) + 1, S_le24(c + 7) + 1, "webp");
	}
	return -1;
}

/* SVG: the text scanner, over [p, end). */

static int S_xml_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int S_starts(const unsigned char *p, const unsigned char *end, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(end - p) >= n && memcmp(p, s, n) == 0;
}

/* Just past the first occurrence of s at or after p, or NULL. */
static const unsigned char *S_past(const unsigned char *p, const unsigned char *end, const char *s)
{
	for (; p < end; p++)
		if (S_starts(p, end, s))
			return p + strlen(s);
	return NULL;
}

/*
 * Just past a doctype's closing '>'. Its internal subset ([...]) and quoted
 * strings may hold a '>' of their own, so those are stepped over.
 */
static const unsigned char *S_past_doctype(const unsigned char *p, const unsigned char *end)
{
	int subset = 0;
	while (p < end) {
		unsigned char c = *p++;
		if (c == '"' || c == '\'') {
			while (p < end && *p != c)
				p++;
			if (p == end)
				return NULL;
			p++;
		} else if (c == '<' && S_starts(p, end, "!--")) {
			p = S_past(p + 3, end, "-->");
			if (!p)
				return NULL;
		} else if (c == '[') {
			subset = 1;
		} else if (c == ']') {
			subset = 0;
		} else if (c == '>' && !subset) {
			return p;
		}
	}
	return NULL;
}

/*
 * Just past "<svg" when the root element is an <svg>: a BOM, white space,
 * the XML declaration and other processing instructions, comments and a
 * doctype may come first; anything else (text, another element) means this
 * is no SVG, and NULL.
 */
static const unsigned char *S_svg_root(const unsigned char *p, const unsigned char *end)
{
	if (S_starts(p, end, "\xEF\xBB\xBF"))
		p += 3;
	while (p && p < end) {
		if (S_xml_space(*p))
			p++;
		else if (S_starts(p, end, "<?"))
			p = S_past(p + 2, end, "?>");
		else if (S_starts(p, end, "<!--"))
			p = S_past(p + 4, end, "-->");
		else if (S_starts(p, end, "<!DOCTYPE"))
			p = S_past_doctype(p + 9, end);
		else if (S_starts(p, end, "<svg") && end - p > 4 &&
			 (S_xml_space(p[4]) || p[4] == '>' || p[4] == '/'))
			return p + 4;
		else
			return NULL;
	}
	return NULL;
}

/*
 * A CSS number ([+-] digits [. digits] [e [+-] digits], or starting with
 * '.') at *pp, its value in *v; *pp moves past it. Returns -1 when none is
 * there. Overflow gives infinity, which no size accepts.
 */
static int S_number(const unsigned char **pp, const unsigned char *end, double *v)
{
	const unsigned char *p = *pp;
	double x = 0, scale = 1;
	int neg = 0, digits = 0, exp = 0, eneg = 0;

	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	for (; p < end && *p >= '0' && *p <= '9'; p++, digits++)
		x = x * 10 + (*p - '0');
	if (p + 1 < end && *p == '.' && p[1] >= '0' && p[1] <= '9')
		for (p++; p < end && *p >= '0' && *p <= '9'; p++, digits++)
			x += (*p - '0') * (scale /= 10);
	if (!digits)
		return -1;
	if (p + 1 < end && (*p == 'e' || *p == 'E')) {
		const unsigned char *q = p + 1;
		if (q < end && (*q == '+' || *q == '-'))
			eneg = *q++ == '-';
		if (q < end && *q >= '0' && *q <= '9') {
			/* Past 400 the double is 0 or infinity anyway. */
			for (p = q; p < end && *p >= '0' && *p <= '9'; p++)
				if (exp < 400)
					exp = exp * 10 + (*p - '0');
			for (; exp > 0; exp--)
				x = eneg ? x / 10 : x * 10;
		}
	}
	*v = neg ? -x : x;
	*pp = p;
	return 0;
}

static const unsigned char *S_skip_space(const unsigned char *p, const unsigned char *end)
{
	while (p < end && S_xml_space(*p))
		p++;
	return p;
}

/*
 * A width or height attribute's value in CSS pixels when it is a number of
 * 0 or more, bare or in an absolute unit (px, in, cm, mm, pt, pc; any case;
 * 1in = 96px as CSS has it), with white space around allowed; -1 for
 * anything else (%, em, a negative length, which SVG ignores, or no length
 * at all): the caller falls back to the viewBox.
 */
static double S_svg_length(const unsigned char *p, const unsigned char *end)
{
	static const struct {
		char unit[3];
		double px;
	} units[] = { { "px", 1 },         { "in", 96 },        { "cm", 96 / 2.54 },
		      { "mm", 96 / 25.4 }, { "pt", 96 / 72.0 }, { "pc", 16 } };
	double v, scale = 1;
	size_t i;
	p = S_skip_space(p, end);
	if (S_number(&p, end, &v) < 0 || v < 0)
		return -1;
	for (i = 0; end - p >= 2 && i < sizeof(units) / sizeof(units[0]); i++)
		if ((p[0] | 0x20) == units[i].unit[0] && (p[1] | 0x20) == units[i].unit[1]) {
			scale = units[i].px;
			p += 2;
			break;
		}
	return S_skip_space(p, end) == end ? v * scale : -1;
}

/*
 * A viewBox value: four numbers, separated by white space and/or one comma.
 * Its width and height (the last two) in vb[0], vb[1], both positive, or -1.
 */
static int S_svg_viewbox(double vb[2], const unsigned char *p, const unsigned char *end)
{
	double v[4];
	int i;
	p = S_skip_space(p, end);
	for (i = 0; i < 4; i++) {
		if (i > 0) {
			const unsigned char *before = p;
			p = S_skip_space(p, end);
			if (p < end && *p == ',')
				p = S_skip_space(p + 1, end);
			if (p == before)
				return -1;
		}
		if (S_number(&p, end, &v[i]) < 0)
			return -1;
	}
	if (S_skip_space(p, end) != end || !(v[2] > 0) || !(v[3] > 0))
		return -1;
	vb[0] = v[2];
	vb[1] = v[3];
	return 0;
}

/* What the root start tag says about the size. */
struct svg_attrs {
	double width, height; /* in px; -1 when absent or not usable */
	double vb[2];         /* the viewBox's width and height, when has_vb */
	int has_vb;
};

/*
 * One attribute at *pp (past the white space before it): its name, then
 * '=' and a quoted value, stored in *a when it is one of the three; *seen
 * has a bit for each of those read so far. Returns 0, or -1 on a malformed
 * attribute or a duplicate one (XML forbids both: a browser shows nothing).
 */
static int S_svg_attr(struct svg_attrs *a, int *seen, const unsigned char **pp, const unsigned char *end)
{
	const unsigned char *p = *pp, *name = p, *val;
	size_t nlen;
	unsigned char q;
	int bit = 0;

	while (p < end && !S_xml_space(*p) && *p != '=' && *p != '>' && *p != '/')
		p++;
	nlen = (size_t)(p - name);
	p = S_skip_space(p, end);
	if (!nlen || p >= end || *p != '=')
		return -1;
	p = S_skip_space(p + 1, end);
	if (p >= end || (*p != '"' && *p != '\''))
		return -1;
	q = *p++;
	val = p;
	while (p < end && *p != q)
		p++;
	if (p == end)
		return -1;
	if (nlen == 5 && memcmp(name, "width", 5) == 0) {
		bit = 1;
		a->width = S_svg_length(val, p);
	} else if (nlen == 6 && memcmp(name, "height", 6) == 0) {
		bit = 2;
		a->height = S_svg_length(val, p);
	} else if (nlen == 7 && memcmp(name, "viewBox", 7) == 0) {
		bit = 4;
		a->has_vb = S_svg_viewbox(a->vb, val, p) == 0;
	}
	if (*seen & bit)
		return -1;
	*seen |= bit;
	*pp = p + 1;
	return 0;
}

/*
 * Reads the root start tag's attributes from p (just past "<svg") to its
 * '>'. Returns -1 when the tag is malformed or does not end in the bytes.
 */
static int S_svg_attrs(struct svg_attrs *a, const unsigned char *p, const unsigned char *end)
{
	int seen = 0;
	a->width = a->height = -1;
	a->vb[0] = a->vb[1] = 0;
	a->has_vb = 0;
	for (;;) {
		const unsigned char *before = p;
		p = S_skip_space(p, end);
		if (p >= end)
			return -1;
		if (*p == '>' || S_starts(p, end, "/>"))
			return 0;
		/* Attributes are separated by white space. */
		if (p == before)
			return -1;
		if (S_svg_attr(a, &seen, &p, end) < 0)
			return -1;
	}
}

/* Rounds a positive size to the nearest integer, or 0 when out of range. */
static unsigned long S_round(double v)
{
	return v >= 0.5 && v < IMG_MAX_SIDE + 0.5 ? (unsigned long)(v + 0.5) : 0;
}

/*
 * SVG: width and height when both are usable; one of them and the
 * viewBox's aspect ratio for the other; else the viewBox's own size. A
 * width or height of 0 hides the image: no size, rather than the viewBox's.
 */
static int S_svg(struct img_info *out, const unsigned char *d, size_t len)
{
	const unsigned char *end = d + (len < SVG_SCAN_MAX ? len : SVG_SCAN_MAX), *p;
	struct svg_attrs a;
	double w, h;

	p = S_svg_root(d, end);
	if (!p || S_svg_attrs(&a, p, end) < 0)
		return -1;
	w = a.width;
	h = a.height;
	if (w == 0 || h == 0)
		return -1;
	if (!(w > 0 && h > 0)) {
		if (!a.has_vb)
			return -1;
		if (w > 0)
			h = w * a.vb[1] / a.vb[0];
		else if (h > 0)
			w = h * a.vb[0] / a.vb[1];
		else
			w = a.vb[0], h = a.vb[1];
	}
	return S_done(out, S_round(w), S_round(h), "svg");
}

int img_size(struct img_info *out, const unsigned char *data, size_t len)
{
	struct img_info info;
	int r;

	if (len == 0) /* data may then be NULL, and no offset may be added to it */
		return -1;
	if (len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
		r = S_png(&info, data, len);
	else if (len >= 6 && (memcmp(data, "GIF87a", 6) == 0 || memcmp(data, "GIF89a", 6) == 0))
		r = S_gif(&info, data, len);
	else if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
		r = S_jpeg(&info, data, len);
	else if (len >= 12 && memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WEBP", 4) == 0)
		r = S_webp(&info, data, len);
	else
		r = S_svg(&info, data, len);
	if (r == 0)
		*out = info;
	return r;
}

int img_is_image_name(const char *name)
{
	static const char *const exts[] = { "png", "jpg", "jpeg", "gif", "webp", "svg" };
	const char *base = strrchr(name, '/'), *dot;
	size_t i, k, n;

	base = base ? base + 1 : name;
	dot = strrchr(base, '.');
	if (!dot || dot == base)
		return 0;
	dot++;
	n = strlen(dot);
	for (i = 0; i < sizeof exts / sizeof *exts; i++) {
		if (strlen(exts[i]) != n)
			continue;
		for (k = 0; k < n && (dot[k] | 0x20) == exts[i][k]; k++)
			;
		if (k == n)
			return 1;
	}
	return 0;
}
