/*
 * incr: the build stamp and the state serve keeps between rebuilds.
 *
 * The stamp is a digest of everything a build's output is made from, kept
 * in the user's cache (never in the repository: a commit could plant a
 * stamp there that makes jixia skip the build and publish a folder it
 * never wrote). Its digest is SipHash-2-4 with 128-bit output under a key
 * drawn at random when the output's first stamp is made and kept in the
 * stamp's file: inputs crafted to collide with a previous build's digest
 * would need that key. The executable's build id (else its bytes) is in
 * the digest, so a different jixia never takes another's stamp; the
 * options and TZ too.
 *
 * A stamp is dropped before a build swaps its output in and saved after,
 * and only when the build printed nothing: a build that warned warns
 * again next time instead of being skipped in silence. Files changed by
 * hand inside the output are not noticed (the output folder's identity
 * and modification time are); deleting the output or the cache makes the
 * next build a full one.
 */
#define _GNU_SOURCE /* dl_iterate_phdr: the program's build id */
#include "incr.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "history.h"
#include "model.h"
#include "pagetok.h"
#include "util.h"
#include "yaml.h"

/* SipHash-2-4, 128-bit output, fed in pieces (Aumasson and Bernstein, 2012). */
struct sip {
	uint64_t v[4];
	uint64_t tail; /* bytes not yet a whole word, little-endian */
	size_t len;    /* bytes fed in all */
};

#define S_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void S_rounds(uint64_t *v, int n)
{
	while (n-- > 0) {
		v[0] += v[1];
		v[1] = S_ROTL(v[1], 13);
		v[1] ^= v[0];
		v[0] = S_ROTL(v[0], 32);
		v[2] += v[3];
		v[3] = S_ROTL(v[3], 16);
		v[3] ^= v[2];
		v[0] += v[3];
		v[3] = S_ROTL(v[3], 21);
		v[3] ^= v[0];
		v[2] += v[1];
		v[1] = S_ROTL(v[1], 17);
		v[1] ^= v[2];
		v[2] = S_ROTL(v[2], 32);
	}
}

static void S_sip_init(struct sip *s, const uint64_t key[2])
{
	s->v[0] = 0x736f6d6570736575ULL ^ key[0];
	s->v[1] = 0x646f72616e646f6dULL ^ key[1] ^ 0xee;
	s->v[2] = 0x6c7967656e657261ULL ^ key[0];
	s->v[3] = 0x7465646279746573ULL ^ key[1];
	s->tail = 0;
	s->len = 0;
}

static void S_sip_word(struct sip *s, uint64_t m)
{
	s->v[3] ^= m;
	S_rounds(s->v, 2);
	s->v[0] ^= m;
}

