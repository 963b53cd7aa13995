/*
 * history: one walk down the first-parent chain. Each commit's content/
 * tree is compared with its parent's, descending only into subtrees whose
 * ids differ, so a commit costs what it changed, not the size of the site
 * (the diffs run folder by folder; see "tree diff" for why). Walking from
 * new to old, a path's first change seen is
 * its last change made; an addition ends the file's history, unless the
 * same commit deleted a file with the same or a similar blob, in which case
 * the older history is followed under the old name (a rename). The walk
 * keeps commit indices and identities only; once the model is linked,
 * history_apply makes page dates, edit links (forge.c) and outdated
 * translations from them, and contributors.c reads them (history_found).
 */
#include "history.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <git2.h>
#include <git2/sys/hashsig.h>
#include <git2/sys/repository.h>
#include <utf8proc.h>

#include "diag.h"
#include "forge.h"
#include "pool.h"
#include "util.h"

/* git's default: half the content in common makes a rename. */
#define S_RENAME_SCORE 50
/* Files left over once blob ids and names have paired what they can are
 * compared all against all only up to this many pairs in one commit. */
#define S_RENAME_PAIRS 10000
/* Bytes of blobs read for similarity in the whole walk: thousands of
 * renames with edits, and still a few seconds of work at most. */
#define S_RENAME_BYTES ((uint64_t)256 << 20)

/* Values of the path map besides a file index. */
#define S_ENDED (-1)  /* the path belongs to no file of the site this far back */
#define S_ABSENT (-2) /* never seen: a file of the start commit, not yet met */

/* Open-addressing map from commit id to its index in the walk. */
struct oidmap {
	struct oidmap_slot {
		const git_oid *id;
		long val;
	} * v;
	size_t cap, n;
};

/* One change of a Markdown file in one commit (paths under content/). */
struct change {
	long commit;        /* index of the commit */
	int added, deleted; /* both 0: modified */
	size_t path;        /* offset of the path in change_paths */
	git_oid old_id, new_id;
	long pair; /* rename: index of the other half in the commit's run, else -1 */
};

/* A folder whose tree differs between one commit and its parent. */
struct dir_pair {
	long commit;
	git_oid old_id, new_id;
	int has_old, has_new;
};

struct history {
	git_repository *repo;        /* borrowed; NULL without a repository */
	char *sub;                   /* the site folder in the repository: "" or "site/" */
	const char *content;         /* sub + "content" */
	int walked;                  /* the history was read (not jixia check, not an error) */
	int shallow;                 /* a shallow clone: commits before its boundary are missing */
	int deep_noted;              /* folders too deep to follow were reported */
	uint64_t sim_bytes;          /* blob bytes read for rename similarity so far */
	int sim_noted;               /* S_RENAME_BYTES was reached and reported */
	int dirty_known;             /* a working-tree build: dirty holds its changed files */
	size_t compared;             /* tree entries the diffs parsed one by one (history_compared) */
	struct arena arena;          /* paths and names */
	struct hist_commit *commits; /* the first-parent chain, newest first */
	size_t ncommits, ccommits;
	size_t *idents_of; /* identity indices of each commit */
	size_t nidents_of, cidents_of;
	struct hist_ident *idents; /* in the order first met (newest commit first) */
	size_t nidents, cidents;
	struct hist_file *files;
	size_t nfiles, cfiles;
	long *touch_file, *touch_commit; /* (file, commit) pairs; grouped by file after the walk */
	size_t ntouch, ctouch;
	struct strmap paths;      /* path under content/ -> file index, S_ENDED */
	struct strmap by_rel;     /* after the walk: start path -> file index */
	struct strmap ident_keys; /* "email\nraw" -> identity */
	struct strmap dirty;      /* working tree: paths under content/ changed since HEAD (keys
				     borrowed from the source: history_refresh sets them again) */
	git_oid tree;             /* the start commit's content/ tree, when has_tree */
	int has_tree;
	int head_read;            /* head_paths and head_ids hold that tree's Markdown blobs */
	struct strmap head_paths; /* path under content/ -> index in head_ids (keys in arena) */
	git_oid *head_ids;
	/* Working tree, serve: what S_dirty found of each Markdown file, by the
	   serial of the bytes it hashed (source.h): the same bytes are not
	   hashed again by the next load's refresh. Path under content/ -> index. */
	struct strmap seen;
	struct hist_seen {
		uint64_t serial;
		int dirty;
	} * seen_v;
	size_t nseen, cseen;
	struct oidmap by_id; /* commit id -> index */
	git_mailmap *mailmap;

	/* The walk's scratch. */
	git_odb *odb;
	struct change *changes; /* every change of the walk, by commit once sorted */
	size_t nchanges, cchanges;
	struct buf change_paths; /* their paths, NUL-separated */

	/* history_since_kept's answers: "name\npath under content/" (keys in
	   arena) -> an index into since_ci; the walk's own, for as long as it lives */
	struct strmap since_keys;
	long *since_ci;
	size_t nsince, csince;
	size_t since_ncommits; /* the walk's commits when they were read: a walk that grew has new answers */
	size_t since_read;     /* answers read, not taken from since_keys */
	int stored;            /* the walk was taken from history_open_stored's store */
	size_t hashed;         /* working-tree files S_dirty hashed (history_hashed) */
	/* keep's answers by blob, kept between runs (history_set_blob_memo), or none */
	struct history_blob_memo blob_memo;

	/* history_index_pages: history_page_file's answer for each page of one
	   array (an index into files, -1 for none), for as long as it lives */
	const struct page *indexed;
	size_t nindexed;
	long *page_files;
	/* serve: the last index's answers by the serial of each page's bytes
	   (source.h: the same serial is the same path), for the next index of
	   the pages in the same place; the walk's files then (by_rel's size) */
	uint64_t *index_serial;
	long *index_file;
	size_t nindex_memo, index_files;
	size_t index_looked; /* the last index: pages looked up by path */
};

static const char *S_git_msg(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown error";
}
/* --- maps ------------------------------------------------------------------ */

/* Commit ids are chosen too, by grinding: placed by the keyed hash (util.h), like the string maps. */
static size_t S_oid_hash(const git_oid *id)
{
	return (size_t)hash_keyed(id->id, GIT_OID_RAWSZ);
}

static long S_oid_get(const struct oidmap *m, const git_oid *id)
{
	size_t i;
	if (!m->cap)
		return -1;
	for (i = S_oid_hash(id) & (m->cap - 1); m->v[i].id; i = (i + 1) & (m->cap - 1))
		if (git_oid_equal(m->v[i].id, id))
			return m->v[i].val;
	return -1;
}

/* Rebuilt once after the walk: the commits array no longer moves. */
static void S_index_commits(struct history *h)
{
	size_t i, k;
	h->by_id.cap = 64;
	while (h->by_id.cap < h->ncommits * 2)
		h->by_id.cap = array_grow_cap(h->by_id.cap, 64, sizeof(*h->by_id.v));
	h->by_id.v = xcalloc(h->by_id.cap, sizeof(*h->by_id.v));
	for (i = 0; i < h->ncommits; i++) {
		for (k = S_oid_hash(&h->commits[i].id) & (h->by_id.cap - 1); h->by_id.v[k].id;
		     k = (k + 1) & (h->by_id.cap - 1))
			;
		h->by_id.v[k].id = &h->commits[i].id;
		h->by_id.v[k].val = (long)i;
	}
	h->by_id.n = h->ncommits;
}

/* --- identities ------------------------------------------------------------ */

/*
 * A git name as the model holds it: valid UTF-8 without control
 * characters. Commits, trailers and .mailmap carry any bytes, and the
 * names reach every page and feed: a byte that is not UTF-8 becomes
 * U+FFFD, a control character (C0, DEL, C1: ESC starts terminal and
 * OSC sequences) a space, and spaces at either end go.
 */
static char *S_clean_name(struct arena *a, const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t n = (utf8proc_ssize_t)strlen(s), i = 0, k;
	utf8proc_int32_t cp;
	struct buf b = BUF_INIT;
	size_t start = 0, end;
	char *r;

	while (i < n) {
		k = utf8proc_iterate(p + i, n - i, &cp);
		if (k < 0) {
			buf_puts(&b, "\xef\xbf\xbd");
			i++;
			continue;
		}
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			buf_putc(&b, ' ');
		else
			buf_put(&b, p + i, (size_t)k);
		i += k;
	}
	end = b.len;
	while (start < end && b.ptr[start] == ' ')
		start++;
	while (end > start && b.ptr[end - 1] == ' ')
		end--;
	r = arena_strndup(a, b.ptr + start, end - start);
	buf_release(&b);
	return r;
}

/* The identity of name <email> (mailmap applied), added when new. */
static size_t S_ident(struct history *h, const char *name, const char *email)
{
	const char *mname = name, *memail = email;
	struct buf key = BUF_INIT;
	struct hist_ident *id;
	char *raw, *mapped;
	long found;

	if (h->mailmap)
		git_mailmap_resolve(&mname, &memail, h->mailmap, name, email);
	raw = arena_strlower(&h->arena, email);
	mapped = arena_strlower(&h->arena, memail);
	/* No e-mail: the name is all there is to tell people apart. */
	if (!*mapped)
		mapped = arena_printf(&h->arena, "<%s>", mname);
	buf_printf(&key, "%s\n%s", mapped, raw);
	found = strmap_get(&h->ident_keys, buf_cstr(&key), -1);
	if (found < 0) {
		ARRAY_GROW(h->idents, h->nidents, h->cidents, 64);
		id = &h->idents[h->nidents];
		id->name = S_clean_name(&h->arena, mname);
		id->email = mapped;
		id->raw = raw;
		found = (long)h->nidents++;
		strmap_put(&h->ident_keys, arena_strdup(&h->arena, buf_cstr(&key)), found);
	}
	buf_release(&key);
	return (size_t)found;
}

static void S_add_ident(struct history *h, struct hist_commit *c, size_t id)
{
	size_t i;
	for (i = c->ident0; i < c->ident0 + c->nidents; i++)
		if (h->idents_of[i] == id)
			return;
	ARRAY_GROW(h->idents_of, h->nidents_of, h->cidents_of, 64);
	h->idents_of[h->nidents_of++] = id;
	c->nidents++;
}

/*
 * The co-authors a commit credits at most (after its author). Each
 * identity of a commit is looked for among those before it, here and where
 * the contributors and the years in review count them, so a message of
 * 100,000 Co-authored-by trailers took 9.9 s (50,000: 3.0 s), and a pull
 * request's commit messages have no size limit. A real commit has a few.
 */
#define HIST_MAX_COAUTHORS 100

/* "Name <email>" of a Co-authored-by trailer. */
static void S_coauthor(struct history *h, struct hist_commit *c, const char *value)
{
	const char *lt = strchr(value, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	char *name, *email;
	size_t n;

	if (!lt || !gt)
		return;
	for (n = (size_t)(lt - value); n && (value[n - 1] == ' ' || value[n - 1] == '\t'); n--)
		;
	name = xstrndup(value, n);
	email = xstrndup(lt + 1, (size_t)(gt - lt - 1));
	S_add_ident(h, c, S_ident(h, name, email));
	free(name);
	free(email);
}

static int S_mentions_coauthor(const char *msg)
{
	for (; *msg; msg++)
		if ((*msg == 'c' || *msg == 'C') && strncasecmp(msg, "co-authored-by", 14) == 0)
			return 1;
	return 0;
}

/* The author and the Co-authored-by trailers of a commit that changed content/. */
static void S_commit_idents(struct history *h, struct hist_commit *c, git_commit *gc)
{
	const git_signature *a = git_commit_author(gc);
	const char *msg = git_commit_message(gc);
	git_message_trailer_array tr;
	size_t i;

	c->ident0 = h->nidents_of;
	c->nidents = 0;
	S_add_ident(h, c, S_ident(h, a->name ? a->name : "", a->email ? a->email : ""));
	/* Parsing trailers costs an allocation; most messages have none. */
	if (!msg || !S_mentions_coauthor(msg))
		return;
	memset(&tr, 0, sizeof(tr));
	if (git_message_trailers(&tr, msg) < 0)
		return;
	for (i = 0; i < tr.count && c->nidents <= HIST_MAX_COAUTHORS; i++)
		if (strcasecmp(tr.trailers[i].key, "Co-authored-by") == 0)
			S_coauthor(h, c, tr.trailers[i].value);
	git_message_trailer_array_free(&tr);
}

/* --- tree diff ------------------------------------------------------------- */

/*
 * Trees are read raw and compared entry by entry, as git does: parsing
 * them into objects costs more than the comparison. The walk first lists,
 * per commit, whether content/ changed; then each folder is diffed over
 * all the commits that changed it, in walk order, before its subfolders.
 * Reading one folder's versions one after the other is what lets the pack
 * reader's delta cache work: interleaving the folders of every commit
 * makes it rebuild long delta chains from scratch for each version.
 */

enum { S_OTHER, S_FOLDER, S_FILE };

/* One entry of a raw tree. */
struct rawent {
	const char *name;
	size_t len;
	const unsigned char *id;
	int kind; /* S_FOLDER, S_FILE or S_OTHER (a symlink, a submodule) */
};

/*
 * The kind of an entry whose mode is s (n bytes), or -1. Only the modes
 * git writes are known, zero-padded too as old tools wrote them (and
 * 100664, which early git wrote for files); any other is a crafted tree.
 * At most 7 digits, so the value cannot overflow.
 */
static int S_mode_kind(const char *s, size_t n)
{
	unsigned long mode = 0;
	size_t i;

	if (n < 1 || n > 7)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '7')
			return -1;
		mode = mode * 8 + (unsigned long)(s[i] - '0');
	}
	switch (mode) {
	case 0040000: return S_FOLDER;
	case 0100644:
	case 0100755:
	case 0100664: return S_FILE;
	case 0120000:
	case 0160000: return S_OTHER;
	default: return -1;
	}
}

/*
 * The entry at *p, advancing it; 0 at the end, -1 when the tree is
 * malformed: an unknown mode, or a name no checkout could hold ("", ".",
 * "..", or one with a '/', which would pose as a file of a subfolder).
 */
