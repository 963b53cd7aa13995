/*
 * video: a video page's address to its host's player. Each host is its
 * address forms and the form of its ids; the id is copied only when every
 * character is of that form, so the player's address is built from
 * characters that need no escaping in a URL or an attribute.
 */
#include "video.h"

#include <string.h>
#include <strings.h>

/* The n bytes of id are 1..max characters of the host's set (and, for fixed, exactly max). */
static int S_id_ok(const char *id, size_t n, size_t max, int fixed, const char *extra)
{
	size_t i;

	if (n == 0 || n > max || (fixed && n != max))
		return 0;
	for (i = 0; i < n; i++) {
		char c = id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      (extra && c && strchr(extra, c))))
			return 0;
	}
	return 1;
}

/* The length of the path segment at p (up to '/', '?', '#' or the end). */
static size_t S_seg(const char *p)
{
	return strcspn(p, "/?#&");
}

/* After "https://" (or "http://"), the host and path: s, or NULL when url is neither. */
static const char *S_after_scheme(const char *url)
{
	if (!strncasecmp(url, "https://", 8))
		return url + 8;
	if (!strncasecmp(url, "http://", 7))
		return url + 7;
	return NULL;
}

/* rest starts with host (and then '/'): returns the path after it, or NULL. */
static const char *S_host(const char *rest, const char *host)
{
	size_t n = strlen(host);
	if (strncasecmp(rest, host, n) != 0 || rest[n] != '/')
		return NULL;
	return rest + n + 1;
}

/* The value of the query parameter name in the query (after '?') of path, or NULL; *n its length. */
static const char *S_param(const char *path, const char *name, size_t *n)
{
	const char *q = strchr(path, '?');
	size_t len = strlen(name);

	for (q = q ? q + 1 : NULL; q && *q && *q != '#'; q += strcspn(q, "&#"), q += *q == '&') {
		if (!strncmp(q, name, len) && q[len] == '=') {
			*n = S_seg(q + len + 1);
			return q + len + 1;
		}
	}
	return NULL;
}

static const char *S_youtube(struct buf *out, const char *rest)
{
	static const char *const hosts[] = { "www.youtube.com", "youtube.com", "m.youtube.com", NULL };
	const char *path = NULL, *id = NULL;
	size_t n = 0, i;

	if ((path = S_host(rest, "youtu.be"))) {
		id = path;
		n = S_seg(path);
	}
	for (i = 0; !id && hosts[i]; i++) {
		if (!(path = S_host(rest, hosts[i])))
			continue;
		if (!strncmp(path, "watch", 5) && (path[5] == '?'))
			id = S_param(path, "v", &n);
		else if (!strncmp(path, "embed/", 6) || !strncmp(path, "live/", 5) ||
			 !strncmp(path, "shorts/", 7))
			id = path + strcspn(path, "/") + 1, n = S_seg(id);
	}
	if (!id || !S_id_ok(id, n, 11, 1, "-_"))
		return NULL;
	buf_puts(out, "https://www.youtube-nocookie.com/embed/");
	buf_put(out, id, n);
	buf_puts(out, "?autoplay=1");
	return "YouTube";
}

static const char *S_bilibili(struct buf *out, const char *rest)
{
	const char *path = S_host(rest, "www.bilibili.com");
	size_t n;

	if (!path)
		path = S_host(rest, "bilibili.com");
	if (!path || strncmp(path, "video/", 6) != 0)
		return NULL;
	path += 6;
	n = S_seg(path);
	if (n != 12 || strncmp(path, "BV", 2) != 0 || !S_id_ok(path, n, 12, 1, NULL))
		return NULL;
	buf_puts(out, "https://player.bilibili.com/player.html?bvid=");
	buf_put(out, path, n);
	buf_puts(out, "&autoplay=1");
	return "Bilibili";
}

static const char *S_vimeo(struct buf *out, const char *rest)
{
	const char *path = S_host(rest, "vimeo.com");
	size_t n, i;

	if (!path)
		path = S_host(rest, "www.vimeo.com");
	if (!path)
		return NULL;
	n = S_seg(path);
	for (i = 0; i < n; i++)
		if (path[i] < '0' || path[i] > '9')
			return NULL;
	if (n == 0 || n > 12)
		return NULL;
	buf_puts(out, "https://player.vimeo.com/video/");
	buf_put(out, path, n);
	buf_puts(out, "?autoplay=1");
	return "Vimeo";
}

const char *video_player(struct buf *out, const char *url)
{
	const char *rest = url ? S_after_scheme(url) : NULL, *host;

	if (!rest)
		return NULL;
	if ((host = S_youtube(out, rest)) || (host = S_bilibili(out, rest)) || (host = S_vimeo(out, rest)))
		return host;
	return NULL;
}