/* A little-endian word from p, whatever p's alignment (one load where the machine allows). */
static inline uint64_t S_le64(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
	       (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

/*
 * S_sip_word over nwords whole words at p, the state held in locals: p
 * may point anywhere (even into s), so the compiler would otherwise
 * store and reload the state for every word, and digests feed whole
 * source files (rerender.h), tens of MB on a large site's first rebuild.
 */
static void S_sip_words(struct sip *s, const unsigned char *p, size_t nwords)
{
	uint64_t v[4] = { s->v[0], s->v[1], s->v[2], s->v[3] };

	for (; nwords > 0; nwords--, p += 8) {
		uint64_t m = S_le64(p);
		v[3] ^= m;
		S_rounds(v, 2);
		v[0] ^= m;
	}
	memcpy(s->v, v, sizeof(v));
}

static void S_sip_feed(struct sip *s, const void *data, size_t n)
{
	const unsigned char *p = data;

	/* Fill a partial word first, then whole words straight from p. */
	while (n > 0 && s->len % 8 != 0) {
		s->tail |= (uint64_t)*p++ << (8 * (s->len % 8));
		s->len++;
		n--;
		if (s->len % 8 == 0) {
			S_sip_word(s, s->tail);
			s->tail = 0;
		}
	}
	if (n >= 8)
		S_sip_words(s, p, n / 8);
	p += n / 8 * 8;
	s->len += n / 8 * 8;
	n %= 8;
	for (; n > 0; n--, s->len++)
		s->tail |= (uint64_t)*p++ << (8 * (s->len % 8));
}

static void S_sip_final(struct sip *s, uint64_t out[2])
{
	S_sip_word(s, s->tail | ((uint64_t)(s->len & 0xff) << 56));
	s->v[2] ^= 0xee;
	S_rounds(s->v, 4);
	out[0] = s->v[0] ^ s->v[1] ^ s->v[2] ^ s->v[3];
	s->v[1] ^= 0xdd;
	S_rounds(s->v, 4);
	out[1] = s->v[0] ^ s->v[1] ^ s->v[2] ^ s->v[3];
}

/* One item: its length first, so no two lists of items feed the same bytes. */
static void S_item(struct sip *s, const void *data, size_t n)
{
	unsigned char len[8];
	le_put(len, (uint64_t)n, 8);
	S_sip_feed(s, len, 8);
	S_sip_feed(s, data, n);
}

static void S_item_str(struct sip *s, const char *str)
{
	if (str)
		S_item(s, str, strlen(str));
	else
		S_item(s, "\xff", 1); /* not given: unlike any string */
}

/* The whole file at path fed as one item; "missing" when it cannot be read. */
static void S_item_file(struct sip *s, const char *path)
{
	struct buf b = BUF_INIT;
	char chunk[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		S_item_str(s, NULL);
		return;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_put(&b, chunk, (size_t)n);
	close(fd);
	S_item(s, b.ptr, b.len);
	buf_release(&b);
}

/* A file a stamp's digest puts by its bytes, given young (S_source_items). */
static int S_by_bytes(const struct source_file *f, uint64_t young)
{
	return !f->ident[1] || f->ident[2] >= young || f->ident[3] >= young;
}

/*
 * The source files into a stamp's digest: each one's path, then its
 * identity and length (source.h: the same identity is the same bytes, as
 * the parse cache trusts it; an edit changes its times), or its bytes
 * when it has none (changed as the walk began, or read from a commit) or
 * a time at or past young (ns; the build that saved the stamp found such
 * a file racy and put its bytes: a build with it unchanged puts them
 * again). Hashing 45 MB of pages on every rebuild was a tenth of a
 * one-page rebuild's CPU. The files from the index from on, before to.
 */
static size_t S_source_items(struct sip *s, const struct source *src, uint64_t young, size_t from, size_t to)
{
	unsigned char id[40];
	size_t n, k, bytes = 0;

	for (n = from; n < to; n++) {
		const struct source_file *f = &src->files[n];
		S_item_str(s, f->path);
		if (S_by_bytes(f, young)) {
			const char *data = source_bytes(src, f, 1); /* left unread by the walk: read now */
			S_item_str(s, data ? "bytes" : "unreadable");
			S_item(s, data ? data : "", data ? f->len : 0);
			bytes++;
			continue;
		}
		for (k = 0; k < 4; k++)
			le_put(id + 8 * k, f->ident[k], 8);
		le_put(id + 32, (uint64_t)f->len, 8);
		S_item_str(s, "identity");
		S_item(s, id, sizeof(id));
	}
	return bytes;
}

/* incr_exe_digest's, read once per process. */
static uint64_t S_exe_sum[2];
static pthread_once_t S_exe_once = PTHREAD_ONCE_INIT;

/* The build id's bytes in the loaded notes of the program (dl_iterate_phdr's first object), and
   where its segments load and how large they are. */
struct exe_id {
	const unsigned char *id;
	size_t len;
	unsigned char segs[16 * 32];
	size_t nsegs;
};

static int S_exe_note(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct exe_id *e = arg;
	int i;

	(void)size;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const unsigned char *p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		size_t at = 0;

		if (ph->p_type == PT_LOAD && e->nsegs < sizeof(e->segs) / 32) {
			unsigned char *q = e->segs + 32 * e->nsegs++;
			le_put(q, (uint64_t)ph->p_vaddr, 8);
			le_put(q + 8, (uint64_t)ph->p_filesz, 8);
			le_put(q + 16, (uint64_t)ph->p_memsz, 8);
			le_put(q + 24, (uint64_t)ph->p_flags, 8);
		}
		if (ph->p_type != PT_NOTE)
			continue;
		while (at + sizeof(ElfW(Nhdr)) <= ph->p_memsz) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)(p + at);
			size_t name = ((size_t)nh->n_namesz + 3) & ~(size_t)3;
			size_t desc = ((size_t)nh->n_descsz + 3) & ~(size_t)3;

			at += sizeof(*nh);
			if (name > ph->p_memsz - at || desc > ph->p_memsz - at - name)
				break;
			if (!e->id && nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
			    memcmp(p + at, "GNU", 4) == 0) {
				e->id = p + at + name;
				e->len = nh->n_descsz;
				break;
			}
			at += name + desc;
		}
	}
	return 1; /* the program is the first object: the libraries' ids are not jixia's */
}

/*
 * The linker's build id when it has 16 bytes or more (sha1 or md5, digests
 * of the program, as Debian's toolchain writes one; a uuid, new at each
 * link), with where the program's segments load and their sizes (an id
 * given by hand may stay the same across builds; those rarely do); else
 * the executable's 4 MB read and hashed. Reading the file was 2-3 ms of
 * every run, before any work. The id is what the caches need: another
 * build of jixia has another one, and a copy of this one (a CI runner
 * installing it afresh each time) keeps its caches.
 */
