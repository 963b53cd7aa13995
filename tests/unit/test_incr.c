/*
 * test_incr: the keyed digest of incr.h (SipHash-2-4, 128-bit output)
 * that the render state's fingerprints and the stamp are made of. Its
 * values are kept on disk between builds, so a faster way of feeding it
 * must give the very same digests: each checked against a plain
 * SipHash-2-4-128 written here byte by byte over the same bytes (each
 * item's 8-byte length, then the item), for items of every length cut at
 * every alignment, and that plain one against the paper's first vector.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "incr.h"

#define S_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void S_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = S_ROTL(v[1], 13) ^ v[0];
	v[0] = S_ROTL(v[0], 32);
	v[2] += v[3];
	v[3] = S_ROTL(v[3], 16) ^ v[2];
	v[0] += v[3];
	v[3] = S_ROTL(v[3], 21) ^ v[0];
	v[2] += v[1];
	v[1] = S_ROTL(v[1], 17) ^ v[2];
	v[2] = S_ROTL(v[2], 32);
}

static void S_compress(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	S_round(v);
	S_round(v);
	v[0] ^= m;
}

/* SipHash-2-4-128 of the n bytes at p, as the paper states it: one pass, a byte at a time. */
static void S_reference(const uint64_t key[2], const unsigned char *p, size_t n, uint64_t out[2])
{
	uint64_t v[4], m = 0;
	size_t i;
	int r;

	v[0] = 0x736f6d6570736575ULL ^ key[0];
	v[1] = 0x646f72616e646f6dULL ^ key[1] ^ 0xee;
	v[2] = 0x6c7967656e657261ULL ^ key[0];
	v[3] = 0x7465646279746573ULL ^ key[1];
	for (i = 0; i < n; i++) {
		m |= (uint64_t)p[i] << (8 * (i % 8));
		if (i % 8 == 7) {
			S_compress(v, m);
			m = 0;
		}
	}
	S_compress(v, m | (uint64_t)(n & 0xff) << 56);
	v[2] ^= 0xee;
	for (r = 0; r < 4; r++)
		S_round(v);
	out[0] = v[0] ^ v[1] ^ v[2] ^ v[3];
	v[1] ^= 0xdd;
	for (r = 0; r < 4; r++)
		S_round(v);
	out[1] = v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* The reference itself: the paper's 128-bit vector for the empty message under key 00..0f. */
static void test_reference_vector(void)
{
	static const unsigned char want[16] = { 0xa3, 0x81, 0x7f, 0x04, 0xba, 0x25, 0xa8, 0xe6,
						0x6d, 0xf6, 0x72, 0x14, 0xc7, 0x55, 0x02, 0x93 };
	uint64_t key[2] = { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL }, out[2];
	unsigned char got[16];
	int i;

	S_reference(key, (const unsigned char *)"", 0, out);
	for (i = 0; i < 16; i++)
		got[i] = (unsigned char)(out[i / 8] >> (8 * (i % 8)));
	CHECK(memcmp(got, want, sizeof(want)) == 0);
}

/*
 * Items of random lengths (0 to 200 bytes, so words whole and cut, before
 * and after a partial word) from random offsets of a buffer (any
 * alignment), fed through incr_digest_item, against the reference over
 * the same stream of bytes.
 */
static void test_items_match_reference(void)
{
	enum { POOL = 4096, STREAM = 1 << 16 };
	unsigned char *pool = malloc(POOL), *stream = malloc(STREAM);
	uint64_t key[2] = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL };
	unsigned seed = 1;
	int trial, same = 0, trials = 2000;
	size_t i;

	for (i = 0; i < POOL; i++) {
		seed = seed * 1103515245u + 12345u;
		pool[i] = (unsigned char)(seed >> 16);
	}
	for (trial = 0; trial < trials; trial++) {
		struct incr_digest d;
		uint64_t got[2], want[2];
		size_t len = 0;
		int items, k;
		seed = seed * 1103515245u + 12345u;
		items = (int)(seed >> 16) % 12;
		incr_digest_init(&d, key);
		for (k = 0; k < items; k++) {
			size_t n, off;
			seed = seed * 1103515245u + 12345u;
			n = (seed >> 16) % 201;
			seed = seed * 1103515245u + 12345u;
			off = (seed >> 16) % (POOL - 200);
			incr_digest_item(&d, pool + off, n);
			for (i = 0; i < 8; i++)
				stream[len++] = (unsigned char)((uint64_t)n >> (8 * i));
			memcpy(stream + len, pool + off, n);
			len += n;
		}
		incr_digest_final(&d, got);
		S_reference(key, stream, len, want);
		same += got[0] == want[0] && got[1] == want[1];
	}
	CHECK_INT(same, trials);
	free(pool);
	free(stream);
}

/* A long item, as a whole page file is fed (rerender.c), at each of the 8 alignments. */
static void test_long_item(void)
{
	enum { N = 100000 };
	unsigned char *buf = malloc(N + 16), *stream = malloc(N + 8);
	uint64_t key[2] = { 42, 7 };
	int a, same = 0;
	size_t i;

	for (i = 0; i < N + 16; i++)
		buf[i] = (unsigned char)(i * 131 + (i >> 7));
	for (a = 0; a < 8; a++) {
		struct incr_digest d;
		uint64_t got[2], want[2];
		incr_digest_init(&d, key);
		incr_digest_item(&d, buf + a, N - (size_t)a);
		incr_digest_final(&d, got);
		for (i = 0; i < 8; i++)
			stream[i] = (unsigned char)((uint64_t)(N - (size_t)a) >> (8 * i));
		memcpy(stream + 8, buf + a, N - (size_t)a);
		S_reference(key, stream, N - (size_t)a + 8, want);
		same += got[0] == want[0] && got[1] == want[1];
	}
	CHECK_INT(same, 8);
	free(buf);
	free(stream);
}

int main(void)
{
	test_reference_vector();
	test_items_match_reference();
	test_long_item();
	return CHECK_DONE("test_incr");
}