static int S_rawent(struct rawent *e, const char **p, const char *end)
{
	const char *s = *p, *sp, *nul;

	if (s >= end)
		return 0;
	if (!(sp = memchr(s, ' ', (size_t)(end - s))) || !(nul = memchr(sp, '\0', (size_t)(end - sp))) ||
	    end - nul - 1 < GIT_OID_RAWSZ)
		return -1;
	if ((e->kind = S_mode_kind(s, (size_t)(sp - s))) < 0)
		return -1;
	e->name = sp + 1;
	e->len = (size_t)(nul - sp - 1);
	if (!e->len || memchr(e->name, '/', e->len) || (e->len == 1 && e->name[0] == '.') ||
	    (e->len == 2 && e->name[0] == '.' && e->name[1] == '.'))
		return -1;
	e->id = (const unsigned char *)nul + 1;
	*p = nul + 1 + GIT_OID_RAWSZ;
	return 1;
}

/* git's tree order: a folder sorts as if its name ended with '/'. */
static int S_rawcmp(const struct rawent *a, const struct rawent *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, n), ca, cb;
	if (c)
		return c;
	ca = n < a->len ? (unsigned char)a->name[n] : a->kind == S_FOLDER ? '/' : 0;
	cb = n < b->len ? (unsigned char)b->name[n] : b->kind == S_FOLDER ? '/' : 0;
	return ca < cb ? -1 : ca > cb;
}

static void S_change(struct history *h, long commit, const char *prefix, const struct rawent *a,
		     const struct rawent *b)
{
	const struct rawent *e = b ? b : a;
	struct change *c;

	if (e->len < 3 || memcmp(e->name + e->len - 3, ".md", 3) != 0)
		return;
	ARRAY_GROW(h->changes, h->nchanges, h->cchanges, 64);
	c = &h->changes[h->nchanges++];
	memset(c, 0, sizeof(*c));
	c->commit = commit;
	c->added = a == NULL;
	c->deleted = b == NULL;
	c->pair = -1;
	if (a)
		git_oid_fromraw(&c->old_id, a->id);
	if (b)
		git_oid_fromraw(&c->new_id, b->id);
	c->path = h->change_paths.len;
	buf_puts(&h->change_paths, prefix);
	buf_put(&h->change_paths, e->name, e->len);
	buf_putc(&h->change_paths, '\0');
}

/* The subfolders met while diffing one folder, with their pairs. */
struct subdirs {
	struct subdir {
		const char *name;
		struct dir_pair *v;
		size_t n, cap;
	} * v;
	size_t n, cap;
	struct strmap index; /* name -> position in v */
	struct arena names;
};

static void S_subpair(struct subdirs *sd, long commit, const struct rawent *a, const struct rawent *b)
{
	const struct rawent *e = a ? a : b;
	char *name = xstrndup(e->name, e->len);
	long k = strmap_get(&sd->index, name, -1);
	struct dir_pair *p;

	if (k < 0) {
		ARRAY_GROW(sd->v, sd->n, sd->cap, 64);
		memset(&sd->v[sd->n], 0, sizeof(sd->v[sd->n]));
		sd->v[sd->n].name = arena_strdup(&sd->names, name);
		strmap_put(&sd->index, sd->v[sd->n].name, (long)sd->n);
		k = (long)sd->n++;
	}
	free(name);
	ARRAY_GROW(sd->v[k].v, sd->v[k].n, sd->v[k].cap, 64);
	p = &sd->v[k].v[sd->v[k].n++];
	memset(p, 0, sizeof(*p));
	p->commit = commit;
	if ((p->has_old = a != NULL))
		git_oid_fromraw(&p->old_id, a->id);
	if ((p->has_new = b != NULL))
		git_oid_fromraw(&p->new_id, b->id);
}

/* One name on either side (both: with different ids) of one folder's diff. */
static void S_diff_entry(struct history *h, struct subdirs *sd, long commit, const char *prefix,
			 const struct rawent *a, const struct rawent *b)
{
	if ((a && a->kind == S_FOLDER) || (b && b->kind == S_FOLDER))
		S_subpair(sd, commit, a && a->kind == S_FOLDER ? a : NULL,
			  b && b->kind == S_FOLDER ? b : NULL);
	if (a && a->kind != S_FILE)
		a = NULL;
	if (b && b->kind != S_FILE)
		b = NULL;
	if (a || b)
		S_change(h, commit, prefix, a, b);
}

/* Length of the common prefix of a and b (n bytes each): halving with memcmp, then bytes. */
static size_t S_common_prefix(const char *a, const char *b, size_t n)
{
	size_t lo = 0, hi = n, mid;
	while (hi - lo > 64) {
		mid = lo + (hi - lo) / 2;
		if (memcmp(a + lo, b + lo, mid - lo) == 0)
			lo = mid;
		else
			hi = mid;
	}
	while (lo < hi && a[lo] == b[lo])
		lo++;
	return lo;
}

/*
 * Where the entries of one version of a folder start (v[0 .. n)) and
 * where they end (v[n]). The next older version is diffed against it by
 * jumping over the runs of bytes the two have in common, which a commit's
 * few changes leave almost whole, rather than parsing them entry by entry:
 * in a folder of thousands of files that parsing was most of the walk. The
 * older version's offsets are made on the way (a run's copied, shifted),
 * so each version of a folder is parsed whole at most once.
 */
struct toffs {
	size_t *v;
	size_t n, cap;
};

/* Room for m more offsets and the end. */
static void S_offs_room(struct toffs *o, size_t m)
{
	if (o->cap - o->n > m)
		return;
	while (o->cap - o->n <= m)
		o->cap = array_grow_cap(o->cap, 256, sizeof(*o->v));
	o->v = xrealloc(o->v, o->cap * sizeof(*o->v));
}

/*
 * The end of the entry at s, by its shape alone ("MODE NAME\0" and an id),
 * or NULL: the rule S_rawent splits entries by, so the two agree on where
 * every entry ends.
 */
static const char *S_entry_end(const char *s, const char *end)
{
	const char *sp, *nul;
	if (!(sp = memchr(s, ' ', (size_t)(end - s))) || !(nul = memchr(sp, '\0', (size_t)(end - sp))) ||
	    end - nul - 1 < GIT_OID_RAWSZ)
		return NULL;
	return nul + 1 + GIT_OID_RAWSZ;
}

/* The offsets of a whole tree; they stop where its shape breaks (the diff then reports it). */
static void S_index_tree(struct toffs *o, const char *d, size_t len)
{
	const char *p = d, *q;
	o->n = 0;
	while (p < d + len && (q = S_entry_end(p, d + len))) {
		S_offs_room(o, 1);
		o->v[o->n++] = (size_t)(p - d);
		p = q;
	}
	S_offs_room(o, 0);
	o->v[o->n] = (size_t)(p - d);
}

/* The first of ob's offsets in (j, ob->n] past at (largest k with v[k] <= at). */
static size_t S_offs_last(const struct toffs *ob, size_t j, size_t at)
{
	size_t lo = j + 1, hi = ob->n; /* v[lo] <= at holds */
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;
		if (ob->v[mid] <= at)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/*
 * The two raw trees' entries merged in tree order: old's against new's,
 * whose offsets are ob; old's are made into oa. Where both are at the
 * start of an entry and their bytes agree, the run of whole entries they
 * share is passed over at once: equal bytes are equal names and ids.
 */
static int S_diff_raw(struct history *h, struct subdirs *sd, long commit, const char *prefix,
		      git_odb_object *old, git_odb_object *new, const struct toffs *ob, struct toffs *oa)
{
	const char *A = old ? git_odb_object_data(old) : NULL, *B = new ? git_odb_object_data(new) : NULL;
	size_t na = old ? git_odb_object_size(old) : 0, nb = new ? git_odb_object_size(new) : 0;
	size_t pa = 0, pb = 0, j = 0;

	oa->n = 0;
	while (pa < na || pb < nb) {
		struct rawent a, b;
		const char *p = A ? A + pa : NULL, *q = B ? B + pb : NULL;
		int c;
		if (pa < na && pb < nb && j < ob->n) {
			size_t l = S_common_prefix(A + pa, B + pb, na - pa < nb - pb ? na - pa : nb - pb);
			if (l >= ob->v[j + 1] - pb) {
				size_t k = S_offs_last(ob, j, pb + l), t;
				S_offs_room(oa, k - j);
				for (t = j; t < k; t++)
					oa->v[oa->n++] = ob->v[t] - pb + pa;
				pa += ob->v[k] - pb;
				pb = ob->v[k];
				j = k;
				continue;
			}
		}
		if ((pa < na && S_rawent(&a, &p, A + na) < 0) || (pb < nb && S_rawent(&b, &q, B + nb) < 0))
			return -1;
		h->compared += (pa < na) + (pb < nb);
		c = pa >= na ? 1 : pb >= nb ? -1 : S_rawcmp(&a, &b);
		if (c <= 0 && (c < 0 || memcmp(a.id, b.id, GIT_OID_RAWSZ) != 0))
			S_diff_entry(h, sd, commit, prefix, &a, c == 0 ? &b : NULL);
		else if (c > 0)
			S_diff_entry(h, sd, commit, prefix, NULL, &b);
		if (c <= 0) {
			S_offs_room(oa, 1);
			oa->v[oa->n++] = pa;
			pa = (size_t)(p - A);
		}
		if (c >= 0) {
			pb = (size_t)(q - B);
			if (j < ob->n)
				j++;
		}
	}
	S_offs_room(oa, 0);
	oa->v[oa->n] = pa;
	return 0;
}

static int S_read_tree(struct history *h, git_odb_object **out, const git_oid *id)
{
	if (git_odb_read(out, h->odb, id) < 0)
		return -1;
	if (git_odb_object_type(*out) != GIT_OBJECT_TREE) {
		git_odb_object_free(*out);
		*out = NULL;
		git_error_set_str(GIT_ERROR_INVALID, "a tree entry names something that is not a tree");
		return -1;
	}
	return 0;
}

static int S_subdir_cmp(const void *pa, const void *pb)
{
	return strcmp(((const struct subdir *)pa)->name, ((const struct subdir *)pb)->name);
}

/*
 * Diffs one folder (prefix under content/, "" or "talks/", depth deep:
 * content/ is 0) over its pairs, which are in walk order: each pair's old
 * tree is the next pair's new one, so every version is read once. Then its
 * subfolders, by name, down to the depth the source reader stops at: a
 * file deeper than that is never a page, and the recursion stays bounded
 * whatever a crafted commit nests.
 */
static int S_diff_dir(struct history *h, const char *prefix, int depth, const struct dir_pair *pairs,
		      size_t n)
{
	struct subdirs sd;
	git_odb_object *newer = NULL, *older = NULL;
	struct toffs newo = { 0 }, oldo = { 0 }, swap;
	struct buf sub = BUF_INIT;
	char hex[13];
	size_t i;
	int rc = -1;

	memset(&sd, 0, sizeof(sd));
	/* cancelled (pool.h): S_walk gives up once this returns */
	for (i = 0; i < n && !pool_cancelled(); i++) {
		const struct dir_pair *pr = &pairs[i];
		git_odb_object_free(newer);
		newer = NULL;
		if (pr->has_new) {
			if (older && i > 0 && pairs[i - 1].has_old &&
			    git_oid_equal(&pairs[i - 1].old_id, &pr->new_id)) {
				newer = older;
				older = NULL;
				swap = newo;
				newo = oldo;
				oldo = swap;
			} else if (S_read_tree(h, &newer, &pr->new_id) < 0) {
				goto done;
			} else {
				S_index_tree(&newo, git_odb_object_data(newer), git_odb_object_size(newer));
			}
		}
		git_odb_object_free(older);
		older = NULL;
		if (pr->has_old && S_read_tree(h, &older, &pr->old_id) < 0)
			goto done;
		if (S_diff_raw(h, &sd, pr->commit, prefix, older, newer, &newo, &oldo) < 0) {
			git_oid_tostr(hex, sizeof(hex), &h->commits[pr->commit].id);
			git_error_set(GIT_ERROR_INVALID,
				      "commit %s has a malformed tree at %s/%s: a mode git "
				      "does not write, or a name with '/'",
				      hex, h->content, prefix);
			goto done;
		}
	}
	git_odb_object_free(newer);
	git_odb_object_free(older);
	newer = older = NULL;
	if (sd.n)
		qsort(sd.v, sd.n, sizeof(*sd.v), S_subdir_cmp);
	for (i = 0; i < sd.n; i++) {
		buf_reset(&sub);
		buf_printf(&sub, "%s%s/", prefix, sd.v[i].name);
		if (depth + 1 > SOURCE_MAX_DEPTH) {
			if (!h->deep_noted) {
				git_oid_tostr(hex, sizeof(hex), &h->commits[sd.v[i].v[0].commit].id);
				diag_report(DIAG_NOTICE,
					    arena_printf(&h->arena, "content/%.*s", (int)sub.len - 1,
							 sub.ptr),
					    0, 0,
					    "folders nested more than %d deep in the history (commit %s); "
					    "the history of what they hold is not followed",
					    SOURCE_MAX_DEPTH, hex);
				h->deep_noted = 1;
			}
			continue;
		}
		if (S_diff_dir(h, buf_cstr(&sub), depth + 1, sd.v[i].v, sd.v[i].n) < 0)
			goto done;
	}
	rc = 0;
done:
	git_odb_object_free(newer);
	git_odb_object_free(older);
	free(newo.v);
	free(oldo.v);
	for (i = 0; i < sd.n; i++)
		free(sd.v[i].v);
	free(sd.v);
	strmap_free(&sd.index);
	arena_release(&sd.names);
	buf_release(&sub);
	return rc;
}

/* --- renames --------------------------------------------------------------- */

static const char *S_cpath(const struct history *h, const struct change *c)
{
	return h->change_paths.ptr + c->path;
}

struct pair_score {
	int score;
	size_t del, add;
};

static int S_score_cmp(const void *pa, const void *pb)
{
	const struct pair_score *a = pa, *b = pb;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->add != b->add)
		return a->add < b->add ? -1 : 1;
	return a->del < b->del ? -1 : a->del > b->del;
}

/*
 * The similarity signature of a Markdown blob, or NULL. The object header
 * gives the size first: a blob over the Markdown cap is never read (it
 * was never a page), nor is anything once the walk has read
 * S_RENAME_BYTES for similarity.
 */
