/*
 * test_imgsize: image sizes from hand-made headers of each format. Every
 * sample is also read at each shorter length, from a heap copy of exactly
 * that many bytes (so a sanitizer build sees any read past the end), and
 * its shortest readable prefix must be the whole sample: a header cut
 * anywhere gives -1, never a size read from the bytes after it.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "imgsize.h"

/* The result of img_size() on an exact-size copy of data. */
static int S_read(struct img_info *out, const void *data, size_t len)
{
	unsigned char *copy = malloc(len ? len : 1);
	int r;
	if (!copy)
		abort();
	memcpy(copy, data, len);
	r = img_size(out, copy, len);
	free(copy);
	return r;
}

/* The length of data's shortest prefix that img_size() reads. */
static size_t S_shortest(const void *data, size_t len)
{
	struct img_info info;
	size_t n;
	for (n = 0; n < len; n++)
		if (S_read(&info, data, n) == 0)
			break;
	return n;
}

/*
 * A sample that must read as w x h of format, and as nothing when cut
 * short of its first need bytes (the header; the rest is not read).
 */
#define CHECK_IMG_NEED(data, len, need, w, h, fmt)            \
	do {                                                  \
		struct img_info i_ = { -7, -7, "unset" };     \
		CHECK_INT(S_read(&i_, (data), (len)), 0);     \
		CHECK_INT(i_.width, (w));                     \
		CHECK_INT(i_.height, (h));                    \
		CHECK_STR(i_.format, (fmt));                  \
		CHECK_INT(S_shortest((data), (len)), (need)); \
	} while (0)

/* A sample that is all header. */
#define CHECK_IMG(data, len, w, h, fmt) CHECK_IMG_NEED((data), (len), (len), (w), (h), (fmt))

/* A sample that must not read, leaving *out as it was. */
#define CHECK_NO_IMG(data, len)                                                              \
	do {                                                                                 \
		struct img_info i_ = { -7, -7, "unset" };                                    \
		CHECK_INT(S_read(&i_, (data), (len)), -1);                                   \
		CHECK(i_.width == -7 && i_.height == -7 && strcmp(i_.format, "unset") == 0); \
	} while (0)

#define CHECK_SVG(text, w, h) CHECK_IMG((text), strlen(text), (w), (h), "svg")
/* An SVG whose root start tag ends at its first '>'. */
#define CHECK_SVG_BODY(text, w, h) \
	CHECK_IMG_NEED((text), strlen(text), (size_t)(strchr((text), '>') - (text)) + 1, (w), (h), "svg")
#define CHECK_NO_SVG(text) CHECK_NO_IMG((text), strlen(text))

/* A signature, IHDR (500 x 300, 8-bit RGBA) and its CRC: 33 bytes. */
static const unsigned char png[] = {
	0x89, 'P',  'N',  'G',  '\r', '\n', 0x1A, '\n', 0x00, 0x00, 0x00, 0x0D, 'I',  'H',  'D',  'R',  0x00,
	0x00, 0x01, 0xF4, 0x00, 0x00, 0x01, 0x2C, 0x08, 0x06, 0x00, 0x00, 0x00, 0x35, 0xBB, 0x41, 0xC8,
};

static void test_png(void)
{
	unsigned char b[sizeof png];

	CHECK_INT(sizeof png, 33);
	CHECK_IMG(png, sizeof png, 500, 300, "png");
	/* the bytes after the header are not needed, nor read */
	{
		unsigned char more[sizeof png + 4] = { 0 };
		memcpy(more, png, sizeof png);
		CHECK_IMG_NEED(more, sizeof more, sizeof png, 500, 300, "png");
	}
	/* a side of 0, a side over 65535, the largest side */
	memcpy(b, png, sizeof b);
	b[19] = 0, b[18] = 0;
	CHECK_NO_IMG(b, sizeof b);
	memcpy(b, png, sizeof b);
	b[21] = 0x01; /* height 65536 + 300 */
	CHECK_NO_IMG(b, sizeof b);
	memcpy(b, png, sizeof b);
	b[16] = 0x80; /* width 2^31 + 500 */
	CHECK_NO_IMG(b, sizeof b);
	memcpy(b, png, sizeof b);
	b[18] = 0xFF, b[19] = 0xFF;
	CHECK_IMG(b, sizeof b, 65535, 300, "png");
	/* IHDR must come first, with length 13 */
	memcpy(b, png, sizeof b);
	memcpy(b + 12, "IDAT", 4);
	CHECK_NO_IMG(b, sizeof b);
	memcpy(b, png, sizeof b);
	b[11] = 0x0E;
	CHECK_NO_IMG(b, sizeof b);
	/* a signature damaged by a text-mode transfer is no PNG */
	memcpy(b, png, sizeof b);
	b[4] = '\n';
	CHECK_NO_IMG(b, sizeof b);
}

