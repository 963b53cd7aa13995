// readers.mjs PORTAL_DIR GOLDEN_DIR: a bilingual site as its readers meet it,
// in headless Chromium. On the built portal and on a golden site (venue):
// items without a translation are listed in the other language with a
// language badge, and the counts agree with what is listed; the language
// switcher of index pages leads to the same page in the other language,
// whose head names it as an absolute hreflang alternate; the search page
// searches every language, the reader's first, one version of an item, and
// keeps the language filter. Prints "readers-browser: N passed, N failed".
import { serve, launch } from './serve.mjs';

const [portal, golden] = process.argv.slice(2);
if (!portal || !golden) {
	console.error('usage: node readers.mjs PORTAL_DIR GOLDEN_DIR');
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
const errors = [];

async function open(origin, url) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await ctx.newPage();
	page.on('pageerror', (e) => errors.push(String(e)));
	const res = await page.goto(origin + url, { waitUntil: 'load' });
	return { page, ctx, status: res.status() };
}

// Waits until the search page's latest search is on screen.
const settle = (page) => page.waitForFunction(() => {
	const l = document.getElementById('search-results');
	return !l || (l.dataset.done !== undefined && l.dataset.done === l.dataset.pending);
}, null, { timeout: 10000 });

// Every card of a list, following its pagination: [{ url, lang, badge }].
async function cards(origin, url) {
	const out = [];
	for (let next = url; next;) {
		const v = await open(origin, next);
		out.push(...await v.page.$$eval('main .card', (cs) => cs.map((c) => {
			const a = c.querySelector('.card-title a');
			return { url: a.getAttribute('href'), lang: a.getAttribute('hreflang') || '', badge: c.querySelector('.lang-badge')?.textContent || '' };
		})));
		next = await v.page.$eval('main a[rel="next"]', (a) => a.getAttribute('href')).catch(() => null);
		await v.ctx.close();
	}
	return out;
}

// The switcher's link to language code on url: clicked, where it leads and what it says.
async function switchTo(origin, url, code) {
	const v = await open(origin, url);
	const a = v.page.locator(`.lang-switch a[hreflang="${code}"]`);
	const text = await a.textContent();
	const alt = await v.page.$$eval('head link[rel="alternate"][hreflang]', (ls) => ls.map((l) => [l.hreflang, l.getAttribute('href')]));
	await Promise.all([v.page.waitForLoadState('load'), a.click()]);
	await v.page.waitForURL((u) => u.pathname !== url);
	const at = new URL(v.page.url()).pathname, h1 = await v.page.textContent('h1').catch(() => '');
	await v.ctx.close();
	return { at, text, alt, h1 };
}

// The results of a query on a search page: [{ url, lang, meta }], the status, the type counts.
async function search(origin, url) {
	const v = await open(origin, url);
	await settle(v.page);
	const hits = await v.page.$$eval('#search-results .search-hit', (li) => li.map((x) => {
		const a = x.querySelector('a');
		return { url: a.getAttribute('href'), lang: a.getAttribute('hreflang') || '', meta: x.querySelector('.search-hit-meta').textContent };
	}));
	const status = await v.page.textContent('#search-status');
	const types = await v.page.$$eval('#search-filters [data-facet="type"] label .count', (c) => c.map((x) => Number(x.textContent) || 0));
	return { v, hits, status, types };
}