static git_hashsig *S_sig(struct history *h, const git_oid *id)
{
	git_odb_object *obj = NULL;
	git_hashsig *sig = NULL;
	git_object_t type;
	size_t size;

	if (git_odb_read_header(&size, &type, h->odb, id) < 0 || type != GIT_OBJECT_BLOB ||
	    size > SOURCE_MAX_MARKDOWN)
		return NULL;
	if (h->sim_bytes + size > S_RENAME_BYTES) {
		if (!h->sim_noted)
			diag_report(DIAG_NOTICE, NULL, 0, 0,
				    "rename detection by content stopped after "
				    "%d MiB of files compared; older renames with edits are not followed",
				    (int)(S_RENAME_BYTES >> 20));
		h->sim_noted = 1;
		return NULL;
	}
	h->sim_bytes += size;
	if (git_odb_read(&obj, h->odb, id) == 0 && git_odb_object_size(obj) <= SOURCE_MAX_MARKDOWN)
		git_hashsig_create(&sig, git_odb_object_data(obj), git_odb_object_size(obj),
				   GIT_HASHSIG_SMART_WHITESPACE | GIT_HASHSIG_ALLOW_SMALL_FILES);
	git_odb_object_free(obj);
	return sig;
}

/* One commit's deleted and added Markdown files, while they are paired. */
struct renames {
	struct history *h;
	struct change *ch;
	size_t *dels, *adds; /* indices into ch */
	size_t nd, na;
	git_hashsig **dsig, **asig; /* read when first compared */
	char *dread, *aread;        /* a signature was asked for (it may be NULL) */
};

/* A deleted (old blob) or added (new blob) file, to sort by blob id or by name. */
struct side {
	const git_oid *id;
	const char *key;
	size_t at; /* index into dels or adds */
};

static int S_side_id_cmp(const void *pa, const void *pb)
{
	const struct side *a = pa, *b = pb;
	int c = git_oid_cmp(a->id, b->id);
	if (c)
		return c;
	return a->at < b->at ? -1 : a->at > b->at;
}

static int S_side_key_cmp(const void *pa, const void *pb)
{
	const struct side *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);
	if (c)
		return c;
	return a->at < b->at ? -1 : a->at > b->at;
}

static void S_pair(struct renames *r, size_t add, size_t del)
{
	r->ch[r->adds[add]].pair = (long)r->dels[del];
	r->ch[r->dels[del]].pair = (long)r->adds[add];
}

/* The similarity of added file add and deleted file del (0 to 100), or -1. */
static int S_similarity(struct renames *r, size_t add, size_t del)
{
	if (!r->aread[add]) {
		r->asig[add] = S_sig(r->h, &r->ch[r->adds[add]].new_id);
		r->aread[add] = 1;
	}
	if (!r->dread[del]) {
		r->dsig[del] = S_sig(r->h, &r->ch[r->dels[del]].old_id);
		r->dread[del] = 1;
	}
	if (!r->asig[add] || !r->dsig[del])
		return -1;
	return git_hashsig_compare(r->asig[add], r->dsig[del]);
}

/*
 * The unpaired files of one side into v, sorted with cmp; names (v[].key)
 * are made in a when given. Returns how many.
 */
static size_t S_sides(struct renames *r, struct side *v, int deleted, struct arena *a,
		      int (*cmp)(const void *, const void *))
{
	const size_t *idx = deleted ? r->dels : r->adds;
	size_t n = deleted ? r->nd : r->na, i, k = 0;

	for (i = 0; i < n; i++) {
		const struct change *c = &r->ch[idx[i]];
		const char *path, *slash, *base, *dir;
		if (c->pair >= 0)
			continue;
		v[k].id = deleted ? &c->old_id : &c->new_id;
		v[k].at = i;
		v[k].key = NULL;
		if (a) {
			/*
			 * The name a move keeps: the file's, or for a bundle's
			 * "x/index.md" (and index.en.md) the folder's, as
			 * "x.md": moving x.md into x/index.md keeps it too.
			 */
			path = S_cpath(r->h, c);
			slash = strrchr(path, '/');
			base = slash ? slash + 1 : path;
			if (slash && strncmp(base, "index.", 6) == 0) {
				for (dir = slash; dir > path && dir[-1] != '/'; dir--)
					;
				v[k].key = arena_printf(a, "%.*s%s", (int)(slash - dir), dir, base + 5);
			} else {
				v[k].key = base;
			}
		}
		k++;
	}
	if (k)
		qsort(v, k, sizeof(*v), cmp);
	return k;
}

/* Each added file takes the first deleted one with its blob: a plain move. */
static void S_pair_exact(struct renames *r, struct side *d, struct side *a)
{
	size_t nd = S_sides(r, d, 1, NULL, S_side_id_cmp), na = S_sides(r, a, 0, NULL, S_side_id_cmp);
	size_t x = 0, y = 0;
	int c;

	while (x < nd && y < na) {
		c = git_oid_cmp(d[x].id, a[y].id);
		if (c < 0)
			x++;
		else if (c > 0)
			y++;
		else
			S_pair(r, a[y++].at, d[x++].at);
	}
}

/*
 * A name deleted once and added once in the commit, with enough content
 * in common: a folder moved with edits. One comparison per name.
 */
static void S_pair_names(struct renames *r, struct side *d, struct side *a)
{
	struct arena names = ARENA_INIT;
	size_t nd = S_sides(r, d, 1, &names, S_side_key_cmp), na = S_sides(r, a, 0, &names, S_side_key_cmp);
	size_t x = 0, y = 0, xe, ye;
	int c;

	while (x < nd && y < na) {
		c = strcmp(d[x].key, a[y].key);
		if (c < 0) {
			x++;
			continue;
		}
		if (c > 0) {
			y++;
			continue;
		}
		for (xe = x + 1; xe < nd && strcmp(d[xe].key, d[x].key) == 0; xe++)
			;
		for (ye = y + 1; ye < na && strcmp(a[ye].key, a[y].key) == 0; ye++)
			;
		if (xe == x + 1 && ye == y + 1 && S_similarity(r, a[y].at, d[x].at) >= S_RENAME_SCORE)
			S_pair(r, a[y].at, d[x].at);
		x = xe;
		y = ye;
	}
	arena_release(&names);
}

/* What is left, all against all when that is few pairs: best first, ties by position. */
static void S_pair_similar(struct renames *r)
{
	struct pair_score *scores = NULL;
	size_t i, k, nd = 0, na = 0, np = 0;
	int s;

	for (k = 0; k < r->nd; k++)
		nd += r->ch[r->dels[k]].pair < 0;
	for (i = 0; i < r->na; i++)
		na += r->ch[r->adds[i]].pair < 0;
	if (!nd || !na || nd > S_RENAME_PAIRS / na)
		return;
	scores = xmalloc(nd * na * sizeof(*scores));
	for (i = 0; i < r->na; i++) {
		if (r->ch[r->adds[i]].pair >= 0)
			continue;
		for (k = 0; k < r->nd; k++) {
			if (r->ch[r->dels[k]].pair >= 0)
				continue;
			if ((s = S_similarity(r, i, k)) >= S_RENAME_SCORE) {
				scores[np].score = s;
				scores[np].add = i;
				scores[np].del = k;
				np++;
			}
		}
	}
	if (np)
		qsort(scores, np, sizeof(*scores), S_score_cmp);
	for (i = 0; i < np; i++)
		if (r->ch[r->adds[scores[i].add]].pair < 0 && r->ch[r->dels[scores[i].del]].pair < 0)
			S_pair(r, scores[i].add, scores[i].del);
	free(scores);
}

/*
 * Pairs the commit's deleted and added Markdown files, in time near
 * linear in their number: the same blob first, then the same name (see
 * S_sides) with at least S_RENAME_SCORE of the content in common, then,
 * for what is left when it is a reasonable number of pairs, the most
 * similar content above S_RENAME_SCORE.
 */
static void S_renames(struct history *h, struct change *ch, size_t nch)
{
	struct renames r;
	struct side *d = NULL, *a = NULL;
	size_t i, cd = 0, ca = 0;

	memset(&r, 0, sizeof(r));
	r.h = h;
	r.ch = ch;
	for (i = 0; i < nch; i++) {
		if (ch[i].deleted) {
			ARRAY_GROW(r.dels, r.nd, cd, 64);
			r.dels[r.nd++] = i;
		} else if (ch[i].added) {
			ARRAY_GROW(r.adds, r.na, ca, 64);
			r.adds[r.na++] = i;
		}
	}
	if (!r.nd || !r.na)
		goto done;
	d = xmalloc(r.nd * sizeof(*d));
	a = xmalloc(r.na * sizeof(*a));
	r.dsig = xcalloc(r.nd, sizeof(*r.dsig));
	r.asig = xcalloc(r.na, sizeof(*r.asig));
	r.dread = xcalloc(r.nd, 1);
	r.aread = xcalloc(r.na, 1);
	S_pair_exact(&r, d, a);
	S_pair_names(&r, d, a);
	S_pair_similar(&r);
done:
	for (i = 0; r.dsig && i < r.nd; i++)
		git_hashsig_free(r.dsig[i]);
	for (i = 0; r.asig && i < r.na; i++)
		git_hashsig_free(r.asig[i]);
	free(r.dsig);
	free(r.asig);
	free(r.dread);
	free(r.aread);
	free(d);
	free(a);
	free(r.dels);
	free(r.adds);
}

/* --- the walk -------------------------------------------------------------- */

static void S_touch(struct history *h, long file, long commit)
{
	if (h->ntouch == h->ctouch) {
		h->ctouch = array_grow_cap(h->ctouch, 1024, sizeof(*h->touch_file));
		h->touch_file = xrealloc(h->touch_file, h->ctouch * sizeof(*h->touch_file));
		h->touch_commit = xrealloc(h->touch_commit, h->ctouch * sizeof(*h->touch_commit));
	}
	h->touch_file[h->ntouch] = file;
	h->touch_commit[h->ntouch] = commit;
	h->ntouch++;
	if (h->files[file].newest < 0)
		h->files[file].newest = commit;
}

/* Sets path (copied when new to the map) to val. */
static void S_set(struct history *h, const char *path, long val)
{
	if (strmap_get(&h->paths, path, S_ABSENT) == S_ABSENT)
		path = arena_strdup(&h->arena, path);
	strmap_put(&h->paths, path, val);
}

/* The file a path names this far back; a file of the start commit is made on first sight. */
static long S_file(struct history *h, const char *path)
{
	long f = strmap_get(&h->paths, path, S_ABSENT);
	struct hist_file *hf;
	if (f != S_ABSENT)
		return f;
	ARRAY_GROW(h->files, h->nfiles, h->cfiles, 64);
	hf = &h->files[h->nfiles];
	memset(hf, 0, sizeof(*hf));
	hf->rel = arena_strdup(&h->arena, path);
	hf->newest = hf->created = hf->boundary = -1;
	f = (long)h->nfiles++;
	strmap_put(&h->paths, hf->rel, f);
	return f;
}

/*
 * Applies one commit's changes. First every path is resolved to its file,
 * then the map moves back in time: added paths end (their older history is
 * another file's), a rename's old path takes over its file.
 */
static void S_apply_changes(struct history *h, const struct change *ch, size_t nch, long ci, int boundary)
{
	long *files = xmalloc((nch ? nch : 1) * sizeof(*files));
	size_t i;

	for (i = 0; i < nch; i++) {
		const struct change *c = &ch[i];
		files[i] = c->deleted ? S_ENDED : S_file(h, S_cpath(h, c));
	}
	for (i = 0; i < nch; i++) {
		const struct change *c = &ch[i];
		long f = files[i];
		if (c->deleted) {
			/* An unpaired deletion: older changes to the path are a
			 * file that is gone; a paired one is claimed below. */
			if (c->pair < 0)
				S_set(h, S_cpath(h, c), S_ENDED);
			continue;
		}
		if (f < 0) {
			/* no file of ours: neither is the one it was renamed from */
			if (c->pair >= 0)
				S_set(h, S_cpath(h, &ch[c->pair]), S_ENDED);
			continue;
		}
		if (boundary) {
			/* A shallow clone's last commit: what it changed is unknown. */
			if (h->files[f].newest < 0)
				h->files[f].newest = ci;
			h->files[f].boundary = ci;
		} else {
			S_touch(h, f, ci);
		}
		if (c->added) {
			S_set(h, S_cpath(h, c), S_ENDED);
			if (c->pair >= 0)
				S_set(h, S_cpath(h, &ch[c->pair]), f);
			else if (!boundary)
				h->files[f].created = ci;
		}
	}
	free(files);
}

/* The id of the content/ tree in commit c, or 0 (and *out zeroed) when it has none. */
static int S_content_tree(struct history *h, git_oid *out, git_commit *c)
{
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	int found = 0;

	memset(out, 0, sizeof(*out));
	if (git_commit_tree(&root, c) == 0 && git_tree_entry_bypath(&e, root, h->content) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		git_oid_cpy(out, git_tree_entry_id(e));
		found = 1;
	}
	git_tree_entry_free(e);
	git_tree_free(root);
	return found;
}

/*
 * The walk proper. First the chain: each commit's content/ tree, and the
 * identities of those that changed it. A parent that cannot be read ends
 * the chain like a root commit, but what the last commit changed is then
 * unknown: a shallow clone's boundary. Then the diffs, folder by folder,
 * and last the changes commit by commit, newest first.
 */