static void S_exe_read(void)
{
	static const uint64_t zero[2] = { 0, 0 };
	struct incr_digest d;
	struct exe_id e;
	char chunk[65536];
	ssize_t got;
	int fd;

	memset(&e, 0, sizeof(e));
	incr_digest_init(&d, zero);
	(void)dl_iterate_phdr(S_exe_note, &e);
	if (e.id && e.len >= 16) {
		incr_digest_str(&d, "build id");
		incr_digest_item(&d, e.id, e.len);
		incr_digest_item(&d, e.segs, 32 * e.nsegs);
		incr_digest_final(&d, S_exe_sum);
		return;
	}
	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	while (fd >= 0 && (got = read(fd, chunk, sizeof(chunk))) > 0)
		incr_digest_item(&d, chunk, (size_t)got);
	incr_digest_final(&d, S_exe_sum);
	if (fd >= 0)
		close(fd);
	else if (getentropy(S_exe_sum, sizeof(S_exe_sum)) != 0)
		S_exe_sum[0] ^= (uint64_t)(uintptr_t)&d;
}

void incr_exe_digest(uint64_t out[2])
{
	pthread_once(&S_exe_once, S_exe_read);
	out[0] = S_exe_sum[0];
	out[1] = S_exe_sum[1];
}

static char *S_cache_base;
static pthread_once_t S_cache_once = PTHREAD_ONCE_INIT;

/*
 * The environment read once a process, on its first look (the stamp's,
 * on the main thread): a rebuild's read-ahead (build.c's struct ahead)
 * names its cache files on a thread of its own while the model sets and
 * unsets TZ (model.c's S_zone_enter), and getenv beside setenv is a race.
 */
static void S_cache_base_read(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (xdg && xdg[0] == '/')
		buf_puts(&b, xdg);
	else if (home && home[0] == '/')
		buf_printf(&b, "%s/.cache", home);
	S_cache_base = b.len ? buf_detach(&b, NULL) : NULL;
	buf_release(&b);
}

/* $XDG_CACHE_HOME/jixia, else ~/.cache/jixia, made when missing (mkdirs). NULL without either. */
static char *S_cache_dir(int mkdirs)
{
	struct buf b = BUF_INIT;

	pthread_once(&S_cache_once, S_cache_base_read);
	if (!S_cache_base)
		return NULL;
	buf_puts(&b, S_cache_base);
	if (mkdirs)
		(void)mkdir(b.ptr, 0700);
	buf_puts(&b, "/jixia");
	if (mkdirs)
		(void)mkdir(b.ptr, 0700);
	return buf_detach(&b, NULL);
}

char *incr_cache_dir(void)
{
	return S_cache_dir(1);
}

/* The stamp file of the output folder at its physical path. */
static char *S_stamp_file(const char *physical, int mkdirs)
{
	static const uint64_t zero[2] = { 0, 0 };
	char *dir = S_cache_dir(mkdirs);
	struct buf b = BUF_INIT;
	struct sip s;
	uint64_t h[2];

	if (!dir)
		return NULL;
	S_sip_init(&s, zero);
	S_item_str(&s, physical);
	S_sip_final(&s, h);
	buf_printf(&b, "%s/build-%016llx%016llx.stamp", dir, (unsigned long long)h[0],
		   (unsigned long long)h[1]);
	free(dir);
	return buf_detach(&b, NULL);
}

/* Reads st->file into st (key, want, the output's identity); 0 when it holds a stamp. */
static int S_read(struct incr_stamp *st)
{
	unsigned long long k0, k1, d0, d1, dev, ino, walked;
	long long mtime;
	size_t files;
	FILE *f = st->file ? fopen(st->file, "re") : NULL;
	int n;

	if (!f)
		return -1;
	n = fscanf(
		f,
		"jixia build stamp 2\nkey %16llx%16llx\ndigest %16llx%16llx\noutput %llu %llu %lld\nfiles %zu\nwalked %llu\n",
		&k0, &k1, &d0, &d1, &dev, &ino, &mtime, &files, &walked);
	fclose(f);
	if (n != 9)
		return -1;
	st->want_walked = walked;
	st->key[0] = k0;
	st->key[1] = k1;
	st->want[0] = d0;
	st->want[1] = d1;
	st->dev = dev;
	st->ino = ino;
	st->mtime_ns = mtime;
	st->files = files;
	return 0;
}

static void S_fresh_key(uint64_t key[2])
{
	if (getentropy(key, 2 * sizeof(*key)) != 0) {
		/* Without a random source no stamp is worth having: an
		 * all-ones key is never written (S_save checks). */
		key[0] = key[1] = ~(uint64_t)0;
	}
}

