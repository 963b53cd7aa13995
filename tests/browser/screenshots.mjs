// screenshots.mjs SITE_DIR OUT_DIR [URL_PATH...]: serves a built site and
// saves full-page PNGs of the chosen pages (as a11y.mjs picks them, or the
// paths given) at 375 px and 1280 px wide, light and dark, into OUT_DIR.
// With --top, only the first screen of each page instead of the full page.
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, pickPages } from './serve.mjs';

const args = process.argv.slice(2);
const top = args.includes('--top');
const [dir, outDir, ...paths] = args.filter((a) => a !== '--top');
if (!dir || !outDir) {
	console.error('usage: node screenshots.mjs [--top] SITE_DIR OUT_DIR [URL_PATH...]');
	process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });
const pages = paths.length ? paths.map((u) => ({ url: u })) : pickPages(dir);
const { server, origin } = await serve(dir);
const browser = await launch();
try {
	for (const { url } of pages) {
		const name = url.replace(/^\/|\/$/g, '').replace(/\//g, '_') || 'home';
		for (const width of [375, 1280]) {
			for (const scheme of ['light', 'dark']) {
				const ctx = await browser.newContext({ viewport: { width, height: width < 800 ? 812 : 900 }, colorScheme: scheme });
				const page = await ctx.newPage();
				await page.goto(origin + url, { waitUntil: 'load' });
				const file = path.join(outDir, `${name}-${width}-${scheme}.png`);
				await page.screenshot({ path: file, fullPage: !top });
				console.log(file);
				await ctx.close();
			}
		}
	}
} finally {
	await browser.close();
	server.close();
}