static int S_walk(struct history *h, git_commit *start)
{
	git_commit *cur = NULL, *parent = NULL;
	git_oid *trees = NULL;
	int *has = NULL;
	struct dir_pair *pairs = NULL;
	size_t npairs = 0, ntrees = 0, ctrees = 0, i, *at = NULL;
	struct change *sorted = NULL;
	int rc = -1;

	/*
	 * git does not hash objects again when it reads them; libgit2 does by
	 * default, and for the walk's many versions of large folders that
	 * would be most of its time.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	git_commit_dup(&cur, start);
	/* jixia serve stopping (pool.h): the walk is given up, the build thrown away */
	while (cur && !pool_cancelled()) {
		struct hist_commit *hc;
		ARRAY_GROW(h->commits, h->ncommits, h->ccommits, 64);
		hc = &h->commits[h->ncommits++];
		memset(hc, 0, sizeof(*hc));
		git_oid_cpy(&hc->id, git_commit_id(cur));
		hc->time = (long long)git_commit_author(cur)->when.time;
		hc->off = git_commit_author(cur)->when.offset;
		hc->ctime = (long long)git_commit_time(cur);
		if (ntrees == ctrees) {
			ctrees = array_grow_cap(ctrees, 64, sizeof(*trees));
			trees = xrealloc(trees, ctrees * sizeof(*trees));
			has = xrealloc(has, ctrees * sizeof(*has));
		}
		has[ntrees] = S_content_tree(h, &trees[ntrees], cur);
		ntrees++;
		parent = NULL;
		if (git_commit_parentcount(cur) > 0 && git_commit_parent(&parent, cur, 0) < 0)
			hc->boundary = 1;
		git_commit_free(cur);
		cur = parent;
	}
	if (pool_cancelled())
		goto done;
	/* Which commits changed content/; their authors. */
	pairs = xmalloc((ntrees ? ntrees : 1) * sizeof(*pairs));
	for (i = 0; i < ntrees; i++) {
		int has_old = i + 1 < ntrees && has[i + 1];
		struct dir_pair *p;
		if (has[i] == has_old && (!has[i] || git_oid_equal(&trees[i], &trees[i + 1])))
			continue;
		p = &pairs[npairs++];
		memset(p, 0, sizeof(*p));
		p->commit = (long)i;
		if ((p->has_new = has[i]))
			git_oid_cpy(&p->new_id, &trees[i]);
		if ((p->has_old = has_old))
			git_oid_cpy(&p->old_id, &trees[i + 1]);
		if (!h->commits[i].boundary) {
			h->commits[i].content = 1;
			if (git_commit_lookup(&cur, h->repo, &h->commits[i].id) < 0)
				goto done;
			S_commit_idents(h, &h->commits[i], cur);
			git_commit_free(cur);
			cur = NULL;
		}
	}
	if (S_diff_dir(h, "", 0, pairs, npairs) < 0 || pool_cancelled())
		goto done;
	/* The changes by commit (a stable counting sort keeps each folder's order). */
	at = xcalloc(h->ncommits + 1, sizeof(*at));
	for (i = 0; i < h->nchanges; i++)
		at[h->changes[i].commit + 1]++;
	for (i = 0; i < h->ncommits; i++)
		at[i + 1] += at[i];
	sorted = xmalloc((h->nchanges ? h->nchanges : 1) * sizeof(*sorted));
	for (i = 0; i < h->nchanges; i++)
		sorted[at[h->changes[i].commit]++] = h->changes[i];
	free(h->changes);
	h->changes = sorted;
	sorted = NULL;
	for (i = 0; i < h->nchanges;) {
		size_t j = i;
		long ci = h->changes[i].commit;
		while (j < h->nchanges && h->changes[j].commit == ci)
			j++;
		if (!h->commits[ci].boundary)
			S_renames(h, h->changes + i, j - i);
		S_apply_changes(h, h->changes + i, j - i, ci, h->commits[ci].boundary);
		i = j;
	}
	rc = 0;
done:
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
	git_commit_free(cur);
	free(trees);
	free(has);
	free(pairs);
	free(at);
	free(sorted);
	return rc;
}

/* Groups the touches by file (counting sort: each file's stay newest first). */
static void S_group(struct history *h)
{
	size_t *start = xcalloc(h->nfiles + 1, sizeof(*start)), i;
	long *by = xmalloc((h->ntouch ? h->ntouch : 1) * sizeof(*by));

	for (i = 0; i < h->ntouch; i++)
		start[h->touch_file[i] + 1]++;
	for (i = 0; i < h->nfiles; i++)
		start[i + 1] += start[i];
	for (i = 0; i < h->nfiles; i++) {
		h->files[i].t0 = start[i];
		h->files[i].nt = start[i + 1] - start[i];
	}
	for (i = 0; i < h->ntouch; i++)
		by[start[h->touch_file[i]]++] = h->touch_commit[i];
	free(h->touch_commit);
	h->touch_commit = by;
	for (i = 0; i < h->nfiles; i++)
		strmap_put(&h->by_rel, h->files[i].rel, (long)i);
	free(start);
}

/* git_tree_walk callback: the Markdown blobs of the start commit's content/ tree. */
struct head_blobs {
	struct history *h;
	struct strmap paths; /* path under content/ -> index in ids */
	git_oid *ids;
	size_t n, cap;
};

static int S_head_blob(const char *root, const git_tree_entry *e, void *payload)
{
	struct head_blobs *hb = payload;
	const char *name = git_tree_entry_name(e);
	const char *p;
	int depth = 1;

	if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		/* libgit2 recurses: no deeper than the source reader goes */
		for (p = root; *p; p++)
			depth += *p == '/';
		return depth > SOURCE_MAX_DEPTH;
	}
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || !str_ends(name, ".md"))
		return 0;
	ARRAY_GROW(hb->ids, hb->n, hb->cap, 64);
	git_oid_cpy(&hb->ids[hb->n], git_tree_entry_id(e));
	strmap_put(&hb->paths, arena_printf(&hb->h->arena, "%s%s", root, name), (long)hb->n);
	hb->n++;
	return 0;
}

/* The Markdown blobs of the content/ tree tree_id (none without has_tree) into head_paths and head_ids, once. */
static void S_head_read(struct history *h, const git_oid *tree_id, int has_tree)
{
	git_tree *tree = NULL;
	struct head_blobs hb;

	if (h->head_read)
		return;
	memset(&hb, 0, sizeof(hb));
	hb.h = h;
	if (has_tree && git_tree_lookup(&tree, h->repo, tree_id) == 0)
		git_tree_walk(tree, GIT_TREEWALK_PRE, S_head_blob, &hb);
	git_tree_free(tree);
	h->head_paths = hb.paths;
	h->head_ids = hb.ids;
	h->head_read = 1;
}

/*
 * The blob id HEAD's content/ tree has at rel (a Markdown blob there) into
 * *out: 1, else 0. From head_paths once read; else looked up by path in
 * *tree (opened on the first call, the caller frees it): a few files
 * changed since the last run look up a few paths, not the whole tree.
 */
static int S_head_id(struct history *h, git_tree **tree, const git_oid *tree_id, int has_tree,
		     const char *rel, git_oid *out)
{
	git_tree_entry *e = NULL;
	long k;
	int found = 0;

	if (h->head_read) {
		k = strmap_get(&h->head_paths, rel, -1);
		if (k >= 0)
			git_oid_cpy(out, &h->head_ids[k]);
		return k >= 0;
	}
	if (!has_tree || (!*tree && git_tree_lookup(tree, h->repo, tree_id) != 0))
		return 0;
	if (git_tree_entry_bypath(&e, *tree, rel) == 0 && git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
		git_oid_cpy(out, git_tree_entry_id(e));
		found = 1;
	}
	git_tree_entry_free(e);
	return found;
}

/*
 * The working tree's blob ids kept between builds (history_store's ids):
 * the content/ tree they were compared with, then per Markdown file under
 * content/, in the source's order: its path there, its identity and
 * length when read (source_file.ident: a file with the same has the same
 * bytes), its blob id and whether HEAD's tree had another. Files changed
 * in the tick their walk began (no identity) are not kept.
 */
struct kept_id {
	const unsigned char *path;
	size_t len;
	uint64_t ident[4], size;
	git_oid id;
	int dirty;
};

#define S_IDS_KEY "jixia worktree ids 1\n"

/* The next record of r into *k: 1, or 0 at the end or on damage (no record trusted after it). */
static int S_kept_id_next(struct le_reader *r, struct kept_id *k)
{
	const unsigned char *id;
	size_t i;

	if (r->bad || r->p == r->end)
		return 0;
	k->len = (size_t)le_read(r, 4);
	k->path = le_take(r, k->len);
	for (i = 0; i < 4; i++)
		k->ident[i] = le_read(r, 8);
	k->size = le_read(r, 8);
	id = le_take(r, GIT_OID_RAWSZ);
	k->dirty = (int)le_read(r, 1);
	if (r->bad || !k->path || !id || k->dirty > 1 || memchr(k->path, '\0', k->len))
		return r->bad = 1, 0;
	memcpy(k->id.id, id, GIT_OID_RAWSZ);
	return 1;
}

/* Bytewise, as the source sorts its paths. */
static int S_kept_cmp(const struct kept_id *k, const char *rel, size_t n)
{
	int c = memcmp(k->path, rel, k->len < n ? k->len : n);
	return c ? c : (k->len > n) - (k->len < n);
}

/*
 * S_dirty of a build with a store: each file whose identity is the one
 * kept has the blob id kept (its bytes not hashed again); when HEAD's
 * content/ tree is still the one they were compared with, the answer
 * kept too, and the tree is not read at all (a changed file's path is
 * looked up in it). What it found is kept for the next build when it
 * differs from what was read.
 */
static void S_dirty_kept(struct history *h, const struct source *src, const git_oid *tree_id, int has_tree,
			 const struct history_store *store)
{
	struct buf key = BUF_INIT, kept = BUF_INIT, next = BUF_INIT;
	static const git_oid none;
	struct le_reader r = { NULL, NULL, 1 };
	struct kept_id k;
	git_tree *tree = NULL;
	size_t first, n, i, w, records = 0, count = 0;
	int more = 0, same_tree = 0, changed = 0;

	memset(&k, 0, sizeof(k));
	buf_printf(&key, S_IDS_KEY "sub %s\n", h->sub);
	if (store->ids_get(store->payload, key.ptr, key.len, &kept) == 0 &&
	    kept.len >= 1 + GIT_OID_RAWSZ + 4) {
		const unsigned char *p = (const unsigned char *)kept.ptr;
		git_oid was;
		r.p = p + 1 + GIT_OID_RAWSZ + 4;
		r.end = p + kept.len;
		r.bad = 0;
		memcpy(was.id, p + 1, GIT_OID_RAWSZ);
		same_tree = p[0] == (has_tree ? 1 : 0) && (!has_tree || git_oid_equal(&was, tree_id));
		records = (size_t)le_get(p + 1 + GIT_OID_RAWSZ, 4);
		more = S_kept_id_next(&r, &k);
	}
	changed = !same_tree;
	buf_put_le(&next, has_tree ? 1 : 0, 1);
	buf_put(&next, (has_tree ? tree_id : &none)->id, GIT_OID_RAWSZ);
	buf_put_le(&next, 0, 4); /* the count, once known */
	n = source_prefix(src, "content/", &first);
	for (i = first; i < first + n && !pool_cancelled(); i++) {
		const struct source_file *f = &src->files[i];
		const char *rel = f->path + strlen("content/");
		size_t rlen = strlen(rel);
		git_oid id, head;
		int known, dirty, hashed = 0;
		if (!str_ends(f->path, ".md"))
			continue;
		while (more && S_kept_cmp(&k, rel, rlen) < 0)
			more = S_kept_id_next(&r, &k);
		known = more && S_kept_cmp(&k, rel, rlen) == 0 && f->ident[1] && k.size == f->len &&
			memcmp(k.ident, f->ident, sizeof(k.ident)) == 0;
		if (known && same_tree) {
			id = k.id;
			dirty = k.dirty;
		} else {
			if (!same_tree)
				S_head_read(h, tree_id, has_tree);
			if (known) {
				id = k.id;
			} else {
				const char *data = source_bytes(src, f, 1); /* unread by the walk: read now */
				hashed = data && git_odb_hash(&id, data, f->len, GIT_OBJECT_BLOB) == 0;
				h->hashed++;
				changed = 1;
			}
			dirty = (!known && !hashed) || !S_head_id(h, &tree, tree_id, has_tree, rel, &head) ||
				!git_oid_equal(&id, &head);
		}
		if (dirty)
			strmap_put(&h->dirty, rel, 1);
		if (!f->ident[1] || (!known && !hashed))
			continue; /* racy: hashed again next time */
		buf_put_le(&next, rlen, 4);
		buf_put(&next, rel, rlen);
		for (w = 0; w < 4; w++)
			buf_put_le(&next, f->ident[w], 8);
		buf_put_le(&next, f->len, 8);
		buf_put(&next, id.id, GIT_OID_RAWSZ);
		buf_put_le(&next, dirty ? 1 : 0, 1);
		count++;
	}
	git_tree_free(tree);
	if ((changed || count != records) && !pool_cancelled() && count <= UINT32_MAX) {
		le_put((unsigned char *)next.ptr + 1 + GIT_OID_RAWSZ, count, 4);
		store->ids_put(store->payload, key.ptr, key.len, next.ptr, next.len);
	}
	buf_release(&key);
	buf_release(&kept);
	buf_release(&next);
}

/*
 * git's index as a stat cache (what `git status` trusts): the index, and
 * its file's modification time, for S_index_id; none when the repository
 * has no index that reads.
 */
struct index_cache {
	git_index *index;
	struct timespec written;
};

static void S_index_cache(struct history *h, struct index_cache *ic)
{
	struct stat st;
	const char *path;

	memset(ic, 0, sizeof(*ic));
	/* none, or none that reads: every file hashed, and no message of libgit2's left for a later one */
	if (git_repository_index(&ic->index, h->repo) < 0) {
		ic->index = NULL;
		git_error_clear();
		return;
	}
	/* read again when the file changed since (serve refreshes) */
	if (git_index_read(ic->index, 0) < 0 || !(path = git_index_path(ic->index)) || stat(path, &st) != 0) {
		git_index_free(ic->index);
		ic->index = NULL;
		git_error_clear();
		return;
	}
	ic->written = st.st_mtim;
}

/* A file time as git's index keeps it (seconds cut to 32 bits) from source.h's ident's nanoseconds. */
static int S_index_time_is(const git_index_time *t, uint64_t ns)
{
	return (uint32_t)t->seconds == (uint32_t)(ns / 1000000000u) && t->nanoseconds == ns % 1000000000u;
}

/*
 * f's blob id from git's index instead of its bytes: 1 when the index's
 * entry for path (stage 0) has f's size, modification and change times to
 * the nanosecond, device and inode (32 bits each, as the index keeps them)
 * and is a regular file, so f was not written since git hashed it (a
 * write moves the change time, which no program can set back); and the
 * entry is not racily clean, written no earlier than the index file was
 * (git itself hashes those again). 0: hash the bytes. Hashing 10,000
 * pages' 45 MB was 0.2 s of a cold build's CPU, on the walk's thread
 * beside the parse; reading the index and looking them up, a few ms.
 */
