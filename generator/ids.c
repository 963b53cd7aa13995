/*
 * ids: how the feeds, calendars, sitemaps and JSON-LD name things to the
 * world outside the site: absolute URLs, stable UUIDs and instants.
 *
 * Ids must not change from one build to the next, or a feed reader shows
 * an old entry as new and a calendar doubles an event. They are name-based
 * UUIDs (version 5, SHA-1) of the item's language, folder and id under a
 * namespace made from base_url: a new slug, a new title or a re-ordered
 * list keeps them; another site never shares them. Nothing here reads the
 * clock: dates come from front matter.
 */
#include "ids.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "types.h"
#include "util.h"

/* --- SHA-1 and name-based UUIDs (RFC 4122 4.3) -------------------------- */

#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

static void S_sha1_block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f, k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
		       (uint32_t)p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = ROL(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (i = 0; i < 80; i++) {
		if (i < 20)
			f = (b & c) | (~b & d), k = 0x5A827999;
		else if (i < 40)
			f = b ^ c ^ d, k = 0x6ED9EBA1;
		else if (i < 60)
			f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
		else
			f = b ^ c ^ d, k = 0xCA62C1D6;
		t = ROL(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = ROL(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

/*
 * The padding and length both digests share (FIPS 180-4, 5.1.1): p in
 * 64-byte blocks through block, then 0x80, zeros and the length in bits;
 * the state h (nwords big-endian words) is the digest.
 */
static void S_digest(uint32_t *h, size_t nwords, void (*block)(uint32_t *, const unsigned char *),
		     const unsigned char *p, size_t n, unsigned char *out)
{
	unsigned char last[128];
	uint64_t bits = (uint64_t)n * 8;
	size_t i, rest, pad;

	for (i = 0; i + 64 <= n; i += 64)
		block(h, p + i);
	rest = n - i;
	pad = rest < 56 ? 64 : 128;
	memset(last, 0, sizeof(last));
	memcpy(last, p + i, rest);
	last[rest] = 0x80;
	for (i = 0; i < 8; i++)
		last[pad - 1 - i] = (unsigned char)(bits >> (8 * i));
	block(h, last);
	if (pad == 128)
		block(h, last + 64);
	for (i = 0; i < nwords * 4; i++)
		out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

static void S_sha1(unsigned char out[20], const unsigned char *p, size_t n)
{
	uint32_t h[5] = { 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0 };
	S_digest(h, 5, S_sha1_block, p, n, out);
}

/* --- SHA-256 (FIPS 180-4), for the forges' file anchors ------------------ */

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void S_sha256_block(uint32_t h[8], const unsigned char *p)
{
	static const uint32_t k[64] = {
		0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
		0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
		0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
		0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
		0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
		0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
		0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
		0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
		0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
		0xc67178f2,
	};
	uint32_t w[64], v[8], t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
		       (uint32_t)p[4 * i + 3];
	for (; i < 64; i++)
		w[i] = (ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10)) + w[i - 7] +
		       (ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3)) + w[i - 16];
	memcpy(v, h, sizeof(v));
	for (i = 0; i < 64; i++) {
		t1 = v[7] + (ROR(v[4], 6) ^ ROR(v[4], 11) ^ ROR(v[4], 25)) +
		     ((v[4] & v[5]) ^ (~v[4] & v[6])) + k[i] + w[i];
		t2 = (ROR(v[0], 2) ^ ROR(v[0], 13) ^ ROR(v[0], 22)) +
		     ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		memmove(v + 1, v, 7 * sizeof(*v));
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		h[i] += v[i];
}

static void S_sha256(unsigned char out[32], const unsigned char *p, size_t n)
{
	uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	S_digest(h, 8, S_sha256_block, p, n, out);
}

/* Lower-case hex digits, as digests and UUIDs are written. */
static const char S_hex[] = "0123456789abcdef";

void ids_digest_hex(char *out, int sha256, const char *s, size_t n)
{
	unsigned char md[32];
	size_t i, len = sha256 ? 32 : 20;

	if (sha256)
		S_sha256(md, (const unsigned char *)s, n);
	else
		S_sha1(md, (const unsigned char *)s, n);
	for (i = 0; i < len; i++) {
		out[2 * i] = S_hex[md[i] >> 4];
		out[2 * i + 1] = S_hex[md[i] & 15];
	}
	out[2 * len] = '\0';
}

/* The version 5 UUID of name (n bytes) in namespace ns. */
static void S_uuid5(unsigned char out[16], const unsigned char ns[16], const char *name, size_t n)
{
	unsigned char *in = xmalloc(16 + n), md[20];
	memcpy(in, ns, 16);
	memcpy(in + 16, name, n);
	S_sha1(md, in, 16 + n);
	free(in);
	memcpy(out, md, 16);
	out[6] = (unsigned char)((out[6] & 0x0F) | 0x50);
	out[8] = (unsigned char)((out[8] & 0x3F) | 0x80);
}

/* u as 8-4-4-4-12 lower-case hex digits: written by hand, as a feed has one per entry */
static void S_put_uuid(struct buf *b, const unsigned char u[16])
{
	char s[36];
	size_t i, k = 0;
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			s[k++] = '-';
		s[k++] = S_hex[u[i] >> 4];
		s[k++] = S_hex[u[i] & 15];
	}
	buf_put(b, s, k);
}

void ids_namespace(unsigned char out[16], const char *base_url)
{
	static const unsigned char url_ns[16] = { 0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
						  0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8 };
	S_uuid5(out, url_ns, base_url, strlen(base_url));
}

void ids_uuid(struct buf *b, const unsigned char ns[16], const char *name)
{
	unsigned char u[16];
	S_uuid5(u, ns, name, strlen(name));
	S_put_uuid(b, u);
}

/* --- absolute URLs ------------------------------------------------------ */

void ids_abs(struct buf *b, const struct site *site, const char *href)
{
	size_t r = strlen(site->root);
	buf_puts(b, site->cfg->base_url);
	buf_puts(b, strncmp(href, site->root, r) == 0 ? href + r : href + (href[0] == '/'));
}

void ids_url(struct buf *out, const struct site *site, const char *href)
{
	struct buf u = BUF_INIT;
	ids_abs(&u, site, href);
	escape_uri(out, u.ptr, u.len);
	buf_release(&u);
}

void ids_any_url(struct buf *out, const struct site *site, const char *url)
{
	const char *colon = strstr(site->cfg->base_url, "://");
	if (url[0] == '/' && url[1] != '/') {
		ids_url(out, site, url);
		return;
	}
	if (url[0] == '/' && colon) /* "//cdn.example.org/x": base_url's scheme */
		buf_put(out, site->cfg->base_url, (size_t)(colon + 1 - site->cfg->base_url));
	escape_uri(out, url, strlen(url));
}

/* An absolute URL as an XML attribute or text: percent-encoded, then escaped. */
void ids_xml_url(struct buf *b, struct buf *tmp, const struct site *site, const char *href)
{
	buf_reset(tmp);
	ids_url(tmp, site, href);
	escape_xml(b, tmp->ptr, tmp->len);
}

/* --- instants ----------------------------------------------------------- */

long long ids_floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int ids_page_time(const struct site *site, const struct page *pg, long long *out)
{
	const struct field *f;
	const struct fval *v;
	if (pg->date == LLONG_MIN || !pg->type)
		return -1;
	f = type_field(pg->type, pg->type->roles.date);
	v = page_value(pg, pg->type->roles.date);
	if (f && f->kind == FIELD_DATETIME && v && v->node)
		*out = v->num;
	else if (v && v->node && v->timed) /* a date with a time of day */
		*out = v->at;
	else
		*out = pg->date * 86400 - (long long)site->tz_offset_min * 60;
	return 0;
}

void ids_rfc3339(struct buf *b, const struct site *site, long long secs)
{
	long off = site->tz_offset_min;
	long long local = secs + (long long)off * 60, days = ids_floor_div(local, 86400);
	long long rem = local - days * 86400;
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, (int)(rem / 3600), (int)(rem / 60 % 60),
		   (int)(rem % 60));
	if (off == 0)
		buf_putc(b, 'Z');
	else
		buf_printf(b, "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}