// /en/x/ and /x/ are one item: no result list may hold both.
const twice = (hits) => hits.filter((h) => hits.some((o) => o.url === h.url.replace(/^\/en\//, '/') && o !== h)).map((h) => h.url);

try {
	let { server, origin } = await serve(portal);
	servers.push(server);

	// 1. The whole portal in English, untranslated items badged and counted.
	let v = await open(origin, '/en/');
	const upcoming = await v.page.$$eval('#upcoming-title + ul .card', (cs) => cs.map((c) => !!c.querySelector('.lang-badge[lang="zh"]')));
	check('/en/ upcoming lists an untranslated event, badged', upcoming.includes(true), JSON.stringify(upcoming));
	const counts = Object.fromEntries(await v.page.$$eval('.section-card', (as) => as.map((a) => [a.getAttribute('href'), Number(a.querySelector('.section-count').textContent)])));
	await v.ctx.close();
	for (const list of ['/en/events/', '/en/talks/', '/en/faq/']) {
		const cs = await cards(origin, list);
		check(`${list}: as many cards as home counts`, cs.length === counts[list], `${cs.length} listed, ${counts[list]} counted`);
		check(`${list}: untranslated items in Chinese, badged`, cs.some((c) => c.lang === 'zh' && c.badge === '中文') &&
			cs.every((c) => (c.lang === 'zh') === (c.badge !== '')));
	}
	const zm = await cards(origin, '/en/people/zhao-min/');
	check("Zhao Min's English page lists her untranslated talk", zm.some((c) => c.url === '/talks/2024-shanghai-chinese-full-text-search/' && c.badge));
	v = await open(origin, '/en/tags/');
	const tagCounts = await v.page.$$eval('main .term-cloud a', (as) => as.slice(0, 5).map((a) => [a.getAttribute('href'), Number(a.querySelector('.count').textContent)]));
	await v.ctx.close();
	for (const [href, n] of tagCounts) {
		const cs = await cards(origin, href);
		check(`${href}: ${n} counted, as many listed`, cs.length === n, String(cs.length));
	}

	// 2, 3. The switcher of index pages, and their alternates.
	for (const [url, to] of [['/en/tags/vacuum/', '/tags/vacuum/'], ['/en/tags/', '/tags/'], ['/en/talks/2024/', '/talks/2024/'],
		['/en/city/', '/city/'], ['/tags/vacuum/', '/en/tags/vacuum/'], ['/events/2025/', '/en/events/2025/']]) {
		const code = to.startsWith('/en/') ? 'en' : 'zh';
		const s = await switchTo(origin, url, code);
		check(`switcher on ${url} leads to ${to}`, s.at === to, s.at);
		check(`switcher on ${url} does not say "not translated"`, !/not translated|暂无/.test(s.text), s.text);
		check(`${url}: absolute hreflang alternates with x-default`,
			s.alt.some(([l, h]) => l === code && h === 'https://example.org' + to) && s.alt.some(([l]) => l === 'x-default'), JSON.stringify(s.alt));
	}

	// 4. Search: every language, the reader's first, one version of an item.
	let s = await search(origin, '/search/?q=million');
	check('an English-only word on the Chinese search page finds English pages', s.hits.length > 0 && s.hits.every((h) => h.lang === 'en'), s.status);
	check('their language is named', s.hits.every((h) => h.meta.includes('English')));
	await s.v.ctx.close();
	s = await search(origin, '/search/?q=vacuum');
	const firstEn = s.hits.findIndex((h) => h.lang === 'en');
	check('Chinese results first on the Chinese page', s.hits.length > 0 && s.hits[0].lang === '' &&
		(firstEn < 0 || s.hits.slice(firstEn).every((h) => h.lang === 'en')), s.hits.map((h) => h.url).join(' '));
	check('one version of an item', twice(s.hits).length === 0, twice(s.hits).join(' '));
	const n = Number(s.status.match(/\d+/)?.[0]);
	check('the type counts add up to the results', s.types.reduce((a, b) => a + b, 0) === n, `${s.types} vs ${n}`);
	const en = s.v.page.locator('#search-filters [data-facet="lang"] input[value="en"]');
	await en.check();
	await settle(s.v.page);
	const only = await s.v.page.$$eval('#search-results .search-hit a', (as) => as.map((a) => a.getAttribute('href')));
	check('the language filter keeps one language', only.length > 0 && only.every((u) => u.startsWith('/en/')), only.join(' '));
	await s.v.ctx.close();
	s = await search(origin, '/en/search/?q=vacuum');
	check('English results first on the English page', s.hits[0]?.lang === '' && s.hits[0]?.url.startsWith('/en/'), s.hits[0]?.url);
	check('one version of an item (English page)', twice(s.hits).length === 0, twice(s.hits).join(' '));
	await s.v.ctx.close();
	server.close();

	// The same on a golden site built with the default theme.
	({ server, origin } = await serve(golden));
	servers.push(server);
	const ev = await cards(origin, '/en/events/');
	check('golden: /en/events/ lists the untranslated events, badged', ev.filter((c) => c.badge).length >= 2, JSON.stringify(ev));
	v = await open(origin, '/en/');
	const gcount = await v.page.$eval('.section-card[href="/en/events/"] .section-count', (c) => Number(c.textContent));
	await v.ctx.close();
	check('golden: home counts what the list lists', gcount === ev.length, `${gcount} vs ${ev.length}`);
	const g = await switchTo(origin, '/en/city/杭州/', 'zh');
	check('golden: switcher on a city page', decodeURI(g.at) === '/city/杭州/', g.at);
	s = await search(origin, '/search/?q=meetup');
	check('golden: an English word on the Chinese search page', s.hits.some((h) => h.lang === 'en'), s.status);
	await s.v.ctx.close();
	check('no page errors', errors.length === 0, errors.join('; '));
} catch (e) {
	check('runs to the end', false, e.stack);
} finally {
	for (const s of servers) s.close();
	await browser.close();
}
console.log(`readers-browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
