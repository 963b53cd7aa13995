// reader.mjs PORTAL_DIR FIXTURE_DIR: what a reader meets, in headless
// Chromium (issue 18, items 10, 11, 13, 16).
// On the built portal's search page: the "more results" and "search all
// pages" buttons take no room when there is nothing to show (no query, no
// result, no JavaScript); results do not shift the layout (CLS under 0.1);
// highlighted terms pass axe in the dark scheme; a query with one typo
// offers the nearest indexed term without downloading more than a query
// without the typo.
// On the fixture (tests/e2e/reader.sh builds it): an event shows its start
// time in its own zone with the zone named, a past one says "ended" and
// offers no registration; a video on a known host is a facade that asks the
// host for nothing until the reader clicks; the light/dark toggle is
// remembered and applied before the first paint.
// Prints "reader-browser: N passed, N failed".
import { createRequire } from 'node:module';
import { serve, launch } from './serve.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const [portal, fixture] = process.argv.slice(2);
if (!portal || !fixture) {
	console.error('usage: node reader.mjs PORTAL_DIR FIXTURE_DIR');
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

// Sums the layout shifts of the page's life (an observer set before any script runs).
const CLS_PROBE = `window.__cls = 0; new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; }).observe({ type: 'layout-shift', buffered: true });`;

async function visit(origin, url, opts = {}) {
	const ctx = await browser.newContext({ viewport: opts.viewport || { width: 1280, height: 900 },
		colorScheme: opts.scheme || 'light', javaScriptEnabled: opts.js !== false });
	const page = await ctx.newPage();
	const requests = [], errors = [];
	page.on('pageerror', (e) => errors.push(String(e)));
	page.on('request', (r) => requests.push(r.url()));
	if (opts.init) await page.addInitScript(opts.init);
	await page.goto(origin + url, { waitUntil: 'load' });
	if (opts.js !== false && opts.settle !== false) await settle(page);
	return { page, ctx, requests, errors };
}

async function settle(page) {
	await page.waitForFunction(() => {
		const l = document.getElementById('search-results');
		return !l || (l.dataset.done !== undefined && l.dataset.done === l.dataset.pending);
	}, null, { timeout: 10000 });
}

const visible = (page, sel) => page.$eval(sel, (e) => {
	const r = e.getBoundingClientRect();
	return getComputedStyle(e).display !== 'none' && r.width > 0 && r.height > 0;
}).catch(() => false);

async function axe(page) {
	await page.addScriptTag({ path: axePath });
	return page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
		.violations.map((x) => `${x.id}: ${x.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`));
}

