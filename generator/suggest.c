/*
 * suggest: the nearest candidate to a name that matched nothing. Each name
 * is case-folded (NFKC) once, into code points, and its key is the letters,
 * marks and digits of that (so Zhang_Wei and zhang-wei have one key). Two
 * names are compared by the optimal string alignment distance of their
 * keys, computed in a band of width 2d+1 that gives up as soon as a row
 * exceeds d: names are at most SUGGEST_MAX_LEN code points, so a
 * comparison costs at most SUGGEST_MAX_LEN * (2d+1) steps.
 *
 * Most candidates are never compared. The set is kept in order of key
 * length, so only keys as long as the name's give or take the bound are
 * looked at; each key has a 64-bit mask of its code points and one of its
 * pairs of neighbours, which give a lower bound on the distance in a few
 * instructions; and the distances are tried nearest first (0, 1, 2...),
 * so most questions end with one edit, where the bounds prune hardest.
 * 10,000 ids and 1,000 references to ids that do not exist cost about
 * 0.05 s.
 *
 * What a whole run may spend is bounded too (S_BUDGET): a page with 60,000
 * headings and 60,000 links to ids it lacks would otherwise compare each
 * link with each heading. Past the budget no more suggestions are made;
 * the stages that ask run on one thread, so where that happens is the same
 * from run to run.
 */
#include "suggest.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* Bytes of a name that are folded: SUGGEST_MAX_LEN code points of any script and then some. */
#define S_MAX_BYTES (SUGGEST_MAX_LEN * 8)

/*
 * Units of work (about a candidate looked at, or 16 steps of a comparison)
 * for one run, a few tenths of a second: 10,000 ids and 1,000 references
 * to ids that do not exist spend 12 % of it.
 */
#define S_BUDGET ((size_t)50000000)

static atomic_size_t S_budget = S_BUDGET;

struct suggest_entry {
	const char *shown;
	size_t fold, key; /* offsets of the folded name and its key in cp */
	int nfold, nkey;
	uint64_t mask;  /* a bit per code point of the key (hashed) */
	uint64_t pairs; /* a bit per pair of neighbours in the key, its ends included */
};

/* A name folded for comparison, in place. */
struct name {
	int32_t fold[SUGGEST_MAX_LEN], key[SUGGEST_MAX_LEN];
	int nfold, nkey;
	uint64_t mask, pairs;
};

/* Takes units from the run's budget: 0 when it is spent. */
static int S_spend(size_t units)
{
	size_t left = atomic_load(&S_budget);
	while (left >= units)
		if (atomic_compare_exchange_weak(&S_budget, &left, left - units))
			return 1;
	atomic_store(&S_budget, 0);
	return 0;
}

size_t suggest_set_budget(size_t units)
{
	return atomic_exchange(&S_budget, units);
}

static uint64_t S_bit(int32_t c)
{
	return (uint64_t)1 << (((uint32_t)c * 2654435761u) >> 26);
}

/* A pair's bit; -1 stands for either end of the key. */
static uint64_t S_pair_bit(int32_t a, int32_t b)
{
	return (uint64_t)1
	       << ((((uint32_t)a * 2654435761u) ^ ((uint32_t)b * 40503u + 0x9e3779b9u)) * 2246822519u >> 26);
}

/* Letters, marks and digits: what a key keeps. */
static int S_keeps(int32_t c)
{
	utf8proc_category_t k = utf8proc_category(c);
	return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_NO;
}

static void S_name(struct name *out, const char *s)
{
	size_t n = strnlen(s, S_MAX_BYTES + 1);
	utf8proc_uint8_t *f = NULL;
	utf8proc_ssize_t m, i, k;
	int32_t c;

	out->nfold = out->nkey = 0;
	out->mask = out->pairs = 0;
	if (n > S_MAX_BYTES) /* cut at a character's start */
		for (n = S_MAX_BYTES; n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80; n--)
			;
	m = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &f,
			 UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
				 UTF8PROC_IGNORE);
	for (i = 0; i < (m < 0 ? (utf8proc_ssize_t)n : m) && out->nfold < SUGGEST_MAX_LEN; i += k) {
		if (m < 0) { /* not UTF-8 (site.yaml and content never are): bytes */
			c = (unsigned char)s[i];
			k = 1;
		} else if ((k = utf8proc_iterate(f + i, m - i, &c)) <= 0) {
			break;
		}
		out->fold[out->nfold++] = c;
		if (S_keeps(c))
			out->key[out->nkey++] = c;
	}
	free(f);
	if (out->nkey == 0) { /* all punctuation: the key is the name */
		memcpy(out->key, out->fold, (size_t)out->nfold * sizeof(*out->key));
		out->nkey = out->nfold;
	}
	for (i = 0; i < out->nkey; i++)
		out->mask |= S_bit(out->key[i]);
	for (i = 0; i <= out->nkey; i++)
		out->pairs |= S_pair_bit(i ? out->key[i - 1] : -1, i < out->nkey ? out->key[i] : -1);
}

