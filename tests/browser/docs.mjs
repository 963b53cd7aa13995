// docs.mjs SITE_DIR DOC_PATH SECTION_PATH DOCS_PATH: the docs tree of a
// built site in Chromium. At 375 px the tree is a collapsed <details>
// above the page (its links hidden) that opens with a tap on its summary;
// at 1280 px it is a column beside the page, shown without a tap. The
// page shown is marked (aria-current) in its tree; a section page lists
// its children after its body; the docs list shows sections with the
// pages below them. Prints "docs-browser: N passed, N failed".
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch } from './serve.mjs';

const [dir, docPath, sectionPath, docsPath] = process.argv.slice(2);
if (!dir || !docsPath || !fs.existsSync(path.join(dir, 'index.html'))) {
	console.error('usage: node docs.mjs SITE_DIR DOC_PATH SECTION_PATH DOCS_PATH');
	process.exit(2);
}
let passed = 0, failed = 0;
function check(what, ok, detail) {
	if (ok) {
		passed++;
		console.log(`ok ${what}`);
	} else {
		failed++;
		console.log(`FAIL ${what}${detail ? ': ' + detail : ''}`);
	}
}

const { server, origin } = await serve(dir);
const browser = await launch();
try {
	for (const scheme of ['light', 'dark']) {
		// A phone: collapsed, opened by its summary.
		let ctx = await browser.newContext({ viewport: { width: 375, height: 800 }, colorScheme: scheme });
		let page = await ctx.newPage();
		await page.goto(origin + docPath, { waitUntil: 'load' });
		const current = page.locator('.docs-sidebar a[aria-current="page"]');
		check(`375 ${scheme}: one entry marked current`, (await current.count()) === 1);
		check(`375 ${scheme}: the current entry is this page`, (await current.count()) === 1 &&
			new URL(await current.getAttribute('href'), origin + docPath).pathname === docPath);
		check(`375 ${scheme}: the tree starts collapsed`, !(await current.isVisible()));
		const summary = page.locator('.docs-sidebar > summary');
		check(`375 ${scheme}: its summary shows`, await summary.isVisible());
		await summary.click();
		check(`375 ${scheme}: a tap opens it`, await current.isVisible());
		const box = await page.locator('.docs-sidebar').boundingBox();
		const h1 = await page.locator('article h1').boundingBox();
		check(`375 ${scheme}: above the page, not beside it`, box && h1 && box.y < h1.y && box.width > 300);
		await ctx.close();

		// A wide screen: a column beside the page, open without a tap.
		ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: scheme });
		page = await ctx.newPage();
		await page.goto(origin + docPath, { waitUntil: 'load' });
		const cur = page.locator('.docs-sidebar a[aria-current="page"]');
		check(`1280 ${scheme}: the tree is shown`, await cur.isVisible());
		check(`1280 ${scheme}: no summary to tap`, !(await page.locator('.docs-sidebar > summary').isVisible()));
		const side = await page.locator('.docs-sidebar').boundingBox();
		const art = await page.locator('article.page').boundingBox();
		check(`1280 ${scheme}: beside the page`, side && art && side.x + side.width <= art.x);
		const sections = await page.locator('.docs-sidebar .docs-tree-section').count();
		check(`1280 ${scheme}: sections marked in the tree`, sections > 0);

		// A section page lists its children.
		await page.goto(origin + sectionPath, { waitUntil: 'load' });
		const kids = await page.locator('.doc-children-list > li > a').count();
		const below = await page.locator('.docs-sidebar a[aria-current="page"] + ul > li').count();
		check(`1280 ${scheme}: a section page lists its children`, kids > 0 && kids === below, `${kids} listed, ${below} below it in the tree`);

		// The docs list: sections with the pages below them.
		await page.goto(origin + docsPath, { waitUntil: 'load' });
		const idxSections = await page.locator('.docs-index .docs-tree-section > ul > li').count();
		check(`1280 ${scheme}: the docs list shows sections with their pages`, idxSections > 0);
		await ctx.close();
	}
} catch (e) {
	check('the docs tree is there to check', false, String(e).split('\n')[0]);
} finally {
	await browser.close();
	server.close();
}
console.log(`docs-browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
