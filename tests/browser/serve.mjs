// serve.mjs: a static file server for a built site, on 127.0.0.1 and a free
// port, plus helpers shared by the browser checks (launching Chromium,
// choosing the pages to visit).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.json': 'application/json',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.gif': 'image/gif',
	'.webp': 'image/webp',
	'.ico': 'image/x-icon',
	'.xml': 'application/xml',
	'.ics': 'text/calendar; charset=utf-8',
	'.txt': 'text/plain; charset=utf-8',
};

// Serves root on 127.0.0.1; resolves to { server, origin }. Never serves a
// file outside root; "/x/" serves x/index.html; a miss serves 404.html when
// the site has one; "Range: bytes=A-B" gets a 206 with those bytes.
export function serve(root) {
	root = fs.realpathSync(root);
	const server = http.createServer((req, res) => {
		let rel;
		try {
			rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
		} catch {
			res.writeHead(400).end();
			return;
		}
		if (rel.endsWith('/'))
			rel += 'index.html';
		let file = path.resolve(root, '.' + rel);
		if (file !== root && !file.startsWith(root + path.sep)) {
			res.writeHead(403).end();
			return;
		}
		try {
			if (fs.statSync(file).isDirectory()) {
				res.writeHead(301, { Location: rel + '/' }).end();
				return;
			}
			const body = fs.readFileSync(file);
			const type = TYPES[path.extname(file)] || 'application/octet-stream';
			// Byte ranges, as static hosts serve them (the search client reads
			// postings tails this way).
			const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range || '');
			if (range) {
				const from = Number(range[1]), to = range[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
				if (from > to) {
					res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
					return;
				}
				res.writeHead(206, { 'Content-Type': type, 'Accept-Ranges': 'bytes',
					'Content-Range': `bytes ${from}-${to}/${body.length}` });
				res.end(body.subarray(from, to + 1));
				return;
			}
			res.writeHead(200, { 'Content-Type': type, 'Accept-Ranges': 'bytes' });
			res.end(body);
		} catch {
			const nf = path.join(root, '404.html');
			res.writeHead(404, { 'Content-Type': TYPES['.html'] });
			res.end(fs.existsSync(nf) ? fs.readFileSync(nf) : 'not found');
		}
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () =>
			resolve({ server, origin: `http://127.0.0.1:${server.address().port}` }));
	});
}