static void test_gif(void)
{
	static const unsigned char gif89[] = {
		'G', 'I', 'F', '8', '9', 'a', 0x80, 0x02, 0xE0, 0x01, 0xF7, 0x00, 0x00,
	};
	static const unsigned char gif87[] = {
		'G', 'I', 'F', '8', '7', 'a', 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, ',',
	};
	unsigned char b[sizeof gif89];

	CHECK_IMG(gif89, sizeof gif89, 640, 480, "gif");
	CHECK_INT(S_shortest(gif87, sizeof gif87), 13);
	{
		struct img_info info;
		CHECK_INT(S_read(&info, gif87, sizeof gif87), 0);
		CHECK_INT(info.width, 1);
		CHECK_INT(info.height, 256);
	}
	memcpy(b, gif89, sizeof b);
	b[8] = 0, b[9] = 0;
	CHECK_NO_IMG(b, sizeof b);
	memcpy(b, gif89, sizeof b);
	b[4] = '8'; /* "GIF88a" */
	CHECK_NO_IMG(b, sizeof b);
}

/* SOF0: 8-bit, height 200, width 300, three components. */
#define SOF0_200x300                                                                                    \
	0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0xC8, 0x01, 0x2C, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, \
		0x03, 0x11, 0x01

#define SOI 0xFF, 0xD8

/* APP0 JFIF 1.01, 1:1 density, no thumbnail. */
#define APP0_JFIF \
	0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00

static void test_jpeg_plain(void)
{
	static const unsigned char jfif[] = { SOI, APP0_JFIF, SOF0_200x300 };
	static const unsigned char bare[] = { SOI, SOF0_200x300 };
	/* the scan after the frame header is not needed, nor read */
	static const unsigned char scan[] = { SOI,  SOF0_200x300, 0xFF, 0xDA, 0x00, 0x0C, 0x03,
					      0x01, 0x00,         0x02, 0x11, 0x03, 0x11, 0x00,
					      0x3F, 0x00,         0xAB, 0xFF, 0xD9 };
	/* fill bytes, TEM and RST0 stand alone before the frame */
	static const unsigned char fill[] = { SOI,  0xFF, 0xFF, 0xFF, 0x01,
					      0xFF, 0xD0, 0xFF, 0xFF, SOF0_200x300 };
	/* a comment holding what looks like a 1x1 SOF0 is skipped by its length */
	static const unsigned char decoy[] = { SOI,  0xFF, 0xFE, 0x00, 0x0D, 0xFF, 0xC0, 0x00,        0x0B,
					       0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, SOF0_200x300 };
	unsigned char b[sizeof jfif];

	CHECK_IMG(jfif, sizeof jfif, 300, 200, "jpeg");
	CHECK_IMG(bare, sizeof bare, 300, 200, "jpeg");
	CHECK_IMG_NEED(scan, sizeof scan, sizeof bare, 300, 200, "jpeg");
	CHECK_IMG(fill, sizeof fill, 300, 200, "jpeg");
	CHECK_IMG(decoy, sizeof decoy, 300, 200, "jpeg");

	/* truncated in the middle of APP0 / of SOF0, by its declared length too */
	CHECK_NO_IMG(jfif, 12);
	CHECK_NO_IMG(jfif, sizeof jfif - 1);
	memcpy(b, jfif, sizeof b);
	b[5] = 0x30; /* APP0 claims 48 bytes */
	CHECK_NO_IMG(b, sizeof b);
	/* a length below 2, a height of 0 (left to a DNL marker) */
	memcpy(b, jfif, sizeof b);
	b[5] = 0x01;
	CHECK_NO_IMG(b, sizeof b);
	memcpy(b, jfif, sizeof b);
	b[25] = 0x00, b[26] = 0x00;
	CHECK_NO_IMG(b, sizeof b);
	/* a byte where a marker should be */
	memcpy(b, jfif, sizeof b);
	b[20] = 0x00;
	CHECK_NO_IMG(b, sizeof b);
}