static int S_index_id(const struct index_cache *ic, const char *path, const struct source_file *f,
		      git_oid *id)
{
	const git_index_entry *e;

	if (!ic->index || !f->ident[1] || f->len > UINT32_MAX ||
	    !(e = git_index_get_bypath(ic->index, path, 0)))
		return 0;
	if ((e->mode & 0170000) != 0100000 || e->file_size != (uint32_t)f->len ||
	    e->dev != (uint32_t)f->ident[0] || e->ino != (uint32_t)f->ident[1] ||
	    !S_index_time_is(&e->mtime, f->ident[2]) || !S_index_time_is(&e->ctime, f->ident[3]))
		return 0;
	/* racily clean: the file's time not before the index's (seconds as 32 bits, as git compares them) */
	if ((uint32_t)e->mtime.seconds > (uint32_t)ic->written.tv_sec ||
	    ((uint32_t)e->mtime.seconds == (uint32_t)ic->written.tv_sec &&
	     e->mtime.nanoseconds >= (uint32_t)ic->written.tv_nsec))
		return 0;
	git_oid_cpy(id, &e->id);
	return 1;
}

/*
 * Working tree: the Markdown files under content/ whose bytes are not
 * HEAD's (new files included). A file git's index vouches for is known by
 * the index's id (S_index_id); the others are hashed, as git itself
 * does, and a --ref build needs neither. In serve a
 * file whose bytes a refresh before hashed (the source cache's serial) is
 * not hashed again: a one-file edit hashes one file; a build with a store
 * keeps the ids under each file's identity (S_dirty_kept) for the same.
 */
static void S_dirty(struct history *h, const struct source *src, const git_oid *tree_id, int has_tree,
		    const struct history_store *store)
{
	struct index_cache ic;
	struct buf path = BUF_INIT;
	size_t first, n, i;

	h->dirty_known = 1;
	if (store && store->ids_get) {
		S_dirty_kept(h, src, tree_id, has_tree, store);
		return;
	}
	S_index_cache(h, &ic);
	/* The tree's blobs are read once: a history kept for the next
	 * build (history_refresh) compares the new sources with them. */
	S_head_read(h, tree_id, has_tree);
	n = source_prefix(src, "content/", &first);
	/* a page's hash each: cancelled (pool.h), the history is not kept */
	for (i = first; i < first + n && !pool_cancelled(); i++) {
		const struct source_file *f = &src->files[i];
		const char *rel = f->path + strlen("content/");
		long k;
		git_oid id;
		long m = -1;
		int dirty;
		if (!str_ends(f->path, ".md"))
			continue;
		if (f->serial) {
			m = strmap_get(&h->seen, rel, -1);
			if (m >= 0 && h->seen_v[m].serial == f->serial) {
				if (h->seen_v[m].dirty)
					strmap_put(&h->dirty, rel, 1);
				continue;
			}
		}
		k = strmap_get(&h->head_paths, rel, -1);
		dirty = k < 0;
		if (k >= 0) {
			buf_reset(&path);
			buf_printf(&path, "%scontent/%s", h->sub, rel);
			if (!S_index_id(&ic, buf_cstr(&path), f, &id)) {
				const char *data = source_bytes(src, f, 1); /* unread by the walk: read now */
				dirty = !data || git_odb_hash(&id, data, f->len, GIT_OBJECT_BLOB) < 0;
				h->hashed++;
			}
			dirty = dirty || !git_oid_equal(&id, &h->head_ids[k]);
		}
		if (dirty)
			strmap_put(&h->dirty, rel, 1);
		if (!f->serial)
			continue;
		if (m < 0) {
			ARRAY_GROW(h->seen_v, h->nseen, h->cseen, 64);
			m = (long)h->nseen++;
			strmap_put(&h->seen, arena_strdup(&h->arena, rel), m);
		}
		h->seen_v[m].serial = f->serial;
		h->seen_v[m].dirty = dirty;
	}
	git_index_free(ic.index);
	buf_release(&path);
}

void history_refresh(struct history *h, const struct source *src)
{
	strmap_free(&h->dirty);
	if (h->walked && !src->commit[0])
		S_dirty(h, src, &h->tree, h->has_tree, NULL);
}

int history_reusable(const struct history *h)
{
	return h && h->repo && h->walked && !h->shallow;
}

/* The site folder inside the repository's working tree: "" or "docs/site/". */
static int S_subdir(struct history *h, const char *dir)
{
	const char *wd = git_repository_workdir(h->repo);
	char *rd = NULL, *rw = NULL;
	size_t n;
	int rc = -1;

	if (!wd) { /* bare: the site is the repository's top */
		h->sub = xstrdup("");
		return 0;
	}
	rd = realpath(dir, NULL);
	rw = realpath(wd, NULL);
	if (rd && rw) {
		n = strlen(rw);
		if (strcmp(rw, "/") == 0) {
			h->sub = xstrdup(rd + 1);
			rc = 0;
		} else if (strncmp(rd, rw, n) == 0 && (rd[n] == '\0' || rd[n] == '/')) {
			h->sub = xstrdup(rd[n] ? rd + n + 1 : "");
			rc = 0;
		}
	}
	if (rc == 0 && h->sub[0]) {
		char *s = xmalloc(strlen(h->sub) + 2);
		strcpy(s, h->sub);
		strcat(s, "/");
		free(h->sub);
		h->sub = s;
	}
	free(rd);
	free(rw);
	return rc;
}

/*
 * The .mailmap beside site.yaml, else the one at the top of the commit
 * being read: from the tree the site is built from, so a --ref build of a
 * pull request uses the pull request's mailmap and never ~/.gitconfig's.
 */
/*
 * libgit2 adds each entry of a mailmap to a sorted array by moving the
 * entries after it: 100,000 entries took 0.2 s, 200,000 1.8 s, and the
 * 32 MiB cap of other files would allow a million (a minute). A mailmap
 * of this size holds some 30,000 entries; real ones hold hundreds.
 */
#define HIST_MAX_MAILMAP ((size_t)1 << 20)

static void S_mailmap(struct history *h, const struct source *src, git_commit *start)
{
	const struct source_file *f = source_find(src, ".mailmap");
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	git_object_t type;
	size_t size;

	if (f) {
		if (f->len > HIST_MAX_MAILMAP)
			diag_report(DIAG_NOTICE, f->path, 0, 0, "the file is over %d MiB; it is not used",
				    (int)(HIST_MAX_MAILMAP >> 20));
		else
			git_mailmap_from_buffer(&h->mailmap, f->data, f->len);
		return;
	}
	if (!h->sub[0] || !start || git_commit_tree(&root, start) < 0)
		return;
	/* the cap of any file the source reads, from the header before any bytes */
	if (git_tree_entry_bypath(&e, root, ".mailmap") == 0 &&
	    git_odb_read_header(&size, &type, h->odb, git_tree_entry_id(e)) == 0) {
		if (size > HIST_MAX_MAILMAP)
			diag_report(DIAG_NOTICE, NULL, 0, 0,
				    "the repository's .mailmap is over %d MiB; "
				    "it is not used",
				    (int)(HIST_MAX_MAILMAP >> 20));
		else if (git_blob_lookup(&blob, h->repo, git_tree_entry_id(e)) == 0)
			git_mailmap_from_buffer(&h->mailmap, git_blob_rawcontent(blob),
						(size_t)git_blob_rawsize(blob));
	}
	git_blob_free(blob);
	git_tree_entry_free(e);
	git_tree_free(root);
}

static git_commit *S_start(struct history *h, const struct source *src)
{
	git_commit *c = NULL;
	git_oid id;

	if (src->commit[0]) {
		if (git_oid_fromstr(&id, src->commit) == 0 && git_commit_lookup(&c, h->repo, &id) == 0)
			return c;
		return NULL;
	}
	if (git_repository_head_unborn(h->repo) == 1)
		return NULL;
	if (git_reference_name_to_id(&id, h->repo, "HEAD") == 0 && git_commit_lookup(&c, h->repo, &id) == 0)
		return c;
	return NULL;
}

/*
 * The walk is over: what it mapped and cached of the object database (the
 * packs, their delta bases: as much again as the site's Markdown) is
 * given back now, not when the model is linked, as parsing runs beside
 * or after it. A later lookup (translated_from) opens the database again.
 */
static void S_release_walk(struct history *h)
{
	git_odb_free(h->odb);
	h->odb = NULL;
	git_repository__cleanup(h->repo);
}

/* --- the walk kept on disk (diskcache.h) ------------------------------------ */

static void S_pstr(struct buf *b, const char *s)
{
	buf_put_le(b, strlen(s), 8);
	buf_put(b, s, strlen(s));
}

/* What the walk found (S_walk, S_group), as history_unpack reads it back. */
static void S_pack(const struct history *h, struct buf *b)
{
	size_t i;

	buf_put_le(b, h->ncommits, 8);
	for (i = 0; i < h->ncommits; i++) {
		const struct hist_commit *c = &h->commits[i];
		buf_put(b, c->id.id, GIT_OID_RAWSZ);
		buf_put_le(b, (uint64_t)c->time, 8);
		buf_put_le(b, (uint64_t)c->ctime, 8);
		buf_put_le(b, (uint64_t)(int64_t)c->off, 8);
		buf_put_le(b, c->ident0, 8);
		buf_put_le(b, c->nidents, 8);
		buf_put_le(b, (uint64_t)(c->content ? 1 : 0) | (uint64_t)(c->boundary ? 2 : 0), 8);
	}
	buf_put_le(b, h->nidents_of, 8);
	for (i = 0; i < h->nidents_of; i++)
		buf_put_le(b, h->idents_of[i], 8);
	buf_put_le(b, h->nidents, 8);
	for (i = 0; i < h->nidents; i++) {
		S_pstr(b, h->idents[i].name);
		S_pstr(b, h->idents[i].email);
		S_pstr(b, h->idents[i].raw);
	}
	buf_put_le(b, h->nfiles, 8);
	for (i = 0; i < h->nfiles; i++) {
		const struct hist_file *f = &h->files[i];
		S_pstr(b, f->rel);
		buf_put_le(b, (uint64_t)f->newest, 8);
		buf_put_le(b, (uint64_t)f->created, 8);
		buf_put_le(b, (uint64_t)f->boundary, 8);
		buf_put_le(b, f->t0, 8);
		buf_put_le(b, f->nt, 8);
	}
	buf_put_le(b, h->ntouch, 8);
	for (i = 0; i < h->ntouch; i++)
		buf_put_le(b, (uint64_t)h->touch_commit[i], 8);
	/* every change, for the questions' answers and the originals' diffs (history_since) */
	buf_put_le(b, h->change_paths.len, 8);
	buf_put(b, h->change_paths.ptr, h->change_paths.len);
	buf_put_le(b, h->nchanges, 8);
	for (i = 0; i < h->nchanges; i++) {
		const struct change *c = &h->changes[i];
		buf_put_le(b, (uint64_t)c->commit, 8);
		buf_put_le(b, (uint64_t)(c->added ? 1 : 0) | (uint64_t)(c->deleted ? 2 : 0), 8);
		buf_put_le(b, c->path, 8);
		buf_put(b, c->old_id.id, GIT_OID_RAWSZ);
		buf_put(b, c->new_id.id, GIT_OID_RAWSZ);
		buf_put_le(b, (uint64_t)c->pair, 8);
	}
}

/* A count of items of at least min bytes: more than the bytes left is damage. */
static size_t S_ucount(struct le_reader *u, size_t min)
{
	uint64_t n = le_read(u, 8);
	if (n > (uint64_t)(u->end - u->p) / min)
		u->bad = 1;
	return u->bad ? 0 : (size_t)n;
}

/* A string into the arena, without a NUL inside; "" when damaged. */
static const char *S_ustr(struct history *h, struct le_reader *u)
{
	size_t n = S_ucount(u, 1);
	const char *s;
	if (u->bad || memchr(u->p, '\0', n)) {
		u->bad = 1;
		return "";
	}
	s = arena_strndup(&h->arena, (const char *)u->p, n);
	u->p += n;
	return s;
}

/* An index below n, or -1 when neg allows it. */
static long S_uindex(struct le_reader *u, size_t n, int neg)
{
	int64_t v = (int64_t)le_read(u, 8);
	if ((neg && v == -1) || (v >= 0 && (uint64_t)v < n))
		return (long)v;
	u->bad = 1;
	return 0;
}

/* S_unpack's arrays dropped: the walk starts from nothing. */
static void S_unpack_drop(struct history *h)
{
	free(h->commits);
	free(h->idents_of);
	free(h->idents);
	free(h->files);
	free(h->touch_commit);
	free(h->changes);
	h->changes = NULL;
	h->nchanges = h->cchanges = 0;
	buf_reset(&h->change_paths);
	h->commits = NULL;
	h->idents_of = NULL;
	h->touch_commit = NULL;
	h->idents = NULL;
	h->files = NULL;
	h->ncommits = h->ccommits = h->nidents_of = h->cidents_of = h->nidents = h->cidents = 0;
	h->nfiles = h->cfiles = h->ntouch = h->ctouch = 0;
}

