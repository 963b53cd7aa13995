/*
 * diskcache: the parse cache of `jixia build`, kept on disk between runs.
 *
 * One file per site folder, $XDG_CACHE_HOME/jixia/parse-DIGEST.cache
 * (DIGEST: of the folder's physical path), beside the build stamps: never
 * in the repository, where a commit could plant results for pages it does
 * not hold. Its header names a key drawn at random when the file was
 * first made and the digest, under that key, of the context every page's
 * parse reads besides its own file (site.yaml, the base URL, the theme's
 * i18n files, jixia's executable: another jixia or config reuses nothing).
 * Each entry holds one page's parse result under the digest of the
 * context, its path and its bytes; pages whose digest is an entry's take
 * it instead of being parsed. The entry also holds the file's identity
 * when it was read (source_file.ident: device, inode, times, length): a
 * file with the same identity has the entry's digest without its bytes
 * hashed (git's index trusts a file's stat alike; a file changed in the
 * tick its walk began has none).
 *
 * The entries' checked parts are read through a mapping of the span
 * they lie in (S_blocks_map: they lie together, the bulks apart and unread),
 * the reused pages' strings views of it, so a rebuild's parse stage
 * takes little fresh memory; a file cut short under the mapping reads
 * zeros past the cut (mapped.h) and fails the build (diskcache_kept_cut).
 * When the span cannot be mapped, blocks of entries are read with pread
 * and the strings copied. The file is trusted in nothing: the header's
 * magic, version and checksum, each entry's length against what is left
 * and its own checksum (verified by the worker that takes it), every
 * count against the bytes that remain, the front matter's depth and
 * nodes, the search terms' layout and numbers. Whatever does not hold is
 * ignored and the page parsed. The checksums find damage, not a forger:
 * whoever can write the user's cache can change jixia's results anyway
 * (as with the stamps and pictures beside it). A reused page's body is
 * not copied: it stays in the file, read back by the render through a
 * descriptor of its own (spill.h's spill_file), as a cold build's bodies
 * are from its temporary file; a later run appends to the file or
 * renames another over it, never writes the bytes it holds (but for the
 * digest of an entry whose body or terms did not hold when read back,
 * zeroed so that no run takes it again: S_forget).
 *
 * Format (integers little-endian): the header (S_HEAD bytes: magic,
 * version, key, context, records, checksum of the rest), then each
 * record: its body's length, the body's checksum (two words, S_sum), the
 * body. An entry's body, its checked part, all under the head's checksum:
 * the digest (two words), the path, its length again, where its bulk is
 * in the file and the bulk's length, the parse result (S_encode: its
 * strings each with a NUL after its bytes, S_wstrz, so that a page's
 * strings can be views of the mapping), the identity and length
 * (S_TAIL). Its bulk: the rendered body (unless short or blank: then it
 * is in the parse result) and the packed terms, each
 * under a checksum of its own that the parse result holds, in a bulk
 * record (S_bulk_head: two zero words, S_BULK for the path, then bulks;
 * its head's checksum not made). A rebuild reads an entry's checked part
 * alone (a tenth of its bytes), and as a file's checked parts lie together
 * past its bulks, a block of them with one read (S_blocks): the body is
 * read, and checked, when a render shows it (spill.h's check), the terms
 * when the index walks them (pagetok.h's lazy), which most rebuilds never
 * do; either damaged makes the page parsed again from its file then
 * (S_again). No two entries' bulks, nor a bulk and a record, share a byte
 * (S_overlap). A term record's (S_terms_record): two zero words, S_NONE
 * for the path, the number of its first term, its count and each term's
 * bytes: the terms of the file, numbered in the order their records give
 * them, which the entries hold by number (pagetok.h). A file written whole
 * (S_finish) holds the bulk record, the term record, then every entry in
 * the pages' order. A run that parsed a few pages appends the bulk record
 * of their bulks, a term record of the terms new to the file and their
 * entries, and counts them in the header (S_append): of a path's entries
 * the last one stands, the older are dead until a run writes the file
 * again without them (past a quarter dead); the terms stay, each once.
 */
#include "diskcache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <zlib.h>

#include "config.h"
#include "diag.h"
#include "history.h"
#include "incr.h"
#include "mapped.h"
#include "model.h"
#include "pagetok.h"
#include "parse.h"
#include "pool.h"
#include "source.h"
#include "spill.h"
#include "util.h"
#include "yaml.h"

#define S_MAGIC "jixia parse\n\0\0\0\0"
#define S_VERSION 3
#define S_PVERSION 6            /* the parse cache's: a page's strings each with its NUL (S_wstrz) */
#define S_HEAD 72               /* magic 16, version 8, key 16, context 16, entries 8, checksum 8 */
#define S_ENTRY_HEAD 24         /* length 8, checksum 16 */
#define S_TAIL 40               /* the page file's identity (source_file.ident) 32 and length 8 */
#define S_MAX_FILE (1ull << 32) /* larger is not a cache of ours: ignored */
#define S_MAX_DEPTH 64          /* front matter: yaml.c builds at most 32 deep */
#define S_MAX_NODES 100000      /* and at most this many nodes (yaml.c's default) */
#define S_NONE 0xffffffffu      /* a NULL string */
#define S_BULK 0xfffffffeu      /* a bulk record's path (S_ENTRY_HEAD + 20 bytes: its preamble) */
#define S_BULK_HEAD (S_ENTRY_HEAD + 20)
/* Entries whose checked parts lie this close are read with one read (S_blocks), up to S_BLOCK bytes. */
#define S_GAP 4096
#define S_BLOCK (256u << 10)
#define S_MAX_TERMS (1u << 26) /* pagetok's table holds no more */
/* Caches of site folders no build used for this long are removed. */
#define S_DAYS 30
/* The file's list (S_list_save): its magic, version, the file's header, length, device and inode. */
#define S_LMAGIC "jixia parse list"
#define S_LHEAD (16 + 8 + S_HEAD + 8 + 16)

/* A record of the file: where its head is, its body's length, how much of it the head checks,
   and an entry's bulk: where, and its length. */
struct place {
	uint64_t off, len, checked;
	uint64_t bulk, blen;
};

/* One entry of the file: where it is, and its path. */
struct entry {
	uint64_t off; /* of its head (S_ENTRY_HEAD bytes), then len bytes of body */
	uint64_t len;
	uint64_t checked; /* the body's first bytes under the head's checksum, the tail last */
	uint64_t bulk;    /* where its bulk is in the file (in a bulk record), and its length */
	uint64_t blen;
	char *path; /* its own */
	size_t path_len;
};

/* A fresh entry's checked record (head and checked part), and where tmp has its bulk. */
struct made {
	unsigned char *rec; /* its own, n bytes; its bulk's place and head set when it is written */
	size_t n;
	uint64_t bulk, blen;
};

/* Entries whose checked records lie close in the file, read with one read by the first page that
   needs one of them (S_blocks), freed by the last. */
struct rblock {
	pthread_mutex_t lock;
	uint64_t lo, hi;  /* the bytes read */
	unsigned char *p; /* NULL until read, and once the last page took its entry */
	int state;        /* 0: not read yet, 1: read, -1: the read failed */
	size_t left;      /* pages still to take their entry from it (atomic) */
};

struct diskcache_parse {
	char *file;      /* the cache file */
	uint64_t key[2]; /* the file's (or a fresh one) */
	uint64_t ctx[2]; /* the context's digest under key */
	int in;          /* the old file, -1 when none or not ours */
	uint64_t in_len;
	struct entry *entries; /* its entries, sorted by path, the last written of each path only */
	size_t nentries;
	uint64_t count;     /* entries the old file's header counts (older ones of a path among them) */
	int whole;          /* all of them listed, the last ending where the file does: it may grow */
	struct place *trec; /* the old file's term records, in their order (for the list) */
	size_t ntrec;
	struct place *at;  /* per page: where its entry is in the file this run leaves (S_finish, S_append) */
	struct made *made; /* per page: its fresh checked record (S_FRESH; S_finish: S_REUSED too) */
	struct rblock *blocks; /* the found entries' checked records, read a block at a time */
	size_t nblocks;
	uint32_t *block_of; /* per page: its found entry's block */
	uint64_t nreads;    /* reads of the file's entries (atomic), for -v */
	uint64_t tmp_end;   /* bytes of tmp so far (the workers' writes, under the lock) */
	size_t listed;      /* the entries S_list_read listed (-v) */
	char *list;         /* the file's list, FILE.list (S_list_save) */
	struct page *pages;
	size_t npages;
	const struct source *src;   /* the pages' files (source_bytes) */
	const struct entry **found; /* per page: its path's entry, or NULL */
	unsigned char *state;       /* per page: S_REUSED, S_FRESH or 0 (not in the next file) */
	uint64_t (*digest)[2];      /* per page: of the context, path and bytes */
	unsigned long parsed;       /* pages parsed (the workers add atomically) */
	unsigned long hashed;       /* page files whose bytes were hashed (their identity not an entry's) */
	char *tmp;                  /* the next file, written beside it and renamed */
	int fd;                     /* tmp's, -1 when it could not be made */
	pthread_mutex_t lock;       /* the workers' writes to fd */
	int failed;                 /* a write to fd failed: the next file is not made */
	/* The terms' dictionary: the entries hold each term by its number in
	   the file (pagetok.h), its bytes once in a term record. */
	uint32_t *from_file; /* a number of the old file's -> pagetok's table's, nterms of them */
	int same_numbers;    /* from_file[k] is k for every k: the entries' terms are copied as they are */
	uint32_t nterms;     /* the old file's terms; the next file's numbers go on from there */
	uint64_t terms_len;  /* bytes of the old file's term records (heads too) */
	uint32_t *to_file;   /* pagetok's number -> the file's (S_NOTERM: none yet), nto of them */
	size_t nto;
	uint32_t *fresh; /* pagetok's numbers of the terms numbered nterms, nterms + 1, ... (nfresh) */
	size_t nfresh, cfresh;
	struct spill *bodies;        /* spill_file of the old file: a reused page's body stays in it */
	struct diskcache_kept *kept; /* what the reused pages left in the old file (S_again) */
	int taken;                   /* kept is the load's (diskcache_parse_take) */
	uint64_t read;               /* bytes of entries read (atomic), for -v */
	uint64_t min_bulk;           /* the shortest body spill_worth keeps in a file (S_min_bulk) */
};

/* A page whose body stays in the old file: where, and its number (S_by_off). */
struct body_at {
	uint64_t off;
	size_t i;
};

/* A reused page's bulk, left in the old file: where, and its checksums (S_encode). */
struct kept_page {
	/* what parsing the page again reads (S_again): the pages move once parsed (the model
	   sorts them), these do not */
	const char *path;
	const struct source_file *src;
	const struct lang *lang;
	uint64_t digest[2];   /* the page's (of the context, its path and bytes) */
	uint64_t body_off;    /* its body's place in the file, when html_spill is the old file's */
	uint64_t body_sum[2]; /* and its checksum */
	uint64_t terms_off;   /* its packed terms, tsize bytes (tokens.lazy) */
	uint64_t terms_sum[2];
	uint32_t tsize, tn;
	uint64_t entry_off; /* its entry's head in the file this run left (S_placed), 0: not known */
	int taken;          /* the entry was taken (diskcache_parse_reuse): S_placed places it */
	int forgotten;      /* S_forget's, under the lock: once */
};

/*
 * The reused pages' bodies and terms, read from the old file after the
 * parse stage, when something needs them: a body the render shows, terms
 * the index walks. Owned by the load (site.h) from diskcache_parse_take.
 */
struct diskcache_kept {
	struct pagetok_lazy lazy; /* first: its load is S_terms_load */
	int fd;                   /* the old file's, a duplicate */
	uint64_t key[2], ctx[2];
	uint32_t *from_file; /* the file's term numbers -> pagetok's table's (NULL: the same) */
	uint32_t nterms;
	const struct source *src;
	const struct config *cfg;
	size_t npages;
	struct kept_page *v;    /* per page, in the parse stage's order (a page's tokens.lazy_i) */
	pthread_mutex_t lock;   /* by_off, made by the first body read back; S_forget */
	struct body_at *by_off; /* the pages whose body stays in the file, by its place there */
	size_t nby;
	char *file; /* the cache file (S_forget), NULL until this run left one there (S_placed) */
	dev_t dev;  /* that one's identity: the pages' entry_off are places in it */
	/* The entries' checked records mapped (S_blocks_map), their first byte at span (the file's
	   span_lo), or NULL: read a block at a time. The reused pages' strings are views of it
	   (page.parse_mapped): it stays as long as the pages do. */
	struct mapped *map;
	const unsigned char *span;
	uint64_t span_lo;
	ino_t ino;
	unsigned long bodies, terms, again; /* read back, and pages parsed again (atomic, -v) */
};

#define S_NOTERM UINT32_MAX

enum { S_REUSED = 1, S_FRESH = 2 };

/* --- checksums -------------------------------------------------------------- */

/* A bijective mix of 64 bits (the splitmix64 finaliser). */
static uint64_t S_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* One word into a lane of S_sum. */
static uint64_t S_lane(uint64_t x, uint64_t w)
{
	x = (x ^ w) * 0x9e3779b97f4a7c15ull;
	return x << 29 | x >> 35;
}

/*
 * The checksum of a record's body (n bytes at p) under key: four lanes
 * of 64-bit words, each step a bijection of its lane (xor, an odd
 * multiplier, a rotation), so one damaged word always changes the result;
 * the lanes, the length and the key folded through S_mix. It finds damage,
 * what the records' checksums are for (above), at memory speed: SipHash
 * over every entry was a third of a one-page rebuild's parse stage. Words
 * in the host's order: only the host that wrote the file reads it (on
 * another, the entries do not hold and are parsed again). In pieces
 * (S_sum_more, a state written as it is made): each piece but the last a
 * multiple of 32 bytes, the result S_sum's of them all.
 */
struct sum_run {
	uint64_t a, b, c, d;
	size_t len;
};

static void S_sum_begin(struct sum_run *s, const uint64_t key[2])
{
	s->a = key[0];
	s->b = key[1];
	s->c = ~key[0];
	s->d = ~key[1];
	s->len = 0;
}

static void S_sum_more(struct sum_run *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t a = s->a, b = s->b, c = s->c, d = s->d, w[4];

	s->len += n;
	for (; n >= 32; p += 32, n -= 32) {
		memcpy(w, p, 32);
		a = S_lane(a, w[0]);
		b = S_lane(b, w[1]);
		c = S_lane(c, w[2]);
		d = S_lane(d, w[3]);
	}
	if (n) {
		memset(w, 0, sizeof(w));
		memcpy(w, p, n);
		a = S_lane(a, w[0]);
		b = S_lane(b, w[1]);
		c = S_lane(c, w[2]);
		d = S_lane(d, w[3]);
	}
	s->a = a;
	s->b = b;
	s->c = c;
	s->d = d;
}

static void S_sum_end(const struct sum_run *s, uint64_t out[2])
{
	out[0] = S_mix(s->a + S_mix(s->b ^ (uint64_t)s->len));
	out[1] = S_mix(s->c + S_mix(s->d ^ out[0]));
}

static void S_sum(const uint64_t key[2], const void *data, size_t n, uint64_t out[2])
{
	struct sum_run s;

	S_sum_begin(&s, key);
	S_sum_more(&s, data, n);
	S_sum_end(&s, out);
}

/* --- reading, bounded -------------------------------------------------------- */

/* A count of items of at least min bytes each: more than the bytes left is damage. */
static size_t S_rcount(struct le_reader *r, size_t min)
{
	uint32_t n = (uint32_t)le_read(r, 4);
	if ((size_t)n > (size_t)(r->end - r->p) / min) {
		r->bad = 1;
		return 0;
	}
	return n;
}

/* A string of its own (NULL when written as none), without a NUL inside; *len its length. */
static char *S_rstr(struct le_reader *r, size_t *len)
{
	uint32_t n = (uint32_t)le_read(r, 4);
	const unsigned char *p;
	char *s;

	if (n == S_NONE || r->bad)
		return NULL;
	p = le_take(r, n);
	if (!p || memchr(p, '\0', n)) {
		r->bad = 1;
		return NULL;
	}
	s = xmalloc((size_t)n + 1);
	memcpy(s, p, n);
	s[n] = '\0';
	if (len)
		*len = n;
	return s;
}

/*
 * A string written with its NUL (S_wstrz; NULL when written as none),
 * without a NUL inside; *len its length. With view, the bytes in the
 * record themselves (the record is the mapping's, S_blocks_map: they stay
 * as long as the pages), else a copy of its own.
 */
static char *S_rstrz(struct le_reader *r, size_t *len, int view)
{
	size_t n;
	const char *p = le_read_strz(r, &n);
	char *s;

	if (p && len)
		*len = n;
	if (!p || view)
		return (char *)(uintptr_t)p; /* read only: no reader writes a page's strings */
	s = xmalloc(n + 1);
	memcpy(s, p, n + 1);
	return s;
}

/*
 * A reused page's front matter nodes in one block of its own, when its
 * strings are views (S_decode): counted by a first pass (node NULL), then
 * placed by a second over the same bytes, each node and kids array the
 * block's next (170,000 heap blocks at 10,000 pages otherwise, a tenth of
 * their bytes the heap's own). The block is the root node's address.
 */
struct node_room {
	struct ynode *node, *node_end; /* the next node's place (NULL: count), and the block's end */
	struct ynode **kid, **kid_end; /* the next kids' */
	size_t nodes, kids;            /* counted */
	struct ynode scratch;          /* the node being counted */
};

/* What the count gives for a node (never read: the count writes a node of its own). */
static const struct ynode S_counted;

/* What S_rnode gives for n: n, or while counting (n the room's scratch) a stand-in that is not NULL. */
static struct ynode *S_node_out(const struct node_room *room, struct ynode *n)
{
	return room && !room->node ? (struct ynode *)(uintptr_t)&S_counted : n;
}

/* n's kids' room: its own array (no room), the block's next, or none while counting. */
static struct ynode **S_kids(struct le_reader *r, struct node_room *room, size_t n)
{
	struct ynode **k;

	if (!room)
		return n ? xcalloc(n, sizeof(struct ynode *)) : NULL;
	if (!room->node) {
		room->kids += n;
		return NULL;
	}
	if (n > (size_t)(room->kid_end - room->kid)) { /* not the bytes counted */
		r->bad = 1;
		return NULL;
	}
	k = n ? room->kid : NULL;
	room->kid += n;
	return k;
}

/* A front matter node and its kids (the scalars' text as S_rstrz's view says, each node its own
   heap block without room, else room's); NULL when damaged (r->bad) or written as none. */
static struct ynode *S_rnode(struct le_reader *r, int depth, size_t *nodes, int view, struct node_room *room)
{
	int kind = (int)le_read(r, 1);
	struct ynode *n, **kids;
	size_t i, nk;

	if (kind == 0 || r->bad)
		return NULL;
	if (kind > YNODE_MAP + 1 || depth > S_MAX_DEPTH || ++*nodes > S_MAX_NODES) {
		r->bad = 1;
		return NULL;
	}
	if (!room) {
		n = xcalloc(1, sizeof(*n));
	} else if (!room->node) {
		n = &room->scratch;
		memset(n, 0, sizeof(*n));
		room->nodes++;
	} else if (room->node < room->node_end) {
		n = room->node++;
	} else { /* not the bytes counted */
		r->bad = 1;
		return NULL;
	}
	n->kind = (enum ynode_kind)(kind - 1);
	n->line = (int)(uint32_t)le_read(r, 4);
	n->col = (int)(uint32_t)le_read(r, 4);
	n->plain = (int)le_read(r, 1);
	if (n->kind == YNODE_SCALAR) {
		n->str = S_rstrz(r, &n->len, view);
		if (!n->str)
			r->bad = 1;
		return S_node_out(room, n);
	}
	n->n = S_rcount(r, 1);
	if (n->kind == YNODE_MAP && n->n % 2)
		r->bad = 1;
	if (r->bad) {
		n->n = 0;
		return S_node_out(room, n);
	}
	/* (while counting, n is the scratch its kids' count writes over: its count and kids kept here) */
	nk = n->n;
	kids = n->kids = S_kids(r, room, nk);
	for (i = 0; i < nk && !r->bad; i++) {
		struct ynode *k = S_rnode(r, depth + 1, nodes, view, room);
		/* a map's keys are scalars, as yaml.c makes them: every reader takes a key's str */
		if (!k || (n->kind == YNODE_MAP && i % 2 == 0 && k->kind != YNODE_SCALAR))
			r->bad = 1;
		if (k && kids)
			kids[i] = k;
	}
	return S_node_out(room, n);
}