static void test_jpeg_markers(void)
{
	/* DHT (C4), DAC (CC) and JPG (C8) carry no size; SOF2 does */
	static const unsigned char dht[] = {
		SOI,  0xFF, 0xC4, 0x00, 0x1F, 0x00, 0x00, 0x01, 0x05, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
		0x08, 0x09, 0x0A, 0x0B, 0xFF, 0xCC, 0x00, 0x04, 0x00, 0x01, 0xFF, 0xC8, 0x00, 0x02, 0xFF,
		0xC2, 0x00, 0x0B, 0x08, 0x04, 0x38, 0x07, 0x80, 0x01, 0x01, 0x11, 0x00,
	};
	/* SOF3 (lossless), SOF9, SOF15: the last of each range */
	static const unsigned char sof[] = { 0xC3, 0xC5, 0xC7, 0xC9, 0xCB, 0xCD, 0xCF };
	static const unsigned char sos[] = { SOI, APP0_JFIF, 0xFF, 0xDA, 0x00, 0x02, SOF0_200x300 };
	static const unsigned char eoi[] = { SOI, 0xFF, 0xD9, SOF0_200x300 };
	static const unsigned char soi[] = { SOI, SOI, SOF0_200x300 };
	unsigned char b[2 + 19];
	size_t i;

	CHECK_IMG(dht, sizeof dht, 1920, 1080, "jpeg");
	for (i = 0; i < sizeof sof; i++) {
		static const unsigned char bare[] = { SOI, SOF0_200x300 };
		memcpy(b, bare, sizeof b);
		b[3] = sof[i];
		CHECK_IMG(b, sizeof b, 300, 200, "jpeg");
	}
	CHECK_NO_IMG(sos, sizeof sos);
	CHECK_NO_IMG(eoi, sizeof eoi);
	CHECK_NO_IMG(soi, sizeof soi);
	/* a SOF0 too short to hold the sides */
	{
		static const unsigned char short_sof[] = { SOI,  0xFF, 0xC0, 0x00, 0x07,
							   0x08, 0x00, 0xC8, 0x01, 0x2C };
		CHECK_NO_IMG(short_sof, sizeof short_sof);
	}
}

/* APP1 Exif whose IFD0 holds Make ("Foo") and then the orientation ii. */
#define APP1_EXIF_II(ii)                                                                                     \
	0xFF, 0xE1, 0x00, 0x2E, 'E', 'x', 'i', 'f', 0x00, 0x00, 'I', 'I', 0x2A, 0x00, 0x08, 0x00, 0x00,      \
		0x00, 0x02, 0x00, 0x0F, 0x01, 0x02, 0x00, 0x04, 0x00, 0x00, 0x00, 'F', 'o', 'o', 0x00, 0x12, \
		0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, (ii), 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00

/* The same, big-endian, with the orientation the only entry. */
#define APP1_EXIF_MM(mm)                                                                                  \
	0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0x00, 0x00, 'M', 'M', 0x00, 0x2A, 0x00, 0x00, 0x00,   \
		0x08, 0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, (mm), 0x00, 0x00, \
		0x00, 0x00, 0x00, 0x00