/* S_pack's bytes back into h (no walk yet): 0, or -1 when any of it does not hold. */
static int S_unpack(struct history *h, const unsigned char *p, size_t n)
{
	struct le_reader u = { p, p + n, 0 };
	size_t i, plen, run;

	h->ncommits = h->ccommits = S_ucount(&u, GIT_OID_RAWSZ + 48);
	h->commits = xcalloc(h->ncommits ? h->ncommits : 1, sizeof(*h->commits));
	for (i = 0; i < h->ncommits && !u.bad; i++) {
		struct hist_commit *c = &h->commits[i];
		uint64_t flags;
		memcpy(c->id.id, u.p, GIT_OID_RAWSZ);
		u.p += GIT_OID_RAWSZ;
		c->time = (long long)le_read(&u, 8);
		c->ctime = (long long)le_read(&u, 8);
		c->off = (int)(int64_t)le_read(&u, 8);
		c->ident0 = (size_t)le_read(&u, 8);
		c->nidents = (size_t)le_read(&u, 8);
		flags = le_read(&u, 8);
		c->content = (flags & 1) != 0;
		c->boundary = (flags & 2) != 0;
	}
	h->nidents_of = h->cidents_of = S_ucount(&u, 8);
	h->idents_of = xcalloc(h->nidents_of ? h->nidents_of : 1, sizeof(*h->idents_of));
	for (i = 0; i < h->nidents_of && !u.bad; i++)
		h->idents_of[i] = (size_t)le_read(&u, 8);
	h->nidents = h->cidents = S_ucount(&u, 24);
	h->idents = xcalloc(h->nidents ? h->nidents : 1, sizeof(*h->idents));
	for (i = 0; i < h->nidents && !u.bad; i++) {
		h->idents[i].name = S_ustr(h, &u);
		h->idents[i].email = S_ustr(h, &u);
		h->idents[i].raw = S_ustr(h, &u);
	}
	h->nfiles = h->cfiles = S_ucount(&u, 48);
	h->files = xcalloc(h->nfiles ? h->nfiles : 1, sizeof(*h->files));
	for (i = 0; i < h->nfiles && !u.bad; i++) {
		struct hist_file *f = &h->files[i];
		f->rel = S_ustr(h, &u);
		f->newest = S_uindex(&u, h->ncommits, 1);
		f->created = S_uindex(&u, h->ncommits, 1);
		f->boundary = S_uindex(&u, h->ncommits, 1);
		f->t0 = (size_t)le_read(&u, 8);
		f->nt = (size_t)le_read(&u, 8);
	}
	h->ntouch = h->ctouch = S_ucount(&u, 8);
	h->touch_commit = xcalloc(h->ntouch ? h->ntouch : 1, sizeof(*h->touch_commit));
	for (i = 0; i < h->ntouch && !u.bad; i++)
		h->touch_commit[i] = S_uindex(&u, h->ncommits, 0);
	plen = S_ucount(&u, 1);
	/* the paths end with their NUL: each change's offset must start one */
	if (!u.bad && plen && u.p[plen - 1] != '\0')
		u.bad = 1;
	if (!u.bad) {
		buf_reset(&h->change_paths);
		buf_put(&h->change_paths, u.p, plen);
		u.p += plen;
	}
	h->nchanges = h->cchanges = S_ucount(&u, 24 + 2 * GIT_OID_RAWSZ);
	h->changes = xcalloc(h->nchanges ? h->nchanges : 1, sizeof(*h->changes));
	for (i = 0, run = 0; i < h->nchanges && !u.bad; i++) {
		struct change *c = &h->changes[i];
		uint64_t flags;
		c->commit = S_uindex(&u, h->ncommits, 0);
		flags = le_read(&u, 8);
		c->added = (flags & 1) != 0;
		c->deleted = (flags & 2) != 0;
		c->path = (size_t)le_read(&u, 8);
		if (u.bad || c->path >= plen || (size_t)(u.end - u.p) < 2 * GIT_OID_RAWSZ + 8) {
			u.bad = 1;
			break;
		}
		memcpy(c->old_id.id, u.p, GIT_OID_RAWSZ);
		memcpy(c->new_id.id, u.p + GIT_OID_RAWSZ, GIT_OID_RAWSZ);
		u.p += 2 * GIT_OID_RAWSZ;
		c->pair = (long)(int64_t)le_read(&u, 8);
		/* sorted by commit (a search runs over them); a pair within its commit's run */
		if (i > 0 && c->commit < h->changes[i - 1].commit)
			u.bad = 1;
		if (i > 0 && c->commit != h->changes[i - 1].commit)
			run = i;
		if (c->pair < -1 || (c->pair >= 0 && (size_t)c->pair >= h->nchanges - run))
			u.bad = 1;
	}
	/* a pair's index must also stay within its run's end */
	for (run = 0; run < h->nchanges && !u.bad;) {
		size_t end = run, k;
		while (end < h->nchanges && h->changes[end].commit == h->changes[run].commit)
			end++;
		for (k = run; k < end; k++)
			if (h->changes[k].pair >= 0 && run + (size_t)h->changes[k].pair >= end)
				u.bad = 1;
		run = end;
	}
	/* every index within what it indexes */
	for (i = 0; i < h->ncommits && !u.bad; i++)
		if (h->commits[i].ident0 > h->nidents_of ||
		    h->commits[i].nidents > h->nidents_of - h->commits[i].ident0)
			u.bad = 1;
	for (i = 0; i < h->nidents_of && !u.bad; i++)
		if (h->idents_of[i] >= h->nidents)
			u.bad = 1;
	for (i = 0; i < h->nfiles && !u.bad; i++)
		if (h->files[i].t0 > h->ntouch || h->files[i].nt > h->ntouch - h->files[i].t0)
			u.bad = 1;
	if (u.bad || u.p != u.end) {
		S_unpack_drop(h);
		return -1;
	}
	for (i = 0; i < h->nidents; i++) {
		struct buf key = BUF_INIT;
		buf_printf(&key, "%s\n%s", h->idents[i].email, h->idents[i].raw);
		if (strmap_get(&h->ident_keys, buf_cstr(&key), -1) < 0)
			strmap_put(&h->ident_keys, arena_strdup(&h->arena, buf_cstr(&key)), (long)i);
		buf_release(&key);
	}
	for (i = 0; i < h->nfiles; i++)
		strmap_put(&h->by_rel, h->files[i].rel, (long)i);
	return 0;
}

/* What the walk from start read besides the objects: the site folder, the mailmap, libgit2. */
static void S_walk_key(struct history *h, const struct source *src, git_commit *start, struct buf *out)
{
	const struct source_file *f = source_find(src, ".mailmap");
	char hex[GIT_OID_HEXSZ + 1];
	int major = 0, minor = 0, rev = 0;

	git_libgit2_version(&major, &minor, &rev);
	git_oid_tostr(hex, sizeof(hex), git_commit_id(start));
	buf_printf(out, "jixia walk 1\nlibgit2 %d.%d.%d\nstart %s\nsub %s\n", major, minor, rev, hex, h->sub);
	/* the working tree's .mailmap when there is one (S_mailmap), else the start commit's */
	if (f) {
		buf_printf(out, "mailmap %zu\n", f->len);
		buf_put(out, f->data, f->len);
	}
}

int history_open(struct history **out, const struct source *src, git_repository **repo, int walk)
{
	return history_open_stored(out, src, repo, walk, NULL, NULL, NULL);
}

int history_open_stored(struct history **out, const struct source *src, git_repository **repo, int walk,
			const struct history_store *store, void (*hashed)(void *payload), void *payload)
{
	struct history *h = xcalloc(1, sizeof(*h));
	struct buf key = BUF_INIT, kept = BUF_INIT;
	git_commit *start = NULL;
	git_oid tree;
	int has_tree = 0, rc, stored = 0;

	*out = h;
	buf_init(&h->change_paths);
	git_libgit2_init();
	/*
	 * The walk reads objects from all over the packs: small windows, and
	 * few of them mapped at once, keep what it maps (else the whole pack,
	 * as large as the site's Markdown) out of the build's memory.
	 */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)1 << 20);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)8 << 20);
	/* jixia check only needs the repository for translated_from: no notices */
	rc = source_repo_open(repo, src->root);
	if (rc < 0) {
		if (walk && rc == GIT_ENOTFOUND)
			diag_report(DIAG_NOTICE, NULL, 0, 0,
				    "%s is not in a git repository: pages have no dates, authors or "
				    "translation status from history, and there is no /contributors/ page",
				    src->root);
		else if (walk)
			diag_report(DIAG_NOTICE, NULL, 0, 0,
				    "cannot open the git repository of %s (%s); "
				    "history is left out",
				    src->root, S_git_msg());
		return 0;
	}
	h->repo = *repo;
	if (S_subdir(h, src->root) < 0) {
		if (walk)
			diag_report(DIAG_NOTICE, NULL, 0, 0,
				    "%s is outside the working tree of its git "
				    "repository; history is left out",
				    src->root);
		h->repo = NULL;
		return 0;
	}
	h->content = arena_printf(&h->arena, "%scontent", h->sub);
	if (git_repository_odb(&h->odb, h->repo) < 0) {
		if (walk)
			diag_report(DIAG_NOTICE, NULL, 0, 0,
				    "cannot read the git object database (%s); "
				    "history is left out",
				    S_git_msg());
		h->repo = NULL;
		return 0;
	}
	start = S_start(h, src);
	S_mailmap(h, src, start);
	h->shallow = git_repository_is_shallow(h->repo) == 1;
	if (!walk)
		goto done;
	if (h->shallow)
		diag_report(DIAG_NOTICE, NULL, 0, 0,
			    "shallow clone: dates, authors and contributor points only cover the "
			    "commits fetched and are approximate (fetch the full history, e.g. "
			    "actions/checkout with fetch-depth: 0)");
	if (start)
		has_tree = S_content_tree(h, &tree, start);
	/* Before the walk, so that the parse workers beside it may free
	   each file once parsed (hashed: build.c) rather than after. */
	if (!src->commit[0]) {
		S_dirty(h, src, &tree, has_tree, store);
		if (hashed && !pool_cancelled())
			hashed(payload);
	}
	/* a walk kept from a run before, from the same commit with the same mailmap */
	if (start && store && !h->shallow) {
		S_walk_key(h, src, start, &key);
		stored = store->get(store->payload, key.ptr, key.len, &kept) == 0 &&
			 S_unpack(h, (const unsigned char *)kept.ptr, kept.len) == 0;
	}
	if (start && !stored && S_walk(h, start) < 0) {
		diag_report(DIAG_NOTICE, NULL, 0, 0,
			    "cannot read the git history (%s); "
			    "history is left out",
			    S_git_msg());
		h->ncommits = h->nfiles = h->ntouch = 0;
		h->dirty_known = 0; /* as without a walk */
		strmap_free(&h->dirty);
		goto done;
	}
	h->walked = 1;
	h->stored = stored;
	if (!stored)
		S_group(h);
	/* kept for the next run unless it said something (a later run would not) */
	if (!stored && key.len && !h->deep_noted && !h->sim_noted) {
		buf_reset(&kept);
		S_pack(h, &kept);
		store->put(store->payload, key.ptr, key.len, kept.ptr, kept.len);
	}
	S_index_commits(h);
	if (has_tree)
		git_oid_cpy(&h->tree, &tree);
	h->has_tree = has_tree;
	S_release_walk(h);
done:
	git_commit_free(start);
	buf_release(&key);
	buf_release(&kept);
	return 0;
}

/* --- pages ----------------------------------------------------------------- */

/* pg's file by path: a hash of the path and a comparison. */
static long S_page_file(const struct history *h, const struct page *pg)
{
	if (!str_starts(pg->path, "content/"))
		return -1;
	return strmap_get(&h->by_rel, pg->path + strlen("content/"), -1);
}

/*
 * Page i's file as the last index found it, when the page is the very
 * file read (its serial) that page i + *shift of that index was, or a
 * place a few pages from there (pages added or removed before it: *shift
 * follows them); else -2.
 */
static long S_index_memo(const struct history *h, const struct page *pg, size_t i, long *shift)
{
	uint64_t serial = pg->src ? pg->src->serial : 0;
	long d, at;

	if (!serial || h->index_files != h->by_rel.n)
		return -2;
	for (d = 0; d <= 8; d++) {
		/* *shift, then *shift + 1, - 1, + 2, ... */
		at = (long)i + *shift + (d & 1 ? (d + 1) / 2 : -(d / 2));
		if (at >= 0 && (size_t)at < h->nindex_memo && h->index_serial[at] == serial) {
			*shift = at - (long)i;
			return h->index_file[at];
		}
	}
	return -2;
}

void history_index_pages(struct history *h, const struct page *pages, size_t n)
{
	uint64_t *serial;
	size_t i;
	long f, shift = 0;

	if (!h)
		return;
	free(h->page_files);
	h->page_files = NULL;
	h->indexed = pages;
	h->nindexed = pages ? n : 0;
	if (!h->nindexed)
		return;
	h->page_files = xmalloc(n * sizeof(*h->page_files));
	serial = xmalloc(n * sizeof(*serial));
	h->index_looked = 0;
	for (i = 0; i < n; i++) {
		serial[i] = pages[i].src ? pages[i].src->serial : 0;
		if ((f = S_index_memo(h, &pages[i], i, &shift)) == -2) {
			f = S_page_file(h, &pages[i]);
			h->index_looked++;
		}
		h->page_files[i] = f;
	}
	/* kept for the next load's pages (the arrays outlive these) */
	free(h->index_serial);
	free(h->index_file);
	h->index_serial = serial;
	h->index_file = xmalloc(n * sizeof(*h->index_file));
	memcpy(h->index_file, h->page_files, n * sizeof(*h->index_file));
	h->nindex_memo = n;
	h->index_files = h->by_rel.n;
}

size_t history_index_looked(const struct history *h)
{
	return h ? h->index_looked : 0;
}

const struct hist_file *history_page_file(const struct history *h, const struct page *pg)
{
	long f;
	/* a page of the indexed array (as uintptr_t: pg may point into another) */
	if (h->nindexed && (uintptr_t)pg >= (uintptr_t)h->indexed &&
	    (uintptr_t)pg < (uintptr_t)(h->indexed + h->nindexed)) {
		f = h->page_files[pg - h->indexed];
		return f < 0 ? NULL : &h->files[f];
	}
	f = S_page_file(h, pg);
	return f < 0 ? NULL : &h->files[f];
}

static int S_dirty_page(const struct history *h, const struct page *pg)
{
	return h->dirty_known && str_starts(pg->path, "content/") &&
	       strmap_get(&h->dirty, pg->path + strlen("content/"), 0);
}

static const char *S_hex(struct site *site, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), id);
	return arena_strdup(&site->arena, hex);
}

/* The translation field, a top-level key or a dotted path ("l10n.sourceCommit"). */
static const struct ynode *S_translated_from(const struct site *site, const struct page *pg)
{
	const char *name = site->cfg->translated_from_field, *dot;
	const struct ynode *n = pg->front, *v = ynode_get(pg->front, name);
	char *key;

	if (v)
		return v;
	while (n && (dot = strchr(name, '.')) != NULL) {
		key = xstrndup(name, (size_t)(dot - name));
		n = ynode_get(n, key);
		free(key);
		name = dot + 1;
	}
	return n && n != pg->front ? ynode_get(n, name) : NULL;
}

/*
 * The commit a translation's field names: its index on the walked chain,
 * or -1 with *ctime its committer time when it is off the chain (a side
 * branch, beyond a shallow boundary). Returns -1 after a warning when the
 * value names no commit.
 */