// Chromium from the system (no browser download works here).
// Exits 2 with the setup step when playwright-core or Chromium is missing.
export async function launch() {
	const exe = process.env.CHROMIUM || '/usr/bin/chromium';
	let chromium;
	try {
		({ chromium } = await import('playwright-core'));
	} catch {
		console.error('tests/browser: playwright-core is missing: run npm ci in tests/browser');
		process.exit(2);
	}
	if (!fs.existsSync(exe)) {
		console.error(`tests/browser: no Chromium at ${exe}: apt-get install -y chromium (or set CHROMIUM)`);
		process.exit(2);
	}
	return chromium.launch({
		executablePath: exe,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
}

const has = (root, rel) => fs.existsSync(path.join(root, rel, 'index.html'));
const subdirs = (dir) => {
	try {
		return fs.readdirSync(dir, { withFileTypes: true })
			.filter((d) => d.isDirectory()).map((d) => d.name).sort();
	} catch {
		return [];
	}
};

// Every index.html under root, as URL paths ("/", "/talks/x/"), sorted.
function allPages(root, rel = '') {
	let out = has(root, rel) ? ['/' + rel] : [];
	for (const d of subdirs(path.join(root, rel)))
		if (!(rel === '' && (d === 'assets' || d.startsWith('.'))))
			out = out.concat(allPages(root, rel + d + '/'));
	return out;
}

// The page's <body data-kind data-type> (the default theme writes them).
function bodyData(root, url) {
	const html = fs.readFileSync(path.join(root, decodeURIComponent(url), 'index.html'), 'utf8');
	const attr = (tag, name) => {
		const t = new RegExp(`<${tag}\\b[^>]*>`, 'i').exec(html);
		const m = t && new RegExp(`\\s${name}="([^"]*)"`).exec(t[0]);
		return m ? m[1] : null;
	};
	return { kind: attr('body', 'data-kind'), type: attr('body', 'data-type'),
		lang: attr('html', 'lang'), size: html.length,
		noindex: /<meta name="robots" content="noindex">/.test(html),
		callouts: /<aside class="admonition /.test(html) };
}

// The URLs worth checking in a built site: the home page of each language,
// each type's list (a grouped one, the venue directory, among them), the
// first listing of the other kinds (year, taxonomy), each taxonomy's
// largest term page (a city's events, people and venues) and, for each
// page type, its largest page in the home page's language (the one that
// shows the most fields), its largest noindex one (an expired job) and the
// first page with callouts in each language. Falls
// back to the folder layout when the pages carry no data-kind (another
// theme). Returns [{ url, what }].
export function pickPages(root) {
	const urls = allPages(root);
	const seen = new Map();
	const mainLang = bodyData(root, '/').lang;
	for (const url of urls) {
		const d = bodyData(root, url);
		if (!d.kind)
			continue;
		// A page kept only for old links (an expired job: noindex) looks
		// different from the open ones of its type: checked on its own.
		const type = d.noindex ? `${d.type} (noindex)` : d.type;
		const segs = url.split('/').filter(Boolean);
		const key = d.kind === 'home' ? `home ${url}`
			: d.kind === 'page' ? `page ${type}`
			: d.kind === 'list' && d.type ? `list ${d.type}`
			: d.kind === 'term' ? `term ${segs[segs.length - 2]}` : d.kind;
		// Rank: the main language first, then the most content (a term page
		// of several types: a city's events, people and venues).
		const rank = [d.lang === mainLang ? 1 : 0, d.kind === 'page' || d.kind === 'term' ? d.size : 0];
		const prev = seen.get(key);
		if (!prev || rank[0] > prev.rank[0] || (rank[0] === prev.rank[0] && rank[1] > prev.rank[1]))
			seen.set(key, { url, what: d.kind === 'page' ? type : /^(list|term) /.test(key) ? key : d.kind, rank });
	}
	// The first page with callouts ("> [!NOTE]"), in each language: each
	// kind has its own colours, in light and dark.
	for (const url of urls) {
		const d = bodyData(root, url);
		const key = `callouts ${d.lang}`;
		if (d.kind && d.callouts && !seen.has(key))
			seen.set(key, { url, what: key, rank: [0, 0] });
	}
	if (seen.size)
		return [...seen.values()].map(({ url, what }) => ({ url, what }));
	return pickByFolder(root);
}

// The first page below dir (depth first, sorted), as a path relative to root.
function firstPage(root, rel) {
	for (const d of subdirs(path.join(root, rel))) {
		const r = rel + d + '/';
		if (has(root, r))
			return r;
		const deeper = firstPage(root, r);
		if (deeper)
			return deeper;
	}
	return null;
}

function pickByFolder(root) {
	const out = [{ url: '/', what: 'home' }];
	let list = false, single = false;
	for (const d of subdirs(root)) {
		if (d === 'assets' || d === 'search' || d.startsWith('.'))
			continue;
		const rel = d + '/';
		const kids = subdirs(path.join(root, d));
		// A language folder holds its own home and sections with lists.
		if (has(root, rel) && kids.some((k) => has(root, rel + k + '/') && firstPage(root, rel + k + '/'))) {
			out.push({ url: '/' + rel, what: `home (${d})` });
			continue;
		}
		const page = firstPage(root, rel);
		if (page) {
			if (has(root, rel) && !list) {
				out.push({ url: '/' + rel, what: 'list' });
				list = true;
			}
			out.push({ url: '/' + page, what: d });
		} else if (has(root, rel) && !single) {
			out.push({ url: '/' + rel, what: 'page' });
			single = true;
		}
	}
	return out;
}