static void test_jpeg_exif(void)
{
	static const unsigned char ii6[] = { SOI, APP1_EXIF_II(6), SOF0_200x300 };
	static const unsigned char mm6[] = { SOI, APP1_EXIF_MM(6), SOF0_200x300 };
	static const unsigned char after_jfif[] = { SOI, APP0_JFIF, APP1_EXIF_MM(8), SOF0_200x300 };
	/* only the first Exif segment counts */
	static const unsigned char two[] = { SOI, APP1_EXIF_II(3), APP1_EXIF_MM(6), SOF0_200x300 };
	unsigned char b[sizeof ii6];
	int o;

	CHECK_IMG(ii6, sizeof ii6, 200, 300, "jpeg");
	CHECK_IMG(mm6, sizeof mm6, 200, 300, "jpeg");
	CHECK_IMG(after_jfif, sizeof after_jfif, 200, 300, "jpeg");
	CHECK_IMG(two, sizeof two, 300, 200, "jpeg");
	/* 1..4 keep the sides, 5..8 swap them, anything else is 1 */
	for (o = 0; o <= 10; o++) {
		struct img_info info;
		memcpy(b, ii6, sizeof b);
		b[42] = (unsigned char)o;
		CHECK_INT(S_read(&info, b, sizeof b), 0);
		CHECK_INT(info.width, o >= 5 && o <= 8 ? 200 : 300);
	}

	/* a broken Exif is ignored, not an error: the sides stay */
	memcpy(b, ii6, sizeof b);
	b[14] = 0x2B; /* not 42 */
	CHECK_IMG(b, sizeof b, 300, 200, "jpeg");
	memcpy(b, ii6, sizeof b);
	b[16] = 0x25; /* IFD0 at 37: its count would be past the segment */
	CHECK_IMG(b, sizeof b, 300, 200, "jpeg");
	memcpy(b, ii6, sizeof b);
	b[16] = 0x1A; /* IFD0 at 26: a count of 1, but no whole entry after it */
	CHECK_IMG(b, sizeof b, 300, 200, "jpeg");
	memcpy(b, ii6, sizeof b);
	b[16] = 0xFF, b[17] = 0xFF, b[18] = 0xFF, b[19] = 0xFF; /* offset 2^32-1 */
	CHECK_IMG(b, sizeof b, 300, 200, "jpeg");
	memcpy(b, ii6, sizeof b);
	b[20] = 0xFF, b[21] = 0xFF; /* 65535 entries claimed, 2 there */
	CHECK_IMG(b, sizeof b, 200, 300, "jpeg");
	memcpy(b, ii6, sizeof b);
	b[20] = 0x01; /* the orientation entry is past the count */
	CHECK_IMG(b, sizeof b, 300, 200, "jpeg");
	memcpy(b, ii6, sizeof b);
	b[36] = 0x04; /* orientation as a LONG: not what the spec says */
	CHECK_IMG(b, sizeof b, 300, 200, "jpeg");
	memcpy(b, ii6, sizeof b);
	b[6] = 'e'; /* "exif": not the Exif name: some other APP1 (XMP, say) */
	CHECK_IMG(b, sizeof b, 300, 200, "jpeg");
	memcpy(b, ii6, sizeof b);
	b[13] = 'M'; /* "IM": no byte order */
	CHECK_IMG(b, sizeof b, 300, 200, "jpeg");
	/* an APP1 too short to hold "Exif\0\0" and a TIFF header */
	{
		static const unsigned char tiny[] = { SOI, 0xFF, 0xE1, 0x00, 0x08, 'E',
						      'x', 'i',  'f',  0x00, 0x00, SOF0_200x300 };
		CHECK_IMG(tiny, sizeof tiny, 300, 200, "jpeg");
	}
}

/* RIFF, a size, WEBP, then the first chunk's name and size. */
#define WEBP_HEAD(a, b, c, d, n) \
	'R', 'I', 'F', 'F', 0x40, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P', a, b, c, d, (n), 0x00, 0x00, 0x00