static int S_pin(struct history *h, struct site *site, const struct page *pg, const struct ynode *v,
		 long *idx, long long *ctime, const char **hex)
{
	const char *field = site->cfg->translated_from_field;
	git_object *obj = NULL, *commit = NULL;
	git_oid id;
	size_t i;
	int rc = -1, err;

	if (v->kind != YNODE_SCALAR || v->len < 4 || v->len > GIT_OID_HEXSZ) {
		diag_warn(pg->path, v->line, v->col, "'%s' must be a commit id (4 to 40 hex digits)", field);
		return -1;
	}
	for (i = 0; i < v->len; i++)
		if (!strchr("0123456789abcdefABCDEF", v->str[i])) {
			diag_warn(pg->path, v->line, v->col, "'%s' must be a commit id (4 to 40 hex digits)",
				  field);
			return -1;
		}
	if (git_oid_fromstrn(&id, v->str, v->len) < 0)
		return -1;
	err = git_object_lookup_prefix(&obj, h->repo, &id, v->len, GIT_OBJECT_ANY);
	if (err == GIT_EAMBIGUOUS) {
		diag_warn(pg->path, v->line, v->col, "%s '%s' is ambiguous; give more digits", field, v->str);
		goto done;
	}
	if (err == GIT_ENOTFOUND && h->shallow)
		goto done; /* not fetched, most likely: the shallow clone's warning covers it */
	if (err < 0 || git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		diag_warn(pg->path, v->line, v->col,
			  "%s '%s' is not a commit of this repository; the translation's own last "
			  "commit is used instead",
			  field, v->str);
		goto done;
	}
	*idx = S_oid_get(&h->by_id, git_object_id(commit));
	*ctime = (long long)git_commit_time((git_commit *)commit);
	*hex = S_hex(site, git_object_id(commit));
	rc = 0;
done:
	git_object_free(commit);
	git_object_free(obj);
	return rc;
}

/* The page's default-language original, or NULL. */
static struct page *S_original(struct page *pg)
{
	struct page *t;
	for (t = pg->next_translation; t && t != pg; t = t->next_translation)
		if (t->lang->is_default)
			return t;
	return NULL;
}

/* The change of commit ci whose new path is path (under content/): its index in h->changes, or -1. */
static long S_change_of(const struct history *h, long ci, const char *path)
{
	size_t lo = 0, hi = h->nchanges, i;

	while (lo < hi) { /* the first change of ci: changes are sorted by commit */
		size_t mid = lo + (hi - lo) / 2;
		if (h->changes[mid].commit < ci)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < h->nchanges && h->changes[i].commit == ci; i++)
		if (!h->changes[i].deleted && strcmp(S_cpath(h, &h->changes[i]), path) == 0)
			return (long)i;
	return -1;
}

/*
 * The bytes of c, pg's newest change, from the working tree (src) rather
 * than the object database: the same bytes when the file is as HEAD has it
 * (not changed in the working tree) and c's blob is HEAD's. NULL when they
 * are not known to be.
 */
static const struct source_file *S_since_worktree(const struct history *h, const struct source *src,
						  const struct page *pg, const struct change *c)
{
	const struct source_file *f;
	long k;

	if (!src || !h->dirty_known || !h->head_read || S_dirty_page(h, pg))
		return NULL;
	k = strmap_get(&h->head_paths, pg->path + strlen("content/"), -1);
	if (k < 0 || !git_oid_equal(&h->head_ids[k], &c->new_id))
		return NULL;
	f = source_find(src, pg->path);
	return f && f->data ? f : NULL;
}

/*
 * Whether keep holds for version k (0: the newest) of pg's file, changed
 * by c: 1 or 0, or -1 when its blob could not be read (not kept: a read
 * error says nothing of the bytes). The bytes come from the working tree
 * when they are HEAD's (S_since_worktree), else from odb.
 */
static int S_version_holds(const struct history *h, git_odb *odb, const struct page *pg,
			   const struct change *c, size_t k,
			   int (*keep)(const char *src, size_t len, void *arg), void *arg,
			   const struct source *src)
{
	const struct source_file *wt;
	git_odb_object *obj = NULL;
	size_t size;
	git_object_t type;
	int ok;

	if (k == 0 && (wt = S_since_worktree(h, src, pg, c)) != NULL)
		return keep(wt->data, wt->len, arg) != 0;
	/* the size first: a blob over the Markdown cap is never read */
	if (git_odb_read_header(&size, &type, odb, &c->new_id) != 0)
		return -1;
	if (type != GIT_OBJECT_BLOB || size > SOURCE_MAX_MARKDOWN)
		return 0;
	if (git_odb_read(&obj, odb, &c->new_id) != 0)
		return -1;
	ok = keep(git_odb_object_data(obj), git_odb_object_size(obj), arg) != 0;
	git_odb_object_free(obj);
	return ok;
}

/*
 * history_since through odb, of the repository h->repo; src, when given,
 * has the working tree's files. name, when given, names keep and arg for
 * the blob memo (a version's answer is its blob's: taken from the memo
 * when it has it, else read and given to it).
 */
static long S_since_in(const struct history *h, git_odb *odb, const struct page *pg,
		       int (*keep)(const char *src, size_t len, void *arg), void *arg,
		       const struct source *src, const char *name)
{
	const struct hist_file *of = history_page_file(h, pg);
	const struct history_blob_memo *m = name && h->blob_memo.get ? &h->blob_memo : NULL;
	const char *path;
	long best = -1;
	size_t k;

	if (!of)
		return -1;
	path = of->rel;
	for (k = 0; k < of->nt; k++) {
		long ci = h->touch_commit[of->t0 + k], i = S_change_of(h, ci, path);
		const struct change *c;
		int ok;

		if (i < 0)
			break;
		c = &h->changes[i];
		ok = m ? m->get(m->payload, name, &c->new_id) : -1;
		if (ok < 0) {
			ok = S_version_holds(h, odb, pg, c, k, keep, arg, src);
			if (m && ok >= 0)
				m->put(m->payload, name, &c->new_id, ok);
		}
		if (ok <= 0)
			break;
		best = ci;
		if (c->added && c->pair < 0)
			break;  /* the file was added here */
		if (c->added) { /* a rename: follow the old name, as S_versions does */
			size_t run = (size_t)i;
			while (run > 0 && h->changes[run - 1].commit == ci)
				run--;
			path = S_cpath(h, &h->changes[run + (size_t)c->pair]);
		}
	}
	return best;
}

void history_set_blob_memo(struct history *h, const struct history_blob_memo *m)
{
	if (h)
		memset(&h->blob_memo, 0, sizeof(h->blob_memo));
	if (h && m)
		h->blob_memo = *m;
}

/* history_since, with the blob memo when name names keep and arg. */
static long S_since(const struct history *h, const struct page *pg,
		    int (*keep)(const char *src, size_t len, void *arg), void *arg, const char *name)
{
	git_odb *odb = NULL;
	long best;

	/* the walk's own handle is given back when it ends (S_release_walk):
	   the repository's, opened again for these few blobs */
	if (!history_page_file(h, pg) || !h->repo || git_repository_odb(&odb, h->repo) < 0)
		return -1;
	best = S_since_in(h, odb, pg, keep, arg, NULL, name);
	git_odb_free(odb);
	return best;
}

long history_since(const struct history *h, const struct page *pg,
		   int (*keep)(const char *src, size_t len, void *arg), void *arg)
{
	return S_since(h, pg, keep, arg, NULL);
}

/* The answers kept are the walk's: one that grew (more commits) has other ones. */
static void S_since_fresh(struct history *h)
{
	if (h->since_ncommits != h->ncommits) {
		strmap_free(&h->since_keys);
		h->nsince = 0;
		h->since_ncommits = h->ncommits;
	}
}

/* Keeps answer ci under key (copied) for as long as h lives; its index in since_ci. */
static long S_since_put(struct history *h, const char *key, long ci)
{
	ARRAY_GROW(h->since_ci, h->nsince, h->csince, 64);
	h->since_ci[h->nsince] = ci;
	h->since_read++;
	strmap_put(&h->since_keys, arena_strdup(&h->arena, key), (long)h->nsince);
	return (long)h->nsince++;
}

size_t history_since_read(const struct history *h)
{
	return h ? h->since_read : 0;
}

long history_since_kept(struct history *h, const struct page *pg,
			int (*keep)(const char *src, size_t len, void *arg), void *arg, const char *name)
{
	const struct hist_file *of = h ? history_page_file(h, pg) : NULL;
	struct buf key = BUF_INIT;
	long got;

	if (!of)
		return -1;
	S_since_fresh(h);
	buf_printf(&key, "%s\n%s", name, of->rel);
	got = strmap_get(&h->since_keys, buf_cstr(&key), -1);
	if (got < 0)
		got = S_since_put(h, buf_cstr(&key), S_since(h, pg, keep, arg, name));
	buf_release(&key);
	return h->since_ci[got];
}

/* history_since_all's pages not kept yet, read on the pool: an object database per worker. */
struct since_run {
	const struct history *h;
	const struct page **pages;
	int (*keep)(const char *src, size_t len, void *arg);
	void *const *args;
	const char *const *names; /* for the blob memo */
	long *out;
	git_odb **odbs; /* per worker, opened at its first page */
	int *failed;    /* per worker: its database did not open */
	const char *objects;
	const struct source *src; /* the working tree's files, or NULL */
};

#define S_SINCE_UNREAD LONG_MIN /* a page the pool did not read (cancelled, no database) */

static void S_since_job(size_t i, int worker, void *payload)
{
	struct since_run *r = payload;
	if (!r->odbs[worker] && !r->failed[worker] && git_odb_open(&r->odbs[worker], r->objects) < 0)
		r->failed[worker] = 1;
	if (r->odbs[worker])
		r->out[i] = S_since_in(r->h, r->odbs[worker], r->pages[i], r->keep, r->args[i], r->src,
				       r->names[i]);
}

void history_since_all(struct history *h, const struct page *const *pages, size_t n,
		       int (*keep)(const char *src, size_t len, void *arg), void *const *args,
		       const char *const *names, const struct source *src, int jobs)
{
	struct since_run r;
	struct buf key = BUF_INIT, objects = BUF_INIT;
	char **keys;
	const struct page **asked;
	void **asked_args;
	const char **asked_names;
	const char *common;
	size_t i, m = 0;
	int w;

	if (!h || !h->repo || !n)
		return;
	S_since_fresh(h);
	keys = xcalloc(n, sizeof(*keys));
	asked = xcalloc(n, sizeof(*asked));
	asked_args = xcalloc(n, sizeof(*asked_args));
	asked_names = xcalloc(n, sizeof(*asked_names));
	for (i = 0; i < n; i++) {
		const struct hist_file *of = history_page_file(h, pages[i]);
		if (!of)
			continue;
		buf_reset(&key);
		buf_printf(&key, "%s\n%s", names[i], of->rel);
		if (strmap_get(&h->since_keys, buf_cstr(&key), -1) >= 0)
			continue;
		keys[m] = xstrdup(buf_cstr(&key));
		asked[m] = pages[i];
		asked_names[m] = names[i];
		asked_args[m++] = args[i];
	}
	memset(&r, 0, sizeof(r));
	r.h = h;
	r.src = src;
	r.pages = asked;
	r.keep = keep;
	r.args = asked_args;
	r.names = asked_names;
	r.out = xmalloc((m ? m : 1) * sizeof(*r.out));
	for (i = 0; i < m; i++)
		r.out[i] = S_SINCE_UNREAD;
	jobs = jobs < 1 ? 1 : jobs;
	r.odbs = xcalloc((size_t)jobs, sizeof(*r.odbs));
	r.failed = xcalloc((size_t)jobs, sizeof(*r.failed));
	common = git_repository_commondir(h->repo);
	buf_printf(&objects, "%s%sobjects", common, str_ends(common, "/") ? "" : "/");
	r.objects = buf_cstr(&objects);
	if (m)
		pool_run(jobs, m, S_since_job, &r);
	for (w = 0; w < jobs; w++)
		git_odb_free(r.odbs[w]);
	/* kept in the order asked; one the pool did not read is read here */
	for (i = 0; i < m; i++) {
		long ci = r.out[i] != S_SINCE_UNREAD
				  ? r.out[i]
				  : S_since(h, asked[i], keep, asked_args[i], asked_names[i]);
		S_since_put(h, keys[i], ci);
		free(keys[i]);
	}
	free(r.out);
	free(r.odbs);
	free(r.failed);
	free(keys);
	free(asked);
	free(asked_args);
	free(asked_names);
	buf_release(&key);
	buf_release(&objects);
}

/*
 * The original's versions for `jixia l10n --diff`: at its newest change
 * (head) and just before the oldest change counted (last, an index into
 * its changes), the version the translation follows. The walk keeps no
 * path per change, so the path is followed back through the renames of
 * the changes in between.
 */
static void S_versions(struct history *h, struct site *site, struct outdated *o, const struct hist_file *of,
		       size_t last)
{
	char hex[GIT_OID_HEXSZ + 1];
	const char *path = of->rel;
	const struct change *c;
	size_t k;
	long i;

	o->head_path = arena_printf(&site->arena, "%scontent/%s", h->sub, of->rel);
	for (k = 0; k <= last; k++) {
		long ci = h->touch_commit[of->t0 + k];
		if ((i = S_change_of(h, ci, path)) < 0)
			return; /* cannot happen: each change of a file is a change of its path */
		c = &h->changes[i];
		if (k == 0)
			o->head_blob =
				arena_strdup(&site->arena, git_oid_tostr(hex, sizeof(hex), &c->new_id));
		if (c->added && c->pair < 0)
			return; /* added after the version followed: there was none */
		if (c->added) { /* a rename: the run of commit ci starts at i - (i's place in it) */
			size_t run = (size_t)i;
			while (run > 0 && h->changes[run - 1].commit == ci)
				run--;
			c = &h->changes[run + (size_t)c->pair];
			path = S_cpath(h, c);
		}
		if (k == last) {
			o->base_path = arena_printf(&site->arena, "%scontent/%s", h->sub, path);
			o->base_blob =
				arena_strdup(&site->arena, git_oid_tostr(hex, sizeof(hex), &c->old_id));
		}
	}
}

/*
 * A translation is outdated when its original changed in a commit after
 * the one it follows: its translated_from, else its own last commit.
 */
