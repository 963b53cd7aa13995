// rank.mjs SITE_DIR: the client's engine (assets/search.js) on the index of
// tests/search/site: ranking, all words required, the last word as a
// prefix, filters and their counts, and what it reads. Prints
// "rank-js: N passed, N failed".
import { load, diskGet } from './lib.mjs';

const { open } = await load();
const site = process.argv[2];
let passed = 0, failed = 0;
const check = (what, got, want) => {
	const g = JSON.stringify(got), w = JSON.stringify(want);
	if (g === w) return passed++;
	failed++;
	console.log(`FAIL ${what}\n  got:  ${g}\n  want: ${w}`);
};

const read = [];
const ranges = [];
const get = diskGet(site), logged = async (name, range) => (read.push(name), ranges.push([name, range]), get(name, range));
logged.ranges = get.ranges;
const ix = open(logged);
const urls = async (r) => Promise.all(r.results.map(async (h) => (await ix.meta(h.doc))[0]));
const counts = (r, f) => Object.fromEntries([...r.counts[f]].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
let r;

// The title outweighs the body; the language filter keeps one language.
r = await ix.search('vacuum', { lang: 'en' });
check('vacuum (en): the FAQ with it in the title first', await urls(r), ['/en/faq/vacuum-basics/', '/en/cases/acme-ledger/']);
check('vacuum: exact on a small site', r.exact, true);
check('vacuum: counts by language ignore the language filter', counts(r, 'lang'), { en: 2, zh: 2 });
check('vacuum: counts by type', counts(r, 'type'), { case: 1, faq: 1 });
check('vacuum: counts by year', counts(r, 'year'), { '': 1, 2023: 1 });
check('vacuum: counts by tag', counts(r, 'tag'), { replication: 1, vacuum: 1 });
check('first results carry their facets', [r.results[0].lang, r.results[0].type, r.results[0].year], ['en', 'faq', '']);

// Filters narrow.
r = await ix.search('vacuum', { lang: 'en', type: 'case' });
check('type filter', await urls(r), ['/en/cases/acme-ledger/']);
r = await ix.search('vacuum', { year: '2023' });
check('year filter, all languages', await urls(r), ['/cases/acme-ledger/', '/en/cases/acme-ledger/']);
r = await ix.search('vacuum', { tag: 'vacuum' });
check('tag filter', (await urls(r)).sort(), ['/cases/acme-ledger/', '/en/faq/vacuum-basics/', '/faq/vacuum-basics/']);
r = await ix.search('vacuum', { lang: 'zh', tag: 'replication' });
check('tag and language filters', await urls(r), ['/cases/acme-ledger/']);

// Every word must be there; when no page has them all, pages with some.
r = await ix.search('vacuum replication', { lang: 'en' });
check('all words: only the page with both', await urls(r), ['/en/cases/acme-ledger/']);
check('all words: not partial', r.partial, false);
r = await ix.search('vacuum pgbouncer');
check('no page has both: partial', r.partial, true);
check('no page has both: pages with either', (await urls(r)).length, 5);
r = await ix.search('xyzzy');
check('unknown word: nothing', r.results.length, 0);
check('nothing to search: null', await ix.search(' ,.; '), null);

// The last word is a prefix; an earlier one is not.
r = await ix.search('vacu', { lang: 'en' });
check('prefix', await urls(r), ['/en/faq/vacuum-basics/', '/en/cases/acme-ledger/']);
r = await ix.search('vacu ', { lang: 'en' });
check('a finished word is not a prefix', r.results.length, 0);
r = await ix.search('pgbo');
check('prefix of a word in the body', await urls(r), ['/docs/pooling/']);

// CJK: pairs, one character, and mixed text.
r = await ix.search('连接池');
check('Chinese phrase', await urls(r), ['/docs/pooling/']);
r = await ix.search('核心账务');
check('Chinese phrase in the title', (await urls(r))[0], '/cases/acme-ledger/');
r = await ix.search('池');
check('one Chinese character', await urls(r), ['/docs/pooling/']);
r = await ix.search('VACUUM 基础');
check('mixed query', (await urls(r))[0], '/faq/vacuum-basics/');

// Hostile text is data: found by its words, given back as written.
r = await ix.search('onerror');
const meta = await ix.meta(r.results[0].doc);
check('hostile page found', meta[0], '/docs/hostile/');
check('hostile title kept as text', meta[1], '<img src=x onerror="window.__xss=1">');

// What was read: the manifest, one shard, the tag shard, the slots and
// records of the results shown, these two by byte range only.
check('files read', [...new Set(read.map((n) => n.replace(/-.*/, '')))].sort(), ['g', 'index.json', 'm', 's', 't']);
check('slots and records read by byte range only', ranges.filter(([n, r]) => /^[ms]-/.test(n) && !r).length, 0);
check('slots: 8 bytes (a page and the next) per range of neighbours', ranges.filter(([n, r]) => n.startsWith('s-')).every(([, r]) => (r[1] - r[0]) % 4 === 0 && r[1] - r[0] >= 8), true);
// A page of results asked at once is read together: one range for the
// neighbours' slots, and their records in one range.
read.length = 0, ranges.length = 0;
const ix2 = open(logged), r2 = await ix2.search('vacuum');
const many = await Promise.all(r2.results.map((h) => ix2.meta(h.doc)));
check('a page of results: every record', many.every((x) => Array.isArray(x) && x.length === 4), true);
check('a page of results: one slot range and one record range on a small site',
	[ranges.filter(([n]) => n.startsWith('s-')).length, ranges.filter(([n]) => n.startsWith('m-')).length], [1, 1]);
const before = ranges.length;
await ix2.meta(r2.results[0].doc);
check('the same record again: nothing read', ranges.length, before);
check('no tails on a small site', read.filter((n) => n.startsWith('x-')).length, 0);

console.log(`rank-js: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
