// bytes.mjs SITE_DIR [--budget BYTES] QUERY...: the bytes the search page
// downloads for each query, worked out with the client's own engine (no
// browser, nothing cached between queries): the client script and the
// manifest gzipped (level 9, as a static host sends them), each other index
// file as it is (already compressed) or, read by byte range, the bytes of
// the range; the page's HTML and CSS and the HTTP headers are left out. It
// does what the page does: the search, again with every tail when filters
// leave fewer than a page of results, then the records of the first page of
// results (or "did you mean" when none). A query may carry filters after a
// "?", as the page's URL does: "vacuum?type=talk&lang=en", and the reader's
// language, "prefer=en" (the first language's page by default). With
// --budget, prints "bytes: N passed, N failed", one check per query: at
// most BYTES (and each file only for a query over it). CLIENT=FILE measures
// another version of assets/search.js (the one that reads SITE_DIR's
// format). tests/browser/search-bytes.mjs measures the same in Chromium.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { load, diskGet, repo } from './lib.mjs';

const PAGE = 5; // assets/search.js: results shown first
const args = process.argv.slice(2);
const dir = args.shift();
let budget = 0;
if (args[0] === '--budget')
	args.shift(), budget = Number(args.shift());
if (!dir || !args.length || Number.isNaN(budget)) {
	console.error('usage: node bytes.mjs SITE_DIR [--budget BYTES] QUERY...');
	process.exit(2);
}
const script = process.env.CLIENT || path.join(repo, 'assets/search.js');
const { open } = await load(script);
const gz = (b) => zlib.gzipSync(b, { level: 9 }).length;
const client = gz(fs.readFileSync(script));
let passed = 0, failed = 0;

for (const arg of args) {
	const at = arg.indexOf('?'), q = at < 0 ? arg : arg.slice(0, at);
	const params = new URLSearchParams(at < 0 ? '' : arg.slice(at + 1));
	const filters = { lang: params.get('lang') || '' };
	for (const f of ['type', 'year', 'tag']) filters[f] = params.get(f) || '';
	const disk = diskGet(dir), got = [];
	const get = async (name, range) => {
		const b = await disk(name, range);
		got.push({ name, range, bytes: name.endsWith('.json') ? gz(b) : b.length });
		return b;
	};
	get.ranges = disk.ranges;
	const ix = open(get);
	// The reader's language: the default language's search page (/search/).
	const prefer = params.get('prefer') || (await ix.manifest()).langs[0];
	let r = await ix.search(q, filters, false, prefer);
	if (r && !r.exact && r.results.length < PAGE && (filters.type || filters.year || filters.tag))
		r = await ix.search(q, filters, true, prefer);
	if (r && r.results.length)
		await Promise.all(r.results.slice(0, PAGE).map((h) => ix.meta(h.doc)));
	else
		await ix.suggest(q);
	const total = client + got.reduce((n, g) => n + g.bytes, 0);
	const ok = !budget || total <= budget;
	console.log(`${JSON.stringify(arg)}: ${total} bytes in ${got.length + 1} requests; ${r ? r.results.length : 0} results${r && !r.exact ? ' (best of the heads)' : ''}`);
	if (!budget || !ok) {
		console.log(`  search.js ${client}`);
		for (const g of got) console.log(`  ${g.name} ${g.bytes}${g.range ? ' (range)' : ''}`);
	}
	if (budget) {
		ok ? passed++ : failed++;
		console.log(`${ok ? 'ok' : 'FAIL'} ${JSON.stringify(arg)}: ${total} bytes, at most ${budget}`);
	}
}
if (budget) {
	console.log(`bytes: ${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}