int incr_stamp_check(struct incr_stamp *st, const struct incr_opts *o, const struct source *src,
		     git_repository **repo)
{
	struct buf out = BUF_INIT;
	struct stat sb;
	struct sip s;
	char *physical = NULL, *site = NULL;
	char head[GIT_OID_HEXSZ + 1] = "";
	uint64_t seen[2] = { 0, 0 }, exe[2], young;
	size_t alike = 0; /* the files the two digests put alike, first (below) */
	size_t both = 0;  /* those of them put by their bytes */
	int same = 0;

	memset(st, 0, sizeof(*st));
	if (o->out)
		buf_puts(&out, o->out);
	else
		buf_printf(&out, "%s/public", o->dir);
	physical = realpath(out.ptr, NULL);
	if (physical) {
		st->file = S_stamp_file(physical, 0);
		st->found = S_read(st) == 0;
	}
	if (!st->found)
		S_fresh_key(st->key);

	S_sip_init(&s, st->key);
	S_item_str(&s, "jixia build stamp 2");
	incr_exe_digest(exe); /* the caches' digest of it, taken once a run */
	S_item(&s, exe, sizeof(exe));
	site = realpath(o->dir, NULL);
	S_item_str(&s, site);
	S_item_str(&s, o->ref);
	S_item_str(&s, o->drafts ? "drafts" : "no drafts");
	{
		char now[32];
		snprintf(now, sizeof(now), "%lld", o->now);
		S_item_str(&s, now);
	}
	S_item_str(&s, getenv("TZ"));
	/* Where the history starts, and how far back it goes. */
	if (src->commit[0]) {
		snprintf(head, sizeof(head), "%s", src->commit);
	} else if (source_repo_open(repo, o->dir) == 0) {
		git_oid id;
		if (git_reference_name_to_id(&id, *repo, "HEAD") == 0)
			git_oid_tostr(head, sizeof(head), &id);
	}
	S_item_str(&s, head);
	if (*repo) {
		struct buf shallow = BUF_INIT;
		buf_printf(&shallow, "%sshallow", git_repository_commondir(*repo));
		S_item_file(&s, shallow.ptr);
		buf_release(&shallow);
	}
	/* The files as the stamp's build put them, to compare; then as this build's next one will.
	   The two put each file alike up to the first one put by its bytes in one and not the other
	   (a one-page rebuild's edited page): those are hashed once, for both. */
	young = src->walked ? src->walked : UINT64_MAX;
	if (st->found) {
		struct sip as_was;
		while (alike < src->n && S_by_bytes(&src->files[alike], st->want_walked) ==
						 S_by_bytes(&src->files[alike], young))
			alike++;
		both = S_source_items(&s, src, young, 0, alike);
		as_was = s;
		st->hashed = both + S_source_items(&as_was, src, st->want_walked, alike, src->n);
		S_sip_final(&as_was, seen);
	}
	if (st->found && physical && seen[0] == st->want[0] && seen[1] == st->want[1] &&
	    stat(physical, &sb) == 0 && S_ISDIR(sb.st_mode) && (unsigned long long)sb.st_dev == st->dev &&
	    (unsigned long long)sb.st_ino == st->ino &&
	    (long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec == st->mtime_ns) {
		struct buf marker = BUF_INIT;
		buf_printf(&marker, "%s/.jixia-output", physical);
		same = lstat(marker.ptr, &sb) == 0 && S_ISREG(sb.st_mode);
		buf_release(&marker);
	}
	if (same) { /* the stamp holds: saved again (a build that goes on: --changed-since), the same */
		st->digest[0] = st->want[0];
		st->digest[1] = st->want[1];
		st->walked = st->want_walked;
	} else { /* a build: what the stamp it saves holds (the files alike counted twice, as put twice) */
		st->hashed += both + S_source_items(&s, src, young, alike, src->n);
		S_sip_final(&s, st->digest);
		st->walked = src->walked;
	}
	st->computed = 1;
	free(physical);
	free(site);
	buf_release(&out);
	return same;
}

void incr_stamp_drop(const char *path)
{
	char *file = S_stamp_file(path, 0);
	if (file)
		(void)unlink(file);
	free(file);
}

void incr_stamp_save(struct incr_stamp *st, const char *path, size_t files)
{
	struct buf tmp = BUF_INIT;
	struct stat sb;
	char *file;
	FILE *f;
	int ok;

	if (!st->computed || (st->key[0] == ~(uint64_t)0 && st->key[1] == ~(uint64_t)0))
		return;
	if (stat(path, &sb) != 0 || !(file = S_stamp_file(path, 1)))
		return;
	buf_printf(&tmp, "%s.%ld.tmp", file, (long)getpid());
	if ((f = fopen(tmp.ptr, "we")) != NULL) {
		fprintf(f,
			"jixia build stamp 2\nkey %016llx%016llx\ndigest %016llx%016llx\noutput %llu %llu %lld\nfiles %zu\nwalked %llu\n",
			(unsigned long long)st->key[0], (unsigned long long)st->key[1],
			(unsigned long long)st->digest[0], (unsigned long long)st->digest[1],
			(unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino,
			(long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec, files,
			(unsigned long long)st->walked);
		ok = fclose(f) == 0;
		if (!ok || rename(tmp.ptr, file) != 0)
			(void)unlink(tmp.ptr);
	}
	free(file);
	buf_release(&tmp);
}

void incr_stamp_release(struct incr_stamp *st)
{
	free(st->file);
	st->file = NULL;
}

/* --- serve's state ---------------------------------------------------------- */

static void S_parse_clear(struct incr *in);

struct incr *incr_new(void)
{
	struct incr *in = xcalloc(1, sizeof(struct incr));
	S_fresh_key(in->key);
	in->files = source_cache_new();
	return in;
}

void incr_free(struct incr *in)
{
	if (!in)
		return;
	history_free(in->hist);
	source_repo_free(in->repo);
	if (in->rerender)
		in->rerender_free(in->rerender);
	if (in->search)
		in->search_free(in->search);
	if (in->lists_memo)
		in->lists_memo_free(in->lists_memo);
	if (in->plan_memo)
		in->plan_memo_free(in->plan_memo);
	if (in->links_memo)
		in->links_memo_free(in->links_memo);
	S_parse_clear(in);
	model_memo_free(in->model_memo);
	history_memo_free(in->history_memo);
	source_cache_free(in->files);
	if (in->cards)
		incr_cards_close(in->cards);
	free(in->cards);
	free(in);
}

int incr_history_take(struct incr *in, const char *dir, const struct source *src, struct history **hist,
		      git_repository **repo)
{
	const struct source_file *mailmap = source_find(src, ".mailmap");
	git_repository *r = in->repo;
	char head[GIT_OID_HEXSZ + 1] = "";
	char *site = realpath(dir, NULL);
	git_oid id;
	struct sip s;

	S_sip_init(&s, in->key);
	S_item_str(&s, site);
	S_item_str(&s, src->commit);
	if (mailmap)
		S_item(&s, mailmap->data, mailmap->len);
	else
		S_item_str(&s, NULL);
	/* HEAD as it is now, read through the kept handle when there is one. */
	if (!src->commit[0] && (r || source_repo_open(&r, dir) == 0) &&
	    git_reference_name_to_id(&id, r, "HEAD") == 0)
		git_oid_tostr(head, sizeof(head), &id);
	S_item_str(&s, head);
	S_sip_final(&s, in->pending_id);
	free(site);
	if (r != in->repo) /* opened just to read HEAD: the load opens its own */
		source_repo_free(r);
	if (!in->hist || *repo || in->pending_id[0] != in->hist_id[0] ||
	    in->pending_id[1] != in->hist_id[1]) {
		history_free(in->hist);
		source_repo_free(in->repo);
		in->hist = NULL;
		in->repo = NULL;
		return 0;
	}
	/* Lent: the load owns them until incr_history_keep takes them back. */
	*hist = in->hist;
	*repo = in->repo;
	in->hist = NULL;
	in->repo = NULL;
	history_refresh(*hist, src);
	in->reused++;
	return 1;
}

void incr_history_keep(struct incr *in, struct history **hist, git_repository **repo)
{
	if (!history_reusable(*hist) || !*repo)
		return;
	history_free(in->hist);
	source_repo_free(in->repo);
	in->hist = *hist;
	in->repo = *repo;
	in->hist_id[0] = in->pending_id[0];
	in->hist_id[1] = in->pending_id[1];
	*hist = NULL;
	*repo = NULL;
}

/* --- digests for rerender.c --------------------------------------------- */

_Static_assert(sizeof(struct incr_digest) == sizeof(struct sip), "incr_digest is struct sip");

void incr_digest_init(struct incr_digest *d, const uint64_t key[2])
{
	S_sip_init((struct sip *)(void *)d, key);
}

void incr_digest_item(struct incr_digest *d, const void *data, size_t n)
{
	S_item((struct sip *)(void *)d, data, n);
}

void incr_digest_str(struct incr_digest *d, const char *s)
{
	S_item_str((struct sip *)(void *)d, s);
}

void incr_digest_num(struct incr_digest *d, long long v)
{
	unsigned char b[8];
	le_put(b, (uint64_t)v, 8);
	S_item((struct sip *)(void *)d, b, 8);
}

void incr_digest_word(struct incr_digest *d, uint64_t v)
{
	struct sip *s = (struct sip *)(void *)d;
	unsigned char b[8];

	if (s->len % 8 == 0) { /* whole words so far: one compression, no bytes */
		S_sip_word(s, v);
		s->len += 8;
		return;
	}
	le_put(b, v, 8);
	S_sip_feed(s, b, 8);
}

void incr_digest_strw(struct incr_digest *d, const char *str)
{
	static const unsigned char zero[8];
	struct sip *s = (struct sip *)(void *)d;
	size_t n;

	if (!str) {
		incr_digest_word(d, ~(uint64_t)0); /* no string's length */
		return;
	}
	n = strlen(str);
	incr_digest_word(d, (uint64_t)n);
	if (s->len % 8 == 0) {
		/* whole words: each one compression, the last one's bytes after the
		   string zeros (as the padding below), no byte fed alone */
		const unsigned char *p = (const unsigned char *)str;
		uint64_t m;
		size_t i;
		for (; n >= 8; p += 8, n -= 8) {
			for (m = 0, i = 0; i < 8; i++)
				m |= (uint64_t)p[i] << (8 * i);
			S_sip_word(s, m);
			s->len += 8;
		}
		if (n) {
			for (m = 0, i = 0; i < n; i++)
				m |= (uint64_t)p[i] << (8 * i);
			S_sip_word(s, m);
			s->len += 8;
		}
		return;
	}
	S_sip_feed(s, str, n);
	if (n % 8)
		S_sip_feed(s, zero, 8 - n % 8);
}

void incr_digest_final(struct incr_digest *d, uint64_t out[2])
{
	S_sip_final((struct sip *)(void *)d, out);
}

/* --- serve's parse cache ------------------------------------------------------ */

/*
 * One file's parse result, owned here: only the fields parse_page fills
 * are set in held, failed never (a failed page is not kept).
 */
struct parse_entry {
	char *path;
	uint64_t digest[2];
	uint64_t serial; /* the source cache's serial of the bytes it was parsed from, 0 unknown */
	struct page held;
	int kept; /* taken by the load running now */
};

/*
 * What parse_page fills that later stages change with the page (the links,
 * whose attributes the links stage sets each load), copied from src into
 * dst (dst's own allocations).
 */
static void S_parse_copy(struct page *dst, const struct page *src)
{
	size_t i;

	dst->body_line = src->body_line;
	dst->reading_minutes = src->reading_minutes;
	dst->words = src->words;
	dst->nlinks = src->nlinks;
	dst->links = NULL;
	if (src->links) {
		/* the array is each page's own (the links stage writes attr), the
		   addresses are lent: the entry's, a page that parse_shared borrows
		   them (model.c frees them only when not) */
		dst->links = xmalloc((src->nlinks ? src->nlinks : 1) * sizeof(*dst->links));
		memcpy(dst->links, src->links, src->nlinks * sizeof(*dst->links));
		for (i = 0; i < src->nlinks; i++)
			dst->links[i].attr = NULL; /* the links stage's, each load */
	}
}

/*
 * The rest, lent to dst by src (the entry keeps it; page->parse_shared):
 * the body HTML, table of contents, summary and anchors, only ever read;
 * the search tokens, which the index frees only when not lent; the front
 * matter, whose one change in place (model.c's lists of one, made on the
 * first load that kept it) leaves it as it is when made again.
 */
static void S_parse_share(struct page *dst, const struct page *src)
{
	dst->front = src->front;
	dst->html = src->html;
	dst->html_len = src->html_len;
	dst->toc = src->toc;
	dst->summary = src->summary;
	dst->anchors = src->anchors;
	dst->nanchors = src->nanchors;
	dst->tokens = src->tokens;
}

static void S_entry_free(struct parse_entry *e)
{
	size_t i;

	if (!e)
		return;
	ynode_free(e->held.front);
	free(e->held.html);
	free(e->held.toc);
	free(e->held.summary);
	pagetok_release(&e->held.tokens);
	for (i = 0; i < e->held.nlinks; i++)
		free(e->held.links[i].url);
	free(e->held.links);
	for (i = 0; i < e->held.nanchors; i++)
		free(e->held.anchors[i]);
	free(e->held.anchors);
	free(e->path);
	free(e);
}

static void S_parse_clear(struct incr *in)
{
	size_t i;

	for (i = 0; i < in->nparsed; i++)
		S_entry_free(in->parsed[i]);
	free(in->parsed);
	in->parsed = NULL;
	in->nparsed = 0;
	free(in->parsed_by_page);
	in->parsed_by_page = NULL;
	in->nparsed_by_page = 0;
	in->parsed_gen = 0;
}

static int S_entry_cmp(const void *a, const void *b)
{
	return strcmp((*(struct parse_entry *const *)a)->path, (*(struct parse_entry *const *)b)->path);
}

void incr_parse_begin(struct incr_parse *run, struct incr *in, const struct source *src,
		      const struct config *cfg, int theme, const struct page *pages, size_t npages)
{
	const struct source_file *y = source_find(src, "site.yaml");
	uint64_t ctx[2];
	size_t i, first, n;
	struct sip s;

	memset(run, 0, sizeof(*run));
	S_sip_init(&s, in->key);
	if (y)
		S_item(&s, y->data, y->len);
	else
		S_item_str(&s, NULL);
	S_item_str(&s, cfg->base_url);
	S_item(&s, theme ? "1" : "0", 1);
	n = source_prefix(src, "layouts/i18n/", &first);
	for (i = first; theme && i < first + n; i++) {
		S_item_str(&s, src->files[i].path);
		S_item(&s, src->files[i].data, src->files[i].len);
	}
	S_sip_final(&s, ctx);
	if (ctx[0] != in->parse_ctx[0] || ctx[1] != in->parse_ctx[1])
		S_parse_clear(in); /* every entry was read in another context */
	in->parse_ctx[0] = ctx[0];
	in->parse_ctx[1] = ctx[1];
	run->in = in;
	run->pages = pages;
	run->npages = npages;
	run->next = xcalloc(npages ? npages : 1, sizeof(*run->next));
	run->digest = xcalloc(npages ? npages : 1, sizeof(*run->digest));
	/* Both sorted by path: each page's entry in one pass, not a search per
	   page; or by index, when the pages are the last load's (source.h's
	   paths_gen, under content/: the same files make the same pages) */
	run->found = xcalloc(npages ? npages : 1, sizeof(*run->found));
	run->gen = src->paths_gen;
	if (src->paths_gen && src->paths_gen == in->parsed_gen && npages == in->nparsed_by_page) {
		memcpy(run->found, in->parsed_by_page, npages * sizeof(*run->found));
		return;
	}
	for (i = 0, first = 0; i < npages && first < in->nparsed; i++) {
		int c = 1;
		while (first < in->nparsed && (c = strcmp(in->parsed[first]->path, pages[i].path)) < 0)
			first++;
		if (c == 0)
			run->found[i] = in->parsed[first];
	}
}

int incr_parse_reuse(struct incr_parse *run, size_t i, struct page *page)
{
	struct incr *in = run->in;
	struct parse_entry **at = run->found[i] ? &run->found[i] : NULL;
	struct sip s;

	/* The very bytes the entry was parsed from (the source cache's serial,
	   the same path, the same context: the cache is emptied on a new one):
	   its digest holds, and 45 MB at 10,000 pages are not hashed again. */
	if (at && page->src->serial && (*at)->serial == page->src->serial) {
		run->digest[i][0] = (*at)->digest[0];
		run->digest[i][1] = (*at)->digest[1];
	} else {
		S_sip_init(&s, in->key);
		S_item(&s, in->parse_ctx, sizeof(in->parse_ctx));
		S_item_str(&s, page->path);
		S_item(&s, page->src->data, page->src->len);
		S_sip_final(&s, run->digest[i]);
	}
	if (!at || (*at)->digest[0] != run->digest[i][0] || (*at)->digest[1] != run->digest[i][1])
		return 0;
	(*at)->serial = page->src->serial;
	S_parse_copy(page, &(*at)->held);
	S_parse_share(page, &(*at)->held);
	page->parse_shared = 1;
	(*at)->kept = 1; /* one page per path: no other worker reads this flag */
	run->next[i] = *at;
	return 1;
}

void incr_parse_keep(struct incr_parse *run, size_t i, struct page *page, int reported)
{
	struct parse_entry *e;

	__atomic_fetch_add(&run->parsed, 1, __ATOMIC_RELAXED);
	if (reported || page->failed)
		return;
	e = xcalloc(1, sizeof(*e));
	e->path = xstrdup(page->path);
	e->digest[0] = run->digest[i][0];
	e->digest[1] = run->digest[i][1];
	e->serial = page->src->serial;
	S_parse_copy(&e->held, page);
	/* the entry owns the body from now on, the page borrows it (parse_shared) */
	S_parse_share(&e->held, page);
	page->parse_shared = 1;
	run->next[i] = e;
}

void incr_parse_end(struct incr_parse *run)
{
	struct incr *in = run->in;
	struct parse_entry **v;
	size_t i, n = 0;

	if (!in)
		return;
	v = xmalloc((run->npages ? run->npages : 1) * sizeof(*v));
	for (i = 0; i < run->npages; i++)
		if (run->next[i])
			v[n++] = run->next[i];
	/* Entries of changed, removed or failing files go now: the cache stays the site's size. */
	for (i = 0; i < in->nparsed; i++) {
		if (in->parsed[i]->kept)
			in->parsed[i]->kept = 0;
		else
			S_entry_free(in->parsed[i]);
	}
	free(in->parsed);
	qsort(v, n, sizeof(*v), S_entry_cmp);
	in->parsed = v;
	in->nparsed = n;
	in->pages_parsed = run->parsed;
	free(in->parsed_by_page);
	in->parsed_by_page = run->next; /* the pages' order is the paths' */
	in->nparsed_by_page = run->npages;
	in->parsed_gen = run->gen;
	run->next = NULL;
	free(run->found);
	free(run->digest);
	memset(run, 0, sizeof(*run));
}

/* --- the cache of drawn pictures -------------------------------------------- */

void incr_cards_open(struct incr_cards *c)
{
	char *dir = S_cache_dir(1);
	struct buf b = BUF_INIT;
	unsigned long long k0, k1;
	struct sip s;
	uint64_t exe[2];
	FILE *f;

	memset(c, 0, sizeof(*c));
	if (!dir)
		return;
	buf_printf(&b, "%s/cards", dir);
	free(dir);
	(void)mkdir(b.ptr, 0700);
	c->dir = buf_detach(&b, NULL);
	buf_printf(&b, "%s/key", c->dir);
	f = fopen(b.ptr, "re");
	if (f && fscanf(f, "jixia cards key 1\n%16llx%16llx\n", &k0, &k1) == 2) {
		c->key[0] = k0;
		c->key[1] = k1;
	} else {
		S_fresh_key(c->key);
		if (c->key[0] == ~(uint64_t)0 && c->key[1] == ~(uint64_t)0) {
			free(c->dir); /* no random source: no cache */
			c->dir = NULL;
		} else {
			struct buf text = BUF_INIT;
			buf_printf(&text, "jixia cards key 1\n%016llx%016llx\n",
				   (unsigned long long)c->key[0], (unsigned long long)c->key[1]);
			incr_cards_write(b.ptr, text.ptr, text.len);
			buf_release(&text);
		}
	}
	if (f)
		fclose(f);
	buf_release(&b);
	S_sip_init(&s, c->key);
	S_item_str(&s, "jixia cards 2");
	incr_exe_digest(exe); /* the stamp's and the caches' digest of it, taken once */
	S_item(&s, exe, sizeof(exe));
	S_sip_final(&s, c->exe);
}

int incr_cards_file(const struct incr_cards *c, struct buf *out, const void *what, size_t n)
{
	struct sip s;
	uint64_t h[2];

	if (!c->dir)
		return -1;
	S_sip_init(&s, c->key);
	S_item(&s, c->exe, sizeof(c->exe));
	S_item(&s, what, n);
	S_sip_final(&s, h);
	buf_printf(out, "%s/%016llx%016llx.png", c->dir, (unsigned long long)h[0], (unsigned long long)h[1]);
	return 0;
}

int incr_cards_read(const char *file, struct buf *out, size_t max)
{
	char chunk[65536];
	size_t len = out->len;
	ssize_t n;
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 && out->len - len + (size_t)n <= max)
		buf_put(out, chunk, (size_t)n);
	close(fd);
	if (n != 0) {
		out->len = len;
		return -1;
	}
	return 0;
}

void incr_cards_write(const char *file, const void *p, size_t n)
{
	struct buf tmp = BUF_INIT;
	int fd;

	buf_printf(&tmp, "%s.XXXXXX", file);
	fd = mkstemp(tmp.ptr);
	if (fd < 0)
		goto done;
	if (write(fd, p, n) != (ssize_t)n) {
		close(fd);
		(void)unlink(tmp.ptr);
	} else if (close(fd) != 0 || rename(tmp.ptr, file) != 0) {
		(void)unlink(tmp.ptr);
	}
done:
	buf_release(&tmp);
}

void incr_cards_touch(const char *file)
{
	(void)utimensat(AT_FDCWD, file, NULL, 0);
}

void incr_cache_sweep(const char *dir, const char *prefix, const char *suffix, int days)
{
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;
	time_t old = time(NULL) - (time_t)days * 24 * 3600;

	while (d && (e = readdir(d))) {
		struct stat sb;
		if (!str_starts(e->d_name, prefix) || !str_ends(e->d_name, suffix) ||
		    fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISREG(sb.st_mode) && sb.st_mtime < old)
			(void)unlinkat(dirfd(d), e->d_name, 0);
	}
	if (d)
		closedir(d);
}

void incr_cards_close(struct incr_cards *c)
{
	/* the pictures no build drew or read for a while: the pages changed or went */
	incr_cache_sweep(c->dir, "", ".png", INCR_CARDS_DAYS);
	free(c->dir);
	memset(c, 0, sizeof(*c));
}