static void S_outdated(struct history *h, struct site *site, struct page *pg, int host)
{
	struct page *orig;
	const struct hist_file *of, *tf;
	const struct ynode *v;
	struct outdated *o;
	const char *base = NULL;
	long b = -1, k;
	long long ctime = 0;
	size_t count = 0, last = 0;

	/* most pages are originals: no field to look up, no file */
	if (pg->lang->is_default || !(orig = S_original(pg)))
		return;
	tf = history_page_file(h, pg);
	v = S_translated_from(site, pg);
	if (!v || (ynode_is_null(v) && v->plain) || S_pin(h, site, pg, v, &b, &ctime, &base) < 0) {
		base = NULL;
		b = tf ? tf->newest : -1;
		if (b < 0)
			return; /* never committed: as new as it gets */
		base = S_hex(site, &h->commits[b].id);
	}
	of = history_page_file(h, orig);
	if (!of || !of->nt)
		return;
	for (k = 0; k < (long)of->nt; k++) {
		long c = h->touch_commit[of->t0 + (size_t)k];
		if (b >= 0 ? c < b : h->commits[c].ctime > ctime) {
			count++;
			last = (size_t)k;
		}
	}
	if (!count)
		return;
	o = arena_alloc(&site->arena, sizeof(*o));
	memset(o, 0, sizeof(*o));
	o->original = orig;
	o->count = count;
	o->date = h->commits[h->touch_commit[of->t0]].time;
	o->date_off = h->commits[h->touch_commit[of->t0]].off;
	o->base = base;
	o->head = S_hex(site, &h->commits[h->touch_commit[of->t0]].id);
	S_versions(h, site, o, of, last);
	o->diff_url = forge_diff_url(site, host, o->base, o->head, o->head_path);
	pg->outdated = o;
}

/* --- the stage ------------------------------------------------------------- */

/*
 * When a page with uncommitted edits was edited: its file's modification
 * time, or the build's time (now) when that is later or unknown. Not the
 * clock itself: a page edited once keeps its date through every later
 * rebuild (serve) and cold build of the same tree, so its lists and feeds
 * are not made again each time, and a build is repeatable.
 */
static long long S_edit_time(const struct site *site, const struct page *pg)
{
	long long m = pg->src ? pg->src->mtime : 0;
	return m > 0 && m < site->now ? m : site->now;
}

static void S_page_dates(const struct history *h, const struct site *site, struct page *pg,
			 const struct hist_file *f, int dirty)
{
	if (f) {
		if (f->newest >= 0) {
			pg->updated = h->commits[f->newest].time;
			pg->updated_off = h->commits[f->newest].off;
		}
		if (f->created >= 0) {
			pg->created = h->commits[f->created].time;
			pg->created_off = h->commits[f->created].off;
		} else if (f->boundary >= 0) { /* the oldest commit a shallow clone has */
			pg->created = h->commits[f->boundary].time;
			pg->created_off = h->commits[f->boundary].off;
		}
		pg->ncommits = f->nt;
	}
	if (dirty && site->now >= 0) {
		long long t = S_edit_time(site, pg);
		if (pg->updated == LLONG_MIN || t > pg->updated) {
			pg->updated = t;
			pg->updated_off = 0;
		}
		if (pg->created == LLONG_MIN) {
			pg->created = t;
			pg->created_off = 0;
		}
	}
}

/*
 * Where the file at rel (under content/) went: each rename of it, newest
 * first, followed to a path no later rename moved on; NULL when it was
 * never renamed. byold maps a renamed path to its newest rename's deleted
 * half.
 */
static const char *S_moved(const struct history *h, const struct strmap *byold, const char *rel)
{
	const char *path = rel;
	long before = LONG_MAX, i;
	int hops = 0;

	while ((i = strmap_get(byold, path, -1)) >= 0 && h->changes[i].commit < before && hops++ < 64) {
		const struct change *c = &h->changes[i];
		size_t run = (size_t)i;
		while (run > 0 && h->changes[run - 1].commit == c->commit)
			run--;
		before = c->commit;
		path = S_cpath(h, &h->changes[run + (size_t)c->pair]);
	}
	return path == rel ? NULL : path;
}

/*
 * Translations whose original is gone (a page in another language with no
 * page of the default language beside it): when the original was renamed
 * to a page that is there, page->original_moved says where, for
 * `jixia l10n` and /l10n/ to tell the translator.
 */
static void S_orphans(struct history *h, struct site *site)
{
	struct strmap byold;
	struct buf full = BUF_INIT;
	size_t i;

	memset(&byold, 0, sizeof(byold));
	/* changes are sorted newest commit first: the first rename of a path is its newest */
	for (i = h->nchanges; i-- > 0;)
		if (h->changes[i].deleted && h->changes[i].pair >= 0)
			strmap_put(&byold, S_cpath(h, &h->changes[i]), (long)i);
	for (i = 0; byold.n && i < site->npages; i++) {
		struct page *pg = &site->pages[i];
		const char *orig, *to;
		const struct page *there;
		if (pg->lang->is_default || page_in_lang(pg, site->cfg->default_lang))
			continue;
		orig = model_original_path(site, pg);
		if (!(to = S_moved(h, &byold, orig + strlen("content/"))))
			continue;
		buf_reset(&full);
		buf_printf(&full, "content/%s", to);
		there = model_page_at(site, full.ptr, full.len);
		if (there && there->lang->is_default)
			pg->original_moved = there->path;
	}
	buf_release(&full);
	strmap_free(&byold);
}

/*
 * Per page of site, 1 when the working tree changed its file (S_dirty_page):
 * the few changed files found among the pages, not every page's path
 * hashed. NULL when none changed.
 */
static unsigned char *S_dirty_pages(const struct history *h, const struct site *site)
{
	struct buf path = BUF_INIT;
	unsigned char *v = NULL;
	const struct page *pg;
	size_t i;

	if (!h->dirty_known || !h->dirty.n || !site->npages)
		return NULL;
	v = xcalloc(site->npages, 1);
	for (i = 0; i < h->dirty.cap; i++) {
		if (!h->dirty.v[i].key || !h->dirty.v[i].val)
			continue;
		buf_reset(&path);
		buf_printf(&path, "content/%s", h->dirty.v[i].key);
		if ((pg = model_page_at(site, path.ptr, path.len)) != NULL)
			v[pg - site->pages] = 1;
	}
	buf_release(&path);
	return v;
}

/*
 * serve's pages' edit and history addresses from load to load. They are
 * made of the forge's part before the path (the same while site.yaml's
 * repository, its branch and the site's folder are) and the path, and live
 * in the memo's own arena, never freed before the memo: a page of any site
 * still served may point into it. A page at the same place whose file is
 * the same read (its source serial: the same serial is the same path,
 * source.h) takes them without its path read; another finds its path's by
 * name, or makes them (an entry per path ever seen: a new prefix starts
 * them all again, the old strings left in the arena for the sites that
 * hold them).
 */
struct history_memo {
	struct buf edit, hist; /* the parts before the path the entries were made with */
	struct arena arena;    /* the addresses (and the paths, as by_path's keys) */
	struct strmap by_path; /* path -> index in ent */
	struct memo_urls {
		const char *edit, *hist;
	} * ent;
	size_t nent, cap;
	uint64_t *serials; /* the last load's pages' source serials, by place */
	size_t *ent_of;    /* and their entries */
	size_t n;
};

void history_memo_free(struct history_memo *m)
{
	if (!m)
		return;
	buf_release(&m->edit);
	buf_release(&m->hist);
	strmap_free(&m->by_path);
	arena_release(&m->arena);
	free(m->ent);
	free(m->serials);
	free(m->ent_of);
	free(m);
}

/* Each page's addresses from *memo (made on first use); returns how many pages were not at their place. */
static size_t S_urls_kept(struct site *site, struct forge_files *urls, struct history_memo **memo)
{
	struct history_memo *m = *memo;
	uint64_t *serials;
	size_t *ent_of, i, looked = 0;

	if (!m) {
		m = *memo = xcalloc(1, sizeof(*m));
		buf_init(&m->edit);
		buf_init(&m->hist);
	}
	if (m->edit.len != urls->nedit || memcmp(m->edit.ptr, urls->edit.ptr, urls->nedit) != 0 ||
	    m->hist.len != urls->nhist || memcmp(m->hist.ptr, urls->hist.ptr, urls->nhist) != 0) {
		/* another forge address: every entry made again (the arena stays) */
		strmap_free(&m->by_path);
		m->nent = 0;
		m->n = 0;
		buf_reset(&m->edit);
		buf_reset(&m->hist);
		buf_put(&m->edit, urls->edit.ptr, urls->nedit);
		buf_put(&m->hist, urls->hist.ptr, urls->nhist);
	}
	serials = xmalloc((site->npages ? site->npages : 1) * sizeof(*serials));
	ent_of = xmalloc((site->npages ? site->npages : 1) * sizeof(*ent_of));
	for (i = 0; i < site->npages; i++) {
		struct page *pg = &site->pages[i];
		uint64_t serial = pg->src ? pg->src->serial : 0;
		long e;
		if (serial && i < m->n && m->serials[i] == serial) {
			e = (long)m->ent_of[i];
		} else {
			looked++;
			if ((e = strmap_get(&m->by_path, pg->path, -1)) < 0) {
				ARRAY_GROW(m->ent, m->nent, m->cap, 256);
				e = (long)m->nent++;
				m->ent[e].edit = forge_files_url_in(urls, &m->arena, pg->path, 'e');
				m->ent[e].hist = forge_files_url_in(urls, &m->arena, pg->path, 'h');
				strmap_put(&m->by_path, arena_strdup(&m->arena, pg->path), e);
			}
		}
		pg->edit_url = m->ent[e].edit;
		pg->history_url = m->ent[e].hist;
		serials[i] = serial;
		ent_of[i] = (size_t)e;
	}
	free(m->serials);
	free(m->ent_of);
	m->serials = serials;
	m->ent_of = ent_of;
	m->n = site->npages;
	return looked;
}

void history_apply(struct history *h, struct site *site)
{
	history_apply_kept(h, site, NULL);
}

size_t history_apply_kept(struct history *h, struct site *site, struct history_memo **memo)
{
	size_t i, made = site->npages;
	int host = forge_host(site->cfg);
	const char *sub = h->sub ? h->sub : "";
	struct forge_files urls;
	unsigned char *dirty;

	forge_files_init(&urls, site, host, sub);
	for (i = 0; i < site->npages; i++)
		site->pages[i].created = site->pages[i].updated = LLONG_MIN;
	if (memo && host != FORGE_NONE) {
		made = S_urls_kept(site, &urls, memo);
	} else {
		for (i = 0; i < site->npages; i++) {
			struct page *pg = &site->pages[i];
			pg->edit_url = forge_files_url(&urls, site, pg->path, 'e');
			pg->history_url = forge_files_url(&urls, site, pg->path, 'h');
		}
	}
	forge_files_release(&urls);
	if (!h->repo)
		return made;
	dirty = S_dirty_pages(h, site);
	for (i = 0; i < site->npages; i++)
		S_page_dates(h, site, &site->pages[i], history_page_file(h, &site->pages[i]),
			     dirty && dirty[i]);
	free(dirty);
	for (i = 0; i < site->npages; i++)
		S_outdated(h, site, &site->pages[i], host);
	S_orphans(h, site);
	site->history = h->walked;
	return made;
}

int history_diff(struct buf *out, const struct source *src, const struct outdated *o)
{
	git_repository *repo = NULL;
	git_blob *old = NULL, *new = NULL;
	git_patch *patch = NULL;
	git_buf text = { NULL, 0, 0 };
	git_oid id;
	int rc = -1;

	git_libgit2_init();
	/* the blobs the walk saw: no checkout, no tree read again */
	if (git_repository_open_ext(&repo, src->root, 0, NULL) < 0 ||
	    (o->base_blob &&
	     (git_oid_fromstr(&id, o->base_blob) < 0 || git_blob_lookup(&old, repo, &id) < 0)) ||
	    !o->head_blob || git_oid_fromstr(&id, o->head_blob) < 0 || git_blob_lookup(&new, repo, &id) < 0 ||
	    git_patch_from_blobs(&patch, old, o->base_path ? o->base_path : o->head_path, new, o->head_path,
				 NULL) < 0 ||
	    git_patch_to_buf(&text, patch) < 0) {
		diag_error(NULL, 0, 0, "cannot read %s from the git repository (%s)", o->head_path,
			   S_git_msg());
		goto done;
	}
	buf_put(out, text.ptr, text.size);
	rc = 0;
done:
	git_buf_dispose(&text);
	git_patch_free(patch);
	git_blob_free(old);
	git_blob_free(new);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}

void history_found(const struct history *h, struct hist_found *out)
{
	out->read = h->repo != NULL;
	out->commits = h->commits;
	out->ncommits = h->ncommits;
	out->idents_of = h->idents_of;
	out->idents = h->idents;
	out->nidents = h->nidents;
	out->touch_commit = h->touch_commit;
}

size_t history_hashed(const struct history *h)
{
	return h ? h->hashed : 0;
}

int history_stored(const struct history *h)
{
	return h && h->stored;
}

size_t history_commits(const struct history *h)
{
	return h->ncommits;
}

size_t history_compared(const struct history *h)
{
	return h->compared;
}

size_t history_files(const struct history *h)
{
	return h->nfiles;
}

void history_free(struct history *h)
{
	if (!h)
		return;
	git_mailmap_free(h->mailmap);
	git_odb_free(h->odb);
	git_libgit2_shutdown();
	strmap_free(&h->paths);
	strmap_free(&h->by_rel);
	strmap_free(&h->ident_keys);
	strmap_free(&h->dirty);
	strmap_free(&h->head_paths);
	free(h->head_ids);
	strmap_free(&h->seen);
	free(h->seen_v);
	free(h->by_id.v);
	free(h->commits);
	free(h->idents_of);
	free(h->idents);
	free(h->files);
	free(h->touch_file);
	free(h->touch_commit);
	free(h->changes);
	buf_release(&h->change_paths);
	strmap_free(&h->since_keys);
	free(h->since_ci);
	free(h->page_files);
	free(h->index_serial);
	free(h->index_file);
	free(h->sub);
	arena_release(&h->arena);
	free(h);
}