/*
 * The front matter of a page whose strings are views (view), its nodes in
 * one block (struct node_room: freed with free(front), the root); else
 * each its own (ynode_free). NULL when written as none or damaged.
 */
static struct ynode *S_front(struct le_reader *r, int view)
{
	struct le_reader again = *r;
	struct node_room room;
	struct ynode *block;
	size_t nodes = 0;

	if (!view)
		return S_rnode(r, 0, &nodes, 0, NULL);
	memset(&room, 0, sizeof(room));
	if (!S_rnode(r, 0, &nodes, 1, &room) || r->bad || !room.nodes)
		return NULL;
	/* (at most S_MAX_NODES nodes, each kid a node: no overflow) */
	block = xcalloc(1, room.nodes * sizeof(struct ynode) + room.kids * sizeof(struct ynode *));
	room.node = block;
	room.node_end = block + room.nodes;
	room.kid = (struct ynode **)(void *)room.node_end;
	room.kid_end = room.kid + room.kids;
	*r = again;
	nodes = 0;
	if (S_rnode(r, 0, &nodes, 1, &room) != block || r->bad || room.node != room.node_end ||
	    room.kid != room.kid_end) {
		r->bad = 1;
		free(block);
		return NULL;
	}
	return block;
}

static int S_pread(const struct diskcache_parse *dc, void *p, size_t n, uint64_t off);

/* The page's body len bytes at off of the old file, read and checked against sum: its own copy, or NULL. */
static char *S_body_read(const struct diskcache_parse *dc, uint64_t off, uint64_t len, const uint64_t sum[2])
{
	char *h = xmalloc((size_t)len + 1);
	uint64_t check[2];

	if (S_pread(dc, h, (size_t)len, off) == 0) {
		S_sum(dc->key, h, (size_t)len, check);
		if (check[0] == sum[0] && check[1] == sum[1]) {
			h[len] = '\0';
			return h;
		}
	}
	free(h);
	return NULL;
}

/*
 * The parse result of page i's entry (its checked part past the digest,
 * path and count, to the tail) into page; 0, or -1 when damaged. Its bulk
 * is the bulk bytes at off of the old file: the body and terms there stay
 * unread (dc->kept reads them when needed), or without a spill file of
 * the old file the body is read and checked now.
 */
static int S_decode(struct diskcache_parse *dc, size_t i, struct le_reader *r, struct page *page,
		    uint64_t off, uint64_t bulk)
{
	struct kept_page *k = &dc->kept->v[i];
	struct page p;
	size_t j;
	uint64_t len, hlen = 0, bsum[2] = { 0, 0 };
	uint32_t tsize, tn;
	int body = 0, where = 0, view = dc->kept->map != NULL; /* the record is the mapping's */

	memset(&p, 0, sizeof(p));
	p.body_line = (int)(uint32_t)le_read(r, 4);
	p.reading_minutes = (int)(uint32_t)le_read(r, 4);
	p.words = (size_t)le_read(r, 8);
	len = le_read(r, 8);
	if (len != UINT64_MAX) {
		where = (int)le_read(r, 1);
		/* Where S_encode puts a body, spill_worth decides; the model tells a blank body by
		   where it is (model.c's S_wanted: a question page's open), so an entry that put one
		   elsewhere would not give a cold build's site: here, a body short or blank; in
		   the bulk, one long enough (its blankness checked when it is read, S_body_check). */
		if (where == 0) { /* short or blank: here */
			const unsigned char *h = le_take(r, (size_t)len);
			if (h && spill_worth((const char *)h, (size_t)len))
				r->bad = 1;
			else if (h) {
				p.html = xmalloc((size_t)len + 1);
				memcpy(p.html, h, (size_t)len);
				p.html[len] = '\0';
				p.html_len = (size_t)len;
			}
			body = h != NULL;
		} else if (where == 1 && len <= bulk && len >= dc->min_bulk) { /* the bulk's first bytes */
			bsum[0] = le_read(r, 8);
			bsum[1] = le_read(r, 8);
			hlen = len;
			body = 1;
		} else {
			r->bad = 1;
		}
	}
	p.toc = S_rstrz(r, NULL, view);
	p.summary = S_rstrz(r, NULL, view);
	p.nanchors = S_rcount(r, 4);
	p.anchors = p.nanchors ? xcalloc(p.nanchors, sizeof(*p.anchors)) : NULL;
	for (j = 0; j < p.nanchors && !r->bad; j++)
		if (!(p.anchors[j] = S_rstrz(r, NULL, view)))
			r->bad = 1;
	if ((int)le_read(r, 1)) {
		p.nlinks = S_rcount(r, 4 + 4 + 4 + 3);
		p.links = xcalloc(p.nlinks ? p.nlinks : 1, sizeof(*p.links));
		for (j = 0; j < p.nlinks && !r->bad; j++) {
			struct link *l = &p.links[j];
			if (!(l->url = S_rstrz(r, NULL, view)))
				r->bad = 1;
			l->line = (int)(uint32_t)le_read(r, 4);
			l->col = (int)(uint32_t)le_read(r, 4);
			l->image = (int)le_read(r, 1);
			l->md = (int)le_read(r, 1);
			l->local = (int)le_read(r, 1);
		}
	}
	/* the terms, by the file's numbers (pagetok.h), after the body in the bulk: read when walked */
	tsize = (uint32_t)le_read(r, 4);
	tn = (uint32_t)le_read(r, 4);
	p.tokens.len[PAGETOK_HEADINGS] = (uint32_t)le_read(r, 4);
	p.tokens.len[PAGETOK_BODY] = (uint32_t)le_read(r, 4);
	k->terms_sum[0] = le_read(r, 8);
	k->terms_sum[1] = le_read(r, 8);
	/* each term 2 bytes at least (pagetok_unpack_as), and the bulk the body and the terms */
	if ((tn == 0) != (tsize == 0) || tn > tsize / 2 || hlen + tsize != bulk)
		r->bad = 1;
	p.tokens.n = tn;
	/* The digest is under this process's hash key: only serve's index reads it, and serve
	   has its own cache. */
	p.tokens.digest = 0;
	p.front = S_front(r, view);
	if (p.front && p.front->kind != YNODE_MAP)
		r->bad = 1;
	if (!r->bad && r->p == r->end && body && where == 1 && !dc->bodies &&
	    (!(p.html = S_body_read(dc, off, hlen, bsum)) || !spill_worth(p.html, (size_t)hlen)))
		r->bad = 1;
	if (r->bad || r->p != r->end || !body) {
		if (view) {
			free(p.front); /* its nodes' block (S_front) */
		} else {
			ynode_free(p.front);
			free(p.toc);
			free(p.summary);
			for (j = 0; j < p.nanchors; j++)
				free(p.anchors[j]);
			for (j = 0; j < p.nlinks; j++)
				free(p.links[j].url);
		}
		free(p.html);
		free(p.anchors);
		free(p.links);
		return -1;
	}
	if (where == 1 && p.html) {
		p.html_len = (size_t)hlen;
	} else if (where == 1) { /* left in the file, checked when read back (S_body_check) */
		spill_page_unread(dc->bodies, &p, (size_t)hlen, off);
		memcpy(k->body_sum, bsum, sizeof(bsum));
		k->body_off = off;
	}
	if (tsize) {
		k->terms_off = off + hlen;
		k->tsize = tsize;
		k->tn = tn;
		p.tokens.lazy = &dc->kept->lazy;
		p.tokens.lazy_i = i;
	}
	page->body_line = p.body_line;
	page->reading_minutes = p.reading_minutes;
	page->words = p.words;
	page->html = p.html;
	page->html_len = p.html_len;
	page->html_spill = p.html_spill;
	page->html_off = p.html_off;
	page->toc = p.toc;
	page->summary = p.summary;
	page->anchors = p.anchors;
	page->nanchors = p.nanchors;
	page->links = p.links;
	page->nlinks = p.nlinks;
	page->tokens = p.tokens;
	page->front = p.front;
	page->parse_mapped = view;
	return 0;
}

/* --- writing ----------------------------------------------------------------- */

/* s's length (S_NONE: none) and bytes. */
static void S_wstr(struct buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (!s || n >= S_NONE) {
		buf_put_le(b, S_NONE, 4);
		return;
	}
	buf_put_le(b, n, 4);
	buf_put(b, s, n);
}

/* A string of the parse result, with its NUL: a rebuild's page points at it in the file (S_rstrz). */
static void S_wstrz(struct buf *b, const char *s)
{
	buf_put_strz(b, s);
}

static void S_wnode(struct buf *b, const struct ynode *n)
{
	size_t i;

	if (!n) {
		buf_put_le(b, 0, 1);
		return;
	}
	buf_put_le(b, (uint64_t)n->kind + 1, 1);
	buf_put_le(b, (uint64_t)(uint32_t)n->line, 4);
	buf_put_le(b, (uint64_t)(uint32_t)n->col, 4);
	buf_put_le(b, n->plain ? 1 : 0, 1);
	if (n->kind == YNODE_SCALAR) { /* with its NUL, as S_wstrz */
		buf_put_le(b, n->len, 4);
		buf_put(b, n->str, n->len);
		buf_putc(b, '\0');
		return;
	}
	buf_put_le(b, n->n, 4);
	for (i = 0; i < n->n; i++)
		S_wnode(b, n->kids[i]);
}

/* The head of the record in b from at: its body's length and checksum under dc's key. */
static void S_seal_record(const struct diskcache_parse *dc, struct buf *b, size_t at)
{
	uint64_t check[2], len = b->len - at - S_ENTRY_HEAD;
	size_t k;

	S_sum(dc->key, b->ptr + at + S_ENTRY_HEAD, (size_t)len, check);
	for (k = 0; k < 8; k++) {
		b->ptr[at + k] = (char)(len >> (8 * k));
		b->ptr[at + 8 + k] = (char)(check[0] >> (8 * k));
		b->ptr[at + 16 + k] = (char)(check[1] >> (8 * k));
	}
}

/*
 * t's terms by the file's numbers into b: a term no entry of the file
 * has had takes the next number (written in the term record at the end,
 * S_terms_record). On a worker: under the lock.
 */
static void S_put_terms(struct diskcache_parse *dc, struct buf *b, const struct page_tokens *t)
{
	uint32_t *ids = xmalloc((t->n ? t->n : 1) * sizeof(*ids));
	size_t k;

	pagetok_ids(t, ids);
	pthread_mutex_lock(&dc->lock);
	for (k = 0; k < t->n; k++) {
		uint32_t id = ids[k];
		if (id >= dc->nto) {
			size_t was = dc->nto, n = dc->nto ? dc->nto : 1024;
			while (n <= id)
				n *= 2;
			dc->to_file = xrealloc(dc->to_file, n * sizeof(*dc->to_file));
			memset(dc->to_file + was, 0xff, (n - was) * sizeof(*dc->to_file));
			dc->nto = n;
		}
		if (dc->to_file[id] == S_NOTERM) {
			ARRAY_GROW(dc->fresh, dc->nfresh, dc->cfresh, 1024);
			dc->fresh[dc->nfresh] = id;
			dc->to_file[id] = dc->nterms + (uint32_t)dc->nfresh++;
		}
	}
	pagetok_pack_as(t, dc->to_file, b);
	pthread_mutex_unlock(&dc->lock);
	free(ids);
}

/* The place of the bulk's offset in an entry's checked record (rec: its head first). */
static size_t S_bulk_field(const unsigned char *rec)
{
	return S_ENTRY_HEAD + 20 + (size_t)le_get(rec + S_ENTRY_HEAD + 16, 4) + 8;
}

/* The checked record rec (n bytes, its head first) with its bulk at bulk, and its head made:
   the checked part's length and checksum. */
static void S_rec_seal(const struct diskcache_parse *dc, unsigned char *rec, size_t n, uint64_t bulk)
{
	uint64_t check[2];

	le_put(rec + S_bulk_field(rec), bulk, 8);
	S_sum(dc->key, rec + S_ENTRY_HEAD, n - S_ENTRY_HEAD, check);
	le_put(rec, n - S_ENTRY_HEAD, 8);
	le_put(rec + 8, check[0], 8);
	le_put(rec + 16, check[1], 8);
}

/*
 * Page i's entry into b (emptied first): its checked record, the head
 * and the checked part, whose bulk's place is set when it is written
 * (S_rec_seal); and its bulk into bulk (a body worth a file of its own,
 * spill_worth, and the packed terms), each part of it under a checksum the
 * checked part holds. What S_decode reads back.
 */
static void S_encode(struct diskcache_parse *dc, struct buf *b, struct buf *bulk_out, size_t i)
{
	static const char zero[S_ENTRY_HEAD];
	const struct page *p = &dc->pages[i];
	struct buf terms = BUF_INIT;
	uint64_t check[2];
	size_t k, at, terms_len;
	int bulk = p->html && spill_worth(p->html, p->html_len);

	/* the terms by the file's numbers, not this process's (pagetok.h) */
	S_put_terms(dc, &terms, &p->tokens);
	terms_len = terms.len;
	buf_reset(b);
	buf_put(b, zero, S_ENTRY_HEAD); /* the head, once the bulk is written (S_rec_seal) */
	buf_put_le(b, dc->digest[i][0], 8);
	buf_put_le(b, dc->digest[i][1], 8);
	S_wstr(b, p->path);
	at = b->len;
	buf_put_le(b, 0, 8); /* the bytes checked, once known */
	buf_put_le(b, 0, 8); /* the bulk's place, once written */
	buf_put_le(b, (bulk ? p->html_len : 0) + terms_len, 8);
	buf_put_le(b, (uint64_t)(uint32_t)p->body_line, 4);
	buf_put_le(b, (uint64_t)(uint32_t)p->reading_minutes, 4);
	buf_put_le(b, p->words, 8);
	if (p->html) {
		buf_put_le(b, p->html_len, 8);
		buf_put_le(b, bulk, 1);
		if (bulk) {
			S_sum(dc->key, p->html, p->html_len, check);
			buf_put_le(b, check[0], 8);
			buf_put_le(b, check[1], 8);
		} else {
			buf_put(b, p->html, p->html_len);
		}
	} else {
		buf_put_le(b, UINT64_MAX, 8);
	}
	S_wstrz(b, p->toc);
	S_wstrz(b, p->summary);
	buf_put_le(b, p->nanchors, 4);
	for (k = 0; k < p->nanchors; k++)
		S_wstrz(b, p->anchors[k]);
	buf_put_le(b, p->links ? 1 : 0, 1);
	if (p->links) {
		buf_put_le(b, p->nlinks, 4);
		for (k = 0; k < p->nlinks; k++) {
			S_wstrz(b, p->links[k].url);
			buf_put_le(b, (uint64_t)(uint32_t)p->links[k].line, 4);
			buf_put_le(b, (uint64_t)(uint32_t)p->links[k].col, 4);
			buf_put_le(b, p->links[k].image ? 1 : 0, 1);
			buf_put_le(b, p->links[k].md ? 1 : 0, 1);
			buf_put_le(b, p->links[k].local ? 1 : 0, 1);
		}
	}
	S_sum(dc->key, terms.ptr, terms.len, check);
	buf_put_le(b, terms.len, 4);
	buf_put_le(b, p->tokens.n, 4);
	buf_put_le(b, p->tokens.len[PAGETOK_HEADINGS], 4);
	buf_put_le(b, p->tokens.len[PAGETOK_BODY], 4);
	buf_put_le(b, check[0], 8);
	buf_put_le(b, check[1], 8);
	S_wnode(b, p->front);
	for (k = 0; k < 4; k++)
		buf_put_le(b, p->src->ident[k], 8);
	buf_put_le(b, p->src->len, 8);
	le_put((unsigned char *)b->ptr + at, b->len - S_ENTRY_HEAD, 8);
	buf_reset(bulk_out);
	if (bulk)
		buf_put(bulk_out, p->html, p->html_len);
	buf_put(bulk_out, terms.ptr, terms.len);
	buf_release(&terms);
}

/*
 * The term record of the file's terms numbered first to nterms + nfresh,
 * appended to b: a record like an entry's whose path is none (S_NONE),
 * then the first number, the count and each term's bytes
 * (pagetok_term_put). Nothing when there are none.
 */
static void S_terms_record(const struct diskcache_parse *dc, struct buf *b, uint32_t first)
{
	static const char zero[S_ENTRY_HEAD + 16];
	uint32_t total = dc->nterms + (uint32_t)dc->nfresh, k;
	size_t at = b->len;

	if (first >= total)
		return;
	buf_put(b, zero, sizeof(zero)); /* the head, and no digest */
	buf_put_le(b, S_NONE, 4);
	buf_put_le(b, first, 4);
	buf_put_le(b, total - first, 4);
	for (k = first; k < total; k++)
		pagetok_term_put(k < dc->nterms ? dc->from_file[k] : dc->fresh[k - dc->nterms], b);
	S_seal_record(dc, b, at);
}

/*
 * The start every cache file's header shares: its magic (16 bytes), its
 * format's version, then two 16-byte words (a checksum key and what it was
 * made for, as each format names them), 56 bytes in all.
 */
static void S_head_start(struct buf *b, const char magic[16], uint64_t version, const uint64_t a[2],
			 const uint64_t c[2])
{
	buf_put(b, magic, 16);
	buf_put_le(b, version, 8);
	buf_put_le(b, a[0], 8);
	buf_put_le(b, a[1], 8);
	buf_put_le(b, c[0], 8);
	buf_put_le(b, c[1], 8);
}

/* The header's bytes before its checksum, and the checksum. */
static void S_header(struct buf *b, const struct diskcache_parse *dc, uint64_t count)
{
	struct incr_digest d;
	uint64_t check[2];

	S_head_start(b, S_MAGIC, S_PVERSION, dc->key, dc->ctx);
	buf_put_le(b, count, 8);
	incr_digest_init(&d, dc->key);
	incr_digest_item(&d, b->ptr, b->len);
	incr_digest_final(&d, check);
	buf_put_le(b, check[0], 8);
}

