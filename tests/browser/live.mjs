// live.mjs URL SITE_DIR: a page served by `jixia serve` at URL (the site
// in SITE_DIR) in headless Chromium. A broken page elsewhere in the site
// puts the errors over this one, path:line:col and the message as text
// (a value with <script> and <img onerror> in it runs nothing); the fix
// takes the overlay away and the page reloads with an edit made meanwhile;
// a stylesheet edit swaps the stylesheets without reloading the page; an
// edit of the open page reloads it once, from serve's preview.
// Run by tests/e2e/serve.sh. Prints "serve-browser: N passed, N failed".
import fs from 'node:fs';
import path from 'node:path';
import { launch } from './serve.mjs';

const [url, site] = process.argv.slice(2);
if (!url || !site) {
	console.error('usage: node live.mjs URL SITE_DIR');
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
const write = (rel, text) => fs.writeFileSync(path.join(site, rel), text);
const faq = 'content/faq/bloat.md';
const good = fs.readFileSync(path.join(site, faq), 'utf8');
const hostile = "<script>window.pwned = 1</script><img src=x onerror='window.pwned = 2'>";

const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
const dialogs = [], errors = [];
page.on('dialog', (d) => (dialogs.push(d.message()), d.dismiss()));
page.on('pageerror', (e) => errors.push(String(e)));
try {
	const stream = page.waitForResponse((r) => r.url().includes('/_jixia/events?page='), { timeout: 10000 });
	await page.goto(url + 'about/', { waitUntil: 'load' });
	await stream;
	check('the page opens its event stream', true);
	// the stream's first state says nothing new: the page stays
	await page.evaluate(() => (window.marker = 'first load'));

	write(faq, good.replace(/^---\n/, `---\ndate: "${hostile}"\n`));
	const box = page.locator('#jixia-errors');
	await box.waitFor({ state: 'visible', timeout: 10000 });
	const text = await box.textContent();
	check('a broken page elsewhere: the overlay shows on this one', true);
	check('the overlay names the place, path:line:col', text.includes(`${faq}:2:7: error: 'date' must be`), text);
	check('the overlay shows the value as text', text.includes(hostile), text);
	check('nothing in the value became markup',
		(await page.locator('#jixia-errors script, #jixia-errors img').count()) === 0);
	check('nothing in the value ran', (await page.evaluate(() => window.pwned)) === undefined && dialogs.length === 0,
		dialogs.join('; '));
	check('the overlay is an alert', (await box.getAttribute('role')) === 'alert');
	check('the page was not reloaded for the errors', (await page.evaluate(() => window.marker)) === 'first load');

	const reconnect = page.waitForResponse((r) => r.url().includes('/_jixia/events?page='), { timeout: 10000 });
	write('content/about.md', '---\ntitle: About\n---\nTop-level page, third version.\n');
	write(faq, good);
	await page.locator('text=third version').waitFor({ timeout: 10000 });
	check('the fix reloads the page, with the edit made meanwhile', true);
	check('the reloaded page has no overlay', (await box.count()) === 0);
	check('it is a new page', (await page.evaluate(() => window.marker)) === undefined);

	await reconnect;
	await page.evaluate(() => (window.marker = 'before the stylesheet'));
	const restyled = page.waitForRequest((r) => /\/assets\/style\.css\?jixia=\d+$/.test(r.url()), { timeout: 10000 });
	write('assets/extra.css', 'p { color: teal; }\n');
	await restyled;
	check('a stylesheet edit swaps the stylesheets', true);
	check('without reloading the page', (await page.evaluate(() => window.marker)) === 'before the stylesheet');

	// an edit of the open page: it reloads once, from the preview (serve renders the
	// open pages first), and the commit's state that follows names the same build
	let loads = 0;
	page.on('load', () => loads++);
	write('content/about.md', '---\ntitle: About\n---\nTop-level page, fourth version.\n');
	await page.locator('text=fourth version').waitFor({ timeout: 10000 });
	await page.evaluate(() => (window.marker = 'after the preview'));
	const gen = await page.evaluate(() => document.querySelector('script[data-gen]').dataset.gen);
	// a second stream on the same page: its commit event comes after the page's own
	const committed = await page.evaluate((g) => new Promise((done) => {
		const es = new EventSource('/_jixia/events?page=' + encodeURIComponent(location.pathname));
		es.addEventListener('reload', (ev) => {
			const d = JSON.parse(ev.data);
			if (!d.preview && String(d.gen) === g) {
				es.close();
				setTimeout(() => done(true), 300);
			}
		});
		setTimeout(() => done(false), 10000);
	}), gen);
	check('an edit of the open page: the commit comes under the number its preview showed', committed);
	check('the page reloaded once, not again at the commit',
		loads === 1 && (await page.evaluate(() => window.marker)) === 'after the preview', `${loads} loads`);
	check('no script error on the page', errors.length === 0, errors.join('; '));
} catch (e) {
	check('the page reacts within 10 s', false, String(e).split('\n')[0]);
} finally {
	write(faq, good);
	await browser.close();
}
console.log(`serve-browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