static void test_webp(void)
{
	/* key frame, start code, width 400 with scale bits 01, height 300 */
	static const unsigned char lossy[] = {
		WEBP_HEAD('V', 'P', '8', ' ', 0x18),
		0x30,
		0x01,
		0x00,
		0x9D,
		0x01,
		0x2A,
		0x90,
		0x41,
		0x2C,
		0x01
	};
	/* 1024 x 768 with alpha, version 0 */
	static const unsigned char lossless[] = {
		WEBP_HEAD('V', 'P', '8', 'L', 0x05), 0x2F, 0xFF, 0xC3, 0xBF, 0x10
	};
	/* canvas 2000 x 1000 */
	static const unsigned char extended[] = {
		WEBP_HEAD('V', 'P', '8', 'X', 0x0A),
		0x10,
		0x00,
		0x00,
		0x00,
		0xCF,
		0x07,
		0x00,
		0xE7,
		0x03,
		0x00
	};
	unsigned char b[30];

	CHECK_INT(sizeof lossy, 30);
	CHECK_INT(sizeof lossless, 25);
	CHECK_INT(sizeof extended, 30);
	CHECK_IMG(lossy, sizeof lossy, 400, 300, "webp");
	CHECK_IMG(lossless, sizeof lossless, 1024, 768, "webp");
	CHECK_IMG(extended, sizeof extended, 2000, 1000, "webp");

	/* lossy: an inter frame, a wrong start code, a chunk too short */
	memcpy(b, lossy, 30);
	b[20] = 0x31;
	CHECK_NO_IMG(b, 30);
	memcpy(b, lossy, 30);
	b[25] = 0x2B;
	CHECK_NO_IMG(b, 30);
	memcpy(b, lossy, 30);
	b[16] = 0x09;
	CHECK_NO_IMG(b, 30);
	/* lossless: a wrong signature, a version other than 0, the smallest and largest */
	memcpy(b, lossless, 25);
	b[20] = 0x2E;
	CHECK_NO_IMG(b, 25);
	memcpy(b, lossless, 25);
	b[24] = 0x30;
	CHECK_NO_IMG(b, 25);
	memcpy(b, lossless, 25);
	b[21] = b[22] = b[23] = 0x00, b[24] = 0x00;
	CHECK_IMG(b, 25, 1, 1, "webp");
	memcpy(b, lossless, 25);
	b[21] = b[22] = b[23] = 0xFF, b[24] = 0x0F;
	CHECK_IMG(b, 25, 16384, 16384, "webp");
	/* extended: a canvas past 65535 */
	memcpy(b, extended, 30);
	b[24] = 0x6F, b[25] = 0x11, b[26] = 0x01; /* 69999 + 1 */
	CHECK_NO_IMG(b, 30);
	/* another first chunk, or no WEBP in the RIFF (a WAV file) */
	memcpy(b, extended, 30);
	memcpy(b + 12, "ALPH", 4);
	CHECK_NO_IMG(b, 30);
	memcpy(b, extended, 30);
	memcpy(b + 8, "WAVE", 4);
	CHECK_NO_IMG(b, 30);
}

static void test_svg_sizes(void)
{
	/* width and height as numbers or px; half rounds up */
	CHECK_SVG("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"80\">", 120, 80);
	CHECK_SVG("<svg width=\"120px\" height=\"80.5px\" viewBox=\"0 0 1 1\">", 120, 81);
	CHECK_SVG("<svg width='7.49' height=' 9.5PX '/>", 7, 10);
	CHECK_SVG("<svg\n\twidth=\"1e2\"\r\n\theight=\"5E1px\"\n>", 100, 50);
	CHECK_SVG("<svg width=\"1500e-1\" height=\"2E+1\">", 150, 20);
	CHECK_SVG("<svg height=\"+.5\" width=\"65535\">", 65535, 1);
	/* only a viewBox; separated by commas, spaces or both */
	CHECK_SVG_BODY("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\"><rect/></svg>", 32,
		       32);
	CHECK_SVG("<svg viewBox=\"0,0,300,150\">", 300, 150);
	CHECK_SVG("<svg viewBox=\" -10, -20 ,\t48.6 , 24.2 \">", 49, 24);
	/* absolute units in CSS pixels (1in = 96px), as a browser shows them */
	CHECK_SVG("<svg width=\"210mm\" height=\"297mm\" viewBox=\"0 0 210 297\">", 794, 1123);
	CHECK_SVG("<svg width=\"1in\" height=\"72PT\">", 96, 96);
	CHECK_SVG("<svg width=\"2.54cm\" height=\"2pc\">", 96, 32);
	/* units relative to something else give way to the viewBox */
	CHECK_SVG("<svg width=\"100%\" height=\"10em\" viewBox=\"0 0 640 480\">", 640, 480);
	CHECK_SVG("<svg width=\"auto\" height=\"-5\" viewBox=\"0 0 64 48\">", 64, 48);
	/* one side a number, the other from the viewBox's aspect ratio */
	CHECK_SVG("<svg width=\"100\" viewBox=\"0 0 300 200\">", 100, 67);
	CHECK_SVG("<svg height=\"50px\" width=\"50%\" viewBox=\"0 0 200 100\">", 100, 50);
	/* only the root's attributes count, in either quote, '>' inside a value */
	CHECK_SVG_BODY("<svg viewBox=\"0 0 10 10\"><rect width=\"999\" height=\"999\"/></svg>", 10, 10);
	CHECK_SVG("<svg aria-label=\"a > b\" title='say \"hi\"' width=\"3\" height=\"4\">", 3, 4);
	/* stroke-width and data-width are not width */
	CHECK_SVG("<svg stroke-width=\"2\" data-height=\"9\" viewBox=\"0 0 10 20\">", 10, 20);
}