/*
 * The optimal string alignment distance of a (m) and b (n) when it is at
 * most k, else k + 1. Only the band |i - j| <= k of the table is filled,
 * and a row whose every cell is over k ends it.
 */
static int S_osa(const int32_t *a, int m, const int32_t *b, int n, int k)
{
	int rows[3][SUGGEST_MAX_LEN + 2];
	int *p2 = rows[0], *p = rows[1], *c = rows[2], *t;
	int big = k + 1, i, j;

	if (m - n > k || n - m > k)
		return big;
	for (j = 0; j <= n; j++)
		p[j] = j <= k ? j : big;
	for (i = 1; i <= m; i++) {
		int lo = i - k > 1 ? i - k : 1, hi = i + k < n ? i + k : n, best;
		c[0] = i <= k ? i : big;
		if (lo > 1)
			c[lo - 1] = big;
		best = c[0];
		for (j = lo; j <= hi; j++) {
			int v = p[j - 1] + (a[i - 1] != b[j - 1]);
			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    p2[j - 2] + 1 < v)
				v = p2[j - 2] + 1;
			c[j] = v < big ? v : big;
			if (c[j] < best)
				best = c[j];
		}
		if (hi < n)
			c[hi + 1] = big;
		if (best > k)
			return big;
		t = p2;
		p2 = p;
		p = c;
		c = t;
	}
	return p[n] < big ? p[n] : big;
}

/*
 * How far a name of n key code points may be from a suggestion: a third
 * of a short name, a quarter of a long one (paths share long tails, like
 * atom.xml, that make different names look near), at most SUGGEST_MAX_DIST.
 */
static int S_bound(int n)
{
	if (n < 2)
		return 0; /* only a match by case and punctuation */
	if (n < 6)
		return 1;
	if (n < 9)
		return 2;
	return n / 4 > SUGGEST_MAX_DIST ? SUGGEST_MAX_DIST : n / 4;
}

static int S_popcount(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555u);
	x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
	return (int)((x * 0x0101010101010101u) >> 56);
}

void suggest_add(struct suggest *s, const char *name, const char *shown)
{
	struct name nm;
	struct suggest_entry *e;

	if (!name[0] || !S_spend(1))
		return;
	S_name(&nm, name);
	ARRAY_GROW(s->v, s->n, s->cap, 16);
	if (s->ncp + (size_t)(nm.nfold + nm.nkey) > s->capcp) {
		s->capcp = s->capcp ? s->capcp * 2 : 256;
		if (s->capcp < s->ncp + 2 * SUGGEST_MAX_LEN)
			s->capcp = s->ncp + 2 * SUGGEST_MAX_LEN;
		s->cp = xrealloc(s->cp, s->capcp * sizeof(*s->cp));
	}
	e = &s->v[s->n++];
	e->shown = shown;
	e->fold = s->ncp;
	e->nfold = nm.nfold;
	memcpy(s->cp + s->ncp, nm.fold, (size_t)nm.nfold * sizeof(*s->cp));
	s->ncp += (size_t)nm.nfold;
	e->key = s->ncp;
	e->nkey = nm.nkey;
	memcpy(s->cp + s->ncp, nm.key, (size_t)nm.nkey * sizeof(*s->cp));
	s->ncp += (size_t)nm.nkey;
	e->mask = nm.mask;
	e->pairs = nm.pairs;
}

static int S_len_cmp(const void *a, const void *b)
{
	const struct suggest_entry *x = a, *y = b;
	return x->nkey < y->nkey ? -1 : x->nkey > y->nkey;
}

/* The distance of the folded names (not only the keys): decides between equally near keys. */
static int S_fold_dist(const struct suggest *s, const struct suggest_entry *e, const struct name *t)
{
	if (!S_spend((size_t)(t->nfold * e->nfold) / 16 + 1))
		return SUGGEST_MAX_LEN + 1;
	return S_osa(t->fold, t->nfold, s->cp + e->fold, e->nfold, SUGGEST_MAX_LEN);
}

/*
 * A lower bound on the distance of two keys from their masks: a code point
 * one has and the other lacks costs an edit; an edit makes or breaks at
 * most three pairs of neighbours (a transposition: ab bc cd against ac cb
 * bd). Bits stand for many code points or pairs, so they undercount.
 */
static int S_lower_bound(const struct name *t, const struct suggest_entry *e)
{
	int a = S_popcount(t->mask & ~e->mask), b = S_popcount(e->mask & ~t->mask);
	int p = S_popcount(t->pairs & ~e->pairs), q = S_popcount(e->pairs & ~t->pairs);
	int lb = a > b ? a : b;
	p = (p > q ? p : q) + 2;
	return p / 3 > lb ? p / 3 : lb;
}

