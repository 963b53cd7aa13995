// search.mjs PORTAL_DIR FIXTURE_DIR: the search page in headless Chromium.
// On the built portal: a Chinese and an English query put the expected page
// first, a type filter narrows the results, a hostile query is shown as
// text, keyboard navigation, ?q= links, the empty states, the header box of
// another page, one result in the singular, what a query downloads, and
// axe-core on a page of results.
// On tests/search/site: a page whose title and summary are HTML is listed as
// text. Prints "search-browser: N passed, N failed".
import { createRequire } from 'node:module';
import { serve, launch } from './serve.mjs';

const require = createRequire(import.meta.url);
const [portal, fixture] = process.argv.slice(2);
if (!portal || !fixture) {
	console.error('usage: node search.mjs PORTAL_DIR FIXTURE_DIR');
	process.exit(2);
}
let passed = 0, failed = 0;
const check = (what, ok, detail = '') => {
	if (ok) {
		passed++;
		console.log(`ok ${what}`);
	} else {
		failed++;
		console.log(`FAIL ${what}${detail ? `: ${detail}` : ''}`);
	}
};

const browser = await launch();
const servers = [];

// A fresh page at url; resolves once the results (or the status) settle.
async function visit(origin, url, errors) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await ctx.newPage();
	const requests = [], whole = [];
	page.on('pageerror', (e) => errors.push(String(e)));
	page.on('dialog', (d) => (errors.push(`dialog: ${d.message()}`), d.dismiss()));
	page.on('request', (r) => requests.push(new URL(r.url()).pathname));
	// The files read whole (no Range header).
	page.on('request', (r) => r.headers().range || whole.push(new URL(r.url()).pathname));
	await page.goto(origin + url, { waitUntil: 'load' });
	await settle(page);
	return { page, ctx, requests, whole };
}

// Waits until the status line is no longer "searching".
// Waits until the latest search is on screen: the client marks the search
// it started (data-pending) and the one it finished rendering (data-done).
async function settle(page) {
	await page.waitForFunction(() => {
		const l = document.getElementById('search-results');
		return !l || (l.dataset.done !== undefined && l.dataset.done === l.dataset.pending);
	}, null, { timeout: 10000 });
}

const hits = (page) => page.$$eval('#search-results .search-hit', (li) =>
	li.map((x) => ({ url: x.querySelector('a').getAttribute('href'), type: x.dataset.type, text: x.textContent })));