static void test_svg_prolog(void)
{
	CHECK_SVG("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
		  "<!-- Generator: a tool, 1 > 0 -->\n"
		  "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
		  "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
		  "<svg version=\"1.1\" width=\"24\" height=\"16\">",
		  24, 16);
	/* a BOM; a doctype whose internal subset holds '>' and ']' */
	CHECK_SVG("\xEF\xBB\xBF<svg width=\"5\" height=\"6\"/>", 5, 6);
	CHECK_SVG("<!DOCTYPE svg [ <!ENTITY a \"x>]\"> <!-- ] > --> ]>\n<svg width=\"5\" height=\"6\"/>", 5,
		  6);
	/* a root tag whose '>' is the 65536th byte is read; one byte later, not */
	{
		static const char tail[] = "--><svg width=\"8\" height=\"9\">";
		size_t n;
		char *s = malloc(65537);
		if (!s)
			abort();
		for (n = 65536; n <= 65537; n++) {
			struct img_info info = { 0, 0, NULL };
			memset(s, ' ', n);
			memcpy(s, "<!--", 4);
			memcpy(s + n - (sizeof tail - 1), tail, sizeof tail - 1);
			CHECK_INT(S_read(&info, s, n), n == 65536 ? 0 : -1);
			CHECK_INT(info.width, n == 65536 ? 8 : 0);
		}
		free(s);
	}
}

static void test_svg_refused(void)
{
	/* no usable size */
	CHECK_NO_SVG("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"5\" height=\"5\"/></svg>");
	CHECK_NO_SVG("<svg stroke-width=\"2\" height=\"10\">");
	CHECK_NO_SVG("<svg width=\"100\">");
	CHECK_NO_SVG("<svg width=\"100%\" height=\"100%\">");
	CHECK_NO_SVG("<svg width=\"10cm\" viewBox=\"0 0 10\">");
	CHECK_NO_SVG("<svg viewBox=\"0 0 -10 10\">");
	CHECK_NO_SVG("<svg viewBox=\"0 0 10 10 10\">");
	CHECK_NO_SVG("<svg viewBox=\"0,,0,10,10\">");
	CHECK_NO_SVG("<svg viewBox=\"0 0 10 10px\">");
	/* a side of 0 hides the image; too large; rounds to 0 */
	CHECK_NO_SVG("<svg width=\"0\" height=\"10\" viewBox=\"0 0 10 10\">");
	CHECK_NO_SVG("<svg width=\"65536\" height=\"10\">");
	CHECK_NO_SVG("<svg width=\"1e999\" height=\"10\">");
	CHECK_NO_SVG("<svg width=\"0.49\" height=\"10\">");
	CHECK_NO_SVG("<svg width=\"1\" viewBox=\"0 0 1000 1\">");
	/* not an SVG root, or a malformed start tag */
	CHECK_NO_SVG("<html><svg width=\"1\" height=\"1\">");
	CHECK_NO_SVG("hello <svg width=\"1\" height=\"1\">");
	CHECK_NO_SVG("<svgx width=\"1\" height=\"1\">");
	CHECK_NO_SVG("<SVG width=\"1\" height=\"1\">");
	CHECK_NO_SVG("<svg width=1 height=1>");
	CHECK_NO_SVG("<svg width=\"1\"height=\"1\">");
	CHECK_NO_SVG("<svg width=\"1\" height=\"1\" width=\"2\">");
	CHECK_NO_SVG("<svg width=\"1\" =\"x\" height=\"1\">");
	CHECK_NO_SVG("<svg width=\"1\" height=\"1\" / >");
	CHECK_NO_SVG("<!-- never closed <svg width=\"1\" height=\"1\">");
	CHECK_NO_SVG("<?xml never closed <svg width=\"1\" height=\"1\">");
	CHECK_NO_SVG("<!DOCTYPE svg \"never closed><svg width=\"1\" height=\"1\">");
	/* a NUL does not end the scan early, nor late */
	CHECK_NO_IMG("<svg width=\"1\"\0height=\"1\">", 26);
}