/*
 * True when d edits are at most half of the part of two keys that differs
 * (what is left between their common start and their common end): paths
 * share long starts and ends, and /assets/nope.png is not /assets/logo.png
 * however little the rest of them differs.
 */
static int S_local_enough(const int32_t *a, int m, const int32_t *b, int n, int d)
{
	int pre = 0, suf = 0, most = m < n ? m : n;
	while (pre < most && a[pre] == b[pre])
		pre++;
	while (suf < most - pre && a[m - 1 - suf] == b[n - 1 - suf])
		suf++;
	return 2 * d <= (m > n ? m : n) - pre - suf + 1;
}

/* A candidate that may be near enough: its index, and the least distance it can have. */
struct suggest_near {
	size_t i;
	int lb;
};

/*
 * The best of the near candidates exactly d edits from t (none is nearer):
 * the nearest folded name, then the smallest shown bytewise. *spent is set
 * when the budget ran out.
 */
static const struct suggest_entry *
S_scan(const struct suggest *s, const struct name *t, const char *typo, int d, int *spent)
{
	const struct suggest_entry *best = NULL;
	size_t i;
	int bf = -1, f;

	for (i = 0; i < s->nnear; i++) {
		const struct suggest_entry *e = &s->v[s->near[i].i];
		if (s->near[i].lb > d || e->nkey < t->nkey - d || e->nkey > t->nkey + d)
			continue;
		if (!S_spend((size_t)(t->nkey * (2 * d + 1)) / 16 + 1)) {
			*spent = 1;
			return NULL;
		}
		if (S_osa(t->key, t->nkey, s->cp + e->key, e->nkey, d) > d ||
		    !S_local_enough(t->key, t->nkey, s->cp + e->key, e->nkey, d) ||
		    strcmp(e->shown, typo) == 0)
			continue;
		if (best) {
			if (bf < 0)
				bf = S_fold_dist(s, best, t);
			f = S_fold_dist(s, e, t);
			if (f > bf || (f == bf && strcmp(e->shown, best->shown) >= 0))
				continue;
			bf = f;
		}
		best = e;
	}
	return best;
}

/* The first entry whose key is longer than n code points (s->n when none is). */
static size_t S_first_longer(const struct suggest *s, int n)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->v[mid].nkey <= n)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const char *suggest_best(struct suggest *s, const char *typo)
{
	const struct suggest_entry *best = NULL;
	struct name t;
	size_t lo, end;
	int k, d, spent = 0;

	if (s->n == 0)
		return NULL;
	if (s->sorted != s->n) {
		qsort(s->v, s->n, sizeof(*s->v), S_len_cmp);
		s->sorted = s->n;
		free(s->near);
		s->near = xmalloc(s->n * sizeof(*s->near));
	}
	if (atomic_load(&S_budget) == 0)
		return NULL;
	S_name(&t, typo);
	k = S_bound(t.nkey);
	/* the candidates whose keys are as long as t's give or take k, by their length order */
	lo = S_first_longer(s, t.nkey - k - 1);
	end = S_first_longer(s, t.nkey + k);
	if (!S_spend(end - lo + 1))
		return NULL;
	s->nnear = 0;
	for (; lo < end; lo++) {
		int lb = S_lower_bound(&t, &s->v[lo]);
		if (lb <= k) {
			s->near[s->nnear].i = lo;
			s->near[s->nnear++].lb = lb;
		}
	}
	/* nearest first: the first distance with a candidate decides, and most mistakes are one edit */
	for (d = 0; d <= k && !best && !spent; d++)
		best = S_scan(s, &t, typo, d, &spent);
	return best && !spent ? best->shown : NULL;
}

void suggest_release(struct suggest *s)
{
	free(s->near);
	free(s->v);
	free(s->cp);
	memset(s, 0, sizeof(*s));
}

const char *suggest_list(const char *typo, const char *const *names)
{
	struct suggest s = SUGGEST_INIT;
	const char *r;
	for (; *names; names++)
		suggest_add(&s, *names, *names);
	r = suggest_best(&s, typo);
	suggest_release(&s);
	return r;
}

const char *suggest_hint(struct buf *out, const char *best)
{
	buf_reset(out);
	if (best)
		buf_printf(out, "; did you mean '%s'?", best);
	return buf_cstr(out);
}

int suggest_distance(const char *a, const char *b)
{
	struct name x, y;
	S_name(&x, a);
	S_name(&y, b);
	return S_osa(x.fold, x.nfold, y.fold, y.nfold, SUGGEST_MAX_LEN);
}