try {
	let { server, origin } = await serve(portal);
	servers.push(server);
	const errors = [];

	// A Chinese query on the default language's page.
	let v = await visit(origin, '/search/?q=' + encodeURIComponent('中文全文检索'), errors);
	let h = await hits(v.page);
	check('Chinese query: the full-text search talk first', h[0]?.url === '/talks/2024-shanghai-chinese-full-text-search/', h[0]?.url);
	check('Chinese query: the query terms are highlighted', await v.page.$$eval('#search-results mark', (m) => m.length) > 0);
	const got = v.requests.filter((p) => p.startsWith('/search/') && p !== '/search/');
	check('a query downloads the manifest, shards and metadata only',
		got.includes('/search/index.json') && got.some((p) => /\/t-[0-9a-f]{16}\.bin$/.test(p)) &&
		got.some((p) => /\/m-[0-9a-f]{16}\.bin$/.test(p)) && got.every((p) => /\/(index\.json|[tgms]-[0-9a-f]{16}\.bin)$/.test(p)),
		got.join(' '));
	check('result records and their slots are read by byte range only', !v.whole.some((p) => /\/[ms]-[0-9a-f]{16}\.bin$/.test(p)),
		v.whole.join(' '));
	await v.ctx.close();

	// An English query on the English page, then the type filter.
	v = await visit(origin, '/en/search/?q=' + encodeURIComponent('vacuum freezing'), errors);
	h = await hits(v.page);
	check('English query: the VACUUM talk first', h[0]?.url === '/en/talks/2024-hangzhou-vacuum-deep-dive/', h[0]?.url);
	await v.page.fill('#search-q', 'vacuum');
	await v.page.press('#search-q', 'Enter');
	await settle(v.page);
	const before = await hits(v.page);
	const total = (await v.page.textContent('#search-status')).match(/\d+/)?.[0];
	const faq = await v.page.$('#search-filters [data-facet="type"] input[value="faq"]');
	check('type filter offered with a count', !!faq);
	if (faq) {
		await faq.click();
		await settle(v.page);
		const after = await hits(v.page), narrowed = (await v.page.textContent('#search-status')).match(/\d+/)?.[0];
		check('type filter narrows', after.length > 0 && after.every((x) => x.type === 'faq') && Number(narrowed) < Number(total),
			`${total} -> ${narrowed}: ${after.map((x) => x.type)}`);
		check('type filter in the URL', new URL(v.page.url()).searchParams.get('type') === 'faq');
		check('other types were there before', before.some((x) => x.type !== 'faq'));
	}
	await v.ctx.close();

	// Keyboard: down from the box into the results, up and Escape back.
	v = await visit(origin, '/en/search/?q=vacuum', errors);
	await v.page.focus('#search-q');
	const focused = () => v.page.evaluate(() => document.activeElement.id ||
		document.activeElement.closest('.search-hit') && [...document.querySelectorAll('.search-hit')].indexOf(document.activeElement.closest('.search-hit')));
	await v.page.keyboard.press('ArrowDown');
	const k1 = await focused();
	await v.page.keyboard.press('ArrowDown');
	const k2 = await focused();
	await v.page.keyboard.press('ArrowUp');
	await v.page.keyboard.press('ArrowUp');
	const k3 = await focused();
	await v.page.keyboard.press('ArrowDown');
	await v.page.keyboard.press('Escape');
	const k4 = await focused();
	check('keyboard: ↓ ↓ ↑ ↑ and Escape', k1 === 0 && k2 === 1 && k3 === 'search-q' && k4 === 'search-q', [k1, k2, k3, k4].join(','));
	await v.page.evaluate(() => document.activeElement.blur());
	await v.page.keyboard.press('/');
	check('"/" focuses the box', await focused() === 'search-q');
	const more = await v.page.$('#search-more:not([hidden])');
	if (more) {
		const n = (await hits(v.page)).length;
		await more.click();
		await v.page.waitForFunction((n) => document.querySelectorAll('.search-hit').length > n, n);
		check('"more results" adds results', (await hits(v.page)).length > n);
	}
	// axe-core on a page of results.
	await v.page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
	const axe = await v.page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations.map((x) => x.id));
	check('no accessibility violations with results shown', axe.length === 0, axe.join(' '));
	await v.ctx.close();

	// A hostile query is text: no element made from it, no script run.
	const evil = '<img src=x onerror="window.__xss=1">';
	v = await visit(origin, '/search/?q=' + encodeURIComponent(evil), errors);
	check('hostile query: shown as text', (await v.page.textContent('#search-status')).includes('<img src=x'));
	check('hostile query: no element, no script', await v.page.evaluate(() =>
		!document.querySelector('#search img') && window.__xss === undefined));
	check('hostile query: kept in the box as typed', await v.page.inputValue('#search-q') === evil);
	await v.ctx.close();

	// Empty states.
	v = await visit(origin, '/search/', errors);
	check('no query: the hint', (await v.page.textContent('#search-status')) === await v.page.getAttribute('#search-strings', 'data-hint'));
	await v.page.fill('#search-q', 'qqqzzzxxx');
	await v.page.press('#search-q', 'Enter');
	await settle(v.page);
	check('no results: said so, with the query', (await v.page.textContent('#search-status')).includes('qqqzzzxxx') && (await hits(v.page)).length === 0);
	check('?q= follows the box', new URL(v.page.url()).searchParams.get('q') === 'qqqzzzxxx');
	await v.ctx.close();

	// The header's search box on another page leads to results in its language.
	v = await visit(origin, '/en/', errors);
	await v.page.fill('#site-search', 'pgbouncer');
	await Promise.all([v.page.waitForNavigation(), v.page.press('#site-search', 'Enter')]);
	await settle(v.page);
	check('header box: lands on the English search page', new URL(v.page.url()).pathname === '/en/search/');
	check('header box: results shown', (await hits(v.page)).length > 0);
	await v.ctx.close();

	// One result takes the singular where the language has one (English), the one form where not
	// (English pages only: the untranslated Chinese FAQ on pg_repack is found too without the filter).
	v = await visit(origin, '/en/search/?q=repack&lang=en', errors);
	check('one result: "1 result for", singular', (await hits(v.page)).length === 1 &&
		(await v.page.textContent('#search-status')).startsWith('1 result for'), await v.page.textContent('#search-status'));
	await v.ctx.close();
	check('no page errors or dialogs', errors.length === 0, errors.join('; '));

	// Indexed HTML (a contributor's title and summary) is listed as text.
	({ server, origin } = await serve(fixture));
	servers.push(server);
	const errs2 = [];
	v = await visit(origin, '/search/?q=onerror', errs2);
	h = await hits(v.page);
	check('hostile title listed as text', h[0]?.text.includes('<img src=x onerror="window.__xss=1">'), h[0]?.text);
	check('hostile summary listed as text', h[0]?.text.includes('<script>'), h[0]?.text);
	check('hostile page: no element, no script', await v.page.evaluate(() =>
		!document.querySelector('#search img, #search script, #search b') && window.__xss === undefined) && errs2.length === 0, errs2.join('; '));
	await v.ctx.close();
} finally {
	await browser.close();
	servers.forEach((s) => s.close());
}
console.log(`search-browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