/* All n bytes at p to fd: 0, or -1. */
static int S_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* S_write_all at offset off: 0, or -1. */
static int S_pwrite_all(int fd, const void *p, size_t n, uint64_t off)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = pwrite(fd, c, n, (off_t)off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

/*
 * The file's list (S_list_read), beside it in FILE.list: the header,
 * length and identity (id) of the file it lists, where each term record is (in the order
 * their terms are numbered) and where each kept page's entry is (trec,
 * at: fresh or reused, for the pages whose state is not 0; its length,
 * checked part and bulk's place and length too) with its path,
 * and a checksum of it all. The next run lists the file's entries with
 * this one read rather than one read an entry (10,000 reads were a third
 * of a one-page rebuild's parse stage). Written whole, through a
 * temporary file and a rename; a run that changes the file and fails to
 * write it leaves a list of another header: not read.
 */
static void S_list_save(const struct diskcache_parse *dc, const struct buf *head, uint64_t len,
			const struct stat *id, const struct place *trec, size_t ntrec, const struct place *at)
{
	struct buf b = BUF_INIT, tmp = BUF_INIT;
	uint64_t check[2];
	size_t i, n = 0;
	int fd;

	for (i = 0; i < dc->npages; i++)
		n += dc->state[i] != 0;
	buf_put(&b, S_LMAGIC, 16);
	buf_put_le(&b, S_PVERSION, 8);
	buf_put(&b, head->ptr, S_HEAD);
	buf_put_le(&b, len, 8);
	buf_put_le(&b, (uint64_t)id->st_dev, 8);
	buf_put_le(&b, (uint64_t)id->st_ino, 8);
	buf_put_le(&b, ntrec, 4);
	buf_put_le(&b, n, 4);
	for (i = 0; i < ntrec; i++) {
		buf_put_le(&b, trec[i].off, 8);
		buf_put_le(&b, trec[i].len, 8);
	}
	for (i = 0; i < dc->npages; i++) {
		if (!dc->state[i])
			continue;
		buf_put_le(&b, at[i].off, 8);
		buf_put_le(&b, at[i].len, 8);
		buf_put_le(&b, at[i].checked, 8);
		buf_put_le(&b, at[i].bulk, 8);
		buf_put_le(&b, at[i].blen, 8);
		S_wstr(&b, dc->pages[i].path);
	}
	S_sum(dc->key, b.ptr, b.len, check);
	buf_put_le(&b, check[0], 8);
	buf_put_le(&b, check[1], 8);
	buf_printf(&tmp, "%s.XXXXXX", dc->list);
	if ((fd = mkstemp(tmp.ptr)) >= 0) {
		if (S_write_all(fd, b.ptr, b.len) != 0 || close(fd) != 0 || rename(tmp.ptr, dc->list) != 0)
			(void)unlink(tmp.ptr);
	}
	buf_release(&tmp);
	buf_release(&b);
}

/* --- the file ---------------------------------------------------------------- */

static int S_entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	size_t n = x->path_len < y->path_len ? x->path_len : y->path_len;
	int c = memcmp(x->path, y->path, n);
	return c ? c : (x->path_len > y->path_len) - (x->path_len < y->path_len);
}

/* By path, then where in the file: of a path's entries, the last written comes last. */
static int S_entry_order(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = S_entry_cmp(a, b);
	return c ? c : (x->off > y->off) - (x->off < y->off);
}

/* jixia itself into d (incr_exe_digest): another build of it may parse or walk otherwise. */
static void S_exe(struct incr_digest *d)
{
	uint64_t exe[2];

	incr_exe_digest(exe);
	incr_digest_item(d, exe, sizeof(exe));
}

/* The digest of what every page's parse reads besides its file, under dc->key. */
static void S_context(struct diskcache_parse *dc, const struct source *src, const struct config *cfg,
		      int theme)
{
	const struct source_file *y = source_find(src, "site.yaml");
	struct incr_digest d;
	size_t i, first, n;

	incr_digest_init(&d, dc->key);
	incr_digest_str(&d, "jixia parse cache 1");
	S_exe(&d);
	if (y)
		incr_digest_item(&d, y->data, y->len);
	else
		incr_digest_str(&d, NULL);
	incr_digest_str(&d, cfg->base_url);
	incr_digest_num(&d, theme ? 1 : 0);
	n = source_prefix(src, "layouts/i18n/", &first);
	for (i = first; theme && i < first + n; i++) {
		incr_digest_str(&d, src->files[i].path);
		incr_digest_item(&d, src->files[i].data, src->files[i].len);
	}
	incr_digest_final(&d, dc->ctx);
}

/* n bytes at off of fd into p: 0, or -1 when it has fewer (errno the read's, 0 when cut short). */
static int S_read_at(int fd, void *p, size_t n, uint64_t off)
{
	char *c = p;
	while (n > 0) {
		ssize_t got = pread(fd, c, n, (off_t)off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got == 0)
			errno = 0; /* (not one an earlier call left) */
		if (got <= 0)
			return -1;
		c += got;
		n -= (size_t)got;
		off += (uint64_t)got;
	}
	return 0;
}

/* n bytes at off of the old file into p: 0, or -1 when it has fewer. */
static int S_pread(const struct diskcache_parse *dc, void *p, size_t n, uint64_t off)
{
	return S_read_at(dc->in, p, n, off);
}

/*
 * A term record at off (len bytes of body, S_list checked the length):
 * its terms into pagetok's table, numbered from dc->nterms on; 0, or -1
 * when it does not hold (damaged, or not the numbers next).
 */
static int S_terms_read(struct diskcache_parse *dc, uint64_t off, uint64_t len)
{
	unsigned char *p = xmalloc(S_ENTRY_HEAD + (size_t)len);
	uint64_t check[2];
	uint32_t first, n;
	int rc = -1;

	if (len < 28 || S_pread(dc, p, S_ENTRY_HEAD + (size_t)len, off))
		goto done;
	S_sum(dc->key, p + S_ENTRY_HEAD, (size_t)len, check);
	first = (uint32_t)le_get(p + S_ENTRY_HEAD + 20, 4);
	n = (uint32_t)le_get(p + S_ENTRY_HEAD + 24, 4);
	/* each term 2 bytes at least: n is bounded by the record before anything is made */
	if (check[0] != le_get(p + 8, 8) || check[1] != le_get(p + 16, 8) || first != dc->nterms || !n ||
	    n > (len - 28) / 2 || (uint64_t)dc->nterms + n > S_MAX_TERMS)
		goto done;
	dc->from_file = xrealloc(dc->from_file, ((size_t)dc->nterms + n) * sizeof(*dc->from_file));
	if (pagetok_intern(p + S_ENTRY_HEAD + 28, (size_t)len - 28, n, dc->from_file + dc->nterms))
		goto done;
	dc->nterms += n;
	dc->terms_len += S_ENTRY_HEAD + len;
	rc = 0;
done:
	free(p);
	return rc;
}

static void S_entries_sort(struct diskcache_parse *dc);

/* e's record (its length and path known to fit) is its checked part, which holds the digest, path,
   count, bulk's place and length and tail; its bulk lies within the file past the header. */
static int S_entry_holds(const struct diskcache_parse *dc, const struct entry *e)
{
	return e->checked == e->len && e->checked >= 20 + (uint64_t)e->path_len + 24 + S_TAIL &&
	       e->bulk >= S_HEAD && e->bulk <= dc->in_len && e->blen <= dc->in_len - e->bulk;
}

/* The entries' heads and paths, as far as they hold (a cut file keeps those before the cut). */
static void S_list(struct diskcache_parse *dc, uint64_t count)
{
	/* the head, the digest, the path's length and (most paths) the path and what follows it:
	   one read an entry */
	unsigned char head[S_ENTRY_HEAD + 20 + 256 + 24];
	const size_t fixed = S_ENTRY_HEAD + 20;
	uint64_t i, at = S_HEAD;
	size_t got, ctrec = 0;

	dc->entries = xcalloc(count ? (size_t)count : 1, sizeof(*dc->entries));
	for (i = 0; i < count; i++) {
		struct entry *e = &dc->entries[dc->nentries];
		const unsigned char *q;
		uint64_t n;
		if (at > dc->in_len || dc->in_len - at < fixed)
			break;
		got = dc->in_len - at < sizeof(head) ? (size_t)(dc->in_len - at) : sizeof(head);
		if (S_pread(dc, head, got, at))
			break;
		e->off = at;
		e->len = le_get(head, 8);
		n = le_get(head + S_ENTRY_HEAD + 16, 4);
		if (e->len < 20 || e->len > dc->in_len - at - S_ENTRY_HEAD)
			break;
		if (n == S_BULK) { /* bulks, each read when its entry needs it */
			at += S_ENTRY_HEAD + e->len;
			continue;
		}
		if (n == S_NONE) { /* a term record: what comes after may need it */
			if (S_terms_read(dc, at, e->len))
				break;
			ARRAY_GROW(dc->trec, dc->ntrec, ctrec, 16);
			dc->trec[dc->ntrec].off = at;
			dc->trec[dc->ntrec].bulk = dc->trec[dc->ntrec].blen = 0;
			dc->trec[dc->ntrec++].len = e->len;
			at += S_ENTRY_HEAD + e->len;
			continue;
		}
		if (n > e->len - 20 || e->len - 20 - n < 24)
			break;
		e->path = xmalloc((size_t)n + 1);
		e->path_len = (size_t)n;
		/* its path, and the bytes its head checks and its bulk's place and length after it */
		if (n + 24 <= got - fixed) {
			memcpy(e->path, head + fixed, (size_t)n);
			q = head + fixed + n;
		} else if (S_pread(dc, e->path, (size_t)n, at + fixed) ||
			   S_pread(dc, head, 24, at + fixed + n)) {
			free(e->path);
			e->path = NULL;
			break;
		} else {
			q = head;
		}
		e->path[n] = '\0';
		e->checked = le_get(q, 8);
		e->bulk = le_get(q + 8, 8);
		e->blen = le_get(q + 16, 8);
		if (!S_entry_holds(dc, e)) {
			free(e->path);
			e->path = NULL;
			break;
		}
		dc->nentries++;
		at += S_ENTRY_HEAD + e->len;
	}
	dc->count = count;
	dc->whole = i == count && at == dc->in_len;
	S_entries_sort(dc);
}

/* The entries by path, of a path's the last written only. */
static void S_entries_sort(struct diskcache_parse *dc)
{
	size_t k, keep = 0;

	for (k = 1; k < dc->nentries && S_entry_order(&dc->entries[k - 1], &dc->entries[k]) < 0; k++)
		;
	if (k < dc->nentries) /* a directory's are in order already */
		qsort(dc->entries, dc->nentries, sizeof(*dc->entries), S_entry_order);
	/* a page's entry appended by a later run (S_append) stands for it: the older ones are dead */
	for (k = 0; k < dc->nentries; k++) {
		if (k + 1 < dc->nentries && S_entry_cmp(&dc->entries[k], &dc->entries[k + 1]) == 0)
			free(dc->entries[k].path);
		else
			dc->entries[keep++] = dc->entries[k];
	}
	dc->nentries = keep;
}

/* What a directory or a listing left, for the other to start again. */
static void S_unlist(struct diskcache_parse *dc)
{
	size_t k;

	for (k = 0; k < dc->nentries; k++)
		free(dc->entries[k].path);
	free(dc->entries);
	dc->entries = NULL;
	dc->nentries = 0;
	free(dc->trec);
	dc->trec = NULL;
	dc->ntrec = 0;
	free(dc->from_file);
	dc->from_file = NULL;
	dc->nterms = 0;
	dc->terms_len = 0;
}

static int S_place_cmp(const void *a, const void *b)
{
	const struct place *x = a, *y = b;
	return (x->off > y->off) - (x->off < y->off);
}

/*
 * 1 when two of the places the list gives (term records and entries, each
 * its head and body, and the entries' bulks) share a byte: the file's never
 * do, and a reused page's body is found by its place (S_by_off), one page's
 * alone.
 */
static int S_overlap(const struct diskcache_parse *dc)
{
	size_t n = dc->ntrec + 2 * dc->nentries, i, k = 0;
	struct place *v = xmalloc((n ? n : 1) * sizeof(*v));
	int rc = 0;

	/* each as its first byte (off) and the one past its last (len); (each checked within
	   the file already: no sum wraps) */
	for (i = 0; i < dc->ntrec; i++) {
		v[k].off = dc->trec[i].off;
		v[k++].len = dc->trec[i].off + S_ENTRY_HEAD + dc->trec[i].len;
	}
	for (i = 0; i < dc->nentries; i++) {
		v[k].off = dc->entries[i].off;
		v[k++].len = dc->entries[i].off + S_ENTRY_HEAD + dc->entries[i].len;
		if (dc->entries[i].blen) {
			v[k].off = dc->entries[i].bulk;
			v[k++].len = dc->entries[i].bulk + dc->entries[i].blen;
		}
	}
	n = k;
	qsort(v, n, sizeof(*v), S_place_cmp);
	for (i = 1; i < n && !rc; i++)
		rc = v[i].off < v[i - 1].len;
	free(v);
	return rc;
}

/*
 * The entries and term records as the file's list gives them (S_list_save),
 * with one read: 0, or -1 when it does not hold (then the records are
 * listed one by one, S_list). It lists this very file: its header h, its
 * length and identity (in: its fstat); its checksum holds, and each place it gives lies within the
 * file past the header, no two sharing a byte (S_overlap). A reused entry's
 * own path is checked against the one it is listed under (diskcache_parse_reuse).
 */
static int S_list_read(struct diskcache_parse *dc, const unsigned char *h, const struct stat *in,
		       uint64_t count)
{
	unsigned char *p = NULL;
	uint64_t check[2], end = dc->in_len;
	struct le_reader r;
	struct stat sb;
	size_t i, nt, ne, len = 0;
	int fd = open(dc->list, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), rc = -1;

	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size < S_LHEAD + 8 + 16 ||
	    (unsigned long long)sb.st_size >= S_MAX_FILE)
		goto done;
	len = (size_t)sb.st_size;
	p = xmalloc(len);
	if (S_read_at(fd, p, len, 0))
		goto done;
	S_sum(dc->key, p, len - 16, check);
	if (memcmp(p, S_LMAGIC, 16) != 0 || le_get(p + 16, 8) != S_PVERSION ||
	    memcmp(p + 24, h, S_HEAD) != 0 || le_get(p + 24 + S_HEAD, 8) != end ||
	    le_get(p + 32 + S_HEAD, 8) != (uint64_t)in->st_dev ||
	    le_get(p + 40 + S_HEAD, 8) != (uint64_t)in->st_ino || check[0] != le_get(p + len - 16, 8) ||
	    check[1] != le_get(p + len - 8, 8))
		goto done;
	r.p = p + S_LHEAD;
	r.end = p + len - 16;
	r.bad = 0;
	nt = S_rcount(&r, 16);
	ne = S_rcount(&r, 44);
	if (r.bad || (uint64_t)nt + ne > count) /* the header counts them all */
		goto done;
	dc->trec = xmalloc((nt ? nt : 1) * sizeof(*dc->trec));
	for (i = 0; i < nt; i++) {
		struct place *t = &dc->trec[dc->ntrec];
		t->off = le_read(&r, 8);
		t->len = le_read(&r, 8);
		t->bulk = t->blen = 0;
		if (t->off < S_HEAD || t->off > end || end - t->off < S_ENTRY_HEAD ||
		    t->len > end - t->off - S_ENTRY_HEAD || S_terms_read(dc, t->off, t->len))
			goto done;
		dc->ntrec++;
	}
	dc->entries = xcalloc(ne ? ne : 1, sizeof(*dc->entries));
	for (i = 0; i < ne; i++) {
		struct entry *e = &dc->entries[dc->nentries];
		e->off = le_read(&r, 8);
		e->len = le_read(&r, 8);
		e->checked = le_read(&r, 8);
		e->bulk = le_read(&r, 8);
		e->blen = le_read(&r, 8);
		if (!(e->path = S_rstr(&r, &e->path_len)))
			goto done;
		dc->nentries++;
		if (e->off < S_HEAD || e->off > end || end - e->off < S_ENTRY_HEAD ||
		    e->len > end - e->off - S_ENTRY_HEAD || e->len < 20 || e->path_len > e->len - 20 ||
		    !S_entry_holds(dc, e))
			goto done;
	}
	if (r.bad || r.p != r.end || S_overlap(dc))
		goto done;
	dc->count = count;
	dc->whole = 1; /* written by the run that wrote the file's last byte */
	S_entries_sort(dc);
	dc->listed = dc->nentries;
	rc = 0;
done:
	if (rc)
		S_unlist(dc);
	close(fd);
	free(p);
	return rc;
}

void diskcache_key(uint64_t key[2])
{
	if (getentropy(key, 2 * sizeof(*key)) != 0) {
		key[0] = (uint64_t)time(NULL);
		key[1] = (uint64_t)getpid();
	}
}

/*
 * Opens the old file and lists its entries when its header holds and its
 * context is this run's; else leaves dc->in -1 (a fresh key then).
 */
