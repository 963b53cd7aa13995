// search-bytes.mjs SITE_DIR QUERY...: what the search page downloads for
// each query, in a fresh browser each time (nothing cached): the client
// script and the index files, with the first page of results shown.
// JavaScript and JSON are counted gzipped (level 9), as a static host
// sends them; the index's .bin files are counted as they are (already
// compressed, or read by byte range). The page's own HTML and CSS are left
// out. For the figures in README.md, not a pass/fail test.
import zlib from 'node:zlib';
import { serve, launch } from './serve.mjs';

const [dir, ...queries] = process.argv.slice(2);
if (!dir || !queries.length) {
	console.error('usage: node search-bytes.mjs SITE_DIR QUERY...');
	process.exit(2);
}
const { server, origin } = await serve(dir);
const browser = await launch();
try {
	for (const q of queries) {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		const got = [];
		page.on('response', async (res) => {
			const path = new URL(res.url()).pathname;
			if (res.request().method() !== 'GET' || !(path.startsWith('/search/') || path.endsWith('/search.js')) || path.endsWith('/'))
				return;
			const body = await res.body();
			const text = /\.(js|json)$/.test(path);
			got.push({ path, bytes: text ? zlib.gzipSync(body, { level: 9 }).length : body.length, status: res.status() });
		});
		const t0 = Date.now();
		await page.goto(`${origin}/search/?q=${encodeURIComponent(q)}`, { waitUntil: 'load' });
		await page.waitForFunction(() => {
			const s = document.getElementById('search-status'), d = document.getElementById('search-strings');
			return s && d && s.textContent !== d.dataset.hint && s.textContent !== d.dataset.loading;
		}, null, { timeout: 30000 });
		await page.waitForTimeout(300);
		const ms = Date.now() - t0;
		const status = await page.textContent('#search-status');
		const first = await page.$$eval('.search-hit-title', (h) => h.slice(0, 3).map((x) => x.textContent));
		const total = got.reduce((n, g) => n + g.bytes, 0);
		console.log(`${JSON.stringify(q)}: ${total} bytes in ${got.length} requests, ${ms} ms; ${status}`);
		for (const g of got) console.log(`  ${g.path} ${g.bytes}${g.status === 206 ? ' (range)' : ''}`);
		console.log(`  first: ${first.join(' | ')}`);
		await ctx.close();
	}
} finally {
	await browser.close();
	server.close();
}
