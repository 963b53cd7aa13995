// relevance.mjs SITE_DIR: searches each page's exact title (in the page's
// language, as the search box of that language does) with the client's own
// engine and counts how often the page comes first. Prints the misses and
// "relevance: N passed, N failed": one check, passed when at least 95% of the
// pages come first.
import fs from 'node:fs';
import path from 'node:path';
import { load, diskGet } from './lib.mjs';

const dir = process.argv[2];
const { open } = await load();
const ix = open(diskGet(dir));
const m = await ix.manifest();
let first = 0;
const misses = [];
for (let d = 0; d < m.docs; d++) {
	const [url, title] = await ix.meta(d);
	const lang = m.langs[m.runs[m.starts.findLastIndex((s) => s <= d)][0]];
	const r = await ix.search(title, { lang });
	if (r && r.results.length && r.results[0].doc === d) {
		first++;
	} else {
		const top = r && r.results.length ? (await ix.meta(r.results[0].doc))[0] : '(none)';
		misses.push(`  ${url} "${title}": first was ${top}`);
	}
}
const share = m.docs ? first / m.docs : 1;
console.log(`${first} of ${m.docs} pages first for their exact title (${(100 * share).toFixed(1)}%)`);
if (misses.length) console.log(misses.join('\n'));
const ok = share >= 0.95;
console.log(`${ok ? 'ok' : 'FAIL'} exact title search puts the page first for at least 95% of ${path.basename(dir)}`);
console.log(`relevance: ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
process.exit(ok ? 0 : 1);
