/*
 * test_ids: the digests the forges name a diff's files by (SHA-256 for
 * GitHub, SHA-1 for GitLab and Gitea), on the FIPS 180 examples and on
 * every length around the padding's edges, against digests of the same
 * bytes worked out once with sha256sum and sha1sum.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ids.h"

static const char *S_hex(int sha256, const char *s, size_t n)
{
	static char out[65];
	ids_digest_hex(out, sha256, s, n);
	return out;
}

int main(void)
{
	static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char *a = malloc(1000000);

	/* FIPS 180-2, appendix B (SHA-256) and A (SHA-1) */
	CHECK_STR(S_hex(1, "abc", 3), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK_STR(S_hex(1, "", 0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CHECK_STR(S_hex(1, two_blocks, strlen(two_blocks)),
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	CHECK_STR(S_hex(0, "abc", 3), "a9993e364706816aba3e25717850c26c9cd0d89d");
	CHECK_STR(S_hex(0, two_blocks, strlen(two_blocks)), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	memset(a, 'a', 1000000);
	CHECK_STR(S_hex(1, a, 1000000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* the padding's edges: 55 bytes fit one block, 56 need two, 64 is a whole block */
	CHECK_STR(S_hex(1, a, 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	CHECK_STR(S_hex(1, a, 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	CHECK_STR(S_hex(1, a, 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
	CHECK_STR(S_hex(1, a, 119), "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb");
	/* a path as the forges hash it: UTF-8 bytes, as they are */
	CHECK_STR(S_hex(1, "content/docs/install.md", 23),
		  "3d01c35930153f5853d7ecc41415b82d35e6d41e6bd26a8453c7e5b19c739d85");
	CHECK_STR(S_hex(0, "content/docs/install.md", 23), "8923c1e939aec5821255a369068733cef315cf46");
	free(a);
	return CHECK_DONE("test_ids");
}
