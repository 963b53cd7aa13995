/*
 * test_video: a video's address to its host's player for the click-to-load
 * facade: each address form of YouTube, Bilibili and Vimeo, and no player
 * for look-alike hosts, ids of the wrong form (quotes, markup, lengths),
 * other schemes and other hosts.
 */
#include <stdlib.h>

#include "check.h"
#include "video.h"

/* The player of url as "Host url", or "-" for none. */
static char *S_player(const char *url)
{
	struct buf b;
	const char *host;
	buf_init(&b);
	host = video_player(&b, url);
	if (!host) {
		CHECK_INT(b.len, 0);
		buf_release(&b);
		return NULL;
	}
	{
		struct buf o;
		buf_init(&o);
		buf_printf(&o, "%s %s", host, buf_cstr(&b));
		buf_release(&b);
		return buf_detach(&o, NULL);
	}
}

#define CHECK_PLAYER(url, want)                \
	do {                                   \
		char *got_ = S_player(url);    \
		if (want)                      \
			CHECK_STR(got_, want); \
		else                           \
			CHECK(got_ == NULL);   \
		free(got_);                    \
	} while (0)

int main(void)
{
	const char *none = NULL;
	const char *yt = "YouTube https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1";

	CHECK_PLAYER("https://www.youtube.com/watch?v=dQw4w9WgXcQ", yt);
	CHECK_PLAYER("https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42", yt);
	CHECK_PLAYER("http://m.youtube.com/watch?v=dQw4w9WgXcQ#t=1", yt);
	CHECK_PLAYER("https://youtu.be/dQw4w9WgXcQ?si=abc", yt);
	CHECK_PLAYER("https://www.youtube.com/embed/dQw4w9WgXcQ", yt);
	CHECK_PLAYER("https://www.youtube.com/live/dQw4w9WgXcQ", yt);
	CHECK_PLAYER("HTTPS://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ", yt);
	CHECK_PLAYER("https://www.bilibili.com/video/BV1xx411c7mD/?p=2",
		     "Bilibili https://player.bilibili.com/player.html?bvid=BV1xx411c7mD&autoplay=1");
	CHECK_PLAYER("https://bilibili.com/video/BV1xx411c7mD",
		     "Bilibili https://player.bilibili.com/player.html?bvid=BV1xx411c7mD&autoplay=1");
	CHECK_PLAYER("https://vimeo.com/76979871",
		     "Vimeo https://player.vimeo.com/video/76979871?autoplay=1");

	/* look-alikes, wrong ids, other schemes and hosts: the link stays a link */
	CHECK_PLAYER("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", none);
	CHECK_PLAYER("https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ", none);
	CHECK_PLAYER("https://www.youtube.com/watch?v=dQw4w9WgXc\"", none);
	CHECK_PLAYER("https://www.youtube.com/watch?v=<script>x</", none);
	CHECK_PLAYER("https://www.youtube.com/watch?v=short", none);
	CHECK_PLAYER("https://www.youtube.com/watch?vv=dQw4w9WgXcQ", none);
	CHECK_PLAYER("https://www.youtube.com/", none);
	CHECK_PLAYER("https://www.bilibili.com/video/av170001", none);
	CHECK_PLAYER("https://www.bilibili.com/video/BV1xx411c7m'", none);
	CHECK_PLAYER("https://b23.tv/BV1xx411c7mD", none);
	CHECK_PLAYER("https://vimeo.com/channels/staffpicks", none);
	CHECK_PLAYER("https://vimeo.com/", none);
	CHECK_PLAYER("javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ", none);
	CHECK_PLAYER("//www.youtube.com/watch?v=dQw4w9WgXcQ", none);
	CHECK_PLAYER("https://video.example.org/pgcn/talk", none);
	CHECK_PLAYER("", none);
	return CHECK_DONE("test_video");
}
