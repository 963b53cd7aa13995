/*
 * fuzz_imgsize: any bytes through the image header reader, as they are and
 * behind each format's magic (so every reader is reached at once, not only
 * once the fuzzer has found its signature). Each read is from a heap copy
 * of exactly the bytes, so ASan sees a read past the end; a size read must
 * be 1..IMG_MAX_SIDE with one of the five format names.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imgsize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* clang-format off */
static const struct {
	const char *format;
	const char *magic;
	size_t len;
} magics[] = {
	{ "png", "\x89PNG\r\n\x1a\n", 8 },
	{ "gif", "GIF89a", 6 },
	{ "jpeg", "\xFF\xD8", 2 },
	{ "webp", "RIFF\0\0\0\0WEBP", 12 },
	{ "svg", "<svg ", 5 },
};
/* clang-format on */

static void S_check(const unsigned char *p, size_t n)
{
	struct img_info info;
	size_t i;
	if (img_size(&info, p, n) < 0)
		return;
	if (info.width < 1 || info.width > IMG_MAX_SIDE || info.height < 1 || info.height > IMG_MAX_SIDE)
		abort();
	for (i = 0; i < sizeof magics / sizeof *magics; i++)
		if (strcmp(info.format, magics[i].format) == 0)
			return;
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i;
	char *name;

	S_check(data, size);
	for (i = 0; i < sizeof magics / sizeof *magics; i++) {
		unsigned char *p = malloc(magics[i].len + size);
		if (!p)
			abort();
		memcpy(p, magics[i].magic, magics[i].len);
		memcpy(p + magics[i].len, data, size);
		S_check(p, magics[i].len + size);
		free(p);
	}
	/* The bytes as a file name too (up to the first NUL). */
	name = malloc(size + 1);
	if (!name)
		abort();
	memcpy(name, data, size);
	name[size] = '\0';
	(void)img_is_image_name(name);
	free(name);
	return 0;
}
