/*
 * imgsize: an image's width and height read from its first bytes, without
 * decoding a pixel, so a page can give each image its box before it loads.
 * The bytes come from contributors: every read is bounded by the length.
 */
#ifndef JIXIA_IMGSIZE_H
#define JIXIA_IMGSIZE_H

#include <stddef.h>

/* The largest width or height img_size() accepts, in any format. */
#define IMG_MAX_SIDE 65535

/* What an image file's header says. */
struct img_info {
	/*
	 * CSS pixels as the browser will show the image: a JPEG whose Exif
	 * orientation is 5 to 8 (turned a quarter) has them swapped. Each is
	 * 1 to IMG_MAX_SIDE.
	 */
	int width, height;
	/* "png", "jpeg", "gif", "webp" or "svg"; static, never freed. */
	const char *format;
};

/*
 * Reads the size from the first len bytes of data (need not be
 * NUL-terminated; never read past len), recognising the format by its magic
 * bytes, not by a name. An SVG's size is its root element's width and
 * height when they are plain numbers or "px", else taken from (or completed
 * with the aspect ratio of) its viewBox, rounded to the nearest integer;
 * only the first 64 KiB are searched for the root element.
 *
 * Returns 0 and fills *out, or -1 (out untouched) when the bytes are none
 * of the formats, the header is cut short or nonsensical (a side of 0 or
 * over IMG_MAX_SIDE), or an SVG has no usable size.
 */
int img_size(struct img_info *out, const unsigned char *data, size_t len);

/*
 * 1 when the file name ends in one of the extensions of the formats above
 * (.png .jpg .jpeg .gif .webp .svg, any case), else 0. A name that is only
 * an extension (".png", "dir/.svg") has none.
 */
int img_is_image_name(const char *name);

#endif
