// a11y.mjs SITE_DIR [URL_PATH...]: serves a built jixia site on 127.0.0.1,
// opens the home page, a list page and one page of each type (or the paths
// given) in Chromium, in the light and the dark colour scheme, and runs
// axe-core on each. Prints each page's violations and a last line
// "a11y: N passed, N failed" (a page passes with 0 violations in both
// schemes); exits 1 when any page fails, 2 on a usage error.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { serve, launch, pickPages } from './serve.mjs';

const require = createRequire(import.meta.url);
const [dir, ...paths] = process.argv.slice(2);
if (!dir || !fs.existsSync(path.join(dir, 'index.html'))) {
	console.error('usage: node a11y.mjs SITE_DIR [URL_PATH...]  (SITE_DIR must hold index.html)');
	process.exit(2);
}
const axePath = require.resolve('axe-core/axe.min.js');
const pages = paths.length ? paths.map((u) => ({ url: u, what: 'given' })) : pickPages(dir);

const { server, origin } = await serve(dir);
const browser = await launch();
let passed = 0, failed = 0;
try {
	for (const { url, what } of pages) {
		const found = [];
		for (const scheme of ['light', 'dark']) {
			const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: scheme });
			const page = await ctx.newPage();
			const errors = [];
			page.on('pageerror', (e) => errors.push(String(e)));
			const res = await page.goto(origin + url, { waitUntil: 'load' });
			if (!res || res.status() !== 200) {
				found.push(`  [${scheme}] HTTP ${res ? res.status() : 'no response'}`);
			} else {
				await page.addScriptTag({ path: axePath });
				const r = await page.evaluate(async () =>
					// eslint-disable-next-line no-undef
					await axe.run(document, { resultTypes: ['violations'] }));
				for (const v of r.violations) {
					const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
					const more = v.nodes.length > 3 ? ` (+${v.nodes.length - 3} more)` : '';
					found.push(`  [${scheme}] ${v.id} (${v.impact}): ${v.help} — ${where}${more}`);
					const summary = v.nodes[0] && v.nodes[0].failureSummary;
					if (summary)
						found.push('      ' + summary.split('\n').slice(0, 3).join(' | '));
				}
			}
			for (const e of errors)
				found.push(`  [${scheme}] page error: ${e}`);
			await ctx.close();
		}
		if (found.length === 0) {
			passed++;
			console.log(`ok    ${url}  (${what})`);
		} else {
			failed++;
			console.log(`FAIL  ${url}  (${what})`);
			for (const line of found)
				console.log(line);
		}
	}
} finally {
	await browser.close();
	server.close();
}
console.log(`a11y: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