/* A small generator of the same noise on every run (xorshift32). */
static unsigned S_rand(unsigned *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

static void test_garbage(void)
{
	static const char *const magic[] = {
		"", "\x89PNG\r\n\x1a\n", "GIF89a", "\xFF\xD8\xFF", "RIFF\0\0\0\0WEBPVP8X", "<svg "
	};
	unsigned char b[300];
	unsigned state = 2463534242u;
	int round, read = 0, bad = 0;
	struct img_info info = { -7, -7, "unset" };

	CHECK_INT(img_size(&info, NULL, 0), -1);
	CHECK_INT(img_size(&info, (const unsigned char *)"", 0), -1);
	CHECK_INT(S_read(&info, "\xFF", 1), -1);
	CHECK_INT(info.width, -7);
	/* pure noise reads as nothing */
	for (round = 0; round < 2000; round++) {
		size_t n = S_rand(&state) % sizeof b, k;
		for (k = 0; k < n; k++)
			b[k] = (unsigned char)S_rand(&state);
		read += S_read(&info, b, n) == 0;
	}
	CHECK_INT(read, 0);
	/* noise behind each magic: a size, when one is read, is in range */
	for (round = 0; round < 6000; round++) {
		const char *m = magic[round % 6];
		size_t ml = round % 6 == 4 ? 16 : strlen(m);
		size_t n = ml + S_rand(&state) % (sizeof b - ml), k;
		memcpy(b, m, ml);
		for (k = ml; k < n; k++)
			b[k] = (unsigned char)S_rand(&state);
		if (S_read(&info, b, n) == 0 && (info.width < 1 || info.width > IMG_MAX_SIDE ||
						 info.height < 1 || info.height > IMG_MAX_SIDE))
			bad++;
	}
	CHECK_INT(bad, 0);
}

static void test_names(void)
{
	CHECK_INT(img_is_image_name("a.png"), 1);
	CHECK_INT(img_is_image_name("photo.JPG"), 1);
	CHECK_INT(img_is_image_name("talks/2024/slide.Jpeg"), 1);
	CHECK_INT(img_is_image_name("anim.gif"), 1);
	CHECK_INT(img_is_image_name("x.y.webp"), 1);
	CHECK_INT(img_is_image_name("assets/logo.SVG"), 1);
	CHECK_INT(img_is_image_name("a.svgz"), 0);
	CHECK_INT(img_is_image_name("a.png.txt"), 0);
	CHECK_INT(img_is_image_name("a.jpe"), 0);
	CHECK_INT(img_is_image_name("a.pn"), 0);
	CHECK_INT(img_is_image_name("a.tiff"), 0);
	CHECK_INT(img_is_image_name("png"), 0);
	CHECK_INT(img_is_image_name(".png"), 0);
	CHECK_INT(img_is_image_name("dir/.svg"), 0);
	CHECK_INT(img_is_image_name("dir.png/readme"), 0);
	CHECK_INT(img_is_image_name("a."), 0);
	CHECK_INT(img_is_image_name(""), 0);
}

int main(void)
{
	test_png();
	test_gif();
	test_jpeg_plain();
	test_jpeg_markers();
	test_jpeg_exif();
	test_webp();
	test_svg_sizes();
	test_svg_prolog();
	test_svg_refused();
	test_garbage();
	test_names();
	return CHECK_DONE("test_imgsize");
}
