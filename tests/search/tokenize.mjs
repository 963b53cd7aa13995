// tokenize.mjs [C_TABLE]: assets/search.js's tokenizer against the shared
// vectors (tests/search/vectors.txt), and, given the C tokenizer's table
// (test_search --dump: one line per code point, "HEX<TAB>terms" of that
// character written twice), against every code point the C side knows.
// Prints each mismatch and "tokenize-js: N passed, N failed".
import fs from 'node:fs';
import path from 'node:path';
import { load, repo } from './lib.mjs';

const { tokenize, queryTerms } = await load();
let passed = 0, failed = 0;
const check = (what, got, want) => {
	if (got === want) return passed++;
	failed++;
	console.log(`FAIL ${what}\n  got:  ${got}\n  want: ${want}`);
};
const unescape = (s) => s.replace(/\\(u\{([0-9A-Fa-f]+)\}|n|t|\\)/g, (_, e, hex) =>
	hex ? String.fromCodePoint(parseInt(hex, 16)) : e === 'n' ? '\n' : e === 't' ? '\t' : '\\');

const lines = fs.readFileSync(path.join(repo, 'tests/search/vectors.txt'), 'utf8').split('\n');
let text = null, line = 0;
for (const l of lines) {
	line++;
	if (l === '>' || l.startsWith('> ')) text = unescape(l.slice(2));
	else if (l.startsWith('=') && text !== null)
		check(`vectors.txt:${line}: index terms`, tokenize(text).join(' '), l.slice(1).trim());
	else if (l.startsWith('?') && text !== null)
		check(`vectors.txt:${line}: query terms`, queryTerms(text).map((q) => q.t + (q.prefix ? '*' : '')).join(' '), l.slice(1).trim());
}

// Every code point, against the C tokenizer.
const table = process.argv[2];
if (table) {
	let bad = 0, n = 0;
	for (const row of fs.readFileSync(table, 'utf8').split('\n')) {
		if (!row) continue;
		const [hex, want = ''] = row.split('\t'), c = String.fromCodePoint(parseInt(hex, 16));
		const got = tokenize(c + c).join(' ');
		n++;
		if (got !== want && bad++ < 20) console.log(`FAIL U+${hex}: C gives "${want}", JS "${got}"`);
	}
	check(`C and JS agree on all ${n} code points (${bad} differ)`, bad, 0);
	if (n < 100000) check('the C table covers the assigned code points', n >= 100000, true);
}
console.log(`tokenize-js: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