static void S_open(struct diskcache_parse *dc, const struct source *src, const struct config *cfg, int theme)
{
	unsigned char h[S_HEAD];
	struct buf want = BUF_INIT;
	struct stat sb;
	uint64_t count, ctx[2];

	dc->in = open(dc->file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (dc->in < 0 || fstat(dc->in, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size < S_HEAD ||
	    (unsigned long long)sb.st_size >= S_MAX_FILE)
		goto stale;
	dc->in_len = (uint64_t)sb.st_size;
	if (S_pread(dc, h, S_HEAD, 0) || memcmp(h, S_MAGIC, 16) != 0 || le_get(h + 16, 8) != S_PVERSION)
		goto stale;
	dc->key[0] = le_get(h + 24, 8);
	dc->key[1] = le_get(h + 32, 8);
	dc->ctx[0] = ctx[0] = le_get(h + 40, 8);
	dc->ctx[1] = ctx[1] = le_get(h + 48, 8);
	count = le_get(h + 56, 8);
	S_header(&want, dc, count); /* as it was written, when it was */
	if (memcmp(want.ptr, h, S_HEAD) != 0)
		goto stale;
	S_context(dc, src, cfg, theme);
	if (ctx[0] != dc->ctx[0] || ctx[1] != dc->ctx[1] || count > (dc->in_len - S_HEAD) / S_ENTRY_HEAD)
		goto stale;
	if (S_list_read(dc, h, &sb, count)) {
		S_list(dc, count);
		if (S_overlap(dc)) { /* an entry's bulk over another's, or over a record */
			S_unlist(dc);
			dc->whole = 0; /* written again, not appended to */
		}
	}
	buf_release(&want);
	return;
stale:
	/* not ours, another version, damaged, or another context: nothing of it is read */
	if (dc->in >= 0)
		close(dc->in);
	dc->in = -1;
	dc->in_len = 0;
	diskcache_key(dc->key);
	S_context(dc, src, cfg, theme);
	buf_release(&want);
}

/*
 * The cache file NAME-<digest of the site folder's physical path (and of
 * out, the output folder, when given)>.cache in the user's cache folder (a
 * parse cache, a walk, a render state), NULL without a cache folder or
 * when dir cannot be resolved.
 */
static char *S_site_file(const char *dir, const char *name, const char *out)
{
	static const uint64_t zero[2] = { 0, 0 };
	char *cache = incr_cache_dir(), *physical = realpath(dir, NULL);
	struct buf b = BUF_INIT;
	struct incr_digest d;
	uint64_t h[2];

	if (cache && physical) {
		incr_digest_init(&d, zero);
		incr_digest_str(&d, physical);
		if (out)
			incr_digest_str(&d, out);
		incr_digest_final(&d, h);
		buf_printf(&b, "%s/%s-%016llx%016llx.cache", cache, name, (unsigned long long)h[0],
			   (unsigned long long)h[1]);
	}
	free(cache);
	free(physical);
	return b.len ? buf_detach(&b, NULL) : NULL;
}

int diskcache_parse_found(const char *dir)
{
	char *file = S_site_file(dir, "parse", NULL);
	struct stat st;
	int found = file && lstat(file, &st) == 0 && S_ISREG(st.st_mode);

	free(file);
	return found;
}

/* --- what the reused pages left in the file ----------------------------------- */

/* What parse_page filled in pg, freed (S_decode's fields). */
static void S_page_drop(struct page *pg)
{
	size_t j;

	ynode_free(pg->front);
	free(pg->html);
	free(pg->toc);
	free(pg->summary);
	for (j = 0; j < pg->nanchors; j++)
		free(pg->anchors[j]);
	free(pg->anchors);
	for (j = 0; j < pg->nlinks; j++)
		free(pg->links[j].url);
	free(pg->links);
	pagetok_release(&pg->tokens);
}

/* The file path under root, read whole (NUL-terminated, *len its length): its own, or NULL (errno). */
static char *S_file_read(const char *root, const char *path, size_t *len)
{
	struct stat st;
	char *data = NULL;
	ssize_t got;
	int dirfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd = -1, err;

	if (dirfd >= 0) {
		fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		close(dirfd);
	}
	/* each failure's own errno: one left by an earlier call would name another cause */
	if (fd < 0 || fstat(fd, &st) != 0) {
		err = errno;
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || (unsigned long long)st.st_size >= S_MAX_FILE) {
		err = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		goto fail;
	}
	/* one byte past its length asked for: a file that grew is another */
	data = xmalloc((size_t)st.st_size + 2);
	if (S_read_at(fd, data, (size_t)st.st_size, 0)) {
		err = errno ? errno : ESTALE; /* (cut short: no errno, S_read_at) */
		goto fail;
	}
	if ((got = pread(fd, data + st.st_size, 1, st.st_size)) != 0) {
		err = got < 0 ? errno : ESTALE;
		goto fail;
	}
	data[st.st_size] = '\0';
	*len = (size_t)st.st_size;
	close(fd);
	return data;
fail:
	if (fd >= 0)
		close(fd);
	free(data);
	errno = err;
	return NULL;
}

/*
 * Page i's entry, whose body or terms did not hold when read back, made
 * one no later run takes: its digest, in the file this run left (S_placed)
 * while that file is still the cache, written as zeros; the head's
 * checksum no longer holds, so the next run parses the page and its fresh
 * entry stands (S_append), rather than every run taking this one and
 * parsing the page again when its body or terms are read back. The one
 * place a run writes bytes of the file it did not append: the digest is
 * read in the parse stage alone, so a run that took the entry before
 * reads its body and terms as it would have (they do not hold), and one
 * that reads it after parses the page. Once a page; nothing when the file
 * is another by now or the entry there not this one (not expected).
 */
static void S_forget(struct diskcache_kept *k, size_t i)
{
	static const unsigned char zero[16];
	struct kept_page *v = &k->v[i];
	unsigned char h[S_ENTRY_HEAD + 16];
	struct stat sb;
	int fd = -1;

	pthread_mutex_lock(&k->lock);
	if (v->forgotten || !v->entry_off || !k->file)
		goto done;
	v->forgotten = 1;
	fd = open(k->file, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) != 0 || sb.st_dev != k->dev || sb.st_ino != k->ino ||
	    S_read_at(fd, h, sizeof(h), v->entry_off) || le_get(h + S_ENTRY_HEAD, 8) != v->digest[0] ||
	    le_get(h + S_ENTRY_HEAD + 8, 8) != v->digest[1])
		goto done;
	if (pwrite(fd, zero, sizeof(zero), (off_t)(v->entry_off + S_ENTRY_HEAD)) != (ssize_t)sizeof(zero))
		v->forgotten = 0; /* (a later read back tries again) */
done:
	if (fd >= 0)
		close(fd);
	pthread_mutex_unlock(&k->lock);
}

/*
 * Page i parsed again from its file into out (its parse fields; the caller
 * frees them with S_page_drop), when what its entry left in the file does
 * not hold: 0, or -1 (reported: the build fails) when the file is not the
 * one the entry was taken for any more (changed while the site was built)
 * or cannot be read. The same bytes in the same context parse the same.
 */
static int S_again(struct diskcache_kept *k, size_t i, struct page *out)
{
	const struct kept_page *v = &k->v[i];
	struct source_file f;
	struct incr_digest d;
	uint64_t h[2];

	/* the entry's fixed fields, not its bytes: a rebuild's index, on a thread beside the
	   render (build.c), may be here while the main thread drops the walk's bytes */
	memset(&f, 0, sizeof(f));
	f.path = v->src->path;
	f.serial = v->src->serial;
	f.mtime = v->src->mtime;
	memcpy(f.ident, v->src->ident, sizeof(f.ident));
	__atomic_fetch_add(&k->again, 1, __ATOMIC_RELAXED);
	S_forget(k, i); /* what did not hold is not taken again */
	/* read afresh (the walk's copy may be gone): the bytes its entry was taken for, or none */
	if (!(f.data = S_file_read(k->src->root ? k->src->root : ".", f.path, &f.len))) {
		diag_error(v->path, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	incr_digest_init(&d, k->key);
	incr_digest_item(&d, k->ctx, sizeof(k->ctx));
	incr_digest_str(&d, v->path);
	incr_digest_item(&d, f.data, f.len);
	incr_digest_final(&d, h);
	if (h[0] != v->digest[0] || h[1] != v->digest[1]) {
		diag_error(v->path, 0, 0, "file changed while the site was built; build again");
		free(f.data);
		return -1;
	}
	memset(out, 0, sizeof(*out)); /* what parse_page reads of a page, and its fields empty */
	out->path = v->path;
	out->lang = v->lang;
	out->src = &f;
	parse_page(out, k->cfg);
	out->src = v->src;
	free(f.data);
	if (out->failed) {
		S_page_drop(out);
		return -1;
	}
	return 0;
}

static int S_body_at_cmp(const void *a, const void *b)
{
	const struct body_at *x = a, *y = b;
	return (x->off > y->off) - (x->off < y->off);
}

/* The page whose body is at off in the file, by the index made on first use: its number, or npages. */
static size_t S_by_off(struct diskcache_kept *k, uint64_t off)
{
	size_t lo = 0, hi, i;

	pthread_mutex_lock(&k->lock);
	if (!k->by_off) {
		k->by_off = xmalloc((k->npages ? k->npages : 1) * sizeof(*k->by_off));
		for (i = 0; i < k->npages; i++) {
			if (k->v[i].body_off) {
				k->by_off[k->nby].off = k->v[i].body_off;
				k->by_off[k->nby++].i = i;
			}
		}
		qsort(k->by_off, k->nby, sizeof(*k->by_off), S_body_at_cmp);
	}
	pthread_mutex_unlock(&k->lock);
	hi = k->nby;
	while (lo < hi) {
		i = lo + (hi - lo) / 2;
		if (k->by_off[i].off < off)
			lo = i + 1;
		else
			hi = i;
	}
	return lo < k->nby && k->by_off[lo].off == off ? k->by_off[lo].i : k->npages;
}

/* spill.h's check of a body read back from the file: its checksum, else the page parsed again. */
static int S_body_check(void *ctx, const struct page *pg, char *body)
{
	struct diskcache_kept *k = ctx;
	size_t i = S_by_off(k, pg->html_off);
	uint64_t check[2];
	struct page again;
	int rc = -1;

	if (i == k->npages) { /* not a body of the file's pages: not expected */
		diag_error(pg->path, 0, 0, "the parse cache's entry does not hold; build again");
		return -1;
	}
	S_sum(k->key, body, pg->html_len, check);
	/* and one spill_worth keeps in a file, as the model took it (S_decode: not blank) */
	if (check[0] == k->v[i].body_sum[0] && check[1] == k->v[i].body_sum[1] &&
	    spill_worth(body, pg->html_len)) {
		__atomic_fetch_add(&k->bodies, 1, __ATOMIC_RELAXED);
		return 0;
	}
	if (S_again(k, i, &again))
		return -1;
	/* the page's own body in its place: the model's take of it (its length, not blank) holds */
	if (again.html && again.html_len == pg->html_len && spill_worth(again.html, again.html_len)) {
		memcpy(body, again.html, pg->html_len);
		rc = 0;
	} else {
		diag_error(pg->path, 0, 0, "the parse cache's entry does not hold; build again");
	}
	S_page_drop(&again);
	return rc;
}

/* pagetok.h's load of page i's terms from the file: checked, else the page parsed again. */
static int S_terms_load(const struct pagetok_lazy *lazy, size_t i, struct page_tokens *t)
{
	struct diskcache_kept *k = (struct diskcache_kept *)(uintptr_t)lazy; /* its first member */
	const struct kept_page *v = &k->v[i];
	unsigned char *p = xmalloc(v->tsize ? v->tsize : 1);
	struct page_tokens got;
	struct page again;
	uint64_t check[2];

	memset(&got, 0, sizeof(got));
	if (S_read_at(k->fd, p, v->tsize, v->terms_off) == 0) {
		S_sum(k->key, p, v->tsize, check);
		if (check[0] == v->terms_sum[0] && check[1] == v->terms_sum[1] &&
		    pagetok_unpack_as(&got, p, v->tsize, t->n, k->from_file, k->nterms) == 0) {
			t->p = got.p;
			t->size = got.size;
			__atomic_fetch_add(&k->terms, 1, __ATOMIC_RELAXED);
			free(p);
			return 0;
		}
	}
	free(p);
	if (S_again(k, i, &again))
		return -1;
	/* (its count and lengths too: the entry's may have been what did not hold) */
	t->p = again.tokens.p;
	t->size = again.tokens.size;
	t->n = again.tokens.n;
	t->cut = again.tokens.cut; /* warned by that parse: the index need not */
	memcpy(t->len, again.tokens.len, sizeof(t->len));
	again.tokens.p = NULL;
	S_page_drop(&again);
	return 0;
}

/* The kept part of dc for its npages pages, reading from the old file (dc->in open). */
static struct diskcache_kept *
S_kept_new(const struct diskcache_parse *dc, const struct config *cfg, size_t npages)
{
	struct diskcache_kept *k = xcalloc(1, sizeof(*k));

	k->lazy.load = S_terms_load;
	k->fd = fcntl(dc->in, F_DUPFD_CLOEXEC, 0);
	memcpy(k->key, dc->key, sizeof(k->key));
	memcpy(k->ctx, dc->ctx, sizeof(k->ctx));
	k->src = dc->src;
	k->cfg = cfg;
	k->npages = npages;
	k->v = xcalloc(npages ? npages : 1, sizeof(*k->v));
	pthread_mutex_init(&k->lock, NULL);
	return k;
}

struct diskcache_kept *diskcache_parse_take(struct diskcache_parse *dc)
{
	if (!dc || !dc->kept)
		return NULL;
	dc->taken = 1;
	return dc->kept;
}

void diskcache_kept_stats(const struct diskcache_kept *k, unsigned long *bodies, unsigned long *terms,
			  unsigned long *again)
{
	*bodies = k ? __atomic_load_n(&k->bodies, __ATOMIC_RELAXED) : 0;
	*terms = k ? __atomic_load_n(&k->terms, __ATOMIC_RELAXED) : 0;
	*again = k ? __atomic_load_n(&k->again, __ATOMIC_RELAXED) : 0;
}

void diskcache_kept_free(struct diskcache_kept *k)
{
	if (!k)
		return;
	mapped_free(k->map);
	if (k->fd >= 0)
		close(k->fd);
	free(k->from_file);
	free(k->v);
	free(k->by_off);
	free(k->file);
	pthread_mutex_destroy(&k->lock);
	free(k);
}

uint64_t diskcache_parse_read(const struct diskcache_parse *dc)
{
	return dc ? __atomic_load_n(&dc->read, __ATOMIC_RELAXED) : 0;
}

uint64_t diskcache_parse_reads(const struct diskcache_parse *dc)
{
	return dc ? __atomic_load_n(&dc->nreads, __ATOMIC_RELAXED) : 0;
}

/*
 * The shortest body spill_worth keeps in a file (spill.c's bound, asked of
 * it rather than copied: a copy could drift and turn away every entry of a
 * body near it), by bisection over bodies of one letter repeated: a body
 * in an entry's bulk is at least this long (S_decode). UINT64_MAX when
 * none up to S_MAX_BULK would be.
 */
#define S_MAX_BULK 65536
static uint64_t S_min_bulk(void)
{
	char *x = xmalloc(S_MAX_BULK);
	size_t lo = 1, hi = S_MAX_BULK;

	memset(x, 'x', S_MAX_BULK);
	if (!spill_worth(x, S_MAX_BULK)) {
		free(x);
		return UINT64_MAX;
	}
	while (lo < hi) { /* spill_worth(x, hi) holds */
		size_t mid = lo + (hi - lo) / 2;
		if (spill_worth(x, mid))
			hi = mid;
		else
			lo = mid + 1;
	}
	free(x);
	return lo;
}

/*
 * The head of a bulk record of blen bytes of bulks, appended to b: a
 * record like an entry's whose path is S_BULK, then the entries' bulks,
 * each where its entry says and checked against the sums its entry holds
 * when read. The head's checksum is not made (zero): the bulks are many
 * megabytes a rebuild does not read, and each has its own.
 */
static void S_bulk_head(struct buf *b, uint64_t blen)
{
	static const char zero[16 + 16];

	buf_put_le(b, 20 + blen, 8);
	buf_put(b, zero, sizeof(zero)); /* no checksum, and no digest */
	buf_put_le(b, S_BULK, 4);
}

struct by_place {
	uint64_t off;
	size_t i;
};

static int S_by_place_cmp(const void *a, const void *b)
{
	const struct by_place *x = a, *y = b;
	return (x->off > y->off) - (x->off < y->off);
}

/*
 * The found entries' checked records in blocks (dc->blocks, block_of):
 * records next to each other in the file (S_finish writes them in the
 * pages' order, S_append a run's together), up to S_GAP apart and S_BLOCK
 * long, are read with one read by the first page that needs one of them,
 * rather than one read an entry (10,000 reads were half of a one-page
 * rebuild's parse stage). A block's bytes are freed by the last of its pages.
 */
static void S_blocks(struct diskcache_parse *dc)
{
	struct by_place *v = xmalloc((dc->npages ? dc->npages : 1) * sizeof(*v));
	size_t i, n = 0, c = 0;
	int sorted = 1;

	for (i = 0; i < dc->npages; i++) {
		if (!dc->found[i])
			continue;
		v[n].off = dc->found[i]->off;
		v[n].i = i;
		sorted &= n == 0 || v[n - 1].off <= v[n].off;
		n++;
	}
	if (!sorted)
		qsort(v, n, sizeof(*v), S_by_place_cmp);
	dc->block_of = xmalloc((dc->npages ? dc->npages : 1) * sizeof(*dc->block_of));
	for (i = 0; i < n; i++) {
		const struct entry *e = dc->found[v[i].i];
		uint64_t end = e->off + S_ENTRY_HEAD + e->len; /* (within the file: S_list) */
		struct rblock *k = dc->nblocks ? &dc->blocks[dc->nblocks - 1] : NULL;
		/* two pages of one path share its entry: both in its block */
		if (!k || e->off < k->lo || e->off > k->hi + S_GAP ||
		    (end > k->hi && end - k->lo > S_BLOCK)) {
			ARRAY_GROW(dc->blocks, dc->nblocks, c, 64);
			k = &dc->blocks[dc->nblocks++];
			memset(k, 0, sizeof(*k));
			k->lo = e->off;
			k->hi = end;
		}
		if (end > k->hi)
			k->hi = end;
		k->left++;
		dc->block_of[v[i].i] = (uint32_t)(dc->nblocks - 1);
	}
	for (i = 0; i < dc->nblocks; i++)
		pthread_mutex_init(&dc->blocks[i].lock, NULL);
	free(v);
}

/*
 * The blocks mapped as one span (mapped.h) when they lie close (a file
 * written whole has its checked records together, 14 MB at 10,000 pages;
 * an append adds a block past a bulk record), so that their bytes are the
 * page cache's rather than fresh memory, and the reused pages' strings
 * views of them (S_rstrz), where a copy was 10 MB and 177,000 blocks of
 * the heap. Else, or when the mapping cannot be made, each block is read
 * (S_block_rec). Counted as one read (-v).
 */
static void S_blocks_map(struct diskcache_parse *dc)
{
	uint64_t lo, hi, sum = 0;
	size_t i;

	if (!dc->nblocks || !dc->kept || dc->kept->fd < 0)
		return;
	/* the blocks in the file's order (S_blocks), the first the lowest */
	lo = dc->blocks[0].lo;
	hi = dc->blocks[0].hi;
	for (i = 0; i < dc->nblocks; i++) {
		sum += dc->blocks[i].hi - dc->blocks[i].lo;
		if (dc->blocks[i].hi > hi)
			hi = dc->blocks[i].hi;
	}
	if (hi - lo > sum + sum / 4 + S_BLOCK || hi - lo > SIZE_MAX ||
	    mapped_open(&dc->kept->map, &dc->kept->span, dc->kept->fd, lo, (size_t)(hi - lo)))
		return;
	dc->kept->span_lo = lo;
	dc->nreads = 1;
}

int diskcache_kept_cut(const struct diskcache_kept *k)
{
	return k && k->map && mapped_cut(k->map);
}

/* FILE.list for the parse cache FILE.cache (S_list_save). */
static char *S_list_name(const char *file)
{
	size_t n = strlen(file);
	struct buf b = BUF_INIT;

	if (n > 6 && strcmp(file + n - 6, ".cache") == 0)
		n -= 6;
	buf_put(&b, file, n);
	buf_puts(&b, ".list");
	return buf_detach(&b, NULL);
}

struct diskcache_parse *
diskcache_parse_begin(const char *dir, const struct source *src, const struct config *cfg, int theme,
		      struct page *pages, size_t npages, struct spill *spill)
{
	struct diskcache_parse *dc;
	char *file = S_site_file(dir, "parse", NULL);
	struct buf b = BUF_INIT;
	size_t i;

	if (!file)
		return NULL;
	dc = xcalloc(1, sizeof(*dc));
	dc->file = file;
	dc->list = S_list_name(file);
	dc->min_bulk = S_min_bulk();
	S_open(dc, src, cfg, theme);
	pthread_mutex_init(&dc->lock, NULL);
	buf_printf(&b, "%s.XXXXXX", dc->file);
	dc->tmp = buf_detach(&b, NULL);
	dc->fd = mkstemp(dc->tmp);
	if (dc->fd >= 0)
		(void)fcntl(dc->fd, F_SETFD, FD_CLOEXEC);
	/* room for the header, written once the entries are counted, then the bulk record's head
	   (its length set once its bulks are there) */
	if (dc->fd >= 0 && S_write_all(dc->fd, S_MAGIC, 16) == 0) {
		S_header(&b, dc, 0);
		S_bulk_head(&b, 0);
		dc->failed = S_write_all(dc->fd, b.ptr + 16, b.len - 16) != 0;
		dc->tmp_end = S_HEAD + S_BULK_HEAD;
		buf_release(&b);
	} else {
		dc->failed = 1;
	}
	/* pagetok's numbers of the old file's terms back to the file's (S_put_terms) */
	dc->same_numbers = 1;
	for (i = 0; i < dc->nterms; i++) {
		if (dc->from_file[i] >= dc->nto)
			dc->nto = (size_t)dc->from_file[i] + 1;
		dc->same_numbers &= dc->from_file[i] == (uint32_t)i;
	}
	dc->to_file = xmalloc((dc->nto ? dc->nto : 1) * sizeof(*dc->to_file));
	memset(dc->to_file, 0xff, (dc->nto ? dc->nto : 1) * sizeof(*dc->to_file));
	for (i = 0; i < dc->nterms; i++)
		dc->to_file[dc->from_file[i]] = (uint32_t)i;
	dc->pages = pages;
	dc->src = src;
	if (dc->in >= 0 && dc->nentries) {
		/* (without a descriptor of its own, the terms are made again when walked) */
		dc->kept = S_kept_new(dc, cfg, npages);
	}
	if (dc->kept && (dc->bodies = spill_file(spill, dc->in)) != NULL) {
		dc->bodies->check = S_body_check;
		dc->bodies->check_ctx = dc->kept;
	}
	dc->npages = npages;
	dc->src = src;
	dc->found = xcalloc(npages ? npages : 1, sizeof(*dc->found));
	dc->state = xcalloc(npages ? npages : 1, sizeof(*dc->state));
	dc->digest = xcalloc(npages ? npages : 1, sizeof(*dc->digest));
	dc->at = xcalloc(npages ? npages : 1, sizeof(*dc->at));
	dc->made = xcalloc(npages ? npages : 1, sizeof(*dc->made));
	for (i = 0; i < npages && dc->nentries; i++) {
		struct entry want;
		want.path = (char *)(uintptr_t)pages[i].path; /* only compared */
		want.path_len = strlen(pages[i].path);
		dc->found[i] = bsearch(&want, dc->entries, dc->nentries, sizeof(*dc->entries), S_entry_cmp);
	}
	S_blocks(dc);
	S_blocks_map(dc);
	return dc;
}

/*
 * Page i's reused entry holds terms this file's dictionary has (its bytes
 * read at p, from the file's byte at): they were not read when it was taken
 * (the index may never walk them), and a file written again keeps their
 * numbers with the terms the old one listed (a dictionary cut short would
 * give them to others).
 */
static int S_terms_hold(const struct diskcache_parse *dc, size_t i, const unsigned char *p, uint64_t at)
{
	const struct kept_page *v = &dc->kept->v[i];
	const unsigned char *t;
	struct page_tokens tmp;
	uint64_t check[2];
	int rc;

	if (!v->tsize)
		return 1;
	t = p + (v->terms_off - at); /* within the entry (S_decode) */
	S_sum(dc->key, t, v->tsize, check);
	memset(&tmp, 0, sizeof(tmp));
	rc = check[0] == v->terms_sum[0] && check[1] == v->terms_sum[1] &&
	     pagetok_unpack_as(&tmp, t, v->tsize, v->tn, dc->same_numbers ? NULL : dc->from_file,
			       dc->nterms) == 0;
	pagetok_release(&tmp);
	return rc;
}

/* The entry at p (head and checked part, checked bytes of it, its checksum verified) was
 * written for the very file f is: the identity its tail holds is f's, not 0. */
static int S_same_file(const unsigned char *p, uint64_t checked, const struct source_file *f)
{
	const unsigned char *tail = p + S_ENTRY_HEAD + checked - S_TAIL;
	size_t k;

	if (!f->ident[1])
		return 0;
	for (k = 0; k < 4; k++)
		if (le_get(tail + 8 * k, 8) != f->ident[k])
			return 0;
	return le_get(tail + 32, 8) == f->len;
}

/*
 * Page i's fresh entry, its checked record rec (n bytes, now dc's) and its
 * bulk (blen bytes at bulk): the bulk written to tmp, the record kept for
 * S_finish or S_append, which write the records together past the bulks.
 * On a worker.
 */
static void S_made(struct diskcache_parse *dc, size_t i, unsigned char *rec, size_t n, const void *bulk,
		   size_t blen)
{
	pthread_mutex_lock(&dc->lock);
	if (!dc->failed && S_write_all(dc->fd, bulk, blen) == 0) {
		dc->state[i] = S_FRESH;
		dc->made[i].rec = rec;
		dc->made[i].n = n;
		dc->made[i].bulk = dc->tmp_end;
		dc->made[i].blen = blen;
		dc->tmp_end += blen;
		rec = NULL;
	} else {
		dc->failed = 1;
	}
	pthread_mutex_unlock(&dc->lock);
	free(rec);
}

/*
 * Page i's entry e, its head and checked part at p, reused by its bytes'
 * digest while its identity is another file's (a copy or a clone of the
 * site, a checkout that wrote every file again): written again with the
 * identity of f, so that the next run trusts the file by its stat rather
 * than hashing every page on every run. The rest of its bytes stays (the
 * bulk copied as it is; the terms keep the file's numbers, S_append and
 * S_finish keep them all); the page's body is read from the old entry,
 * which this file or the renamed one keeps as long as the build runs
 * (spill_file).
 */
static void S_refresh(struct diskcache_parse *dc, size_t i, const unsigned char *p, const struct entry *e,
		      const struct source_file *f)
{
	size_t n = S_ENTRY_HEAD + (size_t)e->checked;
	unsigned char *rec, *tail, *bulk = xmalloc(e->blen + 1);
	size_t k;

	/* (its terms copied as they are: they must hold, S_terms_hold) */
	if (!f->ident[1] || dc->fd < 0 || S_pread(dc, bulk, (size_t)e->blen, e->bulk) ||
	    !S_terms_hold(dc, i, bulk, e->bulk)) {
		free(bulk);
		return;
	}
	rec = xmalloc(n);
	memcpy(rec, p, n);
	tail = rec + n - S_TAIL;
	for (k = 0; k < 4; k++)
		le_put(tail + 8 * k, f->ident[k], 8);
	le_put(tail + 32, (uint64_t)f->len, 8);
	S_made(dc, i, rec, n, bulk, (size_t)e->blen);
	free(bulk);
}

/* The checked record of page i's entry e, read with its block (S_blocks): where it is in the
   block's bytes, or NULL when the block could not be read. */
static const unsigned char *S_block_rec(struct diskcache_parse *dc, size_t i, const struct entry *e)
{
	struct rblock *k = &dc->blocks[dc->block_of[i]];

	if (dc->kept->map) /* (within the span: S_blocks_map) */
		return dc->kept->span + (e->off - dc->kept->span_lo);
	pthread_mutex_lock(&k->lock);
	if (k->state == 0) {
		k->p = xmalloc((size_t)(k->hi - k->lo));
		k->state = S_pread(dc, k->p, (size_t)(k->hi - k->lo), k->lo) == 0 ? 1 : -1;
		__atomic_fetch_add(&dc->nreads, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&k->lock);
	/* (its place within the block: S_blocks) */
	return k->state == 1 ? k->p + (e->off - k->lo) : NULL;
}

/* Page i done with its block: the last page of it frees the block's bytes. */
static void S_block_done(struct diskcache_parse *dc, size_t i)
{
	struct rblock *k = &dc->blocks[dc->block_of[i]];

	if (__atomic_sub_fetch(&k->left, 1, __ATOMIC_ACQ_REL) == 0) {
		free(k->p);
		k->p = NULL;
	}
}

int diskcache_parse_reuse(struct diskcache_parse *dc, size_t i, struct page *page)
{
	const struct entry *e = dc->found[i];
	const unsigned char *p = NULL;
	struct incr_digest d;
	uint64_t check[2];
	struct le_reader r;
	int rc = 0, ok = 0, same = 0;

	if (e) {
		/* head and checked part: the lengths were checked against the file (S_list) */
		__atomic_fetch_add(&dc->read, S_ENTRY_HEAD + e->checked, __ATOMIC_RELAXED);
		if ((p = S_block_rec(dc, i, e)) != NULL) {
			/* what some run wrote, unless damaged */
			S_sum(dc->key, p + S_ENTRY_HEAD, (size_t)e->checked, check);
			/* and its own path the one it was listed under (a directory gives both), its
			   bytes checked and its bulk the ones listed */
			ok = check[0] == le_get(p + 8, 8) && check[1] == le_get(p + 16, 8) &&
			     le_get(p, 8) == e->len && le_get(p + S_ENTRY_HEAD + 16, 4) == e->path_len &&
			     memcmp(p + S_ENTRY_HEAD + 20, e->path, e->path_len) == 0 &&
			     le_get(p + S_ENTRY_HEAD + 20 + e->path_len, 8) == e->checked &&
			     le_get(p + S_ENTRY_HEAD + 28 + e->path_len, 8) == e->bulk &&
			     le_get(p + S_ENTRY_HEAD + 36 + e->path_len, 8) == e->blen;
		}
	}
	if (ok && (same = S_same_file(p, e->checked, page->src)) != 0) {
		/* the file as that run read it (its stat, not racy then): its bytes are not hashed */
		dc->digest[i][0] = le_get(p + S_ENTRY_HEAD, 8);
		dc->digest[i][1] = le_get(p + S_ENTRY_HEAD + 8, 8);
		page->parse_keyed = 1;
	} else if (source_bytes(dc->src, page->src, 1)) { /* left unread by the walk: read now */
		incr_digest_init(&d, dc->key);
		incr_digest_item(&d, dc->ctx, sizeof(dc->ctx));
		incr_digest_str(&d, page->path);
		incr_digest_item(&d, page->src->data, page->src->len);
		incr_digest_final(&d, dc->digest[i]);
		page->parse_keyed = 1;
		__atomic_fetch_add(&dc->hashed, 1, __ATOMIC_RELAXED);
	} else {
		ok = 0; /* unreadable (reported): the parse fails it */
	}
	if (page->parse_keyed) /* the links' record keys the page by it (links.c) */
		memcpy(page->parse_key, dc->digest[i], sizeof(page->parse_key));
	if (!ok)
		goto done;
	r.p = p + S_ENTRY_HEAD;
	r.end = r.p + e->checked - S_TAIL;
	r.bad = 0;
	if (le_read(&r, 8) != dc->digest[i][0] || le_read(&r, 8) != dc->digest[i][1] || r.bad)
		goto done;
	le_take(&r, 4 + e->path_len + 24);
	memcpy(dc->kept->v[i].digest, dc->digest[i], sizeof(dc->digest[i]));
	dc->kept->v[i].path = page->path;
	dc->kept->v[i].src = page->src;
	dc->kept->v[i].lang = page->lang;
	if (S_decode(dc, i, &r, page, e->bulk, e->blen))
		goto done;
	dc->state[i] = S_REUSED;
	dc->kept->v[i].taken = 1;
	if (!same)
		S_refresh(dc, i, p, e, page->src);
	rc = 1;
done:
	if (e)
		S_block_done(dc, i);
	return rc;
}

void diskcache_parse_keep(struct diskcache_parse *dc, size_t i, const struct page *page, int reported)
{
	struct buf b = BUF_INIT, bulk = BUF_INIT;
	size_t n;

	__atomic_fetch_add(&dc->parsed, 1, __ATOMIC_RELAXED);
	if (reported || page->failed || dc->fd < 0)
		return;
	/* encoded here, on the parse workers, while the page is as parse left it; the bulks written
	   in the order they come */
	S_encode(dc, &b, &bulk, i);
	n = b.len;
	S_made(dc, i, (unsigned char *)buf_detach(&b, NULL), n, bulk.ptr, bulk.len);
	buf_release(&bulk);
}

/* Removes the caches of site folders no build wrote for S_DAYS (moved or deleted sites, tests). */
static void S_sweep(const char *file)
{
	char *dir = xstrdup(file), *slash = strrchr(dir, '/');

	*slash = '\0';
	incr_cache_sweep(dir, "parse-", "", S_DAYS);
	incr_cache_sweep(dir, "history-", "", S_DAYS);
	incr_cache_sweep(dir, "ids-", "", S_DAYS);
	incr_cache_sweep(dir, "render-", "", S_DAYS);
	incr_cache_sweep(dir, "deflate-", "", S_DAYS);
	incr_cache_sweep(dir, "answers-", "", S_DAYS);
	incr_cache_sweep(dir, "folders-", "", S_DAYS);
	incr_cache_sweep(dir, "search-", "", S_DAYS);
	incr_cache_sweep(dir, "links-", "", S_DAYS);
	free(dir);
}

/*
 * The checked records of the pages with one (dc->made: fresh, and in
 * S_finish the reused ones too) appended to b, in the pages' order, each
 * with its bulk's place (its place in tmp, plus shift) and its head made;
 * where each is (at: its place from base on, base being where b's bytes
 * go in the file) into dc->at. The records of the file lie together: a
 * rebuild reads them a block at a time (S_blocks).
 */
static size_t S_put_recs(struct diskcache_parse *dc, struct buf *b, uint64_t base, uint64_t shift)
{
	size_t i, n = 0;

	for (i = 0; i < dc->npages; i++) {
		struct made *m = &dc->made[i];
		if (!m->rec)
			continue;
		S_rec_seal(dc, m->rec, m->n, m->bulk + shift);
		dc->at[i].off = base + b->len;
		dc->at[i].len = dc->at[i].checked = m->n - S_ENTRY_HEAD;
		dc->at[i].bulk = m->bulk + shift;
		dc->at[i].blen = m->blen;
		buf_put(b, m->rec, m->n);
		n++;
	}
	return n;
}

/*
 * The list of the file S_append made (S_list_save): its header head, its
 * length len; the old file's term records and reused entries where they
 * are, the fresh entries where the appended bytes put them (dc->at), and
 * the term record at terms (from base, where b's bytes went) when there
 * is one.
 */
static void S_list_appended(struct diskcache_parse *dc, const struct buf *head, uint64_t len,
			    const struct stat *id, uint64_t base, const struct buf *b, size_t terms)
{
	struct place *trec = xmalloc((dc->ntrec + 1) * sizeof(*trec));
	struct place *at = xmalloc((dc->npages ? dc->npages : 1) * sizeof(*at));
	size_t i, n = dc->ntrec;

	if (dc->ntrec)
		memcpy(trec, dc->trec, dc->ntrec * sizeof(*trec));
	if (terms) { /* the record's length is in its head */
		trec[n].off = base + terms;
		trec[n].checked = trec[n].bulk = trec[n].blen = 0;
		trec[n++].len = le_get((const unsigned char *)b->ptr + terms, 8);
	}
	for (i = 0; i < dc->npages; i++) {
		if (dc->state[i] == S_REUSED) {
			at[i].off = dc->found[i]->off;
			at[i].len = dc->found[i]->len;
			at[i].checked = dc->found[i]->checked;
			at[i].bulk = dc->found[i]->bulk;
			at[i].blen = dc->found[i]->blen;
		} else if (dc->state[i] == S_FRESH) {
			at[i] = dc->at[i]; /* (S_put_recs) */
		}
	}
	S_list_save(dc, head, len, id, trec, n, at);
	free(at);
	free(trec);
}

/*
 * The fresh entries appended to the old file in place (the bulk record of
 * their bulks the workers wrote, the term record of the terms they
 * brought, their checked records), and its header's count raised over them (written last: a run killed
 * before sees the entries it counted), rather than a new file of every
 * entry: a one-page edit writes that page's entry, not 100 MB. Only when
 * the old file is whole (S_list), still the very file read, no other run
 * appended since (its length; the lock keeps two runs from appending at
 * once) and the entries no page took stay under a quarter of it; else
 * -1 and S_finish writes it all again without them.
 */
static int S_append(struct diskcache_parse *dc)
{
	struct buf b = BUF_INIT;
	struct stat was, now;
	struct buf head = BUF_INIT;
	off_t tail = lseek(dc->fd, 0, SEEK_END);
	uint64_t live = 0, fresh = 0, total, added = (uint64_t)tail - S_HEAD;
	size_t i, at = 0;
	int o = -1, rc = -1;

	if (dc->failed || !dc->whole || tail < S_HEAD || fstat(dc->in, &was) != 0)
		return -1; /* (a fresh entry not written whole: S_finish makes no file) */
	for (i = 0; i < dc->npages; i++) {
		if (dc->state[i] == S_REUSED)
			live += S_ENTRY_HEAD + dc->found[i]->len + dc->found[i]->blen;
		if (dc->state[i] == S_FRESH)
			added += dc->made[i].n;
		fresh += dc->state[i] == S_FRESH;
	}
	total = dc->in_len + added;
	live += added + dc->terms_len;
	if ((total - S_HEAD - live) * 4 > total - S_HEAD)
		goto done; /* a quarter dead: compacted */
	if (!fresh) {
		rc = 0; /* a page removed: its entry dead, nothing to write */
		goto done;
	}
	o = open(dc->file, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (o < 0 || flock(o, LOCK_EX | LOCK_NB) != 0 || fstat(o, &now) != 0 || !S_ISREG(now.st_mode) ||
	    now.st_dev != was.st_dev || now.st_ino != was.st_ino || (uint64_t)now.st_size != dc->in_len)
		goto done;
	buf_grow(&b, (size_t)tail - S_HEAD);
	if (pread(dc->fd, b.ptr, (size_t)tail - S_HEAD, S_HEAD) != tail - S_HEAD)
		goto done;
	b.len = (size_t)tail - S_HEAD;
	le_put((unsigned char *)b.ptr, b.len - S_ENTRY_HEAD, 8); /* the bulk record's length */
	at = b.len;
	S_terms_record(dc, &b, dc->nterms); /* the terms the fresh entries brought */
	if (b.len == at)
		at = 0; /* (none) */
	/* the records: the bulk record, the term record, the entries */
	fresh = 1 + (at != 0) + S_put_recs(dc, &b, dc->in_len, dc->in_len - S_HEAD);
	if (pwrite(o, b.ptr, b.len, (off_t)dc->in_len) != (ssize_t)b.len)
		goto done;
	S_header(&head, dc, dc->count + fresh);
	rc = pwrite(o, head.ptr, head.len, 0) == (ssize_t)head.len ? 0 : -1;
	if (rc == 0) /* under the lock still: no other run appends before it is written */
		S_list_appended(dc, &head, dc->in_len + b.len, &now, dc->in_len, &b, at);
done:
	if (o >= 0)
		close(o); /* and the lock with it */
	buf_release(&head);
	buf_release(&b);
	return rc;
}

/* How the run left the cache file: the old one as it was, grown in place (S_append), or a new one. */
enum { S_KEPT_IN, S_KEPT_APPENDED, S_KEPT_NEW };

/*
 * Where each taken entry (diskcache_parse_reuse) is in the cache file this
 * run leaves, whose identity is id, for S_forget: where the old file had
 * it (S_KEPT_IN; S_KEPT_APPENDED too, but for an entry S_refresh wrote
 * again, appended past in_len), or where S_finish put it (S_KEPT_NEW).
 */
static void S_placed(struct diskcache_parse *dc, const struct stat *id, int how)
{
	struct diskcache_kept *k = dc->kept;
	size_t i;

	if (!k)
		return;
	free(k->file);
	k->file = xstrdup(dc->file);
	k->dev = id->st_dev;
	k->ino = id->st_ino;
	for (i = 0; i < dc->npages && i < k->npages; i++) {
		struct kept_page *v = &k->v[i];
		v->entry_off = 0;
		if (!v->taken)
			continue;
		if (how == S_KEPT_NEW && dc->state[i])
			v->entry_off = dc->at[i].off;
		else if (dc->state[i] == S_REUSED)
			v->entry_off = dc->found[i]->off;
		else if (how == S_KEPT_APPENDED && dc->state[i] == S_FRESH)
			v->entry_off = dc->at[i].off; /* (S_put_recs) */
	}
}

/*
 * Reused page i's entry into the new file: its bulk written to tmp, its
 * checked record kept for S_put_recs (dc->made), both as the parse took
 * them (b: room to read into). 1, -1 when they do not hold (a digest
 * forgotten since, S_forget: not this entry), or 0 when the write failed.
 */
static int S_copy(struct diskcache_parse *dc, size_t i, struct buf *b)
{
	const struct entry *e = dc->found[i];
	size_t n = S_ENTRY_HEAD + (size_t)e->checked;
	unsigned char *rec = xmalloc(n);
	uint64_t check[2];
	int holds;

	buf_reset(b);
	buf_grow(b, (size_t)e->blen + 1);
	if ((holds = S_pread(dc, rec, n, e->off) == 0) != 0) {
		S_sum(dc->key, rec + S_ENTRY_HEAD, n - S_ENTRY_HEAD, check);
		holds = check[0] == le_get(rec + 8, 8) && check[1] == le_get(rec + 16, 8);
	}
	if (!holds || S_pread(dc, b->ptr, (size_t)e->blen, e->bulk) != 0 ||
	    !S_terms_hold(dc, i, (const unsigned char *)b->ptr, e->bulk)) {
		free(rec);
		return -1;
	}
	if (S_write_all(dc->fd, b->ptr, (size_t)e->blen) != 0) {
		free(rec);
		return 0;
	}
	dc->made[i].rec = rec;
	dc->made[i].n = n;
	dc->made[i].bulk = dc->tmp_end;
	dc->made[i].blen = e->blen;
	dc->tmp_end += e->blen;
	return 1;
}

/*
 * The new file: the bulk record of the fresh entries' bulks the workers
 * wrote and every reused entry's bulk, copied as it is; the term record;
 * then every entry's checked record (S_put_recs), the header with the
 * count over the placeholder, and the temporary file renamed over the old
 * one.
 */
static void S_finish(struct diskcache_parse *dc)
{
	struct buf b = BUF_INIT;
	struct place terms;
	struct stat id;
	size_t i, count = 1, ntrec; /* (the bulk record) */
	uint64_t len;
	int ok = !dc->failed;

	for (i = 0; i < dc->npages && ok; i++) {
		int c = dc->state[i] == S_REUSED ? S_copy(dc, i, &b) : 1;
		if (c < 0)
			dc->state[i] = 0; /* not copied: parsed next time */
		else
			ok = c;
	}
	buf_reset(&b);
	S_bulk_head(&b, dc->tmp_end - S_HEAD - S_BULK_HEAD);
	ok = ok && pwrite(dc->fd, b.ptr, b.len, S_HEAD) == (ssize_t)b.len;
	/* every term, the old file's too: the reused entries keep its numbers */
	buf_reset(&b);
	S_terms_record(dc, &b, 0);
	count += b.len > 0;
	terms.off = dc->tmp_end;
	terms.len = b.len ? b.len - S_ENTRY_HEAD : 0;
	terms.checked = terms.bulk = terms.blen = 0;
	ntrec = b.len > 0;
	count += S_put_recs(dc, &b, dc->tmp_end, 0);
	len = dc->tmp_end + b.len;
	ok = ok && S_write_all(dc->fd, b.ptr, b.len) == 0;
	buf_reset(&b);
	S_header(&b, dc, count);
	ok = ok && pwrite(dc->fd, b.ptr, b.len, 0) == (ssize_t)b.len && fstat(dc->fd, &id) == 0;
	if (close(dc->fd) != 0 || !ok || rename(dc->tmp, dc->file) != 0) {
		(void)unlink(dc->tmp);
	} else {
		for (i = 0; i < dc->npages; i++)
			if (!dc->made[i].rec)
				dc->state[i] = 0; /* (not in the file: S_list_save lists the others) */
		S_list_save(dc, &b, len, &id, &terms, ntrec, dc->at);
		S_placed(dc, &id, S_KEPT_NEW);
		S_sweep(dc->file);
	}
	dc->fd = -1;
	buf_release(&b);
}

size_t diskcache_parse_listed(const struct diskcache_parse *dc)
{
	return dc ? dc->listed : 0;
}

unsigned long diskcache_parse_end(struct diskcache_parse *dc, unsigned long *hashed)
{
	unsigned long parsed;
	struct stat id;
	size_t i, kept = 0;
	int changed = 0;

	*hashed = 0;
	if (!dc)
		return 0;
	*hashed = dc->hashed;
	for (i = 0; i < dc->npages; i++) {
		kept += dc->state[i] == S_REUSED;
		changed |= dc->state[i] == S_FRESH;
	}
	/* a page parsed again, or an entry of a page that went: the file is not this site's */
	if (dc->fd >= 0 && dc->in >= 0 && (changed || kept != dc->nentries) && S_append(dc) == 0) {
		if (fstat(dc->in, &id) == 0)
			S_placed(dc, &id, S_KEPT_APPENDED);
		close(dc->fd);
		(void)unlink(dc->tmp);
		(void)utimensat(AT_FDCWD, dc->file, NULL, 0); /* used: kept from the sweep */
		(void)utimensat(AT_FDCWD, dc->list, NULL, 0);
		S_sweep(dc->file);
	} else if (dc->fd >= 0 && (changed || kept != dc->nentries || dc->in < 0)) {
		S_finish(dc);
	} else {
		if (dc->fd >= 0) {
			close(dc->fd);
			(void)unlink(dc->tmp);
		}
		if (dc->in >= 0 && fstat(dc->in, &id) == 0)
			S_placed(dc, &id, S_KEPT_IN);
		(void)utimensat(AT_FDCWD, dc->file, NULL, 0); /* used: kept from the sweep */
		(void)utimensat(AT_FDCWD, dc->list, NULL, 0);
	}
	/* Each page's search terms known across runs by what they were parsed from (pagetok.h):
	   a build's search state on disk compares them so (search.h) */
	for (i = 0; i < dc->npages; i++)
		dc->pages[i].tokens.digest = dc->digest[i][0];
	parsed = dc->parsed;
	if (dc->in >= 0)
		close(dc->in);
	if (dc->kept) { /* the file's numbers of the terms left in it */
		dc->kept->from_file = dc->same_numbers ? NULL : dc->from_file;
		dc->kept->nterms = dc->nterms;
		if (!dc->same_numbers)
			dc->from_file = NULL;
	}
	if (!dc->taken) /* (only where the pages go with dc: their bodies and terms point into it) */
		diskcache_kept_free(dc->kept);
	for (i = 0; i < dc->nentries; i++)
		free(dc->entries[i].path);
	free(dc->entries);
	free(dc->from_file);
	free(dc->to_file);
	free(dc->fresh);
	free(dc->found);
	free(dc->state);
	free(dc->digest);
	free(dc->at);
	for (i = 0; i < dc->npages; i++)
		free(dc->made[i].rec);
	free(dc->made);
	for (i = 0; i < dc->nblocks; i++) { /* (a page the parse did not reach leaves its block) */
		free(dc->blocks[i].p);
		pthread_mutex_destroy(&dc->blocks[i].lock);
	}
	free(dc->blocks);
	free(dc->block_of);
	free(dc->trec);
	free(dc->file);
	free(dc->list);
	free(dc->tmp);
	pthread_mutex_destroy(&dc->lock);
	free(dc);
	return parsed;
}

/* --- the history walk -------------------------------------------------------- */

#define S_HMAGIC "jixia history\n\0\0"
#define S_HVERSION 4 /* the body's checksum S_sum's (3: SipHash) */
#define S_HHEAD 80   /* magic 16, version 8, key 16, key's digest 16, length 8, checksum 16 */
#define S_HMAX ((uint64_t)1 << 30)

/*
 * The key's digest under the file's key, jixia's executable in it; and the
 * body's checksum (S_sum: it finds damage, at memory speed; SipHash over the
 * walk's 3 MB and the ids was a third of a one-page rebuild's history stage).
 */
static void S_history_sums(const uint64_t key[2], const char *k, size_t klen, const void *p, size_t n,
			   uint64_t kd[2], uint64_t check[2])
{
	struct incr_digest d;

	incr_digest_init(&d, key);
	incr_digest_str(&d, "jixia walk cache 1");
	S_exe(&d);
	incr_digest_item(&d, k, klen);
	incr_digest_final(&d, kd);
	S_sum(key, p, n, check);
}

/* The bytes put under key into out (the file name's: "history", "ids"): 0, else -1. */
static int S_kept_get(const char *name, void *payload, const char *key, size_t keylen, struct buf *out)
{
	struct diskcache_parse rd; /* S_pread's file */
	unsigned char h[S_HHEAD];
	uint64_t k[2], kd[2], check[2], len;
	char *file = S_site_file(payload, name, NULL);
	size_t at = out->len;
	struct stat sb;
	int rc = -1;

	memset(&rd, 0, sizeof(rd));
	rd.in = file ? open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
	if (rd.in < 0 || fstat(rd.in, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size < S_HHEAD ||
	    (uint64_t)sb.st_size > S_HMAX || S_pread(&rd, h, S_HHEAD, 0) || memcmp(h, S_HMAGIC, 16) != 0 ||
	    le_get(h + 16, 8) != S_HVERSION)
		goto done;
	len = le_get(h + 56, 8);
	if (len != (uint64_t)sb.st_size - S_HHEAD)
		goto done;
	buf_grow(out, (size_t)len);
	if (S_pread(&rd, out->ptr + at, (size_t)len, S_HHEAD))
		goto done;
	k[0] = le_get(h + 24, 8);
	k[1] = le_get(h + 32, 8);
	S_history_sums(k, key, keylen, out->ptr + at, (size_t)len, kd, check);
	if (kd[0] != le_get(h + 40, 8) || kd[1] != le_get(h + 48, 8) || check[0] != le_get(h + 64, 8) ||
	    check[1] != le_get(h + 72, 8))
		goto done; /* another commit, mailmap or jixia; or damage */
	out->len = at + (size_t)len;
	out->ptr[out->len] = '\0';
	rc = 0;
done:
	if (rc)
		out->len = at;
	if (rd.in >= 0)
		close(rd.in);
	free(file);
	return rc;
}

static void S_kept_put(const char *name, void *payload, const char *key, size_t keylen, const void *p,
		       size_t n)
{
	char *file = S_site_file(payload, name, NULL);
	struct buf b = BUF_INIT, tmp = BUF_INIT;
	uint64_t k[2], kd[2], check[2];
	int fd = -1;

	if (!file || getentropy(k, sizeof(k)) != 0)
		goto done;
	S_history_sums(k, key, keylen, p, n, kd, check);
	S_head_start(&b, S_HMAGIC, S_HVERSION, k, kd);
	buf_put_le(&b, n, 8);
	buf_put_le(&b, check[0], 8);
	buf_put_le(&b, check[1], 8);
	buf_printf(&tmp, "%s.XXXXXX", file);
	if ((fd = mkstemp(tmp.ptr)) < 0)
		goto done;
	if (S_write_all(fd, b.ptr, b.len) || S_write_all(fd, p, n) || close(fd) != 0 ||
	    rename(tmp.ptr, file) != 0)
		(void)unlink(tmp.ptr);
done:
	buf_release(&b);
	buf_release(&tmp);
	free(file);
}

static int S_history_get(void *payload, const char *key, size_t keylen, struct buf *out)
{
	return S_kept_get("history", payload, key, keylen, out);
}

static void S_history_put(void *payload, const char *key, size_t keylen, const void *p, size_t n)
{
	S_kept_put("history", payload, key, keylen, p, n);
}

/* The working tree's blob ids (history.h): a file of their own, rewritten when a file changed. */
static int S_ids_get(void *payload, const char *key, size_t keylen, struct buf *out)
{
	return S_kept_get("ids", payload, key, keylen, out);
}

static void S_ids_put(void *payload, const char *key, size_t keylen, const void *p, size_t n)
{
	S_kept_put("ids", payload, key, keylen, p, n);
}

void diskcache_history(struct history_store *out, const char *dir)
{
	out->get = S_history_get;
	out->put = S_history_put;
	out->ids_get = S_ids_get;
	out->ids_put = S_ids_put;
	out->payload = (void *)(uintptr_t)dir;
}

/* --- sealed files ------------------------------------------------------------ */

/*
 * The render state and the deflate cache are each one file: a header of
 * magic (16 bytes), version, key (16), context (16), body length and
 * checksum (16), then the body. The body's digests are under the file's
 * key; the context names what it is valid for (the executable, and what
 * the caller adds); the checksum is S_sum of the body under the key: it
 * finds damage at memory speed, like the parse cache's (SipHash over the
 * 25 MB of these files a one-page rebuild reads and writes was about 5 %
 * of its CPU), and like it is no seal against a forger: the cache folder
 * is the user's own.
 */
#define S_SEAL_HEAD 80
_Static_assert(S_SEAL_HEAD == DISKCACHE_SEALED, "diskcache.h's room for a sealed file's header");
#define S_SEAL_MAX ((uint64_t)1 << 31)

/* What a sealed file is valid for under key: into ctx. */
typedef void (*seal_ctx_fn)(const uint64_t key[2], const void *arg, uint64_t ctx[2]);

/*
 * The body of the sealed file into body, its key into key: 0 when every
 * part of its header holds (magic, version, context_of(key, arg), length
 * against the file's size, checksum), else -1 with body and key untouched.
 */
static int S_sealed_read(const char *file, const char magic[16], seal_ctx_fn context_of, const void *arg,
			 uint64_t key[2], struct buf *body)
{
	struct diskcache_parse rd; /* S_pread's file */
	unsigned char h[S_SEAL_HEAD];
	uint64_t ctx[2], check[2], len, k[2];
	struct stat sb;
	int rc = -1;

	memset(&rd, 0, sizeof(rd));
	rd.in = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (rd.in < 0 || fstat(rd.in, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size < S_SEAL_HEAD ||
	    (uint64_t)sb.st_size > S_SEAL_MAX || S_pread(&rd, h, S_SEAL_HEAD, 0) ||
	    memcmp(h, magic, 16) != 0 || le_get(h + 16, 8) != S_VERSION)
		goto done;
	k[0] = le_get(h + 24, 8);
	k[1] = le_get(h + 32, 8);
	context_of(k, arg, ctx);
	len = le_get(h + 56, 8);
	if (ctx[0] != le_get(h + 40, 8) || ctx[1] != le_get(h + 48, 8) ||
	    len != (uint64_t)sb.st_size - S_SEAL_HEAD)
		goto done; /* another jixia, or what it was made for is gone: nothing of it holds */
	buf_grow(body, body->len + (size_t)len);
	if (S_pread(&rd, body->ptr + body->len, (size_t)len, S_SEAL_HEAD))
		goto done;
	S_sum(k, body->ptr + body->len, (size_t)len, check);
	if (check[0] != le_get(h + 64, 8) || check[1] != le_get(h + 72, 8))
		goto done;
	body->len += (size_t)len;
	key[0] = k[0];
	key[1] = k[1];
	rc = 0;
done:
	if (rd.in >= 0)
		close(rd.in);
	return rc;
}

/* A sealed file's header (S_SEAL_HEAD bytes) into hd: magic, key, ctx, the body's length and checksum. */
static void S_seal_head(struct buf *hd, const char magic[16], const uint64_t key[2], const uint64_t ctx[2],
			uint64_t len, const uint64_t check[2])
{
	S_head_start(hd, magic, S_VERSION, key, ctx);
	buf_put_le(hd, len, 8);
	buf_put_le(hd, check[0], 8);
	buf_put_le(hd, check[1], 8);
}

/* b's header (S_SEAL_HEAD bytes before its body) made. */
static void S_seal(const char magic[16], const uint64_t key[2], const uint64_t ctx[2], struct buf *b)
{
	struct buf hd = BUF_INIT;
	uint64_t check[2];

	S_sum(key, b->ptr + S_SEAL_HEAD, b->len - S_SEAL_HEAD, check);
	S_seal_head(&hd, magic, key, ctx, b->len - S_SEAL_HEAD, check);
	memcpy(b->ptr, hd.ptr, S_SEAL_HEAD);
	buf_release(&hd);
}

/* file opened to be written over in place when it is this user's plain file of one name (not a
   link, a folder or another file's second name), else -1 (S_sealed_rewrite says why). */
static int S_open_in_place(const char *file)
{
	struct stat st;
	int fd = open(file, O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	if (fd >= 0 &&
	    (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 || st.st_uid != geteuid())) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * b (its body after S_SEAL_HEAD bytes left for the header) sealed under
 * magic, key and ctx and written to file by a rename: a reader sees the
 * old file or the new, never a part. A failure leaves the old file.
 */
static void S_sealed_write(const char *file, const char magic[16], const uint64_t key[2],
			   const uint64_t ctx[2], struct buf *b)
{
	struct buf tmp = BUF_INIT;
	int fd;

	S_seal(magic, key, ctx, b);
	buf_printf(&tmp, "%s.XXXXXX", file);
	if ((fd = mkstemp(tmp.ptr)) >= 0 &&
	    (S_write_all(fd, b->ptr, b->len) || close(fd) != 0 || rename(tmp.ptr, file) != 0))
		(void)unlink(tmp.ptr);
	buf_release(&tmp);
}

/*
 * S_sealed_write, but over the file in place when it is this user's
 * plain file of one name (not a link, a folder or another file's second
 * name): written from its start and cut to its length. The render state
 * and the folders' record are written at every rebuild, 6 MB and 1 at
 * 10,000 pages, and a new file's pages cost the kernel 6-12 ms to get (at
 * 6 MB) against about 1 to write over those the file has. Not one step:
 * a reader meanwhile, or a build killed while it writes, sees a mix of
 * the two, which the header's length or the checksum refuses like any
 * damage (the state is then ignored, so everything renders once).
 * Anything else: S_sealed_write's rename.
 */
static void S_sealed_rewrite(const char *file, const char magic[16], const uint64_t key[2],
			     const uint64_t ctx[2], struct buf *b)
{
	int fd = S_open_in_place(file);

	if (fd < 0) {
		S_sealed_write(file, magic, key, ctx, b);
		return;
	}
	S_seal(magic, key, ctx, b);
	/* half written: emptied rather than refused at the next read (not
	   unlinked: the name may by now be another build's whole file) */
	if (S_pwrite_all(fd, b->ptr, b->len, 0) || ftruncate(fd, (off_t)b->len) != 0)
		(void)ftruncate(fd, 0);
	close(fd);
}

/*
 * A sealed file written as its body is made (S_sealed_stream), so no
 * buffer holds it all: over the file in place, or into a file of its own
 * renamed over it at the end (S_sealed_rewrite's choice), the body from
 * S_SEAL_HEAD on, the header last, once the checksum is known.
 */
struct sealed_out {
	int fd;
	char *tmp;    /* the file of its own, NULL: in place */
	uint64_t len; /* of the body so far */
	struct sum_run sum;
	int failed;
};

/* The next n bytes of the body (diskcache.h's put). */
static int S_sealed_put(const void *p, size_t n, void *payload)
{
	struct sealed_out *o = payload;

	if (o->failed)
		return -1;
	S_sum_more(&o->sum, p, n);
	if (S_pwrite_all(o->fd, p, n, S_SEAL_HEAD + o->len)) {
		o->failed = 1;
		return -1;
	}
	o->len += n;
	return 0;
}

/*
 * The body that body puts (S_sealed_put) sealed under magic, key and ctx
 * into file: over it in place when it is this user's plain file of one name,
 * else by a rename (S_sealed_rewrite's reasons). A refusal of body
 * removes the file (nothing describes the output then); a failed write
 * of the file empties it (in place) or leaves the old one.
 */
static void S_sealed_stream(const char *file, const char magic[16], const uint64_t key[2],
			    const uint64_t ctx[2], diskcache_write_fn body, const struct incr *in)
{
	struct sealed_out o;
	struct buf b = BUF_INIT, tmp = BUF_INIT;
	uint64_t check[2];
	int rc;

	memset(&o, 0, sizeof(o));
	o.fd = S_open_in_place(file);
	if (o.fd < 0) {
		buf_printf(&tmp, "%s.XXXXXX", file);
		if ((o.fd = mkstemp(tmp.ptr)) < 0) {
			buf_release(&tmp);
			return;
		}
		o.tmp = tmp.ptr;
	}
	S_sum_begin(&o.sum, key);
	rc = body(in, S_sealed_put, &o);
	if (rc == 0) {
		S_sum_end(&o.sum, check);
		S_seal_head(&b, magic, key, ctx, o.len, check);
		o.failed = S_pwrite_all(o.fd, b.ptr, b.len, 0) ||
			   ftruncate(o.fd, (off_t)(S_SEAL_HEAD + o.len)) != 0;
	}
	if (rc != 0 && !o.failed) { /* nothing to write: no state describes the output */
		if (o.tmp)
			(void)unlink(o.tmp);
		(void)unlink(file);
		close(o.fd);
	} else if (o.tmp) {
		if (close(o.fd) != 0 || o.failed || rename(o.tmp, file) != 0)
			(void)unlink(o.tmp);
	} else {
		/* half written: emptied rather than refused at the next read (not
		   unlinked: the name may by now be another build's whole file) */
		if (o.failed)
			(void)ftruncate(o.fd, 0);
		close(o.fd);
	}
	buf_release(&b);
	buf_release(&tmp);
}

/* --- the render state -------------------------------------------------------- */

#define S_RMAGIC "jixia render\n\0\0\0"

/* The context's digest under key (seal_ctx_fn): jixia's executable and the output folder the state describes. */
static void S_render_ctx(const uint64_t key[2], const void *arg, uint64_t ctx[2])
{
	const uint64_t *out_id = arg; /* 3 of them */
	struct incr_digest d;

	incr_digest_init(&d, key);
	incr_digest_str(&d, "jixia render cache 2");
	S_exe(&d);
	incr_digest_item(&d, out_id, 3 * sizeof(*out_id));
	incr_digest_final(&d, ctx);
}

/* The commit the history starts from (the load's --ref, else HEAD) as in->pending_id, under in->key. */
static void S_render_commit(struct incr *in, const struct source *src, git_repository *repo)
{
	char head[GIT_OID_HEXSZ + 1] = "";
	struct incr_digest d;
	git_oid id;

	if (!src->commit[0] && repo && git_reference_name_to_id(&id, repo, "HEAD") == 0)
		git_oid_tostr(head, sizeof(head), &id);
	incr_digest_init(&d, in->key);
	incr_digest_str(&d, "jixia render commit 1");
	incr_digest_str(&d, src->commit);
	incr_digest_str(&d, head);
	incr_digest_final(&d, in->pending_id);
}

struct incr *diskcache_render_read(const char *dir, const char *out, const uint64_t out_id[3],
				   struct buf *state)
{
	char *file = S_site_file(dir, "render", out);
	struct incr *in;

	if (!file)
		return NULL;
	in = incr_new();
	in->disk = 1;
	/* the digests in it are under the file's key: the state's key when it holds */
	(void)S_sealed_read(file, S_RMAGIC, S_render_ctx, out_id, in->key, state);
	free(file);
	return in;
}

void diskcache_render_commit(struct incr *in, const struct source *src, git_repository *repo)
{
	if (in)
		S_render_commit(in, src, repo);
}

void diskcache_render_save(struct incr *in, const char *dir, const char *out, const uint64_t out_id[3],
			   diskcache_write_fn body)
{
	char *file = in ? S_site_file(dir, "render", out) : NULL;
	uint64_t ctx[2];

	if (!file)
		return;
	if (!out_id) {
		(void)unlink(file);
	} else {
		S_render_ctx(in->key, out_id, ctx);
		S_sealed_stream(file, S_RMAGIC, in->key, ctx, body, in);
	}
	free(file);
}

/*
 * The context's digest under key (seal_ctx_fn) of a file whose bytes
 * depend on jixia's executable alone: arg, the file's tag ("jixia links
 * 1"), then the executable.
 */
static void S_exe_ctx(const uint64_t key[2], const void *arg, uint64_t ctx[2])
{
	struct incr_digest d;

	incr_digest_init(&d, key);
	incr_digest_str(&d, arg);
	S_exe(&d);
	incr_digest_final(&d, ctx);
}

/* --- the links' check ----------------------------------------------------------- */

#define S_LMAGIC_LINKS "jixia links\n\0\0\0\0"
#define S_LTAG "jixia links 1"

/* The sealed file NAME (and out's) of dir whose context is the executable and tag (S_exe_ctx). */
static int S_exe_read(const char *dir, const char *name, const char *out, const char magic[16],
		      const char *tag, uint64_t key[2], struct buf *body)
{
	char *file = S_site_file(dir, name, out);
	int rc;

	if (!file)
		return -1;
	rc = S_sealed_read(file, magic, S_exe_ctx, tag, key, body);
	free(file);
	return rc;
}

int diskcache_links_read(const char *dir, uint64_t key[2], struct buf *body)
{
	return S_exe_read(dir, "links", NULL, S_LMAGIC_LINKS, S_LTAG, key, body);
}

void diskcache_links_save(const char *dir, const uint64_t key[2], struct buf *b)
{
	char *file = S_site_file(dir, "links", NULL);
	uint64_t ctx[2];

	if (!file || b->len < S_SEAL_HEAD) {
		free(file);
		return;
	}
	S_exe_ctx(key, S_LTAG, ctx);
	S_sealed_rewrite(file, S_LMAGIC_LINKS, key, ctx, b);
	free(file);
}

/* --- the output's folders ------------------------------------------------------ */

#define S_FMAGIC "jixia folders\n\0\0"
#define S_FTAG "jixia folders 1"

int diskcache_folders_read(const char *dir, const char *out, struct buf *body)
{
	uint64_t key[2];
	return S_exe_read(dir, "folders", out, S_FMAGIC, S_FTAG, key, body);
}

void diskcache_folders_save(const char *dir, const char *out, const void *p, size_t n)
{
	char *file = S_site_file(dir, "folders", out);
	struct buf b = BUF_INIT;
	uint64_t key[2], ctx[2];

	if (!file)
		return;
	if (getentropy(key, sizeof(key)) != 0) {
		key[0] = (uint64_t)(uintptr_t)&b ^ (uint64_t)n;
		key[1] = (uint64_t)time(NULL);
	}
	buf_grow(&b, S_SEAL_HEAD + n);
	b.len = S_SEAL_HEAD; /* the header once the body is there */
	buf_put(&b, p, n);
	S_exe_ctx(key, S_FTAG, ctx);
	S_sealed_rewrite(file, S_FMAGIC, key, ctx, &b); /* at every rebuild too, about 1 MB */
	buf_release(&b);
	free(file);
}

/* --- the search index's state ------------------------------------------------- */

/*
 * search.h's state of a rebuild's index, one file per site and output
 * folder (search-DIGEST.cache). It describes the index of the pages it
 * names, each by path and by the digest of all the index reads of it, so
 * the pages' comparison, not the file, decides what is reused; still it
 * is kept under jixia's executable (another jixia may index otherwise)
 * and the output folder it was made with (out_id, as the render state:
 * any other build swapped in, or none staged, and it is no one's).
 *
 * The file is in parts, each sealed on its own, so that a rebuild writes
 * the parts that changed and not 30 MB: the header (S_PHEAD bytes: magic,
 * version, key, context, the directory's offset, length and checksum),
 * the parts, then the directory: the count of parts and per part its
 * offset, length and checksum (the digest of its bytes under the key).
 * A save whose parts are mostly the ones read appends the parts that
 * changed and a new directory after the old one, then writes the header
 * over (under the lock the parse cache's S_append takes, the file still
 * the one read): the old parts no directory names are dead bytes, until
 * they pass a quarter of the file and a save writes it all again through
 * a rename. A header cut or mixed with an old one names no directory
 * that holds (its checksum), and an append killed half way leaves the old
 * header, whose context names an output folder that is gone.
 */
#define S_SMAGIC "jixia search\n\0\0\0"
#define S_SVERSION 6
#define S_PHEAD 88           /* magic 16, version 8, key 16, context 16, directory 8 + 8 + 16 */
#define S_PENTRY 32          /* a part in the directory: offset 8, length 8, checksum 16 */
#define S_PLAZY (1ull << 63) /* in a part's length: a lazy part (diskcache.h) */

/* The file read: its identity and its parts (as the directory gave them), for the save. */
struct diskcache_file {
	dev_t dev;
	ino_t ino;
	uint64_t size;
	uint64_t (*part)[4]; /* offset, length, checksum */
	size_t nparts;
	unsigned char *lazy; /* per part: lazy, its bytes not read with the others */
	int fd;              /* the file, open while its lazy parts may be fetched (-1: closed) */
	uint64_t key[2];     /* the parts' checksums' key */
	struct mapped *map;  /* the parts' span mapped (parts->bytes a view into it), or NULL: read */
};

/* seal_ctx_fn: the format, jixia's executable and the output folder (3 words at arg). */
static void S_search_ctx(const uint64_t key[2], const void *arg, uint64_t ctx[2])
{
	const uint64_t *out_id = arg;
	struct incr_digest d;

	incr_digest_init(&d, key);
	incr_digest_str(&d, "jixia search state 6");
	S_exe(&d);
	incr_digest_item(&d, out_id, 3 * sizeof(*out_id));
	incr_digest_final(&d, ctx);
}

/* A part's checksum (and the directory's): S_sum, which finds damage at
 * memory speed; SipHash over the 30 MB read on every rebuild was a tenth
 * of a one-page rebuild's CPU. Like the parse cache's, it is not a seal
 * against a forger: the cache folder is the user's own. */
static void S_part_sum(const uint64_t key[2], const void *p, size_t n, uint64_t out[2])
{
	S_sum(key, p, n, out);
}

void diskcache_parts_add(struct diskcache_parts *parts, size_t from, size_t was, int same)
{
	struct diskcache_part *pt;

	ARRAY_GROW(parts->v, parts->n, parts->cap, 64);
	pt = &parts->v[parts->n++];
	pt->off = same ? 0 : from;
	pt->len = same ? 0 : parts->bytes.len - from;
	pt->was = was;
	pt->same = same;
	pt->lazy = 0;
}

/* Whether the n bytes at p are part was of the file read (f, or none), by length and checksum. */
static int S_part_holds(const struct diskcache_file *f, const uint64_t key[2], size_t was, const void *p,
			size_t n)
{
	uint64_t h[2];

	if (!f || was >= f->nparts || n != f->part[was][1])
		return 0;
	S_part_sum(key, p, n, h);
	return h[0] == f->part[was][2] && h[1] == f->part[was][3];
}

int diskcache_parts_holds(const struct diskcache_parts *read, const uint64_t key[2], size_t was,
			  const void *p, size_t n)
{
	return S_part_holds(read ? read->file : NULL, key, was, p, n);
}

void diskcache_parts_lazy(struct diskcache_parts *parts)
{
	if (parts->n)
		parts->v[parts->n - 1].lazy = 1;
}

int diskcache_parts_fetch(struct diskcache_parts *parts, size_t i, struct buf *out)
{
	const struct diskcache_file *f = parts->file;
	uint64_t h[2];

	buf_reset(out);
	if (!f || f->fd < 0 || i >= f->nparts || !f->lazy[i])
		return -1;
	buf_grow(out, (size_t)f->part[i][1]);
	if (S_read_at(f->fd, out->ptr, (size_t)f->part[i][1], f->part[i][0]))
		return -1;
	out->len = (size_t)f->part[i][1];
	S_part_sum(f->key, out->ptr, out->len, h);
	if (h[0] != f->part[i][2] || h[1] != f->part[i][3]) {
		buf_reset(out);
		return -1;
	}
	parts->nread++;
	return 0;
}

static void S_file_free(struct diskcache_file *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	mapped_free(f->map);
	free(f->part);
	free(f->lazy);
	free(f);
}

int diskcache_parts_cut(const struct diskcache_parts *parts)
{
	return parts->file && mapped_cut(parts->file->map);
}

void diskcache_parts_release(struct diskcache_parts *parts)
{
	buf_release(&parts->bytes);
	free(parts->v);
	S_file_free(parts->file);
	memset(parts, 0, sizeof(*parts));
	buf_init(&parts->bytes);
}

struct sum_job {
	const uint64_t *key;
	const struct diskcache_parts *parts;
	const uint64_t (*part)[4];
	atomic_int bad;
};

/* Part i's bytes against its checksum (on the pool: the parts are apart). */
static void S_sum_job(size_t i, int worker, void *payload)
{
	struct sum_job *job = payload;
	const struct diskcache_part *pt = &job->parts->v[i];
	uint64_t h[2];
	(void)worker;

	if (pt->lazy) /* not read: checked when fetched */
		return;
	S_part_sum(job->key, job->parts->bytes.ptr + pt->off, pt->len, h);
	if (h[0] != job->part[i][2] || h[1] != job->part[i][3])
		atomic_store(&job->bad, 1);
}

/*
 * The parts of the file (fd, sb) whose header is h into parts, read and
 * each checked: 0, or -1 with parts as it was (nothing kept).
 */
static int S_parts_read(int fd, const struct stat *sb, const unsigned char *h, const uint64_t key[2],
			int nthreads, struct diskcache_parts *parts)
{
	struct diskcache_parse rd; /* S_pread's file */
	struct diskcache_file *file = xcalloc(1, sizeof(*file));
	uint64_t doff = le_get(h + 56, 8), dlen = le_get(h + 64, 8), n, i, lo = UINT64_MAX, hi = 0, sum[2];
	unsigned char *dir = NULL;
	const unsigned char *span;
	struct sum_job job;
	int rc = -1;

	memset(&rd, 0, sizeof(rd));
	rd.in = fd;
	file->fd = -1;
	if (doff < S_PHEAD || doff > (uint64_t)sb->st_size || dlen != (uint64_t)sb->st_size - doff ||
	    dlen < 8 || (dlen - 8) % S_PENTRY)
		goto done;
	dir = xmalloc((size_t)dlen);
	if (S_pread(&rd, dir, (size_t)dlen, doff))
		goto done;
	S_part_sum(key, dir, (size_t)dlen, sum);
	n = le_get(dir, 8);
	if (sum[0] != le_get(h + 72, 8) || sum[1] != le_get(h + 80, 8) || n != (dlen - 8) / S_PENTRY)
		goto done;
	file->part = xmalloc((n ? n : 1) * sizeof(*file->part));
	file->lazy = xcalloc(n ? n : 1, 1);
	file->nparts = (size_t)n;
	for (i = 0; i < n; i++) {
		const unsigned char *e = dir + 8 + i * S_PENTRY;
		uint64_t off = le_get(e, 8), len = le_get(e + 8, 8);
		file->lazy[i] = (len & S_PLAZY) != 0;
		len &= ~S_PLAZY;
		if (off < S_PHEAD || off > doff || len > doff - off)
			goto done;
		file->part[i][0] = off;
		file->part[i][1] = len;
		file->part[i][2] = le_get(e + 16, 8);
		file->part[i][3] = le_get(e + 24, 8);
		if (file->lazy[i]) /* out of the span read */
			continue;
		if (len && off < lo)
			lo = off;
		if (len && off + len > hi)
			hi = off + len;
	}
	/*
	 * The parts' span at once (dead bytes between them are under a
	 * quarter), mapped rather than read (mapped.h): the build before wrote
	 * the file seconds ago, so its pages are in the page cache, where a
	 * pread's copy took 30 MB of fresh memory, zeroed page by page (10-170
	 * ms at 10,000 pages). The views into it (the terms' postings and
	 * records, search.c) are read until the save, and stay what the checks
	 * found because nothing jixia does writes into the span: a save
	 * appends past the file's end and rewrites the header (before lo), or
	 * writes a new file and renames it over (S_parts_append,
	 * S_parts_write), in this build or another. Only another program can
	 * change it: a cut is caught (mapped.h's guard; the build fails, see
	 * diskcache_parts_cut); bytes written over in place are caught where
	 * the index takes postings apart (search.c's S_load: the build fails),
	 * not in the records it copies as they are (the cache folder's owner
	 * can make any build wrong). When the span cannot be mapped it is read.
	 */
	buf_release(&parts->bytes);
	if (hi > lo && mapped_open(&file->map, &span, fd, lo, (size_t)(hi - lo)) == 0) {
		parts->bytes.ptr = (char *)span; /* a view (cap 0): not written, not freed */
		parts->bytes.len = (size_t)(hi - lo);
	} else if (hi > lo) {
		buf_grow(&parts->bytes, (size_t)(hi - lo));
		if (S_pread(&rd, parts->bytes.ptr, (size_t)(hi - lo), lo))
			goto done;
		parts->bytes.len = (size_t)(hi - lo);
	}
	parts->n = 0;
	for (i = 0; i < n; i++) {
		ARRAY_GROW(parts->v, parts->n, parts->cap, 64);
		parts->v[i].off = file->part[i][1] && !file->lazy[i] ? (size_t)(file->part[i][0] - lo) : 0;
		parts->v[i].len = (size_t)file->part[i][1];
		parts->v[i].was = (size_t)i;
		parts->v[i].same = 0;
		parts->v[i].lazy = file->lazy[i];
		parts->n++;
	}
	job.key = key;
	job.parts = parts;
	job.part = (const uint64_t(*)[4])file->part;
	atomic_init(&job.bad, 0);
	pool_run(nthreads, parts->n, S_sum_job, &job);
	if (atomic_load(&job.bad) || pool_cancelled())
		goto done;
	file->dev = sb->st_dev;
	file->ino = sb->st_ino;
	file->size = (uint64_t)sb->st_size;
	memcpy(file->key, key, sizeof(file->key));
	parts->file = file;
	parts->nread = 0;
	for (i = 0; i < n; i++)
		parts->nread += !file->lazy[i];
	file = NULL;
	rc = 0;
done:
	if (rc) {
		buf_release(&parts->bytes);
		parts->n = 0;
	}
	S_file_free(file);
	free(dir);
	return rc;
}

struct incr *diskcache_search_open(const char *dir, const char *out, const uint64_t out_id[3], int nthreads,
				   struct diskcache_parts *parts)
{
	char *file = S_site_file(dir, "search", out);
	unsigned char h[S_PHEAD];
	struct diskcache_parse rd; /* S_pread's file */
	uint64_t key[2], ctx[2];
	struct incr *in;
	struct stat sb;

	if (!file)
		return NULL;
	in = incr_new();
	in->disk = 1;
	memset(&rd, 0, sizeof(rd));
	rd.in = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (rd.in < 0 || fstat(rd.in, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size < S_PHEAD ||
	    (uint64_t)sb.st_size > S_SEAL_MAX || S_pread(&rd, h, S_PHEAD, 0) ||
	    memcmp(h, S_SMAGIC, 16) != 0 || le_get(h + 16, 8) != S_SVERSION)
		goto done;
	key[0] = le_get(h + 24, 8);
	key[1] = le_get(h + 32, 8);
	S_search_ctx(key, out_id, ctx);
	if (ctx[0] != le_get(h + 40, 8) || ctx[1] != le_get(h + 48, 8))
		goto done; /* another jixia, or what it was made for is gone: nothing of it holds */
	/* the state's digests are under the file's key: in->key when it holds */
	if (S_parts_read(rd.in, &sb, h, key, nthreads, parts) == 0) {
		memcpy(in->key, key, sizeof(key));
		parts->file->fd = rd.in; /* open for the lazy parts, closed with parts */
		rd.in = -1;
	}
done:
	if (rd.in >= 0)
		close(rd.in);
	free(file);
	return in;
}

/* The header of a file sealed under key and ctx whose directory (dlen bytes, sum) is at doff. */
static void S_parts_header(struct buf *b, const uint64_t key[2], const uint64_t ctx[2], uint64_t doff,
			   uint64_t dlen, const uint64_t sum[2])
{
	S_head_start(b, S_SMAGIC, S_SVERSION, key, ctx);
	buf_put_le(b, doff, 8);
	buf_put_le(b, dlen, 8);
	buf_put_le(b, sum[0], 8);
	buf_put_le(b, sum[1], 8);
}

/* A part given as bytes that are those of the part it stands for: that part, unchanged. */
static void S_parts_same(const uint64_t key[2], struct diskcache_parts *next, const struct diskcache_file *f)
{
	size_t i;
	for (i = 0; f && i < next->n; i++) {
		struct diskcache_part *pt = &next->v[i];
		if (!pt->same && S_part_holds(f, key, pt->was, next->bytes.ptr + pt->off, pt->len))
			pt->same = 1;
	}
}

/*
 * next's parts that changed appended to the file read (f, open as o, its
 * lock held), then the directory, then the header written over: 0, or -1
 * when a quarter of the file would be dead or a write fails (the file is
 * then written again whole).
 */
static int S_parts_append(int o, const uint64_t key[2], const uint64_t ctx[2],
			  const struct diskcache_parts *next, const struct diskcache_file *f)
{
	struct buf b = BUF_INIT, dir = BUF_INIT;
	uint64_t live = 0, total = 0, sum[2];
	size_t i;
	int rc = -1;

	/* the parts and directories no directory names any more are dead: a quarter, written whole */
	for (i = 0; i < next->n; i++) {
		live += next->v[i].same ? f->part[next->v[i].was][1] : next->v[i].len;
		total += next->v[i].same ? 0 : next->v[i].len;
	}
	total += f->size - S_PHEAD;
	if ((total - live) * 4 > total + 8 + S_PENTRY * next->n)
		return -1;
	buf_put_le(&dir, next->n, 8);
	for (i = 0; i < next->n; i++) {
		const struct diskcache_part *pt = &next->v[i];
		if (pt->same) {
			buf_put_le(&dir, f->part[pt->was][0], 8);
			buf_put_le(&dir, f->part[pt->was][1] | (pt->lazy ? S_PLAZY : 0), 8);
			buf_put_le(&dir, f->part[pt->was][2], 8);
			buf_put_le(&dir, f->part[pt->was][3], 8);
			continue;
		}
		S_part_sum(key, next->bytes.ptr + pt->off, pt->len, sum);
		buf_put_le(&dir, f->size + b.len, 8);
		buf_put_le(&dir, pt->len | (pt->lazy ? S_PLAZY : 0), 8);
		buf_put_le(&dir, sum[0], 8);
		buf_put_le(&dir, sum[1], 8);
		buf_put(&b, next->bytes.ptr + pt->off, pt->len);
	}
	S_part_sum(key, dir.ptr, dir.len, sum);
	buf_put(&b, dir.ptr, dir.len);
	if (pwrite(o, b.ptr, b.len, (off_t)f->size) != (ssize_t)b.len)
		goto done;
	total = f->size + b.len; /* the directory at its end */
	buf_reset(&b);
	S_parts_header(&b, key, ctx, total - dir.len, dir.len, sum);
	rc = pwrite(o, b.ptr, b.len, 0) == (ssize_t)b.len ? 0 : -1;
done:
	buf_release(&b);
	buf_release(&dir);
	return rc;
}

/*
 * next's parts written to file whole, through a temporary file and a
 * rename: the unchanged ones read again from the old file (o, checked
 * against their checksums), the others from next. 0, or -1 (the old file
 * left). The directory is known before any part is written (an unchanged
 * part's checksum is the old directory's, checked as it is read), so the
 * parts go out as they are, next's runs of them in one write each: the
 * file is never built in memory beside next (a first rebuild's state is
 * tens of MB, at the build's peak).
 */
static int S_parts_write(const char *file, int o, const uint64_t key[2], const uint64_t ctx[2],
			 const struct diskcache_parts *next, const struct diskcache_file *f)
{
	struct buf hd = BUF_INIT, dir = BUF_INIT, tmp = BUF_INIT, old = BUF_INIT;
	uint64_t sum[2], at = S_PHEAD;
	size_t i, j;
	int fd = -1, rc = -1;

	buf_put_le(&dir, next->n, 8);
	for (i = 0; i < next->n; i++) {
		const struct diskcache_part *pt = &next->v[i];
		uint64_t len = pt->same ? f->part[pt->was][1] : pt->len;
		if (pt->same) {
			if (o < 0)
				goto done;
			sum[0] = f->part[pt->was][2];
			sum[1] = f->part[pt->was][3];
		} else {
			S_part_sum(key, next->bytes.ptr + pt->off, pt->len, sum);
		}
		buf_put_le(&dir, at, 8);
		buf_put_le(&dir, len | (pt->lazy ? S_PLAZY : 0), 8);
		buf_put_le(&dir, sum[0], 8);
		buf_put_le(&dir, sum[1], 8);
		at += len;
	}
	S_part_sum(key, dir.ptr, dir.len, sum);
	S_parts_header(&hd, key, ctx, at, dir.len, sum);
	buf_printf(&tmp, "%s.XXXXXX", file);
	if ((fd = mkstemp(tmp.ptr)) < 0)
		goto done;
	if (S_write_all(fd, hd.ptr, hd.len))
		goto fail;
	for (i = 0; i < next->n; i = j) {
		const struct diskcache_part *pt = &next->v[i];
		size_t end;
		j = i + 1;
		if (pt->same) {
			uint64_t len = f->part[pt->was][1];
			uint64_t check[2];
			buf_reset(&old);
			buf_grow(&old, (size_t)len);
			if (S_read_at(o, old.ptr, (size_t)len, f->part[pt->was][0]))
				goto fail;
			S_part_sum(key, old.ptr, (size_t)len, check);
			if (check[0] != f->part[pt->was][2] || check[1] != f->part[pt->was][3])
				goto fail; /* the old file changed under us */
			if (S_write_all(fd, old.ptr, (size_t)len))
				goto fail;
			continue;
		}
		/* the changed parts that follow one another in next's bytes: one write */
		end = pt->off + pt->len;
		while (j < next->n && !next->v[j].same && next->v[j].off == end)
			end += next->v[j++].len;
		if (S_write_all(fd, next->bytes.ptr + pt->off, end - pt->off))
			goto fail;
	}
	if (S_write_all(fd, dir.ptr, dir.len))
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp.ptr, file) != 0)
		goto fail;
	rc = 0;
	goto done;
fail:
	if (fd >= 0)
		close(fd);
	(void)unlink(tmp.ptr);
done:
	buf_release(&hd);
	buf_release(&dir);
	buf_release(&tmp);
	buf_release(&old);
	return rc;
}

void diskcache_search_save(struct incr *in, const char *dir, const char *out, const uint64_t out_id[3],
			   struct diskcache_parts *read, struct diskcache_parts *next)
{
	char *file = in ? S_site_file(dir, "search", out) : NULL;
	const struct diskcache_file *f = read ? read->file : NULL;
	uint64_t ctx[2];
	struct stat sb;
	size_t i;
	int o = -1, ours = 0;

	if (!file)
		return;
	if (!out_id || !next) {
		(void)unlink(file); /* no index kept: no state describes the new output */
		goto done;
	}
	/* the parts encode took from the file read as zeros (cut short under its mapping) */
	if (f && mapped_cut(f->map))
		goto fail;
	/* the parts must name parts of the file read, made under this key */
	for (i = 0; i < next->n; i++)
		if (next->v[i].same && (!f || next->v[i].was >= f->nparts))
			goto fail;
	S_search_ctx(in->key, out_id, ctx);
	S_parts_same(in->key, next, f);
	/* the file read, still that file, no other run at it (the lock, as S_append's) */
	if (f && (o = open(file, O_RDWR | O_NOFOLLOW | O_CLOEXEC)) >= 0 && flock(o, LOCK_EX | LOCK_NB) == 0 &&
	    fstat(o, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_dev == f->dev && sb.st_ino == f->ino &&
	    (uint64_t)sb.st_size == f->size)
		ours = 1;
	if (read) {
		read->nsaved = next->n;
		read->nwritten = read->written_bytes = 0;
		for (i = 0; i < next->n; i++) {
			read->nwritten += !next->v[i].same;
			read->written_bytes += next->v[i].same ? 0 : next->v[i].len;
		}
	}
	if (ours && S_parts_append(o, in->key, ctx, next, f) == 0)
		goto done;
	if (read) { /* every part, then */
		read->nwritten = next->n;
		read->whole = 1;
		read->written_bytes = S_PHEAD + 8 + S_PENTRY * next->n;
		for (i = 0; i < next->n; i++)
			read->written_bytes += next->v[i].same ? f->part[next->v[i].was][1] : next->v[i].len;
	}
	if (S_parts_write(file, ours ? o : -1, in->key, ctx, next, f) == 0)
		goto done;
fail:
	(void)unlink(file);
done:
	if (o >= 0)
		close(o); /* and the lock with it */
	free(file);
}

/* --- memos: values under a digest, kept in a sealed file ---------------------- */

/*
 * The deflate streams and the questions' answers are both a table of
 * values, each under a 128-bit digest of what it was made from (under the
 * file's key), that a build looks up from its workers, adds to, and
 * writes back with the entries it used. A value made from the same input
 * is the same value, so an entry never goes stale; the file's context
 * names jixia's executable (and whatever else could make a value
 * otherwise). The body is entries of: digest 16, length 8, the value's
 * bytes; a length of 0 or past the end, a value the kind's check refuses,
 * or more than S_MEMO_MAX entries make none of the file hold.
 */
#define S_MEMO_MAX ((size_t)1 << 22)

struct memo_ent {
	uint64_t h[2];
	const unsigned char *p; /* into the old file's bytes, or fresh (owned) */
	size_t len;
	unsigned char fresh, used;
};

struct memo {
	char *file;
	const char *magic;
	seal_ctx_fn context_of;
	uint64_t key[2];
	struct buf old;     /* the old file's body */
	struct memo_ent *v; /* open addressing by h[0], cap a power of two; p NULL: empty */
	size_t n, cap;
	size_t kept, again, made; /* found in the file, found made by this build, made */
	pthread_mutex_t lock;     /* lookups and additions from the workers */
};

/* The slot of h: its entry's, or the empty one where it goes. Under lock. */
static struct memo_ent *S_memo_slot(struct memo *m, const uint64_t h[2])
{
	size_t i = (size_t)h[0] & (m->cap - 1);
	while (m->v[i].p && (m->v[i].h[0] != h[0] || m->v[i].h[1] != h[1]))
		i = (i + 1) & (m->cap - 1);
	return &m->v[i];
}

/* An entry for h unless there is one (the first stays; a fresh p is then
 * freed), the table grown to stay half empty. Under lock. */
static void S_memo_put(struct memo *m, const uint64_t h[2], const unsigned char *p, size_t len, int fresh)
{
	struct memo_ent *e;

	if (2 * (m->n + 1) > m->cap) {
		struct memo_ent *old = m->v;
		size_t i, cap = m->cap;
		m->cap = cap ? cap * 2 : 256;
		m->v = xcalloc(m->cap, sizeof(*m->v));
		for (i = 0; i < cap; i++)
			if (old[i].p)
				*S_memo_slot(m, old[i].h) = old[i];
		free(old);
	}
	e = S_memo_slot(m, h);
	if (e->p) {
		if (fresh)
			free((void *)(uintptr_t)p);
		return;
	}
	e->h[0] = h[0];
	e->h[1] = h[1];
	e->p = p;
	e->len = len;
	e->fresh = e->used = (unsigned char)(fresh != 0);
	m->n++;
}

static void S_memo_clear(struct memo *m)
{
	free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
}

/* The old file's entries into m: none when any of it does not hold (valid
 * says whether a value can be the kind's). */
static void S_memo_load(struct memo *m, int (*valid)(const unsigned char *p, size_t len))
{
	struct le_reader r;

	if (S_sealed_read(m->file, m->magic, m->context_of, NULL, m->key, &m->old))
		return; /* the entries' digests are under the file's key, in m->key when it holds */
	r.p = (const unsigned char *)m->old.ptr;
	r.end = r.p + m->old.len;
	r.bad = 0;
	while (r.p < r.end && !r.bad) {
		uint64_t h[2], len;
		const unsigned char *p;
		h[0] = le_read(&r, 8);
		h[1] = le_read(&r, 8);
		len = le_read(&r, 8);
		if (r.bad || len == 0 || len > (uint64_t)(r.end - r.p) || m->n >= S_MEMO_MAX ||
		    !(p = le_take(&r, (size_t)len)) || !valid(p, (size_t)len))
			break;
		S_memo_put(m, h, p, (size_t)len, 0);
	}
	if (r.bad || r.p != r.end) /* damaged past the checksum's reach: none of it */
		S_memo_clear(m);
}

/* m for the site folder dir's file of name: NULL without a cache folder. */
static struct memo *S_memo_open(const char *dir, const char *name, const char *magic, seal_ctx_fn context_of,
				int (*valid)(const unsigned char *p, size_t len))
{
	char *file = S_site_file(dir, name, NULL);
	struct memo *m;

	if (!file)
		return NULL;
	m = xcalloc(1, sizeof(*m));
	m->file = file;
	m->magic = magic;
	m->context_of = context_of;
	buf_init(&m->old);
	pthread_mutex_init(&m->lock, NULL);
	if (getentropy(m->key, sizeof(m->key)) != 0)
		m->key[0] = (uint64_t)(uintptr_t)m;
	S_memo_load(m, valid);
	if (!m->cap) {
		m->cap = 256;
		m->v = xcalloc(m->cap, sizeof(*m->v));
	}
	return m;
}

/* The value under h into *p, *len (valid until close): 0, or -1 when there is none. */
static int S_memo_get(struct memo *m, const uint64_t h[2], const unsigned char **p, size_t *len)
{
	struct memo_ent *e;
	int rc = -1;

	pthread_mutex_lock(&m->lock);
	e = S_memo_slot(m, h);
	if (e->p) {
		*p = e->p;
		*len = e->len;
		*(e->fresh ? &m->again : &m->kept) += 1;
		e->used = 1;
		rc = 0;
	}
	pthread_mutex_unlock(&m->lock);
	return rc;
}

/* A copy of the value made from h's input. */
static void S_memo_add(struct memo *m, const uint64_t h[2], const void *p, size_t len)
{
	unsigned char *c = xmalloc(len);

	memcpy(c, p, len);
	pthread_mutex_lock(&m->lock);
	S_memo_put(m, h, c, len, 1);
	m->made++;
	pthread_mutex_unlock(&m->lock);
}

/*
 * The file written with the entries this build used (all: the old ones
 * too) when save and that changed anything: a value made, or an old one
 * left out; else only its time touched, which keeps it from the sweep.
 * Frees m.
 */
static void S_memo_close(struct memo *m, int save, int all)
{
	struct buf b = BUF_INIT;
	uint64_t ctx[2];
	size_t i, fresh = 0, used = 0;

	if (!m)
		return;
	for (i = 0; i < m->cap; i++) {
		m->v[i].used |= (unsigned char)(all != 0);
		fresh += m->v[i].p && m->v[i].fresh;
		used += m->v[i].p && m->v[i].used;
	}
	if (save && (fresh || used != m->n)) {
		buf_grow(&b, S_SEAL_HEAD);
		b.len = S_SEAL_HEAD;
		for (i = 0; i < m->cap; i++) {
			const struct memo_ent *e = &m->v[i];
			if (!e->p || !e->used)
				continue;
			buf_put_le(&b, e->h[0], 8);
			buf_put_le(&b, e->h[1], 8);
			buf_put_le(&b, e->len, 8);
			buf_put(&b, e->p, e->len);
		}
		m->context_of(m->key, NULL, ctx);
		S_sealed_write(m->file, m->magic, m->key, ctx, &b);
	} else if (save) {
		(void)utimensat(AT_FDCWD, m->file, NULL, 0);
	}
	for (i = 0; i < m->cap; i++)
		if (m->v[i].p && m->v[i].fresh)
			free((void *)(uintptr_t)m->v[i].p);
	free(m->v);
	buf_release(&m->old);
	buf_release(&b);
	pthread_mutex_destroy(&m->lock);
	free(m->file);
	free(m);
}

/* --- the index's zlib streams ------------------------------------------------- */

/*
 * The streams the search index compressed (search.h's search_set_deflate),
 * a memo per site folder (deflate-DIGEST.cache), each under a digest of
 * its raw bytes: at level 9 compress2 is most of the index's time, and a
 * one-page edit changes few of its shards and tails. The file holds the
 * streams this build used, so it stays the index's size; under jixia's
 * executable and zlib's version (another zlib may compress otherwise).
 */
#define S_ZMAGIC "jixia deflate\n\0\0"

struct diskcache_z {
	/* opened at the first stream asked for: a rebuild that keeps its index
	   from its state (search.h) compresses the few shards it changed on
	   its own and never reads or writes the file */
	struct memo *m;
	char *dir;
	int tried;
	pthread_mutex_t lock;
};

/* seal_ctx_fn: jixia's executable and zlib's version. */
static void S_z_ctx(const uint64_t key[2], const void *arg, uint64_t ctx[2])
{
	struct incr_digest d;
	(void)arg;
	incr_digest_init(&d, key);
	incr_digest_str(&d, "jixia deflate cache 2");
	S_exe(&d);
	incr_digest_str(&d, zlibVersion());
	incr_digest_final(&d, ctx);
}

static int S_z_valid(const unsigned char *p, size_t len)
{
	(void)p;
	(void)len;
	return 1; /* any bytes: the reader of the index inflates them, never this */
}

struct diskcache_z *diskcache_z_open(const char *dir)
{
	char *file = S_site_file(dir, "deflate", NULL);
	struct diskcache_z *z;

	if (!file)
		return NULL;
	free(file);
	z = xcalloc(1, sizeof(*z));
	z->dir = xstrdup(dir);
	pthread_mutex_init(&z->lock, NULL);
	return z;
}

/* z's memo, read at the first call (any thread): NULL when it cannot be. */
static struct memo *S_z_memo(struct diskcache_z *z)
{
	struct memo *m;

	pthread_mutex_lock(&z->lock);
	if (!z->tried) {
		z->m = S_memo_open(z->dir, "deflate", S_ZMAGIC, S_z_ctx, S_z_valid);
		z->tried = 1;
	}
	m = z->m;
	pthread_mutex_unlock(&z->lock);
	return m;
}

int diskcache_z_deflate(void *payload, const void *raw, size_t n, unsigned char **out, size_t *outn)
{
	struct memo *m = S_z_memo(payload);
	uLongf zn = compressBound((uLong)n);
	const unsigned char *p;
	struct incr_digest d;
	uint64_t h[2];
	size_t len;

	if (m) {
		incr_digest_init(&d, m->key);
		incr_digest_item(&d, raw, n);
		incr_digest_final(&d, h);
		if (S_memo_get(m, h, &p, &len) == 0) {
			*out = xmalloc(len);
			memcpy(*out, p, len);
			*outn = len;
			return 0;
		}
	}
	*out = xmalloc(zn);
	*outn = 0;
	if (compress2(*out, &zn, (const Bytef *)raw, (uLong)n, 9) != Z_OK)
		return -1;
	*outn = zn;
	if (m)
		S_memo_add(m, h, *out, zn);
	return 0;
}

void diskcache_z_counts(const struct diskcache_z *z, size_t *hits, size_t *made)
{
	*hits = z && z->m ? z->m->kept + z->m->again : 0;
	*made = z && z->m ? z->m->made : 0;
}

void diskcache_z_close(struct diskcache_z *z, int save, int all)
{
	if (!z)
		return;
	if (z->m) {
		S_memo_close(z->m, save, all);
	} else if (save) { /* not read: as it was, kept from the sweep */
		char *file = S_site_file(z->dir, "deflate", NULL);
		if (file)
			(void)utimensat(AT_FDCWD, file, NULL, 0);
		free(file);
	}
	pthread_mutex_destroy(&z->lock);
	free(z->dir);
	free(z);
}

/* --- the answers of old versions --------------------------------------------- */

/*
 * What history_since's keep function said of each version it read (a
 * question's: answered or not), a memo per site folder
 * (answers-DIGEST.cache), each answer (one byte, 0 or 1) under a digest
 * of the keep's name and the blob's id: the same bytes always get the
 * same answer, so a build after a one-page edit reads no old version from
 * git again. Under jixia's executable (another may answer otherwise).
 */
#define S_AMAGIC "jixia answers\n\0\0"

struct diskcache_answers {
	struct memo *m;
};

/* seal_ctx_fn: jixia's executable. */
static void S_a_ctx(const uint64_t key[2], const void *arg, uint64_t ctx[2])
{
	struct incr_digest d;
	(void)arg;
	incr_digest_init(&d, key);
	incr_digest_str(&d, "jixia answers cache 2");
	S_exe(&d);
	incr_digest_final(&d, ctx);
}

static int S_a_valid(const unsigned char *p, size_t len)
{
	return len == 1 && p[0] <= 1;
}

static void S_a_digest(const struct diskcache_answers *a, const char *name, const git_oid *blob,
		       uint64_t h[2])
{
	struct incr_digest d;
	incr_digest_init(&d, a->m->key);
	incr_digest_str(&d, name);
	incr_digest_item(&d, blob->id, GIT_OID_RAWSZ);
	incr_digest_final(&d, h);
}

static int S_a_get(void *payload, const char *name, const git_oid *blob)
{
	struct diskcache_answers *a = payload;
	const unsigned char *p;
	uint64_t h[2];
	size_t len;

	S_a_digest(a, name, blob, h);
	return S_memo_get(a->m, h, &p, &len) == 0 ? p[0] : -1;
}

static void S_a_keep(void *payload, const char *name, const git_oid *blob, int holds)
{
	struct diskcache_answers *a = payload;
	unsigned char v = (unsigned char)(holds != 0);
	uint64_t h[2];

	S_a_digest(a, name, blob, h);
	S_memo_add(a->m, h, &v, 1);
}

struct diskcache_answers *diskcache_answers_open(const char *dir, struct history_blob_memo *memo)
{
	struct memo *m;
	struct diskcache_answers *a;

	memset(memo, 0, sizeof(*memo));
	if (!(m = S_memo_open(dir, "answers", S_AMAGIC, S_a_ctx, S_a_valid)))
		return NULL;
	a = xmalloc(sizeof(*a));
	a->m = m;
	memo->get = S_a_get;
	memo->put = S_a_keep;
	memo->payload = a;
	return a;
}

void diskcache_answers_counts(const struct diskcache_answers *a, size_t *hits, size_t *made)
{
	*hits = a ? a->m->kept : 0;
	*made = a ? a->m->made : 0;
}

void diskcache_answers_close(struct diskcache_answers *a, int save)
{
	if (!a)
		return;
	S_memo_close(a->m, save, 0);
	free(a);
}