async function searchPage(origin) {
	// The buttons are hidden where there is nothing more to show.
	let v = await visit(origin, '/search/');
	check('search, no query: no "more results" button', !await visible(v.page, '#search-more'));
	check('search, no query: no "search all pages" button', !await visible(v.page, '#search-all'));
	await v.ctx.close();
	v = await visit(origin, '/search/?q=qqqzzzxxx');
	check('search, no result: no buttons', !await visible(v.page, '#search-more') && !await visible(v.page, '#search-all'));
	check('search, no result: no suggestion for noise', !await visible(v.page, '#search-suggest'));
	await v.ctx.close();
	v = await visit(origin, '/search/?q=vacuum', { js: false });
	check('search without JavaScript: no buttons', !await visible(v.page, '#search-more') && !await visible(v.page, '#search-all'));
	await v.ctx.close();

	// Results do not move what is on screen.
	for (const [w, h] of [[1280, 900], [375, 812]]) {
		v = await visit(origin, '/en/search/?q=vacuum', { viewport: { width: w, height: h }, init: CLS_PROBE });
		await v.page.waitForTimeout(300);
		const cls = await v.page.evaluate(() => window.__cls);
		const n = await v.page.$$eval('.search-hit', (x) => x.length);
		check(`search at ${w} px: results shift the layout by under 0.1 (CLS ${cls.toFixed(3)})`, n > 0 && cls < 0.1, `${n} results`);
		await v.ctx.close();
	}

	// Highlighted terms are readable in the dark scheme.
	v = await visit(origin, '/en/search/?q=vacuum', { scheme: 'dark' });
	check('search, dark: terms highlighted', await v.page.$$eval('#search-results mark', (m) => m.length) > 0);
	const found = await axe(v.page);
	check('search, dark: axe finds no violation with highlighted results', found.length === 0, found.join('; '));
	await v.ctx.close();

	// One typo: "did you mean", from what the search already downloaded.
	const bytes = async (q) => {
		const w = await visit(origin, '/en/search/?q=' + encodeURIComponent(q));
		const files = w.requests.filter((u) => new URL(u).pathname.startsWith('/search/') && new URL(u).pathname !== '/search/');
		return { w, files };
	};
	const good = await bytes('replication');
	const goodHits = await good.w.page.$$eval('.search-hit', (x) => x.length);
	await good.w.ctx.close();
	const typo = await bytes('replicaton');
	const sug = await typo.w.page.$('#search-suggest:not([hidden]) a');
	const text = sug ? await sug.textContent() : '';
	check('typo "replicaton": did you mean "replication"', text === 'replication', text);
	check('typo: the suggestion is a ?q= link', sug && new URL(await sug.getAttribute('href'), origin).searchParams.get('q') === 'replication');
	check('typo: no more index files than the query without it', typo.files.length <= good.files.length,
		`${typo.files.length} vs ${good.files.length}: ${typo.files.map((u) => new URL(u).pathname).join(' ')}`);
	if (sug) {
		await sug.click();
		await settle(typo.w.page);
		const n = await typo.w.page.$$eval('.search-hit', (x) => x.length);
		check('typo: following the suggestion finds the pages', n > 0 && n === goodHits, `${n} vs ${goodHits}`);
		check('typo: the suggestion goes once found', !await visible(typo.w.page, '#search-suggest'));
	}
	const axeTypo = await axe(typo.w.page);
	check('typo: axe finds no violation', axeTypo.length === 0, axeTypo.join('; '));
	check('search: no page errors', typo.w.errors.length === 0, typo.w.errors.join('; '));
	await typo.w.ctx.close();
}

// The light/dark toggle: follows the system until pressed, then remembered,
// and applied before the body is parsed (so before the first paint).
async function themeToggle(origin, url) {
	const BODY_PROBE = `new MutationObserver((l, o) => { if (document.body) { window.__themeAtBody = document.documentElement.getAttribute('data-theme'); o.disconnect(); } }).observe(document, { childList: true, subtree: true });`;
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
	const page = await ctx.newPage();
	const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
	await page.addInitScript(BODY_PROBE);
	await page.goto(origin + url, { waitUntil: 'load' });
	const btn = await page.$('#theme-toggle');
	check('toggle: shown with JavaScript', btn && await visible(page, '#theme-toggle'));
	if (!btn) {
		await ctx.close();
		return;
	}
	check('toggle: follows the system at first (light, not pressed)',
		await btn.getAttribute('aria-pressed') === 'false' && await page.evaluate(() => !document.documentElement.hasAttribute('data-theme')));
	const light = await bg();
	await btn.click();
	check('toggle: pressed turns the page dark', await btn.getAttribute('aria-pressed') === 'true' && await bg() !== light, await bg());
	const dark = await bg();
	const found = await axe(page);
	check('toggle: axe finds no violation in the chosen dark', found.length === 0, found.join('; '));
	await page.reload({ waitUntil: 'load' });
	check('toggle: the choice is remembered on the next page', await page.getAttribute('html', 'data-theme') === 'dark' && await bg() === dark);
	check('toggle: set before the body is parsed (no flash)', await page.evaluate(() => window.__themeAtBody) === 'dark');
	await page.click('#theme-toggle');
	await page.reload({ waitUntil: 'load' });
	check('toggle: back to light, remembered', await page.getAttribute('html', 'data-theme') === 'light' && await bg() === light);
	await ctx.close();

	// A dark system: dark at first, pressed; and nothing without JavaScript.
	let v = await visit(origin, url, { scheme: 'dark', settle: false });
	check('toggle: a dark system shows it pressed', await v.page.getAttribute('#theme-toggle', 'aria-pressed') === 'true');
	await v.ctx.close();
	v = await visit(origin, url, { js: false });
	check('toggle: hidden without JavaScript', !await visible(v.page, '#theme-toggle'));
	await v.ctx.close();
	v = await visit(origin, url, { viewport: { width: 375, height: 812 }, settle: false });
	const box = await v.page.$eval('#theme-toggle', (e) => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.top]; });
	check('toggle: on a phone, in the header\'s first row, on screen', box[0] > 0 && box[1] <= 375 && box[2] < 80, box.join(','));
	await v.ctx.close();
}

const VIDEO_HOSTS = /(^|\.)(youtube\.com|youtube-nocookie\.com|youtu\.be|ytimg\.com|bilibili\.com|hdslb\.com|vimeo\.com|vimeocdn\.com)$/;

// Events: times in their zone, "ended" and no registration once over.
async function events(origin) {
	let v = await visit(origin, '/events/future-meetup/', { settle: false });
	const when = await v.page.textContent('.meta div:first-child dd');
	check('event: start and end times in the event\'s zone, named', /14:00/.test(when) && /17:30/.test(when) && /Europe\/Berlin \(UTC\+01:00\)/.test(when), when);
	check('event upcoming: registration offered, not ended', await visible(v.page, 'a.button[href*="/register/berlin"]') && !await visible(v.page, '.event-ended'));
	const times = await v.page.$$eval('.talk-time', (t) => t.map((x) => x.textContent));
	check('event: its talks list their start times', times.includes('14:30') && times.includes('15:30'), times.join(','));
	await v.ctx.close();
	v = await visit(origin, '/events/past-qa/', { settle: false });
	check('past event: says it ended', await visible(v.page, '.event-ended'));
	check('past event: no registration button', !await v.page.$('a[href*="/register/qa"]'));
	check('past event: its time in Asia/Shanghai', /20:00.*21:30.*Asia\/Shanghai \(UTC\+08:00\)/.test(await v.page.textContent('.meta div:first-child dd')));
	await v.ctx.close();
}

// Videos: a facade that asks the host for nothing until pressed.
async function videos(origin) {
	for (const [url, host] of [['/events/past-qa/', 'youtube-nocookie.com'], ['/talks/bilibili/', 'player.bilibili.com'], ['/talks/vimeo/', 'player.vimeo.com']]) {
		const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const page = await ctx.newPage();
		const third = [];
		// The hosts answer from here: no test leaves the machine.
		await page.route((u) => VIDEO_HOSTS.test(u.hostname), (r) => (third.push(r.request().url()), r.fulfill({ status: 200, contentType: 'text/html', body: '<title>player</title>' })));
		await page.goto(origin + url, { waitUntil: 'load' });
		await page.waitForTimeout(200);
		check(`${url}: a play button, nothing asked of the host before it is pressed`, await visible(page, '.video-play') && third.length === 0, third.join(' '));
		const found = await axe(page);
		check(`${url}: axe finds no violation with the facade`, found.length === 0, found.join('; '));
		await page.click('.video-play');
		await page.waitForSelector('.video-facade iframe');
		await page.waitForTimeout(200);
		const src = await page.getAttribute('.video-facade iframe', 'src');
		check(`${url}: pressed, the player of ${host} loads`, new URL(src).hostname.endsWith(host) && third.some((u) => new URL(u).hostname.endsWith(host)), src);
		check(`${url}: the player has a title`, !!await page.getAttribute('.video-facade iframe', 'title'));
		await ctx.close();
	}
	let v = await visit(origin, '/talks/elsewhere/', { settle: false });
	check('a video elsewhere: the link only, no facade', !await v.page.$('.video-facade') && !!await v.page.$('a[href="https://video.example.org/pgcn/talk"]'));
	await v.ctx.close();
	v = await visit(origin, '/talks/bilibili/', { js: false });
	check('without JavaScript: no empty facade, the link stays', !await visible(v.page, '.video-facade') && !!await v.page.$('a[href^="https://www.bilibili.com/video/"]'));
	await v.ctx.close();
}

try {
	const { server, origin } = await serve(portal);
	servers.push(server);
	await searchPage(origin);
	await themeToggle(origin, '/en/');
	if (fixture !== '-') {
		const f = await serve(fixture);
		servers.push(f.server);
		await events(f.origin);
		await videos(f.origin);
	}
} finally {
	await browser.close();
	servers.forEach((s) => s.close());
}
console.log(`reader-browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
